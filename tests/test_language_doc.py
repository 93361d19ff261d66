"""The examples of the language reference, ``docs/language.md``.

Every fenced block whose info string starts with ``gust`` is an example, checked by its kind:

* ```` ```gust ````: valid Rust and valid Gust today. rustc must compile it, and
  ``gust.ide.check_source`` must report no error (type, borrow or Go-backend).
* ```` ```gust,checked ````: valid Rust that Gust checks without a type or borrow error, but
  the Go backend cannot translate yet: rustc must compile it, and Gust's only errors must be
  the backend's `unsupported` ones (there must be at least one).
* ```` ```gust,rust-only ````: Rust that Gust does not support yet. rustc must compile it;
  Gust must parse it without a syntax error (other Gust diagnostics are expected).
* ```` ```gust,rust-only,pending ````: Rust that Gust cannot even parse yet. rustc must
  compile it; Gust is not asked.
* ```` ```gust,extension ````: a Gust extension (not Rust). Gust must parse it without a
  syntax error, and check it without a type or borrow error (the Go backend's `unsupported`
  errors are allowed) unless it imports Go packages (`use go`: those need the Go type
  information of a real package, which an in-memory example does not have); rustc is not
  asked.
* ```` ```gust,extension,pending ````: an extension the grammar does not accept yet; only the
  marking is checked.
* ```` ```gust,compile_fail,E0382 ````: rustc and Gust must both reject it, with that code
  and no other.

A snippet without a ``fn main`` gets an empty one appended (for both compilers). "Syntax
error" means what Gust's parser reports (``FileAnalysis.syntax_diagnostics``): the checker's
own "... is not supported yet" errors have no code either, but they are not syntax errors.
When an example marked rust-only or pending starts to pass the stricter check, the test
still passes and emits a ``DocExampleCanBePromoted`` warning that says which fence to change.

Other fences (```` ```go ````, ```` ```text ````, ```` ```sh ````) are prose; a fence without a
language, or a ```` ```rust ```` fence (which would escape the checks), is an error. Links to
error explanations (``errors/EXXXX.md``) must point at an existing file, and links to sections
(``#anchor``) at a heading. Without rustc on PATH the rustc checks skip and say why.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Iterator, Sequence
from concurrent.futures import Future
from dataclasses import dataclass
from pathlib import Path

import pytest

from gust.codegen.context import UNSUPPORTED
from gust.diagnostics import Diagnostic
from gust.ide import analyze_text
from tools.rustc_oracle import (
    SYNTAX,
    parse_rustc_json,
    rendered_diagnostics,
    rustc_json,
    rustc_pool,
)

ROOT = Path(__file__).resolve().parents[1]
DOC = ROOT / "docs" / "language.md"
ERRORS = ROOT / "docs" / "errors"
WORKERS = 8

#: The kinds of example, by their info string after ``gust``.
KINDS: dict[tuple[str, ...], str] = {
    (): "gust",
    ("checked",): "checked",
    ("rust-only",): "rust-only",
    ("rust-only", "pending"): "rust-only-pending",
    ("extension",): "extension",
    ("extension", "pending"): "extension-pending",
}
#: Kinds that rustc must compile (compile_fail examples go to rustc too).
RUSTC_COMPILES = {"gust", "checked", "rust-only", "rust-only-pending"}
#: Fences that are prose, not checked.
PROSE_FENCES = {"go", "text", "sh", "console"}

_CODE = re.compile(r"E\d{4}")
_HAS_MAIN = re.compile(r"^\s*fn\s+main\s*\(", re.MULTILINE)
_ERROR_LINK = re.compile(r"\]\((?P<target>errors/(?P<code>[^)#\s]*?)\.md)(#[^)]*)?\)")

#: Codes that Gust reports but rustc no longer emits, mapped to what rustc reports instead.
RUSTC_REPORTS_AS = {"E0412": "E0425"}


class DocExampleCanBePromoted(UserWarning):
    """An example passes a stricter check than its fence asks for."""


@dataclass(frozen=True)
class Example:
    """One ```gust block of the reference."""

    line: int  # 1-based line of the opening fence
    kind: str  # a value of KINDS, or "compile_fail"
    error: str | None  # the code a compile_fail example must fail with
    source: str

    @property
    def id(self) -> str:
        kind = f"fail-{self.error}" if self.error else self.kind
        return f"language.md:{self.line}:{kind}"

    @property
    def where(self) -> str:
        return f"docs/language.md:{self.line}"

    def program(self) -> str:
        """The source the compilers see: the snippet, with an empty ``main`` if it has none."""
        if _HAS_MAIN.search(self.source):
            return self.source
        return self.source + "\nfn main() {}\n"


def parse_examples(text: str) -> list[Example]:
    """The ```gust blocks of ``text``; raises ValueError for a malformed fence."""
    examples: list[Example] = []
    lines = text.splitlines()
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
            raise ValueError(f"line {i + 1}: unclosed code fence")
        source = "\n".join(lines[i + 1 : end]) + "\n"
        if info[0] == "gust":
            kind, error = _kind(i + 1, tuple(info[1:]))
            if not source.strip():
                raise ValueError(f"line {i + 1}: empty example")
            examples.append(Example(i + 1, kind, error, source))
        elif info[0] not in PROSE_FENCES:
            raise ValueError(
                f"line {i + 1}: fence ```{opening[3:]} is neither an example (```gust...) "
                f"nor prose ({', '.join(sorted(PROSE_FENCES))})"
            )
        i = end + 1
    return examples


def _kind(line: int, attrs: tuple[str, ...]) -> tuple[str, str | None]:
    if attrs in KINDS:
        return KINDS[attrs], None
    if len(attrs) == 2 and attrs[0] == "compile_fail" and _CODE.fullmatch(attrs[1]):
        return "compile_fail", attrs[1]
    allowed = ", ".join(
        ["```gust" + "".join("," + a for a in k) for k in KINDS] + ["```gust,compile_fail,EXXXX"]
    )
    raise ValueError(f"line {line}: unknown fence ```gust,{','.join(attrs)} (use {allowed})")


def _load() -> tuple[list[Example], str | None]:
    try:
        return parse_examples(DOC.read_text(encoding="utf-8")), None
    except (OSError, ValueError) as e:
        return [], str(e)


EXAMPLES, LOAD_ERROR = _load()
RUSTC_EXAMPLES = [ex for ex in EXAMPLES if ex.kind in RUSTC_COMPILES or ex.error]


def test_fences_are_well_formed() -> None:
    assert LOAD_ERROR is None, f"docs/language.md: {LOAD_ERROR}"
    kinds = {ex.kind for ex in EXAMPLES}
    for kind in ("gust", "rust-only", "extension", "compile_fail"):
        assert kind in kinds, f"docs/language.md has no {kind} example"


def test_error_links_exist() -> None:
    text = DOC.read_text(encoding="utf-8")
    links = list(_ERROR_LINK.finditer(text))
    assert links, "docs/language.md links no error explanation"
    missing = sorted(
        {m.group("target") for m in links if not (DOC.parent / m.group("target")).is_file()}
    )
    assert not missing, f"links to missing explanations: {missing}"


def _slug(heading: str) -> str:
    """The anchor GitHub gives a heading: lower case, punctuation dropped, spaces to ``-``."""
    kept = "".join(c for c in heading.strip().lower() if c.isalnum() or c in " -_")
    return kept.replace(" ", "-")


def test_section_links_exist() -> None:
    text = DOC.read_text(encoding="utf-8")
    anchors = {_slug(m.group(1)) for m in re.finditer(r"^#+ (.*)$", text, re.MULTILINE)}
    links = set(re.findall(r"\]\(#([^)]+)\)", text))
    assert links, "docs/language.md has no links between sections"
    assert not links - anchors, f"links to missing sections: {sorted(links - anchors)}"


def test_compile_fail_codes_are_explained() -> None:
    """Each code an example fails with has its explanation, and the reference links it."""
    text = DOC.read_text(encoding="utf-8")
    for ex in EXAMPLES:
        if ex.error:
            assert (ERRORS / f"{ex.error}.md").is_file(), f"{ex.where}: no errors/{ex.error}.md"
            assert f"(errors/{ex.error}.md)" in text, f"{ex.where}: {ex.error} is never linked"


# ---------------------------------------------------------------- rustc


@dataclass(frozen=True)
class RustcResult:
    codes: list[str]  # one per error; SYNTAX for an error without a code
    rendered: str


def rustc_check(source: str, timeout: float = 120.0) -> RustcResult:
    """Type- and borrow-check ``source`` as a binary crate (tests/tools/rustc_oracle)."""
    proc = rustc_json(source, timeout)
    codes = [code for _, code in parse_rustc_json(proc.stderr)]
    if proc.returncode != 0 and not codes:
        codes.append(SYNTAX)  # rustc failed without a diagnostic we could read
    return RustcResult(codes, rendered_diagnostics(proc.stderr))


@pytest.fixture(scope="module")
def rustc_results() -> Iterator[dict[Example, Future[RustcResult]]]:
    """rustc's verdict on every example it must see, computed in parallel, awaited per test."""
    with rustc_pool("the examples of docs/language.md cannot be compiled", WORKERS) as pool:
        yield {ex: pool.submit(rustc_check, ex.program()) for ex in RUSTC_EXAMPLES}


