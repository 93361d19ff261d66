"""Random well-typed Gust programs, for testing that the Go backend's output builds.

`generate(rnd, tag)` writes one program from the choices of `rnd` (a `random.Random`; the
tests pass hypothesis's `st.randoms()`, so hypothesis drives and can shrink every choice).
The program is well-typed *by construction*: the generator keeps a typed environment of
the variables in scope and only ever writes an expression of the type the context needs.
It also stays inside the Rust-compatible core, so the same text builds with rustc and the
two binaries can be compared (bench/fuzz_codegen.py).

What a program holds (every top-level name ends with `tag`, so that many programs can be
Go files of one package):
- structs (named fields, derived `Debug`/`Clone`/`PartialEq`, `Copy` when possible) with an
  impl: `new`, a `&self` method, a `&mut self` method, a consuming `self` method;
- enums with unit, tuple and struct-like variants and a `&self` method matching on `self`;
- a trait with a required and a default method, implemented by structs and enums, used
  through a generic bound and through `Box<dyn Trait>`; generic helpers bounded by
  `PartialOrd + Copy` and `Debug`; higher-order functions taking `impl Fn` and `F: Fn`;
- functions over random signatures (`&T`, `&mut T`, `&mut Vec<T>`, `&str` parameters;
  `Option`/`Result` returns whose bodies use `?`), each calling only earlier functions (no
  recursion) within a cost budget (the programs run quickly);
- statements: `let` (annotated or inferred, shadowing), assignments, `if`/`else`, `match`
  (guards, `@` bindings, ranges, or-patterns, wildcards, tuple/struct/enum patterns),
  `for` over ranges, `.iter()` and `.iter().enumerate()`, `while`, `loop` with `break`
  value, labelled `break`/`continue`, `Vec`/`HashMap` updates, calls with `&mut`, closures;
- expressions: literals of every scalar type, arithmetic that cannot overflow (operands
  reduced with `%` first; `/` and `%` by a non-zero divisor), casts, comparisons, `if`/
  `match`/blocks/`loop` as values, `Option`/`Result` combinators, iterator chains
  (`map`/`filter`/`sum`/`count`/`any`/`collect`), strings and `format!` with width, fill,
  alignment, sign, zero padding, precision, hex/binary/octal/exponent and `{:#?}` specs.

Ownership is kept simple on purpose: a non-`Copy` value is always used through `.clone()`
or a borrow, a variable borrowed mutably is hidden from the rest of that expression, and a
collection being iterated is frozen in the loop's body; closures capture only variables
that are never mutated. So every program also passes the borrow checker.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TypeVar

T = TypeVar("T")

SIGNED = ("i8", "i16", "i32", "i64")
UNSIGNED = ("u8", "u32", "u64", "usize")
INTS = SIGNED + UNSIGNED
FLOATS = ("f64", "f32")
# Operands of + - * are reduced modulo this first, so no result can overflow the type.
_MOD = {"i8": 10, "u8": 10, "i16": 100}
WORDS = ("alpha", "beta", "gamma", "delta", "kappa", "omega", "sigma", "zeta")
CHARS = ("a", "z", "Q", "7", " ", "é", "\\n", "\\'", "λ")


@dataclass(frozen=True)
class Ty:
    """A Gust type: a scalar by name, or a constructor with arguments."""

    kind: str  # a scalar name, "String", "Vec", "Option", "Result", "Tuple", "Map", "Adt"
    args: tuple[Ty, ...] = ()
    name: str = ""  # of an Adt
    is_copy: bool = False  # of an Adt

    @property
    def rust(self) -> str:
        if self.kind == "Vec":
            return f"Vec<{self.args[0].rust}>"
        if self.kind == "Option":
            return f"Option<{self.args[0].rust}>"
        if self.kind == "Result":
            return f"Result<{self.args[0].rust}, String>"
        if self.kind == "Map":
            return f"HashMap<{self.args[0].rust}, {self.args[1].rust}>"
        if self.kind == "Tuple":
            return "(" + ", ".join(a.rust for a in self.args) + ")"
        if self.kind == "Adt":
            return self.name
        return self.kind

    @property
    def copy(self) -> bool:
        if self.kind in INTS or self.kind in FLOATS or self.kind in ("bool", "char"):
            return True
        if self.kind == "Tuple":
            return all(a.copy for a in self.args)
        if self.kind == "Option":
            return self.args[0].copy
        return self.kind == "Adt" and self.is_copy

    @property
    def is_int(self) -> bool:
        return self.kind in INTS

    @property
    def is_float(self) -> bool:
        return self.kind in FLOATS

    @property
    def ordered(self) -> bool:
        """`<` works on it (and prints with Display)."""
        return self.is_int or self.is_float or self.kind in ("char", "bool", "String")


def _generic(ty: Ty) -> bool:
    """Has a part whose type a literal alone does not fix (`None`, `Ok(..)`, `vec![]`)."""
    return ty.kind in ("Vec", "Option", "Result", "Map") or any(_generic(a) for a in ty.args)


def t(kind: str, *args: Ty) -> Ty:
    return Ty(kind, args)


I64, I32, USIZE, F64, BOOL, CHAR, STRING = (t("i64"), t("i32"), t("usize"), t("f64"),
                                            t("bool"), t("char"), t("String"))


@dataclass(frozen=True)
class Field:
    name: str
    ty: Ty


@dataclass(frozen=True)
class Variant:
    name: str
    shape: str  # "unit", "tuple", "struct"
    fields: tuple[Field, ...]


@dataclass(frozen=True)
class Adt:
    """A struct (`variants` empty) or an enum."""

    ty: Ty
    fields: tuple[Field, ...] = ()
    variants: tuple[Variant, ...] = ()
    traited: bool = False  # implements the program's trait

    @property
    def is_enum(self) -> bool:
        return bool(self.variants)


@dataclass(frozen=True)
class Param:
    name: str
    ty: Ty
    mode: str  # "val", "ref", "mut" (`&mut T`)

    @property
    def rust(self) -> str:
        prefix = {"val": "", "ref": "&", "mut": "&mut "}[self.mode]
        if self.mode == "ref" and self.ty == STRING:
            return f"{self.name}: &str"
        return f"{self.name}: {prefix}{self.ty.rust}"


@dataclass(frozen=True)
class Fn:
    name: str
    params: tuple[Param, ...]
    ret: Ty | None
    cost: int  # a bound on the work one call does


@dataclass
class Var:
    name: str
    ty: Ty
    mode: str = "val"  # "val"; "ref" (a `&T`); "mut" (a `&mut T`)
    mutable: bool = False
    frozen: int = 0  # borrowed by an enclosing loop or match: no mutation


@dataclass
class Scope:
    vars: list[Var] = field(default_factory=list)


@dataclass
class Ctx:
    """Where an expression is being written."""

    ret: Ty | None  # the function's return type (`?` needs Option/Result)
    scopes: list[Scope] = field(default_factory=lambda: [Scope()])
    hidden: set[str] = field(default_factory=set)  # mutably borrowed right now
    loops: list[str] = field(default_factory=list)  # "for", "while" ("" = value loop)
    mult: int = 1  # iterations of the enclosing loops
    cost: int = 1
    closure: bool = False  # inside a closure body: no `?`, `return`, loops' `break`

    def visible(self) -> list[Var]:
        seen: dict[str, Var] = {}
        for scope in self.scopes:
            for var in scope.vars:
                seen[var.name] = var
        return [v for v in seen.values() if v.name not in self.hidden]


class Gen:
    """One program's generator."""

    def __init__(self, rnd: random.Random, tag: str, size: int = 3) -> None:
        self.rnd = rnd
        self.tag = tag
        self.size = size
        self.adts: list[Adt] = []
        self.fns: list[Fn] = []
        self.items: list[str] = []
        self.library_items: list[str] = []  # written only when the program calls them
        self.counter = 0
        self.uses_map = False
        self.trait = f"Scored{tag}"
        self.has_trait = False
        self.budget = 0  # compound expressions left in the current function

    # -- choices ---------------------------------------------------------------------------

    def chance(self, p: float) -> bool:
        return self.rnd.random() < p

    def pick(self, items: list[T] | tuple[T, ...]) -> T:
        return items[self.rnd.randrange(len(items))]

    def fresh(self, base: str = "v") -> str:
        self.counter += 1
        return f"{base}{self.counter}"

    def weighted(self, options: list[tuple[int, Callable[[], str]]]) -> str:
        total = sum(w for w, _ in options)
        x = self.rnd.randrange(total)
        for w, make in options:
            if x < w:
                return make()
            x -= w
        raise AssertionError("unreachable")

    # -- types -----------------------------------------------------------------------------

    def scalar(self, char: bool = True) -> Ty:
        """A scalar type; `char` only where the backend can format it (not inside a
        container yet: an `unsupported` diagnostic)."""
        kinds = ("i64", "i64", "i32", "i32", "u8", "u32", "usize", "i8", "i16", "u64",
                 "f64", "f64", "f32", "bool", "String", "String") + (("char",) if char else ())
        return t(self.pick(kinds))

    def value_ty(self, depth: int = 0) -> Ty:
        roll = self.rnd.randrange(12)
        if depth > 1 or roll < 6:
            return self.scalar(char=depth == 0)
        if roll < 8 and self.adts:
            return self.pick(self.adts).ty
        if roll == 8:
            return t("Vec", self.elem_ty())
        if roll == 9:
            return t("Option", self.value_ty(depth + 1))
        if roll == 10:
            return t("Tuple", self.value_ty(depth + 1), self.value_ty(depth + 1))
        return t("Result", self.value_ty(depth + 1))

    def elem_ty(self) -> Ty:
        return t(self.pick(("i64", "i32", "u8", "usize", "f64", "String", "bool")))

    # -- program ---------------------------------------------------------------------------

    def program(self) -> str:
        self.struct()
        for _ in range(self.rnd.randint(1, 2)):
            self.enum()
        self.trait_items()
        self.library()
        for _ in range(self.rnd.randint(1, self.size + 1)):
            self.function()
        main = self.main()
        head = "use std::collections::HashMap;\n\n" if self.uses_map else ""
        text = "\n".join(self.items) + main
        used = [item for item in self.library_items
                if item.split("<", 1)[0].split("(", 1)[0][3:] + "(" in text]
        return head + "\n".join(used + self.items) + main

    def struct(self) -> None:
        name = f"Rec{len(self.adts)}{self.tag}"
        fields = []
        for i in range(self.rnd.randint(1, 3)):
            fields.append(Field(self.pick(WORDS[i * 2:i * 2 + 2]) + str(i),
                                self.scalar(char=False)))
        if not any(f.ty.is_int for f in fields):
            fields.append(Field("count", I64))
        is_copy = all(f.ty.copy for f in fields) and self.chance(0.5)
        ty = Ty("Adt", name=name, is_copy=is_copy)
        adt = Adt(ty, tuple(fields), traited=self.chance(0.7))
        self.adts.append(adt)
        derive = "Debug, Clone, Copy, PartialEq" if is_copy else "Debug, Clone, PartialEq"
        body = "".join(f"    {f.name}: {f.ty.rust},\n" for f in fields)
        self.items.append(f"#[derive({derive})]\nstruct {name} {{\n{body}}}\n")
        self.items.append(self.struct_impl(adt))

    def struct_impl(self, adt: Adt) -> str:
        fields = adt.fields
        params = ", ".join(f"{f.name}: {f.ty.rust}" for f in fields)
        inits = ", ".join(f.name for f in fields)
        counter = next(f for f in fields if f.ty.is_int)
        m = self.modulus(counter.ty)
        total = " + ".join(f"(self.{f.name} % {self.modulus(f.ty)}) as i64"
                           for f in fields if f.ty.is_int)
        first = fields[0]
        take = f"self.{first.name}"
        return (
            f"impl {adt.ty.name} {{\n"
            f"    fn new({params}) -> Self {{\n        Self {{ {inits} }}\n    }}\n\n"
            f"    fn total(&self) -> i64 {{\n        {total}\n    }}\n\n"
            f"    fn bump(&mut self, by: {counter.ty.rust}) {{\n"
            f"        self.{counter.name} = self.{counter.name} % {m} + by % {m};\n    }}\n\n"
            f"    fn take(self) -> {first.ty.rust} {{\n        {take}\n    }}\n}}\n")

    def enum(self) -> None:
        name = f"Kind{len(self.adts)}{self.tag}"
        variants = []
        for i in range(self.rnd.randint(2, 4)):
            shape = self.pick(("unit", "tuple", "tuple", "struct"))
            vname = self.pick(("Idle", "Busy", "Done", "Lost", "Open", "Shut"))[:4] + str(i)
            if shape == "unit":
                fields: tuple[Field, ...] = ()
            elif shape == "tuple":
                fields = tuple(Field(f"_{j}", self.scalar(char=False))
                               for j in range(self.rnd.randint(1, 2)))
            else:
                fields = tuple(Field(f"f{j}", self.scalar(char=False))
                               for j in range(self.rnd.randint(1, 2)))
            variants.append(Variant(vname, shape, fields))
        if all(v.shape == "unit" for v in variants):
            # A unit-only enum is Go int constants; `match self` on one is not supported
            # by the backend yet.
            variants[0] = Variant(variants[0].name, "tuple", (Field("_0", I64),))
        is_copy = all(f.ty.copy for v in variants for f in v.fields) and self.chance(0.5)
        ty = Ty("Adt", name=name, is_copy=is_copy)
        adt = Adt(ty, variants=tuple(variants), traited=self.chance(0.6))
        self.adts.append(adt)
        derive = "Debug, Clone, Copy, PartialEq" if is_copy else "Debug, Clone, PartialEq"
        body = ""
        for v in variants:
            if v.shape == "unit":
                body += f"    {v.name},\n"
            elif v.shape == "tuple":
                body += f"    {v.name}(" + ", ".join(f.ty.rust for f in v.fields) + "),\n"
            else:
                body += (f"    {v.name} {{ " +
                         ", ".join(f"{f.name}: {f.ty.rust}" for f in v.fields) + " },\n")
        self.items.append(f"#[derive({derive})]\nenum {name} {{\n{body}}}\n")
        arms = "".join(f"            {self.variant_pattern(name, v)} => {self.weigh(v)},\n"
                       for v in variants)
        self.items.append(f"impl {name} {{\n    fn weight(&self) -> i64 {{\n"
                          f"        match self {{\n{arms}        }}\n    }}\n}}\n")

    def variant_pattern(self, enum: str, v: Variant, prefix: str = "") -> str:
        if v.shape == "unit":
            return f"{enum}::{v.name}"
        if v.shape == "tuple":
            return f"{enum}::{v.name}(" + ", ".join(
                f"{prefix}x{j}" for j in range(len(v.fields))) + ")"
        return f"{enum}::{v.name} {{ " + ", ".join(
            f"{f.name}: {prefix}{f.name}" for f in v.fields) + " }"

    def weigh(self, v: Variant) -> str:
        """An i64 from a variant's fields, bound by reference (`match self`)."""
        parts = [str(len(v.name))]
        for j, f in enumerate(v.fields):
            name = f"x{j}" if v.shape == "tuple" else f.name
            parts.append(self.to_i64(f"*{name}" if f.ty.copy else name, f.ty))
        return " + ".join(parts)

    def to_i64(self, e: str, ty: Ty) -> str:
        """A small i64 from a value (or a reference to a non-Copy one) of type `ty`."""
        if ty.is_int:
            return f"({e} % {self.modulus(ty)}) as i64"
        if ty.is_float:
            return f"(({e} % 100.0) as i64)"
        if ty.kind == "bool":
            return f"(if {e} {{ 1 }} else {{ 0 }})"
        if ty.kind == "char":
            return f"(({e} as u32 % 100) as i64)"
        if ty.kind == "String":
            return f"({e}.len() as i64)"
        return "1"

    def modulus(self, ty: Ty) -> int:
        return _MOD.get(ty.kind, 1000)

    def trait_items(self) -> None:
        traited = [a for a in self.adts if a.traited]
        if not traited:
            return
        self.has_trait = True
        name = self.trait
        self.items.append(
            f"trait {name} {{\n    fn score(&self) -> i64;\n\n"
            f"    fn bonus(&self) -> i64 {{\n        self.score() % 100 + 1\n    }}\n}}\n")
        for adt in traited:
            if adt.is_enum:
                body = "self.weight() * 2"
            else:
                body = f"self.total() + {self.rnd.randint(0, 9)}"
            override = ""
            if self.chance(0.3):
                override = "\n\n    fn bonus(&self) -> i64 {\n        self.score() % 7\n    }"
            self.items.append(f"impl {name} for {adt.ty.name} {{\n    fn score(&self) -> i64 "
                              f"{{\n        {body}\n    }}{override}\n}}\n")
        tag = self.tag
        self.library_items.append(
            f"fn best{tag}<T: {name}>(a: &T, b: &T) -> i64 {{\n"
            f"    if a.score() > b.score() {{ a.bonus() }} else {{ b.bonus() }}\n}}\n")
        self.library_items.append(
            f"fn sum_dyn{tag}(items: &Vec<Box<dyn {name}>>) -> i64 {{\n"
            "    items.iter().map(|x| x.score() % 1000).sum()\n}\n")

    def library(self) -> None:
        tag = self.tag
        self.library_items.append(
            f"fn larger{tag}<T: PartialOrd + Copy>(a: T, b: T) -> T {{\n"
            "    if a > b { a } else { b }\n}\n")
        self.library_items.append(
            f"fn show{tag}<T: std::fmt::Debug>(value: &T) -> String {{\n"
            "    format!(\"<{:?}>\", value)\n}\n")
        self.library_items.append(
            f"fn apply{tag}(f: impl Fn(i64) -> i64, x: i64) -> i64 {{\n"
            "    f(x % 1000) % 1000\n}\n")
        self.library_items.append(
            f"fn twice{tag}<F: Fn(i64) -> i64>(f: F, x: i64) -> i64 {{\n"
            "    f(f(x % 1000) % 1000)\n}\n")
        self.library_items.append(
            f"fn check{tag}(x: i64) -> Result<i64, String> {{\n"
            "    if x % 5 == 0 {\n        Err(format!(\"multiple of five: {}\", x))\n"
            "    } else {\n        Ok(x % 1000)\n    }\n}\n")
        self.library_items.append(
            f"fn half{tag}(x: i64) -> Option<i64> {{\n"
            "    if x % 2 == 0 { Some(x / 2) } else { None }\n}\n")

    # -- functions -------------------------------------------------------------------------

    def function(self) -> None:
        name = f"step{len(self.fns)}{self.tag}"
        params = []
        for i in range(self.rnd.randint(0, 3)):
            ty = self.value_ty()
            roll = self.rnd.randrange(6)
            mode = "val" if roll < 3 else "ref" if roll < 5 else "mut"
            if ty.kind == "Vec" and self.chance(0.4):
                mode = "mut"
            params.append(Param(f"p{i}", ty, mode))
        ret: Ty | None = None if self.chance(0.15) else self.value_ty()
        if self.chance(0.2):
            ret = t(self.pick(("Option", "Result")), self.scalar())
        ctx = Ctx(ret)
        self.budget = 6 + 4 * self.size
        for p in params:
            ctx.scopes[0].vars.append(Var(p.name, p.ty, p.mode, mutable=False))
        body = self.body(ctx, ret, 1)
        sig = ", ".join(p.rust for p in params)
        arrow = f" -> {ret.rust}" if ret else ""
        self.items.append(f"fn {name}({sig}){arrow} {body}\n")
        self.fns.append(Fn(name, tuple(params), ret, ctx.cost))

    def body(self, ctx: Ctx, ret: Ty | None, indent: int) -> str:
        """A block: statements, then a tail of type `ret` (None: no tail)."""
        pad = "    " * indent
        lines = []
        with self.scope(ctx):
            for _ in range(self.rnd.randint(1, 2 + self.size // max(1, indent))):
                lines.append(self.stmt(ctx, indent))
            if ret is not None:
                lines.append(pad + self.tail(ctx, ret, indent))
        close = "    " * (indent - 1)
        return "{\n" + "\n".join(lines) + "\n" + close + "}"

    def tail(self, ctx: Ctx, ret: Ty, indent: int) -> str:
        if ret.kind in ("Option", "Result") and not ctx.closure and self.chance(0.5):
            wrap = "Some" if ret.kind == "Option" else "Ok"
            inner = self.expr(ctx, ret.args[0], 2, indent)
            return f"{wrap}({inner})"
        return self.expr(ctx, ret, 2, indent)

    @contextmanager
    def scope(self, ctx: Ctx) -> Iterator[None]:
        ctx.scopes.append(Scope())
        try:
            yield
        finally:
            ctx.scopes.pop()

    def main(self) -> str:
        ctx = Ctx(None)
        self.budget = 6 + 4 * self.size
        lines = []
        for _ in range(self.rnd.randint(2, 2 + self.size)):
            lines.append(self.stmt(ctx, 1))
        for fn in self.fns:
            if fn.ret is None or self.chance(0.3):
                call = self.call(ctx, fn, 1)
                if call is not None:
                    lines.append(f"    {call};")
            else:
                call = self.call(ctx, fn, 1)
                if call is not None:
                    lines.append("    " + self.print_stmt([(call, fn.ret)]))
        for var in ctx.visible():
            if self.chance(0.5):
                lines.append("    " + self.print_stmt([(var.name, var.ty)]))
        return "fn main() {\n" + "\n".join(lines) + "\n}\n"

    # -- statements ------------------------------------------------------------------------

    def stmt(self, ctx: Ctx, indent: int) -> str:
        pad = "    " * indent
        deep = indent > 3 or self.budget <= 0
        mutables = [v for v in ctx.visible()
                    if (v.mutable or v.mode == "mut") and not v.frozen]
        options: list[tuple[int, Callable[[], str]]] = [
            (6, lambda: self.let(ctx, indent)),
            (3, lambda: self.print_stmt(self.print_args(ctx, indent))),
        ]
        if mutables:
            options.append((5, lambda: self.mutate(ctx, self.pick(mutables), indent)))
        if not deep:
            options += [
                (2, lambda: self.if_stmt(ctx, indent)),
                (2, lambda: self.for_range(ctx, indent)),
                (1, lambda: self.while_loop(ctx, indent)),
                (2, lambda: self.match_stmt(ctx, indent)),
            ]
            vecs = [v for v in ctx.visible() if v.ty.kind == "Vec"]
            if vecs:
                options.append((2, lambda: self.for_iter(ctx, self.pick(vecs), indent)))
            stacks = [v for v in mutables if v.ty.kind == "Vec"]
            if stacks:
                options.append((1, lambda: self.while_let(ctx, self.pick(stacks), indent)))
            options.append((1, lambda: self.if_let(ctx, indent)))
            options.append((1, lambda: self.map_stmt(ctx, indent)))
        if ctx.loops and ctx.loops[-1] and not ctx.closure:
            options.append((1, lambda: self.loop_exit(ctx)))
        if ctx.ret is not None and ctx.ret.kind in ("Option", "Result") and not ctx.closure:
            options.append((1, lambda: self.early_return(ctx, indent)))
        callables = [f for f in self.fns if f.ret is None]
        if callables:
            options.append((2, lambda: (self.call(ctx, self.pick(callables), indent) or
                                        "let _ = 0") + ";"))
        return pad + self.weighted(options)

    def let(self, ctx: Ctx, indent: int) -> str:
        ty = self.value_ty()
        value = self.expr(ctx, ty, 3, indent)
        shadow = [v for v in ctx.visible() if v.mode == "val"]
        name = (self.pick(shadow).name if shadow and self.chance(0.15)
                else self.fresh(self.pick(("n", "total", "item", "acc", "flag", "text"))))
        mutable = self.chance(0.5)
        infer = ty.kind in ("i32", "f64", "bool", "char", "String") and self.chance(0.5)
        annotation = "" if infer else f": {ty.rust}"
        ctx.scopes[-1].vars.append(Var(name, ty, "val", mutable))
        return f"let {'mut ' if mutable else ''}{name}{annotation} = {value};"

    def mutate(self, ctx: Ctx, var: Var, indent: int) -> str:
        place = f"*{var.name}" if var.mode == "mut" else var.name
        ty = var.ty
        with self.hiding(ctx, var.name):
            if ty.kind == "Vec" and self.chance(0.7):
                item = self.expr(ctx, ty.args[0], 2, indent)
                return f"{var.name}.push({item});"
            if ty.kind == "Map":
                key = self.expr(ctx, ty.args[0], 1, indent)
                value = self.expr(ctx, ty.args[1], 1, indent)
                return f"{var.name}.insert({key}, {value});"
            if ty.kind == "Adt" and not ty.is_copy and self.chance(0.5):
                adt = self.adt(ty)
                if not adt.is_enum:
                    counter = next(f for f in adt.fields if f.ty.is_int)
                    by = self.expr(ctx, counter.ty, 2, indent)
                    return f"{var.name}.bump({by});"
            if ty.kind == "String" and self.chance(0.5):
                piece = self.expr(ctx, STRING, 1, indent)
                return f"{var.name}.push_str(&{piece});"
            if ty.is_int and self.chance(0.5):
                m = self.modulus(ty)
                e = self.expr(ctx, ty, 2, indent)
                op = self.pick(("+", "*") if ty.kind in UNSIGNED else ("+", "-", "*"))
                return f"{place} = {place} % {m} {op} (({e}) % {m});"  # `a % m * (e % m)`
            value = self.expr(ctx, ty, 2, indent)
        return f"{place} = {value};"

    @contextmanager
    def hiding(self, ctx: Ctx, name: str) -> Iterator[None]:
        added = name not in ctx.hidden
        ctx.hidden.add(name)
        try:
            yield
        finally:
            if added:
                ctx.hidden.discard(name)

    def if_stmt(self, ctx: Ctx, indent: int) -> str:
        cond = self.cond(ctx, 2, indent)
        then = self.body(ctx, None, indent + 1)
        if self.chance(0.3):
            return f"if {cond} {then}"
        if self.chance(0.3):
            cond2 = self.cond(ctx, 2, indent)
            other = self.body(ctx, None, indent + 1)
            return f"if {cond} {then} else if {cond2} {other}"
        return f"if {cond} {then} else {self.body(ctx, None, indent + 1)}"

    @contextmanager
    def looping(self, ctx: Ctx, kind: str, times: int) -> Iterator[None]:
        ctx.loops.append(kind)
        ctx.mult *= times
        try:
            yield
        finally:
            ctx.loops.pop()
            ctx.mult //= times

    def for_range(self, ctx: Ctx, indent: int) -> str:
        ty = t(self.pick(("usize", "i32", "i64", "u8")))
        lo = self.rnd.randint(0, 3)
        hi = lo + self.rnd.randint(0, 4)
        var = self.fresh("i")
        rng = f"{lo}..={hi}" if self.chance(0.3) else f"{lo}..{hi}"
        suffix = ty.kind if self.chance(0.5) else ""
        if suffix:
            rng = rng.replace(f"{lo}..", f"{lo}{suffix}..", 1)
        if self.chance(0.2) and suffix not in UNSIGNED:
            # (a reversed range of unsigned integers is not supported by the backend yet)
            rng = f"({rng}).rev()"
        label = f"'l{self.fresh('')}" if self.chance(0.3) else ""
        with self.looping(ctx, label or "for", hi - lo + 1), self.scope(ctx):
            ctx.scopes[-1].vars.append(Var(var, ty if suffix else I32))
            body = self.body(ctx, None, indent + 1)
        return f"{label + ': ' if label else ''}for {var} in {rng} {body}"

    def while_let(self, ctx: Ctx, stack: Var, indent: int) -> str:
        """`while let Some(top) = stack.pop()`: ends since the body never pushes."""
        top = self.fresh("top")
        stack.frozen += 1
        try:
            with self.looping(ctx, "while", 4), self.scope(ctx):
                ctx.scopes[-1].vars.append(Var(top, stack.ty.args[0]))
                body = self.body(ctx, None, indent + 1)
        finally:
            stack.frozen -= 1
        return f"while let Some({top}) = {stack.name}.pop() {body}"

    def if_let(self, ctx: Ctx, indent: int) -> str:
        inner = self.scalar(char=False)
        value = self.typed(ctx, t("Option", inner), 1, indent)
        if "{" in value:
            value = f"({value})"
        name = self.fresh("got")
        with self.scope(ctx):
            ctx.scopes[-1].vars.append(Var(name, inner))
            then = self.body(ctx, None, indent + 1)
        if self.chance(0.5):
            return f"if let Some({name}) = {value} {then}"
        return f"if let Some({name}) = {value} {then} else {self.body(ctx, None, indent + 1)}"

    def map_stmt(self, ctx: Ctx, indent: int) -> str:
        """A `HashMap` filled with `entry`/`insert` and read in an order-independent way
        (sorted keys, `len`, `get`, `contains_key`, the sum of the values)."""
        self.uses_map = True
        pad = "    " * indent
        key = self.pick((STRING, I64))
        name, keys = self.fresh("map"), self.fresh("keys")
        n = self.rnd.randint(0, 5)
        k = 'format!("k{}", i % 3)' if key == STRING else "(i % 3) as i64"
        probe = '"k1"' if key == STRING else "&1"
        value = self.expr(ctx, I64, 1, indent)
        fresh_key = 'String::from("x")' if key == STRING else "7"
        ctx.scopes[-1].vars.append(Var(keys, t("Vec", key)))
        return (f"let mut {name}: HashMap<{key.rust}, i64> = HashMap::new();\n"
                f"{pad}for i in 0..{n} {{\n{pad}    *{name}.entry({k}).or_insert(0) += i as i64;\n"
                f"{pad}}}\n{pad}{name}.insert({fresh_key}, ({value}) % 1000);\n"
                f"{pad}let mut {keys}: Vec<{key.rust}> = {name}.keys().cloned().collect();\n"
                f"{pad}{keys}.sort();\n"
                f"{pad}println!(\"{{:?}} {{}} {{:?}} {{}} {{}}\", {keys}, {name}.len(), "
                f"{name}.get({probe}), {name}.contains_key({probe}), "
                f"{name}.values().sum::<i64>());")

    def for_iter(self, ctx: Ctx, vec: Var, indent: int) -> str:
        elem = vec.ty.args[0]
        item = self.fresh("x")
        vec.frozen += 1
        try:
            with self.looping(ctx, "for", 4), self.scope(ctx):
                if self.chance(0.4):
                    index = self.fresh("k")
                    ctx.scopes[-1].vars.append(Var(index, USIZE))
                    ctx.scopes[-1].vars.append(Var(item, elem, "ref"))
                    head = f"for ({index}, {item}) in {vec.name}.iter().enumerate()"
                elif elem.copy and self.chance(0.5):
                    ctx.scopes[-1].vars.append(Var(item, elem))
                    head = f"for &{item} in {vec.name}.iter()"
                else:
                    ctx.scopes[-1].vars.append(Var(item, elem, "ref"))
                    head = f"for {item} in {vec.name}.iter()"
                body = self.body(ctx, None, indent + 1)
        finally:
            vec.frozen -= 1
        return f"{head} {body}"

    def while_loop(self, ctx: Ctx, indent: int) -> str:
        counter = self.fresh("k")
        limit = self.rnd.randint(0, 4)
        pad = "    " * (indent + 1)
        with self.looping(ctx, "while", limit + 1), self.scope(ctx):
            ctx.scopes[-1].vars.append(Var(counter, I32))
            body = self.body(ctx, None, indent + 1)
        body = body.replace("{\n", f"{{\n{pad}{counter} += 1;\n", 1)
        return (f"let mut {counter} = 0;\n" + "    " * indent +
                f"while {counter} < {limit} {body}")

    def loop_exit(self, ctx: Ctx) -> str:
        word = self.pick(("break", "continue"))
        labels = [x for x in ctx.loops if x.startswith("'")]
        if labels and self.chance(0.5):
            word += " " + self.pick(labels)
        cond = self.cond(ctx, 1, 0)
        return f"if {cond} {{ {word}; }}"

    def early_return(self, ctx: Ctx, indent: int) -> str:
        assert ctx.ret is not None
        cond = self.cond(ctx, 1, indent)
        if ctx.ret.kind == "Option":
            return f"if {cond} {{\n" + "    " * (indent + 1) + "return None;\n" + \
                "    " * indent + "}"
        return f"if {cond} {{\n" + "    " * (indent + 1) + \
            "return Err(String::from(\"stopped early\"));\n" + "    " * indent + "}"

    def match_stmt(self, ctx: Ctx, indent: int) -> str:
        ty = self.pick([BOOL, I64, t("Option", I64)] + [a.ty for a in self.adts])
        return self.match_expr(ctx, ty, None, indent) + ";"

    def print_args(self, ctx: Ctx, indent: int) -> list[tuple[str, Ty]]:
        args = []
        for _ in range(self.rnd.randint(1, 3)):
            ty = self.value_ty()
            args.append((self.typed(ctx, ty, 1, indent), ty))
        return args

    def print_stmt(self, args: list[tuple[str, Ty]]) -> str:
        macro = "print" if self.chance(0.1) else "println"
        fmt = " ".join(self.spec(ty) for _, ty in args)
        text = fmt.replace("{", "{{").replace("}", "}}") if not args else fmt
        end = "\\n" if macro == "print" else ""
        return f"{macro}!(\"{text}{end}\", " + ", ".join(a for a, _ in args) + ");"

    def spec(self, ty: Ty) -> str:
        if ty.is_int:
            return self.pick(("{}", "{}", "{:?}", "{:5}", "{:<4}|", "{:^6}", "{:05}", "{:+}",
                              "{:x}", "{:#x}", "{:X}", "{:b}", "{:#o}", "{:*>7}", "{:e}"))
        if ty.is_float:
            return self.pick(("{}", "{}", "{:?}", "{:.2}", "{:8.3}", "{:+.1}", "{:e}",
                              "{:08.2}", "{:<9}|", "{:.0}"))
        if ty.kind in ("char", "bool"):
            return self.pick(("{}", "{}", "{:?}", "{:>8}", "{:-^9}", "{:<5}|")) + \
                ("" if ty.kind != "String" else self.pick(("", "", " {:.3}")).replace(
                    " {:.3}", ""))
        return self.pick(("{:?}", "{:?}", "{:?}", "{:#?}"))

    # -- expressions -----------------------------------------------------------------------

    def expr(self, ctx: Ctx, ty: Ty, depth: int, indent: int) -> str:
        """An expression of type `ty`; `depth` bounds its nesting."""
        options: list[tuple[int, Callable[[], str]]] = [(4, lambda: self.leaf(ctx, ty))]
        vars_ = [v for v in ctx.visible() if v.ty == ty]
        if vars_:
            options.append((6, lambda: self.use(self.pick(vars_))))
        self.budget -= 1
        if depth > 0 and self.budget > 0:
            d = depth - 1
            options.append((4, lambda: self.compound(ctx, ty, d, indent)))
            options.append((1, lambda: self.if_expr(ctx, ty, d, indent)))
            options.append((1, lambda: self.block_expr(ctx, ty, d, indent)))
            if depth > 1:
                options.append((1, lambda: self.match_expr(ctx, self.scrutinee_ty(), ty,
                                                           indent)))
            if ty.kind in ("i64", "i32", "u8", "usize", "f64", "String", "bool"):
                options.append((1, lambda: self.index(ctx, ty, d, indent)))
            calls = [f for f in self.fns if f.ret == ty]
            if calls:
                options.append((3, lambda: self.call(ctx, self.pick(calls), indent) or
                                self.leaf(ctx, ty)))
            if ctx.ret is not None and ctx.ret.kind in ("Option", "Result") and \
                    not ctx.closure and depth > 1:
                options.append((2, lambda: self.question(ctx, ty, d, indent)))
        return self.weighted(options)

    def index(self, ctx: Ctx, ty: Ty, d: int, indent: int) -> str:
        """`v[i]`, guarded so that it cannot go out of bounds."""
        v, k = self.fresh("vs"), self.fresh("at")
        pad = "    " * (indent + 1)
        items = self.expr(ctx, t("Vec", ty), d, indent + 1)
        at = self.expr(ctx, USIZE, d, indent + 1)
        other = self.expr(ctx, ty, 0, indent + 1)
        get = f"{v}[{k} % {v}.len()]" + ("" if ty.copy else ".clone()")
        return (f"{{\n{pad}let {v}: Vec<{ty.rust}> = {items};\n{pad}let {k}: usize = {at};\n"
                f"{pad}if {v}.is_empty() {{ {other} }} else {{ {get} }}\n" + "    " * indent + "}")

    def scrutinee_ty(self) -> Ty:
        return self.pick([BOOL, I64, I32, CHAR, t("Option", I64), t("Result", I64),
                          t("Tuple", I32, BOOL)] + [a.ty for a in self.adts])

    def typed(self, ctx: Ctx, ty: Ty, depth: int, indent: int) -> str:
        """An expression whose type is `ty` even where nothing else says so (a receiver,
        a scrutinee, a format argument): `None`, `Ok(..)`, `vec![]` and literals alone
        leave Rust's inference with an ambiguous or defaulted type."""
        vars_ = [v for v in ctx.visible() if v.ty == ty]
        if vars_ and self.chance(0.5):
            return self.use(self.pick(vars_))
        e = self.expr(ctx, ty, depth, indent)
        if ty.is_int or ty.is_float:
            return f"({e} as {ty.kind})"
        if _generic(ty):
            name = self.fresh("w")
            return f"({{ let {name}: {ty.rust} = {e}; {name} }})"
        return e

    def cond(self, ctx: Ctx, depth: int, indent: int) -> str:
        """A condition (of `if`, a guard): parenthesised when it holds a brace, since a
        struct literal or a block there would end the condition."""
        e = self.expr(ctx, BOOL, depth, indent)
        return f"({e})" if "{" in e else e

    def operand(self, ctx: Ctx, ty: Ty, depth: int, indent: int) -> str:
        """An operand of a binary operator: parenthesised unless it is one token."""
        e = self.expr(ctx, ty, depth, indent)
        simple = e.replace("_", "").replace(".", "").replace("'", "").isalnum()
        return e if simple else f"({e})"

    def use(self, var: Var) -> str:
        if var.mode == "ref" and var.ty == STRING:
            return f"{var.name}.to_string()"  # a `&str` parameter
        if var.ty.copy:
            return f"*{var.name}" if var.mode != "val" else var.name
        return f"{var.name}.clone()"

    def question(self, ctx: Ctx, ty: Ty, depth: int, indent: int) -> str:
        """`expr?` in a function returning Option/Result."""
        assert ctx.ret is not None
        inner = self.typed(ctx, t(ctx.ret.kind, ty), depth, indent)
        return f"{inner}?" if inner.isidentifier() or inner.startswith("(") else f"({inner})?"

    def leaf(self, ctx: Ctx, ty: Ty) -> str:
        k = ty.kind
        if k in INTS:
            return self.int_lit(ty)
        if k in FLOATS:
            value = self.pick(("0.0", "1.5", "2.25", "-3.5", "10.0", "0.1", "100.0", "1e3",
                               "-0.0"))
            return value + ("_f32" if k == "f32" and self.chance(0.5) else "")
        if k == "bool":
            return self.pick(("true", "false"))
        if k == "char":
            return f"'{self.pick(CHARS)}'"
        if k == "String":
            word = self.pick((*WORDS, "", "two words", "Ünïcode"))
            return self.pick((f"String::from(\"{word}\")", f"\"{word}\".to_string()"))
        if k == "Vec":
            items = [self.leaf(ctx, ty.args[0]) for _ in range(self.rnd.randint(0, 3))]
            if not items:
                return f"Vec::<{ty.args[0].rust}>::new()" if self.chance(0.5) else "vec![]"
            return "vec![" + ", ".join(items) + "]"
        if k == "Option":
            if self.chance(0.3):
                return "None"
            return f"Some({self.leaf(ctx, ty.args[0])})"
        if k == "Result":
            if self.chance(0.3):
                return f"Err(String::from(\"{self.pick(WORDS)}\"))"
            return f"Ok({self.leaf(ctx, ty.args[0])})"
        if k == "Tuple":
            return "(" + ", ".join(self.leaf(ctx, a) for a in ty.args) + ")"
        if k == "Map":
            return "HashMap::new()"
        return self.adt_value(ctx, ty, 0, 0)

    def int_lit(self, ty: Ty) -> str:
        hi = {"i8": 127, "u8": 255, "i16": 30000}.get(ty.kind, 100000)
        value = self.pick((0, 1, 2, 3, 7, 10, 42, hi, self.rnd.randint(0, hi)))
        if ty.kind in SIGNED and self.chance(0.3):
            value = -value
        suffix = ty.kind if self.chance(0.3) else ""
        text = str(value) + suffix
        return f"({text})" if value < 0 else text

    def adt(self, ty: Ty) -> Adt:
        return next(a for a in self.adts if a.ty.name == ty.name)

    def adt_value(self, ctx: Ctx, ty: Ty, depth: int, indent: int) -> str:
        adt = self.adt(ty)
        name = ty.name
        if adt.is_enum:
            v = self.pick(adt.variants)
            vals = [self.expr(ctx, f.ty, depth, indent) for f in v.fields]
            if v.shape == "unit":
                return f"{name}::{v.name}"
            if v.shape == "tuple":
                return f"{name}::{v.name}(" + ", ".join(vals) + ")"
            return f"{name}::{v.name} {{ " + ", ".join(
                f"{f.name}: {x}" for f, x in zip(v.fields, vals, strict=True)) + " }"
        vals = [self.expr(ctx, f.ty, depth, indent) for f in adt.fields]
        if self.chance(0.4):
            return f"{name}::new(" + ", ".join(vals) + ")"
        return f"{name} {{ " + ", ".join(
            f"{f.name}: {x}" for f, x in zip(adt.fields, vals, strict=True)) + " }"

    def compound(self, ctx: Ctx, ty: Ty, d: int, indent: int) -> str:
        k = ty.kind
        if k in INTS:
            return self.int_expr(ctx, ty, d, indent)
        if k in FLOATS:
            return self.float_expr(ctx, ty, d, indent)
        if k == "bool":
            return self.bool_expr(ctx, d, indent)
        if k == "char":
            return self.char_expr(ctx, d, indent)
        if k == "String":
            return self.string_expr(ctx, d, indent)
        if k == "Vec":
            return self.vec_expr(ctx, ty, d, indent)
        if k == "Option":
            return self.option_expr(ctx, ty, d, indent)
        if k == "Result":
            return self.result_expr(ctx, ty, d, indent)
        if k == "Tuple":
            return "(" + ", ".join(self.expr(ctx, a, d, indent) for a in ty.args) + ")"
        if k == "Adt":
            return self.adt_value(ctx, ty, d, indent)
        return self.leaf(ctx, ty)

    def reduced(self, ctx: Ctx, ty: Ty, d: int, indent: int) -> str:
        return f"(({self.expr(ctx, ty, d, indent)}) % {self.modulus(ty)})"

    def receiver(self, ctx: Ctx, ty: Ty, d: int, indent: int) -> str:
        """A typed expression a method can be called on (no bare `{integer}` literal)."""
        e = self.typed(ctx, ty, d, indent)
        return e if e.isidentifier() or e.endswith(".clone()") else f"({e})"

    def int_expr(self, ctx: Ctx, ty: Ty, d: int, indent: int) -> str:
        k = ty.kind
        options: list[tuple[int, Callable[[], str]]] = [
            (4, lambda: f"{self.reduced(ctx, ty, d, indent)} "
                        f"{self.pick(('+', '*') if k in UNSIGNED else ('+', '-', '*'))} "
                        f"{self.reduced(ctx, ty, d, indent)}"),
            (2, lambda: f"({self.expr(ctx, ty, d, indent)}) / "
                        f"{self.rnd.randint(1, 9)}"),
            (1, lambda: f"({self.expr(ctx, ty, d, indent)}) % ({self.divisor(ctx, ty, d, indent)})"),
            (2, lambda: f"({self.expr(ctx, ty, d, indent)}) "
                        f"{self.pick(('&', '|', '^'))} ({self.expr(ctx, ty, d, indent)})"),
            (1, lambda: f"({self.expr(ctx, ty, d, indent)}) >> {self.rnd.randint(0, 3)}"),
            (2, lambda: self.cast_to(ctx, ty, d, indent)),
            (1, lambda: f"{self.receiver(ctx, ty, d, indent)}."
                        f"{self.pick(('min', 'max'))}({self.expr(ctx, ty, d, indent)})"),
            (1, lambda: self.unsigned_diff(ctx, ty, d, indent)),
            (2, lambda: self.len_expr(ctx, ty, d, indent)),
            (2, lambda: self.iter_sum(ctx, ty, d, indent)),
        ]
        if k in SIGNED:
            # (typed by the cast: `abs` of a bare `{integer}` is E0689, as in rustc)
            options.append((1, lambda: f"({self.reduced(ctx, ty, d, indent)} as {k}).abs()"))
            options.append((1, lambda: f"-({self.reduced(ctx, ty, d, indent)})"))
        if k == "i64":
            options += self.i64_sources(ctx, d, indent)
        return self.weighted(options)

    def i64_sources(self, ctx: Ctx, d: int, indent: int) -> list[tuple[int, Callable[[],
                                                                                         str]]]:
        tag = self.tag
        options: list[tuple[int, Callable[[], str]]] = [
            (1, lambda: f"apply{tag}({self.closure(ctx, indent)}, "
                        f"{self.expr(ctx, I64, d, indent)})"),
            (1, lambda: f"twice{tag}({self.closure(ctx, indent)}, "
                        f"{self.expr(ctx, I64, d, indent)})"),
            (1, lambda: f"{self.receiver(ctx, t('Option', I64), d, indent)}.unwrap_or("
                        f"{self.expr(ctx, I64, d, indent)})"),
            (1, lambda: f"half{tag}({self.expr(ctx, I64, d, indent)}).map(|h| h + 1)"
                        ".unwrap_or(-1)"),
            (1, lambda: self.loop_value(ctx, d, indent)),
            (1, lambda: self.local_closure(ctx, d, indent)),
        ]
        structs = [a for a in self.adts if not a.is_enum]
        enums = [a for a in self.adts if a.is_enum]
        if structs:
            options.append((2, lambda: f"{self.receiver(ctx, self.pick(structs).ty, d, indent)}"
                                       ".total()"))
        if enums:
            options.append((2, lambda: f"{self.receiver(ctx, self.pick(enums).ty, d, indent)}"
                                       ".weight()"))
        traited = [a for a in self.adts if a.traited]
        if traited:
            def best() -> str:
                a = self.pick(traited)
                return (f"best{tag}(&({self.expr(ctx, a.ty, d, indent)}), "
                        f"&({self.expr(ctx, a.ty, d, indent)}))")

            def dyn() -> str:
                items = ", ".join(f"Box::new({self.expr(ctx, self.pick(traited).ty, d, indent)})"
                                  for _ in range(self.rnd.randint(1, 3)))
                return f"sum_dyn{tag}(&vec![{items}])"

            options += [(2, best), (1, dyn),
                        (1, lambda: f"{self.receiver(ctx, self.pick(traited).ty, d, indent)}"
                                    f".{self.pick(('score', 'bonus'))}()")]
        return options

    def closure(self, ctx: Ctx, indent: int, annotate: bool = False) -> str:
        """A closure `Fn(i64) -> i64` that may capture immutable locals; its parameter is
        annotated when nothing else fixes its type (rustc would default it to i32)."""
        arg = self.fresh("z")
        with self.closure_scope(ctx):
            ctx.scopes[-1].vars.append(Var(arg, I64))
            body = self.expr(ctx, I64, 1, indent)
        move = "move " if self.chance(0.3) else ""
        param = f"{arg}: i64" if annotate else arg
        return f"{move}|{param}| ({body}) % 1000"

    @contextmanager
    def closure_scope(self, ctx: Ctx) -> Iterator[None]:
        """Inside a closure: only variables that are never mutated are visible."""
        saved = (ctx.scopes, ctx.closure, ctx.loops)
        captured = Scope([v for v in ctx.visible() if not v.mutable and v.mode != "mut"])
        ctx.scopes, ctx.closure, ctx.loops = [captured, Scope()], True, []
        try:
            yield
        finally:
            ctx.scopes, ctx.closure, ctx.loops = saved

    def local_closure(self, ctx: Ctx, d: int, indent: int) -> str:
        name = self.fresh("f")
        pad = "    " * (indent + 1)
        closure = self.closure(ctx, indent + 1, annotate=True)
        return (f"{{\n{pad}let {name} = {closure};\n{pad}{name}({self.expr(ctx, I64, d, indent)})"
                f" + {name}(1)\n" + "    " * indent + "}")

    def loop_value(self, ctx: Ctx, d: int, indent: int) -> str:
        counter = self.fresh("c")
        pad = "    " * (indent + 1)
        limit = self.rnd.randint(1, 5)
        with self.looping(ctx, "", limit), self.scope(ctx):
            ctx.scopes[-1].vars.append(Var(counter, I64))
            value = self.expr(ctx, I64, d, indent + 2)
        return (f"{{\n{pad}let mut {counter}: i64 = 0;\n{pad}loop {{\n"
                f"{pad}    {counter} += 1;\n{pad}    if {counter} >= {limit} {{\n"
                f"{pad}        break ({value}) % 1000;\n{pad}    }}\n{pad}}}\n"
                + "    " * indent + "}")

    def cast_to(self, ctx: Ctx, ty: Ty, d: int, indent: int) -> str:
        source = self.pick([t(k) for k in INTS if k != ty.kind] + [CHAR, BOOL, F64])
        if source.is_float:
            return f"(({self.expr(ctx, source, d, indent)}) % 100.0) as {ty.kind}"
        if source.kind == "bool":
            return f"({self.expr(ctx, source, d, indent)}) as {ty.kind}"
        if source.kind == "char":
            return f"(({self.expr(ctx, source, d, indent)}) as u32 % 100) as {ty.kind}"
        return f"({self.reduced(ctx, source, d, indent)}) as {ty.kind}"

    def divisor(self, ctx: Ctx, ty: Ty, d: int, indent: int) -> str:
        """A non-zero positive divisor: `(e % 7) + 8` (signed) or `e % 7 + 1`."""
        e = self.expr(ctx, ty, d, indent)
        return f"({e}) % 7 + 8" if ty.kind in SIGNED else f"({e}) % 7 + 1"

    def unsigned_diff(self, ctx: Ctx, ty: Ty, d: int, indent: int) -> str:
        a, b = self.fresh("l"), self.fresh("r")
        pad = "    " * (indent + 1)
        x = self.reduced(ctx, ty, d, indent + 1)  # (a signed difference could overflow)
        y = self.reduced(ctx, ty, d, indent + 1)
        return (f"{{\n{pad}let {a}: {ty.kind} = {x};\n{pad}let {b} = {y};\n"
                f"{pad}if {a} > {b} {{ {a} - {b} }} else {{ {b} - {a} }}\n" +
                "    " * indent + "}")

    def len_expr(self, ctx: Ctx, ty: Ty, d: int, indent: int) -> str:
        source = self.pick([STRING, t("Vec", self.elem_ty())])
        e = self.receiver(ctx, source, d, indent)
        method = self.pick(("len()", "len()", "chars().count()") if source == STRING
                           else ("len()", "iter().count()"))
        cast = "" if ty.kind == "usize" else f" % {self.modulus(ty)}) as {ty.kind}"
        return f"({e}.{method}{cast}" if cast else f"{e}.{method}"

    def iter_sum(self, ctx: Ctx, ty: Ty, d: int, indent: int) -> str:
        if ty.kind not in ("i64", "i32", "u64", "usize"):
            return self.int_lit(ty)
        vec = self.receiver(ctx, t("Vec", ty), d, indent)
        m = self.modulus(ty)
        chain = ""
        if self.chance(0.6):
            chain += self.pick((f".map(|x| x % {m})", f".map(|&x| x % {m} + 1)",
                                f".map(|x| *x % {m})"))
        else:
            chain += f".map(|x| x % {m})"
        if self.chance(0.5):
            chain += self.pick((".filter(|x| *x > 1)", ".filter(|&x| x % 2 == 0)",
                                ".filter(|x| *x != 3)"))
        if self.chance(0.2):
            return f"({vec}.iter(){chain}.count() % {m}) as {ty.kind}"
        return f"{vec}.iter(){chain}.sum::<{ty.kind}>()"

    def float_expr(self, ctx: Ctx, ty: Ty, d: int, indent: int) -> str:
        k = ty.kind
        options: list[tuple[int, Callable[[], str]]] = [
            (4, lambda: f"({self.expr(ctx, ty, d, indent)}) % 100.0 "
                        f"{self.pick(('+', '-', '*'))} ({self.expr(ctx, ty, d, indent)}) % 100.0"),
            (2, lambda: f"({self.expr(ctx, ty, d, indent)}) / "
                        f"{self.pick(('2.0', '3.0', '0.5', '7.0'))}"),
            (2, lambda: f"{self.receiver(ctx, ty, d, indent)}."
                        f"{self.pick(('abs()', 'floor()', 'ceil()', 'round()'))}"),
            (1, lambda: f"{self.receiver(ctx, ty, d, indent)}.abs().sqrt()"),
            (1, lambda: f"{self.receiver(ctx, ty, d, indent)}."
                        f"{self.pick(('min', 'max'))}({self.expr(ctx, ty, d, indent)})"),
            (2, lambda: f"({self.reduced(ctx, I64, d, indent)}) as {k}"),
            (1, lambda: f"({self.expr(ctx, t('u8'), d, indent)}) as {k}"),
        ]
        return self.weighted(options)

    def bool_expr(self, ctx: Ctx, d: int, indent: int) -> str:
        def compare() -> str:
            ty = self.pick([I64, I32, t("u8"), F64, CHAR, STRING, BOOL, t("usize")])
            op = self.pick(("==", "!=", "<", "<=", ">", ">="))
            return f"({self.typed(ctx, ty, d, indent)}) {op} {self.operand(ctx, ty, d, indent)}"

        def equal() -> str:
            ty = self.value_ty()
            op = self.pick(("==", "!="))
            return f"({self.typed(ctx, ty, d, indent)}) {op} {self.operand(ctx, ty, d, indent)}"

        options: list[tuple[int, Callable[[], str]]] = [
            (4, compare),
            (2, equal),
            (2, lambda: f"{self.operand(ctx, BOOL, d, indent)} {self.pick(('&&', '||'))} "
                        f"{self.operand(ctx, BOOL, d, indent)}"),
            (1, lambda: f"!({self.expr(ctx, BOOL, d, indent)})"),
            (1, lambda: f"{self.receiver(ctx, t('Option', self.elem_ty()), d, indent)}."
                        f"{self.pick(('is_some()', 'is_none()'))}"),
            (1, lambda: f"{self.receiver(ctx, t('Result', self.elem_ty()), d, indent)}."
                        f"{self.pick(('is_ok()', 'is_err()'))}"),
            (1, lambda: f"{self.receiver(ctx, STRING, d, indent)}."
                        f"{self.pick(('contains', 'starts_with', 'ends_with'))}"
                        f"(\"{self.pick(('a', 'ta', 'z', ''))}\")"),
            (1, lambda: f"{self.receiver(ctx, t('Vec', I64), d, indent)}.is_empty()"),
            (1, lambda: f"{self.receiver(ctx, t('Vec', I64), d, indent)}.iter()."
                        f"{self.pick(('any', 'all'))}(|x| *x > {self.rnd.randint(0, 9)})"),
            (1, lambda: f"{self.receiver(ctx, t('Vec', I32), d, indent)}.contains(&"
                        f"{self.expr(ctx, I32, d, indent)})"),
            (1, lambda: f"{self.receiver(ctx, CHAR, d, indent)}."
                        f"{self.pick(('is_alphabetic()', 'is_numeric()', 'is_whitespace()'))}"),
        ]
        return self.weighted(options)

    def char_expr(self, ctx: Ctx, d: int, indent: int) -> str:
        options: list[tuple[int, Callable[[], str]]] = [
            (2, lambda: f"(b'a' + ({self.reduced(ctx, t('u8'), d, indent)})) as char"),
            (1, lambda: f"{self.receiver(ctx, CHAR, d, indent)}.to_ascii_uppercase()"),
            (2, lambda: f"{self.receiver(ctx, STRING, d, indent)}.chars().next()"
                        f".unwrap_or('{self.pick(CHARS)}')"),
            (1, lambda: f"{self.receiver(ctx, STRING, d, indent)}.chars().rev().next()"
                        f".unwrap_or('-')"),
            (1, lambda: f"larger{self.tag}({self.expr(ctx, CHAR, d, indent)}, "
                        f"{self.expr(ctx, CHAR, d, indent)})"),
        ]
        return self.weighted(options)

    def string_expr(self, ctx: Ctx, d: int, indent: int) -> str:
        def fmt() -> str:
            args = [(self.typed(ctx, ty, d, indent), ty)
                    for ty in (self.value_ty() for _ in range(self.rnd.randint(1, 2)))]
            text = "-".join(self.spec(ty) for _, ty in args)
            return f"format!(\"[{text}]\", " + ", ".join(a for a, _ in args) + ")"

        def show() -> str:
            ty = self.value_ty()
            return f"show{self.tag}(&({self.typed(ctx, ty, d, indent)}))"

        options: list[tuple[int, Callable[[], str]]] = [
            (4, fmt),
            (2, show),
            (2, lambda: f"{self.operand(ctx, STRING, d, indent)} + "
                        f"&{self.receiver(ctx, STRING, d, indent)}"),
            (1, lambda: f"{self.operand(ctx, STRING, d, indent)} + \"{self.pick(WORDS)}\""),
            (2, lambda: f"{self.receiver(ctx, STRING, d, indent)}."
                        f"{self.pick(('to_uppercase()', 'to_lowercase()', 'trim().to_string()'))}"),
            (1, lambda: f"{self.receiver(ctx, STRING, d, indent)}.replace(\"a\", \"o\")"),
            (1, lambda: f"{self.receiver(ctx, STRING, d, indent)}.repeat("
                        f"{self.rnd.randint(0, 3)})"),
            (2, lambda: f"{self.receiver(ctx, self.scalar(), d, indent)}.to_string()"),
            (1, lambda: f"{self.receiver(ctx, STRING, d, indent)}.chars().rev()"
                        ".collect::<String>()"),
        ]
        return self.weighted(options)

    def vec_expr(self, ctx: Ctx, ty: Ty, d: int, indent: int) -> str:
        elem = ty.args[0]
        options: list[tuple[int, Callable[[], str]]] = [
            (3, lambda: "vec![" + ", ".join(self.expr(ctx, elem, d, indent)
                                            for _ in range(self.rnd.randint(1, 3))) + "]"),
            (1, lambda: f"vec![{self.expr(ctx, elem, d, indent)}; {self.rnd.randint(0, 3)}]"),
            (1, lambda: f"{self.receiver(ctx, ty, d, indent)}.clone()"),
        ]
        if elem.is_int:
            m = self.modulus(elem)
            options.append((2, lambda: f"({self.rnd.randint(0, 2)}..{self.rnd.randint(2, 6)})"
                                       f".map(|i| (i % {m}) as {elem.kind})"
                                       f".collect::<Vec<{elem.kind}>>()"))
            options.append((2, lambda: f"{self.receiver(ctx, ty, d, indent)}.iter()"
                                       f".map(|x| x % {m})"
                                       f".filter(|x| *x > {self.rnd.randint(0, 5)})"
                                       f".collect::<Vec<{elem.kind}>>()"))
        if elem == STRING:
            options.append((1, lambda: f"{self.receiver(ctx, STRING, d, indent)}"
                                       ".split_whitespace().map(|w| w.to_string()).collect()"))
        return self.weighted(options)

    def option_expr(self, ctx: Ctx, ty: Ty, d: int, indent: int) -> str:
        inner = ty.args[0]
        options: list[tuple[int, Callable[[], str]]] = [
            (3, lambda: f"Some({self.expr(ctx, inner, d, indent)})"),
            (1, lambda: f"{self.receiver(ctx, t('Result', inner), d, indent)}.ok()"),
        ]
        if inner.kind != "Adt":  # (`cloned` of an `Option<&Struct>`: not supported yet)
            options.append((1, lambda: f"{self.receiver(ctx, t('Vec', inner), d, indent)}"
                                       ".first().cloned()"))
            options.append((1, lambda: f"{self.receiver(ctx, t('Vec', inner), d, indent)}"
                                       f".get({self.rnd.randint(0, 3)}).cloned()"))
        if inner.is_int:
            options.append((1, lambda: f"{self.receiver(ctx, t('Vec', inner), d, indent)}"
                                       ".iter().max().cloned()"))
        if inner == I64:
            options.append((1, lambda: f"half{self.tag}({self.expr(ctx, I64, d, indent)})"))
        return self.weighted(options)

    def result_expr(self, ctx: Ctx, ty: Ty, d: int, indent: int) -> str:
        inner = ty.args[0]
        options: list[tuple[int, Callable[[], str]]] = [
            (3, lambda: f"Ok({self.expr(ctx, inner, d, indent)})"),
            (1, lambda: f"Err(format!(\"bad {{}}\", {self.expr(ctx, I32, d, indent)}))"),
            (1, lambda: f"{self.receiver(ctx, t('Option', inner), d, indent)}"
                        ".ok_or(String::from(\"none\"))"),
        ]
        if inner == I64:
            options.append((2, lambda: f"check{self.tag}({self.expr(ctx, I64, d, indent)})"))
            options.append((1, lambda: f"check{self.tag}({self.expr(ctx, I64, d, indent)})"
                                       f".map(|v| v * 2)"))
        return self.weighted(options)

    # -- control flow as values -------------------------------------------------------------

    def if_expr(self, ctx: Ctx, ty: Ty, d: int, indent: int) -> str:
        cond = self.cond(ctx, 1, indent)
        then = self.value_block(ctx, ty, d, indent)
        other = self.value_block(ctx, ty, d, indent)
        if self.chance(0.2):
            cond2 = self.cond(ctx, 1, indent)
            middle = self.value_block(ctx, ty, d, indent)
            return f"if {cond} {then} else if {cond2} {middle} else {other}"
        return f"if {cond} {then} else {other}"

    def value_block(self, ctx: Ctx, ty: Ty, d: int, indent: int) -> str:
        if self.chance(0.6):
            return f"{{ {self.expr(ctx, ty, d, indent)} }}"
        pad = "    " * (indent + 1)
        with self.scope(ctx):
            stmt = self.let(ctx, indent + 1)
            value = self.expr(ctx, ty, d, indent + 1)
        return f"{{\n{pad}{stmt}\n{pad}{value}\n" + "    " * indent + "}"

    def block_expr(self, ctx: Ctx, ty: Ty, d: int, indent: int) -> str:
        pad = "    " * (indent + 1)
        with self.scope(ctx):
            stmts = [self.let(ctx, indent + 1) for _ in range(self.rnd.randint(1, 2))]
            value = self.expr(ctx, ty, d, indent + 1)
        return "{\n" + "".join(f"{pad}{s}\n" for s in stmts) + f"{pad}{value}\n" + \
            "    " * indent + "}"

    def match_expr(self, ctx: Ctx, scrutinee: Ty, ty: Ty | None, indent: int) -> str:
        """A `match` on a value of type `scrutinee` whose arms give `ty` (None: `()`)."""
        pad = "    " * (indent + 1)
        value = self.typed(ctx, scrutinee, 1, indent + 1)
        if "{" in value:
            value = f"({value})"
        arms: list[tuple[str, list[Var]]] = self.arms(ctx, scrutinee)
        lines = []
        for pattern, binds in arms:
            with self.scope(ctx):
                ctx.scopes[-1].vars.extend(binds)
                if ty is None:
                    body = self.body(ctx, None, indent + 2) if self.chance(0.5) else \
                        "{}" if self.chance(0.3) else \
                        self.print_stmt(self.print_args(ctx, indent + 2)).rstrip(";")
                else:
                    body = self.expr(ctx, ty, 1, indent + 2)
            lines.append(f"{pad}{pattern} => {body},")
        return f"match {value} {{\n" + "\n".join(lines) + "\n" + "    " * indent + "}"

    def arms(self, ctx: Ctx, ty: Ty) -> list[tuple[str, list[Var]]]:
        """Exhaustive arms for a value of type `ty` (owned), with their bindings."""
        k = ty.kind
        if k == "bool":
            if self.chance(0.3):
                return [("true", []), ("_", [])]
            return [("true", []), ("false", [])]
        if k in INTS:
            name = self.fresh("m")
            arms: list[tuple[str, list[Var]]] = [
                (f"{self.rnd.randint(0, 3)}", []),
                (f"{self.rnd.randint(4, 6)} | {self.rnd.randint(7, 9)}", []),
                (f"{name} @ 10..=20", [Var(name, ty)]),
            ]
            if self.chance(0.5):
                g = self.fresh("g")
                arms.append((f"{g} if {g} % 2 == 0", [Var(g, ty)]))
            self.rnd.shuffle(arms)
            return [*arms, ("_", [])]
        if k == "char":
            return [("'a'..='m'", []), ("'z' | 'Q'", []), ("_", [])]
        if k == "Option":
            name = self.fresh("s")
            arms = [(f"Some({name})", [Var(name, ty.args[0])]), ("None", [])]
            if ty.args[0].is_int and self.chance(0.5):
                g = self.fresh("s")
                arms.insert(0, (f"Some({g}) if {g} > 5", [Var(g, ty.args[0])]))
            return arms
        if k == "Result":
            a, b = self.fresh("ok"), self.fresh("err")
            return [(f"Ok({a})", [Var(a, ty.args[0])]), (f"Err({b})", [Var(b, STRING)])]
        if k == "Tuple":
            a, b = self.fresh("a"), self.fresh("b")
            return [(f"(0, {'true' if ty.args[1] == BOOL else '_'})", []),
                    (f"({a}, {b})", [Var(a, ty.args[0]), Var(b, ty.args[1])])]
        if k == "Adt":
            return self.adt_arms(ty)
        return [("_", [])]

    def adt_arms(self, ty: Ty) -> list[tuple[str, list[Var]]]:
        adt = self.adt(ty)
        if not adt.is_enum:
            names = [self.fresh(f.name[:2]) for f in adt.fields]
            binds = [Var(n, f.ty) for n, f in zip(names, adt.fields, strict=True)]
            if self.chance(0.5):
                first = adt.fields[0]
                return [(f"{ty.name} {{ {first.name}: {names[0]}, .. }}", binds[:1])]
            return [(f"{ty.name} {{ " + ", ".join(
                f"{f.name}: {n}" for f, n in zip(adt.fields, names, strict=True)) + " }",
                binds)]
        arms: list[tuple[str, list[Var]]] = []
        unit = [v for v in adt.variants if v.shape == "unit"]
        rest = list(adt.variants)
        if len(unit) >= 2 and self.chance(0.5):
            arms.append((" | ".join(f"{ty.name}::{v.name}" for v in unit), []))
            rest = [v for v in rest if v.shape != "unit"]
        wildcard = self.chance(0.3) and len(rest) > 1
        if wildcard:
            rest = rest[:-1]
        for v in rest:
            prefix = self.fresh("b")
            pattern = self.variant_pattern(ty.name, v, prefix)
            binds = []
            for j, f in enumerate(v.fields):
                name = f"{prefix}x{j}" if v.shape == "tuple" else f"{prefix}{f.name}"
                binds.append(Var(name, f.ty))
            if v.fields and v.fields[0].ty.is_int and self.chance(0.4):
                first = binds[0].name
                arms.append((f"{pattern} if {first} > 1", binds))
            if v.shape == "tuple" and self.chance(0.3):
                pattern = f"{ty.name}::{v.name}(..)"
                binds = []
            arms.append((pattern, binds))
        if wildcard:
            arms.append(("_", []))
        return arms

    # -- calls -----------------------------------------------------------------------------

    def call(self, ctx: Ctx, fn: Fn, indent: int) -> str | None:
        """A call of `fn`, or None when it would exceed the work budget."""
        if ctx.cost + ctx.mult * fn.cost > 2000:
            return None
        ctx.cost += ctx.mult * fn.cost
        args: list[str] = []
        hidden: list[str] = []
        try:
            for p in fn.params:
                args.append(self.argument(ctx, p, indent, hidden))
        finally:
            for name in hidden:
                ctx.hidden.discard(name)
        return f"{fn.name}(" + ", ".join(args) + ")"

    def argument(self, ctx: Ctx, p: Param, indent: int, hidden: list[str]) -> str:
        if p.mode == "mut":
            cands = [v for v in ctx.visible() if v.ty == p.ty and not v.frozen and
                     (v.mutable or v.mode == "mut")]
            if cands:
                var = self.pick(cands)
                ctx.hidden.add(var.name)
                hidden.append(var.name)
                return var.name if var.mode == "mut" else f"&mut {var.name}"
            e = self.expr(ctx, p.ty, 1, indent)
            # `&mut (x)` borrows the place `x` (E0596 unless it is `mut`): a temporary.
            if e.lstrip("*").isidentifier():  # (`x.clone()` of a `&T` is a `T` too)
                return f"&mut ({e.lstrip('*')}.clone())"
            return f"&mut ({e})"
        if p.mode == "ref":
            if p.ty == STRING and self.chance(0.3):
                return f"\"{self.pick(WORDS)}\""
            cands = [v for v in ctx.visible() if v.ty == p.ty]
            if cands and self.chance(0.7):
                var = self.pick(cands)
                return var.name if var.mode != "val" else f"&{var.name}"
            return f"&({self.expr(ctx, p.ty, 1, indent)})"
        return self.expr(ctx, p.ty, 2, indent)


def generate(rnd: random.Random, tag: str = "", size: int = 2) -> str:
    """One random well-typed program; top-level names end with `tag`."""
    return Gen(rnd, tag, size).program()


PLACEHOLDER = "QTAGQ"


def draw_programs(count: int, seed: int = 0, size: int = 2) -> list[str]:
    """`count` distinct programs (fewer if hypothesis runs out of new ones), drawn by
    hypothesis with a fixed seed, so a run is reproducible. Top-level names end with
    `PLACEHOLDER`: `tagged` gives each its own tag."""
    from hypothesis import HealthCheck, Phase, given, settings
    from hypothesis import seed as fixed_seed
    from hypothesis import strategies as st

    seen: dict[str, None] = {}

    @fixed_seed(seed)
    @settings(max_examples=count, database=None, deadline=None, phases=[Phase.generate],
              suppress_health_check=list(HealthCheck))
    # A `Random` seeded by hypothesis: 13 times faster than one whose every choice is a
    # hypothesis draw (which hypothesis could shrink, but a batch build cannot use that).
    @given(st.randoms(use_true_random=True))
    def collect(rnd: random.Random) -> None:
        seen.setdefault(generate(rnd, PLACEHOLDER, size))

    collect()
    return list(seen)


def tagged(text: str, tag: str) -> str:
    return text.replace(PLACEHOLDER, tag)
