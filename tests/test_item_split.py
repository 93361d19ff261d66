"""The items of one large file checked in forked processes (issue 10: `gust check` spread
over cores; gust.cli.item_split): the same diagnostics, in the same order, as checking
them one by one, on the UI corpus and on a large generated program with errors; the
serial path again when a child fails; the CLI's output byte for byte."""

from __future__ import annotations

import importlib
import os
import subprocess
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

import pytest

from gust.cli import check, check_cache, cores, item_split
from gust.cli.render import render_human
from gust.ide.analysis import AnalysisHost, ItemFanOut, ItemOutcome
from gust.project.gopackages import GoPackages
from gust.project.provider import go_provider
from gust.syntax.split import split_items

ROOT = Path(__file__).parent.parent
UI = sorted((ROOT / "tests" / "ui").rglob("*.gust"))
BENCH = ROOT / "bench"

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="needs os.fork")


class Counting:
    """A fan-out that remembers whether it answered (None: the host checked serially)."""

    def __init__(self, inner: ItemFanOut) -> None:
        self.inner = inner
        self.split = 0

    def __call__(self, sizes: Sequence[int], offsets: Sequence[int],
                 check: Callable[[int], ItemOutcome]) -> list[ItemOutcome] | None:
        found = self.inner(sizes, offsets, check)
        self.split += found is not None
        return found


def rendered(path: str, text: str, fan_out: ItemFanOut | None) -> tuple[list[str], int]:
    """The file's diagnostics as `gust check` prints them, and the items it re-checked."""
    host = AnalysisHost(go_provider(GoPackages(module_packages=True)))
    host.fan_out = fan_out
    host.set_text(path, text)
    diagnostics = host.analyze(path).diagnostics()
    return [render_human(path, text, diag) for diag in diagnostics], host.rechecked


def test_ui_corpus_same_diagnostics_split_or_not() -> None:
    splits = 0
    for file in UI:
        text = file.read_text(encoding="utf-8")
        fan_out = Counting(item_split.fork_fan_out(2, 1) or pytest.fail("no fan-out"))
        serial = rendered(str(file), text, None)
        assert rendered(str(file), text, fan_out) == serial, file
        splits += fan_out.split
    # Most files have two items or more to check: they were split.
    assert splits > len(UI) // 2


def big_program_with_errors() -> str:
    """A generated 3,000-line program (valid Rust) with type errors, uses after moves and
    unused variables (lints) spread through it."""
    if str(BENCH) not in sys.path:
        sys.path.insert(0, str(BENCH))
    lines = importlib.import_module("gen_program").generate(3000, seed=7).text.split("\n")
    out: list[str] = []
    functions = 0
    for line in lines:
        out.append(line)
        functions += line.startswith("fn ") and line.endswith("{")
        if not (line.startswith("fn ") and line.endswith("{")):
            continue
        # (Borrows are checked only in functions without type errors.)
        if functions % 6 == 0:
            out.append('    let wrong: i32 = "x";')
        elif functions % 6 == 3:
            out.append("    let v = vec![1]; let w = v; let again = v.len();")
    return "\n".join(out)


def test_large_file_with_errors_same_diagnostics() -> None:
    text = big_program_with_errors()
    fan_out = Counting(item_split.fork_fan_out(2, 1) or pytest.fail("no fan-out"))
    serial, checked = rendered("big.gust", text, None)
    split, split_checked = rendered("big.gust", text, fan_out)
    assert fan_out.split == 1
    assert len(serial) > 20 and any("E0308" in x for x in serial) and \
        any("E0382" in x for x in serial)
    assert split == serial
    assert split_checked == checked


def test_a_failing_child_falls_back_to_serial() -> None:
    text = big_program_with_errors()
    parent = os.getpid()
    inner = item_split.fork_fan_out(2, 1) or pytest.fail("no fan-out")

    def crashing(sizes: Sequence[int], offsets: Sequence[int],
                 check: Callable[[int], ItemOutcome]) -> list[ItemOutcome] | None:
        def check_or_die(i: int) -> ItemOutcome:
            if os.getpid() != parent:
                raise RuntimeError("a child that fails")
            return check(i)
        return inner(sizes, offsets, check_or_die)

    fan_out = Counting(crashing)
    assert rendered("big.gust", text, fan_out) == rendered("big.gust", text, None)
    assert fan_out.split == 0


def test_below_the_threshold_not_split() -> None:
    fan_out = Counting(item_split.fork_fan_out(2, 10**9) or pytest.fail("no fan-out"))
    rendered("big.gust", big_program_with_errors(), fan_out)
    assert fan_out.split == 0
    assert item_split.fork_fan_out(1, 1) is None


def test_not_split_when_the_other_cores_were_busy() -> None:
    """The cores' real times since the check began decide: a reading that makes every
    tick since it busy (nobody idle: only this process would run) keeps the items here;
    one that makes them idle forks."""
    now = cores.cpu_times()
    if now is None:
        pytest.skip("no /proc/stat")
    text = big_program_with_errors()
    ticks = 1000 * now.cores  # far more than the test adds, busy or idle
    busy = cores.CpuTimes(now.total - ticks, now.idle, now.cores)
    fan_out = Counting(item_split.fork_fan_out(2, 1, busy) or pytest.fail("no fan-out"))
    assert rendered("big.gust", text, fan_out) == rendered("big.gust", text, None)
    assert fan_out.split == 0
    idle = cores.CpuTimes(now.total - ticks, now.idle - ticks, now.cores)
    fan_out = Counting(item_split.fork_fan_out(2, 1, idle) or pytest.fail("no fan-out"))
    assert rendered("big.gust", text, fan_out) == rendered("big.gust", text, None)
    assert fan_out.split == 1


