"""What a type or a path offers: fields and methods of a value, items behind `Type::`,
`module::` and `gopkg::`, as plain data for completion and signature help.

Methods are found as the checker probes them (gust.sema.check.calls.lookup_method): the
receiver's type, then through references, `String` -> `str` and smart pointers
(auto-deref); on each type its fields, inherent methods, the methods of the package's
traits it implements, and the std tables of gust.sema.builtins.
"""

from __future__ import annotations

from collections.abc import Sequence

from gust.frozen import dataclass
from gust.sema import builtins, traits
from gust.sema import types as t
from gust.sema.golang import (
    GoConst,
    GoFunc,
    GoNamedType,
    GoPackage,
    GoVar,
    gust_const_type,
    gust_field_type,
    gust_method_signature,
    gust_signature,
    gust_var_type,
    split_go_type_name,
)
from gust.sema.items import Bound, FnSig, ItemEnv

# Where the docs of a member are, by name (resolved again when the client asks for them):
# ("fn", "", name), ("method", owner, name), ("struct" | "enum" | "trait" | "const" |
# "mod" | "alias", "", name), ("field", struct, name), ("variant", enum, name),
# ("go", import path, name), ("go_method" | "go_field", Go type's Adt name, name).
DocRef = tuple[str, str, str]

_SELF_TEXT = {"ref": "&self", "ref_mut": "&mut self", "value": "self"}


@dataclass(frozen=True, slots=True)
class Signature:
    """A callable as Rust prints it: `fn push(&mut self, value: i32)`."""

    name: str
    params: tuple[str, ...]  # `x: i32`, or just the type when the name is unknown (std)
    ret: str | None = None  # None for `()`
    self_param: str | None = None  # `&self`, `&mut self`, `self`
    generics: str = ""  # `<T: Ord>`
    # What the label starts with: `fn ` for functions, the type for the constructors of
    # tuple variants and structs (`Shape::Circle(f64)`).
    prefix: str = "fn "

    def label(self) -> str:
        return f"{self.prefix}{self.name}{self.generics}({', '.join(self._all())})" + \
            self._ret()

    def short(self) -> str:
        """The form rust-analyzer shows as a completion's detail: `fn(&self, i32) -> i32`."""
        return f"fn({', '.join(self._all())})" + self._ret()

    def param_offsets(self) -> list[tuple[int, int]]:
        """Where each parameter (not `self`) is in `label()`."""
        label = self.label()
        pos = label.index("(") + 1
        if self.self_param is not None:
            pos += len(self.self_param) + 2
        out = []
        for p in self.params:
            out.append((pos, pos + len(p)))
            pos += len(p) + 2
        return out

    def _all(self) -> list[str]:
        return ([self.self_param] if self.self_param else []) + list(self.params)

    def _ret(self) -> str:
        return f" -> {self.ret}" if self.ret else ""


@dataclass(frozen=True, slots=True)
class Member:
    """One name a completion can offer.

    `kind`: "field", "method", "function", "variant", "struct", "enum", "trait", "module",
    "constant", "static", "type", "variable", "keyword", "macro", "type_param"."""

    name: str
    kind: str
    detail: str | None = None
    signature: Signature | None = None
    doc: DocRef | None = None
    # Tuple variants and tuple structs are called like functions: `Some($0)`.
    call: bool = False
    # How it was found, for ordering: fields, then inherent methods, then trait methods.
    rank: int = 0


# ---------------------------------------------------------------- signatures


