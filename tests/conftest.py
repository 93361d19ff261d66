"""Shared test setup.

One Go build cache for the whole test session (a cold cache costs ~10 s per build, a warm
one well under a second), and Go kept offline and on the local toolchain, for every
subprocess the tests start (gust run, go build, go vet)."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from lsprotocol import types as lsp
from pytest_lsp import LanguageClient
from pytest_lsp.client import DEFAULT_CLIENT_FEATURES

# The tests start rustc, go and gust from many threads at once (thread pools that batch the
# oracles). With vfork, CI once saw exec fail with EFAULT ("[Errno 14] Bad address: 'rustc'")
# in one of them; a plain fork gives each child its own copy of the parent's memory. This is
# the switch CPython documents for exactly this ("Disabling use of vfork()", subprocess docs).
subprocess._USE_VFORK = False  # type: ignore[attr-defined]


@pytest.fixture(scope="session", autouse=True)
def check_cache_dir(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """`gust check`'s results cache, for the whole session: not the user's."""
    saved = os.environ.get("GUST_CACHE_DIR")
    cache = tmp_path_factory.mktemp("gust-cache")
    os.environ["GUST_CACHE_DIR"] = str(cache)
    yield cache
    if saved is None:
        os.environ.pop("GUST_CACHE_DIR", None)
    else:
        os.environ["GUST_CACHE_DIR"] = saved


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


def _accept_registrations(client: LanguageClient, params: lsp.RegistrationParams) -> None:
    """`client/registerCapability`, answered as VS Code and Neovim do (pytest-lsp's client
    has no handler: the server's dynamic registrations would fail the running test)."""
    recorded = getattr(client, "registrations", None)
    if isinstance(recorded, list):
        recorded.extend(params.registrations)


@pytest.fixture(scope="session", autouse=True)
def lsp_clients_accept_registrations() -> Iterator[None]:
    """Every pytest-lsp client of the session (made after this) accepts registrations."""
    saved = DEFAULT_CLIENT_FEATURES.get(lsp.CLIENT_REGISTER_CAPABILITY)
    DEFAULT_CLIENT_FEATURES[lsp.CLIENT_REGISTER_CAPABILITY] = _accept_registrations
    yield
    if saved is None:
        DEFAULT_CLIENT_FEATURES.pop(lsp.CLIENT_REGISTER_CAPABILITY, None)
    else:
        DEFAULT_CLIENT_FEATURES[lsp.CLIENT_REGISTER_CAPABILITY] = saved
