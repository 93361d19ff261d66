"""The item environment: every top-level declaration of a package and its signature.

`build_env` reads only signatures (never bodies), so typing inside a function body never
changes the environment; gust.ide keys its per-body caches on `signature_key` of all items.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace

from gust import diagnostics as d
from gust.sema import types as t
from gust.sema.builtins import BUILTIN_TYPES
from gust.sema.golang import GoPackage, gust_named_type
from gust.sema.modules import (
    PASS,
    ModPath,
    ModuleTree,
    Resolver,
    build_tree,
    suggest_import,
    undeclared_module,
)
from gust.syntax import ast
from gust.text import Span


@dataclass(frozen=True, slots=True)
class FieldInfo:
    name: str | None  # None for tuple fields
    ty: t.Ty
    span: Span
    is_pub: bool


@dataclass(frozen=True, slots=True)
class StructInfo:
    name: str
    kind: str  # "named", "tuple" or "unit"
    fields: tuple[FieldInfo, ...]
    derives: frozenset[str]
    generics: tuple[str, ...]
    decl: ast.StructDecl
    module: ModPath = ()  # where it is declared: private fields are visible there

    def field_index(self, name: str) -> int | None:
        for i, f in enumerate(self.fields):
            if f.name == name:
                return i
        return None


@dataclass(frozen=True, slots=True)
class VariantInfo:
    name: str
    kind: str  # "named", "tuple" or "unit"
    fields: tuple[FieldInfo, ...]
    index: int
    decl: ast.VariantDef

    def field_index(self, name: str) -> int | None:
        for i, f in enumerate(self.fields):
            if f.name == name:
                return i
        return None


@dataclass(frozen=True, slots=True)
class EnumInfo:
    name: str
    variants: tuple[VariantInfo, ...]
    derives: frozenset[str]
    generics: tuple[str, ...]
    decl: ast.EnumDecl
    module: ModPath = ()

    def variant(self, name: str) -> VariantInfo | None:
        for v in self.variants:
            if v.name == name:
                return v
        return None


@dataclass(frozen=True, slots=True)
class FnSig:
    """A function or method signature. `self_kind` is None for functions and associated
    functions, else "ref", "ref_mut" or "value"."""

    name: str
    params: tuple[t.Ty, ...]
    ret: t.Ty
    self_kind: str | None
    generics: tuple[str, ...]
    owner: str | None
    decl: ast.FnDecl
    self_mutable: bool = False  # `mut self`
    module: ModPath = ()  # of the function, or of the `impl` of a method

    @property
    def unknown_params(self) -> bool:
        """The signature did not parse: calls are not checked against it."""
        return self.decl.sig_error


@dataclass(frozen=True, slots=True)
class ConstInfo:
    name: str
    ty: t.Ty
    decl: ast.ConstDecl | ast.StaticDecl


@dataclass
class ItemEnv:
    structs: dict[str, StructInfo] = field(default_factory=dict)
    enums: dict[str, EnumInfo] = field(default_factory=dict)
    fns: dict[str, FnSig] = field(default_factory=dict)
    # Inherent methods and associated functions, by type name then method name.
    methods: dict[str, dict[str, FnSig]] = field(default_factory=dict)
    consts: dict[str, ConstInfo] = field(default_factory=dict)
    # Go packages imported with `use go`: alias -> import path, and path -> its API.
    go_aliases: dict[str, str] = field(default_factory=dict)
    go_packages: dict[str, GoPackage] = field(default_factory=dict)
    # Modules, `use` imports and visibility (gust.sema.modules); the tables above are
    # keyed by each item's key there.
    modules: ModuleTree = field(default_factory=ModuleTree)

    def go_package(self, alias: str) -> GoPackage | None:
        path = self.go_aliases.get(alias)
        return self.go_packages.get(path) if path is not None else None

    def type_names(self) -> set[str]:
        return set(self.structs) | set(self.enums)

    def derives_of(self, name: str) -> frozenset[str]:
        if name in self.structs:
            return self.structs[name].derives
        if name in self.enums:
            return self.enums[name].derives
        return frozenset()


def signature_key(item: ast.Item | None, text: str) -> str:
    """The part of an item's text that other items can depend on.

    For a function, its text up to the body; for an impl, the text of its header and of each
    method's signature; for any other item, its whole text.
    """
    if item is None:
        return ""
    if isinstance(item, ast.FnDecl):
        span = item.signature_span
        return text[span.start : span.end]
    if isinstance(item, ast.ImplDecl):
        parts = []
        first = item.members[0].span.start if item.members else len(text)
        parts.append(text[:first])
        for m in item.members:
            span = m.signature_span if isinstance(m, ast.FnDecl) else m.span
            parts.append(text[span.start : span.end])
        return "\x00".join(parts)
    return text


# ---------------------------------------------------------------- type lowering


@dataclass(frozen=True)
class TypeScope:
    """What type names mean where a type is written."""

    adts: frozenset[str]
    generics: frozenset[str] = frozenset()
    self_ty: t.Ty | None = None
    adt_arity: dict[str, int] = field(default_factory=dict)
    # `use go` packages by alias, for `http::Response` in types.
    go: Mapping[str, GoPackage] = field(default_factory=dict)
    # Resolution from the module where the type is written (None: a flat scope of `adts`).
    names: Resolver | None = None


def lower_type(ty: ast.TypeExpr, scope: TypeScope, errors: list[d.Diagnostic]) -> t.Ty:
    """Turn a written type into a semantic type, reporting unknown names (E0412)."""
    match ty:
        case ast.TypePath(path=path):
            return _lower_type_path(path, scope, errors)
        case ast.RefType(mutable=mutable, inner=inner):
            return t.Ref(lower_type(inner, scope, errors), mutable)
        case ast.TupleType(elems=elems):
            return t.Tuple(tuple(lower_type(e, scope, errors) for e in elems))
        case ast.ArrayType(elem=elem, length=length):
            n = length.value if isinstance(length, ast.Literal) and length.kind == "int" else 0
            assert isinstance(n, int)
            return t.Array(lower_type(elem, scope, errors), n)
        case ast.SliceType(elem=elem):
            return t.Slice(lower_type(elem, scope, errors))
        case ast.NeverType():
            return t.NEVER
        case ast.FnPtrType(params=params, ret=ret):
            return t.FnPtr(tuple(lower_type(p, scope, errors) for p in params),
                           lower_type(ret, scope, errors) if ret is not None else t.UNIT)
        case ast.InferType():
            return t.ERROR
    errors.append(d.error(None, "this kind of type is not supported yet", ty.span))
    return t.ERROR


def _lower_type_path(path: ast.Path, scope: TypeScope, errors: list[d.Diagnostic]) -> t.Ty:
    names: tuple[str, ...] = path.names
    seg = path.last
    name = seg.name
    if len(names) == 2 and names[0] in scope.go:
        return _go_type(scope.go[names[0]], names, path, scope, errors)
    resolved = _resolve_type_name(path, scope, errors)
    if resolved is None:
        return t.ERROR
    if resolved:
        name, names = resolved, (resolved,)
    elif scope.names is not None and len(names) == 1 and name in scope.adts:
        scope = replace(scope, adts=frozenset())  # declared elsewhere, not in scope here
    # `std::string::String`, `std::collections::HashMap<K, V>`: the last segment decides.
    if len(names) > 1 and names[0] not in ("std", "core", "alloc", "crate", "self"):
        errors.append(undeclared_module(names[0], path.segments[0].span))
        return t.ERROR
    args = tuple(lower_type(g, scope, errors) for g in seg.generics)
    if name == "Self" and scope.self_ty is not None and len(names) == 1:
        return scope.self_ty
    if name in scope.generics and len(names) == 1:
        return t.Param(name)
    if name in t.PRIMITIVES:
        if args:
            errors.append(d.error("E0109", f"type arguments are not allowed on builtin type "
                                  f"`{name}`", seg.span, "type argument not allowed"))
        return t.PRIMITIVES[name]
    arity = scope.adt_arity.get(name, BUILTIN_TYPES.get(name, -1))
    if name in scope.adts or name in BUILTIN_TYPES or resolved:
        if arity >= 0 and len(args) != arity:
            if not args and arity > 0:
                errors.append(d.error("E0107", f"missing generics for `{name}`", seg.span,
                                      f"expected {arity} generic argument"
                                      + ("s" if arity != 1 else "")))
            else:
                errors.append(d.error("E0107", f"{_plural(name, arity)} takes {arity} generic "
                                      f"argument{'s' if arity != 1 else ''} but "
                                      f"{len(args)} generic argument"
                                      f"{'s were' if len(args) != 1 else ' was'} supplied",
                                      seg.span))
            return t.ERROR
        return t.Adt(name, args)
    suggestion = _suggest(name, [*scope.adts, *BUILTIN_TYPES, *t.PRIMITIVES, *scope.generics])
    help_: tuple[str, ...] = (f"a type with a similar name exists: `{suggestion}`",) \
        if suggestion else ()
    if scope.names is not None:
        help_ = suggest_import(scope.names.tree, scope.names.module, name, "type") or help_
    # rustc 1.95 reports unknown types as E0425 (E0412 is no longer emitted).
    errors.append(d.error("E0425", f"cannot find type `{name}` in this scope", seg.span,
                          "not found in this scope", help=help_))
    return t.ERROR


def _resolve_type_name(path: ast.Path, scope: TypeScope, errors: list[d.Diagnostic]
                       ) -> str | None:
    """A path to a struct or enum of the package: its key; "" when the path is not the
    package's (built-in types, std paths, generic parameters); None when reported."""
    names = path.names
    if scope.names is None or (len(names) == 1 and (names[0] in scope.generics
                                                      or names[0] == "Self")):
        return ""
    found = scope.names.resolve([(s.name, s.span) for s in path.segments], "type", errors)
    if found is None:
        return None
    if found is PASS:
        return ""
    df = found.df
    if df.kind == "error":
        return None  # an import that did not resolve, already reported
    if found.rest == 0 and df.kind in ("struct", "enum", "builtin"):
        return df.key
    if found.rest == 0 and df.kind in ("trait", "alias"):
        return ""  # the traits' own rules (sema.traits) apply
    errors.append(d.error("E0573", f"expected type, found {df.word} `{'::'.join(names)}`",
                          path.span, "not a type"))
    return None


