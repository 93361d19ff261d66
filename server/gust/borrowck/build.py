"""Lowering a type-checked body to the borrow checker's control-flow graph (gust.borrowck.mir).

The lowering follows rustc's MIR building where it matters for borrow checking:

- evaluation order: operands are evaluated left to right into temporaries, so a value is
  moved as soon as its argument is evaluated (`f(s, s.len())` uses `s` after the move);
  assignments evaluate the right-hand side before the assigned place;
- method receivers are adjusted as `MethodRes` says (auto-deref, then `&`/`&mut` auto-ref);
  an auto-ref `&mut` receiver, and the implicit reborrow of a `&mut` argument, are two-phase
  borrows activated by the call; `v[i]` on a `Vec` is `*Index::index(&v, i)` (or
  `IndexMut::index_mut(&mut v, i)` where the place is mutated);
- `for pat in e` is `let mut it = into_iter(e); loop { match next(&mut it) { None => break,
  Some(pat) => body } }`; `println!`/`format!` borrow their arguments; comparisons of
  non-`Copy` values borrow both sides;
- a `match` reads the discriminants it tests; bindings move, copy or borrow parts of the
  scrutinee (match ergonomics insert the derefs); guards see the bindings by reference;
- `StorageDead` ends every user binding at the end of its scope (and on `break`,
  `continue`, `return`).

While lowering, region constraints are recorded between the region-annotated types of the
locals (assignments, borrows, reborrows, and calls by lifetime elision: a returned reference
borrows from `self`, or from the only reference argument).
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping, Sequence
from typing import Any, Final

from gust.borrowck import captures, guards, mir
from gust.borrowck.mir import LEAF, Operand, Place, Proj, RTy, Rvalue
from gust.diagnostics import Diagnostic
from gust.diagnostics import error as error_diagnostic
from gust.frozen import dataclass
from gust.sema import builtins, traits
from gust.sema import types as t
from gust.sema.check.util import has_error
from gust.sema.items import FnSig, ItemEnv, lifetime_holders, lifetime_sources
from gust.sema.results import (
    AssocFnRes,
    BodyResults,
    ClosureInfo,
    ConstRes,
    FnRes,
    LocalRes,
    MethodRes,
    StructRes,
    VariantRes,
)
from gust.syntax import ast
from gust.syntax.walk import children
from gust.text import Span

_FORMAT_MACROS: Final = frozenset({"println", "print", "eprintln", "eprint", "format", "panic",
                            "unreachable", "todo", "unimplemented", "write", "writeln"})
_DIVERGING_MACROS: Final = frozenset({"panic", "unreachable", "todo", "unimplemented"})
_CMP: Final = frozenset({"==", "!=", "<", ">", "<=", ">="})
# `Vec` methods that are really slice methods: the receiver goes through `DerefMut`, whose
# `&mut` is not a two-phase borrow (so `v.swap(0, v.len() - 1)` is rejected).
_SLICE_MUT_METHODS: Final = frozenset({"swap", "reverse", "iter_mut", "sort", "sort_unstable",
                                "sort_unstable_by", "sort_unstable_by_key", "first_mut",
                                "last_mut", "get_mut", "fill"})


@dataclass(frozen=True, slots=True)
class Sig:
    """A callee's signature as the region flow needs it: parameter types (with the `self`
    parameter first for methods), the return type, and the generic names of the method's
    owner type (whose instantiation is known before arguments are checked)."""

    params: tuple[t.Ty, ...]
    ret: t.Ty
    self_kind: str | None
    owner_generics: frozenset[str] = frozenset()
    # The arguments a returned reference borrows from when the signature names its lifetime
    # (`sema.items.lifetime_sources`); None: elision's (`&self`, else every argument).
    sources: tuple[int, ...] | None = None
    # The type parameters of the result that only a closure's result gives (`T` of
    # `F: FnMut(u32) -> Result<T, E>`), with the indices of those closure parameters.
    closure_results: tuple[tuple[str, tuple[int, ...]], ...] = ()
    # The arguments that carry that lifetime as a type's lifetime argument (`lx: &mut
    # Lexer<'a>`: `sema.items.lifetime_holders`): the result borrows what they borrow.
    holders: tuple[int, ...] = ()


@dataclass
class _Loop:
    label: str | None
    break_block: int
    continue_block: int
    dest: Place | None
    depth: int  # len(scopes) at the loop


def lower_body(env: ItemEnv, results: BodyResults) -> Builder:
    """Lower `results.fn` to a finished `mir.Body` (`builder.body`); the builder also answers
    the type of any place of it (`builder.place_ty`)."""
    builder = Builder(env, results)
    builder.run()
    builder.body.finish()
    return builder


class Builder:
    """Lowers one body; `run` fills `self.body`."""

    def __init__(self, env: ItemEnv, results: BodyResults) -> None:
        self.env = env
        self.r = results
        self.body = mir.Body()
        # Errors found while lowering (E0373 for spawned closures' borrows).
        self.diags: list[Diagnostic] = []
        self.cur = 0
        self.scopes: list[list[int]] = []
        self.loops: list[_Loop] = []
        self.guard_subst: dict[int, Place] = {}
        # The match guard being lowered (its fake borrows), and the places the patterns of
        # the `match` being lowered test (None outside a guarded match).
        self.guard: guards.GuardScope | None = None
        self.tested: list[Place] | None = None
        self.pending: list[int] = []
        # Closures given to a scope's `spawn` (gust.borrowck.captures reads them).
        self.scoped_closures: set[ast.Closure] = set()
        # Outlives constraints, in the order they were found (an ordered set).
        self.edges: dict[tuple[int, int], None] = {}
        self._copy: dict[t.Ty, bool] = {}
        # Types whose values borrow through a lifetime parameter (mir.reference_holders).
        self.holders = mir.reference_holders(env)
        self._assumptions = traits.fn_assumptions(env, results.fn)
        self.scratch = -1
        # The scrutinee of the pattern being bound (for E0507 on pattern moves).
        self.scrut_span: Span | None = None
        self.scrut_deref = False  # the scrutinee is written `*x`
        self.let_init: ast.Expr | None = None  # the initialiser of a `let x = ...` lowered now
        self.in_let = False  # lowering a `let` statement's initialiser (outside conditions)
        self.assigning = False  # lowering the place an assignment writes (E0594, not E0596)
        # Borrowed temporaries of the statement being lowered: they die at its end.
        self.stmt_temps: list[int] = []
        # Expressions whose borrowed temporaries live to the end of the block instead
        # (Rust's temporary lifetime extension, `let r = &make();`), by id().
        self.extended: set[int] = set()
        self.holder: dict[int, int] = {}
        self.pat_spans = {uid: pat.span for pat, uid in results.bindings.items()}
        self._closures: dict[int, tuple[ast.Closure, ClosureInfo]] | None = None
        # The places each closure captures, by closure id (gust.borrowck.captures).
        self.captured: dict[int, list[captures.Captured]] = {}
        # The type `return` coerces to (a closure body's own return type).
        self.ret_ty: t.Ty | None = results.ret

    # ------------------------------------------------------------ entry

    def run(self) -> None:
        body = self.body
        ret = self.r.ret if self.r.ret is not None else t.UNIT
        self.return_place(ret)
        self.new_block()
        self.scopes.append([])
        for uid in self.r.params:
            m = self.mir_local(uid, universal=True)
            body.params.append(m)
        self.scratch = self.new_local(None, t.BOOL, True, None, "temp")
        fn_body = self.r.fn.body
        if fn_body is not None:
            self.block_into(Place(0), fn_body, ret_coerce=True)
        end = Span(max(fn_body.span.end - 1, 0), fn_body.span.end) if fn_body else Span(0, 0)
        self.storage_dead(self.scopes.pop(), end)
        self.terminate(mir.Return(end))
        body.outlives = list(self.edges)

    def return_place(self, ret: t.Ty) -> None:
        """Local 0. The return type's regions are the caller's: each equals a universal
        region (as rustc's return place gets fresh regions equated with the signature's)."""
        body = self.body
        self.new_local(None, ret, True, None, "return")
        for r in body.locals[0].rty.regions():
            u = body.new_region(-1)
            body.universal.add(u)
            body.return_universal.add(u)
            self.edge(r, u)
            self.edge(u, r)

    # ------------------------------------------------------------ blocks and locals

    def new_block(self) -> int:
        self.body.blocks.append(mir.Block())
        self.cur = len(self.body.blocks) - 1
        return self.cur

    def make_block(self) -> int:
        self.body.blocks.append(mir.Block())
        return len(self.body.blocks) - 1

    def emit(self, stmt: mir.Statement) -> None:
        stmts = self.body.blocks[self.cur].stmts
        if self.pending:
            self.body.pending[(self.cur, len(stmts))] = tuple(self.pending)
        if isinstance(stmt, mir.Call) and stmt.activates:
            at = self.body.position(self.cur)
            for loan in stmt.activates:
                self.body.loans[loan].activation = at
        stmts.append(stmt)

    def terminate(self, term: mir.Terminator) -> None:
        block = self.body.blocks[self.cur]
        if block.term is None:
            block.term = term

    def goto(self, target: int, back: bool = False) -> None:
        self.terminate(mir.Goto(target, back))

    def diverge(self) -> None:
        """Code after `return`/`break`/`panic!` is unreachable: continue in a fresh block."""
        self.new_block()

    def new_local(self, name: str | None, ty: t.Ty, mutable: bool, span: Span | None,
                  kind: str, user: int | None = None, universal: bool = False) -> int:
        index = len(self.body.locals)
        rty = self.annotate(ty, index) if self.has_regions(ty) else LEAF
        if universal:
            self.body.universal.update(rty.regions())
        pat_span = self.pat_spans.get(user, span) if user is not None else span
        self.body.locals.append(mir.LocalDecl(name, ty, mutable, pat_span, kind, rty, user,
                                              span))
        return index

    def temp(self, ty: t.Ty) -> int:
        return self.new_local(None, ty, True, None, "temp")

    def mir_local(self, uid: int, universal: bool = False) -> int:
        m = self.body.user_to_mir.get(uid)
        if m is not None:
            return m
        lc = self.r.locals[uid]
        m = self.new_local(lc.name, lc.ty, lc.mutable, lc.span, lc.kind, uid, universal)
        self.body.user_to_mir[uid] = m
        if self.scopes:
            self.scopes[-1].append(m)
        return m

    def storage_dead(self, locals_: list[int], span: Span) -> None:
        for m in reversed(locals_):
            self.emit(mir.StorageDead(m, span))

    def has_regions(self, ty: t.Ty) -> bool:
        """Whether a value of `ty` can hold a loan (also through a reference holder)."""
        return mir.has_regions(ty) or mir.mentions_holder(ty, self.holders)

    def annotate(self, ty: t.Ty, owner: int) -> RTy:
        if isinstance(ty, t.Ref):
            inner = ty.inner
            return RTy("ref", self.body.new_region(owner), ty.mutable,
                       (self.annotate(inner, owner) if self.has_regions(inner) else LEAF,))
        match ty:
            case t.Adt(name, args):
                if not self.has_regions(ty):
                    return LEAF
                # (A package's own `Entry` is its type, not std's: no hidden borrow. Std's
                # `Entry<K, V>` is still std's in that package: told apart by the number of
                # type arguments, as the checker does.)
                std = name in mir.HIDDEN_REGION and not self.env.is_package_type(name, args)
                held = name in self.holders
                hidden = self.body.new_region(owner) if std or held else -1
                return RTy("adt", hidden, False, tuple(self.annotate(a, owner) for a in args),
                           name)
            case t.Tuple(elems) if self.has_regions(ty):
                return RTy("tuple", args=tuple(self.annotate(e, owner) for e in elems))
            case t.Array(elem, _) | t.Slice(elem) if self.has_regions(ty):
                return RTy("seq", args=(self.annotate(elem, owner),))
            case t.Closure():
                return captures.closure_rty(self, ty, owner)
            case t.Dyn(call=call) if call is not None:
                # The region of what a `dyn Fn()` closure borrows.
                return RTy("adt", self.body.new_region(owner), name="dyn")
        return LEAF

    def fresh_like(self, rty: RTy) -> RTy:
        """A copy of `rty`'s shape with fresh regions owned by no local."""
        if rty is LEAF or rty.kind == "leaf":
            return LEAF
        region = self.body.new_region(-1) if rty.region >= 0 else -1
        return RTy(rty.kind, region, rty.mutable, tuple(self.fresh_like(a) for a in rty.args),
                   rty.name)

    # ------------------------------------------------------------ types

    def ty(self, e: ast.Expr) -> t.Ty:
        return self.r.expr_types.get(e, t.ERROR)

    def is_copy(self, ty: t.Ty) -> bool:
        cached = self._copy.get(ty)
        if cached is None:
            # A type holding `{error}` (a field's type that was not found, reported with
            # the item) is taken as `Copy`: one mistake, one diagnostic, not also E0507.
            cached = has_error(ty) or traits.is_copy(ty, self.env, self._assumptions)
            self._copy[ty] = cached
        return cached

    def place_ty(self, place: Place) -> t.Ty:
        ty = self.body.locals[place.local].ty
        if not place.proj:
            return ty
        variant: Proj | None = None
        for p in place.proj:
            if p.kind == "variant":
                variant = p
                continue
            ty = self.proj_ty(ty, p, variant)
            variant = None
        return ty

    def proj_ty(self, ty: t.Ty, p: Proj, variant: Proj | None) -> t.Ty:
        if p.kind == "deref":
            return deref_ty(ty)
        if p.kind in ("index", "elem"):
            if isinstance(ty, (t.Array, t.Slice)):
                return ty.elem
            if isinstance(ty, t.Adt) and ty.name in ("Vec", "VecDeque") and ty.args:
                return ty.args[0]
            return t.ERROR
        if p.kind == "subslice":
            if isinstance(ty, t.Array):
                return t.Array(ty.elem, max(0, p.size - p.idx))
            return ty if isinstance(ty, t.Slice) else t.ERROR
        fields = self.field_types(ty, variant)
        return fields[p.idx] if p.idx < len(fields) else t.ERROR

    def field_types(self, ty: t.Ty, variant: Proj | None) -> list[t.Ty]:
        if isinstance(ty, t.Tuple):
            return list(ty.elems)
        if not isinstance(ty, t.Adt):
            return []
        if ty.name == "Reverse":  # std::cmp::Reverse(T)
            return list(ty.args[:1])
        if ty.name == "Option":
            return [ty.args[0] if ty.args else t.ERROR] if variant is None or \
                variant.name == "Some" else []
        if ty.name == "Result" and len(ty.args) == 2:
            if variant is None or variant.name == "Ok":
                return [ty.args[0]]
            return [ty.args[1]]
        if ty.name in self.env.structs:
            info = self.env.structs[ty.name]
            subst = dict(zip(info.generics, ty.args, strict=False))
            return [t.substitute(f.ty, subst) for f in info.fields]
        if ty.name in self.env.enums and variant is not None:
            enum = self.env.enums[ty.name]
            if variant.idx < len(enum.variants):
                subst = dict(zip(enum.generics, ty.args, strict=False))
                return [t.substitute(f.ty, subst) for f in enum.variants[variant.idx].fields]
        return []

    def place_rty(self, place: Place) -> RTy:
        local = self.body.locals[place.local]
        rty = local.rty
        if not place.proj or rty.kind == "leaf":
            return rty
        ty = local.ty
        variant: Proj | None = None
        for p in place.proj:
            if rty.kind == "leaf":
                return LEAF
            if p.kind == "variant":
                variant = p
                continue
            if p.kind == "deref":
                rty = rty.args[0] if rty.kind == "ref" or (rty.kind == "adt" and rty.name == "Box"
                                                           and rty.args) else LEAF
            elif p.kind in ("index", "elem"):
                rty = rty.args[0] if rty.args else LEAF
            elif p.kind == "subslice":
                pass  # the same elements (their regions) as the whole
            elif rty.kind == "tuple":
                rty = rty.args[p.idx] if p.idx < len(rty.args) else LEAF
            elif rty.kind == "adt" and rty.name in ("Option", "Reverse"):
                rty = rty.args[0] if rty.args else LEAF
            elif rty.kind == "adt" and rty.name == "Result":
                which = 1 if variant is not None and variant.name == "Err" else 0
                rty = rty.args[which] if len(rty.args) > which else LEAF
            elif rty.kind == "adt":
                rty = self.field_rty(ty, rty, p.idx, variant)
            else:
                rty = LEAF
            ty = self.proj_ty(ty, p, variant)
            variant = None
        return rty

    def field_rty(self, ty: t.Ty, rty: RTy, index: int, variant: Proj | None) -> RTy:
        if not isinstance(ty, t.Adt):
            return LEAF
        generics: tuple[str, ...] = ()
        decl: t.Ty | None = None
        if ty.name in self.env.structs:
            info = self.env.structs[ty.name]
            generics = info.generics
            if index < len(info.fields):
                decl = info.fields[index].ty
        elif ty.name in self.env.enums and variant is not None:
            enum = self.env.enums[ty.name]
            generics = enum.generics
            if variant.idx < len(enum.variants) and \
                    index < len(enum.variants[variant.idx].fields):
                decl = enum.variants[variant.idx].fields[index].ty
        if decl is None:
            return LEAF
        hidden = rty.region if rty.name in self.holders else -1
        return instantiate(decl, dict(zip(generics, rty.args, strict=False)), hidden,
                           self.holders)

    # ------------------------------------------------------------ region constraints

    def edge(self, sup: int, sub: int) -> None:
        if sup >= 0 and sub >= 0 and sup != sub:
            self.edges[(sup, sub)] = None

    def relate(self, a: RTy, b: RTy, inv: bool = False) -> None:
        """Record that a value of type `a` flows into a place of type `b` (a ⊇ b)."""
        if a.kind == "leaf" or b.kind == "leaf":
            return
        if a.kind == "ref" and b.kind == "ref":
            self.edge(a.region, b.region)
            if inv:
                self.edge(b.region, a.region)
            self.relate(a.args[0], b.args[0], inv or b.mutable)
            return
        if a.kind == b.kind and len(a.args) == len(b.args) and (
                a.kind != "adt" or a.name == b.name):
            if a.region >= 0 and b.region >= 0:
                self.edge(a.region, b.region)
                if inv:
                    self.edge(b.region, a.region)
            for x, y in zip(a.args, b.args, strict=True):
                self.relate(x, y, inv or a.name in _INVARIANT)
            return
        if {a.kind, b.kind} <= {"seq", "adt"} and len(a.args) == 1 and len(b.args) == 1 and (
                a.kind == "seq" or a.name == "Vec") and (b.kind == "seq" or b.name == "Vec"):
            self.relate(a.args[0], b.args[0], inv)
            return
        for ra in a.regions():
            for rb in b.regions():
                self.edge(ra, rb)
                if inv:
                    self.edge(rb, ra)

    def reborrow_constraints(self, place: Place, region: int) -> None:
        """Borrowing through `*r` keeps what `r` borrows alive as long as the new loan."""
        if mir.DEREF not in place.proj:
            return
        for n in range(len(place.proj) - 1, -1, -1):
            if place.proj[n].kind != "deref":
                continue
            base = place.prefix(n)
            base_ty = self.place_ty(base)
            if isinstance(base_ty, t.Ref):
                self.edge(self.place_rty(base).region, region)
                if not base_ty.mutable:
                    break

    # ------------------------------------------------------------ loans

    def borrow(self, dest: Place, place: Place, mutable: bool, span: Span, kind: str,
               two_phase: bool = False, use_span: Span | None = None) -> int:
        """`dest = &place` (or `&mut`); `use_span` is where a two-phase borrow is used (a
        method call), which is where rustc reports a guard's mutable borrow."""
        if mutable and self.guard is not None:
            self.guard_access(place, use_span or span, True, span)
        loan_id = len(self.body.loans)
        region = self.body.new_region(-1)
        loan = mir.Loan(loan_id, place, mutable, two_phase, span, region, kind,
                        self.body.position(self.cur))
        self.body.loans.append(loan)
        self.holder[loan_id] = dest.local
        self.emit(mir.Assign(dest, Rvalue("ref", place=place, loan=loan_id), span))
        self.reborrow_constraints(place, region)
        borrowed = RTy("ref", region, mutable, (self.place_rty(place),))
        self.relate(borrowed, self.place_rty(dest))
        return loan_id

    def borrow_temp(self, place: Place, mutable: bool, span: Span, kind: str,
                    two_phase: bool = False, use_span: Span | None = None) -> tuple[int, int]:
        """A temporary holding `&place` / `&mut place`; returns (temp, loan)."""
        tmp = self.temp(t.Ref(self.place_ty(place), mutable))
        loan = self.borrow(Place(tmp), place, mutable, span, kind, two_phase, use_span)
        return tmp, loan

    def guard_access(self, place: Place, span: Span, mutable_borrow: bool,
                     borrow_span: Span | None = None) -> None:
        """A write or `&mut` borrow inside a match guard: E0510 on a fake-borrowed place,
        E0596 through a `ref mut` binding."""
        guard = self.guard
        if guard is None:
            return
        diag = guards.write_conflict(guard, self.body, place, span, mutable_borrow)
        if diag is None and mutable_borrow:
            diag = guards.ref_mut_use(guard, self.body, place, borrow_span or span)
        if diag is not None and not any(x.span == span for x in self.diags):
            self.diags.append(diag)

    # ------------------------------------------------------------ places and operands

    def is_place_expr(self, e: ast.Expr) -> bool:
        match e:
            case ast.Paren(inner=inner):
                return self.is_place_expr(inner)
            case ast.PathExpr():
                return isinstance(self.r.paths.get(e), LocalRes)
            case ast.Field() | ast.TupleField():
                return e in self.r.fields
            case ast.Index():
                return True
            case ast.Unary(op="*"):
                return True
        return False

    def as_place(self, e: ast.Expr, mut: bool = False) -> Place:
        match e:
            case ast.Paren(inner=inner):
                return self.as_place(inner, mut)
            case ast.PathExpr():
                res = self.r.paths.get(e)
                if isinstance(res, LocalRes):
                    sub = self.guard_subst.get(res.local)
                    if sub is not None:
                        return sub
                    return Place(self.mir_local(res.local))
            case ast.Field() | ast.TupleField():
                fr = self.r.fields.get(e)
                if fr is not None:
                    base = self.as_place(e.base, mut)
                    base = self.autoderef_place(base, self.ty(e.base), fr.derefs, mut,
                                                e.span, self.assigning)[0]
                    name = e.name if isinstance(e, ast.Field) else str(e.index)
                    return base.field(fr.index, name)
                return self.opaque(e.base)
            case ast.Unary(op="*", operand=operand):
                operand_ty = self.ty(operand)
                if isinstance(operand_ty, t.Ref) or (isinstance(operand_ty, t.Adt)
                                                     and operand_ty.name == "Box"):
                    return self.as_place(operand, mut).deref()
                if isinstance(operand_ty, t.Adt) and not isinstance(self.ty(e), t.Error):
                    return self.overloaded_deref(e, operand, mut)
                return self.opaque(operand)
            case ast.Index():
                return self.index_place(e, mut)
        return Place(self.as_temp(e))

    def overloaded_deref(self, e: ast.Unary, operand: ast.Expr, mut: bool) -> Place:
        """`*x` for a smart pointer (`Rc`, `Arc`, a `MutexGuard`, ...) is
        `*Deref::deref(&x)` (`DerefMut::deref_mut(&mut x)` where it is mutated): a borrow
        of `x`, so reading a `Copy` target copies and moving out of it is E0507."""
        write = mut
        if mut and self._read_only_guard(self.ty(operand), e.span, self.assigning):
            mut = False  # reported: no `DerefMut` (the guard itself is only read)
        base = self.as_place(operand, mut) if self.is_place_expr(operand) else \
            self.borrowed_rvalue(operand)
        if mut:
            self._check_deref_mut(self.ty(operand), e.span, self.assigning)
        tmp = self.temp(t.Ref(self.ty(e), write))
        self.body.locals[tmp].deref_of = self.ty(operand)
        self.borrow(Place(tmp), base, mut, operand.span, "autoref")
        return Place(tmp).deref()

    def opaque(self, *parts: ast.Expr) -> Place:
        """A place for an expression the type checker could not resolve: its parts are
        evaluated, the result is a fresh temporary."""
        for part in parts:
            self.as_operand(part)
        tmp = self.temp(t.ERROR)
        self.assign(Place(tmp), Rvalue("const"), parts[0].span if parts else Span(0, 0))
        return Place(tmp)

    def autoderef_place(self, place: Place, ty: t.Ty, n: int, mut: bool = False,
                        span: Span | None = None, assign: bool = False) -> tuple[Place, t.Ty]:
        for _ in range(n):
            if isinstance(ty, t.Ref):
                place, ty = place.deref(), ty.inner
            elif isinstance(ty, t.Adt) and ty.name == "Box" and ty.args:
                place, ty = place.deref(), ty.args[0]
            elif isinstance(ty, t.Adt) and ty.name == "String":
                ty = t.STR  # an overloaded deref: the borrow is of the String itself
            elif isinstance(ty, t.Adt) and ty.name == "Vec" and ty.args:
                ty = t.Slice(ty.args[0])  # likewise: a borrow of the Vec
            elif mut and isinstance(ty, t.Adt) and ty.args and \
                    self._read_only_guard(ty, at := span if span is not None else Span(0, 0),
                                          assign):
                # Reported: the guard only reads; the rest goes on as a shared borrow of it
                # (one diagnostic, as rustc's).
                tmp = self.temp(t.Ref(ty.args[0], True))
                self.body.locals[tmp].deref_of = ty
                self.borrow(Place(tmp), place, False, at, "autoref")
                place, ty = Place(tmp).deref(), ty.args[0]
            elif (target := self.user_target(ty)) is not None:
                # `w.x`, `w.len()` through a package type's `impl Deref`: the place behind
                # `Deref::deref(&w)` (`DerefMut::deref_mut(&mut w)` where it is mutated),
                # a borrow of `w`, as `*w` (overloaded_deref).
                at = span if span is not None else Span(0, 0)
                if mut:
                    self._check_deref_mut(ty, at, assign)
                tmp = self.temp(t.Ref(target, mut))
                self.body.locals[tmp].deref_of = ty
                self.borrow(Place(tmp), place, mut, at, "autoref")
                place, ty = Place(tmp).deref(), target
            else:
                break
        return place, ty

    def user_target(self, ty: t.Ty) -> t.Ty | None:
        """`Target` of a package type's `impl Deref` (None for other types)."""
        if not (isinstance(ty, t.Adt) and ty.name in self.env.type_names()):
            return None
        found = traits.impl_for(ty, "Deref", self.env)
        if found is None:
            return None
        return t.substitute(dict(found[0].assoc).get("Target", t.ERROR), found[1])

    def _read_only_guard(self, ty: t.Ty, span: Span, assign: bool) -> bool:
        """Writing through a std guard that only reads (`RwLockReadGuard`, a `RefCell`'s
        `Ref`: `Deref` without `DerefMut`): rustc's E0594 for an assignment, E0596 for a
        `&mut` borrow. True when reported."""
        while isinstance(ty, t.Ref):
            ty = ty.inner
        if not (isinstance(ty, t.Adt) and ty.name in ("RwLockReadGuard", "Ref") and
                ty.args and not self.env.is_package_type(ty.name, ty.args)):
            return False
        self._no_deref_mut(f"{ty.name}<'_, {ty.args[0]}>", span, assign)
        return True

    def _check_deref_mut(self, ty: t.Ty, span: Span, assign: bool) -> None:
        """Writing through a package type's `impl Deref` needs its `impl DerefMut`
        (rustc's E0594 for an assignment, E0596 for a `&mut` borrow)."""
        if self.user_target(ty) is None or traits.impl_for(ty, "DerefMut", self.env) is not None:
            return
        self._no_deref_mut(str(ty), span, assign)

    def _no_deref_mut(self, shown: str, span: Span, assign: bool) -> None:
        """rustc's error for writing through `shown`, which has no `DerefMut`: E0594 for
        an assignment, E0596 for a `&mut` borrow (once a place)."""
        help_ = (f"trait `DerefMut` is required to modify through a dereference, but it is "
                 f"not implemented for `{shown}`",)
        if assign:
            diag = error_diagnostic("E0594", f"cannot assign to data in dereference of "
                                    f"`{shown}`", span, "cannot assign", help=help_)
        else:
            diag = error_diagnostic("E0596", f"cannot borrow data in dereference of `{shown}` "
                                    "as mutable", span, "cannot borrow as mutable", help=help_)
        if not any(x.span == span for x in self.diags):
            self.diags.append(diag)

    def assigned_place(self, target: ast.Expr) -> Place:
        """The place an assignment writes."""
        self.assigning = True
        try:
            return self.as_place(target, mut=True)
        finally:
            self.assigning = False

    def _check_index_mut(self, e: ast.Index, indexed: t.Ty) -> None:
        """Writing through `m[k]` needs `IndexMut`, which `HashMap`, `BTreeMap` and a
        package type without an `impl IndexMut` lack (rustc's E0594 for an assignment,
        E0596 for a `&mut` borrow)."""
        if not isinstance(indexed, t.Adt):
            return
        if indexed.name in ("HashMap", "BTreeMap"):
            pass
        elif indexed.name in self.env.structs or indexed.name in self.env.enums:
            if any(impl.trait == "IndexMut" and traits.match_ty(
                    impl.self_ty, indexed, frozenset(impl.generics), {})
                    for impl in self.env.impls):
                return
        else:
            return
        shown = str(indexed)
        help_ = (f"trait `IndexMut` is required to modify indexed content, but it is not "
                 f"implemented for `{shown}`",)
        if self.assigning:
            diag = error_diagnostic("E0594", f"cannot assign to data in an index of `{shown}`",
                                    e.span, "cannot assign", help=help_)
        else:
            diag = error_diagnostic(
                "E0596", f"cannot borrow data in an index of `{shown}` as mutable", e.span,
                "cannot borrow as mutable", help=help_)
        if not any(x.span == e.span for x in self.diags):
            self.diags.append(diag)

    def index_place(self, e: ast.Index, mut: bool) -> Place:
        base_ty = self.ty(e.base)
        inner, derefs = autoderef_ty(base_ty)
        while isinstance(inner, t.Adt) and traits.impl_for(inner, "Index", self.env) is None \
                and (deref_target := self.user_target(inner)) is not None:
            # `w[i]` through `impl Deref for W` (`DerefMut` where it is written): the target's.
            inner, more = autoderef_ty(deref_target)
            derefs += 1 + more
        result_ty = self.ty(e)
        indexed = inner
        while isinstance(indexed, t.Adt) and indexed.name in builtins.DEREF_TYPES and \
                indexed.args:
            # `guard[k]` through a `MutexGuard`/`Rc`/`Ref`: `Index::index(&*guard, k)`, a
            # borrow of the guard.
            indexed = indexed.args[0]
        # `s[..5]` of a `String` is `*Index::index(&s, ..5)` too: a borrow, not a move.
        # A type of the package with an `Index` impl: `*Index::index(&grid, k)` as well.
        overloaded = (isinstance(indexed, t.Adt) and (indexed.name in (
            "Vec", "HashMap", "String", "VecDeque", "BTreeMap") or
            indexed.name in self.env.structs or indexed.name in self.env.enums)) or \
            isinstance(result_ty, t.Slice) or (indexed is not inner and
                                               isinstance(indexed, (t.Array, t.Slice)))
        if not overloaded and not isinstance(inner, (t.Array, t.Slice)):
            return self.opaque(e.base, e.index)
        if mut:
            self._check_index_mut(e, indexed)
        base = self.as_place(e.base, mut) if self.is_place_expr(e.base) else \
            Place(self.as_temp(e.base))
        base, _ = self.autoderef_place(base, base_ty, derefs, mut, e.base.span)
        if not overloaded:
            self.as_operand(e.index)
            return base.project(mir.INDEX)
        ref_tmp, _ = self.borrow_temp(base, mut, e.base.span, "index")
        index = self.as_operand(e.index, defer=True)
        out = self.temp(t.Ref(result_ty, mut))
        self.body.locals[out].index_of = inner
        self.emit(mir.Call(Place(out), (Operand("move", Place(ref_tmp), e.base.span), index),
                           e.span, Span(e.base.span.end, e.span.end), overloaded=True))
        src = self.body.locals[ref_tmp].rty
        dst = self.body.locals[out].rty
        if src.kind == "ref" and dst.kind == "ref":
            self.edge(src.region, dst.region)
            elem = src.args[0].args[0] if src.args[0].args else LEAF
            target = dst.args[0].args[0] if dst.args[0].kind == "seq" and dst.args[0].args \
                else dst.args[0]
            self.relate(elem, target, mut)
        return Place(out).deref()

    def operand_of_place(self, place: Place, span: Span, how: str = "",
                         via: Span | None = None, via_name: str = "") -> Operand:
        ty = self.place_ty(place)
        mode = "copy" if self.is_copy(ty) else "move"
        return Operand(mode, place, span, how, via, via_name)

    def deferrable(self, e: ast.Expr) -> bool:
        """Whether reading `e` can wait until the statement that consumes it: a field path of
        a user variable that holds no references (so a later read changes no liveness)."""
        while isinstance(e, (ast.Field, ast.TupleField, ast.Paren)):
            if isinstance(e, ast.Paren):
                e = e.inner
                continue
            fr = self.r.fields.get(e)
            if fr is None or fr.derefs:
                return False
            e = e.base
        if not isinstance(e, ast.PathExpr):
            return False
        res = self.r.paths.get(e)
        if not isinstance(res, LocalRes) or res.local in self.guard_subst:
            return False
        return not self.has_regions(self.r.locals[res.local].ty)

    def simple(self, e: ast.Expr) -> bool:
        """Evaluating `e` runs no code that could conflict with an earlier deferred read."""
        if isinstance(e, ast.Literal):
            return True
        if isinstance(e, ast.PathExpr) and not isinstance(self.r.paths.get(e), LocalRes):
            return True
        return self.deferrable(e)

    def operands(self, exprs: Sequence[ast.Expr]) -> list[Operand]:
        """Evaluate `exprs` left to right; plain reads are deferred to the consuming
        statement when nothing that follows them runs code."""
        n = len(exprs)
        simple_after = [True] * n  # everything after position i is simple
        for i in range(n - 2, -1, -1):
            simple_after[i] = simple_after[i + 1] and self.simple(exprs[i + 1])
        return [self.as_operand(x, defer=simple_after[i]) for i, x in enumerate(exprs)]

    def as_operand(self, e: ast.Expr, how: str = "", via: Span | None = None,
                   via_name: str = "", defer: bool = False) -> Operand:
        """Evaluate `e` now (moving or copying a place into a temporary). With `defer`, a
        plain read of a variable is returned as is, to be done by the consuming statement."""
        if isinstance(e, ast.Paren):
            return self.as_operand(e.inner, how, via, via_name, defer)
        if isinstance(e, ast.Literal):
            return mir.const(e.span)
        if isinstance(e, ast.PathExpr) and not isinstance(self.r.paths.get(e), LocalRes):
            return mir.const(e.span)
        if isinstance(e, ast.PathExpr) and self.guard is not None:
            moved = self.guard_binding_move(e)
            if moved is not None:
                return moved
        if defer and self.deferrable(e):
            return self.operand_of_place(self.as_place(e), e.span, how, via, via_name)
        ety = self.ty(e)
        tmp = self.temp(ety)
        if self.is_place_expr(e):
            place = self.as_place(e)
            op = self.operand_of_place(place, e.span, how or ("deref" if _is_deref(e) else ""),
                                       via, via_name)
            self.emit(mir.Assign(Place(tmp), Rvalue("use", (op,)), e.span))
            self.relate(self.place_rty(place), self.body.locals[tmp].rty)
        else:
            self.expr_into(Place(tmp), e)
        mode = "copy" if self.is_copy(ety) else "move"
        return Operand(mode, Place(tmp), e.span)

    def guard_binding_move(self, e: ast.PathExpr) -> Operand | None:
        """Moving a by-value binding in its guard is E0507; the guard reads it instead."""
        res = self.r.paths.get(e)
        guard = self.guard
        if not isinstance(res, LocalRes) or guard is None or res.local not in guard.by_value:
            return None
        ty = self.r.locals[res.local].ty
        if self.is_copy(ty):
            return None
        self.diags.append(guards.binding_move(guard.by_value[res.local], str(ty), e.span,
                                              traits.is_clone(ty, self.env, self._assumptions)))
        return Operand("copy", self.as_place(e), e.span)

    def as_temp(self, e: ast.Expr) -> int:
        tmp = self.temp(self.ty(e))
        self.expr_into(Place(tmp), e)
        return tmp

    def operand_rty(self, op: Operand) -> RTy:
        return self.place_rty(op.place) if op.place is not None else LEAF

    def coerce_operand(self, e: ast.Expr, target: t.Ty | None, two_phase: bool,
                       how: str = "", via_name: str = "", defer: bool = False) -> Operand:
        """An operand at a coercion site: a `&mut` place passed where a reference is expected
        is reborrowed (`&mut *r`, `&*r`) instead of moved."""
        ety = self.ty(e)
        if isinstance(target, t.Ref) and isinstance(ety, t.Ref) and ety.mutable and \
                self.is_place_expr(e):
            place = self.as_place(e).deref()
            mutable = target.mutable
            tmp, loan = self.borrow_temp(place, mutable, e.span, "reborrow",
                                         two_phase and mutable)
            if two_phase and mutable:
                self.pending.append(loan)
            return Operand("move" if mutable else "copy", Place(tmp), e.span)
        return self.as_operand(e, how, None, via_name, defer)

    # ------------------------------------------------------------ statements and blocks

    def block_into(self, dest: Place, block: ast.Block, ret_coerce: bool = False) -> None:
        self.scopes.append([])
        for stmt in block.stmts:
            self.stmt(stmt)
        if block.tail is not None:
            if ret_coerce:
                self.value_into(dest, block.tail, self.ret_ty)
            else:
                self.expr_into(dest, block.tail)
        end = Span(max(block.span.end - 1, block.span.start), block.span.end)
        self.storage_dead(self.scopes.pop(), end)

    def stmt(self, stmt: ast.Stmt) -> None:
        outer, self.stmt_temps = self.stmt_temps, []
        outer_in_let = self.in_let
        match stmt:
            case ast.Let():
                self.in_let = True
                self.let(stmt)
            case ast.ExprStmt(expr=expr):
                self.in_let = False
                tmp = self.temp(self.ty(expr))
                self.expr_into(Place(tmp), expr)
            case ast.ItemStmt():
                pass
        # Temporaries are dropped at the end of the statement that created them.
        self.storage_dead(self.stmt_temps, Span(max(stmt.span.end - 1, stmt.span.start),
                                                stmt.span.end))
        self.stmt_temps = outer
        self.in_let = outer_in_let

    def borrowed_rvalue(self, e: ast.Expr) -> Place:
        """A temporary holding the value of `e`, about to be borrowed. It dies at the end of
        the enclosing statement, or of the block when the borrow is lifetime-extended."""
        tmp = self.as_temp(e)
        self.body.locals[tmp].rvalue_of = e.span
        self.body.locals[tmp].in_let = self.in_let
        if _promoted(e, self.r.paths):
            pass  # a constant: Rust promotes it to a `'static`, which never dies
        elif id(e) in self.extended and self.scopes:
            self.scopes[-1].append(tmp)
        else:
            self.stmt_temps.append(tmp)
        return Place(tmp)

    def mark_extended(self, e: ast.Expr) -> None:
        """Rust's extending expressions: the operand of a borrow in a `let` initialiser,
        and the same through tuples, arrays, struct literals, casts, parentheses and block
        tails (the Rust reference's "temporary lifetime extension")."""
        match e:
            case ast.Borrow(operand=operand):
                self.extended.add(id(operand))
                self.mark_extended(operand)
            case ast.Paren(inner=inner):
                self.mark_extended(inner)
            case ast.Cast(expr=inner):
                self.mark_extended(inner)
            case ast.TupleExpr(elems=elems) | ast.ArrayExpr(elems=elems):
                for elem in elems:
                    self.mark_extended(elem)
            case ast.StructLit(fields=fields):
                for f in fields:
                    self.mark_extended(f.value)
            case ast.Block(tail=tail) if tail is not None:
                self.mark_extended(tail)

    def let(self, let: ast.Let) -> None:
        pat = let.pat
        if let.init is None:
            self.body.deferred_init = True
            for ident in self.pattern_idents(pat):
                uid = self.r.bindings.get(ident)
                if uid is not None:
                    self.mir_local(uid)
            return
        init = let.init
        self.mark_extended(init)
        if isinstance(pat, ast.IdentPat) and pat.sub is None and not pat.by_ref and \
                pat in self.r.bindings:
            uid = self.r.bindings[pat]
            declared = self.r.locals[uid].ty if let.ty is not None else None
            # The binding comes into scope after its initialiser is evaluated.
            dest = self.new_binding_local(uid)
            self.let_init = init
            self.value_into(Place(dest), init, declared)
            self.let_init = None
            self.declare(dest)
            return
        if self.is_place_expr(init):
            place = self.as_place(init, mut=self.pattern_borrows_mut(pat))
        else:
            place = Place(self.as_temp(init))
        ty = self.ty(init)
        self.set_scrutinee(init)
        if let.else_block is not None:
            else_block = self.make_block()
            self.pattern_test(pat, place, ty, else_block)
            ok = self.cur
            self.cur = else_block
            tmp = self.temp(t.NEVER)
            self.block_into(Place(tmp), let.else_block)
            self.terminate(mir.Unreachable())
            self.cur = ok
        self.set_scrutinee(init)
        self.bind_pattern(pat, place, ty)

    def new_binding_local(self, uid: int) -> int:
        """A binding's local, created before it is in scope (`let x = x + 1`)."""
        m = self.body.user_to_mir.get(uid)
        if m is not None:
            return m
        lc = self.r.locals[uid]
        m = self.new_local(lc.name, lc.ty, lc.mutable, lc.span, lc.kind, uid)
        self.body.user_to_mir[uid] = m
        return m

    def declare(self, m: int) -> None:
        if self.scopes and m not in self.scopes[-1]:
            self.scopes[-1].append(m)

    def value_into(self, dest: Place, e: ast.Expr, target: t.Ty | None) -> None:
        """`dest = e` at a coercion site whose expected type is `target`."""
        ety = self.ty(e)
        if isinstance(target, t.Ref) and isinstance(ety, t.Ref) and ety.mutable and \
                self.is_place_expr(e):
            place = self.as_place(e).deref()
            self.borrow(dest, place, target.mutable, e.span, "reborrow")
            return
        self.expr_into(dest, e)

    def pattern_idents(self, pat: ast.Pat) -> list[ast.IdentPat]:
        out: list[ast.IdentPat] = []

        def walk(p: ast.Pat) -> None:
            match p:
                case ast.IdentPat(sub=sub):
                    out.append(p)
                    if sub is not None:
                        walk(sub)
                case ast.TuplePat(elems=elems) | ast.TupleStructPat(elems=elems) | \
                        ast.SlicePat(elems=elems):
                    for x in elems:
                        walk(x)
                case ast.StructPat(fields=fields):
                    for f in fields:
                        walk(f.pat)
                case ast.RefPat(inner=inner):
                    walk(inner)
                case ast.OrPat(alts=alts):
                    for a in alts:
                        walk(a)
        walk(pat)
        return out

    def pattern_borrows_mut(self, pat: ast.Pat) -> bool:
        for ident in self.pattern_idents(pat):
            uid = self.r.bindings.get(ident)
            if uid is None:
                continue
            lt = self.r.locals[uid]
            if lt.by_ref and isinstance(lt.ty, t.Ref) and lt.ty.mutable:
                return True
        return False

    # ------------------------------------------------------------ expressions

    def expr_into(self, dest: Place, e: ast.Expr) -> None:
        kind = type(e)
        method = _DISPATCH.get(kind)
        if method is None:
            found: Callable[[Builder, Place, Any], None] = getattr(
                Builder, "_into_" + kind.__name__, _ignore)
            _DISPATCH[kind] = method = found
        method(self, dest, e)

    def assign(self, dest: Place, rv: Rvalue, span: Span) -> None:
        self.emit(mir.Assign(dest, rv, span))

    def _into_Literal(self, dest: Place, e: ast.Literal) -> None:
        self.assign(dest, Rvalue("const"), e.span)

    def _into_Paren(self, dest: Place, e: ast.Paren) -> None:
        self.expr_into(dest, e.inner)

    def _into_PathExpr(self, dest: Place, e: ast.PathExpr) -> None:
        if isinstance(self.r.paths.get(e), LocalRes):
            self.place_into(dest, e)
        else:
            self.assign(dest, Rvalue("const"), e.span)

    def place_into(self, dest: Place, e: ast.Expr) -> None:
        place = self.as_place(e)
        how = "deref" if _is_deref(e) else "let" if e is self.let_init else ""
        op = self.operand_of_place(place, e.span, how)
        self.assign(dest, Rvalue("use", (op,)), e.span)
        self.relate(self.place_rty(place), self.place_rty(dest))

    # (Methods of their own, not aliases: a compiled build (mypyc) keeps only methods.)
    def _into_Field(self, dest: Place, e: ast.Field) -> None:
        self.place_into(dest, e)

    def _into_TupleField(self, dest: Place, e: ast.TupleField) -> None:
        self.place_into(dest, e)

    def _into_Index(self, dest: Place, e: ast.Index) -> None:
        self.place_into(dest, e)

    def _into_Unary(self, dest: Place, e: ast.Unary) -> None:
        if e.op == "*":
            self.place_into(dest, e)
            return
        op = self.as_operand(e.operand, defer=True)
        self.assign(dest, Rvalue("op", (op,)), e.span)

    def _into_Borrow(self, dest: Place, e: ast.Borrow) -> None:
        if self.is_place_expr(e.operand):
            place = self.as_place(e.operand, e.mutable)
        else:
            place = self.borrowed_rvalue(e.operand)
        self.borrow(dest, place, e.mutable, e.span, "explicit")

    def _into_Cast(self, dest: Place, e: ast.Cast) -> None:
        op = self.as_operand(e.expr, defer=True)
        self.assign(dest, Rvalue("op", (op,)), e.span)

    def _into_Binary(self, dest: Place, e: ast.Binary) -> None:
        if e.op in ("&&", "||"):
            lhs = self.as_operand(e.lhs)
            rhs_block = self.make_block()
            short = self.make_block()
            join = self.make_block()
            targets = (rhs_block, short) if e.op == "&&" else (short, rhs_block)
            self.terminate(mir.Switch(targets, e.lhs.span))
            _ = lhs
            self.cur = rhs_block
            self.expr_into(dest, e.rhs)
            self.goto(join)
            self.cur = short
            self.assign(dest, Rvalue("const"), e.span)
            self.goto(join)
            self.cur = join
            return
        lty = self.ty(e.lhs)
        if e.op in _CMP and not (self.is_copy(lty) and self.is_copy(self.ty(e.rhs))):
            # `a == b` is `PartialEq::eq(&a, &b)`: both sides are borrowed (`s == v` with
            # `s: &[u8]`, `v: Vec<u8>` too).
            a = self.borrowed_operand(e.lhs)
            b = self.borrowed_operand(e.rhs)
            self.emit(mir.Call(dest, (a, b), e.span, e.op_span))
            return
        if isinstance(lty, t.Adt) and lty.name == "String":
            # `a + b` is `Add::add(a, b)`: the left-hand String is moved.
            a = self.as_operand(e.lhs, "operator", e.span, defer=self.simple(e.rhs))
            b = self.as_operand(e.rhs, defer=True)
            self.emit(mir.Call(dest, (a, b), e.span, e.op_span))
            return
        a, b = self.operands((e.lhs, e.rhs))
        self.assign(dest, Rvalue("op", (a, b)), e.span)

    def borrowed_operand(self, e: ast.Expr, kind: str = "autoref") -> Operand:
        place = self.as_place(e) if self.is_place_expr(e) else Place(self.as_temp(e))
        tmp, _ = self.borrow_temp(place, False, e.span, kind)
        return Operand("copy", Place(tmp), e.span)

    def _into_Assign(self, dest: Place, e: ast.Assign) -> None:
        target_ty = self.ty(e.target)
        value_ty = self.ty(e.value)
        if isinstance(target_ty, t.Ref) and isinstance(value_ty, t.Ref) and \
                value_ty.mutable and self.is_place_expr(e.value):
            src = self.as_place(e.value).deref()
            tmp, _ = self.borrow_temp(src, target_ty.mutable, e.value.span, "reborrow")
            op = Operand("move" if target_ty.mutable else "copy", Place(tmp), e.value.span)
        else:
            op = self.as_operand(e.value, defer=self.simple(e.target))
        place = self.assigned_place(e.target)
        self.guard_access(place, e.span, False)
        # Assigning a value with a destructor drops the old value first: rustc reports
        # conflicts of that drop at the assigned place rather than the whole assignment.
        target_span = e.target.span if needs_drop(target_ty, self.env) else None
        self.emit(mir.Assign(place, Rvalue("use", (op,)), e.span, user=True,
                             target_span=target_span))
        self.relate(self.operand_rty(op), self.place_rty(place))

    def _into_CompoundAssign(self, dest: Place, e: ast.CompoundAssign) -> None:
        tty = self.ty(e.target)
        vty = self.ty(e.value)
        if not (_scalar(tty) and _scalar(vty)):
            # An overloaded operator (`s += "x"`, `n += &m`): `AddAssign::add_assign(&mut
            # target, value)`, whose `&mut` is a two-phase borrow.
            place = self.as_place(e.target, mut=True)
            tmp, loan = self.borrow_temp(place, True, e.target.span, "autoref", True, e.span)
            self.pending.append(loan)
            value = self.as_operand(e.value, defer=True)
            self.pending.remove(loan)
            self.emit(mir.Call(Place(self.temp(t.UNIT)),
                               (Operand("move", Place(tmp), e.target.span), value),
                               e.span, e.span, (loan,)))
            return
        value = self.as_operand(e.value, defer=self.simple(e.target))
        place = self.assigned_place(e.target)
        self.guard_access(place, e.span, False)
        read = Operand("copy", place, e.span)
        self.emit(mir.Assign(place, Rvalue("op", (read, value)), e.span, user=True))

    def _into_Range(self, dest: Place, e: ast.Range) -> None:
        ops = self.operands([x for x in (e.lo, e.hi) if x is not None])
        self.aggregate(dest, ops, e.span)

    def _into_TupleExpr(self, dest: Place, e: ast.TupleExpr) -> None:
        if not e.elems:
            self.assign(dest, Rvalue("const"), e.span)
            return
        ops = self.operands(e.elems)
        self.aggregate(dest, ops, e.span)

    def _into_ArrayExpr(self, dest: Place, e: ast.ArrayExpr) -> None:
        ops = self.operands(e.elems)
        self.aggregate(dest, ops, e.span)

    def _into_ArrayRepeat(self, dest: Place, e: ast.ArrayRepeat) -> None:
        ops = self.operands((e.value, e.count))
        self.aggregate(dest, ops, e.span)

    def aggregate(self, dest: Place, ops: Sequence[Operand], span: Span) -> None:
        self.assign(dest, Rvalue("agg", tuple(ops)), span)
        drty = self.place_rty(dest)
        if drty.kind == "leaf":
            return
        for i, op in enumerate(ops):
            src = self.operand_rty(op)
            if drty.kind == "tuple" and i < len(drty.args):
                self.relate(src, drty.args[i])
            elif drty.kind in ("seq", "adt") and len(drty.args) == 1 and (
                    drty.kind == "seq" or drty.name in ("Vec", "Option", "Box", "Range",
                                                        "RangeInclusive", "VecDeque")):
                self.relate(src, drty.args[0])
            else:
                self.relate(src, drty)

    def _into_StructLit(self, dest: Place, e: ast.StructLit) -> None:
        ops = self.operands([f.value for f in e.fields])
        if e.base is not None:
            base = self.as_place(e.base) if self.is_place_expr(e.base) else \
                Place(self.as_temp(e.base))
            given = {f.name for f in e.fields}
            names = self.struct_field_names(self.ty(e))
            for i, name in enumerate(names):
                if name not in given:
                    ops.append(self.operand_of_place(base.field(i, name), e.span, "update"))
        captures.struct_fields_static(self, e, ops)
        self.aggregate(dest, ops, e.span)

    def struct_field_names(self, ty: t.Ty) -> list[str]:
        if isinstance(ty, t.Adt) and ty.name in self.env.structs:
            return [f.name or str(i) for i, f in enumerate(self.env.structs[ty.name].fields)]
        return []

    def _into_MacroCall(self, dest: Place, e: ast.MacroCall) -> None:
        name = e.name
        if name == "vec":
            ops = self.operands(e.repeat) if e.repeat is not None else self.operands(e.args)
            self.aggregate(dest, ops, e.span)
            return
        fs = self.r.formats.get(e)
        pre: list[Operand] = []
        if name in ("assert", "debug_assert"):
            if e.args:
                pre.append(self.as_operand(e.args[0]))
            fmt_args: Sequence[ast.Expr] = fs.args if fs else e.args[2:]
        elif name in ("assert_eq", "assert_ne", "debug_assert_eq", "debug_assert_ne"):
            for a in e.args[:2]:
                pre.append(self.borrowed_operand(a, "format"))
            fmt_args = fs.args if fs else e.args[3:]
        elif name in _FORMAT_MACROS:
            fmt_args = fs.args if fs else e.args[1:]
        else:
            fmt_args = ()
            pre = self.operands(e.args)
        ops = pre + [self.borrowed_operand(a, "format") for a in fmt_args]
        self.emit(mir.Call(dest, tuple(ops), e.span, e.name_span))
        if name in _DIVERGING_MACROS:
            self.terminate(mir.Unreachable())
            self.diverge()

    # ---------------------------------------------------------------- calls

    def _into_Call(self, dest: Place, e: ast.Call) -> None:
        method_call = self.r.path_calls.get(e)
        if method_call is not None:
            self._into_MethodCall(dest, method_call)  # `PartialEq::eq(&a, &b)`: `(&a).eq(&b)`
            return
        callee = e.callee
        res = self.r.paths.get(callee) if isinstance(callee, ast.PathExpr) else None
        if isinstance(res, (VariantRes, StructRes)):
            ops = self.operands(e.args)
            self.aggregate(dest, ops, e.span)
            return
        sig = self.fn_sig(res)
        callee_ty = self.ty(callee)
        if sig is None and isinstance(res, AssocFnRes) and res.builtin and \
                isinstance(callee_ty, t.FnPtr):
            # A std function (`mem::replace(x, v)`, `mem::take(x)`): its instantiated
            # signature, so a `&mut` argument is reborrowed, not moved.
            sig = Sig(callee_ty.params, callee_ty.ret, None)
        if sig is None and not isinstance(res, (FnRes, AssocFnRes)) and \
                (called := _call_sig(callee_ty)) is not None:
            # A closure, `fn` pointer or `Box<dyn Fn(&mut T)>` value: its parameter types,
            # so a `&mut` argument is reborrowed (`hook(req)` in a loop), not moved.
            sig = Sig(called.params, called.ret, None)
        call_kind = self.r.call_kinds.get(e)
        if call_kind in ("Fn", "FnMut") and self.is_place_expr(callee):
            # Calling an `Fn`/`FnMut` closure borrows it; only `FnOnce` consumes it.
            place = self.as_place(callee)
            while isinstance(self.place_ty(place), t.Ref):
                place = place.deref()
            self.borrow_temp(place, call_kind == "FnMut", callee.span, "call")
        elif call_kind == "FnOnce":
            # Calling an `FnOnce` closure moves it.
            self.as_operand(callee, "call", e.span, captures.moved_capture(self, callee))
        elif sig is None and not isinstance(res, (FnRes, AssocFnRes, ConstRes)):
            self.as_operand(callee)
        via_name = ""
        if isinstance(res, FnRes):
            via_name = res.name
        elif isinstance(res, AssocFnRes) and not res.builtin:
            via_name = f"{res.owner}::{res.name}"
        ops = self.call_args(e.args, sig, 0, via_name)
        activates = tuple(self.pending_since(ops))
        self.emit(mir.Call(dest, tuple(ops), e.span, callee.span, activates))
        self.call_flows(sig, ops, dest)
        self.channel_ends(dest)

    def sent(self, sender: Operand, value: Operand) -> None:
        """`tx.send(v)`: `v` becomes a `T` of the channel, so what it borrows must
        outlive the channel's `T` (the one its `Receiver` hands out)."""
        srty = self.operand_rty(sender)
        while srty.kind == "ref" and srty.args:
            srty = srty.args[0]
        if srty.kind == "adt" and srty.name == "Sender" and len(srty.args) == 1:
            self.relate(self.operand_rty(value), srty.args[0])

    def channel_ends(self, dest: Place) -> None:
        """`mpsc::channel()`'s two ends carry one `T`: a reference sent on the `Sender`
        is the one the `Receiver` gives (so a receiver moved into a thread needs `'static`
        references sent to it)."""
        drty = self.place_rty(dest)
        if drty.kind == "tuple" and [a.name for a in drty.args] == ["Sender", "Receiver"] \
                and all(len(a.args) == 1 for a in drty.args):
            self.relate(drty.args[0].args[0], drty.args[1].args[0], inv=True)

    def pending_since(self, ops: Sequence[Operand]) -> list[int]:
        """Pop the two-phase reservations made for `ops`; the call activates them."""
        temps = {op.place.local for op in ops if op.place is not None and op.place.is_local}
        active: list[int] = []
        for loan in list(self.pending):
            holder = self.loan_holder(loan)
            if holder in temps:
                self.pending.remove(loan)
                active.append(loan)
        return active

    def loan_holder(self, loan: int) -> int:
        return self.holder.get(loan, -1)

    def call_args(self, args: Sequence[ast.Expr], sig: Sig | None, offset: int,
                  via_name: str = "") -> list[Operand]:
        ops: list[Operand] = []
        for i, a in enumerate(args):
            target: t.Ty | None = None
            if sig is not None and i + offset < len(sig.params):
                target = sig.params[i + offset]
                if isinstance(target, t.Param) and target.name in sig.owner_generics:
                    target = self.ty(a)
            defer = all(self.simple(x) for x in args[i + 1:])
            ops.append(self.coerce_operand(a, target, True, "arg" if via_name else "",
                                           via_name, defer))
        return ops

    def _into_MethodCall(self, dest: Place, e: ast.MethodCall) -> None:
        operator = self.r.operator_calls.get(e)
        if operator is not None:
            self.expr_into(dest, operator)  # `a.add(b)`: `a + b`
            return
        res = self.r.methods.get(e)
        recv = e.receiver
        if res is None:
            ops = self.operands((recv, *e.args))
            self.emit(mir.Call(dest, tuple(ops), e.span, e.name_span))
            self.call_flows(None, ops, dest)
            return
        recv_ty = self.ty(recv)
        loan = -1
        call_span = Span(e.name_span.start, e.span.end)
        if res.builtin and res.owner == "Iter" and res.name == "by_ref" and \
                res.autoref == "&mut":
            # `it.by_ref()` is `&mut it` (`fn by_ref(&mut self) -> &mut Self`): a borrow whose
            # referent keeps its regions (its items borrow what `it` borrows, not the loan).
            place = self.as_place(recv, True) if self.is_place_expr(recv) else \
                self.borrowed_rvalue(recv)
            place, _ = self.autoderef_place(place, recv_ty, res.derefs, True, recv.span)
            self.borrow(dest, place, True, e.span, "autoref")
            return
        if res.autoref in ("&", "&mut"):
            mutable = res.autoref == "&mut"
            if self.is_place_expr(recv):
                place = self.as_place(recv, mutable)
            else:
                place = self.borrowed_rvalue(recv)
            place, _ = self.autoderef_place(place, recv_ty, res.derefs, mutable, recv.span)
            two_phase = mutable and not (res.builtin and res.owner == "Vec"
                                         and res.name in _SLICE_MUT_METHODS)
            tmp, loan = self.borrow_temp(place, mutable, recv.span, "autoref", two_phase,
                                         e.span if two_phase else None)
            if two_phase:
                self.pending.append(loan)
            self_op = Operand("move" if mutable else "copy", Place(tmp), recv.span)
        elif res.derefs == 0 and res.builtin and res.owner == "Iter" and \
                isinstance(recv_ty, t.Ref) and recv_ty.mutable:
            # `r.take(2)` with `r: &mut I`: the adapter consumes a reborrow `&mut *r` (rustc's
            # adjustment of a `&mut` receiver), so `r` is usable afterwards. The checker's
            # iterator types have no region for the iterator itself, only for its items,
            # which borrow what `*r` borrows, not `r`: the iterator is read through `r`
            # (a loan of `*r` would be held by every item collected from it). So an adapter
            # still alive when `r` is used again (E0499 for rustc) is not reported.
            held = self.as_place(recv) if self.is_place_expr(recv) else \
                Place(self.as_temp(recv))  # (`it.by_ref().take(2)`: the `&mut` of `by_ref`)
            self_op = Operand("copy", held.deref(), recv.span)
        elif res.derefs == 0:
            self_op = self.as_operand(recv, "method", call_span, self.method_path(res, recv_ty),
                                      all(self.simple(a) for a in e.args))
        else:
            place = self.as_place(recv) if self.is_place_expr(recv) else \
                Place(self.as_temp(recv))
            place, _ = self.autoderef_place(place, recv_ty, res.derefs, False, recv.span)
            op = self.operand_of_place(place, recv.span, "method", call_span,
                                       self.method_path(res, recv_ty))
            tmp = self.temp(self.place_ty(place))
            self.emit(mir.Assign(Place(tmp), Rvalue("use", (op,)), recv.span))
            self.relate(self.place_rty(place), self.body.locals[tmp].rty)
            self_op = Operand(op.mode, Place(tmp), recv.span)
        sig = self.method_sig(res)
        via_name = f"{res.owner}::{res.name}" if not res.builtin else ""
        scoped = res.builtin and res.owner == "Scope" and res.name == "spawn"
        if scoped:
            self.scoped_closures.update(a for a in e.args if isinstance(a, ast.Closure))
        ops = [self_op, *self.call_args(e.args, sig, 1, via_name)]
        if res.builtin and res.owner == "Sender" and res.name == "send" and len(ops) == 2:
            self.sent(ops[0], ops[1])
        if scoped:
            # A scoped thread runs until the scope ends, whatever becomes of its handle:
            # what its closure borrows stays borrowed to the end of the scope's closure.
            for op in ops[1:]:
                captures.outlives(self, self.operand_rty(op), op.span, "'scope")
        activates = self.pending_since(ops)
        if loan >= 0 and loan in self.pending:
            self.pending.remove(loan)
            activates.append(loan)
        self.emit(mir.Call(dest, tuple(ops), e.span, e.name_span, tuple(activates)))
        # `Chars::as_str(&self) -> &'a str`: the text the iterator borrows, not the iterator.
        self.call_flows(sig, ops, dest,
                        res.builtin and (res.owner, res.name) == ("Iter", "as_str"))

    def method_path(self, res: MethodRes, recv_ty: t.Ty) -> str:
        if not res.builtin:
            return f"{res.owner}::{res.name}"
        if res.owner in ("Vec", "Option"):
            return f"{res.owner}::<T>::{res.name}"
        if res.owner == "String":
            return f"String::{res.name}"
        return res.name

    # ---------------------------------------------------------------- signatures

    def fn_sig(self, res: object) -> Sig | None:
        if isinstance(res, FnRes):
            sig = self.env.fns.get(res.name) if res.nested_at < 0 else None
            if sig is None or sig.unknown_params:
                return None
            return Sig(sig.params, sig.ret, None, sources=lifetime_sources(sig.decl),
                       closure_results=closure_results(sig, 0),
                       holders=lifetime_holders(sig.decl))
        if isinstance(res, AssocFnRes):
            if res.builtin:
                owner = res.owner
                # (`Arc::clone(&a)`: a new handle to what `a` holds, not a borrow of `a`)
                m = builtins.lookup(owner, res.name, generic_self(owner)) if owner in (
                    "Vec", "String", "str", "Option", "Arc", "Rc") else None
                if m is None:
                    return None
                return Sig(m.params, m.ret, None)
            msig = self.env.methods.get(res.owner, {}).get(res.name)
            self_ty = self.owner_type(res.owner)
            if msig is None:
                # `Bump::bump(c)`, `T::bump(c)`: the trait's signature (its `&mut Self`
                # makes a `&mut` argument a reborrow, as rustc's coercion does).
                msig = self._trait_method(res.owner, res.name)
                self_ty = t.Param("Self")
            if msig is None or msig.unknown_params:
                return None
            params = msig.params
            if msig.self_kind is not None:
                sp: t.Ty = self_ty if msig.self_kind == "value" else \
                    t.Ref(self_ty, msig.self_kind == "ref_mut")
                params = (sp, *params)
            return Sig(params, msig.ret, msig.self_kind, sources=lifetime_sources(msig.decl),
                       closure_results=closure_results(msig, int(msig.self_kind is not None)),
                       holders=lifetime_holders(msig.decl))
        return None

    def _trait_method(self, owner: str, name: str) -> FnSig | None:
        """A trait's method called by path: through the trait, or through a type parameter
        (or other type) when exactly one of the package's traits has a method of the name."""
        info = self.env.traits.get(owner)
        if info is not None:
            return info.methods.get(name)
        found = [tr.methods[name] for tr in self.env.traits.values() if name in tr.methods]
        return found[0] if len(found) == 1 else None

    def owner_type(self, owner: str) -> t.Ty:
        generics: tuple[str, ...] = ()
        if owner in self.env.structs:
            generics = self.env.structs[owner].generics
        elif owner in self.env.enums:
            generics = self.env.enums[owner].generics
        return t.Adt(owner, tuple(t.Param(g) for g in generics))

    def method_sig(self, res: MethodRes) -> Sig | None:
        if res.builtin:
            return builtin_method_sig(res.owner, res.name)
        msig = self.env.methods.get(res.owner, {}).get(res.name)
        self_ty = self.owner_type(res.owner)
        if msig is None and res.owner in self.env.traits:
            # `p.choose(xs)` with `p: &dyn Policy` (or a bound): the trait's signature, so
            # a `&mut Vec` argument for its `&[T]` is reborrowed, not moved.
            msig = self.env.traits[res.owner].methods.get(res.name)
            self_ty = t.Param("Self")
        if msig is None or msig.self_kind is None or msig.unknown_params:
            return None
        generics = frozenset(p.name for p in self_ty.args if isinstance(p, t.Param)) \
            if isinstance(self_ty, t.Adt) else frozenset()
        return _with_self(self_ty, msig.self_kind, msig.params, msig.ret, generics,
                          lifetime_sources(msig.decl), closure_results(msig, 1),
                          lifetime_holders(msig.decl))

    # ---------------------------------------------------------------- region flow of calls

    def call_flows(self, sig: Sig | None, ops: Sequence[Operand], dest: Place,
                   from_iterated: bool = False) -> None:
        """The regions of the call's result, from its arguments' by the signature (lifetime
        elision); `from_iterated`: a reference result borrows what the receiver iterator
        borrows."""
        drty = self.place_rty(dest)
        if sig is None:
            if drty.kind == "leaf":
                return
            for op in ops:
                self.relate(self.operand_rty(op), drty)
            return
        insts: dict[str, RTy] = {}
        iter_regions: list[int] = []
        elided: list[int] = []
        self_region: list[int] = []
        named: list[int] = []  # the regions of the arguments whose lifetime the result has
        # The hidden regions of the reference holders among the arguments (`self` of
        # `impl<'t> Parser<'t>`): a lifetime no argument's reference carries is theirs.
        held: list[int] = []
        for i, (pty, op) in enumerate(zip(sig.params, ops, strict=False)):
            arty = self.operand_rty(op)
            if captures.static_dyn(pty):
                captures.require_static(self, arty, op.span, pty)
            regions: list[int] = []
            if isinstance(pty, t.Adt) and pty.name in builtins.CALLABLE_TRAITS and \
                    arty.kind == "adt" and arty.name.startswith("{closure#"):
                arty = _through_captured_refs(arty)
            arg_held: list[int] = []
            self.match_sig(pty, arty, insts, iter_regions, regions, False, arg_held)
            held.extend(arg_held)
            if i == 0 and sig.self_kind in ("ref", "ref_mut"):
                self_region = regions[:1]
            elided.extend(regions)
            if sig.sources is not None and i in sig.sources:
                named.extend(regions)
            if i in sig.holders:
                named.extend(arg_held)
        if drty.kind == "leaf":
            return
        sources = named if sig.sources is not None else self_region or elided
        if sig.sources == () and not sig.holders:
            sources = held
        if from_iterated:
            sources = iter_regions
        free: dict[str, list[int]] = {}
        for name, indices in sig.closure_results:
            closures = [self.operand_rty(ops[i]) for i in indices if i < len(ops)]
            if all(c.kind == "adt" and c.name.startswith("{closure#") for c in closures):
                free[name] = [r for c in closures for r in _closure_result_regions(c)]
        self.flow_out(sig.ret, drty, insts, iter_regions, sources, False, free)

    def match_sig(self, pty: t.Ty, arty: RTy, insts: dict[str, RTy], iter_regions: list[int],
                  regions: list[int], inv: bool, held: list[int] | None = None) -> None:
        if arty.kind == "leaf":
            return
        match pty:
            case t.Param(name):
                inst = insts.get(name)
                if inst is None:
                    inst = self.fresh_like(arty)
                    insts[name] = inst
                self.relate(arty, inst, inv)
                return
            case t.Ref(inner, mutable):
                if arty.kind == "ref":
                    regions.append(arty.region)
                    self.match_sig(inner, arty.args[0], insts, iter_regions, regions,
                                   inv or mutable, held)
                    return
            case t.Adt(name, args):
                if arty.kind == "adt" and len(args) == len(arty.args):
                    if name == "Iter" and arty.region >= 0:
                        iter_regions.append(arty.region)
                    elif name == "Entry" and arty.region >= 0:
                        # `or_insert(self) -> &'a mut V`: the map the entry borrows.
                        regions.append(arty.region)
                    elif name in self.holders and arty.region >= 0 and held is not None:
                        held.append(arty.region)
                    for pa, aa in zip(args, arty.args, strict=True):
                        self.match_sig(pa, aa, insts, iter_regions, regions, inv, held)
                    return
                if arty.kind == "seq" and len(args) == 1:
                    self.match_sig(args[0], arty.args[0], insts, iter_regions, regions, inv, held)
                    return
            case t.Tuple(elems):
                if arty.kind == "tuple" and len(elems) == len(arty.args):
                    for pa, aa in zip(elems, arty.args, strict=True):
                        self.match_sig(pa, aa, insts, iter_regions, regions, inv, held)
                    return
            case t.Array(elem, _) | t.Slice(elem):
                if arty.args:
                    self.match_sig(elem, arty.args[0], insts, iter_regions, regions, inv, held)
                    return
            case t.Str():
                return
        regions.extend(arty.regions())

    def flow_out(self, ret: t.Ty, drty: RTy, insts: dict[str, RTy], iter_regions: list[int],
                 sources: list[int], inv: bool, free: dict[str, list[int]] | None = None
                 ) -> None:
        """`free`: the regions of the closures that alone give a type parameter
        (`Sig.closure_results`)."""
        if drty.kind == "leaf":
            return
        match ret:
            case t.Param(name):
                inst = insts.get(name)
                if inst is not None:
                    self.relate(inst, drty, inv)
                    return
                if free is not None and name in free:
                    for s in free[name]:
                        for d in drty.regions():
                            self.edge(s, d)
                    return
            case t.Ref(inner, mutable):
                if drty.kind == "ref":
                    for s in sources:
                        self.edge(s, drty.region)
                    self.flow_out(inner, drty.args[0], insts, iter_regions, sources,
                                  inv or mutable, free)
                    return
            case t.Adt(name, args):
                if drty.kind == "adt" and len(args) == len(drty.args):
                    if drty.region >= 0:
                        for s in (iter_regions or sources):
                            self.edge(s, drty.region)
                    for pa, da in zip(args, drty.args, strict=True):
                        self.flow_out(pa, da, insts, iter_regions, sources, inv, free)
                    return
            case t.Tuple(elems):
                if drty.kind == "tuple" and len(elems) == len(drty.args):
                    for pa, da in zip(elems, drty.args, strict=True):
                        self.flow_out(pa, da, insts, iter_regions, sources, inv, free)
                    return
            case t.Array(elem, _) | t.Slice(elem):
                if drty.args:
                    self.flow_out(elem, drty.args[0], insts, iter_regions, sources, inv, free)
                    return
        everything = list(sources) + iter_regions
        for inst in insts.values():
            everything.extend(inst.regions())
        for s in everything:
            for d in drty.regions():
                self.edge(s, d)

    # ---------------------------------------------------------------- control flow

    def _into_Block(self, dest: Place, e: ast.Block) -> None:
        self.block_into(dest, e)

    def branch_on(self, cond: ast.Expr | ast.LetCond, taken: int, not_taken: int) -> None:
        """Evaluate an `if`/`while` condition and continue in `taken` when it holds (with
        the bindings of a `let` condition made), else in `not_taken`."""
        if isinstance(cond, ast.LetCond):
            place, ty = self.scrutinee(cond.expr, cond.pat)
            self.set_scrutinee(cond.expr)
            self.pattern_test(cond.pat, place, ty, not_taken)
            self.goto(taken)
            self.cur = taken
            self.set_scrutinee(cond.expr)
            self.bind_pattern(cond.pat, place, ty)
        else:
            # A condition is a temporary scope of its own: what it creates dies before
            # either branch runs (unlike an `if let` scrutinee's temporaries).
            self.in_temporary_scope(cond)
            self.terminate(mir.Switch((taken, not_taken), cond.span))
            self.cur = taken

    def in_temporary_scope(self, e: ast.Expr) -> None:
        """Evaluate `e` (an `if`/`while` condition, a match guard); its borrowed
        temporaries die at its end."""
        outer, self.stmt_temps = self.stmt_temps, []
        outer_in_let, self.in_let = self.in_let, False
        self.as_operand(e)
        self.storage_dead(self.stmt_temps, Span(max(e.span.end - 1, e.span.start),
                                                e.span.end))
        self.stmt_temps = outer
        self.in_let = outer_in_let

    def _into_If(self, dest: Place, e: ast.If) -> None:
        then_block = self.make_block()
        else_block = self.make_block()
        join = self.make_block()
        self.scopes.append([])
        self.branch_on(e.cond, then_block, else_block)
        self.block_into(dest, e.then)
        end = Span(max(e.then.span.end - 1, 0), e.then.span.end)
        self.storage_dead(self.scopes.pop(), end)
        self.goto(join)
        self.cur = else_block
        if e.else_ is not None:
            self.expr_into(dest, e.else_)
        self.goto(join)
        self.cur = join

    def _into_GoExpr(self, dest: Place, e: ast.GoExpr) -> None:
        """`go f(args)`: the call as any call (its arguments move into the goroutine), its
        result discarded."""
        self.as_temp(e.call)
        self.assign(dest, Rvalue("const"), e.span)

    def _into_Select(self, dest: Place, e: ast.Select) -> None:
        """`select`: one arm runs, chosen at run time: its channel operation (a receive
        bound to the arm's pattern), then its body."""
        join = self.make_block()
        arms = [self.make_block() for _ in e.arms]
        self.terminate(mir.Switch(tuple(arms), e.span))
        for block, arm in zip(arms, e.arms, strict=True):
            self.cur = block
            self.scopes.append([])
            if arm.op is not None:
                tmp = self.as_temp(arm.op)
                if arm.pat is not None:
                    self.bind_pattern(arm.pat, Place(tmp), self.ty(arm.op))
            self.expr_into(dest, arm.body)
            end = Span(max(arm.body.span.end - 1, 0), arm.body.span.end)
            self.storage_dead(self.scopes.pop(), end)
            self.goto(join)
        self.cur = join

    def scrutinee(self, e: ast.Expr, *pats: ast.Pat) -> tuple[Place, t.Ty]:
        if self.is_place_expr(e):
            mut = any(self.pattern_borrows_mut(p) for p in pats)
            return self.as_place(e, mut), self.ty(e)
        return Place(self.as_temp(e)), self.ty(e)

    def _into_Match(self, dest: Place, e: ast.Match) -> None:
        place, ty = self.scrutinee(e.scrutinee, *(a.pat for a in e.arms))
        self.emit(mir.FakeRead(place, e.scrutinee.span))
        outer_tested = self.tested
        # The fake borrows of a guarded match: its scrutinee and the places tested (so far).
        guarded = any(arm.guard is not None for arm in e.arms)
        self.tested = None
        if guarded and self.is_place_expr(e.scrutinee):
            # rustc takes the fake borrows of every arm's tests before the first guard.
            self.tested = [place]
            for arm in e.arms:
                self.tested_places(arm.pat, place, ty, self.tested)
        try:
            self.match_arms(dest, e, place, ty)
        finally:
            self.tested = outer_tested

    def match_arms(self, dest: Place, e: ast.Match, place: Place, ty: t.Ty) -> None:
        join = self.make_block()
        tests = [self.make_block() for _ in e.arms]
        unreachable = self.make_block()
        self.body.blocks[unreachable].term = mir.Unreachable()
        self.goto(tests[0] if tests else unreachable)
        for i, arm in enumerate(e.arms):
            self.cur = tests[i]
            fail = tests[i + 1] if i + 1 < len(tests) else unreachable
            self.set_scrutinee(e.scrutinee)
            self.pattern_test(arm.pat, place, ty, fail)
            self.set_scrutinee(e.scrutinee)
            self.scopes.append([])
            if arm.guard is not None:
                by_value = []
                scope = guards.GuardScope(list(self.tested or ()), e.scrutinee.span)
                for ident, uid, bplace, bty in self.binding_places(arm.pat, place, ty):
                    local = self.r.locals[uid]
                    if local.by_ref:
                        self.bind_one(ident, uid, bplace, bty)
                        if isinstance(local.ty, t.Ref) and local.ty.mutable:
                            scope.ref_mut.add(self.mir_local(uid))
                    else:
                        by_value.append((ident, uid, bplace, bty))
                        self.guard_subst[uid] = bplace
                        scope.by_value[uid] = local.name
                outer_guard, self.guard = self.guard, scope
                try:
                    self.in_temporary_scope(arm.guard)
                finally:
                    self.guard = outer_guard
                # The guard's end reads the scrutinee again (rustc's fake read for match
                # guards): a borrow the scrutinee holds (`v[0]`, `s.as_str()`) lives through
                # every guard.
                guard_end = arm.guard.span
                self.emit(mir.FakeRead(place, Span(max(guard_end.end - 1, guard_end.start),
                                                   guard_end.end)))
                for _, uid, _, _ in by_value:
                    self.guard_subst.pop(uid, None)
                ok = self.make_block()
                self.terminate(mir.Switch((ok, fail), arm.guard.span))
                self.cur = ok
                for ident, uid, bplace, bty in by_value:
                    self.bind_one(ident, uid, bplace, bty)
            else:
                self.bind_pattern(arm.pat, place, ty)
            self.expr_into(dest, arm.body)
            end = Span(max(arm.body.span.end - 1, 0), arm.body.span.end)
            self.storage_dead(self.scopes.pop(), end)
            self.goto(join)
        self.cur = join

    def loop_ctx(self, label: str | None, break_block: int, continue_block: int,
                 dest: Place | None) -> _Loop:
        ctx = _Loop(label, break_block, continue_block, dest, len(self.scopes))
        self.loops.append(ctx)
        return ctx

    def record_loop(self, span: Span, header: int, exit_block: int) -> None:
        """Record a loop whose blocks are those made since `header` (but its exit)."""
        info = mir.LoopInfo(span, header)
        info.body_blocks = set(range(header, len(self.body.blocks))) - {exit_block}
        self.body.loops.append(info)

    def _into_Loop(self, dest: Place, e: ast.Loop) -> None:
        header = self.make_block()
        exit_ = self.make_block()
        self.goto(header)
        self.cur = header
        self.loop_ctx(e.label, exit_, header, dest)
        self.block_into(Place(self.temp(t.UNIT)), e.body)
        self.loops.pop()
        self.goto(header, back=True)
        # The `loop` keyword (after the label, if any).
        keyword = Span(e.span.start, e.span.start + 4) if e.label is None else \
            Span(max(e.span.start, e.body.span.start - 5), max(e.span.start, e.body.span.start - 1))
        self.record_loop(keyword, header, exit_)
        self.cur = exit_

    def _into_While(self, dest: Place, e: ast.While) -> None:
        header = self.make_block()
        exit_ = self.make_block()
        body_block = self.make_block()
        self.goto(header)
        self.cur = header
        self.scopes.append([])
        before = len(self.stmt_temps)
        self.branch_on(e.cond, body_block, exit_)
        # A `while let` scrutinee's temporaries live for one iteration (the loop body is
        # their temporary scope); they also die with the statement, on `break`.
        scrutinee_temps = self.stmt_temps[before:]
        self.loop_ctx(e.label, exit_, header, None)
        self.block_into(Place(self.temp(t.UNIT)), e.body)
        self.loops.pop()
        end = Span(max(e.body.span.end - 1, 0), e.body.span.end)
        self.storage_dead(self.scopes.pop() + scrutinee_temps, end)
        self.goto(header, back=True)
        self.record_loop(Span(e.span.start, e.cond.span.end), header, exit_)
        self.cur = exit_

    def _into_For(self, dest: Place, e: ast.For) -> None:
        iter_ty = self.ty(e.iter)
        item = item_type(iter_ty)
        it = self.new_local(None, t.Adt("Iter", (item,)), True, None, "temp")
        if self.is_place_expr(e.iter):
            op = self.operand_of_place(self.as_place(e.iter), e.iter.span, "into_iter")
        else:
            op = self.as_operand(e.iter)
        self.emit(mir.Call(Place(it), (op,), e.iter.span, e.iter.span))
        self.into_iterator(self.operand_rty(op), iter_ty, self.body.locals[it].rty)
        header = self.make_block()
        exit_ = self.make_block()
        body_block = self.make_block()
        self.goto(header)
        self.cur = header
        ref_tmp, _ = self.borrow_temp(Place(it), True, e.iter.span, "iter")
        next_tmp = self.temp(t.Adt("Option", (item,)))
        self.emit(mir.Call(Place(next_tmp), (Operand("move", Place(ref_tmp), e.iter.span),),
                           e.iter.span, e.iter.span))
        it_rty = self.body.locals[it].rty
        next_rty = self.body.locals[next_tmp].rty
        if it_rty.kind == "adt" and next_rty.kind == "adt" and it_rty.args and next_rty.args:
            self.relate(it_rty.args[0], next_rty.args[0])
        self.emit(mir.Assign(Place(self.scratch), Rvalue("discr", place=Place(next_tmp)),
                             e.iter.span))
        self.terminate(mir.Switch((body_block, exit_), e.iter.span))
        self.cur = body_block
        self.scopes.append([])
        some = Place(next_tmp).project(Proj("variant", 1, "Some")).field(0)
        self.set_scrutinee(e.iter)
        self.bind_pattern(e.pat, some, item)
        self.loop_ctx(e.label, exit_, header, None)
        self.block_into(Place(self.temp(t.UNIT)), e.body)
        self.loops.pop()
        end = Span(max(e.body.span.end - 1, 0), e.body.span.end)
        self.storage_dead(self.scopes.pop(), end)
        self.goto(header, back=True)
        self.record_loop(Span(e.span.start, e.iter.span.end), header, exit_)
        self.cur = exit_
        end_span = Span(e.span.end, e.span.end)
        self.emit(mir.StorageDead(next_tmp, end_span))
        self.emit(mir.StorageDead(it, end_span))

    def into_iterator(self, src: RTy, ty: t.Ty, it: RTy) -> None:
        """What a `for` loop iterates (`src`, of type `ty`) flows into its iterator `it`
        (an `Iter<Item>`), part by part as `IntoIterator` moves it: an iterator's items are
        its items; a `&Vec<T>`'s (or a slice's, an array's) are references of the loan's
        region to elements of type `T`, which borrow what the elements borrow (not the
        vector: `for s in rest.iter() { out.push(*s) }` with `rest: Vec<&str>`); a `Vec<T>`'s
        are its elements. Anything else flows into every region of the iterator."""
        if it.kind != "adt" or len(it.args) != 1 or src.kind == "leaf":
            self.relate_all(src, it)
            return
        item = it.args[0]
        match ty:
            case t.Adt("Iter" | "Range" | "RangeInclusive") if src.kind == "adt" and \
                    len(src.args) == 1:
                self.edge(src.region, it.region)
                self.relate(src.args[0], item)
                return
            case t.Adt("Vec" | "VecDeque") | t.Array() if len(src.args) == 1:
                self.relate(src.args[0], item)
                return
            case t.Ref(inner, mutable) if src.kind == "ref" and item.kind == "ref" and (
                    isinstance(inner, (t.Array, t.Slice)) or (
                        isinstance(inner, t.Adt) and inner.name in ("Vec", "VecDeque"))):
                self.edge(src.region, it.region)
                self.edge(src.region, item.region)
                held = src.args[0]
                if held.kind != "leaf" and len(held.args) == 1:
                    self.relate(held.args[0], item.args[0], mutable)
                return
        self.relate_all(src, it)

    def relate_all(self, a: RTy, b: RTy) -> None:
        for x in a.regions():
            for y in b.regions():
                self.edge(x, y)

    def find_loop(self, label: str | None) -> _Loop | None:
        if not self.loops:
            return None
        if label is None:
            return self.loops[-1]
        for ctx in reversed(self.loops):
            if ctx.label == label:
                return ctx
        return None

    def exit_scopes(self, depth: int, span: Span) -> None:
        for scope in reversed(self.scopes[depth:]):
            self.storage_dead(scope, span)

    def _into_Break(self, dest: Place, e: ast.Break) -> None:
        ctx = self.find_loop(e.label)
        if e.value is not None:
            if ctx is not None and ctx.dest is not None:
                self.expr_into(ctx.dest, e.value)
            else:
                self.as_operand(e.value)
        if ctx is None:
            self.terminate(mir.Unreachable())
        else:
            self.exit_scopes(ctx.depth, e.span)
            self.goto(ctx.break_block)
        self.diverge()

    def _into_Continue(self, dest: Place, e: ast.Continue) -> None:
        ctx = self.find_loop(e.label)
        if ctx is None:
            self.terminate(mir.Unreachable())
        else:
            self.exit_scopes(ctx.depth, e.span)
            self.goto(ctx.continue_block, back=True)
        self.diverge()

    def _into_Return(self, dest: Place, e: ast.Return) -> None:
        if e.value is not None:
            self.value_into(Place(0), e.value, self.ret_ty)
        self.exit_scopes(0, e.span)
        self.terminate(mir.Return(e.span))
        self.diverge()

    def _into_Try(self, dest: Place, e: ast.Try) -> None:
        """`x?` is `match Try::branch(x) { Continue(v) => v, Break(r) => return
        FromResidual::from_residual(r) }`: `x` moves (`branch` takes `self`), the `Err`
        payload moves into the return value on the early-return path, and only the other
        path continues with the `Ok`/`Some` payload moved into `dest`."""
        op = self.as_operand(e.inner, "method", e.span, "branch")
        ty = self.ty(e.inner)
        if op.place is None or not isinstance(ty, t.Adt) or ty.name not in ("Option", "Result"):
            self.assign(dest, Rvalue("use", (op,)), e.span)
            return
        value = op.place
        ok_block = self.make_block()
        err_block = self.make_block()
        self.emit(mir.Assign(Place(self.scratch), Rvalue("discr", place=value), e.span))
        self.terminate(mir.Switch((ok_block, err_block), e.span))
        self.cur = err_block
        if ty.name == "Result" and len(ty.args) == 2:
            err = value.project(Proj("variant", 1, "Err")).field(0, "0")
            residual = self.temp(ty.args[1])
            self.emit(mir.Assign(Place(residual), Rvalue("use", (
                self.operand_of_place(err, e.span),)), e.span))
            mode = "copy" if self.is_copy(ty.args[1]) else "move"
            self.emit(mir.Assign(Place(0), Rvalue("agg", (
                Operand(mode, Place(residual), e.span),)), e.span))
            vrty = self.place_rty(value)
            ret_rty = self.body.locals[0].rty
            if vrty.kind == "adt" and len(vrty.args) == 2 and ret_rty.kind == "adt" and \
                    len(ret_rty.args) == 2:
                # The error flows into the function's own `Err` (through `From`, which
                # keeps the regions when the types are the same).
                self.relate(vrty.args[1], ret_rty.args[1])
        self.exit_scopes(0, e.span)
        self.terminate(mir.Return(e.span))
        self.cur = ok_block
        variant = Proj("variant", 0, "Ok") if ty.name == "Result" else \
            Proj("variant", 1, "Some")
        payload = value.project(variant).field(0, "0")
        self.emit(mir.Assign(dest, Rvalue("use", (self.operand_of_place(payload, e.span),)),
                             e.span))
        self.relate(self.place_rty(payload), self.place_rty(dest))

    def _into_Closure(self, dest: Place, e: ast.Closure) -> None:
        captures.lower_closure(self, dest, e)

    def closure_by_id(self) -> dict[int, tuple[ast.Closure, ClosureInfo]]:
        """The closure expressions of the body by their type's id (their start)."""
        if self._closures is None:
            self._closures = {e.span.start: (e, info) for e, info in self.r.closures.items()}
        return self._closures

    # ---------------------------------------------------------------- patterns

    def ergonomic(self, pat: ast.Pat, place: Place, ty: t.Ty) -> tuple[Place, t.Ty]:
        """Match ergonomics: a constructor pattern against `&T` looks through the reference."""
        while isinstance(ty, t.Ref) and isinstance(
                pat, (ast.TupleStructPat, ast.StructPat, ast.TuplePat, ast.PathPat,
                      ast.LitPat, ast.RangePat, ast.SlicePat)) and not (
                    isinstance(pat, ast.LitPat) and pat.lit.kind == "str"):
            place, ty = place.deref(), ty.inner
        if isinstance(ty, t.Ref) and isinstance(pat, ast.IdentPat) and \
                pat not in self.r.bindings:  # `None`, or a unit variant imported by `use`
            while isinstance(ty, t.Ref):
                place, ty = place.deref(), ty.inner
        return place, ty

    def ctor(self, path: ast.Path | None, name: str, ty: t.Ty
             ) -> tuple[Proj | None, list[tuple[str, t.Ty]]] | None:
        if not isinstance(ty, t.Adt):
            if isinstance(ty, t.Tuple):
                return None, [(str(i), x) for i, x in enumerate(ty.elems)]
            return None
        if ty.name == "Option":
            if name == "Some":
                return Proj("variant", 1, "Some"), [("0", ty.args[0] if ty.args else t.ERROR)]
            if name == "None":
                return Proj("variant", 0, "None"), []
            return None
        if ty.name == "Result" and len(ty.args) == 2:
            if name == "Ok":
                return Proj("variant", 0, "Ok"), [("0", ty.args[0])]
            if name == "Err":
                return Proj("variant", 1, "Err"), [("0", ty.args[1])]
            return None
        if ty.name == "Reverse" and name == "Reverse" and ty.args and \
                "Reverse" not in self.env.structs:
            return None, [("0", ty.args[0])]  # std::cmp::Reverse(T)
        if ty.name == "Range" and ty.args and "Range" not in self.env.structs and \
                "Range" not in self.env.enums:
            return None, [("start", ty.args[0]), ("end", ty.args[0])]  # std::ops::Range
        if ty.name in self.env.enums:
            enum = self.env.enums[ty.name]
            variant = enum.variant(name)
            if variant is None:
                return None
            subst = dict(zip(enum.generics, ty.args, strict=False))
            return Proj("variant", variant.index, variant.name), [
                (f.name or str(i), t.substitute(f.ty, subst)) for i, f in enumerate(variant.fields)]
        if ty.name in self.env.structs:
            info = self.env.structs[ty.name]
            subst = dict(zip(info.generics, ty.args, strict=False))
            return None, [(f.name or str(i), t.substitute(f.ty, subst))
                          for i, f in enumerate(info.fields)]
        return None

    def pattern_test(self, pat: ast.Pat, place: Place, ty: t.Ty, fail: int) -> None:
        """Emit the reads that decide whether `pat` matches, branching to `fail` if not."""
        place, ty = self.ergonomic(pat, place, ty)
        match pat:
            case ast.IdentPat(sub=sub):
                if pat not in self.r.bindings and sub is None:
                    self.test_discr(place, pat.span, fail)
                elif sub is not None:
                    self.pattern_test(sub, place, ty, fail)
            case ast.LitPat() | ast.RangePat():
                span = self.scrut_span or pat.span
                self.emit(mir.Assign(Place(self.scratch), Rvalue(
                    "op", (Operand("copy", place, span),)), span))
                self.branch(fail, pat.span)
            case ast.TuplePat(elems=elems):
                n = len(ty.elems) if isinstance(ty, t.Tuple) else len(elems)
                for i, p in enumerate(ast.spread_patterns(elems, n)):
                    if p is not None:
                        self.pattern_test(p, place.field(i, str(i)), self.proj_ty(
                            ty, Proj("field", i), None), fail)
            case ast.PathPat(path=path):
                found = self.ctor(path, path.last.name, ty)
                if found is not None and found[0] is not None:
                    self.test_discr(place, pat.span, fail)
            case ast.TupleStructPat(path=path, elems=elems):
                found = self.ctor(path, path.last.name, ty)
                if found is None:
                    return
                variant, fields = found
                if variant is not None:
                    self.test_discr(place, pat.span, fail)
                    place = place.project(variant)
                for i, p in enumerate(ast.spread_patterns(elems, len(fields))):
                    if p is not None and i < len(fields):
                        self.pattern_test(p, place.field(i, fields[i][0]), fields[i][1], fail)
            case ast.StructPat(path=path, fields=fpats):
                found = self.ctor(path, path.last.name, ty)
                if found is None:
                    return
                variant, fields = found
                if variant is not None:
                    self.test_discr(place, pat.span, fail)
                    place = place.project(variant)
                names = [n for n, _ in fields]
                for fp in fpats:
                    if fp.name in names:
                        i = names.index(fp.name)
                        self.pattern_test(fp.pat, place.field(i, fp.name), fields[i][1], fail)
            case ast.RefPat(inner=inner):
                if isinstance(ty, t.Ref):
                    self.pattern_test(inner, place.deref(), ty.inner, fail)
            case ast.SlicePat():
                if isinstance(ty, t.Slice):
                    span = self.scrut_span or pat.span
                    self.emit(mir.Assign(Place(self.scratch), Rvalue("len", place=place), span))
                    self.branch(fail, span)
                for p, sub_place, sub_ty in self.slice_places(pat, place, ty):
                    self.pattern_test(p, sub_place, sub_ty, fail)
            case ast.OrPat(alts=alts):
                cont = self.make_block()
                for j, alt in enumerate(alts):
                    alt_fail = self.make_block() if j + 1 < len(alts) else fail
                    self.pattern_test(alt, place, ty, alt_fail)
                    self.goto(cont)
                    self.cur = alt_fail if j + 1 < len(alts) else cont
                self.cur = cont

    def tested_places(self, pat: ast.Pat, place: Place, ty: t.Ty, out: list[Place]) -> None:
        """The places `pattern_test` reads for `pat` (without emitting anything)."""
        place, ty = self.ergonomic(pat, place, ty)
        found = None
        match pat:
            case ast.IdentPat(sub=sub):
                if pat not in self.r.bindings and sub is None:
                    out.append(place)
                elif sub is not None:
                    self.tested_places(sub, place, ty, out)
            case ast.LitPat() | ast.RangePat():
                out.append(place)
            case ast.TuplePat(elems=elems):
                n = len(ty.elems) if isinstance(ty, t.Tuple) else len(elems)
                for i, p in enumerate(ast.spread_patterns(elems, n)):
                    if p is not None:
                        self.tested_places(p, place.field(i, str(i)), self.proj_ty(
                            ty, Proj("field", i), None), out)
            case ast.PathPat(path=path):
                found = self.ctor(path, path.last.name, ty)
                if found is not None and found[0] is not None:
                    out.append(place)
            case ast.TupleStructPat(path=path, elems=elems):
                found = self.ctor(path, path.last.name, ty)
                if found is not None:
                    variant, fields = found
                    if variant is not None:
                        out.append(place)
                        place = place.project(variant)
                    for i, p in enumerate(ast.spread_patterns(elems, len(fields))):
                        if p is not None and i < len(fields):
                            self.tested_places(p, place.field(i, fields[i][0]), fields[i][1],
                                               out)
            case ast.StructPat(path=path, fields=fpats):
                found = self.ctor(path, path.last.name, ty)
                if found is not None:
                    variant, fields = found
                    if variant is not None:
                        out.append(place)
                        place = place.project(variant)
                    names = [n for n, _ in fields]
                    for fp in fpats:
                        if fp.name in names:
                            i = names.index(fp.name)
                            self.tested_places(fp.pat, place.field(i, fp.name), fields[i][1],
                                               out)
            case ast.RefPat(inner=inner):
                if isinstance(ty, t.Ref):
                    self.tested_places(inner, place.deref(), ty.inner, out)
            case ast.SlicePat():
                if isinstance(ty, t.Slice):
                    out.append(place)
                for p, sub_place, sub_ty in self.slice_places(pat, place, ty):
                    self.tested_places(p, sub_place, sub_ty, out)
            case ast.OrPat(alts=alts):
                for alt in alts:
                    self.tested_places(alt, place, ty, out)

    def slice_places(self, pat: ast.SlicePat, place: Place, ty: t.Ty
                     ) -> list[tuple[ast.Pat, Place, t.Ty]]:
        """The places a slice pattern's parts match, as rustc's constant indexes and
        subslices: `[a, .., z]` on a slice is `place[0 of 2]`, `place[-1 of 2]`; on an array
        every index counts from the start (each element its own move path)."""
        if not isinstance(ty, (t.Array, t.Slice)):
            return []
        before, rest, after = ast.slice_parts(pat)
        n = len(before) + len(after)
        out: list[tuple[ast.Pat, Place, t.Ty]] = []
        for i, p in enumerate(before):
            out.append((p, place.project(Proj("elem", i, "", n)), ty.elem))
        for j, p in enumerate(after):
            k = len(after) - j
            proj = Proj("elem", ty.length - k) if isinstance(ty, t.Array) else \
                Proj("elem", k, "end", n)
            out.append((p, place.project(proj), ty.elem))
        if isinstance(rest, ast.IdentPat):
            if isinstance(ty, t.Array):
                end = ty.length - len(after)
                rest_ty: t.Ty = t.Array(ty.elem, max(0, end - len(before)))
                proj = Proj("subslice", len(before), "", end)
            else:
                rest_ty, proj = ty, Proj("subslice", len(before), "end", len(after))
            out.append((rest, place.project(proj), rest_ty))
        return out

    def set_scrutinee(self, e: ast.Expr) -> None:
        self.scrut_span = e.span
        self.scrut_deref = _is_deref(e)

    def test_discr(self, place: Place, span: Span, fail: int) -> None:
        span = self.scrut_span or span
        self.emit(mir.Assign(Place(self.scratch), Rvalue("discr", place=place), span))
        self.branch(fail, span)

    def branch(self, fail: int, span: Span) -> None:
        ok = self.make_block()
        self.terminate(mir.Switch((ok, fail), span))
        self.cur = ok

    def binding_places(self, pat: ast.Pat, place: Place, ty: t.Ty
                       ) -> list[tuple[ast.IdentPat, int, Place, t.Ty]]:
        out: list[tuple[ast.IdentPat, int, Place, t.Ty]] = []
        self._walk_bindings(pat, place, ty, out)
        return out

    def _walk_bindings(self, pat: ast.Pat, place: Place, ty: t.Ty,
                       out: list[tuple[ast.IdentPat, int, Place, t.Ty]]) -> None:
        place, ty = self.ergonomic(pat, place, ty)
        match pat:
            case ast.IdentPat(sub=sub):
                uid = self.r.bindings.get(pat)
                if uid is not None:
                    out.append((pat, uid, place, ty))
                if sub is not None:
                    self._walk_bindings(sub, place, ty, out)
            case ast.TuplePat(elems=elems):
                n = len(ty.elems) if isinstance(ty, t.Tuple) else len(elems)
                for i, p in enumerate(ast.spread_patterns(elems, n)):
                    if p is not None:
                        self._walk_bindings(p, place.field(i, str(i)),
                                            self.proj_ty(ty, Proj("field", i), None), out)
            case ast.TupleStructPat(path=path, elems=elems):
                found = self.ctor(path, path.last.name, ty)
                if found is None:
                    return
                variant, fields = found
                if variant is not None:
                    place = place.project(variant)
                for i, p in enumerate(ast.spread_patterns(elems, len(fields))):
                    if p is not None and i < len(fields):
                        self._walk_bindings(p, place.field(i, fields[i][0]), fields[i][1], out)
            case ast.StructPat(path=path, fields=fpats):
                found = self.ctor(path, path.last.name, ty)
                if found is None:
                    return
                variant, fields = found
                if variant is not None:
                    place = place.project(variant)
                names = [n for n, _ in fields]
                for fp in fpats:
                    if fp.name in names:
                        i = names.index(fp.name)
                        self._walk_bindings(fp.pat, place.field(i, fp.name), fields[i][1], out)
            case ast.RefPat(inner=inner):
                if isinstance(ty, t.Ref):
                    self._walk_bindings(inner, place.deref(), ty.inner, out)
            case ast.SlicePat():
                for p, sub_place, sub_ty in self.slice_places(pat, place, ty):
                    self._walk_bindings(p, sub_place, sub_ty, out)
            case ast.OrPat(alts=alts):
                for alt in alts:
                    self._walk_bindings(alt, place, ty, out)

    def bind_pattern(self, pat: ast.Pat, place: Place, ty: t.Ty) -> None:
        for ident, uid, bplace, bty in self.binding_places(pat, place, ty):
            self.bind_one(ident, uid, bplace, bty)

    def bind_one(self, ident: ast.IdentPat, uid: int, place: Place, ty: t.Ty) -> None:
        m = self.new_binding_local(uid)
        local = self.r.locals[uid]
        self.body.locals[m].destructured = local.kind in ("let", "match")
        if local.by_ref:
            mutable = isinstance(local.ty, t.Ref) and local.ty.mutable
            self.borrow(Place(m), place, mutable, ident.span, "pattern")
        else:
            how = "pattern_deref" if self.scrut_deref else "pattern"
            op = self.operand_of_place(place, ident.span, how, self.scrut_span,
                                       local.name)
            self.emit(mir.Assign(Place(m), Rvalue("use", (op,)), ident.span))
            self.relate(self.place_rty(place), self.body.locals[m].rty)
        self.declare(m)


