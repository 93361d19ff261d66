"""`vec!`, the formatting macros (`println!`, `format!`, ...) and assertions."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Final, cast

import mypy_extensions

from gust import diagnostics as d
from gust.sema import types as t
from gust.sema.check.base import CheckerBase
from gust.sema.check.util import FORMAT_MACROS, count_args
from gust.sema.format import (
    ArgRef,
    FormatError,
    ParsedFormat,
    is_debug_spec,
    numbered_spec,
    parse_format,
)
from gust.sema.results import FormatArg, FormatString
from gust.syntax import ast
from gust.text import Span

NAMED_POSITIONALLY: Final = d.NAMED_ARGUMENTS_USED_POSITIONALLY


@mypy_extensions.trait
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
        written, names = self._written_args(args[1:])
        if written is None:
            return
        counts = _count_refs(parsed, names) if not isinstance(parsed, FormatError) else set()
        # An argument giving a width or precision is a `usize` (`{:w$}` with `let w = 7`).
        arg_tys = [self.check_expr_coerce(a, t.USIZE) if i in counts else
                   self.check_expr(a, None) for i, a in enumerate(written)]
        if isinstance(parsed, FormatError):
            self.diags.append(d.error(None, parsed.message, fmt.span))
            return
        all_args: list[ast.Expr] = list(written)
        all_tys: list[t.Ty] = list(arg_tys)
        captured: dict[str, int] = {}

        def resolve(ref: ArgRef, count: bool) -> int | None:
            """The index in `all_args` of the argument `ref` names (capturing a variable
            for a name that is no named argument), or None after reporting it."""
            if isinstance(ref, str):
                if ref in names:
                    return names[ref]
                if ref not in captured:
                    path = ast.Path((ast.PathSegment(ref, fmt.span),), fmt.span)
                    capture = ast.PathExpr(path, fmt.span)
                    captured[ref] = len(all_args)
                    all_args.append(capture)
                    all_tys.append(self.check_expr_coerce(capture, t.USIZE) if count else
                                   self.check_expr(capture, None))
                return captured[ref]
            if ref >= len(written):
                n = len(parsed.holes)
                self.diags.append(d.error(
                    None, f"{n} positional argument{'s' if n != 1 else ''} in format "
                    f"string, but {count_args(len(written) - len(names))}", fmt.span))
                return None
            return ref

        holes: list[FormatArg] = []
        used: set[int] = set()
        for hole in parsed.holes:
            ref: ArgRef = hole.name if hole.name is not None else cast(int, hole.position)
            index = resolve(ref, False)
            width = resolve(hole.width, True) if hole.width is not None else None
            precision = resolve(hole.precision, True) if hole.precision is not None else None
            if index is None or (hole.width is not None and width is None) or \
                    (hole.precision is not None and precision is None):
                return
            used.update(i for i in (index, width, precision) if i is not None)
            holes.append(FormatArg(index, numbered_spec(hole.spec, width, precision)))
            self._check_formattable(all_tys[index], all_args[index].span, hole.spec)
        self._named_used_positionally(fmt, parsed, args[1:], names)
        for i, a in enumerate(written):
            if i not in used:
                named = i in names.values()
                self.diags.append(d.error(
                    None, "named argument never used" if named else "argument never used",
                    a.span, "named argument never used" if named else "argument never used"))
        self.results.formats[e] = FormatString(parsed.pieces, tuple(holes), tuple(all_args))

    def _named_used_positionally(self, fmt: ast.Literal, parsed: ParsedFormat,
                                 args: Sequence[ast.Expr], names: dict[str, int]) -> None:
        """rustc's warning `named_arguments_used_positionally`: a hole that takes a named
        argument by position (`println!("{} {x}", x = 1)`: the `{}` is `x`), with the fix
        that names it."""
        by_index = {i: name for name, i in names.items()}
        targets = {_argument_name(a): a.target.span for a in args
                   if isinstance(a, ast.Assign)}
        for hole in parsed.holes:
            name = by_index.get(hole.position) if hole.name is None and \
                hole.position is not None else None
            if name is None or name not in targets:
                continue
            start = _source_offset(fmt, hole.start)
            hole_span = Span(start, start + hole.end - hole.start) if start is not None \
                else fmt.span
            written = cast(str, fmt.value)[hole.start + 1 : hole.end - 1].partition(":")[0]
            fixes = () if start is None else (d.Fix(
                "use the named argument by name to avoid ambiguity",
                (d.Edit(Span(start + 1, start + 1 + len(written)), name),)),)
            first = not any(diag.code == NAMED_POSITIONALLY for diag in self.diags)
            self.diags.append(d.warning(
                NAMED_POSITIONALLY, f"named argument `{name}` is not used by name",
                targets[name],
                "this named argument is referred to by position in formatting string",
                labels=(d.Label(hole_span, "this formatting argument uses named argument "
                                           f"`{name}` by position"),),
                notes=(f"`#[warn({NAMED_POSITIONALLY})]` on by default",) if first else (),
                fixes=fixes))

    def _written_args(self, args: Sequence[ast.Expr]
                      ) -> tuple[list[ast.Expr] | None, dict[str, int]]:
        """The arguments after the format string, a named one (`width = 8`) as its value,
        and the index of each name. Named arguments come last, as rustc requires: else
        the error, the arguments checked, and None."""
        values: list[ast.Expr] = []
        names: dict[str, int] = {}
        misplaced = False
        for a in args:
            name = _argument_name(a)
            if name is not None and isinstance(a, ast.Assign):
                if name in names:
                    self.diags.append(d.error(
                        None, f"duplicate argument named `{name}`", a.target.span,
                        "duplicate argument"))
                names[name] = len(values)
                values.append(a.value)
                continue
            if names and not misplaced:
                misplaced = True
                self.diags.append(d.error(
                    None, "positional arguments cannot follow named arguments", a.span,
                    "positional arguments must be before named arguments"))
            values.append(a)
        if misplaced:
            for value in values:
                self.check_expr(value, None)
            return None, names
        return values, names

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


def _argument_name(arg: ast.Expr) -> str | None:
    """`name` for a named format argument `name = value`."""
    if isinstance(arg, ast.Assign) and isinstance(arg.target, ast.PathExpr) and \
            len(arg.target.path.segments) == 1:
        return arg.target.path.segments[0].name
    return None


def _count_refs(parsed: ParsedFormat, names: Mapping[str, int]) -> set[int]:
    """The written arguments that give a width or a precision."""
    refs = [r for h in parsed.holes for r in (h.width, h.precision) if r is not None]
    return {names[r] if isinstance(r, str) else r for r in refs
            if isinstance(r, int) or r in names}


def _source_offset(lit: ast.Literal, offset: int) -> int | None:
    """Where the character at `offset` of a string literal's value is in the source, for a
    plain `"..."` literal whose text has no escape (else None)."""
    text = lit.text
    if not (text.startswith('"') and text[1:-1] == lit.value):
        return None
    return lit.span.start + 1 + offset
