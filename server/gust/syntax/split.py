"""Cut a file into top-level item chunks before parsing.

Each chunk is parsed on its own (gust.syntax.parser), so:
- a syntax error is confined to its item and the other items are still analysed;
- an edit inside one item re-parses that item only (gust.syntax.source caches by text).

The scanner knows just enough of the lexical grammar to match brackets: comments (nested
block comments, as in Rust), strings, raw strings, chars and labels. It never fails.
"""

from __future__ import annotations

import re
from typing import Final, NamedTuple

from gust.frozen import dataclass
from gust.text import Span

# Keywords that start an item at column 0. A line that starts with one while brackets are
# still open means the item above lost its closing `}`: we cut there, as rustc's recovery
# reads indentation, so one missing brace does not swallow the rest of the file.
_ITEM_START: Final = re.compile(
    r"(pub\b|fn\b|struct\b|enum\b|impl\b|trait\b|const\b|static\b|use\b|mod\b|type\b|#\[)"
)
# Items whose braces hold other items or fields, which may well start at column 0 (an
# unindented `mod`, `impl` or `struct` body): a column-0 keyword inside them cuts the item
# only if it turns out to be unclosed at the end of the file.
_CONTAINER: Final = re.compile(
    r"(?:#!?\[[^\]]*\]\s*)*(?:pub(?:\([^)]*\))?\s+)?(?:unsafe\s+)?"
    r"(impl|mod|trait|struct|enum|union)\b"
)
# Items that end at `;` even after a braced part (`const X: T = { .. };`).
_SEMI_ITEMS: Final = re.compile(r"(?:pub(?:\([a-z]+\))?\s+)?(const|static|use|type)\b")
_CHAR: Final = re.compile(r"'(\\(x[0-9a-fA-F]{2}|u\{[0-9a-fA-F_]{1,6}\}|.)|[^'\\\n\r\t])'")
_RAW_STRING: Final = re.compile(r'r(#*)"')
_IDENT_CHAR: Final = re.compile(r"[A-Za-z0-9_]")
# The characters `_scan_item` acts on; it jumps from one to the next (most of an item's
# text is identifiers and spaces, which it would otherwise step through one by one). A
# line break only before what may start an item (`_ITEM_START`), not before an indented
# line; an `r` that may start a raw string (`_scan_item` checks what comes before it).
# In this order, and without a lookbehind, the regular expression engine scans three to
# four times faster.
_SIGNIFICANT: Final = re.compile(r"""[/"'()\[\]{};]|\n(?=[a-z#])|r(?=#*")""")
# The same inside brackets, where a `;` (a statement's end, a frequent stop) ends nothing.
_SIGNIFICANT_NESTED: Final = re.compile(r"""[/"'()\[\]{}]|\n(?=[a-z#])|r(?=#*")""")


class Chunk(NamedTuple):
    """One top-level item's text range, [start, end).

    `unclosed`: the item ended (at a column-0 item keyword or the end of the file) with
    brackets still open. `mismatched`: a closing bracket inside did not match its opener;
    such a chunk is not parsed (the delimiter error says it all) but its signature is kept.

    A named tuple rather than a dataclass: after an edit, every chunk after it is shifted,
    a hundred new chunks per keystroke in a long file, and a tuple is built four times
    faster.
    """

    start: int
    end: int
    unclosed: bool = False
    mismatched: bool = False

    @property
    def span(self) -> Span:
        return Span(self.start, self.end)


@dataclass(frozen=True, slots=True)
class DelimiterError:
    """A closing bracket with nothing open, reported as rustc does (file offsets)."""

    message: str
    span: Span
    mismatched_at: Span | None
    code: str | None = None


@dataclass(frozen=True, slots=True)
class Split:
    chunks: list[Chunk]
    errors: list[DelimiterError]
    # For `resplit`: for each chunk, the index of the identical chunk of the previous split
    # it was carried over from (same text), or None for a chunk scanned anew.
    origin: list[int | None] | None = None


