"""The real gust-lsp, fuzzed through pytest-lsp (no mocks): random edit sequences over the
test programs, interleaved with requests (tests/tools/lspfuzz.py draws and checks them).

What a user would notice if this failed: the server dies or hangs while they type, its text
drifts from the editor's (every later diagnostic on the wrong line), its diagnostics differ
from `gust check`'s, or a request fails with an error instead of an answer.

Bounded here (a fixed seed, ~30 s); bench/lsp_fuzz.py runs as many sequences as asked.
`GUST_LSP_FUZZ_SEED=N` replays another seed.
"""

from __future__ import annotations

import os
import random
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import pytest_lsp
from lsprotocol import types as lsp
from pytest_lsp import ClientServerConfig, client_capabilities

from test_lsp import SERVER, GustClient, make_client
from tools.lspfuzz import Fuzzer, compare_with_check, counts, programs

pytestmark = pytest.mark.filterwarnings("error::pytest_lsp.LspSpecificationWarning")
SERVER_LOOP = pytest.mark.asyncio(loop_scope="module")

SEED = int(os.environ.get("GUST_LSP_FUZZ_SEED", "20261126"))
SEQUENCES = 16
STEPS = 30


@pytest_lsp.fixture(  # type: ignore[untyped-decorator]
    config=ClientServerConfig(server_command=SERVER, client_factory=make_client),
    scope="module",
)
async def client(lsp_client: GustClient,
                 tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[None]:
    await lsp_client.initialize_session(lsp.InitializeParams(
        capabilities=client_capabilities("visual-studio-code"),
        root_uri=tmp_path_factory.mktemp("fuzz-workspace").as_uri(),
    ))
    yield
    await lsp_client.shutdown_session()


@SERVER_LOOP
async def test_random_edit_sequences_keep_the_server_in_step(client: GustClient,
                                                              tmp_path: Path) -> None:
    print(f"lsp fuzz seed: {SEED} (GUST_LSP_FUZZ_SEED={SEED} replays it)")
    fuzzer = Fuzzer(client, client.published, client.log_messages, tmp_path, SEED)
    found = programs()
    rng = random.Random(SEED)
    # The short programs of tests/programs first (typical files), then any test program.
    for index in range(SEQUENCES):
        await fuzzer.run(index, rng.choice(found), STEPS)
    compare_with_check(fuzzer, fuzzer.done)
    c = counts(fuzzer.done)
    print(c)
    assert c["sequences"] == SEQUENCES and c["edits"] > SEQUENCES * STEPS // 3
    assert c["ok"] > c["requests"] // 2  # most requests were really answered
