"""A fast walk over the AST: the checker, the borrow checker and the emitter walk every
function body, so this runs over every node of a package.

`dataclasses.fields()` and a module test per child made walks most of the time spent
emitting Go (bench/emit_speed.py); instead, the fields that can hold nodes are listed once
per node class, from their annotations (spans, names and flags never hold nodes).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator, Mapping
from types import MappingProxyType
from typing import Final

from gust.syntax import ast
from gust.text import Span

# Annotations of fields that never hold a node.
_LEAF_ANNOTATIONS: Final = frozenset({"Span", "Span | None", "bool", "str", "str | None", "int",
                               "int | float | str | bool", "tuple[str, ...]"})
# The same in the compiled build (gust.native), where annotations are classes, not text (a
# union or a generic is only `type` or `tuple` there, so it stays a possible child).
_LEAF_CLASSES: Final[tuple[type, ...]] = (Span, bool, str, int)


def _node_classes() -> Mapping[type, tuple[str, ...]]:
    table: dict[type, tuple[str, ...]] = {}
    for value in vars(ast).values():
        if isinstance(value, type) and dataclasses.is_dataclass(value) and \
                value.__module__ == ast.__name__:
            table[value] = tuple(f.name for f in dataclasses.fields(value)
                                 if f.type not in _LEAF_ANNOTATIONS and
                                 f.type not in _LEAF_CLASSES)
    return MappingProxyType(table)


# Node class -> the names of its fields that may hold nodes (or tuples of them).
CHILDREN: Final = _node_classes()


def walk(node: object) -> Iterator[object]:
    """Every AST node under `node` (itself included), depth first."""
    children = CHILDREN
    stack = [node]
    pop, push = stack.pop, stack.append
    while stack:
        n = pop()
        yield n
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
                if nested:  # `(start, end)` pairs of range patterns
                    for x in v:
                        if isinstance(x, tuple):
                            stack.extend(y for y in x if type(y) in children)


def children(node: object) -> list[object]:
    """The nodes directly under `node`, in field order (a tuple field's in its order)."""
    table = CHILDREN
    out: list[object] = []
    for name in table.get(type(node), ()):
        v = getattr(node, name)
        if type(v) in table:
            out.append(v)
        elif isinstance(v, tuple):
            for x in v:
                if type(x) in table:
                    out.append(x)
                elif isinstance(x, tuple):
                    out.extend(y for y in x if type(y) in table)
    return out
