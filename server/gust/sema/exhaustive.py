"""`match` exhaustiveness and unreachable arms: the usefulness algorithm of Maranget's
"Warnings for pattern matching", as rustc uses it.

Patterns are first deconstructed into constructors applied to sub-patterns, with the type
of each column known, so that "all constructors of this type" can be enumerated (enum
variants, `true`/`false`, the single constructor of tuples, structs and references).
Integers, floats, chars and strings have too many values to enumerate: only a wildcard
covers them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from gust.sema import types as t
from gust.sema.items import ItemEnv


@dataclass(frozen=True, slots=True)
class Ctor:
    """kind: "variant" (name = variant), "bool" (value), "tuple", "struct", "ref", "lit"."""

    kind: str
    name: str = ""
    value: object = None
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


WILD = DPat(None)


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
                return [(some, [inner], DPat(some, shape="tuple")),
                        (none, [], DPat(none, shape="unit"))]
            case t.Adt("Ordering", ()):
                return [(c, [], DPat(c, type_name="std::cmp::Ordering", shape="unit"))
                        for c in (Ctor("variant", v) for v in ("Less", "Equal", "Greater"))]
            case t.Adt(name, args) if name in self.env.structs:
                info_s = self.env.structs[name]
                subst = dict(zip(info_s.generics, args, strict=False))
                c = Ctor("struct", name, arity=len(info_s.fields))
                return [(c, [t.substitute(f.ty, subst) for f in info_s.fields],
                         DPat(c, type_name=name, shape=info_s.kind,
                              field_names=tuple(f.name or "" for f in info_s.fields)))]
        return None

    def field_types(self, ty: t.Ty, ctor: Ctor) -> list[t.Ty]:
        for c, tys, _ in self.all_ctors(ty) or []:
            if c == ctor:
                return tys
        return [t.ERROR] * ctor.arity


Row = tuple[DPat, ...]


def _specialize(row: Row, ctor: Ctor) -> Row | None:
    head = row[0]
    if head.ctor is None:
        return (WILD,) * ctor.arity + row[1:]
    if head.ctor == ctor:
        return head.fields + row[1:]
    return None


def useful(space: Space, rows: list[Row], q: Row, tys: list[t.Ty]) -> list[Row]:
    """Witnesses: value vectors matched by `q` but by no row of `rows` (empty if none)."""
    if not q:
        return [()] if not rows else []
    head = q[0]
    ty = tys[0]
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
        # Every constructor appears: split on each.
        for c, ftys, _ in ctors:
            spec_rows = [r for r in (_specialize(r, c) for r in rows) if r is not None]
            ws = useful(space, spec_rows, (WILD,) * c.arity + q[1:], ftys + tys[1:])
            if ws:
                return [_rebuild(space, ty, c, ws[0])]
        return []
    # Some constructors are missing: the default matrix (rows starting with a wildcard).
    default = [r[1:] for r in rows if r[0].ctor is None]
    ws = useful(space, default, q[1:], tys[1:])
    if not ws:
        return []
    if ctors is None:
        return [(WILD, *ws[0])]
    missing = [tpl for c, _, tpl in ctors if c not in used]
    if not used:
        return [(WILD, *ws[0])]
    return [(_template(m), *ws[0]) for m in missing]


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
    name = c.name
    if c.kind == "variant" and p.type_name:
        name = f"{p.type_name}::{c.name}"
    if p.shape == "tuple":
        return name + "(" + ", ".join(show(f) for f in p.fields) + ")"
    if p.shape == "named":
        if all(f.ctor is None for f in p.fields):
            return name + " { .. }"
        inner = ", ".join(f"{n}: {show(f)}" for n, f in zip(p.field_names, p.fields,
                                                          strict=False))
        return name + " { " + inner + " }"
    return name


def describe_witnesses(witnesses: list[DPat]) -> str:
    shown = [f"`{show(w)}`" for w in witnesses]
    if len(shown) == 1:
        return f"pattern {shown[0]}"
    if len(shown) <= 3:
        return "patterns " + ", ".join(shown[:-1]) + " and " + shown[-1]
    return "patterns " + ", ".join(shown[:3]) + f" and {len(shown) - 3} more"
