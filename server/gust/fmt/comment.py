"""Comments: finding them in source text and writing them back (rustfmt's `comment.rs`).

Comments are not in the AST, so every comment is recovered from the text between the
tokens the formatter writes. rustfmt classifies each character of a snippet as code,
string or comment with a small state machine (`CharClasses`), and cuts snippets into
alternating code and comment slices; both are ported exactly, because where a comment
group starts and ends decides where rustfmt puts it. With rustfmt's defaults
(`normalize_comments = false`, `wrap_comments = false`) a comment's text is kept and only
re-indented.
"""

from __future__ import annotations

from enum import IntEnum

from gust.fmt.shape import TAB_SPACES, Indent, Shape
from gust.fmt.strings import (
    blen,
    first_line_width,
    last_line_width,
    lines,
    trimmed_last_line_width,
)

# ---------------------------------------------------------------- character classes


class K(IntEnum):
    """rustfmt's `FullCodeCharKind`."""

    NORMAL = 0
    START_COMMENT = 1
    IN_COMMENT = 2
    END_COMMENT = 3
    START_STRING_COMMENTED = 4
    END_STRING_COMMENTED = 5
    IN_STRING_COMMENTED = 6
    START_STRING = 7
    END_STRING = 8
    IN_STRING = 9


_COMMENT_KINDS = frozenset(
    {K.START_COMMENT, K.IN_COMMENT, K.END_COMMENT, K.START_STRING_COMMENTED,
     K.IN_STRING_COMMENTED, K.END_STRING_COMMENTED}
)
_INSIDE_COMMENT = frozenset(
    {K.IN_COMMENT, K.START_STRING_COMMENTED, K.IN_STRING_COMMENTED, K.END_STRING_COMMENTED}
)


def is_comment_kind(kind: K) -> bool:
    """Whether a character class is inside a comment (or its delimiters)."""
    return kind in _COMMENT_KINDS


# States of the classifier (rustfmt's `CharClassesStatus`), with a depth or hash count.
_NORMAL, _STR, _STR_ESC, _RAW, _RAW_PREFIX, _RAW_SUFFIX, _CHAR, _CHAR_ESC = range(8)
_BLOCK, _STR_IN_BLOCK, _BLOCK_OPEN, _BLOCK_CLOSE, _LINE = range(8, 13)


def char_classes(s: str) -> list[K]:
    """The kind of every character of `s` (a port of rustfmt's `CharClasses`)."""
    return _classify(s)[0]


_Step = tuple[K, int, int]  # the kind of a character, the next state and its count


def _classify(s: str) -> tuple[list[K], int]:
    """The kinds of the characters of `s`, and the classifier's state at the end."""
    kinds: list[K] = []
    state, n = _NORMAL, 0
    size = len(s)
    for i, c in enumerate(s):
        nxt = s[i + 1] if i + 1 < size else ""
        if state == _NORMAL:
            kind, state, n = _step_code(s, i, c, nxt, n)
        elif state >= _BLOCK:
            kind, state, n = _step_comment(state, c, nxt, n)
        else:
            kind, state, n = _step_literal(s, i, state, c, n)
        kinds.append(kind)
    return kinds, state


def _step_code(s: str, i: int, c: str, nxt: str, n: int) -> _Step:
    """A character of code: it may open a string, a char literal or a comment."""
    if c == "r" and nxt in ("#", '"'):
        return K.IN_STRING, _RAW_PREFIX, 0
    if c == '"':
        return K.IN_STRING, _STR, n
    if c == "'" and (nxt == "\\" or s[i + 2 : i + 3] == "'"):
        return K.NORMAL, _CHAR, n
    if c == "/" and nxt == "*":
        return K.START_COMMENT, _BLOCK_OPEN, 1
    if c == "/" and nxt == "/":
        return K.START_COMMENT, _LINE, n
    return K.NORMAL, _NORMAL, n


