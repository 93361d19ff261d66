"""The on-disk cache of `gust check`: one JSON file per checked unit (gust.cli.check).

Where: `$GUST_CACHE_DIR/check`, else `${XDG_CACHE_HOME:-~/.cache}/gust/check`.
Key: a hash (gust.hashing) of
- Gust itself: its version and the name, size and modification time of every file of the
  installed `gust` package that checking reads (`.py`, the grammar, the Go stubs), so a
  changed checker never answers from an old result, even at the same version number;
- the unit: each file's name (as shown) and text;
- the Go packages the unit imports (`use go`), as loaded (gust.cli.check).
An entry holds each file's diagnostics (the full model: spans, labels, notes, help,
fixes), so a hit renders exactly what a fresh check would. A cache that cannot be read
or written is no cache: checking goes on without it. Entries not used for 30 days are
removed now and then.
"""

from __future__ import annotations

import contextlib
import json
import os
import time
from collections.abc import Sequence
from pathlib import Path

from gust import __version__
from gust import diagnostics as d
from gust.hashing import content_hash
from gust.text import Span

FORMAT = "1"
_STALE_SECONDS = 30 * 24 * 3600

Data = list[list[dict[str, object]]]


def default_dir() -> Path:
    explicit = os.environ.get("GUST_CACHE_DIR")
    if explicit:
        return Path(explicit) / "check"
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "gust" / "check"


def gust_fingerprint() -> str:
    """Gust's version and the stat of each file of the package that checking reads."""
    root = Path(__file__).resolve().parent.parent
    h = content_hash(f"{__version__}\x00{FORMAT}".encode())
    for directory, dirs, files in os.walk(root, followlinks=True):
        dirs.sort()
        for name in sorted(files):
            if name.endswith((".py", ".lark", ".json")):
                path = os.path.join(directory, name)
                try:
                    st = os.stat(path)
                except OSError:
                    continue
                h.update(f"{os.path.relpath(path, root)}\x00{st.st_size}\x00"
                         f"{st.st_mtime_ns}\x01".encode())
    return h.hexdigest()


class CheckCache:
    def __init__(self, directory: Path | None = None) -> None:
        self.directory = directory if directory is not None else default_dir()
        self._gust = gust_fingerprint()

    def key(self, files: Sequence[tuple[str, str]], go: str) -> str:
        h = content_hash(self._gust.encode())
        for path, text in files:
            h.update(f"\x02{path}\x00".encode())
            h.update(text.encode("utf-8", errors="surrogatepass"))
        h.update(f"\x03{go}".encode("utf-8", errors="surrogatepass"))
        return h.hexdigest()

    def _file(self, key: str) -> Path:
        return self.directory / key[:2] / f"{key}.json"

    def get(self, key: str) -> Data | None:
        try:
            data = json.loads(self._file(key).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        if not isinstance(data, list):
            return None
        return data

    def get_packages(self, key: str) -> list[list[str]] | None:
        """How a directory's files were grouped into packages (gust.cli.check)."""
        data: object = self.get(key)
        if not isinstance(data, list) or not all(
                isinstance(g, list) and all(isinstance(p, str) for p in g) for g in data):
            return None
        return [list(g) for g in data]

    def put_packages(self, key: str, groups: list[list[str]]) -> None:
        self._write(key, groups)

    def put(self, key: str, data: Data) -> None:
        self._write(key, data)

    def _write(self, key: str, data: object) -> None:
        import tempfile  # (not at start-up: a check without a cache never writes)

        target = self._file(key)
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            # Written whole then renamed: a concurrent `gust check` never reads half a file.
            fd, tmp = tempfile.mkstemp(dir=target.parent, suffix=".tmp")
            with os.fdopen(fd, "w", encoding="utf-8") as f:
                json.dump(data, f, separators=(",", ":"))
            os.replace(tmp, target)
        except OSError:
            return
        if int(key[2:4], 16) == 0:  # about one write in 256: sweep old entries
            self.prune()

    def prune(self) -> None:
        limit = time.time() - _STALE_SECONDS
        for entry in self.directory.glob("*/*.json"):
            with contextlib.suppress(OSError):
                if entry.stat().st_atime < limit and entry.stat().st_mtime < limit:
                    entry.unlink()


# ---------------------------------------------------------------- diagnostics as data


def _span(span: Span) -> list[int]:
    return [span.start, span.end]


def _from_span(data: object) -> Span:
    assert isinstance(data, list)
    return Span(int(data[0]), int(data[1]))


def diagnostic_to_data(diag: d.Diagnostic) -> dict[str, object]:
    return {
        "severity": diag.severity.value, "message": diag.message, "span": _span(diag.span),
        "code": diag.code, "label": diag.label,
        "labels": [[_span(lb.span), lb.message] for lb in diag.labels],
        "notes": list(diag.notes), "help": list(diag.help),
        "fixes": [[f.title, [[_span(e.span), e.text] for e in f.edits]] for f in diag.fixes],
    }


def diagnostic_from_data(data: dict[str, object]) -> d.Diagnostic:
    labels = data["labels"]
    fixes = data["fixes"]
    notes = data["notes"]
    helps = data["help"]
    assert isinstance(labels, list) and isinstance(fixes, list)
    assert isinstance(notes, list) and isinstance(helps, list)
    code, label = data["code"], data["label"]
    return d.Diagnostic(
        d.Severity(data["severity"]), str(data["message"]), _from_span(data["span"]),
        str(code) if code is not None else None, str(label) if label is not None else None,
        tuple(d.Label(_from_span(s), str(m)) for s, m in labels),
        tuple(str(n) for n in notes), tuple(str(h) for h in helps),
        tuple(d.Fix(str(t), tuple(d.Edit(_from_span(s), str(x)) for s, x in edits))
              for t, edits in fixes))
