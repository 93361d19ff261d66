"""Go declarations for top-level items: functions, structs, enums, impls and consts.

Derived traits become generated methods: `Debug` -> `fmtDebug` (used by the runtime's
formatter), `Clone` -> `Clone()` when Go's assignment is not already a deep copy,
`PartialEq` -> `Equal` when Go's `==` does not compare like Rust's (slices inside).
"""

from __future__ import annotations

from collections.abc import Sequence

from gust.codegen import (
    constraints,
    generics,
    go_facing,
    gostmt,
    intviews,
    names,
    rc_counts,
    traits,
    usize_max,
)
from gust.codegen import goast as g
from gust.codegen.body import FnEmitter, UnsupportedAt
from gust.codegen.context import ItemContext
from gust.codegen.gotypes import Unsupported
from gust.codegen.values import clone_expr, eq_expr
from gust.sema import types as t
from gust.sema.items import FieldInfo, FnSig, ImplInfo, VariantInfo
from gust.sema.modules import block_module, body_items, fns_of, inner_fns
from gust.sema.package import CheckedItem
from gust.sema.results import BodyResults
from gust.syntax import ast

Lines = list[tuple[str, int | None]]


def emit_declarations(ctx: ItemContext, item: CheckedItem) -> Lines:
    """The Go of an item, then of the items its functions' bodies declare (a `struct`
    inside `fn main`: package-level Go, named by its key like a module's items)."""
    node = item.item
    if isinstance(node, ast.ModDecl):
        return _declarations(ctx, item)
    fns = fns_of(node)
    if not any(block_module(fn, ()) for fn in fns):
        return _declarations(ctx, item)  # no body declares items: every body is its own
    own = tuple(b for b in item.bodies if any(b.fn is fn for fn in fns) or b.item is node)
    out = _declarations(ctx, CheckedItem(item.offset, item.text, node, own))
    for fn in fns:
        out += _body_item_declarations(ctx, fn, item)
    return out


def _body_item_declarations(ctx: ItemContext, fn: ast.FnDecl, item: CheckedItem) -> Lines:
    """The items declared in `fn`'s body (and its nested functions'), each with its own
    bodies among `item`'s (gust.sema.module_bodies)."""
    out: Lines = []
    for sub in body_items(fn):
        reach = _reachable(sub)
        bodies = tuple(b for b in item.bodies if id(b.fn) in reach or id(b.item) in reach)
        lines = emit_declarations(ctx, CheckedItem(item.offset, item.text, sub, bodies))
        if lines:
            out += [("", None), *lines]
    for inner in inner_fns(fn):
        out += _body_item_declarations(ctx, inner, item)
    return out


def _reachable(item: ast.Item) -> set[int]:
    """The ids of `item`, its functions and the items and functions of their bodies."""
    found = {id(item)}
    for fn in fns_of(item):
        found.add(id(fn))
        for sub in body_items(fn):
            found |= _reachable(sub)
        for inner in inner_fns(fn):
            found |= _reachable(inner)
    return found


def _declarations(ctx: ItemContext, item: CheckedItem) -> Lines:
    node = item.item
    out: Lines = []
    match node:
        case ast.FnDecl():
            key = item_key(ctx, node)
            wrapper = ctx.types.pkg.go_facing.get(key)
            facing = None if wrapper is None else go_facing.Facing(wrapper, key)
            out += _constraints_of_fn(ctx, node)
            for br in item.bodies:
                out += generics.emit_fn(ctx, br, ctx.types.pkg.value_name(key),
                                        facing=facing if br.owner is None else None)
        case ast.StructDecl():
            with generics.adt_scope(ctx.types, item_key(ctx, node)):
                out += _struct(ctx, node)
        case ast.EnumDecl():
            with generics.adt_scope(ctx.types, item_key(ctx, node)):
                out += _enum(ctx, node)
        case ast.ImplDecl():
            out += _impl(ctx, node, item)
        case ast.ConstDecl() | ast.StaticDecl():
            out += _const(ctx, node, next((b for b in item.bodies if b.item is node), None))
        case ast.UseDecl():
            pass
        case ast.TraitDecl():
            out += traits.emit_trait(ctx, node, item)
        case ast.TypeAliasDecl():
            pass  # every use was replaced by the aliased type
        case ast.ModDecl():
            out += _module(ctx, node, item)
    return out


