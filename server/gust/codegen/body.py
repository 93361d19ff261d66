"""Lowering of one function body to Go statements.

Expressions become Go expression trees (gust.codegen.goast); statements and block-like
expressions become Go statements (gust.codegen.gostmt). An `if`, `match`, block or `loop` in
expression position is lowered with a *destination*: the value is assigned to a variable,
returned, or dropped in each branch (`var x T; if c { x = a } else { x = b }`, or `return a`
in each branch of a tail `match`), never through an immediately invoked function literal.

Sub-expressions that need statements of their own (a `match` as a call argument, a
temporary to take the address of) are hoisted into statements before the expression that
uses them; operands evaluated before a hoisted one are hoisted too when they have effects,
so that Go evaluates everything in Rust's order.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import field
from typing import Final

from gust.codegen import (
    arith,
    cells,
    closures,
    comparisons,
    concurrency,
    conversions,
    deques,
    durations,
    generics,
    golang,
    intviews,
    iterators,
    map_slots,
    map_updates,
    names,
    order_methods,
    pointer_maps,
    primitive_impls,
    rc_counts,
    results,
    reused_variants,
    scalar_ops,
    size_kinds,
    std_calls,
    string_builders,
    string_push,
    traits,
    usize_max,
    values,
    wide_ints,
    zip_loops,
)
from gust.codegen import goast as g
from gust.codegen import gostmt as s
from gust.codegen.astwalk import Subtrees
from gust.codegen.context import ItemContext
from gust.codegen.gotypes import UNTYPED_DEFAULT, Unsupported
from gust.frozen import dataclass
from gust.sema import builtins
from gust.sema import traits as sema_traits
from gust.sema import types as t
from gust.sema.check.util import has_error, op_trait
from gust.sema.items import FieldInfo, FnSig
from gust.sema.results import (
    RANGE_OWNER,
    AssocFnRes,
    BodyResults,
    ConstRes,
    FieldRes,
    FnRes,
    FormatString,
    GoRes,
    LocalRes,
    MethodRes,
    StructRes,
    VariantRes,
)
from gust.sema.traits import fn_assumptions
from gust.syntax import ast
from gust.text import Span


class UnsupportedAt(Exception):
    def __init__(self, what: str, span: Span) -> None:
        super().__init__(what)
        self.what = what
        self.span = span


# ---------------------------------------------------------------- destinations


@dataclass(frozen=True)
class Discard:
    """Evaluate for effects only."""


@dataclass(frozen=True)
class Return:
    """Return the value from the function (`return` alone when it returns nothing)."""


@dataclass(frozen=True)
class Assign:
    """Assign the value to a Go place of Gust type `ty`."""

    target: g.GoExpr
    ty: t.Ty


Dest = Discard | Return | Assign

DISCARD: Final = Discard()
# Go builtins whose call cannot stand as a statement (`min(a, b)` "is not used").
_VALUE_BUILTINS: Final = frozenset({"min", "max", "len", "cap", "real", "imag", "complex", "make",
                             "append", "new"})
# Standard-library packages whose functions the backend calls only for their result
# (`go vet` reports `slices.Clone(v)` as a statement: "result ... not used").
_VALUE_PACKAGES: Final = ("slices.", "maps.", "strings.", "strconv.", "fmt.Sprint", "utf8.")


_GO_PURE_CALLS: Final = frozenset({"len", "cap", "min", "max", "int", "int8", "int16", "int32",
                            "int64", "uint", "uint8", "uint16", "uint32", "uint64", "float32",
                            "float64", "rune", "Char", "string", "byte", "bool"})


def _go_constant(go: str) -> bool:
    """Go text that is a constant expression: literals, operators and conversions."""
    import re

    if '"' in go or "'" in go:
        return False
    return all(name in _GO_PURE_CALLS and name not in ("len", "cap", "min", "max")
               for name in re.findall(r"\b[A-Za-z_]\w*", go))


def _logical_chain(op: str, lhs: g.GoExpr, rhs: g.GoExpr) -> g.GoExpr:
    """`lhs op rhs` for `&&`/`||`, without an operand that repeats an earlier one of the
    same chain: `go vet` reports `a || b || a` as redundant (and for an operand without
    effects, the repeat cannot change the result)."""
    operands: list[g.GoExpr] = []
    for side in (lhs, rhs):
        operands += _chain_operands(op, side)
    kept: list[g.GoExpr] = []
    seen: set[str] = set()
    for x in operands:
        text = g.render(x)
        if text in seen and _effect_free(text):
            continue
        seen.add(text)
        kept.append(x)
    if len(kept) == len(operands):
        return g.binary(op, lhs, rhs)
    out = kept[0]
    for x in kept[1:]:
        out = g.binary(op, out, x)
    return out


def _chain_operands(op: str, x: g.GoExpr) -> list[g.GoExpr]:
    while isinstance(x, g.Paren):
        x = x.x
    if isinstance(x, g.Binary) and x.op == op:
        return _chain_operands(op, x.x) + _chain_operands(op, x.y)
    return [x]


def _effect_free(go: str) -> bool:
    """Go text whose only calls are builtins and conversions (as `go vet` judges a
    redundant `a || a`)."""
    import re

    return all(name in _GO_PURE_CALLS for name in re.findall(r"([\w.]+)\(", go))


def _returns_value(call: g.Call) -> bool:
    """A call that is only for its value: discarded as `_ = call`."""
    if not isinstance(call.fun, g.Atom):
        return False
    name = call.fun.text
    return name in _VALUE_BUILTINS or name.startswith(_VALUE_PACKAGES)
RETURN: Final = Return()


@dataclass
class _Loop:
    gust_label: str | None
    go_label: str
    dest: Dest | None  # where `break value` goes (`loop` only)
    switch_depth: int


@dataclass(frozen=True)
class _LeaveUnlocks:
    """An open block's mutex unlocks (filled as its guards are bound) or a map slot's
    write-back, with the loops
    around it: `loops` is the emitter's list (a closure's own), `depth` its length then."""

    loops: list[_Loop]
    depth: int
    lines: list[str]


@dataclass
class _Arm:
    """A match arm prepared for lowering."""

    arm: ast.MatchArm
    pat: ast.Pat


_FORMAT_FUNCS: Final = {"println": "gustPrintln", "print": "gustPrint", "eprintln": "gustEprintln",
                 "eprint": "gustEprint", "format": "gustFormat"}
_PANIC_PREFIX: Final = {"panic": "", "unreachable": "internal error: entered unreachable code",
                 "todo": "not yet implemented", "unimplemented": "not implemented"}
_CMP_OPS: Final = {"==", "!=", "<", "<=", ">", ">="}
_NONE_HELD: Final[frozenset[str]] = frozenset()  # (map_slots.hold, for most statements)
_OPERATOR_OF: Final = {"eq": "==", "ne": "!=", "lt": "<", "le": "<=", "gt": ">", "ge": ">="}


def _strip(e: ast.Expr) -> ast.Expr:
    while isinstance(e, ast.Paren):
        e = e.inner
    return e


# Iterator methods taking `&mut self` that stop early: on an iterator variable they leave
# the items they did not read (`FnEmitter.iter_method`).
_BY_REF_CONSUMERS: Final = frozenset({"any", "all", "find", "find_map", "position", "nth"})


class _GoBlock:
    """The statements of a `with` emitted into a new Go block (and Go scope). A class,
    not a @contextmanager: blocks are entered for every branch and loop, and contextlib's
    wrapper cost more than what they do."""

    def __init__(self, emitter: FnEmitter) -> None:
        self.emitter = emitter
        self.saved = emitter.cur

    def __enter__(self) -> list[s.GoStmt]:
        new: list[s.GoStmt] = []
        self.emitter.cur = new
        self.emitter.scopes.append(set())
        return new

    def __exit__(self, *_: object) -> None:
        self.emitter.cur = self.saved
        self.emitter.scopes.pop()


class _AtLine:
    """The statements of a `with` emitted at one Go line (`FnEmitter.gl`)."""

    def __init__(self, emitter: FnEmitter, gl: int | None) -> None:
        self.emitter = emitter
        self.gl = gl
        self.saved = emitter.gl

    def __enter__(self) -> None:
        self.emitter.gl = self.gl

    def __exit__(self, *_: object) -> None:
        self.emitter.gl = self.saved


class FnEmitter:
    """Emits one function: `emit()` returns its Go lines with their Gust lines."""

    def __init__(self, ctx: ItemContext, br: BodyResults, go_name: str,
                 receiver: str | None, self_param: str | None,
                 outer_fns: dict[int, tuple[str, tuple[t.Ty, ...]]] | None = None) -> None:
        self.ctx = ctx
        self.env = ctx.env
        self.types = ctx.types
        self.br = br = deques.as_vec_methods(br)
        self.fn = br.fn
        # The nodes of the body, for the many walks over parts of it (gust.codegen.astwalk).
        self.nodes = Subtrees(self.fn.body)
        # `Idle` after `use State::*` in a pattern is the variant `State::Idle`: the emitter
        # reads it as the path pattern it stands for.
        self.variant_pats = _variant_pats(br)
        # The Go flags of or-patterns with bindings (`_or_with_bindings`).
        self.or_flags: set[str] = set()
        self.go_name = go_name
        self.receiver = receiver  # "(self *T) " prefix for methods
        self.self_param = self_param  # "self *E" first parameter (methods of payload enums)
        self.cur: list[s.GoStmt] = []
        self.scopes: list[set[str]] = [set()]
        self.local_go: dict[int, str] = {}
        self.gust_names = {lc.name for lc in br.locals}
        # Names this function uses; package-level names are checked by `_is_taken`
        # (building their set here would cost O(package) per function).
        self.taken: set[str] = set(self.gust_names)
        self.memo_values: frozenset[str] | None = None  # `_values_used`
        self.labels: set[str] = set()
        self.loops: list[_Loop] = []
        self.switch_depth = 0
        self.override: dict[int, g.GoExpr] = {}
        # Expressions already evaluated into a Go value (gust.codegen.map_slots).
        self.expr_override: dict[ast.Expr, g.GoExpr] = {}
        self.gl: int | None = ctx.gline(self.fn.span)
        self.ret: t.Ty = br.ret if br.ret is not None else t.UNIT
        self.reads: set[int] = set()
        self.refs: set[int] = set()
        self.param_temps: dict[int, str] = {}
        # Index places of package types that are written (`IndexMut`): built when needed.
        self._mut_indexes: set[ast.Index] | None = None
        self._mut_places: set[ast.Expr] | None = None
        # `fn` items declared in this body (and the enclosing ones), by where their name is
        # (`FnRes.nested_at`): (Go name of the package-level function they become, parameter
        # types). Two of one name in different blocks are `main_label`, `main_label_2`.
        self.nested = outer_fns is not None
        self.local_fns = dict(outer_fns or {})
        taken = {go for go, _ in self.local_fns.values()}
        for nested in br.nested:
            base = go = self.types.pkg.nested_fn(go_name, nested.fn.name)
            n = 1
            while go in taken:
                n += 1
                go = f"{base}_{n}"
            taken.add(go)
            self.local_fns[nested.fn.name_span.start] = (go, tuple(br_param_types(nested)))
        self.types.callables = closures.callable_params(ctx.env, self.fn)
        self.types.seq_params = generics.seq_bounds(fn_assumptions(ctx.env, self.fn))
        # Set by the emitters of generic and trait items (gust.codegen.generics, .traits):
        # the Go type parameter list, the signature (when not the env's by name), a `&self`
        # method with a value receiver (`self` reads as `&self`), and `fmt` of a
        # Display/Debug impl (`fmt::Result` values are the formatter's writes).
        self.type_params = ""
        self.sig: FnSig | None = None
        self.value_receiver = False
        # A method on a primitive's named type (gust.codegen.primitive_impls): `self` is
        # converted back to the primitive (`uint32(self)`) where the body uses it.
        self.self_conversion: str | None = None
        # Where the body drops counted `Rc`s or `Drop` values (gust.codegen.rc_counts), in packages that
        # read reference counts.
        self.rc_plan: rc_counts.BodyPlan | None = None
        # A helper writing to a formatter (`fn write_to(&self, f: &mut fmt::Formatter, ..)
        # -> fmt::Result`) is emitted as `fmt` is: its writes cannot fail, it returns nothing.
        self.display = self.ret == t.FMT_RESULT and any(
            isinstance(p, t.Ref) and p.inner == t.FORMATTER for p in br_param_types(br))
        # Mutex guards (gust.codegen.concurrency): where each `lock()`'s guard is dropped, and
        # the Go lines that end the current statement's guards (`m.Unlock()`).
        self.guard_scope = concurrency.guard_scopes(self.fn, list(br.closures), self.nodes)
        # `drop(g)` of a guard bound by `let` in its block: the `lock` it unlocks, and the
        # unlock line of each such `lock` once emitted (concurrency.guard_drops).
        self.guard_drops = concurrency.guard_drops(self.fn, self.nodes) \
            if "dropped" in self.guard_scope.values() else {}
        self.guard_unlocks: dict[int, str] = {}
        self.after_stmt: list[str] = []
        # `RefCell` borrows whose release is known (gust.codegen.cells).
        self.cell_scope = cells.cell_scopes(self.fn, list(br.closures), self.nodes)
        self.block_guards: list[list[str]] = []  # unlocks at the end of each open block
        # The same blocks' mutex unlocks (and map slots' write-backs), for a jump out of
        # them (`break`, `return`, `?`), with the loops they are nested in (a closure has
        # loops of its own).
        self.leave_unlocks: list[_LeaveUnlocks] = []
        # Map slots (gust.codegen.map_slots) written back after the statements that use
        # their reference (local, line): the map is current once the reference is dead.
        self.slot_writebacks: list[tuple[int, str]] = []
        # Each write-back line's reference, for the jumps that must (or must not) run it.
        self.slot_lines: dict[str, int] = {}
        # The innermost statements being emitted, and the blocks (and arms without one)
        # emitted as statements, which write back for themselves.
        self.slot_stmts: list[object] = []
        # The conditions and scrutinees after which the slots they change were written
        # back (`map_slots.flush_changed`).
        self.slot_flushed: set[int] = set()
        self.slot_blocks: set[int] = set()
        # The write-backs held by the statement being emitted until its end
        # (`map_slots.hold`): its blocks do not write them back.
        self.slot_held: set[str] = set()
        self.slot_closures: dict[int, set[int]] = {}  # per slot (map_slots._closures_of)
        # Go variables that the blocks being emitted assign their value to (`into`).
        self.live_targets: list[str] = []
        # Local maps of structs that hold pointers to their values (gust.codegen.pointer_maps).
        self.pointer_maps = pointer_maps.find(self)
        # Strings only appended to, Go byte slices meanwhile (gust.codegen.string_builders),
        # and the slice of each.
        self.string_builders = string_builders.find(self)
        self.builder_bufs: dict[int, str] = {}
        # Variants rebuilt from their arm's bindings (gust.codegen.reused_variants): found
        # when the first variant is built.
        self.reused_variants: dict[int, int] | None = None
        self._scan_uses()

    # ------------------------------------------------------------ entry

    def emit(self) -> list[tuple[str, int | None]]:
        fn = self.fn
        header_gl = self.ctx.gline(fn.span)
        imports = set(self.ctx.imports)
        sites = len(self.ctx.panic_sites)
        try:
            self._check_patterns()
            wide_ints.check_body(self, self.fn.body)
            if rc_counts.enabled(self.env):
                self.rc_plan = rc_counts.BodyPlan(self)
            params = self._params()
            result = "" if self._returns_nothing() else " " + self.go(self.ret)
            body: list[s.GoStmt] = []
            self.cur = body
            result_main = results.is_result_main(self)
            if fn.name == "main" and self.br.owner is None and not result_main:
                body.append(s.Line("defer gustHandlePanic()"))
            self._param_patterns()
            concurrency.sender_params(self)
            string_builders.prologue(self)
            for local in self.br.params:
                self.drop_at_scope_end(local)
            assert fn.body is not None
            self.block_stmts(fn.body, DISCARD if self._returns_nothing() else RETURN)
            if not self._returns_nothing() and not s.is_terminating(body):
                body.append(s.Line('panic("unreachable")', None, "panic"))
            body = s.prune(body)
        except (UnsupportedAt, Unsupported) as exc:
            self.ctx.imports.intersection_update(imports)
            del self.ctx.panic_sites[sites:]
            span = exc.span if isinstance(exc, UnsupportedAt) else fn.signature_span
            what = exc.what
            if "{error}" not in what and \
                    any(has_error(ty) for ty in self.br.expr_types.values()):
                # (a type in error, from another item's mistake: reported there)
                what += " (an expression of type {error})"
            self.ctx.unsupported(what, span)
            message = f"gust: {exc.what} is not supported by the Go backend yet"
            body = [s.Line(f"panic({g.go_string(message)})", self.ctx.gline(span), "panic")]
            params, result = self._fallback_signature()
        out: list[tuple[str, int | None]] = []
        go_name = self.go_name
        if results.is_result_main(self):
            go_name = "run" if not self._is_taken("run") else self._fresh("run")
            out += results.main_wrapper(go_name)
        out.append((f"func {self.receiver or ''}{go_name}{self.type_params}({params}){result} {{", header_gl))
        s.render(body, 1, out)
        out.append(("}", None))
        for nested in self.br.nested:
            # A `fn` inside a body is a package-level Go function (it captures nothing).
            go = self.local_fns[nested.fn.name_span.start][0]
            out.append(("", None))
            out += FnEmitter(self.ctx, nested, go, None, None, self.local_fns).emit()
        return out

    def _returns_nothing(self) -> bool:
        return self.ret == t.UNIT or isinstance(self.ret, (t.Never, t.Error)) or self.display

    def _fallback_signature(self) -> tuple[str, str]:
        try:
            params = self._params(declare=False)
        except (Unsupported, UnsupportedAt):
            params = ""
        try:
            result = "" if self._returns_nothing() else " " + self.types.go(self.ret)
        except Unsupported:
            result = ""
        return params, result

    def _params(self, declare: bool = True) -> str:
        parts: list[str] = [self.self_param] if self.self_param else []
        ids = list(self.br.params)
        if self.fn.self_param is not None and ids:
            local = ids.pop(0)
            if declare:
                self.local_go[local] = "self"
                self.scopes[0].add("self")
                if self.value_receiver:
                    self.override[local] = g.unary("&", g.ident("self"))
                if self.self_conversion == primitive_impls.REF_FIELD:
                    # A blanket `impl<T: Tr> Tr for &T`: the referent is the wrapper's field.
                    self.override[local] = g.selector(g.ident("self"), primitive_impls.REF_FIELD)
                elif self.self_conversion is not None:
                    self.override[local] = g.conversion(self.self_conversion, g.ident("self"))
        for i, param in enumerate(self.fn.params):
            param_local = self._param_local(i)
            ty = self.br.locals[param_local].ty if param_local is not None else None
            go_ty = self.go(self._param_type(i, ty))
            pat = param.pat
            if isinstance(pat, ast.IdentPat) and pat.sub is None and not pat.by_ref:
                bound = self.br.bindings.get(pat)
                name = self.declare(bound) if declare and bound is not None else pat.name
                parts.append(f"{name} {go_ty}")
            elif isinstance(pat, ast.WildPat):
                parts.append(f"_ {go_ty}")
            else:
                parts.append(f"{self._param_temp(i, declare)} {go_ty}")
        return ", ".join(parts)

    def _param_local(self, i: int) -> int | None:
        pat = self.fn.params[i].pat
        if isinstance(pat, ast.IdentPat):
            return self.br.bindings.get(pat)
        return None

    def _param_type(self, i: int, ty: t.Ty | None) -> t.Ty:
        if self.sig is not None and i < len(self.sig.params):
            return self.sig.params[i]
        sig = self.env.methods.get(self.br.owner or "", {}).get(self.fn.name) \
            if self.br.owner is not None else \
            self.env.fns.get(self.env.modules.key_of(self.fn) or self.fn.name)
        if self.nested:
            sig = None  # a `fn` inside a body (maybe with the name of a package-level one)
        if sig is not None and i < len(sig.params):
            return sig.params[i]
        if ty is not None:
            return ty
        raise UnsupportedAt("this parameter", self.fn.params[i].span)

    def _param_temp(self, i: int, declare: bool) -> str:
        name = f"arg{i}"
        if declare:
            name = self.temp(name)
            self.param_temps[i] = name
        return name

    def _check_patterns(self) -> None:
        """A name in a pattern that is neither a binding, `None`, a constant nor a unit
        variant of the package's enums (`Empty` after `use Shape::*`) or of std's
        `Ordering` and `Bound` (`Less` after `use std::cmp::Ordering::*`)."""
        for pat, ty in self.br.pat_types.items():
            if isinstance(pat, ast.IdentPat) and pat not in self.br.bindings and \
                    pat.name != "None" and pat not in self.br.const_pats and \
                    not (pat in self.variant_pats and
                         isinstance(_strip_refs(ty), t.Adt) and
                         (_strip_refs(ty).name in self.env.enums or  # type: ignore[union-attr]
                          self.types.is_std_ordering(_strip_refs(ty)) or
                          _strip_refs(ty).name == "Bound")):  # type: ignore[union-attr]
                raise UnsupportedAt("this name in a pattern", pat.span)
        for match in self.nodes.of_type(ast.Match):
            for arm in match.arms:
                if arm.guard is None:
                    continue
                # Rust runs the guard once per way the pattern matches (`Some([a, _] |
                # [_, a]) if a > 0`); the emitter splits only the arm's own alternatives.
                for alt in _alts(arm.pat):
                    for n in self.nodes.walk(alt):
                        if isinstance(n, ast.OrPat) and self._pattern_binds(n):
                            raise UnsupportedAt("an or-pattern with bindings inside the "
                                                "pattern of an arm with a guard", n.span)

    def _alts(self, pat: ast.Pat) -> list[ast.Pat]:
        """The alternatives of a pattern, an imported unit variant as its path pattern."""
        return [self.variant_pats.get(alt, alt) for alt in _alts(pat)]

    def _param_patterns(self) -> None:
        for i, param in enumerate(self.fn.params):
            pat = param.pat
            if isinstance(pat, ast.IdentPat) and pat.sub is None and not pat.by_ref:
                continue
            if isinstance(pat, ast.WildPat):
                continue
            name = self.param_temps[i]
            self.bind_irrefutable(pat, g.ident(name), self._param_type(i, None))

    # ------------------------------------------------------------ uses of locals

    def _scan_uses(self) -> None:
        body = self.fn.body
        if body is None:
            return
        # Only paths, assignments and macros matter: the body's index lists them (`nodes`
        # is the body's: gust.codegen.astwalk). An assignment's target is a path under it.
        assign_targets: set[int] = set()
        for n in self.nodes.of_type(ast.Assign):
            target = _strip(n.target)
            if isinstance(target, ast.PathExpr):
                assign_targets.add(id(target))
        for path in self.nodes.of_type(ast.PathExpr):
            self._note_use(path, assign_targets)
        formats = self.br.formats
        for macro in self.nodes.of_type(ast.MacroCall):
            if macro in formats:
                for arg in formats[macro].args:
                    for m in self.nodes.walk(arg):
                        self._note_use(m, assign_targets)

    def _note_use(self, n: object, assign_targets: set[int]) -> None:
        if isinstance(n, ast.PathExpr):
            res = self.br.paths.get(n)
            if isinstance(res, LocalRes):
                self.refs.add(res.local)
                if id(n) not in assign_targets:
                    self.reads.add(res.local)

    def uses_in(self, node: object) -> set[int]:
        out: set[int] = set()
        for n in self.nodes.walk(node):
            if isinstance(n, ast.PathExpr):
                res = self.br.paths.get(n)
                if isinstance(res, LocalRes):
                    out.add(res.local)
            if isinstance(n, ast.MacroCall) and n in self.br.formats:
                for arg in self.br.formats[n].args:
                    out |= self.uses_in(arg)
        return out

    # ------------------------------------------------------------ names and scopes

    def declare(self, local: int, avoid: set[str] | None = None) -> str:
        """Give a Gust local its Go name in the current Go scope."""
        name = self.br.locals[local].name
        go = name
        if names.is_reserved(go) or go in self.types.pkg.shadowed or go in self.env.go_aliases:
            go = name + "_"
        if go in self._values_used():
            # `let helper = 3; self::helper(helper)`: the Go local would hide the function.
            go = self._fresh(name)
        if go in self.scopes[-1] or (avoid is not None and go in avoid) or \
                go in self.live_targets:
            go = self._fresh(name)
        self.scopes[-1].add(go)
        self.taken.add(go)
        self.local_go[local] = go
        return go

    def _values_used(self) -> frozenset[str]:
        """The Go names of the package's functions and constants this body names."""
        found = self.memo_values
        if found is None:
            env = self.env
            pkg = self.types.pkg
            found = self.memo_values = frozenset(
                pkg.value_name(res.name) for res in self.br.paths.values()
                if (isinstance(res, FnRes) and res.name in env.fns and res.nested_at < 0)
                or (isinstance(res, ConstRes) and res.name in env.consts))
        return found

    def _is_taken(self, name: str) -> bool:
        """Used in this function, or the Go name of a package-level item."""
        env = self.env
        if name in self.taken or name in self.types.pkg.shadowed or name in env.go_aliases:
            return True
        pkg = self.types.pkg
        declared = name in env.fns or name in env.consts
        if declared and pkg.value_name(name) == name:
            return True
        base = name[:-1]
        return name.endswith("_") and (base in env.fns or base in env.consts) and \
            pkg.value_name(base) == name

    def _fresh(self, base: str) -> str:
        base = base.rstrip("_") or "v"
        n = 2
        while True:
            cand = f"{base}{n}"
            if not self._is_taken(cand) and not names.is_reserved(cand):
                return cand
            n += 1

    def temp(self, base: str = "tmp") -> str:
        """A new Go variable name unused in the function."""
        name = base
        if self._is_taken(name) or names.is_reserved(name):
            name = self._fresh(base)
        self.taken.add(name)
        self.scopes[-1].add(name)
        return name

    def label(self, gust: str | None) -> str:
        base = names.label_name(gust) if gust else "loop"
        name = base
        n = 2
        while name in self.labels:
            name = f"{base}{n}"
            n += 1
        self.labels.add(name)
        return name

    def local_expr(self, local: int) -> g.GoExpr:
        if local in self.override:
            return self.override[local]
        return g.ident(self.local_go.get(local, self.br.locals[local].name))

    # ------------------------------------------------------------ statements

    def line(self, text: str, kind: str = "", label: str | None = None) -> None:
        self.cur.append(s.Line(text, self.gl, kind, label))

    def block(self) -> _GoBlock:
        """`with self.block() as stmts:` emits into `stmts`, a new Go block."""
        return _GoBlock(self)

    def at(self, span: Span) -> _AtLine:
        """`with self.at(span):` gives the statements emitted the line of `span`."""
        return _AtLine(self, self.ctx.gline(span))

    def block_stmts(self, block: ast.Block, dest: Dest) -> None:
        """The statements of `block` into the current Go list, its value into `dest`."""
        self.block_guards.append([])
        self.leave_unlocks.append(_LeaveUnlocks(self.loops, len(self.loops), []))
        self.slot_blocks.add(id(block))
        slots = len(self.slot_writebacks)  # `let v = m.get_mut(k)?` slots end with the block
        # `at` and `slot_statement` written out: two generator-based context managers per
        # statement were a tenth of the emitter's own time, and most blocks hold no slot.
        saved_gl = self.gl
        innermost = self.slot_stmts
        stmts = block.stmts
        try:
            for i, stmt in enumerate(stmts):
                self.gl = self.ctx.gline(stmt.span)
                innermost.append(stmt)
                held = map_slots.hold(self, stmt) if self.slot_writebacks else _NONE_HELD
                try:
                    self.stmt(stmt)
                finally:
                    innermost.pop()
                    self.slot_held -= held
                self.end_statement(stmt.span)
                if self.slot_writebacks:
                    map_slots.write_back_after(
                        self, stmt, stmts[i + 1] if i + 1 < len(stmts) else block.tail,
                        i + 1 < len(stmts) or not isinstance(dest, Return))
                self.gl = saved_gl
            if block.tail is not None:
                self.gl = self.ctx.gline(block.tail.span)
                innermost.append(block.tail)
                # (a tail returned ends each branch with a `return`: nothing to hold)
                held = map_slots.hold(self, block.tail) \
                    if self.slot_writebacks and not isinstance(dest, Return) else _NONE_HELD
                try:
                    # (a unit tail is a statement: `if c { *m.get_mut(&k).unwrap() += 1 }`)
                    if not (isinstance(dest, Discard) and
                            map_slots.expr_stmt(self, block.tail)):
                        self.into(block.tail, dest)
                finally:
                    innermost.pop()
                    self.slot_held -= held
                self.end_statement(block.tail.span)
                if self.slot_writebacks:
                    map_slots.write_back_after(self, block.tail, None)
        finally:
            self.gl = saved_gl
        del self.slot_writebacks[slots:]
        self.after_stmt = self.block_guards.pop()
        unlocks = self.leave_unlocks.pop().lines
        if self._ends_with_jump():
            # The block ends with a jump, which unlocked its mutexes already.
            self.after_stmt = [line for line in self.after_stmt if line not in unlocks]
        self.end_statement(block.span, block_end=True)

    @contextmanager
    def slot_statement(self, node: object) -> Iterator[None]:
        """Around the emission of an innermost statement (a jump in it writes back the map
        slots whose references it uses: `map_slots.jump_writes`)."""
        self.slot_stmts.append(node)
        try:
            yield
        finally:
            self.slot_stmts.pop()

    @contextmanager
    def slot_written_back(self, binds: list[tuple[int, g.GoExpr, t.Ty]], line: str
                          ) -> Iterator[None]:
        """Around a block holding a map slot's reference (the locals of `binds` that are
        pointers to the copy): the slot is written back after the statements using one,
        and before the jumps out of the block in a statement using one."""
        added = [(local, line) for local, _, ty in binds if self.types.ref_is_ptr(ty)]
        self.slot_writebacks += added
        for local, _ in added:
            self.slot_lines[line] = local
        try:
            with self.leaving([line]):
                yield
        finally:
            del self.slot_writebacks[len(self.slot_writebacks) - len(added):]

    def _ends_with_jump(self) -> bool:
        return bool(self.cur) and isinstance(self.cur[-1], s.Line) and self.cur[-1].kind in (
            "return", "break", "continue")

    def exit_lines(self, loop: _Loop | None) -> list[str]:
        """What a jump out of `loop` (None: a `return`, `?`) does first: end the temporaries
        of its statement (a `m.lock().unwrap()` guard) and unlock the guards of the blocks
        it leaves."""
        temps = [line for line in self.after_stmt if not line.startswith("defer ")]
        return temps + self.unlocks_leaving(loop)

    @contextmanager
    def leaving(self, lines: list[str]) -> Iterator[None]:
        """Around the statements of a block that must end with `lines` (a map slot's
        write-back) however it is left: jumps out of it run them first."""
        self.leave_unlocks.append(_LeaveUnlocks(self.loops, len(self.loops), lines))
        try:
            yield
        finally:
            self.leave_unlocks.pop()

    def unlocks_leaving(self, loop: _Loop | None) -> list[str]:
        """The unlocks of the mutex guards a jump out of `loop` (None: a `return`) leaves
        behind, and the map slots it must write back, innermost first: Rust drops the
        guards on every way out of their block."""
        lines: list[str] = []
        for entry in reversed(self.leave_unlocks):
            if entry.loops is not self.loops:
                break  # the blocks of the function around a closure
            if loop is not None and entry.depth <= self.loops.index(loop):
                break
            lines += (line for line in reversed(entry.lines)
                      if line not in self.slot_lines or map_slots.jump_writes(self, line))
        return lines

    def end_statement(self, span: Span, block_end: bool = False) -> None:
        """What Rust does when a statement ends: drop its temporary mutex guards."""
        if not self.after_stmt:
            return
        if not block_end and self._ends_with_jump():
            # The jump ended the statement's temporaries before it (exit_lines).
            self.after_stmt = [line for line in self.after_stmt if line.startswith("defer ")]
            if not self.after_stmt:
                return
        if self.cur and isinstance(self.cur[-1], s.Line) and self.cur[-1].kind in (
                "return", "break", "continue", "panic"):
            raise UnsupportedAt("a mutex guard in a statement that leaves the block", span)
        lines, self.after_stmt = self.after_stmt, []
        for text in lines:
            self.line(text)

    def block_into(self, block: ast.Block, dest: Dest) -> None:
        """A block in statement position: a Go block when it declares anything."""
        if any(isinstance(st, ast.Let) for st in block.stmts):
            with self.block() as body:
                self.block_stmts(block, dest)
            self.cur.append(s.Block(body, self.gl))
        else:
            self.block_stmts(block, dest)

    def stmt(self, st: ast.Stmt) -> None:
        match st:
            case ast.Let():
                self.let(st)
            case ast.ExprStmt(expr=expr):
                if not map_slots.expr_stmt(self, expr):
                    self.into(expr, DISCARD)
            case ast.ItemStmt():
                # A nested `fn` is emitted after the function (FnEmitter.emit); the body's
                # other items as package-level Go (gust.codegen.items).
                pass

    def let(self, st: ast.Let) -> None:
        pat = st.pat
        if st.else_block is not None:
            self.let_else(st)
            return
        if st.init is None:
            for local in self._bindings(pat):
                go = self.declare(local)
                self.line(f"var {go} {self.go(self.br.locals[local].ty)}")
                if local not in self.reads:
                    self.line(f"_ = {go}")
            return
        init = st.init
        if map_slots.let_slot(self, st) or map_slots.entry_slot(self, st):
            return
        if isinstance(pat, ast.IdentPat) and pat.sub is None and not pat.by_ref and \
                pat in self.br.bindings:
            local = self.br.bindings[pat]
            ty = self.br.locals[local].ty
            dropped = self.rc_plan is not None and local in self.rc_plan.drops
            if local not in self.refs and not dropped:
                self.into(init, DISCARD)
                return
            if self.string_builders.get(local) == "let":
                string_builders.declare(self, local, init)
                return
            if std_calls.is_entry_call(self, init) and not self.br.locals[local].mutable:
                # `let n = m.entry(k).or_insert(0);`: `n` stands for the map element
                # (Rust's borrow rules keep the map and key unchanged while it lives).
                self.override[local] = self.expr(init)
                return
            if iterators.fusible_consumer(self, init):
                # `let total: i32 = v.iter().map(..).sum();`: one loop computing `total`.
                go = self.declare(local)
                iterators.fuse_consumer(self, _strip(init), go)  # type: ignore[arg-type]
                if local not in self.reads:
                    self.line(f"_ = {go}")
                return
            if _is_block_like(init):
                avoid = {self.local_go[u] for u in self.uses_in(init) if u in self.local_go}
                go = self.declare(local, avoid)
                self.line(f"var {go} {self.go(ty)}")
                self.into(init, Assign(g.ident(go), ty))
            elif local in self.pointer_maps:
                go = self.declare(local)
                self.line(f"{go} := {g.render(pointer_maps.new_map(self, init, ty))}")
            else:
                value = self.adapt(self.expr(init), self.ty(init), ty)
                go = self.declare(local)
                self.define(go, value, ty)
            if local not in self.reads and not dropped:
                self.line(f"_ = {go}")
            self.drop_at_scope_end(local)
            return
        if isinstance(pat, ast.WildPat):
            self.into(init, DISCARD)
            return
        ty = self.br.pat_types.get(pat, self.ty(init))
        init_s = _strip(init)
        if isinstance(pat, ast.TuplePat) and isinstance(init_s, ast.TupleExpr) and \
                len(init_s.elems) == len(pat.elems) and \
                not any(isinstance(p, ast.RestPat) for p in pat.elems):
            values = self.exprs(list(init_s.elems))
            stable = [self.stable(v, self.ty(e)) for v, e in zip(values, init_s.elems,
                                                                 strict=True)]
            for p, v, e in zip(pat.elems, stable, init_s.elems, strict=True):
                self.bind_irrefutable(p, v, self.ty(e))
            return
        subject = self.stable(self.expr(init), ty)
        self.bind_irrefutable(pat, subject, ty)

    def let_else(self, st: ast.Let) -> None:
        assert st.init is not None and st.else_block is not None
        ty = self.ty(st.init)
        subject = self.stable(self.expr(st.init), ty)
        init, conds, binds = self.pattern_test(st.pat, subject, ty)
        if init:
            self.line(init)
        with self.block() as body:
            self.block_stmts(st.else_block, DISCARD)
        cond = _conj(conds)
        self.cur.append(s.If(g.render(g.negate(cond), header=True), body, None, self.gl))
        self.emit_binds(binds)

    def define(self, go: str, value: g.GoExpr, ty: t.Ty) -> None:
        """`go := value`, or `var go T = value` when Go would infer another type."""
        if self._needs_var(value, ty):
            self.line(f"var {go} {self.go(ty)} = {g.render(value)}")
        else:
            self.line(f"{go} := {g.render(value)}")

    def _bindings(self, pat: ast.Pat) -> list[int]:
        return [self.br.bindings[n] for n in self.nodes.walk(pat)
                if isinstance(n, ast.IdentPat) and n in self.br.bindings]

    # ------------------------------------------------------------ destinations

    def into(self, e: ast.Expr, dest: Dest) -> None:
        """Lower `e` so that its value ends up in `dest`."""
        target = dest.target.text if isinstance(dest, Assign) and \
            isinstance(dest.target, g.Atom) and dest.target.text.isidentifier() else None
        if target is not None and isinstance(e, ast.Block | ast.If | ast.Match | ast.Loop):
            # The Go blocks that compute the value assign to `target`: a local declared in
            # them must not shadow it (`let value = match t { Some(value) => .. }`).
            self.live_targets.append(target)
            try:
                self._into(e, dest)
            finally:
                self.live_targets.pop()
            return
        self._into(e, dest)

    def _into(self, e: ast.Expr, dest: Dest) -> None:
        match e:
            case ast.Paren(inner=inner):
                self.into(inner, dest)
            case ast.Block():
                self.block_into(e, dest)
            case ast.If():
                self.if_into(e, dest)
            case ast.Match():
                self.match_into(e, dest)
            case ast.Loop():
                self.loop(e, dest)
            case ast.Select():
                concurrency.select(self, e, dest)
            case ast.While():
                self.while_loop(e)
                self.unit_into(dest)
            case ast.For():
                self.for_loop(e)
                self.unit_into(dest)
            case ast.Return():
                self.return_(e)
            case ast.Break():
                self.break_(e)
            case ast.Continue():
                self.continue_(e)
            case ast.Assign() | ast.CompoundAssign():
                self.assign(e)
                self.unit_into(dest)
            case ast.MacroCall(name=name) if name in _PANIC_PREFIX or name in (
                    "assert", "assert_eq", "assert_ne", "debug_assert", "debug_assert_eq",
                    "debug_assert_ne", "println", "print", "eprintln", "eprint"):
                self.macro_stmt(e)
                self.unit_into(dest)
            case ast.MethodCall() if self._is_unit_builtin(e):
                self.method_stmt(e)
                self.unit_into(dest)
            case ast.MethodCall() if isinstance(dest, Discard) and self._is_map_stmt(e):
                self.map_stmt(e)
            case _:
                ty = self.ty(e)
                value = self.expr(e)
                self.deliver(value, ty, dest)

    def into_final(self, e: ast.Expr, dest: Dest) -> None:
        """`into` for the last thing of a fresh Go block (an arm body): a Rust block needs
        no Go block of its own there."""
        inner = _strip(e)
        if isinstance(inner, ast.Block):
            self.block_stmts(inner, dest)
        elif self.slot_writebacks:
            # An arm without a block is an innermost statement for the map slots.
            self.slot_blocks.add(id(inner))
            held = map_slots.hold(self, inner) if not isinstance(dest, Return) else _NONE_HELD
            try:
                with self.slot_statement(inner):
                    self.into(inner, dest)
            finally:
                self.slot_held -= held
            map_slots.write_back_after(self, inner, None)
        else:
            self.into(inner, dest)

    def unit_into(self, dest: Dest) -> None:
        if isinstance(dest, Assign):
            self.line(f"{g.render(dest.target)} = struct{{}}{{}}")

    def deliver(self, value: g.GoExpr, ty: t.Ty, dest: Dest) -> None:
        match dest:
            case Discard():
                self.discard(value, ty)
            case Return():
                unlocks = self.exit_lines(None)
                if self._returns_nothing():
                    self.discard(value, ty)
                    self._lines(unlocks)
                    self.line("return", "return")
                else:
                    result = self.adapt(value, ty, self.ret)
                    if unlocks:
                        # Computed while the guards still hold their locks.
                        result = g.ident(self.define_temp(result, self.ret, "result"))
                        self._lines(unlocks)
                    self.line("return " + g.render(result), "return")
            case Assign(target=target, ty=target_ty):
                v = self.adapt(value, ty, target_ty)
                self.line(f"{g.render(target)} = {g.render(v)}")

    def drop_at_scope_end(self, local: int) -> None:
        """Drop the counted `Rc`s or `Drop` values a variable holds where Rust does (gust.codegen.rc_counts):
        `defer` in the outermost block, the end of the Go block otherwise."""
        where = self.rc_plan.drops.get(local) if self.rc_plan is not None else None
        if where is None:
            return
        lines = rc_counts.drop_lines(self, g.render(self.local_expr(local)),
                                     self.br.locals[local].ty)
        if where == "block":
            self.block_guards[-1][:0] = lines  # the last declared is dropped first
            # and before a `break` or `continue` out of the block (`unlocks_leaving` reads
            # each block's lines backwards)
            self.leave_unlocks[-1].lines.extend(reversed(lines))
        elif len(lines) == 1:
            self.line("defer " + lines[0])
        else:
            self.line("defer func() {")
            for text in lines:
                self.line("\t" + text)
            self.line("}()")

    def discard(self, value: g.GoExpr, ty: t.Ty) -> None:
        if rc_counts.owns(self.types, ty):
            # A value dropped by its statement (`clients.pop();`): its handles with it.
            held = g.render(self.stable(value, ty, "dropped"))
            for text in rc_counts.drop_lines(self, held, ty):
                self.line(text)
            return
        if isinstance(value, g.Call) and not value.conversion and not _returns_value(value):
            self.line(g.render(value))
        elif value == _UNIT or isinstance(ty, t.Never) or (
                isinstance(value, g.Atom) and not value.text.isidentifier()) or (
                isinstance(value, g.Unary) and value.op == "&" and g.is_pure(value)):
            return
        else:
            self.line("_ = " + g.render(value))

    # ------------------------------------------------------------ control flow

    def if_into(self, e: ast.If, dest: Dest) -> None:
        if isinstance(e.cond, ast.LetCond):
            guarded = concurrency.guard_pattern(self, e.cond.expr, e.cond.pat)
            if guarded is not None:  # `if let Ok(mut g) = m.lock()`: the `else` cannot run
                concurrency.guarded_block(self, *guarded, e.then, dest)
                return
        after = None
        if map_slots.is_slot_if(self, e):
            dest, after = map_slots.returned_value(self, dest)
        self.cur.append(self.build_if(e, dest))
        if after is not None:
            self.line(after, "return")

    def build_if(self, e: ast.If, dest: Dest) -> s.If:
        gl = self.ctx.gline(e.span)
        binds: list[tuple[int, g.GoExpr, t.Ty]] = []
        write_back = None
        slot = map_slots.if_let_slot(self, e.cond, e.then) \
            if isinstance(e.cond, ast.LetCond) else None
        payload = self._if_let_payload(e, dest) if isinstance(e.cond, ast.LetCond) and \
            slot is None else None
        payload_back = ""
        if slot is not None:
            header, binds, write_back = slot
        elif payload is not None:
            header, binds, payload_back = payload
        elif isinstance(e.cond, ast.LetCond):
            ty = self.ty(e.cond.expr)
            value = self.expr(e.cond.expr)
            init_stmt = None
            flushed = map_slots.flush_changed(self, e.cond.expr)
            if flushed:  # computed, then the slots it changed written back, then the branch
                value = self.stable(value, ty, _subject_name(e.cond.expr))
                self._lines(flushed)
            if not g.is_pure(value):
                tmp = self.temp(_subject_name(e.cond.expr))
                init_stmt = f"{tmp} := {g.render(value, header=True)}"
                value = g.ident(tmp)
            _, conds, binds = self.pattern_test(e.cond.pat, value, ty)
            header = g.render(_conj(conds), header=True)
            if init_stmt is not None:
                header = f"{init_stmt}; {header}"
        else:
            header = g.render(self.flushed_condition(e.cond), header=True)
        with self.block() as then:
            self.emit_binds(binds)
            with self.slot_written_back(binds, write_back) if write_back is not None \
                    else self.leaving([]):
                self.block_stmts(e.then, dest)
            if payload is not None:
                self.line(payload_back)  # the changed copy of the payload, back in the enum
        else_: list[s.GoStmt] | None = None
        if isinstance(e.else_, ast.If):
            with self.block() as else_body, self.at(e.else_.span):
                nested = self.build_if(e.else_, dest)
                self.cur.append(nested)
            else_ = else_body
        elif isinstance(e.else_, ast.Block):
            with self.block() as else_body:
                self.block_into(e.else_, dest)
            else_ = else_body
        elif not isinstance(dest, Discard):
            with self.block() as else_body:
                self.unit_into(dest)
            else_ = else_body or None
        return s.If(header, then, else_, gl)

    def condition(self, cond: ast.Expr) -> g.GoExpr:
        """An `if` or `while` condition. Its temporaries end with it, before the branch
        runs, as in Rust: a mutex guard locked in it (`m.lock().unwrap().is_empty()`) is
        unlocked right after the condition is computed."""
        pending = self.after_stmt
        mark = len(pending)
        value = self.expr(cond)
        if self.after_stmt is not pending or len(pending) == mark:
            return value
        value = g.ident(self.define_temp(value, t.BOOL, "cond"))
        self._lines(pending[mark:])
        del pending[mark:]
        return value

    def flushed_condition(self, cond: ast.Expr) -> g.GoExpr:
        """An `if` or `while` condition, after which the map slots it changes are written
        back (`map_slots.flush_changed`: the blocks may use the map)."""
        value = self.condition(cond)
        flushed = map_slots.flush_changed(self, cond)
        if flushed:
            if not isinstance(value, g.Atom) or not value.text.isidentifier():
                value = g.ident(self.define_temp(value, t.BOOL, "cond"))
            self._lines(flushed)
        return value

    def loop(self, e: ast.Loop, dest: Dest) -> None:
        ty = self.ty(e)
        value_dest = None if isinstance(ty, t.Never) or ty == t.UNIT else dest
        lp = _Loop(e.label, self.label(e.label), value_dest, self.switch_depth)
        self.loops.append(lp)
        try:
            with self.block() as body:
                self.block_stmts(e.body, DISCARD)
        finally:
            self.loops.pop()
        self.cur.append(s.For("", body, lp.go_label, has_cond=False, gline=self.gl))
        if value_dest is None and ty == t.UNIT:
            self.unit_into(dest)

    def while_loop(self, e: ast.While) -> None:
        lp = _Loop(e.label, self.label(e.label), None, self.switch_depth)
        self.loops.append(lp)
        try:
            with self.block() as body:
                if isinstance(e.cond, ast.LetCond):
                    ty = self.ty(e.cond.expr)
                    value = self.stable(self.expr(e.cond.expr), ty, _subject_name(e.cond.expr))
                    self._lines(map_slots.flush_changed(self, e.cond.expr))
                    init, conds, binds = self.pattern_test(e.cond.pat, value, ty)
                    if init:
                        self.line(init)
                    with self.block() as brk:
                        self.line("break", "break")
                    self.cur.append(s.If(g.render(g.negate(_conj(conds)), header=True), brk,
                                         None, self.gl))
                    self.emit_binds(binds)
                    header = ""
                else:
                    mark = len(self.cur)
                    cond = self.flushed_condition(e.cond)
                    if len(self.cur) > mark:
                        with self.block() as brk:
                            self.line("break", "break")
                        self.cur.append(s.If(g.render(g.negate(cond), header=True), brk, None,
                                             self.gl))
                        header = ""
                    else:
                        header = g.render(cond, header=True)
                self.block_stmts(e.body, DISCARD)
        finally:
            self.loops.pop()
        self.cur.append(s.For(header, body, lp.go_label, has_cond=header != "", gline=self.gl))

    def _find_loop(self, label: str | None) -> _Loop:
        for lp in reversed(self.loops):
            if label is None or lp.gust_label == label:
                return lp
        raise UnsupportedAt("this `break`", Span(0, 0))

    def break_(self, e: ast.Break) -> None:
        lp = self._find_loop(e.label)
        if e.value is not None:
            if lp.dest is None:
                self.into(e.value, DISCARD)
            elif isinstance(lp.dest, Return):
                self.into(e.value, RETURN)
                return
            else:
                self.into(e.value, lp.dest)
        self._jump("break", lp, e.label is not None)

    def continue_(self, e: ast.Continue) -> None:
        lp = self._find_loop(e.label)
        self._jump("continue", lp, e.label is not None)

    def _lines(self, lines: list[str]) -> None:
        for text in lines:
            self.line(text)

    def _jump(self, word: str, lp: _Loop, labelled: bool) -> None:
        self._lines(self.exit_lines(lp))
        innermost = lp is self.loops[-1]
        needs_label = labelled and not innermost
        if word == "break" and self.switch_depth > lp.switch_depth:
            needs_label = True
        if needs_label:
            self.line(f"{word} {lp.go_label}", word, lp.go_label)
        else:
            self.line(word, word)

    def return_(self, e: ast.Return) -> None:
        if e.value is None:
            self._lines(self.exit_lines(None))
            self.line("return", "return")
        else:
            self.into(e.value, RETURN)

    # ------------------------------------------------------------ for loops

    def for_loop(self, e: ast.For) -> None:
        lp = _Loop(e.label, self.label(e.label), None, self.switch_depth)
        it = _strip(e.iter)
        item_ty = self.br.pat_types.get(e.pat, t.ERROR)
        self.loops.append(lp)
        try:
            self._for(e, it, item_ty, lp)
        finally:
            self.loops.pop()

    def _for_body(self, e: ast.For, prelude: list[s.GoStmt] | None = None) -> list[s.GoStmt]:
        with self.block() as body:
            if prelude:
                self.cur.extend(prelude)
            self.block_stmts(e.body, DISCARD)
        return body

    def _loop_var(self, pat: ast.Pat) -> tuple[str | None, int | None]:
        """The Go name for a loop variable bound by a simple pattern (None when unused)."""
        if isinstance(pat, ast.IdentPat) and pat.sub is None and pat in self.br.bindings:
            local = self.br.bindings[pat]
            if local not in self.refs:
                return None, None
            return self.declare(local), local
        if isinstance(pat, ast.WildPat):
            return None, None
        return "", None

    def _for(self, e: ast.For, it: ast.Expr, item_ty: t.Ty, lp: _Loop) -> None:
        if map_slots.for_mut(self, e, lp.go_label):
            return  # `m.values_mut()`, `m.iter_mut()`, `&mut m`: with write-backs
        # Ranges: `a..b`, `(a..b).rev()`, `(a..b).step_by(n)`.
        rev = step = None
        rng = it
        if isinstance(it, ast.MethodCall) and it.name in ("rev", "step_by") and \
                isinstance(_strip(it.receiver), ast.Range):
            rng = _strip(it.receiver)
            if it.name == "rev":
                rev = it
            else:
                step = it.args[0]
        if isinstance(rng, ast.Range) and rng.lo is not None and rng.hi is not None and \
                isinstance(e.pat, (ast.IdentPat, ast.WildPat)) and \
                isinstance(item_ty, t.Int):
            self._range_for(e, rng, rev is not None, step, item_ty, lp)
            return
        # Slices: `v`, `&v`, `v.iter()`, `v.iter_mut()`, `v.into_iter()`, `.enumerate()`.
        enumerate_ = False
        src = it
        if isinstance(src, ast.MethodCall) and src.name == "enumerate" and not src.args:
            enumerate_ = True
            src = _strip(src.receiver)
        seq = self._slice_source(src)
        if seq is not None and (not enumerate_ or isinstance(e.pat, ast.TuplePat)):
            self._slice_for(e, seq[0], seq[1], seq[2], enumerate_, lp)
            return
        if not enumerate_ and zip_loops.zip_for(self, e, it, lp):
            return  # `a.iter().zip(b.iter())` over two slices: an indexed loop
        if isinstance(src, ast.MethodCall) and src.name in ("chars", "bytes", "split_whitespace") \
                and not enumerate_ and self._is_text_method(src):
            recv = self.method_receiver(src)
            if src.name == "chars":  # Go's range over a string: runes, made `Char`s
                self._range_over(e, "_, ", recv, t.CHAR, lp, runes=True)
            elif src.name == "bytes":  # Go ranges over `[]byte(s)` without copying s
                self._range_over(e, "_, ", g.conversion("[]byte", recv), item_ty, lp)
            else:
                self._range_over(e, "", g.call("gustFields", recv), t.STR_REF, lp)
            return
        if iterators.fuse_for(self, e, it, lp.go_label):
            return  # map/filter/enumerate over a slice, range or chars: one loop
        # `for (k, v) in &m` / `in m` over a map: its entries (in key order for a `BTreeMap`).
        pairs = std_calls.map_loop_source(self, it)
        if pairs is not None:
            self._range_over(e, "", pairs, item_ty, lp)
            return
        into = iterators.user_into_iter(self, it)
        if into is not None:
            self._range_over(e, "", into, item_ty, lp)
            return
        # Any other iterator: an iter.Seq (a `Receiver` is iterated by its `iter()`).
        seq_expr = self.expr(it)
        user = iterators.user_seq(self, seq_expr, self.ty(it))
        if user is not None:
            self._range_over(e, "", user, item_ty, lp)
            return
        it_ty = _deref_all(self.ty(it))
        if isinstance(it_ty, t.Adt) and it_ty.name == "Receiver":
            seq_expr = g.call(g.selector(seq_expr, "iter"))
        seq_expr = iterators.range_seq(seq_expr, self.ty(it))
        by_ref = self.ty(it)
        if isinstance(by_ref, t.Ref) and by_ref.mutable and \
                self.go(by_ref).startswith("*iter.Seq["):
            # `for x in &mut it`, `for x in it` with `it: &mut dyn Iterator`: taken from `it`
            seq_expr = g.call("gustByRefSeq", seq_expr)
        self._range_over(e, "", seq_expr, item_ty, lp)

    def _is_text_method(self, e: ast.MethodCall) -> bool:
        """Whether `e` is a builtin method of `str` or `String` (`s.bytes()`), not a method
        of the same name on a user type."""
        res = self.br.methods.get(e)
        return res is not None and res.builtin and res.owner in ("str", "String")

    def _range_over(self, e: ast.For, prefix: str, source: g.GoExpr, item_ty: t.Ty,
                    lp: _Loop, runes: bool = False) -> None:
        """`runes`: Go's range yields runes, bound as `Char`s (`c := Char(r)`)."""
        flushed = map_slots.flush_changed(self, e.iter)
        if flushed:  # the slots the iterable changed, written back before the loop
            if not g.is_pure(source):
                tmp_source = self.temp("items")
                self.line(f"{tmp_source} := {g.render(source)}")
                source = g.ident(tmp_source)
            self._lines(flushed)
        with self.block() as body:
            name, _ = self._loop_var(e.pat)
            head = ""
            tmp = ""
            if name is None:
                head = f"range {g.render(source)}"
            elif name and runes:
                tmp = self.temp("r")
                head = f"{prefix}{tmp} := range {g.render(source)}"
                self.line(f"{name} := Char({tmp})")
            elif name:
                head = f"{prefix}{name} := range {g.render(source)}"
            else:
                tmp = self.temp("item")
                head = f"{prefix}{tmp} := range {g.render(source)}"
                item = g.conversion("Char", g.ident(tmp)) if runes else g.ident(tmp)
                self.bind_irrefutable(e.pat, item, item_ty)
            self.block_stmts(e.body, DISCARD)
        if name == "" and not self._mentioned(body, tmp):
            head = f"range {g.render(source)}"  # the pattern's bindings are unused
        self.cur.append(s.For(head, body, lp.go_label, gline=self.gl))

    def _mentioned(self, stmts: list[s.GoStmt], name: str) -> bool:
        lines: list[tuple[str, int | None]] = []
        s.render(stmts, 0, lines)
        return any(_mentions(text, name) for text, _ in lines)

    def _range_for(self, e: ast.For, rng: ast.Range, rev: bool, step: ast.Expr | None,
                   item_ty: t.Ty, lp: _Loop) -> None:
        assert rng.lo is not None and rng.hi is not None
        lo_e, hi_e = rng.lo, rng.hi
        lo, hi = self.exprs([lo_e, hi_e])
        flushed = map_slots.flush_changed(self, e.iter)  # `for i in 0..t.items.pop()..`
        if flushed:  # the bounds computed once, then the slots they changed written back
            lo, hi = self.stable(lo, item_ty, "lo"), self.stable(hi, item_ty, "hi")
            self._lines(flushed)
        go_ty = self.go(item_ty)
        with self.block() as body:
            name, local = self._loop_var(e.pat)
            mutated = local is not None and self.br.locals[local].mutable
            if mutated:
                self.line(f"{name} := {name}")
            self.block_stmts(e.body, DISCARD)
        zero_lo = isinstance(lo, g.Atom) and lo.text == "0"
        if not rev and step is None and zero_lo and not rng.inclusive and not mutated:
            bound = self.typed(hi, item_ty)
            if name is None:
                head = f"range {g.render(bound)}"
            else:
                head = f"{name} := range {g.render(bound)}"
            self.cur.append(s.For(head, body, lp.go_label, gline=self.gl))
            return
        var = name or self.temp("i")
        signed = isinstance(item_ty, t.Int) and (item_ty.signed or item_ty.kind == "usize")
        if rev and not signed:
            self._unsigned_rev_for(rng, lo, hi, var, item_ty, body, lp)
            return
        stable_hi = g.is_pure(hi) and self._stable_bound(hi_e)
        stable_lo = g.is_pure(lo) and self._stable_bound(lo_e)
        init_lo = self.typed(lo, item_ty) if g.is_untyped(lo) and \
            UNTYPED_DEFAULT[g.is_untyped(lo) or "int"] != go_ty else lo
        if rev:
            start: g.GoExpr = hi if rng.inclusive else g.binary("-", hi, g.Atom("1", "int"))
            if not rng.inclusive and isinstance(hi, g.Atom) and hi.untyped == "int" and \
                    hi.text.isdigit():
                start = g.Atom(str(int(hi.text) - 1), "int")
            if g.is_untyped(start) and UNTYPED_DEFAULT["int"] != go_ty:
                start = self.typed(start, item_ty)
            end_v = lo
            if not stable_lo:
                end_name = self.temp("end")
                init = f"{var}, {end_name} := {g.render_list([start, lo])}"
                end_v = g.ident(end_name)
            else:
                init = f"{var} := {g.render(start)}"
            cond: g.GoExpr = g.binary(">=", g.ident(var), end_v)
            head = f"{init}; {g.render(cond)}; {var}--"
        else:
            end_v = hi
            if not stable_hi:
                end_name = self.temp("end")
                init = f"{var}, {end_name} := {g.render_list([init_lo, hi])}"
                end_v = g.ident(end_name)
            else:
                init = f"{var} := {g.render(init_lo)}"
            cond = g.binary("<=" if rng.inclusive else "<", g.ident(var), end_v)
            post = f"{var}++"
            step_v = self.adapt(self.expr(step), t.USIZE, item_ty) if step is not None \
                else None
            if step_v is not None:
                post = f"{var} += {g.render(step_v)}"
            if iterators.may_pass_max(item_ty, self._const_int(hi_e), rng.inclusive,
                                      self._const_int(step) if step is not None else 1):
                init, cond, post = iterators.flagged_range(var, self.temp("done"), init, end_v,
                                                           go_ty, rng.inclusive, step_v)
            head = f"{init}; {g.render(cond)}; {post}"
        self.cur.append(s.For(head, body, lp.go_label, gline=self.gl))

    def _unsigned_rev_for(self, rng: ast.Range, lo: g.GoExpr, hi: g.GoExpr, var: str,
                          item_ty: t.Ty, body: list[s.GoStmt], lp: _Loop) -> None:
        """`for i in (lo..hi).rev()` on an unsigned type: counting down to `lo` must not
        step below zero, so the loop ends on a flag set when `i` reaches `lo` (Go evaluates
        `i == lo` before `i-1` is stored)."""
        assert rng.lo is not None
        if not (g.is_pure(lo) and self._stable_bound(rng.lo)):
            end = self.temp("end")
            self.line(f"{end} := {g.render(self.typed(lo, item_ty))}")
            lo = g.ident(end)
        if rng.inclusive:
            start: g.GoExpr = hi
        elif isinstance(hi, g.Atom) and hi.untyped == "int" and hi.text.isdigit():
            start = g.Atom(str(max(int(hi.text) - 1, 0)), "int")  # a constant cannot wrap
        else:
            start = g.binary("-", hi, g.Atom("1", "int"))
        if g.is_untyped(start):
            start = self.typed(start, item_ty)
        empty = g.binary(">" if rng.inclusive else ">=", lo, hi)
        done = self.temp("done")
        step: list[g.GoExpr] = [g.binary("-", g.ident(var), g.Atom("1", "int")),
                g.binary("==", g.ident(var), lo)]
        head = (f"{var}, {done} := {g.render_list([start, empty])}; !{done}; "
                f"{var}, {done} = {g.render_list(step)}")
        self.cur.append(s.For(head, body, lp.go_label, gline=self.gl))

    def _stable_bound(self, e: ast.Expr) -> bool:
        """A range bound the loop body cannot change (literals, consts, non-`mut` locals)."""
        e = _strip(e)
        for n in self.nodes.walk(e):
            if isinstance(n, ast.PathExpr):
                res = self.br.paths.get(n)
                if isinstance(res, LocalRes):
                    lc = self.br.locals[res.local]
                    if lc.mutable or (isinstance(lc.ty, t.Ref) and lc.ty.mutable):
                        return False
                elif not isinstance(res, ConstRes):
                    return False
            elif not isinstance(n, (ast.Literal, ast.Binary, ast.Unary, ast.Paren, ast.Path,
                                    ast.PathSegment, ast.Cast, ast.TypePath)):
                return False
        return True

    def _slice_source(self, src: ast.Expr) -> tuple[g.GoExpr, t.Ty, str] | None:
        """(slice, element type, mode) when iterating a Vec/array/slice; mode is "value",
        "ref" (shared refs to elements) or "mut" (mutable refs)."""
        src = _strip(src)
        mode = None
        base: ast.Expr = src
        if isinstance(src, ast.MethodCall) and src.name in ("iter", "iter_mut", "into_iter") \
                and not src.args:
            res = self.br.methods.get(src)
            if res is None or res.owner not in ("Vec", "slice"):
                return None
            mode = {"iter": "ref", "iter_mut": "mut", "into_iter": "value"}[src.name]
            base = src.receiver
            recv_ty = self._deref_ty(self.ty(base), res.derefs)
            if src.name == "into_iter" and isinstance(self.ty(base), t.Ref):
                mode = "mut" if self.ty(base).mutable else "ref"  # type: ignore[union-attr]
            go_base = self._deref_expr(self.expr(base), self.ty(base), res.derefs)
            elem = _elem_of(recv_ty)
            if elem is None:
                return None
            return go_base, elem, mode
        if isinstance(src, ast.Borrow):
            inner_ty = self.ty(src.operand)
            elem = _elem_of(inner_ty)
            if elem is None:
                return None
            return self.expr(src.operand), elem, "mut" if src.mutable else "ref"
        ty = self.ty(src)
        if isinstance(ty, t.Ref):
            elem = _elem_of(ty.inner)
            if elem is None:
                return None
            return self._deref_expr(self.expr(src), ty, 1), elem, "mut" if ty.mutable else "ref"
        elem = _elem_of(ty)
        if elem is None:
            return None
        return self.expr(src), elem, "value"

    def _slice_for(self, e: ast.For, base: g.GoExpr, elem: t.Ty, mode: str, enumerate_: bool,
                   lp: _Loop) -> None:
        pat = e.pat
        index_pat: ast.Pat | None = None
        if enumerate_:
            assert isinstance(pat, ast.TuplePat) and len(pat.elems) == 2
            index_pat, pat = pat.elems
        item_ty: t.Ty = elem if mode == "value" else t.Ref(elem, mode == "mut")
        # A reference to an element is its address (`&items[i]`); elements that are
        # references themselves (`for p in [&a, &b]`) are pointers already.
        by_pointer = mode != "value" and self.types.ref_is_ptr(item_ty)
        flushed = map_slots.flush_changed(self, e.iter)  # `for x in t.items.split_off(0)`
        if (by_pointer or flushed) and (not g.is_pure(base) or isinstance(base, g.Composite)):
            # Evaluated once, and addressable (an array literal's elements are not).
            items = self.temp("items")
            self.line(f"{items} := {g.render(base)}")
            base = g.ident(items)
        self._lines(flushed)
        item: str | None = None
        with self.block() as body:
            index_name: str | None = None
            if index_pat is not None:
                index_name, _ = self._loop_var(index_pat)
                if index_name == "":
                    raise UnsupportedAt("this loop pattern", index_pat.span)
            name, _ = self._loop_var(pat)
            if by_pointer and name is not None:
                if index_name is None:
                    index_name = self.temp("i")
                value: g.GoExpr = g.unary("&", g.index(base, g.ident(index_name)))
                if name == "":
                    self.bind_irrefutable(pat, value, item_ty)
                else:
                    self.line(f"{name} := {g.render(value)}")
                name = None
            elif name == "":
                tmp = self.temp("item")
                self.bind_irrefutable(pat, g.ident(tmp), item_ty)
                name = item = tmp
            self.block_stmts(e.body, DISCARD)
        if item is not None and not self._mentioned(body, item):
            name = None  # a pattern (`&x`, `(a, b)`) whose bindings are all unused
        if name is None and index_name is None:
            head = f"range {g.render(base)}"
        elif name is None:
            head = f"{index_name} := range {g.render(base)}"
        else:
            head = f"{index_name or '_'}, {name} := range {g.render(base)}"
        self.cur.append(s.For(head, body, lp.go_label, gline=self.gl))

    # ------------------------------------------------------------ match

    def match_into(self, e: ast.Match, dest: Dest) -> None:
        if map_slots.match_slot(self, e, dest) or concurrency.match_guarded(self, e, dest):
            return
        scrut = _strip(e.scrutinee)
        ty = self.ty(e.scrutinee)
        arms = [_Arm(a, alt) for a in e.arms for alt in self._arm_alternatives(a)]
        if isinstance(scrut, ast.TupleExpr) and scrut.elems and all(
                isinstance(a.pat, (ast.TuplePat, ast.WildPat)) for a in arms):
            values = self.exprs(list(scrut.elems))
            subjects = [self.stable(v, self.ty(x)) for v, x in zip(values, scrut.elems,
                                                                   strict=True)]
            self._lines(map_slots.flush_changed(self, e.scrutinee))
            self._match_chain(arms, _VTuple(subjects, [self.ty(x) for x in scrut.elems]),
                              ty, dest)
            return
        base_ty = ty
        value = self.expr(e.scrutinee)
        flushed = map_slots.flush_changed(self, e.scrutinee)
        if flushed:  # computed, then the slots it changed written back, then the arms
            value = self.stable(value, ty, _subject_name(e.scrutinee))
            self._lines(flushed)
        chain_ty = ty  # the type the arms' patterns see the subject as
        if isinstance(ty, t.Ref) and not self._all_ident(arms):
            base_ty = ty.inner
            if self.types.ref_is_ptr(ty) and not self.types.is_struct(base_ty):
                value = g.unary("*", value)
                chain_ty = base_ty  # dereferenced once here, not again by the patterns
        if isinstance(base_ty, t.Adt) and self.types.is_iface_enum(base_ty.name):
            self._type_switch(arms, value, ty, base_ty, dest, e)
            return
        if self._value_switch_ok(arms, base_ty):
            self._value_switch(arms, value, ty, dest)
            return
        subject = self.stable(value, chain_ty, _subject_name(e.scrutinee))
        mark = len(self.cur)
        self._match_chain(arms, subject, chain_ty, dest)
        self._keep_subject(mark, subject)

    def _keep_subject(self, at: int, subject: g.GoExpr) -> None:
        """`_ = tmp` before a match chain (from `self.cur[at]` on) that never reads its
        subject, a temporary (a pattern whose bindings are all unused): Go rejects an
        unused variable."""
        name = g.render(subject)
        if not name.isidentifier():
            return
        lines: list[tuple[str, int | None]] = []
        s.render(self.cur[at:], 0, lines)
        if not any(_mentions(text, name) for text, _ in lines):
            self.cur.insert(at, s.Line(f"_ = {name}", self.gl))

    def _arm_alternatives(self, arm: ast.MatchArm) -> tuple[ast.Pat, ...]:
        """An arm whose or-pattern binds names (`(x, 0) | (0, x) => ..`) is lowered as one
        arm per alternative (the body emitted for each): Go has no pattern that binds
        from either side."""
        pat = arm.pat
        if isinstance(pat, ast.OrPat) and any(
                isinstance(n, ast.IdentPat) and n in self.br.bindings for n in self.nodes.walk(pat)):
            return pat.alts
        return (pat,)

    def _all_ident(self, arms: list[_Arm]) -> bool:
        return all(isinstance(a.pat, (ast.IdentPat, ast.WildPat)) and
                   (not isinstance(a.pat, ast.IdentPat) or a.pat.sub is None) and
                   (not isinstance(a.pat, ast.IdentPat) or a.pat in self.br.bindings)
                   for a in arms)

    def _match_chain(self, arms: list[_Arm], subject: g.GoExpr | _VTuple, ty: t.Ty,
                     dest: Dest) -> None:
        """`if c1 { .. } else if c2 { .. } else { .. }`; the last unguarded arm is `else`."""
        chain: list[s.If] = []
        tail: list[s.GoStmt] | None = None
        for i, a in enumerate(arms):
            last = i == len(arms) - 1
            with self.at(a.arm.span):
                conds, binds, guard = self._arm_test(a, subject, ty)
                with self.block() as body:
                    self.emit_binds(binds, self.uses_in(a.arm.body))
                    self.into_final(a.arm.body, dest)
                if guard is not None:
                    conds = [*conds, guard]
                if not conds or (last and a.arm.guard is None):
                    tail = body
                else:
                    chain.append(s.If(g.render(_conj(conds), header=True), body, None,
                                      self.ctx.gline(a.arm.span)))
            if tail is not None:  # (not a `break` inside `with`: mypyc cannot compile it)
                break
        if not chain:
            if tail is not None:
                self._inline(tail)
            return
        for prev, nxt in itertools.pairwise(chain):
            prev.else_ = [nxt]
        if tail is not None:
            chain[-1].else_ = tail
        self.cur.append(chain[0])

    def _inline(self, body: list[s.GoStmt], final: bool = False) -> None:
        """Statements of a nested Go block: inline unless they declare variables (`final`:
        nothing follows them in the current Go block)."""
        if not final and any(isinstance(x, s.Line) and (":=" in x.text or
                                                        x.text.startswith("var "))
                             for x in body):
            self.cur.append(s.Block(body, self.gl))
        else:
            self.cur.extend(body)

    def _arm_test(self, a: _Arm, subject: g.GoExpr | _VTuple, ty: t.Ty
                  ) -> tuple[list[g.GoExpr], list[tuple[int, g.GoExpr, t.Ty]], g.GoExpr | None]:
        if isinstance(subject, _VTuple):
            conds: list[g.GoExpr] = []
            binds: list[tuple[int, g.GoExpr, t.Ty]] = []
            pat = a.pat
            if isinstance(pat, ast.TuplePat):
                for p, sub, sty in zip(_spread(pat.elems, len(subject.items)), subject.items,
                                       subject.tys, strict=False):
                    if p is None:
                        continue
                    init, c, b = self.pattern_test(p, sub, sty)
                    if init is not None:
                        raise UnsupportedAt("this pattern", p.span)
                    conds += c
                    binds += b
        else:
            init, conds, binds = self.pattern_test(a.pat, subject, ty)
            if init is not None:
                raise UnsupportedAt("this pattern", a.pat.span)
        if a.pat is not a.arm.pat and isinstance(a.arm.pat, ast.OrPat):
            binds = self._shared_bindings(a.arm.pat, binds)
        guard = None
        if a.arm.guard is not None:
            guard = self.guard(a.arm.guard, binds)
        return conds, binds, guard

    def _shared_bindings(self, pat: ast.OrPat, binds: list[tuple[int, g.GoExpr, t.Ty]]
                         ) -> list[tuple[int, g.GoExpr, t.Ty]]:
        """One alternative of `p1 | p2` binds its own locals; the arm's body uses those of
        the last alternative (the checker declares each alternative's names in turn)."""
        last = {self.br.locals[self.br.bindings[n]].name: self.br.bindings[n]
                for n in self.nodes.walk(pat.alts[-1]) if isinstance(n, ast.IdentPat) and
                n in self.br.bindings}
        return [(last.get(self.br.locals[local].name, local), value, ty)
                for local, value, ty in binds]

    def guard(self, guard: ast.Expr, binds: list[tuple[int, g.GoExpr, t.Ty]]) -> g.GoExpr:
        """A guard evaluated before the arm's bindings exist: bindings are replaced by the
        expressions they are bound to."""
        saved = dict(self.override)
        for local, value, _ in binds:
            self.override[local] = value
        mark = len(self.cur)
        try:
            cond = self.expr(guard)
        finally:
            self.override = saved
        if len(self.cur) > mark:
            raise UnsupportedAt("this match guard", guard.span)
        return cond

    def emit_binds(self, binds: list[tuple[int, g.GoExpr, t.Ty]],
                   used: set[int] | None = None) -> None:
        """Declare pattern bindings; plain ones together (`w, h := v.F0, v.F1`). `used`
        limits them to the locals an arm body uses (a guard has its own copies)."""
        group_names: list[str] = []
        group_values: list[g.GoExpr] = []
        unread: list[str] = []
        for local, value, _ in binds:
            if local not in self.refs or (used is not None and local not in used):
                continue
            lty = self.br.locals[local].ty
            go = self.declare(local)
            if local not in self.reads:
                unread.append(go)
            if self._needs_var(value, lty):
                self.define(go, value, lty)
            else:
                group_names.append(go)
                group_values.append(value)
        if group_names:
            self.line(f"{', '.join(group_names)} := {g.render_list(group_values)}")
        for go in unread:
            self.line(f"_ = {go}")

    def _needs_var(self, value: g.GoExpr, ty: t.Ty) -> bool:
        go_ty = self.go(ty)
        kind = g.is_untyped(value)
        return (kind is not None and UNTYPED_DEFAULT[kind] != go_ty) or (
            isinstance(value, g.Composite) and value.type != go_ty)

    def _value_switch_ok(self, arms: list[_Arm], ty: t.Ty) -> bool:
        if not (isinstance(ty, (t.Int, t.Char, t.Bool, t.Str)) or ty == t.STR_REF or
                (isinstance(ty, t.Adt) and self.types.enum_is_simple(ty.name)) or
                self.types.is_std_ordering(ty)):
            return False
        for a in arms:
            if a.arm.guard is not None:
                return False
            for alt in self._alts(a.pat):
                if alt in self.br.const_pats:
                    return False  # Go rejects a `case` constant twice: `5` and `LIMIT`
                if isinstance(alt, (ast.LitPat, ast.WildPat)):
                    continue
                if isinstance(alt, ast.PathPat):
                    continue
                if isinstance(alt, ast.IdentPat) and alt.sub is None:
                    continue
                return False
        return True

    def _value_switch(self, arms: list[_Arm], value: g.GoExpr, ty: t.Ty, dest: Dest) -> None:
        needs_subject = any(isinstance(alt, ast.IdentPat) and alt in self.br.bindings and
                            self.br.bindings[alt] in self.refs
                            for a in arms for alt in self._alts(a.pat))
        if needs_subject:
            value = self.stable(value, ty)
        sw = s.Switch(g.render(value, header=True), gline=self.gl)
        seen: set[str] = set()
        self.switch_depth += 1
        try:
            for a in arms:
                values: list[str] = []
                catch_all = False
                binds: list[tuple[int, g.GoExpr, t.Ty]] = []
                for alt in self._alts(a.pat):
                    if isinstance(alt, ast.WildPat):
                        catch_all = True
                    elif isinstance(alt, ast.IdentPat) and alt in self.br.bindings:
                        catch_all = True
                        binds.append((self.br.bindings[alt], value, ty))
                    elif isinstance(alt, ast.LitPat):
                        text = g.render(self.lit_pat(alt))
                        if text not in seen:
                            values.append(text)
                            seen.add(text)
                    elif isinstance(alt, (ast.PathPat, ast.IdentPat)):
                        text = g.render(self.path_pat_value(alt, _strip_refs(ty)))
                        if text not in seen:
                            values.append(text)
                            seen.add(text)
                    else:
                        raise UnsupportedAt("this pattern", alt.span)
                if not catch_all and not values:
                    continue  # every value was matched by an earlier arm
                with self.at(a.arm.span), self.block() as body:
                    self.emit_binds(binds, self.uses_in(a.arm.body))
                    self.into_final(a.arm.body, dest)
                head = "default:" if catch_all else "case " + ", ".join(values) + ":"
                sw.cases.append(s.Case(head, body, self.ctx.gline(a.arm.span)))
                if catch_all:
                    break
        finally:
            self.switch_depth -= 1
        self.cur.append(sw)

    def _type_switch(self, arms: list[_Arm], value: g.GoExpr, ty: t.Ty, enum_ty: t.Adt,
                     dest: Dest, e: ast.Match) -> None:
        """`switch v := x.(type)`: one case per variant, with the arms that can match it (in
        order: a catch-all arm applies to every variant)."""
        info = self.env.enums[enum_ty.name]
        groups: dict[str, list[_Arm]] = {v.name: [] for v in info.variants}
        order: list[str] = []
        catch_alls: list[_Arm] = []
        for a in arms:
            variants = self._arm_variants(a.pat, enum_ty.name)
            if variants is None:
                catch_alls.append(a)
                for group in groups.values():
                    group.append(a)
                continue
            for v in dict.fromkeys(variants):  # `V(1) | V(2)`: the arm once in V's case
                if v not in order:
                    order.append(v)
                groups[v].append(a)
        subject = value
        if not g.is_pure(value) and (catch_alls or any(self._binds_whole(a.pat) for a in arms)):
            subject = self.stable(value, ty, _subject_name(e.scrutinee))
        var = self.temp("v")
        sw = s.Switch("", gline=self.gl)
        self.switch_depth += 1
        try:
            covered: set[str] = set()
            for vname in order:
                if vname in covered:
                    continue
                group = groups[vname]
                same = [vname]
                if len(group) == 1 and self._trivial(group[0].pat):
                    same = [v for v in order if v not in covered and groups[v] == group]
                covered.update(same)
                with self.block() as body:
                    if len(same) == 1:
                        self._variant_arms(group, vname, g.ident(var), subject, ty, enum_ty,
                                           dest, e.scrutinee)
                    else:
                        with self.at(group[0].arm.span):
                            self.into_final(group[0].arm.body, dest)
                head = "case " + ", ".join(self.types.variant_go(enum_ty.name, v, enum_ty.args)
                                           for v in same) + ":"
                sw.cases.append(s.Case(head, body, self.ctx.gline(group[0].arm.span)))
            if catch_alls and len(covered) < len(info.variants):
                with self.block() as body:
                    self._variant_arms(catch_alls, None, subject, subject, ty, enum_ty, dest)
                sw.cases.append(s.Case("default:", body, self.ctx.gline(
                    catch_alls[0].arm.span)))
        finally:
            self.switch_depth -= 1
        lines: list[tuple[str, int | None]] = []
        s.render([c for case in sw.cases for c in case.body], 0, lines)
        uses_var = any(_mentions(text, var) for text, _ in lines)
        if isinstance(subject, g.Composite):
            # A variant literal has its struct's type: a type switch needs the interface.
            subject = g.conversion(self.go(ty), subject)
        assertion = g.render(g.type_assert(subject, "type"))
        sw.header = f"{var} := {assertion}" if uses_var else assertion
        self.cur.append(sw)

    def _trivial(self, pat: ast.Pat) -> bool:
        """A pattern that only names variants (no bindings, no nested tests)."""
        for alt in self._alts(pat):
            if alt in self.br.const_pats:
                return False  # compared with the constant
            if isinstance(alt, (ast.PathPat, ast.WildPat)):
                continue
            if isinstance(alt, ast.TupleStructPat) and all(
                    isinstance(p, (ast.WildPat, ast.RestPat)) for p in alt.elems):
                continue
            if isinstance(alt, ast.StructPat) and all(
                    isinstance(fp.pat, ast.WildPat) for fp in alt.fields):
                continue
            return False
        return True

    def _variant_arms(self, group: list[_Arm], variant: str | None, case_var: g.GoExpr,
                      whole: g.GoExpr, ty: t.Ty, enum_ty: t.Adt, dest: Dest,
                      scrutinee: ast.Expr | None = None) -> None:
        """The arms of one type-switch case, as an if-chain (`case_var` is the payload struct
        of `variant`; `whole` the enum value)."""
        chain: list[s.If] = []
        tail: list[s.GoStmt] | None = None
        for a in group:
            with self.at(a.arm.span):
                alt = self._alt_for(a.pat, variant, enum_ty.name)
                write_back: g.GoExpr | None = None
                if alt is not None and variant is not None:
                    conds, binds = self._variant_fields_test(alt, case_var, enum_ty.name,
                                                             variant)
                    conds = self._other_alts_of_variant(a.pat, alt, conds, case_var,
                                                        enum_ty.name, variant)
                    if self._mut_payload_refs(binds):
                        write_back = self._payload_write_back(a, whole, dest, alt, scrutinee)
                else:
                    _, conds, binds = self.pattern_test(a.pat, whole, ty,
                                                        top_checked=variant is not None)
                if a.pat is not a.arm.pat and isinstance(a.arm.pat, ast.OrPat):
                    # one alternative of the arm's (`Line(n, 0) | Dot(n)`): the body names
                    # the last alternative's locals
                    binds = self._shared_bindings(a.arm.pat, binds)
                if a.arm.guard is not None:
                    conds = [*conds, self.guard(a.arm.guard, binds)]
                with self.block() as body:
                    self.emit_binds(binds, self.uses_in(a.arm.body))
                    self.into_final(a.arm.body, dest)
                    if write_back is not None:
                        # The payload is the case's copy: the arm changed it through the
                        # `&mut` bindings, and the enum gets it back.
                        self.line(f"{g.render(write_back)} = {g.render(case_var)}")
            if not conds:
                tail = body
                break
            chain.append(s.If(g.render(_conj(conds), header=True), body, None,
                              self.ctx.gline(a.arm.span)))
        if not chain:
            if tail is not None:
                self._inline(tail, final=True)
            return
        for prev, nxt in itertools.pairwise(chain):
            prev.else_ = [nxt]
        if tail is not None:
            chain[-1].else_ = tail
        self.cur.append(chain[0])

    def _arm_variants(self, pat: ast.Pat, enum: str) -> list[str] | None:
        """The variants a top-level pattern matches, or None for a catch-all."""
        out: list[str] = []
        for alt in self._alts(pat):
            if alt in self.br.const_pats:  # `RED =>`: the variant of the constant's value
                variant = self._const_variant(self.br.const_pats[alt], enum)
                if variant is None:
                    return None
                out.append(variant)
                continue
            if isinstance(alt, ast.WildPat):
                return None
            if isinstance(alt, ast.IdentPat):
                if alt.sub is None:
                    return None
                sub = self._arm_variants(alt.sub, enum)
                if sub is None:
                    return None
                out += sub
                continue
            if isinstance(alt, (ast.PathPat, ast.TupleStructPat, ast.StructPat)):
                out.append(alt.path.last.name)
                continue
            raise UnsupportedAt("this pattern", alt.span)
        return out

    def _const_variant(self, key: str, enum: str) -> str | None:
        """The variant of `enum` that the constant `key` is (`const RED: Colour =
        Colour::Red;`), when its initialiser names one."""
        info = self.env.consts.get(key)
        init = _strip(info.decl.value) if info is not None and info.decl.value is not None \
            else None
        if isinstance(init, ast.Call):
            init = _strip(init.callee)
        path = init.path if isinstance(init, (ast.PathExpr, ast.StructLit)) else None
        # `Colour::Red` (a name alone could be another constant): else a catch-all arm.
        if path is None or len(path.segments) < 2 or \
                path.segments[-2].name != enum.rsplit("::", 1)[-1] or \
                self.env.enums[enum].variant(path.last.name) is None:
            return None
        return path.last.name

    def _alt_for(self, pat: ast.Pat, variant: str | None, enum: str) -> ast.Pat | None:
        """The alternative of `pat` that matches `variant` (None when it is a catch-all)."""
        if variant is None:
            return None
        for alt in self._alts(pat):
            if isinstance(alt, (ast.PathPat, ast.TupleStructPat, ast.StructPat)) and \
                    alt.path.last.name == variant:
                return alt
            if isinstance(alt, ast.IdentPat) and alt.sub is not None:
                return None
        return None

    def _other_alts_of_variant(self, pat: ast.Pat, first: ast.Pat, conds: list[g.GoExpr],
                               var: g.GoExpr, enum: str, variant: str) -> list[g.GoExpr]:
        """The test of `V(',') | V(';')` in V's case: either alternative's field tests (an
        or-pattern with bindings was split into one arm per alternative before)."""
        tests = [conds]
        for alt in self._alts(pat):
            if alt is not first and isinstance(alt, (ast.PathPat, ast.TupleStructPat,
                                                     ast.StructPat)) and \
                    alt.path.last.name == variant:
                tests.append(self._variant_fields_test(alt, var, enum, variant)[0])
        if len(tests) == 1:
            return conds
        if any(not c for c in tests):
            return []
        result = _conj(tests[0])
        for c in tests[1:]:
            result = g.binary("||", result, _conj(c))
        return [result]

    def _binds_whole(self, pat: ast.Pat) -> bool:
        return any(isinstance(alt, ast.IdentPat) for alt in self._alts(pat))

    def _pattern_binds(self, pat: ast.Pat) -> bool:
        return any(isinstance(n, ast.IdentPat) and n in self.br.bindings for n in self.nodes.walk(pat))

    def _variant_fields_test(self, pat: ast.Pat, var: g.GoExpr, enum: str, variant: str
                             ) -> tuple[list[g.GoExpr], list[tuple[int, g.GoExpr, t.Ty]]]:
        """Sub-pattern tests of a variant pattern whose variant is already known."""
        vinfo = self.env.enums[enum].variant(variant)
        assert vinfo is not None
        conds: list[g.GoExpr] = []
        binds: list[tuple[int, g.GoExpr, t.Ty]] = []
        for sub, fname, fty in self._field_pats(pat, enum, vinfo.fields):
            init, c, b = self.pattern_test(sub, g.selector(var, fname), fty)
            if init is not None:
                raise UnsupportedAt("this pattern", sub.span)
            conds += c
            binds += b
        return conds, binds

    def _place_root(self, e: ast.Expr) -> LocalRes | None:
        """The local a place expression starts from (`self` of `&mut self.state`)."""
        e = _strip(e)
        while isinstance(e, (ast.Borrow, ast.Unary, ast.Field, ast.TupleField)):
            if isinstance(e, ast.Unary) and e.op != "*":
                return None
            e = _strip(e.operand if isinstance(e, (ast.Borrow, ast.Unary)) else e.base)
        res = self.br.paths.get(e) if isinstance(e, ast.PathExpr) else None
        return res if isinstance(res, LocalRes) else None

    def _if_let_payload(self, e: ast.If, dest: Dest
                        ) -> tuple[str, list[tuple[int, g.GoExpr, t.Ty]], str] | None:
        """`if let State::Counting(n) = &mut self.state { *n += 1 }`: `&mut` bindings into
        a variant's payload. The header takes a copy of the payload (`v, ok :=
        self.state.(StateCounting); ok`), the bindings point into it, and the block ends
        by assigning it back (`self.state = v`): the header, the bindings, that line. None
        for any other `if let`."""
        assert isinstance(e.cond, ast.LetCond)
        pat = e.cond.pat
        ty = self.ty(e.cond.expr)
        base = _deref_all(ty)
        if not (isinstance(pat, (ast.TupleStructPat, ast.StructPat)) and
                isinstance(base, t.Adt) and self.types.is_iface_enum(base.name) and
                self.env.enums[base.name].variant(pat.path.last.name) is not None and
                any(isinstance(n, ast.IdentPat) and n in self.br.bindings and
                    isinstance(lty := self.br.locals[self.br.bindings[n]].ty, t.Ref) and
                    lty.mutable for n in self.nodes.walk(pat))):
            return None
        value = self.expr(e.cond.expr)
        cur: t.Ty = ty
        while isinstance(cur, t.Ref):
            if self.types.ref_is_ptr(cur):
                value = g.unary("*", value)
            cur = cur.inner
        variant = pat.path.last.name
        arm = _Arm(ast.MatchArm(pat, None, e.then, e.span), pat)
        place = self._payload_write_back(arm, value, dest, pat, e.cond.expr)
        var, ok = self.temp("v"), self.temp("ok")
        conds, binds = self._variant_fields_test(pat, g.ident(var), base.name, variant)
        vtype = self.types.variant_go(base.name, variant, base.args)
        header = f"{var}, {ok} := {g.render(g.type_assert(place, vtype))}; " + \
            g.render(_conj([g.ident(ok), *conds]), header=True)
        return header, binds, f"{g.render(place)} = {var}"

    def _mut_payload_refs(self, binds: list[tuple[int, g.GoExpr, t.Ty]]) -> bool:
        """Whether a pattern binds `&mut` references into a variant's payload."""
        return any(isinstance(lty := self.br.locals[local].ty, t.Ref) and lty.mutable
                   for local, _, _ in binds)

    def _no_mut_payload_refs(self, binds: list[tuple[int, g.GoExpr, t.Ty]],
                             pat: ast.Pat) -> None:
        """A variant's payload is a copy in Go: `&mut` bindings into it cannot write back
        (outside a `match` arm: `_payload_write_back`)."""
        if self._mut_payload_refs(binds):
            raise UnsupportedAt("a mutable reference into an enum variant's payload", pat.span)

    def _payload_write_back(self, a: _Arm, whole: g.GoExpr, dest: Dest, pat: ast.Pat,
                            scrutinee: ast.Expr | None) -> g.GoExpr:
        """The enum place a `match` arm with `&mut` bindings into its variant's payload
        writes the case's copy back to, after the arm's body (`self.state = v`). Only where
        that is the last thing the arm does with the enum: the body leaves only at its end,
        and reaches the enum only through the bindings (the root of the scrutinee's place
        is not named in it)."""
        why = "a mutable reference into an enum variant's payload"
        root = self._place_root(scrutinee) if scrutinee is not None else None
        if not isinstance(dest, (Discard, Assign)) or a.arm.guard is not None or \
                root is None or not g.is_pure(whole):
            raise UnsupportedAt(why, pat.span)
        for n in self.nodes.walk(a.arm.body):
            if isinstance(n, (ast.Return, ast.Break, ast.Continue, ast.Try)) or (
                    isinstance(n, ast.PathExpr) and self.br.paths.get(n) == root):
                raise UnsupportedAt(why + " with the enum used again in the arm", pat.span)
        return whole

    def _field_pats(self, pat: ast.Pat, owner: str, flds: tuple[object, ...]
                    ) -> list[tuple[ast.Pat, str, t.Ty]]:
        out = self._field_pats_of(pat, owner, flds)
        # (A struct's is read back: `_erased_source`.)
        erased = self.types.adt_seqs(owner) if owner not in self.env.structs else {}
        for sub, _, fty in out if erased else ():
            if not t.params_in(fty) & erased.keys():
                continue
            for n in self.nodes.walk(sub):
                if not isinstance(n, ast.IdentPat) or n not in self.br.bindings:
                    continue
                local = self.br.bindings[n]
                if iterators.user_item(self, _deref_all(self.br.locals[local].ty)) is not None:
                    # Go holds the package iterator as an `iter.Seq` (generics.erased_field).
                    raise UnsupportedAt("binding an iterator of the package that Go holds as "
                                        "an `iter.Seq` of its items", n.span)
        return out

    def _field_pats_of(self, pat: ast.Pat, owner: str, flds: tuple[object, ...]
                       ) -> list[tuple[ast.Pat, str, t.Ty]]:
        out: list[tuple[ast.Pat, str, t.Ty]] = []
        infos = list(flds)
        if isinstance(pat, ast.TupleStructPat):
            for i, p in enumerate(_spread(pat.elems, len(infos))):
                if p is not None and i < len(infos):
                    out.append((p, names.tuple_field(i), infos[i].ty))  # type: ignore[attr-defined]
        elif isinstance(pat, ast.StructPat):
            by_name = {f.name: f for f in infos}  # type: ignore[attr-defined]
            for fp in pat.fields:
                info = by_name.get(fp.name)
                if info is not None:
                    out.append((fp.pat, self.types.pkg.field(owner, fp.name),
                                info.ty))  # type: ignore[attr-defined]
        return out

    # ------------------------------------------------------------ patterns

    def pattern_test(self, pat: ast.Pat, subj: g.GoExpr, ty: t.Ty, top_checked: bool = False
                     ) -> tuple[str | None, list[g.GoExpr], list[tuple[int, g.GoExpr, t.Ty]]]:
        """Conditions under which `subj` (of type `ty`) matches `pat`, and the bindings
        (local, value). `subj` must be stable (evaluating it twice is harmless)."""
        conds: list[g.GoExpr] = []
        binds: list[tuple[int, g.GoExpr, t.Ty]] = []
        self._test(pat, subj, ty, conds, binds, top_checked)
        return None, conds, binds

    def _test(self, pat: ast.Pat, subj: g.GoExpr, ty: t.Ty, conds: list[g.GoExpr],
              binds: list[tuple[int, g.GoExpr, t.Ty]], top_checked: bool = False) -> None:
        pat = self.variant_pats.get(pat, pat)
        const = self.br.const_pats.get(pat)
        while isinstance(ty, t.Ref) and not isinstance(pat, (ast.IdentPat, ast.WildPat,
                                                             ast.RefPat, ast.RestPat)):
            inner = ty.inner  # match ergonomics, through `&&T` too
            if self.types.ref_is_ptr(ty) and not self.types.is_struct(inner):
                subj = g.unary("*", subj)
            ty = inner
        if const is not None:
            # `LIMIT =>`, `ORIGIN =>`: a comparison with the constant (Go's `==` where the
            # type is comparable, else its derived equality: rustc's structural match).
            try:
                conds.append(values.eq_expr(self.ctx, subj,
                                            g.ident(self.types.pkg.value_ref(const)), ty))
            except Unsupported as exc:
                raise UnsupportedAt(exc.what, pat.span) from None
            return
        match pat:
            case ast.WildPat() | ast.RestPat():
                return
            case ast.IdentPat(sub=sub):
                if pat not in self.br.bindings:
                    # `None` without a path.
                    conds.append(g.negate(g.selector(subj, "IsSome")))
                    return
                local = self.br.bindings[pat]
                lty = self.br.locals[local].ty
                value = subj
                if self.br.locals[local].by_ref and self.types.ref_is_ptr(lty):
                    value = g.unary("&", subj)
                binds.append((local, value, lty))
                if sub is not None:
                    self._test(sub, subj, ty, conds, binds, top_checked)
            case ast.LitPat(lit=ast.Literal(kind="bytestr", value=bytes_)) if \
                    isinstance(_strip_refs(ty), t.Slice):
                # `b"GU"` against a `&[u8]`: Go compares the bytes as a string. (Not
                # `value=value`: the compiled build types `value` by its first use, a GoExpr.)
                conds.append(g.binary("==", g.conversion("string", subj),
                                      g.Atom(f'"{_go_byte_text(str(bytes_))}"', "string")))
            case ast.LitPat():
                lit = self.lit_pat(pat)
                if isinstance(ty, t.Bool) and isinstance(lit, g.Atom):
                    conds.append(subj if lit.text == "true" else g.negate(subj))
                else:
                    conds.append(g.binary("==", subj, lit))
            case ast.RangePat(lo=lo, hi=hi, inclusive=inclusive):
                if lo is not None:
                    conds.append(g.binary(">=", subj, self.lit_pat(lo)))
                if hi is not None:
                    conds.append(g.binary("<=" if inclusive else "<", subj, self.lit_pat(hi)))
            case ast.TuplePat(elems=elems):
                if not isinstance(ty, t.Tuple):
                    raise UnsupportedAt("this pattern", pat.span)
                for i, p in enumerate(_spread(elems, len(ty.elems))):
                    if p is not None:
                        self._test(p, g.selector(subj, names.tuple_field(i)), ty.elems[i], conds,
                                   binds)
            case ast.RefPat(inner=inner_pat):
                assert isinstance(ty, t.Ref)
                inner_subj = g.unary("*", subj) if self.types.ref_is_ptr(ty) else subj
                self._test(inner_pat, inner_subj, ty.inner, conds, binds)
            case ast.OrPat(alts=alts):
                if self._pattern_binds(pat):
                    self._or_with_bindings(pat, subj, ty, conds, binds)
                    return
                options: list[g.GoExpr] = []
                for alt in alts:
                    c: list[g.GoExpr] = []
                    self._test(alt, subj, ty, c, binds)
                    if not c:
                        return
                    options.append(_conj(c))
                result = options[0]
                for o in options[1:]:
                    result = g.binary("||", result, o)
                conds.append(result)
            case ast.PathPat() | ast.TupleStructPat() | ast.StructPat():
                self._ctor_test(pat, subj, ty, conds, binds, top_checked)
            case ast.SlicePat():
                self._slice_test(pat, subj, ty, conds, binds)

    def _or_with_bindings(self, pat: ast.OrPat, subj: g.GoExpr, ty: t.Ty,
                          conds: list[g.GoExpr], binds: list[tuple[int, g.GoExpr, t.Ty]]
                          ) -> None:
        """`[a, _] | [_, a]` inside a pattern, or in `let`/`if let`/`while let`: Go has no
        pattern binding from either side, so the alternatives are tried first, in order, by
        an `if` chain assigning each binding's Go variable and a `matched` flag; the test is
        the flag, and the bindings those variables (of the last alternative's locals, which
        the body names: `_shared_bindings`)."""
        last = {self.br.locals[self.br.bindings[n]].name: self.br.bindings[n]
                for n in self.nodes.walk(pat.alts[-1])
                if isinstance(n, ast.IdentPat) and n in self.br.bindings}
        temps: dict[int, str] = {}
        for local in last.values():
            if local in self.refs:
                temps[local] = self.temp(self.br.locals[local].name)
                self.line(f"var {temps[local]} {self.go(self.br.locals[local].ty)}")
        flag = self.temp("matched")
        self.or_flags.add(flag)
        self.line(f"{flag} := false")
        chain: list[s.If] = []
        tail: list[s.GoStmt] | None = None
        for alt in _alts(pat):
            alt_conds: list[g.GoExpr] = []
            alt_binds: list[tuple[int, g.GoExpr, t.Ty]] = []
            self._test(alt, subj, ty, alt_conds, alt_binds)
            with self.block() as body:
                for local, value, _ in alt_binds:
                    target = last.get(self.br.locals[local].name, local)
                    if target in temps:
                        self.line(f"{temps[target]} = {g.render(value)}")
                self.line(f"{flag} = true")
            if not alt_conds:
                tail = body  # matches whatever the value: the later ones are never tried
                break
            chain.append(s.If(g.render(_conj(alt_conds), header=True), body, None, self.gl))
        for prev, nxt in itertools.pairwise(chain):
            prev.else_ = [nxt]
        if chain:
            chain[-1].else_ = tail
            self.cur.append(chain[0])
        elif tail is not None:
            self.cur.extend(tail)
        conds.append(g.ident(flag))
        for local, go in temps.items():
            binds.append((local, g.ident(go), self.br.locals[local].ty))

    def _slice_test(self, pat: ast.SlicePat, subj: g.GoExpr, ty: t.Ty,
                    conds: list[g.GoExpr], binds: list[tuple[int, g.GoExpr, t.Ty]]) -> None:
        """`[first, .., last]` on a Go slice or array: the length test (a slice's), then
        each element pattern on `subj[i]` (from the end: `subj[len(subj)-1]`), and a
        `rest @ ..` binding the elements between (`subj[1:]`; an array's as an array)."""
        if not isinstance(ty, (t.Array, t.Slice)):
            raise UnsupportedAt("this pattern", pat.span)
        before, rest, after = ast.slice_parts(pat)
        n = len(before) + len(after)
        length: g.GoExpr = g.Atom(str(ty.length), "int") if isinstance(ty, t.Array) \
            else g.call("len", subj)
        if isinstance(ty, t.Slice) and (rest is None or n > 0):
            conds.append(g.binary("==" if rest is None else ">=", length,
                                  g.Atom(str(n), "int")))

        def from_end(k: int) -> g.GoExpr:
            if isinstance(ty, t.Array):
                return g.Atom(str(ty.length - k), "int")
            return g.binary("-", length, g.Atom(str(k), "int"))

        for i, p in enumerate(before):
            self._test(p, g.index(subj, g.Atom(str(i), "int")), ty.elem, conds, binds)
        for j, p in enumerate(after):
            self._test(p, g.index(subj, from_end(len(after) - j)), ty.elem, conds, binds)
        if isinstance(rest, ast.IdentPat) and rest in self.br.bindings:
            local = self.br.bindings[rest]
            lty = self.br.locals[local].ty
            lo = g.Atom(str(len(before)), "int") if before else None
            hi = from_end(len(after)) if after else None
            value: g.GoExpr = g.slice_expr(subj, lo, hi)
            target = lty.inner if isinstance(lty, t.Ref) else lty
            if isinstance(target, t.Array):
                # `[a, rest @ ..]` on `[T; 4]`: `rest` is a `[T; 3]` (a pointer to one
                # under `&mut`): Go converts the slice of the array to it.
                value = g.conversion(self.go(lty) if not self.types.ref_is_ptr(lty)
                                     else f"({self.go(lty)})", value)
            binds.append((local, value, lty))

    def _ctor_test(self, pat: ast.PathPat | ast.TupleStructPat | ast.StructPat,
                   subj: g.GoExpr, ty: t.Ty, conds: list[g.GoExpr],
                   binds: list[tuple[int, g.GoExpr, t.Ty]], top_checked: bool) -> None:
        path = pat.path
        last = path.last.name
        if isinstance(ty, t.Adt) and ty.name == "Option":
            if last == "None":
                conds.append(g.negate(g.selector(subj, "IsSome")))
                return
            if not top_checked:
                conds.append(g.selector(subj, "IsSome"))
            if isinstance(pat, ast.TupleStructPat) and pat.elems:
                inner = _spread(pat.elems, 1)[0]
                if inner is not None:
                    self._test(inner, g.selector(subj, "Value"), ty.args[0], conds, binds)
            return
        if isinstance(ty, t.Adt) and ty.name == "Result":
            ok = last == "Ok"
            if not top_checked:
                test = g.selector(subj, "IsOk")
                conds.append(test if ok else g.negate(test))
            if isinstance(pat, ast.TupleStructPat) and pat.elems:
                inner = _spread(pat.elems, 1)[0]
                if inner is not None:
                    self._test(inner, g.selector(subj, "Value" if ok else "Err"),
                               ty.args[0 if ok else 1], conds, binds)
            return
        if self.types.is_std_ordering(ty):
            conds.append(g.binary("==", subj, traits.ordering_value(last)))
            return
        if isinstance(ty, t.Adt) and ty.name == "Range" and isinstance(pat, ast.StructPat) \
                and ty.name not in self.env.structs and ty.name not in self.env.enums:
            for fp in pat.fields:  # std's `Range { start, end }`: the gustRangeValue's bounds
                self._test(fp.pat, g.selector(subj, fp.name), ty.args[0], conds, binds)
            return
        if isinstance(ty, t.Adt) and ty.name == "Bound" and ty.args and \
                ty.name not in self.env.structs and ty.name not in self.env.enums:
            # std::ops::Bound, the runtime's gustBound: Kind 0 `Unbounded`, 1 `Included`,
            # 2 `Excluded`, the bound in Value.
            kind = {"Unbounded": "0", "Included": "1", "Excluded": "2"}[last]
            conds.append(g.binary("==", g.selector(subj, "Kind"), g.Atom(kind, "int")))
            if isinstance(pat, ast.TupleStructPat) and pat.elems:
                inner = _spread(pat.elems, 1)[0]
                if inner is not None:
                    self._test(inner, g.selector(subj, "Value"), ty.args[0], conds, binds)
            return
        if isinstance(ty, t.Adt) and ty.name == "Cow" and ty.args and \
                ty.name not in self.env.structs and ty.name not in self.env.enums:
            # std::borrow::Cow<str>, the runtime's gustCow: the variant in Owned, the
            # `&str` or `String` in Text.
            owned = g.selector(subj, "Owned")
            conds.append(owned if last == "Owned" else g.negate(owned))
            if isinstance(pat, ast.TupleStructPat) and pat.elems:
                inner = _spread(pat.elems, 1)[0]
                if inner is not None:
                    self._test(inner, g.selector(subj, "Text"),
                               t.STRING if last == "Owned" else t.STR_REF, conds, binds)
            return
        if isinstance(ty, t.Adt) and ty.name in self.env.structs:
            info = self.env.structs[ty.name]
            # The Go name of each field, by which `_field_pats` names it.
            index = {names.tuple_field(i) if isinstance(pat, ast.TupleStructPat) else
                     self.types.pkg.field(ty.name, f.name or ""): i
                     for i, f in enumerate(info.fields)}
            for sub, fname, fty in self._field_pats(pat, ty.name, info.fields):
                field = self._erased_source(ty.name, index.get(fname, -1), ty,
                                            g.selector(subj, fname), sub.span)
                self._test(sub, field, fty, conds, binds)
            return
        if isinstance(ty, t.Adt) and ty.name == "Reverse" and ty.args and \
                isinstance(pat, ast.TupleStructPat) and len(pat.elems) == 1:
            # `Reverse(x)`: the runtime's gustReverse[T] and its one field.
            self._test(pat.elems[0], g.selector(subj, "F0"), ty.args[0], conds, binds)
            return
        if isinstance(ty, t.Adt) and ty.name in self.env.enums:
            enum = ty.name
            vtype = self.types.variant_type(enum, last)
            if ty.args and not self.types.enum_is_simple(enum):
                vtype = self.types.variant_go(enum, last, ty.args)  # `TreeNode[T]`
            if self.types.enum_is_simple(enum):
                if not top_checked:
                    conds.append(g.binary("==", subj, g.ident(vtype)))
                return
            if not top_checked:
                conds.append(g.call(f"gustIs[{vtype}]", subj))
            vinfo = self.env.enums[enum].variant(last)
            assert vinfo is not None
            payload = g.type_assert(subj, vtype)
            mark = len(binds)
            for sub, fname, fty in self._field_pats(pat, enum, vinfo.fields):
                self._test(sub, g.selector(payload, fname), fty, conds, binds)
            self._no_mut_payload_refs(binds[mark:], pat)
            return
        raise UnsupportedAt("this pattern", pat.span)

    def lit_pat(self, p: ast.LitPat) -> g.GoExpr:
        value = self.literal(p.lit)
        if p.negative:
            return g.unary("-", value)
        return value

    def path_pat_value(self, p: ast.PathPat | ast.IdentPat, ty: t.Ty) -> g.GoExpr:
        if isinstance(p, ast.PathPat) and self.types.is_std_ordering(ty):
            return traits.ordering_value(p.path.last.name)
        if isinstance(p, ast.PathPat) and isinstance(ty, t.Adt) and \
                self.types.enum_is_simple(ty.name):
            return g.ident(self.types.variant_type(ty.name, p.path.last.name))
        raise UnsupportedAt("this pattern", p.span)

    def bind_irrefutable(self, pat: ast.Pat, subj: g.GoExpr, ty: t.Ty) -> None:
        _, conds, binds = self.pattern_test(pat, subj, ty)
        for cond in conds:  # the flag of an or-pattern's bindings, always set here
            if isinstance(cond, g.Atom) and cond.text in self.or_flags:
                self.line(f"_ = {cond.text}")
        self.emit_binds(binds)

    # ------------------------------------------------------------ expression helpers

    def ty(self, e: ast.Expr) -> t.Ty:
        return self.br.type_of(e)

    def go(self, ty: t.Ty) -> str:
        return self.types.go(ty)

    def typed(self, value: g.GoExpr, ty: t.Ty, force: bool = False) -> g.GoExpr:
        """Give an untyped constant its Gust type (`int32(5)`) where Go would pick another
        (always with `force`: Go folds untyped float constants exactly, Rust rounds each
        operation)."""
        kind = g.is_untyped(value)
        if kind is None:
            return value
        ty = _deref_all(ty)
        try:
            go_ty = self.go(ty)
        except Unsupported:
            return value
        if wide_ints.is_wide(ty) and isinstance(ty, t.Int) and \
                (n := wide_ints.untyped_value(value)) is not None:
            return wide_ints.constant(n, ty)
        if UNTYPED_DEFAULT[kind] == go_ty and not force:
            return value
        return g.conversion(go_ty, value)

    def adapt(self, value: g.GoExpr, from_ty: t.Ty, to_ty: t.Ty) -> g.GoExpr:
        """Coerce a value of Go form `from_ty` to the Go form of `to_ty`: deref coercions
        (`&mut T` as `&T`, `&mut Vec<T>` as `&[T]`), arrays as slices."""
        if isinstance(from_ty, (t.Never, t.Error)) or isinstance(to_ty, t.Error):
            return value
        try:
            target = self.go(to_ty)
            source = self.go(from_ty)
        except Unsupported:
            return value
        if source == target:
            return value
        if isinstance(to_ty, t.Adt) and to_ty.name == "Box" and to_ty.args and \
                isinstance(to_ty.args[0], t.Dyn) and "Error" in to_ty.args[0].traits and \
                isinstance(from_ty, t.Adt) and from_ty.name == "Box" and from_ty.args and \
                isinstance(from_ty.args[0], t.Param):
            # `Box::new(e)` of a `T::Err: Error` as a `Box<dyn Error>`: Go's type parameter
            # is constrained by `any`; its values (the runtime's errors, the package's
            # `Error` types) have the methods of `gustDynError`.
            return g.type_assert(g.call("any", value), "gustDynError")
        by_ref = traits.enum_to_dyn(self, value, from_ty, to_ty)
        if by_ref is not None:
            return by_ref
        if isinstance(to_ty, t.Ref) and isinstance(to_ty.inner, t.Dyn) and \
                target == "gustDynError" and isinstance(from_ty, t.Ref) and \
                isinstance(from_ty.inner, t.Adt) and self.types.is_iface_enum(from_ty.inner.name):
            # `&e` of an enum with payloads as a `&dyn Error`: the enum's interface does not
            # list `fmtDisplay`; every variant has it.
            return g.type_assert(value, "gustDynError")
        view = concurrency.dyn_view(self.types, value, from_ty, to_ty)
        if view is not None:
            return view  # `Rc<RefCell<Counter>>` as `Rc<RefCell<dyn Observer>>`
        named = primitive_impls.to_dyn(self.types, value, from_ty, to_ty)
        if named is not None:
            return named
        if isinstance(to_ty, t.Dyn) and to_ty.call is None:
            return traits.to_interface(self.types, value, from_ty)  # `impl Trait` results
        if isinstance(to_ty, t.Adt) and to_ty.name == "Iter":
            # `-> impl Iterator`, a field of an erased `I: Iterator` (generics.erased_field)
            user = iterators.user_seq(self, value, from_ty, kept=True)
            if user is not None:
                return user
        if iterators.is_range(from_ty) and not iterators.is_range(to_ty):
            return iterators.range_seq(value, from_ty)  # as an `impl Iterator`, a `B: Iterator`
        if isinstance(to_ty, t.Adt) and to_ty.name == "Option" and to_ty.args and \
                isinstance(to_ty.args[0], t.Adt) and to_ty.args[0].name == "Iter" and \
                isinstance(from_ty, t.Adt) and from_ty.name == "Option" and from_ty.args and \
                iterators.user_item(self, from_ty.args[0]) is not None:
            # `Fuse { iter: Some(Countdown(3)) }` for a field `iter: Option<I>` of an erased
            # `I: Iterator` (generics.go_field_type).
            x = self.temp("it")
            seq = iterators.user_seq(self, g.ident(x), from_ty.args[0], kept=True)
            assert seq is not None
            return g.call("gustOptionMap", value, g.FuncLit(
                f"func({x} {self.go(from_ty.args[0])}) {self.go(to_ty.args[0])}",
                (("\treturn " + g.render(seq), self.gl),)))
        if isinstance(from_ty, t.Ref) and from_ty.mutable and isinstance(to_ty, t.Ref) and \
                to_ty.mutable and from_ty.inner != to_ty.inner and \
                (through := traits.user_deref_mut(self.types, value, from_ty.inner)) is not None:
            # `&mut w` as `&mut Target`: `w.deref_mut()` (`value` is w's address).
            return self.adapt(through[0], t.Ref(through[1], True), to_ty)
        cur_ty: t.Ty = from_ty
        cur = value
        for _ in range(4):
            if isinstance(cur_ty, t.Ref):
                if self.types.ref_is_ptr(cur_ty):
                    cur = g.unary("*", cur)
                cur_ty = cur_ty.inner
            elif isinstance(cur_ty, t.Adt) and cur_ty.name == "Vec":
                cur_ty = t.Slice(cur_ty.args[0])
            elif isinstance(cur_ty, t.Array):
                if isinstance(cur, g.Call):
                    # `&x.to_le_bytes()`: Go slices only an addressable array (a place)
                    cur = g.ident(self.define_temp(cur, cur_ty, "arr"))
                cur = values.array_as_slice(cur)
                cur_ty = t.Slice(cur_ty.elem)
            elif isinstance(cur_ty, t.Adt) and cur_ty.name == "Box" and cur_ty.args and \
                    self.go(cur_ty) == "*" + self.go(cur_ty.args[0]):
                # `&Box<T>` as `&T` where `&T` is T's value (a Go struct from Go:
                # `&resp` of a `Box<http::Response>` for a `&http::Response`).
                cur = g.unary("*", cur)
                cur_ty = cur_ty.args[0]
            elif (derefd := traits.user_deref(self.types, cur, cur_ty)) is not None:
                cur, cur_ty = derefd[0], t.Ref(derefd[1], False)  # `&w` as `&Target`
                if derefd[2] and "*" + self.go(derefd[1]) != target:
                    continue  # the `Ref` step follows
                if self.go(cur_ty) == target:
                    return cur
                continue
            elif isinstance(cur_ty, t.Adt) and cur_ty.name == "Cow" and cur_ty.args and \
                    self.go(cur_ty) == "gustCow":
                cur, cur_ty = g.selector(cur, "Text"), cur_ty.args[0]  # `&Cow<str>` as `&str`
            elif rc_counts.is_rc(self.types, cur_ty):  # `&Rc<T>` as `&T`: the counted box's
                assert isinstance(cur_ty, t.Adt)
                cur, cur_ty = g.selector(cur, "value"), cur_ty.args[0]
                if "*" + self.go(cur_ty) == target:
                    return g.unary("&", cur)
            else:
                break
            try:
                if self.go(cur_ty) == target:
                    return cur
            except Unsupported:
                break
        return value

    def stable(self, value: g.GoExpr, ty: t.Ty, base: str = "tmp") -> g.GoExpr:
        """`value` itself when it can be evaluated again, else a temporary holding it (also
        a conversion that copies, `[]byte(s)`: a slice pattern reads it once per element)."""
        if g.is_pure(value) and not isinstance(value, g.Composite) and not (
                isinstance(value, g.Call) and value.conversion and
                g.render(value.fun).startswith("[]")):
            return value
        return g.ident(self.define_temp(value, ty, base))

    def define_temp(self, value: g.GoExpr, ty: t.Ty, base: str = "tmp") -> str:
        name = self.temp(base)
        self.define(name, value, ty)
        return name

    def exprs(self, es: list[ast.Expr]) -> list[g.GoExpr]:
        """Several operands, evaluated in order even when a later one is hoisted."""
        out: list[g.GoExpr] = []
        for e in es:
            mark = len(self.cur)
            value = self.expr(e)
            if len(self.cur) > mark:
                for j, prev in enumerate(out):
                    if not g.is_pure(prev):
                        name = self.temp("arg")
                        self.cur.insert(mark, s.Line(f"{name} := {g.render(prev)}", self.gl))
                        mark += 1
                        out[j] = g.ident(name)
            out.append(value)
        return out

    def value_of_block_like(self, e: ast.Expr) -> g.GoExpr:
        ty = self.ty(e)
        if ty == t.UNIT or isinstance(ty, t.Never):
            self.into(e, DISCARD)
            return _UNIT
        name = self.temp(_temp_base(e))
        self.line(f"var {name} {self.go(ty)}")
        self.into(e, Assign(g.ident(name), ty))
        return g.ident(name)

    # ------------------------------------------------------------ expressions

    def expr(self, e: ast.Expr) -> g.GoExpr:
        if e in self.expr_override:
            return self.expr_override[e]
        method = getattr(self, "_e_" + type(e).__name__, None)
        if method is None:
            raise UnsupportedAt(_describe(e), e.span)
        result: g.GoExpr = method(e)
        return result

    def _e_Paren(self, e: ast.Paren) -> g.GoExpr:
        self.ctx.parenthesized(e.span, e.inner.span)
        return self.expr(e.inner)

    def _e_Block(self, e: ast.Block) -> g.GoExpr:
        if not e.stmts and e.tail is not None:
            return self.expr(e.tail)
        return self.value_of_block_like(e)

    # (Methods of their own, not aliases: a compiled build (mypyc) keeps only methods.)
    def _e_If(self, e: ast.If) -> g.GoExpr:
        return self.value_of_block_like(e)

    def _e_Match(self, e: ast.Match) -> g.GoExpr:
        return self.value_of_block_like(e)

    def _e_Loop(self, e: ast.Loop) -> g.GoExpr:
        return self.value_of_block_like(e)

    def _e_While(self, e: ast.While) -> g.GoExpr:
        return self.value_of_block_like(e)

    def _e_For(self, e: ast.For) -> g.GoExpr:
        return self.value_of_block_like(e)

    def _e_Return(self, e: ast.Return) -> g.GoExpr:
        self.return_(e)
        return _UNIT

    def _e_Break(self, e: ast.Break) -> g.GoExpr:
        self.break_(e)
        return _UNIT

    def _e_Continue(self, e: ast.Continue) -> g.GoExpr:
        self.continue_(e)
        return _UNIT

    def _e_Assign(self, e: ast.Assign) -> g.GoExpr:
        self.assign(e)
        return _UNIT

    def _e_CompoundAssign(self, e: ast.CompoundAssign) -> g.GoExpr:
        self.assign(e)
        return _UNIT

    def literal(self, lit: ast.Literal) -> g.GoExpr:
        match lit.kind:
            case "int":
                assert isinstance(lit.value, int)
                return g.Atom(g.go_int_literal(_strip_suffix(lit.text, lit.suffix), lit.value),
                              "int")
            case "float":
                assert isinstance(lit.value, float)
                return g.Atom(g.go_float_literal(_strip_suffix(lit.text, lit.suffix),
                                                 lit.value), "float")
            case "str":
                assert isinstance(lit.value, str)
                return g.Atom(g.go_string(lit.value), "string")
            case "char":
                assert isinstance(lit.value, str)
                return g.Atom(g.go_rune(lit.value), "rune")
            case "bool":
                return g.Atom("true" if lit.value else "false", "bool")
            case "byte":
                value = lit.value if isinstance(lit.value, int) else ord(str(lit.value))
                if 0x20 <= value < 0x7F or chr(value) in "\n\t\r":
                    return g.Atom(g.go_rune(chr(value)), "rune")  # `b'_'` reads as `'_'`
                return g.Atom(str(value), "int")
            case "bytestr":
                return self.byte_string(str(lit.value), self.ty(lit), lit.span)
        raise UnsupportedAt(f"{lit.kind} literals", lit.span)

    def byte_string(self, value: str, ty: t.Ty, span: Span) -> g.GoExpr:
        """`b"GUST"`: a `&[u8; 4]` is the Go array `[4]uint8{'G', 'U', 'S', 'T'}`, a `&[u8]`
        the slice `[]byte("GUST")` (each byte written as Go reads it: `\\x7f`, not UTF-8)."""
        inner = ty.inner if isinstance(ty, t.Ref) else ty
        if isinstance(inner, t.Slice):
            return g.conversion("[]byte", g.Atom(f'"{_go_byte_text(value)}"', "string"))
        if not isinstance(inner, t.Array):
            raise UnsupportedAt(f"a byte string of type `{ty}`", span)
        if len(value) > 8:  # `[14]uint8([]byte("alice|42|admin"))` reads better
            slice = self.byte_string(value, t.Ref(t.Slice(inner.elem), False), span)
            return g.conversion(self.go(inner), slice)
        elems = [g.Atom(g.go_rune(ch), "rune") if 0x20 <= ord(ch) < 0x7F else
                 g.Atom(f"0x{ord(ch):02x}", "int") for ch in value]
        return g.Composite(self.go(inner), tuple(elems))

    def _e_Literal(self, e: ast.Literal) -> g.GoExpr:
        wide = self.ty(e)
        if wide_ints.is_wide(wide) and e.kind in ("int", "byte") and \
                isinstance(e.value, int) and isinstance(wide, t.Int):
            return wide_ints.constant(e.value, wide)  # `gustU128{0, 5}`
        value = self.literal(e)
        if e.kind == "int" and isinstance(self.ty(e), t.Float):
            return g.Atom(value.text + ".0", "float")  # type: ignore[attr-defined]
        if e.suffix is not None or e.kind == "byte":
            return self.typed(value, self.ty(e))
        return value

    def _e_PathExpr(self, e: ast.PathExpr) -> g.GoExpr:
        method = self.br.method_values.get(e)
        if method is not None:
            # `String::len` as a value: its closure, which is no part of the body's index
            # of uses, and uses each of its parameters.
            self.refs.update(self.br.bindings[p.pat] for p in method.params
                             if isinstance(p.pat, ast.IdentPat) and p.pat in self.br.bindings)
            return closures.emit_closure(self, method)
        res = self.br.paths.get(e)
        match res:
            case LocalRes(local=local):
                return self.local_expr(local)
            case FnRes(nested_at=at) if at in self.local_fns:
                return g.ident(self.local_fns[at][0])
            case FnRes(name=name):
                try:
                    targs = generics.value_type_args(self, name, self.ty(e))
                except Unsupported as exc:
                    raise UnsupportedAt(exc.what, e.span) from None
                return g.ident(self.types.pkg.value_ref(name) + targs)
            case ConstRes(name=name) if "::" in name and name.split("::")[0] in t.PRIMITIVES:
                return self.primitive_const(name, self.ty(e))
            case ConstRes(name=name) if name.startswith("Duration::") and \
                    durations.is_duration(self, self.ty(e)):
                return durations.const(name.split("::")[1])
            case ConstRes(name=name) if name.startswith("AtomicOrdering::"):
                return g.Atom("gust" + name.split("::")[1])  # (the runtime's constants)
            case ConstRes(name="Bound::Unbounded"):
                return g.Composite(self.go(self.ty(e)), ())  # Kind 0
            case ConstRes(name="fmt::Error"):
                return g.Composite("gustFmtError", ())
            case ConstRes(name=name):
                return g.ident(self.types.pkg.value_ref(name))
            case VariantRes(enum=enum, variant=variant) if isinstance(self.ty(e), t.FnPtr):
                return self._constructor_value(enum, variant, self.ty(e), e.span)
            case VariantRes(enum=enum, variant=variant):
                return self.variant_value(enum, variant, (), self.ty(e), e.span)
            case StructRes(name=name):
                info = self.env.structs[name]
                if info.kind == "unit":
                    return g.Composite(self.types.adt_name(name), ())
                ctor = self.ty(e)
                if info.kind == "tuple" and isinstance(ctor, t.FnPtr):
                    # `.map(Meters)`: a function literal building the struct
                    return self._fields_fn(ctor, self._composite_of(ctor.ret))
            case AssocFnRes(const=True) if e in self.br.assoc_consts:
                # An associated constant: the function that gives its value, called.
                return self._e_Call(self.br.assoc_consts[e])
            case AssocFnRes(owner=owner, name=name, builtin=False) \
                    if name in self.env.inherent.get(owner, {}):
                return g.ident(self.assoc_name(owner, name))
            case AssocFnRes(builtin=False):
                raise UnsupportedAt("trait items called by path", e.span)
            case AssocFnRes(owner="cmp", name="Reverse", builtin=True) if isinstance(
                    reverse := self.ty(e), t.FnPtr):  # `.map(Reverse)`
                return self._fields_fn(reverse, self._composite_of(reverse.ret))
            case AssocFnRes(owner="From", name="from", builtin=True):
                try:
                    return conversions.from_fn_value(self, self.ty(e))
                except Unsupported as exc:
                    raise UnsupportedAt(exc.what, e.span) from None
            case AssocFnRes(owner=owner, name="new", builtin=True) if owner in (
                    "Vec", "String", "HashMap", "HashSet"):
                # `or_insert_with(Vec::new)`: a function returning the empty value.
                fn_ty = self.ty(e)
                if isinstance(fn_ty, t.FnPtr) and not fn_ty.params:
                    empty = '""' if owner == "String" else self.go(fn_ty.ret) + "{}"
                    return g.FuncLit(f"func() {self.go(fn_ty.ret)}",
                                     ((f"\treturn {empty}", self.gl),))
            case GoRes():
                return self._go_interop(lambda: golang.path_value(self, res, e), e.span)
        if res is None and isinstance(self.ty(e), t.Error):
            # A name a failed `use` bound (E0432, reported there): a type in error.
            raise UnsupportedAt("a path of type {error}", e.span)
        raise UnsupportedAt("this path as a value", e.span)

    def _go_interop(self, emit: Callable[[], g.GoExpr], span: Span) -> g.GoExpr:
        """Go interop (gust.codegen.golang), with its `unsupported` cases at `span`."""
        try:
            return emit()
        except Unsupported as exc:
            raise UnsupportedAt(exc.what, span) from None

    def _constructor_value(self, enum: str, variant: str, ty: t.Ty, span: Span) -> g.GoExpr:
        """A tuple variant's constructor as a value (`.map(Some)`, `.map(Shape::Circle)`):
        a function literal building the variant from its parameters."""
        assert isinstance(ty, t.FnPtr)
        return self._fields_fn(ty, lambda xs: self.variant_value(enum, variant, tuple(xs),
                                                                 ty.ret, span))

    def _composite_of(self, ty: t.Ty) -> Callable[[list[g.GoExpr]], g.GoExpr]:
        """A tuple struct's literal of the given field values."""
        go = self.go(ty)
        return lambda xs: g.Composite(go, tuple(xs))

    def _fields_fn(self, ty: t.FnPtr, build: Callable[[list[g.GoExpr]], g.GoExpr]
                   ) -> g.GoExpr:
        """A constructor as a function literal: `build` makes the value of its parameters."""
        names = [f"x{i}" if len(ty.params) > 1 else "x" for i in range(len(ty.params))]
        params = ", ".join(f"{n} {self.go(p)}" for n, p in zip(names, ty.params, strict=True))
        value = build([g.ident(n) for n in names])
        return g.FuncLit(f"func({params}) {self.go(ty.ret)}",
                         ((f"\treturn {g.render(value)}", self.gl),))

    def assoc_name(self, owner: str, name: str) -> str:
        return self.types.pkg.assoc_fn(owner, name)

    def variant_value(self, enum: str, variant: str, args: tuple[g.GoExpr, ...], ty: t.Ty,
                      span: Span) -> g.GoExpr:
        if enum == "Option":
            if variant == "None":
                inner = ty.args[0] if isinstance(ty, t.Adt) and ty.args else t.ERROR
                return g.call(f"None[{self.go(inner)}]")
            inner_ty = ty.args[0] if isinstance(ty, t.Adt) and ty.args else t.ERROR
            if (isinstance(args[0], g.Composite) and args[0].type != self.go(inner_ty)) or \
                    isinstance(_deref_all(inner_ty), t.Dyn):
                # (a value for a trait object: `Some(&self.cause)` as `Option<&dyn Error>`)
                return g.call(f"Some[{self.go(inner_ty)}]", args[0])
            return g.call("Some", self.typed(args[0], inner_ty))
        if enum == "Result":
            return results.result_value(self, variant, args[0], ty)
        if enum == "Ordering":
            return traits.ordering_value(variant)
        vtype = self.types.variant_type(enum, variant)
        if self.types.enum_is_simple(enum):
            return g.ident(vtype)
        if isinstance(ty, t.Adt) and ty.args:
            vtype = self.types.variant_go(enum, variant, ty.args)
        return g.Composite(vtype, args)

    def _e_Call(self, e: ast.Call) -> g.GoExpr:
        method_call = self.br.path_calls.get(e)
        if method_call is not None:
            return self._e_MethodCall(method_call)  # `Ord::cmp(&a, &b)`: `(&a).cmp(&b)`
        callee = _strip(e.callee)
        res = self.br.paths.get(callee) if isinstance(callee, ast.PathExpr) else None
        if self.display and self.ty(e) == t.FMT_RESULT:
            self.exprs(list(e.args))  # `Ok(())` in `fmt`: nothing to return
            return _UNIT
        match res:
            case FnRes(nested_at=at) if at in self.local_fns:
                go, param_tys = self.local_fns[at]
                return g.call(go, *self.args(e.args, param_tys))
            case FnRes() | AssocFnRes(builtin=False):
                return generics.path_call(self, e, res)
            case AssocFnRes(owner=owner, name=name, builtin=True):
                return self.builtin_assoc(owner, name, e)
            case VariantRes(enum=enum, variant=variant):
                if self.reused_variants is None:
                    self.reused_variants = reused_variants.find(self)
                if id(e) in self.reused_variants:  # the arm's matched value, rebuilt
                    self.exprs(list(e.args))
                    return self.local_expr(self.reused_variants[id(e)])
                params: tuple[t.Ty, ...]
                if enum == "Option":
                    params = (self.ty(e).args[0],) if isinstance(self.ty(e), t.Adt) else ()  # type: ignore[union-attr]
                elif enum == "Result":
                    params = results.variant_params(self.ty(e), variant)
                else:
                    vinfo = self.env.enums[enum].variant(variant)
                    assert vinfo is not None
                    params = self._go_field_types(enum, vinfo.fields, self.ty(e), e)
                return self.variant_value(enum, variant, tuple(self.args(e.args, params)),
                                          self.ty(e), e.span)
            case GoRes():
                return self._go_interop(lambda: golang.call(self, e, res), e.span)
            case StructRes(name=name):
                info = self.env.structs[name]
                values = self.args(e.args, self._go_field_types(name, info.fields, self.ty(e), e))
                return g.Composite(self.go(self.ty(e)), tuple(values))
        callee_ty = self.ty(e.callee)
        fn = self.expr(e.callee)
        call_sig = self.types.callable(callee_ty) or self._bound_call(callee_ty)
        if call_sig is None:
            raise UnsupportedAt("this call", e.span)
        fn = self._deref_expr(fn, callee_ty, 4)
        return g.call(fn, *self.args(e.args, call_sig.params))

    def args(self, args: tuple[ast.Expr, ...], params: tuple[t.Ty, ...]) -> list[g.GoExpr]:
        values = self.exprs(list(args))
        out = []
        for i, (v, a) in enumerate(zip(values, args, strict=True)):
            out.append(self.adapt(v, self.ty(a), params[i]) if i < len(params) else v)
        return out

    def user_method(self, owner: str, name: str, self_kind: str, recv: g.GoExpr,
                    args: list[g.GoExpr]) -> g.GoExpr:
        go_name = self.method_name(owner, name)
        if self.types.is_iface_enum(owner):
            return g.call(self.assoc_name(owner, name), recv, *args)
        return g.call(g.selector(recv, go_name), *args)

    def method_name(self, owner: str, name: str) -> str:
        return FnEmitter.method_go_name(self.ctx, owner, name)

    @staticmethod
    def method_go_name(ctx: ItemContext, owner: str, name: str) -> str:
        """A Go method name: Go forbids a field and a method with the same name."""
        return ctx.types.pkg.method(owner, name)

    def builtin_assoc(self, owner: str, name: str, e: ast.Call) -> g.GoExpr:
        ty = self.ty(e)
        args = self.exprs(list(e.args))
        match owner, name:
            case "Vec", "new":
                return g.Composite(self.go(ty), ())
            case "Vec", "with_capacity":
                return g.call("make", g.Atom(self.go(ty)), g.Atom("0", "int"), args[0])
            case "String", "new":
                return g.Atom('""')
            case "String", "with_capacity":
                return string_push.with_capacity(args[0])
            case "String", "from_utf8":
                return g.call("gustStringFromUtf8", args[0])
            case "String", "from_utf8_lossy":
                # (`&[0xF0, ..]` is an array's slice.)
                return g.call("gustUtf8LossyCow", self.adapt(args[0], self.ty(e.args[0]),
                                                          t.Ref(t.Slice(t.Int("u8")), False)))
            case "From", "from":
                try:
                    return conversions.convert(self, args[0], self.ty(e.args[0]), ty)
                except Unsupported as exc:
                    raise UnsupportedAt(exc.what, e.span) from None
            case "TryFrom", "try_from":
                return conversions.try_from_int(self, args[0], self.ty(e.args[0]), ty)
        if name == "from_str" and len(args) == 1 and isinstance(ty, t.Adt) and \
                ty.name == "Result" and ty.args:
            try:
                return traits.from_str_call(self.types, ty.args[0], args[0])
            except Unsupported as exc:
                raise UnsupportedAt(exc.what, e.span) from None
        if name == "default" and not args:
            try:
                return traits.default_value(self, self.ty(e))
            except Unsupported as exc:
                raise UnsupportedAt(exc.what, e.span) from None
        shared = concurrency.assoc(self, owner, name, e, args)
        if shared is not None:
            return shared
        return std_calls.assoc(self, owner, name, e, args)

    # ------------------------------------------------------------ methods

    def _deref_ty(self, ty: t.Ty, derefs: int) -> t.Ty:
        for _ in range(derefs):
            if isinstance(ty, t.Ref):
                ty = ty.inner
            elif isinstance(ty, t.Adt) and ty.name == "String":
                ty = t.STR
            elif isinstance(ty, t.Adt) and ty.name == "Vec" and ty.args:
                ty = t.Slice(ty.args[0])  # the same Go slice
            elif isinstance(ty, t.Adt) and ty.name == "Box" and ty.args:
                ty = ty.args[0]
            elif concurrency.is_deref_type(ty):
                ty = ty.args[0]  # type: ignore[union-attr]
            elif (user := traits.user_deref(self.types, _UNIT, ty)) is not None:
                ty = user[1]  # a package type's `impl Deref`
        return ty

    def _deref_expr(self, value: g.GoExpr, ty: t.Ty, derefs: int, write: bool = False
                    ) -> g.GoExpr:
        """`value` of type `ty` auto-dereferenced `derefs` times (a method's receiver);
        `write`: for a `&mut self` method, through `deref_mut()` of a package type's
        `impl DerefMut`."""
        for _ in range(derefs):
            if isinstance(ty, t.Ref):
                if self.types.ref_is_ptr(ty) and not self.types.is_struct(ty.inner):
                    value = g.unary("*", value)
                ty = ty.inner
            elif isinstance(ty, t.Adt) and ty.name in ("String", "Vec"):
                ty = t.STR if ty.name == "String" else t.Slice(ty.args[0])
            elif isinstance(ty, t.Adt) and concurrency.is_deref_type(ty):
                value, ty = concurrency.deref(self.types, value, ty)
            elif write and (mutable := self.deref_mut_place(value, ty)) is not None:
                value, ty = g.unary("*", mutable[0]), mutable[1]  # `*w.deref_mut()`
            elif (user := traits.user_deref(self.types, value, ty)) is not None:
                value, ty, pointer = user  # `w.deref()`, as the `Ref` case after it
                if pointer and not self.types.is_struct(ty):
                    value = g.unary("*", value)
        return value

    def _deref_struct_ptr(self, value: g.GoExpr, ty: t.Ty, derefs: int) -> g.GoExpr:
        """`*p` for the struct pointers that `_deref_expr` leaves to Go's automatic
        dereference: `p.clone()` of a `&Struct` must copy the struct, not the pointer."""
        for _ in range(derefs):
            if not isinstance(ty, t.Ref):
                break
            if self.types.ref_is_ptr(ty) and self.types.is_struct(ty.inner):
                value = g.unary("*", value)
            ty = ty.inner
        return value

    def method_receiver(self, e: ast.MethodCall) -> g.GoExpr:
        res = self.br.methods[e]
        return self._deref_expr(self.expr(e.receiver), self.ty(e.receiver), res.derefs,
                                res.self_kind == "ref_mut")

    def _is_unit_builtin(self, e: ast.MethodCall) -> bool:
        res = self.br.methods.get(e)
        return res is not None and res.builtin and (res.owner, res.name) in _UNIT_METHODS

    def _builder_push(self, e: ast.MethodCall, res: MethodRes, buf: str) -> None:
        """`push_str`/`push` to a String appended to (gust.codegen.string_builders)."""
        recv_ty = self._deref_ty(self.ty(e.receiver), res.derefs)
        params = self._builtin_params(res, recv_ty)
        arg = self.adapt(self.expr(e.args[0]), self.ty(e.args[0]),
                         params[0] if params else self.ty(e.args[0]))
        if res.name == "push_str":
            string_builders.push_str(self, buf, arg)
            return
        literal = (eval_rune(arg.text) if isinstance(arg, g.Atom) and
                   arg.untyped == "rune" else None)
        string_builders.push_char(self, buf, arg, literal)

    def method_stmt(self, e: ast.MethodCall) -> None:
        """Builtin methods that mutate their receiver in place (`v.push(x)`)."""
        res = self.br.methods[e]
        recv_ty = self._deref_ty(self.ty(e.receiver), res.derefs)
        if (res.owner, res.name) == ("String", "replace_range"):
            self._replace_range(e, res)
            return
        buf = string_builders.buffer(self, e.receiver) if res.owner == "String" else None
        if buf is not None:
            self._builder_push(e, res, buf)
            return
        place = self._place(self.method_receiver(e), e.receiver)
        params = self._builtin_params(res, recv_ty)
        args = [self.adapt(v, self.ty(a), params[i] if i < len(params) else self.ty(a))
                for i, (v, a) in enumerate(zip(self.exprs(list(e.args)), e.args, strict=True))]
        p = g.render(place)
        match res.owner, res.name:
            case "Vec", "push":
                self.line(f"{p} = {g.render(g.call('append', place, args[0]))}")
            case "Vec", "clear":
                self.line(f"{p} = {g.render(g.slice_expr(place, None, g.Atom('0', 'int')))}")
            case "Vec", "truncate":
                self.line(f"{p} = {g.render(g.slice_expr(place, None, g.call('min', args[0], g.call('len', place))))}")
            case "Vec", "insert":
                self.line(g.render(g.call("gustInsert", g.unary("&", place), *args)))
            case "Vec", "swap":
                a = g.index(place, args[0])
                b = g.index(place, args[1])
                self.line(f"{g.render_list([a, b])} = {g.render_list([b, a])}")
            case "Vec", "reverse":
                self.ctx.imports.add("slices")
                self.line(g.render(g.call("slices.Reverse", place)))
            case "String", "push_str":
                self.line(string_push.push_str(place, args[0], self._is_element(e.receiver)))
            case "String", "extend":
                # `s.extend(c.to_lowercase())`, `s.extend(vec_of_chars)`: the chars' text
                seq = iterators.range_seq(args[0], self.ty(e.args[0]))
                if not std_calls.is_seq(self.ty(e.args[0])):
                    self.ctx.imports.add("slices")
                    seq = g.call("slices.Values", seq)
                self.line(string_push.push_str(place, g.call("gustCollectString", seq),
                                               self._is_element(e.receiver)))
            case "String", "push":
                arg = args[0]
                literal = (eval_rune(arg.text) if isinstance(arg, g.Atom) and
                           arg.untyped == "rune" else None)
                self.line(string_push.push_char(place, arg, literal,
                                                self._is_element(e.receiver)))
            case "String", "clear":
                self.line(string_push.clear(place, self._is_element(e.receiver)))
            case _:
                elem = _elem_of(_strip_refs(recv_ty)) or t.ERROR
                if isinstance(_strip_refs(recv_ty), t.Array):
                    place = g.slice_expr(place, None, None)
                std_calls.vec_stmt(self, e, res.owner, place, elem, args)

    def _replace_range(self, e: ast.MethodCall, res: MethodRes) -> None:
        """`s.replace_range(lo..hi, with)`: the range (written in the call) replaced, with
        Rust's panics off a char boundary (runtime gustStrReplaceRange)."""
        rng = _strip(e.args[0])
        if not isinstance(rng, ast.Range):
            raise UnsupportedAt("`replace_range` with a range value", e.span)
        ends = [b for b in (rng.lo, rng.hi) if b is not None]
        values = self.exprs([e.receiver, *ends, e.args[1]])
        place = self._place(self._deref_expr(values[0], self.ty(e.receiver), res.derefs, True),
                            e.receiver)
        given = iter(values[1:-1])
        lo = next(given) if rng.lo is not None else g.Atom("0", "int")
        hi = next(given) if rng.hi is not None else g.Atom("-1", "int")  # to the end
        self.ctx.site(e.name_span.start, "p")
        self.line(g.render(g.call("gustStrReplaceRange", g.unary("&", place), lo, hi,
                                  g.Atom("true" if rng.inclusive else "false"),
                                  self.adapt(values[-1], self.ty(e.args[1]), t.STR_REF))))

    def _is_element(self, e: ast.Expr) -> bool:
        """Whether `e` is an element of a Vec, array or slice (`v[i]`: Go can take its
        address, unlike a map's `m[k]`)."""
        e = _strip(e)
        if not isinstance(e, ast.Index):
            return False
        base = _strip_refs(self.ty(e.base))
        return isinstance(base, (t.Array, t.Slice)) or (
            isinstance(base, t.Adt) and base.name == "Vec")

    def _place(self, value: g.GoExpr, e: ast.Expr) -> g.GoExpr:
        """A place that can be read and assigned more than once."""
        if g.is_pure(value):
            return value
        ptr = self.temp("p")
        self.line(f"{ptr} := {g.render(g.unary('&', value))}")
        return g.unary("*", g.ident(ptr))

    def _builtin_params(self, res: MethodRes, recv_ty: t.Ty) -> tuple[t.Ty, ...]:
        m = builtins.lookup(res.owner, res.name, recv_ty) if res.owner in (
            "Vec", "String", "str", "Option", "Iter", "Range", "RangeInclusive", "int",
            "float", "Result", "HashMap", "HashSet", "Entry", "char", "slice") else None
        return m.params if m is not None else ()

    def _is_map_stmt(self, e: ast.MethodCall) -> bool:
        res = self.br.methods.get(e)
        return res is not None and res.builtin and res.owner in ("HashMap", "HashSet") and \
            res.name in ("insert", "remove", "clear", "retain")

    def map_stmt(self, e: ast.MethodCall) -> None:
        """A map method whose value is dropped: a plain statement (`m[k] = v`)."""
        res = self.br.methods[e]
        recv_ty = self._deref_ty(self.ty(e.receiver), res.derefs)
        values = self.exprs([e.receiver, *e.args])
        recv = self._deref_expr(values[0], self.ty(e.receiver), res.derefs,
                                res.self_kind == "ref_mut")
        value = std_calls.map_method(self, e, recv, recv_ty, values[1:], False)
        if value is not None:
            self.discard(value, self.ty(e))

    def _e_MethodCall(self, e: ast.MethodCall) -> g.GoExpr:
        operator = self.br.operator_calls.get(e)
        if operator is not None:
            return self.expr(operator)  # `a.add(b)`: `a + b`
        res = self.br.methods.get(e)
        if res is None:
            raise UnsupportedAt("this method call", e.span)
        lock = concurrency.locked(self, e)
        if lock is not None:
            return lock
        if iterators.fusible_consumer(self, e):
            return iterators.fuse_consumer(self, e)
        recv_base = _deref_all(self.ty(e.receiver))
        if res.builtin and res.owner == "Entry" and not (
                isinstance(recv_base, t.Adt) and
                self.env.is_package_type(recv_base.name, recv_base.args)):
            # (a package's own `Entry`: `self.cmp(other)` in its `Ord` impl is not std's)
            place = std_calls.entry_place(self, e)
            if place is None:
                raise UnsupportedAt("this use of the entry API", e.span)
            return place
        if (res.owner.startswith("go:") and not res.builtin) or (
                res.builtin and (res.owner, res.name) == ("GoError", "Error")):
            return self._go_interop(lambda: golang.method_call(self, e, res), e.span)
        if not res.builtin:
            return self.user_method_call(e, res)
        if res.owner == "IntoIterator":
            return iterators.into_iter_call(self, e, res)
        if res.trait == "AsRef" and res.name == "as_ref":
            return conversions.as_ref_call(self, e, self.method_receiver(e),
                                           self._deref_ty(self.ty(e.receiver), res.derefs))
        if (res.owner, res.name) in _UNIT_METHODS:
            self.method_stmt(e)
            return _UNIT
        return self.builtin_method(e, res)

    def user_method_call(self, e: ast.MethodCall, res: MethodRes) -> g.GoExpr:
        return generics.method_call(self, e, res)

    def _old_user_method_call(self, e: ast.MethodCall, res: MethodRes) -> g.GoExpr:
        owner = res.owner
        sig = self.env.methods[owner][e.name]
        values = self.exprs([e.receiver, *e.args])
        recv_ty = self.ty(e.receiver)
        recv = self._deref_expr(values[0], recv_ty, res.derefs)
        base_ty = self._deref_ty(recv_ty, res.derefs)
        args = [self.adapt(v, self.ty(a), sig.params[i])
                for i, (v, a) in enumerate(zip(values[1:], e.args, strict=True))]
        if self.types.is_iface_enum(owner):
            if res.self_kind == "ref_mut":
                recv = self._address(recv, e.receiver, base_ty)
            return g.call(self.assoc_name(owner, e.name), recv, *args)
        if res.self_kind in ("ref", "ref_mut") and not self._addressable(e.receiver) and \
                not (isinstance(recv_ty, t.Ref) and self.types.ref_is_ptr(recv_ty)):
            recv = g.ident(self.define_temp(recv, base_ty, _temp_base(e.receiver)))
        return g.call(g.selector(recv, self.method_name(owner, e.name)), *args)

    def _addressable(self, e: ast.Expr) -> bool:
        e = _strip(e)
        match e:
            case ast.PathExpr():
                return isinstance(self.br.paths.get(e), LocalRes)
            case ast.Field(base=base) | ast.TupleField(base=base):
                bty = self.ty(base)
                return (isinstance(bty, t.Ref) and self.types.ref_is_ptr(bty)) or \
                    self._addressable(base)
            case ast.Index(base=base):
                if _is_map(_strip_refs(self.ty(base))):
                    return False  # a map element has no address: `&m[k]` points at a copy
                return not isinstance(self.ty(base), t.Array) or self._addressable(base)
            case ast.Unary(op="*"):
                return True
        return False

    def _enum_typed(self, value: g.GoExpr, ty: t.Ty) -> g.GoExpr:
        """A variant literal of an enum with payloads as the enum's interface: given to the
        runtime's generic functions (`gustOkOr(o, VmErrorUnderflow{..})`), Go would infer
        the variant's struct as the type argument, not the enum."""
        if isinstance(ty, t.Adt) and self.types.is_iface_enum(ty.name) and \
                isinstance(value, g.Composite):
            return g.conversion(self.go(ty), value)
        return value

    def _address(self, value: g.GoExpr, e: ast.Expr, ty: t.Ty) -> g.GoExpr:
        if isinstance(value, g.Unary) and value.op == "*":
            return value.x
        if not self._addressable(e):
            value = g.ident(self.define_temp(value, ty, _temp_base(e)))
        return g.unary("&", value)

    def _bound_call(self, ty: t.Ty) -> t.FnPtr | None:
        """The call signature of a value of an impl's type parameter `F: Fn(..)` (a Go
        type parameter whose constraint is the func type: `(self.f)(x)`)."""
        while isinstance(ty, t.Ref):
            ty = ty.inner
        if not isinstance(ty, t.Param):
            return None
        for b in fn_assumptions(self.env, self.fn):
            if b.ty == ty and b.trait in t.CLOSURE_KINDS and len(b.args) == 2 and \
                    isinstance(b.args[0], t.Tuple):
                return t.FnPtr(b.args[0].elems, b.args[1])
        return None

    def _range_contains(self, e: ast.MethodCall, rng: ast.Range, recv_ty: t.Ty) -> g.GoExpr:
        """`(lo..hi).contains(&x)` (any of `lo..`, `..hi`, `..=hi`): `lo <= x && x < hi`,
        each end and `x` evaluated once, in order (a NaN is in no range)."""
        elem = recv_ty.args[0] if isinstance(recv_ty, t.Adt) and recv_ty.args else t.ERROR
        ends = [x for x in (rng.lo, rng.hi) if x is not None]
        values = self.exprs([*ends, e.args[0]])
        x = self.stable(std_calls.deref_arg(self, values[-1], e.args[0]), elem, "x")
        given = iter(values[:-1])
        tests: list[g.GoExpr] = []
        if rng.lo is not None:
            tests.append(g.binary("<=", self.typed(next(given), elem), x))
        if rng.hi is not None:
            tests.append(g.binary("<=" if rng.inclusive else "<", x,
                                  self.typed(next(given), elem)))
        if not tests:
            return g.Atom("true")
        return tests[0] if len(tests) == 1 else g.binary("&&", tests[0], tests[1])

    def _range_method(self, e: ast.MethodCall, name: str, recv: g.GoExpr, recv_ty: t.Adt,
                      args: list[g.GoExpr]) -> g.GoExpr | None:
        """The methods of a range value that read its bounds or move them (`next`); None
        for an iterator method (of its sequence)."""
        elem = recv_ty.args[0] if recv_ty.args else t.ERROR
        match name:
            case "start" | "end" if not e.args:  # `RangeInclusive`'s: `&T`
                if self.types.ref_is_ptr(t.Ref(elem, False)):
                    return g.unary("&", g.selector(self._address(recv, e.receiver, recv_ty),
                                                   name))
                return g.selector(recv, name)
            case "contains" | "is_empty":
                plain = _deref_all(elem)
                if not isinstance(plain, (t.Int, t.Float, t.Char)) or wide_ints.is_wide(plain):
                    raise UnsupportedAt(f"`{name}` of a range of `{elem}`", e.span)
                if name == "is_empty":
                    return g.call("gustRangeIsEmpty", recv)
                return g.call("gustRangeContains", recv, args[0])
            case "len":
                return g.call("gustRangeLen", recv)
            case "next" | "next_back":
                fn = "gustRangeNext" if name == "next" else "gustRangeNextBack"
                return g.call(fn, self._address(recv, e.receiver, recv_ty))
            case "by_ref" | "peek" | "next_if" | "next_if_eq" | "as_str":
                raise UnsupportedAt(f"`{name}` of a range value", e.span)
        return None

    def _get_range(self, e: ast.MethodCall, res: MethodRes, rng: ast.Range | None,
                   recv_full_ty: t.Ty, inclusive: bool = False) -> g.GoExpr:
        """`v.get(lo..hi)`, `s.get(..=n)` (the range written in the call; None: a range
        value, `v.get(r)`, its bounds read from the runtime's gustRangeValue): runtime
        `gustGetRange` / `gustStrGetRange`, `None` out of bounds, as Rust's."""
        ends = [x for x in (rng.lo, rng.hi) if x is not None] if rng is not None \
            else list(e.args)
        values = self.exprs([e.receiver, *ends])
        recv = self._deref_expr(values[0], recv_full_ty, res.derefs, res.self_kind == "ref_mut")
        if isinstance(self._deref_ty(recv_full_ty, res.derefs), t.Array):
            if isinstance(recv, (g.Composite, g.Call)):
                recv = g.ident(self.define_temp(recv, self._deref_ty(recv_full_ty, res.derefs),
                                                "items"))
            recv = g.slice_expr(recv, None, None)
        fn = "gustStrGetRange" if res.owner == "str" else "gustGetRange"
        if rng is None:
            held = values[1] if g.is_pure(values[1]) else \
                g.ident(self.define_temp(values[1], self.ty(e.args[0]), "window"))
            return g.call(fn, recv, g.selector(held, "start"), g.selector(held, "end"),
                          g.Atom(str(3 | (4 if inclusive else 0)), "int"))
        given = iter(values[1:])
        zero = g.Atom("0", "int")
        lo = self.typed(next(given), t.USIZE) if rng.lo is not None else zero
        hi = self.typed(next(given), t.USIZE) if rng.hi is not None else zero
        bounds = (1 if rng.lo is not None else 0) | (2 if rng.hi is not None else 0) | \
            (4 if rng.inclusive else 0)
        return g.call(fn, recv, lo, hi, g.Atom(str(bounds), "int"))

    def builtin_method(self, e: ast.MethodCall, res: MethodRes) -> g.GoExpr:
        recv_full_ty = self.ty(e.receiver)
        recv_ty = self._deref_ty(recv_full_ty, res.derefs)
        if res.owner in ("Vec", "VecDeque", "String") and res.name == "drain":
            return self._drain(e, res, recv_ty)
        if res.owner in ("Range", "RangeInclusive") and res.name == "contains" and \
                isinstance(_strip(e.receiver), ast.Range):
            return self._range_contains(e, _strip(e.receiver), recv_ty)  # type: ignore[arg-type]
        if isinstance(recv_ty, t.Adt) and recv_ty.name in ("BTreeMap", "BTreeSet") and \
                res.name == "range":
            return std_calls.sorted_range(self, e, recv_full_ty, recv_ty, res.derefs)
        if res.name in ("get", "get_mut") and res.owner in ("Vec", "slice", "str") and \
                len(e.args) == 1 and isinstance(_strip(e.args[0]), ast.Range):
            return self._get_range(e, res, _strip(e.args[0]), recv_full_ty)  # type: ignore[arg-type]
        if (res.owner, res.name) == ("VecDeque", "range") and len(e.args) == 1:
            return self._deque_range(e, res, recv_full_ty)
        if res.name in ("get", "get_mut") and res.owner in ("Vec", "slice", "str") and \
                len(e.args) == 1 and isinstance(held := self.ty(e.args[0]), t.Adt) and \
                held.name in ("Range", "RangeInclusive"):
            return self._get_range(e, res, None, recv_full_ty, held.name == "RangeInclusive")
        values = self.exprs([e.receiver, *e.args])
        recv = self._deref_expr(values[0], recv_full_ty, res.derefs, res.self_kind == "ref_mut")
        params = self._builtin_params(res, recv_ty)
        args = [self._enum_typed(self.adapt(v, self.ty(a), params[i] if i < len(params)
                                            else self.ty(a)), self.ty(a))
                for i, (v, a) in enumerate(zip(values[1:], e.args, strict=True))]
        name = res.name
        owner = res.owner
        ret = self.ty(e)
        shared = concurrency.method(self, e, res, recv, args)
        if shared is not None:
            return shared
        if name == "clone":
            return self.clone_expr(self._deref_struct_ptr(recv, recv_full_ty, res.derefs),
                                   recv_ty)
        if name == "to_string" and owner not in ("str",):
            return self.to_string(recv, recv_ty)
        if isinstance(recv_ty, t.Param) and recv_ty.name in self.types.seq_params:
            recv_ty = t.Adt("Iter", (self.types.seq_params[recv_ty.name],))
        if isinstance(recv_ty, t.Int) and wide_ints.is_wide(recv_ty) and res.builtin and \
                (done := wide_ints.value_method(self, name, recv, args, recv_ty)) is not None:
            return done
        if owner in ("PartialEq", "PartialOrd"):
            # `a.eq(&b)`, `a.lt(&b)`: the operator, on `a` and the value behind `&b`.
            # (`(&a).eq(&b)`, `PartialEq::eq(&a, &b)`: std's impls for references compare
            # the values behind both.)
            # (Through `(&a).eq(&b)`, `PartialEq::eq(&a, &b)`: the struct behind a pointer
            # receiver, which a Go method call would take as it is, is the operand.)
            lhs = recv
            if isinstance(recv_full_ty, t.Ref) and recv_ty == _deref_all(recv_full_ty):
                lhs = self._deref_scalar(values[0], recv_full_ty)
            return self.binary_values(_OPERATOR_OF[name], lhs, args[0], recv_ty,
                                      self.ty(e.args[0]), e)
        if isinstance(recv_ty, t.Ref) and name in order_methods.NAMES:
            # `a.min(b)` with `a: &i32` (std's `Ord` for references): a reference that is
            # the value in Go compares and returns as the value.
            ref: t.Ty = recv_ty
            while isinstance(ref, t.Ref):
                if self.types.ref_is_ptr(ref):
                    raise UnsupportedAt(f"`{name}` of references to this type", e.span)
                ref = ref.inner
            recv_ty = ref
            owner = builtins.method_owner(ref) or owner
        if order_methods.applies(self, res, recv_ty):
            return order_methods.emit(
                self, e, self._deref_struct_ptr(recv, recv_full_ty, res.derefs), args, recv_ty)
        if owner == "DefaultHasher" and "DefaultHasher" not in self.env.structs:
            return std_calls.hasher_method(self, e, name, recv, args)
        if name == "hash" and res.trait == "Hash" and len(args) == 1:
            return std_calls.hash_call(self, e, recv, recv_ty, args[0])
        if owner == "Error" and name == "source":
            # `Error::source` of a `dyn Error` or a package type: its `gustSource` method if
            # its impl defines one, else std's default `None` (the runtime's gustErrorSource)
            if self.types.is_struct(recv_ty):
                recv = g.unary("&", recv) if isinstance(recv, (g.Composite, g.Atom)) else \
                    g.ident(self.define_temp(recv, recv_ty, "err"))
            return g.call("gustErrorSource", recv)
        if iterators.is_range(recv_ty):
            bounds = self._range_method(e, name, recv, recv_ty, args)
            if bounds is not None:
                return bounds
            recv, recv_ty = iterators.range_seq(recv, recv_ty), t.Adt("Iter", recv_ty.args)
            owner = "Iter"
        if owner == "Iter" and (item := iterators.user_item(self, recv_ty)) is not None:
            # A package type's `impl Iterator`: std's adapters over its `next`.
            if name == "by_ref":
                return iterators.user_by_ref(self, e, recv, recv_ty)
            if name == "next":
                return g.call(g.selector(recv, "next"))  # the impl's own method
            seq = iterators.user_seq(self, recv, recv_ty, moved=res.self_kind == "value")
            assert seq is not None
            recv, recv_ty = seq, t.Adt("Iter", (item,))
        if owner == "Iter" and name == "by_ref" and isinstance(recv_ty, t.Adt) and \
                recv_ty.name == "Iter":
            return self._address(recv, e.receiver, recv_ty)  # `it.by_ref()`: `&it`
        if owner == "Iter" and isinstance(recv_ty, t.Ref) and recv_ty.mutable and \
                self.go(recv_ty).startswith("*iter.Seq["):
            # `it.by_ref().take(2)`, `r.count()` (std's `impl Iterator for &mut I`): the
            # items taken from `*r` one at a time, so that what the adapter leaves stays in
            # the iterator, as in Rust.
            recv, recv_ty = g.call("gustByRefSeq", recv), t.Adt("Iter", (_item_of_seq(
                self.go(recv_ty), recv_ty.inner, self.types.seq_params),))
        match owner:
            case "Vec" | "slice":
                return self.vec_method(e, name, recv, recv_ty, args)
            case "VecDeque" if name == "as_slices":
                # all of its one Go slice, and an empty one
                return g.tuple_lit(self.go(ret), (recv, g.Atom("nil")))
            case "VecDeque" | "BinaryHeap":
                if name == "remove":
                    self.ctx.site(e.name_span.start, "p")
                value = deques.heap_method(name, recv) if owner == "BinaryHeap" else None
                if value is None:
                    value = deques.method(self, e, name,
                                          self._address(recv, e.receiver, recv_ty), args)
                if value is not None:
                    return value
            case "String" | "str":
                return self.str_method(e, name, recv, args)
            case "Option":
                return self.option_method(e, name, recv, recv_ty, args)
            case "Result":
                return results.result_method(self, e, recv, recv_ty, args)
            case "int" | "float" | "i8" | "i16" | "i32" | "i64" | "isize" | "u8" | "u16" | \
                    "u32" | "u64" | "usize" | "f32" | "f64":
                return self.number_method(e, name, recv, recv_ty, args)
            case "Iter" | "Range" | "RangeInclusive":
                return self.iter_method(e, name, recv, recv_ty, args, ret)
            case "HashMap" | "HashSet" | "BTreeMap" | "BTreeSet":
                value = std_calls.map_method(self, e, recv, recv_ty, args, True)
                assert value is not None
                return value
            case "char":
                return std_calls.char_method(self, e, recv, args)
            case "bool" if name in ("then", "then_some"):
                return g.call("gustBoolThen" if name == "then" else "gustBoolThenSome", recv,
                              args[0])
            case "FromUtf8Error" | "Utf8Error":
                return g.call(g.selector(recv, name))  # the runtime's own methods
            case "Ordering":
                return std_calls.ordering_method(self, e, recv, args)
            case "Duration" if durations.is_duration(self, recv_ty):
                timed = durations.method(self, e, recv, args)
                if timed is not None:
                    return timed
            case "Instant" if durations.is_instant(self, recv_ty):
                timed = durations.instant_method(self, e, recv, args)
                if timed is not None:
                    return timed
            case "Formatter" if name == "write_str":
                # as `write!(f, "{}", s)`: the text itself, whatever the `{}`'s flags
                self.line(g.render(g.call(g.selector(recv, "writeFmt"),
                                          g.Atom('"{}"', "string"), args[0])))
                return _UNIT
            case "Formatter" if name == "pad":
                # the text padded and truncated by the `{}`'s width and precision, as str's
                self.line(g.render(g.call(g.selector(recv, "pad"), args[0])))
                return _UNIT
            case "Formatter" if name in ("debug_struct", "debug_tuple", "debug_list"):
                kind = g.Atom(f"'{name[6]}'", "rune")  # 's', 't' or 'l'
                return g.call(g.selector(recv, "debugBuilder"), kind,
                              args[0] if args else g.Atom('""', "string"))
            case "DebugStruct" | "DebugTuple" | "DebugList" if name == "finish":
                self.line(g.render(g.call(g.selector(recv, "finish"))))
                return _UNIT
            case "DebugStruct" if name == "finish_non_exhaustive":
                self.line(g.render(g.call(g.selector(recv, "finishNonExhaustive"))))
                return _UNIT
            case "DebugList" if name == "entries":
                seq = iterators.range_seq(args[0], self.ty(e.args[0])) \
                    if std_calls.is_seq(self.ty(e.args[0])) else \
                    iterators.as_seq(self, args[0], self.ty(e.args[0]), e.args[0])
                return g.call("gustDebugEntries", recv, seq)
            case "DebugStruct" | "DebugTuple" | "DebugList":  # `field`, `entry`
                return g.call(g.selector(recv, "add"), *args)
            case "Formatter" if name in ("alternate", "sign_plus"):
                # the flags of the `{}` being formatted (`{:#}`, `{:+}`), as the runtime's
                # formatter keeps them while the impl writes
                return g.selector(recv, "alternate" if name == "alternate" else "plus")
            case "Box" if name in ("as_ref", "as_mut"):
                inner = recv_ty.args[0] if isinstance(recv_ty, t.Adt) and recv_ty.args \
                    else t.ERROR
                if name == "as_mut" and not (self.types.is_struct(inner) or
                                             isinstance(inner, t.Dyn)):
                    raise UnsupportedAt("`as_mut` of this box", e.span)
                return recv  # a boxed struct is a pointer, a boxed `dyn` an interface
            case "Into":
                try:
                    return conversions.convert(self, recv, recv_ty, ret)
                except Unsupported as exc:
                    raise UnsupportedAt(exc.what, e.span) from None
            case "TryInto":
                return conversions.try_from_int(self, recv, recv_ty, ret)
        raise UnsupportedAt(f"the method `{name}`", e.span)

    def _drain(self, e: ast.MethodCall, res: MethodRes, recv_ty: t.Ty) -> g.GoExpr:
        """`v.drain(lo..hi)`: the range is removed at once (Rust removes it when the
        `Drain` is dropped, consumed or not; the vector is borrowed until then) and its
        elements are iterated."""
        rng = _strip(e.args[0]) if e.args else None
        if not isinstance(rng, ast.Range):
            raise UnsupportedAt("`drain` with a range value", e.span)
        bounds = [b for b in (rng.lo, rng.hi) if b is not None]
        values = self.exprs([e.receiver, *bounds])
        recv = self._deref_expr(values[0], self.ty(e.receiver), res.derefs, True)
        lo = values[1] if rng.lo is not None else g.Atom("0", "int")
        hi: g.GoExpr = g.Atom("-1", "int")  # to the end
        if rng.hi is not None:
            hi = values[-1]
            if rng.inclusive:
                hi = g.binary("+", hi, g.Atom("1", "int"))
        self.ctx.site(e.name_span.start, "p" if res.owner == "String" else "i")
        fn = "gustStrDrain" if res.owner == "String" else "gustDrain"  # a `String`'s: chars
        return g.call(fn, self._address(recv, e.receiver, recv_ty), lo, hi)

    def _deque_range(self, e: ast.MethodCall, res: MethodRes, recv_full_ty: t.Ty
                     ) -> g.GoExpr:
        """A `VecDeque`'s (one Go slice's) `range(lo..hi)`, of a range written in the call:
        the iterator of that subslice (Rust's panic out of bounds)."""
        rng = _strip(e.args[0])
        if not isinstance(rng, ast.Range):
            raise UnsupportedAt("`range` of a `VecDeque` with a range not written in the call",
                                e.span)
        recv_ty = self._deref_ty(recv_full_ty, res.derefs)
        recv = self._deref_expr(self.expr(e.receiver), recv_full_ty, res.derefs)
        if not g.is_pure(recv):
            recv = g.ident(self.define_temp(recv, recv_ty, "deque"))
        ends = self.exprs([x for x in (rng.lo, rng.hi) if x is not None])
        lo = self.typed(ends[0], t.USIZE) if rng.lo is not None else g.Atom("0", "int")
        hi = self.typed(ends[-1], t.USIZE) if rng.hi is not None else g.call("len", recv)
        if rng.inclusive:
            hi = g.binary("+", hi, g.Atom("1", "int"))
        self.ctx.site(e.name_span.start, "p")
        elem = recv_ty.args[0] if isinstance(recv_ty, t.Adt) and recv_ty.args else t.ERROR
        return self.vec_method(e, "iter", g.call("gustSlice", recv, lo, hi),
                               t.Adt("Vec", (elem,)), [])

    def vec_method(self, e: ast.MethodCall, name: str, recv: g.GoExpr, recv_ty: t.Ty,
                   args: list[g.GoExpr]) -> g.GoExpr:
        elem = _elem_of(recv_ty) or t.ERROR
        if isinstance(_strip_refs(recv_ty), t.Array) and name not in ("len", "is_empty"):
            if isinstance(recv, (g.Composite, g.Call)):
                # An array literal or call (`b"abc"` is `[3]uint8([]byte("abc"))`): Go
                # cannot slice what is not addressable.
                recv = g.ident(self.define_temp(recv, _strip_refs(recv_ty), "items"))
            recv = g.slice_expr(recv, None, None)  # std's slice functions want `a[:]`
        match name:
            case "len":
                return g.call("len", recv)
            case "is_empty":
                return g.binary("==", g.call("len", recv), g.Atom("0", "int"))
            case "as_mut_slice" if e.name == "make_contiguous":
                return recv  # a `VecDeque`'s Go slice is contiguous already
            case "pop":
                return g.call("gustPop", self._address(recv, e.receiver, recv_ty))
            case "map":  # an array's: a new array of the closure's results
                return g.call(f"gustArrayMap[{self.go(self.ty(e))}]", recv, args[0])
            case "remove" | "swap_remove":
                self.ctx.site(e.name_span.start, "p")
                fn = "gustRemove" if name == "remove" else "gustSwapRemove"
                return g.call(fn, self._address(recv, e.receiver, recv_ty), args[0])
            case "split_off":
                self.ctx.site(e.name_span.start, "p")
                return g.call("gustSplitOff", self._address(recv, e.receiver, recv_ty),
                              args[0])
            case "contains" if self.types.is_comparable(elem) and not (
                    isinstance(elem, t.Adt) and self.types.is_iface_enum(elem.name)):
                self.ctx.imports.add("slices")
                return g.call("slices.Contains", recv, std_calls.deref_arg(self, args[0],
                                                                             e.args[0]))
            case "first" | "last" | "get" | "first_mut" | "last_mut" | "get_mut":
                index: g.GoExpr
                if name.startswith("first"):
                    index = g.Atom("0", "int")
                elif name.startswith("last"):
                    if not g.is_pure(recv):
                        recv = g.ident(self.define_temp(recv, _strip_refs(recv_ty), "items"))
                    index = g.binary("-", g.call("len", recv), g.Atom("1", "int"))
                else:
                    index = args[0]
                if name.endswith("_mut") or self.types.ref_is_ptr(t.Ref(elem, False)):
                    return g.call("gustGetRef", recv, index)  # a pointer to the element
                return g.call("gustGet", recv, index)
            case "iter" | "into_iter" | "iter_mut":
                if name == "iter_mut" or (self.types.ref_is_ptr(t.Ref(elem, False)) and
                                          name == "iter"):
                    return g.call("gustRefs", recv)  # pointers to the elements
                self.ctx.imports.add("slices")
                return g.call("slices.Values", recv)
        return std_calls.vec_method(self, e, recv, elem, args)

    def str_method(self, e: ast.MethodCall, name: str, recv: g.GoExpr,
                   args: list[g.GoExpr]) -> g.GoExpr:
        strings_fn = {"to_uppercase": "strings.ToUpper", "to_lowercase": "strings.ToLower",
                      "trim": "strings.TrimSpace", "contains": "strings.Contains",
                      "starts_with": "strings.HasPrefix", "ends_with": "strings.HasSuffix",
                      "replace": "strings.ReplaceAll", "repeat": "strings.Repeat"}
        match name:
            case "len":
                return g.call("len", recv)
            case "is_empty":
                return g.binary("==", g.call("len", recv), g.Atom("0", "int"))
            case "to_string" | "to_owned" | "as_str":
                return recv
            case "chars":
                return g.call("gustRunes", recv)
            case "split_at":
                self.ctx.site(e.name_span.start, "p")
                return g.call("gustStrSplitAt", recv, args[0])
            case "split_whitespace":
                return g.call("gustFields", recv)
        if name in strings_fn and not any(isinstance(self.ty(a), t.Char) or
                                          self.types.callable(self.ty(a)) is not None or
                                          std_calls.is_char_set(self.ty(a))
                                          for a in e.args):
            self.ctx.imports.add("strings")
            return g.call(strings_fn[name], recv, *args)
        return std_calls.str_method(self, e, recv, args)

    def option_method(self, e: ast.MethodCall, name: str, recv: g.GoExpr, recv_ty: t.Ty,
                      args: list[g.GoExpr]) -> g.GoExpr:
        match name:
            case "is_some":
                return g.selector(recv, "IsSome")
            case "is_none":
                return g.negate(g.selector(recv, "IsSome"))
            case "unwrap":
                self.ctx.site(e.name_span.start, "p")
                return g.call("gustUnwrap", recv)
            case "expect":
                self.ctx.site(e.name_span.start, "p")
                return g.call("gustExpect", recv, *args)
            case "unwrap_or":
                return g.call("gustUnwrapOr", recv, *args)
        return results.option_method(self, e, recv, recv_ty, args)

    def number_method(self, e: ast.MethodCall, name: str, recv: g.GoExpr, ty: t.Ty,
                      args: list[g.GoExpr]) -> g.GoExpr:
        recv = self.typed(recv, ty)
        if ty == t.Int("u8"):
            byte = std_calls.byte_method(self, e, recv, args)
            if byte is not None:
                return byte
        args = [self.typed(a, ty) if name in ("min", "max", "powf") else a for a in args]
        if isinstance(ty, t.Float):
            math_fn = {"sqrt": "math.Sqrt", "floor": "math.Floor", "ceil": "math.Ceil",
                       "round": "math.Round", "abs": "math.Abs", "powf": "math.Pow"}
            if name in math_fn:
                self.ctx.imports.add("math")
                if ty.kind == "f32":
                    return g.conversion("float32", g.call(
                        math_fn[name], *[g.conversion("float64", x) for x in (recv, *args)]))
                return g.call(math_fn[name], recv, *args)
            match name:
                case "powi":
                    return g.call("gustPowi", recv, args[0])
                case "min":
                    return g.call("gustFloatMin", recv, args[0])
                case "max":
                    return g.call("gustFloatMax", recv, args[0])
        else:
            match name:
                case "abs":
                    self.ctx.site_of(e.span, "o")  # `MIN.abs()` overflows
                    return g.call("gustAbs", recv)
                case "pow":
                    self.ctx.site_of(e.span, "o")
                    return g.call("gustPow", recv, args[0])
                case "checked_pow" | "saturating_pow" | "wrapping_pow":
                    return _pow_method(name, recv, args[0], ty)
                case "min" | "max":
                    return g.call(name, recv, args[0])
        return std_calls.number_method(self, e, recv, ty, args)

    def iter_method(self, e: ast.MethodCall, name: str, recv: g.GoExpr, recv_ty: t.Ty,
                    args: list[g.GoExpr], ret: t.Ty, at_rest: bool = False) -> g.GoExpr:
        if name in _BY_REF_CONSUMERS and not at_rest and self._addressable(e.receiver) and \
                isinstance(recv_ty, t.Adt) and recv_ty.name == "Iter" and recv_ty.args and \
                iterators.user_item(self, _deref_all(self.ty(e.receiver))) is None:
            # (A package iterator's Seq steps the iterator itself: `gustSeq(c.next)`.)
            # `it.find(..)` on an iterator variable reads it only up to the item it stops
            # at, as Rust's `&mut self` does: the rest stays in `it` (a Go iter.Seq would
            # start again from the beginning).
            # The arguments first, as Rust evaluates them (and a closure's body is not a
            # function literal nested in the one below: gofmt indents those).
            args = [a if isinstance(a, g.Atom) else g.ident(self.define_temp(a, self.ty(x), "f"))
                    for a, x in zip(args, e.args, strict=False)]
            rest = self.temp("rest")
            value = self.iter_method(e, name, g.ident(rest), recv_ty, args, ret, at_rest=True)
            signature = f"func({rest} iter.Seq[{self.go(recv_ty.args[0])}]) {self.go(ret)}"
            self.ctx.imports.add("iter")
            return g.call("gustConsumeAt", self._address(recv, e.receiver, recv_ty),
                          g.FuncLit(signature, (("\treturn " + g.render(value), self.gl),)))
        simple = {"count": "gustCount", "rev": "gustRev", "enumerate": "gustEnumerate",
                  "skip": "gustSkip", "take": "gustTake", "step_by": "gustStepBy",
                  "sum": "gustSum", "product": "gustProduct", "max": "gustMax",
                  "min": "gustMin"}
        if name in ("next", "next_back"):
            fn = "gustNext" if name == "next" else "gustNextBack"
            return g.call(fn, self._address(recv, e.receiver, recv_ty))
        if name in ("eq", "ne"):
            other_ty = _deref_all(self.ty(e.args[0]))
            if not (isinstance(other_ty, t.Adt) and other_ty.name in (
                    "Iter", "Range", "RangeInclusive")):
                raise UnsupportedAt(f"`{name}` with a collection", e.span)
            same = g.call("gustIterEq", recv, iterators.range_seq(args[0], other_ty))
            return same if name == "eq" else g.negate(same)
        if name == "as_str":
            return g.call("gustCharsAsStr", self._address(recv, e.receiver, recv_ty))
        if name == "peek":
            item = recv_ty.args[0] if isinstance(recv_ty, t.Adt) and recv_ty.args else t.ERROR
            seq = self._address(recv, e.receiver, recv_ty)
            if self.go(t.Ref(item, False)) == "*" + self.go(item):
                return g.call("gustPeekRef", seq)  # `&Struct` is a Go pointer
            if self.go(item) != self.go(t.Ref(item, False)):
                raise UnsupportedAt("`peek` at values that are not references", e.span)
            return g.call("gustPeek", seq)
        if name == "peek_mut":
            item = recv_ty.args[0] if isinstance(recv_ty, t.Adt) and recv_ty.args else t.ERROR
            if self.go(t.Ref(item, True)) != "*" + self.go(item):
                raise UnsupportedAt("`peek_mut` at values that are not pointers", e.span)
            return g.call("gustPeekMut", self._address(recv, e.receiver, recv_ty))
        if name in ("next_if", "next_if_eq"):
            return self._next_if(e, name, recv, recv_ty, args)
        if name in ("sum", "product") and isinstance(recv_ty, t.Adt) and recv_ty.args and \
                isinstance(recv_ty.args[0], t.Ref) and self.types.ref_is_ptr(recv_ty.args[0]) \
                and not (isinstance(ret, t.Adt) and ret.name in self.env.type_names()):
            raise UnsupportedAt(f"`{name}` over references", e.span)
        if name in ("max", "min") and isinstance(recv_ty, t.Adt) and recv_ty.args and \
                not _go_ordered(_deref_all(recv_ty.args[0])) and \
                not durations.is_duration(self, _deref_all(recv_ty.args[0])):
            # Items without Go's `<` (structs, tuples, their references): by `Ord`.
            by = g.Atom(f"gustCmp[{self.go(recv_ty.args[0])}]")
            return g.call("gustMaxBy" if name == "max" else "gustMinBy", recv, by)
        if name in simple and not (name in ("sum", "product") and not t.is_numeric(ret)):
            return g.call(simple[name], recv, *args)
        return iterators.iter_method(self, e, recv, recv_ty, args, ret)

    def _next_if(self, e: ast.MethodCall, name: str, recv: g.GoExpr, recv_ty: t.Ty,
                 args: list[g.GoExpr]) -> g.GoExpr:
        """`it.next_if(|c| ..)`, `it.next_if_eq(&x)`: the next item if it passes, else it
        stays the next (the runtime's gustNextIf* over gustNext and gustPeek's put-back)."""
        item = recv_ty.args[0] if isinstance(recv_ty, t.Adt) and recv_ty.args else t.ERROR
        seq = self._address(recv, e.receiver, recv_ty)
        by_ptr = self.go(t.Ref(item, False)) == "*" + self.go(item)  # `&Struct`: a pointer
        if not by_ptr and self.go(item) != self.go(t.Ref(item, False)):
            raise UnsupportedAt(f"`{name}` of values that are not references", e.span)
        if name == "next_if":
            return g.call("gustNextIfRef" if by_ptr else "gustNextIf", seq, args[0])
        if not self.types.is_comparable(item):
            raise UnsupportedAt("`next_if_eq` of items Go's `==` cannot compare", e.span)
        other = g.unary("*", args[0]) if by_ptr else args[0]
        return g.call(f"gustNextIfEq[{self.go(item)}]", seq, other)  # a variant as its enum

    def _e_Range(self, e: ast.Range) -> g.GoExpr:
        ty = self.ty(e)
        elem = ty.args[0] if isinstance(ty, t.Adt) and ty.args else t.USIZE
        if e.lo is not None and e.hi is None and not e.inclusive:
            # `lo..` as an iterator: counts up until the integer overflows (a panic).
            self.ctx.site(e.span.start, "o")
            return g.call("gustRangeFromValue", self.typed(self.expr(e.lo), elem))
        if e.lo is None or e.hi is None:
            raise UnsupportedAt("open ranges", e.span)
        lo, hi = self.exprs([e.lo, e.hi])
        # a range value (iterators.range_seq makes it gustRange's sequence where iterated)
        return g.call("gustRangeValueOf", self.typed(lo, elem), self.typed(hi, elem),
                      g.Atom("true" if e.inclusive else "false"))

    def clone_expr(self, value: g.GoExpr, ty: t.Ty) -> g.GoExpr:
        return values.clone_expr(self.ctx, value, ty)

    def clone_fn(self, ty: t.Ty) -> g.GoExpr:
        return values.clone_fn(self.ctx, ty)

    def to_string(self, value: g.GoExpr, ty: t.Ty) -> g.GoExpr:
        match ty:
            case t.Str() | t.Adt(name="String"):
                return value
            case t.Char():
                return g.conversion("string", value)
            case t.Bool():
                self.ctx.imports.add("strconv")
                return g.call("strconv.FormatBool", value)
            case t.Int(kind=kind) if kind in wide_ints.GO_TYPES:
                return g.call("gustToString", value)
            case t.Int(kind=kind):
                self.ctx.imports.add("strconv")
                if kind in ("u64",):
                    return g.call("strconv.FormatUint", value, g.Atom("10", "int"))
                v = value if self.go(ty) == "int" else g.conversion("int", value)
                return g.call("strconv.Itoa", v)
        return g.call("gustToString", self.format_arg(value, ty))

    # ------------------------------------------------------------ fields, indexing, operators

    def _e_Field(self, e: ast.Field) -> g.GoExpr:
        res = self.br.fields.get(e)
        base = self.expr(e.base)
        if res is None:
            raise UnsupportedAt("this field", e.span)
        base = self._field_base(base, self.ty(e.base), res, self.place_for_write(e))
        if res.owner.startswith("go:"):
            go_base = base
            return self._go_interop(lambda: golang.field(self, e, res, go_base), e.span)
        if res.owner == RANGE_OWNER:
            return g.selector(base, e.name)  # the runtime's gustRangeValue
        return self._erased_field(e, res, g.selector(base, self.types.pkg.field(res.owner,
                                                                                 e.name)))

    def _e_TupleField(self, e: ast.TupleField) -> g.GoExpr:
        res = self.br.fields.get(e)
        base = self.expr(e.base)
        if res is None:
            raise UnsupportedAt("this field", e.span)
        base = self._field_base(base, self.ty(e.base), res, self.place_for_write(e))
        return self._erased_field(e, res, g.selector(base, names.tuple_field(e.index)))

    def _erased_field(self, e: ast.Field | ast.TupleField, res: FieldRes, field: g.GoExpr
                      ) -> g.GoExpr:
        """A field Go holds as an `iter.Seq` where the checker has a package iterator
        (generics.erased_field: `p.it` of a `Peek<Countdown>`) is read as that iterator,
        which the runtime keeps with the Seq (`iterators.source_of`). Not a `Peekable<I>`'s:
        the Seq may hold an item it peeked, which the iterator has given already."""
        return self._erased_source(res.owner, res.index, _deref_all(self.ty(e.base)), field,
                                   e.span, copy=not self.place_for_write(e))

    def _erased_source(self, owner: str, index: int, instance: t.Ty, field: g.GoExpr,
                       span: Span, copy: bool = False) -> g.GoExpr:
        """`field` (the field `index` of the struct `owner`, of type `instance`), or the
        package iterator Go holds there as an `iter.Seq` (`_erased_field`); `copy`: a
        copy of the value may stand for the field (it is only read)."""
        info = self.env.structs.get(owner)
        if info is None or not self.types.adt_seqs(owner) or \
                not 0 <= index < len(info.fields):
            return field
        fty = info.fields[index].ty
        if not (isinstance(instance, t.Adt) and instance.name == owner and
                generics.erased_field(self.types, owner, fty, instance)):
            return field
        shown = t.spell(instance, hidden={k: len(h) for k, h in self.env.adt_hidden.items()})
        written = info.decl.fields[index].ty if index < len(info.decl.fields) else None
        held = generics.field_type(self.env, owner, fty, instance)
        peekable = isinstance(written, ast.TypePath) and written.path.last.name == "Peekable"
        if peekable or not (isinstance(fty, t.Param) or (
                copy and isinstance(held, t.Adt) and held.name == "Option" and held.args)):
            raise UnsupportedAt(f"this field of `{shown}` (Go holds the iterator as an "
                                "`iter.Seq` of its items)", span)
        if isinstance(fty, t.Param):
            return iterators.source_of(self, field, held)
        # `f.iter.is_none()` of an `iter: Option<I>`: a copy of the iterators, to read.
        assert isinstance(held, t.Adt)
        item = iterators.user_item(self, held.args[0])
        assert item is not None  # (`erased_field`: a package iterator)
        x = self.temp("seq")
        return self._held_copy(held, g.call("gustOptionMap", field, g.FuncLit(
            f"func({x} {self.go(t.Adt('Iter', (item,)))})"
            f" {self.go(held.args[0])}",
            (("\treturn " + g.render(iterators.source_of(self, g.ident(x), held.args[0])),
              self.gl),))))

    def _held_copy(self, ty: t.Ty, value: g.GoExpr) -> g.GoExpr:
        """`value` in a temporary (a method taking `&self` may take its address)."""
        return g.ident(self.define_temp(value, ty, "held"))

    def _field_base(self, base: g.GoExpr, ty: t.Ty, res: FieldRes, write: bool = False
                    ) -> g.GoExpr:
        # Go dereferences one pointer for a selector; pointers to pointers need explicit `*`.
        pointers = 0
        for _ in range(res.derefs):
            if isinstance(ty, t.Ref):
                if self.types.ref_is_ptr(ty):
                    pointers += 1
                ty = ty.inner
            elif isinstance(ty, t.Adt) and ty.args and (
                    ty.name in concurrency.DEREF_POINTER or
                    (ty.name == "Box" and self.types.is_struct(ty.args[0]))):
                pointers += 1  # a boxed struct and a guard are Go pointers too
                ty = ty.args[0]
            elif isinstance(ty, t.Adt) and ty.args and ty.name in concurrency.DEREF_SAME:
                if rc_counts.is_rc(self.types, ty):  # a counted `Rc`: `r.value`
                    for _ in range(max(0, pointers - 1)):
                        base = g.unary("*", base)
                    base, pointers = g.selector(base, "value"), 0
                ty = ty.args[0]
            elif (user := traits.user_deref(self.types, base, ty)) is None:
                break
            elif write and traits.user_deref_mut(self.types, base, ty) is not None:
                # `t.x = ..` through `impl DerefMut for T`: on `t.deref_mut()`'s pointer.
                for _ in range(max(0, pointers - 1)):
                    base = g.unary("*", base)
                base, ty = self.deref_mut_place(base, ty)  # type: ignore[misc]
                pointers = 1
                if not self.types.is_struct(ty):
                    base, pointers = g.unary("*", base), 0
            else:
                # `t.x` through `impl Deref for T`: on `t.deref()` (Go dereferences a
                # pointer receiver itself).
                for _ in range(max(0, pointers - 1)):
                    base = g.unary("*", base)
                base = traits.user_deref(self.types, base, ty)[0]  # type: ignore[index]
                ty, pointers = user[1], int(user[2])
        for _ in range(max(0, pointers - 1)):
            base = g.unary("*", base)
        return base

    def _e_Index(self, e: ast.Index) -> g.GoExpr:
        base_ty = self.ty(e.base)
        idx: g.GoExpr = _UNIT
        if isinstance(_strip(e.index), ast.Range):  # `v[1..]`, `v[..n]`: slice_of
            base = self.expr(e.base)
        else:
            base, idx = self.exprs([e.base, e.index])
        inner = base_ty
        while True:
            if isinstance(inner, t.Adt) and concurrency.is_deref_type(inner):
                base, inner = concurrency.deref(self.types, base, inner)
            elif isinstance(inner, t.Ref):
                if self.types.ref_is_ptr(inner):
                    base = g.unary("*", base)
                inner = inner.inner
            elif isinstance(inner, t.Adt) and \
                    sema_traits.impl_for(inner, "Index", self.env) is None and \
                    (user := traits.user_deref(self.types, base, inner)) is not None:
                mutable = self.deref_mut_place(base, inner) if self.index_for_write(e) \
                    else None
                if mutable is not None:  # `w[i] = ..`: `(*w.deref_mut())[i]`
                    base, inner = mutable[0], t.Ref(mutable[1], True)
                else:
                    base, inner = user[0], t.Ref(user[1], False)  # `w[i]`: `w.deref()[i]`
            else:
                break
        index_ty = self.ty(e.index)
        if isinstance(inner, t.Adt) and (inner.name in self.env.structs or
                                         inner.name in self.env.enums):
            return self.user_index(base, idx, self.ty(e), self.index_for_write(e),
                                   (inner, index_ty))
        if isinstance(index_ty, t.Adt) and index_ty.name in ("Range", "RangeInclusive"):
            if isinstance(inner, t.Array):
                base = values.array_as_slice(base)
            return self.slice_of(base, _strip(e.index), e)
        if isinstance(inner, t.Adt) and inner.name in ("Vec", "HashMap", "BTreeMap"):
            self.ctx.site(e.base.span.end, "i")  # rustc's location: the `[`
        else:
            self.ctx.site_of(e.span, "i")
        if _is_map(inner):
            idx = std_calls.coded(self, idx, inner)  # a `Vec` key's encoding
            return g.call("gustMapIndex", base, idx)  # a missing key panics, as in Rust
        return g.index(base, idx)

    def user_index(self, base: g.GoExpr, idx: g.GoExpr, output: t.Ty, write: bool,
                   types: tuple[t.Ty, t.Ty]) -> g.GoExpr:
        """`grid[k]` on a type of the package: `*grid.index_mut(k)` where the place is
        written or borrowed mutably (`&mut Output` is a Go pointer), else its `Index`
        impl's `grid.index(k)` (a pointer to dereference where `&Output` is one). `types`
        are the indexed type's and the index's, which pick the impl."""
        if write:
            method = traits.operator_method(self.types, "IndexMut", "index_mut", *types)
            return g.unary("*", g.call(g.selector(base, method), idx))
        value = g.call(g.selector(base, traits.operator_method(self.types, "Index", "index",
                                                               *types)), idx)
        return g.unary("*", value) if self.types.ref_is_ptr(t.Ref(output, False)) else value

    def index_for_write(self, e: ast.Index) -> bool:
        """Whether the place `e` is assigned to, borrowed mutably or the receiver of a
        `&mut self` method, itself or through fields (Rust's `IndexMut` contexts)."""
        if self._mut_indexes is None:
            self._collect_written()
        assert self._mut_indexes is not None
        return e in self._mut_indexes

    def _collect_written(self) -> None:
        """The indexes and the other places (`index_for_write`, `place_for_write`) that are
        assigned to, borrowed mutably or the receiver of a `&mut self` method."""
        written: list[ast.Expr] = []
        for a in self.nodes.of_type(ast.Assign) + self.nodes.of_type(ast.CompoundAssign):
            written.append(a.target)
        written += [b.operand for b in self.nodes.of_type(ast.Borrow) if b.mutable]
        written += [m.receiver for m in self.nodes.of_type(ast.MethodCall)
                    if (res := self.br.methods.get(m)) is not None and
                    res.autoref == "&mut"]
        found: set[ast.Index] = set()
        places: set[ast.Expr] = set()
        for place in written:
            place = _strip(place)
            through_deref = False  # (an index under `*` is `index_for_write`'s only as before)
            while isinstance(place, (ast.Field, ast.TupleField, ast.Index, ast.Unary)):
                if isinstance(place, ast.Unary):
                    if place.op != "*":
                        break
                    places.add(place)
                    place, through_deref = _strip(place.operand), True
                    continue
                if isinstance(place, ast.Index) and not through_deref:
                    found.add(place)
                places.add(place)
                place = _strip(place.base)
        self._mut_indexes = found
        self._mut_places = places

    def place_for_write(self, e: ast.Expr) -> bool:
        """Whether the place `e` (a field, `*w`, an index) is written as `index_for_write`
        says: reached through a package type's `impl Deref`, it is `deref_mut()`'s."""
        if self._mut_places is None:
            self._collect_written()
        assert self._mut_places is not None
        return e in self._mut_places

    def deref_mut_place(self, value: g.GoExpr, ty: t.Ty) -> tuple[g.GoExpr, t.Ty] | None:
        """`w.deref_mut()` of a package type's `impl DerefMut`, held in a temporary (it is
        called once, where Rust calls it): the pointer to the `Target`, and the `Target`.
        None for other types."""
        user = traits.user_deref_mut(self.types, value, ty)
        if user is None:
            return None
        call, target = user
        return g.ident(self.define_temp(call, t.Ref(target, True), "target")), target

    def slice_of(self, base: g.GoExpr, rng: ast.Expr, e: ast.Index) -> g.GoExpr:
        text = isinstance(_strip_refs(self.ty(e.base)), t.Str | t.Adt) and \
            _strip_refs(self.ty(e.base)) in (t.STR, t.Adt("String"))
        if not isinstance(rng, ast.Range):  # a range value: its bounds
            value = self.expr(rng)
            self.ctx.site(e.base.span.end, "i")
            return g.call("gustStrSliceRange" if text else "gustSliceRange", base, value)
        self.ctx.site(e.base.span.end, "i")
        lo = self.expr(rng.lo) if rng.lo is not None else g.Atom("0", "int")
        if rng.hi is None:
            hi: g.GoExpr = g.call("len", base)
        else:
            hi = self.expr(rng.hi)
            if rng.inclusive:
                hi = g.binary("+", hi, g.Atom("1", "int"))
        if text:
            return g.call("gustStrSlice", base, lo, hi)
        return g.call("gustSlice", base, lo, hi)

    def _e_Unary(self, e: ast.Unary) -> g.GoExpr:
        if e.op == "*":
            value = self.expr(e.operand)
            ty = self.ty(e.operand)
            if isinstance(ty, t.Ref) and self.types.ref_is_ptr(ty):
                return g.unary("*", value)
            if isinstance(ty, t.Adt) and (concurrency.is_deref_type(ty) or ty.name == "Box"):
                return concurrency.deref(self.types, value, ty)[0]
            if self.place_for_write(e) and \
                    (mutable := self.deref_mut_place(value, ty)) is not None:
                return g.unary("*", mutable[0])  # `*w = ..`: `*w.deref_mut()`, called once
            user = traits.user_deref(self.types, value, ty)
            if user is not None:  # `*w` of a package type's `impl Deref`
                return g.unary("*", user[0]) if user[2] else user[0]
            return value
        operand = _strip(e.operand)
        if e.op == "-" and isinstance(operand, ast.Literal) and operand.kind == "float" and \
                operand.value == 0:
            self.ctx.imports.add("math")
            return self.typed_call_f32(g.call("math.Copysign", g.Atom("0", "int"),
                                              g.Atom("-1", "int")), self.ty(e))
        neg_ty = self.ty(e)
        if e.op == "-" and isinstance(operand, ast.Literal) and operand.kind == "int" and \
                isinstance(neg_ty, t.Int) and wide_ints.is_wide(neg_ty) and \
                isinstance(operand.value, int):
            return wide_ints.constant(-operand.value, neg_ty)  # `-5i128`
        if e.op == "-" and isinstance(operand, ast.Literal) and operand.kind == "int" and \
                operand.suffix is not None and isinstance(neg_ty, t.Int) and neg_ty.signed and \
                operand.value == 1 << (neg_ty.bits - 1):
            # `-128i8` (MIN): the negative constant typed, not `-int8(128)`, which overflows
            # in Go (rustc accepts the literal as one negative value).
            return self.typed(g.unary("-", self.literal(operand)), neg_ty)
        value = self.expr(e.operand)
        overloaded = traits.unary_operator(self, e.op, value, self.ty(e.operand))
        if overloaded is not None:
            return overloaded
        ty = _deref_all(self.ty(e))
        if isinstance(ty, t.Int) and wide_ints.is_wide(ty) and e.op in ("-", "!"):
            value = self._deref_scalar(value, self.ty(e.operand))
            return wide_ints.negate(self, value, ty, e.span) if e.op == "-" else \
                wide_ints.bit_not(self, value, ty)
        if e.op == "-" and isinstance(ty, t.Int) and ty.signed and not g.is_untyped(value):
            # `-i32::MIN` panics in Rust ("attempt to negate with overflow").
            self.ctx.site_of(e.span, "o")
            return g.call("gustNeg", value)
        if e.op == "!" and not isinstance(ty, t.Bool):
            return g.unary("^", value)
        if e.op == "!":
            return g.negate(value)
        return g.unary(e.op, value)

    def primitive_const(self, name: str, ty: t.Ty) -> g.GoExpr:
        """`i32::MAX` as `int32(math.MaxInt32)`: Go's constants are untyped, so the value
        is converted to the Gust type (as Rust's constant has it)."""
        kind, *module, item = name.split("::")
        if kind in wide_ints.GO_TYPES and item in ("MAX", "MIN") and isinstance(ty, t.Int):
            bits = 128 if kind == "u128" else 127
            limit = (1 << bits) - 1 if item == "MAX" else 0 if kind == "u128" else -(1 << 127)
            return wide_ints.constant(limit, ty)
        spelled = builtins.float_module_const(item) if module else \
            builtins.primitive_const(kind, item)  # `f64::consts::PI`, `f64::EPSILON`
        assert spelled is not None
        if "math." in spelled:
            self.ctx.imports.add("math")
        if spelled.startswith("-"):
            value: g.GoExpr = g.unary("-", g.Atom(spelled[1:]))
        else:
            value = g.Atom(spelled)
        return g.conversion(self.types.go(ty), value)

    def typed_call_f32(self, value: g.GoExpr, ty: t.Ty) -> g.GoExpr:
        if isinstance(ty, t.Float) and ty.kind == "f32":
            return g.conversion("float32", value)
        return value

    def _e_Borrow(self, e: ast.Borrow) -> g.GoExpr:
        ty = self.ty(e)
        operand = _strip(e.operand)
        if isinstance(operand, ast.Unary) and operand.op == "*":
            inner_ty = self.ty(operand.operand)
            value = self.expr(operand.operand)
            user = traits.user_deref(self.types, value, inner_ty)
            if user is not None:  # `&*w`: `w.deref()`, a `&Target`
                return self.adapt(user[0], t.Ref(user[1], False), ty)
            if isinstance(inner_ty, t.Adt) and inner_ty.name == "Box" and \
                    self.go(ty) == "*" + self.go(inner_ty):
                # `&mut *b` of a box Go holds as its value (a `Box<dyn Iterator>` is an
                # iter.Seq): the box's address.
                return self._address(value, operand.operand, inner_ty)
            return self.adapt(value, inner_ty, ty)
        if isinstance(operand, ast.Index) and isinstance(self.ty(operand.index), t.Adt) and \
                self.ty(operand.index).name in ("Range", "RangeInclusive"):  # type: ignore[union-attr]
            return self.expr(operand)
        value = self.expr(e.operand)
        if not self.types.ref_is_ptr(ty):
            return value
        if isinstance(value, g.Composite):
            inner = self.ty(e.operand)
            if isinstance(inner, t.Adt) and self.types.is_iface_enum(inner.name):
                # `&mut Enum::Variant(..)`: a pointer to the enum's interface, not to
                # the variant's struct.
                return g.unary("&", g.ident(self.define_temp(value, inner)))
            return g.unary("&", value)
        return self._address(value, e.operand, self.ty(e.operand))

    def _e_Binary(self, e: ast.Binary) -> g.GoExpr:
        op = e.op
        if op in ("&&", "||"):
            return self.logical(e)
        if op in usize_max.ARITHMETIC and usize_max.mentioned(self.br, e):
            special = self._usize_max_arithmetic(e)
            if special is not None:
                return special
        lhs, rhs = self.exprs([e.lhs, e.rhs])
        return self.binary_values(op, lhs, rhs, self.ty(e.lhs), self.ty(e.rhs), e)

    def binary_values(self, op: str, lhs: g.GoExpr, rhs: g.GoExpr, lty: t.Ty, rty: t.Ty,
                      e: ast.Expr) -> g.GoExpr:
        """`lhs op rhs` for operands already evaluated (of types `lty`, `rty`)."""
        wide = _deref_all(lty)
        if isinstance(wide, t.Int) and wide_ints.is_wide(wide):
            done = wide_ints.binary(self, op, self._deref_scalar(lhs, lty),
                                    self._deref_scalar(rhs, rty), wide, _deref_all(rty),
                                    e.span)
            if done is None:
                raise UnsupportedAt(f"`{op}` on `{wide}`", e.span)
            return done
        if op in ("==", "!="):
            return self.equality(op, lhs, rhs, lty, rty, e)
        if comparisons.applies(self, op, _deref_all(lty)):
            return comparisons.emit(self, op, self._deref_scalar(lhs, lty),
                                    self._deref_scalar(rhs, rty), _deref_all(lty))
        timed = durations.binary(self, op, lhs, rhs, lty, rty, e.span)
        if timed is not None:
            return timed
        overloaded = traits.operator(self, op, lhs, rhs, lty, rty, e.span)
        if overloaded is not None:
            return overloaded
        base = _deref_all(lty)
        lhs = self._deref_scalar(lhs, lty)
        rhs = self._deref_scalar(rhs, rty)
        if op in ("&", "|", "^") and isinstance(base, t.Bool):
            if op == "^":
                return g.binary("!=", lhs, rhs)
            if not g.is_pure(rhs):
                raise UnsupportedAt("a non-short-circuit boolean operator", e.span)
            return g.binary("&&" if op == "&" else "||", lhs, rhs)
        if (op in _CHECKED_OPS or op in arith.OPS) and isinstance(base, t.Int) and not (
                g.is_untyped(lhs) and g.is_untyped(rhs)):
            return self.checked_arith(op, lhs, rhs, base, e.span)
        if scalar_ops.applies(op, base):
            return scalar_ops.binary(self.ctx, op, lhs, rhs, base)
        ku, kr = g.is_untyped(lhs), g.is_untyped(rhs)
        if ku is not None and kr is not None and op not in _CMP_OPS and (
                "float" in (ku, kr)):
            lhs = self.typed(lhs, base, force=True)
        if op in ("<<", ">>") and g.is_untyped(rhs):
            rhs = rhs
        return g.binary(op, lhs, rhs)

    def checked_arith(self, op: str, lhs: g.GoExpr, rhs: g.GoExpr, ty: t.Int, span: Span
                      ) -> g.GoExpr:
        """`a + b`, `a - b`, `a * b` on integers, which panic on overflow as a Rust debug
        build does ("attempt to add with overflow"): Go's own operators wrap around."""
        if op in arith.OPS:  # `/`, `%`, `<<`, `>>`: see gust.codegen.arith
            return arith.checked(self.ctx, op, lhs, rhs, ty, self.go(ty), span)
        self.ctx.site_of(span, "o")
        return g.call(_checked_fn(op, ty), lhs, rhs)

    def _deref_scalar(self, value: g.GoExpr, ty: t.Ty) -> g.GoExpr:
        while isinstance(ty, t.Ref):
            if self.types.ref_is_ptr(ty):
                value = g.unary("*", value)
            ty = ty.inner
        return value

    def logical(self, e: ast.Binary) -> g.GoExpr:
        lhs = self.expr(e.lhs)
        mark = len(self.cur)
        with self.block() as rhs_stmts:
            rhs = self.expr(e.rhs)
        del mark
        if not rhs_stmts:
            return _logical_chain(e.op, lhs, rhs)
        name = self.temp("cond")
        self.line(f"{name} := {g.render(lhs)}")
        rhs_stmts.append(s.Line(f"{name} = {g.render(rhs)}", self.gl))
        test = g.ident(name) if e.op == "&&" else g.negate(g.ident(name))
        self.cur.append(s.If(g.render(test, header=True), rhs_stmts, None, self.gl))
        return g.ident(name)

    def equality(self, op: str, lhs: g.GoExpr, rhs: g.GoExpr, lty: t.Ty, rty: t.Ty,
                 e: ast.Expr) -> g.GoExpr:
        result = self.eq_expr(lhs, rhs, lty, rty, e)
        return result if op == "==" else g.negate(result)

    def eq_expr(self, lhs: g.GoExpr, rhs: g.GoExpr, lty: t.Ty, rty: t.Ty,
                e: ast.Expr) -> g.GoExpr:
        lhs = self._deref_scalar(lhs, lty)
        rhs = self._deref_scalar(rhs, rty)
        base = _deref_all(lty)
        other = _deref_all(rty)
        if isinstance(base, t.Array) != isinstance(other, t.Array):
            # `v == [1, 2]`, `s == arr` (std's impls between `Vec`, arrays and slices):
            # compared as slices.
            try:
                if isinstance(base, t.Array):
                    lhs, base = values.sliced_array(lhs), t.Slice(base.elem)
                if isinstance(other, t.Array):
                    rhs = values.sliced_array(rhs)
            except Unsupported as exc:
                raise UnsupportedAt(exc.what, e.span) from None
        if g.is_untyped(lhs) and g.is_untyped(rhs):
            lhs = self.typed(lhs, base)
        try:
            return values.eq_expr(self.ctx, lhs, rhs, base)
        except Unsupported as exc:
            raise UnsupportedAt(exc.what, e.span) from None

    def _usize_max_arithmetic(self, e: ast.Binary) -> g.GoExpr | None:
        """Arithmetic on `usize::MAX` itself (gust.codegen.usize_max): worked out here when
        the other operand is a constant, `gustUsizeMaxMinus(n)` for `usize::MAX - n`, None
        for the operators whose `int` result is Rust's; the others are reported."""
        value = usize_max.fold(self.br, self._const_int, e)
        if value is not None:
            encoded = usize_max.encode(value)
            if encoded is None:
                raise UnsupportedAt(f"a `usize` of {value} (Go's `int` holds the `usize`s "
                                    "below 2^63 - 2^33 and two windows near 2^63 and "
                                    "`usize::MAX`)", e.span)
            return encoded
        left = usize_max.is_usize_max(self.br, e.lhs)
        if left and e.op == "-":
            return g.call("gustUsizeMaxMinus", self.expr(e.rhs))
        if left or usize_max.is_usize_max(self.br, e.rhs):
            if e.op in (usize_max.RUNTIME_LEFT if left else usize_max.RUNTIME_RIGHT):
                return None
        elif e.op in ("+", "-"):
            return None  # `usize::MAX - 1 - n`: a small step inside a window keeps its order
        raise UnsupportedAt(f"`{e.op}` on `usize::MAX` and a value known only at run time (a "
                            "`usize` is a Go `int`, which cannot hold Rust's result)", e.span)

    def _e_Cast(self, e: ast.Cast) -> g.GoExpr:
        target = self.ty(e)
        source = self.ty(e.expr)
        inner = _strip(e.expr)
        const = self._const_int(inner)
        if wide_ints.is_wide(target) or wide_ints.is_wide(source):
            return self._wide_cast(e, source, target, const)
        folded = usize_max.fold(self.br, self._const_int, inner) \
            if isinstance(source, t.Int) and source.kind == "usize" else None
        if folded is not None and const is None and not (
                isinstance(target, t.Int) and target.kind in ("usize", "isize")):
            # `usize::MAX as u64`, `(usize::MAX - 1) as u64`: worked out here (Go's `int`
            # cannot hold the value).
            if not isinstance(target, t.Int):
                raise UnsupportedAt("this cast of `usize::MAX`", e.span)
            const = folded
        if isinstance(target, t.Int) and const is not None and isinstance(source, t.Int):
            return self.typed(g.Atom(str(_wrap(const, target)), "int"), target)
        if isinstance(target, t.Int) and isinstance(source, t.Adt) and \
                source.name in self.env.enums:
            return self._enum_cast(e, source, target)
        if isinstance(target, t.Int) and const is not None and isinstance(source, t.Float):
            return self.typed(g.Atom(str(_saturate(const, target)), "int"), target)
        value = self.expr(e.expr)
        if isinstance(target, t.Ref) or (isinstance(target, t.Adt) and target.name == "Box"):
            # `&x as &dyn Trait`, `b as Box<dyn Trait>`: the unsizing coercion.
            return self.adapt(self.typed(value, source), source, target)
        if g.is_untyped(value):
            if isinstance(target, t.Float) and isinstance(source, (t.Float, t.Int)):
                return g.conversion(self.go(target), value)
            value = self.typed(value, source)
        src_go = self.go(source)
        dst_go = self.go(target)
        if isinstance(source, t.Float) and isinstance(target, t.Int):
            return g.call(f"gustFloatToInt[{dst_go}]", value)
        if isinstance(source, t.Bool) and isinstance(target, t.Int):
            return g.call(f"gustBoolToInt[{dst_go}]", value)
        if src_go == dst_go:
            return value
        if isinstance(source, t.Int) and isinstance(target, t.Int) and \
                _go_constant(g.render(value)):
            # Go folds `uint32(int16(10) ^ -3)` at compile time and rejects a value that
            # does not fit, where Rust wraps (`as` never fails): convert a variable.
            value = g.ident(self.define_temp(value, source, "bits"))
        return g.conversion(dst_go, value)

    def _wide_cast(self, e: ast.Cast, source: t.Ty, target: t.Ty, const: int | None
                   ) -> g.GoExpr:
        """A cast from or to `u128`/`i128` (gust.codegen.wide_ints)."""
        if isinstance(target, t.Int) and isinstance(source, t.Int) and const is not None:
            if wide_ints.is_wide(target):
                return wide_ints.constant(const, target)
            return self.typed(g.Atom(str(_wrap(const, target)), "int"), target)
        value = self.expr(e.expr)
        if g.is_untyped(value):
            value = self.typed(value, source)
        narrow = isinstance(value, g.Call) and g.render(value.fun) == "gustU128Of" and \
            isinstance(target, t.Int) and not wide_ints.is_wide(target)
        if narrow:  # `d.as_millis() as u64`: the Duration's own `uint64`
            assert isinstance(value, g.Call) and isinstance(target, t.Int)
            arg = value.args[0]
            return arg if self.go(target) == "uint64" else g.conversion(self.go(target), arg)
        out = wide_ints.cast(self, value, source, target)
        if out is None:
            raise UnsupportedAt(f"a cast from `{source}` to `{target}`", e.span)
        return out

    def _enum_cast(self, e: ast.Cast, source: t.Adt, target: t.Int) -> g.GoExpr:
        """`Level::High as i32`: the variant's Go constant is its discriminant, converted;
        a constant that does not fit (`Sign::Minus as u8`, -1) is Rust's wrapped value (Go
        rejects the constant conversion)."""
        inner = _strip(e.expr)
        res = self.br.paths.get(inner) if isinstance(inner, ast.PathExpr) else None
        if isinstance(res, VariantRes):
            variant = self.env.enums[source.name].variant(res.variant)
            assert variant is not None
            value = variant.discriminant
            if _wrap(value, target) != value:
                return self.typed(g.Atom(str(_wrap(value, target)), "int"), target)
        return g.conversion(self.go(target), self.expr(e.expr))

    def _const_int(self, e: ast.Expr) -> int | None:
        """The value of an integer (or float, truncated) literal, possibly negated."""
        neg = False
        while isinstance(e, ast.Unary) and e.op == "-":
            neg = not neg
            e = _strip(e.operand)
        if isinstance(e, ast.Literal) and e.kind in ("int", "float"):
            v = e.value
            assert isinstance(v, (int, float))
            if isinstance(v, float):
                if v != v:
                    return 0
                if v in (float("inf"), float("-inf")):
                    return None
                v = int(v)
            return -v if neg else v
        return None

    def assign(self, e: ast.Assign | ast.CompoundAssign) -> None:
        if isinstance(e, ast.Assign):
            target_ty = self.ty(e.target)
            if _is_block_like(_strip(e.value)) and self._simple_place(e.target):
                target = self.expr(e.target)
                self.into(e.value, Assign(target, target_ty))
                return
            value = self.expr(e.value)
            target = self.expr(e.target)
            seq = iterators.seq_of_source(target)
            if seq is not None:
                # `p.it = Countdown(2)`: a new Seq in the field (the old one may have ended).
                kept = iterators.user_seq(self, value, self.ty(e.value), kept=True)
                assert kept is not None
                self.line(f"{g.render(seq)} = {g.render(kept)}")
                return
            value = self.adapt(value, self.ty(e.value), target_ty)
            if rc_counts.owns(self.types, target_ty):
                # Rust drops the old value once the new one is computed; a place behind a
                # call (`*c.borrow_mut()`) is named through a pointer, borrowed once.
                if isinstance(target, g.Unary) and target.op == "*" and \
                        not g.is_pure(target.x):
                    target = g.unary("*", self.stable(target.x, t.Ref(target_ty, True), "slot"))
                value = self.stable(value, target_ty, "value")
                held = g.render(target)
                held = f"({held})" if held.startswith("*") else held
                for text in rc_counts.drop_lines(self, held, target_ty):
                    self.line(text)
            self.line(f"{g.render(target)} = {g.render(value)}")
            return
        target_ty = self.ty(e.target)
        value = self.expr(e.value)
        base = _deref_all(target_ty)
        if isinstance(base, t.Adt) and (base.name in self.env.structs or
                                        base.name in self.env.enums) and \
                e.op in traits.OPERATOR_METHODS:
            # `a += b` with an `impl AddAssign for A`: its `&mut self` method (that of the
            # impl for `b`'s type, `add_assignF64`, when there are several).
            method = traits.OPERATOR_METHODS[e.op] + "_assign"
            go_name = traits.operator_method(self.types, method.title().replace("_", ""),
                                             method, base, self.ty(e.value))
            self.line(g.render(g.call(g.selector(self.expr(e.target), go_name), value)))
            return
        slot = self._map_slot(e.target)
        target = self.expr(e.target) if slot is None else slot
        value = self._deref_scalar(value, self.ty(e.value))
        base = _deref_all(target_ty)
        if isinstance(base, t.Param) and e.op in traits.OPERATOR_METHODS:
            # `s += x` with `T: AddAssign`: Go has no `+=` on a type parameter.
            self._param_assign(e, target, value, base)
            return
        if durations.is_duration(self, base) or durations.is_instant(self, base):
            # `d += step`, `d *= 2`, `t -= step`: the runtime's checked operation on the place
            if not g.is_pure(target):
                pointer = self.temp("p")
                self.line(f"{pointer} := &{g.render(target)}")
                target = g.unary("*", g.ident(pointer))
            timed = durations.binary(self, e.op, target, value, base, self.ty(e.value), e.span)
            if timed is None:
                raise UnsupportedAt(f"`{e.op}=` on a `Duration`", e.span)
            self.line(f"{g.render(target)} = {g.render(timed)}")
            return
        if isinstance(base, t.Int) and wide_ints.is_wide(base):
            if not g.is_pure(target):
                pointer = self.temp("p")
                self.line(f"{pointer} := &{g.render(target)}")
                target = g.unary("*", g.ident(pointer))
            done = wide_ints.binary(self, e.op, target, value, base,
                                    _deref_all(self.ty(e.value)), e.span)
            if done is None:
                raise UnsupportedAt(f"`{e.op}=` on `{base}`", e.span)
            self.line(f"{g.render(target)} = {g.render(done)}")
            return
        if slot is not None and map_updates.applies(e.op, base):
            assert isinstance(base, t.Int)
            self.ctx.site_of(e.span, "o")
            map_updates.update(self, slot, e.op, value, base)
            return
        if isinstance(base, t.Bool) and e.op in ("&", "|"):
            op = "&&" if e.op == "&" else "||"
            self.line(f"{g.render(target)} = {g.render(g.binary(op, target, value))}")
            return
        if (e.op in _CHECKED_OPS or e.op in arith.OPS) and isinstance(base, t.Int):
            if not g.is_pure(target):
                # Evaluate the place once: `p := &v[next()]; *p = gustAdd(*p, 1)`.
                pointer = self.temp("p")
                self.line(f"{pointer} := &{g.render(target)}")
                target = g.unary("*", g.ident(pointer))
            checked = self.checked_arith(e.op, target, value, base, e.span)
            if isinstance(checked, g.Binary) and checked.op == e.op:  # cannot panic
                self.line(f"{g.render(target)} {e.op}= {g.render(value)}")
                return
            self.line(f"{g.render(target)} = {g.render(checked)}")
            return
        if scalar_ops.applies(e.op, base):
            rem = scalar_ops.binary(self.ctx, e.op, target, value, base)
            self.line(f"{g.render(target)} = {g.render(rem)}")
            return
        if e.op == "+" and isinstance(base, t.Adt) and base.name == "String" and \
                (buf := string_builders.buffer(self, e.target)) is not None:
            string_builders.push_str(self, buf, value)
            return
        if e.op == "+" and isinstance(base, t.Adt) and base.name == "String":
            self.line(string_push.push_str(target, value,
                                           slot is None and self._is_element(e.target)))
            return
        self.line(f"{g.render(target)} {e.op}= {g.render(value)}")

    def _param_assign(self, e: ast.CompoundAssign, target: g.GoExpr, value: g.GoExpr,
                      base: t.Param) -> None:
        """`s op= x` on a type parameter: the runtime's `gustOp`, which applies Rust's
        operator to a number and the `add_assign` method to a package type (the bound's
        right-hand type is the parameter; `traits.check_bound_args` reports the type arguments
        whose Go type has no such method)."""
        trait = op_trait(e.op) + "Assign"
        if not traits.same_rhs_bound(fn_assumptions(self.env, self.fn), base, trait):
            raise UnsupportedAt(f"`{e.op}=` on `{base}` with another right-hand type", e.span)
        self.ctx.site_of(e.span, "o")
        if e.op in arith.OPS:
            self.ctx.site_of(e.span, "d")
        if not g.is_pure(target):
            pointer = self.temp("p")
            self.line(f"{pointer} := &{g.render(target)}")
            target = g.unary("*", g.ident(pointer))
        op = g.Atom(f"'{e.op}'", "rune")
        runtime = size_kinds.subtraction(self.types, base) if e.op == "-" else "gustOp"
        self.line(f"{g.render(target)} = "
                  f"{g.render(g.call(runtime, target, value, op, g.Atom('true', 'bool')))}")

    def _map_slot(self, target: ast.Expr) -> g.GoExpr | None:
        """The map slot `m[k]` when the target of a compound assignment is
        `*m.entry(k).or_insert(0)`, with no insertion first (std_calls.entry_place)."""
        inner = _strip(target)
        if isinstance(inner, ast.Unary) and inner.op == "*":
            call = _strip(inner.operand)
            if isinstance(call, ast.MethodCall) and std_calls.is_entry_call(self, call):
                place = std_calls.entry_place(self, call, updated=True)
                if place is not None:
                    return g.unary("*", place)
        return None

    def _simple_place(self, e: ast.Expr) -> bool:
        e = _strip(e)
        match e:
            case ast.PathExpr():
                return True
            case ast.Field(base=base) | ast.TupleField(base=base):
                return self._simple_place(base)
            case ast.Unary(op="*", operand=operand):
                return self._simple_place(operand)
        return False

    def _go_field_types(self, owner: str, fields: tuple[FieldInfo, ...], instance: t.Ty,
                        e: ast.Expr) -> tuple[t.Ty, ...]:
        """The types of the fields a literal or constructor gives, as Go holds them
        (generics.go_field_type)."""
        try:
            return tuple(generics.go_field_type(self.types, owner, f.ty, instance)
                         for f in fields)
        except Unsupported as exc:
            raise UnsupportedAt(exc.what, e.span) from None

    def _e_StructLit(self, e: ast.StructLit) -> g.GoExpr:
        names_ = e.path.names
        ty = self.ty(e)
        if not isinstance(ty, t.Adt):
            raise UnsupportedAt("this struct literal", e.span)
        if ty.name.startswith("go:") and e.base is None:
            return self._go_interop(lambda: golang.struct_lit(self, e, ty), e.span)
        if ty.name == "Range" and ty.name not in self.env.structs:
            # std's `Range { start, end }`: the runtime's gustRangeValue (kind 0, `..`).
            elem = ty.args[0] if ty.args else t.ERROR
            flds: dict[str | None, t.Ty] = {"start": elem, "end": elem}
            type_name = self.go(ty)
        elif ty.name in self.env.structs:
            info = self.env.structs[ty.name]
            flds = {f.name: fty for f, fty in zip(
                info.fields, self._go_field_types(ty.name, info.fields, ty, e), strict=True)}
            type_name = self.go(ty)
        else:
            vinfo = self.env.enums[ty.name].variant(names_[-1])
            assert vinfo is not None
            flds = {f.name: fty for f, fty in zip(
                vinfo.fields, self._go_field_types(ty.name, vinfo.fields, ty, e), strict=True)}
            type_name = self.types.variant_go(ty.name, names_[-1], ty.args)
        values = self.exprs([f.value for f in e.fields])
        std_range = ty.name == "Range" and ty.name not in self.env.structs
        elts = tuple(g.KeyValue(f.name if std_range else self.types.pkg.field(ty.name, f.name),
                                self.adapt(v, self.ty(f.value), flds.get(f.name, t.ERROR)))
                     for f, v in zip(e.fields, values, strict=True))
        if e.base is None:
            return g.Composite(type_name, elts)
        base = self.expr(e.base)
        name = self.temp("bounds" if std_range else _lower_first(type_name.split("[")[0]))
        self.line(f"{name} := {g.render(base)}")
        for kv in elts:
            self.line(f"{name}.{kv.key} = {g.render(kv.value)}")
        return g.ident(name)

    def _e_TupleExpr(self, e: ast.TupleExpr) -> g.GoExpr:
        if not e.elems:
            return _UNIT
        ty = self.ty(e)
        assert isinstance(ty, t.Tuple)
        values = self.exprs(list(e.elems))
        return g.tuple_lit(self.go(ty), tuple(self.adapt(v, self.ty(x), et) for v, x, et in
                                              zip(values, e.elems, ty.elems, strict=True)))

    def _e_ArrayExpr(self, e: ast.ArrayExpr) -> g.GoExpr:
        ty = self.ty(e)
        assert isinstance(ty, t.Array)
        values = self.exprs(list(e.elems))
        return g.Composite(self.go(ty), tuple(self.adapt(v, self.ty(x), ty.elem)
                                              for v, x in zip(values, e.elems, strict=True)))

    def _e_ArrayRepeat(self, e: ast.ArrayRepeat) -> g.GoExpr:
        ty = self.ty(e)
        assert isinstance(ty, t.Array)
        value = self.expr(e.value)
        if _is_zero(value):
            return g.Composite(self.go(ty), ())
        if ty.length <= 16 and g.is_pure(value) and self.types.is_plain(ty.elem):
            return g.Composite(self.go(ty), tuple([value] * ty.length))
        raise UnsupportedAt("this array repeat expression", e.span)

    # ------------------------------------------------------------ macros

    def _e_MacroCall(self, e: ast.MacroCall) -> g.GoExpr:
        if e.name == "vec":
            return self.vec_macro(e)
        if e.name == "format":
            fs = self.br.formats.get(e)
            if fs is not None and _plain_display(fs, self.ty):
                # `format!("{}", n)`: the Display form directly, as `n.to_string()` is.
                ty = self.ty(fs.args[0])
                return self.to_string(self._deref_scalar(self.expr(fs.args[0]), ty),
                                      _deref_all(ty))
            return g.call("gustFormat", *self.format_args(e))
        if e.name in ("write", "writeln"):
            return traits.write_macro(self, e)
        self.macro_stmt(e)
        return _UNIT

    def vec_macro(self, e: ast.MacroCall) -> g.GoExpr:
        ty = self.ty(e)
        assert isinstance(ty, t.Adt)
        elem = ty.args[0]
        go_ty = self.go(ty)
        if e.repeat is not None:
            value_e, count_e = e.repeat
            value, count = self.exprs([value_e, count_e])
            if _is_zero(value) or (isinstance(value, g.Composite) and not value.elts and
                                   value.type.startswith("[]")):
                return g.call("make", g.Atom(go_ty), count)
            value = self.adapt(value, self.ty(value_e), elem)
            if self.types.is_plain(elem):
                return g.call("gustRepeat", self.typed(value, elem), count)
            return g.call("gustRepeatClone", value, count, self.clone_fn(elem))
        values = self.exprs(list(e.args))
        return g.Composite(go_ty, tuple(self.adapt(v, self.ty(a), elem)
                                        for v, a in zip(values, e.args, strict=True)))

    def format_args(self, e: ast.MacroCall, prefix: str = "") -> list[g.GoExpr]:
        """The format string and arguments of a formatting macro, for the runtime."""
        fs = self.br.formats.get(e)
        if fs is None:
            if not e.args or (e.name.startswith("assert") and len(e.args) <= 2):
                return [g.Atom(g.go_string(_escape_braces(prefix)))]
            raise UnsupportedAt("this format string", e.span)
        text = _escape_braces(prefix) + _format_string(fs)
        # `usize` is Go's `int`, which cannot hold `usize::MAX`; printed, it is the `uint64`
        # maximum (Rust's value on 64-bit targets). It is a constant: order does not matter.
        evaluated = iter(self.exprs([a for a in fs.args if not self._is_usize_max(a)]))
        out: list[g.GoExpr] = [g.Atom(g.go_string(text))]
        for a in fs.args:
            if self._is_usize_max(a):
                self.ctx.imports.add("math")
                out.append(g.conversion("uint64", g.Atom("math.MaxUint64")))
            else:
                out.append(self.format_arg(next(evaluated), self.ty(a)))
        return out

    def _is_usize_max(self, e: ast.Expr) -> bool:
        e = _strip(e)
        return isinstance(e, ast.PathExpr) and \
            isinstance(res := self.br.paths.get(e), ConstRes) and res.name == "usize::MAX"

    def format_arg(self, value: g.GoExpr, ty: t.Ty) -> g.GoExpr:
        while isinstance(value, g.Unary) and value.op == "&" and isinstance(ty, t.Ref):
            # A reference formats as what it points to: `&m[k]` (an entry's `n`) is not
            # even addressable in Go.
            value, ty = value.x, ty.inner
        base = _deref_all(ty)
        if usize_max.printed_as_usize(self.env, base):
            return g.conversion("gustUsize", self._deref_scalar(value, ty))
        if self.types.needs_int_view(base):
            shape = intviews.view_shape(base, set(self.env.structs) | set(self.env.enums),
                                         usize_max.enabled(self.env))
            if shape is None:
                raise Unsupported("formatting a container of `Ordering`")
            return intviews.int_view(value, shape)
        if value == _UNIT:
            return g.Atom("struct{}{}")
        if self.types.is_std_ordering(base):
            return g.conversion("gustOrdering", self._deref_scalar(value, ty))
        return self.typed(value, base)

    def macro_stmt(self, e: ast.MacroCall) -> None:
        name = e.name
        if name in ("println", "print", "eprintln", "eprint"):
            self.line(g.render(g.call(_FORMAT_FUNCS[name], *self.format_args(e))))
            return
        if name in _PANIC_PREFIX:
            self.ctx.site(e.span.start, "p")
            self.panic(_PANIC_PREFIX[name], e)
            return
        if name in ("assert", "debug_assert"):
            cond = self.expr(e.args[0])
            with self.block() as body:
                self.ctx.site(e.span.start, "p")
                if len(e.args) > 1:
                    self.panic("", e)
                else:
                    text = "assertion failed: " + " ".join(self.ctx.source(e.args[0].span).split())
                    self.line(f"panic(gustPanicMessage({g.go_string(_escape_braces(text))}))",
                              "panic")
            self.cur.append(s.If(g.render(g.negate(cond), header=True), body, None, self.gl))
            return
        if name in ("assert_eq", "assert_ne", "debug_assert_eq", "debug_assert_ne"):
            a_e, b_e = e.args[0], e.args[1]
            a, b = self.exprs([a_e, b_e])
            a = self.stable(a, self.ty(a_e), "left")
            b = self.stable(b, self.ty(b_e), "right")
            eq = self.eq_expr(a, b, self.ty(a_e), self.ty(b_e), e)
            op = "==" if name.endswith("eq") else "!="
            with self.block() as body:
                self.ctx.site(e.span.start, "p")
                message: g.GoExpr = g.Atom('""')
                if len(e.args) > 2:
                    message = g.call("gustFormat", *self.format_args(e))
                self.line("panic(" + g.render(g.call(
                    "gustAssertFailed", g.Atom(g.go_string(op)),
                    self.format_arg(a, self.ty(a_e)), self.format_arg(b, self.ty(b_e)),
                    message)) + ")", "panic")
            cond = g.negate(eq) if op == "==" else eq
            self.cur.append(s.If(g.render(cond, header=True), body, None, self.gl))
            return
        raise UnsupportedAt(f"the macro `{name}!`", e.span)

    def panic(self, prefix: str, e: ast.MacroCall) -> None:
        fs = self.br.formats.get(e)
        if fs is None or not (fs.pieces and (fs.holes or fs.pieces[0])):
            text = prefix or "explicit panic"
            self.line(f"panic(gustPanicMessage({g.go_string(_escape_braces(text))}))", "panic")
            return
        args = self.format_args(e, prefix + ": " if prefix else "")
        self.line(f"panic({g.render(g.call('gustPanicMessage', *args))})", "panic")

    def _e_Try(self, e: ast.Try) -> g.GoExpr:
        if self.display:
            return traits.display_try(self, e)
        return results.try_expr(self, e)

    def _e_GoExpr(self, e: ast.GoExpr) -> g.GoExpr:
        return concurrency.go_stmt(self, e)

    def _e_Select(self, e: ast.Select) -> g.GoExpr:
        # Its arms' value (`let page = select { .. }`) goes to a destination, as a match's.
        return self.value_of_block_like(e)

    def _e_Closure(self, e: ast.Closure) -> g.GoExpr:
        return closures.emit_closure(self, e)


