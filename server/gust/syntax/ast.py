"""The Gust abstract syntax tree.

Plain, immutable data. Every node carries a `span` of character offsets *relative to the
start of its top-level item* (see gust.syntax.source): an edit elsewhere in the file moves
an item without touching its tree, so the tree and everything computed from it can be
reused. Nodes compare by identity (`eq=False`), so analyses key side tables by node.
"""

from __future__ import annotations

from typing import Final, TypeAlias

from gust.frozen import dataclass
from gust.text import Span

# ---------------------------------------------------------------- paths and types


@dataclass(frozen=True, eq=False, slots=True)
class PathSegment:
    name: str
    span: Span
    generics: tuple[TypeExpr, ...] = ()
    # Lifetime arguments (`'a` of `Tok<'a>`, without the quote): the borrow checker asks
    # which lifetime a returned `Tok<'a>` has (gust.sema.items.lifetime_sources).
    lifetimes: tuple[str, ...] = ()


@dataclass(frozen=True, eq=False, slots=True)
class Path:
    segments: tuple[PathSegment, ...]
    span: Span
    # `<Sq as Shape>::SIDES`: the trait, the path being `Sq::SIDES` (`build.qualified_expr`).
    qself_trait: TypePath | None = None

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(s.name for s in self.segments)

    @property
    def last(self) -> PathSegment:
        return self.segments[-1]


@dataclass(frozen=True, eq=False, slots=True)
class TypePath:
    path: Path
    span: Span


@dataclass(frozen=True, eq=False, slots=True)
class RefType:
    mutable: bool
    inner: TypeExpr
    span: Span
    lifetime: str | None = None  # `'a` in `&'a T` (without the quote)


@dataclass(frozen=True, eq=False, slots=True)
class TupleType:
    """`()` when `elems` is empty."""

    elems: tuple[TypeExpr, ...]
    span: Span


@dataclass(frozen=True, eq=False, slots=True)
class ArrayType:
    elem: TypeExpr
    length: Expr
    span: Span


@dataclass(frozen=True, eq=False, slots=True)
class SliceType:
    elem: TypeExpr
    span: Span


@dataclass(frozen=True, eq=False, slots=True)
class ImplTraitType:
    bounds: tuple[TypePath, ...]
    span: Span


@dataclass(frozen=True, eq=False, slots=True)
class DynTraitType:
    bounds: tuple[TypePath, ...]
    span: Span


@dataclass(frozen=True, eq=False, slots=True)
class FnPtrType:
    params: tuple[TypeExpr, ...]
    ret: TypeExpr | None
    span: Span


@dataclass(frozen=True, eq=False, slots=True)
class AssocBinding:
    """`Item = f64` in `Iterator<Item = f64>`."""

    name: str
    ty: TypeExpr
    span: Span


@dataclass(frozen=True, eq=False, slots=True)
class NeverType:
    span: Span


@dataclass(frozen=True, eq=False, slots=True)
class InferType:
    span: Span


TypeExpr: TypeAlias = (
    TypePath
    | RefType
    | TupleType
    | ArrayType
    | SliceType
    | ImplTraitType
    | DynTraitType
    | FnPtrType
    | NeverType
    | InferType
    | AssocBinding
)


# ---------------------------------------------------------------- patterns


@dataclass(frozen=True, eq=False, slots=True)
class IdentPat:
    name: str
    name_span: Span
    mutable: bool
    by_ref: bool
    sub: Pat | None
    span: Span


@dataclass(frozen=True, eq=False, slots=True)
class WildPat:
    span: Span


@dataclass(frozen=True, eq=False, slots=True)
class RestPat:
    span: Span


@dataclass(frozen=True, eq=False, slots=True)
class LitPat:
    lit: Literal
    negative: bool
    span: Span


