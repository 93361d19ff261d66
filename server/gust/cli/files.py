"""Finding the `.gust` files under a directory, as git sees the tree.

A directory named on the command line is searched recursively, skipping:
- what `.gitignore` files ignore, with git's semantics (the `pathspec` package): the
  `.gitignore` of every directory walked, and those of the directories above the one named
  up to the repository's root (the directory with `.git`); a deeper file's patterns win
  over a shallower one's, `!pattern` re-includes, and an ignored directory is not entered
  (as in git, nothing under it can be re-included);
- hidden directories (`.git`, `.venv`, ...) and `node_modules`, `__pycache__`, `venv`,
  whatever the ignore files say.
A file or directory named on the command line is always taken, ignored or not (like ruff
and eslint); the ignore files inside a directory so named still apply.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from gust.frozen import dataclass

if TYPE_CHECKING:  # imported when a directory is walked: `gust check FILE` never needs it
    from pathspec import GitIgnoreSpec

ALWAYS_SKIPPED = frozenset({"node_modules", "__pycache__", "venv"})


@dataclass(frozen=True)
class _Ignore:
    """The patterns of one `.gitignore`, relative to its directory."""

    base: Path
    spec: GitIgnoreSpec

    def verdict(self, path: Path, is_dir: bool) -> bool | None:
        """True: ignored; False: re-included by a `!` pattern; None: not mentioned."""
        try:
            relative = path.relative_to(self.base).as_posix()
        except ValueError:
            return None
        result = self.spec.check_file(relative + "/" if is_dir else relative)
        return result.include


def _read_ignore(directory: Path) -> _Ignore | None:
    try:
        lines = (directory / ".gitignore").read_text(encoding="utf-8",
                                                       errors="replace").splitlines()
    except OSError:
        return None
    from pathspec import GitIgnoreSpec

    return _Ignore(directory, GitIgnoreSpec.from_lines(lines))


def _ignored(path: Path, is_dir: bool, ignores: Sequence[_Ignore]) -> bool:
    verdict: bool | None = None
    for ignore in ignores:  # shallowest first: a deeper file's verdict wins
        found = ignore.verdict(path, is_dir)
        if found is not None:
            verdict = found
    return bool(verdict)


def _ancestor_ignores(root: Path) -> list[_Ignore]:
    """The `.gitignore` files above `root` inside its git repository, shallowest first."""
    found: list[_Ignore] = []
    for directory in root.resolve().parents:
        ignore = _read_ignore(directory)
        if ignore is not None:
            found.append(ignore)
        if (directory / ".git").exists():
            return found[::-1]
    return []  # not in a repository: the ignore files above it are not git's


def skipped_dir(name: str) -> bool:
    return name.startswith(".") or name in ALWAYS_SKIPPED


def find_gust_files(root: Path) -> list[Path]:
    """The `.gust` files under `root` that git would not ignore, in path order."""
    resolved = root.resolve()
    # Matching happens on resolved paths; results keep the spelling the user gave.
    ancestors = _ancestor_ignores(root)
    if _ignored(resolved, True, ancestors):
        ancestors = []  # a directory named explicitly is checked, ignored or not
    found: list[Path] = []
    stack: list[tuple[Path, Path, list[_Ignore]]] = [(root, resolved, ancestors)]
    while stack:
        shown, real, ignores = stack.pop()
        own = _read_ignore(real)
        if own is not None:
            ignores = [*ignores, own]
        try:
            entries = sorted(os.scandir(real), key=lambda e: e.name)
        except OSError:
            continue
        subdirs: list[tuple[Path, Path, list[_Ignore]]] = []
        for entry in entries:
            try:  # symbolic links to directories are not followed (nor are they by git)
                is_dir = entry.is_dir(follow_symlinks=False)
            except OSError:
                continue
            path = real / entry.name
            if is_dir:
                if not skipped_dir(entry.name) and not _ignored(path, True, ignores):
                    subdirs.append((shown / entry.name, path, ignores))
            elif entry.name.endswith(".gust") and not _ignored(path, False, ignores):
                found.append(shown / entry.name)
        stack.extend(reversed(subdirs))
    return sorted(found)
