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
