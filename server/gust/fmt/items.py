"""Items: function signatures, structs, enums, impls, traits, consts and type aliases
(rustfmt's `items.rs` and `vertical.rs`). Bodies of functions, impls and traits are
walked by the visitor (gust.fmt.visitor); this module writes everything around them."""

from __future__ import annotations

from gust.fmt import exprs, overflow, patterns, source, types
from gust.fmt.comment import (
    combine_strs_with_missing_comments,
    contains_comment,
    find_uncommented,
    is_last_comment_block,
    recover_comment_removed,
    recover_missing_comment_in_span,
    rewrite_missing_comment,
)
from gust.fmt.context import Ctx
from gust.fmt.lists import (
    ALWAYS,
    COMMA_LEN,
    HORIZONTAL,
    HORIZONTAL_VERTICAL,
    NEVER,
    VERTICAL,
    ListFormatting,
    ListItem,
    definitive_tactic,
    ends_with_newline,
    itemize_list,
    write_list,
)
from gust.fmt.shape import (
    FN_CALL_WIDTH,
    MAX_WIDTH,
    STRUCT_VARIANT_WIDTH,
    TAB_SPACES,
    Indent,
    Shape,
    budget,
)
from gust.fmt.strings import (
    blen,
    first_line_contains_single_line_comment,
    first_line_width,
    is_single_line,
    last_line_contains_single_line_comment,
    last_line_used_width,
    last_line_width,
    lines,
    starts_with_newline,
    trimmed_last_line_width,
)
from gust.frozen import dataclass
from gust.syntax import ast

SAME_LINE = "same_line"
NEXT_LINE = "next_line"
NO_BRACE = "none"


def keyword_lo(ctx: Ctx, item: object) -> int:
    """Where an item starts once its attributes are skipped (rustc's item span)."""
    item_attrs = getattr(item, "attrs", ())
    lo = ctx.hi(item_attrs[-1]) if item_attrs else ctx.lo(item)
    return ctx.skip_trivia(lo, ctx.hi(item))


# ---------------------------------------------------------------- generics and where


def _generic_param(ctx: Ctx, p: ast.GenericParam, shape: Shape) -> str | None:
    """`T: Bounds`; a parameter the AST cannot render faithfully (lifetimes, raw
    identifiers, `Fn(..)` sugar) is re-spaced from its tokens instead."""
    snippet = ctx.snippet(p)
    if source.is_lossy(snippet):
        return source.render_tokens(snippet)
    name = source.name_at(ctx, ctx.lo(p), p.name)
    if not p.bounds:
        return name
    bounds = types.rewrite_bounds(ctx, p.bounds, shape)
    return None if bounds is None else f"{name}: {bounds}"


def generics_lo_hi(ctx: Ctx, generics: ast.Generics) -> tuple[int, int] | None:
    """The span of `<...>`, if there is one (it may hold only lifetimes, which the AST
    drops)."""
    lo, hi = ctx.lo(generics), ctx.hi(generics)
    if hi <= lo or not ctx.text.startswith("<", lo):
        return None
    return lo, hi


def rewrite_generics(ctx: Ctx, ident: str, generics: ast.Generics, shape: Shape) -> str | None:
    """`ident<params>` laid out like call arguments in angle brackets; generics with
    lifetimes (which the AST drops) are rendered from their tokens."""
    span = generics_lo_hi(ctx, generics)
    if span is None:
        return ident
    snippet = ctx.snip(*span)
    if not generics.params or "'" in snippet:
        rendered = source.render_tokens(snippet)
        return None if rendered is None else ident + rendered
    items = [overflow.OItem(overflow.OTHER, p, ctx.lo(p), ctx.hi(p),
                            lambda s, p=p: _generic_param(ctx, p, s))  # type: ignore[misc]
             for p in generics.params]
    return overflow.rewrite_with_angle_brackets(ctx, ident, items, shape, span[0], span[1])


