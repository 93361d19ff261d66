"""The emitter's walks over the AST: `walk` (gust.syntax.walk), and `Subtrees`, an index of a
function body that answers the walk of any of its nodes without walking again.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Final, TypeVar

from gust.sema.items import ItemEnv
from gust.sema.results import LocalRes
from gust.syntax import ast
from gust.syntax.walk import CHILDREN, walk

__all__ = ["CHILDREN", "PackagePaths", "Subtrees", "constructor_call", "local_of",
           "may_mention", "note_texts", "package_paths", "strip_parens", "walk"]
_PATHS_MEMO_KEY: Final = "astwalk.package_paths"
_Node = TypeVar("_Node")


class PackagePaths:
    """The path expressions of a package's declarations: of its functions, impls and
    traits (`code`), and of its constants' initialisers (`consts`). The package-wide
    questions of the emitter (does any code read `Rc` counts, name `usize::MAX`) read
    these instead of each walking every declaration."""

    __slots__ = ("code", "consts")

    def __init__(self, code: list[ast.PathExpr], consts: list[ast.PathExpr]) -> None:
        self.code = code
        self.consts = consts


_TEXTS_MEMO_KEY: Final = "astwalk.package_texts"


class PackageTexts:
    """The source texts of every item of a package (its files' and its crates'), noted
    by whoever built the environment from them (`note_texts`)."""

    __slots__ = ("texts",)

    def __init__(self, texts: tuple[str, ...]) -> None:
        self.texts = texts


def strip_parens(e: ast.Expr) -> ast.Expr:
    while isinstance(e, ast.Paren):
        e = e.inner
    return e


def local_of(paths: Mapping[ast.PathExpr, object], e: ast.Expr, derefs: bool = False
             ) -> int | None:
    """The local that `e` names (`x`, `(x)`; with `derefs` also `*x`), given the body's
    resolved paths (`BodyResults.paths`)."""
    e = strip_parens(e)
    while derefs and isinstance(e, ast.Unary) and e.op == "*":
        e = strip_parens(e.operand)
    if isinstance(e, ast.PathExpr) and isinstance(res := paths.get(e), LocalRes):
        return res.local
    return None


def constructor_call(e: ast.Expr | None, type_name: str, names: frozenset[str]
                     ) -> ast.Call | None:
    """`e` when it is `Type::name(..)` (`HashMap::new()`) with one of `names`, parentheses
    aside."""
    e = strip_parens(e) if e is not None else None
    if not isinstance(e, ast.Call) or not isinstance(callee := e.callee, ast.PathExpr):
        return None
    path = callee.path.names
    return e if path[-2:] == (type_name, path[-1]) and path[-1] in names else None


def note_texts(env: ItemEnv, texts: Iterable[str]) -> None:
    """Note the texts `env` was built from, so that package-wide questions about names
    (`may_mention`) can be ruled out without walking the package."""
    env.memo[_TEXTS_MEMO_KEY] = PackageTexts(tuple(texts))


def may_mention(env: ItemEnv, *words: str) -> bool:
    """False when no item's text holds all of `words` (then no path of the package names
    them: a name is written as it is, and a path is in one item); True when one may, or
    when the texts were not noted."""
    found = env.memo.get(_TEXTS_MEMO_KEY)
    if not isinstance(found, PackageTexts):
        return True
    return any(all(word in text for word in words) for text in found.texts)


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

    __slots__ = ("_by_type", "_order", "_sizes", "_starts")

    def __init__(self, root: object) -> None:
        children = CHILDREN
        order: list[object] = []
        # Each node's parent (its index in `order`): the subtree sizes are summed up from
        # them afterwards, which costs less than tracking where each subtree ends.
        parents: list[int] = []
        stack = [root]
        owners = [-1]  # the parent of each node on `stack`
        # The nodes of each class, in the same order: the emitter's questions about the
        # whole body (its paths, its `lock()` and `borrow()` calls) read only those.
        by_type: dict[type, list[object]] = {}
        pop, push, append = stack.pop, stack.append, order.append
        owner_pop, owner_push, note_parent = owners.pop, owners.append, parents.append
        while stack:
            n = pop()
            note_parent(owner_pop())
            here = len(order)
            append(n)
            kind = type(n)
            group = by_type.get(kind)
            if group is None:
                by_type[kind] = [n]
            else:
                group.append(n)
            names = children.get(kind)
            if not names:
                continue
            # The children, pushed as `walk` pushes them.
            for name in names:
                v = getattr(n, name)
                if type(v) in children:
                    push(v)
                    owner_push(here)
                elif type(v) is tuple:
                    nested = False
                    for x in v:
                        if type(x) in children:
                            push(x)
                            owner_push(here)
                        elif type(x) is tuple:
                            nested = True
                    if nested:
                        for x in v:
                            if type(x) is tuple:
                                for y in x:
                                    if type(y) in children:
                                        push(y)
                                        owner_push(here)
        sizes = [1] * len(order)
        for i in range(len(order) - 1, 0, -1):  # children come after their parent
            sizes[parents[i]] += sizes[i]
        self._order = order
        self._starts = {id(n): i for i, n in enumerate(order)}
        self._sizes = sizes
        self._by_type = by_type

    def of_type(self, kind: type[_Node]) -> list[_Node]:
        """The nodes of class `kind` under the root, in `walk`'s order."""
        return self._by_type.get(kind, [])  # type: ignore[return-value]

    def walk(self, node: object) -> Iterable[object]:
        """The nodes under `node` (itself included), as `walk(node)` yields them."""
        key = id(node)
        start = self._starts.get(key)
        if start is None:
            return walk(node)  # a node made by the emitter, outside the tree
        return self._order[start:start + self._sizes[start]]
