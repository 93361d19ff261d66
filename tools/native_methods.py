"""The methods a dataclass would get, written into the class for mypyc to compile.

mypyc compiles the methods a class body writes, not those `dataclasses.dataclass` makes at
import: a native dataclass is built by calling an interpreted `__init__` (330 ns, against
20 ns for a compiled one), and the analysis of 5,000 lines builds 193,000 objects (a fifth
of a cold check's instructions); the types it compares and hashes all the time (`Int`,
`Span`, ...) are compared by an interpreted `__eq__` and hashed by an interpreted
`__hash__` (50,000 calls, 5 % of the instructions of a process of a split check of
5,000 lines). So `tools/compile_native.py` compiles a copy of each source in which every
dataclass that mypyc makes native gets, as methods:
- the `__init__` the standard library would make: the same parameters, defaults and order,
  the fields set as the standard library sets them (`object.__setattr__` for a frozen
  class), then `__post_init__`;
- for a frozen class with `eq` (the standard library's default), the `__eq__` and
  `__hash__` it would make: equal when the other is of the very same class and the tuples
  of their compared fields are equal (`NotImplemented` for another class), hashed as that
  tuple is;
- for a frozen class whose fields are all constructor arguments, a `__reduce__` that
  pickles and copies it by its constructor, as the interpreted class pickles (a compiled
  one has no instance dictionary to restore field by field).
The sources stay as written; only the build's copy has the methods. Two differences a
reader of a traceback or a profile may meet: a default is evaluated at each call, not once
(the same value: `dataclass` refuses mutable defaults, and Gust's are constants, `()`,
`frozenset()` and `None`), and the lines after an added method are shifted in the copy,
whose line numbers the compiled build's tracebacks (`GUST_BACKTRACE=1`) show.

A field with a `default_factory` (a class or function named, `list`, `dict`: a lambda's
result would be typed without the field's type) is a parameter that defaults to `None`
(the factory is called when it is left out): the same for every caller that passes what
the field's type allows, so not for a field whose type itself allows `None`.

Left as they are (the decorator's methods are used): classes with a base class other
than a plain one of the same module (no decorator, no fields: `GoExpr`), more than one
decorator (mypyc does not make those native), `InitVar`, `KW_ONLY`, keyword-only fields
or a field's own `hash=`, a factory for an optional field; a method the class writes
itself is kept (and an `__eq__` or `__hash__` of its own keeps the decorator's other
one), `init=False` keeps the decorator's `__init__`, `unsafe_hash` its `__eq__` and
`__hash__`.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass

_UNSUPPORTED_FIELD_WORDS = ("kw_only", "InitVar", "KW_ONLY")


@dataclass(frozen=True)
class Field:
    name: str
    annotation: str
    default: str | None  # the default's source text; None: required
    init: bool
    factory: str | None = None  # the default factory's source text
    compare: bool = True  # compared by `__eq__` and hashed by `__hash__`


def add_methods(text: str) -> str:
    """`text` with the methods each dataclass can have written at its end."""
    tree = ast.parse(text)
    lines = text.splitlines(keepends=True)
    plain = _plain_classes(tree)
    # From the last class to the first, so the line numbers found stay right.
    for node in sorted(_dataclasses(tree), key=lambda n: n.end_lineno or 0, reverse=True):
        methods = [m for m in (_init_text(node, plain), _eq_hash_text(node, plain),
                               _reduce_text(node, plain)) if m is not None]
        if methods:
            end = node.end_lineno or len(lines)
            lines.insert(end, "".join(methods))
    return "".join(lines)


def _dataclasses(tree: ast.Module) -> list[ast.ClassDef]:
    return [node for node in ast.walk(tree)
            if isinstance(node, ast.ClassDef) and len(node.decorator_list) == 1 and
            _dataclass_options(node.decorator_list[0]) is not None]


def _dataclass_options(decorator: ast.expr) -> dict[str, bool] | None:
    """The options of `@dataclass` / `@dataclass(...)`; None for another decorator, or
    options other than literal booleans."""
    if isinstance(decorator, ast.Name) and decorator.id == "dataclass":
        return {}
    if isinstance(decorator, ast.Call) and isinstance(decorator.func, ast.Name) and \
            decorator.func.id == "dataclass" and not decorator.args:
        options = {}
        for keyword in decorator.keywords:
            if keyword.arg is None or not isinstance(keyword.value, ast.Constant) or \
                    not isinstance(keyword.value.value, bool):
                return None
            options[keyword.arg] = keyword.value.value
        return options
    return None


def _plain_classes(tree: ast.Module) -> frozenset[str]:
    """The module's top-level classes without a decorator, a base or a field: a dataclass
    derived from one has only its own fields."""
    return frozenset(node.name for node in tree.body
                     if isinstance(node, ast.ClassDef) and not node.decorator_list and
                     not node.bases and not node.keywords and
                     not any(isinstance(s, ast.AnnAssign) for s in node.body))


def _writable(node: ast.ClassDef, plain: frozenset[str]) -> dict[str, bool] | None:
    """The dataclass options of a class whose methods can be written; else None."""
    options = _dataclass_options(node.decorator_list[0])
    if options is None or node.keywords or \
            not all(isinstance(b, ast.Name) and b.id in plain for b in node.bases):
        return None
    return options


def _writes(node: ast.ClassDef, name: str) -> bool:
    return any(isinstance(s, ast.FunctionDef) and s.name == name for s in node.body)


def _init_text(node: ast.ClassDef, plain: frozenset[str] = frozenset()) -> str | None:
    options = _writable(node, plain)
    if options is None or options.get("init") is False or _writes(node, "__init__"):
        return None
    fields = _fields(node)
    if fields is None or any(f.name in ("self", "object") for f in fields):
        return None
    frozen = options.get("frozen", False)
    indent = " " * (node.col_offset + 4)
    params = ["self"] + [_param(f) for f in fields if f.init]
    body = [_set(f, frozen) for f in fields
            if f.init or f.default is not None or f.factory is not None]
    if _writes(node, "__post_init__"):
        body.append("self.__post_init__()")
    inner = indent + "    "
    return (f"\n{indent}def __init__({', '.join(params)}) -> None:\n" +
            "".join(f"{inner}{line}\n" for line in body or ["pass"]))


def _eq_hash_text(node: ast.ClassDef, plain: frozenset[str] = frozenset()) -> str | None:
    """`__eq__` and `__hash__` of a frozen dataclass with `eq`, as the standard library
    makes them (an unfrozen one's instances are not hashable: left to the decorator)."""
    options = _writable(node, plain)
    if options is None or not options.get("frozen", False) or \
            options.get("eq", True) is False or options.get("unsafe_hash", False) or \
            _writes(node, "__eq__") or _writes(node, "__hash__"):
        return None
    fields = _fields(node)
    if fields is None or any(f.name == "other" for f in fields):
        return None
    compared = [f.name for f in fields if f.compare]
    mine = "".join(f"self.{name}, " for name in compared)
    theirs = mine.replace("self.", "other.")
    indent = " " * (node.col_offset + 4)
    inner = indent + "    "
    return (f"\n{indent}def __eq__(self, other: object) -> bool:\n"
            f"{inner}if other.__class__ is not self.__class__ or "
            f"not isinstance(other, {node.name}):\n"
            f"{inner}    return NotImplemented\n"
            f"{inner}return ({mine}) == ({theirs})\n"
            f"\n{indent}def __hash__(self) -> int:\n"
            f"{inner}return hash(({mine}))\n")


def _reduce_text(node: ast.ClassDef, plain: frozenset[str] = frozenset()) -> str | None:
    """`__reduce__` of a frozen dataclass whose fields are all its constructor's
    arguments: pickled (and copied) by its constructor. A compiled class has no instance
    dictionary, and `copyreg`'s way, `cls.__new__(cls)` then the fields, fails on it (its
    `__new__` runs `__init__`): without this, a value the sources pickle would not pickle
    compiled."""
    options = _writable(node, plain)
    if options is None or not options.get("frozen", False) or \
            any(_writes(node, name) for name in ("__reduce__", "__reduce_ex__", "__getstate__")):
        return None
    fields = _fields(node)
    if fields is None or not all(f.init for f in fields):
        return None
    values = "".join(f"self.{f.name}, " for f in fields)
    indent = " " * (node.col_offset + 4)
    return (f"\n{indent}def __reduce__(self) -> tuple[object, ...]:\n"
            f"{indent}    return (self.__class__, ({values}))\n")


def _param(f: Field) -> str:
    if f.factory is not None:
        return f"{f.name}: {f.annotation} | None = None"
    return f"{f.name}: {f.annotation}" + (f" = {f.default}" if f.default else "")


def _set(f: Field, frozen: bool) -> str:
    if f.factory is not None:
        value = f"{f.factory}() if {f.name} is None else {f.name}" if f.init else \
            f"{f.factory}()"
    else:
        value = f.name if f.init else str(f.default)
    return f"object.__setattr__(self, {f.name!r}, {value})" if frozen else \
        f"self.{f.name} = {value}"


def _fields(node: ast.ClassDef) -> list[Field] | None:
    """The class's fields in order; None when one uses what the method does not write."""
    fields = []
    for statement in node.body:
        if not isinstance(statement, ast.AnnAssign):
            continue
        if not isinstance(statement.target, ast.Name):
            return None
        annotation = ast.unparse(statement.annotation)
        if "ClassVar" in annotation:
            continue
        if any(word in annotation for word in _UNSUPPORTED_FIELD_WORDS):
            return None
        field = _field(statement.target.id, annotation, statement.value)
        if field is None:
            return None
        fields.append(field)
    return fields


def _field(name: str, annotation: str, value: ast.expr | None) -> Field | None:
    if value is None:
        return Field(name, annotation, None, True)
    if isinstance(value, ast.Call) and isinstance(value.func, ast.Name) and \
            value.func.id == "field":
        if value.args:
            return None
        init, compare, default, factory = True, True, None, None
        for keyword in value.keywords:
            if keyword.arg in (*_UNSUPPORTED_FIELD_WORDS, "hash") or keyword.arg is None:
                return None
            if keyword.arg in ("init", "compare"):
                if not isinstance(keyword.value, ast.Constant):
                    return None
                if keyword.arg == "init":
                    init = bool(keyword.value.value)
                else:
                    compare = bool(keyword.value.value)
            elif keyword.arg == "default":
                default = ast.unparse(keyword.value)
            elif keyword.arg == "default_factory":
                if not isinstance(keyword.value, ast.Name):
                    return None  # (a lambda's result is typed without the field's type)
                factory = keyword.value.id
        if factory is not None and (default is not None or "None" in annotation):
            return None  # (a None passed in would be the factory's value instead)
        if not init and default is None and factory is None:
            return None  # a field the standard library leaves unset
        return Field(name, annotation, default, init, factory, compare)
    return Field(name, annotation, ast.unparse(value), True)
