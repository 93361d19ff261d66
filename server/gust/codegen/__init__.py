"""The Go backend: Gust items to readable, gofmt-clean Go.

* `emit_item(env, item)` translates one checked top-level item into a `GoChunk` (Go lines, the
  imports they need, the item-relative Gust line of every Go line, the panic sites, and
  diagnostics for what the backend cannot translate yet). It depends only on its inputs, so
  the caller caches it per item, like the analysis.
* `assemble(chunks, gust_path)` joins chunks into one Go file with a header, merged imports,
  `//line` directives (Go panics and build errors point at the .gust file) and a source map:
  per Go line, the Gust line, and (given the items' offsets) the span of the Gust statement,
  match arm or item it comes from, so that `GoFile.go_ranges` / `GoFile.gust_range` answer
  "which Go is this Gust" and back at statement level.
* `runtime_source()` is `gust_runtime.go`, written beside the generated file: Rust's
  formatting, panics and the generic std types (gust/codegen/runtime/gust_runtime.go); its
  `release` variant is cargo's release profile (integer arithmetic wraps).

Design notes (types, enums, expression-position control flow) are in gust.codegen.gotypes and
gust.codegen.body; docs/architecture.md has the overview.
"""

from __future__ import annotations

import functools
import re
from collections.abc import MutableMapping, Sequence
from typing import Final

from gust import diagnostics as d
from gust.budget import UNLIMITED, Budget
from gust.codegen.context import ItemContext
from gust.codegen.golang import import_line, import_path, prune_imports
from gust.codegen.items import emit_declarations
from gust.codegen.package_names import crate_imports
from gust.frozen import dataclass
from gust.sema.items import ItemEnv
from gust.sema.package import CheckedItem
from gust.text import Span

__all__ = ["SHARED_TYPES_DIR", "GoChunk", "GoFile", "Mapping", "Placed", "assemble", "emit_item",
           "runtime_source", "shared_types_source"]


@dataclass(frozen=True)
class GoChunk:
    """The Go declarations of one top-level item."""

    lines: tuple[str, ...]
    # For each Go line, the 0-based line of the item's text it comes from (None: no line).
    gust_lines: tuple[int | None, ...]
    imports: tuple[str, ...]
    # (item-relative 0-based line, 1-based column, kind) of the expressions that may panic.
    panic_sites: tuple[tuple[int, int, str], ...] = ()
    # What the backend cannot translate yet (item-relative spans); the chunk still compiles.
    diagnostics: tuple[d.Diagnostic, ...] = ()
    # For each Go line, the item-relative span of the Gust construct it comes from.
    gust_spans: tuple[Span | None, ...] = ()
    # Uses of types in error (gust.codegen.context): diagnostics when the file has no other.
    unknown_types: tuple[d.Diagnostic, ...] = ()


@dataclass(frozen=True)
class Mapping:
    """One Go line and the Gust construct (statement, match arm, item) it comes from."""

    gust: Span  # offsets in the .gust text
    go: Span  # offsets in the Go text: the line without its indentation
    go_line: int  # 0-based


@dataclass(frozen=True, slots=True)
class Placed:
    """One item's part of a Go file: `piece` (lines relative to the item) placed at Go line
    `go_line` (its first line, the blank line before the item), for the item starting at
    Gust line `gust_line` and offset `item_offset` (None when `assemble` had no offsets)."""

    go_line: int
    gust_line: int
    item_offset: int | None
    piece: _Piece

    def spans(self) -> list[Span | None]:
        """For each line of the part, the item-relative span of its Gust construct."""
        return [None if o is None else o[1] for o in self.piece.origins]


