"""The ide layer's navigation queries as plain data: references, document highlight,
rename, document and workspace symbols, type definition, folding and selection ranges,
semantic tokens."""

from __future__ import annotations

import itertools
import random
from pathlib import Path

from gust.fmt import TextEdit
from gust.ide import AnalysisHost
from gust.ide.analysis import FileAnalysis
from gust.ide.definition import type_definition
from gust.ide.index import item_index
from gust.ide.references import document_highlights, references
from gust.ide.rename import Renamable, RenameError, prepare_rename, rename
from gust.ide.semantic_tokens import (
    TOKEN_MODIFIERS,
    TOKEN_TYPES,
    encode,
    encoded_file,
    file_tokens,
    token_edit,
)
from gust.ide.structure import folding_ranges, selection_ranges
from gust.ide.symbols import DocSymbol, document_symbols, workspace_symbols
from gust.text import LineIndex

SHAPES = """\
mod geo {
    pub struct Point {
        pub x: i32,
        pub y: i32,
    }
}
use geo::Point;

trait Shape {
    fn area(&self) -> i32;
}

enum Kind {
    Circle(i32),
    Square { side: i32 },
}

struct Sq {
    side: i32,
}

impl Shape for Sq {
    fn area(&self) -> i32 {
        self.side * self.side
    }
}

impl Sq {
    fn new(side: i32) -> Sq {
        Sq { side }
    }
}

fn total(items: &Vec<Sq>) -> i32 {
    let mut sum = 0;
    for it in items.iter() {
        sum += it.area();
    }
    sum
}

fn main() {
    let p = Point { x: 1, y: 2 };
    let Point { x, y: why } = p;
    let k = Kind::Square { side: 2 };
    match k {
        Kind::Circle(r) => println!("{r}"),
        Kind::Square { side } => println!("{}", side),
    }
    let v = vec![Sq::new(x), Sq::new(why)];
    println!("{} {}", v[0].area(), total(&v));
}
"""

OTHER = """\
fn helper() -> Sq {
    let sum = 5;
    Sq::new(sum)
}
"""


def host_of(**files: str) -> AnalysisHost:
    host = AnalysisHost()
    for name, text in files.items():
        host.set_text(f"/pkg/{name}.gust", text)
    return host


def at(text: str, needle: str, occurrence: int = 0, delta: int = 0) -> int:
    offset = -1
    for _ in range(occurrence + 1):
        offset = text.index(needle, offset + 1)
    return offset + delta


def lines_of(text: str, spans: list[tuple[int, int]]) -> list[str]:
    """Each span as `line:text` (1-based line) for readable assertions."""
    return [f"{text.count(chr(10), 0, s) + 1}:{text[s:e]}" for s, e in spans]


def refs(host: AnalysisHost, name: str, offset: int, **kw: bool) -> list[tuple[str, str]]:
    texts = {p: host.text(p) or "" for p in host.paths()}
    found = references(host, f"/pkg/{name}.gust", offset, **kw)
    return [(r.path.rsplit("/", 1)[-1], lines_of(texts[r.path], [(r.span.start,
                                                                  r.span.end)])[0])
            for r in found]


# -- references -----------------------------------------------------------------------------


def test_references_of_a_local_stay_in_its_function() -> None:
    host = host_of(main=SHAPES, other=OTHER)
    # `sum` is also a local of `helper` in other.gust: not the same variable.
    assert refs(host, "main", at(SHAPES, "sum = 0")) == [
        ("main.gust", "35:sum"), ("main.gust", "37:sum"), ("main.gust", "39:sum")]
    assert refs(host, "main", at(SHAPES, "sum = 0"), include_declaration=False) == [
        ("main.gust", "37:sum"), ("main.gust", "39:sum")]


def test_references_of_a_parameter_and_of_a_format_capture() -> None:
    host = host_of(main=SHAPES)
    assert refs(host, "main", at(SHAPES, "items: &")) == [
        ("main.gust", "34:items"), ("main.gust", "36:items")]
    # `r` is used inside the format string: `{r}`.
    assert refs(host, "main", at(SHAPES, "Circle(r)", delta=7)) == [
        ("main.gust", "47:r"), ("main.gust", "47:r")]


