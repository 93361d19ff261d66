"""Moves and initialisation: E0382, E0381, E0384, E0507, E0508, E0509.

Move paths are the places that can be moved out of or initialised on their own: locals and
their fields (through enum variants and `Box` derefs, never through a reference or an
index). Two forward dataflow problems run over them:

- *maybe uninitialised* (a path bit is set where the path may be moved-out or never
  initialised): a use of a place needs its closest move path and, for whole-place uses, all
  its children initialised; otherwise E0382 (some move reaches the use) or E0381 (none does);
- *ever initialised* (init sites of whole locals that may have happened): assigning an
  immutable local that may already be initialised is E0384.

Moving out of a place behind a reference or an index is E0507 (E0508 for arrays); out of a
field of a type that implements `Drop`, E0509.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import field

from gust import diagnostics as d
from gust.borrowck import dataflow as df
from gust.borrowck import mir
from gust.borrowck.build import walk_ast
from gust.borrowck.describe import default_value, describe, quoted
from gust.borrowck.mir import Body, Operand, Place
from gust.budget import UNLIMITED, Budget
from gust.frozen import dataclass
from gust.sema import traits
from gust.sema import types as t
from gust.sema.items import ItemEnv
from gust.syntax import ast
from gust.text import Span


@dataclass
class MoveSite:
    path: int
    point: int
    op: Operand


@dataclass
class InitSite:
    local: int
    point: int  # -1 for parameters (initialised at entry)
    span: Span


@dataclass
class MoveData:
    places: list[Place] = field(default_factory=list)
    by_place: dict[Place, int] = field(default_factory=dict)
    parent: list[int] = field(default_factory=list)
    desc: list[int] = field(default_factory=list)  # bitmask: the path and its descendants
    moves: list[MoveSite] = field(default_factory=list)
    moves_at: dict[int, list[int]] = field(default_factory=dict)
    inits: list[InitSite] = field(default_factory=list)
    local_inits: dict[int, int] = field(default_factory=dict)  # local -> mask of init ids
    # Points that initialise (part of) a path: point -> paths.
    inits_at: dict[int, list[int]] = field(default_factory=dict)


class MoveChecker:
    """`build` gathers move paths, moves and initialisations (reporting moves out of
    borrowed places); `check` runs the dataflow problems it needs and reports uses of
    moved or uninitialised places and reassignments of immutable ones."""

    def __init__(self, env: ItemEnv, body: Body, fn: ast.FnDecl, order: list[int],
                 place_ty: Callable[[Place], t.Ty], budget: Budget = UNLIMITED) -> None:
        self.env = env
        # Polled per point and by the dataflow (gust.budget): raises `OutOfTime`.
        self.budget = budget
        self.body = body
        self.fn = fn
        self.order = order
        self.place_ty = place_ty
        self.data = MoveData()
        self.diags: list[d.Diagnostic] = []
        self.reported_moves: dict[frozenset[int], tuple[Place, int]] = {}
        self.reported_uninit: set[int] = set()
        self.reported_move_errors: set[tuple[int, int]] = set()
        self._movable: dict[Place, bool] = {}
        self._ever: list[int] | None = None

    def ty_of(self, place: Place) -> t.Ty:
        return self.place_ty(place)

    # ------------------------------------------------------------ move paths

    def path(self, place: Place) -> int:
        idx = self.data.by_place.get(place)
        if idx is not None:
            return idx
        parent = self.path(place.prefix(len(place.proj) - 1)) if place.proj else -1
        idx = len(self.data.places)
        self.data.places.append(place)
        self.data.by_place[place] = idx
        self.data.parent.append(parent)
        return idx

    def movable_len(self, place: Place) -> int:
        """How many leading projections of `place` a move path can follow: fields and enum
        variants, and derefs of a `Box`, but not derefs of references or indexing, nor
        fields of a type that implements `Drop` (its `drop` needs them all, E0509)."""
        for i, p in enumerate(place.proj):
            if p.kind == "index":
                return i
            if p.kind in ("field", "variant") and self.has_drop(self.place_ty(place.prefix(i))):
                return i
            if p.kind == "deref":
                ty = self.place_ty(place.prefix(i))
                if not (isinstance(ty, t.Adt) and ty.name == "Box"):
                    return i
        return len(place.proj)

    def is_movable(self, place: Place) -> bool:
        if not place.proj:
            return True
        cached = self._movable.get(place)
        if cached is None:
            cached = self.movable_len(place) == len(place.proj)
            self._movable[place] = cached
        return cached

    def has_drop(self, ty: t.Ty) -> bool:
        """Whether `ty` has a user `impl Drop` (std types are never asked: their fields are
        private)."""
        return isinstance(ty, t.Adt) and traits.impl_for(ty, "Drop", self.env) is not None

    def tracked(self, local: int) -> bool:
        """Temporaries are used exactly once, right after they are written: only user
        variables (and the return place) get move paths."""
        return self.body.locals[local].kind != "temp"

    def build(self) -> None:
        body = self.body
        data = self.data
        for local in range(len(body.locals)):
            if self.tracked(local):
                self.path(Place(local))
        for p in self.order:  # unreachable code is not checked, as in rustc
            stmt = body.points[p]
            for op in operands(stmt):
                if op.mode == "move" and op.place is not None:
                    if not self.is_movable(op.place):
                        self.move_error(op, p)
                    elif self.tracked(op.place.local):
                        path = self.path(op.place)
                        data.moves_at.setdefault(p, []).append(len(data.moves))
                        data.moves.append(MoveSite(path, p, op))
            dest = dest_of(stmt)
            if dest is not None and self.tracked(dest.local) and self.is_movable(dest):
                data.inits_at.setdefault(p, []).append(self.path(dest))
                if dest.is_local:
                    self.init_site(dest.local, p, self.init_span(stmt, dest.local))
        for m in body.params:
            decl = body.locals[m]
            self.init_site(m, -1, decl.span or Span(0, 0))
        n = len(data.places)
        data.desc = [1 << i for i in range(n)]
        for i in range(n - 1, -1, -1):
            parent = data.parent[i]
            if parent >= 0:
                data.desc[parent] |= data.desc[i]

    def init_site(self, local: int, point: int, span: Span) -> None:
        site = len(self.data.inits)
        self.data.inits.append(InitSite(local, point, span))
        self.data.local_inits[local] = self.data.local_inits.get(local, 0) | (1 << site)

    def init_span(self, stmt: mir.Statement | mir.Terminator, local: int) -> Span:
        if isinstance(stmt, mir.Assign) and stmt.user:
            return stmt.span
        decl = self.body.locals[local].span
        if decl is not None:
            return decl
        return stmt.span if isinstance(stmt, (mir.Assign, mir.Call)) else Span(0, 0)

    # ------------------------------------------------------------ dataflow

    def maybe_uninit(self) -> list[int] | None:
        """The maybe-uninitialised paths before each point, or None when nothing can be
        used uninitialised (no moves, and every variable initialised where declared)."""
        body = self.body
        data = self.data
        if not data.moves and not body.deferred_init:
            return None
        n = len(body.points)
        gen = [0] * n
        kill = [0] * n
        for p, moves in data.moves_at.items():
            for m in moves:
                gen[p] |= data.desc[data.moves[m].path]
        for p, paths in data.inits_at.items():
            for path in paths:
                kill[p] |= data.desc[path]
        for p, stmt in enumerate(body.points):
            if isinstance(stmt, mir.StorageDead):
                root = data.by_place.get(Place(stmt.local))
                if root is not None:
                    gen[p] |= data.desc[root]
        params = 0
        for m in body.params:
            params |= data.desc[data.by_place[Place(m)]]
        entry = ((1 << len(data.places)) - 1) & ~params
        return df.forward(body, entry, gen, kill, self.budget)

    def ever_init(self, p: int) -> int:
        """The init sites of whole variables that may have happened before point `p`
        (computed on first use: only reassignments and mutability errors ask)."""
        if self._ever is None:
            body = self.body
            data = self.data
            n = len(body.points)
            gen = [0] * n
            kill = [0] * n
            entry = 0
            for i, site in enumerate(data.inits):
                if site.point < 0:
                    entry |= 1 << i
                else:
                    gen[site.point] |= 1 << i
            for q, stmt in enumerate(body.points):
                if isinstance(stmt, mir.StorageDead):
                    kill[q] = data.local_inits.get(stmt.local, 0)
            self._ever = df.forward(body, entry, gen, kill, self.budget)
        return self._ever[p]

    # ------------------------------------------------------------ checks

    def check(self) -> None:
        body = self.body
        uninit = self.maybe_uninit()
        poll = self.budget.poll
        for p in self.order:
            poll()
            stmt = body.points[p]
            if isinstance(stmt, mir.Assign):
                if stmt.user and stmt.dest.is_local:
                    self.check_reassign(p, stmt)
                if uninit is None:
                    continue
                state = uninit[p]
                rv = stmt.rv
                if rv.kind == "ref" and rv.place is not None:
                    loan = body.loans[rv.loan]
                    self.check_use(p, rv.place, "borrow", loan.span, state)
                elif rv.kind in ("discr", "len") and rv.place is not None:
                    self.check_use(p, rv.place, "use", stmt.span, state)
                else:
                    for op in rv.ops:
                        if op.place is not None:
                            self.check_use(p, op.place, "use", op.span, state)
                self.check_assigned(p, stmt.dest, stmt.target_span or stmt.span, state)
            elif isinstance(stmt, mir.Call) and uninit is not None:
                state = uninit[p]
                for op in stmt.args:
                    if op.place is not None:
                        self.check_use(p, op.place, "use", op.span, state)
                self.check_assigned(p, stmt.dest, stmt.span, state)

    def closest_path(self, place: Place) -> tuple[Place, int] | None:
        by_place = self.data.by_place
        if not place.proj:
            idx = by_place.get(place)
            return (place, idx) if idx is not None else None
        n = len(place.proj) if self.is_movable(place) else self.movable_len(place)
        for k in range(n, -1, -1):
            prefix = place.prefix(k)
            idx = by_place.get(prefix)
            if idx is not None:
                return prefix, idx
        return None

    def check_use(self, p: int, place: Place, action: str, span: Span, state: int) -> None:
        if not state:
            return
        found = self.closest_path(place)
        if found is None:
            return
        prefix, mpi = found
        if state >> mpi & 1:
            self.report(p, action, prefix, place, span, mpi)
            return
        exact = self.data.by_place.get(place)
        if exact is None and len(prefix.proj) < len(place.proj) and \
                place.proj[len(prefix.proj)].kind == "index" and \
                isinstance(self.ty_of(prefix), t.Array):
            # `arr[i]` after `let [a, b] = arr;` moved an element: any of them may be `i`
            # (rustc reports a use of `arr`, borrowed or not).
            exact, place, action = mpi, prefix, "use"
        if exact is not None and state & self.data.desc[exact]:
            for child in self.descendants(exact):
                if state >> child & 1:
                    self.report(p, action, place, place, span, child)
                    return

    def descendants(self, path: int) -> list[int]:
        """Proper descendants of `path`, depth first, the most recently created child first
        (the order rustc's move paths are searched in)."""
        data = self.data
        children: dict[int, list[int]] = {}
        for child in df.bits(data.desc[path] & ~(1 << path)):
            children.setdefault(data.parent[child], []).append(child)
        out: list[int] = []
        stack = list(children.get(path, ()))
        while stack:
            child = stack.pop()
            out.append(child)
            stack.extend(children.get(child, ()))
        return out

    def check_assigned(self, p: int, dest: Place, span: Span, state: int) -> None:
        """Assigning `P.f` needs `P` initialised; assigning `*P` needs `P` initialised."""
        if not dest.proj or not state:
            return
        for n in range(len(dest.proj) - 1, -1, -1):
            elem = dest.proj[n]
            base = dest.prefix(n)
            if elem.kind == "deref":
                found = self.closest_path(base)
                if found is not None and state >> found[1] & 1:
                    self.report(p, "use", found[0], base, span, found[1])
                return
            if elem.kind in ("index", "elem", "subslice") and \
                    isinstance(self.ty_of(base), t.Array):
                # `arr[0] = ..` needs all of `arr` (after `let [a, b] = arr;` it is E0382).
                self.check_use(p, base, "use", span, state)
                return
            if elem.kind == "field":
                base_ty = self.ty_of(base)
                if isinstance(base_ty, (t.Adt, t.Tuple)):
                    shortest: tuple[Place, int] | None = None
                    for k in range(self.movable_len(base), -1, -1):
                        pre = base.prefix(k)
                        idx = self.data.by_place.get(pre)
                        if idx is not None and state >> idx & 1:
                            shortest = (pre, idx)
                    if shortest is not None:
                        self.report(p, "assign_part", shortest[0], base, span, shortest[1])
                        return

    def check_reassign(self, p: int, stmt: mir.Assign) -> None:
        local = stmt.dest.local
        decl = self.body.locals[local]
        if decl.mutable or decl.kind in ("temp", "return", "upvar"):
            return  # an upvar's mutability is the loan checker's (E0594)
        sites = self.ever_init(p) & self.data.local_inits.get(local, 0)
        if not sites:
            return
        first = self.data.inits[df.bits(sites)[0]]
        name = decl.name or "value"
        is_arg = decl.kind in ("param", "self")
        fixes: tuple[d.Fix, ...] = ()
        help_: tuple[str, ...] = ()
        if decl.name_span is not None:
            help_ = ("consider making this binding mutable",)
            at = decl.name_span.start
            fixes = (d.Fix("consider making this binding mutable: `mut " + name + "`",
                           (d.Edit(Span(at, at), "mut "),)),)
        span = stmt.target_span or stmt.span
        if is_arg:
            self.diags.append(d.error(
                "E0384", f"cannot assign to immutable argument `{name}`", span,
                "cannot assign to immutable argument", help=help_, fixes=fixes))
            return
        labels: tuple[d.Label, ...] = ()
        if first.span != stmt.span:
            labels = (d.Label(first.span, f"first assignment to `{name}`"),)
        if decl.destructured and decl.name_span is not None:
            text = "to modify the original value, take a borrow instead"
            at = decl.name_span.start
            help_ = (*help_, text)
            fixes = (*fixes, d.Fix(text, (d.Edit(Span(at, at), "ref mut "),)))
        self.diags.append(d.error(
            "E0384", f"cannot assign twice to immutable variable `{name}`", span,
            "cannot assign twice to immutable variable", labels=labels, help=help_,
            fixes=fixes))

    # ------------------------------------------------------------ E0382 / E0381

    def report(self, p: int, action: str, moved: Place, used: Place, span: Span,
               mpi: int) -> None:
        sites, _ = self.find_moves(p, mpi)
        if not sites:
            self.report_uninit(p, action, moved, used, span, mpi)
            return
        key = frozenset(s for s, _ in sites)
        previous = self.reported_moves.get(key)
        if previous is not None:
            reported_place, index = previous
            if _is_prefix(used, reported_place):
                return
            self.diags[index] = self.moved_diag(p, action, moved, used, span, sites)
            self.reported_moves[key] = (used, index)
            return
        self.reported_moves[key] = (used, len(self.diags))
        self.diags.append(self.moved_diag(p, action, moved, used, span, sites))

    def find_moves(self, p: int, mpi: int) -> tuple[list[tuple[int, bool]], bool]:
        """Move sites of `mpi` or its parents that reach `p` (rustc's get_moved_indexes):
        (move index, reached through a loop back edge), and whether the entry is reached."""
        data = self.data
        mpis = {mpi}
        parent = data.parent[mpi]
        while parent >= 0:
            mpis.add(parent)
            parent = data.parent[parent]
        body = self.body
        reachable = body.reachable
        result: list[tuple[int, bool]] = []
        visited: set[int] = set()
        stack: list[int] = []
        back_stack: list[int] = []
        for q in body.pred[p]:
            (back_stack if (q, p) in body.back_edges else stack).append(q)
        reached_start = p == 0

        def visit(q: int, back: bool) -> bool:
            if q in visited or not reachable >> q & 1:
                return True
            visited.add(q)
            if not isinstance(body.points[q], mir.StorageDead):
                for m in data.moves_at.get(q, ()):
                    if data.moves[m].path in mpis:
                        result.append((m, back))
                        return True
            return any(path in mpis for path in data.inits_at.get(q, ()))

        while stack:
            q = stack.pop()
            if visit(q, False):
                continue
            preds = body.pred[q]
            if q == 0:
                reached_start = True
            for r in preds:
                (back_stack if (r, q) in body.back_edges else stack).append(r)
        is_argument = any(data.by_place.get(Place(m)) in mpis for m in body.params)
        if (is_argument or not reached_start) and not result:
            while back_stack:
                q = back_stack.pop()
                if visit(q, True):
                    continue
                back_stack.extend(body.pred[q])
        return result, reached_start

    def moved_diag(self, p: int, action: str, moved: Place, used: Place, span: Span,
                   sites: list[tuple[int, bool]]) -> d.Diagnostic:
        body = self.body
        data = self.data
        partial = any(
            data.places[data.moves[m].path] != used and
            _is_prefix(used, data.places[data.moves[m].path]) for m, _ in sites)
        partially = "partially " if partial else ""
        noun = {"use": "use", "borrow": "borrow", "assign_part": "assign to part"}[action]
        verb = {"use": "used", "borrow": "borrowed", "assign_part": "partially assigned"}[action]
        name = describe(body, moved)
        message = f"{noun} of {partially}moved value" + (f": `{name}`" if name else "")
        labels: list[d.Label] = []
        is_loop_move = False
        primary_label: str | None = None
        call_notes: list[str] = []
        for m, back in sites:
            site = data.moves[m]
            op = site.op
            loop = site.point == p or back
            loop_msg = ", in previous iteration of loop" if loop else ""
            moved_name = quoted(body, data.places[site.path])
            if op.how == "method" and op.via is not None:
                label_span = op.via
                text = f"{moved_name} {partially}moved due to this method call{loop_msg}"
            elif op.how == "operator" and op.via is not None:
                label_span = op.via
                text = f"{moved_name} {partially}moved due to usage in operator{loop_msg}"
            elif op.how == "into_iter":
                label_span = op.span
                text = (f"{moved_name} {partially}moved due to this implicit call to "
                        f"`.into_iter()`{loop_msg}")
            elif op.how == "closure":
                label_span = op.span
                text = f"value moved into closure here{loop_msg}"
                if op.via is not None:
                    labels.append(d.Label(op.via, f"variable moved due to use in closure"
                                                  f"{loop_msg}"))
            elif op.how == "call" and op.via is not None:
                label_span = op.via
                text = f"{moved_name} moved due to this call{loop_msg}"
                call_notes = fn_once_notes(op)
            else:
                label_span = op.span
                text = f"value {partially}moved here{loop_msg}"
            if site.point == p:
                is_loop_move = True
            moved_ty = self.ty_of(data.places[site.path])
            if op.how == "method" and op.via_name != "branch" and isinstance(
                    moved_ty, t.Adt) and moved_ty.name in ("Option", "Result"):
                labels.append(d.Label(op.span, "help: consider calling `.as_ref()` or "
                                               "`.as_mut()` to borrow the type's contents"))
            if label_span == span and primary_label is None:
                primary_label = text
            else:
                labels.append(d.Label(label_span, text))
        if primary_label is None and not is_loop_move:
            # rustc labels the use only when it is not the move itself (a move in a loop
            # whose label sits beside it: `r?` moves `r` through `branch`).
            primary_label = f"value {verb} here after {'partial ' if partial else ''}move"
        # rustc points at the loop only when it suggests something about the moved
        # expression, not for a pattern binding (it suggests `ref` instead).
        first_how = data.moves[sites[0][0]].op.how
        if is_loop_move and first_how not in ("pattern", "pattern_deref"):
            loop_span = self.loop_span_of(p)
            if loop_span is not None:
                labels.append(d.Label(loop_span, "inside of this loop"))
        first = data.moves[sites[0][0]]
        first_place = data.places[first.path]
        ty = self.ty_of(first_place)
        note_place = quoted(body, first_place)
        note = (f"{'partial ' if partial else ''}move occurs because {note_place} has type "
                f"`{ty}`, which does not implement the `Copy` trait")
        notes: list[str] = []
        decl = body.locals[first_place.local]
        if isinstance(ty, t.Closure):
            pass  # rustc explains a moved closure by its `FnOnce` call instead
        elif first_place.is_local and decl.span is not None and decl.kind != "upvar":
            labels.insert(0, d.Label(decl.span, note))
        else:
            notes.append(note)
        help_: list[str] = []
        fixes: list[d.Fix] = []
        self.move_suggestions(first, ty, notes, help_, fixes, partial)
        notes.extend(call_notes)
        return d.error("E0382", message, span, primary_label, labels=tuple(labels),
                       notes=tuple(notes), help=tuple(help_), fixes=tuple(fixes))

    def move_suggestions(self, site: MoveSite, ty: t.Ty, notes: list[str], help_: list[str],
                         fixes: list[d.Fix], partial: bool) -> None:
        op = site.op
        name = quoted(self.body, self.data.places[site.path])
        clone = traits.is_clone(ty, self.env, traits.fn_assumptions(self.env, self.fn))
        if op.how == "into_iter":
            notes.append(f"`into_iter` takes ownership of the receiver `self`, which moves "
                         f"{name}")
            if isinstance(ty, (t.Adt, t.Array)) and not (isinstance(ty, t.Adt)
                                                       and ty.name in ("Iter", "Range")):
                text = (f"consider iterating over a slice of the `{ty}`'s content to avoid "
                        "moving into the `for` loop")
                help_.append(text)
                fixes.append(d.Fix(text, (d.Edit(Span(op.span.start, op.span.start), "&"),)))
            return
        if op.how == "operator":
            notes.append("calling this operator moves the left-hand side")
        if op.how == "closure":
            if clone:
                help_.append("consider cloning the value before moving it into the closure")
            return
        if op.how == "call":
            return
        if op.how == "update":
            return
        if op.how == "method":
            if op.via_name:
                notes.append(f"`{op.via_name}` takes ownership of the receiver `self`, which "
                             f"moves {name}")
            if clone:
                text = ("you can `clone` the value and consume it, but this might not be your "
                        "desired behavior")
                help_.append(text)
                fixes.append(d.Fix(text, (d.Edit(Span(op.span.end, op.span.end), ".clone()"),)))
            return
        if op.how in ("pattern", "pattern_deref"):
            text = "borrow this binding in the pattern to avoid moving the value"
            help_.append(text)
            fixes.append(d.Fix(text, (d.Edit(Span(op.span.start, op.span.start), "ref "),)))
            return
        if partial:
            return
        if op.how == "arg" and op.via_name:
            notes.append(f"consider changing this parameter type in function `{op.via_name}` "
                         "to borrow instead if owning the value isn't necessary")
        moved = self.data.places[site.path]
        if not moved.is_local or self.body.locals[moved.local].kind == "upvar":
            return  # rustc suggests cloning only moves of whole variables of this body
        if clone:
            text = "consider cloning the value if the performance cost is acceptable"
            help_.append(text)
            fixes.append(d.Fix(text, (d.Edit(Span(op.span.end, op.span.end), ".clone()"),)))
        else:
            self.not_clone_note(ty, notes)

    def not_clone_note(self, ty: t.Ty, notes: list[str]) -> None:
        if isinstance(ty, t.Adt) and ty.name in self.env.type_names():
            notes.append(f"if `{ty}` implemented `Clone`, you could clone the value")

    def loop_span_of(self, p: int) -> Span | None:
        block = self.body.point_block[p]
        best: Span | None = None
        for info in self.body.loops:
            if block in info.body_blocks and (best is None or info.span.start >= best.start):
                best = info.span
        return best

    def report_uninit(self, p: int, action: str, moved: Place, used: Place, span: Span,
                      mpi: int) -> None:
        body = self.body
        if used.local in self.reported_uninit:
            return
        self.reported_uninit.add(used.local)
        decl = body.locals[moved.local]
        name = describe(body, moved)
        binding = f"`{name}`" if name else "the variable"
        desc = f"`{name}` " if name else ""
        inits = self.init_spans(mpi)
        if action == "assign_part":
            isnt = "isn't fully initialized"
        elif not any(not (s.start <= span.start and span.end <= s.end) for s in inits):
            isnt = "isn't initialized"
        else:
            isnt = "is possibly-uninitialized"
        used_verb = {"use": "used", "borrow": "used", "assign_part": "partially assigned"}[
            action]
        message = f"{used_verb} binding {desc}{isnt}"
        labels: list[d.Label] = []
        if decl.span is not None:
            labels.append(d.Label(decl.span, "binding declared here but left uninitialized"))
        help_: list[str] = []
        fixes: list[d.Fix] = []
        if isnt == "is possibly-uninitialized":
            conditional = self.missing_else_labels(moved.local, name or "", span)
            if conditional:
                labels.extend(conditional)
            else:
                for s in inits:
                    if s.start < span.start and not (s.start < span.end and span.start < s.end):
                        labels.append(d.Label(s, "binding initialized here in some conditions"))
        if action == "assign_part":
            help_.append("partial initialization isn't supported, fully initialize the binding "
                         "with a default value and mutate it, or use `std::mem::MaybeUninit`")
        elif isnt == "isn't initialized":
            fix = self.assign_suggestion(moved.local)
            if fix is not None:
                help_.append("consider assigning a value")
                fixes.append(fix)
        self.diags.append(d.error("E0381", message, span,
                                  f"{binding} {used_verb} here but it {isnt}",
                                  labels=tuple(labels), help=tuple(help_), fixes=tuple(fixes)))

    def init_spans(self, mpi: int) -> list[Span]:
        spans: list[Span] = []
        for p, paths in self.data.inits_at.items():
            if mpi in paths:
                stmt = self.body.points[p]
                if isinstance(stmt, (mir.Assign, mir.Call)):
                    sp = stmt.span
                    if sp not in spans:
                        spans.append(sp)
        spans.sort(key=lambda s: (s.start, s.end))
        return spans

    def let_of(self, local: int) -> ast.Let | None:
        decl = self.body.locals[local].name_span
        if decl is None or self.fn.body is None:
            return None
        for node in walk_ast(self.fn.body):
            if isinstance(node, ast.Let) and isinstance(node.pat, ast.IdentPat) and \
                    node.pat.name_span == decl:
                return node
        return None

    def assign_suggestion(self, local: int) -> d.Fix | None:
        let = self.let_of(local)
        if let is None or let.init is not None:
            return None
        value = default_value(self.body.locals[local].ty)
        if value is None:
            return None
        end = let.ty.span.end if let.ty is not None else let.pat.span.end
        return d.Fix("consider assigning a value", (d.Edit(Span(end, end), f" = {value}"),))

    def missing_else_labels(self, local: int, name: str, use: Span) -> list[d.Label]:
        """rustc's labels for `if c { x = 1; }` without an `else` before a use of `x`."""
        user = self.body.locals[local].user
        if self.fn.body is None or user is None:
            return []
        labels: list[d.Label] = []
        for node in walk_ast(self.fn.body):
            if isinstance(node, ast.If) and node.else_ is None and \
                    not isinstance(node.cond, ast.LetCond) and node.span.end <= use.start and \
                    _assigns(node.then, user, self.body):
                labels.append(d.Label(node.cond.span, f"if this `if` condition is `false`, "
                                      f"`{name}` is not initialized"))
                labels.append(d.Label(Span(node.span.end, node.span.end),
                                      f"an `else` arm might be missing here, initializing "
                                      f"`{name}`"))
        return labels

    # ------------------------------------------------------------ E0507 / E0508

    def move_error(self, op: Operand, p: int) -> None:
        """E0507/E0508: moving out of a place behind a reference or an index."""
        assert op.place is not None
        body = self.body
        place = op.place
        n = self.movable_len(place)
        pattern = op.how in ("pattern", "pattern_deref") and op.via is not None
        primary_span = op.via if pattern and op.via is not None else op.span
        key = (primary_span.start, primary_span.end)
        if key in self.reported_move_errors:
            return
        self.reported_move_errors.add(key)
        ty = self.ty_of(place)
        clone = traits.is_clone(ty, self.env, traits.fn_assumptions(self.env, self.fn))
        elem = place.proj[n] if n < len(place.proj) else None
        labels: list[d.Label] = []
        notes: list[str] = []
        help_: list[str] = []
        fixes: list[d.Fix] = []
        what = (f"`{op.via_name}`" if op.via_name else "value") if pattern else quoted(body, place)
        type_label = (f"move occurs because {what} has type `{ty}`, which does not implement "
                      "the `Copy` trait")
        borrow_fix = d.Fix("consider borrowing here",
                           (d.Edit(Span(primary_span.start, primary_span.start), "&"),))
        dropped = elem is not None and elem.kind in ("field", "variant")
        interior = self.ty_of(place.prefix(n + 1)) if elem is not None and n + 1 < len(
            place.proj) and place.proj[n + 1].kind in ("elem", "subslice") else None
        primary: str | None
        if dropped:
            message = (f"cannot move out of type `{self.ty_of(place.prefix(n))}`, which "
                       "implements the `Drop` trait")
            primary = "cannot move out of here"
            if not pattern:  # a pattern's binding gets the type label below
                # (rustc suggests borrowing only a `let` initialiser, below)
                labels.append(d.Label(primary_span, type_label))
        elif elem is not None and elem.kind == "index":
            base_ty = self.ty_of(place.prefix(n))
            message = f"cannot move out of type `{base_ty}`, a non-copy " \
                f"{'slice' if isinstance(base_ty, t.Slice) else 'array'}"
            primary = "cannot move out of here"
            labels.append(d.Label(primary_span, type_label))
            help_.append("consider borrowing here")
            fixes.append(borrow_fix)
        elif elem is not None and elem.kind == "deref" and interior is not None:
            # A slice pattern's element behind a reference (`match *xs { [a, ..] => ..`):
            # rustc names the slice (or array) it would be moved out of.
            message = f"cannot move out of type `{interior}`, a non-copy " \
                f"{'slice' if isinstance(interior, t.Slice) else 'array'}"
            primary = "cannot move out of here"
        elif n == 0 and body.locals[place.local].deref_of is not None:
            pointer = body.locals[place.local].deref_of
            message = f"cannot move out of an `{pointer.name}`" if isinstance(
                pointer, t.Adt) and pointer.name in ("Rc", "Arc") else \
                f"cannot move out of dereference of `{pointer}`"
            primary = type_label.replace(what, "value", 1) if not pattern else None
        elif n == 0 and body.locals[place.local].index_of is not None:
            message = f"cannot move out of index of `{body.locals[place.local].index_of}`"
            primary = type_label.replace(what, "value", 1) if not pattern else None
            if op.how != "method":
                help_.append("consider borrowing here")
                fixes.append(borrow_fix)
        else:
            base_ty = self.ty_of(place.prefix(n))
            kind = "mutable" if isinstance(base_ty, t.Ref) and base_ty.mutable else "shared"
            orig = place
            variant = ""
            for k in range(n, len(place.proj)):
                if place.proj[k].kind == "variant":
                    orig = place.prefix(k + 1)
                    variant = f" as enum variant `{place.proj[k].name}`"
                    break
            name = describe(body, orig, variants=True)
            if name is not None:
                message = f"cannot move out of `{name}`{variant} which is behind a {kind} reference"
            else:
                message = f"cannot move out of a {kind} reference"
            primary = type_label if not pattern else None
        if pattern:
            labels.append(d.Label(op.span, "data moved here"))
            labels.append(d.Label(op.span, type_label))
            if op.how == "pattern_deref":
                text = "consider removing the dereference here"
                help_.append(text)
                fixes.append(d.Fix(text, (d.Edit(Span(primary_span.start,
                                                      primary_span.start + 1), ""),)))
            elif dropped:
                # rustc borrows the binding (`ref name`) rather than the whole value.
                text = "consider borrowing the pattern binding"
                help_.append(text)
                fixes.append(d.Fix(text, (d.Edit(Span(op.span.start, op.span.start),
                                                 "ref "),)))
            elif not fixes:
                help_.append("consider borrowing here")
                fixes.append(borrow_fix)
        elif op.how == "let" and "consider borrowing here" not in help_:
            help_.append("consider borrowing here")
            fixes.append(borrow_fix)
        elif op.how == "method" and op.via is not None:
            labels.append(d.Label(op.via, f"{quoted(body, place)} moved due to this method call"))
            if op.via_name:
                notes.append(f"`{op.via_name}` takes ownership of the receiver `self`, which "
                             f"moves {quoted(body, place)}")
            if not clone:
                self.not_clone_note(ty, notes)
        if op.how == "deref":
            text = "consider removing the dereference here"
            help_.append(text)
            fixes.append(d.Fix(text, (d.Edit(Span(op.span.start, op.span.start + 1), ""),)))
        if clone and not pattern:
            text = "consider cloning the value if the performance cost is acceptable"
            help_.append(text)
            clone_edit = d.Edit(Span(op.span.end, op.span.end), ".clone()")
            # `*name` -> `name.clone()`: the dereference goes too.
            edits = (d.Edit(Span(op.span.start, op.span.start + 1), ""), clone_edit) \
                if op.how == "deref" else (clone_edit,)
            fixes.append(d.Fix(text, edits))
        code = "E0509" if dropped else \
            "E0508" if (elem is not None and elem.kind == "index") or interior is not None \
            else "E0507"
        self.diags.append(d.error(code, message, primary_span, primary, labels=tuple(labels),
                                  notes=tuple(notes), help=tuple(help_), fixes=tuple(fixes)))


# ---------------------------------------------------------------- helpers


def operands(stmt: mir.Statement | mir.Terminator) -> tuple[Operand, ...]:
    if isinstance(stmt, mir.Assign):
        return stmt.rv.ops
    if isinstance(stmt, mir.Call):
        return stmt.args
    return ()


def dest_of(stmt: mir.Statement | mir.Terminator) -> Place | None:
    if isinstance(stmt, (mir.Assign, mir.Call)):
        return stmt.dest
    return None


def _is_prefix(prefix: Place, place: Place) -> bool:
    return prefix.local == place.local and place.proj[:len(prefix.proj)] == prefix.proj


def _assigns(block: ast.Block, user: int, body: Body) -> bool:
    for node in walk_ast(block):
        if isinstance(node, ast.Assign) and isinstance(node.target, ast.PathExpr):
            # The target resolves to the local when its name matches the binding.
            name = body.locals[body.user_to_mir.get(user, 0)].name
            if node.target.path.names == (name,):
                return True
    return False


def fn_once_notes(op: mir.Operand) -> list[str]:
    """rustc's notes on a closure moved by calling it: what its body moves out, and that
    `FnOnce` is why the call moves it."""
    out: list[str] = []
    if op.via_name:
        out.append("closure cannot be invoked more than once because it moves the variable "
                   f"`{op.via_name}` out of its environment")
    out.append("this value implements `FnOnce`, which causes it to be moved when called")
    return out
