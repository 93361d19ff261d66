"""Formatting for editors: the edits that format a document or a range of it.

Plain data for gust.lsp (`textDocument/formatting` and `rangeFormatting`): small
line-based edits computed from `gust.fmt`'s result, so the editor keeps the cursor and
folds where nothing changed. A document with syntax errors gets no edits (formatting is
refused, not an error for the editor), nor does one the formatter could not handle.
"""

from __future__ import annotations

from gust.fmt import TextEdit, format_range, format_source, text_edits

__all__ = ["TextEdit", "document_edits", "range_edits"]


def document_edits(text: str) -> list[TextEdit]:
    """The edits that format the whole document (none if it cannot be formatted)."""
    result = format_source(text)
    if not result.ok:
        return []
    return text_edits(text, result.text)


def range_edits(text: str, start: int, end: int) -> list[TextEdit]:
    """The formatting edits that touch the characters [start, end)."""
    result = format_range(text, start, end)
    if not result.ok:
        return []
    return text_edits(text, result.text)
