"""`gust fmt`: the formatter checked against rustfmt on every test program.

rustfmt (`--edition 2021`, default settings) is the oracle: for every program of the
corpus, and for deliberately mis-formatted copies of them, `format_source` must produce
exactly what rustfmt produces. Formatting must also be idempotent, keep every comment
(`//~ ERROR` annotations included), refuse files with syntax errors, and change nothing
the checker or the Go backend can see: same diagnostics, same program output.

rustfmt runs once per batch of files (two batches in parallel); the tests that need it are
skipped, with the reason printed, when it is not installed.
"""

from __future__ import annotations

import itertools
import random
import shutil
import subprocess
import sys
import tempfile
from collections.abc import AsyncIterator, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest
import pytest_lsp
from lsprotocol import types as lsp
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities

from gust.cli.main import main as gust_main
from gust.fmt import FormatResult, apply_edits, format_range, format_source
from gust.fmt.comment import ungrouped_comments
from gust.ide import check_source
from gust.ide.format import document_edits
from gust.syntax.lexer import LexError
from gust.syntax.parser import _lexer
from gust.syntax.source import parse_source
from gust.text import LineIndex

ROOT = Path(__file__).resolve().parent.parent
CORPUS = sorted(
    [*ROOT.glob("examples/*.gust"), *ROOT.glob("tests/ui/pass/*.gust"),
     *ROOT.glob("tests/ui/borrowck/pass/*.gust"), *ROOT.glob("tests/ui/*.gust")])
EXAMPLES = sorted(ROOT.glob("examples/*.gust"))
SYNTAX_ERRORS = sorted(ROOT.glob("tests/ui/syntax/*.gust"))
RUSTFMT = shutil.which("rustfmt")
# Examples built and run after formatting (each is a Go build): ones formatting changes.
RUN_EXAMPLES = ["bank_accounts", "fibonacci_primes", "histogram", "model_registry", "shapes",
                "token_counter"]
MANGLINGS = ["one_line", "indentation", "blank_lines", "no_trailing_commas"]


def rel(path: Path) -> str:
    """A test id: the path relative to the repository."""
    return str(path.relative_to(ROOT))


# -- deliberately mis-formatted copies -------------------------------------------------------


def _pieces(text: str) -> Iterator[tuple[str, str]]:
    """The tokens of `text` and its comments, in order, as (kind, text): kind is "token",
    "line" (a `//` comment) or "block"."""
    pos = 0
    for tok in _lexer().tokens(text):
        start = int(getattr(tok, "start_pos", pos))
        for comment in ungrouped_comments(text[pos:start]):
            yield ("line" if comment.startswith("//") else "block"), comment.rstrip("\n")
        yield "token", str(tok)
        pos = int(getattr(tok, "end_pos", start))
    for comment in ungrouped_comments(text[pos:]):
        yield ("line" if comment.startswith("//") else "block"), comment.rstrip("\n")


def one_line(text: str) -> str:
    """Everything on one line (a line comment still ends its line; inside braces the next
    line is indented: the parser's recovery reads a keyword at column 0 as the start of a
    new item)."""
    out: list[str] = []
    depth = 0
    for kind, piece in _pieces(text):
        if kind == "token":
            depth += {"{": 1, "}": -1}.get(piece, 0)
        if kind == "line" and piece.startswith("///") and out:
            # A doc comment belongs to the next item: keep it on a line of its own (gust
            # fmt does not yet move a trailing doc comment off its line as rustfmt does).
            out.append("\n" + (" " if depth > 0 else ""))
        out.append(f"{piece}\n" + (" " if depth > 0 else "") if kind == "line"
                   else f"{piece} ")
    return "".join(out)


def _lines_in_strings(text: str) -> set[int]:
    """Lines that start inside a multi-line string literal (they must stay as they are)."""
    inside: set[int] = set()
    for tok in _lexer().tokens(text):
        value = str(tok)
        if "\n" in value:
            first = text.count("\n", 0, int(getattr(tok, "start_pos", 0)))
            inside.update(range(first + 1, first + value.count("\n") + 1))
    return inside


