"""The Go generated for one file, as plain data, cached per item.

`generated_go(analysis, cache)` answers "show generated Go" in the editor. Codegen works
item by item (`gust.codegen.emit_item`), so each item's Go chunk is cached by the same key
the analysis uses for its check results: the item's text and the environment key (every
item's signature text). Typing inside one function re-emits that function only; the file is
then re-assembled from the chunks (`gust.codegen.assemble`), which places each chunk at its
item's line for the `//line` directives.

No I/O, no LSP types: the server decides when to compute it and what to send.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, cast

from gust import codegen
from gust.ide.analysis import FileAnalysis
from gust.sema.items import signature_key
from gust.text import LineIndex

# The comment `text` holds when there is no Go to show. Go comments, so a client can
# always display `text` as a Go file.
NO_GO_ERRORS = "// No Go yet: {name} has errors. Fix them to see the generated Go.\n"
NO_CODEGEN = "// Generated Go is not available yet: this build of gust has no Go code generator.\n"


@dataclass(frozen=True, slots=True)
class GeneratedGo:
    """`text` is the Go for the file when `ok`; otherwise a Go comment saying why not."""

    text: str
    ok: bool


@dataclass
class GoCache:
    """Emitted chunks of one file, by (item text, environment key).

    Only the chunks used by the last call are kept, so the cache holds one file's worth of
    chunks however long the editing session.
    """

    chunks: dict[tuple[str, int], Any] = field(default_factory=dict)
    # Chunks emitted (not found in the cache) by the last call, for tests and benchmarks.
    emitted: int = 0


def _codegen_api() -> tuple[Callable[..., Any], Callable[..., Any]] | None:
    """The code generator's `emit_item` and `assemble`, if this build has them."""
    emit = getattr(codegen, "emit_item", None)
    assemble = getattr(codegen, "assemble", None)
    if callable(emit) and callable(assemble):
        return emit, assemble
    return None


def env_key(analysis: FileAnalysis) -> int:
    """The key of the item environment: what every item's emitted Go may depend on."""
    return hash("\x01".join(signature_key(n.item, n.parsed.text)
                            for n in analysis.source.items))


def generated_go(analysis: FileAnalysis, cache: GoCache) -> GeneratedGo:
    """The Go for `analysis`'s file, or why there is none.

    A file with errors gets no Go: codegen may assume a checked program, and half-generated
    Go would only mislead. The caller keeps the last good text for that case.
    """
    name = analysis.path.rsplit("/", 1)[-1] or "this file"
    if analysis.has_errors:
        return GeneratedGo(NO_GO_ERRORS.format(name=name), ok=False)
    api = _codegen_api()
    if api is None:
        return GeneratedGo(NO_CODEGEN, ok=False)
    emit, assemble = api
    checked = analysis.checked()
    key = env_key(analysis)
    lines = LineIndex(analysis.text) if checked.items else None
    chunks: list[tuple[int, Any]] = []
    fresh: dict[tuple[str, int], Any] = {}
    cache.emitted = 0
    for item in checked.items:
        item_key = (item.text, key)
        chunk = fresh.get(item_key) or cache.chunks.get(item_key)
        if chunk is None:
            chunk = emit(checked.env, item)
            cache.emitted += 1
        fresh[item_key] = chunk
        assert lines is not None
        chunks.append((lines.line_of(item.offset), chunk))
    cache.chunks = fresh
    go_file = assemble(cast(Sequence[tuple[int, Any]], chunks), analysis.path, package="main")
    return GeneratedGo(str(go_file.text), ok=True)