# ---------------------------------------------------------------- helpers


_UNIT: Final = g.Atom("struct{}{}")

_UNIT_METHODS: Final = {("Vec", "push"), ("Vec", "clear"), ("Vec", "truncate"), ("Vec", "insert"),
                 ("Vec", "swap"), ("Vec", "reverse"), ("String", "push_str"),
                 ("String", "push"), ("String", "clear"), ("String", "extend")} | \
    std_calls.VEC_STMTS


@dataclass
class _VTuple:
    """A tuple scrutinee kept as separate values (`match (a, b) { .. }`)."""

    items: list[g.GoExpr]
    tys: list[t.Ty] = field(default_factory=list)


def br_param_types(br: BodyResults) -> list[t.Ty]:
    """The parameter types of a checked function (from its parameter locals)."""
    return [br.locals[p].ty for p in br.params]


def _mentions(text: str, name: str) -> bool:
    import re

    return re.search(r"(?<![\w.])" + re.escape(name) + r"\b", text) is not None


def eval_rune(literal: str) -> str:
    """The character of a Go rune literal written by `goast.go_rune`."""
    import ast as pyast

    body = literal[1:-1]
    if body == "\\'":
        return "'"
    value = pyast.literal_eval('"' + body.replace('"', '\\"') + '"')
    assert isinstance(value, str)
    return value


