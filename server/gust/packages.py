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
from collections.abc import Callable, Iterable, Mapping, Sequence

from gust.frozen import dataclass
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


# `mod name;` as a top-level item (after its docs, comments and attributes; `pub` or
# `pub(..)` allowed): a module whose items are in another file.
_MOD_ITEM = re.compile(
    r"(?:\s+|//[^\n]*(?:\n|$)|/\*.*?\*/|#!?\[[^\]]*\])*"
    r"(?:pub(?:\s*\([^)]*\))?\s+)?mod\s+(?:r#)?([A-Za-z_]\w*)\s*;", re.DOTALL)
_MOD_WORD = re.compile(r"mod\s+(?:r#)?\w+\s*;")

GUST_SUFFIX = ".gust"


def mod_declarations(text: str) -> tuple[str, ...]:
    """The names of a file's top-level `mod name;` items, in order (one search first: most
    files have none, and the language server asks on every keystroke)."""
    if not any(starts_word(text, m.start()) for m in _MOD_WORD.finditer(text)):
        return ()
    found = (_MOD_ITEM.match(text, c.start, c.end) for c in split_items(text).chunks)
    return tuple(m.group(1) for m in found if m is not None)


@dataclass(frozen=True, slots=True)
class ModuleLayout:
    """The files of the packages of one directory, as rustc finds a crate's modules: each
    `mod name;` of a file is the file `name.gust` or `name/mod.gust` beside it (beside a
    crate root or a `mod.gust`; under `a/` for one in `a.gust`), nested to any depth.

    `roots`: the directory's files that are not a module of another (each package's root
    files); `modules`: each module file, with its module path; `origin`: the root file
    whose `mod` declarations reached it; `missing`: the (file, name) of each `mod name;`
    with neither file (rustc's E0583)."""

    roots: tuple[str, ...]
    modules: Mapping[str, tuple[str, ...]]
    origin: Mapping[str, str]
    missing: frozenset[tuple[str, str]]

    def files_of(self, roots: Iterable[str]) -> list[str]:
        """The given root files and the module files they reach, roots first."""
        wanted = list(roots)
        chosen = set(wanted)
        return [*wanted, *sorted(f for f, r in self.origin.items() if r in chosen)]


def _prefix(path: str) -> str:
    """The directory part of a path as written, with its trailing `/` (`""` for a name)."""
    return path[: path.replace("\\", "/").rfind("/") + 1]


def _stem(path: str) -> str:
    name = path[len(_prefix(path)):]
    return name[: -len(GUST_SUFFIX)] if name.endswith(GUST_SUFFIX) else name


def module_candidates(declaring: str, is_root: bool, name: str) -> tuple[str, str]:
    """The two files `mod name;` in `declaring` may be (rustc's `name.rs`, `name/mod.rs`)."""
    base = _prefix(declaring)
    if not is_root and _stem(declaring) != "mod":
        base += _stem(declaring) + "/"
    return f"{base}{name}{GUST_SUFFIX}", f"{base}{name}/mod{GUST_SUFFIX}"


def module_layout(files: Sequence[str], declarations: Callable[[str], tuple[str, ...] | None]
                  ) -> ModuleLayout:
    """The layout of the `.gust` files of one directory (`files`). `declarations(path)`
    gives a file's `mod name;` names, or None when there is no such file (it may be asked
    about files elsewhere: a module's file in a subdirectory)."""
    here = set(files)
    claimed = {cand for f in files for name in declarations(f) or ()
               if (cand := module_candidates(f, True, name)[0]) in here and cand != f}
    roots = [f for f in files if f not in claimed]
    modules: dict[str, tuple[str, ...]] = {}
    origin: dict[str, str] = {}
    missing: set[tuple[str, str]] = set()
    queue: list[tuple[str, str, tuple[str, ...], bool]] = [(f, f, (), True) for f in roots]
    while queue:
        path, root, module, is_root = queue.pop(0)
        for name in declarations(path) or ():
            found = None
            for cand in module_candidates(path, is_root, name):
                if cand in modules or cand in roots:
                    continue
                if declarations(cand) is not None:
                    found = cand
                    break
            if found is None:
                missing.add((path, name))
                continue
            modules[found] = (*module, name)
            origin[found] = root
            queue.append((found, root, (*module, name), False))
    # A file claimed by a declaration that no root reaches is a root itself.
    roots += [f for f in files if f in claimed and f not in modules]
    return ModuleLayout(tuple(roots), modules, origin, frozenset(missing))


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


def group_with_modules(texts: Mapping[str, str]) -> list[list[str]]:
    """`group_packages` over files found on disk (path -> text), the files of `mod name;`
    modules (gust.packages.module_layout) put in the package of the root file that
    declares them, wherever their directory. Directories are laid out shallowest first,
    so a module file in a subdirectory is not also a package of its own."""
    def declarations(path: str) -> tuple[str, ...] | None:
        text = texts.get(path)
        return None if text is None else mod_declarations(text)

    by_dir: dict[str, list[str]] = {}
    for path in texts:
        by_dir.setdefault(directory_of(path), []).append(path)
    taken: set[str] = set()
    origin: dict[str, str] = {}
    for directory in sorted(by_dir, key=lambda x: (x.count("/"), x)):
        files = [p for p in by_dir[directory] if p not in taken]
        if not files:
            continue
        layout = module_layout(files, declarations)
        taken.update(layout.modules)
        origin.update(layout.origin)
    roots = [(p, defines_main(t)) for p, t in texts.items() if p not in taken]
    return [[*group, *sorted(m for m, r in origin.items() if r in group)]
            for group in group_packages(roots)]
