"""The Go names of a package's items: `pub` is Go's capital letter.

A Gust package is one Go package. Go code can import it when it is a *library* (no
`fn main` at its root): there, a `pub` item, field or method gets an exported Go name and
everything else an unexported one, so Go code sees the package's API and nothing more:

| Gust | Go |
|---|---|
| `pub fn count_tokens` | `func CountTokens` (snake_case to MixedCaps) |
| `fn helper`, `struct Token` (not `pub`) | `func helper`, `type token` (first letter lowered) |
| `pub(crate) fn helper` (`pub` inside the package only) | `func helper`, as if not `pub` |
| `pub const MAX_LEN` / `const MAX_LEN` | `MaxLen` / `maxLen` |
| `pub struct Token { pub text: String, len: usize }` | `type Token struct { Text string; len int }` |
| `pub fn new() -> Token` in `impl Token` | `func NewToken() Token` (`new_with` -> `NewTokenWith`) |
| `pub fn from_str(..)` in `impl Token` | `func TokenFromStr(..)` |
| `pub fn len(&self)` in `impl Token` | `func (self Token) Len()` |
| a variant `Kind::Word` of `pub enum Kind` | `KindWord`; a payload variant's fields are exported with it |
| the methods of a `pub trait` | exported methods of its interface |
| `fn name(&self)` of `trait Named` when an implementing type has another `name` (inherent, or another trait's) | `namedName` (`NamedName` for a `pub trait` of a library), for every implementer |
| `pub fn parse(..) -> Result<T, E>` | `func Parse(..) (T, error)`, a wrapper of the unexported `func parse(..) Result[T, E]` |
| `pub fn find(..) -> Option<T>` | `func Find(..) (T, bool)`, a wrapper of `func find(..) Option[T]` |
| `pub fn extent(&self) -> Result<T, E>` in `impl Route` | `func (self *Route) Extent() (T, error)`, a wrapper of the method `extent` |
| `pub fn open(..) -> Result<Route, E>` in `impl Route` | `func RouteOpen(..) (Route, error)`, a wrapper of `func route_open(..)` |

The rule is `pub` alone (as rustc's `pub`, not whether a path from outside reaches the item).
In a `main` package nothing can import it, so names stay as written in Gust there, but for
`pub` fields of structs: exported, so that Go's reflection (encoding/json) sees them, with a
`json:"name"` tag of the Gust name (gust.codegen.items; a library's exported fields get it
too).
When two items would get the same Go name (`struct Config` lowered to `config` beside
`fn config`), the type keeps it and the later value (in key order) gets a `_`. In a program,
an item keyed by its path (another module has an item of its name) is named after the
path: `shapes::area` is `shapes_area`.

A `pub fn` returning `Result` or `Option` is seen from Go as Go functions are seen from Gust
(gust.sema.golang, mirrored): `(T, error)` (`error` alone for `Result<(), E>`) and
`(T, bool)`. Gust code calls the function itself, under an unexported name, and Go code
the exported wrapper (`go_facing`; gust.codegen.go_facing writes it).

Items of other Gust packages (crates, gust.sema.modules) are named as Go code names them:
their package's name and their exported name (`textkit.Tokenize`, `textkit.NewToken`,
`textkit.KindWord`); a call of one with a Go-facing wrapper calls the wrapper and turns its
results back into a `Result`/`Option` (`foreign_call`). `Option`, `Result` and tuples are
the module's shared types (gust_types.go, through aliases in each package's runtime), so
values of them cross; the runtime's other types (`Rc`, `RefCell`, `Mutex`, channels, ...)
are each package's own, and naming an item of another package whose type holds one raises
`Unsupported`.

The table is computed once per environment (`for_env`, memoised in `ItemEnv.memo`): the
emitter asks it for every name, item by item.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final

from gust.codegen import names
from gust.frozen import dataclass
from gust.sema import types as t
from gust.sema.items import FnSig, ItemEnv
from gust.sema.modules import BLOCK_MARK

_MEMO_KEY: Final = "codegen.package_names"


def exported(name: str) -> str:
    """`count_tokens` -> `CountTokens`, `MAX_LEN` -> `MaxLen`, `Token` -> `Token`."""
    parts = [p for p in name.split("_") if p]
    if not parts:
        return name
    if all(not c.isalpha() or c.isupper() for c in name):  # SCREAMING_CASE
        parts = [p.lower() for p in parts]
    out = "".join(p[:1].upper() + p[1:] for p in parts)
    return out if out[:1].isalpha() else "X" + out


def unexported(name: str) -> str:
    """`Token` -> `token`, `TokenKind` -> `tokenKind`, `MAX_LEN` -> `maxLen`; names that
    start with a lower-case letter or `_` stay as written."""
    if not name[:1].isupper():
        return name
    mixed = exported(name)
    return mixed[:1].lower() + mixed[1:]


def go_pub(node: object) -> bool:
    """Whether Go code outside the package sees a declaration: `pub`, not `pub(crate)` (which
    no other package may name: unexported, like a private item)."""
    return bool(getattr(node, "is_pub", False)) and not getattr(node, "crate_only", False)


def is_library(env: ItemEnv) -> bool:
    """A package without `fn main` at its root: Go code may import it."""
    main = env.fns.get("main")
    return main is None or main.owner is not None or main.module != ()


@dataclass(frozen=True)
class PackageNames:
    env: ItemEnv
    library: bool
    types: Mapping[str, str]  # struct, enum and trait keys -> Go names
    values: Mapping[str, str]  # fn, const and static keys -> Go names
    taken: frozenset[str]  # every Go name above
    # The names a local variable must not hide (and so gets a `_`): the types' Gust names in
    # a program (as written in Go), every package-level name in a library (`type token`).
    shadowed: frozenset[str]
    # Functions whose Go callers get Go's results (key -> the exported wrapper's name).
    go_facing: Mapping[str, str]
    # Items of other Gust packages: key -> the crate (its Go package name).
    foreign: Mapping[str, str]
    # Trait methods named after their trait too (`namedName`), because a type that
    # implements the trait has another method of the same name (`shared_trait_methods`).
    qualified: frozenset[tuple[str, str]] = frozenset()

    # ------------------------------------------------------------ items

    def type_name(self, key: str) -> str:
        found = self.types.get(key)
        return found if found is not None else names.type_name(key)

    def value_name(self, key: str) -> str:
        found = self.values.get(key)
        return found if found is not None else names.value_name(key)

    def value_ref(self, key: str) -> str:
        """A function or constant named in an expression (not called): raises
        `Unsupported` for one of another package that cannot cross yet."""
        if key in self.foreign:
            self._check_value(key, allow_result=False)
        return self.value_name(key)

    def facing_method(self, owner: str, name: str) -> str | None:
        """The Go-facing wrapper's name of a method or associated function of `owner`
        (None when Go callers call it as it is)."""
        sig = self.env.inherent.get(owner, {}).get(name)
        if sig is None or not is_facing_method(self.env, owner, sig) or \
                not (self.library or owner in self.foreign):
            return None
        if sig.self_kind is None:
            return self._pub_assoc_fn(owner, name)
        go = exported(name)
        if go in self._field_names(owner) or go in names.GENERATED_METHODS:
            go += "_"
        return go

    def foreign_method(self, owner: str, name: str) -> str | None:
        """For a Go-facing method of a type of another package: the runtime function that
        turns its wrapper's Go results back into the `Result`/`Option` (the wrapper is
        `facing_method`)."""
        sig = self.env.inherent.get(owner, {}).get(name)
        if owner not in self.foreign or sig is None or self.facing_method(owner, name) is None:
            return None
        return _from_go(sig.ret)

    def foreign_call(self, key: str) -> tuple[str, str | None]:
        """A function of another Gust package, called: its Go name, and how its Go results
        become the Gust result (a runtime function: None when they are the result)."""
        self._check_value(key, allow_result=True)
        sig = self.env.fns.get(key)
        if sig is None or not is_go_facing(sig):
            return self.values[key], None
        return self.values[key], _from_go(sig.ret)

    def _check_value(self, key: str, allow_result: bool) -> None:
        sig = self.env.fns.get(key)
        if sig is not None:
            ret = sig.ret
            rets: tuple[t.Ty, ...] = (ret,)
            if allow_result and is_go_facing(sig) and isinstance(ret, t.Adt):
                rets = ret.args
            elif is_go_facing(sig):
                _cannot_cross(self._path(key), " as a value (Go code gets its Go-facing form)")
            self.check_crossing(key, (*sig.params, *rets))
        const = self.env.consts.get(key)
        if const is not None:
            self.check_crossing(key, (const.ty,))

    def check_crossing(self, what: str, tys: tuple[t.Ty, ...]) -> None:
        """Raise `Unsupported` when a type of an item of another package holds a type of
        the runtime each Go package has its own copy of (`Rc`, `Mutex`, ...)."""
        for ty in tys:
            bad = _runtime_type_in(self.env, ty)
            if bad is not None:
                _cannot_cross(self._path(what), f", whose type has `{bad}` (each Go "
                              "package has its own runtime type for it),")

    def _path(self, what: str) -> str:
        """An item of another package as Gust code names it: `textkit::Token`."""
        for key, crate in self.foreign.items():
            if what == key or what.startswith((key + "::", key + ".")):
                return what if what.startswith(crate + "::") else f"{crate}::{what}"
        return what

    def variant(self, enum: str, variant: str) -> str:
        """A payload variant's struct or a unit variant's constant: the enum's Go name and
        the variant's (`KindWord`)."""
        go_enum = self.type_name(enum)
        name = go_enum + variant
        if enum in self.foreign:
            return name
        if (name in self.taken if self.library else
                name in self.env.structs or name in self.env.enums) or names.is_reserved(name):
            name = f"{go_enum}_{variant}"
        return name

    def nested_fn(self, outer_go: str, name: str) -> str:
        """A `fn` declared inside a function body: a package-level Go function, never
        exported."""
        return f"{_lower_first(outer_go) if self.library else outer_go}_{name}"

    def helper(self, name: str) -> str:
        """A function the backend adds for a trait (a default method, a payload enum's
        trait method): never exported from a library."""
        return _lower_first(name) if self.library else name

    # ------------------------------------------------------------ members

    def assoc_fn(self, owner: str, name: str) -> str:
        """An associated function (or a method emitted as a function) of `owner`."""
        crate = self.foreign.get(owner)
        if crate is not None:
            sig = self.env.methods.get(owner, {}).get(name)
            if sig is not None:
                self.check_crossing(f"{owner}::{name}", (*sig.params, sig.ret))
            base = exported(owner.rsplit("::", 1)[-1])
            if name == "new" or name.startswith("new_"):
                return f"{crate}.New{base}{exported(name[3:])}"
            return f"{crate}.{base}{exported(name)}"
        if not self.library:
            return f"{self.type_name(owner)}_{name}"
        if self._method_is_pub(owner, name) and self.facing_method(owner, name) is None:
            return self._pub_assoc_fn(owner, name)
        go = f"{_lower_first(self.type_name(owner))}_{name}"
        return go + "_" if go in self.taken or names.is_reserved(go) else go

    def _pub_assoc_fn(self, owner: str, name: str) -> str:
        """An exported associated function: `NewToken`, `TokenFromStr` (after the type's Go
        name: `NewParseConfig` for `parse::Config`)."""
        base = exported(owner.rsplit("::", 1)[-1]) if "::" not in owner else \
            exported(self.type_name(owner))
        if name == "new" or name.startswith("new_"):
            go = "New" + base + exported(name[3:])
        else:
            go = base + exported(name)
        return go + "_" if go in self.taken or names.is_reserved(go) else go

    def method(self, owner: str, name: str) -> str:
        """An inherent method: Go forbids a field and a method with the same name."""
        go = name
        if owner in self.foreign:
            sig = self.env.methods.get(owner, {}).get(name)
            if sig is not None:
                self.check_crossing(f"{owner}::{name}", (*sig.params, sig.ret))
        if self.library or owner in self.foreign:
            go = exported(name) if self._method_is_pub(owner, name) and \
                self.facing_method(owner, name) is None else unexported(name)
        if go in names.GO_KEYWORDS or go in names.GENERATED_METHODS:
            go += "_"
        # After the keyword's `_`: a field `chan` is Go's `chan_` too.
        return go + "_" if go in self._field_names(owner) else go

    def trait_method(self, trait: str, method: str) -> str:
        """A method of a package trait (std traits' methods are named by gust.codegen.traits)."""
        go = method
        if self.library or trait in self.foreign:
            info = self.env.traits.get(trait)
            go = exported(method) if info is not None and go_pub(info.decl) else \
                unexported(method)
        if (trait, method) in self.qualified:
            simple = trait.rsplit("::", 1)[-1]
            go = (exported(simple) if go[:1].isupper() else unexported(simple)) + \
                exported(method)
        if go in names.GO_KEYWORDS or go in names.GENERATED_METHODS:
            go += "_"
        return go + "_" if self._clashes_with_field(trait, go) else go

    def _clashes_with_field(self, trait: str, go: str) -> bool:
        """Whether a struct that implements `trait` has a field whose Go name is `go`
        (Go forbids a field and a method of one name)."""
        if trait not in self.env.traits:
            return False
        for impl in self.env.impls:
            if impl.trait == trait and isinstance(impl.self_ty, t.Adt):
                info = self.env.structs.get(impl.self_ty.name)
                if info is not None and any(
                        f.name is not None and self.field(impl.self_ty.name, f.name) == go
                        for f in info.fields):
                    return True
        return False

    def field(self, owner: str, name: str) -> str:
        """A named field of a struct, or of a variant of the enum `owner`."""
        if owner in self.foreign:
            info = self.env.structs.get(owner)
            field_ty = next((f.ty for f in info.fields if f.name == name), None) \
                if info is not None else None
            if field_ty is not None:
                self.check_crossing(f"{owner}.{name}", (field_ty,))
        elif not self.library:
            exported_go = self._program_field(owner, name)
            return exported_go if exported_go is not None else names.field_name(name)
        go = exported(name) if self._field_is_pub(owner, name) else unexported(name)
        return go + "_" if go in names.GO_KEYWORDS else go

    def _program_field(self, owner: str, name: str) -> str | None:
        """In a program, a `pub` field of a struct is exported too (`pub name` is `Name`),
        so that Go's reflection sees it (encoding/json: its `json:"name"` tag keeps the
        Gust name, as serde would); None when it stays as written (not `pub`, an enum's,
        or its exported name would meet another field or a method; a program's types get
        no `String()`/`Error()`, which only a library's Display and Error impls add)."""
        struct = self.env.structs.get(owner)
        if struct is None or not any(f.name == name and go_pub(f)
                                     for f in struct.decl.fields):
            return None
        go = exported(name)
        others = {exported(f.name) if go_pub(f) else f.name
                  for f in struct.decl.fields if f.name is not None and f.name != name}
        if go in others or go in names.GENERATED_METHODS or go in self._method_names(owner):
            return None
        return go

    def _method_names(self, owner: str) -> set[str]:
        """The Go names of `owner`'s methods as written (a program keeps them)."""
        own = set(self.env.inherent.get(owner, {}))
        for impl in self.env.impls:
            if isinstance(impl.self_ty, t.Adt) and impl.self_ty.name == owner:
                own |= set(impl.methods)
        return own

    def _method_is_pub(self, owner: str, name: str) -> bool:
        sig = self.env.methods.get(owner, {}).get(name)
        return sig is not None and go_pub(sig.decl)

    def _field_is_pub(self, owner: str, name: str) -> bool:
        struct = self.env.structs.get(owner)
        if struct is not None:
            return any(f.name == name and go_pub(f) for f in struct.decl.fields)
        enum = self.env.enums.get(owner)
        return enum is not None and go_pub(enum.decl)  # variant fields are the enum's

    def _field_names(self, owner: str) -> set[str]:
        info = self.env.structs.get(owner)
        if info is None:
            return set()
        return {self.field(owner, f.name) for f in info.fields if f.name is not None}


