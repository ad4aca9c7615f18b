# ruff: noqa: E501  (seed texts and section rules are easier to read unwrapped)
"""Acceptance tests for Seedpress, written from the issue ("core") and SEED_FORMAT.md.

These tests use only the public entry points (seedpress.seed.parse,
seedpress.build.build / load_settings, seedpress.convert.convert, the invoke
tasks) and look at what a user sees: posts in content/, pages and feeds in
output/. Every site is built in pytest's tmp_path.
"""

from __future__ import annotations

import contextlib
import gzip
import json
import logging
import os
import posixpath
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from pathlib import Path
from urllib.parse import unquote, urlsplit
from zoneinfo import ZoneInfo

import feedparser
import pytest
from bs4 import BeautifulSoup, Comment, Tag
from lxml import etree

ROOT = Path(__file__).resolve().parents[1]
SETTINGS_FILE = ROOT / "pelicanconf.py"
PUBLISH_FILE = ROOT / "publishconf.py"
SHARED_SEED = Path(__file__).resolve().parents[2] / "shared" / "seeds" / "000_a7baacd1ab955cec.txt"
if str(ROOT / "plugins") not in sys.path:
    sys.path.insert(0, str(ROOT / "plugins"))

from seedpress.build import build, load_settings  # noqa: E402
from seedpress.convert import convert  # noqa: E402
from seedpress.seed import SeedError, parse  # noqa: E402

ZONE = ZoneInfo("Europe/London")
BASE = "http://127.0.0.1:8000"  # FEED_DOMAIN of pelicanconf.py (local builds)
ATOM = "{http://www.w3.org/2005/Atom}"
RSS_CONTENT = "{http://purl.org/rss/1.0/modules/content/}encoded"
DC_CREATOR = "{http://purl.org/dc/elements/1.1/}creator"

# Code points that must never reach a page or a feed.
FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff\ud800-\udfff]")


# --------------------------------------------------------------------------- helpers


@contextmanager
def captured_logs(level=logging.INFO):
    """Every log record (at `level` and up) emitted inside the block."""
    records: list[logging.LogRecord] = []

    class Keep(logging.Handler):
        def emit(self, record):
            records.append(record)

    handler = Keep(level=logging.DEBUG)
    root = logging.getLogger()
    old = root.level
    root.addHandler(handler)
    root.setLevel(level)
    try:
        yield records
    finally:
        root.removeHandler(handler)
        root.setLevel(old)


def messages(records, level):
    return [r.getMessage() for r in records if r.levelno >= level]


def set_mtime(path: Path, moment: datetime) -> None:
    stamp = moment.timestamp()
    os.utime(path, (stamp, stamp))


class Project:
    """seeds/, content/ and output/ of one site in a temporary folder."""

    def __init__(self, root: Path, **settings):
        self.root = root
        self.seeds = root / "seeds"
        self.content = root / "content"
        self.output = root / "output"
        self.seeds.mkdir(parents=True, exist_ok=True)
        self.settings = settings

    def overrides(self, **extra) -> dict:
        return {
            "PATH": str(self.content),
            "OUTPUT_PATH": str(self.output),
            "SEEDPRESS_SEEDS_PATH": str(self.seeds),
            **self.settings,
            **extra,
        }

    def add(self, relative: str, data: bytes | str, mtime: datetime | None = None):
        path = self.seeds / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
        if mtime is not None:
            set_mtime(path, mtime)
        return path

    def build(self, settings_file: Path = SETTINGS_FILE, extra=None, **kwargs):
        return build(settings_file, overrides=self.overrides(**(extra or {})), **kwargs)

    def convert(self, **kwargs):
        settings = load_settings(SETTINGS_FILE, self.overrides())
        return convert(self.seeds, self.content, settings, **kwargs)

    # ---- content/
    def posts(self) -> list[Path]:
        return sorted((self.content / "posts").glob("*.md"))

    def post_for(self, seed_relative: str) -> Path | None:
        """The generated post whose header names this seed file."""
        name = posixpath.basename(seed_relative)
        found = []
        for post in self.posts():
            header = post_header(post)
            if any(v in (seed_relative, name) or v.endswith("/" + name) for v in header.values()):
                found.append(post)
        assert len(found) <= 1, f"several posts name {seed_relative}: {found}"
        return found[0] if found else None

    def slug_for(self, seed_relative: str) -> str:
        post = self.post_for(seed_relative)
        assert post is not None, f"no post names the seed {seed_relative}"
        return post_header(post)["slug"]

    # ---- output/
    def article_page(self, slug: str) -> Path:
        pages = list(self.output.glob(f"[0-9][0-9][0-9][0-9]/[0-9][0-9]/{slug}/index.html"))
        assert len(pages) == 1, f"article page for {slug}: {pages}"
        return pages[0]

    def tree(self) -> dict[str, bytes]:
        return {
            p.relative_to(self.output).as_posix(): p.read_bytes()
            for p in sorted(self.output.rglob("*"))
            if p.is_file()
        }

    def atom(self, relative="feeds/all.atom.xml"):
        return atom_entries(self.output / relative)

    def rss(self, relative="feeds/all.rss.xml"):
        return rss_items(self.output / relative)

    def entry_for(self, seed_relative: str, feed="feeds/all.atom.xml"):
        slug = self.slug_for(seed_relative)
        entries = atom_entries(self.output / feed)
        found = [e for e in entries if e["link"].rstrip("/").endswith("/" + slug)]
        assert len(found) == 1, f"{feed}: no single entry for {seed_relative} ({slug})"
        return found[0]


def post_header(post: Path) -> dict[str, str]:
    header = {}
    for line in post.read_text(encoding="utf-8").split("\n"):
        if not line.strip():
            break
        key, _, value = line.partition(":")
        header[key.strip().lower()] = value.strip()
    return header


def html_soup(path_or_text) -> BeautifulSoup:
    text = (
        path_or_text.read_text(encoding="utf-8") if isinstance(path_or_text, Path) else path_or_text
    )
    return BeautifulSoup(text, "lxml")


def fragment(html: str) -> BeautifulSoup:
    return BeautifulSoup(html or "", "html.parser")


def atom_entries(path: Path) -> list[dict]:
    root = etree.parse(str(path)).getroot()
    out = []
    for e in root.findall(ATOM + "entry"):
        links = [
            link.get("href")
            for link in e.findall(ATOM + "link")
            if link.get("rel", "alternate") == "alternate"
        ]
        content = e.find(ATOM + "content")
        summary = e.find(ATOM + "summary")
        out.append(
            {
                "id": e.findtext(ATOM + "id"),
                "title": e.findtext(ATOM + "title"),
                "title_type": e.find(ATOM + "title").get("type", "text"),
                "published": e.findtext(ATOM + "published"),
                "updated": e.findtext(ATOM + "updated"),
                "link": links[0] if links else "",
                "content": content.text if content is not None else None,
                "content_type": content.get("type") if content is not None else None,
                "summary": summary.text if summary is not None else None,
                "summary_type": summary.get("type") if summary is not None else None,
                "authors": [a.findtext(ATOM + "name") for a in e.findall(ATOM + "author")],
            }
        )
    return out


def rss_items(path: Path) -> list[dict]:
    root = etree.parse(str(path)).getroot()
    out = []
    for item in root.find("channel").findall("item"):
        out.append(
            {
                "title": item.findtext("title"),
                "link": item.findtext("link"),
                "guid": item.findtext("guid"),
                "description": item.findtext("description"),
                "content": item.findtext(RSS_CONTENT),
                "creators": [c.text for c in item.findall(DC_CREATOR)],
                "pubDate": item.findtext("pubDate"),
            }
        )
    return out


def iso(value: str) -> datetime:
    moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    assert moment.tzinfo is not None, f"date without time zone: {value}"
    return moment


def p_texts(soup) -> list[str]:
    return [p.get_text() for p in soup.find_all("p")]


def resolve(page: Path, output: Path, href: str) -> Path | None:
    """The output file a link on `page` points to (None if external)."""
    parts = urlsplit(href)
    if parts.scheme or href.startswith("//"):
        if not href.startswith(BASE):
            return None
        path = unquote(urlsplit(href[len(BASE) :] or "/").path)
        target = output / path.lstrip("/")
    elif parts.path.startswith("/"):
        target = output / unquote(parts.path).lstrip("/")
    else:
        target = page.parent / unquote(parts.path)
    if parts.path.endswith("/") or target.is_dir():
        target = target / "index.html"
    return Path(os.path.normpath(target))


def listing(first: Path, output: Path) -> list[Path]:
    """A listing page and the further pages of it (pagination) it links to."""
    pages, todo = [], [first]
    while todo:
        page = todo.pop()
        if page in pages:
            continue
        pages.append(page)
        for a in html_soup(page).find_all("a", href=True):
            target = resolve(page, output, a["href"])
            if (
                target
                and target.is_file()
                and target not in pages
                and target.is_relative_to(first.parent)
                and "page" in target.as_posix()
            ):
                todo.append(target)
    return pages


def check_literal_paragraph(soup, text: str, where: str) -> Tag:
    """A <p> shows `text` exactly, with no markup but links."""
    found = [p for p in soup.find_all("p") if p.get_text() == text]
    assert found, f"{where}: no <p> shows exactly {text!r}"
    p = found[0]
    assert not p.attrs, f"{where}: attributes {p.attrs} on the paragraph {text!r}"
    for child in p.children:
        if isinstance(child, Comment):
            raise AssertionError(f"{where}: an HTML comment inside {text!r}")
        if isinstance(child, Tag):
            assert child.name == "a", f"{where}: <{child.name}> inside {text!r}"
            assert set(child.attrs) <= {"href", "rel"}, child.attrs
            assert child["href"].startswith(("http://", "https://", "mailto:")), child
    return p


def foreign_scripts(soup) -> list:
    """<script> elements the theme did not put there on purpose.

    The theme's own: JSON-LD data blocks that parse as JSON, and script files
    of the theme or of the search index (search page only).
    """
    foreign = []
    for script in soup.find_all("script"):
        if script.get("type") == "application/ld+json":
            json.loads(script.string)
            continue
        if re.search(
            # The theme's own script carries its file's digest (?v=).
            r"/pagefind/(\d{4}|recent)/pagefind-ui\.js$|/js/search\.js(\?v=[0-9a-f]{12})?$",
            script.get("src", ""),
        ):
            continue
        foreign.append(script)
    return foreign


def check_no_interpreted_markup(soup, where: str) -> None:
    """None of the seed's markup may have become an element or a comment."""
    scripts = foreign_scripts(soup)
    assert not scripts, f"{where}: <script> element(s): {scripts[:2]}"
    for name in (
        "b",
        "i",
        "abbr",
        "sup",
        "table",
        "pre",
        "code",
        "blockquote",
        "dl",
        "ol",
        "img",
        "strike",
        "del",
        "mark",
        "ins",
        "iframe",
    ):
        found = soup.find_all(name)
        assert not found, f"{where}: <{name}> element(s): {found[:2]}"
    for comment in soup.find_all(string=lambda s: isinstance(s, Comment)):
        assert "comment" not in comment and comment.strip() != "c", (
            f"{where}: a seed's <!-- --> became a real comment: {comment!r}"
        )
    for tag in soup.find_all(True):
        assert "klass" not in (tag.get("class") or []), f"{where}: attr_list applied: {tag}"
        assert tag.get("id") != "ident", f"{where}: attr_list applied: {tag}"