def _where_predicate(ctx: Ctx, pred: ast.WherePredicate, shape: Shape) -> str | None:
    """`Type: Bounds`, or the re-spaced tokens of a predicate the AST cannot render."""
    snippet = ctx.snippet(pred)
    if source.is_lossy(snippet):
        return source.render_tokens(snippet)
    ty = types.rewrite_ty(ctx, pred.ty, shape)
    if ty is None:
        return None
    bounds_shape = shape.offset_left(blen(ty) + 2)
    bounds = types.rewrite_bounds(ctx, pred.bounds, bounds_shape) if bounds_shape else None
    return None if bounds is None else f"{ty}: {bounds}"


@dataclass
class WhereOption:
    """How a where clause joins what precedes it (rustfmt's `WhereClauseOption`)."""

    suppress_comma: bool
    snuggle: str  # "space", "newline" or "none"
    allow_single_line: bool = False
    veto_single_line: bool = False

    @staticmethod
    def snuggled(current: str) -> WhereOption:
        """`where` goes on the same line only after a lone closing delimiter line."""
        return WhereOption(False, "space" if last_line_width(current) == 1 else "newline")


def where_hi(ctx: Ctx, generics: ast.Generics) -> int | None:
    """Where the where clause ends, if there is one."""
    if not generics.where:
        return None
    return ctx.hi(generics.where[-1])


def rewrite_where_clause(ctx: Ctx, generics: ast.Generics, shape: Shape, terminator: str,
                         span_end: int | None, before_where: int,
                         option: WhereOption) -> str | None:
    """`where` and its predicates, one per line one level deeper (rustfmt's
    `rewrite_where_clause`); "" when there is no where clause."""
    preds = generics.where
    if not preds:
        return ""
    block_shape = shape.block().with_max_width()
    clause_shape = block_shape.block_left(TAB_SPACES)
    clause_shape = clause_shape.sub_width(1) if clause_shape is not None else None
    if clause_shape is None:
        return None
    keyword = _where_keyword(ctx, preds, shape, block_shape, clause_shape, before_where, option)
    if keyword is None:
        return None
    keyword_str, has_comment = keyword
    end = span_end if span_end is not None else ctx.hi(preds[-1])
    items = itemize_list(ctx.text, preds, terminator, ",", ctx.lo, ctx.hi,
                         lambda p: _where_predicate(ctx, p, clause_shape), ctx.lo(preds[0]),
                         end)
    fmt = ListFormatting(clause_shape, tactic=VERTICAL,
                         trailing_separator=NEVER if option.suppress_comma else VERTICAL,
                         preserve_newline=True)
    preds_str = write_list(items, fmt)
    if preds_str is None:
        return None
    if (option.allow_single_line and not has_comment and "\n" not in preds_str
            and 6 + blen(preds_str) <= shape.width):
        sep = " "
    else:
        sep = clause_shape.indent.newline()
    return f"{keyword_str}{sep}{preds_str}"


def _where_keyword(ctx: Ctx, preds: tuple[ast.WherePredicate, ...], shape: Shape,
                   block_shape: Shape, clause_shape: Shape, before_where: int,
                   option: WhereOption) -> tuple[str, bool] | None:
    """The `where` keyword with what goes before it (a space or a line break, per
    `option.snuggle`) and the comments around it; also whether there were comments."""
    where_lo = ctx.span_before(before_where, ctx.lo(preds[0]), "where")
    comment_before = rewrite_missing_comment(ctx.snip(before_where, where_lo), shape)
    comment_after = rewrite_missing_comment(ctx.snip(where_lo + 5, ctx.lo(preds[0])),
                                            shape.block_indent(TAB_SPACES))
    if comment_before is None or comment_after is None:
        return None
    if option.snuggle == "space" and not comment_before:
        start = " "
    elif option.snuggle == "none":
        start = ""
    else:
        start = block_shape.indent.newline()
    nl_before = shape.indent.newline() if comment_before else ""
    nl_after = clause_shape.indent.newline() if comment_after else ""
    keyword = f"{start}{comment_before}{nl_before}where{nl_after}{comment_after}"
    return keyword, bool(comment_before or comment_after)


# ---------------------------------------------------------------- functions


def _self_param(p: ast.SelfParam) -> str:
    """`self`, `mut self`, `&self` or `&mut self`."""
    if p.by_ref:
        amp = f"&{p.lifetime} " if p.lifetime else "&"
        return amp + ("mut self" if p.mutable else "self")
    return "mut self" if p.mutable else "self"


