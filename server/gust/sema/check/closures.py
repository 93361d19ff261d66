"""Closures: their types, their captures and call traits, calls of closures, and closures
passed where a callable is wanted (`map(|x| ..)`, `fn` pointers, `F: Fn(..)` bounds).

Every closure expression has a type of its own (`t.Closure`). Parameter types come from
annotations, from what the closure is passed to (the expected signature), or from its first
call (inference variables). The body is checked where the closure is written; then its
captures are read off the body: how each outer local is used decides whether the closure is
`Fn`, `FnMut` or `FnOnce`, and how the borrow checker sees the closure expression
(`BodyResults.closures`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Final

import mypy_extensions

from gust import diagnostics as d
from gust.sema import traits
from gust.sema import types as t
from gust.sema.check.base import CheckerBase
from gust.sema.check.util import FORMAT_MACROS, plural, tail_of
from gust.sema.results import Capture, ClosureInfo, FieldPath, LocalRes
from gust.syntax import ast
from gust.syntax.walk import children
from gust.text import Span

# Capture modes, weakest first: a closure captures each local in the strongest mode its
# body uses it in.
_MODES: Final = ("ref", "mut", "move")
_REF_MACROS: Final = FORMAT_MACROS | {"assert", "assert_eq", "assert_ne", "debug_assert",
                               "debug_assert_eq", "debug_assert_ne", "write", "writeln"}


# How much each call trait lets a closure do: a closure of one kind is callable as the
# kinds of equal or higher rank.
_KIND_RANK: Final = {"Fn": 0, "FnMut": 1, "FnOnce": 2}


@mypy_extensions.trait
class Closures(CheckerBase):
    # ---------------------------------------------------------------- closure expressions

    def _expr_Closure(self, e: ast.Closure, expected: t.Ty | None) -> t.Ty:
        exp = self.u.shallow(expected) if expected is not None else None
        if isinstance(exp, (t.FnPtr, t.Closure)) and len(exp.params) == len(e.params):
            return self.check_closure(e, exp.params, exp.ret)
        if isinstance(exp, t.Dyn) and exp.call is not None and \
                len(exp.call.params) == len(e.params):
            return self.check_closure(e, exp.call.params, exp.call.ret)
        if isinstance(exp, t.Error):
            # Passed to something that already has an error (a method of an unknown
            # type): its parameters are `{error}` too, so nothing more is reported.
            return self.check_closure(e, [t.ERROR] * len(e.params), t.ERROR)
        return self.check_closure(e, None, None)

    def check_closure(self, e: ast.Closure, params: Sequence[t.Ty] | None,
                      ret: t.Ty | None, what: str = "") -> t.Closure:
        """Check a closure expression; `params`/`ret` are the signature its context wants
        (from a `fn` pointer, an iterator adapter, an `Fn` bound). A parameter annotated
        with another type than the context gives is E0631 (when `what` names the callee)."""
        param_tys: list[t.Ty] = []
        mismatched = False
        for i, p in enumerate(e.params):
            hint = params[i] if params is not None else None
            if p.ty is not None:
                ty = self.lower(p.ty)
                if hint is not None and not self.coerces(hint, ty):
                    mismatched = True
            elif hint is not None:
                ty = hint
            else:
                ty = self.u.fresh()
                self.closure_params.append((ty, p.pat.span))
            param_tys.append(ty)
        if mismatched and what and params is not None:
            self._closure_arg_mismatch(e, params, param_tys, what)
        ret_ty = self.lower(e.ret) if e.ret is not None else (
            ret if ret is not None else self.u.fresh())
        first_local = len(self.results.locals)
        saved = (self.ret_ty, self.loops, self.closure_ret)
        self.ret_ty, self.loops, self.closure_ret = ret_ty, [], True
        try:
            with self.scope():
                for p, ty in zip(e.params, param_tys, strict=True):
                    self.check_pat(p.pat, ty, "closure")
                    self.check_irrefutable(p.pat, ty, "closure argument")
                body_ty = self.check_expr(e.body, ret_ty)
                self.coerce(body_ty, ret_ty, tail_of(e.body).span,
                            e.ret if e.ret is not None else None)
        finally:
            self.ret_ty, self.loops, self.closure_ret = saved
        info = self._captures(e, first_local)
        self.results.closures[e] = info
        copy = all(c.mode == "ref" or self._is_copy(self.results.locals[c.local].ty)
                   for c in info.captures) and not any(c.mode == "mut"
                                                       for c in info.captures)
        return t.Closure(e.span.start, tuple(param_tys), ret_ty, info.kind,
                         bool(info.captures), copy)

    def _closure_arg_mismatch(self, e: ast.Closure, expected: Sequence[t.Ty],
                              found: Sequence[t.Ty], what: str) -> None:
        exp = ", ".join(self.show(x) for x in expected)
        fnd = ", ".join(self.show(x) for x in found)
        self.diags.append(d.error(
            "E0631", "type mismatch in closure arguments", Span(e.span.start, e.span.start + 1)
            if not e.params else Span(e.span.start, e.params[-1].span.end + 1),
            f"found signature `fn({fnd}) -> _`",
            notes=(f"expected closure signature `fn({exp}) -> _`",
                   f"required by a bound in `{what}`")))

    def _is_copy(self, ty: t.Ty) -> bool:
        return traits.is_copy(self.u.resolve(ty), self.env, self.assumptions)

    # ---------------------------------------------------------------- captures

    def _captures(self, e: ast.Closure, first_local: int) -> ClosureInfo:
        """Which outer locals the body uses, and how: this decides the closure's call trait
        (moving a capture out makes it `FnOnce`, mutating one `FnMut`)."""
        uses: dict[int, str] = {}
        walker = _Uses(self, first_local, uses)
        walker.visit(e.body, "move")
        kind = "Fn"
        if any(m == "move" for m in uses.values()):
            kind = "FnOnce"
        elif any(m == "mut" for m in uses.values()):
            kind = "FnMut"
        captures = tuple(
            Capture(local, "move" if e.is_move else mode, walker.spans.get(local),
                    walker.capture_paths(local, e.is_move))
            for local, mode in sorted(uses.items()))
        return ClosureInfo(captures, kind, e.is_move, walker.moved)

    # ---------------------------------------------------------------- calling closures

    def call_closure(self, e: ast.Call, callee: t.Closure) -> t.Ty:
        """`f(args)` where `f` is a closure: rustc reports a wrong count as E0057."""
        self.results.call_kinds[e] = callee.kind
        if len(e.args) != len(callee.params):
            n, m = len(callee.params), len(e.args)
            self.diags.append(d.error(
                "E0057", f"this function takes {plural(n, 'argument')} but "
                f"{plural(m, 'argument')} {'was' if m == 1 else 'were'} supplied",
                e.callee.span))
        for i, arg in enumerate(e.args):
            if i < len(callee.params):
                ty = self.check_expr(arg, callee.params[i])
                self.coerce(ty, callee.params[i], arg.span)
            else:
                self.check_expr(arg, None)
        return callee.ret

    def callable_bound(self, ty: t.Ty) -> t.Closure | None:
        """A value of a type parameter bounded by `Fn`/`FnMut`/`FnOnce` (or a reference to
        one), seen as a closure with the bound's signature."""
        while isinstance(ty, t.Ref) or (isinstance(ty, t.Adt) and ty.name == "Box" and ty.args):
            ty = self.u.shallow(ty.inner if isinstance(ty, t.Ref) else ty.args[0])
        if isinstance(ty, t.Dyn) and ty.call is not None:
            kind = next((k for k in t.CLOSURE_KINDS if k in ty.traits), "Fn")
            return t.Closure(-1, ty.call.params, ty.call.ret, kind, True, False)
        if not isinstance(ty, t.Param):
            return None
        for b in self.assumptions:
            if b.ty == ty and b.trait in t.CLOSURE_KINDS and len(b.args) == 2 and \
                    isinstance(b.args[0], t.Tuple):
                return t.Closure(-1, b.args[0].elems, b.args[1], b.trait, True, False)
        return None

    def discharge_callable(self, arg: ast.Expr, param: t.Ty, what: str) -> bool:
        """An argument for a type parameter `F: Fn(A) -> R` of the callee: checked as a
        callable with that signature (closure parameters get their types from the bound),
        which discharges the bound's obligation."""
        var = self.u.shallow(param)
        if isinstance(var, t.Ref) and isinstance(arg, ast.Borrow) and \
                arg.mutable == var.mutable and isinstance(arg.operand, ast.Closure):
            # `&mut |i| ..` for `f: &mut impl FnMut(u32)`: the closure gets the bound's
            # signature, the borrow is of it.
            if not self.discharge_callable(arg.operand, var.inner, what):
                return False
            self.record(arg, t.Ref(self.results.expr_types[arg.operand], var.mutable))
            return True
        if not isinstance(var, t.Infer) or var.kind != "any":
            return False
        for bound, _span in self.obligations:
            if bound.trait in t.CLOSURE_KINDS and self.u.shallow(bound.ty) == var and \
                    len(bound.args) == 2 and isinstance(bound.args[0], t.Tuple):
                ty = self.check_callable_arg(arg, bound.args[0].elems, bound.args[1],
                                             bound.trait, what)
                self.u.unify(var, ty)
                self.obligations = [(b, s) for b, s in self.obligations if b is not bound]
                return True
        return False

    # ---------------------------------------------------------------- callable arguments

    def check_callable_arg(self, arg: ast.Expr, params: Sequence[t.Ty], ret: t.Ty,
                           required: str, what: str) -> t.Ty:
        """Check an argument that must be callable as `required` ("Fn", "FnMut" or
        "FnOnce") with `params` and returning `ret`: an iterator adapter's closure, an
        `F: Fn(..)` bound. Returns the argument's type."""
        if isinstance(arg, ast.Closure):
            if len(arg.params) != len(params):
                self._arity_mismatch(arg, len(params))
                self.record(arg, t.ERROR)
                return t.ERROR
            closure = self.check_closure(arg, params, ret, what)
            self.record(arg, closure)
            info = self.results.closures.get(arg)
            if info is not None:
                self.results.closures[arg] = replace(info, required=required)
            self._moves_out_of_fnmut(arg, closure, required)
            return closure
        # A path (`ToString::to_string`) learns its `Self` from the parameters.
        hint = t.FnPtr(tuple(params), ret) if isinstance(arg, ast.PathExpr) else None
        found = self.u.shallow(self.check_expr(arg, hint))
        callable_ = self._through_refs(found)
        if callable_ is None and isinstance(found, (t.Param, t.Dyn, t.Adt)):
            # An `impl Fn` value, a `Box<dyn Fn>`, a value of an `F: Fn` parameter: each
            # is itself callable (by value).
            callable_ = self.callable_bound(found)
            if callable_ is not None and _KIND_RANK[callable_.kind] > _KIND_RANK[required]:
                callable_ = None
        if callable_ is not None and not isinstance(found, (t.Closure, t.FnPtr)):
            # `&f` where `f: impl Fn(..)` (or a `&F`, `&dyn Fn`): a shared reference to an
            # `Fn` is itself `Fn` (rustc's blanket `impl Fn for &F`).
            found = callable_
        if isinstance(found, (t.Closure, t.FnPtr)):
            ty = found
            if len(ty.params) != len(params):
                self.diags.append(d.error(
                    "E0593", f"function is expected to take {plural(len(params), 'argument')}"
                    f", but it takes {plural(len(ty.params), 'argument')}", arg.span))
                return t.ERROR
            if not all(self.u.unify(a, b) for a, b in zip(ty.params, params, strict=True)):
                self.diags.append(d.error("E0631", "type mismatch in function arguments",
                                          arg.span))
                return t.ERROR
            if isinstance(ty, t.Closure) and not self.coerces(ty.ret, ret):
                self._closure_return_mismatch(arg, ty, ret, what)
                return t.ERROR
            self.coerce(ty.ret, ret, arg.span)
            if isinstance(ty, t.Closure):
                self.require_closure_kind(ty, required, Span(ty.id, ty.id + 1))
            return ty
        if not isinstance(found, t.Error):
            sig = ", ".join(self.show(p) for p in params)
            shown = self.show(found)
            self.diags.append(d.error(
                "E0277", f"expected a `{required}({sig})` closure, found `{shown}`",
                arg.span, f"expected an `{required}({sig})` closure, found `{shown}`"))
        return t.ERROR

    def _through_refs(self, ty: t.Ty) -> t.Closure | t.FnPtr | None:
        """The callable behind shared references (`&impl Fn(i32) -> i32`, `&&closure`)."""
        seen_ref = False
        while isinstance(ty, t.Ref) and not ty.mutable:
            ty, seen_ref = self.u.shallow(ty.inner), True
        if not seen_ref:
            return None
        if isinstance(ty, t.Closure | t.FnPtr):
            return ty
        if isinstance(ty, t.Dyn) and ty.call is not None:
            kind = next((k for k in t.CLOSURE_KINDS if k in ty.traits), "Fn")
            return t.Closure(-1, ty.call.params, ty.call.ret, kind, True, False) \
                if kind == "Fn" else None
        bound = self.callable_bound(ty)
        return bound if bound is not None and bound.kind == "Fn" else None

    def _closure_return_mismatch(self, arg: ast.Expr, ty: t.Closure, ret: t.Ty,
                                 what: str) -> None:
        """A closure value whose return type is not the bound's: rustc's E0271 at the
        closure's body (`expected {closure} to return i64, but it returns i32`)."""
        closure = next((c for c in self.results.closures if c.span.start == ty.id), None)
        exp, fnd = self.show(ret), self.show(ty.ret)
        if isinstance(self.u.resolve(ret), t.Error) or isinstance(self.u.resolve(ty.ret),
                                                                   t.Error):
            return
        span = tail_of(closure.body).span if closure is not None else arg.span
        labels = [d.Label(arg.span, "closure used here")]
        if closure is not None and closure.params:
            labels.insert(0, d.Label(Span(closure.span.start, closure.params[-1].span.end + 1),
                                     "this closure"))
        self.diags.append(d.error(
            "E0271", f"expected `{{closure}}` to return `{exp}`, but it returns `{fnd}`", span,
            f"expected `{exp}`, found `{fnd}`", labels=tuple(labels),
            notes=(f"required by a bound in `{what}`",)
            if what and what not in ("function", "method") else ()))

    def _moves_out_of_fnmut(self, arg: ast.Closure, ty: t.Closure, required: str) -> None:
        """A closure written where an `Fn`/`FnMut` one is wanted is checked as one, so a
        body that moves a capture out is rustc's borrow error E0507 (not E0525)."""
        if t.closure_implements(ty.kind, required):
            return
        info = self.results.closures.get(arg)
        if info is None or info.moved is None:
            return
        local, span = info.moved
        name = self.results.locals[local].name
        self.diags.append(d.error(
            "E0507", f"cannot move out of `{name}`, a captured variable in an `{required}` "
            "closure", span, "move occurs because it has a type which does not implement "
            "the `Copy` trait"))

    def _arity_mismatch(self, arg: ast.Closure, wanted: int) -> None:
        takes = len(arg.params)
        self.diags.append(d.error(
            "E0593", f"closure is expected to take {plural(wanted, 'argument')}, but it takes "
            f"{plural(takes, 'argument')}", arg.span,
            f"takes {plural(takes, 'argument')}"))

    def require_closure_kind(self, ty: t.Closure, required: str, span: Span) -> bool:
        """E0525 when a closure does not implement the call trait its context needs."""
        if t.closure_implements(ty.kind, required):
            return True
        self.diags.append(d.error(
            "E0525", f"expected a closure that implements the `{required}` trait, but this "
            f"closure only implements `{ty.kind}`", span,
            f"this closure implements `{ty.kind}`, not `{required}`"))
        return False

    def report_closure_params(self) -> None:
        """E0282 for closure parameters nothing gave a type (a closure never called)."""
        for ty, span in self.closure_params:
            resolved = self.u.resolve(ty)
            if isinstance(resolved, t.Infer) and resolved.kind == "any":
                self.diags.append(d.error(
                    "E0282", "type annotations needed", span, "",
                    help=("consider giving this closure parameter an explicit type",)))


