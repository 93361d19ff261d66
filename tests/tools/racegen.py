"""Random concurrent Gust programs, and random data-race attempts (issue 11.5).

`concurrent(rnd, tag)` writes a program of a few *blocks*, each a concurrency pattern with
random sizes, values, element types and styles: threads with `move` closures and their
join handles, `mpsc` channels with several producers (dropped, moved or counted senders;
received with `iter`, `for`, `recv`), `Arc<Mutex<T>>` counters, vectors and maps (guards
as temporaries, `let` bindings dropped at the end of a block, by `drop`, or at the end of
the closure), `Arc<Vec<T>>` read by many threads, `thread::scope` (threads borrowing and
one mutating a local), threads spawning threads, pipelines of structs over channels, and
probes of the Go translation's aliasing: a `move` closure with its own copy of a `mut`
local the spawner goes on changing, a `Vec` (with spare capacity) cloned for another
thread or sent on a channel while both sides push, a vector moved into a thread and the
variable then reassigned. Extension programs (not Rust) use Gust's `go` statements,
`spawn`, `chan<T>` (buffered and not) and `select`. Nothing the Go backend reports as
unsupported is written (`Arc::strong_count` in threads, `HashMap::clone`, `RwLock` and
atomics, which Gust does not have).

The output of every block is decided by reasoning here, not by running anything: only
what the program's semantics fix is printed (sums, sorted collections, FIFO orders of one
producer), so `stdout` is the exact expectation. The programs of the Rust-compatible core
(`core`) build with rustc too, which checks that reasoning.

`attempt(rnd, tag)` writes a program that tries to race and that rustc rejects, with the
codes rustc gives: a thread closure borrowing a local (E0373), a value moved into two
threads (E0382), two scoped threads mutating one local or one reading what another writes
(E0499, E0502), `Rc`, `RefCell` and `MutexGuard` crossing threads (E0277), mutation
through an `Arc` (E0596), a reference to a local sent into a thread (E0597), and Gust's
extensions: a `spawn` closure that borrows, a reference or an `Rc` given to `go` or sent
on a `chan` (E0373, E0277). Some come after valid concurrent blocks.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field

from tools.randgen import PLACEHOLDER


@dataclass(frozen=True)
class Concurrent:
    """A program that passes `gust check`, has no data race and prints `stdout`."""

    text: str
    stdout: str
    core: bool  # the Rust-compatible core: rustc builds it and prints the same
    blocks: tuple[str, ...]  # the patterns it is made of


@dataclass(frozen=True)
class Attempt:
    """A racy program: both checkers reject it with exactly `codes`."""

    text: str
    codes: frozenset[str]
    kind: str
    core: bool  # rustc can be asked


@dataclass
class Gen:
    rnd: random.Random
    tag: str
    items: list[str] = field(default_factory=list)
    body: list[str] = field(default_factory=list)
    out: list[str] = field(default_factory=list)
    uses: set[str] = field(default_factory=set)
    blocks: list[str] = field(default_factory=list)
    count: int = 0

    def n(self) -> int:
        self.count += 1
        return self.count

    def ints(self, k: int, lo: int = -40, hi: int = 60) -> list[int]:
        return [self.rnd.randint(lo, hi) for _ in range(k)]

    def lines(self, text: str) -> None:
        self.body.extend("    " + line if line else "" for line in text.strip("\n").split("\n"))

    def text(self) -> str:
        order = ("use std::collections::HashMap;", "use std::rc::Rc;", "use std::sync::mpsc;",
                 "use std::sync::{Arc, Mutex};", "use std::thread;")
        head = "".join(u + "\n" for u in order if u in self.uses)
        items = "".join(item.strip("\n") + "\n\n" for item in self.items)
        return f"{head}\n{items}fn main() {{\n" + "\n".join(self.body) + "\n}\n"


def _vec(values: list[int]) -> str:
    return "vec![" + ", ".join(str(v) for v in values) + "]"


def _debug(values: list[int]) -> str:
    return "[" + ", ".join(str(v) for v in values) + "]"


def _strs(values: list[str]) -> str:
    return "[" + ", ".join(f'"{v}"' for v in values) + "]"


# ---------------------------------------------------------------- std blocks (Rust core)

def join_value(g: Gen) -> None:
    """One thread with `move` data; its result comes back through `join`."""
    n, rnd = g.n(), g.rnd
    g.uses.add("use std::thread;")
    data = g.ints(rnd.randint(0, 6))
    k = rnd.randint(1, 9)
    g.lines(f"let data{n}: Vec<i64> = {_vec(data)};")
    form = rnd.choice(["sum", "helper", "string", "tuple", "option"])
    if form == "sum":
        g.lines(f"let h{n} = thread::spawn(move || data{n}.iter().map(|x| x * {k}).sum::<i64>());")
        g.lines(f'println!("join{n} {{}}", h{n}.join().unwrap());')
        g.out.append(f"join{n} {sum(x * k for x in data)}")
    elif form == "helper":
        g.items.append(f"""
