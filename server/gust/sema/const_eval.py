"""The integer values of constants, for array lengths (`[u8; N]`, `[0; N * 2]`).

rustc evaluates a constant's body at compile time; Gust evaluates the integer expressions
an array length needs: literals, other constants (by name, in the module where the length
is written), parentheses, `as` casts between integers, and the arithmetic and bit
operators. Anything else has no value here (the length is then unknown, 0, as before)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Final

from gust.syntax import ast

# A name written alone (`N`) -> the key of the constant it names, or None.
Lookup = Callable[[str], str | None]

_OPS: Final[Mapping[str, Callable[[int, int], int | None]]] = {
    "+": lambda a, b: a + b,
    "-": lambda a, b: a - b,
    "*": lambda a, b: a * b,
    "/": lambda a, b: a // b if b else None,
    "%": lambda a, b: a % b if b else None,
    "<<": lambda a, b: a << b if 0 <= b < 128 else None,
    ">>": lambda a, b: a >> b if 0 <= b < 128 else None,
    "&": lambda a, b: a & b,
    "|": lambda a, b: a | b,
    "^": lambda a, b: a ^ b,
}


def int_value(e: ast.Expr, lookup: Lookup, values: Mapping[str, ast.Expr],
              depth: int = 0, self_name: str | None = None) -> int | None:
    """The value of `e`, an integer expression; `values` gives each constant's
    initialiser by key. None when it is not one Gust evaluates (or names itself).
    `self_name`: the type `Self` is, in an associated constant's value."""
    if depth > 32:
        return None  # a cycle (`const A: usize = B; const B: usize = A;`)
    match e:
        case ast.Literal(kind="int", value=int(v)):
            return v
        case ast.Paren(inner=inner):
            return int_value(inner, lookup, values, depth + 1, self_name)
        case ast.Cast(expr=inner):
            return int_value(inner, lookup, values, depth + 1, self_name)
        case ast.Unary(op="-", operand=operand):
            negated = int_value(operand, lookup, values, depth + 1, self_name)
            return None if negated is None else -negated
        case ast.Binary(op=op, lhs=lhs, rhs=rhs) if op in _OPS:
            a = int_value(lhs, lookup, values, depth + 1, self_name)
            b = int_value(rhs, lookup, values, depth + 1, self_name)
            return None if a is None or b is None else _OPS[op](a, b)
        case ast.PathExpr(path=path) if len(path.segments) == 1:
            key = lookup(path.last.name)
            init = values.get(key) if key is not None else None
            return None if init is None else int_value(init, lookup, values, depth + 1)
        case ast.PathExpr(path=path) if len(path.segments) == 2:
            # `Config::MAX`: an inherent associated constant (keyed `Type::NAME`).
            owner, name = path.names
            if owner == "Self" and self_name is not None:
                owner = self_name
            init = values.get(f"{owner}::{name}")
            return None if init is None else int_value(init, lookup, values, depth + 1, owner)
    return None
