"""Closure bodies, borrow-checked as bodies of their own (as rustc checks a closure's MIR).

A closure body's locals start with its *upvars*, one per capture: a capture taken by
reference is an upvar of type `&T` (`&mut T` when the body mutates it) whose deref stands
for the variable; a moved capture is an owned upvar, mutable when its binding was declared
`mut`. Their regions are free (universal): the closure's caller decides them, and the
enclosing body (gust.borrowck.captures) keeps the captured borrows alive while the closure
value lives.

The body is checked as the call trait it implements: its own (read off the body by the
type checker), or the one its context requires when the closure is passed straight to an
`F: Fn(..)` parameter. Through an `Fn` closure captured variables are read-only (E0594,
E0596 "as it is a captured variable in a `Fn` closure").
"""

from __future__ import annotations

from gust.borrowck import mir
from gust.borrowck.build import Builder
from gust.borrowck.captures import head_span
from gust.borrowck.mir import Place
from gust.sema import types as t
from gust.sema.items import ItemEnv
from gust.sema.results import BodyResults, ClosureInfo
from gust.syntax import ast
from gust.text import Span


def checked_kind(info: ClosureInfo) -> str:
    """The call trait the body is checked as: the stricter of its own and the required."""
    required = info.required
    if required is not None and \
            t.CLOSURE_KINDS.index(required) < t.CLOSURE_KINDS.index(info.kind):
        return required
    return info.kind


class ClosureBuilder(Builder):
    """Lowers one closure body (`run` fills `self.body`) over the enclosing body's results."""

    def __init__(self, env: ItemEnv, results: BodyResults, closure: ast.Closure,
                 info: ClosureInfo) -> None:
        super().__init__(env, results)
        self.closure = closure
        self.info = info
        cty = results.expr_types.get(closure)
        self.ret_ty = cty.ret if isinstance(cty, t.Closure) else t.ERROR
        self.param_tys = cty.params if isinstance(cty, t.Closure) else ()

    def run(self) -> None:
        body = self.body
        e = self.closure
        kind = checked_kind(self.info)
        body.closure_kind = kind
        body.closure_head = head_span(e)
        self.return_place(self.ret_ty if self.ret_ty is not None else t.UNIT)
        self.new_block()
        self.scopes.append([])
        for cap in self.info.captures:
            body.params.append(self.upvar(cap.local, cap.mode, kind))
        for i, param in enumerate(e.params):
            self.param(param, self.param_tys[i] if i < len(self.param_tys) else t.ERROR)
        self.scratch = self.new_local(None, t.BOOL, True, None, "temp")
        if isinstance(e.body, ast.Block):
            self.block_into(Place(0), e.body, ret_coerce=True)
        else:
            self.value_into(Place(0), e.body, self.ret_ty)
        end = Span(max(e.span.end - 1, e.span.start), e.span.end)
        self.storage_dead(self.scopes.pop(), end)
        self.terminate(mir.Return(end))
        body.outlives = list(self.edges)

    def upvar(self, uid: int, mode: str, kind: str) -> int:
        """The upvar of captured local `uid`; uses of the variable become uses of it."""
        lc = self.r.locals[uid]
        if mode == "move":
            m = self.new_local(lc.name, lc.ty, lc.mutable and kind != "Fn", lc.span, "upvar",
                               uid, universal=True)
            self.guard_subst[uid] = Place(m)
            return m
        ref = t.Ref(lc.ty, mode == "mut" and kind != "Fn")
        m = self.new_local(lc.name, ref, False, lc.span, "upvar", uid, universal=True)
        self.body.locals[m].upvar_ref = True
        self.guard_subst[uid] = Place(m).deref()
        return m

    def param(self, param: ast.ClosureParam, ty: t.Ty) -> None:
        pat = param.pat
        uid = self.r.bindings.get(pat) if isinstance(pat, ast.IdentPat) else None
        if uid is not None and isinstance(pat, ast.IdentPat) and pat.sub is None and \
                not pat.by_ref:
            self.body.params.append(self.mir_local(uid, universal=True))
            return
        tmp = self.new_local(None, ty, False, param.span, "param", universal=True)
        self.body.params.append(tmp)
        self.bind_pattern(pat, Place(tmp), ty)


def lower_closures(env: ItemEnv, results: BodyResults) -> list[ClosureBuilder]:
    """Every closure body of `results` that could hold a borrow error, lowered. (Most
    closures given to iterator adapters, `|x| x.len()`, cannot: they are not checked.)"""
    out: list[ClosureBuilder] = []
    for e, info in results.closures.items():
        builder = ClosureBuilder(env, results, e, info)
        builder.run()
        if builder.diags or needs_check(builder):
            builder.body.finish()
            out.append(builder)
    return out


def needs_check(builder: Builder) -> bool:
    """Whether a lowered body could have a borrow error: it assigns a user place, moves out
    of anything but a temporary, declares a variable without a value, or borrows other than
    shared through a shared reference (a loan nothing can conflict with, rustc's ignored
    borrows)."""
    body = builder.body
    if body.deferred_init:
        return True
    for loan in body.loans:
        if loan.mutable or not _through_shared_ref(builder, loan.place):
            return True
    for block in body.blocks:
        for stmt in block.stmts:
            if isinstance(stmt, mir.Assign):
                if stmt.user:
                    return True
                ops = stmt.rv.ops
            elif isinstance(stmt, mir.Call):
                ops = stmt.args
            else:
                continue
            for op in ops:
                if op.mode == "move" and op.place is not None and (
                        op.place.proj or body.locals[op.place.local].kind != "temp"):
                    return True
    return False


def _through_shared_ref(builder: Builder, place: Place) -> bool:
    for n, p in enumerate(place.proj):
        if p.kind == "deref":
            ty = builder.place_ty(place.prefix(n))
            if isinstance(ty, t.Ref) and not ty.mutable:
                return True
    return False