def item_key(ctx: ItemContext, node: ast.Item) -> str:
    """The environment's key of a declaration: its name, or its path (`shapes::area`) when
    another module of the package has an item of that name."""
    return ctx.env.modules.key_of(node) or str(getattr(node, "name", ""))


def _constraints_of_fn(ctx: ItemContext, node: ast.FnDecl) -> Lines:
    """The named constraints of other packages' traits declared before this function
    (gust.codegen.constraints)."""
    out: Lines = []
    gline = ctx.gline(node.span)
    for named in constraints.owned_by_fn(ctx.env, item_key(ctx, node)):
        try:
            out += [*((line, gline) for line in named.declaration(ctx.types)), ("", None)]
        except Unsupported as exc:
            ctx.unsupported(exc.what, node.name_span)
    return out


def _module(ctx: ItemContext, node: ast.ModDecl, item: CheckedItem) -> Lines:
    """An inline module: its items become package-level Go declarations (one Go package
    per Gust package), named by their keys: an item whose name another module's item has
    too is keyed, and named in Go, by its path (`shapes_area`)."""
    if node.items is None:
        return []  # a module in its own file: its items are that file's Go
    for inner in node.items:
        if isinstance(inner, ast.ModDecl) and inner.items is None:
            # `mod a { mod b; }`: the file of `b` (`a/b.gust`) is not looked for yet.
            ctx.unsupported("a module in its own file declared inside an inline module",
                            inner.name_span)
    out: Lines = []
    pos = 0
    # The checker gives the initialisers of constants after every function body.
    consts = tuple(b for b in item.bodies if b.item is not None)
    for inner in node.items:
        n = _body_count(inner)
        bodies = item.bodies[pos : pos + n]
        if isinstance(inner, ast.ConstDecl | ast.StaticDecl | ast.ModDecl) or \
                any(block_module(fn, ()) for fn in fns_of(inner)):
            bodies = (*bodies, *consts)
        lines = emit_declarations(ctx, CheckedItem(item.offset, item.text, inner, bodies))
        pos += n
        if lines and out:
            out.append(("", None))
        out += lines
    return out


def _body_count(item: ast.Item) -> int:
    """How many bodies the checker produced for `item` (gust.sema.module_bodies' order)."""
    if isinstance(item, ast.ModDecl):
        return sum(_body_count(i) for i in item.items or ())
    # Each function body, followed by the bodies of the items it declares.
    return sum(1 + _nested_count(fn) for fn in fns_of(item) if fn.body is not None)


def _nested_count(fn: ast.FnDecl) -> int:
    if not block_module(fn, ()):
        return 0
    return sum(_body_count(sub) for sub in body_items(fn)) + sum(
        _nested_count(inner) for inner in inner_fns(fn))


# ---------------------------------------------------------------- structs


def _field_lines(ctx: ItemContext, fields: list[tuple[str, t.Ty]], gline: int | None,
                 tags: Sequence[str] = ()) -> Lines:
    """A struct's fields, aligned as gofmt aligns them: names in one column, and the types
    of each run of consecutive fields with a tag in another."""
    width = max((len(n) for n, _ in fields), default=0)
    go_tys = [ctx.types.go(ty) for _, ty in fields]
    tag_of = list(tags) + [""] * (len(fields) - len(tags))
    out: Lines = []
    for i, (name, _) in enumerate(fields):
        pad = " " * (width - len(name) + 1) if len(fields) > 1 else " "
        line = f"\t{name}{pad}{go_tys[i]}"
        if tag_of[i]:
            start, end = i, i
            while start > 0 and tag_of[start - 1]:
                start -= 1
            while end + 1 < len(fields) and tag_of[end + 1]:
                end += 1
            column = max(len(go_tys[j]) for j in range(start, end + 1))
            line += " " * (column - len(go_tys[i]) + 1) + tag_of[i]
        out.append((line, None))
    return out


def _json_tags(infos: tuple[FieldInfo, ...], fields: list[tuple[str, t.Ty]]) -> list[str]:
    """`json:"name"` for each exported field whose Go name is not its Gust name (`pub
    name` is Go's `Name`): encoding/json then reads and writes the name written in Gust,
    as serde does."""
    return [f'`json:"{info.name}"`' if info.name is not None and go_name != info.name and
            go_name[:1].isupper() else "" for info, (go_name, _) in zip(infos, fields,
                                                                       strict=True)]