def test_shares_are_balanced_and_in_item_order() -> None:
    parts = item_split.shares([5, 1, 1, 1, 1, 1, 9, 2], 2)
    assert sorted(i for p in parts for i in p) == list(range(8))
    assert all(p == sorted(p) for p in parts)
    loads = sorted(sum([5, 1, 1, 1, 1, 1, 9, 2][i] for i in p) for p in parts)
    assert loads == [10, 11]


def test_cli_output_byte_identical(tmp_path: Path) -> None:
    path = tmp_path / "big.gust"
    path.write_text(big_program_with_errors(), encoding="utf-8")
    runs = []
    for args, extra in ((["-j", "1"], {}), ([], {item_split.MIN_CHARS_ENV: "1"})):
        for fmt in ("human", "json"):
            runs.append(subprocess.run(
                [sys.executable, "-m", "gust", "check", "--no-cache", "--format", fmt, *args,
                 str(path)], capture_output=True, check=False, timeout=300,
                env={**os.environ, **extra}))
    serial, split = runs[:2], runs[2:]
    for one, other in zip(serial, split, strict=True):
        assert one.returncode == other.returncode == 1
        assert one.stdout == other.stdout and one.stderr == other.stderr
    assert b"E0382" in serial[0].stderr


# ---------------------------------------------------------------- split before the parse

PROGRAMS = sorted((ROOT / "tests" / "programs").glob("*.gust"))


def early(path: str, text: str) -> list[dict[str, object]] | None:
    """The file's diagnostics (as `gust check` keeps them) with its items shared out
    before the parse; None when it was not split or the split gave up."""
    def new_host() -> AnalysisHost:
        return AnalysisHost(go_provider(GoPackages(module_packages=True)))

    return check._split_before_parsing(new_host, path, text, 2, None)


def serial(path: str, text: str) -> list[dict[str, object]]:
    host = AnalysisHost(go_provider(GoPackages(module_packages=True)))
    host.set_text(path, text)
    return [check_cache.diagnostic_to_data(diag) for diag in host.analyze(path).diagnostics()]


def test_split_before_parsing_same_diagnostics(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every UI case (rustc's errors, syntax errors among them) and every differential
    program: split before the parse, the diagnostics are the serial check's; most are
    split (a file with one item, or a syntax error in the child's share, is not)."""
    monkeypatch.setenv(item_split.MIN_CHARS_ENV, "1")
    splits = 0
    files = [*UI, *PROGRAMS]
    for file in files:
        text = file.read_text(encoding="utf-8")
        found = early(str(file), text)
        if found is not None:
            splits += 1
            assert found == serial(str(file), text), file
    assert splits > len(files) // 2


def test_split_before_parsing_large_file_with_errors(monkeypatch: pytest.MonkeyPatch
                                                     ) -> None:
    monkeypatch.setenv(item_split.MIN_CHARS_ENV, "1")
    text = big_program_with_errors()
    found = early("big.gust", text)
    expected = serial("big.gust", text)
    assert found == expected
    assert any(x["code"] == "E0382" for x in expected) and \
        any(x["code"] == "E0308" for x in expected)
    # A syntax error in an item of the child's share: its errors would be missing here,
    # so the file is checked again in one process. One in this process's share is kept.
    chunks = split_items(text).chunks
    parts = item_split.shares([c.end - c.start for c in chunks], 2)
    for share, splits in ((parts[1], False), (parts[0], True)):
        last = max(i for i in share if text[chunks[i].start:].startswith("fn "))
        end = chunks[last].end - 1  # its closing brace
        broken = text[:end] + "    let x = ;\n" + text[end:]
        want = serial("big.gust", broken)
        assert any(x["message"] == "expected expression, found `;`" for x in want)
        assert early("big.gust", broken) == (want if splits else None)
        unit = check.Unit((("big.gust", broken),))
        assert check.check_unit(unit, ways=2) == [want]


def test_a_share_whose_skeletons_disagree_is_checked_again(monkeypatch: pytest.MonkeyPatch
                                                           ) -> None:
    """When an item's skeleton would not give its full parse's signature key, the split
    gives up and the file is checked in one process: the result is the serial one."""
    monkeypatch.setenv(item_split.MIN_CHARS_ENV, "1")
    text = big_program_with_errors()
    # Keys that differ between the processes, as a skeleton parsed wrongly would give.
    monkeypatch.setattr(item_split, "signature_key", lambda item, text: str(os.getpid()))
    assert early("big.gust", text) is None
    unit = check.Unit((("big.gust", text),))
    assert check.check_unit(unit, ways=2) == [serial("big.gust", text)]




def test_a_file_importing_go_is_told_from_one_that_does_not() -> None:
    # Which files are shared out before their parse (not those importing Go packages,
    # whose packages are loaded once, first).
    assert check.go_imports('use go "net/http";\nfn main() {}') == ["net/http"]
    assert check.go_imports('// x\n  use   go "fmt"; use go "strings";') == ["fmt", "strings"]
    assert check.go_imports('fn reuse() {}\nlet s = "confuse go \\"x\\"";') == []
    assert check.go_imports('fn main() { let _use = 1; }') == []