def _library_name(key: str, is_pub: bool) -> str:
    """A library's Go name for an item: `pub` exported (`count_tokens` is `CountTokens`),
    else unexported. An item keyed by its path (another module has an item of its name)
    is named after the path: `pub struct Config` of `mod parse` is `ParseConfig`, a private
    one `parse_Config`."""
    parts = key.replace(BLOCK_MARK, "").split("::")
    if len(parts) == 1:
        return exported(key) if is_pub else unexported(key)
    if is_pub:
        return "".join(exported(p) for p in parts)
    return _lower_first("_".join(parts))


def for_env(env: ItemEnv) -> PackageNames:
    """The names of `env`'s package, computed on first use."""
    found = env.memo.get(_MEMO_KEY)
    if isinstance(found, PackageNames):
        return found
    table = _build(env)
    env.memo[_MEMO_KEY] = table
    return table


def _build(env: ItemEnv) -> PackageNames:
    library = is_library(env)
    tree = env.modules
    foreign = {df.key: crate for _, df in tree.all_defs()
               if (crate := tree.crate_of(df.module)) is not None and df.kind != "mod"}
    facing = {k for k, f in env.fns.items()
              if library and go_pub(f.decl) and is_go_facing(f) and k not in foreign}
    types: dict[str, str] = {}
    values: dict[str, str] = {}
    taken: set[str] = set()
    type_items = [(k, go_pub(s.decl)) for k, s in env.structs.items()]
    type_items += [(k, go_pub(e.decl)) for k, e in env.enums.items()]
    type_items += [(k, go_pub(tr.decl)) for k, tr in env.traits.items()]
    value_items = [(k, go_pub(f.decl) and k not in facing) for k, f in env.fns.items()]
    value_items += [(k, go_pub(c.decl)) for k, c in env.consts.items()]
    for table, items, base in ((types, type_items, names.type_name),
                               (values, value_items, names.value_name)):
        for key, is_pub in sorted(items):
            simple = key.rsplit("::", 1)[-1]
            if key in foreign:
                table[key] = f"{foreign[key]}.{base(exported(simple))}"
                continue
            if not library:
                # Two items of one name in different modules: the path tells them apart
                # (`shapes::area` is `shapes_area`), Go having one namespace per package.
                # (`summarize#::Entry`, an item of a function's body, is `summarize_Entry`.)
                go = base(simple if simple == key else
                          key.replace(BLOCK_MARK, "").replace("::", "_"))
                while go in taken:
                    go += "_"
                table[key] = go
            else:
                go = base(_library_name(key, is_pub))
                while go in taken:
                    go += "_"
                table[key] = go
            taken.add(table[key])
    go_facing: dict[str, str] = {}
    for key in sorted(facing):
        go = names.value_name(exported(key.rsplit("::", 1)[-1]))
        while go in taken:
            go += "_"
        go_facing[key] = go
        taken.add(go)
    shadowed = frozenset(taken) if library else frozenset(env.structs) | frozenset(env.enums)
    shadowed |= frozenset(tree.crates)  # a local must not hide a package it uses
    return PackageNames(env, library, types, values, frozenset(taken), shadowed, go_facing,
                        foreign, shared_trait_methods(env, foreign))


