"""The `gust` command: check, build, run, explain.

Exit codes: 0 success; 1 the checked code has errors (or the program run by `gust run`
exited with 1); 2 usage errors, unreadable files and internal errors. `gust run` passes the
program's own exit code through.
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import gc
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

from gust import __version__, frozen
from gust.budget import DEFAULT_SECONDS
from gust.cli import render
from gust.cli.files import find_gust_files
from gust.frozen import dataclass
from gust.text import LineIndex

if TYPE_CHECKING:  # the analysis is imported when needed: a cached `gust check` never is
    from gust.ide.analysis import FileAnalysis

EXIT_OK = 0
EXIT_ERRORS = 1
EXIT_USAGE = 2
# Directories `gust build DIR` does not look into, as `go build ./...` does not.
GO_SKIPPED_DIRS = frozenset({"testdata", "vendor", "node_modules"})


FORMATS = ["human", "json", "json-lines", "sarif", "github"]
CHECK_EPILOG = """\
formats:
  human       rustc's layout, on stderr; coloured on a terminal (--color auto), as
              NO_COLOR, CLICOLOR_FORCE and CLICOLOR say (as cargo reads them)
  json        one JSON document on stdout: a list of diagnostics
  json-lines  one JSON object per diagnostic, one per line, on stdout
  sarif       a SARIF 2.1.0 log on stdout, for GitHub code scanning
  github      GitHub Actions workflow commands on stdout: annotations in pull requests
With --output-file the report goes to the file instead (never coloured) and one summary
line to stderr.

exit status:
  0  no diagnostic at or above the fail level
  1  diagnostics at or above the fail level (--fail-level error: errors only; warning:
     warnings too)
  2  a usage error, a path that does not exist or cannot be read, or an internal error

