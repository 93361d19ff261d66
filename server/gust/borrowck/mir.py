"""The borrow checker's intermediate form: a control-flow graph over places (a small MIR).

A body is a list of basic blocks; each block holds statements and ends in a terminator.
Statements work on *places*: a local plus projections (field, deref, index, enum variant).
Every statement and terminator is a *point*; after lowering, `Body.finish` numbers the points
and computes successor/predecessor lists, so the analyses (gust.borrowck.moves,
gust.borrowck.loans) run over flat arrays of points.

Region annotations (`RTy`) mirror a local's type with one region variable per reference (and
one hidden region per iterator, which may borrow what it iterates). Region variables are plain
ints; `Body.outlives` holds the `sup ⊇ sub` constraints gathered while lowering.
"""

from __future__ import annotations

import functools
from dataclasses import field
from typing import Final, NamedTuple

from gust.frozen import dataclass
from gust.sema import types as t
from gust.sema.items import ItemEnv
from gust.syntax import ast
from gust.text import Span

# ---------------------------------------------------------------- places


class Proj(NamedTuple):
    """One projection step: `kind` is "field", "deref", "index", "variant", "elem" or
    "subslice".

    `idx` is the field index (for "field") or the variant index (for "variant"); `name`
    is the field or variant name, used when describing places in messages. A slice
    pattern's element is an "elem" (rustc's constant index): `idx` elements from the start,
    or from the end when `name` is "end" (counting the last as 1), of a slice at least
    `size` long; an array's are always from the start. `rest @ ..` is a "subslice": from
    `idx`, to `size` from the end of a slice ("end") or to `size` in an array.
    """

    kind: str
    idx: int = 0
    name: str = ""
    size: int = 0


#: Positions are encoded as `block * _POS + statement index` until Body.finish.
_POS: Final = 1 << 20

DEREF: Final = Proj("deref")
INDEX: Final = Proj("index")


class Place(NamedTuple):
    local: int
    proj: tuple[Proj, ...] = ()

    def project(self, p: Proj) -> Place:
        return Place(self.local, (*self.proj, p))

    def deref(self) -> Place:
        return self.project(DEREF)

    def field(self, index: int, name: str = "") -> Place:
        return self.project(Proj("field", index, name))

    def prefix(self, n: int) -> Place:
        return Place(self.local, self.proj[:n])

    @property
    def is_local(self) -> bool:
        return not self.proj


class Operand(NamedTuple):
    """`mode` is "copy", "move" or "const" (then `place` is None).

    `how` says what kind of use moves the value, for the "value moved here" label: "" (a
    plain move), "method" (a `self` method; `via` spans the call), "into_iter" (a `for`
    loop), "pattern" (a binding in a pattern; `via` spans the scrutinee, `via_name` names
    the binding; "pattern_deref" when the scrutinee is written `*x`), "arg" (an argument of
    a user function named by `via_name`), "let" (a `let` initialiser), "deref" (`*x`),
    "operator" (the left side of `+`), "update" (struct update syntax), "closure" (a
    capture moved into a closure: `span` is the closure's head, `via` the use in its body)
    or "call" (a closure called as `FnOnce`: `via` spans the call, `via_name` names the
    captured variable its body moves out).
    """

    mode: str
    place: Place | None
    span: Span
    how: str = ""
    via: Span | None = None
    via_name: str = ""


def const(span: Span) -> Operand:
    return Operand("const", None, span)


# ---------------------------------------------------------------- region-annotated types


class RTy(NamedTuple):
    """A type with region variables: `kind` is "ref", "adt", "tuple", "seq" or "leaf".

    For "ref", `region` is the reference's region and `args[0]` the referent; for "adt",
    `region` is the hidden region of an iterator or of a `dyn Fn` (else -1) and `args` the
    type arguments; "tuple" and "seq" (arrays, slices) list their element types in `args`.
    A closure is an "adt" named `{closure#ID}` whose `args` are its captures' types (`&T` /
    `&mut T` for borrowed captures), as rustc's upvar types.
    """

    kind: str
    region: int = -1
    mutable: bool = False
    args: tuple[RTy, ...] = ()
    name: str = ""

    def regions(self) -> list[int]:
        out: list[int] = []
        self._collect(out)
        return out

    def _collect(self, out: list[int]) -> None:
        if self.region >= 0:
            out.append(self.region)
        for a in self.args:
            a._collect(out)