def check_absolute_links(html: str, where: str) -> None:
    for tag in fragment(html).find_all(True):
        for attribute in ("href", "src"):
            value = tag.get(attribute)
            if value is not None:
                assert value.startswith(("http://", "https://", "mailto:")), (
                    f"{where}: relative link {attribute}={value!r}"
                )


# --------------------------------------------------------------------------- seeds


def seed_text(title, dek, paragraphs, byline=None, bio=None, *, newline="\n") -> str:
    """A seed file's text; like the real example, no trailing newline."""
    blocks = [title] + ([dek] if dek else []) + list(paragraphs)
    if byline:
        blocks.append(byline)
    if bio:
        blocks.append(bio)
    return "\n\n".join(blocks).replace("\n", newline)


@dataclass
class Spec:
    """A seed we write and what a reader must see of it."""

    name: str
    data: bytes
    title: str
    dek: str | None
    paragraphs: tuple[str, ...]
    authors: tuple[str, ...] = ()
    bio: str | None = None


SPECIAL_TITLE = (
    "Markdown & HTML: *stars*, _under_, `tick`, \\back, [x](http://e.com), "
    "<b>bold</b> &amp; <script>alert(1)</script> <!-- c -->"
)
SPECIAL_DEK = (
    "Dek with *stars*, _under_, <i>tags</i>, & and &amp;, [^1], | a | b |, `code`, "
    "{: .klass} and <script>alert(2)</script>"
)
# (as written in the seed, as a reader must see it)
SPECIAL_BODY = [
    ("# Not a heading, just a hash sign", None),
    ("Title: not metadata, just a sentence", None),
    ("* not a list item", None),
    ("- not a list item either", None),
    ("+ nor this one", None),
    ("1. not an ordered list", None),
    ("> not a block quote", None),
    (": not a definition", None),
    (
        "    four leading spaces, never a code block",
        "four leading spaces, never a code block",
    ),
    ("Setext attempt\n===", "Setext attempt ==="),
    ("Another setext attempt\n---", "Another setext attempt ---"),
    ("===", None),
    ("---", None),
    ("***", None),
    (
        "_underscores_ and *stars* and **strong** and __also__ and `backticks` and ``double``",
        None,
    ),
    ("A back\\slash, an escaped \\* star, a double \\\\ and C:\\path\\to\\file", None),
    (
        "[text](http://example.com/link) and ![img](http://example.com/i.png) and "
        "<http://example.com/auto>",
        None,
    ),
    ("A footnote reference[^1] and [^note] here", None),
    ("[^1]: A footnote definition", None),
    ("*[ABBR]: Abbreviation definition", None),
    ("ABBR is used here, and HTML too", None),
    ("{: .klass #ident}", None),
    ("A sentence with an attribute list {: .klass}", None),
    ("| a | b |\n|---|---|\n| 1 | 2 |", "| a | b | |---|---| | 1 | 2 |"),
    ('<b>bold</b> <i>it</i> <div markdown="1">*markdown in html*</div>', None),
    ("<script>alert('x')</script>", None),
    ('<script src="http://evil.example/x.js"></script> trailing', None),
    ('&amp; &lt; &copy; &#169; &#x41; & < > "', None),
    ("<!-- a comment -->", None),
    ("Term\n: definition", "Term : definition"),
    ("~~strike~~ ^sup^ ==mark== ++ins++ !!! note", None),
    (
        "Quotes “double” ‘single’ and \"straight\" 'plain' -- double dash --- triple ... dots",
        None,
    ),
    ("Read the report at https://example.org/report_2024?id=1&x=2. It is long.", None),
    ("Authors: this paragraph starts like a byline, but the real byline follows", None),
]
NBSP_TITLE = "Ten\u00a0km race in “Nice”\u2003today"
JANE_BIO = (
    "Jane Roe covers technology; follow her @janeroe. Mail jane@example.com, find her "
    "at @jane@mastodon.social or see https://jane.example/about."
)


def make_specs(real_seed: bytes | None) -> list[Spec]:
    specs = []
    body_raw = [raw for raw, _ in SPECIAL_BODY]
    body = tuple(seen or raw for raw, seen in SPECIAL_BODY)
    specs.append(
        Spec(
            "special.txt",
            seed_text(SPECIAL_TITLE, SPECIAL_DEK, body_raw, "Author: Jane Roe", JANE_BIO).encode(),
            SPECIAL_TITLE,
            SPECIAL_DEK,
            body,
            ("Jane Roe",),
            JANE_BIO,
        )
    )
    paras = (
        "Unions said the stoppage would last a week.",
        "Ferries to the islands were cancelled.",
    )
    specs.append(
        Spec(
            "world/ferry-strike.txt",
            seed_text(
                "Ferry strike spreads to three ports",
                "Unions say the stoppage will last a week",
                paras,
                "Author: Luis Ortega",
                "Luis Ortega is our Europe correspondent.",
                newline="\r\n",
            ).encode(),
            "Ferry strike spreads to three ports",
            "Unions say the stoppage will last a week",
            paras,
            ("Luis Ortega",),
            "Luis Ortega is our Europe correspondent.",
        )
    )
    paras = (
        "The harbour lights were replaced over the weekend.",
        "Crews worked through the night.",
    )
    specs.append(
        Spec(
            "cr-endings.txt",
            seed_text(
                "Harbour lights switched to LED",
                "A quieter, cheaper glow on the quay",
                paras,
                "Author: Jane Roe",
                JANE_BIO,
                newline="\r",
            ).encode(),
            "Harbour lights switched to LED",
            "A quieter, cheaper glow on the quay",
            paras,
            ("Jane Roe",),
            JANE_BIO,
        )
    )
    specs.append(
        Spec(
            "cp1252.txt",
            "Café owners’ “fair” prices – a row\r\n\r\nA dispute over the price of coffee\r\n\r\n"
            "The owners of the café on Quay Street say their prices are “fair”.\r\n\r\n"
            "Author: Zoë Brontë".encode("cp1252"),
            "Café owners’ “fair” prices – a row",
            "A dispute over the price of coffee",
            ("The owners of the café on Quay Street say their prices are “fair”.",),
            ("Zoë Brontë",),
            None,
        )
    )
    bob_bio = "Bob Kim reports on the harbour; Ann Lee edits the weekend pages."
    specs.append(
        Spec(
            "utf16.txt",
            (
                "Tide tables “revised” for winter\r\n\r\nNew tables published ahead of the storms\r\n\r\n"
                "The harbour master’s office revised the tables.\r\n\r\nAuthor: Ann Lee and Bob Kim"
                "\r\n\r\n" + bob_bio
            ).encode("utf-16"),
            "Tide tables “revised” for winter",
            "New tables published ahead of the storms",
            ("The harbour master’s office revised the tables.",),
            ("Ann Lee", "Bob Kim"),
            bob_bio,
        )
    )
    shared_bio = "The authors share a desk at the harbour office."
    paras = ("The market reopened on Saturday.", "Stallholders welcomed the decision.")
    specs.append(
        Spec(
            "two-authors-comma.txt",
            seed_text(
                "Fish market reopens",
                "Stalls return after repairs",
                paras,
                "Authors: Ann Lee, Bob Kim",
                shared_bio,
            ).encode(),
            "Fish market reopens",
            "Stalls return after repairs",
            paras,
            ("Ann Lee", "Bob Kim"),
            shared_bio,
        )
    )
    paras = (
        "The council passed its budget by nine votes to four.",
        "Opposition members walked out.",
    )
    specs.append(
        Spec(
            "no-author.txt",
            seed_text(
                "Council budget passes", "Nine votes to four after a long night", paras
            ).encode(),
            "Council budget passes",
            "Nine votes to four after a long night",
            paras,
        )
    )
    paras = ("The pool closes on Monday for repairs.", "It reopens in spring.")
    specs.append(
        Spec(
            "author-no-bio.txt",
            seed_text(
                "Swimming pool to close",
                "Repairs will take the winter",
                paras,
                "author:   Dee Fox",
            ).encode()
            + b"\n",
            "Swimming pool to close",
            "Repairs will take the winter",
            paras,
            ("Dee Fox",),
            None,
        )
    )
    first = (
        "The lighthouse keeper retired on Friday after forty years. She climbed the tower "
        "every night, in every weather, and kept a log of every ship that passed. The log "
        "now fills eleven volumes. The harbour trust will keep them in the museum, where "
        "visitors can read them from next month. Her successor is a machine."
    )
    assert len(first) > 250
    specs.append(
        Spec(
            "no-dek.txt",
            seed_text(
                "Lighthouse keeper retires",
                None,
                (first, "Nobody will replace her."),
                "Author: Max Roth",
            ).encode(),
            "Lighthouse keeper retires",
            None,
            (first, "Nobody will replace her."),
            ("Max Roth",),
            None,
        )
    )
    specs.append(
        Spec(
            "wrapped-bom.txt",
            (
                "\ufeffRegatta moved to June   \t\n\n\n\nThe date changes for the first time in years   \n"
                "\n\n\tThis paragraph is\n hard-wrapped over\nthree lines.\t \n\n\n\n"
                "Second paragraph.   \n\nAuthor: Max Roth   \n\nMax Roth writes about boats."
            ).encode(),
            "Regatta moved to June",
            "The date changes for the first time in years",
            ("This paragraph is hard-wrapped over three lines.", "Second paragraph."),
            ("Max Roth",),
            "Max Roth writes about boats.",
        )
    )
    old_bio = "Cara Diaz covered the courts for ten years."
    new_bio = "Cara Diaz is our chief political correspondent."
    paras = ("The mayor announced the date on Tuesday.",)
    specs.append(
        Spec(
            "cara-old.txt",
            seed_text(
                "Mayor sets election date",
                "Voters go to the polls in May",
                paras,
                "Author: Cara Diaz",
                old_bio,
            ).encode(),
            "Mayor sets election date",
            "Voters go to the polls in May",
            paras,
            ("Cara Diaz",),
            old_bio,
        )
    )
    paras = ("The first debate was short and sharp.",)
    specs.append(
        Spec(
            "cara-new.txt",
            seed_text(
                "Candidates clash in first debate",
                "Housing dominated the evening",
                paras,
                "Author: Cara Diaz",
                new_bio,
            ).encode(),
            "Candidates clash in first debate",
            "Housing dominated the evening",
            paras,
            ("Cara Diaz",),
            new_bio,
        )
    )
    paras = (
        "Runners crossed\u2028the old bridge at dawn.",
        "(see https://example.org/page).",
    )
    specs.append(
        Spec(
            "nbsp.txt",
            seed_text(
                NBSP_TITLE,
                "A dek\u00a0with a non-breaking space",
                paras,
                "Author: Max Roth",
            ).encode(),
            NBSP_TITLE,
            "A dek\u00a0with a non-breaking space",
            paras,
            ("Max Roth",),
            None,
        )
    )
    for index, name in enumerate(("same-title-1.txt", "same-title-2.txt"), start=1):
        paras = (f"Version {index}: boats stayed in port all day.",)
        specs.append(
            Spec(
                name,
                seed_text(
                    "Storm closes the harbour", "Gale warnings for the coast", paras
                ).encode(),
                "Storm closes the harbour",
                "Gale warnings for the coast",
                paras,
            )
        )
    long_paras = tuple(
        p.strip()
        for p in (
            f"Paragraph {i:04d} of the long report. "
            + (
                "The survey counted boats, nets and "
                "moorings along the whole coast, from the northern cliffs to the southern dunes. "
            )
            * 3
            for i in range(700)
        )
    )
    specs.append(
        Spec(
            "long.txt",
            seed_text(
                "A very long report",
                "Seven hundred paragraphs",
                long_paras,
                "Author: Long Writer",
            ).encode(),
            "A very long report",
            "Seven hundred paragraphs",
            long_paras,
            ("Long Writer",),
            None,
        )
    )
    # A paragraph of markup characters hard-wrapped over lines, each under the
    # line limit: Python-Markdown took minutes over their escapes in one
    # paragraph (markup.body_paragraph writes it as an HTML paragraph).
    wrapped = ["<b>&amp; | *x* _y_ `z` [^1] ~w~ ^v^ " * 60] * 6
    heavy = (
        " ".join(line.strip() for line in wrapped) + " https://example.org/a_b?c=1&d=2",
        "An ordinary paragraph after it, with *stars* and a <tag>, as Markdown.",
    )
    specs.append(
        Spec(
            "markup-heavy.txt",
            seed_text(
                "Markup, a lot of it",
                "A wrapped paragraph of markup characters",
                ["\n".join(wrapped) + " https://example.org/a_b?c=1&d=2", heavy[1]],
                "Author: Heavy Writer",
            ).encode(),
            "Markup, a lot of it",
            "A wrapped paragraph of markup characters",
            heavy,
            ("Heavy Writer",),
            None,
        )
    )
    if real_seed is not None:
        title, dek, body, bio = real_seed_parts()
        specs.append(Spec(SHARED_SEED.name, real_seed, title, dek, body, ("Dave DeCamp",), bio))
    return specs


