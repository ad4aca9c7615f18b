"""Whole-site builds into tmp_path, judged by the files written and by feedparser."""

from __future__ import annotations

import copy
import re
import shutil
import subprocess
import sys
from datetime import UTC, datetime

import feedparser
import pytest
from bs4 import BeautifulSoup
from conftest import ROOT, SHARED_SEEDS, Site, fixture_bytes

D1 = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
ABSOLUTE = re.compile(r"^(https?:|mailto:)")


def parse_feed(path):
    feed = feedparser.parse(path.read_bytes(), resolve_relative_uris=False)
    assert not feed.bozo, feed.get("bozo_exception")
    return feed


def text_of(html: str) -> str:
    return " ".join(BeautifulSoup(html, "html.parser").get_text().split())


def test_a_build_reports_the_time_of_each_stage(demo_site):
    """A build that made the site says what each stage took, in order, and
    they add up to its time; one that proved nothing changed has none."""
    from seedpress.build import STAGES

    result = demo_site.build(date=D1)
    assert result.ok, result.summary()
    assert list(result.stages) == list(STAGES)
    assert all(seconds >= 0 for seconds in result.stages.values())
    assert result.stages["pages"] > 0 and result.stages["stories"] > 0
    assert sum(result.stages.values()) == pytest.approx(result.seconds, abs=1e-6)
    assert "time: conversion " in result.summary()
    again = demo_site.build(date=D1)
    assert again.skipped and again.stages == {}
    assert "time:" not in again.summary()
    # An edit: the site recycled, its unchanged pages linked.
    seed = sorted(demo_site.seeds.rglob("*.txt"))[0]
    seed.write_text(seed.read_text().replace("\n\n", "\n\nUpdated. ", 1))
    edited = demo_site.build(date=D1)
    assert edited.ok and list(edited.stages) == list(STAGES)
    assert (edited.pages, edited.feeds) == (result.pages, result.feeds)


def test_demo_site_builds_with_pages_feeds_and_bios(demo_site):
    result = demo_site.build(date=D1)
    assert result.ok, result.summary()
    assert len(result.report.written) == len(list(demo_site.seeds.rglob("*.txt")))
    out = demo_site.output
    for page in ("index.html", "authors/index.html", "archives/index.html", "404.html"):
        assert (out / page).is_file(), page
    home = BeautifulSoup((out / "index.html").read_text(), "html.parser")
    assert len(home.select("article.teaser")) == 8
    assert home.select_one("link[rel=alternate][type='application/atom+xml']")
    assert home.select_one("link[rel=alternate][type='application/rss+xml']")
    # The author of two stories: one author page listing both, with the bio.
    mara = BeautifulSoup((out / "authors/mara-okafor/index.html").read_text(), "html.parser")
    assert len(mara.select("article.teaser")) == 2
    handle = mara.select_one(".profile .bio a[href='https://x.com/maraokafor']")
    assert handle and handle.get_text() == "@maraokafor"
    # Sections come from folders; the default section from settings.
    assert (out / "sections/world/index.html").is_file()
    assert (out / "sections/news/index.html").is_file()
    atom = parse_feed(out / "feeds/all.atom.xml")
    rss = parse_feed(out / "feeds/all.rss.xml")
    assert len(atom.entries) == len(rss.entries) == 8
    for feed in (atom, rss):
        for entry in feed.entries:
            links = BeautifulSoup(entry.content[0].value, "html.parser").find_all("a")
            assert all(ABSOLUTE.match(a["href"]) for a in links)
            assert entry.link.startswith("http://127.0.0.1:8000/")
    author_feed = parse_feed(out / "feeds/authors/mara-okafor.atom.xml")
    assert len(author_feed.entries) == 2