def test_references_of_a_field_in_declaration_literal_pattern_and_access() -> None:
    host = host_of(main=SHAPES)
    assert refs(host, "main", at(SHAPES, "side: i32,")) == [
        ("main.gust", "19:side"), ("main.gust", "24:side"), ("main.gust", "24:side"),
        ("main.gust", "30:side")]
    # The variant's field `side` is another symbol.
    assert refs(host, "main", at(SHAPES, "Square { side: 2", delta=9)) == [
        ("main.gust", "15:side"), ("main.gust", "45:side"), ("main.gust", "48:side")]
    # Point's `x` through the module: declaration, literal, and a shorthand pattern.
    assert refs(host, "main", at(SHAPES, "pub x")+4) == [
        ("main.gust", "3:x"), ("main.gust", "43:x"), ("main.gust", "44:x")]


def test_references_of_functions_methods_and_types_across_the_package() -> None:
    host = host_of(main=SHAPES, other=OTHER)
    assert refs(host, "other", at(OTHER, "new")) == [
        ("other.gust", "3:new"), ("main.gust", "29:new"), ("main.gust", "50:new"),
        ("main.gust", "50:new")]
    assert [r for r in refs(host, "main", at(SHAPES, "struct Sq", delta=7))] == [
        ("main.gust", "18:Sq"), ("main.gust", "22:Sq"), ("main.gust", "28:Sq"),
        ("main.gust", "29:Sq"), ("main.gust", "30:Sq"), ("main.gust", "34:Sq"),
        ("main.gust", "50:Sq"), ("main.gust", "50:Sq"), ("other.gust", "1:Sq"),
        ("other.gust", "3:Sq")]
    # A trait method: its declaration, the impl's method and the calls are one symbol.
    assert refs(host, "main", at(SHAPES, "area(&self) -> i32;")) == [
        ("main.gust", "10:area"), ("main.gust", "23:area"), ("main.gust", "37:area"),
        ("main.gust", "51:area")]
    assert refs(host, "main", at(SHAPES, "Kind::Circle", delta=6)) == [
        ("main.gust", "14:Circle"), ("main.gust", "47:Circle")]
    assert refs(host, "main", at(SHAPES, "enum Kind", delta=5)) == [
        ("main.gust", "13:Kind"), ("main.gust", "45:Kind"), ("main.gust", "47:Kind"),
        ("main.gust", "48:Kind")]
    assert refs(host, "main", at(SHAPES, "total(&v")) == [
        ("main.gust", "34:total"), ("main.gust", "51:total")]


def test_no_references_for_std_names_and_blank_space() -> None:
    host = host_of(main=SHAPES)
    assert refs(host, "main", at(SHAPES, "iter()")) == []
    assert refs(host, "main", at(SHAPES, "println")) == []
    assert refs(host, "main", at(SHAPES, "\n\nfn main") + 1) == []


def test_document_highlight_tells_writes_from_reads() -> None:
    host = host_of(main=SHAPES)
    found = document_highlights(host, "/pkg/main.gust", at(SHAPES, "sum += "))
    assert [(lines_of(SHAPES, [(h.span.start, h.span.end)])[0], h.kind) for h in found] == [
        ("35:sum", "write"), ("37:sum", "write"), ("39:sum", "read")]


# -- rename ---------------------------------------------------------------------------------


def apply(text: str, edits: list[TextEdit]) -> str:
    for e in sorted(edits, key=lambda e: e.start, reverse=True):
        text = text[: e.start] + e.text + text[e.end :]
    return text


def renamed(host: AnalysisHost, name: str, offset: int, new: str) -> dict[str, str]:
    result = rename(host, f"/pkg/{name}.gust", offset, new)
    assert not isinstance(result, RenameError), result
    return {p.rsplit("/", 1)[-1]: apply(host.text(p) or "", e) for p, e in result.items()}


