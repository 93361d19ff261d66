"""Patterns: bindings, match ergonomics, constructor patterns."""

from __future__ import annotations

import enum
from typing import Final

import mypy_extensions

from gust import diagnostics as d
from gust.sema import types as t
from gust.sema.check.base import CheckerBase
from gust.sema.check.util import ORDERING_VARIANTS, PRELUDE_VARIANTS, plural
from gust.sema.items import ItemEnv
from gust.sema.modules import std_needs_import
from gust.syntax import ast

# How rustc names the bindings of each kind of pattern in E0530.
_BINDING_SOURCES: Final = {"match": "match bindings", "let": "let bindings",
                    "param": "function parameters", "closure": "function parameters",
                    "for": "for bindings"}


@mypy_extensions.trait
class Patterns(CheckerBase):
    # ------------------------------------------------------------ patterns

    def check_pat(self, pat: ast.Pat, expected: t.Ty, kind: str,
                  default_ref: str = "") -> None:
        """Check `pat` against `expected`, declaring its bindings in the current scope.

        `default_ref` is the default binding mode ("", "ref" or "ref mut") of match
        ergonomics: matching a non-reference pattern against `&T` looks through the `&`
        and makes the bindings inside it borrow.
        """
        self.results.pat_types[pat] = expected
        exp = self.u.shallow(expected)
        if (isinstance(exp, t.Ref) and isinstance(pat, (
                ast.TupleStructPat, ast.StructPat, ast.TuplePat, ast.PathPat, ast.LitPat,
                ast.RangePat, ast.SlicePat)) \
                and not (isinstance(pat, ast.LitPat) and pat.lit.kind in ("str", "bytestr"))
                and not (isinstance(pat, ast.PathPat) and self.path_names_const(pat.path))) \
                or (isinstance(exp, t.Ref) and isinstance(pat, ast.IdentPat) \
                and self.imported_variant(pat) is not None):
            mode = "ref mut" if exp.mutable and default_ref != "ref" else "ref"
            self.check_pat(pat, exp.inner, kind, mode)
            return
        match pat:
            case ast.IdentPat():
                self._check_ident_pat(pat, expected, kind, default_ref)
            case ast.WildPat() | ast.RestPat():
                pass
            case ast.LitPat(lit=lit):
                lit_ty = self.check_expr(lit, exp)
                if not self.coerces(lit_ty, expected):
                    self.mismatch(expected, lit_ty, pat.span)
            case ast.RangePat(lo=lo, hi=hi):
                for end in (e for e in (lo, hi) if e is not None):
                    end_ty = self.check_expr(end.lit, exp)
                    if not self.u.unify(end_ty, expected):
                        self.mismatch(expected, end_ty, end.span)
            case ast.TuplePat(elems=elems):
                self._check_tuple_pat(pat, elems, expected, kind, default_ref)
            case ast.RefPat(inner=inner, mutable=mutable):
                if isinstance(exp, t.Ref):
                    self.check_pat(inner, exp.inner, kind, "")
                elif isinstance(exp, t.Infer) and exp.kind == "any":
                    # `|&x| ..` with a parameter type not known yet: the pattern says
                    # it is a reference.
                    fresh = self.u.fresh()
                    self.u.unify(exp, t.Ref(fresh, mutable))
                    self.check_pat(inner, fresh, kind, "")
                else:
                    if not isinstance(exp, t.Error):
                        self.mismatch(expected, t.Ref(self.u.fresh(), mutable), pat.span)
                    # The bindings inside still exist (as `{error}`): no E0425 later.
                    self.check_pat(inner, t.ERROR, kind, "")
            case ast.OrPat(alts=alts):
                for alt in alts:
                    self.check_pat(alt, expected, kind, default_ref)
            case ast.PathPat(path=path):
                self._check_path_pat(pat, path, expected)
            case ast.TupleStructPat():
                self._check_tuple_struct_pat(pat, expected, kind, default_ref)
            case ast.StructPat():
                self._check_struct_pat(pat, expected, kind, default_ref)
            case ast.SlicePat():
                self._check_slice_pat(pat, expected, kind, default_ref)

    def _check_ident_pat(self, pat: ast.IdentPat, expected: t.Ty, kind: str,
                         default_ref: str) -> None:
        shadowed = self._shadowed_item(pat)
        if shadowed is not None:
            # E0530, as rustc: the name stays a binding (of `{error}`), so its uses are
            # not reported again.
            source = _BINDING_SOURCES.get(kind, "match bindings")
            self.diags.append(d.error(
                "E0530", f"{source} cannot shadow {shadowed}s", pat.name_span,
                f"cannot be named the same as {'an' if shadowed[0] in 'aeiou' else 'a'} "
                f"{shadowed}"))
            local = self.declare(pat.name, t.ERROR, False, pat.name_span, kind, False)
            self.results.bindings[pat] = local
            if pat.sub is not None:
                self.check_pat(pat.sub, expected, kind, default_ref)
            return
        if self.imported_variant(pat) is not None:
            # `Circle` after `use Shape::*`: a unit variant, not a binding.
            path = ast.Path((ast.PathSegment(pat.name, pat.name_span),), pat.span)
            self._check_path_pat(pat, path, expected)
            return
        const = self.names_const(pat)
        if const is not None:
            self._const_pattern(pat, const, expected)
            return
        if pat.sub is None and pat.name in PRELUDE_VARIANTS and pat.name == "None":
            option = t.Adt("Option", (self.u.fresh(),))
            target = self.u.shallow(expected)
            while isinstance(target, t.Ref):  # match ergonomics: `None` against `&Option`
                target = self.u.shallow(target.inner)
            if not self.u.unify(option, target):
                self.mismatch(expected, option, pat.span)
            return
        ty = expected
        by_ref = pat.by_ref or default_ref != ""
        if isinstance(self.u.shallow(expected), t.Error):
            pass
        elif pat.by_ref:
            ty = t.Ref(expected, pat.mutable)
        elif default_ref:
            ty = t.Ref(expected, default_ref == "ref mut")
        local = self.declare(pat.name, ty, pat.mutable and not pat.by_ref, pat.name_span,
                             kind, by_ref)
        self.results.bindings[pat] = local
        if pat.sub is not None:
            self.check_pat(pat.sub, expected, kind, default_ref)

    def _shadowed_item(self, pat: ast.IdentPat) -> str | None:
        """What an identifier pattern may not be named after (rustc's E0530): a tuple
        struct or variant, a static, or, written as a binding (`mut`, `ref`, `x @`), a unit
        struct or variant or a constant. A struct variant's name is a binding."""
        as_binding = pat.sub is not None or pat.by_ref or pat.mutable
        df = self.resolver.lexical(pat.name, "value")
        if df is None:
            prelude = PRELUDE_VARIANTS.get(pat.name)
            if prelude is None:
                return None
            return "unit variant" if pat.name == "None" and as_binding else \
                "tuple variant" if pat.name != "None" else None
        if df.kind == "static":
            return "static"
        if df.kind == "const":
            return "constant" if as_binding else None
        if df.kind == "variant" and df.key in self.env.enums:
            variant = self.env.enums[df.key].variant(df.name)
            shape = variant.kind if variant is not None else "named"
        elif df.kind == "struct" and df.key in self.env.structs:
            shape = self.env.structs[df.key].kind
        else:
            return None
        what = "variant" if df.kind == "variant" else "struct"
        if shape == "tuple":
            return f"tuple {what}"
        return f"unit {what}" if shape == "unit" and as_binding else None

    def _check_tuple_pat(self, pat: ast.Pat, elems: tuple[ast.Pat, ...], expected: t.Ty,
                         kind: str, default_ref: str) -> None:
        self._one_rest(elems, "tuple")
        exp = self.u.shallow(expected)
        rest = [i for i, p in enumerate(elems) if isinstance(p, ast.RestPat)]
        if isinstance(exp, t.Tuple):
            tys = list(exp.elems)
        elif isinstance(exp, t.Error):
            tys = [t.ERROR] * len(elems)
        elif not rest:
            tys = [self.u.fresh() for _ in elems]
            tup = t.Tuple(tuple(tys))
            if not self.u.unify(tup, expected):
                self.mismatch(expected, tup, pat.span)
                tys = [t.ERROR] * len(elems)
        else:
            tys = [t.ERROR] * len(elems)
        if not rest and len(elems) != len(tys):
            # Wrong arity: still bind every name (as `{error}`), so only this is reported.
            for elem in elems:
                self.check_pat(elem, t.ERROR, kind, default_ref)
        else:
            for p, ty in zip(ast.spread_patterns(elems, len(tys)), tys, strict=False):
                if p is not None:
                    self.check_pat(p, ty, kind, default_ref)
        if not rest and len(elems) != len(tys) and not isinstance(exp, t.Error):
            self.diags.append(d.error("E0308", "mismatched types", pat.span,
                                      f"expected a tuple with {len(tys)} elements, found one "
                                      f"with {len(elems)} elements"))

    def _one_rest(self, elems: tuple[ast.Pat, ...], what: str) -> None:
        """rustc's error for a second `..` in a tuple, tuple struct or slice pattern (the
        later ones stand for nothing)."""
        rests = [p for p in elems if ast.is_rest(p)] if what == "slice" else \
            [p for p in elems if isinstance(p, ast.RestPat)]
        for extra in rests[1:]:
            span = extra.sub.span if isinstance(extra, ast.IdentPat) and extra.sub else \
                extra.span
            self.diags.append(d.error(
                None, f"`..` can only be used once per {what} pattern", span,
                f"can only be used once per {what} pattern",
                labels=(d.Label(rests[0].span, "previously used here"),)))

    def _check_slice_pat(self, pat: ast.SlicePat, expected: t.Ty, kind: str,
                         default_ref: str) -> None:
        """`[a, b]`, `[first, .., last]`, `[head, tail @ ..]` against an array or a slice:
        each element pattern gets the element type; `tail @ ..` binds the elements `..`
        stands for, a slice (`&[T]` under a reference) or an array of the rest's length."""
        self._one_rest(pat.elems, "slice")
        before, rest, after = ast.slice_parts(pat)
        n_pats = len(before) + len(after)
        exp = self.u.shallow(expected)
        elem: t.Ty = t.ERROR
        rest_ty: t.Ty = t.ERROR
        if isinstance(exp, t.Array):
            elem = exp.elem
            if rest is None and n_pats != exp.length:
                self.diags.append(d.error(
                    "E0527", f"pattern requires {n_pats} element{'s' if n_pats != 1 else ''} "
                    f"but array has {exp.length}", pat.span,
                    f"expected {exp.length} element{'s' if exp.length != 1 else ''}"))
            elif rest is not None and n_pats > exp.length:
                self.diags.append(d.error(
                    "E0528", f"pattern requires at least {n_pats} element"
                    f"{'s' if n_pats != 1 else ''} but array has {exp.length}", pat.span,
                    f"pattern cannot match array of {exp.length} element"
                    f"{'s' if exp.length != 1 else ''}"))
            else:
                rest_ty = t.Array(elem, exp.length - n_pats)
        elif isinstance(exp, t.Slice):
            elem = exp.elem
            rest_ty = exp
        elif isinstance(exp, t.Infer) and exp.kind == "any":
            # Not known yet (`let f = |[a, b]| a + b;`): an array or a slice, of which
            # length? rustc asks for the type.
            self.diags.append(d.error("E0282", "type annotations needed", pat.span,
                                      "cannot infer type"))
            self.u.unify(exp, t.ERROR)
        elif not isinstance(exp, t.Error):
            shown = self.show(expected)
            self.diags.append(d.error(
                "E0529", f"expected an array or slice, found `{shown}`", pat.span,
                f"pattern cannot match with input type `{shown}`"))
        for p in (*before, *after):
            self.check_pat(p, elem, kind, default_ref)
        if isinstance(rest, ast.IdentPat):
            if isinstance(rest_ty, t.Slice) and not rest.by_ref and not default_ref:
                # `match *xs { [_, rest @ ..] => .. }`: `rest` would be an unsized `[T]`.
                shown = self.show(rest_ty)
                self.diags.append(d.error(
                    "E0277", f"the size for values of type `{shown}` cannot be known at "
                    "compilation time", rest.span, "doesn't have a size known at compile-time",
                    notes=("all local variables must have a statically known size",),
                    help=(f"the trait `Sized` is not implemented for `{shown}`",)))
                rest_ty = t.ERROR
            self.check_pat(rest, rest_ty, kind, default_ref)

    def _const_pattern(self, pat: ast.Pat, key: str, expected: t.Ty) -> None:
        """`LIMIT => ..`: the value is compared with the constant (of the value's own type:
        match ergonomics do not look through a reference for a constant, as in rustc).
        Constants of numbers, `bool`, `char`, `&str`, and of tuples, arrays, structs and
        enums made of them whose `PartialEq` is derived (rustc's structural match: a type
        without the derive is rustc's error); others are reported as not supported yet,
        rather than taken for a binding."""
        info = self.env.consts.get(key)
        found = _Structural.NO if info is None or not isinstance(info.decl, ast.ConstDecl) \
            else _structural(self.env, info.ty, frozenset())
        if isinstance(found, str):
            self.diags.append(d.error(
                None, f"constant of non-structural type `{found}` in a pattern", pat.span,
                "constant of non-structural type",
                notes=(f"`{found}` must be annotated with `#[derive(PartialEq)]` to be "
                       "usable in patterns",
                       "see https://doc.rust-lang.org/stable/std/marker/"
                       "trait.StructuralPartialEq.html for details")))
            return
        if found is not _Structural.YES:
            self.diags.append(d.error(None, "this constant in a pattern is not supported yet",
                                      pat.span))
            return
        assert info is not None
        if not self.u.unify(info.ty, expected):
            self.mismatch(expected, info.ty, pat.span)
            return
        self.results.const_pats[pat] = key

    def _check_path_pat(self, pat: ast.Pat, path: ast.Path, expected: t.Ty) -> None:
        const = self.path_names_const(path)
        if const is not None:
            self._const_pattern(pat, const, expected)
            return
        canon = self.canon_path(path, "value", "E0531")
        if canon is None:
            return
        path = canon
        names = path.names
        if len(names) == 2 and names[0] == "Self" and self.owner in self.env.enums:
            names = (self.owner, names[1])  # `Self::Empty` in the enum's own impl
        if len(names) == 2 and names[0] in self.env.enums:
            info = self.env.enums[names[0]]
            variant = info.variant(names[1])
            if variant is None:
                self.diags.append(self.no_variant(names[0], names[1], path.last.span,
                                                   [v.name for v in info.variants]))
                return
            if variant.kind != "unit":
                self.diags.append(d.error(
                    "E0533" if variant.kind == "named" else "E0532",
                    f"expected unit struct, unit variant or constant, found "
                    f"{'tuple' if variant.kind == 'tuple' else 'struct'} variant "
                    f"`{names[0]}::{names[1]}`", path.span,
                    "not a unit struct, unit variant or constant"))
                return
            self._unify_pat(pat, self._fresh_adt(names[0])[0], expected)
            return
        if len(names) == 2 and names[0] == "Option" and names[1] == "None":
            self._unify_pat(pat, t.Adt("Option", (self.u.fresh(),)), expected)
            return
        if self._is_ordering_path(names):
            self._unify_pat(pat, t.Adt("Ordering"), expected)
            return
        bound = self._bound_variant(names)
        if bound == "Unbounded":
            self._unify_pat(pat, t.Adt("Bound", (self.u.fresh(),)), expected)
            return
        if bound is not None:
            self.diags.append(d.error(
                "E0532", f"expected unit struct, unit variant or constant, found tuple "
                f"variant `std::ops::Bound::{bound}`", path.span,
                "not a unit struct, unit variant or constant"))
            return
        self.diags.append(d.error("E0433", f"failed to resolve: use of undeclared type "
                                  f"`{names[0]}`", path.segments[0].span,
                                  f"use of undeclared type `{names[0]}`"))

    def _is_ordering_path(self, names: tuple[str, ...] | list[str]) -> bool:
        """`Ordering::Less` (with `Ordering` imported) or `std::cmp::Ordering::Less`."""
        if len(names) < 2 or names[-2] != "Ordering" or names[-1] not in ORDERING_VARIANTS:
            return False
        if len(names) == 2:
            return not std_needs_import(self.resolver, "Ordering")
        return names[0] in ("std", "core") and names[-3] == "cmp"

    def _bound_variant(self, names: tuple[str, ...] | list[str]) -> str | None:
        """The variant of `std::ops::Bound` a pattern's path names: `Bound::Included` (with
        `Bound` imported), `std::ops::Bound::Excluded`, or an imported variant (the checker
        spells those in full, `canon_path`); None for any other path."""
        if len(names) < 2 or names[-2] != "Bound" or \
                names[-1] not in ("Included", "Excluded", "Unbounded") or \
                "Bound" in self.env.enums or "Bound" in self.env.structs:
            return None
        if len(names) == 2:
            df = self.resolver.lexical("Bound", "type")
            return names[-1] if df is not None and df.kind == "builtin" else None
        return names[-1] if tuple(names[:-2]) in (("std", "ops"), ("core", "ops")) else None

    def _cow_variant(self, names: tuple[str, ...] | list[str]) -> str | None:
        """The variant of `std::borrow::Cow` a pattern's path names: `Cow::Borrowed` (with
        `Cow` imported) or `std::borrow::Cow::Owned`; None for any other path."""
        if len(names) < 2 or names[-2] != "Cow" or names[-1] not in ("Borrowed", "Owned") or \
                "Cow" in self.env.enums or "Cow" in self.env.structs:
            return None
        if len(names) == 2:
            df = self.resolver.lexical("Cow", "type")
            return names[-1] if df is not None and df.kind == "builtin" else None
        return names[-1] if tuple(names[:-2]) in (("std", "borrow"), ("alloc", "borrow")) \
            else None

    def _unify_pat(self, pat: ast.Pat, ty: t.Ty, expected: t.Ty) -> bool:
        if self.u.unify(ty, expected):
            return True
        self.diags.append(d.error("E0308", "mismatched types", pat.span,
                                  f"expected `{self.show(expected)}`, found `{self.show(ty)}`"))
        return False

    def _fresh_adt(self, name: str) -> tuple[t.Adt, dict[str, t.Ty]]:
        """A generic struct or enum in a pattern: its parameters are inferred from the
        matched value."""
        subst: dict[str, t.Ty] = {g: self.u.fresh() for g in self.env.generics_of(name)}
        return t.Adt(name, tuple(subst.values())), subst

    def _variant_fields(self, path: ast.Path, expected: t.Ty, shape: str
                        ) -> tuple[str, str, list[tuple[str | None, t.Ty]], t.Ty] | None:
        """Resolve a constructor path in a pattern: (description, kind, fields, type)."""
        canon = self.canon_path(path, "value" if shape == "tuple" else "type",
                                "E0531" if shape == "tuple" else "E0422")
        if canon is None:
            return None
        path = canon
        names = path.names
        if len(names) == 1 and names[0] == "Some":
            inner = self.u.fresh()
            return "tuple variant `Option::Some`", "tuple", [(None, inner)], \
                t.Adt("Option", (inner,))
        if len(names) == 1 and names[0] in ("Ok", "Err"):
            inner = self.u.fresh()
            other = self.u.fresh()
            args = (inner, other) if names[0] == "Ok" else (other, inner)
            return f"tuple variant `Result::{names[0]}`", "tuple", [(None, inner)], \
                t.Adt("Result", args)
        bound = self._bound_variant(names)
        if bound is not None:
            # `Included(x)` (imported), `Bound::Excluded(x)`: std::ops::Bound's variants.
            inner = self.u.fresh()
            fields: list[tuple[str | None, t.Ty]] = [] if bound == "Unbounded" \
                else [(None, inner)]
            return (f"{'tuple ' if fields else ''}variant `std::ops::Bound::{bound}`",
                    "tuple" if fields else "unit", fields, t.Adt("Bound", (inner,)))
        cow = self._cow_variant(names)
        if cow is not None:
            # `Cow::Borrowed(s)`, `Cow::Owned(s)`: std::borrow::Cow<str>'s variants.
            field = t.STR_REF if cow == "Borrowed" else t.STRING
            return f"tuple variant `std::borrow::Cow::{cow}`", "tuple", [(None, field)], \
                t.Adt("Cow", (t.STR,))
        if self.is_std_range_path(names):
            inner = self.u.fresh()  # `Range { start, end }`: std's struct, two public fields
            return "struct `std::ops::Range`", "named", [("start", inner), ("end", inner)], \
                t.Adt("Range", (inner,))
        if len(names) == 1 and names[0] == "Reverse" and "Reverse" not in self.env.structs:
            inner = self.u.fresh()  # `Reverse(x)`: std::cmp::Reverse's one field
            return "tuple struct `Reverse`", "tuple", [(None, inner)], \
                t.Adt("Reverse", (inner,))
        if len(names) == 1 and (names[0] in self.env.structs or
                                (names[0] == "Self" and self.owner in self.env.structs)):
            sname = self.owner if names[0] == "Self" and self.owner else names[0]
            info = self.env.structs[sname]
            adt, subst = self._fresh_adt(sname)
            return f"struct `{sname}`", info.kind, [(f.name, t.substitute(f.ty, subst))
                                                    for f in info.fields], adt
        if len(names) == 2:
            enum = self.owner if names[0] == "Self" and self.owner else names[0]
            if enum in self.env.enums:
                info_e = self.env.enums[enum]
                variant = info_e.variant(names[1])
                if variant is None:
                    self.diags.append(self.no_variant(enum, names[1], path.last.span,
                                                       [v.name for v in info_e.variants]))
                    return None
                adt, subst = self._fresh_adt(enum)
                return (f"{'tuple ' if variant.kind == 'tuple' else ''}variant "
                        f"`{enum}::{names[1]}`", variant.kind,
                        [(f.name, t.substitute(f.ty, subst)) for f in variant.fields], adt)
        if len(names) == 1:
            self.diags.append(d.error("E0531" if shape == "tuple" else "E0422",
                                      f"cannot find tuple struct or tuple variant `{names[0]}` "
                                      "in this scope" if shape == "tuple" else
                                      f"cannot find struct, variant or union type "
                                      f"`{names[0]}` in this scope", path.span,
                                      "not found in this scope"))
            return None
        self.diags.append(d.error("E0433", f"failed to resolve: use of undeclared type "
                                  f"`{names[0]}`", path.segments[0].span,
                                  f"use of undeclared type `{names[0]}`"))
        return None

    def _check_tuple_struct_pat(self, pat: ast.TupleStructPat, expected: t.Ty, kind: str,
                                default_ref: str) -> None:
        self._one_rest(pat.elems, "tuple struct")
        found = self._variant_fields(pat.path, expected, "tuple")
        if found is None:
            for p in pat.elems:
                self.check_pat(p, t.ERROR, kind, default_ref)
            return
        what, shape, fields, ty = found
        if shape != "tuple":
            # rustc: E0164 for a struct variant, E0532 for a unit variant or struct.
            self.diags.append(d.error("E0164" if shape == "named" else "E0532",
                                      f"expected tuple struct or tuple variant, found "
                                      f"{what.replace('tuple ', '')}", pat.path.span,
                                      "not a tuple struct or tuple variant"))
            for p in pat.elems:
                self.check_pat(p, t.ERROR, kind, default_ref)
            return
        if not self._unify_pat(pat, ty, expected):
            for p in pat.elems:
                self.check_pat(p, t.ERROR, kind, default_ref)
            return
        if isinstance(self.u.shallow(expected), t.Error):
            # The matched value had an error: its fields are errors too, not unknown types
            # (`Ok(i)` would leave `i` to an E0282 rustc does not report).
            fields = [(n, t.ERROR) for n, _ in fields]
        has_rest = any(isinstance(p, ast.RestPat) for p in pat.elems)
        n_pats = len([p for p in pat.elems if not isinstance(p, ast.RestPat)])
        if (not has_rest and n_pats != len(fields)) or (has_rest and n_pats > len(fields)):
            def noun(k: int) -> str:
                return plural(k, "field")

            owner = what.split(' `')[0]
            if owner == "struct":
                owner = "tuple struct"
            self.diags.append(d.error(
                "E0023", f"this pattern has {noun(n_pats)}, but the corresponding "
                f"{owner} has {noun(len(fields))}", pat.span,
                f"expected {noun(len(fields))}, found {n_pats}"))
        subs = ast.spread_patterns(pat.elems, len(fields))
        for i, sub in enumerate(subs):
            # Extra sub-patterns (an arity error above) still declare their bindings.
            fty = fields[i][1] if i < len(fields) else t.ERROR
            if sub is not None:
                self.check_pat(sub, fty, kind, default_ref)

    def _check_struct_pat(self, pat: ast.StructPat, expected: t.Ty, kind: str,
                          default_ref: str) -> None:
        found = self._variant_fields(pat.path, expected, "struct")
        if found is None:
            for fp in pat.fields:
                self.check_pat(fp.pat, t.ERROR, kind, default_ref)
            return
        what, shape, fields, ty = found
        self._unify_pat(pat, ty, expected)
        if isinstance(self.u.shallow(expected), t.Error):
            fields = [(n, t.ERROR) for n, _ in fields]
        if shape == "tuple" and any(not fp.name.isdigit() for fp in pat.fields):
            self.diags.append(d.error("E0769", f"{what} written as struct variant",
                                      pat.span, None))
            for fp in pat.fields:
                self.check_pat(fp.pat, t.ERROR, kind, default_ref)
            return
        declared = {n: fty for n, fty in fields if n is not None}
        for fp in pat.fields:
            fty = declared.get(fp.name)
            if fty is None:
                self.diags.append(d.error("E0026", f"{what.replace('tuple ', '')} does not have "
                                          f"a field named `{fp.name}`", fp.name_span,
                                          f"{what.split(' `')[0]} `{what.split('`')[1]}` does "
                                          f"not have this field"))
                self.check_pat(fp.pat, t.ERROR, kind, default_ref)
                continue
            self.check_pat(fp.pat, fty, kind, default_ref)
        if not pat.has_rest:
            missing = [n for n in declared if n not in {fp.name for fp in pat.fields}]
            if missing:
                listed = ", ".join(f"`{m}`" for m in missing)
                self.diags.append(d.error(
                    "E0027", f"pattern does not mention field{'s' if len(missing) > 1 else ''} "
                    f"{listed}", pat.span, f"missing field{'s' if len(missing) > 1 else ''} "
                    f"{listed}", help=("include the missing fields in the pattern, or ignore "
                                       "them with `..`",)))


