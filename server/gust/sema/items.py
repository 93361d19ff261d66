"""The item environment: every top-level declaration of a package and its signature.

`build_env` reads only signatures (never bodies), so typing inside a function body never
changes the environment; gust.ide keys its per-body caches on `signature_key` of all items.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import field, replace
from typing import Final, TypeVar, cast

from gust import diagnostics as d
from gust.frozen import dataclass
from gust.sema import builtins
from gust.sema import types as t
from gust.sema.builtins import BUILTIN_TYPES
from gust.sema.const_eval import int_value
from gust.sema.golang import GoPackage, gust_named_type
from gust.sema.modules import (
    BLOCK_MARK,
    PASS,
    STD_MODULES,
    STD_OPS_ALL_TRAITS,
    ModPath,
    ModuleTree,
    Placed,
    Resolver,
    alias_module,
    block_module,
    build_tree,
    expand_std_alias,
    fns_of,
    item_stmts,
    pub_in_package,
    scoped_item_stmts,
    std_needs_import,
    suggest_import,
    undeclared_module,
)
from gust.syntax import ast
from gust.syntax.parser import first_top_level_brace
from gust.syntax.walk import walk
from gust.text import Span


@dataclass(frozen=True, slots=True)
class Bound:
    """`ty: Trait<args, Name = ty>`: one trait bound, from a generic parameter's inline
    bounds, a `where` clause, `impl Trait` in argument position, or a supertrait."""

    ty: t.Ty
    trait: str
    args: tuple[t.Ty, ...] = ()
    assoc: tuple[tuple[str, t.Ty], ...] = ()

    def assoc_ty(self, name: str) -> t.Ty | None:
        for n, ty in self.assoc:
            if n == name:
                return ty
        return None


@dataclass(frozen=True, slots=True)
class Hidden:
    """A hidden type parameter of a generic struct or enum: `C::Item` of its parameter `C:
    Container` (the `index`-th it declares), which a written `Cursor<X>` gets from X's
    impl of the trait (`trait`, by key) or from the bounds in scope (`lower_type`)."""

    name: str  # `C::Item` (projection_name)
    index: int
    trait: str
    assoc: str


# Traits of the standard library the checker knows by name (by the last segment of their
# path: `Display`, `fmt::Display` and `std::fmt::Display` are the same trait).
STD_TRAITS: Final = frozenset({
    "Copy", "Clone", "Debug", "Display", "PartialEq", "Eq", "PartialOrd", "Ord", "Hash",
    "Default", "Iterator", "IntoIterator", "Send", "Sync", "Sized", "ToString", "Add", "Sub",
    "Mul", "Div", "Rem", "Neg", "Not", "AddAssign", "SubAssign", "MulAssign", "DivAssign",
    "RemAssign", "Index", "IndexMut",
    "Fn", "FnMut", "FnOnce", "From", "Into", "AsRef", "Error", "Drop", "Deref",
    "ExactSizeIterator", "DoubleEndedIterator", "FromStr", "Borrow", "TryFrom",
    "Hasher", "DerefMut", "Sum", "Product",
})


@dataclass(frozen=True, slots=True)
class FieldInfo:
    name: str | None  # None for tuple fields
    ty: t.Ty
    span: Span
    is_pub: bool


@dataclass(frozen=True, slots=True)
class StructInfo:
    name: str
    kind: str  # "named", "tuple" or "unit"
    fields: tuple[FieldInfo, ...]
    derives: frozenset[str]
    generics: tuple[str, ...]
    decl: ast.StructDecl
    module: ModPath = ()  # where it is declared: private fields are visible there
    bounds: tuple[Bound, ...] = ()

    def field_index(self, name: str) -> int | None:
        for i, f in enumerate(self.fields):
            if f.name == name:
                return i
        return None


@dataclass(frozen=True, slots=True)
class VariantInfo:
    name: str
    kind: str  # "named", "tuple" or "unit"
    fields: tuple[FieldInfo, ...]
    index: int
    decl: ast.VariantDef
    # Its discriminant: written (`High = 10`) or the previous one plus 1 (the first: 0).
    discriminant: int = 0

    def field_index(self, name: str) -> int | None:
        for i, f in enumerate(self.fields):
            if f.name == name:
                return i
        return None


@dataclass(frozen=True, slots=True)
class EnumInfo:
    name: str
    variants: tuple[VariantInfo, ...]
    derives: frozenset[str]
    generics: tuple[str, ...]
    decl: ast.EnumDecl
    module: ModPath = ()
    bounds: tuple[Bound, ...] = ()

    def variant(self, name: str) -> VariantInfo | None:
        for v in self.variants:
            if v.name == name:
                return v
        return None


@dataclass(frozen=True, slots=True)
class FnSig:
    """A function or method signature. `self_kind` is None for functions and associated
    functions, else "ref", "ref_mut" or "value"."""

    name: str
    params: tuple[t.Ty, ...]
    ret: t.Ty
    self_kind: str | None
    generics: tuple[str, ...]
    owner: str | None
    decl: ast.FnDecl
    self_mutable: bool = False  # `mut self`
    module: ModPath = ()  # of the function, or of the `impl` of a method
    bounds: tuple[Bound, ...] = ()

    @property
    def has_self(self) -> bool:
        return self.self_kind is not None

    @property
    def unknown_params(self) -> bool:
        """The signature did not parse: calls are not checked against it."""
        return self.decl.sig_error


@dataclass(frozen=True, eq=False, slots=True)
class TraitInfo:
    """A trait of the package. Its method signatures use `Param("Self")` for `Self`."""

    name: str
    generics: tuple[str, ...]
    supertraits: tuple[Bound, ...]
    methods: Mapping[str, FnSig]
    defaults: frozenset[str]  # methods with a default body
    decl: ast.TraitDecl
    # Its associated types (`type Item;`): `Self::Item` in its signatures is
    # `Param("Self::Item")`, replaced by an impl's type or a bound's (`assoc_subst`).
    assoc: tuple[str, ...] = ()

    @property
    def required(self) -> list[str]:
        return [n for n in self.methods if n not in self.defaults]


@dataclass(frozen=True, eq=False, slots=True)
class ImplInfo:
    """An `impl` block: inherent (`trait` is None) or of a trait. `self_ty` and the
    signatures mention the impl's generic parameters as `Param`s."""

    trait: str | None
    trait_args: tuple[t.Ty, ...]
    self_ty: t.Ty
    generics: tuple[str, ...]
    bounds: tuple[Bound, ...]
    methods: Mapping[str, FnSig]
    decl: ast.ImplDecl
    assoc: tuple[tuple[str, t.Ty], ...] = ()


@dataclass(frozen=True, slots=True)
class ConstInfo:
    name: str
    ty: t.Ty
    decl: ast.ConstDecl | ast.StaticDecl


# An item's description that keeps the item it was built from (see `adopt`).
_Declared = TypeVar("_Declared", StructInfo, EnumInfo, ConstInfo)


@dataclass
class ItemEnv:
    structs: dict[str, StructInfo] = field(default_factory=dict)
    enums: dict[str, EnumInfo] = field(default_factory=dict)
    fns: dict[str, FnSig] = field(default_factory=dict)
    # Inherent methods and associated functions, by type name then method name.
    methods: dict[str, dict[str, FnSig]] = field(default_factory=dict)
    consts: dict[str, ConstInfo] = field(default_factory=dict)
    traits: dict[str, TraitInfo] = field(default_factory=dict)
    # The values of inherent associated constants by `Type::NAME`, for array lengths.
    assoc_const_inits: dict[str, ast.Expr] = field(default_factory=dict)
    # `type` aliases, by key (uses are replaced by the aliased type when lowered).
    type_aliases: dict[str, ast.TypeAliasDecl] = field(default_factory=dict)
    # Every impl block, inherent and of traits, in source order.
    impls: list[ImplInfo] = field(default_factory=list)
    # Inherent methods only (`methods` also holds trait impls' methods, for the backend).
    inherent: dict[str, dict[str, FnSig]] = field(default_factory=dict)
    # The impl or trait each method declaration belongs to.
    impl_of: dict[ast.FnDecl, ImplInfo] = field(default_factory=dict)
    trait_of: dict[ast.FnDecl, TraitInfo] = field(default_factory=dict)
    # Go packages imported with `use go`: alias -> import path, and path -> its API.
    go_aliases: dict[str, str] = field(default_factory=dict)
    go_packages: dict[str, GoPackage] = field(default_factory=dict)
    # The aliases of `use go` imports that could not be loaded (E0432 at the import): a
    # path through one is an error already reported, so it is silently the error type.
    go_unresolved: frozenset[str] = frozenset()
    # The hidden type parameters of generic structs and enums (`struct Cursor<C: Container>
    # { last: Option<C::Item> }` is `Cursor<C, C::Item>`), by key: last in their `generics`.
    adt_hidden: dict[str, tuple[Hidden, ...]] = field(default_factory=dict)
    # Modules, `use` imports and visibility (gust.sema.modules); the tables above are
    # keyed by each item's key there.
    modules: ModuleTree = field(default_factory=ModuleTree)
    # What later layers derive from the environment alone, computed on first use (the Go
    # names of the package's items: gust.codegen.package_names). An environment is shared
    # by every item of its package and rebuilt when a signature changes.
    memo: dict[str, object] = field(default_factory=dict, compare=False, repr=False)
    # The top-level items the environment describes, in `build_env`'s order: `adopt`
    # replaces one by a later parse whose signatures are the same.
    items: list[ast.Item | None] = field(default_factory=list, compare=False, repr=False)

    def root_module(self, item: ast.Item) -> ModPath:
        """The module a top-level item is in: the package root, or the module whose file
        it is in (`mod net;`: the items of `net.gust` are in `net`), or a crate's root."""
        roots = self.modules.roots
        if not any(roots):
            return ()
        for i, found in enumerate(self.items):
            if found is item:
                return roots[i] if i < len(roots) else ()
        return ()

    def go_package(self, alias: str) -> GoPackage | None:
        path = self.go_aliases.get(alias)
        return self.go_packages.get(path) if path is not None else None

    def type_names(self) -> set[str]:
        return set(self.structs) | set(self.enums)

    def trait_impls(self, trait: str) -> list[ImplInfo]:
        return [i for i in self.impls if i.trait == trait]

    def is_package_type(self, name: str, args: tuple[t.Ty, ...]) -> bool:
        """Whether `name<args>` is the package's own struct or enum rather than a std type
        of the same name (`Cell`, `Entry`): a package type of that name with as many type
        parameters."""
        return (name in self.structs or name in self.enums) and \
            len(self.generics_of(name)) == len(args)

    def generics_of(self, name: str) -> tuple[str, ...]:
        if name in self.structs:
            return self.structs[name].generics
        if name in self.enums:
            return self.enums[name].generics
        return ()

    def adt_bounds(self, name: str) -> tuple[Bound, ...]:
        if name in self.structs:
            return self.structs[name].bounds
        if name in self.enums:
            return self.enums[name].bounds
        return ()

    def derives_of(self, name: str) -> frozenset[str]:
        if name in self.structs:
            return self.structs[name].derives
        if name in self.enums:
            return self.enums[name].derives
        return frozenset()


def signature_key(item: ast.Item | None, text: str) -> str:
    """The part of an item's text that other items can depend on.

    For a function, its text up to the body; for an impl, the text of its header and of each
    method's signature; for any other item, its whole text. A body that may read reference
    counts (`Rc::strong_count`) adds a mark: it changes how the Go backend represents every
    `Rc` of the package (gust.codegen.rc_counts); so does one naming `usize::MAX` (or
    `AtomicUsize`, which wraps to it), which changes how every `usize` is printed
    (gust.codegen.usize_max).
    """
    if item is None:
        return ""
    mark = "\x00rc-counts" if any(m in text for m in ("strong_count", "weak_count", "downgrade",
                                                       "Weak")) else ""
    if "usize::MAX" in text or "AtomicUsize" in text:
        mark += "\x00usize-max"
    if isinstance(item, ast.FnDecl):
        span = item.signature_span
        end = span.end
        if item.body is None and item.body_error and not item.sig_error:
            # A body that did not parse (its signature recovered, gust.syntax.parser): the
            # signature ends where the body starts, as a parsed body's does (and a
            # skeleton's: gust.syntax.skeleton).
            brace = first_top_level_brace(text)
            end = brace if brace >= span.start else end
        return text[span.start : end] + _body_items_text(item, text) + mark
    if isinstance(item, (ast.ImplDecl, ast.TraitDecl)):
        parts = []
        first = item.members[0].span.start if item.members else len(text)
        parts.append(text[:first])
        for m in item.members:
            span = m.signature_span if isinstance(m, ast.FnDecl) else m.span
            parts.append(text[span.start : span.end])
            if isinstance(m, ast.FnDecl):
                parts.append(_body_items_text(m, text))
        return "\x00".join(parts) + mark
    return text