def show(ty: t.Ty) -> str:
    """A type as Rust writes it, also the parameter pseudo-types of std signatures
    (gust.sema.builtins): `FnMut(&T) -> bool`, `&K` for a borrowed key, `impl Pattern`."""
    match ty:
        case t.Adt(name, (t.Tuple(params), ret)) if name in builtins.CALLABLE_TRAITS:
            shown = f"impl {name}({', '.join(show(p) for p in params)})"
            return shown if ret == t.UNIT else f"{shown} -> {show(ret)}"
        case t.Adt(builtins.BORROWED, (key,)):
            return f"&{show(key)}"
        case t.Adt(builtins.PATTERN, ()):
            return "impl Pattern"
        case t.Adt("IntoIter", (item,)):
            return f"impl IntoIterator<Item = {show(item)}>"
        case t.Adt("Iter", (item,)):
            return f"impl Iterator<Item = {show(item)}>"
        case t.Adt(_, args) if args:
            return f"{t.Adt(ty.name)!s}<{', '.join(show(a) for a in args)}>"
        case t.Ref(inner, mutable):
            return f"&{'mut ' if mutable else ''}{show(inner)}"
        case t.Tuple(elems) if len(elems) != 1:
            return f"({', '.join(show(e) for e in elems)})"
        case t.Slice(elem):
            return f"[{show(elem)}]"
        case t.Error():
            return "{unknown}"  # as rust-analyzer shows what inference could not find
        case t.Closure():
            shown = ", ".join(show(p) for p in ty.params)
            return f"impl {ty.kind}({shown})" + ("" if ty.ret == t.UNIT else f" -> {show(ty.ret)}")
    return str(ty)


def fn_signature(sig: FnSig, subst: dict[str, t.Ty] | None = None) -> Signature:
    """A package function's signature, its impl's parameters replaced by `subst`."""
    sub = subst or {}
    params = []
    for p, ty in zip(sig.decl.params, sig.params, strict=False):
        name = getattr(p.pat, "name", "_")
        params.append(f"{name}: {show(t.substitute(ty, sub) if sub else ty)}")
    ret = t.substitute(sig.ret, sub) if sub else sig.ret
    own = [g for g in sig.generics if not g.startswith("impl ")]
    return Signature(sig.name, tuple(params), None if ret == t.UNIT else show(ret),
                     _SELF_TEXT.get(sig.self_kind or ""),
                     f"<{', '.join(own)}>" if own else "")


def constructor_signature(owner: str, name: str, fields: Sequence[t.Ty]) -> Signature:
    """A tuple variant or tuple struct called like a function: `Shape::Circle(f64)`."""
    return Signature(name, tuple(show(f) for f in fields), prefix=f"{owner}::" if owner else "")


def builtin_signature(m: builtins.BuiltinMethod) -> Signature:
    return Signature(m.name, tuple(show(p) for p in m.params),
                     None if m.ret == t.UNIT else show(m.ret), _SELF_TEXT.get(m.self_kind))


def _go_params(params: Sequence[object], types: Sequence[t.Ty], variadic: bool
               ) -> tuple[str, ...]:
    out = []
    for i, (p, ty) in enumerate(zip(params, types, strict=False)):
        name = getattr(p, "name", "")
        shown = f"{show(ty)}..." if variadic and i == len(types) - 1 else show(ty)
        out.append(f"{name}: {shown}" if name else shown)
    return tuple(out)


# ---------------------------------------------------------------- members of a value


def value_members(env: ItemEnv, ty: t.Ty, assumptions: Sequence[Bound] = ()) -> list[Member]:
    """Fields and methods reachable with `.` on a value of type `ty`, the nearest first
    (a name found on the value itself hides the same name behind a deref)."""
    found: dict[str, Member] = {}
    current: t.Ty | None = ty
    for _ in range(8):
        if current is None:
            break
        for m in _members_at(env, current, assumptions):
            found.setdefault(m.name, m)
        current = _deref(current)
    return list(found.values())


def _deref(ty: t.Ty) -> t.Ty | None:
    match ty:
        case t.Ref(inner, _):
            return inner
        case t.Adt("String"):
            return t.STR
        case t.Adt(name, args) if name in builtins.DEREF_TYPES and args:
            return args[0]
    return None


def _members_at(env: ItemEnv, ty: t.Ty, assumptions: Sequence[Bound]) -> list[Member]:
    out: list[Member] = []
    if isinstance(ty, t.Adt) and ty.name.startswith("go:"):
        return _go_type_members(env, ty.name)
    if isinstance(ty, t.Adt):
        out += _fields(env, ty)
        out += _inherent(env, ty.name, ty.args, with_self=True)
    if isinstance(ty, t.Tuple):
        out += [Member(str(i), "field", show(e)) for i, e in enumerate(ty.elems)]
    out += _trait_methods(env, ty, assumptions)
    owner = builtins.method_owner(ty)
    if isinstance(ty, t.Adt) and ty.name in ("Range", "RangeInclusive"):
        owner = "Iter"
        ty = t.Adt("Iter", ty.args)
    if owner is not None:
        out += _builtin_methods(owner, ty, with_self=True)
    if not isinstance(ty, (t.Ref, t.Param, t.Dyn, t.Error)):
        if traits.is_clone(ty, env, assumptions):
            out.append(Member("clone", "method", f"fn(&self) -> {ty}",
                              Signature("clone", (), str(ty), "&self"), rank=3))
        if traits.is_display(ty, env, assumptions):
            out.append(Member("to_string", "method", "fn(&self) -> String",
                              Signature("to_string", (), "String", "&self"), rank=3))
    return out


