"""Pelican's content cache at the generator layer: each article kept as Pelican
made it, so that an unchanged post is neither read nor made again.

Pelican's reader cache keeps each post's rendered Markdown, but every build
still makes 10,000 Article objects from it and checks each one: 2-3 s of an
edit at 10,000 stories. Pelican can instead keep the objects themselves
(CONTENT_CACHING_LAYER = "generator"), but it pickles each with its `_context`
and settings, that is with the whole site of the build that made it, and
settings that may have changed since. Here:

* each article is pickled alone, when Pelican has made it and found it valid,
  with the settings and the context as references (pickle's persistent ids),
  which the next build's own settings and context take the place of; an article
  that holds another (a plugin's doing) is simply not kept;
* entries are checked by the post's SHA-256, the stamp Pelican uses, in a
  folder named for the settings and library versions (build.content_cache);
* a build that lacks many articles (a cold one) has them made on every core:
  Pelican's own `read_file`, in forked processes, before Pelican goes through
  the posts (`fill`). A post that logs anything there is left to Pelican, which
  reads it again and logs it where the build counts errors.
"""

from __future__ import annotations

import contextlib
import io
import logging
import os
import pickle
import time
from concurrent.futures.process import BrokenProcessPool
from datetime import timedelta, timezone
from typing import Any

from pelican import signals
from pelican.contents import Article, Content
from pelican.readers import SkipStub

from . import settings as sp
from .collector import paused, spare
from .dates import zone
from .log import get_logger
from .parallel import fork_map, jobs

logger = get_logger(__name__)

# Not Pelican's own file name: Pelican would load it with plain pickle.
CACHE_SUFFIX = "-seedpress.pickle"
# Below this many articles to make, forking costs more than it saves.
PARALLEL_FROM = 100
# The changes of each build are appended to a journal beside the kept
# articles, until it holds this many entries or an eighth of them: then all
# are written again. An edit wrote 75 MB at 10,000 stories, now a few KB.
JOURNAL_UP_TO = 64
_SETTINGS, _CONTEXT = "settings", "context"
# A zone by its offset in seconds: "zone:3600.0".
_ZONE = "zone:"
# Where a generator's KeptArticles are, for derived.py.
KEPT_ARTICLES = "_seedpress_kept_articles"


class _Pickler(pickle.Pickler):
    """Pickles one article; its generator's settings and context by name,
    and its dates' zones (dates.zone) by offset: unpickled, each would be a
    zone object of its own (UTC's excepted), and comparing two dates of two
    objects calls `utcoffset` where one object needs no call (Pelican sorts
    the stories right after it has them)."""

    def __init__(self, file, generator, subject: Content):
        super().__init__(file, protocol=pickle.HIGHEST_PROTOCOL)
        self.settings, self.context, self.subject = generator.settings, generator.context, subject

    def persistent_id(self, obj: Any) -> str | None:
        if obj is self.settings:
            return _SETTINGS
        if obj is self.context:
            return _CONTEXT
        if type(obj) is timezone and obj is zone(offset := obj.utcoffset(None)):
            return f"{_ZONE}{offset.total_seconds()}"
        if isinstance(obj, Content) and obj is not self.subject:
            raise pickle.PicklingError(f"holds another article: {obj.source_path}")
        return None


class _Unpickler(pickle.Unpickler):
    def __init__(self, file, settings: dict, context: dict):
        super().__init__(file)
        self.named = {_SETTINGS: settings, _CONTEXT: context}
        self.contexts = 0  # references to the context loaded

    def persistent_load(self, pid: str) -> Any:
        if pid.startswith(_ZONE):
            return zone(timedelta(seconds=float(pid.removeprefix(_ZONE))))
        self.contexts += pid == _CONTEXT
        return self.named[pid]


def _dumps(generator, content: Content) -> bytes | None:
    """The article as bytes, or None when it cannot be kept."""
    buffer = io.BytesIO()
    try:
        _Pickler(buffer, generator, content).dump(content)
    except (pickle.PicklingError, TypeError, AttributeError) as reason:
        logger.debug("not cached: %s: %s", content.source_path, reason)
        return None
    return buffer.getvalue()


