"""Hover: what is under the cursor, as plain data (the LSP layer renders it)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from gust.frozen import dataclass
from gust.ide.analysis import FileAnalysis
from gust.ide.borrow_insight import variable_notes
from gust.ide.go_symbols import go_symbol, go_type_named
from gust.sema import types as t
from gust.sema.items import Bound, FnSig
from gust.sema.results import AssocFnRes, BodyResults, FnRes, LocalRes, MethodRes
from gust.syntax import ast
from gust.syntax.split import docs_before
from gust.syntax.walk import walk
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
    # For a variable: where it is moved and borrowed, and until where each borrow lives
    # (gust.ide.borrow_insight), one line each.
    notes: tuple[str, ...] = ()


def hover(analysis: FileAnalysis, offset: int) -> Hover | None:
    item = analysis.item_at(offset)
    if item is None or item.node.item is None:
        return None
    rel = offset - item.offset
    for body in bodies_at(item.bodies, rel):
        found = _in_body(analysis, body, rel)
        if isinstance(found, Hover):
            return replace(found, span=found.span.shifted(item.offset))
        if found is not None:
            span, text, decl = found
            notes = variable_notes(analysis, offset) if text.startswith("let ") else ()
            return Hover(span.shifted(item.offset), text, _docs_of(analysis, decl),
                         notes=notes)
    found = _in_signatures(analysis, item.node.item, rel)
    if found is None:
        named = _type_named(analysis, item.node.item, rel)
        if isinstance(named, Hover):
            return replace(named, span=named.span.shifted(item.offset))
        found = named
    if found is not None:
        span, text, decl = found
        return Hover(span.shifted(item.offset), text, _docs_of(analysis, decl))
    return None


def _type_named(analysis: FileAnalysis, item: ast.Item, rel: int) -> Found | Hover | None:
    """The struct, enum, trait or Go type a type path names (`p: Point`, `-> http::Client`,
    `let d: time::Duration`) or a struct literal builds (`Point { .. }`,
    `http::Client { .. }`)."""
    env = analysis.env
    paths = [node.path for node in walk(item) if isinstance(node, (ast.TypePath, ast.StructLit))
             and node.path.last.span.contains(rel)]
    if paths:  # the innermost: `P` in `Vec<P>`, whose segment `Vec<P>` holds it
        path = min(paths, key=lambda p: p.last.span.end - p.last.span.start)
        last = path.last
        names = path.names
        go = go_type_named(env, names)
        if go is not None:
            source, docs = go
            return Hover(last.span, source, docs or None, "go")
        if len(names) != 1:
            return None
        info = env.structs.get(last.name) or env.enums.get(last.name)
        if info is not None:
            kind = "struct" if last.name in env.structs else "enum"
            written = [g for g in info.generics if g not in
                       {h.name for h in env.adt_hidden.get(last.name, ())}]
            params = f"<{', '.join(written)}>" if written else ""
            return last.span, f"{kind} {last.name}{params}", info.decl
        trait = env.traits.get(last.name)
        if trait is not None:
            return last.span, f"trait {last.name}", trait.decl
    return None


def bodies_at(bodies: Sequence[BodyResults], rel: int) -> list[BodyResults]:
    """The bodies of an item (its nested `fn`s' too) whose function holds `rel`, innermost
    first: a nested `fn`, or a method of an `impl` inside a function, before the function
    around it (whose results do not cover theirs)."""
    found: list[BodyResults] = []
    stack = list(bodies)
    while stack:
        body = stack.pop()
        if body.fn.span.contains(rel):
            found.append(body)
        stack.extend(body.nested)
    return sorted(found, key=lambda b: b.fn.span.end - b.fn.span.start)


def _docs_of(analysis: FileAnalysis, decl: ast.Item | None) -> str | None:
    """The doc comments of a declaration, from the text of the item that holds it."""
    if decl is None:
        return None
    for item in analysis.items:
        node = item.node.item
        if node is decl or (isinstance(node, (ast.ImplDecl, ast.TraitDecl))
                            and decl in node.members):
            return docs_before(item.node.parsed.text, decl.span.start)
    return None


Found = tuple[Span, str, ast.Item | None]  # span, signature, the declaration (for docs)


def _in_body(analysis: FileAnalysis, body: BodyResults, rel: int) -> Found | Hover | None:
    """What the name at `rel` in `body` is: a Gust declaration (with the item that has its
    docs), or a ready Hover for a symbol of a Go package."""
    if body.fn.body is None or not body.fn.span.contains(rel):
        return None
    if body.fn.name_span.contains(rel) and body.item is None:
        # A function declared in a body (a nested `fn`, a method of an `impl` there).
        impl = analysis.env.impl_of.get(body.fn)
        sig = impl.methods.get(body.fn.name) if impl is not None else None
        if sig is not None:
            return body.fn.name_span, _fn_text(sig), body.fn
        return body.fn.name_span, _nested_fn_text(body), body.fn
    for path, closure in body.method_values.items():
        if path.span.contains(rel):
            return _method_value(analysis, body, path, closure, rel)
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
    return best or _type_in_path(analysis, body, rel)


def _method_value(analysis: FileAnalysis, body: BodyResults, path: ast.PathExpr,
                  closure: ast.Closure, rel: int) -> Found | None:
    """`String::len` in `.map(String::len)`, `Point::norm`: the checker stands a closure
    `|value, ..| value.len(..)` for the path (`BodyResults.method_values`); its method's
    signature, as rust-analyzer shows a function item's, and not the closure's parameters.
    The type in front is the type's hover."""
    last = path.path.last.span
    if not last.contains(rel):
        return _type_in_path(analysis, body, rel)
    call = closure.body
    m = body.methods.get(call) if isinstance(call, ast.MethodCall) else None
    if m is None:
        return None
    assert isinstance(call, ast.MethodCall)
    if not m.builtin:
        sig = _method_sig(analysis, m)
        return (last, _fn_text(sig), sig.decl) if sig is not None else None
    ty = body.expr_types.get(closure)
    if not isinstance(ty, t.Closure) or not ty.params:
        return None
    recv, *params = ty.params
    self_text = ("&mut self" if recv.mutable else "&self") if isinstance(recv, t.Ref) \
        else "self"
    # The type as the path names it (`String::len` is found on `str`, `i32::abs` on every
    # integer type).
    owner = path.path.segments[0].name
    ret = "" if ty.ret == t.UNIT else f" -> {ty.ret}"
    return last, f"fn {owner}::{call.name}({', '.join([self_text, *map(str, params)])}){ret}", \
        None


def _type_in_path(analysis: FileAnalysis, body: BodyResults, rel: int) -> Found | None:
    """`Stack` in `Stack::new()`, `Backend` in `Backend::Cpu(16)`: the struct or enum a
    path goes through."""
    env = analysis.env
    for expr in body.expr_types:
        if not isinstance(expr, ast.PathExpr):
            continue
        for seg in expr.path.segments[:-1]:
            if not seg.span.contains(rel):
                continue
            info = env.structs.get(seg.name) or env.enums.get(seg.name)
            if info is None:
                return None
            kind = "struct" if seg.name in env.structs else "enum"
            written = [g for g in info.generics if g not in
                       {h.name for h in env.adt_hidden.get(seg.name, ())}]
            params = f"<{', '.join(written)}>" if written else ""
            return seg.span, f"{kind} {seg.name}{params}", info.decl
    return None


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
        if isinstance(res, FnRes) and res.name in env.fns and res.nested_at < 0:
            return env.fns[res.name].decl
        if isinstance(res, AssocFnRes) and not res.builtin:
            sig = env.methods.get(res.owner, {}).get(res.name)
            return sig.decl if sig is not None else None
    if isinstance(expr, ast.MethodCall):
        m = body.methods.get(expr)
        if m is not None and not m.builtin:
            sig = _method_sig(analysis, m)
            return sig.decl if sig is not None else None
    return None


def _method_sig(analysis: FileAnalysis, m: MethodRes) -> FnSig | None:
    """The declaration a resolved method call calls: an inherent method, the impl's
    method of a trait, or the trait's own (default or required) method."""
    env = analysis.env
    if m.trait is not None and m.trait in env.traits:
        for impl in env.impls:
            sig = impl.methods.get(m.name) if impl.trait == m.trait else None
            if sig is not None and sig.owner == m.owner:
                return sig
        return env.traits[m.trait].methods.get(m.name)
    return env.methods.get(m.owner, {}).get(m.name)


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
    # Types as written: `Cursor<Shelf>`, without its hidden parameters' `String`.
    hidden = {k: len(h) for k, h in analysis.env.adt_hidden.items()}
    ty = t.without_hidden(ty, hidden)
    match expr:
        case ast.PathExpr():
            res = body.paths.get(expr)
            if isinstance(res, LocalRes):
                local = body.locals[res.local]
                return _local_text(local.name, t.without_hidden(local.ty, hidden),
                                   local.mutable)
            if isinstance(res, FnRes) and res.name in analysis.env.fns and res.nested_at < 0:
                return _fn_text(analysis.env.fns[res.name])
            if isinstance(res, FnRes):  # a nested `fn` of this body
                inner = next((b for b in body.nested
                              if b.fn.name_span.start == res.nested_at), None)
                if inner is not None:
                    return _nested_fn_text(inner)
            if isinstance(res, AssocFnRes):
                return _assoc_fn_text(analysis, res, expr, ty)
            return f"{expr.path.last.name}: {ty}"
        case ast.MethodCall():
            m = body.methods.get(expr)
            if m is not None and not m.builtin:
                sig = _method_sig(analysis, m)
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


def _assoc_fn_text(analysis: FileAnalysis, res: AssocFnRes, expr: ast.PathExpr, ty: t.Ty
                   ) -> str:
    """`Point::origin`, `String::from`: the function's signature (a std one's from its
    type: its parameters have no names)."""
    sig = None if res.builtin else analysis.env.methods.get(res.owner, {}).get(res.name)
    if sig is not None:
        return _fn_text(sig)
    if isinstance(ty, t.FnPtr):
        owner = expr.path.segments[-2].name if len(expr.path.segments) > 1 else res.owner
        ret = "" if ty.ret == t.UNIT else f" -> {ty.ret}"
        return f"fn {owner}::{res.name}({', '.join(map(str, ty.params))}){ret}"
    return f"{expr.path.last.name}: {ty}"


def _nested_fn_text(body: BodyResults) -> str:
    """The signature of a `fn` declared in a body, from its checked parameters."""
    params = ", ".join(f"{body.locals[i].name}: {body.locals[i].ty}" for i in body.params)
    ret = "" if body.ret in (None, t.UNIT) else f" -> {body.ret}"
    return f"fn {body.fn.name}({params}){ret}"


def _local_text(name: str, ty: t.Ty, mutable: bool) -> str:
    return f"let {'mut ' if mutable else ''}{name}: {ty}"


def _fn_text(sig: FnSig) -> str:
    if sig.decl.assoc_const:
        return f"const {sig.owner + '::' if sig.owner else ''}{sig.name}: {sig.ret}"
    params = [f"{_param_name(p)}: {ty}" for p, ty in zip(sig.decl.params, sig.params,
                                                        strict=False)]
    if sig.self_kind is not None:
        params.insert(0, {"ref": "&self", "ref_mut": "&mut self", "value": "self"}
                      [sig.self_kind])
    ret = "" if sig.ret == t.UNIT else f" -> {sig.ret}"
    owner = f"{t.Adt(sig.owner).shown_name}::" if sig.owner else ""
    generics, where = _generics_text(sig)
    return f"fn {owner}{sig.name}{generics}({', '.join(params)}){ret}{where}"


def _generics_text(sig: FnSig) -> tuple[str, str]:
    """`<T: PartialOrd>` and ` where ...` as the signature declares them (bounds of an
    impl's parameters and on other types go in the `where` clause)."""
    own = [g for g in sig.generics if not g.startswith("impl ")]
    inline: list[str] = []
    for g in own:
        traits = [_bound_text(b) for b in sig.bounds if b.ty == t.Param(g)]
        inline.append(f"{g}: {' + '.join(traits)}" if traits else g)
    others = [b for b in sig.bounds if not (isinstance(b.ty, t.Param) and b.ty.name in own)
              and not (isinstance(b.ty, t.Param) and b.ty.name.startswith("impl "))]
    where = "\nwhere\n" + ",\n".join(f"    {b.ty}: {_bound_text(b)}" for b in others) \
        if others else ""
    return (f"<{', '.join(inline)}>" if inline else ""), where


def _bound_text(b: Bound) -> str:
    args = [str(a) for a in b.args] + [f"{n} = {ty}" for n, ty in b.assoc]
    if b.trait in t.CLOSURE_KINDS and len(b.args) == 2 and isinstance(b.args[0], t.Tuple):
        params = ", ".join(str(p) for p in b.args[0].elems)
        ret = "" if b.args[1] == t.UNIT else f" -> {b.args[1]}"
        return f"{b.trait}({params}){ret}"
    return f"{b.trait}<{', '.join(args)}>" if args else b.trait


def _param_name(p: ast.Param) -> str:
    return p.pat.name if isinstance(p.pat, ast.IdentPat) else "_"


def _in_signatures(analysis: FileAnalysis, item: ast.Item, rel: int) -> Found | None:
    env = analysis.env
    if isinstance(item, ast.FnDecl) and item.name_span.contains(rel) and item.name in env.fns:
        return item.name_span, _fn_text(env.fns[item.name]), item
    if isinstance(item, (ast.ImplDecl, ast.TraitDecl)):
        for m in item.members:
            if isinstance(m, ast.FnDecl) and m.name_span.contains(rel):
                impl = env.impl_of.get(m)
                trait = env.trait_of.get(m)
                sig = impl.methods.get(m.name) if impl is not None else \
                    trait.methods.get(m.name) if trait is not None else None
                if sig is not None:
                    return m.name_span, _fn_text(sig), m
    if isinstance(item, ast.StructDecl) and item.name_span.contains(rel):
        return item.name_span, f"struct {item.name}{_params_text(item.generics)}", item
    if isinstance(item, ast.EnumDecl) and item.name_span.contains(rel):
        return item.name_span, f"enum {item.name}{_params_text(item.generics)}", item
    if isinstance(item, ast.TraitDecl) and item.name_span.contains(rel):
        supers = " + ".join(s.path.last.name for s in item.supertraits)
        return item.name_span, f"trait {item.name}" + (f": {supers}" if supers else ""), item
    return None


def _params_text(generics: ast.Generics) -> str:
    if not generics.params:
        return ""
    return "<" + ", ".join(p.name + (": " + " + ".join(b.path.last.name for b in p.bounds)
                                     if p.bounds else "") for p in generics.params) + ">"
