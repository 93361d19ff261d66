"""rustc's deny-by-default lints on operations whose operands are known at compile time:
`arithmetic_overflow` ("this arithmetic operation will overflow": `255u8 + 1`, `i32::MAX *
2`, `1u8 << 8`, `-i8::MIN`) and `unconditional_panic` ("this operation will panic at
runtime": a division or remainder by zero or of `MIN` by `-1`, an array indexed out of
bounds).

rustc finds them by propagating constants through a function's MIR (its `KnownPanicsLint`):
literals, constants, `T::MIN`/`T::MAX`, casts, and the immutable locals a constant
initialises (`let a: u8 = 250; a + 10`; not a `mut` local, which may change). Gust
evaluates the same expressions with gust.sema.const_errors' evaluator (the one that gives
a constant's E0080, with rustc's wording of the operands: `250_u8 + 10_u8`), over a body
that type-checked. An operation whose operand failed is not reported again (its value is
unknown, as in rustc). Like `overflowing_literals`, each is an error with the lint's name
as its code, dropped when the file has other errors (gust.ide.analysis).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Final

from gust import diagnostics as d
from gust.sema import types as t
from gust.sema.const_errors import Evaluator, Failed, Unknown
from gust.sema.literals import int_range
from gust.sema.results import BodyResults, ConstRes, LocalRes
from gust.syntax import ast
from gust.syntax.walk import children

OVERFLOW: Final = "arithmetic_overflow"
PANIC: Final = "unconditional_panic"
_MESSAGES: Final = {OVERFLOW: "this arithmetic operation will overflow",
             PANIC: "this operation will panic at runtime"}
_ARITHMETIC: Final = frozenset({"+", "-", "*", "/", "%", "<<", ">>"})
# The operators whose results the evaluator computes (gust.sema.const_errors).
_VALUE_OPERATORS: Final = _ARITHMETIC | {"&", "|", "^"}


def known_panics(body: ast.Block, results: BodyResults,
                 other: Callable[[str], int | None]) -> list[d.Diagnostic]:
    """One error per operation of the body that overflows or panics whatever runs it;
    `other(key)` is the value of a constant of the package (None when unknown)."""
    if not might_report(results):
        return []  # most bodies: no walk (a tenth of the checker's time when there was one)
    return walked_known_panics(body, results, other)


def might_report(results: BodyResults) -> bool:
    """Whether some operation of the body may fail for its own operands: False is
    certain (the body needs no walk), True is not (the walk decides)."""
    return any(_may_fail(node, results) for node in results.expr_types)


def walked_known_panics(body: ast.Block, results: BodyResults,
                        other: Callable[[str], int | None]) -> list[d.Diagnostic]:
    """`known_panics`, from a walk of the whole body (without the test that most bodies
    need none: tests/test_known_panics.py compares the two)."""
    pairs: list[tuple[object, object]] = []  # (parent, node), outside closures
    in_closures: list[object] = []
    _split(body, pairs, in_closures)
    in_body = [node for _, node in pairs]
    # Each list keeps its walk's order; the sort below is stable.
    nodes = [(n, True) for n in in_body if _candidate(n, results)] + \
        [(n, False) for n in in_closures if _candidate(n, results)]
    if not nodes:
        return []
    in_parens = {id(n.inner) for n in (*in_body, *in_closures) if isinstance(n, ast.Paren)}
    # A closure is a body of its own to rustc: the locals it captures are not constants.
    with_locals = _LintEvaluator(results, other,
                                 _constant_locals(pairs, in_closures, results))
    alone = _LintEvaluator(results, other)
    out: list[d.Diagnostic] = []
    noted: set[str] = set()
    nodes.sort(key=lambda pair: pair[0].span.start)  # type: ignore[attr-defined]
    for node, outside_closures in nodes:
        if id(node) in in_parens:
            continue  # one in parentheses is reported with them, as rustc's span has them
        evaluator = with_locals if outside_closures else alone
        assert isinstance(node, ast.Paren | ast.Binary | ast.Unary | ast.Index)
        try:
            evaluator.value(node)
        except Failed as failure:
            if failure.expr is not node:
                continue  # an operand's own failure, reported where it is
            lint = _lint(node)
            notes = () if lint in noted else (f"`#[deny({lint})]` on by default",)
            noted.add(lint)
            out.append(d.error(lint, _MESSAGES[lint], node.span, failure.message,
                               notes=notes))
        except Unknown:
            pass
    return out


def _split(node: object, pairs: list[tuple[object, object]], in_closures: list[object]
           ) -> None:
    """The nodes under `node` with their parents, apart from those inside closures (one
    walk: the children of a node are found once)."""
    for child in children(node):
        if isinstance(child, ast.Closure):
            in_closures.append(child)
            _inside_closure(child, in_closures)
        else:
            pairs.append((node, child))
            _split(child, pairs, in_closures)


def _inside_closure(node: object, in_closures: list[object]) -> None:
    for child in children(node):
        in_closures.append(child)
        _inside_closure(child, in_closures)


class _LintEvaluator(Evaluator):
    """The evaluator, with literals as rustc's MIR has them: one out of its type's range is
    `overflowing_literals`' error, and its (truncated) value is not followed further."""

    def value(self, e: ast.Expr) -> int:
        negative = isinstance(e, ast.Unary) and e.op == "-" and \
            isinstance(e.operand, ast.Literal)
        lit = e.operand if negative else e  # type: ignore[union-attr]
        if isinstance(lit, ast.Literal) and lit.kind == "int" and isinstance(lit.value, int):
            ty = self.results.expr_types.get(e)
            if not isinstance(ty, t.Int):
                raise Unknown
            v = -lit.value if negative else lit.value
            lo, hi = int_range(ty.kind)
            if not lo <= v <= hi:
                raise Unknown
            return v
        return super().value(e)


