"""A whole build: convert seeds, run Pelican strictly, then say what happened.

Rejected seeds do not stop the build (every good seed is still published), but
they make it fail at the end so CI notices. Inside Pelican, any logged error (a
template, an unreadable post, a plugin that failed to load) fails the build:
Pelican itself would log it and still exit 0.

A build whose inputs did not change ends before Pelican is imported
(unchanged.py): Pelican and the modules that use it are imported inside the
functions that need them, as importing them is a third of such a build.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import time
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from . import settings as sp
from . import unchanged
from .atomic import BuildLock, discard, empty_trash, recover, staging_for, swap_in
from .collector import collector_spared, release_garbage
from .convert import Report, convert
from .hashes import FileHashes, files_under, folder_digest
from .log import ErrorLog, counted, get_logger
from .parallel import Beside, jobs

logger = get_logger(__name__)


# The stages of a build that is not proven unchanged, in order, as
# BuildResult.stages names them (what each costs shows which grow with the
# archive):
# - conversion: seeds to posts (convert.py), in a child process while this
#   one unpickles the kept articles when there are many (_convert);
# - stories: Pelican reads the posts (or restores them: articlecache.py) and
#   each story is given what it shows (neighbours, read next, bios), until
#   all_generators_finalized;
# - queue: the generators' output: every page and feed queued, the pages
#   written at once (a post saved over another page, one linking other
#   content), the static files and the theme copied;
# - pages: the queued pages, feeds and sitemap made or linked (SiteWriter._finish);
# - search: what is left of the search index once the pages are written
#   (search.Indexing: an edit's bundle starts before them), or its removal
#   when it is off;
# - rest: everything else: the failed no-change proof, reading the settings
#   (and importing Pelican, when the caller has not), the unpickling of the
#   kept articles beyond the conversion's own time and the child's answer,
#   the inputs' digest, the swap, the record of the inputs.
STAGES = ("conversion", "stories", "queue", "pages", "search", "rest")


@dataclass
class BuildResult:
    """The conversion report, Pelican's errors, and what the site holds."""

    report: Report
    errors: list[str] = field(default_factory=list)
    pages: int = 0
    feeds: int = 0
    seconds: float = 0.0
    # True when no input changed and the site was left as it was.
    skipped: bool = False
    # Seconds the build waited for the search index once its pages were
    # written (it starts while they are); None when reused or not built.
    search_seconds: float | None = None
    # The site's folder (output/, or output-production/ for publishing).
    site: str = "output"
    # Seconds of each stage of the build, in order (STAGES); empty when it
    # ended on a proof that no input changed. A stage that did not run (the
    # search index after Pelican failed) is left out.
    stages: dict[str, float] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        """True when nothing was rejected and Pelican logged no error."""
        return not (self.report.rejected or self.report.damaged or self.errors)

    def summary(self) -> str:
        """The lines printed at the end of `invoke build`."""
        lines = [
            self.report.summary(),
            f"site: {counted(self.pages, 'page')} and {counted(self.feeds, 'feed')} "
            f"in {self.site}{' (no input changed: nothing rebuilt)' if self.skipped else ''}, "
            f"{counted(len(self.errors), 'build error')}, {self.seconds:.1f} s",
        ]
        if self.stages:
            lines.append(
                "time: " + ", ".join(f"{name} {self.stages[name]:.1f} s" for name in self.stages)
            )
        lines += [f"  rejected {path}: {why}" for path, why in self.report.rejected]
        lines += [f"  damaged {path}: {why}" for path, why in self.report.damaged]
        lines += [f"  build error: {error}" for error in self.errors]
        return "\n".join(lines)


