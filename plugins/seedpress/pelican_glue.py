"""The only module that talks to Pelican's signals.

* After articles are read: one bio per author (keyed by author slug; the newest
  seed wins, a conflict is a warning naming both seeds), attached to articles
  and put in the template context as AUTHOR_BIOS.
* After all content is known: the feeds, written by a generator registered
  through `get_generators` (so they see the final article list).
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import Any

from jinja2 import FileSystemBytecodeCache
from pelican import signals
from pelican.generators import Generator
from pelican.utils import (
    strip_toc_elements_from_html,
    truncate_html_paragraphs,
    truncate_html_words,
)

from . import derived, search
from . import settings as sp
from .articlecache import keep_articles
from .collector import spare
from .dates import fixed_offset
from .feeds.archive import archive_path, paginate
from .feeds.catalog import Feed, feed
from .feeds.jsonfeed import json_bytes
from .feeds.model import FeedInfo, FeedItem, absolutize
from .feeds.opml import opml_bytes
from .feeds.syndication import atom_bytes, rss_bytes
from .fingerprint import digest_stories, site_token, story
from .groups import (
    every_story,
    id_order,
    name_groups,
    order_stories,
    show_first_names,
    story_order,
)
from .ledger import LEDGER_NAME, Ledger
from .log import get_logger
from .parallel import jobs
from .periods import group_periods_linearly
from .reader import keep_markdown
from .related import Doc, remembered
from .sitemap import robots_txt, sitemap_bytes
from .soup import soup
from .writer import (
    FROZEN_SAVE_AS,
    SiteWriter,
    recycle_spare,
    static_paths_clear,
    write_new,
)

logger = get_logger(__name__)

FALLBACK_SITEURL = "http://127.0.0.1:8000"
# "Read next" of the last build, beside Pelican's reader cache.
RELATED_CACHE = "seedpress-related.json"


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
    return soup(text).get_text()


def changed(content) -> datetime:
    """When an article or page last changed: its Modified date, never before
    its Date (feeds, sitemap and JSON-LD all use this one rule)."""
    modified = getattr(content, "modified", None)
    return max(modified, content.date) if modified else content.date


def fix_offsets(_generator, metadata: dict[str, Any]) -> None:
    """Pelican's article_ and page_generator_context (a post read, before
    its article is made): its dates at fixed UTC offsets (dates.fixed_offset)."""
    for name in ("date", "modified"):
        if isinstance(metadata.get(name), datetime):
            metadata[name] = fixed_offset(metadata[name])


def add_filters(generator) -> None:
    """Templates get `plain`, for titles in attributes and <title>: Jinja's
    striptags would also fold no-break and other Unicode spaces; and
    `static_version`, for the theme's files they link."""
    generator.env.filters.setdefault("plain", plain)
    theme = Path(generator.settings["THEME"])
    # Each file read and hashed once a build, not once for each page.
    known: dict[str, str] = {}

    def version(name: str) -> str:
        if name not in known:
            known[name] = static_version(theme, name)
        return known[name]

    generator.env.globals.setdefault("static_version", version)


def keep_compiled_templates(generator) -> None:
    """Jinja's compiled templates kept between builds (its bytecode cache), in
    the build's cache folder: each process that renders pages compiled the
    templates it used, every build (0.22 s for the theme's 14, in one
    process; the forked writers each compiled those the queued pages extend
    and import). Jinja checks each by its source's digest, so an edited
    template is compiled again. Only in the cache folder named for the
    settings, versions and code (SEEDPRESS_CACHE_KEYED), and with no other
    plugin (derived.only_seedpress): compiled code also depends on the
    environment's extensions and filters, which another plugin may change."""
    settings = generator.settings
    if (
        not sp.get(settings, "SEEDPRESS_CACHE_KEYED")
        or generator.env.bytecode_cache is not None
        or not derived.only_seedpress(settings)
    ):
        return
    folder = Path(settings["CACHE_PATH"]) / "templates"
    folder.mkdir(parents=True, exist_ok=True)
    generator.env.bytecode_cache = FileSystemBytecodeCache(str(folder))


