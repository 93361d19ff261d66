"""Rust's `clone` and `==` for Go values of a given Gust type."""

from __future__ import annotations

from gust.codegen import goast as g
from gust.codegen.context import ItemContext
from gust.codegen.gotypes import Unsupported
from gust.sema import types as t


def clone_expr(ctx: ItemContext, value: g.GoExpr, ty: t.Ty) -> g.GoExpr:
    """`value.clone()`: the value itself when Go's copy is a clone, else a deep copy."""
    types = ctx.types
    if types.is_plain(ty):
        return value
    match ty:
        case t.Adt(name="Vec" | "VecDeque" | "BinaryHeap", args=(elem,)):
            if types.is_plain(elem):
                ctx.imports.add("slices")
                return g.call("slices.Clone", value)
            return g.call("gustCloneWith", value, clone_fn(ctx, elem))
        case t.Adt(args=args) if types.coded_key(ty):
            # A map keyed by a `Vec`: its Go keys are strings (`gustKeyMap`).
            if len(args) < 2 or types.is_plain(args[1]):
                ctx.imports.add("maps")
                return g.call("maps.Clone", value)
            return g.call("gustCloneMapWith", value, clone_fn(ctx, args[1]))
        case t.Adt(name="HashMap" | "HashSet" | "BTreeMap" | "BTreeSet", args=args) if all(
                types.is_plain(a) for a in args):
            ctx.imports.add("maps")
            return g.call("maps.Clone", value)
        case t.Adt(name="HashMap" | "BTreeMap", args=(key, val)) if types.is_plain(key):
            # values that need a deep copy (`BTreeMap<String, Value>` of a JSON-like enum)
            return g.call("gustCloneMapWith", value, clone_fn(ctx, val))
        case t.Adt(name=name) if name in ctx.env.structs:
            return g.call(g.selector(value, "Clone"))
        case t.Adt(name=name) if name in ctx.env.enums and types.enum_is_simple(name):
            return g.call(g.selector(value, "Clone"))  # a hand-written impl's method
        case t.Adt(name=name) if name in ctx.env.enums:
            return g.call(f"{types.adt_name(name)}Clone{_type_args(ctx, ty)}", value)
        case t.Adt(name="Rc" | "Arc"):
            return g.call(g.selector(value, "Clone"))  # a counted `Rc` (gust.codegen.rc_counts)
        case t.Adt(name="Option", args=(inner,)):
            return g.call("gustCloneOption", value, clone_fn(ctx, inner))
        case t.Tuple(elems=elems) if 2 <= len(elems) <= 4:
            # `(label, vec).clone()`: element by element, each as its type clones
            return g.call(f"gustCloneTuple{len(elems)}", value,
                          *(clone_fn(ctx, e) for e in elems))
        case t.Array(elem=elem, length=n):
            # `[vec![1], vec![2]].clone()`: Go copied the array; each element cloned
            return g.call("gustCloneArray", value, g.Atom(str(n), "int"), clone_fn(ctx, elem))
        case t.Adt(name="Cell"):
            return g.call("gustCloneCell", value)  # a new cell holding the `Copy` value
        case t.Adt(name="RefCell", args=(inner,)):
            return g.call("gustCloneRefCell", value, clone_fn(ctx, inner))
        case t.Adt(name="Box", args=(inner,)) if isinstance(inner, t.Adt) and \
                inner.name in ctx.env.enums:
            return clone_expr(ctx, value, inner)  # a `Box` of an enum is the enum's value
        case t.Param() | t.Adt(name="Box"):
            return g.call("gustClone", value)
        case t.Adt(name="Iter", args=(item,)):
            if not types.is_plain(item):
                raise Unsupported("cloning an iterator of values that need a deep clone")
            return g.call("gustIterClone", value)
    raise Unsupported(f"cloning a value of type `{ty}`")


def _type_args(ctx: ItemContext, ty: t.Adt) -> str:
    """`[T]` for a generic enum's `Clone`/`Equal` function: Go does not infer type
    arguments from a value of the enum's interface type."""
    return "[" + ", ".join(ctx.types.go(a) for a in ty.args) + "]" if ty.args else ""


