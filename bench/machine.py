"""How much a second process gains on this machine, measured.

The benchmark's ratios to plain Pelican (one core) depend on what the other
cores give, and a virtual machine's cores may be shared with its neighbours,
so that two processes at once each take longer than one alone. This runs a
fixed CPU-bound loop in one process, then in as many processes at once as
there are cores, and gives the work done per unit of time relative to one
process (2.0 on two free cores).
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time

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
