"""A parsed source file: its top-level items, each parsed on its own and cached by text.

`ParseCache.parse(text)` cuts the text into items (gust.syntax.split) and parses only the
items whose text it has not seen in the previous parse. Item trees have item-relative
spans (gust.syntax.ast), so an item that merely moved is reused as is.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable
from dataclasses import field, replace

from gust import diagnostics as d
from gust.frozen import dataclass
from gust.gcpause import paused_gc
from gust.syntax import ast
from gust.syntax.parser import ParsedItem, parse_item
from gust.syntax.skeleton import skeleton
from gust.syntax.split import DelimiterError, Split, resplit, split_items


@dataclass(frozen=True, slots=True)
class ItemNode:
    """One top-level item: where it starts in the file and its parse."""

    offset: int
    parsed: ParsedItem

    @property
    def end(self) -> int:
        return self.offset + len(self.parsed.text)

    @property
    def item(self) -> ast.Item | None:
        return self.parsed.item


@dataclass(frozen=True)
class SourceFile:
    text: str
    items: tuple[ItemNode, ...]
    # Errors about the file's bracket structure, with file offsets (gust.syntax.split).
    delimiter_errors: tuple[d.Diagnostic, ...] = ()
    _starts: list[int] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_starts", [n.offset for n in self.items])

    @property
    def syntax_errors(self) -> list[d.Diagnostic]:
        """Syntax diagnostics with file offsets, in file order."""
        errors = [e.shifted(n.offset) for n in self.items if n.parsed.errors
                  for e in n.parsed.errors]
        return sorted([*errors, *self.delimiter_errors], key=lambda e: e.span.start)

    def item_at(self, offset: int) -> ItemNode | None:
        """The item whose text contains `offset` (its end included), if any."""
        i = bisect.bisect_right(self._starts, offset) - 1
        if i >= 0 and offset <= self.items[i].end:
            return self.items[i]
        return None


class ParseCache:
    """Remembers the items of the last parse, keyed by their text.

    With `in_full`, an item whose text it rejects is parsed without its functions' bodies
    where that can be done (gust.syntax.skeleton; `ParsedItem.bodies_left_out`): what a
    process that checks only some of a file's items needs of the others
    (gust.cli.item_split)."""

    def __init__(self, in_full: Callable[[str], bool] | None = None,
                 known: tuple[str, Split] | None = None) -> None:
        self.in_full = in_full
        # A text already split (by whoever decided `in_full`), for the first parse.
        self._known = known
        self._items: dict[tuple[str, bool], ParsedItem] = {}
        self._last: tuple[str, Split] | None = None
        self._last_parsed: list[ParsedItem] = []  # aligned with the last split's chunks
        self.reparsed = 0  # items parsed (not reused) by the last `parse`, for tests and bench

    def parse(self, text: str) -> SourceFile:
        with paused_gc():
            return self._parse(text)

    def _parse(self, text: str) -> SourceFile:
        items: list[ItemNode] = []
        seen: dict[tuple[str, bool], ParsedItem] = {}
        self.reparsed = 0
        if self._last is not None:
            split = resplit(*self._last, text)
        elif self._known is not None and self._known[0] == text:
            split = self._known[1]
            self._known = None  # (only for the first parse: `_last` is kept from now on)
        else:
            split = split_items(text)
        self._last = (text, split)
        previous = self._last_parsed
        parsed_items: list[ParsedItem] = []
        for i, chunk in enumerate(split.chunks):
            origin = split.origin[i] if split.origin is not None else None
            if origin is not None:
                # Carried over unchanged by resplit: no need to slice and hash its text.
                parsed = previous[origin]
                key = (parsed.text, chunk.mismatched)
            else:
                key = (text[chunk.start : chunk.end], chunk.mismatched)
                found = self._items.get(key) or seen.get(key)
                if found is None:
                    found = self._parse_item(key[0], chunk.unclosed, chunk.mismatched)
                    self.reparsed += 1
                parsed = found
            seen[key] = parsed
            parsed_items.append(parsed)
            items.append(ItemNode(chunk.start, parsed))
        self._items = seen
        self._last_parsed = parsed_items
        delimiter_errors = tuple(
            _delimiter_diagnostic(e) for e in split.errors
        )
        return SourceFile(text, tuple(items), delimiter_errors)


    def _parse_item(self, text: str, unclosed: bool, mismatched: bool) -> ParsedItem:
        if self.in_full is not None and not mismatched and not self.in_full(text):
            outline = parse_outline(text, unclosed)
            if outline is not None:
                return outline
        return parse_item(text, unclosed, mismatched)

    def last_parsed(self) -> list[ParsedItem]:
        """The items of the last parse, in file order."""
        return list(self._last_parsed)


def _delimiter_diagnostic(e: DelimiterError) -> d.Diagnostic:
    if e.code is not None:
        return d.error(e.code, e.message, e.span)
    if e.message.startswith("mismatched"):
        assert e.mismatched_at is not None
        return d.error(None, e.message, e.span, "unclosed delimiter",
                       labels=(d.Label(e.mismatched_at, "mismatched closing delimiter"),))
    labels = (d.Label(e.mismatched_at, "...as it matches this but it has different "
                      "indentation"),) if e.mismatched_at is not None else ()
    return d.error(None, e.message, e.span, "unexpected closing delimiter", labels=labels)


def parse_outline(text: str, unclosed: bool = False) -> ParsedItem | None:
    """The item parsed without the insides of its functions' bodies (its `text` is the
    whole text, its spans are the full parse's), when it has bodies to leave out and its
    skeleton parses without an error; else None."""
    outline = skeleton(text)
    if outline is None:
        return None
    parsed = parse_item(outline, unclosed)
    if parsed.item is None or parsed.errors:
        return None
    return replace(parsed, text=text, has_tree=False, bodies_left_out=True)


def parse_source(text: str) -> SourceFile:
    """Parse a whole file without a cache."""
    return ParseCache().parse(text)
