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

import glob
import hashlib
import json
import os
import re
import stat
import time
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from . import dates, handwritten
from . import settings as sp
from .hashes import FileHashes, files_under
from .ledger import LEDGER_NAME, Entry, Ledger
from .log import counted, get_logger
from .markup import smartens
from .parallel import fork_map, jobs
from .post import CONVERTER_VERSION, damage, render_post
from .seed import Seed, SeedError, parse

logger = get_logger(__name__)

PROGRESS_EVERY = 500
# Below this many seeds to parse, forking costs more than it saves.
PARALLEL_FROM = 100
# A seed file's time before this has none (zip's earliest time is 1 January
# 1980, tools that keep none write 1970), and one this far past now is from a
# skewed clock (a FAT stick written in local time, a copy from a machine
# ahead): Converter._file_time.
EARLIEST = datetime(1980, 1, 2, tzinfo=UTC)
SKEW = timedelta(minutes=10)
# Characters no seed name may hold: control characters and line separators
# would break the post's header, or a line of the log (C1's CSI, 0x9b, is a
# terminal's escape too).
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")
# What a render worker did with a post's bytes (_render_one).
SAME, PLACED, STAGED = "same", "placed", "staged"
# What parse and render workers read; set before forking, inherited.
_PARSE: dict[str, Any] = {}
_RENDER: dict[str, Any] = {}


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
    # The ledger as saved at the end (None: no conversion ran).
    ledger: Ledger | None = field(default=None, repr=False)

    def summary(self) -> str:
        """One line for people: counts, then the rejected seeds by name."""
        line = (
            f"seeds: {len(self.written)} converted, {self.unchanged} unchanged, "
            f"{len(self.rejected)} rejected, {len(self.removed)} removed"
        )
        if self.kept_edits:
            line += f", {counted(len(self.kept_edits), 'hand-edited post')} kept"
        if self.rejected:
            line += " (rejected: " + ", ".join(name for name, _ in self.rejected) + ")"
        if self.damaged:
            line += f", {counted(len(self.damaged), 'damaged post')}"
        return line


def sha256(data: bytes) -> str:
    """Hex SHA-256 of bytes."""
    return hashlib.sha256(data).hexdigest()


def is_hidden(name: str) -> bool:
    """Hidden files and folders in seeds/ are not seeds (.git, editor files)."""
    return name.startswith(".")


def is_seed(name: str) -> bool:
    """Whether a file in seeds/ is a seed, by its name."""
    return not is_hidden(name) and name.lower().endswith(".txt")


def find_seeds(seeds_dir: Path) -> tuple[list[str], list[str]]:
    """Seed paths relative to seeds/, sorted, and the links to folders there
    (not followed: they could publish any file the build can read). Hidden
    files and folders are skipped. A link to a file, or to nothing, named as a
    seed is listed with the seeds, to be rejected by name (Converter._unfit)."""
    others: list = []
    found = files_under(seeds_dir, is_hidden, others)
    seeds = [relative for relative, entry in found if is_seed(entry.name)]
    folders = []
    for relative, entry in others:
        if entry.is_symlink() and os.path.isdir(entry.path):
            folders.append(relative)
        elif is_seed(entry.name):
            seeds.append(relative)
    return sorted(seeds), sorted(folders)


