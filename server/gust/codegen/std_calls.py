"""Std associated functions, free functions and methods beyond `Vec`'s and `Option`'s:
`Box`, `HashMap`/`HashSet` (Go maps), `str`/`char` methods, `parse`, `std::env::args`,
`std::process::exit`, `std::mem`.

A `HashMap<K, V>` is a Go `map[K]V` and a `HashSet<T>` a `map[T]struct{}`; a map is a
reference in Go, so `&mut HashMap` is the map itself. Methods whose result is unused are
plain statements (`m[k] = v`, `delete(m, k)`); used results go through small runtime
functions (`gustMapInsert` returns the previous value as an `Option`). The entry API is
lowered to the map place itself: `*m.entry(k).or_insert(5) *= 2` is

    if _, ok := m[k]; !ok {
        m[k] = 5
    }
    m[k] = gustMul(m[k], 2)

(a zero default needs no insertion; `+=` and `-=` update in place: gust.codegen.map_updates).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

from gust.codegen import durations, int_methods, iterators, pointer_maps, wide_ints
from gust.codegen import goast as g
from gust.codegen import gostmt as s
from gust.codegen.gotypes import Unsupported
from gust.codegen.values import array_as_slice, eq_expr, eq_fn
from gust.sema import types as t
from gust.syntax import ast
from gust.syntax.walk import walk

if TYPE_CHECKING:
    from gust.codegen.body import FnEmitter


def _unsupported(what: str, e: ast.Expr) -> Exception:
    from gust.codegen.body import UnsupportedAt

    return UnsupportedAt(what, e.span)


def _args(ty: t.Ty) -> tuple[t.Ty, ...]:
    return ty.args if isinstance(ty, t.Adt) else ()


# ---------------------------------------------------------------- associated functions


def assoc(em: FnEmitter, owner: str, name: str, e: ast.Call, args: list[g.GoExpr]
          ) -> g.GoExpr:
    ty = em.ty(e)
    match owner, name:
        case ("HashMap" | "HashSet"), ("new" | "with_capacity"):
            return g.Composite(em.go(ty), ())
        case "Box", "new":
            inner = _args(ty)[0] if _args(ty) else t.ERROR
            value = em.adapt(args[0], em.ty(e.args[0]), inner)
            if em.types.is_struct(inner):
                if isinstance(value, g.Composite):
                    return g.unary("&", value)
                return em._address(value, e.args[0], inner)
            return value
        case "env", "args":
            em.ctx.imports.update({"os", "slices"})
            return g.call("slices.Values", g.Atom("os.Args"))
        case "process", "exit":
            em.ctx.imports.add("os")
            return g.call("os.Exit", g.conversion("int", args[0]))
        case "mem", "drop":
            dropped = em.ty(e.args[0]) if e.args else t.UNIT
            if isinstance(dropped, t.Adt) and dropped.name in ("MutexGuard", "RwLockReadGuard",
                                                               "RwLockWriteGuard"):
                # `let g = m.lock().unwrap(); ..; drop(g);` in one block: unlocked here
                # (concurrency.guard_drops). Elsewhere its unlock is at the end of its scope:
                # ignoring the `drop` would hold the lock on (a deadlock at the next lock).
                lock = em.guard_drops.get(id(e))
                unlock = em.guard_unlocks.get(id(lock)) if lock is not None else None
                if unlock is None:
                    raise _unsupported(f"`drop` of a `{dropped.name}` other than one bound by "
                                       "`let` in the same block", e)
                if args and isinstance(args[0], g.Atom) and args[0].text.isidentifier():
                    em.line(f"_ = {args[0].text}")
                em.line(unlock)
                return g.Atom("struct{}{}")
            if args and isinstance(args[0], g.Atom) and args[0].text.isidentifier():
                em.line(f"_ = {args[0].text}")  # Go: a variable must be used
            return g.Atom("struct{}{}")
        case "str", "from_utf8":
            return g.call("gustStrFromUtf8", args[0])
        case "mem", "discriminant":
            return _discriminant(em, e, args[0])
        case "mem", "swap":
            a, b = g.unary("*", args[0]), g.unary("*", args[1])
            em.line(f"{g.render_list([a, b])} = {g.render_list([b, a])}")
            return g.Atom("struct{}{}")
        case "mem", "replace" | "take":
            target = g.unary("*", args[0])
            old = em.temp("old")
            em.line(f"{old} := {g.render(target)}")
            if name == "replace":
                em.line(f"{g.render(target)} = {g.render(args[1])}")
            else:
                em.line(f"{g.render(target)} = {g.render(_zero(em, ty))}")
            return g.ident(old)
        case "cmp", "max" | "min":
            if not isinstance(ty, (t.Int, t.Float, t.Char, t.Str)) and ty != t.STRING:
                # Tuples, `Reverse`, package types: Go's `max` orders only its basic types.
                cmp_fn = "gustMaxCmp" if name == "max" else "gustMinCmp"
                return g.call(f"{cmp_fn}[{em.go(ty)}]", *args)
            return g.call(name, *[em.typed(a, ty) for a in args])
        case "cmp", "Reverse":
            inner = _args(ty)[0] if _args(ty) else t.ERROR
            return g.Composite(em.go(ty), (em.adapt(args[0], em.ty(e.args[0]), inner),))
        case "iter", "once":
            return g.call("gustOnce", em.typed(args[0], _args(ty)[0] if _args(ty) else t.ERROR))
        case "iter", "repeat":
            item = _args(ty)[0] if _args(ty) else t.ERROR
            if not em.types.is_plain(item):
                raise _unsupported("`repeat` of a value that needs a deep clone", e)
            return g.call("gustRepeatSeq", em.typed(args[0], item))
        case "iter", "empty":
            return g.call(f"gustEmpty[{em.go(_args(ty)[0] if _args(ty) else t.ERROR)}]")
        case "array", "from_fn":
            return _array_from_fn(em, e, ty, args[0])
        case "iter", "from_fn":
            return g.call("gustFromFn", args[0])
        case "iter", "repeat_with":
            return g.call("gustRepeatWith", args[0])
        case "iter", "successors":
            # The closure takes `&T`: a pointer where that is Go's form of it (a struct).
            item = _args(ty)[0] if _args(ty) else t.ERROR
            by_ptr = em.types.ref_is_ptr(t.Ref(item, False))
            return g.call("gustSuccessorsRef" if by_ptr else "gustSuccessors", *args)
        case "Duration", _:
            timed = durations.assoc(em, name, e, args)
            if timed is not None:
                return timed
        case "Instant", "now" if durations.is_instant(em, ty):
            return g.call("gustInstantNow")
        case "RangeInclusive", "new" if "RangeInclusive" not in em.env.structs:
            elem = _args(ty)[0] if _args(ty) else t.ERROR
            return g.call("gustRangeValueOf", em.typed(args[0], elem), em.typed(args[1], elem),
                          g.Atom("true"))
        case "DefaultHasher", ("new" | "default") if "DefaultHasher" not in em.env.structs:
            return g.call("gustNewSipHasher")
        case "Bound", ("Included" | "Excluded"):
            # std::ops::Bound (the runtime's gustBound: Kind 0 is `Unbounded`)
            inner = _args(ty)[0] if _args(ty) else t.ERROR
            kind = "1" if name == "Included" else "2"
            return g.Composite(em.go(ty), (
                g.KeyValue("Kind", g.Atom(kind, "int")),
                g.KeyValue("Value", em.adapt(args[0], em.ty(e.args[0]), inner))))
        case "Cow", ("Borrowed" | "Owned"):
            # std::borrow::Cow<str>: the runtime's gustCow, the text and its variant
            text = em.adapt(args[0], em.ty(e.args[0]),
                            t.STR_REF if name == "Borrowed" else t.STRING)
            owned = "true" if name == "Owned" else "false"
            return g.Composite("gustCow", (g.KeyValue("Text", text),
                                           g.KeyValue("Owned", g.Atom(owned))))
        case "thread", "sleep":
            return g.call("gustSleep", args[0])
        case "char", "from_digit":
            return g.call("gustCharFromDigit", *args)
        case "char", "from_u32":
            return g.call("gustCharFromU32", *args)
        case _, ("from_le_bytes" | "from_be_bytes" | "from_ne_bytes" | "from_bits") if \
                (found := int_methods.from_bytes(em, name, args[0],
                                                 t.PRIMITIVES.get(owner, t.ERROR))) is not None:
            return found
        case _, "from_str_radix" if owner in t.INT_KINDS:
            em.ctx.site(e.span.start, "p")  # a radix outside 2..=36 panics
            if owner == "usize":  # a Go `int`: parsed as a `u64` (no sign)
                return g.call("gustParseUsizeRadix", *args)
            return g.call(f"gustParseIntRadix[{em.go(t.Int(owner))}]", *args)
    raise _unsupported(f"`{owner}::{name}`", e)


def _array_from_fn(em: FnEmitter, e: ast.Call, ty: t.Ty, f: g.GoExpr) -> g.GoExpr:
    """`std::array::from_fn(f)`: a loop filling the array, calling `f` with each index in
    order, as std does (a closure literal is named first: no call of a literal per
    element)."""
    if not isinstance(ty, t.Array):
        raise _unsupported("`array::from_fn` of an array whose type is unknown", e)
    if not (isinstance(f, g.Atom) and f.text.isidentifier()):
        f = g.ident(em.define_temp(f, em.ty(e.args[0]), "f"))
    arr, i = em.temp("arr"), em.temp("i")
    em.line(f"var {arr} {em.go(ty)}")
    em.line(f"for {i} := range {arr} {{")
    em.line(f"\t{arr}[{i}] = {g.render(g.call(f, g.ident(i)))}")
    em.line("}")
    return g.ident(arr)


def _zero(em: FnEmitter, ty: t.Ty) -> g.GoExpr:
    """`T::default()` where std asks for it (`or_default()`, `mem::take`): a `Duration`'s
    or a hand-written `impl Default`'s value is not a composite literal."""
    from gust.codegen import traits

    try:
        return traits.default_value(em, ty)
    except Unsupported:
        pass
    go = em.go(ty)
    if go == "string":
        return g.Atom('""')
    if go.startswith(("[]", "map[")):
        return g.Composite(go, ())
    return g.Composite(go, ()) if not isinstance(ty, (t.Int, t.Float, t.Bool, t.Char)) \
        else g.conversion(go, g.Atom("0"))


