"""Named lifetimes of a function's returned references, checked against its parameters.

`fn pick<'a>(a: &'a str, b: &str) -> &'a str { b }`: the returned reference must live for
`'a`, and `b`'s lifetime is the caller's to choose, so rustc rejects it (E0621 "explicit
lifetime required in the type of `b`"). The lowered body already says where each
parameter's references flow (its outlives constraints, `sup ⊇ sub`): a parameter region
that must outlive a return region named `'a` is an error unless it is `'a` too (or
`'static`). Only references written in the signature at the top of a parameter's or the
return type are named here (`&'a T`, `&'a &'b T`); a struct's lifetime parameters
(`Tok<'a>`) are not, and `self` is left out.
"""

from __future__ import annotations

from gust import diagnostics as d
from gust.borrowck.build import Builder
from gust.borrowck.mir import RTy
from gust.sema.results import LocalRes
from gust.syntax import ast
from gust.syntax.walk import walk
from gust.text import Span


def named_return_errors(builder: Builder) -> list[d.Diagnostic]:
    body = builder.body
    fn = builder.r.fn
    if fn.ret is None or fn.body is None or not body.locals:
        return []
    named = {r: n for r, n in _labels(fn.ret, body.locals[0].rty) if n is not None}
    if not named:
        return []
    adj: dict[int, list[int]] = {}
    for sup, sub in body.outlives:
        adj.setdefault(sup, []).append(sub)
    diags: list[d.Diagnostic] = []
    for param in fn.params:
        if not isinstance(param.pat, ast.IdentPat):
            continue
        uid = builder.r.bindings.get(param.pat)
        m = body.user_to_mir.get(uid) if uid is not None else None
        if uid is None or m is None:
            continue
        for region, label in _labels(param.ty, body.locals[m].rty):
            if label == "static":
                continue
            reached = _reachable(adj, region)
            wanted = next((n for r, n in named.items() if r in reached and n != label), None)
            if wanted is None:
                continue
            if label is None:
                diags.append(d.error(
                    "E0621", f"explicit lifetime required in the type of `{param.pat.name}`",
                    _flow_span(builder, fn, uid, param.span), f"lifetime `'{wanted}` required"))
            else:
                diags.append(d.error(
                    None, "lifetime may not live long enough",
                    _flow_span(builder, fn, uid, param.span),
                    f"function was supposed to return data with lifetime `'{wanted}` but it "
                    f"is returning data with lifetime `'{label}`"))
            break
    return diags


def _labels(ty: ast.TypeExpr, rty: RTy) -> list[tuple[int, str | None]]:
    """The regions of the references written at the top of `ty` (through `&`s), each with
    its lifetime's name (None when elided)."""
    out: list[tuple[int, str | None]] = []
    while isinstance(ty, ast.RefType) and rty.kind == "ref" and rty.region >= 0:
        out.append((rty.region, ty.lifetime))
        ty = ty.inner
        rty = rty.args[0] if rty.args else rty
    return out


def _reachable(adj: dict[int, list[int]], start: int) -> set[int]:
    seen = {start}
    stack = [start]
    while stack:
        for nxt in adj.get(stack.pop(), ()):
            if nxt not in seen:
                seen.add(nxt)
                stack.append(nxt)
    return seen


def _flow_span(builder: Builder, fn: ast.FnDecl, uid: int, fallback: Span) -> Span:
    """Where the parameter's reference leaves: its last use in the body (rustc points at
    the expression that is returned)."""
    last: Span | None = None
    assert fn.body is not None
    for node in walk(fn.body):
        if isinstance(node, ast.PathExpr):
            res = builder.r.paths.get(node)
            if isinstance(res, LocalRes) and res.local == uid and \
                    (last is None or node.span.start > last.start):
                last = node.span
    return last if last is not None else fallback
