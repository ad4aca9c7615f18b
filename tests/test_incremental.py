"""Incremental builds: after any change, the site is byte-identical to a cold
build of the same seeds and posts, and the pages the change does not show on
are not rendered again (they are the previous build's files, hard-linked)."""

from __future__ import annotations

import os
import shutil
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest
from conftest import ROOT, Site, demo

DATE = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)
NEW_STORY = (
    "Lighthouse Keepers Return to Skerry Point\n\n"
    "A restored lamp brings two keepers back after forty years\n\n"
    "The lighthouse on Skerry Point has keepers again.\n\n"
    "Author: {author}\n\n{author} covers the coast."
)


def _replace(site: Site, name: str, old: str, new: str) -> None:
    path = site.seeds / name
    text = path.read_text()
    assert old in text, (name, old)
    path.write_text(text.replace(old, new, 1))


def _first_paragraph_word(site: Site, name: str) -> str:
    paragraphs = (site.seeds / name).read_text().split("\n\n")
    return paragraphs[2].split()[0]


def _edit_body(site: Site) -> None:
    name = "city-council-approves-bike-lanes.txt"
    word = _first_paragraph_word(site, name)
    _replace(site, name, word, f"{word} (corrected)")


def _edit_title(site: Site) -> None:
    name = "city-council-approves-bike-lanes.txt"
    title = (site.seeds / name).read_text().splitlines()[0]
    _replace(site, name, title, title + " Again")


def _edit_bio(site: Site) -> None:
    name = "city-council-approves-bike-lanes.txt"
    text = (site.seeds / name).read_text().rstrip("\n")
    (site.seeds / name).write_text(text + " She also covers transport.\n")


def _add(author: str, folder: str = ""):
    def add(site: Site) -> None:
        site.add(f"{folder}skerry-point.txt", NEW_STORY.format(author=author))

    return add


def _delete(site: Site) -> None:
    (site.seeds / "city-council-approves-bike-lanes.txt").unlink()


def _hand_edit(site: Site) -> None:
    [post] = (site.content / "posts").glob("city-council-approves*.md")
    post.write_text(post.read_text() + "\nAn editor's note added by hand.\n")


STEPS = {
    "body edited": _edit_body,
    "title edited (neighbours show it)": _edit_title,
    "bio edited": _edit_bio,
    "story added by a known author": _add("Samuel Osei"),
    "story added by a new author in a new section": _add("Nadia Brennan", "coast/"),
    "story deleted": _delete,
    "post edited by hand": _hand_edit,
}


def _inodes(site: Site) -> dict[str, int]:
    return {
        p.relative_to(site.output).as_posix(): p.stat().st_ino
        for p in site.output.rglob("*")
        if p.is_file() and p.suffix in (".html", ".xml", ".json")
    }


def _folders(root: Path) -> list[str]:
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_dir())


def _wait_for_spare(site: Site) -> None:
    """The first build's copy of its folders, made in the background."""
    deadline = time.monotonic() + 60
    while not (site.root / ".output.spare").is_dir() and time.monotonic() < deadline:
        time.sleep(0.05)


def _assert_a_cold_builds(site: Site, folder: Path, settings: dict | None = None) -> None:
    """A cold build of the site's seeds and posts in `folder` makes the same
    files and folders."""
    cold = Site(folder)
    shutil.copytree(site.seeds, cold.seeds, dirs_exist_ok=True)
    shutil.copytree(site.content, cold.content)
    assert cold.build(date=DATE, settings=settings or {}).ok
    assert site.tree() == cold.tree()
    assert _folders(site.output) == _folders(cold.output)


@pytest.mark.parametrize("jobs", [1, 2])
@pytest.mark.parametrize("step", STEPS)
def test_an_incremental_build_equals_a_cold_one(tmp_path, monkeypatch, step, jobs):
    from seedpress import articlecache, fingerprint, writer

    # Two jobs: the forked readers and writers are used even for this small site.
    for module in (articlecache, writer, fingerprint):
        monkeypatch.setattr(module, "PARALLEL_FROM", 1 if jobs > 1 else 10**9)
    settings = {"SEEDPRESS_JOBS": jobs}
    site = demo(tmp_path / "site")
    assert site.build(date=DATE, settings=settings).ok
    before = _inodes(site)
    spare = site.root / ".output.spare"
    _wait_for_spare(site)
    recycled = spare.stat().st_ino

    STEPS[step](site)
    result = site.build(date=DATE, settings=settings)
    assert result.ok, result.summary()
    assert site.output.stat().st_ino == recycled  # built in the spare's folders
    after = _inodes(site)

    cold = Site(tmp_path / "cold")
    shutil.copytree(site.seeds, cold.seeds, dirs_exist_ok=True)
    shutil.copytree(site.content, cold.content)
    assert cold.build(date=DATE, settings=settings).ok
    incremental, fresh = site.tree(), cold.tree()
    assert sorted(incremental) == sorted(fresh)
    assert [name for name in fresh if incremental[name] != fresh[name]] == []
    # The folders too: none left empty by a story that went (the spare's are
    # recycled), none missing.
    assert _folders(site.output) == _folders(cold.output)

    kept = [name for name in after if before.get(name) == after[name]]
    changed = [name for name in after if before.get(name) != after[name]]
    # The change shows somewhere, and some pages were not rendered again
    # (a new author or section changes the menu of every page).
    assert changed
    if "new author" not in step:
        assert kept, "every page was rendered again"


