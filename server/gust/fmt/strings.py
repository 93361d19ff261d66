"""Measuring rewritten text the way rustfmt does (its `utils.rs`).

rustfmt mixes two measures: `str::len()` (UTF-8 bytes) in most budget checks and the
Unicode display width in a few; both are reproduced (`blen`, `uwidth`) so that non-ASCII
strings break where rustfmt breaks them.
"""

from __future__ import annotations

import unicodedata

from gust.fmt.shape import MAX_WIDTH, Shape


def blen(s: str) -> int:
    """Rust's `str::len()`: the length in UTF-8 bytes."""
    return len(s) if s.isascii() else len(s.encode("utf-8"))


def uwidth(s: str) -> int:
    """rustfmt's `unicode_str_width`: wide East Asian characters count twice and control
    characters (line breaks included) not at all."""
    if s.isascii():
        return len(s) - sum(1 for c in s if c < " " or c == "\x7f") if "\n" in s or "\t" in s \
            else len(s)
    return sum(0 if unicodedata.category(c) == "Cc" else
               2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in s)


def lines(s: str) -> list[str]:
    """Rust's `str::lines()`: no empty last line, `\\r` before `\\n` dropped."""
    parts = s.split("\n")
    if parts and parts[-1] == "":
        parts.pop()
    return [p[:-1] if p.endswith("\r") else p for p in parts]


def first_line(s: str) -> str:
    """The text up to the first line break."""
    return s.split("\n", 1)[0]


def last_line(s: str) -> str:
    """The text after the last line break."""
    return s.rsplit("\n", 1)[-1]


def first_line_width(s: str) -> int:
    """Display width of the first line: what a rewrite adds to the current line."""
    return uwidth(first_line(s))


def last_line_width(s: str) -> int:
    """Display width of the last line: where what follows will start."""
    return uwidth(last_line(s))


def trimmed_last_line_width(s: str) -> int:
    """Display width of the last line without its indentation."""
    return uwidth(last_line(s).strip())


def last_line_used_width(s: str, offset: int) -> int:
    """The column reached after `s` when it starts at column `offset`."""
    if "\n" in s:
        return last_line_width(s)
    return offset + uwidth(s)


def extra_offset(text: str, shape: Shape) -> int:
    """The length of the last line of `text`, past the shape's start."""
    idx = text.rfind("\n")
    if idx < 0:
        return blen(text)
    return max(0, blen(text) - (idx + 1 + shape.used_width()))


def count_newlines(s: str) -> int:
    """Line breaks in `s`; gaps with two or more hold a blank line."""
    return s.count("\n")


def is_single_line(s: str) -> bool:
    """Whether `s` fits on one line (no line break)."""
    return "\n" not in s


def first_line_ends_with(s: str, c: str) -> bool:
    """Whether the first line ends with `c` (e.g. an opening brace)."""
    ls = lines(s)
    return bool(ls) and ls[0].endswith(c)


def starts_with_newline(s: str) -> bool:
    """Whether `s` begins with a line break (either style)."""
    return s.startswith("\n") or s.startswith("\r\n")


def last_line_contains_single_line_comment(s: str) -> bool:
    """A `//` comment on the last line would swallow anything appended to it."""
    ls = lines(s)
    return bool(ls) and "//" in ls[-1]


def first_line_contains_single_line_comment(s: str) -> bool:
    """A `//` comment on the first line forces what follows onto the next line."""
    ls = lines(s)
    return bool(ls) and "//" in ls[0]


def last_line_extendable(s: str) -> bool:
    """Whether the last line holds only closing delimiters (so more can follow on it)."""
    if s.endswith('"#'):
        return True
    for c in reversed(s):
        if c in "()]}?>":
            continue
        if c == "\n":
            break
        if c.isspace():
            continue
        return False
    return True


def filtered_str_fits(snippet: str, shape: Shape) -> bool:
    """rustfmt's check that a rewrite fits its shape, comments ignored."""
    from gust.fmt.comment import filter_normal_code

    snippet = filter_normal_code(snippet)
    if not snippet:
        return True
    if first_line_width(snippet) > shape.width:
        return False
    if is_single_line(snippet):
        return True
    if any(uwidth(line) > MAX_WIDTH for line in lines(snippet)[1:]):
        return False
    return last_line_width(snippet) <= shape.used_width() + shape.width


def wrap_str(s: str, shape: Shape) -> str | None:
    """`s` if it fits `shape`, else None (rustfmt's `wrap_str`)."""
    return s if filtered_str_fits(s, shape) else None