def _body_items_text(fn: ast.FnDecl, text: str) -> str:
    """The text of the items declared in `fn`'s body (gust.sema.modules.body_items): they
    are part of the environment, so adding or editing one changes the key, and so does
    moving one to another block (the scope it is in, `scoped_item_stmts`). Nested `fn`s'
    signatures count too (their bodies' items are the environment's)."""
    if fn.body is None:
        return ""
    parts = []
    for stmt, scope in scoped_item_stmts(fn, ()):
        inner = stmt.item
        where = "::".join(scope)
        if isinstance(inner, ast.FnDecl):
            found = _body_items_text(inner, text)
            if found:
                span = inner.signature_span
                parts.append(where + text[span.start : span.end] + found)
        else:
            parts.append(where + text[inner.span.start : inner.span.end])
    return "".join("\x00" + part for part in parts)


# ---------------------------------------------------------------- type lowering


@dataclass(frozen=True)
class TypeScope:
    """What type names mean where a type is written."""

    adts: frozenset[str]
    generics: frozenset[str] = frozenset()
    self_ty: t.Ty | None = None
    adt_arity: dict[str, int] = field(default_factory=dict)
    # `use go` packages by alias, for `http::Response` in types.
    go: Mapping[str, GoPackage] = field(default_factory=dict)
    # Resolution from the module where the type is written (None: a flat scope of `adts`).
    names: Resolver | None = None
    # The package's traits, for `dyn Trait` (dyn compatibility) and bounds.
    traits: Mapping[str, ast.TraitDecl] = field(default_factory=dict)
    # Where `impl Trait` is an argument type: it is an anonymous type parameter, collected
    # here as (name, bounds); elsewhere (return types) it is an opaque type.
    impl_params: list[tuple[str, tuple[ast.TypePath, ...]]] | None = None
    # In a body, `_` in a type (`Vec<_>`) is a fresh inference variable.
    fresh: Callable[[], t.Ty] | None = None
    # The package's `type` aliases, by key; how many aliases deep the current lowering is
    # (an alias that names itself stops there).
    aliases: Mapping[str, ast.TypeAliasDecl] = field(default_factory=dict)
    alias_depth: int = 0
    # In a trait impl: its associated types, for `Self::Item` in its signatures.
    assoc_types: Mapping[str, t.Ty] = field(default_factory=dict)
    # `I::Item` of a parameter whose iterator bound binds it (`I: Iterator<Item = u32>`).
    projections: Mapping[str, t.Ty] = field(default_factory=dict)
    # The parameters whose associated types are known (a function's, but for one bounded
    # by a std iterator trait other than `Iterator`): `T::Name` of another is E0220.
    projected: frozenset[str] = frozenset()
    # The parameters bounded by `Iterator` (or `DoubleEndedIterator`, `ExactSizeIterator`):
    # what `Peekable<I>` may wrap.
    iterators: frozenset[str] = frozenset()
    # The package's constants' initialisers, by key, for array lengths (`[u8; N]`).
    const_inits: Mapping[str, ast.Expr] = field(default_factory=dict)
    # The aliases of the `use go` imports that could not be loaded (ItemEnv.go_unresolved).
    go_unresolved: frozenset[str] = frozenset()
    # `<Stack as Container>::Item` of a type that is not a parameter: the associated type
    # `Item` of the package's impl of the trait (by key) for that type; None when the type
    # does not implement it (`build_env`'s from the impls' syntax, the checker's from
    # `ItemEnv.impls`).
    impl_assoc: Callable[[str, t.Ty, str], t.Ty | None] | None = None
    # The hidden type parameters of the package's generic structs and enums, by key
    # (`ItemEnv.adt_hidden`): `Cursor<X>` is lowered with X's associated types after X.
    adt_hidden: Mapping[str, tuple[Hidden, ...]] = field(default_factory=dict)


def array_length(length: ast.Expr, scope: TypeScope) -> int:
    """The value of an array length (a literal or an expression over constants); 0 when
    Gust cannot evaluate it."""
    n = const_int(length, scope)
    return n if n is not None and n >= 0 else 0


def const_int(e: ast.Expr, scope: TypeScope) -> int | None:
    """The value of an integer constant expression (gust.sema.const_eval), or None."""
    def lookup(name: str) -> str | None:
        if scope.names is None:
            return name
        found = scope.names.lexical(name, "value")
        return found.key if found is not None and found.kind == "const" else None

    return int_value(e, lookup, scope.const_inits)


def lower_type(ty: ast.TypeExpr, scope: TypeScope, errors: list[d.Diagnostic]) -> t.Ty:
    """Turn a written type into a semantic type, reporting unknown names (E0412)."""
    match ty:
        case ast.TypePath(path=path):
            return _lower_type_path(path, scope, errors)
        case ast.RefType(mutable=mutable, inner=inner):
            return t.Ref(lower_type(inner, scope, errors), mutable)
        case ast.TupleType(elems=elems):
            return t.Tuple(tuple(lower_type(e, scope, errors) for e in elems))
        case ast.ArrayType(elem=elem, length=length):
            return t.Array(lower_type(elem, scope, errors), array_length(length, scope))
        case ast.SliceType(elem=elem):
            return t.Slice(lower_type(elem, scope, errors))
        case ast.NeverType():
            return t.NEVER
        case ast.FnPtrType(params=params, ret=ret):
            return t.FnPtr(tuple(lower_type(p, scope, errors) for p in params),
                           lower_type(ret, scope, errors) if ret is not None else t.UNIT)
        case ast.InferType():
            return scope.fresh() if scope.fresh is not None else t.ERROR
        case ast.DynTraitType(bounds=bounds):
            iter_item = _iterator_item(bounds)
            if iter_item is not None:
                # `Box<dyn Iterator<Item = T>>`: one of std's iterators, as `impl Iterator`
                # (Go: an `iter.Seq[T]` either way).
                return t.Adt("Iter", (lower_type(iter_item, scope, errors),))
            return _lower_dyn(bounds, ty.span, scope, errors)
        case ast.ImplTraitType(bounds=bounds):
            names = tuple(trait_key(b, scope) for b in bounds)
            if scope.impl_params is not None:
                name = "impl " + " + ".join(_bound_text(b) for b in bounds)
                while any(n == name for n, _ in scope.impl_params):
                    # Two `impl Fn(i32)` parameters are two distinct type parameters.
                    name += " "
                scope.impl_params.append((name, bounds))
                return t.Param(name)
            iter_item = _iterator_item(bounds)
            if iter_item is not None:
                # `-> impl Iterator<Item = T>`: to callers, one of std's iterators.
                return t.Adt("Iter", (lower_type(iter_item, scope, errors),))
            return t.Dyn(names, opaque=True, call=_call_sig(bounds, scope, errors))
    errors.append(d.error(None, "this kind of type is not supported yet", ty.span))
    return t.ERROR


# The std traits whose `Item` a bound's parameter has (`I::Item` with `I: Iterator`).
ITEM_TRAITS: Final = ("Iterator", "IntoIterator", "DoubleEndedIterator", "ExactSizeIterator")


def projection_name(param: str, assoc: str = "Item") -> str:
    """The hidden type parameter that stands for `I::Item` (`fn_sig`), `C::Key`."""
    return f"{param}::{assoc}"


def assoc_names(decl: ast.TraitDecl) -> tuple[str, ...]:
    """The associated types a trait of the package declares (`type Item;`)."""
    return tuple(m.name for m in decl.members if isinstance(m, ast.TypeAliasDecl))


def trait_assoc(trait: str, traits: Mapping[str, ast.TraitDecl]) -> tuple[str, ...]:
    """The associated types of a bound's trait that a parameter gets hidden parameters for:
    `Item` of `Iterator`, a package trait's own."""
    if trait in traits:
        return assoc_names(traits[trait])
    if trait == "FromStr":
        return ("Err",)  # `T::Err` of `T: FromStr` (`parse::<T>()`'s error)
    return ("Item",) if trait in ITEM_TRAITS else ()


def _projection(path: ast.Path, scope: TypeScope, errors: list[d.Diagnostic]) -> t.Ty:
    """`I::Item` for a type parameter `I`: the type its bound binds (`I: Iterator<Item =
    u32>`, `C: Container<Item = i32>`), else the hidden parameter `fn_sig` adds for it;
    E0220 for another name or a parameter without such a bound."""
    param, item = path.names
    key = projection_name(param, item)
    bound = scope.projections.get(key)
    if bound is not None:
        return bound
    if key in scope.generics:
        return t.Param(key)
    iterable = projection_name(param, "Item") in scope.projections or \
        projection_name(param, "Item") in scope.generics
    if param not in scope.projected or (iterable and item == "IntoIter"):
        # A struct's parameter bounded by `IntoIterator` alone, `DoubleEndedIterator` or
        # `ExactSizeIterator`; `C::IntoIter`.
        errors.append(d.error(None, "associated types of this type parameter are not "
                              "supported yet (`I::Item` of `I: Iterator` is, `C::Item` of a "
                              "function's `C: IntoIterator`, and those of any parameter's "
                              "trait of the package)", path.span))
        return t.ERROR
    errors.append(d.error("E0220", f"associated type `{item}` not found for `{param}`",
                          path.last.span, f"associated type `{item}` not found"))
    return t.ERROR


def open_projections(generics: ast.Generics,
                     traits: Mapping[str, ast.TraitDecl] | None = None,
                     function: bool = False) -> list[str]:
    """The hidden parameters of `generics` for `I::Item`, `C::Item` (`item_projections`)."""
    fake = TypeScope(frozenset(), traits=traits or {})
    return item_projections(generics, fake, [], function)[0]


def _written_bounds(generics: ast.Generics) -> list[tuple[str, ast.TypePath]]:
    """Each bound of a parameter, inline or in a `where` clause, with the parameter."""
    written: list[tuple[str, ast.TypePath]] = [(p.name, b) for p in generics.params
                                                for b in p.bounds]
    for w in generics.where:
        if isinstance(w.ty, ast.TypePath) and len(w.ty.path.segments) == 1:
            written += [(w.ty.path.last.name, b) for b in w.bounds]
    return written


def item_projections(generics: ast.Generics, scope: TypeScope, errors: list[d.Diagnostic],
                     function: bool = False) -> tuple[list[str], dict[str, t.Ty]]:
    """The hidden parameters of `generics` (`I::Item` of a parameter bounded by an
    iterator trait or `C::Item` of one bounded by a package trait with associated types,
    when the bound does not bind them), and the bound ones' types, by hidden name. A
    function's parameter bounded by `IntoIterator` alone has one too (Go erases it to an
    `iter.Seq[Item]` as an `Iterator` one; a struct's is not erased)."""
    open_: list[str] = []
    bound: dict[str, t.Ty] = {}
    unsupported: set[str] = set()
    for name, b in _written_bounds(generics):
        trait = b.path.last.name if b.path.last.name in ITEM_TRAITS else trait_key(b, scope)
        for assoc in trait_assoc(trait, scope.traits):
            key = projection_name(name, assoc)
            item = next((a.ty for a in b.path.last.generics
                         if isinstance(a, ast.AssocBinding) and a.name == assoc), None)
            if item is not None:
                bound[key] = lower_type(item, scope, errors)
            elif trait in ITEM_TRAITS and trait != "Iterator" and not (
                    function and trait == "IntoIterator"):
                unsupported.add(key)  # (the Go backend erases only `Iterator` parameters)
            elif key not in open_:
                open_.append(key)
    return [p for p in open_ if p not in bound and p not in unsupported], bound


