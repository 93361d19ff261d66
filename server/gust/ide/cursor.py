"""What the code at the cursor means while it is being typed.

Completion and signature help are asked for on text that usually does not parse (`v.` at
the end of a line, `f(a, ` before the `)` is typed). As rust-analyzer does, the item under
the cursor is parsed again with a placeholder identifier inserted at the cursor, so that
`v.` reads `v.CURSOR` (a field access) and `f(a, ` reads `f(a, CURSOR`, and only the one
function around the cursor is type-checked again, against the environment of the last
analysis. When even that does not parse (unclosed brackets swallow the rest of the item),
the item is cut at the cursor and its open brackets closed (`f(a, CURSOR)}`): what the
cursor can see comes before it anyway.

The probe is plain data; nothing here is cached (one function is checked per request).
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterator
from typing import Protocol

from gust import sema
from gust.budget import DEFAULT_SECONDS, Budget, OutOfTime
from gust.frozen import dataclass
from gust.gcpause import paused_gc
from gust.ide.analysis import AnalysisHost
from gust.sema.check import check_fn
from gust.sema.items import ItemEnv
from gust.sema.modules import ModPath
from gust.sema.results import BodyResults
from gust.syntax import ast
from gust.syntax.parser import parse_item
from gust.syntax.source import SourceFile
from gust.syntax.split import blank_block_comments
from gust.text import Span

# An identifier nobody writes, valid wherever a name is.
PLACEHOLDER = "gustCursorX"
_OPENERS = {"(": ")", "[": "]", "{": "}"}


class Snapshot(Protocol):
    """The text being typed: its parse and an environment (a `FileAnalysis` is one; so is
    `snapshot(host, path)`, which does not wait for the text's analysis)."""

    @property
    def text(self) -> str: ...
    @property
    def source(self) -> SourceFile: ...
    @property
    def env(self) -> ItemEnv: ...


@dataclass(frozen=True)
class TextSnapshot:
    text: str
    source: SourceFile
    env: ItemEnv


def snapshot(host: AnalysisHost, path: str) -> Snapshot:
    """The file's current text and parse, with the environment of its last analysis (the
    current text is analysed only if there never was one)."""
    env = host.last_env(path)
    if env is None:
        return host.analyze(path)
    source = host.syntax(path)
    return TextSnapshot(source.text, source, env)


@dataclass(frozen=True)
class Probe:
    """The item under the cursor, parsed and checked with the placeholder at the cursor.

    Spans in `item`, `body` and `node` are relative to the item; `rel` is the cursor there
    (the placeholder starts at `rel`)."""

    item_offset: int
    rel: int
    item: ast.Item
    env: ItemEnv
    # The function around the cursor, its checked body and the module it is written in.
    fn: ast.FnDecl | None
    body: BodyResults | None
    module: ModPath
    # The innermost expression that holds the placeholder (a `Field`, `MethodCall` or
    # `PathExpr` named by it), if the parse kept it.
    node: ast.Expr | None


def probe(analysis: Snapshot, offset: int) -> Probe | None:
    """The probe at `offset` of the analysed text, or None outside every item."""
    found = analysis.source.item_at(offset)
    if found is None:
        return None
    rel = offset - found.offset
    text = found.parsed.text
    with paused_gc():
        first = _probe_text(analysis.env, text[:rel] + PLACEHOLDER + text[rel:], rel,
                            found.offset)
        if first is not None and first.node is not None:
            return first
        cut = text[:rel] + PLACEHOLDER
        second = _probe_text(analysis.env, cut + _closers(cut), rel, found.offset)
    if second is not None and (second.node is not None or first is None):
        return second
    return first


def _probe_text(env: ItemEnv, text: str, rel: int, item_offset: int) -> Probe | None:
    parsed = parse_item(text)
    item = parsed.item
    if item is None:
        return None
    fn, owner, module = _function_at(env, item, rel)
    body: BodyResults | None = None
    if fn is not None:
        try:
            checked = check_fn(env, fn, owner, module, Budget(DEFAULT_SECONDS))
        except OutOfTime:  # a pathological function (gust.budget): no types to offer
            checked = None
        body = _innermost_body(checked, rel) if checked is not None else None
    node = _placeholder_node(body.fn if body is not None else item, rel)
    return Probe(item_offset, rel, item, env, body.fn if body is not None else fn, body,
                 module, node)


def _function_at(env: ItemEnv, item: ast.Item, rel: int
                 ) -> tuple[ast.FnDecl | None, str | None, ModPath]:
    """The function whose body holds `rel`, its impl's type and its module."""
    root = env.root_module(item)
    for fn, owner, module in sema.module_bodies(env, item, root):
        if fn.body is not None and fn.body.span.start < rel <= fn.body.span.end:
            return fn, owner, module
    return None, None, _module_at(item, rel, root)


def _module_at(item: ast.Item, rel: int, module: ModPath = ()) -> ModPath:
    if isinstance(item, ast.ModDecl) and item.span.contains(rel):
        inner = (*module, item.name)
        for sub in item.items or ():
            if sub.span.start <= rel <= sub.span.end:
                return _module_at(sub, rel, inner)
        return inner
    return module


def _innermost_body(body: BodyResults, rel: int) -> BodyResults:
    """The body, or the body of a `fn` declared inside it, that holds `rel`."""
    for inner in body.nested:
        if inner.fn.span.start <= rel <= inner.fn.span.end:
            return _innermost_body(inner, rel)
    return body


def _placeholder_node(root: object, rel: int) -> ast.Expr | None:
    """The expression named by the placeholder: `x.CURSOR`, `x.CURSOR()`, `a::CURSOR`, or
    the struct literal where it is a field (`Point { x: 1, CURSOR }`)."""
    literal: ast.StructLit | None = None
    for node in walk(root, rel):
        match node:
            case ast.StructLit():
                literal = node
            case ast.StructLitField(name_span=span, shorthand=True) \
                    if span.start <= rel < span.end and literal is not None:
                return literal
            case ast.Field(name_span=span) | ast.MethodCall(name_span=span) \
                    if span.start <= rel < span.end:
                return node
            case ast.PathExpr(path=path) if path.last.span.start <= rel < path.last.span.end:
                return node
    return None


def walk(node: object, at: int | None = None) -> Iterator[object]:
    """Every AST node under `node` (itself included), parents before children; with `at`,
    only the nodes whose span holds that offset (and their descendants that do)."""
    stack = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, (tuple, list)):
            stack.extend(reversed(current))
            continue
        if not dataclasses.is_dataclass(current) or isinstance(current, type):
            continue
        span = getattr(current, "span", None)
        if at is not None and isinstance(span, Span) and not span.start <= at <= span.end:
            continue
        yield current
        children = [getattr(current, f.name) for f in dataclasses.fields(current)
                    if f.name != "span"]
        stack.extend(reversed([c for c in children if isinstance(c, (tuple, list))
                               or dataclasses.is_dataclass(c)]))