def static_version(theme: Path, name: str) -> str:
    """A digest of a theme file (`css/site.css`, under the theme's static
    folder), for the link to it to carry: hosts cache theme files for an hour
    and pages for minutes, so after a change of the theme a reader got new
    pages with the old stylesheet for up to an hour. The theme is keyed in
    every page (fingerprint.code_token), so a changed file re-renders them."""
    try:
        data = (theme / "static" / name).read_bytes()
    except OSError:
        return ""  # not there: the link is as it was
    return hashlib.sha256(data).hexdigest()[:12]


def freeze_urls(generator) -> None:
    """Pelican formats an article's URL and file name from its settings on
    every use, and a page asks for dozens (a fifth of a 10,000-story build).
    Once the articles are final these are too: each is formatted once and kept
    in Pelican's own `override_url` and `override_save_as`. Pelican also reads
    an `override_save_as` as the post's own Save_as: (a page that may replace
    another); one set here is marked, for the writer to tell them apart."""
    for article in generator.articles:
        article.override_url = article.url
        if not hasattr(article, "override_save_as"):
            article.override_save_as = article.save_as
            setattr(article, FROZEN_SAVE_AS, True)


class Members(list):
    """A section's or author's stories, with a membership test that does not
    scan the list. Pelican 4.12 writes section and author pages by testing
    every story of the site for membership (`article in articles`): with 10,000
    stories that is 200 million comparisons, 3.7 s a build. Stories compare by
    identity (Content defines no __eq__), so a set of ids answers the same.
    Made once the lists are final; nothing appends to them afterwards."""

    def __init__(self, stories):
        super().__init__(stories)
        self._ids = {id(story) for story in self}

    def __contains__(self, story) -> bool:
        return id(story) in self._ids

    def __reduce__(self):
        # As the list it is (its kind from `members` is made per list).
        return (list, (list(self),))


def members(stories) -> Members:
    """`Members` whose membership test is a set's own, made in C: Pelican
    tests every story against each author (500,000 tests at 10,000 stories
    and 50 authors), and a __contains__ written in Python, called for each,
    took 0.2 s of an edit's single-process part (py-spy). Stories hash by
    identity (Content defines neither __eq__ nor __hash__); one that cannot
    be hashed (another plugin's class) gets the plain `Members`."""
    try:
        found = set(stories)
    except TypeError:
        return Members(stories)
    # The set's bound method, as the class's own: not a descriptor, it is
    # called with the story alone.
    kind = type("Members", (Members,), {"__contains__": found.__contains__})
    return kind(stories)


def index_members(generator) -> None:
    """Each section's and author's list of stories becomes `Members`, in place
    (the context holds the same lists of pairs)."""
    for groups in (generator.categories, generator.authors):
        groups[:] = [(group, members(stories)) for group, stories in groups]


def attach_bios(generator) -> None:
    """One stored bio per author slug: the newest article's bio wins."""
    bios: dict[str, str] = {}
    bio_seed: dict[str, str] = {}
    articles = sorted(generator.articles, key=story_order)
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
    for article in every_story(generator):
        article.author_bios = [
            (author, bios[author.slug])
            for author in getattr(article, "authors", ())
            if author.slug in bios
        ]
        own = article.metadata.get("bio")
        # A bio that belongs to none of the authors stays on its own article only.
        article.loose_bio = None if article.metadata.get("bio_author") else own
    generator.context["AUTHOR_BIOS"] = bios


