"""Fuzz the real `gust-lsp` through a real LSP client: random edit sequences over every test
program, interleaved with requests (tests/tools/lspfuzz.py says what is drawn and checked).

    .venv/bin/python bench/lsp_fuzz.py --sequences 200 --seed 1 [--steps 40]

Prints the seed, then the counts (sequences, edits, requests and how they were answered) and
every failure with the sequence that caused it; exits 1 if any. A failing sequence is
replayed with the same --seed and `--only INDEX`. The bounded version is
tests/test_lsp_fuzz.py.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "server"), str(ROOT / "tests")]

from lsprotocol import types as lsp  # noqa: E402
from pygls.lsp.client import LanguageClient  # noqa: E402

from tools.lspfuzz import Fuzzer, FuzzFailure, Sequence, compare_with_check, counts, programs  # noqa: E402

SERVER = [sys.executable, "-m", "gust.lsp.server"]


class Recorder:
    def __init__(self) -> None:
        self.published: list[lsp.PublishDiagnosticsParams] = []
        self.logs: list[lsp.LogMessageParams] = []


def make_client(rec: Recorder) -> LanguageClient:
    client = LanguageClient("gust-lsp-fuzz", "0.1")

    @client.feature(lsp.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    def _diagnostics(params: lsp.PublishDiagnosticsParams) -> None:
        rec.published.append(params)

    @client.feature(lsp.WINDOW_LOG_MESSAGE)
    def _log(params: lsp.LogMessageParams) -> None:
        rec.logs.append(params)

    @client.feature("gust/generatedGoChanged")
    def _go_changed(params: Any) -> None:
        return None

    @client.feature(lsp.WORKSPACE_CONFIGURATION)
    def _configuration(params: lsp.ConfigurationParams) -> list[Any]:
        return [None for _ in params.items]

    return client


async def session(args: argparse.Namespace, indices: list[int], workdir: Path,
                  done: list[Sequence], failures: list[str]) -> list[int]:
    """Run sequences on one server until they are done or it fails; the indices left."""
    rec = Recorder()
    client = make_client(rec)
    await client.start_io(*SERVER)
    await client.initialize_async(lsp.InitializeParams(
        capabilities=lsp.ClientCapabilities(
            general=lsp.GeneralClientCapabilities(
                position_encodings=[lsp.PositionEncodingKind.Utf16])),
        root_uri=workdir.as_uri()))
    client.initialized(lsp.InitializedParams())
    fuzzer = Fuzzer(client, rec.published, rec.logs, workdir, args.seed)
    found = programs()
    batch: list[Sequence] = []
    left = list(indices)
    try:
        while left:
            index = left.pop(0)
            program = random.Random(f"{args.seed}:{index}:program").choice(found)
            try:
                seq = await fuzzer.run(index, program, args.steps)
            except FuzzFailure as exc:
                failures.append(f"[sequence {index}] {exc}")
                rec.logs.clear()  # report an error once, for the sequence that caused it
                if client.stopped:
                    return left
                continue
            batch.append(seq)
            done.append(seq)
            if len(batch) >= 20 or not left:
                check(fuzzer, batch, failures)
                batch = []
    finally:
        if batch:
            check(fuzzer, batch, failures)
        try:
            await asyncio.wait_for(client.shutdown_async(None), 10)
            client.exit(None)
            await asyncio.wait_for(client.stop(), 10)
        except Exception as exc:  # a dead server: reported by the sequence that killed it
            print(f"  (stop: {exc!r})", file=sys.stderr)
    return left


def check(fuzzer: Fuzzer, seqs: list[Sequence], failures: list[str]) -> None:
    try:
        compare_with_check(fuzzer, seqs)
    except FuzzFailure as exc:
        failures.append(str(exc))
        # Compare the rest one by one, so that every mismatch is reported.
        for seq in seqs:
            try:
                compare_with_check(fuzzer, [seq])
            except FuzzFailure as one:
                if str(one) != str(exc):
                    failures.append(str(one))


async def main_async(args: argparse.Namespace) -> int:
    print(f"lsp fuzz: seed={args.seed} sequences={args.sequences} steps={args.steps}")
    indices = [args.only] if args.only is not None else list(range(args.sequences))
    done: list[Sequence] = []
    failures: list[str] = []
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="gust-lspfuzz-") as tmp:
        while indices:
            indices = await session(args, indices, Path(tmp), done, failures)
    elapsed = time.perf_counter() - started
    c = counts(done)
    print(f"{c['sequences']} sequences passed, {len(failures)} failed, {c['edits']} edits, "
          f"{c['requests']} requests ({c['ok']} answered, {c['content_modified']} "
          f"ContentModified, {c['cancelled']} RequestCancelled) in {elapsed:.1f} s")
    for failure in failures:
        print(failure)
    return 1 if failures else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sequences", type=int, default=100)
    parser.add_argument("--seed", type=int, default=int(time.time()) % 100_000)
    parser.add_argument("--steps", type=int, default=40, help="steps per sequence")
    parser.add_argument("--only", type=int, help="run only the sequence of this index")
    return asyncio.run(main_async(parser.parse_args()))


if __name__ == "__main__":
    sys.exit(main())
