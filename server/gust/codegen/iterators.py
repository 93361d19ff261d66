"""Iterator adapters and consumers.

An iterator value is a Go `iter.Seq[T]` (gust.codegen.gotypes; a range value is the
runtime's `gustRangeValue[T]`, its bounds, made a sequence where it is iterated:
`range_seq`); each adapter is a small
generic function of the runtime (`gustMap(seq, f)`, `gustFilter(seq, f)`, ...), each
consumer one that ranges over the sequence (`gustFold`, `gustAny`, ...). Iterators over a
`Vec` yield references: a Go value for scalars and strings (`&i32` is `int32`), a pointer
for structs (`gustRefs(v)` yields `&v[i]`). `for` loops over a `Vec`, a slice, a range or
`.enumerate()` of them are plain Go `range` loops (gust.codegen.body), and so are the
consumers the emitter can write as one (`v.iter().sum()` over a slice is `gustSum` of
`slices.Values(v)`, which Go inlines).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import field
from typing import TYPE_CHECKING, Final, TypeGuard

from gust.codegen import durations, values
from gust.codegen import goast as g
from gust.codegen import gostmt as s
from gust.codegen.gotypes import Unsupported
from gust.frozen import dataclass
from gust.sema import builtins, literals
from gust.sema import types as t
from gust.syntax import ast

if TYPE_CHECKING:
    from gust.codegen.body import FnEmitter
    from gust.sema.results import MethodRes


def _unsupported(what: str, e: ast.Expr) -> Exception:
    from gust.codegen.body import UnsupportedAt

    return UnsupportedAt(what, e.span)


def _item(ty: t.Ty) -> t.Ty:
    if isinstance(ty, t.Adt) and ty.args and ty.name in ("Iter", "Range", "RangeInclusive"):
        return ty.args[0]
    return t.ERROR


# Adapters and consumers that are one runtime call with the closure as is.
_CALLS: Final = {"map": "gustMap", "filter": "gustFilter", "filter_map": "gustFilterMap",
          "take_while": "gustTakeWhile", "skip_while": "gustSkipWhile",
          "inspect": "gustInspect", "fold": "gustFold", "scan": "gustScanIter",
          "any": "gustAny", "all": "gustAll",
          "find": "gustFind", "find_map": "gustFindMap", "position": "gustPosition",
          "rposition": "gustRPosition",
          "last": "gustLast", "nth": "gustNth", "max_by_key": "gustMaxByKey",
          "min_by_key": "gustMinByKey", "flatten": "gustFlatten", "max_by": "gustMaxBy",
          "min_by": "gustMinBy", "partition": "gustPartition"}


# Adapters and consumers whose closure takes `&Item`.
_BY_REF: Final = frozenset({"filter", "take_while", "skip_while", "inspect", "find", "max_by_key",
                     "min_by_key"})


def is_range(ty: t.Ty) -> TypeGuard[t.Adt]:
    """A `Range` or `RangeInclusive` value: the runtime's gustRangeValue, not a sequence."""
    return isinstance(ty, t.Adt) and ty.name in ("Range", "RangeInclusive")


def range_seq(value: g.GoExpr, ty: t.Ty) -> g.GoExpr:
    """`value` of type `ty` as the `iter.Seq` it iterates: a range value's sequence
    (`gustRangeSeq(r)`), any other value as it is. Every place that iterates a value of an
    iterator type goes through it."""
    if not is_range(ty):
        return value
    if isinstance(value, g.Call) and g.render(value.fun) in ("gustRangeValueOf",
                                                              "gustRangeFromValue"):
        # written where it is iterated: the sequence alone
        fun = "gustRange" if g.render(value.fun) == "gustRangeValueOf" else "gustRangeFrom"
        return g.call(fun, *value.args)
    return g.call("gustRangeSeq", value)


def as_seq(em: FnEmitter, value: g.GoExpr, ty: t.Ty, e: ast.Expr) -> g.GoExpr:
    """An `IntoIterator` argument (`zip(&v)`, `chain(v)`, `extend(..)`) as an iter.Seq."""
    base = ty
    by_ref = False
    while isinstance(base, t.Ref):
        by_ref = True
        if em.types.ref_is_ptr(base):
            value = g.unary("*", value)
        base = base.inner
    user = user_seq(em, value, base) if not by_ref else None
    if user is not None:
        return user
    match base:
        case t.Adt(name="Iter" | "Range" | "RangeInclusive"):
            return range_seq(value, base)
        case t.Param(name=name) if name in em.types.seq_params and not by_ref:
            return value  # `B: Iterator` is an `iter.Seq` already
        case t.Adt(name="Vec", args=(elem,)) | t.Slice(elem=elem) | t.Array(elem=elem):
            if isinstance(base, t.Array):
                value = values.array_as_slice(value)
            if by_ref and em.types.is_struct(elem):
                return g.call("gustRefs", value)
            em.ctx.imports.add("slices")
            return g.call("slices.Values", value)
        case t.Adt(name="HashSet" | "BTreeSet" | "HashMap" | "BTreeMap"):
            from gust.codegen.std_calls import map_seq

            # A set's elements, a map's entries (`collect_all(tags)` for a `C: IntoIterator`).
            return map_seq(em, value, base, "keys" if base.name.endswith("Set") else "pairs",
                           by_ref)
    raise _unsupported(f"iterating a value of type `{ty}`", e)


