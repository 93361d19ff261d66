"""Blocks, `if`, `match` (with exhaustiveness), loops, `break`/`continue`/`return`."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import mypy_extensions

from gust import diagnostics as d
from gust.sema import const_eval, exhaustive
from gust.sema import types as t
from gust.sema.check.base import CheckerBase, Loop, unsized_pair
from gust.sema.check.util import is_none_pat, tail_of
from gust.sema.items import ConstInfo
from gust.syntax import ast
from gust.syntax.walk import walk
from gust.text import Span


@mypy_extensions.trait
class Control(CheckerBase):
    # ---------------------------------------------------------------- control flow

    def _expr_Block(self, e: ast.Block, expected: t.Ty | None) -> t.Ty:
        return self.check_block(e, expected)

    def check_cond(self, cond: ast.Expr | ast.LetCond) -> None:
        """Check an `if`/`while` condition; for `let` conditions, bindings go into the
        current scope (the caller opens one around the body)."""
        if isinstance(cond, ast.LetCond):
            ty = self.check_expr(cond.expr, None)
            self.check_pat(cond.pat, ty, "match")
        else:
            self.check_expr_coerce(cond, t.BOOL)

    def _expr_If(self, e: ast.If, expected: t.Ty | None) -> t.Ty:
        with self.scope():
            self.check_cond(e.cond)
            then_ty = self.check_block(e.then, expected if e.else_ is not None else t.UNIT)
        if e.else_ is None:
            then_r = self.u.shallow(then_ty)
            if not isinstance(then_r, (t.Never, t.Error)) and not self.u.unify(then_ty, t.UNIT):
                self.diags.append(d.error("E0317", "`if` may be missing an `else` clause",
                                          e.span, f"expected `{self.show(then_ty)}`, found `()`",
                                          notes=("`if` expressions without `else` evaluate to "
                                                 "`()`",),
                                          help=("consider adding an `else` block that "
                                                "evaluates to the expected type",)))
                return t.ERROR
            return t.UNIT
        else_ty = self.check_expr(e.else_, expected if expected is not None else
                                  (then_ty if not isinstance(self.u.shallow(then_ty), t.Never)
                                   else None))
        if self._known(expected):
            # The context requires a type: each branch must have it (rustc reports the
            # first branch that does not, `else if` chains included).
            assert expected is not None
            for branch, ty in ((e.then, then_ty), (e.else_, else_ty)):
                if not isinstance(branch, ast.If):
                    self.coerce(ty, expected, tail_of(branch).span)
            return expected
        return self.join(then_ty, else_ty, e.else_, "`if` and `else` have incompatible types",
                         tail_of(e.then).span)

    def _known(self, expected: t.Ty | None) -> bool:
        """An expectation that is a type requirement, not a hint still being inferred."""
        if expected is None:
            return False
        resolved = self.u.resolve(expected)
        return not t.contains_infer(resolved) and not isinstance(resolved, t.Error) and \
            resolved != t.UNIT

    def join(self, first: t.Ty, second: t.Ty, second_expr: ast.Expr, message: str,
             first_span: Span) -> t.Ty:
        """The type of two branches: equal types, or the other one when one diverges."""
        a = self.u.shallow(first)
        b = self.u.shallow(second)
        if isinstance(a, t.Never):
            return b
        if isinstance(b, t.Never):
            return a
        if self.coerces(b, a):
            return a
        if self.coerces(a, b):
            return b
        exp = self.u.resolve(a)
        fnd = self.u.resolve(b)
        if not isinstance(exp, t.Error) and not isinstance(fnd, t.Error):
            self.diags.append(d.error("E0308", message, tail_of(second_expr).span,
                                      f"expected `{exp}`, found `{fnd}`",
                                      labels=(d.Label(first_span, "expected because of this"),)))
        return t.ERROR

    def _expr_Match(self, e: ast.Match, expected: t.Ty | None) -> t.Ty:
        scrutinee = self.check_expr(e.scrutinee, None)
        result: t.Ty | None = None
        first_span: Span | None = None
        for arm in e.arms:
            with self.scope():
                self.check_pat(arm.pat, scrutinee, "match")
                if arm.guard is not None:
                    self.check_expr_coerce(arm.guard, t.BOOL)
                arm_ty = self.check_expr(arm.body, expected if expected is not None else (
                    result if result is not None and not isinstance(
                        self.u.shallow(result), t.Never) else None))
                if expected is not None and unsized_pair(self.u, arm_ty, expected) is not None:
                    # Each arm is coerced to the expected type, as in rustc: `Box::new(|a,
                    # b| a + b)` in one arm and another closure in the next, as `Box<dyn Fn>`.
                    self.coerce(arm_ty, expected, tail_of(arm.body).span)
                    arm_ty = expected
            if result is None or isinstance(self.u.shallow(result), t.Never):
                if result is None or not isinstance(self.u.shallow(arm_ty), t.Never):
                    first_span = tail_of(arm.body).span
                result = arm_ty if result is None or not isinstance(
                    self.u.shallow(arm_ty), t.Never) else result
            else:
                result = self.join(result, arm_ty, arm.body,
                                   "`match` arms have incompatible types",
                                   first_span or arm.body.span)
        if not isinstance(self.u.shallow(scrutinee), t.Error):
            # A value with an error matches any pattern: nothing is unreachable or missing.
            self.check_exhaustive(e, scrutinee)
        return result if result is not None else t.NEVER

    def check_exhaustive(self, e: ast.Match, scrutinee: t.Ty) -> None:
        if any(self._slice_pat_error(arm.pat) for arm in e.arms):
            return  # as rustc: a match whose patterns have type errors is not checked
        space = exhaustive.Space(self.env, self.u.resolve)
        rows: list[exhaustive.Row] = []
        for arm in e.arms:
            # A guarded arm may be unreachable too, but covers nothing for the next ones.
            self._unreachable_alternatives(space, rows if arm.guard is None else list(rows),
                                           arm.pat, scrutinee, arm.guard is not None)
        witnesses = exhaustive.useful(space, rows, (exhaustive.WILD,), [scrutinee], top=True)
        if witnesses:
            ws = [w[0] for w in witnesses]
            described = exhaustive.describe_witnesses(ws)
            ty = self.show(scrutinee)
            self.diags.append(d.error(
                "E0004", f"non-exhaustive patterns: {described.split(' ', 1)[1]} not covered",
                e.scrutinee.span, f"{described} not covered",
                notes=(f"the matched value is of type `{ty}`",
                       *filter(None, [exhaustive.beyond_end_note(ws)]),
                       *(["match arms with guards don't count towards exhaustivity"]
                         if e.arms and all(arm.guard is not None for arm in e.arms) else [])),
                help=(_exhaustive_help(len(ws)),)))

    def _unreachable_alternatives(self, space: exhaustive.Space, rows: list[exhaustive.Row],
                                  pat: ast.Pat, ty: t.Ty, guarded: bool = False) -> None:
        """Warn about an arm no value reaches, adding its rows: as rustc, one warning for
        the pattern when all its alternatives (`a | b`) are unreachable, else one for each
        unreachable alternative (the earlier alternatives of the arm count too)."""
        alts = pat.alts if isinstance(pat, ast.OrPat) else (pat,)
        dead: list[ast.Pat] = []
        # With a guard, each alternative is tried with the guard in turn (`[a, _] | [_, a]
        # if a > 0`): an earlier one does not make a later one unreachable.
        before = list(rows) if guarded else rows
        for alt in alts:
            alt_rows = [(p,) for p in self.deconstruct(alt, ty)]
            if not any(exhaustive.useful(space, before, r, [ty]) for r in alt_rows):
                dead.append(alt)
            rows.extend(alt_rows)
        for p in ([pat] if len(dead) == len(alts) else dead):
            self.diags.append(d.warning(None, "unreachable pattern", p.span,
                                        "no value can reach this"))

    def check_irrefutable(self, pat: ast.Pat, ty: t.Ty, what: str) -> None:
        """E0005: a `let` (or `for`) pattern must match every value of its type."""
        if self._slice_pat_error(pat):
            return
        space = exhaustive.Space(self.env, self.u.resolve)
        rows: list[exhaustive.Row] = [(alt,) for alt in self.deconstruct(pat, ty)]
        witnesses = exhaustive.useful(space, rows, (exhaustive.WILD,), [ty])
        if witnesses:
            described = exhaustive.describe_witnesses([w[0] for w in witnesses])
            self.diags.append(d.error(
                "E0005", f"refutable pattern in {what}", pat.span, f"{described} not covered",
                notes=(*(("`let` bindings require an \"irrefutable pattern\", like a "
                          "`struct` or an `enum` with only one variant",)
                         if what == "local binding" else ()),
                       f"the matched value is of type `{self.show(ty)}`"),
                help=("you might want to use `let else` to handle the variant that isn't "
                      "matched",) if what == "local binding" else ()))

    def deconstruct(self, pat: ast.Pat, ty: t.Ty) -> list[exhaustive.DPat]:
        """The constructor form of `pat` at type `ty` (or-patterns give several)."""
        D = exhaustive.DPat
        C = exhaustive.Ctor
        ty = self.u.shallow(ty)
        if isinstance(pat, ast.OrPat):
            return [p for alt in pat.alts for p in self.deconstruct(alt, ty)]
        if pat in self.results.const_pats or (
                isinstance(pat, ast.IdentPat | ast.PathPat) and self.names_const_pat(pat)):
            return self._deconstruct_const(pat, ty)
        if isinstance(ty, t.Ref) and (not isinstance(pat, (ast.RefPat, ast.IdentPat, ast.WildPat))
                                      or is_none_pat(pat)
                                      or (isinstance(pat, ast.IdentPat)
                                          and self.imported_variant(pat) is not None)):
            return [D(C("ref", arity=1), (inner,)) for inner in self.deconstruct(pat, ty.inner)]
        match pat:
            case ast.WildPat() | ast.RestPat():
                return [exhaustive.WILD]
            case ast.IdentPat(name=name, sub=sub):
                variant = self._unit_variant_for(name, ty)
                if variant is None and isinstance(ty, t.Adt) and \
                        self.imported_variant(pat) == ty.name:
                    variant = name
                if variant is not None:
                    return [D(C("variant", variant))]
                return self.deconstruct(sub, ty) if sub is not None else [exhaustive.WILD]
            case ast.RefPat(inner=inner) if isinstance(ty, t.Ref):
                return [D(C("ref", arity=1), (p,)) for p in self.deconstruct(inner, ty.inner)]
            case ast.LitPat(lit=lit):
                if lit.kind == "bool":
                    return [D(C("bool", value=lit.value))]
                dom = exhaustive.domain_of(self.u.resolve(ty))
                value = _pat_value(pat)
                if dom is not None and value is not None:
                    return [exhaustive.range_pat(dom, value, value)]
                return [D(C("lit", value=(lit.value, pat.negative)))]
            case ast.RangePat(lo=lo, hi=hi, inclusive=inclusive):
                return [self._deconstruct_range(pat, lo, hi, inclusive, ty)]
            case ast.TuplePat(elems=elems) if isinstance(ty, t.Tuple):
                return self._product(C("tuple", arity=len(ty.elems)), elems, list(ty.elems))
            case ast.SlicePat():
                return self._deconstruct_slice(pat, ty)
            case ast.PathPat(path=path) | ast.TupleStructPat(path=path) | \
                    ast.StructPat(path=path):
                return self._deconstruct_path(pat, path, ty)
        return [exhaustive.WILD]

    def _slice_pat_error(self, pat: ast.Pat) -> bool:
        """Whether a slice pattern in `pat` was reported (E0527, E0528, E0529): its
        length does not fit the array, or the value is not an array or a slice."""
        for node in walk(pat):
            if not isinstance(node, ast.SlicePat):
                continue
            ty = self.u.resolve(self.results.pat_types.get(node, t.ERROR))
            while isinstance(ty, t.Ref):
                ty = ty.inner
            before, rest, after = ast.slice_parts(node)
            n = len(before) + len(after)
            if isinstance(ty, t.Array):
                if (rest is None and n != ty.length) or n > ty.length:
                    return True
            elif not isinstance(ty, (t.Slice, t.Error, t.Infer)):
                return True
        return False

    def _deconstruct_slice(self, pat: ast.SlicePat, ty: t.Ty) -> list[exhaustive.DPat]:
        """`[a, .., z]`: a slice constructor of its length (at least its length when it has
        a `..` that may stand for some elements)."""
        before, rest, after = ast.slice_parts(pat)
        ty = self.u.resolve(ty)
        subs = (*before, *after)
        if isinstance(ty, t.Array):
            if (rest is None and len(subs) != ty.length) or len(subs) > ty.length:
                return [exhaustive.WILD]  # E0527, E0528: the match is not checked
            if len(subs) == ty.length:
                rest = None  # `[a, .., b]` on a `[T; 2]`: `..` stands for nothing
        if not isinstance(ty, (t.Array, t.Slice)):
            return [exhaustive.WILD]
        ctor = exhaustive.slice_ctor(len(before), len(after), True) if rest is not None \
            else exhaustive.slice_ctor(len(subs), 0, False)
        return self._product(ctor, subs, [ty.elem] * len(subs))

    def _deconstruct_range(self, pat: ast.RangePat, lo: ast.LitPat | None,
                           hi: ast.LitPat | None, inclusive: bool, ty: t.Ty
                           ) -> exhaustive.DPat:
        dom = exhaustive.domain_of(self.u.resolve(ty))
        lo_v = _pat_value(lo) if lo is not None else None
        hi_v = _pat_value(hi) if hi is not None else None
        if dom is None or (lo is not None and lo_v is None) or (hi is not None and hi_v is None):
            # A float range: covers no value the checker can name.
            return exhaustive.DPat(exhaustive.Ctor("lit", value=id(pat)))
        start = dom.lowest if lo_v is None else lo_v
        end = dom.highest if hi_v is None else hi_v - (0 if inclusive else 1)
        return exhaustive.range_pat(dom, max(start, dom.lowest), min(end, dom.highest))

    def names_const_pat(self, pat: ast.IdentPat | ast.PathPat) -> bool:
        if isinstance(pat, ast.IdentPat):  # (a static's name is a binding, after E0530)
            return pat not in self.results.bindings and self.names_const(pat) is not None
        return self.path_names_const(pat.path) is not None

    def _deconstruct_const(self, pat: ast.Pat, ty: t.Ty) -> list[exhaustive.DPat]:
        """A constant pattern: its value when Gust computes it (an integer, a `char`, a
        `bool`; a struct, enum, tuple or array value as the pattern spelling it, as rustc
        does), else a constructor of its own (the same constant twice is one value)."""
        key = self.results.const_pats.get(pat)
        info = self.env.consts.get(key) if key is not None else None
        if info is not None and not isinstance(info.ty, t.Int | t.Float | t.Bool | t.Char):
            spelled = self._value_pattern(info.decl.value, 0)
            if spelled is not None:
                return self.deconstruct(spelled, ty)
        return [self._deconstruct_scalar_const(pat, key, info, ty)]

    def _value_pattern(self, e: ast.Expr | None, depth: int) -> ast.Pat | None:
        """The pattern matching exactly the value of a constant's initialiser (struct and
        variant literals, tuples, arrays, literals, other constants), or None."""
        if e is None or depth > 50:
            return None
        sub = [self._value_pattern(x, depth + 1) for x in _value_parts(e)]
        if any(p is None for p in sub):
            return None
        parts = tuple(p for p in sub if p is not None)
        match e:
            case ast.Paren(inner=inner):
                return self._value_pattern(inner, depth + 1)
            case ast.Literal(kind=kind) if kind in ("int", "float", "bool", "char", "str"):
                return ast.LitPat(e, False, e.span)
            case ast.Unary(op="-", operand=ast.Literal(kind="int" | "float") as lit):
                return ast.LitPat(lit, True, e.span)
            case ast.TupleExpr():
                return ast.TuplePat(parts, e.span)
            case ast.ArrayExpr():
                return ast.SlicePat(parts, e.span)
            case ast.StructLit(path=path, fields=fields, base=None):
                return ast.StructPat(path, tuple(
                    ast.FieldPat(f.name, f.name_span, p, False, f.span)
                    for f, p in zip(fields, parts, strict=True)), False, e.span)
            case ast.Call(callee=ast.PathExpr(path=path)):
                return ast.TupleStructPat(path, parts, e.span)
            case ast.PathExpr(path=path):
                const = self.path_names_const(path)
                if const is None:
                    return ast.PathPat(path, e.span)
                info = self.env.consts.get(const)
                return None if info is None or not isinstance(info.decl, ast.ConstDecl) \
                    else self._value_pattern(info.decl.value, depth + 1)
        return None

    def _deconstruct_scalar_const(self, pat: ast.Pat, key: str | None,
                                  info: ConstInfo | None, ty: t.Ty) -> exhaustive.DPat:
        value: int | None = None
        if info is not None:
            init = info.decl.value
            if isinstance(init, ast.Literal) and init.kind == "bool":
                return exhaustive.DPat(exhaustive.Ctor("bool", value=init.value))
            if isinstance(init, ast.Literal) and init.kind == "char" and \
                    isinstance(init.value, str) and len(init.value) == 1:
                value = ord(init.value)
            else:
                values = {k: c.decl.value for k, c in self.env.consts.items()}
                value = const_eval.int_value(
                    init, lambda n: n if n in self.env.consts else None, values)
        dom = exhaustive.domain_of(self.u.resolve(ty))
        if dom is not None and value is not None and dom.lowest <= value <= dom.highest:
            return exhaustive.range_pat(dom, value, value)
        return exhaustive.DPat(exhaustive.Ctor("lit", value=("const", key or id(pat))))

    def _unit_variant_for(self, name: str, ty: t.Ty) -> str | None:
        if name == "None" and isinstance(ty, t.Adt) and ty.name == "Option":
            return "None"
        return None

    def _deconstruct_path(self, pat: ast.Pat, path: ast.Path, ty: t.Ty
                          ) -> list[exhaustive.DPat]:
        C = exhaustive.Ctor
        if not isinstance(ty, t.Adt):
            return [exhaustive.WILD]
        space = exhaustive.Space(self.env, self.u.resolve)
        name = path.last.name
        if ty.name in self.env.structs:
            info = self.env.structs[ty.name]
            ctor = C("struct", ty.name, arity=len(info.fields))
            field_tys = space.field_types(ty, ctor)
        else:
            ctors = space.all_ctors(ty) or []
            match_ = [(c, tys) for c, tys, _ in ctors if c.name == name]
            if not match_:
                return [exhaustive.WILD]
            ctor, field_tys = match_[0]
        subpats: list[ast.Pat | None] = [None] * ctor.arity
        if isinstance(pat, ast.TupleStructPat):
            elems = list(pat.elems)
            rest = next((i for i, p in enumerate(elems) if isinstance(p, ast.RestPat)), None)
            if rest is not None:
                after = elems[rest + 1:]
                for i, p in enumerate(elems[:rest]):
                    subpats[i] = p
                for j, p in enumerate(after):
                    subpats[ctor.arity - len(after) + j] = p
            else:
                for i, p in enumerate(elems[: ctor.arity]):
                    subpats[i] = p
        elif isinstance(pat, ast.StructPat):
            names = self._field_names_of(ty, name)
            for fp in pat.fields:
                if fp.name in names:
                    subpats[names.index(fp.name)] = fp.pat
        return self._product(ctor, tuple(subpats), field_tys)

    def _field_names_of(self, ty: t.Adt, variant: str) -> list[str]:
        if ty.name == "Range" and ty.name not in self.env.structs | self.env.enums:
            return ["start", "end"]  # std::ops::Range
        if ty.name in self.env.structs:
            return [f.name or "" for f in self.env.structs[ty.name].fields]
        info = self.env.enums.get(ty.name)
        v = info.variant(variant) if info else None
        return [f.name or "" for f in v.fields] if v else []

    def _product(self, ctor: exhaustive.Ctor, subpats: Sequence[ast.Pat | None],
                 tys: list[t.Ty]) -> list[exhaustive.DPat]:
        combos: list[tuple[exhaustive.DPat, ...]] = [()]
        for i in range(ctor.arity):
            p = subpats[i] if i < len(subpats) else None
            ty = tys[i] if i < len(tys) else t.ERROR
            options = self.deconstruct(p, ty) if p is not None else [exhaustive.WILD]
            combos = [(*c, o) for c in combos for o in options][:64]
        return [exhaustive.DPat(ctor, c) for c in combos]

    def _expr_Loop(self, e: ast.Loop, expected: t.Ty | None) -> t.Ty:
        loop = Loop(e.label, expected if expected is not None else self.u.fresh())
        self.loops.append(loop)
        try:
            self.check_block(e.body, t.UNIT)
        finally:
            self.loops.pop()
        if not loop.has_break:
            return t.NEVER
        assert loop.break_ty is not None
        return loop.break_ty

    def _expr_While(self, e: ast.While, expected: t.Ty | None) -> t.Ty:
        with self.scope():
            self.check_cond(e.cond)
            self.loops.append(Loop(e.label, None))
            try:
                self.check_block(e.body, t.UNIT)
            finally:
                self.loops.pop()
        return t.UNIT

    def _expr_For(self, e: ast.For, expected: t.Ty | None) -> t.Ty:
        iter_ty = self.check_expr(e.iter, None)
        item = self.item_type(iter_ty, e.iter.span)
        with self.scope():
            self.check_pat(e.pat, item, "for")
            self.check_irrefutable(e.pat, item, "`for` loop binding")
            self.loops.append(Loop(e.label, None))
            try:
                self.check_block(e.body, t.UNIT)
            finally:
                self.loops.pop()
        return t.UNIT

    def item_type(self, ty: t.Ty, span: Span) -> t.Ty:
        """What `for x in <ty>` binds `x` to (IntoIterator::Item)."""
        ty = self.u.shallow(ty)
        item = self.into_iter_item(ty)
        if item is not None and not (isinstance(ty, t.Adt) and ty.name == "Option"):
            return item
        shown = self.show(ty)
        self.diags.append(d.error("E0277", f"`{shown}` is not an iterator", span,
                                  f"`{shown}` is not an iterator",
                                  notes=(f"the trait `Iterator` is not implemented for "
                                         f"`{shown}`",)))
        return t.ERROR

    def _find_loop(self, label: str | None, span: Span) -> Loop | None:
        if not self.loops:
            return None
        if label is None:
            return self.loops[-1]
        for loop in reversed(self.loops):
            if loop.label == label:
                return loop
        self.diags.append(d.error("E0426", f"use of undeclared label `'{label}`", span,
                                  f"undeclared label `'{label}`"))
        return None

    def _expr_Break(self, e: ast.Break, expected: t.Ty | None) -> t.Ty:
        if not self.loops:
            self.diags.append(d.error("E0268", "`break` outside of a loop or labeled block",
                                      e.span, "cannot `break` outside of a loop or labeled "
                                      "block"))
            if e.value is not None:
                self.check_expr(e.value, None)
            return t.NEVER
        loop = self._find_loop(e.label, e.span)
        if loop is None:
            return t.NEVER
        loop.has_break = True
        if e.value is not None:
            if loop.break_ty is None:
                self.check_expr(e.value, None)
                self.diags.append(d.error("E0571", "`break` with value from a `while` or `for` "
                                          "loop", e.span, "can only break with a value inside "
                                          "`loop` or breakable block"))
            else:
                self.check_expr_coerce(e.value, loop.break_ty)
        elif loop.break_ty is not None and not self.u.unify(loop.break_ty, t.UNIT):
            self.mismatch(loop.break_ty, t.UNIT, e.span)
        return t.NEVER

    def _expr_Continue(self, e: ast.Continue, expected: t.Ty | None) -> t.Ty:
        if not self.loops:
            self.diags.append(d.error("E0268", "`continue` outside of a loop", e.span,
                                      "cannot `continue` outside of a loop"))
        else:
            self._find_loop(e.label, e.span)
        return t.NEVER

    def _expr_Return(self, e: ast.Return, expected: t.Ty | None) -> t.Ty:
        if e.value is not None:
            ty = self.check_expr(e.value, self.ret_ty)
            self.coerce(ty, self.ret_ty, e.value.span,
                        None if self.closure_ret else self.fn.ret)
        elif not self.u.unify(self.ret_ty, t.UNIT):
            self.mismatch(self.ret_ty, t.UNIT, e.span,
                          self.fn.ret.span if self.fn.ret and not self.closure_ret else None,
                          "expected `" + self.show(self.ret_ty) + "` because of this return type")
        return t.NEVER

    def _expr_Try(self, e: ast.Try, expected: t.Ty | None) -> t.Ty:
        """`expr?`: the value of an `Ok`/`Some`, returning early with the `Err`/`None`; the
        function must return a `Result` with the same error type, or an `Option`."""
        fn_ret = self.u.shallow(self.ret_ty)
        hint: t.Ty | None = None
        if expected is not None and isinstance(fn_ret, t.Adt) and fn_ret.name == "Result":
            # `let n: i32 = s.parse()?`: the value type guides the operand's inference.
            hint = t.Adt("Result", (expected, self.u.fresh()))
        elif expected is not None and isinstance(fn_ret, t.Adt) and fn_ret.name == "Option":
            hint = t.Adt("Option", (expected,))
        inner = self.u.shallow(self.check_expr(e.inner, hint))
        if isinstance(inner, t.Error):
            return t.ERROR
        if not (isinstance(inner, t.Adt) and inner.name in ("Result", "Option")):
            shown = self.show(inner)
            self.diags.append(d.error("E0277", "the `?` operator can only be applied to "
                                      "values that implement `Try`", e.span,
                                      f"the `?` operator cannot be applied to type `{shown}`",
                                      help=(f"the trait `Try` is not implemented for "
                                            f"`{shown}`",)))
            return t.ERROR
        ret = self.u.shallow(self.ret_ty)
        if not (isinstance(ret, t.Adt) and ret.name == inner.name):
            fn_kind = "`Result` or `Option` (or another type that implements `FromResidual`)"
            self.diags.append(d.error(
                "E0277", f"the `?` operator can only be used in a function that returns "
                f"{fn_kind}", e.span, f"cannot use the `?` operator in a function that "
                f"returns `{self.show(ret)}`",
                help=(f"the trait `FromResidual<{_residual(inner, self.show)}>` is not "
                      f"implemented for `{self.show(ret)}`",)))
            return inner.args[0]
        if inner.name == "Result" and not self.error_converts(ret.args[1], inner.args[1]) \
                and not self.u.unify(ret.args[1], inner.args[1]):
            self.diags.append(d.error(
                "E0277", f"`?` couldn't convert the error to `{self.show(ret.args[1])}`",
                e.span, f"the trait `From<{self.show(inner.args[1])}>` is not implemented "
                f"for `{self.show(ret.args[1])}`",
                notes=("the question mark operation (`?`) implicitly performs a conversion "
                       "on the error value using the `From` trait",)))
        return inner.args[0]

    def _expr_Underscore(self, e: ast.Underscore, expected: t.Ty | None) -> t.Ty:
        self.diags.append(d.error(None, "in expressions, `_` can only be used on the "
                                  "left-hand side of an assignment", e.span,
                                  "`_` not allowed here"))
        return t.ERROR


def _residual(ty: t.Adt, show: Callable[[t.Ty], str]) -> str:
    """How rustc names what `?` returns early: `Result<Infallible, E>` or `Option<Infallible>`."""
    if ty.name == "Result":
        return f"Result<Infallible, {show(ty.args[1])}>"
    return "Option<Infallible>"


def _exhaustive_help(witnesses: int) -> str:
    """rustc's help for E0004, which depends on how many patterns it shows."""
    arm = "ensure that all possible cases are being handled by adding a match arm with a " \
        "wildcard pattern"
    if witnesses == 1:
        return arm + " or an explicit pattern as shown"
    if witnesses <= 3:
        return arm + ", a match arm with multiple or-patterns as shown, or multiple match arms"
    return arm + " as shown, or multiple match arms"


def _pat_value(pat: ast.LitPat) -> int | None:
    """The integer (or char code point) a literal pattern stands for; None for others."""
    lit = pat.lit
    if lit.kind == "char" and isinstance(lit.value, str) and len(lit.value) == 1:
        return ord(lit.value)
    if lit.kind in ("int", "byte") and isinstance(lit.value, int) \
            and not isinstance(lit.value, bool):
        return -lit.value if pat.negative else lit.value
    return None


def _value_parts(e: ast.Expr) -> tuple[ast.Expr, ...]:
    """The sub-values of a constant's initialiser that `_value_pattern` spells as
    sub-patterns, in their order."""
    match e:
        case ast.TupleExpr(elems=elems) | ast.ArrayExpr(elems=elems):
            return elems
        case ast.StructLit(fields=fields):
            return tuple(f.value for f in fields)
        case ast.Call(args=args):
            return args
    return ()