def split_items(text: str) -> Split:
    chunks: list[Chunk] = []
    errors: list[DelimiterError] = []
    last_mismatch: Span | None = None
    n = len(text)
    i = 0
    while True:
        comment_start = _unterminated_comment_at(text, i)
        i = skip_trivia(text, i)
        if i >= n:
            if comment_start is not None:
                errors.append(DelimiterError("unterminated block comment",
                                             Span(comment_start, comment_start + 2), None,
                                             "E0758"))
            return Split(chunks, errors)
        start = _doc_start(text, i)
        scan = _scan_item(text, i)
        if scan.stray_closer is not None:
            # A closer with nothing open: rustc reports it here, pointing back at the closer
            # that (probably) closed too early.
            ch = text[scan.stray_closer]
            errors.append(DelimiterError(f"unexpected closing delimiter: `{ch}`",
                                         Span(scan.stray_closer, scan.stray_closer + 1),
                                         last_mismatch))
        if scan.mismatch is not None:
            last_mismatch = scan.mismatch
            if not _stray_closer_follows(text, scan.end):
                closer, opener = scan.mismatch, scan.mismatch_opener
                errors.append(DelimiterError(
                    f"mismatched closing delimiter: `{text[closer.start]}`",
                    opener if opener is not None else closer, closer))
        chunks.append(Chunk(start, scan.end, scan.unclosed,
                            scan.mismatch is not None or scan.stray_closer is not None))
        i = scan.end


def resplit(old_text: str, old: Split, new_text: str) -> Split:
    """`split_items(new_text)`, reusing the chunks of `old_text` that the edit cannot have
    changed: those before the edit (up to the first unclosed one, whose end depends on the
    text after it), and those after it once the scan is back in step.

    Scanning from the start of a chunk depends only on the text from there on, so a chunk
    that starts in the unchanged tail at the same place (shifted) as before is followed by
    the same chunks as before. Bracket errors (rare) make the chunks depend on each other:
    then everything is re-split.
    """
    if old.errors or not old.chunks:
        return split_items(new_text)
    prefix = _common_prefix(old_text, new_text)
    tail = len(new_text) - _common_suffix(old_text, new_text, len(old_text) - prefix)
    delta = len(new_text) - len(old_text)
    keep = 0
    # An unclosed chunk ended where its scan saw an item keyword at column 0 after it, or
    # (a container: `impl`, `mod`, ...) after scanning to the end of the file to see that
    # its braces never close: it depends on text after its end, so it and the chunks after
    # it are scanned again.
    while keep < len(old.chunks) and old.chunks[keep].end < prefix and \
            not old.chunks[keep].unclosed:
        keep += 1
    chunks = list(old.chunks[:keep])
    origin: list[int | None] = list(range(keep))
    old_starts = {c.start: i for i, c in enumerate(old.chunks)}
    n = len(new_text)
    i = chunks[-1].span.end if chunks else 0
    while True:
        if _unterminated_comment_at(new_text, i) is not None:
            return split_items(new_text)
        i = skip_trivia(new_text, i)
        if i >= n:
            return Split(chunks, [], origin)
        start = _doc_start(new_text, i)
        reuse = old_starts.get(start - delta)
        if start >= tail and reuse is not None and reuse >= keep:
            chunks.extend(Chunk(c.start + delta, c.end + delta, c.unclosed, c.mismatched)
                          for c in old.chunks[reuse:])
            origin.extend(range(reuse, len(old.chunks)))
            return Split(chunks, [], origin)
        scan = _scan_item(new_text, i)
        if scan.stray_closer is not None or scan.mismatch is not None:
            return split_items(new_text)
        chunks.append(Chunk(start, scan.end, scan.unclosed))
        origin.append(None)
        i = scan.end


# Prefix and suffix are compared a block at a time (C-level comparisons of short slices),
# then the differing block by binary search: linear in the common part, with a small
# constant, and without copying the whole text at every step.
_BLOCK: Final = 2048


def _common_prefix(a: str, b: str) -> int:
    """Length of the longest common prefix."""
    n = min(len(a), len(b))
    i = 0
    while i + _BLOCK <= n and a[i : i + _BLOCK] == b[i : i + _BLOCK]:
        i += _BLOCK
    lo, hi = i, min(i + _BLOCK, n)
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if a[i:mid] == b[i:mid]:
            lo = mid
        else:
            hi = mid - 1
    return lo


