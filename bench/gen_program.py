"""Generate realistic Gust programs of N lines that are also valid Rust.

The programs stay inside the Rust-compatible core that the checker supports today: functions
with parameters and returns, `let`/`let mut`, i32/i64/usize/f64/bool/String/&str, arithmetic and
comparisons, `if`/`else` (also as an expression), `while`/`loop` (with `break` value)/`for` over
ranges and `.iter()`, structs with `impl` methods (`&self`, `&mut self`, `self`), enums with
payloads and `match`, `Vec` (`vec!`, `push`, `len`, indexing), `&`/`&mut`, `println!`/`format!`.

A program is made of units. Unit `k` has an enum, a struct with its `impl`, a few free functions
with varied bodies of 10-40 lines, and `run_unit_k()` that calls all of them; `main` calls the
units through `run_group_g()` functions, so there is no dead code and the program runs (rustc
builds it without warnings, and the values stay small: every accumulator is reduced modulo a
prime, so nothing overflows).

`generate(lines, seed)` is deterministic and returns the text with exactly `lines` lines, plus
the places a benchmark can edit or hover on:
- edit sites: the start of a two-digit number (`37`, or `37.0` in f64 code) inside a function
  body, at most one per line. Inserting a digit 1-9 after its first digit, then deleting its
  first digit, keeps the program valid and the number two digits long and never 0;
- hover sites: an occurrence of a local variable (`acc`, an `i64`) inside a function body.

Run as a script to write programs to files (and optionally check them with gust and rustc):

    .venv/bin/python bench/gen_program.py --sizes 1000,5000,20000 --check
"""

from __future__ import annotations

import argparse
import random
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

DEFAULT_SIZES = (1000, 5000, 20000)
DEFAULT_SEED = 20240
MIN_LINES = 120

# Markers in template text, removed from the final program: `@E` before an edit-site literal,
# `@H` before a hover-site identifier.
_MARKER = re.compile(r"@([EH])")

NOUNS = ("request", "batch", "token", "shard", "worker", "queue", "tensor", "model", "cache",
         "route", "budget", "window", "retry", "packet", "replica", "stream", "lease", "job")
VERBS = ("compute", "merge", "scale", "count", "filter", "rank", "smooth", "clamp", "measure",
         "balance", "probe", "fold", "sample", "score", "drain", "settle", "plan", "weigh")
WORDS = ("alpha", "beta", "gamma", "delta", "omega", "north", "south", "east", "west", "core")
VARIANT_SETS = (
    ("Idle", "Value", "Pair", "Named"),
    ("Empty", "Count", "Span", "Tagged"),
    ("Waiting", "Amount", "Range", "Labeled"),
    ("Off", "Level", "Edge", "Marked"),
)


@dataclass(frozen=True)
class Site:
    """A 0-based (line, column) position; the programs are ASCII, so columns are UTF-16 too."""

    line: int
    col: int


@dataclass(frozen=True)
class HoverSite:
    line: int
    col: int
    name: str


@dataclass(frozen=True)
class Program:
    text: str
    seed: int
    edit_sites: tuple[Site, ...]
    hover_sites: tuple[HoverSite, ...]

    @property
    def line_count(self) -> int:
        return len(self.text.splitlines())


@dataclass
class _Fn:
    """A generated function: its lines (with markers) and the statements that call it."""

    lines: list[str]
    calls: list[str]


@dataclass
class _Unit:
    k: int
    enum: str
    struct: str
    variants: tuple[str, str, str, str]


@dataclass
class _Ctx:
    rng: random.Random
    unit: _Unit
    counter: int = 0
    used_names: set[str] = field(default_factory=set)

    def fresh(self) -> int:
        self.counter += 1
        return self.counter

    def lit(self) -> int:
        """A two-digit literal for an edit site."""
        return self.rng.randint(11, 97)

    def fn_name(self) -> str:
        while True:
            name = f"{self.rng.choice(VERBS)}_{self.rng.choice(NOUNS)}_{self.unit.k}"
            if name not in self.used_names:
                self.used_names.add(name)
                return name
            self.used_names.add(name)
            name = f"{name}_{self.fresh()}"
            if name not in self.used_names:
                self.used_names.add(name)
                return name


