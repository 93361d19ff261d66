"""Named constraints: a type parameter bounded by several of the package's traits.

`fn report<T: Named + Scored>(item: &T)` (or `where T: Named + Scored`, or
`item: &(impl Named + Scored)`) calls the methods of both traits on `T`, so its Go
constraint embeds both interfaces. Go accepts that inline (`[T interface{ Named; Scored }]`)
but gofmt then spreads the interface over lines inside the type parameter list; the
backend names it instead, once per Go package:

    type NamedScored interface {
        Named
        Scored
    }

    func report[T NamedScored](item T) string { .. }

One constraint stands for every use of the same traits (in any order, on any parameter).
A trait whose interface is generic (it uses `Self`, or has type parameters) makes the
constraint generic too: `M: Metric + Named` is `M MetricNamed[M]` with
`type MetricNamed[Self any] interface { Metric[Self]; Named }`, other type parameters in
the bounds' arguments following `Self` (`P1`, `P2`, ..).

Which constraints a package needs is read from its environment (the bounds of every
function, method, impl, struct and enum), and the table (`for_env`, built once per
environment in `ItemEnv.memo`, like gust.codegen.package_names) gives each its Go name
(the traits' names joined, unexported unless every trait is exported) and the trait of
this package after whose interface it is declared (the first of its traits in key order
that is not another package's): so it is written exactly once, whichever files the
package has and whichever items use it. When all its traits are another package's, it is
declared before the first of the package's functions (by key) that has it as a bound of its
own type parameters; with no such function, it is reported as unsupported.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Final

from gust.codegen.gotypes import Types, Unsupported
from gust.frozen import dataclass
from gust.sema import types as t
from gust.sema.items import Bound, ItemEnv

_MEMO_KEY: Final = "codegen.constraints"
# The bounded parameter in a constraint's declaration; the others are P1, P2, ..
SELF: Final = "Self"

Key = tuple[Bound, ...]


@dataclass(frozen=True)
class Constraint:
    key: Key  # its traits' bounds, canonical: on `Self`, sorted
    name: str  # its Go name
    owner: str | None  # the package trait it is declared after (None: none can)
    params: tuple[str, ...]  # its Go type parameters (`Self`, `P1`, ..), possibly none
    # Without a package trait in it: the package's function it is declared before.
    owner_fn: str | None = None

    def declaration(self, types: Types) -> list[str]:
        """`type NamedScored interface { .. }` (one line per Go line)."""
        from gust.codegen import generics as gen
        from gust.codegen.traits import bound_interface

        with gen.spelling(types, {p: p for p in self.params}):
            parts = [bound_interface(types, b) for b in self.key]
        header = f"[{', '.join(self.params)} any]" if self.params else ""
        out = [f"type {self.name}{header} interface {{", *(f"\t{p}" for p in parts if p), "}"]
        from gust.codegen.traits import needs_pointer, ref_scheme

        if any(needs_pointer(types, b.trait) for b in self.key):
            others = [p for p in self.params if p != SELF]
            ref = any(ref_scheme(types, b.trait) for b in self.key)
            out += ["", *pointer_declaration(types, self.name, self.params, others, ref)]
        return out


def pointer_declaration(types: Types, name: str, params: tuple[str, ...] | list[str],
                        others: list[str], ref: bool = False) -> list[str]:
    """`type CounterPtr[Self any] interface { *Self; Counter }`: the constraint of the
    pointer type parameter that a type parameter bounded by a trait with `&mut self`
    methods gets (gust.codegen.generics.pointer_params): gofmt spreads an inline
    `interface{ *T; Counter }` over lines inside a type parameter list. With `ref`, the
    pointer is a reference type (`~struct{ p *Self }`: a trait a payload enum implements,
    gust.codegen.traits.ref_scheme)."""
    ptr = pointer_name(types, name)
    args = f"[{', '.join(params)}]" if params else ""
    core = f"~struct{{ p *{SELF} }}" if ref else f"*{SELF}"
    return [f"type {ptr}[{', '.join([SELF, *others])} any] interface {{", f"\t{core}",
            f"\t{name}{args}", "}"]


def pointer_name(types: Types, name: str) -> str:
    ptr = name + "Ptr"
    if ptr in types.pkg.taken:
        raise Unsupported(f"a pointer constraint `{ptr}` beside a type of that name")
    return ptr


def canonical(env: ItemEnv, param: str, bounds: tuple[Bound, ...]
              ) -> tuple[Key, tuple[str, ...]] | None:
    """The key of `param`'s bounds by package traits when there are several, and the
    parameters (as written) that its type arguments are, in order: `Self`'s first."""
    mine: dict[tuple[str, tuple[t.Ty, ...]], Bound] = {}
    for b in bounds:
        if b.ty == t.Param(param) and b.trait in env.traits:
            mine.setdefault((b.trait, b.args), b)
    if len(mine) < 2:
        return None
    ordered = sorted(mine.values(), key=lambda b: (b.trait, str(b.args)))
    others: list[str] = []
    for b in ordered:
        for a in b.args:
            others += [p for p in sorted(t.params_in(a)) if p != param and p not in others]
    rename: dict[str, t.Ty] = {param: t.Param(SELF)}
    rename.update({p: t.Param(f"P{i}") for i, p in enumerate(others, 1)})
    key = tuple(Bound(t.Param(SELF), b.trait, tuple(t.substitute(a, rename) for a in b.args))
                for b in ordered)
    return key, (param, *others)


