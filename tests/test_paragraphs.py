"""A body of plain paragraphs is rendered (paragraphs.py) exactly as
Python-Markdown renders it, with every set of extensions it is used for; and
anything else is left to Python-Markdown."""

from __future__ import annotations

import copy

import pytest
from conftest import ROOT, demo_with_real_seed
from hypothesis import given, settings
from hypothesis import strategies as st
from markdown import Markdown
from markdown.extensions.extra import extensions as EXTRA_PARTS
from markdown.extensions.toc import TocExtension

PELICAN_DEFAULT = {
    "extension_configs": {
        "markdown.extensions.codehilite": {"css_class": "highlight"},
        "markdown.extensions.extra": {},
        "markdown.extensions.meta": {},
    },
    "output_format": "html5",
}
# Every extension the fast path is used with, alone and all together.
INERT = [
    PELICAN_DEFAULT,
    {"extensions": ["extra", "codehilite", "meta"], "output_format": "xhtml"},
    *({"extensions": [name]} for name in EXTRA_PARTS),
    {"extensions": ["tables"], "tab_length": 2},
    {},
]

# What a paragraph may hold, weighted to what Markdown acts on: every ASCII
# punctuation character, the tokens markup writes (escapes, references,
# link tags), whitespace of every kind, and text.
PIECES = st.one_of(
    st.sampled_from(list("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")),
    st.sampled_from(["\\" + c for c in "\\`*_{}[]#+-.!()>|&a"]),
    st.sampled_from(["&amp;", "&lt;", "&gt;", "&quot;", "&#124;", "&#58;", "&#0;", "&#x41;", "&b"]),
    st.sampled_from(['<a href="https://e.example/a_b?c=1&amp;d">', "</a>", '<a href="">', "<b>"]),
    st.sampled_from([" ", "  ", "\t", "\u00a0", "\u2003", "\u2028", "\x02", "\x03", "\r", "\x0c"]),
    st.sampled_from(["1.", "12)", "---", "***", "___", "==", "    ", "[^1]", "*[x]", "{: .c}"]),
    st.sampled_from(["word", "Élan", "“quoted”", "it’s", "—", "العربية", "😀", "x@y.z"]),
    st.text(max_size=3),
)
# And pieces of what the fast path takes (most paragraphs of them are taken).
TOKENS = st.one_of(
    st.sampled_from(list("!\"#$%'()+,-./:;=?@") + ["\\" + c for c in "\\`*_{}[]#+-.!"]),
    st.sampled_from(["&amp;", "&lt;", "&#124;", '<a href="https://e.example/?q=a_b*c">', "</a>"]),
    st.sampled_from(["word", " ", "\u00a0", "“", "’", "é", "٣", "😀"]),
)
PARAGRAPH = st.lists(st.one_of(TOKENS, TOKENS, PIECES), max_size=12).map("".join)
BODY = st.lists(PARAGRAPH, min_size=1, max_size=4).map("\n\n".join)


# Most random paragraphs are not taken: more examples than the profile's
# (HYPOTHESIS_PROFILE, tests/conftest.py), to compare enough that are.
MORE_EXAMPLES = settings(max_examples=4 * settings.default.max_examples)


def _pelicans_markdown(markdown_settings: dict) -> Markdown:
    """Markdown made as Pelican's MarkdownReader makes it: the configured
    extensions, and meta."""
    settings = copy.deepcopy(markdown_settings)
    extensions = settings.setdefault("extensions", [])
    extensions += [name for name in settings.get("extension_configs", {}) if name not in extensions]
    if "markdown.extensions.meta" not in extensions:
        extensions.append("markdown.extensions.meta")
    return Markdown(**settings)


def _converted(markdown_settings: dict, body: str) -> str:
    """What Python-Markdown makes of a post with `body` (after a header: meta
    would read a first line such as "word:" of a body alone as a field)."""
    return _pelicans_markdown(markdown_settings).convert("Title: A post\n\n" + body)


