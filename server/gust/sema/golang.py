"""Go packages in Gust: the exported API of a Go package, and the Gust types it has.

`use go "net/http";` makes the Go package `net/http` available as `http` (`use go
"encoding/json" as js;` names it `js`); Gust code then calls `http::Get(url)`, uses Go's
types, their methods and their fields. This module is the reference for what a Go
declaration looks like from Gust. It is pure data: gust.project.gopackages loads packages
(from an on-disk cache, through the Go toolchain, or from the stubs shipped with Gust) and
the analysis reads them through the functions here.

Type identity
-------------
A Go named type `T` declared in the package with import path `p` is the Gust type
`Adt("go:p.T")` (`go_type_name`), with type arguments for a generic type. The import path,
not the alias, is the identity: two files importing `net/http` under different names see
the same `go:net/http.Response`, and types of packages that were never imported (`io/fs`,
reached through `os.FileMode`) still have one. Messages show such a type as
`alias::T` (`display_type`: `http::Response`), using the alias of the importing file, or
the last element of the path when the package is not imported (`fs::FileMode`). Go type
aliases are resolved: `os.FileMode` *is* `go:io/fs.FileMode`.

Three positions
---------------
A Go type maps to a Gust type according to where it appears:

- *value* (V): an element of a slice, map, array, channel or pointer; the `T` of a
  `(T, error)` or `(T, bool)` result; a package-level variable; a constant;
- *result* (R): a single result, each element of a multi-result tuple, a struct field.
  As V, except that a Go value that may be nil (a pointer, an interface, `error`) is an
  `Option`. Nil slices and maps read as empty, so they are not wrapped;
- *parameter* (P): what a Gust caller passes. Parameters are borrowed, as in a Rust
  function taking `&str` or `&[T]`: Go cannot take ownership of a Gust value.

| Go                                   | V                          | R                      | P                    |
|--------------------------------------|----------------------------|------------------------|----------------------|
| `bool`                               | `bool`                     | `bool`                 | `bool`               |
| `int`, `uint`, `uintptr`             | `isize`, `u64`, `usize`    | same                   | same                 |
| `int8`..`int64`, `uint8`..`uint64`   | `i8`..`i64`, `u8`..`u64`   | same                   | same                 |
| `byte`, `rune`                       | `u8`, `char`               | same                   | same                 |
| `float32`, `float64`                 | `f32`, `f64`               | same                   | same                 |
| `complex64`, `complex128`            | `GoComplex64`, `GoComplex128` | same                | same                 |
| `string`                             | `String`                   | `String`               | `&str`               |
| `[]T`                                | `Vec<V(T)>`                | `Vec<V(T)>`            | `&[V(T)]`            |
| `[N]T`                               | `[V(T); N]`                | same                   | same                 |
| `map[K]E`                            | `HashMap<V(K), V(E)>`      | same                   | `&HashMap<..>`       |
| `*T`                                 | `Box<V(T)>`                | `Option<Box<V(T)>>`    | `&mut V(T)`          |
| `chan T`, `<-chan T`, `chan<- T`     | `chan<V(T)>`               | same                   | same                 |
| `func(A, B) R`                       | `fn(P(A), P(B)) -> Res(R)` | same                   | same                 |
| `struct{}`; other unnamed structs    | `()`; `GoStruct` (opaque)  | same                   | same                 |
| `any`, other unnamed interfaces      | `GoAny`                    | `Option<GoAny>`        | `GoAny`              |
| `error`                              | `GoError`                  | `Option<GoError>`      | `GoError`            |
| named type `p.T` (not an interface)  | `go:p.T`                   | `go:p.T`               | `go:p.T`             |
| named interface `p.I`                | `go:p.I`                   | `Option<go:p.I>`       | `go:p.I`             |
| type parameter `T`                   | `T`                        | `T`                    | `T`                  |
| `unsafe.Pointer`                     | `GoUnsafePointer` (opaque) | same                   | same                 |

`Res(R)` is the return type of the result list (see "Results"); `GoComplex64`,
`GoComplex128`, `GoStruct` and `GoUnsafePointer` are opaque (they can be passed along,
nothing else). `chan<T>` keeps no direction; the Go model (`GoChan.dir`) has it.

Why these choices:

- Go's `int` is `isize`: Gust compiles `isize` to Go's `int` (gust.codegen.gotypes), so
  values cross without conversions, and it is signed, as Go's `int` is (`strings.Index`
  returns -1). `uint` is `u64` because `usize` compiles to Go's (signed) `int`.
- `*T` is `Box<T>`: an owned pointer that Gust's field access and method calls see
  through, compiled to Go's `*T`. As a parameter it is `&mut T`, because Go may write
  through it.
- A `[]T` parameter is `&[T]`: `&v` and `&mut v` both pass. Go may write into the
  elements (`io.Reader.Read` does); the checker treats the call as a shared borrow.

Results
-------
A Go function's results become one Gust return type:

| Go results                         | Gust                                          |
|------------------------------------|-----------------------------------------------|
| none                               | `()`                                          |
| `(error)`                          | `Result<(), GoError>`                         |
| `(T)`                              | `R(T)`                                        |
| `(T, error)`                       | `Result<V(T), GoError>`                       |
| `(T, error)` of `Read`, `ReadString`.. | `(V(T), Result<(), GoError>)`             |
| `(T1, .., Tn, error)`              | `Result<(V(T1), .., V(Tn)), GoError>`         |
| `(T, bool)`                        | `Option<V(T)>`                                |
| any other `(T1, .., Tn)`           | `(R(T1), .., R(Tn))`                          |

`(T, error)` uses V, not R: Go's convention is that the value is valid when the error is
nil, so `http.Get` is `Result<Box<http::Response>, GoError>` and
`http::Get(url)?.StatusCode` reads a field without unwrapping twice. The same holds for
`(T, bool)` (`os.LookupEnv` is `Option<String>`).

The exception: methods whose value counts *beside* the error, by Go's documented contract
for reading to the end of input (`PARTIAL_RESULT_METHODS`, matched by name and Go
signature: `Read(p []byte) (int, error)` of every `io.Reader`, `ReadAt`, and the
`ReadString`/`ReadBytes`/`ReadSlice` of `bufio.Reader` and `bytes.Buffer`). An `io.Reader`
may return `n > 0` bytes together with `io.EOF`, `ReadString` the last line without its
delimiter with `io.EOF`; a `Result` would lose them. They are `(V(T), Result<(), GoError>)`,
Go's `n, err` as a pair: `let (n, res) = r.Read(&mut buf);`. Functions that return a value
with an error only on failure stay `Result`: `io.ReadFull` (`ErrUnexpectedEOF`), `io.Copy`,
`Write` (a short write's count), `strconv.ParseInt` (the clamped value of a range error).

A lone `error` result means failure, except for the functions whose job is to make or take
apart errors: `errors.New` and `fmt.Errorf` return `GoError`; `errors.Join`,
`errors.Unwrap`, `context.Cause` and every method named `Unwrap` return `Option<GoError>`.

Functions, methods, fields, constants, variables
------------------------------------------------
- `gust_signature(package_path, func)`: parameter types (P), the return type (the table
  above) and whether the function is variadic: Go's `...T` is a last parameter that
  repeats, and `params[-1]` is the type of one element (P(T)): `fmt::Println(a, b)`.
- `gust_method_signature(method)`: as a function, with the receiver: a method with a value
  receiver takes `&self`, one with a pointer receiver `&mut self` (Go may modify the
  receiver; `(*strings.Builder).WriteString`). A type's methods include those promoted
  from embedded fields (marked `promoted`); an interface's are its method set.
- `gust_field_type(field)`: R of the field's type (`http.Response.StatusCode` is `isize`,
  `http.Request.URL` is `Option<Box<url::URL>>`). Only exported fields are listed; an
  embedded field is named after its type.
- `gust_const_type(const)`: V of its type; an untyped constant takes Go's default type
  (`untyped int` -> `isize`, `untyped float` -> `f64`, `untyped rune` -> `char`,
  `untyped string` -> `&str`, `untyped bool` -> `bool`).
- `gust_var_type(var)`: V of its type. Package-level variables are not wrapped in
  `Option`: the standard library initialises them (`os.Stdout`, `io.EOF`,
  `http.DefaultClient`).

Not covered yet
---------------
- Passing nil: parameters are never `Option` (`http.NewRequest(m, url, nil)` has no
  spelling yet); `is_nilable` tells which parameters could accept `None`.
- Go results that carry a value *and* an error on failure (a short `Write`'s count,
  `strconv.ParseInt`'s clamped value) lose the value in `Result`; the readers' contract
  is kept (see "Results").
- Fields promoted from embedded structs are reached through the embedded field (methods
  are promoted). The methods and fields of a type from another package (`url::URL` in
  `http::Request`) need that package loaded: the analysis loads the packages an imported
  package names (`GoPackage.referenced_packages`), one level deep.
- Untyped constants beyond `isize` (`math.MaxUint64`) have the type Go would refuse too.

The data model
--------------
`GoPackage(path, name, funcs, types, consts, vars)`, each tuple sorted by name;
`GoFunc(name, params, results, variadic, doc, type_params)`;
`GoNamedType(name, underlying, methods, doc, type_params, alias_of)`;
`GoMethod(.., pointer_receiver, promoted)`; struct fields `GoField(name, type, embedded,
doc)`; `GoConst(name, type, value, doc)`; `GoVar(name, type, doc)`. Go types (`GoType`):
`GoBasic` (incl. `byte`, `rune` and the untyped kinds), `GoErrorType`, `GoNamed`,
`GoPointer`, `GoSlice`, `GoArray`, `GoMap`, `GoChan`, `GoFuncType`, `GoStruct`,
`GoInterface` (the empty one is `any`), `GoTypeParamRef` and `GoUnion` (in constraints).
`package_from_json` / `package_to_json` / `dumps_package` read and write the JSON the Go
helper (gust/project/gotypes_helper/main.go) prints and the shipped stubs hold.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import field
from typing import Final

from gust.frozen import dataclass
from gust.sema import types as t

# ============================================================== Go types


@dataclass(frozen=True, slots=True)
class GoBasic:
    """A predeclared type: `int`, `string`, `byte`, `untyped int`, `unsafe.Pointer`..."""

    name: str


@dataclass(frozen=True, slots=True)
class GoErrorType:
    """Go's predeclared `error` interface."""


