"""Pelican's writer, made incremental and parallel.

Pelican renders and writes every page on every build, on one core. This writer
(given to Pelican through the `get_writer` signal):

* keys each page (fingerprint.py) and, when the previous build wrote the same
  page from the same key, hard-links that file instead of rendering it: an
  edited story re-renders its own page and the pages that show it;
* queues the pages and feeds while the generators run, and makes them at the
  end on every core, in forked processes that share the finished context;
* records the keys beside the pages (a hidden file, swapped in with the site,
  so keys and pages never disagree).
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from pelican import signals
from pelican.contents import Content
from pelican.utils import get_relative_path, path_to_url, sanitised_join
from pelican.writers import Writer

from . import settings as sp
from .atomic import Recycled, clear_kept, link_or_copy, same_file
from .fingerprint import Unkeyable, digest, links_other_content, page_key
from .log import ErrorLog, get_logger
from .parallel import fork_map, jobs
from .periods import TEMPLATE as PERIODS
from .search import BUNDLE

logger = get_logger(__name__)

KEYS_FILE = ".seedpress-pages.json"
# Marks an article whose `override_save_as` is its usual file name, formatted
# once (pelican_glue.freeze_urls), not a Save_as: of its own.
FROZEN_SAVE_AS = "_seedpress_frozen_save_as"
PROGRESS_EVERY = 2000
# Single pages a worker takes at a time: fewer round trips to the parent
# (each a few tenths of a millisecond; a batch of unchanged pages takes 10 ms).
BATCH = 64
# Below this many pages a second process costs more than it saves.
PARALLEL_FROM = 200
_PAGE_PARTS = ("paginator", "page", "previous_page", "next_page")
_ABSENT = object()
# Writer.write_file's parameters that a queued page's variables hold.
_PELICANS = frozenset({"template_name", "override_output", "url"})


class Reused(str):
    """What a template "renders" when the previous build's file is still right:
    the writer links that file instead of writing text."""

    source: str


class PageKeys:
    """The keys of the previous build's files and of this build's."""

    def __init__(self, output: Path, previous: Path | None):
        self.output = output
        self.previous = previous
        self.old: dict[str, str] = {}
        if previous is not None:
            with contextlib.suppress(OSError, ValueError):
                self.old = json.loads((previous / KEYS_FILE).read_text())
        self.new: dict[str, str] = {}
        self.rendered = 0
        self.reused = 0

    def reusable(self, relative: str, key: str | None) -> Path | None:
        """The previous build's file for `relative`, if made from `key`. Every
        page is recorded, one without a key too (as null): the next build
        tidies the folders of the pages that went (SiteWriter._tidy)."""
        # By the file: a Save_as of "./feeds/x.xml" is the feed's file, which
        # the next build, seeing the name gone, removed as a page gone.
        relative = os.path.normpath(relative)
        self.new[relative] = key
        if key is None or self.previous is None or self.old.get(relative) != key:
            return None
        source = self.previous / relative
        return source if source.is_file() else None

    def save(self) -> None:
        # One page a line; without `indent`, as json's C encoder needs.
        text = json.dumps(self.new, sort_keys=True, separators=(",\n", ":"))
        (self.output / KEYS_FILE).write_text(text)


# The recycled folders of each build, by its staging folder's absolute path:
# started when Pelican is set up (`recycle_spare`), taken by its writer; and
# the page keys read to start it, which the writer takes too.
_RECYCLED: dict[str, Recycled] = {}
_KEYS: dict[str, PageKeys] = {}
# How long each build's writer took to make its pages, by its staging
# folder's absolute path, for the build's stages (`take_seconds`).
_SECONDS: dict[str, float] = {}


def recycle_spare(pelican) -> None:
    """Pelican's `initialized` signal: start emptying the spare site into the
    staging folder (atomic.Recycled). Not when Pelican is to empty the output
    folder itself first, which would race with it."""
    settings = pelican.settings
    previous = sp.get(settings, "SEEDPRESS_PREVIOUS_OUTPUT")
    staging = os.path.abspath(settings["OUTPUT_PATH"])
    settle_recycled(staging)  # of a run that failed before making its writer
    if previous and not settings.get("DELETE_OUTPUT_DIRECTORY"):
        # The search index's bundles are left whole: the index keeps what is
        # still right in them (search.Indexing), 10,000 files at 10,000 stories.
        whole = [BUNDLE] if sp.get(settings, "SEEDPRESS_SEARCH") else []
        # The pages and feeds of the live site stay where the spare has the
        # same file, for the writer to find (SiteWriter.link_reused).
        keys = PageKeys(Path(staging), Path(previous))
        recycled = Recycled.start(Path(previous), Path(staging), whole, keys.old)
        if recycled is not None:
            _RECYCLED[staging], _KEYS[staging] = recycled, keys


def _close_answers() -> None:
    """In any process forked from a build (workers): close its copies of the
    recycling answers' reading ends, so that a recycling child whose build
    died fails to send instead of waiting for them."""
    for recycled in _RECYCLED.values():
        recycled.close_answer()


os.register_at_fork(after_in_child=_close_answers)


def static_paths_clear(generator, writer=None) -> None:  # the signal passes the writer
    """Pelican's page_writer_finalized, the last signal before the static
    generator copies its files: a recycled site may have an empty folder
    where a static file goes now (a page's folder two builds ago), a page
    kept of the live site there or where its folder goes (atomic.Recycled),
    or a file, a link shared with the live site, in a folder it kept whole;
    any site may have a page linked from the live site there (a page
    written at once, if a static file clashes with it); Pelican would copy
    into it (through it), or fail. They make way, as for pages. Not sooner:
    the stories that move a file beside them ({attach}) are written by then,
    and a file whose place was asked before is never moved."""
    if not isinstance(writer, SiteWriter):
        return
    # Pelican makes each one's folder, even for a file a story links that is
    # not there: a cold build has it, so the tidying keeps it (SiteWriter._tidy).
    statics = generator.context.get("staticfiles", [])
    writer.static_folders = _folders_of(static.save_as for static in statics)
    if writer.keys.previous is None:
        return  # no file of the live site in the staging one
    for static in statics:
        writer.folder_for(static.save_as)  # Pelican makes it next
        target = os.path.join(writer.output_path, static.save_as)
        if os.path.lexists(target):
            writer.make_way(target)


def write_new(writer: Writer, relative: str, data: bytes) -> None:
    """Write a file of the site anew, never through what was there: a
    recycled site may hold a hard link to the live site's file (a page kept
    where another file goes now, atomic.Recycled), or kept pages where the
    file or its folder goes, which make way as for a page."""
    target = os.path.join(writer.output_path, relative)
    if isinstance(writer, SiteWriter):
        writer.folder_for(relative)
        writer.make_way(target)
    else:
        os.makedirs(os.path.dirname(target), exist_ok=True)
        _remove_file(target)
    Path(target).write_bytes(data)


def take_seconds(staging: str | Path) -> float | None:
    """The seconds the writer of the build into `staging` took to make its
    pages and feeds (SiteWriter._finish), once; None if it never ran."""
    return _SECONDS.pop(os.path.abspath(staging), None)


def settle_recycled(staging: str) -> None:
    """Wait for a recycling no writer took (Pelican failed before making one),
    so that it never runs on beside what the build does next."""
    recycled = _RECYCLED.pop(os.path.abspath(staging), None)
    _KEYS.pop(os.path.abspath(staging), None)
    if recycled is not None:
        recycled.wait()


def _remove_file(path: str | Path) -> None:
    """Remove what is at a file's path before it is written: a file (never
    written through: it may be a hard link into the previous build), or an
    empty folder a recycled site had there (atomic.Recycled)."""
    try:
        os.unlink(path)
    except FileNotFoundError:
        pass
    except OSError:  # a folder: IsADirectoryError on Linux, PermissionError on macOS
        if not os.path.isdir(path) or os.path.islink(path):
            raise
        # Its empty folders first; fails, as it should, where there is a file.
        for root, _, files in os.walk(path, topdown=False):
            if files:
                raise
            os.rmdir(root)


class _Keyed:
    """A template that checks the page's key before rendering."""

    def __init__(
        self,
        template,
        writer: SiteWriter,
        context: dict,
        own: set[str],
        paginates: bool,
        *,
        always: bool = False,
    ):
        self.template, self.keys, self.context, self.own = template, writer.keys, context, own
        self.name = template.name
        self.always = always  # rendered every time, unkeyed
        self.paginates = paginates
        self._known: tuple[str, str | None] | None = None
        # Pelican makes the page's folder next, and nothing of this writer
        # runs in between: the recycled site must let it (SiteWriter.make_way).
        self._folder_for = writer.folder_for if writer.recycling else None
        self._output, self._overridden = writer.output_path, writer._overridden_files

    def unchanged(self, localcontext: dict[str, Any]) -> Path | None:
        """The previous build's file of this page, if made from the same key.
        None for a page whose file another page overrides (a post saved as a
        month's page): Pelican skips it, and its key, recorded over the
        overriding page's, would have the next build link the post's file
        as the month's page once the post moved away."""
        relative = localcontext["output_file"]
        # Empty unless a page is written with override_output (a post's own
        # Save_as:, TEMPLATE_PAGES): then each page's file is looked up.
        if self._overridden and sanitised_join(self._output, relative) in self._overridden:
            return None
        return self.keys.reusable(relative, self.key(localcontext))

    def key(self, localcontext: dict[str, Any]) -> str | None:
        """The page's key (None: Unkeyable). A single page asks twice when it
        is rendered (SiteWriter.link_unchanged, then render): its key is
        remembered from the first time, as a direct template's takes 0.1 s."""
        relative = localcontext["output_file"]
        if self._known is not None and self._known[0] == relative:
            return self._known[1]
        if self.always:
            return None
        try:
            values = {name: localcontext.get(name) for name in self.own}
            key = page_key(self.name, self.context, values)
        except Unkeyable as reason:
            logger.debug("rendering %s: %s", relative, reason)
            key = None
        self._known = (relative, key)
        return key

    def render(self, localcontext: dict[str, Any]) -> str:
        if self._folder_for is not None:
            self._folder_for(localcontext["output_file"])
        source = self.unchanged(localcontext)
        if source is not None:
            self.keys.reused += 1
            reused = Reused()
            reused.source = str(source)
            return reused
        self.keys.rendered += 1
        return self.template.render(localcontext)


