"""What Pagefind reads of a story's page, as a page of its own.

Pagefind parses every byte of a page it indexes, though with
`data-pagefind-body` it indexes that element alone. A story's page is twice
its indexed part (the head's metadata, JSON-LD, menus, "read next"), and a
half-year of 1,680 of this theme's pages took Pagefind 4.6-5.0 s of user
CPU, the same pages cut to their indexed part 3.9-4.05 s, for a
byte-identical bundle (`pagefind` 1.5.2 by hand, one session). So each
bundle's folder holds such documents (search.py).

What else of a page Pagefind reads (its fossick/parser.rs): the `lang` of
`<html>`; the first `<h1>` of the whole page, else its first `<title>`, as
the result's title; the first `<img>` after that `<h1>` as its image; every
`data-pagefind-*` attribute anywhere (meta, filters, sorting); and of the
elements around the indexed one, their own text after it, and a full stop
or a weight their end adds (a `<div>`'s, an `<h2>`'s). A document keeps the
`<html>` tag and the `<title>`; a page with any of the others, or whose
markup this cannot follow by its tags alone (a comment, a script inside the
indexed element, an end tag left open), is its own document, whole.
"""

from __future__ import annotations

import re

_BODY = b"data-pagefind-body"
# Anywhere but inside the indexed element, any of these changes what Pagefind
# makes of a page.
_READ_OUTSIDE = (b"data-pagefind", b"<h1", b"<img")
# Comments, CDATA and declarations: markup whose end this cannot find by
# counting tags (a comment may hold one). Inside the indexed element,
# elements of raw text too, and a quoted value holding a tag's start.
_BOGUS = b"<!"
# Three expressions, each searched alone: as one alternation they took 55 µs
# a story, 5 µs each alone.
_OPAQUE = (
    re.compile(
        rb"<(?:script|style|textarea|title|xmp|iframe|noembed|noframes|noscript|plaintext"
        rb"|template)"
    ),
    re.compile(rb'=\s*"[^"<]*<'),
    re.compile(rb"=\s*'[^'<]*<"),
)
# A tag, its quoted values whole.
_ATTRIBUTES = rb"""[^>"']*(?:(?:"[^"]*"|'[^']*')[^>"']*)*"""  # unrolled: 3x faster
_NAME = re.compile(rb"<([a-z][a-z0-9-]*)")
_HTML = re.compile(rb"<html(?=[\s>])" + _ATTRIBUTES + rb">")
_TITLE = re.compile(rb"<title(?=[\s>])" + _ATTRIBUTES + rb">.*?</title\s*>", re.DOTALL)
# Pagefind's SENTENCE_SELECTORS: an element of these ends its text with a
# space, so that the elements around it add no full stop.
_SENTENCE = frozenset(b"h1 h2 h3 h4 h5 h6 p td div ul li article section".split())
# Around the indexed element, headings would weigh it; the others hold no
# markup (raw text: the attribute was text there) or other markup (SVG,
# MathML), or are no place for a story at all. (Around it, the elements
# Pagefind leaves out, <nav>, <footer> and the like, do not leave it out.)
_NOT_AROUND = frozenset(
    b"h1 h2 h3 h4 h5 h6 script style textarea title xmp iframe noembed noframes noscript "
    b"plaintext head svg math template".split()
)
# Elements of raw text (whose content is no markup), taken out of the markup
# around the indexed element before its tags are followed.
_RAW = re.compile(
    rb"<(script|style|textarea|title|xmp|iframe|noembed|noframes|noscript)(?=[\s/>])"
    + _ATTRIBUTES
    + rb">.*?</\1\s*>",
    re.DOTALL,
)
_VOID = frozenset(b"area base br col embed hr img input link meta param source track wbr".split())
# re.split by it gives [text, "/" or "", name, text, ...] (a tag's quoted
# value holding a ">" leaves text behind: it sends the page whole, or stays
# inside an element around it).
_TAG = re.compile(rb"<(/?)([a-z][a-z0-9-]*)[^>]*>")


def document(page: bytes) -> bytes:
    """The document Pagefind indexes alike (see the module): the page's
    `<html>` tag, `<title>` and indexed element, else the page itself."""
    low = page.lower()  # ASCII only: the offsets stay the page's
    found = _indexed(low)
    if found is None or not _alone(low, *found):
        return page
    start, end = found
    html = _HTML.search(low, 0, start)
    title = _TITLE.search(low, 0, start)
    if html is None or (title and low.find(b"<script", 0, title.start()) >= 0):
        return page
    head = page[title.start() : title.end()] if title else b""
    return b"".join(
        [
            b"<!DOCTYPE html>\n",
            page[html.start() : html.end()],
            b'<head><meta charset="utf-8">',
            head,
            b"</head><body>",
            page[start:end],
            b"</body></html>\n",
        ]
    )


