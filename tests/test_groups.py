"""Authors and sections each under a slug of their own, and stories in one
order whatever the process: groups.py, through real builds."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import UTC, datetime, timezone

import feedparser
from bs4 import BeautifulSoup
from conftest import ROOT, Site
from pelican import signals
from pelican.utils import SafeDatetime, get_date

from seedpress.dates import fixed_offset

DATE = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)


def _story(title: str, author: str, bio: str = "") -> str:
    return f"{title}\n\nThe first paragraph of {title.lower()}.\n\nAuthor: {author}\n\n{bio}\n"


def _bio(site: Site, slug: str) -> str:
    page = BeautifulSoup((site.output / "authors" / slug / "index.html").read_text(), "html.parser")
    return page.get_text(" ", strip=True)


def _feed_titles(site: Site, relative: str) -> list[str]:
    parsed = feedparser.parse((site.output / relative).read_bytes())
    assert not parsed.bozo, parsed.bozo_exception
    return [entry.title for entry in parsed.entries]


def test_authors_whose_names_make_one_slug_keep_their_own_page_feed_and_bio(site):
    """王伟 and 王薇 are both "wang-wei" to Pelican, which made them one author
    with one bio. The first published keeps the slug; the other gets one made
    from the name, kept when more is published; a name in another case is the
    same author."""
    site.add("a.txt", _story("Harbour dredging starts", "王伟", "王伟 covers the port."))
    assert site.build(date=DATE).ok
    site.add("b.txt", _story("Ferry fares rise", "王薇", "王薇 covers transport."))
    site.add("c.txt", _story("Tides run high", "Lena Varga", "Lena Varga covers the coast."))
    site.add("d.txt", _story("Storm warning", "lena varga"))
    result = site.build(date=DATE.replace(hour=10))
    assert result.ok, result.summary()

    authors = sorted(p.name for p in (site.output / "authors").iterdir() if p.is_dir())
    [other] = [name for name in authors if name.startswith("wang-wei-")]
    assert authors == sorted(["wang-wei", other, "lena-varga"])
    assert "covers the port" in _bio(site, "wang-wei")
    assert "covers transport" not in _bio(site, "wang-wei")
    assert "covers transport" in _bio(site, other)
    assert _feed_titles(site, "feeds/authors/wang-wei.atom.xml") == ["Harbour dredging starts"]
    assert _feed_titles(site, f"feeds/authors/{other}.atom.xml") == ["Ferry fares rise"]
    assert sorted(_feed_titles(site, "feeds/authors/lena-varga.atom.xml")) == [
        "Storm warning",
        "Tides run high",
    ]

    site.add("e.txt", _story("Ferry timetable changes", "王薇"))
    assert site.build(date=DATE.replace(hour=11)).ok
    assert (site.output / "authors" / other / "index.html").is_file()
    assert len(_feed_titles(site, f"feeds/authors/{other}.atom.xml")) == 2


def test_a_suffixed_slug_that_is_another_name_s_own_is_not_shared(site):
    """王薇's slug with its suffix is also the slug of a name published
    later: each keeps a page of its own."""
    site.add("a.txt", _story("Harbour dredging starts", "王伟"))
    assert site.build(date=DATE).ok
    site.add("b.txt", _story("Ferry fares rise", "王薇"))
    assert site.build(date=DATE.replace(hour=10)).ok
    [suffixed] = [p.name for p in (site.output / "authors").glob("wang-wei-*")]
    site.add("c.txt", _story("Tides run high", f"Wang Wei {suffixed.rsplit('-', 1)[1]}"))
    assert site.build(date=DATE.replace(hour=11)).ok
    pages = [p for p in (site.output / "authors").glob("wang-wei*") if p.is_dir()]
    assert len(pages) == 3
    feeds = {_feed_titles(site, f"feeds/authors/{p.name}.atom.xml")[0] for p in pages}
    assert feeds == {"Harbour dredging starts", "Ferry fares rise", "Tides run high"}


def test_a_draft_never_takes_the_slug_of_a_published_name(site):
    """A draft by 王伟, dated before 王薇's published story, leaves 王薇 her
    slug: her page would move again when the draft is published or dropped."""
    site.add("b.txt", _story("Ferry fares rise", "王薇"))
    posts = site.content / "posts"
    posts.mkdir(parents=True)
    (posts / "draft.md").write_text(
        "Title: Harbour dredging\nDate: 2026-01-05 10:00\nAuthor: 王伟\nStatus: draft\n\nNot yet.\n"
    )
    assert site.build(date=DATE).ok
    assert _feed_titles(site, "feeds/authors/wang-wei.atom.xml") == ["Ferry fares rise"]


def test_a_name_with_nothing_to_keep_in_a_url_is_still_published(site):
    """An author "???" and a section folder "???" made empty slugs, and their
    pages ("authors//index.html") failed the whole build."""
    site.add("a.txt", _story("Council meets tonight", "???"))
    site.add("???/b.txt", "An odd section\n\nA story filed in an odd folder.\n")
    site.add("c.txt", _story("Tides run high", "Lena Varga"))
    result = site.build(date=DATE)
    assert result.ok, result.summary()
    assert (site.output / "authors" / "author" / "index.html").is_file()
    assert (site.output / "sections" / "section" / "index.html").is_file()
    assert _feed_titles(site, "feeds/authors/author.atom.xml") == ["Council meets tonight"]
    assert not list(site.output.rglob(".*.xml"))  # no feed named for an empty slug


_BUILD = """
import json, sys
sys.path.insert(0, {plugins!r})
from datetime import datetime
from pathlib import Path
from seedpress.build import build
result = build(Path({settings!r}), overrides=json.loads(sys.argv[1]),
               date=datetime.fromisoformat({date!r}))