CONTROLS_SEED = (
    "Stray controls\x07 in a title\n\nA dek with a bell\x01 in it\n\n"
    "The first paragraph has an escape\x1b character, a form\x0cfeed, a vertical\x0btab, "
    "a next-line\u0085mark and a non-character \ufffe in the middle of an otherwise long and "
    "ordinary paragraph of news text about the harbour, the boats and the weather.\n\n"
    "The second paragraph is clean and long enough to read like an article paragraph.\n\n"
    "Author: Ctrl Writer"
).encode()


def real_seed_parts():
    """Title, dek, 8 body paragraphs and bio of the real example, split by hand."""
    text = SHARED_SEED.read_text(encoding="utf-8")
    blocks = text.split("\n\n")
    byline = next(i for i, b in enumerate(blocks) if b.startswith("Author:"))
    assert blocks[byline] == "Author: Dave DeCamp"
    body = tuple(blocks[2:byline])
    assert len(body) == 8
    return blocks[0], blocks[1], body, blocks[byline + 1]


# --------------------------------------------------------------------------- parser


def test_parser_has_no_pelican_import():
    code = (
        "import sys; sys.path.insert(0, 'plugins'); import seedpress.seed; "
        "print(any(m == 'pelican' or m.startswith('pelican.') for m in sys.modules))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert out.strip() == "False"


BASIC = (
    "Harbour wall repaired\n\nWork finished a week early\n\n"
    "The wall was “fixed” on Monday – early.\n\nIt cost less than planned.\n\n"
    "Author: Ana Lima\n\nAna Lima writes about the port."
)


@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"], ids=["LF", "CRLF", "CR"])
def test_parse_line_endings(newline):
    seed = parse(BASIC.replace("\n", newline).encode())
    assert seed.title == "Harbour wall repaired"
    assert seed.subtitle == "Work finished a week early"
    assert seed.paragraphs == (
        "The wall was “fixed” on Monday – early.",
        "It cost less than planned.",
    )
    assert tuple(seed.authors) == ("Ana Lima",)
    assert seed.bio == "Ana Lima writes about the port."


@pytest.mark.parametrize(
    "encoding", ["utf-8-sig", "utf-16", "utf-16-le-bom", "utf-16-be-bom", "cp1252"]
)
def test_parse_encodings(encoding):
    text = BASIC.replace("\n", "\r\n")
    if encoding == "utf-16-le-bom":
        data = b"\xff\xfe" + text.encode("utf-16-le")
    elif encoding == "utf-16-be-bom":
        data = b"\xfe\xff" + text.encode("utf-16-be")
    else:
        data = text.encode(encoding)
    seed = parse(data)
    assert seed.title == "Harbour wall repaired"
    assert seed.paragraphs[0] == "The wall was “fixed” on Monday – early."
    assert seed.bio == "Ana Lima writes about the port."


def test_parse_latin1():
    data = "Grüße aus München\n\nEin kurzer Bericht\n\nDie Straße ist naß; ½ der Bürger ärgert sich.".encode(
        "latin-1"
    )
    seed = parse(data)
    assert seed.title == "Grüße aus München"
    assert seed.subtitle == "Ein kurzer Bericht"
    assert seed.paragraphs == ("Die Straße ist naß; ½ der Bürger ärgert sich.",)


def test_parse_bom_trailing_spaces_tabs_blank_lines_hard_wrap():
    data = (
        "\ufeffRegatta moved to June   \t\n\n\n\nThe date changes   \n\n\n"
        "\tThis paragraph is\n hard-wrapped over\nthree lines.\t \n \t\n\n\n"
        "Second paragraph.   \n\nAuthor: Max Roth   \n\nMax Roth writes about boats.\n\n\n"
    ).encode()
    seed = parse(data)
    assert seed.title == "Regatta moved to June"
    assert seed.subtitle == "The date changes"
    assert seed.paragraphs == (
        "This paragraph is hard-wrapped over three lines.",
        "Second paragraph.",
    )
    assert tuple(seed.authors) == ("Max Roth",)
    assert seed.bio == "Max Roth writes about boats."


def test_parse_hard_wrapped_crlf_and_cr():
    for newline in ("\r\n", "\r"):
        data = f"Title{newline}{newline}Dek{newline}{newline}one{newline}two{newline}three{newline}{newline}four".encode()
        seed = parse(data)
        assert seed.paragraphs == ("one two three", "four")


def test_parse_unicode_separators_do_not_end_lines():
    data = (
        "Title with\u2028separator\n\nA dek\n\n"
        "First\u2028still first paragraph.\n\nSecond\x0cstill second\u0085and more.\n\nThird."
    ).encode()
    seed = parse(data)
    assert "separator" in seed.title and seed.title.startswith("Title with")
    assert seed.subtitle == "A dek"
    assert len(seed.paragraphs) == 3
    assert seed.paragraphs[0] == "First\u2028still first paragraph."
    assert seed.paragraphs[1].startswith("Second") and seed.paragraphs[1].endswith("and more.")
    assert seed.paragraphs[2] == "Third."


def test_parse_dek_rule():
    short = parse(b"T\n\nA short dek line\n\nBody one.\n\nBody two.")
    assert short.subtitle == "A short dek line"
    assert short.paragraphs == ("Body one.", "Body two.")
    long_first = "This is the first paragraph. " * 12
    no_dek = parse(f"T\n\n{long_first.strip()}\n\nBody two.".encode())
    assert no_dek.subtitle is None
    assert no_dek.paragraphs == (long_first.strip(), "Body two.")


def test_parse_one_paragraph_article():
    seed = parse(b"Short news\n\nOnly one paragraph here.")
    assert seed.title == "Short news"
    assert seed.subtitle is None
    assert seed.paragraphs == ("Only one paragraph here.",)
    assert tuple(seed.authors) == ()


@pytest.mark.parametrize(
    ("byline", "authors"),
    [
        ("Author: A. Person", ("A. Person",)),
        ("Author: Ann Lee and Bob Kim", ("Ann Lee", "Bob Kim")),
        ("Author: Ann Lee, Bob Kim", ("Ann Lee", "Bob Kim")),
        ("Authors: Ann Lee, Bob Kim", ("Ann Lee", "Bob Kim")),
        ("AUTHOR: Ann Lee", ("Ann Lee",)),
        ("authors:   Ann Lee   and   Bob Kim", ("Ann Lee", "Bob Kim")),
        ("Author: Alexander Anderson", ("Alexander Anderson",)),
    ],
)
def test_parse_bylines(byline, authors):
    seed = parse(f"T\n\nDek\n\nBody.\n\n{byline}".encode())
    assert tuple(seed.authors) == authors
    assert seed.bio is None
    assert seed.paragraphs == ("Body.",)


def test_parse_no_author_and_last_byline_wins():
    seed = parse(b"T\n\nDek\n\nBody one.\n\nBody two.")
    assert tuple(seed.authors) == () and seed.bio is None
    assert seed.paragraphs == ("Body one.", "Body two.")
    seed = parse(
        b"T\n\nDek\n\nAuthor: of the report says so.\n\nBody.\n\nAuthor: Real Name\n\nReal Name writes."
    )
    assert tuple(seed.authors) == ("Real Name",)
    assert seed.paragraphs == ("Author: of the report says so.", "Body.")
    assert seed.bio == "Real Name writes."


def test_parse_two_authors_one_bio_kept_as_written():
    bio = "Bob Kim reports on the harbour; Ann Lee edits."
    seed = parse(f"T\n\nDek\n\nBody.\n\nAuthor: Ann Lee and Bob Kim\n\n{bio}".encode())
    assert tuple(seed.authors) == ("Ann Lee", "Bob Kim")
    assert seed.bio == bio


def test_parse_damaged_bio_kept_and_markup_is_plain_text():
    bio = "Dave DeCamp is the news editor of, follow him on Twitter @decampdave."
    data = f"{SPECIAL_TITLE}\n\n{SPECIAL_DEK}\n\n<b>x</b> *y* &amp;\n\nAuthor: Dave DeCamp\n\n{bio}"
    seed = parse(data.encode())
    assert seed.title == SPECIAL_TITLE
    assert seed.subtitle == SPECIAL_DEK
    assert seed.paragraphs == ("<b>x</b> *y* &amp;",)
    assert seed.bio == bio


def test_parse_control_characters_never_survive():
    try:
        seed = parse(CONTROLS_SEED)
    except SeedError as exc:
        assert str(exc)
        return
    fields = [
        seed.title,
        seed.subtitle or "",
        seed.bio or "",
        *seed.paragraphs,
        *seed.authors,
    ]
    for value in fields:
        assert not FORBIDDEN.search(value), repr(value)
    assert seed.warnings, "dropped characters must be reported"
    assert "escape" in seed.paragraphs[0] and "character" in seed.paragraphs[0]


def test_parse_long_article():
    paras = [f"Paragraph {i}. " + "Words of the long article. " * 15 for i in range(800)]
    data = seed_text("Long", "Dek", [p.strip() for p in paras]).encode()
    assert len(data) > 300_000
    seed = parse(data)
    assert len(seed.paragraphs) == 800


PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10\x00\x00\x00\x10\x08\x06\x00\x00"
    b"\x00\x1f\xf3\xffa\x00\x00\x00\x19tEXtSoftware\x00Adobe ImageReadyq\xc9e<" + bytes(range(256))
)
BAD_SEEDS = {
    "empty.txt": (b"", ("empty",)),
    "blank.txt": (b"  \r\n\t\n\n   \n", ("whitespace", "empty", "blank")),
    "image.txt": (PNG, ("binary",)),
    "archive.txt": (gzip.compress(b"Title\n\nBody\n" * 200, mtime=0), ("binary",)),
    "title-only.txt": (b"Just a title\n", ("body",)),
    "title-blank-lines.txt": (b"Just a title\n\n\n  \n\t\n", ("body",)),
    "title-and-byline.txt": (
        b"Just a title\n\nAuthor: Jane Roe\n\nJane Roe writes.",
        ("body",),
    ),
}