@pytest.mark.parametrize("markdown_settings", INERT)
@MORE_EXAMPLES
@given(body=BODY, newline=st.booleans())
def test_a_body_it_renders_is_rendered_as_python_markdown_does(markdown_settings, body, newline):
    from seedpress import paragraphs

    assert paragraphs.leaves_plain_paragraphs(markdown_settings)
    body += "\n" if newline else ""
    fast = paragraphs.render(body)
    if fast is not None:
        assert fast == _converted(markdown_settings, body)


# A paragraph of the fast path's own tokens, opening and ending with a letter:
# one it must take.
OWN_PARAGRAPH = st.lists(TOKENS, min_size=1).map(lambda tokens: f"A{''.join(tokens)}z")


@MORE_EXAMPLES
@given(body=st.lists(OWN_PARAGRAPH, min_size=1).map("\n\n".join))
def test_bodies_of_its_own_tokens_are_taken_and_rendered_as_python_markdown_does(body):
    from seedpress import paragraphs

    assert paragraphs.render(body) == _converted(PELICAN_DEFAULT, body)


# Header lines of every kind: fields, a field's next line, YAML-like rules,
# lines the meta extension leaves (an abbreviation's or a link's definition,
# text), whitespace of other kinds, a tab.
HEADER_LINE = st.one_of(
    st.sampled_from(["Title: A post", "Date: 2026-01-02", "Tags: a, b", "Summary: *x*"]),
    st.sampled_from(
        ["    more of it", "---", "...", "*[A]: An abbreviation", "[a]: https://e.example/"]
    ),
    st.sampled_from(["not a field", " ", "\u00a0", "Key:\tvalue", "K: \u2028", "\ufeffK: v", "K:"]),
    st.text(max_size=8).filter(lambda line: "\n" not in line),
)


@MORE_EXAMPLES
@given(
    header=st.lists(HEADER_LINE, max_size=6).map("\n".join),
    body=st.lists(OWN_PARAGRAPH, max_size=3).map("\n\n".join),
)
def test_a_post_it_reads_is_read_as_python_markdown_reads_it(header, body):
    """Content and fields, whatever the header holds."""
    from seedpress import paragraphs

    text = f"{header}\n\n{body}\n"
    fast_markdown, markdown = (
        _pelicans_markdown(PELICAN_DEFAULT),
        _pelicans_markdown(PELICAN_DEFAULT),
    )
    fast = paragraphs.post(fast_markdown, text)
    if fast is not None:
        assert fast == markdown.convert(text)
        assert getattr(fast_markdown, "Meta", None) == getattr(markdown, "Meta", None)


@MORE_EXAMPLES
@given(text=st.text(min_size=1, max_size=200))
def test_what_markup_writes_of_any_text_is_rendered_as_python_markdown_does(text):
    from seedpress import paragraphs
    from seedpress.markup import markdown_paragraph

    source = markdown_paragraph(text)
    fast = paragraphs.render(source)
    if fast is not None:
        assert fast == _converted(PELICAN_DEFAULT, source)


def test_converted_seeds_take_the_fast_path(tmp_path):
    """Every sample seed's post (and the real seed's, when ../shared has it),
    and prose full of what markup escapes: the fast path is what reads them."""
    from seedpress import paragraphs
    from seedpress.markup import markdown_paragraph

    prose = [
        "Costs rose 5% (to £3.2m) — the *most* since 2019; see https://e.example/a_b?x=1&y=[2].",
        "#1 priority: “don’t panic” | 3 < 4 > 2 ~ 2^3 {braces} `code` _under_ \\back\\",
        "2026. A year begins with a number, - a dash, + a plus and ! a bang.",
        ": a colon first, then @handle and x@y.example.",
    ]
    for text in prose:
        source = markdown_paragraph(text)
        assert paragraphs.render(source) == _converted(PELICAN_DEFAULT, source), text
    site = demo_with_real_seed(tmp_path / "demo")
    assert not site.convert().rejected
    posts = sorted(site.content.rglob("*.md"))
    assert posts
    for post in posts:
        text = post.read_text()
        fast_markdown, markdown = (
            _pelicans_markdown(PELICAN_DEFAULT),
            _pelicans_markdown(PELICAN_DEFAULT),
        )
        assert paragraphs.post(fast_markdown, text) == markdown.convert(text), post.name
        assert fast_markdown.Meta == markdown.Meta