def link_stories(generator) -> None:
    """Previous/next story, "more from this author" and "read next" for each
    article (Pelican 4.12 has none of these). What this makes is kept for the
    whole build, so it is frozen once made (collector.spare): a full
    collection scanned it in every edit at 10,000 stories."""
    ordered = sorted(generator.articles, key=story_order)
    for index, article in enumerate(ordered):
        article.prev_article = ordered[index - 1] if index > 0 else None
        article.next_article = ordered[index + 1] if index + 1 < len(ordered) else None
    newest_first = ordered[::-1]
    by_author: dict[str, list] = {}
    for article in newest_first:
        for author in getattr(article, "authors", ()):
            by_author.setdefault(author.slug, []).append(article)
    by_url = {article.url: article for article in newest_first}
    docs = [
        Doc(
            key=article.url,
            authors=tuple(a.slug for a in getattr(article, "authors", ())),
            text=" ".join(
                plain(str(part)) for part in (article.title, article.metadata.get("subtitle") or "")
            ),
        )
        for article in newest_first
    ]
    cache = (
        generator.settings.get("CACHE_PATH") if generator.settings.get("CACHE_CONTENT") else None
    )
    read_next = remembered(
        docs, 3, Path(cache) / RELATED_CACHE if cache else None, jobs(generator.settings)
    )
    for article in newest_first:
        more: list = []
        for author in getattr(article, "authors", ()):
            # The newest few are enough: never walk a prolific author's archive.
            for other in by_author[author.slug][:4]:
                if other is not article and other not in more:
                    more.append(other)
        article.more_from_author = more[:3]
        article.read_next = [by_url[url] for url in read_next[article.url]]
    spare()


def describe(article, settings: dict[str, Any]) -> None:
    """Structured data for the article page: one schema.org NewsArticle.

    Made from the story and the settings only: page keys, which cover both,
    leave these attributes out (fingerprint._DERIVED)."""
    base = site_url(settings)
    url = f"{base}/{article.url}"
    description = plain(article.metadata.get("subtitle") or str(article.summary)).strip()
    article.description = description
    site_name = plain(settings.get("SITENAME", ""))
    article.jsonld = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": plain(article.title),
        "description": description,
        "datePublished": article.date.isoformat(timespec="seconds"),
        "dateModified": changed(article).isoformat(timespec="seconds"),
        # The site's own name as a byline (AUTHOR, where a story has none)
        # credits the newsroom, not a person.
        "author": [
            {
                "@type": "Organization" if plain(a.name) == site_name else "Person",
                "name": plain(a.name),
                "url": f"{base}/{a.url}",
            }
            for a in getattr(article, "authors", ())
        ],
        "publisher": {
            "@type": "Organization",
            "name": site_name,
            "url": f"{base}/",
        },
        "mainEntityOfPage": {"@type": "WebPage", "@id": url},
        "url": url,
        "articleSection": plain(article.category.name) if article.category else None,
        "wordCount": int(article.metadata.get("words", 0)) or None,
        "inLanguage": settings.get("DEFAULT_LANG", "en"),
    }
    article.jsonld = {k: v for k, v in article.jsonld.items() if v is not None}


def describe_all(generator) -> None:
    """Structured data for every article (but those given it back: derived.py),
    hidden ones and drafts too: their pages show it as well."""
    for article in every_story(generator):
        if "jsonld" not in vars(article):
            describe(article, generator.settings)


def _summary(article, base: str) -> str:
    """The story's summary with its links against `base`, as Pelican makes it.
    Pelican's own `summary` truncates the content as linked for the page
    rendered last (its `get_summary` ignores the URL it is given): links to
    other posts ({filename}) in a feed differed between a cold build and one
    that linked that page from the last build instead of rendering it."""
    if "summary" in article.metadata:
        return article.metadata["summary"]
    settings = article.settings
    content = article.get_content(base)
    if settings.get("SUMMARY_MAX_PARAGRAPHS") is not None:
        content = truncate_html_paragraphs(content, settings["SUMMARY_MAX_PARAGRAPHS"])
    if settings.get("SUMMARY_MAX_LENGTH") is not None:
        content = truncate_html_words(
            content, settings["SUMMARY_MAX_LENGTH"], settings["SUMMARY_END_SUFFIX"]
        )
    return strip_toc_elements_from_html(content)


