"""Gust plain data -> LSP types: diagnostics and hovers.

Everything here is a pure function of the data and of what the client said it supports,
so that the server module only decides *when* to send things.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from importlib import resources
from pathlib import Path

from lsprotocol import types as lsp
from pygls.uris import from_fs_path

from gust import diagnostics as d
from gust.frozen import dataclass
from gust.ide import explain
from gust.ide.borrow_insight import FunctionLoans
from gust.ide.code_actions import QuickFix
from gust.ide.format import TextEdit
from gust.ide.hover import Hover
from gust.ide.references import Highlight
from gust.ide.structure import Fold
from gust.ide.symbols import DocSymbol, WorkspaceSymbol
from gust.lsp.documents import lsp_range
from gust.text import LineIndex, Span

SOURCE = "gust"
# Where the explanations are published, for codes whose Markdown is not installed with
# the package (see docs/lsp.md, "Links to explanations"); SARIF reports link there too.
ERRORS_URL = explain.ERRORS_URL
_CODE = re.compile(r"E\d{4}")

_SEVERITY = {
    d.Severity.ERROR: lsp.DiagnosticSeverity.Error,
    d.Severity.WARNING: lsp.DiagnosticSeverity.Warning,
    d.Severity.NOTE: lsp.DiagnosticSeverity.Information,
    d.Severity.HELP: lsp.DiagnosticSeverity.Hint,
}


@dataclass(frozen=True, slots=True)
class ClientSupport:
    """The few client capabilities that change what we send."""

    related_information: bool = True
    code_description: bool = True
    markdown_hover: bool = True
    hierarchical_symbols: bool = False

    @staticmethod
    def of(caps: lsp.ClientCapabilities) -> ClientSupport:
        """Read them from the client's initialize params (absent means unsupported)."""
        td = caps.text_document
        publish = td.publish_diagnostics if td is not None else None
        hover = td.hover if td is not None else None
        formats = (hover.content_format or []) if hover is not None else []
        symbols = td.document_symbol if td is not None else None
        return ClientSupport(
            related_information=bool(publish is not None and publish.related_information),
            code_description=bool(publish is not None and publish.code_description_support),
            markdown_hover=lsp.MarkupKind.Markdown in formats,
            hierarchical_symbols=bool(symbols is not None
                                      and symbols.hierarchical_document_symbol_support),
        )


@functools.cache
def explanation_href(code: str) -> str | None:
    """A link to the explanation of `code`.

    The Markdown installed with the package (`gust/errors/EXXXX.md`, the text
    `gust explain` prints) is preferred: it works offline and always matches the installed
    checker. Codes without an installed explanation link to the published docs.
    """
    if not _CODE.fullmatch(code) and code not in d.GUST_CODES:
        return None
    try:
        doc = resources.files("gust").joinpath("errors", f"{code}.md")
        if isinstance(doc, Path) and doc.is_file():
            return str(from_fs_path(str(doc.resolve())))
    except (OSError, TypeError, ValueError):
        pass
    return ERRORS_URL.format(code=code)


def diagnostic(diag: d.Diagnostic, index: LineIndex, uri: str, support: ClientSupport
               ) -> lsp.Diagnostic:
    """One Gust diagnostic as LSP shows it.

    Like rust-analyzer, the message carries the primary label, notes and help as extra
    lines, since most clients show nothing else inline; secondary labels become
    `relatedInformation` (clickable locations), or message lines when unsupported.
    """
    lines = [diag.message]
    if diag.label and diag.label != diag.message:
        lines.append(diag.label)
    related: list[lsp.DiagnosticRelatedInformation] = []
    for label in diag.labels:
        rng = lsp_range(index, label.span.start, label.span.end)
        if support.related_information:
            related.append(lsp.DiagnosticRelatedInformation(
                location=lsp.Location(uri=uri, range=rng), message=label.message))
        else:
            lines.append(f"{rng.start.line + 1}:{rng.start.character + 1}: {label.message}")
    lines.extend(f"note: {note}" for note in diag.notes)
    lines.extend(f"help: {h}" for h in diag.help)
    href = explanation_href(diag.code) if diag.code and support.code_description else None
    return lsp.Diagnostic(
        range=lsp_range(index, diag.span.start, diag.span.end),
        severity=_SEVERITY[diag.severity],
        code=diag.code,
        code_description=lsp.CodeDescription(href=href) if href else None,
        source=SOURCE,
        message="\n".join(lines),
        related_information=related or None,
    )


def diagnostics(diags: list[d.Diagnostic], index: LineIndex, uri: str, support: ClientSupport
                ) -> list[lsp.Diagnostic]:
    return [diagnostic(x, index, uri, support) for x in diags]


def hover(found: Hover, index: LineIndex, support: ClientSupport) -> lsp.Hover:
    """A hover as a Markdown `gust` code block (plain text for clients without Markdown),
    then the variable's moves and borrows (a list), then the docs."""
    if support.markdown_hover:
        value = f"```{found.language}\n{found.signature}\n```"
        if found.notes:
            value += "\n\n" + "\n".join(f"- {note}" for note in found.notes)
        if found.docs:
            value += f"\n\n---\n\n{found.docs}"
        content = lsp.MarkupContent(kind=lsp.MarkupKind.Markdown, value=value)
    else:
        value = "\n\n".join([found.signature, *(["\n".join(found.notes)] if found.notes
                                                  else []), *([found.docs] if found.docs
                                                              else [])])
        content = lsp.MarkupContent(kind=lsp.MarkupKind.PlainText, value=value)
    return lsp.Hover(contents=content,
                     range=lsp_range(index, found.span.start, found.span.end))