def test_a_change_of_template_renders_every_page(tmp_path):
    site = demo(tmp_path / "site")
    theme = tmp_path / "theme"
    shutil.copytree(ROOT / "theme", theme)
    assert site.build(date=DATE, settings={"THEME": str(theme)}).ok
    before = _inodes(site)
    footer = theme / "templates" / "base.html"
    footer.write_text(footer.read_text().replace("Subscribe to our feeds", "Get our feeds"))
    assert site.build(date=DATE, settings={"THEME": str(theme)}).ok
    after = _inodes(site)
    pages = [name for name in after if name.endswith(".html")]
    assert all(before.get(name) != after[name] for name in pages)
    assert all("Get our feeds" in (site.output / name).read_text() for name in pages)


def test_templates_compiled_once_are_kept_for_the_next_build(tmp_path, monkeypatch):
    """Jinja's bytecode cache: a build after the first compiles no template,
    and a template edited since is compiled again, its new text shown."""
    import jinja2

    site = demo(tmp_path / "site")
    theme = tmp_path / "theme"
    shutil.copytree(ROOT / "theme", theme)
    settings = {"THEME": str(theme), "SEEDPRESS_JOBS": 1}  # compiled in this process
    assert site.build(date=DATE, settings=settings).ok
    compiled = []
    compile_source = jinja2.Environment._compile

    def counted(self, source, filename):
        compiled.append(Path(filename).name)
        return compile_source(self, source, filename)

    monkeypatch.setattr(jinja2.Environment, "_compile", counted)
    _edit_body(site)
    assert site.build(date=DATE, settings=settings).ok
    assert compiled == []
    footer = theme / "templates" / "base.html"
    footer.write_text(footer.read_text().replace("Subscribe to our feeds", "Get our feeds"))
    assert site.build(date=DATE, settings=settings).ok
    assert "base.html" in compiled
    assert "Get our feeds" in (site.output / "index.html").read_text()


def test_an_unchanged_site_reuses_every_page_and_feed(tmp_path):
    site = demo(tmp_path / "site")
    assert site.build(date=DATE).ok
    before = _inodes(site)
    (site.output.with_name(".output.inputs")).unlink()  # build it again anyway
    assert site.build(date=DATE).ok
    # Written on every build: the page keys, the search plan, the cheap sitemap.
    always = {".seedpress-pages.json", ".seedpress-search.json", "sitemap.xml"}
    after = _inodes(site)
    assert {k: v for k, v in after.items() if k not in always} == {
        k: v for k, v in before.items() if k not in always
    }


def test_the_theme_uses_only_what_page_keys_cover():
    """Page keys leave out `all_articles` (the whole site, given to section and
    author pages) and, on listing pages, the whole list (`articles`, `dates`):
    a listing page is keyed by its own page of stories. A template that used
    them would be left stale, so none may."""
    import re

    templates = ROOT / "theme" / "templates"
    # Only pages given the list as their own variable (direct templates and
    # listings) are keyed by it; listings by their page of it.
    given_the_list = {"archives", "period_archives", "authors", "categories", "search", "404"}
    for path in templates.glob("*.html"):
        text = path.read_text()
        assert "all_articles" not in text, path.name
        if path.stem not in given_the_list:
            assert not re.search(r"\b(articles|dates)\b(?!_)", text), path.name
        # The periods are left out of keys (fingerprint._COLLECTIONS): only
        # the archives page, given every story, may show them.
        if path.stem != "archives":
            assert "period_archives" not in text, path.name


