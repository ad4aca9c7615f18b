"""Work in forked processes (parallel.py): a child's result, or its failure,
comes back to the process that started it."""

from __future__ import annotations

import os
import signal
import threading

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