def _unfit_name(seed_path: str) -> str | None:
    """Why a seed's file name cannot be published, or None."""
    if _CONTROL.search(seed_path):
        # It would break the post's header (and is never a name a person chose).
        return "its file name holds a line break or control character"
    if not seed_path.isascii() and _decoded(seed_path) != seed_path:
        # os.walk keeps bytes that are not UTF-8 as surrogates, which no
        # file of the site (the ledger, a post's header) can hold.
        return "its file name is not UTF-8 (rename it)"
    return None


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
        hashes: FileHashes | None = None,
    ):
        self.seeds_dir = seeds_dir
        # File hashes remembered by stat: an unchanged seed or post is not read.
        self.hashes = hashes or FileHashes()
        self.content_dir = content_dir
        self.posts_dir = content_dir / sp.get(settings, "SEEDPRESS_POSTS_DIR")
        self.settings = settings
        self.force = force
        self.date = date
        self.zone = ZoneInfo(settings.get("TIMEZONE") or "UTC")
        self.ledger = Ledger.load(content_dir / LEDGER_NAME)
        # What the settings written into posts are now (posts_token).
        self._made_with = posts_token(settings)
        self.report = Report()
        self._git_dates: dict[str, datetime] | None = None
        self._folders: dict[str, bool] = {}  # seed folders inside seeds/, links followed
        self._fresh: set[str] = set()  # seeds whose posts are up to date
        self._verified: set[str] = set()  # ids of their stories
        self._parsed: dict[str, Seed | SeedError] = {}  # parsed ahead, in parallel
        self._matched_by_text: set[str] = set()  # ids of stories found by text_digest

    def run(self) -> Report:
        """Convert every seed; return the report. Rejected seeds are logged."""
        started = time.monotonic()
        found = self.seeds_dir.is_dir()
        present, linked = find_seeds(self.seeds_dir) if found else ([], [])
        for folder in linked:
            self._reject(folder, "a link to a folder: seeds are only read from folders in seeds/")
        if not found:
            # A folder not there (a wrong path, a checkout without it) is no
            # order to take every story down: an empty seeds/ folder is.
            logger.warning(
                "%s: no seeds folder: nothing converted, no story removed", self.seeds_dir
            )
        readable = []
        for seed_path in present:
            reason = self._unfit(seed_path)
            if reason:
                self._reject(seed_path, reason)
            else:
                readable.append(seed_path)
        self._tell_copies(readable)
        entries = self._match(readable)
        self._parse_all(readable, entries)
        parsed = self._mint(readable, entries)
        stories = [
            story
            for seed_path in readable
            if seed_path in entries
            and (story := self._prepare(seed_path, entries[seed_path], parsed.get(seed_path)))
        ]
        self.report.unchanged += sum(1 for p in readable if p in self._fresh)
        for story in stories:
            # A story restored comes back with its hand edit; not under --force,
            # which would write the seed's text over the only copy of it.
            if story.entry.deleted and not self.force:
                _bring_back_edit(_post_path(self.posts_dir, story.entry))
        if stories:
            self.posts_dir.mkdir(parents=True, exist_ok=True)
            _unstage(self.posts_dir)  # what a conversion that died left
        _RENDER.update(
            stories=stories,
            # render_post's handle_url and smart.
            how=(sp.get(self.settings, "SEEDPRESS_HANDLE_URL"), _smart(self.settings)),
            posts_dir=self.posts_dir,
        )
        try:
            made = fork_map(
                _render_one,
                range(len(stories)),
                jobs(self.settings),
                threshold=PARALLEL_FROM,
                chunksize=32,
            )
            for done, (story, (encoded, outcome, updated, text)) in enumerate(
                zip(stories, made, strict=True), 1
            ):
                self._write(story, encoded, outcome, updated, text)
                if done % PROGRESS_EVERY == 0:
                    logger.info("converted %d/%d seeds", done, len(stories))
        finally:
            _RENDER.clear()
        if found:
            minted = [path for path in parsed if entries[path].id not in self._matched_by_text]
            _tell_renamed_and_edited(self._bury(set(present)), minted)
        self._inspect()
        self.ledger.save()
        self.report.ledger = self.ledger
        self.report.seconds = time.monotonic() - started
        return self.report

    def _unfit(self, seed_path: str) -> str | None:
        """Why a file in seeds/ is not read at all, or None."""
        path = os.path.join(self.seeds_dir, seed_path)  # str: cheaper than Path, per seed
        named = _unfit_name(seed_path)
        if named:
            return named
        status = os.lstat(path)
        if stat.S_ISLNK(status.st_mode) or not self._inside(os.path.dirname(path)):
            # A link could publish any file the build can read (keys, configuration).
            return "a symbolic link: seeds are only read from regular files in seeds/"
        if not stat.S_ISREG(status.st_mode):
            # Opening a named pipe would wait for a writer: the build hung.
            return "not a regular file (a named pipe, socket or device)"
        limit = sp.get(self.settings, "SEEDPRESS_MAX_SEED_BYTES")
        # Checked before reading: a stray multi-gigabyte file must not be loaded.
        if status.st_size > limit:
            return f"over the limit of {limit:,} bytes"
        try:
            # Reads the seed unless known unchanged; lstat is stat for a regular file.
            self.hashes.of(path, status)
        except OSError as exc:
            return f"unreadable ({exc.strerror})"
        return None

    def _seed_hash(self, seed_path: str) -> str:
        return self.hashes.of(os.path.join(self.seeds_dir, seed_path))

    def _inside(self, folder: str) -> bool:
        """Whether a folder, links followed, is inside seeds/ (once per folder)."""
        if folder not in self._folders:
            resolved = Path(folder).resolve()
            self._folders[folder] = resolved.is_relative_to(self.seeds_dir.resolve())
        return self._folders[folder]

    def _tell_copies(self, readable: list[str]) -> None:
        """Warn of seeds with the same bytes as another ("story (1).txt" from
        a download or a sync conflict): each is published, as a story of its own."""
        first: dict[str, str] = {}
        for seed_path in readable:
            original = first.setdefault(self._seed_hash(seed_path), seed_path)
            if original != seed_path:
                logger.warning(
                    "%s and %s have the same bytes: both are published, as two stories",
                    self.seeds_dir / _printable(original),
                    _printable(seed_path),
                )

    def _match(self, present: list[str]) -> dict[str, Entry]:
        """Ledger entries for the seeds on disk: a live story by its path, else
        any story (a tombstone too) whose last seen bytes are exactly these.

        So a renamed or moved seed keeps its story, and a deleted one restored
        gets it back; a new file at a deleted seed's path is a new story.
        """
        by_seed = self.ledger.by_seed()
        matched = {
            path: by_seed[path] for path in present if path in by_seed and not by_seed[path].deleted
        }
        claimed = {entry.id for entry in matched.values()}
        present_set = set(present)
        orphans: dict[str, Entry] = {}
        # A live story whose seed just moved before a tombstone with the same
        # bytes: a renamed copy of a deleted story stays the story it is.
        for entry in sorted(self.ledger.entries.values(), key=lambda e: (e.deleted, e.id)):
            if entry.id not in claimed and (entry.deleted or entry.seed not in present_set):
                for known in filter(None, (entry.seed_hash, entry.seen_hash)):
                    orphans.setdefault(known, entry)
        for path in present:
            if orphans and path not in matched:
                entry = orphans.pop(self._seed_hash(path), None)
                if entry is not None and entry.id not in claimed:
                    claimed.add(entry.id)
                    logger.info(
                        "%s: same story as %s (renamed or restored)", path, _printable(entry.seed)
                    )
                    matched[path] = entry
        return matched

    def _mint(self, present: list[str], entries: dict[str, Entry]) -> dict[str, Seed]:
        """Ledger entries for new stories, saved before any post is written, so
        a conversion killed midway never loses track of a post it wrote."""
        parsed: dict[str, Seed] = {}
        new = [seed_path for seed_path in present if seed_path not in entries]
        # The names of posts written by hand (a new post must not overwrite
        # one), and the slugs they are published under.
        reserved = (
            {p.stem for p in self.posts_dir.glob("*.md")} | self._hand_written_slugs()
            if new and self.content_dir.is_dir()
            else set()
        )
        by_text = self._orphans_by_text(present, entries) if new else {}
        for seed_path in new:
            seed = self._parse(seed_path)
            if seed is None:
                continue
            parsed[seed_path] = seed
            known = by_text.pop(text_digest(seed), None) if by_text else None
            if known is not None:
                logger.info(
                    "%s: same story as %s (renamed or restored; its text reads the same)",
                    seed_path,
                    _printable(known.seed),
                )
                entries[seed_path] = known
                self._matched_by_text.add(known.id)
                continue
            entries[seed_path] = self.ledger.mint(
                authority=sp.get(self.settings, "SEEDPRESS_ID_AUTHORITY"),
                title=seed.title,
                seed=seed_path,
                section=_folder(seed_path),
                published=self._first_published(seed_path),
                seed_hash=self._seed_hash(seed_path),
                reserved=reserved,
            )
        if parsed:
            self.ledger.save()
        return parsed

    def _orphans_by_text(self, present: list[str], entries: dict[str, Entry]) -> dict[str, Entry]:
        """The stories no seed holds now (gone, or tombstoned), by the digest of
        their text when last written: a seed renamed with its line endings,
        byte-order mark or final newline changed is still its story (its
        bytes, which `_match` goes by, are not the same). A text two such
        stories share matches neither: a copy's rename could take the
        other's story."""
        claimed = {entry.id for entry in entries.values()}
        held = set(present)
        found: dict[str, Entry] = {}
        shared = set()
        for entry in sorted(self.ledger.entries.values(), key=lambda e: (e.deleted, e.id)):
            if entry.text_hash and entry.id not in claimed and entry.seed not in held:
                if entry.text_hash in found:
                    shared.add(entry.text_hash)  # two stories read alike: which is it?
                found.setdefault(entry.text_hash, entry)
        return {digest: entry for digest, entry in found.items() if digest not in shared}

    def _hand_written_slugs(self) -> set[str]:
        """The slugs of the stories written by hand (handwritten.py), not
        counting a live story's post (a deleted one's post, if there again,
        put back by hand, is Pelican's to publish: it is read too)."""
        posts = os.path.relpath(self.posts_dir, self.content_dir)
        generated = {
            os.path.normpath(os.path.join(posts, f"{entry.slug}.md"))
            for entry in self.ledger.entries.values()
            if not entry.deleted
        }
        return handwritten.slugs(str(self.content_dir), self.settings, generated)

    def _parse_all(self, present: list[str], entries: dict[str, Entry]) -> None:
        """Parse, on every core, each seed that is new or changed; the rest are
        recorded as up to date."""
        self._fresh = {
            path
            for path in present
            if path in entries and self._up_to_date(entries[path], path, self._seed_hash(path))
        }
        self._verified = {entries[path].id for path in self._fresh}
        todo = [path for path in present if path not in self._fresh]
        _PARSE.update(
            seeds_dir=self.seeds_dir,
            max_bytes=sp.get(self.settings, "SEEDPRESS_MAX_SEED_BYTES"),
            max_line=sp.get(self.settings, "SEEDPRESS_MAX_LINE_CHARS"),
        )
        try:
            results = fork_map(
                _parse_one, todo, jobs(self.settings), threshold=PARALLEL_FROM, chunksize=32
            )
            self._parsed = dict(zip(todo, results, strict=True))
        finally:
            _PARSE.clear()

    def _parse(self, seed_path: str) -> Seed | None:
        seed = self._parsed.pop(seed_path, None)
        if seed is None:
            seed = _try_parse(
                (self.seeds_dir / seed_path).read_bytes(),
                sp.get(self.settings, "SEEDPRESS_MAX_SEED_BYTES"),
                sp.get(self.settings, "SEEDPRESS_MAX_LINE_CHARS"),
            )
        if isinstance(seed, SeedError):
            self._reject(seed_path, str(seed))
            return None
        for warning in seed.warnings:
            logger.warning("%s: %s", self.seeds_dir / seed_path, warning)
        return seed

    def _prepare(self, seed_path: str, entry: Entry, seed: Seed | None) -> _Story | None:
        """What to render for a seed that is new or changed, or None."""
        if seed_path in self._fresh:
            return None
        seed = seed or self._parse(seed_path)
        if seed is None:
            return None
        seed_hash = self._seed_hash(seed_path)
        folder = _folder(seed_path)
        # Bytes changed, but not the text as read (a restored seed saved with
        # other line endings, whose post is gone): no update.
        changed = (
            bool(entry.post_hash)
            and entry.seed_hash != seed_hash
            and not (entry.text_hash and entry.text_hash == text_digest(seed))
        )
        return _Story(
            path=seed_path,
            entry=entry,
            seed=seed,
            seed_hash=seed_hash,
            record=replace(entry, seed=seed_path, section=folder, seed_hash=seed_hash),
            section=sp.section_name(folder, self.settings),
            edited_at=self._edited(seed_path, entry) if changed else None,
        )

    def _write(self, story: _Story, encoded: bytes, outcome: str, updated: str, text: str) -> None:
        """Put a rendered post in place, unless it was edited by hand (as
        `_render_one` left it: SAME, PLACED or STAGED); record it."""
        entry, seed_path, seed_hash = story.entry, story.path, story.seed_hash
        folder = story.record.section
        post_path = _post_path(self.posts_dir, entry)
        # A move or rename is recorded whatever happens to the post.
        entry.seed, entry.section, entry.deleted = seed_path, folder, False
        entry.seen_hash = "" if seed_hash == entry.seed_hash else seed_hash
        if outcome != PLACED and self._edited_by_hand(post_path, entry, encoded):
            if not self.force:
                # The seed's change is not recorded: the warning comes back on
                # every build until someone decides (--force, or a new edit).
                logger.warning(
                    "%s: edited by hand, not overwritten by %s (use --force)",
                    post_path,
                    seed_path,
                )
                self.report.kept_edits.append(str(post_path))
                if outcome == STAGED:
                    _staged(post_path).unlink()
                return
            logger.warning("%s: edited by hand, overwritten (--force)", post_path)
        if outcome == SAME:
            self.report.unchanged += 1
        else:
            if outcome == STAGED:
                _staged(post_path).replace(post_path)
            self.report.written.append(seed_path)
        entry.seed_hash, entry.seen_hash, entry.updated = seed_hash, "", updated
        entry.text_hash = text
        entry.post_hash = sha256(encoded)
        if outcome != SAME:
            self.hashes.wrote(post_path, entry.post_hash)
        entry.converter, entry.made_with = CONVERTER_VERSION, self._made_with
        self._verified.add(entry.id)  # its post is as written: _inspect passes it

    def _up_to_date(self, entry: Entry, seed_path: str, seed_hash: str) -> bool:
        if entry.deleted or entry.seed != seed_path or entry.seed_hash != seed_hash:
            return False
        if entry.made_with != self._made_with:  # settings written into it changed
            return False
        if entry.converter != CONVERTER_VERSION:
            return False
        post_path = os.path.join(self.posts_dir, f"{entry.slug}.md")
        return self.hashes.of(post_path) == entry.post_hash

    def _edited_by_hand(self, post_path: Path, entry: Entry, new: bytes | None = None) -> bool:
        """True when the post file is neither what the converter last wrote nor
        exactly what it would write now (`new`).

        A conversion killed after it put a post in place, before it saved the
        ledger, leaves the post its seed now gives with the ledger's record of
        the one before: the next build takes it as its own (and records it),
        where it once kept it as a hand edit on every build, with the story's
        update never recorded.
        """
        if not post_path.is_file():
            return False
        if entry.post_hash:
            found = self.hashes.of(post_path)
            return found != entry.post_hash and (new is None or found != sha256(new))
        return post_path.read_bytes() != new

    def _first_published(self, seed_path: str) -> datetime:
        if self.date is not None:
            return self.date.astimezone(self.zone)
        if self._git_dates is None:
            self._git_dates = dates.git_first_added(self.seeds_dir)
        added = self._git_dates.get(seed_path)
        if added is not None:
            return added.astimezone(self.zone)
        return self._file_time(seed_path)

    def _file_time(self, seed_path: str, *, first: bool = True) -> datetime:
        """The seed file's time, unless it cannot be when the story was
        written: more than SKEW in the future, or, for its first publication
        (`first`), before EARLIEST. A date is never changed once published,
        so such a time would stay: the story is dated now instead, with a
        warning. A correction is dated now without one (the build after a
        hand edit held it back would say it again); one with an old time is
        dated after the last change (`_edited`)."""
        moment = dates.file_time(self.seeds_dir / seed_path, self.zone)
        now = datetime.now(self.zone).replace(microsecond=0)
        if moment > now + SKEW or (first and moment < EARLIEST):
            if first:
                logger.warning(
                    "%s: its file's time, %s, is %s; dated now, %s",
                    self.seeds_dir / _printable(seed_path),
                    moment.isoformat(),
                    "in the future" if moment > now else "before 1980",
                    now.isoformat(),
                )
            return now
        return moment

    def _edited(self, seed_path: str, entry: Entry) -> str:
        """When a story's text changed: the override, else the file's time; but
        always after its last change (and so after it was first published). A
        correction dated before the last one (`--date` in the past, a file
        copied with its old time) moved `updated` backwards, even back to the
        published date, and feed readers showed the story as never corrected:
        it is then a second after the last change."""
        moment = self.date or self._file_time(seed_path, first=False)
        last = datetime.fromisoformat(entry.updated or entry.published)
        if moment <= last:
            moment = last + timedelta(seconds=1)
        return moment.astimezone(self.zone).isoformat(timespec="seconds")

    def _reject(self, seed_path: str, reason: str) -> None:
        shown = _printable(seed_path)
        logger.error("%s: rejected: %s", self.seeds_dir / shown, reason)
        self.report.rejected.append((shown, reason))

    def _inspect(self) -> None:
        """A generated post changed since it was written must still be whole."""
        for entry in self.ledger.entries.values():
            if entry.deleted or not entry.post_hash or entry.id in self._verified:
                continue  # a fresh seed's post was just found to be as written
            post_path = _post_path(self.posts_dir, entry)
            if not self._edited_by_hand(post_path, entry):
                continue
            text = post_path.read_text(encoding="utf-8", errors="replace")
            problems = damage(text, entry.id, entry.slug)
            if problems:
                reason = "; ".join(problems)
                logger.error("%s: damaged post: %s", post_path, reason)
                self.report.damaged.append((str(post_path), reason))

    def _bury(self, present: set[str]) -> list[str]:
        """Tombstone the stories whose seed is gone; remove their generated
        posts. Returns those seeds."""
        buried = []
        for entry in self.ledger.entries.values():
            if entry.deleted or entry.seed in present:
                continue
            entry.deleted = True
            buried.append(entry.seed)
            post_path = _post_path(self.posts_dir, entry)
            shown = _printable(entry.seed)
            if post_path.exists() and (
                self._edited_by_hand(post_path, entry) or not entry.post_hash
            ):
                # Deleting the seed takes the story down, as for any story; the
                # hand edit is kept under a name Pelican does not read. Kept as
                # a post, the story stayed published for good, the build silent.
                kept = _free_name(post_path.with_name(f"{post_path.name}{DELETED_SUFFIX}"))
                post_path.rename(kept)
                logger.warning(
                    "%s: seed %s deleted: story taken down; the post, edited by hand, "
                    "is kept as %s",
                    post_path,
                    shown,
                    kept.name,
                )
                self.report.kept_edits.append(str(kept))
                self.report.removed.append(shown)
            elif post_path.exists():
                post_path.unlink()
                logger.info("%s: removed, its seed %s was deleted", post_path, shown)
                self.report.removed.append(shown)
        return buried