def test_rename_a_local_spells_out_shorthands() -> None:
    host = host_of(main=SHAPES)
    out = renamed(host, "main", at(SHAPES, "fn new(side", delta=7), "width")["main.gust"]
    assert "fn new(width: i32) -> Sq {\n        Sq { side: width }" in out
    out = renamed(host, "main", at(SHAPES, "Point { x, y", delta=8), "px")["main.gust"]
    assert "let Point { x: px, y: why } = p;" in out and "Sq::new(px)" in out


def test_rename_a_local_used_in_a_format_string() -> None:
    host = host_of(main=SHAPES)
    out = renamed(host, "main", at(SHAPES, "Circle(r)", delta=7), "radius")["main.gust"]
    assert 'Kind::Circle(radius) => println!("{radius}"),' in out


def test_rename_reaches_the_format_strings_of_write_and_assert() -> None:
    """Their format string is not their first argument: `{n}` in it is still a use of `n`."""
    text = """\
use std::fmt;

struct Meters(i32);

impl fmt::Display for Meters {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        let n = self.0;
        assert!(n >= 0, "negative: {n}");
        assert_eq!(n, n, "{} {n}", 1);
        write!(f, "{n} m")
    }
}

fn main() {
    println!("{}", Meters(3));
}
"""
    host = host_of(main=text)
    out = renamed(host, "main", at(text, "let n", delta=4), "meters")["main.gust"]
    assert 'assert!(meters >= 0, "negative: {meters}");' in out
    assert 'assert_eq!(meters, meters, "{} {meters}", 1);' in out
    assert 'write!(f, "{meters} m")' in out


def test_rename_leaves_use_aliases_alone() -> None:
    text = """\
mod stock {
    pub struct Item {
        pub qty: u32,
    }
}
use stock::Item as Entry;

fn main() {
    let e = Entry { qty: 4 };
    let f = stock::Item { qty: 5 };
    println!("{} {}", e.qty, f.qty);
}
"""
    host = AnalysisHost()
    host.set_text("/pkg/a.gust", text)
    out = renamed(host, "a", at(text, "Item"), "Part")["a.gust"]
    assert "pub struct Part {" in out and "use stock::Part as Entry;" in out
    assert "let e = Entry { qty: 4 };" in out and "stock::Part { qty: 5 }" in out
    alias = prepare_rename(host, "/pkg/a.gust", at(text, "Entry {"))
    assert isinstance(alias, RenameError) and "alias" in alias.message


def test_rename_a_field_keeps_shorthand_bindings() -> None:
    host = host_of(main=SHAPES)
    out = renamed(host, "main", at(SHAPES, "side: i32,"), "width")["main.gust"]
    assert "    width: i32,\n}" in out
    assert "self.width * self.width" in out
    assert "Sq { width: side }" in out
    # The enum variant's `side` is untouched.
    assert "Square { side: i32 }" in out and "Kind::Square { side }" in out
    host2 = AnalysisHost()
    host2.set_text("/pkg/main.gust", out)
    # Still a valid program (the Go backend does not do traits yet: not our concern).
    assert [d.message for d in host2.analyze("/pkg/main.gust").diagnostics()
            if d.code != "unsupported"] == []


def test_rename_across_the_files_of_a_package() -> None:
    host = host_of(main=SHAPES, other=OTHER)
    out = renamed(host, "main", at(SHAPES, "struct Sq", delta=7), "Square2")
    assert out["other.gust"].startswith("fn helper() -> Square2 {")
    assert "Square2::new(sum)" in out["other.gust"]
    assert "impl Shape for Square2 {" in out["main.gust"]
    out = renamed(host, "main", at(SHAPES, "fn area(&self) -> i32;", delta=3), "surface")
    assert out["main.gust"].count("surface") == 4
    out = renamed(host, "other", at(OTHER, "new"), "build")
    assert "fn build(side: i32)" in out["main.gust"] and "Sq::build(sum)" in out["other.gust"]


