"""The AST of one item, built by the parser's reductions (gust.syntax.ast).

The LALR driver (gust.syntax.lalr) calls a builder per reduction with the rule's children
(lark's tree shapes: every token kept, `[x]` placeholders as None, `_rule`s inlined) and
the offsets of its first and last token. A rule with a builder here becomes its AST node
at once, bottom-up: its children are already AST nodes (expressions, types, patterns,
statements) or tokens. The other rules (parameter lists, generic arguments, match arms,
an item's `fn_item` before its attributes are known) stay parse-tree nodes
(`gust.syntax.tree.Tree`, with their offsets), which the builder of the rule around them
reads. So no tree of the whole item is built and walked a second time.

Positions are offsets into the item's text: a node's span covers its tokens, punctuation
included (a block's span covers its braces). Binary operators come as flat chains and are
ordered by precedence here (`binary_chain`).

A builder reports syntax the grammar accepts but Rust does not (`+x`, `a < b < c`) by
raising `SoftError` with the node to use; a construct the AST cannot hold (a bad literal)
by raising `LowerError`: the driver (gust.syntax.lalr.ParseState) handles both.
"""

from __future__ import annotations

import dataclasses
import string
from collections.abc import Callable, Sequence
from typing import Any, Final

from gust import diagnostics as d
from gust.syntax import ast
from gust.syntax.token import Token
from gust.syntax.tree import Tree
from gust.syntax.walk import walk
from gust.text import Span

Child = Any  # a token, a parse-tree node, an AST node, or None (an absent `[x]`)
Builder = Callable[[list[Any], int, int], Any]


class LowerError(Exception):
    """A construct the grammar accepts but the AST rejects (e.g. a bad literal)."""

    def __init__(self, message: str, span: Span) -> None:
        super().__init__(message)
        self.message = message
        self.span = span


class SoftError(Exception):
    """Syntax that parses but is not Rust: `value` is the node to use, `errors` what to
    report (rustc reports these and goes on)."""

    def __init__(self, value: Any, errors: list[d.Diagnostic]) -> None:
        super().__init__(errors[0].message if errors else "")
        self.value = value
        self.errors = errors


def span_of(node: Token | Tree) -> Span:
    """The span of a token or of a parse-tree node."""
    if isinstance(node, Token):
        return Span(node.start_pos, node.end_pos)
    return Span(node.start, node.end)


# Rust's binary operator precedence (higher binds tighter); all left-associative.
_PRECEDENCE: Final = {
    "||": 1, "&&": 2,
    "==": 3, "!=": 3, "<": 3, ">": 3, "<=": 3, ">=": 3,
    "|": 4, "^": 5, "&": 6, "<<": 7, ">>": 7,
    "+": 8, "-": 8, "*": 9, "/": 9, "%": 9,
}
_COMPARISONS: Final = frozenset({"==", "!=", "<", ">", "<=", ">="})

# Punctuation: kept as children for spans, dropped before a node's parts are read.
_PUNCTUATION: Final = frozenset({
    "LPAR", "RPAR", "LBRACE", "RBRACE", "LSQB", "RSQB", "COMMA", "SEMICOLON", "COLON",
    "DOT", "EQUAL", "HASH", "QMARK", "AT", "ARROW", "FAT_ARROW", "PATH_SEP",
})

_TYPES: Final = (ast.TypePath, ast.RefType, ast.TupleType, ast.ArrayType, ast.SliceType,
          ast.ImplTraitType, ast.DynTraitType, ast.FnPtrType, ast.NeverType, ast.InferType,
          ast.AssocBinding)
_STMTS: Final = (ast.Let, ast.ExprStmt, ast.ItemStmt)
_ITEM_RULES: Final = frozenset({
    "fn_item", "struct_item", "enum_item", "impl_item", "trait_item", "const_item",
    "static_item", "type_alias", "use_item", "use_go", "mod_item", "assoc_const",
})
_ITEMS: Final = (ast.FnDecl, ast.StructDecl, ast.EnumDecl, ast.ImplDecl, ast.TraitDecl,
          ast.ConstDecl, ast.StaticDecl, ast.TypeAliasDecl, ast.UseDecl, ast.UseGoDecl,
          ast.ModDecl)


def _parts(children: Sequence[Child]) -> list[Child]:
    """Children without punctuation tokens."""
    return [c for c in children if type(c) is not Token or c.type not in _PUNCTUATION]


def _values(children: Sequence[Child]) -> list[Any]:
    """Children that are nodes (AST or parse tree): neither tokens nor placeholders."""
    return [c for c in children if c is not None and type(c) is not Token]


def _tokens(children: Sequence[Child], *types: str) -> list[Token]:
    return [c for c in children if type(c) is Token and (not types or c.type in types)]


def _has(children: Sequence[Child], token_type: str) -> bool:
    return any(type(c) is Token and c.type == token_type for c in children)


def _tree(children: Sequence[Child], *names: str) -> Tree | None:
    """The first parse-tree child named one of `names`."""
    for c in children:
        if type(c) is Tree and c.data in names:
            return c
    return None


def _restricted(vis: Tree | None) -> bool:
    """`pub(crate)`, `pub(super)`, `pub(self)`, `pub(in path)`: more than the `pub` token."""
    return vis is not None and len(vis.children) > 1


# ---------------------------------------------------------------- items


def item(c: list[Child], start: int, end: int) -> ast.Item:
    """`item: attr* vis? item_kind`, and `impl_member` of the same shape."""
    attrs = tuple(x for x in c if type(x) is ast.Attribute)
    vis = _tree(c, "vis")
    kind = next(x for x in c if type(x) is Tree and x.data in _ITEM_RULES)
    result = _ITEM_KINDS[kind.data](kind, attrs, vis is not None, Span(start, end))
    if _restricted(vis) and hasattr(result, "crate_only"):
        result = dataclasses.replace(result, crate_only=True)
    return result  # type: ignore[no-any-return]


def item_stmt(c: list[Child], start: int, end: int) -> ast.ItemStmt:
    return ast.ItemStmt(item(c, start, end), Span(start, end))


def attr(c: list[Child], start: int, end: int) -> ast.Attribute:
    body = next(x for x in c if type(x) is Tree)  # attr_body: path_expr attr_args?
    path: ast.PathExpr = body.children[0]
    args: list[str] = []
    arg_tree = _tree(body.children, "attr_args")
    if arg_tree is not None:
        for a in _parts(arg_tree.children):
            if type(a) is ast.PathExpr:
                args.append("::".join(a.path.names))
            elif type(a) is ast.Literal:
                args.append(a.text)
            elif type(a) is Token:
                args.append(a.value)
    return ast.Attribute("::".join(path.path.names), tuple(args), Span(start, end))


Attrs = tuple[ast.Attribute, ...]