class _KeyedFile:
    """A queued file that is not a template's page (a feed, the sitemap): how
    to key it (None: made every time), how to make it."""

    paginates = False

    def __init__(self, token: Callable[[], Any] | None, produce: Callable[[], bytes]):
        self.token, self.produce = token, produce


class _Sink:
    """Where Pelican writes a page: a file opened when text comes, or a link
    for `Reused`. A listing page is reused without ever being opened: a new
    file costs 50 µs to 1.5 ms on this machine's file system, and there are
    3,000 listing pages at 10,000 stories."""

    def __init__(self, writer: SiteWriter, path: str, encoding: str, override: bool):
        self.writer, self.path, self.encoding, self.override = writer, path, encoding, override
        self.handle = None

    def __enter__(self) -> _Sink:
        return self

    def __exit__(self, *exc) -> None:
        if self.handle is not None:
            self.handle.close()

    def write(self, text: str) -> None:
        if isinstance(text, Reused) and not self.override:
            self.writer.link_reused(text.source, self.path)
            return
        if self.handle is None:
            self.handle = self.writer.open_now(self.path, self.encoding, self.override)
        if isinstance(text, Reused) and self.handle.name != os.devnull:
            self.handle.close()  # Pelican's checks of an overriding page are done
            os.unlink(self.path)
            link_or_copy(text.source, self.path)
        else:
            self.handle.write(text)


