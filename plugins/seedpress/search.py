"""The search index: Pagefind over the stories, in one bundle for the newest
stories and one per year (or part of a year) for the others.

Pagefind has no incremental mode, and over a whole archive it is slow and
large: 10,000 stories take over 20 s and 1.5 GB. So the stories are indexed in
bundles (`pagefind/2025/`), which the search page merges (Pagefind's
`mergeIndex`): one for the recent stories, those of the newest story's month
and the month before (`pagefind/recent/`), and one per year of publication for
the rest, or, for a year of more than BUNDLE_MOST stories, one per
half-year (`pagefind/2025-07/`). A build indexes again only the bundles whose
pages changed, and reuses the others from the previous build. A new story,
or a correction of one of the last weeks, costs the recent bundle (a few
hundred stories at a newsroom's pace); an older story's edit costs its year
or half-year; no Pagefind process ever holds more than one bundle, and up to
two run at a time (`Indexing`). A year whose count crosses BUNDLE_MOST (as its
months leave the recent bundle, or a story deleted or put back) is indexed
again from empty folders under its new names. Once a month, when the first
story of a new month comes, the month before last leaves the recent bundle
for its year's, which is indexed again then.

Each bundle is indexed into a folder kept beside output/ (`bundles_for`), whose
files the site's bundle links. Pagefind names its fragments and index chunks
by their content and leaves a file it finds already there as it is: an edit
writes a few new files instead of 3,300 (1.5 ms each on a file system that has
just freed as many). What the new index no longer names is removed after
(`_prune`). A file already there bears a name of this run's only if the last
run named the same content so, or by a collision of Pagefind's 28-bit names:
an edit renames most of a year's 70 index chunks and one fragment, against
3,400 names there, so about one re-indexed year in 30,000. Such a file would
keep its old content, so each kept name is checked against what the last
run's metadata said of it (an index chunk's first and last word, a fragment's
word count, a filter's name), and a bundle where one differs is indexed again
from an empty folder.

The search page learns the bundles when Pelican has read the stories (`plan`);
the pages and digest of each are written in output/ when the stories are
queued (`write_plan`); an edit's or an add's bundle is indexed then, before
the pages are written, or once the writer has written its stories' pages,
and the others once the site is written (`Indexing`).
"""

from __future__ import annotations

import contextlib
import gzip
import json
import os
import shutil
import subprocess
import time
from collections import defaultdict
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from importlib.metadata import version
from pathlib import Path

from . import settings as sp
from .atomic import sync_tree
from .fingerprint import Unkeyable, code_token, digest, story
from .log import get_logger
from .searchdoc import document

logger = get_logger(__name__)

BUNDLE = "pagefind"
DIGEST = ".seedpress-digest"
# The pages and digest of each bundle, in output/ (hidden: never published).
PLAN_FILE = ".seedpress-search.json"


RECENT = "recent"
# Pagefind holds a bundle's index in memory, about 0.15 MiB a story (508 MiB
# for a year of 3,342). A year of more than BUNDLE_MOST stories is cut into
# halves, so that two Pagefinds can run at once (`Indexing`); no finer, as
# every bundle costs a reader's first search its own copy of Pagefind's
# WebAssembly (72 KB).
BUNDLE_MOST = 2000
# The stories the Pagefinds running at once may hold together (about 600 MiB).
IN_FLIGHT_MOST = 2 * BUNDLE_MOST
# Pagefinds at once: more would not fit in memory, whatever the cores.
AT_ONCE = 2
# Stories of a bundle rendered before the writer runs, at most, for it to
# be indexed then (`Indexing`): each is rendered in the build's own process,
# before the writer's workers start: a few, not a year's worth.
EARLY_PAGES = 32
# Bundles to index at most for the first to start while the pages are
# written (an edit's or an add's). With more (a cold build, a theme changed),
# rendering keeps both cores busy, and an early Pagefind only takes them
# from it: cold builds of 10,000 seeds took 39.8 and 38.6 s with it, 37.8
# and 40.3 s without (interleaved, one session), and their processes
# together peaked at 907 MiB instead of 743 MiB.
EARLY_MOST = 2


