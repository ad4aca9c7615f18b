"""The year and month archives: periods.py's grouping, and the pages through
real builds."""

from __future__ import annotations

import logging
import shutil
from datetime import UTC, datetime, timedelta, timezone

import pytest
from bs4 import BeautifulSoup
from conftest import Site
from pelican.generators import ArticlesGenerator

from seedpress.periods import period_archives


class _Story:
    """A story as the grouping sees it: a date, compared by identity (as
    Pelican's Content, which defines no __eq__)."""

    def __init__(self, date: datetime):
        self.date = date


SETTINGS = {
    "YEAR_ARCHIVE_SAVE_AS": "{date:%Y}/index.html",
    "YEAR_ARCHIVE_URL": "{date:%Y}/",
    "MONTH_ARCHIVE_SAVE_AS": "{date:%Y}/{date:%m}/index.html",
    "MONTH_ARCHIVE_URL": "{date:%Y}/{date:%m}/",
    "DAY_ARCHIVE_SAVE_AS": "{date:%Y}/{date:%m}/{date:%d}/index.html",
    "DAY_ARCHIVE_URL": "{date:%Y}/{date:%m}/{date:%d}/",
}


def _shape(found: dict[str, list[dict]]) -> dict:
    """The periods with their stories by identity."""
    return {
        granularity: [
            {
                **archive,
                "dates": [id(story) for story in archive["dates"]],
                "articles": [id(story) for story in archive["articles"]],
            }
            for archive in archives
        ]
        for granularity, archives in found.items()
    }


def test_the_periods_are_pelicans_own_grouping():
    """The same periods, stories, URLs and names as Pelican's quadratic
    grouping, for every granularity and without some; stories at the same
    instant stay distinct."""
    start = datetime(2024, 12, 30, 22, 30, tzinfo=UTC)
    stories = [_Story(start + timedelta(hours=9 * n)) for n in range(120)]
    stories.append(_Story(start))  # a tie
    articles = stories[::-1]  # the generator's order is its own
    dates = sorted(stories, key=lambda story: story.date, reverse=True)
    for settings in (SETTINGS, {**SETTINGS, "YEAR_ARCHIVE_SAVE_AS": "", "DAY_ARCHIVE_SAVE_AS": ""}):
        ours = period_archives(dates, articles, settings)
        pelicans = ArticlesGenerator._build_period_archives(None, dates, articles, settings)
        assert _shape(ours) == _shape(pelicans)
    assert [archive["url"] for archive in ours["month"]] == ["2025/02/", "2025/01/", "2024/12/"]
    assert "year" not in ours and "day" not in ours


def test_a_story_at_another_offset_is_in_its_own_dates_period_once():
    """00:30 on 1 January at +02:00 is 22:30 on 31 December in UTC: sorted
    among December's stories, it is in January, as its URL says. Pelican's
    grouping made January twice (two pages for one file: a failed build)."""
    december = [_Story(datetime(2024, 12, 31, hour, tzinfo=UTC)) for hour in (21, 23)]
    new_year = _Story(datetime(2025, 1, 1, 0, 30, tzinfo=timezone(timedelta(hours=2))))
    january = _Story(datetime(2025, 1, 1, 9, tzinfo=UTC))
    dates = [january, december[1], new_year, december[0]]  # newest first, in time
    found = period_archives(dates, dates, SETTINGS)
    months = {archive["url"]: archive["dates"] for archive in found["month"]}
    assert list(months) == ["2025/01/", "2024/12/"]
    assert months["2025/01/"] == [january, new_year]
    assert months["2024/12/"] == [december[1], december[0]]
    assert [archive["url"] for archive in found["year"]] == ["2025/", "2024/"]


def _story(title: str) -> str:
    return f"{title}\n\nThe first paragraph of {title.lower()}.\n\nAuthor: Ada Quill\n"


def _page(site: Site, relative: str) -> BeautifulSoup:
    return BeautifulSoup((site.output / relative).read_text(), "html.parser")


def _links(page: BeautifulSoup) -> list[tuple[str, str]]:
    main = page.select_one("main")
    return [(a.get_text(" ", strip=True), a["href"]) for a in main.find_all("a")]