class SiteWriter(Writer):
    """Queues pages, and feeds (`write_keyed`); at the end, links the
    unchanged and makes the rest in parallel."""

    def __init__(self, output_path, settings=None):
        super().__init__(output_path, settings)
        previous = sp.get(self.settings, "SEEDPRESS_PREVIOUS_OUTPUT")
        self.keys = _KEYS.pop(os.path.abspath(output_path), None) or PageKeys(
            Path(output_path), Path(previous) if previous else None
        )
        self._queue: list[tuple] = []
        self._at_once: dict[str, dict] = {}  # pages written in Pelican's order, their variables
        # Those of them that are a story's or a page's own, by their file.
        self._own_at_once: dict[str, dict] = {}
        # The files of TEMPLATE_PAGES pages, by where they are written.
        self._template_pages = {
            os.path.normpath(page) for page in self.settings["TEMPLATE_PAGES"].values()
        }
        self._writing_pages = False
        # Pages to write before the others, each set with what to call once
        # its pages are written (`first`).
        self._first: list[tuple[set[str], Callable[[], None]]] = []
        self._queued: dict[str, tuple] | None = None  # the queue by file (render_now)
        self.static_folders: set[str] = set()  # static_paths_clear
        # Pelican makes the writer once the stories are read: the recycled
        # folders are made by then, or nearly.
        self._recycled = _RECYCLED.pop(os.path.abspath(output_path), None)
        recycled = self._recycled.wait() if self._recycled else set()
        self._folders = {os.path.join(os.path.abspath(output_path), f) for f in recycled}
        signals.finalized.connect(self._finish)

    def write_file(self, name, template, context, relative_urls=False, paginated=None, **kw):
        """Queue the page (Pelican's arguments); it is written at the end."""
        if not name:
            return
        if kw.get("override_output") and getattr(kw.get("article"), FROZEN_SAVE_AS, False):
            # Pelican asks to override for any `override_save_as`; this one is
            # the story's usual file name, frozen (pelican_glue.freeze_urls).
            kw["override_output"] = False
        if paginated is None:
            paginated = {key: val for key, val in kw.items() if key in {"articles", "dates"}}
        # Pelican also gives category and author pages `all_articles`, the
        # whole site: the theme does not use it (tests/test_incremental.py checks).
        # template_name, override_output and url are Pelican's own parameters,
        # never passed to the template.
        own = {"output_file", "SITEURL", "localsiteurl", *kw} - {"all_articles", *_PELICANS}
        paginates = (
            bool(paginated) and kw.get("template_name") in self.settings["PAGINATED_TEMPLATES"]
        )
        if paginates:
            # A listing page shows its own page of the list, which is keyed.
            own -= set(paginated)
            own |= {f"{key}_{part}" for key in paginated for part in _PAGE_PARTS}
        # A TEMPLATE_PAGES page is given the whole context and no variables
        # of its own: what it shows of the site (every story, the periods) is
        # left out of keys, so it is rendered every time. Known by the call
        # Pelican makes, whichever template Jinja found for it (the theme's,
        # when content/ has no file of that name).
        template_page = (
            kw.get("override_output")
            and kw.get("url") == ""
            and os.path.normpath(name) in self._template_pages
        )
        keyed = _Keyed(template, self, context, own, paginates, always=bool(template_page))
        job = (name, keyed, context, relative_urls, paginated, kw)
        if kw.get("override_output") or _links_other_content(kw):
            # Written now, in Pelican's order: a page that replaces another
            # (Save_as: index.html, template pages) must win as in Pelican, and
            # {attach} moves files before the static generator copies them.
            if _content(kw):
                own = os.path.normpath(name)
                if own in self._own_at_once:
                    raise _two_pages(own, self._own_at_once[own], kw)
                self._own_at_once[own] = kw
            self._at_once[name] = kw
            for error in _write_one(self, job):
                logger.error("%s", error)  # heard by the build, which fails
        else:
            self._queue.append(job)
            self._queued = None  # render_now finds it too

    def first(self, pages: list[str], then: Callable[[], None]) -> None:
        """Write the queued pages among `pages` (relative file names) before
        the pages not asked for so, and call `then` once they are written
        (in this process, while the workers write the rest): the search index
        starts on a bundle's stories while the other pages are written. A
        page asked twice goes with the first. In one process (a small site),
        the pages are written in the queue's order and each `then` called at
        the end. Not called when a page failed: the build fails."""
        self._first.append(({os.path.normpath(page) for page in pages}, then))

    def render_now(self, name: str) -> str | None:
        """The queued single page `name` rendered here and now, as a worker
        will render it (never keyed: a story just edited); None when no
        single page is queued for it (a listing, a page written at once)."""
        if self._queued is None:
            self._queued = {os.path.normpath(job[0]): job for job in self._queue}
        job = self._queued.get(os.path.normpath(name))
        if job is None or job[1].paginates or isinstance(job[1], _KeyedFile):
            return None
        if sanitised_join(self.output_path, job[0]) in self._overridden_files:
            return None  # a page written at once takes its place: Pelican skips it
        name, keyed, context, relative_urls, _, kw = job
        localcontext = {**context, **_own_variables(name, context, relative_urls, kw)}
        # As Pelican's Writer.write_file: the story's HTML reads the
        # context's localsiteurl when its links are made relative.
        if not localcontext["localsiteurl"]:
            return keyed.template.render(localcontext)
        # Put back after: the context is as it was for the pages after.
        before = context.get("localsiteurl", _ABSENT)
        context["localsiteurl"] = localcontext["localsiteurl"]
        try:
            return keyed.template.render(localcontext)
        finally:
            if before is _ABSENT:
                del context["localsiteurl"]
            else:
                context["localsiteurl"] = before

    def _open_w(self, filename, encoding, override=False):
        # Pages may be `Reused`; Pelican's own feeds write bytes to the handle.
        if self._writing_pages:
            return _Sink(self, filename, encoding, override)
        return self.open_now(filename, encoding, override)

    def open_now(self, filename: str, encoding: str, override: bool = False):
        """Pelican's checks and file handle for `filename`."""
        # Never write through a hard link into the previous build's file.
        if filename not in self._overridden_files:
            self.make_way(filename)
        return super()._open_w(filename, encoding, override)

    def link_reused(self, source: str, target: str, override: bool = False) -> None:
        """Link the previous build's file of a page, with the checks Pelican's
        _open_w makes of a page it writes: a page that overrides others (an
        unchanged post saved as the home page) is recorded as Pelican
        records it, or the page it overrides, written next, would fail. (A
        second override of one file never comes here: `_Keyed.unchanged`
        leaves it to Pelican's own check, which fails the build.)"""
        if override:
            self._overridden_files.add(target)
        elif target in self._overridden_files:
            return  # another page overrides it: Pelican skips this one too
        elif target in self._written_files:
            raise RuntimeError(f"File {target} is to be overwritten")
        self._written_files.add(target)
        self._link_into(source, target)

    def link_unchanged(self, name: str, keyed: _Keyed, context: dict, relative_urls: bool, kw):
        """Link a single (not paginated) page from the last build when its key is
        unchanged, without Pelican's copy of the whole context; whether it did."""
        if keyed.paginates:
            return False
        source = keyed.unchanged(_own_variables(name, context, relative_urls, kw))
        if source is None:
            return False
        target = sanitised_join(self.output_path, name)
        self._make_folder(os.path.dirname(target))
        self.link_reused(str(source), target, override=bool(kw.get("override_output")))
        self.keys.reused += 1
        return True

    def write_keyed(
        self, relative: str, token: Callable[[], Any] | None, produce: Callable[[], bytes]
    ) -> None:
        """Queue a file (a feed, the sitemap) that `produce()` makes; written
        at the end with the pages, on every core (`_write_keyed_now`); with
        no `token`, made every time."""
        self._queue.append((relative, _KeyedFile(token, produce), None, False, {}, {}))

    def _write_keyed_now(self, relative: str, keyed: _KeyedFile) -> None:
        """Write `keyed.produce()` to `relative`, or link the previous build's
        file when it was made from the same key (`keyed.token()`)."""
        target = self.keys.output / relative
        self._make_folder(str(target.parent))
        try:
            key = None if keyed.token is None else digest(keyed.token())
        except Unkeyable:
            key = None
        source = self.keys.reusable(relative, key)
        if source is not None:
            self.keys.reused += 1
            self._link_into(source, target)
        else:
            self.keys.rendered += 1
            self.make_way(target)  # never written through: it may be a kept link
            target.write_bytes(keyed.produce())

    def _drop_kept(self) -> None:
        """Remove the files the recycler kept (the live site's pages and
        feeds, atomic.Recycled) that this build did not write: a deleted
        story's page. One written over since (a static file now there) is
        another file, and stays."""
        if self.keys.previous is None:
            return
        # Names kept by a build before they were normalised too.
        for relative in set(map(os.path.normpath, self.keys.old)) - self.keys.new.keys():
            target = self.keys.output / relative
            if same_file(target, self.keys.previous / relative):
                target.unlink()

    def _tidy(self, recycled: set[str]) -> None:
        """Remove the recycled folders that hold no page of this build and
        nothing else (a deleted story's, a static file's gone since, a page's
        that moved), deepest first: a cold build has none of them. The
        theme's folders are left as they are (Pelican copies an empty one as
        such: `_theme_folders`), and so is any folder something was written
        into; static files and the theme are copied by now, and the search
        index keeps its folders whole (recycle_spare)."""
        unused = recycled - _folders_of(self.keys.new) - self._theme_folders()
        unused -= self.static_folders
        output = os.path.abspath(self.output_path)
        for folder in sorted(unused, reverse=True):
            with contextlib.suppress(OSError):
                os.rmdir(os.path.join(output, folder))

    def _theme_folders(self) -> set[str]:
        """The folders Pelican copies the theme's static files into (relative
        to the site), the empty ones too: THEME_STATIC_PATHS of the theme, in
        THEME_STATIC_DIR."""
        settings, found = self.settings, set()
        into = settings.get("THEME_STATIC_DIR", "theme")
        for static in settings.get("THEME_STATIC_PATHS", ()):
            source = os.path.join(settings["THEME"], static)
            for root, _, _ in os.walk(source):
                folder = os.path.normpath(os.path.join(into, os.path.relpath(root, source)))
                if folder != os.curdir:  # the site's own folder
                    found |= {folder, *_folders_of([folder])}
        return found

    @property
    def recycling(self) -> bool:
        """Whether the staging site is a recycled one, which may hold files
        kept of the live site (atomic.Recycled)."""
        return self._recycled is not None and self.keys.previous is not None

    def _make_folder(self, folder: str) -> None:
        if folder in self._folders:  # recycled, there already
            return
        try:
            os.makedirs(folder, exist_ok=True)
        except (FileExistsError, NotADirectoryError):
            if not self.recycling:
                raise
            # A page of the live site kept where a folder goes now.
            self._clear_kept(folder, folder=True)
            os.makedirs(folder, exist_ok=True)

    def _clear_kept(self, path: str, *, folder: bool = False) -> None:
        live, staging = str(self.keys.previous), str(self.keys.output)
        clear_kept(path, staging, live, folder=folder, written=self._written_files)

    def folder_for(self, name: str) -> None:
        """Make the folder of the page `name` (relative to the site)."""
        # Not Pelican's sanitised_join, which is slower: Pelican checks the path right after.
        self._make_folder(os.path.dirname(os.path.normpath(os.path.join(self.output_path, name))))

    def make_way(self, path: str | Path) -> None:
        """Clear the place of a file to be written: what is there goes
        (_remove_file), and a folder that holds only pages kept of the live
        site (a page's folder two builds ago, a file now) goes with them."""
        try:
            _remove_file(path)
        except OSError:
            if not self.recycling:
                raise
            self._clear_kept(str(path))
            _remove_file(path)

    def _link_into(self, source: str | Path, target: str | Path) -> None:
        """Link the previous build's file at `target`, unless it is there
        already (kept by the recycler: atomic.Recycled); anything else in the
        way goes (make_way)."""
        # Looked for first: in an edit, 13,000 of 13,400 pages are kept ones,
        # where a link refused costs a failed system call and an exception.
        if self.recycling and same_file(source, target):
            return
        try:
            link_or_copy(source, target)
        except FileExistsError:
            if same_file(source, target):
                return
            self.make_way(target)
            link_or_copy(source, target)

    def _finish(self, pelican) -> None:
        """Pelican's `finalized` signal: write every queued page."""
        if pelican.settings is not self.settings:
            return  # another run's signal
        signals.finalized.disconnect(self._finish)
        started = time.monotonic()
        queue, self._queue = _archives_make_way(self._queue, self._at_once), []
        _check_unique(queue, self._own_at_once)
        _check_nesting(queue, self._written_files, self.output_path)
        processes = jobs(self.settings) if len(queue) >= PARALLEL_FROM else 1
        errors: list[str] = []
        first, self._first, self._queued = self._first, [], None
        if processes > 1:
            _WORK.update(writer=self, queue=queue)
            batches, ends = _batches(queue, [pages for pages, _ in first])
            # Each `then`, after the batch its last page is in (in order).
            calls = sorted(
                zip(ends, (then for _, then in first), strict=True), key=lambda call: call[0]
            )
            failures: dict[int, list[str]] = {}
            done = 0
            try:
                # Nothing of it queued. (A Pagefind started now or later runs
                # in a thread while the workers are forked: a worker forked
                # while it is being started may hold its pipes' ends, and
                # that Pagefind's thread waits for the workers' end.)
                while calls and calls[0][0] == 0:
                    calls.pop(0)[1]()
                # threshold=1: always in the workers, never in this process,
                # whose own keys and counts a worker's batch starts from zero.
                results = fork_map(_write_batch, batches, processes, threshold=1, chunksize=1)
                for number, (batch, (new, rendered, reused, failed)) in enumerate(
                    zip(batches, results, strict=True), 1
                ):
                    self.keys.new.update(new)
                    self.keys.rendered += rendered
                    self.keys.reused += reused
                    failures.update(failed)
                    done += len(batch)
                    _progress(done, len(queue), step=len(batch))
                    while calls and calls[0][0] <= number and not failures:
                        calls.pop(0)[1]()
            finally:
                _WORK.clear()
            # Reported in queue order, as one process would.
            errors = [error for index in sorted(failures) for error in failures[index]]
        else:
            for done, job in enumerate(queue, 1):
                errors += _write_one(self, job)
                _progress(done, len(queue))
            for _, then in first if not errors else ():
                then()
        for error in errors:
            logger.error("%s", error)
        if self._recycled is not None:
            self._drop_kept()
            self._tidy(self._recycled.folders)
        self.keys.save()
        seconds = _SECONDS[os.path.abspath(self.output_path)] = time.monotonic() - started
        logger.info(
            "pages: %d rendered, %d unchanged since the last build (linked), "
            "%d process(es), %.1f s",
            self.keys.rendered,
            self.keys.reused,
            processes,
            seconds,
        )