def _bundles(generator) -> dict[str, list]:
    """The stories indexed, by bundle: the recent ones (RECENT: since the
    first day of the month before the newest story's month, in its time
    zone), then the others by year of publication, newest first. A year of
    more than BUNDLE_MOST stories is cut into its halves, each named by its
    first month ("2025-07"), however many each holds. Decided by the stories'
    dates alone, never by the day of the build, so that two builds of the same
    stories index them alike."""
    stories = [
        article
        for article in [*generator.articles, *generator.translations]
        if article.save_as  # a story may be left unwritten (SAVE_AS = "")
    ]
    if not stories:
        return {}
    newest = max(stories, key=lambda article: article.date).date
    since = (newest.year, newest.month - 1) if newest.month > 1 else (newest.year - 1, 12)
    recent, months = [], defaultdict(list)
    for article in stories:
        # In the newest story's time zone: a post written by hand may give
        # its date another offset.
        date = article.date.astimezone(newest.tzinfo) if newest.tzinfo else article.date
        if (date.year, date.month) >= since:
            recent.append(article)
        else:
            months[date.year, date.month].append(article)
    bundles: dict[str, list] = {RECENT: recent} if recent else {}
    for year in sorted({year for year, _ in months}, reverse=True):
        bundles.update(_cut(year, months))
    return bundles


def _cut(year: int, months: dict[tuple[int, int], list]) -> dict[str, list]:
    """A year's bundle, or, past BUNDLE_MOST stories, its halves, newest
    first, each named by its first month ("2025-07")."""
    halves = {
        first: [
            story for month in range(first, first + 6) for story in months.get((year, month), ())
        ]
        for first in (7, 1)
    }
    if len(halves[1]) + len(halves[7]) <= BUNDLE_MOST:
        return {f"{year:04d}": halves[1] + halves[7]}
    return {f"{year:04d}-{first:02d}": half for first, half in halves.items() if half}


def plan(generator) -> None:
    """Pelican's article_generator_finalized: the search page learns the
    bundles, as SEARCH_BUNDLES (none when the search index is off)."""
    on = sp.get(generator.settings, "SEEDPRESS_SEARCH")
    generator.context["SEARCH_BUNDLES"] = list(_bundles(generator)) if on else []


def write_plan(generator, writer=None) -> None:  # the signal passes the writer
    """Once the stories' pages are queued (pelican_glue.stories_queued): each
    bundle's pages and digest, written in output/, and told the build's
    `Indexing`.

    The digest covers what Pagefind reads of a bundle's pages: each story
    (URL, metadata and text: fingerprint.story, and its dates as shown), the
    theme and code that lay it out, and Pagefind's version (code_token). Not
    the whole page: an edit changes the "read next" links of stories of other
    bundles, which the index leaves out. Taken here, after Pelican has resolved
    the links in every story's metadata.
    """
    settings = generator.settings
    if not sp.get(settings, "SEEDPRESS_SEARCH"):
        return
    site = [
        code_token(settings),
        *(settings.get(name) for name in ("DEFAULT_LANG", "SITEURL", "RELATIVE_URLS")),
    ]
    bundles, shown = {}, {}
    for name, stories in _bundles(generator).items():
        stories.sort(key=lambda article: article.save_as)
        try:
            shown[name] = [_shown(article) for article in stories]
            known = digest([site, shown[name]])
        except Unkeyable:  # a story linking other content: indexed every time
            known = None
        bundles[name] = {"pages": [article.save_as for article in stories], "digest": known}
    output = Path(generator.output_path)
    output.mkdir(parents=True, exist_ok=True)
    (output / PLAN_FILE).write_text(json.dumps(bundles, indent=0))
    indexing = _INDEXING.get(os.path.abspath(output))
    if indexing is not None:
        indexing.planned(bundles, writer, site, shown)