def constraint_for(types: Types, param: str, bounds: tuple[Bound, ...]) -> str | None:
    """The Go constraint of `param` when several package traits bound it: the named
    constraint, with its type arguments (None for fewer than two traits)."""
    found = canonical(types.env, param, bounds)
    if found is None:
        return None
    key, written = found
    named = for_env(types.env).get(key)
    if named is None or (named.owner is None and named.owner_fn is None):
        raise Unsupported("a type parameter bounded by several traits of other packages "
                          "outside a function's own type parameters")
    if not named.params:
        return named.name
    spelled = {SELF: written[0], **{f"P{i}": p for i, p in enumerate(written[1:], 1)}}
    return named.name + "[" + ", ".join(types.go(t.Param(spelled[p])) for p in named.params) \
        + "]"


def owned_by(env: ItemEnv, trait: str) -> list[Constraint]:
    """The constraints declared after `trait`'s interface, in name order."""
    return sorted((c for c in for_env(env).values() if c.owner == trait), key=lambda c: c.name)


def owned_by_fn(env: ItemEnv, fn: str) -> list[Constraint]:
    """The constraints declared before the package's function `fn` (by key)."""
    return sorted((c for c in for_env(env).values() if c.owner_fn == fn),
                  key=lambda c: c.name)


def for_env(env: ItemEnv) -> Mapping[Key, Constraint]:
    """The package's named constraints, computed on first use."""
    found = env.memo.get(_MEMO_KEY)
    if isinstance(found, dict):
        return found
    table = _build(env)
    env.memo[_MEMO_KEY] = table
    return table


def _bound_lists(env: ItemEnv) -> Iterator[tuple[Bound, ...]]:
    """Every list of bounds a signature of the package has."""
    for sig in env.fns.values():
        yield sig.bounds
    for impl in env.impls:
        yield impl.bounds
        for sig in impl.methods.values():
            yield sig.bounds
    for trait in env.traits.values():
        for sig in trait.methods.values():
            yield sig.bounds
    for struct in env.structs.values():
        yield struct.bounds
    for enum in env.enums.values():
        yield enum.bounds


def _build(env: ItemEnv) -> dict[Key, Constraint]:
    from gust.codegen.package_names import for_env as names_for_env

    names = names_for_env(env)
    keys: set[Key] = set()
    for bounds in _bound_lists(env):
        for param in {b.ty.name for b in bounds if isinstance(b.ty, t.Param)}:
            found = canonical(env, param, bounds)
            if found is not None:
                keys.add(found[0])
    taken = set(names.taken) | {names.variant(e, v.name) for e, info in env.enums.items()
                                if e not in names.foreign for v in info.variants}
    table: dict[Key, Constraint] = {}
    for key in sorted(keys, key=lambda k: [(b.trait, str(b.args)) for b in k]):
        go_names = [names.type_name(b.trait).rsplit(".", 1)[-1] for b in key]
        base = "".join(n[:1].upper() + n[1:] for n in go_names)
        if not all(n[:1].isupper() for n in go_names):
            base = base[:1].lower() + base[1:]
        name, k = base, 2
        while name in taken:
            name, k = f"{base}{k}", k + 1
        taken.add(name)
        owner = next((b.trait for b in key if b.trait not in names.foreign), None)
        owner_fn = None if owner is not None else _first_fn_using(env, names.foreign, key)
        params = sorted({p for b in key for a in (b.ty, *b.args) for p in t.params_in(a)},
                        key=lambda p: (p != SELF, p))
        if not any(_uses_self(env, b.trait) for b in key) and \
                not any(SELF in t.params_in(a) for b in key for a in b.args):
            params = [p for p in params if p != SELF]
        table[key] = Constraint(key, name, owner, tuple(params), owner_fn)
    return table


def _first_fn_using(env: ItemEnv, foreign: Mapping[str, str], key: Key) -> str | None:
    """The first (by key) free function of the package whose own bounds have `key`."""
    for fn in sorted(env.fns):
        sig = env.fns[fn]
        if fn in foreign or sig.owner is not None:
            continue
        for param in sig.generics:
            found = canonical(env, param, sig.bounds)
            if found is not None and found[0] == key:
                return fn
    return None


def _uses_self(env: ItemEnv, trait: str) -> bool:
    from gust.codegen.traits import uses_self

    return uses_self(env, trait)
