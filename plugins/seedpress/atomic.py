"""Builds that never leave a half-written site, and never run twice at once.

The site is built into a staging folder beside output/ and swapped in only when
the build succeeded: on Linux with renameat2(RENAME_EXCHANGE), one atomic step;
elsewhere with two renames, and the next build puts a lost output/ back. A build
killed at any moment leaves the previous output/ complete.
"""

from __future__ import annotations

import ctypes
import errno
import fcntl
import os
import shutil
import subprocess
import time
from pathlib import Path

_AT_FDCWD = -100
_RENAME_EXCHANGE = 2


class BuildBusy(RuntimeError):
    """Another build holds the lock."""


class BuildLock:
    """An exclusive lock on `path` for the length of a build (fcntl.flock, so
    the kernel releases it when the holder dies, even by SIGKILL)."""

    def __init__(self, path: Path):
        self.path = path
        self._file = None

    def __enter__(self) -> BuildLock:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        handle = self.path.open("a+")
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            holder = handle.read().strip() or "another process"
            handle.close()
            raise BuildBusy(
                f"another build is running ({holder} holds {self.path}); wait for it to finish"
            ) from None
        handle.seek(0)
        handle.truncate()
        handle.write(f"pid {os.getpid()}")
        handle.flush()
        self._file = handle
        return self

    def __exit__(self, *exc) -> None:
        fcntl.flock(self._file, fcntl.LOCK_UN)
        self._file.close()


def staging_for(output: Path) -> Path:
    """The staging folder of `output`: beside it, hidden, same file system."""
    return output.with_name(f".{output.name}.building")


def _old(output: Path) -> Path:
    return output.with_name(f".{output.name}.old")


def trash_for(output: Path) -> Path:
    """Where folders a build no longer needs wait to be deleted: beside
    output/, hidden, on the same file system (moving a folder in is a rename)."""
    return output.with_name(f".{output.name}.trash")


def discard(folder: Path, output: Path) -> None:
    """Move a folder into the trash; `empty_trash` deletes it later."""
    trash = trash_for(output)
    trash.mkdir(exist_ok=True)
    folder.rename(trash / f"{time.time_ns()}-{os.getpid()}")


def empty_trash(output: Path) -> None:
    """Delete what is in the trash now, in a process of its own.

    Deleting the previous site (13,000 folders at 10,000 stories) takes seconds
    of system calls. Started at the beginning of the next build, they run
    beside its own work (most of it on one core) instead of adding to it; `rm`
    holds no lock of this process (a thread would take turns with it for the
    interpreter). The shell that starts `rm` in the background ends at once,
    so nothing waits for it, not even this process when it exits. Folders put
    in the trash after the call are not touched.
    """
    trash = trash_for(output)
    if not trash.is_dir() or not (waiting := sorted(trash.iterdir())):
        return
    command = ["sh", "-c", 'rm -rf -- "$@" &', "sh", *map(str, waiting)]
    subprocess.run(command, check=False, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL)


def recover(output: Path) -> None:
    """Put back an output/ lost between the two renames of a fallback swap;
    discard a staging folder a killed build left."""
    old = _old(output)
    if old.is_dir() and not output.exists():
        old.rename(output)
    for leftover in (old, staging_for(output)):
        if leftover.is_dir():
            discard(leftover, output)


def _exchange(first: Path, second: Path) -> bool:
    try:
        renameat2 = ctypes.CDLL(None, use_errno=True).renameat2
    except (AttributeError, OSError):
        return False
    result = renameat2(
        _AT_FDCWD, os.fsencode(first), _AT_FDCWD, os.fsencode(second), _RENAME_EXCHANGE
    )
    if result == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP):
        return False
    raise OSError(code, os.strerror(code), str(first))


def swap_in(staging: Path, output: Path) -> None:
    """Make `staging` the new `output`; the previous one goes to the trash."""
    if not output.exists():
        staging.rename(output)
        return
    if _exchange(staging, output):
        discard(staging, output)  # now the previous site
        return
    old = _old(output)
    output.rename(old)
    staging.rename(output)
    discard(old, output)


def link_or_copy(source: Path | str, target: Path | str) -> None:
    """Hard-link a file (cheap; it is never written in place afterwards); copy
    it where links are refused (another file system, or one without links)."""
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)


def link_tree(source: Path, target: Path) -> None:
    """Copy a folder as hard links, as `link_or_copy` does each file."""
    shutil.copytree(source, target, copy_function=link_or_copy)