def _shown(article) -> list:
    """A story as its indexed page shows it."""
    dates = [getattr(article, name, None) for name in ("locale_date", "locale_modified")]
    return [article.save_as, story(article), *map(str, dates)]


# The search index of each build, by its staging folder's absolute path:
# made before Pelican runs, told the bundles when the stories are written
# (write_plan), finished after the site (`Indexing.finish`).
_INDEXING: dict[str, Indexing] = {}


class Indexing:
    """One build's search index into `output` (a staging folder), reusing the
    bundle of `previous` (the site's output/, if it exists yet) for each
    whose digest did not change.

    When few bundles are to be indexed again (EARLY_MOST: an edit, an add),
    each starts before the site's pages are written, beside the generators
    (on the core they leave) and the writer: an edit's bundle waited for
    every page of the site before, 1.6 s at 10,000 stories, and the
    generators' 1 s before that. Its folder of documents already holds
    the stories it held when last indexed (RECORD says which, with what
    each showed); a story that shows something else now, or is new there,
    is rendered now (`SiteWriter.render_now`) and its document written into
    that folder, and the others keep the documents of the pages they were
    last indexed from: what Pagefind reads of a page is the story alone, as
    the bundle's digest already holds (`write_plan`). Without such a record,
    or with more than EARLY_PAGES such stories, the bundle starts once the
    writer has written its stories' pages, which it writes first
    (`SiteWriter.first`). One Pagefind at a time runs beside the writer's
    processes, and a second bundle waits for the first and for the pages;
    two run at once after (`_Schedule`). With one process, none starts
    before the pages."""

    def __init__(self, output: Path, previous: Path, processes: int = 1):
        self.output, self.previous, self.processes = output, previous, processes
        self.documents, self.written = documents_for(previous), bundles_for(previous)
        self.bundles: dict[str, dict] | None = None
        self.todo: list[str] | None = None  # `_todo`, once the bundles are known
        self.schedule: _Schedule | None = None
        self.started: float | None = None
        # Each bundle's pages with the digest of what each shows,
        # and the bundles whose folder of documents is made already.
        self.showing: dict[str, dict[str, str]] = {}
        self.filled: set[str] = set()
        # RECORD as read when the bundles were planned, less those to index.
        self.recorded: dict[str, dict[str, str]] | None = None
        # Once the site's pages are written (`finish`), each Pagefind's thread
        # makes its bundle in the staging site (`_sync`) when it ends.
        self.pages_written = False
        self.synced: set[str] = set()
        # Bundles whose folder of documents one thread fills ahead of their
        # Pagefinds, once the pages are written (`_fill_ahead`).
        self.filler: ThreadPoolExecutor | None = None
        self.filling: dict[str, Future] = {}
        self.fill_order: list[str] = []
        _INDEXING[os.path.abspath(output)] = self

    def planned(self, bundles: dict[str, dict], writer, site: list, shown: dict) -> None:
        """The bundles (write_plan), with what each story of each shows
        (`shown`, for those whose digest was taken): each one to index again
        starts now, or once the writer has written its pages."""
        self.bundles = bundles
        todo = self._todo()
        recorded = self._forget(todo)
        for name in todo:
            if name in shown:
                self.showing[name] = {
                    os.path.normpath(page): digest([site, story])
                    for page, story in zip(bundles[name]["pages"], shown[name], strict=True)
                }
        first = getattr(writer, "first", None)  # Seedpress's writer
        if not todo or first is None or len(todo) > EARLY_MOST or self.processes < 2:
            return  # with one process, the writer has no core to leave
        self._begin()
        for name in todo:
            if self._fill_now(name, recorded.get(name), writer):
                self._ready(name)
            else:
                first(bundles[name]["pages"], lambda name=name: self._ready(name))

    def _fill_now(self, name: str, recorded: dict[str, str] | None, writer) -> bool:
        """Make the bundle's folder of documents hold its stories now:
        whether it could (see the class)."""
        showing = self.showing.get(name)
        if showing is None or recorded is None:
            return False
        site = self.documents / name
        changed = [
            page
            for page, known in showing.items()
            if recorded.get(page) != known or not os.path.isfile(site / page)
        ]
        if len(changed) > EARLY_PAGES:
            return False
        pages = {page: writer.render_now(page) for page in changed}
        if None in pages.values():
            return False
        try:
            # First: a page gone may be in a folder's way. Not when the bundle
            # holds the pages recorded: its folder holds those alone (RECORD
            # is written once it does), and walking a half-year's 3,400
            # folders twice took 0.034-0.037 s (one-off timings).
            if showing.keys() != recorded.keys():
                _keep_only(site, set(showing))
            for page, html in pages.items():
                _replace(site / page, document(html.encode("utf-8")))
        except OSError as reason:  # a folder where a page goes, say: made as usual
            logger.debug("search index: %s made after its pages (%s)", name, reason)
            return False
        self.filled.add(name)
        return True

    def _todo(self) -> list[str]:
        """The bundles whose digest is not the previous build's, largest first."""
        if self.todo is not None:
            return self.todo
        todo = []
        for name, bundle in self.bundles.items():
            kept = self.previous / BUNDLE / name / DIGEST
            if not (bundle["digest"] and kept.is_file() and kept.read_text() == bundle["digest"]):
                todo.append(name)
        self.todo = sorted(todo, key=lambda name: (-len(self.bundles[name]["pages"]), name))
        return self.todo

    def _begin(self) -> None:
        if self.schedule is None:
            self.binary = pagefind_binary()  # before any kept bundle is emptied
            self.schedule = _Schedule(self._one)

    def _ready(self, name: str) -> None:
        """Its pages are written: indexed now if no other Pagefind runs."""
        if self.started is None:
            self.started = time.monotonic()
        self.schedule.add(name, len(self.bundles[name]["pages"]))
        self.schedule.start(at_once=1)

    def _one(self, name: str) -> None:
        started = time.monotonic()
        pages = self.bundles[name]["pages"]
        site = self.documents / name
        filling = self.filling.pop(name, None)
        if filling is not None and not (self._skipped_before(name) and filling.cancel()):
            filling.result()  # raises what filling it raised
        elif name not in self.filled:
            _fill(self.output, pages, site)
        _pagefind(self.binary, self.written / name, site)
        if self.pages_written:
            # Here, beside the other Pagefinds, as before the early start:
            # linking a half-year's 1,700 files took 0.05 s (one-off timing),
            # more while the file system is slow, seven times in a cold build.
            self._sync(name)
        logger.info(
            "search index: %s rebuilt, %d stories, %.1f s",
            name,
            len(pages),
            time.monotonic() - started,
        )

    def finish(self, meanwhile: Callable[[], None] | None = None) -> float | None:
        """Every bundle indexed (two at a time when the processes allow and
        their stories together are at most IN_FLIGHT_MOST: one Pagefind
        keeps 1.3-1.5 cores busy), and output/pagefind/ made of them.
        `meanwhile` is called once, before a second Pagefind starts beside
        the first: whole years of the benchmark's 3,300 stories, two at
        once, took a cold build of 10,000 seeds to 1,340-1,380 MiB in all (the
        processes' summed PSS), over issue 6's 1 GiB: its years are cut in
        halves, and the build's own process (395 MiB) frees Pelican's
        garbage while two run (collector.release_garbage).

        Returns the seconds the build waited for the index once its pages
        were written, or None when every bundle was reused."""
        waited = time.monotonic()
        if self.bundles is None:  # not told by write_plan (no writer of Seedpress's)
            self.bundles = json.loads((self.output / PLAN_FILE).read_text())
        bundles, output = self.bundles, self.output
        self._drop_gone()
        if not bundles:  # no story: no bundle folder, as in a cold build
            remove(output)
            return None
        todo = self._todo()
        for name in bundles:
            if name not in todo:
                sync_tree(self.previous / BUNDLE / name, output / BUNDLE / name)
        if not todo:
            logger.info("search index: stories unchanged, kept")
            return None
        if self.recorded is None:
            self._forget(todo)
        self._begin()
        if self.started is None:
            self.started = waited
        self._fill_ahead(todo)
        for name in todo:
            self.schedule.add(name, len(bundles[name]["pages"]))
        self.pages_written = True
        self.schedule.run(min(self.processes, AT_ONCE), meanwhile)
        for name in todo:
            if name not in self.synced:  # indexed while the pages were written
                self._sync(name)
        recorded = {**self.recorded, **{name: self.showing.get(name) for name in todo}}
        kept = {name: recorded[name] for name in bundles if recorded.get(name)}
        _write_record(self.documents, kept)
        done = time.monotonic()
        logger.info(
            "search index: %d bundle(s), %.1f s, %.1f s of it after the pages",
            len(todo),
            done - self.started,
            done - waited,
        )
        return done - waited

    def _fill_ahead(self, todo: list[str]) -> None:
        """Fill the folders of documents of the bundles to index once the
        pages are written (all but those added to the schedule before), one
        after another, largest first as the schedule starts them, in one
        thread beside the Pagefinds: each bundle's Pagefind waits for its own
        folder only, or fills it itself if the filler has not begun it (the
        schedule started it before a larger one that did not fit beside
        those running). Each filling its own before its Pagefind, two
        threads took turns at the interpreter while the other core idled: in
        a cold build of 10,000 seeds, each of the three pairs of half-years
        began with 0.6-1.2 s of one busy core (a timeline sampling
        /proc/stat, one-off)."""
        begun = self.filled | self.schedule.sizes.keys()  # filled now, or to fill themselves
        ahead = [name for name in todo if name not in begun]
        # One folder to fill is its Pagefind's own wait; one process, one core.
        if len(ahead) < 2 or self.processes < 2:
            return
        self.filler = ThreadPoolExecutor(max_workers=1, thread_name_prefix="search-fill")
        self.fill_order = ahead
        for name in ahead:
            pages = self.bundles[name]["pages"]
            self.filling[name] = self.filler.submit(
                _fill, self.output, pages, self.documents / name
            )

    def _skipped_before(self, name: str) -> bool:
        """Whether a bundle the filler fills before `name` is still waiting
        to start: the schedule started `name` first, as the other did not
        fit beside the Pagefinds running (IN_FLIGHT_MOST). Its Pagefind then
        fills its own folder, if the filler has not begun it, rather than
        wait for the other's too."""
        earlier = self.fill_order[: self.fill_order.index(name)]
        return any(other in self.schedule.waiting for other in earlier)

    def _sync(self, name: str) -> None:
        """The staging site's bundle made of what Pagefind wrote; only once
        the site's pages are written, as the staging folder is the writer's
        until then."""
        target = self.output / BUNDLE / name
        sync_tree(self.written / name, target, ignore=frozenset({COMPLETE}))
        if self.bundles[name]["digest"]:  # a new file: sync_tree removed the last one
            (target / DIGEST).write_text(self.bundles[name]["digest"])
        self.synced.add(name)

    def _forget(self, todo: list[str]) -> dict[str, dict[str, str]]:
        """RECORD as it was; the bundles to index are taken out of it, and it
        is written so, before their folders of documents change: a build cut
        short then leaves no record that a folder does not match."""
        recorded = _read_record(self.documents)
        self.recorded = {name: pages for name, pages in recorded.items() if name not in todo}
        if len(self.recorded) < len(recorded):
            _write_record(self.documents, self.recorded)
        return recorded

    def _drop_gone(self) -> None:
        """Remove the bundles no story is in now (or stray files), kept
        beside output/ and in the staging site: the recycler leaves its
        bundles whole (writer.recycle_spare), and `sync_tree` makes each
        right."""
        for kept in (self.documents, self.written, self.output / BUNDLE):
            for gone in kept.iterdir() if kept.is_dir() else ():
                if gone.name not in self.bundles and gone.name != RECORD:
                    if gone.is_dir() and not gone.is_symlink():
                        shutil.rmtree(gone)
                    else:
                        gone.unlink()

    def close(self) -> None:
        """The build is over: wait for any Pagefind still running (a build
        that failed while one ran), say how any that was not waited for
        failed, and forget this index."""
        _INDEXING.pop(os.path.abspath(self.output), None)
        if self.schedule is not None:
            self.schedule.close()
            for failure in self.schedule.unheard():
                logger.warning("search index: %s: %s", type(failure).__name__, failure)
        if self.filler is not None:  # after a failure, what is not filled yet stays so
            self.filler.shutdown(wait=True, cancel_futures=True)
            # A folder filled for a Pagefind that never started: its failure
            # is told here, as nothing raised it.
            for name, filling in self.filling.items():
                failure = None if filling.cancelled() else filling.exception()
                if failure is not None:
                    kind = type(failure).__name__
                    logger.warning("search index: %s: %s: %s", name, kind, failure)