# ---------------------------------------------------------------- helpers


def _ignore(builder: Builder, dest: Place, e: ast.Expr) -> None:
    """Expressions the lowering does not model (none should remain after type checking)."""


_DISPATCH: Final[dict[type, Callable[[Builder, Place, Any], None]]] = {}


def needs_drop(ty: t.Ty, env: ItemEnv, seen: frozenset[str] = frozenset()) -> bool:
    """Whether dropping a value of `ty` runs code (it owns a heap allocation)."""
    match ty:
        case t.Adt(name, args):
            if name in ("String", "Vec", "Box", "HashMap", "HashSet", "VecDeque", "BTreeMap",
                        "BTreeSet", "BinaryHeap"):
                return True
            if name in seen:
                return False
            inner = seen | {name}
            if name in env.structs:
                info = env.structs[name]
                subst = dict(zip(info.generics, args, strict=False))
                return any(needs_drop(t.substitute(f.ty, subst), env, inner)
                           for f in info.fields)
            if name in env.enums:
                enum = env.enums[name]
                subst = dict(zip(enum.generics, args, strict=False))
                return any(needs_drop(t.substitute(f.ty, subst), env, inner)
                           for v in enum.variants for f in v.fields)
            return any(needs_drop(a, env, inner) for a in args)
        case t.Tuple(elems):
            return any(needs_drop(e, env, seen) for e in elems)
        case t.Array(elem, _):
            return needs_drop(elem, env, seen)
    return False


