"""The Markdown reader that keeps its Markdown instances (reader.py) reads
every post as Pelican's own reader does, whatever the posts before it held."""

from __future__ import annotations

import contextlib
import os
import time
from datetime import datetime
from pathlib import Path

import pytest
from conftest import ROOT
from hypothesis import given, settings
from hypothesis import strategies as st

POSTS = {
    "footnotes.md": (
        "Title: Notes\nDate: 2026-01-02\nSummary: A *short* summary[^s].\n\n"
        "Body with a note[^1].\n\n[^1]: The note.\n[^s]: A summary note.\n"
    ),
    "plain.md": "Title: Plain\nDate: 2026-01-03\n\nNo notes here.\n\nAuthor: not metadata\n",
    "abbreviations.md": (
        "Title: Abbreviations\nDate: 2026-01-04\nTags: a, b\n\n"
        "The HTML spec.\n\n*[HTML]: Hyper Text Markup Language\n"
    ),
    "table.md": (
        "Title: Table\nDate: 2026-01-05\nSummary: Plain summary\n\n"
        "| a | b |\n|---|---|\n| 1 | 2 |\n\n```python\nprint('x')\n```\n"
    ),
    "after-abbreviations.md": "Title: After\nDate: 2026-01-06\n\nThe HTML again, unexplained.\n",
}


def _read_all(reader_class, folder: Path, settings) -> list[tuple]:
    reader = reader_class(settings)
    found = []
    for name in [*POSTS, "footnotes.md", "plain.md"]:  # read again, after the others
        content, metadata = reader.read(str(folder / name))
        found.append((name, content, {k: str(v) for k, v in metadata.items()}))
    for post in sorted((ROOT / "content" / "posts").glob("*.md"))[:5]:
        content, metadata = reader.read(str(post))
        found.append((post.name, content, {k: str(v) for k, v in metadata.items()}))
    return found


def test_kept_instances_read_as_pelicans_reader_does(tmp_path, site):
    from pelican.readers import MarkdownReader

    from seedpress.reader import KeptMarkdownReader

    for name, text in POSTS.items():
        (tmp_path / name).write_text(text)
    settings = site.settings()
    kept = _read_all(KeptMarkdownReader, tmp_path, settings)
    assert kept == _read_all(MarkdownReader, tmp_path, settings)
    by_name = {name: (content, metadata) for name, content, metadata in kept}
    assert "The note." in by_name["footnotes.md"][0]
    assert "The note." not in by_name["plain.md"][0]
    assert "<abbr" not in by_name["after-abbreviations.md"][0]
    assert "<em>short</em>" in by_name["footnotes.md"][1]["summary"]


def test_a_build_reads_with_the_kept_instances(site, monkeypatch):
    from seedpress.reader import KeptMarkdownReader

    read = []
    original = KeptMarkdownReader.read

    def counting(self, source_path):
        read.append(Path(source_path).name)
        return original(self, source_path)

    monkeypatch.setattr(KeptMarkdownReader, "read", counting)
    site.add("a.txt", (ROOT / "seeds" / "city-council-approves-bike-lanes.txt").read_bytes())
    assert site.build().ok
    assert len(read) == 1


def test_markdown_settings_that_do_not_reset_cleanly_keep_pelicans_reader(site, monkeypatch):
    """Footnotes numbered across documents (UNIQUE_IDS) or an extension given
    as an object (which both kept instances would share) are read as Pelican
    reads them, with a new instance each post."""
    from markdown.extensions.footnotes import FootnoteExtension

    from seedpress.reader import KeptMarkdownReader

    used = []
    monkeypatch.setattr(KeptMarkdownReader, "read", lambda *a: used.append(a) or ("", {}))
    numbered = {
        "extension_configs": {"markdown.extensions.footnotes": {"UNIQUE_IDS": True}},
        "output_format": "html5",
    }
    shared = {"extensions": [FootnoteExtension()], "output_format": "html5"}
    site.add("a.txt", (ROOT / "seeds" / "city-council-approves-bike-lanes.txt").read_bytes())
    for markdown in (numbered, shared):
        result = site.build(settings={"MARKDOWN": markdown})
        assert result.ok, result.summary()
    assert used == []


ZONES = ["UTC", "Europe/London", "America/New_York", "Asia/Kolkata", "Australia/Lord_Howe"]


@pytest.mark.parametrize("zone", ZONES)
@settings(max_examples=300, deadline=None)
@given(
    moment=st.datetimes(min_value=datetime(1900, 1, 1), max_value=datetime(2200, 12, 31)),
    minutes=st.integers(min_value=-1439, max_value=1439),
)
def test_a_converter_date_is_read_as_get_date_reads_it(zone, moment, minutes):
    """iso_date gives get_date's very value: the same instant, type and kind
    of time zone (dateutil's tzoffset, UTC or local zone), in every local zone."""
    from pelican.utils import get_date

    from seedpress.reader import iso_date

    with _local_zone(zone):
        sign = "-" if minutes < 0 else "+"
        text = f"{moment:%Y-%m-%dT%H:%M:%S}{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"
        found, expected = iso_date(text), get_date(text)
        assert found is not None
        assert (found, type(found), repr(found)) == (expected, type(expected), repr(expected))
        assert type(found.tzinfo) is type(expected.tzinfo)
        assert found.strftime("%Z %z") == expected.strftime("%Z %z")


@pytest.mark.parametrize(
    "text",
    [
        "2026-01-02",  # a hand-written post's forms: dateutil reads them
        "2026-01-02 10:30",
        "2026-01-02T10:30:00Z",
        "2026-01-02T10:30:00.5+01:00",
        "2026-02-30T10:30:00+01:00",  # no such day: get_date's error
        "2026-01-02T10:30:00+25:00",
    ],
)
def test_other_dates_are_left_to_dateutil(text):
    from seedpress.reader import iso_date

    assert iso_date(text) is None


def test_only_the_date_fields_pelican_reads_take_the_fast_path(site, monkeypatch):
    """A field of a post's own that looks like a date stays a string, one of
    two lines a list, as Pelican reads them; a date processor a plugin put
    in Pelican's place is used."""
    from pelican import readers

    from seedpress.reader import KeptMarkdownReader

    kept, pelicans = KeptMarkdownReader(site.settings()), readers.MarkdownReader(site.settings())
    text = "2025-03-01T09:30:00+01:00"
    for name, value in [("updated", text), ("related", ["a", "b"]), ("date", text)]:
        assert kept.process_metadata(name, value) == pelicans.process_metadata(name, value)
    assert kept.process_metadata("updated", text) == text
    monkeypatch.setitem(readers.METADATA_PROCESSORS, "date", lambda value, settings: "theirs")
    assert kept.process_metadata("date", text) == "theirs"


@contextlib.contextmanager
def _local_zone(zone: str):
    before = os.environ.get("TZ")
    os.environ["TZ"] = zone
    time.tzset()
    try:
        yield
    finally:
        if before is None:
            del os.environ["TZ"]
        else:
            os.environ["TZ"] = before
        time.tzset()
