"""Strings a function only appends to are Go byte slices while it runs.

A push to a `String` place is a runtime call (`gustPushStrTo(&s, x)`, gust.codegen.string_push)
that finds the buffer's header by the string's address before writing: a few dozen
instructions, not inlined, per push. A function that does nothing with a string but append to
it, and at most hand it on at the end, can keep it as a `[]byte` instead, as a Go programmer
would, and each push is Go's `append`, inlined:

    fn render(tokens: &[Token], out: &mut String) {      func render(tokens []Token, out *string) {
        for t in tokens {                                    outBuf := gustAppendable(out)
            out.push(' ');                                   defer gustAppended(out, &outBuf)
            out.push_str(&t.text);                           for _, t := range tokens {
        }                                                        outBuf = gustAppendByte(outBuf, ' ')
    }                                                            outBuf = gustAppendStr(outBuf, t.text)
                                                             }
                                                         }

The two kinds (`find`):

* a `&mut String` parameter every use of which is a `push_str`, a `push` or a `+=`: its bytes
  are taken on entry (`gustAppendable`: the spare room of the place's buffer, which the place
  owns) and given back when the function returns or panics (a deferred `gustAppended`). The
  caller's string cannot be read while the function holds its `&mut`, so nothing sees the
  slice's bytes before they are given back.
* a local `let mut s = String::new()` (or `String::with_capacity(n)`) whose uses are those
  pushes and moving it out as the function's value (its tail or a `return s`): the local is
  the slice (`var s []byte`), and moving it out is `gustBuilt(s)`, the string of its bytes.
  Rust's borrow checker guarantees that nothing pushes to it after it is moved.

Uses inside a closure, anything else (reading the string, passing it on, `clear`, `write!`)
leave the string a Go string. The slices grow into buffers with headers
(`gustAppendGrow`), as gustPushStrTo's do, so the string keeps its capacity for later pushes.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Final

from gust.codegen import goast as g
from gust.codegen import string_push
from gust.codegen.astwalk import constructor_call, local_of
from gust.codegen.astwalk import strip_parens as _strip
from gust.sema import types as t
from gust.sema.results import LocalRes
from gust.syntax import ast

if TYPE_CHECKING:
    from gust.codegen.body import FnEmitter

_PUSHES: Final = frozenset({"push_str", "push"})
_CONSTRUCTORS: Final = frozenset({"new", "with_capacity"})
_STRING: Final = t.Adt("String")


def _place(e: ast.Expr) -> ast.Expr:
    """The path of a place `s`, `*s` or `(*s)`."""
    e = _strip(e)
    while isinstance(e, ast.Unary) and e.op == "*":
        e = _strip(e.operand)
    return e


def _local_of(em: FnEmitter, e: ast.Expr) -> int | None:
    return local_of(em.br.paths, e, derefs=True)


def _candidates(em: FnEmitter) -> dict[int, str]:
    """The `&mut String` parameters ("param") and the locals of `String::new()` ("let")."""
    found: dict[int, str] = {}
    for local in em.br.params:
        if em.br.locals[local].ty == t.Ref(_STRING, True):
            found[local] = "param"
    for st in em.nodes.of_type(ast.Let):
        pat = st.pat
        if isinstance(pat, ast.IdentPat) and pat.sub is None and not pat.by_ref and \
                pat in em.br.bindings and st.else_block is None and \
                constructor_call(st.init, "String", _CONSTRUCTORS) is not None:
            local = em.br.bindings[pat]
            if em.br.locals[local].ty == _STRING:
                found[local] = "let"
    return found


def find(em: FnEmitter) -> dict[int, str]:
    """The locals of the function that are byte slices while it runs, and their kind."""
    candidates = _candidates(em)
    if not candidates:
        return {}
    allowed: set[int] = set()  # the uses (path expressions) a push or a move out
    for call in em.nodes.of_type(ast.MethodCall):
        res = em.br.methods.get(call)
        if res is not None and res.builtin and res.owner == "String" and \
                call.name in _PUSHES and _local_of(em, call.receiver) in candidates:
            allowed.add(id(_place(call.receiver)))
    for op in em.nodes.of_type(ast.CompoundAssign):
        if op.op == "+" and _local_of(em, op.target) in candidates:
            allowed.add(id(_place(op.target)))
    moved_out = [r.value for r in em.nodes.of_type(ast.Return) if r.value is not None]
    if em.fn.body is not None and em.fn.body.tail is not None:
        moved_out.append(em.fn.body.tail)
    for value in moved_out:
        local = _local_of(em, value)
        if local is not None and candidates.get(local) == "let" and \
                isinstance(_strip(value), ast.PathExpr):
            allowed.add(id(_strip(value)))
    in_closures = {id(n) for c in em.nodes.of_type(ast.Closure) for n in em.nodes.walk(c)}
    for p in em.nodes.of_type(ast.PathExpr):
        use = em.br.paths.get(p)
        if isinstance(use, LocalRes) and use.local in candidates and \
                (id(p) not in allowed or id(p) in in_closures):
            del candidates[use.local]
    return candidates


def prologue(em: FnEmitter) -> None:
    """Take the bytes of each `&mut String` parameter appended to, given back on return."""
    for local, kind in em.string_builders.items():
        if kind != "param":
            continue
        place = em.local_go.get(local, em.br.locals[local].name)
        buf = em.temp(em.br.locals[local].name + "Buf")
        em.builder_bufs[local] = buf
        em.line(f"{buf} := gustAppendable({place})")
        em.line(f"defer gustAppended({place}, &{buf})")


def declare(em: FnEmitter, local: int, init: ast.Expr) -> None:
    """`let mut s = String::new();` of a local appended to: `var s []byte` (with_capacity:
    a buffer of that many bytes); reading it (moving it out) is `gustBuilt(s)`."""
    go = em.declare(local)
    call = constructor_call(init, "String", _CONSTRUCTORS)
    assert call is not None
    if call.args:
        em.line(f"{go} := {g.render(g.call('gustBytesWithCapacity', em.expr(call.args[0])))}")
    else:
        em.line(f"var {go} []byte")
    em.builder_bufs[local] = go
    em.override[local] = g.call("gustBuilt", g.ident(go))


def buffer(em: FnEmitter, place: ast.Expr) -> str | None:
    """The Go byte slice standing for the String at `place`, if it is one appended to."""
    if not em.string_builders:
        return None
    local = _local_of(em, place)
    return em.builder_bufs.get(local) if local is not None else None


def push_str(em: FnEmitter, buf: str, text: g.GoExpr) -> None:
    """`s.push_str(text)` (and `s += text`) of a String appended to."""
    b = g.ident(buf)
    digits = string_push.decimal(text)
    if digits is not None:  # `s.push_str(&n.to_string())`: the digits written in place
        fn = "gustAppendUint" if digits[0] == "gustPushUintTo" else "gustAppendInt"
        em.line(f"{buf} = {g.render(g.call(fn, b, digits[1]))}")
        return
    byte = string_push.one_byte(text)
    if byte is not None:
        em.line(f"{buf} = {g.render(g.call('gustAppendByte', b, byte))}")
        return
    em.line(f"{buf} = {g.render(g.call('gustAppendStr', b, text))}")


def push_char(em: FnEmitter, buf: str, char: g.GoExpr, literal: str | None) -> None:
    """`s.push(c)` of a String appended to."""
    if literal is not None:
        push_str(em, buf, g.Atom(g.go_string(literal), "string"))
        return
    em.line(f"{buf} = {g.render(g.call('gustAppendChar', g.ident(buf), char))}")