def _conj(conds: list[g.GoExpr]) -> g.GoExpr:
    if not conds:
        return g.Atom("true")
    result = conds[0]
    for c in conds[1:]:
        result = g.binary("&&", result, c)
    return result


def _variant_pats(br: BodyResults) -> dict[ast.Pat, ast.Pat]:
    """The names in the body's patterns that the checker took for unit variants (neither
    bindings, constants nor `None`), each as the path pattern it means."""
    return {pat: ast.PathPat(ast.Path((ast.PathSegment(pat.name, pat.name_span),), pat.span),
                             pat.span)
            for pat in br.pat_types
            if isinstance(pat, ast.IdentPat) and pat not in br.bindings and
            pat not in br.const_pats and pat.name != "None"}


def _alts(pat: ast.Pat) -> list[ast.Pat]:
    if isinstance(pat, ast.OrPat):
        return [a for alt in pat.alts for a in _alts(alt)]
    return [pat]


def _spread(pats: tuple[ast.Pat, ...], n: int) -> list[ast.Pat | None]:
    rest = next((i for i, p in enumerate(pats) if isinstance(p, ast.RestPat)), None)
    if rest is None:
        return list(pats)
    before = list(pats[:rest])
    after = list(pats[rest + 1:])
    middle: list[ast.Pat | None] = [None] * max(0, n - len(before) - len(after))
    return [*before, *middle, *after]


