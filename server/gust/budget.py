"""A time budget for the analysis of one item (a function, or an impl's methods): type
checking, borrow checking and Go generation. A pathological item (types that double at every
`let`, say) must not hang the editor or `gust check`: when its budget runs out, its analysis
stops and reports that it gave up (the `time_budget` warning), and the other items are still
checked.

The checkers poll the budget in their inner loops (`Budget.poll`: cheap, it looks at the
clock every few hundred calls); running out raises `OutOfTime`, a BaseException so that the
`except Exception` guards against checker bugs do not swallow it. Plain computation: no
threads, no signals.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Final

# The default budget per item, in seconds (the server's `gust.analysis.timeBudget` setting
# and `gust check --time-budget` change it).
DEFAULT_SECONDS: Final = 2.0
# Polls between looks at the clock.
_EVERY: Final = 256


class OutOfTime(BaseException):
    """The budget ran out. `fn` and `where`: the function being checked, when known."""

    def __init__(self, seconds: float, fn: str | None = None, where: object = None) -> None:
        super().__init__(seconds, fn)
        self.seconds = seconds
        self.fn = fn
        self.where = where


class Budget:
    """A deadline: `seconds` from its creation (None: no limit)."""

    def __init__(self, seconds: float | None,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.seconds = seconds
        self._clock = clock
        self._deadline = None if seconds is None else clock() + seconds
        # Polls left before the next look at the clock (a countdown: `poll` is called in
        # the checkers' innermost loops, so it does as little as it can).
        self._left = _EVERY

    def poll(self) -> None:
        """Raise `OutOfTime` if the deadline has passed (checked every few hundred calls)."""
        self._left -= 1
        if self._left <= 0:
            self._look()

    def _look(self) -> None:
        self._left = _EVERY
        if self._deadline is not None and self._clock() > self._deadline:
            raise OutOfTime(self.seconds or 0.0)


UNLIMITED: Final = Budget(None)
