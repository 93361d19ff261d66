"""Loading the exported API of Go packages (`use go "net/http";`) for the analysis.

`GoPackages.load(import_path, module_dir)` returns a `gust.sema.golang.GoPackage`, or None
with a reason (`GoPackages.reason`); `load_many` loads several with one Go call. It never
raises. In order, it tries:

1. memory, then the on-disk cache: `$XDG_CACHE_HOME/gust/go/<go version>/<helper key>/
   packages/<import path>.json`. A standard-library package is keyed by the Go version
   alone. A package of the user's module is keyed also by a hash of its `.go` files and of
   go.mod/go.sum (`<import path>@<hash>.json`), so an edit gives a new entry (older entries
   of that package are deleted);
2. the Go toolchain, through a small Go program shipped in this package
   (`gotypes_helper/main.go`, standard library only, so it works offline). It is built
   with the user's Go on first use into `.../<go version>/gotypes-helper-<key>` and run
   with a timeout;
3. the stubs shipped with Gust (`gust/stubs/go/<import path>.json`, made by
   tools/gen_go_stubs.py for `STUB_PACKAGES`), when Go is missing or fails, so checking
   works where Go is not installed.

Safety (docs/security.md): a standard-library package is read from the toolchain's GOROOT
with the helper run outside the user's module (no `go` command ever runs in the workspace
for it). Any other package (the user's module, its dependencies) means running Go on the
user's code: `go list` in the module, which compiles its packages (cgo included) and
obeys its go.mod; so it is read only when `module_packages=True` (the CLI: the user asked
to check or build; the language server: the `gust.goModulePackages` setting). Otherwise
`load` answers None with a reason saying how to enable it (`LoadResult.source` is
`NOT_ENABLED`). Every go command runs offline and never writes go.mod or go.sum
(`gust.cli.gotool.reading_env`).

This layer does I/O (files, subprocesses); the analysis below it only sees the returned
data. The CLI and the language server create one `GoPackages` and pass what it loads on.
"""

from __future__ import annotations

import contextlib
import functools
import json
import os
import re
import sys
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path

from gust.cli.gotool import GoNotFound, find_go, reading_env
from gust.frozen import dataclass
from gust.hashing import content_hash
from gust.sema.golang import (
    GoPackage,
    Json,
    dumps_package,
    loads_package,
    package_from_json,
    package_to_json,
)

# The standard packages whose stubs ship with Gust.
STUB_PACKAGES: tuple[str, ...] = (
    "bufio", "bytes", "context", "encoding/json", "errors", "fmt", "io", "log", "math",
    "math/rand", "net/http", "os", "sort", "strconv", "strings", "sync", "time",
)

HELPER_SOURCE = Path(__file__).resolve().parent / "gotypes_helper" / "main.go"
STUBS_DIR = Path(__file__).resolve().parent.parent / "stubs" / "go"
# Bump when the meaning of cached JSON changes without the helper's source changing.
CACHE_FORMAT = "1"
# The helper uses go/types APIs of Go 1.23 (type aliases as types).
HELPER_GO_MOD = "module gusthelper\n\ngo 1.23\n"
DEFAULT_TIMEOUT = 120.0  # seconds; compiling export data with a cold build cache is slow

# `LoadResult.source` of a package outside the standard library when reading such packages
# is not enabled (`GoPackages(module_packages=False)`).
NOT_ENABLED = "not enabled"

_IMPORT_PATH = re.compile(r"[A-Za-z0-9_~+][A-Za-z0-9_.~+-]*(/[A-Za-z0-9_~+][A-Za-z0-9_.~+-]*)*")
_PATTERNS = {"all", "std", "cmd", "tool", "work", "main"}


# ============================================================== running commands


@dataclass(frozen=True, slots=True)
class RunOutput:
    returncode: int
    stdout: str
    stderr: str


# A runner runs argv in cwd with env and a timeout (seconds). It must not raise: a command
# that cannot start or times out gives a nonzero returncode and a message in stderr.
Runner = Callable[[Sequence[str], Path, Mapping[str, str], float], RunOutput]


