"""Seedpress settings: one SEEDPRESS_ prefix, defaults here, user values win.

The user's settings dict (and Pelican's DEFAULT_CONFIG) are never mutated: code
reads merged values through `get()`.
"""

from __future__ import annotations

import difflib
import os
import re
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from . import seed

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
    # Build the Pagefind search index.
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
    # {"host", "port", "user", "path", "identity", "ssh_options", "rsync_args"}
    "SEEDPRESS_RSYNC": None,
    "SEEDPRESS_GIT": None,  # {"remote", "branch", "cname"}
    "SEEDPRESS_S3": None,  # {"bucket", "prefix", "endpoint_url", "region"}
    "SEEDPRESS_MAX_DELETE_SHARE": 0.25,
    "SEEDPRESS_MAX_DELETE_FILES": 256,
}


def get(settings: Mapping[str, Any], name: str) -> Any:
    """The user's value of a SEEDPRESS_ setting, else its default."""
    return settings.get(name, DEFAULTS[name])


def template_sources(settings: Mapping[str, Any]) -> tuple[list[Path], list[Path]]:
    """Where pages' templates come from besides the theme: the folders of
    THEME_TEMPLATES_OVERRIDES (as Pelican finds them: from the working
    folder) and the files of TEMPLATE_PAGES (in the content folder). Page
    keys and the no-change proof cover them as they cover the theme."""
    folders = [Path(os.path.abspath(folder)) for folder in settings["THEME_TEMPLATES_OVERRIDES"]]
    pages = [Path(settings["PATH"], source) for source in settings["TEMPLATE_PAGES"]]
    return folders, pages


def section_name(folder: str, settings: Mapping[str, Any]) -> str:
    """The section a seed folder names ("" is the default section)."""
    if not folder:
        return get(settings, "SEEDPRESS_DEFAULT_SECTION")
    names = get(settings, "SEEDPRESS_SECTION_NAMES")
    if folder in names:
        return names[folder]
    words = folder.replace("-", " ").replace("_", " ").split()
    return " ".join(word[:1].upper() + word[1:] for word in words) or folder


class SettingsError(ValueError):
    """A setting with a value Seedpress cannot use; the message names it."""


def _count(least: int) -> Callable[[Any], str | None]:
    def check(value: Any) -> str | None:
        if isinstance(value, bool) or not isinstance(value, int) or value < least:
            return f"a whole number of at least {least}"
        return None

    return check


def _choices(allowed: tuple[str, ...]) -> Callable[[Any], str | None]:
    def check(value: Any) -> str | None:
        if isinstance(value, str) or not isinstance(value, list | tuple | set | frozenset):
            return f"a tuple of names among {allowed}, e.g. {allowed[:2]!r}"
        unknown = [name for name in value if name not in allowed]
        if unknown:
            return f"names among {allowed}, not {', '.join(map(repr, unknown))}"
        return None

    return check


def _kind(kinds: type | tuple[type, ...], what: str) -> Callable[[Any], str | None]:
    return lambda value: None if isinstance(value, kinds) else what


def _share(value: Any) -> str | None:
    ok = isinstance(value, int | float) and not isinstance(value, bool) and 0 <= value <= 1
    return None if ok else "a share from 0 to 1, e.g. 0.25"


def _names(value: Any) -> str | None:
    if isinstance(value, Mapping) and all(
        isinstance(key, str) and isinstance(name, str) and name.strip()
        for key, name in value.items()
    ):
        return None
    return 'a dict of folder names to section names, e.g. {"world": "World"}'


# RFC 4151's taggingEntity without its date: a DNS name, or an e-mail address.
# Ids are minted as tag:<authority>,<date>:<serial> and never change, so a
# comma, colon, space or scheme in it made every new id invalid for good.
_AUTHORITY = re.compile(r"(?:[^@\s,:/]+@)?[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?")


def _authority(value: Any) -> str | None:
    if isinstance(value, str) and _AUTHORITY.fullmatch(value):
        return None
    return "a domain or e-mail address the publisher owns, e.g. newsroom.org"


def _handle_url(value: Any) -> str | None:
    if isinstance(value, str) and "{handle}" in value:
        return None
    return 'a URL with "{handle}" in it, e.g. "https://x.com/{handle}"'


# What a user's value must be, for the settings whose wrong values failed far
# from the settings file (a slice of a string limit, a KeyError for a format
# "rsss") or did something other than asked, silently (a scope "sections").
_CHECKS: dict[str, Callable[[Any], str | None]] = {
    "SEEDPRESS_FEED_LIMIT": _count(1),
    "SEEDPRESS_FEED_SCOPES": _choices(("site", "section", "author")),
    "SEEDPRESS_FEED_FORMATS": _choices(("atom", "rss", "json")),
    "SEEDPRESS_FEED_ARCHIVE": _kind(bool, "True or False"),
    "SEEDPRESS_SEARCH": _kind(bool, "True or False"),
    "SEEDPRESS_CONTENT_CACHE": _kind(bool, "True or False"),
    "SEEDPRESS_MAX_SEED_BYTES": _count(1),
    "SEEDPRESS_MAX_LINE_CHARS": _count(1),
    "SEEDPRESS_MAX_DELETE_FILES": _count(0),
    "SEEDPRESS_MAX_DELETE_SHARE": _share,
    # None or 0: one per core (parallel.jobs).
    "SEEDPRESS_JOBS": lambda value: None if value is None else _count(0)(value),
    "SEEDPRESS_SECTION_NAMES": _names,
    "SEEDPRESS_DEFAULT_SECTION": lambda value: (
        None if isinstance(value, str) and value.strip() else "a section name"
    ),
    "SEEDPRESS_HANDLE_URL": _handle_url,
    "SEEDPRESS_ID_AUTHORITY": _authority,
    **{
        name: _kind(str | None, "a string, or None")
        for name in ("SEEDPRESS_FEED_TITLE", "SEEDPRESS_FEED_ICON", "SEEDPRESS_FEED_LOGO")
    },
    "SEEDPRESS_WEBSUB_HUB": _kind(str | None, "a URL, or None"),
}


def check(settings: Mapping[str, Any], source: str) -> list[str]:
    """Raise SettingsError for the first setting whose value cannot be used
    (`source`: where the settings came from, for the message); the warnings
    for SEEDPRESS_ names that are not settings (a typo is otherwise ignored)."""
    for name, valid in _CHECKS.items():
        if name in settings:
            wrong = valid(settings[name])
            if wrong:
                raise SettingsError(f"{name} in {source} is {settings[name]!r}: it must be {wrong}")
    zone = settings.get("TIMEZONE")
    if zone:
        try:
            ZoneInfo(zone)
        except (ZoneInfoNotFoundError, ValueError, TypeError):
            raise SettingsError(
                f"TIMEZONE in {source} is {zone!r}: not a time zone (e.g. Europe/London, UTC)"
            ) from None
    warnings = []
    for name in sorted(settings):
        if name.startswith("SEEDPRESS_") and name not in DEFAULTS:
            near = difflib.get_close_matches(name, DEFAULTS, n=1)
            hint = f" (did you mean {near[0]}?)" if near else ""
            warnings.append(f"{name} in {source} is not a Seedpress setting{hint}")
    return warnings