def hidden_params(generics: ast.Generics, scope: TypeScope) -> tuple[Hidden, ...]:
    """The hidden parameters of a struct's, enum's or impl's `generics`: the associated
    types of a parameter bounded by a trait of the package (`C: Container`) that no bound
    binds (Go: `Cursor[C Container[Item], Item any]`), and `I::Item` of one bounded by
    `Iterator` (`struct Peek<I: Iterator>`: Go erases `I` to `iter.Seq[Item]`, as a
    function's). The other std iterator traits' are not (nor are a function's)."""
    open_ = item_projections(generics, scope, [])[0]
    index = {p.name: i for i, p in enumerate(generics.params)}
    out: list[Hidden] = []
    for name, b in _written_bounds(generics):
        trait = trait_key(b, scope)
        decl = scope.traits.get(trait)
        if name not in index or (decl is None and trait != "Iterator"):
            continue
        for assoc in assoc_names(decl) if decl is not None else ("Item",):
            key = projection_name(name, assoc)
            if key in open_ and all(h.name != key for h in out):
                out.append(Hidden(key, index[name], trait, assoc))
    return tuple(out)


def generic_scope(generics: ast.Generics, base: TypeScope, self_ty: t.Ty | None = None
                  ) -> tuple[TypeScope, tuple[Hidden, ...]]:
    """The scope of a struct, enum or impl: its parameters, and the associated types of
    those bounded by the package's traits (`C::Item`: a hidden parameter, `hidden_params`,
    or the type a bound binds, `C: Container<Item = i32>`)."""
    scope = _type_scope(generics, base, self_ty)
    hidden = hidden_params(generics, scope)
    open_, bound = item_projections(generics, scope, [])
    # (What is neither hidden nor bound stays unsupported, not E0220.)
    erased = {k.split("::")[0] for k in open_} - {h.name.split("::")[0] for h in hidden}
    projected = projected_params(generics, scope.traits) - erased
    scope = replace(scope, generics=scope.generics | {h.name for h in hidden},
                    projections={**scope.projections, **bound},
                    projected=scope.projected | projected,
                    iterators=scope.iterators | iterator_params(generics))
    return scope, hidden


def bind_hidden(bounds: Sequence[Bound], hidden: tuple[Hidden, ...],
                traits: Mapping[str, ast.TraitDecl]) -> tuple[Bound, ...]:
    """The bounds of a struct, enum or impl, each parameter's trait bound binding its hidden
    parameters (`C: Container<Item = C::Item>`): an instance's obligation then infers them."""
    return tuple(_bind_projections(list(bounds), [h.name for h in hidden], traits))


def hidden_args(name: str, args: tuple[t.Ty, ...], span: Span, scope: TypeScope,
                 errors: list[d.Diagnostic]) -> tuple[t.Ty, ...]:
    """The arguments of a generic struct's or enum's hidden parameters for its written
    `args` (`Cursor<Shelf>`: Shelf's `type Item`; `Cursor<C>`: `C::Item` in scope); E0277
    when the argument does not implement the trait."""
    out: list[t.Ty] = []
    for h in scope.adt_hidden.get(name, ()):
        arg = args[h.index] if h.index < len(args) else t.ERROR
        out.append(_assoc_of(arg, h, span, scope, errors))
    return args + tuple(out)


def _assoc_of(arg: t.Ty, h: Hidden, span: Span, scope: TypeScope,
              errors: list[d.Diagnostic]) -> t.Ty:
    if isinstance(arg, t.Error):
        return t.ERROR
    if t.contains_infer(arg):
        return scope.fresh() if scope.fresh is not None else t.ERROR
    if isinstance(arg, t.Param):
        key = projection_name(arg.name, h.assoc)
        if key in scope.projections:
            return scope.projections[key]
        if key in scope.generics:
            return t.Param(key)
        if arg.name == "Self" and h.assoc in scope.assoc_types:
            return scope.assoc_types[h.assoc]
    elif h.trait == "Iterator" and isinstance(arg, t.Adt) and arg.name in _STD_ITERATORS \
            and arg.name not in scope.adts and arg.args:
        return arg.args[0]  # std's iterators (`Iter<T>`, ranges) yield their argument
    elif scope.impl_assoc is not None:
        found = scope.impl_assoc(h.trait, arg, h.assoc)
        if found is not None:
            return found
    decl = scope.traits.get(h.trait)
    if decl is None:
        from gust.sema.traits import unsatisfied_message  # (it imports this module)

        message, label = unsatisfied_message(str(arg), h.trait)
        errors.append(d.error("E0277", message, span, label))
        return t.ERROR
    errors.append(_not_implemented(str(arg), decl.name, span))
    return t.ERROR


# The checker's std iterator types (gust.sema.traits.ITERATORS).
_STD_ITERATORS: Final = frozenset({"Iter", "Range", "RangeInclusive"})


def iterator_params(generics: ast.Generics) -> frozenset[str]:
    """The parameters of `generics` bounded by an iterator trait (`TypeScope.iterators`)."""
    return frozenset(name for name, b in _written_bounds(generics)
                     if b.path.last.name in ITEM_TRAITS and b.path.last.name != "IntoIterator")


def projected_params(generics: ast.Generics,
                     traits: Mapping[str, ast.TraitDecl] | None = None,
                     function: bool = False) -> frozenset[str]:
    """The parameters `_projection` knows the associated types of (`TypeScope.projected`)."""
    fake = TypeScope(frozenset(), traits=traits or {})
    open_, bound = item_projections(generics, fake, [], function)
    known = {k.split("::")[0] for k in (*open_, *bound)}
    written: dict[str, list[str]] = {p.name: [] for p in generics.params}
    for name, b in _written_bounds(generics):
        if name in written:
            written[name].append(trait_key(b, fake))
    # Only traits without associated types or the package's: `T::Output` of `T: Add` is
    # not known here.
    plain = {p for p, names in written.items()
             if all(n in _NO_ASSOC or n in fake.traits for n in names)}
    return frozenset(known) | frozenset(plain)


# Std traits without associated types (`T::Name` of a parameter bounded by these is E0220).
_NO_ASSOC: Final = frozenset({
    "Clone", "Copy", "Debug", "Display", "PartialEq", "Eq", "PartialOrd", "Ord", "Hash",
    "Default", "Send", "Sync", "Sized", "ToString", "Fn", "FnMut", "FnOnce", "From", "Into",
    "AsRef", "Borrow", "Error", "Drop"})


def _bind_projections(bounds: list[Bound], open_: list[str],
                      traits: Mapping[str, ast.TraitDecl]) -> list[Bound]:
    """Each bound of a parameter with hidden parameters, its associated types bound to
    them (`C: Container<Item = C::Item>`)."""
    out: list[Bound] = []
    for b in bounds:
        if isinstance(b.ty, t.Param):
            for assoc in trait_assoc(b.trait, traits):
                key = projection_name(b.ty.name, assoc)
                if key in open_ and b.assoc_ty(assoc) is None:
                    b = replace(b, assoc=(*b.assoc, (assoc, t.Param(key))))
        out.append(b)
    return out


def _iterator_item(bounds: tuple[ast.TypePath, ...]) -> ast.TypeExpr | None:
    """`T` of `impl Iterator<Item = T>` (alone or with marker traits), else None."""
    rest = [b for b in bounds if b.path.last.name not in ("Send", "Sync", "Sized")]
    if len(rest) != 1 or rest[0].path.last.name != "Iterator":
        return None
    return next((a.ty for a in rest[0].path.last.generics
                 if isinstance(a, ast.AssocBinding) and a.name == "Item"), None)


def _qualified_type(path: ast.Path, written: ast.TypePath, scope: TypeScope,
                    errors: list[d.Diagnostic]) -> t.Ty:
    """`<C as Container>::Item`: the associated type of that trait for that type (E0277
    when it does not implement the trait, E0576 when the trait has no such type). Of a
    parameter it is `C::Item`, of `Self` in a trait `Self::Item`; of another type its
    impl's (`TypeScope.impl_assoc`)."""
    *type_segs, item = path.segments
    type_span = type_segs[0].span.cover(type_segs[-1].span)
    bound = lower_bound(written, t.ERROR, scope, errors)
    if bound is None:
        return t.ERROR
    self_path = ast.Path(tuple(type_segs), type_span)
    ty = _lower_type_path(self_path, scope, errors)
    if isinstance(ty, t.Error):
        return t.ERROR
    decl = scope.traits.get(bound.trait)
    if decl is None:
        if bound.trait in ITEM_TRAITS and item.name == "Item" and isinstance(ty, t.Param):
            return _lower_type_path(ast.Path((*type_segs, item), path.span), scope, errors)
        errors.append(d.error(None, "a fully qualified path to an associated type of a std "
                              "trait is not supported yet (`<I as Iterator>::Item` of a "
                              "type parameter is)", path.span))
        return t.ERROR
    if item.name not in assoc_names(decl):
        errors.append(d.error("E0576", f"cannot find associated type `{item.name}` in trait "
                              f"`{decl.name}`", item.span, f"not found in `{decl.name}`"))
        return t.ERROR
    if isinstance(ty, t.Param) and ty.name == "Self" and scope.self_ty == ty:
        # In the trait (or one of its subtraits): `Self::Item`.
        found = scope.assoc_types.get(item.name)
        if found is not None:
            return found
    elif isinstance(ty, t.Param):
        key = projection_name(ty.name, item.name)
        if key in scope.projections or key in scope.generics:
            return _projection(ast.Path((*type_segs, item), path.span), scope, errors)
        if ty.name not in scope.projected:
            return _projection(ast.Path((*type_segs, item), path.span), scope, errors)
        errors.append(_not_implemented(ty.name, decl.name, path.span))
        return t.ERROR
    found = scope.impl_assoc(bound.trait, ty, item.name) \
        if scope.impl_assoc is not None else None
    if found is None:
        errors.append(_not_implemented(str(ty), decl.name, type_span))
        return t.ERROR
    return found


def _not_implemented(shown: str, trait: str, span: Span) -> d.Diagnostic:
    return d.error("E0277", f"the trait bound `{shown}: {trait}` is not satisfied", span,
                   f"the trait `{trait}` is not implemented for `{shown}`")


def impl_assoc_of(impls: Callable[[str], Sequence[ImplInfo]]
                  ) -> Callable[[str, t.Ty, str], t.Ty | None]:
    """`TypeScope.impl_assoc` over the impls of the environment (`ItemEnv.trait_impls`)."""
    from gust.sema.traits import match_ty  # (it imports this module)

    def impl_assoc(trait: str, ty: t.Ty, name: str) -> t.Ty | None:
        for impl in impls(trait):
            subst: dict[str, t.Ty] = {}
            if match_ty(impl.self_ty, ty, frozenset(impl.generics), subst):
                return t.substitute(dict(impl.assoc).get(name, t.ERROR), subst)
        return None

    return impl_assoc