@dataclass(frozen=True, slots=True)
class GoNamed:
    """A reference to a declared type: `path` is the declaring package's import path."""

    path: str
    name: str
    args: tuple[GoType, ...] = ()
    interface: bool = False  # an interface type: nil-able


@dataclass(frozen=True, slots=True)
class GoPointer:
    elem: GoType


@dataclass(frozen=True, slots=True)
class GoSlice:
    elem: GoType


@dataclass(frozen=True, slots=True)
class GoArray:
    elem: GoType
    length: int


@dataclass(frozen=True, slots=True)
class GoMap:
    key: GoType
    value: GoType


@dataclass(frozen=True, slots=True)
class GoChan:
    elem: GoType
    dir: str = "both"  # "both", "send" (chan<- T) or "recv" (<-chan T)


@dataclass(frozen=True, slots=True)
class GoParam:
    """A parameter or result; `name` is "" when the Go declaration has none."""

    name: str
    type: GoType


@dataclass(frozen=True, slots=True)
class GoFuncType:
    params: tuple[GoParam, ...]
    results: tuple[GoParam, ...]
    variadic: bool = False


@dataclass(frozen=True, slots=True)
class GoField:
    name: str
    type: GoType
    embedded: bool = False
    doc: str = ""


@dataclass(frozen=True, slots=True)
class GoStruct:
    fields: tuple[GoField, ...]  # exported fields only, in declaration order


@dataclass(frozen=True, slots=True)
class GoMethod:
    name: str
    params: tuple[GoParam, ...]
    results: tuple[GoParam, ...]
    variadic: bool = False
    doc: str = ""
    pointer_receiver: bool = False  # only callable on an addressable value: `&mut self`
    promoted: bool = False  # from an embedded field


@dataclass(frozen=True, slots=True)
class GoInterface:
    """An interface: its method set (embedded interfaces flattened) and, for constraints,
    its type terms (`~int | ~string`, `comparable`). The empty interface is `any`."""

    methods: tuple[GoMethod, ...] = ()
    embeds: tuple[GoType, ...] = ()


@dataclass(frozen=True, slots=True)
class GoTypeParamRef:
    name: str


@dataclass(frozen=True, slots=True)
class GoTerm:
    type: GoType
    tilde: bool = False


@dataclass(frozen=True, slots=True)
class GoUnion:
    terms: tuple[GoTerm, ...]


GoType = (
    GoBasic | GoErrorType | GoNamed | GoPointer | GoSlice | GoArray | GoMap | GoChan
    | GoFuncType | GoStruct | GoInterface | GoTypeParamRef | GoUnion
)

