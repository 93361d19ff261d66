"""The error-code explanations in ``docs/errors/EXXXX.md`` and ``gust explain``.

* every explanation starts with a title line that names its code: ``# E0308: mismatched types``;
* every example is checked against rustc, the oracle for Gust's Rust-compatible core: a block
  fenced as ```` ```gust,compile_fail,E0308 ```` must fail with exactly that code (every error
  rustc reports has it), a plain ```` ```gust ```` block must compile. A snippet without a
  ``fn main`` gets an empty one appended. Without rustc on PATH these tests skip and say why;
* ``gust explain`` prints the file, accepts lower case, and rejects unknown codes in one line.

Other fences (```` ```go ````, ```` ```text ````) are prose and are not checked.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from concurrent.futures import Future
from dataclasses import dataclass
from pathlib import Path

import pytest

from gust.diagnostics import LINTS
from tools.rustc_oracle import rustc_json, rustc_pool

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs" / "errors"
# Error codes, and the rustc lints Gust reports as errors (`overflowing_literals.md`).
DOC_FILES = sorted(p for p in DOCS.glob("*.md") if p.stem in LINTS or p.stem.startswith("E"))
WORKERS = max(2, min(8, os.cpu_count() or 2))

_CODE = re.compile(r"E\d{4}|[a-z_]+")
_TITLE = re.compile(r"# (?P<code>E\d{4}|[a-z_]+): \S.*")
_HAS_MAIN = re.compile(r"^\s*fn\s+main\s*\(", re.MULTILINE)

#: Codes that Gust reports but rustc no longer emits, mapped to what rustc reports instead.
#: rustc's own explanation of E0412 says "this error code is no longer emitted by the
#: compiler": rustc 1.95 reports an unknown type as E0425 ("cannot find type").
RUSTC_REPORTS_AS = {"E0412": "E0425"}


@dataclass(frozen=True)
class Example:
    """One ```gust block of an explanation."""

    doc: Path
    line: int  # 1-based line of the opening fence
    error: str | None  # the code it must fail with, or None if it must compile
    source: str

    @property
    def id(self) -> str:
        kind = f"fail-{self.error}" if self.error else "ok"
        return f"{self.doc.stem}:{self.line}:{kind}"

    def program(self) -> str:
        """The source rustc checks: the snippet, with an empty ``main`` if it has none."""
        if _HAS_MAIN.search(self.source):
            return self.source
        return self.source + "\nfn main() {}\n"


def parse_examples(doc: Path) -> list[Example]:
    """The ```gust blocks of ``doc``; raises ValueError for a malformed gust fence."""
    examples: list[Example] = []
    lines = doc.read_text(encoding="utf-8").splitlines()
    i = 0
    while i < len(lines):
        opening = lines[i].strip()
        if not opening.startswith("```"):
            i += 1
            continue
        info = [part.strip() for part in opening[3:].split(",")]
        end = i + 1
        while end < len(lines) and lines[end].strip() != "```":
            end += 1
        if end == len(lines):
            raise ValueError(f"{doc.name}:{i + 1}: unclosed code fence")
        if info[0] == "gust":
            examples.append(
                Example(
                    doc,
                    i + 1,
                    _expected_error(doc, i + 1, info[1:]),
                    "\n".join(lines[i + 1 : end]) + "\n",
                )
            )
        i = end + 1
    return examples


def _expected_error(doc: Path, line: int, attrs: list[str]) -> str | None:
    if not attrs:
        return None
    if len(attrs) == 2 and attrs[0] == "compile_fail" and _CODE.fullmatch(attrs[1]):
        return attrs[1]
    raise ValueError(
        f"{doc.name}:{line}: expected ```gust or ```gust,compile_fail,EXXXX, "
        f"got ```gust,{','.join(attrs)}"
    )


def _all_examples() -> list[Example]:
    examples: list[Example] = []
    for doc in DOC_FILES:
        try:
            examples.extend(parse_examples(doc))
        except ValueError:
            continue  # reported by test_fences_are_well_formed
    return examples


EXAMPLES = _all_examples()


# ---------------------------------------------------------------- rustc


@dataclass(frozen=True)
class RustcResult:
    codes: list[str | None]  # one entry per error; None for an error without a code
    rendered: str


def rustc_check(source: str, timeout: float = 120.0) -> RustcResult:
    """Type- and borrow-check ``source`` as a 2021-edition binary crate."""
    proc = rustc_json(source, timeout)
    codes: list[str | None] = []
    rendered: list[str] = []
    for raw in proc.stderr.splitlines():
        try:
            diagnostic = json.loads(raw)
        except json.JSONDecodeError:
            rendered.append(raw + "\n")
            continue
        if not isinstance(diagnostic, dict):
            continue
        rendered.append(str(diagnostic.get("rendered") or ""))
        message = str(diagnostic.get("message", ""))
        if diagnostic.get("level") != "error" or message.startswith("aborting due to"):
            continue
        code = diagnostic.get("code")
        codes.append(str(code["code"]) if isinstance(code, dict) else None)
    if proc.returncode != 0 and not codes:
        codes.append(None)  # rustc failed without a diagnostic we could read
    return RustcResult(codes, "".join(rendered))


@pytest.fixture(scope="module")
def rustc_results() -> Iterator[dict[Example, Future[RustcResult]]]:
    """rustc's verdict on every example, computed in parallel and awaited per test."""
    with rustc_pool("the examples in docs/errors cannot be checked", WORKERS) as pool:
        yield {ex: pool.submit(rustc_check, ex.program()) for ex in EXAMPLES}


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda ex: ex.id)
def test_example_against_rustc(
    example: Example, rustc_results: dict[Example, Future[RustcResult]]
) -> None:
    result = rustc_results[example].result()
    shown = ", ".join(code or "(no code)" for code in result.codes) or "no error"
    where = f"{example.doc.name}:{example.line}"
    if example.error is None:
        if result.codes:
            pytest.fail(
                f"{where}: the fixed example must compile, but rustc reported {shown}:"
                f"\n{result.rendered}",
                pytrace=False,
            )
        return
    expected = RUSTC_REPORTS_AS.get(example.error, example.error)
    if not result.codes or set(result.codes) != {expected}:
        pytest.fail(
            f"{where}: expected only {expected} from rustc, got {shown}:\n{result.rendered}",
            pytrace=False,
        )


