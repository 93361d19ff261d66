"""Names and modules: which item a path means where it is written, and whether it may be
named there.

A package is a tree of modules: the root (every `.gust` file of a directory) and the inline
`mod name { ... }` items inside it. Each module has two namespaces, as in Rust: types
(structs, enums, traits, type aliases, modules) and values (functions, constants, statics,
the constructors of tuple and unit structs). `use` declarations bind names of other modules
into a module's namespaces; `use Enum::*` binds the variants of an enum.

The item environment (gust.sema.items.ItemEnv) stays flat: every item has one *key*, its
name when no other item of its kind has that name, else its path (`geo::Point`). Types are
`Adt(key)`, calls resolve to `FnRes(key)`, and so on; only resolution looks at modules.

Other Gust packages of the same Go module are *crates* (Rust's extern crates): a package
that uses one (`use textkit::tokenize;`, `textkit::Token::new(..)`) gets its items in the
same tree, under the module `(crate name,)`, and the crate's name is in scope in every
module (Rust's extern prelude) unless an item of that name hides it. Inside such a crate,
`crate::` means its own root. Its private items are private to it (E0603, E0616, E0624),
as across Rust crates. `ModuleTree.crates` maps each crate to its Go import path.

Visibility follows Rust: an item without `pub` may be named in the module that declares it
and in that module's descendants; `pub` everywhere; `pub(crate)` (and, for now, the other
restricted forms) everywhere in its own package, and nowhere in another (`pub_in_package`:
a crate's `pub(crate)` items are private to it). Fields and methods follow the same rule, from the module of their struct or impl.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import field, replace
from typing import Final

from gust import diagnostics as d
from gust.frozen import dataclass
from gust.sema.builtins import BUILTIN_TYPES, FLOAT_CONSTS, STD_FNS, STD_ITERATOR_TYPES
from gust.sema.names import similar_name
from gust.syntax import ast
from gust.syntax.walk import walk
from gust.text import Span

ModPath = tuple[str, ...]

# How rustc names each kind of definition in messages.
KIND_WORDS: Final = {
    "fn": "function", "struct": "struct", "enum": "enum", "const": "constant",
    "static": "static", "mod": "module", "trait": "trait", "alias": "type alias",
    "variant": "variant", "builtin": "struct", "std_fn": "function", "std_const": "constant",
    "std_mod": "module", "std_variant": "variant", "std_alias": "module",
}
# `std_fn`, `std_const`, `std_mod`: a std function, constant or module imported by name
# (`use std::process::exit;`, `use std::f64::consts::PI;`, `use std::f64::consts;`); the
# key is the path the checker resolves (`process::exit`, `f64::consts::PI`, `f64::consts`).
# `std_variant`: a variant of a std enum (`use std::cmp::Ordering::*;`), keyed
# `Ordering::Less`. `std_alias`: a std module imported under another name (`use std::fmt
# as sfmt;`), keyed by its path (`std::fmt`): a path through it is that std path
# (`expand_std_alias`).
TYPE_KINDS: Final = frozenset({"struct", "enum", "trait", "alias", "mod", "builtin", "std_mod",
                        "std_alias"})
# The std paths the checker knows, as `use` sees them: module path -> names it exports.
STD_MODULES: Final[dict[ModPath, frozenset[str]]] = {
    ("std",): frozenset({"collections", "fmt", "string", "vec", "option", "result", "boxed",
                         "sync", "thread", "process", "env", "cmp", "mem", "io", "rc",
                         "cell", "iter", "ops", "convert", "time", "str", "char", "num",
                         "f32", "f64", "hash"}),
    ("std", "f32"): frozenset({"consts"}),
    ("std", "f64"): frozenset({"consts"}),
    ("std", "f32", "consts"): FLOAT_CONSTS,
    ("std", "f64", "consts"): FLOAT_CONSTS,
    ("std", "collections"): frozenset({"HashMap", "HashSet", "BTreeMap", "BTreeSet", "BinaryHeap",
                                       "VecDeque", "hash_map"}),
    ("std", "collections", "hash_map"): frozenset({"HashMap", "Entry", "DefaultHasher"}),
    ("std", "string"): frozenset({"String", "ToString", "FromUtf8Error"}),
    ("std", "str"): frozenset({"from_utf8", "FromStr", "Utf8Error", "Chars", "CharIndices", "Bytes",
                               "Lines", "SplitWhitespace"}),
    ("std", "vec"): frozenset({"Vec", "IntoIter"}),
    ("std", "slice"): frozenset({"Iter", "IterMut"}),
    ("std", "option"): frozenset({"Option"}),
    ("std", "result"): frozenset({"Result"}),
    ("std", "boxed"): frozenset({"Box"}),
    ("std", "fmt"): frozenset({"Display", "Debug", "Formatter", "Result", "Write"}),
    ("std", "sync"): frozenset({"Arc", "Mutex", "MutexGuard", "RwLock", "RwLockReadGuard",
                                "RwLockWriteGuard", "mpsc", "atomic"}),
    ("std", "sync", "atomic"): frozenset({"AtomicU64", "AtomicUsize", "AtomicI64", "AtomicIsize",
                                          "AtomicU32", "AtomicI32", "AtomicBool",
                                          "Ordering"}),
    ("std", "sync", "mpsc"): frozenset({"channel", "Sender", "Receiver"}),
    ("std", "thread"): frozenset({"spawn", "sleep", "JoinHandle"}),
    ("std", "process"): frozenset({"exit"}),
    ("std", "env"): frozenset({"args"}),
    ("std", "num"): frozenset({"ParseIntError", "ParseFloatError", "TryFromIntError"}),
    ("std", "array"): frozenset({"TryFromSliceError", "from_fn"}),
    ("std", "cmp"): frozenset({"Ordering", "max", "min", "PartialEq", "PartialOrd", "Ord",
                               "Eq", "Reverse"}),
    ("std", "mem"): frozenset({"swap", "replace", "take", "drop", "discriminant",
                               "Discriminant"}),
    ("std", "io"): frozenset({"self", "Read", "Write", "BufRead", "stdin", "Error"}),
    ("std", "rc"): frozenset({"Rc", "Weak"}),
    ("std", "cell"): frozenset({"RefCell", "Cell", "Ref", "RefMut"}),
    ("std", "iter"): frozenset({"Iterator", "FromIterator", "once", "repeat", "empty",
                                "Peekable", "from_fn", "repeat_with", "successors", "Sum",
                                "Product"}),
    ("std", "ops"): frozenset({"Add", "Sub", "Mul", "Div", "Rem", "Neg", "Not", "Index", "IndexMut",
                               "Range", "RangeInclusive", "AddAssign", "SubAssign", "MulAssign", "DivAssign",
                               "RemAssign", "Bound", "Deref", "DerefMut", "BitAnd", "BitOr",
                               "BitXor", "Shl", "Shr"}),
    ("std", "ops", "Bound"): frozenset({"Included", "Excluded", "Unbounded"}),
    ("std", "cmp", "Ordering"): frozenset({"Less", "Equal", "Greater"}),
    ("std", "convert"): frozenset({"From", "Into", "TryFrom", "TryInto"}),
    ("std", "error"): frozenset({"Error"}),
    ("std", "hash"): frozenset({"Hash", "Hasher", "DefaultHasher"}),
    ("std", "time"): frozenset({"Duration", "Instant"}),
    ("std", "borrow"): frozenset({"Cow"}),
}
_STD_ROOTS: Final = frozenset({"std", "core", "alloc"})
# std's operator traits: not in Rust's prelude, so their methods and paths need a `use`.
STD_OPS_TRAITS: Final = frozenset({"Add", "Sub", "Mul", "Div", "Rem", "Neg", "Not", "BitAnd",
                                   "BitOr", "BitXor", "Shl", "Shr"})
# Every trait of `std::ops` the checker knows: named alone in a bound or an impl, each
# needs its `use` (rustc's E0405 otherwise).
STD_OPS_ALL_TRAITS: Final = STD_OPS_TRAITS | frozenset({
    "AddAssign", "SubAssign", "MulAssign", "DivAssign", "RemAssign", "Index", "IndexMut",
    "Deref", "DerefMut"})
# The std types the checker knows that are not in Rust's prelude: written alone, they need a
# `use` (E0425 / E0433 with "consider importing" otherwise). Values: the path to import.
NEEDS_IMPORT: Final[dict[str, str]] = {
    "HashMap": "std::collections::HashMap", "HashSet": "std::collections::HashSet",
    "VecDeque": "std::collections::VecDeque", "BTreeMap": "std::collections::BTreeMap",
    "BTreeSet": "std::collections::BTreeSet", "BinaryHeap": "std::collections::BinaryHeap",
    "Entry": "std::collections::hash_map::Entry", "Ordering": "std::cmp::Ordering",
    "Iter": "std::slice::Iter",
    "JoinHandle": "std::thread::JoinHandle", "Sender": "std::sync::mpsc::Sender",
    "Receiver": "std::sync::mpsc::Receiver", "Arc": "std::sync::Arc",
    "Mutex": "std::sync::Mutex", "MutexGuard": "std::sync::MutexGuard", "Rc": "std::rc::Rc",
    "Weak": "std::rc::Weak", "RefCell": "std::cell::RefCell", "Cell": "std::cell::Cell", "Ref": "std::cell::Ref", "RefMut": "std::cell::RefMut",
    "ParseIntError": "std::num::ParseIntError", "ParseFloatError": "std::num::ParseFloatError",
    "TryFromIntError": "std::num::TryFromIntError",
    "TryFromSliceError": "std::array::TryFromSliceError",
    "FromUtf8Error": "std::string::FromUtf8Error", "Utf8Error": "std::str::Utf8Error",
    "Peekable": "std::iter::Peekable", "Chars": "std::str::Chars",
    "Cow": "std::borrow::Cow",
    "RwLock": "std::sync::RwLock", "RwLockReadGuard": "std::sync::RwLockReadGuard",
    "RwLockWriteGuard": "std::sync::RwLockWriteGuard",
    "AtomicU64": "std::sync::atomic::AtomicU64", "AtomicUsize": "std::sync::atomic::AtomicUsize",
    "AtomicI64": "std::sync::atomic::AtomicI64", "AtomicIsize": "std::sync::atomic::AtomicIsize",
    "AtomicU32": "std::sync::atomic::AtomicU32",
    "AtomicI32": "std::sync::atomic::AtomicI32", "AtomicBool": "std::sync::atomic::AtomicBool",
}


@dataclass(frozen=True, slots=True)
class Def:
    """A named definition. `key` is its key in the item environment (for a module, its
    path joined with `::`; for a variant, its enum's key). `item` is the index of the
    top-level item that declares it and `span` its name, relative to that item; `file`
    is the file of that item (packages have several)."""

    kind: str
    name: str
    key: str
    module: ModPath
    is_pub: bool
    item: int
    span: Span
    file: str = ""
    decl_span: Span | None = None
    nested: bool = False  # an item of an inner block of a function body (`Placed.nested`)

    @property
    def word(self) -> str:
        return KIND_WORDS.get(self.kind, "item")

    @property
    def mod_path(self) -> ModPath:
        """For a module, its path."""
        return tuple(self.key.split("::")) if self.key else ()


@dataclass
class Module:
    path: ModPath
    types: dict[str, Def] = field(default_factory=dict)
    values: dict[str, Def] = field(default_factory=dict)
    # Names bound by `use`, by namespace and name: whether the `use` is `pub`.
    imported: dict[tuple[str, str], bool] = field(default_factory=dict)
    # A function body's items (`fn main() { struct P; use std::fmt; }`): a scope, not a
    # module of Rust's: its names see through to the enclosing module's (`block_module`).
    block: bool = False
    # The std operator traits imported here (`use std::ops::Add;`, `use std::ops::*;`),
    # whose methods (`a.add(b)`) and paths (`Add::add`) need the import, as in Rust.
    std_traits: set[str] = field(default_factory=set)
    # A `mod name;` whose file is missing (E0583): as in rustc, a name looked up in it is
    # not reported again, its items being unknown rather than absent.
    unread: bool = False

    def table(self, ns: str) -> dict[str, Def]:
        return self.types if ns == "type" else self.values


@dataclass(frozen=True, slots=True)
class Placed:
    """An item with the module that contains it and the top-level item it is part of."""

    index: int
    module: ModPath
    item: ast.Item
    # Declared in an inner block of a function body (`if c { struct A; }`): in the scope
    # of the function's body, as if the body declared it (`body_items`).
    nested: bool = False


@dataclass
class ModuleTree:
    modules: dict[ModPath, Module] = field(default_factory=lambda: {(): Module(())})
    # Keys of the items the env holds, by the item (identity).
    keys: dict[int, str] = field(default_factory=dict)
    # The files of the top-level items (index -> path), for packages.
    files: list[str] = field(default_factory=list)
    # Other Gust packages used as crates: name -> Go import path.
    crates: dict[str, str] = field(default_factory=dict)
    # The module of each top-level item (index -> path): `()` but for the items of a
    # module's own file (`mod net;`) and of crates.
    roots: list[ModPath] = field(default_factory=list)

    def crate_root(self, module: ModPath) -> ModPath:
        """The root of the crate `module` is in: `()` for the package itself."""
        return module[:1] if module and module[0] in self.crates else ()

    def crate_of(self, module: ModPath) -> str | None:
        """The name of the other package `module` is in, if it is in one."""
        return module[0] if module and module[0] in self.crates else None

    def module(self, path: ModPath) -> Module:
        return self.modules.get(path) or self.modules[()]

    def key_of(self, item: ast.Item) -> str | None:
        return self.keys.get(id(item))

    def path_of_trait(self, name: str) -> str:
        """`crate::shapes::Area`: where a trait is declared, as a `use` would name it."""
        for path, m in self.modules.items():
            df = m.types.get(name)
            if df is not None and df.kind == "trait" and ("type", name) not in m.imported:
                return "::".join((*(() if self.crate_of(path) else ("crate",)), *path, name))
        return f"crate::{name}"

    def all_defs(self) -> Iterator[tuple[str, Def]]:
        for m in self.modules.values():
            for name, df in m.types.items():
                if (("type", name)) not in m.imported:
                    yield "type", df
            for name, df in m.values.items():
                if (("value", name)) not in m.imported:
                    yield "value", df


def pub_in_package(tree: ModuleTree, module: ModPath, node: object) -> bool:
    """Whether an item, field or `use` declared in `module` is `pub` for the package being
    analysed: `pub(crate)` (and `pub(super)`, `pub(in ..)`) is `pub` inside its own package
    (one crate) and private in another package's items (a crate's)."""
    return bool(getattr(node, "is_pub", False)) and not (
        getattr(node, "crate_only", False) and tree.crate_of(module) is not None)


def can_see(from_module: ModPath, owner: ModPath, is_pub: bool) -> bool:
    """Whether code in `from_module` may name something declared in `owner`."""
    return is_pub or from_module[: len(owner)] == owner


BLOCK_MARK: Final = "#"  # ends the name of a function body's scope: `main#` (no module has it)


def body_items(fn: ast.FnDecl) -> list[ast.Item]:
    """The items other than functions declared in `fn`'s body (`struct`, `enum`, `impl`,
    `const`, `static`, `use`, `type`, `trait`), in its own statements or in its inner blocks
    (`if c { struct A; }`, loops, closures): the items of its scope (`block_module`),
    checked and emitted with the package's. Nested `fn` items are the checker's (scoped to
    their block)."""
    return [s.item for s in item_stmts(fn) if not isinstance(s.item, ast.FnDecl)]


def inner_fns(fn: ast.FnDecl) -> list[ast.FnDecl]:
    """The `fn` items in `fn`'s body (its inner blocks' included)."""
    return [s.item for s in item_stmts(fn) if isinstance(s.item, ast.FnDecl)]


def item_stmts(fn: ast.FnDecl) -> list[ast.ItemStmt]:
    """The item statements of `fn`'s body and of the blocks inside it, in source order
    (not those inside the items themselves). The parser says whether inner blocks have any
    (`FnDecl.block_items`): most bodies are not walked."""
    if fn.body is None:
        return []
    if not fn.block_items:
        return [st for st in fn.body.stmts if type(st) is ast.ItemStmt]
    found = [n for n in walk(fn.body) if type(n) is ast.ItemStmt]
    found.sort(key=lambda st: st.span.start)
    out: list[ast.ItemStmt] = []
    end = -1  # the end of the last item kept: the item statements inside it are its own
    for st in found:
        if st.span.start >= end:
            out.append(st)
            end = st.span.end
    return out


def block_scopes(fn: ast.FnDecl, scope: ModPath) -> dict[int, ModPath]:
    """The scope of each inner block of `fn`'s body that declares items (by the block's
    id), as Rust gives each block its own: `(*scope, "1#")` for the first such block in
    source order, nested in the scope of a block around it (`scope` is the body's,
    `block_module`). Its lookups see through to the scopes around it (`Module.block`)."""
    if fn.body is None or not fn.block_items:
        return {}
    stmts = {id(st) for st in item_stmts(fn)}
    blocks = sorted((n for n in walk(fn.body) if type(n) is ast.Block and n is not fn.body
                     and any(id(st) in stmts for st in n.stmts)),
                    key=lambda b: b.span.start)
    out: dict[int, ModPath] = {}
    around: list[tuple[ast.Block, ModPath]] = []
    for i, block in enumerate(blocks, 1):
        while around and not (around[-1][0].span.start <= block.span.start
                              and block.span.end <= around[-1][0].span.end):
            around.pop()
        module = (*(around[-1][1] if around else scope), f"{i}{BLOCK_MARK}")
        out[id(block)] = module
        around.append((block, module))
    return out


def scoped_item_stmts(fn: ast.FnDecl, scope: ModPath) -> list[tuple[ast.ItemStmt, ModPath]]:
    """`item_stmts(fn)`, each with the scope it declares its item in: `scope` (the
    body's) for the body's own statements, its block's (`block_scopes`) for an inner
    block's."""
    blocks = block_scopes(fn, scope)
    if not blocks:
        return [(st, scope) for st in item_stmts(fn)]
    where: dict[int, ModPath] = {}
    for block in walk(fn.body):
        if type(block) is ast.Block and id(block) in blocks:
            for st in block.stmts:
                where[id(st)] = blocks[id(block)]
    return [(st, where.get(id(st), scope)) for st in item_stmts(fn)]


def scoped_body_items(fn: ast.FnDecl, scope: ModPath) -> list[tuple[ast.Item, ModPath]]:
    """`body_items(fn)` with their scopes (`scoped_item_stmts`)."""
    return [(st.item, m) for st, m in scoped_item_stmts(fn, scope)
            if not isinstance(st.item, ast.FnDecl)]


def scoped_inner_fns(fn: ast.FnDecl, scope: ModPath) -> list[tuple[ast.FnDecl, ModPath]]:
    """`inner_fns(fn)` with the scopes they are declared in (`scoped_item_stmts`)."""
    return [(st.item, m) for st, m in scoped_item_stmts(fn, scope)
            if isinstance(st.item, ast.FnDecl)]


def block_module(fn: ast.FnDecl, module: ModPath) -> ModPath:
    """The module `fn`'s body is checked in: its own scope (`(*module, "main#")`) when the
    body declares items (`body_items`, its nested functions' included), else `module`."""
    return (*module, fn.name + BLOCK_MARK) if _declares_items(fn) else module


def _declares_items(fn: ast.FnDecl) -> bool:
    return bool(body_items(fn)) or any(_declares_items(f) for f in inner_fns(fn))


def real_module(module: ModPath) -> ModPath:
    """The module a function body's scope is in (`self::` and `super::` are relative to
    it, as in Rust, where a block is no module)."""
    while module and module[-1].endswith(BLOCK_MARK):
        module = module[:-1]
    return module


def placed_items(items: Sequence[ast.Item | None], roots: Sequence[ModPath] = ()
                 ) -> list[Placed]:
    """Every item of the package with its module, inline modules flattened, in order, and
    the items of function bodies in the scope of their function (`block_module`).
    `roots` gives the module of each top-level item (a crate's root; default the package's
    root)."""
    out: list[Placed] = []

    def walk(index: int, module: ModPath, item: ast.Item, nested: bool = False) -> None:
        out.append(Placed(index, module, item, nested))
        if isinstance(item, ast.ModDecl) and item.items is not None:
            for inner in item.items:
                walk(index, (*module, item.name), inner)
        for fn in fns_of(item):
            body(index, module, fn)

    def body(index: int, module: ModPath, fn: ast.FnDecl) -> None:
        scope = block_module(fn, module)
        if scope == module:
            return
        direct = {id(st.item) for st in fn.body.stmts if isinstance(st, ast.ItemStmt)} \
            if fn.body is not None else set()
        for inner, where in scoped_body_items(fn, scope):
            walk(index, where, inner, id(inner) not in direct)
        for inner_fn, where in scoped_inner_fns(fn, scope):
            body(index, where, inner_fn)

    for i, item in enumerate(items):
        if item is not None:
            walk(i, roots[i] if i < len(roots) else (), item)
    return out


def fns_of(item: ast.Item) -> list[ast.FnDecl]:
    """The functions with bodies an item holds: itself, or an impl's or trait's methods."""
    if isinstance(item, ast.FnDecl):
        return [item]
    if isinstance(item, (ast.ImplDecl, ast.TraitDecl)):
        return [m for m in item.members if isinstance(m, ast.FnDecl)]
    return []


def item_kind_ns(item: ast.Item) -> str | None:
    """The namespace ("type" or "value") an item's name is declared in, if it has one."""
    kind = _def_kind(item)
    return None if kind is None else "type" if kind in TYPE_KINDS else "value"


def _def_kind(item: ast.Item) -> str | None:
    match item:
        case ast.FnDecl():
            return "fn"
        case ast.StructDecl():
            return "struct"
        case ast.EnumDecl():
            return "enum"
        case ast.ConstDecl():
            return "const"
        case ast.StaticDecl():
            return "static"
        case ast.TraitDecl():
            return "trait"
        case ast.TypeAliasDecl():
            return "alias"
        case ast.ModDecl():
            return "mod"
    return None


def build_tree(items: Sequence[ast.Item | None], files: Sequence[str] = (),
               crates: Mapping[str, str] | None = None, roots: Sequence[ModPath] = (),
               unread: frozenset[ModPath] = frozenset(),
               ) -> tuple[ModuleTree, list[Placed], list[list[d.Diagnostic]]]:
    """The module tree of a package: declarations, keys, then `use` imports. Returns the
    tree, the placed items, and per top-level item the diagnostics found (E0428, E0432,
    E0603), spans relative to that item. The items of other packages used as crates
    (`crates`: name -> Go import path) come with the package's, with `roots[i]` the
    crate's root module `(name,)` for each of their top-level items."""
    tree = ModuleTree(files=list(files) or [""] * len(items), crates=dict(crates or {}),
                      roots=list(roots))
    for crate in tree.crates:
        tree.modules.setdefault((crate,), Module((crate,)))
    placed = placed_items(items, roots)
    for p in placed:
        module = p.module
        while module and module[-1].endswith(BLOCK_MARK):
            # (an inner block's scope and the body's around it: `main#::1#`, `main#`)
            tree.modules.setdefault(module, Module(module, block=True))
            module = module[:-1]
    errors: list[list[d.Diagnostic]] = [[] for _ in items]
    # The package's own keys depend on its own items only (a crate's items take a path
    # when their name is taken anywhere).
    named = [(tree.crate_of(p.module), _category(p.item), getattr(p.item, "name", ""))
             for p in placed if _def_kind(p.item) not in (None, "mod")]
    counts = Counter(named)
    everywhere = Counter((category, name) for _, category, name in named)
    for p in placed:
        kind = _def_kind(p.item)
        if kind is None:
            continue
        name: str = getattr(p.item, "name", "")
        if tree.crate_of(p.module) is None:
            unique = not p.module or counts[(None, _category(p.item), name)] == 1
        else:
            unique = everywhere[(_category(p.item), name)] == 1
        key = name if kind != "mod" and unique else "::".join((*p.module, name))
        if not _declare(tree, p, kind, name, key, errors[p.index]):
            continue  # a duplicate: reported, and not part of the environment
        if kind != "mod":
            tree.keys[id(p.item)] = key
        else:
            path = (*p.module, name)
            tree.modules.setdefault(path, Module(path, unread=path in unread))
    add_variants(tree, placed)
    _resolve_uses(tree, placed, errors)
    return tree, placed, errors


def _category(item: ast.Item) -> str:
    """Which flat table of the environment holds the item."""
    if isinstance(item, (ast.StructDecl, ast.EnumDecl, ast.TraitDecl, ast.TypeAliasDecl)):
        return "type"
    return "value"


def _declare(tree: ModuleTree, p: Placed, kind: str, name: str, key: str,
             errs: list[d.Diagnostic]) -> bool:
    item = p.item
    module = tree.modules.setdefault(p.module, Module(p.module))
    span: Span = getattr(item, "name_span", item.span)
    df = Def(kind, name, key, p.module, pub_in_package(tree, p.module, item), p.index, span,
             tree.files[p.index] if p.index < len(tree.files) else "",
             Span(item.span.start, span.end), p.nested)
    # Structs, enums, functions and constants share one namespace per module here (a
    # stricter rule than Rust's, kept from the flat environment); modules and traits
    # live with the types.
    shared = ("struct", "enum", "fn", "const", "static")
    clash = (module.types if kind in TYPE_KINDS else module.values).get(name)
    if clash is None and kind in shared:
        other = (module.values if kind in TYPE_KINDS else module.types).get(name)
        clash = other if other is not None and other.kind in shared else None
    if clash is not None and (p.nested or clash.nested):
        # Rust gives each block its own scope; Gust puts the items of a body's inner
        # blocks in the body's (`body_items`): reported as not supported yet with the
        # body (gust.sema.check.block_items).
        return False
    if clash is not None:
        ns = "type" if kind in TYPE_KINDS else "value"
        elsewhere = (f"the previous definition of the {ns} `{name}` is in {clash.file}",) \
            if clash.file != df.file else ()
        errs.append(d.error(
            "E0428", f"the name `{name}` is defined multiple times", span,
            f"`{name}` redefined here",
            notes=(*elsewhere, f"`{name}` must be defined only once in the {ns} namespace "
                   "of this module")))
        return False
    if kind in TYPE_KINDS:
        module.types[name] = df
        if kind == "struct" and isinstance(item, ast.StructDecl) and item.kind != "named":
            module.values[name] = df
    else:
        module.values[name] = df
    return True


# ---------------------------------------------------------------- use declarations


@dataclass(frozen=True, slots=True)
class _UseLeaf:
    index: int
    module: ModPath
    segs: tuple[tuple[str, Span], ...]
    alias: str | None
    glob: bool
    is_pub: bool
    span: Span  # the whole path, for "unresolved import"
    nested: bool = False  # in an inner block of a function body (`Placed.nested`)


def _use_leaves(module_tree: ModuleTree, p: Placed, decl: ast.UseDecl) -> list[_UseLeaf]:
    out: list[_UseLeaf] = []
    is_pub = pub_in_package(module_tree, p.module, decl)

    def walk(tree: ast.UseTree, prefix: tuple[tuple[str, Span], ...]) -> None:
        segs = prefix + tuple((s.name, s.span) for s in tree.path.segments)
        if tree.children is not None:
            for child in tree.children:
                walk(child, segs)
            return
        if segs and segs[-1][0] == "self" and len(segs) > 1:
            segs = segs[:-1]  # `use a::{self}` imports `a`
        start = segs[0][1].start if segs else tree.span.start
        out.append(_UseLeaf(p.index, p.module, segs, tree.alias, tree.glob, is_pub,
                            Span(start, tree.path.span.end if tree.path.segments
                                 else tree.span.end), p.nested))

    walk(decl.tree, ())
    return out


def _resolve_uses(tree: ModuleTree, placed: list[Placed],
                  errors: list[list[d.Diagnostic]]) -> None:
    """Bind every `use` (imports may go through other imports: repeat until nothing
    changes, then report what is left)."""
    pending = [leaf for p in placed if isinstance(p.item, ast.UseDecl)
               for leaf in _use_leaves(tree, p, p.item)]
    while pending:
        progress = False
        left = []
        for leaf in pending:
            if _try_bind(tree, leaf, errors[leaf.index], final=False):
                progress = True
            else:
                left.append(leaf)
        pending = left
        if not progress:
            for leaf in pending:
                _try_bind(tree, leaf, errors[leaf.index], final=True)
            return


def _try_bind(tree: ModuleTree, leaf: _UseLeaf, errs: list[d.Diagnostic],
              final: bool) -> bool:
    if not leaf.segs:
        return True
    resolver = Resolver(tree, leaf.module)
    found_errs: list[d.Diagnostic] = []
    found = resolver.walk_use(leaf, found_errs, final)
    if found is None and not final:
        return False
    errs.extend(found_errs)
    if found is not None and leaf.segs[0][0] in _STD_ROOTS:
        _note_std_traits(tree.module(leaf.module), leaf)
    if found is None:
        if not leaf.glob:
            # Like rustc, a failed import still binds its name (to nothing), so its uses
            # are not reported a second time.
            name = leaf.alias or leaf.segs[-1][0]
            dummy = Def("error", name, "", leaf.module, True, leaf.index, leaf.span)
            module = tree.module(leaf.module)
            for ns in ("type", "value"):
                _bind(module, ns, name, dummy, leaf.is_pub)
        return True
    module = tree.module(leaf.module)
    if leaf.glob:
        source, enum = found
        if isinstance(source, list):  # `use std::collections::*;`
            for df in source:
                _bind(module, _ns_of(df), df.name, df, leaf.is_pub, glob=True)
            return True
        if enum is not None:
            for vdef in list(tree.module(enum.module).values.values()):
                if vdef.kind == "variant" and vdef.key == enum.key:
                    _bind(module, "value", vdef.name, vdef, leaf.is_pub, glob=True)
                    _bind(module, "type", vdef.name, vdef, leaf.is_pub, glob=True)
            return True
        if not isinstance(source, tuple):
            return True
        src = tree.module(source)
        for ns in ("type", "value"):
            for name, df in list(src.table(ns).items()):
                if "::" in name:
                    continue  # variants, reachable through their enum only
                visible = src.imported.get((ns, name), df.is_pub) or \
                    leaf.module[: len(source)] == source
                if visible and name not in module.table(ns):
                    _bind(module, ns, name, df, leaf.is_pub, glob=True)
        return True
    defs, _ = found
    if not isinstance(defs, dict):
        return True
    name = leaf.alias or leaf.segs[-1][0]
    if name == "_":
        # `use shapes::Area as _;`: the trait is in scope for its methods, under a name no
        # path can spell; anything else is imported for nothing.
        trait = defs.get("type")
        if trait is not None and trait.kind == "trait":
            _bind(module, "type", f"_#{leaf.index}", trait, leaf.is_pub)
        return True
    for ns, df in defs.items():
        if not _bind(module, ns, name, df, leaf.is_pub):
            if leaf.nested:
                break  # reported with the body (gust.sema.check.block_items)
            space = "type" if ns == "type" else "value"
            errs.append(d.error(
                "E0252", f"the name `{name}` is defined multiple times", leaf.span,
                f"`{name}` reimported here",
                notes=(f"`{name}` must be defined only once in the {space} namespace of "
                       "this module",),
                help=("you can use `as` to change the binding name of the import",)))
            break
    return True


def _note_std_traits(module: Module, leaf: _UseLeaf) -> None:
    """Record the std operator traits a `use` of std brings into scope (under any name:
    `use std::ops::Add as _;` too)."""
    names = tuple(s for s, _ in leaf.segs[1:])
    if leaf.glob and names == ("ops",):
        module.std_traits.update(STD_OPS_ALL_TRAITS)
    elif not leaf.glob and len(names) == 2 and names[0] == "ops" and \
            names[1] in STD_OPS_ALL_TRAITS:
        module.std_traits.add(names[1])


def _bind(module: Module, ns: str, name: str, df: Def, is_pub: bool,
          glob: bool = False) -> bool:
    """Bind an imported name; False when an explicit import of another item already has
    it (rustc's E0252: the caller reports it)."""
    table = module.table(ns)
    if name in table and (glob or (ns, name) not in module.imported):
        return True  # a declared item wins over an import, an explicit import over a glob
    if not glob and name in table and table[name] != df and table[name].kind != "error":
        return False
    table[name] = df
    module.imported[(ns, name)] = is_pub
    return True


# ---------------------------------------------------------------- resolving paths


@dataclass(frozen=True, slots=True)
class Found:
    """A path resolved to `df`, with `rest` trailing segments still to apply (an
    associated function or a variant of the type `df`)."""

    df: Def
    rest: int


# Returned when a path does not start with a name of the package (a std or Go path, a
# built-in type, a generic parameter): the caller's own rules apply.
PASS: Final = Found(Def("pass", "", "", (), True, -1, Span(0, 0)), 0)


def enum_variants(enum: ast.EnumDecl, key: str, module: ModPath, index: int,
                  is_pub: bool = True) -> list[Def]:
    return [Def("variant", v.name, key, module, True, index, v.name_span)
            for v in enum.variants]


@dataclass(frozen=True)
class Resolver:
    """Resolution from one module."""

    tree: ModuleTree
    module: ModPath

    # -------------------------------------------------------- lookups

    def lexical(self, name: str, ns: str) -> Def | None:
        """A name as written alone in this module: its items and imports (Rust does not
        look into parent modules)."""
        module = self.tree.module(self.module)
        found = module.table(ns).get(name)
        while found is None and module.block:  # a body's scope sees its module's names
            module = self.tree.module(module.path[:-1])
            found = module.table(ns).get(name)
        if found is None and ns == "type" and name in self.tree.crates and \
                self.tree.crate_root(self.module) != (name,):
            return crate_def(name)  # Rust's extern prelude: every crate, everywhere
        return found

    def std_trait_in_scope(self, trait: str) -> bool:
        """Whether std's operator trait `trait` (one of `STD_OPS_ALL_TRAITS`) is imported
        into this module (or the module of the body whose scope this is)."""
        module = self.tree.module(self.module)
        while trait not in module.std_traits:
            if not module.block:
                return False
            module = self.tree.module(module.path[:-1])
        return True

    def member(self, module: ModPath, name: str, ns: str) -> Def | None:
        return self.tree.module(module).table(ns).get(name)

    def visible_member(self, module: ModPath, name: str, ns: str) -> bool:
        """Whether `module::name` may be named from here (a `use` is as visible as it is
        declared)."""
        m = self.tree.module(module)
        if (ns, name) in m.imported:
            return can_see(self.module, module, m.imported[(ns, name)])
        df = m.table(ns).get(name)
        return df is not None and can_see(self.module, df.module, df.is_pub)

    # -------------------------------------------------------- paths

    def resolve(self, segs: Sequence[tuple[str, Span]], ns: str,
                errs: list[d.Diagnostic] | None) -> Found | None:
        """Resolve a path (its segments with their spans) to a definition. Errors go to
        `errs`; None when one was reported; PASS when the path is not the package's."""
        i, cur, explicit = self._start(segs, errs)
        if i < 0:
            return None
        if not explicit:
            first = segs[0][0]
            last = len(segs) == 1
            df = self.lexical(first, ns if last else "type")
            if df is None and not last:
                df = self.lexical(first, ns)
            if df is None and last and ns == "value":
                df = self.lexical(first, "type")
                if df is not None and df.kind not in ("struct", "variant", "mod"):
                    df = None
            if df is None or df.kind == "std_alias":
                return PASS  # a std path (`sfmt::Display` is `std::fmt::Display`)
            return self._descend(df, segs, 0, ns, errs)
        if i >= len(segs):
            return Found(Def("mod", cur[-1] if cur else "crate", "::".join(cur), cur[:-1],
                             True, -1, segs[-1][1]), 0)
        return self._in_module(cur, segs, i, ns, errs)

    def _start(self, segs: Sequence[tuple[str, Span]], errs: list[d.Diagnostic] | None
               ) -> tuple[int, ModPath, bool]:
        first = segs[0][0]
        root = self.tree.crate_root(self.module)
        if first == "crate":
            return 1, root, True
        if first == "self" and len(segs) > 1:
            return 1, real_module(self.module), True
        if first == "super":
            cur = real_module(self.module)
            i = 0
            while i < len(segs) and segs[i][0] == "super":
                if cur == root:
                    if errs is not None:
                        errs.append(d.error("E0433", "too many leading `super` keywords",
                                            segs[i][1],
                                            "there are too many leading `super` keywords"))
                    return -1, (), True
                cur = cur[:-1]
                i += 1
            return i, cur, True
        return 0, self.module, False

    def _in_module(self, cur: ModPath, segs: Sequence[tuple[str, Span]], i: int, ns: str,
                   errs: list[d.Diagnostic] | None) -> Found | None:
        name, span = segs[i]
        last = i == len(segs) - 1
        df = self.member(cur, name, ns if last else "type")
        if df is None and last:
            df = self.member(cur, name, "type" if ns == "value" else "value")
        if df is None and not last:
            df = self.member(cur, name, "value")
        if df is None:
            if errs is not None and not self.tree.module(cur).unread:
                errs.append(self._not_found(cur, segs, i, ns))
            return None
        ns_found = "type" if df.kind in TYPE_KINDS else "value"
        if not self.visible_member(cur, name, ns_found) and errs is not None:
            imported = (ns_found, name) in self.tree.module(cur).imported
            errs.append(private(df, span, imported))
        return self._descend(df, segs, i, ns, errs)

    def _descend(self, df: Def, segs: Sequence[tuple[str, Span]], i: int, ns: str,
                 errs: list[d.Diagnostic] | None) -> Found | None:
        if i == len(segs) - 1:
            return Found(df, 0)
        if df.kind == "mod":
            return self._in_module(df.mod_path, segs, i + 1, ns, errs)
        if df.kind in ("struct", "enum", "alias", "trait", "builtin", "std_mod"):
            return Found(df, len(segs) - 1 - i)
        if errs is not None:
            name, span = segs[i]
            where = f"`{df.module[-1]}`" if df.module else "the crate root"
            errs.append(d.error("E0433", f"cannot find `{name}` in {where}", span,
                                f"expected type, found {df.word} `{name}` in {where}"))
        return None

    def _not_found(self, cur: ModPath, segs: Sequence[tuple[str, Span]], i: int,
                   ns: str) -> d.Diagnostic:
        name, span = segs[i]
        where = f"`{cur[-1]}`" if cur else "the crate root"
        m = self.tree.module(cur)
        pool = [*m.types, *m.values]
        suggestion = similar_name(name, pool)
        help_ = (f"a similar name exists in the module: `{suggestion}`",) if suggestion \
            else ()
        if i < len(segs) - 1:
            return d.error("E0433", f"cannot find `{name}` in {where}",
                           span, f"could not find `{name}` in {where}", help=help_)
        what = "function" if ns == "value" else "type"
        place = f"module `{'::'.join(cur)}`" if cur else "the crate root"
        if cur and self.tree.crate_root(cur) == cur:
            place = f"crate `{cur[0]}`"  # another package's root
        return d.error("E0425", f"cannot find {what} `{name}` in {place}", span,
                       f"not found in {where}", help=help_)

    # -------------------------------------------------------- `use`

    def walk_use(self, leaf: _UseLeaf, errs: list[d.Diagnostic], final: bool
                 ) -> tuple[object, Def | None] | None:
        """Resolve an import: ({namespace: def}, None) for a plain import, or (module
        path, None) / (None, enum def) for a glob. None when it does not resolve (yet);
        what does not resolve is reported only when `final`."""
        segs = leaf.segs
        first = segs[0][0]
        if first in _STD_ROOTS:
            return self._use_std(leaf, errs, final)
        i, cur, explicit = self._start(segs, errs if final else None)
        if i < 0:
            return None
        if not explicit:
            df = self.lexical(first, "type")
            if df is None and len(segs) == 1 and not leaf.glob:
                df = self.lexical(first, "value")
            if df is None:
                if first in BUILTIN_TYPES and len(segs) == 1:
                    return {}, None
                if final:
                    errs.append(unresolved_import(first, segs[0][1]))
                return None
            if df.kind == "mod":
                cur, i = df.mod_path, 1
            elif df.kind == "enum" and (leaf.glob or len(segs) == 2):
                return self._use_enum(df, leaf, 1, errs, final)
            elif len(segs) == 1:
                return {_ns_of(df): df}, None
            else:
                return self._not_module(leaf, 0, df, errs, final)
        while True:
            if i == len(segs):
                if leaf.glob:
                    return cur, None
                # `use crate::a::{self}` imports the module itself.
                mod = Def("mod", cur[-1] if cur else "crate", "::".join(cur), cur[:-1], True,
                          -1, segs[-1][1])
                return {"type": mod}, None
            name, span = segs[i]
            last = i == len(segs) - 1
            found: dict[str, Def] = {}
            for ns in ("type", "value"):
                df = self.member(cur, name, ns)
                if df is not None and not (ns == "value" and (not last or leaf.glob)):
                    found[ns] = df
            if not found:
                if final:
                    errs.append(self._unresolved(leaf, cur, i))
                return None
            ns0, df = next(iter(found.items()))
            if not self.visible_member(cur, name, ns0):
                errs.append(private(df, span))
            if last and not leaf.glob:
                return found, None
            if df.kind == "mod":
                cur, i = df.mod_path, i + 1
                continue
            if df.kind == "enum":
                return self._use_enum(df, leaf, i + 1, errs, final)
            return self._not_module(leaf, i, df, errs, final)

    def _use_enum(self, enum: Def, leaf: _UseLeaf, i: int, errs: list[d.Diagnostic],
                  final: bool) -> tuple[object, Def | None] | None:
        """`use Shape::*` or `use Shape::Circle`."""
        if leaf.glob and i == len(leaf.segs):
            return None, enum
        name = leaf.segs[i][0] if i < len(leaf.segs) else "*"
        variant = self.tree.module(enum.module).values.get(f"{enum.key}::{name}")
        if variant is None or i != len(leaf.segs) - 1 or leaf.glob:
            if final:
                errs.append(self._unresolved(leaf, None, i, enum.name))
            return None
        return {"type": variant, "value": variant}, None

    def _not_module(self, leaf: _UseLeaf, i: int, df: Def, errs: list[d.Diagnostic],
                    final: bool) -> tuple[object, Def | None] | None:
        if final:
            errs.append(self._unresolved(leaf, None, i + 1, df.name))
        return None

    def _unresolved(self, leaf: _UseLeaf, cur: ModPath | None, i: int,
                    parent: str | None = None) -> d.Diagnostic:
        segs = leaf.segs
        name = segs[i][0] if i < len(segs) else "*"
        full = "::".join(s for s, _ in segs)
        where = parent or (cur[-1] if cur else "crate")
        help_: tuple[str, ...] = ()
        if cur is not None:
            m = self.tree.module(cur)
            suggestion = similar_name(name, [n for n in [*m.types, *m.values]
                                             if "::" not in n])
            if suggestion:
                help_ = (f"a similar name exists in the module: `{suggestion}`",)
        if i < len(segs) - 1:
            full = "::".join(s for s, _ in segs[: i + 1])  # rustc names the path so far
            return d.error("E0432", f"unresolved import `{full}`", segs[i][1],
                           f"could not find `{name}` in `{where}`", help=help_)
        if cur and self.tree.crate_root(cur) == cur:
            where = "the root"  # rustc's word for another crate's root
            return d.error("E0432", f"unresolved import `{full}`", leaf.span,
                           f"no `{name}` in {where}", help=help_)
        return d.error("E0432", f"unresolved import `{full}`", leaf.span,
                       f"no `{name}` in `{where}`", help=help_)

    def _use_std(self, leaf: _UseLeaf, errs: list[d.Diagnostic], final: bool
                 ) -> tuple[object, Def | None] | None:
        names = tuple("std" if i == 0 else s for i, (s, _) in enumerate(leaf.segs))
        parent, last = names[:-1], names[-1]
        if leaf.glob:
            ok = names in STD_MODULES
        else:
            ok = len(names) == 1 or last in STD_MODULES.get(parent, frozenset())
        if not ok:
            full = "::".join(s for s, _ in leaf.segs)
            # rustc names the module by its path inside std (`f64::consts`).
            where = "::".join(parent[1:]) or "std"
            suggestion = similar_name(last, sorted(STD_MODULES.get(parent, ())))
            help_ = (f"a similar name exists in the module: `{suggestion}`",) \
                if suggestion else ()
            errs.append(d.error("E0432", f"unresolved import `{full}`", leaf.span,
                                f"no `{last}` in `{where}`", help=help_))
            return {}, None
        if leaf.glob:
            return [df for n in sorted(STD_MODULES.get(names, ()))
                    if (df := _std_def(names, n, leaf.span)) is not None], None
        df = _std_def(parent, last, leaf.span)
        if df is not None:
            return {_ns_of(df): df}, None
        if leaf.alias not in (None, "_", last):
            # `use std::fmt as sfmt;`: `sfmt::Display` is `std::fmt::Display`;
            # `use std::fmt::Display as Show;`: `Show` is `std::fmt::Display`.
            alias = Def("std_alias", leaf.alias or last, "::".join(names), (), True, -1,
                        leaf.span)
            return {"type": alias}, None
        return {}, None  # other std names resolve by their own name in the checker


def _std_def(module: ModPath, name: str, span: Span) -> Def | None:
    """What importing `module::name` from std binds: a type, a function (`exit`), a float
    constant (`PI`), the float constants' module (`consts`); None for the modules whose
    paths the checker resolves by their last two segments (`use std::mem;`)."""
    # std's iterator types first: `use std::slice::Iter;` is `slice::Iter<'a, T>` (of
    # `&T`), not the checker's own `Iter<Item>` of the same name.
    if module and (("std", module[-1]), name) in STD_ITERATOR_TYPES and \
            module[:-1] == (("std", "collections") if module[-1] == "hash_map" else ("std",)):
        return Def("builtin", name, f"{module[-1]}::{name}", (), True, -1, span)
    if module[1:] == ("sync", "atomic") and name == "Ordering":
        # not `cmp`'s: the checker's `AtomicOrdering` (gust.sema.builtins)
        return Def("builtin", name, "AtomicOrdering", (), True, -1, span)
    if name in BUILTIN_TYPES:
        return Def("builtin", name, name, (), True, -1, span)
    if module[1:] in (("ops", "Bound"), ("cmp", "Ordering")):
        return Def("std_variant", name, f"{module[-1]}::{name}", (), True, -1, span)
    if module and (module[-1], name) in STD_FNS:
        return Def("std_fn", name, f"{module[-1]}::{name}", (), True, -1, span)
    if module[1:] in (("f32", "consts"), ("f64", "consts")):
        return Def("std_const", name, f"{module[1]}::consts::{name}", (), True, -1, span)
    if module[1:] in (("f32",), ("f64",)) and name == "consts":
        return Def("std_mod", name, f"{module[1]}::consts", (), True, -1, span)
    return None


def crate_def(name: str) -> Def:
    """Another package as a module (its root), as its name finds it anywhere."""
    return Def("mod", name, name, (), True, -1, Span(0, 0))


def _ns_of(df: Def) -> str:
    return "type" if df.kind in TYPE_KINDS else "value"


def private(df: Def, span: Span, imported: bool = False) -> d.Diagnostic:
    """E0603, as rustc words it (a name bound by a `use` without `pub` is a private
    import, even when what it imports is public)."""
    if imported:
        return d.error("E0603", f"{df.word} import `{df.name}` is private", span,
                       f"private {df.word} import",
                       notes=(f"the {df.word} import `{df.name}` is defined here...",
                              f"...and refers to the {df.word} `{df.name}` which is defined "
                              "here"))
    return d.error("E0603", f"{df.word} `{df.name}` is private", span, f"private {df.word}",
                   notes=(f"the {df.word} `{df.name}` is defined here",))


def unresolved_import(name: str, span: Span) -> d.Diagnostic:
    return d.error("E0432", f"unresolved import `{name}`", span,
                   f"use of unresolved module or unlinked crate `{name}`",
                   help=(f"you might be missing a crate named `{name}`",))


def add_variants(tree: ModuleTree, placed: Sequence[Placed]) -> None:
    """Variants are reachable as `Enum::Variant` (and by `use Enum::*`): they are kept in
    their enum's module, under `key::Variant`, a name no written identifier can clash with."""
    for p in placed:
        if isinstance(p.item, ast.EnumDecl):
            key = tree.keys.get(id(p.item))
            if key is None:
                continue
            module = tree.modules.setdefault(p.module, Module(p.module))
            for v in enum_variants(p.item, key, p.module, p.index):
                module.values[f"{key}::{v.name}"] = v


def suggest_import(tree: ModuleTree, from_module: ModPath, name: str, ns: str
                   ) -> tuple[str, ...]:
    """rustc's "consider importing this function: `use crate::text::shout;`"."""
    if ns == "type" and name in NEEDS_IMPORT:
        return (f"consider importing this struct: `use {NEEDS_IMPORT[name]};`",)
    for module_path, m in sorted(tree.modules.items()):
        if module_path == from_module:
            continue
        df = m.table(ns).get(name)
        if df is None or (ns, name) in m.imported or df.kind == "variant":
            continue
        if not _reachable(tree, from_module, module_path) or \
                not can_see(from_module, df.module, df.is_pub):
            continue
        crate = () if tree.crate_of(module_path) else ("crate",)
        path = "::".join((*crate, *module_path, name))
        return (f"consider importing this {df.word}: `use {path};`",)
    return ()


def _reachable(tree: ModuleTree, from_module: ModPath, target: ModPath) -> bool:
    """Whether every module on the way to `target` may be named from `from_module`."""
    for i in range(1, len(target) + 1):
        parent = tree.module(target[: i - 1])
        df = parent.types.get(target[i - 1])
        if df is None or not can_see(from_module, df.module, df.is_pub):
            return False
    return True


def undeclared_module(name: str, span: Span) -> d.Diagnostic:
    """E0433 for a path whose first segment names nothing (rustc 1.95's wording)."""
    return d.error("E0433", f"cannot find module or crate `{name}` in this scope", span,
                   f"use of unresolved module or unlinked crate `{name}`",
                   help=(f"you might be missing a crate named `{name}`",))


# The std enums whose variants the checker knows in patterns, by their full paths.
STD_ENUM_PATHS: Final = {"Ordering": "std::cmp::Ordering", "Bound": "std::ops::Bound"}


def expand_std_alias(resolver: Resolver, path: ast.Path) -> ast.Path:
    """`sfmt::Formatter` after `use std::fmt as sfmt;` (`Show` after `use std::fmt::Display
    as Show;`): the std path it stands for (`std::fmt::Formatter`), which the checker's std
    rules know; any other path as it is."""
    first = path.segments[0]
    df = resolver.lexical(first.name, "type")
    if df is None or df.kind != "std_alias":
        return path
    *outer, own = df.key.split("::")
    head = (*(ast.PathSegment(n, first.span) for n in outer), replace(first, name=own))
    return replace(path, segments=head + tuple(path.segments[1:]))


# How many aliases of aliases a path is followed through (`type Q = P; type P = Point;`); a
# cycle of aliases is rustc's E0391, reported where the aliases are declared.
_ALIAS_DEPTH: Final = 16


def expand_type_alias(resolver: Resolver, aliases: Mapping[str, ast.TypeAliasDecl],
                      path: ast.Path) -> ast.Path | None:
    """`_expand_alias_once` until the path starts with no alias: an alias whose target is
    another alias (`inner::Q { x: 1 }` with `pub type Q = P; pub type P = Point;`) stands
    for the last one's target. None for aliases that lead back to themselves (E0391,
    reported on the aliases: `gust.sema.items.alias_cycle_error`)."""
    seen: set[str] = set()
    for _ in range(_ALIAS_DEPTH):
        df = _alias_at(resolver, path)[1]
        if df is not None and df.key in seen:
            return None
        if df is not None:
            seen.add(df.key)
        expanded = _expand_alias_once(resolver, aliases, path)
        if expanded is path:
            return path
        path = expanded
    return None


def _expand_alias_once(resolver: Resolver, aliases: Mapping[str, ast.TypeAliasDecl],
                       path: ast.Path) -> ast.Path:
    """`Params::new()`, `P { x: 1 }` after `type Params = HashMap<String, String>;`,
    `type P = Point;`: the path with the alias replaced by the path it stands for
    (`HashMap::<String, String>::new`), its segments at the alias's place. A generic alias
    (`type Cache<V> = HashMap<String, V>;`) has its parameters replaced by the arguments
    written (`Cache::<u32>::new()`: `HashMap::<String, u32>::new`) or inferred (`Cache::new()`:
    `HashMap::<String, _>::new`). Only for an alias whose target's first name means the same
    where the alias is declared and here (a path is resolved where it is written); any
    other path as it is."""
    at, df = _alias_at(resolver, path)
    if df is None:
        return path
    first = path.segments[at]
    decl = aliases.get(df.key)
    if decl is None or not isinstance(decl.ty, ast.TypePath) or \
            (first.generics and len(first.generics) != len(decl.generics.params)):
        return path
    target = decl.ty.path.segments
    home = Resolver(resolver.tree, df.module)
    if at:
        # `inner::Cache::new()` with `pub type Cache = HashMap<String, Entry>;` in `inner`:
        # the target's names as paths that mean them from anywhere (`crate::inner::Entry`,
        # `std::collections::HashMap`), before the arguments written here replace its
        # parameters (whose names mean nothing in either module).
        moved = _moved_path(home, resolver, ast.Path(target, first.span))
        if moved is None:
            return path
        target = moved.segments
    elif not _same_meaning(home, resolver, target[0].name):
        return path
    if decl.generics.params:
        given = first.generics or tuple(ast.InferType(first.span) for _ in decl.generics.params)
        args = {p.name: a for p, a in zip(decl.generics.params, given, strict=True)}
        target = tuple(replace(s, generics=tuple(_substituted(g, args) for g in s.generics))
                       for s in target)
    head = tuple(replace(s, span=first.span) for s in target)
    return replace(path, segments=head + tuple(path.segments[at + 1:]))


def alias_module(tree: ModuleTree, key: str) -> ModPath:
    """The module a type alias (by key) is declared in."""
    if "::" in key:
        return tuple(key.split("::")[:-1])
    for path, m in tree.modules.items():
        df = m.types.get(key)
        if df is not None and df.kind == "alias" and df.key == key and \
                ("type", key) not in m.imported:
            return path
    return ()


def _alias_at(resolver: Resolver, path: ast.Path) -> tuple[int, Def | None]:
    """The type alias a value path starts with, and its segment's index: the first
    segment (`Cache::new()`), or one after modules (`inner::Cache::new()`,
    `crate::inner::L::High`)."""
    segs = path.segments
    df = resolver.lexical(segs[0].name, "type")
    if df is not None and df.kind == "alias":
        return 0, df
    if df is not None and df.kind != "mod" and segs[0].name not in ("crate", "self", "super"):
        return 0, None
    for at in range(1, len(segs)):
        found = resolver.resolve([(s.name, s.span) for s in segs[: at + 1]], "type", None)
        if not isinstance(found, Found) or found.rest:
            return 0, None
        if found.df.kind == "alias":
            return at, found.df
        if found.df.kind != "mod":
            return 0, None
    return 0, None


def _same_meaning(there: Resolver, here: Resolver, name: str) -> bool:
    a = there.lexical(name, "type")
    b = here.lexical(name, "type")
    return (a is None and b is None) or (
        a is not None and b is not None and (a.kind, a.key) == (b.kind, b.key))


def _moved_path(there: Resolver, here: Resolver, path: ast.Path) -> ast.Path | None:
    """A type path written in `there`'s module, rewritten to mean the same in `here`'s
    (its first name made absolute where it means something else here, and so are the
    names in its generic arguments); None when that cannot be said."""
    segs = path.segments
    if segs[0].name in ("self", "super") and there.module != here.module:
        segs = _from_crate(there, segs)
    if segs[0].name in ("crate", "self", "super"):
        pass  # (`crate::` means the same in every module of the package)
    elif not _same_meaning(there, here, segs[0].name):
        found = there.lexical(segs[0].name, "type")
        names = _absolute_names(there, found) if found is not None else None
        if names is None:
            return None
        segs = (*(ast.PathSegment(n, segs[0].span) for n in names[:-1]),
                replace(segs[0], name=names[-1]), *segs[1:])
    out = []
    for seg in segs:
        args = []
        for g in seg.generics:
            moved = _moved_type(there, here, g)
            if moved is None:
                return None
            args.append(moved)
        out.append(replace(seg, generics=tuple(args)))
    return replace(path, segments=tuple(out))


def _from_crate(there: Resolver, segs: tuple[ast.PathSegment, ...]
                ) -> tuple[ast.PathSegment, ...]:
    """`super::Q` written in `crate::inner::deeper` as `crate::inner::Q` (`self::` and
    `super::` mean another module elsewhere; too many `super`s stay, for E0433)."""
    module = there.module
    lead = 0
    while lead < len(segs) and segs[lead].name in ("self", "super"):
        if segs[lead].name == "super":
            if not module:
                return segs
            module = module[:-1]
        lead += 1
    crate = there.tree.crate_of(module)
    names = module if crate else ("crate", *module)
    head = tuple(ast.PathSegment(n, segs[0].span) for n in names)
    return (*head, *segs[lead:])


def _moved_type(there: Resolver, here: Resolver, ty: ast.TypeExpr) -> ast.TypeExpr | None:
    match ty:
        case ast.TypePath(path=p) if p.qself_trait is None:
            moved = _moved_path(there, here, p)
            return None if moved is None else replace(ty, path=moved)
        case ast.RefType(inner=inner):
            m = _moved_type(there, here, inner)
            return None if m is None else replace(ty, inner=m)
        case ast.TupleType(elems=elems):
            ms = [_moved_type(there, here, e) for e in elems]
            return None if any(m is None for m in ms) else \
                replace(ty, elems=tuple(m for m in ms if m is not None))
        case ast.ArrayType(elem=elem) | ast.SliceType(elem=elem):
            m = _moved_type(there, here, elem)
            return None if m is None else replace(ty, elem=m)
        case ast.InferType():
            return ty
    return None


def _absolute_names(resolver: Resolver, df: Def) -> tuple[str, ...] | None:
    """A path naming `df` from any module of the package: `crate::` and its module's
    path for an item of the package (a crate's: the crate's name first), std's path for
    a std type that needs a `use`."""
    if df.kind == "builtin":
        std = NEEDS_IMPORT.get(df.key)
        return tuple(std.split("::")) if std is not None else None
    if df.kind not in ("struct", "enum", "alias"):  # (an alias's own path is expanded next)
        return None
    crate = resolver.tree.crate_of(df.module)
    return (*(() if crate else ("crate",)), *df.module, df.name)


def _substituted(ty: ast.TypeExpr, args: Mapping[str, ast.TypeExpr]) -> ast.TypeExpr:
    """A type written in a generic alias's target with its parameters replaced."""
    match ty:
        case ast.TypePath(path=p) if len(p.segments) == 1 and not p.segments[0].generics \
                and p.segments[0].name in args and p.qself_trait is None:
            return args[p.segments[0].name]
        case ast.TypePath(path=p):
            segments = tuple(replace(s, generics=tuple(_substituted(g, args)
                                                       for g in s.generics))
                             for s in p.segments)
            return replace(ty, path=replace(p, segments=segments))
        case ast.RefType(inner=inner):
            return replace(ty, inner=_substituted(inner, args))
        case ast.TupleType(elems=elems):
            return replace(ty, elems=tuple(_substituted(e, args) for e in elems))
        case ast.ArrayType(elem=elem) | ast.SliceType(elem=elem):
            return replace(ty, elem=_substituted(elem, args))
    return ty


def std_variant_path(df: Def, span: Span) -> ast.Path:
    """The std path of an imported std variant (`Less` -> `std::cmp::Ordering::Less`)."""
    enum, name = df.key.split("::")
    return ast.Path(tuple(ast.PathSegment(n, span)
                          for n in (*STD_ENUM_PATHS[enum].split("::"), name)), span)


def std_needs_import(resolver: Resolver, name: str) -> bool:
    """A std type written alone that is not imported into this module."""
    return name in NEEDS_IMPORT and resolver.lexical(name, "type") is None