def bad_indentation(text: str, seed: int) -> str:
    """Lines indented at random (nested lines stay indented: the parser's recovery reads
    a keyword at column 0 as the start of a new item)."""
    rnd = random.Random(seed)
    keep = _lines_in_strings(text)
    lines = text.split("\n")
    for i, line in enumerate(lines):
        if i in keep or not line.strip():
            continue
        nested = line != line.lstrip()
        lines[i] = " " * rnd.randint(1 if nested else 0, 13 if nested else 0) + line.lstrip()
    return "\n".join(lines)


def blank_lines(text: str, seed: int) -> str:
    """Runs of one to three blank lines added after random lines (rustfmt keeps at most
    one)."""
    rnd = random.Random(seed)
    keep = _lines_in_strings(text)
    out: list[str] = []
    lines = text.split("\n")
    for i, line in enumerate(lines):
        out.append(line)
        if i + 1 not in keep and rnd.random() < 0.3:
            out.extend([""] * rnd.randint(1, 3))
    return "\n".join(out)


def no_trailing_commas(text: str) -> str:
    """Trailing commas removed before every closing bracket."""
    tokens = [t for t in _lexer().tokens(text) if not isinstance(t, LexError)]
    cut = [int(t.start_pos or 0) for t, nxt in itertools.pairwise(tokens)
           if str(t) == "," and str(nxt) in (")", "]", "}")]
    for pos in reversed(cut):
        text = text[:pos] + text[pos + 1 :]
    return text


def mangle(text: str, how: str, seed: int) -> str:
    """A copy of `text` mis-formatted in the way `how` names."""
    if how == "one_line":
        return one_line(text)
    if how == "indentation":
        return bad_indentation(text, seed)
    if how == "blank_lines":
        return blank_lines(text, seed)
    return no_trailing_commas(text)


# -- the oracle ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Case:
    """One input for rustfmt and the formatter, named for the test ids."""

    name: str
    text: str


def _rustfmt_batch(paths: list[Path]) -> str:
    """Format `paths` in place; rustfmt's error messages (they name the failing files)."""
    assert RUSTFMT is not None
    done = subprocess.run([RUSTFMT, "--edition", "2021", *map(str, paths)],
                          capture_output=True, text=True, check=False, timeout=300)
    return done.stderr


def run_rustfmt(cases: list[Case]) -> dict[str, str | None]:
    """rustfmt's output for each case (None where rustfmt failed), formatting copies in
    place in two batches run in parallel."""
    with tempfile.TemporaryDirectory() as tmp:
        paths = []
        for i, case in enumerate(cases):
            path = Path(tmp) / f"case{i}.rs"
            path.write_text(case.text, encoding="utf-8")
            paths.append(path)
        with ThreadPoolExecutor(2) as pool:
            errors = "".join(pool.map(_rustfmt_batch, [paths[0::2], paths[1::2]]))
        return {case.name: None if f"{path.name}:" in errors else path.read_text("utf-8")
                for case, path in zip(cases, paths, strict=True)}


def corpus_cases() -> list[Case]:
    """Every program of the corpus as it is."""
    return [Case(rel(p), p.read_text(encoding="utf-8")) for p in CORPUS]


def mangled_cases() -> list[Case]:
    """Mis-formatted copies of the examples and of a quarter of the corpus."""
    cases = []
    for i, path in enumerate(EXAMPLES + CORPUS[::4]):
        text = path.read_text(encoding="utf-8")
        for how in MANGLINGS:
            mangled = mangle(text, how, seed=i)
            if mangled != text:
                cases.append(Case(f"mangled:{how}:{rel(path)}", mangled))
    return cases


@pytest.fixture(scope="module")
def formatted() -> dict[str, FormatResult]:
    """`format_source` on every case, once per module."""
    return {c.name: format_source(c.text) for c in corpus_cases() + mangled_cases()}


