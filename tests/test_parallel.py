"""Work in forked processes (parallel.py): a child's result, or its failure,
comes back to the process that started it."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from seedpress.parallel import Beside


def test_a_child_gives_back_what_it_returned_while_this_process_goes_on():
    started = os.getpid()
    child = Beside(lambda: (os.getpid(), [1, 2, 3]))
    pid, value = child.result()
    assert pid != started and value == [1, 2, 3]


def test_a_child_failure_is_raised_here_with_its_kind():
    def fails():
        raise LookupError("no such story")

    with pytest.raises(LookupError, match="no such story"):
        Beside(fails).result()


def test_an_answer_that_cannot_be_pickled_fails_plainly():
    with pytest.raises(RuntimeError, match="pickle"):
        Beside(threading.Lock).result()


def test_a_child_killed_before_it_answers_is_a_failure_not_a_hang():
    def killed():
        os.kill(os.getpid(), signal.SIGKILL)

    with pytest.raises(ChildProcessError, match="-9"):
        Beside(killed).result()


def test_a_child_may_start_processes_of_its_own():
    """The conversion, run in a child, starts its workers."""
    from seedpress.parallel import fork_map

    child = Beside(lambda: list(fork_map(abs, range(-3, 3), 2, threshold=1)))
    assert child.result() == [3, 2, 1, 0, 1, 2]


def test_what_a_child_logs_is_handled_here_before_its_answer(caplog):
    import logging

    def logs():
        logging.getLogger("seedpress.test").warning("seed %s rejected", "a.txt")
        try:
            raise ValueError("inside")
        except ValueError:
            logging.getLogger("seedpress.test").exception("with a traceback")
        return "done"

    with caplog.at_level(logging.INFO):
        assert Beside(logs).result() == "done"
    heard = [r for r in caplog.records if r.name == "seedpress.test"]
    assert [r.getMessage() for r in heard] == ["seed a.txt rejected", "with a traceback"]
    assert heard[0].process != os.getpid() and "ValueError: inside" in heard[1].exc_text


def test_interrupted_while_waiting_the_child_is_killed(monkeypatch):
    child = Beside(lambda: time.sleep(60))

    class Interrupted:
        def recv(self):
            raise KeyboardInterrupt

        def close(self):
            pass

    answer, child._answer = child._answer, Interrupted()
    started = time.monotonic()
    with pytest.raises(KeyboardInterrupt):
        child.result()
    answer.close()
    assert child._process.exitcode == -signal.SIGKILL and time.monotonic() - started < 10


def test_a_child_whose_parent_died_does_not_wait_forever(tmp_path):
    """It holds what its parent held (the build's locks): with the parent
    gone, sending its answer fails instead of waiting for a reader."""
    script, told = tmp_path / "parent.py", tmp_path / "pid"
    script.write_text(
        "import os, sys, time\n"
        f"sys.path.insert(0, {str(Path(__file__).parents[1] / 'plugins')!r})\n"
        "from seedpress.parallel import Beside\n"
        "child = Beside(lambda: (time.sleep(0.5), b'x' * 1_000_000))\n"
        f"open({str(told)!r}, 'w').write(str(child._process.pid))\n"
        "os._exit(0)\n"
    )
    # No pipe to this process: the child inherits the parent's output.
    subprocess.run([sys.executable, str(script)], stdout=subprocess.DEVNULL, check=True)
    pid = int(told.read_text())
    try:
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline and _running(pid):
            time.sleep(0.1)
        assert not _running(pid)
    finally:
        if _running(pid):
            os.kill(pid, signal.SIGKILL)


def _running(pid: int) -> bool:
    """Whether `pid` runs (an exited child no one reaped is not running)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except FileNotFoundError:
        return False
    return state not in ("Z", "X")
