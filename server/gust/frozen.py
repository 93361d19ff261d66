"""`dataclass`, as the standard library's, made cheaply for Gust's value classes.

Gust's values (AST nodes, types, signatures, results, MIR) are dataclasses, about 250
classes created at every start of `gust check` and the server. The standard
`dataclasses.dataclass` compiles each generated method from source text (`__init__`,
`__repr__`, `__eq__`, `__hash__`, `__setattr__`, `__delattr__`): three to six `exec`s
per class, 80 % of the 100 ms the classes took to create, before any file was read.

For a dataclass without the rarer features (`InitVar`s, keyword-only fields, a dataclass
base, options other than `frozen`, `eq` and `slots`) this `dataclass` lets the standard
library do the bookkeeping it does without compiling anything (the fields, with their
defaults and factories, `__match_args__`, the slotted class), then makes `__init__`,
`__eq__` and `__hash__` (hot: every node and type is made by one, types are compared and
hashed all the time) from one text, and the rest without compiling: `__repr__`;
`__setattr__` and `__delattr__` raising `FrozenInstanceError` for a frozen class;
`__getstate__`/`__setstate__` for pickling and copying a slotted one. They mean what the
generated ones mean (same results, same hash values, `__hash__ = None` for an unfrozen
class with `eq`), and the class is a dataclass for `dataclasses.fields`, `replace` and
`is_dataclass`. The rest goes to the standard library unchanged.

The one text per class is compiled once per machine: its code is kept on disk
(`MethodCache`, as Python keeps a module's bytecode), so a process that starts with the
cache compiles nothing. The compiled build (gust.native) calls this `dataclass` at import
for every native class too (mypyc stores the fields itself, so no slots are made there;
it does not compile a dataclass's own methods: compiled code calls these). Type checkers
and mypyc see the standard `dataclass` (the import below).
"""

from __future__ import annotations

import abc
import contextlib
import dataclasses
import functools
import inspect
import marshal
import os
import sys
import types
import typing
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from dataclasses import dataclass as dataclass
else:
    def dataclass(cls: type | None = None, /, *, frozen: bool = False, eq: bool = True,
                  slots: bool = False, **options: Any) -> Any:
        def wrap(cls: type) -> type:
            if options or _needs_stdlib(cls):
                return dataclasses.dataclass(cls, frozen=frozen, eq=eq, slots=slots,
                                             **options)
            try:
                return _value_class(cls, eq=eq, frozen=frozen,
                                    slots=slots and not _is_native(cls))
            except _NeedsStdlib:
                return dataclasses.dataclass(cls, frozen=frozen, eq=eq, slots=slots)
        return wrap if cls is None else wrap(cls)

__all__ = ["dataclass", "save_method_cache"]


def _is_native(cls: type) -> bool:
    """Whether `cls` is a native class of the compiled build (gust.native): mypyc gives
    those the list of their attributes. It calls the decorator with the class's fields
    taken out, keeps the methods the decorator adds, and stores the fields itself."""
    return "__mypyc_attrs__" in cls.__dict__


def _needs_stdlib(cls: type) -> bool:
    """Whether the class uses what only the standard library's `__init__` does, or is
    derived from a dataclass (whose frozenness the standard library checks)."""
    if any(hasattr(base, "__dataclass_fields__") for base in cls.__mro__[1:]):
        return True
    # (Only the annotated names can hold a `field()`: a scan of the whole class dict
    # cost 4 % of the imports.)
    own = cls.__dict__
    for name, annotation in own.get("__annotations__", {}).items():
        if annotation is dataclasses.KW_ONLY or (annotation.__class__ is not type and \
                ("InitVar" in str(annotation) or "KW_ONLY" in str(annotation))):
            return True
        value = own.get(name)
        if isinstance(value, dataclasses.Field) and value.kw_only is True:
            return True
    return False