def _item_of_seq(go: str, ty: t.Ty, seq_params: dict[str, t.Ty]) -> t.Ty:
    """The item type of an iterator value of Go type `iter.Seq[..]`: a std iterator's, an
    erased `I: Iterator<Item = T>`'s or a `dyn Iterator<Item = T>`'s."""
    match ty:
        case t.Adt("Iter", (item,)):
            return item
        case t.Param(name) if name in seq_params:
            return seq_params[name]
        case t.Dyn(assoc=assoc) if dict(assoc).get("Item") is not None:
            return dict(assoc)["Item"]
    raise Unsupported(f"iterating `{ty}` through a `&mut` ({go})")


def _is_block_like(e: ast.Expr) -> bool:
    return isinstance(e, (ast.If, ast.Match, ast.Loop, ast.While, ast.For, ast.Select)) or (
        isinstance(e, ast.Block) and bool(e.stmts))


def _elem_of(ty: t.Ty) -> t.Ty | None:
    match ty:
        case t.Adt(name="Vec" | "VecDeque" | "BinaryHeap", args=(elem,)):
            return elem
        case t.Array(elem=elem) | t.Slice(elem=elem):
            return elem
    return None


# Integer operators that panic on overflow in Rust (debug builds, which the tests compare
# with), and the runtime function that checks each.
_CHECKED_OPS: Final = ("+", "-", "*")
_CHECKED_FN: Final = {"+": "gustAdd", "-": "gustSub", "*": "gustMul"}