GO_ANY: Final = GoInterface()
GO_ERROR_TYPE: Final = GoErrorType()

# ============================================================== declarations


@dataclass(frozen=True, slots=True)
class GoTypeParam:
    name: str
    constraint: GoType


@dataclass(frozen=True, slots=True)
class GoFunc:
    name: str
    params: tuple[GoParam, ...]
    results: tuple[GoParam, ...]
    variadic: bool = False
    doc: str = ""
    type_params: tuple[GoTypeParam, ...] = ()


@dataclass(frozen=True, slots=True)
class GoNamedType:
    """A declared type. For an alias (`type FileMode = fs.FileMode`) `alias_of` is the
    aliased type, and `underlying` and `methods` are the aliased type's, so the entry is
    usable without loading the other package."""

    name: str
    underlying: GoType
    methods: tuple[GoMethod, ...] = ()  # the method set of *T; an interface's method set
    doc: str = ""
    type_params: tuple[GoTypeParam, ...] = ()
    alias_of: GoType | None = None

    @property
    def fields(self) -> tuple[GoField, ...]:
        return self.underlying.fields if isinstance(self.underlying, GoStruct) else ()

    @property
    def is_interface(self) -> bool:
        return isinstance(self.underlying, GoInterface)

    def method(self, name: str) -> GoMethod | None:
        return next((m for m in self.methods if m.name == name), None)

    def field(self, name: str) -> GoField | None:
        return next((f for f in self.fields if f.name == name), None)


@dataclass(frozen=True, slots=True)
class GoConst:
    name: str
    type: GoType
    value: str  # Go's spelling: 200, "GET", 3.14159
    doc: str = ""


@dataclass(frozen=True, slots=True)
class GoVar:
    name: str
    type: GoType
    doc: str = ""


@dataclass(frozen=True, slots=True)
class GoPackage:
    """The exported API of one Go package; every tuple is sorted by name."""

    path: str
    name: str
    funcs: tuple[GoFunc, ...] = ()
    types: tuple[GoNamedType, ...] = ()
    consts: tuple[GoConst, ...] = ()
    vars: tuple[GoVar, ...] = ()
    _index: dict[str, object] = field(default_factory=dict, init=False, compare=False,
                                      hash=False, repr=False)

    def __post_init__(self) -> None:
        # Name lookups are frequent (every `http::X` in a file): index once.
        for group in (self.vars, self.consts, self.types, self.funcs):
            for decl in group:
                self._index[decl.name] = decl

    def lookup(self, name: str) -> GoFunc | GoNamedType | GoConst | GoVar | None:
        found = self._index.get(name)
        if isinstance(found, (GoFunc, GoNamedType, GoConst, GoVar)):
            return found
        return None

    def func(self, name: str) -> GoFunc | None:
        found = self.lookup(name)
        return found if isinstance(found, GoFunc) else None

    def type(self, name: str) -> GoNamedType | None:
        found = self.lookup(name)
        return found if isinstance(found, GoNamedType) else None

    def const(self, name: str) -> GoConst | None:
        found = self.lookup(name)
        return found if isinstance(found, GoConst) else None

    def var(self, name: str) -> GoVar | None:
        found = self.lookup(name)
        return found if isinstance(found, GoVar) else None

    def referenced_packages(self) -> set[str]:
        """Import paths of the other packages this API names (load them to resolve the
        methods and fields of those types)."""
        paths = {ty.path for ty in walk_package_types(self) if isinstance(ty, GoNamed)}
        paths.discard(self.path)
        paths.discard("")
        return paths


# ============================================================== walking types


def walk_type(ty: GoType) -> Iterator[GoType]:
    """`ty` and every type inside it, depth first."""
    yield ty
    for child in _children(ty):
        yield from walk_type(child)


def _children(ty: GoType) -> Iterator[GoType]:
    match ty:
        case GoNamed(args=args):
            yield from args
        case GoPointer(elem) | GoSlice(elem) | GoArray(elem, _) | GoChan(elem, _):
            yield elem
        case GoMap(key, value):
            yield key
            yield value
        case GoFuncType(params, results, _):
            yield from (p.type for p in (*params, *results))
        case GoStruct(fields):
            yield from (f.type for f in fields)
        case GoInterface(methods, embeds):
            for m in methods:
                yield from (p.type for p in (*m.params, *m.results))
            yield from embeds
        case GoUnion(terms):
            yield from (term.type for term in terms)


def walk_package_types(pkg: GoPackage) -> Iterator[GoType]:
    for fn in pkg.funcs:
        yield from walk_type(_func_type(fn.params, fn.results))
    for named in pkg.types:
        yield from walk_type(named.underlying)
        if named.alias_of is not None:
            yield from walk_type(named.alias_of)
        for m in named.methods:
            yield from walk_type(_func_type(m.params, m.results))
    for const in pkg.consts:
        yield from walk_type(const.type)
    for var in pkg.vars:
        yield from walk_type(var.type)


def _func_type(params: tuple[GoParam, ...], results: tuple[GoParam, ...]) -> GoFuncType:
    return GoFuncType(params, results)


# ============================================================== Gust types

GO_ERROR: Final = t.Adt("GoError")
GO_ANY_TY: Final = t.Adt("GoAny")
GO_STRUCT_TY: Final = t.Adt("GoStruct")
CHAN: Final = "chan"

BASIC_TYPES: Final[dict[str, t.Ty]] = {
    "bool": t.BOOL,
    "int": t.Int("isize"),
    "int8": t.Int("i8"),
    "int16": t.Int("i16"),
    "int32": t.Int("i32"),
    "int64": t.I64,
    "uint": t.Int("u64"),
    "uint8": t.Int("u8"),
    "byte": t.Int("u8"),
    "uint16": t.Int("u16"),
    "uint32": t.Int("u32"),
    "uint64": t.Int("u64"),
    "uintptr": t.USIZE,
    "float32": t.Float("f32"),
    "float64": t.F64,
    "rune": t.CHAR,
    "string": t.STRING,
    "complex64": t.Adt("GoComplex64"),
    "complex128": t.Adt("GoComplex128"),
    "unsafe.Pointer": t.Adt("GoUnsafePointer"),
    # Untyped constants take Go's default type.
    "untyped bool": t.BOOL,
    "untyped int": t.Int("isize"),
    "untyped rune": t.CHAR,
    "untyped float": t.F64,
    "untyped complex": t.Adt("GoComplex128"),
    "untyped string": t.STR_REF,
    "untyped nil": GO_ANY_TY,
}