def test_rename_refuses_std_names_keywords_bad_identifiers_and_clashes() -> None:
    host = host_of(main=SHAPES)
    path = "/pkg/main.gust"
    iter_ = prepare_rename(host, path, at(SHAPES, "iter()"))
    assert isinstance(iter_, RenameError) and "outside this package" in iter_.message
    vec = prepare_rename(host, path, at(SHAPES, "&Vec") + 1)
    assert isinstance(vec, RenameError) and "`Vec`" in vec.message
    self_ = prepare_rename(host, path, at(SHAPES, "self.side"))
    assert isinstance(self_, RenameError) and "self" in self_.message
    ok = prepare_rename(host, path, at(SHAPES, "sum = 0", delta=1))
    assert isinstance(ok, Renamable) and ok.name == "sum"
    assert SHAPES[ok.span.start : ok.span.end] == "sum"
    total = at(SHAPES, "fn total", delta=3)
    for bad, why in [("fn", "keyword"), ("match", "keyword"), ("2x", "not a valid identifier"),
                     ("a-b", "not a valid identifier"), ("", "not a valid identifier"),
                     ("main", "already defined")]:
        result = rename(host, path, total, bad)
        assert isinstance(result, RenameError) and why in result.message, (bad, result)
    clash = rename(host, path, at(SHAPES, "Circle"), "Square")
    assert isinstance(clash, RenameError) and "variant" in clash.message


# -- symbols --------------------------------------------------------------------------------


def outline(symbols: list[DocSymbol] | tuple[DocSymbol, ...], depth: int = 0) -> list[str]:
    out: list[str] = []
    for s in symbols:
        out.append("  " * depth + f"{s.kind} {s.name}")
        out.extend(outline(s.children, depth + 1))
    return out


def test_document_symbols_are_hierarchical() -> None:
    host = host_of(main=SHAPES)
    symbols = document_symbols(host.syntax("/pkg/main.gust"))
    assert outline(symbols) == [
        "module geo", "  struct Point", "    field x", "    field y",
        "trait Shape", "  method area",
        "enum Kind", "  variant Circle", "  variant Square", "    field side",
        "struct Sq", "  field side",
        "impl impl Shape for Sq", "  method area",
        "impl impl Sq", "  function new",
        "function total", "function main"]
    total = next(s for s in symbols if s.name == "total")
    assert total.detail == "fn(items: &Vec<Sq>) -> i32"
    assert SHAPES[total.selection.start : total.selection.end] == "total"
    assert SHAPES[total.span.start : total.span.end].startswith("fn total")


def test_workspace_symbols_match_fuzzily_best_first() -> None:
    host = host_of(main=SHAPES, other=OTHER)
    names = [(s.name, s.path.rsplit("/", 1)[-1], s.container)
             for s in workspace_symbols(host, "sq")]
    assert names[0] == ("Sq", "main.gust", None)
    assert ("Square", "main.gust", "Kind") in names
    assert [s.name for s in workspace_symbols(host, "hlpr")] == ["helper"]
    assert workspace_symbols(host, "zzz") == []


# -- type definition ------------------------------------------------------------------------


def test_type_definition_goes_to_the_struct_or_enum() -> None:
    host = host_of(main=SHAPES, other=OTHER)
    path = "/pkg/main.gust"

    def targets(offset: int, name: str = "main") -> list[str]:
        found = type_definition(host, f"/pkg/{name}.gust", offset)
        return [(host.text(t.path) or "")[t.span.start : t.span.end] for t in found]

    assert targets(at(SHAPES, "let p =", delta=4)) == ["Point"]
    assert targets(at(SHAPES, "let k =", delta=4)) == ["Kind"]
    # Vec<Sq>: Vec is std (no declaration), Sq is ours.
    assert targets(at(SHAPES, "let v =", delta=4)) == ["Sq"]
    assert targets(at(SHAPES, "items.iter")) == ["Sq"]
    assert targets(at(OTHER, "Sq::new(sum)", delta=4), "other") == ["Sq"]
    assert targets(at(SHAPES, "let mut sum", delta=8)) == []
    assert type_definition(host, path, 0) == []


