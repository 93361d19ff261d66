"""The explanation of an error code, from docs/errors/EXXXX.md (installed as gust/errors):
what `gust explain EXXXX` prints and the language server's `gust/explain` answers."""

from __future__ import annotations

import re
from importlib import resources

_CODE = re.compile(r"E\d{4}")


def explanation(code: str) -> str | None:
    """The Markdown text explaining `code`, or None if there is none."""
    if not _CODE.fullmatch(code):
        return None
    doc = resources.files("gust").joinpath("errors", f"{code}.md")
    try:
        return doc.read_text(encoding="utf-8")
    except (FileNotFoundError, OSError):
        return None


def known_codes() -> list[str]:
    folder = resources.files("gust").joinpath("errors")
    return sorted(p.name[:-3] for p in folder.iterdir() if _CODE.fullmatch(p.name[:-3]))