# A hand-edited post of a deleted seed is kept under its name plus this.
DELETED_SUFFIX = ".deleted"


def _bring_back_edit(post_path: Path) -> None:
    """Put the last hand-edited post kept for a deleted story back in place,
    when its story is restored: it is then kept as any hand-edited post is,
    and the seed's text does not replace it unseen. Without this, restoring
    a seed put the story back without its edit (a correction, perhaps), and
    said nothing."""
    if post_path.exists():
        return
    kept = _kept_edits(post_path)
    if kept:
        kept[-1].rename(post_path)
        logger.info("%s: its story restored, the post edited by hand is back", post_path)


def _kept_edits(post_path: Path) -> list[Path]:
    """The hand-edited posts kept for `post_path`'s deleted story, oldest first."""
    base = f"{post_path.name}{DELETED_SUFFIX}"
    found = []
    for path in post_path.parent.glob(f"{glob.escape(base)}*"):
        number = path.name[len(base) + 1 :]
        if path.name == base or (
            path.name[len(base)] == "." and number.isascii() and number.isdigit()
        ):
            found.append((int(number or 1), path))
    return [path for _, path in sorted(found)]


def _free_name(path: Path) -> Path:
    """Where to keep a hand edit of a deleted story: `path` (a name plus
    DELETED_SUFFIX), else a number after the highest kept (`path.2`, `.3`…),
    so that the newest is always the highest (_bring_back_edit takes it)."""
    post = path.with_name(path.name.removesuffix(DELETED_SUFFIX))
    kept = _kept_edits(post)
    if not kept:
        return path
    highest = kept[-1].name[len(path.name) + 1 :]
    return path.with_name(f"{path.name}.{int(highest or 1) + 1}")