fn weigh{n}{g.tag}(data: Vec<i64>, k: i64) -> i64 {{
    let mut acc = 0;
    for x in data.iter() {{
        if *x > 0 {{
            acc += x * k;
        }} else {{
            acc -= x;
        }}
    }}
    acc
}}""")
        g.lines(f"let h{n} = thread::spawn(move || weigh{n}{g.tag}(data{n}, {k}));")
        g.lines(f'println!("join{n} {{}}", h{n}.join().unwrap());')
        g.out.append(f"join{n} {sum(x * k if x > 0 else -x for x in data)}")
    elif form == "string":
        label = rnd.choice(["embed", "rerank", "shard", "batch"])
        g.lines(f'let label{n} = String::from("{label}");')
        g.lines(f'let h{n} = thread::spawn(move || format!("{{}}:{{}}", label{n}, data{n}.len()));')
        g.lines(f'println!("join{n} {{}}", h{n}.join().unwrap());')
        g.out.append(f"join{n} {label}:{len(data)}")
    elif form == "tuple":
        g.lines(f"let h{n} = thread::spawn(move || (data{n}.len(), data{n}.iter().sum::<i64>()));")
        g.lines(f'println!("join{n} {{:?}}", h{n}.join().unwrap());')
        g.out.append(f"join{n} ({len(data)}, {sum(data)})")
    else:
        target = rnd.choice(data) if data and rnd.random() < 0.7 else 99
        g.lines(f"let h{n} = thread::spawn(move || data{n}.iter().position(|x| *x == {target}));")
        g.lines(f'println!("join{n} {{:?}}", h{n}.join().unwrap());')
        g.out.append(f"join{n} " + (f"Some({data.index(target)})" if target in data else "None"))
    g.blocks.append(f"join_value:{form}")


def handles(g: Gen) -> None:
    """Several threads in a `Vec` of handles, joined in order."""
    n, rnd = g.n(), g.rnd
    g.uses.add("use std::thread;")
    threads, rounds, c, base = rnd.randint(1, 5), rnd.randint(0, 4), rnd.randint(1, 7), \
        rnd.randint(-20, 20)
    g.lines(f"""
let base{n}: i64 = {base};
let mut handles{n} = Vec::new();
for i in 0..{threads} {{
    handles{n}.push(thread::spawn(move || {{
        let mut acc: i64 = base{n};
        for j in 0..{rounds} {{
            acc += (i as i64) * {c} + j;
        }}
        acc
    }}));
}}""")
    results = [base + sum(i * c + j for j in range(rounds)) for i in range(threads)]
    if rnd.random() < 0.5:
        g.lines(f"""
let mut total{n}: i64 = 0;
for h in handles{n} {{
    total{n} += h.join().unwrap();
}}
println!("handles{n} {{}}", total{n});""")
        g.out.append(f"handles{n} {sum(results)}")
        g.blocks.append("handles:sum")
    else:
        g.lines(f"let results{n}: Vec<i64> = handles{n}.into_iter().map(|h| h.join().unwrap())"
                ".collect();")
        g.lines(f'println!("handles{n} {{:?}}", results{n});')
        g.out.append(f"handles{n} {_debug(results)}")
        g.blocks.append("handles:collect")


def producers(g: Gen) -> None:
    """An `mpsc` channel with several producer threads, each with its own `Sender`."""
    n, rnd = g.n(), g.rnd
    g.uses.update({"use std::thread;", "use std::sync::mpsc;"})
    count, each, k = rnd.randint(1, 4), rnd.randint(0, 4), rnd.randint(1, 5)
    strings = rnd.random() < 0.3
    ty = "String" if strings else "i64"
    value = 'format!("p{}-{}", p, j)' if strings else f"(p as i64) * 100 + j * {k}"
    sent: list[int | str] = [f"p{p}-{j}" if strings else p * 100 + j * k
                             for p in range(count) for j in range(each)]
    annotate = f"::<{ty}>" if rnd.random() < 0.6 or each == 0 else ""
    ender = rnd.choice(["drop", "move_last", "counted"])
    g.lines(f"let (tx{n}, rx{n}) = mpsc::channel{annotate}();")
    g.lines(f"let mut producers{n} = Vec::new();")
    last = count - 1
    if ender == "move_last":
        g.lines(f"""
for p in 0..{last} {{
    let tx = tx{n}.clone();
    producers{n}.push(thread::spawn(move || {{
        for j in 0..{each} {{
            tx.send({value}).unwrap();
        }}
    }}));
}}
let p = {last};
producers{n}.push(thread::spawn(move || {{
    for j in 0..{each} {{
        tx{n}.send({value}).unwrap();
    }}
}}));""")
    else:
        g.lines(f"""