@pytest.mark.parametrize("name", sorted(BAD_SEEDS))
def test_parse_rejects_non_articles(name):
    data, words = BAD_SEEDS[name]
    with pytest.raises(SeedError) as caught:
        parse(data)
    reason = str(caught.value).lower()
    assert any(word in reason for word in words), reason


@pytest.mark.skipif(not SHARED_SEED.exists(), reason="no ../shared/seeds")
def test_parse_real_seed():
    title, dek, body, bio = real_seed_parts()
    seed = parse(SHARED_SEED.read_bytes())
    assert seed.title == title
    assert seed.subtitle == dek
    assert seed.paragraphs == body
    assert tuple(seed.authors) == ("Dave DeCamp",)
    assert seed.bio == bio


# --------------------------------------------------------------------------- the variations site


@dataclass
class Built:
    project: Project
    result: object
    logs: list
    specs: list[Spec]
    controls_published: bool


BASE_TIME = datetime(2023, 1, 10, 9, 0, tzinfo=UTC)


def spec_time(index: int) -> datetime:
    return BASE_TIME.replace(day=10 + index, hour=9 + index % 5)


def seed_state(project: Project) -> dict:
    return {
        p.relative_to(project.seeds).as_posix(): (p.read_bytes(), p.stat().st_mtime_ns)
        for p in sorted(project.seeds.rglob("*"))
        if p.is_file()
    }


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Built:
    real = SHARED_SEED.read_bytes() if SHARED_SEED.exists() else None
    specs = make_specs(real)
    project = Project(tmp_path_factory.mktemp("variations"), SEEDPRESS_DEFAULT_SECTION="Local Desk")
    for index, spec in enumerate(specs):
        project.add(spec.name, spec.data, spec_time(index))
    project.add("controls.txt", CONTROLS_SEED, spec_time(len(specs)))
    seeds_before = seed_state(project)
    with captured_logs() as logs:
        result = project.build()
    assert seed_state(project) == seeds_before, "seeds are never written to"
    controls = project.post_for("controls.txt") is not None
    return Built(project, result, logs, specs, controls)


def spec(site: Built, name: str) -> Spec:
    return next(s for s in site.specs if s.name == name)


def test_site_builds_cleanly(site):
    assert site.result.ok, (site.result.report.rejected, site.result.errors)
    assert not messages(site.logs, logging.ERROR)
    for s in site.specs:
        assert site.project.post_for(s.name) is not None, s.name


def test_posts_have_the_metadata_header(site):
    post = site.project.post_for("special.txt")
    header = post_header(post)
    for key in ("title", "subtitle", "summary", "date", "slug", "bio"):
        assert key in header, f"{key} missing from the header of {post.name}: {sorted(header)}"
    assert "authors" in header or "author" in header
    assert any("special.txt" in v for v in header.values()), "seed file name"
    assert any(re.fullmatch(r"(sha256:)?[0-9a-f]{32,64}", v) for v in header.values()), (
        "content hash"
    )
    assert any("word" in k or "reading" in k for k in header), "word count / reading time"
    assert post.name == f"{header['slug']}.md"


def test_article_pages_show_every_seed_literally(site):
    for s in site.specs:
        slug = site.project.slug_for(s.name)
        page = site.project.article_page(slug)
        soup = html_soup(page)
        where = f"{s.name} page"
        headings = [h.get_text() for h in soup.find_all("h1")]
        assert s.title in headings, f"{where}: headline {s.title!r} not in {headings}"
        if s.dek:
            assert s.dek in p_texts(soup) or any(
                el.get_text() == s.dek for el in soup.find_all(True)
            ), f"{where}: dek missing"
        for paragraph in s.paragraphs:
            check_literal_paragraph(soup, paragraph, where)
        for author in s.authors:
            links = [a for a in soup.find_all("a") if a.get_text() == author]
            assert links, f"{where}: no byline link for {author}"
            target = resolve(page, site.project.output, links[0]["href"])
            assert target is not None and target.is_file(), f"{where}: author link {links[0]}"
            assert author in html_soup(target).get_text()
        if s.bio and s.name != "cara-old.txt":  # cara-old shows Cara's newer bio
            assert s.bio in [el.get_text() for el in soup.find_all(True)], f"{where}: bio missing"


def test_head_title_and_description_are_literal(site):
    for s in site.specs:
        soup = html_soup(site.project.article_page(site.project.slug_for(s.name)))
        assert s.title in soup.title.get_text(), f"{s.name}: <title> {soup.title!r}"
        description = soup.find("meta", attrs={"name": "description"})
        if s.dek and description is not None:
            assert description["content"] == s.dek, f"{s.name}: meta description"


def test_markup_in_seeds_is_never_interpreted(site):
    s = spec(site, "special.txt")
    page = site.project.article_page(site.project.slug_for(s.name))
    soup = html_soup(page)
    check_no_interpreted_markup(soup, "special page")
    assert len(soup.find_all("h1")) == 1
    for heading in soup.find_all(re.compile(r"^h[1-6]$")):
        assert "Not a heading" not in heading.get_text()
    assert not soup.find_all("hr") or all(
        hr.find_parent("article") is None or hr.find_parent(class_="body") is None
        for hr in soup.find_all("hr")
    )
    # Nothing of the seed became a list item, table cell or heading.
    for tag in soup.find_all(["li", "td", "th", "dt", "dd"]):
        assert "not a list" not in tag.get_text() and "definition" not in tag.get_text()


def test_no_script_or_seed_markup_on_any_page(site):
    for page in site.project.output.rglob("*.html"):
        soup = html_soup(page)
        assert not foreign_scripts(soup), f"{page}: <script> element"
        assert not soup.find_all("b"), f"{page}: <b> element from a seed"
        for comment in soup.find_all(string=lambda s: isinstance(s, Comment)):
            assert comment.strip() not in ("c", "a comment"), f"{page}: seed comment"


def test_titles_are_literal_on_listing_pages(site):
    output = site.project.output
    story = site.project.article_page(site.project.slug_for("special.txt"))
    month = story.parent.parent.relative_to(output) / "index.html"  # the month's archive
    for relative in (
        "index.html",
        month.as_posix(),
        "authors/jane-roe/index.html",
        "sections/local-desk/index.html",
    ):
        texts = [
            el.get_text().strip()
            for page in listing(output / relative, output)
            for el in html_soup(page).find_all(True)
        ]
        assert SPECIAL_TITLE in texts, f"{relative}: special title not shown literally"


def test_urls_and_handles_are_links(site):
    s = spec(site, "special.txt")
    soup = html_soup(site.project.article_page(site.project.slug_for(s.name)))
    hrefs = {a["href"] for a in soup.find_all("a", href=True)}
    assert "https://example.org/report_2024?id=1&x=2" in hrefs, "URL in body (no trailing dot)"
    assert "http://example.com/link" in hrefs
    assert "http://example.com/auto" in hrefs
    bio = next(el for el in soup.find_all(True) if el.get_text() == JANE_BIO)
    links = {a.get_text(): a["href"] for a in bio.find_all("a")}
    handle = [href for text, href in links.items() if text.lstrip("@") == "janeroe"]
    assert handle and handle[0].rstrip("/").endswith("janeroe"), links
    fediverse = [href for text, href in links.items() if "mastodon.social" in text]
    assert fediverse == ["https://mastodon.social/@jane"], links
    assert links.get("https://jane.example/about") == "https://jane.example/about", links
    for text in links:
        assert not text.startswith("@example"), f"an e-mail address became a handle: {links}"


def test_dates_come_from_file_times_and_show_with_time_zone(site):
    for index, s in enumerate(site.specs):
        entry = site.project.entry_for(s.name)
        assert iso(entry["published"]) == spec_time(index), s.name
        page = site.project.article_page(site.project.slug_for(s.name))
        times = [iso(t["datetime"]) for t in html_soup(page).find_all("time", datetime=True)]
        assert spec_time(index) in times, f"{s.name}: <time datetime> {times}"
        local = spec_time(index).astimezone(ZONE)
        assert f"/{local:%Y}/{local:%m}/" in entry["link"], entry["link"]


def test_article_page_has_reading_time_and_bio_box(site):
    s = spec(site, SHARED_SEED.name if SHARED_SEED.exists() else "special.txt")
    page = site.project.article_page(site.project.slug_for(s.name))
    text = html_soup(page).get_text(" ")
    assert re.search(r"\d+\s*min", text), "reading time"
    # About 31,000 words: two to three hours at any usual reading speed.
    long_page = site.project.article_page(site.project.slug_for("long.txt"))
    minutes = [int(m) for m in re.findall(r"(\d+)\s*min", html_soup(long_page).get_text(" "))]
    assert minutes and 100 <= minutes[0] <= 200, minutes


def test_two_seeds_with_the_same_title_both_publish(site):
    slugs = {
        site.project.slug_for("same-title-1.txt"),
        site.project.slug_for("same-title-2.txt"),
    }
    assert len(slugs) == 2
    links = {site.project.entry_for(n)["link"] for n in ("same-title-1.txt", "same-title-2.txt")}
    assert len(links) == 2
    for name in ("same-title-1.txt", "same-title-2.txt"):
        soup = html_soup(site.project.article_page(site.project.slug_for(name)))
        check_literal_paragraph(soup, spec(site, name).paragraphs[0], name)


def test_sections_come_from_folders(site):
    output = site.project.output
    world = site.project.article_page(site.project.slug_for("world/ferry-strike.txt"))
    local = site.project.article_page(site.project.slug_for("no-author.txt"))
    for page, name, other in ((world, "World", local), (local, "Local Desk", world)):
        links = [a for a in html_soup(page).find_all("a") if a.get_text().strip() == name]
        assert links, f"{page}: no link to its section {name}"
        section = resolve(page, output, links[0]["href"])
        assert section is not None and section.is_file(), links[0]
        hrefs = [
            resolve(listed, output, a["href"])
            for listed in listing(section, output)
            for a in html_soup(listed).find_all("a", href=True)
        ]
        assert page in hrefs, f"section page {section} does not list {page}"
        assert other not in hrefs, f"section page {section} lists a story of another section"