@dataclass(frozen=True, eq=False)
class GoFile:
    """The Go text, and where its lines come from (worked out from `parts` when first
    asked: most callers want the text alone, on every keystroke)."""

    text: str
    parts: tuple[Placed, ...] = ()
    with_offsets: bool = False

    @functools.cached_property
    def source_map(self) -> tuple[tuple[int, int], ...]:
        """(0-based Gust line, 0-based Go line) for every Go line that comes from a Gust
        line, in Go order."""
        return tuple((part.gust_line + o[0], part.go_line + i) for part in self.parts
                     for i, o in enumerate(part.piece.origins) if o is not None)

    @functools.cached_property
    def line_origins(self) -> tuple[tuple[int, Span] | None, ...]:
        """For each Go line, where its Gust construct is: (item offset, item-relative
        span), or None. Empty when `assemble` was not given the items' offsets."""
        if not self.with_offsets:
            return ()
        origins: list[tuple[int, Span] | None] = [None] * self.text.count("\n")
        for part in self.parts:
            offset = part.item_offset
            for i, o in enumerate(part.piece.origins):
                if o is not None and o[1] is not None and offset is not None:
                    origins[part.go_line + i] = (offset, o[1])
        return tuple(origins)

    @property
    def mappings(self) -> tuple[Mapping, ...]:
        """The finer map, in Go order: each Go line with a Gust construct, and that span."""
        return _mappings(self.text.split("\n"), self.line_origins)

    def go_ranges(self, gust_offset: int) -> list[Span]:
        """The Go of the innermost Gust construct at `gust_offset`: one span of the Go text
        per Go line, in order (a statement may become several Go lines, not always
        adjacent: an `if` header and its `else`)."""
        at = [m for m in self.mappings if m.gust.start <= gust_offset < m.gust.end]
        if not at:
            return []
        inner = min(at, key=lambda m: (m.gust.end - m.gust.start, -m.gust.start)).gust
        return [m.go for m in at if m.gust == inner]

    def gust_range(self, go_offset: int) -> Span | None:
        """The span of the Gust construct the Go line at `go_offset` comes from."""
        line = self.text.count("\n", 0, go_offset)
        for m in self.mappings:
            if m.go_line == line:
                return m.gust
        return None

    def go_lines(self, gust_line: int) -> list[int]:
        """The Go lines generated from a Gust line (0-based)."""
        return [go for gust, go in self.source_map if gust == gust_line]

    def gust_line(self, go_line: int) -> int | None:
        """The Gust line a Go line comes from (0-based), if any."""
        for gust, go in self.source_map:
            if go == go_line:
                return gust
        return None


def emit_item(env: ItemEnv, item: CheckedItem, budget: Budget = UNLIMITED) -> GoChunk:
    """The item's Go. Raises `OutOfTime` (not an `Exception`) when `budget` runs out."""
    ctx = ItemContext.create(env, item.text)
    ctx.types.budget = budget
    try:
        lines = emit_declarations(ctx, item)
    except Exception as exc:  # never raise on bad input: report and emit nothing
        ctx.unsupported(f"this item ({type(exc).__name__}: {exc})", item.item.span)
        lines = []
    prune_imports(ctx.types, [text for text, _ in lines])
    if env.modules.crates:  # kept if the lines name the package (`_used_imports`)
        ctx.imports.update(crate_imports(env))
    return GoChunk(
        lines=tuple(text for text, _ in lines),
        gust_lines=tuple(None if gline is None else int(gline) for _, gline in lines),
        gust_spans=tuple(getattr(gline, "span", None) for _, gline in lines),
        imports=_used_imports(ctx.imports, [text for text, _ in lines]),
        panic_sites=tuple(ctx.panic_sites),
        diagnostics=tuple(ctx.diagnostics),
        unknown_types=tuple(ctx.unknown_types),
    )


def _used_imports(imports: set[str], lines: list[str]) -> tuple[str, ...]:
    """The imports the lines mention: an emitter may note an import for Go it then does
    not write (an iterator held in a `:=` temporary needs no `iter.Seq`), and Go rejects
    an unused import."""
    text = "\n".join(lines)
    used = []
    for imp in sorted(imports):
        name = imp.split()[0] if " " in imp else imp.rsplit("/", 1)[-1]
        if re.search(rf"(?<![\w.]){re.escape(name)}\.", text):
            used.append(imp)
    return tuple(used)