@dataclass(frozen=True, eq=False, slots=True)
class RangePat:
    """`lo..=hi`, `lo..hi`, and the half-open `lo..`, `..hi`, `..=hi` (an end None)."""

    lo: LitPat | None
    hi: LitPat | None
    inclusive: bool
    span: Span


@dataclass(frozen=True, eq=False, slots=True)
class PathPat:
    path: Path
    span: Span


@dataclass(frozen=True, eq=False, slots=True)
class TupleStructPat:
    path: Path
    elems: tuple[Pat, ...]
    span: Span


@dataclass(frozen=True, eq=False, slots=True)
class FieldPat:
    name: str
    name_span: Span
    pat: Pat
    shorthand: bool
    span: Span


@dataclass(frozen=True, eq=False, slots=True)
class StructPat:
    path: Path
    fields: tuple[FieldPat, ...]
    has_rest: bool
    span: Span


@dataclass(frozen=True, eq=False, slots=True)
class TuplePat:
    elems: tuple[Pat, ...]
    span: Span


@dataclass(frozen=True, eq=False, slots=True)
class SlicePat:
    elems: tuple[Pat, ...]
    span: Span


@dataclass(frozen=True, eq=False, slots=True)
class RefPat:
    mutable: bool
    inner: Pat
    span: Span


@dataclass(frozen=True, eq=False, slots=True)
class OrPat:
    alts: tuple[Pat, ...]
    span: Span


Pat: TypeAlias = (
    IdentPat
    | WildPat
    | RestPat
    | LitPat
    | RangePat
    | PathPat
    | TupleStructPat
    | StructPat
    | TuplePat
    | SlicePat
    | RefPat
    | OrPat
)


# ---------------------------------------------------------------- expressions


@dataclass(frozen=True, eq=False, slots=True)
class Literal:
    """`kind` is one of int, float, str, char, bool, byte, bytestr.

    `value` is the decoded value (int, float, str or bool); `suffix` the type suffix of a
    number (`i64` in `1i64`) or None; `text` the source spelling.
    """

    kind: str
    value: int | float | str | bool
    suffix: str | None
    text: str
    span: Span


@dataclass(frozen=True, eq=False, slots=True)
class PathExpr:
    path: Path
    span: Span


@dataclass(frozen=True, eq=False, slots=True)
class MacroCall:
    """`name!(args)`. `repeat` holds `(value, count)` for `vec![value; count]`."""

    name: str
    name_span: Span
    args: tuple[Expr, ...]
    repeat: tuple[Expr, Expr] | None
    span: Span


@dataclass(frozen=True, eq=False, slots=True)
class TupleExpr:
    """`()` when `elems` is empty."""

    elems: tuple[Expr, ...]
    span: Span


@dataclass(frozen=True, eq=False, slots=True)
class ArrayExpr:
    elems: tuple[Expr, ...]
    span: Span


@dataclass(frozen=True, eq=False, slots=True)
class ArrayRepeat:
    value: Expr
    count: Expr
    span: Span


@dataclass(frozen=True, eq=False, slots=True)
class Paren:
    inner: Expr
    span: Span


@dataclass(frozen=True, eq=False, slots=True)
class Return:
    value: Expr | None
    span: Span


@dataclass(frozen=True, eq=False, slots=True)
class Break:
    label: str | None
    value: Expr | None
    span: Span


@dataclass(frozen=True, eq=False, slots=True)
class Continue:
    label: str | None
    span: Span


@dataclass(frozen=True, eq=False, slots=True)
class Call:
    callee: Expr
    args: tuple[Expr, ...]
    span: Span


@dataclass(frozen=True, eq=False, slots=True)
class MethodCall:
    receiver: Expr
    name: str
    name_span: Span
    generics: tuple[TypeExpr, ...]
    args: tuple[Expr, ...]
    span: Span


@dataclass(frozen=True, eq=False, slots=True)
class Field:
    base: Expr
    name: str
    name_span: Span
    span: Span