# ---------------------------------------------------------------- the files themselves


def test_explanations_exist() -> None:
    assert DOC_FILES, f"no explanations in {DOCS}"


def test_every_code_the_checker_reports_is_explained() -> None:
    """`gust explain CODE` has a page for each code a diagnostic can carry (the codes are
    found where the diagnostics are made: `error("E0382", ...)`)."""
    made = re.compile(r"error(?:_diagnostic)?\(\s*\"(E\d{4})\"")
    codes = {m.group(1) for src in (ROOT / "server" / "gust").rglob("*.py")
             for m in made.finditer(src.read_text(encoding="utf-8"))}
    assert len(codes) > 50, sorted(codes)  # the scan finds the checker's codes
    missing = sorted(c for c in codes if not (DOCS / f"{c}.md").is_file())
    assert not missing, f"codes reported without an explanation in docs/errors: {missing}"


@pytest.mark.parametrize("doc", DOC_FILES, ids=lambda p: p.stem)
def test_title_names_code(doc: Path) -> None:
    assert _CODE.fullmatch(doc.stem), f"{doc.name}: file name is not a code like E0308.md"
    text = doc.read_text(encoding="utf-8")
    title = text.splitlines()[0] if text else ""
    match = _TITLE.fullmatch(title)
    assert match, f"{doc.name}: first line {title!r} is not like '# {doc.stem}: what is wrong'"
    assert match.group("code") == doc.stem, f"{doc.name}: title names {match.group('code')}"
    assert text.endswith("\n"), f"{doc.name}: no newline at end of file"


@pytest.mark.parametrize("doc", DOC_FILES, ids=lambda p: p.stem)
def test_fences_are_well_formed(doc: Path) -> None:
    try:
        examples = parse_examples(doc)
    except ValueError as e:
        pytest.fail(str(e), pytrace=False)
    assert any(ex.error == doc.stem for ex in examples), (
        f"{doc.name}: no ```gust,compile_fail,{doc.stem} example"
    )
    assert any(ex.error is None for ex in examples), f"{doc.name}: no fixed ```gust example"


# ---------------------------------------------------------------- gust explain


def _explain(code: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "NO_COLOR": "1"}
    env.pop("GUST_BACKTRACE", None)
    return subprocess.run(
        [sys.executable, "-m", "gust", "explain", code],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        env=env,
    )


@pytest.mark.parametrize("spelling", ["E0308", "e0308"])
def test_explain_prints_the_file(spelling: str) -> None:
    proc = _explain(spelling)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == (DOCS / "E0308.md").read_text(encoding="utf-8")
    assert proc.stderr == ""


def test_explain_prints_a_lint() -> None:
    proc = _explain("overflowing_literals")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == (DOCS / "overflowing_literals.md").read_text(encoding="utf-8")


def test_explain_unknown_code() -> None:
    proc = _explain("E9999")
    assert proc.returncode == 2
    assert proc.stdout == ""
    assert "Traceback" not in proc.stderr
    lines = proc.stderr.splitlines()
    assert len(lines) == 1 and "E9999" in lines[0], proc.stderr


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda e: e.id)
def test_example_against_gust(example: Example) -> None:
    """Gust agrees with rustc on every documented example: the same single error code for
    an erroneous one (E0412 as E0425, like rustc 1.95), none for a fixed one."""
    from gust.codegen.context import UNSUPPORTED
    from gust.ide import check_source

    # What the Go backend cannot build yet is not a verdict on the program (as in test_ui).
    errors = [d.code or "syntax" for d in check_source(f"{example.doc.stem}.gust",
                                                      example.program())
              if d.is_error and d.code != UNSUPPORTED]
    if example.error is None:
        assert errors == []
    else:
        expected = RUSTC_REPORTS_AS.get(example.error, example.error)
        assert errors and set(errors) == {expected}, errors