def _fn_item(tree: Tree, attrs: Attrs, is_pub: bool, span: Span) -> ast.FnDecl:
    c = tree.children
    name = _tokens(c, "IDENT")[0]
    self_param: ast.SelfParam | None = None
    params: list[ast.Param] = []
    fn_params = _tree(c, "fn_params")
    if fn_params is not None:
        for p in _values(fn_params.children):
            if p.data == "self_param":
                by_ref, mutable = _has(p.children, "AMP"), _has(p.children, "MUT")
                if self_param is not None or params:
                    raise LowerError("unexpected `self` parameter in function", span_of(p))
                labels = _tokens(p.children, "LABEL")
                self_param = ast.SelfParam(by_ref, mutable, span_of(p),
                                           labels[0].value if labels else None)
            else:
                pat, ty = _values(p.children)
                params.append(ast.Param(pat, ty, span_of(p)))
    body_tree = _tree(c, "fn_body")
    body: ast.Block | None = None
    if body_tree is not None and type(body_tree.children[0]) is ast.Block:
        body = body_tree.children[0]
    return ast.FnDecl(name.value, span_of(name), _generics(c), self_param, tuple(params),
                      _ret(c), body, is_pub, attrs, span, block_items=_block_items(body))


def _block_items(body: ast.Block | None) -> bool:
    """Whether an inner block of `body` (not the body itself) has item statements."""
    if body is None:
        return False
    parts: list[object] = [st for st in body.stmts if type(st) is not ast.ItemStmt]
    if body.tail is not None:
        parts.append(body.tail)
    return any(type(n) is ast.ItemStmt for part in parts for n in walk(part))


def _ret(c: Sequence[Child]) -> ast.TypeExpr | None:
    """The type of a `ret_type` child (`-> T`), if any."""
    ret = _tree(c, "ret_type")
    return ret.children[1] if ret is not None else None


def _generics(c: Sequence[Child]) -> ast.Generics:
    gp = _tree(c, "generic_params")
    wc = _tree(c, "where_clause")
    if gp is None and wc is None:
        return ast.NO_GENERICS
    params: list[ast.GenericParam] = []
    lifetimes: list[str] = []
    if gp is not None:
        for p in _values(gp.children):
            if p.data == "lifetime_param":
                lifetimes.append(_tokens(p.children, "LABEL")[0].value.lstrip("'"))
                continue
            name = _tokens(p.children, "IDENT")[0]
            bounds = _tree(p.children, "bounds")
            params.append(ast.GenericParam(name.value, _bounds(bounds), span_of(p),
                                           _relaxes_sized(bounds)))
    where: list[ast.WherePredicate] = []
    if wc is not None:
        for w in _values(wc.children):
            ty, pred_bounds = _values(w.children)
            where.append(ast.WherePredicate(ty, _bounds(pred_bounds), span_of(w),
                                            _relaxes_sized(pred_bounds)))
    span = span_of(gp) if gp is not None else span_of(wc) if wc is not None else Span(0, 0)
    return ast.Generics(tuple(params), tuple(where), span, tuple(lifetimes))


def _bounds(tree: Tree | None) -> tuple[ast.TypePath, ...]:
    """The trait bounds of a `+` list: not lifetimes, nor `?Sized` (`_relaxes_sized`)."""
    if tree is None:
        return ()
    result = []
    for b in _values(tree.children):
        if b.data in ("lifetime_bound", "relaxed_bound"):
            continue
        if b.data == "fn_bound":
            result.append(_fn_bound(b))
            continue
        result.append(b.children[0])
    return tuple(result)


def _relaxes_sized(tree: Tree | None) -> bool:
    """Whether a `+` list of bounds has `?Sized` (a `?` before another trait relaxes
    nothing: rustc warns, and so it is ignored here too)."""
    return tree is not None and any(
        b.data == "relaxed_bound" and _values(b.children)[0].path.names in _SIZED_PATHS
        for b in _values(tree.children))


_SIZED_PATHS: Final = (("Sized",), ("std", "marker", "Sized"), ("core", "marker", "Sized"))


def relaxed_bound(c: list[Child], start: int, end: int) -> Tree:
    """`?Sized` stays a parse-tree node for `_relaxes_sized`; `?` before another trait is
    rustc's error (and is then ignored)."""
    node = Tree("relaxed_bound", c, start, end)
    path = _values(c)[0]
    if path.path.names not in _SIZED_PATHS:
        raise SoftError(node, [d.error(None, "bound modifier `?` can only be applied to "
                                       "`Sized`", Span(start, end))])
    return node


def _fn_bound(tree: Tree) -> ast.TypePath:
    """`Fn(A, B) -> R` as Rust desugars it: `Fn<(A, B), R>` (R is `()` if absent)."""
    c = tree.children
    name = _tokens(c, "IDENT")[0]
    params = [t for t in c if isinstance(t, _TYPES)]
    span = span_of(tree)
    ret = _ret(c) or ast.TupleType((), span)
    segment = ast.PathSegment(name.value, span_of(name), (ast.TupleType(tuple(params), span), ret))
    return ast.TypePath(ast.Path((segment,), span), span)


def _struct_item(tree: Tree, attrs: Attrs, is_pub: bool, span: Span) -> ast.StructDecl:
    c = tree.children
    name = _tokens(c, "IDENT")[0]
    body = [t for t in _values(c) if t.data != "generic_params"][-1]
    where_children: list[Child] = list(c)
    if body.data == "struct_body":
        where_children.extend(body.children)
        body = next(x for x in _values(body.children) if x.data != "where_clause")
    kind, fields = _fields(body)
    return ast.StructDecl(name.value, span_of(name), _generics(where_children), kind, fields,
                          is_pub, attrs, span)


def _fields(tree: Tree | None) -> tuple[str, tuple[ast.FieldDef, ...]]:
    if tree is None or tree.data == "unit_fields":
        return "unit", ()
    named = tree.data == "named_fields"
    result = []
    for f in _values(tree.children):
        vis = _tree(f.children, "vis")
        ty = [t for t in f.children if isinstance(t, _TYPES)][-1]
        if named:
            ident = _tokens(f.children, "IDENT")[0]
            result.append(ast.FieldDef(ident.value, span_of(ident), ty, vis is not None,
                                       span_of(f), _restricted(vis)))
        else:
            result.append(ast.FieldDef(None, span_of(f), ty, vis is not None, span_of(f),
                                       _restricted(vis)))
    return ("named" if named else "tuple"), tuple(result)


def _enum_item(tree: Tree, attrs: Attrs, is_pub: bool, span: Span) -> ast.EnumDecl:
    c = tree.children
    name = _tokens(c, "IDENT")[0]
    variants = []
    for v in _values(c):
        if v.data != "variant":
            continue
        vname = _tokens(v.children, "IDENT")[0]
        kind, fields = _fields(_tree(v.children, "named_fields", "tuple_fields"))
        default = any(a.name == "default" for a in v.children if type(a) is ast.Attribute)
        disc = _tree(v.children, "discriminant")
        variants.append(ast.VariantDef(vname.value, span_of(vname), kind, fields, span_of(v),
                                       default, _values(disc.children)[0] if disc else None))
    return ast.EnumDecl(name.value, span_of(name), _generics(c), tuple(variants), is_pub,
                        attrs, span)