def iter_method(em: FnEmitter, e: ast.MethodCall, recv: g.GoExpr, recv_ty: t.Ty,
                args: list[g.GoExpr], ret: t.Ty) -> g.GoExpr:
    name = e.name
    item = _item(recv_ty)
    if name == "partition" and isinstance(ret, t.Tuple) and ret.elems and \
            em.go(ret.elems[0]) != "[]" + em.go(item):
        raise _unsupported("`partition` of references into values", e)
    if name == "partition" and em.go(t.Ref(item, False)) != em.go(item):
        # The closure takes `&Item`, a pointer to a struct item: called with the address.
        x = em.temp("item")
        f = em.stable(args[0], em.ty(e.args[0]), "keep")
        args = [g.FuncLit(f"func({x} {em.go(item)}) bool",
                          ((f"\treturn {g.render(g.call(f, g.unary('&', g.ident(x))))}",
                            em.gl),))]
    if name in _BY_REF and args and not isinstance(item, t.Ref) and \
            em.go(t.Ref(item, False)) == "*" + em.go(item):
        # The closure takes `&Item`, a Go pointer to a struct item (`.copied().filter(|s|
        # ..)`, `.into_iter().max_by_key(|s| s.took)`): called with the item's address.
        args = [g.call("gustByRefDo" if name == "inspect" else "gustByRef", args[0]),
                *args[1:]]
    if name in ("sum", "product"):
        from gust.codegen import traits as code_traits

        try:
            by_impl = code_traits.sum_call(em.types, name, recv, item, ret)
        except Unsupported as exc:
            raise _unsupported(exc.what, e) from None
        if by_impl is not None:
            return by_impl  # the package type's `impl Sum<A>`
    if name in ("max_by", "min_by") and args and not isinstance(item, t.Ref) and \
            em.go(t.Ref(item, False)) == "*" + em.go(item):
        # `.into_iter().max_by(|a, b| ..)`: the closure compares two `&Item`s, pointers.
        args = [g.call("gustByRef2", args[0]), *args[1:]]
    inner = _deref(item)
    if name == "flatten" and isinstance(inner, t.Adt) and inner.name == "Option":
        # Options are iterators of zero or one value.
        go_item = em.go(item)
        return g.call("gustFlattenOptionRef" if go_item.startswith("*") else
                      "gustFlattenOption", recv)
    if name == "flatten" and isinstance(item, t.Ref) and em.go(_item(ret)).startswith("*") \
            and isinstance(inner, (t.Adt, t.Slice, t.Array)) and \
            em.go(inner).startswith("[]"):
        # `map.values().flatten()` over `&Vec<S>`: references to the elements, pointers
        # into each slice (not copies).
        return g.call("gustFlattenRefs", recv)
    if name in _CALLS:
        if name in ("max_by_key", "min_by_key") and not _ordered(em, _ret_of(em, e.args[0])):
            # Tuples, `Reverse`, package types: compared by the runtime's gustCmp.
            return g.call(_CALLS[name] + "Cmp", recv, *args)
        return g.call(_CALLS[name], recv, *args)
    match name:
        case "try_fold" if isinstance(ret, t.Adt) and ret.name in ("Option", "Result"):
            # Stops at the first `None`/`Err`, as Rust's `?` in the fold would.
            fn = "gustTryFoldOption" if ret.name == "Option" else "gustTryFoldResult"
            init = em.typed(args[0], ret.args[0])
            if em._addressable(e.receiver):
                # `it.try_fold(..)` on a variable: what it did not consume stays in `it`.
                seq = em._address(recv, e.receiver, em.ty(e.receiver))
                return g.call(fn + "At", seq, init, *args[1:])
            return g.call(fn, recv, init, *args[1:])
        case "zip" | "chain":
            other = as_seq(em, args[0], em.ty(e.args[0]), e.args[0])
            return g.call("gustZip" if name == "zip" else "gustChain", recv, other)
        case "for_each":
            return _for_each(em, recv, args)
        case "cloned" | "copied":
            if isinstance(item, t.Ref) and em.types.ref_is_ptr(item):
                if not em.types.is_plain(item.inner):
                    raise _unsupported(f"`{name}` of values that need a deep clone", e)
                return g.call("gustDeref", recv)
            if name == "cloned" and not em.types.is_plain(_deref(item)):
                return g.call("gustMap", recv, em.clone_fn(_deref(item)))
            return recv
        case "collect":
            return collect(em, e, recv, item, ret)
        case "sum" | "product" if isinstance(ret, t.Adt) and ret.name in ("Option", "Result"):
            if not isinstance(item, t.Adt) or item.args[:1] != ret.args[:1]:
                raise _unsupported(f"`{name}` of `{item}` into `{ret}`", e)
            fn = "gustSumOption" if ret.name == "Option" else "gustSumResult"
            return g.call(fn, recv, g.Atom("true" if name == "product" else "false"))
        case "sum" if ret == builtins.DURATION:
            return g.call("gustDurationSum", recv)  # panics as Rust's `Sum` of durations
        case "sum" | "product":
            if isinstance(item, t.Ref) and em.types.ref_is_ptr(item):
                raise _unsupported(f"`{name}` over references", e)
            fn = "gustSum" if name == "sum" else "gustProduct"
            return g.call(f"{fn}[{em.go(ret)}]", recv) if _needs_type(item, ret) else \
                g.call(fn, recv)
        case "peekable" | "into_iter":
            return recv  # an iterator is its own `IntoIterator`
        case "cycle":
            if not em.types.is_plain(item):
                raise _unsupported("`cycle` of values that need a deep clone", e)
            return g.call("gustCycle", recv)
        case "unzip":
            if isinstance(ret, t.Tuple) and len(ret.elems) == 2 and all(
                    isinstance(x, t.Adt) and x.name == "Vec" for x in ret.elems):
                return g.call("gustUnzip", recv)
            raise _unsupported(f"`unzip` into `{ret}`", e)
        case "flat_map":
            inner = _deref(_ret_of(em, e.args[0]))
            match inner:
                case t.Adt(name="Vec"):
                    return g.call("gustFlatMapSlice", recv, *args)
                case t.Adt(name="Option"):
                    return g.call("gustFlatMapOption", recv, *args)
                case t.Adt(name="Iter"):
                    return g.call("gustFlatMap", recv, *args)
                case t.Adt(name="Range" | "RangeInclusive"):
                    return g.call("gustFlatMapRange", recv, *args)
            raise _unsupported(f"`flat_map` to `{inner}`", e)
    raise _unsupported(f"the method `{name}`", e)