@dataclass(frozen=True)
class _Story:
    """A seed to render: its ledger entry now, and as the post will record it."""

    path: str
    entry: Entry
    seed: Seed
    seed_hash: str
    record: Entry
    section: str
    # When the seed's bytes changed since its post was written: the `updated`
    # date the post gets if its text changed too.
    edited_at: str | None = None


def _render_one(index: int) -> tuple[bytes, str, str, str]:
    """A post's bytes (in a worker, from the stories inherited from the
    parent), what was done with them: SAME (the post holds them already),
    PLACED (there was no post: written in its place), STAGED (written beside
    the post, which the parent replaces, or keeps if edited by hand), and
    its `updated` date, and the seed's text_digest (0.36 s of a cold build
    at 10,000 seeds in the parent). Making 10,000 new files took 4 s in the
    parent of a cold build.

    A seed whose bytes changed is dated anew only if the story its post tells
    changed: a seed saved again with other line endings or trailing white
    space reads the same, and its story was not updated."""
    story = _RENDER["stories"][index]
    record = story.record
    encoded = render_post(story.seed, record, story.section, *_RENDER["how"]).encode()
    post_path = _post_path(_RENDER["posts_dir"], story.entry)
    existed = post_path.is_file()
    before = post_path.read_bytes() if existed else None
    if story.edited_at is not None and not _same_story(before, story.entry.post_hash, encoded):
        record = replace(record, updated=story.edited_at)
        encoded = render_post(story.seed, record, story.section, *_RENDER["how"]).encode()
    text = text_digest(story.seed)
    if before == encoded:
        return encoded, SAME, record.updated, text
    _staged(post_path).write_bytes(encoded)
    if existed:
        return encoded, STAGED, record.updated, text
    _staged(post_path).replace(post_path)  # whole or not at all
    return encoded, PLACED, record.updated, text


