"""Borrow checking: moves, initialisation and loans at NLL precision (no I/O, never raises).

`check_body(env, body)` returns diagnostics with spans relative to the body's item, like
the `BodyResults` it reads.
"""

from __future__ import annotations

from gust import diagnostics as d
from gust.sema.items import ItemEnv
from gust.sema.results import BodyResults


def check_body(env: ItemEnv, body: BodyResults) -> list[d.Diagnostic]:
    return []
