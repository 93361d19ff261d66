"""`usize::MAX` as a value.

`usize` is Go's `int` (slice lengths and indexes are ints), which cannot hold Rust's
`usize::MAX` (2^64 - 1 on 64-bit targets). Programs use it as a sentinel: a `min` seed,
"not found", a value compared against. So `usize::MAX` is Go's `math.MaxInt` (larger than
any length or index, so comparisons, `min`/`max` and equality behave as in Rust, and adding
to it panics with Rust's overflow message), and in a package that names `usize::MAX` (the
signature key says so: `sema.items.signature_key`) every `usize` is printed through the
runtime's `gustUsize`, which prints `math.MaxInt` as Rust's `18446744073709551615`: scalars
directly, `usize`s inside `Vec`s, `Option`s, tuples and derived `Debug` fields through the
shapes of gust.codegen.intviews (shape "u"). So in a package with an `AtomicUsize`, whose
`fetch_sub` below zero wraps to `usize::MAX` as in Rust (the runtime's gustAtomicUsize, in
the encoding below: `gustUsizeEncode`).

Values near `usize::MAX` and near `usize::MAX / 2` (Rust's `usize`s of 2^63 and more do
not fit an `int`) are kept in the top of the `int`s, in two windows of 2^32 values each
(`encode`): Rust's `2^64 - 2^32 ..= usize::MAX` as the `int`s `2^63 - 2^32 ..= math.MaxInt`
(`usize::MAX - 1` is `math.MaxInt - 1`), and Rust's `2^63 - 2^31 .. 2^63 + 2^31` as the
2^32 `int`s below them. An `int` below both windows is its own value. The windows keep
the order of the values, so comparisons, `min`/`max`, and adding or subtracting small
numbers stay as in Rust, and `gustUsize` prints each as Rust's value; the Rust values
between the windows cannot be written (a constant expression giving one is reported).

Arithmetic on `usize::MAX` itself is worked out at compile time when the other operand is
a constant (`usize::MAX - 1`, `usize::MAX / 2`, `usize::MAX >> 4`: `fold`). With a runtime
operand, `usize::MAX - n` is `gustUsizeMaxMinus(n)` (a panic for an `n` beyond the top
window), `+`, `*`, `&`, `|` and a right operand `usize::MAX` of `/`, `%`, `-`, `<<`, `>>`
give Rust's results (or its overflow panics) on the `int`s as they are; the others (`/`,
`%`, shifts and `^` of `usize::MAX` by a runtime value) are reported unsupported. A cast
of a constant is worked out at compile time (`usize::MAX as u64`, `as i64` is -1).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Final

from gust.codegen import astwalk
from gust.codegen import goast as g
from gust.sema import types as t
from gust.sema.items import ItemEnv
from gust.sema.results import BodyResults, ConstRes
from gust.syntax import ast

NAME: Final = "usize::MAX"
ATOMIC: Final = "AtomicUsize"
RUST_VALUE: Final = 2**64 - 1
_MEMO_KEY: Final = "usize_max.enabled"
# The operators whose result on `usize::MAX` Go's `int` cannot give.
ARITHMETIC: Final = frozenset({"+", "-", "*", "/", "%", "<<", ">>", "&", "|", "^"})


def enabled(env: ItemEnv) -> bool:
    """Whether the package names `usize::MAX`, or has an `AtomicUsize` (whose `fetch_sub`
    wraps to it, the runtime's gustAtomicUsize) (computed once per environment)."""
    found = env.memo.get(_MEMO_KEY)
    if isinstance(found, bool):
        return found
    value = False
    if astwalk.may_mention(env, "usize", "MAX"):  # most packages: no walk
        paths = astwalk.package_paths(env)
        value = any(_names_usize_max(n) for n in (*paths.code, *paths.consts))
    if not value and astwalk.may_mention(env, ATOMIC):
        paths = astwalk.package_paths(env)
        value = any(s.name == ATOMIC for n in paths.code for s in n.path.segments) or \
            any(ATOMIC in str(f.ty) for info in env.structs.values() for f in info.fields)
    env.memo[_MEMO_KEY] = value
    return value


def _names_usize_max(n: ast.PathExpr) -> bool:
    segments = n.path.segments
    return len(segments) >= 2 and segments[-1].name == "MAX" and segments[-2].name == "usize"


def is_usize_max(br: BodyResults, e: ast.Expr) -> bool:
    """Whether `e` (parentheses stripped) is the path `usize::MAX`."""
    while isinstance(e, ast.Paren):
        e = e.inner
    return isinstance(e, ast.PathExpr) and \
        isinstance(res := br.paths.get(e), ConstRes) and res.name == NAME


def printed_as_usize(env: ItemEnv, ty: t.Ty) -> bool:
    """Whether a value of type `ty` is printed through `gustUsize`."""
    return isinstance(ty, t.Int) and ty.kind == "usize" and enabled(env)


WINDOW: Final = 2**32
_GO_MAX: Final = 2**63 - 1
_TOP: Final = 2**64 - WINDOW  # the least Rust value of the top window
_MIDDLE: Final = 2**63 - WINDOW // 2  # ... of the middle one
_LOW: Final = _GO_MAX + 1 - 2 * WINDOW  # the least `int` of the windows
# With a runtime operand, the operators that give Rust's result on the `int`s as they are
# when `usize::MAX` is their left operand / their right operand.
RUNTIME_LEFT: Final = frozenset({"+", "*", "&", "|"})
RUNTIME_RIGHT: Final = frozenset({"+", "-", "*", "/", "%", "&", "|", "<<", ">>"})


def fold(br: BodyResults, const_int: Callable[[ast.Expr], int | None],
         e: ast.Expr) -> int | None:
    """Rust's value of a constant `usize` expression naming `usize::MAX` (`usize::MAX - 1`,
    `(usize::MAX >> 1) / 3`), or None when an operand is not a constant or the operation
    would overflow (rustc rejects those at compile time)."""
    while isinstance(e, ast.Paren):
        e = e.inner
    if is_usize_max(br, e):
        return RUST_VALUE
    if not isinstance(e, ast.Binary) or e.op not in ARITHMETIC:
        value = const_int(e)
        return value if value is not None and 0 <= value <= RUST_VALUE else None
    a, b = fold(br, const_int, e.lhs), fold(br, const_int, e.rhs)
    if a is None or b is None:
        return None
    result: int | None
    match e.op:
        case "+":
            result = a + b
        case "-":
            result = a - b
        case "*":
            result = a * b
        case "/" | "%":
            result = None if b == 0 else (a // b if e.op == "/" else a % b)
        case "<<" | ">>":
            result = None if b >= 64 else ((a << b) & RUST_VALUE if e.op == "<<" else a >> b)
        case "&":
            result = a & b
        case "|":
            result = a | b
        case _:
            result = a ^ b
    return result if result is not None and 0 <= result <= RUST_VALUE else None


def mentioned(br: BodyResults, e: ast.Expr) -> bool:
    """Whether an operand of the arithmetic `e`, or of the arithmetic in its operands, is
    `usize::MAX`."""
    while isinstance(e, ast.Paren):
        e = e.inner
    if is_usize_max(br, e):
        return True
    return isinstance(e, ast.Binary) and e.op in ARITHMETIC and (
        mentioned(br, e.lhs) or mentioned(br, e.rhs))


def encode(value: int) -> g.GoExpr | None:
    """The Go `int` holding Rust's `usize` `value` (the windows of the docstring), or None
    when it falls between them."""
    if value < _LOW:
        return g.Atom(str(value), "int")
    if _MIDDLE <= value < _MIDDLE + WINDOW or value >= _TOP:
        return g.call("gustUsizeHigh", g.Atom(str(value), "int"))
    return None