class _Schedule:
    """`one` for each bundle added, in threads: the largest waiting first,
    `at_once` at a time while their stories together stay within
    IN_FLIGHT_MOST. After a failure nothing more starts; the Pagefinds
    running are waited for, every failure is logged, and the first raised
    (`run`)."""

    def __init__(self, one: Callable[[str], None]):
        self.one = one
        self.pool = ThreadPoolExecutor(max_workers=AT_ONCE)
        self.sizes: dict[str, int] = {}
        self.waiting: list[str] = []
        self.running: dict[Future, int] = {}
        self.failures: list[BaseException] = []
        self.heard = False  # the failures raised or logged (`run`)

    def add(self, name: str, size: int) -> None:
        """Waiting, unless it was added before (started or waiting)."""
        if name not in self.sizes:
            self.sizes[name] = size
            self.waiting.append(name)
            self.waiting.sort(key=lambda name: (-self.sizes[name], name))

    def _reap(self, done) -> None:
        for bundle in done:
            del self.running[bundle]
            if bundle.exception() is not None:
                self.failures.append(bundle.exception())

    def start(self, at_once: int, meanwhile: Callable[[], None] | None = None):
        """Start what fits now; returns `meanwhile` if it was not called yet."""
        self._reap([bundle for bundle in self.running if bundle.done()])
        for name in list(self.waiting) if not self.failures else ():
            held = sum(self.running.values())
            if self.running and (
                len(self.running) >= at_once or held + self.sizes[name] > IN_FLIGHT_MOST
            ):
                continue
            if self.running and meanwhile is not None:
                meanwhile()
                meanwhile = None
            self.running[self.pool.submit(self.one, name)] = self.sizes[name]
            self.waiting.remove(name)
        return meanwhile

    def run(self, at_once: int, meanwhile: Callable[[], None] | None = None) -> None:
        """Everything added, each started as one running ends; `meanwhile`
        is called once, before a second starts beside the first."""
        while (self.waiting and not self.failures) or self.running:
            meanwhile = self.start(at_once, meanwhile)
            self._reap(wait(self.running, return_when=FIRST_COMPLETED)[0])
        self.close()
        self.heard = True
        for failure in self.failures[1:]:
            logger.error("search index: %s: %s", type(failure).__name__, failure)
        if self.failures:
            raise self.failures[0]

    def close(self) -> None:
        self.pool.shutdown(wait=True)

    def unheard(self) -> list[BaseException]:
        """The failures `run` did not raise or log (it never ran), once closed."""
        if self.heard:
            return []
        self._reap([bundle for bundle in self.running if bundle.done()])
        self.heard = True
        return self.failures