# -- folding and selection ------------------------------------------------------------------


def test_folding_ranges_for_items_blocks_comments_and_imports() -> None:
    text = "// one\n// two\n// three\nuse std::fmt;\nuse std::collections::HashMap;\n\n" \
        + SHAPES
    host = AnalysisHost()
    host.set_text("/pkg/f.gust", text)
    index = LineIndex(text)
    folds = {(f.start_line, f.end_line, f.kind) for f in folding_ranges(
        host.analyze("/pkg/f.gust"), index)}
    first = 6  # SHAPES starts on line 6 (0-based)
    assert (0, 2, "comment") in folds
    assert (3, 4, "imports") in folds
    # `mod geo {` .. its last line before `}`, the struct inside it.
    assert (first + 0, first + 4, None) in folds
    assert (first + 1, first + 3, None) in folds
    # `fn main() {` .. the line before its `}`, and the `match` inside it.
    main = index.line_of(text.index("fn main"))
    assert (main, main + 9, None) in folds
    match = index.line_of(text.index("match k"))
    assert (match, match + 2, None) in folds
    # One-line blocks do not fold.
    assert not any(s == e for s, e, _ in folds)


def test_selection_ranges_grow_along_the_tree() -> None:
    host = host_of(main=SHAPES)
    spans = selection_ranges(host.analyze("/pkg/main.gust"), at(SHAPES, "why)"))
    texts = [SHAPES[s.start : s.end] for s in spans]
    assert texts[0] == "why"
    assert texts[1] == "Sq::new(why)"
    assert texts[2] == "vec![Sq::new(x), Sq::new(why)]"
    assert texts[3] == "let v = vec![Sq::new(x), Sq::new(why)];"
    assert texts[-2].startswith("fn main() {")
    assert texts[-1] == SHAPES
    for inner, outer in itertools.pairwise(spans):
        assert outer.start <= inner.start and inner.end <= outer.end and inner != outer


# -- semantic tokens ------------------------------------------------------------------------


def classified(text: str, start: int = 0, end: int | None = None) -> dict[str, list[str]]:
    host = AnalysisHost()
    host.set_text("/pkg/t.gust", text)
    out: dict[str, list[str]] = {}
    for s, n, ty, mods in file_tokens(host.analyze("/pkg/t.gust"), start, end):
        names = [m for i, m in enumerate(TOKEN_MODIFIERS) if mods & (1 << i)]
        out.setdefault(text[s : s + n], []).append(
            TOKEN_TYPES[ty] + "".join(f"+{m}" for m in names))
    return out


def test_semantic_tokens_classify_names_by_meaning() -> None:
    tokens = classified(SHAPES)
    assert tokens["geo"] == ["namespace+declaration", "namespace"]
    assert tokens["Point"][0] == "struct+declaration"
    assert tokens["Shape"] == ["interface+declaration", "interface"]
    assert tokens["Kind"][0] == "enum+declaration"
    assert tokens["Circle"] == ["enumMember+declaration", "enumMember"]
    assert tokens["area"][0] == "method+declaration"
    assert tokens["side"][0] == "property+declaration"
    assert tokens["sum"] == ["variable+declaration+mutable", "variable+mutable",
                             "variable+mutable"]
    assert tokens["items"] == ["parameter+declaration", "parameter"]
    assert tokens["total"] == ["function+declaration", "function"]
    assert tokens["println"] == ["macro+defaultLibrary"] * 3
    assert tokens["iter"] == ["method+defaultLibrary"]
    assert tokens["Vec"] == ["struct+defaultLibrary"]
    assert set(tokens["i32"]) == {"type+defaultLibrary"}
    assert set(tokens["fn"]) == {"keyword"} and set(tokens["let"]) == {"keyword"}
    # Control flow is marked, so editors can colour `for` apart from `fn` as they do for Rust;
    # the `for` of `impl Shape for Sq` is no loop.
    assert tokens["for"] == ["keyword", "keyword+controlFlow"]
    assert set(tokens["in"]) == {"keyword+controlFlow"}
    # The format string's placeholder is not string: `r` inside it is the variable it reads.
    assert tokens['"'] == ["string"] * 6
    assert tokens["{"] == ["formatSpecifier"] and tokens["}"] == ["formatSpecifier"]
    assert tokens["r"] == ["variable+declaration", "variable"]
    assert tokens["0"] == ["number", "number"]
    assert tokens["+="] == ["operator"]
    # The `!` of a macro is part of its name, not an operator.
    assert "!" not in tokens