LEAF: Final = RTy("leaf")


_SCALARS: Final = (t.Int, t.Float, t.Bool, t.Char, t.Str, t.Never, t.Error, t.Param, t.FnPtr)


# The std types that hold a borrow their type arguments do not show: an iterator (of what
# it iterates) and a map's `Entry<K, V>` (of the map, `&'a mut HashMap<K, V>`). A package
# type of one of these names has the region only where its arguments do (`annotate`).
# (A lock's or `RefCell`'s guard borrows its lock or cell: moving that while the guard
# lives is E0505.)
HIDDEN_REGION: Final = frozenset({"Iter", "Entry", "MutexGuard", "RwLockReadGuard",
                                  "RwLockWriteGuard", "Ref", "RefMut"})


def has_regions(ty: t.Ty) -> bool:
    """Whether a value of `ty` can hold a loan."""
    if isinstance(ty, t.Ref):
        return True
    if isinstance(ty, _SCALARS):
        return False
    return _has_regions(ty)


@functools.lru_cache(maxsize=4096)
def _has_regions(ty: t.Ty) -> bool:
    match ty:
        case t.Ref():
            return True
        case t.Adt(name, args):
            # An iterator, and a map's `Entry`, borrow what they were made from.
            return name in HIDDEN_REGION or any(has_regions(a) for a in args)
        case t.Tuple(elems):
            return any(has_regions(e) for e in elems)
        case t.Array(elem, _) | t.Slice(elem):
            return has_regions(elem)
        case t.Closure(captures=captures):
            # Its captures may be borrows (gust.borrowck.closures gives them regions).
            return captures
        case t.Dyn(call=call):
            # `dyn Fn()`/`impl Fn()` may hide a closure that borrows.
            return call is not None
    return False


def reference_holders(env: ItemEnv) -> frozenset[str]:
    """The package's structs and enums that may hold references: those with a lifetime
    parameter (`struct Parser<'a> { src: &'a str }`), as Rust asks of every type with a
    borrowed field. A value of one has one hidden region for all its lifetimes (as an
    iterator has): what its fields borrow stays borrowed while the value is live."""
    memo = env.memo.get("borrowck.reference_holders")
    if isinstance(memo, frozenset):
        return memo
    decls: list[tuple[str, ast.StructDecl | ast.EnumDecl]] = [
        *((name, info.decl) for name, info in env.structs.items()),
        *((name, info.decl) for name, info in env.enums.items())]
    found = frozenset(name for name, decl in decls if decl.generics.lifetimes)
    env.memo["borrowck.reference_holders"] = found
    return found


def mentions_holder(ty: t.Ty, holders: frozenset[str]) -> bool:
    """Whether `ty` is or contains a type of `reference_holders`."""
    return bool(holders) and _mentions(ty, holders)


def _mentions(ty: t.Ty, holders: frozenset[str]) -> bool:
    match ty:
        case t.Adt(name, args):
            return name in holders or any(_mentions(a, holders) for a in args)
        case t.Ref(inner):
            return _mentions(inner, holders)
        case t.Tuple(elems):
            return any(_mentions(e, holders) for e in elems)
        case t.Array(elem, _) | t.Slice(elem):
            return _mentions(elem, holders)
    return False


# ---------------------------------------------------------------- statements


@dataclass(slots=True)
class Rvalue:
    """The right-hand side of an assignment.

    `kind` is "use" (one operand), "ref" (a borrow of `place`, creating loan `loan`),
    "agg" (an aggregate built from `ops`), "op" (an arithmetic/comparison/cast result
    computed from `ops`), "discr" (a shallow read of `place`'s discriminant), "len" (a read
    of the length of the slice `place`, for a slice pattern) or "const".
    """

    kind: str
    ops: tuple[Operand, ...] = ()
    place: Place | None = None
    loan: int = -1


