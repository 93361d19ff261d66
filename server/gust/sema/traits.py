"""Which types implement the std traits the checker asks about: Copy, Clone, Display,
Debug, PartialEq, PartialOrd. Builtin rules plus `#[derive(...)]` on user types."""

from __future__ import annotations

from gust.sema import types as t
from gust.sema.items import ItemEnv


def is_copy(ty: t.Ty, env: ItemEnv) -> bool:
    match ty:
        case t.Int() | t.Float() | t.Bool() | t.Char() | t.Never() | t.Error() | t.FnPtr():
            return True
        case t.Infer(kind="int" | "float"):
            return True
        case t.Ref(mutable=False):
            return True
        case t.Closure(copy=copy):
            return copy
        case t.Tuple(elems):
            return all(is_copy(e, env) for e in elems)
        case t.Array(elem, _):
            return is_copy(elem, env)
        case t.Adt(name, args):
            if name in ("Option",):
                return all(is_copy(a, env) for a in args)
            if name in ("Range", "RangeInclusive"):
                return False
            return "Copy" in env.derives_of(name) and all(is_copy(a, env) for a in args)
    return False


def is_clone(ty: t.Ty, env: ItemEnv) -> bool:
    if is_copy(ty, env):
        return True
    match ty:
        case t.Adt("String"):
            return True
        case t.Adt("Vec" | "Option" | "Box" | "HashMap" | "Result", args):
            return all(is_clone(a, env) for a in args)
        case t.Tuple(elems):
            return all(is_clone(e, env) for e in elems)
        case t.Array(elem, _):
            return is_clone(elem, env)
        case t.Adt(name, args):
            return "Clone" in env.derives_of(name) and all(is_clone(a, env) for a in args)
    return False


def is_display(ty: t.Ty, env: ItemEnv) -> bool:
    match ty:
        case t.Int() | t.Float() | t.Bool() | t.Char() | t.Str() | t.Error():
            return True
        case t.Infer(kind="int" | "float"):
            return True
        case t.Adt("String" | "GoError"):
            return True
        case t.Ref(inner, _):
            return is_display(inner, env)
        case t.Adt("Box", (inner,)):
            return is_display(inner, env)
    return False


def is_debug(ty: t.Ty, env: ItemEnv) -> bool:
    match ty:
        case t.Int() | t.Float() | t.Bool() | t.Char() | t.Str() | t.Error() | t.Never():
            return True
        case t.Infer(kind="int" | "float"):
            return True
        case t.Ref(inner, _) | t.Slice(inner) | t.Array(inner, _):
            return is_debug(inner, env)
        case t.Tuple(elems):
            return all(is_debug(e, env) for e in elems)
        case t.Adt("String" | "GoError"):
            return True
        case t.Adt("Vec" | "Option" | "Result" | "Box" | "HashMap" | "Iter" | "Range"
                   | "RangeInclusive", args):
            return all(is_debug(a, env) for a in args)
        case t.Adt(name, args):
            return "Debug" in env.derives_of(name) and all(is_debug(a, env) for a in args)
    return False


def is_partial_eq(ty: t.Ty, env: ItemEnv) -> bool:
    match ty:
        case t.Int() | t.Float() | t.Bool() | t.Char() | t.Str() | t.Error() | t.Infer():
            return True
        case t.Ref(inner, _) | t.Slice(inner) | t.Array(inner, _):
            return is_partial_eq(inner, env)
        case t.Tuple(elems):
            return all(is_partial_eq(e, env) for e in elems)
        case t.Adt("String"):
            return True
        case t.Adt("Vec" | "Option" | "Result" | "Box" | "HashMap", args):
            return all(is_partial_eq(a, env) for a in args)
        case t.Adt(name, args):
            return "PartialEq" in env.derives_of(name) and all(
                is_partial_eq(a, env) for a in args)
    return False


def is_partial_ord(ty: t.Ty, env: ItemEnv) -> bool:
    match ty:
        case t.Int() | t.Float() | t.Bool() | t.Char() | t.Str() | t.Error() | t.Infer():
            return True
        case t.Ref(inner, _):
            return is_partial_ord(inner, env)
        case t.Tuple(elems):
            return all(is_partial_ord(e, env) for e in elems)
        case t.Adt("String"):
            return True
        case t.Adt("Vec" | "Option", args):
            return all(is_partial_ord(a, env) for a in args)
        case t.Adt(name, args):
            return "PartialOrd" in env.derives_of(name) and all(
                is_partial_ord(a, env) for a in args)
    return False