def shared_trait_methods(env: ItemEnv, foreign: Mapping[str, str]
                         ) -> frozenset[tuple[str, str]]:
    """The methods of the package's traits that some implementing type has twice: an
    inherent method of the same name, or another trait's. Go has one method per name on a
    type, so such a trait method is named after its trait too, for every implementer (an
    interface has one name for it). Only implementers of the trait's own package decide
    (another package implementing it names it as its package does)."""
    by_type: dict[str, list[tuple[str, frozenset[str]]]] = {}
    for impl in env.impls:
        if impl.trait is None or not isinstance(impl.self_ty, t.Adt):
            continue
        info = env.traits.get(impl.trait)
        methods = frozenset(info.methods) if info is not None else frozenset(impl.methods)
        by_type.setdefault(impl.self_ty.name, []).append((impl.trait, methods))
    shared: set[tuple[str, str]] = set()
    for owner, traits in by_type.items():
        inherent = env.inherent.get(owner, {})
        for trait, methods in traits:
            if trait not in env.traits or foreign.get(trait) != foreign.get(owner):
                continue
            for method in methods:
                if method in inherent or any(other != trait and method in others
                                             for other, others in traits):
                    shared.add((trait, method))
    return frozenset(shared)


# The std types whose Go form is plain Go, or the module's shared types (gust_types.go):
# the same Go type in every package.
_PLAIN_STD: Final = frozenset({"String", "Vec", "HashMap", "HashSet", "Box", "Option", "Result"})


