"""The borrow checker (gust.borrowck) against rustc's verdicts.

* ``tests/ui/*.gust``: the borrow-check errors (line of the primary span, code) equal the
  annotations with borrow-check codes (the corpus was verified against rustc);
* ``tests/ui/borrowck/*.gust``: focused borrow-check cases (NLL problem cases, two-phase
  borrows, loops, matches, partial moves, ...): our errors equal the annotations, and, where
  rustc is on PATH, so do rustc's; ``tests/ui/borrowck/pass/*.gust`` are accepted by both;
* ``tests/ui/pass/*.gust`` and ``examples/*.gust``: no borrow-check errors;
* message shapes (message, labels, notes, help, quick fixes) for each error code, compared
  with what rustc prints for the same program;
* robustness: the checker never raises, whatever body it is given.

Like rustc (and gust.ide.analysis), only bodies of items that type-check are borrow-checked.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from concurrent.futures import Future
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gust import borrowck
from gust import diagnostics as d
from gust.borrowck import build as bc_build
from gust.borrowck import mir
from gust.sema import check_item
from gust.sema.items import ItemEnv, build_env
from gust.sema.results import BodyResults
from gust.syntax.source import parse_source
from gust.text import Span
from tools.rustc_oracle import expected_annotations, rustc_errors, rustc_pool

ROOT = Path(__file__).resolve().parents[1]
UI = ROOT / "tests" / "ui"
UI_ERROR_FILES = sorted(UI.glob("*.gust"))
BORROWCK_FILES = sorted((UI / "borrowck").glob("*.gust"))
BORROWCK_PASS_FILES = sorted((UI / "borrowck" / "pass").glob("*.gust"))
PASS_FILES = (sorted((UI / "pass").glob("*.gust")) + BORROWCK_PASS_FILES
              + sorted((ROOT / "examples").glob("*.gust")))

#: The codes the corpus annotations are compared on.
CORPUS_CODES = frozenset({"E0381", "E0382", "E0384", "E0499", "E0502", "E0505", "E0506",
                          "E0507", "E0594", "E0596"})


def _id(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


def check_source(text: str, *, all_bodies: bool = False) -> list[d.Diagnostic]:
    """Borrow-check every body of `text`; diagnostics with file offsets, in file order.

    Items with type errors are skipped (as rustc and gust.ide.analysis do) unless
    `all_bodies`.
    """
    source = parse_source(text)
    env, _ = build_env([node.item for node in source.items])
    out: list[d.Diagnostic] = []
    for node in source.items:
        if node.item is None:
            continue
        bodies, type_errors = check_item(env, node.item)
        if not all_bodies and any(e.is_error for e in type_errors):
            continue
        for body in bodies:
            out.extend(diag.shifted(node.offset) for diag in borrowck.check_body(env, body))
    out.sort(key=lambda x: (x.span.start, x.span.end))
    return out


def line_of(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1


def errors_of(text: str, codes: frozenset[str]) -> list[tuple[int, str]]:
    return [(line_of(text, diag.span.start), diag.code) for diag in check_source(text)
            if diag.code in codes]


def _fmt(pairs: list[tuple[int, str]]) -> str:
    return ", ".join(f"{line}:{code}" for line, code in sorted(pairs)) or "(none)"


# ---------------------------------------------------------------- the corpus


@pytest.mark.parametrize("path", UI_ERROR_FILES, ids=_id)
def test_ui_corpus_borrowck_errors(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    expected = [(line, code) for line, code in expected_annotations(text)
                if code in CORPUS_CODES]
    actual = errors_of(text, CORPUS_CODES)
    assert Counter(actual) == Counter(expected), (
        f"{_id(path)}: borrowck reports [{_fmt(actual)}], annotations say [{_fmt(expected)}]")


@pytest.mark.parametrize("path", BORROWCK_FILES, ids=_id)
def test_borrowck_cases(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    expected = expected_annotations(text)
    actual = errors_of(text, borrowck.CODES)
    assert Counter(actual) == Counter(expected), (
        f"{_id(path)}: borrowck reports [{_fmt(actual)}], annotations say [{_fmt(expected)}]")


@pytest.mark.parametrize("path", PASS_FILES, ids=_id)
def test_passing_programs_have_no_borrowck_errors(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    found = [(line_of(text, x.span.start), x.code, x.message) for x in check_source(text)]
    assert found == [], f"{_id(path)}: {found}"


def test_borrowck_case_count() -> None:
    assert len(BORROWCK_FILES) + len(BORROWCK_PASS_FILES) >= 40
    for path in BORROWCK_FILES + BORROWCK_PASS_FILES:
        text = path.read_text(encoding="utf-8")
        assert text.startswith("//"), f"{_id(path)} should say what it pins in a comment"
        assert "fn main()" in text


@pytest.fixture(scope="module")
def rustc_results() -> Iterator[dict[Path, Future[list[tuple[int, str]]]]]:
    with rustc_pool("borrowck cases cannot be checked against the oracle", 4) as pool:
        yield {path: pool.submit(rustc_errors, path)
               for path in BORROWCK_FILES + BORROWCK_PASS_FILES}


@pytest.mark.parametrize("path", BORROWCK_FILES + BORROWCK_PASS_FILES, ids=_id)
def test_borrowck_cases_match_rustc(
        rustc_results: dict[Path, Future[list[tuple[int, str]]]], path: Path) -> None:
    expected = expected_annotations(path.read_text(encoding="utf-8"))
    actual = rustc_results[path].result()
    assert Counter(actual) == Counter(expected), (
        f"{_id(path)}: rustc reports [{_fmt(actual)}], annotations say [{_fmt(expected)}]")


# ---------------------------------------------------------------- message shapes


def one(src: str, code: str) -> d.Diagnostic:
    found = [x for x in check_source(src) if x.code == code]
    assert len(found) == 1, [(x.code, x.message) for x in check_source(src)]
    return found[0]


def text_at(src: str, span: Span) -> str:
    return src[span.start:span.end]


def labels_of(src: str, diag: d.Diagnostic) -> list[tuple[str, str]]:
    return [(text_at(src, lb.span), lb.message) for lb in diag.labels]


def apply_fix(src: str, fix: d.Fix) -> str:
    for edit in sorted(fix.edits, key=lambda e: e.span.start, reverse=True):
        src = src[:edit.span.start] + edit.text + src[edit.span.end:]
    return src


def test_e0382_shape_borrow_after_move() -> None:
    src = (
        "fn main() {\n"
        "    let prompt = String::from(\"p\");\n"
        "    let queued = prompt;\n"
        "    println!(\"{} {}\", queued, prompt);\n"
        "}\n"
    )
    diag = one(src, "E0382")
    assert diag.message == "borrow of moved value: `prompt`"
    assert text_at(src, diag.span) == "prompt" and line_of(src, diag.span.start) == 4
    assert diag.label == "value borrowed here after move"
    assert labels_of(src, diag) == [
        ("prompt", "move occurs because `prompt` has type `String`, which does not implement "
                   "the `Copy` trait"),
        ("prompt", "value moved here"),
    ]
    assert diag.labels[1].span.start < diag.span.start
    assert diag.help == ("consider cloning the value if the performance cost is acceptable",)
    assert "let queued = prompt.clone();" in apply_fix(src, diag.fixes[0])


def test_e0382_shape_loop_and_partial_move() -> None:
    src = (
        "fn send(msg: String) {\n"
        "    println!(\"{}\", msg);\n"
        "}\n"
        "\n"
        "fn main() {\n"
        "    let msg = String::from(\"beat\");\n"
        "    for _i in 0..3 {\n"
        "        send(msg);\n"
        "    }\n"
        "}\n"
    )
    diag = one(src, "E0382")
    assert diag.message == "use of moved value: `msg`"
    assert diag.label == "value moved here, in previous iteration of loop"
    assert ("for _i in 0..3", "inside of this loop") in labels_of(src, diag)
    assert diag.notes == ("consider changing this parameter type in function `send` to borrow "
                          "instead if owning the value isn't necessary",)
    partial = (
        "#[derive(Debug)]\n"
        "struct Model {\n"
        "    name: String,\n"
        "    version: i32,\n"
        "}\n"
        "\n"
        "fn main() {\n"
        "    let m = Model { name: String::from(\"phi\"), version: 2 };\n"
        "    let name = m.name;\n"
        "    println!(\"{} {}\", name, m.version);\n"
        "    println!(\"{:?}\", m);\n"
        "}\n"
    )
    diag = one(partial, "E0382")
    assert diag.message == "borrow of partially moved value: `m`"
    assert diag.label == "value borrowed here after partial move"
    assert labels_of(partial, diag) == [("m.name", "value partially moved here")]
    assert diag.notes == ("partial move occurs because `m.name` has type `String`, which does "
                          "not implement the `Copy` trait",)
    assert diag.help == ()


def test_e0382_shape_method_and_for_loop() -> None:
    src = (
        "struct Request {\n"
        "    body: String,\n"
        "}\n"
        "\n"
        "impl Request {\n"
        "    fn into_body(self) -> String {\n"
        "        self.body\n"
        "    }\n"
        "}\n"
        "\n"
        "fn main() {\n"
        "    let req = Request { body: String::new() };\n"
        "    let a = req.into_body();\n"
        "    let v = vec![1];\n"
        "    for x in v {\n"
        "        println!(\"{}\", x);\n"
        "    }\n"
        "    println!(\"{} {} {:?}\", a, req.body, v);\n"
        "}\n"
    )
    method, for_loop = [x for x in check_source(src) if x.code == "E0382"]
    assert method.message == "borrow of moved value: `req`"
    assert ("into_body()", "`req` moved due to this method call") in labels_of(src, method)
    assert method.notes == ("`Request::into_body` takes ownership of the receiver `self`, which "
                            "moves `req`",)
    assert for_loop.message == "borrow of moved value: `v`"
    assert ("v", "`v` moved due to this implicit call to `.into_iter()`") in \
        labels_of(src, for_loop)
    assert for_loop.help == ("consider iterating over a slice of the `Vec<i32>`'s content to "
                             "avoid moving into the `for` loop",)
    assert "for x in &v {" in apply_fix(src, for_loop.fixes[0])


def test_e0381_shapes() -> None:
    src = (
        "fn main() {\n"
        "    let x: i32;\n"
        "    println!(\"{}\", x);\n"
        "    let c = true;\n"
        "    let y: i32;\n"
        "    if c {\n"
        "        y = 1;\n"
        "    }\n"
        "    println!(\"{}\", y);\n"
        "}\n"
    )
    never, maybe = [x for x in check_source(src) if x.code == "E0381"]
    assert never.message == "used binding `x` isn't initialized"
    assert never.label == "`x` used here but it isn't initialized"
    assert labels_of(src, never) == [("x", "binding declared here but left uninitialized")]
    assert never.help == ("consider assigning a value",)
    assert "let x: i32 = 42;" in apply_fix(src, never.fixes[0])
    assert maybe.message == "used binding `y` is possibly-uninitialized"
    assert maybe.label == "`y` used here but it is possibly-uninitialized"
    assert ("c", "if this `if` condition is `false`, `y` is not initialized") in \
        labels_of(src, maybe)


def test_e0384_shapes() -> None:
    src = (
        "fn clamp(n: i32, max: i32) -> i32 {\n"
        "    if n > max {\n"
        "        n = max;\n"
        "    }\n"
        "    n\n"
        "}\n"
        "\n"
        "fn main() {\n"
        "    let retries = 3;\n"
        "    println!(\"{}\", retries);\n"
        "    retries = 4;\n"
        "    println!(\"{} {}\", retries, clamp(1, 2));\n"
        "}\n"
    )
    arg, twice = [x for x in check_source(src) if x.code == "E0384"]
    assert arg.message == "cannot assign to immutable argument `n`"
    assert arg.label == "cannot assign to immutable argument"
    assert text_at(src, arg.span) == "n = max"
    assert arg.help == ("consider making this binding mutable",)
    assert "fn clamp(mut n: i32" in apply_fix(src, arg.fixes[0])
    assert twice.message == "cannot assign twice to immutable variable `retries`"
    assert twice.label == "cannot assign twice to immutable variable"
    assert labels_of(src, twice) == [("retries", "first assignment to `retries`")]
    assert "let mut retries = 3;" in apply_fix(src, twice.fixes[0])


def test_e0499_shapes() -> None:
    src = (
        "fn main() {\n"
        "    let mut queue = vec![1];\n"
        "    let a = &mut queue;\n"
        "    let b = &mut queue;\n"
        "    a.push(4);\n"
        "    b.push(5);\n"
        "    let mut total = 0;\n"
        "    let mut refs: Vec<&mut i32> = Vec::new();\n"
        "    for _i in 0..2 {\n"
        "        refs.push(&mut total);\n"
        "    }\n"
        "}\n"
    )
    twice, looped = [x for x in check_source(src) if x.code == "E0499"]
    assert twice.message == "cannot borrow `queue` as mutable more than once at a time"
    assert twice.label == "second mutable borrow occurs here"
    assert text_at(src, twice.span) == "&mut queue" and line_of(src, twice.span.start) == 4
    assert labels_of(src, twice) == [("&mut queue", "first mutable borrow occurs here"),
                                     ("a", "first borrow later used here")]
    assert looped.label == ("`total` was mutably borrowed here in the previous iteration of "
                            "the loop")
    assert labels_of(src, looped) == [("refs", "first borrow used here, in later iteration of "
                                               "loop")]


def test_e0499_later_used_by_call() -> None:
    src = (
        "struct A {\n"
        "    b: i64,\n"
        "}\n"
        "\n"
        "fn transfer(x: &mut A, y: &mut A) {\n"
        "    x.b -= 1;\n"
        "    y.b += 1;\n"
        "}\n"
        "\n"
        "fn main() {\n"
        "    let mut acct = A { b: 1 };\n"
        "    transfer(&mut acct, &mut acct);\n"
        "}\n"
    )
    diag = one(src, "E0499")
    assert labels_of(src, diag) == [("&mut acct", "first mutable borrow occurs here"),
                                    ("transfer", "first borrow later used by call")]


def test_e0502_shapes() -> None:
    src = (
        "fn main() {\n"
        "    let mut scores = vec![10, 20];\n"
        "    let first = &scores[0];\n"
        "    scores.push(40);\n"
        "    println!(\"{}\", first);\n"
        "    let mut v = vec![1];\n"
        "    let m = &mut v;\n"
        "    println!(\"{}\", v.len());\n"
        "    m.push(3);\n"
        "}\n"
    )
    mut_while_shared, shared_while_mut = [x for x in check_source(src) if x.code == "E0502"]
    assert mut_while_shared.message == ("cannot borrow `scores` as mutable because it is also "
                                        "borrowed as immutable")
    assert mut_while_shared.label == "mutable borrow occurs here"
    assert text_at(src, mut_while_shared.span) == "scores.push(40)"
    assert labels_of(src, mut_while_shared) == [
        ("scores", "immutable borrow occurs here"),
        ("first", "immutable borrow later used here")]
    assert shared_while_mut.message == ("cannot borrow `v` as immutable because it is also "
                                        "borrowed as mutable")
    assert text_at(src, shared_while_mut.span) == "v"
    assert labels_of(src, shared_while_mut) == [("&mut v", "mutable borrow occurs here"),
                                                ("m", "mutable borrow later used here")]


def test_e0502_nll_problem_case_3_label() -> None:
    src = (
        "fn first_or_insert(v: &mut Vec<i32>) -> &i32 {\n"
        "    match v.first() {\n"
        "        Some(x) => x,\n"
        "        None => {\n"
        "            v.push(0);\n"
        "            &v[0]\n"
        "        }\n"
        "    }\n"
        "}\n"
        "\n"
        "fn main() {\n"
        "    let mut v = Vec::new();\n"
        "    println!(\"{}\", first_or_insert(&mut v));\n"
        "}\n"
    )
    diag = one(src, "E0502")
    assert labels_of(src, diag) == [
        ("v", "immutable borrow occurs here"),
        ("&", "let's call the lifetime of this reference `'1`"),
        ("x", "returning this value requires that `*v` is borrowed for `'1`")]


def test_e0505_shape() -> None:
    src = (
        "fn drain(v: Vec<i32>) -> usize {\n"
        "    v.len()\n"
        "}\n"
        "\n"
        "fn main() {\n"
        "    let v = vec![1, 2, 3];\n"
        "    let r = &v;\n"
        "    let n = drain(v);\n"
        "    println!(\"{} {}\", n, r.len());\n"
        "}\n"
    )
    diag = one(src, "E0505")
    assert diag.message == "cannot move out of `v` because it is borrowed"
    assert diag.label == "move out of `v` occurs here"
    assert labels_of(src, diag) == [("v", "binding `v` declared here"),
                                    ("&v", "borrow of `v` occurs here"),
                                    ("r", "borrow later used here")]
    assert diag.help == ("consider cloning the value if the performance cost is acceptable",)
    assert "let r = &v.clone();" in apply_fix(src, diag.fixes[0])


def test_e0506_shapes() -> None:
    src = (
        "fn main() {\n"
        "    let mut limit = 10;\n"
        "    let r = &limit;\n"
        "    limit = 20;\n"
        "    let mut status = String::from(\"starting\");\n"
        "    let view = &status;\n"
        "    status = String::from(\"ready\");\n"
        "    println!(\"{} {} {} {}\", r, limit, view, status);\n"
        "}\n"
    )
    copy_value, dropped_value = [x for x in check_source(src) if x.code == "E0506"]
    assert copy_value.message == "cannot assign to `limit` because it is borrowed"
    assert text_at(src, copy_value.span) == "limit = 20"
    assert copy_value.label == "`limit` is assigned to here but it was already borrowed"
    assert labels_of(src, copy_value) == [("&limit", "`limit` is borrowed here"),
                                          ("r", "borrow later used here")]
    # Assigning a value with a destructor is reported at the assigned place (the old value
    # is dropped first), as rustc does.
    assert text_at(src, dropped_value.span) == "status"


def test_e0596_shapes() -> None:
    src = (
        "fn record(log: &Vec<i32>, x: i32) {\n"
        "    log.push(x);\n"
        "}\n"
        "\n"
        "fn main() {\n"
        "    let queue = Vec::new();\n"
        "    queue.push(1);\n"
        "    record(&queue, 2);\n"
        "}\n"
    )
    behind_ref, not_mut = [x for x in check_source(src) if x.code == "E0596"]
    assert behind_ref.message == "cannot borrow `*log` as mutable, as it is behind a `&` reference"
    assert behind_ref.label == "`log` is a `&` reference, so it cannot be borrowed as mutable"
    assert behind_ref.help == ("consider changing this to be a mutable reference",)
    assert "fn record(log: &mut Vec<i32>" in apply_fix(src, behind_ref.fixes[0])
    assert not_mut.message == "cannot borrow `queue` as mutable, as it is not declared as mutable"
    assert not_mut.label == "cannot borrow as mutable"
    assert text_at(src, not_mut.span) == "queue"
    assert "let mut queue = Vec::new();" in apply_fix(src, not_mut.fixes[0])


def test_e0596_self_method() -> None:
    src = (
        "struct C {\n"
        "    n: i32,\n"
        "}\n"
        "\n"
        "impl C {\n"
        "    fn bump(&mut self) {\n"
        "        self.n += 1;\n"
        "    }\n"
        "    fn peek(&self) -> i32 {\n"
        "        self.bump();\n"
        "        self.n\n"
        "    }\n"
        "}\n"
        "\n"
        "fn main() {\n"
        "    let c = C { n: 0 };\n"
        "    println!(\"{}\", c.peek());\n"
        "}\n"
    )
    diag = one(src, "E0596")
    assert diag.message == "cannot borrow `*self` as mutable, as it is behind a `&` reference"
    assert diag.label == "`self` is a `&` reference, so it cannot be borrowed as mutable"
    assert "fn peek(&mut self)" in apply_fix(src, diag.fixes[0])


def test_e0594_shapes() -> None:
    src = (
        "struct P {\n"
        "    x: i32,\n"
        "}\n"
        "\n"
        "fn k(p: &P) {\n"
        "    p.x = 5;\n"
        "}\n"
        "\n"
        "fn main() {\n"
        "    let p = P { x: 1 };\n"
        "    p.x = 2;\n"
        "    k(&p);\n"
        "}\n"
    )
    behind_ref, not_mut = [x for x in check_source(src) if x.code == "E0594"]
    assert behind_ref.message == "cannot assign to `p.x`, which is behind a `&` reference"
    assert behind_ref.label == "`p` is a `&` reference, so it cannot be written to"
    assert "fn k(p: &mut P)" in apply_fix(src, behind_ref.fixes[0])
    assert not_mut.message == "cannot assign to `p.x`, as `p` is not declared as mutable"
    assert not_mut.label == "cannot assign"
    assert "let mut p = P" in apply_fix(src, not_mut.fixes[0])


def test_e0507_shapes() -> None:
    src = (
        "struct P {\n"
        "    name: String,\n"
        "}\n"
        "\n"
        "fn g(r: &P) -> String {\n"
        "    r.name\n"
        "}\n"
        "\n"
        "fn h(r: &Vec<String>) -> String {\n"
        "    let s = r[0];\n"
        "    s\n"
        "}\n"
        "\n"
        "fn main() {\n"
        "    println!(\"{} {}\", g(&P { name: String::new() }), h(&Vec::new()));\n"
        "}\n"
    )
    field, index = [x for x in check_source(src) if x.code == "E0507"]
    assert field.message == "cannot move out of `r.name` which is behind a shared reference"
    assert field.label == ("move occurs because `r.name` has type `String`, which does not "
                           "implement the `Copy` trait")
    assert "r.name.clone()" in apply_fix(src, field.fixes[0])
    assert index.message == "cannot move out of index of `Vec<String>`"
    assert index.label == ("move occurs because value has type `String`, which does not "
                           "implement the `Copy` trait")
    assert index.help[0] == "consider borrowing here"
    assert "let s = &r[0];" in apply_fix(src, index.fixes[0])


def test_e0507_pattern_move_from_borrowed_scrutinee() -> None:
    src = (
        "enum State {\n"
        "    Ready(String),\n"
        "    Idle,\n"
        "}\n"
        "\n"
        "fn label(s: &State) -> String {\n"
        "    match *s {\n"
        "        State::Ready(n) => n,\n"
        "        State::Idle => String::new(),\n"
        "    }\n"
        "}\n"
        "\n"
        "fn main() {\n"
        "    println!(\"{}\", label(&State::Idle));\n"
        "}\n"
    )
    diag = one(src, "E0507")
    assert diag.message == ("cannot move out of `s` as enum variant `Ready` which is behind a "
                            "shared reference")
    assert text_at(src, diag.span) == "*s"
    assert labels_of(src, diag) == [
        ("n", "data moved here"),
        ("n", "move occurs because `n` has type `String`, which does not implement the "
              "`Copy` trait")]
    assert diag.help == ("consider removing the dereference here",)
    assert "    match s {" in apply_fix(src, diag.fixes[0])


def test_e0503_e0597_e0515_shapes() -> None:
    src = (
        "fn pick(v: &Vec<i32>) -> &i32 {\n"
        "    let w = vec![1];\n"
        "    let r = &w[0];\n"
        "    if v.len() > 3 {\n"
        "        return r;\n"
        "    }\n"
        "    &v[0]\n"
        "}\n"
        "\n"
        "fn main() {\n"
        "    let mut a = 5;\n"
        "    let ra = &mut a;\n"
        "    let b = a + 1;\n"
        "    *ra += b;\n"
        "    let r;\n"
        "    {\n"
        "        let x = 5;\n"
        "        r = &x;\n"
        "    }\n"
        "    println!(\"{} {}\", r, pick(&vec![1]));\n"
        "}\n"
    )
    used = one(src, "E0503")
    assert used.message == "cannot use `a` because it was mutably borrowed"
    assert used.label == "use of borrowed `a`"
    assert labels_of(src, used) == [("&mut a", "`a` is borrowed here"),
                                    ("*ra += b", "borrow later used here")]
    dropped = one(src, "E0597")
    assert dropped.message == "`x` does not live long enough"
    assert dropped.label == "borrowed value does not live long enough"
    assert labels_of(src, dropped) == [("x", "binding `x` declared here"),
                                       ("}", "`x` dropped here while still borrowed"),
                                       ("r", "borrow later used here")]
    returned = one(src, "E0515")
    assert returned.message == "cannot return value referencing local variable `w`"
    assert text_at(src, returned.span) == "r" and line_of(src, returned.span.start) == 5
    assert returned.label == "returns a value referencing data owned by the current function"
    assert labels_of(src, returned) == [("w", "`w` is borrowed here")]


def test_labels_stay_inside_the_item() -> None:
    for path in UI_ERROR_FILES + BORROWCK_FILES:
        text = path.read_text(encoding="utf-8")
        source = parse_source(text)
        for diag in check_source(text):
            node = source.item_at(diag.span.start)
            assert node is not None
            spans = [diag.span, *(lb.span for lb in diag.labels),
                     *(e.span for f in diag.fixes for e in f.edits)]
            for span in spans:
                assert node.offset <= span.start <= span.end <= node.end, (_id(path), diag)


# ---------------------------------------------------------------- robustness and internals


def _bodies(text: str) -> Iterator[tuple[ItemEnv, BodyResults]]:
    source = parse_source(text)
    env, _ = build_env([node.item for node in source.items])
    for node in source.items:
        if node.item is None:
            continue
        bodies, _ = check_item(env, node.item)
        for body in bodies:
            yield env, body


def test_every_corpus_body_checks_without_raising() -> None:
    """Even bodies with type errors (never borrow-checked by the IDE) must not crash."""
    for path in sorted((UI).rglob("*.gust")) + PASS_FILES:
        for env, body in _bodies(path.read_text(encoding="utf-8")):
            borrowck._check(env, body)


_SAMPLES = [p.read_text(encoding="utf-8") for p in BORROWCK_FILES[:12] + PASS_FILES[:8]]


@settings(max_examples=60, deadline=None, derandomize=True)
@given(st.sampled_from(_SAMPLES), st.integers(min_value=0, max_value=4000),
       st.integers(min_value=0, max_value=40))
def test_edited_sources_never_crash(text: str, at: int, cut: int) -> None:
    """Half-typed programs (a slice of text deleted) must never make the checker raise."""
    at = at % (len(text) + 1)
    edited = text[:at] + text[at + cut:]
    for env, body in _bodies(edited):
        borrowck._check(env, body)


def test_mir_points_and_loans_are_consistent() -> None:
    text = (BORROWCK_FILES[0]).read_text(encoding="utf-8")
    for path in BORROWCK_FILES:
        text = path.read_text(encoding="utf-8")
        for env, body in _bodies(text):
            graph = bc_build.lower_body(env, body).body
            assert len(graph.points) == len(graph.succ) == len(graph.pred)
            for loan in graph.loans:
                stmt = graph.points[loan.point]
                assert isinstance(stmt, mir.Assign) and stmt.rv.loan == loan.id
                if loan.two_phase and loan.activation >= 0:
                    assert isinstance(graph.points[loan.activation], mir.Call)
            for sup, sub in graph.outlives:
                assert 0 <= sup < graph.num_regions and 0 <= sub < graph.num_regions
