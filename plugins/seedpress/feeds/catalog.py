"""Which feed documents the site has: one per scope (site, section, author) and
format (Atom, RSS, JSON Feed), with their paths and media types."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

EXTENSIONS = {"atom": "atom.xml", "rss": "rss.xml", "json": "json"}
MEDIA_TYPES = {
    "atom": "application/atom+xml",
    "rss": "application/rss+xml",
    "json": "application/feed+json",
}
LABELS = {"atom": "Atom", "rss": "RSS", "json": "JSON Feed"}
_PATHS = {
    "site": "feeds/all.{extension}",
    "section": "feeds/sections/{slug}.{extension}",
    "author": "feeds/authors/{slug}.{extension}",
}


@dataclass(frozen=True)
class Feed:
    """One topic's feeds: e.g. the World section, in every format written."""

    scope: str  # "site", "section" or "author"
    slug: str
    name: str  # plain text: the site, section or author name
    page: str  # the topic's page, relative to the site root
    paths: dict[str, str] = field(default_factory=dict)  # format → path

    @property
    def key(self) -> str:
        """How templates find it: "site", "section:world", "author:mara-okafor"."""
        return self.scope if self.scope == "site" else f"{self.scope}:{self.slug}"

    def links(self) -> list[tuple[str, str, str]]:
        """(label, media type, path) per format, for templates."""
        return [(LABELS[f], MEDIA_TYPES[f], path) for f, path in self.paths.items()]


def feed(scope: str, slug: str, name: str, page: str, formats: Iterable[str]) -> Feed:
    """The Feed of one topic, with a path for each format."""
    paths = {fmt: _PATHS[scope].format(slug=slug, extension=EXTENSIONS[fmt]) for fmt in formats}
    return Feed(scope=scope, slug=slug, name=name, page=page, paths=paths)