def _runtime_type_in(env: ItemEnv, ty: t.Ty) -> str | None:
    """The first type in `ty` whose Go form is a type of the runtime file."""
    match ty:
        case t.Tuple(elems=elems):
            return next((bad for a in elems if (bad := _runtime_type_in(env, a))), None)
        case t.Adt(name=name, args=args):
            if not (name in _PLAIN_STD or name.startswith("go:") or name in env.structs or
                    name in env.enums or name in env.traits):
                return str(ty)
            if name in ("HashMap", "HashSet") and args and _holds_seq(env, args[0], set()):
                return str(ty)  # keyed by a `Vec`: the runtime file's `gustKeyMap`
            return next((bad for a in args if (bad := _runtime_type_in(env, a))), None)
        case t.Ref(inner=inner):
            return _runtime_type_in(env, inner)
        case t.Slice(elem=elem) | t.Array(elem=elem):
            return _runtime_type_in(env, elem)
        case t.FnPtr(params=params, ret=ret):
            return next((bad for a in (*params, ret) if (bad := _runtime_type_in(env, a))),
                        None)
    return None


def _holds_seq(env: ItemEnv, ty: t.Ty, seen: set[str]) -> bool:
    """Whether a map key of type `ty` holds a `Vec` or slice (its map is a `gustKeyMap`)."""
    match ty:
        case t.Slice():
            return True
        case t.Tuple(elems=elems):
            return any(_holds_seq(env, e, seen) for e in elems)
        case t.Ref(inner=inner) | t.Array(elem=inner):
            return _holds_seq(env, inner, seen)
        case t.Adt(name=name, args=args):
            if name in ("Vec", "VecDeque"):
                return True
            if name in env.structs and name not in seen:
                seen.add(name)
                return any(_holds_seq(env, f.ty, seen) for f in env.structs[name].fields)
            return any(_holds_seq(env, a, seen) for a in args)
    return False


