"""A small Go expression tree and a printer that spaces it exactly as gofmt does.

The emitter builds Go expressions as trees (never as strings glued together) so that
precedence is always right (parentheses are inserted where Go needs them) and so that the
printed text is already gofmt-clean: `go/printer` removes the blanks around binary operators
of higher precedence in mixed expressions (`a*b + c`), and around every binary operator
nested in call arguments or index expressions (`f(a+b, c)`, `v[i-1]`). `render` implements
the same rules (`binaryExpr`, `cutoff`, `walkBinary` and `diffPrec` of go/printer/nodes.go).
"""

from __future__ import annotations

import re
from typing import Final

from gust.frozen import dataclass

# Binary operator precedences (go/token).
PREC: Final = {
    "||": 1, "&&": 2,
    "==": 3, "!=": 3, "<": 3, "<=": 3, ">": 3, ">=": 3,
    "+": 4, "-": 4, "|": 4, "^": 4,
    "*": 5, "/": 5, "%": 5, "<<": 5, ">>": 5, "&": 5, "&^": 5,
}
UNARY_PREC: Final = 6
HIGHEST_PREC: Final = 7
LOWEST_PREC: Final = 0


class GoExpr:
    """Base class of Go expressions."""

    __slots__ = ()


@dataclass(frozen=True, slots=True)
class Atom(GoExpr):
    """An identifier, literal or type (printed as is).

    `untyped` is the kind of an untyped constant ("int", "float", "rune", "string", "bool"),
    None for typed values. `pure` is False for atoms that stand for code with effects.
    """

    text: str
    untyped: str | None = None


@dataclass(frozen=True, slots=True)
class Binary(GoExpr):
    op: str
    x: GoExpr
    y: GoExpr


@dataclass(frozen=True, slots=True)
class Unary(GoExpr):
    """`-x`, `!x`, `^x`, `&x` or `*x`."""

    op: str
    x: GoExpr


@dataclass(frozen=True, slots=True)
class Paren(GoExpr):
    x: GoExpr


@dataclass(frozen=True, slots=True)
class Call(GoExpr):
    """A call; `conversion` marks type conversions (`int32(x)`), which have no effects."""

    fun: GoExpr
    args: tuple[GoExpr, ...]
    conversion: bool = False


@dataclass(frozen=True, slots=True)
class Index(GoExpr):
    x: GoExpr
    index: GoExpr


@dataclass(frozen=True, slots=True)
class SliceExpr(GoExpr):
    x: GoExpr
    lo: GoExpr | None
    hi: GoExpr | None


@dataclass(frozen=True, slots=True)
class Selector(GoExpr):
    x: GoExpr
    name: str


@dataclass(frozen=True, slots=True)
class TypeAssert(GoExpr):
    x: GoExpr
    type: str


@dataclass(frozen=True, slots=True)
class KeyValue:
    key: str
    value: GoExpr


@dataclass(frozen=True, slots=True)
class Composite(GoExpr):
    """`T{a, b}` or `T{k: v}`; `type` is the printed type."""

    type: str
    elts: tuple[GoExpr | KeyValue, ...]


def keyed(type_: str, fields: tuple[str, ...], values: tuple[GoExpr, ...]) -> Composite:
    """`T{F0: a, F1: b}`: the runtime's tuples and `Option` are the types of another
    package (gust_types.go), whose literals `go vet` wants keyed."""
    return Composite(type_, tuple(KeyValue(k, v) for k, v in zip(fields, values, strict=True)))


def tuple_lit(type_: str, values: tuple[GoExpr, ...]) -> Composite:
    """A tuple `(a, b)` of Go type `type_` (`Tuple2[A, B]{F0: a, F1: b}`)."""
    return keyed(type_, tuple(f"F{i}" for i in range(len(values))), values)


@dataclass(frozen=True, slots=True)
class FuncLit(GoExpr):
    """A function literal: `signature` is `func(x int32) int32`; `body` its statements,
    rendered one tab deep, with the Gust line of each (gust.codegen.closures)."""

    signature: str
    body: tuple[tuple[str, int | None], ...]


# Marks a continuation line of a multi-line expression (a function literal's body) with its
# Gust line: "\x00<line>\x00<text>"; gust.codegen.gostmt splits and indents such lines.
LINE_MARK: Final = "\x00"

# go/printer keeps a function literal on one line when header and body fit in 100
# columns; a lower limit keeps the decision safe from small differences in counting.
ONE_LINE_LIMIT: Final = 80