# ---------------------------------------------------------------------------------------------
# Filler statements: each works on `acc: i64` (declared `let mut` by every template) and keeps
# it bounded. A filler is a list of lines relative to the body indentation.

_Filler = Callable[[_Ctx], list[str]]


def _f_affine(c: _Ctx) -> list[str]:
    return [f"acc = (@Hacc * {c.rng.randint(2, 9)} + @E{c.lit()}) % 10007;"]


def _f_if_expr(c: _Ctx) -> list[str]:
    a = c.rng.randint(2, 7)
    return [f"acc = if @Hacc % {a} == 0 {{ acc / {a} }} else {{ acc + @E{c.lit()} }};"]


def _f_temp(c: _Ctx) -> list[str]:
    m = c.fresh()
    return [f"let t{m} = (@Hacc * @E{c.lit()} + {c.rng.randint(1, 50)}) % 1009;",
            f"acc = (acc + t{m}) % 10007;"]


def _f_flag(c: _Ctx) -> list[str]:
    m = c.fresh()
    return [f"let flag{m} = @Hacc % 2 == 0 && acc > @E{c.lit()};",
            f"if flag{m} {{ acc += {c.rng.randint(1, 9)}; }} else {{ acc -= 1; }}"]


def _f_branch(c: _Ctx) -> list[str]:
    return [f"if @Hacc > @E{c.lit()} {{",
            f"    acc -= {c.rng.randint(1, 30)};",
            "} else {",
            f"    acc += {c.rng.randint(1, 30)};",
            "}"]


def _f_for(c: _Ctx) -> list[str]:
    return [f"for r in 0..@E{c.lit()} {{",
            f"    acc = (acc + r as i64 * {c.rng.randint(1, 5)}) % 10007;",
            "}"]


def _f_while(c: _Ctx) -> list[str]:
    m = c.fresh()
    return [f"let mut w{m} = 0;",
            f"while w{m} < @E{c.lit()} {{",
            f"    acc = (acc + {c.rng.randint(1, 40)}) % 10007;",
            f"    w{m} += {c.rng.randint(1, 4)};",
            "}"]


def _f_vec(c: _Ctx) -> list[str]:
    m = c.fresh()
    a, b, d = (c.rng.randint(0, 99) for _ in range(3))
    return [f"let mut buf{m}: Vec<i64> = vec![{a}, {b}, {d}];",
            f"buf{m}.push(@Hacc % @E{c.lit()});",
            f"acc = (acc + buf{m}[buf{m}.len() - 1] + buf{m}.len() as i64) % 10007;"]


def _f_format(c: _Ctx) -> list[str]:
    m = c.fresh()
    return [f"let note{m} = format!(\"{{}}-{{:?}}\", acc, @Hacc > @E{c.lit()});",
            f"acc = (acc + note{m}.len() as i64) % 10007;"]


def _f_match(c: _Ctx) -> list[str]:
    m = c.fresh()
    a, b = c.rng.randint(1, 99), c.rng.randint(1, 99)
    return [f"let bucket{m} = match @Hacc % 3 {{",
            f"    0 => @E{c.lit()},",
            f"    1 => {a},",
            f"    _ => {b},",
            "};",
            f"acc = (acc + bucket{m}) % 10007;"]


_FILLERS: tuple[_Filler, ...] = (_f_affine, _f_if_expr, _f_temp, _f_flag, _f_branch, _f_for,
                                 _f_while, _f_vec, _f_format, _f_match)


