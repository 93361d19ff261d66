"""Go statements as a small tree, rendered to tab-indented lines.

Every statement remembers the (item-relative, 0-based) Gust line it comes from, which
becomes the `//line` directives and the source map. The tree lets the emitter ask Go's own
questions before printing: is a statement list terminating (so a function needs no final
`panic`), which labels are used, and which statements are unreachable (dropped, as `go vet`
reports them).
"""

from __future__ import annotations

from dataclasses import field

from gust.codegen.goast import LINE_MARK
from gust.frozen import dataclass

Stmt = "Line | If | For | Switch | Block"


@dataclass
class Line:
    """A simple statement. `kind` is "return", "panic", "break", "continue" or ""."""

    text: str
    gline: int | None = None
    kind: str = ""
    label: str | None = None  # the label of a `break`/`continue`


@dataclass
class If:
    header: str  # "cond" or "init; cond"
    then: list[GoStmt]
    else_: list[GoStmt] | None = None  # a single nested If renders as `else if`
    gline: int | None = None


@dataclass
class For:
    header: str  # "" for `for {`
    body: list[GoStmt]
    label: str | None = None
    has_cond: bool = True
    gline: int | None = None


@dataclass
class Case:
    head: str  # "case A, B:" or "default:"
    body: list[GoStmt]
    gline: int | None = None


@dataclass
class Switch:
    header: str  # "switch x := y.(type) {" without "switch " and " {"
    cases: list[Case] = field(default_factory=list)
    label: str | None = None
    gline: int | None = None
    keyword: str = "switch"  # or "select" (Gust's `select`: cases are channel operations)


@dataclass
class Block:
    body: list[GoStmt]
    gline: int | None = None


GoStmt = Line | If | For | Switch | Block


# ---------------------------------------------------------------- Go's terminating statements


def is_terminating(stmts: list[GoStmt]) -> bool:
    """The Go spec's "terminating statement" for the last statement of a list."""
    live = [s for s in stmts if not (isinstance(s, Line) and s.text == "")]
    if not live:
        return False
    return _terminating(live[-1])


def _terminating(s: GoStmt) -> bool:
    match s:
        case Line(kind=kind):
            return kind in ("return", "panic", "goto")
        case Block(body=body):
            return is_terminating(body)
        case If(then=then, else_=else_):
            return else_ is not None and is_terminating(then) and is_terminating(else_)
        case For(body=body, label=label, has_cond=has_cond):
            return not has_cond and not _has_break(body, label, True)
        case Switch(cases=cases, label=label, keyword=keyword):
            # A `select` needs no default: it waits until one of its cases runs.
            if keyword != "select" and not any(c.head == "default:" for c in cases):
                return False
            return all(is_terminating(c.body) and not _has_break(c.body, label, True)
                       for c in cases)
    return False


def _has_break(stmts: list[GoStmt], label: str | None, innermost: bool) -> bool:
    """Whether a `break` in `stmts` refers to the enclosing statement (labelled `label`).

    `innermost` is True while no nested for/switch has been entered (an unlabelled break
    then refers to the statement we ask about).
    """
    for s in stmts:
        match s:
            case Line(kind="break", label=target):
                if target is None and innermost:
                    return True
                if target is not None and target == label:
                    return True
            case Block(body=body):
                if _has_break(body, label, innermost):
                    return True
            case If(then=then, else_=else_):
                if _has_break(then, label, innermost) or (
                        else_ is not None and _has_break(else_, label, innermost)):
                    return True
            case For(body=body):
                if _has_break(body, label, False):
                    return True
            case Switch(cases=cases):
                if any(_has_break(c.body, label, False) for c in cases):
                    return True
    return False


def _label_used(stmts: list[GoStmt], label: str) -> bool:
    for s in stmts:
        match s:
            case Line(label=target) if target == label:
                return True
            case Block(body=body) | For(body=body):
                if _label_used(body, label):
                    return True
            case If(then=then, else_=else_):
                if _label_used(then, label) or (else_ is not None and _label_used(else_, label)):
                    return True
            case Switch(cases=cases):
                if any(_label_used(c.body, label) for c in cases):
                    return True
    return False


def prune(stmts: list[GoStmt]) -> list[GoStmt]:
    """Drop statements after a terminating one (unreachable code), recursively."""
    out: list[GoStmt] = []
    for s in stmts:
        match s:
            case Block(body=body):
                s.body = prune(body)
            case If(then=then, else_=else_):
                s.then = prune(then)
                if else_ is not None:
                    s.else_ = prune(else_)
            case For(body=body):
                s.body = prune(body)
            case Switch(cases=cases):
                for c in cases:
                    c.body = prune(c.body)
        out.append(s)
        if _terminating(s) or (isinstance(s, Line) and s.kind in ("break", "continue")):
            break
    return out


# ---------------------------------------------------------------- rendering


def emit_text(out: list[tuple[str, int | None]], tabs: str, text: str, gline: int | None) -> None:
    """One statement's text; the continuation lines of a multi-line expression (a function
    literal, marked by `goast.LINE_MARK` with their own Gust lines) are indented as gofmt
    does: relative to the statement's first line."""
    if "\n" not in text:
        out.append((tabs + text if text else "", gline))
        return
    first, *rest = text.split("\n")
    out.append((tabs + first, gline))
    for piece in rest:
        mark, _, body = piece[1:].partition(LINE_MARK)
        out.append((tabs + body if body else "", int(mark) if mark else None))


def render(stmts: list[GoStmt], indent: int, out: list[tuple[str, int | None]]) -> None:
    """Append `(line, gust line)` pairs for `stmts` at the given indentation."""
    tabs = "\t" * indent
    for s in stmts:
        match s:
            case Line(text=text, gline=gline):
                emit_text(out, tabs, text, gline)
            case Block(body=body, gline=gline):
                out.append((tabs + "{", gline))
                render(body, indent + 1, out)
                out.append((tabs + "}", None))
            case If():
                _render_if(s, tabs, indent, out, "if ")
            case For(header=header, body=body, label=label, gline=gline):
                if label is not None and _label_used(body, label):
                    out.append((tabs[:-1] + f"{label}:", gline))
                emit_text(out, tabs, "for {" if not header else f"for {header} {{", gline)
                render(body, indent + 1, out)
                out.append((tabs + "}", None))
            case Switch(header=header, cases=cases, label=label, gline=gline, keyword=kw):
                if label is not None and any(_label_used(c.body, label) for c in cases):
                    out.append((tabs[:-1] + f"{label}:", gline))
                emit_text(out, tabs, f"{kw} {{" if not header else f"{kw} {header} {{", gline)
                for c in cases:
                    out.append((tabs + c.head, c.gline))
                    render(c.body, indent + 1, out)
                out.append((tabs + "}", None))


def _render_if(s: If, tabs: str, indent: int, out: list[tuple[str, int | None]],
               prefix: str) -> None:
    emit_text(out, tabs, prefix + s.header + " {", s.gline)
    render(s.then, indent + 1, out)
    else_ = s.else_
    if else_ is None:
        out.append((tabs + "}", None))
        return
    if len(else_) == 1 and isinstance(else_[0], If):
        _render_if(else_[0], tabs, indent, out, "} else if ")
        return
    out.append((tabs + "} else {", None))
    render(else_, indent + 1, out)
    out.append((tabs + "}", None))
