"""Compile Gust's analysis layers with mypyc, into extension modules beside their sources.

What is compiled: syntax, sema, borrowck and codegen, and `budget`: everything `gust check`, `gust build` and each keystroke
in the server spend their time in. Not compiled: the CLI, the server and ide (I/O and
glue), `gust.native` and `gust.frozen` (they decide how the others are loaded), and the
modules mypyc cannot compile (INTERPRETED). When the result is used, and why an edited
source is never shadowed by an older build: gust.native.

What is compiled is a copy of the sources in `build/native/src`, in which each dataclass that
mypyc makes native has the `__init__` (and, frozen, the `__eq__` and `__hash__`) the
standard library would give it written out (tools/native_methods.py: mypyc compiles only the methods a class body writes); the
extension modules are then copied beside the sources.

Usage: .venv/bin/python tools/compile_native.py [--jobs N]
Run by `./run demo` and `./run test` after installing; incremental (mypyc rewrites only the
C files that change, and only those are compiled again). Needs a C compiler and Python's
headers; without them it says so, exits 0 and Gust runs from its sources. Exit 1 is a
failure to compile Gust's code (a construct mypyc does not take: docs/architecture.md,
invariant 10), which `./run test` reports as a failure.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import shutil
import sys
import sysconfig
import time
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SERVER = ROOT / "server"
sys.path.insert(0, str(SERVER))  # this tree's gust (for gust.native), whatever is installed
BUILD = ROOT / "build" / "native"
COPY = BUILD / "src"  # what mypyc compiles: the sources, with dataclasses' __init__ written
COMPILED_PACKAGES = ("syntax", "sema", "borrowck", "codegen")
# `text`'s values are in every node (`Span`) and pickled inside diagnostics from forked
# checkers (cli/item_split.py): they unpickle by their constructors (`__reduce__`: a
# compiled frozen dataclass does not unpickle field by field). Not `diagnostics`, which
# is only made when something is reported.
COMPILED_MODULES = ("budget.py", "text.py")
# mypyc cannot compile a subclass of `str` (syntax.tree's Token, as lark's) or of `int`
# (codegen.context's GustLine), nor parso's untyped tree classes (syntax.cst).
INTERPRETED = frozenset({"gust/syntax/token.py", "gust/codegen/context.py",
                         "gust/syntax/cst.py"})


def sources() -> list[str]:
    """The compiled modules' sources, relative to `server/`."""
    found = [f"gust/{name}" for name in COMPILED_MODULES]
    for package in COMPILED_PACKAGES:
        found += sorted(str(p.relative_to(SERVER))
                        for p in (SERVER / "gust" / package).rglob("*.py"))
    return [path for path in found if path not in INTERPRETED]


def copy_sources(compiled: list[str]) -> None:
    """`server/gust` copied into COPY, each compiled module with its dataclasses'
    `__init__`, `__eq__` and `__hash__` written (native_methods). A file whose copy is already the same is not
    written again (mypyc and the C compiler then have nothing new to do for it)."""
    sys.path.insert(0, str(Path(__file__).parent))
    from native_methods import add_methods

    wanted = set()
    for source in (SERVER / "gust").rglob("*.py"):
        relative = str(source.relative_to(SERVER))
        wanted.add(relative)
        text = source.read_text(encoding="utf-8")
        if relative in compiled and "from __future__ import annotations" in text:
            text = add_methods(text)
        copy = COPY / relative
        if not copy.exists() or copy.read_text(encoding="utf-8") != text:
            copy.parent.mkdir(parents=True, exist_ok=True)
            copy.write_text(text, encoding="utf-8")
    for copy in (COPY / "gust").rglob("*.py"):
        if str(copy.relative_to(COPY)) not in wanted:
            copy.unlink()


def install_extensions(compiled: list[str]) -> None:
    """The extension modules built in COPY, beside the sources they were built from (only
    those of modules compiled now: an older one would shadow its source), and the library
    they share."""
    modules = {path.removesuffix(".py") for path in compiled}
    # (Not setuptools' own copies under COPY/build.)
    for built in [*COPY.glob("gust_native__mypyc*.so"), *(COPY / "gust").rglob("*.so")]:
        relative = built.relative_to(COPY)
        if str(relative).split(".")[0] not in modules and \
                not relative.name.startswith("gust_native__mypyc"):
            continue
        target = SERVER / relative
        shutil.copy2(built, target.with_suffix(".tmp"))
        os.replace(target.with_suffix(".tmp"), target)