for p in 0..{count} {{
    let tx = tx{n}.clone();
    producers{n}.push(thread::spawn(move || {{
        for j in 0..{each} {{
            tx.send({value}).unwrap();
        }}
    }}));
}}""")
        if ender == "drop":
            g.lines(f"drop(tx{n});")
    join_first = rnd.random() < 0.4
    if join_first:
        g.lines(f"for h in producers{n} {{\n    h.join().unwrap();\n}}")
    style = rnd.choice(["collect", "for", "while"]) if ender != "counted" else "counted"
    if style == "collect" or strings:
        if ender == "counted":
            g.lines(f"let mut got{n}: Vec<{ty}> = Vec::new();\n"
                    f"for _ in 0..{len(sent)} {{\n    got{n}.push(rx{n}.recv().unwrap());\n}}")
        else:
            g.lines(f"let mut got{n}: Vec<{ty}> = rx{n}.iter().collect();")
        g.lines(f"got{n}.sort();")
        g.lines(f'println!("mpsc{n} {{:?}}", got{n});')
        ordered = sorted(sent, key=str) if strings else sorted(sent, key=int)
        g.out.append(f"mpsc{n} " + (_strs([str(x) for x in ordered]) if strings
                                    else _debug([int(x) for x in ordered])))
    else:
        if style == "for":
            g.lines(f"let mut total{n}: i64 = 0;\nfor v in rx{n} {{\n    total{n} += v;\n}}")
        elif style == "while":
            g.lines(f"let mut total{n}: i64 = 0;\n"
                    f"while let Ok(v) = rx{n}.recv() {{\n    total{n} += v;\n}}")
        else:
            g.lines(f"let mut total{n}: i64 = 0;\n"
                    f"for _ in 0..{len(sent)} {{\n    total{n} += rx{n}.recv().unwrap();\n}}")
        g.lines(f'println!("mpsc{n} {{}}", total{n});')
        g.out.append(f"mpsc{n} {sum(int(x) for x in sent)}")
    if not join_first:
        g.lines(f"for h in producers{n} {{\n    h.join().unwrap();\n}}")
    g.blocks.append(f"producers:{ender}:{style}")


_GUARDS = ("temporary", "let_end", "block", "drop")


def _bump(guard: str, target: str, amount: str) -> str:
    """Add `amount` under the lock of `target` (an `Arc<Mutex<i64>>`), in one guard style."""
    if guard == "temporary":
        return f"*{target}.lock().unwrap() += {amount};"
    if guard == "block":
        return f"{{\n    let mut g = {target}.lock().unwrap();\n    *g += {amount};\n}}"
    if guard == "drop":
        return f"let mut g = {target}.lock().unwrap();\n*g += {amount};\ndrop(g);"
    return f"let mut g = {target}.lock().unwrap();\n*g += {amount};"


def _indent(text: str, levels: int) -> str:
    pad = "    " * levels
    return "\n".join(pad + line if line else line for line in text.split("\n"))


def counter(g: Gen) -> None:
    """`Arc<Mutex<i64>>` incremented by several threads."""
    n, rnd = g.n(), g.rnd
    g.uses.update({"use std::thread;", "use std::sync::{Arc, Mutex};"})
    threads, rounds, c = rnd.randint(1, 5), rnd.randint(1, 30), rnd.randint(1, 5)
    guard = rnd.choice(_GUARDS)
    clone = rnd.choice([f"Arc::clone(&counter{n})", f"counter{n}.clone()"])
    # The `let_end` guard lives to the end of the closure: the loop is its own body then.
    step = _bump(guard, "c", f"(i as i64 + 1) * {c}")
    inner = (f"for _ in 0..{rounds} {{\n{_indent(step, 1)}\n}}" if guard != "let_end"
             else f"for _ in 0..{rounds} {{\n    let mut g = c.lock().unwrap();\n"
             f"    *g += (i as i64 + 1) * {c};\n}}")
    g.lines(f"""
let counter{n} = Arc::new(Mutex::new(0i64));
let mut hs{n} = vec![];
for i in 0..{threads} {{
    let c = {clone};
    hs{n}.push(thread::spawn(move || {{
{_indent(inner, 2)}
    }}));
}}
for h in hs{n} {{
    h.join().unwrap();
}}
println!("counter{n} {{}}", *counter{n}.lock().unwrap());""")
    g.out.append(f"counter{n} {sum((i + 1) * c * rounds for i in range(threads))}")
    g.blocks.append(f"counter:{guard}")


def shared_collection(g: Gen) -> None:
    """`Arc<Mutex<Vec<i64>>>` or `Arc<Mutex<HashMap<String, i64>>>` filled by threads."""
    n, rnd = g.n(), g.rnd
    g.uses.update({"use std::thread;", "use std::sync::{Arc, Mutex};"})
    threads, each = rnd.randint(1, 4), rnd.randint(0, 4)
    if rnd.random() < 0.5:
        g.lines(f"""
let shared{n} = Arc::new(Mutex::new(Vec::new()));
let mut hs{n} = Vec::new();
for t in 0..{threads} {{
    let shared = Arc::clone(&shared{n});
    hs{n}.push(thread::spawn(move || {{
        for j in 0..{each} {{
            shared.lock().unwrap().push(t * 10 + j);
        }}
    }}));
}}
for h in hs{n} {{
    h.join().unwrap();
}}
let mut all{n} = shared{n}.lock().unwrap().clone();
all{n}.sort();
println!("vec{n} {{:?}}", all{n});""")
        g.out.append(f"vec{n} {_debug(sorted(t * 10 + j for t in range(threads) for j in range(each)))}")
        g.blocks.append("shared:vec")
        return
    g.uses.add("use std::collections::HashMap;")
    words = rnd.sample(["ant", "bee", "cat", "dog", "eel"], rnd.randint(1, 4))
    g.lines(f"""
let counts{n}: Arc<Mutex<HashMap<String, i64>>> = Arc::new(Mutex::new(HashMap::new()));
let words{n}: Vec<String> = vec![{", ".join(f'String::from("{w}")' for w in words)}];
let mut hs{n} = Vec::new();
for t in 0..{threads} {{
    let counts = Arc::clone(&counts{n});
    let words = words{n}.clone();
    hs{n}.push(thread::spawn(move || {{
        let mut map = counts.lock().unwrap();
        for (i, w) in words.iter().enumerate() {{
            *map.entry(w.clone()).or_insert(0) += t as i64 + i as i64;
        }}
    }}));
}}
for h in hs{n} {{
    h.join().unwrap();
}}
let map{n} = counts{n}.lock().unwrap();
let mut entries{n}: Vec<(String, i64)> = map{n}.iter().map(|(k, v)| (k.clone(), *v)).collect();
entries{n}.sort();
println!("map{n} {{:?}}", entries{n});""")
    totals = {w: sum(t + i for t in range(threads)) for i, w in enumerate(words)}
    g.out.append(f"map{n} [" + ", ".join(f'("{w}", {totals[w]})' for w in sorted(words)) + "]")
    g.blocks.append("shared:map")


def arc_read(g: Gen) -> None:
    """`Arc<Vec<i64>>` read by several threads at once."""
    n, rnd = g.n(), g.rnd
    g.uses.update({"use std::thread;", "use std::sync::{Arc, Mutex};"})
    data = g.ints(rnd.randint(1, 7))
    threads = rnd.randint(1, 5)
    g.lines(f"""
