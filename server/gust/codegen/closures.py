"""Closures as Go function literals.

A closure `|x| x + n` becomes `func(x int32) int32 { return x + n }`. Captures need no work
for the common cases: a Go function literal captures variables by reference, which is what
a borrowing closure (`Fn`, `FnMut`) does, and a value moved into a closure cannot be used
by its owner afterwards. The one difference is a `move` closure that captures a `mut`
local: Rust copies the value in (a Copy value stays usable, and the closure's state is its
own), so the emitter copies it first (`total2 := total`) and the body uses the copy.

Closure types, `fn` pointers, `impl Fn(..)`, `dyn Fn(..)` (also boxed) and type parameters
bounded by a call trait are all the same Go func type (gust.codegen.gotypes), so closures
pass to and return from functions unchanged.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from gust.codegen import goast as g
from gust.codegen import gostmt as s
from gust.sema import types as t
from gust.sema.items import ItemEnv
from gust.sema.traits import fn_assumptions
from gust.syntax import ast

if TYPE_CHECKING:
    from gust.codegen.body import FnEmitter


def emit_closure(em: FnEmitter, e: ast.Closure) -> g.GoExpr:
    ty = em.ty(e)
    if not isinstance(ty, t.Closure):
        from gust.codegen.body import UnsupportedAt

        raise UnsupportedAt("this closure", e.span)
    copies = _move_copies(em, e)
    saved_override = dict(em.override)
    em.override.update(copies)
    try:
        params, body = _body(em, e, ty)
    finally:
        em.override = saved_override
    result = "" if ty.ret == t.UNIT or isinstance(ty.ret, t.Never) else " " + em.go(ty.ret)
    lines: list[tuple[str, int | None]] = []
    s.render(body, 1, lines)
    return g.FuncLit(f"func({params}){result}", tuple(lines))


def _move_copies(em: FnEmitter, e: ast.Closure) -> dict[int, g.GoExpr]:
    """`move` captures of `mut` locals: copied in before the literal."""
    info = em.br.closures.get(e)
    out: dict[int, g.GoExpr] = {}
    if info is None or not info.is_move:
        return out
    for cap in info.captures:
        local = em.br.locals[cap.local]
        if not local.mutable or not (em.loops or _used_after(em, cap.local, e)):
            continue  # nothing else sees the variable: the closure may own it
        name = em.temp(local.name)
        value = em.clone_expr(em.local_expr(cap.local), local.ty) \
            if cap.mode == "ref" else em.local_expr(cap.local)
        em.define(name, value, local.ty)
        out[cap.local] = g.ident(name)
    return out


def _used_after(em: FnEmitter, local: int, e: ast.Closure) -> bool:
    """Whether the function uses `local` after the closure `e` (outside it)."""
    from gust.sema.results import LocalRes

    body = em.fn.body
    for n in em.nodes.walk(body):
        if isinstance(n, ast.PathExpr) and n.span.start >= e.span.end:
            res = em.br.paths.get(n)
            if isinstance(res, LocalRes) and res.local == local:
                return True
        if isinstance(n, ast.MacroCall) and n in em.br.formats and \
                n.span.end > e.span.end and local in em.uses_in(n):
            return True
    return False


def _body(em: FnEmitter, e: ast.Closure, ty: t.Closure) -> tuple[str, list[s.GoStmt]]:
    """The parameter list and statements of the literal, emitted with the emitter's
    per-function state (return type, loops, switches) set for the closure."""
    from gust.codegen.body import DISCARD, RETURN

    saved = (em.cur, em.ret, em.loops, em.switch_depth, em.after_stmt, em.display)
    body: list[s.GoStmt] = []
    # The closure's temporaries (a `c.lock().unwrap()` guard) end in its own body, not
    # with the statement that holds the closure.
    em.cur, em.ret, em.loops, em.switch_depth, em.after_stmt = body, ty.ret, [], 0, []
    # A closure inside `fmt` returns its own value (`.map(|x| x.to_string())`); only
    # one giving `fmt::Result` writes to the formatter as `fmt` does.
    em.display = em.display and ty.ret == t.FMT_RESULT
    em.scopes.append(set())
    try:
        parts: list[str] = []
        patterns: list[tuple[ast.Pat, str, t.Ty]] = []
        for i, param in enumerate(e.params):
            pty = ty.params[i] if i < len(ty.params) else t.ERROR
            go_ty = em.go(pty)
            pat = _through_refs(em, param.pat, pty)
            if isinstance(pat, ast.IdentPat) and pat.sub is None and not pat.by_ref and \
                    pat in em.br.bindings:
                local = em.br.bindings[pat]
                name = em.declare(local) if local in em.refs else "_"
                parts.append(f"{name} {go_ty}")
            elif isinstance(pat, ast.WildPat):
                parts.append(f"_ {go_ty}")
            else:
                name = em.temp(f"arg{i}")
                parts.append(f"{name} {go_ty}")
                patterns.append((pat, name, pty))
        for pat, name, pty in patterns:
            em.bind_irrefutable(pat, g.ident(name), pty)
        returns = not (ty.ret == t.UNIT or isinstance(ty.ret, (t.Never, t.Error)))
        em.into_final(e.body, RETURN if returns else DISCARD)
        if not isinstance(e.body, ast.Block):
            em.end_statement(e.body.span)  # `move || *c.lock().unwrap() += 1`
        if returns and not s.is_terminating(body):
            body.append(s.Line('panic("unreachable")', None, "panic"))
        return ", ".join(parts), s.prune(body)
    finally:
        em.scopes.pop()
        em.cur, em.ret, em.loops, em.switch_depth, em.after_stmt, em.display = saved


def _through_refs(em: FnEmitter, pat: ast.Pat, ty: t.Ty) -> ast.Pat:
    """`|&x|`, `|&&x|` where the references are Go values (not pointers): the binding
    itself, so the parameter is simply `x`."""
    while isinstance(pat, ast.RefPat) and isinstance(ty, t.Ref) and \
            not em.types.ref_is_ptr(ty):
        pat, ty = pat.inner, ty.inner
    return pat


def callable_params(env: ItemEnv, fn: ast.FnDecl) -> dict[str, t.FnPtr]:
    """The type parameters of `fn` bounded by a call trait, with their signatures: Go has
    no call constraint, so such a parameter is erased to its func type."""
    out: dict[str, t.FnPtr] = {}
    # An impl's parameters are its type's (`impl<F: Fn(u64)> Memo<F>`): they stay Go type
    # parameters, with a `~func(..)` constraint (gust.codegen.generics.constraint).
    impl = env.impl_of.get(fn)
    kept = set(impl.generics) if impl is not None else set()
    for bound in fn_assumptions(env, fn):
        if isinstance(bound.ty, t.Param) and bound.ty.name in kept:
            continue
        if isinstance(bound.ty, t.Param) and bound.trait in ("Fn", "FnMut", "FnOnce") and \
                len(bound.args) == 2 and isinstance(bound.args[0], t.Tuple):
            out[bound.ty.name] = t.FnPtr(bound.args[0].elems, bound.args[1])
    return out


def only_callable_generics(env: ItemEnv, fn: ast.FnDecl) -> bool:
    """Whether every type parameter of `fn` is bounded by a call trait (`F: Fn(i32)`): such
    a function needs no Go type parameters (each is erased to its func type)."""
    erased = callable_params(env, fn)
    return all(p.name in erased for p in fn.generics.params)
