"""The ide layer's typing assistance: completion, signature help and inlay hints, as plain
data, on text as it is while being typed."""

from __future__ import annotations

from gust.ide import AnalysisHost
from gust.ide.completion import Completion, completions
from gust.ide.docs import documentation
from gust.ide.inlay_hints import inlay_hints
from gust.ide.signature_help import signature_help
from gust.project.gopackages import GoPackages
from gust.project.provider import go_provider

PATH = "/pkg/main.gust"

SHAPES = """\
use std::collections::HashMap;

/// Anything with an area.
trait Area {
    /// The area, in square units.
    fn area(&self) -> f64;
    fn describe(&self) -> String {
        format!("{}", self.area())
    }
}

#[derive(Clone)]
struct Square {
    side: f64,
}

impl Area for Square {
    fn area(&self) -> f64 {
        self.side * self.side
    }
}

struct Stack<T> {
    items: Vec<T>,
}

impl<T> Stack<T> {
    /// An empty stack.
    fn new() -> Stack<T> {
        Stack { items: Vec::new() }
    }

    fn push(&mut self, item: T) {
        self.items.push(item);
    }
}

enum Shape {
    Circle(f64),
    Rect { w: f64, h: f64 },
    Empty,
}

mod geo {
    pub fn distance(a: f64, b: f64) -> f64 {
        a - b
    }

    fn hidden() {}
}

fn total<T: Area>(shapes: &[T], boxed: &dyn Area) -> f64 {
    HOLE_GENERIC
    0.0
}

fn main() {
    let sq = Square { side: 2.0 };
    let by_ref = &sq;
    let boxed = Box::new(Square { side: 1.0 });
    let mut stack: Stack<i32> = Stack::new();
    let counts: HashMap<String, usize> = HashMap::new();
    let word = String::from("gust");
    {
        let inner = 1;
    }
    let word = word.len();
    HOLE_MAIN
}
"""


def complete(text: str, hole: str, typed: str, provider: object = None
             ) -> dict[str, Completion]:
    """Completions after `typed` written in place of `hole` (other holes removed)."""
    source = text
    for other in ("HOLE_GENERIC", "HOLE_MAIN"):
        if other != hole:
            source = source.replace(other, "")
    offset = source.index(hole) + len(typed)
    source = source.replace(hole, typed)
    host = AnalysisHost(provider)  # type: ignore[arg-type]
    host.set_text(PATH, source)
    return {c.label: c for c in completions(host.analyze(PATH), offset)}


def test_dot_on_a_line_that_does_not_parse_offers_fields_and_methods() -> None:
    found = complete(SHAPES, "HOLE_MAIN", "sq.")
    assert found["side"].kind == "field" and found["side"].detail == "f64"
    # The trait's methods, required and default, and what derive(Clone) gives.
    assert found["area"].detail == "fn(&self) -> f64"
    assert found["describe"].snippet == "describe()$0"
    assert "clone" in found
    # Fields come before methods.
    labels = sorted(found.values(), key=lambda c: (c.sort, c.label))
    assert labels[0].label == "side"


def test_dot_derefs_through_references_and_boxes() -> None:
    assert {"side", "area"} <= set(complete(SHAPES, "HOLE_MAIN", "by_ref."))
    assert {"side", "area"} <= set(complete(SHAPES, "HOLE_MAIN", "boxed."))


def test_dot_on_a_generic_struct_shows_its_methods_instantiated() -> None:
    found = complete(SHAPES, "HOLE_MAIN", "stack.")
    assert found["push"].detail == "fn(&mut self, item: i32)"
    assert found["items"].detail == "Vec<i32>"
    assert "new" not in found  # an associated function: `Stack::new`, not `stack.new`


def test_dot_on_std_types() -> None:
    word = complete(SHAPES, "HOLE_MAIN", "let s = String::new(); s.")
    # `String`'s own methods and, through deref, `str`'s.
    assert {"push_str", "len", "trim", "split_whitespace"} <= set(word)
    counts = complete(SHAPES, "HOLE_MAIN", "counts.")
    assert counts["insert"].detail == "fn(&mut self, String, usize) -> Option<usize>"
    assert counts["get"].detail == "fn(&self, &String) -> Option<&usize>"
    chain = complete(SHAPES, "HOLE_MAIN", "stack.items.iter().")
    assert chain["map"].detail == \
        "fn(self, impl FnMut(&i32) -> B) -> impl Iterator<Item = B>"
    option = complete(SHAPES, "HOLE_MAIN", "stack.items.first().")
    assert {"unwrap", "map", "is_some"} <= set(option)
    # The latest `word` is a `usize`: its methods, not String's.
    shadowed = complete(SHAPES, "HOLE_MAIN", "word.")
    assert "pow" in shadowed and "push_str" not in shadowed