def text_edits(edits: Sequence[TextEdit], index: LineIndex) -> list[lsp.TextEdit]:
    """Formatting edits (offsets into the text `index` was built from) as LSP edits."""
    return [lsp.TextEdit(range=lsp_range(index, e.start, e.end), new_text=e.text)
            for e in edits]


def code_action(fix: QuickFix, index: LineIndex, uri: str, version: int | None,
                support: ClientSupport) -> lsp.CodeAction:
    """A quick fix as a `quickfix` CodeAction that edits the document at `version`, linked
    to the diagnostic it fixes (converted exactly as it was published)."""
    edits: list[lsp.TextEdit | lsp.AnnotatedTextEdit | lsp.SnippetTextEdit] = [
        *text_edits(fix.edits, index)]
    workspace_edit = lsp.WorkspaceEdit(document_changes=[lsp.TextDocumentEdit(
        text_document=lsp.OptionalVersionedTextDocumentIdentifier(uri=uri, version=version),
        edits=edits)])
    return lsp.CodeAction(title=fix.title, kind=lsp.CodeActionKind.QuickFix,
                          diagnostics=[diagnostic(fix.diagnostic, index, uri, support)],
                          is_preferred=fix.preferred or None, edit=workspace_edit)


_SYMBOL_KINDS = {
    "struct": lsp.SymbolKind.Struct, "enum": lsp.SymbolKind.Enum,
    "field": lsp.SymbolKind.Field, "variant": lsp.SymbolKind.EnumMember,
    "function": lsp.SymbolKind.Function, "method": lsp.SymbolKind.Method,
    "impl": lsp.SymbolKind.Object, "trait": lsp.SymbolKind.Interface,
    "module": lsp.SymbolKind.Module, "constant": lsp.SymbolKind.Constant,
    "static": lsp.SymbolKind.Variable, "alias": lsp.SymbolKind.TypeParameter,
}


def document_symbols(symbols: Sequence[DocSymbol], index: LineIndex, uri: str,
                     support: ClientSupport
                     ) -> list[lsp.DocumentSymbol] | list[lsp.SymbolInformation]:
    """The outline: nested `DocumentSymbol`s, or flat `SymbolInformation`s (with their
    container's name) for clients without hierarchical support."""
    if support.hierarchical_symbols:
        return [_document_symbol(s, index) for s in symbols]
    flat: list[lsp.SymbolInformation] = []

    def walk(syms: Sequence[DocSymbol], container: str | None) -> None:
        for s in syms:
            flat.append(lsp.SymbolInformation(
                name=s.name, kind=_SYMBOL_KINDS[s.kind], container_name=container,
                location=lsp.Location(uri=uri, range=lsp_range(index, s.span.start,
                                                               s.span.end))))
            walk(s.children, s.name)

    walk(symbols, None)
    return flat


def _document_symbol(s: DocSymbol, index: LineIndex) -> lsp.DocumentSymbol:
    return lsp.DocumentSymbol(
        name=s.name, kind=_SYMBOL_KINDS[s.kind], detail=s.detail,
        range=lsp_range(index, s.span.start, s.span.end),
        selection_range=lsp_range(index, s.selection.start, s.selection.end),
        children=[_document_symbol(c, index) for c in s.children] or None)


def workspace_symbol(s: WorkspaceSymbol, uri: str, index: LineIndex
                     ) -> lsp.SymbolInformation:
    return lsp.SymbolInformation(
        name=s.name, kind=_SYMBOL_KINDS[s.kind], container_name=s.container,
        location=lsp.Location(uri=uri, range=lsp_range(index, s.span.start, s.span.end)))


def highlights(found: Sequence[Highlight], index: LineIndex) -> list[lsp.DocumentHighlight]:
    kinds = {"read": lsp.DocumentHighlightKind.Read, "write": lsp.DocumentHighlightKind.Write}
    return [lsp.DocumentHighlight(range=lsp_range(index, h.span.start, h.span.end),
                                  kind=kinds[h.kind]) for h in found]


_FOLD_KINDS = {"comment": lsp.FoldingRangeKind.Comment,
               "imports": lsp.FoldingRangeKind.Imports}


def folding_ranges(folds: Sequence[Fold]) -> list[lsp.FoldingRange]:
    """Folds by line (every client supports that; we never send columns), with the
    standard kinds `comment` and `imports` (every client accepts them: the 3.17
    `foldingRangeKind` capability is about kinds beyond the standard ones)."""
    return [lsp.FoldingRange(start_line=f.start_line, end_line=f.end_line,
                             kind=_FOLD_KINDS.get(f.kind) if f.kind is not None else None)
            for f in folds]


def selection_range(spans: Sequence[Span], index: LineIndex) -> lsp.SelectionRange:
    """Nested selection ranges, from the outermost span in."""
    result: lsp.SelectionRange | None = None
    for span in reversed(spans):
        result = lsp.SelectionRange(range=lsp_range(index, span.start, span.end),
                                    parent=result)
    assert result is not None
    return result


def function_loans(found: FunctionLoans, index: LineIndex) -> dict[str, object]:
    """The `gust/loans` result (docs/lsp.md): plain JSON, ranges as LSP ranges."""
    def rng(span: Span) -> dict[str, object]:
        r = lsp_range(index, span.start, span.end)
        return {"start": {"line": r.start.line, "character": r.start.character},
                "end": {"line": r.end.line, "character": r.end.character}}

    return {
        "function": {"name": found.name, "range": rng(found.span)},
        "loans": [{"place": x.place, "kind": "mut" if x.mutable else "shared",
                   "origin": x.origin, "range": rng(x.span),
                   "liveRanges": [rng(s) for s in x.live], "lasting": x.lasting}
                  for x in found.loans],
        "moves": [{"place": m.place, "range": rng(m.span), "into": m.into,
                   "laterUses": [rng(s) for s in m.later_uses]} for m in found.moves],
    }