@pytest.mark.parametrize(
    "body",
    [
        "# A heading",
        "A paragraph\nwrapped",
        "    indented code",
        "- a list",
        "1. a list",
        "> a quote",
        "Some *emphasis*",
        "<p>An HTML paragraph</p>",
        "A | table | row",
        "Text\n\n\n\nwith blank lines between",
        "Trailing space ",
        "A\ttab",
        'See <a href="[docs](https://e.example/)">here</a>.',  # Markdown links it
    ],
)
def test_anything_else_is_left_to_python_markdown(body):
    from seedpress import paragraphs

    assert paragraphs.render(body) is None


@pytest.mark.parametrize(
    "markdown_settings",
    [
        {"extensions": ["smarty"]},  # straight quotes made curly
        {"extensions": ["nl2br", "extra"]},
        {"extensions": ["abbr"], "extension_configs": {"abbr": {"glossary": {"HTML": "x"}}}},
        {"extensions": ["pymdownx.tilde"]},
        {"extensions": ["extra"], "lazy_ol": False},  # an option Markdown 3 does not read
        {"extensions": ["extra"], "tab_length": 0},  # every block a code block
        {"extensions": [TocExtension()]},  # an object, not a name
    ],
)
def test_other_markdown_settings_are_left_to_python_markdown(markdown_settings):
    from seedpress import paragraphs

    assert not paragraphs.leaves_plain_paragraphs(markdown_settings)


def test_a_post_reads_as_pelicans_reader_reads_it_either_way(tmp_path, site, monkeypatch):
    """A converted post, a hand-edited one and one whose header holds a
    line that is no field: the kept reader's content and fields are Pelican's."""
    from pelican.readers import MarkdownReader

    from seedpress import paragraphs
    from seedpress.reader import KeptMarkdownReader

    sample = next(iter(sorted((ROOT / "content" / "posts").glob("*.md"))))
    text = sample.read_text()
    header, _, body = text.partition("\n\n")
    posts = {
        "converted.md": text,
        "edited.md": f"{header}\n\n## A subhead\n\n{body}",
        "loose.md": f"{header}\nnot a field\n\n{body}",
        "empty.md": f"{header}\n",
        # A line the meta extension leaves, rendering as nothing, that changes
        # the body: an abbreviation's definition.
        "abbreviated.md": f"{header}\n*[NASA]: National Aeronautics and Space Administration"
        "\n\nNASA launched it.\n",
        "tabbed.md": f"{header}\nNote:\tA tab\n\n{body}",
        "yaml-like.md": f"---\n{header}\n---\n\n{body}",
        "bare.md": body,
    }
    taken, post = {}, paragraphs.post

    def recorded(markdown, text):
        content = post(markdown, text)
        taken[text] = content is not None
        return content

    monkeypatch.setattr("seedpress.reader.paragraphs.post", recorded)
    kept, pelicans = KeptMarkdownReader(site.settings()), MarkdownReader(site.settings())
    assert kept._plain  # the project's Markdown settings take the fast path
    for name, text in posts.items():
        (tmp_path / name).write_text(text)
        assert kept.read(str(tmp_path / name)) == pelicans.read(str(tmp_path / name)), name
    assert [name for name, text in posts.items() if taken[text]] == [
        "converted.md",
        "empty.md",
        "yaml-like.md",
    ]
    assert "<abbr" in kept.read(str(tmp_path / "abbreviated.md"))[0]
