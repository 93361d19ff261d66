"""Unary and binary operators, casts, assignments, ranges."""

from __future__ import annotations

from collections.abc import Callable
from typing import Final

import mypy_extensions

from gust import diagnostics as d
from gust.sema import builtins, traits
from gust.sema import types as t
from gust.sema.check.base import CheckerBase, unsized_pair, untyped_int
from gust.sema.check.util import ARITH, ARITH_PREP, BIT, CMP, described, is_place, op_trait
from gust.sema.golang import go_numeric
from gust.syntax import ast
from gust.text import Span


@mypy_extensions.trait
class Operators(CheckerBase):
    # ---------------------------------------------------------------- operators

    def _expr_Unary(self, e: ast.Unary, expected: t.Ty | None) -> t.Ty:
        if e.op == "*":
            ty = self.u.shallow(self.check_expr(e.operand, None))
            if isinstance(ty, t.Ref):
                return ty.inner
            if isinstance(ty, t.Adt) and ty.name in builtins.DEREF_TYPES and ty.args:
                return ty.args[0]
            if isinstance(ty, t.Adt) and ty.name == "Vec" and ty.args:
                return t.Slice(ty.args[0])  # `&*v`, `match *v { [a, ..] => .. }`
            if ty == t.STRING:
                return t.STR
            if isinstance(ty, t.Error):
                return t.ERROR
            target = self.user_deref(ty)
            if target is not None:
                return target  # `*w` of a package type's `impl Deref`
            self.diags.append(d.error("E0614", f"type `{self.show(ty)}` cannot be dereferenced",
                                      e.span))
            return t.ERROR
        return self.unary_operator(e, self.check_expr(e.operand, expected))

    def unary_operator(self, e: ast.Unary, ty: t.Ty) -> t.Ty:
        """`-x` or `!x` with `x` of type `ty` (checked)."""
        base = self.u.shallow(ty)
        if isinstance(base, t.Ref) and isinstance(self.u.shallow(base.inner),
                                                  (t.Int, t.Float, t.Bool)):
            base = self.u.shallow(base.inner)
        if e.op == "-":
            if isinstance(base, t.Float) or (isinstance(base, t.Int) and base.signed) or (
                    isinstance(base, t.Infer) and base.kind in ("int", "float")):
                return base
        elif e.op == "!" and (isinstance(base, (t.Bool, t.Int)) or (
                isinstance(base, t.Infer) and base.kind == "int")):
            return base
        if isinstance(base, t.Error):
            return t.ERROR
        trait = "Neg" if e.op == "-" else "Not"
        for b in self.assumptions:
            if isinstance(base, t.Param) and b.ty == base and b.trait == trait:
                out_ty = b.assoc_ty("Output")  # `-x` with `T: Neg<Output = T>`
                return out_ty if out_ty is not None else t.ERROR
        out = self.user_operator(trait, base, None)
        if out is not None:
            return out
        self.diags.append(d.error("E0600", f"cannot apply unary operator `{e.op}` to type "
                                  f"`{self.show(ty)}`", e.span,
                                  f"cannot apply unary operator `{e.op}`"))
        return t.ERROR

    def _expr_Borrow(self, e: ast.Borrow, expected: t.Ty | None) -> t.Ty:
        exp = self.u.shallow(expected) if expected is not None else None
        inner_expected = exp.inner if isinstance(exp, t.Ref) else None
        if isinstance(inner_expected, t.Slice) and isinstance(e.operand, ast.ArrayExpr):
            # `&[&a, &b]` for `&[&dyn Trait]`, `&[&[1, 2], &[]]` for `&[&[i32]]`: each
            # element is coerced to the slice's element type (unsized on its own), as rustc
            # takes the expected slice's element type as the array's.
            n = len(e.operand.elems)
            inner_expected = t.Array(inner_expected.elem, n)
        elif isinstance(inner_expected, (t.Str, t.Slice)):
            inner_expected = None
        inner = self.check_expr(e.operand, inner_expected)
        return t.Ref(inner, e.mutable)

    def _expr_Binary(self, e: ast.Binary, expected: t.Ty | None) -> t.Ty:
        op = e.op
        if op in ("&&", "||"):
            self.check_expr_coerce(e.lhs, t.BOOL)
            self.check_expr_coerce(e.rhs, t.BOOL)
            return t.BOOL
        lhs = self.check_expr(e.lhs, expected if op not in CMP else None)
        lhs_r = self.u.shallow(lhs)
        if op in CMP:
            rhs = self.check_expr(e.rhs, lhs_r if not isinstance(lhs_r, t.Infer) else None)
            return self.comparison(e, lhs, rhs)
        rhs_expected = lhs_r if isinstance(lhs_r, (t.Int, t.Float)) else None
        if op in ("<<", ">>"):
            rhs_expected = None
        rhs = self.check_expr(e.rhs, rhs_expected)
        return self.arithmetic(e, lhs, rhs)

    def _deref_copy(self, ty: t.Ty) -> t.Ty:
        """`&i32 + i32` works in Rust (`Add` is implemented for references to numbers)."""
        ty = self.u.shallow(ty)
        if isinstance(ty, t.Ref):
            inner = self.u.shallow(ty.inner)
            if isinstance(inner, (t.Int, t.Float, t.Bool, t.Error)) or (
                    isinstance(inner, t.Infer) and inner.kind != "any"):
                return inner
        return ty

    def arithmetic(self, e: ast.Binary, lhs: t.Ty, rhs: t.Ty) -> t.Ty:
        op = e.op
        a = self._deref_copy(lhs)
        b = self._deref_copy(rhs)
        if isinstance(a, t.Error) or isinstance(b, t.Error):
            return t.ERROR
        if isinstance(a, t.Infer) and a.kind == "any" and op not in ("<<", ">>"):
            # An operand whose type is not known yet (a closure parameter before the first
            # call): rustc defers the operator; the other operand decides.
            return a if self.u.unify(a, b) else t.ERROR
        if op == "+" and isinstance(a, t.Adt) and a.name == "String":
            if self.coerces(rhs, t.STR_REF):
                return t.STRING
            self.mismatch(t.STR_REF, rhs, e.rhs.span,
                          help_=("consider borrowing here: `&`",) if self.u.resolve(rhs) ==
                          t.STRING else ())
            return t.STRING
        numeric_ok = t.is_numeric(a) and (op not in BIT or t.is_integral(a))
        if op in ("&", "|", "^") and isinstance(a, t.Bool):
            numeric_ok = True
        if isinstance(a, t.Param) and op in ARITH:
            return self._param_arithmetic(e, a, rhs)
        if op in ARITH and go_numeric(self.env.go_packages, a) and self.u.unify(a, b):
            return a  # Go's own arithmetic on a Go numeric type: `n * time::Second`
        if op in ARITH and go_numeric(self.env.go_packages, a) and untyped_int(e.rhs):
            return self.go_constant(e.rhs, a)  # `time::Minute * 2`: Go's untyped constant
        if op in ARITH and go_numeric(self.env.go_packages, b) and untyped_int(e.lhs):
            return self.go_constant(e.lhs, b)  # `2 * time::Minute`
        std_out = self._std_operator(op, a, b, rhs, e)
        if std_out is not None:
            return std_out
        if not numeric_ok:
            out = self.user_operator(op_trait(op), a, rhs, e.rhs.span)
            if out is not None:
                return out
            shown = self.show(lhs)
            labels = (d.Label(e.lhs.span, shown), d.Label(e.rhs.span, self.show(rhs)))
            notes: tuple[str, ...] = ()
            base = a
            if isinstance(base, t.Adt) and base.name in self.env.structs | self.env.enums:
                notes = (f"an implementation of `std::ops::{op_trait(op)}` might be missing "
                         f"for `{base}`",)
            help_: tuple[str, ...] = ()
            if op in ARITH and go_numeric(self.env.go_packages, a) and t.is_numeric(b):
                help_ = (f"Go's arithmetic takes two values of one type: convert the other "
                         f"operand, `{shown}({_source_or(e.rhs, 'n')})`",)
            self.diags.append(d.error("E0369", f"binary operation `{op}` cannot be applied to "
                                      f"type `{shown}`", e.op_span, None, labels=labels,
                                      notes=notes, help=help_))
            return t.ERROR
        if op in ("<<", ">>"):
            if not t.is_integral(b):
                self.mismatch(a, rhs, e.rhs.span)
            return a
        if self.u.unify(a, b):
            return a
        # rustc adds "mismatched types" only when both sides are integers (or both floats)
        # of different types; an integer with a float is only the missing `Add` impl.
        if t.is_integral(a) == t.is_integral(b):
            self.mismatch(a, b, e.rhs.span)
        verb = ARITH.get(op, "apply")
        prep = ARITH_PREP.get(op, "to")
        shown_a = _kind_name(self.u.resolve(a), self.show)
        shown_b = _kind_name(self.u.resolve(b), self.show)
        message = (f"cannot {verb} {shown_b} {prep} {shown_a}" if op == "+"
                   else f"cannot {verb} {shown_a} {prep} {shown_b}")
        if op in ARITH:
            self.diags.append(d.error("E0277", message, e.op_span,
                                      f"no implementation for `{self.show(a)} {op} "
                                      f"{self.show(b)}`"))
        return a

    def _std_operator(self, op: str, a: t.Ty, b: t.Ty, rhs: t.Ty, e: ast.Binary
                      ) -> t.Ty | None:
        """`a op b` by one of std's impls for its time types (`STD_OPERATORS`): `rhs` is
        coerced to the impl's `Rhs` when there is one impl (rustc's E0308 otherwise), and
        `n * d` with an integer `n` is `Mul<Duration> for u32`. None for other types."""
        a = self.u.shallow(a)
        if isinstance(a, t.Adt) and a.name in builtins.STD_OPERATOR_TYPES:
            impls = builtins.STD_OPERATORS.get((a.name, op), ())
            if not impls:
                return None
            if len(impls) == 1:
                self.coerce(rhs, impls[0][0], e.rhs.span)
                return impls[0][1]
            for other, out in impls:
                if self.u.unify(self.u.shallow(b), other):
                    return out
            self.mismatch(impls[0][0], rhs, e.rhs.span)
            return impls[0][1]
        b = self.u.shallow(b)
        if op == "*" and b == builtins.DURATION and (isinstance(a, t.Int) or (
                isinstance(a, t.Infer) and a.kind == "int")):
            self.coerce(a, t.Int("u32"), e.lhs.span)  # `2 * d`: `Mul<Duration> for u32`
            return builtins.DURATION
        return None

    def user_operator(self, trait: str, lhs: t.Ty, rhs: t.Ty | None,
                      rhs_span: Span | None = None) -> t.Ty | None:
        """`a + b` (`-a` without `rhs`) with an `impl Add<Rhs> for A` of the package: the
        impl's `Output`, after `rhs` is coerced to its `Rhs` (`Self` by default)."""
        lhs = self.u.resolve(lhs)
        if not isinstance(lhs, t.Adt) or lhs.name not in self.env.structs | self.env.enums:
            return None
        found: list[tuple[t.Ty, t.Ty]] = []  # (Rhs, Output) of each impl for `lhs`
        for impl in self.env.trait_impls(trait):
            subst: dict[str, t.Ty] = {}
            if not traits.match_ty(impl.self_ty, lhs, frozenset(impl.generics), subst):
                continue
            out = dict(impl.assoc).get("Output")
            if out is None:
                continue
            other = t.substitute(impl.trait_args[0], subst) if impl.trait_args else lhs
            found.append((other, t.substitute(out, subst)))
        if not found:
            return None
        if rhs is None or rhs_span is None:
            return found[0][1]
        if len(found) == 1:
            self.coerce(rhs, found[0][0], rhs_span)
            return found[0][1]
        for other, out in found:
            if self.u.unify(self.u.shallow(rhs), other):
                return out
        return None

    def _param_arithmetic(self, e: ast.Binary, a: t.Param, rhs: t.Ty) -> t.Ty:
        """`a + b` with `T: Add<Output = T>`: the bound's `Output` is the result; without
        a bound, E0369 as rustc says it for type parameters."""
        trait = op_trait(e.op)
        for b in self.assumptions:
            if b.ty == a and b.trait == trait:
                other = b.args[0] if b.args else a
                self.coerce(rhs, other, e.rhs.span)
                out = b.assoc_ty("Output")
                return out if out is not None else t.ERROR
        verb = ARITH.get(e.op, "apply")
        prep = ARITH_PREP.get(e.op, "to")
        shown_b = self.show(rhs)
        message = (f"cannot {verb} `{shown_b}` {prep} `{a}`" if e.op == "+"
                   else f"cannot {verb} `{a}` {prep} `{shown_b}`")
        self.diags.append(d.error("E0369", message, e.op_span, None,
                                  labels=(d.Label(e.lhs.span, str(a)),
                                          d.Label(e.rhs.span, shown_b)),
                                  help=(f"consider restricting type parameter `{a}` with "
                                        f"trait `{trait}`: `{a}: std::ops::{trait}"
                                        f"<Output = {a}>`",)))
        return t.ERROR

    def comparison(self, e: ast.Binary, lhs: t.Ty, rhs: t.Ty) -> t.Ty:
        a = self.u.shallow(lhs)
        b = self.u.shallow(rhs)
        if isinstance(a, t.Error) or isinstance(b, t.Error):
            return t.BOOL
        if isinstance(a, t.Ref) and isinstance(b, t.Ref) and a.mutable != b.mutable and \
                self.u.unify(a.inner, b.inner):
            # `&mut A == &B` compares what they point to (std's `PartialEq<&B> for &mut A`)
            return self.comparison(e, a.inner, b.inner)
        if not self.u.unify(a, b):
            # `String == &str` and `&str == String` are implemented in std (and through
            # `&mut`: `s == "x"` with `s: &mut String` from `iter_mut`).
            # Through as many references on both sides (`&String == &&str`: std's
            # `PartialEq<&B> for &A`), down to `String` against `str` or `&str`.
            left = str(self.u.resolve(a)).replace("&mut ", "&")
            right = str(self.u.resolve(b)).replace("&mut ", "&")
            while left.startswith("&") and right.startswith("&"):
                left, right = left[1:], right[1:]
            if {left, right} in ({"String", "&str"}, {"String", "str"}):
                return t.BOOL
            if e.op in ("==", "!=") and self._sequences_compare(a, b):
                return t.BOOL  # `w == b"true"` (`Vec<u8>` and `&[u8; 4]`)
            if e.op in ("<", ">", "<=", ">=") and isinstance(a, t.Ref) and \
                    not isinstance(b, t.Ref):
                # rustc expects the same type on both sides of an ordering: `x > 1` with
                # `x: &&i32` is "expected `&&_`, found integer".
                shape = "&" * _ref_depth(a) + "_"
                self.diags.append(d.error(
                    "E0308", "mismatched types", e.rhs.span,
                    f"expected `{shape}`, found {described(b, self.show)}"))
                return t.BOOL
            if isinstance(a, t.Ref) != isinstance(b, t.Ref) or \
                    (isinstance(a, t.Array) and isinstance(b, t.Array)):
                # `&i32 == i32`: no `PartialEq` between a reference and a value, nor
                # between arrays of two lengths.
                self.diags.append(d.error(
                    "E0277", f"can't compare `{self.show(a)}` with `{self.show(b)}`",
                    e.op_span, f"no implementation for `{self.show(a)} {e.op} {self.show(b)}`",
                    help=(f"the trait `PartialEq<{self.show(b)}>` is not implemented for "
                          f"`{self.show(a)}`",)))
                return t.BOOL
            self.mismatch(a, b, e.rhs.span)
            return t.BOOL
        resolved = self.u.resolve(a)
        ok = self.implements(resolved, "PartialEq" if e.op in ("==", "!=") else "PartialOrd")
        if not ok:
            notes: tuple[str, ...] = ()
            base = resolved.inner if isinstance(resolved, t.Ref) else resolved
            if isinstance(base, t.Adt) and base.name in self.env.structs | self.env.enums:
                trait = "PartialEq" if e.op in ("==", "!=") else "PartialOrd"
                notes = (f"an implementation of `{trait}` might be missing for `{base}`",)
            self.diags.append(d.error("E0369", f"binary operation `{e.op}` cannot be applied "
                                      f"to type `{resolved}`", e.op_span, None,
                                      labels=(d.Label(e.lhs.span, str(resolved)),
                                              d.Label(e.rhs.span, str(resolved))),
                                      notes=notes))
        return t.BOOL

    def _sequences_compare(self, a: t.Ty, b: t.Ty) -> bool:
        """Whether std's `PartialEq` compares a `Vec`, array or slice with another of
        those shapes (`Vec<T> == &[T; N]`, `&[T] == Vec<T>`, `[T; N] == [T]`: its impls
        between them), through as many references on both sides; the elements unified."""
        a, b = self.u.shallow(a), self.u.shallow(b)
        while isinstance(a, t.Ref) and isinstance(b, t.Ref):
            a, b = self.u.shallow(a.inner), self.u.shallow(b.inner)
        left, right = _seq_shape(a, self.u.shallow), _seq_shape(b, self.u.shallow)
        if left is None or right is None or \
                (left[0], right[0]) not in _SEQUENCE_EQ:
            return False
        return self.u.unify(left[1], right[1])

    def _expr_Cast(self, e: ast.Cast, expected: t.Ty | None) -> t.Ty:
        target = self.lower(e.ty)
        literal = isinstance(target, (t.Int, t.Char)) and _literal_operand(e.expr)
        # rustc types a bare literal by the cast (`300 as u8` is a u8 literal, and `-1 as u8`
        # negates a u8: E0600; `65 as char` casts a u8); any other operand
        # (`(43546 % 1000) as u8`) keeps its own type, i32 by default.
        hint = (t.Int("u8") if isinstance(target, t.Char) else target) if literal else None
        source = self.u.shallow(self.check_expr(e.expr, hint))
        if isinstance(source, t.Infer) and source.kind == "int" and literal:
            self.u.unify(source, target)
            return target
        if isinstance(source, t.Infer) and source.kind == "any":
            # `|z| z as i64` before z's type is known: rustc checks casts at the end of
            # the body, once a later call has decided z's type.
            self.deferred.append(lambda: self._check_cast(e, self.u.shallow(source), target))
            return target
        self._check_cast(e, source, target)
        return target

    def _check_cast(self, e: ast.Cast, source: t.Ty, target: t.Ty) -> None:
        if isinstance(source, t.Infer) and source.kind == "any":
            return  # never known: the binding's E0282 says so
        if self._unsizing_cast(e, source, target):
            return
        ok = (t.is_numeric(source) and (isinstance(target, (t.Int, t.Float)))) or \
            (isinstance(source, (t.Bool, t.Char)) and isinstance(target, t.Int)) or \
            (source == t.Int("u8") and isinstance(target, t.Char)) or \
            isinstance(source, t.Error) or isinstance(target, t.Error) or source == target
        if not ok and isinstance(source, t.Adt) and source.name in self.env.enums:
            self._enum_cast(e, source, target)
            return
        if not ok and isinstance(target, t.Bool) and (
                t.is_numeric(source) or isinstance(source, (t.Int, t.Float, t.Char))):
            shown = self.show(source)
            if isinstance(source, t.Infer):
                shown = "i32"  # an integer literal's default (rustc reports it so)
            self.diags.append(d.error("E0054", f"cannot cast `{shown}` as `bool`", e.span,
                                      "unsupported cast"))
            return
        if not ok:
            inner = self.u.shallow(source.inner) if isinstance(source, t.Ref) else None
            primitive = isinstance(source, (t.Int, t.Float, t.Bool, t.Char)) or (
                inner is not None and (isinstance(inner, (t.Int, t.Float, t.Bool, t.Char))
                                       or t.is_numeric(inner)))
            # A reference casts to an integer only through a raw pointer (E0606).
            primitive = primitive or (isinstance(source, t.Ref) and
                                      isinstance(target, (t.Int, t.Float)))
            code = "E0605" if not primitive else \
                "E0604" if isinstance(target, t.Char) else "E0606"
            self.diags.append(d.error(code, f"non-primitive cast: `{self.show(source)}` as "
                                      f"`{target}`" if code == "E0605" else
                                      f"casting `{self.show(source)}` as `{target}` is invalid",
                                      e.span, "an `as` expression can only be used to convert "
                                      "between primitive types or to coerce to a specific trait "
                                      "object" if code == "E0605" else None))

    def _unsizing_cast(self, e: ast.Cast, source: t.Ty, target: t.Ty) -> bool:
        """`&x as &dyn Trait`, `Box::new(x) as Box<dyn Trait>`: `as` coerces to a trait
        object (E0277 when the type does not implement the trait)."""
        dyn = target.inner if isinstance(target, t.Ref) else target.args[0] \
            if isinstance(target, t.Adt) and target.name == "Box" and target.args else None
        if not isinstance(dyn, t.Dyn) or not isinstance(source, (t.Ref, t.Adt)):
            return False
        pointee = self.u.shallow(source.inner) if isinstance(source, t.Ref) else \
            self.u.shallow(source.args[0]) if source.name == "Box" and source.args else None
        if isinstance(pointee, t.Infer) and pointee.kind in ("int", "float"):
            # `&5 as &dyn Display`: the literal's type falls back to i32/f64 here, as the
            # trait object needs a type.
            self.u.unify(pointee, t.I32 if pointee.kind == "int" else t.F64)
        if unsized_pair(self.u, source, target) is None:
            return False
        self.coerce(source, target, e.span)
        return True

    def _enum_cast(self, e: ast.Cast, source: t.Adt, target: t.Ty) -> None:
        """`Level::High as i32`: an enum whose variants are all units casts to any integer
        type (its discriminant); not to a float (E0606), `char` (E0604) or `bool` (E0054);
        an enum with payloads casts to nothing (E0605)."""
        info = self.env.enums[source.name]
        shown = self.show(source)
        if any(v.kind != "unit" for v in info.variants) or \
                not isinstance(target, (t.Int, t.Float, t.Char, t.Bool)):
            self.diags.append(d.error(
                "E0605", f"non-primitive cast: `{shown}` as `{target}`", e.span,
                "an `as` expression can be used to convert enum types to numeric types only "
                "if the enum type is unit-only or field-less" if isinstance(target, t.Int)
                else "an `as` expression can only be used to convert between primitive types "
                "or to coerce to a specific trait object"))
        elif isinstance(target, t.Float):
            self.diags.append(d.error("E0606", f"casting `{shown}` as `{target}` is invalid",
                                      e.span, None, help=("cast through an integer first",)))
        elif isinstance(target, t.Char):
            self.diags.append(d.error("E0604", f"only `u8` can be cast as `char`, not "
                                      f"`{shown}`", e.span, "invalid cast"))
        elif isinstance(target, t.Bool):
            self.diags.append(d.error("E0054", f"cannot cast `{shown}` as `bool`", e.span,
                                      "unsupported cast"))

    def _expr_Assign(self, e: ast.Assign, expected: t.Ty | None) -> t.Ty:
        if isinstance(e.target, ast.Underscore):
            self.check_expr(e.value, None)  # `_ = value`: evaluated, then dropped
            return t.UNIT
        if not is_place(e.target):
            self.check_expr(e.target, None)
            self.check_expr(e.value, None)
            self.diags.append(d.error("E0070", "invalid left-hand side of assignment",
                                      e.span, None, labels=(d.Label(e.target.span,
                                                                    "cannot assign to this "
                                                                    "expression"),)))
            return t.UNIT
        target = self.check_expr(e.target, None)
        value = self.check_expr(e.value, target)
        self.coerce(value, target, e.value.span)
        return t.UNIT

    def _expr_CompoundAssign(self, e: ast.CompoundAssign, expected: t.Ty | None) -> t.Ty:
        target = self.check_expr(e.target, None)
        target_r = self.u.shallow(target)
        if isinstance(target_r, t.Infer) and target_r.kind == "any":
            # `*m.entry(k).or_default() += d` before anything says what `m` holds: rustc
            # waits for the place's type (a later use, the function's return type), so the
            # operator is checked at the end of the body. Still unknown then, the binding
            # holding it is E0282 (`needs_type`), as rustc's (even for `+= 1`).
            value = self.check_expr(e.value, None)

            def later() -> None:
                known = self.u.shallow(target)
                if not (isinstance(known, t.Infer) and known.kind == "any"):
                    self._compound(e, known, value)
            self.deferred.append(later)
            return t.UNIT
        self._compound(e, target_r, None)
        return t.UNIT

    def _compound(self, e: ast.CompoundAssign, target_r: t.Ty, checked: t.Ty | None) -> None:
        """`target op= value` with the place's type `target_r`; `checked` is the value's
        type when it was checked already (the operator was deferred), else it is checked
        here with what the operator expects."""
        def operand(expected: t.Ty | None) -> t.Ty:
            return checked if checked is not None else self.check_expr(e.value, expected)

        if isinstance(target_r, t.Adt) and target_r.name == "String" and e.op == "+":
            self._assignable(e)
            value = operand(t.STR_REF)
            self.coerce(value, t.STR_REF, e.value.span)
            return
        if self._user_assign_operator(e, target_r, operand):
            return
        if isinstance(target_r, t.Param) and e.op in ARITH:
            self._param_assign(e, target_r, operand)
            return
        if isinstance(target_r, t.Adt) and target_r.name in builtins.STD_OPERATOR_TYPES:
            # `d += Duration::from_millis(5)`, `d *= 2`: std's `AddAssign` ... impls
            impls = builtins.STD_OPERATORS.get((target_r.name, e.op), ())
            if impls and impls[0][1] == target_r:
                self._assignable(e)
                value = operand(impls[0][0])
                self.coerce(value, impls[0][0], e.value.span)
                return
        if e.op in ARITH and go_numeric(self.env.go_packages, target_r):
            # Go's own `d += time::Second`, `d *= 2` on a Go numeric type.
            self._assignable(e)
            value = operand(target_r)
            if untyped_int(e.value):
                self.go_constant(e.value, target_r)
            else:
                self.coerce(value, target_r, e.value.span)
            return
        value = operand(target_r if isinstance(target_r, (t.Int, t.Float)) else None)
        a = target_r
        b = self._deref_copy(value)
        if isinstance(a, t.Error) or isinstance(b, t.Error):
            return
        if not t.is_numeric(a) or (e.op in BIT and not t.is_integral(a) and
                                   not isinstance(a, t.Bool)):
            self.diags.append(d.error("E0368", f"binary assignment operation `{e.op}=` cannot "
                                      f"be applied to type `{self.show(a)}`", e.target.span,
                                      f"cannot use `{e.op}=` on type `{self.show(a)}`"))
            return
        # Like rustc, the left-hand side is asked to be a place only once the operator
        # applies (`*counts.entry(k).or_insert(0) += 1` without the `*` is one E0368).
        self._assignable(e)
        if e.op not in ("<<", ">>") and not self.u.unify(a, b):
            self.mismatch(a, b, e.value.span)
            self.diags.append(d.error("E0277", f"cannot {ARITH.get(e.op, 'apply')}-assign "
                                      f"`{self.show(b)}` {ARITH_PREP.get(e.op, 'to')} "
                                      f"`{self.show(a)}`", e.span))

    def _user_assign_operator(self, e: ast.CompoundAssign, target: t.Ty,
                              operand: Callable[[t.Ty | None], t.Ty]) -> bool:
        """`a += b` with an `impl AddAssign<Rhs> for A` of the package (a call of
        `add_assign(&mut a, b)`): `b` is coerced to its `Rhs` (`Self` by default). False
        when `a` is no type of the package or has no such impl."""
        trait = op_trait(e.op) + "Assign"
        if not isinstance(target, t.Adt) or target.name not in self.env.structs | self.env.enums:
            return False
        others: list[t.Ty] = []
        for impl in self.env.trait_impls(trait):
            subst: dict[str, t.Ty] = {}
            if traits.match_ty(impl.self_ty, target, frozenset(impl.generics), subst):
                others.append(t.substitute(impl.trait_args[0], subst) if impl.trait_args
                              else target)
        if not others:
            return False
        self._assignable(e)
        value = operand(others[0] if len(others) == 1 else None)
        if len(others) == 1:
            self.coerce(value, others[0], e.value.span)
        elif not any(self.u.unify(self.u.shallow(value), other) for other in others):
            self.mismatch(others[0], value, e.value.span)
        return True

    def _param_assign(self, e: ast.CompoundAssign, a: t.Param,
                      operand: Callable[[t.Ty | None], t.Ty]) -> None:
        """`s += x` with `T: AddAssign` (`AddAssign<Rhs>`): the value is coerced to the
        bound's `Rhs` (`T` by default); without such a bound, E0368 with rustc's help to
        add it (an `Add` bound does not give `+=`)."""
        trait = op_trait(e.op) + "Assign"
        for b in self.assumptions:
            if b.ty == a and b.trait == trait:
                self._assignable(e)
                other = b.args[0] if b.args else a
                self.coerce(operand(other), other, e.value.span)
                return
        operand(None)
        further = "further " if any(b.ty == a for b in self.assumptions) else ""
        self.diags.append(d.error(
            "E0368", f"binary assignment operation `{e.op}=` cannot be applied to type `{a}`",
            e.target.span, f"cannot use `{e.op}=` on type `{a}`",
            help=(f"consider {further}restricting type parameter `{a}` with trait "
                  f"`{trait}`: `{a}: std::ops::{trait}`",)))

    def _assignable(self, e: ast.CompoundAssign) -> None:
        if not is_place(e.target):
            self.diags.append(d.error("E0067", "invalid left-hand side of assignment",
                                      e.span, None, labels=(d.Label(e.target.span,
                                                                    "cannot assign to this "
                                                                    "expression"),)))

    def _expr_Range(self, e: ast.Range, expected: t.Ty | None) -> t.Ty:
        elem: t.Ty = self.u.fresh()
        if e.lo is not None:
            lo = self.check_expr(e.lo, None)
            self.u.unify(elem, lo)
        if e.hi is not None:
            hi = self.check_expr(e.hi, self.u.shallow(elem) if e.lo is not None else None)
            if not self.u.unify(elem, hi):
                self.mismatch(elem, hi, e.hi.span)
        return t.Adt("RangeInclusive" if e.inclusive else "Range", (elem,))