def _cannot_cross(what: str, why: str) -> None:
    from gust.codegen.gotypes import Unsupported

    raise Unsupported(f"`{what}` of another Gust package{why}")


def crate_imports(env: ItemEnv) -> set[str]:
    """The Go imports of the other Gust packages the package uses (`alias path` when the
    package's name is not the last element of its path)."""
    return {path if path.rsplit("/", 1)[-1] == name else f"{name} {path}"
            for name, path in env.modules.crates.items() if path}


def is_go_facing(sig: FnSig) -> bool:
    """A free function Go callers see with Go's results (one returning a `Result` or an
    `Option`)."""
    return sig.owner is None and _go_facing_result(sig.ret)


def is_facing_method(env: ItemEnv, owner: str, sig: FnSig) -> bool:
    """A method (or associated function) Go callers see with Go's results: a `pub` one of a
    `pub` struct's inherent impl, without type parameters of its own, returning a `Result`
    or an `Option`."""
    struct = env.structs.get(owner)
    return struct is not None and go_pub(struct.decl) and go_pub(sig.decl) and \
        not sig.generics and _go_facing_result(sig.ret)


def _go_facing_result(ret: t.Ty) -> bool:
    return isinstance(ret, t.Adt) and ret.name in ("Result", "Option") and \
        len(ret.args) == (2 if ret.name == "Result" else 1)


def _from_go(ret: t.Ty) -> str:
    """The runtime function from a Go-facing wrapper's results back to `ret`."""
    assert isinstance(ret, t.Adt)
    return "gustGoOption" if ret.name == "Option" else \
        "gustUnitResultFromGo" if ret.args[0] == t.UNIT else "gustResultFromGo"


def _lower_first(name: str) -> str:
    return name[:1].lower() + name[1:]


def go_package_name(directory: str) -> str:
    """The Go package name for a library package in `directory` (its last element), as Go
    names packages: lower case, letters, digits and `_` only (`my-lib` -> `mylib`); a
    name Go cannot use gets a `_` (`type_`, `main_`: `main` is for programs)."""
    last = directory.replace("\\", "/").rstrip("/").rsplit("/", 1)[-1].lower()
    name = "".join(c for c in last if c.isascii() and (c.isalnum() or c == "_"))
    if not name or name[0].isdigit():
        name = "gust" + name
    if name in names.GO_KEYWORDS or name == "main":
        name += "_"
    return name