def _lower_type_path(path: ast.Path, scope: TypeScope, errors: list[d.Diagnostic]) -> t.Ty:
    if path.qself_trait is not None:
        return _qualified_type(path, path.qself_trait, scope, errors)
    if scope.names is not None:
        path = expand_std_alias(scope.names, path)  # `sfmt::Formatter`: `std::fmt::...`
    names: tuple[str, ...] = path.names
    seg = path.last
    name = seg.name
    if len(names) == 2 and names[0] in scope.go:
        return _go_type(scope.go[names[0]], names, path, scope, errors)
    if len(names) == 2 and names[0] in scope.go_unresolved:
        return t.ERROR  # its import is E0432
    if len(names) == 2 and names[0] == "Self" and names[1] in scope.assoc_types:
        return scope.assoc_types[names[1]]
    if len(names) == 2 and names[0] == "Self" and scope.self_ty == t.Param("Self") and \
            not seg.generics:
        errors.append(d.error("E0220", f"associated type `{names[1]}` not found for `Self`",
                              seg.span, f"associated type `{names[1]}` not found"))
        return t.ERROR
    if len(names) == 2 and names[0] in scope.generics and not seg.generics:
        return _projection(path, scope, errors)
    fmt_ty = _FMT_TYPES.get(name)
    if fmt_ty is not None and (names[:-1] in (("fmt",), ("std", "fmt"), ("core", "fmt"))
                               or (len(names) == 1 and name == "Formatter")):
        return fmt_ty
    resolved = _resolve_type_name(path, scope, errors)
    if resolved is None:
        return t.ERROR
    if resolved.startswith(_ALIAS):
        key = resolved[len(_ALIAS):]
        if scope.names is not None:  # its target means what it means where it is declared
            home = alias_module(scope.names.tree, key)
            if home != scope.names.module:
                scope = replace(scope, names=Resolver(scope.names.tree, home))
        return _lower_alias(scope.aliases.get(key), seg, scope, errors)
    if not resolved and scope.names is None and len(names) == 1 and name in scope.aliases:
        return _lower_alias(scope.aliases[name], seg, scope, errors)
    iterator = _std_iterator(names, resolved, seg, scope, errors)
    if iterator is not None:
        return iterator
    if resolved:
        name, names = resolved, (resolved,)
    elif scope.names is not None and len(names) == 1 and name in scope.adts:
        scope = replace(scope, adts=frozenset())  # declared elsewhere, not in scope here
    if not resolved and scope.names is not None and len(names) == 1 and \
            std_needs_import(scope.names, name):
        errors.append(d.error("E0425", f"cannot find type `{name}` in this scope", seg.span,
                              "not found in this scope",
                              help=suggest_import(scope.names.tree, scope.names.module, name,
                                                  "type")))
        return t.ERROR
    # `std::string::String`, `std::collections::HashMap<K, V>`: the last segment decides.
    # `thread::JoinHandle<T>`, `mpsc::Sender<T>`: a std module's type (imported by
    # `use std::thread;`, which binds nothing: such paths are checked by their last segment,
    # as value paths are).
    std_module = len(names) == 2 and name in STD_MODULES.get(("std", names[0]), ())
    if len(names) > 1 and names[0] not in ("std", "core", "alloc", "crate", "self") and \
            not std_module:
        errors.append(undeclared_module(names[0], path.segments[0].span))
        return t.ERROR
    args = tuple(lower_type(g, scope, errors) for g in seg.generics)
    if name == "Self" and scope.self_ty is not None and len(names) == 1:
        return scope.self_ty
    if name in scope.generics and len(names) == 1:
        return t.Param(name)
    if name in t.PRIMITIVES:
        if args:
            errors.append(d.error("E0109", f"type arguments are not allowed on builtin type "
                                  f"`{name}`", seg.span, "type argument not allowed"))
        return t.PRIMITIVES[name]
    arity = scope.adt_arity.get(name, BUILTIN_TYPES.get(name, -1))
    if name in scope.adts or name in BUILTIN_TYPES or resolved:
        if arity >= 0 and len(args) != arity:
            if not args and arity > 0:
                errors.append(d.error("E0107", f"missing generics for `{name}`", seg.span,
                                      f"expected {arity} generic argument"
                                      + ("s" if arity != 1 else "")))
            else:
                errors.append(d.error("E0107", f"{_plural(name, arity)} takes {arity} generic "
                                      f"argument{'s' if arity != 1 else ''} but "
                                      f"{len(args)} generic argument"
                                      f"{'s were' if len(args) != 1 else ' was'} supplied",
                                      seg.span))
            return t.ERROR
        if name in scope.adt_hidden:
            args = hidden_args(name, args, seg.span, scope, errors)
        return t.Adt(name, args)
    if name in scope.traits and len(names) == 1:
        errors.append(d.error("E0782", "expected a type, found a trait", path.span,
                              help=(f"add `dyn` keyword before this trait: `dyn {name}`",)))
        return t.Dyn((name,))
    suggestion = _suggest(name, [*scope.adts, *BUILTIN_TYPES, *t.PRIMITIVES, *scope.generics])
    help_: tuple[str, ...] = (f"a type with a similar name exists: `{suggestion}`",) \
        if suggestion else ()
    if scope.names is not None:
        help_ = suggest_import(scope.names.tree, scope.names.module, name, "type") or help_
    # rustc 1.95 reports unknown types as E0425 (E0412 is no longer emitted).
    errors.append(d.error("E0425", f"cannot find type `{name}` in this scope", seg.span,
                          "not found in this scope", help=help_))
    return t.ERROR


def _resolve_type_name(path: ast.Path, scope: TypeScope, errors: list[d.Diagnostic]
                       ) -> str | None:
    """A path to a struct or enum of the package: its key; "" when the path is not the
    package's (built-in types, std paths, generic parameters); None when reported."""
    names = path.names
    if scope.names is None or (len(names) == 1 and (names[0] in scope.generics
                                                      or names[0] == "Self")):
        return ""
    found = scope.names.resolve([(s.name, s.span) for s in path.segments], "type", errors)
    if found is None:
        return None
    if found is PASS:
        return ""
    df = found.df
    if df.kind == "error":
        return None  # an import that did not resolve, already reported
    if found.rest == 0 and df.kind in ("struct", "enum", "builtin"):
        return df.key
    if found.rest == 0 and df.kind == "alias":
        return _ALIAS + df.key
    if found.rest == 0 and df.kind == "trait":
        return ""  # the traits' own rules (sema.traits) apply
    errors.append(d.error("E0573", f"expected type, found {df.word} `{'::'.join(names)}`",
                          path.span, "not a type"))
    return None


def _std_iterator(names: tuple[str, ...], resolved: str, seg: ast.PathSegment,
                  scope: TypeScope, errors: list[d.Diagnostic]) -> t.Ty | None:
    """std's iterator types by name (`Peekable<Chars<'a>>` imported, `std::vec::IntoIter<T>`,
    `str::Chars<'a>` after `use std::str;`): the `Iter<Item>` each is; None for other paths.
    `Peekable<I>` of an iterator of the package (its own `impl Iterator`) is not yet."""
    if "::" in resolved:  # imported: the key is `module::Name`
        module, name = ("std", resolved.split("::")[0]), resolved.split("::")[1]
    elif not resolved and len(names) == 3 and names[0] in ("std", "core", "alloc"):
        module, name = ("std", names[1]), names[2]
    elif not resolved and len(names) == 2:
        module, name = ("std", names[0]), names[1]
    else:
        return None
    arity = builtins.std_iterator_arity(module, name)
    if arity is None:
        return None
    args = tuple(lower_type(g, scope, errors) for g in seg.generics)
    if len(args) != arity:
        errors.append(d.error("E0107", f"missing generics for struct `{name}`" if not args
                              else f"struct takes {arity} generic argument"
                              f"{'s' if arity != 1 else ''} but {len(args)} generic argument"
                              f"{'s were' if len(args) != 1 else ' was'} supplied", seg.span))
        return t.ERROR
    if arity and name == "Peekable":
        return _peekable(args[0], seg, scope, errors)
    return builtins.std_iterator(module, name, args)


def _peekable(inner: t.Ty, seg: ast.PathSegment, scope: TypeScope,
              errors: list[d.Diagnostic]) -> t.Ty:
    """`Peekable<I>`: the iterator it wraps, as every std iterator is one type for the
    checker and Go (`iter.Seq`): of a type parameter bounded by `Iterator`, that parameter
    (its `peek`, `next_if` are an iterator's; Go erases it to an `iter.Seq`); of a package
    iterator, std's iterator of its impl's `type Item` (Go converts the value where it is
    stored, as `peekable()` does). E0277 for a type that is not an iterator
    (`Peekable<Vec<u8>>`, a parameter without the bound)."""
    if isinstance(inner, t.Error) or (isinstance(inner, t.Adt) and inner.name == "Iter"):
        return inner
    if isinstance(inner, t.Param) and inner.name in scope.iterators:
        return inner
    item: t.Ty | None = None
    if isinstance(inner, t.Adt) and inner.name in _STD_ITERATORS and \
            inner.name not in scope.adts and inner.args:
        item = inner.args[0]  # `Peekable<Range<u32>>`
    elif isinstance(inner, t.Adt) and scope.impl_assoc is not None:
        item = scope.impl_assoc("Iterator", inner, "Item")
    if item is not None:
        return t.Adt("Iter", (item,)) if not isinstance(item, t.Error) else t.ERROR
    from gust.sema.traits import unsatisfied_message  # (it imports this module)

    message, label = unsatisfied_message(str(inner), "Iterator")
    errors.append(d.error("E0277", message, seg.span, label))
    return t.ERROR


# `_resolve_type_name`'s answer for a `type` alias: this prefix, then the alias's key.
_ALIAS: Final = "\x00alias:"
_MAX_ALIAS_DEPTH: Final = 16


def _lower_alias(decl: ast.TypeAliasDecl | None, seg: ast.PathSegment, scope: TypeScope,
                 errors: list[d.Diagnostic]) -> t.Ty:
    """`Grid` for `type Grid = Vec<Vec<i32>>;`, and `Pair<i32>` for `type Pair<T> = (T, T);`:
    the aliased type, with the alias's parameters replaced by the arguments. Mistakes inside
    the alias's own definition are reported once, on the alias (`alias_errors`), not at
    every use."""
    if decl is None or decl.ty is None or scope.alias_depth >= _MAX_ALIAS_DEPTH:
        return t.ERROR
    args = tuple(lower_type(g, scope, errors) for g in seg.generics
                 if not isinstance(g, ast.AssocBinding))
    params = tuple(p.name for p in decl.generics.params)
    if len(args) != len(params):
        errors.append(d.error("E0107", f"type alias takes {len(params)} generic argument"
                              f"{'s' if len(params) != 1 else ''} but {len(args)} generic "
                              f"argument{'s were' if len(args) != 1 else ' was'} supplied",
                              seg.span))
        return t.ERROR
    inner = replace(scope, generics=frozenset(params), impl_params=None,
                    alias_depth=scope.alias_depth + 1, fresh=None)
    return t.substitute(lower_type(decl.ty, inner, []), dict(zip(params, args, strict=True)))


def alias_errors(decl: ast.TypeAliasDecl, scope: TypeScope) -> list[d.Diagnostic]:
    """The mistakes in an alias's definition (unknown names, wrong arities), reported on
    the alias itself."""
    errors: list[d.Diagnostic] = []
    if decl.ty is not None:
        inner = replace(scope, generics=frozenset(p.name for p in decl.generics.params))
        lower_type(decl.ty, inner, errors)
    return errors


def alias_cycle_error(decl: ast.TypeAliasDecl, key: str, scopes: Callable[[str], TypeScope],
                      first: Callable[[Sequence[str]], str]) -> d.Diagnostic | None:
    """rustc's E0391 on an alias whose target leads back to it (`type A = B; type B = A;`,
    `type A = Vec<A>;`), reported once per cycle: on the alias `first` picks among the
    cycle's (the first declared). `scopes(key)` resolves names where that alias is."""
    cycle = _alias_path_back(key, key, scopes, ())
    if cycle is None or first(cycle) != key or decl.ty is None:
        return None
    notes = tuple(f"...which requires expanding type alias `{_alias_name(k)}`..."
                  for k in cycle[1:])
    next_alias = cycle[1] if len(cycle) > 1 else key
    at = next((span for named, span in _aliases_named(decl.ty, scopes(key))
               if named == next_alias), decl.ty.span)  # (rustc's: the name of the next)
    return d.error("E0391", f"cycle detected when expanding type alias `{decl.name}`",
                   at, notes=(
                       *notes, f"...which again requires expanding type alias `{decl.name}`, "
                       "completing the cycle", "type aliases cannot be recursive"),
                   help=("consider using a struct, enum, or union instead to break the cycle",))


def _alias_path_back(root: str, key: str, scopes: Callable[[str], TypeScope],
                     trail: tuple[str, ...]) -> tuple[str, ...] | None:
    """The aliases from `key` back to `root` (depth first), starting with `key`; None when
    no path leads back."""
    scope = scopes(key)
    decl = scope.aliases.get(key)
    if decl is None or decl.ty is None or key in trail:
        return None
    inner = replace(scope, generics=frozenset(p.name for p in decl.generics.params))
    for named, _ in _aliases_named(decl.ty, inner):
        if named == root:
            return (*trail, key)
        found = _alias_path_back(root, named, scopes, (*trail, key))
        if found is not None:
            return found
    return None


