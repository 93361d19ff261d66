"""The other Gust packages of a Go module, for `use textkit::tokenize;` (gust.ide.analysis's
`GustPackages`).

A Gust package is a directory of `.gust` files; inside a Go module (a `go.mod` in the
directory or above) every other Gust library of the same module is a crate the package
may use, named like its Go package (`text-kit` -> `textkit`, gust.codegen.package_names)
and imported by Go as the module path plus the directory (`example.com/shop/textkit`).
Directories that `go build ./...` skips (`testdata`, `vendor`, `.` and `_` directories)
and nested modules are not searched. Two directories with the same name make neither a
crate (the name would be ambiguous).

The listing of a module is cached for a moment (an editor asks on every keystroke) and
texts by modification time.
"""

from __future__ import annotations

import os
import re
import time
from collections.abc import Mapping
from dataclasses import field
from pathlib import Path

from gust.codegen.package_names import go_package_name
from gust.frozen import dataclass
from gust.ide.analysis import GustPackage

_SKIPPED = frozenset({"testdata", "vendor", "node_modules"})
_MODULE = re.compile(r"^\s*module\s+(\S+)", re.MULTILINE)
# How long a module's listing is trusted (seconds).
_LISTING_TTL = 2.0


@dataclass
class GustModulePackages:
    """`GustPackages` from the disk."""

    _listings: dict[str, tuple[float, dict[str, GustPackage]]] = field(default_factory=dict)
    _texts: dict[str, tuple[float, str]] = field(default_factory=dict)

    def packages(self, directory: str) -> Mapping[str, GustPackage]:
        found = _go_mod(Path(directory))
        if found is None:
            return {}
        root, module = found
        key = str(root)
        cached = self._listings.get(key)
        now = time.monotonic()
        if cached is None or now - cached[0] > _LISTING_TTL:
            cached = (now, _list(root, module))
            self._listings[key] = cached
        own = str(Path(directory).resolve())
        return {name: pkg for name, pkg in cached[1].items()
                if str(Path(pkg.directory).resolve()) != own}

    def text(self, path: str) -> str | None:
        try:
            mtime = os.stat(path).st_mtime
            cached = self._texts.get(path)
            if cached is not None and cached[0] == mtime:
                return cached[1]
            text = Path(path).read_bytes().decode("utf-8", errors="replace")
        except OSError:
            return None
        self._texts[path] = (mtime, text)
        return text


def module_of(directory: Path) -> tuple[Path, str] | None:
    """The root of the Go module `directory` is in, and its module path."""
    return _go_mod(directory)


def _go_mod(directory: Path) -> tuple[Path, str] | None:
    """The root of the Go module `directory` is in, and its module path."""
    try:
        start = directory.resolve()
    except OSError:
        return None
    for d in [start, *start.parents]:
        go_mod = d / "go.mod"
        if go_mod.is_file():
            try:
                match = _MODULE.search(go_mod.read_text(encoding="utf-8", errors="replace"))
            except OSError:
                return None
            return (d, match.group(1)) if match else None
    return None


def _list(root: Path, module: str) -> dict[str, GustPackage]:
    found: dict[str, list[GustPackage]] = {}
    for current, dirs, names in os.walk(root):
        here = Path(current)
        dirs[:] = sorted(d for d in dirs if d not in _SKIPPED and not d.startswith((".", "_"))
                         and not (here / d / "go.mod").exists())
        gust = sorted(n for n in names if n.endswith(".gust"))
        if not gust:
            continue
        rel = here.relative_to(root).as_posix()
        name = go_package_name(str(here))
        import_path = module if rel == "." else f"{module}/{rel}"
        # The paths as the rest of the analysis names them (the directory as found).
        files = tuple(str(here / n) for n in gust)
        found.setdefault(name, []).append(GustPackage(name, str(here), import_path, files))
    return {name: pkgs[0] for name, pkgs in found.items() if len(pkgs) == 1}
