"""The analysis of files, incremental by construction.

`AnalysisHost` holds file texts and answers `analyze(path)` with a `FileAnalysis`: the parse,
the item environment, and per item its type-check results and diagnostics.

Caching (the invariant that keeps keystrokes cheap):
- parsing is cached per item text (gust.syntax.source.ParseCache);
- checking an item is cached by (item text, environment key), where the environment key is
  made of every item's *signature* text (gust.sema.items.signature_key). Typing inside a
  function body changes that function's text only, so only that function is re-checked.
Everything here is plain data and pure computation: no I/O, no threads.

Cancellation: a caller that may learn, while an analysis runs, that its result is no longer
wanted (the language server, when a newer version of the document arrives) gives the host a
check (`AnalysisHost.cancellation`); the analysis calls it between items and raises
`Cancelled` when it says so. What was checked before that is kept in the item cache, so the
next analysis does not redo it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import field, replace
from typing import Protocol

from gust import borrowck, codegen, sema
from gust import diagnostics as d
from gust.budget import DEFAULT_SECONDS, Budget, OutOfTime
from gust.codegen import GoChunk
from gust.codegen.astwalk import note_texts
from gust.codegen.context import UNSUPPORTED
from gust.codegen.package_names import go_package_name
from gust.frozen import dataclass
from gust.gcpause import paused_gc
from gust.ide import crate_cycles
from gust.packages import (
    ModuleLayout,
    directory_of,
    each_file_a_program,
    item_is_main,
    might_define_main,
    mod_declarations,
    module_candidates,
    module_layout,
)
from gust.sema.golang import GoPackage
from gust.sema.items import ItemEnv, adopt, build_env, signature_key
from gust.sema.package import CheckedFile, CheckedItem
from gust.sema.results import BodyResults
from gust.syntax import ast
from gust.syntax.parser import ParsedItem
from gust.syntax.source import ItemNode, ParseCache, SourceFile
from gust.text import Span


class Cancelled(Exception):
    """The analysis was abandoned because its cancellation check said so."""


# Whether the work in progress is no longer wanted (a newer text exists, the request was
# cancelled). Called between items: it must be cheap.
CancelCheck = Callable[[], bool]


@dataclass(frozen=True)
class ItemAnalysis:
    node: ItemNode
    bodies: tuple[BodyResults, ...]
    # Item-relative diagnostics: signature, types, borrows, and what the Go backend cannot
    # translate yet (so `gust check` passing means `gust build` works).
    diagnostics: tuple[d.Diagnostic, ...]
    # The item's Go, for items without errors of their own.
    go: GoChunk | None = None
    # What ide queries derive from this item alone (its symbol index, its semantic
    # tokens), computed on first use. Shared with the copy made when the item only moves,
    # so an unchanged item is never indexed twice; a re-checked item starts empty.
    memo: dict[str, object] = field(default_factory=dict, compare=False, repr=False)
    # Its analysis ran out of time (gust.budget): only the `time_budget` warning.
    gave_up: bool = False
    # Its checks passed but generating its Go ran out of time (`go` is None; the
    # `time_budget` warning says so, and the generated-Go view shows why there is no Go).
    go_gave_up: bool = False

    @property
    def offset(self) -> int:
        return self.node.offset


@dataclass(frozen=True)
class FileAnalysis:
    path: str
    text: str
    version: int | None
    source: SourceFile
    env: ItemEnv
    items: tuple[ItemAnalysis, ...]
    # The time budget per item it was analysed with (gust.budget), for what ide queries
    # work out later from it (borrow insight).
    time_budget: float | None = DEFAULT_SECONDS

    def syntax_diagnostics(self) -> list[d.Diagnostic]:
        return self.source.syntax_errors

    def diagnostics(self) -> list[d.Diagnostic]:
        """Every diagnostic of the file, with file offsets, in file order."""
        result = list(self.source.syntax_errors)
        for item in self.items:
            if item.diagnostics:  # most items have none: no generator for them
                result.extend(diag.shifted(item.offset) for diag in item.diagnostics)
        if any(diag.is_error and diag.code not in d.LINTS and diag.code != UNSUPPORTED
               for diag in result):
            # rustc runs its lints only over a crate without other errors; and what the Go
            # backend cannot translate is no mistake of the program's: with the checker's
            # errors, those alone (rustc never follows them with such reports).
            result = [diag for diag in result
                      if diag.code not in d.LINTS and diag.code != UNSUPPORTED]
        if not any(diag.is_error for diag in result):
            # Types in error with no error anywhere: the Go would not build (a checker gap).
            for item in self.items:
                if item.go is not None and item.go.unknown_types:
                    result.extend(diag.shifted(item.offset) for diag in item.go.unknown_types)
        result.sort(key=lambda x: (x.span.start, x.span.end))
        return result

    @property
    def has_errors(self) -> bool:
        return any(diag.is_error for diag in self.diagnostics())

    def checked(self) -> CheckedFile:
        """The file as later layers (codegen) consume it."""
        items = tuple(
            CheckedItem(a.offset, a.node.parsed.text, a.node.item, a.bodies)
            for a in self.items
            if a.node.item is not None
        )
        return CheckedFile(self.path, self.text, self.env, items, self.has_errors)

    def item_at(self, offset: int) -> ItemAnalysis | None:
        for item in self.items:
            if item.offset <= offset <= item.node.end:
                return item
        return None


# An item's analysis depends on its text, the signatures of all items (env key) and the
# errors found in its own signature (which depend on the other items: duplicates, E0428).
_ItemKey = tuple[str, bool, str, tuple[d.Diagnostic, ...]]


@dataclass
class _FileState:
    text: str
    version: int | None
    parse_cache: ParseCache = field(default_factory=ParseCache)
    item_cache: dict[_ItemKey, ItemAnalysis] = field(default_factory=dict)
    analysis: FileAnalysis | None = None
    # The environment of the last analysis, reused while no signature changes.
    env_key: str | None = None
    env: ItemEnv | None = None
    signature_errors: list[list[d.Diagnostic]] = field(default_factory=list)
    # Whether the text has a top-level `fn main` (None: not known yet), for the package rule.
    has_main: bool | None = None
    # Each item's signature key (gust.sema.items.signature_key), by its parse: recomputing
    # every item's on each keystroke was linear in the file.
    signature_keys: dict[int, tuple[ParsedItem, str]] = field(default_factory=dict)
    # The names of its top-level `mod name;` items (None: not known yet), for the layout
    # of modules in files (gust.packages.module_layout).
    mods: tuple[str, ...] | None = None


@dataclass(frozen=True)
class ItemOutcome:
    """What `gust check` needs of one item's analysis, as plain data (it may be made in
    another process: gust.cli.item_split): its item-relative diagnostics, the uses of
    types in error its Go had, and whether it gave up."""

    diagnostics: tuple[d.Diagnostic, ...]
    unknown_types: tuple[d.Diagnostic, ...]
    gave_up: bool
    go_gave_up: bool
    borrow_checked: int


class BodiesLeftOut(Exception):
    """An item parsed without its bodies (ParseCache's `in_full`) was to be checked here:
    the fan-out meant to check it elsewhere did not (gust.cli.item_split then checks the
    file again, parsed in full)."""


class ItemFanOut(Protocol):
    """Checks the items an analysis must check, elsewhere (the CLI: in forked processes).
    `sizes[i]` is item i's text length (for sharing out the work), `offsets[i]` where it
    starts in the file; `check(i)` checks item i (in this process, or in a fork of it).
    Returns every outcome in order, or None: the host then checks them itself, one by
    one."""

    def __call__(self, sizes: Sequence[int], offsets: Sequence[int],
                 check: Callable[[int], ItemOutcome]) -> list[ItemOutcome] | None:
        ...


# Loads a Go package for `use go`: (import path, directory of the importing file) -> the
# package, or why there is none. The top layer (cli, lsp) supplies it: loading may run the
# Go toolchain, and nothing here does I/O.
GoProvider = Callable[[str, str], "GoPackage | str"]


@dataclass(frozen=True)
class GustPackage:
    """Another Gust library of the Go module, usable as a crate: `name::item`."""

    name: str
    directory: str
    import_path: str  # its Go import path (`example.com/shop/textkit`)
    files: tuple[str, ...]  # its `.gust` files


class GustPackages(Protocol):
    """The other Gust packages of a package's Go module (the top layer supplies it: finding
    them reads the disk)."""

    def packages(self, directory: str) -> Mapping[str, GustPackage]:
        """The Gust packages of the Go module `directory` is in, by crate name (not the
        one in `directory`)."""
        ...

    def text(self, path: str) -> str | None:
        """A `.gust` file as it is on disk."""
        ...


# `name::` anywhere in a text: which crates a package may use.
_PATH_HEAD = re.compile(r"\b([A-Za-z_]\w*)\s*::")


class AnalysisHost:
    """The set of files being analysed, with their caches."""

    def __init__(self, go_packages: GoProvider | None = None,
                 gust_packages: GustPackages | None = None) -> None:
        self._files: dict[str, _FileState] = {}
        self._gust_provider = gust_packages
        # The directories of the crates each package (directory) used in its last analysis:
        # an edit there invalidates the package too.
        self._crates_used: dict[str, frozenset[str]] = {}
        # The environment of each package (directory) last built, shared by its files.
        self._package_envs: dict[str, tuple[str, ItemEnv, list[list[d.Diagnostic]]]] = {}
        self._go_provider = go_packages
        # Items re-checked, and bodies borrow-checked, by the last `analyze` (for tests and
        # benchmarks).
        self.rechecked = 0
        self.borrow_checked = 0
        self._cancel_checks: list[CancelCheck] = []
        # Seconds the analysis of one item may take before it gives up (gust.budget);
        # None: no limit.
        self.time_budget: float | None = DEFAULT_SECONDS
        # Who checks the items of an analysis when not this loop (ItemFanOut). Only for an
        # analysis whose one use is its `diagnostics()` (the CLI's cold `gust check`): items
        # checked that way keep their diagnostics, not their bodies or their Go. Never
        # used while a cancellation check is active (the language server).
        self.fan_out: ItemFanOut | None = None

    def set_time_budget(self, seconds: float | None) -> None:
        """Change the time budget per item; items that gave up are checked again."""
        if seconds == self.time_budget:
            return
        self.time_budget = seconds
        for state in self._files.values():
            state.analysis = None
            state.item_cache = {k: v for k, v in state.item_cache.items()
                                if not (v.gave_up or v.go_gave_up)}

    @contextmanager
    def cancellation(self, check: CancelCheck) -> Iterator[None]:
        """Within the block, analyses raise `Cancelled` (between items) once `check()` is
        true. Blocks nest: any of the active checks cancels."""
        self._cancel_checks.append(check)
        try:
            yield
        finally:
            self._cancel_checks.remove(check)

    def _cancelled(self) -> bool:
        return any(check() for check in self._cancel_checks)

    def set_go_provider(self, go_packages: GoProvider | None) -> None:
        """Load Go packages with another provider (another `go` command): every analysis
        is redone, since the types of Go packages may differ."""
        self._go_provider = go_packages
        self._package_envs.clear()
        for state in self._files.values():
            state.analysis = None
            state.env_key = None
            state.env = None

    def set_text(self, path: str, text: str, version: int | None = None,
                 parse_cache: ParseCache | None = None) -> None:
        """The file's text; `parse_cache` parses a file new to the host (the CLI's, which
        may leave some items' bodies out: gust.cli.item_split)."""
        state = self._files.get(path)
        if state is None:
            self._files[path] = _FileState(text, version, parse_cache or ParseCache())
            self._invalidate_package(path)
        elif state.text != text or state.version != version:
            was_a_program = self.package_of(path) == [path] and \
                len(self.directory_files(path)) > 1
            had_main = state.has_main
            state.text = text
            state.version = version
            state.has_main = None
            state.mods = None
            if was_a_program and had_main is not None and self._has_main(path) == had_main:
                # One of a directory of programs, still defining `fn main`: the directory
                # stays a set of programs, and no other file's analysis can change.
                state.analysis = None
                for other in self.users_of(path):
                    self._files[other].analysis = None
            else:
                self._invalidate_package(path)

    def remove(self, path: str) -> None:
        if self._files.pop(path, None) is not None:
            self._invalidate_package(path)

    def _invalidate_package(self, path: str) -> None:
        """A file of a package changed: every file of its directory is analysed again (from
        caches: only items whose text or environment changed are re-checked). The whole
        directory, since the change may make it a package or a set of programs; and the
        directories above and below it, whose packages may have their modules in files
        here, or here theirs (`related_files`)."""
        for other in self.related_files(path):
            self._files[other].analysis = None
        for other in self.users_of(path):
            self._files[other].analysis = None

    def users_of(self, path: str) -> list[str]:
        """The files of the packages that used `path`'s package as a crate in their last
        analysis (an edit there may change their diagnostics)."""
        directory = _directory(path)
        return sorted(p for user, used in self._crates_used.items() if directory in used
                      for p in self._in_directory(user))

    def crate_files(self, path: str) -> list[str]:
        """The files of the other packages `path`'s package used as crates in its last
        analysis (go to definition, references)."""
        used = self._crates_used.get(_directory(path), frozenset())
        return sorted(p for p in self._files if _directory(p) in used)

    def related_files(self, path: str) -> list[str]:
        """The host's files whose analysis a change of `path` may change: those of its
        directory, and of the directories above and below it (a package's modules may be
        in files of its subdirectories: gust.packages.module_layout)."""
        directory = _directory(path)
        below = "" if directory == "." else directory + "/"
        above = {directory, *_ancestors(directory)}
        return sorted(p for p in self._files
                      if _directory(p) in above or p.startswith(below))

    def directory_files(self, path: str) -> list[str]:
        """The host's files in `path`'s directory, in path order: those whose analysis a
        change of `path` may change."""
        return self._in_directory(_directory(path))

    def _in_directory(self, directory: str) -> list[str]:
        return sorted(p for p in self._files if _directory(p) == directory)

    def package_of(self, path: str) -> list[str]:
        """The files of `path`'s package: every file of the host in the same directory (a
        directory is a package) in path order, or `path` alone when each of them defines
        `fn main` (a directory of programs: gust.packages); then the files of the modules
        they declare (`mod name;`, gust.packages.module_layout), which may be elsewhere.
        A module's file is in the package of the file that declares it."""
        return self.package_layout(path)[0]

    def package_layout(self, path: str) -> tuple[list[str], ModuleLayout]:
        """`package_of(path)`, and the layout of the modules of the directory its root
        files are in."""
        for directory in _ancestors(_directory(path)):  # a module of a package above?
            files = self._in_directory(directory)
            if not files:
                break
            layout = self._layout(files)
            if path in layout.modules:
                return self._package_files(layout, layout.origin[path]), layout
        layout = self._layout(self.directory_files(path))
        root = layout.origin.get(path, path)
        return self._package_files(layout, root), layout

    def _package_files(self, layout: ModuleLayout, root: str) -> list[str]:
        roots = list(layout.roots)
        if root not in roots:
            return [root] if root in self._files else []
        if len(roots) > 1 and each_file_a_program(self._has_main(p) for p in roots):
            roots = [root]
        return layout.files_of(roots)

    def _layout(self, files: list[str]) -> ModuleLayout:
        return module_layout(files, self._mod_declarations)

    def _mod_declarations(self, path: str) -> tuple[str, ...] | None:
        """A file's `mod name;` names; None when there is no such file (read from disk,
        through the packages provider, when the host does not have it)."""
        state = self._files.get(path)
        if state is None:
            text = self._gust_provider.text(path) if self._gust_provider else None
            if text is None:
                return None
            state = self._files[path] = _FileState(text, None)
        if state.mods is None:
            state.mods = mod_declarations(state.text)
        return state.mods

    def _has_main(self, path: str) -> bool:
        state = self._files[path]
        if state.has_main is None:
            state.has_main = might_define_main(state.text) and any(
                item_is_main(node.parsed.text)
                for node in state.parse_cache.parse(state.text).items)
        return state.has_main

    def paths(self) -> list[str]:
        return list(self._files)

    def text(self, path: str) -> str | None:
        state = self._files.get(path)
        return state.text if state is not None else None

    def _go_imports(self, path: str, items: list[ast.Item | None]
                    ) -> dict[str, GoPackage | str]:
        """The Go packages `items` import, loaded by the provider (a reason when not)."""
        paths = _go_paths(items)
        if not paths:
            return {}
        if self._go_provider is None:
            return dict.fromkeys(paths, "Go packages are not available in this analysis")
        directory = _directory(path)
        loaded = {p: self._go_provider(p, directory) for p in paths}
        # The packages their APIs name, without a name in this file: the methods and
        # fields of `resp.Body` (an `io.ReadCloser`) need `io` (sema.items.build_env).
        referenced = sorted({r for pkg in loaded.values() if isinstance(pkg, GoPackage)
                             for r in pkg.referenced_packages()} - set(loaded))
        for ref in referenced:
            pkg = self._go_provider(ref, directory)
            if isinstance(pkg, GoPackage):
                loaded[ref] = pkg
        return loaded

    def _add_crates(self, path: str, package: list[str], nodes: list[ItemNode],
                    files: list[str], roots: list[tuple[str, ...]]
                    ) -> tuple[dict[str, str], tuple[str, ...]]:
        """Add the items of the other Gust packages the package uses (a `name::` in its
        text, or in a used package's) to `nodes`, `files` and `roots`; they are read into
        the host when it does not have them. Returns the crates (name -> Go import path)
        and, when one of them uses the package back, the chain of crates from the
        package's to that one (gust.ide.crate_cycles)."""
        directory = _directory(path)
        if self._gust_provider is None:
            return {}, ()
        available = self._gust_provider.packages(directory)
        if not available:
            return {}, ()
        own = go_package_name(directory)
        library = _is_library(nodes)
        # Names a crate would not mean: the package's own items, and its Go imports.
        local = crate_cycles.local_names(nodes)
        # Each crate to look at, with the crate whose text names it (None: the package).
        pending: dict[str, str | None] = dict.fromkeys(
            _crate_candidates([self._files[p].text for p in package]) - local)
        crates: dict[str, str] = {}
        used_by: dict[str, str | None] = {}
        cycle: tuple[str, ...] = ()
        used: set[str] = set()
        while pending:
            name, parent = pending.popitem()
            crate = available.get(name)
            if crate is None or name in crates or crate.directory == directory:
                continue
            crate_nodes, crate_files = self._crate_nodes(crate)
            if not _is_library(crate_nodes):
                continue  # a program: Go cannot import it
            crates[name] = crate.import_path
            used_by[name] = parent
            used.add(crate.directory)
            nodes.extend(crate_nodes)
            files.extend(crate_files)
            roots.extend([(name,)] * len(crate_nodes))
            texts = [self._files[p].text for p in set(crate_files)]
            names = _crate_candidates(texts)
            if library and not cycle and own in names and \
                    crate_cycles.first_path(crate_nodes, own) is not None:
                cycle = _chain(used_by, name)
            for other in names:
                pending.setdefault(other, name)
        self._crates_used[directory] = frozenset(used)
        return crates, cycle

    def _crate_nodes(self, crate: GustPackage) -> tuple[list[ItemNode], list[str]]:
        nodes: list[ItemNode] = []
        files: list[str] = []
        for p in crate.files:
            if p not in self._files:
                text = self._gust_provider.text(p) if self._gust_provider else None
                if text is None:
                    continue
                self._files[p] = _FileState(text, None)
            file_nodes = self._files[p].parse_cache.parse(self._files[p].text).items
            nodes.extend(file_nodes)
            files.extend([p] * len(file_nodes))
        return nodes, files

    def syntax(self, path: str) -> SourceFile:
        """The parse of the file alone (its `syntax_errors`), for a first answer while the
        full analysis of a newly opened file runs; the analysis then reuses it."""
        state = self._files[path]
        if state.analysis is not None:
            return state.analysis.source
        with paused_gc():
            return state.parse_cache.parse(state.text)

    def last_env(self, path: str) -> ItemEnv | None:
        """The environment of the file's last analysis, without analysing its current text:
        for answers due before a keystroke's analysis (completion), which only a changed
        signature would make stale."""
        state = self._files.get(path)
        return state.env if state is not None else None

    def analyze(self, path: str) -> FileAnalysis:
        state = self._files[path]
        if state.analysis is not None:
            return state.analysis
        with paused_gc():
            state.analysis = self._analyze(path, state)
        return state.analysis

    def _signature_keys(self, files: list[str], nodes: list[ItemNode]
                        ) -> list[tuple[str, str]]:
        """(file, signature key) of each node, from each file's cache of keys by parse."""
        out: list[tuple[str, str]] = []
        fresh: dict[str, dict[int, tuple[ParsedItem, str]]] = {}
        for f, node in zip(files, nodes, strict=True):
            parsed = node.parsed
            keys = fresh.get(f)
            if keys is None:
                keys = fresh[f] = {}
            found = self._files[f].signature_keys.get(id(parsed))
            if found is None or found[0] is not parsed:
                found = (parsed, signature_key(parsed.item, parsed.text))
            keys[id(parsed)] = found
            out.append((f, found[1]))
        for f, keys in fresh.items():
            self._files[f].signature_keys = keys
        return out

    def _analyze(self, path: str, state: _FileState) -> FileAnalysis:
        source = state.parse_cache.parse(state.text)
        nodes = source.items
        # The package: this file and the other files of its directory, whose signatures
        # make one environment (spans stay relative to each item, of whichever file).
        package, layout = self.package_layout(path)
        all_nodes: list[ItemNode] = []
        files: list[str] = []
        first = 0
        for p in package:
            if p == path:
                first = len(all_nodes)
            file_nodes = nodes if p == path else \
                self._files[p].parse_cache.parse(self._files[p].text).items
            all_nodes.extend(file_nodes)
            files.extend([p] * len(file_nodes))
        roots: list[tuple[str, ...]] = [layout.modules.get(f, ()) for f in files]
        own_count = len(all_nodes)
        crates, cycle = self._add_crates(path, package, all_nodes, files, roots)
        package_items = [n.item for n in all_nodes]
        go = self._go_imports(path, package_items)
        env_key = "\x01".join([*(f"{f}\x02{k}" for f, k in self._signature_keys(files, all_nodes)),
                               *(f"go {p} {id(pkg)}" for p, pkg in sorted(go.items())),
                               *(f"crate {c} {i}" for c, i in sorted(crates.items())),
                               *(f"mod {f} {'::'.join(m)}" for f, m in
                                 sorted(layout.modules.items()) if f in package),
                               *(f"no mod {f} {n}" for f, n in sorted(layout.missing)),
                               *((f"cycle {' '.join(cycle)}",) if cycle else ())])
        if env_key == state.env_key and state.env is not None:
            env, signature_errors = state.env, state.signature_errors
        else:
            # Keyed by the package's first file: one per directory, or per program.
            cached = self._package_envs.get(package[0])
            if cached is not None and cached[0] == env_key:
                env, package_errors = cached[1], cached[2]
            else:
                unread = frozenset((*layout.modules.get(f, ()), name)
                                   for f, name in layout.missing)
                env, package_errors = build_env(package_items, go, files, crates, roots,
                                                unread)
                # The backend's package-wide questions (does any code name `usize::MAX`,
                # read `Rc` counts) are then mostly answered without walking every item.
                note_texts(env, [n.parsed.text for n in all_nodes])
                _report_missing_modules(package_errors, all_nodes, files, layout)
                if cycle:
                    _report_cycle(package_errors, all_nodes[:own_count], directory_of(path),
                                  cycle)
                self._package_envs[package[0]] = (env_key, env, package_errors)
            signature_errors = package_errors[first : first + len(nodes)]
            state.env_key, state.env, state.signature_errors = env_key, env, signature_errors
        # The same signatures, but bodies may have changed: the environment describes
        # this parse from now on (the checker and the backend find impls by declaration).
        adopt(env, package_items)
        cache: dict[_ItemKey, ItemAnalysis] = {}
        items: list[ItemAnalysis] = []
        self.rechecked = 0
        self.borrow_checked = 0
        if self.fan_out is not None and not self._cancel_checks:
            self._check_elsewhere(self.fan_out, env, env_key, nodes, signature_errors,
                                  state, cache)
        for node, sig_errors in zip(nodes, signature_errors, strict=True):
            if self._cancel_checks and self._cancelled():
                # Keep what was checked: the next analysis (of a newer text) reuses every
                # item that did not change. The file's own cache is complete again after it.
                state.item_cache.update(cache)
                raise Cancelled(path)
            key = (node.parsed.text, node.parsed.item is None, env_key, tuple(sig_errors))
            analysis = state.item_cache.get(key) or cache.get(key)
            if analysis is None or analysis.node.parsed is not node.parsed:
                if node.parsed.bodies_left_out:
                    raise BodiesLeftOut(path)
                analysis, borrow_checked = _check_item(env, node, sig_errors,
                                                       Budget(self.time_budget))
                self.rechecked += 1
                self.borrow_checked += borrow_checked
            elif analysis.node.offset != node.offset:
                analysis = replace(analysis, node=node)
            cache[key] = analysis
            items.append(analysis)
        state.item_cache = cache
        return FileAnalysis(path, state.text, state.version, source, env, tuple(items),
                            self.time_budget)

    def _check_elsewhere(self, fan_out: ItemFanOut, env: ItemEnv, env_key: str,
                         nodes: Sequence[ItemNode], signature_errors: list[list[d.Diagnostic]],
                         state: _FileState, cache: dict[_ItemKey, ItemAnalysis]) -> None:
        """Check the items that need it through `fan_out`, into `cache`, where the loop of
        `_analyze` then finds them (as it finds an item identical to an earlier one)."""
        todo: dict[_ItemKey, tuple[ItemNode, list[d.Diagnostic]]] = {}
        for node, sig_errors in zip(nodes, signature_errors, strict=True):
            key = (node.parsed.text, node.parsed.item is None, env_key, tuple(sig_errors))
            found = state.item_cache.get(key)
            if (found is None or found.node.parsed is not node.parsed) and key not in todo:
                todo[key] = (node, sig_errors)
        work = list(todo.values())
        if not work:
            return
        budget = self.time_budget

        def check(i: int) -> ItemOutcome:
            node, sig_errors = work[i]
            analysis, borrow_checked = _check_item(env, node, sig_errors, Budget(budget))
            return _outcome(analysis, borrow_checked)

        outcomes = fan_out([len(node.parsed.text) for node, _ in work],
                           [node.offset for node, _ in work], check)
        if outcomes is None or len(outcomes) != len(work):
            return
        for key, (node, _), outcome in zip(todo, work, outcomes, strict=True):
            cache[key] = _from_outcome(node, outcome)
            self.rechecked += 1
            self.borrow_checked += outcome.borrow_checked