def _closers(text: str) -> str:
    """The brackets that close what is open at the end of `text` (strings and comments
    skipped), innermost first; `;` first when a statement is left unfinished."""
    blanked, _ = blank_block_comments(text)
    stack: list[tuple[str, int]] = []  # closer, where its opener is
    i, n = 0, len(blanked)
    while i < n:
        c = blanked[i]
        if c == "/" and blanked.startswith("//", i):
            end = blanked.find("\n", i)
            i = n if end < 0 else end
            continue
        if c == '"':
            i = _string_end(blanked, i)
            continue
        if c == "'" and i + 2 < n and (blanked[i + 2] == "'" or blanked[i + 1] == "\\"):
            end = blanked.find("'", i + 2)
            i = n if end < 0 else end + 1
            continue
        if c in _OPENERS:
            stack.append((_OPENERS[c], i))
        elif c in ")]}" and stack and stack[-1][0] == c:
            stack.pop()
        i += 1
    out: list[str] = []
    for closer, opener in reversed(stack):
        # The statement the cursor is in ends before its block does: `let n = f(x.C);}`
        # (not in a struct literal's braces: `Point { x: 1, C }`).
        if closer == "}" and ";}" not in out and not _LITERAL_OPEN.search(
                blanked, 0, opener):
            out.append(";}")
        else:
            out.append(closer)
    return "".join(out)


_LITERAL_OPEN = re.compile(r"[A-Z][A-Za-z0-9_]*(?:::[A-Za-z_][A-Za-z0-9_]*)*\s*$")


def _string_end(text: str, start: int) -> int:
    i = start + 1
    while i < len(text):
        if text[i] == "\\":
            i += 2
            continue
        if text[i] == '"':
            return i + 1
        i += 1
    return len(text)
