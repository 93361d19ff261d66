"""The symbol index of one top-level item: every name it declares or mentions, with what
the name means (plain data, item-relative spans).

References, document highlight, rename and semantic tokens all read this one index. It is
computed from the item's tree, its type-check results and the package environment, so it
is cached with the item's analysis (`ItemAnalysis.memo`): an item that did not change (or
only moved) is never indexed again.

Symbols are named by the keys of the item environment (`geo::Point` when two modules
declare a `Point`, else `Point`), looked up by module and name rather than by the identity
of declarations: the environment may hold an earlier parse of an item whose body changed.
Members are named by their owner's key: a method of an inherent impl by its type, a
method of a trait or of a trait's impl by the trait (so a trait method and all its
implementations are one symbol, as renaming needs), a field by its struct (or
`Enum::Variant`). Locals and type parameters exist only inside their item.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from gust.frozen import dataclass
from gust.ide.analysis import ItemAnalysis
from gust.sema import types as t
from gust.sema.builtins import BUILTIN_TYPES
from gust.sema.check.util import FORMAT_STRING_ARG
from gust.sema.items import ItemEnv
from gust.sema.modules import PASS, ModPath, Resolver
from gust.sema.results import (
    AssocFnRes,
    BodyResults,
    ConstRes,
    FnRes,
    GoRes,
    LocalRes,
    Res,
    StructRes,
    VariantRes,
)
from gust.syntax import ast
from gust.text import Span

_STD_ROOTS = frozenset({"std", "core", "alloc"})
# Symbols that exist only inside one item: their references are never searched elsewhere.
ITEM_LOCAL = frozenset({"local", "typeparam"})


@dataclass(frozen=True, slots=True)
class Symbol:
    """What a name means. `kind`: local, typeparam, fn, method, struct, enum, variant,
    field, const, static, trait, alias, mod. `key`: the item key (the owner's for members;
    `body:local` for locals); `member`: the member's name (method, variant, field)."""

    kind: str
    key: str
    member: str = ""

    @property
    def name(self) -> str:
        if self.member:
            return self.member
        return self.key.rsplit("::", 1)[-1]


@dataclass(frozen=True, slots=True)
class Occurrence:
    """One name in an item. `role`: "def" (declared here), "write" (assigned), "read".
    `symbol` is None for names that are not the package's (std types, builtin methods,
    Go symbols): they still get a semantic token (`token`)."""

    span: Span  # item-relative
    symbol: Symbol | None
    role: str
    token: str  # the semantic token type (namespace, type, struct, function, ...)
    # `Point { x }`: one name that is both the field and a local (rename expands it).
    shorthand: bool = False
    mutable: bool = False
    readonly: bool = False
    library: bool = False


_TOKEN_OF_KIND = {
    "fn": "function", "method": "method", "struct": "struct", "enum": "enum",
    "variant": "enumMember", "field": "property", "const": "variable",
    "static": "variable", "trait": "interface", "alias": "type", "mod": "namespace",
    "typeparam": "typeParameter", "local": "variable",
}


def item_index(env: ItemEnv, item: ItemAnalysis) -> tuple[Occurrence, ...]:
    """The occurrences of `item`, sorted by position (cached with the item's analysis)."""
    found = item.memo.get("index")
    if found is None:
        found = _build(env, item)
        item.memo["index"] = found
    assert isinstance(found, tuple)
    return found


def _build(env: ItemEnv, item: ItemAnalysis) -> tuple[Occurrence, ...]:
    top = item.node.item
    if top is None:
        return ()
    indexer = _Indexer(env, item.node.parsed.text, _all_bodies(item.bodies))
    indexer.item(top, env.root_module(top))
    # A name reached twice (the `Point` of `Point::new` as a path prefix and as the owner
    # of `new`) is kept once; a shorthand `Point { x }` keeps both the field and the local.
    seen: set[tuple[int, Symbol | None]] = set()
    out: list[Occurrence] = []
    for occ in sorted(indexer.out, key=lambda o: (o.span.start, o.span.end)):
        if (occ.span.start, occ.symbol) not in seen and \
                (occ.symbol is not None or (occ.span.start, None) not in seen):
            seen.add((occ.span.start, occ.symbol))
            out.append(occ)
    return tuple(out)