# ---------------------------------------------------------------- HashMap and HashSet


def _key(em: FnEmitter, value: g.GoExpr, arg: ast.Expr, key_ty: t.Ty) -> g.GoExpr:
    """A borrowed key (`&k`, `&str` for `String` keys) as the map's key value."""
    return em.adapt(value, em.ty(arg), key_ty)


def coded(em: FnEmitter, key: g.GoExpr, map_ty: t.Ty) -> g.GoExpr:
    """The Go map key for the key value `key` of a map of type `map_ty`: itself, or for a
    `gustKeyMap` (a `Vec` key, `Types.coded_key`) its encoding `gustKeyOf(key)`."""
    if not em.types.coded_key(map_ty):
        return key
    if isinstance(key, g.Call) and isinstance(key.fun, g.Atom) and \
            key.fun.text == "slices.Clone" and len(key.args) == 1:
        key = key.args[0]  # `m.insert(k.clone(), v)`: the encoding is a copy already
    return g.call("gustKeyOf", key)


def _key_fn(em: FnEmitter, map_ty: t.Ty, ref: bool, key_ty: t.Ty) -> g.GoExpr:
    """How a map's runtime iteration hands out its keys (gustId, gustRef: Rust's `K`, `&K`;
    for a `gustKeyMap`, decoded by gustKeyFrom, gustKeyRefFrom)."""
    go = em.go(key_ty)
    if em.types.coded_key(map_ty):
        return g.Atom(f"gustKeyRefFrom[{go}]" if ref else f"gustKeyFrom[{go}]")
    return g.Atom(f"gustRef[{go}]" if ref else f"gustId[{go}]")


def map_loop_source(em: FnEmitter, it: ast.Expr) -> g.GoExpr | None:
    """`for (k, v) in &m` (or `in m`) over a map: the sequence of its entries (in key order
    for a `BTreeMap`; a `BTreeSet`'s keys, or a `HashSet`'s of structs by reference); None
    when `it` is not one (`&mut m` is `map_slots.for_mut`'s)."""
    ty = em.ty(it)
    refs = 0
    while isinstance(ty, t.Ref):
        ty, refs = ty.inner, refs + 1
    if isinstance(ty, t.Adt) and (ty.name == "BTreeSet" or (ty.name == "HashSet" and (
            (refs and em.types.is_struct(ty.args[0])) or em.types.coded_key(ty)))):
        # A `HashSet` of other elements is Go's `range` over the map, which gives its keys
        # (a set of `Vec`s gives their encodings: decoded).
        m = em._deref_expr(em.expr(it), em.ty(it), refs)
        return map_seq(em, m, ty, "keys", refs > 0)
    if not (isinstance(ty, t.Adt) and ty.name in ("HashMap", "BTreeMap") and len(ty.args) == 2):
        return None
    m = em._deref_expr(em.expr(it), em.ty(it), refs)
    # (a map of pointers yields its own: `&V` items without a copy)
    by_ref = refs > 0 and not (isinstance(it, ast.Borrow) and pointer_maps.holds(em, it.operand))
    return map_seq(em, m, ty, "pairs", by_ref)


def map_seq(em: FnEmitter, m: g.GoExpr, map_ty: t.Ty, what: str, by_ref: bool) -> g.GoExpr:
    """The keys, values or ("pairs") entries of a map or ("keys") a set as an `iter.Seq`:
    in key order for a `BTreeMap`/`BTreeSet`; `by_ref` for `&K`/`&V` items, which are Go
    pointers (to copies) for structs."""
    targs = _args(map_ty)
    key_ty = targs[0] if targs else t.ERROR
    value_ty = targs[1] if len(targs) > 1 else t.ERROR
    sorted_ = isinstance(map_ty, t.Adt) and map_ty.name in ("BTreeMap", "BTreeSet")
    key_ref = by_ref and em.types.is_struct(key_ty)
    value_ref = by_ref and em.types.is_struct(value_ty) and what != "keys"
    if not sorted_ and not key_ref and not em.types.coded_key(map_ty):
        # the common case, with its shorter Go
        if what == "keys":
            em.ctx.imports.add("maps")
            return g.call("maps.Keys", m)
        if what == "values":
            if value_ref:
                return g.call("gustValueRefs", m)
            em.ctx.imports.add("maps")
            return g.call("maps.Values", m)
        return g.call("gustPairRefs" if value_ref else "gustPairs", m)

    def item(ref: bool, ty: t.Ty) -> g.GoExpr:
        return g.Atom(f"gustRef[{em.go(ty)}]" if ref else f"gustId[{em.go(ty)}]")

    order = g.Atom("true" if sorted_ else "false")
    if what == "keys":
        return g.call("gustMapKeysOf", m, order, _key_fn(em, map_ty, key_ref, key_ty))
    if what == "values":
        return g.call("gustMapValuesOf", m, order, item(value_ref, value_ty))
    return g.call("gustMapEntries", m, order, _key_fn(em, map_ty, key_ref, key_ty),
                  item(value_ref, value_ty))


def _sorted_method(em: FnEmitter, e: ast.MethodCall, m: g.GoExpr, recv_ty: t.Ty,
                   is_set: bool) -> g.GoExpr | None:
    """The methods of `BTreeMap`/`BTreeSet` that only they have (`first`, ...), and those
    that cannot keep their order; None for the others, `HashMap`'s/`HashSet`'s (`map_seq`
    iterates in order)."""
    name = e.name
    targs = _args(recv_ty)
    struct_values = len(targs) > 1 and em.types.is_struct(targs[1])
    coded_ = em.types.coded_key(recv_ty)  # a `Vec` key: decoded (`gustKeyMap`)
    match name:
        case "first" | "last":
            end = g.call("gustSortedEnd", m, g.Atom("true" if name == "last" else "false"))
            return g.call(f"gustKeyOption[{em.go(targs[0])}]", end) if coded_ else end
        case "first_key_value" | "last_key_value":
            if struct_values or em.types.is_struct(targs[0]):
                raise _unsupported(f"`{name}` of a `BTreeMap` of structs", e)
            entry = g.call("gustSortedEntry", m,
                           g.Atom("true" if name == "last_key_value" else "false"))
            return g.call(f"gustKeyEntry[{em.go(targs[0])}]", entry) if coded_ else entry
    return None


def sorted_range(em: FnEmitter, e: ast.MethodCall, recv_full_ty: t.Ty, recv_ty: t.Ty,
                 derefs: int) -> g.GoExpr:
    """`m.range(lo..hi)` of a `BTreeMap`/`BTreeSet`: the map (or set) of those keys alone
    (runtime `gustKeyRange`), iterated in order as the whole map is. The range is written
    in the call (its ends are the bounds; an open end is none)."""
    arg = _strip(e.args[0])
    if not isinstance(arg, ast.Range):
        return _bounds_range(em, e, recv_full_ty, recv_ty, derefs)
    ends = [x for x in (arg.lo, arg.hi) if x is not None]
    values = em.exprs([e.receiver, *ends])
    m = em._deref_expr(values[0], recv_full_ty, derefs)
    key_ty = _args(recv_ty)[0]
    given = iter(values[1:])
    zero = g.Atom(f"*new({em.go(key_ty)})")
    if em.types.coded_key(recv_ty):
        zero = g.Atom('""')  # the keys compared are the encodings, in the keys' order
    lo = coded(em, em.typed(next(given), key_ty), recv_ty) if arg.lo is not None else zero
    hi = coded(em, em.typed(next(given), key_ty), recv_ty) if arg.hi is not None else zero
    bounds = (1 if arg.lo is not None else 0) | (2 if arg.hi is not None else 0) | \
        (4 if arg.inclusive else 0)
    em.ctx.site(e.name_span.start, "p")
    is_set = isinstance(recv_ty, t.Adt) and recv_ty.name == "BTreeSet"
    part = g.call("gustKeyRange", m, lo, hi, g.Atom(str(bounds), "int"),
                  g.Atom(g.go_string("BTreeSet" if is_set else "BTreeMap"), "string"))
    return map_seq(em, part, recv_ty, "keys" if is_set else "pairs", True)


