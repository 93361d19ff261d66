"""Plots (PNG, matplotlib) and markdown tables of the benchmarks' JSON results.

Each benchmark of bench/ writes its numbers as JSON; the functions here turn one result into
a plot (`plot_NAME(data, path) -> bool`, False when matplotlib is not installed) and into
markdown (`markdown_NAME(data) -> str`). bench/run_all.py uses both to regenerate the
numbers section of docs/performance.md; the benchmarks' `--plot` options use the plots.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from pathlib import Path
from typing import Any

# Issue 10's targets (docs/performance.md).
KEYSTROKE_P50_MS = 20.0
KEYSTROKE_P95_MS = 50.0
HOVER_P95_MS = 10.0
MEMORY_MB = 300.0


def pyplot() -> Any | None:
    """matplotlib.pyplot with the file-only backend, or None when it is not installed."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        return None
    return plt


def _save(fig: Any, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    if fig.get_layout_engine() is None:
        fig.tight_layout()
    fig.savefig(path, dpi=100)
    fig.clf()


def load_text(load: Iterable[float] | None) -> str:
    """`1.2` for a 1-minute load average (the first of the three)."""
    values = list(load or [])
    return f"{values[0]:.1f}" if values else "?"


def load_span(before: Iterable[float] | None, after: Iterable[float] | None) -> str:
    """`1.2-3.4`: the 1-minute load average at the start and at the end of a measurement."""
    return f"{load_text(before)}-{load_text(after)}"


def ms(value: float | None, digits: int = 1) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return f"{value:,.{digits}f}"


def lines_text(n: int) -> str:
    return f"{n:,}"


# ---------------------------------------------------------------------------------------------
# LSP latency (bench/lsp_latency.py)

LATENCY_ROWS = (
    "keystroke -> diagnostics", "hover", "keystroke `.` -> completion",
    "edit -> semanticTokens/full", "edit -> gust/generatedGo")


def markdown_lsp_latency(data: dict[str, Any]) -> str:
    out = ["| lines | measurement | n | p50 ms | p95 ms | max ms | load |",
           "|---:|---|---:|---:|---:|---:|---|"]
    for size in data["sizes"]:
        span = load_span(size.get("load_before"), size.get("load_after"))
        for name, s in size["stats"].items():
            if s["n"] == 0:
                continue
            one = s["n"] == 1
            out.append(f"| {lines_text(size['lines'])} | {name} | {s['n']} | "
                       f"{ms(s['p50'])} | {'' if one else ms(s['p95'])} | "
                       f"{'' if one else ms(s['max'])} | {span} |")
    rss = ", ".join(f"{ms(size['server_rss_mb'], 0)} MB ({lines_text(size['lines'])} lines)"
                    for size in data["sizes"])
    out.append("")
    out.append(f"Server RSS at the end of each session: {rss}.")
    return "\n".join(out)


def plot_lsp_latency(data: dict[str, Any], path: Path) -> bool:
    plt = pyplot()
    if plt is None:
        return False
    from matplotlib import ticker

    sizes = data["sizes"]
    names = [n for n in LATENCY_ROWS if any(s["stats"].get(n, {}).get("n") for s in sizes)]
    fig, axes = plt.subplots(1, 2, figsize=(11, 4.6), sharey=True, layout="constrained")
    width = 0.8 / max(1, len(sizes))
    for ax, key in zip(axes, ("p50", "p95"), strict=True):
        for i, size in enumerate(sizes):
            values = [size["stats"].get(n, {}).get(key, math.nan) for n in names]
            xs = [x + (i - (len(sizes) - 1) / 2) * width for x in range(len(names))]
            ax.bar(xs, values, width, label=f"{lines_text(size['lines'])} lines")
        target = KEYSTROKE_P50_MS if key == "p50" else KEYSTROKE_P95_MS
        ax.axhline(target, color="red", linestyle="--", linewidth=1,
                   label=f"keystroke targets: p50 {KEYSTROKE_P50_MS:.0f} ms, p95 "
                         f"{KEYSTROKE_P95_MS:.0f} ms")
        if key == "p95":
            ax.axhline(HOVER_P95_MS, color="purple", linestyle=":", linewidth=1,
                       label=f"hover target {HOVER_P95_MS:.0f} ms")
        ax.set_xticks(range(len(names)), [SHORT.get(n, n) for n in names], fontsize=8)
        ax.set_title(f"{key} latency through a real LSP client")
        ax.set_yscale("log")
        ax.yaxis.set_major_formatter(ticker.FuncFormatter(lambda y, _: f"{y:g}"))
        ax.grid(axis="y", alpha=0.3)
    axes[0].set_ylabel("ms (log scale)")
    handles, labels = axes[1].get_legend_handles_labels()
    fig.legend(handles, labels, loc="outside lower center", ncol=len(labels), fontsize=8)
    _save(fig, path)
    plt.close(fig)
    return True


SHORT = {"keystroke -> diagnostics": "keystroke ->\ndiagnostics",
         "keystroke `.` -> completion": "`.` ->\ncompletion",
         "edit -> semanticTokens/full": "edit ->\nsemantic tokens",
         "edit -> gust/generatedGo": "edit ->\ngenerated Go"}


# ---------------------------------------------------------------------------------------------
# Memory (bench/lsp_memory.py)


def markdown_lsp_memory(data: dict[str, Any]) -> str:
    samples = data["samples"]
    flat = "flat" if data["flat"] else "**growing**"
    met = "met" if data["peak_mb"] <= data["target_mb"] else "**not met**"
    out = ["| after | RSS MB | load |", "|---|---:|---|",
           f"| initialize | {data['startup_rss_mb']:.1f} | {load_text(data['load_before'])} |",
           f"| opening {lines_text(data['lines'])} lines ({data['open_ms'] / 1000:.1f} s) | "
           f"{data['open_rss_mb']:.1f} | {load_text(data['load_before'])} |"]
    out += [f"| {s['edits']:,} edits | {s['rss_mb']:.1f} | {s['load1']:.1f} |"
            for s in samples]
    out.append("")
    first = samples[0]["rss_mb"] if samples else data["open_rss_mb"]
    out.append(f"From the open to {data['edits']:,} edits: "
               f"{data['final_mb'] - data['open_rss_mb']:+.1f} MB, of which "
               f"{data['final_mb'] - first:+.1f} MB after the first sample; median RSS "
               f"of the second half of the edits against the first half's "
               f"({data['reference_mb']:.1f} MB up to {data['reference_edits']:,} edits): "
               f"{data['growth_mb']:+.1f} MB ({flat}); peak {data['peak_mb']:.0f} MB against "
               f"the {data['target_mb']:.0f} MB target ({met}).")
    return "\n".join(out)


def plot_memory(data: dict[str, Any], path: Path) -> bool:
    plt = pyplot()
    if plt is None:
        return False
    fig, ax = plt.subplots(figsize=(7, 3.5))
    xs = [0, *(s["edits"] for s in data["samples"])]
    ys = [data["open_rss_mb"], *(s["rss_mb"] for s in data["samples"])]
    ax.plot(xs, ys, marker="o", markersize=3, label="server RSS")
    ax.axhline(data["startup_rss_mb"], color="gray", linestyle=":", linewidth=1,
               label="after initialize")
    ax.axhline(data["target_mb"], color="red", linestyle="--", linewidth=1,
               label=f"target {data['target_mb']:.0f} MB")
    ax.set_ylim(0, max(data["target_mb"], *ys) * 1.1)
    ax.set_xlabel("edits (0: just opened)")
    ax.set_ylabel("RSS (MB)")
    ax.set_title(f"gust-lsp memory, {lines_text(data['lines'])}-line workspace")
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8, loc="lower right")
    _save(fig, path)
    plt.close(fig)
    return True


