"""`vec!`, the formatting macros (`println!`, `format!`, ...) and assertions."""

from __future__ import annotations

from collections.abc import Sequence

from gust import diagnostics as d
from gust.sema import types as t
from gust.sema.check.base import CheckerBase
from gust.sema.check.util import FORMAT_MACROS, count_args
from gust.sema.format import FormatError, is_debug_spec, parse_format
from gust.sema.results import FormatArg, FormatString
from gust.syntax import ast
from gust.text import Span


class Macros(CheckerBase):
    # ---------------------------------------------------------------- macros

    def _expr_MacroCall(self, e: ast.MacroCall, expected: t.Ty | None) -> t.Ty:
        name = e.name
        if name == "vec":
            return self._vec_macro(e, expected)
        if name in FORMAT_MACROS:
            self._format_args(e, e.args)
            if name == "format":
                return t.STRING
            if name in ("panic", "unreachable", "todo", "unimplemented"):
                return t.NEVER
            return t.UNIT
        if name in ("assert", "debug_assert"):
            if not e.args:
                self.diags.append(d.error(None, "macro requires a boolean expression as an "
                                          "argument", e.span))
                return t.UNIT
            self.check_expr_coerce(e.args[0], t.BOOL)
            if len(e.args) > 1:
                self._format_args(e, e.args[1:])
            return t.UNIT
        if name in ("assert_eq", "assert_ne", "debug_assert_eq", "debug_assert_ne"):
            if len(e.args) < 2:
                self.diags.append(d.error(None, f"`{name}!` takes two arguments", e.span))
                for a in e.args:
                    self.check_expr(a, None)
                return t.UNIT
            # The same comparison as `==` (so `String` against `&str` works).
            left = self.check_expr(e.args[0], None)
            right = self.check_expr(e.args[1], self.u.shallow(left))
            self.comparison(ast.Binary("==", e.args[0], e.args[1], e.span, e.span), left,
                             right)
            # Both sides are printed with `{:?}` when the assertion fails.
            for arg, ty in ((e.args[0], left), (e.args[1], right)):
                if not self.implements(ty, "Debug"):
                    shown = self.show(self.u.resolve(ty))
                    self.diags.append(d.error(
                        "E0277", f"`{shown}` doesn't implement `Debug`", arg.span,
                        f"`{shown}` cannot be formatted using `{{:?}}`",
                        help=(f"the trait `Debug` is not implemented for `{shown}`",),
                        notes=(f"add `#[derive(Debug)]` to `{shown}` or manually "
                               f"`impl Debug for {shown}`",)))
            if len(e.args) > 2:
                self._format_args(e, e.args[2:])
            return t.UNIT
        if name == "matches" and len(e.args) == 2 and isinstance(e.args[1], ast.PathExpr):
            # `matches!(value, Path)`: the pattern is a unit variant or constant path.
            scrutinee = self.check_expr(e.args[0], None)
            self.check_pat(ast.PathPat(e.args[1].path, e.args[1].span), scrutinee, "match")
            return t.BOOL
        if name in ("write", "writeln") and e.args:
            # `write!(f, "{}", x)` in `fmt` of `impl Display`: a `fmt::Result`.
            self.check_expr(e.args[0], None)
            if len(e.args) > 1:
                self._format_args(e, e.args[1:])
            return t.FMT_RESULT
        for a in e.args:
            self.check_expr(a, None)
        self.diags.append(d.error(None, f"cannot find macro `{name}` in this scope",
                                  e.name_span))
        return t.ERROR

    def _vec_macro(self, e: ast.MacroCall, expected: t.Ty | None) -> t.Ty:
        exp = self.u.shallow(expected) if expected is not None else None
        elem: t.Ty = exp.args[0] if isinstance(exp, t.Adt) and exp.name == "Vec" and exp.args \
            else self.u.fresh()
        if e.repeat is not None:
            value, count = e.repeat
            ty = self.check_expr(value, elem)
            self.coerce(ty, elem, value.span)
            self.check_expr_coerce(count, t.USIZE)
        else:
            self.check_elements(e.args, elem)
        return t.vec_of(elem)

    def _format_args(self, e: ast.MacroCall, args: Sequence[ast.Expr]) -> None:
        if not args:
            return
        fmt = args[0]
        if not (isinstance(fmt, ast.Literal) and fmt.kind == "str"):
            self.check_expr(fmt, None)
            self.diags.append(d.error(None, "format argument must be a string literal",
                                      fmt.span))
            return
        assert isinstance(fmt.value, str)
        parsed = parse_format(fmt.value)
        rest = list(args[1:])
        arg_tys = [self.check_expr(a, None) for a in rest]
        if isinstance(parsed, FormatError):
            self.diags.append(d.error(None, parsed.message, fmt.span))
            return
        all_args: list[ast.Expr] = list(rest)
        all_tys: list[t.Ty] = list(arg_tys)
        holes: list[FormatArg] = []
        used: set[int] = set()
        captured: dict[str, int] = {}
        for hole in parsed.holes:
            if hole.name is not None:
                if hole.name not in captured:
                    path = ast.Path((ast.PathSegment(hole.name, fmt.span),), fmt.span)
                    capture = ast.PathExpr(path, fmt.span)
                    captured[hole.name] = len(all_args)
                    all_args.append(capture)
                    all_tys.append(self.check_expr(capture, None))
                index = captured[hole.name]
            else:
                assert hole.position is not None
                index = hole.position
                if index >= len(rest):
                    n = len(parsed.holes)
                    self.diags.append(d.error(
                        None, f"{n} positional argument{'s' if n != 1 else ''} in format "
                        f"string, but {count_args(len(rest))}", fmt.span))
                    return
            used.add(index)
            holes.append(FormatArg(index, hole.spec))
            self._check_formattable(all_tys[index], all_args[index].span, hole.spec)
        for i, a in enumerate(rest):
            if i not in used:
                self.diags.append(d.error(None, "argument never used", a.span,
                                          "argument never used"))
        self.results.formats[e] = FormatString(parsed.pieces, tuple(holes), tuple(all_args))

    def _check_formattable(self, arg_ty: t.Ty, span: Span, spec: str,
                           deferred: bool = False) -> None:
        ty = self.u.resolve(arg_ty)
        base = ty
        while isinstance(base, t.Ref):
            base = base.inner
        if isinstance(base, t.Infer) and base.kind == "any" and not deferred:
            # Not known yet (a closure parameter typed by a later call): check at the end.
            self.deferred.append(lambda: self._check_formattable(arg_ty, span, spec, True))
            return
        if isinstance(base, t.Infer) and base.kind == "any":
            return  # reported as E0282
        if is_debug_spec(spec):
            if not self.implements(ty, "Debug"):
                self.diags.append(self._not_formattable(ty, span, "Debug"))
        elif not self.implements(ty, "Display"):
            self.diags.append(self._not_formattable(ty, span, "Display"))

    def _not_formattable(self, ty: t.Ty, span: Span, trait: str) -> d.Diagnostic:
        base = ty
        while isinstance(base, t.Ref):
            base = base.inner
        shown = str(base)
        if trait == "Debug":
            help_ = (f"the trait `Debug` is not implemented for `{shown}`",)
            notes: tuple[str, ...] = (f"add `#[derive(Debug)]` to `{shown}` or manually "
                                      f"`impl Debug for {shown}`",)
            return d.error("E0277", f"`{shown}` doesn't implement `Debug`", span,
                           f"`{shown}` cannot be formatted using `{{:?}}`" + (
                               "" if not isinstance(base, t.Adt) or base.name not in
                               self.env.type_names() else
                               " because it doesn't implement `Debug`"),
                           help=help_, notes=notes)
        notes = ("in format strings you may be able to use `{:?}` (or {:#?} for "
                 "pretty-print) instead",) if self.implements(ty, "Debug") else ()
        return d.error("E0277", f"`{shown}` doesn't implement `std::fmt::Display`", span,
                       f"`{shown}` cannot be formatted with the default formatter",
                       help=(f"the trait `std::fmt::Display` is not implemented for "
                             f"`{shown}`",), notes=notes)
