"""A variant rebuilt from the bindings of the arm that matched it is the matched value.

A variant with a payload is a struct boxed in the enum's interface, so building one
allocates (`TokenNumber{b}` as a `Token`). An arm that takes a value apart and builds the
same variant from the same bindings, unchanged,

    match token {
        Token::Number(b) => { .. out.push(Token::Number(b)); }
        ..
    }

builds a value equal to the one it matched: the Go passes `token` itself
(`out = append(out, token)`), with no new box. `find` lists such constructor calls: the
scrutinee is a local holding the enum by value that the function never assigns (not `mut`),
the arm's pattern is the variant with a plain, immutable binding per field, and the call
names the same variant with exactly those bindings, in order, and has the scrutinee's type;
nothing in the arm binds the scrutinee's name again (the Go name would be the new binding's).
`Option` and `Result` are plain Go structs (nothing to save).
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from gust.codegen.astwalk import local_of
from gust.codegen.astwalk import strip_parens as _strip
from gust.sema import types as t
from gust.sema.results import LocalRes, VariantRes
from gust.syntax import ast

if TYPE_CHECKING:
    from gust.codegen.body import FnEmitter


def _bindings(em: FnEmitter, pat: ast.TupleStructPat) -> list[int] | None:
    """The locals bound by `V(a, b)`, each a plain immutable binding; None otherwise."""
    locals_: list[int] = []
    for elem in pat.elems:
        if not (isinstance(elem, ast.IdentPat) and elem.sub is None and not elem.by_ref and
                not elem.mutable and elem in em.br.bindings):
            return None
        locals_.append(em.br.bindings[elem])
    return locals_


def find(em: FnEmitter) -> dict[int, int]:
    """The constructor calls (by id) that rebuild their arm's matched value, and the local
    holding that value."""
    found: dict[int, int] = {}
    for match in em.nodes.of_type(ast.Match):
        scrutinee = local_of(em.br.paths, match.scrutinee)
        if scrutinee is None or em.br.locals[scrutinee].mutable:
            continue
        ty = em.br.locals[scrutinee].ty
        if not isinstance(ty, t.Adt) or ty.name in ("Option", "Result") or \
                ty.name not in em.env.enums:
            continue
        for arm in match.arms:
            pat = arm.pat
            if not isinstance(pat, ast.TupleStructPat) or not pat.elems:
                continue
            bound = _bindings(em, pat)
            if bound is None or _shadows(em, arm, em.br.locals[scrutinee].name):
                continue
            rebuilt: list[ast.Call] = []
            for call in em.nodes.walk(arm.body):
                if not isinstance(call, ast.Call) or len(call.args) != len(bound):
                    continue
                callee = _strip(call.callee)
                res = em.br.paths.get(callee) if isinstance(callee, ast.PathExpr) else None
                if isinstance(res, VariantRes) and res.enum == ty.name and \
                        res.variant == pat.path.last.name and em.ty(call) == ty and \
                        [local_of(em.br.paths, a) for a in call.args] == bound:
                    rebuilt.append(call)
            if rebuilt and _read_elsewhere(em, arm.body, bound, rebuilt):
                found.update((id(call), scrutinee) for call in rebuilt)
    return found


def _shadows(em: FnEmitter, arm: ast.MatchArm, name: str) -> bool:
    """Whether the arm binds the scrutinee's name again (`Token::Op(token)`, `let token =
    ..`): the Go name would then be the new binding's, not the matched value's."""
    return any(isinstance(n, ast.IdentPat) and n.name == name
               for part in (arm.pat, arm.body) for n in em.nodes.walk(part))


def _read_elsewhere(em: FnEmitter, body: ast.Expr, bound: list[int],
                    rebuilt: list[ast.Call]) -> bool:
    """Whether every binding is read outside the rebuilt calls too: Go rejects a variable
    declared for a binding and never read."""
    in_calls = {id(_strip(a)) for call in rebuilt for a in call.args}
    read = {use.local for n in em.nodes.walk(body) if isinstance(n, ast.PathExpr) and
            id(n) not in in_calls and isinstance(use := em.br.paths.get(n), LocalRes)}
    return all(local in read for local in bound)
