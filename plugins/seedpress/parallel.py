"""Work spread over every core, in forked processes.

Forked workers share the parent's memory copy-on-write: a finished Pelican
context or a dict of seed bytes is inherited, never pickled. Only each result
comes back through a pipe. Few items are done in this process: starting
workers costs more than it saves.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from . import settings as sp


def jobs(settings: dict[str, Any]) -> int:
    """Processes to use: SEEDPRESS_JOBS, else one per core this process may use."""
    return sp.get(settings, "SEEDPRESS_JOBS") or len(os.sched_getaffinity(0))


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
    with multiprocessing.get_context("fork").Pool(processes) as pool:
        yield from pool.imap(function, items, chunksize=chunksize)
