"""The doc comments of a declaration named by a `DocRef` (gust.ide.members), for
completion's `resolve` and signature help.

References are by name, not by AST node: the client sends them back later, when the text
(and its parse) may have changed. They are looked up in the current parse of the files of
the package, whose declarations (not bodies) are indexed once per request.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from gust.ide.analysis import AnalysisHost
from gust.ide.members import DocRef
from gust.sema.golang import split_go_type_name
from gust.sema.items import ItemEnv
from gust.syntax import ast
from gust.syntax.split import docs_before


def documentation(host: AnalysisHost, path: str, ref: DocRef) -> str | None:
    """The doc comments of the declaration `ref` names (Go symbols: their Go doc)."""
    return documentations(host, path, [ref]).get(ref)


def documentations(host: AnalysisHost, path: str, refs: Iterable[DocRef]
                   ) -> dict[DocRef, str | None]:
    """The docs of each of `refs`, from one walk over the package's declarations."""
    wanted = set(refs)
    out: dict[DocRef, str | None] = {}
    go = [r for r in wanted if r[0].startswith("go")]
    if go:
        env = host.last_env(path) or host.analyze(path).env
        out.update((r, _go_doc(env, *r)) for r in go)
        wanted -= set(go)
    if not wanted:
        return out
    for p in host.package_of(path):
        for node in host.syntax(p).items:
            if node.item is None:
                continue
            for ref, offset in _declarations(node.item):
                if ref in wanted and ref not in out:
                    out[ref] = docs_before(node.parsed.text, offset)
    return out


def _go_doc(env: ItemEnv, kind: str, container: str, name: str) -> str | None:
    if kind == "go":
        package = env.go_packages.get(container)
        decl = package.lookup(name) if package is not None else None
        return (decl.doc.strip() or None) if decl is not None else None
    found = split_go_type_name(container)
    package = env.go_packages.get(found[0]) if found else None
    named = package.type(found[1]) if package is not None and found else None
    if named is None:
        return None
    member = named.method(name) if kind == "go_method" else named.field(name)
    return (member.doc.strip() or None) if member is not None else None


def _declarations(item: ast.Item) -> Iterator[tuple[DocRef, int]]:
    """Every declaration in `item` that a DocRef can name, with its item-relative start."""
    match item:
        case ast.FnDecl():
            yield ("fn", "", item.name), item.span.start
        case ast.StructDecl():
            yield ("struct", "", item.name), item.span.start
            for f in item.fields:
                if f.name is not None:
                    yield ("field", item.name, f.name), f.span.start
        case ast.EnumDecl():
            yield ("enum", "", item.name), item.span.start
            for v in item.variants:
                yield ("variant", item.name, v.name), v.span.start
        case ast.TraitDecl():
            yield ("trait", "", item.name), item.span.start
            yield from _methods(item.name, item.members)
        case ast.ImplDecl() if isinstance(item.self_ty, ast.TypePath):
            yield from _methods(item.self_ty.path.last.name, item.members)
        case ast.ConstDecl() | ast.StaticDecl():
            yield ("const", "", item.name), item.span.start
        case ast.TypeAliasDecl():
            yield ("alias", "", item.name), item.span.start
        case ast.ModDecl():
            yield ("mod", "", item.name), item.span.start
            for sub in item.items or ():
                yield from _declarations(sub)


def _methods(owner: str, members: tuple[ast.Item, ...]) -> Iterator[tuple[DocRef, int]]:
    for m in members:
        if isinstance(m, ast.FnDecl):
            yield ("method", owner, m.name), m.span.start
