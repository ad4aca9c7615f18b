"""Pelican's Markdown reader, with its Markdown made once per process.

Pelican makes a new Markdown instance (every extension set up again) for each
post it reads: half a millisecond of the 4 ms a post takes, 5 s of CPU in a
cold build of 10,000 stories. Python-Markdown is made to convert many
documents with one instance, reset between them, and this reader does so:
one instance for the posts, and one for the formatted metadata fields (the
summary), which Pelican converts with the meta extension taken out.
"""

from __future__ import annotations

from markdown import Markdown
from markdown.preprocessors import Preprocessor
from pelican.readers import MarkdownReader
from pelican.utils import pelican_open


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

    def read(self, source_path):
        """Pelican's MarkdownReader.read, with the kept instance."""
        self._source_path = source_path
        if self._posts is None:
            self._posts = Markdown(**self.settings["MARKDOWN"])
            self._fields = Markdown(**self.settings["MARKDOWN"])
        posts = self._posts.reset()
        with pelican_open(source_path) as text:
            content = posts.convert(text)
        meta = getattr(posts, "Meta", None)
        return content, {} if meta is None else self._parse_metadata(meta)

    def _parse_metadata(self, meta):
        fields = self._fields
        if "meta" not in fields.preprocessors:
            fields.preprocessors.register(_NoMeta(fields), "meta", 0)
        self._md = fields
        return super()._parse_metadata(meta)


def keep_markdown(readers) -> None:
    """Pelican's readers_init: Pelican's own Markdown reader, where it is the
    one in use, becomes KeptMarkdownReader (a reader set in READERS is left)."""
    for extension, reader in readers.reader_classes.items():
        if reader is MarkdownReader:
            readers.reader_classes[extension] = KeptMarkdownReader