def _step_literal(s: str, i: int, state: int, c: str, n: int) -> _Step:
    """A character inside a string, raw string (`n` counts its `#`s) or char literal."""
    if state == _RAW:
        if c == '"' and n == 0:
            return K.NORMAL, _NORMAL, n
        if c == '"' and s[i + 1 : i + 1 + n] == "#" * n:
            return K.IN_STRING, _RAW_SUFFIX, n
        return K.IN_STRING, _RAW, n
    if state == _RAW_PREFIX:
        if c == "#":
            return K.IN_STRING, _RAW_PREFIX, n + 1
        return K.IN_STRING, _RAW if c == '"' else _NORMAL, n
    if state == _RAW_SUFFIX:
        if c != "#" or n == 1:
            return K.NORMAL, _NORMAL, n
        return K.IN_STRING, _RAW_SUFFIX, n - 1
    if state == _STR:
        return K.IN_STRING, _NORMAL if c == '"' else _STR_ESC if c == "\\" else _STR, n
    if state == _STR_ESC:
        return K.IN_STRING, _STR, n
    if state == _CHAR:
        return K.NORMAL, _CHAR_ESC if c == "\\" else _NORMAL if c == "'" else _CHAR, n
    return K.NORMAL, _CHAR, n  # _CHAR_ESC


def _step_comment(state: int, c: str, nxt: str, n: int) -> _Step:
    """A character inside a line comment or a (nested, `n` deep) block comment."""
    if state == _LINE:
        return (K.END_COMMENT, _NORMAL, n) if c == "\n" else (K.IN_COMMENT, _LINE, n)
    if state == _BLOCK:
        if c == "*" and nxt == "/":
            return K.IN_COMMENT, _BLOCK_CLOSE, n - 1
        if c == "/" and nxt == "*":
            return K.IN_COMMENT, _BLOCK_OPEN, n + 1
        return K.IN_COMMENT, _STR_IN_BLOCK if c == '"' else _BLOCK, n
    if state == _STR_IN_BLOCK:
        if c == '"':
            return K.IN_STRING_COMMENTED, _BLOCK, n
        if c == "*" and nxt == "/":
            return K.IN_COMMENT, _BLOCK_CLOSE, n - 1
        return K.IN_STRING_COMMENTED, _STR_IN_BLOCK, n
    if state == _BLOCK_OPEN:
        return K.IN_COMMENT, _BLOCK, n
    if n == 0:  # _BLOCK_CLOSE
        return K.END_COMMENT, _NORMAL, n
    return K.IN_COMMENT, _BLOCK, n


def line_classes(s: str) -> list[tuple[K, str]]:
    """rustfmt's `LineClasses`: each line with the kind of its last character."""
    result: list[tuple[K, str]] = []
    if not s:
        return result
    kinds = char_classes(s)
    i = 0
    size = len(s)
    while i < size:
        start_kind = kinds[i]
        j = i
        kind = start_kind
        line_chars: list[str] = []
        while j < size:
            kind = kinds[j]
            if s[j] == "\n":
                if start_kind == K.NORMAL and kind == K.IN_STRING:
                    kind = K.START_STRING
                elif start_kind == K.IN_STRING and kind == K.NORMAL:
                    kind = K.END_STRING
                elif start_kind == K.IN_COMMENT and kind == K.IN_STRING_COMMENTED:
                    kind = K.START_STRING_COMMENTED
                elif start_kind == K.IN_STRING_COMMENTED and kind == K.IN_COMMENT:
                    kind = K.END_STRING_COMMENTED
                j += 1
                break
            line_chars.append(s[j])
            j += 1
        line = "".join(line_chars)
        if line.endswith("\r"):
            line = line[:-1]
        result.append((kind, line))
        i = j
    return result


def contains_comment(text: str) -> bool:
    """Whether `text` has a comment outside string literals (cheap when it has no `/`)."""
    if "/" not in text:
        return False
    return any(k in _COMMENT_KINDS for k in char_classes(text))


def filter_normal_code(code: str) -> str:
    """The lines of `code` that do not end inside a comment (rustfmt's quirk included:
    a line ending with a `//` comment is dropped entirely)."""
    if "/" not in code:
        return code
    kept = [line for kind, line in line_classes(code)
            if kind in (K.NORMAL, K.START_STRING, K.IN_STRING, K.END_STRING)]
    buffer = "".join(line + "\n" for line in kept)
    if not code.endswith("\n") and buffer.endswith("\n"):
        buffer = buffer[:-1]
    return buffer