def walk_ast(node: object) -> list[object]:
    """Every AST node under `node` (pre-order)."""
    out: list[object] = []
    stack = [node]
    while stack:
        cur = stack.pop()
        out.append(cur)
        stack.extend(reversed(children(cur)))
    return out


def _scalar(ty: t.Ty) -> bool:
    """A primitive operand of the builtin arithmetic operators."""
    return isinstance(ty, (t.Int, t.Float, t.Bool, t.Char, t.Error, t.Infer))


def _is_deref(e: ast.Expr) -> bool:
    while isinstance(e, ast.Paren):
        e = e.inner
    return isinstance(e, ast.Unary) and e.op == "*"


def deref_ty(ty: t.Ty) -> t.Ty:
    if isinstance(ty, t.Ref):
        return ty.inner
    if isinstance(ty, t.Adt) and ty.name == "Box" and ty.args:
        return ty.args[0]
    return t.ERROR


def _through_captured_refs(closure: RTy) -> RTy:
    """A closure given to a std method (`filter_map(|d| score(query, d))`), its captured
    shared references (`query: &[f32]`, captured by reference) taken as what they point
    to: what the closure returns can reach only that (their own regions, kept), never the
    captured variable, so the method's result (the items of an adapter) does not borrow the
    variable. As Rust 2021 captures `*query` for `query[0]` (a reborrow as long as
    `query`'s own), an adapter holding the closure does not borrow it either (one capturing
    `query` itself for a by-value use, returned from the function, is rustc's E0373, which
    is not reported then)."""
    args = tuple(cap.args[0] if cap.kind == "ref" and not cap.mutable and cap.args and
                 cap.args[0].kind == "ref" and not cap.args[0].mutable else cap
                 for cap in closure.args)
    return closure._replace(args=args)


