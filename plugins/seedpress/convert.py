"""seeds/ → content/: one Markdown post per good seed, incremental and safe.

* An unchanged seed rewrites nothing (seed hash, converter version and the post's
  own hash all match the ledger).
* A post edited by hand since it was written is never overwritten: a warning
  names it, and `force` overwrites.
* A generated post whose seed is gone is removed (logged) and its ledger entry
  becomes a tombstone; posts that come from no seed are never touched.
* Seeds are only ever read.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from . import dates
from . import settings as sp
from .ledger import LEDGER_NAME, Entry, Ledger
from .log import get_logger
from .post import CONVERTER_VERSION, damage, render_post
from .seed import SeedError, parse

logger = get_logger(__name__)

PROGRESS_EVERY = 500


@dataclass
class Report:
    """What one conversion did, for the build summary."""

    written: list[str] = field(default_factory=list)
    unchanged: int = 0
    rejected: list[tuple[str, str]] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    kept_edits: list[str] = field(default_factory=list)
    damaged: list[tuple[str, str]] = field(default_factory=list)
    seconds: float = 0.0

    def summary(self) -> str:
        """One line for people: counts, then the rejected seeds by name."""
        line = (
            f"seeds: {len(self.written)} converted, {self.unchanged} unchanged, "
            f"{len(self.rejected)} rejected, {len(self.removed)} removed"
        )
        if self.kept_edits:
            line += f", {len(self.kept_edits)} hand-edited posts kept"
        if self.rejected:
            line += " (rejected: " + ", ".join(name for name, _ in self.rejected) + ")"
        if self.damaged:
            line += f", {len(self.damaged)} damaged posts"
        return line


def sha256(data: bytes) -> str:
    """Hex SHA-256 of bytes."""
    return hashlib.sha256(data).hexdigest()


def find_seeds(seeds_dir: Path) -> list[str]:
    """Seed paths relative to seeds/, sorted; hidden files and folders skipped."""
    found = []
    for path in seeds_dir.rglob("*"):
        relative = path.relative_to(seeds_dir)
        if any(part.startswith(".") for part in relative.parts):
            continue
        if path.suffix.lower() == ".txt" and path.is_file():
            found.append(relative.as_posix())
    return sorted(found)


class Converter:
    """Converts one seeds folder into one content folder, using its ledger."""

    def __init__(
        self,
        seeds_dir: Path,
        content_dir: Path,
        settings: Mapping[str, Any],
        *,
        force: bool = False,
        date: datetime | None = None,
    ):
        self.seeds_dir = seeds_dir
        self.posts_dir = content_dir / sp.get(settings, "SEEDPRESS_POSTS_DIR")
        self.settings = settings
        self.force = force
        self.date = date
        self.zone = ZoneInfo(settings.get("TIMEZONE") or "UTC")
        self.ledger = Ledger.load(content_dir / LEDGER_NAME)
        self.report = Report()
        self._git_dates: dict[str, datetime] | None = None

    def run(self) -> Report:
        """Convert every seed; return the report. Rejected seeds are logged."""
        started = time.monotonic()
        present = find_seeds(self.seeds_dir) if self.seeds_dir.is_dir() else []
        if not self.seeds_dir.is_dir():
            logger.warning("%s: no seeds folder, nothing to convert", self.seeds_dir)
        entries = self._match(present)
        for done, seed_path in enumerate(present, start=1):
            self._convert_one(seed_path, entries)
            if done % PROGRESS_EVERY == 0:
                logger.info("converted %d/%d seeds", done, len(present))
        self._bury(set(present))
        self._inspect()
        self.ledger.save()
        self.report.seconds = time.monotonic() - started
        return self.report

    def _match(self, present: list[str]) -> dict[str, Entry]:
        """Ledger entries for the seeds on disk, by path, else by content.

        A renamed or moved seed, or a deleted one restored, keeps its story when
        its bytes are those the ledger last saw under a path that is gone now.
        """
        by_seed = self.ledger.by_seed()
        matched = {path: by_seed[path] for path in present if path in by_seed}
        claimed = {entry.id for entry in matched.values()}
        present_set = set(present)
        orphans: dict[str, Entry] = {}
        for entry in sorted(self.ledger.entries.values(), key=lambda e: e.id):
            if entry.id not in claimed and entry.seed not in present_set:
                orphans.setdefault(entry.seed_hash, entry)
        for path in present:
            if path in matched or self._too_big(path):
                continue
            entry = orphans.pop(sha256(self._read(path)), None)
            if entry is not None:
                logger.info("%s: same story as %s (renamed or restored)", path, entry.seed)
                matched[path] = entry
        return matched

    def _read(self, seed_path: str) -> bytes:
        return (self.seeds_dir / seed_path).read_bytes()

    def _too_big(self, seed_path: str) -> bool:
        # Checked before reading: a stray multi-gigabyte file must not be loaded.
        size = (self.seeds_dir / seed_path).stat().st_size
        return size > sp.get(self.settings, "SEEDPRESS_MAX_SEED_BYTES")

    def _convert_one(self, seed_path: str, entries: dict[str, Entry]) -> None:
        if self._too_big(seed_path):
            limit = sp.get(self.settings, "SEEDPRESS_MAX_SEED_BYTES")
            self._reject(seed_path, f"over the limit of {limit:,} bytes")
            return
        try:
            data = self._read(seed_path)
        except OSError as exc:
            self._reject(seed_path, f"unreadable ({exc.strerror})")
            return
        seed_hash = sha256(data)
        folder = seed_path.split("/", maxsplit=1)[0] if "/" in seed_path else ""
        section = sp.section_name(folder, self.settings)
        entry = entries.get(seed_path)
        if entry and self._up_to_date(entry, seed_path, seed_hash):
            self.report.unchanged += 1
            return
        try:
            seed = parse(
                data,
                max_bytes=sp.get(self.settings, "SEEDPRESS_MAX_SEED_BYTES"),
                max_line=sp.get(self.settings, "SEEDPRESS_MAX_LINE_CHARS"),
            )
        except SeedError as exc:
            self._reject(seed_path, str(exc))
            return
        for warning in seed.warnings:
            logger.warning("%s: %s", self.seeds_dir / seed_path, warning)

        if entry is None:
            entry = self.ledger.mint(
                authority=sp.get(self.settings, "SEEDPRESS_ID_AUTHORITY"),
                title=seed.title,
                seed=seed_path,
                section=folder,
                published=self._first_published(seed_path),
                seed_hash=seed_hash,
            )
        elif entry.seed_hash != seed_hash:
            entry.updated = max(self._edited(seed_path), entry.published)
        entry.seed, entry.section, entry.seed_hash = seed_path, folder, seed_hash
        entry.deleted = False

        post_path = self.posts_dir / f"{entry.slug}.md"
        if self._edited_by_hand(post_path, entry):
            if not self.force:
                logger.warning(
                    "%s: edited by hand, not overwritten by %s (use --force)",
                    post_path,
                    seed_path,
                )
                self.report.kept_edits.append(str(post_path))
                return
            logger.warning("%s: edited by hand, overwritten (--force)", post_path)
        text = render_post(seed, entry, section, sp.get(self.settings, "SEEDPRESS_HANDLE_URL"))
        encoded = text.encode("utf-8")
        post_path.parent.mkdir(parents=True, exist_ok=True)
        if not post_path.exists() or post_path.read_bytes() != encoded:
            temporary = post_path.with_name(f".{post_path.name}.tmp")
            temporary.write_bytes(encoded)
            temporary.replace(post_path)
            self.report.written.append(seed_path)
        else:
            self.report.unchanged += 1
        entry.post_hash = sha256(encoded)
        entry.converter = CONVERTER_VERSION

    def _up_to_date(self, entry: Entry, seed_path: str, seed_hash: str) -> bool:
        if entry.deleted or entry.seed != seed_path or entry.seed_hash != seed_hash:
            return False
        if entry.converter != CONVERTER_VERSION:
            return False
        post_path = self.posts_dir / f"{entry.slug}.md"
        return post_path.is_file() and sha256(post_path.read_bytes()) == entry.post_hash

    @staticmethod
    def _edited_by_hand(post_path: Path, entry: Entry) -> bool:
        if not post_path.is_file() or not entry.post_hash:
            return False
        return sha256(post_path.read_bytes()) != entry.post_hash

    def _first_published(self, seed_path: str) -> datetime:
        if self.date is not None:
            return self.date
        if self._git_dates is None:
            self._git_dates = dates.git_first_added(self.seeds_dir)
        added = self._git_dates.get(seed_path)
        if added is not None:
            return added.astimezone(self.zone)
        return dates.file_time(self.seeds_dir / seed_path, self.zone)

    def _edited(self, seed_path: str) -> str:
        moment = self.date or dates.file_time(self.seeds_dir / seed_path, self.zone)
        return moment.isoformat(timespec="seconds")

    def _reject(self, seed_path: str, reason: str) -> None:
        logger.error("%s: rejected: %s", self.seeds_dir / seed_path, reason)
        self.report.rejected.append((seed_path, reason))

    def _inspect(self) -> None:
        """A generated post changed since it was written must still be whole."""
        for entry in self.ledger.entries.values():
            post_path = self.posts_dir / f"{entry.slug}.md"
            if entry.deleted or not self._edited_by_hand(post_path, entry):
                continue
            text = post_path.read_text(encoding="utf-8", errors="replace")
            problems = damage(text, entry.id, entry.slug)
            if problems:
                reason = "; ".join(problems)
                logger.error("%s: damaged post: %s", post_path, reason)
                self.report.damaged.append((str(post_path), reason))

    def _bury(self, present: set[str]) -> None:
        """Tombstone the stories whose seed is gone; remove their generated posts."""
        for entry in self.ledger.entries.values():
            if entry.deleted or entry.seed in present:
                continue
            entry.deleted = True
            post_path = self.posts_dir / f"{entry.slug}.md"
            if self._edited_by_hand(post_path, entry):
                logger.warning(
                    "%s: seed %s deleted, but the post was edited by hand: kept",
                    post_path,
                    entry.seed,
                )
                self.report.kept_edits.append(str(post_path))
            elif post_path.exists():
                post_path.unlink()
                logger.info("%s: removed, its seed %s was deleted", post_path, entry.seed)
                self.report.removed.append(entry.seed)


def convert(
    seeds_dir: Path,
    content_dir: Path,
    settings: Mapping[str, Any],
    *,
    force: bool = False,
    date: datetime | None = None,
) -> Report:
    """Convert `seeds_dir` into posts in `content_dir`; see the module docstring."""
    return Converter(seeds_dir, content_dir, settings, force=force, date=date).run()