def assemble(chunks: Sequence[tuple[int, GoChunk]], gust_path: str,
             package: str = "main", offsets: Sequence[int] | None = None,
             memos: Sequence[MutableMapping[str, object]] | None = None,
             line_path: str | None = None) -> GoFile:
    """The Go file for the chunks of a .gust file; each chunk comes with the 0-based line
    where its item starts, and `offsets` (if given) has the offset of each item in the
    file, for the statement-level source map.

    Each chunk's part of the file (its lines, `//line` directives and origins, relative
    to its item's first line) depends only on the chunk and on where the directives of the
    chunks before it left off, relative to it. A caller that keeps a dict per chunk
    (`memos`, one per chunk, e.g. the item's analysis memo) gets the parts cached there:
    after an edit that moves the items below it, only the edited item's part is worked
    out again, the rest is copied with its line numbers shifted."""
    # `line_path` is the .gust file as the `//line` directives name it (default
    # `gust_path`): Go reads a relative one from the directory of the Go file, so a file
    # written elsewhere names it from there; panic messages still show `gust_path` (the
    # runtime matches the two by suffix).
    directive_path = gust_path if line_path is None else line_path
    out: list[str] = [f"// Code generated by gust from {gust_path}. DO NOT EDIT.", "",
                      f"package {package}"]
    # An import is `path` or `alias path` (gust.codegen.golang); gofmt sorts them by path,
    # then by name (none first).
    imports = sorted({imp for _, chunk in chunks for imp in chunk.imports},
                     key=lambda imp: (import_path(imp), imp.rpartition(" ")[0]))
    if len(imports) == 1:
        out += ["", f"import {import_line(imports[0])}"]
    elif imports:
        out += ["", "import ("] + [f"\t{import_line(imp)}" for imp in imports] + [")"]
    current: int | None = None  # the Gust line (0-based) Go attributes to the next line
    previous: int | None = None  # the Gust line of the last mapped Go line
    sites: list[tuple[int, int, str]] = []
    parts: list[Placed] = []
    for index, (start, chunk) in enumerate(chunks):
        if not chunk.lines:
            continue
        piece = _piece(chunk, start, current, previous,
                       memos[index] if memos is not None else None)
        parts.append(Placed(len(out), start, offsets[index] if offsets is not None else None,
                            piece))
        out.extend([line if isinstance(line, str) else
                    f"//line {directive_path}:{start + line + 1}" for line in piece.lines])
        current = None if piece.current is None else start + piece.current
        previous = None if piece.previous is None else start + piece.previous
        sites += [(start + line, col, kind) for line, col, kind in piece.sites]
    if parts:
        listed = " ".join(f"{line + 1}:{col}:{kind}" for line, col, kind in sorted(sites))
        out += ["", "// The .gust file, and the columns of the expressions that may panic, for",
                "// panic messages that show the same file:line:column as rustc's build.",
                f"var _ = gustPanicSites({_go_quote(gust_path)}, {_go_quote(listed)})"]
    return GoFile("\n".join(out) + "\n", tuple(parts), offsets is not None)


@dataclass(frozen=True, slots=True)
class _Piece:
    """A chunk's part of the Go file, line numbers relative to its item's first line: the
    lines (a blank line first; an int is a `//line` directive for that Gust line), each
    line's origin (Gust line and item-relative span) and where directives left off
    (`current`, `previous`, as in `assemble`)."""

    lines: tuple[str | int, ...]
    origins: tuple[tuple[int, Span | None] | None, ...]
    current: int | None
    previous: int | None
    # The chunk's panic sites, sorted, without duplicates (item-relative lines).
    sites: tuple[tuple[int, int, str], ...]


def _piece(chunk: GoChunk, start: int, current: int | None, previous: int | None,
           memo: MutableMapping[str, object] | None) -> _Piece:
    """The chunk's part of the file, given where the directives before it left off
    (absolute lines); from `memo` when it was worked out for the same relative state."""
    rel_current = None if current is None else current - start
    rel_previous = None if previous is None else previous - start
    # `start` matters only near the top of the file (see `_directive`'s look-back).
    key = (rel_current, rel_previous, min(start, len(chunk.lines)))
    if memo is not None:
        cached = memo.get("go_piece")
        if isinstance(cached, tuple) and cached[0] == key:
            piece: _Piece = cached[1]
            return piece
    piece = _make_piece(chunk, start, rel_current, rel_previous)
    if memo is not None:
        memo["go_piece"] = (key, piece)
    return piece