def test_article_page_shows_every_part(demo_site):
    demo_site.build(date=D1)
    slug = demo_site.ledger()["world/river-treaty-talks-resume.txt"]["slug"]
    page = BeautifulSoup(demo_site.article_html(slug), "html.parser")
    assert page.h1.get_text() == "River Treaty Talks Resume After Two-Year Deadlock"
    assert page.select_one(".story .dek")
    byline = [a.get_text() for a in page.select(".byline a")]
    assert byline == ["Priya Raman", "Tomás Ferreira"]
    assert page.select_one("time[datetime]")["datetime"].startswith("2026-03-01T")
    assert "min read" in page.select_one(".story .meta").get_text()
    # The bio belongs to the author it names, and shows in the bio box.
    assert [h.get_text() for h in page.select(".bios .bio h2")] == ["Priya Raman"]
    assert page.select_one("link[rel=canonical]")["href"].startswith("http://127.0.0.1")
    assert page.select(".neighbours a[rel=prev], .neighbours a[rel=next]")


def test_special_characters_are_literal_on_page_and_in_feeds(site):
    site.add("chars.txt", fixture_bytes("markdown_chars.txt"))
    assert site.build(date=D1).ok
    slug = site.ledger()["chars.txt"]["slug"]
    html = site.article_html(slug)
    page = BeautifulSoup(html, "html.parser")
    assert page.h1.get_text() == "# Not *a* heading <b>"
    assert page.select_one(".story .dek").get_text() == ("_dek_ with `code` & [link](http://x.org)")
    body = page.select_one(".story .body")
    assert not body.find_all(
        [
            "script",
            "b",
            "h1",
            "ul",
            "ol",
            "blockquote",
            "dl",
            "hr",
            "pre",
            "code",
            "table",
            "em",
            "strong",
            "abbr",
        ]
    )
    assert "<script>alert(1)</script>" in body.get_text()
    assert "&amp;" in body.get_text()
    assert "four spaces" in body.get_text()
    assert page.find("title").get_text().startswith("# Not *a* heading <b>")
    for name in ("all.atom.xml", "all.rss.xml"):
        entry = parse_feed(site.output / "feeds" / name).entries[0]
        assert entry.title == "# Not *a* heading <b>"
        content = BeautifulSoup(entry.content[0].value, "html.parser")
        assert not content.find_all("script")
        assert "<script>alert(1)</script>" in content.get_text()


def test_quotes_dashes_and_dots_stay_as_written_with_smarty_on(site):
    """With Python-Markdown's smarty extension added to Pelican's MARKDOWN,
    straight quotes, "--" and "..." stay as the seed has them on the page, in
    the summary and in the feeds; switching it on writes the posts again."""
    dek = 'A "dek" -- it\'s short...'
    body = "He said \"no\" -- twice... It's 'done' --- and <<that>>."
    site.add("q.txt", f"Quotes\n\n{dek}\n\n{body}\n\nMore text.")
    assert site.build(date=D1).ok
    markdown = copy.deepcopy(site.settings()["MARKDOWN"])
    markdown["extension_configs"]["markdown.extensions.smarty"] = {"smart_angled_quotes": True}
    result = site.build(date=D1, settings={"MARKDOWN": markdown})
    assert result.ok and result.report.written == ["q.txt"]
    page = BeautifulSoup(site.article_html("quotes"), "html.parser")
    assert [p.get_text() for p in page.select(".story .body p")] == [body, "More text."]
    assert page.select_one(".story .dek").get_text() == dek
    for name in ("all.atom.xml", "all.rss.xml"):
        entry = parse_feed(site.output / "feeds" / name).entries[0]
        text = BeautifulSoup(entry.content[0].value, "html.parser").get_text()
        assert body in text and "\u201c" not in text and "\u2013" not in text
        assert BeautifulSoup(entry.summary, "html.parser").get_text().strip() == dek


def test_rejected_seed_logs_one_error_and_the_rest_is_published(site, errors):
    site.add("good.txt", fixture_bytes("basic.txt"))
    site.add("bad/binary.txt", fixture_bytes("binary.txt"))
    result = site.build(date=D1)
    assert not result.ok
    assert [name for name, _ in result.report.rejected] == ["bad/binary.txt"]
    [record] = errors()
    assert "binary.txt" in record.getMessage() and "binary" in record.getMessage()
    assert "bad/binary.txt" in result.summary()
    assert len(parse_feed(site.output / "feeds/all.atom.xml").entries) == 1