def _go_type(package: GoPackage, names: tuple[str, ...], path: ast.Path, scope: TypeScope,
             errors: list[d.Diagnostic]) -> t.Ty:
    """`http::Response`: a type of a `use go` package."""
    named = package.type(names[1])
    if named is None:
        suggestion = _suggest(names[1], [n.name for n in package.types])
        help_ = (f"a type with a similar name exists: `{suggestion}`",) if suggestion else ()
        errors.append(d.error("E0412", f"cannot find type `{names[1]}` in Go package "
                              f"`{package.path}`", path.last.span, "not found in this package",
                              help=help_))
        return t.ERROR
    adt = gust_named_type(package.path, named)
    args = tuple(lower_type(g, scope, errors) for g in path.last.generics)
    return t.Adt(adt.name, args) if args else adt


def _plural(name: str, arity: int) -> str:
    return f"struct `{name}`"


def _suggest(name: str, candidates: Sequence[str]) -> str | None:
    from gust.sema.names import similar_name

    return similar_name(name, candidates)


# ---------------------------------------------------------------- building the environment


def build_env(items: Sequence[ast.Item | None],
              go_packages: Mapping[str, GoPackage | str] | None = None,
              files: Sequence[str] = (),
              ) -> tuple[ItemEnv, list[list[d.Diagnostic]]]:
    """Collect the signatures of `items` (the top-level items of a package, in its files'
    order; `files` names the file of each); returns the environment and, per item, the
    diagnostics found in its signature (spans relative to that item). `go_packages` holds
    the Go packages the items import (`use go`), by import path, already loaded; a string
    instead of a package says why it could not be loaded."""
    env = ItemEnv()
    go = go_packages or {}
    tree, placed, errors = build_tree(items, files)
    env.modules = tree
    arity: dict[str, int] = {}
    for p in placed:
        key = tree.key_of(p.item)
        if isinstance(p.item, ast.StructDecl | ast.EnumDecl) and key is not None:
            arity[key] = len(p.item.generics.params)
    for i, item in enumerate(items):
        if isinstance(item, ast.UseGoDecl):
            _add_go_import(env, item, go.get(item.package, "it was not loaded"), errors[i])
    base = TypeScope(frozenset(arity), adt_arity=arity,
                     go={alias: env.go_packages[path] for alias, path in env.go_aliases.items()})
    scopes: dict[ModPath, TypeScope] = {}
    for p in placed:
        errs = errors[p.index]
        item = p.item
        key = tree.key_of(item)
        if p.module not in scopes:
            scopes[p.module] = replace(base, names=Resolver(tree, p.module))
        scope = scopes[p.module]
        match item:
            case ast.StructDecl() if key is not None:
                env.structs[key] = replace(_struct_info(item, scope, errs), name=key,
                                           module=p.module)
            case ast.EnumDecl() if key is not None:
                env.enums[key] = replace(_enum_info(item, scope, errs), name=key,
                                         module=p.module)
            case ast.FnDecl() if key is not None:
                env.fns[key] = replace(fn_sig(item, None, scope, errs), module=p.module)
            case ast.ConstDecl() | ast.StaticDecl() if key is not None:
                env.consts[key] = ConstInfo(item.name, lower_type(item.ty, scope, errs), item)
            case ast.ImplDecl():
                _add_impl(env, item, scope, errs, p.module)
    return env, errors


