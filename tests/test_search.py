"""The search index (search.py): one Pagefind bundle for the recent stories
and one per year (or half-year) for the others, merged by the search page,
and built again only for the bundles that changed.
tests/test_browser.py searches the merged bundles in chromium."""

from __future__ import annotations

import gzip
import json
import os
import shutil
from datetime import UTC, datetime, timedelta, timezone

import pytest
from bs4 import BeautifulSoup
from conftest import ROOT, Site

from seedpress.search import BUNDLE, PLAN_FILE
from seedpress.searchdoc import document

OLD = datetime(2025, 3, 2, 9, 0, tzinfo=UTC)
NEW = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)
SEARCH = {"SEEDPRESS_SEARCH": True}


def _two_years(site: Site) -> None:
    """The demo stories in November 2026 (the recent bundle), but for the
    water bears, published in 2025."""
    shutil.copytree(ROOT / "seeds", site.seeds, dirs_exist_ok=True)
    bears = site.seeds / "science" / "water-bears-survive-martian-dust.txt"
    text = bears.read_bytes()
    bears.unlink()
    assert site.build(date=NEW, settings=SEARCH).ok
    bears.write_bytes(text)
    assert site.build(date=OLD, settings=SEARCH).ok


def _files(site: Site, year: str) -> dict[str, int]:
    folder = site.output / BUNDLE / year
    return {
        p.relative_to(folder).as_posix(): p.stat().st_ino for p in folder.rglob("*") if p.is_file()
    }


def _cold(site: Site, folder, settings=SEARCH) -> Site:
    """A cold build of `site`'s seeds and posts in `folder`."""
    cold = Site(folder)
    shutil.copytree(site.seeds, cold.seeds, dirs_exist_ok=True)
    shutil.copytree(site.content, cold.content)
    assert cold.build(settings=settings).ok
    return cold


def _cold_tree(site: Site, folder) -> dict[str, bytes]:
    return _cold(site, folder).tree()


def _edit_a_recent_story(site: Site) -> None:
    lanes = site.seeds / "city-council-approves-bike-lanes.txt"
    lanes.write_text(lanes.read_text().replace("\n\n", "\n\nCorrected. ", 2))


@pytest.fixture
def two_years(tmp_path) -> Site:
    site = Site(tmp_path / "site")
    _two_years(site)
    return site


def test_the_recent_stories_then_one_bundle_per_year(two_years):
    assert sorted(p.name for p in (two_years.output / BUNDLE).iterdir()) == ["2025", "recent"]
    plan = json.loads((two_years.output / PLAN_FILE).read_text())
    assert list(plan) == ["recent", "2025"]
    [bears] = plan["2025"]["pages"]
    assert "water-bears" in bears and len(plan["recent"]["pages"]) == 7
    for year in plan:
        assert (two_years.output / BUNDLE / year / "pagefind-entry.json").is_file()
    page = BeautifulSoup((two_years.output / "search" / "index.html").read_text(), "html.parser")
    assert page.select_one("#search")["data-bundles"] == "../pagefind/recent/ ../pagefind/2025/"
    scripts = [s["src"] for s in page.select("script[src]")]
    assert "../pagefind/recent/pagefind-ui.js" in scripts


def test_an_edit_indexes_only_its_year_again(two_years, tmp_path):
    before = {year: _files(two_years, year) for year in ("2025", "recent")}
    bears = two_years.seeds / "science" / "water-bears-survive-martian-dust.txt"
    bears.write_text(bears.read_text().replace("\n\n", "\n\nCorrected. ", 1))
    result = two_years.build(date=OLD, settings=SEARCH)
    assert result.ok and result.search_seconds is not None
    assert _files(two_years, "recent") == before["recent"]  # the same files, linked
    assert _files(two_years, "2025") != before["2025"]

    # And the site, index included, is the one a cold build makes.
    assert two_years.tree() == _cold_tree(two_years, tmp_path / "cold")


def _new_story(site: Site, name: str) -> None:
    (site.seeds / f"{name}.txt").write_text(
        f"Pilot boat renamed {name}\n\n"
        "The boat that guides ships into Port Calder takes a retired skipper's name\n\n"
        "The harbour's pilot boat will carry the name of its longest-serving skipper.\n\n"
        "Author: Mara Okafor\n"
    )


def test_a_new_story_indexes_only_the_recent_bundle(two_years, tmp_path):
    """A newsroom's daily loop: a new story costs the recent bundle, never a year's."""
    before = _files(two_years, "2025")
    _new_story(two_years, "pilot-boat")
    result = two_years.build(date=NEW + timedelta(days=3), settings=SEARCH)
    assert result.ok and result.search_seconds is not None
    assert _files(two_years, "2025") == before
    plan = json.loads((two_years.output / PLAN_FILE).read_text())
    assert list(plan) == ["recent", "2025"] and len(plan["recent"]["pages"]) == 8
    assert two_years.tree() == _cold_tree(two_years, tmp_path / "cold")