def _param(ctx: Ctx, p: object, shape: Shape) -> str | None:
    """`pat: Type`, or a self parameter."""
    if isinstance(p, ast.SelfParam):
        return _self_param(p)
    assert isinstance(p, ast.Param)
    pat = patterns.rewrite_pat(ctx, p.pat, Shape.legacy(shape.width, shape.indent))
    if pat is None:
        return None
    result = pat + ": "
    width = shape.width - last_line_width(result)
    if width < 0:
        return None
    ty = types.rewrite_ty(ctx, p.ty, Shape.legacy(width, shape.indent))
    return None if ty is None else result + ty


def _param_hi(ctx: Ctx, p: object) -> int:
    """Where a parameter ends: its type (the AST span of a Param may include trailing
    trivia)."""
    if isinstance(p, ast.Param):
        return ctx.hi(p.ty)
    return ctx.hi(p)


def _budgets(result: str, indent: Indent, ret_len: int, brace: str,
             force_vertical: bool) -> tuple[int, int, Indent]:
    """The widths the parameter list has on one line and on its own lines, and their
    indent, given what precedes `(` and the return type's length (rustfmt's
    `compute_budgets_for_params`)."""
    if "\n" not in result and not force_vertical:
        used = indent.width() + blen(result) + ret_len + (2 if ret_len == 0 else 3)
        used += {NO_BRACE: 1, SAME_LINE: 2}.get(brace, 0)
        one_line = budget(used)
        if one_line > 0:
            param_indent = indent.indented()
            return one_line, budget(param_indent.width() + 1), param_indent
    new_indent = indent.indented()
    return 0, budget(new_indent.width() + 1), new_indent


def _rewrite_params(ctx: Ctx, params: list[object], one_line: int, multi_line: int,
                    indent: Indent, param_indent: Indent, lo: int, hi: int) -> str | None:
    """The parameters between the parens, horizontal when they fit in `one_line`, else
    vertical with a trailing comma."""
    if not params:
        return ctx.snip(lo, hi - 1).strip()
    items = itemize_list(
        ctx.text, params, ")", ",", ctx.lo, lambda p: _param_hi(ctx, p),
        lambda p: _param(ctx, p, Shape.legacy(multi_line, param_indent)) or ctx.snippet(p),
        lo, hi)
    tactic = definitive_tactic(items, HORIZONTAL_VERTICAL, COMMA_LEN, one_line)
    width = one_line if tactic == HORIZONTAL else multi_line
    fmt = ListFormatting(Shape.legacy(width, indent.indented()), tactic=tactic,
                         trailing_separator=VERTICAL, ends_with_newline=ends_with_newline(tactic),
                         preserve_newline=True)
    return write_list(items, fmt)


@dataclass
class _Sig:
    """A function signature under construction, shared by the steps of rewrite_fn_base."""

    result: str
    param_indent: Indent
    param_str: str = ""
    params_hi: int = 0
    has_params: bool = False
    in_block: bool = False
    last_has_comment: bool = False
    force_brace_newline: bool = False


def rewrite_fn_base(ctx: Ctx, indent: Indent, fn: ast.FnDecl, lo: int, hi: int,
                    brace: str) -> tuple[str, bool, bool] | None:
    """The signature of a function up to its body: (text, ends with a comment, the body's
    brace must go on a new line). The steps follow rustfmt's `rewrite_fn_base`: the return
    type is measured first because it decides how much room the parameters get."""
    head = source.visibility(ctx, lo) + "fn "
    used_width = last_line_used_width(head, indent.width())
    overhead = 4 if brace == SAME_LINE else 2
    shape = Shape(budget(used_width + overhead), indent, used_width)
    generics_str = rewrite_generics(ctx, source.node_name(ctx, fn), fn.generics, shape)
    if generics_str is None:
        return None
    ret_str = ""
    if fn.ret is not None:
        ret = types.rewrite_fn_ret(ctx, fn.ret, Shape.indented(indent))
        if ret is None:
            return None
        ret_str = ret
    sig = _Sig(head + generics_str, indent)
    if not _fn_params(ctx, sig, fn, indent, hi, brace, ret_str):
        return None
    if fn.ret is not None and not _fn_ret(ctx, sig, fn, fn.ret, indent, hi, ret_str):
        return None
    if not _fn_where(ctx, sig, fn, indent, hi, brace, shape, bool(ret_str)):
        return None
    ends_with_comment = last_line_contains_single_line_comment(sig.result)
    return sig.result, ends_with_comment, sig.force_brace_newline or ends_with_comment


