"""Struct literals."""

from __future__ import annotations

import mypy_extensions

from gust import diagnostics as d
from gust.sema import types as t
from gust.sema.check.generics import Generics
from gust.sema.check.util import missing_fields, missing_label
from gust.sema.golang import GoStruct, go_type_name, value_type
from gust.sema.modules import can_see
from gust.sema.names import similar_name
from gust.syntax import ast
from gust.text import Span


@mypy_extensions.trait
class Structs(Generics):
    # ---------------------------------------------------------------- struct literals

    def _expr_StructLit(self, e: ast.StructLit, expected: t.Ty | None) -> t.Ty:
        if e.rest is not None:
            # rustc reports it while lowering and goes on as if a base were there (no E0063)
            after = Span(e.rest.end, e.rest.end + 1)
            self.diags.append(d.error("E0797", "base expression required after `..`", after,
                                      help=("add a base expression here",)))
        if len(e.path.names) == 2 and e.path.names[0] in self.env.go_aliases:
            return self._go_struct_lit(e)
        if len(e.path.names) == 2 and self.unresolved_go(e.path.names[0]):
            for f in e.fields:  # its `use go` is E0432
                self.check_expr(f.value, None)
            return t.ERROR
        path = self.canon_path(e.path, "type", "E0422")
        if path is None:
            for f in e.fields:
                self.check_expr(f.value, None)
            return t.ERROR
        names = path.names
        name = names[-1]
        if name == "Self" and self.owner is not None and len(names) == 1:
            name = self.owner
        if len(names) == 2 and names[0] == "Self" and self.owner in self.env.enums:
            names = (self.owner, name)  # `Self::Rect { .. }` in the enum's impl
        fields: list[tuple[str | None, t.Ty]]
        result: t.Ty
        what: str
        if len(names) == 1 and name in self.env.structs:
            info = self.env.structs[name]
            result, subst = self.adt_instance(name, e.path.span)
            exp = self.u.shallow(expected) if expected is not None else None
            if isinstance(exp, t.Adt) and exp.name == name:
                self.u.unify(result, exp)
            fields = [(f.name, t.substitute(f.ty, subst)) for f in info.fields]
            what = f"struct `{t.Adt(name).shown_name}`"
            owner_kind = "struct"
        elif self.is_std_range_path(names):
            # `Range { start: a, end: b }`: std's struct with its two public fields.
            elem = self.u.fresh()
            result = t.Adt("Range", (elem,))
            exp = self.u.shallow(expected) if expected is not None else None
            if isinstance(exp, t.Adt) and exp.name == "Range":
                self.u.unify(result, exp)
            fields = [("start", elem), ("end", elem)]
            what = "struct `std::ops::Range<_>`"  # (its argument as known at the error)
            name = "std::ops::Range<_>"
            owner_kind = "struct"
        elif len(names) == 2 and names[0] in self.env.enums and \
                (variant := self.env.enums[names[0]].variant(name)) is not None:
            result, subst = self.adt_instance(names[0], e.path.span)
            fields = [(f.name, t.substitute(f.ty, subst)) for f in variant.fields]
            what = f"variant `{names[0]}::{name}`"
            owner_kind = "variant"
        else:
            return self._unknown_struct(e, '::'.join(names))
        declared = {n: ty for n, ty in fields if n is not None}
        private = self._private_fields(name) if name in self.env.structs else set()
        seen: set[str] = set()
        for f in e.fields:
            if f.name in seen:
                self.diags.append(d.error("E0062", f"field `{f.name}` specified more than once",
                                          f.name_span, "used more than once"))
            seen.add(f.name)
            ty = declared.get(f.name)
            if ty is None:
                self.check_expr(f.value, None)
                suggestion = similar_name(f.name, list(declared))
                help_ = (f"a field with a similar name exists: `{suggestion}`",) \
                    if suggestion else ()
                unmentioned = [n for n in declared if n not in {x.name for x in e.fields}]
                label = ("unknown field" if suggestion or not unmentioned else
                         f"`{name}` does not have this field")
                notes = (f"available fields are: "
                         f"{', '.join(f'`{n}`' for n in unmentioned)}",) \
                    if unmentioned and not suggestion else ()
                code = "E0560" if owner_kind == "struct" else "E0559"
                if isinstance(result, t.Adt) and name.startswith("std::ops::Range"):
                    what = f"struct `std::ops::{self.show(self.u.resolve(result))}`"
                self.diags.append(d.error(code, f"{what} has no field named `{f.name}`",
                                          f.name_span, label, help=help_, notes=notes))
                continue
            if f.name in private:
                self.diags.append(d.error("E0451", f"field `{f.name}` of struct `{name}` is "
                                          "private", f.name_span, "private field"))
            if self.discharge_callable(f.value, ty, name):
                continue  # a closure for a field `f: F` with `F: Fn(u64) -> u64`
            value_ty = self.check_expr(f.value, ty)
            self.coerce(value_ty, ty, f.value.span)
        unknown = any(f.name not in declared for f in e.fields)
        if e.base is not None:
            self.check_expr_coerce(e.base, result)
        elif not unknown and e.rest is None:
            # rustc does not list missing fields when some given field does not exist.
            missing = [n for n in declared if n not in seen]
            if missing:
                self.diags.append(d.error("E0063", missing_fields(missing, name), e.path.span,
                                          missing_label(missing)))
        self.settle_obligations()
        return result

    def _go_struct_lit(self, e: ast.StructLit) -> t.Ty:
        """`sync::WaitGroup {}`, `http::Cookie { Name: .., Value: .. }`: a Go struct value;
        the fields not given are Go's zero values. A field takes its value type (a `*T`
        field a `Box<T>`: leaving it out leaves it nil)."""
        alias, name = e.path.names
        package = self.env.go_package(alias)
        named = package.type(name) if package is not None else None
        if package is None or named is None or not isinstance(named.underlying, GoStruct) \
                or named.type_params:
            return self._unknown_struct(e, f"{alias}::{name}")
        declared = {f.name: value_type(f.type) for f in named.fields}
        for f in e.fields:
            ty = declared.get(f.name)
            if ty is None:
                self.check_expr(f.value, None)
                suggestion = similar_name(f.name, list(declared))
                help_ = (f"a field with a similar name exists: `{suggestion}`",) \
                    if suggestion else ()
                self.diags.append(d.error("E0560", f"struct `{alias}::{name}` has no field "
                                          f"named `{f.name}`", f.name_span, "unknown field",
                                          help=help_))
                continue
            self.coerce(self.check_expr(f.value, ty), ty, f.value.span)
        if e.base is not None:
            self.check_expr(e.base, None)
        return t.Adt(go_type_name(package.path, name))

    def _unknown_struct(self, e: ast.StructLit, path: str) -> t.Ty:
        """E0422 for a literal of a type that is not there; its field values are still
        checked, so their own mistakes are reported too."""
        for f in e.fields:
            self.check_expr(f.value, None)
        self.diags.append(d.error("E0422", f"cannot find struct, variant or union type "
                                  f"`{path}` in this scope", e.path.span,
                                  "not found in this scope"))
        return t.ERROR

    def _private_fields(self, key: str) -> set[str]:
        """The fields of struct `key` this body may not name (E0451, E0616)."""
        info = self.env.structs[key]
        if can_see(self.module, info.module, False):
            return set()
        return {f.name for f in info.fields if f.name is not None and not f.is_pub}