def _folders_of(pages) -> set[str]:
    """The folders the pages are in, and their parents (relative paths)."""
    found = set()
    for relative in pages:
        folder = os.path.dirname(relative)
        while folder and folder not in found:
            found.add(folder)
            folder = os.path.dirname(folder)
    return found


def _progress(done: int, total: int, step: int = 1) -> None:
    if done // PROGRESS_EVERY > (done - step) // PROGRESS_EVERY:
        logger.info("pages: %d of %d written", done, total)


def _batches(queue: list[tuple], first: list[set[str]] = ()) -> tuple[list[list[int]], list[int]]:
    """The queue's indexes in batches for the workers, and for each set of
    pages in `first` how many batches hold all of its queued pages.

    The pages of each set in `first` come first, set after set, in runs of
    BATCH. Then the costliest: each page given a long list of stories alone
    (a listing writes one page per page of its list: the home page's is a
    thousand pages at 10,000 stories; a year's archive page is given its
    3,300 stories), then the other pages in runs of BATCH. In queue order the
    listings came last, in runs, and kept one worker busy while the other
    idled; so did the archives page, when it showed every story (0.4 s to
    render), in the last run."""

    def stories(job: tuple) -> int:
        return max(map(len, job[4].values()), default=0)

    def runs(indexes: list[int]) -> list[list[int]]:
        return [indexes[start : start + BATCH] for start in range(0, len(indexes), BATCH)]

    wanted: dict[str, list[int]] = {}  # each page's sets, in order
    for number, pages in enumerate(first):
        for page in pages:
            wanted.setdefault(page, []).append(number)
    early: list[list[int]] = [[] for _ in first]
    heavy, singles = [], []
    for index, job in enumerate(queue):
        numbers = wanted.get(os.path.normpath(job[0])) if wanted else None
        if numbers:
            early[numbers[0]].append(index)
        elif job[1].paginates or stories(job) > BATCH:
            heavy.append(index)
        else:
            singles.append(index)
    batches, ends = [], [0] * len(first)
    for indexes in early:
        batches += runs(indexes)
        # A page of several sets is in the first's batches: the others
        # wait for it there too.
        for index in indexes:
            for number in wanted[os.path.normpath(queue[index][0])]:
                ends[number] = len(batches)
    heavy.sort(key=lambda index: -stories(queue[index]))
    return batches + [[index] for index in heavy] + runs(singles), ends


