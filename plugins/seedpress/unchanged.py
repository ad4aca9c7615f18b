"""The no-change build: proof, before Pelican is even imported, that nothing a
site is made from changed since its last clean build.

The full check (build.py) loads Pelican's settings, runs the conversion and
digests every input: over a second at 10,000 seeds, half of it importing
Pelican and reading the ledger. So a clean build also records, beside output/,
the settings it ran with and every input file it read, with its stat (size,
times, inode) and hash, as git's index does. The next build walks the same
folders: the same files with the same stats under the same settings prove
the site right. A file that was racy (changed too recently to be trusted by its
times, hashes.RACY_NS) is read and its hash compared instead.

This module imports nothing of Pelican's.
"""

from __future__ import annotations

import contextlib
import datetime
import hashlib
import json
import os
import runpy
import stat
import sys
from collections.abc import Mapping
from importlib.metadata import version
from pathlib import Path, PurePath
from typing import Any

from .convert import is_hidden, is_seed
from .hashes import files_under

# The libraries whose version changes how pages, feeds and the search index come out.
RENDERERS = (
    *("pelican", "jinja2", "markdown", "markupsafe", "feedgen", "beautifulsoup4", "lxml"),
    # Code highlighting, date parsing and slugs, in the articles Pelican makes.
    *("pygments", "python-dateutil", "unidecode"),
    "pagefind",
)

# How the folders of a proof are walked: the seeds folder as the conversion
# finds seeds, the settings folder for its settings files, the others whole
# (compiled Python left out).
SEEDS, SETTINGS, FILE, TREE = "seeds", "settings", "file", "tree"
SETTINGS_FILES = "*conf.py"


def stamp_path(output: Path) -> Path:
    """The record of the last clean build, beside output/ (so it is not published)."""
    return output.with_name(f".{output.name}.inputs")


def versions() -> list[str]:
    """Python's version and those of the libraries that render."""
    return [sys.version, *(version(name) for name in RENDERERS)]


def settings_key(
    settings_file: Path, overrides: Mapping[str, Any] | None
) -> tuple[str, Path] | None:
    """A digest of the settings as written (the file run, the overrides, the
    Python and library versions), and the output folder they name; None when
    the settings file fails (the full build then reports why).

    Run, not read: settings may come from the environment. A value only its
    identity describes (an object, a function) makes the key None: such a site
    always takes the full check.
    """
    try:
        ran = runpy.run_path(str(settings_file))
    except Exception:  # any error in the user's settings file
        return None
    written = {name: value for name, value in ran.items() if name.isupper()}
    written |= dict(overrides or {})
    # Pelican reads relative override folders from the working folder, which
    # the proof's folder (settings.template_sources) is then resolved from:
    # another working folder is other settings (a review's test).
    for name in ("THEME_TEMPLATES_OVERRIDES", "EXTRA_TEMPLATES_PATHS"):
        folders = written.get(name) or []
        if any(not os.path.isabs(str(folder)) for folder in folders):
            written["_seedpress_cwd"] = os.getcwd()
    # As Pelican's read_settings names it: relative to the settings file.
    output = str(written.get("OUTPUT_PATH", "output"))
    if not os.path.isabs(output):
        output = os.path.abspath(os.path.normpath(os.path.join(settings_file.parent, output)))
    try:
        token = [str(Path(settings_file).resolve()), written, versions()]
        text = json.dumps(token, sort_keys=True, default=_describe)
    except (TypeError, ValueError):  # a value it cannot describe; keys of mixed types
        return None
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest(), Path(output)


def _describe(value: Any) -> Any:
    """A settings value JSON cannot hold, as text that is the same only when
    the value is; TypeError for a value no text vouches for. A function is one:
    what it does may hang on module globals, defaults or a closure, read from
    anywhere (the key is then None, and the full check decides)."""
    if isinstance(value, set | frozenset):
        return sorted(map(repr, value))
    if isinstance(value, datetime.date | datetime.time | datetime.timedelta | PurePath):
        return repr(value)
    raise TypeError(f"a {type(value).__name__} in the settings")


