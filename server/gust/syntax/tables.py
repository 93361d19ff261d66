"""The parser's tables and the lexer, built from grammar/gust.lark once and kept on disk.

Building them means loading lark's grammar analysis (from lark's own cache) and converting
its LALR table for gust.syntax.lalr and its terminals for gust.syntax.lexer: about 0.1 s of
every process that parses, a quarter of a `gust check` of a small file. The result is plain
data (dicts, tuples, a regular expression, the tree builders of gust.syntax.tree), so it
is pickled to `$GUST_CACHE_DIR/parser`, else `${XDG_CACHE_HOME:-~/.cache}/gust/parser`,
keyed by everything it is made from: the grammar, the code that converts it (this file,
lalr.py, lexer.py, tree.py, token.py, build.py), lark's version and Python's. A cache that cannot be read or
written is no cache: the tables are built in memory as before. Loading the cache does not
import lark: only building does.
"""

from __future__ import annotations

import contextlib
import importlib.util
import os
import pickle
import sys
from pathlib import Path
from typing import Final

import gust
from gust.hashing import content_hash
from gust.syntax.lalr import Table
from gust.syntax.lexer import Lexer

_SOURCES: Final = ("tables.py", "lalr.py", "lexer.py", "tree.py", "token.py", "build.py")


def cache_dir() -> Path:
    explicit = os.environ.get("GUST_CACHE_DIR")
    if explicit:
        return Path(explicit) / "parser"
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "gust" / "parser"


def grammar_text() -> str:
    # (A path beside the package, not importlib.resources: importing that, and zipfile
    # with it, cost every process a tenth of its start-up.)
    return (Path(gust.__file__).parent / "grammar" / "gust.lark").read_text(encoding="utf-8")


def load() -> tuple[Table, Lexer]:
    """The parse table and the lexer: from the cache, else built (and cached)."""
    grammar = grammar_text()
    digest = content_hash(grammar.encode())
    here = Path(__file__).parent
    for name in _SOURCES:
        try:
            digest.update((here / name).read_bytes())
        except OSError:  # no source beside the module: never trust a cache
            return build(grammar)
    # lark's version, without importing lark (50 ms): its package's `__init__.py`, which
    # states it.
    lark = importlib.util.find_spec("lark")
    try:
        digest.update(Path(lark.origin).read_bytes() if lark and lark.origin else b"")
    except OSError:
        return build(grammar)
    digest.update(f"\x00{sys.version}".encode())
    path = cache_dir() / f"tables-{digest.hexdigest()[:40]}.pickle"
    try:
        found = pickle.loads(path.read_bytes())
        if isinstance(found, tuple) and len(found) == 2 and \
                isinstance(found[0], Table) and isinstance(found[1], Lexer):
            return found
    except Exception:  # missing, unreadable or from elsewhere: build it again
        pass
    built = build(grammar)
    _write(path, pickle.dumps(built, protocol=pickle.HIGHEST_PROTOCOL))
    return built


def build(grammar: str) -> tuple[Table, Lexer]:
    from lark import Lark

    # lark keys its own on-disk cache by the grammar's hash, so a changed grammar is rebuilt.
    parser = Lark(
        grammar,
        parser="lalr",
        lexer="basic",  # unused: gust.syntax.lexer feeds the tokens
        start="item",
        keep_all_tokens=True,  # spans come from tokens (the driver passes them to the builders)
        maybe_placeholders=True,
        cache=True,
    )
    return Table.from_lark(parser), Lexer.from_lark(parser)


def _write(path: Path, data: bytes) -> None:
    with contextlib.suppress(OSError):
        path.parent.mkdir(parents=True, exist_ok=True)
        import tempfile

        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tables-")
        try:
            with os.fdopen(fd, "wb") as f:
                f.write(data)
            os.replace(tmp, path)  # atomic: a concurrent reader sees all or nothing
        except OSError:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
