"""A `Seed` and its ledger entry become the text of one Markdown post.

Each header field is escaped for how Pelican uses it: `Summary` is rendered as
Markdown, so it gets Markdown escaping; `Title`, `Subtitle`, `Authors` and `Bio`
are used as HTML by templates, so they are HTML-escaped text (Bio with its
links). The body is Markdown, one escaped paragraph per seed paragraph.
"""

from __future__ import annotations

import math

from .ledger import Entry
from .markup import escape_html, html_text, markdown_paragraph
from .seed import Seed

# Bump when the rendering below changes: posts written by an older converter are
# then rewritten (unless edited by hand).
CONVERTER_VERSION = 1
WORDS_PER_MINUTE = 230


def reading_minutes(words: int) -> int:
    """Whole minutes to read `words`, at least one."""
    return max(1, math.ceil(words / WORDS_PER_MINUTE))


def render_post(seed: Seed, entry: Entry, section: str, handle_url: str) -> str:
    """The post file's text: a metadata header, a blank line, the body."""
    header: list[tuple[str, str]] = [("Title", escape_html(seed.title))]
    if seed.subtitle:
        header += [
            ("Subtitle", escape_html(seed.subtitle)),
            ("Summary", markdown_paragraph(seed.subtitle)),
        ]
    if seed.authors:
        # Pelican splits Authors on commas; names never hold one (see seed.py).
        header.append(("Authors", ", ".join(escape_html(a) for a in seed.authors)))
    header += [
        ("Date", entry.published),
        ("Modified", entry.updated),
        ("Slug", entry.slug),
        ("Category", escape_html(section)),
        ("Story_Id", entry.id),
        ("Seed", entry.seed),
        ("Seed_Hash", entry.seed_hash),
        ("Words", str(seed.words)),
        ("Reading_Time", str(reading_minutes(seed.words))),
    ]
    if seed.bio:
        header.append(("Bio", html_text(seed.bio, handle_url)))
        owner = seed.bio_owner()
        if owner:
            header.append(("Bio_Author", escape_html(owner)))
    lines = [f"{key}: {value}" for key, value in header]
    # The blank line ends the header: without it a body line like "Key: value"
    # would be read as metadata.
    body = [markdown_paragraph(paragraph) for paragraph in seed.paragraphs]
    return "\n".join(lines) + "\n\n" + "\n\n".join(body) + "\n"
