"""Turn the parse tree of one item (gust.syntax.tree) into the AST of gust.syntax.ast.

One method per grammar rule, named after it (`_expr_binary` for `binary`), dispatched by
the tree's rule name. Positions come from the tokens (`span_of`); they are offsets into
the item's text. Every token stays in the tree (lark's `keep_all_tokens`); punctuation is
dropped before a node's parts are read (`_parts`).
"""

from __future__ import annotations

import dataclasses
import string
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from gust import diagnostics as d
from gust.syntax import ast
from gust.syntax.tree import Token, Tree
from gust.text import Span

Child = Tree | Token | None


@dataclass(frozen=True)
class LowerError(Exception):
    """A construct the grammar accepts but the AST rejects (e.g. a bad literal)."""

    message: str
    span: Span


def lower_item(tree: Tree) -> tuple[ast.Item, list[d.Diagnostic]]:
    """The item's AST, and errors for syntax that parses but is not Rust (`+x`)."""
    lowerer = _Lowerer()
    return lowerer.item(tree), lowerer.soft_errors


def span_of(node: Tree | Token) -> Span:
    """The span of a token, or of a tree from its first to its last token (trees keep
    every token, punctuation included, so a block's span covers its braces).

    Called for nearly every AST node, so written for speed: `type(...) is Token` instead
    of isinstance (the parser makes only plain `Token`s), and the two edge walks inline."""
    if type(node) is Token:
        start = node.start_pos or 0
        end = node.end_pos
        return Span(start, start + len(node.value) if end is None else end)
    first: Any = node
    while type(first) is not Token:
        for child in first.children:
            if child is not None:
                first = child
                break
        else:
            return Span(0, 0)
    last: Any = node
    while type(last) is not Token:
        for child in reversed(last.children):
            if child is not None:
                last = child
                break
        else:
            return Span(0, 0)
    return Span(first.start_pos or 0, last.end_pos or 0)


# Rust's binary operator precedence (higher binds tighter); all left-associative.
_PRECEDENCE = {
    "||": 1, "&&": 2,
    "==": 3, "!=": 3, "<": 3, ">": 3, "<=": 3, ">=": 3,
    "|": 4, "^": 5, "&": 6, "<<": 7, ">>": 7,
    "+": 8, "-": 8, "*": 9, "/": 9, "%": 9,
}
_COMPARISONS = frozenset({"==", "!=", "<", ">", "<=", ">="})


def _is_comparison(e: ast.Expr) -> bool:
    return isinstance(e, ast.Binary) and e.op in _COMPARISONS


# Punctuation: kept in the tree for spans, dropped before lowering reads a node's parts.
_PUNCTUATION = frozenset({
    "LPAR", "RPAR", "LBRACE", "RBRACE", "LSQB", "RSQB", "COMMA", "SEMICOLON", "COLON",
    "DOT", "EQUAL", "HASH", "QMARK", "AT", "ARROW", "FAT_ARROW", "PATH_SEP",
})


def _parts(tree: Tree) -> list[Child]:
    """A node's children without punctuation tokens."""
    return [c for c in tree.children
            if type(c) is not Token or c.type not in _PUNCTUATION]


def _trees(children: Sequence[Child]) -> list[Tree]:
    return [c for c in children if isinstance(c, Tree)]


def _tokens(children: Sequence[Child], *types: str) -> list[Token]:
    return [c for c in children if isinstance(c, Token) and (not types or c.type in types)]


def _has(children: Sequence[Child], token_type: str) -> bool:
    return any(isinstance(c, Token) and c.type == token_type for c in children)


def _restricted(vis: Tree | None) -> bool:
    """`pub(crate)`, `pub(super)`, `pub(self)`, `pub(in path)`: more than the `pub` token."""
    return vis is not None and len(vis.children) > 1


def _first_tree(children: Sequence[Child], *names: str) -> Tree | None:
    for c in children:
        if isinstance(c, Tree) and c.data in names:
            return c
    return None


_TYPE_RULES = frozenset(
    {
        "type_path", "ref_type", "double_ref_type", "unit_type", "tuple_type", "paren_type",
        "array_type", "slice_type", "impl_trait_type", "dyn_type", "never_type", "infer_type", "fn_type",
    }
)
_STMT_RULES = frozenset({"let_stmt", "expr_stmt", "block_stmt", "item_stmt", "empty_stmt"})
_ITEM_RULES = frozenset(
    {
        "fn_item", "struct_item", "enum_item", "impl_item", "trait_item", "const_item",
        "static_item", "type_alias", "use_item", "use_go", "mod_item",
    }
)