@dataclass(frozen=True, eq=False, slots=True)
class TupleField:
    base: Expr
    index: int
    index_span: Span
    span: Span


@dataclass(frozen=True, eq=False, slots=True)
class Index:
    base: Expr
    index: Expr
    span: Span


@dataclass(frozen=True, eq=False, slots=True)
class Try:
    inner: Expr
    span: Span


@dataclass(frozen=True, eq=False, slots=True)
class Unary:
    """`-x`, `!x` or `*x` (deref)."""

    op: str
    operand: Expr
    span: Span


@dataclass(frozen=True, eq=False, slots=True)
class Borrow:
    mutable: bool
    operand: Expr
    span: Span


@dataclass(frozen=True, eq=False, slots=True)
class Binary:
    op: str
    lhs: Expr
    rhs: Expr
    op_span: Span
    span: Span


@dataclass(frozen=True, eq=False, slots=True)
class Cast:
    expr: Expr
    ty: TypeExpr
    span: Span


@dataclass(frozen=True, eq=False, slots=True)
class Assign:
    target: Expr
    value: Expr
    span: Span


@dataclass(frozen=True, eq=False, slots=True)
class CompoundAssign:
    """`target op= value`; `op` is the binary operator (`+` for `+=`)."""

    op: str
    target: Expr
    value: Expr
    span: Span


@dataclass(frozen=True, eq=False, slots=True)
class Range:
    lo: Expr | None
    hi: Expr | None
    inclusive: bool
    span: Span


@dataclass(frozen=True, eq=False, slots=True)
class ClosureParam:
    pat: Pat
    ty: TypeExpr | None
    span: Span


@dataclass(frozen=True, eq=False, slots=True)
class Closure:
    is_move: bool
    params: tuple[ClosureParam, ...]
    ret: TypeExpr | None
    body: Expr
    span: Span
    # The parameter list with its pipes (`|x: i32|`, `||`): where rustc points at a closure.
    head_span: Span | None = None


@dataclass(frozen=True, eq=False, slots=True)
class Block:
    stmts: tuple[Stmt, ...]
    tail: Expr | None
    span: Span
    unsafe: bool = False


@dataclass(frozen=True, eq=False, slots=True)
class LetCond:
    """The `let PAT = EXPR` condition of `if let` and `while let`."""

    pat: Pat
    expr: Expr
    span: Span


@dataclass(frozen=True, eq=False, slots=True)
class If:
    cond: Expr | LetCond
    then: Block
    else_: Block | If | None
    span: Span


@dataclass(frozen=True, eq=False, slots=True)
class MatchArm:
    pat: Pat
    guard: Expr | None
    body: Expr
    span: Span


@dataclass(frozen=True, eq=False, slots=True)
class Match:
    scrutinee: Expr
    arms: tuple[MatchArm, ...]
    span: Span


@dataclass(frozen=True, eq=False, slots=True)
class Loop:
    body: Block
    label: str | None
    span: Span


@dataclass(frozen=True, eq=False, slots=True)
class While:
    cond: Expr | LetCond
    body: Block
    label: str | None
    span: Span


@dataclass(frozen=True, eq=False, slots=True)
class For:
    pat: Pat
    iter: Expr
    body: Block
    label: str | None
    span: Span


@dataclass(frozen=True, eq=False, slots=True)
class StructLitField:
    name: str
    name_span: Span
    value: Expr
    shorthand: bool
    span: Span


@dataclass(frozen=True, eq=False, slots=True)
class StructLit:
    path: Path
    fields: tuple[StructLitField, ...]
    base: Expr | None
    span: Span
    # `Foo { x, .. }`: a `..` without a base, a pattern's rest (`matches!(e, Foo { .. })`
    # parses its pattern as an expression); as an expression it is E0797.
    rest: Span | None = None


@dataclass(frozen=True, eq=False, slots=True)
class GoExpr:
    """Gust: `go f(x)` starts `f(x)` in a goroutine."""

    call: Expr
    span: Span