def func_lit_text(f: FuncLit) -> str:
    stmts = [text for text, _ in f.body if text.strip()]
    if not stmts:
        return f.signature + " {}"
    if len(stmts) == 1 and stmts[0].startswith("\t") and \
            not stmts[0].startswith("\t\t") and \
            len(f.signature) + len(stmts[0]) + 4 <= ONE_LINE_LIMIT and \
            not stmts[0].rstrip().endswith(("{", ":")):
        return f"{f.signature} {{ {stmts[0].strip()} }}"
    parts = [f.signature + " {"]
    # The body was rendered by gostmt.render: one entry per Go line, already indented.
    parts += [f"{LINE_MARK}{'' if gline is None else gline}{LINE_MARK}{text}"
              for text, gline in f.body]
    parts.append(f"{LINE_MARK}{LINE_MARK}}}")
    return "\n".join(parts)


# ---------------------------------------------------------------- construction helpers


def ident(name: str) -> Atom:
    return Atom(name)


def binary(op: str, x: GoExpr, y: GoExpr) -> Binary:
    """`x op y` with the parentheses Go needs around lower-precedence operands."""
    prec = PREC[op]
    if isinstance(x, Binary) and PREC[x.op] < prec:
        x = Paren(x)
    if isinstance(y, Binary) and PREC[y.op] <= prec:
        y = Paren(y)
    return Binary(op, x, y)


def unary(op: str, x: GoExpr) -> GoExpr:
    if op == "&" and isinstance(x, Unary) and x.op == "*":
        return x.x
    if op == "*" and isinstance(x, Unary) and x.op == "&":
        return x.x
    if isinstance(x, Binary) or (op == "-" and isinstance(x, Atom) and
                                 x.text.startswith("-")):
        x = Paren(x)  # `-(-1)`, not `--1`
    return Unary(op, x)


def _operand(x: GoExpr) -> GoExpr:
    """`x` as the operand of a selector, call, index or type assertion."""
    if isinstance(x, (Binary, Unary)):
        return Paren(x)
    return x


def selector(x: GoExpr, name: str) -> Selector:
    if isinstance(x, Unary) and x.op == "&" and isinstance(x.x, Atom) and \
            x.x.text.isidentifier():
        # `(&v).f` is `v.f` for a variable (Go takes the address for pointer methods).
        x = x.x
    return Selector(_operand(x), name)


def call(fun: GoExpr | str, *args: GoExpr) -> Call:
    f = Atom(fun) if isinstance(fun, str) else _operand(fun)
    return Call(f, tuple(args))


def conversion(type_: str, x: GoExpr) -> Call:
    t = f"({type_})" if type_.startswith(("*", "func")) else type_
    return Call(Atom(t), (x,), conversion=True)


def index(x: GoExpr, i: GoExpr) -> Index:
    return Index(_operand(x), i)


def slice_expr(x: GoExpr, lo: GoExpr | None, hi: GoExpr | None) -> SliceExpr:
    return SliceExpr(_operand(x), lo, hi)


def type_assert(x: GoExpr, type_: str) -> TypeAssert:
    return TypeAssert(_operand(x), type_)


def negate(x: GoExpr) -> GoExpr:
    """`!x`, turning `a == b` into `a != b` and removing double negations."""
    if isinstance(x, Unary) and x.op == "!":
        return x.x.x if isinstance(x.x, Paren) else x.x
    if isinstance(x, Binary) and x.op in ("==", "!="):
        return Binary("!=" if x.op == "==" else "==", x.x, x.y)
    return unary("!", x)


def is_untyped(x: GoExpr) -> str | None:
    """The kind of an untyped constant expression, or None."""
    match x:
        case Atom(untyped=kind):
            return kind
        case Paren(x=inner):
            return is_untyped(inner)
        case Unary(op=op, x=inner) if op in ("-", "+", "^", "!"):
            return is_untyped(inner)
        case Binary(op=op, x=a, y=b):
            ka, kb = is_untyped(a), is_untyped(b)
            if ka is None or kb is None:
                return None
            if PREC[op] == 3:
                return "bool"
            if op in ("<<", ">>"):
                return ka
            if "float" in (ka, kb):
                return "float"
            if "rune" in (ka, kb):
                return "rune"
            return ka
    return None


def is_pure(x: GoExpr) -> bool:
    """True when evaluating `x` has no effects (so it may be moved or repeated)."""
    match x:
        case Atom():
            return True
        case Paren(x=inner) | Selector(x=inner) | Unary(x=inner) | TypeAssert(x=inner):
            return is_pure(inner)
        case Binary(x=a, y=b):
            return is_pure(a) and is_pure(b)
        case Index(x=a, index=b):
            return is_pure(a) and is_pure(b)
        case Call(args=args, conversion=True):
            return all(is_pure(a) for a in args)
        case Composite(elts=elts):
            return all(is_pure(e.value if isinstance(e, KeyValue) else e) for e in elts)
    return False


