"""The one diagnostic data model, shared by every layer.

A diagnostic is plain data: code, severity, message, a primary span with its label,
secondary labels, notes, help and machine-applicable fixes. Rendering lives elsewhere:
`gust.cli.render` (rustc-style text and JSON) and `gust.lsp` (LSP diagnostics).

Spans are character offsets into one file's text. Checks that run on one item produce spans
relative to the item; `Diagnostic.shifted` moves them to file offsets.
"""

from __future__ import annotations

import enum
from dataclasses import replace

from gust.frozen import dataclass
from gust.text import Span

# rustc's lints that Gust reports (deny-by-default ones, as errors). Their name is the
# diagnostic's code; rustc prints them without one (`error: literal out of range for `u8``).
LINTS = frozenset({"overflowing_literals", "arithmetic_overflow", "unconditional_panic"})
# rustc's warn-by-default lints that Gust reports (as warnings, printed without a code as
# rustc does; unlike the denied ones, kept when the file has errors).
NAMED_ARGUMENTS_USED_POSITIONALLY = "named_arguments_used_positionally"
WARNING_LINTS = frozenset({NAMED_ARGUMENTS_USED_POSITIONALLY})
# Gust's own diagnostic codes (no rustc counterpart), explained in docs/errors/CODE.md too.
TIME_BUDGET = "time_budget"
CYCLIC_PACKAGE_DEPENDENCY = "cyclic_package_dependency"
GUST_CODES = frozenset({TIME_BUDGET, CYCLIC_PACKAGE_DEPENDENCY})


class Severity(enum.Enum):
    ERROR = "error"
    WARNING = "warning"
    NOTE = "note"
    HELP = "help"


@dataclass(frozen=True, slots=True)
class Label:
    """A secondary span with a short message ("value moved here")."""

    span: Span
    message: str


@dataclass(frozen=True, slots=True)
class Edit:
    """Replace `span` with `text`."""

    span: Span
    text: str


@dataclass(frozen=True, slots=True)
class Fix:
    """A quick fix: a title ("consider changing this to be mutable") and its edits."""

    title: str
    edits: tuple[Edit, ...]


@dataclass(frozen=True, slots=True)
class Diagnostic:
    severity: Severity
    message: str
    span: Span
    code: str | None = None
    # Text shown under the primary span's carets.
    label: str | None = None
    labels: tuple[Label, ...] = ()
    notes: tuple[str, ...] = ()
    help: tuple[str, ...] = ()
    fixes: tuple[Fix, ...] = ()

    def shifted(self, delta: int) -> Diagnostic:
        if delta == 0:
            return self
        return replace(
            self,
            span=self.span.shifted(delta),
            labels=tuple(Label(lb.span.shifted(delta), lb.message) for lb in self.labels),
            fixes=tuple(
                Fix(f.title, tuple(Edit(e.span.shifted(delta), e.text) for e in f.edits))
                for f in self.fixes
            ),
        )

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR


def error(
    code: str | None,
    message: str,
    span: Span,
    label: str | None = None,
    *,
    labels: tuple[Label, ...] = (),
    notes: tuple[str, ...] = (),
    help: tuple[str, ...] = (),
    fixes: tuple[Fix, ...] = (),
) -> Diagnostic:
    """Shorthand for an error diagnostic."""
    return Diagnostic(
        Severity.ERROR, message, span, code, label, labels, notes, help, fixes
    )


def warning(
    code: str | None,
    message: str,
    span: Span,
    label: str | None = None,
    *,
    labels: tuple[Label, ...] = (),
    notes: tuple[str, ...] = (),
    help: tuple[str, ...] = (),
    fixes: tuple[Fix, ...] = (),
) -> Diagnostic:
    return Diagnostic(
        Severity.WARNING, message, span, code, label, labels, notes, help, fixes
    )
