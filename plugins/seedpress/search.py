"""The search index: Pagefind over the built site, skipped when nothing changed.

Pagefind has no incremental mode, so the index is rebuilt only when the text of
some page changed: a digest of every HTML page is kept beside the index.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import shutil
import subprocess
import sys
import time
from pathlib import Path

from .atomic import link_tree
from .log import get_logger
from .writer import KEYS_FILE

logger = get_logger(__name__)

BUNDLE = "pagefind"
DIGEST = ".seedpress-digest"


def pages_digest(output: Path) -> str:
    """SHA-256 over the path and content of every HTML page outside the index.

    A page's content is its key (writer.py) when it has one: the same key is
    the same bytes, and reading ten thousand pages to learn that costs seconds.
    """
    keys: dict[str, str] = {}
    with contextlib.suppress(OSError, ValueError):
        keys = json.loads((output / KEYS_FILE).read_text())
    digest = hashlib.sha256()
    for page in sorted(output.rglob("*.html")):
        relative = page.relative_to(output).as_posix()
        if relative.startswith(f"{BUNDLE}/"):
            continue
        digest.update(relative.encode() + b"\0")
        known = keys.get(relative)
        digest.update(
            b"key:" + known.encode() if known else hashlib.sha256(page.read_bytes()).digest()
        )
    return digest.hexdigest()


def index(output: Path, previous: Path | None = None) -> float | None:
    """Build output/pagefind/, or reuse `previous`'s when no page changed.

    Returns the seconds spent indexing, or None when the index was reused.
    """
    digest = pages_digest(output)
    old = previous / BUNDLE if previous else None
    if old and (old / DIGEST).is_file() and (old / DIGEST).read_text() == digest:
        shutil.rmtree(output / BUNDLE, ignore_errors=True)
        link_tree(old, output / BUNDLE)
        logger.info("search index: pages unchanged, kept")
        return None
    started = time.monotonic()
    shutil.rmtree(output / BUNDLE, ignore_errors=True)
    command = [sys.executable, "-m", "pagefind", "--site", str(output), "--silent"]
    subprocess.run(command, check=True, capture_output=True, text=True)
    (output / BUNDLE / DIGEST).write_text(digest)
    seconds = time.monotonic() - started
    logger.info("search index: rebuilt in %.1f s", seconds)
    return seconds