def test_second_build_is_byte_identical_and_rewrites_no_post(demo_site):
    demo_site.build(date=D1)
    first = demo_site.tree()
    posts = {p: p.stat().st_mtime_ns for p in (demo_site.content / "posts").glob("*")}
    result = demo_site.build(date=D1)
    assert result.report.written == []
    assert demo_site.tree() == first
    assert {p: p.stat().st_mtime_ns for p in posts} == posts


def test_feed_has_no_build_timestamp_and_is_newest_first(site):
    for day in (3, 1, 2):
        site.add(f"s{day}.txt", f"Story {day}\n\nDek {day}\n\nBody {day}.")
        site.convert(date=datetime(2026, 3, day, tzinfo=UTC))
    site.build()
    atom = parse_feed(site.output / "feeds/all.atom.xml")
    assert [e.title for e in atom.entries] == ["Story 3", "Story 2", "Story 1"]
    assert atom.feed.updated.startswith("2026-03-03")
    rss = (site.output / "feeds/all.rss.xml").read_text()
    assert "<lastBuildDate>Tue, 03 Mar 2026" in rss


def test_edited_seed_keeps_url_and_feed_id(site):
    seed = site.add("a.txt", fixture_bytes("basic.txt"))
    site.build(date=D1)
    before = parse_feed(site.output / "feeds/all.atom.xml").entries[0]
    seed.write_bytes(fixture_bytes("basic.txt").replace(b"spring", b"summer"))
    site.build(date=datetime(2026, 4, 1, tzinfo=UTC))
    after = parse_feed(site.output / "feeds/all.atom.xml").entries[0]
    assert (after.id, after.link, after.published) == (
        before.id,
        before.link,
        before.published,
    )
    assert after.updated.startswith("2026-04-01") and "summer" in after.content[0].value


def test_bio_conflict_warns_naming_both_seeds_and_newest_wins(site, caplog):
    site.add(
        "old.txt",
        "Old\n\nDek\n\nBody.\n\nAuthor: Ana Lima\n\nAna Lima wrote this bio first.",
    )
    site.convert(date=D1)
    site.add(
        "new.txt",
        "New\n\nDek\n\nBody.\n\nAuthor: Ana Lima\n\nAna Lima has a newer bio.",
    )
    site.build(date=datetime(2026, 3, 2, tzinfo=UTC))
    [warning] = [r.getMessage() for r in caplog.records if "different bios" in r.getMessage()]
    assert "old.txt" in warning and "new.txt" in warning
    author = (site.output / "authors/ana-lima/index.html").read_text()
    assert "newer bio" in author and "first" not in author
    old_slug = site.ledger()["old.txt"]["slug"]
    assert "newer bio" in site.article_html(old_slug)
    # The feed keeps each article's own bio, as its seed gave it.
    entries = {e.title: e for e in parse_feed(site.output / "feeds/all.atom.xml").entries}
    assert "wrote this bio first" in entries["Old"].content[0].value


def test_error_inside_pelican_fails_the_build(site):
    site.add("a.txt", fixture_bytes("basic.txt"))
    broken = site.content / "posts" / "broken.md"
    broken.parent.mkdir(parents=True)
    broken.write_text("Title: Broken\nDate: not a date\n\nText.\n")
    result = site.build(date=D1)
    assert not result.ok and result.errors
    assert any("broken.md" in error for error in result.errors)