@dataclass(slots=True)
class Assign:
    dest: Place
    rv: Rvalue
    span: Span
    # A user-written assignment (`x = v`, `x += v`): checked for E0384/E0594; `target_span`
    # is the span of the assigned expression.
    user: bool = False
    target_span: Span | None = None
    # For `let` bindings and pattern bindings: the dest is a fresh binding (its init site).
    binding: bool = False


@dataclass(slots=True)
class Call:
    """`dest = f(args)`. `fn_span` is the callee (for "borrow later used by call");
    `activates` lists the two-phase loans this call activates."""

    dest: Place
    args: tuple[Operand, ...]
    span: Span
    fn_span: Span
    activates: tuple[int, ...] = ()
    # An overloaded operator (`v[i]`): a later use is "used here", not "used by call".
    overloaded: bool = False


@dataclass(slots=True)
class StorageDead:
    local: int
    span: Span


@dataclass(slots=True)
class FakeRead:
    """A use of a place that reads nothing (keeps it live)."""

    place: Place
    span: Span


Statement = Assign | Call | StorageDead | FakeRead


@dataclass(slots=True)
class Goto:
    target: int
    back_edge: bool = False


@dataclass(slots=True)
class Switch:
    targets: tuple[int, ...]
    span: Span | None = None


@dataclass(slots=True)
class Return:
    span: Span


@dataclass(slots=True)
class Unreachable:
    pass


Terminator = Goto | Switch | Return | Unreachable


@dataclass(slots=True)
class Block:
    stmts: list[Statement] = field(default_factory=list)
    term: Terminator | None = None


# ---------------------------------------------------------------- locals and loans


@dataclass(slots=True)
class LocalDecl:
    """A MIR local: a user variable (`user` is its id in `BodyResults.locals`), the return
    place (local 0) or a temporary."""

    name: str | None
    ty: t.Ty
    mutable: bool
    span: Span | None  # the binding pattern (`mut x`), for labels
    kind: str  # "param", "self", "let", "for", "match", "temp", "return", "upvar"
    rty: RTy
    user: int | None = None
    name_span: Span | None = None  # the name alone, where fixes insert `mut `
    # Bound by a destructuring pattern (`let (a, b) = ..`, a `match` arm).
    destructured: bool = False
    # A temporary holding the result of `Index::index(&base, i)` (its deref is `base[i]`):
    # the type of the indexed container, for "cannot move out of index of `Vec<String>`".
    index_of: t.Ty | None = None
    # A temporary holding `Deref::deref(&x)` of a smart pointer (`*rc`): the pointer's type,
    # for "cannot move out of an `Rc`".
    deref_of: t.Ty | None = None
    # A temporary holding the value of an expression that is borrowed (`&make()`,
    # `make().as_str()`): the expression, for E0716. It dies at the end of its statement
    # unless the borrow's lifetime is extended (`let r = &make();`).
    rvalue_of: Span | None = None
    # That expression is in a `let` initialiser (rustc then suggests a `let` binding as help
    # rather than noting it).
    in_let: bool = False
    # An upvar of a closure body ("upvar") captured by reference: its type is `&T` /
    # `&mut T` and its deref is the captured variable, named as the variable itself.
    upvar_ref: bool = False


@dataclass(slots=True)
class Loan:
    """A borrow of `place`. `span` is the borrow expression; `region` its region variable.
    `kind` says how it was written: "explicit" (`&x`), "autoref" (method receiver),
    "index" (`v[i]`), "format" (a `println!` argument), "pattern" (a `ref` binding),
    "reborrow" (an implicit `&mut *r` at a coercion site), "iter" (the `for` loop's
    `next()` call), "closure" (a closure's borrowed capture), "call" (calling an
    `Fn`/`FnMut` closure borrows it)."""

    id: int
    place: Place
    mutable: bool
    two_phase: bool
    span: Span
    region: int
    kind: str
    # The borrow's point and (for two-phase borrows) the activating call's point; while
    # lowering they hold `block * POS + index`, Body.finish turns them into points.
    point: int = -1
    activation: int = -1
    # A closure's borrow of a capture ("closure"): where the body uses the captured
    # variable, and where `move ` would go.
    capture_use: Span | None = None
    closure_start: int = -1