def remove(output: Path) -> None:
    """No bundle in output/ (a staging folder): the search index is off, or
    has no story. A recycled site (atomic.Recycled) may still have the
    bundles of two builds ago, or their empty folders."""
    shutil.rmtree(output / BUNDLE, ignore_errors=True)


def documents_for(output: Path) -> Path:
    """Where each bundle's folder of its pages' search documents is kept,
    beside output/."""
    return output.with_name(f".{output.name}.search")


def bundles_for(output: Path) -> Path:
    """Where Pagefind writes each bundle, beside output/."""
    return output.with_name(f".{output.name}.pagefind")


# In a kept bundle: Pagefind finished writing it, and it was pruned; it
# holds Pagefind's version. A file cut short by a build that was killed, or
# written by another version, would otherwise be kept as it is.
COMPLETE = ".seedpress-complete"


def _pagefind(binary: str, bundle: Path, site: Path) -> None:
    """Index `site`, a folder of the bundle's pages' search documents
    (Pagefind indexes a folder; a page's URL is its path in it), into the
    kept `bundle`. Files that other builds' bundles link
    are never written to: Pagefind leaves its content-named files as they
    are, and the files at the top, whose names do not change with their
    content, are removed before it runs, as are folders of other files than
    those it names (a playground)."""
    made_by = version("pagefind")
    with contextlib.suppress(OSError):
        if (bundle / COMPLETE).read_text() == made_by:
            made_by = None  # a finished bundle of this very Pagefind: kept
    if made_by is not None:
        shutil.rmtree(bundle, ignore_errors=True)
    try:
        before = _named(bundle) if bundle.is_dir() else {}
    except Exception:  # unread, so nothing kept to check against: anew
        shutil.rmtree(bundle, ignore_errors=True)
        before = {}
    for entry in os.scandir(bundle) if bundle.is_dir() else ():
        if not entry.is_dir(follow_symlinks=False):
            os.unlink(entry.path)  # the marker too, until this run is done
        elif entry.name not in _FOLDERS:
            shutil.rmtree(entry.path)
    command = [
        *(binary, "--site", site),
        *("--output-path", str(bundle), "--silent"),
    ]
    subprocess.run(command, check=True, capture_output=True, text=True)
    try:
        _prune(bundle, before)
    except Exception as reason:  # anything this does not read, or a name reused
        logger.debug("search index: %s not pruned (%s); indexed anew", bundle, reason)
        shutil.rmtree(bundle)
        subprocess.run(command, check=True, capture_output=True, text=True)
    (bundle / COMPLETE).write_text(version("pagefind"))


