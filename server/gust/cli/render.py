"""Render diagnostics for the terminal (rustc's layout) and as JSON."""

from __future__ import annotations

import json
from collections.abc import Sequence

from gust import diagnostics as d
from gust.frozen import dataclass
from gust.text import LineIndex, Span

_STYLES = {
    "error": "\x1b[1;31m",
    "warning": "\x1b[1;33m",
    "note": "\x1b[1;32m",
    "help": "\x1b[1;36m",
    "bold": "\x1b[1m",
    "blue": "\x1b[1;34m",
    "reset": "\x1b[0m",
}


@dataclass(frozen=True)
class Painter:
    color: bool

    def __call__(self, style: str, text: str) -> str:
        if not self.color or not text:
            return text
        return f"{_STYLES[style]}{text}{_STYLES['reset']}"


@dataclass(frozen=True, slots=True)
class _Mark:
    """One span to underline on one line: columns are 0-based code points."""

    line: int
    start: int
    end: int
    primary: bool
    message: str


def render_human(path: str, text: str, diag: d.Diagnostic, color: bool = False,
                 index: LineIndex | None = None) -> str:
    """rustc's layout: header, location, source lines with carets and labels, notes."""
    paint = Painter(color)
    index = index or LineIndex(text)
    severity = diag.severity.value
    code = f"[{diag.code}]" if diag.code and diag.code not in d.LINTS | d.WARNING_LINTS else ""
    out = [paint(severity, f"{severity}{code}") + paint("bold", f": {diag.message}")]
    start = index.position(diag.span.start)
    marks = _marks(index, diag)
    gutter = len(str(max(m.line for m in marks) + 1))
    pad = " " * gutter
    out.append(f"{pad}{paint('blue', '-->')} {path}:{start.line + 1}:{start.column + 1}")
    out.append(f"{pad} {paint('blue', '|')}")
    shown_lines = sorted({m.line for m in marks})
    previous = None
    for line in shown_lines:
        if previous is not None and line == previous + 2:
            # rustc shows a single unannotated line between two annotated ones.
            between = index.line_text(previous + 1).replace("\t", "    ")
            out.append(paint("blue", f"{previous + 2:>{gutter}} |") +
                       (f" {between}" if between else ""))
        elif previous is not None and line > previous + 1:
            out.append(paint("blue", "..."))
        source = index.line_text(line).replace("\t", "    ")
        out.append(paint("blue", f"{line + 1:>{gutter}} |") + (f" {source}" if source else ""))
        out.extend(f"{pad} {paint('blue', '|')} {row}" for row in
                   _annotation_rows([m for m in marks if m.line == line], severity, paint))
        previous = line
    fix_titles = {fix.title for fix in diag.fixes}
    helps = [h for h in diag.help if h not in fix_titles]
    if diag.notes or helps or diag.fixes:
        out.append(f"{pad} {paint('blue', '|')}")
    for note in diag.notes:
        out.append(f"{pad} {paint('blue', '=')} {paint('bold', 'note')}: {note}")
    for help_ in helps:
        out.append(f"{pad} {paint('blue', '=')} {paint('bold', 'help')}: {help_}")
    for fix in diag.fixes:
        out.extend(_suggestion(index, fix, paint))
    return "\n".join(out) + "\n"