def _fn_params(ctx: Ctx, sig: _Sig, fn: ast.FnDecl, indent: Indent, hi: int, brace: str,
               ret_str: str) -> bool:
    """Append `(params)`: on one line when they fit next to the return type, else one per
    line in a block (rustfmt's "tall" layout)."""
    multi_line_ret = "\n" in ret_str
    ret_len = 0 if multi_line_ret else blen(ret_str)
    one_line, multi_line, sig.param_indent = _budgets(sig.result, indent, ret_len, brace,
                                                      multi_line_ret)
    sig.result += "("
    params: list[object] = []
    if fn.self_param is not None:
        params.append(fn.self_param)
    params.extend(fn.params)
    generics_end = generics_lo_hi(ctx, fn.generics)
    after_generics = generics_end[1] if generics_end else ctx.base + fn.name_span.end
    params_lo = ctx.span_after(after_generics, hi, "(")
    last_hi = _param_hi(ctx, params[-1]) if params else after_generics
    sig.params_hi = ctx.span_after(last_hi, hi, ")")
    param_str = _rewrite_params(ctx, params, one_line, multi_line, indent, sig.param_indent,
                                params_lo, sig.params_hi)
    if param_str is None:
        return False
    sig.param_str, sig.has_params = param_str, bool(params)
    sig.in_block = ("\n" in param_str or blen(param_str) > one_line) and bool(params)
    if sig.in_block:
        sig.param_indent = indent.indented()
        sig.result += f"{sig.param_indent.newline()}{param_str}{indent.newline()})"
        return True
    sig.result += param_str
    used = last_line_used_width(sig.result, indent.width()) + first_line_width(ret_str)
    overflow_paren = not params and used + 1 > MAX_WIDTH
    sig.last_has_comment = bool(lines(param_str)) and "//" in lines(param_str)[-1]
    if overflow_paren or sig.last_has_comment:
        sig.result += indent.newline()
    sig.result += ")"
    return True


def _ret_on_new_line(sig: _Sig, fn: ast.FnDecl, indent: Indent, ret_str: str) -> bool:
    """Whether `-> T` must start a new line: only when the parameters stayed on one line
    but the whole signature does not fit (rustfmt then indents the return type)."""
    if sig.in_block or not sig.has_params or sig.last_has_comment:
        return False
    if "\n" in sig.result or "\n" in ret_str:
        return True
    width = blen(sig.result) + indent.width() + blen(ret_str) + 1
    if not fn.generics.where:
        width += 2
    return width > MAX_WIDTH


def _fn_ret(ctx: Ctx, sig: _Sig, fn: ast.FnDecl, ret: ast.TypeExpr, indent: Indent, hi: int,
            ret_str: str) -> bool:
    """Append ` -> T` (re-rendered when it moves to a new line) and any comment between
    the return type and the body."""
    newline = _ret_on_new_line(sig, fn, indent, ret_str)
    if newline:
        if not sig.param_str:
            sig.force_brace_newline = True
            ret_indent = indent.plus(4)
        else:
            ret_indent = sig.param_indent
        sig.result += ret_indent.newline()
        ret_shape = Shape.indented(ret_indent)
    else:
        sig.result += " "
        base = Shape.indented(indent)
        ret_shape = base.offset_left(last_line_width(sig.result)) or base
    if "\n" in ret_str or newline:
        rewritten = types.rewrite_fn_ret(ctx, ret, ret_shape)
        if rewritten is None:
            return False
        ret_str = rewritten
    sig.result += ret_str
    if not fn.generics.where:
        snippet = ctx.snip(ctx.hi(ret), hi)
        if snippet.strip():
            starts_nl = starts_with_newline(snippet.lstrip(" "))
            sig.result += ("\n" if starts_nl else " ") + snippet.strip()
            if snippet.rstrip(" ").endswith("\n"):
                sig.force_brace_newline = True
    return True