def _make_piece(chunk: GoChunk, start: int, current: int | None, previous: int | None
                ) -> _Piece:
    out: list[str | int] = [""]
    origins: list[tuple[int, Span | None] | None] = [None]
    if current is not None:
        current += 1
    spans = chunk.gust_spans or (None,) * len(chunk.lines)
    for text, rel, span in zip(chunk.lines, chunk.gust_lines, spans, strict=True):
        origin: tuple[int, Span | None] | None = None
        if rel is not None:
            # A line continuing the previous Gust line needs no directive of its own
            # unless it can panic (then the panic must name the right line).
            if current != rel and (rel != previous or _may_panic(text)):
                _directive(out, origins, start, rel)
                current = rel
            previous = rel
            origin = (rel, span)
        out.append(text)
        origins.append(origin)
        if current is not None:
            current += 1
    return _Piece(tuple(out), tuple(origins), current, previous,
                  tuple(sorted(set(chunk.panic_sites))))


def _mappings(lines: list[str], origins: tuple[tuple[int, Span] | None, ...]
              ) -> tuple[Mapping, ...]:
    result: list[Mapping] = []
    offset = 0
    # `lines` has one more entry than `origins`: the empty text after the last newline.
    for i, (line, origin) in enumerate(zip(lines, origins, strict=False)):
        if origin is not None:
            item_offset, span = origin
            indent = len(line) - len(line.lstrip("\t"))
            result.append(Mapping(span.shifted(item_offset),
                                  Span(offset + indent, offset + len(line)), i))
        offset += len(line) + 1
    return tuple(result)


_MAY_PANIC: Final = re.compile(r"[(\[/%]")


def _may_panic(line: str) -> bool:
    """Whether a Go line may panic at run time (calls, indexing, division)."""
    return _MAY_PANIC.search(line) is not None


def _directive(out: list[str | int], origins: list[tuple[int, Span | None] | None],
               start: int, target: int) -> None:
    """A `//line` directive (an int in a piece: its item-relative Gust line) for the next
    line. Go's doc comments must not hold one (gofmt moves it to the comment's end, after
    a `//` line), so a directive goes above a comment just before it, with a blank line
    between them (two comment groups). `out` starts with the blank line that separates
    items, so the look-back never leaves the item."""
    k = len(out)
    while k > 0 and _is_comment(out[k - 1]):
        k -= 1
    above = len(out) - k
    if above and start + target - above - 1 >= 0:
        if k > 1 and out[k - 1] == "" and _is_directive(out[k - 2]):
            out[k - 2] = target - above - 1
        else:
            out[k:k] = [target - above - 1, ""]
            origins[k:k] = [None, None]
    else:
        out.append(target)
        origins.append(None)


def _is_comment(line: str | int) -> bool:
    return isinstance(line, str) and line.startswith("//") and not line.startswith("//line ")


def _is_directive(line: str | int) -> bool:
    return isinstance(line, int) or line.startswith("//line ")


def _go_quote(text: str) -> str:
    from gust.codegen.goast import go_string

    return go_string(text)


@functools.cache
def _runtime_text(name: str = "gust_runtime.go") -> str:
    import importlib.resources  # (only `gust build` reads the runtime)

    path = importlib.resources.files("gust.codegen").joinpath("runtime/" + name)
    return path.read_text(encoding="utf-8")


# Where the runtime file's types go (gust_types.go's, or aliases of them).
_TYPES_MARK: Final = "//gust:types\n"
SHARED_TYPES_DIR: Final = "internal/gustrt"


