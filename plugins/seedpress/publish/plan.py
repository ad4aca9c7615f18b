"""What a publish does, decided before it touches anything.

Files are compared by content hash, never by modification time (a fresh CI
checkout must not re-upload everything). Uploads go in an order that never lets
a reader follow a link to a page that is not there yet: assets (a search
bundle's entry file after the files it names), then article
pages, then the pages that list them, then feeds, sitemap and robots.txt last;
deletions come after every upload. A publish that would delete more than a
share of what is online stops unless forced, so a broken build cannot wipe the
site.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .. import settings as sp
from ..search import BUNDLE

MAX_DELETE_SHARE = sp.DEFAULTS["SEEDPRESS_MAX_DELETE_SHARE"]
MAX_DELETE_FILES = sp.DEFAULTS["SEEDPRESS_MAX_DELETE_FILES"]
_ARTICLE = re.compile(r"^\d{4}/\d{2}/[^/]+/index\.html$")
_LAST = ("feeds/", "sitemap.xml", "robots.txt")


@dataclass(frozen=True)
class LocalFile:
    """One file of output/, by its site path."""

    path: str
    size: int
    md5: str


@dataclass
class Plan:
    """Uploads in safe order, unchanged paths, and deletions (last)."""

    uploads: list[LocalFile] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    deletes: list[str] = field(default_factory=list)
    online: int = 0
    # Of those online, the search index's files (in_search_index).
    online_index: int = 0

    @classmethod
    def of_online(cls, online: list[str], **fields: Any) -> Plan:
        """A plan for a target where the files `online` (site paths) are."""
        return cls(online=len(online), online_index=sum(map(in_search_index, online)), **fields)

    def guarded(self) -> tuple[int, int]:
        """(files to delete, files online) as the deletion guard counts them:
        the search index's files left out. Named by their content, they come
        and go with the index: hundreds once a month, when a month's stories
        leave the recent bundle for their year's (search.py)."""
        deletes = sum(1 for path in self.deletes if not in_search_index(path))
        return deletes, self.online - self.online_index

    @property
    def bytes(self) -> int:
        """Bytes to upload."""
        return sum(f.size for f in self.uploads)

    def describe(self) -> str:
        """One line for people."""
        return (
            f"{len(self.uploads)} to upload ({self.bytes:,} bytes), "
            f"{len(self.unchanged)} unchanged, {len(self.deletes)} to delete "
            f"of {self.online} online"
        )


def scan(output: Path) -> dict[str, LocalFile]:
    """Every file to publish, by site path; hidden files (build stamps) skipped."""
    files = {}
    for path in sorted(output.rglob("*")):
        relative = path.relative_to(output)
        if not path.is_file() or _hidden(relative.as_posix()):
            continue
        data = path.read_bytes()
        files[relative.as_posix()] = LocalFile(
            path=relative.as_posix(),
            size=len(data),
            md5=hashlib.md5(data, usedforsecurity=False).hexdigest(),
        )
    return files


def tier(path: str) -> int:
    """0 assets; 1 a search bundle's entry file, which names its metadata
    file by hash (`pagefind-entry.json` sorts before `pagefind.en_….pf_meta`:
    a publish cut short between the two broke the live search); 2 article
    pages; 3 other pages; 4 feeds and site files."""
    if path.startswith(_LAST):
        return 4
    if path.endswith(".html"):
        return 2 if _ARTICLE.match(path) else 3
    if in_search_index(path) and path.endswith("/pagefind-entry.json"):
        return 1
    return 0


def make_plan(
    local: Mapping[str, LocalFile],
    remote: Mapping[str, str],
    digest: Callable[[LocalFile], str] = lambda f: f.md5,
) -> Plan:
    """Compare local files with `remote` ({path: its hash as `digest` makes it})."""
    # Others' hidden files are never deleted, so they count for nothing in the
    # deletion guard's share either.
    plan = Plan.of_online([path for path in remote if not _hidden(path)])
    for path in sorted(local, key=lambda p: (tier(p), p)):
        if remote.get(path) == digest(local[path]):
            plan.unchanged.append(path)
        else:
            plan.uploads.append(local[path])
    # A hidden file online (/.well-known/security.txt) was put there by
    # someone else: the site never publishes one (`scan`), so it stays, as
    # rsync's --exclude=.* keeps it.
    plan.deletes = sorted(p for p in set(remote) - set(local) if not _hidden(p))
    return plan


def in_search_index(path: str) -> bool:
    """Whether a site path is one of the search index's files."""
    return path.startswith(f"{BUNDLE}/")


def _hidden(path: str) -> bool:
    return any(part.startswith(".") for part in path.split("/"))


def deletion_guard(
    deletes: int,
    online: int,
    max_share: float = MAX_DELETE_SHARE,
    max_files: int = MAX_DELETE_FILES,
) -> str | None:
    """Why this many deletions need --force, or None when they are fine."""
    if deletes > max_files:
        return f"would delete {deletes} files (more than {max_files})"
    if online and deletes / online > max_share:
        return f"would delete {deletes} of {online} files online (more than {max_share:.0%})"
    return None
