"""Bitset dataflow over the blocks and points of a body (gust.borrowck.mir).

Sets are Python ints used as bitsets. `forward` and `backward` solve gen/kill problems whose
sets are joined by union (the "may" problems every analysis here needs): transfer functions
are composed per block, the fixpoint is found over blocks, and a last pass gives the state
before every point.
"""

from __future__ import annotations

from collections.abc import Sequence

from gust.borrowck.mir import Body
from gust.budget import UNLIMITED, Budget


def forward(body: Body, entry: int, gen: Sequence[int], kill: Sequence[int],
            budget: Budget = UNLIMITED) -> list[int]:
    """The state before each point, where a point does `out = (in | gen) & ~kill`. Polls
    `budget` (gust.budget) once per block visited."""
    n = len(body.points)
    state_in = [0] * n
    if n == 0:
        return state_in
    starts = body.block_start
    ends = body.block_end
    nb = len(starts)
    block_kill = [0] * nb
    block_gen = [0] * nb
    poll = budget.poll
    for b in body.block_order:
        poll()
        k = 0
        g = 0
        for p in range(starts[b], ends[b] + 1):
            kp = kill[p]
            k |= kp
            g = (g & ~kp) | (gen[p] & ~kp)
        block_kill[b] = k
        block_gen[b] = g
    block_in = [0] * nb
    preds = body.block_pred
    order = body.block_order
    changed = True
    while changed:
        changed = False
        for b in order:
            poll()
            new = entry if b == 0 else 0
            for q in preds[b]:
                new |= (block_in[q] & ~block_kill[q]) | block_gen[q]
            if new != block_in[b]:
                block_in[b] = new
                changed = True
    for b in order:
        poll()
        state = block_in[b]
        for p in range(starts[b], ends[b] + 1):
            state_in[p] = state
            state = (state | gen[p]) & ~kill[p]
    return state_in


def backward(body: Body, use: Sequence[int], define: Sequence[int],
             budget: Budget = UNLIMITED) -> list[int]:
    """Liveness: the state before each point, `in = use | (out & ~def)`. Polls `budget`
    (gust.budget) once per block visited."""
    n = len(body.points)
    live_in = [0] * n
    if n == 0:
        return live_in
    starts = body.block_start
    ends = body.block_end
    nb = len(starts)
    block_def = [0] * nb
    block_use = [0] * nb
    order = body.block_order
    poll = budget.poll
    for b in order:
        poll()
        dd = 0
        u = 0
        for p in range(ends[b], starts[b] - 1, -1):
            dp = define[p]
            dd |= dp
            u = (u & ~dp) | use[p]
        block_def[b] = dd
        block_use[b] = u
    block_in = [0] * nb
    succs = body.block_succ
    rev = list(reversed(order))
    changed = True
    while changed:
        changed = False
        for b in rev:
            poll()
            out = 0
            for x in succs[b]:
                out |= block_in[x]
            new = (out & ~block_def[b]) | block_use[b]
            if new != block_in[b]:
                block_in[b] = new
                changed = True
    for b in order:
        poll()
        state = 0
        for x in succs[b]:
            state |= block_in[x]
        for p in range(ends[b], starts[b] - 1, -1):
            state = use[p] | (state & ~define[p])
            live_in[p] = state
    return live_in


def bits(mask: int) -> list[int]:
    """The indices of the set bits of `mask`, ascending."""
    out: list[int] = []
    while mask:
        low = mask & -mask
        out.append(low.bit_length() - 1)
        mask ^= low
    return out