def test_semantic_tokens_tell_gust_keywords_from_rust_names() -> None:
    """`select` and `go` are keywords where Gust's statements start, names elsewhere."""
    text = ("struct Q;\nimpl Q {\n    fn select(&self) -> i32 { 1 }\n}\n"
            "fn work(n: i32) {}\nfn main() {\n    let go = Q.select();\n"
            "    if go > 0 {\n        go work(go);\n    }\n"
            "    let c: chan<i32> = chan::new(0);\n    select {\n"
            "        v = c.recv() => {}\n        default => {}\n    }\n}\n")
    tokens = classified(text)
    assert tokens["select"] == ["method+declaration", "method", "keyword+controlFlow"]
    assert tokens["go"] == ["variable+declaration", "variable", "keyword+controlFlow",
                            "variable"]


def test_semantic_tokens_of_matches() -> None:
    """`matches!(..)` is the standard macro (its `!` part of the name); a variable or a
    method named `matches` is a name."""
    text = ("fn f(c: u8) -> bool {\n    let matches = 1;\n"
            "    matches!(c, b'a'..=b'z' | b'_') && matches > 0 && \"a\".matches('a').count() > 0\n}\n")
    tokens = classified(text)
    assert tokens["matches"] == ["variable+declaration", "macro+defaultLibrary", "variable",
                                 "method+defaultLibrary"]
    assert "!" not in tokens


def test_semantic_tokens_split_comments_by_line_and_honour_a_range() -> None:
    text = "/* a\n   b */\n/// Doc.\nfn f() {}\n"
    tokens = classified(text)
    assert tokens["/* a"] == ["comment"] and tokens["   b */"] == ["comment"]
    assert tokens["/// Doc."] == ["comment+documentation"]
    ranged = classified(SHAPES, at(SHAPES, "fn total"), at(SHAPES, "fn main"))
    assert "total" in ranged and "main" not in ranged and "geo" not in ranged


def test_semantic_tokens_after_an_edit_reclassify_only_the_edited_item() -> None:
    host = AnalysisHost()
    host.set_text("/pkg/t.gust", SHAPES)
    first = host.analyze("/pkg/t.gust")
    before = {id(item.memo): item.memo for item in first.items}
    file_tokens(first)
    edited = SHAPES.replace("let mut sum = 0;", "let mut sum = 10;")
    host.set_text("/pkg/t.gust", edited)
    second = host.analyze("/pkg/t.gust")
    fresh = [item for item in second.items if "tokens" not in item.memo]
    assert len(fresh) == 1 and fresh[0].node.parsed.text.startswith("fn total")
    assert sum(id(item.memo) in before for item in second.items) == len(second.items) - 1
    # Shifted items keep their (item-relative) tokens: the file's tokens are as fresh.
    assert file_tokens(second) == file_tokens(analyzed(edited))


STRINGS = r"""fn show(width: usize) -> String {
    let mut count = 3;
    count += 1;
    let tab = '\t';
    let emoji = "smile: \u{1F600}\x41";
    let raw = r"C:\new {}";
    let plain = "not a {placeholder}\\";
    println!("{count:>8.2?} {{literal}} {0} {}\n", tab, emoji);
    assert!(count > 1, "only {count}");
    format!("{:*^8}", raw) + plain
}
"""


