"""Stories in a stable order, and each author and section under a slug of its own.

Both at Pelican's article_generator_pretaxonomy: the stories are ordered, and
not yet grouped into sections and authors (which Pelican does next, keying
each group by its slug).
"""

from __future__ import annotations

import hashlib
import unicodedata
from collections import defaultdict

from pelican.contents import Content
from pelican.generators import ArticlesGenerator
from pelican.urlwrappers import URLWrapper
from pelican.utils import order_content

# The slug of a name with nothing to keep in a URL ("???", an emoji).
FALLBACK = {"Author": "author", "Category": "section"}
# The longest slug (in bytes) a name keeps whole: the file system's 255 bytes
# a file name, less the longest ending a slug's file is given (an archive
# page of its feed, "<slug>-99999.atom.xml"). A longer slug failed the whole
# build (a byline of 22 words, a section folder of 75 Chinese characters), so
# no published URL had one; it is cut at a word and given a suffix made from
# the name, so that two long names that begin alike keep a slug each.
MAX_SLUG = 255 - len("-99999.atom.xml")


# Where a story keeps its place in `story_order`.
_ORDER = "_seedpress_order"


def story_order(article: Content) -> tuple:
    """Oldest first: by time, then story id, then slug (a slug, not the URL,
    which Pelican formats anew each time it is asked: 0.2 s at 10,000).

    Kept on the story: a build sorts the 10,000 stories six times over (0.2 s
    of an edit's single-process part, sampled with py-spy), and what the key
    is made of is fixed once Pelican has made the story."""
    known = article.__dict__.get(_ORDER)
    if known is None:
        story_id = article.metadata.get("story_id", "")
        known = (article.date, *id_order(story_id), getattr(article, "slug", ""))
        article.__dict__[_ORDER] = known
    return known


def id_order(story_id: str) -> tuple[str, int, str]:
    """A story id as it sorts: its serial as a number ("…:9" before "…:12",
    which text puts after: a day's stories imported in one minute were listed
    9, 8, …, 2, 12, 11, 10, 1)."""
    head, _, serial = story_id.rpartition(":")
    if serial.isdigit():
        return (head, int(serial), story_id)
    return (story_id, -1, story_id)


def story_lists(generator: ArticlesGenerator) -> tuple[list, list, list]:
    """The generator's lists of stories, in place: published, hidden, drafts
    (each page of any of them shows its story's bios and JSON-LD)."""
    return (generator.articles, generator.hidden_articles, generator.drafts)


def every_story(generator: ArticlesGenerator) -> list:
    """Every story the generator made: published, hidden and drafts."""
    return [story for stories in story_lists(generator) for story in stories]


def order_stories(generator: ArticlesGenerator) -> None:
    """Pelican orders the stories by ARTICLE_ORDER_BY (newest first), but keeps
    stories that tie (two published the same minute) in the order it listed
    their files: a set's, which changes with Python's hash seed from process
    to process, and so did the listing pages. Ties are broken as the feeds
    break them (`story_order`)."""
    order_by = generator.settings["ARTICLE_ORDER_BY"]
    for stories in story_lists(generator):
        stories.sort(key=story_order, reverse=True)  # newest first, ties broken
        if order_by != "reversed-date":  # which that sort is already
            order_content(stories, order_by)  # stable: ties stay as sorted above


def _identity(name: str) -> str:
    """Names that differ only in case or Unicode normalisation are one."""
    return unicodedata.normalize("NFKC", name).casefold()


def name_groups(generator: ArticlesGenerator) -> None:
    """Give each author and each section a slug of its own.

    Pelican makes an author's or section's slug from the name alone, and takes
    two with the same slug for one: 王伟 and 王薇 are both "wang-wei", and
    would share one page, one feed and one bio. A name with nothing to keep
    ("???") gets an empty slug, and its page, "authors//index.html", failed
    the whole build. So each name keeps Pelican's slug ("author" or "section"
    when it is empty) unless a name published earlier has it; a later name
    that shares it gets a suffix made from the name itself, so that stories
    published since change neither. Published stories claim slugs first, in
    order of publication, then hidden ones and drafts: a draft never takes
    the slug of a published name.
    """
    by_name: dict[str, list[URLWrapper]] = defaultdict(list)  # first claim first
    keys: dict[tuple[type, str], str] = {}  # a name's key, made once per name
    for stories in story_lists(generator):
        for article in sorted(stories, key=story_order):
            for wrapper in (
                *getattr(article, "authors", ()),
                getattr(article, "author", None),
                getattr(article, "category", None),
            ):
                if isinstance(wrapper, URLWrapper):
                    asked = (type(wrapper), wrapper.name)
                    key = keys.get(asked)
                    if key is None:
                        key = keys[asked] = f"{asked[0].__name__}:{_identity(asked[1])}"
                    by_name[key].append(wrapper)
    taken: set[str] = set()  # kind:slug, every slug given
    shown: dict[tuple[str, str], URLWrapper] = {}  # the name each group is shown by
    for name, wrappers in by_name.items():
        first = wrappers[0]
        kind = type(first).__name__
        # Pelican's slug for the kind (its regex substitutions), without the
        # warning its `slug` logs for an empty one.
        base = first._normalize_key(first.name) or FALLBACK.get(kind, "page")
        suffix = hashlib.sha256(name.encode()).hexdigest()
        if len(base.encode()) > MAX_SLUG:  # bytes: SLUGIFY_USE_UNICODE keeps non-ASCII
            base = f"{_cut(base, MAX_SLUG - 9)}-{suffix[:8]}"
        slug, length = base, 6
        while f"{kind}:{slug}" in taken:  # a suffixed slug may be a name's own too
            slug, length = f"{base}-{suffix[:length]}", length + 2
        taken.add(f"{kind}:{slug}")
        for wrapper in wrappers:
            wrapper.slug = slug
        shown[kind, slug] = first
    setattr(generator, _FIRST, shown)


def _cut(slug: str, size: int) -> str:
    """The slug's first words that fit in `size` bytes of UTF-8 (a first word
    that does not fit is cut)."""
    kept = ""
    for word in slug.split("-"):
        longer = f"{kept}-{word}" if kept else word
        if len(longer.encode()) > size:
            break
        kept = longer
    return kept or slug.encode()[:size].decode(errors="ignore")


# The wrapper of each author's and section's first published name, by kind and
# slug (name_groups), for the group's own page and feeds (show_first_names).
_FIRST = "_seedpress_first_names"


def show_first_names(generator: ArticlesGenerator) -> None:
    """Each author and section is shown, on its page and in its feeds' titles,
    by the spelling of its first published story. Pelican shows the newest
    story's: one byline in capitals ("SAMUEL OSEI") renamed the author's
    page and feeds until the next story. The lists are changed in place (the
    context holds the same lists)."""
    first = getattr(generator, _FIRST, {})
    for groups in (generator.categories, generator.authors):
        groups[:] = [
            (first.get((type(group).__name__, group.slug), group), stories)
            for group, stories in groups
        ]