def _own_variables(name: str, context: dict, relative_urls: bool, kw: dict) -> dict[str, Any]:
    """A single page's variables over the context, as Pelican's
    Writer.write_file gives them (its parameters template_name,
    override_output and url never reach the template)."""
    base = path_to_url(get_relative_path(name)) if relative_urls else None
    return {
        "localsiteurl": base if relative_urls else context.get("localsiteurl"),
        "SITEURL": base if relative_urls else context.get("SITEURL"),
        "output_file": name,
        **{key: value for key, value in kw.items() if key not in _PELICANS},
    }


def _check_unique(queue: list[tuple], owned: dict[str, dict]) -> None:
    """Pelican refuses to write one file twice; queued pages are checked here,
    as the processes that write them cannot see each other's files. A page
    written at once with Save_as: may take a listing's place (the home page),
    as in Pelican, but not a story's or another page's own (`owned`: those
    written at once, by their file): a post written by hand with a story's
    file as its Save_as: replaced the story's page without a word, while the
    listings and feeds still linked the story there."""
    seen: dict[str, bool] = {}
    first: dict[str, dict] = {}
    for written, *_, kw in queue:
        # By the file: two spellings of one, in two workers, would pass.
        name = os.path.normpath(written)
        if name in owned and _content(kw):
            raise _two_pages(name, kw, owned[name])
        override = bool(kw.get("override_output"))
        if name in seen and not (override or seen[name]):
            raise _two_pages(name, first[name], kw)
        seen[name] = seen.get(name, False) or override
        first.setdefault(name, kw)


