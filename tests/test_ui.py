"""rustc-style UI tests: each `tests/ui/**/*.gust` file marks the lines that must fail with
`//~ ERROR CODE` (`//~^` for the line above); Gust must report exactly those errors.

The same annotations are checked against rustc itself in test_corpus_oracle.py, so Gust and
rustc agree on every case. Syntax errors have no code in rustc: they are annotated
`//~ ERROR syntax` and matched by line.

`tests/ui/next/` (error cases) and `tests/ui/next/pass/` (accepted programs) hold what issue 4
asks Gust to check and Gust does not check yet; rustc checks them already. They are skipped,
with that reason, unless `GUST_UI_NEXT=1` is set.
"""

from __future__ import annotations

import functools
import os
from collections import Counter
from pathlib import Path

import pytest

from gust.codegen.context import UNSUPPORTED
from gust.ide import check_source
from gust.ide.analysis import GoProvider
from gust.project.gopackages import GoPackages
from gust.project.provider import go_provider
from gust.text import LineIndex
from tools.rustc_oracle import expected_annotations

UI = Path(__file__).parent / "ui"
NEXT = UI / "next"
ERROR_CASES = sorted(
    p for p in UI.rglob("*.gust") if "pass" not in p.relative_to(UI).parts and NEXT not in p.parents
)
PASS_CASES = sorted((UI / "pass").glob("*.gust"))
# Accepted programs that use Gust's extensions (docs/language.md section 10): not Rust, so
# outside tests/ui/pass (which rustc checks too); only the Go backend may reject them.
EXTENSION_PASS_CASES = sorted((UI / "extensions" / "pass").glob("*.gust"))
EXAMPLES = sorted((Path(__file__).parent.parent / "examples").glob("*.gust"))
NEXT_ERROR_CASES = sorted(
    p for p in NEXT.rglob("*.gust") if "pass" not in p.relative_to(NEXT).parts
)
NEXT_PASS_CASES = sorted((NEXT / "pass").glob("*.gust"))
RUN_NEXT = os.environ.get("GUST_UI_NEXT") == "1"
NEXT_REASON = (
    "needs issue 4: traits, generics, closures, modules, std library; "
    "set GUST_UI_NEXT=1 to run them"
)


def _next(paths: list[Path]) -> list[object]:
    """The `next/` cases, skipped with NEXT_REASON unless GUST_UI_NEXT=1."""
    skip = pytest.mark.skipif(not RUN_NEXT, reason=NEXT_REASON)
    return [pytest.param(path, marks=skip) for path in paths]


def _accepted_id(path: Path) -> str:
    return str(path.relative_to(UI)) if UI in path.parents and path.parent != UI / "pass" \
        else path.name


@functools.cache
def _go_stubs() -> GoProvider:
    """Go packages for `use go` cases (tests/ui/extensions): the stubs shipped with Gust (the
    loader is given a Go that does not exist), so the cases run without Go."""
    return go_provider(GoPackages(go="/nonexistent/go"))


def gust_errors(path: Path) -> list[tuple[int, str]]:
    """(1-based line, code or "syntax") of every error Gust reports for the file."""
    text = path.read_text(encoding="utf-8")
    index = LineIndex(text)
    go = _go_stubs() if "use go " in text else None
    return [
        (index.position(diag.span.start).line + 1, diag.code or "syntax")
        for diag in check_source(str(path), text, go)
        # What the Go backend cannot build yet is not a verdict on the program: rustc
        # accepts it (tests/test_codegen.py covers the backend).
        if diag.is_error and diag.code != UNSUPPORTED
    ]


# The borrow checker's error codes (issue 5 asks for 150 borrow-check cases).
BORROWCK_CODES = frozenset({"E0373", "E0381", "E0382", "E0384", "E0499", "E0502", "E0503",
                            "E0505", "E0506", "E0507", "E0508", "E0509", "E0510", "E0515",
                            "E0594", "E0596", "E0597", "E0716"})


