"""Smoke tests of the benchmark tools in bench/ (quick; nothing here is about speed)."""

from __future__ import annotations

import importlib
import json
import random
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from gust.ide import check_source

BENCH = Path(__file__).resolve().parent.parent / "bench"


@pytest.fixture
def gen(monkeypatch: pytest.MonkeyPatch) -> ModuleType:
    monkeypatch.syspath_prepend(str(BENCH))
    return importlib.import_module("gen_program")


@pytest.fixture
def latency(monkeypatch: pytest.MonkeyPatch) -> ModuleType:
    monkeypatch.syspath_prepend(str(BENCH))
    return importlib.import_module("lsp_latency")


@pytest.mark.parametrize("lines", [150, 1000])
def test_generated_program_has_the_size_and_checks_clean(gen: ModuleType, lines: int) -> None:
    program = gen.generate(lines, seed=3)
    assert program.line_count == lines
    assert program.text.endswith("}\n")
    assert program.edit_sites and program.hover_sites
    assert check_source(f"gen_{lines}.gust", program.text) == []


def test_generator_is_deterministic(gen: ModuleType) -> None:
    assert gen.generate(400, seed=11).text == gen.generate(400, seed=11).text
    assert gen.generate(400, seed=11).text != gen.generate(400, seed=12).text


def test_sites_point_at_what_they_promise(gen: ModuleType) -> None:
    program = gen.generate(600, seed=5)
    lines = program.text.splitlines()
    for site in program.edit_sites:
        number = lines[site.line][site.col:site.col + 3]
        assert number[0] in "123456789" and number[1].isdigit() and not number[2].isdigit()
    for hover in program.hover_sites:
        assert lines[hover.line][hover.col:].startswith(hover.name)


def test_benchmark_edits_keep_the_program_valid(latency: ModuleType) -> None:
    program = latency.generate(300, seed=7)
    stream = latency.EditStream(list(program.edit_sites), program.text, random.Random(1))
    text = program.text
    for _ in range(10):
        _, change = stream.next_change()
        text = latency.apply_change(text, change)
        assert check_source("edited.gust", text) == []
    assert len(text) == len(program.text) and text != program.text


@pytest.mark.skipif(shutil.which("rustc") is None, reason="rustc is not on PATH")
def test_rustc_accepts_a_generated_program(gen: ModuleType) -> None:
    result = gen.rustc_check(gen.generate(300, seed=9).text, timeout=120)
    assert result.returncode == 0, result.stderr


@dataclass(frozen=True)
class QuickRun:
    """`bench/run_all.py --quick`, run once for the tests below."""

    stdout: str
    results: Path

    def json(self, name: str) -> Any:
        return json.loads((self.results / f"{name}.json").read_text())


@pytest.fixture(scope="module")
def quick(tmp_path_factory: pytest.TempPathFactory) -> QuickRun:
    results = tmp_path_factory.mktemp("bench-quick")
    proc = subprocess.run(
        [sys.executable, str(BENCH / "run_all.py"), "--quick", "--results", str(results)],
        capture_output=True, text=True, timeout=900, check=False)
    assert proc.returncode == 0, proc.stdout[-6000:] + proc.stderr[-4000:]
    return QuickRun(proc.stdout, results)