# Functions whose lone `error` result is a value they make or take apart, not a failure;
# True when it may be nil (then `Option<GoError>`).
ERROR_VALUE_FUNCS: Final[dict[tuple[str, str], bool]] = {
    ("errors", "New"): False,
    ("fmt", "Errorf"): False,
    ("errors", "Join"): True,
    ("errors", "Unwrap"): True,
    ("context", "Cause"): True,
}
ERROR_VALUE_METHODS: Final[dict[str, bool]] = {"Unwrap": True}

_BYTES: Final = GoSlice(GoBasic("byte"))
# Methods whose value counts beside their error: Go documents that they return what they
# read *and* the error that ended the reading (`io.Reader`'s `Read` may give n > 0 bytes
# with io.EOF; `bufio.Reader`'s and `bytes.Buffer`'s `ReadString` the last line without
# its delimiter with io.EOF). By name and Go signature, as Go's io interfaces are matched:
# every type with such a method follows the contract. Their `(T, error)` is the Gust
# `(T, Result<(), GoError>)` (`partial_result`).
PARTIAL_RESULT_METHODS: Final[dict[str, tuple[tuple[GoType, ...], GoType]]] = {
    "Read": ((_BYTES,), GoBasic("int")),  # io.Reader
    "ReadAt": ((_BYTES, GoBasic("int64")), GoBasic("int")),  # io.ReaderAt
    "ReadString": ((GoBasic("byte"),), GoBasic("string")),  # bufio.Reader, bytes.Buffer
    "ReadBytes": ((GoBasic("byte"),), _BYTES),
    "ReadSlice": ((GoBasic("byte"),), _BYTES),  # bufio.Reader
}


# Packages whose functions taking a func call it only before they return, on the caller's
# goroutine, and keep nothing (`sort.Search`, `slices.SortFunc`, `strings.FieldsFunc`):
# those named `..Func` and the ones listed.
_CALLS_BACK_NOW: Final = frozenset({"slices", "sort", "strings", "bytes", "maps"})
_CALLS_BACK_NOW_NAMES: Final = frozenset({"Search", "Find", "Slice", "SliceStable", "SliceIsSorted",
                                   "Map"})


def calls_back_now(path: str, name: str) -> bool:
    """Whether the Go function `path.name` calls its func arguments only during the call
    (so a closure given to it may borrow, as one given to Rust's `sort_by` does)."""
    return path in _CALLS_BACK_NOW and (name.endswith("Func") or name in _CALLS_BACK_NOW_NAMES)


def go_type_name(path: str, name: str) -> str:
    """The Gust `Adt` name of a Go named type: `go:net/http.Response`."""
    return f"go:{path}.{name}"


def split_go_type_name(adt_name: str) -> tuple[str, str] | None:
    """(import path, type name) of a `go_type_name`, or None for any other name."""
    if not adt_name.startswith("go:") or "." not in adt_name:
        return None
    path, _, name = adt_name[3:].rpartition(".")
    return (path, name) if path and name else None


def option(ty: t.Ty) -> t.Adt:
    return t.Adt("Option", (ty,))


def go_result(ty: t.Ty) -> t.Adt:
    return t.Adt("Result", (ty, GO_ERROR))


def is_nilable(ty: GoType) -> bool:
    """Whether a Go value of this type may be nil in a way Gust shows as `Option`
    (pointers and interfaces; nil slices and maps read as empty)."""
    match ty:
        case GoPointer() | GoInterface() | GoErrorType():
            return True
        case GoNamed(interface=interface):
            return interface
    return False


def value_type(ty: GoType) -> t.Ty:
    """The Gust type of a Go value that is never nil (position V)."""
    match ty:
        case GoBasic(name):
            return BASIC_TYPES.get(name, t.Adt(f"go:{name}"))
        case GoErrorType():
            return GO_ERROR
        case GoNamed(path, name, args, _):
            if not path:  # `comparable`, only seen in constraints
                return GO_ANY_TY
            return t.Adt(go_type_name(path, name), tuple(value_type(a) for a in args))
        case GoPointer(elem):
            return t.Adt("Box", (value_type(elem),))
        case GoSlice(elem):
            return t.vec_of(value_type(elem))
        case GoArray(elem, length):
            return t.Array(value_type(elem), length)
        case GoMap(key, value):
            return t.Adt("HashMap", (value_type(key), value_type(value)))
        case GoChan(elem, _):
            return t.Adt(CHAN, (value_type(elem),))
        case GoFuncType():
            return fn_type(ty)
        case GoStruct(fields):
            return GO_STRUCT_TY if fields else t.UNIT
        case GoTypeParamRef(name):
            return t.Param(name)
    return GO_ANY_TY  # unnamed interfaces and unions


def result_type(ty: GoType) -> t.Ty:
    """The Gust type of a Go result or field (position R): nil-able values are Options."""
    gust = value_type(ty)
    return option(gust) if is_nilable(ty) else gust


def param_type(ty: GoType) -> t.Ty:
    """The Gust type a caller passes for a Go parameter (position P): borrowed."""
    match ty:
        case GoBasic("string"):
            return t.STR_REF
        case GoSlice(elem):
            return t.Ref(t.Slice(value_type(elem)), False)
        case GoMap():
            return t.Ref(value_type(ty), False)
        case GoPointer(elem):
            return t.Ref(value_type(elem), True)
    return value_type(ty)


def fn_type(fn: GoFuncType) -> t.FnPtr:
    """A Go func type as a Gust `fn` type (callbacks: `http.HandlerFunc`)."""
    return t.FnPtr(tuple(param_type(p.type) for p in fn.params), results_type(fn.results))


def results_type(results: Sequence[GoParam]) -> t.Ty:
    """One Gust return type for a Go result list (the "Results" table)."""
    types = [r.type for r in results]
    if not types:
        return t.UNIT
    *init, last = types
    if isinstance(last, GoErrorType):
        return go_result(_tuple_or_single([value_type(x) for x in init]))
    if len(types) == 1:
        return result_type(last)
    if len(types) == 2 and last == GoBasic("bool"):
        return option(value_type(init[0]))
    return t.Tuple(tuple(result_type(x) for x in types))


def _tuple_or_single(elems: list[t.Ty]) -> t.Ty:
    return elems[0] if len(elems) == 1 else t.Tuple(tuple(elems))


