"""rustc's deny-by-default `overflowing_literals` lint: a number literal that does not fit
its type (`300 as u8`, `let x: u8 = 256;`, `128i8`, `-129` as an `i8`, `1e40` as an `f32`).

rustc reports it as an error without an error code ("literal out of range for `u8`"); Gust
reports it with the lint's name as the code, which `gust check` prints as rustc does
(`error: literal out of range for ..`). It runs over a body that type-checked, once the
literals' types are final (an unsuffixed literal takes its type from its context, or
defaults to `i32`). A literal under a unary minus is checked with its sign (`-128i8` fits),
as rustc does. The end of an exclusive range one past the type's largest value
(`0..256u8`) is rustc's "range endpoint is out of range", suggesting `0..=255u8`.
"""

from __future__ import annotations

import struct
from collections.abc import Iterator
from dataclasses import replace
from typing import Final

from gust import diagnostics as d
from gust.sema import types as t
from gust.sema.results import BodyResults
from gust.syntax import ast
from gust.syntax.walk import children
from gust.text import Span

LINT: Final = "overflowing_literals"
_DEFAULT_NOTE: Final = f"`#[deny({LINT})]` on by default"
# Integer types by width, as rustc suggests a wider one (`isize`/`usize`: 64-bit targets).
_BITS: Final = {"8": 8, "16": 16, "32": 32, "64": 64, "128": 128, "size": 64}
_WIDER_SIGNED: Final = ("i8", "i16", "i32", "i64", "i128")
_WIDER_UNSIGNED: Final = ("u8", "u16", "u32", "u64", "u128")


def overflowing_literals(body: ast.Block, results: BodyResults) -> list[d.Diagnostic]:
    """One error per literal of the body that does not fit its type."""
    out: list[d.Diagnostic] = []
    ends: dict[int, ast.Range] | None = None  # worked out for the first literal out of range
    for lit, negative, span in _literals(results):
        if isinstance(lit, ast.Cast):
            diag = _cast_to_char(lit, results)
            if diag is not None:
                out.append(diag if out else replace(diag, notes=(*diag.notes, _DEFAULT_NOTE)))
            continue
        ty = results.expr_types.get(lit) if isinstance(lit, ast.Literal) else None
        if isinstance(lit, ast.LitPat):
            ty = results.pat_types.get(lit)
            lit = lit.lit
        diag = _check(lit, negative, span, ty)
        if diag is not None and isinstance(ty, t.Int):
            if ends is None:
                ends = {id(_unparen(r.hi)): r for r in _ranges(body) if r.hi is not None}
            if id(lit) in ends:
                diag = _range_endpoint(lit, ty.kind, ends[id(lit)]) or diag
        if diag is not None:
            out.append(diag if out else replace(diag, notes=(*diag.notes, _DEFAULT_NOTE)))
    return out


def _ranges(node: object) -> Iterator[ast.Range]:
    """The exclusive ranges with both ends under `node` (`0..256u8`)."""
    if isinstance(node, ast.Range) and not node.inclusive and node.lo is not None:
        yield node
    for child in children(node):
        yield from _ranges(child)


def _range_endpoint(lit: ast.Literal, kind: str, rng: ast.Range) -> d.Diagnostic | None:
    """rustc's special case of the lint: the end of `start..end` is one past the type's
    largest value, which an inclusive range reaches (`0..256u8` is `0..=255u8`)."""
    hi = int_range(kind)[1]
    if not isinstance(lit.value, int) or lit.value - 1 != hi or rng.lo is None:
        return None
    start = _snippet(rng.lo)
    message = f"range endpoint is out of range for `{kind}`"
    if start is None:
        return d.error(LINT, message, rng.span)
    fixed = f"{start}..={hi}{lit.suffix or ''}"
    title = f"use an inclusive range instead: `{fixed}`"
    return d.error(LINT, message, rng.span, help=(title,),
                   fixes=(d.Fix(title, (d.Edit(rng.span, fixed),)),))


