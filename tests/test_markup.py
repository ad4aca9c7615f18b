"""Escaped Markdown renders as the literal text under Pelican's own Markdown setup."""

from __future__ import annotations

import copy

import pytest
from bs4 import BeautifulSoup
from hypothesis import given
from hypothesis import strategies as st
from markdown import Markdown
from pelican.settings import DEFAULT_CONFIG

from seedpress.markup import (
    HTML_FROM_ESCAPES,
    body_paragraph,
    html_text,
    link_spans,
    markdown_paragraph,
    smartens,
)

HANDLES = "https://x.com/{handle}"
LITERALS = [
    "# heading",
    "* star",
    "- dash",
    "+ plus",
    "1. numbered",
    "12. numbered",
    "> quote",
    ": definition",
    "!!! note",
    "===",
    "---",
    "***",
    "- - -",
    "_underscores_ *stars* **strong**",
    "`backticks`",
    "back\\slash \\*",
    "[text](http://example.com)",
    "<http://example.com>",
    "footnote[^1]",
    "*[ABBR]: Abbreviation",
    "{: .class}",
    "word {#id}",
    "| a | b |",
    "<b>bold</b>",
    "<script>alert(1)</script>",
    "&amp; &lt; & AT&T &#42;",
    "<!-- comment -->",
    '<div markdown="1">*x*</div>',
    "~~strike~~ ^sup^",
    "1.5 million people",
    "-3 degrees",
    ":-) smile",
    "“Curly” ‘quotes’ — dash",
]


def pelican_markdown() -> Markdown:
    """Python-Markdown exactly as Pelican's default settings configure it."""
    config = copy.deepcopy(DEFAULT_CONFIG["MARKDOWN"])
    config["extensions"] = list(config["extension_configs"])
    return Markdown(**config)


@pytest.mark.parametrize("text", LITERALS)
def test_markdown_paragraph_renders_literally(text):
    html = pelican_markdown().convert(markdown_paragraph(text))
    soup = BeautifulSoup(html, "html.parser")
    assert [tag.name for tag in soup.find_all()] in (["p"], ["p", "a"])
    assert soup.get_text() == text


@pytest.mark.parametrize("many", [HTML_FROM_ESCAPES - 1, HTML_FROM_ESCAPES, 20_000])
@pytest.mark.parametrize("text", LITERALS)
def test_a_body_paragraph_with_many_escapes_renders_literally_as_html(text, many):
    """Past HTML_FROM_ESCAPES characters to escape, a paragraph is an HTML one
    (Python-Markdown is quadratic in them: 20,000 "<" took 1.3 s, 100,000
    took 36 s); either way it shows its text, its URLs linked, and the
    paragraph after it is Markdown as usual."""
    # Pieces: the characters escape_markdown escapes, and two for each link.
    pieces = sum(char in "\\`*_{}[]&<>|~^" for char in text) + 2 * len(link_spans(text)) + 2
    paragraph = f"{text} https://example.com/a/b?x=1 " + "<" * max(0, many - pieces)
    source = body_paragraph(paragraph)
    assert source.startswith("<p>") == (max(pieces, many) >= HTML_FROM_ESCAPES)
    html = pelican_markdown().convert(f"{source}\n\n{markdown_paragraph(text)}")
    soup = BeautifulSoup(html, "html.parser")
    first, second = soup.find_all("p", recursive=False)
    assert first.get_text() == paragraph and second.get_text() == text
    links = [href for *_, href in link_spans(paragraph)]
    assert [a["href"] for a in first.find_all("a")] == links and len(links) >= 1
    assert {tag.name for tag in first.find_all()} == {"a"}


SMART_LITERALS = [
    *LITERALS,
    "He said \"no\" -- twice... it's 'quoted' --- and <<angled>> ---- ....",
    '"Quote" at the start, a dash - alone, a range 1--2, an ellipsis...',
]


def smart_markdown(angled: bool) -> Markdown:
    """Pelican's Markdown with the smarty extension on as well."""
    config = copy.deepcopy(DEFAULT_CONFIG["MARKDOWN"])
    config["extension_configs"]["markdown.extensions.smarty"] = {"smart_angled_quotes": angled}
    config["extensions"] = list(config["extension_configs"])
    assert smartens(config) and not smartens(DEFAULT_CONFIG["MARKDOWN"])
    return Markdown(**config)


@pytest.mark.parametrize("angled", [False, True])
@pytest.mark.parametrize("text", SMART_LITERALS)
def test_paragraphs_render_literally_with_smarty_on(text, angled):
    """SEED_FORMAT: quotes stay as written, whatever Markdown extensions are
    on; smarty makes straight quotes, dashes and dots typographic."""
    for shown, source in (
        (text, markdown_paragraph(text, smart=True)),
        (text * 30, body_paragraph(text * 30, smart=True)),
    ):
        soup = BeautifulSoup(smart_markdown(angled).convert(source), "html.parser")
        assert soup.get_text() == shown