def autoderef_ty(ty: t.Ty) -> tuple[t.Ty, int]:
    derefs = 0
    while isinstance(ty, t.Ref) or (isinstance(ty, t.Adt) and ty.name == "Box" and ty.args):
        ty = deref_ty(ty)
        derefs += 1
    return ty, derefs


def item_type(ty: t.Ty) -> t.Ty:
    """What `for x in <ty>` binds `x` to."""
    match ty:
        case t.Adt("Range" | "RangeInclusive" | "Iter", (item,)):
            return item
        case t.Adt("Vec" | "VecDeque", (elem,)) | t.Array(elem, _):
            return elem
        case t.Ref(inner, mutable):
            if isinstance(inner, t.Adt) and inner.name in ("Vec", "VecDeque") and inner.args:
                return t.Ref(inner.args[0], mutable)
            if isinstance(inner, (t.Array, t.Slice)):
                return t.Ref(inner.elem, mutable)
    return t.ERROR


def _call_sig(ty: t.Ty) -> t.FnPtr | t.Closure | None:
    """The call signature of a callable value's type (through references and boxes)."""
    while True:
        match ty:
            case t.Ref(inner, _) | t.Adt("Box", (inner,)):
                ty = inner
            case t.Closure() | t.FnPtr():
                return ty
            case t.Dyn(call=t.FnPtr() as call):
                return call
            case _:
                return None


