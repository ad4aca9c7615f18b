"""Seedpress settings: one SEEDPRESS_ prefix, defaults here, user values win.

The user's settings dict (and Pelican's DEFAULT_CONFIG) are never mutated: code
reads merged values through `get()`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from . import seed
from .publish import plan

DEFAULTS: dict[str, Any] = {
    # Folder of seed files, relative to the project root (where pelicanconf is).
    "SEEDPRESS_SEEDS_PATH": "seeds",
    # Where generated posts go, inside Pelican's content folder.
    "SEEDPRESS_POSTS_DIR": "posts",
    # Section of seeds directly in seeds/ (subfolders name their own section).
    "SEEDPRESS_DEFAULT_SECTION": "News",
    # Display names for section folders, e.g. {"world": "World"}; otherwise the
    # folder name with "-" and "_" as spaces, capitalised.
    "SEEDPRESS_SECTION_NAMES": {},
    # Authority of the `tag:` ids minted for new stories: a domain the publisher
    # owns. Changing it later changes no existing id (ids live in the ledger).
    "SEEDPRESS_ID_AUTHORITY": "seedpress.example",
    # Seeds over these limits are rejected, with the limit named.
    "SEEDPRESS_MAX_SEED_BYTES": seed.MAX_BYTES,
    "SEEDPRESS_MAX_LINE_CHARS": seed.MAX_LINE_CHARS,
    # Where a bio's @handle links to.
    "SEEDPRESS_HANDLE_URL": "https://x.com/{handle}",
    # Items in each subscription feed (and in each RFC 5005 archive page).
    "SEEDPRESS_FEED_LIMIT": 50,
    # Which feeds to write: scopes ("site", "section", "author") and formats
    # ("atom", "rss", "json").
    "SEEDPRESS_FEED_SCOPES": ("site", "section", "author"),
    "SEEDPRESS_FEED_FORMATS": ("atom", "rss", "json"),
    # Keep the whole history reachable from the site-wide Atom feed (RFC 5005).
    "SEEDPRESS_FEED_ARCHIVE": True,
    # Title of the site-wide feeds (default: SITENAME).
    "SEEDPRESS_FEED_TITLE": None,
    # Feed icon (square) and logo (wide): absolute URLs or paths in the site.
    "SEEDPRESS_FEED_ICON": None,
    "SEEDPRESS_FEED_LOGO": None,
    # A WebSub hub: feeds link to it, and `invoke publish` notifies it.
    "SEEDPRESS_WEBSUB_HUB": None,
    # Build the Pagefind search index after the site.
    "SEEDPRESS_SEARCH": True,
    # Keep Pelican's rendered posts between builds (beside output/), so an edit
    # re-renders one post's Markdown, not all of them.
    "SEEDPRESS_CONTENT_CACHE": True,
    # Processes that render pages (default: one per core).
    "SEEDPRESS_JOBS": None,
    # The last build's output, whose unchanged pages are linked, not rendered
    # (set by the build).
    "SEEDPRESS_PREVIOUS_OUTPUT": None,
    # The build's file hashes (hashes.FileHashes), which Pelican's content
    # cache checks posts by (articlecache.stamp_by_hashes; set by the build).
    "SEEDPRESS_FILE_HASHES": None,
    # The ledger as the conversion left it (ledger.Ledger), which the feeds'
    # archive reads instead of loading it again (set by the build).
    "SEEDPRESS_LEDGER": None,
    # True when CACHE_PATH is named for the settings, library versions and
    # code (set by the build): what derived.py keeps there may be used again.
    "SEEDPRESS_CACHE_KEYED": False,
    # Publishing (`invoke publish`): the target, its options, and the guard
    # against a broken build deleting the site (as `hugo deploy`'s maxDeletes).
    "SEEDPRESS_PUBLISH_TARGET": "rsync",
    "SEEDPRESS_RSYNC": None,  # {"host", "port", "user", "path", "identity"}
    "SEEDPRESS_GIT": None,  # {"remote", "branch", "cname"}
    "SEEDPRESS_S3": None,  # {"bucket", "prefix", "endpoint_url", "region"}
    "SEEDPRESS_MAX_DELETE_SHARE": plan.MAX_DELETE_SHARE,
    "SEEDPRESS_MAX_DELETE_FILES": plan.MAX_DELETE_FILES,
}


def get(settings: Mapping[str, Any], name: str) -> Any:
    """The user's value of a SEEDPRESS_ setting, else its default."""
    return settings.get(name, DEFAULTS[name])


def section_name(folder: str, settings: Mapping[str, Any]) -> str:
    """The section a seed folder names ("" is the default section)."""
    if not folder:
        return get(settings, "SEEDPRESS_DEFAULT_SECTION")
    names = get(settings, "SEEDPRESS_SECTION_NAMES")
    if folder in names:
        return names[folder]
    words = folder.replace("-", " ").replace("_", " ").split()
    return " ".join(word[:1].upper() + word[1:] for word in words) or folder