def _bounds_range(em: FnEmitter, e: ast.MethodCall, recv_full_ty: t.Ty, recv_ty: t.Ty,
                  derefs: int) -> g.GoExpr:
    """`m.range((Excluded(lo), Unbounded))`: a pair of `std::ops::Bound`s, a value of any
    expression (gustKeyRangeBounds)."""
    bounds_ty = em.ty(e.args[0])
    ends = bounds_ty.elems if isinstance(bounds_ty, t.Tuple) else ()
    end = _args(ends[0])[0] if ends and _args(ends[0]) else t.ERROR
    if not isinstance(bounds_ty, t.Tuple) or len(ends) != 2 or em.types.coded_key(recv_ty) or \
            (isinstance(end, t.Ref) and em.types.ref_is_ptr(end)):
        raise _unsupported("`range` of this range", e)
    m, bounds = em.exprs([e.receiver, e.args[0]])
    m = em._deref_expr(m, recv_full_ty, derefs)
    pair = em.stable(bounds, bounds_ty, "bounds")
    em.ctx.site(e.name_span.start, "p")
    is_set = isinstance(recv_ty, t.Adt) and recv_ty.name == "BTreeSet"
    part = g.call("gustKeyRangeBounds", m, g.selector(pair, "F0"), g.selector(pair, "F1"),
                  g.Atom(g.go_string("BTreeSet" if is_set else "BTreeMap"), "string"))
    return map_seq(em, part, recv_ty, "keys" if is_set else "pairs", True)


def map_method(em: FnEmitter, e: ast.MethodCall, recv: g.GoExpr, recv_ty: t.Ty,
               args: list[g.GoExpr], used: bool) -> g.GoExpr | None:
    """`HashMap`/`HashSet` methods; `used` is False for a call whose value is dropped, which
    becomes a plain statement (and None is returned)."""
    name = e.name
    is_set = isinstance(recv_ty, t.Adt) and recv_ty.name in ("HashSet", "BTreeSet")
    if isinstance(recv_ty, t.Adt) and recv_ty.name in ("BTreeMap", "BTreeSet"):
        ordered = _sorted_method(em, e, recv, recv_ty, is_set)
        if ordered is not None:
            return ordered
    targs = _args(recv_ty)
    key_ty = targs[0] if targs else t.ERROR
    if name in ("get", "get_mut", "contains_key", "remove", "contains") and args:
        args = [coded(em, _key(em, args[0], e.args[0], key_ty), recv_ty)]
    if name == "insert":
        args = [coded(em, em.adapt(args[0], em.ty(e.args[0]), key_ty), recv_ty), *args[1:]]
        if not is_set:
            args[1] = em.adapt(args[1], em.ty(e.args[1]), targs[1])
    m = recv
    pointers = pointer_maps.holds(em, e.receiver)  # a map of pointers to its values
    if not is_set and len(targs) > 1 and name in ("insert", "remove"):
        from gust.codegen import rc_counts

        # The old value of `insert` and the removed one are dropped by the statement
        # (their handles, their `Drop`): given back for `discard`.
        used = used or rc_counts.owns(em.types, targs[1])
    match name:
        case "len":
            return g.call("len", m)
        case "is_empty":
            return g.binary("==", g.call("len", m), g.Atom("0", "int"))
        case "insert" if not used and pointers:
            pointer_maps.insert(em, m, args[0], args[1])
            return None
        case "insert" if not used:
            value = g.Atom("struct{}{}") if is_set else args[1]
            em.line(f"{g.render(g.index(m, args[0]))} = {g.render(value)}")
            return None
        case "insert":
            return g.call("gustSetInsert" if is_set else "gustMapInsert", m, *args)
        case "remove" if not used:
            em.line(g.render(g.call("delete", m, args[0])))
            return None
        case "remove":
            return g.call("gustSetRemove" if is_set else "gustMapRemove", m, *args)
        case "contains_key" | "contains":
            return g.call("gustHasKey", m, args[0])
        case "get":
            value_ty = targs[1] if len(targs) > 1 else t.ERROR
            if em.types.is_struct(value_ty) and not pointers:
                return g.call("gustMapGetRef", m, args[0])  # a pointer to a copy: read-only
            return g.call("gustMapGet", m, args[0])
        case "clear":
            em.line(g.render(g.call("clear", m)))
            return None
        case "retain" if not is_set and not used:
            # The closure takes `&K` (a pointer to a copy for a struct key, as `iter()`'s)
            # and `&mut V` (a pointer to the value, written back when kept); a `BTreeMap`'s
            # in key order, as the closure may print.
            key_ref = em.types.ref_is_ptr(t.Ref(key_ty, False))
            key_fn = _key_fn(em, recv_ty, key_ref, key_ty)
            sorted_ = isinstance(recv_ty, t.Adt) and recv_ty.name == "BTreeMap"
            em.line(g.render(g.call("gustMapRetain", m, g.Atom("true" if sorted_ else "false"),
                                    key_fn, args[0])))
            return None
        case "retain" if is_set:
            # The closure sees `&T` (a pointer to a copy for a struct); a BTreeSet's in order.
            in_order = isinstance(recv_ty, t.Adt) and recv_ty.name == "BTreeSet"
            key_ref = em.types.ref_is_ptr(t.Ref(key_ty, False))
            key = _key_fn(em, recv_ty, key_ref, key_ty)
            em.line(g.render(g.call("gustSetRetain", m, g.Atom("true" if in_order else "false"),
                                    key, args[0])))
            return None if not used else g.Atom("struct{}{}")
        case "keys" | "into_keys":
            return map_seq(em, m, recv_ty, "keys", name == "keys")
        case "values" | "into_values":
            return map_seq(em, m, recv_ty, "values", name == "values" and not pointers)
        case "iter" | "into_iter":
            return map_seq(em, m, recv_ty, "keys" if is_set else "pairs",
                           name == "iter" and not pointers)
        case "clone":
            em.ctx.imports.add("maps")
            if len(targs) > 1 and not em.types.is_plain(targs[-1]) and not is_set:
                raise _unsupported("cloning a map of values that need a deep clone", e)
            return g.call("maps.Clone", m)
        case "entry":
            raise _unsupported("`entry` whose result is kept", e)
        case ("intersection" | "union" | "difference" | "symmetric_difference" |
              "is_subset" | "is_superset" | "is_disjoint") if is_set:
            if em.types.is_struct(key_ty):
                raise _unsupported(f"`{name}` of a set of structs", e)  # `&T` is a pointer
            other = args[0]
            fn = "gustSet" + "".join(w.capitalize() for w in name.split("_"))
            if em.types.coded_key(recv_ty) and not name.startswith("is_"):
                return g.call(f"gustKeysFrom[{em.go(key_ty)}]", g.call(fn, m, other))
            return g.call(fn, m, other)
    raise _unsupported(f"the method `{name}`", e)


def is_entry_call(em: FnEmitter, e: ast.Expr) -> bool:
    e = _strip(e)
    if not isinstance(e, ast.MethodCall):
        return False
    res = em.br.methods.get(e)
    return res is not None and res.builtin and res.owner == "Entry" and \
        e.name in ("or_insert", "or_insert_with", "or_default")


