"""Semantic analysis: names, types, inference, exhaustiveness (no I/O, never raises)."""

from __future__ import annotations

from gust import diagnostics as d
from gust.budget import UNLIMITED, Budget, OutOfTime
from gust.sema.check import check_fn
from gust.sema.consts import const_bodies
from gust.sema.items import ItemEnv, impl_owner
from gust.sema.modules import (
    BLOCK_MARK,
    ModPath,
    block_module,
    scoped_body_items,
    scoped_inner_fns,
)
from gust.sema.results import BodyResults
from gust.syntax import ast


def check_item(env: ItemEnv, item: ast.Item, budget: Budget = UNLIMITED
               ) -> tuple[list[BodyResults], list[d.Diagnostic]]:
    """Type-check every function body in `item` (a fn, or the methods of an impl) and the
    initialisers of its constants and statics (`BodyResults.item` set). Raises
    `OutOfTime`, naming the function, when the budget runs out (gust.budget)."""
    bodies: list[BodyResults] = []
    diagnostics: list[d.Diagnostic] = []
    for fn, owner, module in module_bodies(env, item, env.root_module(item)):
        try:
            results = check_fn(env, fn, owner, module, budget)
        except OutOfTime as exc:
            raise OutOfTime(exc.seconds, fn.name, fn.name_span) from None
        bodies.append(results)
        diagnostics.extend(results.diagnostics)
    for results in const_bodies(env, item):
        bodies.append(results)
        diagnostics.extend(results.diagnostics)
    return bodies, diagnostics


def function_bodies(item: ast.Item) -> list[tuple[ast.FnDecl, str | None]]:
    """The functions with bodies in `item`, with the impl type (or trait) that owns each
    method."""
    if isinstance(item, ast.FnDecl):
        return [(item, None)] if item.body is not None else []
    if isinstance(item, ast.ImplDecl):
        # An impl for a slice, array, tuple or reference has no owner by name: its methods'
        # signatures come from the impl (`env.impl_of`).
        owner = item.self_ty.path.last.name if isinstance(item.self_ty, ast.TypePath) \
            else None
        return [(m, owner) for m in item.members if isinstance(m, ast.FnDecl)
                and m.body is not None]
    if isinstance(item, ast.TraitDecl):
        # Default methods: checked with `Self` a type parameter bounded by the trait.
        return [(m, item.name) for m in item.members if isinstance(m, ast.FnDecl)
                and m.body is not None]
    return []


def module_bodies(env: ItemEnv, item: ast.Item, module: ModPath = ()
                  ) -> list[tuple[ast.FnDecl, str | None, ModPath]]:
    """The functions with bodies in `item` and in the inline modules inside it, in order,
    with the key of the type that owns each method and the module of each."""
    if isinstance(item, ast.ModDecl):
        inner = (*module, item.name)
        return [body for sub in item.items or () for body in module_bodies(env, sub, inner)]
    if isinstance(item, ast.ImplDecl):
        owner = impl_owner(env, item, module)
        if owner is None:
            found = [(fn, o, module) for fn, o in function_bodies(item)]
        else:
            found = [(m, owner, module) for m in item.members if isinstance(m, ast.FnDecl)
                     and m.body is not None]
    else:
        found = [(fn, owner, module) for fn, owner in function_bodies(item)]
    # Each body in its own scope when it declares items, followed by the bodies of those
    # items (an `impl` inside `fn main`), as gust.codegen.items emits them.
    out: list[tuple[ast.FnDecl, str | None, ModPath]] = []
    for fn, owner, fn_module in found:
        scope = block_module(fn, fn_module)
        out.append((fn, owner, scope))
        out.extend(nested_bodies(env, fn, scope))
    return out


def nested_bodies(env: ItemEnv, fn: ast.FnDecl, scope: ModPath
                  ) -> list[tuple[ast.FnDecl, str | None, ModPath]]:
    """The bodies of the items declared in `fn`'s body (and in its nested functions'),
    whose scope is `scope`."""
    if scope[-1:] != (fn.name + BLOCK_MARK,):
        return []
    out = [body for sub, where in scoped_body_items(fn, scope)
           for body in module_bodies(env, sub, where)]
    for inner, where in scoped_inner_fns(fn, scope):
        out.extend(nested_bodies(env, inner, block_module(inner, where)))
    return out
