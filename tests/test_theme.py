"""The theme's metadata for the wider web, its budgets, and what it links."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime

import pytest
from bs4 import BeautifulSoup
from conftest import ROOT, SHARED_SEEDS, Site, demo_with_real_seed
from conftest import demo as demo_project
from lxml import etree

D1 = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)


def load_page_weight():
    import importlib.util

    spec = importlib.util.spec_from_file_location("page_weight", ROOT / "bench/page_weight.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def demo(tmp_path_factory) -> Site:
    site = demo_with_real_seed(tmp_path_factory.mktemp("theme") / "demo")
    site.convert(date=D1)
    assert site.build().ok
    return site


def article(site: Site, seed: str) -> BeautifulSoup:
    return BeautifulSoup(site.article_html(site.ledger()[seed]["slug"]), "html.parser")


def test_one_news_article_json_ld_per_article(site):
    site.add(
        "q.txt",
        'He Said “No” and \'Maybe\' </script> "x"\n\nA dek "quoted"\n\nBody.\n\nAuthor: Ana Lima',
    )
    assert site.build(date=D1).ok
    page = article(site, "q.txt")
    [block] = page.select('script[type="application/ld+json"]')
    data = json.loads(block.string)
    assert data["@type"] == "NewsArticle"
    assert data["headline"] == "He Said “No” and 'Maybe' </script> \"x\""
    assert data["description"] == 'A dek "quoted"'
    assert data["datePublished"] == "2026-03-01T09:00:00+00:00"
    assert data["dateModified"] == "2026-03-01T09:00:00+00:00"
    assert data["author"] == [
        {"@type": "Person", "name": "Ana Lima", "url": "http://127.0.0.1:8000/authors/ana-lima/"}
    ]
    assert data["publisher"]["@type"] == "Organization"
    assert data["mainEntityOfPage"]["@id"] == data["url"]
    assert "</script>" not in block.string  # escaped by |tojson


def test_open_graph_twitter_and_description(demo):
    page = article(demo, "world/river-treaty-talks-resume.txt")
    meta = {
        m.get("property") or m.get("name"): m["content"]
        for m in page.find_all("meta")
        if m.get("content")
    }
    assert meta["og:type"] == "article"
    assert meta["og:title"] == "River Treaty Talks Resume After Two-Year Deadlock"
    assert meta["og:url"].startswith("http://127.0.0.1:8000/")
    assert meta["description"] == meta["og:description"] == meta["twitter:description"]
    assert meta["description"].startswith("Negotiators from Talmora")
    assert meta["twitter:card"] == "summary"


def test_article_links_more_from_author_read_next_and_share(demo):
    page = article(demo, "science/undersea-cable-detects-earthquakes.txt")
    more = [a.get_text() for a in page.select("#more-title + ul a")]
    assert more == ["City Council Approves Protected Bike Lanes on Harbour Road"]
    assert page.select("#next-title + ul a")
    shares = [a["href"] for a in page.select(".share a")]
    assert shares[0].startswith("mailto:?subject=")
    assert all("127.0.0.1" in href or "%3A%2F%2F127.0.0.1" in href for href in shares)
    assert page.select_one("article[data-pagefind-body]")


def test_sitemap_lastmod_from_content_and_robots(demo):
    root = etree.parse(str(demo.output / "sitemap.xml")).getroot()
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    urls = {
        u.findtext("s:loc", namespaces=ns): u.findtext("s:lastmod", namespaces=ns)
        for u in root.findall("s:url", ns)
    }
    slug = demo.ledger()["world/river-treaty-talks-resume.txt"]["slug"]
    assert urls[f"http://127.0.0.1:8000/2026/03/{slug}/"] == "2026-03-01T09:00:00+00:00"
    assert "http://127.0.0.1:8000/authors/mara-okafor/" in urls
    # The month's and year's archives, as new as their newest story.
    newest = max(
        date for url, date in urls.items() if url.startswith("http://127.0.0.1:8000/2026/03/")
    )
    assert urls["http://127.0.0.1:8000/2026/03/"] == newest
    assert urls["http://127.0.0.1:8000/2026/"] is not None
    # The indexes a crawler starts from, as new as the newest story.
    for index in ("archives", "authors", "sections"):
        assert urls[f"http://127.0.0.1:8000/{index}/"] == urls["http://127.0.0.1:8000/"]
    # A local build names no sitemap in robots.txt; production does (below).
    assert "Sitemap:" not in (demo.output / "robots.txt").read_text()


def test_production_build_names_the_sitemap(tmp_path):
    from seedpress.build import build

    site = Site(tmp_path / "prod")
    site.add("a.txt", "Alpha\n\nDek\n\nBody.")
    site.convert(date=D1)
    result = build(ROOT / "publishconf.py", overrides=site.overrides())
    assert result.ok, result.summary()
    robots = (site.output / "robots.txt").read_text()
    assert "Sitemap: https://harbourledger.example/sitemap.xml" in robots
    page = (site.output / "2026/03/alpha/index.html").read_text()
    css = (ROOT / "theme" / "static" / "css" / "site.css").read_bytes()
    version = hashlib.sha256(css).hexdigest()[:12]
    # Versioned: a changed stylesheet is a new address, fetched at once.
    assert f'href="https://harbourledger.example/theme/css/site.css?v={version}"' in page


def test_every_article_is_within_the_page_weight_budget(demo, capsys):
    page_weight = load_page_weight()
    assert page_weight.main([str(demo.output)]) == 0
    report = capsys.readouterr().out
    assert "0 over" in report
    if SHARED_SEEDS.is_dir():
        slug = demo.ledger()["000_a7baacd1ab955cec.txt"]["slug"]
        assert slug in report


def test_the_newer_page_link_goes_to_the_home_page_not_index_html(demo_site):
    """The home page has one address, "/": page 2's "Newer" linked
    "index.html", a second one."""
    assert demo_site.build(settings={"DEFAULT_PAGINATION": 3}).ok
    page = BeautifulSoup((demo_site.output / "page/2/index.html").read_text(), "html.parser")
    newer = page.select_one(".pager a[rel=prev]")["href"]
    assert newer.endswith("/") and "index.html" not in newer


def test_every_open_link_of_the_subscribe_page_says_which_feed(demo_site):
    assert demo_site.build().ok
    page = BeautifulSoup((demo_site.output / "subscribe/index.html").read_text(), "html.parser")
    names = [a.get_text(" ", strip=True) for a in page.select(".feeds dd a")]
    assert names and len(set(names)) == len(names), "links that read alike"


def test_every_page_has_its_own_title_and_one_canonical_address(demo_site):
    """Search engines and sharing take a page's canonical link and title:
    listing pages had none and repeated page 1's title."""
    assert demo_site.build(settings={"DEFAULT_PAGINATION": 3}).ok
    base = "http://127.0.0.1:8000"
    titles = {}
    for path in sorted(demo_site.output.rglob("*.html")):
        relative = path.relative_to(demo_site.output).as_posix()
        page = BeautifulSoup(path.read_text(), "html.parser")
        canonical = [link["href"] for link in page.select('link[rel="canonical"]')]
        if relative == "404.html":  # shown at every missing address
            assert canonical == []
            continue
        folder = relative.removesuffix("index.html")
        assert canonical == [f"{base}/{folder}"], relative
        titles.setdefault(page.title.string, []).append(relative)
    assert {title: pages for title, pages in titles.items() if len(pages) > 1} == {}
    described = {}
    for relative in ("sections/world/index.html", "2026/index.html"):
        page = BeautifulSoup((demo_site.output / relative).read_text(), "html.parser")
        described[relative] = page.select_one('meta[name="description"]')["content"]
    assert (
        described["sections/world/index.html"] == "The latest World stories from The Harbour Ledger"
    )
    assert described["2026/index.html"] == "Stories of 2026 from The Harbour Ledger"
    second = BeautifulSoup((demo_site.output / "page/2/index.html").read_text(), "html.parser")
    assert second.title.string == "Latest news · Page 2 · The Harbour Ledger"