def _aliases_named(ty: ast.TypeExpr, scope: TypeScope) -> list[tuple[str, Span]]:
    """The keys of the aliases a type expression names, anywhere in it, with where."""
    keys = []
    for node in walk(ty):
        if isinstance(node, ast.TypePath):
            resolved = _resolve_type_name(node.path, scope, [])
            if resolved is not None and resolved.startswith(_ALIAS):
                keys.append((resolved[len(_ALIAS):], node.span))
    return keys


def _alias_name(key: str) -> str:
    return key.rsplit("::", 1)[-1]


def _bound_text(b: ast.TypePath) -> str:
    """`Iterator<Item = i32>` as rustc prints a bound."""
    seg = b.path.last
    if not seg.generics:
        return seg.name
    args = []
    for g in seg.generics:
        if isinstance(g, ast.AssocBinding):
            args.append(f"{g.name} = {_type_text(g.ty)}")
        else:
            args.append(_type_text(g))
    return f"{seg.name}<{', '.join(args)}>"


def _type_text(ty: ast.TypeExpr) -> str:
    match ty:
        case ast.TypePath(path=path):
            seg = path.last
            if seg.generics:
                return f"{seg.name}<{', '.join(_type_text(g) for g in seg.generics)}>"
            return seg.name
        case ast.RefType(mutable=m, inner=inner):
            return ("&mut " if m else "&") + _type_text(inner)
        case ast.TupleType(elems=elems):
            return "(" + ", ".join(_type_text(e) for e in elems) + ")"
    return "_"


def _lower_dyn(bounds: tuple[ast.TypePath, ...], span: Span, scope: TypeScope,
               errors: list[d.Diagnostic]) -> t.Ty:
    """`dyn Trait`: the trait must exist and be dyn compatible (E0038), with its associated
    types given (E0191)."""
    names = []
    assoc: list[tuple[str, t.Ty]] = []
    for b in bounds:
        name = trait_key(b, scope)
        if name not in scope.traits and name not in STD_TRAITS:
            errors.append(_no_trait(b, scope))
            return t.ERROR
        decl = scope.traits.get(name)
        if decl is not None:
            reason = _not_dyn_compatible(decl)
            if reason is not None:
                # rustc labels the method in the trait; spans are relative to the item
                # they are in, and the trait is usually another item: a note says it.
                why = reason[1].removeprefix("...because ")
                errors.append(d.error(
                    "E0038", f"the trait `{name}` is not dyn compatible", span,
                    f"`{name}` is not dyn compatible",
                    notes=(f"`{name}` is not dyn compatible because {why}",
                           "for a trait to be dyn compatible it needs to allow building a "
                           "vtable; for more information, visit <https://doc.rust-lang.org/"
                           "reference/items/traits.html#dyn-compatibility>",)))
                return t.ERROR
            missing = [a for a in assoc_names(decl) if not any(
                isinstance(g, ast.AssocBinding) and g.name == a for g in b.path.last.generics)]
            if missing:
                shown = ", ".join(f"`{a}`" for a in missing)
                errors.append(d.error(
                    "E0191", f"the value of the associated type{'s' if len(missing) > 1 else ''}"
                    f" {shown} in `{name}` must be specified", b.span,
                    help=("specify the associated type: `" + name + "<" + ", ".join(
                        f"{a} = Type" for a in missing) + ">`",)))
                return t.ERROR
            for g in b.path.last.generics:
                if isinstance(g, ast.AssocBinding) and g.name in assoc_names(decl):
                    assoc.append((g.name, lower_type(g.ty, scope, errors)))
        names.append(name)
    extra = _additional_trait(bounds)
    if extra is not None:
        errors.append(extra)
        return t.ERROR
    return t.Dyn(tuple(names), call=_call_sig(bounds, scope, errors), assoc=tuple(assoc))


# Rust's auto traits: the only ones a trait object may name besides its one trait.
AUTO_TRAITS: Final = frozenset({"Send", "Sync", "Unpin", "UnwindSafe", "RefUnwindSafe"})
# How rustc's help names std traits that are not in the prelude.
_STD_TRAIT_PATHS: Final = {"Display": "std::fmt::Display", "Debug": "std::fmt::Debug",
                    "Error": "std::error::Error", "Hash": "std::hash::Hash"}


def _additional_trait(bounds: tuple[ast.TypePath, ...]) -> d.Diagnostic | None:
    """E0225 for `dyn A + B` with two traits that are not auto traits (a trait object
    has one vtable: `dyn A + Send` is fine)."""
    main = [b for b in bounds if b.path.last.name not in AUTO_TRAITS]
    if len(main) < 2:
        return None
    written = " + ".join(_STD_TRAIT_PATHS.get(b.path.last.name, _bound_text(b)) for b in main)
    return d.error(
        "E0225", "only auto traits can be used as additional traits in a trait object",
        main[1].span, "additional non-auto trait",
        labels=(d.Label(main[0].span, "first non-auto trait"),),
        help=("consider creating a new trait with all of these as supertraits and using "
              f"that trait here instead: `trait NewTrait: {written} {{}}`",),
        notes=("auto-traits like `Send` and `Sync` are traits that have special properties; "
               "for more information on them, visit <https://doc.rust-lang.org/reference/"
               "special-types-and-traits.html#auto-traits>",))


def _call_sig(bounds: tuple[ast.TypePath, ...], scope: TypeScope,
              errors: list[d.Diagnostic]) -> t.FnPtr | None:
    """The signature of an `Fn(A) -> R` bound among `bounds` (for calls of `dyn Fn` and
    `impl Fn` values)."""
    for b in bounds:
        seg = b.path.last
        if seg.name in ("Fn", "FnMut", "FnOnce") and len(seg.generics) == 2:
            params, ret = (lower_type(g, scope, errors) for g in seg.generics
                           if not isinstance(g, ast.AssocBinding))
            if isinstance(params, t.Tuple):
                return t.FnPtr(params.elems, ret)
    return None


def _not_dyn_compatible(decl: ast.TraitDecl) -> tuple[Span, str] | None:
    """Why a trait cannot be a trait object: a generic method, or one returning `Self`
    (rustc's dyn compatibility rules, the cases v1 programs meet)."""
    for m in decl.members:
        if not isinstance(m, ast.FnDecl):
            continue
        if _where_self_sized(m):
            continue
        if m.generics.params:
            return (m.name_span, "...because method `" + m.name + "` has generic type "
                    "parameters")
        if m.self_param is None:
            return (m.name_span, "...because associated function `" + m.name + "` has no "
                    "`self` parameter")
        if isinstance(m.ret, ast.TypePath) and m.ret.path.names == ("Self",):
            return (m.ret.span, "...because method `" + m.name + "` references the `Self` "
                    "type in its return type")
    return None


def _where_self_sized(fn: ast.FnDecl) -> bool:
    return any(isinstance(w.ty, ast.TypePath) and w.ty.path.names == ("Self",)
               and any(b.path.last.name == "Sized" for b in w.bounds)
               for w in fn.generics.where)


def _no_trait(b: ast.TypePath, scope: TypeScope) -> d.Diagnostic:
    name = b.path.last.name
    if name in scope.adts:
        return d.error("E0404", f"expected trait, found struct `{name}`", b.span,
                       "not a trait")
    return d.error("E0405", f"cannot find trait `{name}` in this scope", b.path.last.span,
                   "not found in this scope")


def lower_bound(b: ast.TypePath, ty: t.Ty, scope: TypeScope,
                errors: list[d.Diagnostic]) -> Bound | None:
    """`ty: b` as a `Bound`, or None (reported) when `b` names no trait."""
    seg = b.path.last
    name = trait_key(b, scope)
    if name not in scope.traits and name not in STD_TRAITS:
        errors.append(_no_trait(b, scope))
        return None
    if not _std_trait_imported(b, name, scope):
        # rustc stops at this error; the bound is kept, so that nothing else is reported.
        errors.append(d.error("E0405", f"cannot find trait `{name}` in this scope",
                              Span(seg.span.start, seg.span.start + len(seg.name)),
                              "not found in this scope",
                              help=(f"consider importing this trait: `use std::ops::{name};`",)))
    args: list[t.Ty] = []
    assoc: list[tuple[str, t.Ty]] = []
    for g in seg.generics:
        if isinstance(g, ast.AssocBinding):
            assoc.append((g.name, lower_type(g.ty, scope, errors)))
        else:
            args.append(lower_type(g, scope, errors))
    return Bound(ty, name, tuple(args), tuple(assoc))


def _std_trait_imported(b: ast.TypePath, name: str, scope: TypeScope) -> bool:
    """False for a trait of `std::ops` named alone without its `use` (`impl Add for M`,
    `T: AddAssign`): not in Rust's prelude. A path (`std::ops::Add`, `ops::Add`) is
    resolved as paths are; a flat scope (no modules) cannot tell."""
    if name not in STD_OPS_ALL_TRAITS or name in scope.traits or len(b.path.segments) > 1 \
            or scope.names is None:
        return True
    return scope.names.std_trait_in_scope(name)


def trait_key(b: ast.TypePath, scope: TypeScope) -> str:
    """The key of the trait a bound names: its name, or its path when another package's
    trait has the same name (`fmt_a::Show`); std traits by their last segment."""
    if scope.names is not None:
        b = replace(b, path=expand_std_alias(scope.names, b.path))  # `use .. as Show;`
    name = b.path.last.name
    if scope.names is None or (name in scope.traits and len(b.path.segments) == 1 and
                               not _shadowed_trait(scope, name)):
        return name
    found = scope.names.resolve([(s.name, s.span) for s in b.path.segments], "type", None)
    if found is not None and found.df.kind == "trait" and found.rest == 0 and found.df.key:
        return found.df.key
    return name


def _shadowed_trait(scope: TypeScope, name: str) -> bool:
    """Whether the trait key `name` is not what `name` means where it is written (a
    `use fmt_a::Show;` beside a package trait `Show` declared in another module)."""
    assert scope.names is not None
    df = scope.names.lexical(name, "type")
    return df is not None and df.kind == "trait" and df.key != name


def generic_bounds(generics: ast.Generics, scope: TypeScope,
                   errors: list[d.Diagnostic]) -> tuple[Bound, ...]:
    """The bounds of `<T: A, U>` and of `where` clauses."""
    out: list[Bound] = []
    for p in generics.params:
        for b in p.bounds:
            bound = lower_bound(b, t.Param(p.name), scope, errors)
            if bound is not None:
                out.append(bound)
    for w in generics.where:
        ty = lower_type(w.ty, scope, errors)
        for b in w.bounds:
            bound = lower_bound(b, ty, scope, errors)
            if bound is not None:
                out.append(bound)
    return tuple(out)


_FMT_TYPES: Final[dict[str, t.Ty]] = {"Formatter": t.FORMATTER, "Result": t.FMT_RESULT,
                               "Error": t.FMT_ERROR}


def _go_type(package: GoPackage, names: tuple[str, ...], path: ast.Path, scope: TypeScope,
             errors: list[d.Diagnostic]) -> t.Ty:
    """`http::Response`: a type of a `use go` package."""
    named = package.type(names[1])
    if named is None:
        suggestion = _suggest(names[1], [n.name for n in package.types])
        help_ = (f"a type with a similar name exists: `{suggestion}`",) if suggestion else ()
        errors.append(d.error("E0412", f"cannot find type `{names[1]}` in Go package "
                              f"`{package.path}`", path.last.span, "not found in this package",
                              help=help_))
        return t.ERROR
    adt = gust_named_type(package.path, named)
    args = tuple(lower_type(g, scope, errors) for g in path.last.generics)
    return t.Adt(adt.name, args) if args else adt


def _plural(name: str, arity: int) -> str:
    return "enum" if name in ("Option", "Result") else "struct"