def entry_place(em: FnEmitter, e: ast.MethodCall, updated: bool = False,
                copy_struct: bool = True) -> g.GoExpr | None:
    """`m.entry(k).or_insert(v)` (also `or_insert_with`, `or_default`, after any
    `and_modify`): the insertion as statements, and `&m[k]` (only ever dereferenced: Go
    cannot take a map element's address, and `*&m[k]` is simplified to `m[k]`).

    `updated`: the place is the target of a compound assignment (`*m.entry(k).or_insert(0)
    += 1`), which reads `m[k]` and stores it back; a missing key reads as Go's zero value,
    so inserting a zero `v` first is one map operation too many."""
    chain: list[ast.MethodCall] = []
    cur: ast.Expr = e
    while isinstance(cur, ast.MethodCall) and cur.name in ("or_insert", "or_insert_with",
                                                           "or_default", "and_modify"):
        chain.append(cur)
        cur = _strip(cur.receiver)
    if not (isinstance(cur, ast.MethodCall) and cur.name == "entry") or not chain:
        return None
    res = em.br.methods.get(cur)
    if res is None or res.owner != "HashMap":
        return None
    map_ty = em._deref_ty(em.ty(cur.receiver), res.derefs)
    targs = _args(map_ty)
    if len(targs) != 2:
        return None
    key_ty, value_ty = targs
    m = em.stable(em._deref_expr(em.expr(cur.receiver), em.ty(cur.receiver), res.derefs),
                  map_ty, "m")
    key = coded(em, em.adapt(em.expr(cur.args[0]), em.ty(cur.args[0]), key_ty), map_ty)
    if not isinstance(key, g.Atom):
        key = g.ident(em.define_temp(
            key, t.Adt("String") if em.types.coded_key(map_ty) else key_ty, "key"))
    place = g.index(m, key)
    chain.reverse()
    modify = [c for c in chain if c.name == "and_modify"]
    inserts = [c for c in chain if c.name != "and_modify"]
    default: g.GoExpr | None = None
    default_fn: ast.Expr | None = None
    if inserts:
        ins = inserts[0]
        if ins.name == "or_insert":
            default = em.adapt(em.expr(ins.args[0]), em.ty(ins.args[0]), value_ty)
        elif ins.name == "or_insert_with":
            default_fn = ins.args[0]  # called only when the key is missing
        else:
            default = _zero(em, value_ty)
    if updated and not modify and inserts and _is_zero_number(inserts[0]):
        return g.Unary("&", place)
    with em.block() as then:
        if default_fn is not None:
            default = call_default(em, default_fn, value_ty)
        if default is not None:
            em.line(f"{g.render(place)} = {g.render(default)}")
    if modify:
        fns = [em.expr(c.args[0]) for c in modify]
        cond: g.GoExpr = g.call("gustModify", m, key, fns[0])
        for fn in fns[1:]:
            em.line(g.render(g.call("gustModify", m, key, fn)))
        if then:
            em.cur.append(s.If(g.render(g.negate(cond), header=True), then, None, em.gl))
        else:
            em.line(g.render(cond))
    elif then:
        ok = em.temp("ok")  # (not the user's `ok`, which the default may read)
        em.cur.append(s.If(f"_, {ok} := {g.render(place)}; !{ok}", then, None, em.gl))
    if copy_struct and em.types.is_struct(value_ty):
        from gust.codegen.map_slots import walks_down

        if walks_down(em, cur.receiver) and any(_strip(a.value) is e
                                                 for a in em.nodes.of_type(ast.Assign)):
            raise _unsupported("a reference into a map's struct value kept by a cursor "
                               "walking down a tree of maps (`node = node.children"
                               ".entry(k).or_default()`; `get_mut` is supported)", e)
        # `m.entry(k).or_insert(Stat { .. }).count += 1`: Go cannot change a field of a map
        # element: a copy, stored back when the statement ends.
        slot = em.temp("entry")
        em.line(f"{slot} := {g.render(place)}")
        em.after_stmt.append(f"{g.render(place)} = {slot}")
        return g.unary("&", g.ident(slot))
    return g.Unary("&", place)


def _is_zero_number(ins: ast.MethodCall) -> bool:
    """`or_insert(0)` / `or_insert(0.0)` (Go's zero value for the map's number type), or
    `or_default()` on numbers."""
    if ins.name == "or_default":
        return False
    if ins.name != "or_insert" or len(ins.args) != 1:
        return False
    arg = _strip(ins.args[0])
    return isinstance(arg, ast.Literal) and arg.kind in ("int", "float") and arg.value == 0


def call_default(em: FnEmitter, fn: ast.Expr, ty: t.Ty) -> g.GoExpr:
    """The value of `or_insert_with(f)`'s (or `ok_or_else(f)`'s) `f()`: `Vec::new` is the empty value, a closure
    without parameters its body, anything else a call."""
    fn = _strip(fn)
    if isinstance(fn, ast.Closure) and not fn.params and not isinstance(fn.body, ast.Block):
        return em.adapt(em.expr(fn.body), em.ty(fn.body), ty)
    if isinstance(fn, ast.Closure) and not fn.params and \
            not any(isinstance(n, (ast.Return, ast.Try)) for n in walk(fn.body)):
        # `|| { let mut v = Vec::new(); v.push(x); v }`: its block, here (the caller emits
        # this where the value is needed), into a variable; not a called function literal.
        from gust.codegen.body import Assign

        var = em.temp("value")
        em.line(f"var {var} {em.go(ty)}")
        em.into(fn.body, Assign(g.ident(var), ty))
        return g.ident(var)
    if isinstance(fn, ast.PathExpr) and fn.path.last.name == "new" and \
            len(fn.path.segments) == 2 and fn.path.segments[0].name in (
                "Vec", "String", "HashMap", "HashSet"):
        return _zero(em, ty)
    value = em.expr(fn)
    if isinstance(value, g.FuncLit) and value.signature.startswith("func() ") and \
            len(value.body) == 1 and value.body[0][0].startswith("\treturn ") and \
            g.LINE_MARK not in value.body[0][0]:
        # `BTreeSet::new` as a function returning its empty value: the value itself, not
        # a function literal called where it is written.
        return g.Atom(value.body[0][0].removeprefix("\treturn "))
    return g.call(value)


def _strip(e: ast.Expr) -> ast.Expr:
    while isinstance(e, ast.Paren):
        e = e.inner
    return e


# ---------------------------------------------------------------- str, char, parse

_STRINGS_FNS: Final = {"trim_start": "strings.TrimLeftFunc", "trim_end": "strings.TrimRightFunc"}


def str_method(em: FnEmitter, e: ast.MethodCall, recv: g.GoExpr,
               args: list[g.GoExpr]) -> g.GoExpr:
    name = e.name
    arg_tys = [em.ty(a) for a in e.args]
    pattern = _pattern_kind(em, arg_tys[0]) if arg_tys else ""
    if arg_tys and is_char_set(arg_tys[0]):
        # `trim_end_matches(&['#', ' '][..])`: a set of chars, as its predicate
        chars = args[0]
        if isinstance(_deref(arg_tys[0]), t.Array):
            chars = array_as_slice(chars)
        args = [g.call("gustCharIn", chars), *args[1:]]
        pattern = "fn"
    match name:
        case "parse":
            return parse(em, e, recv)
        case "trim_matches" | "trim_start_matches" | "trim_end_matches":
            em.ctx.imports.add("strings")
            side = {"trim_matches": "", "trim_start_matches": "Left",
                    "trim_end_matches": "Right"}[name]
            if pattern == "fn":
                return g.call(f"strings.Trim{side}Func", recv, _rune_pred(args[0]))
            if pattern == "char":
                return g.call(f"strings.Trim{side}", recv, _char_string(args[0]))
            return g.call("gustTrimMatches", recv, args[0],
                          g.Atom(g.go_string(side.lower() or "both"), "string"))
        case "replace" if pattern == "fn":
            return g.call("gustReplaceFunc", recv, _rune_pred(args[0]), args[1])
        case "replace" if pattern == "char":
            em.ctx.imports.add("strings")
            return g.call("strings.ReplaceAll", recv, _char_string(args[0]), args[1])
        case "split_once" | "rsplit_once":
            sep = _char_string(args[0]) if pattern == "char" else args[0]
            return g.call("gustSplitOnce", recv, sep,
                          g.Atom("true" if name == "rsplit_once" else "false"))
        case "rfind" if pattern != "fn":
            em.ctx.imports.add("strings")
            sep = _char_string(args[0]) if pattern == "char" else args[0]
            return g.call("gustIndex", g.call("strings.LastIndex", recv, sep))
        case "splitn" if pattern != "fn":
            em.ctx.imports.update({"strings", "slices"})
            sep = _char_string(args[1]) if _pattern_kind(em, arg_tys[1]) == "char" else args[1]
            return g.call("slices.Values", g.call("strings.SplitN", recv, sep, args[0]))
        case "rsplit" if pattern != "fn":
            sep = _char_string(args[0]) if pattern == "char" else args[0]
            return g.call("gustRev", g.call("gustSplit", recv, sep))
        case "split_terminator" if pattern == "fn":
            return g.call("gustSplitFunc", recv, args[0], g.Atom("true", "bool"))
        case "split_terminator" if pattern != "fn":
            em.ctx.imports.add("strings")
            sep = _char_string(args[0]) if pattern == "char" else args[0]
            return g.call("gustSplit", g.call("strings.TrimSuffix", recv, sep), sep)
        case "pop" | "remove":
            ptr = em._address(recv, e.receiver, t.Adt("String"))
            em.ctx.site(e.name_span.start, "p")
            return g.call("gustStringPop" if name == "pop" else "gustStringRemove", ptr, *args)
        case "contains" if pattern == "fn":
            em.ctx.imports.add("strings")
            return g.call("strings.ContainsFunc", recv, _rune_pred(args[0]))
        case "find" | "rfind" if pattern == "fn":
            em.ctx.imports.add("strings")
            fn = "strings.IndexFunc" if name == "find" else "strings.LastIndexFunc"
            return g.call("gustIndex", g.call(fn, recv, _rune_pred(args[0])))
        case "trim_start" | "trim_end":
            em.ctx.imports.update({"strings", "unicode"})
            return g.call(_STRINGS_FNS[name], recv, g.Atom("unicode.IsSpace"))
        case "split":
            if pattern == "fn":
                return g.call("gustSplitFunc", recv, args[0], g.Atom("false", "bool"))
            if arg_tys and isinstance(arg_tys[0], t.Char):
                return g.call("gustSplit", recv, _char_string(args[0]))
            return g.call("gustSplit", recv, args[0])
        case "lines":
            return g.call("gustLines", recv)
        case "matches" | "match_indices":
            # each match, left to right and apart, with its byte offset
            found = g.call("gustMatchIndicesFunc", recv, args[0]) if pattern == "fn" else \
                g.call("gustMatchIndices", recv,
                       _char_string(args[0]) if pattern == "char" else args[0])
            return found if name == "match_indices" else g.call("gustMatchTexts", found)
        case "bytes":
            em.ctx.imports.add("slices")
            return g.call("slices.Values", g.conversion("[]byte", recv))
        case "as_bytes" | "into_bytes":
            return g.conversion("[]byte", recv)
        case "find":
            if arg_tys and isinstance(arg_tys[0], t.Char):
                em.ctx.imports.add("strings")
                return g.call("gustIndex", g.call("strings.IndexRune", recv, _rune(args[0])))
            if arg_tys and isinstance(_deref(arg_tys[0]), (t.Str, t.Adt)):
                em.ctx.imports.add("strings")
                return g.call("gustIndex", g.call("strings.Index", recv, args[0]))
        case "contains" | "starts_with" | "ends_with" if arg_tys and \
                isinstance(arg_tys[0], t.Char):
            em.ctx.imports.add("strings")
            fn = {"contains": "strings.ContainsRune", "starts_with": "strings.HasPrefix",
                  "ends_with": "strings.HasSuffix"}[name]
            arg = _rune(args[0]) if name == "contains" else _char_string(args[0])
            return g.call(fn, recv, arg)
        case "to_ascii_uppercase" | "to_ascii_lowercase":
            # ASCII letters only (`"é".to_ascii_uppercase()` is "é"; Go's strings.ToUpper
            # would change it).
            return g.call("gustAsciiString", recv,
                          g.Atom("true" if name.endswith("uppercase") else "false"))
        case "char_indices":
            return g.call("gustCharIndices", recv)
        case "strip_prefix" | "strip_suffix":
            em.ctx.imports.add("strings")
            fn = "strings.CutPrefix" if name == "strip_prefix" else "strings.CutSuffix"
            affix = _char_string(args[0]) if pattern == "char" else args[0]
            return g.call("gustCut", g.call(fn, recv, affix))
        case "cmp":
            em.ctx.imports.add("cmp")
            return g.call("cmp.Compare", recv, deref_arg(em, args[0], e.args[0]))
        case "eq_ignore_ascii_case":
            em.ctx.imports.add("strings")
            return g.call("strings.EqualFold", recv, args[0])
    raise _unsupported(f"the method `{name}`", e)


