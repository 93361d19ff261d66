"""The ide layer: incremental analysis and hover, as plain data."""

from __future__ import annotations

import pytest

from gust.ide import AnalysisHost, analyze_text
from gust.ide.analysis import Cancelled
from gust.ide.code_actions import quick_fixes
from gust.ide.format import TextEdit
from gust.ide.hover import hover

PROGRAM = """struct Counter {
    hits: Vec<i32>,
}

impl Counter {
    fn total(&self) -> i32 {
        let mut sum = 0;
        for h in self.hits.iter() {
            sum += h;
        }
        sum
    }
}

fn main() {
    let v = vec![1, 2];
    let c = Counter { hits: v };
    let scale = 2.5;
    println!("{} {}", c.total(), scale);
}
"""


def hover_at(text: str, needle: str, occurrence: int = 0) -> str | None:
    host = AnalysisHost()
    host.set_text("main.gust", text)
    analysis = host.analyze("main.gust")
    offset = -1
    for _ in range(occurrence + 1):
        offset = text.index(needle, offset + 1)
    found = hover(analysis, offset)
    return found.signature if found else None


def test_hover_shows_inferred_types() -> None:
    assert hover_at(PROGRAM, "v = vec!") == "let v: Vec<i32>"
    assert hover_at(PROGRAM, "scale = 2.5") == "let scale: f64"
    assert hover_at(PROGRAM, "sum = 0") == "let mut sum: i32"
    # A use of a local shows the same as its declaration.
    assert hover_at(PROGRAM, "v };") == "let v: Vec<i32>"
    # Loop variables over `.iter()` are references.
    assert hover_at(PROGRAM, "h in") == "let h: &i32"


def test_hover_shows_fields_and_method_signatures() -> None:
    assert hover_at(PROGRAM, "hits.iter") == "hits: Vec<i32>"
    assert hover_at(PROGRAM, "total()") == "fn Counter::total(&self) -> i32"


def test_hover_on_a_literal_shows_its_inferred_type() -> None:
    text = 'fn main() {\n    let big: i64 = 3;\n    let s = "hi";\n    let x = 1.5f32;\n}\n'
    assert hover_at(text, "3;") == "i64"
    assert hover_at(text, '"hi"') == "&str"
    assert hover_at(text, "1.5f32") == "f32"
    assert hover_at(PROGRAM, "0;") == "i32"


def test_hover_on_the_type_in_a_path_shows_the_type_and_its_docs() -> None:
    text = """/// A LIFO stack.
struct Stack<T> {
    items: Vec<T>,
}

impl<T> Stack<T> {
    fn new() -> Stack<T> {
        Stack { items: Vec::new() }
    }
}

/// Where a model runs.
enum Backend {
    Cpu(u32),
}

fn main() {
    let s: Stack<i32> = Stack::new();
    let b = Backend::Cpu(4);
    println!("{}", s.items.len());
    match b {
        Backend::Cpu(n) => println!("{}", n),
    }
}
"""
    host = AnalysisHost()
    host.set_text("main.gust", text)
    analysis = host.analyze("main.gust")
    stack = hover(analysis, text.index("Stack::new()"))
    assert stack is not None and stack.signature == "struct Stack<T>"
    assert stack.docs == "A LIFO stack."
    backend = hover(analysis, text.index("Backend::Cpu(4)") + 2)
    assert backend is not None and backend.signature == "enum Backend"
    assert backend.docs == "Where a model runs."
    # The last segment is still the function or variant itself.
    assert hover_at(text, "new()") == "fn Stack::new() -> Stack<T>"


def test_hover_outside_any_name_is_empty() -> None:
    assert hover_at(PROGRAM, "\n\nimpl") is None


def test_typing_inside_a_body_rechecks_only_that_item() -> None:
    host = AnalysisHost()
    text = "\n".join(f"fn f{i}(x: i32) -> i32 {{\n    x + {i}\n}}\n" for i in range(40))
    host.set_text("a.gust", text)
    host.analyze("a.gust")
    assert host.rechecked == 40
    host.set_text("a.gust", text.replace("x + 7\n", "x + 77\n"))
    analysis = host.analyze("a.gust")
    assert host.rechecked == 1
    assert analysis.diagnostics() == []


