"""Python's cyclic garbage collector during a build: what a build holds from
start to end is frozen out of its scans, big loads pause it, and what the
build leaves is freed once, when nothing needs it (or left to the process's
exit)."""

from __future__ import annotations

import atexit
import contextlib
import ctypes
import gc
from collections.abc import Iterator


@contextlib.contextmanager
def paused() -> Iterator[None]:
    """The collector paused while a load makes many objects and no garbage
    (an unpickling): each full collection it would set off scans every
    object not yet frozen. An edit at 10,000 stories made six, of 70,000 to
    180,000 objects each, 0.2-0.5 s in all (gc.callbacks, in-process)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


# How many builds of this process are inside collector_spared (one, but for tests).
_SPARING = [0]


@contextlib.contextmanager
def collector_spared() -> Iterator[None]:
    """The objects a build holds from start to end (10,000 stories' at 10,000
    seeds) are frozen (`spare`) once made, so that Python's cyclic collector
    stops scanning them again at each full collection: 1.5-2 s of an edit at
    10,000 stories went to those scans (in-process timings, outside the
    benchmark). Unfrozen when the build ends, so that a process that builds
    again (tests, a watcher) frees them."""
    _SPARING[0] += 1
    try:
        yield
    finally:
        _SPARING[0] -= 1
        gc.unfreeze()


def spare() -> None:
    """Freeze (gc.freeze) what the process holds now, inside a build
    (`collector_spared`), which unfreezes it at its end; outside one (Pelican
    run with the plugin, `pelican --autoreload`) nothing would, and each
    run's objects would stay in memory."""
    if _SPARING[0]:
        gc.freeze()


def release_garbage() -> None:
    """Free what the build no longer holds, while Pagefind indexes (search.Indexing):
    once the pages are written, Pelican's stories and context are garbage, in
    reference cycles that only the collector frees, and frozen with the rest
    (collector_spared). At 10,000 stories the build's process held 395 MiB
    and held 158 MiB after this, which took 0.55 s (in-process, outside the
    benchmark), on the core the Pagefinds leave: room for a second Pagefind
    under issue 6's 1 GiB. malloc_trim gives the C heap's free pages back
    (glibc only)."""
    gc.unfreeze()
    gc.collect()
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL("libc.so.6").malloc_trim(0)


def leave_to_exit() -> None:
    """For a process whose build's garbage is left for its exit (`invoke
    build`, `rebuild`, `preview`, `publish`, the benchmark's builds): what
    the build made is garbage once it returns, in reference cycles (Pelican's
    generators, context and stories), which the interpreter's last
    collection at exit would free one object at a time. From the end of an
    edit build at 10,000 stories to the process's end took 0.6-0.7 s, and
    0.1 s with this (outside the benchmark). Frozen when the process exits
    (atexit, which runs before that collection), not now: invoke may run
    another task in the same process (`invoke build serve`), whose own
    collections should still free it. Every file the build wrote is closed
    long before."""
    atexit.unregister(gc.freeze)  # once, however often it is asked
    atexit.register(gc.freeze)
