"""gust.frozen's `dataclass`: what the standard library's makes, made without compiling a
text per method, and its methods' code kept on disk between processes."""

from __future__ import annotations

import copy
import dataclasses
import os
import pickle
import re
import subprocess
import sys
from pathlib import Path
from typing import Any, ClassVar

import pytest

from gust import frozen

SERVER = Path(__file__).parent.parent / "server"


def both(**options: Any) -> list[Any]:
    """The same class body made by the standard library and by gust.frozen."""
    made = []
    for decorator in (dataclasses.dataclass, frozen.dataclass):
        @decorator(**options)
        class Point:
            x: int
            y: int = 0
            tags: list[str] = dataclasses.field(default_factory=list)
            seen: int = dataclasses.field(default=7, init=False, compare=False)
        made.append(Point)
    return made


@pytest.mark.parametrize("options", [
    {"frozen": True, "slots": True}, {"frozen": True}, {}, {"slots": True},
    {"frozen": True, "eq": False}, {"eq": False}], ids=str)
def test_made_classes_behave_as_the_standard_librarys(options: dict[str, bool]) -> None:
    standard, ours = both(**options)
    for cls in (standard, ours):
        a, b, c = cls(1, 2), cls(1, 2), cls(1)
        assert (a == b, a == c, a != c) == (options.get("eq", True), False, True)
        assert repr(c).endswith("Point(x=1, y=0, tags=[], seen=7)")
        assert a.tags is not b.tags  # a new list per instance
        assert dataclasses.replace(a, y=5).y == 5
        assert [f.name for f in dataclasses.fields(cls)] == ["x", "y", "tags", "seen"]
    assert (standard.__hash__ is None) == (ours.__hash__ is None)
    if options.get("frozen"):
        with pytest.raises(dataclasses.FrozenInstanceError):
            ours(1).x = 2  # type: ignore[misc]
        if options.get("eq", True):
            assert hash(ours(1, 2, ("t",))) == hash(standard(1, 2, ("t",)))
    else:
        point = ours(1)
        point.x = 3
        assert point == ours(3) or not options.get("eq", True)


def _described(cls: Any) -> tuple[object, ...]:
    fields = [(f.name, f.type, f.default, f.default_factory, f.init, f.repr, f.compare,
               f.hash, f.kw_only) for f in dataclasses.fields(cls)]
    defaults = {name: vars(cls).get(name, "absent") for name in ("x", "y", "tags", "seen")}
    return fields, cls.__match_args__, repr(cls.__dataclass_params__), defaults


@pytest.mark.parametrize("options", [{"frozen": True}, {}, {"eq": False}], ids=str)
def test_fields_params_and_defaults_are_the_standard_librarys(options: dict[str, bool]
                                                              ) -> None:
    # (gust.frozen makes them itself for a class without slots.)
    standard, ours = both(**options)
    assert _described(ours) == _described(standard)


def test_mistakes_in_a_class_body_are_the_standard_librarys() -> None:
    for decorator in (dataclasses.dataclass, frozen.dataclass):
        with pytest.raises(ValueError, match="mutable default <class 'list'> for field "
                                             "items is not allowed: use default_factory"):
            @decorator
            class Mutable:
                items: list[int] = []  # noqa: RUF012
        with pytest.raises(TypeError, match="'extra' is a field but has no type annotation"):
            @decorator
            class Unannotated:
                a: int
                extra = dataclasses.field(default=1)


def test_class_variables_are_not_fields() -> None:
    @frozen.dataclass(frozen=True)
    class Counted:
        limit: ClassVar[int] = 3
        value: int

    assert [f.name for f in dataclasses.fields(Counted)] == ["value"]
    assert Counted(1) == Counted(1) and Counted.limit == 3


@frozen.dataclass(frozen=True, slots=True)
class Pair:
    left: int
    right: list[str] = dataclasses.field(default_factory=list)


def test_frozen_slotted_values_pickle_and_copy() -> None:
    point = Pair(1, ["a"])
    assert pickle.loads(pickle.dumps(point)) == point
    assert copy.deepcopy(point) == point


def test_post_init_runs_and_argument_order_is_checked() -> None:
    @frozen.dataclass(frozen=True, slots=True)
    class Ranged:
        low: int
        high: int

        def __post_init__(self) -> None:
            if self.low > self.high:
                raise ValueError("empty range")

    with pytest.raises(ValueError, match="empty range"):
        Ranged(2, 1)
    with pytest.raises(TypeError, match="non-default argument"):
        @frozen.dataclass(frozen=True)
        class Bad:
            a: int = 0
            b: int  # type: ignore[misc]


PROBE = ("import gust.sema, gust.borrowck, gust.codegen; from gust import frozen; "
         "cache = frozen.method_cache(); print(len(cache.codes) > 100, cache.new)")


def probe(cache_dir: Path) -> str:
    # From the sources: the compiled build's classes have their methods compiled already
    # (tools/native_methods.py), and only a few make any.
    env = {**os.environ, "PYTHONPATH": str(SERVER), "GUST_CACHE_DIR": str(cache_dir),
           "GUST_PURE": "1"}
    return subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True,
                          env=env, check=True).stdout.split()[-1]


def test_a_second_process_compiles_no_method(tmp_path: Path) -> None:
    first = int(probe(tmp_path))
    assert first > 100  # every value class of the analysis compiled its methods
    assert probe(tmp_path) == "0"  # read back from $GUST_CACHE_DIR/methods


def test_an_unreadable_cache_is_no_cache(tmp_path: Path) -> None:
    cache = tmp_path / "methods" / f"{sys.implementation.cache_tag}.marshal"
    cache.parent.mkdir()
    cache.write_bytes(b"not marshal data")
    assert int(probe(tmp_path)) > 100  # compiled again, and the cache written anew
    assert probe(tmp_path) == "0"


def test_every_dataclass_of_gust_comes_from_gust_frozen() -> None:
    # The standard decorator compiles three to six methods per class at every start.
    direct = re.compile(r"^from dataclasses import .*\bdataclass\b", re.MULTILINE)
    assert [str(path.relative_to(SERVER)) for path in (SERVER / "gust").rglob("*.py")
            if direct.search(path.read_text(encoding="utf-8"))] == []
