"""What every feed format needs to know of a story, and of a feed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urljoin

from bs4 import BeautifulSoup

# Attributes that hold a URL a feed reader would fetch or follow.
_URL_ATTRIBUTES = {"a": "href", "img": "src", "source": "src", "video": "src"}


@dataclass(frozen=True)
class FeedItem:
    """One story in a feed. Text fields are plain text; *_html fields are HTML."""

    id: str
    url: str
    title: str
    authors: tuple[str, ...]
    published: datetime
    updated: datetime
    summary_html: str
    content_html: str


@dataclass(frozen=True)
class FeedInfo:
    """One feed file: who it is for, where it lives, and what it holds."""

    title: str
    subtitle: str
    page_url: str
    feed_url: str
    language: str
    author: str
    items: tuple[FeedItem, ...]

    @property
    def updated(self) -> datetime | None:
        """The newest change of any item: never the build time."""
        return max((item.updated for item in self.items), default=None)


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
