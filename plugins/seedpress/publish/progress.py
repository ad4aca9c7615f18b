"""Periodic counts while files go up, and the closing summary."""

from __future__ import annotations

import time

from ..log import get_logger

logger = get_logger(__name__)


class Progress:
    """Logs files and bytes done every `every` seconds, and at the end."""

    def __init__(self, total_files: int, total_bytes: int, every: float = 2.0):
        self.total_files, self.total_bytes = total_files, total_bytes
        self.files = self.bytes = 0
        self.every = every
        self.started = self._last = time.monotonic()

    def step(self, size: int) -> None:
        """One file done."""
        self.files += 1
        self.bytes += size
        now = time.monotonic()
        if now - self._last >= self.every or self.files == self.total_files:
            self._last = now
            logger.info(
                "uploaded %d/%d files, %s/%s bytes",
                self.files,
                self.total_files,
                f"{self.bytes:,}",
                f"{self.total_bytes:,}",
            )

    @property
    def seconds(self) -> float:
        """Time since the start."""
        return time.monotonic() - self.started