def load_settings(
    settings_file: Path, overrides: dict[str, Any] | None = None, *, warn: bool = False
):
    """Pelican's settings, paths made absolute against the settings file;
    Seedpress's checked (settings.check: SettingsError names a wrong value,
    or the settings file that failed; `warn` logs the names that are no
    setting).

    The content folder is created first if missing: Pelican refuses to start
    without it, and a new project's first conversion is what fills it.
    """
    from pelican.settings import get_settings_from_file, read_settings

    overrides = overrides or {}
    try:
        content = overrides.get("PATH") or get_settings_from_file(str(settings_file)).get(
            "PATH", "content"
        )
        (settings_file.parent / content).mkdir(parents=True, exist_ok=True)
        settings = read_settings(str(settings_file), override=overrides)
    except Exception as exc:  # the file itself failed (it is Python), or Pelican refused it
        raise sp.SettingsError(f"{settings_file.name}: {type(exc).__name__}: {exc}") from exc
    for warning in sp.check(settings, Path(settings_file).name):
        if warn:
            logger.warning("%s", warning)
    return settings


def seeds_path(settings: dict[str, Any], settings_file: Path) -> Path:
    """The seeds folder, relative to the project root (where the settings are)."""
    return settings_file.parent / sp.get(settings, "SEEDPRESS_SEEDS_PATH")


@contextlib.contextmanager
def lock(settings: dict[str, Any]) -> Iterator[None]:
    """The locks that keep two builds (or conversions) apart: one beside the
    content folder, one beside the output folder. `invoke build` and `invoke
    preview` write different sites from the same posts and ledger: with a lock
    only beside each output, both converted the same new seeds at once, and
    each story got two posts under two URLs. Neither waits: a build that
    finds one taken stops (BuildBusy)."""
    content, output = Path(settings["PATH"]), Path(settings["OUTPUT_PATH"])
    with (
        BuildLock(content.with_name(f".{content.name}.lock")),
        BuildLock(output.with_name(f".{output.name}.lock")),
    ):
        yield


def build(
    settings_file: Path,
    *,
    force: bool = False,
    date: datetime | None = None,
    overrides: dict[str, Any] | None = None,
    locked: bool = False,
) -> BuildResult:
    """Convert, then build the site; never raises for bad input, reports it.

    A build whose inputs did not change since the last clean one ends on the
    stat proof (unchanged.py), before Pelican is imported; else on the digest
    of its inputs, after the conversion. One build at a time (a lock beside
    output/, unless the caller holds it: `locked`); the site is built into a
    staging folder and swapped in only when Pelican logged no error.
    """
    started = time.monotonic()
    settings_file = Path(settings_file).absolute()  # the proof names files by path
    key = unchanged.settings_key(settings_file, overrides)
    proof = None if force or key is None else unchanged.still_built(*key)
    if proof is not None:
        logger.info("site: no input changed, %s kept as it is", proof["output"])
        return BuildResult(
            report=Report(unchanged=proof["seeds"]),
            skipped=True,
            pages=proof["pages"],
            feeds=proof["feeds"],
            seconds=time.monotonic() - started,
            site=Path(proof["output"]).name,
        )
    settings = load_settings(settings_file, overrides, warn=True)
    output = Path(settings["OUTPUT_PATH"])
    with contextlib.nullcontext() if locked else lock(settings), collector_spared(), _preloads():
        recover(output)
        empty_trash(output)
        hashes = FileHashes(output.with_name(f".{output.name}.hashes"))
        cached = sp.get(settings, "SEEDPRESS_CONTENT_CACHE")
        cache = content_cache(settings, output, hashes) if cached else {}
        # The dict Pelican will be given as its settings (_rebuild fills it).
        render: dict[str, Any] = {}

        def conversion() -> Report:
            return convert(
                seeds_path(settings, settings_file),
                Path(settings["PATH"]),
                settings,
                force=force,
                date=date,
                hashes=hashes,
            )

        report = _convert(conversion, settings, hashes, cache, render)
        result = BuildResult(report=report, site=output.name)
        hashes.settle()  # Pelican asks again for what the digest looks at now
        digest = inputs_digest(settings, settings_file, hashes)
        hashes.save()
        built = unchanged.read(output)
        result.skipped = built.get("digest") == digest and unchanged.intact(built, output)
        if result.skipped:
            # Nothing the site is made from changed: the output is already right
            # (and so are its counts: counting 10,000 pages takes a second).
            logger.info("site: no input changed, %s kept as it is", output)
            result.pages, result.feeds = built["pages"], built["feeds"]
        else:
            _rebuild(result, settings, output, hashes, cache=cache, render=render)
        if not result.errors:
            _prove(
                result,
                settings=settings,
                settings_file=settings_file,
                key=key,
                digest=digest,
                hashes=hashes,
            )
    result.seconds = time.monotonic() - started
    if not result.skipped:
        measured = {"conversion": result.report.seconds, **result.stages}
        result.stages = _in_order(measured, result.seconds)
    return result


