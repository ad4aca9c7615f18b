"""RFC 5005 archived feeds: the whole history in pages that stay put.

The subscription document holds the newest `size` stories. Every older story
lives in exactly one archive page, chosen by its *slot*: its position among all
stories ever published, oldest first, counting removed ones too (their ledger
tombstones keep their places). Page k holds slots (k-1)*size … k*size-1, so a new
story never moves an old one: a full page changes only when a story in it is
corrected or removed. Only the page at the boundary with the subscription
document fills up over time.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TypeVar

Item = TypeVar("Item")


def paginate(
    newest_first: Sequence[Item], slot: Callable[[Item], int], size: int
) -> tuple[list[Item], dict[int, list[Item]]]:
    """(subscription items, {page number from 1: items oldest first})."""
    current = list(newest_first[:size])
    pages: dict[int, list[Item]] = {}
    for item in reversed(newest_first[size:]):
        pages.setdefault(slot(item) // size + 1, []).append(item)
    return current, dict(sorted(pages.items()))


def archive_path(feed_path: str, page: int) -> str:
    """`feeds/all.atom.xml`, 3 → `feeds/archive/all-3.atom.xml`."""
    folder, _, name = feed_path.rpartition("/")
    stem, dot, extension = name.partition(".")
    prefix = f"{folder}/" if folder else ""
    return f"{prefix}archive/{stem}-{page}{dot}{extension}"
