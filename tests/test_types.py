"""Sema's composite types (gust.sema.types.Composite): each lists its fields in `parts`,
which its hash, its equality and its pickling go by, so `parts` must be its fields."""

from __future__ import annotations

import dataclasses
import pickle

from gust.sema import types as t

SAMPLES: list[t.Composite] = [
    t.Tuple((t.I32, t.STRING)),
    t.Array(t.BOOL, 4),
    t.Slice(t.CHAR),
    t.Ref(t.STR, True),
    t.Adt("Vec", (t.Float("f32"),)),
    t.Dyn(("Fn",), True, t.FnPtr((t.I32,), t.UNIT), (("Item", t.I64),)),
    t.FnPtr((t.USIZE,), t.NEVER),
    t.Closure(7, (t.I32,), t.BOOL, "FnMut", True, False),
]


def test_every_composite_type_is_sampled() -> None:
    assert {type(s) for s in SAMPLES} == set(t.Composite.__subclasses__())


def test_parts_are_the_fields_but_the_kept_hash() -> None:
    for ty in SAMPLES:
        fields = [f.name for f in dataclasses.fields(ty) if f.name != "_hash"]  # type: ignore[arg-type]
        assert ty.parts() == tuple(getattr(ty, name) for name in fields), type(ty)


def test_equal_types_hash_alike_and_differ_in_any_part() -> None:
    for ty in SAMPLES:
        again = type(ty)(*ty.parts())
        assert again == ty and hash(again) == hash(ty) and again is not ty
        for i, part in enumerate(ty.parts()):
            changed = list(ty.parts())
            changed[i] = _another(part)
            assert type(ty)(*changed) != ty, (type(ty), i)


def test_a_pickled_type_is_equal_and_hashed_anew() -> None:
    for ty in SAMPLES:
        hash(ty)  # kept in `_hash`, which is not pickled
        back = pickle.loads(pickle.dumps(ty))
        assert back == ty and back._hash == 0 and hash(back) == hash(ty)


def _another(part: object) -> object:
    """A value of the part's kind that differs from it."""
    if isinstance(part, bool):
        return not part
    if isinstance(part, int):
        return part + 1
    if isinstance(part, str):
        return part + "x"
    if isinstance(part, tuple):
        return (*part, t.I32)
    if isinstance(part, t.FnPtr):
        return t.FnPtr((), t.CHAR)
    return t.ERROR
