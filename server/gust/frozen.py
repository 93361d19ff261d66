"""`dataclass`, as the standard library's, made cheaply for frozen slotted value classes.

Gust's values (AST nodes, types, signatures, results) are frozen dataclasses with slots,
about 230 classes created at every start of `gust check` and the server. The standard
`dataclasses.dataclass` compiles each generated method from source text (`__init__`,
`__repr__`, `__eq__`, `__hash__`, `__setattr__`, `__delattr__`): five or six `exec`s
per class, 80 % of the 100 ms the classes took to create, before any file was read.

For `@dataclass(frozen=True, slots=True)` (with or without `eq=False`) this `dataclass`
lets the standard library do the bookkeeping it does without compiling anything (the
fields, with their defaults and factories, `__match_args__`, the slotted class), then
compiles `__init__`, `__eq__` and `__hash__` (hot: every node and type is made by one,
types are compared and hashed all the time) from one text, and gives the class methods
made without compiling for the rest: `__repr__`, `__setattr__` and `__delattr__`
raising `FrozenInstanceError`, `__getstate__`/`__setstate__` for pickling and copying. They mean what the generated ones mean (same results, same hash values), and
the class is a dataclass for `dataclasses.fields`, `replace` and `is_dataclass`. Anything
else (not frozen, no slots, `InitVar`s, keyword-only fields, a subclass of a dataclass) goes to the standard library
unchanged. Type checkers see the standard `dataclass` (the import below), and so does a
class of the compiled build (gust.native): mypyc makes it native from the standard one.
"""

from __future__ import annotations

import dataclasses
import inspect
import types
from typing import TYPE_CHECKING, Any

from gust import native

if TYPE_CHECKING:
    from dataclasses import dataclass as dataclass
else:
    def dataclass(cls: type | None = None, /, *, frozen: bool = False, eq: bool = True,
                  slots: bool = False) -> Any:
        def wrap(cls: type) -> type:
            if cls.__module__ in native.COMPILED_MODULES:
                # A class of the compiled build (gust.native): mypyc makes it native from
                # what the standard decorator makes.
                return dataclasses.dataclass(cls, frozen=frozen, eq=eq, slots=slots)
            if frozen and slots and not _needs_stdlib(cls):
                return _frozen_slotted(cls, eq)
            return dataclasses.dataclass(cls, frozen=frozen, eq=eq, slots=slots)
        return wrap if cls is None else wrap(cls)

__all__ = ["dataclass"]


def _needs_stdlib(cls: type) -> bool:
    """Whether the class uses what only the standard library's `__init__` does, or is
    derived from a dataclass (whose frozenness the standard library checks)."""
    if any(hasattr(base, "__dataclass_fields__") for base in cls.__mro__[1:]):
        return True
    annotations = inspect.get_annotations(cls)
    return any("InitVar" in str(a) or "KW_ONLY" in str(a) for a in annotations.values()) or \
        any(isinstance(v, dataclasses.Field) and v.kw_only is True
            for v in cls.__dict__.values())


def _frozen_slotted(cls: type, eq: bool) -> Any:
    if not cls.__dict__.get("__doc__"):
        # (The standard library would make it from inspect.signature: 7 % of the cost.)
        cls.__doc__ = f"{cls.__name__}({', '.join(inspect.get_annotations(cls))})"
    made: Any = dataclasses.dataclass(cls, init=False, repr=False, eq=False, slots=True)
    params = made.__dataclass_params__
    params.init = params.repr = params.frozen = True
    params.eq = eq
    fields = dataclasses.fields(made)
    own = made.__dict__
    # As the standard library: a class defining __hash__ itself keeps it (a class body
    # with __eq__ but not __hash__ has __hash__ = None, which is not its own).
    hashed = eq and own.get("__hash__") is None and \
        not ("__hash__" in own and "__eq__" not in own)
    methods = {**_compiled(made, fields, eq, hashed),
               "__setattr__": _frozen_setattr(made, fields),
               "__delattr__": _frozen_delattr(made, fields), "__repr__": _repr(fields)}
    for name, method in methods.items():
        if name not in own or name == "__hash__":
            method.__qualname__ = f"{made.__qualname__}.{name}"
            setattr(made, name, method)
    for name, method in (("__getstate__", _getstate), ("__setstate__", _setstate)):
        if name not in own:
            setattr(made, name, method)
    return made


def _compiled(cls: type, fields: tuple[dataclasses.Field[Any], ...], eq: bool,
              hashed: bool) -> dict[str, Any]:
    """`__init__`, and `__eq__` and `__hash__` when asked, compiled from one text (an
    `exec` per class, not one per method): as the standard library's for a frozen class.
    `__init__` sets the fields through their slots' setters (as `object.__setattr__`
    does), calls factories for the
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
        if isinstance(slot, types.MemberDescriptorType):
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
    exec("\n".join(text), {}, scope)  # (a text made above from field names)
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