def is_char_set(ty: t.Ty) -> bool:
    """A `[char; N]` or `&[char]` given as a string pattern: any of its chars."""
    base = _deref(ty)
    return isinstance(base, (t.Array, t.Slice)) and isinstance(base.elem, t.Char)


def _pattern_kind(em: FnEmitter, ty: t.Ty) -> str:
    """A `Pattern` argument: "char", "fn" (a `char` predicate) or "str"."""
    if isinstance(ty, t.Char):
        return "char"
    if em.types.callable(ty) is not None:
        return "fn"
    return "str"


def _rune(value: g.GoExpr) -> g.GoExpr:
    """A `Char` as the rune Go's `strings` and `unicode` take (a literal as it is)."""
    if isinstance(value, g.Atom) and value.untyped == "rune":
        return value
    if isinstance(value, g.Call) and value.conversion and len(value.args) == 1 and \
            g.render(value.fun) == "Char":
        value = value.args[0]  # `rune(self)`, not `rune(Char(self))`
    return g.conversion("rune", value)


def _rune_pred(value: g.GoExpr) -> g.GoExpr:
    """A `char` predicate (`func(Char) bool`) as the `func(rune) bool` of `strings`'s
    `...Func` functions."""
    return g.call("gustRunePred", value)


def _char_string(value: g.GoExpr) -> g.GoExpr:
    """A `char` as a one-character string: `","` for a literal, else `string(c)`."""
    if isinstance(value, g.Atom) and value.untyped == "rune":
        from gust.codegen.body import eval_rune

        return g.Atom(g.go_string(eval_rune(value.text)), "string")
    return g.conversion("string", value)


def _deref(ty: t.Ty) -> t.Ty:
    while isinstance(ty, t.Ref):
        ty = ty.inner
    return ty


def parse(em: FnEmitter, e: ast.MethodCall, recv: g.GoExpr) -> g.GoExpr:
    ty = em.ty(e)
    target = _args(ty)[0] if _args(ty) else t.ERROR
    match target:
        case t.Int(kind="usize"):
            # A Go `int` holds a `usize`: parsed as a `u64`, so a sign is an invalid digit.
            return g.call("gustParseUsizeRadix", recv, g.Atom("10", "int"))
        case t.Int(kind="u128" | "i128"):
            return g.call("gustParseU128" if target == t.Int("u128") else "gustParseI128", recv)
        case t.Int():
            return g.call(f"gustParseInt[{em.go(target)}]", recv)
        case t.Float():
            return g.call(f"gustParseFloat[{em.go(target)}]", recv)
        case t.Bool():
            return g.call("gustParseBool", recv)
        case t.Char():
            return g.call("gustParseChar", recv)
        case t.Adt(name="String") if "String" not in em.env.structs:
            return g.call("Ok[string, gustInfallible]", recv)
        case t.Adt(name=name) if name in em.env.structs or name in em.env.enums:
            from gust.codegen import traits
            from gust.codegen.gotypes import Unsupported

            try:
                return traits.from_str_call(em.types, target, recv)
            except Unsupported as exc:
                raise _unsupported(exc.what, e) from None
        case t.Param() if len(_args(ty)) == 2:
            # `T: FromStr` (its `Err` the hidden `T::Err`): the runtime's parse by T's Go
            # type (gust.codegen.traits.check_bound_args allows only those it knows).
            return g.call(f"gustParseAs[{em.go(target)}, {em.go(_args(ty)[1])}]", recv)
    raise _unsupported(f"`parse` into `{target}`", e)


_CHAR_FNS: Final = {"is_alphabetic": "unicode.IsLetter", "is_numeric": "unicode.IsNumber",
             "is_whitespace": "unicode.IsSpace", "is_uppercase": "unicode.IsUpper",
             "is_lowercase": "unicode.IsLower", "is_control": "unicode.IsControl"}


def char_method(em: FnEmitter, e: ast.MethodCall, recv: g.GoExpr,
                args: list[g.GoExpr]) -> g.GoExpr:
    name = e.name
    if name in _CHAR_FNS:
        em.ctx.imports.add("unicode")
        return g.call(_CHAR_FNS[name], _rune(recv))
    match name:
        case "is_alphanumeric":
            em.ctx.imports.add("unicode")
            r = _rune(em.stable(recv, t.CHAR))
            return g.binary("||", g.call("unicode.IsLetter", r), g.call("unicode.IsNumber", r))
        case "is_ascii_digit":
            return _between(recv, "'0'", "'9'")
        case "is_ascii_uppercase":
            return _between(recv, "'A'", "'Z'")
        case "is_ascii_lowercase":
            return _between(recv, "'a'", "'z'")
        case "is_ascii_alphabetic":
            x = em.stable(recv, t.CHAR)
            return g.binary("||", _between(x, "'a'", "'z'"), _between(x, "'A'", "'Z'"))
        case "is_ascii_alphanumeric":
            x = em.stable(recv, t.CHAR)
            return g.binary("||", g.binary("||", _between(x, "'a'", "'z'"),
                                           _between(x, "'A'", "'Z'")),
                            _between(x, "'0'", "'9'"))
        case "is_ascii":
            return g.binary("<", recv, g.Atom("128", "int"))
        case "is_ascii_hexdigit":
            x = em.stable(recv, t.CHAR)
            return g.binary("||", g.binary("||", _between(x, "'0'", "'9'"),
                                           _between(x, "'a'", "'f'")),
                            _between(x, "'A'", "'F'"))
        case "is_ascii_graphic":
            return _between(recv, "'!'", "'~'")
        case "is_ascii_control":
            x = em.stable(recv, t.CHAR)
            return g.binary("||", g.binary("<", x, g.Atom("32", "int")),
                            g.binary("==", x, g.Atom("127", "int")))
        case "eq_ignore_ascii_case":
            return _eq_ignore_case(recv, deref_arg(em, args[0], e.args[0]))
        case "is_ascii_whitespace" | "is_ascii_punctuation":
            return g.call("gustAsciiClass", recv, g.Atom(g.go_string(name[9:])))
        case "to_ascii_uppercase" | "to_ascii_lowercase":
            return g.call("gustAsciiCase", recv, g.Atom("true" if "upper" in name else "false"))
        case "to_digit":
            return g.call("gustToDigit", recv, args[0])
        case "cmp":
            em.ctx.imports.add("cmp")
            return g.call("cmp.Compare", recv, deref_arg(em, args[0], e.args[0]))
        case "is_digit":
            return g.selector(g.call("gustToDigit", recv, args[0]), "IsSome")
        case "len_utf8":
            em.ctx.imports.add("unicode/utf8")
            return g.call("utf8.RuneLen", _rune(recv))
        case "encode_utf8":  # the bytes written into the buffer, and their text
            em.ctx.site(e.name_span.start, "p")  # a buffer too short panics
            return g.call("gustEncodeUtf8", recv, args[0])
        case "to_uppercase" | "to_lowercase":
            em.ctx.imports.update({"strings", "slices"})
            fn = "strings.ToUpper" if name == "to_uppercase" else "strings.ToLower"
            return g.call("gustRunes", g.call(fn, _char_string(recv)))
    raise _unsupported(f"the method `{name}`", e)


