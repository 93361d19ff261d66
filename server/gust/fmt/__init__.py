"""`gust fmt`: rustfmt's formatting for Gust source (see gust.fmt.api)."""

from gust.fmt.api import (
    FormatResult,
    TextEdit,
    apply_edits,
    format_range,
    format_source,
    text_edits,
)

__all__ = ["FormatResult", "TextEdit", "apply_edits", "format_range", "format_source", "text_edits"]
