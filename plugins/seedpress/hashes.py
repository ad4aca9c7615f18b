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
from pathlib import Path

# Files modified this close to the save are not trusted by their times.
RACY_NS = 2_000_000_000


class FileHashes:
    """Hex SHA-256 of files by path, remembered in `path` (a JSON file)."""

    def __init__(self, path: Path | None = None):
        self.path = path
        self._known: dict[str, list] = {}
        if path is not None:
            with contextlib.suppress(OSError, ValueError):
                self._known = json.loads(path.read_text())
        self._used: dict[str, list] = {}

    def of(self, file: Path) -> str | None:
        """The file's hex SHA-256, or None when it does not exist."""
        try:
            status = os.stat(file)
        except FileNotFoundError:
            return None
        stamp = [status.st_size, status.st_mtime_ns, status.st_ctime_ns, status.st_ino]
        name = str(file)
        known = self._known.get(name)
        if known is None or known[:4] != stamp:
            known = [*stamp, hashlib.sha256(file.read_bytes()).hexdigest()]
            self._known[name] = known
        self._used[name] = known
        return known[4]

    def save(self) -> None:
        """Keep the hashes of the files looked at in this run (so the file does
        not grow with files long gone), but not of those modified just now."""
        if self.path is None:
            return
        now = time.time_ns()
        kept = {
            name: known
            for name, known in sorted(self._used.items())
            if now - max(known[1], known[2]) > RACY_NS
        }
        partial = self.path.with_name(self.path.name + ".partial")
        partial.write_text(json.dumps(kept, separators=(",", ":")))
        partial.replace(self.path)