def test_bundles_are_cut_in_the_newest_storys_time_zone():
    """A post written by hand may give its date another offset: 23:30 UTC on
    31 December is already January where the newest story was dated."""
    from types import SimpleNamespace

    from seedpress.search import _bundles

    def story(when: datetime) -> SimpleNamespace:
        return SimpleNamespace(date=when, save_as="x/index.html")

    plus5 = timezone(timedelta(hours=5))
    newest = story(datetime(2026, 2, 1, 0, 30, tzinfo=plus5))
    december = story(datetime(2025, 12, 31, 23, 30, tzinfo=UTC))
    november = story(datetime(2025, 11, 30, 12, 0, tzinfo=UTC))
    generator = SimpleNamespace(articles=[newest, december, november], translations=[])
    assert {name: len(stories) for name, stories in _bundles(generator).items()} == {
        "recent": 2,
        "2025": 1,
    }


def test_a_year_of_many_stories_is_cut_into_halves(monkeypatch):
    """Pagefind holds a bundle in memory: a year of more than BUNDLE_MOST
    stories is cut into its halves, each named by its first month, newest
    first; a smaller year stays whole, and never finer than halves."""
    from types import SimpleNamespace

    from seedpress import search

    def story(month: int, year: int = 2025) -> SimpleNamespace:
        return SimpleNamespace(date=datetime(year, month, 10, tzinfo=UTC), save_as="x/index.html")

    newest = story(6, 2026)
    year = [story(1), story(1), story(2), story(8), story(8), story(12)]
    generator = SimpleNamespace(articles=[newest, *year, story(5, 2024)], translations=[])

    def cut(most: int) -> dict[str, int]:
        monkeypatch.setattr(search, "BUNDLE_MOST", most)
        return {name: len(stories) for name, stories in search._bundles(generator).items()}

    assert cut(6) == {"recent": 1, "2025": 6, "2024": 1}
    assert cut(5) == {"recent": 1, "2025-07": 3, "2025-01": 3, "2024": 1}
    assert cut(1) == cut(5)
    generator.articles = [newest, story(1), story(2)]
    assert cut(1) == {"recent": 1, "2025-01": 2}  # an empty half is no bundle


def _schedule(sizes: dict[str, int], one, at_once: int, meanwhile) -> None:
    """`one` for each bundle, all added at once, as a cold build's are."""
    from seedpress.search import _Schedule

    schedule = _Schedule(one)
    for name, size in sizes.items():
        schedule.add(name, size)
    schedule.run(at_once, meanwhile)