def _suggest(name: str, candidates: Sequence[str]) -> str | None:
    from gust.sema.names import similar_name

    return similar_name(name, candidates)


# ---------------------------------------------------------------- building the environment


def build_env(items: Sequence[ast.Item | None],
              go_packages: Mapping[str, GoPackage | str] | None = None,
              files: Sequence[str] = (),
              crates: Mapping[str, str] | None = None, roots: Sequence[ModPath] = (),
              unread: frozenset[ModPath] = frozenset(),
              ) -> tuple[ItemEnv, list[list[d.Diagnostic]]]:
    """Collect the signatures of `items` (the top-level items of a package, in its files'
    order; `files` names the file of each); returns the environment and, per item, the
    diagnostics found in its signature (spans relative to that item). `go_packages` holds
    the Go packages the items import (`use go`), by import path, already loaded; a string
    instead of a package says why it could not be loaded. The items of other Gust packages
    the package uses come after its own, each in its crate's root module (`crates`: name ->
    Go import path; `roots`: the module of each top-level item; gust.sema.modules).
    `unread`: the modules whose file is missing (E0583): names in them are not reported."""
    env = ItemEnv()
    go = go_packages or {}
    tree, placed, errors = build_tree(items, files, crates, roots, unread)
    env.modules = tree
    arity: dict[str, int] = {}
    for p in placed:
        key = tree.key_of(p.item)
        if isinstance(p.item, (ast.StructDecl, ast.EnumDecl)) and key is not None:
            arity[key] = len(p.item.generics.params)
    for i, item in enumerate(items):
        if isinstance(item, ast.UseGoDecl):
            _add_go_import(env, item, go.get(item.package, "it was not loaded"), errors[i])
    for path, package in go.items():
        if isinstance(package, GoPackage):
            # A package the imported ones' APIs name (`net/url` for `http.Request.URL`):
            # its types' methods and fields, without a name in the file.
            env.go_packages.setdefault(path, package)
    # Traits by key: their name, unless two packages (crates) have a trait of that name
    # (`fmt_a::Show`, `fmt_b::Show`); a trait declared twice is reported by the module tree.
    trait_decls = {key: p.item for p in placed
                   if isinstance(p.item, ast.TraitDecl) and (key := tree.key_of(p.item))}
    env.type_aliases = {key: p.item for p in placed
                        if isinstance(p.item, ast.TypeAliasDecl)
                        and (key := tree.key_of(p.item)) is not None}
    env.assoc_const_inits = _assoc_const_inits(placed)
    base = TypeScope(frozenset(arity), adt_arity=arity,
                     go={alias: env.go_packages[path] for alias, path in env.go_aliases.items()},
                     go_unresolved=env.go_unresolved, traits=trait_decls, aliases=env.type_aliases,
                     const_inits={**{key: p.item.value for p in placed
                                     if isinstance(p.item, ast.ConstDecl)
                                     and (key := tree.key_of(p.item)) is not None},
                                  **env.assoc_const_inits})
    scopes: dict[ModPath, TypeScope] = {}
    for p in placed:
        key = tree.key_of(p.item)
        if isinstance(p.item, (ast.StructDecl, ast.EnumDecl)) and key is not None:
            hidden = hidden_params(p.item.generics, replace(
                base, names=Resolver(tree, p.module),
                generics=frozenset(g.name for g in p.item.generics.params)))
            if hidden:
                env.adt_hidden[key] = hidden
    base = replace(base, adt_hidden=env.adt_hidden)
    base = replace(base, impl_assoc=_syntactic_impl_assoc(placed, scopes, base))
    for p in placed:
        if p.module not in scopes:
            scopes[p.module] = replace(base, names=Resolver(tree, p.module))
        key = tree.key_of(p.item)
        if isinstance(p.item, ast.TraitDecl) and key and trait_decls.get(key) is p.item:
            env.traits[key] = _trait_info(env, p.item, scopes[p.module], errors[p.index], key)
    alias_home = {tree.key_of(p.item): p for p in placed if isinstance(p.item, ast.TypeAliasDecl)}

    def alias_scope(alias: str) -> TypeScope:
        home = alias_home.get(alias)
        return scopes[home.module] if home is not None else base

    def first_declared(aliases: Sequence[str]) -> str:
        return min(aliases, key=lambda a: (alias_home[a].index, alias_home[a].item.span.start)
                   if a in alias_home else (len(placed), 0))

    for p in placed:
        errs = errors[p.index]
        item = p.item
        key = tree.key_of(item)
        scope = scopes[p.module]
        match item:
            case ast.StructDecl() if key is not None:
                info = _struct_info(item, scope, errs)
                if tree.crate_of(p.module) is not None:  # its `pub(crate)` fields are private
                    info = replace(info, fields=tuple(
                        replace(f, is_pub=pub_in_package(tree, p.module, decl))
                        for f, decl in zip(info.fields, item.fields, strict=True)))
                env.structs[key] = replace(info, name=key, module=p.module)
            case ast.EnumDecl() if key is not None:
                env.enums[key] = replace(_enum_info(item, scope, errs), name=key,
                                         module=p.module)
            case ast.FnDecl() if key is not None:
                env.fns[key] = replace(fn_sig(item, None, scope, errs), module=p.module)
            case ast.ConstDecl() | ast.StaticDecl() if key is not None:
                env.consts[key] = ConstInfo(item.name, lower_type(item.ty, scope, errs), item)
            case ast.ImplDecl():
                _add_impl(env, item, scope, errs, p.module)
            case ast.TypeAliasDecl() if key is not None:
                cycle = alias_cycle_error(item, key, alias_scope, first_declared)
                errs.extend([cycle] if cycle is not None else alias_errors(item, scope))
    _outer_generics(placed, errors)
    from gust.sema.coherence import check_items  # needs the whole environment

    for p in placed:
        check_items(env, p.item, errors[p.index])
    env.items = list(items)
    return env, errors


def _syntactic_impl_assoc(placed: Sequence[Placed], scopes: Mapping[ModPath, TypeScope],
                          base: TypeScope) -> Callable[[str, t.Ty, str], t.Ty | None]:
    """`TypeScope.impl_assoc` while the signatures are lowered, before the impls are
    (`<Stack as Container>::Item` in a signature): the impl's `type Item = ..` lowered
    where it is written. An associated type that names itself through such a path is the
    error type there (the impl's own lowering reports what is wrong with it)."""
    from gust.sema.traits import match_ty  # (it imports this module)

    impls = [p for p in placed if isinstance(p.item, ast.ImplDecl)
             and p.item.trait_ is not None]
    active: set[tuple[int, str]] = set()

    def impl_assoc(trait: str, ty: t.Ty, name: str) -> t.Ty | None:
        last = trait.rsplit("::", 1)[-1]
        for p in impls:
            decl = p.item
            assert isinstance(decl, ast.ImplDecl) and decl.trait_ is not None
            if decl.trait_.path.last.name != last:
                continue
            scope = generic_scope(decl.generics, scopes.get(p.module, base))[0]
            bound = lower_bound(decl.trait_, t.ERROR, scope, [])
            if bound is None or bound.trait != trait:
                continue
            pattern = lower_type(decl.self_ty, scope, [])
            subst: dict[str, t.Ty] = {}
            generics = frozenset(g.name for g in decl.generics.params) | frozenset(
                h.name for h in hidden_params(decl.generics, scope))
            if not match_ty(pattern, ty, generics, subst):
                continue
            member = next((m.ty for m in decl.members if isinstance(m, ast.TypeAliasDecl)
                           and m.name == name), None)
            if member is None or (id(decl), name) in active:
                return t.ERROR
            active.add((id(decl), name))
            try:
                found = lower_type(member, replace(scope, self_ty=pattern), [])
            finally:
                active.discard((id(decl), name))
            return t.substitute(found, subst)
        return None

    return impl_assoc


def _assoc_const_inits(placed: Sequence[Placed]) -> dict[str, ast.Expr]:
    """The values of inherent associated constants (`impl Config { const MAX: usize = 10; }`)
    keyed `Config::MAX`, for array lengths (`[u8; Config::MAX]`)."""
    out: dict[str, ast.Expr] = {}
    for p in placed:
        item = p.item
        if not isinstance(item, ast.ImplDecl) or item.trait_ is not None or \
                not isinstance(item.self_ty, ast.TypePath):
            continue
        for m in item.members:
            if isinstance(m, ast.FnDecl) and m.assoc_const and m.body is not None and \
                    m.body.tail is not None:
                out[f"{item.self_ty.path.last.name}::{m.name}"] = m.body.tail
    return out


def _outer_generics(placed: Sequence[Placed], errors: list[list[d.Diagnostic]]) -> None:
    """E0401, as rustc: an item declared in a function's body cannot name the function's
    type parameters (`fn wrap<T>() { struct W(T); }`); the type was reported unknown."""
    outer: dict[ModPath, frozenset[str]] = {}
    for p in placed:
        for fn in fns_of(p.item):
            scope = block_module(fn, p.module)
            if scope != p.module:
                names = frozenset(g.name for g in fn.generics.params)
                outer[scope] = names | outer.get(p.module, frozenset())
    if not outer:
        return
    for p in placed:
        module = p.module
        while module not in outer and module and module[-1].endswith(BLOCK_MARK):
            module = module[:-1]  # an inner block's scope (`main#::1#`) is in the body's
        generics = outer.get(module)
        if not generics:
            continue
        errs = errors[p.index]
        for i, err in enumerate(errs):
            name = err.message.removeprefix("cannot find type `").split("`")[0]
            if err.code in ("E0425", "E0412") and name in generics and \
                    p.item.span.start <= err.span.start < p.item.span.end:
                errs[i] = d.error(
                    "E0401", "can't use generic parameters from outer item", err.span,
                    "use of generic parameter from outer item",
                    help=(f"try introducing a local generic parameter here: `<{name}>`",))


def adopt(env: ItemEnv, items: Sequence[ast.Item | None]) -> None:
    """Make `env` describe `items`, a later parse of the items it was built from with the
    same signature keys (only bodies changed: `signature_key`). The environment is kept
    across such edits, and the checker and the backend find a function's signature, impl
    and trait by its declaration (`impl_of`, `sig.decl is fn`): they must be the new
    parse's, or an edited method would lose its impl's generics and its Go."""
    renamed: dict[int, object] = {}
    for i, (old, new) in enumerate(zip(env.items, items, strict=False)):
        if old is not new and old is not None and new is not None and type(old) is type(new):
            _pair_decls(old, new, renamed)
            env.items[i] = new
    if not renamed:
        return

    def sig(s: FnSig) -> FnSig:
        decl = renamed.get(id(s.decl))
        return s if decl is None else replace(s, decl=cast(ast.FnDecl, decl))

    def sigs(table: Mapping[str, FnSig]) -> dict[str, FnSig]:
        return {name: sig(s) for name, s in table.items()}

    for name, s in env.fns.items():
        env.fns[name] = sig(s)
    for owner, table in env.methods.items():
        env.methods[owner] = sigs(table)
    for owner, table in env.inherent.items():
        env.inherent[owner] = sigs(table)
    impls: dict[int, ImplInfo] = {}
    for i, info in enumerate(env.impls):
        decl = renamed.get(id(info.decl))
        if decl is not None:
            impls[id(info)] = env.impls[i] = replace(
                info, decl=cast(ast.ImplDecl, decl), methods=sigs(info.methods))
    traits: dict[int, TraitInfo] = {}
    for name, trait in env.traits.items():
        decl = renamed.get(id(trait.decl))
        if decl is not None:
            traits[id(trait)] = env.traits[name] = replace(
                trait, decl=cast(ast.TraitDecl, decl), methods=sigs(trait.methods))
    _adopt_decls(env.structs, renamed)
    _adopt_decls(env.enums, renamed)
    _adopt_decls(env.consts, renamed)
    env.impl_of = {cast(ast.FnDecl, renamed.get(id(fn), fn)): impls.get(id(info), info)
                   for fn, info in env.impl_of.items()}
    env.trait_of = {cast(ast.FnDecl, renamed.get(id(fn), fn)): traits.get(id(info), info)
                    for fn, info in env.trait_of.items()}
    keys = env.modules.keys
    for old_id, node in renamed.items():
        if old_id in keys:
            keys[id(node)] = keys.pop(old_id)


