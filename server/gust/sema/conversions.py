"""`From` and `Into`: which conversions exist, for `T::from(x)`, `x.into()` and the error
conversion of `?`.

A conversion `T: From<S>` holds when the package has an `impl From<S> for T` (its generic
parameters bound by matching), when std has one (the lossless number conversions,
`String` from `&str`/`char`, `Option<T>`/`Box<T>` from `T`, `Vec<T>` from arrays and
slices, `Box<dyn Error>` from errors and strings), or when `S` is `T` (std's reflexive
impl). The checker asks `converts`; the Go backend asks `user_from` for the impl to call.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

from gust.sema import traits
from gust.sema import types as t

if TYPE_CHECKING:
    from gust.sema.items import ImplInfo, ItemEnv

# std's lossless `From` impls between numbers: target -> sources.
_NUMBER_SOURCES: Final[dict[str, tuple[str, ...]]] = {
    "u16": ("u8", "bool"),
    "u32": ("u8", "u16", "char", "bool"),
    "u64": ("u8", "u16", "u32", "char", "bool"),
    "u128": ("u8", "u16", "u32", "u64", "char", "bool"),
    "usize": ("u8", "u16", "bool"),
    "i16": ("u8", "i8", "bool"),
    "i32": ("u8", "u16", "i8", "i16", "bool"),
    "i64": ("u8", "u16", "u32", "i8", "i16", "i32", "bool"),
    "i128": ("u8", "u16", "u32", "u64", "i8", "i16", "i32", "i64", "bool"),
    "isize": ("u8", "i8", "i16", "bool"),
    "u8": ("bool",),
    "i8": ("bool",),
    "f32": ("u8", "u16", "i8", "i16"),
    "f64": ("u8", "u16", "u32", "i8", "i16", "i32", "f32"),
    "char": ("u8",),
}


def std_sources(target: t.Ty) -> list[t.Ty]:
    """The source types of std's `From` impls for `target` (besides `target` itself)."""
    match target:
        case t.Int(kind) | t.Float(kind):
            return [t.PRIMITIVES[k] for k in _NUMBER_SOURCES.get(kind, ())]
        case t.Char():
            return [t.PRIMITIVES[k] for k in _NUMBER_SOURCES["char"]]
        case t.Adt("String"):
            return [t.STR_REF, t.Ref(t.STRING, False), t.CHAR]
        case t.Adt("Option" | "Box" | "Rc" | "Arc", (inner,)) if not isinstance(inner, t.Dyn):
            return [inner]
        case t.Adt("Vec", (elem,)):
            strings: list[t.Ty] = [t.STR_REF, t.STRING] if elem == t.Int("u8") else []
            return [t.Ref(t.Slice(elem), False), *strings]
        case t.Adt("VecDeque" | "BinaryHeap", (elem,)):
            return [t.vec_of(elem)]
    return []


def is_error_box(ty: t.Ty) -> bool:
    """`Box<dyn Error>` (with or without `+ Send + Sync`)."""
    return isinstance(ty, t.Adt) and ty.name == "Box" and len(ty.args) == 1 and \
        isinstance(ty.args[0], t.Dyn) and "Error" in ty.args[0].traits


def user_from(env: ItemEnv, target: t.Ty, source: t.Ty) -> tuple[ImplInfo, dict[str, t.Ty]] | None:
    """The package's `impl From<source> for target`, with its generic parameters' values."""
    for impl in env.impls:
        if impl.trait != "From" or len(impl.trait_args) != 1:
            continue
        subst: dict[str, t.Ty] = {}
        params = frozenset(impl.generics)
        if traits.match_ty(impl.self_ty, target, params, subst) and \
                traits.match_ty(impl.trait_args[0], source, params, subst):
            return impl, subst
    return None


def user_sources(env: ItemEnv, target: t.Ty) -> list[t.Ty]:
    """The source types of the package's `From` impls for `target` (generic parameters of
    the impl left as `Param`s)."""
    out = []
    for impl in env.impls:
        if impl.trait != "From" or len(impl.trait_args) != 1:
            continue
        subst: dict[str, t.Ty] = {}
        if traits.match_ty(impl.self_ty, target, frozenset(impl.generics), subst):
            out.append(t.substitute(impl.trait_args[0], subst))
    return out