def posts_token(settings: Mapping[str, Any]) -> str:
    """A digest of the settings written into the posts: the sections' names
    (each post's Category:), where bio @handles link and whether quotes are
    escaped for the smarty extension, recorded on each
    story's ledger entry with its post (`made_with`). Changing one writes
    every post again, or a section's older posts kept its old name (two
    sections) and older bios the old links; a post not written then (its
    seed rejected that day) is written when it can be."""
    names = {
        name: sp.get(settings, name)
        for name in ("SEEDPRESS_SECTION_NAMES", "SEEDPRESS_DEFAULT_SECTION", "SEEDPRESS_HANDLE_URL")
    }
    if _smart(settings):  # only then: the posts of every other site keep their token
        names["smarty"] = True
    return sha256(json.dumps(names, sort_keys=True).encode())[:16]


def _smart(settings: Mapping[str, Any]) -> bool:
    """Whether Pelican's Markdown has the smarty extension (markup.smartens)."""
    return smartens(settings.get("MARKDOWN") or {})


# Header fields of a post that say where and when it came from, not the story
# (a seed renamed and saved again with other line endings tells the same one).
_PROVENANCE = (b"Modified: ", b"Seed: ", b"Seed_Hash: ")


def _same_story(before: bytes | None, written: str, encoded: bytes) -> bool:
    """Whether the post as last written (`before`, when its hash is still
    `written`: not edited by hand since) tells the same story as `encoded`:
    the same but for its Modified, Seed and Seed_Hash fields."""
    if before is None or sha256(before) != written:
        return False

    def story_of(post: bytes) -> tuple[list[bytes], bytes]:
        header, _, body = post.partition(b"\n\n")
        return [f for f in header.split(b"\n") if not f.startswith(_PROVENANCE)], body

    return story_of(before) == story_of(encoded)