def _error_value(results: Sequence[GoParam], nilable: bool | None) -> t.Ty | None:
    """The return type of an error-making function (`errors.New`), None for others."""
    if nilable is None or len(results) != 1 or not isinstance(results[0].type, GoErrorType):
        return None
    return option(GO_ERROR) if nilable else GO_ERROR


@dataclass(frozen=True, slots=True)
class GustSignature:
    """A Go function or method as Gust calls it.

    `variadic`: the last parameter repeats (Go's `...T`); `params[-1]` is one element's type.
    `self_kind`: "static" for functions, "ref" (`&self`) or "ref_mut" (`&mut self`) for
    methods, as in gust.sema.builtins."""

    params: tuple[t.Ty, ...]
    ret: t.Ty
    variadic: bool = False
    self_kind: str = "static"
    type_params: tuple[str, ...] = ()

    @property
    def fn_ptr(self) -> t.FnPtr:
        return t.FnPtr(self.params, self.ret)


def _params(params: Sequence[GoParam], variadic: bool) -> tuple[t.Ty, ...]:
    out = [param_type(p.type) for p in params]
    last = params[-1].type if params else None
    if variadic and isinstance(last, GoSlice):
        out[-1] = param_type(last.elem)
    return tuple(out)


def core_typed(func: GoFunc) -> GoFunc:
    """`func` with each type parameter whose constraint is one `~[]E` or `~map[K]V` term
    replaced by that type: `slices.Sort[S ~[]E](x S)` is `Sort[E](x []E)` to Gust, so a
    `&mut Vec<T>` argument is the slice (not a pointer to it), `E` is its element, and a
    result `S` is a `Vec<E>`. Go infers `S` from the slice the generated code passes."""
    cores: dict[str, GoType] = {}
    for tp in func.type_params:
        core = _core_type(tp.constraint)
        if core is not None:
            cores[tp.name] = core
    if not cores:
        return func
    return GoFunc(func.name,
                  tuple(GoParam(p.name, substitute_go(p.type, cores)) for p in func.params),
                  tuple(GoParam(r.name, substitute_go(r.type, cores)) for r in func.results),
                  func.variadic, func.doc,
                  tuple(tp for tp in func.type_params if tp.name not in cores))


def _core_type(constraint: GoType) -> GoType | None:
    if not isinstance(constraint, GoInterface) or constraint.methods or \
            len(constraint.embeds) != 1:
        return None
    union = constraint.embeds[0]
    if not isinstance(union, GoUnion) or len(union.terms) != 1:
        return None
    core = union.terms[0].type
    return core if isinstance(core, (GoSlice, GoMap)) else None


def substitute_go(ty: GoType, subst: Mapping[str, GoType]) -> GoType:
    """`ty` with the type parameters of `subst` replaced (one level: the replacements
    name only other type parameters)."""
    match ty:
        case GoTypeParamRef(name):
            return subst.get(name, ty)
        case GoPointer(elem):
            return GoPointer(substitute_go(elem, subst))
        case GoSlice(elem):
            return GoSlice(substitute_go(elem, subst))
        case GoArray(elem, length):
            return GoArray(substitute_go(elem, subst), length)
        case GoMap(key, value):
            return GoMap(substitute_go(key, subst), substitute_go(value, subst))
        case GoChan(elem, direction):
            return GoChan(substitute_go(elem, subst), direction)
        case GoNamed(path, name, args, interface) if args:
            return GoNamed(path, name, tuple(substitute_go(a, subst) for a in args), interface)
        case GoFuncType(params, results, variadic):
            return GoFuncType(
                tuple(GoParam(p.name, substitute_go(p.type, subst)) for p in params),
                tuple(GoParam(r.name, substitute_go(r.type, subst)) for r in results),
                variadic)
    return ty


def gust_signature(package_path: str, func: GoFunc) -> GustSignature:
    """The Gust signature of a package-level Go function (`strconv.Atoi` is
    `fn(&str) -> Result<isize, GoError>`; a generic one's slice and map type parameters
    are their core types, `core_typed`)."""
    func = core_typed(func)
    special = _error_value(func.results, ERROR_VALUE_FUNCS.get((package_path, func.name)))
    ret = special if special is not None else results_type(func.results)
    return GustSignature(_params(func.params, func.variadic), ret, func.variadic, "static",
                         tuple(p.name for p in func.type_params))


def gust_method_signature(method: GoMethod) -> GustSignature:
    """The Gust signature of a Go method: a pointer receiver is `&mut self`, a value
    receiver (and an interface method) `&self`."""
    special = _error_value(method.results, ERROR_VALUE_METHODS.get(method.name))
    if special is None and is_partial_result(method):
        special = partial_result(value_type(method.results[0].type))
    ret = special if special is not None else results_type(method.results)
    self_kind = "ref_mut" if method.pointer_receiver else "ref"
    return GustSignature(_params(method.params, method.variadic), ret, method.variadic,
                         self_kind)


def is_partial_result(method: GoMethod) -> bool:
    """Whether a Go method's `(T, error)` result keeps its value beside the error
    (`PARTIAL_RESULT_METHODS`)."""
    shape = PARTIAL_RESULT_METHODS.get(method.name)
    return shape is not None and not method.variadic and \
        tuple(p.type for p in method.params) == shape[0] and \
        tuple(r.type for r in method.results) == (shape[1], GoErrorType())


def partial_result(value: t.Ty) -> t.Tuple:
    """`(T, Result<(), GoError>)`: a value and the error that came with it (Go's `n, err`)."""
    return t.Tuple((value, go_result(t.UNIT)))


def gust_field_type(go_field: GoField) -> t.Ty:
    return result_type(go_field.type)


def gust_const_type(const: GoConst) -> t.Ty:
    return value_type(const.type)


def gust_var_type(var: GoVar) -> t.Ty:
    return value_type(var.type)


def gust_named_type(path: str, named: GoNamedType) -> t.Adt:
    """The Gust type a declared Go type stands for (an alias stands for its target)."""
    target = named.alias_of
    if target is not None:
        gust = value_type(target)
        if isinstance(gust, t.Adt):
            return gust
    args = tuple(t.Param(p.name) for p in named.type_params)
    return t.Adt(go_type_name(path, named.name), args)