def _for_each(em: FnEmitter, recv: g.GoExpr, args: list[g.GoExpr]) -> g.GoExpr:
    """`it.for_each(f)`: a range loop calling f."""
    var = em.temp("x")
    body: list[s.GoStmt] = [s.Line(g.render(g.call(args[0], g.ident(var))), em.gl)]
    em.cur.append(s.For(f"{var} := range {g.render(recv)}", body, gline=em.gl))
    return g.Atom("struct{}{}")


def _needs_type(item: t.Ty, ret: t.Ty) -> bool:
    return _deref(item) != ret


def _deref(ty: t.Ty) -> t.Ty:
    while isinstance(ty, t.Ref):
        ty = ty.inner
    return ty


def _ordered(em: FnEmitter, ty: t.Ty) -> bool:
    """Whether Go's `<` orders values of `ty` (numbers, chars, strings, std's Duration)."""
    ty = _deref(ty)
    return isinstance(ty, (t.Int, t.Float, t.Char, t.Str)) or ty == t.STRING or \
        durations.is_duration(em, ty) or durations.is_instant(em, ty)


def _ret_of(em: FnEmitter, arg: ast.Expr) -> t.Ty:
    sig = em.types.callable(em.ty(arg))
    return sig.ret if sig is not None else t.ERROR


def collect(em: FnEmitter, e: ast.MethodCall, recv: g.GoExpr, item: t.Ty, ret: t.Ty
            ) -> g.GoExpr:
    match ret:
        case t.Adt(name="Vec" | "VecDeque"):
            em.ctx.imports.add("slices")
            return g.call("slices.Collect", recv)
        case t.Adt(name="BinaryHeap"):
            em.ctx.imports.add("slices")
            return g.call("gustHeapFrom", g.call("slices.Collect", recv))
        case t.Adt(name="String"):
            if _deref(item) == t.CHAR:
                return g.call("gustCollectString", recv)
            return g.call("gustConcat", recv)
        case t.Adt(name="HashMap" | "BTreeMap"):
            if em.types.coded_key(ret):  # keyed by a `Vec`: a `gustKeyMap`
                return g.call(f"gustCollectKeyMap[{em.go(ret.args[0])}]", recv)
            return g.call("gustCollectMap", recv)
        case t.Adt(name="HashSet" | "BTreeSet"):
            if em.types.coded_key(ret):
                return g.call(f"gustCollectKeySet[{em.go(ret.args[0])}]", recv)
            return g.call("gustCollectSet", recv)
        case t.Adt(name="Result", args=(t.Adt(name="Vec"), _)):
            return g.call("gustCollectResult", recv)
        case t.Adt(name="Option", args=(t.Adt(name="Vec"),)):
            return g.call("gustCollectOption", recv)
    raise _unsupported(f"`collect` into `{ret}`", e)


# ---------------------------------------------------------------- chains as plain loops
#
# A chain consumed where it is written (`for x in v.iter().filter(..)`, `let total: i32 =
# v.iter().map(..).sum()`) whose source is a Vec/slice/array, a range or `chars()`, whose
# adapters are `map`, `filter` and `enumerate` with closure literals, becomes one Go loop:
# the closures' bodies are written inline, a `filter` is a `continue`.
#
#     total := int32(0)
#     for _, x := range values {
#         if !(x > 2) {
#             continue
#         }
#         total += x * 2
#     }

_STAGES: Final = ("map", "filter", "enumerate", "cloned", "copied")
_FUSED_CONSUMERS: Final = ("sum", "count", "collect", "any", "all", "position", "fold", "max", "min")


@dataclass
class _Chain:
    source: ast.MethodCall | ast.Range
    stages: list[ast.MethodCall]
    # Go names of the locals the whole chain uses: a loop variable must not hide them.
    used: set[str] = field(default_factory=set)


def _chain(em: FnEmitter, it: ast.Expr, root: ast.Expr | None = None) -> _Chain | None:
    chain = _chain_of(em, it)
    if chain is not None:
        chain.used = {em.local_go[u] for u in em.uses_in(root or it) if u in em.local_go}
    return chain