def test_dot_on_type_parameters_and_trait_objects_uses_their_bounds() -> None:
    generic = complete(SHAPES, "HOLE_GENERIC", "shapes[0].")
    assert {"area", "describe"} <= set(generic)
    dynamic = complete(SHAPES, "HOLE_GENERIC", "boxed.")
    assert {"area", "describe"} <= set(dynamic)


def test_dot_inside_an_unclosed_call() -> None:
    found = complete(SHAPES, "HOLE_MAIN", "println!(\"{}\", sq.")
    assert "side" in found
    inside = complete(SHAPES, "HOLE_MAIN", "let n = geo::distance(sq.")
    assert "side" in inside


def test_paths_offer_variants_associated_functions_and_module_items() -> None:
    shape = complete(SHAPES, "HOLE_MAIN", "Shape::")
    assert [c for c in shape] == ["Circle", "Rect", "Empty"]
    assert shape["Circle"].snippet == "Circle($0)" and shape["Circle"].kind == "variant"
    stack = complete(SHAPES, "HOLE_MAIN", "Stack::")
    assert stack["new"].kind == "function" and stack["new"].detail == "fn() -> Stack<T>"
    string = complete(SHAPES, "HOLE_MAIN", "String::")
    assert string["from"].detail == "fn(&str) -> String"
    assert "with_capacity" in complete(SHAPES, "HOLE_MAIN", "Vec::")
    geo = complete(SHAPES, "HOLE_MAIN", "geo::")
    # Private items of another module are not offered.
    assert list(geo) == ["distance"]
    assert {"HashMap", "HashSet"} <= set(complete(SHAPES, "HOLE_MAIN", "std::collections::"))
    assert "MAX" in complete(SHAPES, "HOLE_MAIN", "i64::")


def test_names_are_the_locals_in_scope_then_items_prelude_and_keywords() -> None:
    found = complete(SHAPES, "HOLE_MAIN", "let x = ")
    assert found["sq"].detail == "Square" and found["sq"].kind == "variable"
    assert found["word"].detail == "usize"  # the shadowing binding
    assert "inner" not in found  # its block ended before the cursor
    assert found["total"].kind == "function"
    assert found["Square"].kind == "struct" and found["Area"].kind == "trait"
    assert found["geo"].kind == "module"
    assert found["Some"].snippet == "Some($0)" and found["None"].snippet is None
    assert found["println"].snippet == "println!($0)"
    assert found["vec"].snippet == "vec![$0]"
    assert found["match"].kind == "keyword"
    order = sorted(found.values(), key=lambda c: (c.sort, c.label))
    labels = [c.label for c in order]
    assert labels.index("sq") < labels.index("Square") < labels.index("Vec") \
        < labels.index("match")
    # Parameters are locals too.
    params = complete(SHAPES, "HOLE_GENERIC", "let y = ")
    assert params["shapes"].detail == "&[T]" and params["T"].kind == "type_param"


def test_struct_literals_offer_the_fields_not_given_yet() -> None:
    found = complete(SHAPES, "HOLE_MAIN", "let s2 = Stack { ")
    assert [(c.label, c.kind, c.detail) for c in found.values()] == [
        ("items", "field", "Vec<{unknown}>")]
    rect = complete(SHAPES, "HOLE_MAIN", "let r = Shape::Rect { w: 1.0, ")
    assert list(rect) == ["h"]


def test_type_positions_offer_types_only() -> None:
    found = complete(SHAPES, "HOLE_MAIN", "let t: ")
    assert {"Square", "Shape", "Vec", "i32"} <= set(found)
    assert "sq" not in found and "main" not in found and "match" not in found


def test_nothing_in_comments_strings_and_after_numbers() -> None:
    assert complete(SHAPES, "HOLE_MAIN", "// sq.") == {}
    assert complete(SHAPES, "HOLE_MAIN", 'let s = "sq.') == {}
    assert complete(SHAPES, "HOLE_MAIN", "let f = 1.") == {}