def impl_owner(env: ItemEnv, item: ast.ImplDecl, module: ModPath,
               errs: list[d.Diagnostic] | None = None) -> str | None:
    """The key of the struct or enum an `impl` written in `module` is for (None when it is
    not one of the package's)."""
    if not isinstance(item.self_ty, ast.TypePath):
        return None
    path = item.self_ty.path
    found = Resolver(env.modules, module).resolve(
        [(s.name, s.span) for s in path.segments], "type", errs if errs is not None else [])
    if found is None or found is PASS or found.rest:
        return None
    return found.df.key if found.df.kind in ("struct", "enum") else None


def _type_scope(generics: ast.Generics, base: TypeScope,
                self_ty: t.Ty | None = None) -> TypeScope:
    return replace(base, generics=base.generics | {p.name for p in generics.params},
                   self_ty=self_ty if self_ty is not None else base.self_ty)


def _field_infos(fields: tuple[ast.FieldDef, ...], scope: TypeScope,
                 errs: list[d.Diagnostic]) -> tuple[FieldInfo, ...]:
    result = []
    seen: set[str] = set()
    for f in fields:
        if f.name is not None and f.name in seen:
            errs.append(d.error("E0124", f"field `{f.name}` is already declared", f.name_span,
                                "field already declared"))
        if f.name is not None:
            seen.add(f.name)
        result.append(FieldInfo(f.name, lower_type(f.ty, scope, errs), f.name_span, f.is_pub))
    return tuple(result)


