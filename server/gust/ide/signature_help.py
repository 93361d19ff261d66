"""Signature help: the signature of the call whose parentheses hold the cursor, and which
parameter the cursor is on, as plain data.

The call is found in the text (the innermost `(` not closed before the cursor, so it works
while the arguments are being typed), and its callee is looked up as completion would
offer it at the callee's name (gust.ide.completion.candidates): a method of the receiver's
type, an associated function of a path, a function, a local holding a closure.
"""

from __future__ import annotations

from gust.frozen import dataclass
from gust.ide.analysis import AnalysisHost
from gust.ide.completion import candidates
from gust.ide.cursor import snapshot
from gust.ide.docs import documentation
from gust.ide.members import Signature

_CLOSE = {")": "(", "]": "[", "}": "{"}


@dataclass(frozen=True, slots=True)
class SignatureHelp:
    signature: Signature
    active_parameter: int
    docs: str | None = None


def signature_help(host: AnalysisHost, path: str, offset: int) -> SignatureHelp | None:
    analysis = snapshot(host, path)
    text = analysis.text
    call = _open_call(text, offset)
    if call is None:
        return None
    paren, active = call
    end = paren
    while end > 0 and text[end - 1] in " \t":
        end -= 1
    start = end
    while start > 0 and (text[start - 1].isalnum() or text[start - 1] == "_"):
        start -= 1
    name = text[start:end]
    if not name or name[0].isdigit():
        return None
    for member, _ in candidates(analysis, start):
        if member.name == name and member.signature is not None:
            docs = documentation(host, path, member.doc) if member.doc is not None else None
            params = len(member.signature.params)
            return SignatureHelp(member.signature, min(active, max(params - 1, 0)), docs)
    return None


def _open_call(text: str, offset: int) -> tuple[int, int] | None:
    """The offset of the `(` of the innermost call open at `offset`, and how many commas
    of that call come before `offset`. Strings and line comments are skipped roughly: a
    line's text after `//` does not count."""
    depth: list[str] = []
    commas = 0
    i = offset - 1
    line_floor = text.rfind("\n", 0, offset)
    while i >= 0:
        c = text[i]
        if i == line_floor:
            line_floor = text.rfind("\n", 0, i)
        if c == '"':
            i = _string_start(text, i) - 1
            continue
        if c in _CLOSE:
            depth.append(_CLOSE[c])
        elif c in "([{":
            if depth:
                if depth[-1] != c:
                    return None
                depth.pop()
            elif c == "(":
                return i, commas
            else:
                return None  # the cursor is in a block or an index, not an argument list
        elif c == "," and not depth:
            commas += 1
        elif c == ";" and not depth:
            return None
        i -= 1
    return None


def _string_start(text: str, end: int) -> int:
    """The opening quote of the string literal whose closing quote is at `end`."""
    i = end - 1
    while i >= 0:
        if text[i] == '"' and (i == 0 or text[i - 1] != "\\"):
            return i
        i -= 1
    return 0