def _value_class(cls: type, eq: bool, frozen: bool, slots: bool) -> Any:
    if not cls.__dict__.get("__doc__"):
        # (The standard library would make it from inspect.signature: 7 % of the cost.)
        cls.__doc__ = f"{cls.__name__}({', '.join(inspect.get_annotations(cls))})"
    if slots:  # (a new class, with the fields' slots: the standard library makes it)
        made: Any = dataclasses.dataclass(cls, init=False, repr=False, eq=False, slots=True)
        params = made.__dataclass_params__
        params.init = params.repr = True
        params.eq, params.frozen = eq, frozen
        fields = dataclasses.fields(made)
    else:
        made = cls
        fields = _make_fields(cls, eq=eq, frozen=frozen)
    own = made.__dict__
    # As the standard library: a class body with __eq__ but not __hash__ has __hash__ =
    # None, which is not its own; an own __hash__ is kept; else a frozen class with eq
    # gets one and an unfrozen one has none.
    declared_hash = own.get("__hash__", dataclasses.MISSING)
    own_hash = not (declared_hash is dataclasses.MISSING or
                    (declared_hash is None and "__eq__" in own))
    hashed = eq and frozen and not own_hash
    # A class of the compiled build has its own compiled `__init__`, and a frozen one its
    # `__eq__` and `__hash__` (tools/native_methods.py): then there is nothing to make.
    wanted = "__init__" not in own or (eq and "__eq__" not in own) or hashed
    methods = {**(_compiled(made, fields, eq, hashed=hashed, frozen=frozen) if wanted else {}),
               "__repr__": _repr(fields)}
    if frozen:
        methods["__setattr__"] = _frozen_setattr(made, fields)
        methods["__delattr__"] = _frozen_delattr(made, fields)
    for name, method in methods.items():
        if name not in own or name == "__hash__":
            method.__qualname__ = f"{made.__qualname__}.{name}"
            setattr(made, name, method)
    if eq and not frozen and not own_hash:
        made.__hash__ = None
    if slots:
        for name, method in (("__getstate__", _getstate), ("__setstate__", _setstate)):
            if name not in own:
                setattr(made, name, method)
    return made


def _make_fields(cls: Any, eq: bool, frozen: bool) -> tuple[dataclasses.Field[Any], ...]:
    """What the standard library's `_process_class` does for a class of `_value_class`
    without slots, but for the methods: the fields, from the class's own annotations, with
    their defaults (a class attribute or a `field()`), kept as the class's
    `__dataclass_fields__` for `dataclasses.fields`; the defaults left as class
    attributes; `__dataclass_params__` and `__match_args__`. The standard one does more
    (validations and options these classes never use) for each of ~230 classes at every
    start: 12 M instructions of a check's start-up (docs/performance.md, tenth pass)."""
    own = cls.__dict__
    annotations: dict[str, Any] = own.get("__annotations__", {})
    found: dict[str, dataclasses.Field[Any]] = {}
    for name, annotation in annotations.items():
        if _is_class_var(annotation):
            raise _NeedsStdlib
        default: Any = getattr(cls, name, dataclasses.MISSING)
        if isinstance(default, dataclasses.Field):
            f = default
        else:
            if isinstance(default, types.MemberDescriptorType):
                default = dataclasses.MISSING  # a slot of a base class, not a default
            f = dataclasses.field(default=default)
        f.name = name
        f.type = annotation
        f._field_type = dataclasses._FIELD  # type: ignore[attr-defined]  # what fields() lists
        if f.kw_only is dataclasses.MISSING:
            f.kw_only = False
        if f.default is not dataclasses.MISSING and f.default.__class__.__hash__ is None:
            raise ValueError(f"mutable default {type(f.default)} for field {name} is not "
                             "allowed: use default_factory")
        found[name] = f
    for name, value in own.items():
        if isinstance(value, dataclasses.Field) and name not in annotations:
            raise TypeError(f"{name!r} is a field but has no type annotation")
    for f in found.values():
        if isinstance(own.get(f.name), dataclasses.Field):
            if f.default is dataclasses.MISSING:
                delattr(cls, f.name)
            else:
                setattr(cls, f.name, f.default)
    cls.__dataclass_fields__ = found
    cls.__dataclass_params__ = dataclasses._DataclassParams(  # type: ignore[attr-defined]
        True, True, eq, False, False, frozen)
    if "__match_args__" not in own:
        cls.__match_args__ = tuple(  # type: ignore[misc]
            f.name for f in found.values() if f.init)
    if isinstance(cls, abc.ABCMeta):
        abc.update_abstractmethods(cls)  # type: ignore[arg-type]
    return tuple(found.values())