@pytest.fixture(scope="module")
def rustfmt() -> dict[str, str | None]:
    """rustfmt on every case, once per module (skipped without rustfmt)."""
    if RUSTFMT is None:
        print("rustfmt is not installed: the comparisons with rustfmt are skipped")
        pytest.skip("rustfmt is not installed (the oracle for gust fmt)")
    return run_rustfmt(corpus_cases() + mangled_cases())


CORPUS_IDS = [rel(p) for p in CORPUS]


# -- every program of the corpus -------------------------------------------------------------


@pytest.mark.parametrize("name", CORPUS_IDS)
def test_matches_rustfmt(name: str, formatted: dict[str, FormatResult],
                         rustfmt: dict[str, str | None]) -> None:
    want = rustfmt[name]
    result = formatted[name]
    assert result.ok, result.errors
    assert want is not None, f"rustfmt could not format {name}"
    assert result.text == want


@pytest.mark.parametrize("name", CORPUS_IDS)
def test_idempotent(name: str, formatted: dict[str, FormatResult]) -> None:
    once = formatted[name]
    assert once.ok, once.errors
    assert format_source(once.text).text == once.text


def _comments(text: str) -> list[str]:
    """The comments of a text, whitespace-normalised (formatting re-indents them)."""
    return [" ".join(c.split()) for c in ungrouped_comments(text)]


@pytest.mark.parametrize("name", CORPUS_IDS)
def test_keeps_every_comment(name: str, formatted: dict[str, FormatResult]) -> None:
    original = (ROOT / name).read_text(encoding="utf-8")
    assert _comments(formatted[name].text) == _comments(original)


def _codes(path: str, text: str) -> list[tuple[str, str]]:
    """The checker's diagnostics as (code, severity), in a stable order."""
    return sorted((d.code or "", d.severity.value) for d in check_source(path, text))


@pytest.mark.parametrize("name", CORPUS_IDS)
def test_same_diagnostics(name: str, formatted: dict[str, FormatResult]) -> None:
    original = (ROOT / name).read_text(encoding="utf-8")
    assert _codes(name, formatted[name].text) == _codes(name, original)


@pytest.fixture(scope="module")
def runs(formatted: dict[str, FormatResult],
         tmp_path_factory: pytest.TempPathFactory) -> dict[str, subprocess.CompletedProcess[str]]:
    """`gust run` on the formatted examples, two at a time."""
    tmp = tmp_path_factory.mktemp("formatted")

    def run(name: str) -> subprocess.CompletedProcess[str]:
        """Build and run one formatted example."""
        path = tmp / f"{name}.gust"
        path.write_text(formatted[f"examples/{name}.gust"].text, encoding="utf-8")
        return subprocess.run([sys.executable, "-m", "gust", "run", str(path)],
                              capture_output=True, text=True, timeout=600, check=False)

    with ThreadPoolExecutor(2) as pool:
        return dict(zip(RUN_EXAMPLES, pool.map(run, RUN_EXAMPLES), strict=True))


@pytest.mark.parametrize("name", RUN_EXAMPLES)
def test_formatted_example_prints_the_same(
        name: str, runs: dict[str, subprocess.CompletedProcess[str]],
        formatted: dict[str, FormatResult]) -> None:
    assert formatted[f"examples/{name}.gust"].text != \
        (ROOT / f"examples/{name}.gust").read_text(encoding="utf-8"), "pick changed examples"
    result = runs[name]
    assert result.returncode == 0, result.stderr
    assert result.stdout == (ROOT / f"examples/{name}.stdout").read_text(encoding="utf-8")


# -- mis-formatted inputs --------------------------------------------------------------------


@pytest.mark.parametrize("how", MANGLINGS)
def test_misformatted_inputs_format_like_rustfmt(how: str, formatted: dict[str, FormatResult],
                                                 rustfmt: dict[str, str | None]) -> None:
    names = [n for n in rustfmt if n.startswith(f"mangled:{how}:")]
    assert names
    mismatched = [n for n in names
                  if rustfmt[n] is not None and formatted[n].text != rustfmt[n]]
    assert not mismatched


