"""Closure expressions in the body that writes them: their captures, as rustc's upvars.

A closure value is the aggregate of its captures, taken where the closure is written: moved
(or copied) for `move` captures, borrowed otherwise. Its region-annotated type is an "adt"
named `{closure#ID}` whose arguments are the captures' types (`&T` / `&mut T` for borrowed
ones), so a borrow a closure captures lives as long as the closure value is live (NLL
liveness), and flows wherever the closure goes (a `Vec`, a `Box<dyn Fn()>`, the return
place). The closure's body is checked on its own (gust.borrowck.closure_body).

A borrowed capture that must outlive the function (a closure returned from it, or given to
`thread::spawn`) is rustc's E0373, with the "add `move`" fix.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

from gust import diagnostics as d
from gust.borrowck.mir import LEAF, Operand, Place, RTy, Rvalue
from gust.frozen import dataclass
from gust.sema import types as t
from gust.sema.results import ClosureInfo, FieldPath
from gust.syntax import ast
from gust.text import Span

if TYPE_CHECKING:
    from gust.borrowck.build import Builder


def head_span(e: ast.Closure) -> Span:
    """`move |x: i32|` / `||`: where rustc points at a closure."""
    return Span(e.span.start, e.head_span.end) if e.head_span is not None else e.span


_MODES: Final = ("ref", "mut", "move")


@dataclass(frozen=True, slots=True)
class Captured:
    """One place a closure captures (rustc's upvar): a variable or, as in Rust 2021, a
    path of fields of it (`fields`, innermost first), by `mode` ("ref", "mut", "move")."""

    local: int
    fields: FieldPath
    mode: str
    span: Span | None
    ty: t.Ty
    deref: bool = False  # the capture is of `*place` (through a `&mut` reference)


def captured_places(builder: Builder, closure_id: int, info: ClosureInfo) -> list[Captured]:
    """The places a closure captures, in a fixed order (its value's fields)."""
    cached = builder.captured.get(closure_id)
    if cached is not None:
        return cached
    out: list[Captured] = []
    for cap in info.captures:
        found: dict[tuple[int, ...], tuple[FieldPath, str]] = {}
        for fields, mode in cap.paths or (((), cap.mode),):
            kept = _truncate(builder, fields, mode)
            key = tuple(builder.r.fields[f].index for f in kept)
            old = found.get(key)
            if old is None or _MODES.index(mode) > _MODES.index(old[1]):
                found[key] = (kept, mode)
        # A captured ancestor takes its descendants' uses (in the strongest mode).
        merged: dict[tuple[int, ...], tuple[FieldPath, str]] = {}
        for key in sorted(found, key=len):
            fields, mode = found[key]
            ancestor = next((a for a in merged if key[:len(a)] == a), None)
            if ancestor is None:
                merged[key] = (fields, mode)
            elif _MODES.index(mode) > _MODES.index(merged[ancestor][1]):
                merged[ancestor] = (merged[ancestor][0], mode)
        for fields, mode in merged.values():
            ty = builder.ty(fields[-1]) if fields else builder.r.locals[cap.local].ty
            # Mutating through a captured `&mut` reference captures the place behind it
            # (rustc's unique borrow): the reference itself need not be `mut`.
            deref = mode == "mut" and isinstance(ty, t.Ref) and ty.mutable
            out.append(Captured(cap.local, fields, mode, cap.span,
                                ty.inner if isinstance(ty, t.Ref) and deref else ty, deref))
    builder.captured[closure_id] = out
    return out


def _truncate(builder: Builder, fields: FieldPath, mode: str) -> FieldPath:
    """The part of a field path a closure captures: a by-value capture stops at the first
    deref (it takes the reference itself), a by-reference one goes through references only
    (not through a `Box` or a `String`)."""
    kept: list[ast.Field | ast.TupleField] = []
    for f in fields:
        fr = builder.r.fields.get(f)
        if fr is None:
            break
        if fr.derefs:
            if mode == "move":
                break
            ty = builder.ty(f.base)
            through_refs = True
            for _ in range(fr.derefs):
                if not isinstance(ty, t.Ref):
                    through_refs = False
                    break
                ty = ty.inner
            if not through_refs:
                break
        kept.append(f)
    return tuple(kept)


def closure_rty(builder: Builder, ty: t.Closure, owner: int) -> RTy:
    """The region-annotated type of a closure value owned by local `owner`: one argument
    per captured place."""
    found = builder.closure_by_id().get(ty.id)
    if found is None:
        return LEAF
    args: list[RTy] = []
    for cap in captured_places(builder, ty.id, found[1]):
        inner = builder.annotate(cap.ty, owner) if builder.has_regions(cap.ty) else LEAF
        if cap.mode == "move":
            args.append(inner)
        else:
            args.append(RTy("ref", builder.body.new_region(owner), cap.mode == "mut", (inner,)))
    if all(a.kind == "leaf" for a in args):
        return LEAF
    return RTy("adt", -1, False, tuple(args), f"{{closure#{ty.id}}}")


def capture_place(builder: Builder, local: int) -> Place:
    """The place of a captured variable in the body being lowered (an upvar's place inside
    a closure body)."""
    sub = builder.guard_subst.get(local)
    return sub if sub is not None else Place(builder.mir_local(local))


def moved_capture(builder: Builder, callee: ast.Expr) -> str:
    """The variable an `FnOnce` closure's body moves out of its environment, if known."""
    ty = builder.ty(callee)
    if not isinstance(ty, t.Closure):
        return ""
    found = builder.closure_by_id().get(ty.id)
    if found is None or found[1].moved is None:
        return ""
    return builder.r.locals[found[1].moved[0]].name


def lower_closure(builder: Builder, dest: Place, e: ast.Closure) -> None:
    info = builder.r.closures.get(e)
    if info is None:
        builder.assign(dest, Rvalue("const"), e.span)
        return
    head = head_span(e)
    ops: list[Operand] = []
    static = e in builder.r.static_closures
    for cap in captured_places(builder, e.span.start, info):
        place = capture_place(builder, cap.local)
        for f in cap.fields:
            fr = builder.r.fields[f]
            place, _ = builder.autoderef_place(place, builder.ty(f.base), fr.derefs)
            name = f.name if isinstance(f, ast.Field) else str(f.index)
            place = place.field(fr.index, name)
        if cap.deref:
            place = place.deref()
        if cap.mode == "move" or (e in builder.scoped_closures and _reborrowed(cap)):
            ops.append(builder.operand_of_place(place, head, "closure", cap.span))
            if static:
                # What the thread owns must be `'static`: a reference it holds (`r = &v`)
                # keeps `v` borrowed for the rest of the function (rustc's E0597, and
                # E0502/E0499 for a later use of `v`).
                outlives(builder, builder.operand_rty(ops[-1]), e.span, "'static")
            continue
        tmp, loan = builder.borrow_temp(place, cap.mode == "mut", head, "closure")
        builder.body.loans[loan].capture_use = cap.span
        builder.body.loans[loan].closure_start = e.span.start
        ops.append(Operand("move" if cap.mode == "mut" else "copy", Place(tmp), head))
        if static:
            outlives_function(builder, e, info, cap.local, tmp)
    builder.assign(dest, Rvalue("agg", tuple(ops)), e.span)
    drty = builder.place_rty(dest)
    if drty.kind == "adt" and len(drty.args) == len(ops):
        for op, arg in zip(ops, drty.args, strict=True):
            builder.relate(builder.operand_rty(op), arg)
    elif drty.kind != "leaf":
        for op in ops:
            builder.relate(builder.operand_rty(op), drty)


def outlives_function(builder: Builder, e: ast.Closure, info: ClosureInfo, local: int,
                      tmp: int) -> None:
    """A borrowed capture of a closure that must be `'static` (a spawned thread's):
    E0373, and the borrow lasts for the rest of the function."""
    head = head_span(e)
    if not any(diag.code == "E0373" and diag.span == head for diag in builder.diags):
        cap = next((c for c in info.captures if c.local == local), None)
        name = builder.r.locals[local].name
        builder.diags.append(may_outlive(name, head, e.span.start,
                                         cap.span if cap is not None else None, False))
    region = builder.body.locals[tmp].rty.region
    forever = builder.body.new_region(-1)
    builder.body.universal.add(forever)
    builder.body.spawned.add(forever)
    builder.edge(region, forever)


def _reborrowed(cap: Captured) -> bool:
    """A shared reference variable captured by reference, for what is behind it: Rust 2021
    captures `*r` (a reborrow as long as `r`'s own), so a scoped thread may use a slice
    bound inside the scope (`let (left, right) = v.split_at(2)`) after `r` goes out of
    scope. Its value, a copy of `r`, carries the same loans."""
    return cap.mode == "ref" and not cap.fields and isinstance(cap.ty, t.Ref) and \
        not cap.ty.mutable


def outlives(builder: Builder, rty: RTy, span: Span, bound: str) -> None:
    """The regions of `rty` (the value of a thread's closure, at `span`) must outlive
    `bound` (`'static`, or `'scope`: the rest of the body that holds the scope, which is
    all of it for `thread::scope`'s closure): their loans stay live to its end."""
    regions = rty.regions()
    if not regions:
        return
    body = builder.body
    site = body.new_region(-1)
    body.universal.add(site)
    body.thread_sites[site] = (span, bound)
    for r in regions:
        builder.edge(r, site)


def static_dyn(ty: t.Ty) -> bool:
    """Whether `ty` holds a `dyn Fn` that is not behind a reference: in a signature or a
    struct field its object lifetime defaults to `'static` (`Box<dyn Fn()>` means
    `Box<dyn Fn() + 'static>`), so a closure stored there may not borrow locals."""
    match ty:
        case t.Dyn(call=call):
            return call is not None
        case t.Adt(_, args):
            return any(static_dyn(a) for a in args)
        case t.Tuple(elems):
            return any(static_dyn(e) for e in elems)
        case t.Array(elem, _) | t.Slice(elem):
            return static_dyn(elem)
    return False


def require_static(builder: Builder, rty: RTy, span: Span, ty: t.Ty) -> None:
    """The regions of `rty` must outlive the function: a value (at `span`) coerced to the
    `'static` trait object in `ty`."""
    regions = rty.regions()
    if not regions:
        return
    body = builder.body
    site = body.new_region(-1)
    body.universal.add(site)
    body.static_sites[site] = (span, _with_static(ty))
    for r in regions:
        builder.edge(r, site)


def _with_static(ty: t.Ty) -> tuple[str, str]:
    """How rustc spells a type with a `dyn Fn`, without and with its `'static` bound."""
    match ty:
        case t.Dyn(traits=traits, call=call) if call is not None:
            kind = next((k for k in traits if k in t.CLOSURE_KINDS), "Fn")
            params = ", ".join(str(x) for x in call.params)
            text = f"dyn {kind}({params})" + ("" if call.ret == t.UNIT else f" -> {call.ret}")
            return text, f"({text} + 'static)"
        case t.Adt(name, args) if args:
            parts = [_with_static(a) for a in args]
            return (f"{name}<{', '.join(a for a, _ in parts)}>",
                    f"{name}<{', '.join(b for _, b in parts)}>")
    return str(ty), str(ty)


def struct_fields_static(builder: Builder, e: ast.StructLit, ops: list[Operand]) -> None:
    """Struct fields declared `Box<dyn Fn..>` take only closures that borrow nothing."""
    ty = builder.ty(e)
    info = builder.env.structs.get(ty.name) if isinstance(ty, t.Adt) else None
    if info is None:
        return
    declared = {f.name: f.ty for f in info.fields}
    for f, op in zip(e.fields, ops, strict=False):
        fty = declared.get(f.name)
        if fty is not None and static_dyn(fty):
            require_static(builder, builder.operand_rty(op), op.span, fty)


def may_outlive(name: str, head: Span, closure_start: int, use: Span | None,
                returned: bool) -> d.Diagnostic:
    """E0373 for a closure that borrows `name` but may outlive the function."""
    labels: list[d.Label] = []
    if use is not None:
        labels.append(d.Label(use, f"`{name}` is borrowed here"))
    # rustc's spanned note "closure is returned here" (a label would overlap the closure).
    notes = ("closure is returned here",) if returned else ()
    text = (f"to force the closure to take ownership of `{name}` (and any other referenced "
            "variables), use the `move` keyword")
    fix = d.Fix(text, (d.Edit(Span(closure_start, closure_start), "move "),))
    return d.error(
        "E0373", f"closure may outlive the current function, but it borrows `{name}`, which "
        "is owned by the current function", head, f"may outlive borrowed value `{name}`",
        labels=tuple(labels), notes=notes, help=(text,), fixes=(fix,))