def go_implements(packages: Mapping[str, GoPackage], found: t.Ty, iface: t.Adt) -> bool:
    """Whether a value of Gust type `found` is a Go value that implements the Go interface
    `iface` (Go converts it implicitly): its method set has every method of the interface
    (`*T`'s method set: Gust reaches Go structs through pointers)."""
    needed = _method_names(packages, iface)
    if needed is None or iface == found or not _is_interface(packages, iface):
        return False
    # Through references and boxes in any order: `&mut w` of a `Box<tabwriter::Writer>`.
    while isinstance(found, t.Ref) or (isinstance(found, t.Adt) and found.name == "Box"
                                       and found.args):
        found = found.inner if isinstance(found, t.Ref) else found.args[0]
    have = _method_names(packages, found)
    return have is not None and needed <= have


def interface_methods(packages: Mapping[str, GoPackage], ty: t.Ty
                      ) -> tuple[GoMethod, ...] | None:
    """The methods of a Go interface type (None: not a Go interface)."""
    named = _named(packages, ty)
    return named.methods if named is not None and named.is_interface else None


def _named(packages: Mapping[str, GoPackage], ty: t.Ty) -> GoNamedType | None:
    found = split_go_type_name(ty.name) if isinstance(ty, t.Adt) else None
    package = packages.get(found[0]) if found else None
    return package.type(found[1]) if package is not None and found else None


def _is_interface(packages: Mapping[str, GoPackage], ty: t.Ty) -> bool:
    named = _named(packages, ty)
    return named is not None and named.is_interface


def _method_names(packages: Mapping[str, GoPackage], ty: t.Ty) -> set[str] | None:
    if ty == GO_ERROR:
        return {"Error"}
    named = _named(packages, ty)
    return {m.name for m in named.methods} if named is not None else None


def go_numeric(packages: Mapping[str, GoPackage], ty: t.Ty) -> bool:
    """A Go named type of an integer or float underlying type (`time.Duration`)."""
    named = _named(packages, ty)
    return named is not None and isinstance(named.underlying, GoBasic) and \
        isinstance(BASIC_TYPES.get(named.underlying.name), (t.Int, t.Float))


def go_named_func(packages: Mapping[str, GoPackage], ty: t.Ty) -> t.FnPtr | None:
    """The Gust fn type of a Go named func type (`bufio.SplitFunc`, `fs.WalkDirFunc`), for
    a function or closure given where Go wants one; None for other types."""
    named = _named(packages, ty)
    if named is None or named.type_params or not isinstance(named.underlying, GoFuncType):
        return None
    return fn_type(named.underlying)


def go_ordered(packages: Mapping[str, GoPackage], ty: t.Ty, trait: str) -> bool:
    """Whether a Go named type of a number (`time.Duration`, `os.FileMode`) has `trait`:
    Go compares and orders them; `Eq`, `Ord` and `Hash` only over integers (as Rust's)."""
    named = _named(packages, ty)
    if named is None or not isinstance(named.underlying, GoBasic):
        return False
    basic = BASIC_TYPES.get(named.underlying.name)
    if trait in ("PartialEq", "PartialOrd"):
        return isinstance(basic, (t.Int, t.Float))
    return trait in ("Eq", "Ord", "Hash") and isinstance(basic, t.Int)


def go_copy(packages: Mapping[str, GoPackage], ty: t.Ty, clone: bool = False) -> bool:
    """Whether a Go value is `Copy` in Gust (`Clone` with `clone`): Go's reference-like
    values (interfaces, `error`, funcs, pointers, channels) and numbers (`time.Duration`)
    are copied freely in Go, and copying them copies no state. Go structs are only `Clone`
    (`t.clone()` of a `time.Time` is Go's assignment; `go vet` flags a copied lock)."""
    if ty == GO_ERROR:
        return True
    named = _named(packages, ty)
    kinds = (GoInterface, GoFuncType, GoPointer, GoChan, GoBasic) + ((GoStruct, GoSlice, GoMap)
                                                                     if clone else ())
    return named is not None and isinstance(named.underlying, kinds)


def go_stringer(packages: Mapping[str, GoPackage], ty: t.Ty) -> bool:
    """Whether a Go value prints with `{}`: its type has Go's `String() string` method on
    the value (fmt.Stringer), and the runtime calls it."""
    named = _named(packages, ty)
    method = named.method("String") if named is not None else None
    return method is not None and not method.params and not method.pointer_receiver and \
        [r.type for r in method.results] == [GoBasic("string")]


def go_func_type(packages: Mapping[str, GoPackage], ty: t.Ty) -> t.FnPtr | None:
    """The `fn` type of a value of a Go named func type (`context.CancelFunc`), which
    Gust calls like a function."""
    named = _named(packages, ty)
    if named is None or not isinstance(named.underlying, GoFuncType):
        return None
    return fn_type(named.underlying)


def conversion_signature(named: GoNamedType, path: str) -> GustSignature | None:
    """A Go named type used as a conversion function: `http::HandlerFunc(handler)`,
    `time::Duration(5)`. Types with a basic or func underlying type only (struct types are
    built with struct literals, interfaces are never converted to explicitly)."""
    if named.type_params or named.alias_of is not None:
        return None
    underlying = named.underlying
    if isinstance(underlying, GoFuncType):
        param: t.Ty = fn_type(underlying)
    elif isinstance(underlying, GoBasic) and not underlying.name.startswith("untyped"):
        param = value_type(underlying)
    else:
        return None
    return GustSignature((param,), t.Adt(go_type_name(path, named.name)))


# ============================================================== display

def default_alias(path: str) -> str:
    """The name a package is known by when no `use go` names it: the last element of its
    path, skipping a major-version element (`math/rand/v2` -> `rand`, `gopkg.in/yaml.v3`
    -> `yaml`)."""
    parts = [p for p in path.split("/") if p]
    if len(parts) > 1 and re.fullmatch(r"v[0-9]+", parts[-1]):
        parts.pop()
    last = parts[-1] if parts else path
    return re.sub(r"\.v[0-9]+$", "", last).replace("-", "_").replace(".", "_")


def display_type(ty: t.Ty, aliases: Mapping[str, str] | None = None,
                 hidden: Mapping[str, int] | None = None) -> str:
    """How messages spell a type, with Go types named as the user wrote them:
    `http::Response`, given `aliases` (import path -> the name `use go` gave it). Without
    an alias, `str(ty)` already uses the last element of the path. `hidden`: how many
    hidden arguments each generic type has (`t.spell`)."""
    names = aliases or {}

    def name_of(adt: t.Adt) -> str:
        if not adt.name.startswith("go:"):
            return adt.name
        path, _, member = adt.name[3:].rpartition(".")
        return f"{names.get(path) or default_alias(path)}::{member}"

    # (Cut after a length, like `str(ty)`: types built from each other double.)
    return t.spell(ty, name_of=name_of, hidden=hidden)