def _in_order(measured: dict[str, float], seconds: float) -> dict[str, float]:
    """The stages in STAGES's order, "rest" what they leave of `seconds`."""
    stages = {name: measured[name] for name in STAGES if name in measured}
    stages["rest"] = max(0.0, seconds - sum(stages.values()))
    return stages


@contextlib.contextmanager
def _preloads() -> Iterator[None]:
    """The build's articles unpickled before Pelican ran (_convert) are
    forgotten when it ends, whether Pelican took them or it did not run."""
    try:
        yield
    finally:
        from .articlecache import forget_preloaded  # Pelican's: imported by now

        forget_preloaded()


def _convert(
    conversion: Callable[[], Report],
    settings: dict[str, Any],
    hashes: FileHashes,
    cache: dict[str, Any],
    render: dict[str, Any],
) -> Report:
    """The conversion's report. When the build keeps many articles from the
    last one (articlecache.worth_preloading), the conversion runs in a child
    process while this one unpickles them (articlecache.preload) for the
    Pelican given `render` as its settings: in an edit at 10,000 stories
    that was 0.4-0.5 s after the conversion's 0.35-0.45 s, one core idle."""
    from . import articlecache  # Pelican's: imported by now (load_settings)

    if jobs(settings) < 2 or not articlecache.worth_preloading(cache):
        return conversion()

    def converted() -> tuple[Report, tuple]:
        before = hashes.known_now()
        return conversion(), hashes.state(before)

    child = Beside(converted)
    try:
        articlecache.preload(cache, render)
    finally:
        report, state = child.result()  # waited for even when the preload failed
    hashes.take(state)
    return report


def _rebuild(
    result: BuildResult,
    settings: dict[str, Any],
    output: Path,
    hashes: FileHashes,
    *,
    cache: dict[str, Any],
    render: dict[str, Any],
) -> None:
    """Build the site into a staging folder; swap it in if Pelican logged no
    error. `render` is the dict Pelican is given as its settings, filled
    here (the kept articles may be unpickled with it already: _convert)."""
    report = result.report
    staging = staging_for(output)
    # A damaged post is left out rather than published broken.
    ignore = [*settings["IGNORE_FILES"], *(Path(p).name for p, _ in report.damaged)]
    render |= settings | {
        "OUTPUT_PATH": str(staging),
        "IGNORE_FILES": ignore,
        "SEEDPRESS_PREVIOUS_OUTPUT": str(output) if output.is_dir() else None,
        "SEEDPRESS_FILE_HASHES": hashes,
        "SEEDPRESS_LEDGER": report.ledger,
    }
    render |= cache
    result.errors, result.search_seconds = _render(render, output, result)
    unchanged.forget(output)  # until the new site is in place
    if result.errors:
        result.pages = result.feeds = 0  # the site kept is the one counted
        _count(result, output)
        if staging.is_dir():
            discard(staging, output)
        logger.error("site not updated: %s kept as it was", output)
    else:
        swap_in(staging, output)