def _go_fields(ctx: ItemContext, owner: str, infos: tuple[FieldInfo, ...]
               ) -> list[tuple[str, t.Ty]]:
    return [(ctx.types.pkg.field(owner, f.name) if f.name is not None else
             names.tuple_field(i), f.ty) for i, f in enumerate(infos)]


def _type_decl(ctx: ItemContext, name: str, fields: list[tuple[str, t.Ty]],
               gline: int | None, tags: Sequence[str] = ()) -> Lines:
    if not fields:
        return [(f"type {name} struct{{}}", gline)]
    return [(f"type {name} struct {{", gline), *_field_lines(ctx, fields, gline, tags),
            ("}", None)]


def _struct(ctx: ItemContext, node: ast.StructDecl) -> Lines:
    key = item_key(ctx, node)
    info = ctx.env.structs.get(key)
    if info is None or info.decl is not node:
        return []
    gline = ctx.gline(node.span)
    ty = t.Adt(key, tuple(t.Param(p) for p in info.generics))
    try:
        with generics.pointers(ctx.types,
                               generics.pointer_params(ctx.types, info.generics, info.bounds),
                               generics.ref_params(ctx.types, info.generics, info.bounds)):
            decl = ctx.types.adt_name(key) + generics.type_param_list(
                ctx.types, info.generics, generics.key_bounds(ctx.env, key))
            name = ctx.types.go(ty)
        fields = _go_fields(ctx, key, info.fields)
        out = _type_decl(ctx, decl, fields, gline, _json_tags(info.fields, fields))
        if traits.type_has_ref(ctx.types, key):
            # A pointer to the struct, with its traits' methods (gust.codegen.traits).
            out += [("", None),
                    (f"type {traits.ref_type(ctx.types, key)} struct{{ p *{name} }}", gline)]
    except Unsupported as exc:
        ctx.unsupported(exc.what, node.span)
        return []
    derives = info.derives
    if "Debug" in derives:
        out += _debug_method(ctx, name, node.name, node.kind, fields, _labels(info.fields),
                             gline)
    out += go_facing.format_method(ctx, key, [name], gline)
    out += _drop_function(ctx, node)
    if "Clone" in derives and not ctx.types.is_plain(ty):
        out += [("", None), *_clone_method(ctx, name, fields, gline)]
    if "PartialEq" in derives and not ctx.types.is_comparable(ty):
        out += [("", None), *_equal_method(ctx, name, fields, gline)]
    if "PartialOrd" in derives:
        out += [("", None), *traits.derived_order(name, fields, gline)]
    if "Default" in derives:
        out += traits.derived_default(ctx.types, ctx.env, name, ty, gline)
    return out


def _labels(infos: tuple[FieldInfo, ...]) -> list[str]:
    """The field names Debug prints: Rust's, whatever their Go names."""
    return [f.name or "" for f in infos]


def _debug_method(ctx: ItemContext, go_name: str, rust_name: str, kind: str,
                  fields: list[tuple[str, t.Ty]], labels: list[str],
                  gline: int | None) -> Lines:
    head = f"func (self {go_name}) fmtDebug(f *gustFormatter) {{"
    if kind == "unit" or not fields:
        body = f"f.writeString({g.go_string(rust_name)})"
    else:
        args: list[g.GoExpr] = [g.Atom(g.go_string(rust_name))]
        for (fname, ty), label in zip(fields, labels, strict=True):
            if kind == "named":
                args.append(g.Atom(g.go_string(label)))
            args.append(_debug_value(ctx, g.selector(g.ident("self"), fname), ty))
        method = "debugStruct" if kind == "named" else "debugTuple"
        body = g.render(g.call(f"f.{method}", *args))
    return [("", None), (head, gline), ("\t" + body, None), ("}", None)]


def _debug_value(ctx: ItemContext, value: g.GoExpr, ty: t.Ty) -> g.GoExpr:
    if ctx.types.is_std_ordering(ty):
        return g.conversion("gustOrdering", value)
    if ctx.types.needs_int_view(ty):
        shape = intviews.view_shape(ty, set(ctx.env.structs) | set(ctx.env.enums),
                                     usize_max.enabled(ctx.env))
        if shape is not None:
            return intviews.int_view(value, shape)
    return value


