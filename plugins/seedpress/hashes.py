"""SHA-256 of files, remembered by their stat between builds (as git's index).

A build that changes nothing must not read and hash every seed and post: tens
of thousands of files. A file whose size, modification time, change time and
inode are those it had when hashed is not read again. A file modified shortly
before the hashes were saved is hashed again next time, since a second change
within the same clock tick would not show in its times ("racy git").
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import time
from collections.abc import Callable
from pathlib import Path

# A file changed this close to being looked at is not trusted by its times: a
# second change within the same clock tick (two seconds on some file systems)
# would leave them as they were.
RACY_NS = 2_000_000_000


class FileHashes:
    """Hex SHA-256 of files by path, remembered in `path` (a JSON file)."""

    def __init__(self, path: Path | None = None):
        self.path = path
        self._known: dict[str, list] = {}
        if path is not None:
            with contextlib.suppress(OSError, ValueError):
                self._known = json.loads(path.read_text())
        self._loaded = dict(self._known)
        self._used: dict[str, list] = {}
        self._racy: set[str] = set()
        # The files looked at since `settle` (None: not settled).
        self._settled: set[str] | None = None

    def __reduce__(self):
        # The build hands this table to Pelican in its settings, which Pelican
        # pickles with every cached post (sections and authors keep them): a
        # copy of 20,000 hashes in the cache is worth nothing, an empty one is
        # kept instead.
        return (FileHashes, ())

    def of(self, file: Path | str, status: os.stat_result | None = None) -> str | None:
        """The file's hex SHA-256, or None when it does not exist. A caller
        that has just stat'ed the file passes the result: one system call less
        per file, on tens of thousands of files."""
        if self._settled is not None and status is None and str(file) in self._settled:
            return self._used[str(file)][4]
        looked = time.time_ns()
        if status is None:
            try:
                status = os.stat(file)
            except FileNotFoundError:
                return None
        stamp = [status.st_size, status.st_mtime_ns, status.st_ctime_ns, status.st_ino]
        name = str(file)
        known = self._known.get(name)
        if known is None or known[:4] != stamp:
            known = [*stamp, hashlib.sha256(Path(file).read_bytes()).hexdigest()]
            self._known[name] = known
        if max(status.st_mtime_ns, status.st_ctime_ns) > looked - RACY_NS:
            self._racy.add(name)
        self._used[name] = known
        if self._settled is not None:
            self._settled.add(name)
        return known[4]

    def wrote(self, file: Path | str, hexdigest: str) -> None:
        """Record the SHA-256 of bytes this build has just written to `file`,
        so that they are not read back to be hashed (the build's inputs digest
        read 10,000 new posts again after a cold conversion)."""
        status = os.stat(file)
        stamp = [status.st_size, status.st_mtime_ns, status.st_ctime_ns, status.st_ino]
        self._known[str(file)] = [*stamp, hexdigest]

    def state(self, before: dict[str, list]) -> tuple:
        """What this table learnt since its hashes were `before` (a copy of
        `known_now()`), for `take` in the process it was copied from: the
        conversion runs in a child while the build unpickles its articles.
        The hashes new or changed since, and the names of the files looked
        at: what the table had already is in the other's copy too."""
        changed = {
            name: known for name, known in self._known.items() if before.get(name) is not known
        }
        return changed, list(self._used), self._racy

    def known_now(self) -> dict[str, list]:
        """A copy of the hashes known, for `state` after."""
        return dict(self._known)

    def take(self, state: tuple) -> None:
        """Add what another process's copy of this table learnt (`state`)."""
        changed, used, racy = state
        self._known.update(changed)
        self._used.update((name, self._known[name]) for name in used)
        self._racy |= racy

    def settle(self) -> None:
        """From now on the files do not change (the build has converted its
        seeds; what remains only reads them): a file looked at after this call
        and asked for again without a stat is answered from that look. The
        build's inputs digest looks at every post, and Pelican then asks for
        each of 10,000 posts."""
        self._settled = set()

    def looked_up(self) -> dict[str, list]:
        """The files looked at in this run: [size, mtime, ctime, inode, sha256,
        racy], where racy means changed too recently to be trusted by stat."""
        return {name: [*known, name in self._racy] for name, known in self._used.items()}

    def save(self) -> None:
        """Keep the hashes of the files looked at in this run (so the file does
        not grow with files long gone), but not of the racy ones. Not written
        when nothing changed."""
        if self.path is None:
            return
        kept = {name: known for name, known in sorted(self._used.items()) if name not in self._racy}
        if kept == self._loaded:
            return
        partial = self.path.with_name(self.path.name + ".partial")
        partial.write_text(json.dumps(kept, separators=(",", ":")))
        partial.replace(self.path)
        self._loaded = kept


def files_under(
    folder: str | os.PathLike,
    skip: Callable[[str], bool] = lambda name: False,
    others: list | None = None,
    *,
    top_only: bool = False,
):
    """(path relative to `folder`, os.DirEntry) of every regular file under it,
    links to files followed, links to folders not; folders whose name `skip`
    accepts are left out (`top_only`: only such folders directly in `folder`).
    Unsorted. Anything else not skipped (a link to a folder, a link to
    nothing, a pipe) is added to `others`, if given.

    os.scandir tells files from folders without a system call per file, where
    os.walk plus a check of each name costs one: tens of thousands per build.
    """

    def walk(path: str, prefix: str):
        skipping = skip if not (top_only and prefix) else lambda name: False
        with os.scandir(path) as entries:
            for entry in entries:
                if entry.is_dir(follow_symlinks=False):
                    if not skipping(entry.name):
                        yield from walk(entry.path, f"{prefix}{entry.name}/")
                elif entry.is_file():
                    yield prefix + entry.name, entry
                elif others is not None and not skipping(entry.name):
                    others.append((prefix + entry.name, entry))

    if os.path.isdir(folder):
        yield from walk(os.fspath(folder), "")


def folder_digest(folder: Path, hashes: FileHashes | None = None) -> bytes:
    """SHA-256 over the names and bytes of every file in a folder (caches of
    compiled Python left out); `hashes` may know files unchanged since."""
    hashes = hashes or FileHashes()
    found = hashlib.sha256()
    for relative, entry in sorted(files_under(folder, skip="__pycache__".__eq__)):
        found.update(f"{relative}\0{hashes.of(entry.path, entry.stat())}\0".encode())
    return found.digest()