def _prove(
    result: BuildResult,
    *,
    settings: dict[str, Any],
    settings_file: Path,
    key: tuple[str, Path] | None,
    digest: str,
    hashes: FileHashes,
) -> None:
    """Record what the site in output/ was built from, for the next build's
    no-change checks: the inputs' digest, and the files read with their stats.
    A build with something to report again (a rejected seed, a hand edit kept)
    gets no stat proof: the next one runs the conversion, which reports it."""
    report = result.report
    clean = not (report.rejected or report.damaged or report.kept_edits or result.errors)
    folders = [
        (str(seeds_path(settings, settings_file)), unchanged.SEEDS),
        (str(Path(settings["PATH"])), unchanged.TREE),
        (str(Path(settings["THEME"])), unchanged.TREE),
        (str(Path(__file__).parent), unchanged.TREE),
        (str(settings_file.parent), unchanged.SETTINGS),
        (str(settings_file), unchanged.FILE),  # whatever its name
        *_templates_outside(settings),
    ]
    unchanged.record(
        Path(settings["OUTPUT_PATH"]),
        key[0] if clean and key else None,
        folders,
        hashes.looked_up(),
        {
            "digest": digest,
            "pages": result.pages,
            "feeds": result.feeds,
            "seeds": report.unchanged + len(report.written),
        },
    )


def _count(result: BuildResult, output: Path) -> BuildResult:
    """The pages (HTML files) and feeds (files in feeds/) of the site. The
    search index's folder is not walked: it holds neither, and at 10,000
    stories it is 10,000 files of the 23,000."""
    from .search import BUNDLE

    for relative, _ in files_under(output, skip=BUNDLE.__eq__, top_only=True):
        if relative.startswith("feeds/"):
            result.feeds += 1
        result.pages += relative.endswith(".html")
    return result


def content_cache(
    settings: dict[str, Any], output: Path, hashes: FileHashes | None = None
) -> dict[str, Any]:
    """Pelican's content cache, at the generator layer: each article as Pelican
    made it (articlecache.py), checked by the post's SHA-256. In a folder beside
    output/ named for the settings, the library versions and the code that
    shape an article, and for the cache's own, so a change of Markdown or other
    settings (or of how entries are checked) never reads a stale entry."""
    if not settings.get("WITH_FUTURE_DATES", True):
        # A post dated in the future is a draft until its date: a kept one
        # would stay a draft after it (Pelican warns of the same).
        return {"CACHE_CONTENT": False, "LOAD_CONTENT_CACHE": False}
    cache = {
        "CACHE_CONTENT": True,
        "LOAD_CONTENT_CACHE": True,
        "CONTENT_CACHING_LAYER": "generator",
        # SHA-256, as hashes.FileHashes: the build hands Pelican the hashes it
        # already holds (articlecache.stamp_by_hashes).
        "CHECK_MODIFIED_METHOD": "sha256",
        "GZIP_CACHE": False,
    }
    shaping = json.dumps(
        [
            {
                k: v
                for k, v in (settings | cache).items()
                # Seedpress's own settings never reach the articles Pelican makes.
                if k not in ("OUTPUT_PATH", "IGNORE_FILES") and not k.startswith("SEEDPRESS_")
            },
            unchanged.versions(),
            # Seedpress's own code, which may hook how Pelican makes articles.
            folder_digest(Path(__file__).parent, hashes).hex(),
        ],
        sort_keys=True,
        default=repr,
    )
    key = hashlib.sha256(shaping.encode()).hexdigest()[:16]
    return {
        **cache,
        "CACHE_PATH": str(output.with_name(f".{output.name}.cache") / key),
        "SEEDPRESS_CACHE_KEYED": True,
    }