def _with_self(self_ty: t.Ty, kind: str, params: tuple[t.Ty, ...], ret: t.Ty,
               generics: frozenset[str], sources: tuple[int, ...] | None = None,
               from_closures: tuple[tuple[str, tuple[int, ...]], ...] = (),
               holders: tuple[int, ...] = ()) -> Sig:
    sp = self_ty if kind == "value" else t.Ref(self_ty, kind == "ref_mut")
    return Sig((sp, *params), ret, kind, generics, sources, from_closures, holders)


def closure_results(sig: FnSig, offset: int) -> tuple[tuple[str, tuple[int, ...]], ...]:
    """The type parameters of `sig`'s result that only the results of its closure
    parameters give (`T` of `fn retry<T, F: FnMut(u32) -> Result<T, E>>(p: &Policy, op: F,
    log: &mut Vec<String>) -> Result<T, E>`), each with the indices of the arguments
    (`offset`: a `self` before them) whose closures may return it: rustc gives `T`'s
    lifetimes from those closures' results alone, not from the other arguments."""
    given = set().union(*(t.params_in(p) for p in sig.params)) if sig.params else set()
    out: list[tuple[str, tuple[int, ...]]] = []
    for name in sorted(t.params_in(sig.ret) - given):
        closures: list[str] = []
        elsewhere = False
        for b in sig.bounds:
            inside = set().union(*(t.params_in(a) for a in b.args), *(
                t.params_in(ty) for _, ty in b.assoc)) if b.args or b.assoc else set()
            if name not in inside:
                continue
            if b.trait in t.CLOSURE_KINDS and len(b.args) == 2 and \
                    isinstance(b.ty, t.Param) and name not in t.params_in(b.args[0]):
                closures.append(b.ty.name)
            else:
                elsewhere = True  # (`I: Iterator<Item = T>`: an argument gives it too)
        indices = tuple(i + offset for i, p in enumerate(sig.params)
                        if isinstance(p, t.Param) and p.name in closures)
        if closures and not elsewhere and indices:
            out.append((name, indices))
    return tuple(out)


