"""RFC 5005 archived feeds: the whole history in pages that stay put.

Every story has a *slot*: its position among all stories ever published,
oldest first, counting removed ones too (their ledger tombstones keep their
places). Archive page k covers slots (k-1)*size … k*size-1, and is *full* once
that many slots exist (a story published after them makes no difference to
which stories it covers). A full page holds every live story of its slots,
those still in the subscription document too: so deleting a recent story,
which brings an older one back into the subscription document, takes nothing
out of a full page, and a full page changes only when a story in it is
corrected or removed.

The subscription document holds the newest `size` stories. The slots after the
last full page (fewer than `size`) have no full page yet; their stories that
are not in the subscription document, if any, are kept in one boundary page
numbered after the full ones, which changes over time.

Each live story is thus in the subscription document, or in one archive page,
or in both; never in two archive pages.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TypeVar

Item = TypeVar("Item")


def paginate(
    newest_first: Sequence[Item], slot: Callable[[Item], int], size: int, slots: int
) -> tuple[list[Item], dict[int, list[Item]]]:
    """(subscription items, {page number from 1: items oldest first}).

    `slot(item)`: the item's position among the `slots` slots there are.
    """
    current = list(newest_first[:size])
    full = slots // size
    pages: dict[int, list[Item]] = {}
    for index, item in enumerate(newest_first):
        page = slot(item) // size + 1
        # RFC 5005, section 4: the set of entries of an archive document
        # SHOULD NOT change. The same section foresees an entry in both an
        # archive document and the subscription document (a publisher may
        # republish a changed entry there in addition to its archive
        # document), entries being one by atom:id. A full page so keeps its current stories;
        # only past the full pages does the subscription document hold a
        # story alone.
        if page <= full or index >= size:
            pages.setdefault(page, []).append(item)
    return current, {number: pages[number][::-1] for number in sorted(pages)}


def archive_path(feed_path: str, page: int) -> str:
    """`feeds/all.atom.xml`, 3 → `feeds/archive/all-3.atom.xml`."""
    folder, _, name = feed_path.rpartition("/")
    stem, dot, extension = name.partition(".")
    prefix = f"{folder}/" if folder else ""
    return f"{prefix}archive/{stem}-{page}{dot}{extension}"