def _templates_outside(settings: dict[str, Any]) -> list[tuple[str, str]]:
    """The other templates' folders and files (settings.template_sources),
    those outside the content folder, for the proof: an edited one is a
    change, as an edited theme is."""
    folders, pages = sp.template_sources(settings)
    content = Path(settings["PATH"])
    return [(str(folder), unchanged.TREE) for folder in folders] + [
        (str(page), unchanged.FILE)
        for page in pages
        if not page.resolve().is_relative_to(content.resolve())
    ]


def inputs_digest(
    settings: dict[str, Any], settings_file: Path, hashes: FileHashes | None = None
) -> str:
    """SHA-256 of everything a site is made from: the posts and pages in
    content/, the theme, Seedpress's own code, the settings files and values."""
    hashes = hashes or FileHashes()
    digest = hashlib.sha256()
    for folder in (Path(settings["PATH"]), Path(settings["THEME"]), Path(__file__).parent):
        digest.update(folder_digest(folder, hashes))
    for path in sorted({*settings_file.parent.glob(unchanged.SETTINGS_FILES), settings_file}):
        digest.update(hashes.of(path).encode())
    for path, kind in _templates_outside(settings):
        if kind == unchanged.TREE:
            digest.update(folder_digest(Path(path), hashes))
        elif Path(path).is_file():
            digest.update(hashes.of(Path(path)).encode())
    digest.update(json.dumps(settings, sort_keys=True, default=repr).encode())
    digest.update(json.dumps(unchanged.versions()).encode())
    return digest.hexdigest()


def _render(
    settings: dict[str, Any], previous: Path, result: BuildResult
) -> tuple[list[str], float | None]:
    """Pelican, then the search index, into settings' OUTPUT_PATH; the
    seconds of each stage that ran go into `result.stages` (STAGES), and the
    site's pages and feeds are counted into `result` while the search index
    is finished (Pagefind runs in a process of its own: this one waits).

    Returns the errors logged, and the seconds the build waited for the
    search index once its pages were written (None when it was reused or
    not built).
    """
    from pelican import Pelican, signals

    from . import search, writer

    search_seconds = None
    counter = ErrorLog()
    root = logging.getLogger()
    root.addHandler(counter)
    started = time.monotonic()
    read: list[float] = []

    # A module of Seedpress's own: derived.only_seedpress, which reuses kept
    # values only when no other module listens to this signal, accepts it.
    def stories_read(_generators) -> None:
        read.append(time.monotonic())

    stages, staging = result.stages, Path(settings["OUTPUT_PATH"])
    counting: Future | None = None
    pool = ThreadPoolExecutor(max_workers=1)
    signals.all_generators_finalized.connect(stories_read)
    indexing = None
    if sp.get(settings, "SEEDPRESS_SEARCH"):
        indexing = search.Indexing(staging, previous, jobs(settings))
    try:
        Pelican(settings).run()
        written = time.monotonic()
        pages = writer.take_seconds(staging)
        if read and pages is not None:
            stages["stories"] = read[0] - started
            stages["queue"] = written - pages - read[0]
            stages["pages"] = pages
        if not counter.messages:  # else the staging folder is discarded
            # Every page is in place (a recycling no writer took is waited
            # for); the count never walks the search index's folder (_count).
            writer.settle_recycled(staging)
            counting = pool.submit(_count, result, staging)
            if indexing is not None:
                search_seconds = indexing.finish(meanwhile=release_garbage)
            else:
                search.remove(staging)
            stages["search"] = time.monotonic() - written
    except Exception as exc:  # any failure inside Pelican fails the build
        logger.error("site build failed: %s: %s", type(exc).__name__, exc)
    finally:
        pool.shutdown(wait=True)
        if indexing is not None:
            indexing.close()
        signals.all_generators_finalized.disconnect(stories_read)
        root.removeHandler(counter)
        writer.settle_recycled(staging)
        writer.take_seconds(staging)  # of a writer whose build failed after it
    if counting is not None:
        counting.result()  # raises what the count raised, as it would here
    return counter.messages, search_seconds