@pytest.mark.skipif(not SHARED_SEEDS.is_dir(), reason="../shared/seeds absent")
def test_the_real_seed_on_page_and_in_every_feed(site):
    real = (SHARED_SEEDS / "000_a7baacd1ab955cec.txt").read_bytes()
    site.add("000_a7baacd1ab955cec.txt", real)
    assert site.build(date=D1).ok
    lines = real.decode("utf-8").split("\n")
    blocks = [line for line in lines if line.strip()]
    dek, paragraphs = blocks[1], blocks[2:10]
    assert len(paragraphs) == 8 and "’" in paragraphs[0]
    slug = site.ledger()["000_a7baacd1ab955cec.txt"]["slug"]
    page = BeautifulSoup(site.article_html(slug), "html.parser")
    assert [p.get_text() for p in page.select(".story .body p")] == paragraphs
    assert page.select_one(".story .dek").get_text() == dek
    assert page.select_one(".byline a").get_text() == "Dave DeCamp"
    bio_link = page.select_one(".bios a[href='https://x.com/decampdave']")
    assert bio_link.get_text() == "@decampdave"
    for name in (
        "all.atom.xml",
        "all.rss.xml",
        "authors/dave-decamp.atom.xml",
        "authors/dave-decamp.rss.xml",
    ):
        entry = parse_feed(site.output / "feeds" / name).entries[0]
        assert entry.author == "Dave DeCamp"
        content = BeautifulSoup(entry.content[0].value, "html.parser")
        texts = [p.get_text() for p in content.find_all("p")]
        assert all(paragraph in texts for paragraph in paragraphs)
        assert dek in content.get_text() and dek in entry.summary
        assert content.find("a", href="https://x.com/decampdave").get_text() == "@decampdave"


def git(cwd, *args):
    env = {
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@example.org",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@example.org",
        "GIT_AUTHOR_DATE": "2026-02-02T10:00:00+00:00",
        "GIT_COMMITTER_DATE": "2026-02-02T10:00:00+00:00",
        "PATH": "/usr/bin:/bin:/usr/local/bin",
    }
    return subprocess.run(
        ["git", *args], cwd=cwd, env=env, check=True, capture_output=True, text=True
    ).stdout


def test_first_commit_dates_and_shallow_clone_builds_the_same_ids(tmp_path, caplog):
    origin = Site(tmp_path / "origin")
    origin.add("a.txt", fixture_bytes("basic.txt"))
    # Names git quotes in its output unless asked not to (-z).
    awkward = ['say "hi".txt', "back\\slash.txt", "world/café.txt"]
    for number, name in enumerate(awkward):
        origin.add(name, f"Story {number}\n\nThe body of story {number}.\n")
    git(origin.root, "init", "-q")
    git(origin.root, "add", "-A")
    git(origin.root, "commit", "-qm", "seed")
    # A full clone dates a new seed by the commit that added it.
    assert origin.build().ok
    for name in ["a.txt", *awkward]:
        assert origin.ledger()[name]["published"] == "2026-02-02T10:00:00+00:00", name
    git(origin.root, "add", "-A")
    git(origin.root, "commit", "-qm", "ledger and posts")
    full_feed = (origin.output / "feeds/all.atom.xml").read_bytes()
    shallow = Site(tmp_path / "shallow")
    shutil.rmtree(shallow.root)
    git(tmp_path, "clone", "-q", "--depth", "1", f"file://{origin.root}", "shallow")
    assert shallow.build().ok
    assert shallow.ledger() == origin.ledger()
    assert (shallow.output / "feeds/all.atom.xml").read_bytes() == full_feed
    # A new seed in the shallow clone cannot be dated from history: said in the log.
    shallow.add("b.txt", fixture_bytes("cp1252.txt"))
    caplog.clear()
    shallow.convert()
    assert any("shallow" in r.getMessage() for r in caplog.records)


def test_hand_written_drafts_and_hidden_stories_get_their_pages(demo_site):
    """A draft and a hidden story written by hand have pages of their own, with
    structured data and their author's bio; neither is listed or in a feed.
    Their pages failed the whole build (no JSON-LD to show)."""
    posts = demo_site.content / "posts"
    posts.mkdir(parents=True)
    for status in ("draft", "hidden"):
        (posts / f"{status}.md").write_text(
            f"Title: A {status} piece\nDate: 2026-11-20 10:00\nSlug: a-{status}-piece\n"
            f"Author: Lena Varga\nStatus: {status}\n\nNot for the front page yet.\n"
        )
    result = demo_site.build()
    assert result.ok, result.summary()
    for status in ("draft", "hidden"):
        [page] = demo_site.output.rglob(f"a-{status}-piece*")
        html = (page / "index.html" if page.is_dir() else page).read_text()
        assert '"@type": "NewsArticle"' in html or '"@type":"NewsArticle"' in html
        assert 'class="bio"' in html
        assert f"A {status} piece" not in (demo_site.output / "index.html").read_text()
        assert f"A {status} piece" not in (demo_site.output / "feeds/all.atom.xml").read_text()


