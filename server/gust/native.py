"""Whether this process runs Gust's compiled build, and the rule that keeps it honest.

`tools/compile_native.py` compiles the analysis layers (syntax, sema, borrowck, codegen and
the plain-data modules they share) with mypyc into extension modules beside their sources,
as mypy and black ship: the same Python, several times faster (docs/performance.md). The
sources stay the truth. The build writes `_native.stamp`: the size and modification time
of every source it compiled. An extension module is used only while all of them still
match; once any source is edited (or `GUST_PURE=1` is set), every gust module is loaded
from its `.py` file, so an edit is never shadowed by an older build and a half-stale mix
of compiled and interpreted modules never happens. `gust/__init__.py` imports this module
first; this module and `gust.frozen` are never compiled themselves.
"""

from __future__ import annotations

import importlib.machinery
import importlib.util
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from types import ModuleType

PACKAGE_DIR = Path(__file__).parent
STAMP = PACKAGE_DIR / "_native.stamp"
# Set to any value other than 0: load every module from its source even when the build
# matches (to compare the two, or to debug with Python's own tracebacks).
PURE_ENV = "GUST_PURE"


def source_state(relative: str) -> list[int]:
    """What the stamp records for a source (a path relative to the package's parent)."""
    st = os.stat(PACKAGE_DIR.parent / relative)
    return [st.st_size, st.st_mtime_ns]


def _matching_build() -> frozenset[str]:
    """The modules the build compiled, if it matches the sources; else none."""
    try:
        recorded = json.loads(STAMP.read_text(encoding="utf-8"))
        sources: dict[str, list[int]] = recorded["sources"]
        if recorded["abi"] != sys.implementation.cache_tag or \
                any(source_state(path) != state for path, state in sources.items()):
            return frozenset()
    except (OSError, ValueError, KeyError, TypeError):
        return frozenset()
    return frozenset(_module_name(path) for path in sources)


def _module_name(path: str) -> str:
    """`gust/sema/check/__init__.py` -> `gust.sema.check`."""
    return path.removesuffix(".py").removesuffix("/__init__").replace("/", ".")


class _SourcesFirst:
    """Finds gust's modules as the standard path finder does, but only their `.py` files
    (a meta path finder; not derived from `importlib.abc`, whose import costs 15 ms)."""

    def find_spec(self, fullname: str, path: Sequence[str] | None,
                  target: ModuleType | None = None) -> importlib.machinery.ModuleSpec | None:
        if not fullname.startswith("gust.") or path is None:
            return None
        name = fullname.rpartition(".")[2]
        for entry in path:
            package = os.path.join(entry, name)
            init = os.path.join(package, "__init__.py")
            if os.path.isfile(init):
                return importlib.util.spec_from_file_location(
                    fullname, init, submodule_search_locations=[package])
            source = package + ".py"
            if os.path.isfile(source):
                return importlib.util.spec_from_file_location(fullname, source)
        return None


def _decide() -> frozenset[str]:
    # (No stamp: no build, or one being made, whose extension modules may already be
    # beside sources they do not match.)
    compiled = _matching_build() if STAMP.exists() and \
        os.environ.get(PURE_ENV, "0") in ("", "0") else frozenset()
    if not compiled:
        sys.meta_path.insert(0, _SourcesFirst())
    return compiled


# Decided once, before any other gust module is imported (gust/__init__.py): the modules
# this process runs compiled (none, or all that the build compiled).
COMPILED_MODULES: frozenset[str] = _decide()
COMPILED: bool = bool(COMPILED_MODULES)
