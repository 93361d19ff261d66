"""Shared test setup.

One Go build cache for the whole test session (a cold cache costs ~10 s per build, a warm
one well under a second), and Go kept offline and on the local toolchain, for every
subprocess the tests start (gust run, go build, go vet)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest


@pytest.fixture(scope="session", autouse=True)
def go_environment(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    cache = Path(os.environ.get("GUST_TEST_GOCACHE") or tmp_path_factory.mktemp("gocache"))
    config = tmp_path_factory.mktemp("xdg-config")
    saved = {k: os.environ.get(k) for k in ("GOCACHE", "XDG_CONFIG_HOME", "GOTOOLCHAIN",
                                             "GOPROXY", "GOFLAGS", "GOTELEMETRY")}
    os.environ.update({
        "GOCACHE": str(cache),
        "XDG_CONFIG_HOME": str(config),
        "GOTOOLCHAIN": "local",
        "GOPROXY": "off",
        "GOFLAGS": "-mod=mod",
        "GOTELEMETRY": "off",
    })
    yield cache
    for key, value in saved.items():
        if value is None:
            os.environ.pop(key, None)
        else:
            os.environ[key] = value
