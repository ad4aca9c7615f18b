"""Search documents (searchdoc.py): what Pagefind reads of a story's page, as a
page of its own. The judge is Pagefind itself: a folder of documents must give
the bundle, byte for byte, that the folder of their pages gives."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
from conftest import demo_with_real_seed

from seedpress.search import pagefind_binary
from seedpress.searchdoc import document


def _index(folder: Path, pages: dict[str, bytes], out: Path) -> dict[str, bytes]:
    for relative, data in pages.items():
        (folder / relative).parent.mkdir(parents=True, exist_ok=True)
        (folder / relative).write_bytes(data)
    command = [pagefind_binary(), "--site", str(folder), "--output-path", str(out), "--silent"]
    subprocess.run(command, check=True, capture_output=True)
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in out.rglob("*") if p.is_file()}


def _index_both(tmp_path: Path, pages: dict[str, bytes]) -> tuple[dict, dict]:
    documents = {relative: document(data) for relative, data in pages.items()}
    return (
        _index(tmp_path / "pages", pages, tmp_path / "from-pages"),
        _index(tmp_path / "documents", documents, tmp_path / "from-documents"),
    )


def test_the_themes_story_pages_index_as_their_documents(tmp_path):
    site = demo_with_real_seed(tmp_path / "demo")
    assert site.build().ok
    pages = {
        p.relative_to(site.output).as_posix(): p.read_bytes()
        for p in site.output.glob("*/*/*/index.html")
    }
    assert len(pages) >= 5
    for data in pages.values():
        made = document(data)
        # The story alone: no menus, "read next", JSON-LD or share links.
        assert len(made) < len(data) / 1.5
        assert b"data-pagefind-body" in made and b"application/ld+json" not in made
    from_pages, from_documents = _index_both(tmp_path, pages)
    assert any(name.startswith("fragment/") for name in from_pages)
    assert from_documents == from_pages


def _page(head: str = "", before: str = "", body: str = "", after: str = "", html: str = "") -> str:
    return (
        f'<!DOCTYPE html>\n<html lang="en"{html}>\n<head><meta charset="utf-8">'
        f"<title>Page title</title>{head}</head>\n<body>{before}{body}{after}</body></html>\n"
    )


STORY = (
    '<article data-pagefind-body><h1>Ferry cuts</h1><p id="p1">The ferry runs less.</p></article>'
)

# name: (page, whether its document is cut out of it). One filter in all: with
# two, Pagefind 1.5.2 orders them as its threads finish (one folder indexed
# six times gave two bundles), pages or documents alike.
PAGES = {
    "plain": (_page(before='<nav id="top"><a href="/">Home</a></nav>', body=STORY), True),
    "nested": (
        _page(
            before="<MAIN id=main>",
            body="<DIV class=x data-pagefind-body><h1>Nested</h1><div><div>Inner words.</div>"
            "</div><p>After the inner ones.</p></DIV>",
            after="<div>Not indexed.</div></MAIN>",
        ),
        True,
    ),
    "no-h1": (_page(body="<section data-pagefind-body><p>Only text here.</p></section>"), True),
    "empty-h1": (_page(body="<div data-pagefind-body><h1> </h1><p>Empty title.</p></div>"), True),
    "meta-inside": (
        _page(
            body='<div data-pagefind-body data-pagefind-sort="rank:2"><h1 '
            'data-pagefind-meta="title">Inside</h1><p data-pagefind-ignore>Skip.</p>'
            '<img src="/in.png" alt="a picture"><p data-pagefind-weight="2">Heavy.</p></div>'
        ),
        True,
    ),
    "meta-in-head": (
        _page(
            head='<meta data-pagefind-meta="image[content]" content="/x.png">',
            body=STORY.replace("Ferry", "Meta"),
        ),
        False,
    ),
    "filter-outside": (
        _page(before='<span data-pagefind-filter="edition">Late</span>', body=STORY),
        False,
    ),
    "h1-outside": (_page(before="<header><h1>The Site</h1></header>", body=STORY), False),
    "img-outside": (_page(body=STORY, after='<img src="/after.png" alt="x">'), False),
    "script-inside": (
        _page(
            body="<div data-pagefind-body><h1>Script</h1><script>let s = '</div>';</script>"
            "<p>Words after the script.</p></div>"
        ),
        False,
    ),
    "comment-inside": (
        _page(body="<div data-pagefind-body><h1>Comment</h1><!-- </div> --><p>More.</p></div>"),
        False,
    ),
    "two-bodies": (_page(body=STORY + STORY.replace("Ferry", "Second")), False),
    "unclosed": (_page(body="<div data-pagefind-body><h1>Open</h1><p>No end."), False),
    "marker-in-value": (
        _page(body='<div title="x data-pagefind-body"><h1>Value</h1></div>' + STORY),
        False,
    ),
    "gt-in-html-tag": (_page(html=' data-note="a>b"', body=STORY.replace("Ferry", "Odd")), True),
    "whole-elements-after": (
        _page(
            before="<main>",
            body=STORY.replace("Ferry", "Aside"),
            after="<aside><h2>Read next</h2><ul><li><a href=/a/>A</a></li></ul></aside>\n</main>",
        ),
        True,
    ),
    "text-after": (
        _page(
            before="<main>", body=STORY.replace("Ferry", "Filed"), after=" Filed under News.</main>"
        ),
        False,
    ),
    "main-in-a-div": (
        _page(
            before="<div>",
            body="<main data-pagefind-body><h1>Main</h1><p>Ends in a word</p>tail words</main>",
            after="</div>",
        ),
        False,
    ),
    "title-after": (
        _page(
            body="<div data-pagefind-body><p>No heading here.</p></div>",
            after="<svg><title>An icon</title></svg>",
        ).replace("<title>Page title</title>", ""),
        False,
    ),
    # Pagefind leaves out a <footer>'s text, but not an indexed element's in it.
    "inside-a-footer": (
        _page(before="<footer>", body=STORY.replace("Ferry", "Footer"), after="</footer>"),
        True,
    ),
    "inside-a-heading": (
        _page(
            before="<h2>",
            body="<div data-pagefind-body><span>Weighted words</span></div>",
            after="</h2>",
        ),
        False,
    ),
    "end-tag-in-a-value": (
        _page(
            body='<article data-pagefind-body><h1>Quoted</h1><a title="</article>">x</a>'
            "<p>After the link.</p></article>"
        ),
        False,
    ),
    "comment-before": (_page(before="<!-- <main> -->", body=STORY.replace("Ferry", "Hid")), False),
    "end-tag-left-open": (
        _page(
            before="<main>", body=STORY.replace("Ferry", "Open"), after="<ul><li>One<li>Two</ul>"
        ),
        False,
    ),
}
# Of the pages sent whole, those where the indexed element cut out with the
# <html> tag and <title> (`_naive`) makes Pagefind index something else: what
# each rule of searchdoc.py guards against, shown by Pagefind itself.
READ_AROUND = [
    "meta-in-head",
    "filter-outside",
    "h1-outside",
    "img-outside",
    "text-after",
    "main-in-a-div",
    "title-after",
    "inside-a-heading",
    "end-tag-in-a-value",
]


def test_a_document_is_cut_only_where_pagefind_reads_nothing_else():
    for name, (page, cut) in PAGES.items():
        data = page.encode()
        assert (document(data) != data) is cut, name


def test_pagefind_indexes_each_kind_of_page_as_its_document(tmp_path):
    """One site of every kind above, in both forms; the same bundle."""
    pages = {f"{name}/index.html": page.encode() for name, (page, _) in PAGES.items()}
    from_pages, from_documents = _index_both(tmp_path, pages)
    assert from_documents == from_pages


def _naive(page: bytes) -> bytes:
    """The indexed element alone, with the <html> tag and <title>, cut out
    by its first end tag of the same name: what searchdoc.py makes when it
    checks nothing."""
    low = page.lower()
    start = low.rfind(b"<", 0, low.find(b"data-pagefind-body"))
    name = re.match(rb"<([a-z]+)", low[start:]).group(1)
    end = low.find(b"</" + name + b">", start) + len(name) + 3
    html = re.search(rb"<html[^>]*>", low)
    title = re.search(rb"<title>.*?</title>", low[:start], re.DOTALL)
    return b"".join(
        [
            b"<!DOCTYPE html>\n",
            page[html.start() : html.end()],
            b"<head>",
            page[title.start() : title.end()] if title else b"",
            b"</head><body>",
            page[start:end],
            b"</body></html>\n",
        ]
    )


@pytest.mark.parametrize("name", READ_AROUND)
def test_pagefind_reads_what_a_page_sent_whole_has_around_its_element(tmp_path, name):
    page = PAGES[name][0].encode()
    from_page = _index(tmp_path / "page", {"a/index.html": page}, tmp_path / "from-page")
    naive = _naive(page)
    assert naive != page
    cut = _index(tmp_path / "naive", {"a/index.html": naive}, tmp_path / "from-naive")
    assert cut != from_page


@pytest.mark.parametrize("text", ["<p>Use data-pagefind-body on the story.</p>", ""])
def test_a_page_without_the_attribute_is_its_own_document(text):
    data = _page(body=f"<article>{text}</article>").encode()
    assert document(data) is data
