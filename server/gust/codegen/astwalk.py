"""The emitter's walks over the AST: `walk` (gust.syntax.walk), and `Subtrees`, an index of a
function body that answers the walk of any of its nodes without walking again.
"""

from __future__ import annotations

from collections.abc import Iterable

from gust.sema.items import ItemEnv
from gust.syntax import ast
from gust.syntax.walk import CHILDREN, walk

__all__ = ["CHILDREN", "PackagePaths", "Subtrees", "package_paths", "walk"]
_PATHS_MEMO_KEY = "astwalk.package_paths"


class PackagePaths:
    """The path expressions of a package's declarations: of its functions, impls and
    traits (`code`), and of its constants' initialisers (`consts`). The package-wide
    questions of the emitter (does any code read `Rc` counts, name `usize::MAX`) read
    these instead of each walking every declaration."""

    __slots__ = ("code", "consts")

    def __init__(self, code: list[ast.PathExpr], consts: list[ast.PathExpr]) -> None:
        self.code = code
        self.consts = consts


def package_paths(env: ItemEnv) -> PackagePaths:
    """The package's path expressions, found by one walk per environment (memoised)."""
    found = env.memo.get(_PATHS_MEMO_KEY)
    if isinstance(found, PackagePaths):
        return found
    code_decls: list[object] = [*(sig.decl for sig in env.fns.values()),
                                *(impl.decl for impl in env.impls),
                                *(info.decl for info in env.traits.values())]
    paths = PackagePaths(_path_exprs(code_decls),
                         _path_exprs([c.decl for c in env.consts.values()]))
    env.memo[_PATHS_MEMO_KEY] = paths
    return paths


def _path_exprs(decls: list[object]) -> list[ast.PathExpr]:
    path_expr = ast.PathExpr
    return [n for decl in decls for n in walk(decl) if type(n) is path_expr]


class Subtrees:
    """Every node under a root in `walk`'s order, with where each node's subtree starts and
    ends in that order: `walk` of any node of the tree is then a slice, not a new walk.

    The emitter asks for the nodes under a function body, its blocks, statements and
    patterns (uses of locals, guards, cells, `get_mut`...): walking each from scratch
    visited every node of a body seven times on average."""

    __slots__ = ("_ends", "_order", "_starts")

    def __init__(self, root: object) -> None:
        children = CHILDREN
        order: list[object] = []
        starts: dict[int, int] = {}
        ends: dict[int, int] = {}  # of nodes with children (a leaf's subtree is itself)
        stack = [root]
        # Nodes whose children are on the stack, with the stack height below them: the
        # subtree ends when the stack is popped below that height.
        open_: list[tuple[int, int]] = []
        pop, push, append = stack.pop, stack.append, order.append
        while stack:
            n = pop()
            height = len(stack)
            while open_ and open_[-1][1] > height:
                ends[open_.pop()[0]] = len(order)
            key = id(n)
            starts[key] = len(order)
            append(n)
            below = len(stack)
            # The children, pushed as `walk` pushes them.
            for name in children.get(type(n), ()):
                v = getattr(n, name)
                if type(v) in children:
                    push(v)
                elif isinstance(v, tuple):
                    nested = False
                    for x in v:
                        if type(x) in children:
                            push(x)
                        elif isinstance(x, tuple):
                            nested = True
                    if nested:
                        for x in v:
                            if isinstance(x, tuple):
                                stack.extend(y for y in x if type(y) in children)
            if len(stack) > below:
                open_.append((key, below))
        for key, _ in open_:
            ends[key] = len(order)
        self._order = order
        self._starts = starts
        self._ends = ends

    def walk(self, node: object) -> Iterable[object]:
        """The nodes under `node` (itself included), as `walk(node)` yields them."""
        key = id(node)
        start = self._starts.get(key)
        if start is None:
            return walk(node)  # a node made by the emitter, outside the tree
        return self._order[start:self._ends.get(key, start + 1)]