class KeptArticles:
    """A generator's kept articles: {path: (stamp, pickled article)}, in place
    of Pelican's own cache methods on that generator."""

    def __init__(self, generator):
        self.generator = generator
        self.path = kept_path(generator, CACHE_SUFFIX)
        self.preloaded = _PRELOADED.pop(self.path, None)
        if self.preloaded is not None and self.preloaded.settings is not generator.settings:
            self.preloaded = None  # made for another run
        # Entries in the journal, or None: it must be written anew (unreadable).
        if self.preloaded is not None:
            self.entries, self.journaled = self.preloaded.entries, self.preloaded.journaled
        else:
            _, self.entries, self.journaled = open_kept(generator, CACHE_SUFFIX)
        self.asked: set[str] = set()
        self.stored: set[str] = set()
        self.restored: dict[str, Content] = {}
        # Each post's stamp as looked up this build, by its absolute path as
        # the article's source_path is (derived.py checks by it).
        self.stamps: dict[str, bytes] = {}

    def get(self, path: str, default: Any = None) -> Any:
        """Pelican's get_cached_data: the article made from this very post."""
        self.asked.add(path)
        if path in self.restored:
            return self.restored.pop(path)
        found = self._load(path)
        return default if found is None else found

    def _load(self, path: str) -> Content | None:
        """The kept article of an unchanged post, or None. One that cannot be
        loaded (a damaged file, a plugin's class that moved) is dropped, and
        Pelican reads its post again."""
        entry = self.entries.get(path)
        if entry is None:
            return None
        stamp = self._stamp(path)
        if entry[0] != stamp:
            return None
        if self.preloaded is not None:
            found = self.preloaded.take(path, entry[1], self.generator.context)
            if found is not None:
                return found
        try:
            generator = self.generator
            return _Unpickler(io.BytesIO(entry[1]), generator.settings, generator.context).load()
        except Exception as reason:  # whatever unpickling a stale class raises
            logger.debug("kept article of %s dropped: %s", path, reason)
            self.store(path, None)
            return None

    def restore(self, paths: list[str]) -> list[str]:
        """Unpickle the kept articles of `paths` at once, for `get`, with the
        cyclic garbage collector paused: 10,000 articles are half a million
        new objects, and the collections they set off took as long as the
        unpickling itself (1.0 s against 0.4 s, outside the benchmark).
        Returns the paths it has no article for."""
        lacking = []
        with paused():
            for path in paths:
                found = self._load(path)
                if found is None:
                    lacking.append(path)
                else:
                    self.restored[path] = found
        return lacking

    def put(self, path: str, content: Content) -> None:
        """Pelican's cache_data: keep the article as it is now, made and valid."""
        self.store(path, _dumps(self.generator, content))

    def store(self, path: str, blob: bytes | None) -> None:
        self.stored.add(path)
        if blob is None:
            self.entries.pop(path, None)
        else:
            self.entries[path] = (self._stamp(path), blob)

    def _stamp(self, path: str) -> bytes:
        stamp = self.generator._get_file_stamp(path)
        self.stamps[os.path.abspath(os.path.join(self.generator.path, path))] = stamp
        return stamp

    def save(self) -> None:
        """Pelican's save_cache: keep the entries of the posts it read, when
        any changed or went: appended to the journal, or all written anew."""
        gone = self.entries.keys() - self.asked
        changes = {
            path: None if path in gone else self.entries.get(path)
            for path in sorted(self.stored | gone)
        }
        for path in gone:
            del self.entries[path]
        save_kept(self.path, self.entries, changes, self.journaled, "the kept articles")