class _Structural(enum.Enum):
    YES = "yes"
    NO = "no"  # not supported yet (or not a constant Gust knows)


def _structural(env: ItemEnv, ty: t.Ty, seen: frozenset[str]) -> _Structural | str:
    """Whether a constant of type `ty` may be a pattern (rustc's structural match: every
    struct and enum in its value derives `PartialEq`): YES, or the name of a struct or
    enum that does not (always part of the value: a field, an element), or NO when Gust
    cannot tell or does not translate it yet (one found only in a variant's payload, which
    a constant's value may not hold; generic types; `String`, `Vec`, ...)."""
    if isinstance(ty, t.Int | t.Float | t.Bool | t.Char) or ty == t.STR_REF:
        return _Structural.YES
    if isinstance(ty, t.Tuple | t.Array):
        parts = ty.elems if isinstance(ty, t.Tuple) else (ty.elem,)
        return _all_structural(env, parts, seen, direct=True)
    if not isinstance(ty, t.Adt) or ty.args:
        return _Structural.NO
    if ty.name in seen:
        return _Structural.YES  # a recursive type: checked where it was first met
    seen = seen | {ty.name}
    if ty.name in env.structs:
        info = env.structs[ty.name]
        if "PartialEq" not in info.derives:
            return ty.name
        return _all_structural(env, tuple(f.ty for f in info.fields), seen, direct=True)
    if ty.name in env.enums:
        enum_info = env.enums[ty.name]
        if "PartialEq" not in enum_info.derives:
            return ty.name
        payloads = tuple(f.ty for v in enum_info.variants for f in v.fields)
        return _all_structural(env, payloads, seen, direct=False)
    return _Structural.NO


def _all_structural(env: ItemEnv, parts: tuple[t.Ty, ...], seen: frozenset[str],
                    direct: bool) -> _Structural | str:
    for part in parts:
        found = _structural(env, part, seen)
        if isinstance(found, str) and direct:
            return found
        if found is not _Structural.YES:
            return _Structural.NO
    return _Structural.YES