def _outcome(analysis: ItemAnalysis, borrow_checked: int) -> ItemOutcome:
    go = analysis.go
    return ItemOutcome(analysis.diagnostics, go.unknown_types if go is not None else (),
                       analysis.gave_up, analysis.go_gave_up, borrow_checked)


def _from_outcome(node: ItemNode, outcome: ItemOutcome) -> ItemAnalysis:
    """An item's analysis rebuilt from its outcome: its diagnostics, and a Go chunk without
    lines that carries only the uses of types in error (FileAnalysis.diagnostics)."""
    go = GoChunk((), (), (), unknown_types=outcome.unknown_types) \
        if outcome.unknown_types else None
    return ItemAnalysis(node, (), outcome.diagnostics, go, gave_up=outcome.gave_up,
                        go_gave_up=outcome.go_gave_up)


def _chain(used_by: Mapping[str, str | None], last: str) -> tuple[str, ...]:
    """The crates from the package's own to `last`, following who named whom."""
    chain = [last]
    while (parent := used_by.get(chain[-1])) is not None and parent not in chain:
        chain.append(parent)
    return tuple(reversed(chain))


def _report_cycle(errors: list[list[d.Diagnostic]], nodes: list[ItemNode], directory: str,
                  cycle: tuple[str, ...]) -> None:
    """The cycle's error, on the package's first path naming its first crate."""
    found = crate_cycles.first_path(nodes, cycle[0])
    if found is not None:
        index, span = found
        errors[index] = [*errors[index], crate_cycles.diagnostic(
            go_package_name(directory), cycle, span)]