def _fields(env: ItemEnv, ty: t.Adt) -> list[Member]:
    info = env.structs.get(ty.name)
    if info is None:
        return []
    subst = dict(zip(info.generics, ty.args, strict=False))
    out = []
    for i, f in enumerate(info.fields):
        name = f.name if f.name is not None else str(i)
        shown = t.substitute(f.ty, subst) if subst else f.ty
        out.append(Member(name, "field", show(shown), doc=("field", _last(ty.name), name)))
    return out


def _inherent(env: ItemEnv, owner: str, args: tuple[t.Ty, ...], with_self: bool
              ) -> list[Member]:
    subst = dict(zip(env.generics_of(owner), args, strict=False))
    out = []
    for name, sig in env.inherent.get(owner, {}).items():
        if sig.has_self != with_self:
            continue
        s = fn_signature(sig, subst)
        out.append(Member(name, "method" if sig.has_self else "function", s.short(), s,
                          ("method", _last(owner), name), rank=1))
    return out


def _trait_methods(env: ItemEnv, ty: t.Ty, assumptions: Sequence[Bound]) -> list[Member]:
    """The methods of the package's traits that `ty` implements (or, for a type
    parameter or `dyn Trait`, that bound it)."""
    names: list[str] = []
    if isinstance(ty, t.Dyn):
        names = [tr for name in ty.traits for tr in traits.supertraits(name, env)]
    elif isinstance(ty, t.Param):
        names = [tr for b in assumptions if b.ty == ty
                 for tr in traits.supertraits(b.trait, env)]
    elif not isinstance(ty, (t.Error, t.Ref)):
        names = [name for name in env.traits if traits.implements(ty, name, env, assumptions)]
    elif isinstance(ty, t.Ref):
        names = [name for name in env.traits if any(
            i.trait == name and isinstance(i.self_ty, t.Ref) for i in env.impls)
            and traits.implements(ty, name, env, assumptions)]
    out = []
    for name in dict.fromkeys(names):
        info = env.traits.get(name)
        if info is None:
            continue
        for mname, sig in info.methods.items():
            if not sig.has_self:
                continue
            s = fn_signature(sig, {"Self": ty})
            out.append(Member(mname, "method", s.short(), s, ("method", _last(name), mname),
                              rank=2))
    return out


def _builtin_methods(owner: str, ty: t.Ty, with_self: bool) -> list[Member]:
    out = []
    names = builtins.method_names(owner)
    if owner == "int" and ty == t.Int("u8"):
        names = names + builtins.method_names("u8")  # `b.is_ascii_digit()`
    for name in dict.fromkeys(names):
        m = builtins.lookup(owner, name, ty)
        if m is None or (m.self_kind != "static") != with_self:
            continue
        s = builtin_signature(m)
        out.append(Member(name, "method" if with_self else "function", s.short(), s, rank=2))
    return out


def go_struct_fields(env: ItemEnv, adt_name: str) -> list[Member]:
    """The fields of a Go struct type (`http::Client { Timeout: .. }`)."""
    return [m for m in _go_type_members(env, adt_name) if m.kind == "field"]


def _go_type_members(env: ItemEnv, adt_name: str) -> list[Member]:
    found = split_go_type_name(adt_name)
    package = env.go_packages.get(found[0]) if found else None
    named = package.type(found[1]) if package is not None and found else None
    if named is None:
        return []
    out = [Member(f.name, "field", str(gust_field_type(f)), doc=("go_field", adt_name, f.name))
           for f in named.fields]
    for m in named.methods:
        sig = gust_method_signature(m)
        s = Signature(m.name, _go_params(m.params, sig.params, sig.variadic),
                      None if sig.ret == t.UNIT else show(sig.ret), _SELF_TEXT[sig.self_kind])
        out.append(Member(m.name, "method", s.short(), s, ("go_method", adt_name, m.name),
                          rank=1))
    return out