def test_a_page_linking_a_removed_story_is_rendered_again(tmp_path):
    """Pelican fills {filename} links from the linked story's URL: a page that
    links other content is never taken from the last build."""
    site = demo(tmp_path / "site")
    assert site.build(date=DATE).ok
    [post] = (site.content / "posts").glob("city-council-approves*.md")
    about = site.content / "pages" / "about.md"
    about.parent.mkdir()
    about.write_text(f"Title: About\n\nSee [the bike lanes]({{filename}}/posts/{post.name}).\n")
    assert site.build(date=DATE).ok
    assert f'{post.stem}/"' in (site.output / "about" / "index.html").read_text()
    (site.seeds / "city-council-approves-bike-lanes.txt").unlink()
    site.build(date=DATE)  # Pelican warns that the link has no target
    cold = Site(tmp_path / "cold")
    shutil.copytree(site.seeds, cold.seeds, dirs_exist_ok=True)
    shutil.copytree(site.content, cold.content)
    cold.build(date=DATE)
    page = "about/index.html"
    assert (site.output / page).read_bytes() == (cold.output / page).read_bytes()
    assert f'{post.stem}/"' not in (site.output / page).read_text()  # no URL to it


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_post_with_its_own_save_as_is_written_there(tmp_path, monkeypatch, jobs):
    # Pelican reads Save_as: as an override; Seedpress also freezes every other
    # story's file name in `override_save_as` (pelican_glue.freeze_urls), and
    # the writer must tell the two apart.
    from seedpress import writer

    monkeypatch.setattr(writer, "PARALLEL_FROM", 1 if jobs > 1 else 10**9)
    settings = {"SEEDPRESS_JOBS": jobs}
    site = demo(tmp_path / "site")
    assert site.build(date=DATE, settings=settings).ok
    # Pages written at once in this process, in Pelican's order: overrides, and
    # with one job every page. With two, the stories go to the workers.
    at_once = []
    write_one = writer._write_one

    def recording(writer_, job):
        at_once.append(job[0])
        return write_one(writer_, job)

    monkeypatch.setattr(writer, "_write_one", recording)
    (site.content / "posts" / "corrections.md").write_text(
        "Title: Corrections and clarifications\nDate: 2026-11-20 10:00\n"
        "Slug: corrections\nSave_as: corrections.html\nURL: corrections.html\n\n"
        "A list of the corrections made this month.\n"
    )
    result = site.build(date=DATE, settings=settings)
    assert result.ok, result.summary()
    page = (site.output / "corrections.html").read_text()
    assert "A list of the corrections made this month." in page
    assert not list(site.output.glob("*/*/corrections/index.html"))
    # Every story still has its own page, and the home page links the new one.
    for post in (site.content / "posts").glob("*.md"):
        if post.stem != "corrections":
            assert len(list(site.output.glob(f"*/*/{post.stem}/index.html"))) == 1, post
    assert 'href="./corrections.html"' in (site.output / "index.html").read_text()
    assert "corrections.html" in at_once
    if jobs > 1:
        assert not [name for name in at_once if name.endswith("/index.html")], at_once


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_page_saved_as_the_home_page_is_linked_as_it_overrides(tmp_path, monkeypatch, jobs):
    """A hand-written page saved as the home page, unchanged in the next
    build, is linked from the last one; it must still override the home
    page Pelican writes next, or that page fails to overwrite it (a
    reviewer's test)."""
    from seedpress import writer

    monkeypatch.setattr(writer, "PARALLEL_FROM", 1 if jobs > 1 else 10**9)
    settings = {"SEEDPRESS_JOBS": jobs}
    site = demo(tmp_path / "site")
    (site.content / "pages").mkdir(parents=True)
    (site.content / "pages" / "front.md").write_text(
        "Title: Front\nSlug: front\nSave_as: index.html\nURL: \n\nOur own front page.\n"
    )
    assert site.build(date=DATE, settings=settings).ok
    _edit_body(site)
    result = site.build(date=DATE, settings=settings)
    assert result.ok, result.summary()
    assert "Our own front page." in (site.output / "index.html").read_text()
    _assert_a_cold_builds(site, tmp_path / "cold", settings)


def test_templates_from_outside_the_theme_are_inputs_of_every_build(tmp_path):
    """Templates in THEME_TEMPLATES_OVERRIDES or TEMPLATE_PAGES (outside the
    theme the code token covers) were no input: an edit of either was a
    "no change" build, or left the pages as they were; a template page (here
    named as a theme template is) showing every story kept the old count
    (a fourth review's tests)."""
    site = demo(tmp_path / "site")
    overrides = tmp_path / "overrides"
    overrides.mkdir()
    base = overrides / "base.html"
    base.write_text((ROOT / "theme" / "templates" / "base.html").read_text())
    page = site.content / "404.html"
    page.parent.mkdir(parents=True, exist_ok=True)
    page.write_text("<p>{{ articles|count }} stories</p>")
    settings = {
        "THEME_TEMPLATES_OVERRIDES": [str(overrides)],
        "TEMPLATE_PAGES": {"404.html": "count/index.html"},
        "IGNORE_FILES": [".*", "ledger.json", "404.html"],  # not read as a page too
    }
    assert site.build(date=DATE, settings=settings).ok
    count = site.output / "count" / "index.html"
    stories = len(list((site.content / "posts").glob("*.md")))
    assert count.read_text() == f"<p>{stories} stories</p>"

    base.write_text(base.read_text().replace("<body>", "<body><!-- edited -->"))
    result = site.build(date=DATE, settings=settings)
    assert result.ok and not result.skipped
    assert "<!-- edited -->" in (site.output / "index.html").read_text()
    _add("Ada Quill")(site)
    assert site.build(date=DATE, settings=settings).ok
    assert count.read_text() == f"<p>{stories + 1} stories</p>"
    page.write_text("<p>{{ articles|count }} in all</p>")
    result = site.build(date=DATE, settings=settings)
    assert result.ok and not result.skipped
    assert count.read_text() == f"<p>{stories + 1} in all</p>"
    _assert_a_cold_builds(site, tmp_path / "cold", settings)


def test_relative_template_overrides_are_read_from_the_working_folder(tmp_path, monkeypatch):
    """Pelican reads THEME_TEMPLATES_OVERRIDES = ["overrides"] from the
    working folder. Built from a/, then from b/, whose overrides differ: the
    proof checked a/overrides, and b/'s build was skipped as "no change" (a
    fifth review's test)."""
    site = demo(tmp_path / "site")
    base = (ROOT / "theme" / "templates" / "base.html").read_text()
    for mark in ("a", "b"):
        (tmp_path / mark / "overrides").mkdir(parents=True)
        marked = base.replace("<body>", f"<body><!-- from {mark} -->")
        (tmp_path / mark / "overrides" / "base.html").write_text(marked)
    settings = {"THEME_TEMPLATES_OVERRIDES": ["overrides"]}
    monkeypatch.chdir(tmp_path / "a")
    assert site.build(date=DATE, settings=settings).ok
    assert "from a" in (site.output / "index.html").read_text()
    monkeypatch.chdir(tmp_path / "b")
    result = site.build(date=DATE, settings=settings)
    assert result.ok and not result.skipped
    assert "from b" in (site.output / "index.html").read_text()


