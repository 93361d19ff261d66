"""What type checking a body produces: plain data for borrowck, codegen and ide.

Side tables are keyed by AST nodes (which hash by identity). All types in them are fully
resolved: no inference variables remain (an unresolved one becomes `Error` after an
E0282 diagnostic).
"""

from __future__ import annotations

from dataclasses import field
from typing import Final

from gust import diagnostics as d
from gust.frozen import dataclass
from gust.sema.types import ERROR, Ty
from gust.syntax import ast
from gust.text import Span


@dataclass(frozen=True, slots=True)
class Local:
    """A local variable: a parameter, `self`, or a binding in a `let`, `for`, `match` or
    `if let` pattern. Ids are indices into `BodyResults.locals`."""

    id: int
    name: str
    ty: Ty
    mutable: bool  # declared `mut`
    span: Span  # the name where it is declared
    kind: str  # "param", "self", "let", "for", "match" (any other pattern binding)
    # True when the binding borrows from the matched value instead of moving it: `ref x`,
    # or a binding under a reference (match ergonomics: `match &opt { Some(x) => .. }`).
    by_ref: bool = False


# ---------------------------------------------------------------- what a path refers to


@dataclass(frozen=True, slots=True)
class LocalRes:
    local: int


@dataclass(frozen=True, slots=True)
class FnRes:
    """A free function of the package, or an `fn` item of a body (`nested_at`: where its
    name is, relative to the item, telling apart nested functions of one name and a
    package function they shadow)."""

    name: str
    nested_at: int = -1


@dataclass(frozen=True, slots=True)
class AssocFnRes:
    """`Type::name`: an associated function or method used by path (`Point::new`,
    `Vec::new`, `String::from`). `builtin` for std types."""

    owner: str
    name: str
    builtin: bool
    # An associated constant (`Config::MAX`, `Self::SIDES`): the path is its value, which
    # the backend gets by calling the function that gives it (`FnDecl.assoc_const`).
    const: bool = False
    # The trait a qualified path names (`<Sq as Shape>::name`): its item, not an inherent
    # one or another trait's of the same name.
    trait: str | None = None


@dataclass(frozen=True, slots=True)
class VariantRes:
    """`Enum::Variant`, a unit variant value or a tuple variant's constructor."""

    enum: str
    variant: str


@dataclass(frozen=True, slots=True)
class StructRes:
    """A tuple or unit struct used as a value or constructor."""

    name: str


@dataclass(frozen=True, slots=True)
class ConstRes:
    name: str


@dataclass(frozen=True, slots=True)
class GoRes:
    """A function, constant or variable of a `use go` package (`http::Get`)."""

    package: str  # import path
    name: str
    kind: str  # "func", "const" or "var"


Res = LocalRes | FnRes | AssocFnRes | VariantRes | StructRes | ConstRes | GoRes


@dataclass(frozen=True, slots=True)
class MethodRes:
    """A resolved method call `recv.name(args)`.

    The receiver expression is first dereferenced `derefs` times (auto-deref through
    references), then borrowed as `autoref` ("", "&" or "&mut") to match `self_kind`
    ("ref" for `&self`, "ref_mut" for `&mut self`, "value" for `self`).
    """

    owner: str  # the type that defines the method: "Vec", "String", "Point", ...
    name: str
    builtin: bool
    self_kind: str
    autoref: str
    derefs: int
    # The trait the method comes from (`impl Trait for T`, a bound, `dyn Trait`), or None
    # for inherent and builtin methods.
    trait: str | None = None


@dataclass(frozen=True, slots=True)
class FieldRes:
    """A resolved field access; `derefs` auto-derefs of the base (`self.x` with `&self`)."""

    owner: str  # struct name, or "" for a tuple
    index: int
    derefs: int


# `std::ops::Range`'s fields, and the owner of their `FieldRes` (no package struct's name).
RANGE_FIELDS: Final = ("start", "end")
RANGE_OWNER: Final = "std::ops::Range"


@dataclass(frozen=True, slots=True)
class FormatArg:
    """One `{}` hole of a format string: which argument, and its spec (`?`, `>8.2`, ...)."""

    arg: int
    spec: str


@dataclass(frozen=True, slots=True)
class FormatString:
    """A parsed format string: literal pieces around holes; `pieces` has one more entry
    than `holes`. `args` are the expressions, including implicit captures (`{x}`)."""

    pieces: tuple[str, ...]
    holes: tuple[FormatArg, ...]
    args: tuple[ast.Expr, ...]


#: Fields taken of a variable (`p.a.b`: the `.a` then the `.b` expression).
FieldPath = tuple[ast.Field | ast.TupleField, ...]


@dataclass(frozen=True, slots=True)
class Capture:
    """An outer local a closure uses: "ref" (borrowed), "mut" (borrowed mutably) or
    "move" (moved into the closure: a `move` closure, or a body that moves it out)."""

    local: int
    mode: str
    # The use in the body that decided the mode (rustc's "due to use in closure").
    span: Span | None = None
    # The field paths the body uses, as in Rust 2021 (`self.items`, `p.0`): the fields
    # (`Field`/`TupleField` expressions, innermost first; none for the whole variable) and
    # the mode of each. The borrow checker captures these places, not the whole variable.
    paths: tuple[tuple[FieldPath, str], ...] = ()