def name_span(seg: ast.PathSegment) -> Span:
    """The name of a path segment, without its generic arguments (`Vec` of `Vec<T>`)."""
    return Span(seg.span.start, seg.span.start + len(seg.name))


def _all_bodies(bodies: tuple[BodyResults, ...]) -> list[BodyResults]:
    out: list[BodyResults] = []
    stack = list(reversed(bodies))
    while stack:
        body = stack.pop()
        out.append(body)
        stack.extend(reversed(body.nested))
    return out


def occurrence_at(occurrences: tuple[Occurrence, ...], rel: int) -> Occurrence | None:
    """The occurrence whose name covers `rel` (its end included, as editors put the cursor
    right after a name), preferring one that starts there."""
    best: Occurrence | None = None
    for occ in occurrences:
        if occ.span.start > rel:
            break
        if occ.span.start <= rel <= occ.span.end and occ.symbol is not None and \
                (best is None or occ.span.start >= best.span.start):
            best = occ
    return best


def _holds_nodes(annotation: object) -> bool:
    """Whether a field of an AST class (by its annotation) can hold nodes: `op` is a string
    in `Binary` but an expression in `SelectArm`, so this goes by type, not by name."""
    words = re.findall(r"\w+", str(annotation))
    return any(w not in _LEAF_WORDS for w in words)


_LEAF_WORDS = frozenset({"str", "bool", "int", "float", "None", "Span", "tuple"})
# The fields of each AST class that the generic walk descends into.
_FIELDS: dict[type, tuple[str, ...]] = {
    cls: tuple(name for name, f in cls.__dataclass_fields__.items()
               if _holds_nodes(f.type) and name != "attrs")
    for cls in vars(ast).values()
    if isinstance(cls, type) and hasattr(cls, "__dataclass_fields__")
}