def test_a_template_page_found_in_the_theme_is_rendered_every_time(tmp_path):
    """A TEMPLATE_PAGES name with no file in content/ ("archives.html") is
    the theme's template, given the whole site: known by its file, it was
    not taken for a template page, and kept the stories of the build before
    (a fifth review's test)."""
    site = demo(tmp_path / "site")
    settings = {"TEMPLATE_PAGES": {"archives.html": "all/index.html"}}
    assert site.build(date=DATE, settings=settings).ok
    _add("Samuel Osei")(site)
    assert site.build(date=DATE, settings=settings).ok
    _assert_a_cold_builds(site, tmp_path / "cold", settings)


def test_a_page_saved_as_a_feed_spelled_otherwise_leaves_the_feed(tmp_path):
    """Keys named a page as its Save_as spelled it ("./feeds/…"): once the
    post left, the next build took "./feeds/…" for a page gone, and removed
    the feed's file, which is the same (a fourth review's test)."""
    site = demo(tmp_path / "site")
    assert site.build(date=DATE).ok
    post = site.content / "posts" / "notice.md"
    text = "Title: Notice\nDate: 2026-11-20 10:00\nSlug: notice\n{}\nA notice.\n"
    # A News story saved as the World feed: the feed, which does not hold
    # it, is linked from the last build.
    post.write_text(text.format("Category: News\nSave_as: ./feeds/sections/world.atom.xml\n"))
    assert site.build(date=DATE).ok
    post.write_text(text.format("Category: News\n"))
    assert site.build(date=DATE).ok
    assert (site.output / "feeds" / "sections" / "world.atom.xml").is_file()
    _assert_a_cold_builds(site, tmp_path / "cold")


def test_a_recycled_spare_keeps_only_the_live_sites_folders(tmp_path):
    from seedpress.atomic import Recycled, keep_spare, spare_for

    output, staging, old = tmp_path / "output", tmp_path / ".output.building", tmp_path / "old"
    pages = ["2025/01/kept/index.html", "2025/02/gone/index.html", "index.html", "feed/x"]
    for page in pages:
        (old / page).parent.mkdir(parents=True, exist_ok=True)
        (old / page).write_text(page)
    (old / "2025/alias").symlink_to("01")
    # The live site: the story of 2025/02 went, and "feed" is a file now.
    (output / "2025/01/kept").mkdir(parents=True)
    (output / "feed").write_text("a file")
    keep_spare(old, output)
    assert spare_for(output).is_dir() and not old.exists()

    assert Recycled.start(output, staging).wait() == {"2025", "2025/01", "2025/01/kept"}
    assert not spare_for(output).exists()
    assert _folders(staging) == ["2025", "2025/01", "2025/01/kept"]  # no file, no link


def test_a_folder_left_whole_keeps_its_files_through_the_recycling(tmp_path):
    """The search index's bundles are left whole (a link where one goes is
    not); every other file is unlinked as before."""
    from seedpress.atomic import Recycled, keep_spare

    output, staging, old = tmp_path / "output", tmp_path / ".output.building", tmp_path / "old"
    for name in ("pagefind/2025/fragment/a.pf_fragment", "pagefind/entry.json", "index.html"):
        (old / name).parent.mkdir(parents=True, exist_ok=True)
        (old / name).write_text(name)
    (old / "search").mkdir()
    (old / "elsewhere").symlink_to(old / "search")
    (output / "search").mkdir(parents=True)
    keep_spare(old, output)
    assert Recycled.start(output, staging, ["pagefind", "elsewhere"]).wait() == {"search"}
    files = sorted(p.relative_to(staging).as_posix() for p in staging.rglob("*") if p.is_file())
    assert files == ["pagefind/2025/fragment/a.pf_fragment", "pagefind/entry.json"]
    assert not (staging / "elsewhere").exists() and not (staging / "elsewhere").is_symlink()


def test_a_tree_synced_keeps_the_same_files_and_makes_the_rest_as_links(tmp_path, monkeypatch):
    """sync_tree: what is a link to the source's very file stays (same
    inode), anything else in the target goes, what is missing is linked."""
    from seedpress import atomic
    from seedpress.atomic import sync_tree

    linked = []
    link = os.link
    monkeypatch.setattr(atomic.os, "link", lambda a, b: linked.append(str(b)) or link(a, b))

    source, target = tmp_path / "source", tmp_path / "target"
    for name in ("same", "renewed", "sub/file", "was-a-folder", "mark"):
        (source / name).parent.mkdir(parents=True, exist_ok=True)
        (source / name).write_text(name)
    (target / "sub").mkdir(parents=True)
    os.link(source / "same", target / "same")
    (target / "renewed").write_text("an older copy")
    (target / "stale").write_text("gone from the source")
    (target / "was-a-folder" / "inside").mkdir(parents=True)
    (target / "gone-folder" / "deep").mkdir(parents=True)
    (target / "gone-folder" / "deep" / "file").write_text("x")
    (target / "sub" / "link").symlink_to(source / "same")
    kept = (target / "same").stat().st_ino
    linked.clear()
    sync_tree(source, target, ignore=frozenset({"mark"}))
    assert sorted(Path(p).relative_to(target).as_posix() for p in linked) == [
        "renewed",
        "sub/file",
        "was-a-folder",
    ]  # "same" was kept, not linked again
    found = {p.relative_to(target).as_posix(): p for p in target.rglob("*") if not p.is_dir()}
    assert sorted(found) == ["renewed", "same", "sub/file", "was-a-folder"]
    assert (target / "same").stat().st_ino == kept
    for name, path in found.items():
        assert path.stat().st_ino == (source / name).stat().st_ino  # links
    assert sorted(p.name for p in target.iterdir() if p.is_dir()) == ["sub"]
    assert (source / "renewed").read_text() == "renewed"  # nothing written through
    sync_tree(source, tmp_path / "new")  # into nothing: every file linked
    assert sorted(p.name for p in (tmp_path / "new").iterdir()) == [
        "mark",
        "renewed",
        "same",
        "sub",
        "was-a-folder",
    ]