def _closure_result_regions(closure: RTy) -> list[int]:
    """The regions a closure's result may hold: its captures' but for a variable it
    borrows mutably (an `FnMut` cannot return a borrow of its own captured state), with
    captured shared references taken as what they point to (`_through_captured_refs`)."""
    out: list[int] = []
    for cap in _through_captured_refs(closure).args:
        if cap.kind == "ref" and cap.mutable and not (cap.args and cap.args[0].kind == "ref"):
            continue
        out.extend(cap.regions())
    return out


# Std types invariant in their parameter, as rustc sees them (`UnsafeCell`, `*mut T`
# inside): a channel's ends hand out exactly the `T` that was sent.
_INVARIANT: Final = frozenset({"Sender", "Receiver", "Mutex", "RefCell"})


@functools.lru_cache(maxsize=512)
def builtin_method_sig(owner: str, name: str) -> Sig | None:
    """The generic signature of a builtin method (`T` for the element type, ...)."""
    item = t.Param("Item")
    if name == "clone" and owner not in ("Vec", "String"):
        selfp = t.Param("Self")
        return _with_self(selfp, "ref", (), selfp, frozenset({"Self"}))
    if name == "to_string" and owner != "str":
        return _with_self(t.Param("Self"), "ref", (), t.STRING, frozenset())
    if name in ("sum", "product", "count"):
        return _with_self(t.Param("Self"), "value", (), t.UNIT, frozenset())
    if name == "hash":
        # `Hash::hash(&self, state: &mut H)`: the state is reborrowed.
        return _with_self(t.Param("Self"), "ref", (t.Ref(t.Param("H"), True),), t.UNIT,
                          frozenset({"Self", "H"}))
    if name in ("copied", "cloned") and owner == "Iter":
        # `Iter<&B> -> Iter<B>`: the items are what the references point to, which borrow
        # what those values borrow (not what the references borrow).
        b = t.Param("B")
        return _with_self(t.Adt("Iter", (t.Ref(b, False),)), "value", (), t.Adt("Iter", (b,)),
                          frozenset({"B"}))
    if name in ("max", "min") and owner in ("Iter", "Range", "RangeInclusive"):
        return _with_self(t.Adt("Iter", (item,)), "value", (), t.Adt("Option", (item,)),
                          frozenset({"Item"}))
    if name == "collect":
        return _with_self(t.Adt("Iter", (item,)), "value", (), t.vec_of(item),
                          frozenset({"Item"}))
    lookup_owner = owner
    if owner in ("Range", "RangeInclusive") and builtins.lookup(
            owner, name, generic_self(owner)) is None:
        lookup_owner = "Iter"
    if lookup_owner not in ("Vec", "String", "str", "Option", "Result", "Iter", "Range",
                            "RangeInclusive", "int", "float", "HashMap", "HashSet",
                            "VecDeque", "BTreeMap", "BTreeSet", "BinaryHeap", "Entry",
                            "Mutex", "RwLock", "RefCell"):
        return None
    gself = generic_self(lookup_owner)
    m = builtins.lookup(lookup_owner, name, gself)
    if m is None or m.self_kind == "static":
        return None
    generics = frozenset(builtins.params_of(lookup_owner)) | {"Self"}
    return _with_self(gself, m.self_kind, m.params, m.ret, generics)


