"""Closures passed to Go where it expects a func (`mux.HandleFunc("/", |w, r| ..)`,
`wg.Go(|| ..)`, `http::HandlerFunc(closure)`).

Go may keep such a func and call it later, any number of times, from several goroutines at
once (net/http serves each request on its own goroutine). Rust requires the same of a
callback that can do that: `impl Fn(..) + Send + Sync + 'static`. So a Gust closure given to
Go is checked as if the Go parameter were that bound:

* `Fn`: its body may not assign to a capture nor borrow one mutably (the borrow checker
  reports E0594/E0596 "as it is a captured variable in a `Fn` closure", reading
  `ClosureInfo.required`), nor move one out (E0507); a closure value of another call trait
  is E0525;
* `Send + Sync`: what it captures may not be an `Rc`, a `RefCell` (or contain one): E0277
  "cannot be sent/shared between threads safely";
* `'static`: it may not borrow a local (E0373 from the borrow checker, which sees the
  closures listed in `BodyResults.static_closures`).

Shared state goes through `Arc<Mutex<T>>`, as in Rust.

The exception: Go functions that call the func only before they return, on the caller's
goroutine (`sort::Search`, `slices::SortFunc`, `strings::FieldsFunc`:
`golang.calls_back_now`). Their closure is checked as Rust checks `sort_by`'s, an
`impl FnMut(..)` argument: it may borrow locals, mutate its captures and capture what is
not `Send`; only moving out of a capture is refused (E0507), since Go may call it again.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Final

import mypy_extensions

from gust import diagnostics as d
from gust.sema import types as t
from gust.sema.check.base import CheckerBase
from gust.sema.check.stdlib import defaulted, not_send, not_sync
from gust.sema.golang import go_named_func
from gust.syntax import ast
from gust.text import Span

# Go packages that read and write a value's fields by reflection, which sees only exported
# fields (a Gust struct's `pub` ones, gust.codegen.package_names).
_REFLECTING: Final = frozenset({"encoding/json", "encoding/xml"})

_GO_NOTE: Final = ("a closure passed to Go must be `Fn + Send + Sync + 'static`: Go may keep it and "
            "call it from several goroutines at once")


@mypy_extensions.trait
class GoCallbacks(CheckerBase):
    def check_go_callbacks(self, args: Sequence[ast.Expr], params: Sequence[t.Ty],
                           callee_span: Span, now: bool = False) -> None:
        """Each closure among the arguments of a Go call whose parameter is a func (`now`:
        the callee calls it only during the call)."""
        if params and len(args) > len(params):
            params = [*params, *[params[-1]] * (len(args) - len(params))]  # variadic
        for arg, param in zip(args, params, strict=False):
            if not isinstance(self.u.shallow(param), t.FnPtr) and \
                    go_named_func(self.env.go_packages, self.u.shallow(param)) is None:
                continue
            found = self._closure_of(arg)
            if found is not None and now:
                self._check_callback_now(arg, *found, callee_span)
            elif found is not None:
                self._check_go_callback(arg, *found, callee_span)

    def check_go_reflected(self, package: str, args: Sequence[ast.Expr]) -> None:
        """A warning for a Gust struct given to encoding/json (or xml) with no field Go can
        see: it would be read and written as `{}`, silently."""
        if package not in _REFLECTING:
            return
        for arg in args:
            hidden = self._hidden_struct(self.u.resolve(self.results.type_of(arg)), 0)
            if hidden is not None:
                short = package.rsplit("/", 1)[-1]
                self.diags.append(d.warning(
                    None, f"`{hidden}` has no `pub` field: Go's {package} will see none of "
                    "its fields", arg.span, f"{short} leaves out every field of `{hidden}`",
                    help=("make the fields it should see `pub` (their Gust names are the "
                          "keys: `pub user_id` is \"user_id\")",)))

    def _hidden_struct(self, ty: t.Ty, depth: int) -> str | None:
        """A struct inside `ty` (through references, boxes, `Vec`s, `Option`s, map values)
        whose fields are all unexported in Go."""
        if depth > 8:
            return None
        if isinstance(ty, t.Ref):
            return self._hidden_struct(ty.inner, depth + 1)
        if isinstance(ty, (t.Slice, t.Array)):
            return self._hidden_struct(ty.elem, depth + 1)
        if not isinstance(ty, t.Adt):
            return None
        if ty.name in ("Box", "Vec", "Option", "HashMap", "BTreeMap") and ty.args:
            return self._hidden_struct(ty.args[-1], depth + 1)
        info = self.env.structs.get(ty.name)
        if info is None:
            return None
        named = [f for f in info.fields if f.name is not None]
        if named and not any(f.is_pub or f.name[:1].isupper() for f in named
                             if f.name is not None):
            return ty.name.rsplit("::", 1)[-1]
        return None

    def _closure_of(self, arg: ast.Expr) -> tuple[ast.Closure, t.Closure, bool] | None:
        """The closure expression an argument is, or was bound from (`let f = |..| ..;
        mux.HandleFunc("/", f)`), with its type, and whether it is written in the call."""
        while isinstance(arg, ast.Paren):
            arg = arg.inner
        ty = self.u.shallow(self.results.type_of(arg))
        if not isinstance(ty, t.Closure):
            return None
        if isinstance(arg, ast.Closure):
            return arg, ty, True
        node = next((c for c in self.results.closures if c.span.start == ty.id), None)
        return (node, ty, False) if node is not None else None

    def _check_go_callback(self, arg: ast.Expr, closure: ast.Closure, ty: t.Closure,
                           written_here: bool, callee_span: Span) -> None:
        info = self.results.closures.get(closure)
        if info is None or not self._require_kind(arg, closure, ty, written_here,
                                                  callee_span, "Fn"):
            return
        for cap in info.captures:
            local_ty = defaulted(self.u.resolve(self.results.locals[cap.local].ty))
            stored = local_ty if cap.mode == "move" else t.Ref(local_ty, cap.mode == "mut")
            problem = _not_send_sync(stored, self)
            if problem is not None:
                self.diags.append(self._not_thread_safe(closure, callee_span, stored, *problem))
                return
        # Borrowed captures must outlive the call: the borrow checker reports E0373.
        self.results.static_closures.add(closure)

    def _check_callback_now(self, arg: ast.Expr, closure: ast.Closure, ty: t.Closure,
                            written_here: bool, callee_span: Span) -> None:
        """A closure for a Go function that calls it during the call: `impl FnMut(..)`."""
        self._require_kind(arg, closure, ty, written_here, callee_span, "FnMut")

    def _require_kind(self, arg: ast.Expr, closure: ast.Closure, ty: t.Closure,
                      written_here: bool, callee_span: Span, trait: str) -> bool:
        """Whether the closure can be the `trait` (`Fn`, `FnMut`) the Go function needs.
        Written in the call, its body is checked as one (E0594, E0596, E0507); bound
        earlier, it must already be one (E0525)."""
        info = self.results.closures.get(closure)
        if info is None:
            return False
        if written_here:
            if info.required is None or \
                    t.CLOSURE_KINDS.index(trait) < t.CLOSURE_KINDS.index(info.required):
                self.results.closures[closure] = replace(info, required=trait)
            self._moves_out_of_fn(closure, trait)
            return True
        if not t.closure_implements(ty.kind, trait):
            self.diags.append(self._not_fn(closure, ty.kind, arg.span, callee_span, trait))
            return False
        return True

    def _moves_out_of_fn(self, closure: ast.Closure, trait: str = "Fn") -> None:
        info = self.results.closures.get(closure)
        if info is None or info.kind != "FnOnce" or info.moved is None:
            return
        local, span = info.moved
        name = self.results.locals[local].name
        self.diags.append(d.error(
            "E0507", f"cannot move out of `{name}`, a captured variable in an `{trait}` "
            "closure", span, "move occurs because it has a type which does not implement "
            "the `Copy` trait"))

    def _not_fn(self, closure: ast.Closure, kind: str, arg_span: Span, callee_span: Span,
                trait: str = "Fn") -> d.Diagnostic:
        """E0525 for a closure bound earlier (`let f = move || n += 1;`) and passed to Go."""
        head = Span(closure.span.start, closure.head_span.end) \
            if closure.head_span is not None else closure.span
        return d.error(
            "E0525", f"expected a closure that implements the `{trait}` trait, but this "
            f"closure only implements `{kind}`", head,
            f"this closure implements `{kind}`, not `{trait}`",
            labels=(d.Label(arg_span, f"the requirement to implement `{trait}` derives from "
                            "here"),
                    d.Label(callee_span, "required by a bound introduced by this call")),
            notes=(_GO_NOTE,) if trait == "Fn" else ())

    def _not_thread_safe(self, closure: ast.Closure, callee_span: Span, captured: t.Ty,
                         trait: str, inner: t.Ty) -> d.Diagnostic:
        """E0277 in rustc's shape for `fn serve(f: impl Fn() + Send + Sync + 'static)`."""
        shown = self.show(inner)
        what = "sent" if trait == "Send" else "shared"
        notes: list[str] = []
        if isinstance(captured, t.Adt) and captured.name == "Arc" and captured != inner:
            notes.append(f"required for `{self.show(captured)}` to implement `Send`")
        elif captured != inner and not isinstance(captured, t.Ref):
            notes.append(f"required because it appears within the type `{self.show(captured)}`")
        notes += ["required because it's used within this closure", _GO_NOTE]
        return d.error(
            "E0277", f"`{shown}` cannot be {what} between threads safely", closure.span,
            f"`{shown}` cannot be {what} between threads safely",
            labels=(d.Label(callee_span, "required by a bound introduced by this call"),),
            help=(f"the trait `{trait}` is not implemented for `{shown}`",),
            notes=tuple(notes))


def _not_send_sync(ty: t.Ty, checker: CheckerBase) -> tuple[str, t.Ty] | None:
    """The trait a captured value of type `ty` misses, first `Send` then `Sync` (as rustc
    reports them), with the culprit inside it (`Rc<i32>`, `RefCell<Vec<i32>>`)."""
    problem = not_send(ty, checker.env)
    if problem is not None:
        what, inner = problem
        return ("Send" if what == "sent" else "Sync"), inner
    inner_ty = ty.inner if isinstance(ty, t.Ref) else ty
    shared = not_sync(inner_ty, checker.env)
    return ("Sync", shared) if shared is not None else None