def _fn_where(ctx: Ctx, sig: _Sig, fn: ast.FnDecl, indent: Indent, hi: int, brace: str,
              shape: Shape, has_ret: bool) -> bool:
    """Append the where clause, or a comment left between `)` and the body when there is
    neither a where clause nor a return type to carry it."""
    before_where = ctx.hi(fn.ret) if fn.ret is not None else sig.params_hi
    space = "space" if sig.in_block and not has_ret else "newline"
    option = WhereOption(brace == NO_BRACE, space)
    if "\n" in sig.param_str:
        option.veto_single_line = True
    where_str = rewrite_where_clause(ctx, fn.generics, Shape.indented(indent), "{", hi,
                                     before_where, option)
    if where_str is None:
        return False
    if not where_str and fn.ret is None:
        missing = recover_missing_comment_in_span(ctx.snip(sig.params_hi, hi), shape,
                                                  last_line_width(sig.result))
        if missing:
            sig.result += missing
            sig.force_brace_newline = True
    sig.result += where_str
    return True


def fn_brace_style(fn: ast.FnDecl) -> str:
    """rustfmt puts a function body's brace on a new line after a where clause."""
    return NEXT_LINE if fn.generics.where else SAME_LINE


def rewrite_required_fn(ctx: Ctx, indent: Indent, fn: ast.FnDecl) -> str | None:
    """A body-less function (in a trait): the signature and `;`."""
    lo = keyword_lo(ctx, fn)
    hi = ctx.hi(fn) - 1
    base = rewrite_fn_base(ctx, indent, fn, lo, hi, NO_BRACE)
    if base is None:
        return None
    result, ends_with_comment, _ = base
    if ends_with_comment:
        result += indent.newline()
    return result + ";"


# ---------------------------------------------------------------- structs and enums


def format_header(ctx: Ctx, prefix: str, item: object) -> str:
    """`pub struct Name`: visibility, keyword and name as written."""
    return f"{source.visibility(ctx, keyword_lo(ctx, item))}{prefix}{source.node_name(ctx, item)}"


def format_generics(ctx: Ctx, generics: ast.Generics, brace_pos: str, offset: Indent, lo: int,
                    hi: int, used_width: int) -> str | None:
    """Generics, where clause and the opening brace of a struct or enum body."""
    shape = Shape.legacy(budget(used_width + offset.width()), offset)
    result = rewrite_generics(ctx, "", generics, shape)
    if result is None:
        return None
    span = generics_lo_hi(ctx, generics)
    before_where = span[1] if span else lo
    missed: str | None = None
    if generics.where:
        where_budget = budget(last_line_used_width(result, offset.width()))
        option = WhereOption.snuggled(result)
        if brace_pos == NO_BRACE:
            option.suppress_comma = True
        where = rewrite_where_clause(ctx, generics, Shape.legacy(where_budget, offset.block_only()),
                                     "{", hi, before_where, option)
        if where is None:
            return None
        result += where
        same_line = brace_pos == "force_same_line"
    else:
        same_line = True
        end = hi if brace_pos == NO_BRACE else ctx.text.rfind("{", lo, hi)
        missed = rewrite_missing_comment(ctx.snip(before_where, end), shape)
    missed_line_comments = False
    if missed:
        block = is_last_comment_block(missed)
        result += (" " if block else "\n") + missed
        missed_line_comments = not block
    if brace_pos == NO_BRACE:
        return result
    remaining = budget(last_line_used_width(result, used_width))
    overhead = 3 if brace_pos == "force_same_line" else 2
    if not (missed_line_comments or overhead > remaining) and same_line:
        result += " "
    else:
        result += "\n" + offset.block_only().to_string()
    return result + "{"