def _adopt_decls(table: dict[str, _Declared], renamed: Mapping[int, object]) -> None:
    """Point each entry of `table` at the new parse of its declaration: the checker finds a
    constant's initialiser (gust.sema.consts), and coherence and the backend a struct's or
    an enum's info, by identity with the item they are given."""
    for key, info in table.items():
        decl = renamed.get(id(info.decl))
        if decl is not None:
            table[key] = replace(info, decl=decl)  # type: ignore[arg-type]


def _pair_decls(old: ast.Item, new: ast.Item, renamed: dict[int, object]) -> None:
    """`renamed[id(o)] = n` for the item, the methods of an impl or trait, the items of an
    inline module and those declared in function bodies (same keys: the same items)."""
    renamed[id(old)] = new
    if isinstance(old, (ast.ImplDecl, ast.TraitDecl)) and \
            isinstance(new, (ast.ImplDecl, ast.TraitDecl)):
        for o, n in zip(old.members, new.members, strict=False):
            if type(o) is type(n):
                renamed[id(o)] = n
                if isinstance(o, ast.FnDecl) and isinstance(n, ast.FnDecl):
                    _pair_body_items(o, n, renamed)
    if isinstance(old, ast.FnDecl) and isinstance(new, ast.FnDecl):
        _pair_body_items(old, new, renamed)


def _pair_body_items(old: ast.FnDecl, new: ast.FnDecl, renamed: dict[int, object]) -> None:
    olds = [s.item for s in item_stmts(old)]
    news = [s.item for s in item_stmts(new)]
    for o, n in zip(olds, news, strict=False):
        if type(o) is type(n):
            _pair_decls(o, n, renamed)


def impl_owner(env: ItemEnv, item: ast.ImplDecl, module: ModPath,
               errs: list[d.Diagnostic] | None = None) -> str | None:
    """The key of the struct or enum an `impl` written in `module` is for (None when it is
    not one of the package's)."""
    if not isinstance(item.self_ty, ast.TypePath):
        return None
    path = item.self_ty.path
    found = Resolver(env.modules, module).resolve(
        [(s.name, s.span) for s in path.segments], "type", errs if errs is not None else [])
    if found is None or found is PASS or found.rest:
        return None
    return found.df.key if found.df.kind in ("struct", "enum") else None


def _trait_info(env: ItemEnv, item: ast.TraitDecl, base: TypeScope,
                errs: list[d.Diagnostic], key: str | None = None) -> TraitInfo:
    self_ty = t.Param("Self")
    name = key or item.name
    assoc = assoc_names(item)
    scope = _type_scope(item.generics, base, self_ty)
    scope = replace(scope, assoc_types={a: t.Param(projection_name("Self", a)) for a in assoc})
    supers = tuple(b for st in item.supertraits
                   if (b := lower_bound(st, self_ty, scope, errs)) is not None)
    methods: dict[str, FnSig] = {}
    defaults: set[str] = set()
    info = TraitInfo(name, tuple(p.name for p in item.generics.params), supers, methods,
                     frozenset(), item, assoc)
    for m in item.members:
        if not isinstance(m, ast.FnDecl):
            continue
        if m.name in methods:
            errs.append(d.error("E0428", f"the name `{m.name}` is defined multiple times",
                                m.name_span, f"`{m.name}` redefined here"))
            continue
        methods[m.name] = fn_sig(m, name, scope, errs)
        env.trait_of[m] = info
        if m.body is not None or m.body_error:
            defaults.add(m.name)
    info = replace(info, defaults=frozenset(defaults))
    for m in item.members:
        if isinstance(m, ast.FnDecl) and m in env.trait_of:
            env.trait_of[m] = info
    return info


def _type_scope(generics: ast.Generics, base: TypeScope,
                self_ty: t.Ty | None = None) -> TypeScope:
    return replace(base, generics=base.generics | {p.name for p in generics.params},
                   self_ty=self_ty if self_ty is not None else base.self_ty)


def _field_infos(fields: tuple[ast.FieldDef, ...], scope: TypeScope,
                 errs: list[d.Diagnostic]) -> tuple[FieldInfo, ...]:
    result = []
    seen: set[str] = set()
    for f in fields:
        if f.name is not None and f.name in seen:
            errs.append(d.error("E0124", f"field `{f.name}` is already declared", f.name_span,
                                "field already declared"))
        if f.name is not None:
            seen.add(f.name)
        result.append(FieldInfo(f.name, lower_type(f.ty, scope, errs), f.name_span, f.is_pub))
    return tuple(result)


def _struct_info(item: ast.StructDecl, base: TypeScope,
                 errs: list[d.Diagnostic]) -> StructInfo:
    scope, hidden = generic_scope(item.generics, base)
    fields = _field_infos(item.fields, scope, errs)
    _unused_params(item.generics, [f.ty for f in fields], errs)
    return StructInfo(item.name, item.kind, fields, ast.derives(item.attrs),
                      tuple(p.name for p in item.generics.params) + tuple(
                          h.name for h in hidden), item,
                      bounds=bind_hidden(generic_bounds(item.generics, scope, errs), hidden,
                                         scope.traits))


def _unused_params(generics: ast.Generics, tys: list[t.Ty], errs: list[d.Diagnostic]) -> None:
    """E0392: every type parameter of a struct or enum must appear in a field (unless a
    field's type is in error: its mistake is reported, and may be where it is used)."""
    from gust.sema.check.util import has_error

    if any(has_error(ty) for ty in tys):
        return
    used: set[str] = set()
    for ty in tys:
        # `S::Key` (a hidden parameter, `hidden_params`) uses `S`, as in rustc.
        used |= {p.split("::")[0] for p in t.params_in(ty)}
    for p in generics.params:
        if p.name not in used:
            errs.append(d.error("E0392", f"type parameter `{p.name}` is never used",
                                Span(p.span.start, p.span.start + len(p.name)),
                                "unused type parameter",
                                help=(f"consider removing `{p.name}`, referring to it in a "
                                      "field, or using a marker such as "
                                      "`PhantomData`",)))


def _enum_info(item: ast.EnumDecl, base: TypeScope,
               errs: list[d.Diagnostic]) -> EnumInfo:
    scope, hidden = generic_scope(item.generics, base)
    variants = []
    seen: set[str] = set()
    for i, v in enumerate(item.variants):
        if v.name in seen:
            errs.append(d.error("E0428", f"the name `{v.name}` is defined multiple times",
                                v.name_span, f"`{v.name}` redefined here"))
        seen.add(v.name)
        variants.append(VariantInfo(v.name, v.kind, _field_infos(v.fields, scope, errs), i, v))
    variants = _discriminants(item, variants, scope, errs)
    _unused_params(item.generics, [f.ty for v in variants for f in v.fields], errs)
    return EnumInfo(item.name, tuple(variants), ast.derives(item.attrs),
                    tuple(p.name for p in item.generics.params) + tuple(
                        h.name for h in hidden), item,
                    bounds=bind_hidden(generic_bounds(item.generics, scope, errs), hidden,
                                       scope.traits))


# The integer types `#[repr(..)]` may name, and the range of each.
_REPR_RANGES: Final = {name: ((-(1 << (ty.bits - 1)), (1 << (ty.bits - 1)) - 1) if ty.signed
                       else (0, (1 << ty.bits) - 1))
                for name, ty in t.PRIMITIVES.items() if isinstance(ty, t.Int)}


def enum_repr(decl: ast.EnumDecl) -> str | None:
    """The integer type of `#[repr(u8)]` (None without one: discriminants are `isize`)."""
    for a in decl.attrs:
        if a.name == "repr":
            for arg in a.args:
                if arg in _REPR_RANGES:
                    return arg
    return None


def _discriminants(item: ast.EnumDecl, variants: list[VariantInfo], scope: TypeScope,
                   errs: list[d.Diagnostic]) -> list[VariantInfo]:
    """Each variant's discriminant, as rustc assigns them: the written value or the previous
    one plus 1. E0732 for written ones in an enum with payloads and no `#[repr]`, E0081 for
    a value given twice, E0370 for one past the type's range (`isize`, or the `#[repr]`)."""
    written = [v for v in item.variants if v.discriminant is not None]
    if not written:
        return [replace(v, discriminant=v.index) for v in variants]
    repr_ = enum_repr(item)
    if any(v.kind != "unit" for v in variants):
        if repr_ is None:
            first = written[0]
            errs.append(d.error(
                "E0732", "`#[repr(inttype)]` must be specified for enums with explicit "
                "discriminants and non-unit variants", item.name_span, None,
                labels=(d.Label(first.discriminant.span,  # type: ignore[union-attr]
                                "explicit discriminant specified here"),)))
        else:
            errs.append(d.error(None, "discriminants of an enum with payloads are not "
                                "supported yet", written[0].span))
        return variants
    low, high = _REPR_RANGES[repr_ or "isize"]
    out: list[VariantInfo] = []
    value = -1
    seen: dict[int, ast.VariantDef] = {}
    for v in variants:
        expr = v.decl.discriminant
        if expr is None:
            if value + 1 > high:
                errs.append(d.error("E0370", "enum discriminant overflowed", v.decl.name_span,
                                    f"overflowed on value after {value}",
                                    notes=(f"explicitly set `{v.name} = {low}` if that is "
                                           "desired outcome",)))
                return variants
            value += 1
        else:
            found = const_int(expr, scope)
            if found is None:
                errs.append(_bad_discriminant(expr, repr_ or "isize"))
                return variants
            value = found
        if value in seen:
            errs.append(d.error(
                "E0081", f"discriminant value `{value}` assigned more than once",
                item.name_span, None,
                labels=tuple(d.Label(_discriminant_span(w), f"`{value}` assigned here")
                             for w in (seen[value], v.decl))))
            return variants
        seen[value] = v.decl
        out.append(replace(v, discriminant=value))
    return out


def _discriminant_span(v: ast.VariantDef) -> Span:
    return v.discriminant.span if v.discriminant is not None else v.name_span


def _bad_discriminant(expr: ast.Expr, ty: str) -> d.Diagnostic:
    """A discriminant Gust cannot evaluate: E0308 for a literal of another type, else not
    supported (rustc evaluates any constant expression)."""
    if isinstance(expr, ast.Literal) and expr.kind != "int":
        found = {"str": "&str", "float": "{float}", "bool": "bool", "char": "char"}.get(
            expr.kind, expr.kind)
        return d.error("E0308", "mismatched types", expr.span,
                       f"expected `{ty}`, found `{found}`")
    return d.error(None, "this enum discriminant is not supported yet (Gust evaluates "
                   "integer literals, constants and arithmetic)", expr.span)


def fn_sig(fn: ast.FnDecl, owner: str | None, scope: TypeScope,
           errs: list[d.Diagnostic]) -> FnSig:
    scope = _type_scope(fn.generics, scope)
    # `I::Item` with `I: Iterator`: a hidden type parameter `I::Item`, the bound's `Item`.
    open_, bound_items = item_projections(fn.generics, scope, [], function=True)
    hidden = tuple(open_)
    scope = replace(scope, generics=scope.generics | set(hidden),
                    projections={**scope.projections, **bound_items},
                    projected=scope.projected | projected_params(fn.generics, scope.traits,
                                                                 function=True),
                    iterators=scope.iterators | iterator_params(fn.generics))
    impl_params: list[tuple[str, tuple[ast.TypePath, ...]]] = []
    arg_scope = replace(scope, impl_params=impl_params)
    params = tuple(lower_type(p.ty, arg_scope, errs) for p in fn.params)
    for p, ty in zip(fn.params, params, strict=True):
        if isinstance(ty, t.Dyn) and not ty.opaque:
            errs.append(_unsized_param(p, ty))
    ret = lower_type(fn.ret, scope, errs) if fn.ret is not None else t.UNIT
    if fn.sig_error:
        ret = t.ERROR
    errs.extend(_elision_errors(fn))
    self_kind: str | None = None
    if fn.self_param is not None:
        sp = fn.self_param
        self_kind = ("ref_mut" if sp.mutable else "ref") if sp.by_ref else "value"
    bounds = list(generic_bounds(fn.generics, scope, errs))
    for name, written in impl_params:
        for b in written:
            bound = lower_bound(b, t.Param(name), scope, errs)
            if bound is not None:
                bounds.append(bound)
    bounds = _bind_projections(bounds, open_, scope.traits)
    generics = tuple(p.name for p in fn.generics.params) + tuple(n for n, _ in impl_params) \
        + hidden
    return FnSig(fn.name, params, ret, self_kind, generics,
                 owner, fn, self_mutable=fn.self_param is not None and fn.self_param.mutable
                 and not fn.self_param.by_ref, bounds=tuple(bounds))


