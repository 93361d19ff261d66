"""Find references and document highlight: every place a symbol is named, across the
files of the package (plain data; the LSP layer turns it into `Location`s and
`DocumentHighlight`s). Both read the per-item symbol index (gust.ide.index)."""

from __future__ import annotations

from collections.abc import Iterator

from gust.frozen import dataclass
from gust.ide.analysis import AnalysisHost, FileAnalysis, ItemAnalysis
from gust.ide.index import ITEM_LOCAL, Occurrence, Symbol, item_index, occurrence_at
from gust.text import Span


@dataclass(frozen=True, slots=True)
class Reference:
    path: str
    span: Span  # file offsets of the name
    role: str  # "def", "read" or "write"


@dataclass(frozen=True, slots=True)
class Target:
    """The symbol under the cursor, with the item and occurrence that name it there."""

    symbol: Symbol
    item: ItemAnalysis
    occurrence: Occurrence


def target_at(analysis: FileAnalysis, offset: int) -> Target | None:
    """The package symbol named at `offset` (None on std, Go or unresolved names)."""
    item = analysis.item_at(offset)
    if item is None:
        return None
    occ = occurrence_at(item_index(analysis.env, item), offset - item.offset)
    if occ is None or occ.symbol is None:
        return None
    return Target(occ.symbol, item, occ)


def occurrences_of(host: AnalysisHost, path: str, target: Target
                   ) -> Iterator[tuple[str, ItemAnalysis, Occurrence]]:
    """Every occurrence of the target's symbol: in its item for locals, else in every item
    of every file of the package."""
    if target.symbol.kind in ITEM_LOCAL:
        for occ in item_index(host.analyze(path).env, target.item):
            if occ.symbol == target.symbol:
                yield path, target.item, occ
        return
    for p in host.package_of(path):
        analysis = host.analyze(p)
        for item in analysis.items:
            for occ in item_index(analysis.env, item):
                if occ.symbol == target.symbol:
                    yield p, item, occ


def references(host: AnalysisHost, path: str, offset: int,
               include_declaration: bool = True) -> list[Reference]:
    """The references of the name at `offset`, in file order per file (the file of the
    request first)."""
    target = target_at(host.analyze(path), offset)
    if target is None:
        return []
    found = [Reference(p, occ.span.shifted(item.offset), occ.role)
             for p, item, occ in occurrences_of(host, path, target)
             if include_declaration or occ.role != "def"]
    found.sort(key=lambda r: (r.path != path, r.path, r.span.start))
    return found


@dataclass(frozen=True, slots=True)
class Highlight:
    span: Span  # file offsets
    kind: str  # "read" or "write" (a declaration with a value, or an assignment)


def document_highlights(host: AnalysisHost, path: str, offset: int) -> list[Highlight]:
    """The occurrences of the name at `offset` in this file, as read or write."""
    analysis = host.analyze(path)
    target = target_at(analysis, offset)
    if target is None:
        return []
    items = [target.item] if target.symbol.kind in ITEM_LOCAL else list(analysis.items)
    out: list[Highlight] = []
    for item in items:
        for occ in item_index(analysis.env, item):
            if occ.symbol == target.symbol:
                kind = "write" if occ.role in ("def", "write") else "read"
                out.append(Highlight(occ.span.shifted(item.offset), kind))
    return out