def test_author_bios_newest_seed_wins_with_warning(site):
    project = site.project
    old_page = project.article_page(project.slug_for("cara-old.txt"))
    texts = [el.get_text() for el in html_soup(old_page).find_all(True)]
    new_bio = spec(site, "cara-new.txt").bio
    old_bio = spec(site, "cara-old.txt").bio
    assert new_bio in texts, "the author's (newest) bio is shown on every article of hers"
    author_page = project.output / "authors" / "cara-diaz" / "index.html"
    author_texts = [el.get_text() for el in html_soup(author_page).find_all(True)]
    assert new_bio in author_texts and old_bio not in author_texts
    warnings = [
        m
        for m in messages(site.logs, logging.WARNING)
        if "cara-old.txt" in m and "cara-new.txt" in m
    ]
    assert len(warnings) >= 1, "a warning must name both seeds"
    # The feed item carries the bio its own seed gave.
    entry = project.entry_for("cara-old.txt")
    assert old_bio in fragment(entry["content"]).get_text()


def test_two_authors_one_bio(site):
    output = site.project.output
    bob = [el.get_text() for el in html_soup(output / "authors/bob-kim/index.html").find_all(True)]
    ann = [el.get_text() for el in html_soup(output / "authors/ann-lee/index.html").find_all(True)]
    bob_bio = spec(site, "utf16.txt").bio
    shared = spec(site, "two-authors-comma.txt").bio
    assert bob_bio in bob, "bio beginning with Bob Kim's name is his stored bio"
    assert bob_bio not in ann
    assert shared not in bob and shared not in ann, "a bio of nobody is stored for nobody"
    for name in ("utf16.txt", "two-authors-comma.txt"):
        page = site.project.article_page(site.project.slug_for(name))
        texts = [el.get_text() for el in html_soup(page).find_all(True)]
        assert spec(site, name).bio in texts, f"{name}: its bio stays on the article"


def test_author_pages_and_indexes(site):
    output = site.project.output
    authors_index = html_soup(output / "authors" / "index.html")
    names = {a.get_text().strip() for a in authors_index.find_all("a")}
    for s in site.specs:
        for author in s.authors:
            assert author in names, f"authors index lacks {author}"
    jane = html_soup(output / "authors" / "jane-roe" / "index.html")
    assert JANE_BIO in [el.get_text() for el in jane.find_all(True)]
    for name in ("special.txt", "cr-endings.txt"):
        assert spec(site, name).title in jane.get_text()
    # The archives list the months; each month's page lists its stories.
    archives = output / "archives" / "index.html"
    months = {resolve(archives, output, a["href"]) for a in html_soup(archives).find_all("a")}
    for s in site.specs:
        page = site.project.article_page(site.project.slug_for(s.name))
        month = page.parent.parent / "index.html"  # a story's URL is its year, month and slug
        assert month in months, f"the archives lack the month of {s.name}"
        assert s.title in html_soup(month).get_text(), f"{month} lacks {s.title!r}"
    assert (output / "404.html").is_file()


def test_home_page_newest_first_with_pagination(site):
    output = site.project.output
    home = output / "index.html"
    soup = html_soup(home)
    newest = site.specs[-1]
    assert newest.title in soup.get_text(), "newest headline on the home page"
    if newest.dek:
        assert newest.dek in soup.get_text()
    for author in newest.authors:
        assert author in soup.get_text(), "byline on the home page"
    assert soup.find("time", datetime=True) is not None
    oldest = site.specs[0]
    assert oldest.title not in soup.get_text(), "home page is paginated"
    pages = [resolve(home, output, a["href"]) for a in soup.find_all("a", href=True)]
    more = [
        p for p in pages if p and p != home and "page" in p.as_posix()[len(output.as_posix()) :]
    ]
    assert more and more[0].is_file(), "a link to the next page of stories"


def test_every_page_has_feed_autodiscovery_and_no_foreign_requests(site):
    output = site.project.output
    for page in output.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        assert text.lstrip().lower().startswith("<!doctype html>"), page
        soup = html_soup(text)
        assert soup.html.get("lang"), page
        assert soup.find("meta", attrs={"name": "viewport"}), page
        types = {link.get("type") for link in soup.head.find_all("link", rel="alternate")}
        assert {"application/atom+xml", "application/rss+xml"} <= types, page
        for tag in soup.find_all(["link", "script", "img", "iframe", "source", "video", "audio"]):
            rel = set(tag.get("rel") or [])
            if tag.name == "link" and rel & {
                "alternate",
                "canonical",
                "author",
                "prev",
                "next",
                "me",
            }:
                continue
            value = tag.get("href") or tag.get("src") or ""
            assert not value.startswith(("http://", "https://", "//")), f"{page}: requests {value}"
    for css in output.rglob("*.css"):
        assert not re.search(r"(@import|url\()\s*['\"]?(https?:)?//", css.read_text()), css


def test_no_forbidden_characters_anywhere(site):
    for path in site.project.output.rglob("*"):
        if path.suffix in (".html", ".xml"):
            text = path.read_text(encoding="utf-8")
            assert not FORBIDDEN.search(text), f"{path}: forbidden character"


def test_control_characters_dropped_with_warning_or_rejected(site):
    if site.controls_published:
        assert any("controls.txt" in m for m in messages(site.logs, logging.WARNING)), (
            "dropped characters: a warning naming the file"
        )
        page = site.project.article_page(site.project.slug_for("controls.txt"))
        assert "ordinary paragraph" in page.read_text(encoding="utf-8")
    else:
        assert any("controls.txt" in m for m in messages(site.logs, logging.ERROR))


# ---- feeds


FEEDS = ("feeds/all.atom.xml", "feeds/all.rss.xml")


def author_feeds(site, slug):
    return (f"feeds/authors/{slug}.atom.xml", f"feeds/authors/{slug}.rss.xml")


def test_feeds_parse_without_errors(site):
    output = site.project.output
    feeds = [output / f for f in FEEDS] + sorted((output / "feeds" / "authors").glob("*.xml"))
    assert len(feeds) >= 2 + 2 * 8
    for feed in feeds:
        parsed = feedparser.parse(feed.read_bytes())
        assert not parsed.bozo, (feed, parsed.get("bozo_exception"))
        assert parsed.entries, feed


def test_feed_items_are_full_text_and_literal(site):
    project = site.project
    for s in site.specs:
        slug = project.slug_for(s.name)
        atom = project.entry_for(s.name)
        rss = [i for i in project.rss() if i["link"].rstrip("/").endswith("/" + slug)]
        assert len(rss) == 1, s.name
        rss = rss[0]
        assert atom["content_type"] == "html"
        for kind, html in (("atom", atom["content"]), ("rss", rss["content"])):
            where = f"{s.name} {kind} content"
            soup = fragment(html)
            assert soup.get_text(), where
            for paragraph in s.paragraphs:
                check_literal_paragraph(soup, paragraph, where)
            check_no_interpreted_markup(soup, where)
            if s.dek:
                assert s.dek in [el.get_text() for el in soup.find_all(True)], f"{where}: dek"
            if s.bio:
                assert s.bio in [el.get_text() for el in soup.find_all(True)], f"{where}: bio"
            check_absolute_links(html, where)
        if s.dek:
            assert atom["summary_type"] == "html"
            assert fragment(atom["summary"]).get_text().strip() == s.dek, s.name
            assert fragment(rss["description"]).get_text().strip() == s.dek, s.name
        assert atom["authors"] == list(s.authors) or (not s.authors), (
            s.name,
            atom["authors"],
        )
        if s.authors:
            assert rss["creators"] == list(s.authors), (s.name, rss["creators"])


def test_feed_titles_are_literal(site):
    for s in site.specs:
        slug = site.project.slug_for(s.name)
        atom = site.project.entry_for(s.name)
        assert atom["title_type"] == "text"
        assert atom["title"] == s.title, (s.name, atom["title"])
        rss = next(i for i in site.project.rss() if i["link"].rstrip("/").endswith("/" + slug))
        assert rss["title"] == s.title, (s.name, rss["title"])


def test_feed_title_keeps_unicode_spaces(site):
    slug = site.project.slug_for("nbsp.txt")
    entry = site.project.entry_for("nbsp.txt")
    item = next(i for i in site.project.rss() if i["link"].rstrip("/").endswith("/" + slug))
    assert (entry["title"], item["title"]) == (NBSP_TITLE, NBSP_TITLE)


def test_body_urls_end_before_closing_punctuation(site):
    soup = html_soup(site.project.article_page(site.project.slug_for("nbsp.txt")))
    hrefs = [a["href"] for a in soup.find_all("a", href=True) if "example.org" in a["href"]]
    assert hrefs == ["https://example.org/page"]


def test_feed_items_ids_links_dates(site):
    project = site.project
    atom = project.atom()
    rss = project.rss()
    assert len(atom) == len(rss) == len(site.specs) + site.controls_published
    ledger_text = (project.content / "ledger.json").read_text(encoding="utf-8")
    for entry, item in zip(atom, rss, strict=True):
        assert entry["id"] == item["guid"]
        assert entry["id"] in ledger_text, "ids come from the ledger"
        assert entry["link"] == item["link"]
        assert entry["link"].startswith(BASE + "/")
        target = resolve(project.output / "index.html", project.output, entry["link"])
        assert target.is_file(), entry["link"]
        assert iso(entry["published"]) == parsedate_to_datetime(item["pubDate"])
        assert iso(entry["updated"]) >= iso(entry["published"])
        assert re.search(r"([+-]\d\d:\d\d|Z)$", entry["published"])
        assert re.search(r"[+-]\d{4}$|GMT$|UT$", item["pubDate"])
    for s in site.specs:
        assert s.title not in project.entry_for(s.name)["id"]


def test_feeds_newest_first_and_updated_is_newest_item(site):
    output = site.project.output
    for relative in [
        *FEEDS,
        *author_feeds(site, "jane-roe"),
        *author_feeds(site, "cara-diaz"),
    ]:
        if relative.endswith(".atom.xml"):
            entries = atom_entries(output / relative)
            published = [iso(e["published"]) for e in entries]
            root = etree.parse(str(output / relative)).getroot()
            updated = iso(root.findtext(ATOM + "updated"))
            assert updated == max(iso(e["updated"]) for e in entries), relative
        else:
            items = rss_items(output / relative)
            published = [parsedate_to_datetime(i["pubDate"]) for i in items]
            build_date = (
                etree.parse(str(output / relative)).getroot().findtext("channel/lastBuildDate")
            )
            if build_date:
                assert parsedate_to_datetime(build_date) == max(published), relative
        assert published == sorted(published, reverse=True), relative
    entries = site.project.atom()
    newest = "controls.txt" if site.controls_published else site.specs[-1].name
    assert entries[0]["link"] == site.project.entry_for(newest)["link"]


def test_feed_level_metadata(site):
    output = site.project.output
    root = etree.parse(str(output / "feeds/all.atom.xml")).getroot()
    assert root.findtext(ATOM + "title")
    assert root.findtext(ATOM + "subtitle")
    links = {link.get("rel", "alternate"): link.get("href") for link in root.findall(ATOM + "link")}
    assert links.get("self") == BASE + "/feeds/all.atom.xml"
    assert links.get("alternate", "").startswith(BASE)
    channel = etree.parse(str(output / "feeds/all.rss.xml")).getroot().find("channel")
    assert channel.findtext("title") and channel.findtext("description")
    assert channel.findtext("link").startswith(BASE)
    self_links = [
        el.get("href") for el in channel.findall(ATOM + "link") if el.get("rel") == "self"
    ]
    assert self_links == [BASE + "/feeds/all.rss.xml"]