def test_a_link_is_never_kept_or_recycled_as_the_spare(tmp_path):
    from seedpress.atomic import Recycled, keep_spare, spare_for

    elsewhere, output = tmp_path / "web-root", tmp_path / "output"
    (elsewhere / "2025").mkdir(parents=True)
    (elsewhere / "index.html").write_text("not ours to empty")
    (tmp_path / "old").symlink_to(elsewhere)
    keep_spare(tmp_path / "old", output)
    assert not spare_for(output).exists()
    spare_for(output).symlink_to(elsewhere)
    assert Recycled.start(output, tmp_path / ".output.building") is None
    assert (elsewhere / "index.html").read_text() == "not ours to empty"


def test_a_folder_left_where_a_page_now_goes_makes_way(tmp_path):
    from seedpress.writer import _remove_file

    (tmp_path / "empty").mkdir()
    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "page.html").write_text("kept")
    (tmp_path / "file").write_text("old")
    _remove_file(tmp_path / "empty")
    _remove_file(tmp_path / "file")
    _remove_file(tmp_path / "missing")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["full"]
    with pytest.raises(OSError):
        _remove_file(tmp_path / "full")


def test_a_spare_is_not_recycled_over_a_staging_folder_with_files(tmp_path):
    from seedpress.atomic import Recycled, keep_spare, spare_for

    output, staging = tmp_path / "output", tmp_path / ".output.building"
    (tmp_path / "old" / "2025").mkdir(parents=True)
    keep_spare(tmp_path / "old", output)
    staging.mkdir()
    (staging / "written-first.html").write_text("kept")
    assert Recycled.start(output, staging).wait() == set()
    assert (staging / "written-first.html").read_text() == "kept"
    assert spare_for(output).is_dir()  # left for the trash at the next swap


def test_three_builds_recycle_a_site_of_hard_links_and_match_a_cold_one(tmp_path):
    """The third build recycles the first site (its files hard links shared
    with the second): a story added then deleted, and a page that links other
    content (no key) going too, leave nothing behind."""
    site = demo(tmp_path / "site")
    about = site.content / "pages" / "about.md"
    about.parent.mkdir(parents=True)
    assert site.build(date=DATE).ok
    [post] = (site.content / "posts").glob("city-council-approves*.md")
    about.write_text(f"Title: About\n\nSee [the bike lanes]({{filename}}/posts/{post.name}).\n")
    _add("Samuel Osei")(site)
    assert site.build(date=DATE).ok
    first = (site.root / ".output.spare").stat().st_ino
    (site.seeds / "skerry-point.txt").unlink()
    about.unlink()
    assert site.build(date=DATE).ok
    assert site.output.stat().st_ino == first  # built in the first site's folders

    _assert_a_cold_builds(site, tmp_path / "cold")


def test_each_page_is_keyed_once_per_build(tmp_path, monkeypatch):
    """A single page that is rendered was keyed to see whether it could be
    linked; its key is not worked out again (a direct template's key covers
    every story of the site)."""
    from collections import Counter

    from seedpress import writer

    site = demo(tmp_path / "site")
    assert site.build(date=DATE, settings={"SEEDPRESS_JOBS": 1}).ok
    keyed: Counter = Counter()
    page_key = writer.page_key

    def counted(template_name, context, values):
        keyed[values["output_file"]] += 1
        return page_key(template_name, context, values)

    monkeypatch.setattr(writer, "page_key", counted)
    _edit_title(site)
    assert site.build(date=DATE, settings={"SEEDPRESS_JOBS": 1}).ok
    assert "404.html" in keyed and "archives/index.html" in keyed
    assert [page for page, times in keyed.items() if times > 1] == []


def test_a_page_written_at_once_that_fails_fails_the_build(tmp_path, monkeypatch):
    """A page written in Pelican's order (one that overrides another) reports
    what it raised as the queued pages do, and the build fails."""
    from pelican.writers import Writer

    site = demo(tmp_path / "site")
    (site.content / "posts").mkdir(parents=True, exist_ok=True)
    (site.content / "posts" / "corrections.md").write_text(
        "Title: Corrections\nDate: 2026-11-20 10:00\nSlug: corrections\n"
        "Save_as: corrections.html\nURL: corrections.html\n\nThis month's corrections.\n"
    )
    write_file = Writer.write_file

    def failing(writer, name, *args, **kwargs):
        if name == "corrections.html":
            raise RuntimeError("the template broke")
        return write_file(writer, name, *args, **kwargs)

    monkeypatch.setattr(Writer, "write_file", failing)
    result = site.build(date=DATE)
    assert not result.ok
    assert any("corrections.html" in error and "template broke" in error for error in result.errors)