def _impl_item(tree: Tree, attrs: Attrs, is_pub: bool, span: Span) -> ast.ImplDecl:
    c = tree.children
    head = next(t for t in _values(c) if type(t) is Tree and
                t.data in ("inherent_head", "trait_head"))
    trait_: ast.TypePath | None = None
    if head.data == "trait_head":
        trait_, self_ty = _values(head.children)
    else:
        self_ty = _values(head.children)[0]
    members = tuple(_member(m) for m in c if isinstance(m, _ITEMS))
    return ast.ImplDecl(_generics(c), trait_, self_ty, members, attrs, span)


def _trait_item(tree: Tree, attrs: Attrs, is_pub: bool, span: Span) -> ast.TraitDecl:
    c = tree.children
    name = _tokens(c, "IDENT")[0]
    members = tuple(_member(m) for m in c if isinstance(m, _ITEMS))
    return ast.TraitDecl(name.value, span_of(name), _generics(c), _bounds(_tree(c, "bounds")),
                         members, is_pub, attrs, span)


def _member(m: ast.Item) -> ast.Item:
    """An impl's or trait's member; an associated constant is the function giving its value
    (`FnDecl.assoc_const`), so that it flows through the checker and the backend as an
    associated function does (trait defaults, overrides, `T::NAME` through a bound)."""
    if not isinstance(m, ast.ConstDecl):
        return m
    body = ast.Block((), m.value, m.value.span)
    return ast.FnDecl(m.name, m.name_span, ast.NO_GENERICS, None, (), m.ty, body, m.is_pub,
                      m.attrs, m.span, crate_only=m.crate_only, assoc_const=True)


def _assoc_const(tree: Tree, attrs: Attrs, is_pub: bool, span: Span) -> ast.FnDecl:
    """`const SIDES: u32;`: a trait's required associated constant."""
    c = tree.children
    name = _tokens(c, "IDENT")[0]
    (ty,) = _values(c)
    return ast.FnDecl(name.value, span_of(name), ast.NO_GENERICS, None, (), ty, None, is_pub,
                      attrs, span, assoc_const=True)


def _const_item(tree: Tree, attrs: Attrs, is_pub: bool, span: Span) -> ast.ConstDecl:
    c = tree.children
    name = _tokens(c, "IDENT")[0]
    ty, value = _values(c)
    return ast.ConstDecl(name.value, span_of(name), ty, value, is_pub, attrs, span)


def _static_item(tree: Tree, attrs: Attrs, is_pub: bool, span: Span) -> ast.StaticDecl:
    c = tree.children
    name = _tokens(c, "IDENT")[0]
    ty, value = _values(c)
    return ast.StaticDecl(name.value, span_of(name), _has(c, "MUT"), ty, value, is_pub, attrs,
                          span)


def _type_alias(tree: Tree, attrs: Attrs, is_pub: bool, span: Span) -> ast.TypeAliasDecl:
    c = tree.children
    name = _tokens(c, "IDENT")[0]
    types = [t for t in c if isinstance(t, _TYPES)]
    return ast.TypeAliasDecl(name.value, span_of(name), _generics(c),
                             types[0] if types else None, is_pub, attrs, span)


def _use_go(tree: Tree, attrs: Attrs, is_pub: bool, span: Span) -> ast.UseGoDecl:
    c = tree.children
    package = _tokens(c, "STRING")[0]
    alias = _tokens(c, "IDENT")
    decoded = literal(package).value
    assert isinstance(decoded, str)
    return ast.UseGoDecl(decoded, span_of(package), alias[0].value if alias else None, is_pub,
                         attrs, span)


def _use_item(tree: Tree, attrs: Attrs, is_pub: bool, span: Span) -> ast.UseDecl:
    return ast.UseDecl(_use_tree(_values(tree.children)[0]), is_pub, attrs, span)


def _use_tree(tree: Tree) -> ast.UseTree:
    alias: str | None = None
    if tree.data == "use_rename":
        idents = _tokens(tree.children, "IDENT")
        alias = idents[-1].value if idents else "_"  # `use fmt::Write as _;`: no name
        tree = _values(tree.children)[0]
    parts = _parts(tree.children)
    names = [p for p in parts if type(p) is Token]
    tails = [p for p in parts if type(p) is Tree]
    if (tails and parts[-1] is not tails[-1]) or len(tails) > 1:
        raise LowerError("`*` and `{...}` can only come last in a `use` path",
                         span_of(tails[0]))
    span = span_of(tree)
    path = ast.Path(tuple(ast.PathSegment(t.value, span_of(t)) for t in names), span)
    if not tails:
        return ast.UseTree(path, alias, False, None, span)
    if tails[0].data == "use_glob":
        return ast.UseTree(path, alias, True, None, span)
    children = tuple(_use_tree(t) for t in _values(tails[0].children))
    return ast.UseTree(path, alias, False, children, span)


def _mod_item(tree: Tree, attrs: Attrs, is_pub: bool, span: Span) -> ast.ModDecl:
    c = tree.children
    name = _tokens(c, "IDENT")[0]
    body = _tree(c, "mod_body")
    items = tuple(x for x in body.children if isinstance(x, _ITEMS)) if body is not None \
        else None
    return ast.ModDecl(name.value, span_of(name), items, is_pub, attrs, span)


_ITEM_KINDS: Final[dict[str, Callable[[Tree, Attrs, bool, Span], Any]]] = {
    "fn_item": _fn_item, "struct_item": _struct_item, "enum_item": _enum_item,
    "impl_item": _impl_item, "trait_item": _trait_item, "const_item": _const_item,
    "static_item": _static_item, "type_alias": _type_alias, "use_item": _use_item,
    "use_go": _use_go, "mod_item": _mod_item, "assoc_const": _assoc_const,
}


# ---------------------------------------------------------------- paths


def _path(c: Sequence[Child], span: Span) -> ast.Path:
    """`a::b::<T>::c`: generic arguments attach to the segment before them."""
    segments: list[ast.PathSegment] = []
    for x in c:
        if type(x) is Token:
            if x.type != "PATH_SEP":
                segments.append(ast.PathSegment(x.value, Span(x.start_pos, x.end_pos)))
        elif type(x) is Tree and x.data == "generic_args" and segments:
            last = segments[-1]
            segments[-1] = ast.PathSegment(last.name, last.span.cover(span_of(x)),
                                           _generic_args(x), _lifetime_args(x))
    return ast.Path(tuple(segments), span)


def _generic_args(tree: Tree) -> tuple[ast.TypeExpr, ...]:
    return tuple(t for t in _values(tree.children)
                 if type(t) is not Tree or t.data != "lifetime_arg")


def _lifetime_args(tree: Tree) -> tuple[str, ...]:
    return tuple(t.children[0].value.lstrip("'") for t in _values(tree.children)
                 if type(t) is Tree and t.data == "lifetime_arg")


def path_expr(c: list[Child], start: int, end: int) -> ast.PathExpr:
    span = Span(start, end)
    if len(c) == 1:
        # The common case, a plain name `x`: one segment, one span.
        return ast.PathExpr(ast.Path((ast.PathSegment(c[0].value, span),), span), span)
    return ast.PathExpr(_path(c, span), span)