def test_author_feeds_hold_only_their_stories(site):
    output = site.project.output
    by_author: dict[str, set[str]] = {}
    for s in site.specs:
        for author in s.authors:
            by_author.setdefault(author, set()).add(site.project.entry_for(s.name)["id"])
    slugs = {
        "Jane Roe": "jane-roe",
        "Cara Diaz": "cara-diaz",
        "Max Roth": "max-roth",
        "Ann Lee": "ann-lee",
        "Bob Kim": "bob-kim",
    }
    if SHARED_SEED.exists():
        slugs["Dave DeCamp"] = "dave-decamp"
    for author, slug in slugs.items():
        atom, rss = author_feeds(site, slug)
        ids = {e["id"] for e in atom_entries(output / atom)}
        assert ids == by_author[author], author
        assert {i["guid"] for i in rss_items(output / rss)} == by_author[author], author
        root = etree.parse(str(output / atom)).getroot()
        assert author in root.findtext(ATOM + "title")


@pytest.mark.skipif(not SHARED_SEED.exists(), reason="no ../shared/seeds")
def test_real_seed_page_and_all_feeds(site):
    check_real_seed(site.project.output, site.project.slug_for(SHARED_SEED.name))


def check_real_seed(output: Path, slug: str) -> None:
    """The acceptance checks of the issue for ../shared/seeds/000_a7baacd1ab955cec.txt."""
    title, dek, body, bio = real_seed_parts()
    pages = list(output.glob(f"[0-9][0-9][0-9][0-9]/[0-9][0-9]/{slug}/index.html"))
    assert len(pages) == 1
    page = pages[0]
    soup = html_soup(page)
    assert title in [h.get_text() for h in soup.find_all("h1")]
    texts = [el.get_text() for el in soup.find_all(True)]
    assert dek in texts
    for paragraph in body:
        check_literal_paragraph(soup, paragraph, "real seed page")
    assert any(a.get_text() == "Dave DeCamp" for a in soup.find_all("a"))
    check_real_bio(soup, bio, "real seed page")
    for relative in (
        "feeds/all.atom.xml",
        "feeds/all.rss.xml",
        "feeds/authors/dave-decamp.atom.xml",
        "feeds/authors/dave-decamp.rss.xml",
    ):
        parsed = feedparser.parse((output / relative).read_bytes())
        assert not parsed.bozo, relative
        if relative.endswith(".atom.xml"):
            entries = [
                e for e in atom_entries(output / relative) if e["link"].rstrip("/").endswith(slug)
            ]
            assert len(entries) == 1, relative
            html, summary, names = (
                entries[0]["content"],
                entries[0]["summary"],
                entries[0]["authors"],
            )
        else:
            items = [
                i for i in rss_items(output / relative) if i["link"].rstrip("/").endswith(slug)
            ]
            assert len(items) == 1, relative
            html, summary, names = (
                items[0]["content"],
                items[0]["description"],
                items[0]["creators"],
            )
        assert names == ["Dave DeCamp"], relative
        assert fragment(summary).get_text().strip() == dek, relative
        content = fragment(html)
        body_ps = [p.get_text() for p in content.find_all("p")]
        for paragraph in body:
            assert body_ps.count(paragraph) == 1, f"{relative}: {paragraph[:40]!r}"
        assert dek in [el.get_text() for el in content.find_all(True)], relative
        check_real_bio(content, bio, relative)
        parsed_entry = next(e for e in parsed.entries if e.link.rstrip("/").endswith(slug))
        assert parsed_entry.title == title
        full = fragment(parsed_entry.content[0].value).get_text()
        for paragraph in body:
            assert paragraph in full, relative


def check_real_bio(soup, bio: str, where: str) -> None:
    holders = [el for el in soup.find_all(True) if el.get_text() == bio]
    assert holders, f"{where}: bio {bio!r} missing"
    links = [a for a in holders[-1].find_all("a") if "decampdave" in a.get_text()]
    assert links, f"{where}: @decampdave is not a link"
    assert links[0]["href"].startswith("https://")
    assert links[0]["href"].rstrip("/").endswith("decampdave"), links[0]


# --------------------------------------------------------------------------- rejection, strictness


def test_rejected_seeds_log_one_error_each_and_the_rest_builds(tmp_path):
    project = Project(tmp_path)
    good = seed_text("Good story", "It builds", ["The good body paragraph."], "Author: Ana Lima")
    project.add("good.txt", good, spec_time(1))
    for name, (data, _) in BAD_SEEDS.items():
        project.add(f"bad/{name}" if name == "image.txt" else name, data)
    before = {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in project.seeds.rglob("*.txt")}
    with captured_logs(logging.WARNING) as logs:
        result = project.build()
    assert not result.ok
    errors = messages(logs, logging.ERROR)
    assert len(errors) == len(BAD_SEEDS), errors
    for name, (_, words) in BAD_SEEDS.items():
        naming = [m for m in errors if name in m]
        assert len(naming) == 1, (name, errors)
        assert any(word in naming[0].lower() for word in words), naming[0]
    rejected = " ".join(str(item) for item in result.report.rejected)
    summary = result.summary() if hasattr(result, "summary") else rejected
    for name in BAD_SEEDS:
        assert name in rejected and name in summary
    assert [e["title"] for e in project.atom()] == ["Good story"]
    check_literal_paragraph(
        html_soup(project.article_page(project.slug_for("good.txt"))),
        "The good body paragraph.",
        "good page",
    )
    assert len(project.posts()) == 1
    after = {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in project.seeds.rglob("*.txt")}
    assert after == before, "seeds are never written to"


def broken_theme(tmp_path: Path) -> Path:
    theme = tmp_path / "theme"
    shutil.copytree(ROOT / "theme", theme)
    article = theme / "templates" / "article.html"
    text = article.read_text()
    assert "{% block content %}" in text
    article.write_text(
        text.replace(
            "{% block content %}",
            "{% block content %}{{ article.no_such_thing.nor_this() }}",
            1,
        )
    )
    return theme


@pytest.mark.parametrize("failure", ["plugin", "unreadable-post", "template"])
def test_errors_inside_the_site_build_fail_it(tmp_path, failure):
    project = Project(tmp_path / "p")
    project.add("good.txt", seed_text("Good story", "Dek", ["Body."]), spec_time(1))
    extra = {}
    if failure == "plugin":
        extra["PLUGINS"] = ["seedpress", "no_such_plugin_anywhere"]
    elif failure == "unreadable-post":
        (project.content / "posts").mkdir(parents=True)
        (project.content / "posts" / "broken.md").write_bytes(
            b"Title: \xff\xfe\x00\x81 broken\n\n\x00\xff"
        )
    else:
        extra["THEME"] = str(broken_theme(tmp_path))
    with captured_logs(logging.WARNING):
        result = project.build(extra=extra)
    assert not result.ok, f"{failure}: the build passed silently"
    assert result.errors


# --------------------------------------------------------------------------- incremental, stable


def story(title, marker, author="Ana Lima"):
    return seed_text(
        title,
        "A short dek line",
        [f"The {marker} paragraph of this story.", "A second paragraph."],
        f"Author: {author}",
    )


def find_entry(project: Project, marker: str) -> dict:
    found = [e for e in project.atom() if marker in fragment(e["content"]).get_text()]
    assert len(found) == 1, f"{marker}: {len(found)} entries"
    return found[0]


def identity(entry):
    return entry["id"], entry["link"], iso(entry["published"])


def test_second_build_rewrites_nothing_and_is_byte_identical(tmp_path):
    project = Project(tmp_path)
    project.add("a.txt", story("Alpha", "alpha"), spec_time(1))
    project.add("world/b.txt", story("Beta", "beta", "Bo Ek"), spec_time(2))
    assert project.build().ok
    posts = {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in project.posts()}
    ledger = project.content / "ledger.json"
    ledger_state = (ledger.read_bytes(), ledger.stat().st_mtime_ns)
    tree = project.tree()
    time.sleep(1.1)
    result = project.build()
    assert result.ok
    assert not result.report.written
    assert {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in project.posts()} == posts
    assert (ledger.read_bytes(), ledger.stat().st_mtime_ns) == ledger_state
    again = project.tree()
    assert sorted(again) == sorted(tree)
    changed = [name for name in tree if tree[name] != again[name]]
    assert not changed, f"output differs on a second build: {changed}"


def test_edited_seed_keeps_id_url_and_date(tmp_path):
    project = Project(tmp_path)
    seed = project.add("a.txt", story("Alpha", "alpha"), spec_time(1))
    project.add("b.txt", story("Beta", "beta"), spec_time(2))
    assert project.build().ok
    before = find_entry(project, "alpha")
    seed.write_text(story("Alpha, corrected headline", "alpha-edited"))
    set_mtime(seed, spec_time(5))
    assert project.build().ok
    after = find_entry(project, "alpha-edited")
    assert identity(after) == identity(before)
    assert after["title"] == "Alpha, corrected headline"
    assert iso(after["updated"]) > iso(before["updated"]), "updated date of an edited story"
    assert len(project.atom()) == 2
    root = etree.parse(str(project.output / "feeds/all.atom.xml")).getroot()
    assert iso(root.findtext(ATOM + "updated")) == max(iso(e["updated"]) for e in project.atom())
    page = resolve(project.output / "index.html", project.output, after["link"])
    assert "Alpha, corrected headline" in [h.get_text() for h in html_soup(page).find_all("h1")]
    # Re-converting everything (force) changes nothing of the identity either.
    assert project.build(force=True).ok
    assert identity(find_entry(project, "alpha-edited")) == identity(before)


@pytest.mark.parametrize(
    "move",
    ["rename", "move-to-section", "delete-and-restore", "delete-and-restore-renamed"],
)
def test_moved_or_restored_seed_keeps_id_url_and_date(tmp_path, move):
    project = Project(tmp_path)
    seed = project.add("a.txt", story("Alpha", "alpha"), spec_time(1))
    project.add("b.txt", story("Beta", "beta"), spec_time(2))
    assert project.build().ok
    before = find_entry(project, "alpha")
    data = seed.read_bytes()
    if move == "rename":
        seed.rename(project.seeds / "alpha-renamed.txt")
    elif move == "move-to-section":
        (project.seeds / "world").mkdir()
        seed.rename(project.seeds / "world" / "a.txt")
        assert project.build().ok
        page = resolve(project.output / "index.html", project.output, before["link"])
        assert "World" in [a.get_text().strip() for a in html_soup(page).find_all("a")], (
            "a moved seed is in its new section"
        )
    else:
        seed.unlink()
        with captured_logs() as logs:
            assert project.build().ok
        assert len(project.atom()) == 1, "a deleted seed's story leaves the feeds"
        assert len(project.posts()) == 1, "its generated post is removed"
        assert any("a.txt" in m for m in messages(logs, logging.INFO)), "removal is logged"
        ledger = (project.content / "ledger.json").read_text(encoding="utf-8")
        assert before["id"] in ledger, "a deleted seed leaves a tombstone in the ledger"
        time.sleep(0.01)
        project.add("a.txt" if move == "delete-and-restore" else "restored/alpha.txt", data)
    assert project.build().ok
    after = find_entry(project, "alpha")
    assert identity(after) == identity(before)
    assert len(project.atom()) == 2
    assert len(project.posts()) == 2


