"""A `Seed` and its ledger entry become the text of one Markdown post.

Each header field is escaped for how Pelican uses it: `Summary` is rendered as
Markdown, so it gets Markdown escaping; `Title`, `Subtitle`, `Authors` and `Bio`
are used as HTML by templates, so they are HTML-escaped text (Bio with its
links). The body is Markdown, one escaped paragraph per seed paragraph (one with
many characters to escape as an HTML paragraph: markup.body_paragraph).
"""

from __future__ import annotations

import math

from .ledger import Entry
from .markup import body_paragraph, escape_html, html_text, markdown_paragraph
from .seed import Seed

# Bump when the rendering below changes: posts written by an older converter are
# then rewritten (unless edited by hand).
# 2, 3: a paragraph with many characters to escape (3: links too) is HTML;
# 4: a URL ends before a typographic quotation mark that ends a word, a
# possessive "’s" and a final colon, and a bio that begins with an author's
# first name, then another capitalised name, is no one's; 5: a URL in the dek
# is not linked in the summary (it is plain text on the page), a dek is one
# when the body follows a byline in the middle, a generational suffix ("King,
# Jr.") stays with its name, and a line under the byline that begins with
# "and" goes on with it unless it reads as a sentence; 6: "By", "with", a job
# title after a comma and a final stop leave the names, credentials stay with
# theirs, notes after the byline are text, and wire copy's story after a byline
# on top is no bio.
CONVERTER_VERSION = 6
WORDS_PER_MINUTE = 230


def reading_minutes(words: int) -> int:
    """Whole minutes to read `words`, at least one."""
    return max(1, math.ceil(words / WORDS_PER_MINUTE))


def render_post(
    seed: Seed, entry: Entry, section: str, handle_url: str, smart: bool = False
) -> str:
    """The post file's text: a metadata header, a blank line, the body
    (`smart`: for Markdown with the smarty extension, markup.smartens)."""
    header: list[tuple[str, str]] = [("Title", escape_html(seed.title))]
    words = seed.words  # counted over the whole text: once
    if seed.subtitle:
        header += [
            ("Subtitle", escape_html(seed.subtitle)),
            # Not linked: the page, the feeds' content and JSON Feed show the
            # dek as plain text (Subtitle), and the summary is the same dek.
            ("Summary", markdown_paragraph(seed.subtitle, smart=smart, linked=False)),
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
        ("Words", str(words)),
        ("Reading_Time", str(reading_minutes(words))),
    ]
    if seed.bio:
        header.append(("Bio", html_text(seed.bio, handle_url)))
        owner = seed.bio_owner()
        if owner:
            header.append(("Bio_Author", escape_html(owner)))
    lines = [f"{key}: {value}" for key, value in header]
    # The blank line ends the header: without it a body line like "Key: value"
    # would be read as metadata.
    body = [body_paragraph(paragraph, smart) for paragraph in seed.paragraphs]
    return "\n".join(lines) + "\n\n" + "\n\n".join(body) + "\n"


REQUIRED = ("title", "date", "slug", "story_id")


def damage(text: str, story_id: str, slug: str) -> list[str]:
    """What makes a generated post unusable: a mangled header, a cut body.

    A post edited by hand is fine as long as these hold; a body with less than
    half the words its header counts was most likely truncated.
    """
    header, blank, body = text.partition("\n\n")
    fields: dict[str, str] = {}
    # Lines end at \n alone, as Pelican's Markdown reads them: str.splitlines()
    # also splits at U+2028 and the like, characters of a seed's text, and a
    # bio holding "\u2028Slug: x" passed for a wrong Slug field.
    for line in header.split("\n"):
        key, colon, value = line.partition(":")
        if colon and key.strip():
            fields[key.strip().lower()] = value.strip()
    problems = [f"no {key.title()}: line in the header" for key in REQUIRED if key not in fields]
    if fields.get("story_id", story_id) != story_id:
        problems.append(f"Story_Id {fields['story_id']!r} is not the ledger's {story_id!r}")
    if fields.get("slug", slug) != slug:
        problems.append(f"Slug {fields['slug']!r} is not the ledger's {slug!r}")
    # Words counts the dek (the Summary) and the body.
    words = len(body.split()) + len(fields.get("summary", "").split())
    expected = int(fields.get("words", "0") or 0) if fields.get("words", "").isdigit() else 0
    if not blank or not body.strip():
        problems.append("no body after the header")
    elif expected and words < expected // 2:
        problems.append(f"body has {words} words, the header counts {expected}: truncated?")
    return problems
