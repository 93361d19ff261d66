"""`match` exhaustiveness and unreachable arms: the usefulness algorithm of Maranget's
"Warnings for pattern matching", as rustc uses it.

Patterns are first deconstructed into constructors applied to sub-patterns, with the type
of each column known, so that "all constructors of this type" can be enumerated (enum
variants, `true`/`false`, the single constructor of tuples, structs and references).
Integers and chars are split into ranges, as rustc does: the boundaries of the ranges (and
literals) that the arms use cut the type's values into pieces that every arm either covers
or misses, so a match of `0..=127` and `128..=255` on a `u8` is exhaustive, and what is
missing is reported as rustc prints it (`101_i32..=i32::MAX`). `usize` and `isize` have one
more value past each end (rustc does not treat `usize::MAX` as their end): only a
half-open range (`5..`) covers it. Floats and strings have too many values to enumerate:
only a wildcard covers them.

Slice patterns are constructors of their length, as in rustc: `[a, b]` of length 2,
`[first, .., last]` of every length from 2 (a prefix and a suffix around the `..`). A
column of slices is split into the lengths below the longest pattern (each its own
constructor) and one constructor for every longer slice, so that each arm covers a piece
whole or not at all: what is missing is printed as rustc does (`&[_, _, _, ..]`). An
array's column is one constructor: its length, or a shorter variable-length one when every
pattern has a `..` (then a witness reads `[.., u8::MAX]`, as rustc's).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from typing import Final

from gust.frozen import dataclass
from gust.sema import types as t
from gust.sema.items import ItemEnv


@dataclass(frozen=True, slots=True)
class Ctor:
    """kind: "variant" (name = variant), "bool" (value), "tuple", "struct", "ref", "lit",
    "range" (value = (lo, hi), both included: integers, or chars as code points), "slice"
    (value = (prefix, suffix, variable): a fixed length `prefix` when not variable, else
    at least `prefix + suffix` elements, the fields being the prefix's then the suffix's).
    """

    kind: str
    name: str = ""
    value: object | None = None  # (not `object`: mypyc cannot load that annotation)
    arity: int = 0


@dataclass(frozen=True, slots=True)
class DPat:
    """A deconstructed pattern: a constructor and its fields, or a wildcard (ctor None)."""

    ctor: Ctor | None
    fields: tuple[DPat, ...] = ()
    # For printing a witness: the enum name of a variant, the variant's shape.
    type_name: str = ""
    shape: str = ""
    field_names: tuple[str, ...] = ()


WILD: Final = DPat(None)
# Enough witnesses for "`a`, `b`, `c` and N more": a cap keeps a wide product of ranges
# from growing without bound (the count past it is then a lower bound).
_MAX_WITNESSES: Final = 64
_CHAR_VALUES: Final = ((0, 0xD7FF), (0xE000, 0x10FFFF))


@dataclass(frozen=True, slots=True)
class IntDomain:
    """The values of an integer type or `char` (as code points), as ranges."""

    kind: str  # "i8", ..., "usize", or "char"
    spans: tuple[tuple[int, int], ...]  # with the extra value past each end of usize, isize
    min: int  # the type's MIN and MAX
    max: int

    @property
    def lowest(self) -> int:
        """Where a range without a start (`..5`) starts."""
        return self.spans[0][0]

    @property
    def highest(self) -> int:
        """Where a range without an end (`5..`) ends."""
        return self.spans[-1][1]


def int_domain(kind: str) -> IntDomain:
    """The domain of `kind` (an integer type's name or "char")."""
    if kind == "char":
        return IntDomain("char", _CHAR_VALUES, 0, 0x10FFFF)
    bits = t.Int(kind).bits
    lo, hi = (-(1 << (bits - 1)), (1 << (bits - 1)) - 1) if kind.startswith("i") \
        else (0, (1 << bits) - 1)
    # rustc does not treat `usize::MAX` (nor `isize::MIN`) as the end of the type, whose
    # size depends on the target: one more value past it stands for "beyond".
    if kind == "usize":
        return IntDomain(kind, ((lo, hi + 1),), lo, hi)
    if kind == "isize":
        return IntDomain(kind, ((lo - 1, hi + 1),), lo, hi)
    return IntDomain(kind, ((lo, hi),), lo, hi)


def domain_of(ty: t.Ty) -> IntDomain | None:
    """The domain of an integer or `char` type (an integer not inferred yet is an `i32`)."""
    match ty:
        case t.Int(kind):
            return int_domain(kind)
        case t.Char():
            return int_domain("char")
        case t.Infer(kind="int"):
            return int_domain("i32")
    return None


def range_pat(dom: IntDomain, lo: int, hi: int) -> DPat:
    return DPat(Ctor("range", value=(lo, hi)), type_name=dom.kind)


@dataclass(frozen=True)
class Space:
    """What the algorithm needs to know about types."""

    env: ItemEnv
    resolve: Callable[[t.Ty], t.Ty]

    def all_ctors(self, ty: t.Ty) -> list[tuple[Ctor, list[t.Ty], DPat]] | None:
        """Every constructor of `ty` with its field types and a printable template, or
        None when the type has too many values to list."""
        ty = self.resolve(ty)
        match ty:
            case t.Bool():
                return [(Ctor("bool", value=v), [], DPat(Ctor("bool", value=v)))
                        for v in (True, False)]
            case t.Tuple(elems):
                c = Ctor("tuple", arity=len(elems))
                return [(c, list(elems), DPat(c))]
            case t.Ref(inner, _):
                c = Ctor("ref", arity=1)
                return [(c, [inner], DPat(c))]
            case t.Adt(name, args) if name in self.env.enums:
                info = self.env.enums[name]
                subst = dict(zip(info.generics, args, strict=False))
                result = []
                for v in info.variants:
                    c = Ctor("variant", v.name, arity=len(v.fields))
                    tys = [t.substitute(f.ty, subst) for f in v.fields]
                    result.append((c, tys, DPat(c, type_name=name, shape=v.kind,
                                               field_names=tuple(f.name or "" for f in v.fields))))
                return result
            case t.Adt("Result", (ok, err)):
                ok_c = Ctor("variant", "Ok", arity=1)
                err_c = Ctor("variant", "Err", arity=1)
                return [(ok_c, [ok], DPat(ok_c, shape="tuple")),
                        (err_c, [err], DPat(err_c, shape="tuple"))]
            case t.Adt("Option", (inner,)):
                some = Ctor("variant", "Some", arity=1)
                none = Ctor("variant", "None")
                # In declaration order (`None` first), the order rustc lists witnesses in.
                return [(none, [], DPat(none, shape="unit")),
                        (some, [inner], DPat(some, shape="tuple"))]
            case t.Adt("Ordering", ()):
                return [(c, [], DPat(c, type_name="std::cmp::Ordering", shape="unit"))
                        for c in (Ctor("variant", v) for v in ("Less", "Equal", "Greater"))]
            case t.Adt("Bound", (inner,)) if "Bound" not in self.env.structs:
                included = Ctor("variant", "Included", arity=1)
                excluded = Ctor("variant", "Excluded", arity=1)
                unbounded = Ctor("variant", "Unbounded")
                # rustc's witnesses name it `Bound::Unbounded`.
                return [(included, [inner], DPat(included, type_name="Bound", shape="tuple")),
                        (excluded, [inner], DPat(excluded, type_name="Bound", shape="tuple")),
                        (unbounded, [], DPat(unbounded, type_name="Bound", shape="unit"))]
            case t.Adt("Cow", (inner,)) if "Cow" not in self.env.structs and \
                    "Cow" not in self.env.enums:
                # std::borrow::Cow (of `str`, the one Gust models: its owned form a String)
                borrowed = Ctor("variant", "Borrowed", arity=1)
                owned = Ctor("variant", "Owned", arity=1)
                return [(borrowed, [t.Ref(inner, False)],
                         DPat(borrowed, type_name="Cow", shape="tuple")),
                        (owned, [t.STRING if inner == t.STR else t.ERROR],
                         DPat(owned, type_name="Cow", shape="tuple"))]
            case t.Adt("Range", (inner,)) if "Range" not in self.env.structs and \
                    "Range" not in self.env.enums:
                # std::ops::Range: a struct of two public fields, `Range { start, end }`
                c = Ctor("struct", "Range", arity=2)
                return [(c, [inner, inner], DPat(c, type_name="std::ops::Range", shape="named",
                                                field_names=("start", "end")))]
            case t.Adt(name, args) if name in self.env.structs:
                info_s = self.env.structs[name]
                subst = dict(zip(info_s.generics, args, strict=False))
                c = Ctor("struct", name, arity=len(info_s.fields))
                return [(c, [t.substitute(f.ty, subst) for f in info_s.fields],
                         DPat(c, type_name=name, shape=info_s.kind,
                              field_names=tuple(f.name or "" for f in info_s.fields)))]
        return None

    def int_domain(self, ty: t.Ty) -> IntDomain | None:
        return domain_of(self.resolve(ty))

    def field_types(self, ty: t.Ty, ctor: Ctor) -> list[t.Ty]:
        for c, tys, _ in self.all_ctors(ty) or []:
            if c == ctor:
                return tys
        return [t.ERROR] * ctor.arity


Row = tuple[DPat, ...]


def slice_ctor(prefix: int, suffix: int, variable: bool) -> Ctor:
    return Ctor("slice", value=(prefix, suffix, variable), arity=prefix + suffix)


def _slice_shape(c: Ctor) -> tuple[int, int, bool]:
    assert isinstance(c.value, tuple)
    prefix, suffix, variable = c.value
    return prefix, suffix, variable


def _slice_covers(pat: Ctor, c: Ctor) -> bool:
    """Whether the slice pattern constructor `pat` matches every slice `c` stands for."""
    p, s, var = _slice_shape(pat)
    cp, cs, cvar = _slice_shape(c)
    if not var:
        return not cvar and cp == p
    return cp + cs >= p + s if not cvar else (cp >= p and cs >= s)


def _slice_fields(head: DPat, c: Ctor) -> tuple[DPat, ...]:
    """The fields of a slice pattern `head` (or a wildcard) lined up with those of `c`:
    the wildcards a `..` stands for fill the middle."""
    if head.ctor is None:
        return (WILD,) * c.arity
    p, s, var = _slice_shape(head.ctor)
    if not var:
        return head.fields
    middle = c.arity - p - s
    return head.fields[:p] + (WILD,) * middle + head.fields[p:]


def _split_slices(heads: list[Ctor], own: Ctor | None, array_len: int | None) -> list[Ctor]:
    """rustc's split of slice lengths (`Slice::split`): every fixed length from `own`'s
    (0 for a wildcard) below the longest pattern and past the longest fixed one, then one
    variable-length constructor for the rest; an array's is capped at its length."""
    if own is not None and not _slice_shape(own)[2]:
        return [own]
    prefix, suffix, _ = _slice_shape(own) if own is not None else (0, 0, True)
    start = prefix + suffix
    upper = 1  # at least 1: an empty slice is told apart from the others
    for h in heads:
        p, s, var = _slice_shape(h)
        if var:
            prefix, suffix = max(prefix, p), max(suffix, s)
        else:
            upper = max(upper, p + 1)
    if upper >= prefix + suffix:
        prefix = upper - suffix
    if array_len is not None:
        if prefix + suffix >= array_len:
            return [slice_ctor(array_len, 0, False)]
        return [slice_ctor(prefix, suffix, True)]
    return [*(slice_ctor(n, 0, False) for n in range(start, prefix + suffix)),
            slice_ctor(prefix, suffix, True)]


def _useful_slices(space: Space, elem: t.Ty, array_len: int | None, rows: list[Row], q: Row,
                   tys: list[t.Ty], top: bool) -> list[Row]:
    """`useful` on a column of slices or arrays: split into lengths."""
    heads = [r[0].ctor for r in rows if r[0].ctor is not None and r[0].ctor.kind == "slice"]
    own = q[0].ctor
    wanted = _split_slices(heads, own, array_len)
    kind = "array" if array_len is not None else "slice"  # for printing witnesses
    if own is None:
        missing = [c for c in wanted if not any(_slice_covers(h, c) for h in heads)]
        if missing:
            default = [r[1:] for r in rows if r[0].ctor is None]
            ws = useful(space, default, q[1:], tys[1:])
            if not ws:
                return []
            if not heads and not top:
                return [(WILD, *w) for w in ws]
            return [(_template(DPat(m, type_name=kind)), *w) for m in missing
                    for w in ws][:_MAX_WITNESSES]
    found: list[Row] = []
    for c in wanted:
        spec_rows = [(*_slice_fields(r[0], c), *r[1:]) for r in rows
                     if r[0].ctor is None or (r[0].ctor.kind == "slice"
                                              and _slice_covers(r[0].ctor, c))]
        q2 = (*_slice_fields(q[0], c), *q[1:])
        for w in useful(space, spec_rows, q2, [elem] * c.arity + tys[1:]):
            found.append((DPat(c, w[:c.arity], type_name=kind), *w[c.arity:]))
        if (own is not None and found) or len(found) >= _MAX_WITNESSES:
            break
    return found[:1] if own is not None else found


def _specialize(row: Row, ctor: Ctor) -> Row | None:
    head = row[0]
    if head.ctor is None:
        return (WILD,) * ctor.arity + row[1:]
    if head.ctor == ctor:
        return head.fields + row[1:]
    return None


def useful(space: Space, rows: list[Row], q: Row, tys: list[t.Ty], top: bool = False
           ) -> list[Row]:
    """Witnesses: value vectors matched by `q` but by no row of `rows` (empty if none).

    `top`: the column is the scrutinee itself, where rustc lists every missing constructor
    even when no arm names one (`None` and `Some(_)`, not `_`)."""
    if not q:
        return [()] if not rows else []
    head = q[0]
    ty = tys[0]
    dom = space.int_domain(ty)
    if dom is not None and (head.ctor is None or head.ctor.kind == "range"):
        return _useful_ranges(space, dom, rows, q, tys, top)
    resolved = space.resolve(ty)
    if isinstance(resolved, (t.Slice, t.Array)) and (head.ctor is None
                                                     or head.ctor.kind == "slice"):
        return _useful_slices(space, resolved.elem, resolved.length if isinstance(
            resolved, t.Array) else None, rows, q, tys, top)
    if head.ctor is not None:
        field_tys = space.field_types(ty, head.ctor)
        spec_rows = [r for r in (_specialize(r, head.ctor) for r in rows) if r is not None]
        q2 = _specialize(q, head.ctor)
        assert q2 is not None
        return [_rebuild(space, ty, head.ctor, w) for w in
                useful(space, spec_rows, q2, field_tys + tys[1:])][:1]
    ctors = space.all_ctors(ty)
    used = {r[0].ctor for r in rows if r[0].ctor is not None}
    if ctors is not None and all(c in used for c, _, _ in ctors):
        # Every constructor appears: split on each; rustc reports what each one misses.
        found: list[Row] = []
        for c, ftys, _ in ctors:
            spec_rows = [r for r in (_specialize(r, c) for r in rows) if r is not None]
            ws = useful(space, spec_rows, (WILD,) * c.arity + q[1:], ftys + tys[1:])
            found.extend(_rebuild(space, ty, c, w) for w in ws)
            if len(found) >= _MAX_WITNESSES:
                break
        return found
    # Some constructors are missing: the default matrix (rows starting with a wildcard).
    default = [r[1:] for r in rows if r[0].ctor is None]
    ws = useful(space, default, q[1:], tys[1:])
    if not ws:
        return []
    if ctors is None or (not used and not top):
        return [(WILD, *w) for w in ws]
    missing = [tpl for c, _, tpl in ctors if c not in used]
    return [(_template(m), *w) for m in missing for w in ws][:_MAX_WITNESSES]


def _useful_ranges(space: Space, dom: IntDomain, rows: list[Row], q: Row,
                   tys: list[t.Ty], top: bool) -> list[Row]:
    """`useful` on a column of integers or chars: the values `q` matches are cut into
    pieces at every boundary of the rows' ranges, so that each row covers a piece whole or
    not at all."""
    heads = [_bounds(r[0]) for r in rows if r[0].ctor is not None and r[0].ctor.kind == "range"]
    want = dom.spans if q[0].ctor is None else _intersect(_bounds(q[0]), dom.spans)
    pieces = _split(want, heads)
    if q[0].ctor is None:
        missing = _merge([p for p in pieces if not _covered(p, heads)])
        if missing:
            # As rustc: what no range covers is reported (nothing else); `_` when no arm
            # names a value at all.
            default = [r[1:] for r in rows if r[0].ctor is None]
            ws = useful(space, default, q[1:], tys[1:])
            if not ws:
                return []
            if not heads and not top:
                return [(WILD, *w) for w in ws]
            return [(range_pat(dom, lo, hi), *w) for lo, hi in missing
                    for w in ws][:_MAX_WITNESSES]
    found: list[Row] = []
    for lo, hi in pieces:
        spec_rows = [r[1:] for r in rows if r[0].ctor is None or (
            r[0].ctor.kind == "range" and _bounds(r[0])[0] <= lo and hi <= _bounds(r[0])[1])]
        found.extend((range_pat(dom, lo, hi), *w) for w in useful(space, spec_rows, q[1:],
                                                                 tys[1:]))
        if len(found) >= _MAX_WITNESSES:
            break
    return found


def _bounds(p: DPat) -> tuple[int, int]:
    """The first and last value of a "range" pattern."""
    assert p.ctor is not None and isinstance(p.ctor.value, tuple)
    lo, hi = p.ctor.value
    return lo, hi


def _intersect(r: tuple[int, int], spans: tuple[tuple[int, int], ...]
               ) -> tuple[tuple[int, int], ...]:
    return tuple((max(r[0], lo), min(r[1], hi)) for lo, hi in spans
                 if max(r[0], lo) <= min(r[1], hi))


def _split(spans: tuple[tuple[int, int], ...], heads: list[tuple[int, int]]
           ) -> list[tuple[int, int]]:
    """`spans` cut at the start and past the end of every range in `heads`."""
    cuts = sorted({c for lo, hi in heads if lo <= hi for c in (lo, hi + 1)})
    pieces = []
    for lo, hi in spans:
        start = lo
        for c in cuts:
            if start < c <= hi:
                pieces.append((start, c - 1))
                start = c
        pieces.append((start, hi))
    return pieces


def _covered(piece: tuple[int, int], heads: list[tuple[int, int]]) -> bool:
    return any(lo <= piece[0] and piece[1] <= hi for lo, hi in heads)


def _merge(pieces: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Adjacent pieces as one range (not across the surrogates that no char is)."""
    merged: list[tuple[int, int]] = []
    for lo, hi in pieces:
        if merged and merged[-1][1] + 1 == lo:
            merged[-1] = (merged[-1][0], hi)
        else:
            merged.append((lo, hi))
    return merged


def _template(tpl: DPat) -> DPat:
    assert tpl.ctor is not None
    return DPat(tpl.ctor, (WILD,) * tpl.ctor.arity, tpl.type_name, tpl.shape, tpl.field_names)


def _rebuild(space: Space, ty: t.Ty, ctor: Ctor, witness: Row) -> Row:
    fields = witness[: ctor.arity]
    template = next((tpl for c, _, tpl in space.all_ctors(ty) or [] if c == ctor), DPat(ctor))
    return (DPat(ctor, fields, template.type_name, template.shape, template.field_names),
            *witness[ctor.arity:])


def show(p: DPat) -> str:
    """Print a witness the way rustc does: `Shape::Circle(_)`, `Shape::Rect { .. }`."""
    c = p.ctor
    if c is None:
        return "_"
    if c.kind == "bool":
        return "true" if c.value else "false"
    if c.kind == "ref":
        return "&" + show(p.fields[0])
    if c.kind == "tuple":
        return "(" + ", ".join(show(f) for f in p.fields) + ("," if len(p.fields) == 1 else "") \
            + ")"
    if c.kind == "lit":
        return str(c.value)
    if c.kind == "slice":
        prefix, _, variable = _slice_shape(c)
        before = [show(f) for f in p.fields[:prefix]]
        after = [show(f) for f in p.fields[prefix:]]
        if variable and p.type_name == "array":
            # As rustc: no wildcards next to an array's `..` (`[false, ..]`).
            while before and before[-1] == "_":
                before.pop()
            while after and after[0] == "_":
                after.pop(0)
        return "[" + ", ".join([*before, *([".."] if variable else []), *after]) + "]"
    if c.kind == "range":
        return _show_range(int_domain(p.type_name), *_bounds(p))
    name = c.name
    if c.kind == "variant" and p.type_name:
        name = f"{p.type_name}::{c.name}"
    elif c.kind == "struct" and p.type_name.startswith("std::"):
        name = p.type_name  # rustc names std's structs by their path (`std::ops::Range`)
    if p.shape == "tuple":
        return name + "(" + ", ".join(show(f) for f in p.fields) + ")"
    if p.shape == "named":
        if all(f.ctor is None for f in p.fields):
            return name + " { .. }"
        inner = ", ".join(f"{n}: {show(f)}" for n, f in zip(p.field_names, p.fields,
                                                          strict=False))
        return name + " { " + inner + " }"
    return name


def _show_range(dom: IntDomain, lo: int, hi: int) -> str:
    """As rustc prints a range: `101_i32..=i32::MAX`, `'a'`, `6_usize..`."""
    if lo > dom.max:
        return f"{dom.kind}::MAX.."
    if hi < dom.min:
        return f"..{dom.kind}::MIN"
    if lo == hi:
        return _show_value(dom, lo)
    if lo < dom.min:
        return "..=" + _show_value(dom, hi)
    if hi > dom.max:
        return _show_value(dom, lo) + ".."
    return _show_value(dom, lo) + "..=" + _show_value(dom, hi)


def _show_value(dom: IntDomain, v: int) -> str:
    if dom.kind == "char":
        return "'" + _escape_char(chr(v)) + "'"
    if v == dom.max:
        return f"{dom.kind}::MAX"
    if v == dom.min and v < 0:
        return f"{dom.kind}::MIN"
    return f"{v}_{dom.kind}"


_CHAR_ESCAPES: Final = {"\0": "\\0", "\t": "\\t", "\r": "\\r", "\n": "\\n", "'": "\\'",
                 "\\": "\\\\"}


def _escape_char(ch: str) -> str:
    """Rust's `char::escape_debug` (Python's notion of printable stands in for Rust's)."""
    if ch in _CHAR_ESCAPES:
        return _CHAR_ESCAPES[ch]
    if ch.isprintable() and unicodedata.category(ch) not in ("Mn", "Me"):
        return ch
    return f"\\u{{{ord(ch):x}}}"


def beyond_end_note(witnesses: list[DPat]) -> str | None:
    """rustc's note when a witness is a value past `usize::MAX` or before `isize::MIN`."""
    for w in witnesses:
        for p in _walk(w):
            if p.ctor is not None and p.ctor.kind == "range":
                dom = int_domain(p.type_name)
                lo, hi = _bounds(p)
                if lo > dom.max or hi < dom.min:
                    ends = "`usize::MAX` is" if dom.kind == "usize" \
                        else "`isize::MIN` and `isize::MAX` are"
                    return (f"{ends} not treated as exhaustive, so half-open ranges are "
                            "necessary to match exhaustively")
    return None


def _walk(p: DPat) -> list[DPat]:
    return [p, *(q for f in p.fields for q in _walk(f))]


def describe_witnesses(witnesses: list[DPat]) -> str:
    shown = [f"`{show(w)}`" for w in witnesses]
    if len(shown) == 1:
        return f"pattern {shown[0]}"
    if len(shown) <= 3:
        return "patterns " + ", ".join(shown[:-1]) + " and " + shown[-1]
    return "patterns " + ", ".join(shown[:3]) + f" and {len(shown) - 3} more"
