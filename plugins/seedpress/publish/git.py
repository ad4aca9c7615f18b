"""A git branch holding the site (GitHub Pages style), with plain git.

The branch is checked out in a temporary work tree, made equal to output/ (plus
`.nojekyll`, and a CNAME when configured), committed and pushed. The push
updates the branch in one step, so an interrupted publish leaves it as it was.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from ..log import get_logger
from .errors import PublishError
from .plan import LocalFile, Plan, make_plan
from .progress import Progress

logger = get_logger(__name__)

KEEP = (".nojekyll", "CNAME")
_CREDENTIALS = re.compile(r"://[^/@\s]+@")


def blob_id(data: bytes) -> str:
    """The id git gives a file's content."""
    return hashlib.sha1(b"blob %d\0" % len(data) + data, usedforsecurity=False).hexdigest()


class GitTarget:
    """A branch of a git remote."""

    name = "git"
    # Options without which it cannot publish (checked before the build).
    required = ("remote",)

    def __init__(self, options: Mapping[str, Any]):
        self.remote = options["remote"]
        self.branch = options.get("branch", "gh-pages")
        self.cname = options.get("cname")
        self.message = options.get("message", "Publish site")
        self.tree = Path(tempfile.mkdtemp(prefix="seedpress-git-"))
        self._blobs: dict[str, str] = {}

    def _git(self, *args: str, capture: bool = True) -> str:
        env = {
            **os.environ,
            "GIT_AUTHOR_NAME": os.environ.get("GIT_AUTHOR_NAME", "Seedpress"),
            "GIT_AUTHOR_EMAIL": os.environ.get("GIT_AUTHOR_EMAIL", "seedpress@localhost"),
            "GIT_COMMITTER_NAME": os.environ.get("GIT_COMMITTER_NAME", "Seedpress"),
            "GIT_COMMITTER_EMAIL": os.environ.get("GIT_COMMITTER_EMAIL", "seedpress@localhost"),
        }
        result = subprocess.run(
            ["git", "-C", str(self.tree), *args],
            capture_output=capture,
            encoding="utf-8",  # paths as the file system gives them, whatever the locale
            errors="surrogateescape",
            check=False,
            env=env,
        )
        if result.returncode:
            # Never the command line: the remote URL may carry a token.
            message = _CREDENTIALS.sub("://***@", (result.stderr or "").strip())
            # Not captured (a push shows its progress): git printed why above.
            raise PublishError(f"git {args[0]} failed: {message or 'see git above'}")
        return result.stdout or ""

    def _checkout(self) -> dict[str, str]:
        self._git("init", "-q")
        self._git("remote", "add", "origin", self.remote)
        if self._git("ls-remote", "--heads", "origin", self.branch).strip():
            self._git("fetch", "-q", "--depth", "1", "origin", self.branch)
            self._git("checkout", "-q", "-B", self.branch, "FETCH_HEAD")
        else:
            self._git("checkout", "-q", "--orphan", self.branch)
        # -z: each path as it is; without it git quotes a path holding a
        # character outside ASCII ("caf\303\251.png"), which then matched no
        # file of the site and was deleted, and failed, on every publish.
        listing = self._git("ls-files", "-s", "-z")
        blobs = {}
        for record in filter(None, listing.split("\0")):
            meta, path = record.split("\t", 1)
            if path not in KEEP:
                blobs[path] = meta.split()[1]
        return blobs

    def plan(self, local: Mapping[str, LocalFile], output: Path) -> Plan:
        """Compare git blob ids of the branch's files with output/."""
        remote = self._checkout()
        self._blobs = {p: blob_id((output / p).read_bytes()) for p in local}
        return make_plan(local, remote, lambda f: self._blobs[f.path])

    def apply(self, plan: Plan, output: Path) -> None:
        """Make the work tree equal to output/, commit, push."""
        for path in plan.deletes:
            (self.tree / path).unlink()
        progress = Progress(len(plan.uploads), plan.bytes)
        for file in plan.uploads:
            target = self.tree / file.path
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(output / file.path, target)
            progress.step(file.size)
        (self.tree / ".nojekyll").write_bytes(b"")
        if self.cname:
            (self.tree / "CNAME").write_text(self.cname + "\n")
        self._git("add", "-A")
        if self._git("status", "--porcelain").strip():
            self._git("commit", "-q", "-m", self.message)
            remote = _CREDENTIALS.sub("://***@", self.remote)
            logger.info("git: pushing %s to %s", self.branch, remote)
            self._git("push", "-q", "origin", f"HEAD:refs/heads/{self.branch}", capture=False)

    def close(self) -> None:
        """Remove the temporary work tree."""
        shutil.rmtree(self.tree, ignore_errors=True)