def qualified_expr(c: list[Child], start: int, end: int) -> ast.PathExpr:
    """`<Sq as Shape>::SIDES`: the path `Sq::SIDES` that names the trait's item
    (`Path.qself_trait`); the type must be a path (`<Vec<i32> as Tr>::f` is one)."""
    span = Span(start, end)
    self_ty, trait = c[1], c[3]
    if not isinstance(self_ty, ast.TypePath) or not isinstance(trait, ast.TypePath):
        raise LowerError("this qualified path is not supported yet (the type before `as` "
                         "must be a path)", span)
    tail = _path(c[5:], span)
    path = ast.Path((*self_ty.path.segments, *tail.segments), span, trait)
    return ast.PathExpr(path, span)


def qualified_path(c: list[Child], start: int, end: int) -> ast.Path:
    return _path(c, Span(start, end))


# ---------------------------------------------------------------- types


def type_path(c: list[Child], start: int, end: int) -> ast.TypePath:
    segments = []
    for seg in c:
        if type(seg) is not Tree:
            continue
        name = seg.children[0]
        args = seg.children[1] if len(seg.children) > 1 else None
        generics = _generic_args(args) if args is not None else ()
        lifetimes = _lifetime_args(args) if args is not None else ()
        segments.append(ast.PathSegment(name.value, Span(seg.start, seg.end), generics,
                                        lifetimes))
    span = Span(start, end)
    return ast.TypePath(ast.Path(tuple(segments), span), span)


def qualified_type(c: list[Child], start: int, end: int) -> ast.TypePath:
    """`<C as Container>::Item`: the path `C::Item` that names its trait
    (`Path.qself_trait`), as `qualified_expr`; the type must be a path."""
    span = Span(start, end)
    self_ty, trait, name = c[1], c[3], c[-1]
    if not isinstance(self_ty, ast.TypePath) or not isinstance(trait, ast.TypePath):
        raise LowerError("this qualified path is not supported yet (the type before `as` "
                         "must be a path)", span)
    item = ast.PathSegment(name.value, Span(name.start_pos, name.end_pos))
    return ast.TypePath(ast.Path((*self_ty.path.segments, item), span, trait), span)


def ref_type(c: list[Child], start: int, end: int) -> ast.RefType:
    lifetime = _tokens(c, "LABEL")
    return ast.RefType(_has(c, "MUT"), c[-1], Span(start, end),
                       lifetime[0].value[1:] if lifetime else None)


def double_ref_type(c: list[Child], start: int, end: int) -> ast.RefType:
    """`&&T` (one `&&` token): a reference to a reference."""
    inner = ast.RefType(_has(c, "MUT"), c[-1], Span(start + 1, end), None)
    return ast.RefType(False, inner, Span(start, end), None)


def unit_type(c: list[Child], start: int, end: int) -> ast.TupleType:
    return ast.TupleType((), Span(start, end))


def tuple_type(c: list[Child], start: int, end: int) -> ast.TupleType:
    return ast.TupleType(tuple(_values(c)), Span(start, end))


def paren_type(c: list[Child], start: int, end: int) -> ast.TypeExpr:
    result: ast.TypeExpr = c[1]
    return result


def array_type(c: list[Child], start: int, end: int) -> ast.ArrayType:
    elem, length = _values(c)
    return ast.ArrayType(elem, length, Span(start, end))


def slice_type(c: list[Child], start: int, end: int) -> ast.SliceType:
    return ast.SliceType(c[1], Span(start, end))


def impl_trait_type(c: list[Child], start: int, end: int) -> ast.ImplTraitType:
    return ast.ImplTraitType(_bounds(_tree(c, "bounds")), Span(start, end))


def dyn_type(c: list[Child], start: int, end: int) -> ast.DynTraitType:
    return ast.DynTraitType(_bounds(_tree(c, "bounds")), Span(start, end))


def assoc_binding(c: list[Child], start: int, end: int) -> ast.AssocBinding:
    name = _tokens(c, "IDENT")[0]
    return ast.AssocBinding(name.value, _values(c)[0], Span(start, end))


def never_type(c: list[Child], start: int, end: int) -> ast.NeverType:
    return ast.NeverType(Span(start, end))


def infer_type(c: list[Child], start: int, end: int) -> ast.InferType:
    return ast.InferType(Span(start, end))


def fn_type(c: list[Child], start: int, end: int) -> ast.FnPtrType:
    params = tuple(t for t in c if isinstance(t, _TYPES))
    return ast.FnPtrType(params, _ret(c), Span(start, end))


# ---------------------------------------------------------------- statements and blocks


def block(c: list[Child], start: int, end: int) -> ast.Block:
    stmts: list[ast.Stmt] = []
    tail: ast.Expr | None = None
    for x in c:
        if type(x) is Token:
            continue
        if type(x) in _STMTS:
            stmts.append(x)
        elif type(x) is not Tree:  # not an empty statement (`;`)
            tail = x
    # A block-like statement without `;` at the very end is the block's value, as in
    # `fn f() -> i32 { if c { 1 } else { 2 } }`.
    if tail is None and stmts:
        last = stmts[-1]
        if type(last) is ast.ExprStmt and not last.has_semi:
            stmts.pop()
            tail = last.expr
    return ast.Block(tuple(stmts), tail, Span(start, end))


def let_stmt(c: list[Child], start: int, end: int) -> ast.Let:
    values = _values(c)
    pat = values[0]
    rest = values[1:]
    ty: ast.TypeExpr | None = None
    if rest and isinstance(rest[0], _TYPES):
        ty = rest[0]
        rest = rest[1:]
    init = rest[0] if rest else None
    else_block = rest[1] if len(rest) > 1 else None
    return ast.Let(pat, ty, init, else_block, Span(start, end))


def expr_stmt(c: list[Child], start: int, end: int) -> ast.ExprStmt:
    return ast.ExprStmt(c[0], True, Span(start, end))


def block_stmt(c: list[Child], start: int, end: int) -> ast.ExprStmt:
    return ast.ExprStmt(c[0], False, Span(start, end))


# ---------------------------------------------------------------- expressions


def literal_expr(c: list[Child], start: int, end: int) -> ast.Literal:
    return literal(c[0])


def macro_call(c: list[Child], start: int, end: int) -> ast.Expr:
    name = c[0]
    args_tree = _tree(c, "macro_args", "macro_repeat_args", "macro_guard_args")
    if args_tree is not None and args_tree.data == "macro_guard_args":
        # Only `matches!` takes a guard (its own rule: matches_macro).
        raise LowerError("expected one of `!`, `,`, `.`, `::`, `?`, `{`, or an operator, "
                         "found keyword `if`", span_of(_tokens(args_tree.children, "IF")[0]))
    args: tuple[ast.Expr, ...] = ()
    repeat: tuple[ast.Expr, ast.Expr] | None = None
    if args_tree is not None:
        exprs = tuple(_values(args_tree.children))
        if args_tree.data == "macro_repeat_args":
            repeat = (exprs[0], exprs[1])
        else:
            args = exprs
    call = ast.MacroCall(name.value, span_of(name), args, repeat, Span(start, end))
    if call.name == "concat" and repeat is None:
        return _concat(call)
    return call


