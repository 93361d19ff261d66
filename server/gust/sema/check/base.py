"""The checker's state and what every part of it uses: scopes, types, coercions, blocks,
statements, literals, tuples and arrays."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import field, replace

from gust import diagnostics as d
from gust.budget import UNLIMITED, Budget
from gust.frozen import dataclass
from gust.sema import builtins, traits
from gust.sema import types as t
from gust.sema.check.util import described, erase_infer, tail_of
from gust.sema.const_errors import other_constants
from gust.sema.golang import (
    GO_ERROR,
    GustSignature,
    display_type,
    go_implements,
    go_named_func,
    gust_method_signature,
    interface_methods,
)
from gust.sema.infer import Unifier
from gust.sema.items import (
    Bound,
    FnSig,
    ItemEnv,
    TypeScope,
    array_length,
    fn_sig,
    generic_scope,
    impl_assoc_of,
    item_projections,
    iterator_params,
    lower_type,
    open_projections,
    projected_params,
    projection_name,
)
from gust.sema.known_panics import known_panics
from gust.sema.literals import overflowing_literals
from gust.sema.modules import (
    BLOCK_MARK,
    PASS,
    STD_ENUM_PATHS,
    ModPath,
    Resolver,
    block_module,
    block_scopes,
    can_see,
    expand_std_alias,
    expand_type_alias,
    pub_in_package,
    std_variant_path,
    suggest_import,
)
from gust.sema.results import AssocFnRes, BodyResults, Local, MethodRes
from gust.syntax import ast
from gust.text import Span


def unsized_pair(u: Unifier, found: t.Ty, expected: t.Ty) -> tuple[t.Ty, t.Dyn] | None:
    """(`Circle`, `dyn Shape`) when `found` is `&Circle`, `Box<Circle>`, `Rc<Circle>` or
    `Arc<Circle>` and `expected` the same pointer to `dyn Shape`, or to a `RefCell` or
    `Mutex` of it (`Rc<RefCell<dyn Shape>>`): an unsizing coercion."""
    f = u.shallow(found)
    e = u.shallow(expected)
    match f, e:
        case t.Ref(fi, fm), t.Ref(ei, em) if fm or not em:
            pass
        case t.Adt("Box", (fi,)), t.Adt("Box", (ei,)):
            pass
        case t.Adt("Rc" | "Arc" as fp, (fi,)), t.Adt("Rc" | "Arc" as ep, (ei,)) if fp == ep:
            pass
        case _:
            return None
    fi = u.shallow(fi)
    ei = u.shallow(ei)
    match fi, ei:
        case t.Adt("RefCell" | "Mutex" as fc, (fv,)), t.Adt("RefCell" | "Mutex" as ec, (ev,)) \
                if fc == ec:
            # `Rc<RefCell<Counter>>` as `Rc<RefCell<dyn Observer>>`: the cell unsizes too
            fi, ei = u.shallow(fv), u.shallow(ev)
    if isinstance(ei, t.Dyn) and not ei.opaque and not isinstance(fi, t.Infer) and \
            not (isinstance(fi, t.Dyn) and not fi.opaque):  # `Box<impl Fn>` unsizes too
        return fi, ei
    return None


def _array_to_slice(u: Unifier, found: t.Ty, expected: t.Ty) -> bool:
    """`&[T; N]` where `&[T]` is expected: an unsizing coercion."""
    f = u.shallow(found)
    e = u.shallow(expected)
    return isinstance(f, t.Ref) and isinstance(e, t.Ref) and \
        isinstance(u.shallow(f.inner), t.Array) and isinstance(u.shallow(e.inner), t.Slice)


@dataclass
class Loop:
    label: str | None
    # The type `break value` must have, or None for `while`/`for` (only plain `break`).
    break_ty: t.Ty | None
    has_break: bool = False


class _InnerScope:
    """A scope pushed for the statements of a `with` (a class, not a @contextmanager: a
    scope is entered per block and closure, and contextlib's wrapper cost more than the
    scope itself)."""

    def __init__(self, scopes: list[Scope]) -> None:
        self.scopes = scopes

    def __enter__(self) -> None:
        self.scopes.append(Scope())

    def __exit__(self, *_: object) -> None:
        self.scopes.pop()


@dataclass
class Scope:
    names: dict[str, int] = field(default_factory=dict)
    # `fn` items declared in the block (visible in all of it, whatever the order).
    fns: dict[str, FnSig] = field(default_factory=dict)


class CheckerBase:
    """The checker's state and the operations every part uses: scopes, types, coercion,
    blocks and statements. The expression kinds live in the sibling modules, one class each,
    combined into one checker by gust.sema.check."""

    def __init__(self, env: ItemEnv, fn: ast.FnDecl, owner: str | None,
                 module: ModPath = (), budget: Budget = UNLIMITED) -> None:
        self.env = env
        self.budget = budget
        # `check_expr`'s dispatch: the class's (unbound) `_expr_*` method per node class.
        self._expr_methods: dict[type, Callable[..., t.Ty]] = {}
        self.fn = fn
        self.owner = owner
        self.module = module
        self.resolver = Resolver(env.modules, module)
        # The scopes of the inner blocks that declare items (`if c { struct A; }`): names
        # in such a block resolve from its scope (`modules.block_scopes`).
        self.block_scopes = block_scopes(fn, module) \
            if module[-1:] == (fn.name + BLOCK_MARK,) else {}
        self.results = BodyResults(fn, owner)
        self.u = Unifier(budget)
        self.scopes: list[Scope] = [Scope()]
        self.loops: list[Loop] = []
        self.ret_ty: t.Ty = t.UNIT
        trait_decls = {n: tr.decl for n, tr in env.traits.items()}
        generics = set(p.name for p in fn.generics.params) | \
            set(open_projections(fn.generics, trait_decls, function=True))
        self.self_ty: t.Ty | None = None
        # The bounds that hold inside the body: the fn's, its impl's, `Self: Trait` in a
        # trait's default method.
        self.assumptions: list[Bound] = []
        impl = env.impl_of.get(fn)
        trait = env.trait_of.get(fn)
        if impl is not None:
            self.self_ty = impl.self_ty
            generics |= set(impl.generics)
            self.assumptions += impl.bounds
        elif trait is not None:
            self.self_ty = t.Param("Self")
            self.assumptions.append(traits.self_bound(trait))
            self.assumptions += trait.supertraits
        elif owner is not None:
            self.self_ty = t.PRIMITIVES.get(owner) or t.Adt(owner)
        self.type_scope = TypeScope(
            frozenset(env.type_names()), frozenset(generics), self.self_ty,
            {**{n: len(s.generics) - len(env.adt_hidden.get(n, ()))
                for n, s in env.structs.items()},
             **{n: len(e.generics) - len(env.adt_hidden.get(n, ()))
                for n, e in env.enums.items()}},
            {alias: env.go_packages[path] for alias, path in env.go_aliases.items()},
            self.resolver, trait_decls,
            fresh=self.u.fresh, aliases=env.type_aliases, go_unresolved=env.go_unresolved,
            impl_assoc=impl_assoc_of(env.trait_impls), adt_hidden=env.adt_hidden,
            projected=projected_params(fn.generics, trait_decls, function=True),
            iterators=iterator_params(fn.generics),
            const_inits={**{key: c.decl.value for key, c in env.consts.items()
                            if isinstance(c.decl, ast.ConstDecl)},
                         **env.assoc_const_inits})
        # `Self::Item` in a body: the impl's type, or the trait's `Self::Item`; `C::Item`
        # of a bound that fixes it (`C: Container<Item = i32>`).
        assoc: dict[str, t.Ty] = dict(impl.assoc) if impl is not None else {
            a: t.Param(projection_name("Self", a)) for a in trait.assoc} \
            if trait is not None else {}
        projections = item_projections(fn.generics, self.type_scope, [], function=True)[1]
        if impl is not None and impl.decl.generics.params:
            # `C::Item` of the impl's `C: Container` (a hidden parameter of the impl, or
            # the type its bound binds).
            outer = generic_scope(impl.decl.generics, self.type_scope)[0]
            projections = {**outer.projections, **projections}
            self.type_scope = replace(self.type_scope,
                                      projected=self.type_scope.projected | outer.projected,
                                      iterators=self.type_scope.iterators | outer.iterators)
        self.type_scope = replace(self.type_scope, assoc_types=assoc,
                                  projections=projections)
        self.diags: list[d.Diagnostic] = self.results.diagnostics
        # Let-bound locals whose type must be known by the end of the body (E0282).
        self.needs_type: list[tuple[int, Span]] = []
        # Inside the arguments of a call of Go code: a Go func parameter takes any closure
        # (Go funcs are closures), not only one that captures nothing.
        self.go_call_depth = 0
        # While a method call's method is looked up: its turbofish (`x.search::<M>(q)`),
        # which a package method's instantiation takes, and the types it gave them.
        self.method_generics: tuple[ast.TypeExpr, ...] = ()
        self.method_generics_span: Span | None = None
        self.method_written: dict[str, t.Ty] = {}
        # For an `fn` item inside another function's body: the enclosing functions' locals
        # (which it cannot use: E0434) and the `fn` items of their blocks (which it can).
        self.outer_locals: frozenset[str] = frozenset()
        self.outer_fns: tuple[dict[str, FnSig], ...] = ()
        # Unannotated closure parameters, reported if nothing gives them a type (E0282).
        self.closure_params: list[tuple[t.Ty, Span]] = []
        # The path being checked as a call's callee (`P::get(&p)`), while it is checked: a
        # method named by path is called as itself there, and is a closure only as a value
        # (`.map(P::get)`).
        self.callee_path: ast.PathExpr | None = None
        # True while checking a closure body (`return` leaves the closure, not the fn).
        self.closure_ret = False
        # Checks that wait for the end of the body, when inference knows more.
        self.deferred: list[Callable[[], None]] = []
        # Trait bounds to prove once the types are known: (type, trait, where).
        self.obligations: list[tuple[Bound, Span]] = []

    # ------------------------------------------------------------ entry

    def run(self) -> None:
        fn = self.fn
        sig = self._signature()
        if sig is None or fn.body is None:
            return
        self.assumptions += sig.bounds
        self.ret_ty = sig.ret
        self.results.ret = sig.ret
        opaque = self.u.resolve(sig.ret)
        if isinstance(opaque, t.Dyn) and opaque.opaque and fn.ret is not None:
            # `-> impl Trait`: the body decides the one concrete type, which must
            # implement the traits.
            self.ret_ty = self.u.fresh()
            sig = replace(sig, ret=self.ret_ty)
            for trait in opaque.traits:
                self.obligations.append((Bound(self.ret_ty, trait), fn.ret.span))
        if fn.self_param is not None and self.self_ty is not None:
            self_ty: t.Ty = self.self_ty
            if fn.self_param.by_ref:
                self_ty = t.Ref(self_ty, fn.self_param.mutable)
            local = self.declare("self", self_ty, fn.self_param.mutable and
                                 not fn.self_param.by_ref, fn.self_param.span, "self")
            self.results.params.append(local)
        for param, ty in zip(fn.params, sig.params, strict=True):
            before = len(self.results.locals)
            self.check_pat(param.pat, ty, "param")
            self.check_irrefutable(param.pat, ty, "function argument")
            self.results.params.extend(range(before, len(self.results.locals)))
        expected = sig.ret
        if isinstance(opaque, t.Dyn) and opaque.opaque and opaque.call is not None and \
                isinstance(tail_of(fn.body), ast.Closure):
            # `-> impl Fn(i32) -> i64 { |z| z + 1 }`: the closure is checked against that
            # signature, as rustc deduces a closure's signature from the opaque type's bound
            # (its body returning an `i32` is E0308).
            expected = t.FnPtr(opaque.call.params, opaque.call.ret)
        body_ty = self.check_block(fn.body, expected)
        if isinstance(opaque, t.Dyn) and opaque.opaque and opaque.call is not None:
            # `-> impl FnMut() -> u64`: the closure returned has that signature (its
            # captured literals are `u64`, not the default `i32`).
            found = self.u.shallow(body_ty)
            if isinstance(found, t.Closure) and len(found.params) == len(opaque.call.params):
                for a, b in zip(found.params, opaque.call.params, strict=True):
                    self.u.unify(a, b)
                self.u.unify(found.ret, opaque.call.ret)
        if fn.body.tail is None and self.u.resolve(body_ty) == t.UNIT and fn.ret is not None \
                and not self.coerces(t.UNIT, sig.ret):
            self._implicit_unit_return(fn, sig.ret)
        else:
            self.coerce(body_ty, sig.ret, self._tail_span(fn.body), fn.ret)
        self.finish()

    def _implicit_unit_return(self, fn: ast.FnDecl, ret: t.Ty) -> None:
        """A body without a tail expression returns `()`: rustc points at the return type,
        and suggests removing the `;` that turned the last expression into a statement."""
        assert fn.ret is not None and fn.body is not None
        fixes: tuple[d.Fix, ...] = ()
        help_: tuple[str, ...] = ()
        last = fn.body.stmts[-1] if fn.body.stmts else None
        if isinstance(last, ast.ExprStmt) and last.has_semi and \
                self.coerces(self.results.expr_types.get(last.expr, t.ERROR), ret):
            semi = Span(last.span.end - 1, last.span.end)
            help_ = ("remove this semicolon to return this value",)
            fixes = (d.Fix("remove this semicolon to return this value",
                           (d.Edit(semi, ""),)),)
        self.diags.append(d.error(
            "E0308", "mismatched types", fn.ret.span,
            f"expected `{self.show(ret)}`, found `()`",
            labels=(d.Label(fn.name_span, "implicitly returns `()` as its body has no tail or "
                            "`return` expression"),), help=help_, fixes=fixes))

    def _signature(self) -> FnSig | None:
        impl = self.env.impl_of.get(self.fn)
        trait = self.env.trait_of.get(self.fn)
        found = impl.methods.get(self.fn.name) if impl is not None else \
            trait.methods.get(self.fn.name) if trait is not None else None
        if found is not None and found.decl is self.fn:
            return found
        if self.owner is not None:
            sig = self.env.methods.get(self.owner, {}).get(self.fn.name)
        elif self.outer_fns:
            sig = None  # an `fn` item inside a body: its own signature
        else:
            df = self.resolver.lexical(self.fn.name, "value")
            sig = self.env.fns.get(df.key) if df is not None and df.kind == "fn" else None
        if sig is not None and sig.decl is self.fn:
            return sig
        # A duplicate definition (already reported), or a body re-parsed since the
        # environment was built: check it against its own signature.
        return replace(fn_sig(self.fn, self.owner, self.type_scope, []), module=self.module)

    def _tail_span(self, block: ast.Block) -> Span:
        if block.tail is not None:
            return block.tail.span
        return Span(block.span.end - 1, block.span.end)

    def finish(self) -> None:
        """Default literals, report unresolved types, and resolve every recorded type."""
        self.settle_obligations(final=True)
        for check in self.deferred:
            check()
        self.report_closure_params()
        for local_id, span in self.needs_type:
            ty = self.u.default(self.results.locals[local_id].ty)
            if isinstance(ty, t.Closure):
                continue  # its parameters were reported by report_closure_params
            if t.contains_infer(ty):
                hidden = {k: len(h) for k, h in self.env.adt_hidden.items()}
                shown = t.spell(ty, hidden=hidden).replace("{integer}", "_")
                self.diags.append(d.error(
                    "E0282", "type annotations needed" + (f" for `{shown}`" if shown != "_"
                                                           else ""),
                    span, "", help=("consider giving this binding an explicit type",)))
        r = self.results
        # Tens of thousands of recorded types, few distinct ones: each is resolved once. (The
        # final type of a type does not change once computed: defaulting binds every
        # integer and float variable it reaches.)
        final: dict[t.Ty, t.Ty] = {}
        # The same objects come back again and again: by identity first, which needs no
        # structural hash (each entry keeps its type alive, so its id is not reused).
        by_id: dict[int, tuple[t.Ty, t.Ty]] = {}

        def final_of(ty: t.Ty) -> t.Ty:
            seen = by_id.get(id(ty))
            if seen is not None and seen[0] is ty:
                return seen[1]
            found = final.get(ty)
            if found is None:
                found = final[ty] = self._final(ty)
            by_id[id(ty)] = (ty, found)
            return found

        r.locals = [Local(lc.id, lc.name, final_of(lc.ty), lc.mutable, lc.span, lc.kind,
                          lc.by_ref) for lc in r.locals]
        r.expr_types = {e: final_of(ty) for e, ty in r.expr_types.items()}
        r.pat_types = {p: final_of(ty) for p, ty in r.pat_types.items()}
        r.turbofish = {seg: {g: final_of(ty) for g, ty in args.items()}
                       for seg, args in r.turbofish.items()}
        r.method_turbofish = {call: {g: final_of(ty) for g, ty in args.items()}
                              for call, args in r.method_turbofish.items()}
        if self.fn.body is not None and not any(diag.is_error for diag in self.diags):
            # A lint, as in rustc: only over a body that type-checked.
            r.lints.extend(overflowing_literals(self.fn.body, r))
            if r.item is None:  # a constant's own failure is its E0080 (gust.sema.consts)
                r.lints.extend(known_panics(self.fn.body, r, self._constant_values))

    def _constant_values(self, key: str) -> int | None:
        """The value of the package's integer constant `key` (for known_panics)."""
        decls = {k: c.decl.value for k, c in self.env.consts.items()
                 if isinstance(c.decl, ast.ConstDecl)}

        def lookup(name: str) -> str | None:
            found = self.resolver.lexical(name, "value")
            return found.key if found is not None and found.kind == "const" else None

        return other_constants(decls, lookup)(key)

    def _final(self, ty: t.Ty) -> t.Ty:
        ty = self.u.default(ty)
        return erase_infer(ty)

    # ------------------------------------------------------------ scopes and locals

    def scope(self) -> _InnerScope:
        """`with self.scope():` declares into a new innermost scope."""
        return _InnerScope(self.scopes)

    def declare(self, name: str, ty: t.Ty, mutable: bool, span: Span, kind: str,
                by_ref: bool = False) -> int:
        local_id = len(self.results.locals)
        self.results.locals.append(Local(local_id, name, ty, mutable, span, kind, by_ref))
        self.scopes[-1].names[name] = local_id
        return local_id

    def unresolved_go(self, name: str) -> bool:
        """Whether `name` is the alias of a `use go` that could not be loaded (and nothing
        else in scope)."""
        return name in self.env.go_unresolved and name not in self.env.go_aliases and \
            self.lookup_local(name) is None

    def lookup_local(self, name: str) -> int | None:
        for scope in reversed(self.scopes):
            if name in scope.names:
                return scope.names[name]
        return None

    def visible_names(self) -> list[str]:
        names: set[str] = set()
        for scope in self.scopes:
            names.update(scope.names)
        module = self.env.modules.module(self.module)
        return sorted(names | {n for n, df in module.values.items()
                               if df.kind in ("fn", "const", "static")})

    # ------------------------------------------------------------ types

    def lower(self, ty: ast.TypeExpr) -> t.Ty:
        errors: list[d.Diagnostic] = []
        result = lower_type(ty, self.type_scope, errors)
        self.diags.extend(errors)
        return result

    def show(self, ty: t.Ty) -> str:
        """A type as messages spell it (Go types by the alias the file imported them as)."""
        aliases = {path: alias for alias, path in self.env.go_aliases.items()}
        return display_type(self.u.resolve(ty), aliases,
                            {k: len(h) for k, h in self.env.adt_hidden.items()})

    def mismatch(self, expected: t.Ty, found: t.Ty, span: Span,
                 expected_span: Span | None = None, expected_why: str = "expected due to this",
                 help_: tuple[str, ...] = ()) -> None:
        exp = self.u.resolve(expected)
        fnd = self.u.resolve(found)
        if isinstance(exp, t.Error) or isinstance(fnd, t.Error):
            return
        labels = (d.Label(expected_span, expected_why),) if expected_span is not None else ()
        help_ = help_ or self._mismatch_help(exp, fnd)
        label = f"expected {described(exp, self.show)}, found {described(fnd, self.show)}"
        if isinstance(exp, t.Array) and isinstance(fnd, t.Array) and exp.length != fnd.length \
                and self.u.unify(exp.elem, fnd.elem):
            label = (f"expected an array with a size of {exp.length}, found one with a size "
                     f"of {fnd.length}")
        self.diags.append(d.error("E0308", "mismatched types", span, label, labels=labels,
                                  help=help_))

    def _mismatch_help(self, expected: t.Ty, found: t.Ty) -> tuple[str, ...]:
        if expected == t.STRING and found == t.STR_REF:
            return ("try using a conversion method: `.to_string()`",)
        if isinstance(expected, t.Ref) and self.u.unify(t.Ref(found, expected.mutable),
                                                        expected):
            kind = "&mut " if expected.mutable else "&"
            return (f"consider borrowing here: `{kind}`",)
        f = self.u.shallow(found)
        if self.go_call_depth and isinstance(f, t.Adt) and _is_option(f) and f.args and \
                _is_option(self.u.shallow(f.args[0])):
            return ("this Go parameter takes an `Option` (`None` is Go's nil): the value "
                    "inside `Some(..)` is one already",)
        return ()

    def coerce(self, found: t.Ty, expected: t.Ty, span: Span,
               expected_node: ast.TypeExpr | None = None) -> bool:
        """Check that a value of type `found` can be used where `expected` is wanted:
        equal types, `!`, `&mut T` as `&T`, or a deref coercion (`&String` as `&str`)."""
        if self.coerces(found, expected):
            self.unsize_error(found, expected, span)
            self._deref_mut_coercion(found, expected, span)
            return True
        self.mismatch(expected, found, span, expected_node.span if expected_node else None)
        return False

    def _deref_mut_coercion(self, found: t.Ty, expected: t.Ty, span: Span) -> None:
        """`&mut w` as `&mut Target` needs W's `impl DerefMut`, not only its `Deref`
        (rustc's E0596, which its borrow checker reports)."""
        f = self.u.shallow(found)
        e = self.u.shallow(expected)
        if not (isinstance(f, t.Ref) and f.mutable and isinstance(e, t.Ref) and e.mutable):
            return
        inner = self.u.resolve(f.inner)
        if not isinstance(inner, t.Adt) or inner == self.u.resolve(e.inner) or \
                self.user_deref(inner) is None or \
                traits.impl_for(inner, "DerefMut", self.env, self.assumptions) is not None:
            return
        shown = self.show(inner)
        self.diags.append(d.error(
            "E0596", f"cannot borrow data in dereference of `{shown}` as mutable", span,
            "cannot borrow as mutable",
            help=(f"trait `DerefMut` is required to modify through a dereference, but it is "
                  f"not implemented for `{shown}`",)))

    def coerces(self, found: t.Ty, expected: t.Ty) -> bool:
        f = self.u.shallow(found)
        e = self.u.shallow(expected)
        if isinstance(f, t.Never):
            return True
        if isinstance(e, t.Adt) and e.name == "GoAny":
            return True  # Go's `any`: every value converts to it
        if isinstance(e, t.Adt) and e.name == "Iter" and e.args and isinstance(f, t.Adt) and (
                f.name in ("Range", "RangeInclusive") or self.user_iter_item(f) is not None):
            # A range or a package's iterator as a `Box<dyn Iterator<Item = T>>`'s iterator.
            item = f.args[0] if f.name in ("Range", "RangeInclusive") and f.args else \
                self.user_iter_item(f)
            return item is not None and self.u.unify(item, e.args[0])
        if isinstance(f, t.Closure) and isinstance(e, t.FnPtr) and (
                not f.captures or self.go_call_depth):
            # A closure that captures nothing coerces to a `fn` pointer; any closure is a
            # Go func.
            return self.u.unify(f.fn_ptr, e)
        if self.go_call_depth and isinstance(e, t.Ref) and isinstance(f, t.Adt) and \
                f.name == "Box" and f.args and f.args[0] != t.ERROR and \
                isinstance(self.u.shallow(f.args[0]), t.Adt) and \
                self.u.shallow(f.args[0]).name.startswith("go:"):  # type: ignore[union-attr]
            return self.u.unify(f.args[0], e.inner)  # a Go pointer for a Go `*T` parameter
        if self.go_call_depth and isinstance(f, (t.FnPtr, t.Closure)) and \
                (named_fn := go_named_func(self.env.go_packages, e)) is not None:
            # A function or closure for a Go named func type (`bufio::ScanWords` for a
            # `bufio.SplitFunc`): Go assigns a func to it.
            return self.u.unify(f.fn_ptr if isinstance(f, t.Closure) else f, named_fn)
        if self.go_call_depth and e == t.STRING and self.coerces(found, t.STR_REF) and \
                not isinstance(f, t.Infer):
            # A Go type parameter that is `string` here (`slices::Contains(&words, "fig")`):
            # both are Go's `string`.
            return True
        if self.go_call_depth and isinstance(f, t.Adt) and f.name == "Option" and f.args and (
                e == GO_ERROR or interface_methods(self.env.go_packages, e) is not None) and \
                not _is_option(self.u.shallow(f.args[0])):
            # `None` for a nil-able Go parameter (an interface: `io.Reader`, `error`). One
            # level only: `Some(strings::NewReader(s))` (whose call is already an `Option`)
            # is a mismatch, as Go has no nil inside a nil.
            return self.coerces(f.args[0], e) or self.u.unify(f.args[0], e)
        if isinstance(e, t.Adt) and e.name.startswith("go:") and \
                go_implements(self.env.go_packages, self.u.resolve(f), e):
            return True  # a Go value for a Go interface it implements (`io.Writer`)
        if isinstance(e, t.Adt) and e.name.startswith("go:") and self._gust_implements_go(f, e):
            return True  # `&handler` for an `http::Handler`: its methods are Go's
        if isinstance(f, t.Ref) and isinstance(e, t.Ref) and (f.mutable or not e.mutable):
            fi = self.u.shallow(f.inner)
            ei = self.u.shallow(e.inner)
            if isinstance(ei, t.Str) and fi == t.STRING:
                return True
            if isinstance(ei, t.Slice) and isinstance(fi, t.Adt) and fi.name == "Vec":
                return self.u.unify(ei.elem, fi.args[0])
            if isinstance(ei, t.Slice) and isinstance(fi, t.Array):
                return self.u.unify(ei.elem, fi.elem)
            if f.mutable != e.mutable and self.u.unify(fi, ei):
                return True
            if isinstance(fi, t.Ref) and not isinstance(ei, (t.Ref, t.Infer)):
                # Deref coercion through nested references: `&&str` as `&str`.
                return self.coerces(fi, e)
            if isinstance(fi, t.Ref) and isinstance(ei, t.Ref) and \
                    self._ref_depth(f) > self._ref_depth(e) >= 0:
                # `&&&str` as `&&str` (`words.contains(k)` with `k` from `.iter().filter`)
                return self.coerces(fi, e)
            if isinstance(fi, t.Adt) and fi.name in builtins.DEREF_TYPES and fi.args and \
                    not (isinstance(ei, t.Adt) and ei.name == fi.name):
                # Deref coercion through a box: `&Box<T>` as `&T`.
                return self.coerces(t.Ref(fi.args[0], f.mutable), e)
            if not f.mutable and isinstance(fi, t.Adt) and not (
                    isinstance(ei, t.Adt) and ei.name == fi.name) and \
                    not isinstance(ei, (t.Infer, t.Dyn, t.Error)) and \
                    (target := self.user_deref(fi)) is not None and \
                    self.coerces(t.Ref(target, False), e):
                # Deref coercion through a package type's `impl Deref`: `&w` as `&Target`
                # (a `&dyn Trait` is W's own unsizing).
                return True
            if f.mutable and isinstance(fi, t.Adt) and not (
                    isinstance(ei, t.Adt) and ei.name == fi.name) and \
                    not isinstance(ei, (t.Infer, t.Dyn, t.Error)) and \
                    (target := self.user_deref(fi)) is not None and \
                    self.coerces(t.Ref(target, e.mutable), e):
                # `&mut w` as `&mut Target` through its `impl DerefMut` (as `&Target`
                # through `Deref`; without `DerefMut`, `coerce` reports E0596).
                return True
        if unsized_pair(self.u, f, e) is not None:
            return True  # `&Circle` as `&dyn Shape`; the impl is checked by `coerce`
        if isinstance(e, t.Adt) and e.name == "Iter" and isinstance(f, t.Adt) and \
                f.name != "Iter" and (item := self.user_iter_item(f)) is not None:
            # The package's iterator as `impl Iterator<Item = T>` (std's iterators are all
            # `Iter<T>` to the checker).
            return self.u.unify(e.args[0], item)
        return self.u.unify(f, e)

    def _ref_depth(self, ty: t.Ty) -> int:
        """How many references `ty` is below its known referent; -1 when what is behind
        them is not known yet (an inference variable)."""
        n = 0
        ty = self.u.shallow(ty)
        while isinstance(ty, t.Ref):
            n += 1
            ty = self.u.shallow(ty.inner)
        return -1 if isinstance(ty, t.Infer) else n

    def go_constant(self, literal: ast.Expr, go_ty: t.Ty) -> t.Ty:
        """An integer literal beside or for a Go numeric type is of that type, as Go's
        untyped constants are (`time::Minute * 2`, `os::MkdirAll(dir, 0o755)`)."""
        self.record(literal, go_ty)
        if isinstance(literal, ast.Unary):
            self.record(literal.operand, go_ty)
        return go_ty

    def _gust_implements_go(self, found: t.Ty, iface: t.Adt) -> bool:
        """A reference to (or a box of) a Gust struct whose methods are the Go interface's,
        with the same Gust signatures: Go sees the struct's Go methods (on `*T`)."""
        methods = interface_methods(self.env.go_packages, iface)
        f = self.u.resolve(found)
        inner = f.inner if isinstance(f, t.Ref) else \
            f.args[0] if isinstance(f, t.Adt) and f.name == "Box" and f.args else None
        if not methods or not isinstance(inner, t.Adt) or inner.args or \
                inner.name not in self.env.structs:
            return False
        own = self.env.inherent.get(inner.name, {})
        for method in methods:
            sig = own.get(method.name)
            go_sig = gust_method_signature(method)
            if sig is None or sig.self_kind not in ("ref", "ref_mut") or sig.generics or \
                    tuple(map(_shared_slices, sig.params)) != go_sig.params or \
                    sig.ret != go_sig.ret:
                return False
        return True

    def record(self, expr: ast.Expr, ty: t.Ty) -> t.Ty:
        self.results.expr_types[expr] = ty
        return ty

    # ------------------------------------------------------------ blocks and statements

    def check_block(self, block: ast.Block, expected: t.Ty | None) -> t.Ty:
        module = self.block_scopes.get(id(block)) if self.block_scopes else None
        if module is None:
            return self._check_block(block, expected)
        saved = self.module, self.resolver, self.type_scope
        self.module = module
        self.resolver = Resolver(self.env.modules, module)
        self.type_scope = replace(self.type_scope, names=self.resolver)
        try:
            return self._check_block(block, expected)
        finally:
            self.module, self.resolver, self.type_scope = saved

    def _check_block(self, block: ast.Block, expected: t.Ty | None) -> t.Ty:
        with self.scope():
            self._declare_block_fns(block)
            diverges = False
            for stmt in block.stmts:
                if self.check_stmt(stmt):
                    diverges = True
            if block.tail is not None:
                ty = self.check_expr(block.tail, expected)
                if diverges and not isinstance(self.u.shallow(ty), t.Never):
                    pass
            else:
                ty = t.NEVER if diverges else t.UNIT
        return self.record(block, ty)

    def check_stmt(self, stmt: ast.Stmt) -> bool:
        """Check a statement; True when it always diverges (`return`, `break`, `panic!`)."""
        match stmt:
            case ast.Let():
                return self.check_let(stmt)
            case ast.ExprStmt(expr=expr, has_semi=has_semi):
                expected: t.Ty | None = None if has_semi else t.UNIT
                ty = self.check_expr(expr, expected)
                resolved = self.u.shallow(ty)
                if not has_semi and not isinstance(resolved, (t.Never, t.Error)) \
                        and not self.u.unify(ty, t.UNIT):
                    self.mismatch(t.UNIT, ty, tail_of(expr).span)
                return isinstance(resolved, t.Never)
            case ast.ItemStmt(item=item):
                if isinstance(item, ast.FnDecl) and self._outer_generics(item):
                    return False
                if isinstance(item, ast.FnDecl):
                    self._check_inner_fn(item)
                    return False
                # An item of the body's scope (modules.body_items), checked with the
                # package's items.
        return False

    def _declare_block_fns(self, block: ast.Block) -> None:
        """`fn` items of a block: in scope in the whole block, like the items of a module.
        Their signatures cannot name the outer function's generics (E0401, reported where
        the item is checked)."""
        scope = None  # made for the first item: most blocks have none
        for stmt in block.stmts:
            if isinstance(stmt, ast.ItemStmt) and isinstance(stmt.item, ast.FnDecl):
                if scope is None:
                    scope = replace(self.type_scope, generics=frozenset(), self_ty=None)
                fn = stmt.item
                sig = replace(fn_sig(fn, None, scope, []), module=self.module)
                self.scopes[-1].fns.setdefault(fn.name, sig)

    def _check_inner_fn(self, fn: ast.FnDecl) -> None:
        """An `fn` item inside a body is checked as a function of its own: it sees the
        items in scope, not the enclosing function's locals."""
        inner = type(self)(self.env, fn, None, block_module(fn, self.module))
        inner.outer_locals = self.outer_locals | {
            name for scope in self.scopes for name in scope.names}
        inner.outer_fns = (*self.outer_fns, *(scope.fns for scope in self.scopes))
        inner.run()
        self.diags.extend(inner.results.diagnostics)
        self.results.nested.append(inner.results)

    def lookup_scoped(self, name: str) -> tuple[int | None, FnSig | None]:
        """A name in the body's scopes, innermost first: a local (one declared so far),
        or an `fn` item of an enclosing block (inner blocks shadow outer locals)."""
        for scope in reversed(self.scopes):
            if name in scope.names:
                return scope.names[name], None
            if name in scope.fns:
                return None, scope.fns[name]
        for fns in reversed(self.outer_fns):
            if name in fns:
                return None, fns[name]
        return None, None

    def _outer_generics(self, fn: ast.FnDecl) -> bool:
        """E0401: an inner `fn` is an item of its own and cannot name the outer function's
        type parameters. True when it tried to."""
        scope = replace(self.type_scope, generics=frozenset(), self_ty=None)
        errors: list[d.Diagnostic] = []
        fn_sig(fn, None, scope, errors)
        outer = self.type_scope.generics
        found = False
        for err in errors:
            name = err.message.removeprefix("cannot find type `").split("`")[0]
            if err.code == "E0425" and name in outer:
                found = True
                self.diags.append(d.error(
                    "E0401", "can't use generic parameters from outer item", err.span,
                    "use of generic parameter from outer item",
                    help=(f"try introducing a local generic parameter here: `<{name}>`",)))
        return found

    def check_let(self, let: ast.Let) -> bool:
        declared = self.lower(let.ty) if let.ty is not None else None
        init_ty: t.Ty | None = None
        if let.init is not None:
            init_ty = self.check_expr(let.init, declared)
            if declared is not None:
                self.coerce(init_ty, declared, let.init.span, let.ty)
        ty = declared if declared is not None else (init_ty if init_ty is not None
                                                    else self.u.fresh())
        if isinstance(self.u.shallow(ty), t.Never):
            ty = self.u.fresh()
        before = len(self.results.locals)
        if let.else_block is not None:
            else_ty = self.check_block(let.else_block, None)
            if not isinstance(self.u.shallow(else_ty), (t.Never, t.Error)):
                self.diags.append(d.error("E0308", "`else` clause of `let...else` does not "
                                          "diverge", let.else_block.span))
        self.check_pat(let.pat, ty, "let")
        if let.else_block is None:
            self.check_irrefutable(let.pat, ty, "local binding")
            local = self.results.bindings.get(let.pat) \
                if isinstance(let.pat, ast.IdentPat) else None
            if local is not None and let.init is not None and \
                    not self.results.locals[local].mutable:
                self.results.let_inits[local] = let.init
        if declared is None:
            for local_id in range(before, len(self.results.locals)):
                self.needs_type.append((local_id, self.results.locals[local_id].span))
        return init_ty is not None and isinstance(self.u.shallow(init_ty), t.Never)

    # ------------------------------------------------------------ expressions

    def check_expr(self, expr: ast.Expr, expected: t.Ty | None = None) -> t.Ty:
        self.budget.poll()
        kind = type(expr)
        method = self._expr_methods.get(kind)
        if method is None:  # once per class of expression and body: no name to build
            method = self._expr_methods[kind] = getattr(type(self), "_expr_" + kind.__name__)
        ty: t.Ty = method(self, expr, expected)
        self.results.expr_types[expr] = ty
        return ty

    def check_expr_coerce(self, expr: ast.Expr, expected: t.Ty) -> t.Ty:
        ty = self.check_expr(expr, expected)
        self.coerce(ty, expected, expr.span)
        return ty

    def _expr_Literal(self, e: ast.Literal, expected: t.Ty | None) -> t.Ty:
        match e.kind:
            case "int":
                if e.suffix is not None:
                    return t.PRIMITIVES[e.suffix]
                exp = self.u.shallow(expected) if expected is not None else None
                if isinstance(exp, t.Int):
                    return exp
                if isinstance(exp, t.Float):
                    return self.u.fresh("int")  # a mismatch, reported by the caller
                return self.u.fresh("int")
            case "float":
                if e.suffix is not None:
                    return t.PRIMITIVES[e.suffix]
                exp = self.u.shallow(expected) if expected is not None else None
                return exp if isinstance(exp, t.Float) else self.u.fresh("float")
            case "str":
                return t.STR_REF
            case "char":
                return t.CHAR
            case "bool":
                return t.BOOL
            case "byte":
                return t.Int("u8")
        # A byte string is a `&[u8; N]` (which coerces to `&[u8]`); where a `&[u8]` is
        # expected it is one already (the same values: the Go backend writes it as a slice).
        exp = self.u.shallow(expected) if expected is not None else None
        if isinstance(exp, t.Ref) and isinstance(self.u.shallow(exp.inner), t.Slice):
            return t.Ref(t.Slice(t.Int("u8")), False)
        return t.Ref(t.Array(t.Int("u8"), len(str(e.value))), False)

    def _expr_Paren(self, e: ast.Paren, expected: t.Ty | None) -> t.Ty:
        return self.check_expr(e.inner, expected)

    def _expr_TupleExpr(self, e: ast.TupleExpr, expected: t.Ty | None) -> t.Ty:
        exp = self.u.shallow(expected) if expected is not None else None
        if not (isinstance(exp, t.Tuple) and len(exp.elems) == len(e.elems)):
            return t.Tuple(tuple(self.check_expr(x, None) for x in e.elems))
        # Like rustc, each element that does not fit its place is its own mismatch (and
        # then counts as the expected type, so the tuple as a whole is not one more).
        elems = []
        for x, ex in zip(e.elems, exp.elems, strict=True):
            before = len(self.diags)
            ty = self.check_expr(x, ex)
            self.coerce(ty, ex, x.span)
            coerced = (isinstance(self.u.shallow(ex), t.FnPtr) and
                       isinstance(self.u.shallow(ty), t.Closure)) or \
                unsized_pair(self.u, ty, ex) is not None or \
                _array_to_slice(self.u, ty, ex) or (  # `Box<{closure}>` as `Box<dyn Fn>`, `&[T]`
                    isinstance(self.u.shallow(ex), t.Ref) and
                    isinstance(self.u.shallow(ty), t.Ref))  # `(&text, "")` as `(&str, &str)`
            elems.append(ex if len(self.diags) > before or coerced else ty)
        return t.Tuple(tuple(elems))

    def _expr_ArrayExpr(self, e: ast.ArrayExpr, expected: t.Ty | None) -> t.Ty:
        exp = self.u.shallow(expected) if expected is not None else None
        elem: t.Ty = exp.elem if isinstance(exp, t.Array) else self.u.fresh()
        self.check_elements(e.elems, elem)
        return t.Array(elem, len(e.elems))

    def check_elements(self, elems: Sequence[ast.Expr], elem: t.Ty) -> None:
        """The elements of an array or `vec!`, each coerced to `elem`. As in rustc, only
        the first that does not fit is reported: after it, the element type is in error."""
        failed = False
        for x in elems:
            if failed:
                self.check_expr(x, None)
                continue
            before = len(self.diags)
            self.check_expr_coerce(x, elem)
            failed = len(self.diags) > before

    def _expr_ArrayRepeat(self, e: ast.ArrayRepeat, expected: t.Ty | None) -> t.Ty:
        exp = self.u.shallow(expected) if expected is not None else None
        elem = self.check_expr(e.value, exp.elem if isinstance(exp, t.Array) else None)
        self.check_expr_coerce(e.count, t.USIZE)
        return t.Array(elem, array_length(e.count, self.type_scope))

    # ------------------------------------------------------------ names of the package

    def canon_path(self, path: ast.Path, ns: str, missing_code: str) -> ast.Path | None:
        """A constructor path (struct literal, pattern) with the package's names turned
        into environment keys: `Struct` or `Enum::Variant`, as the checker's tables know
        them. The path unchanged when it is not the package's (`Some`, `Self`, std);
        None when an error was reported."""
        expanded = expand_type_alias(self.resolver, self.env.type_aliases,
                                     expand_std_alias(self.resolver, path))
        if expanded is None:  # a cycle of aliases (E0391, reported on them)
            return None
        path = expanded
        names = path.names
        if names[0] == "Self":
            return path
        found = self.resolver.resolve([(s.name, s.span) for s in path.segments], ns,
                                      self.diags)
        if found is None:
            return None
        if found is PASS:
            if names[0] in self.env.structs or names[0] in self.env.enums:
                # Declared in another module, not in scope here.
                what = ("tuple struct or tuple variant" if missing_code == "E0531" else
                        "struct, variant or union type")
                self.diags.append(d.error(
                    missing_code, f"cannot find {what} `{names[0]}` in this scope",
                    path.segments[0].span, "not found in this scope",
                    help=suggest_import(self.env.modules, self.module, names[0], "type")))
                return None
            return path
        df = found.df
        last = path.last
        if df.kind == "error":
            return None
        if df.kind == "variant":
            return ast.Path((ast.PathSegment(df.key, last.span), last), path.span)
        if df.kind == "std_variant" and found.rest == 0:
            return std_variant_path(df, last.span)  # `Less` -> `std::cmp::Ordering::Less`
        if df.kind == "builtin" and found.rest == 1 and df.key in STD_ENUM_PATHS:
            # `Order::Less` after `use std::cmp::Ordering as Order;`: the std path.
            seg = path.segments[-2]
            return ast.Path((*(ast.PathSegment(n, seg.span)
                               for n in STD_ENUM_PATHS[df.key].split("::")), last), path.span)
        if found.rest == 1:
            seg = path.segments[-2]
            return ast.Path((replace(seg, name=df.key), last), path.span)
        if found.rest == 0 and df.kind in ("struct", "enum"):
            return ast.Path((replace(last, name=df.key),), path.span)
        return path

    def is_std_range_path(self, names: tuple[str, ...]) -> bool:
        """Whether a struct literal's or pattern's path (after `canon_path`) names std's
        `Range` (imported, under any name, or by its whole path), not a type of the
        package."""
        if len(names) == 3:
            return names[0] in ("std", "core") and names[1:] == ("ops", "Range")
        if len(names) != 1:
            return False
        df = self.resolver.lexical(names[0], "type")
        return df is not None and df.kind == "builtin" and df.key == "Range"

    def names_const(self, pat: ast.IdentPat) -> str | None:
        """The key of the constant or static an identifier pattern names (a constant
        pattern in Rust, not a binding); None for a binding."""
        if pat.sub is not None or pat.by_ref or pat.mutable:
            return None
        df = self.resolver.lexical(pat.name, "value")
        return df.key if df is not None and df.kind in ("const", "static") else None

    def path_names_const(self, path: ast.Path) -> str | None:
        """The key of the constant or static a path pattern (`limits::TOP`) names."""
        found = self.resolver.resolve([(s.name, s.span) for s in path.segments], "value", [])
        ok = found is not None and found is not PASS and found.rest == 0 and \
            found.df.kind in ("const", "static")
        return found.df.key if ok and found is not None else None

    def imported_variant(self, pat: ast.IdentPat) -> str | None:
        """The enum (key) of a unit variant an identifier pattern names (`Circle` after
        `use Shape::*`), or None when the pattern is a binding."""
        if pat.sub is not None or pat.by_ref or pat.mutable:
            return None
        df = self.resolver.lexical(pat.name, "value")
        if df is not None and df.kind == "std_variant" and \
                df.key in ("Ordering::Less", "Ordering::Equal", "Ordering::Greater",
                           "Bound::Unbounded"):
            return df.key.split("::")[0]  # `Less` after `use std::cmp::Ordering::*;`
        if df is None or df.kind != "variant" or df.key not in self.env.enums:
            return None
        variant = self.env.enums[df.key].variant(df.name)
        return df.key if variant is not None and variant.kind == "unit" else None

    def trait_in_scope(self, trait: str) -> bool:
        """Whether the trait is declared in, or imported into, the current module."""
        return any(df.kind == "trait" and trait in (df.key, df.name)
                   for df in self.env.modules.module(self.module).types.values())

    def trait_scope_help(self, ty: t.Ty, name: str) -> tuple[str, ...]:
        """rustc's help for a method of a trait that is implemented but not in scope."""
        resolved = self.u.resolve(ty)
        for trait in self.env.traits.values():
            sig = trait.methods.get(name)
            if sig is None or sig.self_kind is None or self.trait_in_scope(trait.name) or \
                    traits.impl_for(resolved, trait.name, self.env, ()) is None:
                continue
            path = self.env.modules.path_of_trait(trait.name)
            return ("items from traits can only be used if the trait is in scope",
                    f"trait `{trait.name}` which provides `{name}` is implemented but not in "
                    f"scope; perhaps you want to import it: `use {path};`")
        return ()

    def check_method_visible(self, owner: str, name: str, span: Span, what: str) -> None:
        """E0624: a method without `pub` is private to the module of its `impl`."""
        sig = self.env.methods.get(owner, {}).get(name)
        if sig is None or pub_in_package(self.env.modules, sig.module, sig.decl) or \
                can_see(self.module, sig.module, False):
            return
        if owner in self.env.structs or owner in self.env.enums:
            self.diags.append(d.error("E0624", f"{what} `{name}` is private", span,
                                      f"private {what}",
                                      notes=(f"the {what} `{name}` is defined here",)))

    # ------------------------------------------------------------ defined by the parts

    def check_pat(self, pat: ast.Pat, expected: t.Ty, kind: str,
                  default_ref: str = "") -> None:
        raise NotImplementedError  # gust.sema.check.patterns

    def comparison(self, e: ast.Binary, lhs: t.Ty, rhs: t.Ty) -> t.Ty:
        raise NotImplementedError  # gust.sema.check.operators

    def arithmetic(self, e: ast.Binary, lhs: t.Ty, rhs: t.Ty) -> t.Ty:
        raise NotImplementedError  # gust.sema.check.operators

    def unary_operator(self, e: ast.Unary, ty: t.Ty) -> t.Ty:
        raise NotImplementedError  # gust.sema.check.operators

    def has_operator(self, ty: t.Ty, trait: str) -> bool:
        raise NotImplementedError  # gust.sema.check.calls

    def check_irrefutable(self, pat: ast.Pat, ty: t.Ty, what: str) -> None:
        raise NotImplementedError  # gust.sema.check.control

    def join(self, first: t.Ty, second: t.Ty, second_expr: ast.Expr, message: str,
             first_span: Span) -> t.Ty:
        raise NotImplementedError  # gust.sema.check.control

    def report_closure_params(self) -> None:
        raise NotImplementedError  # gust.sema.check.closures

    def map_key_fits(self, ty: t.Ty, key: t.Ty) -> bool:
        raise NotImplementedError  # gust.sema.check.stdlib

    def check_arg(self, arg: ast.Expr, param: t.Ty, what: str) -> None:
        raise NotImplementedError  # gust.sema.check.stdlib

    def std_trait_call(self, e: ast.Call) -> t.Ty | None:
        raise NotImplementedError  # gust.sema.check.paths

    def std_fn_type(self, module: str, name: str) -> t.FnPtr | None:
        raise NotImplementedError  # gust.sema.check.stdlib

    def discharge_callable(self, arg: ast.Expr, param: t.Ty, what: str) -> bool:
        raise NotImplementedError  # gust.sema.check.closures

    def check_spawn(self, e: ast.Call) -> None:
        raise NotImplementedError  # gust.sema.check.stdlib

    def check_go_spawn(self, e: ast.Call) -> None:
        raise NotImplementedError  # gust.sema.check.goroutines

    def check_go_callbacks(self, args: Sequence[ast.Expr], params: Sequence[t.Ty],
                           callee_span: Span, now: bool = False) -> None:
        raise NotImplementedError  # gust.sema.check.go_callbacks

    def check_go_reflected(self, package: str, args: Sequence[ast.Expr]) -> None:
        raise NotImplementedError  # gust.sema.check.go_callbacks

    def chan_method_result(self, e: ast.MethodCall, name: str, chan: t.Ty, ret: t.Ty
                           ) -> t.Ty:
        raise NotImplementedError  # gust.sema.check.goroutines

    def instantiate_method(self, params: tuple[t.Ty, ...], ret: t.Ty
                           ) -> tuple[tuple[t.Ty, ...], t.Ty]:
        raise NotImplementedError  # gust.sema.check.stdlib

    def std_method_result(self, e: ast.MethodCall, res: MethodRes, recv: t.Ty, ret: t.Ty,
                          expected: t.Ty | None) -> t.Ty:
        raise NotImplementedError  # gust.sema.check.stdlib

    def into_iter_item(self, ty: t.Ty) -> t.Ty | None:
        raise NotImplementedError  # gust.sema.check.stdlib

    def key_known(self, e: ast.MethodCall, res: MethodRes, recv: t.Ty) -> bool:
        raise NotImplementedError  # gust.sema.check.stdlib

    def check_key_bounds(self, e: ast.MethodCall, res: MethodRes, recv: t.Ty,
                         before_args: bool) -> bool:
        raise NotImplementedError  # gust.sema.check.stdlib

    def user_iter_item(self, ty: t.Ty) -> t.Ty | None:
        raise NotImplementedError  # gust.sema.check.stdlib

    def call_closure(self, e: ast.Call, callee: t.Closure) -> t.Ty:
        raise NotImplementedError  # gust.sema.check.closures

    def callable_bound(self, ty: t.Ty) -> t.Closure | None:
        raise NotImplementedError  # gust.sema.check.closures

    def check_callable_arg(self, arg: ast.Expr, params: Sequence[t.Ty], ret: t.Ty,
                           required: str, what: str) -> t.Ty:
        raise NotImplementedError  # gust.sema.check.closures

    def no_variant(self, enum: str, name: str, span: Span, names: list[str]) -> d.Diagnostic:
        raise NotImplementedError  # gust.sema.check.paths

    def settle_obligations(self, final: bool = False) -> None:
        raise NotImplementedError  # gust.sema.check.generics

    def require(self, bound: Bound, span: Span) -> None:
        raise NotImplementedError  # gust.sema.check.generics

    def implements(self, ty: t.Ty, trait: str) -> bool:
        raise NotImplementedError  # gust.sema.check.generics

    def user_deref(self, ty: t.Ty) -> t.Ty | None:
        """`Target` of a package type's `impl Deref` (None for other types)."""
        ty = self.u.shallow(ty)
        if not (isinstance(ty, t.Adt) and ty.name in self.env.type_names()):
            return None
        found = traits.impl_for(self.u.resolve(ty), "Deref", self.env, self.assumptions)
        if found is None:
            return None
        impl, subst = found
        return t.substitute(dict(impl.assoc).get("Target", t.ERROR), subst)

    def settle_conversion(self, bound: Bound, span: Span, final: bool) -> bool:
        raise NotImplementedError  # gust.sema.check.conversions

    def from_fn(self, target: t.Ty, span: Span) -> tuple[AssocFnRes, t.FnPtr]:
        raise NotImplementedError  # gust.sema.check.conversions

    def try_from_fn(self, target: t.Ty, span: Span) -> tuple[AssocFnRes, t.FnPtr]:
        raise NotImplementedError  # gust.sema.check.conversions

    def user_try_from_fn(self, target: t.Adt, span: Span) -> tuple[AssocFnRes, t.FnPtr]:
        raise NotImplementedError  # gust.sema.check.conversions

    def user_try_froms(self, target: t.Ty) -> list[tuple[t.Ty, t.Ty]]:
        raise NotImplementedError  # gust.sema.check.conversions

    def settle_try_conversion(self, bound: Bound, span: Span, final: bool) -> bool:
        raise NotImplementedError  # gust.sema.check.conversions

    def try_into_call(self, e: ast.MethodCall, recv_ty: t.Ty, expected: t.Ty | None) -> t.Ty:
        raise NotImplementedError  # gust.sema.check.conversions

    def into_call(self, e: ast.MethodCall, recv_ty: t.Ty, expected: t.Ty | None) -> t.Ty:
        raise NotImplementedError  # gust.sema.check.conversions

    def check_closure(self, e: ast.Closure, params: Sequence[t.Ty] | None,
                      ret: t.Ty | None, what: str = "") -> t.Closure:
        raise NotImplementedError  # gust.sema.check.closures

    def error_converts(self, target: t.Ty, source: t.Ty) -> bool:
        raise NotImplementedError  # gust.sema.check.conversions

    def unsize_error(self, found: t.Ty, expected: t.Ty, span: Span) -> bool:
        raise NotImplementedError  # gust.sema.check.generics

    def instantiate_go(self, sig: GustSignature) -> t.FnPtr:
        """A Go function's type with its type parameters replaced by inference variables."""
        fn = sig.fn_ptr
        if not sig.type_params:
            return fn
        subst: dict[str, t.Ty] = {name: self.u.fresh() for name in sig.type_params}
        result = t.substitute(fn, subst)
        assert isinstance(result, t.FnPtr)
        return result


def _shared_slices(ty: t.Ty) -> t.Ty:
    """A method parameter as Go's: a `&mut [T]` is the `[]T` Go passes (and lets the callee
    write into: the `p` of a Gust `io.Reader`'s `Read`), which Gust calls `&[T]`."""
    if isinstance(ty, t.Ref) and ty.mutable and isinstance(ty.inner, t.Slice):
        return t.Ref(ty.inner, False)
    return ty


def _is_option(ty: t.Ty) -> bool:
    return isinstance(ty, t.Adt) and ty.name == "Option"


def untyped_int(e: ast.Expr) -> bool:
    """An integer literal without a suffix (`2`, `-2`): Go's untyped constant."""
    if isinstance(e, ast.Unary) and e.op == "-":
        e = e.operand
    return isinstance(e, ast.Literal) and e.kind == "int" and e.suffix is None