def _chain_of(em: FnEmitter, it: ast.Expr) -> _Chain | None:
    stages: list[ast.MethodCall] = []
    cur = _strip(it)
    while isinstance(cur, ast.MethodCall) and cur.name in _STAGES:
        res = em.br.methods.get(cur)
        if res is None or not res.builtin or res.owner != "Iter":
            return None
        if cur.name in ("map", "filter") and not _inlinable(em, cur.args[0]):
            return None
        if cur.name in ("cloned", "copied"):
            item = _item(em.ty(cur.receiver))
            if (isinstance(item, t.Ref) and em.types.ref_is_ptr(item)) or \
                    not em.types.is_plain(_deref(item)):
                return None
        stages.append(cur)
        cur = _strip(cur.receiver)
    stages.reverse()
    if isinstance(cur, ast.Range) and cur.lo is not None and cur.hi is not None and \
            isinstance(_item(em.ty(cur)), t.Int):
        return _Chain(cur, stages)
    if isinstance(cur, ast.MethodCall) and not cur.args:
        res = em.br.methods.get(cur)
        if res is not None and res.builtin and (
                (res.owner in ("Vec", "slice") and cur.name in ("iter", "into_iter")) or
                (res.owner == "str" and cur.name == "chars")):
            return _Chain(cur, stages)
    return None


def _inlinable(em: FnEmitter, arg: ast.Expr) -> bool:
    """A closure literal whose body can be written inside the loop: one parameter bound
    by a plain pattern, and no `return` or `?` (they would leave the enclosing function)."""
    arg = _strip(arg)
    if not isinstance(arg, ast.Closure) or len(arg.params) != 1:
        return False
    escaping = (ast.Return, ast.Try, ast.Closure)
    return not any(isinstance(n, escaping) for n in em.nodes.walk(arg.body))


def _strip(e: ast.Expr) -> ast.Expr:
    while isinstance(e, ast.Paren):
        e = e.inner
    return e


# A value flowing through the chain: one Go expression, or the two halves of an
# `enumerate` pair (kept apart, so that `|(i, x)|` binds them without a Tuple2).
_Value = g.GoExpr | tuple[g.GoExpr, g.GoExpr]


def _emit_loop(em: FnEmitter, chain: _Chain, label: str | None,
               consume: Callable[[_Value, t.Ty], None]) -> None:
    """The loop over the chain's source, its stages inline, `consume` for each item."""
    em.scopes.append(set())  # the loop's own names (Go scopes them to the `for`)
    try:
        _loop(em, chain, label, consume)
    finally:
        em.scopes.pop()


def _loop(em: FnEmitter, chain: _Chain, label: str | None,
          consume: Callable[[_Value, t.Ty], None]) -> None:
    stages = list(chain.stages)
    header, prelude, value, ty, indexed = _source(em, chain.source,
                                                  stages[0] if stages else None, chain.used)
    if indexed:  # `v.iter().enumerate()`: Go's range index is the count
        ty = _item(em.ty(stages[0]))
        stages = stages[1:]
    counters = [em.temp("n") for st in stages if st.name == "enumerate"]
    for name in counters:
        em.line(f"{name} := 0")
    with em.block() as body:
        em.cur.extend(prelude)
        k = 0
        for st in stages:
            out_ty = _item(em.ty(st))
            if st.name in ("cloned", "copied"):
                ty = out_ty  # a copy of a Go value is the value
                continue
            if st.name == "enumerate":
                index = g.ident(em.temp("i"))
                em.line(f"{g.render(index)} := {counters[k]}")
                em.line(f"{counters[k]}++")
                k += 1
                value = (index, _single(em, value, ty))
                ty = out_ty
                continue
            closure = _strip(st.args[0])
            assert isinstance(closure, ast.Closure)
            closure_ty = em.ty(closure)
            param_ty = closure_ty.params[0] if isinstance(closure_ty, t.Closure) else ty
            if st.name == "filter" and isinstance(param_ty, t.Ref) and \
                    em.types.ref_is_ptr(param_ty) and not isinstance(ty, t.Ref) and \
                    not isinstance(value, tuple):
                # `.map(|m| m.version).filter(|v| *v >= want)`: the filter's `&V` is a
                # pointer to the mapped value.
                if not (isinstance(value, g.Atom) and value.text.isidentifier()):
                    value = g.ident(em.define_temp(value, ty, "item"))
                _bind_param(em, closure.params[0].pat, g.unary("&", value), param_ty)
            else:
                _bind_param(em, closure.params[0].pat, value, param_ty)
            if st.name == "filter":
                cond = em.expr(closure.body)
                with em.block() as skip:
                    em.line("continue", "continue")
                em.cur.append(s.If(g.render(g.negate(cond), header=True), skip, None, em.gl))
            else:
                result = em.expr(closure.body)
                if not isinstance(result, g.Atom) and st is not stages[-1]:
                    result = g.ident(em.define_temp(result, out_ty, "mapped"))
                value, ty = result, out_ty
        consume(value, ty)
    header, body = _drop_unused(header, body, prelude)
    em.cur.append(s.For(header, body, label, gline=em.gl))


def _drop_unused(header: str, body: list[s.GoStmt], prelude: list[s.GoStmt]
                 ) -> tuple[str, list[s.GoStmt]]:
    """Go rejects unused loop variables: `for _, x := range v` whose body does not read x
    becomes `for range v` (and `&v[i]` that nothing reads is dropped)."""
    from gust.codegen.body import _mentions

    if " := range " not in header:
        return header, body
    names_, source = header.split(" := range ", 1)

    def text_of(stmts: list[s.GoStmt]) -> str:
        lines: list[tuple[str, int | None]] = []
        s.render(stmts, 0, lines)
        return "\n".join(line for line, _ in lines)

    rest = body[len(prelude):]
    text = text_of(rest)
    if prelude and not any(_mentions(text, n) for n in _declared(prelude)):
        body = rest
    else:
        text = text_of(body)
    used = [n for n in names_.split(", ") if n != "_" and _mentions(text, n)]
    parts = names_.split(", ")
    if not used:
        return f"range {source}", body
    if len(parts) == 2 and parts[1] not in used:
        return f"{parts[0]} := range {source}", body
    return header, body


