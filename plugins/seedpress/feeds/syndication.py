"""Atom 1.0 and RSS 2.0 documents, written with feedgen (and lxml for the rest).

feedgen traps avoided here: add_entry() prepends unless told to append; a feed's
`updated` and RSS `lastBuildDate` default to now (set from the items instead);
the RSS channel <link> is the last link() call; RSS <author> wants an e-mail, so
names go in dc:creator; CDATA content makes invalid Atom, so content is escaped
HTML. One FeedGenerator per document.

What feedgen cannot say (xml:base, RFC 5005's fh:archive) is added to its lxml
tree before serialising.
"""

from __future__ import annotations

from feedgen.feed import FeedGenerator
from lxml import etree

from .model import FeedInfo

ATOM_NS = "http://www.w3.org/2005/Atom"
ARCHIVE_NS = "http://purl.org/syndication/history/1.0"
XML_BASE = "{http://www.w3.org/XML/1998/namespace}base"


def _generator(feed: FeedInfo, self_type: str) -> FeedGenerator:
    generator = FeedGenerator()
    generator.load_extension("dc", atom=False, rss=True)
    generator.id(feed.feed_url)
    generator.title(feed.title)
    generator.subtitle(feed.subtitle)
    generator.description(feed.subtitle)
    generator.language(feed.language)
    generator.author({"name": feed.author})
    if feed.icon:
        generator.icon(feed.icon)
    if feed.logo:
        generator.logo(feed.logo)
        generator.image(url=feed.logo, title=feed.title, link=feed.page_url)
    generator.link(href=feed.feed_url, rel="self", type=self_type)
    if feed.hub:
        generator.link(href=feed.hub, rel="hub")
    for rel, href in feed.links:
        generator.link(href=href, rel=rel, type=self_type)
    # Last link() call: it becomes the RSS channel <link>.
    generator.link(href=feed.page_url, rel="alternate", type="text/html")
    generator.updated(feed.updated)
    for item in feed.items:
        entry = generator.add_entry(order="append")
        entry.id(item.id)
        entry.guid(item.id, permalink=False)
        entry.title(item.title)
        entry.link(href=item.url, rel="alternate", type="text/html")
        for name, url in item.authors:
            entry.author({"name": name, "uri": url} if url else {"name": name})
            entry.dc.dc_creator(name)
        if item.section:
            entry.category(term=item.section)
        entry.published(item.published)
        entry.updated(item.updated)
        entry.summary(item.summary_html, type="html")
        entry.content(item.content_html, type="html")
    return generator


def _serialise(root: etree._Element) -> bytes:
    return etree.tostring(root, pretty_print=True, xml_declaration=True, encoding="UTF-8")


def atom_bytes(feed: FeedInfo) -> bytes:
    """The feed as an Atom 1.0 document (RFC 4287; RFC 5005 for archives)."""
    root = etree.fromstring(_generator(feed, "application/atom+xml").atom_str())
    # Relative references resolve against the site, and in an entry's content
    # against the article, never against the feed's own URL.
    root.set(XML_BASE, feed.base or feed.page_url)
    for entry, item in zip(root.iterfind(f"{{{ATOM_NS}}}entry"), feed.items, strict=True):
        entry.set(XML_BASE, item.url)
    if feed.archive:
        marker = etree.Element(f"{{{ARCHIVE_NS}}}archive", nsmap={"fh": ARCHIVE_NS})
        first_entry = root.find(f"{{{ATOM_NS}}}entry")
        if first_entry is None:
            root.append(marker)
        else:
            first_entry.addprevious(marker)
    return _serialise(root)


def rss_bytes(feed: FeedInfo) -> bytes:
    """The feed as an RSS 2.0 document (with content:encoded and dc:creator)."""
    document = _generator(feed, "application/rss+xml").rss_str(pretty=True)
    if not feed.hub:
        return document
    # feedgen's RSS writes only the rel="self" atom:link; WebSub discovery
    # (W3C WebSub 4) needs the hub's beside it.
    root = etree.fromstring(document)
    own = root.find(f"channel/{{{ATOM_NS}}}link[@rel='self']")
    hub = etree.Element(f"{{{ATOM_NS}}}link", href=feed.hub, rel="hub")
    hub.tail = own.tail
    own.addnext(hub)
    return _serialise(root)