def _fillers(c: _Ctx, count: int) -> list[str]:
    """Filler lines, exactly `count` of them (at least one, which assigns `acc`)."""
    out: list[str] = []
    while len(out) < count:
        room = count - len(out)
        options = [f for f in _FILLERS if len(f(_probe(c))) <= room]
        out.extend(c.rng.choice(options)(c))
    return out


def _probe(c: _Ctx) -> _Ctx:
    """A throwaway context used to measure a filler's length without touching `c`'s state."""
    return _Ctx(random.Random(0), c.unit)


def _body(core_head: list[str], core_tail: list[str], c: _Ctx) -> list[str]:
    size = c.rng.randint(10, 40)
    fill = max(1, size - len(core_head) - len(core_tail))
    return _indent([*core_head, *_fillers(c, fill), *core_tail])


def _indent(lines: list[str], depth: int = 1) -> list[str]:
    pad = "    " * depth
    return [pad + line if line else line for line in lines]


def _fn(signature: str, body: list[str]) -> list[str]:
    return [f"{signature} {{", *body, "}"]


# ---------------------------------------------------------------------------------------------
# Function templates. Each returns the function and the statements (in `run_unit_k`, where
# `total: i64` is in scope) that call it; `j` makes the caller's locals unique.


def _t_series(c: _Ctx, j: int) -> _Fn:
    name = c.fn_name()
    head = [f"let mut acc: i64 = @E{c.lit()};",
            "let mut i: i32 = 0;",
            "while i < n {",
            "    if i % 3 == 0 {",
            "        acc = (acc + (i * step) as i64) % 10007;",
            "    } else {",
            "        acc = (acc * 2 + 1) % 10007;",
            "    }",
            "    i += 1;",
            "}"]
    body = _body(head, ["acc"], c)
    sig = f"fn {name}(n: i32, step: i32) -> i64"
    return _Fn(_fn(sig, body), [f"total += {name}({c.rng.randint(5, 40)}, "
                                f"{c.rng.randint(1, 9)});"])


def _t_scaled(c: _Ctx, j: int) -> _Fn:
    name = c.fn_name()
    head = ["let mut out: Vec<i64> = Vec::new();",
            "let mut acc: i64 = 0;",
            "for v in values.iter() {",
            f"    let scaled = (*v * factor) % @E{c.lit()};",
            "    if scaled > 10 {",
            "        out.push(scaled);",
            "    } else {",
            "        out.push(scaled + 1);",
            "    }",
            "    acc += scaled;",
            "}"]
    body = _body(head, ["out.push(acc);", "out"], c)
    sig = f"fn {name}(values: &Vec<i64>, factor: i64) -> Vec<i64>"
    data = ", ".join(str(c.rng.randint(0, 99)) for _ in range(c.rng.randint(3, 8)))
    return _Fn(_fn(sig, body), [f"let data{j}: Vec<i64> = vec![{data}];",
                                f"total += {name}(&data{j}, {c.rng.randint(2, 9)}).len() as i64;",
                                f"total += data{j}[0];"])


def _t_clamp(c: _Ctx, j: int) -> _Fn:
    name = c.fn_name()
    head = ["let mut count: usize = 0;",
            "let mut i: usize = 0;",
            "let mut acc: i64 = cap;",
            "while i < values.len() {",
            "    if values[i] > cap {",
            "        values[i] = cap;",
            "        count += 1;",
            "    }",
            "    i += 1;",
            "}"]
    tail = ["if acc > cap {", "    count += 1;", "}", "values.push(acc % 100);", "count"]
    body = _body(head, tail, c)
    sig = f"fn {name}(values: &mut Vec<i64>, cap: i64) -> usize"
    data = ", ".join(str(c.rng.randint(0, 99)) for _ in range(c.rng.randint(3, 8)))
    return _Fn(_fn(sig, body), [f"let mut vals{j}: Vec<i64> = vec![{data}];",
                                f"total += {name}(&mut vals{j}, {c.rng.randint(20, 80)}) as i64;",
                                f"total += vals{j}[1];"])