def byte_method(em: FnEmitter, e: ast.MethodCall, recv: g.GoExpr,
                args: list[g.GoExpr]) -> g.GoExpr | None:
    """`u8`'s ASCII methods (`b.is_ascii_digit()`, `b.to_ascii_uppercase()`): those of
    `char` on the byte (Go compares a `uint8` with a rune constant); None for others."""
    name = e.name
    if name in ("to_ascii_uppercase", "to_ascii_lowercase"):
        char = char_method(em, e, g.conversion("Char", recv), args)
        return g.conversion("uint8", char)
    if name == "eq_ignore_ascii_case":
        other = g.conversion("Char", deref_arg(em, args[0], e.args[0]))
        return _eq_ignore_case(g.conversion("Char", recv), other)
    if name in ("is_ascii_whitespace", "is_ascii_punctuation"):
        return char_method(em, e, g.conversion("Char", recv), args)
    if name.startswith("is_ascii"):
        return char_method(em, e, recv, args)
    return None


def _eq_ignore_case(a: g.GoExpr, b: g.GoExpr) -> g.GoExpr:
    return g.binary("==", g.call("gustAsciiCase", a, g.Atom("false")),
                    g.call("gustAsciiCase", b, g.Atom("false")))


def _between(x: g.GoExpr, lo: str, hi: str) -> g.GoExpr:
    return g.binary("&&", g.binary(">=", x, g.Atom(lo, "rune")),
                    g.binary("<=", x, g.Atom(hi, "rune")))


# ---------------------------------------------------------------- Vec methods as statements

# (Annotated: mypyc compiles body.py, which reads it at import, in one cycle with this
# module, and cannot infer its type there.)
VEC_STMTS: Final[set[tuple[str, str]]] = {
    ("Vec", "sort"), ("Vec", "sort_unstable"), ("Vec", "sort_by"), ("Vec", "sort_by_key"),
    ("Vec", "dedup"), ("Vec", "dedup_by_key"), ("Vec", "dedup_by"), ("Vec", "retain"), ("Vec", "retain_mut"),
    ("Vec", "extend"), ("Vec", "extend_from_slice"), ("Vec", "append"), ("slice", "sort"),
    ("slice", "sort_unstable"), ("slice", "sort_by"), ("slice", "sort_by_key"),
    ("slice", "reverse"), ("slice", "swap"), ("HashMap", "extend"), ("HashSet", "extend"),
    ("String", "truncate"), ("String", "insert"), ("String", "insert_str"),
    ("String", "retain"), ("String", "replace_range"),
    ("Vec", "rotate_left"), ("Vec", "rotate_right"), ("slice", "rotate_left"),
    ("slice", "rotate_right"), ("Vec", "fill"), ("slice", "fill"),
    ("Vec", "sort_unstable_by"), ("Vec", "sort_unstable_by_key"),
    ("slice", "sort_unstable_by"), ("slice", "sort_unstable_by_key"),
    ("Vec", "sort_by_cached_key"), ("slice", "sort_by_cached_key"),
    ("String", "make_ascii_uppercase"), ("String", "make_ascii_lowercase"),
    ("int", "make_ascii_uppercase"), ("int", "make_ascii_lowercase"),
}


def vec_stmt(em: FnEmitter, e: ast.MethodCall, owner: str, place: g.GoExpr, elem: t.Ty,
             args: list[g.GoExpr]) -> None:
    """`v.sort()`, `v.retain(f)`, `v.extend(it)`... on the Go slice `place`."""
    name = e.name
    p = g.render(place)
    by_ptr = em.types.ref_is_ptr(t.Ref(elem, False))
    match name:
        case "sort" | "sort_unstable":
            em.ctx.imports.add("slices")
            if _ordered(em, elem):
                em.line(g.render(g.call("slices.Sort", place)))
            else:  # tuples, derived `Ord`: field by field
                em.line(g.render(g.call("slices.SortStableFunc", place,
                                        g.Atom(f"gustCmp[{em.go(elem)}]"))))
        case "sort_by" | "sort_unstable_by":
            em.line(g.render(g.call("gustSortByRef" if by_ptr else "gustSortBy", place,
                                    args[0])))
        case "sort_by_key" | "sort_unstable_by_key" | "sort_by_cached_key":
            fn = "gustSortByKeyRef" if by_ptr else "gustSortByKey"
            key = em.ty(e.args[0])
            if isinstance(key, t.Closure | t.FnPtr) and not _ordered(em, key.ret):
                fn += "Cmp"  # a tuple or derived-`Ord` key
            em.line(g.render(g.call(fn, place, args[0])))
        case "dedup":
            em.ctx.imports.add("slices")
            if em.types.is_comparable(elem):
                em.line(f"{p} = {g.render(g.call('slices.Compact', place))}")
            else:  # by `PartialEq` (a `&Struct` element is a pointer: the values behind)
                compact = g.call("slices.CompactFunc", place, _eq_fn_of(em, elem))
                em.line(f"{p} = {g.render(compact)}")
        case "dedup_by_key":
            em.line(g.render(g.call("gustDedupByKey", g.unary("&", place), args[0])))
        case "dedup_by":  # `same_bucket(a, b)`: a later element, b the last one kept
            em.line(g.render(g.call("gustDedupBy", g.unary("&", place), args[0])))
        case "retain" if owner == "String":
            em.line(f"{p} = {g.render(g.call('gustStrRetain', place, args[0]))}")
        case "retain" | "retain_mut":
            # The closure takes `&T` (`&mut T`): a pointer to the element where that is Go's
            # form of the reference (structs; any `&mut`).
            pointer = em.types.ref_is_ptr(t.Ref(elem, name == "retain_mut"))
            em.line(g.render(g.call("gustRetainRef" if pointer else "gustRetain",
                                    g.unary("&", place), args[0])))
        case "extend" if owner == "Vec":
            em.ctx.imports.add("slices")
            arg_ty = arg_ty_seen(em, e.args[0])
            if isinstance(arg_ty, t.Adt) and arg_ty.name == "Option":
                # `v.extend(o)`: an `Option` is an iterator of zero or one value
                o = em.temp("o")
                em.line(f"if {o} := {g.render(args[0])}; {o}.IsSome {{")
                em.line(f"\t{p} = append({p}, {o}.Value)")
                em.line("}")
            elif is_seq(arg_ty):
                seq = iterators.range_seq(args[0], arg_ty)
                em.line(f"{p} = {g.render(g.call('slices.AppendSeq', place, seq))}")
            else:
                em.line(f"{p} = append({p}, {g.render(em.adapt(args[0], arg_ty, t.Slice(elem)))}...)")
        case "extend":
            em.ctx.imports.add("maps")
            seq = iterators.range_seq(args[0], arg_ty_seen(em, e.args[0]))
            if not is_seq(arg_ty_seen(em, e.args[0])):
                em.ctx.imports.add("slices")
                seq = g.call("slices.Values", seq)
            fn = "gustExtendSet" if owner == "HashSet" else "maps.Insert"
            if owner == "HashMap":
                seq = g.call("gustPairSeq", seq)
            if em.types.coded_key(em.ty(e.receiver)):  # keyed by a `Vec`: encoded keys
                fn = "gustExtendKeyMap" if owner == "HashMap" else "gustExtendKeySet"
            em.line(g.render(g.call(fn, place, seq)))
        case "truncate" if owner == "String":
            em.line(f"{p} = {g.render(g.slice_expr(place, None, g.call('min', args[0], g.call('len', place))))}")
        case "insert" | "insert_str" if owner == "String":
            value = _char_string(args[1]) if name == "insert" else args[1]
            em.ctx.site(e.name_span.start, "p")
            em.line(f"{p} = {g.render(g.call('gustInsertStr', place, args[0], value))}")
        case "extend_from_slice":
            em.line(f"{p} = append({p}, {g.render(args[0])}...)")
        case "append":
            other = g.unary("*", args[0])
            em.line(f"{p} = append({p}, {g.render(other)}...)")
            em.line(f"{g.render(other)} = nil")
        case "reverse":
            em.ctx.imports.add("slices")
            em.line(g.render(g.call("slices.Reverse", place)))
        case "rotate_left" | "rotate_right":
            em.ctx.site(e.name_span.start, "p")
            fn = "gustRotateLeft" if name == "rotate_left" else "gustRotateRight"
            em.line(g.render(g.call(fn, place, args[0])))
        case "swap":
            a = g.index(place, args[0])
            b = g.index(place, args[1])
            em.line(f"{g.render_list([a, b])} = {g.render_list([b, a])}")
        case "make_ascii_uppercase" | "make_ascii_lowercase":
            upper = g.Atom("true" if name.endswith("uppercase") else "false")
            if owner == "String":
                em.line(f"{p} = {g.render(g.call('gustAsciiString', place, upper))}")
            else:  # a `u8`
                case = g.call("gustAsciiCase", g.conversion("Char", place), upper)
                em.line(f"{p} = {g.render(g.conversion('uint8', case))}")
        case "fill":
            if not (_ordered(em, elem) or isinstance(elem, t.Bool)):
                raise _unsupported("`fill` with values that need a deep clone", e)
            em.line(g.render(g.call("gustFill", place, args[0])))
        case _:
            raise _unsupported(f"the method `{name}`", e)


