"""Pelican's Markdown reader, with its Markdown made once per process.

Pelican makes a new Markdown instance (every extension set up again) for each
post it reads: half a millisecond of the 4 ms a post takes, 5 s of CPU in a
cold build of 10,000 stories. Python-Markdown is made to convert many
documents with one instance, reset between them, and this reader does so:
one instance for the posts, and one for the formatted metadata fields (the
summary), which Pelican converts with the meta extension taken out.

Only for the extensions Python-Markdown ships whose reset leaves nothing of
the document before (`RESETS_CLEANLY`), named (not given as objects, which
both instances would share), and without footnotes' UNIQUE_IDS (each reset
numbers them anew): anything else is read with Pelican's own reader.

A body of plain paragraphs (a converted seed's, in general) is rendered by
paragraphs.py as Python-Markdown would render it, and only the header goes
through Markdown's meta extension; so is a formatted field (the summary) of
one plain paragraph. A date in the form the converter writes
(2025-03-01T09:30:00+01:00) is read without dateutil (`iso_date`): at 10,000
posts, Markdown's conversion of each summary and dateutil's parse of each
date and modified took 2.0 and 1.8 s of a cold build's CPU.
"""

from __future__ import annotations

import re
import time
from datetime import tzinfo
from typing import Any

from dateutil import tz
from markdown import Markdown
from markdown.preprocessors import Preprocessor
from pelican.readers import METADATA_PROCESSORS, MarkdownReader
from pelican.utils import SafeDatetime, pelican_open

from . import paragraphs


class _NoMeta(Preprocessor):
    """Stands where the meta extension was in the fields' instance: Pelican
    takes "meta" out of it before each field it converts."""

    def run(self, lines: list[str]) -> list[str]:
        return lines


class _Fields:
    """The fields' Markdown instance as Pelican's _parse_metadata uses it
    (reset, then convert): a field of plain paragraphs is rendered by
    paragraphs.py."""

    def __init__(self, markdown: Markdown, plain: bool):
        self.markdown, self.plain = markdown, plain

    @property
    def preprocessors(self):
        return self.markdown.preprocessors

    def reset(self) -> _Fields:
        self.markdown.reset()
        return self

    def convert(self, text: str) -> str:
        html = paragraphs.render(text) if self.plain else None
        return self.markdown.convert(text) if html is None else html


class KeptMarkdownReader(MarkdownReader):
    """MarkdownReader, converting with two kept Markdown instances."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._posts: Markdown | None = None
        self._fields: _Fields | None = None
        self._plain = paragraphs.leaves_plain_paragraphs(self.settings["MARKDOWN"])

    def read(self, source_path):
        """Pelican's MarkdownReader.read, with the kept instance."""
        self._source_path = source_path
        if self._posts is None:
            self._posts = Markdown(**self.settings["MARKDOWN"])
            self._fields = _Fields(Markdown(**self.settings["MARKDOWN"]), self._plain)
        posts = self._posts.reset()
        with pelican_open(source_path) as text:
            content = paragraphs.post(posts, text) if self._plain else None
            if content is None:
                content = posts.reset().convert(text)
        meta = getattr(posts, "Meta", None)
        return content, {} if meta is None else self._parse_metadata(meta)

    def _parse_metadata(self, meta):
        fields = self._fields.markdown
        if "meta" not in fields.preprocessors:
            fields.preprocessors.register(_NoMeta(fields), "meta", 0)
        self._md = self._fields
        return super()._parse_metadata(meta)

    def process_metadata(self, name, value):
        """Pelican's, but for a date the converter wrote, read as Pelican's
        own processor reads it (while it is the one in use: a plugin may
        replace it)."""
        if name in _DATES and isinstance(value, str) and _pelicans(METADATA_PROCESSORS.get(name)):
            found = iso_date(value)
            if found is not None:
                return found
        return super().process_metadata(name, value)


_DATES = frozenset({"date", "modified"})


def _pelicans(processor) -> bool:
    """Whether a metadata processor is Pelican's own (made in its readers)."""
    return getattr(processor, "__module__", None) == "pelican.readers"


# The converter's dates (datetime.isoformat of an aware time, in seconds).
_ISO = re.compile(r"(\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d)([+-])(\d\d):(\d\d)")


def iso_date(text: str) -> SafeDatetime | None:
    """The date pelican.utils.get_date (dateutil's parse) makes of `text`,
    the same value with the same kind of time zone; None for any other form
    of date, and for +00:00 where the local zone is named UTC at some dates
    only (`_zone`)."""
    match = _ISO.fullmatch(text)
    if match is None:
        return None
    *fields, sign, hours, minutes = match.groups()
    offset = (int(hours) * 3600 + int(minutes) * 60) * (-1 if sign == "-" else 1)
    zone = _zone(offset) if abs(offset) < 86400 else None
    if zone is None:
        return None
    try:
        return SafeDatetime(*map(int, fields), tzinfo=zone)
    except ValueError:  # no such day: get_date says so
        return None


def _zone(offset: int) -> tzinfo | None:
    """The time zone dateutil gives a date with this offset: its tzoffset;
    for +00:00, which it names "UTC", the local zone where the local zone
    bears that name (always, on a machine set to UTC), else its UTC."""
    if offset:
        return tz.tzoffset(None, offset)
    if "UTC" not in time.tzname:
        return tz.UTC
    if set(time.tzname) == {"UTC"}:
        return tz.tzlocal()
    return None  # a zone named UTC only at some dates: dateutil decides


RESETS_CLEANLY = frozenset(
    {
        "abbr",
        "admonition",
        "attr_list",
        "codehilite",
        "def_list",
        "extra",
        "fenced_code",
        "footnotes",
        "legacy_attrs",
        "legacy_em",
        "md_in_html",
        "meta",
        "nl2br",
        "sane_lists",
        "smarty",
        "tables",
        "toc",
        "wikilinks",
    }
)


def resets_cleanly(markdown_settings: dict[str, Any]) -> bool:
    """Whether Markdown made with these settings converts one post after
    another as a new instance would."""
    configs = markdown_settings.get("extension_configs") or {}
    return all(
        isinstance(name, str) and name.removeprefix("markdown.extensions.") in RESETS_CLEANLY
        for name in paragraphs.extensions(markdown_settings)
    ) and not _numbers_footnotes(configs)


def _numbers_footnotes(value: Any) -> bool:
    """Whether footnotes' UNIQUE_IDS is on anywhere in the configs."""
    if isinstance(value, dict):
        return any(
            (key == "UNIQUE_IDS" and bool(item)) or _numbers_footnotes(item)
            for key, item in value.items()
        )
    return isinstance(value, list | tuple) and any(map(_numbers_footnotes, value))


def keep_markdown(readers) -> None:
    """Pelican's readers_init: Pelican's own Markdown reader, where it is the
    one in use and its settings reset cleanly, becomes KeptMarkdownReader (a
    reader set in READERS is left)."""
    if not resets_cleanly(readers.settings["MARKDOWN"]):
        return
    for extension, reader in readers.reader_classes.items():
        if reader is MarkdownReader:
            readers.reader_classes[extension] = KeptMarkdownReader
