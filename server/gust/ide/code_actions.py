"""Quick fixes: the machine-applicable fixes that diagnostics carry, for a range.

The borrow checker, the type checker and the parser attach fixes in rustc's spirit
("consider changing this to be mutable: `mut x`", "consider cloning the value", "remove this
semicolon", "add `;` here"); here they are offered for the diagnostics that overlap the
editor's selection or cursor, as plain data. Only `gust.lsp` knows about CodeAction.
"""

from __future__ import annotations

from gust import diagnostics as d
from gust.frozen import dataclass
from gust.ide.analysis import FileAnalysis
from gust.ide.format import TextEdit


@dataclass(frozen=True, slots=True)
class QuickFix:
    title: str
    edits: tuple[TextEdit, ...]  # file offsets into the analysed text
    # The diagnostic it fixes (file offsets), so the editor can link the two.
    diagnostic: d.Diagnostic
    # The first fix of a diagnostic is the one rustc would suggest first.
    preferred: bool


def quick_fixes(analysis: FileAnalysis, start: int, end: int) -> list[QuickFix]:
    """The fixes of every diagnostic whose primary span touches [start, end]."""
    found: list[QuickFix] = []
    for diag in analysis.diagnostics():
        if not _touches(diag, start, end):
            continue
        for i, fix in enumerate(diag.fixes):
            edits = tuple(TextEdit(e.span.start, e.span.end, e.text) for e in fix.edits)
            found.append(QuickFix(_title(fix.title), edits, diag, preferred=i == 0))
    return found


def _touches(diag: d.Diagnostic, start: int, end: int) -> bool:
    """A cursor at either end of a diagnostic's span counts, as in rust-analyzer."""
    return diag.span.start <= end and start <= diag.span.end


def _title(text: str) -> str:
    """rustc's help texts start in lower case; editors show titles capitalised."""
    return text[:1].upper() + text[1:]