def _archives_make_way(queue: list[tuple], at_once: dict[str, dict]) -> list[tuple]:
    """A page or post written where a year's or month's archive goes (a page
    whose slug is "2027"), queued or written already (`at_once`), takes its
    place, with a warning: failing the build would publish nothing from the
    first story of that year on."""
    # By the file each names: "2026/01//index.html" is "2026/01/index.html".
    claimed = {
        os.path.normpath(name): kw for name, *_, kw in queue if kw.get("template_name") != PERIODS
    }
    claimed.update((os.path.normpath(name), kw) for name, kw in at_once.items())
    kept = []
    for job in queue:
        name, kw = os.path.normpath(job[0]), job[-1]
        if kw.get("template_name") == PERIODS and name in claimed:
            logger.warning(
                '%s is written to "%s", where the archive of %s would go: the archive is left out',
                _source(claimed[name]),
                name,
                _period_name(kw),
            )
            continue
        kept.append(job)
    return kept


def _period_name(kw: dict[str, Any]) -> str:
    """A year's, month's or day's archive page by its name: "January 2027"."""
    return " ".join(map(str, reversed(kw.get("period", ()))))


def _two_pages(name: str, one: dict[str, Any], other: dict[str, Any]) -> RuntimeError:
    """The error of two pages written to one file, naming what each shows."""
    return RuntimeError(
        f'two pages would be written to "{name}": {_source(one)} and {_source(other)}'
    )