def format_empty_struct_or_tuple(ctx: Ctx, lo: int, hi: int, offset: Indent, result: str,
                                 opener: str, closer: str) -> str:
    """`{}` or `()` with any comment inside kept (on its own lines when it is a line
    comment)."""
    if last_line_used_width(result, offset.width()) + 3 > MAX_WIDTH:
        result += offset.newline()
    result += opener
    comment = rewrite_missing_comment(ctx.snip(lo, hi), Shape.indented(offset.indented()))
    if comment is None:
        result += ctx.snip(lo, hi)
    elif comment:
        multi = not is_single_line(comment)
        if multi or first_line_contains_single_line_comment(comment):
            result += offset.indented().newline()
        result += comment
        if multi or last_line_contains_single_line_comment(comment):
            result += offset.newline()
    return result + closer


def _field_prefix(ctx: Ctx, field: ast.FieldDef) -> str:
    """`pub name:` of a named field, or just the visibility of a tuple field."""
    vis = source.visibility(ctx, ctx.lo(field))
    if field.name is None:
        return vis
    return f"{vis}{source.name_at(ctx, ctx.base + field.name_span.start, field.name)}:"


def rewrite_struct_field(ctx: Ctx, field: ast.FieldDef, shape: Shape) -> str | None:
    """`name: Type`; a field with attributes falls back to its source text, and a type
    that does not fit moves to the next line like an assignment's right-hand side."""
    if ctx.snippet(field).lstrip().startswith("#"):
        return None
    prefix = _field_prefix(ctx, field)
    spacing = " " if field.name is not None else ""
    ty_shape = shape.offset_left(trimmed_last_line_width(prefix) + len(spacing))
    ty = types.rewrite_ty(ctx, field.ty, ty_shape) if ty_shape is not None else None
    if ty is not None and "\n" not in ty:
        return prefix + spacing + ty
    rewritten = exprs.rewrite_assign_rhs(ctx, prefix, types.ty_rewriter(ctx, field.ty), shape)
    if rewritten is None:
        return None
    return rewritten.lstrip() if not prefix else rewritten


def _rewrite_fields(ctx: Ctx, fields: tuple[ast.FieldDef, ...], shape: Shape, lo: int, hi: int,
                    one_line_width: int) -> str | None:
    """Named fields, one per line unless they all fit in `one_line_width`."""
    item_shape = Shape.indented(shape.indent).sub_width(1)
    if item_shape is None:
        return None
    items = itemize_list(ctx.text, fields, "}", ",", ctx.lo, ctx.hi,
                         lambda f: rewrite_struct_field(ctx, f, item_shape), lo, hi)
    tactic = definitive_tactic(items, HORIZONTAL_VERTICAL, COMMA_LEN, one_line_width)
    fmt = ListFormatting(item_shape, tactic=tactic, trailing_separator=VERTICAL,
                         preserve_newline=True)
    return write_list(items, fmt)


def format_struct_struct(ctx: Ctx, header: str, generics: ast.Generics | None,
                         fields: tuple[ast.FieldDef, ...], lo: int, hi: int, name_hi: int,
                         offset: Indent, one_line_width: int | None) -> str | None:
    """`Name<..> { fields }` of a struct or struct variant: fields on one line only for
    variants short enough (rustfmt's `struct_variant_width`), else one per line."""
    result = header
    if generics is not None:
        where_end = where_hi(ctx, generics)
        body_lo = ctx.span_after(where_end if where_end is not None else lo, hi, "{")
        brace_pos = "force_same_line" if not fields else "auto"
        generics_str = format_generics(ctx, generics, brace_pos, offset, name_hi, body_lo,
                                       last_line_width(result))
        if generics_str is None:
            return None
    else:
        body_lo = ctx.span_after(lo, hi, "{")
        overhead = 3 if not fields else 2
        generics_str = (f"\n{offset.block_only().to_string()}{{"
                        if overhead + blen(result) > MAX_WIDTH else " {")
    total = blen(result) + blen(generics_str) + (1 if not fields else 0)
    if generics_str and "\n" not in generics_str and total > MAX_WIDTH:
        result += "\n" + offset.to_string() + generics_str.lstrip()
    else:
        result += generics_str
    if not fields:
        return format_empty_struct_or_tuple(ctx, body_lo, hi - 1, offset, result, "", "}")
    one_line_budget = budget(blen(result) + 3 + offset.width())
    one_line_budget = min(one_line_width, one_line_budget) if one_line_width is not None else 0
    items = _rewrite_fields(ctx, fields, Shape.indented(offset.indented()).sub_width(1)
                            or Shape.indented(offset.indented()), body_lo, hi, one_line_budget)
    if items is None:
        return None
    if ("\n" not in items and "\n" not in result and blen(items) <= one_line_budget
            and not last_line_contains_single_line_comment(items)):
        return f"{result} {items} }}"
    return f"{result}\n{offset.indented().to_string()}{items}\n{offset.to_string()}}}"


