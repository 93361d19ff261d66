"""Reference counts of `Rc`/`Arc`, in the packages that read them, and `impl Drop`.

A package that never calls `Rc::strong_count`/`weak_count` cannot tell how many handles share
a value, so there an `Rc<T>` is T's own Go value (gust.codegen.concurrency). A package that
does (its signature key says so: `sema.items.signature_key`) gets `*gustRc[T]` for every
`Rc<T>` and `Arc<T>`: one allocation holding the value and an atomic count, `Rc::new` is
`gustNewRc(v)`, `Rc::clone(&r)` and `r.clone()` are `r.Clone()` (one more owner, the same
pointer), `*r` and auto-deref are `r.value`, and the compiler writes `drop` calls where Rust
drops a handle (Go has no destructors):

* a variable holding handles (an `Rc`, a struct or `Vec` of them, ...) that is never moved
  is dropped at the end of its scope: `defer` in a function's outermost block and for
  by-value parameters, the end of the Go block otherwise;
* a value discarded by a statement (`clients.pop();`), `drop(x)`, and the captures a thread
  closure moved in when the thread ends;
* dropping a value drops the handles it owns (struct fields, elements, `Some` payloads);
  dropping the last handle drops what the `Rc` holds. A payload enum's values, and a
  struct's that hold handles to their own type (a tree), are dropped by a function written
  with the type (`ListDrop(v)`: a `switch` on the variants, `drop_function`).

`Weak<T>` (`Rc::downgrade`, `upgrade`, `Rc::weak_count`, `Weak::new()`) is the runtime's
`gustWeak[T]`: the same counted box, counted apart; `upgrade` is a new strong handle while
the value lives, and dropping a `Weak` (a field of a dropped struct, the old value of
`*parent.borrow_mut() = Rc::downgrade(&p)`) gives its count back. A package naming `Weak`
counts its `Rc`s (a weak handle needs its `Rc`'s count).

A package with an `impl Drop` is planned the same way (and counts its `Rc`s): a value of a
type with a `Drop` impl owns something to drop, its `drop()` method (then its fields'),
called where Rust runs the destructor (`has_drop`).

Everything else that would drop a handle without one of these (a temporary borrowed by
`&Rc::clone(&a)`, a conditional move, an early `return` past a live handle, assignment over
a handle, `HashMap::insert`, `Vec::clear`, iterators of owned handles, generic functions that
could drop them, pattern bindings) is reported as unsupported, never counted wrong.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Final

from gust.codegen import astwalk, names
from gust.codegen.gotypes import Types, Unsupported
from gust.sema import types as t
from gust.sema.items import ItemEnv
from gust.sema.results import FnRes
from gust.syntax import ast
from gust.text import Span

if TYPE_CHECKING:
    from gust.codegen.body import FnEmitter

# The std functions that read counts: a package calling one counts its `Rc`s (so does one
# naming `Weak`: a weak handle needs the count of its `Rc`).
MARKERS: Final = frozenset({"strong_count", "weak_count", "downgrade", "Weak"})
RC_TYPES: Final = ("Rc", "Arc")
# Borrows of a value: dropping one drops no handle.
_BORROWS: Final = ("Ref", "RefMut", "MutexGuard", "RwLockReadGuard", "RwLockWriteGuard")
# The methods of `Weak` (the runtime's `gustWeak`).
WEAK_METHODS: Final = {"upgrade": "upgrade", "clone": "clone", "strong_count": "strongCount",
                "weak_count": "weakCount"}
_MEMO_KEY: Final = "rc_counts.enabled"

# Methods that drop elements of their receiver (or a value they are given) in Go code that
# does not see it: unsupported on containers of handles.
_DROPPING_METHODS: Final = frozenset({"truncate", "clear", "retain", "retain_mut", "dedup",
                               "dedup_by_key", "dedup_by", "drain", "resize", "fill",
                               "or_insert", "or_insert_with", "or_default", "replace",
                               "take", "get_or_insert", "get_or_insert_with", "unwrap_or",
                               "unwrap_or_default", "unwrap_or_else", "map", "and_then",
                               "ok", "err", "into_iter"})
# Loops and branches: a move inside one may not happen.
_CONDITIONAL: Final = (ast.If, ast.Match, ast.Loop, ast.While, ast.For, ast.Closure)


def enabled(env: ItemEnv) -> bool:
    """Whether the package reads reference counts (computed once per environment)."""
    found = env.memo.get(_MEMO_KEY)
    if isinstance(found, bool):
        return found
    value = any(astwalk.may_mention(env, m) for m in MARKERS) and \
        any(n.path.last.name in MARKERS or "Weak" in n.path.names
            for n in astwalk.package_paths(env).code)
    # A package with `impl Drop` has its drops written the same way (its `Rc`s counted
    # too: a value with a `Drop` impl inside one is dropped with the last handle).
    value = value or any(i.trait == "Drop" for i in env.impls)
    env.memo[_MEMO_KEY] = value
    return value


def is_rc(types: Types, ty: t.Ty) -> bool:
    return isinstance(ty, t.Adt) and ty.name in RC_TYPES and bool(ty.args) and \
        ty.name not in types.env.structs and enabled(types.env)


def owns(types: Types, ty: t.Ty, seen: frozenset[str] = frozenset()) -> bool:
    """Whether dropping a value of type `ty` drops counted handles."""
    if not enabled(types.env):
        return False
    match ty:
        case t.Tuple(elems=elems):
            return any(owns(types, e, seen) for e in elems)
        case t.Array(elem=elem) | t.Slice(elem=elem):
            return owns(types, elem, seen)
        case t.Adt(name=name, args=args):
            if (name in RC_TYPES or name == "Weak") and name not in types.env.structs:
                return True
            if name in _BORROWS and name not in types.env.structs:
                return False
            if name in types.env.structs or name in types.env.enums:
                if has_drop(types.env, name):
                    return True
                if name in seen:
                    return False
                return any(owns(types, f, seen | {name})
                           for f in types.field_types(name, args))
            return any(owns(types, a, seen) for a in args)
    return False


def has_drop(env: ItemEnv, name: str) -> bool:
    """Whether the package type `name` has an `impl Drop` (its `drop` runs where Rust
    drops a value of it)."""
    return any(i.trait == "Drop" and isinstance(i.self_ty, t.Adt) and i.self_ty.name == name
               for i in env.impls)


# ---------------------------------------------------------------- drop glue


def drop_lines(em: FnEmitter | _Temps, value: str, ty: t.Ty,
               seen: frozenset[str] = frozenset()) -> list[str]:
    """Go statements dropping the handles a value owns (`value` is a Go expression that can
    be evaluated more than once)."""
    types = em.types
    if not owns(types, ty):
        return []
    match ty:
        case t.Adt(name=name, args=(inner,)) if name in RC_TYPES:
            rest = drop_lines(em, f"{value}.value", inner, seen)
            if not rest:
                return [f"{value}.drop()"]
            return [f"if {value}.drop() {{", *_indent(rest), "}"]
        case t.Adt(name="Weak", args=(_,)):
            return [f"{value}.drop()"]
        case t.Adt(name="Option", args=(inner,)):
            return [f"if {value}.IsSome {{", *_indent(drop_lines(em, f"{value}.Value", inner, seen)),
                    "}"]
        case t.Adt(name="Vec" | "VecDeque", args=(elem,)) | t.Array(elem=elem):
            x = em.temp("item")
            return [f"for _, {x} := range {value} {{", *_indent(drop_lines(em, x, elem, seen)), "}"]
        case t.Adt(name="HashMap", args=(key, val)) if not owns(types, key):
            x = em.temp("item")
            return [f"for _, {x} := range {value} {{", *_indent(drop_lines(em, x, val, seen)), "}"]
        case t.Adt(name="Box" | "Mutex" | "RefCell" | "Cell", args=(inner,)):
            sel = value if ty.name == "Box" else f"{value}.value"
            return drop_lines(em, sel, inner, seen)
        case t.Tuple(elems=elems):
            out: list[str] = []
            for i, e in enumerate(elems):
                out += drop_lines(em, f"{value}.F{i}", e, seen)
            return out
        case t.Adt(name=name) if name in types.env.enums and has_drop(types.env, name):
            if not types.enum_is_simple(name):
                raise Unsupported(f"`impl Drop` for `{name}`, an enum with payloads,")
            return [f"{value}.drop()"]
        case t.Adt(name=name, args=args) if name in types.env.enums or (
                name in types.env.structs and (name in seen or recursive(types, name))):
            return [f"{drop_fn_name(types, name)}({value})"]
        case t.Adt(name=name, args=args) if name in types.env.structs:
            seen = seen | {name}
            # `Drop::drop` first, then the fields in their order, as Rust drops them.
            out = [f"{value}.drop()"] if has_drop(types.env, name) else []
            info = types.env.structs[name]
            for i, (f, fty) in enumerate(zip(info.fields, types.field_types(name, args),
                                             strict=True)):
                go = names.tuple_field(i) if f.name is None else types.pkg.field(name, f.name)
                out += drop_lines(em, f"{value}.{go}", fty, seen)
            return out
    raise Unsupported(f"dropping a `{ty}` that holds counted `Rc`s or `Drop` values")


def recursive(types: Types, key: str) -> bool:
    """Whether the struct or enum `key` holds handles to values of its own type (a tree):
    its drop is a function of its own (`drop_function`), called again for the values."""
    def reaches(ty: t.Ty, seen: frozenset[str]) -> bool:
        match ty:
            case t.Tuple(elems=elems):
                return any(reaches(e, seen) for e in elems)
            case t.Array(elem=elem) | t.Slice(elem=elem):
                return reaches(elem, seen)
            case t.Adt(name=name, args=args):
                if name == key:
                    return True
                if name in seen:
                    return False
                if name in types.env.structs or name in types.env.enums:
                    return any(reaches(f, seen | {name}) for f in types.field_types(name, args))
                return any(reaches(a, seen) for a in args)
        return False

    return any(reaches(f, frozenset({key})) for f in types.field_types(key))


def drop_fn_name(types: Types, key: str) -> str:
    """The function dropping the handles a value of the struct or enum `key` holds."""
    go = types.adt_name(key)
    return types.pkg.helper(go[:1].upper() + go[1:] + "Drop")


class _Temps:
    """Names for the loops of a drop function (what `drop_lines` asks of an emitter)."""

    def __init__(self, types: Types) -> None:
        self.types = types
        self._count = 0

    def temp(self, base: str) -> str:
        self._count += 1
        return base if self._count == 1 else f"{base}{self._count}"


def drop_function(types: Types, key: str, gline: int | None
                  ) -> list[tuple[str, int | None]]:
    """The drop function of an enum (a `switch` on its variants) or of a recursive struct
    that holds counted handles, written with its declaration; none otherwise."""
    from gust.codegen import generics

    env = types.env
    if not enabled(env) or not owns(types, t.Adt(key, tuple(
            t.Param(p) for p in env.generics_of(key)))):
        return []
    is_enum = key in env.enums
    if not is_enum and not recursive(types, key):
        return []
    if is_enum and types.enum_is_simple(key):
        return []
    bounds = generics.key_bounds(env, key)
    tparams = generics.type_param_list(types, env.generics_of(key), bounds)
    targs = generics.type_args(types, env.generics_of(key))
    temps = _Temps(types)
    body: list[str] = []
    seen = frozenset({key})
    if is_enum:
        cases: list[str] = []
        for v in env.enums[key].variants:
            lines: list[str] = []
            for i, f in enumerate(v.fields):
                go = names.tuple_field(i) if f.name is None else types.pkg.field(key, f.name)
                lines += drop_lines(temps, f"v.{go}", f.ty, seen)
            if lines:
                cases += [f"case {types.variant_type(key, v.name)}{targs}:", *_indent(lines)]
        if cases:
            body = ["switch v := v.(type) {", *cases, "}"]
    else:
        body = ["v.drop()"] if has_drop(env, key) else []
        for i, f in enumerate(env.structs[key].fields):
            go = names.tuple_field(i) if f.name is None else types.pkg.field(key, f.name)
            body += drop_lines(temps, f"v.{go}", f.ty, seen)
    name = drop_fn_name(types, key)
    return [("", None),
            (f"func {name}{tparams}(v {types.adt_name(key)}{targs}) {{", gline),
            *((f"\t{line}", None) for line in body), ("}", None)]


def _indent(lines: list[str]) -> list[str]:
    return ["\t" + line for line in lines]


# ---------------------------------------------------------------- where a body drops


class BodyPlan:
    """Which locals of a body the Go code drops at the end of their scope ("defer" or
    "block"), checked to be exact: anything that would drop a handle elsewhere raises."""

    def __init__(self, em: FnEmitter) -> None:
        self.em = em
        self.drops: dict[int, str] = {}
        fn = em.fn
        assert fn.body is not None
        self.parents: dict[int, object] = {}
        for n in astwalk.walk(fn.body):
            for c in _children(n):
                self.parents[id(c)] = n
        self._check_exprs(fn.body)
        self._plan_locals(fn.body)

    # ------------------------------------------------------------ expressions

    def _check_exprs(self, body: ast.Block) -> None:
        em = self.em
        types = em.types
        for n in astwalk.walk(body):
            if isinstance(n, ast.Assign) and owns(types, em.ty(n.target)) and not (
                    isinstance(n.target, (ast.Field, ast.TupleField)) and
                    _pure_place(n.target)) and not _borrowed_slot(n.target):
                # A variable may be uninitialised (`let w; w = ..`); a field never is.
                raise _at("assigning over a value that holds counted `Rc`s or `Drop` values", n.span)
            if isinstance(n, ast.MethodCall) and n.name in _DROPPING_METHODS:
                recv = em.ty(n.receiver)
                while isinstance(recv, t.Ref):
                    recv = recv.inner
                if owns(types, recv) or any(owns(types, em.ty(a)) for a in n.args):
                    raise _at(f"`{n.name}` on values that hold counted `Rc`s or `Drop` values", n.span)
            if isinstance(n, ast.MacroCall) and n.repeat is not None and \
                    owns(types, em.ty(n.repeat[0])):
                raise _at("`vec![x; n]` of values that hold counted `Rc`s or `Drop` values", n.span)
            if isinstance(n, ast.ArrayRepeat) and owns(types, em.ty(n.value)):
                raise _at("`[x; n]` of values that hold counted `Rc`s or `Drop` values", n.span)
            if isinstance(n, ast.Call):
                self._check_call(n)
            if isinstance(n, ast.Closure) and not _spawned(self, n):
                info = em.br.closures.get(n)
                if info is not None and any(
                        c.mode == "move" and owns(types, em.br.locals[c.local].ty)
                        for c in info.captures):
                    raise _at("a closure that owns counted `Rc`s or `Drop` values (only a thread's can)",
                              n.span)
            ty = em.br.expr_types.get(n)  # type: ignore[call-overload]
            if ty is None:
                continue
            if isinstance(ty, t.Adt) and ty.name in ("Iter", "Range") and \
                    owns(types, ty):
                raise _at("an iterator of values that hold counted `Rc`s or `Drop` values", n.span)  # type: ignore[attr-defined]
            if owns(types, ty) and not _is_place(n):
                self._check_temporary(n)

    def _check_call(self, n: ast.Call) -> None:
        em = self.em
        res = em.br.paths.get(n.callee) if isinstance(n.callee, ast.PathExpr) else None
        if isinstance(res, FnRes) and res.name in em.env.fns and res.nested_at < 0 and \
                em.env.fns[res.name].generics and any(owns(em.types, em.ty(a))
                                                      for a in n.args):
            raise _at("a generic function given values that hold counted `Rc`s or `Drop` values", n.span)
        if isinstance(n.callee, ast.PathExpr) and \
                n.callee.path.names[-2:] in (("mem", "replace"), ("mem", "swap"),
                                             ("mem", "take")) and \
                any(owns(em.types, em.ty(a)) for a in n.args):
            raise _at("`mem` functions on values that hold counted `Rc`s or `Drop` values", n.span)

    def _check_temporary(self, n: object) -> None:
        """A new value holding handles must go somewhere that owns it (a variable, an
        argument, a field, a return); a borrowed temporary would be dropped unseen."""
        child = n
        parent = self.parents.get(id(n))
        while isinstance(parent, ast.Paren):
            child, parent = parent, self.parents.get(id(parent))
        span: Span = n.span  # type: ignore[attr-defined]
        match parent:
            case None:
                return  # the function's body: its value is returned
            case ast.Let() | ast.ExprStmt() | ast.Return() | ast.Block() | ast.StructLit() \
                    | ast.StructLitField() | ast.TupleExpr() | ast.ArrayExpr() \
                    | ast.MatchArm() | ast.Closure() | ast.Break() | ast.If():
                return
            case ast.Assign() if child is parent.value:
                return  # moved into the place (its old value dropped: `drop_lines`)
            case ast.Call() if child is not parent.callee:
                return
            case ast.MethodCall() if child is not parent.receiver:
                return
            case ast.MethodCall(name="unwrap" | "expect" | "clone"):
                return
            case ast.MacroCall(name="vec"):
                return
        raise _at("a temporary that holds counted `Rc`s or `Drop` values here", span)

    # ------------------------------------------------------------ locals

    def _plan_locals(self, body: ast.Block) -> None:
        em = self.em
        br = em.br
        owning = [lc for lc in br.locals if owns(em.types, lc.ty) and not lc.by_ref]
        if not owning:
            return
        from gust.borrowck.insight import body_insight

        insight = body_insight(em.env, br, em.types.budget)  # the item's (gust.budget)
        if insight is None:
            raise _at("a body whose moves of counted `Rc`s or `Drop` values are not known", em.fn.span)
        decl_of = {br.bindings[n]: n for n in br.bindings}
        for lc in owning:
            pat = decl_of.get(lc.id)
            if lc.kind == "self":
                raise _at("`self` holding counted `Rc`s or `Drop` values by value", em.fn.span)
            if pat is None or pat.sub is not None or pat.by_ref or \
                    lc.kind not in ("param", "let"):
                raise _at("a pattern binding a value that holds counted `Rc`s or `Drop` values", lc.span)
            scope = body if lc.kind == "param" else self._scope_of(pat)
            if scope is None:
                raise _at("a binding of a value that holds counted `Rc`s or `Drop` values here", lc.span)
            moves = [m for m in insight.moves if m.user == lc.id]
            if any(m.place != lc.name for m in moves):
                raise _at("moving a part of a value that holds counted `Rc`s or `Drop` values", moves[0].span)
            outermost = scope is body
            if moves or not outermost:
                # A value dropped at its block's end is dropped by a `break` or `continue`
                # out of the block too (`FnEmitter.drop_at_scope_end`); a moved one is not
                # followed there.
                self._no_early_exit(scope, lc.span, jumps=not moves)
            for m in moves:
                self._unconditional(scope, m.span)
            if not moves:
                self.drops[lc.id] = "defer" if outermost else "block"

    def _scope_of(self, pat: ast.IdentPat) -> ast.Block | None:
        node: object = pat
        while True:
            parent = self.parents.get(id(node))
            if parent is None:
                return None
            if isinstance(parent, ast.Let):
                if parent.pat is not pat:
                    return None
            elif isinstance(parent, ast.Block):
                return parent
            elif not isinstance(parent, ast.Let):
                return None
            node = parent

    def _no_early_exit(self, scope: ast.Block, span: Span, jumps: bool = False) -> None:
        def visit(node: object, loops: int) -> None:
            if isinstance(node, ast.Closure):
                return
            if isinstance(node, (ast.Return, ast.Try)):
                raise _at("leaving a scope early past a value that holds counted `Rc`s or `Drop` values",
                          node.span)
            if isinstance(node, (ast.Break, ast.Continue)) and (loops == 0 or node.label) and \
                    not jumps:
                raise _at("leaving a scope early past a value that holds counted `Rc`s or `Drop` values",
                          node.span)
            inner = loops + isinstance(node, (ast.Loop, ast.While, ast.For))
            for c in _children(node):
                visit(c, inner)

        visit(scope, 0)
        del span

    def _unconditional(self, scope: ast.Block, span: Span) -> None:
        """A move must happen whenever the scope runs: no branch, loop or closure between
        the scope and the moving expression."""
        node = _innermost(scope, span)
        while node is not None and node is not scope:
            parent = self.parents.get(id(node))
            if isinstance(parent, _CONDITIONAL) and not (
                    isinstance(parent, ast.If) and node is parent.cond) and not (
                    isinstance(parent, ast.Match) and node is parent.scrutinee):
                if isinstance(parent, ast.Closure) and _spawned(self, parent):
                    return
                raise _at("a move that may not happen of a value that holds counted `Rc`s or `Drop` values",
                          span)
            if isinstance(parent, ast.Binary) and parent.op in ("&&", "||") and \
                    node is parent.rhs:
                raise _at("a move that may not happen of a value that holds counted `Rc`s or `Drop` values",
                          span)
            node = parent


def _spawned(plan: BodyPlan, closure: ast.Closure) -> bool:
    """A closure given to `thread::spawn` (its moved captures are dropped when it ends)."""
    parent = plan.parents.get(id(closure))
    return isinstance(parent, ast.Call) and isinstance(parent.callee, ast.PathExpr) and \
        parent.callee.path.last.name == "spawn"


def _innermost(scope: ast.Block, span: Span) -> object | None:
    best: object | None = None
    size = -1
    for n in astwalk.walk(scope):
        s = getattr(n, "span", None)
        if isinstance(s, Span) and s.start <= span.start and span.end <= s.end and \
                (best is None or s.end - s.start <= size):
            best, size = n, s.end - s.start
    return best


def _children(node: object) -> Iterator[object]:
    for name in astwalk.CHILDREN.get(type(node), ()):
        v = getattr(node, name)
        if type(v) in astwalk.CHILDREN:
            yield v
        elif isinstance(v, tuple):
            for x in v:
                if type(x) in astwalk.CHILDREN:
                    yield x
                elif isinstance(x, tuple):
                    yield from (y for y in x if type(y) in astwalk.CHILDREN)


def _pure_place(n: object) -> bool:
    """A place the Go code can name twice (fields of a variable)."""
    match n:
        case ast.PathExpr():
            return True
        case ast.Field(base=base) | ast.TupleField(base=base):
            return _pure_place(base)
        case ast.Index(base=base, index=ast.Literal() | ast.PathExpr()):
            return _pure_place(base)
        case ast.Paren(inner=inner):
            return _pure_place(inner)
    return False


def _borrowed_slot(n: object) -> bool:
    """`*c.borrow_mut()` of a cell at a place: always initialised, like a field."""
    while isinstance(n, ast.Paren):
        n = n.inner
    return isinstance(n, ast.Unary) and n.op == "*" and \
        isinstance(n.operand, ast.MethodCall) and n.operand.name == "borrow_mut" and \
        not n.operand.args and _pure_place(n.operand.receiver)


def _is_place(n: object) -> bool:
    match n:
        case ast.PathExpr() | ast.Field() | ast.TupleField() | ast.Index():
            return True
        case ast.Unary(op="*"):
            return True
        case ast.Paren(inner=inner):
            return _is_place(inner)
    return False


def _at(what: str, span: Span) -> Exception:
    from gust.codegen.body import UnsupportedAt

    return UnsupportedAt(what, span)


def thread_drops(em: FnEmitter, closure: ast.Closure) -> list[str]:
    """`defer` lines dropping what a thread closure moved in, when the thread ends."""
    info = em.br.closures.get(closure)
    if info is None:
        return []
    out: list[str] = []
    for cap in info.captures:
        ty = em.br.locals[cap.local].ty
        if cap.mode != "move" or not owns(em.types, ty):
            continue
        from gust.codegen import goast as g

        lines = drop_lines(em, g.render(em.local_expr(cap.local)), ty)
        if len(lines) == 1:
            out.append("\tdefer " + lines[0])
        else:
            out += ["\tdefer func() {", *("\t\t" + x for x in lines), "\t}()"]
    return out
