"""An OPML 2.0 subscription list of every feed topic, for one-step import."""

from __future__ import annotations

from collections.abc import Sequence

from lxml import etree

from .catalog import Feed

GROUPS = (("site", "Everything"), ("section", "Sections"), ("author", "Authors"))


def opml_bytes(title: str, feeds: Sequence[Feed], base: str, fmt: str = "atom") -> bytes:
    """One outline per topic (its `fmt` feed), grouped by scope.

    Only one format per topic: importing every format would subscribe a reader
    to each story two or three times.
    """
    root = etree.Element("opml", version="2.0")
    head = etree.SubElement(root, "head")
    etree.SubElement(head, "title").text = title
    body = etree.SubElement(root, "body")
    for scope, label in GROUPS:
        topics = [f for f in feeds if f.scope == scope and fmt in f.paths]
        if not topics:
            continue
        group = etree.SubElement(body, "outline", text=label, title=label)
        for topic in topics:
            etree.SubElement(
                group,
                "outline",
                type="rss",
                text=topic.name,
                title=topic.name,
                xmlUrl=f"{base}/{topic.paths[fmt]}",
                htmlUrl=f"{base}/{topic.page}",
            )
    return etree.tostring(root, pretty_print=True, xml_declaration=True, encoding="UTF-8")
