"""Completion: what may be written at the cursor, as plain data (the LSP layer renders it).

Three contexts, decided from the text before the cursor:
- after `.`: the fields and methods of the receiver's type (gust.ide.members), through
  auto-deref, as the checker would find them;
- after `::`: what the path before it offers: enum variants, associated functions, the
  items of a module, the members of a `use go` package, std paths;
- anywhere else: the locals in scope at the cursor, the items of the module, the std
  prelude and keywords (only types where a type is expected).

The receiver, the locals and the function around the cursor come from a probe
(gust.ide.cursor): the item re-parsed with a placeholder at the cursor, so completion works
on text that does not parse yet (`v.` at the end of a line).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from gust.frozen import dataclass
from gust.ide.cursor import Probe, Snapshot, probe, walk
from gust.ide.members import (
    DocRef,
    Member,
    Signature,
    constructor_signature,
    fn_signature,
    go_package_members,
    go_struct_fields,
    show,
    type_members,
    value_members,
)
from gust.sema import types as t
from gust.sema.items import STD_TRAITS, Bound, FieldInfo, ItemEnv
from gust.sema.modules import PASS, STD_MODULES, Def, Resolver
from gust.syntax import ast
from gust.text import Span

EXPR_KEYWORDS = ("let", "mut", "if", "else", "match", "for", "in", "while", "loop", "return",
                 "break", "continue", "move", "ref", "as", "true", "false", "self", "Self",
                 "fn", "struct", "enum", "impl", "use", "const", "static", "go", "select",
                 "unsafe")
ITEM_KEYWORDS = ("fn", "struct", "enum", "impl", "trait", "mod", "use", "pub", "const",
                 "static", "type", "where", "for", "self", "Self", "crate", "super", "dyn",
                 "impl", "mut", "chan")
PRELUDE_TYPES = ("Vec", "String", "Option", "Result", "Box")
PRELUDE_VALUES = (("Some", "Option::Some(T)"), ("None", "Option::None"),
                  ("Ok", "Result::Ok(T)"), ("Err", "Result::Err(E)"))
_PRELUDE_CONSTRUCTORS = {
    "Some": Signature("Some", ("T",), prefix="Option::"),
    "Ok": Signature("Ok", ("T",), prefix="Result::"),
    "Err": Signature("Err", ("E",), prefix="Result::"),
}
PRIMITIVES = ("bool", "char", "str", *t.INT_KINDS, *t.FLOAT_KINDS)
MACROS = ("println", "print", "eprintln", "eprint", "format", "vec", "panic", "assert",
          "assert_eq", "assert_ne", "unreachable", "todo", "write", "writeln")
_IDENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_QUALIFIER = re.compile(r"((?:[A-Za-z_][A-Za-z0-9_]*\s*(?:<[^<>]*>)?\s*::\s*)+)$")

# What a type position offers.
_TYPE_KINDS = frozenset({"struct", "enum", "trait", "type", "module"})

# Sort groups, nearest first.
_LOCAL, _FIELD, _ITEM, _PRELUDE, _KEYWORD = 0, 0, 4, 5, 6


@dataclass(frozen=True, slots=True)
class Completion:
    label: str
    kind: str  # a Member kind (gust.ide.members)
    detail: str | None = None
    # The text to insert as a snippet (`$0` is where the cursor goes), for callables:
    # `push($0)`; None to insert the label.
    snippet: str | None = None
    doc: DocRef | None = None
    sort: int = 0


@dataclass(frozen=True, slots=True)
class Context:
    kind: str  # "dot", "path", "name", "type" or "none"
    start: int  # where the word being completed starts
    qualifier: tuple[str, ...] = ()
    # A path in a type position (`w: http::` in a signature, `-> io::`): types only.
    types_only: bool = False


def completions(analysis: Snapshot, offset: int) -> list[Completion]:
    """What may be written at `offset` of the analysed text, best first."""
    text = analysis.text
    ctx = context(text, offset)
    if ctx.kind == "none":
        return []
    members = candidates(analysis, offset, ctx)
    follows_paren = text[offset:].lstrip(" ").startswith("(") or \
        _IDENT.match(text, offset) is not None
    return [Completion(m.name, m.kind, m.detail, _snippet(m, follows_paren), m.doc, group)
            for m, group in members]


def candidates(analysis: Snapshot, offset: int, ctx: Context | None = None
               ) -> list[tuple[Member, int]]:
    """The names that may be written at `offset`, each with its sort group."""
    if ctx is None:
        ctx = context(analysis.text, offset)
    if ctx.kind == "none":
        return []
    found = probe(analysis, offset)
    env = found.env if found is not None else analysis.env
    if ctx.kind == "dot":
        return _dot(env, found)
    if ctx.kind == "path":
        found_members = _path(env, found, ctx.qualifier)
        if ctx.types_only:
            return [(m, g) for m, g in found_members if m.kind in _TYPE_KINDS]
        return found_members
    if found is not None and isinstance(found.node, ast.StructLit):
        return _literal_fields(env, found, found.node)
    return _names(env, found, types_only=ctx.kind == "type")


def context(text: str, offset: int) -> Context:
    """What kind of name is being written at `offset`, from the text before it."""
    start = offset
    while start > 0 and (text[start - 1].isalnum() or text[start - 1] == "_"):
        start -= 1
    if start < offset and text[start].isdigit():
        return Context("none", start)
    line_start = text.rfind("\n", 0, start) + 1
    if _in_comment_or_string(text[line_start:start]):
        return Context("none", start)
    before = text[line_start:start]
    if before.endswith(".") and not before.endswith(".."):
        if re.search(r"(?<![\w.])\d+\.$", before):
            return Context("none", start)  # `1.`: a float literal
        return Context("dot", start)
    if before.rstrip().endswith("::"):
        m = _QUALIFIER.search(before)
        if m is None:
            return Context("none", start)
        segs = tuple(s for s in re.sub(r"<[^<>]*>", "", m.group(1)).replace(" ", "")
                     .split("::") if s)
        return Context("path", start, segs, _type_position(before[:m.start(1)]))
    if _type_position(before):
        return Context("type", start)
    return Context("name", start)


def _type_position(before: str) -> bool:
    """Whether what follows `before` is a type: after `x:` (not `::`) or `->`."""
    stripped = before.rstrip()
    return (stripped.endswith(":") and not stripped.endswith("::")) or stripped.endswith("->")


def _in_comment_or_string(line: str) -> bool:
    quote = False
    i = 0
    while i < len(line):
        c = line[i]
        if quote:
            if c == "\\":
                i += 1
            elif c == '"':
                quote = False
        elif c == '"':
            quote = True
        elif line.startswith("//", i):
            return True
        i += 1
    return quote


def _snippet(m: Member, follows_paren: bool) -> str | None:
    if follows_paren:
        return None
    if m.kind == "macro":
        return f"{m.name}![$0]" if m.name == "vec" else f"{m.name}!($0)"
    if m.signature is not None and m.kind in ("method", "function"):
        return f"{m.name}($0)" if m.signature.params else f"{m.name}()$0"
    if m.call:
        return f"{m.name}($0)"
    return None


# ---------------------------------------------------------------- after `.`


def _dot(env: ItemEnv, found: Probe | None) -> list[tuple[Member, int]]:
    if found is None or found.body is None or found.node is None:
        return []
    node = found.node
    receiver = node.base if isinstance(node, ast.Field) else \
        node.receiver if isinstance(node, ast.MethodCall) else None
    if receiver is None:
        return []
    ty = found.body.expr_types.get(receiver)
    if ty is None or isinstance(ty, t.Error):
        return []
    return [(m, _FIELD + m.rank) for m in value_members(env, ty, _assumptions(env, found))]


def _assumptions(env: ItemEnv, found: Probe) -> tuple[Bound, ...]:
    """The bounds in scope in the probed function (looked up by name: the probe's parse
    is not the one the environment was built from)."""
    fn, body = found.fn, found.body
    if fn is None:
        return ()
    owner = body.owner if body is not None else None
    if owner is None:
        sig = env.fns.get(fn.name)
        return sig.bounds if sig is not None else ()
    if owner in env.traits:
        info = env.traits[owner]
        own = info.methods[fn.name].bounds if fn.name in info.methods else ()
        return (Bound(t.Param("Self"), owner), *info.supertraits, *own)
    for impl in env.impls:
        sig = impl.methods.get(fn.name)
        if sig is not None and sig.owner == owner:
            return (*impl.bounds, *sig.bounds)
    return ()


def _literal_fields(env: ItemEnv, found: Probe, literal: ast.StructLit
                    ) -> list[tuple[Member, int]]:
    """In `Point { x: 1, | }`: the fields of the struct (or enum variant) not given yet."""
    ty = found.body.expr_types.get(literal) if found.body is not None else None
    if not isinstance(ty, t.Adt):
        return []
    if ty.name.startswith("go:"):  # a Go struct: its exported fields, Go's zero by default
        given_go = {f.name for f in literal.fields}
        return [(m, _FIELD) for m in go_struct_fields(env, ty.name) if m.name not in given_go]
    fields: tuple[FieldInfo, ...] = ()
    owner = _last_key(ty.name)
    if ty.name in env.structs:
        fields = env.structs[ty.name].fields
    elif ty.name in env.enums:
        variant = env.enums[ty.name].variant(literal.path.last.name)
        fields = variant.fields if variant is not None else ()
        owner = f"{owner}::{literal.path.last.name}"
    given = {f.name for f in literal.fields}
    generics = dict(zip(env.generics_of(ty.name), ty.args, strict=False))
    return [(Member(f.name, "field", show(t.substitute(f.ty, generics)),
                    doc=("field", owner, f.name) if "::" not in owner else None), _FIELD)
            for f in fields if f.name is not None and f.name not in given]


def _last_key(key: str) -> str:
    return key.rsplit("::", 1)[-1]


# ---------------------------------------------------------------- after `::`


def _path(env: ItemEnv, found: Probe | None, segs: tuple[str, ...]
          ) -> list[tuple[Member, int]]:
    module = found.module if found is not None else ()
    first = segs[0]
    if segs == ("Self",):
        owner = found.body.owner if found is not None and found.body is not None else None
        return _ranked(type_members(env, owner)) if owner else []
    if first in ("std", "core", "alloc"):
        return _ranked(_std_module(("std", *segs[1:])))
    if len(segs) == 1 and first in env.go_aliases:
        package = env.go_package(first)
        return _ranked(go_package_members(package)) if package is not None else []
    resolver = Resolver(env.modules, module)
    resolved = resolver.resolve([(s, Span(0, 0)) for s in segs], "type", [])
    if resolved is not None and resolved is not PASS and not resolved.rest:
        df = resolved.df
        if df.kind == "mod":
            path = df.mod_path
            return _ranked(_module_members(env, resolver, path, own=path == module))
        if df.kind in ("struct", "enum", "trait", "alias"):
            return _ranked(type_members(env, df.key))
    if len(segs) == 1:
        return _ranked(type_members(env, first))
    return []


def _ranked(members: Iterable[Member], group: int = 0) -> list[tuple[Member, int]]:
    return [(m, group + m.rank) for m in members]


def _std_module(path: tuple[str, ...]) -> list[Member]:
    names = STD_MODULES.get(path)
    if names is None:
        return []
    out = []
    for name in sorted(names):
        if (*path, name) in STD_MODULES:
            out.append(Member(name, "module", "::".join((*path, name))))
        elif name[:1].isupper():
            kind = "trait" if name in STD_TRAITS else "struct"
            out.append(Member(name, kind, "::".join((*path, name))))
        elif name != "self":
            out.append(Member(name, "function", "::".join((*path, name))))
    return out


def _module_members(env: ItemEnv, resolver: Resolver, path: tuple[str, ...], own: bool
                    ) -> list[Member]:
    module = env.modules.module(path)
    out: list[Member] = []
    for ns, table in (("type", module.types), ("value", module.values)):
        for name, df in table.items():
            if "::" in name:
                continue  # the enum's own key for its variants, not a name
            if own or resolver.visible_member(path, name, ns):
                out.append(_def_member(env, name, df))
    return out


def _def_member(env: ItemEnv, name: str, df: Def) -> Member:
    """A name of a module's namespaces as a completion."""
    kind = df.kind
    key = df.key
    if kind == "fn" and key in env.fns:
        s = fn_signature(env.fns[key])
        return Member(name, "function", s.short(), s, ("fn", "", name))
    if kind in ("const", "static") and key in env.consts:
        return Member(name, "constant" if kind == "const" else "static",
                      str(env.consts[key].ty), doc=("const", "", name))
    if kind == "variant":
        enum = env.enums.get(key)
        variant = enum.variant(name) if enum is not None else None
        tuple_variant = variant is not None and variant.kind == "tuple"
        sig = constructor_signature(_last_key(key), name, [f.ty for f in variant.fields]) \
            if variant is not None and tuple_variant else None
        return Member(name, "variant", f"{key}::{name}", sig, ("variant", key, name),
                      call=tuple_variant)
    if kind == "struct":
        info = env.structs.get(key)
        tuple_struct = info is not None and info.kind == "tuple"
        sig = constructor_signature("", name, [f.ty for f in info.fields]) \
            if info is not None and tuple_struct else None
        return Member(name, "struct", f"struct {name}", sig, ("struct", "", name),
                      call=tuple_struct)
    if kind == "mod":
        return Member(name, "module", f"mod {name}", doc=("mod", "", name))
    if kind == "builtin":
        return Member(name, "struct", name)
    words = {"enum": "enum", "trait": "trait", "alias": "type"}
    return Member(name, kind if kind in ("enum", "trait") else "type",
                  f"{words.get(kind, kind)} {name}", doc=(kind, "", name))