def _candidate(node: object, results: BodyResults) -> bool:
    # (Asked of every node of every body: by exact class, the cheapest test.)
    if type(node) is ast.Binary:
        return node.op in _ARITHMETIC and isinstance(results.expr_types.get(node), t.Int)
    if type(node) is ast.Unary:
        return node.op == "-" and isinstance(results.expr_types.get(node), t.Int)
    if type(node) is ast.Index:
        return isinstance(results.expr_types.get(node.base), t.Array)
    if type(node) is ast.Paren:
        return _candidate(_unparen(node.inner), results)
    return False


def _may_fail(node: object, results: BodyResults) -> bool:
    """Whether `node` (any expression of the body) may be an operation that fails for
    its own operands: a candidate whose operands could all have values (`_may_have_value`).
    True for every node that `known_panics` would report (a candidate in parentheses is
    reported if the candidate inside them is)."""
    if isinstance(node, ast.Binary):
        return node.op in _ARITHMETIC and \
            isinstance(results.expr_types.get(node), t.Int) and \
            _may_have_value(node.lhs, results) and _may_have_value(node.rhs, results)
    if isinstance(node, ast.Unary):
        return node.op == "-" and isinstance(results.expr_types.get(node), t.Int) and \
            _may_have_value(node.operand, results)
    if isinstance(node, ast.Index):
        return isinstance(results.expr_types.get(node.base), t.Array) and \
            _may_have_value(node.index, results)
    return False


def _may_have_value(e: ast.Expr, results: BodyResults) -> bool:
    """False when the evaluator cannot give `e` a value, whatever the constants' values
    (a superset of what it evaluates: `Evaluator.value`'s cases, with every immutable
    local that a plain `let` initialises taken for a constant one)."""
    if isinstance(e, ast.Literal):
        return e.kind == "int"
    if isinstance(e, ast.Paren):
        return _may_have_value(e.inner, results)
    if isinstance(e, ast.Cast):
        return _may_have_value(e.expr, results)
    if isinstance(e, ast.Unary):
        return e.op == "-" and _may_have_value(e.operand, results)
    if isinstance(e, ast.Binary):
        return e.op in _VALUE_OPERATORS and _may_have_value(e.lhs, results) and \
            _may_have_value(e.rhs, results)
    if isinstance(e, ast.PathExpr):
        names = e.path.names
        if len(names) == 2 and names[1] in ("MIN", "MAX"):
            return True
        res = results.paths.get(e)
        if isinstance(res, LocalRes):
            init = results.let_inits.get(res.local)
            return init is not None and _may_have_value(init, results)
        return isinstance(res, ConstRes)
    return False


def _unparen(e: ast.Expr) -> ast.Expr:
    while isinstance(e, ast.Paren):
        e = e.inner
    return e


def _lint(node: ast.Expr) -> str:
    inner = _unparen(node)
    if isinstance(inner, ast.Index) or (isinstance(inner, ast.Binary) and
                                        inner.op in ("/", "%")):
        return PANIC
    return OVERFLOW


def _constant_locals(pairs: list[tuple[object, object]], in_closures: list[object],
                     results: BodyResults) -> dict[int, ast.Expr]:
    """The immutable integer locals bound by a plain `let name = init;`, by local index,
    with their initialisers (what rustc's constant propagation follows), but for those
    whose address may be taken anywhere in the body: rustc stops following a local that is
    borrowed (`&a`, a formatting macro's argument, a `&self` method's receiver, a
    closure's capture). `pairs` are the body's nodes outside closures with their parents."""
    found: dict[int, ast.Expr] = {}
    borrowed: set[int] = set()
    nodes = [node for _, node in pairs]
    # The uses that only read the value.
    copied = {id(node) for parent, node in pairs
              if isinstance(node, ast.PathExpr) and _reads_value(parent, node)}
    for node in (*nodes, *in_closures):
        if isinstance(node, ast.PathExpr) and id(node) not in copied:
            res = results.paths.get(node)
            if isinstance(res, LocalRes):
                borrowed.add(res.local)
    for node in nodes:
        if not (isinstance(node, ast.Let) and node.init is not None and
                node.else_block is None and isinstance(node.pat, ast.IdentPat)):
            continue
        pat = node.pat
        if pat.mutable or pat.by_ref or pat.sub is not None:
            continue
        local = results.bindings.get(pat)
        if local is not None and not results.locals[local].mutable and \
                isinstance(results.locals[local].ty, t.Int) and local not in borrowed:
            found[local] = node.init
    return found


def _reads_value(parent: object, use: ast.PathExpr) -> bool:
    """Whether `use`, a child of `parent`, is only read there (copied: an operand, a
    cast's, an index, an argument, a value stored), not borrowed."""
    match parent:
        case ast.Binary() | ast.Cast() | ast.Paren() | ast.Let() | ast.Call() | \
                ast.StructLitField() | ast.TupleExpr() | ast.ArrayExpr():
            return not (isinstance(parent, ast.Call) and parent.callee is use)
        case ast.Unary(op=op):
            return op in ("-", "!")
        case ast.Index(index=index):
            return index is use
    return False