def find_uncommented(s: str, pat: str) -> int | None:
    """The first occurrence of `pat` in code (not in a comment) of `s`."""
    if pat not in s:
        return None
    kinds = char_classes(s)
    k = 0
    for i, c in enumerate(s):
        if k == len(pat):
            return i - len(pat)
        if kinds[i] in (K.NORMAL, K.IN_STRING) and c == pat[k]:
            k += 1
        else:
            k = 0
    if k == len(pat):
        return len(s) - len(pat)
    return None


def find_last_uncommented(s: str, pat: str) -> int | None:
    """The position of the last `pat` in code (not in a comment), or None."""
    left = find_uncommented(s, pat)
    if left is None:
        return None
    result = left
    while True:
        nxt = find_last_uncommented(s[result + 1 :], pat)
        if nxt is None:
            return result
        result += nxt + 1


def find_comment_end(s: str) -> int | None:
    """The index just past the comment `s` starts with."""
    kinds, state = _classify(s)
    for i, kind in enumerate(kinds):
        if kind in (K.NORMAL, K.IN_STRING):
            return i
    return len(s) if state == _NORMAL else None


# ---------------------------------------------------------------- slicing code and comments

CODE = 0
COMMENT = 1


def comment_code_slices(s: str) -> list[tuple[int, int, str]]:
    """rustfmt's `CommentCodeSlices`: alternating (kind, offset, slice), code first;
    consecutive line comments on following lines form one comment slice."""
    result: list[tuple[int, int, str]] = []
    last_kind = COMMENT
    last_end = 0
    while last_end != len(s):
        sub_end = last_end
        first_ws: int | None = None
        sub = s[last_end:]
        kinds = char_classes(sub)
        broke_at = -1
        for i, c in enumerate(sub):
            connector = last_kind == CODE and sub[:2] == "//" and c in " \t"
            if connector and first_ws is None:
                first_ws = i
            code_kind = COMMENT if kinds[i] in _COMMENT_KINDS else CODE
            if code_kind == last_kind and not connector:
                sub_end = last_end + (first_ws if first_ws is not None else i)
                broke_at = i
                break
            if not connector:
                first_ws = None
        exhausted = broke_at < 0 or broke_at + 1 >= len(sub)
        if exhausted and sub_end == last_end:
            sub_end = last_end + first_ws if first_ws is not None else len(s)
        kind = CODE if last_kind == COMMENT else COMMENT
        result.append((kind, last_end, s[last_end:sub_end]))
        last_end = sub_end
        last_kind = kind
    return result


def ungrouped_comments(code: str) -> list[str]:
    """Every comment of `code`, one by one (rustfmt's `UngroupedCommentCodeSlices`)."""
    if "/" not in code:
        return []
    kinds = char_classes(code)
    result: list[str] = []
    i = 0
    size = len(code)
    while i < size:
        kind = kinds[i]
        start = i
        if kind == K.START_COMMENT:
            i += 1
            while i < size and kinds[i] in _INSIDE_COMMENT:
                i += 1
            if i < size:  # the closing character
                i += 1
            result.append(code[start:i])
        else:
            i += 1
            while i < size and kinds[i] not in _COMMENT_KINDS:
                i += 1
    return result


def _comment_payload(comment: str) -> str:
    """The characters of a comment that matter: no markers, whitespace or leading `*`."""
    is_block = comment.startswith("/*")
    if comment.startswith(("///", "//!")):
        body = comment[3:]
    elif comment.startswith("//"):
        body = comment[2:]
    elif (comment.startswith("/**") and not comment.startswith("/**/")) or \
            comment.startswith("/*!"):
        body = comment[3:-2]
    else:
        body = comment[2:-2]
    out: list[str] = []
    at_start = False
    it = iter(body)
    for c in it:
        if is_block and at_start:
            while c.isspace():
                c = next(it, "")
                if not c:
                    return "".join(out)
            if c == "*":
                c = next(it, "")
                if not c:
                    return "".join(out)
        elif c == "\n":
            at_start = True
        if not c.isspace():
            out.append(c)
    return "".join(out)