# ---------------------------------------------------------------- names


def _names(env: ItemEnv, found: Probe | None, types_only: bool) -> list[tuple[Member, int]]:
    out: list[tuple[Member, int]] = []
    in_body = found is not None and found.body is not None
    if found is not None and found.body is not None and not types_only:
        out += [(m, _LOCAL) for m in _locals_in_scope(found)]
    if found is not None and found.fn is not None:
        out += [(Member(g.name, "type_param", g.name), _LOCAL)
                for g in found.fn.generics.params]
    module = found.module if found is not None else ()
    resolver = Resolver(env.modules, module)
    for m in _module_members(env, resolver, module, own=True):
        if not types_only or m.kind in _TYPE_KINDS:
            out.append((m, _ITEM))
    out += [(Member(alias, "module", f'use go "{path}"'), _ITEM)
            for alias, path in sorted(env.go_aliases.items())]
    taken = {m.name for m, _ in out}
    prelude = [Member(n, "struct", n) for n in PRELUDE_TYPES]
    if found is not None and found.body is not None and found.body.owner is not None:
        prelude.append(Member("Self", "type", found.body.owner))
    prelude += [Member(p, "type", p) for p in PRIMITIVES]
    if not types_only:
        prelude += [Member(n, "variant", detail, _PRELUDE_CONSTRUCTORS.get(n), call=n != "None")
                    for n, detail in PRELUDE_VALUES]
        prelude.append(Member("drop", "function", "fn(T)",))
        prelude += [Member(n, "macro", f"{n}!") for n in MACROS]
    out += [(m, _PRELUDE) for m in prelude if m.name not in taken]
    keywords = EXPR_KEYWORDS if in_body else ITEM_KEYWORDS
    if not types_only:
        out += [(Member(k, "keyword"), _KEYWORD) for k in dict.fromkeys(keywords)
                if k not in taken]
    return out