def _declared(stmts: list[s.GoStmt]) -> list[str]:
    return [x.text.split(" := ")[0] for x in stmts if isinstance(x, s.Line) and " := " in x.text]


def _single(em: FnEmitter, value: _Value, ty: t.Ty) -> g.GoExpr:
    if isinstance(value, tuple):
        return g.tuple_lit(em.go(ty), value)
    return value


def _bind_param(em: FnEmitter, pat: ast.Pat, value: _Value, ty: t.Ty,
                declare: bool = False) -> None:
    from gust.codegen.closures import _through_refs

    pat = _through_refs(em, pat, ty)
    while isinstance(ty, t.Ref) and not em.types.ref_is_ptr(ty):
        ty = ty.inner
    if isinstance(value, tuple) and isinstance(pat, ast.TuplePat) and len(pat.elems) == 2 \
            and isinstance(ty, t.Tuple):
        for p, v, pty in zip(pat.elems, value, ty.elems, strict=True):
            _bind_param(em, p, v, pty, declare)
        return
    single = _single(em, value, ty)
    if isinstance(pat, ast.IdentPat) and pat.sub is None and pat in em.br.bindings and \
            isinstance(single, g.Atom) and not pat.by_ref and (
                not declare or single.text == pat.name or not single.text.isidentifier()):
        em.override[em.br.bindings[pat]] = single  # the loop variable itself
        return
    em.bind_irrefutable(pat, single, ty)


def _param_name(em: FnEmitter, stage: ast.MethodCall | None, used: set[str]) -> str | None:
    """The Go name of the first closure's parameter, declared for the loop variable (the
    parameter then names it: `for _, x := range v` for `v.iter().map(|x| ..)`)."""
    if stage is None or stage.name not in ("map", "filter") or not stage.args:
        return None
    closure = _strip(stage.args[0])
    if not isinstance(closure, ast.Closure):
        return None
    closure_ty = em.ty(closure)
    if not isinstance(closure_ty, t.Closure):
        return None
    from gust.codegen.closures import _through_refs

    pat = _through_refs(em, closure.params[0].pat, closure_ty.params[0])
    if isinstance(pat, ast.IdentPat) and pat.sub is None and pat in em.br.bindings and \
            not pat.by_ref:
        return _loop_temp(em, em.br.locals[em.br.bindings[pat]].name, used)
    return None


def _loop_temp(em: FnEmitter, base: str, used: set[str]) -> str:
    """A name for a variable of the loop: free in the enclosing Go scopes (names of loops
    that ended may be reused) and not a local the chain uses."""
    from gust.codegen import names

    n = 1
    while True:
        name = base if n == 1 else f"{base.rstrip('_')}{n}"
        n += 1
        if names.is_reserved(name) or name in used or name in em.env.fns or \
                name in em.env.consts or name in em.env.structs or name in em.env.enums or \
                any(name in scope for scope in em.scopes):
            continue
        em.scopes[-1].add(name)
        em.taken.add(name)
        return name


def may_pass_max(ty: t.Ty, hi: int | None, inclusive: bool, step: int | None) -> bool:
    """Whether counting up to `hi` (included or not) by `step` may step past the integer
    type's largest value, where Go's `i++` wraps around and `i <= hi` holds again: `0u8..=255`,
    `(250u8..255).step_by(10)`, a bound known only at run time of a type narrower than 64
    bits. (A 64-bit bound known only at run time is taken to be below the maximum.)"""
    if not isinstance(ty, t.Int) or (step == 1 and not inclusive):
        return False
    top = literals.int_range(ty.kind.replace("size", "64"))[1]
    last = (hi if inclusive else hi - 1) if hi is not None else None
    if last is None or step is None:
        return ty.kind not in ("i64", "u64", "isize", "usize")
    return last + step > top


def flagged_range(var: str, done: str, init: str, end: g.GoExpr, go_ty: str,
                   inclusive: bool, step: g.GoExpr | None) -> tuple[str, g.GoExpr, str]:
    """The init, condition and post statement of a loop counting up to `end` that stops on
    a flag set before the counter would pass the type's largest value (`done`, computed
    from the counter before it is stepped)."""
    unsigned = go_ty if go_ty.startswith("u") else "u" + go_ty
    if step is None:
        last = f"{var} == {g.render(end)}" if inclusive else f"{var}+1 == {g.render(end)}"
        post = f"{var}, {done} = {var}+1, {last}"
    else:  # the distance left is less than (inclusive) or at most one step
        left = f"{unsigned}({g.render(end)}-{var})"
        post = f"{var}, {done} = {var}+{g.render(step)}, {left} {'<' if inclusive else '<='} " \
               f"{unsigned}({g.render(step)})"
    name, _, value = init.partition(" := ")
    init = f"{name}, {done} := {value}, false"
    cond = g.binary("&&", g.Atom("!" + done), g.binary("<=" if inclusive else "<",
                                                         g.ident(var), end))
    return init, cond, post