class _Lowerer:
    def __init__(self) -> None:
        self.soft_errors: list[d.Diagnostic] = []

    # ------------------------------------------------------------ dispatch

    def _dispatch(self, prefix: str, tree: Tree) -> Any:
        method = _METHODS.get((prefix, tree.data))
        if method is None:
            raise LowerError(f"unsupported syntax: {tree.data}", span_of(tree))
        return method(self, tree)

    def expr(self, node: Tree | Token) -> ast.Expr:
        if isinstance(node, Token):
            raise LowerError("expected expression", span_of(node))
        result: ast.Expr = self._dispatch("_expr", node)
        return result

    def ty(self, tree: Tree) -> ast.TypeExpr:
        result: ast.TypeExpr = self._dispatch("_type", tree)
        return result

    def pat(self, tree: Tree) -> ast.Pat:
        result: ast.Pat = self._dispatch("_pat", tree)
        return result

    # ------------------------------------------------------------ items

    def item(self, tree: Tree) -> ast.Item:
        """`item: attr* vis? item_kind`, or an `impl_member` / `item_stmt` of the same shape."""
        children = _parts(tree)
        attrs = tuple(self.attr(t) for t in _trees(children) if t.data == "attr")
        vis = _first_tree(children, "vis")
        kind = next(t for t in _trees(children) if t.data in _ITEM_RULES)
        method: Callable[[Tree, tuple[ast.Attribute, ...], bool, Span], ast.Item] = getattr(
            self, f"_item_{kind.data}"
        )
        item = method(kind, attrs, vis is not None, span_of(tree))
        if _restricted(vis) and hasattr(item, "crate_only"):
            item = dataclasses.replace(item, crate_only=True)  # type: ignore[arg-type]
        return item

    def attr(self, tree: Tree) -> ast.Attribute:
        body = _parts(tree)[0]
        assert isinstance(body, Tree)
        path_tree = _parts(body)[0]
        assert isinstance(path_tree, Tree)
        path = self.path(path_tree)
        args: list[str] = []
        body_parts = _parts(body)
        if len(body_parts) > 1 and isinstance(body_parts[1], Tree):
            for a in _parts(body_parts[1]):
                if isinstance(a, Tree) and a.data == "path_expr":
                    args.append("::".join(self.path(a).names))
                elif isinstance(a, Tree):
                    args.append(_tokens(_parts(a))[0].value)
                elif isinstance(a, Token):
                    args.append(a.value)
        return ast.Attribute("::".join(path.names), tuple(args), span_of(tree))

    def _item_fn_item(
        self, tree: Tree, attrs: tuple[ast.Attribute, ...], is_pub: bool, span: Span
    ) -> ast.FnDecl:
        c = _parts(tree)
        name = _tokens(c, "IDENT")[0]
        generics = self.generics(c)
        self_param: ast.SelfParam | None = None
        params: list[ast.Param] = []
        fn_params = _first_tree(c, "fn_params")
        if fn_params is not None:
            for p in _trees(_parts(fn_params)):
                if p.data == "self_param":
                    by_ref, mutable = _has(p.children, "AMP"), _has(p.children, "MUT")
                    if self_param is not None or params:
                        raise LowerError("unexpected `self` parameter in function", span_of(p))
                    self_param = ast.SelfParam(by_ref, mutable, span_of(p))
                else:
                    pat_tree, ty_tree = _trees(_parts(p))
                    params.append(ast.Param(self.pat(pat_tree), self.ty(ty_tree), span_of(p)))
        ret_tree = _first_tree(c, "ret_type")
        ret = self.ty(_trees(_parts(ret_tree))[0]) if ret_tree is not None else None
        body_tree = _first_tree(c, "fn_body")
        body: ast.Block | None = None
        if body_tree is not None and _parts(body_tree):
            block = _parts(body_tree)[0]
            assert isinstance(block, Tree)
            body = self._expr_block(block)
        return ast.FnDecl(
            name.value, span_of(name), generics, self_param, tuple(params), ret, body,
            is_pub, attrs, span,
        )

    def generics(self, children: Sequence[Child]) -> ast.Generics:
        gp = _first_tree(children, "generic_params")
        wc = _first_tree(children, "where_clause")
        if gp is None and wc is None:
            return ast.NO_GENERICS
        params: list[ast.GenericParam] = []
        if gp is not None:
            for p in _trees(_parts(gp)):
                if p.data == "lifetime_param":
                    continue  # lifetimes are elided in v1
                name = _tokens(_parts(p), "IDENT")[0]
                bounds_tree = _first_tree(_parts(p), "bounds")
                params.append(ast.GenericParam(name.value, self.bounds(bounds_tree), span_of(p)))
        where: list[ast.WherePredicate] = []
        if wc is not None:
            for w in _trees(_parts(wc)):
                ty_tree, bounds_tree = _trees(_parts(w))
                where.append(ast.WherePredicate(self.ty(ty_tree), self.bounds(bounds_tree),
                                                span_of(w)))
        span = span_of(gp) if gp is not None else span_of(wc) if wc is not None else Span(0, 0)
        return ast.Generics(tuple(params), tuple(where), span)

    def bounds(self, tree: Tree | None) -> tuple[ast.TypePath, ...]:
        if tree is None:
            return ()
        result = []
        for b in _trees(_parts(tree)):
            if b.data == "lifetime_bound":
                continue
            if b.data == "fn_bound":
                result.append(self._fn_bound(b))
                continue
            result.append(self._type_type_path(_trees(_parts(b))[0]))
        return tuple(result)

    def _fn_bound(self, tree: Tree) -> ast.TypePath:
        """`Fn(A, B) -> R` as Rust desugars it: `Fn<(A, B), R>` (R is `()` if absent)."""
        c = _parts(tree)
        name = _tokens(c, "IDENT")[0]
        params = [self.ty(t) for t in _trees(c) if t.data in _TYPE_RULES]
        ret_tree = _first_tree(c, "ret_type")
        span = span_of(tree)
        ret = self.ty(_trees(_parts(ret_tree))[0]) if ret_tree is not None else \
            ast.TupleType((), span)
        segment = ast.PathSegment(name.value, span_of(name),
                                  (ast.TupleType(tuple(params), span), ret))
        return ast.TypePath(ast.Path((segment,), span), span)

    def _item_struct_item(
        self, tree: Tree, attrs: tuple[ast.Attribute, ...], is_pub: bool, span: Span
    ) -> ast.StructDecl:
        c = _parts(tree)
        name = _tokens(c, "IDENT")[0]
        body = [t for t in _trees(c) if t.data not in ("generic_params",)][-1]
        where_children: list[Child] = list(c)
        if body.data == "struct_body":
            where_children.extend(_parts(body))
            body = _trees(_parts(body))[0]
        kind, fields = self.fields(body)
        return ast.StructDecl(
            name.value, span_of(name), self.generics(where_children), kind, fields, is_pub,
            attrs, span,
        )

    def fields(self, tree: Tree | None) -> tuple[str, tuple[ast.FieldDef, ...]]:
        if tree is None or tree.data == "unit_fields":
            return "unit", ()
        result = []
        for f in _trees(_parts(tree)):
            vis = _first_tree(_parts(f), "vis")
            is_pub = vis is not None
            ty_tree = [t for t in _trees(_parts(f)) if t.data in _TYPE_RULES][-1]
            idents = _tokens(_parts(f), "IDENT")
            if tree.data == "named_fields":
                result.append(ast.FieldDef(idents[0].value, span_of(idents[0]), self.ty(ty_tree),
                                           is_pub, span_of(f), _restricted(vis)))
            else:
                result.append(ast.FieldDef(None, span_of(f), self.ty(ty_tree), is_pub,
                                           span_of(f), _restricted(vis)))
        return ("named" if tree.data == "named_fields" else "tuple"), tuple(result)

    def _item_enum_item(
        self, tree: Tree, attrs: tuple[ast.Attribute, ...], is_pub: bool, span: Span
    ) -> ast.EnumDecl:
        c = _parts(tree)
        name = _tokens(c, "IDENT")[0]
        variants = []
        for v in _trees(c):
            if v.data != "variant":
                continue
            vname = _tokens(_parts(v), "IDENT")[0]
            body = _first_tree(_parts(v), "named_fields", "tuple_fields")
            kind, fields = self.fields(body)
            default = any(self.attr(a).name == "default" for a in _trees(_parts(v))
                          if a.data == "attr")
            variants.append(ast.VariantDef(vname.value, span_of(vname), kind, fields, span_of(v),
                                           default))
        return ast.EnumDecl(name.value, span_of(name), self.generics(c), tuple(variants), is_pub,
                            attrs, span)

    def _item_impl_item(
        self, tree: Tree, attrs: tuple[ast.Attribute, ...], is_pub: bool, span: Span
    ) -> ast.ImplDecl:
        c = _parts(tree)
        head = next(t for t in _trees(c) if t.data in ("inherent_head", "trait_head"))
        trait_: ast.TypePath | None = None
        if head.data == "trait_head":
            trait_tree, self_tree = _trees(_parts(head))
            trait_ = self._type_type_path(trait_tree)
            self_ty = self.ty(self_tree)
        else:
            self_ty = self.ty(_trees(_parts(head))[0])
        members = tuple(self.item(m) for m in _trees(c) if m.data == "impl_member")
        return ast.ImplDecl(self.generics(c), trait_, self_ty, members, attrs, span)

    def _item_trait_item(
        self, tree: Tree, attrs: tuple[ast.Attribute, ...], is_pub: bool, span: Span
    ) -> ast.TraitDecl:
        c = _parts(tree)
        name = _tokens(c, "IDENT")[0]
        members = tuple(self.item(m) for m in _trees(c) if m.data == "impl_member")
        return ast.TraitDecl(name.value, span_of(name), self.generics(c),
                             self.bounds(_first_tree(c, "bounds")), members, is_pub, attrs, span)

    def _item_const_item(
        self, tree: Tree, attrs: tuple[ast.Attribute, ...], is_pub: bool, span: Span
    ) -> ast.ConstDecl:
        c = _parts(tree)
        name = _tokens(c, "IDENT")[0]
        ty_tree, value_tree = _trees(c)
        return ast.ConstDecl(name.value, span_of(name), self.ty(ty_tree), self.expr(value_tree),
                             is_pub, attrs, span)

    def _item_static_item(
        self, tree: Tree, attrs: tuple[ast.Attribute, ...], is_pub: bool, span: Span
    ) -> ast.StaticDecl:
        c = _parts(tree)
        name = _tokens(c, "IDENT")[0]
        ty_tree, value_tree = _trees(c)
        return ast.StaticDecl(name.value, span_of(name), _has(c, "MUT"), self.ty(ty_tree),
                              self.expr(value_tree), is_pub, attrs, span)

    def _item_type_alias(
        self, tree: Tree, attrs: tuple[ast.Attribute, ...], is_pub: bool, span: Span
    ) -> ast.TypeAliasDecl:
        c = _parts(tree)
        name = _tokens(c, "IDENT")[0]
        ty_trees = [t for t in _trees(c) if t.data in _TYPE_RULES]
        ty = self.ty(ty_trees[0]) if ty_trees else None
        return ast.TypeAliasDecl(name.value, span_of(name), self.generics(c), ty, is_pub, attrs,
                                 span)

    def _item_use_go(
        self, tree: Tree, attrs: tuple[ast.Attribute, ...], is_pub: bool, span: Span
    ) -> ast.UseGoDecl:
        c = _parts(tree)
        package = _tokens(c, "STRING")[0]
        alias = _tokens(c, "IDENT")
        decoded = literal(package).value
        assert isinstance(decoded, str)
        return ast.UseGoDecl(decoded, span_of(package), alias[0].value if alias else None,
                             is_pub, attrs, span)

    def _item_use_item(
        self, tree: Tree, attrs: tuple[ast.Attribute, ...], is_pub: bool, span: Span
    ) -> ast.UseDecl:
        return ast.UseDecl(self.use_tree(_trees(_parts(tree))[0]), is_pub, attrs, span)

    def use_tree(self, tree: Tree) -> ast.UseTree:
        alias: str | None = None
        if tree.data == "use_rename":
            alias = _tokens(_parts(tree), "IDENT")[-1].value
            tree = _trees(_parts(tree))[0]
        parts = _parts(tree)
        names = [p for p in parts if isinstance(p, Token)]
        tails = [p for p in parts if isinstance(p, Tree)]
        if (tails and parts[-1] is not tails[-1]) or len(tails) > 1:
            raise LowerError("`*` and `{...}` can only come last in a `use` path",
                             span_of(tails[0]))
        path = ast.Path(tuple(ast.PathSegment(t.value, span_of(t)) for t in names),
                        span_of(tree))
        if not tails:
            return ast.UseTree(path, alias, False, None, span_of(tree))
        if tails[0].data == "use_glob":
            return ast.UseTree(path, alias, True, None, span_of(tree))
        children = tuple(self.use_tree(t) for t in _trees(_parts(tails[0])))
        return ast.UseTree(path, alias, False, children, span_of(tree))

    def _item_mod_item(
        self, tree: Tree, attrs: tuple[ast.Attribute, ...], is_pub: bool, span: Span
    ) -> ast.ModDecl:
        c = _parts(tree)
        name = _tokens(c, "IDENT")[0]
        body = _first_tree(c, "mod_body")
        items = tuple(self.item(t) for t in _trees(_parts(body))) if body is not None else None
        return ast.ModDecl(name.value, span_of(name), items, is_pub, attrs, span)

    # ------------------------------------------------------------ paths

    def path(self, tree: Tree) -> ast.Path:
        """`a::b::<T>::c`: generic arguments attach to the segment before them."""
        segments: list[ast.PathSegment] = []
        for c in _parts(tree):
            if isinstance(c, Token):
                segments.append(ast.PathSegment(c.value, span_of(c)))
            elif isinstance(c, Tree) and c.data == "generic_args" and segments:
                last = segments[-1]
                segments[-1] = ast.PathSegment(
                    last.name, last.span.cover(span_of(c)), self.generic_args(c)
                )
        return ast.Path(tuple(segments), span_of(tree))

    def generic_args(self, tree: Tree) -> tuple[ast.TypeExpr, ...]:
        return tuple(self.ty(t) for t in _trees(_parts(tree)) if t.data != "lifetime_arg")

    # ------------------------------------------------------------ types

    def _type_type_path(self, tree: Tree) -> ast.TypePath:
        segments = []
        for seg in _trees(_parts(tree)):
            name = _tokens(_parts(seg))[0]
            ga = _first_tree(_parts(seg), "generic_args")
            generics = self.generic_args(ga) if ga is not None else ()
            segments.append(ast.PathSegment(name.value, span_of(seg), generics))
        span = span_of(tree)
        return ast.TypePath(ast.Path(tuple(segments), span), span)

    def _type_ref_type(self, tree: Tree) -> ast.RefType:
        c = _parts(tree)
        inner = _trees(c)[0]
        lifetime = _tokens(c, "LABEL")
        return ast.RefType(_has(c, "MUT"), self.ty(inner), span_of(tree),
                           lifetime[0].value[1:] if lifetime else None)

    def _type_double_ref_type(self, tree: Tree) -> ast.RefType:
        """`&&T` (one `&&` token): a reference to a reference."""
        c = _parts(tree)
        span = span_of(tree)
        inner = ast.RefType(_has(c, "MUT"), self.ty(_trees(c)[0]),
                            Span(span.start + 1, span.end), None)
        return ast.RefType(False, inner, span, None)

    def _type_unit_type(self, tree: Tree) -> ast.TupleType:
        return ast.TupleType((), span_of(tree))

    def _type_tuple_type(self, tree: Tree) -> ast.TupleType:
        return ast.TupleType(tuple(self.ty(t) for t in _trees(_parts(tree))), span_of(tree))

    def _type_paren_type(self, tree: Tree) -> ast.TypeExpr:
        return self.ty(_trees(_parts(tree))[0])

    def _type_array_type(self, tree: Tree) -> ast.ArrayType:
        elem, length = _trees(_parts(tree))
        return ast.ArrayType(self.ty(elem), self.expr(length), span_of(tree))

    def _type_slice_type(self, tree: Tree) -> ast.SliceType:
        return ast.SliceType(self.ty(_trees(_parts(tree))[0]), span_of(tree))

    def _type_impl_trait_type(self, tree: Tree) -> ast.ImplTraitType:
        return ast.ImplTraitType(self.bounds(_first_tree(_parts(tree), "bounds")), span_of(tree))

    def _type_dyn_type(self, tree: Tree) -> ast.DynTraitType:
        return ast.DynTraitType(self.bounds(_first_tree(_parts(tree), "bounds")), span_of(tree))

    def _type_assoc_binding(self, tree: Tree) -> ast.AssocBinding:
        name = _tokens(_parts(tree), "IDENT")[0]
        return ast.AssocBinding(name.value, self.ty(_trees(_parts(tree))[0]), span_of(tree))

    def _type_never_type(self, tree: Tree) -> ast.NeverType:
        return ast.NeverType(span_of(tree))

    def _type_infer_type(self, tree: Tree) -> ast.InferType:
        return ast.InferType(span_of(tree))

    def _type_fn_type(self, tree: Tree) -> ast.FnPtrType:
        c = _parts(tree)
        params = tuple(self.ty(t) for t in _trees(c) if t.data in _TYPE_RULES)
        ret_tree = _first_tree(c, "ret_type")
        ret = self.ty(_trees(_parts(ret_tree))[0]) if ret_tree is not None else None
        return ast.FnPtrType(params, ret, span_of(tree))

    # ------------------------------------------------------------ statements and blocks

    def _expr_block(self, tree: Tree) -> ast.Block:
        stmts: list[ast.Stmt] = []
        tail: ast.Expr | None = None
        for c in _trees(_parts(tree)):
            if c.data in _STMT_RULES:
                stmt = self.stmt(c)
                if stmt is not None:
                    stmts.append(stmt)
            else:
                tail = self.expr(c)
        # A block-like statement without `;` at the very end is the block's value, as in
        # `fn f() -> i32 { if c { 1 } else { 2 } }`.
        if tail is None and stmts:
            last = stmts[-1]
            if isinstance(last, ast.ExprStmt) and not last.has_semi:
                stmts.pop()
                tail = last.expr
        return ast.Block(tuple(stmts), tail, span_of(tree))

    def stmt(self, tree: Tree) -> ast.Stmt | None:
        span = span_of(tree)
        c = _parts(tree)
        if tree.data == "let_stmt":
            trees = _trees(c)
            pat = self.pat(trees[0])
            rest = trees[1:]
            ty: ast.TypeExpr | None = None
            if rest and rest[0].data in _TYPE_RULES:
                ty = self.ty(rest[0])
                rest = rest[1:]
            init = self.expr(rest[0]) if rest else None
            else_block = self._expr_block(rest[1]) if len(rest) > 1 else None
            return ast.Let(pat, ty, init, else_block, span)
        if tree.data == "expr_stmt":
            return ast.ExprStmt(self.expr(_trees(c)[0]), True, span)
        if tree.data == "block_stmt":
            return ast.ExprStmt(self.expr(_trees(c)[0]), False, span)
        if tree.data == "item_stmt":
            return ast.ItemStmt(self.item(tree), span)
        return None

    # ------------------------------------------------------------ expressions

    def _expr_literal(self, tree: Tree) -> ast.Literal:
        return literal(_tokens(_parts(tree))[0])

    def _expr_path_expr(self, tree: Tree) -> ast.PathExpr:
        children = tree.children
        if len(children) == 1 and type(children[0]) is Token:
            # The common case, a plain name `x`: one segment, one span.
            name = children[0]
            span = span_of(name)
            return ast.PathExpr(ast.Path((ast.PathSegment(name.value, span),), span), span)
        return ast.PathExpr(self.path(tree), span_of(tree))

    def _expr_macro_call(self, tree: Tree) -> ast.Expr:
        call = self._macro_call(tree)
        guard_tree = _first_tree(_parts(tree), "macro_guard_args")
        guard = self.expr(_trees(_parts(guard_tree))[2]) if guard_tree is not None else None
        if call.name == "matches" and len(call.args) == 2:
            pat = _expr_as_pattern(call.args[1])
            if pat is not None:
                # `matches!(e, P if g)` is `match e { P if g => true, _ => false }`.
                arm_span = call.args[1].span if guard is None else \
                    Span(call.args[1].span.start, guard.span.end)
                yes = ast.Literal("bool", True, None, "true", arm_span)
                no = ast.Literal("bool", False, None, "false", call.span)
                return ast.Match(call.args[0], (
                    ast.MatchArm(pat, guard, yes, arm_span),
                    ast.MatchArm(ast.WildPat(call.span), None, no, call.span)), call.span)
            if guard is not None:
                raise LowerError("expected a pattern", call.args[1].span)
        if guard_tree is not None:  # only `matches!` takes a guard
            raise LowerError("expected one of `!`, `,`, `.`, `::`, `?`, `{`, or an operator, "
                             "found keyword `if`", span_of(_tokens(_parts(guard_tree), "IF")[0]))
        return call

    def _macro_call(self, tree: Tree) -> ast.MacroCall:
        name = _tokens(_parts(tree), "IDENT")[0]
        args_tree = _first_tree(_parts(tree), "macro_args", "macro_repeat_args",
                                "macro_guard_args")
        args: tuple[ast.Expr, ...] = ()
        repeat: tuple[ast.Expr, ast.Expr] | None = None
        if args_tree is not None:
            trees = _trees(_parts(args_tree))
            if args_tree.data == "macro_guard_args":
                trees = trees[:2]  # the guard is lowered by _expr_macro_call
            exprs = tuple(self.expr(t) for t in trees)
            if args_tree.data == "macro_repeat_args":
                repeat = (exprs[0], exprs[1])
            else:
                args = exprs
        return ast.MacroCall(name.value, span_of(name), args, repeat, span_of(tree))

    def _expr_paren(self, tree: Tree) -> ast.Paren:
        return ast.Paren(self.expr(_trees(_parts(tree))[0]), span_of(tree))

    def _expr_unit(self, tree: Tree) -> ast.TupleExpr:
        return ast.TupleExpr((), span_of(tree))

    def _expr_tuple(self, tree: Tree) -> ast.TupleExpr:
        return ast.TupleExpr(tuple(self.expr(t) for t in _trees(_parts(tree))), span_of(tree))

    def _expr_array(self, tree: Tree) -> ast.ArrayExpr:
        return ast.ArrayExpr(tuple(self.expr(t) for t in _trees(_parts(tree))), span_of(tree))

    def _expr_array_repeat(self, tree: Tree) -> ast.ArrayRepeat:
        value, count = _trees(_parts(tree))
        return ast.ArrayRepeat(self.expr(value), self.expr(count), span_of(tree))

    def _expr_return_expr(self, tree: Tree) -> ast.Return:
        trees = _trees(_parts(tree))
        return ast.Return(self.expr(trees[0]) if trees else None, span_of(tree))

    def _expr_break_expr(self, tree: Tree) -> ast.Break:
        labels = _tokens(_parts(tree), "LABEL")
        trees = _trees(_parts(tree))
        return ast.Break(labels[0].value[1:] if labels else None,
                         self.expr(trees[0]) if trees else None, span_of(tree))

    def _expr_continue_expr(self, tree: Tree) -> ast.Continue:
        labels = _tokens(_parts(tree), "LABEL")
        return ast.Continue(labels[0].value[1:] if labels else None, span_of(tree))

    def call_args(self, tree: Tree | None) -> tuple[ast.Expr, ...]:
        if tree is None:
            return ()
        return tuple(self.expr(t) for t in _trees(_parts(tree)))

    def _expr_call(self, tree: Tree) -> ast.Call:
        callee = _parts(tree)[0]
        assert isinstance(callee, Tree)
        return ast.Call(self.expr(callee), self.call_args(_first_tree(_parts(tree)[1:],
                                                                          "call_args")),
                        span_of(tree))

    def _expr_method_call(self, tree: Tree) -> ast.MethodCall:
        c = _parts(tree)
        receiver = c[0]
        assert isinstance(receiver, Tree)
        name = c[1]
        assert isinstance(name, Token)
        turbofish = _first_tree(c[1:], "turbofish")
        generics = self.generic_args(_trees(_parts(turbofish))[0]) if turbofish else ()
        return ast.MethodCall(self.expr(receiver), name.value, span_of(name), generics,
                              self.call_args(_first_tree(c[1:], "call_args")), span_of(tree))

    def _expr_field(self, tree: Tree) -> ast.Field:
        base, name = _parts(tree)
        assert isinstance(base, Tree) and isinstance(name, Token)
        return ast.Field(self.expr(base), name.value, span_of(name), span_of(tree))

    def _expr_tuple_field(self, tree: Tree) -> ast.TupleField:
        base, index = _parts(tree)
        assert isinstance(base, Tree) and isinstance(index, Token)
        if not index.value.isdigit():
            raise LowerError(f"invalid tuple index `{index.value}`", span_of(index))
        return ast.TupleField(self.expr(base), int(index.value), span_of(index), span_of(tree))

    def _expr_tuple_field_pair(self, tree: Tree) -> ast.TupleField:
        """`t.0.1` lexes as `t` `.` `0.1`: two tuple-field accesses."""
        base, pair = _parts(tree)
        assert isinstance(base, Tree) and isinstance(pair, Token)
        first, _, second = pair.value.partition(".")
        if not (first.isdigit() and second.isdigit()):
            raise LowerError(f"invalid tuple index `{pair.value}`", span_of(pair))
        start = pair.start_pos or 0
        inner_span = Span(span_of(tree).start, start + len(first))
        inner = ast.TupleField(self.expr(base), int(first), Span(start, start + len(first)),
                               inner_span)
        second_start = start + len(first) + 1
        return ast.TupleField(inner, int(second), Span(second_start, second_start + len(second)),
                              span_of(tree))

    def _expr_index(self, tree: Tree) -> ast.Index:
        base, index = _trees(_parts(tree))
        return ast.Index(self.expr(base), self.expr(index), span_of(tree))

    def _expr_try_expr(self, tree: Tree) -> ast.Try:
        return ast.Try(self.expr(_trees(_parts(tree))[0]), span_of(tree))

    def _expr_unary(self, tree: Tree) -> ast.Expr:
        op, operand = _parts(tree)
        assert isinstance(op, Token) and isinstance(operand, Tree)
        if op.type == "PLUS":
            # Rust has no unary `+`; rustc reports it and reads the operand alone.
            self.soft_errors.append(d.error(
                None, "leading `+` is not supported", span_of(op), "unexpected `+`",
                fixes=(d.Fix("try removing the `+`", (d.Edit(span_of(op), ""),)),)))
            return self.expr(operand)
        return ast.Unary(op.value, self.expr(operand), span_of(tree))

    def _expr_borrow(self, tree: Tree) -> ast.Borrow:
        operand = _trees(_parts(tree))[0]
        return ast.Borrow(_has(_parts(tree), "MUT"), self.expr(operand), span_of(tree))

    def _expr_double_borrow(self, tree: Tree) -> ast.Borrow:
        """`&&x` is `& &x`."""
        operand = _trees(_parts(tree))[0]
        span = span_of(tree)
        inner = ast.Borrow(_has(_parts(tree), "MUT"), self.expr(operand),
                           Span(span.start + 1, span.end))
        return ast.Borrow(False, inner, span)

    def _expr_binary_chain(self, tree: Tree) -> ast.Expr:
        """`a op b op c ...` with Rust's precedence (left-associative; comparisons do not
        chain: `a < b < c` is an error, as in rustc)."""
        parts = _parts(tree)
        operands = [self.expr(p) for p in parts[0::2] if isinstance(p, Tree)]
        ops = [p for p in parts[1::2] if isinstance(p, Token)]
        return self._climb(operands, ops)

    def _climb(self, operands: list[ast.Expr], ops: list[Token]) -> ast.Expr:
        """Operator-precedence parsing of an already tokenised chain."""
        out: list[ast.Expr] = [operands[0]]
        pending: list[Token] = []

        def reduce() -> None:
            op = pending.pop()
            rhs = out.pop()
            lhs = out.pop()
            if op.value in _COMPARISONS and _is_comparison(lhs):
                self.soft_errors.append(d.error(
                    None, "comparison operators cannot be chained", span_of(op), None,
                    help=("split the comparison into two: `a < b && b < c`",)))
            out.append(ast.Binary(op.value, lhs, rhs, span_of(op),
                                  Span(lhs.span.start, rhs.span.end)))

        for op, operand in zip(ops, operands[1:], strict=True):
            while pending and _PRECEDENCE[pending[-1].value] >= _PRECEDENCE[op.value]:
                reduce()
            pending.append(op)
            out.append(operand)
        while pending:
            reduce()
        return out[0]

    def _expr_cast(self, tree: Tree) -> ast.Cast:
        value, ty = _trees(_parts(tree))
        return ast.Cast(self.expr(value), self.ty(ty), span_of(tree))

    def _expr_assign_expr(self, tree: Tree) -> ast.Assign:
        target, value = _trees(_parts(tree))
        return ast.Assign(self.expr(target), self.expr(value), span_of(tree))

    def _expr_compound_assign(self, tree: Tree) -> ast.CompoundAssign:
        target, op, value = _parts(tree)
        assert isinstance(target, Tree) and isinstance(op, Token) and isinstance(value, Tree)
        return ast.CompoundAssign(op.value[:-1], self.expr(target), self.expr(value),
                                  span_of(tree))

    def _range(self, tree: Tree, lo: Tree | None, hi: Tree | None) -> ast.Range:
        inclusive = _has(_parts(tree), "DOTDOTEQ")
        return ast.Range(self.expr(lo) if lo is not None else None,
                         self.expr(hi) if hi is not None else None, inclusive, span_of(tree))

    def _expr_range(self, tree: Tree) -> ast.Range:
        lo, hi = _trees(_parts(tree))
        return self._range(tree, lo, hi)

    def _expr_range_from(self, tree: Tree) -> ast.Range:
        return self._range(tree, _trees(_parts(tree))[0], None)

    def _expr_range_to(self, tree: Tree) -> ast.Range:
        return self._range(tree, None, _trees(_parts(tree))[0])

    def _expr_range_full(self, tree: Tree) -> ast.Range:
        return self._range(tree, None, None)

    def _expr_closure(self, tree: Tree) -> ast.Closure:
        c = _parts(tree)
        params_tree = _first_tree(c, "closure_params", "no_closure_params")
        params = []
        if params_tree is not None:
            for p in _trees(_parts(params_tree)):
                trees = _trees(_parts(p))
                params.append(ast.ClosureParam(self.pat(trees[0]),
                                               self.ty(trees[1]) if len(trees) > 1 else None,
                                               span_of(p)))
        ret_tree = _first_tree(c, "ret_type")
        ret = self.ty(_trees(_parts(ret_tree))[0]) if ret_tree is not None else None
        body = _trees(c)[-1]
        head = span_of(params_tree) if params_tree is not None else None
        return ast.Closure(_has(c, "MOVE"), tuple(params), ret, self.expr(body), span_of(tree),
                           head)

    def _expr_unsafe_block(self, tree: Tree) -> ast.Block:
        block = self._expr_block(_trees(_parts(tree))[0])
        return ast.Block(block.stmts, block.tail, span_of(tree), unsafe=True)

    def cond(self, tree: Tree) -> ast.Expr | ast.LetCond:
        if tree.data == "let_cond":
            pat, value = _trees(_parts(tree))
            return ast.LetCond(self.pat(pat), self.expr(value), span_of(tree))
        return self.expr(tree)

    def _expr_if_expr(self, tree: Tree) -> ast.If:
        trees = _trees(_parts(tree))
        cond, then = trees[0], trees[1]
        else_: ast.Block | ast.If | None = None
        if len(trees) > 2:
            e = trees[2]
            else_ = self._expr_if_expr(e) if e.data == "if_expr" else self._expr_block(e)
        return ast.If(self.cond(cond), self._expr_block(then), else_, span_of(tree))

    def _expr_match_expr(self, tree: Tree) -> ast.Match:
        trees = _trees(_parts(tree))
        arms = []
        for arm in trees[1:]:
            head, body = _trees(_parts(arm))
            head_trees = _trees(_parts(head))
            guard: ast.Expr | None = None
            if len(head_trees) > 1:
                guard = self.expr(_trees(head_trees[1].children)[0])
            arms.append(ast.MatchArm(self.pat(head_trees[0]), guard, self.expr(body),
                                     span_of(arm)))
        return ast.Match(self.expr(trees[0]), tuple(arms), span_of(tree))

    def _expr_select_expr(self, tree: Tree) -> ast.Select:
        arms = []
        for arm in _trees(_parts(tree)):
            head, body = _trees(_parts(arm))
            op = self.expr(_trees(_parts(head))[0])
            span = span_of(arm)
            if isinstance(op, ast.PathExpr) and op.path.names == ("default",):
                arms.append(ast.SelectArm("default", None, None, self.expr(body), span))
            elif isinstance(op, ast.Assign):
                arms.append(ast.SelectArm("recv", self._expr_to_pat(op.target), op.value,
                                          self.expr(body), span))
            else:
                arms.append(ast.SelectArm("op", None, op, self.expr(body), span))
        return ast.Select(tuple(arms), span_of(tree))

    def _expr_to_pat(self, e: ast.Expr) -> ast.Pat:
        """The binding of a receive arm, `v = rx.recv()`, written as an expression."""
        match e:
            case ast.PathExpr(path=path) if len(path.segments) == 1:
                seg = path.segments[0]
                return ast.IdentPat(seg.name, seg.span, False, False, None, e.span)
            case ast.Underscore():
                return ast.WildPat(e.span)
            case ast.TupleExpr(elems=elems):
                return ast.TuplePat(tuple(self._expr_to_pat(x) for x in elems), e.span)
            case ast.Call(callee=ast.PathExpr(path=path), args=args):
                return ast.TupleStructPat(path, tuple(self._expr_to_pat(x) for x in args),
                                          e.span)
        raise LowerError("expected a pattern before `=` in a `select` arm", e.span)

    def _expr_go_expr(self, tree: Tree) -> ast.GoExpr:
        return ast.GoExpr(self.expr(_trees(_parts(tree))[0]), span_of(tree))

    def _expr_underscore_expr(self, tree: Tree) -> ast.Underscore:
        return ast.Underscore(span_of(tree))

    def _expr_labelled(self, tree: Tree) -> ast.Expr:
        label = _tokens(_parts(tree), "LABEL")[0].value[1:]
        loop = _trees(_parts(tree))[0]
        result: ast.Loop | ast.While | ast.For = self._dispatch("_loop", loop)
        span = span_of(tree)
        if isinstance(result, ast.Loop):
            return ast.Loop(result.body, label, span)
        if isinstance(result, ast.While):
            return ast.While(result.cond, result.body, label, span)
        return ast.For(result.pat, result.iter, result.body, label, span)

    def _loop_loop_expr(self, tree: Tree) -> ast.Loop:
        return ast.Loop(self._expr_block(_trees(_parts(tree))[0]), None, span_of(tree))

    def _loop_while_expr(self, tree: Tree) -> ast.While:
        cond, body = _trees(_parts(tree))
        return ast.While(self.cond(cond), self._expr_block(body), None, span_of(tree))

    def _loop_for_expr(self, tree: Tree) -> ast.For:
        pat, iterable, body = _trees(_parts(tree))
        return ast.For(self.pat(pat), self.expr(iterable), self._expr_block(body), None,
                       span_of(tree))

    _expr_loop_expr = _loop_loop_expr
    _expr_while_expr = _loop_while_expr
    _expr_for_expr = _loop_for_expr

    def _struct_lit(self, tree: Tree, base: ast.Expr | None) -> ast.StructLit:
        trees = _trees(_parts(tree))
        path = self.path(trees[0])
        fields = []
        for f in trees[1:]:
            if f.data not in ("struct_lit_field", "struct_lit_shorthand", "struct_lit_index"):
                continue
            name = _tokens(_parts(f))[0]
            value_trees = _trees(_parts(f))
            if f.data == "struct_lit_shorthand":
                value: ast.Expr = ast.PathExpr(
                    ast.Path((ast.PathSegment(name.value, span_of(name)),), span_of(name)),
                    span_of(name),
                )
                fields.append(ast.StructLitField(name.value, span_of(name), value, True,
                                                 span_of(f)))
            else:
                fields.append(ast.StructLitField(name.value, span_of(name),
                                                 self.expr(value_trees[0]), False, span_of(f)))
        return ast.StructLit(path, tuple(fields), base, span_of(tree))

    def _expr_struct_lit(self, tree: Tree) -> ast.StructLit:
        return self._struct_lit(tree, None)

    def _expr_struct_lit_base(self, tree: Tree) -> ast.StructLit:
        base = _trees(_parts(tree))[-1]
        return self._struct_lit(tree, self.expr(base))

    # ------------------------------------------------------------ patterns

    def _pat_ident_pattern(self, tree: Tree) -> ast.IdentPat:
        c = _parts(tree)
        name = _tokens(c, "IDENT")[0]
        subs = _trees(c)
        return ast.IdentPat(name.value, span_of(name), _has(c, "MUT"), _has(c, "REF"),
                            self.pat(subs[0]) if subs else None, span_of(tree))

    _pat_mut_ident_pattern = _pat_ident_pattern

    def _pat_wild_pattern(self, tree: Tree) -> ast.WildPat:
        return ast.WildPat(span_of(tree))

    def _pat_rest_pattern(self, tree: Tree) -> ast.RestPat:
        return ast.RestPat(span_of(tree))

    def _pat_literal_pattern(self, tree: Tree) -> ast.LitPat:
        c = _parts(tree)
        tok = next(t for t in _tokens(c) if t.type != "MINUS")
        return ast.LitPat(literal(tok), _has(c, "MINUS"), span_of(tree))

    def _pat_range_pattern(self, tree: Tree) -> ast.RangePat:
        lo, hi = (self._range_end(t) for t in _trees(_parts(tree)))
        return ast.RangePat(lo, hi, _has(_parts(tree), "DOTDOTEQ"), span_of(tree))

    def _pat_range_from_pattern(self, tree: Tree) -> ast.RangePat:
        (lo,) = (self._range_end(t) for t in _trees(_parts(tree)))
        return ast.RangePat(lo, None, False, span_of(tree))

    def _pat_range_to_pattern(self, tree: Tree) -> ast.RangePat:
        (hi,) = (self._range_end(t) for t in _trees(_parts(tree)))
        return ast.RangePat(None, hi, _has(_parts(tree), "DOTDOTEQ"), span_of(tree))

    def _range_end(self, tree: Tree) -> ast.LitPat:
        """A range pattern's end: a literal, or `i32::MAX` / `u8::MIN` as the literal it is."""
        if tree.data == "literal_pattern":
            return self._pat_literal_pattern(tree)
        path = self.path(tree)
        names = path.names
        bounds = _INT_BOUNDS.get(names[0]) if len(names) == 2 else None
        if bounds is None or names[1] not in ("MIN", "MAX"):
            raise LowerError("expected a literal or an integer type's `MIN` or `MAX` in a "
                             "range pattern", path.span)
        value = bounds[0] if names[1] == "MIN" else bounds[1]
        span = span_of(tree)
        text = "::".join(names)
        return ast.LitPat(ast.Literal("int", abs(value), names[0], text, span), value < 0, span)

    def _pat_path_pattern(self, tree: Tree) -> ast.PathPat:
        return ast.PathPat(self.path(_trees(_parts(tree))[0]), span_of(tree))

    def _pat_tuple_struct_pattern(self, tree: Tree) -> ast.TupleStructPat:
        trees = _trees(_parts(tree))
        return ast.TupleStructPat(self.path(trees[0]), tuple(self.pat(t) for t in trees[1:]),
                                  span_of(tree))

    def _pat_struct_pattern(self, tree: Tree) -> ast.StructPat:
        trees = _trees(_parts(tree))
        fields = []
        has_rest = False
        for f in trees[1:]:
            if f.data == "field_rest_pattern":
                has_rest = True
                continue
            name = _tokens(_parts(f), "IDENT")[0]
            if f.data == "field_shorthand_pattern":
                pat: ast.Pat = ast.IdentPat(name.value, span_of(name), _has(_parts(f), "MUT"),
                                            _has(_parts(f), "REF"), None, span_of(f))
                fields.append(ast.FieldPat(name.value, span_of(name), pat, True, span_of(f)))
            else:
                fields.append(ast.FieldPat(name.value, span_of(name),
                                           self.pat(_trees(_parts(f))[0]), False, span_of(f)))
        return ast.StructPat(self.path(trees[0]), tuple(fields), has_rest, span_of(tree))

    def _pat_tuple_pattern(self, tree: Tree) -> ast.Pat:
        elems = _trees(_parts(tree))
        if len(elems) == 1 and not any(isinstance(c, Token) and c.value == ","
                                       for c in tree.children):
            return self.pat(elems[0])  # `(32 | 212)`: parentheses group, not a 1-tuple
        return ast.TuplePat(tuple(self.pat(t) for t in elems), span_of(tree))

    def _pat_slice_pattern(self, tree: Tree) -> ast.SlicePat:
        return ast.SlicePat(tuple(self.pat(t) for t in _trees(_parts(tree))), span_of(tree))

    def _pat_ref_pattern(self, tree: Tree) -> ast.RefPat:
        return ast.RefPat(_has(_parts(tree), "MUT"), self.pat(_trees(_parts(tree))[0]),
                          span_of(tree))

    def _pat_double_ref_pattern(self, tree: Tree) -> ast.RefPat:
        """`&&x` is lexed as one token: two reference patterns, the inner one `mut` if
        written."""
        span = span_of(tree)
        inner = ast.RefPat(_has(_parts(tree), "MUT"), self.pat(_trees(_parts(tree))[0]),
                           Span(span.start + 1, span.end))
        return ast.RefPat(False, inner, span)

    def _pat_or_pattern(self, tree: Tree) -> ast.OrPat:
        return ast.OrPat(tuple(self.pat(t) for t in _trees(_parts(tree))), span_of(tree))


