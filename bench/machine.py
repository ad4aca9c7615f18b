"""How much a second process gains on this machine, and how fast its file
system makes files, measured.

The benchmark's ratios to plain Pelican (one core) depend on what the other
cores give, and a virtual machine's cores may be shared with its neighbours,
so that two processes at once each take longer than one alone. This runs a
fixed CPU-bound loop in one process, then in as many processes at once as
there are cores, and gives the work done per unit of time relative to one
process (2.0 on two free cores).

A build makes tens of thousands of files and folders, and on the
development machine's file system making them is several times slower for
minutes after many were deleted (bench/README.md has the figures). A run
waits six minutes after the last run's large deletion (`settle_left`), past the
worst of it, and measures the rate before and after (`file_speed`).
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

# About a second of pure interpreter work on the development machine: no
# memory traffic or I/O, so only the cores' own speed is measured.
_LOOP = "x = 0\nfor i in range(10_000_000):\n    x += i\n"
_TRIES = 3


def _spin(processes: int) -> float:
    """Wall seconds for `processes` loops started at once."""
    started = time.monotonic()
    running = [subprocess.Popen([sys.executable, "-c", _LOOP]) for _ in range(processes)]
    for process in running:
        process.wait()
    return time.monotonic() - started


def parallel_speedup(processes: int | None = None) -> dict[str, float]:
    """Medians of `_TRIES` runs: one loop alone, `processes` loops at once
    (default: one per core), and the work per second of all of them relative
    to one (`speedup`; `processes` is the most it can be)."""
    processes = processes or os.cpu_count() or 1
    alone = statistics.median(_spin(1) for _ in range(_TRIES))
    together = statistics.median(_spin(processes) for _ in range(_TRIES))
    return {
        "processes": processes,
        "alone_s": round(alone, 3),
        "together_s": round(together, 3),
        "speedup": round(processes * alone / together, 2),
    }


def describe(probe: dict[str, float]) -> str:
    return (
        f"{probe['processes']} CPU-bound processes at once did {probe['speedup']:.2f}x "
        f"the work of one ({probe['together_s']:.2f} s against {probe['alone_s']:.2f} s alone; "
        f"{probe['processes']:.1f}x is {probe['processes']} free cores)"
    )


# When the last run deleted its workspace, and how many files and folders.
_DELETED = Path(tempfile.gettempdir()) / "seedpress-bench-deleted"
# How long after a large deletion a run waits, and what is large. ext4
# without a journal passes over an inode freed in the last minute, or the
# last six while its inode table block is not written back (its
# recently_deleted), which a run's own writing keeps doing: six minutes.
SETTLE_S = 360
SETTLE_FROM = 20_000


def deleted(folder: Path) -> int:
    """Delete `folder` and note when, for the next run's `settle_left`; returns
    how many files and folders went."""
    count = sum(len(files) + len(folders) for _, folders, files in os.walk(folder))
    shutil.rmtree(folder, ignore_errors=True)
    os.sync()
    if count >= SETTLE_FROM:
        _DELETED.write_text(f"{time.time()} {count}\n")
    return count


def settle_left() -> float:
    """Seconds until SETTLE_S after the last run's large deletion (0: none)."""
    try:
        when, _ = _DELETED.read_text().split()
        return max(0.0, float(when) + SETTLE_S - time.time())
    except (OSError, ValueError):
        return 0.0


def file_speed(folder: Path, count: int = 1000) -> float:
    """Microseconds (µs) to make a folder with a 4 KB page in it, as a build
    writes a story's page, over `count` of them in `folder` (left there, to
    be deleted with the run's workspace)."""
    page = b"x" * 4096
    started = time.monotonic()
    for number in range(count):
        inner = folder / f"{number // 100:03d}" / f"{number:05d}"
        inner.mkdir(parents=True)
        (inner / "index.html").write_bytes(page)
    return round((time.monotonic() - started) / count * 1e6, 1)
