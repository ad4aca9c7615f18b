"""What every feed format needs to know of a story, and of a feed."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import urljoin

from ..soup import soup

# Attributes that hold a URL a feed reader would fetch or follow.
_URL_ATTRIBUTES = {
    "a": ("href",),
    "img": ("src", "srcset"),
    "source": ("src", "srcset"),
    "video": ("src", "poster"),
    "audio": ("src",),
    "iframe": ("src",),
}
# Attributes that hold a list of image candidates, "URL [descriptor]" each.
_SRCSET = "srcset"
# HTML without any of these has no URL to resolve.
_MARKERS = ("href=", "src=", "srcset=", "poster=")
# One srcset candidate's URL, as the HTML standard's parser collects it
# ("parse a srcset attribute"): commas and white space before it skipped, then
# everything up to white space, commas included (a data: URL has them).
_CANDIDATE_URL = re.compile(r"[\s,]*([^\s,]\S*)")
# A feed with no items still needs an `updated`; a fixed instant keeps two
# builds identical (the libraries would use the build time).
EMPTY_FEED_UPDATED = datetime(1970, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class FeedItem:
    """One story in a feed. Text fields are plain text; *_html fields are HTML."""

    id: str
    url: str
    title: str
    authors: tuple[tuple[str, str], ...]  # (name, absolute author page URL)
    published: datetime
    updated: datetime
    summary_html: str
    summary_text: str
    content_html: str
    section: str = ""


@dataclass(frozen=True)
class FeedInfo:
    """One feed document: who it is for, where it lives, and what it holds."""

    title: str
    subtitle: str
    page_url: str
    feed_url: str
    language: str
    author: str
    items: tuple[FeedItem, ...]
    hub: str | None = None
    icon: str | None = None
    logo: str | None = None
    # RFC 5005 links (rel, href): prev-archive, next-archive, current.
    links: tuple[tuple[str, str], ...] = ()
    archive: bool = False
    # Base URL of the site: relative references resolve against it.
    base: str = ""

    @property
    def updated(self) -> datetime:
        """The newest change of any item: never the build time."""
        return max((item.updated for item in self.items), default=EMPTY_FEED_UPDATED)


def _resolve(url: str, base: str) -> str:
    """`url` against `base`, unless it is already absolute."""
    if url.startswith(("http://", "https://", "mailto:")):
        return url
    return urljoin(base, url)


def _resolve_srcset(value: str, base: str) -> str:
    """Each candidate URL of a srcset resolved against `base`.

    Split as the HTML standard does: a candidate's URL ends at white space,
    and a comma ends a candidate only after the URL (a URL may hold commas) or
    at the end of its descriptor. The standard also skips commas inside
    parentheses in a descriptor; no valid descriptor ("2x", "300w") has them,
    so here a comma always ends one.
    """
    candidates = []
    position = 0
    while match := _CANDIDATE_URL.match(value, position):
        url, position = match.group(1), match.end()
        descriptor = ""
        if url.endswith(","):
            url = url.rstrip(",")  # "a.png, b.png 2x": no descriptor
        else:
            end = value.find(",", position)
            end = len(value) if end == -1 else end
            descriptor, position = value[position:end].strip(), end + 1
        candidates.append(f"{_resolve(url, base)} {descriptor}".rstrip())
    return ", ".join(candidates)


def absolutize(html: str, base: str) -> str:
    """`html` with every relative link or source resolved against `base`:
    RSS and JSON Feed have no xml:base, so a reader could not resolve them."""
    if not any(marker in html for marker in _MARKERS):
        return html
    parsed = soup(html)
    changed = False
    for tag in parsed.find_all(list(_URL_ATTRIBUTES)):
        for attribute in _URL_ATTRIBUTES[tag.name]:
            value = tag.get(attribute)
            if not value:
                continue
            resolve = _resolve_srcset if attribute == _SRCSET else _resolve
            resolved = resolve(value, base)
            if resolved != value:
                tag[attribute] = resolved
                changed = True
    return str(parsed) if changed else html