def pagefind_binary() -> str:
    """Pagefind's binary, found as its Python wrapper (`python -m pagefind`)
    finds it, and run directly: the wrapper starts an interpreter only to
    find it, 0.07-0.15 s a run."""
    # Imported here: it brings asyncio, which a build without search never needs.
    from pagefind.service import get_executable

    found = get_executable()
    if found is None:
        raise FileNotFoundError("Pagefind's binary is missing: pip install 'pagefind[bin]'")
    return str(found.resolve())


META_SIGNATURE = b"pagefind_dcd"


def _prune(bundle: Path, before: dict[str, dict[str, tuple]]) -> None:
    """Remove the files in the bundle's folders that its index no longer names
    (a story's fragment before an edit), each folder's by the names of its own
    kind: an index chunk left from an earlier run once bore the name of a
    page's fragment, and was kept (the benchmark's repeated 10,000-seed runs,
    which then differed from a cold build by that file). Raises ValueError
    when a name the last run gave (`before`) names other content now."""
    named = _named(bundle)
    for folder, names in named.items():
        for name in names.keys() & before.get(folder, {}).keys():
            if names[name] != before[folder][name]:
                raise ValueError(f"{folder} {name} names other content now")
        path = bundle / folder
        for file in os.scandir(path) if path.is_dir() else ():
            if file.name.split(".", 1)[0] not in names:
                os.unlink(file.path)
        # One file a name: names read another way would have removed them.
        left = len(os.listdir(path)) if path.is_dir() else 0
        if left != len(names):
            raise ValueError(f"{len(names)} {folder} files named, but {left} kept")


