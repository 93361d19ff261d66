"""gust.sema.known_panics skips the walk of a body when no operation in it could fail for
constant operands. The skip must never hide a lint: on every body of the project's
`.gust` files, the result with it is the result of the walk.

The package constants are given values that make operations fail (0: divisions by zero;
the largest `i64`: overflows), so that far more bodies have something to report than
the files' own constants would give.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from gust.ide.analysis import analyze_text
from gust.sema.known_panics import known_panics, walked_known_panics
from gust.sema.results import BodyResults

ROOT = Path(__file__).resolve().parent.parent
FILES = sorted([*(ROOT / "tests").rglob("*.gust"), *(ROOT / "examples").rglob("*.gust")])
CONSTANT_VALUES: dict[str, Callable[[str], int | None]] = {
    "unknown": lambda key: None,
    "zero": lambda key: 0,
    "largest": lambda key: 2**63 - 1,
}


def _bodies(results: BodyResults) -> Iterator[BodyResults]:
    yield results
    for nested in results.nested:
        yield from _bodies(nested)


def _checked_bodies() -> Iterator[tuple[str, BodyResults]]:
    for path in FILES:
        analysis = analyze_text(str(path), path.read_text(encoding="utf-8"))
        for item in analysis.items:
            for top in item.bodies:
                for results in _bodies(top):
                    if results.fn.body is not None and results.item is None and \
                            not any(diag.is_error for diag in results.diagnostics):
                        yield path.name, results


@pytest.fixture(scope="module")
def checked_bodies() -> list[tuple[str, BodyResults]]:
    return list(_checked_bodies())


@pytest.mark.parametrize("constants", sorted(CONSTANT_VALUES))
def test_the_skip_never_hides_a_lint(checked_bodies: list[tuple[str, BodyResults]],
                                     constants: str) -> None:
    other = CONSTANT_VALUES[constants]
    reported = 0
    for name, results in checked_bodies:
        assert results.fn.body is not None
        walked = walked_known_panics(results.fn.body, results, other)
        assert known_panics(results.fn.body, results, other) == walked, \
            f"{name}: fn {results.fn.name}"
        reported += len(walked)
    # The comparison means something only if the walks found lints.
    assert reported > 0


def test_most_bodies_are_not_walked(checked_bodies: list[tuple[str, BodyResults]]) -> None:
    """The point of the skip: in ordinary code few bodies have an operation whose
    operands all come from literals, constants and immutable `let`s."""
    from gust.sema.known_panics import might_report

    walked = sum(might_report(results) for _, results in checked_bodies)
    assert walked < len(checked_bodies) / 4, (walked, len(checked_bodies))
