"""Work spread over every core, in forked processes (Linux and macOS).

Forked workers share the parent's memory copy-on-write: a finished Pelican
context or a dict of seed bytes is inherited, never pickled. Only each result
comes back through a pipe. Few items are done in this process: starting
workers costs more than it saves.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import threading
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
    something else on the other core; `result()` waits for it. What the
    child logs is handled here, as it comes, by this process's loggers and
    handlers, as if logged here (a handler that counts or keeps records sees
    them too)."""

    def __init__(self, function: Callable[[], T]):
        context = multiprocessing.get_context("fork")
        self._answer, answering = context.Pipe(duplex=False)
        self._heard, telling = context.Pipe(duplex=False)
        # Not a daemon: a daemonic process may not start processes, and the
        # conversion starts its workers.
        self._process = context.Process(
            target=_answer, args=(function, answering, telling, (self._answer, self._heard))
        )
        self._process.start()
        answering.close()
        telling.close()
        self._replaying = threading.Thread(target=_replay, args=(self._heard,), daemon=True)
        self._replaying.start()

    def result(self) -> T:
        """What `function` returned (pickled back), or what it raised, raised
        here; a child that died without an answer (killed, out of memory)
        raises ChildProcessError. Interrupted while it waits, this process
        kills the child first: its answer is no longer wanted, and it would
        go on holding what it inherited (the build's locks)."""
        try:
            done, value = self._answer.recv()
        except EOFError:
            done, value = False, None
        except BaseException:
            self._process.kill()
            raise
        finally:
            self._answer.close()
            self._process.join()
            self._replaying.join()  # every record handled before the answer is used
            self._heard.close()
        if done:
            return value
        raise value or ChildProcessError(f"the child process ended ({self._process.exitcode})")


class _Tell(logging.Handler):
    """In the child: each record sent to the parent (`_replay`), its message
    and any traceback made text, as they may hold what does not pickle."""

    def __init__(self, telling):
        super().__init__()
        self.telling = telling

    def emit(self, record: logging.LogRecord) -> None:
        try:
            record.msg, record.args = record.getMessage(), None
            if record.exc_info:
                record.exc_text = logging.Formatter().formatException(record.exc_info)
                record.exc_info = None
            self.telling.send(record)
        except Exception:
            self.handleError(record)


def _answer(function: Callable[[], Any], answering, telling, parents: tuple) -> None:
    """In the child: send (True, what `function` returned), or (False, the
    exception it raised); one that cannot be pickled is sent as its text.
    The parent's ends of both pipes are closed first: a child holding one
    would wait forever to send an answer that no one reads, should the
    parent die. Every handler of the process's loggers gives way to one that
    sends each record to the parent."""
    for end in parents:
        end.close()
    for logger in [logging.root, *logging.root.manager.loggerDict.values()]:
        for handler in getattr(logger, "handlers", [])[:]:
            logger.removeHandler(handler)
    tell = _Tell(telling)
    logging.root.addHandler(tell)
    try:
        answer = (True, function())
    except BaseException as exc:  # every failure is the parent's to raise
        answer = (False, exc)
    try:
        answering.send(answer)
    except Exception as exc:  # an answer that cannot be pickled
        answering.send((False, RuntimeError(f"{type(exc).__name__}: {exc}")))
    answering.close()
    # What the process logs on its way out has no parent to go to.
    logging.root.removeHandler(tell)
    telling.close()


def _replay(heard) -> None:
    """In a thread of the parent: each record the child logs, handled by the
    logger it was logged to, until the child is gone."""
    while True:
        try:
            record = heard.recv()
        except (EOFError, OSError):
            return
        logging.getLogger(record.name).handle(record)
