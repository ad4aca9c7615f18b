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
through Markdown's meta extension.
"""

from __future__ import annotations

from typing import Any

from markdown import Markdown
from markdown.preprocessors import Preprocessor
from pelican.readers import MarkdownReader
from pelican.utils import pelican_open

from . import paragraphs


class _NoMeta(Preprocessor):
    """Stands where the meta extension was in the fields' instance: Pelican
    takes "meta" out of it before each field it converts."""

    def run(self, lines: list[str]) -> list[str]:
        return lines


class KeptMarkdownReader(MarkdownReader):
    """MarkdownReader, converting with two kept Markdown instances."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._posts: Markdown | None = None
        self._fields: Markdown | None = None
        self._plain = paragraphs.leaves_plain_paragraphs(self.settings["MARKDOWN"])

    def read(self, source_path):
        """Pelican's MarkdownReader.read, with the kept instance."""
        self._source_path = source_path
        if self._posts is None:
            self._posts = Markdown(**self.settings["MARKDOWN"])
            self._fields = Markdown(**self.settings["MARKDOWN"])
        posts = self._posts.reset()
        with pelican_open(source_path) as text:
            content = paragraphs.post(posts, text) if self._plain else None
            if content is None:
                content = posts.reset().convert(text)
        meta = getattr(posts, "Meta", None)
        return content, {} if meta is None else self._parse_metadata(meta)

    def _parse_metadata(self, meta):
        fields = self._fields
        if "meta" not in fields.preprocessors:
            fields.preprocessors.register(_NoMeta(fields), "meta", 0)
        self._md = fields
        return super()._parse_metadata(meta)


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