let table{n} = Arc::new({_vec(data)});
let mut hs{n} = Vec::new();
for i in 0..{threads} {{
    let table = Arc::clone(&table{n});
    hs{n}.push(thread::spawn(move || {{
        let picked = table[i % table.len()];
        picked + table.iter().skip(i).sum::<i64>()
    }}));
}}
let seen{n}: Vec<i64> = hs{n}.into_iter().map(|h| h.join().unwrap()).collect();
println!("arc{n} {{:?}} {{}}", seen{n}, table{n}.len());""")
    seen = [data[i % len(data)] + sum(data[i:]) for i in range(threads)]
    g.out.append(f"arc{n} {_debug(seen)} {len(data)}")
    g.blocks.append("arc_read")


def scoped(g: Gen) -> None:
    """`thread::scope`: threads that borrow locals (and one that mutates one)."""
    n, rnd = g.n(), g.rnd
    g.uses.add("use std::thread;")
    data = g.ints(rnd.randint(2, 7))
    form = rnd.choice(["split", "mutate", "chunks"])
    g.lines(f"let mut data{n}: Vec<i64> = {_vec(data)};")
    if form == "split":
        at = rnd.randint(0, len(data))
        g.lines(f"""
let total{n} = thread::scope(|s| {{
    let (left, right) = data{n}.split_at({at});
    let a = s.spawn(|| left.iter().sum::<i64>());
    let b = s.spawn(|| right.iter().map(|x| x * 2).sum::<i64>());
    a.join().unwrap() + b.join().unwrap()
}});
data{n}.push(total{n});
println!("scope{n} {{:?}}", data{n});""")
        g.out.append(f"scope{n} {_debug([*data, sum(data[:at]) + 2 * sum(data[at:])])}")
    elif form == "mutate":
        g.lines(f"""
let mut count{n}: i64 = 0;
let mut longest{n} = 0;
thread::scope(|s| {{
    s.spawn(|| {{
        for x in data{n}.iter() {{
            count{n} += x;
        }}
    }});
    let reader = s.spawn(|| data{n}.len());
    longest{n} = reader.join().unwrap();
}});
data{n}.push(count{n});
println!("scope{n} {{}} {{}} {{:?}}", count{n}, longest{n}, data{n});""")
        g.out.append(f"scope{n} {sum(data)} {len(data)} {_debug([*data, sum(data)])}")
    else:
        size = rnd.randint(1, 3)
        g.lines(f"""
let sums{n}: Vec<i64> = thread::scope(|s| {{
    let mut hs = Vec::new();
    for chunk in data{n}.chunks({size}) {{
        hs.push(s.spawn(move || chunk.iter().sum::<i64>()));
    }}
    hs.into_iter().map(|h| h.join().unwrap()).collect()
}});
data{n}.clear();
println!("scope{n} {{:?}} {{}}", sums{n}, data{n}.len());""")
        sums = [sum(data[i:i + size]) for i in range(0, len(data), size)]
        g.out.append(f"scope{n} {_debug(sums)} 0")
    g.blocks.append(f"scoped:{form}")


def nested(g: Gen) -> None:
    """A thread that spawns threads of its own and joins them."""
    n, rnd = g.n(), g.rnd
    g.uses.add("use std::thread;")
    inner, k = rnd.randint(1, 4), rnd.randint(1, 9)
    g.lines(f"""
let outer{n} = thread::spawn(move || {{
    let mut inner = Vec::new();
    for i in 0..{inner} {{
        inner.push(thread::spawn(move || (i + 1) * {k}));
    }}
    inner.into_iter().map(|h| h.join().unwrap()).sum::<i32>()
}});
println!("nested{n} {{}}", outer{n}.join().unwrap());""")
    g.out.append(f"nested{n} {sum((i + 1) * k for i in range(inner))}")
    g.blocks.append("nested")


def pipeline(g: Gen) -> None:
    """Structs sent to a worker thread over one channel, results back over another: one
    producer per channel, so the order is the sending order."""
    n, rnd = g.n(), g.rnd
    g.uses.update({"use std::thread;", "use std::sync::mpsc;"})
    job = f"Job{n}{g.tag}"
    g.items.append(f"""
#[derive(Debug, Clone)]
struct {job} {{
    id: u32,
    name: String,
    weights: Vec<i64>,
}}

impl {job} {{
    fn cost(&self) -> i64 {{
        self.weights.iter().sum::<i64>() + self.name.len() as i64
    }}
}}""")
    jobs = [(i, rnd.choice(["tok", "embed", "rank"]) + str(i), g.ints(rnd.randint(0, 3)))
            for i in range(rnd.randint(0, 4))]
    literals = ", ".join(
        f'{job} {{ id: {i}, name: String::from("{name}"), weights: {_vec(w)} }}'
        for i, name, w in jobs)
    g.lines(f"""
let (jobs_tx{n}, jobs_rx{n}) = mpsc::channel::<{job}>();
let (done_tx{n}, done_rx{n}) = mpsc::channel::<(u32, i64)>();
let worker{n} = thread::spawn(move || {{
    let mut handled = 0;
    for job in jobs_rx{n} {{
        done_tx{n}.send((job.id, job.cost())).unwrap();
        handled += 1;
    }}
    handled
}});
let batch{n}: Vec<{job}> = vec![{literals}];
for job in batch{n}.iter() {{
    jobs_tx{n}.send(job.clone()).unwrap();
}}
drop(jobs_tx{n});
for (id, cost) in done_rx{n} {{
    println!("pipeline{n} {{}} {{}}", id, cost);
}}
println!("pipeline{n} handled {{}} of {{}}", worker{n}.join().unwrap(), batch{n}.len());""")
    for i, name, w in jobs:
        g.out.append(f"pipeline{n} {i} {sum(w) + len(name)}")
    g.out.append(f"pipeline{n} handled {len(jobs)} of {len(jobs)}")
    g.blocks.append("pipeline")


def own_copy(g: Gen) -> None:
    """A `move` closure has its own copy of a `mut` local that the spawner goes on
    changing (Go closures share variables: the translation must copy)."""
    n, rnd = g.n(), g.rnd
    g.uses.add("use std::thread;")
    start, step, later = rnd.randint(-9, 9), rnd.randint(1, 5), rnd.randint(1, 50)
    g.lines(f"""