# ---------------------------------------------------------------- printing (go/printer rules)


def _may_combine(op: str, right: str) -> bool:
    """go/printer's `mayCombine`: an operator and the next character that would read as
    another token (`--`, `++`, `&^`, `&&`, `<-`, `<<`, `/*`) get a blank between them."""
    if not right:
        return False
    nxt = right[0]
    last = op[-1]
    return (last == "-" and nxt == "-") or (last == "+" and nxt == "+") or (
        last == "/" and nxt == "*") or (last == "<" and nxt in "-<") or (
        last == "&" and nxt in "&^")


def render(x: GoExpr, header: bool = False) -> str:
    """Print an expression as gofmt would at statement level (depth 1).

    `header` is set for the expression of an `if`/`for`/`switch` header, where a composite
    literal of a named type must be parenthesised.
    """
    return _Printer(header).expr1(x, LOWEST_PREC, 1, enclosed=not header)


def render_list(xs: list[GoExpr] | tuple[GoExpr, ...]) -> str:
    """Print the right-hand side list of an assignment (`a, b = x, y` prints at depth 2)."""
    depth = 2 if len(xs) > 1 else 1
    p = _Printer(False)
    return ", ".join(p.expr1(x, LOWEST_PREC, depth, enclosed=True) for x in xs)


def _reduce_depth(depth: int) -> int:
    return max(1, depth - 1)


def _diff_prec(x: GoExpr, prec: int) -> int:
    if not isinstance(x, Binary) or PREC[x.op] != prec:
        return 1
    return 0


def _walk_binary(e: Binary) -> tuple[bool, bool, int]:
    prec = PREC[e.op]
    has4 = prec == 4
    has5 = prec == 5
    max_problem = 0
    left = e.x
    if isinstance(left, Binary) and PREC[left.op] >= prec:
        h4, h5, mp = _walk_binary(left)
        has4, has5, max_problem = has4 or h4, has5 or h5, max(max_problem, mp)
    right = e.y
    if isinstance(right, Binary):
        if PREC[right.op] > prec:
            h4, h5, mp = _walk_binary(right)
            has4, has5, max_problem = has4 or h4, has5 or h5, max(max_problem, mp)
    elif isinstance(right, Unary):
        if right.op == "*":
            if e.op == "/":
                max_problem = 5
        else:
            pair = e.op + right.op
            if pair in ("/*", "&&", "&^"):
                max_problem = 5
            elif pair in ("++", "--"):
                max_problem = max(max_problem, 4)
    return has4, has5, max_problem


def _cutoff(e: Binary, depth: int) -> int:
    has4, has5, max_problem = _walk_binary(e)
    if max_problem > 0:
        return max_problem + 1
    if has4 and has5:
        return 5 if depth == 1 else 4
    return 6 if depth == 1 else 4


_TYPE_NAME: Final = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*(\[.*\])?$")