def matches_macro(c: list[Child], start: int, end: int) -> ast.Match:
    """`matches!(e, P)` and `matches!(e, P if g)`: the grammar parses P as a pattern."""
    values = _values(c)
    guard_tree = _tree(values, "guard")
    guard: ast.Expr | None = _values(guard_tree.children)[0] if guard_tree is not None \
        else None
    return _matches_match(values[0], values[1], guard, Span(start, end))


def _matches_match(scrutinee: ast.Expr, pat: ast.Pat, guard: ast.Expr | None,
                   span: Span) -> ast.Match:
    """`matches!(e, P if g)` is `match e { P if g => true, _ => false }`."""
    arm_span = pat.span if guard is None else Span(pat.span.start, guard.span.end)
    yes = ast.Literal("bool", True, None, "true", arm_span)
    no = ast.Literal("bool", False, None, "false", span)
    return ast.Match(scrutinee, (ast.MatchArm(pat, guard, yes, arm_span),
                                 ast.MatchArm(ast.WildPat(span), None, no, span)), span)


def _concat(call: ast.MacroCall) -> ast.Literal:
    """`concat!("a", 1, 'c', true)`: the `&'static str` literal of its literals' texts."""
    parts: list[str] = []
    for arg in call.args:
        lit, minus = (arg.operand, "-") if isinstance(arg, ast.Unary) and arg.op == "-" \
            else (arg, "")
        if not isinstance(lit, ast.Literal) or lit.kind in ("byte", "bytestr") or \
                (minus and lit.kind not in ("int", "float")):
            raise LowerError("expected a literal", arg.span)
        if lit.kind == "float":  # its spelling without the suffix, as rustc's
            parts.append(minus + lit.text.removesuffix(lit.suffix or ""))
        elif lit.kind == "bool":
            parts.append("true" if lit.value else "false")
        else:
            parts.append(minus + str(lit.value))
    value = "".join(parts)
    text = '"' + value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") \
        .replace("\r", "\\r").replace("\t", "\\t") + '"'
    return ast.Literal("str", value, None, text, call.span)


def paren(c: list[Child], start: int, end: int) -> ast.Paren:
    return ast.Paren(c[1], Span(start, end))


def unit(c: list[Child], start: int, end: int) -> ast.TupleExpr:
    return ast.TupleExpr((), Span(start, end))


def tuple_expr(c: list[Child], start: int, end: int) -> ast.TupleExpr:
    return ast.TupleExpr(tuple(_values(c)), Span(start, end))


def array(c: list[Child], start: int, end: int) -> ast.ArrayExpr:
    return ast.ArrayExpr(tuple(_values(c)), Span(start, end))


def array_repeat(c: list[Child], start: int, end: int) -> ast.ArrayRepeat:
    value, count = _values(c)
    return ast.ArrayRepeat(value, count, Span(start, end))


def return_expr(c: list[Child], start: int, end: int) -> ast.Return:
    values = _values(c)
    return ast.Return(values[0] if values else None, Span(start, end))


def break_expr(c: list[Child], start: int, end: int) -> ast.Break:
    labels = _tokens(c, "LABEL")
    values = _values(c)
    return ast.Break(labels[0].value[1:] if labels else None, values[0] if values else None,
                     Span(start, end))


def continue_expr(c: list[Child], start: int, end: int) -> ast.Continue:
    labels = _tokens(c, "LABEL")
    return ast.Continue(labels[0].value[1:] if labels else None, Span(start, end))


def _call_args(c: Sequence[Child]) -> tuple[ast.Expr, ...]:
    args = _tree(c, "call_args")
    return tuple(_values(args.children)) if args is not None else ()


def call(c: list[Child], start: int, end: int) -> ast.Call:
    # postfix "(" call_args? ")"
    args = tuple(_values(c[2].children)) if len(c) == 4 else ()
    return ast.Call(c[0], args, Span(start, end))


def method_call(c: list[Child], start: int, end: int) -> ast.MethodCall:
    # postfix "." IDENT turbofish? "(" call_args? ")"
    name = c[2]
    turbofish = c[3] if type(c[3]) is Tree and c[3].data == "turbofish" else None
    generics = _generic_args(turbofish.children[1]) if turbofish is not None else ()
    return ast.MethodCall(c[0], name.value, Span(name.start_pos, name.end_pos), generics,
                          _call_args(c), Span(start, end))


def field(c: list[Child], start: int, end: int) -> ast.Field:
    name = c[2]
    return ast.Field(c[0], name.value, Span(name.start_pos, name.end_pos), Span(start, end))


def tuple_field(c: list[Child], start: int, end: int) -> ast.TupleField:
    index = c[2]
    if not index.value.isdigit():
        raise LowerError(f"invalid tuple index `{index.value}`", span_of(index))
    return ast.TupleField(c[0], int(index.value), span_of(index), Span(start, end))


def tuple_field_pair(c: list[Child], start: int, end: int) -> ast.TupleField:
    """`t.0.1` lexes as `t` `.` `0.1`: two tuple-field accesses."""
    pair = c[2]
    first, _, second = pair.value.partition(".")
    if not (first.isdigit() and second.isdigit()):
        raise LowerError(f"invalid tuple index `{pair.value}`", span_of(pair))
    pos = pair.start_pos
    inner = ast.TupleField(c[0], int(first), Span(pos, pos + len(first)),
                           Span(start, pos + len(first)))
    second_start = pos + len(first) + 1
    return ast.TupleField(inner, int(second), Span(second_start, second_start + len(second)),
                          Span(start, end))


def index(c: list[Child], start: int, end: int) -> ast.Index:
    return ast.Index(c[0], c[2], Span(start, end))


def try_expr(c: list[Child], start: int, end: int) -> ast.Try:
    return ast.Try(c[0], Span(start, end))


def unary(c: list[Child], start: int, end: int) -> ast.Expr:
    op, operand = c
    if op.type == "PLUS":
        # Rust has no unary `+`; rustc reports it and reads the operand alone.
        op_span = span_of(op)
        raise SoftError(operand, [d.error(
            None, "leading `+` is not supported", op_span, "unexpected `+`",
            fixes=(d.Fix("try removing the `+`", (d.Edit(op_span, ""),)),))])
    return ast.Unary(op.value, operand, Span(start, end))


def borrow(c: list[Child], start: int, end: int) -> ast.Borrow:
    return ast.Borrow(len(c) == 3, c[-1], Span(start, end))


def double_borrow(c: list[Child], start: int, end: int) -> ast.Borrow:
    """`&&x` is `& &x`."""
    inner = ast.Borrow(len(c) == 3, c[-1], Span(start + 1, end))
    return ast.Borrow(False, inner, Span(start, end))