def sources(env: ItemEnv, target: t.Ty) -> list[t.Ty]:
    """Every type `target` converts from: itself, the package's impls, std's."""
    return [target, *user_sources(env, target), *std_sources(target)]


def converts(env: ItemEnv, target: t.Ty, source: t.Ty) -> bool:
    """Whether `target: From<source>` holds (both types known)."""
    if target == source or isinstance(target, t.Error) or isinstance(source, t.Error):
        return True
    if user_from(env, target, source) is not None:
        return True
    for impl in env.impls:  # `impl Into<Target> for Source`, which `x.into()` and bounds use
        subst: dict[str, t.Ty] = {}
        params = frozenset(impl.generics)
        if impl.trait == "Into" and len(impl.trait_args) == 1 and \
                traits.match_ty(impl.self_ty, source, params, subst) and \
                traits.match_ty(impl.trait_args[0], target, params, subst):
            return True
    if is_error_box(target):
        # `impl<E: Error> From<E> for Box<dyn Error>`, and from `&str` / `String`.
        return source in (t.STR_REF, t.STRING) or (
            isinstance(source, t.Adt) and (source.name in traits.STD_ERRORS or
                                           traits.impl_for(source, "Error", env) is not None))
    match target, source:
        case t.Adt("Vec" | "VecDeque" | "BinaryHeap" | "HashSet" | "BTreeSet", (elem,)), \
                t.Array(src_elem, _):
            return elem == src_elem
        case t.Adt("HashMap" | "BTreeMap", (key, value)), t.Array(src_elem, _):
            return src_elem == t.Tuple((key, value))
    return source in std_sources(target)


# std's collections made `From` an array of their elements (a map's: of (key, value)).
FROM_ARRAY: Final = frozenset({"Vec", "VecDeque", "BinaryHeap", "HashSet", "BTreeSet", "HashMap",
                        "BTreeMap"})


def array_elem_of(target: t.Adt) -> t.Ty | None:
    """The element type of an array `target` converts from (`HashMap<K, V>`: `(K, V)`)."""
    if target.name in ("HashMap", "BTreeMap"):
        return t.Tuple(target.args) if len(target.args) == 2 else None
    return target.args[0] if target.name in FROM_ARRAY and len(target.args) == 1 else None


def contains_param(ty: t.Ty) -> bool:
    """Whether an impl's generic parameter is left in `ty` (a candidate no use can fit)."""
    match ty:
        case t.Param():
            return True
        case t.Tuple(elems):
            return any(contains_param(e) for e in elems)
        case t.Array(elem, _) | t.Slice(elem) | t.Ref(elem, _):
            return contains_param(elem)
        case t.Adt(_, args):
            return any(contains_param(a) for a in args)
    return False


def could_be(pattern: t.Ty, ty: t.Ty) -> bool:
    """Whether `ty` (which may hold inference variables) may turn out to be `pattern`: an
    integer literal may be any integer type, an unknown type anything (on either side)."""
    if isinstance(pattern, t.Infer):
        if pattern.kind == "any" or isinstance(ty, t.Infer):
            return True
        return could_be(ty, pattern)  # a literal's variable against a known type
    match ty:
        case t.Infer(kind="int"):
            return isinstance(pattern, t.Int)
        case t.Infer(kind="float"):
            return isinstance(pattern, t.Float)
        case t.Infer():
            return True
    match pattern, ty:
        case t.Adt(n1, a1), t.Adt(n2, a2):
            return n1 == n2 and len(a1) == len(a2) and all(
                could_be(p, x) for p, x in zip(a1, a2, strict=True))
        case t.Ref(p, m1), t.Ref(x, m2):
            return m1 == m2 and could_be(p, x)
        case t.Tuple(ps), t.Tuple(xs):
            return len(ps) == len(xs) and all(could_be(p, x)
                                              for p, x in zip(ps, xs, strict=True))
        case (t.Slice(p), t.Slice(x)) | (t.Array(p, _), t.Array(x, _)):
            return could_be(p, x)
        case t.Param(), _:
            return True
    return pattern == ty
