"""Which files make one package: Cargo's rule, applied alike by `gust check`, `gust build`
and the language server.

A directory is one package (its files share one environment), except a directory of
several `.gust` files that *each* define `fn main`: like Cargo's `examples/` or `src/bin/`,
every file there is a program of its own. So `examples/` checks clean, instead of one
package with twenty `fn main` (E0428).

Whether a file defines `fn main` is read from its top-level items' text (an item's text
starts with its docs and attributes), so a `main` with errors in its body still counts,
and the split into items (cheap, no parsing) is all the CLI needs to decide.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from gust.syntax.split import split_items
from gust.text import starts_word

# An item that is `fn main`: after its docs, comments and attributes, `fn main` (a `pub`
# is allowed, as rustc allows it).
_MAIN_ITEM = re.compile(
    r"(?:\s+|//[^\n]*(?:\n|$)|/\*.*?\*/|#!?\[[^\]]*\])*"
    r"(?:pub(?:\s*\([^)]*\))?\s+)?fn\s+main\b", re.DOTALL)


# (Each match checked to start a word: `starts_word`.)
_FN_MAIN = re.compile(r"fn\s+main\b")


def might_define_main(text: str) -> bool:
    """False when the text certainly has no `fn main` (one regular-expression search: the
    language server asks on every keystroke)."""
    return any(starts_word(text, m.start()) for m in _FN_MAIN.finditer(text))


def item_is_main(item_text: str) -> bool:
    """Whether a top-level item's text is `fn main`."""
    return _MAIN_ITEM.match(item_text) is not None


def defines_main(text: str) -> bool:
    """Whether a file's text has a top-level `fn main`."""
    return might_define_main(text) and any(
        item_is_main(text[c.start:c.end]) for c in split_items(text).chunks)


def directory_of(path: str) -> str:
    return path.replace("\\", "/").rsplit("/", 1)[0] if "/" in path else "."


def each_file_a_program(has_main: Iterable[bool]) -> bool:
    """Cargo's rule for the files of one directory: several files, each with `fn main`."""
    flags = list(has_main)
    return len(flags) > 1 and all(flags)


def group_packages(files: Sequence[tuple[str, bool]]) -> list[list[str]]:
    """The packages of `files` ((path, defines `fn main`) pairs): one per directory, or one
    per file in a directory of programs. In the order of the files' first appearance."""
    by_dir: dict[str, list[tuple[str, bool]]] = {}
    for path, main in files:
        by_dir.setdefault(directory_of(path), []).append((path, main))
    groups: list[list[str]] = []
    for members in by_dir.values():
        if each_file_a_program(main for _, main in members):
            groups.extend([p] for p, _ in members)
        else:
            groups.append([p for p, _ in members])
    return groups