def format_tuple_struct(ctx: Ctx, header: str, generics: ast.Generics | None,
                        fields: tuple[ast.FieldDef, ...], lo: int, hi: int, name_hi: int,
                        offset: Indent) -> str | None:
    """`Name<..>(fields) where ..` of a tuple struct or variant: the fields are laid out
    like call arguments (rustfmt's `format_tuple_struct`)."""
    result = header
    after_name = name_hi
    if generics is not None:
        generics_str = rewrite_generics(ctx, "", generics,
                                        Shape.legacy(budget(last_line_width(header)), offset))
        if generics_str is None:
            return None
        result += generics_str
        span = generics_lo_hi(ctx, generics)
        if span is not None:
            after_name = span[1]
    if not fields:
        body_lo = ctx.span_after(after_name, hi, "(")
        body_hi = ctx.span_before(body_lo, hi, ")")
        result = format_empty_struct_or_tuple(ctx, body_lo, body_hi, offset, result, "(", ")")
    else:
        shape = Shape.indented(offset).sub_width(1)
        if shape is None:
            return None
        items = [overflow.OItem(overflow.OTHER, f, ctx.lo(f), ctx.hi(f),
                                lambda s, f=f: rewrite_struct_field(ctx, f, s))  # type: ignore[misc]
                 for f in fields]
        rewritten = overflow.rewrite_with_parens(ctx, result, items, shape, after_name, hi,
                                                 FN_CALL_WIDTH, None)
        if rewritten is None:
            return None
        result = rewritten
    if generics is None or not generics.where:
        return result
    body_hi = ctx.span_after(ctx.hi(fields[-1]) if fields else after_name, hi, ")")
    return _tuple_struct_where(ctx, generics, offset, hi, body_hi, result)


def _tuple_struct_where(ctx: Ctx, generics: ast.Generics, offset: Indent, hi: int,
                        body_hi: int, result: str) -> str | None:
    """The where clause after a tuple struct's fields; a one-line clause that does not
    fit after them moves to the next line, indented by three spaces as rustfmt does."""
    option = WhereOption(True, "newline")
    where_str = rewrite_where_clause(
        ctx, generics, Shape.legacy(budget(last_line_width(result)), offset.block_only()),
        ";", None, body_hi, option)
    if where_str is None:
        return None
    if where_str and "\n" not in where_str and (
            "\n" in result or offset.block + blen(result) + blen(where_str) + 1 > MAX_WIDTH):
        result += "\n" + offset.block_only().plus(TAB_SPACES - 1).to_string()
    return result + where_str


def format_struct(ctx: Ctx, s: ast.StructDecl, offset: Indent) -> str | None:
    """A struct item of any kind: unit, tuple or with named fields."""
    lo = keyword_lo(ctx, s)
    hi = ctx.hi(s)
    header = format_header(ctx, "struct ", s)
    name_hi = ctx.base + s.name_span.end
    if s.kind == "unit":
        generics = format_generics(ctx, s.generics, NO_BRACE, offset, name_hi,
                                   ctx.text.rfind(";", lo, hi), last_line_width(header))
        return None if generics is None else f"{header}{generics};"
    if s.kind == "tuple":
        result = format_tuple_struct(ctx, header, s.generics, s.fields, lo, hi, name_hi, offset)
        return None if result is None else result + ";"
    return format_struct_struct(ctx, header, s.generics, s.fields, lo, hi, name_hi, offset,
                                None)