# One table from (kind, rule name) to the method lowering it: `_expr_binary_chain` handles
# rule `binary_chain` as an expression (dispatch happens for every node).
_METHODS: dict[tuple[str, str], Callable[[_Lowerer, Tree], Any]] = {
    (name[: name.index("_", 1)], name[name.index("_", 1) + 1 :]): getattr(_Lowerer, name)
    for name in dir(_Lowerer)
    if name.startswith(("_expr_", "_type_", "_pat_", "_loop_"))
}


# ---------------------------------------------------------------- literals

_INT_SUFFIXES = ("i8", "i16", "i32", "i64", "i128", "isize",
                 "u8", "u16", "u32", "u64", "u128", "usize")
_INT_BOUNDS = {
    **{f"i{b}": (-(2 ** (b - 1)), 2 ** (b - 1) - 1) for b in (8, 16, 32, 64, 128)},
    **{f"u{b}": (0, 2 ** b - 1) for b in (8, 16, 32, 64, 128)},
    "isize": (-(2 ** 63), 2 ** 63 - 1), "usize": (0, 2 ** 64 - 1),
}
_INT_SUFFIXES_LONGEST_FIRST = sorted(_INT_SUFFIXES, key=len, reverse=True)
_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "0": "\0", "\\": "\\", "'": "'", '"': '"'}


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