def test_pages_given_many_stories_go_first_each_alone():
    """The workers take the costliest pages first: a listing, or a single page
    showing every story (the archives), alone; the rest in runs."""
    from seedpress.writer import BATCH, _batches

    class Job:
        def __init__(self, paginates: bool):
            self.paginates = paginates

    stories = list(range(BATCH * 3))
    queue = [(f"{n}/index.html", Job(False), None, False, {}, {}) for n in range(BATCH + 5)]
    queue.append(("archives.html", Job(False), None, False, {"dates": stories}, {}))
    queue.append(("index.html", Job(True), None, False, {"articles": stories[: BATCH * 2]}, {}))
    queue.append(("short.html", Job(False), None, False, {"dates": stories[:3]}, {}))
    batches, ends = _batches(queue)
    assert batches[:2] == [[BATCH + 5], [BATCH + 6]] and ends == []  # most stories first
    assert sorted(index for batch in batches for index in batch) == list(range(len(queue)))
    assert all(len(batch) <= BATCH for batch in batches[2:])
    assert [BATCH + 7] not in batches  # a page of few stories rides with the others

    # Pages asked for first (a search bundle's stories) go before all of
    # that, set after set; each set is written once its last batch is.
    later = {f"{n}/index.html" for n in range(3, BATCH + 5)}
    sooner = {"0/index.html", "2/index.html", "4/index.html", "nowhere.html"}
    taken = {"5/index.html"}  # all of it in the first set
    batches, ends = _batches(queue, [later, sooner, {"nowhere.html"}, taken])
    assert batches[:2] == [list(range(3, BATCH + 3)), [BATCH + 3, BATCH + 4]]
    assert batches[2] == [0, 2]  # the second set: what the first did not take
    # The third set has nothing queued (written already); the fourth waits
    # for the first set's batches, which hold its page.
    assert ends == [2, 3, 0, 2]
    assert batches[3:] == [[BATCH + 5], [BATCH + 6], [1, BATCH + 7]]
    assert sorted(index for batch in batches for index in batch) == list(range(len(queue)))


def _same_inode(first: Path, second: Path) -> set[str]:
    """Files at the same place in both folders that are one file."""
    return {
        p.relative_to(first).as_posix()
        for p in first.rglob("*")
        if p.is_file()
        and (second / p.relative_to(first)).is_file()
        and (second / p.relative_to(first)).stat().st_ino == p.stat().st_ino
    }


def test_pages_unchanged_stay_in_the_recycled_site_and_a_deleted_storys_go(tmp_path, monkeypatch):
    """From the third build on, the recycled site (the one before last) keeps
    the pages and feeds the live site still shares with it, where they are:
    a page unchanged through all three is not linked again; a deleted story's
    kept page goes, and the site is a cold build's."""
    site = demo(tmp_path / "site")
    _add("Samuel Osei")(site)  # by an author with another story: no menu changes
    assert site.build(date=DATE).ok
    spare = site.root / ".output.spare"
    _wait_for_spare(site)
    _edit_body(site)
    assert site.build(date=DATE).ok
    shared = _same_inode(site.output, spare)  # what the recycler may keep
    [story] = site.output.glob("*/*/lighthouse-keepers-*/index.html")
    assert story.relative_to(site.output).as_posix() in shared

    linked: list[str] = []
    link = os.link

    def counted(source, target, **kwargs):
        link(source, target, **kwargs)  # raises where a file is kept already
        linked.append(os.path.relpath(target, site.root / ".output.building"))

    monkeypatch.setattr(os, "link", counted)
    (site.seeds / "skerry-point.txt").unlink()
    assert site.build(date=DATE).ok
    monkeypatch.undo()
    untouched = shared & _same_inode(site.output, spare)  # the same file in all three sites
    assert untouched and not untouched & set(linked)
    assert linked  # the pages that changed were linked or written
    assert not list(site.output.glob("*/*/lighthouse-keepers-*"))

    _assert_a_cold_builds(site, tmp_path / "cold")


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_slug_given_back_by_another_author_equals_a_cold_build(tmp_path, monkeypatch, jobs):
    """王伟 and 王薇 make one slug, which 王伟 has, published first. Deleting
    his story gives it to her: her story's post is unchanged, but not what
    was derived from it and kept (its JSON-LD names her page, its digest:
    derived.py), and the site must be a cold build's."""
    from seedpress import articlecache, fingerprint, writer

    for module in (articlecache, writer, fingerprint):
        monkeypatch.setattr(module, "PARALLEL_FROM", 1 if jobs > 1 else 10**9)
    settings = {"SEEDPRESS_JOBS": jobs}
    site = demo(tmp_path / "site")
    site.add("wang-a.txt", NEW_STORY.format(author="王伟").replace("Skerry", "Skerry North"))
    assert site.build(date=DATE, settings=settings).ok
    site.add("wang-b.txt", NEW_STORY.format(author="王薇"))
    assert site.build(date=DATE.replace(hour=10), settings=settings).ok
    assert (
        not (site.output / "authors" / "wang-wei" / "index.html").read_text().count("Skerry Point<")
    )
    (site.seeds / "wang-a.txt").unlink()
    result = site.build(date=DATE.replace(hour=11), settings=settings)
    assert result.ok, result.summary()
    assert "Skerry Point" in (site.output / "authors" / "wang-wei" / "index.html").read_text()
    _assert_a_cold_builds(site, tmp_path / "cold")


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_summary_linking_another_post_is_the_same_in_every_build(tmp_path, monkeypatch, jobs):
    """A hand-written post whose summary (its first paragraph) links another
    post ({filename}): Pelican's summary takes the links as made for the page
    it rendered last, so the feeds differed when the last build's pages were
    linked instead of rendered; now they link the story's absolute URL."""
    from seedpress import articlecache, fingerprint, writer

    for module in (articlecache, writer, fingerprint):
        monkeypatch.setattr(module, "PARALLEL_FROM", 1 if jobs > 1 else 10**9)
    settings = {"SEEDPRESS_JOBS": jobs}
    site = demo(tmp_path / "site")
    assert site.build(date=DATE, settings=settings).ok
    [post] = (site.content / "posts").glob("river-treaty*.md")
    (site.content / "posts" / "see-also.md").write_text(
        "Title: See also\nDate: 2026-11-24 09:00\n\n"
        f"Background: [the treaty talks]({{filename}}/posts/{post.name}).\n"
    )
    # And a draft, as in the fuzz that found it: whether its page is rendered
    # or linked changes the links Pelican's summary was left with.
    (site.content / "posts" / "draft.md").write_text(
        "Title: A draft\nDate: 2026-11-20 09:00\nStatus: draft\n\nNot yet.\n"
    )
    assert site.build(date=DATE, settings=settings).ok
    _edit_bio(site)
    assert site.build(date=DATE, settings=settings).ok
    feed = (site.output / "feeds" / "all.atom.xml").read_text()
    story = f"http://127.0.0.1:8000/2026/11/{post.stem}/"
    assert f"href=&quot;{story}&quot;" in feed or f'href="{story}"' in feed
    _assert_a_cold_builds(site, tmp_path / "cold")