def test_a_new_story_never_takes_the_slug_of_a_post_written_by_hand(demo_site):
    """A hand-written post is published under its Slug:, or the slug of its
    Title:; a new seed with that title took it too, and as the ledger keeps a
    slug forever, every build failed from then on. The seed now gets another.
    A post written by hand later, where a story is, fails the build naming
    both posts."""
    when = datetime(2026, 11, 20, 9, tzinfo=UTC)
    posts = demo_site.content / "posts"
    posts.mkdir(parents=True)
    (posts / "editors-note.md").write_text(
        "Title: Storm Warning\nDate: 2026-11-20 09:00\n\nA note from the desk.\n"
    )
    (posts / "fog-note.md").write_text(
        "Title: A note\nSlug: harbour-fog\nDate: 2026-11-20 09:00\n\nAnother note.\n"
    )
    # As Pelican reads them: a byte-order mark, a post in HTML.
    (posts / "gale.md").write_bytes(
        "\ufeffTitle: Harbour Gale\nDate: 2026-11-20 09:00\n\nWind.\n".encode()
    )
    (posts / "ferry.html").write_text(
        "<html><head><title>Night Ferry</title><meta name='date' content='2026-11-20 09:00'>"
        "</head><body><p>Late crossings.</p></body></html>\n"
    )
    # A header between fences; reStructuredText.
    (posts / "tide.md").write_text(
        "---\nTitle: Spring Tide\nDate: 2026-11-20 09:00\n---\n\nHigh water.\n"
    )
    (posts / "pier.rst").write_text(
        "Pier Repairs\n############\n\n:date: 2026-11-20 09:00\n\nThe pier is shut.\n"
    )
    # A file Pelican ignores (IGNORE_FILES) reserves nothing.
    (demo_site.content / ".notes").mkdir()
    (demo_site.content / ".notes" / "idea.md").write_text("Title: Lighthouse Fund\n\nIdea.\n")
    titles = {"storm": "Storm Warning", "fog": "Harbour Fog", "gale": "Harbour Gale"}
    titles |= {"ferry": "Night Ferry", "tide": "Spring Tide", "pier": "Pier Repairs"}
    titles["fund"] = "Lighthouse Fund"
    for name, title in titles.items():
        demo_site.add(f"{name}.txt", f"{title}\n\nThe story of the {title.lower()}.\n")
    result = demo_site.build(date=when)
    assert result.ok, result.summary()
    ledger = demo_site.ledger()
    assert [ledger[f"{name}.txt"]["slug"] for name in titles] == [
        "storm-warning-2",
        "harbour-fog-2",
        "harbour-gale-2",
        "night-ferry-2",
        "spring-tide-2",
        "pier-repairs-2",
        "lighthouse-fund",
    ]
    page = (demo_site.output / "2026/11/storm-warning-2/index.html").read_text()
    # By its slug; or saved there with Save_as:, which Pelican lets take
    # another page's place: it replaced the story's page without a word
    # (found by a differential test of incremental against cold builds).
    for where in ("Slug: storm-warning-2", "Save_as: 2026/11/storm-warning-2/index.html"):
        (posts / "late.md").write_text(
            f"Title: Late\n{where}\nDate: 2026-11-20 10:00\n\nToo late.\n"
        )
        result = demo_site.build(date=when)
        assert not result.ok
        [error] = result.errors
        assert "storm-warning-2/index.html" in error and "late.md" in error, error
        assert "storm-warning-2.md" in error, error
    assert (demo_site.output / "2026/11/storm-warning-2/index.html").read_text() == page


def test_project_demo_ledger_is_committed_and_matches_seeds():
    from seedpress.convert import find_seeds

    ledger = Site(ROOT).ledger()
    seeds, linked = find_seeds(ROOT / "seeds")
    assert not linked
    assert set(seeds) == {seed for seed, entry in ledger.items() if not entry["deleted"]}


