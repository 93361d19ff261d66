"""Types and paths (rustfmt's `types.rs`)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from gust.fmt import exprs, overflow, pairs, source
from gust.fmt.context import Ctx
from gust.fmt.lists import (
    COMMA_LEN,
    HORIZONTAL,
    HORIZONTAL_VERTICAL,
    VERTICAL,
    DefTactic,
    ListFormatting,
    definitive_tactic,
    ends_with_newline,
    itemize_list,
    write_list,
)
from gust.fmt.shape import Shape
from gust.fmt.strings import blen, extra_offset, first_line_width, last_line_width, wrap_str
from gust.syntax import ast


def ty_rewriter(ctx: Ctx, ty: ast.TypeExpr) -> Callable[[Shape], str | None]:
    """A rewriter for a type, for helpers that try it in several shapes."""
    return lambda shape: rewrite_ty(ctx, ty, shape)


def rewrite_ty(ctx: Ctx, ty: object, shape: Shape) -> str | None:
    """Format a type, memoised; types whose AST loses syntax (lifetimes, `Fn(..)` sugar,
    raw identifiers) are written from their tokens instead."""
    key = ("ty", id(ty), ctx.base, shape, ctx.flags())
    if key in ctx.cache:
        return ctx.cache[key]
    snippet = ctx.snippet(ty)
    handler = _HANDLERS.get(type(ty).__name__)
    if handler is None or source.is_lossy(snippet):
        rendered = source.render_tokens(snippet)
        result = wrap_str(rendered if rendered is not None else snippet, shape)
    else:
        result = handler(ctx, ty, shape)
    ctx.cache[key] = result
    return result


def rewrite_path(ctx: Ctx, path: ast.Path, shape: Shape, expr_context: bool) -> str | None:
    """`a::b::<T>::c`: generic arguments get `::` before them in expressions only."""
    result = ""
    shape = shape.visual_indent(0)
    trait = path.qself_trait
    in_type = len([s for s in path.segments if trait is not None and
                   s.span.end <= trait.span.start])
    for i, segment in enumerate(path.segments):
        if trait is not None and i == 0:
            result += "<"  # `<Sq as Shape>::SIDES`: the type's segments come first
        if trait is not None and i == in_type:
            written = rewrite_path(ctx, trait.path, shape, expr_context=False)
            if written is None:
                return None
            result += f" as {written}>"
        if i:
            result += "::"
        new_shape = shape.shrink_left(extra_offset(result, shape))
        if new_shape is None:
            result += "\n"
            new_shape = shape.shrink_left(extra_offset(result, shape))
            if new_shape is None:
                return None
        seg = _rewrite_segment(ctx, segment, shape, new_shape, i == 0, expr_context)
        if seg is None:
            return None
        result += seg
    return result


def _rewrite_segment(ctx: Ctx, segment: ast.PathSegment, shape: Shape, new_shape: Shape,
                     first: bool, expr_context: bool) -> str | None:
    """One path segment with its generic arguments; a segment that does not fit continues
    on the next line, as rustfmt does for long paths."""
    result = source.name_at(ctx, ctx.base + segment.span.start, segment.name)
    seg_shape = new_shape.offset_left(blen(result))
    if seg_shape is None:
        if first:
            return None
        indent = shape.indent.indented().block_only()
        seg_shape = replace(shape, indent=indent)
        result = indent.newline() + result
    if segment.generics:
        lo = ctx.base + segment.span.start
        hi = ctx.base + segment.span.end
        generics = rewrite_with_angle(ctx, segment.generics, seg_shape, lo, hi)
        if generics is None:
            return None
        result += ("::" if expr_context else "") + generics
    return result


def rewrite_with_angle(ctx: Ctx, args: tuple[ast.TypeExpr, ...], shape: Shape, lo: int,
                       hi: int) -> str | None:
    """`<A, B>` laid out like call arguments."""
    items = [overflow.OItem(overflow.TY, t, ctx.lo(t), ctx.hi(t), ty_rewriter(ctx, t))
             for t in args]
    return overflow.rewrite_with_angle_brackets(ctx, "", items, shape, lo, hi)


def _type_path(ctx: Ctx, t: ast.TypePath, shape: Shape) -> str | None:
    """A type path: generic arguments without the turbofish."""
    return rewrite_path(ctx, t.path, shape, expr_context=False)


def _ref(ctx: Ctx, t: ast.RefType, shape: Shape) -> str | None:
    """`&T` or `&mut T`."""
    result = "&mut " if t.mutable else "&"
    width = shape.width - blen(result)
    if width < 0:
        return None
    # `&impl A + B` does not parse in Rust (ambiguous `+`): bounds after `&` keep their parens.
    if isinstance(t.inner, ast.ImplTraitType | ast.DynTraitType) and len(t.inner.bounds) > 1:
        width -= 2
        if width < 0:
            return None
        inner = rewrite_ty(ctx, t.inner,
                           Shape.legacy(width, shape.indent.plus(blen(result) + 1)))
        return None if inner is None else f"{result}({inner})"
    inner = rewrite_ty(ctx, t.inner, Shape.legacy(width, shape.indent.plus(blen(result))))
    return None if inner is None else result + inner


def _tuple(ctx: Ctx, t: ast.TupleType, shape: Shape) -> str | None:
    """`(A, B)`; a single element keeps its comma."""
    items = [overflow.OItem(overflow.TY, e, ctx.lo(e), ctx.hi(e), ty_rewriter(ctx, e))
             for e in t.elems]
    return exprs.rewrite_tuple(ctx, items, ctx.lo(t), ctx.hi(t), shape, len(t.elems) == 1)


def _array(ctx: Ctx, t: ast.ArrayType, shape: Shape) -> str | None:
    """`[T; N]`, breaking after `;` when it does not fit."""
    return pairs.rewrite_pair(ty_rewriter(ctx, t.elem), exprs.expr_rewriter(ctx, t.length),
                              "[", "; ", "]", shape, pairs.BACK)


def _slice(ctx: Ctx, t: ast.SliceType, shape: Shape) -> str | None:
    """`[T]`."""
    width = shape.width - 4
    if width < 0:
        return None
    inner = rewrite_ty(ctx, t.elem, Shape.legacy(width, shape.indent.plus(1)))
    return None if inner is None else f"[{inner}]"


def rewrite_bounds(ctx: Ctx, bounds: tuple[ast.TypePath, ...], shape: Shape) -> str | None:
    """`A + B` trait bounds on one line."""
    parts = [rewrite_ty(ctx, b, shape) for b in bounds]
    if any(p is None for p in parts):
        return None
    return " + ".join(p for p in parts if p is not None)


def _impl(ctx: Ctx, t: ast.ImplTraitType, shape: Shape) -> str | None:
    """`impl Bounds`."""
    inner = shape.offset_left(5)
    bounds = rewrite_bounds(ctx, t.bounds, inner) if inner is not None else None
    return None if bounds is None else "impl " + bounds


def _dyn(ctx: Ctx, t: ast.DynTraitType, shape: Shape) -> str | None:
    """`dyn Bounds`."""
    inner = shape.offset_left(4)
    bounds = rewrite_bounds(ctx, t.bounds, inner) if inner is not None else None
    return None if bounds is None else "dyn " + bounds


def _assoc(ctx: Ctx, t: ast.AssocBinding, shape: Shape) -> str | None:
    """`Item = T` inside generic arguments."""
    name = source.name_at(ctx, ctx.lo(t), t.name)
    width = shape.width - blen(name) - 3
    if width < 0:
        return None
    ty = rewrite_ty(ctx, t.ty, Shape.legacy(width, shape.indent.plus(blen(name) + 3)))
    return None if ty is None else f"{name} = {ty}"


def _never(ctx: Ctx, t: object, shape: Shape) -> str | None:
    """`!`."""
    return "!"


def _infer(ctx: Ctx, t: object, shape: Shape) -> str | None:
    """`_`."""
    return "_"


def rewrite_fn_ret(ctx: Ctx, ty: ast.TypeExpr, shape: Shape) -> str | None:
    """`-> T` (rustfmt's `FnRetTy` rewrite, style edition 2021)."""
    width = shape.width - 3
    if width < 0:
        return None
    inner = rewrite_ty(ctx, ty, Shape.legacy(width, shape.indent.plus(3)))
    return None if inner is None else "-> " + inner


def _fn_ptr(ctx: Ctx, t: ast.FnPtrType, shape: Shape) -> str | None:
    """`fn(A, B) -> C` (rustfmt's `format_function_type`): parameters on one line when
    they fit before the return type, else one per line; the return type moves to the
    next line when it does not fit after `)`."""
    ty_shape = shape.offset_left(4)
    output = ""
    if t.ret is not None:
        ret = rewrite_ty(ctx, t.ret, ty_shape) if ty_shape is not None else None
        if ret is None:
            return None
        output = " -> " + ret
    list_shape = Shape.indented(shape.block().indent.indented())
    params = _fn_ptr_params(ctx, t, shape, list_shape, output)
    if params is None:
        return None
    list_str, tactic = params
    if tactic == HORIZONTAL or not t.params:
        args = f"fn({list_str})"
    else:
        args = (f"fn({list_shape.indent.newline()}{list_str}"
                f"{shape.block().indent.newline()})")
    if not output or last_line_width(args) + first_line_width(output) <= shape.width:
        return args + output
    return f"{args}\n{list_shape.indent.to_string()}{output.lstrip()}"


def _fn_ptr_params(ctx: Ctx, t: ast.FnPtrType, shape: Shape, list_shape: Shape,
                   output: str) -> tuple[str, DefTactic] | None:
    """The parameter types of a function pointer and the tactic they were written with
    (what is inside empty parentheses, such as a comment, is kept)."""
    lo, hi = ctx.lo(t), ctx.hi(t)
    list_lo = ctx.span_after(lo, hi, "(")
    if not t.params:
        return ctx.snip(list_lo, ctx.span_before(list_lo, hi, ")")).strip(), HORIZONTAL
    items = itemize_list(ctx.text, t.params, ")", ",", ctx.lo, ctx.hi,
                         lambda p: rewrite_ty(ctx, p, list_shape), list_lo, hi)
    if "\n" in output:
        tactic: DefTactic = VERTICAL
    else:
        tactic = definitive_tactic(items, HORIZONTAL_VERTICAL, COMMA_LEN,
                                   max(0, shape.width - (2 + blen(output))))
    fmt = ListFormatting(list_shape, tactic=tactic, trailing_separator=VERTICAL,
                         ends_with_newline=ends_with_newline(tactic), preserve_newline=True)
    written = write_list(items, fmt)
    return None if written is None else (written, tactic)


def can_be_overflowed_type(t: object, n: int) -> bool:
    """A last type argument may overflow only when it is a lone tuple (possibly behind
    `&`)."""
    if isinstance(t, ast.TupleType):
        return n == 1
    if isinstance(t, ast.RefType):
        return can_be_overflowed_type(t.inner, n)
    return False


_HANDLERS: dict[str, Callable[..., str | None]] = {
    "TypePath": _type_path,
    "RefType": _ref,
    "TupleType": _tuple,
    "ArrayType": _array,
    "SliceType": _slice,
    "ImplTraitType": _impl,
    "DynTraitType": _dyn,
    "NeverType": _never,
    "AssocBinding": _assoc,
    "InferType": _infer,
    "FnPtrType": _fn_ptr,
}
