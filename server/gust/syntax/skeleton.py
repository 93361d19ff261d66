"""An item's text with its functions' bodies left out: what the other items can see of it.

`gust check` of a large file shares its items between two processes (gust.cli.item_split).
Each needs the environment of every item (their signatures) but checks only its own
share, so it parses its own items in full and only the skeletons of the others: the
same text with the inside of each `fn` body replaced by spaces (every offset stays where
it was, so the skeleton's signatures have the spans of the full parse's).

A body is left as it is when what is in it can reach the environment
(`gust.sema.items.signature_key`): items declared in it, or the words of the package-wide
questions the Go backend asks by walking every body (`usize::MAX`, reference counts).
Whether a skeleton parses to the full parse's signatures is checked by comparing the
processes' signature keys of every item (`item_split`): each item is parsed in full by
the process that checks it and as a skeleton by the others.
"""

from __future__ import annotations

import re
from typing import Final

from gust.text import starts_word

# What the scan stops at (one character class: the regular expression engine finds the
# next one at C speed): literals and comments, which it skips whole (a brace in them is
# not one), brackets, and `;` (a `fn` without a body).
_STRUCTURE: Final = re.compile(r"""["'(){}\[\];/]""")
# Inside a body only its closing brace matters: parentheses, brackets and `;` are passed
# over (most of the stops). A body whose brackets do not balance belongs to an item that
# does not parse; whatever its skeleton, the signature keys that the processes compare
# decide whether their environments agree (gust.cli.item_split).
_IN_BODY: Final = re.compile(r"""["'{}/]""")
_STRING: Final = re.compile(r'"(?:\\.|[^"\\])*"', re.DOTALL)
_CHAR: Final = re.compile(r"'(?:\\(?:x[0-9a-fA-F]{2}|u\{[0-9a-fA-F_]{1,6}\}|.)|[^'\\\n\r\t])'")
# (Each match checked to start a word: `starts_word`.)
_FN: Final = re.compile(r"fn\b")

# In a body, these keep it: an item or import declared in it, or a word of the backend's
# package-wide questions (gust.codegen.usize_max, gust.codegen.rc_counts).
_KEEPS_BODY: Final = re.compile(
    r"(?:fn|struct|enum|union|impl|trait|const|static|use|mod|type|macro_rules|MAX|"
    r"strong_count|weak_count|downgrade|Weak)\b")


def left_out(text: str) -> list[tuple[int, int]] | None:
    """The insides of the `fn` bodies of `text` (one item, block comments already
    blanked) that a skeleton leaves out, in order; None when there is none, or when the
    text is not what the scan expects (an unclosed bracket or literal: the item is parsed
    in full)."""
    if "/*" in text:
        return None
    # Where the keyword `fn` is (those inside literals and comments are passed over).
    fns = [m.start() for m in _FN.finditer(text) if starts_word(text, m.start())]
    if not fns:
        return None
    n = len(text)
    fns.append(n + 1)
    next_fn = 0
    bodies: list[tuple[int, int]] = []
    depth = 0  # of (), [] and {}
    fn_depth = -1  # the depth of the `fn` whose body is awaited, or -1
    body_start = -1  # the body's `{`, while inside it
    pos = 0
    search = _STRUCTURE.search
    search_body = _IN_BODY.search
    while True:
        m = (search if body_start < 0 else search_body)(text, pos)
        at = n if m is None else m.start()
        while fns[next_fn] < at:  # the `fn`s between the last stop and this one
            if fns[next_fn] >= pos and body_start < 0 and fn_depth < 0:
                fn_depth = depth
            next_fn += 1
        if m is None:
            break
        ch = text[at]
        pos = at + 1
        if ch == '"':
            hashes = _raw_string_hashes(text, at)
            if hashes is None:
                string = _STRING.match(text, at)
                if string is None:
                    return None  # a string that never ends: the full parse says so
                pos = string.end()
            else:
                close = '"' + "#" * hashes
                end = text.find(close, pos)
                if end < 0:
                    return None
                pos = end + len(close)
        elif ch == "'":
            char = _CHAR.match(text, at)
            if char is not None:  # else a lifetime
                pos = char.end()
        elif ch == "/":
            if text.startswith("//", at):
                end = text.find("\n", at)
                pos = n if end < 0 else end
        elif ch in "([{":
            if ch == "{" and fn_depth == depth and body_start < 0:
                body_start = at
            depth += 1
        elif ch == ";":
            if fn_depth == depth and body_start < 0:
                fn_depth = -1  # a function without a body
        else:
            depth -= 1
            if depth < 0:
                return None
            if ch == "}" and body_start >= 0 and depth == fn_depth:
                bodies.append((body_start + 1, at))
                body_start = fn_depth = -1
    if depth != 0 or body_start >= 0:
        return None
    kept = [(start, end) for start, end in bodies
            if end - start >= 2 and not _keeps_body(text, start, end)]
    return kept or None


def _keeps_body(text: str, start: int, end: int) -> bool:
    return any(starts_word(text, m.start()) for m in _KEEPS_BODY.finditer(text, start, end))


def skeleton(text: str) -> str | None:
    """`text` (one item, block comments already blanked) with the inside of each `fn`
    body that can be left out (`left_out`) replaced by spaces; None when there is none."""
    ranges = left_out(text)
    if ranges is None:
        return None
    parts: list[str] = []
    last = 0
    for start, end in ranges:
        parts.append(text[last:start])
        parts.append(" " * (end - start))
        last = end
    parts.append(text[last:])
    return "".join(parts)


def _raw_string_hashes(text: str, quote: int) -> int | None:
    """The number of `#`s of the raw string literal (`r"`, `r#"`, `br"`) whose opening
    quote is at `quote`; None when it is not a raw string."""
    start = quote - 1
    while start >= 0 and text[start] == "#":
        start -= 1
    if start < 0 or text[start] != "r":
        return None
    before = start - 1
    if before >= 0 and text[before] == "b":
        before -= 1
    if before >= 0 and (text[before].isalnum() or text[before] == "_"):
        return None  # an identifier ending in `r`
    return quote - 1 - start