# ---------------------------------------------------------------- members of a path


def type_members(env: ItemEnv, name: str) -> list[Member]:
    """What `Name::` offers for a type of the package or of std: variants, associated
    functions and methods."""
    out: list[Member] = []
    enum = env.enums.get(name)
    if enum is not None:
        for v in enum.variants:
            detail = _variant_text(enum.name, v.name, v.kind, [str(f.ty) for f in v.fields])
            made = constructor_signature(_last(name), v.name, [f.ty for f in v.fields]) \
                if v.kind == "tuple" else None
            out.append(Member(v.name, "variant", detail, made, ("variant", _last(name), v.name),
                              call=v.kind == "tuple"))
    if name in env.structs or enum is not None:
        out += _inherent(env, name, (), with_self=False)
        out += _inherent(env, name, (), with_self=True)
        for impl in env.impls:
            if impl.trait is not None and isinstance(impl.self_ty, t.Adt) and \
                    impl.self_ty.name == name:
                for mname, sig in impl.methods.items():
                    s = fn_signature(sig)
                    out.append(Member(mname, "method" if sig.has_self else "function",
                                      s.short(), s, ("method", _last(impl.trait), mname),
                                      rank=2))
    info = env.traits.get(name)
    if info is not None:
        for mname, sig in info.methods.items():
            s = fn_signature(sig)
            out.append(Member(mname, "method" if sig.has_self else "function", s.short(), s,
                              ("method", _last(name), mname)))
    if name in ("Option", "Result"):
        variants = [("Some", "tuple"), ("None", "unit")] if name == "Option" else \
            [("Ok", "tuple"), ("Err", "tuple")]
        out += [Member(v, "variant", f"{name}::{v}", call=kind == "tuple")
                for v, kind in variants]
    owner = {"str": "str", "Vec": "Vec", "String": "String"}.get(name, name)
    if owner in builtins.STATIC_OWNERS:
        generic = t.Adt(owner, tuple(t.Param(p) for p in builtins.params_of(owner)))
        out += _builtin_methods(owner, generic, with_self=False)
    if name in t.INT_KINDS:
        out += [Member(c, "constant", name) for c in ("MAX", "MIN", "BITS")]
    if name in t.FLOAT_KINDS:
        out += [Member(c, "constant", name) for c in ("MAX", "MIN", "EPSILON", "INFINITY",
                                                      "NEG_INFINITY", "NAN")]
    return _dedupe(out)


def _variant_text(enum: str, name: str, kind: str, fields: list[str]) -> str:
    if kind == "tuple":
        return f"{enum}::{name}({', '.join(fields)})"
    if kind == "named":
        return f"{enum}::{name} {{ .. }}"
    return f"{enum}::{name}"


def go_package_members(package: GoPackage) -> list[Member]:
    """Everything a `use go` package exports, as `http::` completes it."""
    out: list[Member] = []
    path = package.path
    decls: list[GoFunc | GoNamedType | GoConst | GoVar] = [
        *package.funcs, *package.types, *package.consts, *package.vars]
    for decl in decls:
        doc: DocRef = ("go", path, decl.name)
        match decl:
            case GoFunc():
                sig = gust_signature(path, decl)
                s = Signature(decl.name, _go_params(decl.params, sig.params, sig.variadic),
                              None if sig.ret == t.UNIT else show(sig.ret))
                out.append(Member(decl.name, "function", s.short(), s, doc))
            case GoNamedType():
                kind = "trait" if decl.is_interface else "struct"
                out.append(Member(decl.name, kind, f"{package.name}.{decl.name}", doc=doc))
            case GoConst():
                out.append(Member(decl.name, "constant", str(gust_const_type(decl)), doc=doc))
            case GoVar():
                out.append(Member(decl.name, "static", str(gust_var_type(decl)), doc=doc))
    return out


def _dedupe(members: list[Member]) -> list[Member]:
    seen: dict[str, Member] = {}
    for m in members:
        seen.setdefault(m.name, m)
    return list(seen.values())


def _last(key: str) -> str:
    return key.rsplit("::", 1)[-1]
