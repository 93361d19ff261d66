"""Smoke tests of the benchmark tools in bench/ (quick; nothing here is about speed)."""

from __future__ import annotations

import importlib
import json
import random
import shutil
import subprocess
import sys
from pathlib import Path
from types import ModuleType

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


def test_lsp_latency_runs_to_completion(tmp_path: Path) -> None:
    out = tmp_path / "lsp_latency.json"
    proc = subprocess.run(
        [sys.executable, str(BENCH / "lsp_latency.py"), "--sizes", "200", "--edits", "5",
         "--out", str(out)],
        capture_output=True, text=True, timeout=300, check=False)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    for row in ("cold open -> full diagnostics", "keystroke -> diagnostics", "hover",
                "edit -> gust/generatedGo", "keystroke `.` -> completion"):
        assert row in proc.stdout
    data = json.loads(out.read_text())
    (size,) = data["sizes"]
    assert size["lines"] == 200
    assert size["stats"]["keystroke -> diagnostics"]["n"] == 5
    # `--edits 5`: two `.` completions, each of which lists the local's methods.
    assert size["stats"]["keystroke `.` -> completion"]["n"] == 2
    assert size["completion_misses"] == 0


def test_completion_speed_runs_and_every_completion_lists_the_methods() -> None:
    proc = subprocess.run(
        [sys.executable, str(BENCH / "completion_speed.py"), "--sizes", "300", "--samples",
         "4"], capture_output=True, text=True, timeout=300, check=False)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "`.` completion, CPU" in proc.stdout
    assert "300 lines: 0 completions without `pow`" in proc.stdout


def test_parse_speed_runs_to_completion(tmp_path: Path) -> None:
    out = tmp_path / "parse_speed.json"
    proc = subprocess.run(
        [sys.executable, str(BENCH / "parse_speed.py"), "--sizes", "300", "--edits", "6",
         "--repeat", "1", "--out", str(out)],
        capture_output=True, text=True, timeout=300, check=False)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    (row,) = json.loads(out.read_text())["rows"]
    assert row["lines"] == 300 and row["lines_per_s"] > 0 and row["edit_p50_ms"] > 0


def test_check_speed_runs_to_completion(tmp_path: Path) -> None:
    out = tmp_path / "check_speed.json"
    proc = subprocess.run(
        [sys.executable, str(BENCH / "check_speed.py"), "--sizes", "300", "--repeat", "1",
         "--out", str(out)],
        capture_output=True, text=True, timeout=300, check=False)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    (row,) = json.loads(out.read_text())["rows"]
    assert row["lines"] == 300
    assert 0 < row["type_check_cold_s"] < row["all_s"]
    # The command line ran and checked the file clean (a failing check raises SystemExit).
    assert row["gust_check_s"] is not None and row["gust_check_s"] > 0
    if shutil.which("rustc") is not None:
        assert row["rustc_metadata_s"] is not None


def test_semantic_tokens_bench_runs_to_completion() -> None:
    proc = subprocess.run(
        [sys.executable, str(BENCH / "semantic_tokens.py"), "--sizes", "200", "--requests",
         "2"], capture_output=True, text=True, timeout=300, check=False)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    rows = {line[8:44].strip(): line[44:].split() for line in proc.stdout.splitlines()
            if line.strip().startswith("200 ")}
    assert set(rows) == {"first semanticTokens/full", "full after a keystroke",
                         "full, unchanged", "full/delta after a keystroke",
                         "range (60 lines) after a keystroke"}
    # Every full answer has the same, non-zero number of tokens; a delta far fewer.
    counts = {rows[name][0] for name in rows if "full" in name and "delta" not in name}
    assert len(counts) == 1
    total = int(counts.pop())
    assert total > 100 and int(rows["full/delta after a keystroke"][0]) < total // 4


def test_borrowck_speed_runs_and_edits_reborrow_check_one_body(tmp_path: Path) -> None:
    out = tmp_path / "borrowck_speed.json"
    proc = subprocess.run(
        [sys.executable, str(BENCH / "borrowck_speed.py"), "--lines", "1000", "--repeat", "1",
         "--samples", "20", "--edits", "4", "--out", str(out)],
        capture_output=True, text=True, timeout=300, check=False)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    result = json.loads(out.read_text())
    assert result["typical"]["functions"] > 0 and result["typical"]["median_ms"] > 0
    assert result["whole"]["bodies"] > result["typical"]["functions"]
    assert result["incremental"]["items_rechecked"] == [1]
    assert result["incremental"]["bodies_borrow_checked"] == [1]


def test_emit_speed_runs_to_completion(tmp_path: Path) -> None:
    out = tmp_path / "emit_speed.json"
    proc = subprocess.run(
        [sys.executable, str(BENCH / "emit_speed.py"), "--sizes", "300", "--repeat", "1",
         "--out", str(out)],
        capture_output=True, text=True, timeout=300, check=False)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    (row,) = json.loads(out.read_text())["rows"]
    assert row["lines"] == 300
    # Emitting is a part of the in-process build, which is a part of the command's time.
    assert 0 < row["emit_s"] < row["build_in_process_s"] < row["gust_build_s"]


def test_check_tree_benchmark_runs(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, str(BENCH / "check_tree.py"), "--files", "3", "--lines", "130",
         "--repeat", "1", "--no-examples"], text=True, capture_output=True, check=False,
        timeout=600)
    assert result.returncode == 0, result.stderr
    assert "generated tree (3 programs of 130 lines): 3 files, 390 lines" in result.stdout
    # Every run of `gust check` over the generated (valid) programs exits 0.
    rows = [line for line in result.stdout.splitlines() if "wall" in line]
    assert len(rows) == 4 and all(line.endswith("exit 0") for line in rows)


@pytest.mark.skipif(shutil.which("rustc") is None, reason="rustc is not on PATH")
def test_go_programs_build_three_ways_and_agree(tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    """bench/go_programs.py on tiny work: every program of bench/programs/ is built by gust
    + go, by go from the hand-written Go and by rustc -O, and the three print the same
    checksum (the runner raises otherwise). Allocations are counted for one program (the
    counting builds of all six would double the test's time)."""
    monkeypatch.syspath_prepend(str(BENCH))
    runner = importlib.import_module("go_programs")
    names = sorted(p.stem for p in (BENCH / "programs").glob("*.gust"))
    assert names == sorted(runner.PROGRAMS)
    assert all((BENCH / "programs" / f"{n}.go").exists() for n in names)
    for name in names:
        row = runner.measure(name, tmp_path / name, runs=1, arg=runner.PROGRAMS[name][1],
                             warmup=0, allocs=name == "aggregate")
        assert set(row.builds) == {"gust", "go", "rustc"}
        counted = [b.allocs for b in row.builds.values()]
        assert all(n is not None and n > 0 for n in counted) == (name == "aggregate")
    printed = subprocess.run([str(tmp_path / "wordcount" / "gust.bin"), "3000"],
                             capture_output=True, text=True, check=True)
    assert printed.stdout.startswith("bytes ") and "checksum" in printed.stdout
