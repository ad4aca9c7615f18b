"""Property-based tests (hypothesis) of the parser, the Markdown it becomes, and
the feeds: whatever a seed holds, nothing crashes but the project's own error,
every accepted seed reads back as its own text, and nothing the seed held ever
becomes an element or an attribute."""

from __future__ import annotations

import contextlib
import copy
import os
import re
from datetime import UTC

import feedparser
from bs4 import BeautifulSoup
from conftest import Site
from hypothesis import given
from hypothesis import strategies as st
from lxml import etree
from markdown import Markdown
from pelican.settings import DEFAULT_CONFIG

from seedpress.feeds.model import FeedInfo, FeedItem
from seedpress.feeds.syndication import atom_bytes, rss_bytes
from seedpress.ledger import Entry
from seedpress.pelican_glue import plain
from seedpress.post import render_post
from seedpress.seed import SeedError, parse

HANDLES = "https://x.com/{handle}"
# Every Markdown and HTML construct SEED_FORMAT.md lists, and some more.
CONSTRUCTS = [
    "# ",
    "* ",
    "- ",
    "+ ",
    "1. ",
    "> ",
    ": ",
    "    ",
    "===",
    "---",
    "_u_",
    "*s*",
    "**b**",
    "`c`",
    "\\",
    "[t](http://e.com)",
    "<http://e.com>",
    "[^1]",
    "*[ABBR]: x",
    "{: .c}",
    "| a | b |",
    "<b>",
    "</b>",
    "<script>alert(1)</script>",
    "&amp;",
    "&#60;",
    "<!-- c -->",
    "<img src=x onerror=alert(1)>",
    '<a href="javascript:alert(1)">x</a>',
    "javascript:x",
    "https://e.com/a_(b)?c=1&d=2.",
    "@handle.",
    "@u@host.example",
    "a@b.com",
    "!!! note",
    "~~x~~",
    "^x^",
    "==x==",
    "$x$",
    "{#id}",
    "[[w]]",
    "\u2028",
    "\u2029",
    "\x85",
    "\x0c",
    "\x0b",
    "\x00",
    "\x07",
    "\x1b",
    "\x7f",
    "\ufffe",
    "\uffff",
    "\ufeff",
    "’",
    "“”",
    "—",
    "\t",
    "  ",
    "\r",
    "\n",
    "\r\n",
    "\n\n",
    "Author: ",
    "Authors: A and B, C",
]
pieces = st.one_of(st.sampled_from(CONSTRUCTS), st.text(max_size=12))
seed_text = st.lists(pieces, max_size=40).map("".join)
PELICAN_MARKDOWN = copy.deepcopy(DEFAULT_CONFIG["MARKDOWN"])
PELICAN_MARKDOWN["extensions"] = list(PELICAN_MARKDOWN["extension_configs"])
FORBIDDEN = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufdd0-\ufdef\ufffe\uffff]"
)


def normalised(text: str) -> str:
    return " ".join(text.split())


def assert_only_our_markup(html: str) -> BeautifulSoup:
    """Only <p> and our <a href="http(s)://…">: nothing from the seed."""
    soup = BeautifulSoup(html, "html.parser")
    for tag in soup.find_all(True):
        assert tag.name in ("p", "a"), tag
        if tag.name == "a":
            assert list(tag.attrs) == ["href"], tag
            assert tag["href"].startswith(("http://", "https://")), tag
        else:
            assert not tag.attrs, tag
    return soup


@given(st.binary(max_size=400))
def test_any_bytes_parse_or_raise_seed_error(data):
    with contextlib.suppress(SeedError):
        parse(data)


@given(st.text(alphabet="ab \r\n\x0b\x0c\x85\u2028\u2029", max_size=30))
def test_only_lf_cr_and_crlf_end_a_line(text):
    """The parser's line split (str methods, for speed) is the regular
    expression's that states the rule."""
    from seedpress.seed import _lines

    assert _lines(text) == re.split(r"\r\n|\r|\n", text)


@given(seed_text, st.sampled_from(["utf-8", "utf-16", "utf-16-be", "cp1252", "latin-1"]))
def test_any_text_in_any_encoding_parses_or_raises_seed_error(text, encoding):
    try:
        data = text.encode(encoding, errors="surrogatepass" if "16" in encoding else "ignore")
    except UnicodeEncodeError:
        return
    try:
        seed = parse(data)
    except SeedError:
        return
    for field in (seed.title, seed.subtitle or "", seed.bio or "", *seed.paragraphs):
        assert not FORBIDDEN.search(field), repr(field)
        assert "\n" not in field and "\r" not in field


ENTRY = Entry(
    id="tag:e.example,2026-01-01:1",
    slug="story",
    seed="s.txt",
    section="",
    published="2026-01-01T00:00:00+00:00",
    updated="2026-01-01T00:00:00+00:00",
    seed_hash="0",
)