def _checked_fn(op: str, ty: t.Int) -> str:
    """The runtime function for `op` on `ty`: `gustAdd` (signed), `gustAddU` (unsigned).
    `usize` is Go's `int`: it adds and multiplies like a signed integer (overflowing at
    2^63, which a Go `int` cannot pass), but `0usize - 1` must panic."""
    name = _CHECKED_FN[op]
    if ty.kind == "usize":
        return "gustSubUsize" if op == "-" else name
    return name if ty.signed else name + "U"


def _plain_display(fs: FormatString, ty_of: Callable[[ast.Expr], t.Ty]) -> bool:
    """`"{}"` of one integer, bool or string: a to_string, no formatter needed."""
    if fs.pieces != ("", "") or len(fs.args) != 1 or fs.holes[0].spec != "":
        return False
    base = _deref_all(ty_of(fs.args[0]))
    if isinstance(base, t.Int) and base.kind in wide_ints.GO_TYPES:
        return False
    return isinstance(base, (t.Int, t.Str, t.Bool)) or base == t.STRING


def _go_ordered(ty: t.Ty) -> bool:
    """A type whose Go form has `<` (numbers, `char`, strings)."""
    return isinstance(ty, t.Int | t.Float | t.Char | t.Infer) or ty in (t.STR, t.STRING)


