"""Hover: what is under the cursor, as plain data (the LSP layer renders it)."""

from __future__ import annotations

from dataclasses import dataclass, replace

from gust.ide.analysis import FileAnalysis
from gust.ide.go_symbols import go_symbol
from gust.sema import types as t
from gust.sema.items import FnSig
from gust.sema.results import BodyResults, FnRes, LocalRes
from gust.syntax import ast
from gust.syntax.split import docs_before
from gust.text import Span


@dataclass(frozen=True, slots=True)
class Hover:
    span: Span  # file offsets of the hovered name
    # A Gust snippet describing it, e.g. `let v: Vec<i32>` or `fn push(&mut self, T)`.
    signature: str
    # The item's `///` doc comments (Markdown), if it has any.
    docs: str | None = None
    # The language `signature` is written in: "gust", or "go" for a symbol of a Go package.
    language: str = "gust"


def hover(analysis: FileAnalysis, offset: int) -> Hover | None:
    item = analysis.item_at(offset)
    if item is None or item.node.item is None:
        return None
    rel = offset - item.offset
    for body in item.bodies:
        found = _in_body(analysis, body, rel)
        if isinstance(found, Hover):
            return replace(found, span=found.span.shifted(item.offset))
        if found is not None:
            span, text, decl = found
            return Hover(span.shifted(item.offset), text, _docs_of(analysis, decl))
    found = _in_signatures(analysis, item.node.item, rel)
    if found is not None:
        span, text, decl = found
        return Hover(span.shifted(item.offset), text, _docs_of(analysis, decl))
    return None


def _docs_of(analysis: FileAnalysis, decl: ast.Item | None) -> str | None:
    """The doc comments of a declaration, from the text of the item that holds it."""
    if decl is None:
        return None
    for item in analysis.items:
        node = item.node.item
        if node is decl or (isinstance(node, ast.ImplDecl) and decl in node.members):
            return docs_before(item.node.parsed.text, decl.span.start)
    return None


Found = tuple[Span, str, ast.Item | None]  # span, signature, the declaration (for docs)


def _in_body(analysis: FileAnalysis, body: BodyResults, rel: int) -> Found | Hover | None:
    """What the name at `rel` in `body` is: a Gust declaration (with the item that has its
    docs), or a ready Hover for a symbol of a Go package."""
    if body.fn.body is None or not body.fn.span.contains(rel):
        return None
    for local in body.locals:
        if local.span.contains(rel):
            return local.span, _local_text(local.name, local.ty, local.mutable), None
    best: Found | None = None
    for expr, ty in body.expr_types.items():
        span = name_span_of(expr)
        if span is None or not span.contains(rel):
            continue
        go = go_symbol(analysis.env, body, expr)
        if go is not None:
            source, docs = go
            return Hover(span, source, _go_docs(docs, ty, expr), "go")
        text = _expr_text(analysis, body, expr, ty)
        if text is not None and (best is None or span.end - span.start <
                                 best[0].end - best[0].start):
            best = (span, text, _declaration(analysis, body, expr))
    return best


def _go_docs(doc: str, ty: t.Ty, expr: ast.Expr) -> str:
    """The Go doc comment, then how Gust sees the symbol (its Gust type)."""
    seen_as = f"In Gust: `{ty}`" if not isinstance(expr, ast.MethodCall) else \
        f"In Gust this call gives `{ty}`"
    return f"{doc.strip()}\n\n{seen_as}" if doc.strip() else seen_as


def _declaration(analysis: FileAnalysis, body: BodyResults, expr: ast.Expr) -> ast.Item | None:
    """The item a name in a body refers to: a function, a method, a struct."""
    env = analysis.env
    if isinstance(expr, ast.PathExpr):
        res = body.paths.get(expr)
        if isinstance(res, FnRes) and res.name in env.fns:
            return env.fns[res.name].decl
    if isinstance(expr, ast.MethodCall):
        m = body.methods.get(expr)
        if m is not None and not m.builtin:
            sig = env.methods.get(m.owner, {}).get(m.name)
            return sig.decl if sig is not None else None
    return None


def name_span_of(expr: ast.Expr) -> Span | None:
    """The span of the name an expression is named by (a path's last segment, a method
    or field name), for hover and definition."""
    match expr:
        case ast.PathExpr():
            return expr.path.last.span
        case ast.MethodCall(name_span=span) | ast.Field(name_span=span):
            return span
        case ast.TupleField(index_span=span) | ast.Literal(span=span):
            return span
    return None


def _expr_text(analysis: FileAnalysis, body: BodyResults, expr: ast.Expr, ty: t.Ty
               ) -> str | None:
    match expr:
        case ast.PathExpr():
            res = body.paths.get(expr)
            if isinstance(res, LocalRes):
                local = body.locals[res.local]
                return _local_text(local.name, local.ty, local.mutable)
            if isinstance(res, FnRes) and res.name in analysis.env.fns:
                return _fn_text(analysis.env.fns[res.name])
            return f"{expr.path.last.name}: {ty}"
        case ast.MethodCall():
            m = body.methods.get(expr)
            if m is not None and not m.builtin:
                sig = analysis.env.methods.get(m.owner, {}).get(m.name)
                if sig is not None:
                    return _fn_text(sig)
            owner = m.owner if m is not None else "?"
            return f"{owner}::{expr.name}(..) -> {ty}"
        case ast.Field():
            return f"{expr.name}: {ty}"
        case ast.TupleField():
            return f"{expr.index}: {ty}"
        case ast.Literal():
            # As rust-analyzer: a literal's (inferred) type, `i64` for the `3` in
            # `let x: i64 = 3`.
            return str(ty)
    return None


def _local_text(name: str, ty: t.Ty, mutable: bool) -> str:
    return f"let {'mut ' if mutable else ''}{name}: {ty}"


def _fn_text(sig: FnSig) -> str:
    params = [f"{_param_name(p)}: {ty}" for p, ty in zip(sig.decl.params, sig.params,
                                                        strict=False)]
    if sig.self_kind is not None:
        params.insert(0, {"ref": "&self", "ref_mut": "&mut self", "value": "self"}
                      [sig.self_kind])
    ret = "" if sig.ret == t.UNIT else f" -> {sig.ret}"
    owner = f"{sig.owner}::" if sig.owner else ""
    return f"fn {owner}{sig.name}({', '.join(params)}){ret}"


def _param_name(p: ast.Param) -> str:
    return p.pat.name if isinstance(p.pat, ast.IdentPat) else "_"


def _in_signatures(analysis: FileAnalysis, item: ast.Item, rel: int) -> Found | None:
    env = analysis.env
    if isinstance(item, ast.FnDecl) and item.name_span.contains(rel) and item.name in env.fns:
        return item.name_span, _fn_text(env.fns[item.name]), item
    if isinstance(item, ast.ImplDecl) and isinstance(item.self_ty, ast.TypePath):
        owner = item.self_ty.path.last.name
        for m in item.members:
            if isinstance(m, ast.FnDecl) and m.name_span.contains(rel):
                sig = env.methods.get(owner, {}).get(m.name)
                if sig is not None:
                    return m.name_span, _fn_text(sig), m
    if isinstance(item, ast.StructDecl) and item.name_span.contains(rel):
        return item.name_span, f"struct {item.name}", item
    if isinstance(item, ast.EnumDecl) and item.name_span.contains(rel):
        return item.name_span, f"enum {item.name}", item
    return None