# ============================================================== JSON

Json = dict[str, "Json"] | list["Json"] | str | int | bool


class _Reader:
    """Checked access to decoded JSON: malformed input raises ValueError, never KeyError
    or TypeError, so callers have one exception to turn into a message."""

    def __init__(self, value: object, what: str) -> None:
        if not isinstance(value, dict):
            raise ValueError(f"{what}: expected an object, got {type(value).__name__}")
        self.d: dict[str, object] = value
        self.what = what

    def has(self, key: str) -> bool:
        return key in self.d

    def text(self, key: str, default: str | None = None) -> str:
        value = self.d.get(key, default)
        if not isinstance(value, str):
            raise ValueError(f"{self.what}: `{key}` must be a string")
        return value

    def flag(self, key: str) -> bool:
        value = self.d.get(key, False)
        if not isinstance(value, bool):
            raise ValueError(f"{self.what}: `{key}` must be a boolean")
        return value

    def integer(self, key: str) -> int:
        value = self.d.get(key)
        if not isinstance(value, int) or isinstance(value, bool):
            raise ValueError(f"{self.what}: `{key}` must be an integer")
        return value

    def items(self, key: str) -> list[object]:
        value = self.d.get(key, [])
        if not isinstance(value, list):
            raise ValueError(f"{self.what}: `{key}` must be a list")
        return value

    def get(self, key: str) -> object:
        if key not in self.d:
            raise ValueError(f"{self.what}: `{key}` is missing")
        return self.d[key]


def _type_from_string(name: str) -> GoType:
    if name == "error":
        return GO_ERROR_TYPE
    if name == "any":
        return GO_ANY
    return GoBasic(name)


def _named_from_json(r: _Reader) -> GoType:
    path, _, name = r.text("named").rpartition(".")
    args = tuple(type_from_json(a) for a in r.items("args"))
    return GoNamed(path, name, args, r.flag("iface"))


def _map_from_json(r: _Reader) -> GoType:
    pair = r.get("map")
    if not isinstance(pair, list) or len(pair) != 2:
        raise ValueError("map type: expected [key, value]")
    return GoMap(type_from_json(pair[0]), type_from_json(pair[1]))


def _func_type_from_json(r: _Reader) -> GoType:
    sig = _Reader(r.get("func"), "func type")
    return GoFuncType(_params_from_json(sig, "params"), _params_from_json(sig, "results"),
                      sig.flag("variadic"))


def _union_from_json(r: _Reader) -> GoType:
    terms = [_Reader(x, "union term") for x in r.items("union")]
    return GoUnion(tuple(GoTerm(type_from_json(x.get("type")), x.flag("tilde"))
                         for x in terms))


_TYPE_DECODERS: Final[dict[str, Callable[[_Reader], GoType]]] = {
    "named": _named_from_json,
    "ptr": lambda r: GoPointer(type_from_json(r.get("ptr"))),
    "slice": lambda r: GoSlice(type_from_json(r.get("slice"))),
    "array": lambda r: GoArray(type_from_json(r.get("array")), r.integer("len")),
    "map": _map_from_json,
    "chan": lambda r: GoChan(type_from_json(r.get("chan")), r.text("dir", "both")),
    "func": _func_type_from_json,
    "struct": lambda r: GoStruct(tuple(_field_from_json(f) for f in r.items("struct"))),
    "interface": lambda r: GoInterface(
        tuple(_method_from_json(m) for m in r.items("interface")),
        tuple(type_from_json(e) for e in r.items("embeds"))),
    "param": lambda r: GoTypeParamRef(r.text("param")),
    "union": _union_from_json,
}


def type_from_json(value: object) -> GoType:
    """A Go type from the helper's encoding (see gotypes_helper/main.go)."""
    if isinstance(value, str):
        return _type_from_string(value)
    r = _Reader(value, "Go type")
    for kind, decode in _TYPE_DECODERS.items():
        if r.has(kind):
            return decode(r)
    raise ValueError(f"unknown Go type encoding: {sorted(r.d)}")


def _params_from_json(r: _Reader, key: str) -> tuple[GoParam, ...]:
    out = []
    for item in r.items(key):
        p = _Reader(item, "parameter")
        out.append(GoParam(p.text("name", ""), type_from_json(p.get("type"))))
    return tuple(out)


def _type_params_from_json(r: _Reader) -> tuple[GoTypeParam, ...]:
    out = []
    for item in r.items("tparams"):
        p = _Reader(item, "type parameter")
        out.append(GoTypeParam(p.text("name"), type_from_json(p.get("constraint"))))
    return tuple(out)


def _field_from_json(value: object) -> GoField:
    r = _Reader(value, "field")
    return GoField(r.text("name"), type_from_json(r.get("type")), r.flag("embedded"),
                   r.text("doc", ""))


def _method_from_json(value: object) -> GoMethod:
    r = _Reader(value, "method")
    return GoMethod(r.text("name"), _params_from_json(r, "params"),
                    _params_from_json(r, "results"), r.flag("variadic"), r.text("doc", ""),
                    r.flag("ptr_recv"), r.flag("promoted"))


def _func_from_json(value: object) -> GoFunc:
    r = _Reader(value, "func")
    return GoFunc(r.text("name"), _params_from_json(r, "params"),
                  _params_from_json(r, "results"), r.flag("variadic"), r.text("doc", ""),
                  _type_params_from_json(r))


def _named_type_from_json(value: object) -> GoNamedType:
    r = _Reader(value, "type")
    alias_of = type_from_json(r.get("alias_of")) if r.has("alias_of") else None
    return GoNamedType(r.text("name"), type_from_json(r.get("underlying")),
                       tuple(_method_from_json(m) for m in r.items("methods")),
                       r.text("doc", ""), _type_params_from_json(r), alias_of)


def _const_from_json(value: object) -> GoConst:
    r = _Reader(value, "const")
    return GoConst(r.text("name"), type_from_json(r.get("type")), r.text("value"),
                   r.text("doc", ""))


def _var_from_json(value: object) -> GoVar:
    r = _Reader(value, "var")
    return GoVar(r.text("name"), type_from_json(r.get("type")), r.text("doc", ""))


