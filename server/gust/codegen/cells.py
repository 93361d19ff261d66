"""`RefCell`'s dynamic borrow checking: `borrow()`/`borrow_mut()` count their borrows in the
cell (`*gustCell[T]`) and panic like Rust's ("RefCell already borrowed"); the count is
given back where Rust drops the `Ref`/`RefMut`, as with mutex guards
(gust.codegen.concurrency):

* a guard bound by `let` in the outermost block of a function or closure: `defer
  c.release()` (Rust drops it when the function returns);
* a guard bound by `let` in a nested block that nothing leaves early: `c.release()` at the
  end of that block;
* a temporary of a statement with no blocks inside (`c.borrow_mut().push(4);`,
  `let n = c.borrow().len();`): `c.release()` right after the statement.

A guard passed by value to a function (`drop(r)`), or one used anywhere else (an `if` condition, a closure's tail, a
returned `Ref`), is not counted: the cell then does not panic on a conflict Rust would
report, but it never panics where Rust would not.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

from gust.codegen import goast as g
from gust.sema import types as t
from gust.syntax import ast

if TYPE_CHECKING:
    from gust.codegen.astwalk import Subtrees
    from gust.codegen.body import FnEmitter

_BORROWS: Final = ("borrow", "borrow_mut")
# Classes tested for every node of a body: tuples built once (a `A | B` union in the
# test itself is built anew at every node, four times the cost of the test).
_BRANCHING: Final = (ast.Block, ast.Closure, ast.If, ast.Match, ast.Loop, ast.While, ast.For)
_LEAVING: Final = (ast.Return, ast.Break, ast.Continue, ast.Try)


def _borrow_call(e: ast.Expr | None) -> ast.MethodCall | None:
    while isinstance(e, ast.Paren):
        e = e.inner
    if isinstance(e, ast.MethodCall) and e.name in _BORROWS and not e.args:
        return e
    return None


def _has_block(e: object, nodes: Subtrees) -> bool:
    """Whether an expression has a block, closure or branch inside (where a temporary's
    drop is not simply the statement's end)."""
    return any(isinstance(n, _BRANCHING) for n in nodes.walk(e))


def _moved_names(fn: ast.FnDecl, nodes: Subtrees) -> set[str]:
    """Names passed by value to a function or method (`drop(r)`): a guard moved there is
    dropped there, not at the end of its block."""
    out: set[str] = set()
    for n in nodes.walk(fn.body):
        if isinstance(n, (ast.Call, ast.MethodCall)):
            for a in n.args:
                if isinstance(a, ast.PathExpr) and len(a.path.segments) == 1:
                    out.add(a.path.last.name)
        elif isinstance(n, ast.Return) and isinstance(n.value, ast.PathExpr):
            out.add(n.value.path.last.name)
    return out


def cell_scopes(fn: ast.FnDecl, closures: list[ast.Closure], nodes: Subtrees
                ) -> dict[ast.MethodCall, str]:
    """Where each counted `borrow()`/`borrow_mut()` is given back: "let", "block" or
    "temp" (see the module's docstring); calls not in the map are not counted. `nodes`:
    the body's (gust.codegen.astwalk)."""
    out: dict[ast.MethodCall, str] = {}
    if fn.body is None or not any(n.name in _BORROWS for n in nodes.of_type(ast.MethodCall)):
        return out  # most bodies: no `borrow()` to place, no further walk
    dropped = _moved_names(fn, nodes)
    tops = [fn.body, *(c.body for c in closures if isinstance(c.body, ast.Block))]
    for block in nodes.walk(fn.body):
        if not isinstance(block, ast.Block):
            continue
        outermost = any(block is top for top in tops)
        leaves = not outermost and any(
            isinstance(x, _LEAVING) for x in nodes.walk(block))
        for st in block.stmts:
            if isinstance(st, ast.Let) and (call := _borrow_call(st.init)) is not None:
                if isinstance(st.pat, ast.IdentPat) and st.pat.name not in dropped and \
                        not leaves:
                    out[call] = "let" if outermost else "block"
                continue
            expr = st.init if isinstance(st, ast.Let) else \
                st.expr if isinstance(st, ast.ExprStmt) else None
            if expr is None or _has_block(expr, nodes):
                continue
            for n in nodes.walk(expr):
                if isinstance(n, ast.MethodCall) and n.name in _BORROWS and not n.args:
                    out[n] = "temp"
    return out


def borrow(em: FnEmitter, e: ast.MethodCall, cell: g.GoExpr, cell_ty: t.Ty) -> g.GoExpr:
    """`c.borrow()` / `c.borrow_mut()`: a pointer to the value, counted when its drop is
    known (panicking as Rust's does on a conflict)."""
    where = em.cell_scope.get(e)
    if where is None:
        return g.unary("&", g.selector(cell, "value"))
    cell = em.stable(cell, cell_ty, "cell")
    release = f"{g.render(cell)}.release()"
    if where == "let":
        em.after_stmt.append("defer " + release)
    elif where == "temp":
        em.after_stmt.append(release)
    elif em.block_guards:
        em.block_guards[-1].append(release)
    em.ctx.site(e.name_span.start, "p")
    return g.call(g.selector(cell, "borrowMut" if e.name == "borrow_mut" else "borrowShared"))