def changed_comment_content(orig: str, new: str) -> bool:
    """Whether the comments of two texts differ in content (rustfmt's check that a
    rewrite did not lose one)."""
    def payload(code: str) -> str:
        """All comment payloads of a text, concatenated in order."""
        return "".join(_comment_payload(c) for c in ungrouped_comments(code))

    return payload(orig) != payload(new)


def recover_comment_removed(new: str, snippet: str) -> str:
    """The original text when a rewrite lost a comment, else the rewrite."""
    if snippet != new and "/" in snippet and changed_comment_content(snippet, new):
        return snippet
    return new


# ---------------------------------------------------------------- rewriting a comment


def _is_custom_comment(comment: str) -> bool:
    """`//!`-like comments with a custom opener (`//=`, `//#`) keep their opener on every
    line."""
    if not comment.startswith("//") or len(comment) < 3:
        return False
    c = comment[2]
    return not c.isalnum() and not c.isspace()


def _comment_style(orig: str) -> tuple[str, str]:
    """(style, line start) of a comment, rustfmt's `comment_style` without normalising."""
    if orig.startswith("/**") and not orig.startswith("/**/"):
        return "block", "*/"
    if orig.startswith("/*!"):
        return "block", "*/"
    if orig.startswith("/*"):
        return "block", "*/"
    if orig.startswith("///") and (len(orig) < 4 or orig[3] != "/"):
        return "triple", "/// "
    if orig.startswith("//!"):
        return "doc", "//! "
    if _is_custom_comment(orig):
        opener = first_line_opener(orig)
        return "custom:" + opener, opener.rstrip()
    return "double", "// "


def first_line_opener(orig: str) -> str:
    """The opener of a custom comment: its first word."""
    first = orig.split("\n", 1)[0]
    space = first.find(" ")
    return first if space < 0 else first[: space + 1]


def _line_len(orig: str, line: str) -> int:
    """rustfmt's `compute_len`: a line plus its line break when one follows."""
    if len(orig) > len(line):
        return len(line) + (2 if orig[len(line)] == "\r" else 1)
    return len(line)


def _first_group(orig: str, style: str, line_start: str) -> tuple[bool, int]:
    """The first run of comment lines of one style: (blank line found, its length)."""
    if style == "block":
        count = orig.count("*/")
        end = 0
        blank = False
        first = True
        for line in lines(orig):
            end += _line_len(orig[end:], line)
            trimmed = line.lstrip()
            if not trimmed.startswith(("*", "//", "/*")):
                blank = True
            if first:
                trimmed = trimmed[2:] if not trimmed.startswith(("/**", "/*!")) else trimmed[3:]
                first = False
            if trimmed.endswith("*/"):
                count -= 1
                if count == 0:
                    break
        return blank, end
    end = 0
    for line in lines(orig):
        trimmed = line.lstrip()
        if not trimmed:
            return True, end
        if trimmed.startswith(line_start) or _comment_style(trimmed)[0] == style:
            end += _line_len(orig[end:], line)
        else:
            break
    return False, end


def _light_rewrite(orig: str, indent: Indent) -> str:
    """Trim each line and align it to `indent` (a `*` keeps one space before it)."""
    out = []
    for line in lines(orig):
        stripped = line.lstrip()
        if not stripped:
            out.append("")
            continue
        fnw = len(line) - len(stripped)
        kept = line[fnw - 1 :] if stripped[0] == "*" and fnw > 0 else stripped
        out.append(kept.rstrip())
    return ("\n" + indent.to_string()).join(out)


def rewrite_comment(orig: str, block_style: bool, shape: Shape) -> str | None:
    """A comment re-indented to `shape` (rustfmt's `identify_comment` with its defaults)."""
    del block_style  # only used when comments are wrapped or normalised
    style, line_start = _comment_style(orig)
    blank, end = _first_group(orig, style, line_start)
    first, rest = orig[:end], orig[end:]
    if blank and style == "block":
        rewritten = trim_left_preserve_layout(first, shape.indent)
        if rewritten is None:
            return None
    else:
        rewritten = _light_rewrite(first, shape.indent)
    if not rest:
        return rewritten
    rest_str = rewrite_comment(rest.lstrip(), False, shape)
    if rest_str is None:
        return None
    gap = "\n" if blank and style != "block" else ""
    return f"{rewritten}\n{gap}{shape.indent.to_string()}{rest_str}"


