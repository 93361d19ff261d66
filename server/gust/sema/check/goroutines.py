"""Gust's goroutine extensions (docs/language.md section 10): `go f(args);`, `spawn(move ||
..)`, channel operations and `select { .. }`, and the send check of 10.6.

Everything that crosses into a goroutine (the arguments of a `go` call, the captures of a
`spawn` closure, the values sent on a channel) must be owned and sendable: a reference could
dangle or race once the caller moves on, and a non-`Send` value (an `Rc`) would be shared
without synchronisation. Rust has the same mistakes around `thread::spawn` and
`mpsc::Sender::send`, so they get rustc's codes and wording: E0277 "cannot be sent between
threads safely" here, and E0373 (a `spawn` closure that borrows a local) from the borrow
checker, which sees the closures listed in `BodyResults.static_closures`. Moves into a goroutine are
ordinary moves: the borrow checker reports a later use with E0382.

The channel methods themselves (`chan::new`, `send`, `recv`, `close`, `len`, `clone`) are
signatures in gust.sema.builtins; `spawn` is a prelude function there.
"""

from __future__ import annotations

from typing import Final

import mypy_extensions

from gust import diagnostics as d
from gust.sema import types as t
from gust.sema.check.base import CheckerBase
from gust.sema.results import MethodRes
from gust.syntax import ast
from gust.text import Span

# Types that may not cross into a goroutine, as Rust's `!Send` types: shared ownership
# without atomic counts, and borrows of a `RefCell`.
_NOT_SEND: Final = ("Rc", "Weak", "Ref", "RefMut", "MutexGuard", "RwLockReadGuard", "RwLockWriteGuard")
# Types that are `Send` but not `Sync`: an `Arc` of one cannot be shared between goroutines.
_NOT_SYNC: Final = ("RefCell", "Cell")
_REF_NOTE: Final = ("a reference cannot cross into a goroutine: the goroutine may run after the "
             "value it points to is gone; send an owned value (`.clone()`, `.to_string()`)",)


