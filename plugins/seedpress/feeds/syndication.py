"""Atom 1.0 and RSS 2.0 files, written with feedgen.

feedgen traps avoided here: add_entry() prepends unless told to append; a feed's
`updated` and RSS `lastBuildDate` default to now (set from the items instead);
the RSS channel <link> is the last link() call; RSS <author> wants an e-mail, so
names go in dc:creator; CDATA content makes invalid Atom, so content is escaped
HTML. One FeedGenerator per file.
"""

from __future__ import annotations

from datetime import UTC, datetime

from feedgen.feed import FeedGenerator

from .model import FeedInfo

# A feed with no items still needs an `updated`; any fixed instant keeps two
# builds identical (feedgen would use the build time).
EMPTY_FEED_UPDATED = datetime(1970, 1, 1, tzinfo=UTC)


def _generator(feed: FeedInfo, self_type: str) -> FeedGenerator:
    generator = FeedGenerator()
    generator.load_extension("dc", atom=False, rss=True)
    generator.id(feed.feed_url)
    generator.title(feed.title)
    generator.subtitle(feed.subtitle)
    generator.description(feed.subtitle)
    generator.language(feed.language)
    generator.author({"name": feed.author})
    generator.link(href=feed.feed_url, rel="self", type=self_type)
    # Last link() call: it becomes the RSS channel <link>.
    generator.link(href=feed.page_url, rel="alternate", type="text/html")
    generator.updated(feed.updated or EMPTY_FEED_UPDATED)
    for item in feed.items:
        entry = generator.add_entry(order="append")
        entry.id(item.id)
        entry.guid(item.id, permalink=False)
        entry.title(item.title)
        entry.link(href=item.url, rel="alternate", type="text/html")
        for name in item.authors:
            entry.author({"name": name})
            entry.dc.dc_creator(name)
        entry.published(item.published)
        entry.updated(item.updated)
        entry.summary(item.summary_html, type="html")
        entry.content(item.content_html, type="html")
    return generator


def atom_bytes(feed: FeedInfo) -> bytes:
    """The feed as an Atom 1.0 document."""
    return _generator(feed, "application/atom+xml").atom_str(pretty=True)


def rss_bytes(feed: FeedInfo) -> bytes:
    """The feed as an RSS 2.0 document (with content:encoded and dc:creator)."""
    return _generator(feed, "application/rss+xml").rss_str(pretty=True)