def _report_missing_modules(errors: list[list[d.Diagnostic]], nodes: list[ItemNode],
                            files: list[str], layout: ModuleLayout) -> None:
    """rustc's E0583 on each `mod name;` whose file is not there."""
    if not layout.missing:
        return
    for index, (node, path) in enumerate(zip(nodes, files, strict=False)):
        item = node.item
        if isinstance(item, ast.ModDecl) and item.items is None and \
                (path, item.name) in layout.missing:
            name = item.name
            first, second = module_candidates(path, path in layout.roots, name)
            errors[index] = [*errors[index], d.error(
                "E0583", f"file not found for module `{name}`", item.span, None,
                notes=(f"if there is a `mod {name}` elsewhere in the crate already, import "
                       "it with `use crate::...` instead",),
                help=(f"to create the module `{name}`, create file \"{_relative(path, first)}\" "
                      f"or \"{_relative(path, second)}\"",))]


def _relative(declaring: str, target: str) -> str:
    """`target` as rustc names it in E0583: from the declaring file's directory."""
    prefix = declaring[: declaring.replace("\\", "/").rfind("/") + 1]
    return target[len(prefix):] if target.startswith(prefix) else target


def _crate_candidates(texts: list[str]) -> set[str]:
    return {m.group(1) for text in texts for m in _PATH_HEAD.finditer(text)}