def _pow_method(name: str, recv: g.GoExpr, exponent: g.GoExpr, ty: t.Ty) -> g.GoExpr:
    """`checked_pow`, `saturating_pow`, `wrapping_pow` of an integer (a `usize`, a Go `int`
    never negative, as a `uint64`)."""
    fn = {"checked_pow": "gustCheckedPow", "saturating_pow": "gustSaturatingPow",
          "wrapping_pow": "gustWrappingPow"}[name]
    if not (isinstance(ty, t.Int) and ty.kind == "usize"):
        return g.call(fn, recv, exponent)
    if name == "checked_pow":
        return g.call("gustCheckedPowUsize", recv, exponent)
    return g.call("gustUsizeOf", g.call(fn, g.conversion("uint64", recv), exponent))


def _deref_all(ty: t.Ty) -> t.Ty:
    while isinstance(ty, t.Ref):
        ty = ty.inner
    return ty


def _strip_suffix(text: str, suffix: str | None) -> str:
    if suffix and text.endswith(suffix):
        text = text[: -len(suffix)]
    return text.rstrip("_")


def _wrap(value: int, ty: t.Int) -> int:
    bits = ty.bits
    value &= (1 << bits) - 1
    if ty.signed and value >= 1 << (bits - 1):
        value -= 1 << bits
    return value