let mut n{n}: i64 = {start};
let h{n} = thread::spawn(move || {{
    for _ in 0..3 {{
        n{n} += {step};
    }}
    n{n}
}});
n{n} += {later};
println!("copy{n} {{}} {{}}", n{n}, h{n}.join().unwrap());""")
    g.out.append(f"copy{n} {start + later} {start + 3 * step}")
    g.blocks.append("own_copy")


def clone_aliasing(g: Gen) -> None:
    """A `Vec` with spare capacity, cloned (or sent) to another thread while both sides
    push: the clone must not share the original's backing array."""
    n, rnd = g.n(), g.rnd
    g.uses.add("use std::thread;")
    first = g.ints(rnd.randint(0, 3))
    ours, theirs = g.ints(rnd.randint(1, 3)), g.ints(rnd.randint(1, 3))
    pushes = "".join(f"\nbase{n}.push({x});" for x in first)
    g.lines(f"let mut base{n}: Vec<i64> = Vec::with_capacity(16);{pushes}")
    form = rnd.choice(["clone", "send", "reassign"])
    theirs_push = "".join(f"\n        copy.push({x});" for x in theirs)
    ours_push = "".join(f"\nbase{n}.push({x});" for x in ours)
    if form == "clone":
        g.lines(f"""
let mut copy{n} = base{n}.clone();
let h{n} = thread::spawn(move || {{
    let mut copy = copy{n};{theirs_push}
    copy.iter().sum::<i64>()
}});{ours_push}
println!("alias{n} {{:?}} {{}}", base{n}, h{n}.join().unwrap());""".replace(
            f"let mut copy{n} = ", f"let copy{n} = "))
    elif form == "send":
        g.uses.add("use std::sync::mpsc;")
        g.lines(f"""
let (tx{n}, rx{n}) = mpsc::channel::<Vec<i64>>();
let h{n} = thread::spawn(move || {{
    let mut copy = rx{n}.recv().unwrap();{theirs_push}
    copy.iter().sum::<i64>()
}});
tx{n}.send(base{n}.clone()).unwrap();{ours_push}
println!("alias{n} {{:?}} {{}}", base{n}, h{n}.join().unwrap());""")
    else:
        g.lines(f"""
let h{n} = thread::spawn(move || {{
    let mut copy = base{n};{theirs_push}
    copy.iter().sum::<i64>()
}});
base{n} = Vec::with_capacity(16);
for x in {_vec(first)} {{
    base{n}.push(x);
}}{ours_push}
println!("alias{n} {{:?}} {{}}", base{n}, h{n}.join().unwrap());""")
    g.out.append(f"alias{n} {_debug(first + ours)} {sum(first) + sum(theirs)}")
    g.blocks.append(f"aliasing:{form}")


def clone_deep(g: Gen) -> None:
    """A struct with a `String`, a `Vec` and a `Vec<Vec<_>>` (all with spare capacity)
    cloned for another thread while both sides grow their copy: `Clone` must copy deeply,
    and the runtime's in-place `String` appends must not share a buffer between copies."""
    n, rnd = g.n(), g.rnd
    g.uses.add("use std::thread;")
    bag = f"Bag{n}{g.tag}"
    g.items.append(f"""
#[derive(Debug, Clone)]
struct {bag} {{
    name: String,
    items: Vec<i64>,
    rows: Vec<Vec<i64>>,
}}""")
    head, mine, theirs = (rnd.choice(["kv", "ab", "z"]), rnd.choice(["x", "yy", "1"]),
                          rnd.choice(["t", "uu", "2"]))
    a, b, c = rnd.randint(-9, 9), rnd.randint(-9, 9), rnd.randint(-9, 9)
    g.lines(f"""
let mut name{n} = String::with_capacity(32);
name{n}.push_str("{head}");
let mut items{n}: Vec<i64> = Vec::with_capacity(8);
items{n}.push({a});
let mut row{n}: Vec<i64> = Vec::with_capacity(8);
row{n}.push({b});
let mut bag{n} = {bag} {{ name: name{n}, items: items{n}, rows: vec![row{n}] }};
let mut theirs{n} = bag{n}.clone();
let h{n} = thread::spawn(move || {{
    theirs{n}.name.push_str("{theirs}");
    theirs{n}.items.push({c});
    theirs{n}.rows[0].push({c});
    format!("{{:?}}", theirs{n})
}});
bag{n}.name.push_str("{mine}");
bag{n}.items.push({c + 1});
bag{n}.rows[0].push({c + 1});
println!("deep{n} {{:?}}", bag{n});
println!("deep{n} {{}}", h{n}.join().unwrap());""")
    def shown(name: str, last: int) -> str:
        return f'{bag} {{ name: "{name}", items: [{a}, {last}], rows: [[{b}, {last}]] }}'
    g.out.append(f"deep{n} {shown(head + mine, c + 1)}")
    g.out.append(f"deep{n} {shown(head + theirs, c)}")
    g.blocks.append("clone_deep")


# ---------------------------------------------------------------- Gust's extensions