def package_from_json(value: object) -> GoPackage:
    """A package from its JSON object; raises ValueError (only) when it is malformed."""
    r = _Reader(value, "package")
    return GoPackage(
        r.text("path"), r.text("name"),
        tuple(sorted((_func_from_json(x) for x in r.items("funcs")), key=_by_name)),
        tuple(sorted((_named_type_from_json(x) for x in r.items("types")), key=_by_name)),
        tuple(sorted((_const_from_json(x) for x in r.items("consts")), key=_by_name)),
        tuple(sorted((_var_from_json(x) for x in r.items("vars")), key=_by_name)))


def _by_name(decl: GoFunc | GoNamedType | GoConst | GoVar) -> str:
    return decl.name


def loads_package(text: str) -> GoPackage:
    """A package from JSON text; raises ValueError (only) when it is malformed."""
    return package_from_json(json.loads(text))


# ------------------------------------------------------------------ encoding


def _put(out: dict[str, Json], key: str, value: Json) -> None:
    """Set `key` unless the value is empty or false: the JSON stays small, as Go's
    `omitempty` keeps the helper's."""
    if value:
        out[key] = value


def type_to_json(ty: GoType) -> Json:
    """The helper's encoding of a Go type (see gotypes_helper/main.go)."""
    match ty:
        case GoBasic(name):
            return name
        case GoErrorType():
            return "error"
        case GoInterface((), ()):
            return "any"
        case GoNamed():
            return _named_to_json(ty)
        case GoPointer(elem):
            return {"ptr": type_to_json(elem)}
        case GoSlice(elem):
            return {"slice": type_to_json(elem)}
        case GoArray(elem, length):
            return {"array": type_to_json(elem), "len": length}
        case GoMap(key, value):
            return {"map": [type_to_json(key), type_to_json(value)]}
        case GoChan(elem, direction):
            return {"chan": type_to_json(elem)} | ({} if direction == "both"
                                                   else {"dir": direction})
        case GoFuncType(params, results, variadic):
            return {"func": _signature_json(params, results, variadic)}
        case GoStruct(fields):
            return {"struct": [_field_to_json(f) for f in fields]}
        case GoInterface():
            return _interface_to_json(ty)
        case GoTypeParamRef(name):
            return {"param": name}
        case GoUnion(terms):
            return {"union": [_term_to_json(x) for x in terms]}


def _named_to_json(ty: GoNamed) -> Json:
    out: dict[str, Json] = {"named": f"{ty.path}.{ty.name}" if ty.path else ty.name}
    _put(out, "args", [type_to_json(a) for a in ty.args])
    _put(out, "iface", ty.interface)
    return out


def _interface_to_json(ty: GoInterface) -> Json:
    out: dict[str, Json] = {"interface": [_method_to_json(m) for m in ty.methods]}
    _put(out, "embeds", [type_to_json(e) for e in ty.embeds])
    return out


def _term_to_json(term: GoTerm) -> Json:
    out: dict[str, Json] = {"type": type_to_json(term.type)}
    _put(out, "tilde", term.tilde)
    return out


def _params_to_json(params: tuple[GoParam, ...]) -> list[Json]:
    out: list[Json] = []
    for p in params:
        item: dict[str, Json] = {}
        _put(item, "name", p.name)
        item["type"] = type_to_json(p.type)
        out.append(item)
    return out


def _signature_json(params: tuple[GoParam, ...], results: tuple[GoParam, ...],
                    variadic: bool) -> dict[str, Json]:
    out: dict[str, Json] = {}
    _put(out, "params", _params_to_json(params))
    _put(out, "results", _params_to_json(results))
    _put(out, "variadic", variadic)
    return out


def _type_params_to_json(tparams: tuple[GoTypeParam, ...]) -> list[Json]:
    return [{"name": p.name, "constraint": type_to_json(p.constraint)} for p in tparams]


def _field_to_json(f: GoField) -> Json:
    out: dict[str, Json] = {"name": f.name, "type": type_to_json(f.type)}
    _put(out, "embedded", f.embedded)
    _put(out, "doc", f.doc)
    return out


def _method_to_json(m: GoMethod) -> Json:
    out: dict[str, Json] = {"name": m.name, **_signature_json(m.params, m.results, m.variadic)}
    _put(out, "ptr_recv", m.pointer_receiver)
    _put(out, "promoted", m.promoted)
    _put(out, "doc", m.doc)
    return out


def _func_to_json(f: GoFunc) -> Json:
    out: dict[str, Json] = {"name": f.name}
    _put(out, "tparams", _type_params_to_json(f.type_params))
    out.update(_signature_json(f.params, f.results, f.variadic))
    _put(out, "doc", f.doc)
    return out


def _named_type_to_json(n: GoNamedType) -> Json:
    out: dict[str, Json] = {"name": n.name}
    _put(out, "tparams", _type_params_to_json(n.type_params))
    out["underlying"] = type_to_json(n.underlying)
    if n.alias_of is not None:
        out["alias_of"] = type_to_json(n.alias_of)
    _put(out, "methods", [_method_to_json(m) for m in n.methods])
    _put(out, "doc", n.doc)
    return out


def _const_to_json(c: GoConst) -> Json:
    out: dict[str, Json] = {"name": c.name, "type": type_to_json(c.type), "value": c.value}
    _put(out, "doc", c.doc)
    return out


def _var_to_json(v: GoVar) -> Json:
    out: dict[str, Json] = {"name": v.name, "type": type_to_json(v.type)}
    _put(out, "doc", v.doc)
    return out


def package_to_json(pkg: GoPackage) -> dict[str, Json]:
    return {
        "path": pkg.path,
        "name": pkg.name,
        "consts": [_const_to_json(c) for c in pkg.consts],
        "funcs": [_func_to_json(f) for f in pkg.funcs],
        "types": [_named_type_to_json(n) for n in pkg.types],
        "vars": [_var_to_json(v) for v in pkg.vars],
    }


def dumps_package(pkg: GoPackage) -> str:
    """Deterministic JSON text with one declaration per line: compact, and a change to one
    declaration is a one-line diff."""
    return dumps_json_lines(package_to_json(pkg))


def dumps_json_lines(obj: Mapping[str, Json]) -> str:
    """`obj` as JSON with each element of its top-level lists on a line of its own."""
    def one(value: Json) -> str:
        # Key order is the encoder's (name first), which is as deterministic as sorting.
        return json.dumps(value, separators=(",", ":"), ensure_ascii=False)

    parts = []
    for key, value in obj.items():
        if isinstance(value, list) and value:
            items = ",\n".join(one(item) for item in value)
            parts.append(f"{one(key)}:[\n{items}\n]")
        else:
            parts.append(f"{one(key)}:{one(value)}")
    return "{" + ",\n".join(parts) + "}\n"