def test_run_all_runs_every_benchmark_and_writes_its_plot_and_markdown(
        quick: QuickRun, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.syspath_prepend(str(BENCH))
    run_all = importlib.import_module("run_all")
    assert f"{len(run_all.BENCHMARKS)} benchmarks in" in quick.stdout
    assert "all ran" in quick.stdout
    markdown = (quick.results / "performance.md").read_text()
    assert markdown.startswith(run_all.BEGIN) and markdown.rstrip().endswith(run_all.END)
    for bench in run_all.BENCHMARKS:
        assert f"### {bench.title}" in markdown
        png = quick.results / f"{bench.name}.png"
        assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n", bench.name
        assert f"({png})" in markdown
    # Every table row of the generated section carries the load average it was measured at.
    rows = [line for line in markdown.splitlines()
            if line.startswith("| ") and not line.startswith("| lines |")
            and not line.startswith(("| after |", "| tree |", "| measurement |",
                                     "| program |"))]
    assert rows and all(re.search(r"\| \d+\.\d(-\d+\.\d)? \|$", row) for row in rows), rows


def test_run_all_replaces_only_its_section_of_the_docs(tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.syspath_prepend(str(BENCH))
    run_all = importlib.import_module("run_all")
    docs = tmp_path / "performance.md"
    docs.write_text("# Performance\n\nIntro.\n\n## History\n\nOld.\n")
    run_all.update_docs(docs, f"{run_all.BEGIN}\nfirst\n{run_all.END}")
    run_all.update_docs(docs, f"{run_all.BEGIN}\nsecond\n{run_all.END}")
    assert docs.read_text() == (f"# Performance\n\nIntro.\n\n{run_all.BEGIN}\nsecond\n"
                                f"{run_all.END}\n\n## History\n\nOld.\n")
    # The real document has the markers once, so the runner replaces its section in place.
    real = (BENCH.parent / "docs" / "performance.md").read_text()
    assert real.count(run_all.BEGIN) == real.count(run_all.END) == 1


def test_a_partial_run_keeps_the_sections_it_has_no_results_for(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`run_all.py --only x` on a machine without the other benchmarks' results (they are
    not committed) keeps their sections from the docs, labelled with the run they came from,
    where it used to drop them."""
    monkeypatch.syspath_prepend(str(BENCH))
    run_all = importlib.import_module("run_all")
    first, second = run_all.BENCHMARKS[0], run_all.BENCHMARKS[1]
    docs = tmp_path / "performance.md"
    docs.write_text(
        f"# Performance\n\n{run_all.BEGIN}\n## Latest numbers\n\nRun 2026-11-28 20:06 UTC at "
        f"commit abc1234 2026-11-28, 2 cores.\n\n### {first.title}\n\nWhat it measures.\n\n"
        f"| n | 1 |\n\n### {second.title}\n\n**From an earlier run (2026-11-27 09:00 UTC, "
        f"commit def5678 2026-11-27).** Older.\n\n{run_all.END}\n")
    kept = run_all.kept_sections(docs)
    section = run_all.markdown([], "python bench/run_all.py --only x", docs, 1.0,
                               ([0.0], [0.0]), set(), kept)
    assert (f"### {first.title}\n\n**From an earlier run (2026-11-28 20:06 UTC, commit abc1234 "
            "2026-11-28).** What it measures.\n\n| n | 1 |\n") in section, section
    assert (f"### {second.title}\n\n**From an earlier run (2026-11-27 09:00 UTC, commit "
            "def5678 2026-11-27).** Older.\n") in section, section


def test_lsp_latency_measures_every_request_through_the_client(quick: QuickRun) -> None:
    for row in ("cold open -> full diagnostics", "keystroke -> diagnostics", "hover",
                "edit -> gust/generatedGo", "keystroke `.` -> completion",
                "edit -> semanticTokens/full"):
        assert row in quick.stdout
    (size,) = quick.json("lsp_latency")["sizes"]
    assert size["lines"] == 200
    assert size["stats"]["keystroke -> diagnostics"]["n"] == 5
    # `--edits 5`: two `.` completions, each of which lists the local's methods.
    assert size["stats"]["keystroke `.` -> completion"]["n"] == 2
    assert size["completion_misses"] == 0 and size["hover_misses"] == 0
    assert size["stats"]["edit -> semanticTokens/full"]["n"] == 2
    assert size["semantic_empty"] == 0 and size["nonempty_diagnostics"] == 0
    assert size["go_version_mismatch"] == 0
    assert len(size["load_before"]) == len(size["load_after"]) == 3


def test_lsp_memory_samples_the_server_as_it_is_edited(quick: QuickRun) -> None:
    data = quick.json("lsp_memory")
    assert [s["edits"] for s in data["samples"]] == [20, 40]
    assert 10 < data["startup_rss_mb"] <= data["open_rss_mb"] < 1000
    assert all(10 < s["rss_mb"] < 1000 for s in data["samples"])
    assert data["nonempty_diagnostics"] == 0


def test_completion_speed_runs_and_every_completion_lists_the_methods(quick: QuickRun
                                                                      ) -> None:
    assert "`.` completion, CPU" in quick.stdout
    assert "300 lines: 0 completions without `pow`" in quick.stdout
    rows = quick.json("completion_speed")["rows"]
    assert [r["n"] for r in rows] == [4, 4] and all(r["misses"] == 0 for r in rows)


def test_parse_speed_runs_to_completion(quick: QuickRun) -> None:
    (row,) = quick.json("parse_speed")["rows"]
    assert row["lines"] == 300 and row["lines_per_s"] > 0 and row["edit_p50_ms"] > 0


def test_check_speed_runs_gust_and_rustc_on_the_same_file(quick: QuickRun) -> None:
    (row,) = quick.json("check_speed")["rows"]
    assert row["lines"] == 300
    assert 0 < row["type_check_cold_s"] < row["all_s"]
    # The commands ran and exited 0 (a failing command stops the benchmark).
    assert row["gust_check_s"] > 0 and row["gust_check_cpu_s"] > 0
    assert row["gust_build_s"] > 0 and row["gust_build_cpu_s"] > 0
    if shutil.which("rustc") is not None:
        assert row["rustc_metadata_s"] > 0 and row["rustc_metadata_cpu_s"] > 0
        assert "ratio (CPU)" in (quick.results / "performance.md").read_text()


def test_semantic_tokens_bench_runs_to_completion(quick: QuickRun) -> None:
    rows = {r["name"]: r for r in quick.json("semantic_tokens")["rows"]}
    assert set(rows) == {"first semanticTokens/full", "full after a keystroke",
                         "full, unchanged", "full/delta after a keystroke",
                         "range (60 lines) after a keystroke"}
    # Every full answer has the same, non-zero number of tokens; a delta far fewer.
    counts = {rows[name]["count"] for name in rows if "full" in name and "delta" not in name}
    assert len(counts) == 1
    total = counts.pop()
    assert total > 100 and rows["full/delta after a keystroke"]["count"] < total // 4


def test_borrowck_speed_runs_and_edits_reborrow_check_one_body(quick: QuickRun) -> None:
    result = quick.json("borrowck_speed")
    assert result["typical"]["functions"] > 0 and result["typical"]["median_ms"] > 0
    assert result["whole"]["bodies"] > result["typical"]["functions"]
    assert result["incremental"]["items_rechecked"] == [1]
    assert result["incremental"]["bodies_borrow_checked"] == [1]


def test_emit_speed_runs_to_completion(quick: QuickRun) -> None:
    (row,) = quick.json("emit_speed")["rows"]
    assert row["lines"] == 300
    # Emitting is a part of the in-process build, which is a part of the command's time.
    assert 0 < row["emit_s"] < row["build_in_process_s"] < row["gust_build_s"]


def test_check_tree_benchmark_runs(quick: QuickRun) -> None:
    assert "generated tree (3 programs of 130 lines): 3 files, 390 lines" in quick.stdout
    (tree,) = quick.json("check_tree")["trees"]
    # Every run of `gust check` over the generated (valid) programs exits 0.
    assert len(tree["rows"]) == 4 and all(r["exit"] == 0 for r in tree["rows"])


@pytest.mark.skipif(shutil.which("rustc") is None, reason="rustc is not on PATH")
def test_go_programs_build_three_ways_and_agree(tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    """bench/go_programs.py on tiny work: every program of bench/programs/ is built by gust
    + go, by go from the hand-written Go and by rustc -O, and the three print the same
    checksum (the runner raises otherwise). Allocations are counted for one program (the
    counting builds of all six would double the test's time), and instructions (callgrind)
    for another, when valgrind is installed."""
    monkeypatch.syspath_prepend(str(BENCH))
    runner = importlib.import_module("go_programs")
    names = sorted(p.stem for p in (BENCH / "programs").glob("*.gust"))
    assert names == sorted(runner.PROGRAMS)
    assert all((BENCH / "programs" / f"{n}.go").exists() for n in names)
    valgrind = shutil.which("valgrind") is not None
    if not valgrind:
        print("instruction counts not checked: valgrind is not on PATH")
    for name in names:
        count = valgrind and name == "matmul"
        row = runner.measure(name, tmp_path / name, runs=1, arg=runner.PROGRAMS[name][1],
                             warmup=0, allocs=name == "aggregate", callgrind=count)
        assert set(row.builds) == {"gust", "go", "rustc"}
        counted = [b.allocs for b in row.builds.values()]
        assert all(n is not None and n > 0 for n in counted) == (name == "aggregate")
        instructions = [b.instructions for b in row.builds.values()]
        assert all(n is not None and n > 100_000 for n in instructions) == count
        if count:
            assert "| gust / Go (instructions) |" in runner.table([row])
    printed = subprocess.run([str(tmp_path / "wordcount" / "gust.bin"), "3000"],
                             capture_output=True, text=True, check=True)
    assert printed.stdout.startswith("bytes ") and "checksum" in printed.stdout
