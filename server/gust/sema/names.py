"""Did-you-mean suggestions, as rustc's `find_best_match_for_name` makes them."""

from __future__ import annotations

from collections.abc import Iterable


def edit_distance(a: str, b: str) -> int:
    """Levenshtein distance."""
    if a == b:
        return 0
    if len(a) < len(b):
        a, b = b, a
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1,
                               previous[j - 1] + (ca != cb)))
        previous = current
    return previous[-1]


def similar_name(name: str, candidates: Iterable[str]) -> str | None:
    """The closest candidate within rustc's threshold (a third of the name's length, at
    least 1), preferring a case-insensitive exact match."""
    best: str | None = None
    best_distance = max(len(name), 3) // 3
    for c in sorted(set(candidates)):
        if c == name:
            continue
        if c.lower() == name.lower():
            return c
        dist = edit_distance(name, c)
        if dist <= best_distance and (best is None or dist < edit_distance(name, best)):
            best = c
    return best
