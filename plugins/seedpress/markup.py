"""Plain text to Markdown that renders as exactly that text, with safe links.

Seeds are plain text: every character Markdown or HTML could interpret must come
out literally, whatever extensions Pelican's Markdown has on (`extra` brings
tables, footnotes, abbreviations, attribute lists, definition lists and Markdown
inside HTML). Two escapes are used:

* a backslash for characters core Python-Markdown always unescapes, wherever
  they may mean something (emphasis, code, links, attribute lists);
* a character reference for the rest (`&`, `<`, `>`, `|`, `~`, `^`, and `:` that
  opens a definition), because backslash-escaping them works only when a given
  extension is loaded.

With Python-Markdown's `smarty` extension on, straight quotes, runs of
dashes and "..." become typographic ones: then they are character references
too (`smart`), which smarty leaves as they are. Without it they stay as
written, as most quotes are.

Characters that only mean something at the start of a paragraph (`#`, `-`, `+`,
`1.`, `:`) are escaped only there: a seed paragraph is one line (the parser joins
hard-wrapped lines), so no other position starts a block. This keeps generated
posts readable for the people who edit them by hand.

Links are made only from http(s) URLs (and @handles in bios) and are written as
raw `<a href>` tags whose attribute value is escaped here, so no attribute ever
comes from the seed.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator, Mapping
from typing import Any

from linkify_it import LinkifyIt

_BACKSLASHED = "\\`*_{}[]"
_REFERENCES = {
    "&": "&amp;",
    "<": "&lt;",
    ">": "&gt;",
    "|": "&#124;",
    "~": "&#126;",
    "^": "&#94;",
}
_MARKDOWN_ESCAPES = {char: "\\" + char for char in _BACKSLASHED} | _REFERENCES
# A regular expression, not str.translate: translating to strings longer than
# one character cost 23 µs a paragraph against 1.7 µs (a tenth of a cold
# conversion's time at 10,000 seeds; outside the benchmark).
_MARKDOWN_SPECIAL = re.compile("[" + re.escape("".join(_MARKDOWN_ESCAPES)) + "]")
# A heading, list item, admonition, definition or numbered item at the start.
_BLOCK_START = re.compile(r"[#+!-]|:|\d+\.")

_linkify = LinkifyIt(options={"fuzzy_link": False, "fuzzy_email": False, "fuzzy_ip": False})
_WEB_SCHEMES = ("http:", "https:")

# @user@host.tld (fediverse) or @handle; not the tail of an e-mail address
# (a handle must not follow a word character, "." or "@").
_HANDLE = re.compile(
    r"(?<![\w.@/])@(?P<user>[A-Za-z0-9_](?:[A-Za-z0-9_.-]*[A-Za-z0-9_])?)"
    r"(?:@(?P<host>[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?"
    r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+))?"
)
_SHORT_HANDLE = re.compile(r"[A-Za-z0-9_]{1,30}")


# What smarty turns typographic: quotes, "--" and "---", "...". A whole run
# of dashes or dots is escaped: smarty reads "----" as "---" and "-".
_SMART_SPECIAL = re.compile(_MARKDOWN_SPECIAL.pattern + "|[\"']|-{2,}|\\.{3,}")


def _special(smart: bool) -> re.Pattern:
    """What escape_markdown escapes, with the smarty extension on or not."""
    return _SMART_SPECIAL if smart else _MARKDOWN_SPECIAL


def _escape(match: re.Match) -> str:
    found = match.group()
    if found in _MARKDOWN_ESCAPES:
        return _MARKDOWN_ESCAPES[found]
    return "".join(f"&#{ord(char)};" for char in found)  # smarty's


def smartens(markdown_settings: Mapping[str, Any]) -> bool:
    """Whether Markdown made with these settings (Pelican's MARKDOWN) has
    the smarty extension, by name or as an object."""
    from markdown.extensions.smarty import SmartyExtension

    configs = markdown_settings.get("extension_configs") or {}
    return any(
        isinstance(extension, SmartyExtension)
        or (isinstance(extension, str) and extension.rsplit(".", 1)[-1].split(":")[0] == "smarty")
        for extension in [*(markdown_settings.get("extensions") or ()), *configs]
    )


def escape_markdown(text: str, smart: bool = False) -> str:
    """Markdown source that renders as `text`, character for character
    (`smart`: with the smarty extension on too)."""
    return _special(smart).sub(_escape, text)


def markdown_paragraph(
    text: str, handle_url: str | None = None, smart: bool = False, linked: bool = True
) -> str:
    """One paragraph of Markdown showing `text` literally, its links linked
    unless not `linked` (`smart`: with the smarty extension on too)."""
    if linked:
        source = render(text, lambda part: escape_markdown(part, smart), handle_url)
    else:
        source = escape_markdown(text, smart)
    start = _BLOCK_START.match(source)
    if not start:
        return source
    marker = start.group()
    if marker == ":":
        escaped = "&#58;"
    elif marker[-1] == ".":
        escaped = marker[:-1] + "\\."
    else:
        escaped = "\\" + marker
    return escaped + source[start.end() :]


# Python-Markdown's inline pass takes time quadratic in the escapes of one
# paragraph (each entity or backslash escape splits the rest of its text
# again): 20,000 "<" in one paragraph took 1.3 s, 100,000 took 36 s, where
# escapes over short paragraphs cost 12-15 µs each; so do links (16,000 URLs
# in one paragraph took 7.5 s). A paragraph with this many characters to
# escape (a link counts as two) is written as an HTML paragraph instead, which
# Markdown passes through as it is (200,000 "<" in 0.6 s): rare in prose, so
# the posts stay readable Markdown. (Throwaway timings, Markdown 3.x with
# Pelican's extensions.)
HTML_FROM_ESCAPES = 200


def body_paragraph(text: str, smart: bool = False) -> str:
    """One body paragraph of a post showing `text` literally, its URLs
    linked: Markdown (`markdown_paragraph`), or an HTML paragraph when it has
    HTML_FROM_ESCAPES characters to escape or more (a link counts as two)."""
    # Every escaped character (a run of dashes is one per dash) and both tags
    # of each link are a piece that the inline pass handles.
    pieces = sum(map(len, _special(smart).findall(text))) + 2 * len(link_spans(text))
    if pieces < HTML_FROM_ESCAPES:
        return markdown_paragraph(text, smart=smart)
    # A block of HTML, alone on its line between blank lines: Markdown leaves
    # what is in it as it is, whatever its extensions (none adds markdown="1").
    return f"<p>{html_text(text)}</p>"


def html_text(text: str, handle_url: str | None = None) -> str:
    """Inline HTML showing `text` literally, its links linked."""
    return render(text, escape_html, handle_url)


def escape_html(text: str) -> str:
    """HTML text (not Markdown) for `text`: only &, < and > need escaping."""
    return html.escape(text, quote=False)


# A typographic quotation mark that ends a word, or a possessive "’s": one
# closes a quoted address ("“https://example.org/report”") or follows it
# ("https://example.org/page’s"), and linkify-it took it into the link. One
# inside a word stays: an IRI may hold it (".../wiki/Rock’n’roll").
_QUOTES = "\u2018\u2019\u201a\u201b\u201c\u201d\u201e\u201f\u00ab\u00bb\u2039\u203a"
_NOT_IN_URL = re.compile(f"(?:[{_QUOTES}]|\u2019s)(?!\\w)")
# Punctuation that ends a sentence or a clause after a URL; linkify-it leaves
# out most of it, but not a colon ("at https://example.org/data: both free").
_AFTER_URL = ".,:;!?"


def _web_links(text: str) -> Iterator[tuple[int, int, str]]:
    # linkify-it's matcher is one large regular expression: most paragraphs
    # hold no URL at all, and this test is a hundred times cheaper.
    if "://" not in text:
        return
    for match in _linkify.match(text) or ():
        if match.schema not in _WEB_SCHEMES:
            continue
        found = text[match.index : match.last_index]
        end = _NOT_IN_URL.search(found)
        kept = (found[: end.start()] if end else found).rstrip(_AFTER_URL)
        if kept == found:
            yield match.index, match.last_index, match.url
        else:
            yield match.index, match.index + len(kept), kept


def _handle_links(text: str, handle_url: str) -> Iterator[tuple[int, int, str]]:
    for match in _HANDLE.finditer(text):
        user, host = match.group("user"), match.group("host")
        if host:
            yield match.start(), match.end(), f"https://{host}/@{user}"
        elif _SHORT_HANDLE.fullmatch(user):
            yield match.start(), match.end(), handle_url.format(handle=user)
        # A dotted name without a host ("@a.b") is no handle: left as text.


def link_spans(text: str, handle_url: str | None = None) -> list[tuple[int, int, str]]:
    """Non-overlapping (start, end, href) spans to link, in text order.

    URLs always; @handles only when `handle_url` (a pattern with `{handle}`)
    is given. A URL wins over a handle inside it.
    """
    spans = list(_web_links(text))
    if handle_url:
        taken = [(start, end) for start, end, _ in spans]
        spans += [
            span
            for span in _handle_links(text, handle_url)
            if not any(start < span[1] and span[0] < end for start, end in taken)
        ]
    return sorted(spans)


# Characters a URL may not hold unencoded (RFC 3986) and that Python-Markdown
# would act on inside a raw tag before it sees the tag as HTML (code spans,
# escapes, links, autolinks, tables, attribute lists): percent-encoded in href.
_HREF_UNSAFE = str.maketrans({char: f"%{ord(char):02X}" for char in '`\\[]<>|{}^" '})


def safe_href(url: str) -> str:
    """The attribute value for a link to `url`: nothing in it can end the
    attribute or be read as Markdown."""
    return html.escape(url.translate(_HREF_UNSAFE), quote=True)


def render(text: str, escape, handle_url: str | None = None) -> str:
    """`text` escaped by `escape`, with its links as `<a href>` tags."""
    out = []
    position = 0
    for start, end, href in link_spans(text, handle_url):
        out.append(escape(text[position:start]))
        out.append(f'<a href="{safe_href(href)}">')
        out.append(escape(text[start:end]))
        out.append("</a>")
        position = end
    out.append(escape(text[position:]))
    return "".join(out)