def _clone_method(ctx: ItemContext, go_name: str, fields: list[tuple[str, t.Ty]],
                  gline: int | None) -> Lines:
    out: Lines = [(f"func (self {go_name}) Clone() {go_name} {{", gline)]
    for fname, ty in fields:
        if not ctx.types.is_plain(ty):
            field = g.selector(g.ident("self"), fname)
            out.append((f"\tself.{fname} = {g.render(clone_expr(ctx, field, ty))}", None))
    out += [("\treturn self", None), ("}", None)]
    return out


def _equal_method(ctx: ItemContext, go_name: str, fields: list[tuple[str, t.Ty]],
                  gline: int | None) -> Lines:
    parts = [eq_expr(ctx, g.selector(g.ident("self"), f), g.selector(g.ident("other"), f), ty)
             for f, ty in fields]
    cond = parts[0] if parts else g.Atom("true")
    for p in parts[1:]:
        cond = g.binary("&&", cond, p)
    return [(f"func (self {go_name}) Equal(other {go_name}) bool {{", gline),
            (f"\treturn {g.render(cond)}", None), ("}", None)]


# ---------------------------------------------------------------- enums


def _enum(ctx: ItemContext, node: ast.EnumDecl) -> Lines:
    key = item_key(ctx, node)
    info = ctx.env.enums.get(key)
    if info is None or info.decl is not node:
        return []
    gline = ctx.gline(node.span)
    name = ctx.types.adt_name(key)
    types = ctx.types
    if types.enum_is_simple(key):
        out: Lines = [(f"type {name} int", gline)]
        # Each variant's Go value is its discriminant (`Level::High as i32` converts it).
        indexed = all(v.discriminant == v.index for v in info.variants)
        if info.variants:
            out += [("", None), ("const (", gline)]
            width = max(len(types.variant_type(key, v.name)) for v in info.variants)
            for i, v in enumerate(info.variants):
                vname = types.variant_type(key, v.name)
                if indexed:
                    value = f" {name} = iota" if i == 0 else ""
                    out.append((f"\t{vname}{value}", ctx.gline(v.decl.span)))
                else:
                    # Aligned as gofmt does, with no `//line` directive between the lines
                    # (one would end the aligned section).
                    pad = " " * (width - len(vname) + 1)
                    out.append((f"\t{vname}{pad}{name} = {v.discriminant}", None))
            out.append((")", None))
        if "Debug" in info.derives:
            out += [("", None), (f"func (self {name}) fmtDebug(f *gustFormatter) {{", gline)]
            if indexed:
                names_list = ", ".join(g.go_string(v.name) for v in info.variants)
                out.append((f"\tf.writeString([...]string{{{names_list}}}[self])", None))
            else:
                out.append(("\tswitch self {", None))
                for v in info.variants:
                    out += [(f"\tcase {types.variant_type(key, v.name)}:", None),
                            (f"\t\tf.writeString({g.go_string(v.name)})", None)]
                out.append(("\t}", None))
            out.append(("}", None))
        if "Default" in info.derives:
            out += traits.derived_default(types, ctx.env, name, t.Adt(key), gline)
        return out + go_facing.format_method(ctx, key, [name], gline)
    params = tuple(t.Param(p) for p in info.generics)
    marker = f"is{name[:1].upper()}{name[1:]}"
    try:
        traits.check_type_bounds(types, info.bounds)
        tparams = generics.type_param_list(types, info.generics,
                                           generics.key_bounds(ctx.env, key))
        targs = generics.type_args(types, info.generics)
        out = [(f"type {name}{tparams} interface {{", gline),
               (f"\t// {marker} is implemented by one struct per variant of the enum.", None),
               (f"\t{marker}()", None),
               *((f"\t{iface}", None) for iface in traits.enum_trait_interfaces(ctx, key)),
               ("}", None)]
        variant_fields = [(v, _go_fields(ctx, key, v.fields)) for v in info.variants]
        for v, fields in variant_fields:
            vname = types.variant_type(key, v.name)
            out += [("", None), *_type_decl(ctx, vname + tparams, fields,
                                            ctx.gline(v.decl.span))]
        if traits.enum_has_ref(types, key):
            ref = traits.ref_type(types, key)
            # A variable of the enum, with its traits' methods (gust.codegen.traits).
            out += [("", None), (f"type {ref} struct{{ p *{name} }}", gline)]
    except Unsupported as exc:
        ctx.unsupported(exc.what, node.span)
        return []
    headers = [f"func ({types.variant_type(key, v.name)}{targs}) {marker}()"
               for v in info.variants]
    width = max((len(h) for h in headers), default=0)
    if headers:
        out.append(("", None))
    for h in headers:
        out.append((h + " " * (width - len(h) + 1) + "{}", None))
    if "Debug" in info.derives:
        for v, fields in variant_fields:
            vname = types.variant_type(key, v.name) + targs
            out += _debug_method(ctx, vname, v.name, v.kind, fields, _labels(v.fields),
                                 ctx.gline(v.decl.span))
    out += go_facing.format_method(
        ctx, key, [types.variant_type(key, v.name) + targs for v in info.variants],
        gline)
    ty = t.Adt(key, params)
    out += _drop_function(ctx, node)
    if "Clone" in info.derives and not types.is_plain(ty):
        out += _enum_clone(ctx, key, name, variant_fields, gline)
    if "PartialEq" in info.derives and not types.is_comparable(ty):
        out += _enum_equal(ctx, key, name, variant_fields, gline)
    out += _variant_indexes(ctx, key, targs, gline)  # derived orders, `mem::discriminant`
    return out