def feed_item(article, base: str) -> FeedItem:
    """A Pelican article as a feed item: absolute links, dek, body and own bio."""
    url = f"{base}/{article.url}"
    dek = article.metadata.get("subtitle")
    summary_html = article.metadata.get("summary") if dek else _summary(article, base)
    parts = []
    if dek:
        parts.append(f"<p><strong>{dek}</strong></p>")
    parts.append(article.get_content(base))
    bio = article.metadata.get("bio")
    if bio:
        parts.append(f"<hr>\n<p><em>{bio}</em></p>")
    return FeedItem(
        id=article.metadata.get("story_id") or url,
        url=url,
        title=plain(article.title),
        authors=tuple((plain(a.name), f"{base}/{a.url}") for a in getattr(article, "authors", ())),
        published=article.date,
        updated=changed(article),
        summary_html=absolutize(str(summary_html), url),
        summary_text=plain(dek) if dek else plain(str(summary_html)).strip(),
        content_html=absolutize("\n".join(parts), url),
        section=plain(article.category.name) if article.category else "",
    )


def story_slots(
    articles: list, content_path: Path, ledger: Ledger | None = None
) -> tuple[dict[int, int], int]:
    """Each article's place among all stories ever published, oldest first
    (keyed by id() of the article), and how many places there are.

    Removed stories keep their places through their ledger tombstones, so RFC
    5005 archive pages do not shift when a story is taken down. Posts the ledger
    does not know (hand-written) take their places by date, and leave none
    when removed: the pages after them shift. Sharing the place of the next
    story instead put a back catalogue of such posts in one archive page.
    `ledger`: the conversion's, when the build ran one (else it is loaded).
    """
    ledger = ledger or Ledger.load(content_path / LEDGER_NAME)
    # Ties of time broken as the feeds break them (the id's serial as a
    # number): by text, "…:10" came before "…:2", and a day's stories dated
    # alike had their newest in the oldest archive page.
    keys = [(datetime.fromisoformat(e.published), *id_order(e.id)) for e in ledger.entries.values()]
    known = {}
    for article in articles:
        story_id = article.metadata.get("story_id")
        if story_id in ledger.entries:
            known[id(article)] = story_id
        else:
            known[id(article)] = article.url
            keys.append((article.date, *id_order(article.url)))
    slot_of = {key[-1]: slot for slot, key in enumerate(sorted(keys))}
    return {article: slot_of[key] for article, key in known.items()}, len(keys)


def _absolute(value: str | None, base: str) -> str | None:
    if not value or value.startswith(("http://", "https://")):
        return value
    return f"{base}/{value.lstrip('/')}"


