"""Rename: the edits that rename a symbol of the package everywhere it is named, across the
package's files, or why it cannot be renamed (plain data; the LSP layer makes a
`WorkspaceEdit`).

Names that are not the package's (std types and methods, Go symbols, `self`) are refused,
as are new names that are not identifiers, are keywords, or clash with a name the scope
already has. Shorthands stay correct: renaming the field `x` of `Point { x }` gives
`Point { y: x }`, renaming the local gives `Point { x: y }`.
"""

from __future__ import annotations

import re

from gust.fmt import TextEdit
from gust.frozen import dataclass
from gust.ide.analysis import AnalysisHost, FileAnalysis
from gust.ide.index import ITEM_LOCAL, Occurrence, Symbol, item_index
from gust.ide.references import Target, occurrences_of, target_at
from gust.sema.items import ItemEnv
from gust.text import Span

_IDENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
# Rust's keywords (strict and reserved): none can be a name (Gust's `go` and `select` are
# keywords only where its statements start, gust.syntax.lexer).
KEYWORDS = frozenset({
    "as", "break", "const", "continue", "crate", "else", "enum", "extern", "false", "fn",
    "for", "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut", "pub", "ref",
    "return", "self", "Self", "static", "struct", "super", "trait", "true", "type",
    "unsafe", "use", "where", "while", "async", "await", "dyn", "abstract", "become", "box",
    "do", "final", "macro", "override", "priv", "typeof", "unsized", "virtual", "yield",
    "try", "union",
})


@dataclass(frozen=True, slots=True)
class RenameError:
    message: str


@dataclass(frozen=True, slots=True)
class Renamable:
    """What prepareRename answers: the name's span (file offsets) and its text."""

    span: Span
    name: str


def prepare_rename(host: AnalysisHost, path: str, offset: int) -> Renamable | RenameError:
    analysis = host.analyze(path)
    target = target_at(analysis, offset)
    if target is None:
        return RenameError(_not_ours(analysis, offset))
    if target.symbol.kind == "local" and target.occurrence.token == "keyword":
        return RenameError("`self` cannot be renamed")
    span = target.occurrence.span.shifted(target.item.offset)
    name = analysis.text[span.start : span.end]
    if target.symbol.kind not in ITEM_LOCAL and name != target.symbol.name:
        return RenameError(f"`{name}` is an alias of `{target.symbol.name}` (`use .. as "
                           f"{name}`): rename `{target.symbol.name}` where it is declared")
    return Renamable(span, name)


def _not_ours(analysis: FileAnalysis, offset: int) -> str:
    item = analysis.item_at(offset)
    if item is not None:
        rel = offset - item.offset
        for occ in item_index(analysis.env, item):
            if occ.span.start <= rel <= occ.span.end and occ.library:
                name = item.node.parsed.text[occ.span.start : occ.span.end]
                return f"`{name}` is defined outside this package (the standard library " \
                    "or a Go package) and cannot be renamed"
    return "there is no symbol to rename here"


def rename(host: AnalysisHost, path: str, offset: int, new_name: str
           ) -> dict[str, list[TextEdit]] | RenameError:
    """The edits per file, or why the rename is refused."""
    prepared = prepare_rename(host, path, offset)
    if isinstance(prepared, RenameError):
        return prepared
    analysis = host.analyze(path)
    target = target_at(analysis, offset)
    assert target is not None
    problem = check_new_name(new_name) or _clash(analysis.env, target, new_name)
    if problem is not None:
        return RenameError(problem)
    edits: dict[str, list[TextEdit]] = {}
    for p, item, occ in occurrences_of(host, path, target):
        if item.node.parsed.text[occ.span.start : occ.span.end] != prepared.name:
            continue  # named through a `use .. as` alias here: the alias stays
        text = _replacement(item_index(host.analyze(p).env, item), occ, target.symbol,
                            new_name)
        span = occ.span.shifted(item.offset)
        edits.setdefault(p, []).append(TextEdit(span.start, span.end, text))
    return edits


def check_new_name(name: str) -> str | None:
    if not _IDENT.fullmatch(name):
        return f"`{name}` is not a valid identifier"
    if name in KEYWORDS:
        return f"`{name}` is a keyword and cannot be used as a name"
    if name == "_":
        return "`_` cannot be used as a name"
    return None


def _replacement(occurrences: tuple[Occurrence, ...], occ: Occurrence, symbol: Symbol,
                 new_name: str) -> str:
    """The new text of one occurrence; a shorthand field is spelled out."""
    shorthand = any(o.span == occ.span and o.shorthand for o in occurrences)
    if not shorthand:
        return new_name
    old = symbol.name if symbol.kind == "field" else next(
        (o.symbol.name for o in occurrences
         if o.span == occ.span and o.shorthand and o.symbol is not None), new_name)
    return f"{new_name}: {old}" if symbol.kind == "field" else f"{old}: {new_name}"


def _clash(env: ItemEnv, target: Target, new_name: str) -> str | None:
    """A name the renamed symbol would collide with in its scope."""
    symbol = target.symbol
    if new_name == symbol.name:
        return None
    match symbol.kind:
        case "field":
            info = env.structs.get(symbol.key)
            names = [f.name for f in info.fields] if info is not None else []
            if info is None and "::" in symbol.key:
                enum_key, _, variant = symbol.key.rpartition("::")
                v = env.enums[enum_key].variant(variant) if enum_key in env.enums else None
                names = [f.name for f in v.fields] if v is not None else []
            if new_name in names:
                return f"a field named `{new_name}` already exists"
        case "method":
            trait = env.traits.get(symbol.key)
            methods = trait.methods if trait is not None else env.methods.get(symbol.key, {})
            if new_name in methods:
                return f"`{symbol.key}` already has a method named `{new_name}`"
        case "variant":
            enum = env.enums.get(symbol.key)
            if enum is not None and enum.variant(new_name) is not None:
                return f"`{symbol.key}` already has a variant named `{new_name}`"
        case "fn" | "struct" | "enum" | "trait" | "alias" | "const" | "static" | "mod":
            for module in env.modules.modules.values():
                declared = [df for df in (*module.types.values(), *module.values.values())
                            if df.key == symbol.key and df.name == symbol.name]
                if declared and (new_name in module.types or new_name in module.values):
                    return f"the name `{new_name}` is already defined in this module"
    return None

