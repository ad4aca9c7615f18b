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
from typing import Any, Generic, TypeVar

from . import settings as sp
from .collector import spare

T = TypeVar("T")


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


class Beside(Generic[T]):
    """`function()` started in a forked child, while this process does
    something else on the other core; `result()` waits for it."""

    def __init__(self, function: Callable[[], T]):
        context = multiprocessing.get_context("fork")
        self._answer, sender = context.Pipe(duplex=False)
        self._process = context.Process(target=_answer, args=(function, sender), daemon=True)
        self._process.start()
        sender.close()

    def result(self) -> T:
        """What `function` returned (pickled back), or what it raised, raised
        here; a child that died without an answer (killed, out of memory)
        raises ChildProcessError."""
        try:
            done, value = self._answer.recv()
        except EOFError:
            done, value = False, None
        finally:
            self._answer.close()
            self._process.join()
        if done:
            return value
        raise value or ChildProcessError(f"the child process ended ({self._process.exitcode})")


def _answer(function: Callable[[], Any], sender) -> None:
    """In the child: send (True, what `function` returned), or (False, the
    exception it raised); one that cannot be pickled is sent as its text."""
    try:
        answer = (True, function())
    except BaseException as exc:  # every failure is the parent's to raise
        answer = (False, exc)
    try:
        sender.send(answer)
    except Exception as exc:  # an answer that cannot be pickled
        sender.send((False, RuntimeError(f"{type(exc).__name__}: {exc}")))
    sender.close()