def test_each_year_and_month_has_a_page_and_the_archives_list_them(tmp_path):
    """A story's URL names its year and month; each is a page: a month lists
    its stories, newest first; a year its months; the archives page every
    month, with its count. Built step by step as a newsroom publishes (a new
    year comes with a story), the site is a cold build's."""
    site = Site(tmp_path / "site")
    steps = [
        ("old-year.txt", "Frost on the Harbour Wall", datetime(2025, 12, 30, 9, tzinfo=UTC)),
        ("new-year.txt", "Ferries Run on Time Again", datetime(2026, 1, 2, 9, tzinfo=UTC)),
        ("later.txt", "Council Approves the Pier Budget", datetime(2026, 1, 5, 9, tzinfo=UTC)),
    ]
    for name, title, date in steps:
        site.add(name, _story(title))
        assert site.build(date=date).ok

    january = _page(site, "2026/01/index.html")
    assert january.h1.get_text() == "January 2026"
    assert [text for text, _ in _links(january)] == [
        "Archives",
        "2026",
        "Council Approves the Pier Budget",
        "Ferries Run on Time Again",
        "Older: December 2025",
    ]
    assert "2 stories" in january.get_text()
    assert january.select_one("a[rel=next]")["href"] == "../../2025/12/"
    # December's page was written before January had a story: it links it now.
    december = _links(_page(site, "2025/12/index.html"))
    assert [text for text, _ in december][2:] == [
        "Frost on the Harbour Wall",
        "Newer: January 2026",
    ]
    assert december[-1][1] == "../../2026/01/"
    year = _page(site, "2026/index.html")
    assert _links(year)[1:] == [("January 2026", "../2026/01/"), ("Older: 2025", "../2025/")]
    archives = _page(site, "archives/index.html")
    assert _links(archives) == [
        ("2026", "../2026/"),
        ("January 2026", "../2026/01/"),
        ("2025", "../2025/"),
        ("December 2025", "../2025/12/"),
    ]
    assert "2 stories" in archives.get_text() and "1 story" in archives.get_text()

    cold = Site(tmp_path / "cold")
    shutil.copytree(site.seeds, cold.seeds, dirs_exist_ok=True)
    shutil.copytree(site.content, cold.content)
    assert cold.build(date=steps[-1][2]).ok
    assert site.tree() == cold.tree()


def test_without_month_pages_the_archives_list_every_story(tmp_path):
    """A site that turns the period pages off still lists every story in its
    archives, by month."""
    site = Site(tmp_path / "site")
    site.add("one.txt", _story("Frost on the Harbour Wall"))
    off = {"YEAR_ARCHIVE_SAVE_AS": "", "MONTH_ARCHIVE_SAVE_AS": ""}
    assert site.build(date=datetime(2025, 12, 30, 9, tzinfo=UTC), settings=off).ok
    assert not (site.output / "2025" / "index.html").exists()
    assert not (site.output / "2025" / "12" / "index.html").exists()
    archives = _page(site, "archives/index.html")
    assert archives.h2.get_text() == "December 2025"
    assert [text for text, _ in _links(archives)] == ["Frost on the Harbour Wall"]


def _post(site: Site, name: str, title: str, date: str, extra: str = "") -> None:
    """A post written by hand in content/posts/."""
    path = site.content / "posts" / f"{name}.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"Title: {title}\nDate: {date}\nSlug: {name}\n{extra}\nBody of {title}.\n")


def _a_december_and_a_january(site: Site, settings: dict | None = None) -> None:
    site.add("dec.txt", _story("Frost on the Harbour Wall"))
    assert site.build(date=datetime(2025, 12, 30, 9, tzinfo=UTC), settings=settings or {}).ok
    site.add("jan.txt", _story("Ferries Run on Time Again"))
    assert site.build(date=datetime(2026, 1, 5, 9, tzinfo=UTC), settings=settings or {}).ok


def _same_as_cold(site: Site, folder, settings: dict | None = None) -> None:
    cold = Site(folder)
    shutil.copytree(site.seeds, cold.seeds, dirs_exist_ok=True)
    shutil.copytree(site.content, cold.content)
    assert cold.build(date=LATER, settings=settings or {}).ok
    assert site.tree() == cold.tree()


LATER = datetime(2026, 1, 20, 9, tzinfo=UTC)