class _NeedsStdlib(Exception):
    """A class that `_make_fields` leaves to the standard library."""


def _is_class_var(annotation: object) -> bool:
    """Whether an annotation (a string: `from __future__ import annotations`) may be a
    `ClassVar` (the standard library then makes no field of it)."""
    if isinstance(annotation, str):
        return "ClassVar" in annotation
    if annotation.__class__ is type:  # (what mypyc gives for a compiled class's field)
        return False
    return annotation is typing.ClassVar or typing.get_origin(annotation) is typing.ClassVar


def _compiled(cls: type, fields: tuple[dataclasses.Field[Any], ...], eq: bool,
              hashed: bool, frozen: bool) -> dict[str, Any]:
    """`__init__`, and `__eq__` and `__hash__` when asked, compiled from one text (an
    `exec` per class, not one per method): as the standard library's. `__init__` sets
    the fields of a frozen class through their slots' setters (as `object.__setattr__`
    does), of another by assignment, calls factories for the
    arguments left out, sets fields with `init=False` to their default, then calls
    `__post_init__`; `__eq__` and `__hash__` take the tuple of the compared fields."""
    params: list[str] = []
    lines: list[str] = []
    env: dict[str, object] = {"_set": object.__setattr__, "_FACTORY": _FACTORY}
    seen_default = False
    for f in fields:
        default = f"_default_{f.name}"
        if f.default_factory is not dataclasses.MISSING:
            env[default] = f.default_factory
            if f.init:
                params.append(f"{f.name}=_FACTORY")
                value = f"{default}() if {f.name} is _FACTORY else {f.name}"
            else:
                value = f"{default}()"
        elif f.init:
            value = f.name
            if f.default is dataclasses.MISSING:
                if seen_default:
                    raise TypeError(f"non-default argument {f.name!r} follows default argument")
                params.append(f.name)
            else:
                env[default] = f.default
                params.append(f"{f.name}={default}")
        elif f.default is not dataclasses.MISSING:
            env[default] = f.default
            value = default
        else:
            continue
        seen_default = seen_default or (f.init and "=" in params[-1])
        # The slot's own setter: what `object.__setattr__` finds after looking the name up
        # in the class, without the lookup (twice as fast; every node and type is made so).
        slot = cls.__dict__.get(f.name)
        if not frozen:
            lines.append(f"  self.{f.name} = {value}")
        elif isinstance(slot, types.MemberDescriptorType):
            env[f"_set_{f.name}"] = slot.__set__
            lines.append(f"  _set_{f.name}(self, {value})")
        else:
            lines.append(f"  _set(self, {f.name!r}, {value})")
    if hasattr(cls, "__post_init__"):
        lines.append("  self.__post_init__()")
    text = [f"def _make({', '.join(env)}):",
            f" def __init__(self, {', '.join(params)}):", *(lines or ["  pass"])]
    names = ["__init__"]
    if eq:
        compared = "".join(f"self.{f.name}," for f in fields if f.compare)
        text += [" def __eq__(self, other):",
                 "  if other.__class__ is self.__class__:",
                 f"   return ({compared}) == ({compared.replace('self.', 'other.')})",
                 "  return NotImplemented"]
        names.append("__eq__")
    if hashed:
        key = "".join(f"self.{f.name}," for f in fields
                      if (f.compare if f.hash is None else f.hash))
        text += [" def __hash__(self):", f"  return hash(({key}))"]
        names.append("__hash__")
    text.append(f" return {', '.join(names)},")
    scope: dict[str, Any] = {}
    exec(method_cache().code("\n".join(text)), {}, scope)  # (a text made from field names)
    return dict(zip(names, scope["_make"](**env), strict=True))


class _Factory:
    def __repr__(self) -> str:
        return "<factory>"


