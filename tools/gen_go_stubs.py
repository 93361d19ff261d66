"""Generate the Go package stubs shipped with Gust: `server/gust/stubs/go/<path>.json`.

The stubs let `gust check` and the language server type `use go "net/http";` where Go is
not installed. They are read from the real toolchain through the same helper Gust runs at
check time (gust.project.gopackages), never from an older stub, so they are exactly what
Go would give, with doc comments cut to their first paragraph to keep the wheel small.
The output is deterministic (sorted keys and declarations, one declaration per line), so
regenerating with the same Go changes nothing and a new Go gives a readable diff.
tests/test_go_packages.py checks that the stubs still equal what Go gives.

Usage: .venv/bin/python tools/gen_go_stubs.py [--out DIR] [--go GO]
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "server"))

from gust.project.gopackages import STUB_PACKAGES, STUBS_DIR, GoPackages, Toolchain, summarized  # noqa: E402
from gust.sema.golang import dumps_package  # noqa: E402

INDEX = "index.json"


def generate(out_dir: Path, go: str | None = None, cache_dir: Path | None = None
             ) -> list[str]:
    """Write every stub and the index into `out_dir`; returns error messages (none when
    all went well). `cache_dir`: a Gust package cache to use (default: a fresh one)."""
    with tempfile.TemporaryDirectory(prefix="gust-stubs-") as fresh:
        provider = GoPackages(go, cache_dir=cache_dir or Path(fresh), use_stubs=False)
        toolchain = provider.toolchain()
        if not isinstance(toolchain, Toolchain):
            return [toolchain]
        results = provider.load_many(STUB_PACKAGES)
    errors = [f"{path}: {r.reason}" for path, r in results.items() if r.package is None]
    if errors:
        return errors
    for path, result in sorted(results.items()):
        assert result.package is not None
        target = out_dir / f"{path}.json"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(dumps_package(summarized(result.package)), encoding="utf-8")
    index = {"go_version": toolchain.version, "packages": sorted(STUB_PACKAGES)}
    (out_dir / INDEX).write_text(json.dumps(index, indent=1) + "\n", encoding="utf-8")
    return []


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=STUBS_DIR, help="output directory")
    parser.add_argument("--go", help="the go command (default: the one Gust finds)")
    args = parser.parse_args()
    errors = generate(args.out, args.go)
    for error in errors:
        print(f"gen_go_stubs: {error}", file=sys.stderr)
    if errors:
        return 1
    total = sum(f.stat().st_size for f in args.out.rglob("*.json"))
    print(f"wrote {len(STUB_PACKAGES)} stubs to {args.out} ({total / 1024:.0f} KiB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