def test_editing_a_body_reborrow_checks_only_that_function() -> None:
    host = AnalysisHost()
    text = "\n".join(
        f"fn f{i}(v: &mut Vec<i32>) -> usize {{\n    v.push({i});\n    let n = v.len();\n"
        f"    v.push(1);\n    n\n}}\n" for i in range(30))
    host.set_text("a.gust", text)
    host.analyze("a.gust")
    assert host.borrow_checked == 30
    # A borrow error typed into one body: only that body is borrow-checked again.
    broken = text.replace("    let n = v.len();\n    v.push(1);\n    n\n}\n\nfn f8",
                          "    let n = &v;\n    v.push(1);\n    n.len()\n}\n\nfn f8")
    assert broken != text
    host.set_text("a.gust", broken)
    analysis = host.analyze("a.gust")
    assert (host.rechecked, host.borrow_checked) == (1, 1)
    assert [diag.code for diag in analysis.diagnostics()] == ["E0502"]
    host.set_text("a.gust", text)
    assert host.analyze("a.gust").diagnostics() == []
    assert (host.rechecked, host.borrow_checked) == (1, 1)


def test_moving_a_body_item_into_an_inner_block_rescopes_it() -> None:
    # The item's text is unchanged, but its scope is not: the `A` after the `if` no longer
    # names it (rustc's E0425), so the environment must be rebuilt.
    host = AnalysisHost()
    text = "fn main() {\n    struct A;\n    if true {\n    }\n    let _a = A;\n}\n"
    host.set_text("a.gust", text)
    assert host.analyze("a.gust").diagnostics() == []
    host.set_text("a.gust", text.replace("    struct A;\n    if true {\n",
                                         "    if true {\n        struct A;\n"))
    assert [d.code for d in host.analyze("a.gust").diagnostics()] == ["E0425"]


def test_changing_a_signature_rechecks_its_callers() -> None:
    host = AnalysisHost()
    text = "fn g() -> i32 {\n    1\n}\n\nfn main() {\n    let x: i32 = g();\n}\n"
    host.set_text("a.gust", text)
    assert host.analyze("a.gust").diagnostics() == []
    host.set_text("a.gust", text.replace("fn g() -> i32 {\n    1", "fn g() -> bool {\n    true"))
    codes = [d.code for d in host.analyze("a.gust").diagnostics()]
    assert codes == ["E0308"]


def test_unchanged_text_is_not_reanalysed() -> None:
    host = AnalysisHost()
    host.set_text("a.gust", PROGRAM, version=1)
    first = host.analyze("a.gust")
    host.set_text("a.gust", PROGRAM, version=1)
    assert host.analyze("a.gust") is first


def test_a_file_closed_and_opened_again_gets_the_same_diagnostics() -> None:
    # Found by bench/lsp_fuzz.py (a Reopen step): the package's environment, kept for the
    # old parse, no longer checked the reopened file's constants.
    text = "const BASE: u8 = 7;\nconst DERIVED: i32 = BASE;\nfn main() {}\n"
    host = AnalysisHost()
    host.set_text("a.gust", text)
    first = [(d.code, d.span) for d in host.analyze("a.gust").diagnostics()]
    assert [code for code, _ in first] == ["E0308"]
    host.remove("a.gust")
    host.set_text("a.gust", text)
    assert [(d.code, d.span) for d in host.analyze("a.gust").diagnostics()] == first


def test_a_file_closed_and_opened_again_gets_the_same_go() -> None:
    """The package's environment is kept across a close and an open of the same text, and
    the reopened file is a new parse: the environment must describe it (structs, enums,
    constants and impls are found by their declaration), or items lose their Go."""
    from gust.ide.generated import generated_go

    text = """#[derive(Debug, Clone, Copy, PartialEq)]
enum Light {
    Red,
    Green,
}

struct Counter {
    hits: u32,
}

impl Counter {
    fn bump(&mut self) {
        self.hits += STEP;
    }
}

const STEP: u32 = 2;

fn main() {
    let mut c = Counter { hits: 0 };
    c.bump();
    println!("{} {:?}", c.hits, Light::Green);
}
"""
    host = AnalysisHost()
    host.set_text("a.gust", text)
    first = generated_go(host.analyze("a.gust"))
    assert first.ok, first.text
    for needed in ("type Counter struct", "func (self *Counter) bump()", "STEP", "Green"):
        assert needed in first.text, (needed, first.text)
    host.remove("a.gust")
    host.set_text("a.gust", text)
    again = host.analyze("a.gust")
    assert again.diagnostics() == []
    assert generated_go(again).text == first.text


