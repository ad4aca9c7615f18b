"""A publish that is killed midway: run as a child process by test_publish.py.

    python publish_child.py SETTINGS TARGET MODE OVERRIDES_JSON

MODE "uploads:N" kills the process (SIGKILL) after N objects went up through
the real S3 client; "apply:SECONDS" kills the whole process group (rsync, ssh,
git included) that long after the upload began.
"""

from __future__ import annotations

import json
import os
import signal
import sys
import threading
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "plugins"))

from seedpress.publish import publisher, s3


def kill_after_uploads(count: int) -> None:
    original = s3.S3Target.apply

    def apply(self, plan, output):
        put = self.client.put_object
        done = 0

        def put_then_die(**kwargs):
            nonlocal done
            done += 1
            if done > count:
                os.kill(os.getpid(), signal.SIGKILL)
            return put(**kwargs)

        self.client.put_object = put_then_die
        return original(self, plan, output)

    s3.S3Target.apply = apply


def kill_during_apply(target: str, seconds: float) -> None:
    cls = publisher.TARGETS[target]
    original = cls.apply

    def apply(self, plan, output):
        threading.Timer(seconds, os.killpg, (0, signal.SIGKILL)).start()
        return original(self, plan, output)

    cls.apply = apply


if __name__ == "__main__":
    settings, target, mode, overrides = sys.argv[1:5]
    kind, value = mode.split(":")
    if kind == "uploads":
        kill_after_uploads(int(value))
    else:
        kill_during_apply(target, float(value))
    publisher.publish(Path(settings), target, overrides=json.loads(overrides))
    sys.exit(3)  # not killed: the test fails on this
