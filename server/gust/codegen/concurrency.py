"""Threads, channels and shared state as goroutines, channels and mutexes.

| Gust                                  | Go                                                   |
|---------------------------------------|------------------------------------------------------|
| `go f(x)`                             | `go f(x)`                                            |
| `spawn(move \\|\\| ..)`                  | `go func() { .. }()`                                 |
| `chan<T>`, `chan::new(n)`             | `chan T`, `make(chan T, n)`                          |
| `c.send(v)`, `c.recv()`, `c.close()`  | `c <- v`, `gustRecv(c)` (an Option), `close(c)`      |
| `select { .. }`                       | `select { .. }`                                      |
| `thread::spawn(f)`, `JoinHandle<T>`   | `gustSpawn(f)`: a goroutine and its result, `*gustThread[T]`; `join()` waits |
| `thread::scope(\\|s\\| ..)`, `s.spawn` | `gustScope`/`gustScopeSpawn` (a WaitGroup joins all) |
| `mpsc::channel()`, `Sender`/`Receiver`| an unbounded queue (`gustChannel`): sends never block; the channel ends when every sender is dropped |
| `Arc<T>`, `Rc<T>`                     | T's own Go value (the contents are shared immutably, or are a mutex/cell pointer); `*gustRc[T]` with a count where the package reads counts (gust.codegen.rc_counts) |
| `Mutex<T>`, `lock().unwrap()`         | `*gustMutex[T]` (a `sync.Mutex` and the value); the guard is `*T` |
| `RefCell<T>`, `borrow()`/`borrow_mut()`| `*gustCell[T]`; `&c.value`                          |
| `Cell<T>`, `get()`/`set(v)`           | `*gustValueCell[T]`; `c.value`, `c.value = v`        |
| `RwLock<T>`, `read()`/`write()`       | `*gustRwLock[T]` (a `sync.RWMutex` and the value); a guard is `*T` |
| `AtomicU64`, `AtomicI32`, ..          | `*gustAtomic[uint64]`, ..: sync/atomic's functions on the value's bits |
| `AtomicUsize`                         | `*gustAtomicUsize`: a `gustAtomic[int]` whose `fetch_add`/`fetch_sub` wrap at 2^64 (`usize::MAX` is `math.MaxInt`) |
| `AtomicBool`                          | `*gustAtomicBool` (a `uint32` holding the bool)      |
| `atomic::Ordering::SeqCst`, ..        | `gustSeqCst`, ..: passed and ignored (Go's atomics are sequentially consistent) |

Where Rust drops a value with an effect, the Go code does it explicitly:
* a `Sender` is dropped by `drop(tx)`, at the end of a thread closure that moved it, and at
  the end of a function that took it by value (`defer tx.drop()`); the queue counts senders.
* a `MutexGuard` bound by `let` in a function's or closure's outermost block is unlocked by
  `defer m.Unlock()` (Rust drops it at the end of that block); one bound in a nested block
  (a loop body) by `m.Unlock()` at the end of that block and before each `break`,
  `continue`, `return` or `?` that leaves it early; a guard used as
  a temporary (`*m.lock().unwrap() += 1`) is unlocked right after its statement.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

from gust.codegen import cells, rc_counts
from gust.codegen import goast as g
from gust.codegen import gostmt as s
from gust.codegen.gotypes import Types, Unsupported
from gust.sema import types as t
from gust.sema.builtins import ATOMIC_VALUES
from gust.sema.results import LocalRes, MethodRes
from gust.syntax import ast

if TYPE_CHECKING:
    from gust.codegen.astwalk import Subtrees
    from gust.codegen.body import Dest, FnEmitter

UNIT: Final = g.Atom("struct{}{}")
# Built once: a union in the test would be built at every node.

# Std types whose `*x` (and auto-deref) is the Go value itself or a pointer to it.
DEREF_SAME: Final = ("Arc", "Rc")
DEREF_POINTER: Final = ("MutexGuard", "Ref", "RefMut", "RwLockReadGuard", "RwLockWriteGuard")
# The Go methods of the atomics (`gustAtomic`, `gustAtomicBool`), by Rust's name.
_ATOMIC_METHODS: Final = {"load": "load", "store": "store", "swap": "swap",
                   "compare_exchange": "compareExchange",
                   "compare_exchange_weak": "compareExchange", "fetch_add": "fetchAdd",
                   "fetch_sub": "fetchSub", "fetch_max": "fetchMax", "fetch_min": "fetchMin",
                   "fetch_and": "fetchAnd", "fetch_or": "fetchOr", "fetch_xor": "fetchXor",
                   "fetch_nand": "fetchNand", "fetch_update": "fetchUpdate"}


def go_type(types: Types, name: str, args: tuple[t.Ty, ...]) -> str | None:
    """The Go type of a concurrency or shared-state std type (None: not one of them)."""
    arg = types.go(args[0]) if args else ""
    match name:
        case "chan":
            return f"chan {arg}"
        case "JoinHandle" | "ScopedJoinHandle":
            return f"*gustThread[{arg}]"
        case "Scope":
            return "*gustThreadScope"
        case "Sender":
            return f"*gustSender[{arg}]"
        case "Receiver":
            return f"*gustReceiver[{arg}]"
        case "SendError":
            return f"gustSendError[{arg}]"
        case "RecvError":
            return "gustRecvError"
        case "DynAnySend":
            return "any"
        case "Cow":
            return "gustCow"  # `Cow<str>`, the one Gust models: the string and its variant
        case "Arc" | "Rc":
            if rc_counts.enabled(types.env):
                return f"*gustRc[{arg}]"  # a package that reads counts (gust.codegen.rc_counts)
            return arg
        case "Weak" if rc_counts.enabled(types.env):
            return f"gustWeak[{arg}]"
        case "Mutex":
            return f"*gustMutex[{arg}]"
        case "RefCell":
            return f"*gustCell[{arg}]"
        case "Cell" if not types.env.is_package_type(name, args):  # (not a package's)
            return f"*gustValueCell[{arg}]"
        case "MutexGuard" | "Ref" | "RefMut" | "RwLockReadGuard" | "RwLockWriteGuard":
            return f"*{arg}"
        case "RwLock":
            return f"*gustRwLock[{arg}]"
        case "AtomicBool":
            return "*gustAtomicBool"
        case "AtomicOrdering":
            return "gustAtomicOrdering"
        case "AtomicUsize":
            return "*gustAtomicUsize"  # wraps at Rust's 2^64 (gust.codegen.usize_max)
        case _ if name in ATOMIC_VALUES:
            return f"*gustAtomic[{types.go(t.PRIMITIVES[ATOMIC_VALUES[name]])}]"
    return None


def dyn_view(types: Types, value: g.GoExpr, from_ty: t.Ty, to_ty: t.Ty) -> g.GoExpr | None:
    """`Rc<RefCell<C>>` as an `Rc<RefCell<dyn Trait>>` (`Arc<Mutex<C>>` as `Arc<Mutex<dyn
    Trait>>`, `Rc<C>` as `Rc<dyn Trait>`): the unsizing coercion. A cell's or mutex's view
    holds the trait object made of a pointer to the value, and shares the borrow count or
    the lock (the runtime's gustCellView, gustMutexView). None: not such a coercion."""
    from gust.codegen import traits

    match from_ty, to_ty:
        case t.Adt("Rc" | "Arc" as fp, (fi,)), t.Adt("Rc" | "Arc" as tp, (ti,)) if fp == tp:
            pass
        case _:
            return None
    if isinstance(ti, t.Dyn) and not isinstance(fi, t.Dyn):
        if rc_counts.enabled(types.env):
            raise Unsupported("an `Rc` or `Arc` of a trait object in a package that reads "
                              "their counts")
        return traits.to_interface(types, value, fi)
    match fi, ti:
        case t.Adt("RefCell" | "Mutex" as fc, (concrete,)), \
                t.Adt("RefCell" | "Mutex" as tc, (t.Dyn() as dyn,)) if fc == tc and \
                not isinstance(concrete, t.Dyn):
            pass
        case _:
            return None
    if rc_counts.enabled(types.env):
        raise Unsupported(f"an `{fp}<{fc}<dyn ..>>` in a package that reads `Rc` counts")
    if not types.is_struct(concrete):
        raise Unsupported(f"`{fc}<dyn ..>` of a value that is not a struct")
    source = types.go(concrete)
    lit = g.FuncLit(f"func(p *{source}) {types.go(dyn)}", (("\treturn p", None),))
    return g.call("gustCellView" if fc == "RefCell" else "gustMutexView", value, lit)


def deref(types: Types, value: g.GoExpr, ty: t.Adt) -> tuple[g.GoExpr, t.Ty]:
    """One auto-deref through a smart pointer or guard."""
    inner = ty.args[0] if ty.args else t.ERROR
    if ty.name in DEREF_POINTER or (ty.name == "Box" and types.is_struct(inner)):
        return g.unary("*", value), inner
    if rc_counts.is_rc(types, ty):
        return g.selector(value, "value"), inner
    if ty.name == "Cow":
        return g.selector(value, "Text"), inner  # the runtime's gustCow
    return value, inner


def is_deref_type(ty: t.Ty) -> bool:
    return isinstance(ty, t.Adt) and (ty.name in DEREF_SAME or ty.name in DEREF_POINTER or
                                      ty.name == "Cow")


# ---------------------------------------------------------------- Gust's extensions


def go_stmt(em: FnEmitter, e: ast.GoExpr) -> g.GoExpr:
    """`go f(x)`: Go's own statement (the arguments are evaluated here)."""
    from gust.codegen.body import UnsupportedAt

    call = em.expr(e.call)
    if not isinstance(call, g.Call) or call.conversion:
        raise UnsupportedAt("this `go` statement", e.span)
    em.line("go " + g.render(call))
    return UNIT


def select(em: FnEmitter, e: ast.Select, dest: Dest) -> None:
    """`select { .. }`: Go's `select`, one case per arm."""
    from gust.codegen.body import UnsupportedAt

    sw = s.Switch("", gline=em.gl, keyword="select")
    heads: list[tuple[str, ast.SelectArm, tuple[str, str, t.Ty] | None]] = []
    for arm in e.arms:
        if arm.kind == "default":
            heads.append(("default:", arm, None))
            continue
        op = arm.op
        if not isinstance(op, ast.MethodCall) or op.name not in ("send", "recv"):
            raise UnsupportedAt("this `select` arm", arm.span)
        channel = em.stable(em.expr(op.receiver), em.ty(op.receiver), "ch")
        if op.name == "send":
            value = em.expr(op.args[0])
            heads.append((f"case {g.render(channel)} <- {g.render(value)}:", arm, None))
        elif arm.kind == "recv" and arm.pat is not None and not isinstance(arm.pat,
                                                                          ast.WildPat):
            value_name, ok_name = em.temp("v"), em.temp("ok")
            heads.append((f"case {value_name}, {ok_name} := <-{g.render(channel)}:", arm,
                          (value_name, ok_name, em.ty(op))))
        else:
            heads.append((f"case <-{g.render(channel)}:", arm, None))
    em.switch_depth += 1
    try:
        for head, arm, received in heads:
            with em.at(arm.span), em.block() as body:
                if received is not None and arm.pat is not None:
                    value_name, ok_name, opt_ty = received
                    option = g.keyed(em.go(opt_ty), ("Value", "IsSome"),
                                     (g.ident(value_name), g.ident(ok_name)))
                    em.bind_irrefutable(arm.pat, option, opt_ty)
                em.into_final(arm.body, dest)
            sw.cases.append(s.Case(head, body, em.ctx.gline(arm.span)))
    finally:
        em.switch_depth -= 1
    em.cur.append(sw)


def chan_method(em: FnEmitter, name: str, recv: g.GoExpr, args: list[g.GoExpr]
                ) -> g.GoExpr | None:
    match name:
        case "send":
            em.line(f"{g.render(recv)} <- {g.render(args[0])}")
            return UNIT
        case "recv":
            return g.call("gustRecv", recv)
        case "close":
            em.line(g.render(g.call("close", recv)))
            return UNIT
        case "len":
            return g.call("len", recv)
        case "clone":
            return recv
    return None


# ---------------------------------------------------------------- std functions


def assoc(em: FnEmitter, owner: str, name: str, e: ast.Call, args: list[g.GoExpr]
          ) -> g.GoExpr | None:
    """`thread::spawn`, `mpsc::channel`, `Arc::new`, `chan::new`, ...; None when the function
    is not one of these."""
    ty = em.ty(e)
    match owner, name:
        case "chan", "new":
            return g.call("make", g.Atom(em.go(ty)), args[0])
        case "go", "spawn":
            em.line("go " + g.render(g.call(_thread_body(em, e.args[0], args[0]))))
            return UNIT
        case "thread", "spawn":
            body = _thread_body(em, e.args[0], args[0])
            unit = _returns_unit(em.ty(e.args[0]))
            return g.call("gustSpawnUnit" if unit else "gustSpawn", body)
        case "thread", "scope":
            if _returns_unit(em.ty(e.args[0])):
                em.line(g.render(g.call("gustScopeUnit", args[0])))
                return UNIT
            return g.call("gustScope", args[0])
        case "mpsc", "channel":
            return g.call(f"gustChannel[{em.go(_arg(ty, 0, 0))}]")
        case ("Arc" | "Rc"), "new" if rc_counts.enabled(em.env):
            inner = ty.args[0] if isinstance(ty, t.Adt) and ty.args else t.ERROR
            if isinstance(inner, t.Adt) and em.types.is_iface_enum(inner.name):
                # A variant's struct: the `Rc` holds the enum (its interface).
                return g.call(f"gustNewRc[{em.go(inner)}]", args[0])
            return g.call("gustNewRc", args[0])
        case ("Arc" | "Rc"), "clone" if rc_counts.enabled(em.env):
            return g.call(g.selector(args[0], "Clone"))
        case ("Arc" | "Rc"), "strong_count" if rc_counts.enabled(em.env):
            return g.call(g.selector(args[0], "strongCount"))
        case "Rc", "weak_count" if rc_counts.enabled(em.env):
            return g.call(g.selector(args[0], "weakCount"))
        case "Rc", "downgrade" if rc_counts.enabled(em.env):
            return g.call(g.selector(args[0], "downgrade"))
        case "Weak", "new" if rc_counts.enabled(em.env):
            return g.Composite(em.go(ty), ())
        case ("Arc" | "Rc"), "new":
            return args[0]
        case ("Arc" | "Rc"), "clone":
            return em._deref_expr(args[0], em.ty(e.args[0]), 1)
        case ("Mutex" | "RwLock"), "new":
            return g.unary("&", g.Composite(em.go(ty)[1:], (g.KeyValue("value", args[0]),)))
        case "AtomicBool", "new":
            return g.call("gustNewAtomicBool", args[0])
        case "AtomicUsize", "new":
            return g.call("gustNewAtomicUsize", args[0])
        case _, "new" if owner in ATOMIC_VALUES:
            return g.call(f"gustNewAtomic[{em.go(t.PRIMITIVES[ATOMIC_VALUES[owner]])}]",
                          args[0])
        case ("RefCell" | "Cell"), "new":
            return g.unary("&", g.Composite(em.go(ty)[1:], (g.KeyValue("value", args[0]),)))
        case "mem", "drop":
            arg_ty = em.ty(e.args[0])
            if isinstance(arg_ty, t.Adt) and arg_ty.name == "Sender":
                em.line(g.render(g.call(g.selector(args[0], "drop"))))
                return UNIT
            if isinstance(arg_ty, t.Adt) and arg_ty.name == "Vec" and arg_ty.args and \
                    isinstance(arg_ty.args[0], t.Adt) and arg_ty.args[0].name == "Sender":
                # `drop(senders)`: every sender in it (the workers' channels end).
                sender = em.temp("sender")
                em.cur.append(s.For(f"_, {sender} := range {g.render(args[0])}",
                                    [s.Line(f"{sender}.drop()", em.gl)], gline=em.gl))
                return UNIT
            if rc_counts.owns(em.types, arg_ty):
                value = g.render(em.stable(args[0], arg_ty, "dropped"))
                for text in rc_counts.drop_lines(em, value, arg_ty):
                    em.line(text)
                return UNIT
    return None


def _arg(ty: t.Ty, i: int, j: int) -> t.Ty:
    """The j-th type argument of the i-th element of a tuple type (`(Sender<T>, ..)`)."""
    if isinstance(ty, t.Tuple) and len(ty.elems) > i:
        inner = ty.elems[i]
        if isinstance(inner, t.Adt) and len(inner.args) > j:
            return inner.args[j]
    raise Unsupported(f"the type `{ty}`")


def _returns_unit(ty: t.Ty) -> bool:
    ret = ty.ret if isinstance(ty, (t.Closure, t.FnPtr)) else t.UNIT
    return ret == t.UNIT or isinstance(ret, t.Never)


def _thread_body(em: FnEmitter, e: ast.Expr, value: g.GoExpr) -> g.GoExpr:
    """A closure run by a new thread: senders it moved in are dropped when it ends."""
    if not isinstance(value, g.FuncLit) or not isinstance(e, ast.Closure):
        return value
    info = em.br.closures.get(e)
    drops: list[tuple[str, int | None]] = []
    for cap in info.captures if info is not None else ():
        lty = em.br.locals[cap.local].ty
        if cap.mode == "move" and isinstance(lty, t.Adt) and lty.name == "Sender":
            drops.append((f"\tdefer {g.render(em.local_expr(cap.local))}.drop()", None))
    drops += [(line, None) for line in rc_counts.thread_drops(em, e)]
    if not drops:
        return value
    return g.FuncLit(value.signature, (*drops, *value.body))


def sender_params(em: FnEmitter) -> None:
    """A function that takes a `Sender` by value drops it when it returns."""
    for i, local in enumerate(em.br.params):
        lc = em.br.locals[local]
        if lc.kind == "param" and isinstance(lc.ty, t.Adt) and lc.ty.name == "Sender":
            del i
            em.line(f"defer {g.render(em.local_expr(local))}.drop()")


# ---------------------------------------------------------------- methods


def method(em: FnEmitter, e: ast.MethodCall, res: MethodRes, recv: g.GoExpr,
           args: list[g.GoExpr]) -> g.GoExpr | None:
    """Methods of the concurrency types; None for any other."""
    match res.owner, res.name:
        case "chan", _:
            return chan_method(em, res.name, recv, args)
        case ("JoinHandle" | "ScopedJoinHandle"), "join":
            return g.call(g.selector(recv, "join"))
        case ("JoinHandle" | "ScopedJoinHandle"), "is_finished":
            return g.call(g.selector(recv, "isFinished"))
        case "Scope", "spawn":
            body = _thread_body(em, e.args[0], args[0])
            unit = _returns_unit(em.ty(e.args[0]))
            return g.call("gustScopeSpawnUnit" if unit else "gustScopeSpawn", recv, body)
        case "Sender", ("send" | "clone"):
            return g.call(g.selector(recv, res.name), *args)
        case "Receiver", ("recv" | "iter" | "into_iter"):
            return g.call(g.selector(recv, "iter" if res.name == "into_iter" else res.name))
        case _, _ if res.owner in ATOMIC_VALUES:
            return _atomic_method(em, e, res.owner, res.name, recv, args)
        case ("Mutex" | "RwLock"), "into_inner":
            return g.Composite("Result[" + em.go(_inner(em.ty(e.receiver))) + ", any]",
                               (g.KeyValue("Value", g.selector(recv, "value")),
                                g.KeyValue("IsOk", g.Atom("true"))))
        case "RwLock", "get_mut":  # (an exclusive borrow: no lock needed)
            return g.Composite("Result[*" + em.go(_inner(em.ty(e.receiver))) + ", any]",
                               (g.KeyValue("Value", g.unary("&", g.selector(recv, "value"))),
                                g.KeyValue("IsOk", g.Atom("true"))))
        case "RefCell", ("borrow" | "borrow_mut"):
            return cells.borrow(em, e, recv, em._deref_ty(em.ty(e.receiver), res.derefs))
        case ("RefCell" | "Cell"), "into_inner":
            return g.selector(recv, "value")
        case "Cow", "into_owned":
            return g.selector(recv, "Text")  # the runtime's gustCow
        case "Cow", "clone":
            return recv  # a Go value: its string is shared, never changed in place
        case "Cow", "to_mut":
            from gust.codegen import string_push
            from gust.codegen.body import UnsupportedAt

            if not string_push.addressable(recv):
                raise UnsupportedAt("`to_mut` of a `Cow` without an address (a map's value)",
                                    e.span)
            return g.call("gustCowToMut", g.unary("&", recv))
        case "Cell", ("get" | "set" | "replace" | "take" | "get_mut"):
            return _cell_method(em, e, res.name, recv, args)
        case "Weak", ("upgrade" | "clone" | "strong_count" | "weak_count"):
            return g.call(g.selector(recv, rc_counts.WEAK_METHODS[res.name]))
    return None


def _atomic_method(em: FnEmitter, e: ast.MethodCall, owner: str, name: str, recv: g.GoExpr,
                   args: list[g.GoExpr]) -> g.GoExpr:
    """An atomic's method on its pointer (the orderings are passed, and ignored)."""
    if name == "into_inner":
        return g.call(g.selector(recv, "load"), g.Atom("gustSeqCst"))  # (owned: no race)
    if name == "get_mut":
        if owner == "AtomicBool":
            return g.call(g.selector(recv, "getMut"))  # the bool inside its atomic word
        return g.unary("&", g.selector(recv, "v"))
    return g.call(g.selector(recv, _ATOMIC_METHODS[name]), *args)


def _cell_method(em: FnEmitter, e: ast.MethodCall, name: str, recv: g.GoExpr,
                 args: list[g.GoExpr]) -> g.GoExpr:
    """`Cell<T>`'s methods on its pointer (`*gustValueCell[T]`): the value is read and
    replaced whole."""
    from gust.codegen.traits import default_value

    value = g.selector(recv, "value")
    inner = _inner(em.ty(e.receiver))
    match name:
        case "get":
            return value
        case "get_mut":
            return g.unary("&", value)
        case "set":
            em.line(f"{g.render(value)} = {g.render(em.adapt(args[0], em.ty(e.args[0]), inner))}")
            return UNIT
        case "replace":
            return g.call("gustCellReplace", recv, em.adapt(args[0], em.ty(e.args[0]), inner))
    # `take`: the default value in its place
    return g.call("gustCellReplace", recv, default_value(em, inner))


def _inner(ty: t.Ty) -> t.Ty:
    while isinstance(ty, t.Ref) or (isinstance(ty, t.Adt) and ty.name in DEREF_SAME):
        ty = ty.inner if isinstance(ty, t.Ref) else ty.args[0]
    return ty.args[0] if isinstance(ty, t.Adt) and ty.args else t.ERROR


# The methods that lock: the runtime function that locks, and the Go method that unlocks.
_LOCKS: Final = {("Mutex", "lock"): ("gustLock", "Unlock"),
          ("RwLock", "read"): ("gustReadLock", "RUnlock"),
          ("RwLock", "write"): ("gustWriteLock", "Unlock")}
_LOCK_NAMES: Final = ("lock", "read", "write")


def locked(em: FnEmitter, e: ast.MethodCall) -> g.GoExpr | None:
    """`m.lock().unwrap()` (a `RwLock`'s `read()`/`write()`): locks, and arranges the unlock where Rust drops the guard (the
    lock cannot be poisoned here: a panicking thread ends the program's output anyway). The
    guard is a pointer to the value."""
    from gust.codegen.body import UnsupportedAt

    lock_call = _guard_lock(e)
    if lock_call is None:
        return None
    res = em.br.methods.get(lock_call)
    if res is None or (res.owner, res.name) not in _LOCKS:
        return None
    lock_fn, unlock_method = _LOCKS[res.owner, res.name]
    mutex_ty = em.ty(lock_call.receiver)
    mutex = em._deref_expr(em.expr(lock_call.receiver), mutex_ty, res.derefs)
    mutex = em.stable(mutex, mutex_ty, "mu")
    unlock = f"{g.render(mutex)}.{unlock_method}()"
    where = em.guard_scope.get(lock_call)
    if where == "dropped":  # unlocked by its `drop(g)` (`guard_drops`)
        em.guard_unlocks[id(lock_call)] = unlock
    elif where == "let":
        em.after_stmt.append(f"defer {unlock}")
    elif where == "temp":
        em.after_stmt.append(unlock)
    elif where == "block" and em.block_guards:
        em.block_guards[-1].append(unlock)
        em.leave_unlocks[-1].lines.append(unlock)
    else:
        raise UnsupportedAt("a mutex guard bound in a nested block", e.span)
    return g.call(lock_fn, mutex)


def guard_pattern(em: FnEmitter, scrutinee: ast.Expr, pat: ast.Pat
                  ) -> tuple[ast.MethodCall, ast.Pat] | None:
    """`Ok(g)` (or `Ok(mut g)`, `Ok(_)`) matched against `m.lock()` on a `Mutex`: the
    `lock` call and the pattern of the guard. None when they are not."""
    while isinstance(scrutinee, ast.Paren):
        scrutinee = scrutinee.inner
    if not (isinstance(scrutinee, ast.MethodCall) and scrutinee.name in _LOCK_NAMES and
            not scrutinee.args and isinstance(pat, ast.TupleStructPat) and
            pat.path.last.name == "Ok" and len(pat.elems) == 1 and
            (isinstance(pat.elems[0], ast.WildPat) or (
                isinstance(pat.elems[0], ast.IdentPat) and pat.elems[0].sub is None and
                not pat.elems[0].by_ref))):
        return None
    res = em.br.methods.get(scrutinee)
    if res is None or (res.owner, res.name) not in _LOCKS:
        return None
    return scrutinee, pat.elems[0]


def match_guarded(em: FnEmitter, e: ast.Match, dest: Dest) -> bool:
    """`match m.lock() { Ok(g) => .., Err(_) => .. }`: the `Ok` arm's body holding the guard
    (`guarded_block`); the other arms cannot run. False when `e` is not one."""
    for arm in e.arms:
        found = guard_pattern(em, e.scrutinee, arm.pat)
        if found is not None and arm.guard is None:
            guarded_block(em, *found, arm.body, dest)
            return True
    return False


def guarded_block(em: FnEmitter, lock_call: ast.MethodCall, guard: ast.Pat, body: ast.Expr,
                  dest: Dest) -> None:
    """`if let Ok(mut g) = m.lock() { body }` (or a `match` arm `Ok(g) => body`): locking
    cannot fail here (a panicking thread ends the program), so `body` runs in a Go block
    holding the guard, which is unlocked at its end and before every jump out of it, where
    Rust drops `g`."""
    res = em.br.methods[lock_call]
    lock_fn, unlock_method = _LOCKS[res.owner, res.name]
    mutex_ty = em.ty(lock_call.receiver)
    mutex = em._deref_expr(em.expr(lock_call.receiver), mutex_ty, res.derefs)
    mutex = em.stable(mutex, mutex_ty, "mu")
    unlock = f"{g.render(mutex)}.{unlock_method}()"
    locked = g.call(lock_fn, mutex)
    with em.block() as inner:
        if isinstance(guard, ast.IdentPat) and guard in em.br.bindings and \
                em.br.bindings[guard] in em.refs:
            local = em.br.bindings[guard]
            em.emit_binds([(local, locked, em.br.locals[local].ty)])
        else:
            em.line(g.render(locked))
        with em.leaving([unlock]):
            em.into_final(body, dest)
        if not em._ends_with_jump():
            em.line(unlock)
    em.cur.append(s.Block(inner, em.gl))


def guard_scopes(fn: ast.FnDecl, closures: list[ast.Closure], nodes: Subtrees
                 ) -> dict[ast.MethodCall, str]:
    """For each `x.lock()` in the body: "let" when its guard is bound by a `let` in the
    outermost block of the function or of a closure (unlocked by `defer`), "temp" when the
    guard is a temporary of its statement (unlocked after it). `nodes`: the body's
    (gust.codegen.astwalk)."""
    walk = nodes.walk
    out: dict[ast.MethodCall, str] = {}
    tops: list[ast.Block] = [fn.body] if fn.body is not None else []
    tops += [c.body for c in closures if isinstance(c.body, ast.Block)]
    let_locks: set[int] = set()
    for block in tops:
        for st in block.stmts:
            if isinstance(st, ast.Let) and st.init is not None:
                lk = _guard_lock(st.init)
                if lk is not None and isinstance(st.pat, ast.IdentPat):
                    let_locks.add(id(lk))
    any_lock = False
    for call in nodes.of_type(ast.MethodCall) if fn.body is not None else ():
        if call.name in _LOCK_NAMES:
            any_lock = True
            if not call.args:
                out[call] = "let" if id(call) in let_locks else "temp"
    if not any_lock:  # most bodies: no second walk
        return out
    dropped = {id(lock) for lock in guard_drops(fn, nodes).values()}
    # A guard bound by a `let` in a nested block lives to the end of that block: unlocked
    # there, and before every `break`, `continue`, `return` or `?` that leaves the block.
    for n in walk(fn.body) if fn.body is not None else ():
        if not isinstance(n, ast.Block):
            continue
        for st in n.stmts:
            if isinstance(st, ast.Let) and st.init is not None:
                lk = _guard_lock(st.init)
                if lk is None or id(lk) in let_locks:
                    continue
                if not isinstance(st.pat, ast.IdentPat):
                    out.pop(lk, None)
                else:
                    out[lk] = "block"
    for lk in out:
        if id(lk) in dropped:
            out[lk] = "dropped"
    return out


def guard_drops(fn: ast.FnDecl, nodes: Subtrees) -> dict[int, ast.MethodCall]:
    """`let mut g = m.lock().unwrap(); ..; drop(g);` with the `drop` a statement of the
    same block and no jump between them: the `drop` call (by id) and the `lock` call whose
    guard it unlocks (then `m.Unlock()` there, nowhere else). Other drops of a guard are
    reported (std_calls)."""
    out: dict[int, ast.MethodCall] = {}
    if fn.body is None:
        return out
    leaving = (ast.Return, ast.Break, ast.Continue, ast.Try)
    for block in nodes.of_type(ast.Block):
        for i, st in enumerate(block.stmts):
            lock = _guard_lock(st.init) if isinstance(st, ast.Let) and \
                st.init is not None else None
            if lock is None or not isinstance(st, ast.Let) or \
                    not isinstance(st.pat, ast.IdentPat) or st.pat.sub is not None:
                continue
            for later in block.stmts[i + 1:]:
                call = _drop_of(later, st.pat.name)
                if call is not None:
                    out[id(call)] = lock
                    break
                if any(isinstance(n, leaving) for n in nodes.walk(later)):
                    break
    return out


def _drop_of(st: ast.Stmt, name: str) -> ast.Call | None:
    """`drop(name);` (or `mem::drop`, `std::mem::drop`) as a statement."""
    e = st.expr if isinstance(st, ast.ExprStmt) else None
    if isinstance(e, ast.Call) and isinstance(e.callee, ast.PathExpr) and \
            e.callee.path.last.name == "drop" and len(e.args) == 1 and \
            isinstance(arg := e.args[0], ast.PathExpr) and len(arg.path.segments) == 1 and \
            arg.path.last.name == name:
        return e
    return None


def _guard_lock(e: ast.Expr) -> ast.MethodCall | None:
    """`m.lock().unwrap()` (or `.expect(..)`): the `lock` call whose guard `e` is."""
    while isinstance(e, ast.Paren):
        e = e.inner
    if isinstance(e, ast.MethodCall) and e.name in ("unwrap", "expect"):
        inner = e.receiver
        while isinstance(inner, ast.Paren):
            inner = inner.inner
        if isinstance(inner, ast.MethodCall) and inner.name in _LOCK_NAMES:
            return inner
    return None


def is_local(em: FnEmitter, e: ast.Expr) -> bool:
    return isinstance(e, ast.PathExpr) and isinstance(em.br.paths.get(e), LocalRes)
