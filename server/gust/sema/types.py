"""Semantic types.

Types are immutable values compared structurally. `str(ty)` spells a type as rustc does in
its messages (`Vec<i32>`, `&mut String`, `{integer}` for an integer literal whose type is
not known yet).

Inference variables (`Infer`) exist only while a body is being checked: gust.sema.infer
replaces them by what they were unified with before results leave the checker.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

INT_KINDS = ("i8", "i16", "i32", "i64", "i128", "isize", "u8", "u16", "u32", "u64", "u128",
             "usize")
FLOAT_KINDS = ("f32", "f64")


@dataclass(frozen=True, slots=True)
class Int:
    kind: str  # one of INT_KINDS

    def __str__(self) -> str:
        return self.kind

    @property
    def signed(self) -> bool:
        return self.kind.startswith("i")

    @property
    def bits(self) -> int:
        return 64 if self.kind.endswith("size") else int(self.kind[1:])


@dataclass(frozen=True, slots=True)
class Float:
    kind: str  # f32 or f64

    def __str__(self) -> str:
        return self.kind


@dataclass(frozen=True, slots=True)
class Bool:
    def __str__(self) -> str:
        return "bool"


@dataclass(frozen=True, slots=True)
class Char:
    def __str__(self) -> str:
        return "char"


@dataclass(frozen=True, slots=True)
class Str:
    """The unsized `str`; string literals are `&str` = `Ref(Str())`."""

    def __str__(self) -> str:
        return "str"


@dataclass(frozen=True, slots=True)
class Never:
    def __str__(self) -> str:
        return "!"


@dataclass(frozen=True, slots=True)
class Tuple:
    """The unit type `()` is the empty tuple."""

    elems: tuple[Ty, ...]

    def __str__(self) -> str:
        if len(self.elems) == 1:
            return f"({self.elems[0]},)"
        return "(" + ", ".join(str(e) for e in self.elems) + ")"


@dataclass(frozen=True, slots=True)
class Array:
    elem: Ty
    length: int

    def __str__(self) -> str:
        return f"[{self.elem}; {self.length}]"


@dataclass(frozen=True, slots=True)
class Slice:
    elem: Ty

    def __str__(self) -> str:
        return f"[{self.elem}]"


@dataclass(frozen=True, slots=True)
class Ref:
    inner: Ty
    mutable: bool

    def __str__(self) -> str:
        return f"&mut {self.inner}" if self.mutable else f"&{self.inner}"


@dataclass(frozen=True, slots=True)
class Adt:
    """A named type with type arguments: user structs and enums, and the std types
    `String`, `Vec<T>`, `Option<T>`, `Result<T, E>`, `HashMap<K, V>`, `Box<T>`, ...
    (which the checker knows from gust.sema.builtins)."""

    name: str
    args: tuple[Ty, ...] = ()

    def __str__(self) -> str:
        name = self.name
        if name.startswith("go:"):
            # `go:net/http.Response` reads `http::Response` (gust.sema.golang).
            path, _, member = name[3:].rpartition(".")
            name = f"{path.rsplit('/', 1)[-1]}::{member}"
        if not self.args:
            return name
        return f"{name}<" + ", ".join(str(a) for a in self.args) + ">"


@dataclass(frozen=True, slots=True)
class Param:
    """A generic type parameter (`T`) inside the item that declares it."""

    name: str

    def __str__(self) -> str:
        return self.name


@dataclass(frozen=True, slots=True)
class Dyn:
    """A trait object `dyn A + B` (unsized: used behind `&` or `Box`), or, with `opaque`,
    the hidden type of an `impl A` return type as callers see it: only the traits'
    methods are usable on it."""

    traits: tuple[str, ...]
    opaque: bool = False
    # For `dyn Fn(A) -> R` / `impl Fn(A) -> R`: the call signature.
    call: FnPtr | None = None

    def __str__(self) -> str:
        return ("impl " if self.opaque else "dyn ") + " + ".join(
            self._call_text(name) for name in self.traits)

    def _call_text(self, name: str) -> str:
        """`Fn() -> i32` for a callable trait with its signature, as rustc prints it."""
        if self.call is None or name not in ("Fn", "FnMut", "FnOnce"):
            return name
        args = ", ".join(str(p) for p in self.call.params)
        ret = self.call.ret
        return f"{name}({args})" if ret == UNIT else f"{name}({args}) -> {ret}"


@dataclass(frozen=True, slots=True)
class FnPtr:
    params: tuple[Ty, ...]
    ret: Ty

    def __str__(self) -> str:
        params = ", ".join(str(p) for p in self.params)
        if self.ret == UNIT:
            return f"fn({params})"
        return f"fn({params}) -> {self.ret}"


@dataclass(frozen=True, slots=True)
class Closure:
    """The type of one closure expression: every closure has a type of its own, as in rustc
    (which prints `{closure@src/main.rs:4:13}`).

    `id` is the closure's start offset in its item (unique within a body). `kind` is the
    most general call trait the body allows, decided from how it uses its captures:
    "Fn" (reads them), "FnMut" (mutates them) or "FnOnce" (moves them out). A closure that
    captures nothing coerces to a `fn` pointer; one whose captures are all shared
    references or Copy values is itself Copy (`copy`)."""

    id: int
    params: tuple[Ty, ...]
    ret: Ty
    kind: str = "Fn"
    captures: bool = False
    copy: bool = True

    def __str__(self) -> str:
        return "{closure}"

    @property
    def fn_ptr(self) -> FnPtr:
        return FnPtr(self.params, self.ret)


CLOSURE_KINDS = ("Fn", "FnMut", "FnOnce")


def closure_implements(kind: str, required: str) -> bool:
    """Whether a closure of `kind` implements the call trait `required`: every `Fn` closure
    is also `FnMut` and `FnOnce`, every `FnMut` closure also `FnOnce`."""
    return CLOSURE_KINDS.index(kind) <= CLOSURE_KINDS.index(required)


@dataclass(frozen=True, slots=True)
class Infer:
    """An inference variable; `kind` is "any", "int" ({integer}) or "float" ({float})."""

    id: int
    kind: str = "any"

    def __str__(self) -> str:
        if self.kind == "int":
            return "{integer}"
        if self.kind == "float":
            return "{float}"
        return "_"


@dataclass(frozen=True, slots=True)
class Error:
    """The type of an expression that already has an error: unifies with everything, so
    one mistake gives one diagnostic."""

    def __str__(self) -> str:
        return "{error}"


Ty = (
    Int | Float | Bool | Char | Str | Never | Tuple | Array | Slice | Ref | Adt | Param | FnPtr
    | Closure | Dyn | Infer | Error
)

UNIT = Tuple(())
BOOL = Bool()
CHAR = Char()
STR = Str()
NEVER = Never()
ERROR = Error()
I32 = Int("i32")
I64 = Int("i64")
USIZE = Int("usize")
F64 = Float("f64")
STRING = Adt("String")
STR_REF = Ref(STR, False)
# `std::fmt`: what `impl Display`'s `fmt` takes and returns.
FORMATTER = Adt("Formatter")
FMT_ERROR = Adt("std::fmt::Error")
FMT_RESULT = Adt("Result", (UNIT, FMT_ERROR))

PRIMITIVES: dict[str, Ty] = {
    **{k: Int(k) for k in INT_KINDS},
    **{k: Float(k) for k in FLOAT_KINDS},
    "bool": BOOL,
    "char": CHAR,
    "str": STR,
}


def vec_of(elem: Ty) -> Adt:
    return Adt("Vec", (elem,))


def is_integral(ty: Ty) -> bool:
    return isinstance(ty, Int) or (isinstance(ty, Infer) and ty.kind == "int")


def is_floating(ty: Ty) -> bool:
    return isinstance(ty, Float) or (isinstance(ty, Infer) and ty.kind == "float")


def is_numeric(ty: Ty) -> bool:
    return is_integral(ty) or is_floating(ty)


def contains_infer(ty: Ty) -> bool:
    match ty:
        case Infer():
            return True
        case Tuple(elems):
            return any(contains_infer(e) for e in elems)
        case Array(elem, _) | Slice(elem):
            return contains_infer(elem)
        case Ref(inner, _):
            return contains_infer(inner)
        case Adt(_, args):
            return any(contains_infer(a) for a in args)
        case FnPtr(params, ret) | Closure(_, params, ret):
            return any(contains_infer(p) for p in params) or contains_infer(ret)
    return False


def substitute(ty: Ty, subst: dict[str, Ty]) -> Ty:
    """Replace generic parameters by name."""
    if not subst:
        return ty
    match ty:
        case Param(name):
            return subst.get(name, ty)
        case Tuple(elems):
            return Tuple(tuple(substitute(e, subst) for e in elems))
        case Array(elem, n):
            return Array(substitute(elem, subst), n)
        case Slice(elem):
            return Slice(substitute(elem, subst))
        case Ref(inner, m):
            return Ref(substitute(inner, subst), m)
        case Adt(name, args):
            return Adt(name, tuple(substitute(a, subst) for a in args))
        case FnPtr(params, ret):
            return FnPtr(tuple(substitute(p, subst) for p in params), substitute(ret, subst))
        case Closure():
            return map_closure(ty, lambda x: substitute(x, subst))
    return ty


def map_closure(ty: Closure, f: Callable[[Ty], Ty]) -> Closure:
    """The closure type with `f` applied to its parameter and return types."""
    return Closure(ty.id, tuple(f(p) for p in ty.params), f(ty.ret), ty.kind, ty.captures,
                   ty.copy)


def params_in(ty: Ty) -> set[str]:
    """The names of the generic parameters `ty` mentions."""
    match ty:
        case Param(name):
            return {name}
        case Tuple(elems):
            return set().union(*(params_in(e) for e in elems)) if elems else set()
        case Array(elem, _) | Slice(elem) | Ref(elem, _):
            return params_in(elem)
        case Adt(_, args):
            return set().union(*(params_in(a) for a in args)) if args else set()
        case FnPtr(params, ret):
            return set().union(params_in(ret), *(params_in(p) for p in params))
    return set()
