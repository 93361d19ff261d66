"""`const` and `static` items: their initialisers are checked against the declared type
(E0308, as a body of their own: gust.sema.check.check_const), then for what only constants
forbid: a call of a function that is not `const` (E0015), and an evaluation that fails
(E0080: overflow, division by zero, index out of bounds; gust.sema.const_errors). Gust has no `const fn`, so every
call of a function or method of the package is one; tuple structs and tuple variants are
constructors, not calls, and std's functions are left to the Go backend (which reports the
initialisers it cannot translate).

The overflowing literals of an initialiser (`const MAX: u8 = 256;`) are the body's lint,
found by gust.sema.literals once its types are final, as in any function body."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Final

from gust import diagnostics as d
from gust.sema.check import check_const
from gust.sema.const_errors import evaluation_error, other_constants
from gust.sema.items import ItemEnv
from gust.sema.modules import (
    BLOCK_MARK,
    ModPath,
    Resolver,
    block_module,
    fns_of,
    scoped_body_items,
    scoped_inner_fns,
)
from gust.sema.results import AssocFnRes, BodyResults, FnRes
from gust.syntax import ast
from gust.syntax.walk import children
from gust.text import Span

_LAZY: Final = "consider wrapping this expression in `std::sync::LazyLock::new(|| ...)`"


def const_bodies(env: ItemEnv, item: ast.Item) -> list[BodyResults]:
    """The checked initialisers of the constants and statics in `item` (and in the inline
    modules inside it), each with its E0015 errors when it type-checked."""
    out: list[BodyResults] = []
    for decl, module in _constants(item, env.root_module(item)):
        info = next((c for c in env.consts.values() if c.decl is decl), None)
        if info is None:
            continue  # a duplicate definition (E0428, reported with the items)
        results = check_const(env, decl, info.ty, module)
        if not any(diag.is_error for diag in results.diagnostics):
            results.diagnostics.extend(_non_const_calls(env, decl, results))
        if not any(diag.is_error for diag in results.diagnostics):
            failed = evaluation_error(decl.name, decl.value, results,
                                      _other_constants(env, module))
            if failed is not None:
                results.diagnostics.append(failed)
        out.append(results)
    return out


def _other_constants(env: ItemEnv, module: ModPath) -> Callable[[str], int | None]:
    resolver = Resolver(env.modules, module)

    def lookup(name: str) -> str | None:
        found = resolver.lexical(name, "value")
        return found.key if found is not None and found.kind == "const" else None

    return other_constants({key: c.decl.value for key, c in env.consts.items()
                            if isinstance(c.decl, ast.ConstDecl)}, lookup)


def _constants(item: ast.Item, module: ModPath
               ) -> Iterator[tuple[ast.ConstDecl | ast.StaticDecl, ModPath]]:
    match item:
        case ast.ConstDecl() | ast.StaticDecl():
            yield item, module
        case ast.ModDecl(items=items):
            for sub in items or ():
                yield from _constants(sub, (*module, item.name))
    for fn in fns_of(item):  # the constants of function bodies, in their scope
        yield from _body_constants(fn, block_module(fn, module))


def _body_constants(fn: ast.FnDecl, scope: ModPath
                    ) -> Iterator[tuple[ast.ConstDecl | ast.StaticDecl, ModPath]]:
    if scope[-1:] != (fn.name + BLOCK_MARK,):
        return
    for sub, where in scoped_body_items(fn, scope):
        yield from _constants(sub, where)
    for inner, where in scoped_inner_fns(fn, scope):
        yield from _body_constants(inner, block_module(inner, where))


def _non_const_calls(env: ItemEnv, decl: ast.ConstDecl | ast.StaticDecl,
                     results: BodyResults) -> list[d.Diagnostic]:
    """E0015 for each call of a function or method of the package, in source order."""
    kind = "constants" if isinstance(decl, ast.ConstDecl) else "statics"
    notes: tuple[str, ...] = (f"calls in {kind} are limited to constant functions, tuple "
                               "structs and tuple variants",)
    if isinstance(decl, ast.StaticDecl):
        notes = (*notes, _LAZY)
    out: list[d.Diagnostic] = []
    for node in _walk(decl.value):
        what = _callee(env, node, results)
        if what is None or not isinstance(node, ast.Call | ast.MethodCall):
            continue
        span = node.span
        if isinstance(node, ast.MethodCall):
            span = Span(node.name_span.start, node.span.end)
        extra = (f"function `{what[1]}` is not const",) if what[0] == "function" else ()
        out.append(d.error("E0015", f"cannot call non-const {what[0]} `{what[1]}` in {kind}",
                           span, notes=(*extra, *notes)))
    return out


def _callee(env: ItemEnv, node: object, results: BodyResults) -> tuple[str, str] | None:
    """(`function`, `f`), (`associated function`, `P::new`) or (`method`, `P::get`) when
    `node` calls a function of the package."""
    match node:
        case ast.Call(callee=ast.PathExpr() as callee):
            match results.paths.get(callee):
                case FnRes(name=name):
                    return "function", name.rsplit("::", 1)[-1]
                case AssocFnRes(owner=owner, name=name, builtin=False):
                    return "associated function", f"{_short(owner)}::{name}"
        case ast.MethodCall():
            res = results.methods.get(node)
            if res is not None and not res.builtin:
                return "method", f"{_short(res.owner)}::{res.name}"
    return None


def _short(key: str) -> str:
    return key.rsplit("::", 1)[-1]


def _walk(node: object) -> Iterator[object]:
    """Every AST node under `node`, parents before children, in source order."""
    yield node
    for child in children(node):
        yield from _walk(child)