def clone_fn(ctx: ItemContext, ty: t.Ty) -> g.GoExpr:
    """A Go function value that clones values of type `ty`."""
    types = ctx.types
    match ty:
        case t.Adt(name="Vec" | "VecDeque", args=(elem,)) if types.is_plain(elem):
            ctx.imports.add("slices")
            return g.Atom(f"slices.Clone[{types.go(ty)}]")
        case t.Adt(name=name) if name in ctx.env.structs:
            return g.Atom(f"{types.adt_name(name)}{_type_args(ctx, ty)}.Clone")
        case t.Adt(name=name) if name in ctx.env.enums and types.enum_is_simple(name):
            return g.Atom(f"{types.go(ty)}.Clone")  # a hand-written impl's method
        case t.Adt(name=name) if name in ctx.env.enums:
            return g.Atom(f"{types.adt_name(name)}Clone{_type_args(ctx, ty)}")
        case t.Adt(name="Rc" | "Arc"):
            return g.Atom(f"({types.go(ty)}).Clone")
        case t.Param() | t.Adt(name="Box"):
            return g.Atom(f"gustClone[{types.go(ty)}]")
    if types.is_plain(ty):
        return g.Atom(f"gustId[{types.go(ty)}]")
    # Any other clonable type (a `Vec` of `Vec`s, a map, an `Option` of a struct): a
    # function literal doing what `x.clone()` does.
    body = clone_expr(ctx, g.ident("x"), ty)
    go = types.go(ty)
    return g.FuncLit(f"func(x {go}) {go}", ((f"\treturn {g.render(body)}", None),))


def eq_expr(ctx: ItemContext, lhs: g.GoExpr, rhs: g.GoExpr, ty: t.Ty) -> g.GoExpr:
    """`lhs == rhs` for two Go values of Gust type `ty` (references already dereferenced)."""
    types = ctx.types
    if isinstance(ty, t.Param) or (isinstance(ty, t.Adt) and ty.name == "Box"):
        return g.call("gustEq", lhs, rhs)
    if isinstance(ty, t.Adt) and _has_eq_impl(ctx, ty.name):
        if types.is_struct(ty):
            if not isinstance(rhs, (g.Atom, g.Selector, g.Composite, g.Index)) and \
                    not (isinstance(rhs, g.Unary) and rhs.op == "*"):  # `&*p` is `p`
                raise Unsupported("comparing this value with a hand-written `PartialEq`")
            rhs = g.unary("&", rhs)
        return g.call(g.selector(lhs, "eq"), rhs)
    if isinstance(ty, t.Adt) and types.is_iface_enum(ty.name):
        # Two variant literals have different Go types: compare them as the enum.
        enum = types.adt_name(ty.name)
        if isinstance(lhs, g.Composite) and lhs.type != enum:
            lhs = g.conversion(enum, lhs)
    if types.is_comparable(ty) or isinstance(ty, t.Str):
        return g.binary("==", lhs, rhs)
    match ty:
        case t.Adt(name="Vec" | "VecDeque", args=(elem,)) | t.Slice(elem=elem):
            ctx.imports.add("slices")
            if types.is_comparable(elem):
                return g.call("slices.Equal", lhs, rhs)
            return g.call("slices.EqualFunc", lhs, rhs, eq_fn(ctx, elem))
        case t.Array(elem=elem):  # of elements Go's `==` does not compare as Rust's
            ctx.imports.add("slices")
            return g.call("slices.EqualFunc", sliced_array(lhs), sliced_array(rhs),
                          eq_fn(ctx, elem))
        case t.Adt(name=name) if name in ctx.env.structs:
            return g.call(g.selector(lhs, "Equal"), rhs)
        case t.Adt(name=name) if name in ctx.env.enums:
            return g.call(f"{types.adt_name(name)}Equal{_type_args(ctx, ty)}", lhs, rhs)
        case t.Adt(name="HashSet" | "BTreeSet"):
            ctx.imports.add("maps")
            return g.call("maps.Equal", lhs, rhs)
        case t.Adt(name="HashMap" | "BTreeMap", args=(_, val)):
            ctx.imports.add("maps")
            if types.is_comparable(val):
                return g.call("maps.Equal", lhs, rhs)
            return g.call("maps.EqualFunc", lhs, rhs, eq_fn(ctx, val))
        case t.Adt(name="Option", args=(inner,)) if not (
                isinstance(inner, t.Ref) and types.ref_is_ptr(inner)):
            # `v.as_deref() == Some(&[1, 2][..])`: the values compared by their own `==`
            # (a reference to a slice or string is the slice or string in Go).
            elem = inner.inner if isinstance(inner, t.Ref) else inner
            return g.call("gustEqOption", lhs, rhs, eq_fn(ctx, elem))
        case t.Adt(name="Option", args=(t.Ref(inner=elem),)):
            # `s.adapter.as_ref() == Some(id)`: pointers, compared by what they point to
            return g.call("gustEqOptionRef", lhs, rhs, eq_fn(ctx, elem))
        case t.Tuple(elems=elems) if 2 <= len(elems) <= 4:
            # `(vec![1], 2) == ..`: element by element, each with its own `==`.
            return g.call(f"gustEqTuple{len(elems)}", lhs, rhs,
                          *(eq_fn(ctx, e) for e in elems))
    raise Unsupported(f"comparing values of type `{ty}`")


