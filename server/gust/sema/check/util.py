"""Small helpers shared by the checker's modules."""

from __future__ import annotations

from collections.abc import Callable
from typing import Final

from gust.sema import types as t
from gust.syntax import ast

ARITH: Final = {"+": "add", "-": "subtract", "*": "multiply", "/": "divide", "%": "calculate the "
          "remainder of"}
ARITH_PREP: Final = {"+": "to", "-": "from", "*": "by", "/": "by", "%": "divided by"}
BIT: Final = {"&", "|", "^", "<<", ">>"}
CMP: Final = {"==", "!=", "<", ">", "<=", ">="}
FORMAT_MACROS: Final = {"println", "print", "eprintln", "eprint", "format", "panic", "unreachable",
                  "todo", "unimplemented"}
# Which argument of each macro that formats is its format string (`write!(f, "{}", x)`).
FORMAT_STRING_ARG: Final = {name: 0 for name in FORMAT_MACROS} | {
    "assert": 1, "debug_assert": 1, "write": 1, "writeln": 1,
    "assert_eq": 2, "assert_ne": 2, "debug_assert_eq": 2, "debug_assert_ne": 2}
PRELUDE_VARIANTS: Final = {"Some": ("Option", "Some"), "None": ("Option", "None"),
                    "Ok": ("Result", "Ok"), "Err": ("Result", "Err")}
# `std::cmp::Ordering`'s variants: a std enum the checker knows without an `EnumInfo`.
ORDERING_VARIANTS: Final = ("Less", "Equal", "Greater")


def is_place(e: ast.Expr) -> bool:
    match e:
        case ast.PathExpr():
            return True
        case ast.Field() | ast.TupleField():
            return True
        case ast.Index():
            return True
        case ast.Unary(op="*"):
            return True
        case ast.Paren(inner=inner):
            return is_place(inner)
    return False


def tail_of(e: ast.Expr) -> ast.Expr:
    """The expression that gives a block-like expression its value (for error spans)."""
    if isinstance(e, ast.Block) and e.tail is not None:
        return tail_of(e.tail)
    return e


# The operator traits' methods by name: the operator each one is (`a.add(b)` is `a + b`;
# "neg" and "not" are the unary `-` and `!`).
OPERATOR_METHODS: Final = {"add": "+", "sub": "-", "mul": "*", "div": "/", "rem": "%",
                    "bitand": "&", "bitor": "|", "bitxor": "^", "shl": "<<", "shr": ">>",
                    "neg": "-", "not": "!"}
OPERATOR_METHOD_TRAITS: Final = {"add": "Add", "sub": "Sub", "mul": "Mul", "div": "Div", "rem": "Rem",
                          "bitand": "BitAnd", "bitor": "BitOr", "bitxor": "BitXor",
                          "shl": "Shl", "shr": "Shr", "neg": "Neg", "not": "Not"}


def op_trait(op: str) -> str:
    return {"+": "Add", "-": "Sub", "*": "Mul", "/": "Div", "%": "Rem", "&": "BitAnd",
            "|": "BitOr", "^": "BitXor", "<<": "Shl", ">>": "Shr"}.get(op, "Add")


def missing_fields(missing: list[str], name: str) -> str:
    listed = listing(missing)
    return f"missing field{'s' if len(missing) > 1 else ''} {listed} in initializer of `{name}`"


def missing_label(missing: list[str]) -> str:
    return f"missing {listing(missing)}"


def listing(names: list[str]) -> str:
    quoted = [f"`{n}`" for n in names]
    if len(quoted) == 1:
        return quoted[0]
    if len(quoted) <= 3:
        return ", ".join(quoted[:-1]) + " and " + quoted[-1]
    return ", ".join(quoted[:2]) + f" and {len(quoted) - 2} other fields"


def count_args(n: int) -> str:
    if n == 0:
        return "no arguments were given"
    return f"there {'is' if n == 1 else 'are'} {n} argument{'s' if n != 1 else ''}"


def is_none_pat(pat: ast.Pat) -> bool:
    return isinstance(pat, ast.IdentPat) and pat.name == "None" and pat.sub is None


def has_error(ty: t.Ty) -> bool:
    """Whether `ty` holds `{error}` (in a reference, slice, array, tuple or type
    argument). Each shared component is looked at once, as in `types.contains_infer`: a
    type built by `let b = (a, a);` lets over lets is a DAG exponentially smaller than its
    tree (tests/test_time_budget.py)."""
    return _has_error(ty, set())


def _has_error(ty: t.Ty, seen: set[int]) -> bool:
    if id(ty) in seen:
        return False  # (looked at before: it had no error, or we would have stopped)
    seen.add(id(ty))
    match ty:
        case t.Error():
            return True
        case t.Ref(inner, _) | t.Slice(inner) | t.Array(inner, _):
            return _has_error(inner, seen)
        case t.Tuple(elems):
            return any(_has_error(e, seen) for e in elems)
        case t.Adt(_, args):
            return any(_has_error(a, seen) for a in args)
    return False


def plural(n: int, word: str) -> str:
    return f"{n} {word}" + ("s" if n != 1 else "")


def described(ty: t.Ty, show: Callable[[t.Ty], str] = str) -> str:
    """How rustc names a type in "expected X, found Y": literals without a known type are
    "integer" / "floating-point number"."""
    if isinstance(ty, t.Infer) and ty.kind == "int":
        return "integer"
    if isinstance(ty, t.Infer) and ty.kind == "float":
        return "floating-point number"
    return f"`{show(ty)}`"


def erase_infer(ty: t.Ty) -> t.Ty:
    """Unresolved variables left after checking become `Error` (already reported)."""
    if isinstance(ty, t.Infer):
        return t.ERROR
    if not t.has_components(ty):
        return ty
    return t.map_shared(ty, _erased)


def _erased(ty: t.Ty, _: Callable[[t.Ty], t.Ty]) -> t.Ty | None:
    return t.ERROR if isinstance(ty, t.Infer) else None