def test_hover_shows_doc_comments() -> None:
    text = """/// Tokens in `text`, about four characters each.
///
/// Rounds up.
fn tokens(text: &str) -> usize {
    (text.len() + 3) / 4
}

struct Meter {
    total: usize,
}

impl Meter {
    /// Adds the tokens of one request.
    fn add(&mut self, text: &str) {
        self.total += tokens(text);
    }
}

fn main() {
    let mut m = Meter { total: 0 };
    m.add("hello");
}
"""
    host = AnalysisHost()
    host.set_text("m.gust", text)
    analysis = host.analyze("m.gust")
    assert analysis.diagnostics() == []
    call = hover(analysis, text.index("tokens(text);"))
    assert call is not None
    assert call.signature == "fn tokens(text: &str) -> usize"
    assert call.docs == "Tokens in `text`, about four characters each.\n\nRounds up."
    method = hover(analysis, text.index("add(\"hello\")"))
    assert method is not None and method.docs == "Adds the tokens of one request."
    decl = hover(analysis, text.index("tokens(text: &str)"))
    assert decl is not None and decl.docs is not None and decl.docs.startswith("Tokens in")
    assert hover(analysis, text.index("m = Meter")) is not None


def _apply(text: str, edits: tuple[TextEdit, ...]) -> str:
    for edit in sorted(edits, key=lambda e: e.start, reverse=True):
        text = text[: edit.start] + edit.text + text[edit.end :]
    return text


def test_quick_fixes_repair_a_use_after_move() -> None:
    text = """fn consume(v: Vec<i32>) -> usize {
    v.len()
}

fn main() {
    let v = vec![1, 2, 3];
    let n = consume(v);
    println!("{} {}", n, v.len());
}
"""
    analysis = analyze_text("main.gust", text)
    (diag,) = analysis.diagnostics()
    assert diag.code == "E0382"
    # Offered where the value is used after the move, like rustc's help.
    at = text.index("v.len());")
    fixes = quick_fixes(analysis, at, at)
    assert fixes and fixes[0].preferred and fixes[0].diagnostic == diag
    titles = [f.title for f in fixes]
    assert any("clon" in title for title in titles), titles
    fix = next(f for f in fixes if "clon" in f.title)
    fixed = _apply(text, fix.edits)
    assert "consume(v.clone())" in fixed
    assert analyze_text("main.gust", fixed).diagnostics() == []
    # Nowhere near a diagnostic, there is nothing to fix.
    assert quick_fixes(analysis, 0, 2) == []


TRAITS = """use std::fmt::Display;

trait Shape {
    /// The area, in square units.
    fn area(&self) -> f64;
    /// One line about the shape.
    fn describe(&self) -> String {
        format!("area {}", self.area())
    }
}

struct Circle {
    r: f64,
}

impl Shape for Circle {
    fn area(&self) -> f64 {
        3.0 * self.r * self.r
    }
}

fn largest<T: PartialOrd + Copy>(a: T, b: T) -> T {
    if a > b { a } else { b }
}

fn show<T>(x: T) -> String
where
    T: Display,
{
    format!("{}", x)
}

fn total(shapes: &[Box<dyn Shape>]) -> f64 {
    let mut sum = 0.0;
    for s in shapes {
        sum += s.area();
    }
    sum
}

fn main() {
    let c = Circle { r: 1.0 };
    println!("{} {}", c.describe(), c.area());
    println!("{} {} {}", largest(1, 2), show(3), total(&[]));
}
"""