def _indexed(low: bytes) -> tuple[int, int] | None:
    """Where the one element with `data-pagefind-body` starts and ends, when
    it is of those that end their text with a space (_SENTENCE)."""
    at = low.find(_BODY)
    if at < 0 or low.find(_BODY, at + len(_BODY)) >= 0:
        return None
    start = low.rfind(b"<", 0, at)
    if not _an_attribute(low, start, at):
        return None
    name = _NAME.match(low, start)
    if name is None or name.group(1) not in _SENTENCE:
        return None
    end = _end(low, start, name.group(1))
    return None if end is None else (start, end)


def _alone(low: bytes, start: int, end: int) -> bool:
    """Whether Pagefind reads nothing of the page around the indexed element
    but its `<html>` tag and `<title>` (see the module)."""
    # Each marker by bytes.find: a regular expression of the three took 50 µs a page.
    if (
        low.find(_BOGUS, 1) >= 0  # from 1: after <!DOCTYPE>
        or any(opaque.search(low, start, end) for opaque in _OPAQUE)
        or any(
            low.find(marker, 0, start) >= 0 or low.find(marker, end) >= 0
            for marker in _READ_OUTSIDE
        )
        or low.find(b"<html", start) >= 0
        or low.find(b"<title", end) >= 0
    ):
        return False
    around = _around(low, start)
    return around is not None and _NOT_AROUND.isdisjoint(around) and _closed(low[end:], around)


def _around(low: bytes, start: int) -> list[bytes] | None:
    """The names of the elements the indexed one (at `start`) is inside;
    None when the tags before it do not nest."""
    head = low.find(b"</head")
    if head > start:
        return None
    # From the head's end tag on, inside <html> (the page has one: `document`).
    opened: list[bytes] = [b"html"] if head >= 0 else []
    parts = _TAG.split(_RAW.sub(b"", low[low.find(b">", head) + 1 if head >= 0 else 0 : start]))
    for index in range(1, len(parts), 3):
        closing, name = parts[index], parts[index + 1]
        if not closing:
            if name not in _VOID:
                opened.append(name)
        elif opened and opened[-1] == name:
            opened.pop()
        else:
            return None
    return opened


def _closed(after: bytes, around: list[bytes]) -> bool:
    """Whether what follows the indexed element is whole elements and the
    end tags of those `around` it, with no text of theirs but white space
    (Pagefind reads such text with the indexed element's)."""
    around, inside = list(around), []
    parts = _TAG.split(_RAW.sub(b"", after))
    for index in range(0, len(parts) - 1, 3):
        if not inside and parts[index].strip():
            return False
        closing, name = parts[index + 1], parts[index + 2]
        if not closing:
            if name not in _VOID:
                inside.append(name)
        elif inside:
            if inside.pop() != name:
                return False
        elif around and around[-1] == name:
            around.pop()
        else:
            return False
    return not inside and not parts[-1].strip()


def _an_attribute(low: bytes, start: int, at: int) -> bool:
    """Whether the marker at `at` is an attribute's name in the tag opened
    at `start`: not text, nor in another attribute's value."""
    tag = low[start:at]
    after = low[at + len(_BODY) : at + len(_BODY) + 1]
    return (
        start >= 0
        and b">" not in tag
        and tag[-1:].isspace()
        and (after.isspace() or after in (b"=", b">", b"/"))
        and not _quoted_gt(tag)
    )


def _end(low: bytes, start: int, name: bytes) -> int | None:
    """Where the element opened at `start` ends (after its end tag), counting
    the elements of its name opened and closed inside it (a quoted value
    holding a tag's start has sent the page whole before: `_OPAQUE`)."""
    tags = re.compile(rb"<(/?)" + re.escape(name) + rb"(?=[\s/>])" + _ATTRIBUTES + rb">")
    depth = 0
    for tag in tags.finditer(low, start):
        depth += -1 if tag.group(1) else 1
        if depth == 0:
            return tag.end()
    return None


def _quoted_gt(tag: bytes) -> bool:
    """Whether a tag, as far as it was read, is inside a quoted value (an odd
    count of either quote)."""
    return tag.count(b'"') % 2 == 1 or tag.count(b"'") % 2 == 1