def _is_library(nodes: list[ItemNode]) -> bool:
    return not any(isinstance(n.item, ast.FnDecl) and n.item.name == "main" for n in nodes)


def _with_nested(body: BodyResults) -> list[BodyResults]:
    """A body and the bodies of the `fn` items declared inside it."""
    return [body, *(b for inner in body.nested for b in _with_nested(inner))]


_directory = directory_of


def _ancestors(directory: str) -> list[str]:
    """The directories above `directory`, nearest first (`.` last for a relative one)."""
    out: list[str] = []
    while directory not in (".", "", "/"):
        directory = _directory(directory)
        out.append(directory)
    return out


def _go_paths(items: list[ast.Item | None]) -> list[str]:
    return sorted({i.package for i in items if isinstance(i, ast.UseGoDecl)})


def _check_item(env: ItemEnv, node: ItemNode, signature_errors: list[d.Diagnostic],
                budget: Budget) -> tuple[ItemAnalysis, int]:
    """The item's analysis, and how many bodies were borrow-checked for it; when the
    budget runs out, an analysis with only the `time_budget` warning (and the signature's
    errors: the environment has them anyway)."""
    try:
        return _check_item_within(env, node, signature_errors, budget)
    except OutOfTime as exc:
        return ItemAnalysis(node, (), (*signature_errors, _gave_up(node, exc)),
                            gave_up=True), 0
    except RecursionError:
        # The parser stops at a depth of nesting (gust.syntax.lalr.MAX_DEPTH), but chains
        # (`x.f().g()...`) and some nestings (closures in closures) cost the checker more
        # Python frames per level than the parser's stack counts: one error, not a crash.
        name, where = _named(node, OutOfTime(0.0))
        return ItemAnalysis(node, (), (*signature_errors, d.error(
            None, "expression nests too deeply", where,
            f"`{name}` nests too deeply to be checked"))), 0