def _content(kw: dict[str, Any]) -> bool:
    """Whether a page is a story's or a page's own (not a listing's)."""
    return isinstance(kw.get("article") or kw.get("page"), Content)


def _source(kw: dict[str, Any]) -> str:
    """What a queued page shows: its story's post, or its template."""
    content = kw.get("article") or kw.get("page")
    if isinstance(content, Content):
        return content.get_relative_source_path()
    if kw.get("template_name") == PERIODS:
        return f"the archive of {_period_name(kw)}"
    return f"the {kw.get('template_name', 'listing')} page"


def _check_nesting(queue: list[tuple], written: set[str], output: str) -> None:
    """No page may be written where another page's folder goes ("P" and
    "P/x"). One process fails on the second of them, as Pelican does; but
    two workers, each writing one, would each clear the other's place in a
    recycled site, and the build could end without one of them."""
    pages = {os.path.normpath(name) for name, *_ in queue}
    pages |= {os.path.relpath(path, output) for path in written}  # written at once
    clashes = _folders_of(pages) & pages
    if clashes:
        folder = min(clashes)
        page = min(page for page in pages if page.startswith(f"{folder}/"))
        raise RuntimeError(f'a page would be written to "{folder}", where "{page}" needs a folder')


def _links_other_content(kw: dict[str, Any]) -> bool:
    """Whether the page's own story links other content ({filename}, {attach})."""
    return any(
        isinstance(content, Content) and links_other_content(content)
        for content in (kw.get("article"), kw.get("page"))
    )


