"""When a story was first published: decided once, then kept in the ledger.

Order of sources for a seed the ledger has never seen:
1. an explicit override (`invoke convert --date`, or SEEDPRESS_DATE), for
   backfilling an archive;
2. the commit that first added the seed file to git, when the history is complete
   (a shallow clone has lost it: we fall back and say so);
3. the file's modification time.
"""

from __future__ import annotations

import os
import subprocess
from datetime import datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

from .log import get_logger

logger = get_logger(__name__)


def parse_override(value: str, zone: ZoneInfo) -> datetime:
    """An ISO 8601 date or date-time; a naive one is read in the site's zone."""
    moment = datetime.fromisoformat(value)
    return moment if moment.tzinfo else moment.replace(tzinfo=zone)


def _git(root: Path, *args: str) -> str | None:
    try:
        result = subprocess.run(
            ["git", "-C", str(root), *args],
            capture_output=True,
            # Names as os.walk gives them (a name that is not UTF-8 is rejected later).
            encoding="utf-8",
            errors="surrogateescape",
            check=True,
            env={**os.environ, "GIT_OPTIONAL_LOCKS": "0"},
        )
    except (OSError, subprocess.CalledProcessError):
        return None
    return result.stdout


def git_first_added(seeds_dir: Path) -> dict[str, datetime]:
    """Author date of the commit that added each seed, keyed by seed path.

    One `git log` for the whole folder: a per-file call would cost a process
    for each of thousands of seeds on a backfill.
    """
    if _git(seeds_dir, "rev-parse", "--is-inside-work-tree") is None:
        return {}
    if _git(seeds_dir, "rev-parse", "--is-shallow-repository") == "true\n":
        logger.warning(
            "%s: shallow git clone, first-commit dates unknown; new seeds are "
            "dated by file time (the ledger keeps the dates of known ones)",
            seeds_dir,
        )
        return {}
    # -z: each name as it is, NUL-ended; without it git quotes a name holding
    # a quote, a backslash or a control character, even with core.quotePath off.
    log = _git(
        seeds_dir,
        *("log", "--diff-filter=A", "--no-renames", "--relative", "--name-only", "-z"),
        *("--format=%x1e%aI", "--", "."),
    )
    added: dict[str, datetime] = {}
    # Newest commit first: older commits overwrite, leaving the first addition.
    # A commit is "\x1e<date>\0\n<name>\0<name>\0…".
    for record in (log or "").split("\x1e")[1:]:
        stamp, _, names = record.partition("\0")
        when = datetime.fromisoformat(stamp)
        for name in filter(None, names.removeprefix("\n").split("\0")):
            added[name] = when
    return added


def file_time(path: Path, zone: ZoneInfo) -> datetime:
    """The file's modification time, to the second, in the site's zone."""
    stamp = int(path.stat().st_mtime)
    return datetime.fromtimestamp(stamp, zone)


# One zone object per UTC offset, in each process (fixed_offset; a kept
# article is pickled with its dates' zones by name: articlecache.py).
_OFFSETS: dict[timedelta, timezone] = {}


def fixed_offset(moment: datetime) -> datetime:
    """`moment` at the same UTC offset, given as a `datetime.timezone`, one
    object per offset. Pelican parses a post's date with dateutil, which
    gives "+00:00" this machine's `tzlocal()`, a new one per date, and other
    offsets a `tzoffset`: each is Python code that comparing two dates calls
    twice (tzlocal's even looks up the machine's daylight saving). Sorting
    10,000 such dates took 0.11 s against 0.002 s for dates that share one
    `timezone`, and a build sorts the stories many times over (a throwaway
    timing, outside the benchmark). A naive date is left as it is: Pelican
    puts it in the site's time zone. Same instants, same ISO 8601 text; only
    `%Z` changes, from nothing (or this machine's zone's name, for
    "+00:00") to the offset's name: "UTC", "UTC+01:00"."""
    offset = moment.utcoffset()
    if offset is None:
        return moment
    shared = zone(offset)
    return moment if moment.tzinfo is shared else moment.replace(tzinfo=shared)


def zone(offset: timedelta) -> timezone:
    """The one `datetime.timezone` object of `offset` in this process."""
    found = _OFFSETS.get(offset)
    if found is None:
        found = _OFFSETS[offset] = timezone(offset)
    return found