@dataclass(frozen=True, eq=False, slots=True)
class SelectArm:
    """One arm of `select`: `kind` is "recv" (`pat = rx.recv() => ..`), "op" (a channel
    operation without a binding) or "default"."""

    kind: str
    pat: Pat | None
    op: Expr | None
    body: Expr
    span: Span


@dataclass(frozen=True, eq=False, slots=True)
class Select:
    """Gust: wait on several channel operations, like Go's `select`."""

    arms: tuple[SelectArm, ...]
    span: Span


@dataclass(frozen=True, eq=False, slots=True)
class Underscore:
    """`_` as an expression: the left side of `_ = expr`."""

    span: Span


Expr: TypeAlias = (
    Literal
    | PathExpr
    | MacroCall
    | TupleExpr
    | ArrayExpr
    | ArrayRepeat
    | Paren
    | Return
    | Break
    | Continue
    | Call
    | MethodCall
    | Field
    | TupleField
    | Index
    | Try
    | Unary
    | Borrow
    | Binary
    | Cast
    | Assign
    | CompoundAssign
    | Range
    | Closure
    | Block
    | If
    | Match
    | Loop
    | While
    | For
    | StructLit
    | GoExpr
    | Select
    | Underscore
)


# ---------------------------------------------------------------- statements


@dataclass(frozen=True, eq=False, slots=True)
class Let:
    pat: Pat
    ty: TypeExpr | None
    init: Expr | None
    else_block: Block | None
    span: Span


@dataclass(frozen=True, eq=False, slots=True)
class ExprStmt:
    """An expression statement; `has_semi` is False for block-like statements (`if`, `match`...)."""

    expr: Expr
    has_semi: bool
    span: Span


@dataclass(frozen=True, eq=False, slots=True)
class ItemStmt:
    item: Item
    span: Span


Stmt: TypeAlias = Let | ExprStmt | ItemStmt


# ---------------------------------------------------------------- items


@dataclass(frozen=True, eq=False, slots=True)
class Attribute:
    """`#[name(args)]`; `args` holds the argument spellings (`Debug`, `Clone` for derive)."""

    name: str
    args: tuple[str, ...]
    span: Span


@dataclass(frozen=True, eq=False, slots=True)
class GenericParam:
    name: str
    bounds: tuple[TypePath, ...]
    span: Span
    # `T: ?Sized`: the parameter may stand for `str`, a slice or a `dyn Trait`.
    unsized: bool = False


@dataclass(frozen=True, eq=False, slots=True)
class WherePredicate:
    ty: TypeExpr
    bounds: tuple[TypePath, ...]
    span: Span
    unsized: bool = False  # `where T: ?Sized`


@dataclass(frozen=True, eq=False, slots=True)
class Generics:
    params: tuple[GenericParam, ...]
    where: tuple[WherePredicate, ...]
    span: Span
    # The lifetime parameters (`'a` of `struct Parser<'a>`, without the quote): elided in
    # type checking, but a struct or enum with one may hold references (gust.borrowck).
    lifetimes: tuple[str, ...] = ()


NO_GENERICS: Final = Generics((), (), Span(0, 0))


@dataclass(frozen=True, eq=False, slots=True)
class Param:
    pat: Pat
    ty: TypeExpr
    span: Span


@dataclass(frozen=True, eq=False, slots=True)
class SelfParam:
    """`self`, `mut self`, `&self` or `&mut self` (`&'a self`: `lifetime` is `'a`)."""

    by_ref: bool
    mutable: bool
    span: Span
    lifetime: str | None = None