def _snippet(e: ast.Expr) -> str | None:
    """The source of a simple range start (a literal, a negated one, a path); None for
    anything else (the lint then has no suggestion)."""
    match e:
        case ast.Literal(text=text):
            return text
        case ast.Unary(op="-", operand=ast.Literal(text=text)):
            return f"-{text}"
        case ast.PathExpr(path=path):
            return "::".join(path.names)
        case ast.Paren(inner=inner):
            inner_text = _snippet(inner)
            return None if inner_text is None else f"({inner_text})"
    return None


_NUMBERS: Final = frozenset({"int", "float"})
# Below these, a number literal (a magnitude: its minus is a `Unary` or `negative`) fits
# every type it can have (`i8`: -128..=127; `f32` up to 3.4e38), and casts to `char`.
_FITS_ANY_INT: Final = 127
_FITS_ANY_FLOAT: Final = 3.0e38


def _may_overflow(value: object) -> bool:
    if isinstance(value, int):
        return value > _FITS_ANY_INT
    return not (isinstance(value, float) and value <= _FITS_ANY_FLOAT)


def _literals(results: BodyResults
              ) -> list[tuple[ast.Literal | ast.LitPat | ast.Cast, bool, Span]]:
    """Every number literal of the body that has a type (only those can be out of range)
    and is not small enough to fit any type (most are), in source order, whether a unary minus applies to it, and the span rustc points at (the
    minus included); a literal cast (to `char`, say) as its cast.

    Read from the types the checker recorded, with the casts and minuses over literals:
    the body is not walked again (a walk of every node was 4 % of a cold check)."""
    found: list[ast.Literal] = []
    # Literals under a cast or a minus (parentheses between), by id; those of patterns.
    casts: dict[int, ast.Cast] = {}
    negated: dict[int, ast.Unary] = {}
    in_patterns: set[int] = set()
    for e in results.expr_types:
        if isinstance(e, ast.Literal):
            if e.kind in _NUMBERS and _may_overflow(e.value):
                found.append(e)
        elif isinstance(e, ast.Unary):
            if e.op == "-" and isinstance(inner := _unparen(e.operand), ast.Literal):
                negated[id(inner)] = e
        elif isinstance(e, ast.Cast) and isinstance(inner := _unparen(e.expr), ast.Literal):
            casts[id(inner)] = e
    out: list[tuple[ast.Literal | ast.LitPat | ast.Cast, bool, Span]] = []
    for p in results.pat_types:
        if isinstance(p, ast.LitPat):
            in_patterns.add(id(p.lit))
            if p.lit.kind in _NUMBERS and _may_overflow(p.lit.value):
                out.append((p, p.negative, p.span))
        elif isinstance(p, ast.RangePat):
            # (Its ends are literal patterns without a type of their own: not checked.)
            in_patterns.update(id(end.lit) for end in (p.lo, p.hi) if end is not None)
    for lit in found:
        key = id(lit)
        if key in in_patterns:
            continue
        if key in casts:
            out.append((casts[key], False, casts[key].span))
        elif key in negated:
            out.append((lit, True, negated[key].span))
        else:
            out.append((lit, False, lit.span))
    out.sort(key=lambda found: found[2].start)
    return out


def _cast_to_char(cast: ast.Cast, results: BodyResults) -> d.Diagnostic | None:
    """`300 as char`: only a `u8` literal casts to `char` (rustc's wording); any other cast of
    a literal is checked as its literal."""
    lit = _unparen(cast.expr)
    assert isinstance(lit, ast.Literal)
    if results.expr_types.get(cast) != t.CHAR or results.expr_types.get(lit) != t.Int("u8"):
        return _check(lit, False, lit.span, results.expr_types.get(lit))
    if not isinstance(lit.value, int) or lit.value <= 255:
        return None
    if lit.value > 0x10FFFF:
        return d.error(LINT, "only `u8` can be cast into `char`", cast.span)
    return d.error(LINT, "only `u8` can be cast into `char`", cast.span,
                   f"help: use a `char` literal instead: `'\\u{{{lit.value:X}}}'`")