# Pagefind's folders of files named by content: where its metadata lists them
# (MetaIndex: version, pages, index chunks, filters, …) and where in each
# record the name is; the record's other fields say what the file holds.
_FOLDERS = {"fragment": (1, 0), "index": (2, 2), "filter": (3, 1)}


def _named(bundle: Path) -> dict[str, dict[str, tuple]]:
    """Each folder's files, by name, with what the metadata says of each: a
    page is [fragment, words], an index chunk [from, to, name], a filter
    [filter, name]. Each language's metadata file, which `pagefind-entry.json`
    names, is gzip, a signature, then CBOR (read with cbor2)."""
    import cbor2  # only a site with a search index needs it

    entry = json.loads((bundle / "pagefind-entry.json").read_text())
    found: dict[str, dict[str, tuple]] = {folder: {} for folder in _FOLDERS}
    for language in entry["languages"].values():
        data = gzip.decompress((bundle / f"pagefind.{language['hash']}.pf_meta").read_bytes())
        if not data.startswith(META_SIGNATURE):
            raise ValueError("not a Pagefind metadata file")
        meta = cbor2.loads(data[len(META_SIGNATURE) :])
        for folder, (at, name_at) in _FOLDERS.items():
            for record in meta[at]:
                name = record[name_at]
                if not isinstance(name, str):
                    raise ValueError(f"not the metadata this reads: {folder}")
                found[folder][name] = tuple(record[:name_at] + record[name_at + 1 :])
    return found


