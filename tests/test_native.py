"""The compiled build (tools/compile_native.py, gust.native): used while it matches the
sources, never once a source is edited, and giving what the sources give."""

from __future__ import annotations

import ast
import copy
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).parent.parent
SERVER = ROOT / "server"
BUILT = (SERVER / "gust" / "_native.stamp").exists()
needs_build = pytest.mark.skipif(
    not BUILT, reason="no compiled build in this tree (tools/compile_native.py was not run "
                      "or could not compile: see its message in ./run test's output)")

PROBE = ("import gust.native, gust.sema.types as m; "
         "print(gust.native.COMPILED, m.__file__.rsplit('.', 1)[-1], getattr(m, 'EDITED', 0))")


def probe(server: Path, **env: str) -> str:
    done = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True,
                          env={**os.environ, "PYTHONPATH": str(server), **env}, check=True)
    return done.stdout.strip()


def gust_check(path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "gust", "check", "--no-cache", str(path)],
                          capture_output=True, text=True, cwd=ROOT,
                          env={**os.environ, "PYTHONPATH": str(SERVER), **env})


@needs_build
def test_the_build_is_used_while_it_matches_the_sources() -> None:
    assert probe(SERVER) == "True so 0"


@needs_build
def test_gust_pure_loads_every_module_from_its_source() -> None:
    assert probe(SERVER, GUST_PURE="1") == "False py 0"


@needs_build
def test_an_edited_source_is_used_not_the_older_build(tmp_path: Path) -> None:
    server = tmp_path / "server"
    shutil.copytree(SERVER, server, symlinks=False,
                    ignore=shutil.ignore_patterns("__pycache__"))
    # copytree keeps modification times (copy2): the copy's build still matches.
    assert probe(server) == "True so 0"
    types_py = server / "gust" / "sema" / "types.py"
    types_py.write_text(types_py.read_text(encoding="utf-8") + "\nEDITED = 1\n",
                        encoding="utf-8")
    # Every module from its source, not only the edited one (no mix of old and new code).
    assert probe(server) == "False py 1"


@needs_build
def test_compiled_and_interpreted_checks_report_the_same() -> None:
    compiled = gust_check(ROOT / "examples")
    pure = gust_check(ROOT / "examples", GUST_PURE="1")
    assert compiled.returncode == pure.returncode == 1  # examples/mistakes
    assert "E0382" in compiled.stderr
    assert (compiled.stdout, compiled.stderr) == (pure.stdout, pure.stderr)


TABLES_PROBE = ("import sys, gust.native; from gust.syntax import tables; tables.load(); "
                "print(gust.native.COMPILED, 'lark' in sys.modules)")


@pytest.mark.parametrize("pure", [
    pytest.param(False, marks=needs_build, id="compiled"), pytest.param(True, id="sources")])
def test_the_parser_tables_are_built_once_then_read_from_disk(tmp_path: Path,
                                                              pure: bool) -> None:
    # Building them imports lark and takes about 0.1 s of every process; the compiled
    # build once failed to read its own cache back (a compiled frozen dataclass does not
    # unpickle field by field) and rebuilt them every time.
    env = {**os.environ, "PYTHONPATH": str(SERVER), "GUST_CACHE_DIR": str(tmp_path)}
    if pure:
        env["GUST_PURE"] = "1"
    else:
        env.pop("GUST_PURE", None)

    def run() -> str:
        return subprocess.run([sys.executable, "-c", TABLES_PROBE], capture_output=True,
                              text=True, env=env, check=True).stdout.strip()

    assert run() == f"{not pure} True"  # built: lark imported
    assert run() == f"{not pure} False"  # read back: lark not needed


SAMPLE = '''
from __future__ import annotations
from dataclasses import dataclass, field

@dataclass(frozen=True, slots=True)
class Span:
    start: int
    end: int = 0
    seen: int = field(default=7, init=False, compare=False)

    def __post_init__(self) -> None:
        if self.start > self.end and self.end:
            raise ValueError("backwards")

@dataclass
class Scope:
    names: dict[str, int]
    parent: Scope | None = None

@dataclass
class Made:
    items: list[int] = field(default_factory=list)

@dataclass(frozen=True)
class Own:
    x: int

    def __init__(self, x: int) -> None:
        object.__setattr__(self, "x", x * 2)

@dataclass(frozen=True)
class Later:
    tags: set[str] = field(default_factory=set)
    named: dict[str, int] = field(default_factory=lambda: {"a": 1})
    seen: list[int] = field(default_factory=list, init=False)

class Base:
    __slots__ = ()

    def kind(self) -> str:
        return type(self).__name__

@dataclass(frozen=True, slots=True)
class Derived(Base):
    x: int

@dataclass
class FromDataclass(Scope):
    extra: int = 0

@dataclass
class MaybeList:
    items: list[int] | None = field(default_factory=list)
'''


def _add_methods(text: str) -> str:
    sys.path.insert(0, str(ROOT / "tools"))
    try:
        from native_methods import add_methods
    finally:
        sys.path.remove(str(ROOT / "tools"))
    return add_methods(text)