def _source(em: FnEmitter, src: ast.MethodCall | ast.Range, first: ast.MethodCall | None,
            used: set[str]) -> tuple[str, list[s.GoStmt], _Value, t.Ty, bool]:
    """The loop header, statements starting the body, the item value and its type, and
    whether the first stage (an `enumerate` of a slice) is Go's range index."""
    if isinstance(src, ast.Range):
        assert src.lo is not None and src.hi is not None
        elem = _item(em.ty(src))
        lo, hi = em.exprs([src.lo, src.hi])
        var = _param_name(em, first, used) or _loop_temp(em, "i", used)
        if not g.is_pure(hi):
            hi = g.ident(em.define_temp(hi, elem, "end"))
        op = "<=" if src.inclusive else "<"
        init = f"{var} := {g.render(em.typed(lo, elem))}"
        cond: g.GoExpr = g.binary(op, g.ident(var), hi)
        post = f"{var}++"
        if may_pass_max(elem, em._const_int(src.hi), src.inclusive, 1):  # `0u8..=255`
            init, cond, post = flagged_range(var, _loop_temp(em, "done", used), init, hi,
                                             em.go(elem), src.inclusive, None)
        return f"{init}; {g.render(cond)}; {post}", [], g.ident(var), elem, False
    recv = em.method_receiver(src)
    item = _item(em.ty(src))
    if src.name == "chars":  # Go's range over a string yields runes: each one a `Char`
        var = _param_name(em, first, used) or _loop_temp(em, "c", used)
        return f"_, {var} := range {g.render(recv)}", [], g.conversion("Char", g.ident(var)), \
            item, False
    if isinstance(_deref(em.ty(src.receiver)), t.Array):
        recv = values.array_as_slice(recv)
    indexed = first is not None and first.name == "enumerate"
    var = _param_name(em, first, used) or _loop_temp(em, "x", used)
    coll = _deref(em.ty(src.receiver))
    coll_elem = coll.args[0] if isinstance(coll, t.Adt) and coll.args else \
        coll.elem if isinstance(coll, (t.Slice, t.Array)) else None
    if isinstance(item, t.Ref) and em.types.ref_is_ptr(item) and coll_elem != item:
        # `v.iter()` of structs: a pointer to each element (not `into_iter()` of a
        # `Vec<&S>`, whose elements are the pointers)
        recv = em.stable(recv, t.Slice(item), "items")
        index = _loop_temp(em, "i", used)
        prelude: list[s.GoStmt] = [
            s.Line(f"{var} := &{g.render(g.index(recv, g.ident(index)))}", em.gl)]
        value: _Value = (g.ident(index), g.ident(var)) if indexed else g.ident(var)
        return f"{index} := range {g.render(recv)}", prelude, value, item, indexed
    index = _loop_temp(em, "i", used) if indexed else "_"
    value = (g.ident(index), g.ident(var)) if indexed else g.ident(var)
    return f"{index}, {var} := range {g.render(recv)}", [], value, item, indexed


def fuse_for(em: FnEmitter, e: ast.For, it: ast.Expr, label: str) -> bool:
    """`for pat in <chain>`: one Go loop (False when the chain cannot be fused)."""
    from gust.codegen.body import DISCARD

    chain = _chain(em, it, e)
    if chain is None or not chain.stages:
        return False
    item_ty = em.br.pat_types.get(e.pat, t.ERROR)

    def consume(value: _Value, ty: t.Ty) -> None:
        # The body may declare names of its own: the pattern's variables are declared too
        # (unless the loop variable has the pattern's name already).
        _bind_param(em, e.pat, value, item_ty, declare=True)
        em.block_stmts(e.body, DISCARD)

    saved = dict(em.override)
    try:
        _emit_loop(em, chain, label, consume)
    finally:
        em.override = saved
    return True


def fusible_consumer(em: FnEmitter, e: ast.Expr) -> bool:
    e = _strip(e)
    if not isinstance(e, ast.MethodCall) or e.name not in _FUSED_CONSUMERS:
        return False
    res = em.br.methods.get(e)
    if res is None or not res.builtin or res.owner != "Iter":
        return False
    ret = em.ty(e)
    match e.name:
        case "collect":
            if not (isinstance(ret, t.Adt) and ret.name == "Vec"):
                return False
        case "max" | "min":
            if not _ordered(em, _item(em.ty(e.receiver))) or (isinstance(
                    _item(em.ty(e.receiver)), t.Ref) and em.types.ref_is_ptr(
                        _item(em.ty(e.receiver)))):
                return False
        case "any" | "all" | "position":
            if not _inlinable(em, e.args[0]):
                return False
        case "fold":
            closure = _strip(e.args[1])
            if not isinstance(closure, ast.Closure) or len(closure.params) != 2 or \
                    not isinstance(closure.params[0].pat, ast.IdentPat):
                return False
            escaping = (ast.Return, ast.Try, ast.Closure)
            if any(isinstance(n, escaping) for n in em.nodes.walk(closure.body)):
                return False
        case "sum":
            item = _item(em.ty(e.receiver))
            if isinstance(item, t.Ref) and em.types.ref_is_ptr(item):
                return False
            if not t.is_numeric(ret):
                return False  # Options, Results: gustSumOption, gustSumResult
    return _chain(em, e.receiver) is not None


_RESULT_NAMES: Final = {"sum": "total", "count": "count", "collect": "items", "any": "found",
                 "all": "every", "position": "position", "fold": "acc", "max": "best",
                 "min": "best"}


