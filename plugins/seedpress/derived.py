"""What a build derives from each story alone, kept for the next build.

Once Pelican has made the articles, Seedpress derives from each one, with the
settings and its own code, the story's URL and file name, formatted once
(pelican_glue.freeze_urls), its structured data (pelican_glue.describe), its
digest (fingerprint.story) and whether it links other content. In an edit at
10,000 stories that took about 1.5 s (in-process timings, outside the
benchmark), for 9,999 stories whose values came out as the last build's.

They are kept beside the kept articles (articlecache.py), and a story gets
them back instead of deriving them again when all they are made of is as it
was:

* its post's stamp (SHA-256) and its authors' and section's slugs (which
  other stories can change: groups.py) are the ones they were derived with;
  the folder they are kept in is named, as the kept articles' is, for the
  settings, the library versions and Seedpress's code (build.content_cache);
* the story links no other content ({filename}, {static}, {attach}) in its
  HTML or in a formatted metadata field: such a link shows another story's URL;
* Seedpress is the only plugin, and nothing else listens to Pelican's signals
  for articles: another may change a story at any of them, from what the
  other stories hold.
"""

from __future__ import annotations

import weakref
from typing import Any, NamedTuple

from pelican import signals
from pelican.contents import Content

from . import settings as sp
from .articlecache import KEPT_ARTICLES, KeptArticles, open_kept, save_kept
from .fingerprint import _LINKS, _STORY, links_in, links_other_content
from .writer import FROZEN_SAVE_AS

VALUES_SUFFIX = "-seedpress-derived.pickle"
# Where a generator's KeptValues are, for the handlers that use them.
_KEPT_VALUES = "_seedpress_kept_values"


class Derived(NamedTuple):
    """One story's derived values."""

    url: str
    # None: the story names its own file (Save_as:), which its article keeps.
    save_as: str | None
    # None: no digest was taken (fingerprint.Unkeyable).
    story: str | None
    description: str
    jsonld: dict[str, Any]


class KeptValues:
    """A generator's kept derived values: {path: (stamp, Derived)}."""

    def __init__(self, generator, kept: KeptArticles):
        self.stamps = kept.stamps
        # With the entries in the journal beside them (articlecache.save_kept).
        self.path, self.records, self.journaled = open_kept(generator, VALUES_SUFFIX)
        self.reused: set[str] = set()
        # Stories whose formatted fields link other content: never kept.
        self.linking: set[str] = set()

    def reuse(self, articles: list[Content]) -> None:
        """Give each story its kept values, where they still hold."""
        for article in articles:
            path = article.source_path
            if _links_in_fields(article):
                self.linking.add(path)
                continue
            record = self.records.get(path)
            if not _usable(record) or record[0] != self._stamp(article):
                continue
            values = record[1]
            article.override_url = values.url
            if values.save_as is not None and not hasattr(article, "override_save_as"):
                article.override_save_as = values.save_as
                setattr(article, FROZEN_SAVE_AS, True)
            if values.story is not None:
                setattr(article, _STORY, values.story)
            setattr(article, _LINKS, False)
            article.description, article.jsonld = values.description, values.jsonld
            self.reused.add(path)

    def _stamp(self, article: Content) -> tuple:
        """What the values are derived from: the post (its SHA-256), and the
        slugs of its authors and section, which other stories can change
        (groups.name_groups)."""
        groups = [*getattr(article, "authors", ()), getattr(article, "category", None)]
        return (self.stamps.get(article.source_path), [getattr(g, "slug", None) for g in groups])

    def keep(self, articles: list[Content]) -> None:
        """Record each story's values as derived now; the changes are kept."""
        records: dict[str, tuple[tuple, Derived]] = {}
        changes: dict[str, tuple[tuple, Derived] | None] = {}
        for article in articles:
            path = article.source_path
            stamp = self._stamp(article)
            if path in self.reused:
                records[path] = self.records[path]
            elif (
                stamp[0] is not None
                and path not in self.linking
                and "jsonld" in vars(article)
                and not links_other_content(article)
            ):
                records[path] = changes[path] = (stamp, _derived(article))
        changes |= dict.fromkeys(self.records.keys() - records.keys())
        save_kept(self.path, records, changes, self.journaled, "the kept story values")
        self.records = records


def _derived(article: Content) -> Derived:
    vars_ = vars(article)
    return Derived(
        url=article.url,
        save_as=article.override_save_as if vars_.get(FROZEN_SAVE_AS) else None,
        story=vars_.get(_STORY),
        description=article.description,
        jsonld=article.jsonld,
    )


def _usable(record: Any) -> bool:
    """Whether a loaded record has the shape this code keeps."""
    return isinstance(record, tuple) and len(record) == 2 and isinstance(record[1], Derived)


def _links_in_fields(article: Content) -> bool:
    """Whether a formatted metadata field (the summary, say) links other
    content. Checked on the article as made: Pelican puts the URLs in later."""
    fields = article.settings.get("FORMATTED_FIELDS", ())
    return links_in(article, (article.metadata.get(name) for name in fields))


# The signals at which something may change a story before its values are kept.
_STORY_SIGNALS = (
    signals.article_generator_preread,
    signals.article_generator_context,
    signals.content_object_init,
    signals.article_generator_pretaxonomy,
    signals.article_generator_finalized,
    signals.all_generators_finalized,
    signals.article_generator_write_article,
    signals.article_writer_finalized,
)


def only_seedpress(settings: dict[str, Any]) -> bool:
    """Whether Seedpress is the only plugin of the build, and the only one
    listening to the signals a story may be changed at (a settings file or an
    earlier build in the same process may connect others)."""
    if any(getattr(p, "__name__", p) != "seedpress" for p in settings.get("PLUGINS") or ()):
        return False
    for signal in _STORY_SIGNALS:
        for receiver in signal.receivers.values():
            found = receiver() if isinstance(receiver, weakref.ref) else receiver
            module = getattr(found, "__module__", None) or ""
            if found is not None and not module.startswith("seedpress."):
                return False
    return True


def reuse(generator) -> None:
    """Pelican's article_generator_finalized, before the handlers that derive
    these values (which skip a story that has them)."""
    kept = getattr(generator, KEPT_ARTICLES, None)
    settings = generator.settings
    keyed = sp.get(settings, "SEEDPRESS_CACHE_KEYED")  # else what was kept may not fit
    if kept is None or not keyed or not only_seedpress(settings):
        return
    values = KeptValues(generator, kept)
    setattr(generator, _KEPT_VALUES, values)
    values.reuse(generator.articles)


def keep(generator) -> None:
    """Once every value is derived (pelican_glue.stories_queued): record them."""
    kept = getattr(generator, _KEPT_VALUES, None)
    if kept is not None:
        kept.keep(generator.articles)
