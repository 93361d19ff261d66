"""Borrow insight through a real client (issue 7.3): the hover of a variable says where it
is moved and borrowed, and `gust/loans` answers the live ranges an editor paints, under
the VS Code and Neovim profiles."""

from __future__ import annotations

from pathlib import Path

import pytest
from lsprotocol import types as lsp
from pygls.exceptions import JsonRpcInvalidParams

from test_lsp import (  # noqa: F401  (`client` is the module's server fixture)
    SERVER_LOOP,
    GustClient,
    client,
    diagnostics_for,
    hover_text,
    markdown,
    no_internal_errors,
    open_doc,
    position,
    request,
    uri_of,
)

pytestmark = pytest.mark.filterwarnings("error::pytest_lsp.LspSpecificationWarning")

LOANS = "gust/loans"

PROGRAM = """\
fn consume(s: String) {
    println!("{}", s);
}

fn main() {
    let mut v = vec![1, 2, 3];
    let first = &mut v;
    first.push(4);
    let s = String::from("héllo");
    let r = &s;
    if v.len() > 2 {
        println!("{}", r);
    } else {
        println!("none");
    }
    consume(s);
}
"""


def rng(text: str, start: str, end: str, occurrence: int = 0) -> dict[str, object]:
    """The JSON range from the `occurrence`-th `start` to the end of the next `end`."""
    a = position(text, start, occurrence)
    offset = -1
    for _ in range(occurrence + 1):
        offset = text.index(start, offset + 1)
    b = position(text[offset:], end, delta=len(end))
    b_line = a.line + b.line
    b_char = b.character if b.line else a.character + b.character
    return {"start": {"line": a.line, "character": a.character},
            "end": {"line": b_line, "character": b_char}}


def as_json(value: object) -> object:
    """pygls decodes a custom result into namedtuple-like objects: back to plain JSON."""
    if isinstance(value, list | tuple) and not hasattr(value, "_asdict"):
        return [as_json(v) for v in value]
    if hasattr(value, "_asdict"):
        return {k: as_json(v) for k, v in value._asdict().items()}
    if isinstance(value, dict):
        return {k: as_json(v) for k, v in value.items()}
    return value


@SERVER_LOOP
async def test_hover_tells_where_a_variable_is_borrowed_and_moved(
        client: GustClient, tmp_path: Path) -> None:  # noqa: F811
    uri = uri_of(tmp_path)
    open_doc(client, uri, PROGRAM)
    assert await diagnostics_for(client, uri, 1) == []
    found = await hover_text(client, uri, position(PROGRAM, "s = String"))
    assert markdown(found) == ("```gust\nlet s: String\n```\n\n"
                               "- borrowed at 10:13, borrow live until 12:26\n"
                               "- moved into `consume` at line 16")
    found = await hover_text(client, uri, position(PROGRAM, "v.len"))
    assert markdown(found).endswith("\n\n- borrowed mutably at 7:17, borrow live until 8:18")
    no_internal_errors(client)


@SERVER_LOOP
async def test_loans_request_answers_live_ranges_and_moves(
        client: GustClient, tmp_path: Path) -> None:  # noqa: F811
    uri = uri_of(tmp_path)
    open_doc(client, uri, PROGRAM)
    assert await diagnostics_for(client, uri, 1) == []
    params = {"textDocument": {"uri": uri}, "position": {"line": 15, "character": 4}}
    answer = as_json(await request(client, LOANS, params))
    assert isinstance(answer, dict)
    assert answer["uri"] == uri and answer["version"] == 1
    assert answer["function"] == {"name": "main", "range": rng(PROGRAM, "fn main", "\n}")}
    loans = {(x["place"], x["origin"], x["range"]["start"]["line"]): x
             for x in answer["loans"]}
    mutable = loans[("v", "explicit", 6)]
    assert mutable["kind"] == "mut" and mutable["lasting"]
    assert mutable["range"] == rng(PROGRAM, "&mut v", "&mut v")
    assert mutable["liveRanges"] == [rng(PROGRAM, "&mut v", "first.push(4)")]
    shared = loans[("s", "explicit", 9)]
    assert shared["kind"] == "shared"
    # Live in the `then` branch only: from `&s` to the end of `println!("{}", r)`.
    assert shared["liveRanges"] == [rng(PROGRAM, "&s", 'println!("{}", r)')]
    assert answer["moves"] == [{"place": "s", "range": rng(PROGRAM, "s)", "s", 1),
                                "into": "into `consume`", "laterUses": []}]
    # Outside any function: null. A document that is not open: InvalidParams.
    outside = {"textDocument": {"uri": uri}, "position": {"line": 3, "character": 0}}
    assert await request(client, LOANS, outside) is None
    with pytest.raises(JsonRpcInvalidParams):
        await request(client, LOANS, {"textDocument": {"uri": uri_of(tmp_path, "x.gust")},
                                      "position": {"line": 0, "character": 0}})
    no_internal_errors(client)


@SERVER_LOOP
async def test_inlay_hints_show_where_values_are_moved(
        client: GustClient, tmp_path: Path) -> None:  # noqa: F811
    uri = uri_of(tmp_path)
    open_doc(client, uri, PROGRAM)
    assert await diagnostics_for(client, uri, 1) == []
    hints = await client.text_document_inlay_hint_async(lsp.InlayHintParams(
        text_document=lsp.TextDocumentIdentifier(uri=uri), range=lsp.Range(
            start=position(PROGRAM, "fn main"), end=position(PROGRAM, "consume(s)", delta=10))))
    assert hints is not None
    moved = [(h.position, h.label, h.kind, h.padding_left, h.tooltip) for h in hints
             if h.label == "moved"]
    assert moved == [(position(PROGRAM, "s);", 1, delta=1), "moved", None, True,
                      "`s` moved into `consume`")]
    no_internal_errors(client)


@SERVER_LOOP
async def test_explain_answers_the_text_gust_explain_prints(
        client: GustClient) -> None:  # noqa: F811
    """`gust/explain` gives the editors' Explain Error commands the page of docs/errors."""
    page = (Path(__file__).resolve().parent.parent / "docs" / "errors" / "E0382.md"
            ).read_text(encoding="utf-8")
    answer = as_json(await request(client, "gust/explain", {"code": "e0382"}))
    assert answer == {"code": "E0382", "markdown": page}
    assert await request(client, "gust/explain", {"code": "E9999"}) is None
    with pytest.raises(JsonRpcInvalidParams):
        await request(client, "gust/explain", {"textDocument": {"uri": "file:///x.gust"}})
    no_internal_errors(client)