def _t_describe(c: _Ctx, j: int) -> _Fn:
    name = c.fn_name()
    head = ["let mut acc: i64 = count as i64;"]
    tail = ["let level = if ratio > 0.5 { \"high\" } else { \"low\" };",
            "let head = format!(\"{}[{}]\", label, count);",
            "let detail = format!(\"{:?} {} {}\", level, acc, ratio * 2.0);",
            "let mut parts: Vec<String> = Vec::new();",
            "parts.push(head);",
            "parts.push(detail);",
            "let mut text = String::new();",
            "for p in parts.iter() {",
            "    text = format!(\"{}{};\", text, p);",
            "}",
            "text"]
    body = _body(head, tail, c)
    sig = f"fn {name}(label: &str, count: usize, ratio: f64) -> String"
    word = c.rng.choice(WORDS)
    return _Fn(_fn(sig, body), [f"let text{j} = {name}(\"{word}\", {c.rng.randint(1, 9)}, "
                                f"0.{c.rng.randint(1, 9)});",
                                f"total += text{j}.len() as i64;"])


def _t_event(c: _Ctx, j: int) -> _Fn:
    name = c.fn_name()
    e, (idle, value, pair, named) = c.unit.enum, c.unit.variants
    head = ["let mut acc: i64 = match ev {",
            f"    {e}::{idle} => bias,",
            f"    {e}::{value}(v) => v * 2 + bias,",
            f"    {e}::{pair}(a, b) => (a as i64) * (b as i64) - bias,",
            f"    {e}::{named} {{ id, weight }} => {{",
            f"        let scaled = weight * @E{c.lit()}.0;",
            "        if scaled > 5.0 { id as i64 + 1 } else { id as i64 }",
            "    }",
            "};"]
    body = _body(head, ["acc % 1000"], c)
    sig = f"fn {name}(ev: {e}, bias: i64) -> i64"
    calls = [f"total += {name}({e}::{pair}({c.rng.randint(1, 9)}, {c.rng.randint(1, 9)}), 5);",
             f"total += {name}({e}::{named} {{ id: {c.rng.randint(1, 9)}, weight: 0.25 }}, 1);",
             f"total += {name}({e}::{value}({c.rng.randint(1, 99)}), 2);",
             f"total += {name}({e}::{idle}, 3);"]
    return _Fn(_fn(sig, body), calls)


def _t_stats(c: _Ctx, j: int) -> _Fn:
    name = c.fn_name()
    s = c.unit.struct
    head = [f"let mut stats = {s}::new(\"{c.rng.choice(WORDS)}\", 500);",
            "let mut i: usize = 0;",
            "while i < rounds {",
            f"    let amount = (seed * (i as i64) + @E{c.lit()}) % 700;",
            "    if !stats.record(amount) {",
            "        stats.reset();",
            "    }",
            "    i += 1;",
            "}",
            "let mut acc: i64 = stats.total();"]
    tail = ["let report = stats.into_summary();",
            "acc + report.len() as i64"]
    body = _body(head, tail, c)
    sig = f"fn {name}(seed: i64, rounds: usize) -> i64"
    return _Fn(_fn(sig, body), [f"total += {name}({c.rng.randint(1, 30)}, "
                                f"{c.rng.randint(2, 12)});"])


def _t_search(c: _Ctx, j: int) -> _Fn:
    name = c.fn_name()
    head = ["let mut k: i64 = 0;",
            f"let mut acc: i64 = @E{c.lit()};",
            "let found = loop {",
            "    k += 1;",
            "    acc = (acc * 7 + k) % 1009;",
            "    if acc % 13 == 0 || k > limit {",
            "        break k;",
            "    }",
            "};"]
    body = _body(head, ["acc + found"], c)
    sig = f"fn {name}(limit: i64) -> i64"
    return _Fn(_fn(sig, body), [f"total += {name}({c.rng.randint(10, 90)});"])


