"""rustc-style UI tests: each `tests/ui/**/*.gust` file marks the lines that must fail with
`//~ ERROR CODE` (`//~^` for the line above); Gust must report exactly those errors.

The same annotations are checked against rustc itself in test_corpus_oracle.py, so Gust and
rustc agree on every case. Syntax errors have no code in rustc: they are annotated
`//~ ERROR syntax` and matched by line.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from gust.codegen.context import UNSUPPORTED
from gust.ide import check_source
from gust.text import LineIndex
from tools.rustc_oracle import expected_annotations

UI = Path(__file__).parent / "ui"
ERROR_CASES = sorted(p for p in UI.rglob("*.gust") if "pass" not in p.parts)
PASS_CASES = sorted((UI / "pass").glob("*.gust"))
EXAMPLES = sorted((Path(__file__).parent.parent / "examples").glob("*.gust"))


def gust_errors(path: Path) -> list[tuple[int, str]]:
    """(1-based line, code or "syntax") of every error Gust reports for the file."""
    text = path.read_text(encoding="utf-8")
    index = LineIndex(text)
    return [
        (index.position(diag.span.start).line + 1, diag.code or "syntax")
        for diag in check_source(str(path), text)
        # What the Go backend cannot build yet is not a verdict on the program: rustc
        # accepts it (tests/test_codegen.py covers the backend).
        if diag.is_error and diag.code != UNSUPPORTED
    ]


def test_corpus_is_large_enough() -> None:
    assert len(ERROR_CASES) >= 30
    assert len(PASS_CASES) >= 20


@pytest.mark.parametrize("path", ERROR_CASES, ids=lambda p: str(p.relative_to(UI)))
def test_error_case(path: Path) -> None:
    expected = Counter(expected_annotations(path.read_text(encoding="utf-8")))
    got = Counter(gust_errors(path))
    assert expected, f"{path} has no annotations"
    missing = expected - got
    unexpected = got - expected
    assert not missing and not unexpected, (
        f"missing: {sorted(missing.elements())}, unexpected: {sorted(unexpected.elements())}"
    )


@pytest.mark.parametrize("path", PASS_CASES + EXAMPLES, ids=lambda p: p.name)
def test_accepted_program(path: Path) -> None:
    assert gust_errors(path) == []
