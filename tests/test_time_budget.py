"""A pathological item cannot hang the analysis (issue 11, part 4): each item has a time
budget (gust.budget); an item over it gets the `time_budget` warning on its name, the other
items are still checked, in `gust check` and in the language server, which keeps answering.

The pathological input is real, found by feeding the checker growing programs: a function
whose every `let` doubles the type of its value, `let x2 = (x1, x1);`, which type inference
walks in time exponential in the number of lets (24 lets: far beyond any budget).
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest
from lsprotocol import types as lsp

from gust.budget import Budget, OutOfTime
from gust.diagnostics import TIME_BUDGET
from gust.ide.analysis import AnalysisHost
from test_lsp import (
    GustClient,
    diagnostics_for,
    hover_text,
    markdown,
    no_internal_errors,
    open_doc,
    position,
)

LETS = 24
PATHOLOGICAL = (
    "fn helper() -> i32 {\n    let s: i32 = \"no\";\n    s\n}\n\n"
    "fn blowup() {\n    let x0 = 1;\n" +
    "".join(f"    let x{i + 1} = (x{i}, x{i});\n" for i in range(LETS)) +
    "}\n\nfn main() {\n    println!(\"{}\", helper());\n}\n")


def test_a_budget_runs_out_only_after_its_seconds() -> None:
    now = [0.0]
    budget = Budget(2.0, clock=lambda: now[0])
    for _ in range(1000):
        budget.poll()
    now[0] = 2.5
    with pytest.raises(OutOfTime):
        for _ in range(1000):  # the clock is read every few hundred polls
            budget.poll()
    unlimited = Budget(None)
    for _ in range(1000):
        unlimited.poll()


def test_an_item_over_its_budget_gives_up_and_the_others_are_checked() -> None:
    host = AnalysisHost()
    host.time_budget = 0.5
    host.set_text("/p/main.gust", PATHOLOGICAL)
    started = time.monotonic()
    analysis = host.analyze("/p/main.gust")
    assert time.monotonic() - started < 20  # (0.5 s and the other items, on a loaded CI)
    diags = analysis.diagnostics()
    assert [(x.code, x.severity.name) for x in diags] == [("E0308", "ERROR"),
                                                          (TIME_BUDGET, "WARNING")]
    gave_up = diags[1]
    assert gave_up.message == "analysis of `blowup` gave up after 0.5 s"
    assert PATHOLOGICAL[gave_up.span.start:gave_up.span.end] == "blowup"
    # Cached like any analysis: an edit elsewhere does not pay the budget again.
    edited = PATHOLOGICAL.replace("\"{}\", helper()", "\"{}\", helper() + 1")
    host.set_text("/p/main.gust", edited)
    started = time.monotonic()
    host.analyze("/p/main.gust")
    assert host.rechecked == 1 and time.monotonic() - started < 0.5


def test_gust_check_reports_the_item_that_gave_up(tmp_path: Path) -> None:
    source = tmp_path / "slow.gust"
    source.write_text(PATHOLOGICAL, encoding="utf-8")
    started = time.monotonic()
    result = subprocess.run([sys.executable, "-m", "gust", "check", "--no-cache",
                             "--time-budget", "0.5", "--color", "never", str(source)],
                            text=True, capture_output=True, timeout=120)
    assert time.monotonic() - started < 60
    out = result.stdout + result.stderr
    assert result.returncode == 1, out  # the error in `helper`
    assert "error[E0308]: mismatched types" in out
    assert "warning[time_budget]: analysis of `blowup` gave up after 0.5 s" in out
    assert f"{source}:6:4" in out  # on the function's name


@pytest.mark.asyncio
async def test_the_server_gives_up_on_the_item_and_keeps_answering(
        tmp_path: Path) -> None:
    from pytest_lsp import ClientServerConfig, client_capabilities

    from test_lsp import SERVER, make_client
    config = ClientServerConfig(server_command=SERVER, client_factory=make_client)
    client: GustClient = await config.start()
    try:
        await client.initialize_session(lsp.InitializeParams(
            capabilities=client_capabilities("visual-studio-code"),
            root_uri=tmp_path.as_uri()))
        uri = (tmp_path / "main.gust").as_uri()
        open_doc(client, uri, PATHOLOGICAL)
        # A hover sent while the analysis runs is answered (after the item gives up).
        started = time.monotonic()
        found = await hover_text(client, uri, position(PATHOLOGICAL, "s\n}"))
        assert "let s: i32" in markdown(found)
        assert time.monotonic() - started < 30
        diags = await diagnostics_for(client, uri, 1)
        assert [(x.code, x.severity) for x in diags] == [
            ("E0308", lsp.DiagnosticSeverity.Error),
            (TIME_BUDGET, lsp.DiagnosticSeverity.Warning)]
        assert diags[1].message.startswith("analysis of `blowup` gave up after 2.0 s")
        assert diags[1].range.start == position(PATHOLOGICAL, "blowup")
        assert diags[1].code_description is not None
        assert diags[1].code_description.href.endswith("time_budget.md")
        # Completion inside the function re-checks it (with the placeholder): within the
        # budget too, and answered.
        inside = position(PATHOLOGICAL, "x0, x0)", delta=2)
        started = time.monotonic()
        await client.text_document_completion_async(lsp.CompletionParams(
            text_document=lsp.TextDocumentIdentifier(uri=uri), position=inside))
        assert time.monotonic() - started < 30
        no_internal_errors(client)
        await client.shutdown_session()
    finally:
        process = client._server
        if process is not None and process.returncode is None:
            process.kill()
        await client.stop()