class FeedsGenerator(Generator):
    """Writes every feed (site, sections, authors × Atom, RSS, JSON Feed), the
    RFC 5005 archive of the site-wide Atom feed, the OPML list and the
    subscribe page."""

    def generate_context(self) -> None:
        """The feed catalogue, for autodiscovery links and the subscribe page."""
        base = site_url(self.settings)
        scopes = sp.get(self.settings, "SEEDPRESS_FEED_SCOPES")
        formats = sp.get(self.settings, "SEEDPRESS_FEED_FORMATS")
        title = sp.get(self.settings, "SEEDPRESS_FEED_TITLE")
        name = plain(title or self.settings.get("SITENAME", ""))
        topics = [feed("site", "", name, "", formats)] if "site" in scopes else []
        if "section" in scopes:
            topics += [
                feed("section", c.slug, plain(c.name), c.url, formats)
                for c, _ in self.context.get("categories", [])
            ]
        if "author" in scopes:
            authors = sorted(self.context.get("authors", []), key=lambda a: a[0].slug)
            topics += [feed("author", a.slug, plain(a.name), a.url, formats) for a, _ in authors]
        self.topics = topics
        self.context["SITE_ABSOLUTE_URL"] = base
        self.context["SEEDPRESS_FEEDS"] = topics
        self.context["SEEDPRESS_FEED_INDEX"] = {topic.key: topic for topic in topics}
        # The OPML lists Atom feeds: without them there is none to link.
        self.context["SEEDPRESS_OPML"] = OPML_PATH if "atom" in formats else None

    def generate_output(self, writer) -> None:
        """Write every feed; each is newest first and bounded by the feed limit."""
        self.writer = writer
        base = site_url(self.settings)
        articles = sorted(self.context.get("articles", []), key=story_order, reverse=True)
        items: dict[int, FeedItem] = {}

        def item(article) -> FeedItem:
            # Made only for feeds that are written, not linked from the last build.
            if id(article) not in items:
                items[id(article)] = feed_item(article, base)
            return items[id(article)]

        members: dict[str, list] = {"site": articles}
        for article in articles:
            for topic in self._topics_of(article):
                members.setdefault(topic, []).append(article)
        for topic in self.topics:
            self._write_topic(topic, members.get(topic.key, []), item, base)
        if "atom" in sp.get(self.settings, "SEEDPRESS_FEED_FORMATS"):
            title = plain(self.settings.get("SITENAME", ""))
            opml = opml_bytes(f"{title}: all feeds", self.topics, base)
            self._write(OPML_PATH, None, lambda: opml)
        writer.write_file(
            SUBSCRIBE_PATH,
            self.get_template("subscribe"),
            self.context,
            relative_urls=self.settings["RELATIVE_URLS"],
            page_name="subscribe",
        )

    @staticmethod
    def _topics_of(article) -> list[str]:
        """The keys of the section and author feeds an article is in."""
        authors = dict.fromkeys(f"author:{a.slug}" for a in getattr(article, "authors", ()))
        return [f"section:{article.category.slug}", *authors]

    def _info(self, topic: Feed, fmt: str, items: list, base: str, links: tuple = ()) -> FeedInfo:
        site_name = plain(self.settings.get("SITENAME", ""))
        title = topic.name if topic.scope == "site" else f"{site_name}: {topic.name}"
        return FeedInfo(
            title=title,
            subtitle=plain(self.settings.get("SITESUBTITLE") or title),
            page_url=f"{base}/{topic.page}",
            feed_url=f"{base}/{topic.paths[fmt]}",
            language=self.settings.get("DEFAULT_LANG", "en"),
            author=site_name,
            items=tuple(items),
            hub=sp.get(self.settings, "SEEDPRESS_WEBSUB_HUB"),
            icon=_absolute(sp.get(self.settings, "SEEDPRESS_FEED_ICON"), base),
            logo=_absolute(sp.get(self.settings, "SEEDPRESS_FEED_LOGO"), base),
            base=f"{base}/",
            links=links,
        )

    def _write_topic(self, topic: Feed, articles: list, item, base: str) -> None:
        """The topic's feed in each format; for the site's Atom feed, archives."""
        limit = sp.get(self.settings, "SEEDPRESS_FEED_LIMIT")
        current, pages = articles[:limit], {}
        if (
            topic.scope == "site"
            and "atom" in topic.paths
            and sp.get(self.settings, "SEEDPRESS_FEED_ARCHIVE")
        ):
            slots, count = story_slots(
                articles, Path(self.settings["PATH"]), sp.get(self.settings, "SEEDPRESS_LEDGER")
            )
            current, pages = paginate(articles, lambda a: slots[id(a)], limit, count)
        numbers = sorted(pages)

        def url_of(number: int) -> str:
            return f"{base}/{archive_path(topic.paths['atom'], number)}"

        for fmt, path in topic.paths.items():
            links = (("prev-archive", url_of(numbers[-1])),) if fmt == "atom" and numbers else ()

            def render(fmt=fmt, links=links) -> bytes:
                info = self._info(topic, fmt, [item(a) for a in current], base, links)
                return RENDERERS[fmt](info)

            token = [topic.key, fmt, links, current]
            self._write(path, token, render)
        for index, number in enumerate(numbers):
            links = [("current", f"{base}/{topic.paths['atom']}")]
            if index > 0:
                links.append(("prev-archive", url_of(numbers[index - 1])))
            if index + 1 < len(numbers):
                links.append(("next-archive", url_of(numbers[index + 1])))
            stories = list(reversed(pages[number]))

            def render_archive(stories=stories, links=tuple(links), number=number) -> bytes:
                info = self._info(topic, "atom", [item(a) for a in stories], base, links)
                return atom_bytes(replace(info, feed_url=url_of(number), archive=True))

            token = [topic.key, "archive", number, links, stories]
            self._write(archive_path(topic.paths["atom"], number), token, render_archive)

    def _write(self, relative: str, token: list | None, render) -> None:
        """Write a feed file; Seedpress's writer queues it with the pages, and
        links an unchanged one (same site, same `token`: names, then the
        stories) from the last build."""
        if isinstance(self.writer, SiteWriter) and token is not None:
            *names, stories = token

            def key() -> list:
                # A story linking other content is Unkeyable (story() raises),
                # and its feed is simply written.
                return [site_token(self.context), *names, [story(a) for a in stories]]

            self.writer.write_keyed(relative, key, render)
            return
        write_new(self.writer, relative, render())