def test_the_builds_copy_has_each_dataclass_init_written_as_the_standard_librarys() -> None:
    written = _add_methods(SAMPLE)
    # Own keeps its own; FromDataclass (a dataclass base), MaybeList (a factory for an
    # optional field) and Later (a lambda factory) keep the decorator's.
    assert written.count("def __init__") == 5
    standard: dict[str, object] = {}
    exec(SAMPLE, standard)
    ours: dict[str, object] = {}
    exec(written, ours)
    assert "__init__" in vars(ours["Span"]) and "__init__" in vars(ours["Scope"])
    for args in [(1,), (1, 5), (0, 0)]:
        made = [namespace["Span"](*args) for namespace in (standard, ours)]  # type: ignore[operator]
        assert [(s.start, s.end, s.seen) for s in made] == [(made[0].start, made[0].end, 7)] * 2
    for namespace in (standard, ours):
        with pytest.raises(ValueError, match="backwards"):
            namespace["Span"](5, 1)  # type: ignore[operator]
        with pytest.raises(TypeError):
            namespace["Span"](1, 2, 3)  # type: ignore[operator]
        scope = namespace["Scope"]({"a": 1})  # type: ignore[operator]
        assert (scope.names, scope.parent) == ({"a": 1}, None)
    assert ours["Own"](2).x == 4  # type: ignore[operator,attr-defined]
    with_init = {node.name for node in ast.parse(written).body if isinstance(node, ast.ClassDef)
                 and any(isinstance(s, ast.FunctionDef) and s.name == "__init__"
                         for s in node.body)}
    # Later has a lambda factory: it keeps the decorator's too.
    assert with_init == {"Span", "Scope", "Own", "Made", "Derived"}
    for namespace in (standard, ours):
        made, other = namespace["Made"](), namespace["Made"]()  # type: ignore[operator]
        assert made.items == [] and made.items is not other.items  # a new list each
        assert namespace["Made"]([3]).items == [3]  # type: ignore[operator]
        later = namespace["Later"]()  # type: ignore[operator]
        assert (later.tags, later.named, later.seen) == (set(), {"a": 1}, [])
        assert namespace["Later"]({"x"}).tags == {"x"}  # type: ignore[operator]
        with pytest.raises(TypeError):
            namespace["Later"]({"x"}, {}, [1])  # type: ignore[operator]  # seen: init=False
        derived = namespace["Derived"](5)  # type: ignore[operator]
        assert (derived.x, derived.kind()) == (5, "Derived")
        assert namespace["FromDataclass"]({}, None, 2).extra == 2  # type: ignore[operator]


EQUALITY_SAMPLE = '''
from dataclasses import dataclass, field

@dataclass(frozen=True, slots=True)
class Int:
    kind: str

@dataclass(frozen=True)
class Span:
    start: int
    end: int = 0
    seen: int = field(default=7, compare=False)

@dataclass(frozen=True)
class Unit:
    pass

@dataclass(frozen=True)
class Wide(Int):  # (not a plain base: left to the decorator)
    bits: int = 64

@dataclass(frozen=True, eq=False)
class Node:
    kind: str

@dataclass
class Scope:
    names: dict[str, int]

@dataclass(frozen=True)
class Own:
    x: int

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Own) and other.x % 2 == self.x % 2
'''


def _defines(text: str) -> dict[str, set[str]]:
    return {node.name: {s.name for s in node.body if isinstance(s, ast.FunctionDef)}
            for node in ast.parse(text).body if isinstance(node, ast.ClassDef)}


def test_the_builds_copy_has_frozen_dataclasses_eq_and_hash_as_the_standard_librarys() -> None:
    written = _add_methods(EQUALITY_SAMPLE)
    defined = _defines(written)
    # Frozen with eq: both written; eq=False (compared by identity), unfrozen (not
    # hashable), an own __eq__ and a dataclass base: left to the decorator.
    assert {name for name, methods in defined.items() if "__hash__" in methods} == \
        {"Int", "Span", "Unit"}
    assert "__eq__" not in defined["Node"] | defined["Scope"] | defined["Wide"]
    # Frozen with every field a constructor argument: pickled and copied by the constructor.
    assert {name for name, methods in defined.items() if "__reduce__" in methods} == \
        {"Int", "Span", "Unit", "Node", "Own"}
    standard: dict[str, object] = {}
    exec(EQUALITY_SAMPLE, standard)
    ours: dict[str, object] = {}
    exec(written, ours)

    def verdicts(ns: dict[str, object]) -> list[object]:
        Int, Span, Unit, Wide, Node, Own = (ns[n] for n in
                                            ("Int", "Span", "Unit", "Wide", "Node", "Own"))
        values: list[object] = [Int("i32"), Int("i32"), Int("u8"), Span(1, 2), Span(1, 2, 9),  # type: ignore[operator]
                                Span(2, 1), Unit(), Unit(), Wide("i32"), Node("a"), Node("a"),  # type: ignore[operator]
                                Own(1), Own(3)]  # type: ignore[operator]
        equal = [[a == b for b in values] for a in values]
        unequal = [[a != b for b in values] for a in values]
        hashes = [hash(v) == hash(w) for v in values for w in values
                  if v.__hash__ is not None and w.__hash__ is not None]  # type: ignore[misc]
        return [equal, unequal, hashes, {Int("i32"): 1}[Int("i32")],  # type: ignore[operator]
                Int("i32") == "i32", hash(Span(1, 2)) == hash((1, 2))]  # type: ignore[operator]

    assert verdicts(ours) == verdicts(standard)
    span = ours["Span"](1, 2, 9)  # type: ignore[operator]
    assert (copy.copy(span).start, copy.copy(span).end, copy.copy(span).seen) == (1, 2, 9)
    assert copy.deepcopy(ours["Node"]("a")).kind == "a"  # type: ignore[operator]
    # What the verdicts mean, from the standard library's rules: the very same class and
    # equal compared fields (`seen` is not compared), so a subclass's value differs.
    s = verdicts(standard)
    assert s[0][0][1] and not s[0][0][2] and s[0][3][4] and not s[0][3][5] and s[0][6][7]
    assert not s[0][0][8] and not s[0][9][10] and s[0][11][12] and s[5]