@pytest.mark.parametrize("jobs", [1, 2])
def test_the_folder_of_a_static_file_gone_since_goes_too(tmp_path, monkeypatch, jobs):
    """A recycled site kept the folder of a static file deleted since (and of
    an image in a folder of its own), which a cold build never makes."""
    from seedpress import writer

    monkeypatch.setattr(writer, "PARALLEL_FROM", 1 if jobs > 1 else 10**9)
    settings = {"SEEDPRESS_JOBS": jobs, "STATIC_PATHS": ["images"]}
    site = demo(tmp_path / "site")
    images = site.content / "images"
    (images / "maps").mkdir(parents=True)
    (images / "maps" / "harbour.png").write_bytes(b"\x89PNG\r\n\x1a\n not a real image")
    (images / "logo.png").write_bytes(b"\x89PNG\r\n\x1a\n another")
    assert site.build(date=DATE, settings=settings).ok
    _wait_for_spare(site)
    _relink(site, settings)  # the spare is recycled from now on
    shutil.rmtree(images / "maps")
    assert site.build(date=DATE, settings=settings).ok
    assert not (site.output / "images" / "maps").exists()
    assert (site.output / "images" / "logo.png").is_file()
    _assert_a_cold_builds(site, tmp_path / "cold", settings)


@pytest.mark.parametrize("into", ["theme", ""])
def test_an_empty_folder_of_the_theme_stays_in_every_build(tmp_path, into):
    """Pelican copies the theme's static files with their empty folders; the
    recycled site's tidying must leave them, wherever THEME_STATIC_DIR puts
    them (the site's top folder too)."""
    theme = tmp_path / "theme"
    shutil.copytree(ROOT / "theme", theme)
    (theme / "static" / "fonts" / "empty").mkdir(parents=True)
    settings = {"THEME": str(theme), "THEME_STATIC_DIR": into}
    site = demo(tmp_path / "site")
    assert site.build(date=DATE, settings=settings).ok
    _wait_for_spare(site)
    for _ in range(3):
        _edit_body(site)
        assert site.build(date=DATE, settings=settings).ok
        assert (site.output / into / "fonts" / "empty").is_dir()
    _assert_a_cold_builds(site, tmp_path / "cold", settings)


@pytest.mark.parametrize("jobs", [1, 2])
def test_the_folder_of_a_linked_file_not_there_stays_as_in_a_cold_build(
    tmp_path, monkeypatch, jobs
):
    """A story links {static}/images/sub/map.png, deleted since: Pelican
    still makes its folder, so a cold build has it, and the recycled site's
    tidying must keep it."""
    from seedpress import writer

    monkeypatch.setattr(writer, "PARALLEL_FROM", 1 if jobs > 1 else 10**9)
    settings = {"SEEDPRESS_JOBS": jobs, "STATIC_PATHS": ["images"]}
    site = demo(tmp_path / "site")
    (site.content / "images" / "sub").mkdir(parents=True)
    picture = site.content / "images" / "sub" / "map.png"
    picture.write_bytes(b"\x89PNG\r\n\x1a\n not a real image")
    (site.content / "posts").mkdir()
    (site.content / "posts" / "map.md").write_text(
        "Title: The new map\nDate: 2026-11-20 10:00\n\n![The map]({static}/images/sub/map.png)\n"
    )
    assert site.build(date=DATE, settings=settings).ok
    _wait_for_spare(site)
    _relink(site, settings)
    picture.unlink()
    site.build(date=DATE, settings=settings)  # Pelican logs the missing file
    _assert_a_cold_builds(site, tmp_path / "cold", settings)


