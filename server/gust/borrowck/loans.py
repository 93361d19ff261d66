"""Loans at NLL precision: E0499, E0502, E0503, E0505, E0506, E0597, E0515, and the
mutability checks E0596 and E0594.

Following rustc's NLL borrow checker:

1. *Liveness*: a local holding references is live where it may still be used.
2. *Regions*: every region variable contains the points where its local is live; parameter
   and return-type regions contain every point; an outlives constraint `a ⊇ b` (a value
   flowed from a type with region `a` into one with region `b`) adds `b`'s points to `a`.
   Constraints are location-insensitive, as in rustc (so NLL problem case #3 is rejected).
3. *Loans in scope*: a loan is in scope from its borrow along every path that stays inside
   its region, until the borrowed place (or the reference it was reached through) is
   overwritten or goes out of scope.
4. *Access checks*: each read, write, move, borrow and `StorageDead` is checked against the
   loans in scope whose place overlaps the accessed place (distinct fields do not overlap;
   two-phase borrows act as shared borrows until the call that activates them).

The "borrow later used here" label points at the first later use (from the conflict) of a
local whose type carries a region the loan flows into, found as rustc does.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable
from typing import Final

from gust import diagnostics as d
from gust.borrowck import captures, mir
from gust.borrowck import dataflow as df
from gust.borrowck.build import walk_ast
from gust.borrowck.describe import describe, quoted
from gust.borrowck.mir import Body, Operand, Place
from gust.borrowck.moves import MoveChecker
from gust.budget import UNLIMITED, Budget
from gust.sema import traits
from gust.sema import types as t
from gust.sema.items import ItemEnv
from gust.syntax import ast
from gust.text import Span

# place, depth, rw, kind, span, loan, and for a move into a closure the use in its body
_ACCESS = tuple[Place, str, str, str, Span, int, Span | None]


# Why a Go method call borrows its receiver mutably (`client.Do(req)`, `cookie.String()`).
_GO_POINTER_NOTE: Final = ("methods of Go types with a pointer receiver (such as `func (c *Client) "
                    "Do`) take `&mut self` in Gust: Go may change the value they are called "
                    "on")


class LoanChecker:
    """`run` computes liveness, region values and loan scopes, then checks every access
    of every reachable point (moves' `ever_init` decides which mutability errors count)."""

    def __init__(self, env: ItemEnv, body: Body, fn: ast.FnDecl, order: list[int],
                 moves: MoveChecker, place_ty: Callable[[Place], t.Ty],
                 budget: Budget = UNLIMITED) -> None:
        self.env = env
        # Polled in the loops over loans and points (quadratic in a long function full of
        # borrows) and by the dataflow (gust.budget): raises `OutOfTime`.
        self.budget = budget
        self.body = body
        self.fn = fn
        self.order = order
        self.moves = moves
        self._place_ty = place_ty
        self.diags: list[d.Diagnostic] = []
        self.reported: set[tuple[Place, Span]] = set()
        self.reservation_errors: set[Place] = set()
        n = len(body.points)
        self.all_points = (1 << n) - 1
        self.live_points: dict[int, int] = {}
        self.adj: list[list[int]] = [[] for _ in range(body.num_regions)]
        for sup, sub in body.outlives:
            self.adj[sup].append(sub)
        self._values: dict[int, int] = {}
        self.in_scope: list[int] = [0] * len(body.loans)

    def place_ty(self, place: Place) -> t.Ty:
        return self._place_ty(place)

    # ------------------------------------------------------------ liveness and regions

    def outlives_free(self) -> set[int]:
        """Regions that outlive a parameter or return region: they contain every point."""
        body = self.body
        rev: list[list[int]] = [[] for _ in range(body.num_regions)]
        for sup, sub in body.outlives:
            rev[sub].append(sup)
        seen = set(body.universal)
        stack = list(seen)
        while stack:
            r = stack.pop()
            for s in rev[r]:
                if s not in seen:
                    seen.add(s)
                    stack.append(s)
        return seen

    def liveness(self) -> None:
        body = self.body
        if not body.loans:
            return
        # As in rustc, a local whose regions all outlive a free region needs no liveness:
        # its regions contain every point already (this also decides which regions count
        # as "live" when explaining a conflict).
        free = self.outlives_free()
        relevant = [i for i, lc in enumerate(body.locals) if lc.rty.kind != "leaf"
                    and not all(r in free for r in lc.rty.regions())]
        if not relevant:
            return
        bit = {local: 1 << i for i, local in enumerate(relevant)}
        n = len(body.points)
        use = [0] * n
        define = [0] * n
        point_uses = body.point_uses
        point_def = body.point_def
        for p in range(n):
            u = 0
            for local in point_uses[p]:
                u |= bit.get(local, 0)
            use[p] = u
            dl = point_def[p]
            if dl >= 0:
                define[p] = bit.get(dl, 0) & ~u
        live = df.backward(body, use, define, self.budget)
        pts = [0] * len(relevant)
        poll = self.budget.poll
        for p in range(n):
            poll()
            m = live[p]
            while m:
                low = m & -m
                pts[low.bit_length() - 1] |= 1 << p
                m ^= low
        self.live_points = {local: pts[i] for i, local in enumerate(relevant)}

    def base(self, region: int) -> int:
        if region in self.body.universal:
            return self.all_points
        owner = self.body.region_owner[region]
        return self.live_points.get(owner, 0) if owner >= 0 else 0

    def value(self, region: int) -> int:
        """The points region `region` contains (its own and those of regions it outlives)."""
        cached = self._values.get(region)
        if cached is not None:
            return cached
        seen = {region}
        stack = [region]
        total = 0
        while stack:
            r = stack.pop()
            total |= self.base(r)
            for s in self.adj[r]:
                if s not in seen:
                    seen.add(s)
                    stack.append(s)
        self._values[region] = total
        return total

    def reaches(self, region: int, targets: set[int]) -> bool:
        seen = {region}
        stack = [region]
        while stack:
            r = stack.pop()
            if r in targets:
                return True
            for s in self.adj[r]:
                if s not in seen:
                    seen.add(s)
                    stack.append(s)
        return False

    # ------------------------------------------------------------ loans in scope

    def ignored(self, loan: mir.Loan) -> bool:
        """rustc does not track borrows through a shared reference: nothing can invalidate
        them that would not also invalidate the reference."""
        place = loan.place
        for n, p in enumerate(place.proj):
            if p.kind == "deref":
                ty = self.place_ty(place.prefix(n))
                if isinstance(ty, t.Ref) and not ty.mutable:
                    return True
        return False

    def kills(self, p: int, loan: mir.Loan) -> bool:
        stmt = self.body.points[p]
        if isinstance(stmt, mir.StorageDead):
            return stmt.local == loan.place.local
        dest = dest_place(stmt)
        if dest is None or dest.local != loan.place.local:
            return False
        if dest.is_local:
            return True
        return places_conflict(self, loan.place, dest, "deep", no_overlap=True)

    def scopes(self) -> None:
        body = self.body
        reachable = body.reachable
        poll = self.budget.poll
        for loan in body.loans:
            if loan.point < 0 or not reachable >> loan.point & 1 or self.ignored(loan):
                continue
            region = self.value(loan.region) | (1 << loan.point)
            scope = 0
            stack = list(body.succ[loan.point])
            while stack:
                poll()
                q = stack.pop()
                if scope >> q & 1 or not region >> q & 1:
                    continue
                scope |= 1 << q
                if self.kills(q, loan):
                    continue
                stack.extend(body.succ[q])
            self.in_scope[loan.id] = scope

    # ------------------------------------------------------------ access checks

    def run(self) -> None:
        self.liveness()
        self.scopes()
        body = self.body
        scope_at: list[list[mir.Loan]] = [[] for _ in body.points]
        poll = self.budget.poll
        for loan in body.loans:
            poll()
            for q in df.bits(self.in_scope[loan.id]):
                scope_at[q].append(loan)
        for p in self.order:
            poll()
            stmt = body.points[p]
            in_scope = scope_at[p]
            if not in_scope and not self.may_need_permission(stmt):
                continue
            for access in self.accesses(stmt):
                self.access(p, access, in_scope)

    def may_need_permission(self, stmt: mir.Statement | mir.Terminator) -> bool:
        if isinstance(stmt, mir.Assign):
            if stmt.rv.kind == "ref":
                return self.body.loans[stmt.rv.loan].mutable
            return stmt.user and (not stmt.dest.is_local or
                                  self.body.locals[stmt.dest.local].kind == "upvar")
        return False

    def accesses(self, stmt: mir.Statement | mir.Terminator) -> list[_ACCESS]:
        out: list[_ACCESS] = []
        body = self.body
        if isinstance(stmt, mir.Assign):
            rv = stmt.rv
            if rv.kind == "ref" and rv.place is not None:
                loan = body.loans[rv.loan]
                if not loan.mutable:
                    out.append((rv.place, "deep", "read", "borrow", loan.span, loan.id, None))
                elif loan.two_phase:
                    out.append((rv.place, "deep", "reservation", "mutborrow", loan.span,
                                loan.id, None))
                else:
                    out.append((rv.place, "deep", "write", "mutborrow", loan.span, loan.id,
                                None))
            elif rv.kind == "discr" and rv.place is not None:
                out.append((rv.place, "shallow", "read", "copy", stmt.span, -1, None))
            elif rv.kind == "len" and rv.place is not None:
                out.append((rv.place, "length", "read", "copy", stmt.span, -1, None))
            else:
                out.extend(self.operand_accesses(rv.ops))
            # Only user assignments can overwrite borrowed data: other destinations are
            # fresh temporaries and bindings.
            if stmt.user:
                span = stmt.target_span or stmt.span
                out.append((stmt.dest, "shallow", "write", "assign", span, -1, None))
        elif isinstance(stmt, mir.Call):
            out.extend(self.operand_accesses(stmt.args))
            for loan_id in stmt.activates:
                loan = body.loans[loan_id]
                out.append((loan.place, "deep", "activation", "mutborrow", stmt.span, loan_id,
                            None))
        elif isinstance(stmt, mir.StorageDead):
            decl = body.locals[stmt.local]
            if decl.user is not None or decl.rvalue_of is not None:
                out.append((Place(stmt.local), "shallow", "write", "storagedead", stmt.span, -1,
                            None))
        return out

    def operand_accesses(self, ops: tuple[Operand, ...]) -> list[_ACCESS]:
        out: list[_ACCESS] = []
        for op in ops:
            if op.place is None:
                continue
            via = op.via if op.how == "closure" else None
            if op.mode == "move":
                out.append((op.place, "deep", "write", "move", op.span, -1, via))
            else:
                out.append((op.place, "deep", "read", "copy", op.span, -1, via))
        return out

    def access(self, p: int, access: _ACCESS, in_scope: list[mir.Loan]) -> None:
        place, _depth, rw, kind, span, _loan_id, _via = access
        if rw == "activation" and place in self.reservation_errors:
            return
        if (place, span) in self.reported:
            return
        error = False
        if kind == "mutborrow" and rw != "activation":
            error = self.check_mutability(p, place, "borrow", span)
        elif kind == "assign" and (not place.is_local or
                                   self.body.locals[place.local].kind == "upvar"):
            error = self.check_mutability(p, place, "assign", span)
        error = self.check_conflicts(p, access, in_scope) or error
        if error:
            self.reported.add((place, span))
            if rw == "reservation":
                self.reservation_errors.add(place)

    def is_active(self, loan: mir.Loan, p: int) -> bool:
        if not loan.two_phase:
            return True
        if loan.activation < 0:
            return False
        return loan.id not in self.body.reserved_at.get(p, ())

    def check_conflicts(self, p: int, access: _ACCESS, in_scope: list[mir.Loan]) -> bool:
        place, depth, rw, kind, span, loan_id, via = access
        poll = self.budget.poll
        for loan in in_scope:
            poll()
            if rw == "activation" and loan.id == loan_id:
                continue
            if not places_conflict(self, loan.place, place, depth):
                continue
            if rw == "read":
                if not loan.mutable:
                    continue
                # Operands are read before the call that activates a two-phase borrow.
                if not self.is_active(loan, p) or loan.activation == p:
                    continue
                self.report_read(p, place, kind, span, loan, loan_id)
                return True
            if rw == "reservation" and not loan.mutable:
                continue
            self.report_write(p, place, kind, span, loan, loan_id, via)
            return True
        return False

    # ------------------------------------------------------------ explanations

    def live_region_at(self, start: int, p: int, skip: int = -1) -> int:
        """rustc's `find_sub_region_live_at`: breadth-first over the outlives constraints
        from `start`, the first region live at `p` (a loan's own region is live only where
        it is created)."""
        body = self.body
        seen = {start}
        queue = deque([start])
        while queue:
            r = queue.popleft()
            if r != skip:
                owner = body.region_owner[r]
                if r in body.universal or (owner >= 0 and self.live_points.get(owner, 0) >> p & 1):
                    return r
            for s in self.adj[r]:
                if s not in seen:
                    seen.add(s)
                    queue.append(s)
        return -1

    def later_use(self, loan: mir.Loan, p: int) -> tuple[str, Span, bool, int] | None:
        """(kind, span, in a later loop iteration, local): the use of `local` that keeps
        `loan` alive at `p`. kind is "use", "call" or "return"."""
        body = self.body
        start = p
        later = False
        if p == loan.point:
            # The loan conflicts with itself: it is live around a loop. Look for the use
            # from the head of the loop, as rustc does.
            head = self.loop_head(loan)
            if head is None:
                return None
            start = head
            later = True
        region_sub = self.live_region_at(loan.region, start, skip=loan.region)
        if region_sub < 0:
            return None
        owner = body.region_owner[region_sub]
        if region_sub in body.universal:
            if region_sub not in body.return_universal:
                return None
            span = self.return_span(loan)
            return ("return", span, False, 0) if span is not None else None
        value = self.value(region_sub)
        visited: set[int] = set()
        queue2 = deque([start])
        while queue2:
            q = queue2.popleft()
            if not value >> q & 1 or q in visited:
                continue
            visited.add(q)
            stmt = body.points[q]
            if owner in body.point_uses[q]:
                if isinstance(stmt, mir.Call) and any(
                        op.place is not None and op.place.local == owner for op in stmt.args):
                    if stmt.overloaded:
                        return "use", stmt.fn_span, later, owner
                    return "call", stmt.fn_span, later, owner
                return "use", stmt_span(stmt), later, owner
            if body.point_def[q] == owner:
                continue
            queue2.extend(body.succ[q])
        return None

    def loop_head(self, loan: mir.Loan) -> int | None:
        value = self.value(loan.region)
        heads = sorted(self.body.block_start[info.header] for info in self.body.loops)
        for h in heads:
            if value >> h & 1:
                return h
        return None

    def return_span(self, loan: mir.Loan) -> Span | None:
        """The returned expression that carries `loan` into the return value."""
        body = self.body
        holders: set[int] = set()
        seen = {loan.region}
        stack = [loan.region]
        while stack:
            r = stack.pop()
            holders.add(body.region_owner[r])
            for s in self.adj[r]:
                if s not in seen:
                    seen.add(s)
                    stack.append(s)
        first: Span | None = None
        for q in self.order:
            stmt = body.points[q]
            if isinstance(stmt, (mir.Assign, mir.Call)) and stmt.dest.local == 0:
                if first is None:
                    first = stmt.span
                if isinstance(stmt, mir.Assign) and stmt.rv.loan == loan.id:
                    return stmt.span
                if holders.intersection(body.point_uses[q]):
                    return stmt.span
        return first

    def elided_lifetime_span(self) -> Span | None:
        """The `&` of the input reference whose lifetime the returned reference has."""
        fn = self.fn
        if fn.self_param is not None and fn.self_param.by_ref:
            return Span(fn.self_param.span.start, fn.self_param.span.start + 1)
        for param in fn.params:
            if isinstance(param.ty, ast.RefType):
                return Span(param.ty.span.start, param.ty.span.start + 1)
        return None

    def explanation(self, loan: mir.Loan, p: int, prefix: str) -> list[d.Label]:
        found = self.later_use(loan, p)
        if found is None:
            return []
        kind, span, later, _ = found
        if kind == "return":
            name = describe(self.body, loan.place)
            what = f"`{name}`" if name else "it"
            labels = []
            sig = self.elided_lifetime_span()
            if sig is not None:
                labels.append(d.Label(sig, "let's call the lifetime of this reference `'1`"))
            labels.append(d.Label(span, f"returning this value requires that {what} is "
                                        "borrowed for `'1`"))
            return labels
        if later:
            text = "borrow used by call, in later iteration of loop" if kind == "call" else \
                "borrow used here, in later iteration of loop"
        else:
            text = "borrow later used by call" if kind == "call" else "borrow later used here"
        return [d.Label(span, prefix + text)]

    # ------------------------------------------------------------ reports

    def split_help(self, loan: mir.Loan, new_loan: int) -> tuple[str, ...]:
        """Two borrows of elements of the same `Vec`: rustc points at `split_at_mut`."""
        if new_loan < 0:
            return ()
        other = self.body.loans[new_loan]
        a, b = loan.place, other.place
        both_builtin = bool(a.proj) and bool(b.proj) and a.proj[-1] == mir.INDEX and \
            b.proj[-1] == mir.INDEX and a.proj[:-1] == b.proj[:-1] and a.local == b.local
        if (loan.kind == "index" and other.kind == "index" and a == b) or both_builtin:
            return ("use `.split_at_mut(position)` to obtain two mutable non-overlapping "
                    "sub-slices",)
        return ()

    def in_closure(self, loan: mir.Loan, new_loan: int, desc: str) -> list[d.Label]:
        """rustc's "first/second borrow occurs due to use of `x` in closure" labels."""
        labels: list[d.Label] = []
        if loan.kind == "closure" and loan.capture_use is not None:
            labels.append(d.Label(loan.capture_use,
                                  f"first borrow occurs due to use of {desc} in closure"))
        other = self.body.loans[new_loan] if new_loan >= 0 else None
        if other is not None and other.kind == "closure" and other.capture_use is not None:
            labels.append(d.Label(other.capture_use,
                                  f"second borrow occurs due to use of {desc} in closure"))
        return labels

    def unique_closure_borrow(self, loan: mir.Loan) -> bool:
        """A closure that mutates through a `&mut` reference it captures holds a *unique*
        borrow of the place behind it (rustc reports conflicts with it as E0501). Inside a
        closure body, the deref of a by-reference upvar is the capture itself (the
        variable of the enclosing function), not such a reference."""
        if loan.kind != "closure" or not loan.mutable:
            return False
        proj = loan.place.proj
        if proj[:1] == (mir.DEREF,) and self.body.locals[loan.place.local].upvar_ref:
            proj = proj[1:]
        return mir.DEREF in proj

    def report_unique(self, p: int, place: Place, how: str, span: Span,
                      loan: mir.Loan) -> None:
        desc = quoted(self.body, place)
        labels = [d.Label(loan.span, "closure construction occurs here")]
        if loan.capture_use is not None:
            labels.append(d.Label(loan.capture_use, "first borrow occurs due to use of "
                                  f"{quoted(self.body, loan.place)} in closure"))
        labels += self.explanation(loan, p, "first ")
        self.diags.append(d.error(
            "E0501", f"cannot borrow {desc} as {how} because previous closure requires unique "
            "access", span, "second borrow occurs here", labels=tuple(labels)))

    def report_read(self, p: int, place: Place, kind: str, span: Span, loan: mir.Loan,
                    new_loan: int) -> None:
        body = self.body
        if kind == "borrow" and self.unique_closure_borrow(loan):
            self.report_unique(p, place, "immutable", span, loan)
            return
        if kind == "borrow":
            desc = quoted(body, place)
            labels = [d.Label(loan.span, "mutable borrow occurs here")]
            labels += self.in_closure(loan, new_loan, desc)
            labels += self.explanation(loan, p, "mutable ")
            self.diags.append(d.error(
                "E0502", f"cannot borrow {desc} as immutable because it is also borrowed as "
                "mutable", span, "immutable borrow occurs here", labels=tuple(labels),
                help=self.split_help(loan, new_loan)))
            return
        desc = quoted(body, place)
        borrowed = quoted(body, loan.place)
        labels = [d.Label(loan.span, f"{borrowed} is borrowed here")]
        labels += self.explanation(loan, p, "")
        self.diags.append(d.error("E0503", f"cannot use {desc} because it was mutably borrowed",
                                  span, f"use of borrowed {borrowed}", labels=tuple(labels)))

    def report_write(self, p: int, place: Place, kind: str, span: Span, loan: mir.Loan,
                     new_loan: int, via: Span | None = None) -> None:
        body = self.body
        desc = quoted(body, place)
        if kind == "mutborrow":
            if loan.mutable and self.unique_closure_borrow(loan) and loan.span != span:
                self.report_unique(p, place, "mutable", span, loan)
                return
            if loan.mutable:
                if loan.span == span:
                    labels = self.explanation(loan, p, "first ")
                    self.diags.append(d.error(
                        "E0499", f"cannot borrow {desc} as mutable more than once at a time",
                        span, f"{desc} was mutably borrowed here in the previous iteration of "
                        "the loop", labels=tuple(labels)))
                    return
                labels = [d.Label(loan.span, "first mutable borrow occurs here")]
                labels += self.in_closure(loan, new_loan, desc)
                labels += self.explanation(loan, p, "first ")
                primary = "second mutable borrow occurs here"
                self.diags.append(d.error(
                    "E0499", f"cannot borrow {desc} as mutable more than once at a time", span,
                    primary, labels=tuple(labels), help=self.split_help(loan, new_loan)))
                return
            labels = [d.Label(loan.span, "immutable borrow occurs here")]
            labels += self.in_closure(loan, new_loan, desc)
            labels += self.explanation(loan, p, "immutable ")
            self.diags.append(d.error(
                "E0502", f"cannot borrow {desc} as mutable because it is also borrowed as "
                "immutable", span, "mutable borrow occurs here", labels=tuple(labels),
                help=self.split_help(loan, new_loan)))
            return
        if kind == "move":
            borrowed = quoted(body, loan.place)
            labels = []
            root = body.locals[loan.place.local]
            if root.user is not None and root.span is not None and root.name:
                labels.append(d.Label(root.span, f"binding `{root.name}` declared here"))
            labels.append(d.Label(loan.span, f"borrow of {borrowed} occurs here"))
            if loan.kind == "closure" and loan.capture_use is not None:
                labels.append(d.Label(loan.capture_use, "borrow occurs due to use in closure"))
            if via is not None:
                labels.append(d.Label(via, "move occurs due to use in closure"))
            labels += self.explanation(loan, p, "")
            help_: tuple[str, ...] = ()
            fixes: tuple[d.Fix, ...] = ()
            notes: tuple[str, ...] = ()
            bty = self.place_ty(loan.place)
            if loan.kind == "explicit" and traits.is_clone(bty, self.env, traits.fn_assumptions(self.env, self.fn)):
                text = "consider cloning the value if the performance cost is acceptable"
                help_ = (text,)
                fixes = (d.Fix(text, (d.Edit(Span(loan.span.end, loan.span.end), ".clone()"),)),)
            elif isinstance(bty, t.Adt) and bty.name in self.env.type_names() and \
                    not traits.is_clone(bty, self.env, traits.fn_assumptions(self.env, self.fn)):
                notes = (f"if `{bty}` implemented `Clone`, you could clone the value",)
            self.diags.append(d.error(
                "E0505", f"cannot move out of {desc} because it is borrowed", span,
                f"move out of {desc} occurs here", labels=tuple(labels), notes=notes,
                help=help_, fixes=fixes))
            return
        if kind == "assign":
            labels = [d.Label(loan.span, f"{desc} is borrowed here")]
            if loan.kind == "closure" and loan.capture_use is not None:
                labels.append(d.Label(loan.capture_use, "borrow occurs due to use in closure"))
            labels += self.explanation(loan, p, "")
            self.diags.append(d.error(
                "E0506", f"cannot assign to {desc} because it is borrowed", span,
                f"{desc} is assigned to here but it was already borrowed",
                labels=tuple(labels)))
            return
        if kind == "storagedead":
            self.report_dead(p, place, span, loan)

    def report_dead(self, p: int, place: Place, span: Span, loan: mir.Loan) -> None:
        body = self.body
        key = (Place(place.local), loan.span)
        if key in self.reported:
            return
        self.reported.add(key)
        local = body.locals[place.local]
        if local.rvalue_of is not None:
            self.report_dropped_temporary(p, local.rvalue_of, span, loan)
            return
        name = local.name or "value"
        returned = set(body.locals[0].rty.regions())
        if loan.kind == "closure" and body.spawned and self.reaches(loan.region, body.spawned):
            return  # given to `thread::spawn`: E0373 was reported while lowering
        if loan.kind == "closure" and returned and self.reaches(loan.region, returned):
            # A closure that outlives the function: rustc's E0373, not E0515.
            self.diags.append(captures.may_outlive(name, loan.span, loan.closure_start,
                                                   loan.capture_use, True))
            return
        if returned and self.reaches(loan.region, returned):
            ret = self.return_span(loan)
            what = "function parameter" if local.kind in ("param", "self") else \
                "local variable"
            direct = ret is not None and ret == loan.span
            if direct:
                self.diags.append(d.error(
                    "E0515", f"cannot return reference to {what} `{name}`", loan.span,
                    "returns a reference to data owned by the current function"))
                return
            self.diags.append(d.error(
                "E0515", f"cannot return value referencing {what} `{name}`",
                ret if ret is not None else loan.span,
                "returns a value referencing data owned by the current function",
                labels=(d.Label(loan.span, f"`{name}` is borrowed here"),)))
            return
        labels: list[d.Label] = []
        if local.span is not None:
            labels.append(d.Label(local.span, f"binding `{name}` declared here"))
        primary = loan.span
        if loan.kind == "closure" and loan.capture_use is not None:
            # rustc points at the captured variable's use in the closure.
            primary = loan.capture_use
            labels.append(d.Label(loan.span, "value captured here"))
        labels.append(d.Label(span, f"`{name}` dropped here while still borrowed"))
        labels += self.explanation(loan, p, "")
        notes: tuple[str, ...] = ()
        for site, (at, (written, meant)) in body.static_sites.items():
            if self.reaches(loan.region, {site}):
                labels.append(d.Label(at, f"coercion requires that `{name}` is borrowed for "
                                          "`'static`"))
                notes = (f"due to object lifetime defaults, `{written}` actually means "
                         f"`{meant}`",)
                break
        for site, (at, bound) in body.thread_sites.items():
            if self.reaches(loan.region, {site}):
                labels.append(d.Label(at, f"argument requires that `{name}` is borrowed for "
                                          f"`{bound}`"))
                break
        help_: tuple[str, ...] = ()
        found = self.later_use(loan, p)
        if found is not None and found[3] > 0:
            holder = body.locals[found[3]]
            hty = holder.ty
            if holder.user is not None and holder.span is not None and isinstance(hty, t.Adt) \
                    and hty.name == "Vec" and hty.args and isinstance(hty.args[0], t.Ref):
                labels.append(d.Label(holder.span, f"variable `{holder.name}` declared here"))
                notes = (f"`{holder.name}` is a collection that stores borrowed references, but "
                         f"`{name}` does not live long enough to be stored in it",)
                help_ = ("buffer reuse with borrowed references requires unsafe code or "
                         "restructuring",)
        self.diags.append(d.error("E0597", f"`{name}` does not live long enough", primary,
                                  "borrowed value does not live long enough",
                                  labels=tuple(labels), notes=notes, help=help_))

    def report_dropped_temporary(self, p: int, created: Span, dropped: Span,
                                 loan: mir.Loan) -> None:
        """E0716: a borrow of a temporary outlives the statement that created it."""
        labels = [d.Label(dropped, "temporary value is freed at the end of this statement")]
        labels += self.explanation(loan, p, "")
        text = ("consider using a `let` binding to create a longer lived value",)
        in_let = self.body.locals[loan.place.local].in_let
        self.diags.append(d.error(
            "E0716", "temporary value dropped while borrowed", created,
            "creates a temporary value which is freed while still in use",
            labels=tuple(labels), help=text if in_let else (), notes=() if in_let else text))

    # ------------------------------------------------------------ mutability

    def previously_initialized(self, p: int, local: int) -> bool:
        data = self.moves.data
        if self.body.locals[local].kind == "temp":
            return True
        return bool(self.moves.ever_init(p) & data.local_inits.get(local, 0))

    def mut_error(self, place: Place, allow_local: bool) -> Place | None:
        """The place that makes `place` immutable, or None when it may be mutated."""
        if not place.proj:
            decl = self.body.locals[place.local]
            if decl.mutable or allow_local or decl.user is None:
                return None
            return place
        last = place.proj[-1]
        base = place.prefix(len(place.proj) - 1)
        if last.kind == "deref":
            bty = self.place_ty(base)
            if isinstance(bty, t.Ref):
                return place if not bty.mutable else self.mut_error(base, True)
            return self.mut_error(base, allow_local)
        return self.mut_error(base, allow_local)

    def check_mutability(self, p: int, place: Place, kind: str, span: Span) -> bool:
        err = self.mut_error(place, False)
        if err is None:
            return False
        if not self.previously_initialized(p, place.local):
            return False
        self.diags.append(self.mutability_diag(place, err, kind, span))
        return True

    def mutability_diag(self, place: Place, err: Place, kind: str, span: Span) -> d.Diagnostic:
        body = self.body
        access = describe(body, place)
        access_q = f"`{access}`" if access else "value"
        if body.closure_kind == "Fn" and self.is_upvar(err):
            return self.fn_closure_diag(place, err, kind, span, access_q)
        if err.is_local:
            decl = body.locals[err.local]
            reason = "it is not declared as mutable" if place == err else \
                f"`{decl.name}` is not declared as mutable"
            fixes: tuple[d.Fix, ...] = ()
            help_: tuple[str, ...] = ()
            if decl.name_span is not None:
                text = "consider changing this to be mutable"
                at = decl.name_span.start
                help_ = (text,)
                fixes = (d.Fix(text, (d.Edit(Span(at, at), "mut "),)),)
            if kind == "borrow":
                ty = self.place_ty(place)
                notes = (_GO_POINTER_NOTE,) if isinstance(ty, t.Adt) and \
                    ty.name.startswith("go:") else ()
                return d.error("E0596", f"cannot borrow {access_q} as mutable, as {reason}",
                               span, "cannot borrow as mutable", help=help_, fixes=fixes,
                               notes=notes)
            return d.error("E0594", f"cannot assign to {access_q}, as {reason}", span,
                           "cannot assign", help=help_, fixes=fixes)
        base = err.prefix(len(err.proj) - 1)
        base_decl = body.locals[base.local]
        base_name = describe(body, base)
        help_ = ()
        fixes = ()
        fix = self.mut_ref_fix(base)
        if fix is not None:
            help_ = (fix.title,)
            fixes = (fix,)
        if base_name is not None and base_decl.name is not None:
            if kind == "borrow":
                return d.error(
                    "E0596", f"cannot borrow {access_q} as mutable, as it is behind a `&` "
                    "reference", span, f"`{base_name}` is a `&` reference, so it cannot be "
                    "borrowed as mutable", help=help_, fixes=fixes)
            return d.error(
                "E0594", f"cannot assign to {access_q}, which is behind a `&` reference", span,
                f"`{base_name}` is a `&` reference, so it cannot be written to", help=help_,
                fixes=fixes)
        if kind == "borrow":
            return d.error("E0596", "cannot borrow data in a `&` reference as mutable", span,
                           "cannot borrow as mutable")
        return d.error("E0594", "cannot assign to data in a `&` reference", span,
                       "cannot assign")

    def is_upvar(self, place: Place) -> bool:
        """`place` is a captured variable itself (an upvar, or the deref of a by-reference
        one)."""
        decl = self.body.locals[place.local]
        if decl.kind != "upvar":
            return False
        return place.proj == ((mir.DEREF,) if decl.upvar_ref else ())

    def fn_closure_diag(self, place: Place, err: Place, kind: str, span: Span,
                        access_q: str) -> d.Diagnostic:
        """Mutating a captured variable inside a closure checked as `Fn`."""
        body = self.body
        decl = body.locals[err.local]
        reason = "it is a captured variable in a `Fn` closure" if place == err else \
            "`Fn` closures cannot mutate their captured variables"
        labels: list[d.Label] = []
        if decl.span is not None:
            labels.append(d.Label(decl.span, f"`{decl.name}` declared here, outside the "
                                             "closure"))
        if body.closure_head is not None:
            labels.append(d.Label(body.closure_head, "in this closure"))
        if kind == "borrow":
            return d.error("E0596", f"cannot borrow {access_q} as mutable, as {reason}", span,
                           "cannot borrow as mutable", labels=tuple(labels))
        return d.error("E0594", f"cannot assign to {access_q}, as {reason}", span,
                       "cannot assign", labels=tuple(labels))

    def mut_ref_fix(self, base: Place) -> d.Fix | None:
        """`&T` -> `&mut T` where the shared reference was declared."""
        if base.proj:
            return None
        decl = self.body.locals[base.local]
        if decl.name_span is None:
            return None
        title = "consider changing this to be a mutable reference"
        fn = self.fn
        if decl.kind == "self" and fn.self_param is not None and fn.self_param.by_ref:
            at = fn.self_param.span.start + 1
            return d.Fix(title, (d.Edit(Span(at, at), "mut "),))
        if decl.kind == "param":
            for param in fn.params:
                pat = param.pat
                if isinstance(pat, ast.IdentPat) and pat.name_span == decl.name_span and \
                        isinstance(param.ty, ast.RefType) and not param.ty.mutable:
                    at = param.ty.span.start + 1
                    return d.Fix(title, (d.Edit(Span(at, at), "mut "),))
            return None
        if decl.kind == "let" and fn.body is not None:
            for node in walk_ast(fn.body):
                if isinstance(node, ast.Let) and isinstance(node.pat, ast.IdentPat) and \
                        node.pat.name_span == decl.name_span and isinstance(node.init, ast.Borrow) \
                        and not node.init.mutable:
                    at = node.init.span.start + 1
                    return d.Fix(title, (d.Edit(Span(at, at), "mut "),))
        return None


# ---------------------------------------------------------------- places


def places_conflict(checker: LoanChecker, borrow: Place, access: Place, depth: str,
                    no_overlap: bool = False) -> bool:
    """Whether an access of `access` (at `depth`: "deep", "shallow" or "length": a slice's
    length, which no borrow of its elements covers) may touch the data
    borrowed at `borrow`, following rustc's `places_conflict`."""
    if borrow.local != access.local:
        return False
    bp = borrow.proj
    ap = access.proj
    common = min(len(bp), len(ap))
    for i in range(common):
        b = bp[i]
        a = ap[i]
        if b.kind == a.kind and b.kind in ("field", "variant"):
            if b.idx != a.idx:
                return False
        elif (b.kind == "index" and a.kind == "index" and no_overlap) or (
                b.kind in ("elem", "subslice") and a.kind in ("elem", "subslice")
                and _disjoint_parts(b, a)):
            return False
    if len(bp) > len(ap):
        if depth == "length":
            return False
        for i in range(len(ap), len(bp)):
            if bp[i].kind == "deref" and depth == "shallow":
                return False
        return True
    return True


def _disjoint_parts(a: mir.Proj, b: mir.Proj) -> bool:
    """Two parts of a slice pattern's match that never share an element (rustc's constant
    indexes and subslices): elements at different offsets from the same end, or from both
    ends of a slice too long for them to meet (`[first, .., last]`); an element before or
    after a subslice (`[head, tail @ ..]`). Two subslices may overlap."""
    if a.kind == "subslice" and b.kind == "subslice":
        return False
    if a.kind == "subslice":
        a, b = b, a
    if b.kind == "subslice":
        if a.name == "end":
            return a.idx <= b.size
        return a.idx < b.idx or (b.name != "end" and a.idx >= b.size)
    if (a.name == "end") == (b.name == "end"):
        return a.idx != b.idx
    start, end = (a, b) if b.name == "end" else (b, a)
    return start.idx < end.size - end.idx


def dest_place(stmt: mir.Statement | mir.Terminator) -> Place | None:
    if isinstance(stmt, (mir.Assign, mir.Call)):
        return stmt.dest
    return None


def stmt_span(stmt: mir.Statement | mir.Terminator) -> Span:
    if isinstance(stmt, (mir.Assign, mir.Call, mir.StorageDead, mir.FakeRead)):
        return stmt.span
    if isinstance(stmt, mir.Switch) and stmt.span is not None:
        return stmt.span
    if isinstance(stmt, mir.Return):
        return stmt.span
    return Span(0, 0)
