"""The emitter's walks over the AST: `walk` (gust.syntax.walk), and `Subtrees`, an index of a
function body that answers the walk of any of its nodes without walking again.
"""

from __future__ import annotations

from collections.abc import Iterable

from gust.syntax.walk import CHILDREN, walk

__all__ = ["CHILDREN", "Subtrees", "walk"]


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