def _t_mean(c: _Ctx, j: int) -> _Fn:
    name = c.fn_name()
    head = ["let mut sum = 0.0;",
            "let mut count: usize = 0;",
            "for v in values.iter() {",
            "    if *v > shift {",
            "        sum += *v - shift;",
            "        count += 1;",
            "    }",
            "}",
            f"let mut acc: i64 = count as i64 + @E{c.lit()};"]
    tail = ["let bonus = acc as f64 / 1000.0;",
            "if count == 0 { bonus } else { sum / count as f64 + bonus }"]
    body = _body(head, tail, c)
    sig = f"fn {name}(values: &Vec<f64>, shift: f64) -> f64"
    data = ", ".join(f"{c.rng.randint(0, 9)}.{c.rng.choice((0, 25, 5, 75))}"
                     for _ in range(c.rng.randint(2, 6)))
    return _Fn(_fn(sig, body), [f"let samples{j}: Vec<f64> = vec![{data}];",
                                f"total += ({name}(&samples{j}, 0.75) * 100.0) as i64;"])


def _t_grid(c: _Ctx, j: int) -> _Fn:
    name = c.fn_name()
    head = ["let mut grid: Vec<i64> = Vec::new();",
            "for r in 0..rows {",
            "    for col in 0..cols {",
            f"        grid.push(((r * @E{c.lit()} + col) % 17) as i64);",
            "    }",
            "}",
            "let mut acc: i64 = 0;",
            "let mut best: i64 = 0;",
            "for idx in 0..grid.len() {",
            "    let cell = grid[idx];",
            "    if cell > best {",
            "        best = cell;",
            "    }",
            "    acc += cell;",
            "}"]
    body = _body(head, ["acc * 10 + best"], c)
    sig = f"fn {name}(rows: usize, cols: usize) -> i64"
    return _Fn(_fn(sig, body), [f"total += {name}({c.rng.randint(1, 9)}, "
                                f"{c.rng.randint(1, 9)});"])


def _t_swap(c: _Ctx, j: int) -> _Fn:
    name = c.fn_name()
    head = ["let mut acc: i64 = *a + *b;",
            "let mut i = 0;",
            "while i < rounds {",
            "    let tmp = *a;",
            f"    *a = (*b + @E{c.lit()}) % 1009;",
            "    *b = tmp;",
            "    i += 1;",
            "}"]
    body = _body(head, ["*a += acc % 3;", "*a > *b"], c)
    sig = f"fn {name}(a: &mut i64, b: &mut i64, rounds: i32) -> bool"
    calls = [f"let mut x{j}: i64 = {c.rng.randint(1, 99)};",
             f"let mut y{j}: i64 = {c.rng.randint(1, 99)};",
             f"if {name}(&mut x{j}, &mut y{j}, {c.rng.randint(1, 9)}) {{",
             f"    total += x{j};",
             "} else {",
             f"    total += y{j};",
             "}"]
    return _Fn(_fn(sig, body), calls)


def _t_tally(c: _Ctx, j: int) -> _Fn:
    name = c.fn_name()
    s = c.unit.struct
    head = ["let mut acc: i64 = stats.total();",
            "for e in stats.entries.iter() {",
            f"    extra.push(*e % @E{c.lit()});",
            "}",
            "if stats.active {",
            "    acc += stats.limit;",
            "}"]
    tail = ["extra.push(acc);",
            "acc + extra.len() as i64"]
    body = _body(head, tail, c)
    sig = f"fn {name}(stats: &{s}, extra: &mut Vec<i64>) -> i64"
    calls = [f"let mut st{j} = {s}::new(\"{c.rng.choice(WORDS)}\", {c.rng.randint(50, 99)});",
             f"st{j}.record({c.rng.randint(1, 40)});",
             f"let mut extra{j}: Vec<i64> = Vec::new();",
             f"total += {name}(&st{j}, &mut extra{j});",
             f"total += extra{j}.len() as i64;"]
    return _Fn(_fn(sig, body), calls)