def _decoded(seed_path: str) -> str:
    """The name, with any byte that is not UTF-8 as U+FFFD."""
    return seed_path.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def _printable(seed_path: str) -> str:
    """The name as the log and the summary show it: `_decoded`, and each
    character that could end or rewrite a line of the log (a line break, an
    escape sequence) escaped as Python writes it ("\\n", "\\x1b"): a seed named
    "a\\nseeds: 0 rejected.txt" must not print a line of its own."""
    return _CONTROL.sub(lambda found: ascii(found.group())[1:-1], _decoded(seed_path))


def _post_path(posts_dir: Path, entry: Entry) -> Path:
    return posts_dir / f"{entry.slug}.md"


def _staged(post_path: Path) -> Path:
    """Where a post is written before it is renamed into place: not a post
    Pelican would read (.tmp), hidden."""
    return post_path.with_name(f".{post_path.name}.tmp")


def _unstage(posts_dir: Path) -> None:
    """Remove the posts written beside their place by a conversion that failed
    or was killed before it put them there."""
    for left in posts_dir.glob(".*.md.tmp"):
        left.unlink(missing_ok=True)


def _try_parse(data: bytes, max_bytes: int, max_line: int) -> Seed | SeedError:
    """A seed parsed, or why not."""
    try:
        return parse(data, max_bytes=max_bytes, max_line=max_line)
    except SeedError as exc:
        return exc


