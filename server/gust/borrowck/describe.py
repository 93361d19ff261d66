"""How places and types are named in borrow-check messages, as rustc names them.

`(*r).f` reads `r.f` (an auto-deref is not shown), a final deref shows (`*r`), builtin
indexing shows `a[_]`, and a place inside an enum variant has no name ("value").
"""

from __future__ import annotations

from gust.borrowck.mir import Body, Place
from gust.sema import types as t


def describe(body: Body, place: Place, variants: bool = False) -> str | None:
    """The source-like name of `place`, or None when it has none (temporaries, places in
    enum variants unless `variants`, where the variant is not shown)."""
    local = body.locals[place.local]
    if local.name is None:
        return None
    text = local.name
    proj = place.proj
    if local.upvar_ref and proj and proj[0].kind == "deref":
        proj = proj[1:]  # a variable captured by reference is named as itself
    for i, p in enumerate(proj):
        if p.kind == "deref":
            following = proj[i + 1] if i + 1 < len(proj) else None
            if following is None or following.kind not in ("field", "variant", "elem",
                                                            "subslice"):
                text = "*" + text
        elif p.kind == "field":
            text = f"{text}.{p.name}"
        elif p.kind == "index":
            text = f"{text}[_]"
        elif p.kind in ("elem", "subslice"):
            text = f"{text}[..]"
        elif not variants:
            return None
    return text


def quoted(body: Body, place: Place, fallback: str = "value") -> str:
    name = describe(body, place)
    return f"`{name}`" if name is not None else fallback


def default_value(ty: t.Ty) -> str | None:
    """What rustc suggests assigning to an uninitialised binding of type `ty`."""
    match ty:
        case t.Bool():
            return "false"
        case t.Char():
            return "'x'"
        case t.Int():
            return "42"
        case t.Float():
            return "3.14"
        case t.Adt("String"):
            return "String::new()"
        case t.Adt("Vec"):
            return "vec![]"
        case t.Adt("Option"):
            return "None"
        case t.Ref(t.Str(), False):
            return '""'
        case t.Tuple(elems):
            parts = [default_value(e) for e in elems]
            if all(p is not None for p in parts):
                inner = ", ".join(p for p in parts if p is not None)
                return f"({inner},)" if len(parts) == 1 else f"({inner})"
    return None
