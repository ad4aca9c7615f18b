"""The search index: Pagefind over the stories, one bundle per year.

Pagefind has no incremental mode, and over a whole archive it is slow and
large: 10,000 stories take over 20 s and 1.5 GB. So the stories are indexed in
one bundle per year of publication (`pagefind/2025/`), which the search page
merges (Pagefind's `mergeIndex`). A build indexes again only the years whose
pages changed, and reuses the others from the previous build: an edit costs one
year of the archive, and no Pagefind process ever holds more than one year.

The search page learns the bundles when Pelican has read the stories (`plan`);
the pages and digest of each are written in output/ when the stories are
written (`write_plan`); the bundles are built after the site (`index`).
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

from . import settings as sp
from .atomic import link_or_copy, link_tree, trash_for
from .fingerprint import Unkeyable, code_token, digest, story
from .log import get_logger

logger = get_logger(__name__)

BUNDLE = "pagefind"
DIGEST = ".seedpress-digest"
# The pages and digest of each bundle, in output/ (hidden: never published).
PLAN_FILE = ".seedpress-search.json"


def _by_year(generator) -> dict[str, list]:
    """The stories indexed, by year of publication, newest year first."""
    years: dict[str, list] = defaultdict(list)
    for article in [*generator.articles, *generator.translations]:
        if article.save_as:  # a story may be left unwritten (SAVE_AS = "")
            years[f"{article.date.year:04d}"].append(article)
    return {year: years[year] for year in sorted(years, reverse=True)}


def plan(generator) -> None:
    """Pelican's article_generator_finalized: the search page learns the
    bundles, as SEARCH_BUNDLES (none when the search index is off)."""
    on = sp.get(generator.settings, "SEEDPRESS_SEARCH")
    generator.context["SEARCH_BUNDLES"] = list(_by_year(generator)) if on else []


def write_plan(generator, writer=None) -> None:  # the signal passes the writer
    """Pelican's article_writer_finalized: each bundle's pages and digest,
    written in output/ for `index`.

    The digest covers what Pagefind reads of a bundle's pages: each story
    (URL, metadata and text: fingerprint.story, and its dates as shown), the
    theme and code that lay it out, and Pagefind's version (code_token). Not
    the whole page: an edit changes the "read next" links of stories of other
    years, which the index leaves out. Taken here, after Pelican has resolved
    the links in every story's metadata.
    """
    settings = generator.settings
    if not sp.get(settings, "SEEDPRESS_SEARCH"):
        return
    site = [
        code_token(settings),
        *(settings.get(name) for name in ("DEFAULT_LANG", "SITEURL", "RELATIVE_URLS")),
    ]
    bundles = {}
    for year, stories in _by_year(generator).items():
        stories.sort(key=lambda article: article.save_as)
        try:
            known = digest([site, [_shown(article) for article in stories]])
        except Unkeyable:  # a story linking other content: indexed every time
            known = None
        bundles[year] = {"pages": [article.save_as for article in stories], "digest": known}
    output = Path(generator.output_path)
    output.mkdir(parents=True, exist_ok=True)
    (output / PLAN_FILE).write_text(json.dumps(bundles, indent=0))


def _shown(article) -> list:
    """A story as its indexed page shows it."""
    dates = [getattr(article, name, None) for name in ("locale_date", "locale_modified")]
    return [article.save_as, story(article), *map(str, dates)]


def index(output: Path, previous: Path) -> float | None:
    """Build output/pagefind/<year>/ for every year (output/ is a staging
    folder), reusing the bundle of `previous` (the site's output/, if it
    exists yet) for each year whose digest did not change.

    Returns the seconds spent indexing, or None when every bundle was reused.
    """
    bundles: dict[str, dict] = json.loads((output / PLAN_FILE).read_text())
    shutil.rmtree(output / BUNDLE, ignore_errors=True)
    spent = None
    for year, bundle in bundles.items():
        known, target = bundle["digest"], output / BUNDLE / year
        old = previous / BUNDLE / year
        if known and (old / DIGEST).is_file() and (old / DIGEST).read_text() == known:
            link_tree(old, target)
            continue
        started = time.monotonic()
        _pagefind(output, bundle["pages"], target, trash_for(previous))
        if known:
            (target / DIGEST).write_text(known)
        seconds = time.monotonic() - started
        spent = (spent or 0.0) + seconds
        logger.info(
            "search index: %s rebuilt, %d stories, %.1f s", year, len(bundle["pages"]), seconds
        )
    if spent is None and bundles:
        logger.info("search index: stories unchanged, kept")
    return spent


def _pagefind(output: Path, pages: list[str], target: Path, trash: Path) -> None:
    """Run Pagefind over `pages` only: hard links to them in a folder of their
    own (Pagefind indexes a folder; a page's URL is its path in it), made in
    the trash, where the next build deletes it in the background."""
    trash.mkdir(exist_ok=True)
    site = tempfile.mkdtemp(dir=trash, prefix="search-")
    for relative in pages:
        link = Path(site, relative)
        link.parent.mkdir(parents=True, exist_ok=True)
        link_or_copy(output / relative, link)
    command = [
        *(sys.executable, "-m", "pagefind", "--site", site),
        *("--output-path", str(target), "--silent"),
    ]
    subprocess.run(command, check=True, capture_output=True, text=True)