@pytest.mark.parametrize("example", RUSTC_EXAMPLES, ids=lambda ex: ex.id)
def test_example_against_rustc(
    example: Example, rustc_results: dict[Example, Future[RustcResult]]
) -> None:
    result = rustc_results[example].result()
    shown = ", ".join(result.codes) or "no error"
    if example.error is None:
        if result.codes:
            pytest.fail(
                f"{example.where}: the example must compile, but rustc reported "
                f"{shown}:\n{result.rendered}",
                pytrace=False,
            )
        return
    expected = RUSTC_REPORTS_AS.get(example.error, example.error)
    if set(result.codes) != {expected}:
        pytest.fail(
            f"{example.where}: expected only {expected} from rustc, got {shown}:\n"
            f"{result.rendered}",
            pytrace=False,
        )


# ---------------------------------------------------------------- Gust


def _describe(diagnostics: Sequence[Diagnostic]) -> str:
    return "\n".join(f"  [{d.code or 'no code'}] {d.message}" for d in diagnostics)


def _checker_errors(errors: Sequence[Diagnostic]) -> list[Diagnostic]:
    """The errors that are verdicts on the program: all but the Go backend's "not
    supported yet" (code `unsupported`)."""
    return [d for d in errors if d.code != UNSUPPORTED]


