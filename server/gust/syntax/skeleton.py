"""An item's text with its functions' bodies left out: what the other items can see of it.

`gust check` of a large file shares its items between two processes (gust.cli.item_split).
Each needs the environment of every item (their signatures) but checks only its own
share, so it parses its own items in full and only the skeletons of the others: the
same text with the inside of each `fn` body replaced by spaces (every offset stays where
it was, so the skeleton's signatures have the spans of the full parse's).

A body is left as it is when what is in it can reach the environment
(`gust.sema.items.signature_key`): items declared in it, or the words of the package-wide
questions the Go backend asks by walking every body (`usize::MAX`, reference counts).
Whether a skeleton parses to the full parse's signatures is checked by the process that
owns the item (`item_split`), which parses it both ways.
"""

from __future__ import annotations

import re

# What the scan stops at: literals and comments (skipped whole: a brace in them is not
# one), brackets, `;` (a `fn` without a body), and the keyword `fn`.
_TOKENS = re.compile(r"""
      (?P<string> "(?:\\.|[^"\\])*" )
    | (?P<unclosed> " )
    | (?P<raw> (?<![A-Za-z0-9_])b?r(?P<hashes>\#*)" )
    | (?P<char> '(?:\\(?:x[0-9a-fA-F]{2}|u\{[0-9a-fA-F_]{1,6}\}|.)|[^'\\\n\r\t])' )
    | (?P<comment> //[^\n]* )
    | (?P<fn> (?<![A-Za-z0-9_])fn(?![A-Za-z0-9_]) )
    | (?P<bracket> [(){}\[\];] )
""", re.VERBOSE | re.DOTALL)

# In a body, these keep it: an item or import declared in it, or a word of the backend's
# package-wide questions (gust.codegen.usize_max, gust.codegen.rc_counts).
_KEEPS_BODY = re.compile(
    r"(?<![A-Za-z0-9_])(?:fn|struct|enum|union|impl|trait|const|static|use|mod|type|"
    r"macro_rules|MAX|strong_count|weak_count|downgrade|Weak)(?![A-Za-z0-9_])")


def skeleton(text: str) -> str | None:
    """`text` (one item, block comments already blanked) with the inside of each `fn`
    body that can be left out replaced by spaces; None when there is none, or when the
    text is not what the scan expects (an unclosed bracket or literal: the item is parsed
    in full)."""
    if "/*" in text or "fn" not in text:
        return None
    bodies: list[tuple[int, int]] = []
    depth = 0  # of (), [] and {}
    fn_depth = -1  # the depth of the `fn` whose body is awaited, or -1
    body_start = -1  # the body's `{`, while inside it
    pos = 0
    n = len(text)
    while pos < n:
        m = _TOKENS.search(text, pos)
        if m is None:
            break
        pos = m.end()
        kind = m.lastgroup
        if kind == "unclosed":
            return None  # a string that never ends: the full parse says so
        if kind == "raw":
            close = '"' + (m.group("hashes") or "")
            end = text.find(close, pos)
            if end < 0:
                return None
            pos = end + len(close)
        elif kind == "fn":
            if body_start < 0 and fn_depth < 0:
                fn_depth = depth
        elif kind == "bracket":
            ch = m.group()
            if ch in "([{":
                if ch == "{" and fn_depth == depth and body_start < 0:
                    body_start = m.start()
                depth += 1
            elif ch == ";":
                if fn_depth == depth and body_start < 0:
                    fn_depth = -1  # a function without a body
            else:
                depth -= 1
                if depth < 0:
                    return None
                if ch == "}" and body_start >= 0 and depth == fn_depth:
                    bodies.append((body_start + 1, m.start()))
                    body_start = fn_depth = -1
    if depth != 0 or body_start >= 0:
        return None
    parts: list[str] = []
    last = 0
    for start, end in bodies:
        if end - start < 2 or _KEEPS_BODY.search(text, start, end):
            continue
        parts.append(text[last:start])
        parts.append(" " * (end - start))
        last = end
    if not parts:
        return None
    parts.append(text[last:])
    return "".join(parts)