def binary_chain(c: list[Child], start: int, end: int) -> ast.Expr:
    """`a op b op c ...` with Rust's precedence (left-associative; comparisons do not
    chain: `a < b < c` is an error, as in rustc). Operator-precedence parsing of the
    already tokenised chain."""
    out: list[ast.Expr] = [c[0]]
    pending: list[Token] = []
    errors: list[d.Diagnostic] = []

    def reduce() -> None:
        op = pending.pop()
        rhs = out.pop()
        lhs = out.pop()
        if op.value in _COMPARISONS and type(lhs) is ast.Binary and lhs.op in _COMPARISONS:
            errors.append(d.error(
                None, "comparison operators cannot be chained", span_of(op), None,
                help=("split the comparison into two: `a < b && b < c`",)))
        out.append(ast.Binary(op.value, lhs, rhs, Span(op.start_pos, op.end_pos),
                              Span(lhs.span.start, rhs.span.end)))

    for i in range(1, len(c), 2):
        op = c[i]
        precedence = _PRECEDENCE[op.value]
        while pending and _PRECEDENCE[pending[-1].value] >= precedence:
            reduce()
        pending.append(op)
        out.append(c[i + 1])
    while pending:
        reduce()
    if errors:
        raise SoftError(out[0], errors)
    return out[0]


def cast(c: list[Child], start: int, end: int) -> ast.Cast:
    return ast.Cast(c[0], c[2], Span(start, end))


def assign_expr(c: list[Child], start: int, end: int) -> ast.Assign:
    return ast.Assign(c[0], c[2], Span(start, end))


def compound_assign(c: list[Child], start: int, end: int) -> ast.CompoundAssign:
    return ast.CompoundAssign(c[1].value[:-1], c[0], c[2], Span(start, end))


def _range(c: list[Child], start: int, end: int, lo: Any, hi: Any) -> ast.Range:
    return ast.Range(lo, hi, _has(c, "DOTDOTEQ"), Span(start, end))


def range_expr(c: list[Child], start: int, end: int) -> ast.Range:
    return _range(c, start, end, c[0], c[2])


def range_from(c: list[Child], start: int, end: int) -> ast.Range:
    return _range(c, start, end, c[0], None)


def range_to(c: list[Child], start: int, end: int) -> ast.Range:
    return _range(c, start, end, None, c[1])


def range_full(c: list[Child], start: int, end: int) -> ast.Range:
    return _range(c, start, end, None, None)


def closure(c: list[Child], start: int, end: int) -> ast.Closure:
    params_tree = _tree(c, "closure_params", "no_closure_params")
    params = []
    if params_tree is not None:
        for p in _values(params_tree.children):
            values = _values(p.children)
            params.append(ast.ClosureParam(values[0], values[1] if len(values) > 1 else None,
                                           span_of(p)))
    head = span_of(params_tree) if params_tree is not None else None
    return ast.Closure(_has(c, "MOVE"), tuple(params), _ret(c), c[-1], Span(start, end), head)


def unsafe_block(c: list[Child], start: int, end: int) -> ast.Block:
    inner: ast.Block = c[1]
    return ast.Block(inner.stmts, inner.tail, Span(start, end), unsafe=True)


def let_cond(c: list[Child], start: int, end: int) -> ast.LetCond:
    pat, value = _values(c)
    return ast.LetCond(pat, value, Span(start, end))


def if_expr(c: list[Child], start: int, end: int) -> ast.If:
    values = _values(c)
    return ast.If(values[0], values[1], values[2] if len(values) > 2 else None,
                  Span(start, end))


def match_expr(c: list[Child], start: int, end: int) -> ast.Match:
    values = _values(c)
    arms = []
    for arm in values[1:]:
        head, body = _values(arm.children)
        head_values = _values(head.children)
        guard: ast.Expr | None = None
        if len(head_values) > 1:
            guard = _values(head_values[1].children)[0]
        arms.append(ast.MatchArm(head_values[0], guard, body, span_of(arm)))
    return ast.Match(values[0], tuple(arms), Span(start, end))


def select_expr(c: list[Child], start: int, end: int) -> ast.Select:
    arms = []
    for arm in _values(c):
        head, body = _values(arm.children)
        op = _values(head.children)[0]
        span = span_of(arm)
        if isinstance(op, ast.PathExpr) and op.path.names == ("default",):
            arms.append(ast.SelectArm("default", None, None, body, span))
        elif isinstance(op, ast.Assign):
            arms.append(ast.SelectArm("recv", _expr_to_pat(op.target), op.value, body, span))
        else:
            arms.append(ast.SelectArm("op", None, op, body, span))
    return ast.Select(tuple(arms), Span(start, end))


def _expr_to_pat(e: ast.Expr) -> ast.Pat:
    """The binding of a receive arm, `v = rx.recv()`, written as an expression."""
    match e:
        case ast.PathExpr(path=path) if len(path.segments) == 1:
            seg = path.segments[0]
            return ast.IdentPat(seg.name, seg.span, False, False, None, e.span)
        case ast.Underscore():
            return ast.WildPat(e.span)
        case ast.Range(lo=None, hi=None, inclusive=False):
            return ast.RestPat(e.span)  # `Some(..)`
        case ast.TupleExpr(elems=elems):
            return ast.TuplePat(tuple(_expr_to_pat(x) for x in elems), e.span)
        case ast.Call(callee=ast.PathExpr(path=path), args=args):
            return ast.TupleStructPat(path, tuple(_expr_to_pat(x) for x in args), e.span)
    raise LowerError("expected a pattern before `=` in a `select` arm", e.span)


def go_expr(c: list[Child], start: int, end: int) -> ast.GoExpr:
    return ast.GoExpr(c[1], Span(start, end))


def underscore_expr(c: list[Child], start: int, end: int) -> ast.Underscore:
    return ast.Underscore(Span(start, end))


def labelled(c: list[Child], start: int, end: int) -> ast.Expr:
    label = c[0].value[1:]
    result = c[-1]
    span = Span(start, end)
    if isinstance(result, ast.Loop):
        return ast.Loop(result.body, label, span)
    if isinstance(result, ast.While):
        return ast.While(result.cond, result.body, label, span)
    return ast.For(result.pat, result.iter, result.body, label, span)


def loop_expr(c: list[Child], start: int, end: int) -> ast.Loop:
    return ast.Loop(c[1], None, Span(start, end))


def while_expr(c: list[Child], start: int, end: int) -> ast.While:
    return ast.While(c[1], c[2], None, Span(start, end))


def for_expr(c: list[Child], start: int, end: int) -> ast.For:
    return ast.For(c[1], c[3], c[4], None, Span(start, end))


def _struct_lit(c: list[Child], start: int, end: int, base: ast.Expr | None) -> ast.StructLit:
    path: ast.PathExpr = c[0]
    fields = []
    for f in c:
        if type(f) is not Tree or f.data not in ("struct_lit_field", "struct_lit_shorthand",
                                                 "struct_lit_index"):
            continue
        name = f.children[0]
        name_span = span_of(name)
        if f.data == "struct_lit_shorthand":
            value: ast.Expr = ast.PathExpr(
                ast.Path((ast.PathSegment(name.value, name_span),), name_span), name_span)
            fields.append(ast.StructLitField(name.value, name_span, value, True, span_of(f)))
        else:
            fields.append(ast.StructLitField(name.value, name_span, f.children[2], False,
                                             span_of(f)))
    return ast.StructLit(path.path, tuple(fields), base, Span(start, end))


def struct_lit(c: list[Child], start: int, end: int) -> ast.StructLit:
    return _struct_lit(c, start, end, None)


