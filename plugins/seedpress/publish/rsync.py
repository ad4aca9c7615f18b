"""rsync over SSH, Pelican's convention.

`--delay-updates` puts every changed file in place together at the end, and
`--delete-delay` deletes stale files only after that. Files are compared by
checksum, not by time and size (a fresh CI checkout has new file times).
"""

from __future__ import annotations

import shlex
import subprocess
import sys
from collections import deque
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from .errors import PublishError
from .plan import LocalFile, Plan, tier


class RsyncTarget:
    """A folder on a host reached by SSH."""

    name = "rsync"
    # Options without which it cannot publish (checked before the build).
    required = ("host", "path")

    def __init__(self, options: Mapping[str, Any]):
        self.host = options["host"]
        self.user = options.get("user")
        self.port = int(options.get("port", 22))
        self.path = options["path"].rstrip("/")
        self.identity = options.get("identity")
        self.ssh_options = list(options.get("ssh_options", ()))
        # Extra rsync arguments, e.g. ["--bwlimit=500"] on a shared uplink.
        self.rsync_args = list(options.get("rsync_args", ()))

    def _ssh(self) -> str:
        command = ["ssh", "-p", str(self.port), "-o", "BatchMode=yes", *self.ssh_options]
        if self.identity:
            command += ["-i", str(self.identity)]
        return shlex.join(command)

    def _rsync(self, output: Path, *extra: str) -> list[str]:
        destination = f"{self.user}@{self.host}" if self.user else self.host
        return [
            "rsync",
            "--recursive",
            "--links",
            "--checksum",
            "--delay-updates",
            "--delete-delay",
            "--itemize-changes",
            "--exclude=.*",
            "-e",
            self._ssh(),
            *self.rsync_args,
            *extra,
            f"{output}/",
            f"{destination}:{self.path}/",
        ]

    def _failed(self, code: int, errors: list[str]) -> PublishError:
        """What ssh or rsync said last ("Connection refused", say)."""
        said = " / ".join(line.strip() for line in errors[-3:] if line.strip()) or "no message"
        where = f"{self.host}:{self.port}:{self.path}"
        return PublishError(f"rsync to {where} failed (exit {code}): {said}")

    def plan(self, local: Mapping[str, LocalFile], output: Path) -> Plan:
        """What rsync would do, from its own dry run."""
        done = subprocess.run(
            self._rsync(output, "--dry-run"),
            capture_output=True,
            encoding="utf-8",
            errors="replace",  # a server's banner in Latin-1 is no reason to fail
            check=False,
        )
        if done.returncode:
            raise self._failed(done.returncode, done.stderr.splitlines())
        listing = done.stdout
        changed, new, deletes = set(), set(), []
        for line in listing.splitlines():
            if line.startswith("*deleting "):
                path = line.removeprefix("*deleting ").strip()
                if not path.endswith("/"):
                    deletes.append(path)
            elif line[:2] in ("<f", ">f"):
                path = line.split(" ", 1)[1]
                changed.add(path)
                if "+++++++++" in line[:11]:
                    new.add(path)
        online = [path for path in local if path not in new] + deletes
        plan = Plan.of_online(online, deletes=sorted(deletes))
        for path in sorted(local, key=lambda p: (tier(p), p)):
            (plan.uploads.append(local[path]) if path in changed else plan.unchanged.append(path))
        return plan

    def apply(self, plan: Plan, output: Path) -> None:
        """Run rsync for real; it prints each file it sends, and what goes
        wrong as it goes (kept, to say why if it fails)."""
        said: deque[str] = deque(maxlen=3)
        with subprocess.Popen(
            self._rsync(output, "--info=progress2,stats1"),
            stderr=subprocess.PIPE,
            encoding="utf-8",
            errors="replace",
        ) as process:
            for line in process.stderr:
                sys.stderr.write(line)
                said.append(line)
        if process.returncode:
            raise self._failed(process.returncode, list(said))