def test_fresh_clone_with_the_ledger_builds_the_same_ids_and_dates(tmp_path):
    first = Project(tmp_path / "first")
    for index, name in enumerate(("a.txt", "world/b.txt", "c.txt")):
        first.add(name, story(f"Story {name}", f"marker-{index}"), spec_time(index))
    assert first.build().ok
    clone = Project(tmp_path / "clone")
    shutil.copytree(first.seeds, clone.seeds, dirs_exist_ok=True, copy_function=shutil.copyfile)
    clone.content.mkdir(parents=True)
    shutil.copyfile(first.content / "ledger.json", clone.content / "ledger.json")
    assert clone.build().ok
    for index in range(3):
        assert identity(find_entry(clone, f"marker-{index}")) == identity(
            find_entry(first, f"marker-{index}")
        )


def test_hand_edited_post_is_never_overwritten(tmp_path):
    project = Project(tmp_path)
    seed = project.add("a.txt", story("Alpha", "alpha"), spec_time(1))
    assert project.build().ok
    post = project.post_for("a.txt")
    post.write_text(
        post.read_text(encoding="utf-8") + "\nAn editor added this sentence.\n",
        encoding="utf-8",
    )
    edited = post.read_bytes()
    with captured_logs(logging.WARNING) as logs:
        assert project.build().ok
        assert post.read_bytes() == edited
        assert "An editor added this sentence." in find_entry(project, "alpha")["content"]
        seed.write_text(story("Alpha", "alpha-changed"))
        project.build()
    assert post.read_bytes() == edited, "a hand-edited post was overwritten"
    assert any(post.name in m for m in messages(logs, logging.WARNING)), "warning naming it"
    project.build(force=True)
    text = post.read_text(encoding="utf-8")
    assert "alpha-changed" in text and "An editor added this sentence." not in text


def test_hand_edited_post_kept_when_its_seed_is_deleted(tmp_path):
    """The story comes down with its seed; the hand edit is kept, not lost,
    under a name Pelican does not read, and comes back with the seed."""
    project = Project(tmp_path)
    seed = project.add("a.txt", story("Alpha", "alpha"), spec_time(1))
    assert project.build().ok
    post = project.post_for("a.txt")
    post.write_text(post.read_text(encoding="utf-8") + "\nEditor's note.\n", encoding="utf-8")
    edited = post.read_bytes()
    seed.unlink()
    project.build()
    kept = post.with_name(post.name + ".deleted")
    assert not post.exists() and kept.read_bytes() == edited
    assert "Alpha" not in [entry["title"] for entry in project.atom()]
    project.add("a.txt", story("Alpha", "alpha"), spec_time(1))
    project.build()
    assert post.read_bytes() == edited and not kept.exists()


def test_hand_written_posts_are_left_alone(tmp_path):
    project = Project(tmp_path)
    project.add("a.txt", story("Alpha", "alpha"), spec_time(1))
    seed_b = project.add("b.txt", story("Beta", "beta"), spec_time(2))
    (project.content / "posts").mkdir(parents=True)
    hand = project.content / "posts" / "hand-written.md"
    hand.write_text(
        "Title: Written by hand\nDate: 2023-02-01 10:00\nSlug: hand-written\n"
        "Category: Opinion\n\nA column nobody generated, see [the archive](/archives/) "
        "and [a story](../alpha/) and ![a chart](/images/chart.png).\n",
        encoding="utf-8",
    )
    state = (hand.read_bytes(), hand.stat().st_mtime_ns)
    assert project.build().ok
    seed_b.unlink()
    project.build()
    assert (hand.read_bytes(), hand.stat().st_mtime_ns) == state
    assert project.post_for("b.txt") is None
    titles = [e["title"] for e in project.atom()]
    assert "Written by hand" in titles and "Beta" not in titles
    for entry in project.atom():
        check_absolute_links(entry["content"], f"atom {entry['title']}")
    for item in project.rss():
        check_absolute_links(item["content"], f"rss {item['title']}")


def test_convert_runs_alone(tmp_path):
    project = Project(tmp_path)
    project.add("a.txt", story("Alpha", "alpha"), spec_time(1))
    project.convert()
    post = project.post_for("a.txt")
    assert post is not None and post.parent == project.content / "posts"
    assert (project.content / "ledger.json").is_file()
    assert not project.output.exists()
    ledger = (project.content / "ledger.json").read_text(encoding="utf-8")
    slug = post_header(post)["slug"]
    assert slug in ledger and "a.txt" in ledger


def test_date_override_for_new_stories_only(tmp_path):
    project = Project(tmp_path)
    project.add("a.txt", story("Alpha", "alpha"), spec_time(1))
    assert project.build().ok
    before = find_entry(project, "alpha")
    override = datetime(2019, 5, 6, 7, 8, 9, tzinfo=ZONE)
    project.add("b.txt", story("Beta", "beta"), spec_time(3))
    assert project.build(date=override).ok
    beta = find_entry(project, "beta")
    assert iso(beta["published"]) == override
    assert "/2019/05/" in beta["link"]
    assert identity(find_entry(project, "alpha")) == identity(before)


def test_feed_item_limit_is_configurable(tmp_path):
    project = Project(tmp_path, SEEDPRESS_FEED_LIMIT=2)
    for index in range(4):
        project.add(
            f"s{index}.txt",
            story(f"Story {index}", f"m{index}", "Ana Lima"),
            spec_time(index),
        )
    assert project.build().ok
    for relative in ("feeds/all.atom.xml", "feeds/authors/ana-lima.atom.xml"):
        assert [e["title"] for e in atom_entries(project.output / relative)] == [
            "Story 3",
            "Story 2",
        ]
    assert [i["title"] for i in project.rss()] == ["Story 3", "Story 2"]


def test_default_feed_limit_is_50(tmp_path):
    project = Project(tmp_path)
    for index in range(52):
        project.add(
            f"s{index:02d}.txt",
            f"Story {index}\n\nBody {index}.",
            BASE_TIME.replace(hour=index % 24, minute=index),
        )
    assert project.build().ok
    assert len(project.atom()) == 50
    assert len(project.rss()) == 50


def test_publishconf_gives_absolute_production_urls(tmp_path, monkeypatch):
    monkeypatch.chdir(ROOT)
    monkeypatch.setenv("SEEDPRESS_SITEURL", "https://news.example.org")
    project = Project(tmp_path)
    project.add("a.txt", story("Alpha", "alpha"), spec_time(1))
    assert project.build(PUBLISH_FILE).ok
    entry = find_entry(project, "alpha")
    assert entry["link"].startswith("https://news.example.org/")
    home = html_soup(project.output / "index.html")
    article_links = [a["href"] for a in home.find_all("a", href=True) if a.get_text() == "Alpha"]
    assert article_links and article_links[0] == entry["link"]


DEKS = [
    "# Not a heading dek",
    "1. Not a list dek",
    "> Not a quote dek",
    "- Not a bullet dek",
    ": Not a definition dek",
    "+ plus dek",
    "=== equals dek",
    "!!! note dek",
    "*[ABBR]: abbreviation dek",
    "[^1]: footnote dek",
    "| a | b | table dek",
    "A dek with <!-- c --> and {: .klass} and <script>x()</script>",
    "Tom &amp; Jerry &copy; 2024 and C:\\path and https://example.com/x_y",
]
MARKUP_BIO = "Luis <b>Ortega</b> *writes* &amp; _more_ [x](y) `z` # and <script>s()</script>."


def test_deks_titles_and_bios_with_markup_stay_literal(tmp_path):
    project = Project(tmp_path)
    for index, dek in enumerate(DEKS):
        title = f"# Title {index} <b>x</b> *y* _z_"
        project.add(
            f"d{index:02d}.txt",
            seed_text(title, dek, [f"Body {index}."], "Author: Luis Ortega", MARKUP_BIO),
            spec_time(index),
        )
    assert project.build().ok
    entries = {e["link"]: e for e in project.atom()}
    items = {i["link"]: i for i in project.rss()}
    for index, dek in enumerate(DEKS):
        title = f"# Title {index} <b>x</b> *y* _z_"
        slug = project.slug_for(f"d{index:02d}.txt")
        soup = html_soup(project.article_page(slug))
        where = f"dek {dek!r}"
        check_no_interpreted_markup(soup, where)
        assert title in [h.get_text() for h in soup.find_all("h1")], where
        assert dek in [el.get_text() for el in soup.find_all(True)], where
        assert MARKUP_BIO in [el.get_text() for el in soup.find_all(True)], where
        [link] = [k for k in entries if k.rstrip("/").endswith("/" + slug)]
        assert entries[link]["title"] == title and items[link]["title"] == title, where
        assert fragment(entries[link]["summary"]).get_text().strip() == dek, where
        assert fragment(items[link]["description"]).get_text().strip() == dek, where
        for html in (entries[link]["content"], items[link]["content"]):
            content = fragment(html)
            check_no_interpreted_markup(content, where)
            texts = [el.get_text() for el in content.find_all(True)]
            assert dek in texts and MARKUP_BIO in texts, where
    author = html_soup(project.output / "authors" / "luis-ortega" / "index.html")
    assert MARKUP_BIO in [el.get_text() for el in author.find_all(True)]
    check_no_interpreted_markup(author, "author page")


def test_identical_seeds_both_publish_and_keep_their_urls(tmp_path):
    project = Project(tmp_path)
    data = story("Twin story", "twin")
    project.add("twin-1.txt", data, spec_time(1))
    project.add("twin-2.txt", data, spec_time(2))
    assert project.build().ok
    before = {e["link"]: identity(e) for e in project.atom()}
    assert len(before) == 2
    (project.seeds / "twin-2.txt").rename(project.seeds / "twin-two.txt")
    assert project.build().ok
    assert {e["link"]: identity(e) for e in project.atom()} == before
    # The first twin goes: the other keeps its URL; a new twin gets a new one.
    (project.seeds / "twin-1.txt").unlink()
    assert project.build().ok
    remaining = {e["link"]: identity(e) for e in project.atom()}
    assert len(remaining) == 1 and remaining.items() <= before.items()
    project.add("twin-3.txt", story("Twin story", "third twin"), spec_time(4))
    assert project.build().ok
    links = [e["link"] for e in project.atom()]
    assert len(set(links)) == 2 and not set(links) - set(before) - {
        find_entry(project, "third twin")["link"]
    }
    assert find_entry(project, "third twin")["link"] not in before, "a tombstoned URL reused"


def test_empty_site_feeds_have_no_build_time(tmp_path):
    project = Project(tmp_path)
    project.build()
    first = {name: data for name, data in project.tree().items() if name.endswith(".xml")}
    assert first, "feeds are written"
    time.sleep(1.1)
    project.build()
    again = {name: data for name, data in project.tree().items() if name.endswith(".xml")}
    assert again == first, "feeds changed between two builds of the same (empty) site"