@dataclass(slots=True)
class LoopInfo:
    """A loop in the source, for "in previous iteration of loop" labels."""

    span: Span  # the loop header (`for x in v`, `while c`, `loop`)
    header: int  # block id of the loop header
    body_blocks: set[int] = field(default_factory=set)


@dataclass
class Body:
    """One lowered function body. Local 0 is the return place."""

    locals: list[LocalDecl] = field(default_factory=list)
    blocks: list[Block] = field(default_factory=list)
    loans: list[Loan] = field(default_factory=list)
    # Region constraints: (sup, sub) means region sup contains region sub.
    outlives: list[tuple[int, int]] = field(default_factory=list)
    num_regions: int = 0
    # Regions that contain every point (the regions of parameter types, and those the
    # return type's regions are equated with: `return_universal`).
    universal: set[int] = field(default_factory=set)
    return_universal: set[int] = field(default_factory=set)
    region_owner: list[int] = field(default_factory=list)  # region -> local
    params: list[int] = field(default_factory=list)  # MIR locals initialised at entry
    user_to_mir: dict[int, int] = field(default_factory=dict)
    loops: list[LoopInfo] = field(default_factory=list)
    # Some variable is declared without a value (`let x;`): it may be used uninitialised.
    deferred_init: bool = False
    # Universal regions standing for `'static`: those of closures given to `thread::spawn`
    # (E0373 already reported), and one per coercion to a `'static` trait object
    # (`Box<dyn Fn()>` in a signature or a struct field): the coerced expression and the
    # type as written and as meant.
    spawned: set[int] = field(default_factory=set)
    static_sites: dict[int, tuple[Span, tuple[str, str]]] = field(default_factory=dict)
    # Universal regions that a thread's closure must outlive, with the closure: what a
    # `move` closure given to `thread::spawn` owns must be `'static` (so a reference it
    # holds keeps its loan for the rest of the function), and a closure given to a
    # scope's `spawn` lives as long as the scope (to the end of `thread::scope`'s closure).
    thread_sites: dict[int, tuple[Span, str]] = field(default_factory=dict)
    # For a closure body: the call trait it is checked as ("Fn", "FnMut", "FnOnce") and
    # the closure's head (`|x|`), for "in this closure" labels.
    closure_kind: str | None = None
    closure_head: Span | None = None
    # Points where two-phase reservations are pending: point -> loans not yet active.
    # (Filled by Body.finish from `pending`, keyed by (block, statement index).)
    reserved_at: dict[int, tuple[int, ...]] = field(default_factory=dict)
    pending: dict[tuple[int, int], tuple[int, ...]] = field(default_factory=dict)

    # ---- filled by finish()
    points: list[Statement | Terminator] = field(default_factory=list)
    point_block: list[int] = field(default_factory=list)
    block_start: list[int] = field(default_factory=list)
    succ: list[tuple[int, ...]] = field(default_factory=list)
    pred: list[list[int]] = field(default_factory=list)
    back_edges: set[tuple[int, int]] = field(default_factory=set)  # (from point, to point)
    reachable: int = 0  # bitset of reachable points
    block_end: list[int] = field(default_factory=list)  # the terminator's point
    block_succ: list[tuple[int, ...]] = field(default_factory=list)
    block_pred: list[list[int]] = field(default_factory=list)
    block_order: list[int] = field(default_factory=list)  # reachable blocks, reverse post-order
    point_order: list[int] = field(default_factory=list)  # their points, in that order
    # Locals each point reads (a write through a projection, `x.f = ..`, reads `x` too),
    # and the local it overwrites whole (or -1).
    point_uses: list[tuple[int, ...]] = field(default_factory=list)
    point_def: list[int] = field(default_factory=list)

    def position(self, block: int) -> int:
        """The encoded position of the next statement of `block`."""
        return block * _POS + len(self.blocks[block].stmts)

    def new_region(self, owner: int) -> int:
        r = self.num_regions
        self.num_regions += 1
        self.region_owner.append(owner)
        return r

    def finish(self) -> None:
        """Number the points and compute the flow graph (of points and of blocks)."""
        points: list[Statement | Terminator] = []
        point_block: list[int] = []
        starts: list[int] = []
        ends: list[int] = []
        block_succ: list[tuple[int, ...]] = []
        for b, block in enumerate(self.blocks):
            starts.append(len(points))
            points.extend(block.stmts)
            if block.term is None:
                block.term = Unreachable()
            points.append(block.term)
            ends.append(len(points) - 1)
            point_block.extend([b] * (len(block.stmts) + 1))
            term = block.term
            if isinstance(term, Goto):
                block_succ.append((term.target,))
            elif isinstance(term, Switch):
                block_succ.append(tuple(dict.fromkeys(term.targets)))
            else:
                block_succ.append(())
        self.points = points
        self.point_block = point_block
        self.block_start = starts
        self.block_end = ends
        self.block_succ = block_succ
        n = len(points)
        succ: list[tuple[int, ...]] = [(i + 1,) for i in range(n)]
        for b, targets in enumerate(block_succ):
            end = ends[b]
            succ[end] = tuple(starts[x] for x in targets)
            last = self.blocks[b].term
            if isinstance(last, Goto) and last.back_edge:
                self.back_edges.add((end, starts[last.target]))
        self.succ = succ
        pred: list[list[int]] = [[] for _ in points]
        block_pred: list[list[int]] = [[] for _ in self.blocks]
        for b, targets in enumerate(block_succ):
            for x in targets:
                block_pred[x].append(b)
        for b in range(len(self.blocks)):
            start = starts[b]
            for i in range(start + 1, ends[b] + 1):
                pred[i].append(i - 1)
            pred[start].extend(ends[x] for x in block_pred[b])
        self.pred = pred
        self.block_pred = block_pred
        # Reverse post-order of the reachable blocks.
        order: list[int] = []
        if self.blocks:
            seen = bytearray(len(self.blocks))
            seen[0] = 1
            stack: list[tuple[int, int]] = [(0, 0)]
            while stack:
                b, i = stack[-1]
                targets = block_succ[b]
                if i < len(targets):
                    stack[-1] = (b, i + 1)
                    x = targets[i]
                    if not seen[x]:
                        seen[x] = 1
                        stack.append((x, 0))
                else:
                    stack.pop()
                    order.append(b)
            order.reverse()
        self.block_order = order
        reachable = 0
        point_order: list[int] = []
        for b in order:
            reachable |= ((1 << (ends[b] + 1)) - 1) ^ ((1 << starts[b]) - 1)
            point_order.extend(range(starts[b], ends[b] + 1))
        self.reachable = reachable
        self.point_order = point_order
        uses: list[tuple[int, ...]] = []
        defs: list[int] = []
        for stmt in points:
            used: list[int] = []
            defined = -1
            if isinstance(stmt, Assign):
                rv = stmt.rv
                if rv.place is not None:
                    used.append(rv.place.local)
                used.extend(op.place.local for op in rv.ops if op.place is not None)
            elif isinstance(stmt, Call):
                used.extend(op.place.local for op in stmt.args if op.place is not None)
            elif isinstance(stmt, FakeRead):
                used.append(stmt.place.local)
            elif isinstance(stmt, StorageDead):
                defined = stmt.local
            if isinstance(stmt, (Assign, Call)):
                if stmt.dest.proj:
                    used.append(stmt.dest.local)
                else:
                    defined = stmt.dest.local
            uses.append(tuple(used))
            defs.append(defined)
        self.point_uses = uses
        self.point_def = defs
        for (b, i), loans in self.pending.items():
            self.reserved_at[starts[b] + i] = loans
        for loan in self.loans:
            if loan.point >= 0:
                b, i = divmod(loan.point, _POS)
                loan.point = starts[b] + i
            if loan.activation >= 0:
                b, i = divmod(loan.activation, _POS)
                loan.activation = starts[b] + i
