"""Mutable references into a `HashMap`: `get_mut`, `values_mut`, `iter_mut`.

Go cannot take the address of a map element, so a `&mut V` into a map is a pointer to a
copy of the value, written back to the map:

    if let Some(s) = inv.get_mut("pear") { s.qty -= 5; }

is

    if stock, ok := inv["pear"]; ok {
        s := &stock
        s.qty = gustSub(s.qty, 5)
        inv["pear"] = stock
    }

While the reference lives the borrow checker keeps every other use of the map away, so a
write-back at a point where the reference is live changes nothing anyone sees; once it is
dead (NLL: no use of it is reachable) the map may be read or changed, and a write-back
then would undo a change (`insert`). So the copy is written back right after the uses of
the reference, at the innermost statement using it (`write_back_after`): on every path, the
last use is followed by a write-back before anything else runs, and no write-back follows
that but after another use. Two exceptions keep the writes few:

* a statement whose next statement certainly uses the reference first (a statement with no
  branch, jump or closure, reaching no map: `t.hits += 1; t.sum += x;`) leaves the
  write-back to it: one map store for a run of updates;
* a statement with blocks (`if`, `match`, loops) leaves the write-backs to the statements of
  its blocks; its own parts (a condition, a scrutinee, an arm without a block) that only
  read the reference need none (the statement before wrote back); a condition, scrutinee or
  `for` loop's iterable that may change it (`while let Some(x) = t.items.pop()`) is
  followed by a write-back before the branch (`flush_changed`), so that a block where the
  reference is dead may use the map; when another part may change it (an adapter chain
  a `for` loop fuses),
  the statement writes back after itself, which is right only when its blocks cannot
  reach the map (else it is reported unsupported);
* a statement with blocks that cannot see the map (`_contained`: no jump, loop, closure,
  `select` or `go`, and every local it uses from before it is a slot or reaches no map:
  `if amount > t.largest { t.largest = amount; }`) holds its blocks' write-backs
  (`hold`) and writes back once after itself; the statement before it leaves its
  write-back to it as to a flat one.

A jump (`return`, `break`, `continue`, `?`) out of the reference's block writes back only
when its own statement uses the reference (`return t.total`, after computing the value);
otherwise the statement before it did. A closure that captures the reference counts as the
reference where it is used (`jump_writes`, `slot_uses`). A reference never used copies
nothing (`if _, ok := m[k]; ok`).
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Final

from gust.codegen import goast as g
from gust.codegen import pointer_maps
from gust.sema import traits as sema_traits
from gust.sema import types as t
from gust.sema.results import LocalRes
from gust.syntax import ast
from gust.syntax.walk import children
from gust.text import Span

if TYPE_CHECKING:
    from gust.codegen.body import Dest, FnEmitter

Bind = tuple[int, g.GoExpr, t.Ty]


def _unsupported(what: str, span: Span) -> Exception:
    from gust.codegen.body import UnsupportedAt

    return UnsupportedAt(what, span)


def _strip(e: ast.Expr) -> ast.Expr:
    while isinstance(e, ast.Paren):
        e = e.inner
    return e


def leaves_early(body: object) -> bool:
    """Whether `body` may leave the block before its end (closures aside)."""
    from gust.codegen.astwalk import walk

    leaving = (ast.Return, ast.Break, ast.Continue, ast.Try)
    return any(isinstance(n, leaving) for n in walk(body))


def get_mut_call(em: FnEmitter, e: ast.Expr) -> ast.MethodCall | None:
    """`m.get_mut(k)` on a `HashMap`."""
    e = _strip(e)
    if not isinstance(e, ast.MethodCall) or e.name != "get_mut" or len(e.args) != 1:
        return None
    res = em.br.methods.get(e)
    if res is None or not res.builtin or res.owner != "HashMap":
        return None
    return e


def if_let_slot(em: FnEmitter, cond: ast.LetCond, body: ast.Block
                ) -> tuple[str, list[Bind], str | None] | None:
    """`if let Some(x) = m.get_mut(k)`: the Go `if` header, the binding of `x` and the
    write-back line that ends the block (None when `x` is never used: the value is not
    copied). None when the condition is not one."""
    call = get_mut_call(em, cond.expr)
    pat = cond.pat
    if call is None:
        return None
    if not (isinstance(pat, ast.TupleStructPat) and pat.path.last.name == "Some" and
            len(pat.elems) == 1 and isinstance(pat.elems[0], (ast.IdentPat, ast.WildPat))):
        raise _unsupported("this pattern on `get_mut`", pat.span)
    m, key, value_ty = _map_and_key(em, call)
    inner = pat.elems[0]
    binds: list[Bind] = []
    if not (isinstance(inner, ast.IdentPat) and inner in em.br.bindings and
            em.br.bindings[inner] in em.refs):
        ok = em.temp("ok")  # (not the user's `ok`, which the body may read)
        return f"_, {ok} := {g.render(g.index(m, key))}; {ok}", binds, None
    local = em.br.bindings[inner]
    ref_ty = em.br.locals[local].ty
    if not em.types.ref_is_ptr(ref_ty):
        raise _unsupported(f"`get_mut` on a map of `{value_ty}`", call.span)
    if pointer_maps.holds(em, call.receiver):  # the map's own pointer: nothing to write back
        go, ok = em.declare(local), em.temp("ok")
        return f"{go}, {ok} := {g.render(g.index(m, key))}; {ok}", binds, None
    slot = em.temp(inner.name + "Value")
    binds.append((local, g.unary("&", g.ident(slot)), ref_ty))
    ok = em.temp("ok")
    header = f"{slot}, {ok} := {g.render(g.index(m, key))}; {ok}"
    return header, binds, f"{g.render(g.index(m, key))} = {slot}"


def walks_down(em: FnEmitter, receiver: ast.Expr) -> bool:
    """Whether the map expression (`node.children`) is reached through a local that the
    function assigns again (`node = child`): a cursor walking down a tree of maps."""
    root = _strip(receiver)
    while isinstance(root, (ast.Field, ast.TupleField, ast.Index)) or (
            isinstance(root, ast.Unary) and root.op == "*"):
        root = _strip(root.base if not isinstance(root, ast.Unary) else root.operand)
    if not isinstance(root, ast.PathExpr) or \
            not isinstance(res := em.br.paths.get(root), LocalRes):
        return False
    return any(isinstance(target := _strip(a.target), ast.PathExpr) and
               isinstance(r := em.br.paths.get(target), LocalRes) and r.local == res.local
               for a in em.nodes.of_type(ast.Assign))


def _cursor_local(em: FnEmitter, receiver: ast.Expr) -> int | None:
    """The local at the root of a place (`node` of `node.children`)."""
    root = _strip(receiver)
    while isinstance(root, (ast.Field, ast.TupleField, ast.Index)) or (
            isinstance(root, ast.Unary) and root.op == "*"):
        root = _strip(root.base if not isinstance(root, ast.Unary) else root.operand)
    if isinstance(root, ast.PathExpr) and isinstance(res := em.br.paths.get(root), LocalRes):
        return res.local
    return None


def _shared_in_go(ty: t.Ty) -> bool:
    """A value that Go shares between a copy and its original (a map or set)."""
    while isinstance(ty, t.Ref):
        ty = ty.inner
    return isinstance(ty, t.Adt) and ty.name in ("HashMap", "BTreeMap", "HashSet", "BTreeSet")


def cursor_write(em: FnEmitter, local: int) -> Span | None:
    """Where the function may change the value behind the cursor `local` other than through
    its maps (`node.end = true`, `node.count += 1`, `node.label.push(c)`, passing `node` on).
    After `node = child` the cursor points to a copy of a map's value that was written
    back when `child` died: such a change would be lost."""
    def at_root(e: ast.Expr) -> bool:
        return _cursor_local(em, e) == local

    def bare(e: ast.Expr) -> bool:
        e = _strip(e)
        return isinstance(e, ast.PathExpr) and at_root(e)

    places: set[int] = set()  # the places rooted at the cursor already judged
    for a in em.nodes.of_type(ast.Assign):
        if at_root(a.target):
            places.add(id(_strip(a.target)))
            if not bare(a.target):
                return a.target.span
    for c in em.nodes.of_type(ast.CompoundAssign):
        if at_root(c.target):
            return c.target.span
    for b in em.nodes.of_type(ast.Borrow):
        if at_root(b.operand):
            places.add(id(_strip(b.operand)))
            if b.mutable and not _shared_in_go(em.ty(b.operand)):
                return b.span
    for m in em.nodes.of_type(ast.MethodCall):
        if not at_root(m.receiver):
            continue
        places.add(id(_strip(m.receiver)))
        res = em.br.methods.get(m)
        if res is not None and (res.self_kind == "ref_mut" or res.autoref == "&mut") and \
                not _shared_in_go(em.ty(m.receiver)):
            return m.receiver.span
    bases: list[ast.Expr] = [f.base for f in em.nodes.of_type(ast.Field)]
    bases += [f.base for f in em.nodes.of_type(ast.TupleField)]
    bases += [i.base for i in em.nodes.of_type(ast.Index)]
    places.update(id(_strip(b)) for b in bases)  # a field's base is read, not passed on
    for p in em.nodes.of_type(ast.PathExpr):
        if at_root(p) and id(p) not in places:
            return p.span  # the cursor itself passed on (`visit(node)`, `Some(node)`)
    return None


def _map_and_key(em: FnEmitter, call: ast.MethodCall) -> tuple[g.GoExpr, g.GoExpr, t.Ty]:
    """The map (evaluated once) and the key of `m.get_mut(k)`, and the value type."""
    res = em.br.methods[call]
    recv_ty = em.ty(call.receiver)
    map_ty = em._deref_ty(recv_ty, res.derefs)
    if not (isinstance(map_ty, t.Adt) and len(map_ty.args) == 2):
        raise _unsupported("this `get_mut`", call.span)
    key_ty, value_ty = map_ty.args
    m = em._deref_expr(em.expr(call.receiver), recv_ty, res.derefs)
    # A cursor walking down (`node = child` after `node.children.get_mut(t)`): the map is
    # the one before the walk moves on, for the write-back too.
    walking = walks_down(em, call.receiver)
    cursor = _cursor_local(em, call.receiver)
    if walking and cursor is not None and (written := cursor_write(em, cursor)) is not None:
        raise _unsupported("a change through a cursor walking down a tree of maps "
                           "(`node = child` after `node.children.get_mut(k)`: the cursor "
                           "points to a copy of the map's value)", written)
    m = g.ident(em.define_temp(m, map_ty, "m")) if walking else em.stable(m, map_ty, "m")
    from gust.codegen.std_calls import coded

    key = coded(em, em.adapt(em.expr(call.args[0]), em.ty(call.args[0]), key_ty), map_ty)
    if not g.is_pure(key):
        key = g.ident(em.define_temp(key, _key_var_ty(em, map_ty, key_ty), "key"))
    return m, key, value_ty


def _key_var_ty(em: FnEmitter, map_ty: t.Ty, key_ty: t.Ty) -> t.Ty:
    """The type of a variable holding a map's Go key: a `Vec` key's encoding is a string."""
    return t.Adt("String") if em.types.coded_key(map_ty) else key_ty


def _mut_map_source(em: FnEmitter, it: ast.Expr) -> tuple[ast.Expr, str] | None:
    """The map of `m.values_mut()`, `m.iter_mut()` or `&mut m`, and which one."""
    it = _strip(it)
    if isinstance(it, ast.MethodCall) and it.name in ("values_mut", "iter_mut") and \
            not it.args:
        res = em.br.methods.get(it)
        if res is not None and res.builtin and res.owner == "HashMap":
            return it, it.name
    if isinstance(it, ast.Borrow) and it.mutable and _is_map(em.ty(it.operand)):
        return it, "iter_mut"
    return None


def _is_map(ty: t.Ty) -> bool:
    while isinstance(ty, t.Ref):
        ty = ty.inner
    return isinstance(ty, t.Adt) and ty.name in ("HashMap", "BTreeMap") and len(ty.args) == 2


def for_mut(em: FnEmitter, e: ast.For, label: str | None) -> bool:
    """`for v in m.values_mut()` / `for (k, v) in m.iter_mut()` / `for (k, v) in &mut m`:
    a range over the map whose body ends by writing the value back."""
    from gust.codegen import gostmt as s
    from gust.codegen.body import DISCARD

    found = _mut_map_source(em, e.iter)
    if found is None:
        return False
    it, kind = found
    if isinstance(it, ast.MethodCall):
        res = em.br.methods[it]
        recv_ty = em.ty(it.receiver)
        map_ty = em._deref_ty(recv_ty, res.derefs)
        m = em._deref_expr(em.expr(it.receiver), recv_ty, res.derefs)
    else:
        assert isinstance(it, ast.Borrow)
        map_ty = em.ty(it.operand)
        m = em.expr(it.operand)
        while isinstance(map_ty, t.Ref):
            map_ty = map_ty.inner  # a map is a reference in Go already: `&mut m` is `m`
    m = em.stable(m, map_ty, "m")
    if kind == "values_mut":
        key_pat: ast.Pat | None = None
        value_pat: ast.Pat = e.pat
    elif isinstance(e.pat, ast.TuplePat) and len(e.pat.elems) == 2:
        key_pat, value_pat = e.pat.elems
    else:
        raise _unsupported("this pattern over a map's mutable references", e.pat.span)
    key, slot = em.temp("key"), em.temp("value")
    binds: list[Bind] = []
    key_value: g.GoExpr = g.ident(key)
    if em.types.coded_key(map_ty) and isinstance(map_ty, t.Adt):  # a `Vec` key, decoded
        decode = "gustKeyRefFrom" if em.types.is_struct(map_ty.args[0]) else "gustKeyFrom"
        key_value = g.call(f"{decode}[{em.go(map_ty.args[0])}]", g.ident(key))
    for pat, value in ((key_pat, key_value), (value_pat, g.unary("&", g.ident(slot)))):
        if isinstance(pat, ast.IdentPat) and pat.sub is None and pat in em.br.bindings:
            local = em.br.bindings[pat]
            ty = em.br.locals[local].ty
            if em.types.ref_is_ptr(ty) != (pat is value_pat):
                raise _unsupported(f"a reference of type `{ty}` into a map", pat.span)
            binds.append((local, value, ty))
        elif pat is not None and not isinstance(pat, ast.WildPat):
            raise _unsupported("this pattern over a map's mutable references", pat.span)
    write_back = f"{g.render(g.index(m, g.ident(key)))} = {slot}"
    with em.block() as body:
        em.emit_binds(binds)
        with em.slot_written_back(binds, write_back):
            em.block_stmts(e.body, DISCARD)
    if isinstance(map_ty, t.Adt) and map_ty.name == "BTreeMap":
        # In key order, as Rust's: the slot is read from the map at each key.
        body.insert(0, s.Line(f"{slot} := {g.render(g.index(m, g.ident(key)))}"))
        em.cur.append(s.For(f"_, {key} := range gustSortedKeys({g.render(m)})", body, label,
                            gline=em.gl))
        return True
    em.cur.append(s.For(f"{key}, {slot} := range {g.render(m)}", body, label, gline=em.gl))
    return True


def returned_value(em: FnEmitter, dest: Dest) -> tuple[Dest, str | None]:
    """A block holding a `get_mut` reference that is a function's tail: its value goes to
    a variable returned after the write-back (`return value` would leave before it)."""
    from gust.codegen.body import DISCARD, Assign, Return

    if not isinstance(dest, Return):
        return dest, None
    if em.ret == t.UNIT:
        return DISCARD, None
    result = em.temp("result")
    em.line(f"var {result} {em.go(em.ret)}")
    return Assign(g.ident(result), em.ret), f"return {result}"


def is_slot_if(em: FnEmitter, e: ast.If) -> bool:
    """`if let Some(x) = m.get_mut(k)` on a map of values (written back)."""
    return isinstance(e.cond, ast.LetCond) and \
        (call := get_mut_call(em, e.cond.expr)) is not None and \
        not pointer_maps.holds(em, call.receiver)


def match_slot(em: FnEmitter, e: ast.Match, dest: Dest) -> bool:
    """`match m.get_mut(k) { Some(x) => .., None => .. }`: the `if let` form."""
    from gust.codegen import gostmt as s

    call = get_mut_call(em, e.scrutinee)
    if call is None:
        return False
    some = [a for a in e.arms if isinstance(a.pat, ast.TupleStructPat)]
    rest = [a for a in e.arms if a not in some]
    if len(some) != 1 or len(rest) > 1 or any(a.guard is not None for a in e.arms):
        raise _unsupported("this `match` on `get_mut`", e.span)
    after = None
    if not pointer_maps.holds(em, call.receiver):  # (a map of pointers writes nothing back)
        dest, after = returned_value(em, dest)
    arm = some[0]
    cond = ast.LetCond(arm.pat, e.scrutinee, e.span)
    body = arm.body if isinstance(arm.body, ast.Block) else ast.Block((), arm.body, arm.span)
    found = if_let_slot(em, cond, body)
    assert found is not None
    header, binds, write_back = found
    with em.block() as then:
        em.emit_binds(binds)
        if write_back is None:
            em.into_final(arm.body, dest)
        else:
            with em.slot_written_back(binds, write_back):
                em.into_final(arm.body, dest)
    else_ = None
    if rest:
        with em.block() as else_body:
            em.into_final(rest[0].body, dest)
        else_ = else_body or None
    em.cur.append(s.If(header, then, else_, em.ctx.gline(e.span)))
    if after is not None:
        em.line(after, "return")
    return True


def unwrapped_get_mut(em: FnEmitter, e: ast.Expr) -> list[ast.MethodCall]:
    """The `m.get_mut(k).unwrap()` (or `.expect(..)`) calls of a statement, but for those
    in the blocks inside it (a loop's or an `if`'s body: their own statements translate
    them, when they run) and the initialisers of `let`s (`let_slot` translates those)."""
    nodes = list(em.nodes.walk(e))
    bound = {id(_strip(n.init)) for n in nodes if isinstance(n, ast.Let) and
             n.init is not None and isinstance(n.pat, ast.IdentPat)}
    for n in nodes:
        if isinstance(n, ast.Block) and n is not e:
            bound.update(id(inner) for inner in em.nodes.walk(n))
    return [n for n in nodes if isinstance(n, ast.MethodCall) and id(n) not in bound and
            n.name in ("unwrap", "expect") and get_mut_call(em, n.receiver) is not None]


def expr_stmt(em: FnEmitter, e: ast.Expr) -> bool:
    """A statement using `m.get_mut(k).unwrap()` as a place (`*m.get_mut(&k).unwrap() += 1`,
    `m.get_mut(&k).unwrap().push(x)`): the value copied out (panicking like `unwrap` when
    the key is missing), the statement on the copy, the copy written back."""
    calls = unwrapped_get_mut(em, e)
    if not calls:
        return False
    if len(calls) > 1 or leaves_early(e):
        raise _unsupported("this use of `get_mut`", e.span)
    unwrap = calls[0]
    get_mut = get_mut_call(em, unwrap.receiver)
    assert get_mut is not None
    stmt = _strip(e)
    if isinstance(stmt, ast.Assign) and _strip(stmt.value) is unwrap:
        # `node = node.children.get_mut(&t).unwrap();`: the reference outlives the
        # statement, whose write-back would come before its uses.
        raise _unsupported("a `get_mut` reference assigned to a variable declared before "
                           "(`node = node.children.get_mut(&t).unwrap()`; `let` and "
                           "`if let` bindings are supported)", unwrap.span)
    m, key, value_ty = _map_and_key(em, get_mut)
    ref_ty = em.ty(unwrap)
    if not em.types.ref_is_ptr(ref_ty):
        raise _unsupported(f"`get_mut` on a map of `{value_ty}`", get_mut.span)
    args = [em.expr(a) for a in unwrap.args]
    em.ctx.site(unwrap.name_span.start, "p")
    slot = em.temp("value")
    found = g.call("gustUnwrap" if unwrap.name == "unwrap" else "gustExpect",
                   g.call("gustMapGet", m, key), *args)
    em.line(f"{slot} := {g.render(found)}")
    em.expr_override[unwrap] = g.unary("&", g.ident(slot))
    try:
        from gust.codegen.body import DISCARD

        em.into(e, DISCARD)
    finally:
        del em.expr_override[unwrap]
    em.line(f"{g.render(g.index(m, key))} = {slot}")
    return True


def let_slot(em: FnEmitter, st: ast.Let) -> bool:
    """`let v = m.get_mut(k)?;` (or `.unwrap()`, `.expect(..)`): the value copied out of
    the map (`?` returning `None` when the key is missing, `unwrap` panicking), `v` a
    pointer to the copy, written back after every statement of the block that uses `v`
    and before every jump out of the block. False when `st` is not one."""
    from gust.codegen import gostmt as s

    pat, init = st.pat, _strip(st.init) if st.init is not None else None
    if not (isinstance(pat, ast.IdentPat) and pat.sub is None and not pat.by_ref and
            pat in em.br.bindings and init is not None):
        return False
    or_err: ast.MethodCall | None = None  # `m.get_mut(k).ok_or_else(|| ..)?`
    if isinstance(init, ast.Try) and isinstance(inner := _strip(init.inner), ast.MethodCall) \
            and inner.name in ("ok_or", "ok_or_else") and len(inner.args) == 1:
        call, how, or_err = get_mut_call(em, inner.receiver), "?", inner
    elif isinstance(init, ast.Try):
        call, how = get_mut_call(em, init.inner), "?"
    elif isinstance(init, ast.MethodCall) and init.name in ("unwrap", "expect"):
        call, how = get_mut_call(em, init.receiver), init.name
    else:
        return False
    if call is None:
        return False
    local = em.br.bindings[pat]
    ref_ty = em.br.locals[local].ty
    m, key, value_ty = _map_and_key(em, call)
    if not em.types.ref_is_ptr(ref_ty):
        raise _unsupported(f"`get_mut` on a map of `{value_ty}`", call.span)
    if not isinstance(key, g.Atom) or not key.text[:1].isdigit():
        key_ty = _key_var_ty(em, em._deref_ty(em.ty(call.receiver), em.br.methods[call].derefs),
                             em.ty(call.args[0]))
        key = g.ident(em.define_temp(key, key_ty, "key"))  # fixed while `v` lives
    slot = em.temp(pat.name + "Value")
    if or_err is not None:
        _slot_or_err(em, or_err, m, key, slot)
    elif how == "?":
        ret = em.ret
        if not (isinstance(ret, t.Adt) and ret.name == "Option"):
            raise _unsupported("`?` on `get_mut` in a function not returning `Option`",
                               init.span)
        ok = em.temp("ok")
        em.line(f"{slot}, {ok} := {g.render(g.index(m, key))}")
        early: list[s.GoStmt] = [s.Line(text, em.gl) for text in em.exit_lines(None)]
        early.append(s.Line(f"return None[{em.go(ret.args[0])}]()", em.gl, "return"))
        em.cur.append(s.If(f"!{ok}", early, None, em.gl))
    else:
        assert isinstance(init, ast.MethodCall)
        args = [em.expr(a) for a in init.args]
        em.ctx.site(init.name_span.start, "p")
        found = g.call("gustUnwrap" if how == "unwrap" else "gustExpect",
                       g.call("gustMapGet", m, key), *args)
        em.line(f"{slot} := {g.render(found)}")
    _hold(em, local, ref_ty, m, key, slot)
    return True


def entry_slot(em: FnEmitter, st: ast.Let) -> bool:
    """`let e = m.entry(k).or_insert(Item { .. });` with struct values, whose fields are then
    changed (`e.qty += q`): Go cannot assign to a map element's field, so the element is
    inserted, copied out and written back as `get_mut`'s (`let_slot`). False when `st` is not
    one."""
    from gust.codegen import std_calls

    pat, init = st.pat, _strip(st.init) if st.init is not None else None
    if not (isinstance(pat, ast.IdentPat) and pat.sub is None and not pat.by_ref and
            pat in em.br.bindings and isinstance(init, ast.MethodCall) and
            std_calls.is_entry_call(em, init)):
        return False
    local = em.br.bindings[pat]
    ref_ty = em.br.locals[local].ty
    if not (isinstance(ref_ty, t.Ref) and em.types.ref_is_ptr(ref_ty) and (
            em.types.is_struct(ref_ty.inner) or _passed_on(em, local))):
        return False
    entry = _strip(init.receiver)
    if init.name == "or_insert" and isinstance(entry, ast.MethodCall) and \
            pointer_maps.holds(em, entry.receiver):
        pointer_maps.entry_let(em, local, init)  # the map's own pointer: no write-back
        return True
    place = std_calls.entry_place(em, init, copy_struct=False)
    if not (isinstance(place, g.Unary) and isinstance(place.x, g.Index)):
        raise _unsupported("this `entry` on a map of structs", init.span)
    m, key = place.x.x, place.x.index
    slot = em.temp(pat.name + "Value")
    em.line(f"{slot} := {g.render(place.x)}")
    _hold(em, local, ref_ty, m, key, slot)
    return True


def _passed_on(em: FnEmitter, local: int) -> bool:
    """Whether the body uses the `&mut V` `local` as a reference (`bump(n)`), not only as
    `*n` or in a format string: Go has no pointer to a map element to give."""
    derefs = {id(u.operand) for u in em.nodes.of_type(ast.Unary) if u.op == "*"}
    formatted = {id(a) for fs in em.br.formats.values() for a in fs.args}
    return any(isinstance(res := em.br.paths.get(p), LocalRes) and res.local == local and
               id(p) not in derefs and id(p) not in formatted
               for p in em.nodes.of_type(ast.PathExpr))


def _hold(em: FnEmitter, local: int, ref_ty: t.Ty, m: g.GoExpr, key: g.GoExpr, slot: str
          ) -> None:
    """`local` (a `&mut V` into the map) is a pointer to `slot`, the copy of `m[key]`,
    written back after the statements using it and before jumps out of its block."""
    em.emit_binds([(local, g.unary("&", g.ident(slot)), ref_ty)])
    write_back = f"{g.render(g.index(m, key))} = {slot}"
    em.slot_writebacks.append((local, write_back))
    em.slot_lines[write_back] = local
    em.leave_unlocks[-1].lines.append(write_back)


def _slot_or_err(em: FnEmitter, or_err: ast.MethodCall, m: g.GoExpr, key: g.GoExpr,
                 slot: str) -> None:
    """`let v = m.get_mut(k).ok_or(e)?;` / `.ok_or_else(|| e)?` in a function returning a
    `Result`: a missing key returns the error (converted by `From` as `?` does)."""
    from gust.codegen import conversions, std_calls
    from gust.codegen import gostmt as s
    from gust.codegen.gotypes import Unsupported

    ret, err_ty = em.ret, em.ty(or_err)
    if not (isinstance(ret, t.Adt) and ret.name == "Result" and isinstance(err_ty, t.Adt)
            and err_ty.name == "Result"):
        raise _unsupported("`?` on `get_mut` in a function not returning `Result`",
                           or_err.span)
    if or_err.name == "ok_or":
        err: g.GoExpr = em.expr(or_err.args[0])
        if not (isinstance(err, g.Atom) and err.text.isidentifier()):
            # Rust evaluates `ok_or`'s argument before the lookup.
            err = g.ident(em.define_temp(err, em.ty(or_err.args[0]), "err"))
    ok = em.temp("ok")
    em.line(f"{slot}, {ok} := {g.render(g.index(m, key))}")
    with em.block() as early:
        if or_err.name == "ok_or_else":  # `|| e`'s `e`, or a call of the function
            err = std_calls.call_default(em, or_err.args[0], err_ty.args[1])
        if err_ty.args[1] != ret.args[1]:
            try:
                err = conversions.convert(em, err, err_ty.args[1], ret.args[1])
            except Unsupported as exc:
                raise _unsupported(exc.what, or_err.span) from None
        em._lines(em.exit_lines(None))
        em.line(f"return Err[{em.go(ret.args[0])}, {em.go(ret.args[1])}]({g.render(err)})",
                "return")
    em.cur.append(s.If(f"!{ok}", early, None, em.gl))


# ---------------------------------------------------------------- where copies go back

# Nodes after which the next statement may not run, or may run without its own code first.
_BRANCHING: Final = (ast.Block, ast.If, ast.Match, ast.Loop, ast.While, ast.For, ast.Return,
              ast.Break, ast.Continue, ast.Try, ast.Closure, ast.Select, ast.GoExpr)


def write_back_after(em: FnEmitter, node: object, after: object | None,
                     after_holds: bool = True) -> None:
    """After the innermost statement `node` (followed by `after` in its block, if any):
    write back the slots whose references it uses, unless `after` certainly uses the
    reference first or `node` leaves it to its blocks (the module's docstring).
    `after_holds` is False when `after` is a tail whose value is returned: each of its
    branches ends with a `return`, so it cannot write back after itself (`hold`)."""
    if not em.slot_writebacks or em._ends_with_jump():
        return
    done: set[str] = set()
    for local, line in em.slot_writebacks:
        if line in done or line in em.slot_held or not slot_uses(em, node, local):
            continue
        if after is not None and _uses_first(em, after, local, after_holds):
            continue
        if not _flat(em, node) and not _contained(em, node) and \
                not _changes_outside_blocks(em, node, local):
            continue
        done.add(line)
        em.line(line)


def hold(em: FnEmitter, node: object) -> frozenset[str]:
    """The write-backs that the statement `node`, about to be emitted, holds back from its
    blocks (added to `em.slot_held`): those of the slots it uses when it cannot see the map
    (`_contained`), and no enclosing statement holds them already. The caller removes them
    from `em.slot_held` after the statement, and `write_back_after` writes them once."""
    if not em.slot_writebacks or _flat(em, node) or not _contained(em, node):
        return frozenset()
    held = frozenset(line for local, line in em.slot_writebacks
                     if line not in em.slot_held and slot_uses(em, node, local))
    em.slot_held |= held
    return held


def flush_changed(em: FnEmitter, cond: ast.Expr) -> list[str]:
    """The write-backs of the slots whose references the condition or scrutinee `cond` of
    a statement with blocks may change (`while let Some(x) = t.items.pop()`), to emit right
    after it is computed, before the branch: a block where the reference is dead may use
    the map (`return`ing after an `insert`), and finds it current. The statement then
    writes none of them back after itself (`_changes_outside_blocks` skips `cond`)."""
    if not em.slot_writebacks:
        return []
    found = _outside_blocks(em, cond)
    parents = {id(n): p for n, p in found}
    lines: list[str] = []
    for local, line in em.slot_writebacks:
        if line not in lines and line not in em.slot_held and \
                any(_is_use(em, n, local) and _changes(em, n, parents) for n, _ in found):
            lines.append(line)
    if lines:
        em.slot_flushed.add(id(cond))
    return lines


def jump_writes(em: FnEmitter, line: str) -> bool:
    """Whether a jump out of a slot's block writes the slot back (`line`): when the
    innermost statement holding the jump uses the reference outside its blocks (each of
    which wrote back after its own uses, as did the statements before)."""
    local = em.slot_lines[line]
    if not em.slot_stmts:
        return False
    node = em.slot_stmts[-1]
    return any(_is_use(em, n, local) for n, _ in _outside_blocks(em, node, static=True))


def slot_uses(em: FnEmitter, node: object, local: int) -> bool:
    """Whether `node` uses the slot reference `local`, or a closure that captured it."""
    used = em.uses_in(node)
    return local in used or bool(used & _closures_of(em, local))


def _closures_of(em: FnEmitter, local: int) -> set[int]:
    """The locals bound to a closure that uses `local` (`let mut bump = || t.n += 1;`):
    calling one uses the reference."""
    found = em.slot_closures.get(local)
    if found is None:
        found = set()
        body = em.fn.body
        for n in em.nodes.walk(body) if body is not None else ():
            if isinstance(n, ast.Let) and isinstance(n.pat, ast.IdentPat) and \
                    n.pat in em.br.bindings and n.init is not None and \
                    isinstance(_strip(n.init), ast.Closure) and local in em.uses_in(n.init):
                found.add(em.br.bindings[n.pat])
        em.slot_closures[local] = found
    return found


def _flat(em: FnEmitter, node: object) -> bool:
    """A statement without blocks, branches, jumps or closures."""
    if isinstance(node, ast.Let) and node.else_block is not None:
        return False
    return not any(isinstance(n, _BRANCHING) for n in em.nodes.walk(node))


def _uses_first(em: FnEmitter, node: object, local: int, holds: bool = True) -> bool:
    """Whether the statement `node` uses the reference and writes it back after itself
    before anything could read or change its map: it has no branch or jump, or (`holds`)
    its blocks cannot see the map either (`_contained`), and it reaches no map."""
    if not slot_uses(em, node, local):
        return False
    if _flat(em, node):
        return _reaches_no_map(em, node)
    return holds and _contained(em, node)


# Nodes a statement whose write-backs wait for its end must not hold: a jump leaves before
# the end, a loop's next turn or a closure may run after a map's change.
_UNCONTAINED: Final = (ast.Return, ast.Break, ast.Continue, ast.Try, ast.Closure, ast.Select,
                       ast.GoExpr, ast.Loop, ast.While, ast.For)


def _contained(em: FnEmitter, node: object) -> bool:
    """Whether the statement `node` (with blocks) cannot see a map while it runs: no jump,
    loop, closure, `select` or `go`, and it reaches no map."""
    if isinstance(node, ast.Let) and node.else_block is not None:
        return False
    return not any(isinstance(n, _UNCONTAINED) for n in em.nodes.walk(node)) and \
        _reaches_no_map(em, node)


def _reaches_no_map(em: FnEmitter, node: object) -> bool:
    """Whether every local `node` uses is a slot, a value that reaches no map (a scalar or
    a `Copy` value that is not a reference), or declared inside `node` (from those)."""
    slots = {slot for slot, _ in em.slot_writebacks}
    span = getattr(node, "span", None)
    for other in em.uses_in(node):
        local = em.br.locals[other]
        if other in slots or _scalar(local.ty) or (
                span is not None and span.start <= local.span.start < span.end):
            continue
        if isinstance(local.ty, t.Ref) or not sema_traits.is_copy(local.ty, em.env):
            return False
    return True


def _outside_blocks(em: FnEmitter, node: object, static: bool = False
                    ) -> list[tuple[object, object | None]]:
    """The nodes of `node` (with their parents) outside the blocks whose statements write
    back for themselves: those `block_stmts` emitted (`static`: any block with
    statements, for a jump emitted before the statement's later blocks)."""
    out: list[tuple[object, object | None]] = []
    stack: list[tuple[object, object | None]] = [(node, None)]
    formats = em.br.formats
    while stack:
        n, parent = stack.pop()
        if n is not node and (id(n) in em.slot_blocks or id(n) in em.slot_flushed or (
                static and isinstance(n, ast.Block) and bool(n.stmts))):
            continue  # (a condition whose changes were written back: `flush_changed`)
        out.append((n, parent))
        stack.extend((c, n) for c in children(n))
        if isinstance(n, ast.MacroCall) and n in formats:
            stack.extend((arg, n) for arg in formats[n].args)
    return out


def _is_use(em: FnEmitter, n: object, local: int) -> bool:
    if not isinstance(n, ast.PathExpr):
        return False
    res = em.br.paths.get(n)
    return isinstance(res, LocalRes) and (
        res.local == local or res.local in _closures_of(em, local))


def _changes_outside_blocks(em: FnEmitter, node: object, local: int) -> bool:
    """Whether a statement with blocks may change the reference's value outside them (in
    a condition, a scrutinee, an arm without a block). Then it writes back after itself,
    which is right only when none of its blocks reaches a map (the reference may have
    died in one, and the map been changed there)."""
    found = _outside_blocks(em, node)
    parents = {id(n): p for n, p in found}
    changes = [n for n, _ in found if _is_use(em, n, local) and _changes(em, n, parents)]
    if not changes:
        return False
    slots = {slot for slot, _ in em.slot_writebacks}
    for n, _ in found:
        own = _element_closure(em, n, parents, local)
        for c in children(n):
            if id(c) in em.slot_blocks and any(
                    other not in slots and not _scalar(em.br.locals[other].ty) and
                    not (own is not None and own.start <= em.br.locals[other].span.start
                         < own.end)
                    for other in em.uses_in(c)):
                use = changes[0]
                assert isinstance(use, ast.PathExpr)
                raise _unsupported("a `get_mut` reference changed in a condition whose "
                                   "blocks may use the map", use.span)
    return True


def _element_closure(em: FnEmitter, n: object, parents: dict[int, object | None],
                     local: int) -> Span | None:
    """The span of `n` when it is a closure given to a method of the reference itself
    (`list.sort_by(|a, b| ..)`): its parameters are parts of the referenced value and its
    own locals come from them, so they reach no map (only the locals it captures may)."""
    parent = parents.get(id(n))
    if isinstance(n, ast.Closure) and isinstance(parent, ast.MethodCall) and \
            n in parent.args and _is_use(em, _strip(parent.receiver), local):
        return n.span
    return None


def _changes(em: FnEmitter, use: object, parents: dict[int, object | None]) -> bool:
    """Whether this use of a slot reference (or of a closure that captured it) may change
    the value behind it: assigned to, borrowed `&mut`, the receiver of a `&mut self`
    method, passed on as the reference itself, or a closure called."""
    node = use
    bare = True
    while True:
        parent = parents.get(id(node))
        match parent:
            case ast.Paren():
                pass
            case ast.Field() | ast.TupleField() | ast.Index() if parent.base is node:
                bare = False
            case ast.Unary(op="*"):
                bare = False
            case ast.MethodCall() if parent.receiver is node:
                method = em.br.methods.get(parent)
                return method is None or method.self_kind == "ref_mut"
            case ast.Assign() | ast.CompoundAssign() if parent.target is node:
                return True
            case ast.Borrow():
                return parent.mutable
            case ast.MacroCall() | ast.Binary() | ast.Unary() | ast.Cast() | None:
                return False
            case _:
                return bare  # the reference itself handed on (or a closure called)
        node = parent


def _scalar(ty: t.Ty) -> bool:
    """A number, `bool`, `char` or `str`, or a reference to one: no map is reachable."""
    while isinstance(ty, t.Ref):
        ty = ty.inner
    return isinstance(ty, (t.Int, t.Float, t.Bool, t.Char, t.Str))