def _variant_indexes(ctx: ItemContext, enum: str, targs: str, gline: int | None) -> Lines:
    """Each variant struct's index of an enum with payloads, which the runtime's `gustCmp`
    compares before the payloads (`#[derive(PartialOrd)]`: Rust's derived order) and
    `mem::discriminant` returns (`gustVariantOf`)."""
    info = ctx.env.enums[enum]
    headers = [f"func ({ctx.types.variant_type(enum, v.name)}{targs}) gustVariant() int"
               for v in info.variants]
    width = max((len(h) for h in headers), default=0)
    return [("", None), *((h + " " * (width - len(h) + 1) + f"{{ return {i} }}",
                           gline if i == 0 else None) for i, h in enumerate(headers))]


def _drop_function(ctx: ItemContext, node: ast.StructDecl | ast.EnumDecl) -> Lines:
    """The drop function of a type holding counted `Rc`s or `Drop` values (gust.codegen.rc_counts)."""
    try:
        return rc_counts.drop_function(ctx.types, item_key(ctx, node), ctx.gline(node.span))
    except Unsupported as exc:
        ctx.unsupported(exc.what, node.span)
        return []


def _enum_clone(ctx: ItemContext, enum: str, name: str,
                variants: list[tuple[VariantInfo, list[tuple[str, t.Ty]]]],
                gline: int | None) -> Lines:
    info = ctx.env.enums[enum]
    tparams = generics.type_param_list(ctx.types, info.generics,
                                       generics.key_bounds(ctx.env, enum))
    targs = generics.type_args(ctx.types, info.generics)
    out: Lines = [("", None),
                  (f"func {name}Clone{tparams}(v {name}{targs}) {name}{targs} {{", gline),
                  ("\tswitch v := v.(type) {", None)]
    for v, fields in variants:
        deep = [(f, ty) for f, ty in fields if not ctx.types.is_plain(ty)]
        if not deep:
            continue
        out.append((f"\tcase {ctx.types.variant_type(enum, v.name)}{targs}:", None))
        for f, ty in deep:
            # (a multi-line function literal's lines are split and indented by emit_text)
            gostmt.emit_text(out, "\t\t", f"v.{f} = "
                             f"{g.render(clone_expr(ctx, g.selector(g.ident('v'), f), ty))}",
                             None)
        out.append(("\t\treturn v", None))
    out += [("\t}", None), ("\treturn v", None), ("}", None)]
    return out


def _enum_equal(ctx: ItemContext, enum: str, name: str,
                variants: list[tuple[VariantInfo, list[tuple[str, t.Ty]]]],
                gline: int | None) -> Lines:
    info = ctx.env.enums[enum]
    tparams = generics.type_param_list(ctx.types, info.generics,
                                       generics.key_bounds(ctx.env, enum))
    targs = generics.type_args(ctx.types, info.generics)
    out: Lines = [("", None), (f"func {name}Equal{tparams}(a, b {name}{targs}) bool {{", gline),
                  ("\tswitch a := a.(type) {", None)]
    for v, fields in variants:
        if all(ctx.types.is_comparable(ty) for _, ty in fields):
            continue
        vname = ctx.types.variant_type(enum, v.name) + targs
        cond: g.GoExpr = g.ident("ok")
        for f, ty in fields:
            cond = g.binary("&&", cond, eq_expr(ctx, g.selector(g.ident("a"), f),
                                                g.selector(g.ident("b"), f), ty))
        out += [(f"\tcase {vname}:", None), (f"\t\tb, ok := b.({vname})", None)]
        gostmt.emit_text(out, "\t\t", f"return {g.render(cond)}", None)
    out += [("\t}", None), ("\treturn a == b", None), ("}", None)]
    return out