def remove_stale_extensions(keep: list[str]) -> None:
    """Extension modules of sources no longer compiled would shadow those sources."""
    wanted = {path.removesuffix(".py") for path in keep}
    for ext in (SERVER / "gust").rglob("*.so"):
        module = str(ext.relative_to(SERVER)).split(".")[0]
        if module not in wanted:
            ext.unlink()


def missing_tools() -> str | None:
    """What this machine lacks to compile (then Gust runs from its sources, as designed);
    None when everything is there, and a failure after that is Gust's own (exit 1)."""
    try:
        import mypyc  # noqa: F401
    except ImportError:
        return "mypyc is not installed: pip install -e '.[native]'"
    compiler = os.environ.get("CC", "cc")
    if shutil.which(compiler) is None:
        return f"no C compiler `{compiler}` on PATH"
    headers = Path(sysconfig.get_paths()["include"]) / "Python.h"
    if not headers.exists():
        return f"Python's headers are not installed ({headers})"
    return None


@contextlib.contextmanager
def output_to(log: Path) -> Iterator[None]:
    """Everything written to stdout and stderr, by this process and the compilers it starts,
    goes to `log` (mypyc's notes and gcc's command lines are thousands of lines)."""
    sys.stdout.flush()
    sys.stderr.flush()
    saved = os.dup(1), os.dup(2)
    with log.open("w", encoding="utf-8") as out:
        os.dup2(out.fileno(), 1)
        os.dup2(out.fileno(), 2)
        try:
            yield
        finally:
            sys.stdout.flush()
            sys.stderr.flush()
            os.dup2(saved[0], 1)
            os.dup2(saved[1], 2)
            os.close(saved[0])
            os.close(saved[1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--opt", default="1",
                        help="the C compiler's optimisation level (default: %(default)s)")
    args = parser.parse_args()
    started = time.monotonic()
    paths = sources()
    stamp = SERVER / "gust" / "_native.stamp"
    stamp.unlink(missing_ok=True)  # until the build succeeds, Gust runs from its sources
    remove_stale_extensions(paths)
    missing = missing_tools()
    if missing:
        print(f"compile_native: not compiled ({missing}); Gust runs from its sources",
              file=sys.stderr)
        return 0
    from mypyc.build import mypycify
    from setuptools import setup
    options = ["--config-file", str(ROOT / "pyproject.toml"), "--no-warn-unused-ignores"]
    BUILD.mkdir(parents=True, exist_ok=True)
    from gust.native import source_state  # (reads nothing compiled: the stamp is gone)

    # The sources as they are copied: one edited while the build runs is not what it
    # compiled, and must not match the stamp.
    state = {path: source_state(path) for path in paths}
    copy_sources(paths)
    os.chdir(COPY)
    log = BUILD / "compile.log"
    try:
        with output_to(log):
            # One library (calls between modules stay native: a module per library would
            # also need an import order without cycles), one C file per module (compiled
            # in parallel, and again only when it changes).
            extensions = mypycify([*options, *paths], multi_file=True,
                                  group_name="gust_native", opt_level=args.opt,
                                  debug_level="0", target_dir=str(BUILD / "c"))
            setup(name="gust-native", ext_modules=extensions,
                  script_args=["build_ext", "--inplace", f"--parallel={args.jobs}",
                               f"--build-temp={BUILD / 'temp'}"])
    except (Exception, SystemExit) as e:  # mypyc's and the C compiler's errors
        tail = log.read_text(encoding="utf-8", errors="replace").splitlines()[-15:]
        print("\n".join(tail), file=sys.stderr)
        print(f"compile_native: not compiled ({e or 'see above'}; the whole output is in "
              f"{log}); Gust runs from its sources", file=sys.stderr)
        return 1
    # mypyc drops a class-body alias of a method (`_e_If = value_of_block_like`) with only
    # a warning: the compiled class would silently lack the method.
    dropped = [line for line in log.read_text(encoding="utf-8").splitlines()
               if "Unsupported default attribute value" in line]
    if dropped:
        print("\n".join(dropped), file=sys.stderr)
        print("compile_native: not used: define these as methods (docs/architecture.md, "
              "invariant 10)", file=sys.stderr)
        return 1
    install_extensions(paths)
    stamp.write_text(json.dumps({"abi": sys.implementation.cache_tag, "sources": state},
                                indent=1), encoding="utf-8")
    print(f"compile_native: {len(paths)} modules compiled in "
          f"{time.monotonic() - started:.0f} s", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
