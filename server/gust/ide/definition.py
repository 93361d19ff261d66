"""Go to definition: where the name under the cursor is declared, in any file of the
package (plain data; the LSP layer turns it into a `Location`)."""

from __future__ import annotations

from gust.frozen import dataclass
from gust.ide.analysis import AnalysisHost
from gust.ide.hover import bodies_at, name_span_of
from gust.sema.items import ItemEnv
from gust.sema.results import (
    AssocFnRes,
    BodyResults,
    ConstRes,
    FnRes,
    LocalRes,
    StructRes,
    VariantRes,
)
from gust.sema.types import Adt, Ty
from gust.syntax import ast
from gust.text import Span

# A declaration: the AST node that declares a name, and the span of that name (relative to
# the top-level item that holds the node).
Decl = tuple[object, Span]


@dataclass(frozen=True, slots=True)
class Location:
    path: str
    span: Span  # file offsets of the declared name


def definition(host: AnalysisHost, path: str, offset: int) -> Location | None:
    """The declaration of the name at `offset` in `path`: a local, or an item of the
    package (functions, methods, structs, enums and their variants, constants, fields)."""
    analysis = host.analyze(path)
    item = analysis.item_at(offset)
    if item is None or item.node.item is None:
        return None
    rel = offset - item.offset
    for body in bodies_at(item.bodies, rel):
        if body.fn.body is None:
            continue
        expr = _expr_at(body, rel)
        if expr is None:
            return None
        if isinstance(expr, ast.PathExpr):
            res = body.paths.get(expr)
            if isinstance(res, LocalRes):
                local = body.locals[res.local]
                return Location(path, local.span.shifted(item.offset))
            if isinstance(res, FnRes) and res.nested_at >= 0:
                # A nested `fn` of this item.
                inner = next((b.fn for b in _nested(item.bodies)
                              if b.fn.name_span.start == res.nested_at
                              and b is not body and b.owner is None), None)
                if inner is not None:
                    return Location(path, inner.name_span.shifted(item.offset))
        decl = _declaration(analysis.env, body, expr)
        return _locate(host, path, decl) if decl is not None else None
    return None


def _expr_at(body: BodyResults, rel: int) -> ast.Expr | None:
    """The innermost expression whose name covers `rel`."""
    best: tuple[Span, ast.Expr] | None = None
    for expr in body.expr_types:
        span = name_span_of(expr)
        if span is None or not span.contains(rel):
            continue
        if best is None or span.end - span.start < best[0].end - best[0].start:
            best = (span, expr)
    return best[1] if best is not None else None


def _declaration(env: ItemEnv, body: BodyResults, expr: ast.Expr) -> Decl | None:
    if isinstance(expr, ast.PathExpr):
        res = body.paths.get(expr)
        if isinstance(res, FnRes) and res.name in env.fns and res.nested_at < 0:
            decl = env.fns[res.name].decl
            return decl, decl.name_span
        if isinstance(res, ConstRes) and res.name in env.consts:
            const = env.consts[res.name].decl
            return const, const.name_span
        if isinstance(res, StructRes) and res.name in env.structs:
            struct = env.structs[res.name].decl
            return struct, struct.name_span
        if isinstance(res, VariantRes) and res.enum in env.enums:
            variant = env.enums[res.enum].variant(res.variant)
            return (variant.decl, variant.decl.name_span) if variant is not None else None
        if isinstance(res, AssocFnRes) and not res.builtin:
            sig = env.methods.get(res.owner, {}).get(res.name)
            return (sig.decl, sig.decl.name_span) if sig is not None else None
    if isinstance(expr, ast.MethodCall):
        m = body.methods.get(expr)
        if m is not None and not m.builtin:
            sig = env.methods.get(m.owner, {}).get(m.name)
            return (sig.decl, sig.decl.name_span) if sig is not None else None
    if isinstance(expr, ast.Field):
        f = body.fields.get(expr)
        if f is not None and f.owner in env.structs:
            info = env.structs[f.owner]
            return info.decl, info.fields[f.index].span
    if isinstance(expr, ast.StructLit):
        ty = body.type_of(expr)
        if isinstance(ty, Adt) and ty.name in env.structs:
            struct = env.structs[ty.name].decl
            return struct, struct.name_span
    return None