class _Uses:
    """Walks a closure body and records, for every local declared outside it, the
    strongest way the body uses it: "ref" (read or borrowed), "mut" (assigned or borrowed
    mutably) or "move" (moved out, for a value that is not Copy)."""

    def __init__(self, checker: Closures, first_local: int, out: dict[int, str]) -> None:
        self.c = checker
        self.first_local = first_local
        self.out = out
        # The first capture the body moves out, and where.
        self.moved: tuple[int, Span] | None = None
        # Where each local is first used in its strongest mode.
        self.spans: dict[int, Span] = {}
        # The field paths of each local the body uses (Rust 2021 captures disjoint
        # fields), innermost field first, with the strongest mode of each.
        self.paths: dict[int, dict[FieldPath, str]] = {}

    def capture_paths(self, local: int, is_move: bool) -> tuple[tuple[FieldPath, str],
                                                                   ...]:
        found = self.paths.get(local, {})
        return tuple((path, "move" if is_move else mode) for path, mode in found.items())

    def use(self, local: int, mode: str, span: Span | None = None,
            path: FieldPath = ()) -> None:
        if mode == "move" and self.c._is_copy(self.c.results.locals[local].ty):
            mode = "ref"
        paths = self.paths.setdefault(local, {})
        if path not in paths or _MODES.index(mode) > _MODES.index(paths[path]):
            paths[path] = mode
        if mode == "move" and span is not None and self.moved is None:
            self.moved = (local, span)
        if _MODES.index(mode) > _MODES.index(self.out.get(local, "ref")) or \
                local not in self.out:
            self.out[local] = mode
            if span is not None:
                self.spans[local] = span

    def visit(self, node: object, mode: str, path: FieldPath = ()) -> None:
        """`path` lists the fields the enclosing expressions take of `node`."""
        r = self.c.results
        match node:
            case ast.PathExpr():
                res = r.paths.get(node)
                if isinstance(res, LocalRes) and res.local < self.first_local:
                    self.use(res.local, mode, node.span, path)
            case ast.Paren(inner=inner):
                self.visit(inner, mode, path)
            case ast.Field(base=base) | ast.TupleField(base=base):
                field_ty = r.expr_types.get(node)
                copy = field_ty is not None and mode == "move" and self.c._is_copy(field_ty)
                self.visit(base, "ref" if copy else mode, (node, *path))
            case ast.Index(base=base, index=index):
                self.visit(base, "mut" if mode == "mut" else "ref")
                self.visit(index, "move")
            case ast.Unary(op="*", operand=operand):
                self.visit(operand, "mut" if mode == "mut" else "ref")
            case ast.Borrow(mutable=mutable, operand=operand):
                self.visit(operand, "mut" if mutable else "ref")
            case ast.Assign(target=target, value=value) | \
                    ast.CompoundAssign(target=target, value=value):
                self.visit(target, "mut")
                self.visit(value, "move")
            case ast.MethodCall(receiver=receiver, args=args):
                m = r.methods.get(node)
                how = "move"
                if m is not None:
                    how = {"&": "ref", "&mut": "mut"}.get(m.autoref, "move")
                    if m.derefs and how == "move":
                        how = "ref"
                self.visit(receiver, how)
                for a in args:
                    self.visit(a, "move")
            case ast.MacroCall(name=name, args=args, repeat=repeat):
                how = "ref" if name in _REF_MACROS else "move"
                fmt = r.formats.get(node)
                # (`vec![value; count]` keeps its operands in `repeat`, not `args`: a
                # variable there is captured too; it was left out, and the closure body
                # read it as its own uninitialised local, a false E0381.)
                for a in (fmt.args if fmt is not None else args + (repeat or ())):
                    self.visit(a, how)
            case ast.Binary(op=op, lhs=lhs, rhs=rhs) if op in ("==", "!=", "<", ">", "<=",
                                                                ">="):
                self.visit(lhs, "ref")
                self.visit(rhs, "ref")
            case ast.Call(callee=callee, args=args):
                callee_ty = r.expr_types.get(callee)
                how = "move"
                if isinstance(callee_ty, (t.Closure, t.Infer)):
                    resolved = self.c.u.resolve(callee_ty)
                    if isinstance(resolved, t.Closure):
                        how = {"Fn": "ref", "FnMut": "mut"}.get(resolved.kind, "move")
                elif node in r.call_kinds:
                    # A value of an `F: Fn(..)` parameter (or `impl Fn`): calling it borrows.
                    how = {"Fn": "ref", "FnMut": "mut"}.get(r.call_kinds[node], "move")
                self.visit(callee, how)
                for a in args:
                    self.visit(a, "move")
            case ast.Closure():
                nested = r.closures.get(node)
                if nested is not None:
                    for cap in nested.captures:
                        if cap.local >= self.first_local:
                            continue
                        for path, mode in cap.paths or (((), cap.mode),):
                            self.use(cap.local, mode, cap.span or node.span, path)
            case ast.Match(scrutinee=scrutinee, arms=arms):
                self.visit(scrutinee, "ref")
                for arm in arms:
                    self.visit(arm, "move")
            case _:
                for child in children(node):
                    self.visit(child, "move")