def _common_suffix(a: str, b: str, limit: int) -> int:
    """Length of the longest common suffix, at most `limit` (so it cannot overlap the
    common prefix)."""
    n = min(len(a), len(b), max(0, limit))
    la, lb = len(a), len(b)
    i = 0
    while i + _BLOCK <= n and a[la - i - _BLOCK : la - i] == b[lb - i - _BLOCK : lb - i]:
        i += _BLOCK
    lo, hi = i, min(i + _BLOCK, n)
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if a[la - mid : la - i] == b[lb - mid : lb - i]:
            lo = mid
        else:
            hi = mid - 1
    return lo


@dataclass(frozen=True, slots=True)
class _Scan:
    end: int
    unclosed: bool
    mismatch: Span | None  # a closer that did not match the innermost opener
    stray_closer: int | None  # offset of a closer with nothing open
    mismatch_opener: Span | None = None  # the opener that closer closed


_CLOSES: Final = {")": "(", "]": "[", "}": "{"}


def _unterminated_comment_at(text: str, i: int) -> int | None:
    """Where a block comment that never ends starts, among the trivia at `i`."""
    n = len(text)
    while i < n:
        if text[i].isspace():
            i += 1
        elif text.startswith("//", i):
            j = text.find("\n", i)
            i = n if j < 0 else j + 1
        elif text.startswith("/*", i):
            end = _skip_block_comment(text, i)
            if end >= n and not text.endswith("*/"):
                return i
            i = end
        else:
            return None
    return None


def _closes_at_end(text: str, start: int) -> bool:
    return _skip_block_comment(text, start) == len(text) and text.endswith("*/")


def _string_end(text: str, start: int) -> int | None:
    """The offset after the string literal opening at `start`, or None if it never ends."""
    i = start + 1
    n = len(text)
    while i < n:
        if text[i] == "\\":
            i += 2
        elif text[i] == '"':
            return i + 1
        else:
            i += 1
    return None


def blank_block_comments(text: str) -> tuple[str, int | None]:
    """`text` with block comments (nested, as in Rust) replaced by spaces, newlines kept, so
    offsets do not change (a regular expression cannot match nesting); and where a block
    comment that never ends starts, if one does."""
    if "/*" not in text:
        return text, None
    unterminated: int | None = None
    out = list(text)
    n = len(text)
    i = 0
    while i < n:
        ch = text[i]
        if text.startswith("//", i):
            j = text.find("\n", i)
            i = n if j < 0 else j
        elif ch == '"':
            i = _skip_string(text, i)
        elif ch == "'":
            m = _CHAR.match(text, i)
            i = m.end() if m else i + 1
        elif text.startswith("/*", i):
            end = _skip_block_comment(text, i)
            if end >= n and not _closes_at_end(text, i):
                unterminated = i
            for k in range(i, end):
                if out[k] not in "\r\n":
                    out[k] = " "
            i = end
        else:
            i += 1
    return "".join(out), unterminated


def _doc_start(text: str, item_start: int) -> int:
    """Where the `///` doc comments right before the item at `item_start` begin (the item's
    chunk includes them, so its docs travel with it); `item_start` if there are none."""
    start = item_start
    line_start = text.rfind("\n", 0, item_start) + 1
    if text[line_start:item_start].strip():
        return item_start  # the item does not start its line
    while line_start > 0:
        prev_start = text.rfind("\n", 0, line_start - 1) + 1
        line = text[prev_start : line_start - 1].strip()
        if not line:
            line_start = prev_start  # blank lines between docs and item are allowed
            continue
        if line.startswith("///") and not line.startswith("////"):
            start = prev_start + (len(text[prev_start:line_start]) -
                                  len(text[prev_start:line_start].lstrip()))
            line_start = prev_start
            continue
        break
    return start