def struct_lit_base(c: list[Child], start: int, end: int) -> ast.StructLit:
    return _struct_lit(c, start, end, _values(c)[-1])


def struct_lit_rest(c: list[Child], start: int, end: int) -> ast.StructLit:
    lit = _struct_lit(c, start, end, None)
    rest = span_of(_tokens(c, "DOTDOT")[0])
    return ast.StructLit(lit.path, lit.fields, None, lit.span, rest)


# ---------------------------------------------------------------- patterns


def ident_pattern(c: list[Child], start: int, end: int) -> ast.IdentPat:
    if len(c) == 1:  # the common case, `x`
        span = Span(start, end)
        return ast.IdentPat(c[0].value, span, False, False, None, span)
    name = _tokens(c, "IDENT")[0]
    subs = _values(c)
    return ast.IdentPat(name.value, span_of(name), _has(c, "MUT"), _has(c, "REF"),
                        subs[0] if subs else None, Span(start, end))


def wild_pattern(c: list[Child], start: int, end: int) -> ast.WildPat:
    return ast.WildPat(Span(start, end))


def rest_pattern(c: list[Child], start: int, end: int) -> ast.RestPat:
    return ast.RestPat(Span(start, end))


def literal_pattern(c: list[Child], start: int, end: int) -> ast.LitPat:
    tok = next(t for t in c if t.type != "MINUS")
    return ast.LitPat(literal(tok), _has(c, "MINUS"), Span(start, end))


def range_pattern(c: list[Child], start: int, end: int) -> ast.RangePat:
    return ast.RangePat(_range_end(c[0]), _range_end(c[2]), _has(c, "DOTDOTEQ"),
                        Span(start, end))


def range_from_pattern(c: list[Child], start: int, end: int) -> ast.RangePat:
    return ast.RangePat(_range_end(c[0]), None, False, Span(start, end))


def range_to_pattern(c: list[Child], start: int, end: int) -> ast.RangePat:
    return ast.RangePat(None, _range_end(c[1]), _has(c, "DOTDOTEQ"), Span(start, end))


def _range_end(end: ast.LitPat | ast.Path) -> ast.LitPat:
    """A range pattern's end: a literal, or `i32::MAX` / `u8::MIN` as the literal it is."""
    if isinstance(end, ast.LitPat):
        return end
    names = end.names
    bounds = _INT_BOUNDS.get(names[0]) if len(names) == 2 else None
    if bounds is None or names[1] not in ("MIN", "MAX"):
        raise LowerError("expected a literal or an integer type's `MIN` or `MAX` in a "
                         "range pattern", end.span)
    value = bounds[0] if names[1] == "MIN" else bounds[1]
    text = "::".join(names)
    return ast.LitPat(ast.Literal("int", abs(value), names[0], text, end.span), value < 0,
                      end.span)


def path_pattern(c: list[Child], start: int, end: int) -> ast.PathPat:
    return ast.PathPat(c[0], Span(start, end))


def tuple_struct_pattern(c: list[Child], start: int, end: int) -> ast.TupleStructPat:
    values = _values(c)
    return ast.TupleStructPat(values[0].path, tuple(values[1:]), Span(start, end))


def struct_pattern(c: list[Child], start: int, end: int) -> ast.StructPat:
    values = _values(c)
    fields = []
    has_rest = False
    for f in values[1:]:
        if f.data == "field_rest_pattern":
            has_rest = True
            continue
        name = _tokens(f.children, "IDENT")[0]
        if f.data == "field_shorthand_pattern":
            pat: ast.Pat = ast.IdentPat(name.value, span_of(name), _has(f.children, "MUT"),
                                        _has(f.children, "REF"), None, span_of(f))
            fields.append(ast.FieldPat(name.value, span_of(name), pat, True, span_of(f)))
        else:
            fields.append(ast.FieldPat(name.value, span_of(name), _values(f.children)[0],
                                       False, span_of(f)))
    return ast.StructPat(values[0].path, tuple(fields), has_rest, Span(start, end))


def tuple_pattern(c: list[Child], start: int, end: int) -> ast.Pat:
    elems = _values(c)
    if len(elems) == 1 and not _has(c, "COMMA"):
        result: ast.Pat = elems[0]  # `(32 | 212)`: parentheses group, not a 1-tuple
        return result
    return ast.TuplePat(tuple(elems), Span(start, end))


def slice_pattern(c: list[Child], start: int, end: int) -> ast.SlicePat:
    return ast.SlicePat(tuple(_values(c)), Span(start, end))


def ref_pattern(c: list[Child], start: int, end: int) -> ast.RefPat:
    return ast.RefPat(_has(c, "MUT"), c[-1], Span(start, end))


def double_ref_pattern(c: list[Child], start: int, end: int) -> ast.RefPat:
    """`&&x` is lexed as one token: two reference patterns, the inner one `mut` if
    written."""
    inner = ast.RefPat(_has(c, "MUT"), c[-1], Span(start + 1, end))
    return ast.RefPat(False, inner, Span(start, end))


def or_pattern(c: list[Child], start: int, end: int) -> ast.OrPat:
    return ast.OrPat(tuple(_values(c)), Span(start, end))


# The builder of each rule (or alias) that becomes an AST node; the other rules stay
# parse-tree nodes for the rule around them. Keys are the rules' names in grammar/gust.lark.
BUILDERS: Final[dict[str, Builder]] = {
    "item": item, "impl_member": item, "item_stmt": item_stmt, "attr": attr,
    "path_expr": path_expr, "qualified_path": qualified_path, "qualified_expr": qualified_expr,
    "type_path": type_path, "qualified_type": qualified_type, "ref_type": ref_type, "double_ref_type": double_ref_type,
    "unit_type": unit_type, "tuple_type": tuple_type, "paren_type": paren_type,
    "array_type": array_type, "slice_type": slice_type, "impl_trait_type": impl_trait_type,
    "dyn_type": dyn_type, "assoc_binding": assoc_binding, "never_type": never_type,
    "infer_type": infer_type, "fn_type": fn_type, "relaxed_bound": relaxed_bound,
    "block": block, "let_stmt": let_stmt, "expr_stmt": expr_stmt, "block_stmt": block_stmt,
    "literal": literal_expr, "macro_call": macro_call, "matches_macro": matches_macro,
    "paren": paren, "unit": unit,
    "tuple": tuple_expr, "array": array, "array_repeat": array_repeat,
    "return_expr": return_expr, "break_expr": break_expr, "continue_expr": continue_expr,
    "call": call, "method_call": method_call, "field": field, "tuple_field": tuple_field,
    "tuple_field_pair": tuple_field_pair, "index": index, "try_expr": try_expr,
    "unary": unary, "borrow": borrow, "double_borrow": double_borrow,
    "binary_chain": binary_chain, "cast": cast, "assign_expr": assign_expr,
    "compound_assign": compound_assign, "range": range_expr, "range_from": range_from,
    "range_to": range_to, "range_full": range_full, "closure": closure,
    "unsafe_block": unsafe_block, "let_cond": let_cond, "if_expr": if_expr,
    "match_expr": match_expr, "select_expr": select_expr, "go_expr": go_expr,
    "underscore_expr": underscore_expr, "labelled": labelled, "loop_expr": loop_expr,
    "while_expr": while_expr, "for_expr": for_expr, "struct_lit": struct_lit,
    "struct_lit_base": struct_lit_base,
    "struct_lit_rest": struct_lit_rest,
    "ident_pattern": ident_pattern, "mut_ident_pattern": ident_pattern,
    "wild_pattern": wild_pattern, "rest_pattern": rest_pattern,
    "literal_pattern": literal_pattern, "range_pattern": range_pattern,
    "range_from_pattern": range_from_pattern, "range_to_pattern": range_to_pattern,
    "path_pattern": path_pattern, "tuple_struct_pattern": tuple_struct_pattern,
    "struct_pattern": struct_pattern, "tuple_pattern": tuple_pattern,
    "slice_pattern": slice_pattern, "ref_pattern": ref_pattern,
    "double_ref_pattern": double_ref_pattern, "or_pattern": or_pattern,
}