def _fill(output: Path, pages: list[str], site: Path) -> None:
    """Make `site` hold the search document (searchdoc.py) of exactly
    `pages` of `output`. The folder is kept from build to build and only its
    changes are made: a year is 3,300 folders, and making them anew for every
    index cost a second of system time. A document already right is kept."""
    kept = _keep_only(site, {os.path.normpath(page) for page in pages})
    for relative in pages:
        made = document((output / relative).read_bytes())
        there = os.path.normpath(relative) in kept
        if not there or (site / relative).read_bytes() != made:
            _replace(site / relative, made, there=there)


def _replace(target: Path, data: bytes, *, there: bool = True) -> None:
    """A new file at `target`: what was there (a page of an earlier build,
    linked by an earlier version of this module) is unlinked, never written
    through. With `there` false (known absent), no unlink is tried: into an
    empty folder (a cold build), a half-year's 1,681 pages took 0.74-0.79 s
    with a failed read and unlink first, 0.45-0.53 s of it system time, and
    0.56-0.61 s without (one-off timings, each in a folder just emptied by
    rmtree; 0.25-0.31 s in folders never made before)."""
    if there:
        try:
            target.unlink()
        except FileNotFoundError:
            there = False
    if not there:
        target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(data)


def _keep_only(site: Path, pages: set[str]) -> set[str]:
    """Remove the files of `site` that are not among `pages` (relative
    paths, normalised), and the folders left empty; returns those kept."""
    kept = set()
    for root, _, files in os.walk(site):
        for name in files:
            path = os.path.join(root, name)
            relative = os.path.relpath(path, site)
            if relative in pages:
                kept.add(relative)
            else:
                os.unlink(path)
    for root, _, files in os.walk(site, topdown=False):
        if root != str(site) and not files:
            with contextlib.suppress(OSError):  # not empty: it has folders
                os.rmdir(root)  # a folder whose page left the bundle
    return kept


# Beside the bundles' folders of documents: for each, the pages it holds with the
# digest of what each showed when the bundle was last indexed from them
# (`Indexing`).
RECORD = ".seedpress-shown.json"


def _read_record(documents: Path) -> dict[str, dict[str, str]]:
    try:
        recorded = json.loads((documents / RECORD).read_text())
    except (OSError, ValueError):
        return {}
    # Anything but bundles of pages and digests (a file of another version): none.
    if not isinstance(recorded, dict) or not all(
        isinstance(pages, dict) and all(isinstance(known, str) for known in pages.values())
        for pages in recorded.values()
    ):
        return {}
    return recorded


def _write_record(documents: Path, recorded: dict[str, dict[str, str]]) -> None:
    documents.mkdir(parents=True, exist_ok=True)
    fresh = documents / f"{RECORD}.new"
    fresh.write_text(json.dumps(recorded, sort_keys=True, separators=(",", ":")))
    fresh.replace(documents / RECORD)