RENDERERS = {"atom": atom_bytes, "rss": rss_bytes, "json": json_bytes}
OPML_PATH = "feeds/all.opml"
SITEMAP_PATH = "sitemap.xml"
SUBSCRIBE_PATH = "subscribe/index.html"


class SiteFilesGenerator(Generator):
    """sitemap.xml and robots.txt, from content dates (never the build time)."""

    def generate_output(self, writer) -> None:
        """Write both files into the output folder: the sitemap with the pages
        and feeds, by Seedpress's writer (writer.SiteWriter.write_keyed), in
        its processes: 0.2 s at 10,000 stories, which this process spent
        before the pages; made every time (each edit changes a story's date
        in it). A static file saved as either one is the site's own, copied
        over what is written here (Pelican's static generator runs after
        this one): the sitemap, written after it, is then not made at all."""
        base = site_url(self.settings)
        public = str(self.settings.get("SITEURL", "")).startswith(("http://", "https://"))
        sitemap_url = f"{base}/{SITEMAP_PATH}" if public else None
        write_new(writer, "robots.txt", robots_txt(sitemap_url))
        statics = {os.path.normpath(s.save_as) for s in self.context.get("staticfiles", [])}
        if SITEMAP_PATH in statics:
            return
        if isinstance(writer, SiteWriter):
            writer.write_keyed(SITEMAP_PATH, None, self._sitemap)
        else:
            write_new(writer, SITEMAP_PATH, self._sitemap())

    def _sitemap(self) -> bytes:
        base = site_url(self.settings)
        articles = sorted(self.context.get("articles", []), key=story_order, reverse=True)
        # Each story's date once: sections and authors list them all again.
        when = {id(a): changed(a) for a in articles}

        def newest(items: list) -> datetime | None:
            return max((when.get(id(a)) or changed(a) for a in items), default=None)

        latest = newest(articles)
        pages: list[tuple[str, datetime | None]] = [(f"{base}/", latest)]
        # The indexes of every story, author and section (direct templates):
        # the archives are where a crawler finds each year and month.
        for template in ("archives", "authors", "categories"):
            save_as = self.settings.get(f"{template.upper()}_SAVE_AS")
            if save_as and template in self.settings["DIRECT_TEMPLATES"]:
                url = save_as.removesuffix("index.html")
                pages.append((f"{base}/{url}", latest))
        pages += [(f"{base}/{a.url}", when[id(a)]) for a in articles]
        pages += [
            (f"{base}/{page.url}", changed(page) if hasattr(page, "date") else None)
            for page in self.context.get("pages", [])
        ]
        for group in ("categories", "authors"):
            pages += [
                (f"{base}/{item.url}", newest(items)) for item, items in self.context.get(group, [])
            ]
        periods = self.context.get("period_archives", {})  # years, months (periods.py)
        for granularity in ("year", "month", "day"):
            pages += [
                (f"{base}/{period['url']}", newest(period["dates"]))
                for period in periods.get(granularity, [])
            ]
        # A URL once, as what it first names (a page written where a month's
        # archive would go is the page: writer._archives_make_way).
        unique: dict[str, datetime | None] = {}
        for url, lastmod in pages:
            unique.setdefault(url, lastmod)
        return sitemap_bytes(unique.items())