# ---------------------------------------------------------------------------------------------
# Cold checking beside rustc (bench/check_speed.py)


def _ratio(a: float | None, b: float | None) -> float | None:
    return a / b if a and b else None


def _x(value: float | None) -> str:
    return "" if value is None else f"{value:.2f}x"


def _s_ms(seconds: float | None) -> str:
    return "" if seconds is None else f"{seconds * 1000:,.0f}"


def markdown_check_speed(data: dict[str, Any]) -> str:
    rows = data["rows"]
    out = ["Commands in a new process, cold (`gust check --no-cache`; `gust build` into a new "
           f"directory), best of {data.get('cli_repeat', '?')}; ms; ratio = gust / rustc "
           "(below 1: gust is faster):", "",
           "| lines | `gust check` wall | CPU | `rustc --emit=metadata` wall | CPU | "
           "ratio (wall) | ratio (CPU) | check lines/s | `gust build` wall | CPU | "
           "build lines/s | load |",
           "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|"]
    for r in rows:
        if r.get("gust_check_s") is None:
            continue
        out.append(
            f"| {lines_text(r['lines'])} | {_s_ms(r['gust_check_s'])} | "
            f"{_s_ms(r['gust_check_cpu_s'])} | {_s_ms(r['rustc_metadata_s'])} | "
            f"{_s_ms(r['rustc_metadata_cpu_s'])} | "
            f"{_x(_ratio(r['gust_check_s'], r['rustc_metadata_s']))} | "
            f"{_x(_ratio(r['gust_check_cpu_s'], r['rustc_metadata_cpu_s']))} | "
            f"{r['lines'] / r['gust_check_s']:,.0f} | {_s_ms(r['gust_build_s'])} | "
            f"{_s_ms(r['gust_build_cpu_s'])} | {r['lines'] / r['gust_build_s']:,.0f} | "
            f"{load_span(r['load_before'], r['load_after'])} |")
    out += ["", f"In-process, fresh caches, best of {data.get('repeat', '?')} (ms):", "",
            "| lines | parse | environment | types | borrows | Go | type check cold | all | "
            "lines/s | load |", "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|"]
    for r in rows:
        out.append(
            f"| {lines_text(r['lines'])} | {_s_ms(r['parse_s'])} | "
            f"{_s_ms(r['environment_s'])} | {_s_ms(r['types_s'])} | {_s_ms(r['borrows_s'])} | "
            f"{_s_ms(r['go_s'])} | {_s_ms(r['type_check_cold_s'])} | {_s_ms(r['all_s'])} | "
            f"{r['lines'] / r['all_s']:,.0f} | {load_span(r['load_before'], r['load_after'])} |")
    return "\n".join(out)


