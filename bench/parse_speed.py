"""Front-end speed: full parse throughput and re-parse after a one-character edit.

    .venv/bin/python bench/parse_speed.py [--sizes 1000,5000,20000] [--edits 200]

For each size, a generated program (bench/gen_program.py) is parsed from scratch several
times: to lark's tree only ("tree only": items, tokens, LALR, syntax errors), and fully, to
the AST (best and median, in lines per second); then one-character edits inside
function bodies are applied one after another through the incremental parser
(`ParseCache.parse`, which re-splits around the edit and re-parses only the edited item).
Targets (issue 3): full parse of 5,000 lines at 10,000 lines/s or better; re-parse after a
one-character edit within 5 ms.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from gen_program import generate
from gust.syntax.source import ParseCache

RESULTS = Path(__file__).parent / "results"


def tree_only(text: str, repeat: int) -> list[float]:
    """Cutting into items, lexing and LALR parsing to lark's tree (with syntax errors), but
    not the conversion to the AST: what "parsing" means in most front ends."""
    from gust.gcpause import paused_gc
    from gust.syntax.parser import _lex, _Recovering
    from gust.syntax.split import blank_block_comments, split_items

    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        with paused_gc():
            for chunk in split_items(text).chunks:
                blanked, _ = blank_block_comments(text[chunk.start : chunk.end])
                tokens, errors = _lex(blanked)
                _Recovering(blanked, tokens, errors).parse()
        times.append(time.perf_counter() - start)
    return times


def full_parse(text: str, repeat: int) -> list[float]:
    ParseCache().parse(text)  # warm up: lark's tables, the lexer, imports
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        ParseCache().parse(text)
        times.append(time.perf_counter() - start)
    return times


def edits(text: str, sites: list[int], count: int) -> list[float]:
    """At an edit site (the first digit of a two-digit number), insert a digit after the
    first one, then delete the first one: the number stays two digits long and the text
    keeps its length, so every site stays valid; each step goes through the incremental
    parser."""
    cache = ParseCache()
    cache.parse(text)
    times = []
    for i in range(count):
        at = sites[(i // 2 * 7919) % len(sites)]
        if i % 2 == 0:
            text = text[: at + 1] + str(1 + i % 9) + text[at + 1 :]
        else:
            text = text[:at] + text[at + 1 :]
        start = time.perf_counter()
        cache.parse(text)
        times.append(time.perf_counter() - start)
        assert cache.reparsed == 1, "an edit inside a function re-parses one item"
    return times


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(p * len(ordered)))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,5000,20000")
    parser.add_argument("--edits", type=int, default=200)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--out", type=Path, default=RESULTS / "parse_speed.json")
    parser.add_argument("--plot", type=Path, help="write a PNG of the throughput here")
    args = parser.parse_args()
    rows = []
    print(f"{'lines':>6}  {'tree only':>10}  {'lines/s':>8}  {'full parse':>11}  "
          f"{'median':>7}  {'lines/s':>8}  {'edit p50':>9}  {'p95':>6}  {'max':>6}   (ms)")
    for size in (int(s) for s in args.sizes.split(",")):
        load_before = os.getloadavg()[0]
        program = generate(size)
        tree = min(tree_only(program.text, args.repeat))
        full = full_parse(program.text, args.repeat)
        # Each edit changes the text, so both kinds of edit stay two-digit numbers.
        starts = [0]
        for line in program.text.splitlines(keepends=True):
            starts.append(starts[-1] + len(line))
        sites = [starts[s.line] + s.col for s in program.edit_sites]
        times = edits(program.text, sites, args.edits)
        best = min(full)
        row = {
            "lines": size,
            "tree_only_best_s": tree,
            "tree_only_lines_per_s": size / tree,
            "full_parse_best_s": best,
            "full_parse_median_s": statistics.median(full),
            "lines_per_s": size / best,
            "edit_p50_ms": percentile(times, 0.5) * 1000,
            "edit_p95_ms": percentile(times, 0.95) * 1000,
            "edit_max_ms": max(times) * 1000,
            "load": f"{load_before:.1f}-{os.getloadavg()[0]:.1f}",
        }
        rows.append(row)
        print(f"{size:>6}  {tree * 1000:>10.1f}  {size / tree:>8.0f}  {best * 1000:>11.1f}  "
              f"{statistics.median(full) * 1000:>7.1f}  {size / best:>8.0f}  "
              f"{row['edit_p50_ms']:>9.2f}  {row['edit_p95_ms']:>6.2f}  "
              f"{row['edit_max_ms']:>6.2f}")
    out = args.out
    out.parent.mkdir(parents=True, exist_ok=True)
    data = {"load_average": os.getloadavg(), "rows": rows}
    out.write_text(json.dumps(data, indent=2), encoding="utf-8")
    print(f"load average {os.getloadavg()}; results: {out}")
    if args.plot is not None:
        from report import plot_parse_speed

        plot_parse_speed(data, args.plot)
    return 0


if __name__ == "__main__":
    sys.exit(main())