def go_chan(g: Gen) -> None:
    """`go f(..)` producers on one `chan<i64>`, buffered or not; the receiver counts."""
    n, rnd = g.n(), g.rnd
    count, each, cap = rnd.randint(1, 4), rnd.randint(0, 5), rnd.choice([0, 1, 4])
    g.items.append(f"""
fn produce{n}{g.tag}(out: chan<i64>, base: i64, count: i64) {{
    for i in 0..count {{
        out.send(base + i);
    }}
}}""")
    g.lines(f"""
let c{n}: chan<i64> = chan::new({cap});
for p in 0..{count} {{
    go produce{n}{g.tag}(c{n}.clone(), (p as i64) * 1000, {each});
}}
let mut total{n}: i64 = 0;
for _ in 0..{count * each} {{
    total{n} += c{n}.recv().unwrap();
}}
println!("go{n} {{}}", total{n});""")
    g.out.append(f"go{n} {sum(p * 1000 + i for p in range(count) for i in range(each))}")
    g.blocks.append("go_chan")


def spawn_close(g: Gen) -> None:
    """`spawn(move || ..)` sends then closes; one producer, so the order is kept."""
    n, rnd = g.n(), g.rnd
    values = g.ints(rnd.randint(0, 6))
    cap = rnd.choice([0, 2, 8])
    g.lines(f"""
let c{n}: chan<i64> = chan::new({cap});
let out{n} = c{n}.clone();
let values{n}: Vec<i64> = {_vec(values)};
spawn(move || {{
    for v in values{n} {{
        out{n}.send(v * 2);
    }}
    out{n}.close();
}});
let mut got{n} = Vec::new();
while let Some(v) = c{n}.recv() {{
    got{n}.push(v);
}}
println!("spawn{n} {{:?}}", got{n});""")
    g.out.append(f"spawn{n} {_debug([v * 2 for v in values])}")
    g.blocks.append("spawn_close")


def select_two(g: Gen) -> None:
    """`select` over two channels fed by two goroutines, until both are closed."""
    n, rnd = g.n(), g.rnd
    numbers = g.ints(rnd.randint(0, 5))
    words = [rnd.choice(["ant", "bee", "cat"]) for _ in range(rnd.randint(0, 4))]
    g.lines(f"""
let mut nums{n}: chan<i64> = chan::new({rnd.choice([0, 3])});
let mut words{n}: chan<String> = chan::new({rnd.choice([0, 3])});
let nums_out{n} = nums{n}.clone();
let words_out{n} = words{n}.clone();
spawn(move || {{
    for x in {_vec(numbers) if numbers else "Vec::<i64>::new()"} {{
        nums_out{n}.send(x);
    }}
    nums_out{n}.close();
}});
spawn(move || {{
    for w in {"vec![" + ", ".join(f'"{w}"' for w in words) + "]" if words else "Vec::<&str>::new()"} {{
        words_out{n}.send(String::from(w));
    }}
    words_out{n}.close();
}});
let mut sum{n}: i64 = 0;
let mut seen{n}: Vec<String> = Vec::new();
let mut open{n} = 2;
while open{n} > 0 {{
    select {{
        x = nums{n}.recv() => match x {{
            Some(v) => sum{n} += v,
            None => {{
                open{n} -= 1;
                nums{n} = chan::new(0);
            }}
        }},
        w = words{n}.recv() => match w {{
            Some(s) => seen{n}.push(s),
            None => {{
                open{n} -= 1;
                words{n} = chan::new(0);
            }}
        }},
    }}
}}
println!("select{n} {{}} {{:?}}", sum{n}, seen{n});""")
    g.out.append(f"select{n} {sum(numbers)} {_strs(words)}")
    g.blocks.append("select")


def go_mutex(g: Gen) -> None:
    """Goroutines bumping an `Arc<Mutex<i64>>`, each signalling on a `chan<()>`."""
    n, rnd = g.n(), g.rnd
    g.uses.add("use std::sync::{Arc, Mutex};")
    count, rounds = rnd.randint(1, 5), rnd.randint(1, 20)
    guard = rnd.choice(_GUARDS)
    g.items.append(f"""
fn bump{n}{g.tag}(counter: Arc<Mutex<i64>>, done: chan<()>, k: i64) {{
    for _ in 0..{rounds} {{
{_indent(_bump(guard if guard != "let_end" else "block", "counter", "k"), 2)}
    }}
    done.send(());
}}""")
    g.lines(f"""
let counter{n} = Arc::new(Mutex::new(0i64));
let done{n}: chan<()> = chan::new(0);
for k in 1..{count + 1} {{
    go bump{n}{g.tag}(Arc::clone(&counter{n}), done{n}.clone(), k as i64);
}}
for _ in 0..{count} {{
    let _ = done{n}.recv();
}}
println!("gomutex{n} {{}}", *counter{n}.lock().unwrap());""")
    g.out.append(f"gomutex{n} {rounds * sum(range(1, count + 1))}")
    g.blocks.append(f"go_mutex:{guard}")


def ping_pong(g: Gen) -> None:
    """Unbuffered request and reply channels between `main` and a goroutine."""
    n, rnd = g.n(), g.rnd
    rounds, k = rnd.randint(0, 5), rnd.randint(1, 9)
    g.lines(f"""
let requests{n}: chan<i64> = chan::new(0);
let replies{n}: chan<i64> = chan::new(0);
let (rq{n}, rp{n}) = (requests{n}.clone(), replies{n}.clone());
spawn(move || {{
    while let Some(x) = rq{n}.recv() {{
        rp{n}.send(x * x + {k});
    }}
    rp{n}.close();
}});
let mut answers{n} = Vec::new();
for i in 0..{rounds} {{
    requests{n}.send(i as i64);
    answers{n}.push(replies{n}.recv().unwrap());
}}
requests{n}.close();
println!("pingpong{n} {{:?}} {{:?}}", answers{n}, replies{n}.recv());""")
    g.out.append(f"pingpong{n} {_debug([i * i + k for i in range(rounds)])} None")
    g.blocks.append("ping_pong")