def fuse_consumer(em: FnEmitter, e: ast.MethodCall, target: str | None = None) -> g.GoExpr:
    """A consumer at the end of a fusible chain (see `fusible_consumer`): its result
    variable (`target`, or a new one), computed by one loop."""
    chain = _chain(em, e.receiver, e)
    assert chain is not None
    ret = em.ty(e)
    name = target or em.temp(_RESULT_NAMES[e.name])
    acc = g.ident(name)
    lp_label = em.label(None)
    consume: Callable[[_Value, t.Ty], None]
    match e.name:
        case "sum" | "count" | "collect" | "max" | "min":
            if e.name == "sum" and isinstance(ret, t.Float):
                # Rust's float `Sum` starts at -0.0 (an empty sum is -0.0).
                em.ctx.imports.add("math")
                em.line(f"{name} := {em.go(ret)}(math.Copysign(0, -1))")
            else:
                em.line(f"var {name} {em.go(ret)}")

            def consume(value: _Value, ty: t.Ty) -> None:
                v = _single(em, value, ty)
                if e.name == "sum" and isinstance(ret, t.Int):
                    # Rust's `Sum` of integers panics on overflow (debug builds).
                    from gust.codegen.body import _checked_fn

                    added = g.call(_checked_fn("+", ret), acc, _deref_value(em, v, ty))
                    em.line(f"{name} = {g.render(added)}")
                elif e.name == "sum":
                    em.line(f"{name} += {g.render(_deref_value(em, v, ty))}")
                elif e.name == "count":
                    em.line(f"{name}++")
                elif e.name == "collect":
                    em.line(f"{name} = {g.render(g.call('append', acc, v))}")
                else:
                    v = em.stable(v, ty, "x")
                    op = ">=" if e.name == "max" else "<"
                    better = g.binary("||", g.negate(g.selector(acc, "IsSome")),
                                      g.binary(op, v, g.selector(acc, "Value")))
                    with em.block() as then:
                        em.line(f"{name} = {g.render(g.call('Some', v))}")
                    em.cur.append(s.If(g.render(better, header=True), then, None, em.gl))
        case "any" | "all":
            em.line(f"{name} := {'false' if e.name == 'any' else 'true'}")
            closure = _closure_arg(e, 0)

            def consume(value: _Value, ty: t.Ty) -> None:
                _bind_param(em, closure.params[0].pat, value, _param0(em, closure, ty))
                cond = em.expr(closure.body)
                with em.block() as then:
                    em.line(f"{name} = {'true' if e.name == 'any' else 'false'}")
                    em.line("break", "break")
                test = cond if e.name == "any" else g.negate(cond)
                em.cur.append(s.If(g.render(test, header=True), then, None, em.gl))
        case "position":
            em.line(f"var {name} {em.go(ret)}")
            counter = em.temp("n")
            em.line(f"{counter} := 0")
            closure = _closure_arg(e, 0)

            def consume(value: _Value, ty: t.Ty) -> None:
                _bind_param(em, closure.params[0].pat, value, _param0(em, closure, ty))
                cond = em.expr(closure.body)
                with em.block() as then:
                    em.line(f"{name} = Some({counter})")
                    em.line("break", "break")
                em.cur.append(s.If(g.render(cond, header=True), then, None, em.gl))
                em.line(f"{counter}++")
        case _:  # fold
            closure = _closure_arg(e, 1)
            init = em.adapt(em.expr(e.args[0]), em.ty(e.args[0]), ret)
            em.define(name, init, ret)
            acc_pat = closure.params[0].pat
            assert isinstance(acc_pat, ast.IdentPat)

            def consume(value: _Value, ty: t.Ty) -> None:
                if acc_pat in em.br.bindings:
                    em.override[em.br.bindings[acc_pat]] = acc
                closure_ty = em.ty(closure)
                item_ty = closure_ty.params[1] if isinstance(closure_ty, t.Closure) else ty
                _bind_param(em, closure.params[1].pat, value, item_ty)
                em.line(f"{name} = {g.render(em.adapt(em.expr(closure.body), ret, ret))}")
    saved = dict(em.override)
    try:
        _emit_loop(em, chain, None, consume)
    finally:
        em.override = saved
    del lp_label
    return acc


def _closure_arg(e: ast.MethodCall, i: int) -> ast.Closure:
    closure = _strip(e.args[i])
    assert isinstance(closure, ast.Closure)  # checked by `fusible_consumer`
    return closure


def _param0(em: FnEmitter, closure: ast.Closure, ty: t.Ty) -> t.Ty:
    closure_ty = em.ty(closure)
    return closure_ty.params[0] if isinstance(closure_ty, t.Closure) else ty


def _deref_value(em: FnEmitter, value: g.GoExpr, ty: t.Ty) -> g.GoExpr:
    while isinstance(ty, t.Ref):
        if em.types.ref_is_ptr(ty):
            value = g.unary("*", value)
        ty = ty.inner
    return value


# ---------------------------------------------------------------- the package's iterators


def user_item(em: FnEmitter, ty: t.Ty) -> t.Ty | None:
    """The `Item` of a package type with an `impl Iterator` (or a `&mut` of one)."""
    from gust.sema import traits

    if isinstance(ty, t.Ref) and ty.mutable:
        ty = ty.inner
    if not isinstance(ty, t.Adt) or ty.name not in em.env.type_names():
        return None
    # (In a generic impl, `Wrapper<I>`'s impl needs the impl's `I: Iterator`.)
    found = traits.impl_for(ty, "Iterator", em.env, traits.fn_assumptions(em.env, em.fn))
    if found is None:
        return None
    impl, subst = found
    item = dict(impl.assoc).get("Item")
    return t.substitute(item, subst) if item is not None else None