# --------------------------------------------------------------------------- git: dates, shallow clones


def git(cwd: Path, *args, date: str | None = None) -> str:
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "T",
        "GIT_AUTHOR_EMAIL": "t@example.org",
        "GIT_COMMITTER_NAME": "T",
        "GIT_COMMITTER_EMAIL": "t@example.org",
        "GIT_CONFIG_GLOBAL": os.devnull,
        "GIT_CONFIG_NOSYSTEM": "1",
    }
    if date:
        env["GIT_AUTHOR_DATE"] = env["GIT_COMMITTER_DATE"] = date
    return subprocess.run(
        ["git", "-c", "init.defaultBranch=main", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout


@pytest.mark.skipif(shutil.which("git") is None, reason="no git")
def test_git_first_commit_dates_and_shallow_clone(tmp_path):
    repo = Project(tmp_path / "repo")
    git(repo.root, "init", "-q")
    repo.add("a.txt", story("Alpha", "alpha"))
    git(repo.root, "add", "seeds")
    git(repo.root, "commit", "-qm", "a", date="2021-03-04T05:06:07+00:00")
    repo.add("b.txt", story("Beta", "beta"))
    repo.add("world/Café – übersicht.txt", story("Gamma", "gamma"))
    git(repo.root, "add", "seeds")
    git(repo.root, "commit", "-qm", "b", date="2022-06-07T08:09:10+00:00")
    # An edit later does not move the first-published date.
    repo.add("a.txt", story("Alpha", "alpha-v2"))
    git(repo.root, "commit", "-qam", "edit a", date="2022-08-01T00:00:00+00:00")

    # A shallow clone without a ledger: no first-commit dates, and it says so.
    shallow_first = tmp_path / "shallow-first"
    git(
        tmp_path,
        "clone",
        "-q",
        "--depth",
        "1",
        f"file://{repo.root}",
        str(shallow_first),
    )
    early = Project(shallow_first)
    with captured_logs(logging.WARNING) as logs:
        assert early.build().ok
    assert any("shallow" in m.lower() for m in messages(logs, logging.WARNING))
    assert iso(find_entry(early, "alpha-v2")["published"]) != iso("2022-08-01T00:00:00+00:00")

    repo.output = tmp_path / "out-full"
    assert repo.build().ok
    alpha, beta = find_entry(repo, "alpha-v2"), find_entry(repo, "beta")
    assert iso(alpha["published"]) == iso("2021-03-04T05:06:07+00:00")
    assert iso(beta["published"]) == iso("2022-06-07T08:09:10+00:00")
    assert iso(find_entry(repo, "gamma")["published"]) == iso("2022-06-07T08:09:10+00:00")

    git(repo.root, "add", "content")
    git(repo.root, "commit", "-qm", "ledger", date="2022-09-01T00:00:00+00:00")
    shallow = tmp_path / "shallow"
    git(tmp_path, "clone", "-q", "--depth", "1", f"file://{repo.root}", str(shallow))
    assert git(shallow, "rev-parse", "--is-shallow-repository").strip() == "true"
    clone = Project(shallow)
    assert clone.build().ok
    for marker in ("alpha-v2", "beta", "gamma"):
        assert identity(find_entry(clone, marker)) == identity(find_entry(repo, marker))


# --------------------------------------------------------------------------- the project itself


def test_project_layout_and_sample_seeds():
    for name in (
        "content",
        "theme",
        "plugins",
        "seeds",
        "tests",
        "pelicanconf.py",
        "publishconf.py",
        "tasks.py",
        "README.md",
        ".ci/run",
        ".gitignore",
        "content/ledger.json",
    ):
        assert (ROOT / name).exists(), f"{name} missing"
    assert os.access(ROOT / ".ci" / "run", os.X_OK)
    ignored = (ROOT / ".gitignore").read_text()
    assert "output" in ignored
    seeds = sorted((ROOT / "seeds").rglob("*.txt"))
    assert 6 <= len(seeds) <= 10
    authors: dict[str, int] = {}
    for path in seeds:
        for author in parse(path.read_bytes()).authors:
            authors[author] = authors.get(author, 0) + 1
    assert len(authors) >= 3 and max(authors.values()) >= 2
    assert any(p.parent != ROOT / "seeds" for p in seeds), "a seed in a section folder"
    ledger = json.loads((ROOT / "content" / "ledger.json").read_text(encoding="utf-8"))
    text = json.dumps(ledger)
    for path in seeds:
        assert path.relative_to(ROOT / "seeds").as_posix() in text, f"{path.name} not in ledger"


def copy_project(destination: Path) -> Path:
    shutil.copytree(
        ROOT,
        destination,
        ignore=shutil.ignore_patterns(
            "output",
            ".git",
            ".ruff_cache",
            "__pycache__",
            ".benchmarks",
            ".pytest_cache",
            ".venv",
            "venv",
        ),
    )
    for path in (destination / "seeds").rglob("*"):
        os.utime(path)  # a fresh clone: file times are now
    return destination


def invoke(project: Path, *args, env=None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "invoke", *args],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
        env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1", **(env or {})},
    )


def string_values(data) -> list[str]:
    if isinstance(data, dict):
        return [s for v in data.values() for s in string_values(v)]
    if isinstance(data, list):
        return [s for v in data for s in string_values(v)]
    return [data] if isinstance(data, str) else []


def test_invoke_build_in_a_copy_of_the_project(tmp_path):  # noqa: PLR0915
    project = copy_project(tmp_path / "copy")
    ledger = json.loads((project / "content" / "ledger.json").read_text(encoding="utf-8"))
    values = string_values(ledger)
    dates = set()
    for value in values:
        with contextlib.suppress(ValueError, AssertionError):
            dates.add(iso(value))
    if SHARED_SEED.exists():
        shutil.copy(SHARED_SEED, project / "seeds" / SHARED_SEED.name)
    listed = invoke(project, "--list").stdout
    for task in ("convert", "build", "rebuild", "clean", "serve", "preview", "test"):
        assert re.search(rf"^\s+{task}\b", listed, re.M), f"invoke {task} missing"
    run = invoke(project, "build")
    assert run.returncode == 0, run.stdout + run.stderr
    said = (run.stdout + run.stderr).lower()
    for word in ("converted", "unchanged", "rejected", "pages", "feeds"):
        assert word in said, f"the build summary lacks {word!r}"
    assert re.search(r"\d+(\.\d+)?\s*(s\b|sec)", said), "the build summary lacks seconds"
    output = project / "output"
    entries = atom_entries(output / "feeds" / "all.atom.xml")
    sample = [e for e in entries if e["id"] in values]
    assert len(sample) == len(list((ROOT / "seeds").rglob("*.txt"))), (
        "sample stories keep ledger ids"
    )
    for entry in sample:
        assert iso(entry["published"]) in dates, "sample stories keep ledger dates"
    if SHARED_SEED.exists():
        slug = next(
            e["link"].rstrip("/").rsplit("/", 1)[1]
            for e in entries
            if e["title"].startswith("US Official Says Milley")
        )
        check_real_seed(output, slug)

    # --date backfills new stories.
    (project / "seeds" / "backfill.txt").write_text(story("Backfilled story", "backfill"))
    run = invoke(project, "build", "--date", "2019-05-06T07:08:09+00:00")
    assert run.returncode == 0, run.stdout + run.stderr
    entries = atom_entries(output / "feeds" / "all.atom.xml")
    backfill = [e for e in entries if e["title"] == "Backfilled story"]
    assert backfill and iso(backfill[0]["published"]) == iso("2019-05-06T07:08:09+00:00")

    # SEEDPRESS_DATE does the same; `invoke convert` runs alone.
    (project / "seeds" / "env-dated.txt").write_text(story("Env dated story", "envdated"))
    run = invoke(project, "convert", env={"SEEDPRESS_DATE": "2018-02-03T04:05:06+00:00"})
    assert run.returncode == 0, run.stdout + run.stderr
    posts = [
        p
        for p in (project / "content" / "posts").glob("*.md")
        if "env-dated.txt" in p.read_text(encoding="utf-8")
    ]
    assert len(posts) == 1
    assert iso(post_header(posts[0])["date"].replace(" ", "T")) == iso("2018-02-03T04:05:06+00:00")
    run = invoke(project, "build")
    assert run.returncode == 0, run.stdout + run.stderr
    entries = atom_entries(output / "feeds" / "all.atom.xml")

    # A bad seed: non-zero exit, named in the summary, the others still published.
    (project / "seeds" / "broken-seed.txt").write_bytes(b"")
    run = invoke(project, "build")
    assert run.returncode != 0
    assert "broken-seed.txt" in run.stdout + run.stderr
    assert "broken-seed.txt" in "\n".join(run.stdout.strip().splitlines()[-6:]), (
        "the summary at the end names the rejected seed"
    )
    assert len(atom_entries(output / "feeds" / "all.atom.xml")) == len(entries)

    # Without it the build passes again; a rebuild from scratch gives the same bytes.
    (project / "seeds" / "broken-seed.txt").unlink()
    run = invoke(project, "build")
    assert run.returncode == 0, run.stdout + run.stderr
    tree = {p.relative_to(output): p.read_bytes() for p in output.rglob("*") if p.is_file()}
    run = invoke(project, "rebuild")
    assert run.returncode == 0, run.stdout + run.stderr
    again = {p.relative_to(output): p.read_bytes() for p in output.rglob("*") if p.is_file()}
    assert sorted(again) == sorted(tree)
    assert [name for name in tree if tree[name] != again[name]] == []


def test_invoke_serve_answers_a_missing_page_with_the_sites_404(tmp_path):
    project = copy_project(tmp_path / "copy")
    assert invoke(project, "serve").returncode == 1  # nothing built yet: said so
    assert invoke(project, "build").returncode == 0
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    serving = subprocess.Popen(
        [sys.executable, "-m", "invoke", "serve", "--port", str(port)],
        cwd=project,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(f"{base}/", timeout=5) as home:
                    assert home.status == 200
                break
            except OSError:
                assert time.monotonic() < deadline, "invoke serve did not start"
                time.sleep(0.2)
        with pytest.raises(urllib.error.HTTPError) as missing:
            urllib.request.urlopen(f"{base}/no/such/story/", timeout=5)
        assert missing.value.code == 404
        assert missing.value.read() == (project / "output" / "404.html").read_bytes()
        # Each file with the type `invoke publish` gives it on the host.
        for path, kind in (
            ("feeds/all.opml", "text/x-opml; charset=utf-8"),
            ("feeds/all.json", "application/feed+json"),
            ("feeds/all.atom.xml", "application/atom+xml"),
            ("", "text/html; charset=utf-8"),
        ):
            with urllib.request.urlopen(f"{base}/{path}", timeout=5) as served:
                assert served.headers["Content-Type"] == kind, path
        taken = invoke(project, "serve", "--port", str(port))
        assert taken.returncode == 1 and f"port {port}" in taken.stderr
        assert "Traceback" not in taken.stderr
    finally:
        serving.terminate()
        serving.wait(timeout=30)