def docs_before(text: str, offset: int) -> str | None:
    """The text of the `///` doc comments right before `offset` (an item or member's first
    token), without the `///` markers, or None."""
    start = _doc_start(text, offset)
    if start == offset:
        return None
    lines = []
    for line in text[start:offset].splitlines():
        stripped = line.strip()
        if stripped.startswith("///"):
            body = stripped[3:]
            lines.append(body[1:] if body.startswith(" ") else body)
    return "\n".join(lines) if lines else None


def skip_trivia(text: str, i: int) -> int:
    n = len(text)
    while i < n:
        ch = text[i]
        if ch.isspace():
            i += 1
        elif text.startswith("//", i):
            j = text.find("\n", i)
            i = n if j < 0 else j + 1
        elif text.startswith("/*", i):
            i = _skip_block_comment(text, i)
        else:
            break
    return i


def _skip_block_comment(text: str, i: int) -> int:
    depth = 0
    n = len(text)
    while i < n:
        if text.startswith("/*", i):
            depth += 1
            i += 2
        elif text.startswith("*/", i):
            depth -= 1
            i += 2
            if depth == 0:
                return i
        else:
            i += 1
    return n


def _skip_string(text: str, i: int) -> int:
    """`i` is at the opening quote; returns the offset after the closing one."""
    end = _string_end(text, i)
    return len(text) if end is None else end


def _scan_item(text: str, start: int) -> _Scan:
    """Find the end of the item starting at `start`, matching brackets."""
    ends_at_semi = _SEMI_ITEMS.match(text, start) is not None
    container = _CONTAINER.match(text, start) is not None
    n = len(text)
    stack: list[tuple[str, int]] = []
    mismatch: Span | None = None
    opener: Span | None = None
    # Where the first column-0 keyword inside a container's braces would cut the item, if
    # the container turns out to be unclosed.
    tentative: int | None = None
    i = start
    significant = _SIGNIFICANT.search
    nested = _SIGNIFICANT_NESTED.search
    while True:
        found = (nested if stack else significant)(text, i)
        if found is None:
            break
        i = found.start()
        ch = text[i]
        if ch == "\n":
            i += 1
            if stack and i < n and _ITEM_START.match(text, i):
                if not container:
                    return _Scan(_trim_end(text, start, i), True, mismatch, None, opener)
                if tentative is None:
                    tentative = i
            continue
        if ch == "/" and text.startswith("//", i):
            j = text.find("\n", i)
            i = n if j < 0 else j
            continue
        if ch == "/" and text.startswith("/*", i):
            i = _skip_block_comment(text, i)
            continue
        if ch == '"':
            i = _skip_string(text, i)
            continue
        if ch == "r" and (i == 0 or not _IDENT_CHAR.match(text[i - 1])):
            m = _RAW_STRING.match(text, i)
            if m:
                close = '"' + m.group(1)
                j = text.find(close, m.end())
                i = n if j < 0 else j + len(close)
                continue
        if ch == "'":
            m = _CHAR.match(text, i)
            i = m.end() if m else i + 1
            continue
        if ch in "([{":
            stack.append((ch, i))
        elif ch in ")]}":
            if not stack:
                return _Scan(i + 1, False, mismatch, i, opener)
            if stack[-1][0] != _CLOSES[ch] and mismatch is None:
                mismatch = Span(i, i + 1)
                opener = Span(stack[-1][1], stack[-1][1] + 1)
            stack.pop()
            if ch == "}" and not stack and not ends_at_semi:
                return _Scan(i + 1, False, mismatch, None, opener)
        elif ch == ";" and not stack:
            return _Scan(i + 1, False, mismatch, None, opener)
        i += 1
    if stack and tentative is not None:
        return _Scan(_trim_end(text, start, tentative), True, mismatch, None, opener)
    return _Scan(n, bool(stack), mismatch, None, opener)


def _stray_closer_follows(text: str, i: int) -> bool:
    """Whether the next token after `i` is a closing bracket (reported as stray instead)."""
    i = skip_trivia(text, i)
    return i < len(text) and text[i] in ")]}"


def _trim_end(text: str, start: int, end: int) -> int:
    while end > start and text[end - 1].isspace():
        end -= 1
    return end