def user_seq(em: FnEmitter, value: g.GoExpr, ty: t.Ty, kept: bool = False,
             moved: bool = False) -> g.GoExpr | None:
    """A package iterator as an `iter.Seq`: `gustSeq(it.next)` (its `next` method value,
    so the Seq advances the iterator's own state). `kept`: a Seq that may be stored where
    Rust has the iterator itself (a field of an erased `I: Iterator`, generics.erased_field),
    which the runtime can give back as the iterator (`gustSeqAt(&it, it.next)`,
    `source_of`). `moved`: the value is moved (or copied) into an adapter (`c.map(f)`):
    a `Clone` struct is stepped as a clone each `range` makes (`gustSeqCopy(c,
    (*Countdown).next)`, Go's copy when it is Rust's clone), so a clone of the adapter
    (`gustIterClone`) starts where the value did, and a `Copy` one stays as it was."""
    if user_item(em, ty) is None:
        return None
    if moved and not kept and isinstance(ty, t.Adt) and em.types.is_struct(ty):
        from gust.sema import traits as sema_traits

        next_ = g.Atom(f"(*{em.go(ty)}).next")
        if em.types.is_plain(ty):
            return g.call("gustSeqCopy", value, next_)
        if sema_traits.implements(ty, "Clone", em.env, sema_traits.fn_assumptions(em.env,
                                                                                  em.fn)):
            return g.call("gustSeqCloned", value, values.clone_fn(em.ctx, ty), next_)
    if isinstance(ty, t.Ref):
        target = value  # already a pointer
    elif isinstance(value, g.Atom) and value.text.isidentifier():
        target = value  # Go takes the address of a variable for a pointer method
    else:
        target = g.ident(em.define_temp(value, ty, "iter"))
    if kept:
        pointer = target if isinstance(ty, t.Ref) else g.unary("&", target)
        return g.call("gustSeqAt", pointer, g.selector(target, "next"))
    return g.call("gustSeq", g.selector(target, "next"))


def seq_of_source(place: g.GoExpr) -> g.GoExpr | None:
    """The Seq of a `source_of` place (`p.it` of `*gustSeqSource[Countdown](p.it)`), None
    for another place."""
    if isinstance(place, g.Unary) and place.op == "*" and isinstance(place.x, g.Call) and \
            isinstance(place.x.fun, g.Atom) and place.x.fun.text.startswith("gustSeqSource[") \
            and len(place.x.args) == 1:
        return place.x.args[0]
    return None


def source_of(em: FnEmitter, seq: g.GoExpr, ty: t.Ty) -> g.GoExpr:
    """The package iterator (of type `ty`) that Go holds as the Seq `seq` (`user_seq`'s
    kept ones): `*gustSeqSource[Countdown](p.it)`, a place that reads and steps it."""
    return g.unary("*", g.call(f"gustSeqSource[{em.go(ty)}]", seq))


def user_into_iter(em: FnEmitter, it: ast.Expr) -> g.GoExpr | None:
    """`for x in &coll` / `for x in coll` over a package type with `impl IntoIterator` (for
    it or for a reference to it): its `into_iter` method's iterator, as an `iter.Seq`."""
    from gust.codegen.traits import impl_method_go_name
    from gust.sema import traits as sema_traits

    ty = em.ty(it)
    inner = ty.inner if isinstance(ty, t.Ref) else ty
    if not (isinstance(inner, t.Adt) and inner.name in em.env.type_names()):
        return None
    found = sema_traits.impl_for(ty, "IntoIterator", em.env, sema_traits.fn_assumptions(em.env, em.fn))
    if found is None:
        return None
    impl, subst = found
    name = impl_method_go_name(em.types, impl, "into_iter")
    recv = em.expr(it)
    if isinstance(recv, g.Composite):
        recv = g.Paren(recv)  # (`range (Countdown{3}).into_iter()`: Go's for header)
    seq = g.call(g.selector(recv, name))
    into = dict(impl.assoc).get("IntoIter")
    user = user_seq(em, seq, t.substitute(into, subst)) if into is not None else None
    return user if user is not None else seq


def into_iter_call(em: FnEmitter, e: ast.MethodCall, res: MethodRes) -> g.GoExpr:
    """`coll.into_iter()` with a package `impl IntoIterator` (for `coll`'s type, or for a
    reference to it: `res.autoref`, as the checker's probe found it)."""
    from gust.codegen.traits import impl_method_go_name
    from gust.sema import traits as sema_traits

    ty = em.ty(e.receiver)
    probe = ty if not res.autoref else t.Ref(ty, res.autoref == "&mut")
    found = sema_traits.impl_for(probe, "IntoIterator", em.env, sema_traits.fn_assumptions(em.env, em.fn))
    if found is None:
        raise _unsupported("this `into_iter` call", e)
    recv = em.expr(e.receiver)
    if res.autoref:
        recv = em._address(recv, e.receiver, ty)
    return g.call(g.selector(recv, impl_method_go_name(em.types, found[0], "into_iter")))


def user_by_ref(em: FnEmitter, e: ast.MethodCall, recv: g.GoExpr, recv_ty: t.Ty
                ) -> g.GoExpr:
    """`it.by_ref()` on a package iterator: a pointer to it."""
    if isinstance(recv_ty, t.Ref):
        return recv
    return em._address(recv, e.receiver, recv_ty)
