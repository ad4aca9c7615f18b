"""The Markdown reader that keeps its Markdown instances (reader.py) reads
every post as Pelican's own reader does, whatever the posts before it held."""

from __future__ import annotations

from pathlib import Path

from conftest import ROOT

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