def _relink(site: Site, settings: dict | None = None) -> None:
    """Build again from the same inputs, every page linked from the last build
    (the proof of the last build is removed, so that it is not kept as it is)."""
    from seedpress.unchanged import stamp_path

    stamp_path(site.output).unlink()
    assert site.build(date=DATE, settings=settings or {}).ok


def test_a_page_that_becomes_a_folder_and_back_makes_way_for_it(tmp_path):
    """A page kept in place by the recycler is in the way when its path is a
    folder now (Save_as: corrections → corrections/index.html), and a kept
    folder of pages is in the way of a file there (and back): each makes way,
    and the site is a cold build's."""
    site = demo(tmp_path / "site")
    post = site.content / "posts" / "corrections.md"
    post.parent.mkdir(parents=True)

    def save_as(where: str) -> None:
        post.write_text(
            "Title: Corrections\nDate: 2026-11-20 10:00\nSlug: corrections\n"
            f"Save_as: {where}\nURL: {where}\n\nThis month's corrections.\n"
        )

    save_as("corrections")
    assert site.build(date=DATE).ok
    _wait_for_spare(site)
    _relink(site)  # the live site and the spare now share the page
    save_as("corrections/index.html")
    result = site.build(date=DATE)
    assert result.ok, result.summary()
    assert (site.output / "corrections" / "index.html").is_file()
    _assert_a_cold_builds(site, tmp_path / "cold-folder")
    _relink(site)
    save_as("corrections")
    result = site.build(date=DATE)
    assert result.ok, result.summary()
    assert (site.output / "corrections").is_file()
    _assert_a_cold_builds(site, tmp_path / "cold-file")


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_page_where_another_needs_a_folder_fails_the_build(tmp_path, monkeypatch, jobs):
    """Two stories saved at "corrections" and "corrections/2026" cannot both
    be written: every build fails, names both, and leaves the live site as
    it was, before any worker writes either (two workers, each writing one,
    could each clear the other's place in a recycled site, and the build
    end without one of them)."""
    from seedpress import writer

    monkeypatch.setattr(writer, "PARALLEL_FROM", 1 if jobs > 1 else 10**9)
    monkeypatch.setattr(writer, "BATCH", 1)  # each page a batch: both workers write
    settings = {"SEEDPRESS_JOBS": jobs, "ARTICLE_SAVE_AS": "{slug}", "ARTICLE_URL": "{slug}"}
    site = demo(tmp_path / "site")
    posts = site.content / "posts"
    posts.mkdir(parents=True)

    def post(slug: str) -> None:
        (posts / f"{slug.replace('/', '-')}.md").write_text(
            f"Title: {slug}\nDate: 2026-11-20 10:00\nSlug: {slug}\n\nThis month's {slug}.\n"
        )

    post("corrections")
    assert site.build(date=DATE, settings=settings).ok
    _wait_for_spare(site)
    _relink(site, settings)
    before = site.tree()
    post("corrections/2026")
    cold = Site(tmp_path / "cold")
    shutil.copytree(site.seeds, cold.seeds, dirs_exist_ok=True)
    shutil.copytree(site.content, cold.content)
    for built in (site, cold):  # a recycled build, and a cold one
        result = built.build(date=DATE, settings=settings)
        assert not result.ok
        assert any(
            '"corrections"' in error and '"corrections/2026"' in error for error in result.errors
        ), result.summary()
    assert site.tree() == before


def test_a_file_attached_to_a_story_moves_beside_it_in_a_recycled_site(tmp_path):
    """{attach} puts the file beside the story's page; a build that recycles
    the spare must not ask the file's place before the story is written (a
    file whose place was asked is never moved)."""
    settings = {"STATIC_PATHS": ["posts/pics"]}
    site = demo(tmp_path / "site")
    pics = site.content / "posts" / "pics"
    pics.mkdir(parents=True)
    (pics / "harbour.png").write_bytes(b"\x89PNG\r\n\x1a\n not a real image")
    (site.content / "posts" / "photo.md").write_text(
        "Title: The harbour at dawn\nDate: 2026-11-20 10:00\nSlug: harbour-photo\n\n"
        "![The harbour at dawn]({attach}pics/harbour.png)\n"
    )
    assert site.build(date=DATE, settings=settings).ok
    _wait_for_spare(site)
    _edit_body(site)
    assert site.build(date=DATE, settings=settings).ok
    [picture] = site.output.rglob("harbour.png")
    assert picture.parent.parent.name == "harbour-photo"
    cold = Site(tmp_path / "cold")
    shutil.copytree(site.seeds, cold.seeds, dirs_exist_ok=True)
    shutil.copytree(site.content, cold.content)
    assert cold.build(date=DATE, settings=settings).ok
    assert site.tree() == cold.tree()
