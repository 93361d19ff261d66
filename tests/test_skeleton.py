"""Items parsed without their functions' bodies (gust.syntax.skeleton), what `gust check`
parses of the items another process checks (gust.cli.item_split.split_before_parsing):
which bodies are left out, and that a skeleton that parses has the signatures of the
full parse, on every `.gust` file of the project."""

from __future__ import annotations

from pathlib import Path

from gust.sema.items import signature_key
from gust.syntax.parser import parse_item
from gust.syntax.skeleton import skeleton
from gust.syntax.source import ParseCache, parse_outline
from gust.syntax.split import split_items

ROOT = Path(__file__).parent.parent
CORPUS = sorted([*(ROOT / "tests").rglob("*.gust"), *(ROOT / "examples").rglob("*.gust")])


def blanked(text: str) -> str:
    """`text` as the skeleton of it should be: each `⟨...⟩` replaced by as many spaces."""
    out = []
    inside = False
    for ch in text:
        if ch in "⟨⟩":
            inside = ch == "⟨"
            out.append(" ")
        else:
            out.append(" " if inside else ch)
    return "".join(out)


def case(marked: str) -> tuple[str, str]:
    """The text of a marked case (the marks are one character each, as the spaces that
    replace them) and its expected skeleton."""
    return marked.replace("⟨", " ").replace("⟩", " "), blanked(marked)


def test_a_function_body_is_left_out_offsets_kept() -> None:
    text, expected = case('fn area(w: i32, h: i32) -> i32 {⟨ let s = "}"; w * h ⟩}')
    assert skeleton(text) == expected
    assert len(skeleton(text) or "") == len(text)


def test_methods_of_impls_and_traits() -> None:
    text, expected = case(
        "impl Shape for Square {\n"
        "    fn area(&self) -> f64 {⟨ self.side * self.side ⟩}\n"
        "    fn name(&self) -> String {⟨ String::from('}') ⟩}\n"
        "}")
    assert skeleton(text) == expected
    text, expected = case(
        "trait Shape {\n    fn area(&self) -> f64;\n"
        "    fn twice(&self) -> f64 {⟨ self.area() * 2.0 ⟩}\n}")
    assert skeleton(text) == expected


def test_function_pointer_types_and_where_clauses() -> None:
    text, expected = case(
        "fn apply<F>(f: F, g: fn(i32) -> i32) -> i32 where F: Fn(i32) -> i32 "
        "{⟨ f(g(1)) ⟩}")
    assert skeleton(text) == expected


def test_bodies_that_reach_the_environment_are_kept() -> None:
    # Items declared in a body are in the signature key; `usize::MAX` and reference
    # counts change how the backend translates the whole package.
    for body in ("struct Inner; Inner", "fn helper() {} helper()", "use std::fmt; 1",
                 "usize::MAX", "Rc::strong_count(&r)"):
        assert skeleton(f"fn main() {{ {body} }}") is None, body


def test_nothing_to_leave_out_or_not_understood() -> None:
    assert skeleton("struct Point { x: i32, y: i32 }") is None
    assert skeleton("fn main() {}") is None  # an empty body: nothing to gain
    assert skeleton("fn main() { let s = \"never closed; }") is None
    assert skeleton("fn main() { if x { }") is None  # unbalanced: parsed in full
    assert skeleton("fn main() { /* { */ 1 }") is None  # comments: blanked by the parser


def test_raw_strings_and_chars_hide_their_braces() -> None:
    text, expected = case('fn f() -> usize {⟨ let a = r#"}"#; let c = \'{\'; a.len() ⟩}')
    assert skeleton(text) == expected
    text, expected = case("fn first<'a>(s: &'a str) -> &'a str {⟨ &s[..1] ⟩}")
    assert skeleton(text) == expected


def test_the_outline_keeps_the_whole_text_and_the_spans() -> None:
    text = "fn area(w: i32, h: i32) -> i32 {\n    w * h\n}"
    full, outline = parse_item(text), parse_outline(text)
    assert outline is not None and outline.bodies_left_out and outline.text == text
    assert not full.bodies_left_out
    assert outline.item is not None and full.item is not None
    assert outline.item.span == full.item.span
    assert outline.item.body.span == full.item.body.span  # type: ignore[attr-defined]
    assert outline.item.body.stmts == () and outline.item.body.tail is None  # type: ignore[attr-defined]


def test_parse_cache_parses_in_full_what_it_is_told_to() -> None:
    text = "fn a() -> i32 {\n    1 + 1\n}\n\nfn b() -> i32 {\n    2 + 2\n}\n"
    wanted = "fn a() -> i32 {\n    1 + 1\n}"
    items = ParseCache(in_full=lambda t: t == wanted).parse(text).items
    assert [n.parsed.bodies_left_out for n in items] == [False, True]
    assert [n.parsed.bodies_left_out for n in ParseCache().parse(text).items] == [False, False]


def test_every_skeleton_has_the_signature_key_of_its_full_parse() -> None:
    """The invariant the split relies on, over every `.gust` file of the project (rustc's
    UI cases, the differential programs, the examples): where a skeleton parses, its
    signature key is the full parse's."""
    outlines = 0
    for path in CORPUS:
        text = path.read_text(encoding="utf-8")
        for chunk in split_items(text).chunks:
            if chunk.mismatched:
                continue
            item_text = text[chunk.start : chunk.end]
            outline = parse_outline(item_text, chunk.unclosed)
            if outline is None:
                continue
            outlines += 1
            full = parse_item(item_text, chunk.unclosed)
            assert full.item is not None, (path, chunk)
            assert signature_key(outline.item, item_text) == \
                signature_key(full.item, item_text), (path, chunk)
    assert outlines > 1000
