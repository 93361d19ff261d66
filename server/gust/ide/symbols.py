"""Document symbols (the outline: structs with their fields, enums with their variants,
impls with their methods, traits, modules) and workspace symbols (a fuzzy search over
every file the host knows), as plain data."""

from __future__ import annotations

from gust.frozen import dataclass
from gust.ide.analysis import AnalysisHost
from gust.syntax import ast
from gust.syntax.source import SourceFile
from gust.text import Span


@dataclass(frozen=True, slots=True)
class DocSymbol:
    name: str
    # struct, enum, field, variant, function, method, impl, trait, module, constant,
    # static, alias
    kind: str
    span: Span  # file offsets of the whole declaration
    selection: Span  # file offsets of its name
    detail: str | None = None
    children: tuple[DocSymbol, ...] = ()


def document_symbols(source: SourceFile) -> list[DocSymbol]:
    """The outline of a file, in file order (from its parse alone: no checking needed)."""
    out: list[DocSymbol] = []
    for node in source.items:
        top = node.item
        if top is not None:
            sym = _symbol(top, node.offset, source.text)
            if sym is not None:
                out.append(sym)
    return out


def _symbol(item: ast.Item, offset: int, text: str) -> DocSymbol | None:
    span = item.span.shifted(offset)

    def make(name: str, kind: str, name_span: Span, detail: str | None = None,
             children: tuple[DocSymbol, ...] = ()) -> DocSymbol:
        return DocSymbol(name, kind, span, name_span.shifted(offset), detail, children)

    match item:
        case ast.FnDecl():
            kind = "method" if item.self_param is not None else "function"
            return make(item.name, kind, item.name_span, _signature(item, offset, text))
        case ast.StructDecl():
            return make(item.name, "struct", item.name_span, None,
                        _fields(item.fields, offset, text))
        case ast.EnumDecl():
            variants = tuple(DocSymbol(v.name, "variant", v.span.shifted(offset),
                                       v.name_span.shifted(offset), None,
                                       _fields(v.fields, offset, text))
                             for v in item.variants)
            return make(item.name, "enum", item.name_span, None, variants)
        case ast.ImplDecl():
            self_text = _text(item.self_ty.span, offset, text)
            name = f"impl {_text(item.trait_.span, offset, text)} for {self_text}" \
                if item.trait_ is not None else f"impl {self_text}"
            return make(name, "impl", item.self_ty.span, None,
                        _members(item.members, offset, text))
        case ast.TraitDecl():
            return make(item.name, "trait", item.name_span, None,
                        _members(item.members, offset, text))
        case ast.ModDecl():
            return make(item.name, "module", item.name_span, None,
                        _members(item.items or (), offset, text))
        case ast.ConstDecl():
            return make(item.name, "constant", item.name_span,
                        _text(item.ty.span, offset, text))
        case ast.StaticDecl():
            return make(item.name, "static", item.name_span, _text(item.ty.span, offset, text))
        case ast.TypeAliasDecl():
            return make(item.name, "alias", item.name_span,
                        _text(item.ty.span, offset, text) if item.ty is not None else None)
    return None


def _members(items: tuple[ast.Item, ...], offset: int, text: str) -> tuple[DocSymbol, ...]:
    return tuple(s for s in (_symbol(m, offset, text) for m in items) if s is not None)


def _fields(fields: tuple[ast.FieldDef, ...], offset: int, text: str
            ) -> tuple[DocSymbol, ...]:
    return tuple(DocSymbol(f.name, "field", f.span.shifted(offset),
                           f.name_span.shifted(offset), _text(f.ty.span, offset, text))
                 for f in fields if f.name is not None)


def _text(span: Span, offset: int, text: str) -> str:
    return " ".join(text[span.start + offset : span.end + offset].split())


def _signature(fn: ast.FnDecl, offset: int, text: str) -> str:
    """`fn(x: i32) -> i32`: the parameters and return type as written."""
    start = fn.name_span.end
    end = fn.signature_span.end
    return "fn" + " ".join(text[start + offset : end + offset].split()).rstrip(";")


@dataclass(frozen=True, slots=True)
class WorkspaceSymbol:
    name: str
    kind: str
    path: str
    span: Span  # file offsets of the name
    container: str | None  # the struct, enum, impl, trait or module it is declared in


def workspace_symbols(host: AnalysisHost, query: str, limit: int = 256
                      ) -> list[WorkspaceSymbol]:
    """The symbols of every file the host knows whose name matches `query` fuzzily (its
    characters in order, case-insensitively), best matches first. Files are only parsed
    (with the host's parse caches), not checked."""
    scored: list[tuple[tuple[int, int, str], WorkspaceSymbol]] = []
    for path in sorted(host.paths()):
        for sym, container in _flatten(document_symbols(host.syntax(path)), None):
            score = fuzzy_score(query, sym.name)
            if score is not None:
                scored.append(((score, len(sym.name), sym.name),
                               WorkspaceSymbol(sym.name, sym.kind, path, sym.selection,
                                               container)))
    scored.sort(key=lambda s: s[0])
    return [s for _, s in scored[:limit]]


def _flatten(symbols: list[DocSymbol] | tuple[DocSymbol, ...], container: str | None
             ) -> list[tuple[DocSymbol, str | None]]:
    out: list[tuple[DocSymbol, str | None]] = []
    for s in symbols:
        out.append((s, container))
        out.extend(_flatten(s.children, s.name))
    return out


def fuzzy_score(query: str, name: str) -> int | None:
    """How well `name` matches `query` (lower is better), None if it does not: an exact
    match, then a prefix, then a substring, then the query's characters in order."""
    if not query:
        return 3
    q, n = query.lower(), name.lower()
    if q == n:
        return 0
    if n.startswith(q):
        return 1
    if q in n:
        return 2
    i = 0
    for ch in n:
        if i < len(q) and ch == q[i]:
            i += 1
    return 3 if i == len(q) else None
