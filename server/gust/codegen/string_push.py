"""Appending to a `String`: `push_str`, `push` and `+=` (runtime `gustPushStr`).

A Rust `String` is a Go `string`, so `s += x` would copy all of `s` on every append and a
loop building a text would be quadratic. The runtime appends in place into spare capacity
that no other string can see (gust_runtime.go, "growing strings"), so building a string is
amortised linear as in Rust. The calls return the new string: the place may be a map
element, which Go cannot take the address of.
"""

from __future__ import annotations

from gust.codegen import goast as g


def push_str(place: g.GoExpr, text: g.GoExpr) -> g.GoExpr:
    """`place.push_str(text)` as the new value of place."""
    return g.call("gustPushStr", place, text)


def push_char(place: g.GoExpr, char: g.GoExpr, literal: str | None) -> g.GoExpr:
    """`place.push(char)`; literal is the character when `char` is a constant."""
    if literal is not None:
        return push_str(place, g.Atom(g.go_string(literal), "string"))
    return g.call("gustPushChar", place, char)


def with_capacity(n: g.GoExpr) -> g.GoExpr:
    """`String::with_capacity(n)`: an empty string whose pushes fill a buffer of n bytes."""
    return g.call("gustStringWithCapacity", n)
