"""The slugs of the stories written by hand in content/, which a new story
must not take: it would be written to the same page, and as the ledger keeps
a slug forever, the build would fail from then on.

Only the files Pelican reads as articles (ARTICLE_PATHS, less IGNORE_FILES,
ARTICLE_EXCLUDES and PAGE_PATHS). A Markdown post's header is read as
Python-Markdown's meta extension reads it (a byte-order mark, `---` fences,
indented continuation lines), without rendering its body: a site with
thousands of posts written by hand converts each new seed in a fraction of a
second. Any other format is read by Pelican's own reader.
"""

from __future__ import annotations

import copy
import fnmatch
import os
import re
from collections.abc import Iterator, Mapping
from typing import Any

MARKDOWN = {"md", "markdown", "mkd", "mdown"}
# Python-Markdown's meta extension: a field, its continuation, the fences.
_FIELD = re.compile(r"^[ ]{0,3}([A-Za-z0-9_-]+):\s*(.*)$")
_MORE = re.compile(r"^[ ]{4,}(.*)$")
_FENCE = re.compile(r"^(-{3}|\.{3})(\s.*)?$")


def slugs(content_dir: str, settings: Mapping[str, Any], generated: set[str]) -> set[str]:
    """The slugs of the hand-written stories under `content_dir`, skipping
    the files named in `generated` (relative paths: Seedpress's own posts)."""
    readers = None
    found = set()
    for relative in _articles(content_dir, settings):
        if relative in generated:
            continue
        extension = relative.rsplit(".", 1)[-1].lower()
        path = os.path.join(content_dir, relative)
        if extension in MARKDOWN:
            slug = _markdown_slug(path, settings)
        else:
            if readers is None:  # only for a site with posts in other formats
                from pelican.contents import Article

                readers = _readers(settings)
            if extension not in readers.extensions:
                continue
            try:
                slug = readers.read_file(content_dir, relative, content_class=Article).slug
            except Exception:  # one Pelican cannot read is never published: Pelican says why
                continue
        if slug:
            found.add(slug)
    return found


def _readers(settings: Mapping[str, Any]):
    """Pelican's readers, given a copy of what its Markdown reader writes into
    (MARKDOWN["extensions"]): the settings name the kept articles' cache."""
    from pelican.readers import Readers

    return Readers({**settings, "MARKDOWN": copy.deepcopy(settings.get("MARKDOWN", {}))})


def _articles(content_dir: str, settings: Mapping[str, Any]) -> Iterator[str]:
    """The relative paths Pelican looks at for articles, as its get_files."""
    ignored = settings.get("IGNORE_FILES", ())
    excluded = [
        os.path.normpath(path)
        for path in (*settings.get("ARTICLE_EXCLUDES", ()), *settings.get("PAGE_PATHS", ()))
    ]
    for top in settings.get("ARTICLE_PATHS", [""]):
        for root, folders, files in os.walk(os.path.join(content_dir, top)):
            relative_root = os.path.relpath(root, content_dir)
            folders[:] = [
                folder
                for folder in folders
                if not any(fnmatch.fnmatch(folder, pattern) for pattern in ignored)
                and os.path.normpath(os.path.join(relative_root, folder)) not in excluded
            ]
            for name in files:
                if not any(fnmatch.fnmatch(name, pattern) for pattern in ignored):
                    yield os.path.normpath(os.path.join(relative_root, name))


def _markdown_slug(path: str, settings: Mapping[str, Any]) -> str | None:
    """A Markdown post's slug: its Slug: field, else Pelican's slug of its
    title (or of its file name, SLUGIFY_SOURCE = "basename")."""
    from pelican.utils import slugify

    try:
        fields = _header(path)
    except OSError:
        return None  # Pelican cannot read it either
    if fields.get("slug"):
        return fields["slug"]
    source = settings.get("SLUGIFY_SOURCE", "title")
    if source == "basename":
        value = os.path.splitext(os.path.basename(path))[0]
    else:
        value = fields.get("title")
    if not value:
        return None
    return slugify(
        value,
        regex_subs=settings.get("SLUG_REGEX_SUBSTITUTIONS", ()),
        preserve_case=settings.get("SLUGIFY_PRESERVE_CASE", False),
        use_unicode=settings.get("SLUGIFY_USE_UNICODE", False),
    )


def _header(path: str) -> dict[str, str]:
    """The header fields, by lower-case name, as Python-Markdown's meta reads them."""
    fields: dict[str, str] = {}
    key = None
    with open(path, encoding="utf-8-sig", errors="replace") as post:
        for number, read in enumerate(post):
            line = read.rstrip("\r\n")
            if number == 0 and line.startswith("---") and _FENCE.match(line):
                continue  # an opening fence
            if not line.strip() or (number and _FENCE.match(line)):
                break
            field, more = _FIELD.match(line), _MORE.match(line)
            if field:
                key = field.group(1).lower()
                fields[key] = field.group(2).strip()
            elif more and key:
                fields[key] = f"{fields[key]} {more.group(1).strip()}".strip()
            else:
                break
    return fields