def _kind_name(ty: t.Ty, show: Callable[[t.Ty], str]) -> str:
    """How rustc names an operand in "cannot add X to Y": literals of unknown type are "an
    integer" / "a float", other types are quoted."""
    if isinstance(ty, t.Infer) and ty.kind == "int":
        return "an integer"
    if isinstance(ty, t.Infer) and ty.kind == "float":
        return "a float"
    return f"`{show(ty)}`"


def _ref_depth(ty: t.Ty) -> int:
    depth = 0
    while isinstance(ty, t.Ref):
        ty, depth = ty.inner, depth + 1
    return depth


def _has_dyn(ty: t.Ty) -> bool:
    match ty:
        case t.Dyn(opaque=False):
            return True
        case t.Ref(inner, _) | t.Adt("Box", (inner,)):
            return _has_dyn(inner)
    return False


def _literal_operand(e: ast.Expr) -> bool:
    """An integer literal, maybe in parentheses or negated: the operands rustc types by the
    cast they are in."""
    while True:
        if isinstance(e, ast.Paren):
            e = e.inner
        elif isinstance(e, ast.Unary) and e.op == "-":
            e = e.operand
        else:
            return isinstance(e, ast.Literal)


def _source_or(e: ast.Expr, default: str) -> str:
    """A variable's name for a suggestion, else a placeholder."""
    if isinstance(e, ast.PathExpr) and len(e.path.segments) == 1:
        return e.path.segments[0].name
    return default


# The shapes std's `PartialEq` impls compare with each other when their types differ
# (`&[T]` is "&slice"; `Vec == Vec` and `[T; N] == [T; N]` unify).
_SEQUENCE_EQ: Final = frozenset({
    ("vec", "&slice"), ("vec", "slice"), ("vec", "array"), ("vec", "&array"),
    ("slice", "vec"), ("&slice", "vec"), ("slice", "array"), ("&slice", "array"),
    ("array", "slice"), ("array", "&slice"),
})


def _seq_shape(ty: t.Ty, shallow: Callable[[t.Ty], t.Ty]) -> tuple[str, t.Ty] | None:
    """A `Vec`, array or slice, or a reference to an array or slice: its shape's name
    and its element type."""
    prefix = ""
    if isinstance(ty, t.Ref):
        ty, prefix = shallow(ty.inner), "&"
    match ty:
        case t.Adt("Vec", (elem,)) if not prefix:
            return "vec", elem
        case t.Array(elem, _):
            return prefix + "array", elem
        case t.Slice(elem):
            return prefix + "slice", elem
    return None
