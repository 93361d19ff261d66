"""The std subset the checker knows: builtin generic types and their methods.

Signatures are written as Rust-like strings and parsed once by `_parse_type`: `T`, `K`,
`V` stand for the receiver's type arguments, `Item` for an iterator's item type, and `Self`
for the receiver type. A method's `self` is "ref" (`&self`), "ref_mut" (`&mut self`),
"value" (`self`) or "static" (an associated function such as `Vec::new`).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from gust.sema import types as t

# Builtin type names and how many type arguments each takes.
BUILTIN_TYPES: dict[str, int] = {
    "String": 0,
    "Vec": 1,
    "Option": 1,
    "Result": 2,
    "HashMap": 2,
    "Box": 1,
    # Iterators and ranges: `Iter<Item>` is any iterator yielding `Item`.
    "Iter": 1,
    "Range": 1,
    "RangeInclusive": 1,
    # Go interop (gust.sema.golang): Go's `error`, `any` and channels.
    "GoError": 0,
    "GoAny": 0,
    "chan": 1,
}
_PARAMS = {"Vec": ("T",), "slice": ("T",), "Option": ("T",), "Result": ("T", "E"), "HashMap": ("K", "V"),
           "Box": ("T",), "Iter": ("Item",), "Range": ("T",), "RangeInclusive": ("T",)}


@dataclass(frozen=True, slots=True)
class BuiltinMethod:
    owner: str
    name: str
    self_kind: str  # "ref", "ref_mut", "value" or "static"
    params: tuple[t.Ty, ...]
    ret: t.Ty
    # Extra requirements checked by the caller: "Clone" (elements must be Clone), ...
    requires: str = ""


_SIGNATURES: dict[str, list[tuple[str, str, tuple[str, ...], str]]] = {
    "Vec": [
        ("new", "static", (), "Vec<T>"),
        ("with_capacity", "static", ("usize",), "Vec<T>"),
        ("push", "ref_mut", ("T",), "()"),
        ("pop", "ref_mut", (), "Option<T>"),
        ("len", "ref", (), "usize"),
        ("is_empty", "ref", (), "bool"),
        ("clear", "ref_mut", (), "()"),
        ("insert", "ref_mut", ("usize", "T"), "()"),
        ("remove", "ref_mut", ("usize",), "T"),
        ("swap", "ref_mut", ("usize", "usize"), "()"),
        ("truncate", "ref_mut", ("usize",), "()"),
        ("reverse", "ref_mut", (), "()"),
        ("sort", "ref_mut", (), "()"),  # needs `T: Ord` (gust.sema.check.calls)
        ("contains", "ref", ("&T",), "bool"),
        ("first", "ref", (), "Option<&T>"),
        ("last", "ref", (), "Option<&T>"),
        ("get", "ref", ("usize",), "Option<&T>"),
        ("iter", "ref", (), "Iter<&T>"),
        ("iter_mut", "ref_mut", (), "Iter<&mut T>"),
        ("into_iter", "value", (), "Iter<T>"),
        ("clone", "ref", (), "Vec<T>"),
    ],
    # Arrays `[T; N]` and slices `[T]`: the read-only part of `Vec`'s methods.
    "slice": [
        ("len", "ref", (), "usize"),
        ("is_empty", "ref", (), "bool"),
        ("contains", "ref", ("&T",), "bool"),
        ("first", "ref", (), "Option<&T>"),
        ("last", "ref", (), "Option<&T>"),
        ("get", "ref", ("usize",), "Option<&T>"),
        ("iter", "ref", (), "Iter<&T>"),
        ("iter_mut", "ref_mut", (), "Iter<&mut T>"),
    ],
    "String": [
        ("new", "static", (), "String"),
        ("from", "static", ("&str",), "String"),
        ("with_capacity", "static", ("usize",), "String"),
        ("push_str", "ref_mut", ("&str",), "()"),
        ("push", "ref_mut", ("char",), "()"),
        ("as_str", "ref", (), "&str"),
        ("clone", "ref", (), "String"),
        ("clear", "ref_mut", (), "()"),
    ],
    # Methods of `str`, reached from `&str` and (by auto-deref) from `String`.
    "str": [
        ("len", "ref", (), "usize"),
        ("is_empty", "ref", (), "bool"),
        ("to_string", "ref", (), "String"),
        ("to_owned", "ref", (), "String"),
        ("to_uppercase", "ref", (), "String"),
        ("to_lowercase", "ref", (), "String"),
        ("trim", "ref", (), "&str"),
        ("contains", "ref", ("&str",), "bool"),
        ("starts_with", "ref", ("&str",), "bool"),
        ("ends_with", "ref", ("&str",), "bool"),
        ("replace", "ref", ("&str", "&str"), "String"),
        ("repeat", "ref", ("usize",), "String"),
        ("chars", "ref", (), "Iter<char>"),
        ("split_whitespace", "ref", (), "Iter<&str>"),
    ],
    "Box": [
        ("new", "static", ("T",), "Box<T>"),
    ],
    "Option": [
        ("is_some", "ref", (), "bool"),
        ("is_none", "ref", (), "bool"),
        ("unwrap", "value", (), "T"),
        ("expect", "value", ("&str",), "T"),
        ("unwrap_or", "value", ("T",), "T"),
    ],
    "Result": [
        ("is_ok", "ref", (), "bool"),
        ("is_err", "ref", (), "bool"),
        ("unwrap", "value", (), "T"),
        ("expect", "value", ("&str",), "T"),
        ("unwrap_or", "value", ("T",), "T"),
        ("ok", "value", (), "Option<T>"),
        ("err", "value", (), "Option<E>"),
    ],
    "GoError": [
        ("Error", "ref", (), "String"),
    ],
    "Iter": [
        ("next", "ref_mut", (), "Option<Item>"),
        ("count", "value", (), "usize"),
        ("rev", "value", (), "Iter<Item>"),
        ("enumerate", "value", (), "Iter<(usize, Item)>"),
        ("skip", "value", ("usize",), "Iter<Item>"),
        ("take", "value", ("usize",), "Iter<Item>"),
    ],
    "Range": [
        ("rev", "value", (), "Iter<T>"),
        ("step_by", "value", ("usize",), "Iter<T>"),
        ("contains", "ref", ("&T",), "bool"),
    ],
    "RangeInclusive": [
        ("rev", "value", (), "Iter<T>"),
        ("step_by", "value", ("usize",), "Iter<T>"),
        ("contains", "ref", ("&T",), "bool"),
    ],
    # Numbers: `Self` is the receiver's own type.
    "int": [
        ("abs", "value", (), "Self"),
        ("pow", "value", ("u32",), "Self"),
        ("min", "value", ("Self",), "Self"),
        ("max", "value", ("Self",), "Self"),
    ],
    "float": [
        ("abs", "value", (), "Self"),
        ("sqrt", "value", (), "Self"),
        ("floor", "value", (), "Self"),
        ("ceil", "value", (), "Self"),
        ("round", "value", (), "Self"),
        ("powi", "value", ("i32",), "Self"),
        ("powf", "value", ("Self",), "Self"),
        ("min", "value", ("Self",), "Self"),
        ("max", "value", ("Self",), "Self"),
    ],
}


def method_owner(ty: t.Ty) -> str | None:
    """The builtin method table for a (dereferenced) receiver type."""
    match ty:
        case t.Adt(name) if name in _SIGNATURES:
            return name
        case t.Str():
            return "str"
        case t.Array() | t.Slice():
            return "slice"
        case t.Int() | t.Infer(kind="int"):
            return "int"
        case t.Float() | t.Infer(kind="float"):
            return "float"
    return None


@functools.cache
def _methods(owner: str) -> dict[str, tuple[str, tuple[t.Ty, ...], t.Ty]]:
    generics = set(_PARAMS.get(owner, ())) | {"Self"}
    return {
        name: (self_kind, tuple(_parse_type(p, generics) for p in params),
               _parse_type(ret, generics))
        for name, self_kind, params, ret in _SIGNATURES[owner]
    }


def lookup(owner: str, name: str, receiver: t.Ty) -> BuiltinMethod | None:
    """The method `name` of the builtin `owner`, instantiated for `receiver`."""
    entry = _methods(owner).get(name)
    if entry is None:
        return None
    self_kind, params, ret = entry
    subst: dict[str, t.Ty] = {"Self": receiver}
    if isinstance(receiver, t.Array | t.Slice):
        subst["T"] = receiver.elem
    elif isinstance(receiver, t.Adt):
        for pname, arg in zip(_PARAMS.get(owner, ()), receiver.args, strict=False):
            subst[pname] = arg
    return BuiltinMethod(owner, name, self_kind, tuple(t.substitute(p, subst) for p in params),
                         t.substitute(ret, subst))


def method_names(owner: str) -> list[str]:
    return [name for name, *_ in _SIGNATURES.get(owner, [])]


def params_of(owner: str) -> tuple[str, ...]:
    return _PARAMS.get(owner, ())


# ---------------------------------------------------------------- tiny type parser


def _parse_type(text: str, generics: set[str]) -> t.Ty:
    ty, rest = _parse(text.replace(" ", ""), generics)
    assert not rest, text
    return ty


def _parse(s: str, generics: set[str]) -> tuple[t.Ty, str]:
    if s.startswith("&mut"):
        inner, rest = _parse(s[4:], generics)
        return t.Ref(inner, True), rest
    if s.startswith("&"):
        inner, rest = _parse(s[1:], generics)
        return t.Ref(inner, False), rest
    if s.startswith("("):
        elems: list[t.Ty] = []
        s = s[1:]
        while not s.startswith(")"):
            elem, s = _parse(s, generics)
            elems.append(elem)
            s = s.removeprefix(",")
        return t.Tuple(tuple(elems)), s[1:]
    i = 0
    while i < len(s) and (s[i].isalnum() or s[i] == "_"):
        i += 1
    name, s = s[:i], s[i:]
    args: list[t.Ty] = []
    if s.startswith("<"):
        s = s[1:]
        while not s.startswith(">"):
            arg, s = _parse(s, generics)
            args.append(arg)
            s = s.removeprefix(",")
        s = s[1:]
    if name in generics:
        return t.Param(name), s
    if name in t.PRIMITIVES:
        return t.PRIMITIVES[name], s
    return t.Adt(name, tuple(args)), s
