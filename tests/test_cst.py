"""The lossless tree (parso) and incremental re-parsing.

- Printing the tree gives back the exact input: every test program, random bytes, broken
  code.
- Incremental re-parsing (gust.syntax.source.ParseCache, which reuses unchanged items)
  always gives the same tree, AST and diagnostics as parsing the final text from scratch,
  for random edit sequences (hypothesis).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from parso import tree as ptree

from gust.syntax.cst import build_cst, dump
from gust.syntax.source import ParseCache, SourceFile, parse_source

ROOT = Path(__file__).parent.parent
PROGRAMS = sorted([*(ROOT / "examples").rglob("*.gust"), *(ROOT / "tests/ui").rglob("*.gust")])


@pytest.mark.parametrize("path", PROGRAMS, ids=lambda p: str(p.relative_to(ROOT)))
def test_tree_prints_back_the_exact_input(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    tree = build_cst(parse_source(text))
    assert tree.get_code() == text


def test_comments_and_docs_are_leaf_prefixes() -> None:
    text = "// header\n/// Adds.\nfn add(a: i32) -> i32 {\n    a /* inline */ + 1 // tail\n}\n"
    tree = build_cst(parse_source(text))
    first = tree.get_first_leaf()
    assert first.value == "fn" and first.prefix == "// header\n/// Adds.\n"
    plus = tree.get_leaf_for_position((4, 19))
    assert plus is not None and plus.value == "+" and plus.prefix == " /* inline */ "
    assert tree.children[-1].type == "endmarker"


def test_positions_are_parso_positions() -> None:
    text = "fn main() {\n    let é = \"🦀\";\n}\n"
    tree = build_cst(parse_source(text))
    leaf = tree.get_leaf_for_position((2, 12))
    assert leaf is not None and leaf.value == '"🦀"'
    assert leaf.start_pos == (2, 12) and leaf.end_pos == (2, 15)
    assert leaf.parent is not None and leaf.parent.type == "literal"


def test_broken_code_keeps_every_character() -> None:
    text = ("fn a() {\n    let x = 1 +;\n    let y = 2;\n}\n\n"
            "fn b() { let y = \"never ends\n")
    tree = build_cst(parse_source(text))
    assert tree.get_code() == text
    errors = [leaf for leaf in _leaves(tree) if isinstance(leaf, ptree.ErrorLeaf)]
    # Recovery skipped the rest of `a`'s block; `b` never ends its string.
    assert [(e.token_type, e.value[:8]) for e in errors] == [
        ("skipped", "let x = "), ("error_item", "fn b() {")]


@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=300))
@settings(max_examples=200, deadline=None, derandomize=True)
def test_any_text_round_trips(text: str) -> None:
    assert build_cst(parse_source(text)).get_code() == text


# ---------------------------------------------------------------- incremental re-parsing

_BASE = (ROOT / "examples" / "lru_cache.gust").read_text(encoding="utf-8")
_PIECES = ["{", "}", "(", ")", ";", "\n", " ", "x", "1", "let ", "fn f() {}\n", "//", "/*",
           "*/", "\"", "'", "///", "\nfn g() -> i32 {\n    2\n}\n", "struct S;", "é", "🦀",
           "match x { _ => 1 }", "vec![1, 2]", "::", "<", ">>", "|", 'r#"', '"#', "\nimpl T {\n"]

edits = st.lists(
    st.tuples(st.floats(0, 1), st.integers(0, 12), st.sampled_from(_PIECES)),
    min_size=1, max_size=12,
)


def _snapshot(source: SourceFile) -> tuple[object, ...]:
    """Everything a consumer can observe: the lossless tree, the items' ASTs (their
    repr, spans included) and the diagnostics."""
    return (
        dump(build_cst(source)),
        [(n.offset, repr(n.item)) for n in source.items],
        [(e.span, e.message) for e in source.syntax_errors],
    )


@given(edits)
@settings(max_examples=60, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow])
def test_incremental_parse_equals_full_parse(steps: list[tuple[float, int, str]]) -> None:
    cache = ParseCache()
    text = _BASE
    cache.parse(text)
    for where, delete, insert in steps:
        at = int(where * len(text))
        text = text[:at] + insert + text[at + delete :]
        incremental = cache.parse(text)
        assert _snapshot(incremental) == _snapshot(parse_source(text))


def test_incremental_parse_after_an_unterminated_char_literal() -> None:
    """Found by the property above with another seed (issue 11): the `'` replaced the
    `fn` at column 0 where an unclosed `impl` had been cut, and the cut was kept."""
    test_incremental_parse_equals_full_parse.hypothesis.inner_test([
        (0.4668009636693299, 7, "\nfn g() -> i32 {\n    2\n}\n"),
        (0.08184127630165516, 12, "{"), (0.9062806617683243, 0, "struct S;"),
        (0.4595559622088342, 12, "'")])


_UNCLOSED = ("struct S;\n\nimpl S {\n    fn a() -> i32 {\n        1\n\n"
             "fn b() -> i32 {\n    2\n}\n\nfn main() {}\n")


@pytest.mark.parametrize("opener", ["'", "b'", '"', 'r#"', "/*", "//"])
@pytest.mark.parametrize("unclosed", ["impl S", "fn s()"])
def test_typing_an_opener_before_the_item_that_cut_an_unclosed_one(
        opener: str, unclosed: str) -> None:
    """An item whose braces never close ends where the next item starts at column 0 (or,
    an `impl`, only once the scan reached the end of the file): its end depends on the
    text after it. Typing an unterminated literal or comment in front of that next item
    moves the end, and the incremental parse must see it as a full parse does."""
    old = _UNCLOSED.replace("impl S", unclosed)
    cache = ParseCache()
    assert len(cache.parse(old).items) == 4
    new = old.replace("\nfn b", "\n" + opener + "fn b", 1)
    assert _snapshot(cache.parse(new)) == _snapshot(parse_source(new))


def test_an_edit_inside_a_function_reparses_only_that_function() -> None:
    cache = ParseCache()
    cache.parse(_BASE)
    at = _BASE.index("fn new(")
    cache.parse(_BASE[:at] + "fn new(" + _BASE[at + len("fn new(") :].replace("0", "1", 1))
    assert cache.reparsed == 1


def _leaves(node: ptree.BaseNode) -> list[ptree.Leaf]:
    out = []
    leaf: ptree.Leaf | None = node.get_first_leaf()
    while leaf is not None:
        out.append(leaf)
        leaf = leaf.get_next_leaf()
    return out
