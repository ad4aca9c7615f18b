"""The only module that talks to Pelican's signals.

* After articles are read: one bio per author (keyed by author slug; the newest
  seed wins, a conflict is a warning naming both seeds), attached to articles
  and put in the template context as AUTHOR_BIOS.
* After all content is known: the feeds, written by a generator registered
  through `get_generators` (so they see the final article list).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from bs4 import BeautifulSoup
from pelican import signals
from pelican.generators import Generator

from . import settings as sp
from .feeds.model import FeedInfo, FeedItem, absolutize
from .feeds.syndication import atom_bytes, rss_bytes
from .log import get_logger

logger = get_logger(__name__)

FALLBACK_SITEURL = "http://127.0.0.1:8000"


def site_url(settings: dict[str, Any]) -> str:
    """The absolute base URL that feeds and canonical links use."""
    for name in ("FEED_DOMAIN", "SITEURL"):
        value = (settings.get(name) or "").rstrip("/")
        if value.startswith(("http://", "https://")):
            return value
    return FALLBACK_SITEURL


def plain(text: str) -> str:
    """Plain text of an HTML metadata value (title, name): tags removed,
    references decoded once, every other character (NBSP too) kept."""
    if "<" not in text and "&" not in text:
        return text
    return BeautifulSoup(text, "html.parser").get_text()


def add_filters(generator) -> None:
    """Templates get `plain`, for titles in attributes and <title>: Jinja's
    striptags would also fold no-break and other Unicode spaces."""
    generator.env.filters.setdefault("plain", plain)


def attach_bios(generator) -> None:
    """One stored bio per author slug: the newest article's bio wins."""
    bios: dict[str, str] = {}
    bio_seed: dict[str, str] = {}
    articles = sorted(
        generator.articles, key=lambda a: (a.date, a.metadata.get("story_id", ""))
    )
    for article in articles:
        bio = article.metadata.get("bio")
        owner = article.metadata.get("bio_author")
        if not bio or not owner:
            continue
        for author in getattr(article, "authors", ()):
            if author.name != owner:
                continue
            previous = bios.get(author.slug)
            if previous is not None and previous != bio:
                logger.warning(
                    "author %s has different bios in %s and %s; the newer one is used",
                    plain(author.name),
                    bio_seed[author.slug],
                    article.metadata.get("seed", article.source_path),
                )
            bios[author.slug] = bio
            bio_seed[author.slug] = article.metadata.get("seed", article.source_path)
    for article in generator.articles:
        article.author_bios = [
            (author, bios[author.slug])
            for author in getattr(article, "authors", ())
            if author.slug in bios
        ]
        own = article.metadata.get("bio")
        # A bio that belongs to none of the authors stays on its own article only.
        article.loose_bio = None if article.metadata.get("bio_author") else own
    generator.context["AUTHOR_BIOS"] = bios


def link_neighbours(generator) -> None:
    """Older and newer story for each article (Pelican 4.12 has no such field)."""
    ordered = sorted(
        generator.articles, key=lambda a: (a.date, a.metadata.get("story_id", ""))
    )
    for index, article in enumerate(ordered):
        article.prev_article = ordered[index - 1] if index > 0 else None
        article.next_article = ordered[index + 1] if index + 1 < len(ordered) else None


def feed_item(article, base: str) -> FeedItem:
    """A Pelican article as a feed item: absolute links, dek, body and own bio."""
    url = f"{base}/{article.url}"
    dek = article.metadata.get("subtitle")
    summary = article.metadata.get("summary") if dek else None
    summary_html = summary or article.summary
    parts = []
    if dek:
        parts.append(f"<p><strong>{dek}</strong></p>")
    parts.append(article.get_content(base))
    bio = article.metadata.get("bio")
    if bio:
        parts.append(f"<hr>\n<p><em>{bio}</em></p>")
    updated = getattr(article, "modified", None) or article.date
    return FeedItem(
        id=article.metadata.get("story_id") or url,
        url=url,
        title=plain(article.title),
        authors=tuple(plain(a.name) for a in getattr(article, "authors", ())),
        published=article.date,
        updated=max(updated, article.date),
        summary_html=absolutize(str(summary_html), url),
        content_html=absolutize("\n".join(parts), url),
    )


class FeedsGenerator(Generator):
    """Writes the site-wide and per-author Atom and RSS feeds."""

    def generate_context(self) -> None:
        """Feed URLs for templates (autodiscovery links), relative to SITEURL,
        and the absolute site URL for canonical links."""
        self.context["SITE_ABSOLUTE_URL"] = site_url(self.settings)
        self.context["SEEDPRESS_FEEDS"] = {
            "atom": "feeds/all.atom.xml",
            "rss": "feeds/all.rss.xml",
            "author_atom": "feeds/authors/{slug}.atom.xml",
            "author_rss": "feeds/authors/{slug}.rss.xml",
        }

    def generate_output(self, writer) -> None:
        """Write every feed; each is newest first and bounded by the feed limit."""
        base = site_url(self.settings)
        limit = sp.get(self.settings, "SEEDPRESS_FEED_LIMIT")
        articles = sorted(
            self.context.get("articles", []),
            key=lambda a: (a.date, a.metadata.get("story_id", "")),
            reverse=True,
        )
        items = {id(article): feed_item(article, base) for article in articles}
        site_name = plain(self.settings.get("SITENAME", ""))
        language = self.settings.get("DEFAULT_LANG", "en")
        feeds = self.context["SEEDPRESS_FEEDS"]

        def write(name: str, feed_articles: list, title: str, page: str, path: str):
            for kind, render in (("atom", atom_bytes), ("rss", rss_bytes)):
                relative = feeds[kind if not name else f"{name}_{kind}"].format(
                    slug=path
                )
                feed = FeedInfo(
                    title=title,
                    subtitle=self.settings.get("SITESUBTITLE") or title,
                    page_url=page,
                    feed_url=f"{base}/{relative}",
                    language=language,
                    author=site_name,
                    items=tuple(items[id(a)] for a in feed_articles[:limit]),
                )
                self._write(relative, render(feed))

        write("", articles, site_name, f"{base}/", "")
        if sp.get(self.settings, "SEEDPRESS_AUTHOR_FEEDS"):
            by_author: dict[Any, list] = {}
            for article in articles:
                for author in getattr(article, "authors", ()):
                    by_author.setdefault(author, []).append(article)
            for author, written in sorted(by_author.items(), key=lambda kv: kv[0].slug):
                write(
                    "author",
                    written,
                    f"{site_name}: {plain(author.name)}",
                    f"{base}/{author.url}",
                    author.slug,
                )

    def _write(self, relative: str, data: bytes) -> None:
        path = Path(self.output_path) / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        # Unchanged bytes are not rewritten: file times stay, syncs stay small.
        if not path.exists() or path.read_bytes() != data:
            path.write_bytes(data)


def get_generators(_pelican) -> type[Generator]:
    """Pelican asks plugins for extra generators through this signal."""
    return FeedsGenerator


def register() -> None:
    """Connect the receivers; module-level functions, as Pelican keeps weak refs."""
    signals.generator_init.connect(add_filters)
    signals.article_generator_finalized.connect(attach_bios)
    signals.article_generator_finalized.connect(link_neighbours)
    signals.get_generators.connect(get_generators)
