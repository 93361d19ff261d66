"""A checked file: what the later layers (borrowck, codegen, ide) consume."""

from __future__ import annotations

from gust.frozen import dataclass
from gust.sema.items import ItemEnv
from gust.sema.results import BodyResults
from gust.syntax import ast


@dataclass(frozen=True)
class CheckedItem:
    """One top-level item. `offset` is where it starts in the file: every span in `item`
    and in `bodies` is relative to it."""

    offset: int
    text: str
    item: ast.Item
    # One per function body in the item: the fn itself, or each method of an impl.
    bodies: tuple[BodyResults, ...]


@dataclass(frozen=True)
class CheckedFile:
    path: str
    text: str
    env: ItemEnv
    items: tuple[CheckedItem, ...]
    has_errors: bool