def _annotation_rows(marks: list[_Mark], severity: str, paint: Painter) -> list[str]:
    """Underlines for one source line, as rustc draws them: every underline on the first
    row with the rightmost label after it; the other labels hang below on `|` lines."""
    marks = sorted(marks, key=lambda m: m.start)
    width = max(m.end for m in marks) + 1
    row = [" "] * width
    for m in sorted(marks, key=lambda m: m.primary):  # the primary's `^` wins an overlap
        for col in range(m.start, m.end):
            row[col] = "^" if m.primary else "-"
    first = "".join(row).rstrip()
    last = marks[-1]
    # The rightmost label goes after the underlines unless its underline overlaps another
    # one (rustc then hangs it below too, e.g. `r?` moving `r` used at `r`).
    overlapped = any(
        m is not last and (m.start <= last.start < max(m.end, m.start + 1)
                           or last.start <= m.start < max(last.end, last.start + 1))
        and not (m.start == last.start and m.end == last.end and not m.message)
        for m in marks)
    inline = last if last.message and not overlapped else None
    rows = [_colour_underlines(first, severity, paint) + (
        " " + paint(severity if last.primary else "blue", last.message) if inline
        else "")]
    hanging = [m for m in marks if m.message and m is not inline]
    if hanging:  # one row of `|`, then each label on its own row, rightmost first
        bars = [" "] * width
        for r in hanging:
            bars[r.start] = "|"
        rows.append(paint("blue", "".join(bars).rstrip()))
    # Rightmost first; labels that start at the same column stack up in the order given.
    ordered = sorted(hanging, key=lambda m: -m.start)
    for i, m in enumerate(ordered):
        text = [" "] * m.start
        for r in ordered[i + 1:]:
            if r.start < m.start:
                text[r.start] = "|"
        rows.append(paint("blue", "".join(text)) +
                    paint(severity if m.primary else "blue", m.message))
    return rows


def _colour_underlines(row: str, severity: str, paint: Painter) -> str:
    if not paint.color:
        return row
    return "".join(paint(severity, ch) if ch == "^" else paint("blue", ch) if ch == "-"
                   else ch for ch in row)


def _suggestion(index: LineIndex, fix: d.Fix, paint: Painter) -> list[str]:
    """rustc's suggestion block: the title, then the line as it would be after the fix,
    with `+` under inserted text (`~` under replaced text)."""
    title = f"{paint('help', 'help')}{paint('bold', ': ' + fix.title)}"
    if any(not e.text for e in fix.edits):
        return _removal(index, fix, title, paint)
    if len(fix.edits) != 1:
        return [title]
    edit = fix.edits[0]
    line = index.line_of(edit.span.start)
    if index.line_of(edit.span.end) != line or "\n" in edit.text:
        return [title]
    start = index.starts[line]
    source = index.line_text(line)
    col = edit.span.start - start
    fixed = source[:col] + edit.text + source[edit.span.end - start :]
    # rustc underlines the inserted text without its trailing space (`ref ` -> `+++`).
    marker = ("+" if edit.span.is_empty else "~") * max(1, len(edit.text.rstrip()))
    gutter = len(str(line + 1))
    pad = " " * gutter
    bar = paint("blue", "|")
    return [title, f"{pad} {bar}", paint("blue", f"{line + 1} |") + f" {fixed}",
            f"{pad} {bar} " + " " * col + paint("help", marker)]


def _removal(index: LineIndex, fix: d.Fix, title: str, paint: Painter) -> list[str]:
    """A suggestion that removes text, as rustc shows it: the line before (`-`) and after
    (`+`) the edits, all on one line."""
    lines = {index.line_of(e.span.start) for e in fix.edits} | \
        {index.line_of(e.span.end) for e in fix.edits}
    if len(lines) != 1 or any("\n" in e.text for e in fix.edits):
        return [title]
    line = lines.pop()
    start = index.starts[line]
    source = index.line_text(line)
    fixed = source
    for edit in sorted(fix.edits, key=lambda e: e.span.start, reverse=True):
        fixed = fixed[:edit.span.start - start] + edit.text + fixed[edit.span.end - start:]
    gutter = len(str(line + 1))
    pad = " " * gutter
    bar = paint("blue", "|")
    return [title, f"{pad} {bar}", paint("blue", f"{line + 1} ") + paint("error", "-") +
            f" {source}", paint("blue", f"{line + 1} ") + paint("help", "+") + f" {fixed}",
            f"{pad} {bar}"]


