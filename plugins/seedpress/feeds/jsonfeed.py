"""JSON Feed 1.1 documents (https://jsonfeed.org/version/1.1), with json.dumps."""

from __future__ import annotations

import json
from datetime import datetime

from .model import FeedInfo

VERSION = "https://jsonfeed.org/version/1.1"


def _date(moment: datetime) -> str:
    return moment.isoformat(timespec="seconds")


def json_bytes(feed: FeedInfo) -> bytes:
    """The feed as JSON Feed 1.1; item ids are the Atom ids."""
    document: dict = {
        "version": VERSION,
        "title": feed.title,
        "home_page_url": feed.page_url,
        "feed_url": feed.feed_url,
        "description": feed.subtitle,
        "language": feed.language,
        "authors": [{"name": feed.author}],
    }
    if feed.icon:
        # JSON Feed 1.1 wants both square: `icon` large (512 x 512), `favicon`
        # small. The one square image there is serves both (a reader scales
        # it); the wide logo, Atom's <logo>, fits neither.
        document["icon"] = feed.icon
        document["favicon"] = feed.icon
    if feed.hub:
        document["hubs"] = [{"type": "WebSub", "url": feed.hub}]
    document["items"] = [
        {
            "id": item.id,
            "url": item.url,
            "title": item.title,
            "content_html": item.content_html,
            "summary": item.summary_text,
            "date_published": _date(item.published),
            "date_modified": _date(item.updated),
            "authors": [
                {"name": name, "url": url} if url else {"name": name} for name, url in item.authors
            ],
            **({"tags": [item.section]} if item.section else {}),
            "language": feed.language,
        }
        for item in feed.items
    ]
    text = json.dumps(document, ensure_ascii=False, indent=1)
    return (text + "\n").encode("utf-8")
