"""The search index: Pagefind over the built site, skipped when nothing changed.

Pagefind has no incremental mode, so the index is rebuilt only when the text of
some page changed: a digest of every HTML page is kept beside the index.
"""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import sys
import time
from pathlib import Path

from .atomic import link_tree
from .log import get_logger

logger = get_logger(__name__)

BUNDLE = "pagefind"
DIGEST = ".seedpress-digest"


def pages_digest(output: Path) -> str:
    """SHA-256 over the path and bytes of every HTML page outside the index."""
    digest = hashlib.sha256()
    for page in sorted(output.rglob("*.html")):
        relative = page.relative_to(output)
        if relative.parts[0] == BUNDLE:
            continue
        digest.update(relative.as_posix().encode() + b"\0")
        digest.update(hashlib.sha256(page.read_bytes()).digest())
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