def _gave_up(node: ItemNode, exc: OutOfTime) -> d.Diagnostic:
    """The `time_budget` warning, on the name of the function that took too long."""
    name, where = _named(node, exc)
    return d.warning(
        d.TIME_BUDGET, f"analysis of `{name}` gave up after {exc.seconds:.1f} s", where,
        "checking this took too long; it was not checked",
        notes=("the other items were checked; errors in this one are not reported",),
        help=("split the function, or give its values explicit types; the budget per item "
              "is the `gust.analysis.timeBudget` setting (`gust check --time-budget`)",))


def _go_gave_up(node: ItemNode, exc: OutOfTime) -> d.Diagnostic:
    """The `time_budget` warning for an item that was checked but whose Go took too long
    (its types are enormous: Go spells each one whole)."""
    name, where = _named(node, exc)
    return d.warning(
        d.TIME_BUDGET, f"generating the Go of `{name}` gave up after {exc.seconds:.1f} s",
        where, "its Go took too long to generate",
        notes=("it was checked; the generated-Go preview shows no Go while this lasts, "
               "and `gust build` (which has no time limit) still generates it",),
        help=("give its values smaller types; the budget per item is the "
              "`gust.analysis.timeBudget` setting (`gust check --time-budget`)",))


def _named(node: ItemNode, exc: OutOfTime) -> tuple[str, Span]:
    """The name of the function that ran out of time, and where to report it."""
    item = node.item
    name = exc.fn or getattr(item, "name", None) or "this item"
    where = exc.where if isinstance(exc.where, Span) else \
        getattr(item, "name_span", None) or Span(0, min(len(node.parsed.text), 1))
    return name, where


