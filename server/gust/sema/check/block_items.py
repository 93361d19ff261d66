"""Items declared in the inner blocks of a function body (`if c { struct A; }`, a loop's
or a closure's block): Gust puts them in the scope of the body (`modules.body_items`), where
Rust gives each block its own. What that would get wrong is reported here: a use outside
the item's block (rustc cannot find the name there), and, as not supported yet, an inner
block's item named like another item of the body or like an item outside the function
(which the body's scope would shadow)."""

from __future__ import annotations

from collections import Counter

from gust import diagnostics as d
from gust.sema.items import ItemEnv
from gust.sema.modules import ModPath, Resolver, item_kind_ns, item_stmts
from gust.syntax import ast
from gust.syntax.walk import children, walk
from gust.text import Span


def block_item_errors(env: ItemEnv, fn: ast.FnDecl, module: ModPath
                      ) -> tuple[list[d.Diagnostic], list[d.Diagnostic]]:
    """(not supported yet, uses outside their block) for the items of `fn`'s inner blocks;
    `module` is the scope of `fn`'s body."""
    if fn.body is None:
        return [], []
    direct = {id(st) for st in fn.body.stmts}
    nested = [st for st in item_stmts(fn)
              if id(st) not in direct and not isinstance(st.item, ast.FnDecl)]
    if not nested:
        return [], []
    unsupported: list[d.Diagnostic] = []
    outside = Resolver(env.modules, module[:-1])
    scope = env.modules.module(module)
    homes: dict[str, list[Span]] = {}  # name -> the blocks that declare it
    for block in _blocks_declaring(fn.body, {id(st) for st in nested}):
        for st in block.stmts:
            if not isinstance(st, ast.ItemStmt) or id(st) in direct:
                continue
            for declared, _ in _names(st):
                homes.setdefault(declared, []).append(block.span)
    counts = Counter(declared for st in item_stmts(fn) if not isinstance(st.item, ast.FnDecl)
                     for declared, _ in _names(st))
    for st in nested:
        if isinstance(st.item, ast.UseDecl):
            unsupported += _use_errors(st, counts, outside)
            continue
        name = _name(st)
        ns = item_kind_ns(st.item)
        if name is None or ns is None:
            continue
        span: Span = getattr(st.item, "name_span", st.item.span)
        own = scope.table(ns).get(name)
        if own is None or own.span != span:
            unsupported.append(d.error(
                None, "two items of one name in the blocks of one function body are not "
                "supported yet", span))
        elif outside.lexical(name, ns) is not None:
            unsupported.append(d.error(
                None, "an item of an inner block with the name of an item outside the "
                "function is not supported yet", span))
    return unsupported, _uses_outside(fn.body, homes)


def _name(st: ast.Stmt) -> str | None:
    if not isinstance(st, ast.ItemStmt) or isinstance(st.item, (ast.ImplDecl, ast.UseDecl)):
        return None
    name = getattr(st.item, "name", None)
    return name if isinstance(name, str) else None


def _use_errors(st: ast.ItemStmt, counts: Counter[str], outside: Resolver
                ) -> list[d.Diagnostic]:
    out: list[d.Diagnostic] = []
    for imported, where in _names(st):
        if counts[imported] > 1:
            out.append(d.error(None, "two items of one name in the blocks of one function "
                               "body are not supported yet", where))
        elif outside.lexical(imported, "type") is not None or \
                outside.lexical(imported, "value") is not None:
            # In the body's scope, the import would hide the name's meaning outside the
            # block too.
            out.append(d.error(None, "an import in an inner block of a name that is also an "
                               "item or import outside the function is not supported yet",
                               where))
    return out


def _names(st: ast.ItemStmt) -> list[tuple[str, Span]]:
    """The names an item statement declares (an import's: each it brings in, but for
    globs)."""
    if isinstance(st.item, ast.UseDecl):
        return _use_names(st.item.tree)
    name = _name(st)
    span: Span = getattr(st.item, "name_span", st.item.span)
    return [(name, span)] if name is not None else []


def _use_names(tree: ast.UseTree) -> list[tuple[str, Span]]:
    if tree.glob:
        return []
    if tree.children is not None:
        return [found for child in tree.children for found in _use_names(child)]
    segments = tree.path.segments
    if not segments:
        return []
    last = segments[-1]
    if last.name == "self" and len(segments) > 1:
        last = segments[-2]
    return [(tree.alias or last.name, last.span)]


def _blocks_declaring(body: ast.Block, wanted: set[int]) -> list[ast.Block]:
    return [n for n in walk(body) if isinstance(n, ast.Block) and
            any(id(st) in wanted for st in n.stmts)]


def _uses_outside(body: ast.Block, homes: dict[str, list[Span]]) -> list[d.Diagnostic]:
    """rustc's errors for the paths naming an inner block's item outside that block."""
    out: list[d.Diagnostic] = []
    stack: list[object] = [body]
    callees: set[int] = set()
    while stack:
        node = stack.pop()
        if isinstance(node, ast.Call):
            callees.add(id(node.callee))
        path = getattr(node, "path", None)
        if isinstance(path, ast.Path) and path.segments:
            first = path.segments[0]
            blocks = homes.get(first.name)
            if blocks is not None and not any(b.start <= first.span.start < b.end
                                              for b in blocks):
                out.append(_not_found(node, path, first.name, first.span,
                                      id(node) in callees))
        stack.extend(children(node))
    out.sort(key=lambda diag: diag.span.start)
    return out


def _not_found(node: object, path: ast.Path, name: str, span: Span, called: bool
               ) -> d.Diagnostic:
    if len(path.segments) > 1:
        return d.error("E0433", f"cannot find type `{name}` in this scope", span,
                       f"use of undeclared type `{name}`")
    if isinstance(node, ast.TypePath):
        return d.error("E0425", f"cannot find type `{name}` in this scope", span,
                       "not found in this scope")
    if called:
        return d.error("E0425", f"cannot find function, tuple struct or tuple variant "
                       f"`{name}` in this scope", span, "not found in this scope")
    if isinstance(node, (ast.StructLit, ast.StructPat)):
        return d.error("E0422", f"cannot find struct, variant or union type `{name}` in this "
                       "scope", span, "not found in this scope")
    if isinstance(node, ast.TupleStructPat):
        return d.error("E0531", f"cannot find tuple struct or tuple variant `{name}` in this "
                       "scope", span, "not found in this scope")
    return d.error("E0425", f"cannot find value `{name}` in this scope", span,
                   "not found in this scope")