def test_a_doc_comment_after_code_moves_to_its_own_line() -> None:
    """A `///` comment documents the next item (it is an attribute, not a trailing
    comment): rustfmt puts it on its own line."""
    text = ("trait Shape {\n    fn area(&self) -> f64; /// Its name.\n"
            "    fn name(&self) -> String; // a plain comment stays\n}\n")
    assert format_source(text).text == (
        "trait Shape {\n    fn area(&self) -> f64;\n    /// Its name.\n"
        "    fn name(&self) -> String; // a plain comment stays\n}\n")


def test_everything_on_one_line() -> None:
    text = ("struct Job{name:String,gpus:u32}fn main(){let jobs=vec![Job{name:String::from("
            "\"train\"),gpus:8},Job{name:String::from(\"eval\"),gpus:1}];for j in &jobs{if j.gpus>"
            "4{println!(\"{} needs {} gpus\",j.name,j.gpus)}else{println!(\"{} is small\",j.name)}}}")
    assert format_source(text).text == """\
struct Job {
    name: String,
    gpus: u32,
}
fn main() {
    let jobs = vec![
        Job {
            name: String::from("train"),
            gpus: 8,
        },
        Job {
            name: String::from("eval"),
            gpus: 1,
        },
    ];
    for j in &jobs {
        if j.gpus > 4 {
            println!("{} needs {} gpus", j.name, j.gpus)
        } else {
            println!("{} is small", j.name)
        }
    }
}
"""


def test_matches_macro_is_kept() -> None:
    """`matches!` is parsed as the `match` it stands for; the formatter keeps the macro
    call as written (it was rewritten as a `match` whose text lost its meaning)."""
    text = ("fn f(xs: &[u8], p: (u8, bool)) -> bool {\n"
            "    matches!(xs, [0, ..]) && matches!(p, (1..=9, _) if p.1)\n}\n")
    result = format_source(text)
    assert not result.errors
    assert result.text == text


def test_matches_macro_as_rustfmt_keeps_it() -> None:
    """rustfmt formats `matches!`'s arguments only when they parse as expressions: two
    ranges in one or-pattern do not (kept as written), nor do `[..]` and `{..}` calls;
    `let (A | B) = ..` and `&(1 | 2)` keep the parentheses the pattern needs."""
    kept = ("fn f(c: u8, o: Option<&u8>) -> bool {\n"
            "    let (b'a'..=b'z' | b'_') = c else {\n        return false;\n    };\n"
            "    matches!(c, b'a'..=b'z'|b'A'..=b'Z',) && matches![c, 1 | 2] || matches!(o, Some(&(1 | 2)))\n"
            "}\n")
    result = format_source(kept)
    assert not result.errors
    assert result.text == kept
    assert format_source("fn f(c: u8) -> bool { matches!(c, 1..=5|7) }\n").text == \
        "fn f(c: u8) -> bool {\n    matches!(c, 1..=5 | 7)\n}\n"


def test_blank_lines_and_trailing_commas() -> None:
    text = "fn main() {\n\n\n    let v = vec![\n        1,\n        2\n    ];\n\n\n\n    f(v)\n}\n"
    assert format_source(text).text == "fn main() {\n    let v = vec![1, 2];\n\n    f(v)\n}\n"


# -- refusing, ranges, internal errors -------------------------------------------------------


