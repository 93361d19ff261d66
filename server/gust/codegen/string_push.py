"""Appending to a `String`: `push_str`, `push` and `+=` (runtime `gustPushStrTo`).

A Rust `String` is a Go `string`, so `s += x` would copy all of `s` on every append and a
loop building a text would be quadratic. The runtime appends in place into spare capacity
that no other string can see (gust_runtime.go, "growing strings"), so building a string is
amortised linear as in Rust. A push to a place Go can take the address of (a variable, a
field, `*text`) passes that address: the buffer's spare room belongs to that one place, so
its pushes need no atomic instruction. A map element has no address: its push returns the
new string (`m[k] = gustPushStr(m[k], x)`), and claims the room with a compare-and-swap.
A push of one ASCII character, the commonest, writes the byte (`gustPushByteTo(&s, ',')`).
`s.clear()` keeps the place's capacity, as Rust's does (`gustClearStrTo(&s)`): the pushes
after it fill a new buffer of the old size, since a clone may still show the old bytes.
"""

from __future__ import annotations

from gust.codegen import goast as g


def push_str(place: g.GoExpr, text: g.GoExpr, element: bool = False) -> str:
    """The Go statement of `place.push_str(text)`; element when place is an element of a
    slice or array (`v[i]`)."""
    if element or addressable(place):
        digits = decimal(text)
        if digits is not None:  # `s.push_str(&n.to_string())`: no temporary string
            return g.render(g.call(digits[0], g.unary("&", place), digits[1]))
        byte = one_byte(text)
        if byte is not None:  # `s.push(',')`: the byte itself, no string to copy from
            return g.render(g.call("gustPushByteTo", g.unary("&", place), byte))
        return g.render(g.call("gustPushStrTo", g.unary("&", place), text))
    return f"{g.render(place)} = {g.render(g.call('gustPushStr', place, text))}"


def push_char(place: g.GoExpr, char: g.GoExpr, literal: str | None,
              element: bool = False) -> str:
    """The Go statement of `place.push(char)`; literal is the character when `char` is a
    constant."""
    if literal is not None:
        return push_str(place, g.Atom(g.go_string(literal), "string"), element)
    if element or addressable(place):
        return g.render(g.call("gustPushCharTo", g.unary("&", place), char))
    return f"{g.render(place)} = {g.render(g.call('gustPushChar', place, char))}"


def clear(place: g.GoExpr, element: bool = False) -> str:
    """The Go statement of `place.clear()`: a place with an address keeps its capacity
    (gustClearStrTo), a map element becomes the empty string."""
    if element or addressable(place):
        return g.render(g.call("gustClearStrTo", g.unary("&", place)))
    return f'{g.render(place)} = ""'


def one_byte(text: g.GoExpr) -> g.GoExpr | None:
    """The Go rune literal of `text` when it is a string literal of one ASCII character
    (`","` is `','`, `"\\n"` is `'\\n'`); a quote or backslash is left to gustPushStrTo."""
    if not (isinstance(text, g.Atom) and text.untyped == "string"):
        return None
    inner = text.text[1:-1] if text.text.startswith('"') and text.text.endswith('"') else ""
    if len(inner) == 1 and 0x20 <= ord(inner) < 0x7F and inner not in "'\\\"":
        return g.Atom(f"'{inner}'", "rune")
    if inner in ("\\n", "\\t"):
        return g.Atom(f"'{inner}'", "rune")
    return None


def decimal(text: g.GoExpr) -> tuple[str, g.GoExpr] | None:
    """The runtime function that pushes the digits of an integer, and the integer, when
    `text` is its decimal string (`n.to_string()`, `format!("{}", n)`)."""
    match text:
        case g.Call(fun=g.Atom(text="strconv.FormatUint"), args=(n, g.Atom(text="10"))):
            return "gustPushUintTo", n
        case g.Call(fun=g.Atom(text="strconv.Itoa"), args=(n,)):
            return "gustPushIntTo", n
    return None


def addressable(place: g.GoExpr) -> bool:
    """Whether Go can take the address of `place`, a place it can assign to: every such place
    but a map element `m[k]`. An index may be a map's: the caller says when it is not."""
    match place:
        case g.Paren(x=inner):
            return addressable(inner)
        case g.Atom(text=text):
            return text.isidentifier() and text != "_"
        case g.Unary(op="*") | g.Selector():
            return True
    return False


def with_capacity(n: g.GoExpr) -> g.GoExpr:
    """`String::with_capacity(n)`: an empty string whose pushes fill a buffer of n bytes."""
    return g.call("gustStringWithCapacity", n)