def run_command(argv: Sequence[str], cwd: Path, env: Mapping[str, str], timeout: float
                ) -> RunOutput:
    """The default runner: a subprocess."""
    import subprocess

    try:
        proc = subprocess.run(list(argv), cwd=cwd, env=dict(env), text=True,
                              capture_output=True, timeout=timeout, check=False)
    except subprocess.TimeoutExpired:
        return RunOutput(-1, "", f"timed out after {timeout:g} s")
    except (OSError, ValueError) as e:
        return RunOutput(-1, "", str(e))
    return RunOutput(proc.returncode, proc.stdout, proc.stderr)


# ============================================================== results


@dataclass(frozen=True, slots=True)
class LoadResult:
    """What `load` found. `source` is "cache" (memory or disk), "go" (the toolchain just
    read it), "stub" (the shipped stubs), NOT_ENABLED (a package outside the standard
    library, not read: see `GoPackages`) or "" (nothing). `reason` says why `package` is
    None, or why stubs stood in for Go."""

    package: GoPackage | None
    source: str
    reason: str = ""


@dataclass(frozen=True, slots=True)
class Toolchain:
    go: str
    version: str  # "go1.27.3"
    goroot: Path | None


@dataclass(frozen=True, slots=True)
class Module:
    """A Go module of the user: its directory and module path (from go.mod)."""

    dir: Path
    path: str

    def package_dir(self, import_path: str) -> Path | None:
        if import_path == self.path:
            return self.dir
        if import_path.startswith(self.path + "/"):
            return self.dir / import_path[len(self.path) + 1:]
        return None


def valid_import_path(path: str) -> bool:
    """A plain import path: never a pattern (`./...`, `std`) or a flag (`-x`) for go list."""
    if path in _PATTERNS or not _IMPORT_PATH.fullmatch(path):
        return False
    return all(part not in (".", "..") for part in path.split("/"))


def default_cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "gust" / "go"


def find_module(start: Path) -> Module | None:
    """The module containing `start` (the nearest go.mod at or above it)."""
    try:
        start = start.resolve()
    except OSError:
        return None
    for d in (start, *start.parents):
        go_mod = d / "go.mod"
        try:
            text = go_mod.read_text(encoding="utf-8")
        except OSError:
            continue
        match = re.search(r"^\s*module\s+\"?([^\s\"]+)\"?", text, re.MULTILINE)
        return Module(d, match[1]) if match else None
    return None


# ============================================================== the provider


