"""Rust format strings (`println!("{} is {:>8.2?}", a, b)`), parsed at check time.

`parse_format` splits a format string into literal pieces and holes. A hole names its
argument by position (`{}` in order, `{0}`) or by name (`{x}`, an implicit capture of the
variable `x`). The spec after `:` is kept as written; gust.codegen's runtime interprets it.
"""

from __future__ import annotations

import re

from gust.frozen import dataclass

# fill/align, sign, #, 0, width, precision, type (see std::fmt).
SPEC = re.compile(
    r"^(?:(?P<fill>.)?(?P<align>[<^>]))?(?P<sign>[+-])?(?P<alt>#)?(?P<zero>0)?"
    r"(?P<width>\d+)?(?:\.(?P<precision>\d+))?(?P<type>\?|x\?|X\?|x|X|b|o|e|E)?$"
)


@dataclass(frozen=True, slots=True)
class Hole:
    """`position` is the explicit or implicit argument index, or None when `name` is set."""

    position: int | None
    name: str | None
    spec: str
    # Offsets of the hole inside the string literal's value (for diagnostics).
    start: int
    end: int


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
            if spec and SPEC.match(spec) is None:
                return FormatError(f"invalid format string: unknown format spec `{spec}`",
                                   i, close + 1)
            if arg == "":
                hole = Hole(next_position, None, spec, i, close + 1)
                next_position += 1
            elif arg.isdigit():
                hole = Hole(int(arg), None, spec, i, close + 1)
            elif arg.isidentifier():
                hole = Hole(None, arg, spec, i, close + 1)
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
