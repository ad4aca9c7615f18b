"""Builds that never leave a half-written site, and never run twice at once.

The site is built into a staging folder beside output/ and swapped in only when
the build succeeded: on Linux with renameat2(RENAME_EXCHANGE), one atomic step;
elsewhere with two renames, and the next build puts a lost output/ back. A build
killed at any moment leaves the previous output/ complete.

The site it replaces is kept as a spare (`keep_spare`): the next build empties
it of files (but for folders it keeps whole: the search index's) and builds
into its folders (`Recycled`). At 10,000 stories a site
has 13,000 folders, and on ext4 making that many anew each build, while the
last build's are being deleted, cost seconds of system time.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import fcntl
import multiprocessing
import os
import shutil
import stat
import subprocess
import sys
import time
from collections.abc import Container, Iterable, Iterator
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


def spare_for(output: Path) -> Path:
    """Where the site replaced by the last build waits to be recycled."""
    return output.with_name(f".{output.name}.spare")


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

    Deleting a site (13,000 folders at 10,000 stories: a spare no build could
    use, a staging folder left by a killed build) takes seconds of system
    calls. Started at the beginning of the next build, they run
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
    """Make `staging` the new `output`; the previous one is kept as the spare."""
    if not output.exists():
        staging.rename(output)
        make_spare(output)
        return
    if _exchange(staging, output):
        keep_spare(staging, output)  # now the previous site
        return
    old = _old(output)
    output.rename(old)
    staging.rename(output)
    keep_spare(old, output)


def keep_spare(folder: Path, output: Path) -> None:
    """Keep a replaced site as the spare for the next build (an older spare,
    not taken by the build, goes to the trash). Its files are the previous
    site's own or hard links shared with the new one: nothing ever writes
    them, the next build only unlinks them (or keeps them as links, in a
    folder it keeps whole: `sync_tree`). A link to a folder elsewhere is
    never a spare (emptying it would empty what it points to)."""
    spare = spare_for(output)
    if os.path.lexists(spare):
        discard(spare, output)
    if folder.is_symlink():
        discard(folder, output)
        return
    try:
        folder.rename(spare)
    except OSError:  # a spare made meanwhile by `make_spare`
        discard(folder, output)


def make_spare(output: Path) -> None:
    """After a first build, which replaced no site and so has no spare: copy
    the folders of `output`, without files, as the spare, in a background
    process that nothing waits for (as `empty_trash`; its time is in no
    build's figures). It is made beside the spare and moved there if no spare
    is there by then, else deleted. A copy cut short (the site swapped away
    meanwhile), or moved inside a spare made in between, is harmless: the
    build that recycles it makes the folders it lacks and keeps only those
    the live site has."""
    spare = spare_for(output)
    if os.path.lexists(spare):
        return
    partial = spare.with_name(spare.name + ".partial")
    script = (
        'rm -rf -- "$2" && cd "$1" && find . -type d -print0'
        ' | (mkdir -p "$2" && cd "$2" && xargs -0 mkdir -p)'
        ' && { [ ! -e "$3" ] && mv "$2" "$3" || rm -rf -- "$2"; }'
    )
    command = ["sh", "-c", f"({script}) >/dev/null 2>&1 &", "sh"]
    arguments = [str(output.absolute()), str(partial.absolute()), str(spare.absolute())]
    subprocess.run([*command, *arguments], check=False, stdin=subprocess.DEVNULL)


class Recycled:
    """The spare's folders, emptied of files, as the staging folder: made in a
    child process started when Pelican is set up (`start`), while Pelican
    reads the stories on one core. Folders named to be kept whole are left
    with their files, which are links never written through; so are the
    files named to be kept where the live site has the very same file (a
    page unchanged in the last build: the build that links it again finds
    it there, `same_file`, and removes those it does not write).

    The child unlinks the files while the folder is still the spare, where no
    build writes, keeps only the folders the live site has too (a path that
    was a folder two builds ago may be a file now), and renames it to the
    staging folder. If anything made a staging folder that is not empty
    first, the rename fails and the build makes its folders as usual.
    """

    def __init__(
        self,
        spare: Path,
        live: Path,
        staging: Path,
        whole: frozenset[str],
        keep: frozenset[str] = frozenset(),
    ):
        self.folders: set[str] = set()
        receiver, sender = multiprocessing.Pipe(duplex=False)
        self._answer = receiver
        self._process = multiprocessing.get_context("fork").Process(
            target=_empty_into,
            args=(spare, live, staging, receiver, sender),
            kwargs={"whole": whole, "keep": keep},
            daemon=True,
        )
        self._process.start()
        sender.close()

    @classmethod
    def start(
        cls, output: Path, staging: Path, whole: Iterable[str] = (), keep: Iterable[str] = ()
    ) -> Recycled | None:
        """Recycle `output`'s spare into `staging`, if there is a spare. The
        folders named in `whole` (at the top) are left as they are, files
        too: what fills them makes them right (`sync_tree`). The files named
        in `keep` (relative paths) stay where they are the live site's own."""
        spare = spare_for(output)
        if spare.is_symlink() or not spare.is_dir():
            return None
        return cls(spare, output, staging, frozenset(whole), frozenset(keep))

    def wait(self) -> set[str]:
        """The staging folder's folders (relative paths), once made; none
        when the spare could not be used. Asked again, the same answer."""
        if not self._answer.closed:  # closed once answered
            try:
                folders = self._answer.recv()
            except (EOFError, OSError):  # the child could not use the spare
                folders = []
            self._process.join()
            self._answer.close()
            self.folders = set(folders) if self._process.exitcode == 0 else set()
        return self.folders

    def close_answer(self) -> None:
        """Close this process's reading end (in a process forked after it)."""
        self._answer.close()


def _empty_into(
    spare: Path,
    live: Path,
    staging: Path,
    receiver,
    sender,
    *,
    whole: frozenset[str],
    keep: frozenset[str],
) -> None:
    """In the child: unlink every file and link of `spare` but those named in
    `keep` that are the live site's file at the same place, remove its
    folders the live site does not have, rename it to `staging`, send back the
    folders kept. The folders named in `whole` (at the top) are left as they
    are, and not sent. A file system error ends it quietly: the build then
    makes its folders itself."""
    # Its copy of the reading end closed, a send to a build that died fails
    # instead of waiting for a reader forever (and holding the build's lock).
    receiver.close()

    def fail(error: OSError) -> None:
        raise error

    try:
        folders = []
        for root, dirs, files in os.walk(spare, topdown=False, onerror=fail):
            relative = os.path.relpath(root, spare)
            if relative.split(os.sep, 1)[0] in whole:
                # Left as it is. The walk never enters a link to a folder: one
                # where a whole folder goes is unlinked at the top, as a file.
                continue
            for name in files:
                path, there = os.path.join(root, name), os.path.join(live, relative, name)
                if os.path.normpath(os.path.join(relative, name)) in keep and same_file(
                    path, there
                ):
                    continue  # an unlink and a link saved (13,000 at 10,000 stories)
                os.unlink(path)
            for name in dirs:
                if os.path.islink(os.path.join(root, name)):
                    os.unlink(os.path.join(root, name))
            if relative == ".":
                continue
            there = os.path.join(live, relative)
            if os.path.isdir(there) and not os.path.islink(there):
                folders.append(relative)
            else:
                try:
                    os.rmdir(root)
                except OSError:  # a folder kept inside it
                    folders.append(relative)
        os.rename(spare, staging)  # fails if a staging folder with files exists
        sender.send(folders)
    except OSError:
        sys.exit(1)
    finally:
        sender.close()


def same_file(first: Path | str, second: Path | str) -> bool:
    """Whether both paths are one regular file (hard links to it; never
    followed as symbolic links). Its size and times too, which links share:
    some FUSE mounts give every file one inode number (as `sync_tree`)."""
    try:
        one, other = os.lstat(first), os.lstat(second)
    except OSError:
        return False
    return stat.S_ISREG(one.st_mode) and _identity(one) == _identity(other)


def _identity(status: os.stat_result) -> tuple[int, ...]:
    return (
        status.st_ino,
        status.st_dev,
        status.st_size,
        status.st_mtime_ns,
        status.st_ctime_ns,
    )


def clear_kept(
    path: str,
    staging: str,
    live: str,
    *,
    folder: bool = False,
    written: Container[str] = frozenset(),
) -> None:
    """Remove what the recycler kept of the live site (`Recycled`) in the way
    of a file, or a `folder`, to be made at `path` in the staging site: a kept
    file at `path` or at a folder above it (the live site had a page where
    this build makes a folder), or, for a file, the kept files of a folder at
    `path` and the folders they leave empty (a page's folder then, a file
    now). Anything else stays: a file this build `written` (a page linked
    from the live site is the same file too), and anything outside the
    staging site. Forked writers may clear one place at once: what another
    removed first is gone already."""
    staging, path = os.path.abspath(staging), os.path.abspath(path)
    if os.path.commonpath([staging, path]) != staging or path == staging:
        return

    def drop(staged: str) -> None:
        if staged not in written and same_file(
            staged, os.path.join(live, staged[len(staging) + 1 :])
        ):
            with contextlib.suppress(FileNotFoundError):
                os.unlink(staged)

    above = os.path.dirname(path)
    while above != staging and not os.path.isdir(above):
        if os.path.lexists(above):
            drop(above)
            break
        above = os.path.dirname(above)
    if not os.path.isdir(path):
        drop(path)
    elif not folder and not os.path.islink(path):
        for root, _, files in os.walk(path, topdown=False):
            for name in files:
                drop(os.path.join(root, name))
            with contextlib.suppress(OSError):  # not empty: something else is there
                os.rmdir(root)


def link_or_copy(source: Path | str, target: Path | str) -> None:
    """Hard-link a file (cheap; it is never written in place afterwards); copy
    it where links are refused (another file system, or one without links),
    never where something is in the way (a copy would go inside a folder)."""
    try:
        os.link(source, target)
    except (FileExistsError, IsADirectoryError, FileNotFoundError):
        raise
    except OSError:
        shutil.copy2(source, target)


def sync_tree(source: Path, target: Path, ignore: frozenset[str] = frozenset()) -> None:
    """Make `target` a copy of the folder `source` as hard links, as
    `link_or_copy` does each file (files named in `ignore` left out), keeping
    what it holds already: a file that is a link to the very file of `source`
    (the same inode, which the folder listing gives without a `stat`) stays,
    anything else there goes. A folder the recycler left whole (Recycled) is
    then right after a few changes, instead of 3,400 unlinks and 3,400 links
    for a year of the search index (3,300 stories)."""
    wanted: dict[str, int] = {}
    folders = {""}
    for root, names in _entries(source):
        for entry in names:
            relative = os.path.join(root, entry.name)
            if entry.is_dir(follow_symlinks=False):
                folders.add(relative)
            elif entry.name not in ignore:
                wanted[relative] = entry.inode()
    if target.is_symlink() or (target.exists() and not target.is_dir()):
        target.unlink()
    target.mkdir(parents=True, exist_ok=True)
    # An inode number proves the same file only on one device, where every
    # file has its own (not so on some FUSE mounts): else nothing is kept.
    same_device = os.stat(source).st_dev == os.stat(target).st_dev
    trusted = same_device and len(set(wanted.values())) == len(wanted)
    _keep_only(target, wanted if trusted else {}, folders)  # takes out what stays
    for relative in sorted(folders):
        os.makedirs(target / relative, exist_ok=True)
    for relative in wanted:
        link_or_copy(source / relative, target / relative)


def _keep_only(target: Path, wanted: dict[str, int], folders: set[str]) -> None:
    """Remove from `target` what is not in `folders` or `wanted` (a file by
    its inode), and take out of `wanted` what is there already."""
    for root, names in _entries(target):
        for entry in names:
            relative = os.path.join(root, entry.name)
            if entry.is_dir(follow_symlinks=False):
                if relative not in folders:
                    shutil.rmtree(entry.path)  # and not entered (_entries)
            elif wanted.get(relative) == entry.inode():
                del wanted[relative]  # there already
            else:
                os.unlink(entry.path)


def _entries(folder: Path) -> Iterator[tuple[str, list[os.DirEntry]]]:
    """(relative folder, its entries) for `folder` and every folder in it,
    each folder after its parent; links to folders are entries, never
    entered."""
    pending = [""]
    while pending:
        relative = pending.pop()
        with os.scandir(folder / relative) as listing:
            names = list(listing)
        yield relative, names
        pending += [
            os.path.join(relative, entry.name)
            for entry in names
            # A folder the caller removed meanwhile is not entered.
            if entry.is_dir(follow_symlinks=False) and os.path.isdir(entry.path)
        ]
