"""Type checking of one function body.

`check_fn(env, fn, owner)` walks the body once, bidirectionally: every expression is checked
against the type its context expects (if any), inference variables stand for what is not
known yet, and `Unifier` solves them. Results (`BodyResults`) record the type of every
expression and what every name, method and field refers to; diagnostics use rustc's codes
and wording. The checker never raises on bad input: an ill-typed expression gets the `Error`
type, which unifies with everything, so one mistake gives one diagnostic.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field

from gust import diagnostics as d
from gust.sema import builtins, exhaustive, traits
from gust.sema import types as t
from gust.sema.format import FormatError, is_debug_spec, parse_format
from gust.sema.infer import Unifier
from gust.sema.items import FnSig, ItemEnv, TypeScope, fn_sig, lower_type
from gust.sema.names import similar_name
from gust.sema.results import (
    AssocFnRes,
    BodyResults,
    ConstRes,
    FieldRes,
    FnRes,
    FormatArg,
    FormatString,
    Local,
    LocalRes,
    MethodRes,
    Res,
    StructRes,
    VariantRes,
)
from gust.syntax import ast
from gust.text import Span

_ARITH = {"+": "add", "-": "subtract", "*": "multiply", "/": "divide", "%": "calculate the "
          "remainder of"}
_ARITH_PREP = {"+": "to", "-": "from", "*": "by", "/": "by", "%": "divided by"}
_BIT = {"&", "|", "^", "<<", ">>"}
_CMP = {"==", "!=", "<", ">", "<=", ">="}
_FORMAT_MACROS = {"println", "print", "eprintln", "eprint", "format", "panic", "unreachable",
                  "todo", "unimplemented"}
_PRELUDE_VARIANTS = {"Some": ("Option", "Some"), "None": ("Option", "None")}


@dataclass
class _Loop:
    label: str | None
    # The type `break value` must have, or None for `while`/`for` (only plain `break`).
    break_ty: t.Ty | None
    has_break: bool = False


@dataclass
class _Scope:
    names: dict[str, int] = field(default_factory=dict)


def check_fn(env: ItemEnv, fn: ast.FnDecl, owner: str | None = None) -> BodyResults:
    """Type-check `fn`'s body against the environment. `owner` is the impl's type name."""
    checker = _Checker(env, fn, owner)
    checker.run()
    return checker.results


class _Checker:
    def __init__(self, env: ItemEnv, fn: ast.FnDecl, owner: str | None) -> None:
        self.env = env
        self.fn = fn
        self.owner = owner
        self.results = BodyResults(fn, owner)
        self.u = Unifier()
        self.scopes: list[_Scope] = [_Scope()]
        self.loops: list[_Loop] = []
        self.ret_ty: t.Ty = t.UNIT
        generics = frozenset(p.name for p in fn.generics.params)
        self.self_ty: t.Ty | None = None
        if owner is not None:
            self.self_ty = t.PRIMITIVES.get(owner) or t.Adt(owner)
        self.type_scope = TypeScope(frozenset(env.type_names()), generics, self.self_ty,
                                    {**{n: len(s.generics) for n, s in env.structs.items()},
                                     **{n: len(e.generics) for n, e in env.enums.items()}})
        self.diags: list[d.Diagnostic] = self.results.diagnostics
        # Let-bound locals whose type must be known by the end of the body (E0282).
        self.needs_type: list[tuple[int, Span]] = []

    # ------------------------------------------------------------ entry

    def run(self) -> None:
        fn = self.fn
        sig = self._signature()
        if sig is None or fn.body is None:
            return
        self.ret_ty = sig.ret
        self.results.ret = sig.ret
        if fn.self_param is not None and self.self_ty is not None:
            self_ty: t.Ty = self.self_ty
            if fn.self_param.by_ref:
                self_ty = t.Ref(self_ty, fn.self_param.mutable)
            local = self.declare("self", self_ty, fn.self_param.mutable and
                                 not fn.self_param.by_ref, fn.self_param.span, "self")
            self.results.params.append(local)
        for param, ty in zip(fn.params, sig.params, strict=True):
            before = len(self.results.locals)
            self.check_pat(param.pat, ty, "param")
            self.results.params.extend(range(before, len(self.results.locals)))
        body_ty = self.check_block(fn.body, sig.ret)
        self.coerce(body_ty, sig.ret, self._tail_span(fn.body), fn.ret)
        self.finish()

    def _signature(self) -> FnSig | None:
        if self.owner is not None:
            sig = self.env.methods.get(self.owner, {}).get(self.fn.name)
        else:
            sig = self.env.fns.get(self.fn.name)
        if sig is not None and sig.decl is self.fn:
            return sig
        # A duplicate definition (already reported): check it against its own signature.
        return fn_sig(self.fn, self.owner, self.type_scope, [])

    def _tail_span(self, block: ast.Block) -> Span:
        if block.tail is not None:
            return block.tail.span
        return Span(block.span.end - 1, block.span.end)

    def finish(self) -> None:
        """Default literals, report unresolved types, and resolve every recorded type."""
        for local_id, span in self.needs_type:
            ty = self.u.default(self.results.locals[local_id].ty)
            if t.contains_infer(ty):
                shown = str(ty).replace("{integer}", "_")
                self.diags.append(d.error(
                    "E0282", "type annotations needed" + (f" for `{shown}`" if shown != "_"
                                                           else ""),
                    span, "", help=("consider giving this binding an explicit type",)))
        r = self.results
        r.locals = [Local(lc.id, lc.name, self._final(lc.ty), lc.mutable, lc.span, lc.kind,
                          lc.by_ref) for lc in r.locals]
        r.expr_types = {e: self._final(ty) for e, ty in r.expr_types.items()}
        r.pat_types = {p: self._final(ty) for p, ty in r.pat_types.items()}

    def _final(self, ty: t.Ty) -> t.Ty:
        ty = self.u.default(ty)
        return _erase_infer(ty)

    # ------------------------------------------------------------ scopes and locals

    @contextmanager
    def scope(self) -> Iterator[None]:
        self.scopes.append(_Scope())
        try:
            yield
        finally:
            self.scopes.pop()

    def declare(self, name: str, ty: t.Ty, mutable: bool, span: Span, kind: str,
                by_ref: bool = False) -> int:
        local_id = len(self.results.locals)
        self.results.locals.append(Local(local_id, name, ty, mutable, span, kind, by_ref))
        self.scopes[-1].names[name] = local_id
        return local_id

    def lookup_local(self, name: str) -> int | None:
        for scope in reversed(self.scopes):
            if name in scope.names:
                return scope.names[name]
        return None

    def visible_names(self) -> list[str]:
        names: set[str] = set()
        for scope in self.scopes:
            names.update(scope.names)
        return sorted(names | set(self.env.fns) | set(self.env.consts))

    # ------------------------------------------------------------ types

    def lower(self, ty: ast.TypeExpr) -> t.Ty:
        errors: list[d.Diagnostic] = []
        result = lower_type(ty, self.type_scope, errors)
        self.diags.extend(errors)
        return result

    def show(self, ty: t.Ty) -> str:
        return str(self.u.resolve(ty))

    def mismatch(self, expected: t.Ty, found: t.Ty, span: Span,
                 expected_span: Span | None = None, expected_why: str = "expected due to this",
                 help_: tuple[str, ...] = ()) -> None:
        exp = self.u.resolve(expected)
        fnd = self.u.resolve(found)
        if isinstance(exp, t.Error) or isinstance(fnd, t.Error):
            return
        labels = (d.Label(expected_span, expected_why),) if expected_span is not None else ()
        help_ = help_ or self._mismatch_help(exp, fnd)
        self.diags.append(d.error("E0308", "mismatched types", span,
                                  f"expected {_described(exp)}, found {_described(fnd)}",
                                  labels=labels, help=help_))

    def _mismatch_help(self, expected: t.Ty, found: t.Ty) -> tuple[str, ...]:
        if expected == t.STRING and found == t.STR_REF:
            return ("try using a conversion method: `.to_string()`",)
        if isinstance(expected, t.Ref) and self.u.unify(t.Ref(found, expected.mutable),
                                                        expected):
            kind = "&mut " if expected.mutable else "&"
            return (f"consider borrowing here: `{kind}`",)
        return ()

    def coerce(self, found: t.Ty, expected: t.Ty, span: Span,
               expected_node: ast.TypeExpr | None = None) -> bool:
        """Check that a value of type `found` can be used where `expected` is wanted:
        equal types, `!`, `&mut T` as `&T`, or a deref coercion (`&String` as `&str`)."""
        if self.coerces(found, expected):
            return True
        self.mismatch(expected, found, span, expected_node.span if expected_node else None)
        return False

    def coerces(self, found: t.Ty, expected: t.Ty) -> bool:
        f = self.u.shallow(found)
        e = self.u.shallow(expected)
        if isinstance(f, t.Never):
            return True
        if isinstance(f, t.Ref) and isinstance(e, t.Ref) and (f.mutable or not e.mutable):
            fi = self.u.shallow(f.inner)
            ei = self.u.shallow(e.inner)
            if isinstance(ei, t.Str) and fi == t.STRING:
                return True
            if isinstance(ei, t.Slice) and isinstance(fi, t.Adt) and fi.name == "Vec":
                return self.u.unify(ei.elem, fi.args[0])
            if isinstance(ei, t.Slice) and isinstance(fi, t.Array):
                return self.u.unify(ei.elem, fi.elem)
            if f.mutable != e.mutable and self.u.unify(fi, ei):
                return True
            if isinstance(fi, t.Ref) and not isinstance(ei, t.Ref | t.Infer):
                # Deref coercion through nested references: `&&str` as `&str`.
                return self.coerces(fi, e)
        return self.u.unify(f, e)

    def record(self, expr: ast.Expr, ty: t.Ty) -> t.Ty:
        self.results.expr_types[expr] = ty
        return ty

    # ------------------------------------------------------------ blocks and statements

    def check_block(self, block: ast.Block, expected: t.Ty | None) -> t.Ty:
        with self.scope():
            diverges = False
            for stmt in block.stmts:
                if self.check_stmt(stmt):
                    diverges = True
            if block.tail is not None:
                ty = self.check_expr(block.tail, expected)
                if diverges and not isinstance(self.u.shallow(ty), t.Never):
                    pass
            else:
                ty = t.NEVER if diverges else t.UNIT
        return self.record(block, ty)

    def check_stmt(self, stmt: ast.Stmt) -> bool:
        """Check a statement; True when it always diverges (`return`, `break`, `panic!`)."""
        match stmt:
            case ast.Let():
                return self.check_let(stmt)
            case ast.ExprStmt(expr=expr, has_semi=has_semi):
                expected: t.Ty | None = None if has_semi else t.UNIT
                ty = self.check_expr(expr, expected)
                resolved = self.u.shallow(ty)
                if not has_semi and not isinstance(resolved, t.Never | t.Error) \
                        and not self.u.unify(ty, t.UNIT):
                    self.mismatch(t.UNIT, ty, _tail_of(expr).span)
                return isinstance(resolved, t.Never)
            case ast.ItemStmt(item=item):
                self.diags.append(d.error(None, "items inside function bodies are not "
                                          "supported yet", item.span))
        return False

    def check_let(self, let: ast.Let) -> bool:
        declared = self.lower(let.ty) if let.ty is not None else None
        init_ty: t.Ty | None = None
        if let.init is not None:
            init_ty = self.check_expr(let.init, declared)
            if declared is not None:
                self.coerce(init_ty, declared, let.init.span, let.ty)
        ty = declared if declared is not None else (init_ty if init_ty is not None
                                                    else self.u.fresh())
        if isinstance(self.u.shallow(ty), t.Never):
            ty = self.u.fresh()
        before = len(self.results.locals)
        if let.else_block is not None:
            else_ty = self.check_block(let.else_block, None)
            if not isinstance(self.u.shallow(else_ty), t.Never | t.Error):
                self.diags.append(d.error("E0308", "`else` clause of `let...else` does not "
                                          "diverge", let.else_block.span))
        self.check_pat(let.pat, ty, "let")
        if declared is None:
            for local_id in range(before, len(self.results.locals)):
                self.needs_type.append((local_id, self.results.locals[local_id].span))
        return init_ty is not None and isinstance(self.u.shallow(init_ty), t.Never)

    # ------------------------------------------------------------ expressions

    def check_expr(self, expr: ast.Expr, expected: t.Ty | None = None) -> t.Ty:
        method = getattr(self, "_expr_" + type(expr).__name__)
        ty: t.Ty = method(expr, expected)
        return self.record(expr, ty)

    def check_expr_coerce(self, expr: ast.Expr, expected: t.Ty) -> t.Ty:
        ty = self.check_expr(expr, expected)
        self.coerce(ty, expected, expr.span)
        return ty

    def _expr_Literal(self, e: ast.Literal, expected: t.Ty | None) -> t.Ty:
        match e.kind:
            case "int":
                if e.suffix is not None:
                    return t.PRIMITIVES[e.suffix]
                exp = self.u.shallow(expected) if expected is not None else None
                if isinstance(exp, t.Int):
                    return exp
                if isinstance(exp, t.Float):
                    return self.u.fresh("int")  # a mismatch, reported by the caller
                return self.u.fresh("int")
            case "float":
                if e.suffix is not None:
                    return t.PRIMITIVES[e.suffix]
                exp = self.u.shallow(expected) if expected is not None else None
                return exp if isinstance(exp, t.Float) else self.u.fresh("float")
            case "str":
                return t.STR_REF
            case "char":
                return t.CHAR
            case "bool":
                return t.BOOL
            case "byte":
                return t.Int("u8")
        return t.Ref(t.Slice(t.Int("u8")), False)

    def _expr_Paren(self, e: ast.Paren, expected: t.Ty | None) -> t.Ty:
        return self.check_expr(e.inner, expected)

    def _expr_TupleExpr(self, e: ast.TupleExpr, expected: t.Ty | None) -> t.Ty:
        exp = self.u.shallow(expected) if expected is not None else None
        exp_elems = exp.elems if isinstance(exp, t.Tuple) and len(exp.elems) == len(e.elems) \
            else (None,) * len(e.elems)
        return t.Tuple(tuple(self.check_expr(x, ex) for x, ex in zip(e.elems, exp_elems,
                                                                      strict=True)))

    def _expr_ArrayExpr(self, e: ast.ArrayExpr, expected: t.Ty | None) -> t.Ty:
        exp = self.u.shallow(expected) if expected is not None else None
        elem: t.Ty = exp.elem if isinstance(exp, t.Array) else self.u.fresh()
        for x in e.elems:
            self.check_expr_coerce(x, elem)
        return t.Array(elem, len(e.elems))

    def _expr_ArrayRepeat(self, e: ast.ArrayRepeat, expected: t.Ty | None) -> t.Ty:
        exp = self.u.shallow(expected) if expected is not None else None
        elem = self.check_expr(e.value, exp.elem if isinstance(exp, t.Array) else None)
        self.check_expr_coerce(e.count, t.USIZE)
        n = e.count.value if isinstance(e.count, ast.Literal) else 0
        return t.Array(elem, n if isinstance(n, int) else 0)

    # ---------------------------------------------------------------- paths

    def _expr_PathExpr(self, e: ast.PathExpr, expected: t.Ty | None) -> t.Ty:
        res, ty = self.resolve_value_path(e.path, expected)
        if res is not None:
            self.results.paths[e] = res
        return ty

    def resolve_value_path(self, path: ast.Path, expected: t.Ty | None
                           ) -> tuple[Res | None, t.Ty]:
        names = path.names
        if len(names) == 1:
            return self._resolve_single(path)
        if len(names) == 2:
            return self._resolve_assoc(path, expected)
        if names[0] in ("std", "core") and len(names) > 2:
            # `std::process::exit` and friends are not supported yet.
            pass
        self.diags.append(d.error("E0433", f"failed to resolve: use of undeclared crate or "
                                  f"module `{names[0]}`", path.segments[0].span,
                                  f"use of undeclared crate or module `{names[0]}`"))
        return None, t.ERROR

    def _resolve_single(self, path: ast.Path) -> tuple[Res | None, t.Ty]:
        seg = path.segments[0]
        name = seg.name
        local = self.lookup_local(name)
        if local is not None:
            return LocalRes(local), self.results.locals[local].ty
        if name in self.env.fns:
            sig = self.env.fns[name]
            return FnRes(name), t.FnPtr(sig.params, sig.ret)
        if name in self.env.consts:
            return ConstRes(name), self.env.consts[name].ty
        if name in self.env.structs:
            info = self.env.structs[name]
            if info.kind == "unit":
                return StructRes(name), t.Adt(name)
            if info.kind == "tuple":
                return StructRes(name), t.FnPtr(tuple(f.ty for f in info.fields), t.Adt(name))
        if name in _PRELUDE_VARIANTS:
            enum, variant = _PRELUDE_VARIANTS[name]
            if variant == "None":
                return VariantRes(enum, variant), t.Adt("Option", (self.u.fresh(),))
            inner = self.u.fresh()
            return VariantRes(enum, variant), t.FnPtr((inner,), t.Adt("Option", (inner,)))
        if name == "self":
            self.diags.append(d.error("E0424", "expected value, found module `self`", seg.span,
                                      "`self` value is a keyword only available in methods "
                                      "with a `self` parameter"))
            return None, t.ERROR
        suggestion = similar_name(name, self.visible_names())
        help_ = (f"a local variable with a similar name exists: `{suggestion}`",) \
            if suggestion else ()
        self.diags.append(d.error("E0425", f"cannot find value `{name}` in this scope",
                                  seg.span, "not found in this scope", help=help_))
        return None, t.ERROR

    def _resolve_assoc(self, path: ast.Path, expected: t.Ty | None) -> tuple[Res | None, t.Ty]:
        type_seg, item_seg = path.segments
        type_name = type_seg.name
        if type_name == "Self" and self.owner is not None:
            type_name = self.owner
        item = item_seg.name
        if type_name in self.env.enums:
            info = self.env.enums[type_name]
            variant = info.variant(item)
            if variant is None:
                self.diags.append(self._no_variant(type_name, item, item_seg.span,
                                                   [v.name for v in info.variants]))
                return None, t.ERROR
            enum_ty = t.Adt(type_name)
            if variant.kind == "tuple":
                return VariantRes(type_name, item), t.FnPtr(tuple(f.ty for f in variant.fields),
                                                            enum_ty)
            if variant.kind == "named":
                self.diags.append(d.error("E0533", f"expected value, found struct variant "
                                          f"`{type_name}::{item}`", path.span,
                                          "not a value"))
                return None, t.ERROR
            return VariantRes(type_name, item), enum_ty
        if type_name in self.env.structs:
            sig = self.env.methods.get(type_name, {}).get(item)
            if sig is None:
                self.diags.append(self._no_assoc(type_name, "struct", item, item_seg.span))
                return None, t.ERROR
            params = sig.params
            if sig.self_kind is not None:
                self_ty: t.Ty = t.Adt(type_name)
                if sig.self_kind != "value":
                    self_ty = t.Ref(self_ty, sig.self_kind == "ref_mut")
                params = (self_ty, *params)
            return AssocFnRes(type_name, item, False), t.FnPtr(params, sig.ret)
        if type_name in builtins.BUILTIN_TYPES or type_name in ("str",):
            owner = "str" if type_name == "str" else type_name
            receiver = self._fresh_instance(owner, type_seg)
            m = builtins.lookup(owner, item, receiver) if owner in (
                "Vec", "String", "str", "Option") else None
            if m is None or m.self_kind != "static":
                kind = "struct" if owner in ("Vec", "String") else "enum"
                if owner == "Option" and item in ("Some", "None"):
                    return self._resolve_single(ast.Path((item_seg,), item_seg.span))
                self.diags.append(self._no_assoc(type_name, kind, item, item_seg.span))
                return None, t.ERROR
            return AssocFnRes(owner, item, True), t.FnPtr(m.params, m.ret)
        if type_name in t.PRIMITIVES:
            self.diags.append(d.error("E0599", f"no function or associated item named "
                                      f"`{item}` found for type `{type_name}` in the current "
                                      "scope", item_seg.span))
            return None, t.ERROR
        suggestion = similar_name(type_name, list(self.env.type_names()))
        help_ = (f"a type with a similar name exists: `{suggestion}`",) if suggestion else ()
        self.diags.append(d.error("E0433", f"failed to resolve: use of undeclared type "
                                  f"`{type_name}`", type_seg.span,
                                  f"use of undeclared type `{type_name}`", help=help_))
        return None, t.ERROR

    def _fresh_instance(self, owner: str, seg: ast.PathSegment) -> t.Ty:
        params = builtins.params_of(owner)
        if seg.generics and len(seg.generics) == len(params):
            return t.Adt(owner, tuple(self.lower(g) for g in seg.generics))
        if owner == "str":
            return t.STR
        return t.Adt(owner, tuple(self.u.fresh() for _ in params))

    def _no_variant(self, enum: str, name: str, span: Span, names: list[str]) -> d.Diagnostic:
        suggestion = similar_name(name, names)
        help_ = (f"there is a variant with a similar name: `{suggestion}`",) \
            if suggestion else ()
        return d.error("E0599", f"no variant or associated item named `{name}` found for enum "
                       f"`{enum}` in the current scope", span,
                       f"variant or associated item not found in `{enum}`", help=help_)

    def _no_assoc(self, type_name: str, kind: str, name: str, span: Span) -> d.Diagnostic:
        names = list(self.env.methods.get(type_name, {}))
        if type_name in ("Vec", "String", "str"):
            names += builtins.method_names(type_name)
        suggestion = similar_name(name, names)
        help_ = (f"there is an associated function with a similar name: `{suggestion}`",) \
            if suggestion else ()
        return d.error("E0599", f"no function or associated item named `{name}` found for "
                       f"{kind} `{type_name}` in the current scope", span,
                       f"function or associated item not found in `{type_name}`", help=help_)

    # ---------------------------------------------------------------- calls

    def _expr_Call(self, e: ast.Call, expected: t.Ty | None) -> t.Ty:
        callee_ty = self.u.shallow(self.check_expr(e.callee, None))
        if isinstance(callee_ty, t.Error):
            for a in e.args:
                self.check_expr(a, None)
            return t.ERROR
        if not isinstance(callee_ty, t.FnPtr):
            self.diags.append(d.error("E0618", f"expected function, found `{self.show(callee_ty)}`",
                                      e.callee.span, "call expression requires function"))
            for a in e.args:
                self.check_expr(a, None)
            return t.ERROR
        what = "function"
        res = self.results.paths.get(e.callee) if isinstance(e.callee, ast.PathExpr) else None
        if isinstance(res, VariantRes):
            what = "enum variant"
        elif isinstance(res, StructRes):
            what = "struct"
        if isinstance(res, FnRes) and self.env.fns[res.name].unknown_params:
            for a in e.args:
                self.check_expr(a, None)
            return callee_ty.ret
        if expected is not None and t.contains_infer(callee_ty.ret):
            # Let the expected result guide inference of generic constructors (`Vec::new()`).
            self.u.unify(callee_ty.ret, expected)
        self.check_args(e.args, callee_ty.params, e, what, e.callee.span)
        return callee_ty.ret

    def check_args(self, args: Sequence[ast.Expr], params: Sequence[t.Ty], call: ast.Expr,
                   what: str, callee_span: Span) -> None:
        if len(args) != len(params):
            self.diags.append(self._arg_count_error(args, params, call, what, callee_span))
        for i, arg in enumerate(args):
            if i < len(params):
                ty = self.check_expr(arg, params[i])
                self.coerce(ty, params[i], arg.span)
            else:
                self.check_expr(arg, None)

    def _arg_count_error(self, args: Sequence[ast.Expr], params: Sequence[t.Ty],
                         call: ast.Expr, what: str, callee_span: Span) -> d.Diagnostic:
        n, m = len(params), len(args)
        code = "E0061"

        def noun(k: int) -> str:
            return _plural(k, "argument")

        verb = "was" if m == 1 else "were"
        if m < n:
            missing = ", ".join(f"`{self.show(p)}`" for p in params[m:])
            label = f"argument{'s' if n - m > 1 else ''} {missing} " \
                f"{'is' if n - m == 1 else 'are'} missing" if n - m <= 3 else ""
            label = f"an argument of type {missing} is missing" if n - m == 1 else label
        else:
            label = f"unexpected argument{'s' if m - n > 1 else ''}"
        kind = "this method" if what == "method" else f"this {what}"
        return d.error(code, f"{kind} takes {noun(n)} but {noun(m)} {verb} supplied",
                       callee_span, label or None)

    def _expr_MethodCall(self, e: ast.MethodCall, expected: t.Ty | None) -> t.Ty:
        recv_ty = self.check_expr(e.receiver, None)
        found = self.lookup_method(recv_ty, e.name)
        if found is None:
            for a in e.args:
                self.check_expr(a, None)
            if not _has_error(self.u.resolve(recv_ty)):
                self.diags.append(self._no_method(recv_ty, e))
            return t.ERROR
        res, params, ret = found
        self.results.methods[e] = res
        if expected is not None and t.contains_infer(self.u.resolve(ret)):
            self.u.unify(ret, expected)
        self.check_args(e.args, params, e, "method", e.name_span)
        self._check_method_requirements(e, res, recv_ty)
        return ret

    def _check_method_requirements(self, e: ast.MethodCall, res: MethodRes,
                                   recv_ty: t.Ty) -> None:
        if e.name == "sum" or e.name == "count":
            return

    def lookup_method(self, recv_ty: t.Ty, name: str
                      ) -> tuple[MethodRes, tuple[t.Ty, ...], t.Ty] | None:
        """Find `name` on the receiver type, auto-dereferencing through references and from
        `String` to `str`, as rustc's method probe does."""
        ty = self.u.shallow(recv_ty)
        derefs = 0
        for _ in range(8):
            found = self._method_on(ty, name, derefs)
            if found is not None:
                return found
            if isinstance(ty, t.Ref):
                ty = self.u.shallow(ty.inner)
                derefs += 1
            elif isinstance(ty, t.Adt) and ty.name == "String":
                ty = t.STR
                derefs += 1
            elif isinstance(ty, t.Adt) and ty.name == "Box" and ty.args:
                ty = self.u.shallow(ty.args[0])
                derefs += 1
            else:
                return None
        return None

    def _method_on(self, ty: t.Ty, name: str, derefs: int
                   ) -> tuple[MethodRes, tuple[t.Ty, ...], t.Ty] | None:
        if isinstance(ty, t.Adt) and ty.name in self.env.methods:
            sig = self.env.methods[ty.name].get(name)
            if sig is not None and sig.self_kind is not None:
                autoref = {"ref": "&", "ref_mut": "&mut", "value": ""}[sig.self_kind]
                return (MethodRes(ty.name, name, False, sig.self_kind, autoref, derefs),
                        sig.params, sig.ret)
        owner = builtins.method_owner(ty)
        if owner is not None:
            m = builtins.lookup(owner, name, ty)
            if m is not None and m.self_kind != "static":
                if name == "clone" and isinstance(ty, t.Adt) and ty.name == "Vec" and \
                        not traits.is_clone(self.u.resolve(ty), self.env):
                    return None
                autoref = {"ref": "&", "ref_mut": "&mut", "value": ""}[m.self_kind]
                return (MethodRes(owner, name, True, m.self_kind, autoref, derefs), m.params,
                        m.ret)
        if isinstance(ty, t.Adt | t.Tuple | t.Int | t.Float | t.Bool | t.Char) or (
                isinstance(ty, t.Infer) and ty.kind != "any"):
            resolved = self.u.resolve(ty)
            owner_name = ty.name if isinstance(ty, t.Adt) else str(resolved)
            if name == "clone" and traits.is_clone(resolved, self.env):
                return MethodRes(owner_name, "clone", True, "ref", "&", derefs), (), resolved
            if name == "to_string" and traits.is_display(resolved, self.env):
                return (MethodRes(owner_name, "to_string", True, "ref", "&", derefs), (),
                        t.STRING)
        if isinstance(ty, t.Adt) and ty.name in ("Iter", "Range", "RangeInclusive") and \
                name in ("sum", "product", "max", "min", "collect"):
            item = self.u.shallow(ty.args[0])
            if isinstance(item, t.Ref):
                item = self.u.shallow(item.inner)
            if name in ("sum", "product"):
                ret: t.Ty = item
            elif name == "collect":
                ret = t.vec_of(ty.args[0])
            else:
                ret = t.Adt("Option", (ty.args[0],))
            return MethodRes(ty.name, name, True, "value", "", derefs), (), ret
        if isinstance(ty, t.Adt) and ty.name in ("Range", "RangeInclusive"):
            m = builtins.lookup("Iter", name, t.Adt("Iter", ty.args))
            if m is not None:
                return MethodRes("Iter", name, True, m.self_kind,
                                 {"ref": "&", "ref_mut": "&mut", "value": ""}[m.self_kind],
                                 derefs), m.params, m.ret
        return None

    def _no_method(self, recv_ty: t.Ty, e: ast.MethodCall) -> d.Diagnostic:
        ty = self.u.resolve(recv_ty)
        base = ty
        while isinstance(base, t.Ref):
            base = base.inner
        kind = _kind_of(base, self.env)
        candidates: list[str] = []
        if isinstance(base, t.Adt):
            candidates += list(self.env.methods.get(base.name, {}))
        owner = builtins.method_owner(base)
        if owner is not None:
            candidates += builtins.method_names(owner)
        if isinstance(base, t.Adt) and base.name == "String":
            candidates += builtins.method_names("str")
        suggestion = similar_name(e.name, candidates)
        help_ = (f"there is a method `{suggestion}` with a similar name",) if suggestion else ()
        notes: tuple[str, ...] = ()
        if e.name == "clone" and isinstance(base, t.Adt) and base.name in self.env.structs:
            help_ = ("consider annotating the type with `#[derive(Clone)]`",)
        shown = str(ty)
        return d.error("E0599", f"no method named `{e.name}` found for {kind} `{shown}` in the "
                       "current scope", e.name_span, f"method not found in `{shown}`",
                       help=help_, notes=notes)

    # ---------------------------------------------------------------- fields and indexing

    def _expr_Field(self, e: ast.Field, expected: t.Ty | None) -> t.Ty:
        base_ty = self.check_expr(e.base, None)
        ty, derefs = self._autoderef(base_ty)
        if isinstance(ty, t.Error):
            return t.ERROR
        if isinstance(ty, t.Adt) and ty.name in self.env.structs:
            info = self.env.structs[ty.name]
            index = info.field_index(e.name)
            if index is not None:
                self.results.fields[e] = FieldRes(ty.name, index, derefs)
                subst = dict(zip(info.generics, ty.args, strict=False))
                return t.substitute(info.fields[index].ty, subst)
            names = [f.name for f in info.fields if f.name is not None]
            if any(n == e.name for n in self.env.methods.get(ty.name, {})):
                self.diags.append(d.error("E0615", f"attempted to take value of method "
                                          f"`{e.name}` on type `{ty}`", e.name_span,
                                          "method, not a field",
                                          help=("use parentheses to call the method: `()`",)))
                return t.ERROR
            suggestion = similar_name(e.name, names)
            help_ = (f"a field with a similar name exists: `{suggestion}`",) if suggestion \
                else ((f"available fields are: {', '.join(f'`{n}`' for n in names)}",)
                      if names else ())
            self.diags.append(d.error("E0609", f"no field `{e.name}` on type `{self.show(base_ty)}`",
                                      e.name_span, "unknown field", help=help_))
            return t.ERROR
        if isinstance(ty, t.Int | t.Float | t.Bool | t.Char) or (
                isinstance(ty, t.Infer) and ty.kind != "any"):
            self.diags.append(d.error("E0610", f"`{self.show(ty)}` is a primitive type and "
                                      "therefore doesn't have fields", e.name_span))
            return t.ERROR
        self.diags.append(d.error("E0609", f"no field `{e.name}` on type `{self.show(base_ty)}`",
                                  e.name_span, "unknown field"))
        return t.ERROR

    def _expr_TupleField(self, e: ast.TupleField, expected: t.Ty | None) -> t.Ty:
        base_ty = self.check_expr(e.base, None)
        ty, derefs = self._autoderef(base_ty)
        if isinstance(ty, t.Error):
            return t.ERROR
        if isinstance(ty, t.Tuple) and e.index < len(ty.elems):
            self.results.fields[e] = FieldRes("", e.index, derefs)
            return ty.elems[e.index]
        if isinstance(ty, t.Adt) and ty.name in self.env.structs:
            info = self.env.structs[ty.name]
            if info.kind == "tuple" and e.index < len(info.fields):
                self.results.fields[e] = FieldRes(ty.name, e.index, derefs)
                return t.substitute(info.fields[e.index].ty,
                                    dict(zip(info.generics, ty.args, strict=False)))
        self.diags.append(d.error("E0609", f"no field `{e.index}` on type `{self.show(base_ty)}`",
                                  e.index_span, "unknown field"))
        return t.ERROR

    def _autoderef(self, ty: t.Ty) -> tuple[t.Ty, int]:
        ty = self.u.shallow(ty)
        derefs = 0
        while isinstance(ty, t.Ref) or (isinstance(ty, t.Adt) and ty.name == "Box" and ty.args):
            ty = self.u.shallow(ty.inner if isinstance(ty, t.Ref) else ty.args[0])
            derefs += 1
        return ty, derefs

    def _expr_Index(self, e: ast.Index, expected: t.Ty | None) -> t.Ty:
        base_ty = self.check_expr(e.base, None)
        ty, _ = self._autoderef(base_ty)
        index_ty = self.check_expr(e.index, t.USIZE)
        elem: t.Ty | None = None
        if isinstance(ty, t.Adt) and ty.name == "Vec":
            elem = ty.args[0]
        elif isinstance(ty, t.Array | t.Slice):
            elem = ty.elem
        elif isinstance(ty, t.Error):
            return t.ERROR
        if elem is None:
            self.diags.append(d.error("E0608", f"cannot index into a value of type "
                                      f"`{self.show(base_ty)}`", e.span))
            return t.ERROR
        idx = self.u.shallow(index_ty)
        if isinstance(idx, t.Adt) and idx.name in ("Range", "RangeInclusive"):
            if not self.u.unify(idx.args[0], t.USIZE):
                self._index_error(ty, index_ty, e.index.span)
            return t.Slice(elem)
        if not self.u.unify(index_ty, t.USIZE):
            self._index_error(ty, index_ty, e.index.span)
        return elem

    def _index_error(self, base: t.Ty, index: t.Ty, span: Span) -> None:
        shown = self.show(base)
        if isinstance(base, t.Adt) and base.name == "Vec":
            shown = f"[{self.show(base.args[0])}]"
        self.diags.append(d.error("E0277", f"the type `{shown}` cannot be indexed by "
                                  f"`{self.show(index)}`", span,
                                  "slice indices are of type `usize` or ranges of `usize`"))

    # ---------------------------------------------------------------- operators

    def _expr_Unary(self, e: ast.Unary, expected: t.Ty | None) -> t.Ty:
        if e.op == "*":
            ty = self.u.shallow(self.check_expr(e.operand, None))
            if isinstance(ty, t.Ref):
                return ty.inner
            if isinstance(ty, t.Adt) and ty.name == "Box" and ty.args:
                return ty.args[0]
            if isinstance(ty, t.Error):
                return t.ERROR
            self.diags.append(d.error("E0614", f"type `{self.show(ty)}` cannot be dereferenced",
                                      e.span))
            return t.ERROR
        ty = self.check_expr(e.operand, expected)
        base = self.u.shallow(ty)
        if isinstance(base, t.Ref) and isinstance(self.u.shallow(base.inner), t.Int | t.Float
                                                  | t.Bool):
            base = self.u.shallow(base.inner)
        if e.op == "-":
            if isinstance(base, t.Float) or (isinstance(base, t.Int) and base.signed) or (
                    isinstance(base, t.Infer) and base.kind in ("int", "float")):
                return base
        elif e.op == "!" and (isinstance(base, t.Bool | t.Int) or (
                isinstance(base, t.Infer) and base.kind == "int")):
            return base
        if isinstance(base, t.Error):
            return t.ERROR
        self.diags.append(d.error("E0600", f"cannot apply unary operator `{e.op}` to type "
                                  f"`{self.show(ty)}`", e.span,
                                  f"cannot apply unary operator `{e.op}`"))
        return t.ERROR

    def _expr_Borrow(self, e: ast.Borrow, expected: t.Ty | None) -> t.Ty:
        exp = self.u.shallow(expected) if expected is not None else None
        inner_expected = exp.inner if isinstance(exp, t.Ref) else None
        if isinstance(inner_expected, t.Str | t.Slice):
            inner_expected = None
        inner = self.check_expr(e.operand, inner_expected)
        return t.Ref(inner, e.mutable)

    def _expr_Binary(self, e: ast.Binary, expected: t.Ty | None) -> t.Ty:
        op = e.op
        if op in ("&&", "||"):
            self.check_expr_coerce(e.lhs, t.BOOL)
            self.check_expr_coerce(e.rhs, t.BOOL)
            return t.BOOL
        lhs = self.check_expr(e.lhs, expected if op not in _CMP else None)
        lhs_r = self.u.shallow(lhs)
        if op in _CMP:
            rhs = self.check_expr(e.rhs, lhs_r if not isinstance(lhs_r, t.Infer) else None)
            return self._comparison(e, lhs, rhs)
        rhs_expected = lhs_r if isinstance(lhs_r, t.Int | t.Float) else None
        if op in ("<<", ">>"):
            rhs_expected = None
        rhs = self.check_expr(e.rhs, rhs_expected)
        return self._arithmetic(e, lhs, rhs)

    def _deref_copy(self, ty: t.Ty) -> t.Ty:
        """`&i32 + i32` works in Rust (`Add` is implemented for references to numbers)."""
        ty = self.u.shallow(ty)
        if isinstance(ty, t.Ref):
            inner = self.u.shallow(ty.inner)
            if isinstance(inner, t.Int | t.Float | t.Bool | t.Error) or (
                    isinstance(inner, t.Infer) and inner.kind != "any"):
                return inner
        return ty

    def _arithmetic(self, e: ast.Binary, lhs: t.Ty, rhs: t.Ty) -> t.Ty:
        op = e.op
        a = self._deref_copy(lhs)
        b = self._deref_copy(rhs)
        if isinstance(a, t.Error) or isinstance(b, t.Error):
            return t.ERROR
        if op == "+" and isinstance(a, t.Adt) and a.name == "String":
            if self.coerces(rhs, t.STR_REF):
                return t.STRING
            self.mismatch(t.STR_REF, rhs, e.rhs.span,
                          help_=("consider borrowing here: `&`",) if self.u.resolve(rhs) ==
                          t.STRING else ())
            return t.STRING
        numeric_ok = t.is_numeric(a) and (op not in _BIT or t.is_integral(a))
        if op in ("&", "|", "^") and isinstance(a, t.Bool):
            numeric_ok = True
        if not numeric_ok:
            shown = self.show(lhs)
            labels = (d.Label(e.lhs.span, shown), d.Label(e.rhs.span, self.show(rhs)))
            notes: tuple[str, ...] = ()
            base = a
            if isinstance(base, t.Adt) and base.name in self.env.structs | self.env.enums:
                notes = (f"an implementation of `std::ops::{_op_trait(op)}` might be missing "
                         f"for `{base}`",)
            self.diags.append(d.error("E0369", f"binary operation `{op}` cannot be applied to "
                                      f"type `{shown}`", e.op_span, None, labels=labels,
                                      notes=notes))
            return t.ERROR
        if op in ("<<", ">>"):
            if not t.is_integral(b):
                self.mismatch(a, rhs, e.rhs.span)
            return a
        if self.u.unify(a, b):
            return a
        self.mismatch(a, b, e.rhs.span)
        verb = _ARITH.get(op, "apply")
        prep = _ARITH_PREP.get(op, "to")
        message = (f"cannot {verb} `{self.show(b)}` {prep} `{self.show(a)}`" if op == "+"
                   else f"cannot {verb} `{self.show(a)}` {prep} `{self.show(b)}`")
        if op in _ARITH:
            self.diags.append(d.error("E0277", message, e.op_span,
                                      f"no implementation for `{self.show(a)} {op} "
                                      f"{self.show(b)}`"))
        return a

    def _comparison(self, e: ast.Binary, lhs: t.Ty, rhs: t.Ty) -> t.Ty:
        a = self.u.shallow(lhs)
        b = self.u.shallow(rhs)
        if isinstance(a, t.Error) or isinstance(b, t.Error):
            return t.BOOL
        if not self.u.unify(a, b):
            # `String == &str` and `&str == String` are implemented in std.
            pair = {str(self.u.resolve(a)), str(self.u.resolve(b))}
            if pair in ({"String", "&str"}, {"&String", "&str"}):
                return t.BOOL
            self.mismatch(a, b, e.rhs.span)
            return t.BOOL
        resolved = self.u.resolve(a)
        ok = traits.is_partial_eq(resolved, self.env) if e.op in ("==", "!=") else \
            traits.is_partial_ord(resolved, self.env)
        if not ok:
            notes: tuple[str, ...] = ()
            base = resolved.inner if isinstance(resolved, t.Ref) else resolved
            if isinstance(base, t.Adt) and base.name in self.env.structs | self.env.enums:
                trait = "PartialEq" if e.op in ("==", "!=") else "PartialOrd"
                notes = (f"an implementation of `{trait}` might be missing for `{base}`",)
            self.diags.append(d.error("E0369", f"binary operation `{e.op}` cannot be applied "
                                      f"to type `{resolved}`", e.op_span, None,
                                      labels=(d.Label(e.lhs.span, str(resolved)),
                                              d.Label(e.rhs.span, str(resolved))),
                                      notes=notes))
        return t.BOOL

    def _expr_Cast(self, e: ast.Cast, expected: t.Ty | None) -> t.Ty:
        target = self.lower(e.ty)
        source = self.u.shallow(self.check_expr(e.expr, None))
        if isinstance(source, t.Infer) and source.kind == "int" and isinstance(target, t.Int):
            self.u.unify(source, target)
            return target
        ok = (t.is_numeric(source) and (isinstance(target, t.Int | t.Float))) or \
            (isinstance(source, t.Bool | t.Char) and isinstance(target, t.Int)) or \
            (source == t.Int("u8") and isinstance(target, t.Char)) or \
            isinstance(source, t.Error) or isinstance(target, t.Error) or source == target
        if not ok:
            inner = self.u.shallow(source.inner) if isinstance(source, t.Ref) else None
            primitive = isinstance(source, t.Int | t.Float | t.Bool | t.Char) or (
                inner is not None and (isinstance(inner, t.Int | t.Float | t.Bool | t.Char)
                                       or t.is_numeric(inner)))
            code = "E0605" if not primitive else \
                "E0604" if isinstance(target, t.Char) else "E0606"
            self.diags.append(d.error(code, f"non-primitive cast: `{self.show(source)}` as "
                                      f"`{target}`" if code == "E0605" else
                                      f"casting `{self.show(source)}` as `{target}` is invalid",
                                      e.span, "an `as` expression can only be used to convert "
                                      "between primitive types or to coerce to a specific trait "
                                      "object" if code == "E0605" else None))
        return target

    def _expr_Assign(self, e: ast.Assign, expected: t.Ty | None) -> t.Ty:
        if isinstance(e.target, ast.Underscore):
            self.check_expr(e.value, None)  # `_ = value`: evaluated, then dropped
            return t.UNIT
        if not _is_place(e.target):
            self.check_expr(e.target, None)
            self.check_expr(e.value, None)
            self.diags.append(d.error("E0070", "invalid left-hand side of assignment",
                                      e.span, None, labels=(d.Label(e.target.span,
                                                                    "cannot assign to this "
                                                                    "expression"),)))
            return t.UNIT
        target = self.check_expr(e.target, None)
        value = self.check_expr(e.value, target)
        self.coerce(value, target, e.value.span)
        return t.UNIT

    def _expr_CompoundAssign(self, e: ast.CompoundAssign, expected: t.Ty | None) -> t.Ty:
        target = self.check_expr(e.target, None)
        target_r = self.u.shallow(target)
        if not _is_place(e.target):
            self.diags.append(d.error("E0067", "invalid left-hand side of assignment",
                                      e.span, None, labels=(d.Label(e.target.span,
                                                                    "cannot assign to this "
                                                                    "expression"),)))
        if isinstance(target_r, t.Adt) and target_r.name == "String" and e.op == "+":
            value = self.check_expr(e.value, t.STR_REF)
            self.coerce(value, t.STR_REF, e.value.span)
            return t.UNIT
        value = self.check_expr(e.value, target_r if isinstance(target_r, t.Int | t.Float)
                                else None)
        a = target_r
        b = self._deref_copy(value)
        if isinstance(a, t.Error) or isinstance(b, t.Error):
            return t.UNIT
        if not t.is_numeric(a) or (e.op in _BIT and not t.is_integral(a) and
                                   not isinstance(a, t.Bool)):
            self.diags.append(d.error("E0368", f"binary assignment operation `{e.op}=` cannot "
                                      f"be applied to type `{self.show(a)}`", e.target.span,
                                      f"cannot use `{e.op}=` on type `{self.show(a)}`"))
            return t.UNIT
        if e.op not in ("<<", ">>") and not self.u.unify(a, b):
            self.mismatch(a, b, e.value.span)
            self.diags.append(d.error("E0277", f"cannot {_ARITH.get(e.op, 'apply')}-assign "
                                      f"`{self.show(b)}` {_ARITH_PREP.get(e.op, 'to')} "
                                      f"`{self.show(a)}`", e.span))
        return t.UNIT

    def _expr_Range(self, e: ast.Range, expected: t.Ty | None) -> t.Ty:
        elem: t.Ty = self.u.fresh()
        if e.lo is not None:
            lo = self.check_expr(e.lo, None)
            self.u.unify(elem, lo)
        if e.hi is not None:
            hi = self.check_expr(e.hi, self.u.shallow(elem) if e.lo is not None else None)
            if not self.u.unify(elem, hi):
                self.mismatch(elem, hi, e.hi.span)
        return t.Adt("RangeInclusive" if e.inclusive else "Range", (elem,))

    # ---------------------------------------------------------------- control flow

    def _expr_Block(self, e: ast.Block, expected: t.Ty | None) -> t.Ty:
        return self.check_block(e, expected)

    def check_cond(self, cond: ast.Expr | ast.LetCond) -> None:
        """Check an `if`/`while` condition; for `let` conditions, bindings go into the
        current scope (the caller opens one around the body)."""
        if isinstance(cond, ast.LetCond):
            ty = self.check_expr(cond.expr, None)
            self.check_pat(cond.pat, ty, "match")
        else:
            self.check_expr_coerce(cond, t.BOOL)

    def _expr_If(self, e: ast.If, expected: t.Ty | None) -> t.Ty:
        with self.scope():
            self.check_cond(e.cond)
            then_ty = self.check_block(e.then, expected if e.else_ is not None else t.UNIT)
        if e.else_ is None:
            then_r = self.u.shallow(then_ty)
            if not isinstance(then_r, t.Never | t.Error) and not self.u.unify(then_ty, t.UNIT):
                self.diags.append(d.error("E0317", "`if` may be missing an `else` clause",
                                          e.span, f"expected `{self.show(then_ty)}`, found `()`",
                                          notes=("`if` expressions without `else` evaluate to "
                                                 "`()`",),
                                          help=("consider adding an `else` block that "
                                                "evaluates to the expected type",)))
                return t.ERROR
            return t.UNIT
        else_ty = self.check_expr(e.else_, expected if expected is not None else
                                  (then_ty if not isinstance(self.u.shallow(then_ty), t.Never)
                                   else None))
        return self.join(then_ty, else_ty, e.else_, "`if` and `else` have incompatible types",
                         _tail_of(e.then).span)

    def join(self, first: t.Ty, second: t.Ty, second_expr: ast.Expr, message: str,
             first_span: Span) -> t.Ty:
        """The type of two branches: equal types, or the other one when one diverges."""
        a = self.u.shallow(first)
        b = self.u.shallow(second)
        if isinstance(a, t.Never):
            return b
        if isinstance(b, t.Never):
            return a
        if self.coerces(b, a):
            return a
        if self.coerces(a, b):
            return b
        exp = self.u.resolve(a)
        fnd = self.u.resolve(b)
        if not isinstance(exp, t.Error) and not isinstance(fnd, t.Error):
            self.diags.append(d.error("E0308", message, _tail_of(second_expr).span,
                                      f"expected `{exp}`, found `{fnd}`",
                                      labels=(d.Label(first_span, "expected because of this"),)))
        return t.ERROR

    def _expr_Match(self, e: ast.Match, expected: t.Ty | None) -> t.Ty:
        scrutinee = self.check_expr(e.scrutinee, None)
        result: t.Ty | None = None
        first_span: Span | None = None
        for arm in e.arms:
            with self.scope():
                self.check_pat(arm.pat, scrutinee, "match")
                if arm.guard is not None:
                    self.check_expr_coerce(arm.guard, t.BOOL)
                arm_ty = self.check_expr(arm.body, expected if expected is not None else (
                    result if result is not None and not isinstance(
                        self.u.shallow(result), t.Never) else None))
            if result is None or isinstance(self.u.shallow(result), t.Never):
                if result is None or not isinstance(self.u.shallow(arm_ty), t.Never):
                    first_span = _tail_of(arm.body).span
                result = arm_ty if result is None or not isinstance(
                    self.u.shallow(arm_ty), t.Never) else result
            else:
                result = self.join(result, arm_ty, arm.body,
                                   "`match` arms have incompatible types",
                                   first_span or arm.body.span)
        self.check_exhaustive(e, scrutinee)
        return result if result is not None else t.NEVER

    def check_exhaustive(self, e: ast.Match, scrutinee: t.Ty) -> None:
        space = exhaustive.Space(self.env, self.u.resolve)
        rows: list[exhaustive.Row] = []
        for arm in e.arms:
            row_alts = self.deconstruct(arm.pat, scrutinee)
            if arm.guard is None:
                for alt in row_alts:
                    if not exhaustive.useful(space, rows, (alt,), [scrutinee]):
                        self.diags.append(d.warning(None, "unreachable pattern", arm.pat.span,
                                                    "no value can reach this"))
                        break
                rows.extend((alt,) for alt in row_alts)
        witnesses = exhaustive.useful(space, rows, (exhaustive.WILD,), [scrutinee])
        if witnesses:
            ws = [w[0] for w in witnesses]
            described = exhaustive.describe_witnesses(ws)
            ty = self.show(scrutinee)
            self.diags.append(d.error(
                "E0004", f"non-exhaustive patterns: {described.split(' ', 1)[1]} not covered",
                e.scrutinee.span, f"{described} not covered",
                notes=(f"the matched value is of type `{ty}`",),
                help=("ensure that all possible cases are being handled by adding a match arm "
                      "with a wildcard pattern" + (", a match arm with multiple or-patterns"
                                                   if len(ws) > 1 else "") +
                      (" as shown, or multiple match arms" if len(ws) > 1 else
                       " or an explicit pattern as shown"),)))

    def deconstruct(self, pat: ast.Pat, ty: t.Ty) -> list[exhaustive.DPat]:
        """The constructor form of `pat` at type `ty` (or-patterns give several)."""
        D = exhaustive.DPat
        C = exhaustive.Ctor
        ty = self.u.shallow(ty)
        if isinstance(pat, ast.OrPat):
            return [p for alt in pat.alts for p in self.deconstruct(alt, ty)]
        if isinstance(ty, t.Ref) and (not isinstance(pat, ast.RefPat | ast.IdentPat
                                                     | ast.WildPat) or _is_none_pat(pat)):
            return [D(C("ref", arity=1), (inner,)) for inner in self.deconstruct(pat, ty.inner)]
        match pat:
            case ast.WildPat() | ast.RestPat():
                return [exhaustive.WILD]
            case ast.IdentPat(name=name, sub=sub):
                variant = self._unit_variant_for(name, ty)
                if variant is not None:
                    return [D(C("variant", variant))]
                return self.deconstruct(sub, ty) if sub is not None else [exhaustive.WILD]
            case ast.RefPat(inner=inner) if isinstance(ty, t.Ref):
                return [D(C("ref", arity=1), (p,)) for p in self.deconstruct(inner, ty.inner)]
            case ast.LitPat(lit=lit):
                if lit.kind == "bool":
                    return [D(C("bool", value=lit.value))]
                return [D(C("lit", value=(lit.value, pat.negative)))]
            case ast.RangePat():
                return [D(C("lit", value=id(pat)))]
            case ast.TuplePat(elems=elems) if isinstance(ty, t.Tuple):
                return self._product(C("tuple", arity=len(ty.elems)), elems, list(ty.elems))
            case ast.PathPat(path=path) | ast.TupleStructPat(path=path) | \
                    ast.StructPat(path=path):
                return self._deconstruct_path(pat, path, ty)
        return [exhaustive.WILD]

    def _unit_variant_for(self, name: str, ty: t.Ty) -> str | None:
        if name == "None" and isinstance(ty, t.Adt) and ty.name == "Option":
            return "None"
        return None

    def _deconstruct_path(self, pat: ast.Pat, path: ast.Path, ty: t.Ty
                          ) -> list[exhaustive.DPat]:
        C = exhaustive.Ctor
        if not isinstance(ty, t.Adt):
            return [exhaustive.WILD]
        space = exhaustive.Space(self.env, self.u.resolve)
        name = path.last.name
        if ty.name in self.env.structs:
            info = self.env.structs[ty.name]
            ctor = C("struct", ty.name, arity=len(info.fields))
            field_tys = space.field_types(ty, ctor)
        else:
            ctors = space.all_ctors(ty) or []
            match_ = [(c, tys) for c, tys, _ in ctors if c.name == name]
            if not match_:
                return [exhaustive.WILD]
            ctor, field_tys = match_[0]
        subpats: list[ast.Pat | None] = [None] * ctor.arity
        if isinstance(pat, ast.TupleStructPat):
            elems = list(pat.elems)
            rest = next((i for i, p in enumerate(elems) if isinstance(p, ast.RestPat)), None)
            if rest is not None:
                after = elems[rest + 1:]
                for i, p in enumerate(elems[:rest]):
                    subpats[i] = p
                for j, p in enumerate(after):
                    subpats[ctor.arity - len(after) + j] = p
            else:
                for i, p in enumerate(elems[: ctor.arity]):
                    subpats[i] = p
        elif isinstance(pat, ast.StructPat):
            names = self._field_names_of(ty, name)
            for fp in pat.fields:
                if fp.name in names:
                    subpats[names.index(fp.name)] = fp.pat
        return self._product(ctor, tuple(subpats), field_tys)

    def _field_names_of(self, ty: t.Adt, variant: str) -> list[str]:
        if ty.name in self.env.structs:
            return [f.name or "" for f in self.env.structs[ty.name].fields]
        info = self.env.enums.get(ty.name)
        v = info.variant(variant) if info else None
        return [f.name or "" for f in v.fields] if v else []

    def _product(self, ctor: exhaustive.Ctor, subpats: Sequence[ast.Pat | None],
                 tys: list[t.Ty]) -> list[exhaustive.DPat]:
        combos: list[tuple[exhaustive.DPat, ...]] = [()]
        for i in range(ctor.arity):
            p = subpats[i] if i < len(subpats) else None
            ty = tys[i] if i < len(tys) else t.ERROR
            options = self.deconstruct(p, ty) if p is not None else [exhaustive.WILD]
            combos = [(*c, o) for c in combos for o in options][:64]
        return [exhaustive.DPat(ctor, c) for c in combos]

    def _expr_Loop(self, e: ast.Loop, expected: t.Ty | None) -> t.Ty:
        loop = _Loop(e.label, expected if expected is not None else self.u.fresh())
        self.loops.append(loop)
        try:
            self.check_block(e.body, t.UNIT)
        finally:
            self.loops.pop()
        if not loop.has_break:
            return t.NEVER
        assert loop.break_ty is not None
        return loop.break_ty

    def _expr_While(self, e: ast.While, expected: t.Ty | None) -> t.Ty:
        with self.scope():
            self.check_cond(e.cond)
            self.loops.append(_Loop(e.label, None))
            try:
                self.check_block(e.body, t.UNIT)
            finally:
                self.loops.pop()
        return t.UNIT

    def _expr_For(self, e: ast.For, expected: t.Ty | None) -> t.Ty:
        iter_ty = self.check_expr(e.iter, None)
        item = self.item_type(iter_ty, e.iter.span)
        with self.scope():
            self.check_pat(e.pat, item, "for")
            self.loops.append(_Loop(e.label, None))
            try:
                self.check_block(e.body, t.UNIT)
            finally:
                self.loops.pop()
        return t.UNIT

    def item_type(self, ty: t.Ty, span: Span) -> t.Ty:
        """What `for x in <ty>` binds `x` to (IntoIterator::Item)."""
        ty = self.u.shallow(ty)
        match ty:
            case t.Adt("Range" | "RangeInclusive" | "Iter", (item,)):
                return item
            case t.Adt("Vec", (elem,)) | t.Array(elem, _):
                return elem
            case t.Ref(inner, mutable):
                inner = self.u.shallow(inner)
                if isinstance(inner, t.Adt) and inner.name == "Vec":
                    return t.Ref(inner.args[0], mutable)
                if isinstance(inner, t.Array | t.Slice):
                    return t.Ref(inner.elem, mutable)
            case t.Error():
                return t.ERROR
        shown = self.show(ty)
        self.diags.append(d.error("E0277", f"`{shown}` is not an iterator", span,
                                  f"`{shown}` is not an iterator",
                                  notes=(f"the trait `Iterator` is not implemented for "
                                         f"`{shown}`",)))
        return t.ERROR

    def _find_loop(self, label: str | None, span: Span) -> _Loop | None:
        if not self.loops:
            return None
        if label is None:
            return self.loops[-1]
        for loop in reversed(self.loops):
            if loop.label == label:
                return loop
        self.diags.append(d.error("E0426", f"use of undeclared label `'{label}`", span,
                                  f"undeclared label `'{label}`"))
        return None

    def _expr_Break(self, e: ast.Break, expected: t.Ty | None) -> t.Ty:
        if not self.loops:
            self.diags.append(d.error("E0268", "`break` outside of a loop or labeled block",
                                      e.span, "cannot `break` outside of a loop or labeled "
                                      "block"))
            if e.value is not None:
                self.check_expr(e.value, None)
            return t.NEVER
        loop = self._find_loop(e.label, e.span)
        if loop is None:
            return t.NEVER
        loop.has_break = True
        if e.value is not None:
            if loop.break_ty is None:
                self.check_expr(e.value, None)
                self.diags.append(d.error("E0571", "`break` with value from a `while` or `for` "
                                          "loop", e.span, "can only break with a value inside "
                                          "`loop` or breakable block"))
            else:
                self.check_expr_coerce(e.value, loop.break_ty)
        elif loop.break_ty is not None and not self.u.unify(loop.break_ty, t.UNIT):
            self.mismatch(loop.break_ty, t.UNIT, e.span)
        return t.NEVER

    def _expr_Continue(self, e: ast.Continue, expected: t.Ty | None) -> t.Ty:
        if not self.loops:
            self.diags.append(d.error("E0268", "`continue` outside of a loop", e.span,
                                      "cannot `continue` outside of a loop"))
        else:
            self._find_loop(e.label, e.span)
        return t.NEVER

    def _expr_Return(self, e: ast.Return, expected: t.Ty | None) -> t.Ty:
        if e.value is not None:
            ty = self.check_expr(e.value, self.ret_ty)
            self.coerce(ty, self.ret_ty, e.value.span, self.fn.ret)
        elif not self.u.unify(self.ret_ty, t.UNIT):
            self.mismatch(self.ret_ty, t.UNIT, e.span, self.fn.ret.span if self.fn.ret else None,
                          "expected `" + self.show(self.ret_ty) + "` because of this return type")
        return t.NEVER

    def _expr_Try(self, e: ast.Try, expected: t.Ty | None) -> t.Ty:
        self.check_expr(e.inner, None)
        self.diags.append(d.error(None, "the `?` operator is not supported yet", e.span))
        return t.ERROR

    def _expr_GoExpr(self, e: ast.GoExpr, expected: t.Ty | None) -> t.Ty:
        self.check_expr(e.call, None)
        self.diags.append(d.error(None, "`go` statements are not supported by the checker yet",
                                  e.span))
        return t.UNIT

    def _expr_Select(self, e: ast.Select, expected: t.Ty | None) -> t.Ty:
        self.diags.append(d.error(None, "`select` is not supported by the checker yet", e.span))
        return t.ERROR

    def _expr_Underscore(self, e: ast.Underscore, expected: t.Ty | None) -> t.Ty:
        self.diags.append(d.error(None, "in expressions, `_` can only be used on the "
                                  "left-hand side of an assignment", e.span,
                                  "`_` not allowed here"))
        return t.ERROR

    def _expr_Closure(self, e: ast.Closure, expected: t.Ty | None) -> t.Ty:
        self.diags.append(d.error(None, "closures are not supported yet", e.span))
        return t.ERROR

    # ---------------------------------------------------------------- struct literals

    def _expr_StructLit(self, e: ast.StructLit, expected: t.Ty | None) -> t.Ty:
        names = e.path.names
        name = names[-1]
        if name == "Self" and self.owner is not None and len(names) == 1:
            name = self.owner
        fields: list[tuple[str | None, t.Ty]]
        result: t.Ty
        what: str
        if len(names) == 1 and name in self.env.structs:
            info = self.env.structs[name]
            fields = [(f.name, f.ty) for f in info.fields]
            result = t.Adt(name)
            what = f"struct `{name}`"
            owner_kind = "struct"
        elif len(names) == 2 and names[0] in self.env.enums and \
                (variant := self.env.enums[names[0]].variant(name)) is not None:
            fields = [(f.name, f.ty) for f in variant.fields]
            result = t.Adt(names[0])
            what = f"variant `{names[0]}::{name}`"
            owner_kind = "variant"
        else:
            for f in e.fields:
                self.check_expr(f.value, None)
            self.diags.append(d.error("E0422", f"cannot find struct, variant or union type "
                                      f"`{'::'.join(names)}` in this scope", e.path.span,
                                      "not found in this scope"))
            return t.ERROR
        declared = {n: ty for n, ty in fields if n is not None}
        seen: set[str] = set()
        for f in e.fields:
            if f.name in seen:
                self.diags.append(d.error("E0062", f"field `{f.name}` specified more than once",
                                          f.name_span, "used more than once"))
            seen.add(f.name)
            ty = declared.get(f.name)
            if ty is None:
                self.check_expr(f.value, None)
                suggestion = similar_name(f.name, list(declared))
                help_ = (f"a field with a similar name exists: `{suggestion}`",) \
                    if suggestion else ()
                unmentioned = [n for n in declared if n not in {x.name for x in e.fields}]
                label = ("unknown field" if suggestion or not unmentioned else
                         f"`{name}` does not have this field")
                notes = (f"available fields are: "
                         f"{', '.join(f'`{n}`' for n in unmentioned)}",) \
                    if unmentioned and not suggestion else ()
                code = "E0560" if owner_kind == "struct" else "E0559"
                self.diags.append(d.error(code, f"{what} has no field named `{f.name}`",
                                          f.name_span, label, help=help_, notes=notes))
                continue
            value_ty = self.check_expr(f.value, ty)
            self.coerce(value_ty, ty, f.value.span)
        unknown = any(f.name not in declared for f in e.fields)
        if e.base is not None:
            self.check_expr_coerce(e.base, result)
        elif not unknown:
            # rustc does not list missing fields when some given field does not exist.
            missing = [n for n in declared if n not in seen]
            if missing:
                self.diags.append(d.error("E0063", _missing_fields(missing, name), e.path.span,
                                          _missing_label(missing)))
        return result

    # ---------------------------------------------------------------- macros

    def _expr_MacroCall(self, e: ast.MacroCall, expected: t.Ty | None) -> t.Ty:
        name = e.name
        if name == "vec":
            return self._vec_macro(e, expected)
        if name in _FORMAT_MACROS:
            self._format_args(e, e.args)
            if name == "format":
                return t.STRING
            if name in ("panic", "unreachable", "todo", "unimplemented"):
                return t.NEVER
            return t.UNIT
        if name in ("assert", "debug_assert"):
            if not e.args:
                self.diags.append(d.error(None, "macro requires a boolean expression as an "
                                          "argument", e.span))
                return t.UNIT
            self.check_expr_coerce(e.args[0], t.BOOL)
            if len(e.args) > 1:
                self._format_args(e, e.args[1:])
            return t.UNIT
        if name in ("assert_eq", "assert_ne", "debug_assert_eq", "debug_assert_ne"):
            if len(e.args) < 2:
                self.diags.append(d.error(None, f"`{name}!` takes two arguments", e.span))
                for a in e.args:
                    self.check_expr(a, None)
                return t.UNIT
            # The same comparison as `==` (so `String` against `&str` works).
            left = self.check_expr(e.args[0], None)
            right = self.check_expr(e.args[1], self.u.shallow(left))
            self._comparison(ast.Binary("==", e.args[0], e.args[1], e.span, e.span), left,
                             right)
            if len(e.args) > 2:
                self._format_args(e, e.args[2:])
            return t.UNIT
        for a in e.args:
            self.check_expr(a, None)
        self.diags.append(d.error(None, f"cannot find macro `{name}` in this scope",
                                  e.name_span))
        return t.ERROR

    def _vec_macro(self, e: ast.MacroCall, expected: t.Ty | None) -> t.Ty:
        exp = self.u.shallow(expected) if expected is not None else None
        elem: t.Ty = exp.args[0] if isinstance(exp, t.Adt) and exp.name == "Vec" and exp.args \
            else self.u.fresh()
        if e.repeat is not None:
            value, count = e.repeat
            ty = self.check_expr(value, elem)
            self.coerce(ty, elem, value.span)
            self.check_expr_coerce(count, t.USIZE)
        else:
            for a in e.args:
                ty = self.check_expr(a, elem)
                self.coerce(ty, elem, a.span)
        return t.vec_of(elem)

    def _format_args(self, e: ast.MacroCall, args: Sequence[ast.Expr]) -> None:
        if not args:
            return
        fmt = args[0]
        if not (isinstance(fmt, ast.Literal) and fmt.kind == "str"):
            self.check_expr(fmt, None)
            self.diags.append(d.error(None, "format argument must be a string literal",
                                      fmt.span))
            return
        assert isinstance(fmt.value, str)
        parsed = parse_format(fmt.value)
        rest = list(args[1:])
        arg_tys = [self.check_expr(a, None) for a in rest]
        if isinstance(parsed, FormatError):
            self.diags.append(d.error(None, parsed.message, fmt.span))
            return
        all_args: list[ast.Expr] = list(rest)
        all_tys: list[t.Ty] = list(arg_tys)
        holes: list[FormatArg] = []
        used: set[int] = set()
        captured: dict[str, int] = {}
        for hole in parsed.holes:
            if hole.name is not None:
                if hole.name not in captured:
                    path = ast.Path((ast.PathSegment(hole.name, fmt.span),), fmt.span)
                    capture = ast.PathExpr(path, fmt.span)
                    captured[hole.name] = len(all_args)
                    all_args.append(capture)
                    all_tys.append(self.check_expr(capture, None))
                index = captured[hole.name]
            else:
                assert hole.position is not None
                index = hole.position
                if index >= len(rest):
                    n = len(parsed.holes)
                    self.diags.append(d.error(
                        None, f"{n} positional argument{'s' if n != 1 else ''} in format "
                        f"string, but {_count_args(len(rest))}", fmt.span))
                    return
            used.add(index)
            holes.append(FormatArg(index, hole.spec))
            ty = self.u.resolve(all_tys[index])
            arg_span = all_args[index].span
            if is_debug_spec(hole.spec):
                if not traits.is_debug(ty, self.env):
                    self.diags.append(self._not_formattable(ty, arg_span, "Debug"))
            elif not traits.is_display(ty, self.env):
                self.diags.append(self._not_formattable(ty, arg_span, "Display"))
        for i, a in enumerate(rest):
            if i not in used:
                self.diags.append(d.error(None, "argument never used", a.span,
                                          "argument never used"))
        self.results.formats[e] = FormatString(parsed.pieces, tuple(holes), tuple(all_args))

    def _not_formattable(self, ty: t.Ty, span: Span, trait: str) -> d.Diagnostic:
        base = ty
        while isinstance(base, t.Ref):
            base = base.inner
        shown = str(base)
        if trait == "Debug":
            help_ = (f"the trait `Debug` is not implemented for `{shown}`",)
            notes: tuple[str, ...] = (f"add `#[derive(Debug)]` to `{shown}` or manually "
                                      f"`impl Debug for {shown}`",)
            return d.error("E0277", f"`{shown}` doesn't implement `Debug`", span,
                           f"`{shown}` cannot be formatted using `{{:?}}`" + (
                               "" if not isinstance(base, t.Adt) or base.name not in
                               self.env.type_names() else
                               " because it doesn't implement `Debug`"),
                           help=help_, notes=notes)
        notes = ("in format strings you may be able to use `{:?}` (or {:#?} for "
                 "pretty-print) instead",) if traits.is_debug(ty, self.env) else ()
        return d.error("E0277", f"`{shown}` doesn't implement `std::fmt::Display`", span,
                       f"`{shown}` cannot be formatted with the default formatter",
                       help=(f"the trait `std::fmt::Display` is not implemented for "
                             f"`{shown}`",), notes=notes)

    # ------------------------------------------------------------ patterns

    def check_pat(self, pat: ast.Pat, expected: t.Ty, kind: str,
                  default_ref: str = "") -> None:
        """Check `pat` against `expected`, declaring its bindings in the current scope.

        `default_ref` is the default binding mode ("", "ref" or "ref mut") of match
        ergonomics: matching a non-reference pattern against `&T` looks through the `&`
        and makes the bindings inside it borrow.
        """
        self.results.pat_types[pat] = expected
        exp = self.u.shallow(expected)
        if isinstance(exp, t.Ref) and isinstance(pat, ast.TupleStructPat | ast.StructPat
                                                 | ast.TuplePat | ast.PathPat | ast.LitPat
                                                 | ast.RangePat | ast.SlicePat) \
                and not (isinstance(pat, ast.LitPat) and pat.lit.kind == "str"):
            mode = "ref mut" if exp.mutable and default_ref != "ref" else "ref"
            self.check_pat(pat, exp.inner, kind, mode)
            return
        match pat:
            case ast.IdentPat():
                self._check_ident_pat(pat, expected, kind, default_ref)
            case ast.WildPat() | ast.RestPat():
                pass
            case ast.LitPat(lit=lit):
                lit_ty = self.check_expr(lit, exp)
                if not self.coerces(lit_ty, expected):
                    self.mismatch(expected, lit_ty, pat.span)
            case ast.RangePat(lo=lo, hi=hi):
                for end in (lo, hi):
                    end_ty = self.check_expr(end.lit, exp)
                    if not self.u.unify(end_ty, expected):
                        self.mismatch(expected, end_ty, end.span)
            case ast.TuplePat(elems=elems):
                self._check_tuple_pat(pat, elems, expected, kind, default_ref)
            case ast.RefPat(inner=inner, mutable=mutable):
                if isinstance(exp, t.Ref):
                    self.check_pat(inner, exp.inner, kind, "")
                elif not isinstance(exp, t.Error):
                    fresh = self.u.fresh()
                    self.mismatch(expected, t.Ref(fresh, mutable), pat.span)
                    self.check_pat(inner, t.ERROR, kind, "")
            case ast.OrPat(alts=alts):
                for alt in alts:
                    self.check_pat(alt, expected, kind, default_ref)
            case ast.PathPat(path=path):
                self._check_path_pat(pat, path, expected)
            case ast.TupleStructPat():
                self._check_tuple_struct_pat(pat, expected, kind, default_ref)
            case ast.StructPat():
                self._check_struct_pat(pat, expected, kind, default_ref)
            case ast.SlicePat():
                self.diags.append(d.error(None, "slice patterns are not supported yet",
                                          pat.span))

    def _check_ident_pat(self, pat: ast.IdentPat, expected: t.Ty, kind: str,
                         default_ref: str) -> None:
        if pat.sub is None and pat.name in _PRELUDE_VARIANTS and pat.name == "None":
            option = t.Adt("Option", (self.u.fresh(),))
            target = self.u.shallow(expected)
            while isinstance(target, t.Ref):  # match ergonomics: `None` against `&Option`
                target = self.u.shallow(target.inner)
            if not self.u.unify(option, target):
                self.mismatch(expected, option, pat.span)
            return
        ty = expected
        by_ref = pat.by_ref or default_ref != ""
        if isinstance(self.u.shallow(expected), t.Error):
            pass
        elif pat.by_ref:
            ty = t.Ref(expected, pat.mutable)
        elif default_ref:
            ty = t.Ref(expected, default_ref == "ref mut")
        local = self.declare(pat.name, ty, pat.mutable and not pat.by_ref, pat.name_span,
                             kind, by_ref)
        self.results.bindings[pat] = local
        if pat.sub is not None:
            self.check_pat(pat.sub, expected, kind, default_ref)

    def _check_tuple_pat(self, pat: ast.Pat, elems: tuple[ast.Pat, ...], expected: t.Ty,
                         kind: str, default_ref: str) -> None:
        exp = self.u.shallow(expected)
        rest = [i for i, p in enumerate(elems) if isinstance(p, ast.RestPat)]
        if isinstance(exp, t.Tuple):
            tys = list(exp.elems)
        elif isinstance(exp, t.Error):
            tys = [t.ERROR] * len(elems)
        elif not rest:
            tys = [self.u.fresh() for _ in elems]
            tup = t.Tuple(tuple(tys))
            if not self.u.unify(tup, expected):
                self.mismatch(expected, tup, pat.span)
                tys = [t.ERROR] * len(elems)
        else:
            tys = [t.ERROR] * len(elems)
        for p, ty in zip(ast.spread_patterns(elems, len(tys)), tys, strict=False):
            if p is not None:
                self.check_pat(p, ty, kind, default_ref)
        if not rest and len(elems) != len(tys) and not isinstance(exp, t.Error):
            self.diags.append(d.error("E0308", "mismatched types", pat.span,
                                      f"expected a tuple with {len(tys)} elements, found one "
                                      f"with {len(elems)} elements"))

    def _check_path_pat(self, pat: ast.PathPat, path: ast.Path, expected: t.Ty) -> None:
        names = path.names
        if len(names) == 2 and names[0] in self.env.enums:
            info = self.env.enums[names[0]]
            variant = info.variant(names[1])
            if variant is None:
                self.diags.append(self._no_variant(names[0], names[1], path.last.span,
                                                   [v.name for v in info.variants]))
                return
            if variant.kind != "unit":
                self.diags.append(d.error(
                    "E0533" if variant.kind == "named" else "E0532",
                    f"expected unit struct, unit variant or constant, found "
                    f"{'tuple' if variant.kind == 'tuple' else 'struct'} variant "
                    f"`{names[0]}::{names[1]}`", path.span,
                    "not a unit struct, unit variant or constant"))
                return
            self._unify_pat(pat, t.Adt(names[0]), expected)
            return
        if len(names) == 2 and names[0] == "Option" and names[1] == "None":
            self._unify_pat(pat, t.Adt("Option", (self.u.fresh(),)), expected)
            return
        self.diags.append(d.error("E0433", f"failed to resolve: use of undeclared type "
                                  f"`{names[0]}`", path.segments[0].span,
                                  f"use of undeclared type `{names[0]}`"))

    def _unify_pat(self, pat: ast.Pat, ty: t.Ty, expected: t.Ty) -> bool:
        if self.u.unify(ty, expected):
            return True
        self.diags.append(d.error("E0308", "mismatched types", pat.span,
                                  f"expected `{self.show(expected)}`, found `{self.show(ty)}`"))
        return False

    def _variant_fields(self, path: ast.Path, expected: t.Ty, shape: str
                        ) -> tuple[str, str, list[tuple[str | None, t.Ty]], t.Ty] | None:
        """Resolve a constructor path in a pattern: (description, kind, fields, type)."""
        names = path.names
        if len(names) == 1 and names[0] == "Some":
            inner = self.u.fresh()
            return "tuple variant `Option::Some`", "tuple", [(None, inner)], \
                t.Adt("Option", (inner,))
        if len(names) == 1 and (names[0] in self.env.structs or
                                (names[0] == "Self" and self.owner in self.env.structs)):
            sname = self.owner if names[0] == "Self" and self.owner else names[0]
            info = self.env.structs[sname]
            return f"struct `{sname}`", info.kind, [(f.name, f.ty) for f in info.fields], \
                t.Adt(sname)
        if len(names) == 2:
            enum = self.owner if names[0] == "Self" and self.owner else names[0]
            if enum in self.env.enums:
                info_e = self.env.enums[enum]
                variant = info_e.variant(names[1])
                if variant is None:
                    self.diags.append(self._no_variant(enum, names[1], path.last.span,
                                                       [v.name for v in info_e.variants]))
                    return None
                return (f"{'tuple ' if variant.kind == 'tuple' else ''}variant "
                        f"`{enum}::{names[1]}`", variant.kind,
                        [(f.name, f.ty) for f in variant.fields], t.Adt(enum))
        if len(names) == 1:
            self.diags.append(d.error("E0531" if shape == "tuple" else "E0422",
                                      f"cannot find tuple struct or tuple variant `{names[0]}` "
                                      "in this scope" if shape == "tuple" else
                                      f"cannot find struct, variant or union type "
                                      f"`{names[0]}` in this scope", path.span,
                                      "not found in this scope"))
            return None
        self.diags.append(d.error("E0433", f"failed to resolve: use of undeclared type "
                                  f"`{names[0]}`", path.segments[0].span,
                                  f"use of undeclared type `{names[0]}`"))
        return None

    def _check_tuple_struct_pat(self, pat: ast.TupleStructPat, expected: t.Ty, kind: str,
                                default_ref: str) -> None:
        found = self._variant_fields(pat.path, expected, "tuple")
        if found is None:
            for p in pat.elems:
                self.check_pat(p, t.ERROR, kind, default_ref)
            return
        what, shape, fields, ty = found
        if shape != "tuple":
            # rustc: E0164 for a struct variant, E0532 for a unit variant or struct.
            self.diags.append(d.error("E0164" if shape == "named" else "E0532",
                                      f"expected tuple struct or tuple variant, found "
                                      f"{what.replace('tuple ', '')}", pat.path.span,
                                      "not a tuple struct or tuple variant"))
            for p in pat.elems:
                self.check_pat(p, t.ERROR, kind, default_ref)
            return
        if not self._unify_pat(pat, ty, expected):
            for p in pat.elems:
                self.check_pat(p, t.ERROR, kind, default_ref)
            return
        has_rest = any(isinstance(p, ast.RestPat) for p in pat.elems)
        n_pats = len([p for p in pat.elems if not isinstance(p, ast.RestPat)])
        if (not has_rest and n_pats != len(fields)) or (has_rest and n_pats > len(fields)):
            def noun(k: int) -> str:
                return _plural(k, "field")

            self.diags.append(d.error(
                "E0023", f"this pattern has {noun(n_pats)}, but the corresponding "
                f"{what.split(' `')[0]} has {noun(len(fields))}", pat.span,
                f"expected {noun(len(fields))}, found {n_pats}"))
        for sub, (_, fty) in zip(ast.spread_patterns(pat.elems, len(fields)), fields, strict=False):
            if sub is not None:
                self.check_pat(sub, fty, kind, default_ref)

    def _check_struct_pat(self, pat: ast.StructPat, expected: t.Ty, kind: str,
                          default_ref: str) -> None:
        found = self._variant_fields(pat.path, expected, "struct")
        if found is None:
            for fp in pat.fields:
                self.check_pat(fp.pat, t.ERROR, kind, default_ref)
            return
        what, shape, fields, ty = found
        self._unify_pat(pat, ty, expected)
        if shape == "tuple" and any(not fp.name.isdigit() for fp in pat.fields):
            self.diags.append(d.error("E0769", f"{what} written as struct variant",
                                      pat.span, None))
            for fp in pat.fields:
                self.check_pat(fp.pat, t.ERROR, kind, default_ref)
            return
        declared = {n: fty for n, fty in fields if n is not None}
        for fp in pat.fields:
            fty = declared.get(fp.name)
            if fty is None:
                self.diags.append(d.error("E0026", f"{what.replace('tuple ', '')} does not have "
                                          f"a field named `{fp.name}`", fp.name_span,
                                          f"{what.split(' `')[0]} `{what.split('`')[1]}` does "
                                          f"not have this field"))
                self.check_pat(fp.pat, t.ERROR, kind, default_ref)
                continue
            self.check_pat(fp.pat, fty, kind, default_ref)
        if not pat.has_rest:
            missing = [n for n in declared if n not in {fp.name for fp in pat.fields}]
            if missing:
                listed = ", ".join(f"`{m}`" for m in missing)
                self.diags.append(d.error(
                    "E0027", f"pattern does not mention field{'s' if len(missing) > 1 else ''} "
                    f"{listed}", pat.span, f"missing field{'s' if len(missing) > 1 else ''} "
                    f"{listed}", help=("include the missing fields in the pattern, or ignore "
                                       "them with `..`",)))


