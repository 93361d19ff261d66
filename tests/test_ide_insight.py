"""Borrow insight (issue 7.3): hovering a variable says where it is moved or borrowed and
until where each borrow lives; `function_loans` gives an editor the live ranges to paint."""

from __future__ import annotations

from gust.ide import AnalysisHost
from gust.ide.analysis import FileAnalysis
from gust.ide.borrow_insight import function_loans
from gust.ide.hover import hover
from gust.ide.inlay_hints import inlay_hints
from gust.text import Span

BORROWS = """\
fn consume(s: String) {
    println!("{}", s);
}

fn main() {
    let mut v = vec![1, 2, 3];
    let first = &mut v;
    first.push(4);
    let n = v.len();
    let s = String::from("hi");
    let r = &s;
    if n > 2 {
        println!("{}", r);
    } else {
        println!("none");
    }
    for x in v.iter() {
        println!("{}", x);
    }
    consume(s);
}
"""

PARTS = """\
struct Point {
    x: i32,
    y: i32,
}

fn main() {
    let mut p = Point { x: 1, y: 2 };
    let px = &mut p.x;
    *px += 1;
    let names = vec![String::from("a")];
    let show = || println!("{}", names.len());
    show();
    let owned = String::from("b");
    let keep = move || owned.len();
    println!("{} {}", p.y, keep());
    let words = vec![String::from("c")];
    for w in words {
        println!("{}", w);
    }
}
"""


def analyse(text: str) -> FileAnalysis:
    host = AnalysisHost()
    host.set_text("main.gust", text)
    return host.analyze("main.gust")


def notes_at(text: str, needle: str, occurrence: int = 0) -> tuple[str, ...]:
    offset = -1
    for _ in range(occurrence + 1):
        offset = text.index(needle, offset + 1)
    found = hover(analyse(text), offset)
    assert found is not None
    return found.notes


def source(text: str, span: Span) -> str:
    return text[span.start:span.end]


def test_hover_says_where_a_variable_is_borrowed_and_until_where() -> None:
    # `&mut v` is live until `first.push(4)` ends; `v.iter()` for the whole loop.
    expected = ("borrowed mutably at 7:17, borrow live until 8:18",
                "borrowed at 17:14, borrow live until 19:6")
    assert notes_at(BORROWS, "v = vec") == expected
    # A use of the variable shows the same as its declaration.
    assert notes_at(BORROWS, "v.len") == expected
    # Borrows inside one expression (`v.len()`) are not worth a line.
    assert notes_at(BORROWS, "n = v") == ()


def test_hover_says_where_a_variable_is_moved() -> None:
    assert notes_at(BORROWS, "s = String") == (
        "borrowed at 11:13, borrow live until 13:26", "moved into `consume` at line 20")
    assert notes_at(PARTS, "owned =") == ("moved into a closure at line 14",)
    assert notes_at(PARTS, "words =") == ("moved into a `for` loop at line 17",)


def test_hover_names_the_borrowed_field_and_closure_captures() -> None:
    assert notes_at(PARTS, "p = Point") == ("`p.x` borrowed mutably at 8:14, borrow live "
                                            "until 9:13",)
    # A closure borrows what it captures for as long as the closure is used.
    assert notes_at(PARTS, "names =") == ("borrowed at 11:16, borrow live until 12:9",)


def test_a_use_after_move_is_listed_with_the_move() -> None:
    text = """\
fn main() {
    let t = String::from("a");
    let u = t;
    println!("{} {}", t, u);
}
"""
    assert notes_at(text, "t =") == (
        "moved into `u` at line 3 (used after the move at line 4)",)


def test_function_loans_live_ranges_follow_nll() -> None:
    found = function_loans(analyse(BORROWS), BORROWS.index("consume(s)"))
    assert found is not None and found.name == "main"
    loans = {(source(BORROWS, x.span), x.place): x for x in found.loans}
    mutable = loans[("&mut v", "v")]
    assert mutable.mutable and mutable.origin == "explicit"
    assert [source(BORROWS, s) for s in mutable.live] == ["&mut v;\n    first.push(4)"]
    # The shared borrow is live in the `then` branch, where `r` is used, not in `else`.
    shared = loans[("&s", "s")]
    assert not shared.mutable
    assert [source(BORROWS, s) for s in shared.live] == [
        '&s;\n    if n > 2 {\n        println!("{}", r)']
    # An auto-ref that ends with its call is reported, but not as lasting.
    (length,) = [x for x in found.loans if x.span.start == BORROWS.index("v.len")]
    assert length.origin == "autoref" and not length.lasting
    (move,) = found.moves
    assert (move.place, move.into, source(BORROWS, move.span)) == ("s", "into `consume`", "s")
    assert move.later_uses == ()


def test_later_uses_of_a_moved_value_stop_at_reassignment() -> None:
    text = """\
fn main() {
    let mut a = String::from("a");
    let b = a;
    println!("{}", a);
    a = String::from("again");
    println!("{} {}", a, b);
}
"""
    found = function_loans(analyse(text), text.index("let b"))
    assert found is not None
    (move,) = found.moves
    # Line 4 uses the moved `a`; line 6 uses the new value.
    assert [text.count("\n", 0, u.start) + 1 for u in move.later_uses] == [4]


def test_a_value_moved_and_assigned_back_has_no_later_uses() -> None:
    text = """\
fn shout(s: String) -> String {
    s + "!"
}

fn main() {
    let mut s = String::from("a");
    s = shout(s);
    println!("{}", s);
}
"""
    found = function_loans(analyse(text), text.index("s = shout"))
    assert found is not None
    (move,) = found.moves
    assert (move.into, move.later_uses) == ("into `shout`", ())
    assert notes_at(text, "s = String") == ("moved into `shout` at line 7",)


def test_no_insight_for_a_body_that_does_not_type_check() -> None:
    text = "fn main() {\n    let s: i32 = \"no\";\n    let r = &s;\n}\n"
    assert function_loans(analyse(text), text.index("r =")) is None
    assert notes_at(text, "s:") == ()
    assert function_loans(analyse(BORROWS), 0) is not None  # inside `consume`
    assert function_loans(analyse("struct S;\n"), 3) is None


def test_inlay_hints_mark_where_values_are_moved() -> None:
    analysis = analyse(PARTS)
    moves = [(PARTS.count("\n", 0, h.offset) + 1, PARTS[h.offset - 5:h.offset], h.label,
              h.tooltip) for h in inlay_hints(analysis, 0, len(PARTS)) if h.kind == "move"]
    assert moves == [
        # A `move` closure moves what it captures: the hint names it.
        (14, "ve ||", "moved `owned`", "`owned` moved into a closure"),
        (17, "words", "moved", "`words` moved into a `for` loop")]
    hints = inlay_hints(analyse(BORROWS), 0, len(BORROWS))
    (consume,) = [h for h in hints if h.kind == "move"]
    assert BORROWS[:consume.offset].endswith("consume(s") and consume.padding_left