def format_variant(ctx: Ctx, v: ast.VariantDef, offset: Indent, one_line_width: int) -> str | None:
    """One enum variant; variants with attributes fall back to their source text,
    discriminants (`= value`) are kept as written."""
    snippet = ctx.snippet(v)
    if snippet.lstrip().startswith("#"):
        return None
    lo, hi = ctx.lo(v), ctx.hi(v)
    name_hi = ctx.base + v.name_span.end
    name = source.node_name(ctx, v)
    if v.kind == "named":
        return format_struct_struct(ctx, name, None, v.fields, lo, hi, name_hi, offset,
                                    one_line_width)
    if v.kind == "tuple":
        return format_tuple_struct(ctx, name, None, v.fields, lo, hi, name_hi, offset)
    rest = ctx.snip(name_hi, hi).strip()
    if rest.startswith("=") and v.discriminant is not None and "/" not in rest:
        shape = Shape.indented(offset).offset_left(len(name) + 3)
        value = exprs.rewrite_expr(ctx, v.discriminant, shape) if shape is not None else None
        if value is not None:
            return f"{name} = {value}"
    if rest.startswith("="):
        return f"{name} = {rest[1:].strip()}"
    return name


def format_variant_list(ctx: Ctx, e: ast.EnumDecl, body_lo: int, body_hi: int,
                        indent: Indent) -> str | None:
    """The variants of an enum, each on its own line; `indent` is the variants' indent.
    Struct variants may stay on one line, but not when others of the enum need several
    (rustfmt then lays them all out vertically, retrying with no one-line width)."""

    def itemize(one_line_width: int) -> list[ListItem]:
        return itemize_list(ctx.text, e.variants, "}", ",", ctx.lo, ctx.hi,
                            lambda v: format_variant(ctx, v, indent, one_line_width), body_lo,
                            body_hi)

    items = itemize(STRUCT_VARIANT_WIDTH)
    multi = any("\n" in i.inner for i in items)
    single = any("\n" not in i.inner for i in items)
    if multi and single:
        items = itemize(0)
    shape = Shape.indented(indent).sub_width(2)
    if shape is None:
        return None
    fmt = ListFormatting(shape, trailing_separator=VERTICAL, preserve_newline=True)
    written = write_list(items, fmt)
    if written is None:
        return None
    return written + indent.unindented().newline() + "}"


# ---------------------------------------------------------------- impls and traits


def format_impl_ref_and_type(ctx: Ctx, impl: ast.ImplDecl, offset: Indent) -> str | None:
    """`impl<..> Trait for Type`: the trait, then the self type, each moved to the next
    line when it does not fit (rustfmt's `format_impl_ref_and_type`)."""
    result = ""
    shape = Shape.indented(offset.plus(0)).block().block_indent(TAB_SPACES).with_max_width()
    shape = shape.sub_width(1) or shape
    generics = rewrite_generics(ctx, "impl", impl.generics, shape)
    if generics is None:
        return None
    result += generics
    trait_overhead = 0
    if impl.trait_ is not None:
        used = 1 + blen(result)
        trait_str = types.rewrite_ty(ctx, impl.trait_, Shape.indented(offset.plus(used)))
        if trait_str is not None and "\n" not in trait_str:
            result += " " + trait_str
        else:
            nested = offset.indented()
            trait_str = types.rewrite_ty(ctx, impl.trait_, Shape.indented(nested))
            if trait_str is None:
                return None
            result += nested.newline() + trait_str
        trait_overhead = 4
    brace_overhead = 2 if not impl.generics.where else 0
    used_space = last_line_width(result) + trait_overhead + brace_overhead
    self_ty = types.rewrite_ty(ctx, impl.self_ty, Shape.legacy(budget(used_space + 1), offset))
    if self_ty is not None and "\n" not in self_ty:
        return result + (" for " if impl.trait_ is not None else " ") + self_ty
    nested = offset.indented()
    result += "\n" + nested.to_string() + ("for " if impl.trait_ is not None else "")
    self_ty = types.rewrite_ty(ctx, impl.self_ty,
                               Shape.legacy(budget(last_line_width(result)), nested))
    return None if self_ty is None else result + self_ty


def body_open(ctx: Ctx, lo: int, hi: int) -> int | None:
    """The position just past the `{` that opens an item's body."""
    idx = find_uncommented(ctx.snip(lo, hi), "{")
    return None if idx is None else lo + idx + 1


__all__ = ["ALWAYS", "combine_strs_with_missing_comments", "contains_comment",
           "recover_comment_removed"]
