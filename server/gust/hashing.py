"""The hash of Gust's cache keys (the parser's tables, `gust check`'s results, loaded Go
packages): BLAKE2b with a 32-byte digest.

From CPython's own `_blake2` module when it has one: importing `hashlib` loads OpenSSL
and makes a constructor for each of its algorithms, 12 M instructions (3 % of checking a
small file) for keys that any good hash would do. The keys only need to differ when what
they are made from does; they are never compared with other programs' hashes.
"""

from __future__ import annotations

try:
    from _blake2 import blake2b as _blake2b
except ImportError:  # a Python built without it
    from hashlib import blake2b as _blake2b

__all__ = ["content_hash"]


def content_hash(data: bytes = b"") -> _blake2b:
    """A hash object (`update`, `hexdigest`) started with `data`."""
    return _blake2b(data, digest_size=32)