# The default of an argument whose field has a default factory (as the standard library's).
_FACTORY = _Factory()


def _frozen_setattr(cls: type, fields: tuple[dataclasses.Field[Any], ...]) -> Any:
    names = frozenset(f.name for f in fields)
    owner: Any = cls  # (as a type to super(), which mypy narrows away after the test)

    def __setattr__(self: Any, name: str, value: object) -> None:
        if type(self) is cls or name in names:
            raise dataclasses.FrozenInstanceError(f"cannot assign to field {name!r}")
        super(owner, self).__setattr__(name, value)
    return __setattr__


def _frozen_delattr(cls: type, fields: tuple[dataclasses.Field[Any], ...]) -> Any:
    names = frozenset(f.name for f in fields)
    owner: Any = cls

    def __delattr__(self: Any, name: str) -> None:
        if type(self) is cls or name in names:
            raise dataclasses.FrozenInstanceError(f"cannot delete field {name!r}")
        super(owner, self).__delattr__(name)
    return __delattr__


def _repr(fields: tuple[dataclasses.Field[Any], ...]) -> Any:
    names = tuple(f.name for f in fields if f.repr)

    def __repr__(self: Any) -> str:
        inner = ", ".join(f"{n}={getattr(self, n)!r}" for n in names)
        return f"{self.__class__.__qualname__}({inner})"
    return __repr__


def _getstate(self: Any) -> list[object]:
    return [getattr(self, f.name) for f in dataclasses.fields(self)]


def _setstate(self: Any, state: list[object]) -> None:
    for f, value in zip(dataclasses.fields(self), state, strict=False):
        object.__setattr__(self, f.name, value)


class MethodCache:
    """The code of the texts `_compiled` makes, compiled once per machine and kept on
    disk (`$GUST_CACHE_DIR/methods`, else `${XDG_CACHE_HOME:-~/.cache}/gust/methods`),
    keyed by the text itself, in a file per Python version (marshal's format is
    Python's own). A file that cannot be read is no cache; new code is written when the
    process ends (`save`)."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.codes: dict[str, types.CodeType] = {}
        self.used: set[str] = set()
        self.new = 0
        with contextlib.suppress(Exception):  # missing, unreadable or from elsewhere
            with open(path, "rb") as file:
                found = marshal.loads(file.read())
            if isinstance(found, dict):
                self.codes = found

    def code(self, text: str) -> types.CodeType:
        found = self.codes.get(text)
        if found is None:
            found = self.codes[text] = compile(text, "<gust.frozen>", "exec")
            self.new += 1
        self.used.add(text)
        return found

    def save(self) -> None:
        """Write the cache if this process compiled something new (atomically: another
        process may be reading it). A cache that cannot be written is no cache."""
        if not self.new:
            return
        import tempfile

        with contextlib.suppress(OSError):
            directory = os.path.dirname(self.path)
            os.makedirs(directory, exist_ok=True)
            fd, temporary = tempfile.mkstemp(dir=directory, suffix=".tmp")
            try:
                # Other processes' classes are kept (the server makes more than `gust
                # check`), unless most of the cache is code no class made here uses (the
                # classes of older versions of the code).
                kept = self.codes if len(self.codes) <= 2 * len(self.used) else \
                    {text: self.codes[text] for text in self.used}
                with os.fdopen(fd, "wb") as file:
                    marshal.dump(kept, file)
                os.replace(temporary, self.path)
                self.new = 0
            finally:
                with contextlib.suppress(OSError):
                    os.unlink(temporary)


def _method_cache_path() -> str:
    explicit = os.environ.get("GUST_CACHE_DIR")
    base = explicit or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache"),
        "gust")
    return os.path.join(base, "methods", f"{sys.implementation.cache_tag}.marshal")


@functools.cache
def method_cache() -> MethodCache:
    """The process's cache, loaded at the first class made; saved when the process ends
    (atexit, and `gust check`'s early exit calls `save_method_cache`)."""
    import atexit

    cache = MethodCache(_method_cache_path())
    atexit.register(cache.save)
    return cache


def save_method_cache() -> None:
    method_cache().save()