class GoPackages:
    """Loads Go packages' exported API: memory, disk cache, Go toolchain, shipped stubs.

    `go`: the go command (default: `gust.cli.gotool.find_go()`); `runner` runs commands
    (tests inject one to count helper runs); `use_stubs=False` never falls back to the
    stubs (the stub generator reads the real toolchain only); `module_packages`: whether
    packages outside the standard library may be read, which runs Go on the user's code
    (module docstring); off by default, so a caller that forgets runs nothing."""

    def __init__(self, go: str | None = None, *, cache_dir: Path | None = None,
                 stubs_dir: Path | None = None, runner: Runner = run_command,
                 timeout: float = DEFAULT_TIMEOUT, use_stubs: bool = True,
                 module_packages: bool = False) -> None:
        self._go = go
        self.module_packages = module_packages
        self.cache_dir = cache_dir if cache_dir is not None else default_cache_dir()
        self.stubs_dir = stubs_dir if stubs_dir is not None else STUBS_DIR
        self._runner = runner
        self.timeout = timeout
        self.use_stubs = use_stubs
        self._toolchain: Toolchain | str | None = None  # str: why there is none
        self._memory: dict[Path, GoPackage] = {}
        self._stubs: dict[str, GoPackage | None] = {}
        self._reasons: dict[str, str] = {}

    # ---------------------------------------------------------------- public API

    def load(self, import_path: str, module_dir: Path | str | None = None) -> GoPackage | None:
        """The package, or None (then `reason(import_path)` says why)."""
        return self.load_result(import_path, module_dir).package

    def reason(self, import_path: str) -> str:
        """Why the last load of `import_path` failed or fell back to stubs ("" if not)."""
        return self._reasons.get(import_path, "")

    def load_result(self, import_path: str, module_dir: Path | str | None = None
                    ) -> LoadResult:
        return self.load_many([import_path], module_dir)[import_path]

    def load_many(self, import_paths: Iterable[str], module_dir: Path | str | None = None
                  ) -> dict[str, LoadResult]:
        """Load several packages, running Go at most once for all that are not cached."""
        paths = list(dict.fromkeys(import_paths))
        results: dict[str, LoadResult] = {}
        try:
            self._load_into(results, paths, module_dir)
        except Exception as e:  # never raise into the editor or the CLI
            for path in paths:
                results.setdefault(path, self._fallback(path, f"internal error: {e!r}"))
        for path, result in results.items():
            self._reasons[path] = result.reason
        return results

    def load_stub(self, import_path: str) -> GoPackage | None:
        """The shipped stub alone, without asking Go (e.g. to answer at once while Go
        builds the helper or reads a package for the first time)."""
        return self._stub(import_path) if valid_import_path(import_path) else None

    def toolchain(self) -> Toolchain | str:
        """The Go toolchain and its version, or why there is none (found once)."""
        if self._toolchain is None:
            self._toolchain = self._find_toolchain()
        return self._toolchain

    # ---------------------------------------------------------------- loading

    def _load_into(self, results: dict[str, LoadResult], paths: list[str],
                   module_dir: Path | str | None) -> None:
        # import path -> cache file, for the standard library and for the user's packages
        standard: dict[str, Path] = {}
        others: dict[str, Path] = {}
        toolchain = self.toolchain()
        module = find_module(Path(module_dir)) if module_dir is not None else None
        for path in paths:
            if not valid_import_path(path):
                results[path] = LoadResult(None, "", f"`{path}` is not a Go import path")
            elif isinstance(toolchain, str):
                results[path] = self._fallback(path, toolchain, go_missing=True)
            elif _reads_user_code(toolchain, path, module) and not self.module_packages:
                results[path] = LoadResult(None, NOT_ENABLED, not_enabled_reason(path))
            else:
                cache_file = self._cache_file(toolchain, path, module)
                cached = self._read_cache(cache_file)
                if cached is not None:
                    results[path] = LoadResult(cached, "cache")
                elif not _reads_user_code(toolchain, path, module):
                    standard[path] = cache_file
                else:
                    others[path] = cache_file
        if isinstance(toolchain, str):
            return
        # The standard library (and paths that can only name it) is read outside the
        # user's module: nothing of the workspace (its go.mod, go.work or code) takes part.
        if standard:
            results.update(self._run_go(toolchain, standard, None))
        if others:
            results.update(self._run_go(toolchain, others, module))

    def _run_go(self, toolchain: Toolchain, pending: dict[str, Path], module: Module | None
                ) -> dict[str, LoadResult]:
        helper = self._helper(toolchain)
        if isinstance(helper, str):
            return {path: self._fallback(path, helper) for path in pending}
        argv = [str(helper), "-go", toolchain.go]
        if module is not None:
            argv += ["-C", str(module.dir)]
        cwd = module.dir if module is not None else self.cache_dir
        env = reading_env(module.dir if module is not None else None)
        out = self._runner([*argv, "--", *pending], cwd, env, self.timeout)
        if out.returncode != 0:
            why = f"the Go type reader failed: {_first_lines(out.stderr)}"
            return {path: self._fallback(path, why) for path in pending}
        return self._read_helper_output(out.stdout, pending)

    def _read_helper_output(self, stdout: str, pending: dict[str, Path]
                            ) -> dict[str, LoadResult]:
        try:
            data = json.loads(stdout)
            packages = [package_from_json(p) for p in data["packages"]]
            errors = {str(k): str(v) for k, v in dict(data.get("errors") or {}).items()}
        except (ValueError, KeyError, TypeError, AttributeError) as e:
            why = f"the Go type reader printed something unexpected: {e}"
            return {path: self._fallback(path, why) for path in pending}
        results: dict[str, LoadResult] = {}
        for pkg in packages:
            if pkg.path in pending:
                self._write_cache(pending[pkg.path], pkg)
                results[pkg.path] = LoadResult(pkg, "go")
        for path in pending:
            if path not in results:
                why = errors.get(path, "Go printed nothing for it")
                results[path] = self._fallback(path, f"Go cannot load `{path}`: {why}")
        return results

    def _fallback(self, path: str, why: str, go_missing: bool = False) -> LoadResult:
        """The shipped stub for `path`, with `why` Go was not used; or None and `why`."""
        stub = self._stub(path) if self.use_stubs else None
        if stub is not None:
            return LoadResult(stub, "stub", f"{why}; using the Go stubs shipped with Gust")
        if go_missing and self.use_stubs:
            shipped = ", ".join(STUB_PACKAGES)
            why += f" (Gust ships stubs only for: {shipped})"
        return LoadResult(None, "", why)

    def _stub(self, path: str) -> GoPackage | None:
        if path not in self._stubs:
            self._stubs[path] = _read_package(self.stubs_dir / f"{path}.json")
        return self._stubs[path]

    # ---------------------------------------------------------------- the toolchain

    def _find_toolchain(self) -> Toolchain | str:
        import shutil
        import tempfile

        go = self._go
        if go is None:
            try:
                go = find_go()
            except GoNotFound as e:
                return str(e)
        resolved = shutil.which(go)
        if resolved is None:
            return f"the Go toolchain was not found at `{go}`"
        from_file = _version_beside(Path(resolved))
        if from_file is not None:
            return Toolchain(resolved, *from_file)
        out = self._runner([resolved, "env", "GOVERSION", "GOROOT"],
                           Path(tempfile.gettempdir()), reading_env(), 30.0)
        lines = out.stdout.split("\n")
        if out.returncode != 0 or not lines[0].startswith("go"):
            return f"`{resolved} env GOVERSION` failed: {_first_lines(out.stderr)}"
        goroot = Path(lines[1]) if len(lines) > 1 and lines[1] else None
        return Toolchain(resolved, lines[0].strip(), goroot)

    def _helper(self, toolchain: Toolchain) -> Path | str:
        """The helper binary for this Go version, built on first use; or why not."""
        import tempfile

        target = self._version_dir(toolchain) / f"gotypes-helper-{helper_key()}"
        if sys.platform == "win32":
            target = target.with_suffix(".exe")
        if target.exists():
            return target
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            with tempfile.TemporaryDirectory(dir=target.parent, prefix="build-") as tmp:
                return self._build_helper(toolchain, Path(tmp), target)
        except OSError as e:
            return f"cannot build the Go type reader in {target.parent}: {e}"

    def _build_helper(self, toolchain: Toolchain, tmp: Path, target: Path) -> Path | str:
        import shutil

        (tmp / "go.mod").write_text(HELPER_GO_MOD, encoding="utf-8")
        shutil.copyfile(HELPER_SOURCE, tmp / "main.go")
        built = tmp / target.name
        argv = [toolchain.go, "build", "-trimpath", "-o", str(built), "."]
        out = self._runner(argv, tmp, reading_env(), self.timeout)
        if out.returncode != 0 or not built.exists():
            return f"building the Go type reader failed: {_first_lines(out.stderr)}"
        os.replace(built, target)  # atomic: a concurrent build wins harmlessly
        return target

    # ---------------------------------------------------------------- the disk cache

    def _version_dir(self, toolchain: Toolchain) -> Path:
        return self.cache_dir / _safe(toolchain.version)

    def _cache_file(self, toolchain: Toolchain, path: str, module: Module | None) -> Path:
        root = self._version_dir(toolchain) / helper_key() / "packages"
        if _is_standard(toolchain, path, module):
            return root / f"{path}.json"
        return root / f"{path}@{_source_hash(path, module)}.json"

    def _read_cache(self, cache_file: Path) -> GoPackage | None:
        pkg = self._memory.get(cache_file)
        if pkg is None:
            pkg = _read_package(cache_file)
            if pkg is not None:
                self._memory[cache_file] = pkg
        return pkg

    def _write_cache(self, cache_file: Path, pkg: GoPackage) -> None:
        """Write atomically (the CLI and the server may share the cache) and drop older
        entries of the same user package; a cache that cannot be written is skipped."""
        import tempfile

        self._memory[cache_file] = pkg
        try:
            cache_file.parent.mkdir(parents=True, exist_ok=True)
            _prune_old_versions(cache_file)
            fd, tmp = tempfile.mkstemp(dir=cache_file.parent, suffix=".tmp")
        except OSError:
            return
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as f:
                f.write(dumps_package(pkg))
            os.replace(tmp, cache_file)
        except OSError:
            with contextlib.suppress(OSError):
                os.unlink(tmp)


