"""Go names for Gust names.

Names stay as written in Gust. A name is changed only when Go cannot use it: Go keywords and
predeclared identifiers (`range` -> `range_`, `len` -> `len_`), names the generated code or
the runtime already use (`Option`, `gust...`), and, inside a function, a `let` that shadows a
binding of the same Go scope (`let x = x * 3;` -> `x2 := x * 3`).
"""

from __future__ import annotations

from typing import Final

GO_KEYWORDS: Final = frozenset([
    "break", "case", "chan", "const", "continue", "default", "defer", "else",
    "fallthrough", "for", "func", "go", "goto", "if", "import", "interface",
    "map", "package", "range", "return", "select", "struct", "switch", "type",
    "var",
])

GO_PREDECLARED: Final = frozenset([
    "any", "bool", "byte", "comparable", "complex64", "complex128", "error", "float32",
    "float64", "int", "int8", "int16", "int32", "int64", "rune", "string",
    "uint", "uint8", "uint16", "uint32", "uint64", "uintptr", "true", "false",
    "iota", "nil", "append", "cap", "clear", "close", "complex", "copy",
    "delete", "imag", "len", "make", "max", "min", "new", "panic",
    "print", "println", "real", "recover",
])

# Packages the generated code may import: a local with one of these names would hide them.
GO_PACKAGES: Final = frozenset({"math", "os", "slices", "strings", "strconv", "iter", "unicode",
                         "utf8", "reflect", "runtime", "fmt", "sort", "maps", "cmp", "bits",
                         "sync", "atomic", "unsafe", "bytes", "json"})

# Names the runtime file declares without the `gust` prefix.
RUNTIME_NAMES: Final = frozenset({"Option", "Some", "None", "Result", "Ok", "Err", "Tuple1", "Tuple2", "Tuple3",
                           "Tuple4", "Char", "Duration"})

# Methods the compiler generates on user types.
GENERATED_METHODS: Final = frozenset({"fmtDebug", "fmtDisplay", "Equal", "Clone", "isSome",
                               "unwrap", "expect", "unwrapOr"})

RESERVED: Final = GO_KEYWORDS | GO_PREDECLARED | GO_PACKAGES | RUNTIME_NAMES | {"main", "init", "_"}


def is_reserved(name: str) -> bool:
    return name in RESERVED or (name.startswith("gust") and name[4:5].isupper())


def value_name(name: str) -> str:
    """A package-level function, const or static."""
    if name == "main":
        return name
    return name + "_" if is_reserved(name) else name


def type_name(name: str) -> str:
    return name + "_" if is_reserved(name) else name


def field_name(name: str) -> str:
    """Struct fields live in their own namespace: only keywords need renaming."""
    return name + "_" if name in GO_KEYWORDS else name


def tuple_field(i: int) -> str:
    return f"F{i}"


def label_name(name: str) -> str:
    return name + "_" if name in GO_KEYWORDS else name
