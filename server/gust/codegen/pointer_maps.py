"""Local maps of structs changed in place hold pointers to their values.

Go cannot take the address of a map element, so a `get_mut` on a `map[K]V` copies the value
out and writes it back (gust.codegen.map_slots): a lookup and a store, two hashings of the
key, per update. A Go programmer who updates records in a map keeps a `map[K]*V`, and so
does the emitter for a local map that never leaves its function:

    let mut by_customer: HashMap<u32, Stats> = HashMap::new();
    match by_customer.get_mut(&id) {
        Some(stats) => stats.orders += 1,
        None => { by_customer.insert(id, Stats { orders: 1 }); }
    }

is

    by_customer := map[uint32]*Stats{}
    if stats, ok := by_customer[id]; ok {
        stats.orders = gustAddU(stats.orders, 1)
    } else {
        by_customer[id] = &Stats{orders: 1}
    }

`get_mut` (Rust's pointer into the table) is then the map's own pointer, with nothing to write
back, at the cost of one allocation per `insert`, as in the hand-written Go.

A map qualifies (`find`) when it is a `let` of `HashMap::new()` or `HashMap::with_capacity(n)`
holding a package struct (not keyed by a struct, which `iter` hands out by pointer, nor by a
`Vec`, whose key is encoded), no value holds counted `Rc`s (whose drops are tracked), some
`get_mut` is the scrutinee of a `match` or an `if let` (or `let e = m.entry(k).or_insert(v)`
binds a reference), and every other use of it is one this module translates: `insert` as a
statement (`m[k] = &v`), `get`, `contains_key`, `len`, `is_empty`, and `iter()`, `values()` or
`&m` as the iterable of a `for` loop (they yield the pointers, as a map of values yields
pointers to copies). The `entry` is one lookup, and an insertion when the key is missing:

    e, ok := m[k]
    if !ok {
        e = &Item{qty: 0}
        m[k] = e
    }

Any other use (passing the map on, returning it, printing it, another form of `entry`,
`remove`...) leaves it a map of values: the Go type of a map anyone else sees stays
`map[K]V`.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Final

from gust.codegen import goast as g
from gust.codegen import gostmt, rc_counts
from gust.codegen.astwalk import constructor_call, local_of
from gust.codegen.astwalk import strip_parens as _strip
from gust.sema import types as t
from gust.sema.results import LocalRes
from gust.syntax import ast

if TYPE_CHECKING:
    from gust.codegen.body import FnEmitter

_CONSTRUCTORS: Final = frozenset({"new", "with_capacity"})
# Methods whose Go is the same for a map of pointers (`len(m)`, `gustHasKey(m, k)`) or whose
# result is already a pointer for a map of structs (`get`: `Option<&V>` is `Option[*V]`).
_ANYWHERE: Final = frozenset({"len", "is_empty", "contains_key", "get"})


def _local_of(em: FnEmitter, e: ast.Expr) -> int | None:
    return local_of(em.br.paths, e)


def _map_method(em: FnEmitter, call: ast.MethodCall) -> bool:
    res = em.br.methods.get(call)
    return res is not None and res.builtin and res.owner == "HashMap" and res.derefs == 0


def _holds_structs(em: FnEmitter, ty: t.Ty) -> bool:
    if not (isinstance(ty, t.Adt) and ty.name == "HashMap" and len(ty.args) == 2):
        return False
    key, value = ty.args
    return em.types.is_struct(value) and not em.types.is_struct(key) and \
        not em.types.coded_key(ty) and not rc_counts.owns(em.types, value)


def find(em: FnEmitter) -> frozenset[int]:
    """The locals of the function that are maps of pointers (see the module's doc)."""
    candidates: set[int] = set()
    for st in em.nodes.of_type(ast.Let):
        pat = st.pat
        if isinstance(pat, ast.IdentPat) and pat.sub is None and not pat.by_ref and \
                pat in em.br.bindings and \
                constructor_call(st.init, "HashMap", _CONSTRUCTORS) is not None:
            local = em.br.bindings[pat]
            if _holds_structs(em, em.br.locals[local].ty):
                candidates.add(local)
    if not candidates:
        return frozenset()
    # The scrutinees where `get_mut` becomes `if v, ok := m[k]; ok`, the statements whose
    # value is dropped, and the iterables of `for` loops.
    scrutinees = {id(_strip(m.scrutinee)) for m in em.nodes.of_type(ast.Match)}
    scrutinees.update(id(_strip(i.cond.expr)) for i in em.nodes.of_type(ast.If)
                      if isinstance(i.cond, ast.LetCond))
    statements = {id(_strip(s.expr)) for s in em.nodes.of_type(ast.ExprStmt) if s.has_semi}
    iterables = {id(_strip(f.iter)) for f in em.nodes.of_type(ast.For)}
    allowed: set[int] = set()  # the uses (path expressions) translated here
    updated: set[int] = set()
    for entry in _entry_lets(em):
        receiver = _local_of(em, entry.receiver)
        if receiver is not None and receiver in candidates and _map_method(em, entry):
            allowed.add(id(_strip(entry.receiver)))
            updated.add(receiver)
    for call in em.nodes.of_type(ast.MethodCall):
        receiver = _local_of(em, call.receiver)
        if receiver is None or receiver not in candidates or not _map_method(em, call):
            continue
        ok = call.name in _ANYWHERE or \
            (call.name == "get_mut" and id(call) in scrutinees) or \
            (call.name == "insert" and id(call) in statements) or \
            (call.name in ("iter", "values") and id(call) in iterables)
        if ok:
            allowed.add(id(_strip(call.receiver)))
            if call.name == "get_mut":
                updated.add(receiver)
    for loop in em.nodes.of_type(ast.For):
        it = _strip(loop.iter)
        if isinstance(it, ast.Borrow) and not it.mutable and \
                _local_of(em, it.operand) in candidates:
            allowed.add(id(_strip(it.operand)))
    for p in em.nodes.of_type(ast.PathExpr):
        res = em.br.paths.get(p)
        if isinstance(res, LocalRes) and res.local in candidates and id(p) not in allowed:
            candidates.discard(res.local)
    return frozenset(candidates & updated)


def _entry_lets(em: FnEmitter) -> list[ast.MethodCall]:
    """The `m.entry(k)` calls of `let e = m.entry(k).or_insert(v);` whose `e` is a
    pointer (a `&mut` of a struct)."""
    found: list[ast.MethodCall] = []
    for st in em.nodes.of_type(ast.Let):
        call = _strip(st.init) if st.init is not None else None
        pat = st.pat
        if not (isinstance(call, ast.MethodCall) and call.name == "or_insert" and
                len(call.args) == 1 and isinstance(pat, ast.IdentPat) and pat.sub is None and
                not pat.by_ref and pat in em.br.bindings and
                em.types.ref_is_ptr(em.br.locals[em.br.bindings[pat]].ty)):
            continue
        res = em.br.methods.get(call)
        entry = _strip(call.receiver)
        if res is not None and res.builtin and res.owner == "Entry" and \
                isinstance(entry, ast.MethodCall) and entry.name == "entry" and \
                len(entry.args) == 1:
            found.append(entry)
    return found


def entry_let(em: FnEmitter, local: int, call: ast.MethodCall) -> None:
    """`let e = m.entry(k).or_insert(v);` on a map of pointers: `e` is the map's pointer,
    a new value's when the key was missing. `v` is evaluated first, as Rust's argument is;
    a literal of plain values is built only when it is inserted."""
    entry = _strip(call.receiver)
    assert isinstance(entry, ast.MethodCall)
    map_ty = em.ty(entry.receiver)
    assert isinstance(map_ty, t.Adt) and len(map_ty.args) == 2
    key_ty, value_ty = map_ty.args
    m = em.expr(entry.receiver)
    key = em.adapt(em.expr(entry.args[0]), em.ty(entry.args[0]), key_ty)
    if not g.is_pure(key):
        key = g.ident(em.define_temp(key, key_ty, "key"))
    value = em.adapt(em.expr(call.args[0]), em.ty(call.args[0]), value_ty)
    if not _plain(value):
        value = g.ident(em.define_temp(value, value_ty, "value"))
    go, ok = em.declare(local), em.temp("ok")
    em.line(f"{go}, {ok} := {g.render(g.index(m, key))}")
    inserted: list[gostmt.GoStmt] = []
    if isinstance(value, g.Composite):
        inserted.append(gostmt.Line(f"{go} = {g.render(g.unary('&', value))}", em.gl))
    else:  # a variable of its own, allocated only here
        fresh = em.temp("inserted")
        inserted.append(gostmt.Line(f"{fresh} := {g.render(value)}", em.gl))
        inserted.append(gostmt.Line(f"{go} = &{fresh}", em.gl))
    inserted.append(gostmt.Line(f"{g.render(g.index(m, key))} = {go}", em.gl))
    em.cur.append(gostmt.If(f"!{ok}", inserted, None, em.gl))


def _plain(value: g.GoExpr) -> bool:
    """A name, a constant or a literal of them: evaluating it after the lookup instead of
    before cannot change what happens."""
    match value:
        case g.Atom():
            return True
        case g.Selector(x=inner):
            return _plain(inner)
        case g.Composite(elts=elts):
            return all(_plain(e.value if isinstance(e, g.KeyValue) else e) for e in elts)
    return False


def holds(em: FnEmitter, receiver: ast.Expr) -> bool:
    """Whether `receiver` is a map of pointers."""
    local = _local_of(em, receiver)
    return local is not None and local in em.pointer_maps


def new_map(em: FnEmitter, init: ast.Expr, ty: t.Ty) -> g.GoExpr:
    """`map[K]*V{}`, or `make(map[K]*V, n)` for `with_capacity(n)`."""
    assert isinstance(ty, t.Adt)
    go_ty = f"map[{em.go(ty.args[0])}]*{em.go(ty.args[1])}"
    call = constructor_call(init, "HashMap", _CONSTRUCTORS)
    assert call is not None
    if call.args:
        return g.call("make", g.Atom(go_ty), em.expr(call.args[0]))
    return g.Atom(go_ty + "{}")


def insert(em: FnEmitter, m: g.GoExpr, key: g.GoExpr, value: g.GoExpr) -> None:
    """`m.insert(k, v);`: `m[k] = &V{..}`, or a pointer to a new variable holding `v`
    (never to a local the value came from: a `Copy` struct stays usable after it)."""
    if isinstance(value, g.Composite):
        pointer = g.unary("&", value)
    else:
        copy = em.temp("value")
        em.line(f"{copy} := {g.render(value)}")
        pointer = g.unary("&", g.ident(copy))
    em.line(f"{g.render(g.index(m, key))} = {g.render(pointer)}")
