"""`gust check --format sarif`: a SARIF 2.1.0 log, as GitHub code scanning reads it.

One run, tool `gust`, with a rule per code reported (`tool.driver.rules`): its id (`E0382`),
the title and first paragraph of docs/errors/EXXXX.md as short and full description, the
whole explanation as help (text and Markdown), and `helpUri`, the published page of the
explanation (gust.ide.explain.ERRORS_URL). Diagnostics without a code get the rules
`syntax-error` (errors) and `warning`; the Go backend's `unsupported` has a rule too.

Each result has its rule's index, a level (`error`, `warning`, `note`), the message with
notes and help as further lines, the primary location with its label, the secondary labels
as `relatedLocations`, and a fingerprint. Paths are relative to `%SRCROOT%`, the directory
`gust check` ran in (`originalUriBaseIds` says where that is); a file outside it gets an
absolute `file:` URI. Lines and columns are 1-based, columns count Unicode code points
(`columnKind`), and `endColumn` is the column after the region, as SARIF defines it.

The fingerprint (`partialFingerprints["gust/v1"]`) is a hash of the code, the file, the
message and the text of the primary line (trimmed), with an occurrence number for identical
hashes in one file: it stays the same when lines are added above or below, so code
scanning keeps an alert open across commits rather than closing it and opening another.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Sequence
from pathlib import Path

from gust import __version__
from gust import diagnostics as d
from gust.cli.check import FileResult
from gust.ide import explain
from gust.text import LineIndex, Span

SCHEMA = ("https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/"
          "sarif-schema-2.1.0.json")
INFORMATION_URI = "https://gust-lang.github.io/gust/"
SRCROOT = "%SRCROOT%"
_LEVELS = {d.Severity.ERROR: "error", d.Severity.WARNING: "warning",
           d.Severity.NOTE: "note", d.Severity.HELP: "note"}
# Rules for what has no error code.
_OTHER_RULES = {
    "syntax-error": ("syntax error", "The text is not valid Gust syntax; the message says "
                     "what the parser expected."),
    "warning": ("warning", "A warning without an error code, as rustc's lints give it "
                "(such as an unreachable `match` arm)."),
    "unsupported": ("not supported by the Go backend yet", "The program is valid but uses "
                    "a construct the Go backend cannot translate yet; `gust build` would "
                    "not produce correct Go for it."),
}


def rule_id(diag: d.Diagnostic) -> str:
    if diag.code:
        return diag.code
    return "syntax-error" if diag.is_error else "warning"


def rule(rule_name: str) -> dict[str, object]:
    """The `reportingDescriptor` of a code."""
    known = explain.summary(rule_name)
    text = explain.explanation(rule_name)
    if known is not None and text is not None:
        short, full = known
        entry: dict[str, object] = {
            "id": rule_name, "shortDescription": {"text": short},
            "fullDescription": {"text": full},
            "help": {"text": text, "markdown": text},
        }
        uri = explain.help_uri(rule_name)
        if uri is not None:
            entry["helpUri"] = uri
        return entry
    short, full = _OTHER_RULES.get(rule_name, (rule_name, rule_name))
    return {"id": rule_name, "shortDescription": {"text": short},
            "fullDescription": {"text": full}, "help": {"text": full}}


def _artifact(path: str, root: Path) -> dict[str, str]:
    absolute = Path(os.path.abspath(path))
    try:
        return {"uri": absolute.relative_to(root).as_posix(), "uriBaseId": SRCROOT}
    except ValueError:
        return {"uri": absolute.as_uri()}


def _region(index: LineIndex, span: Span) -> dict[str, int]:
    start = index.position(span.start)
    end = index.position(span.end)
    return {"startLine": start.line + 1, "startColumn": start.column + 1,
            "endLine": end.line + 1, "endColumn": end.column + 1}


def _location(artifact: dict[str, str], index: LineIndex, span: Span,
              message: str | None, ident: int | None = None) -> dict[str, object]:
    location: dict[str, object] = {"physicalLocation": {
        "artifactLocation": artifact, "region": _region(index, span)}}
    if ident is not None:
        location["id"] = ident
    if message:
        location["message"] = {"text": message}
    return location


def message_text(diag: d.Diagnostic) -> str:
    """The message, then its notes and help on lines of their own."""
    lines = [diag.message]
    lines += [f"note: {n}" for n in diag.notes]
    lines += [f"help: {h}" for h in diag.help]
    return "\n".join(lines)


def fingerprint(diag: d.Diagnostic, uri: str, line_text: str) -> str:
    data = "\x00".join([diag.code or rule_id(diag), uri, diag.message, line_text.strip()])
    return hashlib.sha256(data.encode("utf-8", errors="surrogatepass")).hexdigest()[:32]


def sarif_log(results: Sequence[FileResult], root: Path | None = None) -> dict[str, object]:
    root = Path(os.path.abspath(root if root is not None else Path.cwd()))
    rule_ids = sorted({rule_id(diag) for r in results for diag in r.diagnostics})
    rule_index = {name: i for i, name in enumerate(rule_ids)}
    out: list[dict[str, object]] = []
    for r in results:
        index = LineIndex(r.text)
        artifact = _artifact(r.path, root)
        seen: dict[str, int] = {}
        for diag in r.diagnostics:
            name = rule_id(diag)
            line = index.line_text(index.position(diag.span.start).line)
            fp = fingerprint(diag, artifact["uri"], line)
            seen[fp] = seen.get(fp, 0) + 1
            result: dict[str, object] = {
                "ruleId": name, "ruleIndex": rule_index[name],
                "level": _LEVELS[diag.severity],
                "message": {"text": message_text(diag)},
                "locations": [_location(artifact, index, diag.span, diag.label)],
                "partialFingerprints": {"gust/v1": f"{fp}:{seen[fp]}"},
            }
            if diag.labels:
                result["relatedLocations"] = [
                    _location(artifact, index, lb.span, lb.message, i)
                    for i, lb in enumerate(diag.labels, 1)]
            out.append(result)
    return {
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "gust", "version": __version__, "semanticVersion": __version__,
                "informationUri": INFORMATION_URI,
                "rules": [rule(name) for name in rule_ids],
            }},
            "originalUriBaseIds": {SRCROOT: {"uri": root.as_uri().rstrip("/") + "/"}},
            "columnKind": "unicodeCodePoints",
            "results": out,
        }],
    }


def dumps(results: Sequence[FileResult], root: Path | None = None) -> str:
    return json.dumps(sarif_log(results, root), indent=2, ensure_ascii=False) + "\n"