def _marks(index: LineIndex, diag: d.Diagnostic) -> list[_Mark]:
    marks = [*_span_marks(index, diag.span, True, diag.label or "")]
    for label in diag.labels:
        marks.extend(_span_marks(index, label.span, False, label.message))
    return marks


def _span_marks(index: LineIndex, span: Span, primary: bool, message: str) -> list[_Mark]:
    """A span on one line gives one mark; a multi-line span is marked on its first line."""
    start = index.position(span.start)
    end = index.position(span.end)
    line_len = len(index.line_text(start.line))
    end_col = end.column if end.line == start.line else line_len
    return [_Mark(start.line, start.column, max(end_col, start.column + 1), primary, message)]


def render_summary(errors: int, warnings: int, color: bool = False) -> str:
    paint = Painter(color)
    parts = []
    if errors:
        noun = "1 previous error" if errors == 1 else f"{errors} previous errors"
        parts.append(paint("error", "error") + paint("bold", f": aborting due to {noun}"))
    if warnings:
        parts.append(paint("warning", "warning") + paint(
            "bold", f": {warnings} warning{'s' if warnings != 1 else ''} emitted"))
    return "\n".join(parts) + ("\n" if parts else "")


def to_json(path: str, index: LineIndex, diag: d.Diagnostic) -> dict[str, object]:
    """One diagnostic as a JSON object with 1-based lines and columns."""

    def location(span: Span) -> dict[str, object]:
        start = index.position(span.start)
        end = index.position(span.end)
        return {"file": path, "line": start.line + 1, "column": start.column + 1,
                "end_line": end.line + 1, "end_column": end.column + 1}

    return {
        **location(diag.span),
        "severity": diag.severity.value,
        "code": diag.code,
        "message": diag.message,
        "label": diag.label,
        "labels": [{**location(lb.span), "message": lb.message} for lb in diag.labels],
        "notes": list(diag.notes),
        "help": list(diag.help),
        "fixes": [{"title": f.title, "edits": [{**location(e.span), "text": e.text}
                                               for e in f.edits]} for f in diag.fixes],
    }


def dump_json(objects: Sequence[dict[str, object]]) -> str:
    return json.dumps(list(objects), indent=2) + "\n"


# ---------------------------------------------------------------- GitHub annotations

_GITHUB_COMMANDS = {d.Severity.ERROR: "error", d.Severity.WARNING: "warning",
                    d.Severity.NOTE: "notice", d.Severity.HELP: "notice"}


def github_escape_data(text: str) -> str:
    """A workflow command's message, escaped as the Actions runner unescapes it."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def github_escape_property(text: str) -> str:
    """A workflow command's property value (`file=`, `title=`): also `:` and `,`."""
    return github_escape_data(text).replace(":", "%3A").replace(",", "%2C")


def github_annotation(path: str, index: LineIndex, diag: d.Diagnostic) -> str:
    """`::error file=..,line=..,col=..,endLine=..,endColumn=..,title=E0382::message`: an
    annotation on the line in a pull request's diff. The message carries the primary
    label, notes and help as further lines; columns are 1-based, the end exclusive."""
    start = index.position(diag.span.start)
    end = index.position(diag.span.end)
    lines = [diag.message]
    if diag.label:
        lines.append(diag.label)
    lines += [f"note: {n}" for n in diag.notes]
    lines += [f"help: {h}" for h in diag.help]
    properties = [("file", path), ("line", str(start.line + 1)), ("col", str(start.column + 1)),
                  ("endLine", str(end.line + 1)), ("endColumn", str(end.column + 1)),
                  ("title", diag.code or f"gust {diag.severity.value}")]
    props = ",".join(f"{k}={github_escape_property(v)}" for k, v in properties)
    return f"::{_GITHUB_COMMANDS[diag.severity]} {props}::{github_escape_data(chr(10).join(lines))}\n"


def dump_json_lines(objects: Sequence[dict[str, object]]) -> str:
    return "".join(json.dumps(o, ensure_ascii=False) + "\n" for o in objects)