@pytest.mark.parametrize(
    "text, smart",
    [
        ("a " + "-" * 20_000, True),  # one run, 20,000 references with smarty on
        ("a " + "." * 20_000, True),
        (" ".join(f"https://example.org/{n}" for n in range(150)), False),  # 300 tags
        (" ".join(f"https://example.org/{n}" for n in range(150)), True),
    ],
)
def test_long_runs_and_many_links_make_an_html_paragraph(text, smart):
    """What makes Python-Markdown's inline pass long is every piece it
    handles: each character escaped (a run of dashes is one per dash) and
    each link's two tags, not each match."""
    source = body_paragraph(text, smart=smart)
    assert source.startswith("<p>") and source.endswith("</p>")
    markdown = smart_markdown(angled=True) if smart else pelican_markdown()
    soup = BeautifulSoup(markdown.convert(source), "html.parser")
    assert soup.get_text() == text
    assert [a["href"] for a in soup.find_all("a")] == [href for *_, href in link_spans(text)]


def test_smartens_finds_the_extension_by_any_of_its_names():
    from markdown.extensions.smarty import SmartyExtension

    for extension in (
        "smarty",
        "markdown.extensions.smarty",
        "markdown.extensions.smarty:SmartyExtension",
        SmartyExtension(),
    ):
        assert smartens({"extensions": [extension]})
    assert smartens({"extension_configs": {"markdown.extensions.smarty": {}}})
    assert not smartens({"extensions": ["pymdownx.smartsymbols", "extra"]})


def test_urls_become_links_with_trailing_punctuation_outside():
    html = pelican_markdown().convert(
        markdown_paragraph("See https://example.com/a_(b)?x=1&y=2, then (https://example.org/c).")
    )
    links = BeautifulSoup(html, "html.parser").find_all("a")
    assert [a["href"] for a in links] == [
        "https://example.com/a_(b)?x=1&y=2",
        "https://example.org/c",
    ]
    assert [list(a.attrs) for a in links] == [["href"], ["href"]]


def test_a_url_ends_before_typographic_quotes_and_a_final_colon():
    """linkify-it took a closing curly quote, a possessive and a final colon
    into the link (found by a second test suite written from the seed format,
    which says seeds hold curly quotes)."""
    text = (
        "The report is at \u201chttps://example.org/report\u201d and at "
        "https://example.org/data: both free; see https://example.com/page\u2019s notes, "
        "\u00abhttps://example.org/fr\u00bb, https://example.org/x?a=1:2 and "
        "https://fr.wikipedia.org/wiki/Rock\u2019n\u2019roll."
    )
    html = pelican_markdown().convert(markdown_paragraph(text))
    soup = BeautifulSoup(html, "html.parser")
    assert [(a.get_text(), a["href"]) for a in soup.find_all("a")] == [
        (url, url)
        for url in (
            "https://example.org/report",
            "https://example.org/data",
            "https://example.com/page",
            "https://example.org/fr",
            "https://example.org/x?a=1:2",
            # A quotation mark inside a word is the IRI's own.
            "https://fr.wikipedia.org/wiki/Rock\u2019n\u2019roll",
        )
    ]
    assert soup.get_text() == text  # the text itself is as written


def test_only_web_urls_become_links():
    text = 'ftp://x.org/y javascript:alert(1) mailto:a@b.org http://a.b/"onmouseover=x'
    assert [href for _, _, href in link_spans(text)] == ["http://a.b/"]


def test_bio_handles_and_fediverse_addresses():
    bio = "follow him on Twitter @decampdave. Mail dave@example.com, or @dave@social.example."
    soup = BeautifulSoup(html_text(bio, HANDLES), "html.parser")
    assert [(a.get_text(), a["href"]) for a in soup.find_all("a")] == [
        ("@decampdave", "https://x.com/decampdave"),
        ("@dave@social.example", "https://social.example/@dave"),
    ]
    assert soup.get_text() == bio


def test_html_text_escapes_markup():
    assert html_text("<b> & </b>") == "&lt;b&gt; &amp; &lt;/b&gt;"


# Each character escape_markdown changes, and what it becomes: a backslash
# before those core Markdown unescapes, a character reference for the rest.
ESCAPED = {char: "\\" + char for char in "\\`*_{}[]"} | dict(
    zip("&<>|~^", ["&amp;", "&lt;", "&gt;", "&#124;", "&#126;", "&#94;"], strict=True)
)


@given(st.text(alphabet=st.sampled_from([*ESCAPED, "a", " ", "é", "\u2019", "\U0001f30a"])))
def test_escape_markdown_changes_exactly_its_characters(text):
    from seedpress.markup import escape_markdown

    assert escape_markdown(text) == "".join(ESCAPED.get(char, char) for char in text)