def test_corpus_is_large_enough() -> None:
    assert len(ERROR_CASES) >= 30
    assert len(PASS_CASES) >= 20
    # Borrow-check cases: every borrow-check error annotated (each is checked against rustc,
    # by tests/test_corpus_oracle.py or tests/test_borrowck.py) and every accepted program
    # of tests/ui/borrowck/pass.
    # (tests/ui/extensions is not Rust: rustc cannot confirm those, so they do not count.)
    rejected = sum(1 for path in ERROR_CASES if UI / "extensions" not in path.parents
                   for _, code in expected_annotations(path.read_text(encoding="utf-8"))
                   if code in BORROWCK_CODES)
    accepted = len(list((UI / "borrowck" / "pass").glob("*.gust")))
    assert rejected >= 100 and accepted >= 20
    assert rejected + accepted >= 150


@pytest.mark.parametrize(
    "path", ERROR_CASES + _next(NEXT_ERROR_CASES), ids=lambda p: str(p.relative_to(UI))
)
def test_error_case(path: Path) -> None:
    expected = Counter(expected_annotations(path.read_text(encoding="utf-8")))
    got = Counter(gust_errors(path))
    assert expected, f"{path} has no annotations"
    missing = expected - got
    unexpected = got - expected
    assert not missing and not unexpected, (
        f"missing: {sorted(missing.elements())}, unexpected: {sorted(unexpected.elements())}"
    )


@pytest.mark.parametrize(
    "path", PASS_CASES + EXTENSION_PASS_CASES + EXAMPLES + _next(NEXT_PASS_CASES),
    ids=_accepted_id,
)
def test_accepted_program(path: Path) -> None:
    assert gust_errors(path) == []


def test_e0038_names_the_method_in_a_note_not_a_label_in_another_item() -> None:
    """The reason is in the trait, another item than the `dyn`: a label there would carry
    the trait's item-relative span into the function's item (it pointed at `main`)."""
    text = ("trait Counter {\n    fn bump(&mut self);\n    fn fresh() -> Self;\n}\n\n"
            "fn poke(c: &mut dyn Counter) {\n    c.bump();\n}\n\nfn main() {}\n")
    [diag] = [x for x in check_source("dyn.gust", text) if x.is_error]
    assert diag.code == "E0038"
    assert diag.labels == ()
    assert diag.notes[0] == ("`Counter` is not dyn compatible because associated function "
                             "`fresh` has no `self` parameter")


def test_items_of_inner_blocks_have_the_scope_of_their_block() -> None:
    # As rustc: each block has its own scope, so two `B`s in two branches and an inner
    # `A` beside an outer one are different items, and the `A` after the loop is the outer.
    text = ("struct A;\n\nfn main() {\n    let c = true;\n    if c {\n        struct B;\n"
            "        let _b = B;\n    } else {\n        struct B(i32);\n        let _b = B(1);\n"
            "    }\n    loop {\n        const A: i32 = 1;\n        println!(\"{}\", A);\n"
            "        break;\n    }\n    let _a: A = A;\n}\n")
    assert [diag.message for diag in check_source("blocks.gust", text) if diag.is_error] == []


E0599_RECEIVERS = """\
struct S;
struct P<T>(T);
enum W<T> {
    A(T),
}

fn f(s: &str, o: Option<i32>, w: W<u8>, p: &P<u8>, q: &mut Vec<i32>) {
    let x = 5i32;
    let r = &x;
    r.foo();
    q.foo();
    x.foo();
    S.foo();
    (&S).foo();
    s.foo();
    "a".foo();
    o.foo();
    w.foo();
    p.foo();
    P(1u8).foo();
    (1, 2).foo();
    [1, 2].foo();
    vec![1].foo();
    Box::new(1).foo();
}

fn main() {}
"""


def test_e0599_names_the_receiver_as_rustc_does() -> None:
    # rustc 1.95's messages for this file: what the type is (a reference, a mutable one, a
    # tuple, an array), and a generic type that does not dereference with its declared
    # parameters.
    got = [diag.message for diag in check_source("recv.gust", E0599_RECEIVERS)
           if diag.code == "E0599"]
    found = "no method named `foo` found for {} in the current scope".format
    assert got == [found(x) for x in (
        "reference `&i32`", "mutable reference `&mut Vec<i32>`", "type `i32`", "struct `S`",
        "reference `&S`", "reference `&str`", "reference `&'static str`", "enum `Option<T>`",
        "enum `W<T>`", "reference `&P<u8>`", "struct `P<T>`", "tuple `({integer}, {integer})`",
        "array `[{integer}; 2]`", "struct `Vec<{integer}>`", "struct `Box<{integer}>`")]