class _Preloaded:
    """The kept articles of a build's ArticlesGenerator, unpickled before
    Pelican runs (`preload`): with the settings object Pelican will be given,
    and a stand-in for the context it makes (each article's `_context`,
    its only reference to it, put right when the article is taken)."""

    def __init__(self, settings: dict, entries: dict, journaled: int | None):
        self.settings, self.entries, self.journaled = settings, entries, journaled
        self.stand_in: dict = {}
        # {path: (the pickled bytes it was made from, the article)}
        self.articles: dict[str, tuple[bytes, Content]] = {}

    def unpickle(self) -> None:
        for path, entry in self.entries.items():
            try:
                blob = entry[1]
                unpickler = _Unpickler(io.BytesIO(blob), self.settings, self.stand_in)
                found = unpickler.load()
                alone = vars(found).get("_context") is self.stand_in
            except Exception:  # a damaged entry, a stale class: left to `_load`
                continue
            if alone and unpickler.contexts == 1:
                self.articles[path] = (blob, found)

    def take(self, path: str, blob: bytes, context: dict) -> Content | None:
        """The article unpickled from `blob` for `path`, given its context."""
        made_from, found = self.articles.pop(path, (None, None))
        if made_from is not blob:
            return None
        found._context = context
        return found


# The articles `preload` unpickled, by the path they are kept in, until the
# build's ArticlesGenerator takes them (KeptArticles) or the build ends.
_PRELOADED: dict[str, _Preloaded] = {}
# Below this size of kept articles (about 500 stories), unpickling them
# beside the conversion saves less than starting its process costs.
PRELOAD_FROM = 4 * 1024 * 1024


def worth_preloading(cache: dict[str, Any]) -> bool:
    """Whether a build with Pelican's content cache settings `cache`
    (build.content_cache) keeps enough articles to `preload` them."""
    if not (cache.get("LOAD_CONTENT_CACHE") and cache.get("CACHE_PATH")):
        return False
    with contextlib.suppress(OSError):
        return os.path.getsize(_articles_kept(cache)) >= PRELOAD_FROM
    return False


def preload(cache: dict[str, Any], settings: dict) -> None:
    """Unpickle the kept articles of the ArticlesGenerator Pelican will make
    with `settings` (that very dict object, filled by then) and the content
    cache `cache`, while the conversion runs in a child (build.py): 0.4-0.5 s
    at 10,000 stories, which the build spent after the conversion. The
    articles are checked by their stamps as ever when Pelican asks
    (`KeptArticles._load`); an article that holds the context other than
    as its `_context` is left to be unpickled then. What is made is frozen
    out of the collector's scans at once (collector.spare), as `restore`
    does with what it makes."""
    path = _articles_kept(cache)
    preloaded = _Preloaded(settings, *read_kept(path))
    with paused():
        preloaded.unpickle()
    spare()
    _PRELOADED[path] = preloaded


def forget_preloaded() -> None:
    """The build is over: what no generator took goes."""
    _PRELOADED.clear()


JOURNAL = ".journal"


def kept_path(generator, suffix: str) -> str:
    """Where the generator keeps entries named by `suffix` (in its cache folder)."""
    return _kept_in(generator.settings["CACHE_PATH"], type(generator).__name__, suffix)


def _kept_in(cache_path: str, generator_name: str, suffix: str) -> str:
    return os.path.join(cache_path, generator_name + suffix)


def _articles_kept(cache: dict[str, Any]) -> str:
    """Where Pelican's ArticlesGenerator, given the content cache settings
    `cache` (build.content_cache), keeps its articles (`kept_path`)."""
    return _kept_in(cache["CACHE_PATH"], "ArticlesGenerator", CACHE_SUFFIX)


def open_kept(generator, suffix: str) -> tuple[str, dict[str, tuple[bytes, Any]], int | None]:
    """Where the generator keeps entries named by `suffix` (`kept_path`), the
    entries as `read_kept` reads them (none unless Pelican's
    LOAD_CONTENT_CACHE), and how many entries its journal holds."""
    path = kept_path(generator, suffix)
    if not generator.settings.get("LOAD_CONTENT_CACHE"):
        return path, {}, 0
    return path, *read_kept(path)