def generic_self(owner: str) -> t.Ty:
    if owner == "String":
        return t.STRING
    if owner == "str":
        return t.STR
    if owner in ("int", "float"):
        return t.Param("Self")
    params = builtins.params_of(owner)
    return t.Adt(owner, tuple(t.Param(p) for p in params))


def instantiate(decl: t.Ty, subst: dict[str, RTy], hidden: int = -1,
                holders: frozenset[str] = frozenset()) -> RTy:
    """The region annotation of a field type, with the owner's generic arguments; `hidden`
    is the owner's region when it is a reference holder (`mir.reference_holders`): the
    region of every reference and holder its fields declare."""
    match decl:
        case t.Param(name):
            return subst.get(name, LEAF)
        case t.Ref(referent, mutable) if hidden >= 0:
            return RTy("ref", hidden, mutable, (instantiate(referent, subst, hidden, holders),))
        case t.Adt(name, args):
            inner = tuple(instantiate(a, subst, hidden, holders) for a in args)
            region = hidden if name in holders else -1
            if region < 0 and all(a.kind == "leaf" for a in inner):
                return LEAF
            return RTy("adt", region, False, inner, name)
        case t.Tuple(elems):
            inner = tuple(instantiate(a, subst, hidden, holders) for a in elems)
            if all(a.kind == "leaf" for a in inner):
                return LEAF
            return RTy("tuple", args=inner)
        case t.Array(elem, _) | t.Slice(elem):
            e = instantiate(elem, subst, hidden, holders)
            return LEAF if e.kind == "leaf" else RTy("seq", args=(e,))
    return LEAF




def _promoted(e: ast.Expr, paths: Mapping[ast.PathExpr, object]) -> bool:
    """Whether rustc promotes `&e` to a `&'static` (constant promotion): literals, unit
    variants (`&Level::Low`), and arrays and tuples of them (`[1, 2, 3].iter()` borrows no
    temporary)."""
    match e:
        case ast.Literal():
            return True
        case ast.PathExpr():
            return isinstance(paths.get(e), VariantRes)
        case ast.Paren(inner=inner):
            return _promoted(inner, paths)
        case ast.Unary(op="-" | "!", operand=operand):
            return _promoted(operand, paths)
        case ast.TupleExpr(elems=elems) | ast.ArrayExpr(elems=elems):
            return all(_promoted(x, paths) for x in elems)
    return False