def spawn_own_copy(g: Gen) -> None:
    """`spawn(move || ..)` and `go f(n)` with a `mut` local the spawner goes on changing:
    each goroutine has its own copy (a Go closure would share the variable)."""
    n, rnd = g.n(), g.rnd
    start, step, later = rnd.randint(-9, 9), rnd.randint(1, 5), rnd.randint(1, 50)
    g.items.append(f"""
fn report{n}{g.tag}(out: chan<i64>, mut value: i64) {{
    value *= 2;
    out.send(value);
}}""")
    g.lines(f"""
let mut n{n}: i64 = {start};
let results{n}: chan<i64> = chan::new(2);
let out{n} = results{n}.clone();
spawn(move || {{
    n{n} += {step};
    out{n}.send(n{n});
}});
go report{n}{g.tag}(results{n}.clone(), n{n});
n{n} += {later};
let first{n} = results{n}.recv().unwrap();
let second{n} = results{n}.recv().unwrap();
println!("owncopy{n} {{}} {{}}", n{n}, first{n} + second{n});""")
    g.out.append(f"owncopy{n} {start + later} {start + step + 2 * start}")
    g.blocks.append("spawn_own_copy")


CORE_BLOCKS: tuple[Callable[[Gen], None], ...] = (
    join_value, handles, producers, counter, shared_collection, arc_read, scoped, nested,
    pipeline, own_copy, clone_aliasing, clone_deep)
EXTENSION_BLOCKS: tuple[Callable[[Gen], None], ...] = (
    go_chan, spawn_close, select_two, go_mutex, ping_pong, spawn_own_copy)


def concurrent(rnd: random.Random, tag: str = "", extension: bool | None = None) -> Concurrent:
    """One program of 2-4 blocks; with `extension` (default: a coin) some blocks use
    Gust's `go`, `spawn`, `chan` and `select`."""
    g = Gen(rnd, tag)
    if extension is None:
        extension = rnd.random() < 0.4
    pool = CORE_BLOCKS + (EXTENSION_BLOCKS * 2 if extension else ())
    core = True
    for _ in range(rnd.randint(2, 4)):
        block = rnd.choice(pool)
        block(g)
        core = core and block in CORE_BLOCKS
    return Concurrent(g.text(), "".join(line + "\n" for line in g.out), core, tuple(g.blocks))


# ---------------------------------------------------------------- racy attempts

def _attempt_borrowing_thread(g: Gen) -> frozenset[str]:
    n = g.n()
    g.uses.add("use std::thread;")
    form = g.rnd.choice(["read", "mutate", "mutate_then_read"])
    if form == "read":
        g.lines(f"""
let v{n} = {_vec(g.ints(3))};
let h{n} = thread::spawn(|| v{n}.len());
println!("{{}}", h{n}.join().unwrap());""")
        return frozenset({"E0373"})
    g.lines(f"""
let mut total{n} = 0;
let h{n} = thread::spawn(|| {{
    total{n} += 1;
}});
h{n}.join().unwrap();""")
    if form == "mutate_then_read":
        g.lines(f'println!("{{}}", total{n});')
        return frozenset({"E0373", "E0502"})
    return frozenset({"E0373"})


def _attempt_two_threads_one_value(g: Gen) -> frozenset[str]:
    n = g.n()
    g.uses.add("use std::thread;")
    g.lines(f"""
let mut log{n}: Vec<String> = Vec::new();
let a{n} = thread::spawn(move || log{n}.push(String::from("a")));
let b{n} = thread::spawn(move || log{n}.push(String::from("b")));
a{n}.join().unwrap();
b{n}.join().unwrap();""")
    return frozenset({"E0382"})


def _attempt_scoped_conflict(g: Gen) -> frozenset[str]:
    n = g.n()
    g.uses.add("use std::thread;")
    form = g.rnd.choice(["two_writers", "reader_and_writer", "spawner_reads"])
    g.lines(f"let mut items{n}: Vec<i64> = {_vec(g.ints(2))};")
    if form == "two_writers":
        g.lines(f"""
thread::scope(|s| {{
    s.spawn(|| items{n}.push(1));
    s.spawn(|| items{n}.push(2));
}});""")
        code = "E0499"
    elif form == "reader_and_writer":
        g.lines(f"""
thread::scope(|s| {{
    s.spawn(|| items{n}.push(1));
    s.spawn(|| println!("{{}}", items{n}.len()));
}});""")
        code = "E0502"
    else:
        g.lines(f"""
thread::scope(|s| {{
    s.spawn(|| items{n}.push(1));
    println!("{{}}", items{n}.len());
}});""")
        code = "E0502"
    g.lines(f'println!("{{:?}}", items{n});')
    return frozenset({code})


def _attempt_not_send(g: Gen) -> frozenset[str]:
    n = g.n()
    g.uses.add("use std::thread;")
    form = g.rnd.choice(["rc", "rc_in_vec", "rc_in_tuple", "refcell_in_arc", "guard"])
    if form == "guard":
        g.uses.add("use std::sync::{Arc, Mutex};")
        g.lines(f"""
let m{n} = Arc::new(Mutex::new(0));
let m2{n} = Arc::clone(&m{n});
let h{n} = thread::spawn(move || {{
    let g = m2{n}.lock().unwrap();
    let t = thread::spawn(move || drop(g));
    t.join().unwrap();
}});
h{n}.join().unwrap();
println!("{{}}", *m{n}.lock().unwrap());""")
        return frozenset({"E0277"})
    g.uses.add("use std::rc::Rc;")
    value = {"rc": "Rc::new(5)", "rc_in_vec": "vec![Rc::new(5)]",
             "rc_in_tuple": "(1, Rc::new(5))",
             "refcell_in_arc": "std::sync::Arc::new(std::cell::RefCell::new(5))"}[form]
    if form == "refcell_in_arc":
        g.uses.discard("use std::rc::Rc;")
    g.lines(f"""
let shared{n} = {value};
let h{n} = thread::spawn(move || {{
    let _keep = shared{n};
}});
h{n}.join().unwrap();""")
    return frozenset({"E0277"})


