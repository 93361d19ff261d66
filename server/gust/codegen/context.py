"""State shared by everything emitted for one top-level item."""

from __future__ import annotations

from dataclasses import field

from gust import diagnostics as d
from gust.codegen.gotypes import Types
from gust.frozen import dataclass
from gust.sema.items import ItemEnv
from gust.text import LineIndex, Span

# The code of "the Go backend cannot translate this yet" (not a rustc code: rustc accepts
# such programs; Gust cannot build them yet).
UNSUPPORTED = "unsupported"


class GustLine(int):
    """The 0-based Gust line a Go line comes from (an int: what `//line` directives need)
    that also remembers the item-relative span it was computed from (what the source map
    needs). The emitter passes these through untouched (`gline` parameters everywhere), so
    the span reaches `emit_item` without widening every signature. (Typed `GustLine` or
    `int | None` where it is passed, never a bare `int`: the compiled build (gust.native)
    would make it a plain machine integer there, and lose the span.)"""

    span: Span

    def __new__(cls, line: int, span: Span) -> GustLine:
        self = super().__new__(cls, line)
        self.span = span
        return self


@dataclass
class ItemContext:
    env: ItemEnv
    text: str
    types: Types
    imports: set[str]
    lines: LineIndex
    diagnostics: list[d.Diagnostic] = field(default_factory=list)
    # Uses of types in error (see `unsupported`), reported only by a file without errors.
    unknown_types: list[d.Diagnostic] = field(default_factory=list)
    # (item-relative 0-based line, 1-based column, kind) of expressions that may panic.
    panic_sites: list[tuple[int, int, str]] = field(default_factory=list)
    # (start, end) of the expression inside parentheses -> where its outermost `(` is:
    # rustc reports a panic in `(a >> n)` at the `(` (its spans include the parentheses).
    paren_starts: dict[tuple[int, int], int] = field(default_factory=dict)

    @classmethod
    def create(cls, env: ItemEnv, text: str) -> ItemContext:
        imports: set[str] = set()
        return cls(env, text, Types(env, imports), imports, LineIndex(text))

    def gline(self, span: Span) -> GustLine:
        return GustLine(self.lines.line_of(span.start), span)

    def site(self, offset: int, kind: str) -> None:
        pos = self.lines.position(offset)
        self.panic_sites.append((pos.line, pos.column + 1, kind))

    def site_of(self, span: Span, kind: str) -> None:
        """A panic site at an expression, where rustc reports it."""
        self.site(self.paren_starts.get((span.start, span.end), span.start), kind)

    def parenthesized(self, paren: Span, inner: Span) -> None:
        """Record that `inner` is written in parentheses `paren` (see `paren_starts`)."""
        outer = self.paren_starts.get((paren.start, paren.end), paren.start)
        self.paren_starts[(inner.start, inner.end)] = outer

    def unsupported(self, what: str, span: Span) -> None:
        if "{error}" in what:
            # A type in error: the mistake is reported where it is (another item's
            # signature). If the file turns out to have no error at all, the checker gave
            # an expression no type without saying so: `unknown_types` reports it then.
            if not self.unknown_types:
                self.unknown_types.append(d.error(
                    UNSUPPORTED, "the type of this expression is unknown to the Go backend "
                    "(the checker could not infer it)", span))
            return
        message = f"{what} is not supported by the Go backend yet"
        if not any(x.message == message and x.span == span for x in self.diagnostics):
            self.diagnostics.append(d.error(UNSUPPORTED, message, span))

    def source(self, span: Span) -> str:
        return self.text[span.start : span.end]