sys.exit(0 if result.ok else 1)
"""


def _build_in_a_process(site: Site, hash_seed: str) -> None:
    code = _BUILD.format(
        plugins=str(ROOT / "plugins"), settings=str(ROOT / "pelicanconf.py"), date=DATE.isoformat()
    )
    env = {**os.environ, "PYTHONHASHSEED": hash_seed}
    overrides = json.dumps(site.overrides(SEEDPRESS_CONTENT_CACHE=False))
    subprocess.run([sys.executable, "-c", code, overrides], env=env, check=True, cwd=site.root)


def test_stories_published_the_same_minute_are_listed_alike_in_every_process(tmp_path):
    """Pelican breaks ties in the order it listed the files (a set's), which
    changed with Python's hash seed: two builds of the same seeds listed them
    in different orders. Now they are listed as the feeds list them."""
    sites = []
    for hash_seed in ("1", "2", "3"):
        site = Site(tmp_path / f"seed-{hash_seed}")
        for name in ("alpha", "bravo", "charlie", "delta", "echo"):
            site.add(f"{name}.txt", f"Story {name}\n\nThe body of story {name}.\n")
        _build_in_a_process(site, hash_seed)
        sites.append(site)
    assert sites[0].tree() == sites[1].tree() == sites[2].tree()

    home = BeautifulSoup((sites[0].output / "index.html").read_text(), "html.parser")
    listed = [a.get_text(strip=True) for a in home.select("article h2 a")]
    assert sorted(listed) == [f"Story {n}" for n in ("alpha", "bravo", "charlie", "delta", "echo")]
    assert listed == _feed_titles(sites[0], "feeds/all.atom.xml")


def test_an_author_is_shown_by_the_first_published_spelling_of_the_name(site):
    """One byline in capitals renamed the author's page, feed titles and
    OPML outline (Pelican shows the newest story's spelling); each story's
    own byline stays as written."""
    site.add("a.txt", _story("Harbour dredging starts", "Samuel Osei"))
    site.add("world/b.txt", _story("Ferry fares rise", "Samuel Osei"))
    assert site.build(date=DATE).ok
    site.add("c.txt", _story("Fog delays ferries", "SAMUEL OSEI"))
    site.add("WORLD/d.txt", _story("Port strike ends", "Samuel Osei"))
    assert site.build(date=DATE.replace(hour=10)).ok

    page = BeautifulSoup(
        (site.output / "authors/samuel-osei/index.html").read_text(), "html.parser"
    )
    assert page.h1.get_text(strip=True) == "Samuel Osei"
    feed = feedparser.parse((site.output / "feeds/authors/samuel-osei.atom.xml").read_bytes())
    assert feed.feed.title.endswith("Samuel Osei") and "SAMUEL" not in feed.feed.title
    assert "SAMUEL OSEI" not in (site.output / "feeds/all.opml").read_text()
    # A section too: the folder "WORLD" joins "world", shown as it first was.
    section = (site.output / "sections/world/index.html").read_text()
    assert BeautifulSoup(section, "html.parser").h1.get_text(strip=True) == "World"
    story = site.output / "2026/11/fog-delays-ferries/index.html"
    assert "SAMUEL OSEI" in BeautifulSoup(story.read_text(), "html.parser").get_text()


def test_stories_of_one_minute_are_listed_by_their_serial_as_a_number(site):
    """Ids end in a serial ("…:9", "…:12"); compared as text, a day's stories
    imported in one minute were listed 9, 8, …, 2, 12, 11, 10, 1."""
    for number in range(1, 13):
        site.add(f"s{number:02d}.txt", f"Story {number}\n\nThe body of story {number}.\n")
    assert site.build(date=DATE).ok
    serial = {
        f"Story {int(seed[1:3])}": int(entry["id"].rpartition(":")[2])
        for seed, entry in site.ledger().items()
    }
    newest_first = sorted(serial, key=serial.get, reverse=True)
    assert max(serial.values()) >= 10  # two-digit serials, or nothing is tested
    assert _feed_titles(site, "feeds/all.atom.xml") == newest_first
    home = BeautifulSoup((site.output / "index.html").read_text(), "html.parser")
    assert [a.get_text(strip=True) for a in home.select("article h2 a")] == newest_first[:10]


def test_dates_read_from_posts_share_one_zone_per_offset_and_keep_their_instant():
    """dates.fixed_offset, as the build applies it to every post's dates
    (pelican_glue.fix_offsets): dateutil's zones (a new `tzlocal()` for
    "+00:00" on a machine in UTC, a `tzoffset` for others) become one
    `datetime.timezone` per offset, at the same instant and written alike."""
    texts = ["2025-01-02T09:00:00+00:00", "2025-07-02T09:00:00+01:00", "2025-01-03T09:00:00Z"]
    parsed = [get_date(text) for text in texts]
    fixed = [fixed_offset(moment) for moment in parsed]
    assert all(type(moment.tzinfo) is timezone for moment in fixed)
    assert fixed[0].tzinfo is fixed[2].tzinfo and fixed[0].tzinfo is not fixed[1].tzinfo
    assert fixed == parsed  # the same instants
    assert [moment.isoformat() for moment in fixed] == [m.isoformat() for m in parsed]
    assert all(isinstance(moment, SafeDatetime) for moment in fixed)  # Pelican's strftime
    assert fixed_offset(fixed[1]) is fixed[1]
    naive = datetime(2025, 1, 2, 9, 0)
    assert fixed_offset(naive) is naive  # Pelican puts it in the site's zone


def test_every_story_s_dates_are_at_a_fixed_offset(site):
    """The build gives each article's dates one `datetime.timezone` object
    per offset, read anew or restored from the kept articles, which come
    back through pickle (comparing dateutil's zones, or two zone objects,
    is Python code, and a build sorts the stories many times over)."""
    zones: list[tuple[set[type], int]] = []

    def look(generator) -> None:
        dates = [d for a in generator.articles for d in (a.date, a.modified)]
        zones.append(({type(d.tzinfo) for d in dates}, len({id(d.tzinfo) for d in dates})))

    summer = datetime(2026, 6, 1, 9, 0, tzinfo=UTC)  # +01:00 in the site's zone
    site.add("one.txt", _story("One", "Ada Lovelace"))
    site.add("two.txt", _story("Two", "Ada Lovelace"))
    signals.article_generator_finalized.connect(look)
    try:
        assert site.build(date=summer).ok
        site.add("three.txt", _story("Three", "Ada Lovelace"))  # the others restored
        assert site.build(date=summer).ok
    finally:
        signals.article_generator_finalized.disconnect(look)
    assert zones == [({timezone}, 1), ({timezone}, 1)]


def test_a_name_too_long_for_a_file_name_gets_a_slug_that_fits(site):
    """A byline of 22 words and a section folder of 75 Chinese characters made
    slugs over 255 bytes: their feeds' file names failed the whole build, and
    no story was published. Such a slug is cut at a word and given a suffix
    made from the name; two long names that begin alike keep one each."""
    long_name = " ".join(["Bartholomew"] * 22)  # a slug of 263 bytes
    site.add("a.txt", _story("Council meets tonight", long_name))
    site.add("b.txt", _story("Ferry fares rise", long_name + " Jones"))
    site.add(
        "中华人民共和国国务院新闻办公室" * 5 + "/c.txt", _story("Tides run high", "Lena Varga")
    )
    site.add("d.txt", _story("Storm warning", "Lena Varga"))
    result = site.build(date=DATE)
    assert result.ok, result.summary()
    authors = [p.name for p in (site.output / "authors").iterdir() if p.is_dir()]
    long_slugs = sorted(name for name in authors if name.startswith("bartholomew"))
    assert len(long_slugs) == 2 and all(len(slug.encode()) <= 240 for slug in long_slugs)
    assert {tuple(_feed_titles(site, f"feeds/authors/{slug}.atom.xml")) for slug in long_slugs} == {
        ("Council meets tonight",),
        ("Ferry fares rise",),
    }
    [section] = [p.name for p in (site.output / "sections").iterdir() if len(p.name) > 100]
    assert len(section.encode()) <= 240
    assert _feed_titles(site, f"feeds/sections/{section}.atom.xml") == ["Tides run high"]
    assert (site.output / "authors" / "lena-varga" / "index.html").is_file()