@pytest.mark.parametrize("path", SYNTAX_ERRORS, ids=rel)
def test_syntax_errors_are_refused(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    result = format_source(text)
    assert not result.ok
    assert result.text == text
    assert [e.message for e in result.errors] == \
        [e.message for e in parse_source(text).syntax_errors]


def test_range_formatting_touches_only_the_range() -> None:
    text = "fn a() {\nlet x=1;\n}\nfn b() {\nlet y=2;\n}\n"
    start = text.index("let y")
    result = format_range(text, start, start + 3)
    assert result.text == "fn a() {\nlet x=1;\n}\nfn b() {\n    let y = 2;\n}\n"


def test_never_raises() -> None:
    for text in ["", "\n\n", "fn", "fn main() { let x = ; }", "}}}", "/* open", "\0\x7f"]:
        result = format_source(text)
        assert isinstance(result, FormatResult)


def test_empty_file() -> None:
    assert format_source("").text == ""
    assert format_source("// only a comment\n").text == "// only a comment\n"


# -- gust fmt ------------------------------------------------------------------------------


UGLY = "fn main(){let x=1;println!(\"{}\",x);}\n"
PRETTY = "fn main() {\n    let x = 1;\n    println!(\"{}\", x);\n}\n"
BROKEN = "fn main() {\n    let x = 1\n    let y = 2;\n}\n"


def test_cli_formats_files_in_place(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "sub").mkdir()
    (tmp_path / "a.gust").write_text(UGLY, encoding="utf-8")
    (tmp_path / "sub" / "b.gust").write_text(UGLY, encoding="utf-8")
    (tmp_path / "c.txt").write_text(UGLY, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert gust_main(["fmt"]) == 0
    assert (tmp_path / "a.gust").read_text(encoding="utf-8") == PRETTY
    assert (tmp_path / "sub" / "b.gust").read_text(encoding="utf-8") == PRETTY
    assert (tmp_path / "c.txt").read_text(encoding="utf-8") == UGLY


def test_cli_check(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    ugly, pretty = tmp_path / "ugly.gust", tmp_path / "pretty.gust"
    ugly.write_text(UGLY, encoding="utf-8")
    pretty.write_text(PRETTY, encoding="utf-8")
    assert gust_main(["fmt", "--check", str(pretty)]) == 0
    assert capsys.readouterr().out == ""
    assert gust_main(["fmt", "--check", str(ugly), str(pretty)]) == 1
    out = capsys.readouterr().out
    assert f"Diff in {ugly}" in out and str(pretty) not in out
    assert "+    let x = 1;" in out and "-fn main(){" in out
    assert ugly.read_text(encoding="utf-8") == UGLY


def test_cli_syntax_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    broken, ugly = tmp_path / "broken.gust", tmp_path / "ugly.gust"
    broken.write_text(BROKEN, encoding="utf-8")
    ugly.write_text(UGLY, encoding="utf-8")
    assert gust_main(["fmt", str(tmp_path)]) == 1
    err = capsys.readouterr().err
    assert "error: expected `;`" in err and f"{broken}:2:14" in err
    assert broken.read_text(encoding="utf-8") == BROKEN
    assert ugly.read_text(encoding="utf-8") == PRETTY


def test_cli_usage_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert gust_main(["fmt", str(tmp_path / "missing.gust")]) == 2
    assert "no such file" in capsys.readouterr().err
    assert gust_main(["fmt", "-", str(tmp_path)]) == 2
    with pytest.raises(SystemExit) as exc:
        gust_main(["fmt", "--bogus"])
    assert exc.value.code == 2


def test_cli_stdin(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr(sys, "stdin", _Stdin(UGLY))
    assert gust_main(["fmt", "-"]) == 0
    assert capsys.readouterr().out == PRETTY
    monkeypatch.setattr(sys, "stdin", _Stdin(BROKEN))
    assert gust_main(["fmt", "-"]) == 1
    captured = capsys.readouterr()
    assert captured.out == "" and "<stdin>:2:14" in captured.err


class _Stdin:
    """A stand-in for `sys.stdin` (the CLI reads it with `read()`)."""

    def __init__(self, text: str) -> None:
        """Serve `text`."""
        self.text = text

    def read(self) -> str:
        """The whole input."""
        return self.text


# -- the language server ---------------------------------------------------------------------


def test_document_edits_are_minimal() -> None:
    text = "fn a() {\n    let x = 1;\n}\nfn b(){let y=2;}\n"
    edits = document_edits(text)
    assert len(edits) == 1 and edits[0].start == text.index("fn b")
    assert apply_edits(text, edits) == format_source(text).text
    assert document_edits(BROKEN) == []


SERVER = [sys.executable, "-m", "gust.lsp.server"]
LSP_TEST = pytest.mark.asyncio(loop_scope="module")


@pytest_lsp.fixture(  # type: ignore[untyped-decorator]
    config=ClientServerConfig(server_command=SERVER),
    scope="module",
)
async def fmt_client(lsp_client: LanguageClient,
                     tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[None]:
    """A server of its own for these tests, checked to advertise formatting."""
    result = await lsp_client.initialize_session(lsp.InitializeParams(
        capabilities=client_capabilities("visual-studio-code"),
        root_uri=tmp_path_factory.mktemp("workspace").as_uri(),
    ))
    assert result.capabilities.document_formatting_provider
    assert result.capabilities.document_range_formatting_provider
    yield
    await lsp_client.shutdown_session()


def _apply(text: str, edits: Sequence[lsp.TextEdit] | None) -> str:
    """LSP edits (UTF-16 positions) applied to `text`."""
    index = LineIndex(text)
    spans = [(index.offset_of_utf16(e.range.start.line, e.range.start.character),
              index.offset_of_utf16(e.range.end.line, e.range.end.character), e.new_text)
             for e in edits or []]
    for start, end, new in sorted(spans, reverse=True):
        text = text[:start] + new + text[end:]
    return text


def _open(client: LanguageClient, uri: str, text: str) -> None:
    """Open a document in the server."""
    client.text_document_did_open(lsp.DidOpenTextDocumentParams(
        text_document=lsp.TextDocumentItem(uri=uri, language_id="gust", version=1, text=text)))


LSP_TEXT = 'fn main(){let s="héllo 🦀";println!("{}",s);}\nfn unchanged() {}\n'


@LSP_TEST
async def test_lsp_formatting(fmt_client: LanguageClient, tmp_path: Path) -> None:
    uri = (tmp_path / "doc.gust").as_uri()
    _open(fmt_client, uri, LSP_TEXT)
    edits = await fmt_client.text_document_formatting_async(lsp.DocumentFormattingParams(
        text_document=lsp.TextDocumentIdentifier(uri=uri),
        options=lsp.FormattingOptions(tab_size=4, insert_spaces=True)))
    assert edits and all(e.range.start.line == 0 for e in edits)
    assert _apply(LSP_TEXT, edits) == format_source(LSP_TEXT).text


@LSP_TEST
async def test_lsp_range_formatting(fmt_client: LanguageClient, tmp_path: Path) -> None:
    uri = (tmp_path / "range.gust").as_uri()
    text = "fn a(){let x=1;}\nfn b(){let y=2;}\n"
    _open(fmt_client, uri, text)
    edits = await fmt_client.text_document_range_formatting_async(
        lsp.DocumentRangeFormattingParams(
            text_document=lsp.TextDocumentIdentifier(uri=uri),
            range=lsp.Range(start=lsp.Position(line=1, character=0),
                            end=lsp.Position(line=1, character=3)),
            options=lsp.FormattingOptions(tab_size=4, insert_spaces=True)))
    assert _apply(text, edits) == "fn a(){let x=1;}\nfn b() {\n    let y = 2;\n}\n"


@LSP_TEST
async def test_lsp_no_edits_with_syntax_errors(fmt_client: LanguageClient,
                                               tmp_path: Path) -> None:
    uri = (tmp_path / "broken.gust").as_uri()
    _open(fmt_client, uri, BROKEN)
    edits = await fmt_client.text_document_formatting_async(lsp.DocumentFormattingParams(
        text_document=lsp.TextDocumentIdentifier(uri=uri),
        options=lsp.FormattingOptions(tab_size=4, insert_spaces=True)))
    assert not edits

