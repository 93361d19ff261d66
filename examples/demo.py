"""The main job of `./run demo`: check and run the bundled examples (and the Go interop ones
in `interop/`), show the diagnostics of the `mistakes/` programs and the Go that Gust
writes for one example.

Everything goes through the `gust` command, exactly as a user would run it.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = Path("examples")  # relative to ROOT, where every command runs
GUST = [sys.executable, "-m", "gust"]


def banner(title: str) -> None:
    print(f"\n\033[1m== {title}\033[0m" if sys.stdout.isatty() else f"\n== {title}",
          flush=True)


def gust(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*GUST, *args], cwd=ROOT, text=True, capture_output=True,
                          check=False)


def main() -> int:
    programs = sorted((ROOT / EXAMPLES).glob("*.gust"))
    programs = [p.relative_to(ROOT) for p in programs]
    banner(f"gust check examples/*.gust ({len(programs)} programs)")
    checked = gust("check", *map(str, programs))
    print(checked.stderr or "no errors", end="" if checked.stderr else "\n")
    if checked.returncode != 0:
        return checked.returncode

    failures = 0
    for program in programs:
        banner(f"gust run {program}")
        run = gust("run", str(program))
        print(run.stdout, end="")
        sys.stdout.write(run.stderr)
        expected = ROOT / program.with_suffix(".stdout")
        if expected.exists() and run.stdout != expected.read_text(encoding="utf-8"):
            print("!! output differs from rustc's build of the same file")
            failures += 1
        if run.returncode != 0:
            print(f"!! exit code {run.returncode}")
            failures += 1

    # Go interop (`use go`): Gust only, so their expected output is not rustc's.
    for program in sorted((ROOT / EXAMPLES / "interop").glob("*.gust")):
        program = program.relative_to(ROOT)
        banner(f"gust run {program} (Go interop)")
        run = gust("run", str(program))
        print(run.stdout, end="")
        sys.stdout.write(run.stderr)
        if run.stdout != (ROOT / program.with_suffix(".stdout")).read_text(encoding="utf-8"):
            print("!! output differs from the expected output beside the program")
            failures += 1
        if run.returncode != 0:
            print(f"!! exit code {run.returncode}")
            failures += 1

    banner("gust check examples/mistakes/ (programs with errors, to show the diagnostics)")
    mistakes = gust("check", str(EXAMPLES / "mistakes"))
    print(mistakes.stderr, end="")

    sample = EXAMPLES / "request_router.gust"
    with tempfile.TemporaryDirectory() as out:
        banner(f"gust build -o {out} {sample}")
        built = gust("build", "-o", out, str(sample))
        print(built.stdout, end="")
        sys.stdout.write(built.stderr)
        go_file = Path(out) / (sample.stem + ".go")
        if go_file.exists():
            print(go_file.read_text(encoding="utf-8"))

    banner("summary")
    print(f"{len(programs)} examples checked and run, {failures} problems")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