def _unsized_param(p: ast.Param, ty: t.Dyn) -> d.Diagnostic:
    shown = " + ".join(f"std::fmt::{n}" if n in ("Display", "Debug") else n
                       for n in ty.traits)
    return d.error("E0277", f"the size for values of type `(dyn {shown} + 'static)` cannot "
                   "be known at compilation time", p.ty.span,
                   "doesn't have a size known at compile-time",
                   help=("function arguments must have a statically known size, borrowed "
                         "types always have a known size",))


def _types_in(ty: ast.TypeExpr | None) -> list[ast.TypeExpr]:
    """`ty` and the types written inside it (the referent of `&T`, the arguments of
    `Vec<T>`, the elements of tuples, arrays and slices)."""
    out: list[ast.TypeExpr] = []
    stack: list[ast.TypeExpr] = [ty] if ty is not None else []
    while stack:
        node = stack.pop()
        out.append(node)
        match node:
            case ast.RefType(inner=inner):
                stack.append(inner)
            case ast.TypePath(path=path):
                for seg in path.segments:
                    stack.extend(seg.generics)
            case ast.TupleType(elems=elems):
                stack.extend(elems)
            case ast.ArrayType(elem=elem) | ast.SliceType(elem=elem):
                stack.append(elem)
    return out


def refs_in(ty: ast.TypeExpr | None) -> list[ast.RefType]:
    """The reference types written inside a type (`&str`, the `&T` in `Vec<&T>`)."""
    return [node for node in _types_in(ty) if isinstance(node, ast.RefType)]


def named_lifetimes(ty: ast.TypeExpr | None) -> set[str]:
    """The lifetimes named on the references written in a type (`'a` of `&'a str`), but
    `'static` and `'_`."""
    return {r.lifetime for r in refs_in(ty) if r.lifetime not in (None, "static", "_")}


def path_lifetimes(ty: ast.TypeExpr | None) -> set[str]:
    """The lifetimes named as arguments of the types written in a type (`'a` of `Tok<'a>`,
    also inside `Option<Tok<'a>>`), but `'static` and `'_`."""
    return {name for node in _types_in(ty) if isinstance(node, ast.TypePath)
            for seg in node.path.segments for name in seg.lifetimes
            if name not in ("static", "_")}


def lifetime_sources(fn: ast.FnDecl) -> tuple[int, ...] | None:
    """The arguments (`self` first) a call's returned references borrow from when the
    signature names their lifetime (`fn field<'a>(f: &'a str, k: &str) -> &'a str`: the
    first; none when no argument's reference has it); None when it does not (elision:
    `&self`, or every reference argument). The arguments that carry the lifetime inside a
    type (`lx: &mut Lexer<'a>`) are `lifetime_holders`."""
    names = _returned_lifetimes(fn)
    if not names:
        return None
    out: list[int] = []
    offset = 0
    if fn.self_param is not None:
        offset = 1
        if fn.self_param.lifetime in names:
            out.append(0)
    out.extend(i + offset for i, p in enumerate(fn.params) if named_lifetimes(p.ty) & names)
    # None of them: the lifetime is the impl's (`fn peek(&self) -> Option<&'t Token>` in
    # `impl<'t> Parser<'t>`): the result borrows what the struct borrows
    # (gust.borrowck.build), not `self`; or any (`fn name<'a>() -> &'a str`).
    return tuple(out)


def lifetime_holders(fn: ast.FnDecl) -> tuple[int, ...]:
    """The arguments (`self` first) that carry the lifetime the result names (as
    `lifetime_sources`) as a type's lifetime argument (`lx: &mut Lexer<'a>` of `fn
    next<'a>(lx: &mut Lexer<'a>) -> Tok<'a>`): the result borrows what that value borrows,
    not the reference to it."""
    names = _returned_lifetimes(fn)
    if not names:
        return ()
    offset = 1 if fn.self_param is not None else 0
    return tuple(i + offset for i, p in enumerate(fn.params) if path_lifetimes(p.ty) & names)


def _returned_lifetimes(fn: ast.FnDecl) -> set[str]:
    """The lifetimes the result names, when every reference in it names one (none when
    elision applies: an unnamed or `'_` reference in the result)."""
    names = named_lifetimes(fn.ret) | path_lifetimes(fn.ret)
    if any(r.lifetime in (None, "_") for r in refs_in(fn.ret)):
        return set()
    return names


def _elision_errors(fn: ast.FnDecl) -> list[d.Diagnostic]:
    """E0106: a returned reference must borrow from `&self` or from the one reference
    parameter (Rust's lifetime elision), or name its lifetime (`&'a str`: which arguments
    it borrows from is `lifetime_sources`; the lifetime's declaration is not checked)."""
    returned = [r for r in refs_in(fn.ret) if r.lifetime not in ("static", "_")]
    if all(r.lifetime is not None for r in returned):
        return []  # (also: no reference is returned)
    returned = [r for r in returned if r.lifetime is None]
    if fn.self_param is not None and fn.self_param.by_ref:
        return []
    sources = [p for p in fn.params if refs_in(p.ty)]
    if len(sources) == 1:
        return []
    if sources:
        names = [p.pat.name if isinstance(p.pat, ast.IdentPat) else "_" for p in sources]
        listed = ", ".join(f"`{n}`" for n in names[:-1]) + f" or `{names[-1]}`"
        why = ("this function's return type contains a borrowed value, but the signature "
               f"does not say whether it is borrowed from {listed}")
    else:
        why = ("this function's return type contains a borrowed value, but there is no "
               "value for it to be borrowed from")
    first = returned[0]
    amp = Span(first.span.start, first.span.start + 1)
    return [d.error("E0106", "missing lifetime specifier", amp,
                    "expected named lifetime parameter", help=(why,))]


def _escape_controls(text: str) -> str:
    """`text` with what is not printable escaped as Rust's `escape_debug` does (`\\r`,
    `\\n`, `\\u{feff}`): an import path typed with a line break in it must not break the
    message's line (editors and `gust check` show a message's first line as its title)."""
    named = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}
    return "".join(ch if ch.isprintable() else named.get(ch, f"\\u{{{ord(ch):x}}}")
                   for ch in text)


def _add_go_import(env: ItemEnv, item: ast.UseGoDecl, package: GoPackage | str,
                   errs: list[d.Diagnostic]) -> None:
    if isinstance(package, str):
        shown = _escape_controls(item.package)
        errs.append(d.error("E0432", f"unresolved import `{shown}`",
                            item.package_span, f"no Go package `{shown}`",
                            notes=(package,) if package else ()))
        # Its uses are errors already reported here (Go names a package after its last
        # element, usually).
        env.go_unresolved |= {item.alias or item.package.rsplit("/", 1)[-1]}
        return
    alias = item.alias or package.name
    if alias in env.go_aliases and env.go_aliases[alias] != item.package:
        errs.append(d.error("E0252", f"the name `{alias}` is defined multiple times",
                            item.span, f"`{alias}` reimported here"))
        return
    env.go_aliases[alias] = item.package
    env.go_packages[item.package] = package


def _add_impl(env: ItemEnv, item: ast.ImplDecl, base: TypeScope,
              errs: list[d.Diagnostic], module: ModPath = ()) -> None:
    pre, hidden = generic_scope(item.generics, base)
    generics = tuple(p.name for p in item.generics.params) + tuple(h.name for h in hidden)
    trait: str | None = None
    trait_args: tuple[t.Ty, ...] = ()
    if item.trait_ is not None:
        bound = lower_bound(item.trait_, t.ERROR, pre, errs)
        if bound is None:
            return
        trait, trait_args = bound.trait, bound.args
    owner = _impl_owner(env, item, base, trait is not None, errs, module)
    if owner is None:
        return
    self_ty = lower_type(item.self_ty, pre, errs) if trait is not None or \
        owner in base.adt_hidden else t.Adt(owner, tuple(t.Param(g.name)
                                                         for g in item.generics.params))
    scope = replace(pre, self_ty=self_ty)
    bounds = bind_hidden(generic_bounds(item.generics, scope, errs), hidden, scope.traits)
    sigs: dict[str, FnSig] = {}
    # Associated types (`type Output = Vec2;`): what operators and iterators yield.
    assoc = tuple((m.name, lower_type(m.ty, scope, errs)) for m in item.members
                  if isinstance(m, ast.TypeAliasDecl) and m.ty is not None)
    trait_decl = scope.traits.get(trait) if trait is not None else None
    # One the impl lacks is E0046 (coherence): `Self::Item` is then the error type.
    missing = {a: t.ERROR for a in assoc_names(trait_decl)} if trait_decl is not None else {}
    scope = replace(scope, assoc_types={**missing, **dict(assoc)})
    info = ImplInfo(trait, trait_args, self_ty, generics, bounds, sigs, item, assoc)
    table = env.methods.setdefault(owner, {})
    inherent = env.inherent.setdefault(owner, {}) if trait is None else {}
    for member in item.members:
        if not isinstance(member, ast.FnDecl):
            continue
        if member.assoc_const and member.body is None:
            errs.append(d.error(None, "associated constant in `impl` without body",
                                member.span, None,
                                help=("provide a definition for the constant: `= <expr>;`",)))
        if member.name in sigs or (trait is None and member.name in inherent):
            errs.append(d.error("E0592", f"duplicate definitions with name `{member.name}`",
                                member.name_span, f"duplicate definitions for `{member.name}`"))
            continue
        # A trait's methods are as visible as the trait: only inherent methods are private
        # to the module of their impl.
        sig = fn_sig(member, owner, scope, errs)
        sig = replace(sig, bounds=bounds + sig.bounds, module=module if trait is None else ())
        sigs[member.name] = sig
        env.impl_of[member] = info
        if trait is None:
            inherent[member.name] = sig
        # The backend and the borrow checker find every method by its owner's name.
        table.setdefault(member.name, sig)
    env.impls.append(info)


def _impl_owner(env: ItemEnv, item: ast.ImplDecl, base: TypeScope, of_trait: bool,
                errs: list[d.Diagnostic], module: ModPath) -> str | None:
    """The name methods of the impl are found under: the self type's key."""
    ty = item.self_ty
    while isinstance(ty, ast.RefType):
        ty = ty.inner
    if not isinstance(ty, ast.TypePath):
        if of_trait:
            return "_"
        errs.append(d.error(None, "this kind of impl is not supported yet", item.self_ty.span))
        return None
    resolve_errs: list[d.Diagnostic] = []
    key = impl_owner(env, item, module, resolve_errs) if ty is item.self_ty else None
    if key is not None:
        return key
    owner = ty.path.last.name
    if owner in base.adts or (of_trait and (owner in t.PRIMITIVES or owner in BUILTIN_TYPES)):
        return owner
    if of_trait and ty is not item.self_ty and len(ty.path.segments) == 1 and \
            any(p.name == owner for p in item.generics.params):
        return "_"  # `impl<T: Describe> Describe for &T`: no type of the package owns it
    if resolve_errs:
        errs.extend(resolve_errs)
        return None
    if owner in t.PRIMITIVES or owner in BUILTIN_TYPES:
        errs.append(d.error("E0390", "cannot define inherent `impl` for primitive types",
                            item.self_ty.span))
    elif owner in base.traits:
        return owner
    else:
        errs.append(d.error("E0425", f"cannot find type `{owner}` in this scope",
                            item.self_ty.span, "not found in this scope"))
    return None