def _parse_one(seed_path: str) -> Seed | SeedError:
    """In a worker: one seed, read there (10,000 reads were a second of the
    parent's cold build)."""
    data = (_PARSE["seeds_dir"] / seed_path).read_bytes()
    return _try_parse(data, _PARSE["max_bytes"], _PARSE["max_line"])


def _tell_renamed_and_edited(gone: list[str], minted: list[str]) -> None:
    """Stories gone and new ones in one build: perhaps a seed renamed and
    edited at once, which is a new story. Said once, as a warning: a rename
    alone keeps its story (_match), and so does one that changed only line
    endings, if its post was written since the ledger records text digests
    (Converter._orphans_by_text)."""
    if gone and minted:
        logger.warning(
            "%s new and %s gone in this build: a seed renamed and edited at once is "
            "a new story, with a new URL and date (to keep them, rename it back, "
            "build, then edit it)",
            _listed(minted),
            _listed(gone),
        )


def _listed(seeds: list[str], most: int = 3) -> str:
    """Seeds for a message: the first few, then how many more."""
    shown = ", ".join(map(_printable, seeds[:most]))
    return shown + (f" and {len(seeds) - most} more" if len(seeds) > most else "")


def text_digest(seed: Seed) -> str:
    """The seed's text as read: what stays when only its bytes' form changed."""
    text = [seed.title, seed.subtitle, list(seed.paragraphs), list(seed.authors), seed.bio]
    return sha256(json.dumps(text, ensure_ascii=False).encode("utf-8", "surrogatepass"))


def _folder(seed_path: str) -> str:
    """The section folder of a seed path ("" directly in seeds/)."""
    return seed_path.split("/", maxsplit=1)[0] if "/" in seed_path else ""


def convert(
    seeds_dir: Path,
    content_dir: Path,
    settings: Mapping[str, Any],
    *,
    force: bool = False,
    date: datetime | None = None,
    hashes: FileHashes | None = None,
) -> Report:
    """Convert `seeds_dir` into posts in `content_dir`; see the module docstring."""
    converter = Converter(seeds_dir, content_dir, settings, force=force, date=date, hashes=hashes)
    return converter.run()