# ---------------------------------------------------------------- impls


def _impl(ctx: ItemContext, node: ast.ImplDecl, item: CheckedItem) -> Lines:
    if node.trait_ is not None:
        return traits.emit_trait_impl(ctx, node, item)
    out: Lines = []
    types = ctx.types
    for br in item.bodies:
        owner = br.owner
        fn = br.fn
        if owner is None:
            continue
        impl = ctx.env.impl_of.get(fn)
        sig = impl.methods.get(fn.name) if impl is not None else None
        if impl is None or sig is None or sig.decl is not fn:
            continue
        if out:
            out.append(("", None))
        try:
            as_function = generics.method_is_function(ctx.env, types, sig)
            with generics.impl_pointers(types, impl):
                out += _impl_method(ctx, impl, br, sig, as_function)
        except Unsupported as exc:
            ctx.unsupported(exc.what, fn.signature_span)
            continue
    return out


def _impl_method(ctx: ItemContext, impl: ImplInfo, br: BodyResults, sig: FnSig,
                 as_function: bool) -> Lines:
    """A method of an inherent impl: a Go method, or a function of the type."""
    types = ctx.types
    owner = br.owner
    fn = br.fn
    assert owner is not None
    wrapper = types.pkg.facing_method(owner, fn.name)
    gust_name = f"{owner.rsplit('::', 1)[-1]}::{fn.name}"
    if sig.self_kind is None or as_function or types.is_iface_enum(owner):
        self_param = None
        if sig.self_kind is not None:
            self_ty = _self_type(impl.self_ty, sig.self_kind)
            self_param = f"self {types.go(self_ty)}"
        facing = None if wrapper is None else \
            go_facing.Facing(wrapper, gust_name, self_param=self_param)
        method = FnEmitter.method_go_name(ctx, owner, fn.name)
        if self_param is not None and not types.is_iface_enum(owner) and \
                generics.function_for_arith_only(ctx.env, types, sig) and \
                (wrapper is not None or method[:1].isupper()):
            # The Go method it would be (exported: Go code outside sees it), for Go callers.
            facing = go_facing.Facing(wrapper or method, gust_name,
                                      receiver=f"({self_param}) ", of_function=True)
        return generics.emit_fn(ctx, br, types.pkg.assoc_fn(owner, fn.name), sig=sig,
                                self_param=self_param,
                                tparams=generics.function_type_params(types, sig),
                                facing=facing)
    self_go = types.go(_self_type(impl.self_ty, sig.self_kind))
    method = FnEmitter.method_go_name(ctx, owner, fn.name)
    receiver = f"(self {self_go}) "
    facing = None if wrapper is None else \
        go_facing.Facing(wrapper, gust_name, receiver=receiver)
    return generics.emit_fn(ctx, br, method, sig=sig, receiver=receiver, tparams=(),
                            facing=facing)


def _self_type(self_ty: t.Ty, self_kind: str) -> t.Ty:
    if self_kind == "value":
        return self_ty
    return t.Ref(self_ty, self_kind == "ref_mut")


# ---------------------------------------------------------------- consts