# ============================================================== helpers


def not_enabled_reason(path: str) -> str:
    """Why a package outside the standard library was not read, and how to allow it."""
    return (f"`{path}` is not a package of Go's standard library: reading its types runs "
            "the Go toolchain on the code of your workspace (`go list`, which compiles "
            "it), which the language server does only when the `gust.goModulePackages` "
            "setting is on (in VS Code: turn it on in a trusted workspace)")


@functools.cache
def helper_key() -> str:
    """Names the helper binary and the cache: a new helper or format re-reads packages."""
    digest = content_hash(CACHE_FORMAT.encode())
    with contextlib.suppress(OSError):
        digest.update(HELPER_SOURCE.read_bytes())
    return digest.hexdigest()[:16]


def _version_beside(go: Path) -> tuple[str, Path] | None:
    """(version, GOROOT) from the VERSION file of the GOROOT the binary sits in: no
    subprocess, which matters when the server starts."""
    try:
        goroot = go.resolve().parent.parent
        first = (goroot / "VERSION").read_text(encoding="utf-8").split("\n", 1)[0].strip()
    except OSError:
        return None
    if os.environ.get("GOROOT") not in (None, "", str(goroot)):
        return None  # the go command will use another GOROOT: ask it
    return (first, goroot) if first.startswith("go") else None


