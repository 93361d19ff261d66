"""Field access and indexing, with auto-deref."""

from __future__ import annotations

from gust import diagnostics as d
from gust.sema import types as t
from gust.sema.check.base import CheckerBase
from gust.sema.names import similar_name
from gust.sema.results import FieldRes
from gust.syntax import ast
from gust.text import Span


class Places(CheckerBase):
    # ---------------------------------------------------------------- fields and indexing

    def _expr_Field(self, e: ast.Field, expected: t.Ty | None) -> t.Ty:
        base_ty = self.check_expr(e.base, None)
        ty, derefs = self._autoderef(base_ty)
        if isinstance(ty, t.Error):
            return t.ERROR
        if isinstance(ty, t.Adt) and ty.name in self.env.structs:
            info = self.env.structs[ty.name]
            index = info.field_index(e.name)
            if index is not None:
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
        if isinstance(ty, t.Int | t.Float | t.Bool | t.Char) or (
                isinstance(ty, t.Infer) and ty.kind != "any"):
            self.diags.append(d.error("E0610", f"`{self.show(ty)}` is a primitive type and "
                                      "therefore doesn't have fields", e.name_span))
            return t.ERROR
        self.diags.append(d.error("E0609", f"no field `{e.name}` on type `{self.show(base_ty)}`",
                                  e.name_span, "unknown field"))
        return t.ERROR

    def _expr_TupleField(self, e: ast.TupleField, expected: t.Ty | None) -> t.Ty:
        base_ty = self.check_expr(e.base, None)
        ty, derefs = self._autoderef(base_ty)
        if isinstance(ty, t.Error):
            return t.ERROR
        if isinstance(ty, t.Tuple) and e.index < len(ty.elems):
            self.results.fields[e] = FieldRes("", e.index, derefs)
            return ty.elems[e.index]
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
        while isinstance(ty, t.Ref) or (isinstance(ty, t.Adt) and ty.name == "Box" and ty.args):
            ty = self.u.shallow(ty.inner if isinstance(ty, t.Ref) else ty.args[0])
            derefs += 1
        return ty, derefs

    def _expr_Index(self, e: ast.Index, expected: t.Ty | None) -> t.Ty:
        base_ty = self.check_expr(e.base, None)
        ty, _ = self._autoderef(base_ty)
        index_ty = self.check_expr(e.index, t.USIZE)
        elem: t.Ty | None = None
        if isinstance(ty, t.Adt) and ty.name == "Vec":
            elem = ty.args[0]
        elif isinstance(ty, t.Array | t.Slice):
            elem = ty.elem
        elif isinstance(ty, t.Error):
            return t.ERROR
        if elem is None:
            self.diags.append(d.error("E0608", f"cannot index into a value of type "
                                      f"`{self.show(base_ty)}`", e.span))
            return t.ERROR
        idx = self.u.shallow(index_ty)
        if isinstance(idx, t.Adt) and idx.name in ("Range", "RangeInclusive"):
            if not self.u.unify(idx.args[0], t.USIZE):
                self._index_error(ty, index_ty, e.index.span)
            return t.Slice(elem)
        if not self.u.unify(index_ty, t.USIZE):
            self._index_error(ty, index_ty, e.index.span)
        return elem

    def _index_error(self, base: t.Ty, index: t.Ty, span: Span) -> None:
        shown = self.show(base)
        if isinstance(base, t.Adt) and base.name == "Vec":
            shown = f"[{self.show(base.args[0])}]"
        self.diags.append(d.error("E0277", f"the type `{shown}` cannot be indexed by "
                                  f"`{self.show(index)}`", span,
                                  "slice indices are of type `usize` or ranges of `usize`"))
