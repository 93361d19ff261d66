"""Semantic types.

Types are immutable values compared structurally. `str(ty)` spells a type as rustc does in
its messages (`Vec<i32>`, `&mut String`, `{integer}` for an integer literal whose type is
not known yet).

Inference variables (`Infer`) exist only while a body is being checked: gust.sema.infer
replaces them by what they were unified with before results leave the checker.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import field
from typing import Any, Final

from gust.frozen import dataclass

INT_KINDS: Final = ("i8", "i16", "i32", "i64", "i128", "isize", "u8", "u16", "u32", "u64", "u128",
             "usize")
FLOAT_KINDS: Final = ("f32", "f64")




class Composite:
    """The composite types (tuples, arrays, slices, references, named types, trait objects,
    function pointers, closures). A composite type's hash is computed once and kept (in
    its `_hash` field), and its equality compares each pair of shared components once
    (`_same`): a walk of a type's tree would be exponential for types built from each
    other (`let b = (a, a);` has a tree twice `a`'s), and the caches keyed by types hash
    and compare them. Pickled by its constructor (`__reduce__`), so the kept hash is not:
    string hashes differ between processes.

    A base class, not a decorator, so that the compiled build makes these types native
    classes (mypyc leaves a class with two decorators to the interpreter: its values were
    built by an interpreted `__init__`, and every field read was a dictionary lookup).
    Each subclass is a frozen dataclass with `eq=False` (these methods are its equality
    and hash), a `_hash` field that is neither compared nor given (`init=False`), and
    `parts`."""

    __slots__ = ()

    def parts(self) -> tuple[Any, ...]:
        """The fields but `_hash`, in order: the constructor's arguments."""
        raise NotImplementedError

    def __hash__(self) -> int:
        found: int = getattr(self, "_hash", 0)
        if not found:
            found = hash((type(self).__name__, *self.parts())) or 1
            object.__setattr__(self, "_hash", found)
        return found

    def __eq__(self, other: object) -> bool:
        if self is other:
            return True
        if other.__class__ is not self.__class__ or not isinstance(other, Composite):
            return NotImplemented
        mine: int = getattr(self, "_hash", 0)
        theirs: int = getattr(other, "_hash", 0)
        if mine and theirs and mine != theirs:
            return False
        small = _small_equal(self, other, [_SMALL])
        return _same(self, other) if small is None else small

    def __reduce__(self) -> tuple[Any, ...]:
        return (self.__class__, self.parts())


# How many composite components `_small_equal` compares before handing over to `_same`.
_SMALL: Final = 32


def _small_equal(x: Composite, y: Composite, fuel: list[int]) -> bool | None:
    """Equality of two composite types of the same class by plain recursion (fast for the
    small types nearly all comparisons are about); None when it used up `fuel`."""
    fuel[0] -= 1
    if fuel[0] < 0:
        return None
    for u, v in zip(x.parts(), y.parts(), strict=True):
        if u is v:
            continue
        if isinstance(u, tuple):
            if not isinstance(v, tuple) or len(u) != len(v):
                return False
            pairs = list(zip(u, v, strict=True))
        else:
            pairs = [(u, v)]
        for p, q in pairs:
            if p is q:
                continue
            if p.__class__ is not q.__class__:
                return False
            if isinstance(p, Composite):
                found = _small_equal(p, q, fuel)
                if found is not True:
                    return found
            elif p != q:
                return False
    return True


def _same(a: Any, b: Any) -> bool:
    """Structural equality of two composite types of the same class, each pair of shared
    components compared once (a tree walk would be exponential in the types of values
    built from each other); two types with different kept hashes differ."""
    done: set[tuple[int, int]] = set()
    pending = [(a, b)]
    while pending:
        x, y = pending.pop()
        if x is y:
            continue
        if x.__class__ is not y.__class__:
            return False
        if not isinstance(x, Composite) or not isinstance(y, Composite):
            if x != y:  # a type without components: plain fields
                return False
            continue
        mine: int = getattr(x, "_hash", 0)
        theirs: int = getattr(y, "_hash", 0)
        if mine and theirs and mine != theirs:
            return False
        if (id(x), id(y)) in done:
            continue
        done.add((id(x), id(y)))
        for u, v in zip(x.parts(), y.parts(), strict=True):
            if isinstance(u, tuple):
                if not isinstance(v, tuple) or len(u) != len(v):
                    return False
                pending.extend(zip(u, v, strict=True))
            elif isinstance(u, Composite) or isinstance(v, Composite):
                pending.append((u, v))
            elif u != v:
                return False
    return True


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


@dataclass(frozen=True, eq=False, slots=True)
class Tuple(Composite):
    """The unit type `()` is the empty tuple."""

    elems: tuple[Ty, ...]
    # (Composite)
    _hash: int = field(default=0, init=False, repr=False, compare=False)

    def parts(self) -> tuple[Any, ...]:
        return (self.elems,)

    def __str__(self) -> str:
        return spell(self)


@dataclass(frozen=True, eq=False, slots=True)
class Array(Composite):
    elem: Ty
    length: int
    # (Composite)
    _hash: int = field(default=0, init=False, repr=False, compare=False)

    def parts(self) -> tuple[Any, ...]:
        return (self.elem, self.length)

    def __str__(self) -> str:
        return spell(self)


@dataclass(frozen=True, eq=False, slots=True)
class Slice(Composite):
    elem: Ty
    # (Composite)
    _hash: int = field(default=0, init=False, repr=False, compare=False)

    def parts(self) -> tuple[Any, ...]:
        return (self.elem,)

    def __str__(self) -> str:
        return spell(self)


@dataclass(frozen=True, eq=False, slots=True)
class Ref(Composite):
    inner: Ty
    mutable: bool
    # (Composite)
    _hash: int = field(default=0, init=False, repr=False, compare=False)

    def parts(self) -> tuple[Any, ...]:
        return (self.inner, self.mutable)

    def __str__(self) -> str:
        return spell(self)


@dataclass(frozen=True, eq=False, slots=True)
class Adt(Composite):
    """A named type with type arguments: user structs and enums, and the std types
    `String`, `Vec<T>`, `Option<T>`, `Result<T, E>`, `HashMap<K, V>`, `Box<T>`, ...
    (which the checker knows from gust.sema.builtins)."""

    name: str
    args: tuple[Ty, ...] = ()
    # (Composite)
    _hash: int = field(default=0, init=False, repr=False, compare=False)

    def parts(self) -> tuple[Any, ...]:
        return (self.name, self.args)

    def __str__(self) -> str:
        return spell(self)

    @property
    def shown_name(self) -> str:
        """The name as messages show it: `go:net/http.Response` reads `http::Response`
        (gust.sema.golang)."""
        if not self.name.startswith("go:"):
            # A function body's item keyed by its scope (`main#::Entry`, an inner block's
            # `main#::1#::Entry`): `main::Entry`, rustc's path of it.
            return _BLOCK_SCOPE.sub("", self.name).replace("#::", "::") \
                if "#" in self.name else self.name
        path, _, member = self.name[3:].rpartition(".")
        return f"{path.rsplit('/', 1)[-1]}::{member}"


# The scope of an inner block in a key (gust.sema.modules.block_scopes), which rustc's
# paths do not show.
_BLOCK_SCOPE: Final = re.compile(r"(?<=#::)[0-9]+#::")


@dataclass(frozen=True, slots=True)
class Param:
    """A generic type parameter (`T`) inside the item that declares it."""

    name: str

    def __str__(self) -> str:
        return self.name


@dataclass(frozen=True, eq=False, slots=True)
class Dyn(Composite):
    """A trait object `dyn A + B` (unsized: used behind `&` or `Box`), or, with `opaque`,
    the hidden type of an `impl A` return type as callers see it: only the traits'
    methods are usable on it."""

    traits: tuple[str, ...]
    opaque: bool = False
    # For `dyn Fn(A) -> R` / `impl Fn(A) -> R`: the call signature.
    call: FnPtr | None = None
    # `dyn Container<Item = i32>`, `dyn Source<Item = T>`: the trait's associated types
    # (`sema.items._lower_dyn`; components of the type, as `call`'s are).
    assoc: tuple[tuple[str, Ty], ...] = ()
    # (Composite)
    _hash: int = field(default=0, init=False, repr=False, compare=False)

    def parts(self) -> tuple[Any, ...]:
        return (self.traits, self.opaque, self.call, self.assoc)

    def __str__(self) -> str:
        return spell(self)


@dataclass(frozen=True, eq=False, slots=True)
class FnPtr(Composite):
    params: tuple[Ty, ...]
    ret: Ty
    # (Composite)
    _hash: int = field(default=0, init=False, repr=False, compare=False)

    def parts(self) -> tuple[Any, ...]:
        return (self.params, self.ret)

    def __str__(self) -> str:
        return spell(self)


@dataclass(frozen=True, eq=False, slots=True)
class Closure(Composite):
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
    # (Composite)
    _hash: int = field(default=0, init=False, repr=False, compare=False)

    def parts(self) -> tuple[Any, ...]:
        return (self.id, self.params, self.ret, self.kind, self.captures, self.copy)

    def __str__(self) -> str:
        return "{closure}"

    @property
    def fn_ptr(self) -> FnPtr:
        return FnPtr(self.params, self.ret)


# The longest spelling of a type (`spell`): longer ones end with `…`. Real types are far
# shorter; types built from each other (`let b = (a, a);` over and over) double at each
# step, and spelling them whole would take exponential time and memory.
LONGEST_SPELLING: Final = 10_000


class _TooLong(Exception):
    pass


def spell(ty: Ty, longest: int = LONGEST_SPELLING,
          name_of: Callable[[Adt], str] | None = None,
          hidden: Mapping[str, int] | None = None) -> str:
    """`ty` as rustc writes it in messages (`Vec<(i32, &str)>`, `&mut String`), cut after
    `longest` characters (with `…`). `name_of` names named types (default: their
    `shown_name`); `hidden` says how many of a named type's last arguments are its hidden
    parameters' (`Cursor<Shelf>`, not `Cursor<Shelf, String>`: sema.items.Hidden)."""
    out: list[str] = []
    size = 0

    def put(text: str) -> None:
        nonlocal size
        out.append(text)
        size += len(text)
        if size > longest:
            raise _TooLong

    def each(types: tuple[Ty, ...]) -> None:
        for i, part in enumerate(types):
            if i:
                put(", ")
            write(part)

    def write(node: Ty) -> None:
        match node:
            case Tuple(elems):
                put("(")
                each(elems)
                put(",)" if len(elems) == 1 else ")")
            case Array(elem, n):
                put("[")
                write(elem)
                put(f"; {n}]")
            case Slice(elem):
                put("[")
                write(elem)
                put("]")
            case Ref(inner, mutable):
                put("&mut " if mutable else "&")
                write(inner)
            case Adt(name, args):
                put(node.shown_name if name_of is None else name_of(node))
                if hidden and name in hidden:
                    args = args[:len(args) - hidden[name]]
                if args:
                    put("<")
                    each(args)
                    put(">")
            case Dyn(traits, opaque, call):
                put("impl " if opaque else "dyn ")
                for i, name in enumerate(traits):
                    put(" + " if i else "")
                    put(name)
                    if call is not None and name in CLOSURE_KINDS:
                        # `Fn(i32) -> i32`, as rustc prints a callable trait.
                        put("(")
                        each(call.params)
                        put(")")
                        if call.ret != UNIT:
                            put(" -> ")
                            write(call.ret)
                    if node.assoc and i == 0:
                        put("<")  # `dyn Container<Item = i32>`
                        for j, (assoc_name, assoc_ty) in enumerate(node.assoc):
                            put((", " if j else "") + assoc_name + " = ")
                            write(assoc_ty)
                        put(">")
            case FnPtr(params, ret):
                put("fn(")
                each(params)
                put(")")
                if ret != UNIT:
                    put(" -> ")
                    write(ret)
            case _:
                put(str(node))

    try:
        write(ty)
    except _TooLong:
        return "".join(out)[:longest] + "…"
    return "".join(out)


CLOSURE_KINDS: Final = ("Fn", "FnMut", "FnOnce")


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

UNIT: Final = Tuple(())
BOOL: Final = Bool()
CHAR: Final = Char()
STR: Final = Str()
NEVER: Final = Never()
ERROR: Final = Error()
I32: Final = Int("i32")
I64: Final = Int("i64")
USIZE: Final = Int("usize")
F64: Final = Float("f64")
STRING: Final = Adt("String")
STR_REF: Final = Ref(STR, False)
# `std::fmt`: what `impl Display`'s `fmt` takes and returns.
FORMATTER: Final = Adt("Formatter")
FMT_ERROR: Final = Adt("std::fmt::Error")
FMT_RESULT: Final = Adt("Result", (UNIT, FMT_ERROR))

PRIMITIVES: Final[dict[str, Ty]] = {
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
    """Whether `ty` mentions an inference variable. Each shared component is looked at
    once (a type built by `let b = (a, a);` lets over lets is a DAG exponentially smaller
    than its tree)."""
    return _contains_infer(ty, set())


def _contains_infer(ty: Ty, seen: set[int]) -> bool:
    if isinstance(ty, Infer):
        return True
    if not has_components(ty) or id(ty) in seen:
        return False  # (a component seen before had no variable, or we would have stopped)
    seen.add(id(ty))
    return any(_contains_infer(c, seen) for c in components(ty))


_COMPOSITE: Final = (Tuple, Array, Slice, Ref, FnPtr, Closure)


def has_components(ty: Ty) -> bool:
    """Whether `ty` is made of other types (`components`)."""
    return isinstance(ty, _COMPOSITE) or (isinstance(ty, Adt) and bool(ty.args)) or (
        isinstance(ty, Dyn) and (ty.call is not None or bool(ty.assoc)))


def components(ty: Ty) -> tuple[Ty, ...]:
    """The types `ty` is directly made of (a closure's parameters and result; those of a
    `dyn Fn(A) -> R`'s or an `impl Fn(A) -> R`'s call signature, which name the type
    parameters of a generic signature like any other type, then a `dyn`'s associated
    types: `T` of `dyn Source<Item = T>`)."""
    match ty:
        case Tuple(elems):
            return elems
        case Array(elem, _) | Slice(elem) | Ref(elem, _):
            return (elem,)
        case Adt(_, args):
            return args
        case FnPtr(params, ret) | Closure(_, params, ret):
            return (*params, ret)
        case Dyn(call=FnPtr(params, ret), assoc=assoc):
            return (*params, ret, *(a for _, a in assoc))
        case Dyn(assoc=assoc):
            return tuple(a for _, a in assoc)
    return ()


def map_components(ty: Ty, f: Callable[[Ty], Ty]) -> Ty:
    """`ty` with `f` applied to each of its `components`; `ty` itself when `f` changed
    none of them, so that shared components stay shared (and compare by identity)."""
    old = components(ty)
    if not old:
        return ty
    new = tuple(f(c) for c in old)
    if all(a is b for a, b in zip(old, new, strict=True)):
        return ty
    match ty:
        case Tuple():
            return Tuple(new)
        case Array(_, n):
            return Array(new[0], n)
        case Slice():
            return Slice(new[0])
        case Ref(_, m):
            return Ref(new[0], m)
        case Adt(name, _):
            return Adt(name, new)
        case FnPtr():
            return FnPtr(new[:-1], new[-1])
        case Closure():
            return Closure(ty.id, new[:-1], new[-1], ty.kind, ty.captures, ty.copy)
        case Dyn():
            n = len(new) - len(ty.assoc)
            assoc = tuple((name, a) for (name, _), a in zip(ty.assoc, new[n:], strict=True))
            call = FnPtr(new[:n - 1], new[n - 1]) if ty.call is not None else None
            return Dyn(ty.traits, ty.opaque, call, assoc)
    return ty


# What `map_shared` calls on each type: the type to use instead (not walked further; the
# second argument maps a type the same way, with the same memo), or None to map its
# components.
Replace = Callable[[Ty, Callable[[Ty], Ty]], "Ty | None"]


def map_shared(ty: Ty, replace: Replace, poll: Callable[[], None] | None = None) -> Ty:
    """`ty` with parts replaced by `replace`, rebuilding only what changed. A component
    shared by several parents is mapped once and stays shared, so the work is linear in the
    number of distinct components, not in the size of the tree (`let b = (a, a);` lets
    over lets make types whose trees are exponentially large). `poll` (a time budget's) is
    called at each step."""
    # By id: every type mapped is reachable from `ty` (or from what `replace` keeps, a
    # substitution), so it stays alive during the call and its id is not reused.
    memo: dict[int, Ty] = {}

    def go(node: Ty) -> Ty:
        if poll is not None:
            poll()
        instead = replace(node, go)
        if instead is not None:
            return instead
        if not has_components(node):
            return node
        found = memo.get(id(node))
        if found is None:
            found = memo[id(node)] = map_components(node, go)
        return found

    return go(ty)


def without_hidden(ty: Ty, hidden: Mapping[str, int]) -> Ty:
    """`ty` as written: the package's generic types without the arguments of their hidden
    parameters (`Cursor<Shelf>` of `Cursor<Shelf, String>`, sema.items.Hidden; `hidden`
    says how many each type has), for text that becomes code (an inlay hint's)."""
    if not hidden:
        return ty

    def cut(node: Ty, go: Callable[[Ty], Ty]) -> Ty | None:
        if isinstance(node, Adt) and node.name in hidden:
            kept = node.args[:len(node.args) - hidden[node.name]]
            return Adt(node.name, tuple(go(a) for a in kept))
        return None

    return map_shared(ty, cut)


def substitute(ty: Ty, subst: dict[str, Ty]) -> Ty:
    """Replace generic parameters by name (not inside what replaces them)."""
    if not subst:
        return ty
    if isinstance(ty, Param):
        return subst.get(ty.name, ty)
    if not has_components(ty):
        return ty

    def replace(node: Ty, _: Callable[[Ty], Ty]) -> Ty | None:
        return subst.get(node.name, node) if isinstance(node, Param) else None

    return map_shared(ty, replace)


def map_closure(ty: Closure, f: Callable[[Ty], Ty]) -> Closure:
    """The closure type with `f` applied to its parameter and return types."""
    return Closure(ty.id, tuple(f(p) for p in ty.params), f(ty.ret), ty.kind, ty.captures,
                   ty.copy)


def params_in(ty: Ty) -> set[str]:
    """The names of the generic parameters `ty` mentions (each shared component looked at
    once)."""
    names: set[str] = set()
    seen: set[int] = set()
    pending = [ty]
    while pending:
        node = pending.pop()
        if isinstance(node, Param):
            names.add(node.name)
        elif isinstance(node, Closure):
            continue  # (as before: a closure's types are its own)
        elif has_components(node) and id(node) not in seen:
            seen.add(id(node))
            pending.extend(components(node))
    return names