class _Printer:
    def __init__(self, header: bool) -> None:
        self.header = header

    def expr0(self, x: GoExpr, depth: int, enclosed: bool) -> str:
        return self.expr1(x, LOWEST_PREC, depth, enclosed)

    def expr1(self, x: GoExpr, prec1: int, depth: int, enclosed: bool) -> str:
        match x:
            case Atom(text=text):
                return text
            case Binary():
                return self.binary(x, prec1, _cutoff(x, max(depth, 1)), max(depth, 1), enclosed)
            case Paren(x=inner):
                if isinstance(inner, Paren):
                    return self.expr0(inner, depth, True)
                return "(" + self.expr0(inner, _reduce_depth(depth), True) + ")"
            case Unary(op=op, x=inner):
                operand = self.expr1(inner, UNARY_PREC, depth, enclosed)
                return op + (" " if _may_combine(op, operand) else "") + operand
            case Call(fun=fun, args=args):
                d = depth + 1 if len(args) > 1 else depth
                head = self.expr1(fun, HIGHEST_PREC, d, enclosed)
                return head + "(" + ", ".join(self.expr0(a, d, True) for a in args) + ")"
            case Index(x=base, index=i):
                return (self.expr1(base, HIGHEST_PREC, 1, enclosed) + "["
                        + self.expr0(i, depth + 1, True) + "]")
            case SliceExpr(x=base, lo=lo, hi=hi):
                return self.slice(base, lo, hi, depth, enclosed)
            case Selector(x=base, name=name):
                return self.expr1(base, HIGHEST_PREC, depth, enclosed) + "." + name
            case TypeAssert(x=base, type=type_):
                return self.expr1(base, HIGHEST_PREC, 1, enclosed) + ".(" + type_ + ")"
            case FuncLit():
                return func_lit_text(x)
            case Composite(type=type_, elts=elts):
                parts = []
                for el in elts:
                    if isinstance(el, KeyValue):
                        parts.append(el.key + ": " + self.expr1(el.value, LOWEST_PREC, 1, True))
                    else:
                        parts.append(self.expr0(el, 1, True))
                text = type_ + "{" + ", ".join(parts) + "}"
                if not enclosed and self.header and _TYPE_NAME.match(type_):
                    return "(" + text + ")"
                return text
        raise TypeError(f"not a Go expression: {x!r}")

    def binary(self, x: Binary, prec1: int, cutoff: int, depth: int, enclosed: bool) -> str:
        prec = PREC[x.op]
        if prec < prec1:
            return "(" + self.expr0(x, _reduce_depth(depth), True) + ")"
        blank = prec < cutoff
        left = self.expr1(x.x, prec, depth + _diff_prec(x.x, prec), enclosed)
        right = self.expr1(x.y, prec + 1, depth + 1, enclosed)
        if blank:
            return f"{left} {x.op} {right}"
        if _may_combine(x.op, right):
            return f"{left}{x.op} {right}"  # `a- -b`, not the token `--`
        return f"{left}{x.op}{right}"

    def slice(self, base: GoExpr, lo: GoExpr | None, hi: GoExpr | None, depth: int,
              enclosed: bool) -> str:
        head = self.expr1(base, HIGHEST_PREC, 1, enclosed)
        indices = [lo, hi]
        blanks = False
        if depth <= 1:
            present = [i for i in indices if i is not None]
            blanks = len(present) > 1 and any(isinstance(i, Binary) for i in present)
        out = head + "["
        if lo is not None:
            out += self.expr0(lo, depth + 1, True)
            if blanks:
                out += " "
        out += ":"
        if hi is not None:
            if blanks:
                out += " "
            out += self.expr0(hi, depth + 1, True)
        return out + "]"


# ---------------------------------------------------------------- literals


# Text that needs no escape in a Go string literal: printable ASCII but `"` and `\\`.
_PLAIN_STRING: Final = re.compile(r'[ !#-\[\]-~]*\Z')


def go_string(s: str) -> str:
    """A Go interpreted string literal for `s`."""
    if _PLAIN_STRING.match(s):
        return f'"{s}"'  # the common case, at C speed (the panic-site table is long)
    out = ['"']
    for ch in s:
        out.append(_escape(ch, '"'))
    out.append('"')
    return "".join(out)


def go_rune(ch: str) -> str:
    """A Go rune literal for one character."""
    return "'" + _escape(ch, "'") + "'"


_SIMPLE_ESCAPES: Final = {"\a": "\\a", "\b": "\\b", "\f": "\\f", "\n": "\\n", "\r": "\\r",
                   "\t": "\\t", "\v": "\\v", "\\": "\\\\"}


def _escape(ch: str, quote: str) -> str:
    if ch == quote:
        return "\\" + ch
    if ch in _SIMPLE_ESCAPES:
        return _SIMPLE_ESCAPES[ch]
    code = ord(ch)
    if code < 0x20 or code == 0x7F:
        return f"\\x{code:02x}"
    if code > 0x7F and not ch.isprintable():
        return f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}"
    if 0xD800 <= code <= 0xDFFF:
        return f"\\u{code:04x}"
    return ch


_GO_INT: Final = re.compile(r"^(0[xX]_?[0-9a-fA-F]+(_[0-9a-fA-F]+)*|0[oO]_?[0-7]+(_[0-7]+)*"
                     r"|0[bB]_?[01]+(_[01]+)*|[1-9](_?[0-9])*|0)$")
_GO_FLOAT: Final = re.compile(r"^[0-9]+(_[0-9]+)*(\.([0-9]+(_[0-9]+)*)?)?([eE][+-]?[0-9]+(_[0-9]+)*)?$")


def go_int_literal(text: str, value: int) -> str:
    """Keep the source spelling of an integer literal when Go accepts it (`10_000`, `0xff`)."""
    if _GO_INT.match(text) and not (text.startswith("0") and len(text) > 1 and
                                    text[1].isdigit()):
        return text
    return str(value)


def go_float_literal(text: str, value: float) -> str:
    if _GO_FLOAT.match(text) and ("." in text or "e" in text.lower()):
        if text.endswith("."):
            return text + "0"
        return text
    if _GO_FLOAT.match(text):
        return text + ".0"
    return repr(value)
