"""Content-Type and Cache-Control for each file of the built site."""

from __future__ import annotations

import mimetypes

SHORT = "public, max-age=300"  # pages and feeds: corrections show within minutes
MEDIUM = "public, max-age=3600"  # theme files: stable names, may change
LONG = "public, max-age=31536000, immutable"  # content-addressed names never change

_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".atom.xml": "application/atom+xml",
    ".rss.xml": "application/rss+xml",
    ".xml": "application/xml",
    ".json": "application/json",
    ".opml": "text/x-opml; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".txt": "text/plain; charset=utf-8",
    ".xsl": "text/xsl",
    ".wasm": "application/wasm",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".webp": "image/webp",
    ".avif": "image/avif",
    ".gif": "image/gif",
    ".ico": "image/x-icon",
    ".woff2": "font/woff2",
    ".pdf": "application/pdf",
}
# Pagefind names its metadata, index chunks, fragments and filters by content.
_PAGEFIND_ADDRESSED = (".pf_meta", ".pf_index", ".pf_fragment", ".pf_filter")
# Its compiled WebAssembly is named by language only (wasm.en.pagefind), as
# pagefind.js asks for it: a new Pagefind writes another under the same name.
_PAGEFIND_NAMED = ".pagefind"


def content_type(path: str) -> str:
    """The media type of a site path (`feeds/all.atom.xml`, `a/index.html`)."""
    if path.startswith("feeds/") and path.endswith(".json"):
        return "application/feed+json"
    name = path.rsplit("/", 1)[-1].lower()
    for suffix in sorted(_TYPES, key=len, reverse=True):
        if name.endswith(suffix):
            return _TYPES[suffix]
    if name.endswith((*_PAGEFIND_ADDRESSED, _PAGEFIND_NAMED)):
        return "application/octet-stream"
    guessed, _ = mimetypes.guess_type(name)
    return guessed or "application/octet-stream"


def cache_control(path: str) -> str:
    """Short for pages and feeds, long for content-addressed files."""
    if path.endswith(_PAGEFIND_ADDRESSED):
        return LONG
    if path.endswith(_PAGEFIND_NAMED):
        return MEDIUM  # as pagefind.js, which asks for it
    kind = content_type(path)
    if kind.startswith(("text/html", "application/", "text/x-opml", "text/plain")):
        return SHORT
    return MEDIUM