@given(seed_text)
def test_accepted_seed_reads_back_as_its_own_text(text):
    try:
        seed = parse(text.encode("utf-8", errors="surrogatepass"))
    except SeedError:
        return
    # The whole post, read the way Pelican's Markdown reader reads it.
    md = Markdown(**PELICAN_MARKDOWN)
    html = md.convert(render_post(seed, ENTRY, "News", HANDLES))
    soup = assert_only_our_markup(html)
    assert [normalised(p.get_text()) for p in soup.find_all("p")] == [
        normalised(p) for p in seed.paragraphs
    ]
    meta = {key: values[0] for key, values in md.Meta.items()}
    # Title: and names are HTML text in templates, plain text in feeds.
    assert plain(meta["title"]) == seed.title
    if seed.authors:
        assert [plain(a.strip()) for a in meta["authors"].split(",")] == list(seed.authors)
    if seed.subtitle:  # Pelican renders Summary: as Markdown, without the meta step
        md.reset()
        md.preprocessors.deregister("meta")
        summary = assert_only_our_markup(md.convert(meta["summary"]))
        assert normalised(summary.get_text()) == normalised(seed.subtitle)
        assert summary.find("a") is None  # plain, as the page's dek is
        assert plain(meta["subtitle"]) == seed.subtitle
    if seed.bio:
        bio = assert_only_our_markup(f"<p>{meta['bio']}</p>")
        assert bio.get_text() == seed.bio


@given(seed_text, seed_text)
def test_feeds_carry_the_text_and_no_foreign_markup(title_text, body_text):
    try:
        seed = parse(
            f"{title_text or 'T'}\n\n{body_text or 'Body'}".encode("utf-8", "surrogatepass")
        )
    except SeedError:
        return
    from datetime import datetime

    body = Markdown(**PELICAN_MARKDOWN).convert(render_post(seed, ENTRY, "News", HANDLES))
    moment = datetime(2026, 1, 1, tzinfo=UTC)
    item = FeedItem(
        id="tag:e.example,2026-01-01:1",
        url="https://e.example/a/",
        title=seed.title,
        authors=(("Ana", "https://e.example/authors/ana/"),),
        published=moment,
        updated=moment,
        summary_html=body,
        summary_text="s",
        content_html=body,
    )
    info = FeedInfo(
        title="Site",
        subtitle="S",
        page_url="https://e.example/",
        feed_url="https://e.example/feed",
        language="en",
        author="Site",
        items=(item,),
    )
    for document in (atom_bytes(info), rss_bytes(info)):
        parsed = feedparser.parse(document, resolve_relative_uris=False, sanitize_html=False)
        assert not parsed.bozo, parsed.bozo_exception
        # Exact text from an XML parser: feedparser "repairs" text that looks
        # like doubly encoded UTF-8 ("Â¡" comes back as "¡"), so it is not the
        # judge of exactness here.
        root = etree.fromstring(document)
        item = root.xpath("//*[local-name()='entry' or local-name()='item']")[0]
        title = item.xpath("*[local-name()='title']")[0].text or ""
        assert title == seed.title
        content = item.xpath("*[local-name()='content' or local-name()='encoded']")[0].text
        soup = assert_only_our_markup(content)
        assert normalised(soup.get_text()) == normalised(" ".join(seed.paragraphs))


names = st.text(
    alphabet=st.characters(blacklist_characters="/\x00", blacklist_categories=("Cs",)),
    min_size=1,
    max_size=60,
).filter(lambda n: n not in (".", "..") and len(os.fsencode(n)) < 200)


@given(st.lists(names, min_size=1, max_size=4, unique=True))
def test_any_file_names_stay_inside_content(tmp_path_factory, file_names):
    root = tmp_path_factory.mktemp("names")
    site = Site(root / "site")
    outside = root / "outside"
    outside.mkdir()
    for index, name in enumerate(file_names):
        site.add(f"{name}.txt", f"Title {index}\n\nBody of story {index}.")
    before = {p for p in root.rglob("*") if not p.is_relative_to(site.content)}
    report = site.convert()
    after = {p for p in root.rglob("*") if not p.is_relative_to(site.content)}
    assert after == before  # nothing written anywhere but content/
    visible = [n for n in file_names if not n.startswith(".")]

    # A line break or control character in a name would break the post header.
    def control(c: str) -> bool:
        return ord(c) < 32 or 0x7F <= ord(c) <= 0x9F or c in "\u2028\u2029"

    broken = [n for n in visible if any(map(control, n))]
    # Shown with each of them escaped, as Python writes it.
    shown = ["".join(ascii(c)[1:-1] if control(c) else c for c in f"{n}.txt") for n in broken]
    assert sorted(path for path, _ in report.rejected) == sorted(shown)
    assert len(report.written) == len(visible) - len(broken)
    posts = list((site.content / "posts").glob("*.md"))
    assert len(posts) == len(visible) - len(broken)
    assert all(p.name.isascii() and p.parent == site.content / "posts" for p in posts)


URL_PIECES = [
    "[x](javascript:alert(1))",
    "![a](b)",
    "`c`",
    "\\",
    "<b>",
    "|",
    "{: .x}",
    "^",
    '"',
    "'",
    "*",
    "_",
    "&amp;",
    "%2F",
    "(",
    ")",
    "[",
    "]",
    "onmouseover=x",
    "#f",
]


@given(
    st.lists(st.sampled_from(URL_PIECES), min_size=1, max_size=8).map("".join),
    st.sampled_from(["", " ", ", ", "."]),
)
def test_urls_holding_markdown_become_one_safe_link(path, after):
    text = f"See https://e.example/{path}{after}then more."
    seed = parse(f"T\n\n{text}".encode())
    html = Markdown(**PELICAN_MARKDOWN).convert(render_post(seed, ENTRY, "News", HANDLES))
    soup = assert_only_our_markup(html)
    assert normalised(soup.get_text()) == normalised(seed.paragraphs[0])
    for link in soup.find_all("a"):
        assert link["href"].startswith("https://e.example/")