def _ordered(em: FnEmitter, ty: t.Ty) -> bool:
    """Whether Go's `<` orders values of `ty` (numbers, chars, strings, std's Duration)."""
    ty = _deref(ty)
    return isinstance(ty, (t.Int, t.Float, t.Char, t.Str)) or ty == t.STRING or \
        durations.is_duration(em, ty) or durations.is_instant(em, ty)


def hasher_method(em: FnEmitter, e: ast.MethodCall, name: str, recv: g.GoExpr,
                  args: list[g.GoExpr]) -> g.GoExpr:
    """A `DefaultHasher`'s methods: the runtime's gustSipHasher (`write_u32(x)`: the
    integer's little-endian bytes, as Rust's hasher takes them)."""
    if name == "finish":
        return g.call(g.selector(recv, "finish"))
    if name == "clone":
        return g.call(g.selector(recv, "clone"))
    if name == "write":
        em.line(g.render(g.call(g.selector(recv, "write"), args[0])))
        return g.Atom("struct{}{}")
    bits = {"u8": 1, "i8": 1, "u16": 2, "i16": 2, "u32": 4, "i32": 4}.get(name[6:], 8)
    em.line(g.render(g.call(g.selector(recv, "writeUint"), g.conversion("uint64", args[0]),
                            g.Atom(str(bits), "int"))))
    return g.Atom("struct{}{}")


def hash_call(em: FnEmitter, e: ast.MethodCall, value: g.GoExpr, hashed: t.Ty,
              state: g.GoExpr) -> g.GoExpr:
    """`v.hash(&mut hasher)` into a `DefaultHasher` (the runtime's gustHash writes what
    Rust's `Hash` impls write), for the types whose Hash it knows."""
    state_ty = em.ty(e.args[0])
    target = state_ty
    while isinstance(target, t.Ref):
        if em.types.ref_is_ptr(target):
            state = g.unary("*", state)
        target = target.inner
    if target != t.Adt("DefaultHasher") or "DefaultHasher" in em.env.structs:
        raise _unsupported(f"`hash` into a `{state_ty}`", e)
    why = _unhashable(em, hashed, frozenset())
    if why is not None:
        raise _unsupported(f"`hash` of {why}", e)
    em.line(g.render(g.call("gustHash", state, value)))
    return g.Atom("struct{}{}")


def _unhashable(em: FnEmitter, ty: t.Ty, seen: frozenset[str]) -> str | None:
    """Why gustHash cannot hash a value of type `ty` as Rust does (None: it can)."""
    match ty:
        case t.Int() if not wide_ints.is_wide(ty):
            return None
        case t.Bool() | t.Char() | t.Str():
            return None
        case t.Param() if "" in seen:
            return None  # (a generic type's parameter, while the package is looked over)
        case t.Param():
            # Any instance, checked at none: only where no type of the package would hash
            # otherwise than gustHash does.
            derived = [n for n, info in em.env.structs.items() if "Hash" in info.derives] + \
                [n for n, e in em.env.enums.items() if "Hash" in e.derives]
            odd = next((n for n in derived
                        if _unhashable(em, t.Adt(n, ()), frozenset({""})) is not None), None)
            if em.env.trait_impls("Hash") or odd is not None:
                return (f"a type parameter in a package with `Hash` impls gustHash does not "
                        f"write as Rust does (`{odd or 'impl Hash'}`)")
            return None
        case t.Ref(inner=inner) | t.Slice(elem=inner) | t.Array(elem=inner):
            return _unhashable(em, inner, seen)
        case t.Tuple(elems=elems):
            return next((w for x in elems if (w := _unhashable(em, x, seen))), None)
        case t.Adt(name=name, args=args) if name not in em.env.structs and \
                name not in em.env.enums:
            if name == "String" or durations.is_duration(em, ty):
                return None
            if name in ("Vec", "VecDeque", "Box", "Rc", "Arc", "Option", "Result"):
                return next((w for x in args if (w := _unhashable(em, x, seen))), None)
        case t.Adt(name=name, args=args):
            if name in seen:
                return None
            struct = em.env.structs.get(name)
            enum = em.env.enums.get(name)
            info = struct or enum
            if info is None or "Hash" not in info.derives or name in em.types.pkg.foreign:
                return f"`{name}` (its `Hash` is not derived)"
            if enum is not None and any(a.name == "repr" for a in enum.decl.attrs):
                return f"`{name}` (a `#[repr]` enum hashes its discriminant's own type)"
            fields = em.types.field_types(name, args)  # (an enum's: all its variants')
            return next((w for x in fields if (w := _unhashable(em, x, seen | {name}))), None)
    return f"a `{ty}`"


def _discriminant(em: FnEmitter, e: ast.Call, value: g.GoExpr) -> g.GoExpr:
    """`mem::discriminant(&v)` of a package enum: a field-less enum's value (its
    discriminant), an enum with payloads' variant index (the runtime's gustVariantOf)."""
    ty = em.ty(e.args[0])
    while isinstance(ty, t.Ref):
        if em.types.ref_is_ptr(ty):
            value = g.unary("*", value)
        ty = ty.inner
    if isinstance(ty, t.Adt) and ty.name in em.env.enums and \
            ty.name not in em.types.pkg.foreign:  # (another package's: unexported methods)
        if em.types.is_iface_enum(ty.name):
            return g.call("gustVariantOf", value)
        if em.types.enum_is_simple(ty.name):
            return g.conversion("gustDiscriminant", value)
    raise _unsupported(f"`mem::discriminant` of a `{ty}`", e)


def is_seq(ty: t.Ty) -> bool:
    """An iterator's type (a Go `iter.Seq`), not a collection."""
    return isinstance(ty, t.Adt) and ty.name in ("Iter", "Range", "RangeInclusive")


def arg_ty_seen(em: FnEmitter, arg: ast.Expr) -> t.Ty:
    """An argument's type as its Go value has it: an erased iterator parameter
    (`ids: impl IntoIterator<Item = u32>`, `types.seq_params`) is an `iter.Seq`."""
    ty = em.ty(arg)
    if isinstance(ty, t.Param) and ty.name in em.types.seq_params:
        return t.Adt("Iter", (em.types.seq_params[ty.name],))
    return ty



# ---------------------------------------------------------------- Vec, numbers, Ordering


def vec_method(em: FnEmitter, e: ast.MethodCall, recv: g.GoExpr, elem: t.Ty,
               args: list[g.GoExpr]) -> g.GoExpr:
    """Read-only `Vec`/slice methods beyond the common ones of gust.codegen.body."""
    name = e.name
    match name:
        case "join":
            em.ctx.imports.add("strings")
            return g.call("strings.Join", recv, args[0])
        case "concat" if _deref(elem) == t.STR or _deref(elem) == t.Adt("String"):
            em.ctx.imports.add("strings")
            return g.call("strings.Join", recv, g.Atom('""', "string"))
        case "concat" if em.go(elem).startswith("[]"):
            em.ctx.imports.add("slices")  # `[[1, 2], [3]].concat()`: one new slice
            return g.call("slices.Concat", g.Atom(g.render(recv) + "..."))
        case "to_vec":
            return em.clone_expr(recv, t.Adt("Vec", (elem,)))
        case "as_slice" | "as_mut_slice":
            return recv  # a Go slice either way
        case "windows" | "chunks" | "chunks_exact":
            fn = {"windows": "gustWindows", "chunks": "gustChunks",
                  "chunks_exact": "gustChunksExact"}[name]
            em.ctx.site(e.name_span.start, "p")
            return g.call(fn, recv, args[0])
        case "split_at" | "split_at_mut":
            em.ctx.site(e.name_span.start, "p")
            return g.call("gustSplitAt", recv, args[0])
        case "binary_search":
            return g.call("gustBinarySearch", recv, deref_arg(em, args[0], e.args[0]))
        case "binary_search_by":
            by_ptr = em.types.ref_is_ptr(t.Ref(elem, False))
            return g.call("gustBinarySearchByRef" if by_ptr else "gustBinarySearchBy", recv,
                          args[0])
        case "partition_point":
            by_ptr = em.types.ref_is_ptr(t.Ref(elem, False))
            return g.call("gustPartitionPointRef" if by_ptr else "gustPartitionPoint", recv,
                          args[0])
        case "binary_search_by_key":
            by_ptr = em.types.ref_is_ptr(t.Ref(elem, False))
            return g.call("gustBinarySearchByKeyRef" if by_ptr else "gustBinarySearchByKey",
                          recv, deref_arg(em, args[0], e.args[0]), args[1])
        case "is_sorted":
            if _ordered(em, elem) and not isinstance(_deref(elem), t.Float):
                em.ctx.imports.add("slices")
                return g.call("slices.IsSorted", recv)
            return g.call("gustIsSorted", recv)  # NaN is in no order, as `partial_cmp`'s None
        case "starts_with" | "ends_with" | "strip_prefix" | "strip_suffix":
            prefix = args[0]
            if isinstance(_deref(em.ty(e.args[0])), t.Array):
                prefix = array_as_slice(prefix)  # `v.starts_with(&[1, 2])`
            end = g.Atom("true" if name in ("ends_with", "strip_suffix") else "false")
            fn = "gustSliceAffix" if name.endswith("with") else "gustSliceStrip"
            return g.call(fn, recv, prefix, end, eq_fn(em.ctx, elem))
        case "split_first" | "split_last" | "split_first_mut" | "split_last_mut":
            # `Option<(&T, &[T])>`: the element itself, or a pointer to it (a struct's, and
            # any `&mut T`: into the slice, which the rest shares too).
            by_ptr = em.types.ref_is_ptr(t.Ref(elem, name.endswith("_mut")))
            if name.endswith("_mut") and not by_ptr:
                raise _unsupported(f"`{name}` of a slice of `{elem}`", e)
            return g.call("gustSplitEnd" + ("Ref" if by_ptr else ""), recv,
                          g.Atom("true" if name.startswith("split_last") else "false"))
        case "contains":
            em.ctx.imports.add("slices")
            # The value looked for itself (a `&Struct` argument is a Go pointer).
            x = em.stable(deref_arg(em, args[0], e.args[0]), _deref(elem), "x")
            item = em.temp("item")
            test = g.render(em.eq_expr(g.ident(item), x, elem, _deref(elem), e))
            return g.call("slices.ContainsFunc", recv, g.FuncLit(
                f"func({item} {em.go(elem)}) bool", ((f"\treturn {test}", em.gl),)))
    raise _unsupported(f"the method `{name}`", e)


