"""Work spread over every core, in forked processes (Linux and macOS).

Forked workers share the parent's memory copy-on-write: a finished Pelican
context or a dict of seed bytes is inherited, never pickled. Only each result
comes back through a pipe. Few items are done in this process: starting
workers costs more than it saves.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from typing import Any

from . import settings as sp
from .collector import spare


def jobs(settings: dict[str, Any]) -> int:
    """Processes to use: SEEDPRESS_JOBS, else one per core this process may use."""
    if sp.get(settings, "SEEDPRESS_JOBS"):
        return sp.get(settings, "SEEDPRESS_JOBS")
    if hasattr(os, "sched_getaffinity"):  # Linux: the cores this process may use
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def fork_map(
    function: Callable[[Any], Any],
    items: Iterable[Any],
    processes: int,
    *,
    threshold: int,
    chunksize: int = 16,
) -> Iterator[Any]:
    """`function` over `items`, in order: in `processes` forked workers when
    there are at least `threshold` items, else here."""
    items = list(items)
    if processes < 2 or len(items) < threshold:
        yield from map(function, items)
        return
    # What the workers inherit they never free: frozen, their collector
    # neither scans it nor, touching each object, copies its memory. The
    # build unfreezes it when it ends (collector.collector_spared).
    spare()
    # An executor, not a Pool: a worker that dies (out of memory, a signal)
    # fails the map with BrokenProcessPool instead of hanging it.
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(processes, mp_context=context) as executor:
        yield from executor.map(function, items, chunksize=chunksize)
