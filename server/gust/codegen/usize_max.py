"""`usize::MAX` as a value.

`usize` is Go's `int` (slice lengths and indexes are ints), which cannot hold Rust's
`usize::MAX` (2^64 - 1 on 64-bit targets). Programs use it as a sentinel: a `min` seed,
"not found", a value compared against. So `usize::MAX` is Go's `math.MaxInt` (larger than
any length or index, so comparisons, `min`/`max` and equality behave as in Rust, and adding
to it panics with Rust's overflow message), and in a package that names `usize::MAX` (the
signature key says so: `sema.items.signature_key`) every `usize` is printed through the
runtime's `gustUsize`, which prints `math.MaxInt` as Rust's `18446744073709551615`: scalars
directly, `usize`s inside `Vec`s, `Option`s, tuples and derived `Debug` fields through the
shapes of gust.codegen.charshape (shape "u").

Arithmetic whose operand is `usize::MAX` itself (`usize::MAX - n`, `usize::MAX / 2`) would
give a Go `int` other than Rust's result: it is reported unsupported. A cast of it is
worked out at compile time (`usize::MAX as u64`, `as i64` is -1).
"""

from __future__ import annotations

from gust.codegen import astwalk
from gust.sema import types as t
from gust.sema.items import ItemEnv
from gust.sema.results import BodyResults, ConstRes
from gust.syntax import ast

NAME = "usize::MAX"
RUST_VALUE = 2**64 - 1
_MEMO_KEY = "usize_max.enabled"
# The operators whose result on `usize::MAX` Go's `int` cannot give.
ARITHMETIC = frozenset({"+", "-", "*", "/", "%", "<<", ">>", "&", "|", "^"})


def enabled(env: ItemEnv) -> bool:
    """Whether the package names `usize::MAX` (computed once per environment)."""
    found = env.memo.get(_MEMO_KEY)
    if isinstance(found, bool):
        return found
    paths = astwalk.package_paths(env)
    value = any(_names_usize_max(n) for n in (*paths.code, *paths.consts))
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