_FLOAT_FNS: Final = {"trunc": "math.Trunc", "ln": "math.Log", "exp": "math.Exp", "sin": "math.Sin",
              "cos": "math.Cos", "is_nan": "math.IsNaN"}


def number_method(em: FnEmitter, e: ast.MethodCall, recv: g.GoExpr, ty: t.Ty,
                  args: list[g.GoExpr]) -> g.GoExpr:
    name = e.name
    args = [em.typed(a, ty) for a in args]
    if isinstance(ty, t.Float) and name in _FLOAT_FNS:
        em.ctx.imports.add("math")
        if ty.kind == "f32":
            value: g.GoExpr = g.call(_FLOAT_FNS[name], g.conversion("float64", recv))
            return value if name == "is_nan" else g.conversion("float32", value)
        return g.call(_FLOAT_FNS[name], recv)
    if (found := int_methods.bytes_method(em, name, recv, ty)) is not None:
        return found
    match name:
        case "is_finite" | "is_infinite" if isinstance(ty, t.Float):
            em.ctx.imports.add("math")
            x = g.conversion("float64", recv) if ty.kind == "f32" else recv
            inf = g.call("math.IsInf", x, g.Atom("0", "int"))
            if name == "is_infinite":
                return inf
            x = em.stable(x, t.Float("f64"), "x")  # neither NaN nor infinite
            return g.binary("&&", g.negate(g.call("math.IsNaN", x)),
                            g.negate(g.call("math.IsInf", x, g.Atom("0", "int"))))
        case "fract" if isinstance(ty, t.Float):
            em.ctx.imports.add("math")
            x = em.stable(recv, ty, "x")  # `x - x.trunc()`, as Rust computes it
            wide = g.conversion("float64", x) if ty.kind == "f32" else x
            trunc: g.GoExpr = g.call("math.Trunc", wide)
            return g.binary("-", x, g.conversion("float32", trunc) if ty.kind == "f32"
                            else trunc)
        case "total_cmp":  # IEEE 754's total order: -NaN < -inf < -0 < +0 < inf < NaN
            fn = "gustTotalCmp32" if isinstance(ty, t.Float) and ty.kind == "f32" \
                else "gustTotalCmp64"
            return g.call(fn, recv, deref_arg(em, args[0], e.args[0]))
        case "cmp":
            em.ctx.imports.add("cmp")
            return g.call("cmp.Compare", recv, deref_arg(em, args[0], e.args[0]))
        case "partial_cmp":
            return g.call("gustPartialCmp", recv, deref_arg(em, args[0], e.args[0]))
        case "signum":
            return g.call("gustFloatSignum" if isinstance(ty, t.Float) else "gustSignum", recv)
        case "clamp":
            return g.call("gustClamp", recv, *args)
        case "rem_euclid":
            em.ctx.site(e.name_span.start, "d")
            return g.call("gustRemEuclid", recv, args[0])
        case "is_positive":
            return g.binary(">", recv, g.Atom("0", "int"))
        case "is_negative":
            return g.binary("<", recv, g.Atom("0", "int"))
        case "wrapping_neg" | "checked_neg":
            # `0 - x`, wrapped or checked (`-MIN` and any non-zero unsigned overflow).
            return number_method_ops(em, e, name.replace("neg", "sub"),
                                     em.typed(g.Atom("0", "int"), ty), recv, ty)
        case "overflowing_add" | "overflowing_sub" | "overflowing_mul":
            usize = isinstance(ty, t.Int) and ty.kind == "usize"
            return g.call("gustOverflowingUsize" if usize else "gustOverflowing", recv, args[0],
                          _op_rune(name))
        case "wrapping_add" | "wrapping_sub" | "wrapping_mul" | "wrapping_div" | \
                "wrapping_rem" | "checked_add" | "checked_sub" | "checked_mul" | \
                "checked_div" | "checked_rem" | "saturating_add" | "saturating_sub" | \
                "saturating_mul":
            return number_method_ops(em, e, name, recv, args[0], ty)
        case "count_ones":
            em.ctx.imports.add("math/bits")
            return g.conversion("uint32", g.call("bits.OnesCount64", g.conversion("uint64",
                                                                                   recv)))
    found = int_methods.emit(em, e, recv, ty, args)
    if found is not None:
        return found
    raise _unsupported(f"the method `{name}`", e)


def number_method_ops(em: FnEmitter, e: ast.MethodCall, name: str, a: g.GoExpr, b: g.GoExpr,
                      ty: t.Ty) -> g.GoExpr:
    """`wrapping_*`, `checked_*` and `saturating_*` of integers. A `usize` is a Go `int`
    that is never negative: it is checked as a `uint64` (gustCheckedUsize, ...)."""
    family, _, op_name = name.partition("_")
    op = _op_rune(name)
    usize = isinstance(ty, t.Int) and ty.kind == "usize"
    if family == "wrapping" and op_name in ("div", "rem"):
        em.ctx.site(e.name_span.start, "d")  # a zero divisor panics as `/` does
    if family == "wrapping" and not usize and op_name in ("add", "sub", "mul") and \
            not (_constant(a) and _constant(b)):
        # Go's integer arithmetic wraps; Go folds constant operands at compile time and
        # rejects an overflow, so those go through the runtime.
        return g.binary({"add": "+", "sub": "-", "mul": "*"}[op_name], a, b)
    func = {"wrapping": "gustWrapping", "checked": "gustChecked",
            "saturating": "gustSaturating"}[family]
    return g.call(func + ("Usize" if usize else ""), a, b, op)


def _op_rune(name: str) -> g.GoExpr:
    """The operator of `checked_add`, `saturating_sub`, ... as a Go rune literal."""
    op = {"add": "+", "sub": "-", "mul": "*", "div": "/", "rem": "%"}[name.rsplit("_", 1)[1]]
    return g.Atom(g.go_rune(op), "rune")


def _constant(x: g.GoExpr) -> bool:
    """A Go constant expression (literals, `math.MaxInt32`, conversions of them)."""
    match x:
        case g.Atom(text=text):
            return x.untyped is not None or text.startswith("math.")
        case g.Call(args=args, conversion=True):
            return all(_constant(a) for a in args)
        case g.Unary(x=inner) | g.Paren(x=inner):
            return _constant(inner)
        case g.Binary(x=a, y=b):
            return _constant(a) and _constant(b)
    return False


def _eq_fn_of(em: FnEmitter, elem: t.Ty) -> g.GoExpr:
    """Rust's `==` of two elements of type `elem` as a Go func (two pointers to the values
    for a `&Struct`)."""
    if isinstance(elem, t.Ref) and em.types.ref_is_ptr(elem):
        body = eq_expr(em.ctx, g.ident("x"), g.ident("y"), elem.inner)
        return g.FuncLit(f"func(a, b {em.go(elem)}) bool", (("\tx, y := *a, *b", None),
                                                             (f"\treturn {g.render(body)}", None)))
    return eq_fn(em.ctx, elem.inner if isinstance(elem, t.Ref) else elem)


def deref_arg(em: FnEmitter, value: g.GoExpr, arg: ast.Expr) -> g.GoExpr:
    ty = em.ty(arg)
    while isinstance(ty, t.Ref):
        if em.types.ref_is_ptr(ty):
            value = g.unary("*", value)
        ty = ty.inner
    return value


def ordering_method(em: FnEmitter, e: ast.MethodCall, recv: g.GoExpr,
                    args: list[g.GoExpr]) -> g.GoExpr:
    match e.name:
        case "reverse":
            return g.unary("-", recv)
        case "then":
            return g.call("gustThen", recv, args[0])
        case "then_with":
            return g.call("gustThenWith", recv, args[0])
        case "is_lt" | "is_gt" | "is_eq" | "is_le" | "is_ge" | "is_ne":
            op = {"lt": "<", "gt": ">", "eq": "==", "le": "<=", "ge": ">=", "ne": "!="}
            return g.binary(op[e.name[3:]], recv, g.Atom("0", "int"))
    raise _unsupported(f"the method `{e.name}`", e)
