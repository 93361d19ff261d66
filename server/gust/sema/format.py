"""Rust format strings (`println!("{} is {:>8.2?}", a, b)`), parsed at check time.

`parse_format` splits a format string into literal pieces and holes. A hole names its
argument by position (`{}` in order, `{0}`) or by name (`{x}`: a named argument `x = ..`
or an implicit capture of the variable `x`). Its width and precision may come from
arguments too (`{:>width$}`, `{:.1$}`, `{:.*}`: `Hole.width`, `Hole.precision`); the
checker numbers them (`numbered_spec`), and gust.codegen's runtime interprets the spec.
"""

from __future__ import annotations

import re
from typing import Final

from gust.frozen import dataclass

# fill/align, sign, #, 0, width, precision, type (see std::fmt).
# A count from an argument is `N$` or `name$`; a precision may also be `*` (the next
# positional argument).
SPEC: Final = re.compile(
    r"^(?:(?P<fill>.)?(?P<align>[<^>]))?(?P<sign>[+-])?(?P<alt>#)?(?P<zero>0)?"
    r"(?P<width>\d+|(?:\d+|[A-Za-z_]\w*)\$)?"
    r"(?:\.(?P<precision>\d+|\*|(?:\d+|[A-Za-z_]\w*)\$))?"
    r"(?P<type>\?|x\?|X\?|x|X|b|o|e|E)?$"
)

#: An argument named by a spec's count: its position, or the name of a named argument or
#: of a captured variable.
ArgRef = int | str


@dataclass(frozen=True, slots=True)
class Hole:
    """`position` is the explicit or implicit argument index, or None when `name` is set."""

    position: int | None
    name: str | None
    spec: str
    # Offsets of the hole inside the string literal's value (for diagnostics).
    start: int
    end: int
    # The arguments holding the width and the precision (`{:w$.p$}`, `{:.*}`), if any.
    width: ArgRef | None = None
    precision: ArgRef | None = None


@dataclass(frozen=True, slots=True)
class ParsedFormat:
    pieces: tuple[str, ...]
    holes: tuple[Hole, ...]


@dataclass(frozen=True, slots=True)
class FormatError:
    message: str
    start: int
    end: int


def parse_format(s: str) -> ParsedFormat | FormatError:
    pieces: list[str] = []
    holes: list[Hole] = []
    current: list[str] = []
    next_position = 0
    i = 0
    n = len(s)
    while i < n:
        ch = s[i]
        if ch == "{":
            if s.startswith("{{", i):
                current.append("{")
                i += 2
                continue
            close = s.find("}", i)
            if close < 0:
                return FormatError("invalid format string: expected `}` but string was "
                                   "terminated", i, n)
            inner = s[i + 1 : close]
            if "{" in inner:
                return FormatError("invalid format string: expected `}`, found `{`", i, close)
            arg, _, spec = inner.partition(":")
            arg = arg.strip()
            match = SPEC.match(spec) if spec else None
            if spec and match is None:
                return FormatError(f"invalid format string: unknown format spec `{spec}`",
                                   i, close + 1)
            width = _count_arg(match.group("width")) if match else None
            precision: ArgRef | None = None
            if match and match.group("precision") == "*":
                # `.*` takes the precision from the next positional argument, before the value.
                precision = next_position
                next_position += 1
            elif match:
                precision = _count_arg(match.group("precision"))
            if arg == "":
                hole = Hole(next_position, None, spec, i, close + 1, width, precision)
                next_position += 1
            elif arg.isdigit():
                hole = Hole(int(arg), None, spec, i, close + 1, width, precision)
            elif arg.isidentifier():
                hole = Hole(None, arg, spec, i, close + 1, width, precision)
            else:
                return FormatError(f"invalid format string: invalid argument name `{arg}`",
                                   i, close + 1)
            pieces.append("".join(current))
            current = []
            holes.append(hole)
            i = close + 1
        elif ch == "}":
            if s.startswith("}}", i):
                current.append("}")
                i += 2
                continue
            return FormatError("invalid format string: unmatched `}` found", i, i + 1)
        else:
            current.append(ch)
            i += 1
    pieces.append("".join(current))
    return ParsedFormat(tuple(pieces), tuple(holes))


def is_debug_spec(spec: str) -> bool:
    return spec.endswith("?")


def _count_arg(count: str | None) -> ArgRef | None:
    """The argument of a width or precision written `N$` or `name$`; None for a number."""
    if count is None or not count.endswith("$"):
        return None
    name = count[:-1]
    return int(name) if name.isdigit() else name


def numbered_spec(spec: str, width: int | None, precision: int | None) -> str:
    """`spec` with its counts from arguments given as positions (`>w$` -> `>2$`, `.*` ->
    `.1$`), the only form the runtime reads."""
    match = SPEC.match(spec)
    if match is None or (width is None and precision is None):
        return spec
    parts = [match.group("fill") or "", match.group("align") or "", match.group("sign") or "",
             match.group("alt") or "", match.group("zero") or ""]
    parts.append(f"{width}$" if width is not None else match.group("width") or "")
    if precision is not None:
        parts.append(f".{precision}$")
    elif match.group("precision") is not None:
        parts.append("." + match.group("precision"))
    parts.append(match.group("type") or "")
    return "".join(parts)