def test_go_package_members_with_their_docs() -> None:
    text = 'use go "strings";\n\nfn main() {\n    let n = strings::\n}\n'
    host = AnalysisHost(go_provider(GoPackages(go="/nonexistent/go")))
    host.set_text(PATH, text)
    found = {c.label: c for c in completions(host.analyze(PATH), text.index("::") + 2)}
    contains = found["Contains"]
    assert contains.kind == "function"
    assert contains.detail == "fn(s: &str, substr: &str) -> bool"
    assert contains.doc is not None
    docs = documentation(host, PATH, contains.doc)
    assert docs is not None and docs.startswith("Contains reports whether substr is within s")
    assert found["Builder"].kind == "struct"


def test_go_package_paths_in_type_positions_offer_types_only() -> None:
    text = 'use go "net/http";\n\nfn serve(w: http::Resp) -> http:: {\n    http::\n}\n'
    host = AnalysisHost(go_provider(GoPackages(go="/nonexistent/go")))
    host.set_text(PATH, text)
    analysis = host.analyze(PATH)
    for marker in ("w: http::", "-> http::"):
        found = {c.label: c.kind for c in
                 completions(analysis, text.index(marker) + len(marker))}
        assert found["ResponseWriter"] == "trait" and found["Request"] == "struct"
        assert "NewRequest" not in found and "StatusNotFound" not in found
    in_body = {c.label for c in completions(analysis, text.index("    http::") + 10)}
    assert {"NewRequest", "StatusNotFound", "Request"} <= in_body


def test_go_struct_literal_fields() -> None:
    text = ('use go "net/http";\nuse go "time";\n\nfn main() {\n'
            '    let c = http::Client { Timeout: time::Second, };\n}\n')
    host = AnalysisHost(go_provider(GoPackages(go="/nonexistent/go")))
    host.set_text(PATH, text)
    found = {c.label: c for c in completions(host.analyze(PATH), text.index(", }") + 2)}
    assert {"Transport", "Jar"} <= set(found) and "Timeout" not in found  # given already
    assert found["Jar"].kind == "field"


def test_documentation_of_package_items() -> None:
    host = AnalysisHost()
    host.set_text(PATH, SHAPES.replace("HOLE_MAIN", "").replace("HOLE_GENERIC", ""))
    assert documentation(host, PATH, ("trait", "", "Area")) == "Anything with an area."
    assert documentation(host, PATH, ("method", "Area", "area")) == \
        "The area, in square units."
    assert documentation(host, PATH, ("method", "Stack", "new")) == "An empty stack."
    assert documentation(host, PATH, ("method", "Stack", "push")) is None


def help_at(text: str, typed: str) -> tuple[str, int, list[str], str | None] | None:
    source = text.replace("HOLE_MAIN", typed).replace("HOLE_GENERIC", "")
    host = AnalysisHost()
    host.set_text(PATH, source)
    found = signature_help(host, PATH, source.index(typed) + len(typed))
    if found is None:
        return None
    sig = found.signature
    label = sig.label()
    return label, found.active_parameter, [label[a:b] for a, b in sig.param_offsets()], \
        found.docs


def test_signature_help_while_arguments_are_typed() -> None:
    assert help_at(SHAPES, "geo::distance(1.0, ") == (
        "fn distance(a: f64, b: f64) -> f64", 1, ["a: f64", "b: f64"], None)
    assert help_at(SHAPES, "stack.push(") == (
        "fn push(&mut self, item: i32)", 0, ["item: i32"], None)
    assert help_at(SHAPES, "let v: Vec<u8> = Vec::with_capacity(") == (
        "fn with_capacity(usize) -> Vec<T>", 0, ["usize"], None)
    # Nested calls: the innermost open one; a closed call before the cursor is skipped.
    assert help_at(SHAPES, "geo::distance(sq.area(), geo::distance(2.0, ")[:2] == (  # type: ignore[index]
        "fn distance(a: f64, b: f64) -> f64", 1)
    assert help_at(SHAPES, "stack.push(geo::distance(1.0, 2.0), ")[:2] \
        == ("fn push(&mut self, item: i32)", 0)  # type: ignore[index]
    assert help_at(SHAPES, "sq.area(); let z = 1") is None


def test_signature_help_of_constructors() -> None:
    assert help_at(SHAPES, "let c = Shape::Circle(") == (
        "Shape::Circle(f64)", 0, ["f64"], None)
    assert help_at(SHAPES, "let o = Some(") == ("Option::Some(T)", 0, ["T"], None)


def test_signature_help_of_a_closure_and_a_trait_method_with_docs() -> None:
    found = help_at(SHAPES, "let f = |a: i32, b: i32| a + b; f(1, ")
    assert found is not None and found[:3] == ("fn f(i32, i32) -> i32", 1, ["i32", "i32"])
    area = help_at(SHAPES, "sq.area(")
    assert area == ("fn area(&self) -> f64", 0, [], "The area, in square units.")