def is_last_comment_block(s: str) -> bool:
    """Whether text ends with a block comment (then code may follow on its line)."""
    return s.rstrip().endswith("*/")


def _prefix_space_width(line: str) -> int:
    """The indentation width of a line, tabs counting as a full indent."""
    width = 0
    for c in line:
        if c == "\t":
            width += TAB_SPACES
        elif c.isspace():
            width += 1
        else:
            break
    return width


def trim_left_preserve_layout(orig: str, indent: Indent) -> str | None:
    """Re-indent a multi-line snippet, keeping the relative indentation of its lines
    (rustfmt's utility of the same name)."""
    classified = line_classes(orig)
    if not classified:
        return None
    first = classified[0][1].rstrip()
    trimmed_lines: list[tuple[bool, str, int | None]] = []
    veto = False
    widths: list[int] = []
    for kind, line in classified[1:]:
        trimmed = True
        prefix = None if not line.strip() else _prefix_space_width(line)
        new_veto = kind == K.IN_STRING and not line.endswith("\\")
        if veto or new_veto:
            veto = new_veto
            trimmed = False
            text = line
        else:
            text = line.strip()
        trimmed_lines.append((trimmed, text, prefix))
        if kind not in (K.IN_STRING, K.END_STRING) and prefix is not None:
            widths.append(prefix)
    if not widths:
        return None
    least = min(widths)
    out = []
    for trimmed, text, prefix in trimmed_lines:
        if not trimmed:
            out.append(text)
        elif prefix is not None:
            out.append(" " * (indent.width() + max(0, prefix - least)) + text)
        else:
            out.append("")
    return first + "\n" + "\n".join(out)


# ---------------------------------------------------------------- comments between parts


def rewrite_missing_comment(snippet: str, shape: Shape) -> str | None:
    """The comments of a snippet that holds only comments and whitespace, re-indented."""
    trimmed = snippet.strip()
    if trimmed and "/" in trimmed:
        return rewrite_comment(trimmed, False, shape)
    return ""


def recover_missing_comment_in_span(snippet: str, shape: Shape, used_width: int) -> str | None:
    """A comment found where no code was expected (between parts of a signature), placed
    after `used_width` columns on the same line or on a new line when it was on one or
    does not fit."""
    missing = rewrite_missing_comment(snippet, shape)
    if missing is None:
        return None
    if not missing:
        return ""
    pos = snippet.find("/")
    total = blen(missing) + used_width + 1
    force_newline = "\n" in snippet[:pos] or total > 100
    sep = shape.indent.newline() if force_newline else " "
    return sep + missing


def combine_strs_with_missing_comments(
    prev: str, nxt: str, snippet: str, shape: Shape, allow_extend: bool
) -> str | None:
    """`prev` and `nxt` joined, keeping the comments found in `snippet` (the source text
    between them), on one line when `allow_extend` and it fits."""
    result = prev
    allow_one_line = "\n" not in prev and "\n" not in nxt
    first_sep = "" if not prev or not nxt or trimmed_last_line_width(prev) == 0 else " "
    one_line_width = last_line_width(prev) + first_line_width(nxt) + len(first_sep)
    indent = shape.indent
    missing = rewrite_missing_comment(snippet, shape)
    if missing is None:
        return None
    if not missing:
        if allow_extend and one_line_width <= shape.width:
            result += first_sep
        elif prev:
            result += indent.newline()
        return result + nxt
    pos = snippet.find("/")
    prefer_same_line = "\n" not in snippet[:pos] if pos >= 0 else "\n" not in snippet
    one_line_width -= len(first_sep)
    if not prev:
        sep1 = ""
    else:
        width = last_line_width(prev) + first_line_width(missing) + 1
        sep1 = " " if prefer_same_line and width <= shape.width else indent.newline()
    result += sep1 + missing
    if not nxt:
        sep2 = ""
    elif missing.startswith("//"):
        sep2 = indent.newline()
    else:
        one_line_width += blen(missing) + len(sep1) + 1
        allow_one_line = allow_one_line and "\n" not in missing
        sep2 = " " if prefer_same_line and allow_one_line and one_line_width <= shape.width \
            else indent.newline()
    return result + sep2 + nxt