def _expr_as_pattern(e: ast.Expr) -> ast.Pat | None:
    """The pattern an expression spells (`matches!`'s second argument is parsed as an
    expression): paths, `A | B`, literals, `Variant(..)`, tuples, ranges and `_`. None for
    anything else."""
    match e:
        case ast.PathExpr(path=path) if len(path.segments) == 1 and not path.last.generics:
            seg = path.last
            return ast.IdentPat(seg.name, seg.span, False, False, None, e.span)
        case ast.PathExpr(path=path):
            return ast.PathPat(path, e.span)
        case ast.Binary(op="|", lhs=lhs, rhs=rhs):
            left, right = _expr_as_pattern(lhs), _expr_as_pattern(rhs)
            if left is None or right is None:
                return None
            alts = (*left.alts, right) if isinstance(left, ast.OrPat) else (left, right)
            return ast.OrPat(alts, e.span)
        case ast.Literal():
            return ast.LitPat(e, False, e.span)
        case ast.Unary(op="-", operand=ast.Literal() as lit):
            return ast.LitPat(lit, True, e.span)
        case ast.Underscore():
            return ast.WildPat(e.span)
        case ast.Call(callee=ast.PathExpr(path=path), args=args):
            elems = [_expr_as_pattern(a) for a in args]
            if any(x is None for x in elems):
                return None
            return ast.TupleStructPat(path, tuple(x for x in elems if x is not None), e.span)
        case ast.TupleExpr(elems=elems) if elems:
            pats = [_expr_as_pattern(a) for a in elems]
            if any(x is None for x in pats):
                return None
            return ast.TuplePat(tuple(x for x in pats if x is not None), e.span)
        case ast.Range(lo=ast.Literal() as lo, hi=ast.Literal() as hi, inclusive=inclusive):
            return ast.RangePat(ast.LitPat(lo, False, lo.span), ast.LitPat(hi, False, hi.span),
                                inclusive, e.span)
    return None