def walk(folder: str, rule: str) -> dict[str, os.stat_result]:
    """The files a build reads in `folder`, by path, with their stats."""
    if rule == SEEDS:
        others: list = []
        entries = files_under(folder, is_hidden, others)
        found = {entry.path: entry.stat() for _, entry in entries if is_seed(entry.name)}
        # A link to a folder or to nothing, which the conversion rejects: one
        # made since the last build must end the proof, to be reported.
        return found | {entry.path: entry.stat(follow_symlinks=False) for _, entry in others}
    if rule == SETTINGS:
        return {str(path): path.stat() for path in Path(folder).glob(SETTINGS_FILES)}
    if rule == FILE:
        return {folder: os.stat(folder)}
    return {entry.path: entry.stat() for _, entry in files_under(folder, skip="__pycache__".__eq__)}


def record(
    output: Path,
    key: str | None,
    folders: list[tuple[str, str]],
    files: dict[str, list],
    counts: dict[str, Any],
) -> None:
    """Keep the proof of a clean build: its settings key, the folders walked
    and how, each file read ([size, mtime, ctime, inode, sha256, racy]), and
    what the build reports (`counts`)."""
    proof = {
        "key": key,
        "output": str(output),
        "output_stat": _folder_stat(output),
        "folders": folders,
        "files": files,
        **counts,
    }
    written = stamp_path(output).with_name(stamp_path(output).name + ".partial")
    written.write_text(json.dumps(proof, separators=(",", ":")))
    written.replace(stamp_path(output))


def forget(output: Path) -> None:
    """Until a new proof is written, none holds (a build is changing output/)."""
    stamp_path(output).unlink(missing_ok=True)


def read(output: Path) -> dict[str, Any]:
    """The last clean build's record, or {}."""
    with contextlib.suppress(OSError, ValueError):
        proof = json.loads(stamp_path(output).read_text())
        if isinstance(proof, dict):
            return proof
    return {}


def still_built(key: str, output: Path) -> dict[str, Any] | None:
    """The last clean build's record when it was built with settings `key`
    and nothing it read changed since, else None."""
    proof = read(output)
    if proof.get("key") != key or proof.get("output") != str(output):
        return None
    if not intact(proof, output):
        return None
    try:
        return proof if _files_as_recorded(proof) else None
    except (KeyError, TypeError, ValueError, OSError):  # a damaged record proves nothing
        return None


def _files_as_recorded(proof: dict[str, Any]) -> bool:
    """Whether the proof's folders hold the very files it recorded, each with
    its recorded stat (a racy one, its recorded hash). Folder by folder, ending
    at the first that shows a change: an edit's seed ends it before the 10,000
    posts are looked at."""
    files = proof["files"]
    checked: set[str] = set()
    for folder, rule in proof["folders"]:
        for name, status in walk(folder, rule).items():
            if name in checked:
                continue  # in two of the folders (a settings file)
            if name not in files:
                return False  # a file added
            size, mtime, ctime, inode, sha256, racy = files[name]
            now = (status.st_size, status.st_mtime_ns, status.st_ctime_ns, status.st_ino)
            if now != (size, mtime, ctime, inode) or (racy and _sha256(name) != sha256):
                return False
            checked.add(name)
    return len(checked) == len(files)  # else a file removed


def _sha256(name: str) -> str | None:
    try:
        return hashlib.sha256(Path(name).read_bytes()).hexdigest()
    except OSError:
        return None


def intact(proof: dict[str, Any], output: Path) -> bool:
    """Whether output/ is the folder the proof's build left: not removed,
    replaced, nor with files added or removed at its top."""
    return proof.get("output_stat") == _folder_stat(output)


def _folder_stat(folder: Path) -> list[int] | None:
    """The folder's inode and modification time, or None when it is gone."""
    try:
        status = os.stat(folder)
    except OSError:
        return None
    return [status.st_ino, status.st_mtime_ns] if stat.S_ISDIR(status.st_mode) else None
