"""Completion, signature help and inlay hints over LSP: what the client supports, the
handlers, and the conversion of gust.ide's plain data to LSP types.

`register(server)` adds the handlers (each guarded like the server's others) and their
options; everything else here is a pure function of the data and the client's capabilities.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from lsprotocol import types as lsp

from gust.frozen import dataclass
from gust.ide.completion import Completion, completions
from gust.ide.cursor import snapshot
from gust.ide.docs import documentation, documentations
from gust.ide.inlay_hints import InlayHint, inlay_hints
from gust.ide.signature_help import SignatureHelp, signature_help
from gust.lsp.documents import Document, lsp_position, offset_at
from gust.text import LineIndex

if TYPE_CHECKING:
    from gust.lsp.server import GustLanguageServer

K = lsp.CompletionItemKind
# Each completion kind, with what to send a client that does not list it in its
# `completionItemKind.valueSet` (LSP 3.0's kinds, 1-18, are always supported).
_KINDS: dict[str, tuple[K, K]] = {
    "field": (K.Field, K.Field), "method": (K.Method, K.Method),
    "function": (K.Function, K.Function), "variant": (K.EnumMember, K.Enum),
    "struct": (K.Struct, K.Class), "enum": (K.Enum, K.Enum),
    "trait": (K.Interface, K.Interface), "module": (K.Module, K.Module),
    "constant": (K.Constant, K.Value), "static": (K.Variable, K.Variable),
    "type": (K.Struct, K.Class), "type_param": (K.TypeParameter, K.Class),
    "variable": (K.Variable, K.Variable), "keyword": (K.Keyword, K.Keyword),
    "macro": (K.Function, K.Function),
}
_BASE_KINDS = frozenset(range(1, 19))


@dataclass(frozen=True, slots=True)
class AssistSupport:
    """The client capabilities that change what completion, signature help and inlay
    hints send."""

    snippets: bool = False
    # `completionItem/resolve` may fill `documentation` (else it is sent with the item).
    resolve_docs: bool = False
    completion_markdown: bool = False
    label_details: bool = False
    kinds: frozenset[int] = _BASE_KINDS
    signature_markdown: bool = False
    label_offsets: bool = False
    active_parameter: bool = False

    @staticmethod
    def of(caps: lsp.ClientCapabilities | None) -> AssistSupport:
        td = caps.text_document if caps is not None else None
        completion = td.completion if td is not None else None
        item = completion.completion_item if completion is not None else None
        kinds = completion.completion_item_kind if completion is not None else None
        resolve = item.resolve_support if item is not None else None
        sig = td.signature_help if td is not None else None
        info = sig.signature_information if sig is not None else None
        params = info.parameter_information if info is not None else None
        return AssistSupport(
            snippets=bool(item is not None and item.snippet_support),
            resolve_docs=resolve is not None and "documentation" in resolve.properties,
            completion_markdown=_markdown_first(item.documentation_format
                                                if item is not None else None),
            label_details=bool(item is not None and item.label_details_support),
            kinds=_BASE_KINDS | {int(k) for k in (kinds.value_set or ())}
            if kinds is not None else _BASE_KINDS,
            signature_markdown=_markdown_first(info.documentation_format
                                               if info is not None else None),
            label_offsets=bool(params is not None and params.label_offset_support),
            active_parameter=bool(info is not None and info.active_parameter_support),
        )


def _markdown_first(formats: Sequence[lsp.MarkupKind] | None) -> bool:
    """Whether Markdown is the client's preferred documentation format."""
    return bool(formats) and formats is not None and formats[0] == lsp.MarkupKind.Markdown


# ---------------------------------------------------------------- registration


def register(server: GustLanguageServer) -> None:
    """Add the completion, signature help and inlay hint handlers to `server`."""
    handlers: list[tuple[str, Any, Any]] = [
        (lsp.TEXT_DOCUMENT_COMPLETION, lambda p: on_completion(server, p),
         lsp.CompletionOptions(trigger_characters=[".", ":"], resolve_provider=True)),
        (lsp.COMPLETION_ITEM_RESOLVE, lambda p: on_resolve(server, p), None),
        (lsp.TEXT_DOCUMENT_SIGNATURE_HELP, lambda p: on_signature_help(server, p),
         lsp.SignatureHelpOptions(trigger_characters=["(", ","], retrigger_characters=[")"])),
        (lsp.TEXT_DOCUMENT_INLAY_HINT, lambda p: on_inlay_hint(server, p),
         lsp.InlayHintOptions(resolve_provider=False)),
    ]
    for method, fn, options in handlers:
        guarded = server._guard_request(method, fn)
        if options is None:
            server.feature(method)(guarded)
        else:
            server.feature(method, options)(guarded)


def _support(server: GustLanguageServer) -> AssistSupport:
    try:
        caps = server.client_capabilities
    except Exception:
        caps = None
    return AssistSupport.of(caps)


def _document(server: GustLanguageServer, uri: str, line: int | None = None
              ) -> Document | None:
    doc = server.docs.get(uri)
    if doc is None or (line is not None and line >= doc.index.line_count):
        return None
    return doc


# ---------------------------------------------------------------- completion


