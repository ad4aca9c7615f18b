"""The ledger: each story's id, slug and dates, decided once and kept forever.

It is one JSON file in content/ that the newsroom commits, like a lock file, so a
fresh or shallow clone builds the same URLs, dates and feed ids. Entries are never
dropped: a deleted seed leaves a tombstone, so that a restored or renamed seed
with the same content gets its old entry back, and its slug is never reused.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, fields
from datetime import datetime
from pathlib import Path

from unidecode import unidecode

from .collector import paused

LEDGER_NAME = "ledger.json"
FORMAT_VERSION = 1
SLUG_MAX = 80
# Between an entry's fields, as json.dumps(indent=1) puts them at its depth.
_FIELDS = (",\n   ", ": ")


@dataclass
class Entry:
    """One story. `seed` is the seed's path relative to seeds/."""

    id: str
    slug: str
    seed: str
    section: str
    published: str
    updated: str
    seed_hash: str
    # sha256 of the post file as last written, to notice edits by hand.
    post_hash: str = ""
    # Version of the converter that wrote the post: a new one rewrites posts.
    converter: int = 0
    deleted: bool = False
    # The seed's bytes when last seen, if the post does not reflect them yet (a
    # hand edit held a correction back): a renamed or restored seed is found
    # by these too.
    seen_hash: str = ""
    # A digest of the settings the post was written with (section names,
    # handle links: convert.posts_token); other settings, the post again.
    made_with: str = ""
    # A digest of the seed's text as read (convert.text_digest), whatever its
    # line endings, byte-order mark or encoding: a seed renamed and re-saved
    # (CRLF, a final newline) is found by it. Empty for a story whose post was
    # last written before it was recorded.
    text_hash: str = ""


def slugify(title: str) -> str:
    """ASCII slug of a title, cut at a word boundary; "story" if nothing is left."""
    words = re.findall(r"[a-z0-9]+", unidecode(title).lower())
    slug = ""
    for word in words:
        candidate = f"{slug}-{word}" if slug else word
        if len(candidate) > SLUG_MAX:
            break
        slug = candidate
    return slug or (words[0][:SLUG_MAX] if words else "story")


class Ledger:
    """All stories ever converted, live and tombstoned, keyed by id."""

    def __init__(self, path: Path, entries: list[Entry] | None = None):
        self.path = path
        self.entries: dict[str, Entry] = {entry.id: entry for entry in entries or ()}
        self._slugs = {entry.slug for entry in self.entries.values()}
        self._saved = self._snapshot()

    def __reduce__(self):
        # Sent from the conversion's process to the build's (build._convert):
        # each entry as its values, a third of the bytes of the entries
        # pickled as objects at 10,000 stories, and faster to load; the state
        # last saved only when it is not the state now.
        rows = self._snapshot()
        saved = None if rows == self._saved else self._saved
        return (_unpickled, (self.path, list(rows.values()), saved, self._slugs))

    @classmethod
    def load(cls, path: Path) -> Ledger:
        """Read the ledger; a missing file is an empty ledger."""
        if not path.exists():
            return cls(path)
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            known = {f.name for f in fields(Entry)}
            entries = [
                Entry(**{k: v for k, v in item.items() if k in known}) for item in data["stories"]
            ]
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            # Never guess here: a lost ledger would re-date and re-id every story.
            raise LedgerError(f"{path}: unreadable ledger ({exc})") from exc
        return cls(path, entries)

    def _snapshot(self) -> dict[str, tuple]:
        # Cheap to take and compare: an unchanged ledger is never serialised.
        # 10,000 tuples and no garbage: not worth a full collection's scan.
        with paused():
            return {key: tuple(vars(entry).values()) for key, entry in self.entries.items()}

    def _serialise(self) -> str:
        """The ledger as json.dumps(indent=1) writes it (one field a line, for
        readable diffs), made by json's C encoder: with an indent json uses its
        Python one, a third of a second at 10,000 stories, on every build that
        changes a story. Each entry is flat (strings, numbers, booleans), so
        its lines are the C encoder's separators."""
        stories = sorted(self.entries.values(), key=lambda e: (e.published, e.id))
        items = [
            "  {\n   " + json.dumps(vars(e), ensure_ascii=False, separators=_FIELDS)[1:-1] + "\n  }"
            for e in stories
        ]
        listed = "[\n" + ",\n".join(items) + "\n ]" if items else "[]"
        return f'{{\n "format": {FORMAT_VERSION},\n "stories": {listed}\n}}\n'

    def save(self) -> bool:
        """Write the ledger if it changed (atomically); return whether it did."""
        snapshot = self._snapshot()
        if snapshot == self._saved:
            return False
        self.path.parent.mkdir(parents=True, exist_ok=True)
        temporary = self.path.with_name(f".{self.path.name}.tmp")
        temporary.write_text(self._serialise(), encoding="utf-8")
        temporary.replace(self.path)
        self._saved = snapshot
        return True

    def by_seed(self) -> dict[str, Entry]:
        """The entry that last held each seed path (a live one before a tombstone)."""
        result: dict[str, Entry] = {}
        for entry in self.entries.values():
            held = result.get(entry.seed)
            if held is None or (held.deleted and not entry.deleted):
                result[entry.seed] = entry
        return result

    def mint(
        self,
        *,
        authority: str,
        title: str,
        seed: str,
        section: str,
        published: datetime,
        seed_hash: str,
        reserved: set[str] | frozenset[str] = frozenset(),
    ) -> Entry:
        """A new story: a `tag:` URI id (RFC 4151) and a slug no story ever had,
        and none in `reserved` (names of posts written by hand)."""
        serial = len(self.entries) + 1
        story_id = f"tag:{authority},{published:%Y-%m-%d}:{serial}"
        while story_id in self.entries:
            serial += 1
            story_id = f"tag:{authority},{published:%Y-%m-%d}:{serial}"
        base = slugify(title)
        slug, number = base, 2
        while slug in self._slugs or slug in reserved:
            slug, number = f"{base}-{number}", number + 1
        stamp = published.isoformat(timespec="seconds")
        entry = Entry(
            id=story_id,
            slug=slug,
            seed=seed,
            section=section,
            published=stamp,
            updated=stamp,
            seed_hash=seed_hash,
        )
        self.entries[story_id] = entry
        self._slugs.add(slug)
        return entry


def _unpickled(
    path: Path, rows: list[tuple], saved: dict[str, tuple] | None, slugs: set[str]
) -> Ledger:
    """A ledger as `Ledger.__reduce__` gave it."""
    with paused():
        ledger = Ledger(path, [Entry(*row) for row in rows])
    if saved is not None:
        ledger._saved = saved
    ledger._slugs = slugs
    return ledger


class LedgerError(RuntimeError):
    """The ledger file exists but cannot be read."""