@dataclass(frozen=True, eq=False, slots=True)
class FnDecl:
    name: str
    name_span: Span
    generics: Generics
    self_param: SelfParam | None
    params: tuple[Param, ...]
    ret: TypeExpr | None
    # None for a declaration without a body (`fn f();` in a trait) or when the body did not
    # parse (`body_error`): the signature is still known, the body is not checked.
    body: Block | None
    is_pub: bool
    attrs: tuple[Attribute, ...]
    span: Span
    body_error: bool = False
    # The signature itself did not parse: only the name is known, calls are not checked.
    sig_error: bool = False
    # `pub(crate)` (or `pub(super)`, `pub(in ..)`): `pub` inside its package only.
    crate_only: bool = False
    # An associated constant of an impl or a trait (`const MAX: usize = 10;`), read as the
    # function `fn MAX() -> usize { 10 }` whose uses are values (`Self::MAX`), not calls.
    assoc_const: bool = False
    # The body's inner blocks declare items (`if c { struct A; }`): found once, when the
    # body is parsed, since gust.sema.modules.item_stmts is asked again and again.
    block_items: bool = False

    @property
    def signature_span(self) -> Span:
        if self.assoc_const:
            return self.span  # its value is part of what other items see
        end = self.body.span.start if self.body is not None else self.span.end
        return Span(self.span.start, end)


@dataclass(frozen=True, eq=False, slots=True)
class FieldDef:
    """A struct or variant field; `name` is None for tuple fields."""

    name: str | None
    name_span: Span
    ty: TypeExpr
    is_pub: bool
    span: Span
    # `pub(crate)` (or `pub(super)`, `pub(in ..)`): `pub` inside its package only.
    crate_only: bool = False


@dataclass(frozen=True, eq=False, slots=True)
class StructDecl:
    """`kind` is "named", "tuple" or "unit"."""

    name: str
    name_span: Span
    generics: Generics
    kind: str
    fields: tuple[FieldDef, ...]
    is_pub: bool
    attrs: tuple[Attribute, ...]
    span: Span
    # `pub(crate)` (or `pub(super)`, `pub(in ..)`): `pub` inside its package only.
    crate_only: bool = False


@dataclass(frozen=True, eq=False, slots=True)
class VariantDef:
    name: str
    name_span: Span
    kind: str
    fields: tuple[FieldDef, ...]
    span: Span
    is_default: bool = False  # marked `#[default]` (for `#[derive(Default)]`)
    # `Low = 1`: the variant's explicit discriminant (its value for `as` casts).
    discriminant: Expr | None = None


@dataclass(frozen=True, eq=False, slots=True)
class EnumDecl:
    name: str
    name_span: Span
    generics: Generics
    variants: tuple[VariantDef, ...]
    is_pub: bool
    attrs: tuple[Attribute, ...]
    span: Span
    # `pub(crate)` (or `pub(super)`, `pub(in ..)`): `pub` inside its package only.
    crate_only: bool = False


@dataclass(frozen=True, eq=False, slots=True)
class ImplDecl:
    generics: Generics
    trait_: TypePath | None
    self_ty: TypeExpr
    members: tuple[Item, ...]
    attrs: tuple[Attribute, ...]
    span: Span


@dataclass(frozen=True, eq=False, slots=True)
class TraitDecl:
    name: str
    name_span: Span
    generics: Generics
    supertraits: tuple[TypePath, ...]
    members: tuple[Item, ...]
    is_pub: bool
    attrs: tuple[Attribute, ...]
    span: Span
    # `pub(crate)` (or `pub(super)`, `pub(in ..)`): `pub` inside its package only.
    crate_only: bool = False


@dataclass(frozen=True, eq=False, slots=True)
class ConstDecl:
    name: str
    name_span: Span
    ty: TypeExpr
    value: Expr
    is_pub: bool
    attrs: tuple[Attribute, ...]
    span: Span
    # `pub(crate)` (or `pub(super)`, `pub(in ..)`): `pub` inside its package only.
    crate_only: bool = False


