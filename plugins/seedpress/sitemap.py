"""sitemap.xml (sitemaps.org 0.9) and robots.txt, from content dates only."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from lxml import etree

NS = "http://www.sitemaps.org/schemas/sitemap/0.9"


def sitemap_bytes(pages: Iterable[tuple[str, datetime | None]]) -> bytes:
    """One <url> per (absolute URL, last change); lastmod comes from content,
    never from the build, so two builds give the same file."""
    root = etree.Element(f"{{{NS}}}urlset", nsmap={None: NS})
    for url, lastmod in pages:
        node = etree.SubElement(root, f"{{{NS}}}url")
        etree.SubElement(node, f"{{{NS}}}loc").text = url
        if lastmod is not None:
            etree.SubElement(node, f"{{{NS}}}lastmod").text = lastmod.isoformat(timespec="seconds")
    return etree.tostring(root, pretty_print=True, xml_declaration=True, encoding="UTF-8")


def robots_txt(sitemap_url: str | None) -> bytes:
    """Allow everything; name the sitemap when the site has a public URL."""
    lines = ["User-agent: *", "Allow: /"]
    if sitemap_url:
        lines.append(f"Sitemap: {sitemap_url}")
    return ("\n".join(lines) + "\n").encode("ascii")