def _write_one(writer: SiteWriter, job: tuple) -> list[str]:
    """Write one queued page (or listing) in this process, whose log the
    build hears; the error it raised."""
    errors: list[str] = []
    _write(writer, job, errors)
    return errors


def _write(writer: SiteWriter, job: tuple, errors: list[str]) -> None:
    """Write one queued page, adding the error it raises to `errors`."""
    name, keyed, context, relative_urls, paginated, kw = job
    writer._writing_pages = True
    try:
        if isinstance(keyed, _KeyedFile):
            writer._write_keyed_now(name, keyed)
        elif not writer.link_unchanged(name, keyed, context, relative_urls, kw):
            Writer.write_file(writer, name, keyed, context, relative_urls, paginated, **kw)
    except Exception as exc:  # reported with the page it failed on
        errors.append(f"page {name}: {type(exc).__name__}: {exc}")
    finally:
        writer._writing_pages = False


# The writer and queue forked workers write from (inherited, never pickled).
_WORK: dict[str, Any] = {}


def _write_batch(indexes: list[int]) -> tuple[dict, int, int, dict[int, list[str]]]:
    """In a worker: write a batch of queued pages; their keys, counts and
    errors (by queue index). What the pages log is heard by one handler for
    the batch (one a page cost 10 µs each)."""
    writer, queue = _WORK["writer"], _WORK["queue"]
    keys = writer.keys
    keys.new, keys.rendered, keys.reused = {}, 0, 0
    errors = {}
    heard = ErrorLog()
    root = logging.getLogger()
    root.addHandler(heard)
    try:
        for index in indexes:
            _write(writer, queue[index], heard.messages)
            if heard.messages:
                errors[index], heard.messages = heard.messages, []
    finally:
        root.removeHandler(heard)
    return keys.new, keys.rendered, keys.reused, errors
