"""Names in expressions: locals, functions, constants, enum variants, associated functions."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Final

import mypy_extensions

from gust import diagnostics as d
from gust.sema import builtins, conversions, traits
from gust.sema import types as t
from gust.sema.check.generics import Generics
from gust.sema.check.util import (
    OPERATOR_METHOD_TRAITS,
    OPERATOR_METHODS,
    ORDERING_VARIANTS,
    PRELUDE_VARIANTS,
    described,
)
from gust.sema.golang import (
    conversion_signature,
    gust_const_type,
    gust_signature,
    gust_var_type,
)
from gust.sema.items import Bound, TraitInfo, hidden_args, lower_bound
from gust.sema.modules import (
    PASS,
    STD_OPS_TRAITS,
    Def,
    Found,
    expand_std_alias,
    expand_type_alias,
    std_needs_import,
    suggest_import,
    undeclared_module,
)
from gust.sema.names import similar_name
from gust.sema.results import (
    AssocFnRes,
    ConstRes,
    FnRes,
    GoRes,
    LocalRes,
    Res,
    StructRes,
    VariantRes,
)
from gust.syntax import ast
from gust.text import Span


@mypy_extensions.trait
class Paths(Generics):
    # ---------------------------------------------------------------- paths

    def _expr_PathExpr(self, e: ast.PathExpr, expected: t.Ty | None) -> t.Ty:
        method = self._std_method_value(e.path)
        if method is None:
            reported = len(self.diags)
            method = self._trait_method_path_value(e.path)
            if method is None and len(self.diags) > reported:
                return t.ERROR  # (`<Circle as Shape>::area` without the impl: E0277)
        if method is not None:
            closure, params, ret = method
            want = self.u.shallow(expected) if expected is not None else None
            if isinstance(want, (t.Closure, t.FnPtr)) and len(want.params) == len(params):
                # `.map(ToString::to_string)`: `Self` is what the context passes.
                for have, given in zip(params, want.params, strict=True):
                    self.u.unify(have, given)
            self.results.method_values[e] = closure
            before = len(self.diags)
            closure_ty = self.check_closure(closure, params, ret)
            if self._std_trait_method(e.path) is not None:
                # `ToString::to_string` of a type without `Display`: the bound's E0277,
                # not also the closure's `value.to_string()` (E0599).
                self.diags[before:] = [x for x in self.diags[before:] if x.code != "E0599"]
            self.results.expr_types[closure] = closure_ty
            return closure_ty
        res, ty = self.resolve_value_path(e.path, expected)
        if res is not None:
            self.results.paths[e] = res
        if isinstance(res, AssocFnRes) and res.const:
            call = ast.Call(e, (), e.span)
            self.results.assoc_consts[e] = call
            self.results.expr_types[call] = ty
        return ty

    def _alias_arity(self, path: ast.Path) -> bool:
        """E0107 for a generic type alias given another number of arguments at the start
        of a path (`Cache::<u32, u32>::new()`); False when it is not that."""
        first = path.segments[0]
        df = self.resolver.lexical(first.name, "type")
        decl = self.env.type_aliases.get(df.key) if df is not None and \
            df.kind == "alias" else None
        if decl is None or not first.generics or \
                len(first.generics) == len(decl.generics.params):
            return False
        n, m = len(decl.generics.params), len(first.generics)
        self.diags.append(d.error(
            "E0107", f"type alias takes {n} generic argument{'s' if n != 1 else ''} but {m} "
            f"generic argument{'s were' if m != 1 else ' was'} supplied", first.span))
        return True

    def std_trait_call(self, e: ast.Call) -> t.Ty | None:
        """`ToString::to_string(&n)`, `PartialEq::eq(&a, &b)`, `Ord::cmp(&a, &b)`: a std
        trait's method called by its path, which std's traits have no item of the package
        to resolve to. It is the method call its first argument receives, `(&a).eq(&b)`
        (`BodyResults.path_calls`: checked, borrow-checked and emitted in the call's
        place), with rustc's errors of the path form: E0061 for the count of arguments,
        E0308 for a first argument that is not a reference where the method takes `&self`,
        E0277 for a `Self` without the trait. None for other calls."""
        callee = e.callee
        if not isinstance(callee, ast.PathExpr):
            return None
        std = self._std_trait_method(callee.path)
        if std is not None and self._std_trait_not_imported(callee.path):
            for a in e.args:
                self.check_expr(a, None)
            return t.ERROR
        if std is None:
            by_type = self.operator_path_call(e)
            if by_type is None:
                return None
            ty = self.check_expr(by_type, None)  # `Usage::add(a, b)`: `a.add(b)`
            self.results.path_calls[e] = by_type
            return ty
        trait, self_kind, params, _ = _std_trait_method_sig(std, t.ERROR)
        if len(e.args) != 1 + len(params):
            for a in e.args:
                self.check_expr(a, None)
            n, m = 1 + len(params), len(e.args)
            self.diags.append(d.error(
                "E0061", f"this function takes {n} argument{'s' if n > 1 else ''} but {m} "
                f"argument{'' if m == 1 else 's'} {'was' if m == 1 else 'were'} supplied",
                callee.span, None))
            return t.ERROR
        name = callee.path.segments[-1]
        call = ast.MethodCall(e.args[0], name.name, name.span, (), e.args[1:], e.span)
        before = len(self.diags)
        ty = self.check_expr(call, None)
        first = self.u.resolve(self.results.type_of(e.args[0]))
        if self_kind == "ref" and not isinstance(first, (t.Ref, t.Error, t.Infer, t.Never)):
            self.diags.append(d.error(
                "E0308", "mismatched types", e.args[0].span,
                f"expected `&_`, found {described(first, self.show)}",
                labels=(d.Label(callee.span, "arguments to this function are incorrect"),),
                help=("consider borrowing here",)))
        else:
            self_ty = first.inner if self_kind == "ref" and isinstance(first, t.Ref) else first
            if not self.implements(self_ty, trait):
                # The path's bound (`Reading: Ord`), not the method call's E0599; rustc
                # reports `ToString`'s and `Clone`'s at the argument.
                at = e.args[0].span if trait in ("ToString", "Clone") else callee.span
                message, label = traits.unsatisfied_message(self.show(self_ty), trait)
                self.diags[before:] = [x for x in self.diags[before:] if x.code != "E0599"]
                self.diags.append(d.error("E0277", message, at, label))
                ty = t.ERROR
        self.results.path_calls[e] = call
        return ty

    def _std_trait_method(self, path: ast.Path) -> tuple[str, str] | None:
        """`(trait, method)` when `path` names a std trait's method (`Ord::cmp`) that
        `_STD_TRAIT_METHODS` describes, and no item or local of the package shadows it."""
        names = path.names
        if len(names) != 2 or any(s.generics for s in path.segments) or \
                path.qself_trait is not None:
            return None
        key = (names[0], names[1])
        if key not in _STD_TRAIT_METHODS or self.resolver.lexical(names[0], "type") is not None \
                or self.lookup_local(names[0]) is not None:
            return None
        return key

    def _std_trait_not_imported(self, path: ast.Path) -> bool:
        """rustc's E0433 for `Add::add` without `use std::ops::Add;` (the operator traits
        are not in the prelude); False when the trait is in scope or in the prelude."""
        trait = path.segments[0]
        if trait.name not in STD_OPS_TRAITS or self.resolver.std_trait_in_scope(trait.name):
            return False
        self.diags.append(d.error(
            "E0433", f"cannot find type `{trait.name}` in this scope", trait.span,
            f"use of undeclared type `{trait.name}`",
            help=(f"consider importing this trait: `use std::ops::{trait.name};`",)))
        return True

    def _std_method_value(self, path: ast.Path
                          ) -> tuple[ast.Closure, tuple[t.Ty, ...], t.Ty] | None:
        """`String::len`, `char::is_ascii_digit`, `i32::abs`, `str::trim` as values: the
        closure `|value, arg1, ..| value.name(arg1, ..)` with the receiver's type as its
        first parameter (`&String`: the method's `self` is `&self`), as rustc's function
        item. None for any other path."""
        if len(path.segments) != 2 or path.segments[0].generics or path.qself_trait is not None:
            return None
        type_seg, item_seg = path.segments
        if (type_seg.name, item_seg.name) == ("str", "parse") and \
                self.resolver.lexical("str", "type") is None and \
                self.lookup_local("str") is None:
            # `.map(str::parse::<u32>)`: `|value| value.parse::<u32>()`, whose result the
            # turbofish or the context decides.
            closure, params, _ = _method_closure(path, "ref", t.STR, (), t.ERROR,
                                                 item_seg.generics)
            return closure, params, self.u.fresh()
        if item_seg.generics:
            return None
        df = self.resolver.lexical(type_seg.name, "type")
        if df is not None and df.kind in ("struct", "enum"):
            # By its key: `Rect` may be `area#::Rect`, a function body's (or a module's).
            return self._user_method_value(df.key, item_seg.name, path)
        if type_seg.name in self.env.structs or type_seg.name in self.env.enums:
            return self._user_method_value(type_seg.name, item_seg.name, path)
        receiver = _std_receiver(type_seg.name)
        if receiver is None or self.lookup_local(type_seg.name) is not None:
            return None
        if isinstance(receiver, t.Adt):
            receiver = self._fresh_instance(receiver.name, type_seg)
        owner = builtins.method_owner(receiver)
        m = builtins.lookup(owner, item_seg.name, receiver) if owner is not None else None
        if m is None and owner in _DEREF_OWNERS:
            # `String::len` is `str`'s, `Vec::len` the slice's (the body finds it by deref).
            deref_owner, deref = _DEREF_OWNERS[owner]
            m = builtins.lookup(deref_owner, item_seg.name, deref(receiver))
        if m is None and (self.callee_path is None or self.callee_path.path is not path or
                          item_seg.name == "to_string"):
            return self._trait_method_value(path, receiver)
        if m is None or m.self_kind == "static" or \
                any(t.params_in(ty) for ty in (*m.params, m.ret)):
            return None
        return _method_closure(path, m.self_kind, receiver, m.params, m.ret)

    def _trait_method_value(self, path: ast.Path, receiver: t.Ty
                            ) -> tuple[ast.Closure, tuple[t.Ty, ...], t.Ty] | None:
        """`u32::to_string` (`Display`'s) and `u32::squared` (a trait of the package
        implemented for `u32`) as values, for a std receiver without generics."""
        if isinstance(receiver, t.Adt) and receiver.args:
            return None
        item = path.segments[1]
        if item.name == "to_string" and self.implements(receiver, "Display"):
            return _method_closure(path, "ref", receiver, (), t.STRING)
        if item.name in OPERATOR_METHODS:
            # `Usage::add`, `i32::add`: the operator (`|value, arg1| value + arg1`)
            sig = self._operator_sig(receiver, item.name)
            if sig is not None:
                return _method_closure(path, "value", receiver, sig[0], sig[1])
        found = self.trait_method(receiver, item.name, 0, item.span)
        if found is None:
            return None
        res, params, ret = found
        return _method_closure(path, res.self_kind, receiver, params, ret)

    def _operator_sig(self, receiver: t.Ty, name: str
                      ) -> tuple[tuple[t.Ty, ...], t.Ty] | None:
        """The parameters after `self` and the result of an operator trait's method for
        `receiver`: a package type's impl (its `Rhs` and `Output`), a number's own."""
        trait = OPERATOR_METHOD_TRAITS[name]
        if not self.has_operator(receiver, trait):
            return None
        unary = name in ("neg", "not")
        if isinstance(receiver, t.Adt) and receiver.name in self.env.structs | self.env.enums:
            for impl in self.env.trait_impls(trait):
                subst: dict[str, t.Ty] = {}
                out = dict(impl.assoc).get("Output")
                if out is None or not traits.match_ty(impl.self_ty, receiver,
                                                      frozenset(impl.generics), subst):
                    continue
                rhs = t.substitute(impl.trait_args[0], subst) if impl.trait_args else receiver
                return (() if unary else (rhs,)), t.substitute(out, subst)
            return None
        return (() if unary else (receiver,)), receiver

    def operator_path_call(self, e: ast.Call) -> ast.MethodCall | None:
        """`Usage::add(a, b)`, `i32::add(1, 2)`: an operator trait's method called by a
        type's path, the method call its first argument receives."""
        callee = e.callee
        if not isinstance(callee, ast.PathExpr):
            return None
        path = callee.path
        if len(path.segments) != 2 or path.qself_trait is not None or \
                any(s.generics for s in path.segments) or \
                path.names[1] not in OPERATOR_METHODS or \
                len(e.args) != (1 if path.names[1] in ("neg", "not") else 2):
            return None
        type_name = path.names[0]
        df = self.resolver.lexical(type_name, "type")
        if df is not None and df.kind in ("struct", "enum"):
            if path.names[1] in self.env.inherent.get(df.key, {}):
                return None  # its own method of that name
        elif _std_receiver(type_name) is None or self.lookup_local(type_name) is not None:
            return None
        name = path.segments[1]
        return ast.MethodCall(e.args[0], name.name, name.span, (), e.args[1:], e.span)

    def _user_method_value(self, type_name: str, item: str, path: ast.Path
                           ) -> tuple[ast.Closure, tuple[t.Ty, ...], t.Ty] | None:
        """`Point::norm` (a method of a package type without generics, `type_name` its
        key) as a value."""
        sig = self.env.inherent.get(type_name, {}).get(item)
        if sig is None and not self.env.generics_of(type_name) and \
                (self.callee_path is None or self.callee_path.path is not path or
                 item == "to_string"):
            # `P::to_string`, `P::area` of `impl Area for P`: a trait's method as a value
            # (and `P::to_string(&p)` called: `Display` has no `to_string` to resolve to)
            return self._trait_method_value(path, t.Adt(type_name, ()))
        if sig is None or sig.self_kind is None or sig.generics or sig.unknown_params or \
                self.env.generics_of(type_name) or \
                (self.callee_path is not None and self.callee_path.path is path):
            return None
        return _method_closure(path, sig.self_kind, t.Adt(type_name, ()), sig.params, sig.ret)


    def _trait_method_path_value(self, path: ast.Path
                                 ) -> tuple[ast.Closure, tuple[t.Ty, ...], t.Ty] | None:
        """A trait's method named by the trait as a value (`.map(Area::area)`,
        `<Sq as Shape>::area`, std's `ToString::to_string` and `Clone::clone`): the closure
        `|value, arg1, ..| Area::area(value, arg1, ..)` (for std's, `value.to_string()`),
        `Self` an inference variable that the context decides. None for any other path."""
        if self.callee_path is not None and self.callee_path.path is path:
            return None
        names = path.names
        if len(names) != 2 or any(s.generics for s in path.segments):
            return None
        std = self._std_trait_method(path)
        if std is not None and self._std_trait_not_imported(path):
            return None
        if std is not None:
            self_var = self.u.fresh()
            std_trait, self_kind, params, ret = _std_trait_method_sig(std, self_var)
            self.obligations.append((Bound(self_var, std_trait), path.span))
            return _method_closure(path, self_kind, self_var, params, ret)
        if path.qself_trait is None:
            df = self.resolver.lexical(names[0], "type")
            if df is None or df.kind != "trait" or df.key not in self.env.traits:
                return None
            sig = self.env.traits[df.key].methods.get(names[1])
        else:
            bound = lower_bound(path.qself_trait, t.ERROR, self.type_scope, [])
            info = self.env.traits.get(bound.trait) if bound is not None else None
            sig = info.methods.get(names[1]) if info is not None else None
        if sig is None or sig.self_kind is None or sig.decl.assoc_const or sig.generics:
            return None
        pending = len(self.obligations)
        res, fn_ty = self.resolve_value_path(path, None)
        if not isinstance(res, AssocFnRes) or not isinstance(fn_ty, t.FnPtr):
            return None
        # The closure's call `Area::area(value)` proves `Self: Area` (one E0277).
        self.obligations = self.obligations[:pending]
        return _path_call_closure(path, fn_ty.params, fn_ty.ret)

    def resolve_value_path(self, path: ast.Path, expected: t.Ty | None,
                           std_path: bool = False) -> tuple[Res | None, t.Ty]:
        """What a value path names; `std_path` for the tail of a `std::...` path (no
        `use` is needed for it)."""
        path = expand_std_alias(self.resolver, path)  # `use std::fmt as sfmt;`
        if len(path.segments) > 1:  # `Params::new()` (`type Params = HashMap<..>;`)
            expanded = expand_type_alias(self.resolver, self.env.type_aliases, path)
            if expanded is None or (expanded is path and self._alias_arity(path)):
                return None, t.ERROR
            path = expanded
        names = path.names
        if path.qself_trait is not None:
            qualified = self._qualified(path, path.qself_trait)
            if qualified is not None:
                return qualified
        if len(names) == 1:
            return self._resolve_single(path)
        if names[0] in self.env.go_aliases and len(names) == 2:
            return self._resolve_assoc(path, expected)
        if self.unresolved_go(names[0]):
            return None, t.ERROR  # its `use go` is E0432
        found = self.resolver.resolve([(s.name, s.span) for s in path.segments], "value",
                                      self.diags)
        if found is None:
            return None, t.ERROR
        if found is not PASS:
            return self._resolve_found(found, path, expected)
        if names[0] != "Self" and (names[0] in self.env.structs or
                                   names[0] in self.env.enums):
            self.diags.append(self.undeclared_type(names[0], path.segments[0].span))
            return None, t.ERROR
        if not std_path and std_needs_import(self.resolver, names[0]) and \
                self.lookup_local(names[0]) is None:
            self.diags.append(self.undeclared_type(names[0], path.segments[0].span))
            return None, t.ERROR
        if len(names) == 2:
            return self._resolve_assoc(path, expected)
        if names[0] in ("std", "core") and len(names) == 4 and names[1] in ("f32", "f64") \
                and names[2] == "consts":
            return self._float_module_const(f"{names[1]}::consts", path.last)
        if names[-3:-1] == ("atomic", "Ordering") and \
                (len(names) == 3 or names[:-3] in (("std", "sync"), ("core", "sync"))):
            # `atomic::Ordering::SeqCst` (after `use std::sync::atomic;`), or the whole path:
            # not `cmp`'s `Ordering`.
            seg = path.segments[-2]
            return self._resolve_assoc(ast.Path((replace(seg, name="AtomicOrdering"),
                                                 path.last), path.span), expected)
        if names[0] in ("std", "core") and len(names) > 2:
            # `std::thread::spawn`, `std::collections::HashMap::new`: the last two decide.
            return self.resolve_value_path(ast.Path(path.segments[-2:], path.span), expected,
                                           std_path=True)
        if names[0] in ("f32", "f64") and names[1] == "consts":
            # Rust reads `f64::` as the primitive type, whose items have no modules.
            span = Span(path.span.start, path.segments[1].span.end)
            self.diags.append(d.error("E0223", "ambiguous associated type", span, None,
                                      help=("you are looking for the module in `std`, not "
                                            f"the primitive type: `std::{names[0]}::consts`",
                                            )))
            return None, t.ERROR
        self.diags.append(undeclared_module(names[0], path.segments[0].span))
        return None, t.ERROR

    def undeclared_type(self, name: str, span: Span) -> d.Diagnostic:
        """E0433 for `Name::item` when no type `Name` is in scope."""
        help_ = suggest_import(self.env.modules, self.module, name, "type")
        if not help_:
            candidates = [n for n, df in self.env.modules.module(self.module).types.items()
                          if df.kind in ("struct", "enum")]
            suggestion = similar_name(name, candidates)
            help_ = (f"a type with a similar name exists: `{suggestion}`",) if suggestion \
                else ()
        return d.error("E0433", f"cannot find type `{name}` in this scope", span,
                       f"use of undeclared type `{name}`", help=help_)

    def _resolve_found(self, found: Found, path: ast.Path, expected: t.Ty | None
                       ) -> tuple[Res | None, t.Ty]:
        df = found.df
        if found.rest == 0:
            return self._resolve_def(df, path.last, expected)
        if found.rest == 1:
            type_seg = path.segments[-2]
            typed = ast.Path((replace(type_seg, name=df.key), path.last), path.span)
            return self._resolve_assoc(typed, expected)
        seg = path.segments[len(path.segments) - found.rest]
        self.diags.append(d.error("E0433", f"cannot find `{seg.name}` in `{df.name}`",
                                  seg.span, f"could not find `{seg.name}` in `{df.name}`"))
        return None, t.ERROR

    def _float_module_const(self, module: str, seg: ast.PathSegment
                            ) -> tuple[Res | None, t.Ty]:
        """`std::f64::consts::PI`, `consts::TAU` (`module` is `f64::consts`)."""
        if builtins.float_module_const(seg.name) is None:
            suggestion = similar_name(seg.name, sorted(builtins.FLOAT_CONSTS))
            help_ = (f"a constant with a similar name exists: `{suggestion}`",) \
                if suggestion else ()
            self.diags.append(d.error("E0425", f"cannot find value `{seg.name}` in module "
                                      f"`std::{module}`", seg.span, None, help=help_))
            return None, t.ERROR
        return ConstRes(f"{module}::{seg.name}"), t.PRIMITIVES[module.split("::")[0]]

    def _resolve_def(self, df: Def, seg: ast.PathSegment, expected: t.Ty | None
                     ) -> tuple[Res | None, t.Ty]:
        """A value path that names a definition of the package."""
        key = df.key
        if df.kind == "error":
            return None, t.ERROR  # an import that did not resolve, already reported
        if df.kind in ("std_fn", "std_const", "std_variant"):
            # `use std::process::exit;` / `use std::f64::consts::PI;`: as if written with
            # the path the checker resolves (`process::exit`, `f64::consts::PI`).
            module, name = key.rsplit("::", 1)
            typed = ast.Path((ast.PathSegment(module, seg.span), replace(seg, name=name)),
                             seg.span)
            return self._resolve_assoc(typed, expected)
        if df.kind == "fn" and key in self.env.fns:
            sig = self.env.fns[key]
            if not sig.generics and seg.generics:
                self.diags.append(self.generic_count("function", 0, len(seg.generics),
                                                     seg.span))
            if not sig.generics:
                return FnRes(key), t.FnPtr(sig.params, sig.ret)
            written: dict[str, t.Ty] = {}
            params, ret = self.instantiate(sig, seg.span, explicit=seg.generics,
                                           explicit_span=seg.span, written=written)
            if written:
                self.results.turbofish[seg] = written
            return FnRes(key), t.FnPtr(params, ret)
        if df.kind in ("const", "static") and key in self.env.consts:
            return ConstRes(key), self.env.consts[key].ty
        if df.kind == "struct" and key in self.env.structs:
            info = self.env.structs[key]
            if info.kind == "unit":
                return StructRes(key), t.Adt(key)
            if info.kind == "tuple":
                adt, subst = self.adt_instance(key, seg.span)
                return StructRes(key), t.FnPtr(tuple(t.substitute(f.ty, subst)
                                                     for f in info.fields), adt)
        if df.kind == "variant":
            typed = ast.Path((ast.PathSegment(key, seg.span), replace(seg, name=df.name)),
                             seg.span)
            return self._resolve_assoc(typed, expected)
        self.diags.append(d.error("E0423", f"expected value, found {df.word} `{df.name}`",
                                  seg.span, "not a value"))
        return None, t.ERROR

    def _resolve_single(self, path: ast.Path) -> tuple[Res | None, t.Ty]:
        seg = path.segments[0]
        name = seg.name
        local, inner_fn = self.lookup_scoped(name)
        if local is not None:
            return LocalRes(local), self.results.locals[local].ty
        if inner_fn is not None:
            return FnRes(name, inner_fn.decl.name_span.start), \
                t.FnPtr(inner_fn.params, inner_fn.ret)
        if name in self.outer_locals:
            self.diags.append(d.error("E0434", "can't capture dynamic environment in a fn "
                                      "item", seg.span, None,
                                      help=("use the `|| { ... }` closure form instead",)))
            return None, t.ERROR
        found = self.resolver.resolve([(name, seg.span)], "value", self.diags)
        if found is not None and found is not PASS:
            return self._resolve_def(found.df, seg, None)
        if name in builtins.PRELUDE_FNS:
            module = builtins.PRELUDE_FNS[name]
            std = self.std_fn_type(module, name)
            if std is not None:
                return AssocFnRes(module, name, True), std
        if name in PRELUDE_VARIANTS:
            enum, variant = PRELUDE_VARIANTS[name]
            # `None::<i32>`, `Some::<u8>(1)`, `Err::<u8, String>(e)`: the turbofish names
            # the enum's type arguments.
            given = [self.lower(g) for g in seg.generics]
            if variant == "None":
                return VariantRes(enum, variant), t.Adt(
                    "Option", (given[0] if len(given) == 1 else self.u.fresh(),))
            if variant == "Some":
                inner = given[0] if len(given) == 1 else self.u.fresh()
                return VariantRes(enum, variant), t.FnPtr((inner,), t.Adt("Option", (inner,)))
            ok, err = given if len(given) == 2 else (self.u.fresh(), self.u.fresh())
            return VariantRes(enum, variant), t.FnPtr(
                (ok if variant == "Ok" else err,), t.Adt("Result", (ok, err)))
        if name == "self":
            self.diags.append(d.error("E0424", "expected value, found module `self`", seg.span,
                                      "`self` value is a keyword only available in methods "
                                      "with a `self` parameter"))
            return None, t.ERROR
        alias = self.resolver.lexical(name, "type")
        if alias is not None and alias.kind == "alias":
            # `type M = Meters;` then `M(3)`: an alias names no constructor (rustc's E0423)
            self.diags.append(d.error("E0423", f"expected value, found type alias `{name}`",
                                      seg.span, "not a value"))
            return None, t.ERROR
        suggestion = similar_name(name, self.visible_names())
        help_: tuple[str, ...] = \
            (f"a local variable with a similar name exists: `{suggestion}`",) \
            if suggestion else ()
        help_ = suggest_import(self.env.modules, self.module, name, "value") or help_
        what = "function" if name in self.env.fns else "value"
        self.diags.append(d.error("E0425", f"cannot find {what} `{name}` in this scope",
                                  seg.span, "not found in this scope", help=help_))
        return None, t.ERROR

    def _resolve_assoc(self, path: ast.Path, expected: t.Ty | None) -> tuple[Res | None, t.Ty]:
        type_seg, item_seg = path.segments
        type_name = type_seg.name
        if type_name == "fmt" and item_seg.name == "Error" and \
                self.lookup_local(type_name) is None and type_name not in self.env.enums and \
                type_name not in self.env.structs:
            return ConstRes("fmt::Error"), t.FMT_ERROR  # std's unit struct `fmt::Error`
        if type_name == "Bound" and item_seg.name == "Unbounded" and \
                self.lookup_local(type_name) is None and type_name not in self.env.enums:
            # `Bound::Unbounded`, `Bound::<u32>::Unbounded`, an imported `Unbounded`
            return ConstRes("Bound::Unbounded"), self._fresh_instance("Bound", type_seg)
        std = self.std_fn_type(type_name, item_seg.name) if self.lookup_local(type_name) is None \
            and type_name not in self.env.structs and type_name not in self.env.enums else None
        if std is not None:
            if item_seg.generics:
                # `mpsc::channel::<u32>()`: the turbofish names `T`.
                self.u.unify(std.ret, self._std_turbofish(type_name, item_seg, std.ret))
            return AssocFnRes(type_name, item_seg.name, True), std
        if type_name in self.env.go_aliases and self.lookup_local(type_name) is None:
            return self._resolve_go(self.env.go_aliases[type_name], item_seg)
        if type_name == "Self" and isinstance(self.self_ty, t.Param):
            return self._assoc_on_type(self.self_ty, item_seg, path)
        if type_name == "Self" and self.owner is not None:
            type_name = self.owner
        item = item_seg.name
        if type_name in self.env.enums:
            info = self.env.enums[type_name]
            variant = info.variant(item)
            if variant is None and item in self.env.inherent.get(type_name, {}):
                return self._struct_assoc(type_name, type_seg, item_seg, path)
            if variant is None:
                # `Mode::default()`, `Shape::describe`: a function of a trait it implements.
                adt, _ = self.adt_instance(type_name, path.span)
                res, ty = self._assoc_on_type(adt, item_seg, path, report=False)
                if res is not None:
                    return res, ty
                self.diags.append(self.no_variant(type_name, item, item_seg.span,
                                                   [v.name for v in info.variants]))
                return None, t.ERROR
            enum_ty, subst = self.adt_instance(type_name, path.span)
            if variant.kind == "tuple":
                return VariantRes(type_name, item), t.FnPtr(
                    tuple(t.substitute(f.ty, subst) for f in variant.fields), enum_ty)
            if variant.kind == "named":
                self.diags.append(d.error("E0533", f"expected value, found struct variant "
                                          f"`{type_name}::{item}`", path.span,
                                          "not a value"))
                return None, t.ERROR
            return VariantRes(type_name, item), enum_ty
        if type_name in self.env.traits and self.lookup_local(type_name) is None:
            return self._trait_path(self.env.traits[type_name], item_seg, path.span)
        if type_name in self.type_scope.generics:
            return self._assoc_on_type(t.Param(type_name), item_seg, path)
        if type_name in self.env.structs:
            return self._struct_assoc(type_name, type_seg, item_seg, path)
        if type_name == "Default" and item == "default":
            # `Default::default()`: `Self` is whatever the context expects.
            self_var = self.u.fresh()
            self.obligations.append((Bound(self_var, "Default"), path.span))
            return AssocFnRes("Default", "default", True), t.FnPtr((), self_var)
        if type_name == "AtomicOrdering":
            if item in builtins.ATOMIC_ORDERINGS:
                return ConstRes(f"AtomicOrdering::{item}"), t.Adt("AtomicOrdering")
            self.diags.append(self.no_variant("std::sync::atomic::Ordering", item,
                                               item_seg.span, list(builtins.ATOMIC_ORDERINGS)))
            return None, t.ERROR
        if type_name == "Ordering":
            if item in ORDERING_VARIANTS:
                return VariantRes("Ordering", item), t.Adt("Ordering")
            self.diags.append(self.no_variant("std::cmp::Ordering", item, item_seg.span,
                                               list(ORDERING_VARIANTS)))
            return None, t.ERROR
        if type_name == "String" and item == "from":
            return self.from_fn(t.STRING, type_seg.span)
        if type_name in ("Vec", "Option", "Box", "Rc", "Arc", "VecDeque", "BinaryHeap",
                         "HashMap", "HashSet", "BTreeMap", "BTreeSet") and item == "from":
            return self.from_fn(self._fresh_instance(type_name, type_seg), type_seg.span)
        if type_name == "Duration" and item in builtins.DURATION_CONSTS:
            return ConstRes(f"Duration::{item}"), builtins.DURATION  # `Duration::ZERO`
        if type_name in builtins.ATOMIC_VALUES and item == "default":
            # `AtomicBool::default()`: false, zero
            return AssocFnRes(type_name, "default", True), t.FnPtr((), t.Adt(type_name))
        if type_name == "Duration" and item == "default":
            return AssocFnRes("Duration", "default", True), t.FnPtr((), builtins.DURATION)
        if type_name in builtins.BUILTIN_TYPES or type_name in ("str",):
            owner = "str" if type_name == "str" else type_name
            receiver = self._fresh_instance(owner, type_seg)
            m = builtins.lookup(owner, item, receiver) if owner in builtins.STATIC_OWNERS \
                else None
            if m is None or m.self_kind != "static":
                kind = "enum" if owner in ("Option", "Result") else "struct"
                if (owner, item) in (("Option", "Some"), ("Option", "None"),
                                     ("Result", "Ok"), ("Result", "Err")):
                    # `Option::<u8>::None`, `Result::Ok(4)`: the variant, of the type named
                    res, ty = self._resolve_single(ast.Path((item_seg,), item_seg.span))
                    made = ty.ret if isinstance(ty, t.FnPtr) else ty
                    self.u.unify(made, receiver)
                    return res, ty
                self.diags.append(self._no_assoc(type_name, kind, item, item_seg.span))
                return None, t.ERROR
            return AssocFnRes(owner, item, True), t.FnPtr(m.params, m.ret)
        if type_name == "char" and (m := builtins.lookup("char", item, t.CHAR)) is not None \
                and m.self_kind == "static":
            return AssocFnRes("char", item, True), t.FnPtr(m.params, m.ret)  # `from_digit`
        if isinstance(t.PRIMITIVES.get(type_name), t.Int) and \
                (m := builtins.lookup("int", item, t.PRIMITIVES[type_name])) is not None \
                and m.self_kind == "static":
            return AssocFnRes(type_name, item, True), t.FnPtr(m.params, m.ret)  # from_str_radix
        if isinstance(t.PRIMITIVES.get(type_name), t.Float) and \
                (m := builtins.lookup("float", item, t.PRIMITIVES[type_name])) is not None \
                and m.self_kind == "static":
            return AssocFnRes(type_name, item, True), t.FnPtr(m.params, m.ret)  # from_bits
        if isinstance(t.PRIMITIVES.get(type_name), t.Int) and item == "try_from":
            return self.try_from_fn(t.PRIMITIVES[type_name], type_seg.span)
        if type_name in t.PRIMITIVES and item == "from" and \
                conversions.std_sources(t.PRIMITIVES[type_name]):
            return self.from_fn(t.PRIMITIVES[type_name], type_seg.span)
        if type_name in t.PRIMITIVES and item == "default" and \
                self.implements(t.PRIMITIVES[type_name], "Default"):
            # `u64::default()`, `bool::default()`: std's Default of the primitive.
            return AssocFnRes(type_name, "default", True), t.FnPtr((), t.PRIMITIVES[type_name])
        if type_name in t.PRIMITIVES and builtins.primitive_const(type_name, item) is not None:
            # `i32::MAX`, `f64::EPSILON`: constants of the primitive type itself.
            return ConstRes(f"{type_name}::{item}"), \
                builtins.primitive_const_type(type_name, item)
        if type_name in ("f32::consts", "f64::consts"):
            return self._float_module_const(type_name, item_seg)
        if type_name in t.PRIMITIVES:
            self.diags.append(d.error("E0599", f"no function or associated item named "
                                      f"`{item}` found for type `{type_name}` in the current "
                                      "scope", item_seg.span))
            return None, t.ERROR
        self.diags.append(self.undeclared_type(type_name, type_seg.span))
        return None, t.ERROR

    def _qualified(self, path: ast.Path, written: ast.TypePath
                   ) -> tuple[Res | None, t.Ty] | None:
        """`<Sq as Shape>::SIDES`, `<T as Shape>::area`: the item of that trait for that
        type (E0277 when it does not implement it, E0576 when the trait has no such item);
        None for a std trait (`<i32 as Default>::default()` is `i32::default()`)."""
        errors: list[d.Diagnostic] = []
        bound = lower_bound(written, t.ERROR, self.type_scope, errors)
        if bound is None:
            self.diags.extend(errors)
            return None, t.ERROR
        trait = self.env.traits.get(bound.trait)
        *type_segs, item_seg = path.segments
        if trait is None and (bound.trait, item_seg.name) != ("Default", "default"):
            return None
        type_span = type_segs[0].span.cover(type_segs[-1].span)
        ty = self.lower(ast.TypePath(ast.Path(tuple(type_segs), type_span), type_span))
        if isinstance(ty, t.Error):
            return None, t.ERROR
        if trait is None:
            # `<Vec<u8> as Default>::default()`: `Default::default()` of that type.
            self.obligations.append((Bound(ty, "Default"), path.span))
            return AssocFnRes("Default", "default", True), t.FnPtr((), ty)
        if item_seg.name not in trait.methods:
            self.diags.append(d.error(
                "E0576", f"cannot find method or associated constant `{item_seg.name}` in "
                f"trait `{trait.name}`", item_seg.span, f"not found in `{trait.name}`"))
            return None, t.ERROR
        if not self._has_trait(ty, trait.name):
            shown = self.show(ty)
            self.diags.append(d.error(
                "E0277", f"the trait bound `{shown}: {trait.name}` is not satisfied",
                type_span, "unsatisfied trait bound",
                help=(f"the trait `{trait.name}` is not implemented for `{shown}`",)))
            return None, t.ERROR
        res, ty = self._trait_fn(trait, ty, item_seg.name, path.span)
        return (replace(res, trait=trait.name) if isinstance(res, AssocFnRes) else res), ty

    def _struct_assoc(self, type_name: str, type_seg: ast.PathSegment,
                      item_seg: ast.PathSegment, path: ast.Path) -> tuple[Res | None, t.Ty]:
        """`Stack::new`, `Circle::area`: an associated function or method of a struct,
        inherent or from a trait it implements."""
        item = item_seg.name
        adt, _ = self.adt_instance(type_name, path.span)
        hidden = self.env.adt_hidden.get(type_name, ())
        if type_seg.generics and len(type_seg.generics) + len(hidden) == len(adt.args):
            # (`Cursor::<Shelf>::new`: with Shelf's `type Item` for its hidden parameter;
            # a type without the trait's impl is the bounds' E0277, reported once)
            written = tuple(self.lower(g) for g in type_seg.generics)
            adt = t.Adt(type_name, hidden_args(type_name, written, type_seg.span,
                                               self.type_scope, []))
        sig = self.env.inherent.get(type_name, {}).get(item)
        if sig is None:
            res, ty = self._assoc_on_type(adt, item_seg, path, report=False)
            if res is not None:
                return res, ty
            self.diags.append(self._no_assoc(type_name, "struct", item, item_seg.span))
            return None, t.ERROR
        self.check_method_visible(type_name, item, item_seg.span,
                                  "method" if sig.self_kind else "associated function")
        impl = self.env.impl_of.get(sig.decl)
        preset: dict[str, t.Ty] = {}
        if sig.decl.assoc_const and type_seg.name == "Self" and \
                isinstance(self.self_ty, t.Adt) and self.self_ty.name == type_name:
            adt = self.self_ty  # `Self::LIMIT` in `impl<T> Wrapper<T>`: of `Wrapper<T>`
        if impl is not None:
            traits.match_ty(impl.self_ty, adt, frozenset(impl.generics), preset)
        params, ret = self.instantiate(sig, path.span, preset,
                                       impl.generics if impl is not None else ())
        if sig.decl.assoc_const:
            if preset:  # `Self::LIMIT` of a generic impl: the Go function's type arguments
                self.results.turbofish[item_seg] = dict(preset)
            return AssocFnRes(type_name, item, False, const=True), ret
        if sig.self_kind is not None:
            self_ty: t.Ty = adt
            if sig.self_kind != "value":
                self_ty = t.Ref(self_ty, sig.self_kind == "ref_mut")
            params = (self_ty, *params)
        return AssocFnRes(type_name, item, False), t.FnPtr(params, ret)

    def _assoc_on_type(self, ty: t.Ty, item_seg: ast.PathSegment, path: ast.Path,
                       report: bool = True) -> tuple[Res | None, t.Ty]:
        """`T::default()`, `Self::new()`, `Circle::area`: an item of a trait `ty`
        implements."""
        item = item_seg.name
        if isinstance(ty, t.Adt) and ty.name in self.env.inherent and \
                item in self.env.inherent[ty.name]:
            seg = ast.PathSegment(ty.name, path.segments[0].span)
            return self._struct_assoc(ty.name, seg, item_seg, path)
        for trait in self.env.traits.values():
            if item in trait.methods and self._has_trait(ty, trait.name):
                return self._trait_fn(trait, ty, item, path.span)
        if item == "from" and (conversions.user_sources(self.env, ty) or any(
                b.trait == "From" and b.ty == ty for b in self.assumptions)):
            return self.from_fn(ty, path.segments[0].span)
        if item == "default" and self.implements(ty, "Default"):
            owner = ty.name if isinstance(ty, t.Adt) else str(ty)
            return AssocFnRes(owner, "default", True), t.FnPtr((), ty)
        if item == "try_from" and isinstance(ty, t.Adt) and self.user_try_froms(ty):
            return self.user_try_from_fn(ty, path.span)
        if item == "from_str" and (found := traits.impl_for(ty, "FromStr", self.env)):
            # `Level::from_str(s)`: the impl's function (`s.parse::<Level>()` calls it too).
            impl, subst = found
            err = t.substitute(dict(impl.assoc).get("Err", t.ERROR), subst)
            owner = ty.name if isinstance(ty, t.Adt) else str(ty)
            return AssocFnRes(owner, "from_str", True), t.FnPtr(
                (t.Ref(t.STR, False),), t.Adt("Result", (ty, err)))
        if report:
            what = self._assoc_word(path)
            self.diags.append(d.error(
                "E0599", f"no {what} named `{item}` found for type "
                f"parameter `{ty}` in the current scope" if isinstance(ty, t.Param) else
                f"no {what} named `{item}` found for `{ty}` in the "
                "current scope", item_seg.span,
                f"{what} not found in `{ty}`"))
        return None, t.ERROR

    def _trait_fn(self, trait: TraitInfo, ty: t.Ty, item: str, span: Span
                  ) -> tuple[Res | None, t.Ty]:
        _, params, ret = self.trait_method_of(trait, ty, item, 0, span)
        sig = trait.methods[item]
        owner = ty.name if isinstance(ty, t.Adt) else trait.name
        if sig.decl.assoc_const:
            return AssocFnRes(owner, item, False, const=True), ret
        if sig.self_kind is not None:
            self_ty = ty if sig.self_kind == "value" else t.Ref(ty, sig.self_kind == "ref_mut")
            params = (self_ty, *params)
        return AssocFnRes(owner, item, False), t.FnPtr(params, ret)

    def _trait_path(self, trait: TraitInfo, item_seg: ast.PathSegment, span: Span
                    ) -> tuple[Res | None, t.Ty]:
        """`Shape::area`: a trait's method as a function of its `Self` type."""
        sig = trait.methods.get(item_seg.name)
        if sig is None:
            # rustc reads `Trait::missing` as a bare trait object type (edition 2021).
            self.diags.append(d.error(
                "E0782", "expected a type, found a trait", Span(span.start, item_seg.span.end),
                help=(f"`{trait.name}` has no item `{item_seg.name}`; add `dyn` keyword "
                      f"before the trait to call a method of the trait object",)))
            return None, t.ERROR
        self_var = self.u.fresh()
        params, ret = self.instantiate(sig, span, {"Self": self_var})
        self.obligations.append((Bound(self_var, trait.name), span))
        if sig.self_kind is not None:
            self_ty: t.Ty = self_var if sig.self_kind == "value" else \
                t.Ref(self_var, sig.self_kind == "ref_mut")
            params = (self_ty, *params)
        return AssocFnRes(trait.name, item_seg.name, False), t.FnPtr(params, ret)

    def _resolve_go(self, package_path: str, seg: ast.PathSegment) -> tuple[Res | None, t.Ty]:
        """`http::Get`, `math::Pi`, `os::Stdout`: a member of a `use go` package."""
        package = self.env.go_packages[package_path]
        func = package.func(seg.name)
        if func is not None:
            sig = gust_signature(package_path, func)
            return GoRes(package_path, seg.name, "func"), self.instantiate_go(sig)
        const = package.const(seg.name)
        if const is not None:
            return GoRes(package_path, seg.name, "const"), gust_const_type(const)
        var = package.var(seg.name)
        if var is not None:
            return GoRes(package_path, seg.name, "var"), gust_var_type(var)
        named = package.type(seg.name)
        conversion = conversion_signature(named, package_path) if named is not None else None
        if conversion is not None:
            return GoRes(package_path, seg.name, "type"), conversion.fn_ptr
        names = [f.name for f in package.funcs] + [c.name for c in package.consts] + \
            [v.name for v in package.vars]
        suggestion = similar_name(seg.name, names)
        help_ = (f"a function with a similar name exists: `{suggestion}`",) if suggestion else ()
        self.diags.append(d.error("E0425", f"cannot find function, constant or variable "
                                  f"`{seg.name}` in Go package `{package_path}`", seg.span,
                                  "not found in this package", help=help_))
        return None, t.ERROR

    def _std_turbofish(self, module: str, seg: ast.PathSegment, ret: t.Ty) -> t.Ty:
        fn = builtins.std_fn(module, seg.name)
        assert fn is not None
        return t.substitute(fn.ret, {"T": self.lower(seg.generics[0])})

    def _fresh_instance(self, owner: str, seg: ast.PathSegment) -> t.Ty:
        params = builtins.params_of(owner)
        if seg.generics and len(seg.generics) == len(params):
            return t.Adt(owner, tuple(self.lower(g) for g in seg.generics))
        if owner == "str":
            return t.STR
        return t.Adt(owner, tuple(self.u.fresh() for _ in params))

    def no_variant(self, enum: str, name: str, span: Span, names: list[str]) -> d.Diagnostic:
        suggestion = similar_name(name, names)
        help_ = (f"there is a variant with a similar name: `{suggestion}`",) \
            if suggestion else ()
        return d.error("E0599", f"no variant or associated item named `{name}` found for enum "
                       f"`{enum}` in the current scope", span,
                       f"variant or associated item not found in `{enum}`", help=help_)

    def _no_assoc(self, type_name: str, kind: str, name: str, span: Span) -> d.Diagnostic:
        if name in ("sum", "product") and any(
                i.trait == name.capitalize() and isinstance(i.self_ty, t.Adt) and
                i.self_ty.name == type_name for i in self.env.impls):
            # (`impl Sum<A>` is known to `.sum()`, which picks the impl by the items.)
            return d.error(None, f"calling `{name}` of `{type_name}`'s `impl "
                           f"{name.capitalize()}` by path is not supported yet "
                           f"(`.{name}::<{type_name}>()` is)", span)
        names = list(self.env.methods.get(type_name, {}))
        if type_name in ("Vec", "String", "str"):
            names += builtins.method_names(type_name)
        suggestion = similar_name(name, names)
        help_ = (f"there is an associated function with a similar name: `{suggestion}`",) \
            if suggestion else ()
        what = self._assoc_word(None)
        return d.error("E0599", f"no {what} named `{name}` found for "
                       f"{kind} `{type_name}` in the current scope", span,
                       f"{what} not found in `{type_name}`", help=help_)

    def _assoc_word(self, path: ast.Path | None) -> str:
        """What rustc calls a missing `Type::name`: "function or associated item" when the
        path is called, "associated item" when it is a value (`Config::NOPE`)."""
        callee = self.callee_path
        if callee is not None and (path is None or callee.path is path or
                                   callee.path.last is path.last):
            return "function or associated item"
        return "associated item"


# The type a std type's methods continue on (its `Deref` target).
_DEREF_OWNERS: Final[dict[str, tuple[str, Callable[[t.Ty], t.Ty]]]] = {
    "String": ("str", lambda _: t.STR),
    "Vec": ("slice", lambda v: t.Slice(v.args[0]) if isinstance(v, t.Adt) else v),
}


def _std_receiver(type_name: str) -> t.Ty | None:
    """The receiver type of a std type's methods named by path (`String::len`): a
    primitive, `str`, or a std generic type (its arguments are inferred)."""
    if type_name in t.PRIMITIVES:
        return t.PRIMITIVES[type_name]
    if type_name == "str":
        return t.STR
    if type_name in ("String", "Vec", "Option", "Result"):
        return t.Adt(type_name, ())
    return None


# Std traits' methods called or used as values by the trait's name (`Ord::cmp`), and how
# `self` is taken ("ref": `&self`, "value": `self`).
_STD_TRAIT_METHODS: Final[dict[tuple[str, str], str]] = {
    ("ToString", "to_string"): "ref", ("Clone", "clone"): "ref",
    ("PartialEq", "eq"): "ref", ("PartialEq", "ne"): "ref",
    ("PartialOrd", "partial_cmp"): "ref", ("PartialOrd", "lt"): "ref",
    ("PartialOrd", "le"): "ref", ("PartialOrd", "gt"): "ref", ("PartialOrd", "ge"): "ref",
    ("Ord", "cmp"): "ref", ("Ord", "max"): "value", ("Ord", "min"): "value",
    ("Ord", "clamp"): "value",
    # The operator traits' methods (`Add::add(a, b)`, `.fold(0, Add::add)`): the operator.
    **{(trait, name): "value" for name, trait in OPERATOR_METHOD_TRAITS.items()},
}


def _std_trait_method_sig(key: tuple[str, str], self_ty: t.Ty
                          ) -> tuple[str, str, tuple[t.Ty, ...], t.Ty]:
    """The bound on `Self`, how `self` is taken, the other parameters and the result of a
    method of `_STD_TRAIT_METHODS` for `Self` = `self_ty`."""
    trait, method = key
    ordering = t.Adt("Ordering", ())
    params: tuple[t.Ty, ...] = (t.Ref(self_ty, False),)
    ret: t.Ty = t.BOOL
    match method:
        case "to_string":
            params, ret = (), t.STRING
        case "clone":
            params, ret = (), self_ty
        case "partial_cmp":
            ret = t.Adt("Option", (ordering,))
        case "cmp":
            ret = ordering
        case "max" | "min":
            params, ret = (self_ty,), self_ty
        case "clamp":
            params, ret = (self_ty, self_ty), self_ty
        case "neg" | "not":
            params, ret = (), self_ty  # (`Output = Self`, as the numbers' impls)
        case _ if method in OPERATOR_METHODS:
            params, ret = (self_ty,), self_ty  # (`Rhs = Self`, `Output = Self`)
    return trait, _STD_TRAIT_METHODS[key], params, ret


def _path_call_closure(path: ast.Path, params: tuple[t.Ty, ...], ret: t.Ty
                       ) -> tuple[ast.Closure, tuple[t.Ty, ...], t.Ty]:
    """The closure `|value, arg1, ..| Trait::name(value, arg1, ..)` a trait's method named
    by `path` stands for as a value."""
    span = path.span
    names = ["value", *(f"arg{i}" for i in range(1, len(params)))]

    def use(name: str) -> ast.PathExpr:
        return ast.PathExpr(ast.Path((ast.PathSegment(name, span),), span), span)

    closure_params = tuple(ast.ClosureParam(ast.IdentPat(n, span, False, False, None, span),
                                            None, span) for n in names)
    call = ast.Call(ast.PathExpr(path, span), tuple(use(n) for n in names), span)
    return ast.Closure(False, closure_params, None, call, span, span), params, ret


def _method_closure(path: ast.Path, self_kind: str, receiver: t.Ty,
                    params: tuple[t.Ty, ...], ret: t.Ty,
                    generics: tuple[ast.TypeExpr, ...] = ()
                    ) -> tuple[ast.Closure, tuple[t.Ty, ...], t.Ty]:
    """The closure `|value, arg1, ..| value.name(arg1, ..)` a method named by `path`
    stands for as a value, and its parameter and result types (`self` by reference for a
    `&self` method: `String::len` takes a `&String`)."""
    self_ty = {"ref": t.Ref(receiver, False), "ref_mut": t.Ref(receiver, True)}.get(
        self_kind, receiver)
    span = path.span
    names = ["value", *(f"arg{i}" for i in range(1, len(params) + 1))]

    def use(name: str) -> ast.PathExpr:
        return ast.PathExpr(ast.Path((ast.PathSegment(name, span),), span), span)

    closure_params = tuple(ast.ClosureParam(ast.IdentPat(n, span, False, False, None, span),
                                            None, span) for n in names)
    call = ast.MethodCall(use("value"), path.segments[-1].name, path.segments[-1].span,
                          generics, tuple(use(n) for n in names[1:]), span)
    return ast.Closure(False, closure_params, None, call, span, span), (self_ty, *params), ret
