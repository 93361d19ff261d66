"""Field access and indexing, with auto-deref."""

from __future__ import annotations

import mypy_extensions

from gust import diagnostics as d
from gust.sema import builtins, traits
from gust.sema import types as t
from gust.sema.check.base import CheckerBase
from gust.sema.golang import gust_field_type, split_go_type_name
from gust.sema.modules import can_see
from gust.sema.names import similar_name
from gust.sema.results import RANGE_FIELDS, RANGE_OWNER, FieldRes
from gust.syntax import ast
from gust.text import Span


@mypy_extensions.trait
class Places(CheckerBase):
    # ---------------------------------------------------------------- fields and indexing

    def _expr_Field(self, e: ast.Field, expected: t.Ty | None) -> t.Ty:
        base_ty = self.check_expr(e.base, None)
        ty, derefs = self._autoderef(base_ty)
        while isinstance(ty, t.Adt) and ty.name in self.env.structs and \
                self.env.structs[ty.name].field_index(e.name) is None and \
                (target := self.user_deref(ty)) is not None:
            # `w.len` through `impl Deref for W`: the target's field.
            ty, more = self._autoderef(target)
            derefs += 1 + more
        if isinstance(ty, t.Error):
            return t.ERROR
        if isinstance(ty, t.Adt) and ty.name.startswith("go:"):
            return self._go_field(e, ty, derefs, base_ty)
        if isinstance(ty, t.Adt) and ty.name in self.env.structs:
            info = self.env.structs[ty.name]
            index = info.field_index(e.name)
            if index is not None:
                field_info = info.fields[index]
                if not field_info.is_pub and not can_see(self.module, info.module, False):
                    self.diags.append(d.error("E0616", f"field `{e.name}` of struct "
                                              f"`{info.decl.name}` is private", e.name_span,
                                              "private field"))
                self.results.fields[e] = FieldRes(ty.name, index, derefs)
                subst = dict(zip(info.generics, ty.args, strict=False))
                return t.substitute(info.fields[index].ty, subst)
            names = [f.name for f in info.fields if f.name is not None]
            if any(n == e.name for n in self.env.methods.get(ty.name, {})):
                self.diags.append(d.error("E0615", f"attempted to take value of method "
                                          f"`{e.name}` on type `{ty}`", e.name_span,
                                          "method, not a field",
                                          help=("use parentheses to call the method: `()`",)))
                return t.ERROR
            suggestion = similar_name(e.name, names)
            help_ = (f"a field with a similar name exists: `{suggestion}`",) if suggestion \
                else ((f"available fields are: {', '.join(f'`{n}`' for n in names)}",)
                      if names else ())
            self.diags.append(d.error("E0609", f"no field `{e.name}` on type `{self.show(base_ty)}`",
                                      e.name_span, "unknown field", help=help_))
            return t.ERROR
        if isinstance(ty, t.Adt) and ty.name == "Range" and ty.args and \
                e.name in RANGE_FIELDS and ty.name not in self.env.structs:
            # `std::ops::Range`'s public fields (`RangeInclusive`'s are its methods)
            self.results.fields[e] = FieldRes(RANGE_OWNER, RANGE_FIELDS.index(e.name), derefs)
            return ty.args[0]
        if isinstance(ty, t.Adt) and ty.name == "RangeInclusive" and e.name in RANGE_FIELDS \
                and ty.name not in self.env.structs:
            self.diags.append(d.error("E0616", f"field `{e.name}` of struct "
                                      "`std::ops::RangeInclusive` is private", e.name_span,
                                      "private field", help=(
                                          f"a method `{e.name}` also exists, call it with "
                                          "parentheses",)))
            return t.ERROR
        if isinstance(ty, (t.Int, t.Float, t.Bool, t.Char)) or (
                isinstance(ty, t.Infer) and ty.kind != "any"):
            self.diags.append(d.error("E0610", f"`{self.show(ty)}` is a primitive type and "
                                      "therefore doesn't have fields", e.name_span))
            return t.ERROR
        self.diags.append(d.error("E0609", f"no field `{e.name}` on type `{self.show(base_ty)}`",
                                  e.name_span, "unknown field"))
        return t.ERROR

    def _go_field(self, e: ast.Field, ty: t.Adt, derefs: int, base_ty: t.Ty) -> t.Ty:
        """`resp.StatusCode`: an exported field of a Go struct type."""
        found = split_go_type_name(ty.name)
        package = self.env.go_packages.get(found[0]) if found else None
        named = package.type(found[1]) if package is not None and found else None
        go_field = named.field(e.name) if named is not None else None
        if named is None or go_field is None:
            names = [f.name for f in named.fields] if named is not None else []
            suggestion = similar_name(e.name, names)
            help_ = (f"a field with a similar name exists: `{suggestion}`",) if suggestion \
                else ()
            self.diags.append(d.error("E0609", f"no field `{e.name}` on type "
                                      f"`{self.show(base_ty)}`", e.name_span, "unknown field",
                                      help=help_))
            return t.ERROR
        self.results.fields[e] = FieldRes(ty.name, named.fields.index(go_field), derefs)
        return gust_field_type(go_field)

    def _expr_TupleField(self, e: ast.TupleField, expected: t.Ty | None) -> t.Ty:
        base_ty = self.check_expr(e.base, None)
        ty, derefs = self._autoderef(base_ty)
        if isinstance(ty, t.Error):
            return t.ERROR
        if isinstance(ty, t.Tuple) and e.index < len(ty.elems):
            self.results.fields[e] = FieldRes("", e.index, derefs)
            return ty.elems[e.index]
        if isinstance(ty, t.Adt) and ty.name == "Reverse" and ty.name not in self.env.structs \
                and e.index == 0 and ty.args:
            self.results.fields[e] = FieldRes(ty.name, 0, derefs)  # std::cmp::Reverse(T)
            return ty.args[0]
        if isinstance(ty, t.Adt) and ty.name in self.env.structs:
            info = self.env.structs[ty.name]
            if info.kind == "tuple" and e.index < len(info.fields):
                self.results.fields[e] = FieldRes(ty.name, e.index, derefs)
                return t.substitute(info.fields[e.index].ty,
                                    dict(zip(info.generics, ty.args, strict=False)))
        self.diags.append(d.error("E0609", f"no field `{e.index}` on type `{self.show(base_ty)}`",
                                  e.index_span, "unknown field"))
        return t.ERROR

    def _autoderef(self, ty: t.Ty) -> tuple[t.Ty, int]:
        ty = self.u.shallow(ty)
        derefs = 0
        while isinstance(ty, t.Ref) or (isinstance(ty, t.Adt) and ty.name in builtins.DEREF_TYPES
                                        and ty.args):
            ty = self.u.shallow(ty.inner if isinstance(ty, t.Ref) else ty.args[0])
            derefs += 1
        return ty, derefs

    def _expr_Index(self, e: ast.Index, expected: t.Ty | None) -> t.Ty:
        base_ty = self.check_expr(e.base, None)
        ty, _ = self._autoderef(base_ty)
        while isinstance(ty, t.Adt) and traits.impl_for(ty, "Index", self.env) is None and \
                (target := self.user_deref(ty)) is not None:
            ty, _ = self._autoderef(target)  # `w[i]` through `impl Deref for W`
        if isinstance(ty, t.Adt) and (ty.name in self.env.structs or ty.name in self.env.enums):
            return self._user_index(e, ty, base_ty)
        is_text = (isinstance(ty, t.Adt) and ty.name == "String") or isinstance(ty, t.Str)
        is_map = isinstance(ty, t.Adt) and ty.name in ("HashMap", "BTreeMap")
        index_ty = self.check_expr(e.index, None if is_text or is_map else t.USIZE)
        elem: t.Ty | None = None
        if isinstance(ty, t.Adt) and ty.name in ("Vec", "VecDeque"):
            elem = ty.args[0]
        elif isinstance(ty, (t.Array, t.Slice)):
            elem = ty.elem
        elif isinstance(ty, t.Error):
            return t.ERROR
        elif isinstance(ty, t.Adt) and ty.name in ("HashMap", "BTreeMap"):
            # `map[&key]`: indexed by a reference to a key, like `get`.
            if not isinstance(self.u.shallow(index_ty), t.Error) and \
                    not self.map_key_fits(index_ty, ty.args[0]):
                self.mismatch(t.Ref(self.u.fresh(), False), index_ty, e.index.span)
            return ty.args[1]
        elif (isinstance(ty, t.Adt) and ty.name == "String") or isinstance(ty, t.Str):
            idx = self.u.shallow(index_ty)
            if not (isinstance(idx, t.Adt) and idx.name in ("Range", "RangeInclusive")):
                # Strings are not indexed by position (UTF-8): only by ranges.
                self.diags.append(d.error(
                    "E0277", f"the type `str` cannot be indexed by `{self.show(index_ty)}`",
                    e.index.span, "string indices are ranges of `usize`"))
                return t.ERROR
            return t.STR
        if elem is None:
            self.diags.append(d.error("E0608", f"cannot index into a value of type "
                                      f"`{self.show(base_ty)}`", e.span))
            return t.ERROR
        idx = self.u.shallow(index_ty)
        if isinstance(idx, t.Adt) and idx.name in ("Range", "RangeInclusive"):
            if isinstance(ty, t.Adt) and ty.name == "VecDeque":  # `Index<usize>` only
                self.mismatch(t.USIZE, index_ty, e.index.span)
                return t.ERROR
            if not self.u.unify(idx.args[0], t.USIZE):
                self._index_error(ty, index_ty, e.index.span)
            return t.Slice(elem)
        if not self.u.unify(index_ty, t.USIZE):
            self._index_error(ty, index_ty, e.index.span)
        return elem

    def _user_index(self, e: ast.Index, ty: t.Adt, base_ty: t.Ty) -> t.Ty:
        """`grid[(x, y)]` on a type of the package: its `Index<Idx>` impl, the index coerced
        to `Idx`, the impl's `Output` the place's type (rustc's `*grid.index((x, y))`)."""
        found: list[tuple[t.Ty, t.Ty]] = []  # (Idx, Output) of each impl for `ty`
        for impl in self.env.trait_impls("Index"):
            subst: dict[str, t.Ty] = {}
            out = dict(impl.assoc).get("Output")
            if out is not None and impl.trait_args and \
                    traits.match_ty(impl.self_ty, ty, frozenset(impl.generics), subst):
                found.append((t.substitute(impl.trait_args[0], subst),
                              t.substitute(out, subst)))
        if not found:
            self.check_expr(e.index, None)
            self.diags.append(d.error("E0608", f"cannot index into a value of type "
                                      f"`{self.show(base_ty)}`", e.span))
            return t.ERROR
        index_ty = self.check_expr(e.index, found[0][0] if len(found) == 1 else None)
        for idx, out in found:
            if len(found) == 1 or self.u.unify(self.u.shallow(index_ty), idx):
                self.coerce(index_ty, idx, e.index.span)
                return out
        self.diags.append(d.error(
            "E0277", f"the type `{self.show(ty)}` cannot be indexed by "
            f"`{self.show(index_ty)}`", e.index.span,
            f"`{self.show(ty)}` cannot be indexed by `{self.show(index_ty)}`"))
        return t.ERROR

    def _index_error(self, base: t.Ty, index: t.Ty, span: Span) -> None:
        shown = self.show(base)
        if isinstance(base, t.Adt) and base.name == "Vec":
            shown = f"[{self.show(base.args[0])}]"
        self.diags.append(d.error("E0277", f"the type `{shown}` cannot be indexed by "
                                  f"`{self.show(index)}`", span,
                                  "slice indices are of type `usize` or ranges of `usize`"))