@dataclass(frozen=True, eq=False, slots=True)
class StaticDecl:
    name: str
    name_span: Span
    mutable: bool
    ty: TypeExpr
    value: Expr
    is_pub: bool
    attrs: tuple[Attribute, ...]
    span: Span
    # `pub(crate)` (or `pub(super)`, `pub(in ..)`): `pub` inside its package only.
    crate_only: bool = False


@dataclass(frozen=True, eq=False, slots=True)
class TypeAliasDecl:
    name: str
    name_span: Span
    generics: Generics
    ty: TypeExpr | None
    is_pub: bool
    attrs: tuple[Attribute, ...]
    span: Span
    # `pub(crate)` (or `pub(super)`, `pub(in ..)`): `pub` inside its package only.
    crate_only: bool = False


@dataclass(frozen=True, eq=False, slots=True)
class UseTree:
    """`a::b`, `a::b as c`, `a::*` (glob) or `a::{...}` (children)."""

    path: Path
    alias: str | None
    glob: bool
    children: tuple[UseTree, ...] | None
    span: Span


@dataclass(frozen=True, eq=False, slots=True)
class UseDecl:
    tree: UseTree
    is_pub: bool
    attrs: tuple[Attribute, ...]
    span: Span
    # `pub(crate)` (or `pub(super)`, `pub(in ..)`): `pub` inside its package only.
    crate_only: bool = False


@dataclass(frozen=True, eq=False, slots=True)
class UseGoDecl:
    """Gust: `use go "net/http";` imports a Go package, named `http` (or `alias`)."""

    package: str
    package_span: Span
    alias: str | None
    is_pub: bool
    attrs: tuple[Attribute, ...]
    span: Span

    @property
    def name(self) -> str:
        return self.alias or self.package.rsplit("/", 1)[-1]


@dataclass(frozen=True, eq=False, slots=True)
class ModDecl:
    name: str
    name_span: Span
    items: tuple[Item, ...] | None
    is_pub: bool
    attrs: tuple[Attribute, ...]
    span: Span
    # `pub(crate)` (or `pub(super)`, `pub(in ..)`): `pub` inside its package only.
    crate_only: bool = False


Item: TypeAlias = (
    FnDecl
    | StructDecl
    | EnumDecl
    | ImplDecl
    | TraitDecl
    | ConstDecl
    | StaticDecl
    | TypeAliasDecl
    | UseDecl
    | UseGoDecl
    | ModDecl
)


def derives(attrs: tuple[Attribute, ...]) -> frozenset[str]:
    """The trait names in `#[derive(...)]` attributes."""
    return frozenset(arg for a in attrs if a.name == "derive" for arg in a.args)


def is_rest(p: Pat) -> bool:
    """`..`, or `name @ ..` (a slice pattern's binding of the elements `..` stands for)."""
    return isinstance(p, RestPat) or (isinstance(p, IdentPat) and isinstance(p.sub, RestPat))


def slice_parts(pat: SlicePat) -> tuple[tuple[Pat, ...], Pat | None, tuple[Pat, ...]]:
    """A slice pattern's patterns before its `..`, the `..` (or `name @ ..`), and after."""
    rest = next((i for i, p in enumerate(pat.elems) if is_rest(p)), None)
    if rest is None:
        return pat.elems, None, ()
    return pat.elems[:rest], pat.elems[rest], pat.elems[rest + 1:]


def spread_patterns(pats: tuple[Pat, ...], n: int) -> list[Pat | None]:
    """Line patterns up with `n` positions, a `..` standing for as many wildcards (None)
    as needed: `(a, .., z)` against 4 fields is `[a, None, None, z]`."""
    rest = next((i for i, p in enumerate(pats) if isinstance(p, RestPat)), None)
    if rest is None:
        return list(pats)
    before = list(pats[:rest])
    after = list(pats[rest + 1 :])
    middle: list[Pat | None] = [None] * max(0, n - len(before) - len(after))
    return [*before, *middle, *after]