HINTS = """\
fn main() {
    let v = vec![1, 2, 3];
    let (a, mut b) = (1u8, "x");
    let c: i64 = 3;
    let double = |x| x * 2;
    let total: i32 = v.iter().map(|y| y * 2).sum();
    for (i, z) in v.iter().enumerate() {
        println!("{} {} {} {} {}", i, z, a, b, c);
    }
    b = "y";
    let unknown = Vec::new();
    println!("{} {} {}", double(1), total, b);
}
"""


def test_inlay_hints_are_inferred_types_of_unannotated_bindings() -> None:
    host = AnalysisHost()
    host.set_text(PATH, HINTS)
    hints = inlay_hints(host.analyze(PATH), 0, len(HINTS))
    shown = [(HINTS[h.offset - 1], HINTS.count("\n", 0, h.offset), h.label) for h in hints]
    assert shown == [
        ("v", 1, ": Vec<i32>"), ("a", 2, ": u8"), ("b", 2, ": &str"),
        ("e", 4, ": impl Fn(i32) -> i32"), ("x", 4, ": i32"), ("y", 5, ": &i32"),
        ("i", 6, ": usize"), ("z", 6, ": &i32")]
    # `c` has a written type; `unknown`'s type is not known (E0282): no hint for either.
    assert all(h.kind == "type" for h in hints)
    assert [h.insert for h in hints][3] is None  # a closure's type cannot be written


CURSOR = """\
trait Container {
    type Item;
    fn get(&self, i: usize) -> Option<Self::Item>;
}

struct Shelf(Vec<String>);

impl Container for Shelf {
    type Item = String;
    fn get(&self, i: usize) -> Option<String> {
        self.0.get(i).cloned()
    }
}

struct Cursor<C: Container> {
    source: C,
    last: Option<C::Item>,
}

fn main() {
    let cursor = Cursor { source: Shelf(vec![]), last: None };
    let again = Some(cursor);
    println!("{}", again.is_some());
}
"""


def test_types_with_hidden_parameters_are_shown_as_written() -> None:
    # `Cursor<Shelf>` is `Cursor<Shelf, String>` inside (sema.items.Hidden): hints, which
    # can be inserted as code, and hovers show the type as the user writes it.
    from gust.ide.hover import hover

    host = AnalysisHost()
    host.set_text(PATH, CURSOR)
    analysis = host.analyze(PATH)
    hints = [h for h in inlay_hints(analysis, 0, len(CURSOR)) if h.kind == "type"]
    assert [(h.label, h.insert) for h in hints] == [
        (": Cursor<Shelf>", ": Cursor<Shelf>"),
        (": Option<Cursor<Shelf>>", ": Option<Cursor<Shelf>>")]
    found = hover(analysis, CURSOR.index("again.is_some"))
    assert found is not None and found.signature == "let again: Option<Cursor<Shelf>>"
    found = hover(analysis, CURSOR.index("Cursor {"))
    assert found is not None and found.signature == "struct Cursor<C>"


def test_inlay_hints_only_in_the_requested_range() -> None:
    host = AnalysisHost()
    host.set_text(PATH, HINTS)
    start = HINTS.index("    let double")
    end = HINTS.index("    let total")
    hints = inlay_hints(host.analyze(PATH), start, end)
    assert [h.label for h in hints] == [": impl Fn(i32) -> i32", ": i32"]



ROUGH = """\
use go "strings";
mod m { pub struct In(i32); impl In { pub fn get(&self) -> i32 { self.0 } } }
trait T { fn t(&self) -> &str { "t" } }
impl T for m::In {}
fn f<X: T>(x: X, v: &mut Vec<(i32, String)>) -> Option<usize> {
    let s = x.t(). ;
    let c = |a, b: u8| a + b as i32;
    for (i, (n, w)) in v.iter().enumerate() { println!("{} {n} {}", i, w.len(
    match v.first() { Some((n, _)) if *n > 1 => Some(1), _ => None }
    strings::Contains(s, "a"
}
"""


def test_any_cursor_position_gives_an_answer_not_an_exception() -> None:
    host = AnalysisHost(go_provider(GoPackages(go="/nonexistent/go")))
    host.set_text(PATH, ROUGH)
    analysis = host.analyze(PATH)
    for offset in range(0, len(ROUGH) + 1, 2):
        completions(analysis, offset)
        signature_help(host, PATH, offset)
        inlay_hints(analysis, offset, offset + 40)