def _saturate(value: int, ty: t.Int) -> int:
    """Rust's float-to-integer `as`: the truncated value clamped to the type's range."""
    low, high = (-(1 << (ty.bits - 1)), (1 << (ty.bits - 1)) - 1) if ty.signed else \
        (0, (1 << ty.bits) - 1)
    return max(low, min(high, value))


def _is_zero(value: g.GoExpr) -> bool:
    return isinstance(value, g.Atom) and value.text in ("0", "0.0", "false", '""', "0.")


def _format_string(fs: FormatString) -> str:
    """The format string for the runtime: holes renumbered to argument positions."""
    out = [_escape_braces(fs.pieces[0])]
    nxt = 0
    for hole, piece in zip(fs.holes, fs.pieces[1:], strict=True):
        arg = "" if hole.arg == nxt else str(hole.arg)
        if hole.arg == nxt:
            nxt += 1
        spec = f":{hole.spec}" if hole.spec else ""
        out.append("{" + arg + spec + "}")
        out.append(_escape_braces(piece))
    return "".join(out)


def _escape_braces(text: str) -> str:
    return text.replace("{", "{{").replace("}", "}}")


def _subject_name(e: ast.Expr) -> str:
    return _temp_base(e)


def _temp_base(e: ast.Expr) -> str:
    e = _strip(e)
    match e:
        case ast.MethodCall(name=name):
            return _camel(name)
        case ast.Call(callee=ast.PathExpr(path=path)):
            return _camel(path.last.name)
        case ast.Field(name=name):
            return _camel(name)
        case ast.Match():
            return "result"
        case ast.If():
            return "value"
        case ast.Loop():
            return "result"
    return "tmp"