def _locals_in_scope(found: Probe) -> list[Member]:
    """The locals (and parameters) visible at the cursor: declared before it, in a scope
    (block, closure, match arm, loop, `if let`) that holds it; the latest of a name wins."""
    body = found.body
    assert body is not None
    rel = found.rel
    scopes = [node.span for node in _scope_nodes(body.fn)]
    visible: dict[str, Member] = {}
    for local in body.locals:
        if local.span.end > rel:
            continue
        holders = [s for s in scopes if s.start <= local.span.start and local.span.end <= s.end]
        if holders:
            inner = min(holders, key=lambda s: s.end - s.start)
            if not inner.start <= rel <= inner.end:
                continue
        visible.pop(local.name, None)
        visible[local.name] = Member(local.name, "variable", show(local.ty),
                                     signature=_callable(local.name, local.ty))
    return list(reversed(visible.values()))


def _callable(name: str, ty: t.Ty) -> Signature | None:
    """A local holding a closure or `fn` pointer is called like a function."""
    if isinstance(ty, (t.Closure, t.FnPtr)):
        return Signature(name, tuple(show(p) for p in ty.params),
                         None if ty.ret == t.UNIT else show(ty.ret))
    return None


def _scope_nodes(fn: ast.FnDecl) -> Iterator[ast.Block | ast.Closure | ast.MatchArm
                                              | ast.For | ast.If | ast.While | ast.FnDecl]:
    for node in walk(fn):
        if isinstance(node, (ast.Block, ast.Closure, ast.MatchArm, ast.For, ast.If, ast.While,
                             ast.FnDecl)):
            yield node