def test_the_archives_list_a_years_months_as_its_page_does(tmp_path):
    """March's only story, 00:30 on 1 March at +02:00, is 22:30 UTC on 28
    February, before February's story at 23:00 UTC: the archives listed
    February before March, as the months came in time; the year's page, by
    their own dates, March first. Both list them by their own dates now."""
    site = Site(tmp_path / "site")
    site.add("jan.txt", _story("Ice on the Slipway"))
    assert site.build(date=datetime(2025, 1, 15, 9, tzinfo=UTC)).ok
    site.add("feb.txt", _story("Frost on the Harbour Wall"))
    assert site.build(date=datetime(2025, 2, 28, 23, tzinfo=UTC)).ok
    _post(site, "march", "Spring Tide Warning", "2025-03-01 00:30+02:00")
    assert site.build(date=LATER).ok
    months = ["March 2025", "February 2025", "January 2025"]
    assert [text for text, _ in _links(_page(site, "2025/index.html"))][1:] == months
    assert [text for text, _ in _links(_page(site, "archives/index.html"))][1:] == months


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_post_saved_as_a_months_page_then_moved_gives_the_page_back(tmp_path, monkeypatch, jobs):
    """A post dated in December saved as January's page, then saved
    elsewhere. The month's page, skipped while the post took its file, had
    its key recorded over the post's; January's stories unchanged, the next
    build linked the post's file as January's page (a reviewer's test)."""
    from seedpress import writer

    monkeypatch.setattr(writer, "PARALLEL_FROM", 1 if jobs > 1 else 10**9)
    settings = {"SEEDPRESS_JOBS": jobs}
    site = Site(tmp_path / "site")
    _a_december_and_a_january(site, settings)
    over = "Save_as: 2026/01/index.html\nURL: 2026/01/"
    _post(site, "jan-intro", "January at a Glance", "2025-12-20 10:00", over)
    assert site.build(date=LATER, settings=settings).ok
    assert "Body of January at a Glance" in (site.output / "2026/01/index.html").read_text()
    _post(site, "jan-intro", "January at a Glance", "2025-12-20 10:00", "Save_as: glance.html")
    assert site.build(date=LATER, settings=settings).ok
    january = _page(site, "2026/01/index.html")
    assert january.h1.get_text() == "January 2026"
    assert "Body of January at a Glance" not in january.get_text()
    _same_as_cold(site, tmp_path / "cold", settings)


def test_a_page_where_a_years_archive_goes_takes_its_place(tmp_path, caplog):
    """A page whose slug is a year ("2026/index.html") failed the build (two
    pages for one file), and would have from the first story of that year
    on, publishing nothing. The page is written, the year's archive left
    out, with a warning that names both; the sitemap names the URL once."""
    site = Site(tmp_path / "site")
    _a_december_and_a_january(site)
    page = site.content / "pages" / "year.md"
    page.parent.mkdir(parents=True)
    page.write_text("Title: Our Year\nSlug: 2026\n\nA look back at the year.\n")
    caplog.set_level(logging.WARNING)
    result = site.build(date=LATER)
    assert result.ok, result.summary()
    year = _page(site, "2026/index.html")
    assert "A look back at the year." in year.get_text()
    assert _page(site, "2026/01/index.html").h1.get_text() == "January 2026"
    [warning] = [r.getMessage() for r in caplog.records if "archive" in r.getMessage()]
    assert "pages/year.md" in warning and '"2026/index.html"' in warning and "2026" in warning
    sitemap = (site.output / "sitemap.xml").read_text()
    assert sitemap.count("<loc>http://127.0.0.1:8000/2026/</loc>") == 1
    _same_as_cold(site, tmp_path / "cold")


def test_a_page_written_at_once_where_a_months_archive_goes_takes_its_place(tmp_path):
    """A page that links other content ({filename}) is written before the
    queued pages, in Pelican's order: at a month's address, it was not seen
    as taking the archive's place, and the build failed (a reviewer's test)."""
    site = Site(tmp_path / "site")
    _a_december_and_a_january(site)
    pages = site.content / "pages"
    pages.mkdir(parents=True)
    (pages / "about.md").write_text("Title: About\nSlug: about\n\nWho we are.\n")
    (pages / "month.md").write_text(
        "Title: Our January\nSlug: 2026/01\n\nA look back; see [us]({filename}about.md).\n"
    )
    result = site.build(date=LATER)
    assert result.ok, result.summary()
    assert "A look back" in _page(site, "2026/01/index.html").get_text()
    _same_as_cold(site, tmp_path / "cold")


@pytest.mark.parametrize("slug", ["2026/01/", "./2026/01"])
def test_a_page_at_a_months_address_spelled_otherwise_takes_its_place(tmp_path, slug):
    """'2026/01//index.html' is the file of '2026/01/index.html': matched as
    text, the page was not seen as taking the archive's place, and the build
    failed (a third review's test)."""
    site = Site(tmp_path / "site")
    _a_december_and_a_january(site)
    (site.content / "pages").mkdir(parents=True)
    (site.content / "pages" / "month.md").write_text(
        f"Title: Our January\nSlug: {slug}\n\nA look back.\n"
    )
    result = site.build(date=LATER)
    assert result.ok, result.summary()
    assert "A look back." in _page(site, "2026/01/index.html").get_text()
