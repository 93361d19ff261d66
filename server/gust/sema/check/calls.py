"""Calls and method calls: arguments, method probing with auto-ref and auto-deref."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Final

import mypy_extensions

from gust import diagnostics as d
from gust.sema import builtins, traits
from gust.sema import types as t
from gust.sema.check.generics import Generics
from gust.sema.check.util import (
    OPERATOR_METHOD_TRAITS,
    OPERATOR_METHODS,
    has_error,
    plural,
)
from gust.sema.golang import (
    calls_back_now,
    go_func_type,
    go_named_func,
    gust_method_signature,
    split_go_type_name,
)
from gust.sema.infer import Unifier
from gust.sema.items import Bound
from gust.sema.names import similar_name
from gust.sema.results import (
    AssocFnRes,
    FnRes,
    GoRes,
    LocalRes,
    MethodRes,
    StructRes,
    VariantRes,
)
from gust.syntax import ast
from gust.text import Span

# `Ord`/`PartialOrd` methods of types that have them: (self kind, parameters, result).
_ORDER_METHODS: Final[dict[str, tuple[str, tuple[str, ...], str]]] = {
    "cmp": ("ref", ("&Self",), "Ordering"),
    "partial_cmp": ("ref", ("&Self",), "Option<Ordering>"),
    "max": ("value", ("Self",), "Self"),
    "min": ("value", ("Self",), "Self"),
    "clamp": ("value", ("Self", "Self"), "Self"),
}
# Std generic types without `Deref` as rustc's E0599 names them: with their declared
# parameters, an allocator's included (types that dereference are named as they are).
_STD_GENERIC_NAMES: Final = {
    "Option": "Option<T>", "Result": "Result<T, E>", "RefCell": "RefCell<T>",
    "Cell": "Cell<T>",
    "HashMap": "std::collections::HashMap<K, V, S, A>",
    "HashSet": "std::collections::HashSet<T, S, A>",
    "VecDeque": "std::collections::VecDeque<T, A>",
    "BTreeMap": "std::collections::BTreeMap<K, V, A>",
    "BTreeSet": "std::collections::BTreeSet<T, A>",
    "BinaryHeap": "std::collections::BinaryHeap<T, A>",
    "Range": "std::ops::Range<Idx>", "RangeInclusive": "std::ops::RangeInclusive<Idx>",
}
# `PartialEq`'s and `PartialOrd`'s methods that mirror an operator (`a.eq(&b)` is `a == b`),
# with the trait each needs.
_OPERATOR_METHODS: Final[dict[str, str]] = {
    "eq": "PartialEq", "ne": "PartialEq",
    "lt": "PartialOrd", "le": "PartialOrd", "gt": "PartialOrd", "ge": "PartialOrd",
}

# The methods of the integers' and floats' tables that are trait methods (`Ord`'s,
# `PartialOrd`'s): rustc finds them on a number whose type is not chosen yet.
_NUMERIC_TRAIT_METHODS: Final[dict[str, frozenset[str]]] = {
    "int": frozenset({"cmp", "partial_cmp", "max", "min", "clamp"}),
    "float": frozenset({"partial_cmp"}),
}


@mypy_extensions.trait
class Calls(Generics):
    # ---------------------------------------------------------------- calls

    def _expr_Call(self, e: ast.Call, expected: t.Ty | None) -> t.Ty:
        std_trait = self.std_trait_call(e)
        if std_trait is not None:
            return std_trait
        self.callee_path = e.callee if isinstance(e.callee, ast.PathExpr) else None
        callee_ty = self.u.shallow(self.check_expr(e.callee, None))
        self.callee_path = None
        while isinstance(callee_ty, t.Ref) and isinstance(
                self.u.shallow(callee_ty.inner), (t.FnPtr, t.Closure, t.Ref)):
            callee_ty = self.u.shallow(callee_ty.inner)  # `f(x)` with `f: &fn(i32)`
        if isinstance(callee_ty, t.Error):
            for a in e.args:
                self.check_expr(a, None)
            return t.ERROR
        if isinstance(callee_ty, t.Closure):
            return self.call_closure(e, callee_ty)
        go_fn = go_func_type(self.env.go_packages, callee_ty)
        if go_fn is not None:
            callee_ty = go_fn  # a Go func value: `cancel()` of a `context.CancelFunc`
        bounded = self.callable_bound(callee_ty)
        if bounded is not None:
            # `f(x)` where `f: F` and `F: Fn(i32) -> i32`: called through its bound.
            return self.call_closure(e, bounded)
        if not isinstance(callee_ty, t.FnPtr):
            self.diags.append(d.error("E0618", f"expected function, found `{self.show(callee_ty)}`",
                                      e.callee.span, "call expression requires function"))
            for a in e.args:
                self.check_expr(a, None)
            return t.ERROR
        what = "function"
        res = self.results.paths.get(e.callee) if isinstance(e.callee, ast.PathExpr) else None
        if isinstance(res, VariantRes):
            what = "enum variant"
        elif isinstance(res, StructRes):
            what = "struct"
        if isinstance(res, GoRes):
            return self._go_call(e, res, callee_ty)
        if isinstance(res, FnRes) and res.name in self.env.fns and \
                self.env.fns[res.name].unknown_params:
            for a in e.args:
                self.check_expr(a, None)
            return callee_ty.ret
        if isinstance(res, AssocFnRes) and res.builtin and \
                (res.owner, res.name) == ("array", "from_fn"):
            return self._array_from_fn(e, callee_ty, expected)
        if expected is not None and t.contains_infer(callee_ty.ret) and \
                not _mentions_dyn(self.u.resolve(expected)):
            # Let the expected result guide inference of generic constructors (`Vec::new()`);
            # not towards `dyn Trait`, which a value reaches by an unsizing coercion.
            self.u.unify(callee_ty.ret, expected)
        boxed = self._boxed_closure_sig(res, e, expected)
        if boxed is not None:
            # `Box::new(|x| x + 1)` where a `Box<dyn Fn(i32) -> i32>` is expected: the
            # closure's parameters come from the `dyn Fn` (rustc's expectation).
            self.u.unify(callee_ty.params[0], self.check_expr(e.args[0], boxed))
            return callee_ty.ret
        self.check_args(e.args, callee_ty.params, e, what, e.callee.span)
        self.point_at_args(e.args, callee_ty.params, e.callee.span)
        if isinstance(res, AssocFnRes) and res.builtin and (res.owner, res.name) == (
                "thread", "spawn"):
            self.check_spawn(e)
        elif isinstance(res, AssocFnRes) and res.builtin and (res.owner, res.name) == (
                "go", "spawn"):
            self.check_go_spawn(e)
        self.settle_obligations()
        return callee_ty.ret

    def _array_from_fn(self, e: ast.Call, fn: t.FnPtr, expected: t.Ty | None) -> t.Ty:
        """`std::array::from_fn(|i| ..)`: an array of the closure's results for the indices
        `0..N`. `N` is a const parameter: the expected type gives it (an annotation, the
        return type, a parameter's type), else a later use of the value, checked at the end
        of the body (E0284 when nothing does, as rustc says it)."""
        assert isinstance(fn.ret, t.Slice)  # (`[T]`: the array's placeholder, STD_FNS)
        elem = fn.ret.elem
        want = self.u.shallow(expected) if expected is not None else None
        result: t.Ty
        if isinstance(want, t.Array):
            self.u.unify(elem, want.elem)  # the closure's result type, as rustc infers it
            result = t.Array(elem, want.length)
        else:
            result = self.u.fresh()
            self.deferred.append(lambda: self._array_length_known(e, result, elem))
        self.check_args(e.args, fn.params, e, "function", e.callee.span)
        self.point_at_args(e.args, fn.params, e.callee.span)
        self.settle_obligations()
        return result

    def _array_length_known(self, e: ast.Call, result: t.Ty, elem: t.Ty) -> None:
        """The end of the body: a later use gave `from_fn`'s array its length, or E0284."""
        known = self.u.shallow(result)
        if isinstance(known, t.Array):
            if not self.u.unify(known.elem, elem):
                self.mismatch(known.elem, elem, e.span)
            return
        if isinstance(known, t.Error):
            return
        shown = t.spell(self.u.default(elem)).replace("{integer}", "_")
        self.diags.append(d.error(
            "E0284", f"type annotations needed for `[{shown}; _]`", e.span,
            "type must be known at this point",
            help=("consider giving the array an explicit type, where the value of const "
                  "parameter `N` is specified: `let a: [_; N] = ..`",)))
        if isinstance(known, t.Infer):
            self.u.force(known, t.ERROR)  # reported: no E0282 for the binding holding it

    def _go_call(self, e: ast.Call, res: GoRes, fn: t.FnPtr) -> t.Ty:
        """A call of a Go function or conversion: any closure is a Go func."""
        func = self.env.go_packages[res.package].func(res.name) if res.kind == "func" \
            else None
        self.go_call_depth += 1
        try:
            fn = t.FnPtr(self._go_closure_params(e.args, fn.params), fn.ret)
            if func is not None and func.variadic:
                ret = self._variadic_call(e, fn)
            else:
                self.check_args(e.args, fn.params, e, "function", e.callee.span)
                self.point_at_args(e.args, fn.params, e.callee.span)
                self.settle_obligations()
                ret = fn.ret
        finally:
            self.go_call_depth -= 1
        self.check_go_callbacks(e.args, fn.params, e.callee.span,
                                res.kind == "func" and calls_back_now(res.package, res.name))
        self.check_go_reflected(res.package, e.args)
        return ret

    def _boxed_closure_sig(self, res: object, e: ast.Call, expected: t.Ty | None
                           ) -> t.Dyn | None:
        """The `dyn Fn(..)` a `Box::new(closure)` is expected to become, if any."""
        if not (isinstance(res, AssocFnRes) and res.builtin and
                (res.owner, res.name) == ("Box", "new") and len(e.args) == 1 and
                isinstance(e.args[0], ast.Closure) and expected is not None):
            return None
        exp = self.u.shallow(expected)
        if isinstance(exp, t.Adt) and exp.name == "Box" and exp.args:
            inner = self.u.shallow(exp.args[0])
            if isinstance(inner, t.Dyn) and inner.call is not None:
                return inner
        return None

    def _go_closure_params(self, args: Sequence[ast.Expr], params: Sequence[t.Ty]
                           ) -> tuple[t.Ty, ...]:
        """A closure written for a Go named func type (`fs.WalkDirFunc`) is checked against
        that func type, so that its parameters' types are inferred as for a plain one."""
        out = list(params)
        for i, (arg, param) in enumerate(zip(args, params, strict=False)):
            if isinstance(arg, ast.Closure):
                fn = go_named_func(self.env.go_packages, self.u.shallow(param))
                if fn is not None:
                    out[i] = fn
        return tuple(out)

    def _variadic_call(self, e: ast.Call, fn: t.FnPtr) -> t.Ty:
        """A call of a variadic Go function (`fmt::Println(a, b)`): the last parameter
        repeats, zero or more times."""
        fixed = fn.params[:-1]
        if len(e.args) < len(fixed):
            self.check_args(e.args, fixed, e, "function", e.callee.span)
            return fn.ret
        repeated = [fn.params[-1]] * (len(e.args) - len(fixed))
        self.check_args(e.args, (*fixed, *repeated), e, "function", e.callee.span)
        return fn.ret

    def check_args(self, args: Sequence[ast.Expr], params: Sequence[t.Ty], call: ast.Expr,
                   what: str, callee_span: Span) -> None:
        if len(args) != len(params):
            self.diags.append(self._arg_count_error(args, params, call, what, callee_span))
        name = call.name if isinstance(call, ast.MethodCall) else what
        mismatched: list[d.Diagnostic] = []
        for i, arg in enumerate(args):
            if i < len(params):
                mark = len(self.diags)
                self.check_arg(arg, params[i], name)
                mismatched += [diag for diag in self.diags[mark:]
                               if diag.code == "E0308" and diag.span == arg.span]
            else:
                self.check_expr(arg, None)
        if mismatched and len(args) != len(params):
            # rustc's E0061 stands for the call: the arguments it could not match to a
            # parameter are not reported again (`two("x")`: no E0308 for `"x"`).
            gone = {id(diag) for diag in mismatched}
            self.diags[:] = [diag for diag in self.diags if id(diag) not in gone]
        elif len(mismatched) > 1:
            self._group_mismatches(mismatched, what, callee_span)
        elif len(mismatched) == 1:
            # One: rustc's "mismatched types" at the argument, the callee labelled.
            i = next(i for i, diag in enumerate(self.diags) if diag is mismatched[0])
            self.diags[i] = replace(mismatched[0], labels=(
                *mismatched[0].labels,
                d.Label(callee_span, f"arguments to this {what} are incorrect")))

    def _group_mismatches(self, mismatched: list[d.Diagnostic], what: str,
                          callee_span: Span) -> None:
        """Several arguments of one call of the wrong type: rustc reports one E0308 at the
        callee ("arguments to this function are incorrect") with a label per argument."""
        gone = {id(diag) for diag in mismatched}
        at = next(i for i, diag in enumerate(self.diags) if id(diag) in gone)
        self.diags[:] = [diag for diag in self.diags if id(diag) not in gone]
        labels = tuple(d.Label(diag.span, diag.label or "mismatched type")
                       for diag in mismatched)
        self.diags.insert(at, d.error("E0308", f"arguments to this {what} are incorrect",
                                      callee_span, labels=labels))

    def _arg_count_error(self, args: Sequence[ast.Expr], params: Sequence[t.Ty],
                         call: ast.Expr, what: str, callee_span: Span) -> d.Diagnostic:
        n, m = len(params), len(args)
        code = "E0061"

        def noun(k: int) -> str:
            return plural(k, "argument")

        verb = "was" if m == 1 else "were"
        if m < n:
            missing = ", ".join(f"`{self.show(p)}`" for p in params[m:])
            label = f"argument{'s' if n - m > 1 else ''} {missing} " \
                f"{'is' if n - m == 1 else 'are'} missing" if n - m <= 3 else ""
            label = f"an argument of type {missing} is missing" if n - m == 1 else label
        else:
            label = f"unexpected argument{'s' if m - n > 1 else ''}"
        kind = "this method" if what == "method" else f"this {what}"
        return d.error(code, f"{kind} takes {noun(n)} but {noun(m)} {verb} supplied",
                       callee_span, label or None)

    def _get_range(self, e: ast.MethodCall, owner: str, params: tuple[t.Ty, ...], ret: t.Ty
                   ) -> tuple[tuple[t.Ty, ...], t.Ty]:
        """`v.get(1..3)`, `s.get(..n)`: with a range (written in the call), a slice or
        `str` of those elements, `None` when the range is out of bounds (or, for a `str`,
        not at character boundaries); a `str` takes nothing but a range (E0277)."""
        arg = e.args[0]
        while isinstance(arg, ast.Paren):
            arg = arg.inner
        rng = t.Adt("RangeInclusive" if arg.inclusive else "Range", (t.USIZE,)) \
            if isinstance(arg, ast.Range) else self._held_range(arg)
        if rng is None:
            # (a `str`'s: E0277 once the argument is checked, `_str_index_error`)
            return ((self.u.fresh(),) if owner == "str" else params), ret
        if owner == "str":
            return (rng,), ret
        opt = self.u.resolve(ret)
        elem = opt.args[0] if isinstance(opt, t.Adt) and opt.args else t.ERROR
        if isinstance(elem, t.Ref):
            return (rng,), t.Adt("Option", (t.Ref(t.Slice(elem.inner), elem.mutable),))
        return params, ret

    def _held_range(self, arg: ast.Expr) -> t.Adt | None:
        """The range type of a range held in a place (`let r = 1..3; v.get(r)`,
        `v.get(page.window.clone())`), of `usize`s as `get` takes them; None for any other
        argument."""
        held = self._place_type(arg)
        if not (isinstance(held, t.Adt) and held.name in ("Range", "RangeInclusive")):
            return None
        return t.Adt(held.name, (t.USIZE,))

    def _place_type(self, e: ast.Expr) -> t.Ty | None:
        """The type of a local, a field of one (through references) or a `clone()` of
        either, found before the expression is checked (names looked up as checking will);
        None for any other expression."""
        match e:
            case ast.Paren(inner=inner):
                return self._place_type(inner)
            case ast.PathExpr(path=path) if len(path.segments) == 1:
                local = self.lookup_local(path.names[0])
                return self.u.shallow(self.results.locals[local].ty) \
                    if local is not None else None
            case ast.MethodCall(receiver=receiver, name="clone", args=()):
                return self._place_type(receiver)
            case ast.Field(base=base, name=name):
                owner = self._place_type(base)
                while isinstance(owner, t.Ref):
                    owner = self.u.shallow(owner.inner)
                if not (isinstance(owner, t.Adt) and owner.name in self.env.structs):
                    return None
                info = self.env.structs[owner.name]
                index = info.field_index(name)
                if index is None:
                    return None
                subst = dict(zip(info.generics, owner.args, strict=False))
                return self.u.shallow(t.substitute(info.fields[index].ty, subst))
        return None

    def _str_index_error(self, arg: ast.Expr) -> None:
        """`s.get(1)`: a `str` is indexed by ranges only (rustc's E0277)."""
        inner = arg
        while isinstance(inner, ast.Paren):
            inner = inner.inner
        if isinstance(inner, ast.Range) or self._held_range(inner) is not None:
            return
        ty = self.u.resolve(self.results.type_of(arg))
        if has_error(ty):
            return
        shown = self.show(ty)
        self.diags.append(d.error(
            "E0277", f"the type `str` cannot be indexed by `{shown}`", arg.span,
            "string indices are ranges of `usize`"))

    def _expr_MethodCall(self, e: ast.MethodCall, expected: t.Ty | None) -> t.Ty:
        recv_ty = self.check_expr(e.receiver, None)
        if self.unknown_receiver(e.receiver, recv_ty):
            for a in e.args:
                self.check_expr(a, t.ERROR)
            return t.ERROR
        self.method_generics, self.method_generics_span = e.generics, e.name_span
        self.method_written = {}
        try:
            found = self.lookup_method(recv_ty, e.name, e.name_span)
        finally:
            self.method_generics = ()
        if self.method_written:
            self.results.method_turbofish[e] = self.method_written
        if found is None and e.name == "into":
            return self.into_call(e, recv_ty, expected)
        if found is None and e.name == "try_into":
            return self.try_into_call(e, recv_ty, expected)
        if found is None and e.name == "source" and not e.args:
            source = self._error_source(e, recv_ty)
            if source is not None:
                return source
        operator = found is None and e.name in OPERATOR_METHODS and \
            len(e.args) == (0 if e.name in ("neg", "not") else 1) and \
            self.has_operator(_derefed(self.u, recv_ty), OPERATOR_METHOD_TRAITS[e.name])
        if operator and self._operator_trait_usable(recv_ty, OPERATOR_METHOD_TRAITS[e.name]):
            return self._operator_call(e, recv_ty)
        if found is None:
            for a in e.args:
                # Nothing is known of the parameters: closures get `{error}` ones.
                self.check_expr(a, t.ERROR)
            if e.name == "drop" and not e.args and self._has_drop(recv_ty):
                self.diags.append(d.error(
                    "E0040", "explicit use of destructor method", e.name_span,
                    "explicit destructor calls not allowed",
                    help=("consider using `drop` function: `drop(x)`",)))
            elif operator:
                self.diags.append(self._operator_trait_not_imported(recv_ty, e))
            elif not has_error(self.u.resolve(recv_ty)):
                self.diags.append(self._no_method(recv_ty, e))
            return t.ERROR
        if self._ambiguous_numeric(e, recv_ty, found[0]):
            for a in e.args:
                self.check_expr(a, t.ERROR)
            return t.ERROR
        res, params, ret = found
        if res.self_kind == "ref_mut":
            self._mut_through_deref(e, recv_ty, res.derefs)
        self.results.methods[e] = res
        self.check_method_visible(res.owner, e.name, e.name_span, "method")
        if res.builtin:
            params, ret = self.instantiate_method(params, ret)
            self._through_shared(e, res, recv_ty)
            if e.name in ("get", "get_mut") and res.owner in ("Vec", "slice", "str") and \
                    len(e.args) == 1:
                params, ret = self._get_range(e, res.owner, params, ret)
            if (res.owner, e.name) == ("String", "replace_range") and e.args and \
                    isinstance(e.args[0], ast.Range):
                rng = t.Adt("RangeInclusive" if e.args[0].inclusive else "Range", (t.USIZE,))
                params = (rng, *params[1:])
        key_known = self.key_known(e, res, recv_ty)
        unmet = key_known and self.check_key_bounds(e, res, recv_ty, before_args=True)
        if expected is not None and t.contains_infer(self.u.resolve(ret)) and \
                e.name not in ("collect", "sum", "product"):
            self.u.unify(ret, expected)
        go_method = res.owner.startswith("go:")
        if go_method:
            params = self._go_closure_params(e.args, params)
        self.go_call_depth += go_method
        self.check_args(e.args, params, e, "method", e.name_span)
        self.go_call_depth -= go_method
        if go_method:
            self.check_go_callbacks(e.args, params, e.name_span)
            owner = split_go_type_name(res.owner)
            if owner is not None:
                self.check_go_reflected(owner[0], e.args)
        self._check_method_requirements(e, res, recv_ty)
        if res.builtin and res.owner == "str" and e.name == "get" and len(e.args) == 1:
            self._str_index_error(e.args[0])
        if not key_known:
            self.check_key_bounds(e, res, recv_ty, before_args=False)
        if res.builtin:
            ret = self.std_method_result(e, res, recv_ty, ret, expected)
        self.settle_obligations()
        return t.ERROR if unmet else ret

    def _has_drop(self, ty: t.Ty) -> bool:
        """Whether `ty` (through references) has a package `impl Drop`."""
        ty = self.u.resolve(ty)
        while isinstance(ty, t.Ref):
            ty = ty.inner
        return isinstance(ty, t.Adt) and traits.impl_for(ty, "Drop", self.env) is not None

    def _mut_through_deref(self, e: ast.MethodCall, recv_ty: t.Ty, derefs: int) -> None:
        """A `&mut self` method reached through a package type's `impl Deref` needs its
        `impl DerefMut` (E0596, as rustc)."""
        ty = self.u.shallow(recv_ty)
        for _ in range(derefs):
            if isinstance(ty, t.Ref):
                ty = self.u.shallow(ty.inner)
                continue
            target = self.user_deref(ty)
            if target is None:
                return
            if traits.impl_for(self.u.resolve(ty), "DerefMut", self.env,
                               self.assumptions) is None:
                shown = self.show(ty)
                self.diags.append(d.error(
                    "E0596", f"cannot borrow data in dereference of `{shown}` as mutable",
                    e.receiver.span, "cannot borrow as mutable",
                    help=(f"trait `DerefMut` is required to modify through a dereference, "
                          f"but it is not implemented for `{shown}`",)))
                return
            ty = self.u.shallow(target)

    def unknown_receiver(self, receiver: ast.Expr, recv_ty: t.Ty) -> bool:
        """A method called on a value whose type is not known yet (`let v = it.collect();
        v.len()`): rustc's E0282 "type must be known at this point", at the binding when the
        receiver is a local. The type becomes `{error}`, so nothing else is reported."""
        ty = self.u.shallow(recv_ty)
        while isinstance(ty, t.Ref):
            ty = self.u.shallow(ty.inner)
        if not (isinstance(ty, t.Infer) and ty.kind == "any"):
            return False
        local = self.local_of(receiver)
        if local is not None:
            name = self.results.locals[local].name
            self.diags.append(d.error(
                "E0282", "type annotations needed", self.results.locals[local].span, "",
                labels=(d.Label(receiver.span, "type must be known at this point"),),
                help=(f"consider giving `{name}` an explicit type",)))
        else:
            self.diags.append(d.error("E0282", "type annotations needed", receiver.span,
                                      "type must be known at this point"))
        self.u.force(ty, t.ERROR)
        return True

    def _ambiguous_numeric(self, e: ast.MethodCall, recv_ty: t.Ty, res: MethodRes) -> bool:
        """rustc's E0689: an inherent method of the numbers (`pow`, `sqrt`, `abs`) called on
        a literal or binding whose type is still `{integer}` or `{float}` (`2.pow(2)`): the
        method depends on the type, which nothing has chosen yet. Trait methods (`2.max(3)`,
        `Ord`'s; `to_string`) are found for any integer type, so they are not ambiguous."""
        ty = self.u.shallow(recv_ty)
        if not (isinstance(ty, t.Infer) and ty.kind in ("int", "float") and res.builtin and
                res.owner in ("int", "float") and res.derefs == 0) or \
                e.name in _NUMERIC_TRAIT_METHODS[res.owner]:
            return False
        self.diags.append(self._ambiguous_numeric_error(e, ty))
        return True

    def _ambiguous_numeric_error(self, e: ast.MethodCall, ty: t.Infer) -> d.Diagnostic:
        """E0689 for `e`, whose receiver is of the numeric inference variable `ty`, with
        rustc's help: a suffix for a literal, a type for a `let` binding."""
        like = "i32" if ty.kind == "int" else "f32"
        help_: tuple[str, ...] = ()
        fixes: tuple[d.Fix, ...] = ()
        literal = e.receiver
        while isinstance(literal, ast.Paren):
            literal = literal.inner
        local = self.local_of(e.receiver)
        if isinstance(literal, ast.Literal):
            help_ = (f"you must specify a concrete type for this numeric value, like `{like}`",)
            at = Span(literal.span.end, literal.span.end)
            fixes = (d.Fix(help_[0], (d.Edit(at, f"_{like}"),)),)
        elif local is not None and self.results.locals[local].kind == "let":
            help_ = (f"you must specify a type for this binding, like `{like}`",)
            at = Span(self.results.locals[local].span.end, self.results.locals[local].span.end)
            fixes = (d.Fix(help_[0], (d.Edit(at, f": {like}"),)),)
        return d.error("E0689", f"can't call method `{e.name}` on ambiguous numeric type `{ty}`",
                       e.name_span, help=help_, fixes=fixes)

    def local_of(self, e: ast.Expr) -> int | None:
        """The local variable `e` names, if it is a plain name."""
        res = self.results.paths.get(e) if isinstance(e, ast.PathExpr) else None
        return res.local if isinstance(res, LocalRes) else None

    def _through_shared(self, e: ast.MethodCall, res: MethodRes, recv_ty: t.Ty) -> None:
        """A `&mut self` method reached by auto-deref through an `Arc` or `Rc`: shared
        ownership gives shared access only (rustc's E0596)."""
        if res.self_kind != "ref_mut":
            return
        ty = self.u.shallow(recv_ty)
        for _ in range(res.derefs):
            if isinstance(ty, t.Adt) and ty.name in ("Arc", "Rc"):
                self.diags.append(d.error(
                    "E0596", f"cannot borrow data in an `{ty.name}` as mutable", e.receiver.span,
                    "cannot borrow as mutable",
                    help=(f"trait `DerefMut` is required to modify through a dereference, "
                          f"but it is not implemented for `{self.show(ty)}`",)))
                return
            if isinstance(ty, t.Ref):
                ty = self.u.shallow(ty.inner)
            elif isinstance(ty, t.Adt) and ty.args:
                ty = self.u.shallow(ty.args[0])

    def _check_method_requirements(self, e: ast.MethodCall, res: MethodRes,
                                   recv_ty: t.Ty) -> None:
        """The std methods whose element type needs a trait: `sort` and iterator
        `max`/`min` need `Ord`, `contains` needs `PartialEq`."""
        if not res.builtin:
            return
        recv = self.u.resolve(recv_ty)
        while isinstance(recv, t.Ref):
            recv = recv.inner
        if isinstance(recv, t.Adt) and recv.name in ("BTreeMap", "BTreeSet") and \
                e.name == "range" and recv.args and e.args:
            self._sorted_range(e.args[0], recv.args[0])
            return
        elem: t.Ty | None = None
        if isinstance(recv, t.Adt) and recv.args and recv.name in ("Vec", "Iter", "Range",
                                                                   "RangeInclusive"):
            elem = recv.args[0]
        elif isinstance(recv, (t.Array, t.Slice)):
            elem = recv.elem
        if elem is None:
            return
        if recv.name in ("Iter", "Range", "RangeInclusive") if isinstance(recv, t.Adt) \
                else False:
            if e.name in ("max", "min"):
                item = self.u.resolve(elem)
                if isinstance(item, t.Ref):
                    item = item.inner
                self.require(Bound(item, "Ord"), e.name_span)
            elif e.name == "len" and isinstance(recv, t.Adt) and recv.name != "Iter":
                self._range_len(e, recv, self.u.resolve(elem))
            return
        if e.name in ("sort", "binary_search", "sort_unstable"):
            self.require(Bound(elem, "Ord"), e.name_span)
        elif e.name == "is_sorted":
            self.require(Bound(elem, "PartialOrd"), e.name_span)
        elif e.name == "binary_search_by_key" and e.args and e.args[0] in self.results.expr_types:
            key = self.u.resolve(self.results.expr_types[e.args[0]])
            self.require(Bound(key.inner if isinstance(key, t.Ref) else key, "Ord"),
                         e.name_span)
        elif e.name == "contains":
            self.require(Bound(elem, "PartialEq"), e.args[0].span if e.args else e.name_span)
        elif e.name in ("starts_with", "ends_with", "strip_prefix", "strip_suffix"):
            self.require(Bound(elem, "PartialEq"), e.name_span)

    def _error_source(self, e: ast.MethodCall, recv_ty: t.Ty) -> t.Ty | None:
        """`e.source()`, `Error`'s method, of a `dyn Error` (behind references or a `Box`)
        or of a package type that implements `Error` without defining it (std's default:
        `None`): an `Option<&dyn Error>` borrowing the receiver."""
        ty = self.u.shallow(recv_ty)
        derefs = 0
        while isinstance(ty, t.Ref) or (isinstance(ty, t.Adt) and ty.name == "Box" and
                                        ty.args):
            ty = self.u.shallow(ty.inner if isinstance(ty, t.Ref) else ty.args[0])
            derefs += 1
        if not ((isinstance(ty, t.Dyn) and "Error" in ty.traits) or (
                isinstance(ty, t.Adt) and ty.name in self.env.structs | self.env.enums and
                traits.impl_for(ty, "Error", self.env, self.assumptions) is not None)):
            return None
        self.results.methods[e] = MethodRes("Error", "source", True, "ref", "&", derefs)
        return t.Adt("Option", (t.Ref(t.Dyn(("Error",)), False),))

    def has_operator(self, ty: t.Ty, trait: str) -> bool:
        """Whether `ty` has the operator trait's method by name: numbers (and `bool`'s
        logic, `String`'s `add`), a package type with an impl of it, a parameter bounded
        by it."""
        ty = self.u.shallow(ty)
        if isinstance(ty, (t.Int, t.Float)) or (isinstance(ty, t.Infer) and
                                                 ty.kind in ("int", "float")):
            return not (trait in ("BitAnd", "BitOr", "BitXor", "Shl", "Shr", "Not") and
                        (isinstance(ty, t.Float) or getattr(ty, "kind", "") == "float"))
        if isinstance(ty, t.Bool):
            return trait in ("BitAnd", "BitOr", "BitXor", "Not")
        if ty == t.STRING:
            return trait == "Add"
        if isinstance(ty, t.Param):
            return any(b.ty == ty and b.trait == trait for b in self.assumptions)
        return isinstance(ty, t.Adt) and ty.name in self.env.structs | self.env.enums and \
            any(traits.match_ty(impl.self_ty, ty, frozenset(impl.generics), {})
                for impl in self.env.trait_impls(trait))

    def _operator_trait_usable(self, recv_ty: t.Ty, trait: str) -> bool:
        """Whether an operator trait's method (`a.add(b)`) may be called by name: the
        trait is imported (`use std::ops::Add;`), or a bound of a type parameter gives it."""
        return isinstance(self.u.shallow(_derefed(self.u, recv_ty)), t.Param) or \
            self.resolver.std_trait_in_scope(trait)

    def _operator_trait_not_imported(self, recv_ty: t.Ty, e: ast.MethodCall) -> d.Diagnostic:
        """rustc's E0599 for `a.add(b)` without `use std::ops::Add;`: the trait is
        implemented, but only a trait in scope lends its methods."""
        trait = OPERATOR_METHOD_TRAITS[e.name]
        numeric = self.u.shallow(recv_ty)
        if isinstance(numeric, t.Infer):  # `3.neg()`: no method found for some integer
            return self._ambiguous_numeric_error(e, numeric)
        shown = self.show(self.u.resolve(recv_ty))
        kind, named = self._receiver_named(self.u.resolve(recv_ty), shown, e.receiver)
        return d.error(
            "E0599", f"no method named `{e.name}` found for {kind} `{named}` in the current "
            "scope", e.name_span, f"method not found in `{shown}`",
            help=("items from traits can only be used if the trait is in scope",
                  f"trait `{trait}` which provides `{e.name}` is implemented but not in "
                  f"scope; perhaps you want to import it: `use std::ops::{trait};`"))

    def _operator_call(self, e: ast.MethodCall, recv_ty: t.Ty) -> t.Ty:
        """`a.add(b)`, `x.neg()`: the operator expression (`a + b`, `-x`) over the same
        operands, checked as one (`BodyResults.operator_calls`)."""
        op = OPERATOR_METHODS[e.name]
        node: ast.Binary | ast.Unary
        receiver = e.receiver
        shallow = self.u.shallow(recv_ty)
        while isinstance(shallow, t.Ref):
            # `u.mul(3)` with `u: &Usage`: the method probe's deref, `(*u) * 3`
            receiver = ast.Unary("*", receiver, e.receiver.span)
            recv_ty = shallow.inner
            self.results.expr_types[receiver] = recv_ty
            shallow = self.u.shallow(recv_ty)
        if not e.args:
            node = ast.Unary(op, receiver, e.span)
            ty = self.unary_operator(node, recv_ty)
        else:
            lhs = self.u.shallow(recv_ty)
            rhs_expected = lhs if isinstance(lhs, (t.Int, t.Float)) and op not in ("<<", ">>") \
                else None
            rhs = self.check_expr(e.args[0], rhs_expected)
            node = ast.Binary(op, receiver, e.args[0], e.name_span, e.span)
            ty = self.arithmetic(node, recv_ty, rhs)
        self.results.expr_types[node] = ty
        self.results.operator_calls[e] = node
        return ty

    def _range_len(self, e: ast.MethodCall, recv: t.Adt, item: t.Ty) -> None:
        """`r.len()` is `ExactSizeIterator`'s: std implements it for the ranges of integers
        that fit a `usize` on 16-bit targets (`Range<u64>`, `RangeInclusive<i32>` have none)."""
        fits = ("i8", "u8", "i16", "u16") if recv.name == "RangeInclusive" else \
            ("i8", "u8", "i16", "u16", "i32", "u32", "isize", "usize")
        if not isinstance(item, t.Int) or item.kind in fits:
            return
        self.diags.append(d.error(
            "E0599", f"no method named `len` found for struct `std::ops::{recv.name}<Idx>` "
            "in the current scope", e.name_span,
            f"method not found in `{recv.name}<{self.show(item)}>`"))

    def _sorted_range(self, arg: ast.Expr, key: t.Ty) -> None:
        """`m.range(lo..hi)` of a `BTreeMap`/`BTreeSet`: a range of its keys (rustc's
        `RangeBounds<K>`, with `K: Ord` from the map)."""
        found = self.u.resolve(self.results.expr_types.get(arg, t.ERROR))
        if isinstance(found, t.Adt) and found.name in ("Range", "RangeInclusive") and \
                found.args and self.u.unify(found.args[0], key):
            return
        if isinstance(found, t.Tuple) and any(isinstance(b, t.Error) for b in found.elems):
            return  # reported where it is
        if isinstance(found, t.Tuple) and len(found.elems) == 2 and all(
                isinstance(b, t.Adt) and b.name == "Bound" for b in found.elems):
            # `(Excluded(lo), Unbounded)`: `(Bound<K>, Bound<K>)` or `(Bound<&K>, Bound<&K>)`
            lo, hi = (b.args[0] for b in found.elems if isinstance(b, t.Adt))
            if self.u.unify(lo, hi):
                end = self.u.shallow(lo)
                if (isinstance(end, t.Ref) and self.u.unify(end.inner, key)) or \
                        self.u.unify(end, key):
                    return
                found = self.u.resolve(found)
        if not isinstance(found, t.Error):
            shown = f"std::ops::{self.show(found)}" if isinstance(found, t.Adt) and \
                found.name in ("Range", "RangeInclusive") else self.show(found)
            self.diags.append(d.error(
                "E0277", f"the trait bound `{shown}: RangeBounds<{self.show(key)}>` is not "
                "satisfied", arg.span,
                f"the trait `RangeBounds<{self.show(key)}>` is not implemented for `{shown}`"))

    def _order_method(self, ty: t.Ty, owner: str, name: str, derefs: int
                      ) -> tuple[MethodRes, tuple[t.Ty, ...], t.Ty] | None:
        """`Ord`'s and `PartialOrd`'s methods on a package type or a tuple that derives or
        implements them (`a.cmp(&b)`, `a.max(b)`, `x.clamp(lo, hi)`)."""
        if name in _OPERATOR_METHODS:
            return self._operator_method(ty, name, derefs)
        if not isinstance(ty, t.Adt | t.Tuple | t.Param | t.Ref | t.Char | t.Bool) or \
                name not in _ORDER_METHODS:
            return None
        trait = "PartialOrd" if name == "partial_cmp" else "Ord"
        if not self.implements(ty, trait):
            return None
        self_kind, params, ret = _ORDER_METHODS[name]
        params_ty = tuple(t.Ref(ty, False) if p == "&Self" else ty for p in params)
        ret_ty = {"Self": ty, "Ordering": t.Adt("Ordering"),
                  "Option<Ordering>": t.Adt("Option", (t.Adt("Ordering"),))}[ret]
        autoref = "&" if self_kind == "ref" else ""
        return MethodRes(owner, name, True, self_kind, autoref, derefs), params_ty, ret_ty

    def _operator_method(self, ty: t.Ty, name: str, derefs: int
                         ) -> tuple[MethodRes, tuple[t.Ty, ...], t.Ty] | None:
        """`a.eq(&b)`, `a.lt(&b)`, ...: the operator's methods, on a type with the trait
        (the backend writes the operator). The owner names the trait."""
        trait = _OPERATOR_METHODS[name]
        if isinstance(ty, t.Ref | t.Infer) and not (isinstance(ty, t.Infer) and
                                                     ty.kind in ("int", "float")):
            return None
        if isinstance(ty, t.Adt) and ty.name in ("Range", "RangeInclusive"):
            return None  # `Iterator::eq` takes the range by value: rustc's probe finds it first
        if not self.implements(ty, trait):
            return None
        # `String: PartialEq<str>` and `str: PartialEq<String>`: either text on the right.
        other = self.u.fresh() if ty == t.STRING or ty == t.STR else ty
        return MethodRes(trait, name, True, "ref", "&", derefs), (t.Ref(other, False),), t.BOOL

    def lookup_method(self, recv_ty: t.Ty, name: str, span: Span | None = None
                      ) -> tuple[MethodRes, tuple[t.Ty, ...], t.Ty] | None:
        """Find `name` on the receiver type, auto-dereferencing through references and from
        `String` to `str`, as rustc's method probe does."""
        ty = self.u.shallow(recv_ty)
        derefs = 0
        where = span if span is not None else Span(0, 0)
        for _ in range(8):
            found = self._method_on(ty, name, derefs, where)
            if found is not None:
                return found
            if isinstance(ty, t.Ref):
                ty = self.u.shallow(ty.inner)
                derefs += 1
            elif isinstance(ty, t.Adt) and ty.name == "String":
                ty = t.STR
                derefs += 1
            elif isinstance(ty, t.Adt) and ty.name == "Vec" and ty.args:
                ty = t.Slice(self.u.shallow(ty.args[0]))  # a trait's impl for `[T]`
                derefs += 1
            elif isinstance(ty, t.Adt) and ty.name in builtins.DEREF_TYPES and ty.args:
                ty = self.u.shallow(ty.args[0])
                derefs += 1
            elif (target := self.user_deref(ty)) is not None:
                ty = self.u.shallow(target)  # a package type's `impl Deref`
                derefs += 1
            else:
                return None
        return None

    def _method_on(self, ty: t.Ty, name: str, derefs: int, span: Span
                   ) -> tuple[MethodRes, tuple[t.Ty, ...], t.Ty] | None:
        if isinstance(ty, t.Adt) and ty.name.startswith("go:"):
            found = self._go_method(ty, name, derefs)
            if found is None and name == "clone" and traits.is_clone(ty, self.env):
                return MethodRes(ty.name, "clone", True, "ref", "&", derefs), (), ty
            if found is None and name == "to_string" and traits.is_display(ty, self.env):
                return MethodRes(ty.name, "to_string", True, "ref", "&", derefs), (), t.STRING
            return found
        if isinstance(ty, t.Adt):
            inherent = self.inherent_method(ty, name, derefs, span)
            if inherent is not None:
                return inherent
        if name == "into_iter" and (into := self._user_into_iter(ty, derefs)) is not None:
            return into
        if name == "as_ref" and isinstance(ty, t.Adt) and ty.name in self.env.type_names() \
                and (as_ref := traits.impl_for(self.u.resolve(ty), "AsRef", self.env,
                                               self.assumptions)) is not None and \
                len(as_ref[0].trait_args) == 1:
            # `name.as_ref()` of a package type's `impl AsRef<str>`.
            target = t.substitute(as_ref[0].trait_args[0], as_ref[1])
            return MethodRes(ty.name, "as_ref", True, "ref", "&", derefs, "AsRef"), (), \
                t.Ref(target, False)
        if name == "hash" and not isinstance(ty, (t.Ref, t.Infer)) and \
                self.implements(self.u.resolve(ty), "Hash"):
            # `self.id.hash(state)` in a hand-written `impl Hash`: `Hash::hash` of any
            # hashable type, into any `&mut H` (H: Hasher).
            hashed = ty.name if isinstance(ty, t.Adt) else str(self.u.resolve(ty))
            return MethodRes(hashed, "hash", True, "ref", "&", derefs, "Hash"), \
                (t.Ref(self.u.fresh(), True),), t.UNIT
        if isinstance(ty, (t.Param, t.Dyn)):
            return self.trait_method(ty, name, derefs, span) or \
                self.std_bound_method(ty, name, derefs, span) or \
                self._order_method(ty, str(ty), name, derefs)
        if name == "clone" and isinstance(ty, t.Ref) and not ty.mutable and \
                isinstance(self.u.shallow(ty.inner), (t.Param, t.Dyn)) and \
                not self.implements(ty.inner, "Clone"):
            # `x.clone()` with `x: &T` and no `T: Clone` clones the reference, as in rustc.
            return MethodRes(str(self.u.resolve(ty)), "clone", True, "ref", "&", derefs), (), ty
        if isinstance(ty, t.Ref) and name in ("min", "max", "clamp"):
            # `a.min(b)` with `a: &i32`: std's `impl Ord for &A` is found before auto-deref
            # reaches `i32` (rustc's probe), so `b` is a `&i32` and so is the result; `&f64`
            # is not `Ord`, and `f64`'s own `min` is found after the deref.
            resolved = self.u.resolve(ty)
            if isinstance(resolved, t.Ref) and self._ord_through_refs(resolved, name):
                return self._order_method(resolved, str(resolved), name, derefs)
        if isinstance(ty, t.Ref) and ty.mutable:
            through = self._iterator_by_mut_ref(ty, name, derefs)
            if through is not None:
                return through
        owner = builtins.method_owner(ty)
        if owner is not None and isinstance(ty, t.Adt) and owner == ty.name and \
                self.env.is_package_type(owner, ty.args):
            owner = None  # the package's own `Cell`, `Duration`, ..: not std's
        if owner is not None:
            # `as_deref`'s result depends on what `T` is (`String` -> `&str`): resolved,
            # `let name = Some(String::new())` is an `Option<String>` and not `Option<?T>`.
            m = builtins.lookup(owner, name, self.u.resolve(ty) if name.startswith("as_deref")
                                else ty)
            if m is not None and m.self_kind != "static":
                if name == "clone" and isinstance(ty, t.Adt) and ty.name == "Vec" and \
                        not self.implements(self.u.resolve(ty), "Clone"):
                    return None
                autoref = {"ref": "&", "ref_mut": "&mut", "value": ""}[m.self_kind]
                return (MethodRes(owner, name, True, m.self_kind, autoref, derefs), m.params,
                        m.ret)
        from_trait = self.trait_method(ty, name, derefs, span)
        if from_trait is not None:
            return from_trait
        if isinstance(ty, (t.Adt, t.Tuple, t.Array, t.Int, t.Float, t.Bool, t.Char, t.Str)) or (
                isinstance(ty, t.Infer) and ty.kind != "any"):
            resolved = self.u.resolve(ty)
            owner_name = ty.name if isinstance(ty, t.Adt) else str(resolved)
            # With the bounds in scope: `w.clone()` of a `W<T>` that derives `Clone` needs
            # `T: Clone`, which a generic function's bounds give.
            if name == "clone" and self.implements(resolved, "Clone"):
                return MethodRes(owner_name, "clone", True, "ref", "&", derefs), (), resolved
            if name == "to_string" and self.implements(resolved, "Display"):
                return (MethodRes(owner_name, "to_string", True, "ref", "&", derefs), (),
                        t.STRING)
            ordered = self._order_method(resolved, owner_name, name, derefs)
            if ordered is not None:
                return ordered
        # Ranges, the package's iterators and `&mut` of those have every `Iterator`
        # method (std: `impl<I: Iterator> Iterator for &mut I`).
        user_item = self.into_iter_item(ty) if self._user_iterator(ty) else None
        if (isinstance(ty, t.Adt) and ty.name in ("Range", "RangeInclusive")) or \
                user_item is not None:
            args = (user_item,) if user_item is not None else ty.args  # type: ignore[union-attr]
            m = builtins.lookup("Iter", name, t.Adt("Iter", args))
            if m is not None and isinstance(ty, t.Ref) and m.self_kind != "value":
                m = None  # `(&mut it).next()` is `it`'s own `next`, found by auto-deref
            if m is not None:
                ret = t.Ref(ty, True) if name == "by_ref" and user_item is not None else m.ret
                return MethodRes("Iter", name, True, m.self_kind,
                                 {"ref": "&", "ref_mut": "&mut", "value": ""}[m.self_kind],
                                 derefs), m.params, ret
        return None

    def _user_into_iter(self, ty: t.Ty, derefs: int
                        ) -> tuple[MethodRes, tuple[t.Ty, ...], t.Ty] | None:
        """`coll.into_iter()` of a package type with `impl IntoIterator` for it or a
        reference to it: the impl for the receiver's type first, then for `&` and `&mut` of
        it (rustc's probe: by value, then autoref)."""
        inner = ty.inner if isinstance(ty, t.Ref) else ty
        if not (isinstance(inner, t.Adt) and inner.name in self.env.type_names()):
            return None
        resolved = self.u.resolve(ty)
        for autoref, probe in (("", resolved), ("&", t.Ref(resolved, False)),
                               ("&mut", t.Ref(resolved, True))):
            found = traits.impl_for(probe, "IntoIterator", self.env, self.assumptions)
            if found is None:
                continue
            impl, subst = found
            into = t.substitute(dict(impl.assoc).get("IntoIter", t.ERROR), subst)
            kind = {"": "value", "&": "ref", "&mut": "ref_mut"}[autoref]
            return MethodRes("IntoIterator", "into_iter", True, kind, autoref, derefs,
                             "IntoIterator"), (), into
        return None

    def _ord_through_refs(self, ty: t.Ref, name: str) -> bool:
        """Whether `&..&T` is `Ord` through std's impl for references, with no inherent
        method of `T` to find first."""
        inner: t.Ty = ty
        while isinstance(inner, t.Ref):
            inner = inner.inner
        if isinstance(inner, (t.Infer, t.Error, t.Param, t.Dyn)) or \
                (isinstance(inner, t.Adt) and name in self.env.inherent.get(inner.name, {})):
            return False
        return self.implements(inner, "Ord")

    def _iterator_by_mut_ref(self, ty: t.Ref, name: str, derefs: int
                             ) -> tuple[MethodRes, tuple[t.Ty, ...], t.Ty] | None:
        """`it.by_ref().take(2)`, `r.count()` with `r: &mut` a std iterator (or a parameter
        or `dyn` bounded by `Iterator`): std's `impl<I: Iterator> Iterator for &mut I` gives
        the reference the methods that take `self`, so they consume the reference (which
        the borrow checker reborrows) rather than move the iterator out from behind it
        (E0507). Its other methods (`next`) are the iterator's own, found by auto-deref."""
        inner = self.u.resolve(ty.inner)
        if isinstance(inner, (t.Param, t.Dyn)) and \
                traits.implements(inner, "Iterator", self.env, self.assumptions):
            inner = t.Adt("Iter", (self._iterator_item(inner),))  # `I: Iterator<Item = T>`
        if not (isinstance(inner, t.Adt) and inner.name == "Iter") or \
                self.env.is_package_type("Iter", inner.args):
            return None
        m = builtins.lookup("Iter", name, inner)
        if m is None or m.self_kind != "value":
            return None
        return MethodRes("Iter", name, True, "value", "", derefs), m.params, m.ret

    def _user_iterator(self, ty: t.Ty) -> bool:
        """A package type with an `impl Iterator`, or a `&mut` of one."""
        if isinstance(ty, t.Ref) and ty.mutable:
            ty = self.u.shallow(ty.inner)
        return isinstance(ty, t.Adt) and self.user_iter_item(ty) is not None

    def builtin_iter_method(self, ty: t.Adt, name: str, derefs: int
                            ) -> tuple[MethodRes, tuple[t.Ty, ...], t.Ty] | None:
        """A std iterator method on something known only to be an iterator."""
        return self._method_on(ty, name, derefs, Span(0, 0))

    def _go_method(self, ty: t.Adt, name: str, derefs: int
                   ) -> tuple[MethodRes, tuple[t.Ty, ...], t.Ty] | None:
        """A method of a Go type: `resp.Body.Close()`, `builder.WriteString(s)`."""
        found = split_go_type_name(ty.name)
        package = self.env.go_packages.get(found[0]) if found else None
        named = package.type(found[1]) if package is not None and found else None
        method = named.method(name) if named is not None else None
        if method is None:
            return None
        sig = gust_method_signature(method)
        autoref = "&mut" if sig.self_kind == "ref_mut" else "&"
        fn = self.instantiate_go(sig)
        return MethodRes(ty.name, name, False, sig.self_kind, autoref, derefs), fn.params, fn.ret

    def _no_method(self, recv_ty: t.Ty, e: ast.MethodCall) -> d.Diagnostic:
        ty = self.u.resolve(recv_ty)
        base = ty
        while isinstance(base, t.Ref):
            base = base.inner
        candidates: list[str] = []
        if isinstance(base, t.Adt):
            candidates += list(self.env.methods.get(base.name, {}))
        owner = builtins.method_owner(base)
        if owner is not None:
            candidates += builtins.method_names(owner)
        if isinstance(base, t.Adt) and base.name == "String":
            candidates += builtins.method_names("str")
        suggestion = similar_name(e.name, candidates)
        help_: tuple[str, ...] = (f"there is a method `{suggestion}` with a similar name",) \
            if suggestion else ()
        notes: tuple[str, ...] = ()
        if e.name == "clone" and isinstance(base, t.Adt) and base.name in self.env.structs:
            help_ = ("consider annotating the type with `#[derive(Clone)]`",)
        shown = self.show(ty)
        if isinstance(base, t.Param):
            shown = str(base)
            label = "method not found in `" + shown + "`"
            traits_help = self.trait_items_help(base, e.name)
            return d.error("E0599", f"no method named `{e.name}` found for type parameter "
                           f"`{shown}` in the current scope", e.name_span, label,
                           help=traits_help or help_)
        if not help_:
            help_ = self.trait_scope_help(base, e.name) or self.trait_items_help(base, e.name)
        kind, named = self._receiver_named(ty, shown, e.receiver)
        return d.error("E0599", f"no method named `{e.name}` found for {kind} `{named}` in the "
                       "current scope", e.name_span, f"method not found in `{shown}`",
                       help=help_, notes=notes)

    def _receiver_named(self, ty: t.Ty, shown: str, receiver: ast.Expr) -> tuple[str, str]:
        """How rustc's E0599 names the receiver's type: what it is (`reference`, `mutable
        reference`, `tuple`, `array`, `struct`, `enum`, `type`) and the type, a generic
        struct or enum with its declared parameters (`Option<T>`, `Stack<T>`) unless it
        dereferences to another type (`Vec<i32>`, `Box<Node>`)."""
        if isinstance(ty, t.Ref):
            if ty.inner == t.STR and isinstance(receiver, ast.Literal):
                shown = "&'static str"  # a string literal's type
            return ("mutable reference" if ty.mutable else "reference"), shown
        if isinstance(ty, t.Tuple):
            return "tuple", shown
        if isinstance(ty, t.Array):
            return "array", shown
        if isinstance(ty, t.Slice):
            return "slice", shown
        if not isinstance(ty, t.Adt):
            return "type", shown
        kind = "enum" if ty.name in self.env.enums or ty.name in ("Option", "Result") \
            else "struct"
        if not ty.args:
            return kind, shown
        params = self.env.generics_of(ty.name)
        if params and len(params) == len(ty.args):
            return kind, self.show(t.Adt(ty.name, tuple(t.Param(p) for p in params)))
        return kind, _STD_GENERIC_NAMES.get(ty.name, shown)


def _derefed(u: Unifier, ty: t.Ty) -> t.Ty:
    """`ty` behind its references."""
    ty = u.shallow(ty)
    while isinstance(ty, t.Ref):
        ty = u.shallow(ty.inner)
    return ty


def _mentions_dyn(ty: t.Ty) -> bool:
    match ty:
        case t.Dyn(opaque=False):
            return True
        case t.Ref(inner, _) | t.Adt("Box" | "Rc" | "Arc" | "RefCell" | "Mutex", (inner,)):
            return _mentions_dyn(inner)  # (`Rc<RefCell<dyn Observer>>` unsizes too)
    return False