def test_pagefinds_run_two_at_a_time_while_their_stories_fit():
    """Largest first; a second starts only while the stories of both stay
    within IN_FLIGHT_MOST, and `meanwhile` is called once, before it starts."""
    import threading
    import time

    from seedpress.search import IN_FLIGHT_MOST

    lock, running, most, events = threading.Lock(), set(), [0], []
    gate = threading.Barrier(2, timeout=5)

    def one(name: str) -> None:
        with lock:
            running.add(name)
            most[0] = max(most[0], len(running))
            events.append(("start", name))
        if name in ("b", "c"):
            gate.wait()  # b and c are sure to run together
        time.sleep(0.05)
        with lock:
            running.discard(name)

    def meanwhile() -> None:
        events.append(("meanwhile", ""))

    sizes = {"a": IN_FLIGHT_MOST - 10, "b": IN_FLIGHT_MOST // 2, "c": IN_FLIGHT_MOST // 2, "d": 11}
    _schedule(sizes, one, 2, meanwhile)
    # a alone (d, 11, would not fit beside it); then b and c together; then d.
    starts = [name for kind, name in events if kind == "start"]
    assert starts[0] == "a" and set(starts[1:3]) == {"b", "c"} and starts[3] == "d"
    assert [kind for kind, _ in events].count("meanwhile") == 1
    assert events.index(("meanwhile", "")) < events.index(("start", "c"))  # c was submitted after
    assert most[0] == 2
    events.clear()
    most[0] = 0
    _schedule({"x": 5, "y": 5}, one, 1, meanwhile)  # one at a time: nothing to make room for
    assert events == [("start", "x"), ("start", "y")] and most[0] == 1


def test_a_failed_pagefind_stops_the_schedule_and_every_failure_is_told(caplog):
    started = []

    def one(name: str) -> None:
        started.append(name)
        raise RuntimeError(f"{name} failed")

    with pytest.raises(RuntimeError, match="a failed"):
        _schedule({"a": 3, "b": 2, "c": 1}, one, 2, None)
    assert started == ["a", "b"]  # c never started
    assert "RuntimeError: b failed" in caplog.text


def _three_half_years(site: Site, monkeypatch) -> None:
    """The demo stories over two half-years of 2025 and the recent months:
    three bundles (search.BUNDLE_MOST at 3)."""
    from seedpress import search

    monkeypatch.setattr(search, "BUNDLE_MOST", 3)
    demo = sorted(p for p in (ROOT / "seeds").rglob("*.txt"))
    for seeds, when in (
        (demo[:3], "2025-02-10"),
        (demo[3:6], "2025-09-10"),
        (demo[6:], "2026-11-24"),
    ):
        for seed in seeds:
            target = site.seeds / seed.relative_to(ROOT / "seeds")
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(seed.read_bytes())
        date = datetime.fromisoformat(when).replace(hour=9, tzinfo=UTC)
        assert site.build(date=date, settings={**SEARCH, "SEEDPRESS_JOBS": 2}).ok


def test_bundles_indexed_two_at_a_time_are_those_of_one_at_a_time(tmp_path, monkeypatch):
    """A cold build indexes two bundles at once and frees the build's garbage
    meanwhile; its site is byte for byte the site indexed one at a time."""
    from seedpress import build

    freed = []
    monkeypatch.setattr(build, "release_garbage", lambda: freed.append(True))
    site = Site(tmp_path / "site")
    _three_half_years(site, monkeypatch)
    freed.clear()
    cold = _cold(site, tmp_path / "cold", settings={**SEARCH, "SEEDPRESS_JOBS": 2})
    assert freed == [True]  # three bundles to index, two at a time
    plan = json.loads((cold.output / PLAN_FILE).read_text())
    assert [(name, len(plan[name]["pages"])) for name in plan] == [
        ("recent", 2),
        ("2025-07", 3),
        ("2025-01", 3),
    ]
    one_at_a_time = _cold(site, tmp_path / "one", settings={**SEARCH, "SEEDPRESS_JOBS": 1})
    assert freed == [True]  # one at a time: nothing to make room for
    assert cold.tree() == one_at_a_time.tree() == site.tree()


def test_a_new_month_moves_the_month_before_last_into_its_year(two_years, tmp_path):
    """The recent bundle holds the newest story's month and the month before:
    the first story of January 2027 takes November 2026's into 2026's bundle.
    Decided by the stories' dates, not the day of the build."""
    _new_story(two_years, "pilot-boat")
    result = two_years.build(date=datetime(2027, 1, 5, 9, 0, tzinfo=UTC), settings=SEARCH)
    assert result.ok and result.search_seconds is not None
    plan = json.loads((two_years.output / PLAN_FILE).read_text())
    assert list(plan) == ["recent", "2026", "2025"]
    assert [len(plan[name]["pages"]) for name in plan] == [1, 7, 1]
    page = BeautifulSoup((two_years.output / "search" / "index.html").read_text(), "html.parser")
    assert page.select_one("#search")["data-bundles"] == (
        "../pagefind/recent/ ../pagefind/2026/ ../pagefind/2025/"
    )
    assert two_years.tree() == _cold_tree(two_years, tmp_path / "cold")


def test_a_kept_bundle_gains_only_the_new_files_and_loses_the_stale(two_years, tmp_path):
    """Pagefind writes a year into a folder kept beside output/ and leaves
    the files it finds there: an edit adds the story's new fragment (and the
    chunks that changed), and the files the index no longer names go."""
    kept = two_years.root / ".output.pagefind" / "recent"
    before = {p.relative_to(kept).as_posix(): p.stat().st_ino for p in kept.rglob("*.pf_*")}
    _edit_a_recent_story(two_years)
    assert two_years.build(date=NEW, settings=SEARCH).ok
    after = {p.relative_to(kept).as_posix(): p.stat().st_ino for p in kept.rglob("*.pf_*")}
    fragments = [name for name in after if name.startswith("fragment/")]
    assert len(fragments) == 7  # one per recent story: the old fragment went
    untouched = [name for name in after if before.get(name) == after[name]]
    assert len([name for name in untouched if name.startswith("fragment/")]) == 6
    assert two_years.tree() == _cold_tree(two_years, tmp_path / "cold")


def test_a_stale_file_bearing_a_name_of_another_kind_goes(two_years, tmp_path):
    """Pagefind's names are 28 bits of hash: an index chunk left from an
    earlier run once bore the name of a page's fragment, and was kept."""
    kept = two_years.root / ".output.pagefind" / "recent"
    # A fragment the edit keeps (the edited story's goes anyway).
    fragment = next(
        path.name.split(".")[0]
        for path in (kept / "fragment").iterdir()
        if b"bike-lanes" not in gzip.decompress(path.read_bytes())
    )
    chunk = next((kept / "index").iterdir())
    stale = kept / "index" / f"{fragment}.pf_index"
    stale.write_bytes(chunk.read_bytes())
    _edit_a_recent_story(two_years)
    assert two_years.build(date=NEW, settings=SEARCH).ok
    assert not stale.exists()
    assert two_years.tree() == _cold_tree(two_years, tmp_path / "cold")


def test_a_kept_name_that_names_other_content_now_is_not_pruned(two_years):
    """A name this run gives that the last run gave other content (Pagefind
    leaves the old file): told by what each run's metadata says of it."""
    from seedpress.search import _named, _prune

    kept = two_years.root / ".output.pagefind" / "recent"
    before = _named(kept)
    _prune(kept, before)  # the same run: nothing to remove, nothing reused
    chunk = next(iter(before["index"]))
    before["index"][chunk] = ("aardvark", "abacus")  # held other words then
    with pytest.raises(ValueError, match="names other content"):
        _prune(kept, before)


def test_a_folder_pagefind_does_not_name_files_in_is_made_anew(two_years, tmp_path, monkeypatch):
    """Pagefind's playground (a setting of its own config file) has no
    content-named files: removed before Pagefind runs, never pruned."""
    from seedpress import search

    kept = two_years.root / ".output.pagefind" / "recent"
    (kept / "playground").mkdir()
    (kept / "playground" / "index.html").write_text("an earlier run's")
    ran = []
    run = search.subprocess.run
    monkeypatch.setattr(search.subprocess, "run", lambda *a, **k: ran.append(a) or run(*a, **k))
    _edit_a_recent_story(two_years)
    assert two_years.build(date=NEW, settings=SEARCH).ok
    # Pagefind once, not again from an empty folder.
    assert len([command for command, *_ in ran if search.pagefind_binary() in command]) == 1
    assert not (kept / "playground").exists()
    assert two_years.tree() == _cold_tree(two_years, tmp_path / "cold")


def test_a_missing_pagefind_fails_the_build_and_keeps_the_bundle(two_years, monkeypatch):
    """Without Pagefind's binary the build fails, says so, and leaves the
    site and the kept bundle as they were (the binary is looked up before a
    kept bundle is emptied)."""
    import pagefind.service

    kept = two_years.root / ".output.pagefind" / "recent"
    before, site = sorted(p.name for p in kept.rglob("*")), two_years.tree()
    monkeypatch.setattr(pagefind.service, "get_executable", lambda: None)
    _edit_a_recent_story(two_years)
    result = two_years.build(date=NEW, settings=SEARCH)
    assert not result.ok
    assert any("Pagefind's binary is missing" in error for error in result.errors)
    assert sorted(p.name for p in kept.rglob("*")) == before
    assert two_years.tree() == site
    # Its counts are the kept site's (the staging one was counted first).
    out = two_years.output
    files = [p.relative_to(out) for p in out.rglob("*") if p.is_file()]
    files = [p for p in files if p.parts[0] != BUNDLE]
    assert result.pages == sum(p.suffix == ".html" for p in files) > 0
    assert result.feeds == sum(p.parts[0] == "feeds" for p in files) > 0


def test_a_bundle_left_unfinished_is_indexed_anew(two_years, tmp_path):
    """A build killed while Pagefind wrote may leave a file cut short, which
    Pagefind would keep: a bundle without its finished mark starts empty."""
    kept = two_years.root / ".output.pagefind" / "recent"
    (kept / ".seedpress-complete").unlink()
    # A fragment the edit leaves as it is (the edited story's goes anyway).
    fragment = next(
        path
        for path in (kept / "fragment").iterdir()
        if b"bike-lanes" not in gzip.decompress(path.read_bytes())
    )
    fragment.write_bytes(b"cut short")
    _edit_a_recent_story(two_years)
    assert two_years.build(date=NEW, settings=SEARCH).ok
    tree = two_years.tree()
    assert b"cut short" not in tree.values()
    assert tree == _cold_tree(two_years, tmp_path / "cold")


def test_a_bundle_of_another_pagefind_is_indexed_anew(two_years, tmp_path):
    """Pagefind keeps a file whose name it would write: one written by another
    version (compressed otherwise) would stay. The kept bundle names the
    Pagefind that made it."""
    kept = two_years.root / ".output.pagefind" / "recent"
    (kept / ".seedpress-complete").write_text("0.0.1")
    old = {p.name: p.stat().st_ino for p in (kept / "fragment").iterdir()}
    _edit_a_recent_story(two_years)
    assert two_years.build(date=NEW, settings=SEARCH).ok
    new = {p.name: p.stat().st_ino for p in (kept / "fragment").iterdir()}
    assert not set(old.items()) & set(new.items())  # every file written anew
    assert two_years.tree() == _cold_tree(two_years, tmp_path / "cold")


def test_an_index_it_cannot_read_is_made_anew(two_years, tmp_path, monkeypatch):
    """Another Pagefind's metadata format: the year is indexed into an empty
    folder instead of pruned."""
    from seedpress import search

    def unreadable(bundle, before):
        raise ValueError("not a Pagefind metadata file")

    monkeypatch.setattr(search, "_prune", unreadable)
    stale = two_years.root / ".output.pagefind" / "recent" / "fragment" / "en_stale.pf_fragment"
    stale.write_bytes(b"stale")
    _edit_a_recent_story(two_years)
    assert two_years.build(date=NEW, settings=SEARCH).ok
    assert not stale.exists()
    assert two_years.tree() == _cold_tree(two_years, tmp_path / "cold")


def test_a_build_that_changes_no_story_reuses_every_bundle(two_years):
    before = {year: _files(two_years, year) for year in ("2025", "recent")}
    (two_years.output.with_name(".output.inputs")).unlink()  # build it again anyway
    result = two_years.build(settings=SEARCH)
    assert result.ok and not result.skipped and result.search_seconds is None
    assert {year: _files(two_years, year) for year in ("2025", "recent")} == before


@pytest.mark.parametrize(
    ("stories", "search"), [(False, True), (True, False)], ids=["no stories", "search off"]
)
def test_a_site_without_a_search_index_says_so(site, stories, search):
    if stories:
        shutil.copytree(ROOT / "seeds", site.seeds, dirs_exist_ok=True)
    assert site.build(settings={"SEEDPRESS_SEARCH": search}).ok
    assert not (site.output / BUNDLE).exists()
    page = BeautifulSoup((site.output / "search" / "index.html").read_text(), "html.parser")
    assert page.select_one("#search") is None and not page.select("script[src]")
    assert "not available" in page.get_text()
    assert page.select_one("a[href$='archives/']")


def test_turning_the_index_off_leaves_no_bundle_folder(two_years, tmp_path):
    """Two builds with the index leave a spare site with bundle folders; the
    build that recycles it with the index off has none, as a cold build."""
    off = {"SEEDPRESS_SEARCH": False}
    _edit_a_recent_story(two_years)
    assert two_years.build(date=NEW, settings=off).ok
    cold = _cold(two_years, tmp_path / "cold", off)
    assert not (two_years.output / BUNDLE).exists()
    assert two_years.tree() == cold.tree()
    assert _folders(two_years) == _folders(cold)


def _folders(site: Site) -> list[str]:
    return sorted(p.relative_to(site.output).as_posix() for p in site.output.rglob("*/"))


def test_a_years_bundle_unchanged_since_the_spare_is_not_linked_again(two_years, monkeypatch):
    """The recycled spare keeps its search bundles (files and all), and a year
    that did not change since is right as it is: no file of it is linked
    again, and the site is still a cold build's, folders included."""
    from seedpress import atomic

    _edit_a_recent_story(two_years)
    assert two_years.build(date=NEW, settings=SEARCH).ok  # the spare has 2025 now
    linked = []
    link = atomic.link_or_copy
    monkeypatch.setattr(atomic, "link_or_copy", lambda a, b: linked.append(str(b)) or link(a, b))
    lanes = two_years.seeds / "city-council-approves-bike-lanes.txt"
    lanes.write_text(lanes.read_text().replace("\n\n", "\n\nAgain. ", 1))
    assert two_years.build(date=NEW, settings=SEARCH).ok
    staged = [p for p in linked if f"/{BUNDLE}/" in p]
    assert staged and not [p for p in staged if f"/{BUNDLE}/2025/" in p]
    monkeypatch.undo()
    cold = _cold(two_years, two_years.root.parent / "cold", SEARCH)
    assert two_years.tree() == cold.tree()
    assert _folders(two_years) == _folders(cold)


def test_no_story_left_leaves_no_bundle_folder(two_years, tmp_path):
    """With the index on and every story gone, the recycled spare's bundle
    folder goes too, as a cold build has none."""
    for seed in two_years.seeds.rglob("*.txt"):
        seed.unlink()
    assert two_years.build(date=NEW, settings=SEARCH).ok
    cold = _cold(two_years, tmp_path / "cold", SEARCH)
    assert not (two_years.output / BUNDLE).exists()
    assert _folders(two_years) == _folders(cold)


def test_a_change_of_date_format_indexes_every_bundle_again(two_years):
    """The dates a story shows are indexed with it."""
    before = {year: _files(two_years, year) for year in ("2025", "recent")}
    result = two_years.build(settings={**SEARCH, "DEFAULT_DATE_FORMAT": "%Y-%m-%d"})
    assert result.ok and result.search_seconds is not None
    for year in ("2025", "recent"):
        assert _files(two_years, year) != before[year]


def _story_page(title: str, body: str) -> bytes:
    return (
        f'<!DOCTYPE html>\n<html lang="en">\n<head><title>{title} · Site</title>'
        '<meta name="description" content="x"></head>\n<body><nav><a href="/">Home</a></nav>'
        f'<main id="main"><article class="story" data-pagefind-body><h1>{title}</h1>'
        f"<div><p>{body}</p></div></article><aside><a href=/b/>Read next</a></aside></main>"
        "</body></html>\n"
    ).encode()


def test_the_folder_pagefind_reads_holds_exactly_the_years_documents(tmp_path):
    """Each page's search document, kept between builds: only a page whose
    document changed is written again, and never through a file of the
    site (a link an earlier version made)."""
    from seedpress.search import _fill

    output, site = tmp_path / "output", tmp_path / "documents"
    pages = ["2025/01/a/index.html", "2025/01/b/index.html", "2025/02/c/index.html"]
    for page in pages:
        (output / page).parent.mkdir(parents=True, exist_ok=True)
        (output / page).write_bytes(_story_page(page, "Text."))
    # An earlier version's link to a's page.
    (site / pages[0]).parent.mkdir(parents=True)
    (site / pages[0]).hardlink_to(output / pages[0])
    _fill(output, pages, site)

    def held() -> dict[str, bytes]:
        return {p.relative_to(site).as_posix(): p.read_bytes() for p in site.rglob("*.html")}

    assert held() == {page: document((output / page).read_bytes()) for page in pages}
    assert (output / pages[0]).read_bytes() == _story_page(pages[0], "Text.")  # not written through
    assert (site / pages[0]).stat().st_nlink == 1
    assert b"Read next" not in held()[pages[0]]  # the story alone
    kept = (site / pages[0]).stat().st_ino

    # The next build: b is rendered again, c left the year, d came.
    (output / pages[1]).write_bytes(_story_page(pages[1], "Corrected."))
    (output / "2025/03/d").mkdir(parents=True)
    (output / "2025/03/d/index.html").write_bytes(_story_page("d", "New."))
    now = [pages[0], pages[1], "2025/03/d/index.html"]
    _fill(output, now, site)
    assert held() == {page: document((output / page).read_bytes()) for page in now}
    assert (site / pages[0]).stat().st_ino == kept  # unchanged: not written again
    assert not (site / "2025/02").exists()  # c's folders went with it


def test_a_cold_build_fills_the_bundles_folders_ahead_of_their_pagefinds(tmp_path, monkeypatch):
    """With the pages written, one thread fills each bundle's folder of
    documents in the order the bundles start, while the Pagefinds run; each
    Pagefind starts on its folder whole. One process: each bundle's own
    thread fills it, as before, for the same site."""
    import threading

    from seedpress import search

    site = Site(tmp_path / "site")
    _three_half_years(site, monkeypatch)
    real_fill, real_pagefind = search._fill, search._pagefind
    filled: list[tuple[str, str]] = []
    indexed: dict[str, list[str]] = {}

    def fill(output, pages, folder):
        filled.append((folder.name, threading.current_thread().name))
        real_fill(output, pages, folder)

    def pagefind(binary, bundle, folder):
        indexed[bundle.name] = sorted(_inodes(folder))
        real_pagefind(binary, bundle, folder)

    monkeypatch.setattr(search, "_fill", fill)
    monkeypatch.setattr(search, "_pagefind", pagefind)
    cold = _cold(site, tmp_path / "cold", settings={**SEARCH, "SEEDPRESS_JOBS": 2})
    plan = json.loads((cold.output / PLAN_FILE).read_text())
    # Largest first, as they start: the half-years (three stories each), then recent.
    assert [name for name, _ in filled] == ["2025-01", "2025-07", "recent"]
    assert {thread for _, thread in filled} == {"search-fill_0"}
    for name, pages in indexed.items():
        assert pages == sorted(map(os.path.normpath, plan[name]["pages"]))
    filled.clear()
    one = _cold(site, tmp_path / "one", settings={**SEARCH, "SEEDPRESS_JOBS": 1})
    assert len(filled) == 3 and not any(thread.startswith("search-fill") for _, thread in filled)
    assert cold.tree() == one.tree() == site.tree()


def test_a_bundle_started_before_the_filler_reaches_it_fills_its_own(tmp_path, monkeypatch):
    """A bundle the schedule starts before a larger one (which does not fit
    beside the Pagefinds running: IN_FLIGHT_MOST) fills its own folder if
    the filler has not begun it, instead of waiting for the larger one's."""
    import threading
    import time

    from seedpress import search

    site = Site(tmp_path / "site")
    _three_half_years(site, monkeypatch)
    one = _cold(site, tmp_path / "one", settings={**SEARCH, "SEEDPRESS_JOBS": 1})
    monkeypatch.setattr(search, "IN_FLIGHT_MOST", 5)  # 3 + 3 stories do not fit; 3 + 2 do
    real_fill, filled = search._fill, {}

    def fill(output, pages, folder):
        filled[folder.name] = threading.current_thread().name
        if folder.name == "2025-07":
            time.sleep(1)  # the filler still at it when recent starts
        real_fill(output, pages, folder)

    monkeypatch.setattr(search, "_fill", fill)
    cold = _cold(site, tmp_path / "cold", settings={**SEARCH, "SEEDPRESS_JOBS": 2})
    assert filled["2025-01"] == filled["2025-07"] == "search-fill_0"
    assert not filled["recent"].startswith("search-fill")  # its Pagefind's own thread
    assert cold.tree() == one.tree()


def test_a_bundle_that_cannot_be_filled_fails_the_build(tmp_path, monkeypatch, caplog):
    """A folder of documents the filling thread could not make fails the
    build, saying why, once the Pagefinds running are done; no site is
    swapped in. A folder that failed for a Pagefind that never started (as
    another failed first) is told too."""
    import threading

    from seedpress import search

    site = Site(tmp_path / "site")
    _three_half_years(site, monkeypatch)
    real_fill, threads = search._fill, {}

    def fill(output, pages, folder):
        threads[folder.name] = threading.current_thread().name
        if folder.name in ("2025-07", "recent"):
            raise OSError(f"no room for {folder.name}")
        real_fill(output, pages, folder)

    monkeypatch.setattr(search, "_fill", fill)
    cold = Site(tmp_path / "cold")
    shutil.copytree(site.seeds, cold.seeds, dirs_exist_ok=True)
    shutil.copytree(site.content, cold.content)
    result = cold.build(settings={**SEARCH, "SEEDPRESS_JOBS": 2})
    assert not result.ok
    assert threads == dict.fromkeys(["2025-01", "2025-07", "recent"], "search-fill_0")
    assert any("no room for 2025-07" in error for error in result.errors)
    # Raised by recent's Pagefind, if it started, else told by close().
    assert "no room for recent" in caplog.text
    assert not cold.output.exists()


def test_years_indexed_at_once_make_the_site_one_at_a_time_does(two_years, tmp_path):
    trees = []
    for jobs in (1, 2):
        cold = Site(tmp_path / f"jobs-{jobs}")
        shutil.copytree(two_years.seeds, cold.seeds, dirs_exist_ok=True)
        shutil.copytree(two_years.content, cold.content)
        result = cold.build(settings={**SEARCH, "SEEDPRESS_JOBS": jobs})
        assert result.ok and result.search_seconds is not None
        trees.append(cold.tree())
    assert trees[0] == trees[1]
    assert {"pagefind/2025/pagefind-entry.json", "pagefind/recent/pagefind-entry.json"} <= set(
        trees[1]
    )


class _Watch:
    """When each bundle's Pagefind was started (`Indexing._ready`) against
    the writer's writing, and what its folder of documents held then (each
    page's inode): the workers write even a few pages (PARALLEL_FROM)."""

    def __init__(self, monkeypatch):
        from seedpress import search, writer

        self.events: list[str] = []
        self.indexed: list[tuple[str, dict[str, int]]] = []
        # The pages and feeds the writer had made when each Pagefind started.
        self.made: list[set[str]] = []
        self.writer = None
        real_pagefind, real_finish = search._pagefind, writer.SiteWriter._finish
        real_ready = search.Indexing._ready

        def pagefind(binary, bundle, site):
            self.indexed.append((bundle.name, _inodes(site)))
            real_pagefind(binary, bundle, site)

        def ready(indexing, name):  # started now, in the build's process
            self.events.append(name)
            self.made.append(set(self.writer.keys.new) if self.writer else set())
            real_ready(indexing, name)

        def finish(site_writer, pelican):
            self.events.append("writing")
            self.writer = site_writer
            real_finish(site_writer, pelican)
            self.events.append("written")
            self.writer = None

        monkeypatch.setattr(writer, "PARALLEL_FROM", 1)
        monkeypatch.setattr(search, "_pagefind", pagefind)
        monkeypatch.setattr(search.Indexing, "_ready", ready)
        monkeypatch.setattr(writer.SiteWriter, "_finish", finish)

    def clear(self) -> None:
        self.events.clear()
        self.made.clear()
        self.indexed.clear()


def _inodes(folder) -> dict[str, int]:
    return {p.relative_to(folder).as_posix(): p.stat().st_ino for p in folder.rglob("*.html")}


def _recorded(site: Site) -> dict[str, dict[str, str]]:
    from seedpress.search import RECORD

    return json.loads((site.root / ".output.search" / RECORD).read_text())


def test_an_edits_bundle_is_indexed_before_the_pages_are_written(two_years, tmp_path, monkeypatch):
    """An edit's bundle starts before the writer runs: the edited story is
    rendered, as the writer then renders it, and its search document written
    into its folder, and the others keep the documents they were indexed
    from, as the record beside the folders says; the site is a cold build's."""
    watch = _Watch(monkeypatch)
    documents = two_years.root / ".output.search" / "recent"
    before, recorded = _inodes(documents), _recorded(two_years)["recent"]
    assert sorted(before) == sorted(recorded)
    [lanes] = [page for page in before if "bike-lanes" in page]
    was = (documents / lanes).read_bytes()
    _edit_a_recent_story(two_years)
    assert two_years.build(date=NEW, settings={**SEARCH, "SEEDPRESS_JOBS": 2}).ok
    plan = json.loads((two_years.output / PLAN_FILE).read_text())
    assert watch.events == ["recent", "writing", "written"]
    [(name, pages)] = watch.indexed
    assert name == "recent" and sorted(pages) == sorted(plan["recent"]["pages"])
    # The edited story rendered anew (a new file, which may reuse the old
    # one's inode); the others, the documents indexed before, untouched.
    pages.pop(lanes), before.pop(lanes)
    assert pages == before
    assert (documents / lanes).stat().st_nlink == 1  # its own file, no page of the site
    assert (documents / lanes).read_bytes() == document((two_years.output / lanes).read_bytes())
    assert "Corrected." in (documents / lanes).read_text() and "Corrected." not in was.decode()
    # The record: only the edited story shows something else now.
    now = _recorded(two_years)["recent"]
    assert now.pop(lanes) != recorded.pop(lanes) and now == recorded
    assert two_years.tree() == _cold_tree(two_years, tmp_path / "cold")


def test_the_index_is_planned_once_the_stories_pages_are_queued(two_years, monkeypatch):
    """The search index is planned (and an edit's bundle started) as soon as
    the stories' own pages are queued, before their listings, archives and
    feeds: what the writer held then is every story's page and nothing else."""
    from seedpress import search

    real_plan, held = search.write_plan, []

    def write_plan(generator, writer=None):
        held.append({job[0] for job in writer._queue})
        real_plan(generator, writer)

    monkeypatch.setattr(search, "write_plan", write_plan)
    _edit_a_recent_story(two_years)
    assert two_years.build(date=NEW, settings={**SEARCH, "SEEDPRESS_JOBS": 2}).ok
    plan = json.loads((two_years.output / PLAN_FILE).read_text())
    stories = {page for bundle in plan.values() for page in bundle["pages"]}
    assert held == [stories]
    assert (two_years.output / "index.html").is_file()  # the listings came after


def test_without_a_record_an_edits_bundle_waits_for_its_pages(two_years, tmp_path, monkeypatch):
    """Without the record of its folder (a build cut short, a failed
    Pagefind), an edit's bundle starts once its stories' pages are written,
    which the workers write first; in a build with more bundles to index
    than EARLY_MOST, every one waits for the whole site. Each time the site
    is a cold build's."""
    from seedpress import search

    watch = _Watch(monkeypatch)
    settings = {**SEARCH, "SEEDPRESS_JOBS": 2}
    real_pagefind = search._pagefind

    def failing(binary, bundle, site):
        raise RuntimeError("Pagefind failed")

    monkeypatch.setattr(search, "_pagefind", failing)
    _edit_a_recent_story(two_years)
    assert not two_years.build(date=NEW, settings=settings).ok
    assert "recent" not in _recorded(two_years)  # taken out before its folder changed
    monkeypatch.setattr(search, "_pagefind", real_pagefind)

    watch.clear()
    documents = two_years.root / ".output.search" / "recent"
    _edit_a_recent_story(two_years)
    assert two_years.build(date=NEW, settings=settings).ok
    assert watch.events == ["writing", "recent", "written"]
    # Started once the bundle's stories were written, before the listings
    # and feeds: the workers took its stories first.
    plan = json.loads((two_years.output / PLAN_FILE).read_text())
    [made] = watch.made
    assert set(plan["recent"]["pages"]) <= made
    assert "index.html" not in made and not any(page.startswith("feeds/") for page in made)
    # Made of the pages just written, the edited story's too.
    [lanes] = [page for page in _inodes(documents) if "bike-lanes" in page]
    assert (documents / lanes).read_bytes() == document((two_years.output / lanes).read_bytes())
    assert "recent" in _recorded(two_years)
    assert two_years.tree() == _cold_tree(two_years, tmp_path / "cold")

    watch.clear()
    monkeypatch.setattr(search, "EARLY_MOST", 1)
    _new_story(two_years, "pilot-boat")  # a new month: two bundles change
    assert two_years.build(date=datetime(2027, 1, 5, 9, tzinfo=UTC), settings=settings).ok
    assert watch.events == ["writing", "written"]  # then both, two at a time
    assert sorted(name for name, _ in watch.indexed) == ["2026", "recent"]
    assert two_years.tree() == _cold_tree(two_years, tmp_path / "cold-2")