def test_hover_shows_generic_signatures_and_trait_methods() -> None:
    assert hover_at(TRAITS, "largest(1") == "fn largest<T: PartialOrd + Copy>(a: T, b: T) -> T"
    # `where` bounds show with the parameter they bound.
    assert hover_at(TRAITS, "show(3") == "fn show<T: Display>(x: T) -> String"
    assert hover_at(TRAITS, "Shape {") == "trait Shape"
    # A default method called on a type that implements the trait, and an impl's method.
    assert hover_at(TRAITS, "describe()") == "fn Shape::describe(&self) -> String"
    assert hover_at(TRAITS, "area())", 1) == "fn Circle::area(&self) -> f64"
    # Through `dyn Shape`: the trait's declaration, with its doc comment.
    host = AnalysisHost()
    host.set_text("t.gust", TRAITS)
    analysis = host.analyze("t.gust")
    found = hover(analysis, TRAITS.index("area();"))
    assert found is not None
    assert found.signature == "fn Shape::area(&self) -> f64"
    assert found.docs == "The area, in square units."


METHOD_VALUES = """struct Point {
    x: f64,
    y: f64,
}

impl Point {
    /// The distance from the origin.
    fn norm(&self) -> f64 {
        (self.x * self.x + self.y * self.y).sqrt()
    }

    fn origin() -> Point {
        Point { x: 0.0, y: 0.0 }
    }
}

fn helper(s: &String) -> usize {
    s.len() * 2
}

fn main() {
    let words = vec![String::from("a"), String::from("bb")];
    let lens: Vec<usize> = words.iter().map(String::len).collect();
    let twice: Vec<usize> = words.iter().map(helper).collect();
    let norms: Vec<f64> = vec![Point { x: 3.0, y: 4.0 }].iter().map(Point::norm).collect();
    let trimmed: Vec<&str> = vec![" a "].into_iter().map(str::trim).collect();
    let abs: Vec<i32> = vec![-1].into_iter().map(i32::abs).collect();
    let make = Point::origin;
    println!("{:?} {:?} {:?} {:?} {:?} {}", lens, twice, norms, trimmed, abs, make().x);
}
"""


def test_hover_on_a_function_or_method_used_as_a_value_shows_its_signature() -> None:
    """As rust-analyzer: `String::len` in `.map(String::len)` is the method, not the
    closure the checker stands for it."""
    assert hover_at(METHOD_VALUES, "len)") == "fn String::len(&self) -> usize"
    assert hover_at(METHOD_VALUES, "helper)") == "fn helper(s: &String) -> usize"
    assert hover_at(METHOD_VALUES, "norm)") == "fn Point::norm(&self) -> f64"
    assert hover_at(METHOD_VALUES, "trim)") == "fn str::trim(&self) -> &str"
    assert hover_at(METHOD_VALUES, "abs)") == "fn i32::abs(self) -> i32"
    assert hover_at(METHOD_VALUES, "origin;") == "fn Point::origin() -> Point"
    assert hover_at(METHOD_VALUES, "Point::norm") == "struct Point"
    host = AnalysisHost()
    host.set_text("t.gust", METHOD_VALUES)
    found = hover(host.analyze("t.gust"), METHOD_VALUES.index("norm)"))
    assert found is not None and found.docs == "The distance from the origin."


BODY_ITEMS = """struct Gauge {
    v: i32,
}

fn main() {
    fn reading() -> i32 {
        const BASE: i32 = 7;
        struct Gauge {
            v: i32,
        }
        impl Gauge {
            fn get(&self) -> i32 {
                self.v
            }
        }
        let g = Gauge { v: BASE };
        g.get()
    }
    let top = Gauge { v: 1 };
    println!("{} {}", top.v, reading());
}
"""


def test_hover_and_definition_inside_nested_functions_and_body_items() -> None:
    """A nested `fn`'s body and the items a body declares answer as any other code does
    (they were silent: only the outer function's own results were asked)."""
    from gust.ide.definition import definition

    assert hover_at(BODY_ITEMS, "reading() -> i32") == "fn reading() -> i32"
    assert hover_at(BODY_ITEMS, "reading());") == "fn reading() -> i32"
    assert hover_at(BODY_ITEMS, "get()") == "fn main::reading::Gauge::get(&self) -> i32"
    assert hover_at(BODY_ITEMS, "g.get") == "let g: main::reading::Gauge"
    assert hover_at(BODY_ITEMS, "top.v") == "let top: Gauge"
    host = AnalysisHost()
    host.set_text("main.gust", BODY_ITEMS)

    def target(needle: str) -> str:
        found = definition(host, "main.gust", BODY_ITEMS.index(needle))
        assert found is not None, needle
        start = found.span.start
        return BODY_ITEMS[BODY_ITEMS.rfind("\n", 0, start) + 1 : BODY_ITEMS.find("\n", start)]

    assert target("get()").strip() == "fn get(&self) -> i32 {"
    assert target("BASE }").strip() == "const BASE: i32 = 7;"
    assert target("reading());").strip() == "fn reading() -> i32 {"