class _Indexer:
    """Walks one item: signatures with the environment, bodies with their results."""

    def __init__(self, env: ItemEnv, text: str, bodies: list[BodyResults]) -> None:
        self.env = env
        self.text = text
        self.bodies = {id(b.fn): (i, b) for i, b in enumerate(bodies)}
        self.out: list[Occurrence] = []
        self.module: ModPath = ()
        self.body: BodyResults | None = None
        self.body_index = 0
        self.writes: set[int] = set()  # ids of expressions assigned to
        self.type_params: dict[str, Span] = {}
        self.locals: dict[tuple[int, int], Symbol] = {}

    def emit(self, span: Span, symbol: Symbol | None, role: str = "read",
             token: str | None = None, **flags: bool) -> None:
        kind = symbol.kind if symbol is not None else ""
        self.out.append(Occurrence(span, symbol, role, token or _TOKEN_OF_KIND.get(kind, "variable"),
                                   **flags))

    # -- items ----------------------------------------------------------------------

    def item(self, item: ast.Item, module: ModPath, owner: Symbol | None = None) -> None:
        self.module = module
        match item:
            case ast.FnDecl():
                self.fn(item, owner)
            case ast.StructDecl():
                key = self.type_key(item.name)
                self.emit(item.name_span, Symbol("struct", key), "def")
                self.generics(item.generics)
                self.fields(item.fields, key)
            case ast.EnumDecl():
                key = self.type_key(item.name)
                self.emit(item.name_span, Symbol("enum", key), "def")
                self.generics(item.generics)
                for v in item.variants:
                    self.emit(v.name_span, Symbol("variant", key, v.name), "def")
                    self.fields(v.fields, f"{key}::{v.name}")
            case ast.ImplDecl():
                self.generics(item.generics)
                if item.trait_ is not None:
                    self.type_expr(item.trait_)
                self.type_expr(item.self_ty)
                impl_owner = self.impl_owner(item)
                for m in item.members:
                    self.item(m, module, impl_owner)
                    self.module = module
            case ast.TraitDecl():
                key = self.type_key(item.name)
                self.emit(item.name_span, Symbol("trait", key), "def")
                self.generics(item.generics)
                for b in item.supertraits:
                    self.type_expr(b)
                for m in item.members:
                    self.item(m, module, Symbol("trait", key))
                    self.module = module
            case ast.ConstDecl() | ast.StaticDecl():
                kind = "const" if isinstance(item, ast.ConstDecl) else "static"
                sym = Symbol(kind, self.value_key(item.name))
                mutable = isinstance(item, ast.StaticDecl) and item.mutable
                self.emit(item.name_span, sym, "def", mutable=mutable, readonly=not mutable)
                self.type_expr(item.ty)
            case ast.TypeAliasDecl():
                self.emit(item.name_span, Symbol("alias", self.type_key(item.name)), "def")
                self.generics(item.generics)
                if item.ty is not None:
                    self.type_expr(item.ty)
            case ast.ModDecl():
                self.emit(item.name_span, Symbol("mod", "::".join((*module, item.name))), "def")
                for inner in item.items or ():
                    self.item(inner, (*module, item.name))
                self.module = module
            case ast.UseDecl():
                self.use_tree(item.tree, ())
            case ast.UseGoDecl():
                pass

    def type_key(self, name: str) -> str:
        df = self.env.modules.module(self.module).types.get(name)
        return df.key if df is not None else name

    def value_key(self, name: str) -> str:
        df = self.env.modules.module(self.module).values.get(name)
        return df.key if df is not None else name

    def impl_owner(self, impl: ast.ImplDecl) -> Symbol | None:
        """Whose methods an impl's are: its trait's, or its type's."""
        if impl.trait_ is not None:
            df = self.resolve(impl.trait_.path, "type")
            return Symbol("trait", df.key) if df is not None and df.kind == "trait" else None
        if isinstance(impl.self_ty, ast.TypePath):
            df = self.resolve(impl.self_ty.path, "type")
            if df is not None and df.kind in ("struct", "enum"):
                return Symbol(df.kind, df.key)
        return None

    def fn(self, fn: ast.FnDecl, owner: Symbol | None) -> None:
        saved = dict(self.type_params)
        if owner is not None:
            self.emit(fn.name_span, Symbol("method", owner.key, fn.name), "def",
                      token="method" if fn.self_param is not None else "function")
        else:
            self.emit(fn.name_span, Symbol("fn", self.value_key(fn.name)), "def")
        self.generics(fn.generics)
        found = self.bodies.get(id(fn))
        outer = (self.body, self.body_index)
        if found is not None:
            self.body_index, self.body = found
            for local_id in found[1].params:
                local = found[1].locals[local_id]
                if local.kind == "self":
                    continue
                self.emit(local.span, self.local_symbol(local_id), "def", token="parameter",
                          mutable=local.mutable)
        for p in fn.params:
            self.type_expr(p.ty)
        if fn.ret is not None:
            self.type_expr(fn.ret)
        if found is not None and fn.body is not None:
            self.node(fn.body)
        self.body, self.body_index = outer
        self.type_params = saved

    def generics(self, generics: ast.Generics) -> None:
        for p in generics.params:
            self.type_params[p.name] = p.span
            self.emit(Span(p.span.start, p.span.start + len(p.name)),
                      Symbol("typeparam", f"{p.span.start}:{p.name}"), "def")
            for b in p.bounds:
                self.type_expr(b)
        for w in generics.where:
            self.type_expr(w.ty)
            for b in w.bounds:
                self.type_expr(b)

    def fields(self, fields: tuple[ast.FieldDef, ...], owner: str) -> None:
        for f in fields:
            if f.name is not None:
                self.emit(f.name_span, Symbol("field", owner, f.name), "def")
            self.type_expr(f.ty)

    def use_tree(self, tree: ast.UseTree, prefix: tuple[ast.PathSegment, ...]) -> None:
        segs = (*prefix, *tree.path.segments)
        if segs and segs[0].name in _STD_ROOTS:
            self.std_path(tree.path.segments, tree.children is None and not tree.glob)
            for child in tree.children or ():
                self.use_tree(child, segs)
            return
        if tree.children is not None:
            self.path_prefix(segs, len(segs))
            for child in tree.children:
                self.use_tree(child, segs)
            return
        if not segs or tree.glob:
            self.path_prefix(segs, len(segs))
            return
        self.path_prefix(segs, len(segs) - 1)
        for ns in ("type", "value"):
            df = self.resolve_segs(segs, ns)
            if df is not None:
                self.emit_def_ref(name_span(segs[-1]), df)
                return

    # -- types ----------------------------------------------------------------------

    def resolve(self, path: ast.Path, ns: str) -> _Def | None:
        return self.resolve_segs(path.segments, ns)

    def resolve_segs(self, segs: tuple[ast.PathSegment, ...], ns: str) -> _Def | None:
        if not segs:
            return None
        found = Resolver(self.env.modules, self.module).resolve(
            [(s.name, s.span) for s in segs], ns, None)
        if found is None or found is PASS or found.rest:
            return None
        return _Def(found.df.kind, found.df.key, found.df.name)

    def emit_def_ref(self, span: Span, df: _Def) -> None:
        if df.kind == "variant":
            self.emit(span, Symbol("variant", df.key, df.name))
        elif df.kind == "builtin":
            self.emit(span, None, token="struct", library=True)
        elif df.kind in _TOKEN_OF_KIND:
            self.emit(span, Symbol(df.kind, df.key), readonly=df.kind == "const")

    def std_path(self, segs: tuple[ast.PathSegment, ...], with_last: bool) -> None:
        """A path into std: modules, then a type or function, all library names."""
        for i, seg in enumerate(segs):
            last = with_last and i == len(segs) - 1
            token = ("struct" if seg.name[:1].isupper() else "function") if last \
                else "namespace"
            self.emit(name_span(seg), None, token=token, library=True)

    def path_prefix(self, segs: tuple[ast.PathSegment, ...], upto: int) -> None:
        """The module segments of a path (`geo` in `geo::Point`)."""
        if upto > 0 and segs[0].name in _STD_ROOTS:
            self.std_path(segs[:upto], False)
            return
        for i in range(upto):
            name = segs[i].name
            if name in ("crate", "self", "super", "std", "core"):
                continue
            if i == 0 and name in self.env.go_aliases:
                self.emit(name_span(segs[i]), None, token="namespace", library=True)
                return
            df = self.resolve_segs(segs[: i + 1], "type")
            if df is None:
                return
            if df.kind == "mod":
                self.emit(name_span(segs[i]), Symbol("mod", df.key))
            else:
                self.emit_def_ref(name_span(segs[i]), df)

    def type_expr(self, ty: ast.TypeExpr) -> None:
        if isinstance(ty, ast.TypePath):
            self.type_path(ty.path)
            for seg in ty.path.segments:
                for g in seg.generics:
                    self.type_expr(g)
            return
        for name in _FIELDS.get(type(ty), ()):
            self.node(getattr(ty, name))

    def type_path(self, path: ast.Path) -> None:
        segs = path.segments
        last = segs[-1]
        span = name_span(last)
        if len(segs) == 1 and last.name in self.type_params:
            start = self.type_params[last.name].start
            self.emit(span, Symbol("typeparam", f"{start}:{last.name}"))
            return
        if len(segs) == 1 and last.name == "Self":
            self.emit(span, None, token="type")
            return
        self.path_prefix(segs, len(segs) - 1)
        df = self.resolve(path, "type")
        if df is not None:
            self.emit_def_ref(span, df)
        elif segs[0].name in _STD_ROOTS and len(segs) > 1:
            self.emit(span, None, token="struct", library=True)
        elif len(segs) == 1 and (last.name in BUILTIN_TYPES or last.name in t.PRIMITIVES):
            self.emit(span, None, token="struct" if last.name in BUILTIN_TYPES
                      else "type", library=True)

    # -- bodies ---------------------------------------------------------------------

    def local_symbol(self, local_id: int) -> Symbol:
        key = (self.body_index, local_id)
        symbol = self.locals.get(key)
        if symbol is None:
            symbol = self.locals[key] = Symbol("local", f"{self.body_index}:{local_id}")
        return symbol

    def node(self, n: object) -> None:
        """Walk a node of a body (an expression, pattern, statement or type)."""
        if isinstance(n, tuple):
            for x in n:
                self.node(x)
            return
        handler = _HANDLERS.get(type(n))
        if handler is not None and handler(self, n):
            return
        for name in _FIELDS.get(type(n), ()):
            value = getattr(n, name)
            if value is not None:
                self.node(value)

    def _path_expr(self, e: ast.PathExpr) -> bool:
        body = self.body
        res = body.paths.get(e) if body is not None else None
        role = "write" if id(e) in self.writes else "read"
        if res is None:
            # Unresolved (an error was reported): its type or module prefix still counts.
            self.path_prefix(e.path.segments, len(e.path.segments) - 1)
            return True
        self.path_prefix(e.path.segments, len(e.path.segments) - 1)
        self.emit_res(e.path, name_span(e.path.last), res, role)
        for seg in e.path.segments:
            for g in seg.generics:
                self.type_expr(g)
        return True

    def emit_res(self, path: ast.Path, span: Span, res: Res, role: str) -> None:
        body = self.body
        assert body is not None
        match res:
            case LocalRes(local=local_id):
                local = body.locals[local_id]
                self.emit(span, self.local_symbol(local_id), role,
                          token="parameter" if local.kind == "param" else
                          "variable" if local.kind != "self" else "keyword",
                          mutable=local.mutable)
            case FnRes(name=name):
                self.emit(span, Symbol("fn", name))
            case ConstRes(name=name):
                kind = "static" if name in self.env.consts and isinstance(
                    self.env.consts[name].decl, ast.StaticDecl) else "const"
                self.emit(span, Symbol(kind, name), readonly=kind == "const")
            case StructRes(name=name):
                self.emit(span, Symbol("struct", name))
            case VariantRes(enum=enum, variant=variant):
                self.owner_segment(path, enum)
                self.emit(span, Symbol("variant", enum, variant))
            case AssocFnRes(owner=owner, name=name, builtin=builtin):
                if builtin:
                    self.emit(span, None, token="function", library=True)
                    if len(path.segments) >= 2:
                        self.emit(name_span(path.segments[-2]), None, token="struct",
                                  library=True)
                    return
                self.owner_segment(path, owner)
                self.emit(span, self.assoc_symbol(owner, name), token="function")
            case GoRes(kind=kind):
                self.emit(span, None, token="function" if kind == "func" else "variable",
                          library=True)

    def owner_segment(self, path: ast.Path, owner: str) -> None:
        """`Shape` in `Shape::Circle` or `Shape::new`."""
        if len(path.segments) < 2:
            return
        seg = path.segments[-2]
        span = name_span(seg)
        if seg.name == "Self":
            self.emit(span, None, token="type")
        elif owner in self.env.structs:
            self.emit(span, Symbol("struct", owner))
        elif owner in self.env.enums:
            self.emit(span, Symbol("enum", owner))
        elif owner in self.env.traits:
            self.emit(span, Symbol("trait", owner))

    def assoc_symbol(self, owner: str, name: str) -> Symbol:
        if owner in self.env.traits:
            return Symbol("method", owner, name)
        if name in self.env.inherent.get(owner, {}):
            return Symbol("method", owner, name)
        for impl in self.env.impls:
            if impl.trait is not None and name in impl.methods and \
                    isinstance(impl.self_ty, t.Adt) and impl.self_ty.name == owner:
                return Symbol("method", impl.trait, name)
        return Symbol("method", owner, name)

    def _method_call(self, e: ast.MethodCall) -> bool:
        body = self.body
        m = body.methods.get(e) if body is not None else None
        self.node(e.receiver)
        if m is None:
            pass
        elif m.builtin or (m.owner not in self.env.methods and m.trait is None and \
                m.owner not in self.env.structs and m.owner not in self.env.enums):
            self.emit(e.name_span, None, token="method", library=True)
        else:
            owner = m.trait if m.trait is not None and m.trait in self.env.traits else m.owner
            self.emit(e.name_span, Symbol("method", owner, e.name))
        for g in e.generics:
            self.type_expr(g)
        self.node(e.args)
        return True

    def _field(self, e: ast.Field) -> bool:
        body = self.body
        f = body.fields.get(e) if body is not None else None
        self.node(e.base)
        if f is not None and f.owner:
            role = "write" if id(e) in self.writes else "read"
            self.emit(e.name_span, Symbol("field", f.owner, e.name), role)
        return True

    def _assign(self, e: ast.Assign | ast.CompoundAssign) -> bool:
        # `p.x = 1` writes the field and (a part of) the variable.
        target: ast.Expr = e.target
        while True:
            self.writes.add(id(target))
            if isinstance(target, (ast.Field, ast.TupleField, ast.Index)):
                target = target.base
            elif isinstance(target, ast.Paren):
                target = target.inner
            else:
                break
        self.node(e.target)
        self.node(e.value)
        return True

    def _struct_lit(self, e: ast.StructLit) -> bool:
        owner = self.adt_path(e.path, self.body.type_of(e) if self.body is not None else None)
        for f in e.fields:
            if owner is not None:
                self.emit(f.name_span, Symbol("field", owner, f.name),
                          shorthand=f.shorthand)
            self.node(f.value)
        if e.base is not None:
            self.node(e.base)
        return True

    def adt_path(self, path: ast.Path, ty: t.Ty | None) -> str | None:
        """The struct or variant a path in a literal or pattern names; the owner key of its
        fields."""
        last = path.last
        if not isinstance(ty, t.Adt):
            ty = self.adt_named(path)
            if ty is None:
                return None
        if ty.name in self.env.enums and self.env.enums[ty.name].variant(last.name):
            self.path_prefix(path.segments, len(path.segments) - 2)
            self.owner_segment(path, ty.name)
            self.emit(name_span(last), Symbol("variant", ty.name, last.name))
            return f"{ty.name}::{last.name}"
        if ty.name in self.env.enums:
            self.owner_segment(path, ty.name)  # `Status` of an unknown `Status::Paused`
            return None
        if ty.name in self.env.structs:
            self.path_prefix(path.segments, len(path.segments) - 1)
            if last.name == "Self":
                self.emit(name_span(last), None, token="type")
            else:
                self.emit(name_span(last), Symbol("struct", ty.name))
            return ty.name
        return None

    def adt_named(self, path: ast.Path) -> t.Adt | None:
        """The struct or enum a path names by itself, when the checker gave no type (the
        matched value has an error)."""
        segs = path.segments
        df = self.resolve_segs(segs[:-1], "type") if len(segs) > 1 else None
        if df is not None and df.kind == "enum":
            return t.Adt(df.key)
        df = self.resolve_segs(segs, "type")
        return t.Adt(df.key) if df is not None and df.kind == "struct" else None

    def _ident_pat(self, p: ast.IdentPat) -> bool:
        body = self.body
        local_id = body.bindings.get(p) if body is not None else None
        if local_id is not None and body is not None:
            local = body.locals[local_id]
            self.emit(p.name_span, self.local_symbol(local_id), "def",
                      token="parameter" if local.kind == "param" else "variable",
                      mutable=local.mutable)
        elif body is not None:
            ty = body.pat_types.get(p)
            if isinstance(ty, t.Adt) and ty.name in self.env.enums and \
                    self.env.enums[ty.name].variant(p.name) is not None:
                self.emit(p.name_span, Symbol("variant", ty.name, p.name))
        if p.sub is not None:
            self.node(p.sub)
        return True

    def _path_pat(self, p: ast.PathPat | ast.TupleStructPat | ast.StructPat) -> bool:
        ty = self.body.pat_types.get(p) if self.body is not None else None
        owner = self.adt_path(p.path, ty)
        if isinstance(p, ast.TupleStructPat):
            self.node(p.elems)
        elif isinstance(p, ast.StructPat):
            for f in p.fields:
                if owner is not None:
                    self.emit(f.name_span, Symbol("field", owner, f.name),
                              shorthand=f.shorthand)
                self.node(f.pat)
        return True

    def _macro(self, e: ast.MacroCall) -> bool:
        self.emit(e.name_span, None, token="macro", library=True)
        self.node(e.args)
        if e.repeat is not None:
            self.node(e.repeat)
        fmt = self.body.formats.get(e) if self.body is not None else None
        if fmt is not None and e.args:
            # The captures come after the arguments written after the format string (which
            # is the first argument of `println!`, the second of `write!` or `assert!`).
            written = len(e.args) - FORMAT_STRING_ARG.get(e.name, 0) - 1
            for capture in fmt.args[max(written, 0):]:
                if isinstance(capture, ast.PathExpr):
                    self.capture(capture)
        return True

    def capture(self, capture: ast.PathExpr) -> None:
        """`x` in `println!("{x}")`: the name inside the string literal."""
        res = self.body.paths.get(capture) if self.body is not None else None
        if res is None:
            return
        name = capture.path.last.name
        span = capture.span
        literal = self.text[span.start : span.end]
        for m in re.finditer(r"(?<!\{)\{" + re.escape(name) + r"(?=[}:])", literal):
            start = span.start + m.start() + 1
            self.emit_res(capture.path, Span(start, start + len(name)), res, "read")

    def _type(self, ty: ast.TypeExpr) -> bool:
        self.type_expr(ty)
        return True

    def _item_stmt(self, s: ast.ItemStmt) -> bool:
        module = self.module
        saved = (self.body, self.body_index)
        self.item(s.item, module)
        self.module = module
        self.body, self.body_index = saved
        return True

    def _closure(self, c: ast.Closure) -> bool:
        for p in c.params:
            self.node(p.pat)
            if p.ty is not None:
                self.type_expr(p.ty)
        if c.ret is not None:
            self.type_expr(c.ret)
        self.node(c.body)
        return True


@dataclass(frozen=True, slots=True)
class _Def:
    kind: str
    key: str
    name: str


_HANDLERS: dict[type, Callable[[_Indexer, Any], bool]] = {
    ast.PathExpr: _Indexer._path_expr,
    ast.MethodCall: _Indexer._method_call,
    ast.Field: _Indexer._field,
    ast.Assign: _Indexer._assign,
    ast.CompoundAssign: _Indexer._assign,
    ast.StructLit: _Indexer._struct_lit,
    ast.IdentPat: _Indexer._ident_pat,
    ast.PathPat: _Indexer._path_pat,
    ast.TupleStructPat: _Indexer._path_pat,
    ast.StructPat: _Indexer._path_pat,
    ast.MacroCall: _Indexer._macro,
    ast.ItemStmt: _Indexer._item_stmt,
    ast.Closure: _Indexer._closure,
    **{cls: _Indexer._type for cls in (ast.TypePath, ast.RefType, ast.TupleType,
                                        ast.ArrayType, ast.SliceType, ast.ImplTraitType,
                                        ast.DynTraitType, ast.FnPtrType)},
}