Results are cached in $GUST_CACHE_DIR/check or ${XDG_CACHE_HOME:-~/.cache}/gust/check.
See docs/ci.md.
"""


class UsageError(Exception):
    """A problem with the command line or the files named on it: one line, exit code 2."""


@dataclass(frozen=True)
class CheckedPath:
    display: str
    analysis: FileAnalysis


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a positive number, not {text!r}")
    return value


def main(argv: Sequence[str] | None = None) -> int:
    parser = _argument_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help(sys.stderr)
        return EXIT_USAGE
    exits_after = argv is None and args.command == "check"
    if exits_after:
        # The cyclic collector stays off to the end of the process (_exit_now; see
        # gust.cli.check.check_unit): once back on, it would first scan every object the
        # check made.
        gc.disable()
    try:
        result: int = args.handler(args)
    except UsageError as e:
        print(f"gust: error: {e}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        return 130
    except Exception:  # a bug in gust: say so in one line, details only on request
        if os.environ.get("GUST_BACKTRACE"):
            import traceback

            traceback.print_exc()
        print("gust: internal error (set GUST_BACKTRACE=1 for details); please report it",
              file=sys.stderr)
        return EXIT_USAGE
    if exits_after:
        _exit_now(result)
    return result


def _exit_now(code: int) -> NoReturn:
    """End the process of a finished `gust check` at once, as mypy does: the interpreter's
    shutdown would otherwise free every tree, type and table one by one (about 60 ms of a
    cold check of 5,000 lines). `check` leaves nothing to clean up: its files are written
    and closed, its worker pool is shut down; the classes' methods compiled for a new cache
    are saved (atexit would have)."""
    frozen.save_method_cache()
    for stream in (sys.stdout, sys.stderr):
        # A closed pipe: nothing more can be said.
        with contextlib.suppress(OSError, ValueError):
            stream.flush()
    os._exit(code)


RELEASE_HELP = ("the release profile, as cargo's: integer arithmetic wraps on overflow as in "
                "`rustc -O` instead of panicking (default: the debug profile)")


def _help_width() -> int:
    """The width argparse's help formatter gives itself (`COLUMNS`, else the terminal's,
    else 80; less 2), found as `shutil.get_terminal_size` finds it. argparse imports shutil
    (and bz2 and lzma with it) to ask at every `add_argument`: 3 % of checking a small
    file, for a width only `--help` uses."""
    try:
        columns = int(os.environ.get("COLUMNS", ""))
    except ValueError:
        columns = 0
    if columns <= 0:
        try:
            columns = os.get_terminal_size(sys.__stdout__.fileno()).columns  # type: ignore[union-attr]
        except (AttributeError, ValueError, OSError):
            columns = 0
    return (columns or 80) - 2


def _argument_parser() -> argparse.ArgumentParser:
    width = _help_width()
    plain = functools.partial(argparse.HelpFormatter, width=width)
    parser = argparse.ArgumentParser(
        prog="gust", description="Gust: Rust's guarantees, Go's runtime.",
        formatter_class=plain)
    parser.add_argument("--version", action="version", version=f"gust {__version__}")
    sub = parser.add_subparsers(dest="command")

    check = sub.add_parser(
        "check", help="report errors and warnings, like `cargo check`",
        formatter_class=functools.partial(argparse.RawDescriptionHelpFormatter, width=width),
        epilog=CHECK_EPILOG,
        description="Check .gust files and directories (recursively, honouring .gitignore). "
        "A directory is one package, except a directory whose .gust files each define "
        "`fn main`: each of those files is a program of its own.")
    check.add_argument("paths", nargs="+", metavar="PATH", help=".gust files or directories")
    check.add_argument("--format", choices=FORMATS, default="human",
                       help="how diagnostics are reported (default: human)")
    check.add_argument("--color", choices=["auto", "always", "never"], default="auto",
                       help="colour of the human format (default: auto)")
    check.add_argument("--fail-level", choices=["error", "warning"], default="error",
                       help="the least severe diagnostic that makes the exit status 1 "
                       "(default: error)")
    check.add_argument("-o", "--output-file", metavar="FILE", default=None,
                       help="write the report to FILE (a summary line goes to stderr)")
    check.add_argument("-j", "--jobs", type=_positive_int, default=None, metavar="N",
                       help="check with N processes (default: one per core)")
    check.add_argument("--no-cache", action="store_true",
                       help="neither read nor write the results cache")
    check.add_argument("--time-budget", type=_budget, default=DEFAULT_SECONDS,
                       metavar="SECONDS",
                       help="give up checking an item (a function, an impl) after this long, "
                       "with a `time_budget` warning; 0 for no limit (default: "
                       f"{DEFAULT_SECONDS:g})")
    check.set_defaults(handler=_cmd_check)

    build = sub.add_parser(
        "build", formatter_class=plain, help="check, then write a Go package for each Gust package",
        description="Each directory with .gust files is a package (searched recursively); "
        ".gust files named on the command line are a package per directory. A package "
        "with `fn main` becomes Go's package main, any other a Go library whose `pub` "
        "items are exported.")
    build.add_argument("files", nargs="*", default=["."], metavar="PATH",
                       help="package directories or .gust files (default: .)")
    build.add_argument("-o", "--out-dir", default=None,
                       help="directory for the Go files (default: beside the .gust files)")
    build.add_argument("--color", choices=["auto", "always", "never"], default="auto")
    build.add_argument("--release", action="store_true", help=RELEASE_HELP)
    build.set_defaults(handler=_cmd_build)

    run = sub.add_parser("run", help="build a program with Go and run it",
                         formatter_class=plain)
    run.add_argument("file", metavar="PATH", help="a .gust file, or a package directory")
    run.add_argument("args", nargs=argparse.REMAINDER, help="arguments for the program")
    run.add_argument("--color", choices=["auto", "always", "never"], default="auto")
    run.add_argument("--release", action="store_true", help=RELEASE_HELP)
    run.set_defaults(handler=_cmd_run)

    explain = sub.add_parser("explain", help="explain an error code, e.g. E0382",
                             formatter_class=plain)
    explain.add_argument("code")
    explain.set_defaults(handler=_cmd_explain)

    fmt = sub.add_parser("fmt", help="format files as rustfmt would (in place)",
                         formatter_class=plain)
    fmt.add_argument("paths", nargs="*", default=["."], metavar="PATH",
                     help=".gust files or directories (default: .); `-` for stdin")
    fmt.add_argument("--check", action="store_true",
                     help="change nothing; show a diff and exit 1 if a file is not formatted")
    fmt.add_argument("--color", choices=["auto", "always", "never"], default="auto")
    fmt.set_defaults(handler=_cmd_fmt)
    return parser


# ---------------------------------------------------------------- files


def gust_files(paths: Sequence[str]) -> list[Path]:
    """The .gust files named on the command line, directories searched recursively
    (honouring .gitignore: gust.cli.files)."""
    files: list[Path] = []
    for name in paths:
        path = Path(name)
        if path.is_dir():
            files.extend(find_gust_files(path))
        elif path.is_file():
            files.append(path)
        else:
            raise UsageError(f"no such file or directory: {name}")
    return files


def read_source(path: Path) -> str:
    from gust.cli.check import PathError
    from gust.cli.check import read_source as read

    try:
        return read(path)
    except PathError as e:
        raise UsageError(str(e)) from e


def check_paths(paths: Sequence[str]) -> list[CheckedPath]:
    """Analyse the files named on the command line. A directory is searched recursively
    and each of its packages (gust.packages) is checked together (one environment), with
    the other Gust packages of its Go module it uses. A file named alone is checked alone
    (with the files of the modules it declares)."""
    return [c for unit in check_units_of(paths) for c in unit]


def check_units_of(paths: Sequence[str]) -> list[list[CheckedPath]]:
    """`check_paths`, package by package."""
    from gust.cli.check import PathError, collect_units
    from gust.ide.analysis import AnalysisHost
    from gust.project.gopackages import GoPackages
    from gust.project.gust_packages import GustModulePackages
    from gust.project.provider import go_provider

    try:
        units = collect_units(paths)
    except PathError as e:
        raise UsageError(str(e)) from e
    go = go_provider(GoPackages(module_packages=True))
    crates = GustModulePackages()
    checked: list[list[CheckedPath]] = []
    for unit in units:
        host = AnalysisHost(go, crates)
        host.time_budget = None  # (`gust run`: it builds)
        for p, text in unit.files:
            host.set_text(p, text)
        checked.append([CheckedPath(p, host.analyze(p)) for p, _ in unit.files])
    return checked


def _budget(text: str) -> float | None:
    """`--time-budget`: seconds (0: no limit)."""
    try:
        seconds = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number of seconds: {text}") from None
    if seconds < 0 or seconds != seconds:
        raise argparse.ArgumentTypeError(f"not a number of seconds: {text}")
    return seconds or None


def _use_color(choice: str, stream: object = None) -> bool:
    """`--color`: `auto` colours a terminal, as cargo decides it: NO_COLOR (not empty)
    turns colour off, else CLICOLOR_FORCE (neither empty nor `0`) on, else CLICOLOR=0
    off; then a terminal other than TERM=dumb gets colour."""
    if choice == "always":
        return True
    if choice == "never":
        return False
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("CLICOLOR_FORCE") not in (None, "", "0"):
        return True
    if os.environ.get("CLICOLOR") == "0":
        return False
    isatty = getattr(stream if stream is not None else sys.stderr, "isatty", None)
    return bool(isatty and isatty()) and os.environ.get("TERM") != "dumb"


def report(checked: Sequence[CheckedPath], color: bool) -> tuple[int, int]:
    """Print diagnostics rustc-style to stderr; returns (errors, warnings)."""
    errors = warnings = 0
    for c in checked:
        index = LineIndex(c.analysis.text)
        for diag in c.analysis.diagnostics():
            sys.stderr.write(render.render_human(c.display, c.analysis.text, diag, color, index))
            sys.stderr.write("\n")
            if diag.is_error:
                errors += 1
            else:
                warnings += 1
    sys.stderr.write(render.render_summary(errors, warnings, color))
    return errors, warnings


# ---------------------------------------------------------------- commands


def _cmd_check(args: argparse.Namespace) -> int:
    from gust.cli import cores

    # Before the checker is imported: its import is the time over which `check` sees how
    # busy the other cores are (gust.cli.item_split).
    since = cores.cpu_times()
    from gust.cli import check, check_cache, report

    cache = None if args.no_cache else check_cache.CheckCache()
    try:
        units = check.collect_units(args.paths, cache)
    except check.PathError as e:
        raise UsageError(str(e)) from e
    results = check.check_units(units, args.jobs, cache, args.time_budget, since)
    counts = report.Counts.of(results)
    if args.output_file:
        text = report.render(results, args.format, args.color == "always")
        try:
            Path(args.output_file).write_text(text, encoding="utf-8")
        except OSError as e:
            raise UsageError(f"cannot write {args.output_file}: {e.strerror}") from e
        sys.stderr.write(f"gust: {counts.describe(len(results))}; "
                         f"report written to {args.output_file}\n")
    elif args.format == "human":
        report.write(sys.stderr, report.render(results, "human",
                                               _use_color(args.color, sys.stderr)))
    else:
        report.write(sys.stdout, report.render(results, args.format, False))
    return EXIT_ERRORS if counts.fails(args.fail_level) else EXIT_OK


def _cmd_build(args: argparse.Namespace) -> int:
    from gust.cli import build

    groups = build_packages(args.files)
    checked = [c for _, files in groups for c in files]
    errors, _ = report(checked, _use_color(args.color))
    if errors:
        return EXIT_ERRORS
    out = Path(args.out_dir) if args.out_dir else None
    packages = []
    for source_dir, files in groups:
        if out is None:
            out_dir = source_dir
        elif len(groups) == 1:
            out_dir = out
        else:  # several packages: the output mirrors their layout
            out_dir = out / _relative_to_common(source_dir, [d for d, _ in groups])
        packages.append(build.Package(tuple(c.analysis for c in files), out_dir))
    for path in build.write_packages(packages, args.release):
        print(path)
    return EXIT_OK


def build_packages(paths: Sequence[str]) -> list[tuple[Path, list[CheckedPath]]]:
    """The packages `gust build` writes, each checked as one package, with the directory
    their Go goes to: every directory with `.gust` files under a directory named
    (recursively, skipping what `go build ./...` skips: `testdata`, `vendor`, `_`
    directories), and the `.gust` files named on the command line, grouped by directory.
    In a directory of programs (its `.gust` files each define `fn main`:
    gust.packages), each file is a package of its own and its Go goes to a
    subdirectory named after it (`examples/shapes.gust` -> `examples/shapes/`), as Go
    wants one program per directory."""
    from gust.cli.check import PathError, _module_files
    from gust.packages import group_with_modules
    from gust.project.gopackages import GoPackages
    from gust.project.gust_packages import GustModulePackages
    from gust.project.provider import go_provider

    texts: dict[str, str] = {}
    for name in paths:
        path = Path(name)
        if path.is_dir():
            # What the Go tools skip in `./...`: testdata, vendor, `_` directories.
            found = [p for p in gust_files([name]) if not any(
                part in GO_SKIPPED_DIRS or part.startswith("_")
                for part in p.relative_to(path).parts[:-1])]
            if not found:
                raise UsageError(f"no .gust files in {name}")
            for p in found:
                texts.setdefault(str(p), read_source(p))
        elif path.is_file():
            if path.suffix != ".gust":
                raise UsageError(f"not a .gust file: {name}")
            texts.setdefault(str(path), read_source(path))
            try:  # the files of the modules it declares (`mod name;`) come with it
                texts.update(_module_files(str(path)))
            except PathError as e:
                raise UsageError(str(e)) from e
        else:
            raise UsageError(f"no such file or directory: {name}")
    from gust.ide.analysis import AnalysisHost

    go = go_provider(GoPackages(module_packages=True))
    crates = GustModulePackages()
    groups: list[tuple[Path, list[CheckedPath]]] = []
    for unit in group_with_modules(texts):
        directory = Path(unit[0]).parent
        programs = _directory_of_programs(
            directory, {Path(p): texts[p] for p in unit if Path(p).parent == directory})
        host = AnalysisHost(go, crates)
        host.time_budget = None  # a build checks everything, however long it takes
        for name in unit:
            host.set_text(name, texts[name])
        out_dir = directory / Path(unit[0]).stem if programs else directory
        groups.append((out_dir, [CheckedPath(name, host.analyze(name)) for name in unit]))
    return groups


def _directory_of_programs(directory: Path, texts: dict[Path, str]) -> bool:
    """Cargo's rule (gust.packages) for a directory, over all of its `.gust` files
    on disk, named on the command line or not."""
    from gust.packages import defines_main, each_file_a_program

    on_disk = {p.resolve(): p for p in directory.glob("*.gust") if p.is_file()}
    named = {p.resolve(): p for p in texts}
    flags = []
    for key in {**on_disk, **named}:
        path = named.get(key) or on_disk[key]
        text = texts.get(path)
        if text is None:
            try:
                text = read_source(path)
            except UsageError:
                continue
        flags.append(defines_main(text))
    return each_file_a_program(flags)


def _relative_to_common(directory: Path, all_dirs: Sequence[Path]) -> Path:
    common = Path(os.path.commonpath([str(d.resolve()) for d in all_dirs]))
    return directory.resolve().relative_to(common)


def _cmd_run(args: argparse.Namespace) -> int:
    from gust.cli import build

    units = check_units_of([args.file])
    checked = [c for unit in units for c in unit]
    if Path(args.file).is_dir():
        # A directory is a package: run the one in it (not those of its subdirectories;
        # the files of its modules, wherever they are, are part of it).
        units = [u for u in units if Path(u[0].display).parent == Path(args.file)]
        checked = [c for unit in units for c in unit]
        if not checked:
            raise UsageError(f"no .gust files in {args.file}")
        if len(units) > 1:
            raise UsageError(f"{args.file} holds {len(units)} programs (each of its .gust "
                             f"files has `fn main`): run one of them, such as "
                             f"`gust run {checked[0].display}`")
    errors, _ = report(checked, _use_color(args.color))
    if errors:
        return EXIT_ERRORS
    from gust.codegen.package_names import is_library

    if checked and is_library(checked[0].analysis.env):
        raise UsageError(f"{args.file} has no `fn main`: it is a library package; "
                         "`gust build` writes it as a Go package")
    program_args = list(args.args)
    if program_args and program_args[0] == "--":
        program_args = program_args[1:]
    crates = checked[0].analysis.env.modules.crates if checked else {}
    program_dir = _program_dir(Path(args.file), checked)
    if not crates:
        return build.build_and_run([c.analysis for c in checked], program_args, program_dir,
                                   release=args.release)
    used = _used_packages(Path(checked[0].display).parent, crates)
    if any(c.analysis.has_errors for _, files in used for c in files):
        report([c for _, files in used for c in files], _use_color(args.color))
        return EXIT_ERRORS
    return build.build_and_run([c.analysis for c in checked], program_args, program_dir,
                               [(directory, [c.analysis for c in files])
                                for directory, files in used],
                               release=args.release)


def _program_dir(named: Path, checked: Sequence[CheckedPath]) -> Path:
    """Where `gust build` would write the program's Go: its directory, or for a file of
    a directory of programs (each file with `fn main`) a subdirectory named after it."""
    if named.is_dir():
        return named
    texts = {Path(c.display): c.analysis.text for c in checked}
    if _directory_of_programs(named.parent, texts):
        return named.parent / named.stem
    return named.parent


def _used_packages(directory: Path, crates: dict[str, str]
                   ) -> list[tuple[Path, list[CheckedPath]]]:
    """The Gust packages a program in `directory` uses (`crates`: name -> import path),
    each checked as a package, with its directory."""
    from gust.ide.analysis import AnalysisHost
    from gust.project.gopackages import GoPackages
    from gust.project.gust_packages import GustModulePackages, module_of
    from gust.project.provider import go_provider

    if module_of(directory) is None:
        raise UsageError(f"{directory} uses other Gust packages but is not inside a Go module")
    provider = GustModulePackages()
    available = {p.import_path: p for p in provider.packages(str(directory)).values()}
    go = go_provider(GoPackages(module_packages=True))
    used = []
    for path in sorted(set(crates.values())):
        package = available.get(path)
        if package is None:
            continue
        host = AnalysisHost(go, provider)
        for f in package.files:
            host.set_text(f, provider.text(f) or "")
        used.append((Path(package.directory),
                     [CheckedPath(f, host.analyze(f)) for f in package.files]))
    return used


def _cmd_explain(args: argparse.Namespace) -> int:
    from gust.ide.explain import explanation

    code = args.code.upper()
    if not code.startswith("E"):
        code = "E" + code
    text = explanation(args.code.lower()) or explanation(code)
    if text is None:
        raise UsageError(f"{args.code} is not a valid error code")
    sys.stdout.write(text if text.endswith("\n") else text + "\n")
    return EXIT_OK


def _cmd_fmt(args: argparse.Namespace) -> int:
    """`gust fmt`: exit 1 when a file has syntax errors or (with --check) is not formatted;
    a file that cannot be formatted is never written."""
    from gust.fmt import format_source

    color = _use_color(args.color)
    if "-" in args.paths:
        if len(args.paths) > 1:
            raise UsageError("`-` (standard input) cannot be combined with other paths")
        text = sys.stdin.read()
        result = format_source(text)
        if not result.ok:
            _fmt_errors("<stdin>", text, result.errors, color)
            return EXIT_ERRORS
        if args.check:
            return _fmt_diff("<stdin>", text, result.text)
        sys.stdout.write(result.text)
        return EXIT_OK
    status = EXIT_OK
    for path in gust_files(args.paths):
        text = read_source(path)
        result = format_source(text)
        if not result.ok:
            _fmt_errors(str(path), text, result.errors, color)
            status = EXIT_ERRORS
        elif result.text != text:
            if args.check:
                status = max(status, _fmt_diff(str(path), text, result.text))
            else:
                path.write_text(result.text, encoding="utf-8")
    return status


def _fmt_errors(path: str, text: str, errors: Sequence[object], color: bool) -> None:
    """Why a file was left untouched, rendered like the compiler's errors."""
    from gust.diagnostics import Diagnostic

    index = LineIndex(text)
    for diag in errors:
        assert isinstance(diag, Diagnostic)
        sys.stderr.write(render.render_human(path, text, diag, color, index))
        sys.stderr.write("\n")
    sys.stderr.write(f"gust: not formatted: {path}\n")


def _fmt_diff(path: str, old: str, new: str) -> int:
    """rustfmt's `--check` report: a unified diff per file that would change."""
    import difflib

    if old == new:
        return EXIT_OK
    sys.stdout.write(f"Diff in {path}:\n")
    sys.stdout.writelines(difflib.unified_diff(
        old.splitlines(keepends=True), new.splitlines(keepends=True), path, path))
    if not new.endswith("\n") or not old.endswith("\n"):
        sys.stdout.write("\n")
    return EXIT_ERRORS


if __name__ == "__main__":
    sys.exit(main())