def plot_check_speed(data: dict[str, Any], path: Path) -> bool:
    plt = pyplot()
    if plt is None:
        return False
    rows = [r for r in data["rows"] if r.get("gust_check_s") is not None]
    labels = [lines_text(r["lines"]) for r in rows]
    fig, (left, right) = plt.subplots(1, 2, figsize=(11, 4))
    series = (("gust check, wall", "gust_check_s"), ("gust check, CPU", "gust_check_cpu_s"),
              ("rustc --emit=metadata, wall", "rustc_metadata_s"),
              ("rustc --emit=metadata, CPU", "rustc_metadata_cpu_s"))
    width = 0.2
    for i, (name, key) in enumerate(series):
        xs = [x + (i - 1.5) * width for x in range(len(rows))]
        left.bar(xs, [(r.get(key) or math.nan) * 1000 for r in rows], width, label=name)
    left.set_xticks(range(len(rows)), labels)
    left.set_xlabel("lines")
    left.set_ylabel("ms, cold, best of runs")
    left.set_title("gust check against rustc on the same file")
    left.legend(fontsize=8)
    left.grid(axis="y", alpha=0.3)
    for name, wall, key in (("wall", "gust_check_s", "rustc_metadata_s"),
                            ("CPU", "gust_check_cpu_s", "rustc_metadata_cpu_s")):
        ratios = [_ratio(r.get(wall), r.get(key)) or math.nan for r in rows]
        right.plot(labels, ratios, marker="o", label=f"gust / rustc ({name})")
    right.axhline(1.0, color="red", linestyle="--", linewidth=1, label="target: <= 1")
    right.set_xlabel("lines")
    right.set_ylabel("ratio")
    right.set_ylim(bottom=0)
    right.set_title("ratio (lower is better)")
    right.legend(fontsize=8)
    right.grid(alpha=0.3)
    _save(fig, path)
    plt.close(fig)
    return True


# ---------------------------------------------------------------------------------------------
# Small benchmarks: parse, emit, borrow check, completion, semantic tokens, trees


def markdown_parse_speed(data: dict[str, Any]) -> str:
    out = ["| lines | tree only ms | full parse ms | lines/s | edit p50 ms | p95 | max | load |",
           "|---:|---:|---:|---:|---:|---:|---:|---|"]
    load = load_text(data.get("load_average"))
    for r in data["rows"]:
        out.append(f"| {lines_text(r['lines'])} | {ms(r['tree_only_best_s'] * 1000)} | "
                   f"{ms(r['full_parse_best_s'] * 1000)} | {r['lines_per_s']:,.0f} | "
                   f"{ms(r['edit_p50_ms'], 2)} | {ms(r['edit_p95_ms'], 2)} | "
                   f"{ms(r['edit_max_ms'], 2)} | {r.get('load', load)} |")
    return "\n".join(out)


def plot_parse_speed(data: dict[str, Any], path: Path) -> bool:
    return _throughput_plot(data["rows"], path, "lines_per_s", "full parse, lines/s",
                            "Front end: full parse throughput (higher is better)")