_TEMPLATES: tuple[Callable[[_Ctx, int], _Fn], ...] = (
    _t_series, _t_scaled, _t_clamp, _t_describe, _t_event, _t_stats, _t_search, _t_mean,
    _t_grid, _t_swap, _t_tally)


# ---------------------------------------------------------------------------------------------
# Units: enum, struct + impl, functions, run_unit_k.


def _enum_lines(u: _Unit) -> list[str]:
    idle, value, pair, named = u.variants
    return ["#[derive(Debug, Clone, Copy, PartialEq)]",
            f"enum {u.enum} {{",
            f"    {idle},",
            f"    {value}(i64),",
            f"    {pair}(i32, i32),",
            f"    {named} {{ id: usize, weight: f64 }},",
            "}"]


def _struct_lines(u: _Unit) -> list[str]:
    return ["#[derive(Debug)]",
            f"struct {u.struct} {{",
            "    name: String,",
            "    entries: Vec<i64>,",
            "    limit: i64,",
            "    active: bool,",
            "}"]


def _impl_lines(u: _Unit) -> list[str]:
    s = u.struct
    methods = [
        [f"fn new(name: &str, limit: i64) -> {s} {{",
         f"    {s} {{ name: name.to_string(), entries: Vec::new(), limit, active: true }}",
         "}"],
        ["fn record(&mut self, amount: i64) -> bool {",
         "    if !self.active || amount > self.limit {",
         "        return false;",
         "    }",
         "    self.entries.push(amount);",
         "    true",
         "}"],
        ["fn reset(&mut self) {",
         "    self.entries = Vec::new();",
         "    self.active = self.limit > 0;",
         "}"],
        ["fn total(&self) -> i64 {",
         "    let mut sum: i64 = 0;",
         "    for e in self.entries.iter() {",
         "        sum += *e;",
         "    }",
         "    sum % 1000003",
         "}"],
        ["fn into_summary(self) -> String {",
         "    let total = self.total();",
         "    let state = if self.active { \"on\" } else { \"off\" };",
         "    format!(\"{} {}: {} entries, total {}\", self.name, state, self.entries.len(), total)",
         "}"],
    ]
    body: list[str] = []
    for i, m in enumerate(methods):
        if i:
            body.append("")
        body.extend(_indent(m))
    return [f"impl {s} {{", *body, "}"]


def _run_unit_lines(u: _Unit, fns: list[_Fn]) -> list[str]:
    calls = [line for f in fns for line in f.calls]
    s, e = u.struct, u.enum
    own = ["let mut total: i64 = 0;",
           f"let mut own = {s}::new(\"unit {u.k}\", 100);",
           "own.record(42);",
           "own.reset();",
           "total += own.total();",
           "let summary = own.into_summary();",
           "total += summary.len() as i64;",
           f"if {e}::{u.variants[1]}(3) == {e}::{u.variants[0]} {{",
           "    total += 1;",
           "}"]
    body = [*own, *calls,
            f"println!(\"unit {u.k}: {{}}\", total);",
            "total % 1000003"]
    return _fn(f"fn run_unit_{u.k}() -> i64", _indent(body))


def _new_unit(rng: random.Random, k: int) -> _Unit:
    noun = rng.choice(NOUNS).capitalize()
    return _Unit(k, f"{noun}Event{k}", f"{noun}Stats{k}", rng.choice(VARIANT_SETS))


def _unit_head(u: _Unit) -> list[str]:
    return [*_enum_lines(u), "", *_struct_lines(u), "", *_impl_lines(u)]


def _join(blocks: list[list[str]]) -> list[str]:
    out: list[str] = []
    for i, b in enumerate(blocks):
        if i:
            out.append("")
        out.extend(b)
    return out