def _camel(name: str) -> str:
    parts = [p for p in name.split("_") if p]
    if not parts:
        return "tmp"
    text = parts[0].lower() + "".join(p.capitalize() for p in parts[1:])
    return text if text.isidentifier() else "tmp"


def _lower_first(name: str) -> str:
    return name[:1].lower() + name[1:] if name else "v"


def _describe(e: ast.Expr) -> str:
    return {"Closure": "closures", "Try": "the `?` operator"}.get(type(e).__name__,
                                                                 f"`{type(e).__name__}`")


def _is_map(ty: t.Ty) -> bool:
    return isinstance(ty, t.Adt) and ty.name in ("HashMap", "BTreeMap")


_BYTE_ESCAPES: Final = {"\n": "\\n", "\t": "\\t", "\r": "\\r"}


def _go_byte_text(value: str) -> str:
    """The bytes of a byte string (one character per byte) inside a Go string literal,
    each written as Go reads it (`\\x7f`, not UTF-8)."""
    return "".join(ch if 0x20 <= ord(ch) < 0x7F and ch not in '"\\' else
                   "\\" + ch if ch in '"\\' else _BYTE_ESCAPES.get(ch) or
                   f"\\x{ord(ch):02x}" for ch in value)


def _strip_refs(ty: t.Ty) -> t.Ty:
    while isinstance(ty, t.Ref):
        ty = ty.inner
    return ty