def test_a_cancelled_analysis_stops_between_items_and_keeps_its_work() -> None:
    text = "".join(f"fn f{i}() -> i32 {{ {i} }}\n" for i in range(20))
    host = AnalysisHost()
    host.set_text("main.gust", text)
    calls = 0

    def after_five_items() -> bool:
        nonlocal calls
        calls += 1
        return calls > 5

    with host.cancellation(after_five_items), pytest.raises(Cancelled):
        host.analyze("main.gust")
    assert host.rechecked == 5
    # The next analysis checks only the items the cancelled one did not reach.
    assert len(host.analyze("main.gust").items) == 20
    assert host.rechecked == 15


def test_reading_an_rc_count_in_a_body_changes_every_item_s_go() -> None:
    """`Rc::strong_count` in one body makes every `Rc` of the package a counted box
    (gust.codegen.rc_counts): the struct declared elsewhere must be emitted again."""
    from gust.ide.generated import generate_file

    host = AnalysisHost()
    text = ("use std::rc::Rc;\n\nstruct Holder {\n    shared: Rc<String>,\n}\n\n"
            "fn main() {\n    let s = Rc::new(String::from(\"x\"));\n"
            "    let h = Holder { shared: Rc::clone(&s) };\n    println!(\"{}\", h.shared);\n}\n")
    host.set_text("a.gust", text)
    assert "shared string" in generate_file(host.analyze("a.gust")).text
    counted = text.replace("h.shared);", "Rc::strong_count(&h.shared));")
    host.set_text("a.gust", counted)
    go = generate_file(host.analyze("a.gust")).text
    assert "shared *gustRc[string]" in go and "h.shared.strongCount()" in go


IMPLS = """\
use std::fmt::Display;

trait Speak {
    fn speak(&self) -> String;
}

struct Dog {
    name: String,
}

impl Speak for Dog {
    fn speak(&self) -> String {
        format!("{} says woof", self.name)
    }
}

struct Wrapper<T> {
    inner: T,
}

impl<T: Display> Wrapper<T> {
    fn show(&self) -> String {
        format!("<{}>", self.inner)
    }
}

fn helper() -> i32 {
    1
}

fn main() {
    let d = Dog { name: String::from("rex") };
    println!("{} {} {}", d.speak(), Wrapper { inner: 5 }.show(), helper());
}
"""


def test_editing_method_bodies_keeps_their_impl_in_the_check_and_the_go() -> None:
    """The environment is kept while no signature changes, so it holds the first parse of
    an edited impl; the edited methods must still be checked with their impl (its
    generics and bounds) and emitted as methods in the Go preview."""
    from gust.ide.generated import generated_go

    host = AnalysisHost()
    host.set_text("a.gust", IMPLS, version=1)
    first = generated_go(host.analyze("a.gust"))
    assert first.ok and "says woof" in first.text
    edits = [("says woof", "says bark"), ("<{}>", "[{}]"), ("    1\n}", "    2\n}"),
             ("says bark", "barks")]
    text = IMPLS
    for version, (old, new) in enumerate(edits, start=2):
        text = text.replace(old, new)
        host.set_text("a.gust", text, version=version)
        analysis = host.analyze("a.gust")
        assert host.rechecked == 1
        assert analysis.diagnostics() == [], (old, analysis.diagnostics())
        go = generated_go(analysis)
        assert go.ok
        assert "func (self *Dog) speak() string {" in go.text or \
            "func (self Dog) speak() string {" in go.text, go.text
        assert "func (self *Wrapper[T]) show() string {" in go.text or \
            "func (self Wrapper[T]) show() string {" in go.text, go.text
        assert new.strip() in go.text or (new == "    2\n}" and "return 2" in go.text)