def _unit_lines(c: _Ctx, fns: list[_Fn]) -> list[str]:
    return _join([_unit_head(c.unit), *(f.lines for f in fns), _run_unit_lines(c.unit, fns)])


# ---------------------------------------------------------------------------------------------
# The whole program.

GROUP = 10


def _tail_lines(units: int, pads: int) -> list[str]:
    """run_group_g functions and main, for `units` units and `pads` padding functions."""
    blocks: list[list[str]] = []
    groups = (units + GROUP - 1) // GROUP
    for g in range(groups):
        calls = [f"total += run_unit_{k}();" for k in range(g * GROUP, min(units, (g + 1) * GROUP))]
        body = ["let mut total: i64 = 0;", *calls, "total % 1000003"]
        blocks.append(_fn(f"fn run_group_{g}() -> i64", _indent(body)))
    main = ["let mut grand: i64 = 0;", *(f"grand += run_group_{g}();" for g in range(groups))]
    main += [f"grand = (grand + settle_{p}(grand)) % 1000003;" for p in range(pads)]
    main.append("println!(\"grand total: {}\", grand % 1000003);")
    blocks.append(_fn("fn main()", _indent(main)))
    return _join(blocks)


def _padding_fns(c: _Ctx, room: int) -> list[list[str]]:
    """Functions (called by main) that take exactly `room` lines: for each, a blank line before
    it, its lines and its call in main. Empty when `room` is too small for one."""
    count = -(-room // 44)
    while count and (room - 2 * count) // count < 5:
        count -= 1
    if not count:
        return []
    total = room - 2 * count
    sizes = [total // count + (1 if i < total % count else 0) for i in range(count)]
    return [_padding_fn(c, i, size) for i, size in enumerate(sizes)]


def _padding_fn(c: _Ctx, index: int, size: int) -> list[str]:
    """A function of exactly `size` lines (size >= 5)."""
    body = ["let mut acc: i64 = seed % 1000;", *_fillers(c, size - 4), "acc"]
    return _fn(f"fn settle_{index}(seed: i64) -> i64", _indent(body))


def _header(lines: int, seed: int) -> list[str]:
    return [f"// Generated by bench/gen_program.py: {lines} lines, seed {seed}.",
            "// Valid Gust and valid Rust (rustc --edition 2021)."]


def _units(rng: random.Random, budget: int) -> tuple[list[list[str]], int]:
    """Units (as line blocks, each preceded by a blank line) filling at most `budget` lines
    together with the tail; returns the blocks and the number of lines they take."""
    blocks: list[list[str]] = []
    used = 0
    while True:
        k = len(blocks)
        c = _Ctx(rng, _new_unit(rng, k))
        block = _fit_unit(c, budget - used - len(_tail_lines(k + 1, 0)) - 2)
        if block is None:
            return blocks, used
        blocks.append(block)
        used += len(block) + 1


def _fit_unit(c: _Ctx, room: int) -> list[str] | None:
    """A unit with up to a random number of functions that fits in `room` lines, or None."""
    fns: list[_Fn] = []
    best: list[str] | None = None
    for i in range(c.rng.randint(3, 7)):
        # Every unit has an enum-matching function, so every variant and payload is used.
        template = _t_event if i == 0 else c.rng.choice(_TEMPLATES)
        f = template(c, len(fns))
        lines = _unit_lines(c, [*fns, f])
        if len(lines) > room:
            break
        fns.append(f)
        best = lines
    return best


def generate(lines: int = 1000, seed: int = DEFAULT_SEED) -> Program:
    """A program of exactly `lines` lines, deterministic given (lines, seed)."""
    if lines < MIN_LINES:
        raise ValueError(f"programs have at least {MIN_LINES} lines, not {lines}")
    rng = random.Random(seed * 1_000_003 + lines)
    header = _header(lines, seed)
    blocks, used = _units(rng, lines - len(header))
    units = len(blocks)
    room = lines - len(header) - used - len(_tail_lines(units, 0)) - 1
    pads = _padding_fns(_Ctx(rng, _new_unit(rng, units)), room)
    out = list(header)
    for b in [*blocks, *pads]:
        out.append("")
        out.extend(b)
    used_by_pads = sum(len(p) + 2 for p in pads)
    out += ["// padding"] * (room - used_by_pads)
    out += ["", *_tail_lines(units, len(pads))]
    return _finish(out, seed)


def _finish(marked: list[str], seed: int) -> Program:
    """Strip the markers, recording the sites they mark."""
    text_lines: list[str] = []
    edits: list[Site] = []
    hovers: list[HoverSite] = []
    for n, line in enumerate(marked):
        clean = ""
        pos = 0
        for m in _MARKER.finditer(line):
            clean += line[pos:m.start()]
            pos = m.end()
            col = len(clean)
            if m.group(1) == "E":
                edits.append(Site(n, col))
            else:
                name = re.match(r"\w+", line[pos:])
                hovers.append(HoverSite(n, col, name.group(0) if name else ""))
        text_lines.append(clean + line[pos:])
    return Program("\n".join(text_lines) + "\n", seed, tuple(edits), tuple(hovers))


# ---------------------------------------------------------------------------------------------
# Command line.


def gust_diagnostics(path: str, text: str) -> list[str]:
    """gust's diagnostics for a text, as strings (empty when it checks clean)."""
    from gust.ide import check_source

    return [f"{d.code} {d.message}" for d in check_source(path, text)]


def rustc_check(text: str, timeout: float = 600.0) -> subprocess.CompletedProcess[str]:
    """`rustc --edition 2021 --emit=metadata` on a text, in a temporary directory."""
    rustc = shutil.which("rustc")
    if rustc is None:
        raise FileNotFoundError("rustc is not on PATH")
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "main.rs"
        src.write_text(text)
        return subprocess.run(
            [rustc, "--edition", "2021", "--crate-name", "gen", "--emit=metadata",
             "-o", str(Path(tmp) / "gen.rmeta"), str(src)],
            capture_output=True, text=True, timeout=timeout, check=False)


def _parse_args(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--sizes", default=",".join(map(str, DEFAULT_SIZES)),
                   help="comma-separated line counts (default: %(default)s)")
    p.add_argument("--seed", type=int, default=DEFAULT_SEED)
    p.add_argument("--out-dir", type=Path, default=Path(__file__).parent / "results" / "programs")
    p.add_argument("--stdout", action="store_true", help="print the (single) program instead")
    p.add_argument("--check", action="store_true", help="check each program with gust and rustc")
    return p.parse_args(argv)


def _check(path: Path, program: Program) -> bool:
    diags = gust_diagnostics(str(path), program.text)
    print(f"  gust: {len(diags)} diagnostics", *diags[:5], sep="\n    ")
    ok = not diags
    if shutil.which("rustc"):
        res = rustc_check(program.text)
        print(f"  rustc --emit=metadata: exit {res.returncode}")
        if res.returncode != 0 or res.stderr.strip():
            print(res.stderr[-2000:])
        ok = ok and res.returncode == 0
    else:
        print("  rustc: not on PATH, skipped")
    return ok


def main(argv: list[str] | None = None) -> int:
    args = _parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",") if s]
    ok = True
    for size in sizes:
        program = generate(size, args.seed)
        if args.stdout:
            sys.stdout.write(program.text)
            continue
        args.out_dir.mkdir(parents=True, exist_ok=True)
        path = args.out_dir / f"gen_{size}.gust"
        path.write_text(program.text)
        print(f"{path}: {program.line_count} lines, {len(program.edit_sites)} edit sites, "
              f"{len(program.hover_sites)} hover sites")
        if args.check:
            ok = _check(path, program) and ok
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