def stories_queued_first(generator) -> None:
    """Pelican's article_generator_finalized: `stories_queued` runs as soon as
    the generator has queued the stories' own pages (`generate_articles`),
    before their archives, sections and authors: an edit's search bundle
    starts on them that much sooner. In one edit at 10,000 stories (a
    timeline, in-process) the stories were queued 0.12 s into the
    generators' output and the search index planned at 0.41 s. Only when
    Seedpress alone listens to the signals a story may be changed at
    (derived.only_seedpress): another plugin may change the stories at
    article_writer_finalized, and their digests are kept once taken."""
    if not derived.only_seedpress(generator.settings):
        return
    queue = generator.generate_articles

    def generate_articles(write) -> None:
        queue(write)
        # Pelican hands the writer's write_file, its relative_urls set (a partial).
        writer = getattr(getattr(write, "func", None), "__self__", None)
        if isinstance(writer, SiteWriter):
            stories_queued(generator, writer)

    generator.generate_articles = generate_articles


_QUEUED = "_seedpress_stories_queued"


def stories_queued(generator, writer=None) -> None:  # the signal passes the writer
    """Once the stories' pages are queued (not yet written; links in the
    metadata resolved), once a build (`stories_queued_first`, else Pelican's
    article_writer_finalized): every story digested on every core, for the
    search index and the page keys (fingerprint.digest_stories); every value
    derived from each story alone kept (derived.py); and the search index
    planned (search.write_plan)."""
    if getattr(generator, _QUEUED, False):
        return
    setattr(generator, _QUEUED, True)
    stories = [*generator.articles, *generator.translations]
    digest_stories(stories, jobs(generator.settings))
    derived.keep(generator)
    search.write_plan(generator, writer)


def get_writer(_pelican) -> type[SiteWriter]:
    """Pelican asks plugins for a writer through this signal."""
    return SiteWriter


def get_generators(_pelican) -> list[type[Generator]]:
    """Pelican asks plugins for extra generators through this signal."""
    return [FeedsGenerator, SiteFilesGenerator]


def register() -> None:
    """Connect the receivers; module-level functions, as Pelican keeps weak refs."""
    signals.initialized.connect(recycle_spare)
    signals.readers_init.connect(keep_markdown)
    signals.page_writer_finalized.connect(static_paths_clear)
    signals.generator_init.connect(add_filters)
    signals.generator_init.connect(keep_compiled_templates)
    # Sent once the generator's own cache is set up (generator_init is not).
    signals.article_generator_context.connect(fix_offsets)
    signals.page_generator_context.connect(fix_offsets)
    signals.article_generator_init.connect(keep_articles)
    signals.article_generator_init.connect(group_periods_linearly)
    signals.page_generator_init.connect(keep_articles)
    signals.article_generator_pretaxonomy.connect(order_stories)
    signals.article_generator_pretaxonomy.connect(name_groups)
    signals.article_generator_finalized.connect(derived.reuse)  # before what derives them
    signals.article_generator_finalized.connect(freeze_urls)
    signals.article_generator_finalized.connect(show_first_names)
    signals.article_generator_finalized.connect(index_members)
    signals.article_generator_finalized.connect(attach_bios)
    signals.article_generator_finalized.connect(link_stories)
    signals.article_generator_finalized.connect(describe_all)
    signals.article_generator_finalized.connect(search.plan)
    signals.article_generator_finalized.connect(stories_queued_first)
    signals.article_writer_finalized.connect(stories_queued)
    signals.get_generators.connect(get_generators)
    signals.get_writer.connect(get_writer)