def _unparen(e: ast.Expr) -> ast.Expr:
    while isinstance(e, ast.Paren):
        e = e.inner
    return e


def _check(lit: ast.Literal, negative: bool, span: Span, ty: t.Ty | None
           ) -> d.Diagnostic | None:
    if isinstance(ty, t.Int) and isinstance(lit.value, int):
        return _check_int(lit, negative, span, ty.kind)
    if isinstance(ty, t.Float) and isinstance(lit.value, (float, int)):
        return _check_float(lit, negative, span, ty.kind)
    return None


def int_range(name: str) -> tuple[int, int]:
    """The values of an integer type (`i8`: -128..=127)."""
    bits = _BITS[name[1:]]
    if name.startswith("u"):
        return 0, (1 << bits) - 1
    return -(1 << (bits - 1)), (1 << (bits - 1)) - 1


def _check_int(lit: ast.Literal, negative: bool, span: Span, name: str) -> d.Diagnostic | None:
    assert isinstance(lit.value, int)  # an int literal (checked by the caller)
    value = -lit.value if negative else lit.value
    lo, hi = int_range(name)
    if lo <= value <= hi or (negative and name.startswith("u")):
        return None  # a negated unsigned literal is E0600, reported by the checker
    shown = ("-" if negative else "") + lit.text
    suggestion = _type_suggestion(name, abs(value), negative)
    help_ = (f"consider using the type `{suggestion}` instead",) if suggestion else ()
    if lit.text[:2].lower() in ("0x", "0o", "0b"):
        became = _wrap(value, name)
        note = (f"the literal `{shown}` (decimal `{abs(value)}`) does not fit into the type "
                f"`{name}` and will become `{became}{name}`")
    else:
        note = (f"the literal `{shown}` does not fit into the type `{name}` whose range is "
                f"`{lo}..={hi}`")
        if name.startswith("u"):
            help_ = ()  # rustc suggests a type only for signed and bin/hex literals
    return d.error(LINT, f"literal out of range for `{name}`", span, notes=(note,), help=help_)


def _wrap(value: int, name: str) -> int:
    """What `value` becomes in `name` (two's complement truncation)."""
    lo, hi = int_range(name)
    size = hi - lo + 1
    return (value - lo) % size + lo


def _type_suggestion(name: str, value: int, negative: bool) -> str | None:
    """rustc's `get_type_suggestion`: the narrowest type that holds the literal (an
    unsigned one first for a non-negative literal of a signed type)."""
    if name.endswith("size"):
        return None
    bits = _BITS[name[1:]]
    if name.startswith("u"):
        candidates = [u for u in _WIDER_UNSIGNED if _BITS[u[1:]] >= bits]
    else:
        same = f"u{bits}"
        wider = [i for i in _WIDER_SIGNED if _BITS[i[1:]] > bits]
        candidates = ([] if negative else [same]) + wider
    for candidate in candidates:
        if value <= int_range(candidate)[1] + negative:
            return candidate
    return None


def _check_float(lit: ast.Literal, negative: bool, span: Span, name: str
                 ) -> d.Diagnostic | None:
    value = float(lit.value)
    if name == "f32":
        try:
            struct.pack("<f", value)
            fits = value != float("inf")
        except OverflowError:
            fits = False
    else:
        fits = value != float("inf")
    if fits:
        return None
    shown = ("-" if negative else "") + lit.text
    return d.error(LINT, f"literal out of range for `{name}`", span, notes=(
        f"the literal `{shown}` does not fit into the type `{name}` and will be converted "
        f"to `{name}::{'NEG_INFINITY' if negative else 'INFINITY'}`",))