# ---------------------------------------------------------------- helpers


def _is_place(e: ast.Expr) -> bool:
    match e:
        case ast.PathExpr():
            return True
        case ast.Field() | ast.TupleField():
            return True
        case ast.Index():
            return True
        case ast.Unary(op="*"):
            return True
        case ast.Paren(inner=inner):
            return _is_place(inner)
    return False


def _tail_of(e: ast.Expr) -> ast.Expr:
    """The expression that gives a block-like expression its value (for error spans)."""
    if isinstance(e, ast.Block) and e.tail is not None:
        return _tail_of(e.tail)
    return e


def _kind_of(ty: t.Ty, env: ItemEnv) -> str:
    if isinstance(ty, t.Adt):
        if ty.name in env.enums or ty.name in ("Option", "Result"):
            return "enum"
        return "struct"
    if isinstance(ty, t.Ref):
        return "reference"
    return "type"


def _op_trait(op: str) -> str:
    return {"+": "Add", "-": "Sub", "*": "Mul", "/": "Div", "%": "Rem", "&": "BitAnd",
            "|": "BitOr", "^": "BitXor", "<<": "Shl", ">>": "Shr"}.get(op, "Add")


def _missing_fields(missing: list[str], name: str) -> str:
    listed = _listing(missing)
    return f"missing field{'s' if len(missing) > 1 else ''} {listed} in initializer of `{name}`"