def builder_for(rule: str, name: str) -> Builder | None:
    """The AST builder of rule `rule` reduced as `name` (itself, or an alias): None if it
    stays a parse-tree node. `tuple_field` names both a tuple struct's field (a rule) and
    `t.0` (an alias of the postfix rules)."""
    if name == "tuple_field" and rule == "tuple_field":
        return None
    return BUILDERS.get(name)


def placeholder(start: int, end: int) -> ast.Underscore:
    """What stands for a node whose builder raised `LowerError` (the item is dropped,
    unless error recovery drops the node first)."""
    return ast.Underscore(Span(start, end))


def is_statement(value: Any) -> bool:
    """A complete statement's value (the parser's error recovery restarts after one)."""
    return type(value) in _STMTS


# ---------------------------------------------------------------- literals

_INT_SUFFIXES: Final = ("i8", "i16", "i32", "i64", "i128", "isize",
                 "u8", "u16", "u32", "u64", "u128", "usize")
_INT_BOUNDS: Final = {
    **{f"i{b}": (-(2 ** (b - 1)), 2 ** (b - 1) - 1) for b in (8, 16, 32, 64, 128)},
    **{f"u{b}": (0, 2 ** b - 1) for b in (8, 16, 32, 64, 128)},
    "isize": (-(2 ** 63), 2 ** 63 - 1), "usize": (0, 2 ** 64 - 1),
}
_INT_SUFFIXES_LONGEST_FIRST: Final = sorted(_INT_SUFFIXES, key=len, reverse=True)
_ESCAPES: Final = {"n": "\n", "t": "\t", "r": "\r", "0": "\0", "\\": "\\", "'": "'", '"': '"'}


def literal(tok: Token) -> ast.Literal:
    text = str(tok.value)
    span = span_of(tok)
    kind = tok.type
    if kind == "INT":
        return _int_literal(text, span)
    if kind == "FLOAT":
        suffix = None
        body = text
        for s in ("f32", "f64"):
            if text.endswith(s):
                suffix, body = s, text[: -len(s)]
        return ast.Literal("float", float(body.replace("_", "")), suffix, text, span)
    if kind == "STRING":
        return ast.Literal("str", unescape(text[1:-1], span), None, text, span)
    if kind == "RAW_STRING":
        hashes = text.index('"') - 1
        return ast.Literal("str", text[2 + hashes : len(text) - 1 - hashes], None, text, span)
    if kind == "CHAR":
        return ast.Literal("char", unescape(text[1:-1], span), None, text, span)
    if kind == "BYTE":
        return ast.Literal("byte", ord(unescape(text[2:-1], span, byte=True)), None, text, span)
    if kind == "BYTE_STRING":
        return ast.Literal("bytestr", unescape(text[2:-1], span, byte=True), None, text, span)
    if kind in ("TRUE", "FALSE"):
        return ast.Literal("bool", kind == "TRUE", None, text, span)
    raise LowerError(f"unexpected literal `{text}`", span)


def _int_literal(text: str, span: Span) -> ast.Literal:
    if text.isdigit():  # the common case, `42`: no suffix, base or separators
        return ast.Literal("int", int(text), None, text, span)
    suffix = None
    body = text
    for s in _INT_SUFFIXES_LONGEST_FIRST:
        if text.endswith(s):
            suffix, body = s, text[: -len(s)]
            break
    digits = body.replace("_", "")
    base = 10
    if digits[:2] in ("0x", "0X"):
        base, digits = 16, digits[2:]
    elif digits[:2] == "0o":
        base, digits = 8, digits[2:]
    elif digits[:2] == "0b":
        base, digits = 2, digits[2:]
    if not digits:
        raise LowerError("no valid digits found for number", span)
    return ast.Literal("int", int(digits, base), suffix, text, span)


def unescape(body: str, span: Span, byte: bool = False) -> str:
    """Decode Rust string escapes, including `\\u{..}`, `\\x..` and line continuations
    (`byte`: of a byte or byte string literal, where `\\x80`..`\\xFF` are bytes)."""
    if "\\" not in body:
        return body
    out: list[str] = []
    i = 0
    n = len(body)
    while i < n:
        ch = body[i]
        if ch != "\\":
            out.append(ch)
            i += 1
            continue
        if i + 1 >= n:
            raise LowerError("unterminated escape", span)
        esc = body[i + 1]
        if esc in _ESCAPES:
            out.append(_ESCAPES[esc])
            i += 2
        elif esc == "x":
            out.append(_hex_escape(body[i + 2 : i + 4], span, 0xFF if byte else 0x7F))
            i += 4
        elif esc == "u":
            close = body.find("}", i)
            if not body.startswith("{", i + 2) or close < 0:
                raise LowerError("incorrect unicode escape sequence", span)
            out.append(_unicode_escape(body[i + 3 : close], span))
            i = close + 1
        elif esc == "\n" or esc == "\r":
            i += 2
            while i < n and body[i] in " \t\r\n":
                i += 1
        else:
            raise LowerError(f"unknown character escape: `{esc}`", span)
    return "".join(out)


def _hex_escape(digits: str, span: Span, highest: int) -> str:
    """`\\x41`: two hex digits, at most `highest` (rustc's messages for the rest)."""
    if len(digits) < 2:
        raise LowerError("numeric character escape is too short", span)
    for ch in digits:
        if ch not in string.hexdigits:
            raise LowerError(f"invalid character in numeric character escape: `{ch}`", span)
    value = int(digits, 16)
    if value > highest:
        raise LowerError("out of range hex escape", span)
    return chr(value)


def _unicode_escape(digits: str, span: Span) -> str:
    """`\\u{1F600}`: one to six hex digits (underscores allowed), a scalar value."""
    for ch in digits:
        if ch not in string.hexdigits and ch != "_":
            raise LowerError(f"invalid character in unicode escape: `{ch}`", span)
    digits = digits.replace("_", "")
    if not digits:
        raise LowerError("empty unicode escape", span)
    if len(digits) > 6:
        raise LowerError("overlong unicode escape", span)
    value = int(digits, 16)
    if value > 0x10FFFF or 0xD800 <= value <= 0xDFFF:
        raise LowerError("invalid unicode character escape", span)
    return chr(value)