def _check_item_within(env: ItemEnv, node: ItemNode, signature_errors: list[d.Diagnostic],
                       budget: Budget) -> tuple[ItemAnalysis, int]:
    if node.item is None:
        return ItemAnalysis(node, (), ()), 0
    bodies, type_errors = sema.check_item(env, node.item, budget)
    borrow_errors: list[d.Diagnostic] = []
    borrow_checked = 0
    signature_ok = not any(e.is_error for e in signature_errors)
    for body in bodies:
        # Like rustc, borrow-check only bodies that type-check (with their signatures: an
        # unknown parameter type is an error type, which would look like a move).
        if signature_ok and not any(e.is_error for e in body.diagnostics):
            if body.item is not None:
                borrow_errors.extend(body.lints)  # a constant: evaluated, not borrow-checked
                continue
            for inner in _with_nested(body):
                try:
                    borrow_errors.extend(borrowck.check_body(env, inner, budget))
                except OutOfTime as exc:
                    raise OutOfTime(exc.seconds, inner.fn.name, inner.fn.name_span) from None
                # Lints, kept out of the body's diagnostics so that the body is still
                # borrow-checked; dropped when the file has other errors (rustc's order).
                borrow_errors.extend(inner.lints)
                borrow_checked += 1
    if node.parsed.errors:
        # The item has syntax errors: its recovered tree is still checked (for hover and
        # for the other items), but diagnostics would mostly be echoes of the syntax error.
        return ItemAnalysis(node, tuple(bodies), tuple(signature_errors)), borrow_checked
    diagnostics = [*signature_errors, *type_errors, *borrow_errors]
    go: GoChunk | None = None
    if not any(diag.is_error for diag in diagnostics) and \
            not _uses_unresolved_go(env, node.parsed.text):
        checked = CheckedItem(node.offset, node.parsed.text, node.item, tuple(bodies))
        try:
            go = codegen.emit_item(env, checked, budget)
        except OutOfTime as exc:
            # The checks stand: only the Go is missing (gust.ide.generated says why).
            diagnostics.append(_go_gave_up(node, exc))
            return ItemAnalysis(node, tuple(bodies), tuple(diagnostics),
                                go_gave_up=True), borrow_checked
        diagnostics.extend(go.diagnostics)
    return ItemAnalysis(node, tuple(bodies), tuple(diagnostics), go), borrow_checked


def _uses_unresolved_go(env: ItemEnv, text: str) -> bool:
    """Whether the item names a `use go` package that could not be loaded: its uses are
    silently the error type (the import has the error, E0432), so it has no Go."""
    if not env.go_unresolved:
        return False
    names = "|".join(re.escape(alias) for alias in sorted(env.go_unresolved))
    return re.search(rf"\b(?:{names})\s*::", text) is not None


def analyze_text(path: str, text: str, go_packages: GoProvider | None = None) -> FileAnalysis:
    """Analyse one text without keeping caches (for the CLI and tests)."""
    host = AnalysisHost(go_packages)
    host.set_text(path, text)
    return host.analyze(path)


def check_source(path: str, text: str, go_packages: GoProvider | None = None
                 ) -> list[d.Diagnostic]:
    """All diagnostics of one file, with file offsets."""
    return analyze_text(path, text, go_packages).diagnostics()

