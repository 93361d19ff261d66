"""The Gust corpus checked against rustc, the oracle for Gust's Rust-compatible core.

* ``tests/ui/*.gust``, ``tests/ui/syntax/``, ``tests/ui/types/``, ``tests/ui/traits/``,
  ``tests/ui/generics/``, ``tests/ui/closures/``, ``tests/ui/modules/`` (and the other
  issue-4 families) and ``tests/ui/next/``: rustc's
  errors, as (line, code) pairs, equal the ``//~ ERROR`` annotations exactly (as multisets);
  ``next/`` holds what Gust does not check yet (issue 4), so only rustc sees it by default;
* ``tests/ui/pass/``, ``tests/ui/next/pass/`` and ``examples/*.gust``: rustc reports no error;
* ``examples/*.gust``: the rustc-built program prints exactly the checked-in ``.stdout``
  (regenerate with ``tests/tools/bless_examples.py``).

Without rustc on PATH the oracle tests skip and say why; the corpus-shape tests still run.
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent / "tools"))

from rustc_oracle import (
    RunResult,
    expected_annotations,
    parse_rustc_json,
    rendered_diagnostics,
    rustc_errors,
    rustc_pool,
    rustc_run,
)

ROOT = Path(__file__).resolve().parents[1]
UI = ROOT / "tests" / "ui"
# Issue 4's cases, in next/ until Gust checks them, then in a folder per family.
ISSUE4_DIRS = [UI / "traits", UI / "generics", UI / "closures", UI / "modules",
               UI / "iterators", UI / "std", UI / "threads", UI / "next"]
UI_ERROR_DIRS = [UI, UI / "syntax", UI / "types", *ISSUE4_DIRS]
UI_PASS_DIRS = [UI / "pass", UI / "next" / "pass"]
UI_ERROR_FILES = [path for folder in UI_ERROR_DIRS for path in sorted(folder.glob("*.gust"))]
UI_PASS_FILES = [path for folder in UI_PASS_DIRS for path in sorted(folder.glob("*.gust"))]
EXAMPLES = sorted((ROOT / "examples").glob("*.gust"))
WORKERS = 2


def _id(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


class Oracle:
    """rustc results for the corpus, computed in parallel and waited for per test."""

    def __init__(self, pool: ThreadPoolExecutor) -> None:
        self._errors: dict[Path, Future[list[tuple[int, str]]]] = {}
        self._runs: dict[Path, Future[RunResult]] = {}
        for path in UI_ERROR_FILES + UI_PASS_FILES:
            self._errors[path] = pool.submit(rustc_errors, path)
        for path in EXAMPLES:
            self._runs[path] = pool.submit(rustc_run, path)

    def errors(self, path: Path) -> list[tuple[int, str]]:
        return self._errors[path].result()

    def run(self, path: Path) -> RunResult:
        return self._runs[path].result()


@pytest.fixture(scope="module")
def oracle() -> Iterator[Oracle]:
    with rustc_pool("the corpus cannot be checked against the oracle", WORKERS) as pool:
        yield Oracle(pool)


def _fmt(pairs: list[tuple[int, str]]) -> str:
    return ", ".join(f"{line}:{code}" for line, code in sorted(pairs)) or "(none)"


@pytest.mark.parametrize("path", UI_ERROR_FILES, ids=_id)
def test_ui_errors_match_rustc(oracle: Oracle, path: Path) -> None:
    expected = expected_annotations(path.read_text(encoding="utf-8"))
    actual = oracle.errors(path)
    assert Counter(actual) == Counter(expected), (
        f"{_id(path)}: rustc reports [{_fmt(actual)}], annotations say [{_fmt(expected)}]"
    )


@pytest.mark.parametrize("path", UI_PASS_FILES, ids=_id)
def test_ui_pass_accepted_by_rustc(oracle: Oracle, path: Path) -> None:
    actual = oracle.errors(path)
    assert actual == [], f"{_id(path)}: rustc reports errors [{_fmt(actual)}]"


@pytest.mark.parametrize("path", EXAMPLES, ids=_id)
def test_example_output_matches_rustc(oracle: Oracle, path: Path) -> None:
    result = oracle.run(path)
    assert result.returncode is not None, (
        f"{_id(path)}: rustc reports errors [{_fmt(result.compile_errors)}]\n"
        f"{rendered_diagnostics(result.compile_stderr)}"
    )
    assert result.compile_errors == []
    assert result.returncode == 0, f"{_id(path)} exited with {result.returncode}: {result.stderr}"
    expected = path.with_suffix(".stdout").read_text(encoding="utf-8")
    assert result.stdout == expected, (
        f"{_id(path)}: stdout differs from {path.with_suffix('.stdout').name}; "
        "if the program changed on purpose, run tests/tools/bless_examples.py"
    )


# --- the shape of the corpus (no rustc needed) --------------------------------------------


def test_corpus_sizes() -> None:
    assert len(EXAMPLES) >= 22
    assert len(sorted(UI.glob("*.gust"))) >= 40
    assert len(UI_PASS_FILES) >= 20
    assert len(sorted((UI / "syntax").glob("*.gust"))) >= 1
    assert len(sorted((UI / "types").glob("*.gust"))) >= 60
    assert sum(len(sorted(folder.glob("*.gust"))) for folder in ISSUE4_DIRS) >= 80


@pytest.mark.parametrize("path", UI_ERROR_FILES, ids=_id)
def test_ui_error_files_are_annotated(path: Path) -> None:
    assert expected_annotations(path.read_text(encoding="utf-8")), f"{_id(path)}: no //~ ERROR"


@pytest.mark.parametrize("path", UI_PASS_FILES + EXAMPLES, ids=_id)
def test_passing_files_have_no_annotations(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert "//~" not in text
    assert "fn main()" in text


@pytest.mark.parametrize("path", EXAMPLES, ids=_id)
def test_example_has_stdout_and_size(path: Path) -> None:
    assert path.with_suffix(".stdout").is_file(), f"run tests/tools/bless_examples.py {path}"
    lines = path.read_text(encoding="utf-8").splitlines()
    assert 20 <= len(lines) <= 80, f"{_id(path)} has {len(lines)} lines"
    assert lines[0].startswith("//"), (
        f"{_id(path)} should start with a comment saying what it shows"
    )


def test_expected_annotations_parsing() -> None:
    text = "\n".join(
        [
            "fn main() {",
            "    let x = 1; //~ ERROR E0382 borrow of moved value",
            "    x = 2;",
            "    //~^ ERROR E0384",
            "    //~^^^ ERROR E0499",
            "    foo() //~ ERROR syntax expected `;`",
            "    // ~ ERROR E0000 is not an annotation",
            "    let b = 300 as u8; //~ ERROR overflowing_literals",
            "}",
        ]
    )
    assert expected_annotations(text) == [
        (2, "E0382"),
        (3, "E0384"),
        (2, "E0499"),
        (6, "syntax"),
        (8, "overflowing_literals"),
    ]
    with pytest.raises(ValueError, match="malformed"):
        expected_annotations("let x = 1; //~ ERROR mismatched types")
    with pytest.raises(ValueError, match="above the first line"):
        expected_annotations("fn main() {} //~^ ERROR E0308")


def test_parse_rustc_json() -> None:
    def diag(level: str, message: str, code: str | None, spans: list[dict[str, object]]) -> str:
        return json.dumps(
            {
                "$message_type": "diagnostic",
                "message": message,
                "code": {"code": code, "explanation": None} if code else None,
                "level": level,
                "spans": spans,
                "children": [],
                "rendered": None,
            }
        )

    def span(line: int, primary: bool) -> dict[str, object]:
        return {"line_start": line, "line_end": line, "is_primary": primary}

    stderr = "\n".join(
        [
            diag("warning", "unused variable", None, [span(1, True)]),
            diag("error", "borrow of moved value", "E0382", [span(3, False), span(5, True)]),
            diag("error", "expected `;`", None, [span(9, True)]),
            diag("error", "aborting due to 2 previous errors", None, []),
            diag("failure-note", "For more information about an error", None, []),
        ]
    )
    assert parse_rustc_json(stderr) == [(5, "E0382"), (9, "syntax")]