def read_kept(path: str) -> tuple[dict[str, tuple[bytes, bytes]], int | None]:
    """The kept articles of `path` with its journal's changes applied, and how
    many entries the journal holds (None: a change cut short, by a build that
    was killed while appending it; the changes before it hold, and the next
    save writes everything anew)."""
    entries = load_pickle(path, {})
    if not isinstance(entries, dict):
        entries = {}
    try:
        with open(path + JOURNAL, "rb") as handle:
            journal = handle.read()
    except OSError:
        return entries, 0
    stream, count = io.BytesIO(journal), 0
    while stream.tell() < len(journal):
        try:
            changes = list(pickle.load(stream).items())
        except Exception:  # whatever a record cut short raises
            return entries, None
        for name, entry in changes:
            if entry is None:
                entries.pop(name, None)
            else:
                entries[name] = entry
        count += len(changes)
    return entries, count


def save_kept(
    path: str, entries: dict[str, Any], changes: dict[str, Any], journaled: int | None, what: str
) -> None:
    """Keep `entries` in `path` (as `read_kept` reads them back), which differ
    from what was read by `changes` (None: an entry gone), the journal then
    holding `journaled` entries: appended to the journal, or all written anew
    when it would hold an eighth of them (or JOURNAL_UP_TO), or could not be
    read whole."""
    if not changes:
        return
    if (
        journaled is None
        or journaled + len(changes) > max(JOURNAL_UP_TO, len(entries) // 8)
        or not os.path.isfile(path)
    ):
        save_pickle(path, dict(sorted(entries.items())), what)
        # A journal left behind only holds older entries, each checked by
        # its post's stamp like the rest.
        with contextlib.suppress(OSError):
            os.unlink(path + JOURNAL)
        return
    try:
        with open(path + JOURNAL, "ab") as journal:
            journal.write(pickle.dumps(changes, protocol=pickle.HIGHEST_PROTOCOL))
    except OSError as reason:  # a cache: the site is right without it (as Pelican's)
        logger.warning("could not save %s in %s: %s", what, path, reason)


def load_pickle(path: str, default: Any) -> Any:
    """What `save_pickle` wrote to `path`; `default` when there is none or it
    cannot be read (a cache: the build makes again what it lacks)."""
    # Any exception: unpickling damaged bytes raises almost any kind.
    with contextlib.suppress(Exception), open(path, "rb") as handle, paused():
        return pickle.load(handle)
    return default


def save_pickle(path: str, value: Any, what: str) -> None:
    """Pickle `value` to `path` whole or not at all; a failure is a warning:
    a cache, the site is right without it (as Pelican's own)."""
    partial = path + ".partial"
    try:
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(partial, "wb") as handle:
            pickle.dump(value, handle, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(partial, path)
    except OSError as reason:
        logger.warning("could not save %s in %s: %s", what, path, reason)


def stamp_by_hashes(generator) -> None:
    """Pelican checks each post by its hash (its stamp), which it computes by
    reading the post, for each cache that asks: 30,000 reads and hashes at
    10,000 stories. The build has hashed them already, and knows unchanged
    files by their stat (hashes.FileHashes, SHA-256 as CHECK_MODIFIED_METHOD
    is): Pelican is given those hashes instead."""
    hashes = sp.get(generator.settings, "SEEDPRESS_FILE_HASHES")
    if hashes is None or generator.settings.get("CHECK_MODIFIED_METHOD") != "sha256":
        return

    def stamp(path: str) -> bytes:
        found = hashes.of(path)
        if found is None:
            raise FileNotFoundError(path)  # Pelican's own stamp raises OSError too
        return bytes.fromhex(found)

    # Pelican keeps the function on each cache: the generator's, its readers'.
    for cache in (generator, getattr(generator, "readers", None)):
        if getattr(cache, "_filestamp_func", None) is not None:
            cache._filestamp_func = stamp


def keep_articles(generator) -> None:
    """Pelican's article_generator_init and page_generator_init: the generator
    keeps its articles (or pages) through KeptArticles; for articles, the
    missing ones are made on every core first."""
    settings = generator.settings
    if not settings.get("CACHE_CONTENT") or settings.get("CONTENT_CACHING_LAYER") != "generator":
        return
    stamp_by_hashes(generator)  # the stamps read next: not left to the signals' order
    list_once(generator)
    kept = KeptArticles(generator)
    generator.get_cached_data = kept.get
    generator.cache_data = kept.put
    generator.save_cache = kept.save
    setattr(generator, KEPT_ARTICLES, kept)
    if type(generator).__name__ == "ArticlesGenerator":
        paths = sorted(
            generator.get_files(settings["ARTICLE_PATHS"], exclude=settings["ARTICLE_EXCLUDES"])
        )
        missing = kept.restore(paths)  # each post's stamp looked up once
        if fill(generator, kept, missing):
            kept.restore(missing)
        # Kept for the whole build: spared the collector's scans from now on
        # (collector.collector_spared).
        spare()


def list_once(generator) -> None:
    """The generator lists its posts once per build: Pelican walks the content
    folder again for each use (three at 10,000 stories, 0.2 s each), and
    nothing adds posts while it builds (the build holds the lock)."""
    listing, found = generator.get_files, {}

    def get_files(paths, exclude=None, extensions=None) -> set[str]:
        if extensions not in (None, False) and not extensions and not isinstance(extensions, str):
            # No extension allowed (the disabled readers' check, when none is
            # disabled): Pelican would walk the folder to find nothing.
            return set()
        asked = repr((paths, exclude, extensions))
        if asked not in found:
            found[asked] = listing(paths, exclude, extensions)
        return set(found[asked])

    generator.get_files = get_files


# The generator that forked workers read with (inherited, never pickled).
_WORKER: dict[str, Any] = {}


def fill(generator, kept: KeptArticles, missing: list[str]) -> int:
    """Make, on every core, the `missing` articles; how many were made."""
    processes = jobs(generator.settings)
    if len(missing) < PARALLEL_FROM or processes < 2:
        return 0  # Pelican makes these few itself
    started = time.monotonic()
    _WORKER["generator"] = generator
    made = 0
    try:
        results = fork_map(_make, missing, processes, threshold=PARALLEL_FROM, chunksize=32)
        for done, (path, blob) in enumerate(zip(missing, results, strict=True), 1):
            if blob is not None:
                kept.store(path, blob)
                made += 1
            if done % 2000 == 0:
                logger.info("posts: %d of %d read", done, len(missing))
    except BrokenProcessPool as reason:  # a worker died (out of memory, a signal)
        logger.warning("posts: reading on %d processes failed (%s); read here", processes, reason)
    finally:
        _WORKER.clear()
    seconds = time.monotonic() - started
    logger.info("posts: %d read on %d processes in %.1f s", made, processes, seconds)
    return made


class _Heard(logging.Handler):
    """Whether anything was logged (a post that logs is left to Pelican)."""

    def __init__(self):
        super().__init__(level=logging.WARNING)
        self.heard = False

    def emit(self, record: logging.LogRecord) -> None:
        self.heard = True


def _make(path: str) -> bytes | None:
    """In a worker: the article Pelican makes of `path` (as its
    generate_context does), pickled; None when Pelican should make it itself."""
    generator = _WORKER["generator"]
    root = logging.getLogger()
    heard, handlers = _Heard(), root.handlers[:]
    root.handlers[:] = [heard]  # shown by Pelican's own read, not here
    try:
        article = generator.readers.read_file(
            base_path=generator.path,
            path=path,
            content_class=Article,
            context=generator.context,
            preread_signal=signals.article_generator_preread,
            preread_sender=generator,
            context_signal=signals.article_generator_context,
            context_sender=generator,
        )
        if isinstance(article, SkipStub) or not article.is_valid() or heard.heard:
            return None
        return _dumps(generator, article)
    except Exception:  # Pelican reads it again and reports it
        return None
    finally:
        root.handlers[:] = handlers