def test_the_content_cache_never_serves_a_stale_rendering(site):
    note = site.content / "posts" / "note.md"
    note.parent.mkdir(parents=True)
    note.write_text("Title: Note\nDate: 2026-01-02\n\nfirst line\nsecond line\n")
    assert site.build().ok
    page = site.output / "2026/01/note/index.html"
    assert "<br" not in page.read_text()
    # Other Markdown settings: another cache, so the line break shows.
    markdown = {"extension_configs": {"markdown.extensions.nl2br": {}}, "output_format": "html5"}
    assert site.build(settings={"MARKDOWN": markdown}).ok
    assert "first line<br>" in page.read_text()
    # The post edited: its new text, not the cached one.
    note.write_text("Title: Note\nDate: 2026-01-02\n\nchanged text\n")
    assert site.build(settings={"MARKDOWN": markdown}).ok
    assert "changed text" in page.read_text()


def test_section_and_author_lists_test_membership_by_identity():
    """Pelican tests every story for membership in a section's or author's
    list; `Members` answers as the list would (stories compare by identity)."""
    import pickle

    from seedpress.pelican_glue import Members, members

    class Story:  # Pelican's Content compares by identity too
        pass

    class Unhashable(Story):
        __hash__ = None

    ours, theirs = [Story(), Story()], Story()
    for made in (Members(ours), members(ours)):
        assert made == ours and all(story in made for story in ours)
        assert theirs not in made and Story() not in made
    odd = Unhashable()
    mixed = members([*ours, odd])
    assert type(mixed) is Members and odd in mixed and theirs not in mixed
    assert pickle.loads(pickle.dumps([members([1, 2])])) == [[1, 2]]


def test_a_save_as_over_a_story_page_written_at_once_fails_the_build(demo_site):
    """A story whose post links other content ({filename}) is written at once,
    as a page with Save_as: is: the check of queued pages never saw the two,
    and the later replaced the story's page without a word (a reviewer's
    case)."""
    when = datetime(2026, 11, 20, 9, tzinfo=UTC)
    demo_site.add("storm.txt", "Storm Warning\n\nThe story of the storm warning.\n")
    demo_site.add("other.txt", "Other Story\n\nThe story of another thing.\n")
    assert demo_site.build(date=when).ok
    posts = demo_site.content / "posts"
    post = posts / "storm-warning.md"
    post.write_text(post.read_text() + "\n[Another story]({filename}/posts/other-story.md)\n")
    assert demo_site.build(date=when).ok
    page = (demo_site.output / "2026/11/storm-warning/index.html").read_text()
    assert "Another story" in page
    (posts / "late.md").write_text(
        "Title: Late\nDate: 2026-11-20 10:00\n"
        "Save_as: 2026/11/storm-warning/index.html\n\nToo late.\n"
    )
    result = demo_site.build(date=when)
    assert not result.ok
    [error] = result.errors
    assert "storm-warning/index.html" in error, error
    assert "late.md" in error and "storm-warning.md" in error, error
    assert (demo_site.output / "2026/11/storm-warning/index.html").read_text() == page


def test_bs4_is_imported_only_when_markup_needs_it():
    """Importing bs4 took 88 ms of every build: the plugin imports it at the
    first title with markup (or story with a relative link), not before."""
    script = (
        "import sys\n"
        "sys.path.insert(0, sys.argv[1])\n"
        "from seedpress import pelican_glue\n"
        "from seedpress.feeds import model\n"
        "before = 'bs4' in sys.modules\n"
        "plain = pelican_glue.plain('Harbour News')\n"
        "still = 'bs4' in sys.modules\n"
        "marked = pelican_glue.plain('Smith &amp; <em>Jones</em>')\n"
        "print(before, still, plain, marked, 'bs4' in sys.modules)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script, str(ROOT / "plugins")],
        check=False,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == [
        "False",
        "False",
        "Harbour",
        "News",
        "Smith",
        "&",
        "Jones",
        "True",
    ]
