"""A post body of plain paragraphs, rendered as Python-Markdown renders it,
without its passes.

A converted seed's body is paragraphs of escaped text and links
(markup.markdown_paragraph). Python-Markdown's block and inline passes over
them were most of Pelican's reading of a post: 2.76 ms a post with them, 0.78
ms without (bench/README.md). Each such paragraph is one line of a small
grammar (PARAGRAPH), and each token of it comes out of Python-Markdown in a
known way: a backslash escape as its character, a character reference and an
`<a href>` tag as they are, any other character as it is; paragraphs become
`<p>` elements, one a line.

Only for Markdown settings whose extensions leave such paragraphs as they are
(`leaves_plain_paragraphs`); a body with anything else (a heading, a list, an
emphasis, an HTML paragraph, a tab) returns None and goes to Python-Markdown, as
do hand-written posts in general. tests/test_paragraphs.py compares the two on
random text over every character the grammar gives a meaning to.
"""

from __future__ import annotations

import re
from typing import Any

from markdown import Markdown
from markdown.extensions.extra import extensions as EXTRA_PARTS

# Characters Python-Markdown's inline patterns or block processors may act on
# (emphasis, code, links, HTML, entities, tables, attribute lists, footnotes,
# abbreviations), which a plain paragraph holds only as tokens.
_ACTIVE = "\\`*_{}[]<>&|~^"
# Control characters (Unicode's Cc: tabs, line ends, STX and ETX, which
# Python-Markdown expands or removes before parsing) and the line and
# paragraph separators: never in a plain paragraph.
_CONTROL = r"\x00-\x1f\x7f-\x9f\u2028\u2029"
_TEXT = "[^" + re.escape(_ACTIVE) + _CONTROL + "]"
# markup's backslash escapes: some of the characters core Python-Markdown
# always unescapes (its ESCAPED_CHARS; a paragraph with another goes to it).
_ESCAPE = r"\\[\\`*_{}\[\]#+\-.!]"
_REFERENCE = r"&(?:amp|lt|gt|quot|#[0-9]{1,7});"
# markup.render's link tags: an attribute value with none of what
# markup.safe_href encodes (Markdown's link patterns, which run before its
# raw HTML one, would act on brackets in it).
_LINK = r'<a href="[^"<>\\`\s\[\]|{}^]*">|</a>'
# A run of text is one token, taken whole (possessive: every other token
# starts with a character text never holds, so no run needs giving back).
# A character at a time, matching the benchmark's posts (5,400 characters)
# took 142-154 us each (1.5 s of CPU at 10,000 posts); taken whole, 32 us.
# Only the run is possessive: Python 3.11 before 3.11.5 matched a possessive
# repeat of a group with alternatives wrongly (gh-106052).
_TOKEN = f"(?:{_TEXT}++|{_ESCAPE}|{_REFERENCE}|{_LINK})"
# Not starting with what could open a block (a heading, list, quote, rule,
# definition, table, HTML block, code block: markup escapes each; "=" and
# "1)", which it leaves, are refused too, at the cost of speed only) nor with
# or ending in whitespace (Python-Markdown strips it).
PARAGRAPH = re.compile(rf"(?![\s#+\-*>:=|!<]|\d+[.)]){_TOKEN}+(?<!\s)")
_UNESCAPE = re.compile(r"\\(.)")

# Extensions that act on none of PARAGRAPH's tokens (Python-Markdown's names,
# short or in full): Pelican's default ones, `extra` and each of its parts; and
# the one whose configuration cannot change that (codehilite: code blocks
# only): the others' (abbreviations' glossary, for one) must be empty.
_INERT = frozenset({"codehilite", "meta", "extra", *EXTRA_PARTS})
_CONFIGURABLE = frozenset({"codehilite"})
# The Markdown options Python-Markdown 3 reads; another (one a later version
# may add) is not known to leave plain paragraphs as they are.
_SETTINGS = frozenset({"extensions", "extension_configs", "output_format", "tab_length"})
# What Python-Markdown changes in the text before its meta extension reads
# the header (NormalizeWhitespace: tabs, carriage returns, STX and ETX; it
# also empties lines of spaces, where meta stops as it does at an empty one).
_NORMALIZED = re.compile(r"[\t\r\x02\x03]")


def leaves_plain_paragraphs(markdown_settings: dict[str, Any]) -> bool:
    """Whether Markdown made with these settings (Pelican's MARKDOWN) renders
    a plain paragraph as `render` does."""
    if not markdown_settings.keys() <= _SETTINGS:
        return False
    tab_length = markdown_settings.get("tab_length", 4)
    if not (isinstance(tab_length, int) and tab_length > 0):  # 0: every block is code
        return False
    configs = markdown_settings.get("extension_configs") or {}
    for name in extensions(markdown_settings):
        if not isinstance(name, str):
            return False
        short = name.removeprefix("markdown.extensions.")
        if short not in _INERT or (configs.get(name) and short not in _CONFIGURABLE):
            return False
    return True


def extensions(markdown_settings: dict[str, Any]) -> list:
    """The extensions Markdown is made with (names or objects): those listed,
    and those configured."""
    configs = markdown_settings.get("extension_configs") or {}
    return [*(markdown_settings.get("extensions") or ()), *configs]


def post(markdown: Markdown, text: str) -> str | None:
    """The HTML that `markdown` (a Python-Markdown instance, just reset)
    makes of a post's `text`, when its header is only fields and its body
    only plain paragraphs; the fields are read into `markdown.Meta` by the
    meta extension, as a conversion would. Else None, for `markdown` to
    convert the text."""
    header, _, body = text.partition("\n\n")
    content = render(body)
    if content is None or "meta" not in markdown.preprocessors or _NORMALIZED.search(header):
        return None
    # Every line of the header must be the meta extension's: one it leaves
    # is Markdown the body may depend on (an abbreviation's definition).
    if markdown.preprocessors["meta"].run(header.split("\n")):
        return None
    return content


def render(body: str) -> str | None:
    """The HTML Python-Markdown makes of `body` (the text after a post's
    header), or None unless every block of it is a plain paragraph."""
    body = body.removesuffix("\n")
    if not body:
        return ""
    blocks = body.split("\n\n")
    if not all(PARAGRAPH.fullmatch(block) for block in blocks):
        return None
    return "\n".join("<p>" + _UNESCAPE.sub(r"\1", block) + "</p>" for block in blocks)