@dataclass(frozen=True, slots=True)
class ClosureInfo:
    """What the checker learned about one closure expression. `kind` is the most general
    call trait it implements: "Fn", "FnMut" or "FnOnce"."""

    captures: tuple[Capture, ...]
    kind: str
    is_move: bool
    # The first capture the body moves out, and where (what makes it `FnOnce`).
    moved: tuple[int, Span] | None = None
    # The call trait the closure is written for: a closure passed straight to an
    # `F: Fn(..)` parameter is checked as an `Fn` closure (rustc's expected kind).
    required: str | None = None


@dataclass
class BodyResults:
    """Everything the checker learned about one function body."""

    fn: ast.FnDecl
    owner: str | None  # the `impl` type for methods and associated functions
    locals: list[Local] = field(default_factory=list)
    expr_types: dict[ast.Expr, Ty] = field(default_factory=dict)
    pat_types: dict[ast.Pat, Ty] = field(default_factory=dict)
    bindings: dict[ast.IdentPat, int] = field(default_factory=dict)
    paths: dict[ast.PathExpr, Res] = field(default_factory=dict)
    methods: dict[ast.MethodCall, MethodRes] = field(default_factory=dict)
    fields: dict[ast.Field | ast.TupleField, FieldRes] = field(default_factory=dict)
    formats: dict[ast.MacroCall, FormatString] = field(default_factory=dict)
    closures: dict[ast.Closure, ClosureInfo] = field(default_factory=dict)
    # A std method used as a value (`.map(String::len)`, `.filter(char::is_ascii_digit)`):
    # the closure it stands for (`|value| value.len()`), checked with the body; the Go
    # backend emits the closure in the path's place.
    method_values: dict[ast.PathExpr, ast.Closure] = field(default_factory=dict)
    # An associated constant's path (`Config::MAX`, `Self::SIDES`): the call of the function
    # that gives its value (`FnDecl.assoc_const`), typed as the constant; the Go backend
    # emits it in the path's place.
    assoc_consts: dict[ast.PathExpr, ast.Call] = field(default_factory=dict)
    # A std trait's method called by path (`PartialEq::eq(&a, &b)`, `ToString::to_string(&n)`):
    # the method call its first argument receives (`(&a).eq(&b)`, the same argument nodes),
    # checked in its place; the borrow checker and the Go backend take it for the call.
    path_calls: dict[ast.Call, ast.MethodCall] = field(default_factory=dict)
    # An operator trait's method called by name (`a.add(b)`, `x.neg()`, and so `Add::add(a, b)`
    # and `Usage::add(a, b)` through `path_calls`): the operator expression it is (`a + b`,
    # over the same operand nodes), checked in its place; the borrow checker and the Go
    # backend take it for the call.
    operator_calls: dict[ast.MethodCall, ast.Binary | ast.Unary] = field(default_factory=dict)
    # A generic function's type arguments written with a turbofish (`names::<Square>()`),
    # by the path's last segment: the Go call spells them when no argument tells them.
    turbofish: dict[ast.PathSegment, dict[str, Ty]] = field(default_factory=dict)
    # The same for a package method's own type parameters (`index.search::<Cosine>(q)`).
    method_turbofish: dict[ast.MethodCall, dict[str, Ty]] = field(default_factory=dict)
    # Calls of closures and of `F: Fn..` values: the call trait used ("Fn", "FnMut",
    # "FnOnce"), which decides whether the call borrows the callee or consumes it.
    call_kinds: dict[ast.Call, str] = field(default_factory=dict)
    # Closures that must own what they capture (`thread::spawn`'s `F: 'static`): the
    # borrow checker reports E0373 for their borrowed captures.
    static_closures: set[ast.Closure] = field(default_factory=set)
    # Patterns that name a constant (`LIMIT =>`, `limits::TOP =>`): the constant's key.
    const_pats: dict[ast.Pat, str] = field(default_factory=dict)
    # Locals of each parameter, in order; the `self` local first for methods.
    params: list[int] = field(default_factory=list)
    # The initialiser of each local bound by a plain `let name = init;` (not `mut`, no
    # `else`): what gust.sema.known_panics follows to tell a body with no operation
    # whose operands a constant could give without walking it.
    let_inits: dict[int, ast.Expr] = field(default_factory=dict)
    ret: Ty | None = None
    diagnostics: list[d.Diagnostic] = field(default_factory=list)
    # rustc's deny-by-default lints (`overflowing_literals`): errors, kept apart so that a
    # body with one is still borrow-checked; gust.ide.analysis reports them when the file
    # has no other error (rustc runs lints last).
    lints: list[d.Diagnostic] = field(default_factory=list)
    # The bodies of `fn` items declared inside this one (checked as functions of their own).
    nested: list[BodyResults] = field(default_factory=list)
    # The `const` or `static` whose initialiser this is (`fn` is then a stand-in with its
    # name); such a body is not borrow-checked (constants are evaluated at compile time,
    # where rustc promotes `&[1, 2]` to a `'static` borrow).
    item: ast.ConstDecl | ast.StaticDecl | None = None

    def type_of(self, expr: ast.Expr) -> Ty:
        return self.expr_types.get(expr, ERROR)
