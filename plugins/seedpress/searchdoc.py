"""What Pagefind reads of a story's page, as a page of its own.

Pagefind parses every byte of a page it indexes, though with
`data-pagefind-body` it indexes that element alone. A story's page is twice
its indexed part (the head's metadata, JSON-LD, menus, "read next"), and a
half-year of 1,680 of this theme's pages took Pagefind 4.6-5.0 s of user
CPU, the same pages cut to their indexed part 3.9-4.05 s, for a
byte-identical bundle (`pagefind` 1.5.2 by hand, one session). So each
bundle's folder holds such documents (search.py).

What else of a page Pagefind reads (its fossick/parser.rs): the `lang` of
`<html>`; the first `<h1>` of the whole page, else its `<title>`, as the
result's title; the first `<img>` after that `<h1>` as its image; and every
`data-pagefind-*` attribute anywhere (meta, filters, sorting). A document
keeps the `<html>` tag and the `<title>`; a page with any of the others
outside its indexed part, or whose indexed part this cannot cut out by its
tags alone (two of them, a comment or a script inside, which may hide a
tag), is its own document, whole.
"""

from __future__ import annotations

import re

_BODY = b"data-pagefind-body"
# Outside the indexed part, any of these changes what Pagefind makes of a page.
_READ_OUTSIDE = (b"data-pagefind", b"<h1", b"<img")
# Inside it, text where a tag's name is not a tag: its end cannot be found by
# counting tags.
_OPAQUE = re.compile(
    rb"<(?:!--|!\[cdata\[|script|style|textarea|title|xmp|iframe|noembed|noframes"
    rb"|noscript|plaintext|template)"
)
_NAME = re.compile(rb"<([a-z][a-z0-9-]*)")
_HTML = re.compile(rb"<html(?=[\s>])[^>]*>")
_TITLE = re.compile(rb"<title(?=[\s>])[^>]*>.*?</title\s*>", re.DOTALL)


def document(page: bytes) -> bytes:
    """The document Pagefind indexes alike (see the module): the page's
    `<html>` tag, `<title>` and indexed element, else the page itself."""
    low = page.lower()  # ASCII only: the offsets stay the page's
    at = low.find(_BODY)
    if at < 0 or low.find(_BODY, at + len(_BODY)) >= 0:
        return page
    start = low.rfind(b"<", 0, at)
    if not _an_attribute(low, start, at):
        return page
    name = _NAME.match(low, start)
    end = _end(low, start, name.group(1)) if name else None
    if end is None:
        return page
    # Each marker by bytes.find: a regular expression of the three took 50 µs a page.
    if _OPAQUE.search(low, start, end) or any(
        low.find(marker, 0, start) >= 0 or low.find(marker, end) >= 0 for marker in _READ_OUTSIDE
    ):
        return page
    html = _HTML.search(low, 0, start)
    title = _TITLE.search(low, 0, start)
    if html is None or _quoted_gt(html.group(0)):
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
    the elements of its name opened and closed inside it."""
    tags = re.compile(rb"<(/?)" + re.escape(name) + rb"(?=[\s/>])")
    depth = 0
    for tag in tags.finditer(low, start):
        depth += -1 if tag.group(1) else 1
        if depth == 0:
            close = low.find(b">", tag.end())
            return None if close < 0 else close + 1
    return None


def _quoted_gt(tag: bytes) -> bool:
    """Whether a tag, as far as it was read, is inside a quoted value (an odd
    count of either quote): an `<html>` tag matched up to a `>` in a value
    was cut short there."""
    return tag.count(b'"') % 2 == 1 or tag.count(b"'") % 2 == 1
