"""Pelican's reader cache, filled on every core before Pelican runs.

Pelican renders each post's Markdown as it reads it, in one process; with its
reader cache on (build.content_cache) it renders only posts whose SHA-256 changed.
A cold build would still render every post on one core. Here the posts the
cache lacks are rendered first, by Pelican's own Markdown reader, in one forked
process per core, and stored in the cache file Pelican loads: Pelican then
finds each post under the same path and SHA-256 and goes on as usual.
"""

from __future__ import annotations

import contextlib
import fnmatch
import hashlib
import os
import pickle
import time
from pathlib import Path
from typing import Any

from pelican.readers import MarkdownReader, Readers, _filter_discardable_metadata
from pelican.urlwrappers import URLWrapper

from .log import get_logger
from .parallel import fork_map, jobs

logger = get_logger(__name__)

CACHE_NAME = "ArticlesGenerator-Readers"  # Pelican's name for it
# Below this many posts to render, forking costs more than it saves.
PARALLEL_FROM = 100

# The reader workers use; made before forking, inherited.
_WORKER: dict[str, Any] = {}


def _sources(settings: dict[str, Any]) -> list[str]:
    """The Markdown files Pelican will read as articles (as Pelican names them:
    absolute paths), outside page folders and ignored names."""
    root = Path(settings["PATH"])
    ignores = settings["IGNORE_FILES"]
    pages = {os.path.normpath(root / p) for p in settings["PAGE_PATHS"]}
    found = []
    for folder, dirs, files in os.walk(root):
        dirs[:] = sorted(
            d
            for d in dirs
            if not any(fnmatch.fnmatch(d, i) for i in ignores)
            and os.path.normpath(os.path.join(folder, d)) not in pages
        )
        for name in sorted(files):
            if name.rsplit(".", 1)[-1] in MarkdownReader.file_extensions and not any(
                fnmatch.fnmatch(name, i) for i in ignores
            ):
                found.append(os.path.abspath(os.path.join(folder, name)))
    return found


def _stamp(path: str) -> bytes:
    with open(path, "rb") as handle:
        return hashlib.sha256(handle.read()).digest()  # Pelican's CHECK_MODIFIED_METHOD


def _read(path: str) -> tuple[str, bytes, Any] | None:
    """In a worker: one post through Pelican's reader; None if it fails (Pelican
    reads it again and reports the error itself)."""
    try:
        content, metadata = _WORKER["reader"].read(path)
    except Exception:  # reported by Pelican's own read
        return None
    metadata = _filter_discardable_metadata(metadata)
    for wrapper in _wrappers(metadata):
        wrapper.settings = None  # put back in the parent: never sent per post
    return path, _stamp(path), (content, metadata)


def _wrappers(metadata: dict[str, Any]):
    for value in metadata.values():
        for item in value if isinstance(value, list) else [value]:
            if isinstance(item, URLWrapper):
                yield item


def worth_filling(settings: dict[str, Any], report) -> bool:
    """Whether to look for posts the cache lacks: when there is no cache yet, or
    the conversion wrote many posts. Otherwise the few changed posts are left
    to Pelican (checking ten thousand stamps here would cost more)."""
    if not settings.get("CACHE_CONTENT") or settings.get("CONTENT_CACHING_LAYER") != "reader":
        return False
    cache_file = Path(settings["CACHE_PATH"]) / CACHE_NAME
    return not cache_file.is_file() or len(report.written) >= PARALLEL_FROM


def fill(settings: dict[str, Any]) -> int:
    """Render, on every core, the posts the reader cache lacks; how many."""
    cache_file = Path(settings["CACHE_PATH"]) / CACHE_NAME
    cache: dict[str, Any] = {}
    with contextlib.suppress(OSError, pickle.PickleError, EOFError), cache_file.open("rb") as f:
        cache = pickle.load(f)
    missing = [
        path for path in _sources(settings) if path not in cache or cache[path][0] != _stamp(path)
    ]
    processes = jobs(settings)
    if len(missing) < PARALLEL_FROM or processes < 2:
        return 0  # Pelican reads these few itself
    started = time.monotonic()
    _WORKER["reader"] = Readers(settings).readers["md"]
    try:
        results = fork_map(_read, missing, processes, threshold=PARALLEL_FROM, chunksize=32)
        for done, result in enumerate(results, 1):
            if result is not None:
                path, stamp, data = result
                for wrapper in _wrappers(data[1]):
                    wrapper.settings = settings
                cache[path] = (stamp, data)
            if done % 2000 == 0:
                logger.info("posts: %d of %d rendered", done, len(missing))
    finally:
        _WORKER.clear()
    cache_file.parent.mkdir(parents=True, exist_ok=True)
    partial = cache_file.with_name(cache_file.name + ".partial")
    with partial.open("wb") as handle:
        pickle.dump(cache, handle, protocol=pickle.HIGHEST_PROTOCOL)
    partial.replace(cache_file)
    seconds = time.monotonic() - started
    logger.info("posts: %d rendered on %d processes in %.1f s", len(missing), processes, seconds)
    return len(missing)