def _promote(example: Example, advice: str) -> None:
    warnings.warn(f"{example.where}: {advice}", DocExampleCanBePromoted, stacklevel=2)


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda ex: ex.id)
def test_example_against_gust(example: Example) -> None:
    analysis = analyze_text("example.gust", example.program())
    syntax = analysis.syntax_diagnostics()
    errors = [d for d in analysis.diagnostics() if d.is_error]
    if example.kind == "gust":
        assert not errors, (
            f"{example.where}: Gust must accept this example (or mark it ```gust,rust-only):\n"
            + _describe(errors)
        )
    elif example.kind in ("rust-only", "extension"):
        assert not syntax, (
            f"{example.where}: Gust must parse this example (or mark it "
            f"```gust,{example.kind},pending):\n" + _describe(syntax)
        )
        if example.kind == "extension" and "use go" not in example.program():
            assert not _checker_errors(errors), (
                f"{example.where}: Gust must check this extension example without type or "
                "borrow errors:\n" + _describe(_checker_errors(errors))
            )
        if example.kind == "rust-only" and not errors:
            _promote(example, "Gust now accepts this rust-only example: make it ```gust")
        elif example.kind == "rust-only" and not _checker_errors(errors):
            _promote(example, "Gust now checks this rust-only example (only the Go backend "
                              "is missing): make it ```gust,checked")
    elif example.kind == "checked":
        assert not _checker_errors(errors), (
            f"{example.where}: Gust must check this example without type or borrow errors "
            "(or mark it ```gust,rust-only):\n" + _describe(_checker_errors(errors))
        )
        assert errors, (f"{example.where}: Gust now compiles this example to Go too: make it "
                        "```gust")
    elif example.kind in ("rust-only-pending", "extension-pending"):
        if not syntax:
            fence = example.kind.removesuffix("-pending")
            _promote(example, f"Gust now parses this pending example: make it ```gust,{fence}")
    else:
        assert example.error is not None
        codes = {d.code or "syntax" for d in errors}
        assert codes == {example.error}, (
            f"{example.where}: expected only {example.error} from Gust, got:\n" + _describe(errors)
        )