def markdown_emit_speed(data: dict[str, Any]) -> str:
    out = ["| lines | emit ms | emit CPU ms | lines/s | assemble ms | build in-process ms | "
           "load |", "|---:|---:|---:|---:|---:|---:|---|"]
    load = load_text(data.get("load_average"))
    for r in data["rows"]:
        out.append(f"| {lines_text(r['lines'])} | {ms(r['emit_s'] * 1000)} | "
                   f"{ms(r['emit_cpu_s'] * 1000)} | {r['lines'] / r['emit_s']:,.0f} | "
                   f"{ms(r['assemble_s'] * 1000)} | {ms(r['build_in_process_s'] * 1000, 0)} | "
                   f"{r.get('load', load)} |")
    return "\n".join(out)


def plot_emit_speed(data: dict[str, Any], path: Path) -> bool:
    rows = [{**r, "emit_lines_per_s": r["lines"] / r["emit_s"]} for r in data["rows"]]
    return _throughput_plot(rows, path, "emit_lines_per_s", "Go emission, lines/s",
                            "Go emission throughput (higher is better)")


def _throughput_plot(rows: list[dict[str, Any]], path: Path, key: str, label: str,
                     title: str) -> bool:
    plt = pyplot()
    if plt is None:
        return False
    fig, ax = plt.subplots(figsize=(6, 3.2))
    ax.bar([lines_text(r["lines"]) for r in rows], [r[key] for r in rows], 0.5, label=label)
    ax.set_xlabel("lines")
    ax.set_ylabel("lines/s")
    ax.set_title(title)
    ax.grid(axis="y", alpha=0.3)
    _save(fig, path)
    plt.close(fig)
    return True


def markdown_borrowck_speed(data: dict[str, Any]) -> str:
    t, w, inc = data["typical"], data["whole"], data["incremental"]
    load = load_text(data.get("load_average"))
    return "\n".join([
        "| measurement | wall ms | CPU ms | target | load |", "|---|---:|---:|---:|---|",
        f"| one function of 25-35 lines, median ({t['samples']} samples) | "
        f"{ms(t['median_ms'], 2)} | {ms(t['cpu_median_ms'], 2)} | 2 | {load} |",
        f"| same, p95 | {ms(t['p95_ms'], 2)} | | | {load} |",
        f"| the whole {lines_text(data['lines'])}-line file ({w['bodies']} bodies), first run | "
        f"{ms(w['first_ms'], 0)} | {ms(w['cpu_first_ms'], 0)} | 1,000 | {load} |",
        f"| bodies borrow-checked again after a one-character edit ({inc['edits']} edits) | "
        f"{inc['bodies_borrow_checked']} | | [1] | {load} |"])


def plot_borrowck_speed(data: dict[str, Any], path: Path) -> bool:
    plt = pyplot()
    if plt is None:
        return False
    t, w = data["typical"], data["whole"]
    fig, (left, right) = plt.subplots(1, 2, figsize=(8, 3.2))
    left.bar(["median", "p95"], [t["median_ms"], t["p95_ms"]], 0.5)
    left.axhline(2.0, color="red", linestyle="--", linewidth=1, label="target 2 ms")
    left.set_title("one function (25-35 lines)")
    left.set_ylabel("ms")
    left.legend(fontsize=8)
    right.bar(["first", "best"], [w["first_ms"], w["best_ms"]], 0.5)
    right.axhline(1000.0, color="red", linestyle="--", linewidth=1, label="target 1 s")
    right.set_title(f"whole {lines_text(data['lines'])}-line file")
    right.legend(fontsize=8)
    _save(fig, path)
    plt.close(fig)
    return True


def markdown_stats_rows(data: dict[str, Any]) -> str:
    """For results shaped `{"rows": [{"lines", "name", "n", "p50", "p95", "max", "load_before",
    "load_after", ["count"]}]}` (completion_speed, semantic_tokens)."""
    counted = any("count" in r for r in data["rows"])
    head = "| lines | measurement | " + ("tokens | " if counted else "") + \
        "n | p50 ms | p95 ms | max ms | load |"
    out = [head, "|---:|---|" + ("---:|" if counted else "") + "---:|---:|---:|---:|---|"]
    for r in data["rows"]:
        count = f"{r.get('count', ''):,} | " if counted else ""
        out.append(f"| {lines_text(r['lines'])} | {r['name']} | {count}{r['n']} | "
                   f"{ms(r['p50'])} | {ms(r['p95']) if r['n'] > 1 else ''} | "
                   f"{ms(r['max']) if r['n'] > 1 else ''} | "
                   f"{load_span(r.get('load_before'), r.get('load_after'))} |")
    return "\n".join(out)


