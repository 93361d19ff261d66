"""The explanation of an error code, from docs/errors/EXXXX.md (installed as gust/errors):
what `gust explain EXXXX` prints and the language server's `gust/explain` answers. The
rustc lints Gust reports as errors have one too (`gust explain overflowing_literals`)."""

from __future__ import annotations

import re
from importlib import resources

from gust.diagnostics import GUST_CODES, LINTS, WARNING_LINTS

_CODE = re.compile(r"E\d{4}")


def explanation(code: str) -> str | None:
    """The Markdown text explaining `code`, or None if there is none."""
    if not _CODE.fullmatch(code) and code not in LINTS | WARNING_LINTS | GUST_CODES:
        return None
    doc = resources.files("gust").joinpath("errors", f"{code}.md")
    try:
        return doc.read_text(encoding="utf-8")
    except (FileNotFoundError, OSError):
        return None


def known_codes() -> list[str]:
    folder = resources.files("gust").joinpath("errors")
    return sorted(p.name[:-3] for p in folder.iterdir()
                  if _CODE.fullmatch(p.name[:-3]) or p.name[:-3] in LINTS | WARNING_LINTS | GUST_CODES)


# Where each explanation is published: one page per code, the Markdown of
# docs/errors/EXXXX.md rendered (docs/ci.md, "Links to explanations"). Stable: a code's
# page never moves, so links in old SARIF reports and editor diagnostics keep working.
ERRORS_URL = "https://gust-lang.github.io/gust/errors/{code}.html"


def help_uri(code: str) -> str | None:
    """The published explanation of an error code (None for names that are not codes)."""
    return ERRORS_URL.format(code=code) if _CODE.fullmatch(code) or code in LINTS | WARNING_LINTS else None


def summary(code: str) -> tuple[str, str] | None:
    """The title (`use of a moved value`) and first paragraph of a code's explanation."""
    text = explanation(code)
    if text is None:
        return None
    lines = text.splitlines()
    title = lines[0].lstrip("# ").partition(": ")[2].strip() if lines else ""
    paragraph: list[str] = []
    for line in lines[1:]:
        if line.strip():
            paragraph.append(line.strip())
        elif paragraph:
            break
    return title or code, " ".join(paragraph) or title or code
