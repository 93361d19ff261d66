"""Gust packages that use each other in a cycle (`a` uses `b`, `b` uses `a`).

Each Gust package is a Go package, and Go forbids import cycles, so such packages could be
checked but never built. The analysis of a package that finds itself used by one of the
crates it uses (directly or through others) reports `cyclic_package_dependency` (Gust's
own code: Cargo reports the same mistake for Rust crates, before rustc runs) at the first
path in the package that names the first crate of the cycle.

Which crates a package uses is first guessed from its text (`name::`, cheap, on every
analysis); a cycle is only reported when a crate's syntax tree really has a path starting
with the package's name (not a comment or a string) that is not one of its own items.
"""

from __future__ import annotations

from collections.abc import Sequence

from gust import diagnostics as d
from gust.syntax import ast
from gust.syntax.source import ItemNode
from gust.syntax.walk import walk
from gust.text import Span

CYCLIC_PACKAGE_DEPENDENCY = d.CYCLIC_PACKAGE_DEPENDENCY


def local_names(nodes: Sequence[ItemNode]) -> set[str]:
    """Names a `name::` path means inside the package itself rather than a crate: its own
    items and its `use go` imports."""
    local = {n.item.name for n in nodes if n.item is not None and hasattr(n.item, "name")}
    local |= {n.item.alias or n.item.package.rsplit("/", 1)[-1] for n in nodes
              if isinstance(n.item, ast.UseGoDecl)}
    return local


def first_path(nodes: Sequence[ItemNode], crate: str) -> tuple[int, Span] | None:
    """The first path of the items that starts with `crate::` (`use crate_name::x`,
    `crate_name::f()`): the index of its item and the span of that first segment (relative
    to the item). None when there is none, or `crate` names one of the package's items."""
    if crate in local_names(nodes):
        return None
    for i, node in enumerate(nodes):
        if node.item is None or f"{crate}" not in node.parsed.text:
            continue
        found: list[Span] = []
        for n in walk(node.item):
            if isinstance(n, ast.Path) and len(n.segments) >= 2 and \
                    n.segments[0].name == crate:
                found.append(n.segments[0].span)
            elif isinstance(n, ast.UseTree) and n.path.segments and \
                    n.path.segments[0].name == crate and \
                    (len(n.path.segments) >= 2 or n.children is not None or n.glob):
                found.append(n.path.segments[0].span)
        if found:
            return i, min(found, key=lambda s: s.start)
    return None


def diagnostic(package: str, chain: Sequence[str], span: Span) -> d.Diagnostic:
    """The error at the path naming `chain[0]`; `chain` is the crates from the package's
    to the one that uses the package back."""
    cycle = " -> ".join(f"`{n}`" for n in (package, *chain, package))
    via = "".join(f", which uses `{n}`" for n in chain[1:])
    return d.error(
        CYCLIC_PACKAGE_DEPENDENCY,
        f"cyclic package dependency: package `{package}` depends on itself",
        span, f"`{chain[0]}` is used here{via}, and `{chain[-1]}` uses `{package}`",
        notes=(f"the cycle: {cycle}",
               "each Gust package is a Go package, and Go does not allow import cycles"),
        help=("move what the packages of the cycle share into another package, used by "
              "them and using none of them",))