def _struct_info(item: ast.StructDecl, base: TypeScope,
                 errs: list[d.Diagnostic]) -> StructInfo:
    scope = _type_scope(item.generics, base)
    return StructInfo(item.name, item.kind, _field_infos(item.fields, scope, errs),
                      ast.derives(item.attrs), tuple(p.name for p in item.generics.params), item)


def _enum_info(item: ast.EnumDecl, base: TypeScope,
               errs: list[d.Diagnostic]) -> EnumInfo:
    scope = _type_scope(item.generics, base)
    variants = []
    seen: set[str] = set()
    for i, v in enumerate(item.variants):
        if v.name in seen:
            errs.append(d.error("E0428", f"the name `{v.name}` is defined multiple times",
                                v.name_span, f"`{v.name}` redefined here"))
        seen.add(v.name)
        variants.append(VariantInfo(v.name, v.kind, _field_infos(v.fields, scope, errs), i, v))
    return EnumInfo(item.name, tuple(variants), ast.derives(item.attrs),
                    tuple(p.name for p in item.generics.params), item)


def fn_sig(fn: ast.FnDecl, owner: str | None, scope: TypeScope,
           errs: list[d.Diagnostic]) -> FnSig:
    scope = _type_scope(fn.generics, scope)
    params = tuple(lower_type(p.ty, scope, errs) for p in fn.params)
    ret = lower_type(fn.ret, scope, errs) if fn.ret is not None else t.UNIT
    if fn.sig_error:
        ret = t.ERROR
    errs.extend(_elision_errors(fn))
    self_kind: str | None = None
    if fn.self_param is not None:
        sp = fn.self_param
        self_kind = ("ref_mut" if sp.mutable else "ref") if sp.by_ref else "value"
    return FnSig(fn.name, params, ret, self_kind, tuple(p.name for p in fn.generics.params),
                 owner, fn, self_mutable=fn.self_param is not None and fn.self_param.mutable
                 and not fn.self_param.by_ref)


