"""`gust check`'s report in each `--format` (docs/ci.md), from the checked files' results."""

from __future__ import annotations

import os
from collections.abc import Sequence
from typing import TextIO

from gust.cli import render as rendering
from gust.cli.check import FileResult
from gust.frozen import dataclass
from gust.text import LineIndex


@dataclass(frozen=True)
class Counts:
    errors: int
    warnings: int

    @staticmethod
    def of(results: Sequence[FileResult]) -> Counts:
        diags = [diag for r in results for diag in r.diagnostics]
        return Counts(sum(diag.is_error for diag in diags),
                      sum(diag.severity.value == "warning" for diag in diags))

    def fails(self, fail_level: str) -> bool:
        """Whether the exit status is 1: errors always fail; warnings at `warning`."""
        return self.errors > 0 or (fail_level == "warning" and self.warnings > 0)

    def describe(self, files: int) -> str:
        def plural(n: int, noun: str) -> str:
            return f"{n} {noun}{'' if n == 1 else 's'}"

        found = [plural(n, noun) for n, noun in ((self.errors, "error"),
                                                 (self.warnings, "warning")) if n]
        return f"{' and '.join(found) or 'no problems'} in {plural(files, 'file')}"


def _display(path: str) -> str:
    """Paths in machine formats: relative to the current directory when inside it, with
    `/` separators (what GitHub annotations and editors' problem matchers expect)."""
    relative = os.path.relpath(path) if os.path.isabs(path) else path
    if relative.startswith(".."):
        relative = path
    return relative.replace(os.sep, "/")


def render(results: Sequence[FileResult], fmt: str, color: bool) -> str:
    if fmt == "human":
        return _human(results, color)
    if fmt == "sarif":
        from gust.cli import sarif

        return sarif.dumps(results)
    if fmt == "github":
        return "".join(rendering.github_annotation(_display(r.path), LineIndex(r.text), diag)
                       for r in results for diag in r.diagnostics)
    objects = [rendering.to_json(r.path, index, diag) for r in results
               for index in [LineIndex(r.text)] for diag in r.diagnostics]
    if fmt == "json-lines":
        return rendering.dump_json_lines(objects)
    return rendering.dump_json(objects)


def _human(results: Sequence[FileResult], color: bool) -> str:
    out: list[str] = []
    for r in results:
        if not r.diagnostics:
            continue
        index = LineIndex(r.text)
        for diag in r.diagnostics:
            out.append(rendering.render_human(r.path, r.text, diag, color, index))
            out.append("\n")
    counts = Counts.of(results)
    out.append(rendering.render_summary(counts.errors, counts.warnings, color))
    return "".join(out)


def write(stream: TextIO, text: str) -> None:
    """Write UTF-8 whatever the stream's own encoding (a CI log may be ASCII)."""
    buffer = getattr(stream, "buffer", None)
    if buffer is not None:
        stream.flush()
        buffer.write(text.encode("utf-8", errors="surrogateescape"))
        buffer.flush()
    else:
        stream.write(text)
