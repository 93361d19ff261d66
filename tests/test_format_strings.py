"""Format strings of `println!`, `format!`, ...: the errors rustc gives for their arguments
(named arguments, widths and precisions from arguments), which have no error code. The
output of valid ones is compared with rustc's in tests/programs/format_counts.gust."""

from __future__ import annotations

from gust.ide import check_source


def _errors(body: str) -> list[tuple[int, str]]:
    """(line, message) of each error of `fn main() { body }`, the body on lines 2..."""
    text = "fn main() {\n" + body + "\n}\n"
    found = []
    for diag in check_source("main.gust", text):
        line = text.count("\n", 0, diag.span.start) + 1
        found.append((line, diag.message))
    return found


def test_a_named_argument_is_used_by_name_or_reported() -> None:
    assert _errors('println!("{a}", a = 1, b = 2);') == [(2, "named argument never used")]


def test_positional_arguments_come_before_named_ones() -> None:
    assert _errors('println!("{a} {}", a = 1, 2);') == [
        (2, "positional arguments cannot follow named arguments")]


def test_a_width_argument_counts_as_used() -> None:
    assert _errors('println!("[{:>1$}] [{:.*}]", 7, 3, 2.0);') == []
    assert _errors('println!("[{:>1$}]", 7, 3, 9);') == [(2, "argument never used")]


def test_a_named_width_may_be_a_variable_or_a_named_argument() -> None:
    assert _errors('let w = 3;\nprintln!("[{:w$}] [{:v$}]", 1, 2, v = 4);') == []
    assert _errors('println!("[{:w$}]", 1);') == [
        (2, "cannot find value `w` in this scope")]


def test_a_count_beyond_the_arguments_is_reported() -> None:
    errors = _errors('println!("[{:1$}]", 7);')
    assert [line for line, _ in errors] == [2]
    assert "positional argument" in errors[0][1]


NAMED_BY_POSITION = """fn main() {
    let y = 2;
    println!("{} {x}", x = 1);
    println!("{} and {} {y}", y, z = 3);
    let s = format!("{0} {name}", name = "a");
    println!("{}", s);
}
"""


def _where(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


def test_a_named_argument_taken_by_position_is_rustcs_warning() -> None:
    """rustc's warn-by-default `named_arguments_used_positionally`: the warning on the
    argument's name, the hole that takes it by position, and the fix that names it (as
    rustc 1.95 prints it for this program)."""
    text = NAMED_BY_POSITION
    found = [diag for diag in check_source("main.gust", text)]
    assert [(diag.severity.name, diag.message, _where(text, diag.span.start))
            for diag in found] == [
        ("WARNING", "named argument `x` is not used by name", (3, 24)),
        ("WARNING", "named argument `z` is not used by name", (4, 34)),
        ("WARNING", "named argument `name` is not used by name", (5, 35)),
    ]
    first = found[0]
    assert first.label == "this named argument is referred to by position in formatting string"
    assert [(_where(text, lb.span.start), lb.span.end - lb.span.start, lb.message)
            for lb in first.labels] == [
        ((3, 15), 2, "this formatting argument uses named argument `x` by position")]
    assert first.notes == ("`#[warn(named_arguments_used_positionally)]` on by default",)
    assert found[1].notes == ()

    def fixed(diag_index: int) -> str:
        (edit,) = found[diag_index].fixes[0].edits
        return text[: edit.span.start] + edit.text + text[edit.span.end :]

    assert 'println!("{x} {x}", x = 1);' in fixed(0)
    assert 'println!("{} and {z} {y}", y, z = 3);' in fixed(1)
    assert 'format!("{name} {name}", name = "a");' in fixed(2)


def test_the_named_argument_warning_matches_rustcs_spans() -> None:
    """The same warnings, where rustc puts them (when rustc is on PATH)."""
    import json

    import pytest

    from tools.rustc_oracle import rustc_available, rustc_json

    if not rustc_available():
        pytest.skip("rustc is not on PATH")
    theirs = []
    for raw in rustc_json(NAMED_BY_POSITION).stderr.splitlines():
        diag = json.loads(raw) if raw.startswith("{") else {}
        code = (diag.get("code") or {}).get("code")
        if code == "named_arguments_used_positionally":
            span = next(s for s in diag["spans"] if s["is_primary"])
            theirs.append((diag["message"], (span["line_start"], span["column_start"])))
    ours = [(diag.message, _where(NAMED_BY_POSITION, diag.span.start))
            for diag in check_source("main.gust", NAMED_BY_POSITION)]
    assert ours == theirs