def _missing_label(missing: list[str]) -> str:
    return f"missing {_listing(missing)}"


def _listing(names: list[str]) -> str:
    quoted = [f"`{n}`" for n in names]
    if len(quoted) == 1:
        return quoted[0]
    if len(quoted) <= 3:
        return ", ".join(quoted[:-1]) + " and " + quoted[-1]
    return ", ".join(quoted[:2]) + f" and {len(quoted) - 2} other fields"


def _count_args(n: int) -> str:
    if n == 0:
        return "no arguments were given"
    return f"there {'is' if n == 1 else 'are'} {n} argument{'s' if n != 1 else ''}"


def _is_none_pat(pat: ast.Pat) -> bool:
    return isinstance(pat, ast.IdentPat) and pat.name == "None" and pat.sub is None


def _has_error(ty: t.Ty) -> bool:
    match ty:
        case t.Error():
            return True
        case t.Ref(inner, _) | t.Slice(inner) | t.Array(inner, _):
            return _has_error(inner)
        case t.Tuple(elems):
            return any(_has_error(e) for e in elems)
        case t.Adt(_, args):
            return any(_has_error(a) for a in args)
    return False


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" + ("s" if n != 1 else "")


def _described(ty: t.Ty) -> str:
    """How rustc names a type in "expected X, found Y": literals without a known type are
    "integer" / "floating-point number"."""
    if isinstance(ty, t.Infer) and ty.kind == "int":
        return "integer"
    if isinstance(ty, t.Infer) and ty.kind == "float":
        return "floating-point number"
    return f"`{ty}`"


def _erase_infer(ty: t.Ty) -> t.Ty:
    """Unresolved variables left after checking become `Error` (already reported)."""
    match ty:
        case t.Infer():
            return t.ERROR
        case t.Tuple(elems):
            return t.Tuple(tuple(_erase_infer(e) for e in elems))
        case t.Array(elem, n):
            return t.Array(_erase_infer(elem), n)
        case t.Slice(elem):
            return t.Slice(_erase_infer(elem))
        case t.Ref(inner, m):
            return t.Ref(_erase_infer(inner), m)
        case t.Adt(name, args) if args:
            return t.Adt(name, tuple(_erase_infer(a) for a in args))
        case t.FnPtr(params, ret):
            return t.FnPtr(tuple(_erase_infer(p) for p in params), _erase_infer(ret))
    return ty