def sliced_array(array: g.GoExpr) -> g.GoExpr:
    """An array as a slice: a literal, or a place (Go slices only addressable arrays)."""
    if isinstance(array, (g.Composite, g.Atom, g.Selector)):
        return array_as_slice(array)
    raise Unsupported("comparing arrays that are not variables or literals")


def _has_eq_impl(ctx: ItemContext, name: str) -> bool:
    """A hand-written `impl PartialEq for T` (its `eq` method decides `==`)."""
    return any(i.trait == "PartialEq" and isinstance(i.self_ty, t.Adt) and
               i.self_ty.name == name for i in ctx.env.impls)


def eq_fn(ctx: ItemContext, ty: t.Ty) -> g.GoExpr:
    types = ctx.types
    if (types.is_comparable(ty) or isinstance(ty, t.Str) or ty == t.Adt("String")) and \
            not (isinstance(ty, t.Adt) and _has_eq_impl(ctx, ty.name)):
        return g.Atom(f"gustSame[{types.go(ty)}]")
    match ty:
        case t.Param():
            return g.Atom(f"gustEq[{types.go(ty)}]")
        case t.Adt(name="Vec" | "VecDeque", args=(elem,)) if types.is_comparable(elem):
            ctx.imports.add("slices")
            return g.Atom(f"slices.Equal[{types.go(ty)}]")
        case t.Adt(name=name) if name in ctx.env.structs and not _has_eq_impl(ctx, name):
            return g.Atom(f"{types.adt_name(name)}{_type_args(ctx, ty)}.Equal")
        case t.Adt(name=name) if name in ctx.env.enums:
            return g.Atom(f"{types.adt_name(name)}Equal{_type_args(ctx, ty)}")
    # Any other type with `==` (a `Vec` of `Vec`s, a map): a function literal doing it.
    go = types.go(ty)
    body = eq_expr(ctx, g.ident("a"), g.ident("b"), ty)
    return g.FuncLit(f"func(a, b {go}) bool", ((f"\treturn {g.render(body)}", None),))


def array_as_slice(value: g.GoExpr) -> g.GoExpr:
    """An array as a slice: `a[:]`, or for an array literal (which Go cannot slice: it is
    not addressable) the slice literal itself, `[]T{1, 2}`."""
    if isinstance(value, g.Composite) and value.type.startswith("[") and \
            not value.type.startswith("[]"):
        length, elem = value.type[1:].split("]", 1)
        if value.elts or length == "0":
            return g.Composite(f"[]{elem}", value.elts)
        return g.call("make", g.Atom(f"[]{elem}"), g.Atom(length, "int"))
    return g.slice_expr(value, None, None)