def plot_stats_rows(data: dict[str, Any], path: Path, title: str) -> bool:
    plt = pyplot()
    if plt is None:
        return False
    rows = data["rows"]
    labels = [f"{r['name']}\n({lines_text(r['lines'])} lines)" for r in rows]
    fig, ax = plt.subplots(figsize=(max(6.0, 1.6 * len(rows)), 3.6))
    xs = range(len(rows))
    ax.bar([x - 0.2 for x in xs], [r["p50"] for r in rows], 0.4, label="p50")
    ax.bar([x + 0.2 for x in xs], [r["p95"] for r in rows], 0.4, label="p95")
    ax.set_xticks(list(xs), labels, fontsize=7)
    ax.set_ylabel("ms")
    ax.set_title(title)
    ax.grid(axis="y", alpha=0.3)
    ax.legend(fontsize=8)
    _save(fig, path)
    plt.close(fig)
    return True


def markdown_check_tree(data: dict[str, Any]) -> str:
    out = ["| tree | files | lines | run | wall s | CPU s | exit | load |",
           "|---|---:|---:|---|---:|---:|---:|---|"]
    for tree in data["trees"]:
        for r in tree["rows"]:
            out.append(f"| {tree['name']} | {tree['files']} | {tree['lines']:,} | {r['run']} | "
                       f"{r['wall_s']:.2f} | {r['cpu_s']:.2f} | {r['exit']} | "
                       f"{load_span(r.get('load_before'), r.get('load_after'))} |")
    return "\n".join(out)


def plot_check_tree(data: dict[str, Any], path: Path) -> bool:
    plt = pyplot()
    if plt is None:
        return False
    trees = data["trees"]
    fig, axes = plt.subplots(1, len(trees), figsize=(5.5 * len(trees), 3.6), squeeze=False)
    for ax, tree in zip(axes[0], trees, strict=True):
        names = [r["run"] for r in tree["rows"]]
        xs = range(len(names))
        ax.bar([x - 0.2 for x in xs], [r["wall_s"] for r in tree["rows"]], 0.4, label="wall")
        ax.bar([x + 0.2 for x in xs], [r["cpu_s"] for r in tree["rows"]], 0.4, label="CPU")
        ax.set_xticks(list(xs), [n.replace(", ", ",\n") for n in names], fontsize=7)
        ax.set_ylabel("s")
        ax.set_title(f"{tree['name']}: {tree['lines']:,} lines", fontsize=9)
        ax.legend(fontsize=8)
        ax.grid(axis="y", alpha=0.3)
    _save(fig, path)
    plt.close(fig)
    return True


# ---------------------------------------------------------------------------------------------
# The Go that Gust writes (bench/go_programs.py --json: a list of rows)


def markdown_go_programs(rows: list[dict[str, Any]], load: str) -> str:
    counted = any(r["builds"]["gust"].get("instructions") for r in rows)
    out = ["| program | gust Go ms | hand Go ms | gust / Go (wall) | gust / Go (CPU) | "
           + ("gust / Go (instructions) | " if counted else "")
           + "rustc -O ms | allocs gust Go | allocs hand Go | allocs rustc | load |",
           "|---|" + "---:|" * (9 if counted else 8) + "---|"]
    for r in rows:
        b = r["builds"]
        counts = ""
        if counted:
            ratio = _ratio(b["gust"].get("instructions") or 0, b["go"].get("instructions") or 0)
            counts = f"{ratio:.2f}x | " if ratio else " | "
        out.append(
            f"| {r['program']} | {b['gust']['wall_ms']:.0f} | {b['go']['wall_ms']:.0f} | "
            f"{b['gust']['wall_ms'] / b['go']['wall_ms']:.2f}x | "
            f"{_ratio(b['gust']['cpu_ms'], b['go']['cpu_ms']) or math.nan:.2f}x | {counts}"
            f"{b['rustc']['wall_ms']:.0f} | {_count(b['gust'].get('allocs'))} | "
            f"{_count(b['go'].get('allocs'))} | {_count(b['rustc'].get('allocs'))} | {load} |")
    return "\n".join(out)


def _count(n: int | None) -> str:
    if n is None:
        return ""
    if n >= 1_000_000:
        return f"{n / 1_000_000:.1f}M"
    return f"{n / 1000:.0f}k" if n >= 10_000 else str(n)
