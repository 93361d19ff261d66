"""The parse tree: tree nodes, and the reductions that build nodes from children.

lark computes the grammar's LALR table and, per rule, how its tree is shaped (rule
aliases, `?rule` and `_rule` inlining, `[x]` placeholders): gust.syntax.lalr converts
that once into the plain data of this module, which the on-disk table cache
(gust.syntax.tables) holds. Parsing then never imports lark (about 50 ms of every
process's start-up): lark is loaded only when the table is built.

The classes keep lark's shapes (`Tree` has `data` and `children`; a token,
gust.syntax.token, is a `str` with `type`, `start_pos` and `end_pos`), and the builders
do what lark's `parse_tree_builder` does for an LALR parser with `keep_all_tokens` and
`maybe_placeholders`. This module is compiled (gust.native): every reduction of every
parse runs a builder and most make a `Tree`. The token is apart because a compiled
class cannot derive from `str`.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any


class Tree:
    """A node of the parse tree: the rule (or alias) that made it, its children
    (tokens, trees, and None for an absent optional part) and the offsets of its first
    and last token (`start`, `end`)."""

    __slots__ = ("children", "data", "end", "start")

    def __init__(self, data: str, children: list[Any], start: int = 0, end: int = 0) -> None:
        self.data = data
        self.children = children
        self.start = start
        self.end = end

    def __repr__(self) -> str:
        return f"Tree({self.data!r}, {self.children!r})"

    def __reduce__(self) -> tuple[Any, ...]:
        # Pickled by its constructor: a compiled class (invariant 10).
        return (Tree, (self.data, self.children, self.start, self.end))


# The builders of a rule's value from the values of its symbols and the offsets of its
# first and last token. Each is a callable object of plain data, or a function of
# gust.syntax.build (picklable, for the table cache).


def new_tree(data: str) -> functools.partial[Tree]:
    """The builder of a tree named `data` with the children as they are: a `partial` of
    `Tree` itself (no Python frame of its own: a third of all reductions build one)."""
    return functools.partial(Tree, data)


class ExpandSingleChild:
    """A `?rule`: its only child itself, else a tree."""

    __slots__ = ("node_builder",)

    def __init__(self, node_builder: Builder) -> None:
        self.node_builder = node_builder

    def __call__(self, children: list[Any], start: int, end: int) -> Any:
        if len(children) == 1:
            return children[0]
        return self.node_builder(children, start, end)

    def __reduce__(self) -> tuple[Any, ...]:
        return (ExpandSingleChild, (self.node_builder,))


class ChildFilter:
    """Children rearranged before building: for each kept child `(index, expand,
    add_none)`, `add_none` placeholders (`[x]` absent) before it, then the child, or its
    own children when it is an inlined `_rule`; then `append_none` placeholders.

    As lark's LALR filter, an inlined first child's list is reused and extended in place
    (the parser never shares a tree, so this is safe, and it keeps left-recursive lists
    linear)."""

    __slots__ = ("append_none", "node_builder", "to_include")

    def __init__(self, to_include: tuple[tuple[int, bool, int], ...], append_none: int,
                 node_builder: Builder) -> None:
        self.to_include = to_include
        self.append_none = append_none
        self.node_builder = node_builder

    def __call__(self, children: list[Any], start: int, end: int) -> Any:
        filtered: list[Any] = []
        for i, to_expand, add_none in self.to_include:
            if add_none:
                filtered += [None] * add_none
            if to_expand:
                if filtered:
                    filtered += children[i].children
                else:
                    filtered = children[i].children
            else:
                filtered.append(children[i])
        if self.append_none:
            filtered += [None] * self.append_none
        return self.node_builder(filtered, start, end)

    def __reduce__(self) -> tuple[Any, ...]:
        return (ChildFilter, (self.to_include, self.append_none, self.node_builder))


Builder = Callable[[list[Any], int, int], Any]