def _const(ctx: ItemContext, node: ast.ConstDecl | ast.StaticDecl,
           br: BodyResults | None) -> Lines:
    key = item_key(ctx, node)
    info = ctx.env.consts.get(key)
    if info is None or info.decl is not node:
        return []
    gline = ctx.gline(node.span)
    keyword = "const" if isinstance(node, ast.ConstDecl) and _go_const_type(info.ty) else "var"
    try:
        go_ty = ctx.types.go(info.ty)
    except Unsupported as exc:
        ctx.unsupported(exc.what, node.value.span)
        return []
    try:
        if keyword == "var" and isinstance(info.ty, t.Int):
            # A `u128`/`i128`: its literal and operators as a body emits them.
            raise Unsupported("a constant of this type")
        value = _const_expr(ctx, node.value, info.ty)
    except Unsupported as exc:
        # Not a constant expression of Go's: a package-level `var` with the value as a
        # body's expression (a struct literal, a tuple struct, an enum variant).
        checked = _checked_value(ctx, node, br) if br is not None else None
        if checked is None:
            ctx.unsupported(exc.what, node.value.span)
            return []
        value, keyword = checked, "var"
    go_name = ctx.types.pkg.value_name(key)
    if isinstance(value, g.Composite) and value.type == go_ty:  # the literal names the type
        return [(f"var {go_name} = {g.render(value)}", gline)]
    return [(f"{keyword} {go_name} {go_ty} = {g.render(value)}", gline)]


def _checked_value(ctx: ItemContext, node: ast.ConstDecl | ast.StaticDecl,
                   br: BodyResults) -> g.GoExpr | None:
    key = item_key(ctx, node)
    """The initialiser emitted as any expression of a body, when that takes no statement
    (a package-level `var` has no place for them); None when it cannot be."""
    imports = set(ctx.imports)
    sites = len(ctx.panic_sites)
    emitter = FnEmitter(ctx, br, ctx.types.pkg.value_name(key), None, None)
    try:
        value = emitter.expr(node.value)
    except (Unsupported, UnsupportedAt):
        value = None
    if value is None or emitter.cur:
        ctx.imports.intersection_update(imports)
        del ctx.panic_sites[sites:]
        return None
    return value


def _go_const_type(ty: t.Ty) -> bool:
    if isinstance(ty, t.Int) and ty.kind in ("u128", "i128"):
        return False  # the runtime's struct (gust.codegen.wide_ints)
    return isinstance(ty, (t.Int, t.Float, t.Bool, t.Char)) or ty == t.STR_REF or \
        ty == t.STRING


def _const_expr(ctx: ItemContext, e: ast.Expr, ty: t.Ty | None = None) -> g.GoExpr:
    """The initializer of a const: literals, other consts, operators, and arrays and tuples
    of those (no type info is recorded for const initializers, so only these are
    translated; `ty`, the declared type, types the array and tuple literals)."""
    match e:
        case ast.ArrayExpr(elems=elems) if isinstance(ty, t.Array):
            values = [_const_expr(ctx, x, ty.elem) for x in elems]
            # Go elides the element type of composite elements: `[2]T{{..}, {..}}`.
            return g.Composite(ctx.types.go(ty), tuple(
                g.Composite("", v.elts) if isinstance(v, g.Composite) else v for v in values))
        case ast.TupleExpr(elems=elems) if isinstance(ty, t.Tuple) and elems and \
                len(elems) == len(ty.elems):
            return g.Composite(ctx.types.go(ty), tuple(
                g.KeyValue(names.tuple_field(i), _const_expr(ctx, x, ety))
                for i, (x, ety) in enumerate(zip(elems, ty.elems, strict=True))))
        case ast.Literal(kind="int", value=int(v), text=text, suffix=suffix):
            return g.Atom(g.go_int_literal(text[: -len(suffix)] if suffix else text, v), "int")
        case ast.Literal(kind="float", value=float(v), text=text, suffix=suffix):
            return g.Atom(g.go_float_literal(text[: -len(suffix)] if suffix else text, v),
                          "float")
        case ast.Literal(kind="str", value=str(v)):
            return g.Atom(g.go_string(v), "string")
        case ast.Literal(kind="char", value=str(v)):
            return g.Atom(g.go_rune(v), "rune")
        case ast.Literal(kind="bool", value=v):
            return g.Atom("true" if v else "false", "bool")
        case ast.Paren(inner=inner):
            return _const_expr(ctx, inner, ty)
        case ast.Unary(op="-" | "!" as op, operand=operand):
            return g.unary(op, _const_expr(ctx, operand))
        case ast.Binary(op=op, lhs=lhs, rhs=rhs) if op in g.PREC:
            return g.binary(op, _const_expr(ctx, lhs), _const_expr(ctx, rhs))
        case ast.PathExpr(path=path) if len(path.segments) == 1 and \
                path.last.name in ctx.env.consts:
            return g.ident(ctx.types.pkg.value_name(path.last.name))
    raise Unsupported("this constant initializer")