def _locate(host: AnalysisHost, path: str, decl: Decl) -> Location | None:
    """Find the top-level item that holds `decl` among the package's files (and those of
    the other Gust packages it uses). The
    environment may have been built from an earlier parse of that item (its body changed
    since, not its signature): then the item is found by the declaration's name and place."""
    node, name_span = decl
    fallback: Location | None = None
    for p in [*host.package_of(path), *host.crate_files(path)]:
        for item in host.analyze(p).items:
            top = item.node.item
            if top is None:
                continue
            if _holds(top, node, identity=True):
                return Location(p, name_span.shifted(item.offset))
            if fallback is None and _holds(top, node, identity=False):
                fallback = Location(p, name_span.shifted(item.offset))
    return fallback


def _holds(top: object, node: object, identity: bool) -> bool:
    if identity and top is node:
        return True
    if not identity and type(top) is type(node) and \
            getattr(top, "name", None) == getattr(node, "name", None) and \
            getattr(top, "name_span", None) == getattr(node, "name_span", None):
        return True
    match top:
        case ast.ModDecl(items=items):
            return any(_holds(i, node, identity) for i in items or ())
        case ast.ImplDecl(members=members) | ast.TraitDecl(members=members):
            return any(_holds(m, node, identity) for m in members)
        case ast.EnumDecl(variants=variants):
            return any(_holds(v, node, identity) for v in variants)
        case ast.FnDecl(body=ast.Block(stmts=stmts)):
            # The items declared in a function body (gust.sema.modules.body_items).
            return any(_holds(s.item, node, identity) for s in stmts
                       if isinstance(s, ast.ItemStmt))
    return False


def type_definition(host: AnalysisHost, path: str, offset: int) -> list[Location]:
    """The declarations of the package's structs and enums in the type of the name at
    `offset` (a local, a parameter, a field, a call's result): `Point` for a `Vec<Point>`.
    Std types have no declaration to go to."""
    analysis = host.analyze(path)
    item = analysis.item_at(offset)
    if item is None or item.node.item is None:
        return []
    ty = _type_at(analysis.env, item.bodies, item.node.item, offset - item.offset)
    if ty is None:
        return []
    found: list[Location] = []
    for name in _adts_in(ty):
        info = analysis.env.structs.get(name) or analysis.env.enums.get(name)
        if info is None:
            continue
        loc = _locate(host, path, (info.decl, info.decl.name_span))
        if loc is not None and loc not in found:
            found.append(loc)
    return found


def _type_at(env: ItemEnv, bodies: tuple[BodyResults, ...], top: ast.Item, rel: int
             ) -> Ty | None:
    for body in _nested(bodies):
        if not body.fn.span.contains(rel):
            continue
        for local in body.locals:
            if local.span.contains(rel):
                return local.ty
        expr = _expr_at(body, rel) if body.fn.body is not None else None
        if expr is not None:
            return body.type_of(expr)
    # A field, or a struct or enum named in a signature.
    for decl in (top, *getattr(top, "members", ()), *(getattr(top, "items", None) or ())):
        if isinstance(decl, ast.StructDecl) and decl.name in env.structs:
            info = env.structs[decl.name]
            if decl.name_span.contains(rel):
                return Adt(decl.name)
            for f in info.fields:
                if f.span.contains(rel):
                    return f.ty
        if isinstance(decl, ast.EnumDecl) and decl.name_span.contains(rel):
            return Adt(decl.name)
    return None


def _nested(bodies: tuple[BodyResults, ...]) -> list[BodyResults]:
    """Innermost first: a nested `fn` before the body that holds it."""
    out: list[BodyResults] = []
    for body in bodies:
        out.extend(_nested(tuple(body.nested)))
        out.append(body)
    return out


def _adts_in(ty: Ty) -> list[str]:
    """The named types in a type, outermost first (`Vec<Point>`: Vec, Point)."""
    out: list[str] = []
    stack: list[object] = [ty]
    while stack:
        cur = stack.pop(0)
        if isinstance(cur, Adt):
            out.append(cur.name)
            stack.extend(cur.args)
        elif hasattr(cur, "__dataclass_fields__"):
            for name in cur.__dataclass_fields__:
                value = getattr(cur, name)
                if isinstance(value, tuple):
                    stack.extend(value)
                elif hasattr(value, "__dataclass_fields__"):
                    stack.append(value)
    return out