def on_completion(server: GustLanguageServer, params: lsp.CompletionParams
                  ) -> lsp.CompletionList | None:
    doc = _document(server, params.text_document.uri, params.position.line)
    if doc is None:
        return None
    # The text as typed, with the environment of the last analysis: completion does not
    # wait for the keystroke's own analysis (gust.ide.cursor).
    server.host.set_text(doc.path, doc.text, doc.version)
    found = completions(snapshot(server.host, doc.path), offset_at(doc.index, params.position))
    support = _support(server)
    # Clients that cannot resolve documentation lazily get it with every item.
    docs = {} if support.resolve_docs else documentations(
        server.host, doc.path, [c.doc for c in found if c.doc is not None])
    items = [completion_item(c, support, doc.uri, docs.get(c.doc) if c.doc else None)
             for c in found]
    return lsp.CompletionList(is_incomplete=False, items=items)


def completion_item(c: Completion, support: AssistSupport, uri: str, docs: str | None
                    ) -> lsp.CompletionItem:
    """One completion; its documentation comes with it (`docs`) or on resolve (`data`)."""
    preferred, fallback = _KINDS.get(c.kind, (K.Text, K.Text))
    kind = preferred if int(preferred) in support.kinds else fallback
    snippet = c.snippet if support.snippets else None
    label_details = None
    if support.label_details and c.snippet is not None and c.kind in ("method", "function"):
        label_details = lsp.CompletionItemLabelDetails(
            detail="()" if c.snippet.endswith("()$0") else "(…)")
    data = {"uri": uri, "doc": list(c.doc)} if c.doc is not None and support.resolve_docs \
        else None
    return lsp.CompletionItem(
        label=c.label, kind=kind, detail=c.detail, label_details=label_details,
        sort_text=f"{c.sort}{c.label.lower()}",
        insert_text=snippet,
        insert_text_format=lsp.InsertTextFormat.Snippet if snippet is not None else None,
        documentation=_markup(docs, support.completion_markdown) if docs else None,
        data=data)


def on_resolve(server: GustLanguageServer, item: lsp.CompletionItem) -> lsp.CompletionItem:
    """Fill in the item's documentation (its doc comments, or a Go symbol's Go doc)."""
    data = item.data
    if not isinstance(data, dict) or item.documentation is not None:
        return item
    ref, uri = data.get("doc"), data.get("uri")
    doc = server.docs.get(uri) if isinstance(uri, str) else None
    if doc is None or not (isinstance(ref, list) and len(ref) == 3
                           and all(isinstance(x, str) for x in ref)):
        return item
    server.host.set_text(doc.path, doc.text, doc.version)
    docs = documentation(server.host, doc.path, (ref[0], ref[1], ref[2]))
    if docs:
        item.documentation = _markup(docs, _support(server).completion_markdown)
    return item


def _markup(text: str, markdown: bool) -> lsp.MarkupContent:
    kind = lsp.MarkupKind.Markdown if markdown else lsp.MarkupKind.PlainText
    return lsp.MarkupContent(kind=kind, value=text)


# ---------------------------------------------------------------- signature help


def on_signature_help(server: GustLanguageServer, params: lsp.SignatureHelpParams
                      ) -> lsp.SignatureHelp | None:
    doc = _document(server, params.text_document.uri, params.position.line)
    if doc is None:
        return None
    server.host.set_text(doc.path, doc.text, doc.version)
    found = signature_help(server.host, doc.path, offset_at(doc.index, params.position))
    return signature(found, _support(server)) if found is not None else None


def signature(found: SignatureHelp, support: AssistSupport) -> lsp.SignatureHelp:
    sig = found.signature
    label = sig.label()
    parameters = []
    for start, end in sig.param_offsets():
        where: str | tuple[int, int] = (_utf16(label[:start]), _utf16(label[:end])) \
            if support.label_offsets else label[start:end]
        parameters.append(lsp.ParameterInformation(label=where))
    docs = _markup(found.docs, support.signature_markdown) if found.docs else None
    active = found.active_parameter
    info = lsp.SignatureInformation(
        label=label, documentation=docs, parameters=parameters,
        active_parameter=active if support.active_parameter else None)
    return lsp.SignatureHelp(signatures=[info], active_signature=0, active_parameter=active)


def _utf16(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


# ---------------------------------------------------------------- inlay hints

_HINT_KINDS = {"type": lsp.InlayHintKind.Type, "parameter": lsp.InlayHintKind.Parameter}


def on_inlay_hint(server: GustLanguageServer, params: lsp.InlayHintParams
                  ) -> list[lsp.InlayHint]:
    doc = _document(server, params.text_document.uri)
    if doc is None:
        return []
    index = doc.index
    start = offset_at(index, params.range.start)
    end = offset_at(index, params.range.end)
    hints = inlay_hints(server.analysis(doc), min(start, end), max(start, end))
    return [inlay_hint(h, index) for h in hints]


def inlay_hint(h: InlayHint, index: LineIndex) -> lsp.InlayHint:
    position = lsp_position(index, h.offset)
    edits = [lsp.TextEdit(range=lsp.Range(start=position, end=position), new_text=h.insert)] \
        if h.insert is not None else None
    return lsp.InlayHint(position=position, label=h.label, kind=_HINT_KINDS.get(h.kind),
                         padding_left=h.padding_left or None,
                         padding_right=h.padding_right or None,
                         tooltip=h.tooltip, text_edits=edits)