@mypy_extensions.trait
class Goroutines(CheckerBase):
    # ---------------------------------------------------------------- `go f(args)`

    def _expr_GoExpr(self, e: ast.GoExpr, expected: t.Ty | None) -> t.Ty:
        """`go f(args)`: the call is checked as usual (its result is discarded), then every
        argument, and a method call's receiver, must be sendable."""
        call = e.call
        while isinstance(call, ast.Paren):
            call = call.inner
        errors = sum(diag.is_error for diag in self.diags)
        self.check_expr(call, None)
        if sum(diag.is_error for diag in self.diags) > errors:
            return t.UNIT  # one mistake, one diagnostic
        if not isinstance(call, (ast.Call, ast.MethodCall)):
            self.diags.append(d.error(None, "expression in `go` must be a function call",
                                      call.span, "not a call"))
            return t.UNIT
        if isinstance(call, ast.MethodCall):
            self._go_receiver(call)
        for arg in call.args:
            if self.check_sendable(self.results.type_of(arg), arg.span):
                break
        return t.UNIT

    def _go_receiver(self, call: ast.MethodCall) -> None:
        """`go obj.method()` with `&self`: the goroutine would hold a borrow of `obj`."""
        res = self.results.methods.get(call)
        if not isinstance(res, MethodRes) or res.self_kind not in ("ref", "ref_mut"):
            return
        recv = self.u.resolve(self.results.type_of(call.receiver))
        if isinstance(recv, t.Error):
            return
        if not isinstance(recv, t.Ref):
            recv = t.Ref(recv, res.self_kind == "ref_mut")
        self.check_sendable(recv, call.receiver.span)

    # ---------------------------------------------------------------- `spawn(move || ..)`

    def check_go_spawn(self, e: ast.Call) -> None:
        """`spawn(closure)`: the closure must own what it captures (E0373, from the borrow
        checker) and everything it captures must be sendable (E0277)."""
        if not e.args:
            return
        closure = e.args[0]
        while isinstance(closure, ast.Paren):
            closure = closure.inner
        if not isinstance(closure, ast.Closure):
            return
        info = self.results.closures.get(closure)
        if info is None:
            return
        # Borrowed captures must outlive the goroutine: the borrow checker reports E0373
        # (as for `thread::spawn`).
        self.results.static_closures.add(closure)
        for cap in info.captures:
            if self.check_sendable(self.results.locals[cap.local].ty, e.span):
                return

    # ---------------------------------------------------------------- channels

    def chan_method_result(self, e: ast.MethodCall, name: str, chan: t.Ty, ret: t.Ty) -> t.Ty:
        """`c.send(v)`: the value sent crosses into whichever goroutine receives it (checked
        at the channel's element type: a mismatched argument is already an E0308)."""
        if name == "send" and e.args and isinstance(chan, t.Adt) and chan.args:
            self.check_sendable(chan.args[0], e.args[0].span)
        return ret

    # ---------------------------------------------------------------- `select`

    def _expr_Select(self, e: ast.Select, expected: t.Ty | None) -> t.Ty:
        """`select { .. }`: each arm's head is a channel operation; the arms' bodies join like
        `match` arms."""
        result: t.Ty | None = None
        first_span: Span | None = None
        defaults = 0
        for arm in e.arms:
            with self.scope():
                if arm.kind == "default":
                    defaults += 1
                    if defaults == 2:
                        self.diags.append(d.error(None, "multiple defaults in `select`",
                                                  arm.span, "a second `default` arm"))
                elif arm.op is not None:
                    received = self._select_op(arm.op, arm.kind == "recv")
                    if arm.pat is not None:
                        self.check_pat(arm.pat, received, "let")
                        self.check_irrefutable(arm.pat, received, "`select` arm binding")
                hint = expected if expected is not None else (
                    result if result is not None and not isinstance(
                        self.u.shallow(result), t.Never) else None)
                arm_ty = self.check_expr(arm.body, hint)
            if result is None or isinstance(self.u.shallow(result), t.Never):
                if result is None or not isinstance(self.u.shallow(arm_ty), t.Never):
                    first_span = arm.body.span
                result = arm_ty if result is None or not isinstance(
                    self.u.shallow(arm_ty), t.Never) else result
            else:
                result = self.join(result, arm_ty, arm.body,
                                   "`select` arms have incompatible types",
                                   first_span or arm.body.span)
        return result if result is not None else t.NEVER

    def _select_op(self, op: ast.Expr, binds: bool) -> t.Ty:
        """An arm's channel operation: `c.recv()` (its `Option<T>` is what a binding gets) or
        `c.send(v)`; anything else is not a channel operation."""
        ty = self.check_expr(op, None)
        inner = op
        while isinstance(inner, ast.Paren):
            inner = inner.inner
        res = self.results.methods.get(inner) if isinstance(inner, ast.MethodCall) else None
        is_chan_op = isinstance(res, MethodRes) and res.owner == "chan" and \
            res.name in (("recv",) if binds else ("recv", "send"))
        if not is_chan_op and not isinstance(self.u.resolve(ty), t.Error):
            wanted = "a channel receive (`rx.recv()`)" if binds else \
                "a channel operation (`rx.recv()` or `tx.send(v)`)"
            self.diags.append(d.error(None, f"`select` arm must be {wanted}", op.span,
                                      "not a channel operation"))
            return t.ERROR
        return ty

    # ---------------------------------------------------------------- the send check

    def check_sendable(self, ty: t.Ty, span: Span) -> bool:
        """E0277 when a value of type `ty` may not cross into another goroutine; whether it
        reported."""
        ty = self.u.resolve(ty)
        if isinstance(ty, t.Ref):
            shown = self.show(ty)
            waits = isinstance(ty.inner, t.Adt) and ty.inner.name == "go:sync.WaitGroup"
            self.diags.append(d.error(
                "E0277", f"`{shown}` cannot be sent between threads safely", span,
                f"`{shown}` cannot be sent between threads safely", notes=_REF_NOTE,
                help=("start the goroutine with the WaitGroup's own `wg.Go(move || ..)`, "
                      "which counts it and marks it done",) if waits else ()))
            return True
        problem = self._not_send(ty, set())
        if problem is None:
            return False
        what, inner = problem
        shown = self.show(inner)
        help_ = (f"within `{self.show(ty)}`, the trait `{_TRAIT[what]}` is not implemented "
                 f"for `{shown}`",) if inner != ty else \
            (f"the trait `{_TRAIT[what]}` is not implemented for `{shown}`",)
        self.diags.append(d.error(
            "E0277", f"`{shown}` cannot be {what} between threads safely", span,
            f"`{shown}` cannot be {what} between threads safely", help=help_))
        return True

    def _not_send(self, ty: t.Ty, seen: set[str]) -> tuple[str, t.Ty] | None:
        """Why `ty` is not `Send`: ("sent", the culprit) or ("shared", what an `Arc` or a
        reference inside shares)."""
        match ty:
            case t.Adt(name) if name in _NOT_SEND:
                return "sent", ty
            case t.Adt("Arc", (inner,)):
                shared = self._not_sync(inner, seen)
                return ("shared", shared) if shared is not None else self._not_send(inner, seen)
            case t.Ref(inner, _):
                shared = self._not_sync(inner, seen)
                return ("shared", shared) if shared is not None else None
            case t.Adt(name, args):
                for a in (*args, *self._fields(name, args, seen)):
                    found = self._not_send(self.u.resolve(a), seen)
                    if found is not None:
                        return found
            case t.Tuple(elems):
                for a in elems:
                    found = self._not_send(a, seen)
                    if found is not None:
                        return found
            case t.Array(elem, _) | t.Slice(elem):
                return self._not_send(elem, seen)
        return None

    def _not_sync(self, ty: t.Ty, seen: set[str]) -> t.Ty | None:
        match ty:
            case t.Adt(name, args) if (name in _NOT_SYNC or name in _NOT_SEND) and \
                    not self.env.is_package_type(name, args):  # (a package's own `Cell`)
                return ty
            case t.Adt("Mutex", _):
                return None
            case t.Adt(name, args):
                for a in (*args, *self._fields(name, args, seen)):
                    found = self._not_sync(self.u.resolve(a), seen)
                    if found is not None:
                        return found
        return None

    def _fields(self, name: str, args: tuple[t.Ty, ...], seen: set[str]) -> list[t.Ty]:
        """The field types of a user struct or enum (each type visited once: recursive
        types end)."""
        if name in seen:
            return []
        seen.add(name)
        if name in self.env.structs:
            info = self.env.structs[name]
            subst = dict(zip(info.generics, args, strict=False))
            return [t.substitute(f.ty, subst) for f in info.fields]
        if name in self.env.enums:
            enum = self.env.enums[name]
            subst = dict(zip(enum.generics, args, strict=False))
            return [t.substitute(f.ty, subst) for v in enum.variants for f in v.fields]
        return []


_TRAIT: Final = {"sent": "Send", "shared": "Sync"}
