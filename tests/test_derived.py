"""Values derived from each story alone (derived.py): kept for the next build
and used again only for a story whose post, settings and code are as they
were; the site is the same as a cold build's."""

from __future__ import annotations

import shutil
from datetime import UTC, datetime
from pathlib import Path

from conftest import ROOT, Site, demo

DATE = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)
EDITED = "city-council-approves-bike-lanes.txt"


def _count_described(monkeypatch) -> list[str]:
    """The posts whose values are derived from now on (their file names)."""
    from seedpress import pelican_glue

    described: list[str] = []
    original = pelican_glue.describe

    def counting(article, settings):
        described.append(Path(article.source_path).name)
        original(article, settings)

    monkeypatch.setattr(pelican_glue, "describe", counting)
    return described


def _edit_dek(site: Site) -> None:
    """A new dek: the story's description and structured data change."""
    blocks = (site.seeds / EDITED).read_text().split("\n\n")
    blocks[1] = "A corrected dek for the bike lanes story"
    (site.seeds / EDITED).write_text("\n\n".join(blocks))


def _cold(site: Site, folder: Path, **settings) -> Site:
    cold = Site(folder)
    shutil.copytree(site.seeds, cold.seeds, dirs_exist_ok=True)
    shutil.copytree(site.content, cold.content)
    assert cold.build(date=DATE, **settings).ok
    return cold


def test_only_the_changed_story_has_its_values_derived_again(tmp_path, monkeypatch):
    site = demo(tmp_path / "site")
    assert site.build(date=DATE).ok
    [kept] = (site.root / ".output.cache").glob("*/ArticlesGenerator-seedpress-derived.pickle")
    whole = kept.read_bytes()
    described = _count_described(monkeypatch)
    _edit_dek(site)
    assert site.build(date=DATE).ok
    [post] = (site.content / "posts").glob("city-council-approves*.md")
    assert described == [post.name]
    # Only the change was written, to the journal (articlecache.save_kept).
    from seedpress.articlecache import read_kept

    assert kept.read_bytes() == whole
    assert read_kept(str(kept))[1] == 1
    page = next(site.output.glob("*/*/city-council-approves*/index.html")).read_text()
    assert "A corrected dek for the bike lanes story" in page
    monkeypatch.undo()
    assert site.tree() == _cold(site, tmp_path / "cold").tree()


def test_values_are_not_kept_beside_another_plugin(tmp_path, monkeypatch):
    """Another plugin may change a story at any signal, from the others."""
    plugins = tmp_path / "plugins" / "quiet_plugin"
    plugins.mkdir(parents=True)
    (plugins / "__init__.py").write_text("def register():\n    pass\n")
    settings = {
        "PLUGINS": ["seedpress", "quiet_plugin"],
        "PLUGIN_PATHS": [str(ROOT / "plugins"), str(plugins.parent)],
    }
    site = demo(tmp_path / "site")
    assert site.build(date=DATE, settings=settings).ok
    described = _count_described(monkeypatch)
    _edit_dek(site)
    assert site.build(date=DATE, settings=settings).ok
    stories = len(list((site.content / "posts").glob("*.md")))
    assert len(described) == stories > 1
    assert not list((site.root / ".output.cache").glob("*/*-derived.pickle"))


def test_a_story_whose_summary_links_other_content_is_described_again(tmp_path, monkeypatch):
    """A {filename} link shows the other story's URL, which its own post does
    not fix; Pelican resolves it only after the values are given back."""
    site = demo(tmp_path / "site")
    assert site.build(date=DATE).ok
    [other] = (site.content / "posts").glob("city-council-approves*.md")
    (site.content / "posts" / "by-hand.md").write_text(
        "Title: Written by hand\nDate: 2026-01-02\n"
        f'Summary: Read <a href="{{filename}}/posts/{other.name}">the council story</a>.\n\n'
        "A post an editor wrote by hand.\n"
    )
    assert site.build(date=DATE).ok
    described = _count_described(monkeypatch)
    _edit_dek(site)
    assert site.build(date=DATE).ok
    assert sorted(described) == sorted([other.name, "by-hand.md"])
    monkeypatch.undo()
    assert site.tree() == _cold(site, tmp_path / "cold").tree()


def test_damaged_kept_values_are_derived_again(tmp_path):
    site = demo(tmp_path / "site")
    assert site.build(date=DATE).ok
    before = site.tree()
    [kept] = (site.root / ".output.cache").glob("*/ArticlesGenerator-seedpress-derived.pickle")
    kept.write_bytes(b"not a pickle")
    (site.root / ".output.inputs").unlink()  # build it again anyway
    assert site.build(date=DATE).ok
    assert site.tree() == before


def test_a_change_of_url_settings_derives_every_story_again(tmp_path, monkeypatch):
    site = demo(tmp_path / "site")
    assert site.build(date=DATE).ok
    described = _count_described(monkeypatch)
    moved = {"ARTICLE_URL": "news/{slug}/", "ARTICLE_SAVE_AS": "news/{slug}/index.html"}
    assert site.build(date=DATE, settings=moved).ok
    stories = len(list((site.content / "posts").glob("*.md")))
    assert len(described) == stories
    # No story left under its dated URL (the year and month archives stay there).
    assert (site.output / "news").is_dir() and not list(site.output.glob("20*/*/*/"))
    monkeypatch.undo()
    assert site.tree() == _cold(site, tmp_path / "cold", settings=moved).tree()


def test_no_values_are_kept_in_a_cache_not_named_for_the_settings(tmp_path, monkeypatch):
    """Pelican's own generator cache (Seedpress's off) lives in one folder
    whatever the settings: values kept there could be another site's."""
    own_cache = {
        "SEEDPRESS_CONTENT_CACHE": False,
        "CACHE_CONTENT": True,
        "LOAD_CONTENT_CACHE": True,
        "CONTENT_CACHING_LAYER": "generator",
        "CACHE_PATH": str(tmp_path / "pelican-cache"),
    }
    site = demo(tmp_path / "site")
    assert site.build(date=DATE, settings=own_cache).ok
    described = _count_described(monkeypatch)
    _edit_dek(site)
    assert site.build(date=DATE, settings=own_cache).ok
    assert len(described) == len(list((site.content / "posts").glob("*.md")))


def test_a_story_with_its_own_save_as_keeps_it_when_its_values_are_given_back(
    tmp_path, monkeypatch
):
    site = demo(tmp_path / "site")
    assert site.build(date=DATE).ok
    (site.content / "posts" / "corrections.md").write_text(
        "Title: Corrections\nDate: 2026-11-20 10:00\nSlug: corrections\n"
        "Save_as: corrections.html\nURL: corrections.html\n\nThe corrections.\n"
    )
    assert site.build(date=DATE).ok
    described = _count_described(monkeypatch)
    _edit_dek(site)
    assert site.build(date=DATE).ok
    assert "corrections.md" not in described  # given back
    assert "The corrections." in (site.output / "corrections.html").read_text()
    assert not list(site.output.glob("*/*/corrections/index.html"))
    monkeypatch.undo()
    assert site.tree() == _cold(site, tmp_path / "cold").tree()