def literal_tokens(text: str, literal: str) -> list[tuple[str, str]]:
    """The tokens inside `literal` (its first occurrence in `text`), in order."""
    start = text.index(literal)
    out = []
    for s, n, ty, mods in file_tokens(analyzed(text), start, start + len(literal)):
        names = "".join(f"+{m}" for i, m in enumerate(TOKEN_MODIFIERS) if mods & (1 << i))
        out.append((text[s : s + n], TOKEN_TYPES[ty] + names))
    return out


def test_semantic_tokens_split_strings_into_escapes_and_format_placeholders() -> None:
    """As rust-analyzer: escapes are `escapeSequence`, the braces and spec of a format
    string's placeholders `formatSpecifier` (their numbers `number`, a named argument the
    variable it reads), so the editor colours them inside the string."""
    assert literal_tokens(STRINGS, r"'\t'") == [
        ("'", "string"), (r"\t", "escapeSequence"), ("'", "string")]
    assert literal_tokens(STRINGS, r'"smile: \u{1F600}\x41"') == [
        ('"smile: ', "string"), (r"\u{1F600}", "escapeSequence"), (r"\x41", "escapeSequence"),
        ('"', "string")]
    # A raw string has no escapes, and a string that no macro formats has no placeholders.
    assert literal_tokens(STRINGS, r'r"C:\new {}"') == [(r'r"C:\new {}"', "string")]
    assert literal_tokens(STRINGS, r'"not a {placeholder}\\"') == [
        ('"not a {placeholder}', "string"), ("\\\\", "escapeSequence"), ('"', "string")]
    assert literal_tokens(STRINGS, r'"{count:>8.2?} {{literal}} {0} {}\n"') == [
        ('"', "string"), ("{", "formatSpecifier"), ("count", "variable+mutable"),
        (":>", "formatSpecifier"), ("8", "number"), (".", "formatSpecifier"), ("2", "number"),
        ("?}", "formatSpecifier"), (" ", "string"), ("{{", "escapeSequence"),
        ("literal", "string"), ("}}", "escapeSequence"), (" ", "string"),
        ("{", "formatSpecifier"), ("0", "number"), ("}", "formatSpecifier"), (" ", "string"),
        ("{}", "formatSpecifier"), (r"\n", "escapeSequence"), ('"', "string")]
    # assert!'s message is its second argument; format!'s fill and alignment are spec.
    assert literal_tokens(STRINGS, '"only {count}"') == [
        ('"only ', "string"), ("{", "formatSpecifier"), ("count", "variable+mutable"),
        ("}", "formatSpecifier"), ('"', "string")]
    assert literal_tokens(STRINGS, '"{:*^8}"') == [
        ('"', "string"), ("{:*^", "formatSpecifier"), ("8", "number"), ("}", "formatSpecifier"),
        ('"', "string")]


def test_semantic_tokens_of_a_string_never_span_lines() -> None:
    text = 'fn main() {\n    println!("a {}\\\n      b\n{:?}", 1, 2);\n}\n'
    literal = text[text.index('"') : text.rindex('"') + 1]
    assert literal_tokens(text, literal) == [
        ('"a ', "string"), ("{}", "formatSpecifier"), ("\\", "escapeSequence"),
        ("      b", "string"), ("{:?}", "formatSpecifier"), ('"', "string")]


def analyzed(text: str) -> FileAnalysis:
    host = AnalysisHost()
    host.set_text("/pkg/t.gust", text)
    return host.analyze("/pkg/t.gust")


def test_go_symbols_are_library_names_that_cannot_be_renamed() -> None:
    from gust.project.gopackages import GoPackages
    from gust.project.provider import go_provider

    text = """\
use go "strconv";

fn main() {
    let n = strconv::Atoi("12");
    println!("{:?}", n.is_ok());
}
"""
    host = AnalysisHost(go_provider(GoPackages(go="/nonexistent/go")))
    host.set_text("/pkg/go.gust", text)
    refused = prepare_rename(host, "/pkg/go.gust", at(text, "Atoi"))
    assert isinstance(refused, RenameError) and "`Atoi`" in refused.message
    assert references(host, "/pkg/go.gust", at(text, "Atoi")) == []
    tokens = {text[s : s + n]: (TOKEN_TYPES[ty], mods)
              for s, n, ty, mods in file_tokens(host.analyze("/pkg/go.gust"))}
    library = 1 << TOKEN_MODIFIERS.index("defaultLibrary")
    assert tokens["Atoi"] == ("function", library)
    assert tokens["strconv"] == ("namespace", library)