def _is_standard(toolchain: Toolchain, path: str, module: Module | None) -> bool:
    if module is not None and module.package_dir(path) is not None:
        return False
    if "." in path.split("/", 1)[0]:
        return False
    return toolchain.goroot is None or (toolchain.goroot / "src" / path).is_dir()


def _reads_user_code(toolchain: Toolchain, path: str, module: Module | None) -> bool:
    """Whether reading `path` means running Go in the user's module: a package of the
    module, or of a module it requires (a domain as first element). A path that can only
    name a standard package (`net/htp`) is asked outside the module (Go answers "not in
    std")."""
    if _is_standard(toolchain, path, module):
        return False
    owned = module is not None and module.package_dir(path) is not None
    return owned or "." in path.split("/", 1)[0]


def _source_hash(path: str, module: Module | None) -> str:
    """A hash of what a non-standard package's API depends on: its `.go` files (tests
    excluded) and the module's go.mod and go.sum."""
    digest = content_hash(path.encode())
    if module is None:
        return digest.hexdigest()[:16]
    files = [module.dir / "go.mod", module.dir / "go.sum"]
    pkg_dir = module.package_dir(path)
    if pkg_dir is not None and pkg_dir.is_dir():
        files += sorted(f for f in pkg_dir.glob("*.go") if not f.name.endswith("_test.go"))
    for f in files:
        digest.update(f.name.encode() + b"\0")
        with contextlib.suppress(OSError):
            digest.update(f.read_bytes())
    return digest.hexdigest()[:16]


def _prune_old_versions(cache_file: Path) -> None:
    base, at, _ = cache_file.name.partition("@")
    if not at:
        return
    for old in cache_file.parent.glob(f"{glob_escape(base)}@*.json"):
        if old != cache_file:
            with contextlib.suppress(OSError):
                old.unlink()


def glob_escape(text: str) -> str:
    return re.sub(r"([*?\[])", r"[\1]", text)


def _read_package(file: Path) -> GoPackage | None:
    """A package from a JSON file; None when it is missing or unreadable (a damaged cache
    entry is simply re-read from Go)."""
    try:
        return loads_package(file.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def _safe(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.+-]", "_", name)


def _first_lines(text: str, limit: int = 5) -> str:
    lines = [line for line in text.strip().splitlines() if line.strip()]
    shown = "\n".join(lines[:limit])
    return shown + ("\n..." if len(lines) > limit else "") if shown else "no message"


def summarized(pkg: GoPackage) -> GoPackage:
    """`pkg` with every doc comment cut to its first paragraph, as the shipped stubs keep
    it: most of the hover text at 60% of the size (the full docs are 600 KB)."""
    return package_from_json(_summarize_docs(package_to_json(pkg)))


def _summarize_docs(value: Json) -> Json:
    if isinstance(value, dict):
        return {k: (v.split("\n\n", 1)[0] if k == "doc" and isinstance(v, str)
                    else _summarize_docs(v)) for k, v in value.items()}
    if isinstance(value, list):
        return [_summarize_docs(v) for v in value]
    return value
