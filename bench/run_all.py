"""Run every benchmark of bench/, plot each, and regenerate docs/performance.md's numbers.

    .venv/bin/python bench/run_all.py            # about 10 minutes on an idle 2-core machine
    .venv/bin/python bench/run_all.py --quick    # tiny sizes, about a minute: does it all run?
    .venv/bin/python bench/run_all.py --only lsp_latency,check_speed --no-docs

Each benchmark runs in a process of its own (so one's caches and garbage cannot slow the
next) with `GUST_CACHE_DIR` pointing at a fresh, empty directory (every `gust check`, `gust
build` and server start is cold), prints its table, writes its JSON into `--results` and a
PNG plot into `--images`. Then the runner writes the markdown of all the results, with the
load average next to every number, between the markers `<!-- bench:begin -->` and
`<!-- bench:end -->` of `--docs` (docs/performance.md; with `--no-docs` it prints it
instead). With `--only`/`--skip`, the benchmarks not run keep the numbers of their last run
(from `--results`, dated in the section). `--quick` uses sizes small enough for a test
(tests/test_bench_smoke.py) and writes nothing into docs/ unless `--docs`/`--images` say so.

The machine the numbers come from matters: run it on an idle machine (the load average is
printed before each benchmark, and recorded with each row) and commit docs/performance.md
and docs/images/ with the numbers.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import report

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
DOCS = ROOT / "docs" / "performance.md"
IMAGES = ROOT / "docs" / "images"
BEGIN = "<!-- bench:begin -->"
END = "<!-- bench:end -->"


@dataclass(frozen=True)
class Benchmark:
    name: str
    title: str
    what: str  # one or two sentences above its table in the docs
    args: tuple[str, ...]  # the default run
    quick: tuple[str, ...]  # the --quick run
    markdown: Callable[[Any], str]
    plot: bool = True  # the script takes --plot PATH
    out_flag: str = "--out"


def _stats_markdown(data: dict[str, Any]) -> str:
    return report.markdown_stats_rows(data)


BENCHMARKS: tuple[Benchmark, ...] = (
    Benchmark(
        "lsp_latency", "LSP latency through a real client",
        "A fresh `gust-lsp` per size, driven over stdio by pygls' `LanguageClient` (JSON-RPC, "
        "as an editor): one-character edits inside function bodies, each waiting for the "
        "diagnostics of its version; hovers on locals; `.` typed then completion; an edit "
        "then at once `semanticTokens/full` or `gust/generatedGo` "
        "(`bench/lsp_latency.py`, rows explained in `bench/README.md`).",
        ("--sizes", "1000,5000,20000", "--edits", "100", "--completions", "50",
         "--go-edits", "25", "--semantic", "25"),
        ("--sizes", "200", "--edits", "5", "--warmup", "2", "--go-edits", "2", "--semantic",
         "2"),
        report.markdown_lsp_latency),
    Benchmark(
        "lsp_memory", "Server memory over 10,000 edits",
        "RSS of `gust-lsp` after `initialize`, after opening a 20,000-line workspace, and every "
        "500 of 10,000 keystrokes (each awaiting its diagnostics; a hover every 10, semantic "
        "tokens and generated Go every 50), one second after the last keystroke so the "
        "server's idle garbage collection has run (`bench/lsp_memory.py`).",
        ("--lines", "20000", "--edits", "10000", "--every", "500"),
        ("--lines", "300", "--edits", "40", "--every", "20", "--settle", "0.6"),
        report.markdown_lsp_memory),
    Benchmark(
        "check_speed", "Cold `gust check` against `rustc --emit=metadata`, and `gust build`",
        "The same generated file, valid Gust and valid Rust (rustc must exit 0), checked by "
        "each command in a new process; CPU is user + system time of the process and its "
        "children (`bench/check_speed.py`).",
        ("--sizes", "1000,5000,20000", "--repeat", "2", "--cli-repeat", "3"),
        ("--sizes", "300", "--repeat", "1"),
        report.markdown_check_speed),
    Benchmark(
        "parse_speed", "Front end: parsing",
        "Full parse (cutting into items, lexing, LALR parsing, AST) best of 2, and the "
        "incremental re-parse after a one-character edit (`bench/parse_speed.py`).",
        ("--sizes", "1000,5000,20000", "--edits", "100", "--repeat", "2"),
        ("--sizes", "300", "--edits", "6", "--repeat", "1"),
        report.markdown_parse_speed),
    Benchmark(
        "emit_speed", "Go emission",
        "In-process, after analysis: emitting every item, assembling the file, and the whole "
        "build path from the text (`bench/emit_speed.py`; the `gust build` command is in the "
        "cold table above).",
        ("--sizes", "1000,5000,20000", "--repeat", "2", "--no-cli"),
        ("--sizes", "300", "--repeat", "1"),
        report.markdown_emit_speed),
    Benchmark(
        "borrowck_speed", "Borrow checking",
        "In-process on the 5,000-line program (`bench/borrowck_speed.py`).",
        ("--lines", "5000", "--repeat", "2", "--samples", "200", "--edits", "10"),
        ("--lines", "1000", "--repeat", "1", "--samples", "20", "--edits", "4"),
        report.markdown_borrowck_speed),
    Benchmark(
        "completion_speed", "Completion in-process",
        "A `.` typed after a local, the server's completion computed without the client "
        "(`bench/completion_speed.py`); CPU time is the server's own work.",
        ("--sizes", "5000", "--samples", "50"),
        ("--sizes", "300", "--samples", "4"),
        _stats_markdown),
    Benchmark(
        "semantic_tokens", "Semantic tokens through a real client",
        "`semanticTokens/full`, `/full/delta` and `/range` of the 5,000-line file "
        "(`bench/semantic_tokens.py`).",
        ("--sizes", "5000", "--requests", "20"),
        ("--sizes", "200", "--requests", "2"),
        _stats_markdown),
    Benchmark(
        "check_tree", "`gust check` over a tree",
        "examples/ and a generated tree of 50 programs, each command in a new process: cold on "
        "one core, cold in parallel, filling the results cache, unchanged from the cache "
        "(`bench/check_tree.py`).",
        ("--files", "50", "--lines", "200", "--repeat", "1"),
        ("--files", "3", "--lines", "130", "--repeat", "1", "--no-examples"),
        report.markdown_check_tree),
    Benchmark(
        "go_programs", "The Go that Gust writes",
        "Six programs in Gust, hand-written Go and `rustc -O`; median of 9 runs after a "
        "warm-up, and the instructions of one run under callgrind with Go's collector off "
        "(`bench/go_programs.py`; method and analysis in the section below).",
        ("--runs", "9", "--instructions"),
        ("--smoke", "--programs", "matmul"),
        lambda data: report.markdown_go_programs(data["rows"], data["load"]),
        out_flag="--json"),
)
NAMES = tuple(b.name for b in BENCHMARKS)


@dataclass
class Outcome:
    benchmark: Benchmark
    status: int
    seconds: float
    cpu_seconds: float  # the benchmark's and all its children's (servers, commands)
    load_before: list[float]
    load_after: list[float]
    json_path: Path
    image: Path | None
    when: str = ""  # date and time of the run
    commit: str = ""

    def save(self) -> None:
        """Beside the results: so a later `--only` run can show this one's numbers too."""
        meta = {"benchmark": self.benchmark.name, "status": self.status,
                "seconds": self.seconds, "cpu_seconds": self.cpu_seconds,
                "load_before": self.load_before, "load_after": self.load_after,
                "json_path": str(self.json_path),
                "image": str(self.image) if self.image else None, "when": self.when,
                "commit": self.commit}
        self.json_path.with_suffix(".run.json").write_text(json.dumps(meta, indent=2) + "\n",
                                                          encoding="utf-8")

    @staticmethod
    def earlier(bench: Benchmark, results: Path) -> Outcome | None:
        """The last run of `bench` whose results are in `results`, if any."""
        meta_path = results / f"{bench.name}.run.json"
        try:
            meta = json.loads(meta_path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        json_path = Path(meta["json_path"])
        if not json_path.exists():
            return None
        return Outcome(bench, meta["status"], meta["seconds"], meta["cpu_seconds"],
                       meta["load_before"], meta["load_after"], json_path,
                       Path(meta["image"]) if meta.get("image") else None, meta["when"],
                       meta["commit"])


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def load() -> list[float]:
    return [round(x, 2) for x in os.getloadavg()]


def environment(cache: Path) -> dict[str, str]:
    """The children's environment: this checkout's sources first, cold caches."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(
        p for p in (str(ROOT / "server"), str(BENCH), env.get("PYTHONPATH", "")) if p)
    env["GUST_CACHE_DIR"] = str(cache)
    env["PYTHONUNBUFFERED"] = "1"
    return env


def run_one(bench: Benchmark, quick: bool, results: Path, images: Path | None,
            env: dict[str, str]) -> Outcome:
    json_path = results / f"{bench.name}.json"
    image = images / f"{bench.name}.png" if images is not None else None
    command = [sys.executable, str(BENCH / f"{bench.name}.py"),
               *(bench.quick if quick else bench.args), bench.out_flag, str(json_path)]
    if image is not None and bench.plot:
        command += ["--plot", str(image)]
    before = load()
    print(f"\n=== {bench.name}: {' '.join(command[1:])}\n    load average {before}",
          flush=True)
    start, cpu = time.perf_counter(), children_cpu()
    status = subprocess.run(command, env=env, cwd=ROOT, check=False).returncode
    seconds, cpu = time.perf_counter() - start, children_cpu() - cpu
    after = load()
    print(f"=== {bench.name}: exit {status}, {seconds:.0f} s ({cpu:.0f} s CPU), load average "
          f"{after}", flush=True)
    outcome = Outcome(bench, status, seconds, cpu, before, after, json_path, image,
                      time.strftime("%Y-%m-%d %H:%M %Z"), git_commit())
    outcome.save()
    return outcome


def read_result(outcome: Outcome) -> Any:
    data = json.loads(outcome.json_path.read_text(encoding="utf-8"))
    if outcome.benchmark.name == "go_programs":  # a bare list of rows
        data = {"rows": data, "load": report.load_span(outcome.load_before,
                                                        outcome.load_after)}
    return data


def git_commit() -> str:
    try:
        out = subprocess.run(["git", "-C", str(ROOT), "log", "-1", "--format=%h %cs"],
                             capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return out


def gust_build() -> str:
    """Which Gust the benchmarks ran: compiled (gust.native) or from its sources."""
    probe = "import gust.native as n; print('compiled' if n.COMPILED else 'sources')"
    try:
        kind = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                              check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "Gust: unknown build"
    return {"compiled": "Gust compiled with mypyc (gust.native)",
            "sources": "Gust run from its sources (no matching compiled build)"}.get(
        kind, "Gust: unknown build")


def kept_sections(docs: Path | None) -> dict[str, str]:
    """The sections of the marked part of `docs` by title, each labelled with the run it came
    from: what an `--only` run keeps of the benchmarks that have no results on this machine
    (`bench/results` is not committed), so that a partial run never drops a section."""
    try:
        text = docs.read_text(encoding="utf-8") if docs is not None else ""
    except OSError:
        return {}
    marked = re.search(re.escape(BEGIN) + "(.*?)" + re.escape(END), text, re.S)
    if marked is None:
        return {}
    part = marked.group(1)
    run = re.search(r"^Run (.+?) at commit (\S+ \S+?),", part, re.M)
    label = f"**From an earlier run ({run.group(1)}, commit {run.group(2)}).** " if run else ""
    kept: dict[str, str] = {}
    for chunk in part.split("\n### ")[1:]:
        title, _, body = chunk.partition("\n")
        body = body.strip("\n")
        if not body.startswith("**From an earlier run"):
            body = label + body
        kept[title.strip()] = body
    return kept


def markdown(outcomes: list[Outcome], command: str, docs: Path | None, total_s: float,
             loads: tuple[list[float], list[float]], fresh: set[str],
             kept: dict[str, str] | None = None) -> str:
    out = [BEGIN,
           "## Latest numbers (`bench/run_all.py`)", "",
           "Generated by the command below; do not edit by hand (re-run it). The `load` "
           "column is the 1-minute load average at the start and at the end of that "
           "measurement: on a 2-core machine anything far above 2 means other work shared "
           "the cores, and wall times are inflated (CPU times less so).", "",
           "```sh", command, "```", "",
           f"Run {time.strftime('%Y-%m-%d %H:%M %Z')} at commit {git_commit()}, "
           f"{os.cpu_count()} cores, Python {platform.python_version()}, "
           f"{platform.system()} {platform.release()}, {gust_build()}; "
           f"{total_s / 60:.1f} minutes in all "
           f"({sum(o.cpu_seconds for o in outcomes if o.benchmark.name in fresh) / 60:.1f} "
           f"CPU minutes), load average {loads[0]} at the start and {loads[1]} at the end."]
    ran = {o.benchmark.name: o for o in outcomes}
    if len(fresh) < len(BENCHMARKS):
        out.append("Benchmarks it did not run show the numbers of their last run (dated "
                   "below).")
    out.append("")
    for bench in BENCHMARKS:
        o = ran.get(bench.name)
        if o is None:
            if kept and bench.title in kept:  # no results here: the docs' own numbers
                out += [f"### {bench.title}", "", kept[bench.title], ""]
            continue
        earlier = "" if o.benchmark.name in fresh else \
            f"**From an earlier run ({o.when}, commit {o.commit}).** "
        out += [f"### {o.benchmark.title}", "",
                f"{earlier}{o.benchmark.what} {o.seconds:.0f} s, {o.cpu_seconds:.0f} s CPU.",
                ""]
        if o.status != 0 or not o.json_path.exists():
            out += [f"**Failed** (exit {o.status}); see the run's output.", ""]
            continue
        out += [o.benchmark.markdown(read_result(o)), ""]
        if o.image is not None and o.image.exists():
            rel = os.path.relpath(o.image, docs.parent) if docs is not None else o.image
            out += [f"![{o.benchmark.title}]({rel})", ""]
    out.append(END)
    return "\n".join(out)


def update_docs(docs: Path, section: str) -> None:
    """Replace the marked section of `docs`, or insert it before the first `## ` heading."""
    text = docs.read_text(encoding="utf-8")
    marked = re.compile(re.escape(BEGIN) + ".*?" + re.escape(END), re.S)
    if marked.search(text):
        text = marked.sub(lambda _: section, text, count=1)
    else:
        head, sep, rest = text.partition("\n## ")
        text = f"{head}\n{section}\n\n## {rest}" if sep else f"{text}\n{section}\n"
    docs.write_text(text, encoding="utf-8")


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--quick", action="store_true",
                   help="tiny sizes (a smoke run); leaves docs/ alone unless told")
    p.add_argument("--only", help=f"comma-separated benchmarks (of {', '.join(NAMES)})")
    p.add_argument("--skip", default="", help="comma-separated benchmarks to leave out")
    p.add_argument("--results", type=Path, help="JSON directory (default: bench/results)")
    p.add_argument("--images", type=Path,
                   help="PNG directory (default: docs/images; with --quick: --results)")
    p.add_argument("--docs", type=Path,
                   help="markdown file to update (default: docs/performance.md; with --quick: "
                        "none)")
    p.add_argument("--no-docs", action="store_true",
                   help="print the markdown instead of updating the docs")
    a = p.parse_args(argv)
    chosen = a.only.split(",") if a.only else list(NAMES)
    skipped = {s for s in a.skip.split(",") if s}
    unknown = [n for n in [*chosen, *skipped] if n not in NAMES]
    if unknown:
        p.error(f"unknown benchmark(s) {', '.join(unknown)} (known: {', '.join(NAMES)})")
    a.chosen = [n for n in chosen if n not in skipped]
    a.results = a.results or BENCH / "results"
    a.images = a.images or (a.results if a.quick else IMAGES)
    if a.no_docs:
        a.docs = None
    elif a.docs is None and not a.quick:
        a.docs = DOCS
    return a


def main(argv: list[str] | None = None) -> int:
    a = parse_args(argv)
    command = "python bench/run_all.py" + "".join(
        f" {arg}" for arg in (argv if argv is not None else sys.argv[1:]))
    a.results.mkdir(parents=True, exist_ok=True)
    a.images.mkdir(parents=True, exist_ok=True)
    loads_start = load()
    start = time.perf_counter()
    outcomes: list[Outcome] = []
    with tempfile.TemporaryDirectory(prefix="gust-bench-cache-") as cache:
        env = environment(Path(cache))
        for bench in BENCHMARKS:
            if bench.name in a.chosen:
                outcomes.append(run_one(bench, a.quick, a.results, a.images, env))
            elif not a.quick and (found := Outcome.earlier(bench, a.results)) is not None:
                outcomes.append(found)
    total = time.perf_counter() - start
    fresh = set(a.chosen)
    section = markdown(outcomes, command, a.docs, total, (loads_start, load()), fresh,
                       kept_sections(a.docs))
    (a.results / "performance.md").write_text(section + "\n", encoding="utf-8")
    if a.docs is not None:
        update_docs(a.docs, section)
        print(f"\nupdated {a.docs} (and the plots in {a.images})")
    else:
        print("\n" + section)
    outcomes = [o for o in outcomes if o.benchmark.name in fresh]
    failed = [o.benchmark.name for o in outcomes if o.status != 0]
    cpu = sum(o.cpu_seconds for o in outcomes)
    print(f"\n{len(outcomes)} benchmarks in {total / 60:.1f} min ({cpu / 60:.1f} CPU min); "
          + (f"FAILED: {', '.join(failed)}" if failed else "all ran"))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