def _refs_in(ty: ast.TypeExpr | None) -> list[ast.RefType]:
    """The reference types written inside a type (`&str`, the `&T` in `Vec<&T>`)."""
    out: list[ast.RefType] = []
    stack: list[ast.TypeExpr] = [ty] if ty is not None else []
    while stack:
        node = stack.pop()
        match node:
            case ast.RefType(inner=inner):
                out.append(node)
                stack.append(inner)
            case ast.TypePath(path=path):
                for seg in path.segments:
                    stack.extend(seg.generics)
            case ast.TupleType(elems=elems):
                stack.extend(elems)
            case ast.ArrayType(elem=elem) | ast.SliceType(elem=elem):
                stack.append(elem)
    return out


def _elision_errors(fn: ast.FnDecl) -> list[d.Diagnostic]:
    """E0106: a returned reference must borrow from `&self` or from the one reference
    parameter (Rust's lifetime elision); v1 has no named lifetimes to say otherwise."""
    returned = [r for r in _refs_in(fn.ret) if r.lifetime != "static"]
    if not returned or (fn.self_param is not None and fn.self_param.by_ref):
        return []
    sources = [p for p in fn.params if _refs_in(p.ty)]
    if len(sources) == 1:
        return []
    if sources:
        names = [p.pat.name if isinstance(p.pat, ast.IdentPat) else "_" for p in sources]
        listed = ", ".join(f"`{n}`" for n in names[:-1]) + f" or `{names[-1]}`"
        why = ("this function's return type contains a borrowed value, but the signature "
               f"does not say whether it is borrowed from {listed}")
    else:
        why = ("this function's return type contains a borrowed value, but there is no "
               "value for it to be borrowed from")
    first = returned[0]
    amp = Span(first.span.start, first.span.start + 1)
    return [d.error("E0106", "missing lifetime specifier", amp,
                    "expected named lifetime parameter", help=(why,))]


def _add_go_import(env: ItemEnv, item: ast.UseGoDecl, package: GoPackage | str,
                   errs: list[d.Diagnostic]) -> None:
    if isinstance(package, str):
        errs.append(d.error("E0432", f"unresolved import `{item.package}`",
                            item.package_span, f"no Go package `{item.package}`",
                            notes=(package,) if package else ()))
        return
    alias = item.alias or package.name
    if alias in env.go_aliases and env.go_aliases[alias] != item.package:
        errs.append(d.error("E0252", f"the name `{alias}` is defined multiple times",
                            item.span, f"`{alias}` reimported here"))
        return
    env.go_aliases[alias] = item.package
    env.go_packages[item.package] = package


def _add_impl(env: ItemEnv, item: ast.ImplDecl, base: TypeScope,
              errs: list[d.Diagnostic], module: ModPath = ()) -> None:
    if not isinstance(item.self_ty, ast.TypePath):
        errs.append(d.error(None, "this kind of impl is not supported yet", item.self_ty.span))
        return
    resolve_errs: list[d.Diagnostic] = []
    key = impl_owner(env, item, module, resolve_errs)
    owner = key or item.self_ty.path.last.name
    if resolve_errs:
        errs.extend(resolve_errs)
        return
    if key is None:
        if owner in t.PRIMITIVES or owner in BUILTIN_TYPES:
            errs.append(d.error("E0390", "cannot define inherent `impl` for primitive types",
                                item.self_ty.span))
        else:
            errs.append(d.error("E0425", f"cannot find type `{owner}` in this scope",
                                item.self_ty.span, "not found in this scope"))
        return
    self_ty = t.Adt(owner, tuple(t.Param(p.name) for p in item.generics.params))
    scope = _type_scope(item.generics, base, self_ty)
    table = env.methods.setdefault(owner, {})
    for member in item.members:
        if not isinstance(member, ast.FnDecl):
            continue
        if member.name in table and item.trait_ is None:
            errs.append(d.error("E0592", f"duplicate definitions with name `{member.name}`",
                                member.name_span, f"duplicate definitions for `{member.name}`"))
            continue
        # A trait's methods are as visible as the trait: only inherent methods are private
        # to the module of their impl.
        table[member.name] = replace(fn_sig(member, owner, scope, errs),
                                     module=module if item.trait_ is None else ())