def _attempt_mutate_through_arc(g: Gen) -> frozenset[str]:
    n = g.n()
    g.uses.update({"use std::thread;", "use std::sync::{Arc, Mutex};"})
    g.lines(f"""
let list{n} = Arc::new(vec![1, 2]);
let mine{n} = Arc::clone(&list{n});
let h{n} = thread::spawn(move || mine{n}.push(3));
h{n}.join().unwrap();
println!("{{:?}}", list{n});""")
    return frozenset({"E0596"})


def _attempt_reference_into_thread(g: Gen) -> frozenset[str]:
    n = g.n()
    g.uses.add("use std::thread;")
    if g.rnd.random() < 0.5:
        g.lines(f"""
let v{n} = {_vec(g.ints(3))};
let r{n} = &v{n};
let h{n} = thread::spawn(move || r{n}.len());
println!("{{}}", h{n}.join().unwrap());""")
        return frozenset({"E0597"})
    g.uses.add("use std::sync::mpsc;")
    g.lines(f"""
let (tx{n}, rx{n}) = mpsc::channel();
let h{n} = thread::spawn(move || {{
    let r: &i64 = rx{n}.recv().unwrap();
    *r + 1
}});
let x{n}: i64 = 41;
tx{n}.send(&x{n}).unwrap();
println!("{{}}", h{n}.join().unwrap());""")
    return frozenset({"E0597"})


def _attempt_spawn_borrows(g: Gen) -> frozenset[str]:
    n = g.n()
    g.lines(f"""
let names{n} = vec![String::from("a")];
spawn(|| println!("{{}}", names{n}.len()));""")
    return frozenset({"E0373"})


def _attempt_go_reference(g: Gen) -> frozenset[str]:
    n = g.n()
    form = g.rnd.choice(["go_ref", "go_rc", "send_ref", "spawn_rc"])
    if form in ("go_ref", "go_rc"):
        param = "&Vec<i64>" if form == "go_ref" else "Rc<Vec<i64>>"
        if form == "go_rc":
            g.uses.add("use std::rc::Rc;")
        g.items.append(f"fn count{n}{g.tag}(v: {param}) {{\n    println!(\"{{}}\", v.len());\n}}")
        arg = f"&v{n}" if form == "go_ref" else f"Rc::new(v{n})"
        g.lines(f"let v{n}: Vec<i64> = {_vec(g.ints(2))};\ngo count{n}{g.tag}({arg});")
    elif form == "send_ref":
        g.lines(f"""
let c{n}: chan<&i64> = chan::new(1);
let x{n}: i64 = 3;
c{n}.send(&x{n});""")
    else:
        g.uses.add("use std::rc::Rc;")
        g.lines(f"""
let shared{n} = Rc::new(5);
spawn(move || println!("{{}}", shared{n}));""")
    return frozenset({"E0277"})


CORE_ATTEMPTS: tuple[Callable[[Gen], frozenset[str]], ...] = (
    _attempt_borrowing_thread, _attempt_two_threads_one_value, _attempt_scoped_conflict,
    _attempt_not_send, _attempt_mutate_through_arc, _attempt_reference_into_thread)
EXTENSION_ATTEMPTS: tuple[Callable[[Gen], frozenset[str]], ...] = (
    _attempt_spawn_borrows, _attempt_go_reference)


def attempt(rnd: random.Random, tag: str = "") -> Attempt:
    """One racy program, after 0-2 valid concurrent blocks."""
    g = Gen(rnd, tag)
    extension = rnd.random() < 0.3
    for _ in range(rnd.choice([0, 0, 1, 2])):
        rnd.choice(CORE_BLOCKS)(g)
    make = rnd.choice(EXTENSION_ATTEMPTS if extension else CORE_ATTEMPTS)
    codes = make(g)
    kind = make.__name__.removeprefix("_attempt_")
    return Attempt(g.text(), codes, kind, not extension)


def draw(count: int, seed: int, make: Callable[[random.Random, str], Concurrent | Attempt]
         ) -> list[Concurrent | Attempt]:
    """`count` distinct outputs of `make` (fewer if hypothesis runs out of new ones), drawn
    by hypothesis with a fixed seed; names end with randgen's PLACEHOLDER (`tagged`)."""
    from hypothesis import HealthCheck, Phase, given, settings
    from hypothesis import seed as fixed_seed
    from hypothesis import strategies as st

    seen: dict[str, Concurrent | Attempt] = {}

    @fixed_seed(seed)
    @settings(max_examples=count, database=None, deadline=None, phases=[Phase.generate],
              suppress_health_check=list(HealthCheck))
    @given(st.randoms(use_true_random=True))
    def collect(rnd: random.Random) -> None:
        made = make(rnd, PLACEHOLDER)
        seen.setdefault(made.text, made)

    collect()
    return list(seen.values())


def draw_concurrent(count: int, seed: int = 0) -> list[Concurrent]:
    return [p for p in draw(count, seed, concurrent) if isinstance(p, Concurrent)]


def draw_attempts(count: int, seed: int = 0) -> list[Attempt]:
    return [a for a in draw(count, seed, attempt) if isinstance(a, Attempt)]