def test_a_story_without_a_byline_credits_the_newsroom_not_a_person(site):
    site.add("brief.txt", "Harbour Lights Relit\n\nThe lamps are back on the quay tonight.\n")
    assert site.build(date=D1).ok
    page = article(site, "brief.txt")
    data = json.loads(page.select_one('script[type="application/ld+json"]').string)
    assert [author["@type"] for author in data["author"]] == ["Organization"]
    assert data["author"][0]["name"] == data["publisher"]["name"] == "The Harbour Ledger"


def test_bios_and_names_take_their_direction_from_their_own_text(site):
    """An Arabic bio on an English site reads right to left, as the story does."""
    bio = "ليلى حسن تكتب عن الموانئ لصحيفتنا."
    site.add("port.txt", f"ميناء جديد\n\nنص القصة هنا.\n\nAuthor: ليلى حسن\n\n{bio}\n")
    assert site.build(date=D1).ok
    page = article(site, "port.txt")
    [paragraph] = page.select(".bios .bio p")
    assert paragraph["dir"] == "auto" and paragraph.get_text() == bio
    [author] = [folder for folder in (site.output / "authors").iterdir() if folder.is_dir()]
    profile = BeautifulSoup((author / "index.html").read_text(), "html.parser")
    assert profile.select_one("h1")["dir"] == "auto"
    assert profile.select_one("p.bio")["dir"] == "auto"
    assert profile.select_one('meta[name="description"]')["content"] == bio


@pytest.mark.parametrize(
    ("lang", "locale"),
    [("en", None), ("en-GB", "en_GB"), ("pt_BR", "pt_BR"), ("zh-Hant", None), ("es-419", None)],
)
def test_open_graph_locale_is_a_language_and_territory(site, lang, locale):
    site.add("brief.txt", "Harbour Lights Relit\n\nThe lamps are back on the quay tonight.\n")
    assert site.build(date=D1, settings={"DEFAULT_LANG": lang}).ok
    found = article(site, "brief.txt").select_one('meta[property="og:locale"]')
    assert (found["content"] if found else None) == locale


def test_a_static_sitemap_or_robots_txt_is_the_sites_own(tmp_path):
    """A file in STATIC_PATHS saved as sitemap.xml or robots.txt is copied
    over what Seedpress makes, in a cold build and in the build after."""
    site = demo_project(tmp_path / "own")
    extra = site.content / "extra"
    extra.mkdir(parents=True)
    (extra / "sitemap.xml").write_text("<mine/>")
    (extra / "robots.txt").write_text("User-agent: *\nDisallow: /drafts/\n")
    settings = {
        "STATIC_PATHS": ["extra"],
        "EXTRA_PATH_METADATA": {
            "extra/sitemap.xml": {"path": "sitemap.xml"},
            "extra/robots.txt": {"path": "robots.txt"},
        },
    }
    for story in ("", "Late\n\nDek\n\nBody."):
        if story:  # the build after a cold one, an edit's
            site.add("late.txt", story)
        result = site.build(date=D1, settings=settings)
        assert result.ok, result.summary()
        assert (site.output / "sitemap.xml").read_text() == "<mine/>"
        assert "Disallow: /drafts/" in (site.output / "robots.txt").read_text()