def _codes(text: str) -> list[str]:
    host = AnalysisHost()
    host.set_text("/pkg/a.gust", text)
    return sorted(d.code or "" for d in host.analyze("/pkg/a.gust").diagnostics()
                  if d.code != "unsupported")


def test_renaming_declarations_of_the_examples_keeps_them_valid() -> None:
    """Declarations of every example (and of the goroutine extension's passing cases),
    renamed: the program checks exactly as before, so no use was missed and no other
    name was touched."""
    root = Path(__file__).resolve().parent.parent
    files = sorted([*root.glob("examples/*.gust"), *root.glob("tests/ui/extensions/pass/*.gust")])
    assert files
    renames = 0
    for file in files:
        text = file.read_text(encoding="utf-8")
        before = _codes(text)
        host = AnalysisHost()
        host.set_text("/pkg/a.gust", text)
        analysis = host.analyze("/pkg/a.gust")
        decls = [occ.span.start + item.offset for item in analysis.items
                 for occ in item_index(analysis.env, item)
                 if occ.role == "def" and occ.symbol is not None
                 and occ.symbol.kind != "typeparam"]
        # A spread of them (every one takes a full check of the renamed program).
        for offset in decls[:: max(1, len(decls) // 5)]:
            result = rename(host, "/pkg/a.gust", offset, "zz_renamed")
            if isinstance(result, RenameError):
                continue
            renames += 1
            after = apply(text, result["/pkg/a.gust"])
            assert _codes(after) == before, (file.name, text[offset : offset + 20])
    assert renames > 100


def test_the_per_item_encoding_joins_into_the_files_encoding() -> None:
    """LSP's relative encoding is cached per item and joined: it must equal the encoding
    of the whole file's tokens, also for items sharing a line, comments between items and
    characters that take two UTF-16 units."""
    text = 'struct A; struct B;  /* a\n b */ fn f() { let s = "hé 🦀"; let z = s; }\n' \
        "// end\n" + SHAPES + "\n/* trailing */"
    analysis = analyzed(text)
    index = LineIndex(text)
    whole = encode(text, file_tokens(analysis), index).data
    assert encoded_file(analysis, index) == whole
    # `z` comes after the crab, which is two UTF-16 units: its column counts it twice.
    decoded = []
    line = col = 0
    for i in range(0, len(whole), 5):
        line += whole[i]
        col = whole[i + 1] if whole[i] else col + whole[i + 1]
        decoded.append((line, col, whole[i + 2]))
    z = text.index("z =")
    line_start = text.rindex("\n", 0, z) + 1
    assert (1, z - line_start + 1, 1) in decoded


def test_token_edit_turns_the_old_tokens_into_the_new() -> None:
    rnd = random.Random(7)
    for _ in range(500):
        old = [rnd.randrange(3) for _ in range(rnd.randrange(15))]
        new = list(old)
        for _ in range(rnd.randrange(3)):
            i = rnd.randrange(len(new) + 1)
            new[i : i + rnd.randrange(3)] = [rnd.randrange(3) for _ in range(rnd.randrange(4))]
        start, deleted, inserted = token_edit(old, new)
        assert old[:start] + inserted + old[start + deleted :] == new
        # Minimal: the unchanged prefix and suffix are kept.
        assert len(inserted) <= len(new) and (old != new or (deleted, inserted) == (0, []))
    # A file's worth of tokens with one item changed in the middle: a small edit.
    old = [rnd.randrange(50) for _ in range(60_000)]
    new = [*old[:33_333], 1, 2, 3, *old[33_340:]]
    start, deleted, inserted = token_edit(old, new)
    assert old[:start] + inserted + old[start + deleted :] == new
    assert deleted <= 7 and len(inserted) <= 3
