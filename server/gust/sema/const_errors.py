"""E0080: a constant whose evaluation fails (`const A: u8 = 200 + 100;`).

rustc evaluates every constant at compile time and reports an arithmetic overflow, a
division by zero, an overflowing shift or negation, or an index out of bounds as an error
of the constant, with the operands as it prints integer constants (`200_u8`, `i8::MIN`).
Gust evaluates the integer expressions of an initialiser that type-checked (literals,
other constants, casts between integers, `T::MIN`/`T::MAX`, operators, indexing a constant
array), with the types the checker gave them; anything else stops the evaluation quietly
(the Go backend translates or rejects it). The first failure is the constant's one error.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from gust import diagnostics as d
from gust.sema import types as t
from gust.sema.const_eval import int_value
from gust.sema.literals import int_range
from gust.sema.results import BodyResults, ConstRes, LocalRes
from gust.syntax import ast


class Failed(Exception):
    """The evaluation fails at `expr` (an overflow, a division by zero, ...)."""

    def __init__(self, message: str, span: ast.Expr) -> None:
        super().__init__(message)
        self.message = message
        self.expr = span


class Unknown(Exception):
    """Not an expression Gust evaluates: no error either way."""


def evaluation_error(name: str, value: ast.Expr, results: BodyResults,
                     other: Callable[[str], int | None]) -> d.Diagnostic | None:
    """The E0080 of the constant `name`, if evaluating `value` fails; `other(key)` is the
    value of another constant of the package (None when unknown)."""
    try:
        Evaluator(results, other).value(value)
    except Failed as failure:
        return d.error("E0080", failure.message, failure.expr.span,
                       f"evaluation of `{name}` failed here")
    except Unknown:
        pass
    return None


def other_constants(consts: dict[str, ast.Expr], lookup: Callable[[str], str | None]
                    ) -> Callable[[str], int | None]:
    """The values of the package's integer constants by key (their own errors are theirs)."""
    def value(key: str) -> int | None:
        init = consts.get(key)
        return None if init is None else int_value(init, lookup, consts)
    return value


def show(value: int, kind: str) -> str:
    """An integer constant as rustc prints it: `200_u8`, `i32::MIN`, `u64::MAX`."""
    lo, hi = int_range(kind)
    if value == hi:
        return f"{kind}::MAX"
    if value == lo and kind.startswith("i"):
        return f"{kind}::MIN"
    return f"{value}_{kind}"


class Evaluator:
    """The integer value of an expression of a checked body (raises `Failed` or
    `Unknown`); `locals` gives the initialisers of the immutable locals whose values are
    followed (gust.sema.known_panics)."""

    def __init__(self, results: BodyResults, other: Callable[[str], int | None],
                 locals_: Mapping[int, ast.Expr] | None = None) -> None:
        self.results = results
        self.other = other
        self.locals = locals_ or {}

    def _kind(self, e: ast.Expr) -> str:
        ty = self.results.expr_types.get(e)
        if not isinstance(ty, t.Int):
            raise Unknown
        return ty.kind

    def value(self, e: ast.Expr) -> int:
        match e:
            case ast.Literal(kind="int", value=int(v)):
                return v
            case ast.Paren(inner=inner):
                try:
                    return self.value(inner)
                except Failed as failure:  # rustc's span of an operation has its parens
                    if failure.expr is inner:
                        failure.expr = e
                    raise
            case ast.Cast(expr=inner):
                kind = self._kind(e)
                self._kind(inner)
                return _wrap(self.value(inner), kind)
            case ast.Unary(op="-", operand=operand):
                kind = self._kind(e)
                v = self.value(operand)
                if kind.startswith("i") and v == int_range(kind)[0]:
                    raise Failed(f"attempt to negate `{show(v, kind)}`, which would overflow",
                                  e)
                return -v
            case ast.Binary(op=op, lhs=lhs, rhs=rhs):
                return self._binary(e, op, lhs, rhs)
            case ast.Index(base=base, index=index):
                return self._index(e, base, index)
            case ast.PathExpr(path=path):
                return self._path(e, path)
        raise Unknown

    def _path(self, e: ast.PathExpr, path: ast.Path) -> int:
        names = path.names
        if len(names) == 2 and names[0] in t.INT_KINDS and names[1] in ("MIN", "MAX"):
            lo, hi = int_range(names[0])
            return lo if names[1] == "MIN" else hi
        res = self.results.paths.get(e)
        if isinstance(res, LocalRes) and res.local in self.locals:
            return self.value(self.locals[res.local])
        found = self.other(res.name) if isinstance(res, ConstRes) else None
        if found is None:
            raise Unknown
        return found

    def _binary(self, e: ast.Binary, op: str, lhs: ast.Expr, rhs: ast.Expr) -> int:
        if op not in ("+", "-", "*", "/", "%", "<<", ">>", "&", "|", "^"):
            raise Unknown
        kind = self._kind(e)
        a = self.value(lhs)
        b = self.value(rhs)
        lo, hi = int_range(kind)
        if op in ("<<", ">>"):
            bits = hi.bit_length() + (1 if kind.startswith("i") else 0)
            if not 0 <= b < bits:
                word = "left" if op == "<<" else "right"
                raise Failed(f"attempt to shift {word} by `{show(b, self._kind(rhs))}`, "
                              "which would overflow", e)
            return _wrap(a << b, kind) if op == "<<" else a >> b
        if op in ("/", "%") and b == 0:
            what = (f"divide `{show(a, kind)}` by zero" if op == "/" else
                    f"calculate the remainder of `{show(a, kind)}` with a divisor of zero")
            raise Failed(f"attempt to {what}", e)
        if op in ("&", "|", "^"):
            return {"&": a & b, "|": a | b, "^": a ^ b}[op]
        if op == "%" and a == lo and b == -1 and kind.startswith("i"):
            # `MIN % -1` is 0 mathematically, but it divides `MIN / -1`, which overflows.
            raise Failed(f"attempt to compute `{show(a, kind)} % {show(b, kind)}`, "
                         "which would overflow", e)
        if op in ("/", "%"):
            q = abs(a) // abs(b) * (1 if (a < 0) == (b < 0) else -1)
            result = q if op == "/" else a - q * b
        else:
            result = {"+": a + b, "-": a - b, "*": a * b}[op]
        if not lo <= result <= hi:
            raise Failed(f"attempt to compute `{show(a, kind)} {op} {show(b, kind)}`, "
                          "which would overflow", e)
        return result

    def _index(self, e: ast.Index, base: ast.Expr, index: ast.Expr) -> int:
        ty = self.results.expr_types.get(base)
        if not isinstance(ty, t.Array):
            raise Unknown
        i = self.value(index)
        if not 0 <= i < ty.length:
            raise Failed(f"index out of bounds: the length is {ty.length} but the index "
                          f"is {i}", e)
        raise Unknown  # the element's value is not evaluated


def _wrap(value: int, kind: str) -> int:
    lo, hi = int_range(kind)
    return (value - lo) % (hi - lo + 1) + lo
