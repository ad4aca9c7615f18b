"""What every feed format needs to know of a story, and of a feed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import urljoin

from bs4 import BeautifulSoup

# Attributes that hold a URL a feed reader would fetch or follow.
_URL_ATTRIBUTES = {
    "a": "href",
    "img": "src",
    "source": "src",
    "video": "src",
    "audio": "src",
    "iframe": "src",
}
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


def absolutize(html: str, base: str) -> str:
    """`html` with every relative link or source resolved against `base`."""
    if "href=" not in html and "src=" not in html:
        return html
    soup = BeautifulSoup(html, "html.parser")
    changed = False
    for tag in soup.find_all(list(_URL_ATTRIBUTES)):
        attribute = _URL_ATTRIBUTES[tag.name]
        value = tag.get(attribute)
        if value and not value.startswith(("http://", "https://", "mailto:")):
            tag[attribute] = urljoin(base, value)
            changed = True
    return str(soup) if changed else html