def shared_types_source() -> str:
    """`gust_types.go` of the Go package `gustrt`: the types of `Option`, `Result` and
    tuples, written once per Go module (in `SHARED_TYPES_DIR` under its root) so that
    the module's Gust packages share them."""
    return _runtime_text("gust_types.go")


# gust_types.go's import block (its JSON methods' packages).
_TYPES_IMPORTS: Final = re.compile(r"^import \(\n(.*?)\n\)\n", re.M | re.S)


def _types_body() -> str:
    """gust_types.go's declarations, without its header, package clause and imports
    (`_types_imports`: a package built alone imports them in its runtime file's block)."""
    text = shared_types_source()
    body = text[text.index("\npackage gustrt\n") + len("\npackage gustrt\n"):]
    return _TYPES_IMPORTS.sub("", body.lstrip("\n"), count=1).lstrip("\n")


def _types_imports() -> list[str]:
    """The import lines of gust_types.go (`\t"encoding/json"`)."""
    found = _TYPES_IMPORTS.search(shared_types_source())
    return found.group(1).split("\n") if found else []


def _with_imports(text: str, lines: list[str]) -> str:
    """`text` (a Go file) with `lines` added to its import block, sorted as gofmt does."""
    start = text.index("\nimport (\n") + len("\nimport (\n")
    end = text.index("\n)\n", start)
    merged = sorted(set(text[start:end].split("\n")) | set(lines),
                    key=lambda line: line.split()[-1])
    return text[:start] + "\n".join(merged) + text[end:]


def _type_aliases(import_path: str) -> str:
    """The runtime's names for the shared types: `type Option[T any] = gustrt.Option[T]`,
    `type Char = gustrt.Char`."""
    out = [f"type {name} = gustrt.{name}"
           for name in re.findall(r"^type ([A-Z]\w*) \w+$", shared_types_source(), re.M)]
    # (Exported types only: the unexported are gustrt's own helpers.)
    for match in re.finditer(r"^type ([A-Z]\w*)\[([^\]]*)\] struct", shared_types_source(),
                             re.M):
        name, params = match.group(1), match.group(2)
        args = ", ".join(p.strip().split()[0] for p in params.split(","))
        out.append(f"type {name}[{params}] = gustrt.{name}[{args}]")
    return (f"// The types of chars, Option, Result and tuples are the module's ({import_path}),\n"
            "// so that values of them pass between its Gust packages.\n" + "\n\n".join(out)
            + "\n")


# The line of the runtime that chooses the profile (see `runtime_source`).
_OVERFLOW_CHECKS: Final = "\nconst gustOverflowChecks = true\n"


def runtime_source(package: str = "main", release: bool = False,
                   shared_types: str | None = None) -> str:
    """The runtime file `gust_runtime.go` for the given Go package.

    `release` is cargo's release profile (`overflow-checks = false`): integer `+`, `-`, `*`,
    negation, shifts, `pow`, `abs`, `sum` and `product` wrap as in `rustc -O` instead of
    panicking. The generated Go is the same in both profiles (so each item's Go is cached
    once, and the editor shows one text); only the runtime's constant `gustOverflowChecks`
    differs, and the Go compiler removes the checks it guards.

    With `shared_types` (the import path of the module's `gustrt` package,
    `shared_types_source`), its `Option`, `Result` and tuple types are that package's;
    without, its own."""
    from gust.codegen.conversions import conversion_constraints

    text = _runtime_text().replace("\npackage main\n", f"\npackage {package}\n", 1)
    text += "\n" + conversion_constraints()
    if release:
        assert _OVERFLOW_CHECKS in text
        text = text.replace(_OVERFLOW_CHECKS, _OVERFLOW_CHECKS.replace("true", "false"), 1)
    if shared_types is None:
        return _with_imports(text, _types_imports()).replace(_TYPES_MARK, _types_body(), 1)
    start = text.index("\nimport (\n")
    end = text.index("\n)\n", start)
    text = f"{text[:end]}\n\n\tgustrt {_go_quote(shared_types)}{text[end:]}"
    return text.replace(_TYPES_MARK, _type_aliases(shared_types), 1)
