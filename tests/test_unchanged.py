"""The no-change build (unchanged.py): proven from file stats before Pelican is
imported, and never taken when anything the site is made from changed."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

import pytest
from conftest import ROOT, SETTINGS_FILE, Site

from seedpress import hashes, unchanged

NEW_STORY = "Ferry Timetable Changes\n\nThe winter timetable starts early.\n\nAuthor: Ana Ruiz"


def proven(site: Site, settings_file=SETTINGS_FILE, **extra) -> bool:
    """Whether a build now would end on the stat proof, before Pelican."""
    key = unchanged.settings_key(settings_file, site.overrides(**extra))
    return key is not None and unchanged.still_built(*key) is not None


def test_an_unchanged_site_is_proven_without_importing_pelican(demo_site):
    first = demo_site.build()
    assert first.ok and not first.skipped
    script = (
        "import json, sys\n"
        "sys.path.insert(0, sys.argv[1])\n"
        "from pathlib import Path\n"
        "from seedpress.build import build\n"
        "r = build(Path(sys.argv[2]), overrides=json.loads(sys.argv[3]))\n"
        "print(json.dumps([r.skipped, r.ok, r.pages, r.feeds, r.report.unchanged,"
        " 'pelican' in sys.modules]))\n"
    )
    arguments = [str(ROOT / "plugins"), str(SETTINGS_FILE), json.dumps(demo_site.overrides())]
    done = subprocess.run(
        [sys.executable, "-c", script, *arguments], check=False, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    skipped, ok, pages, feeds, seeds, pelican = json.loads(done.stdout.splitlines()[-1])
    assert (skipped, ok, pelican) == (True, True, False)
    assert (pages, feeds) == (first.pages, first.feeds)
    assert seeds == len(list(demo_site.seeds.rglob("*.txt")))


def _edit_seed(site: Site) -> None:
    seed = sorted(site.seeds.rglob("*.txt"))[0]
    seed.write_text(seed.read_text().replace("\n\n", "\n\nUpdated. ", 1))


def _add_seed(site: Site) -> None:
    site.add("world/ferry-timetable.txt", NEW_STORY)


def _delete_seed(site: Site) -> None:
    sorted(site.seeds.rglob("*.txt"))[0].unlink()


def _edit_post_by_hand(site: Site) -> None:
    post = sorted((site.content / "posts").glob("*.md"))[0]
    post.write_text(post.read_text() + "\nA line added by hand.\n")


def _add_page(site: Site) -> None:
    (site.content / "pages").mkdir(exist_ok=True)
    (site.content / "pages" / "about.md").write_text("Title: About\n\nWho we are.\n")


@pytest.mark.parametrize(
    "change",
    [
        _edit_seed,
        _add_seed,
        _delete_seed,
        _edit_post_by_hand,
        _add_page,
    ],
)
def test_any_change_of_an_input_is_seen(demo_site, change):
    assert demo_site.build().ok
    assert proven(demo_site)
    change(demo_site)
    assert not proven(demo_site)
    assert not demo_site.build().skipped


def test_a_post_removed_is_seen_and_written_again(demo_site):
    """A file gone from a folder the proof walks after the seeds is seen only
    once every folder is walked (the proof's count of files); the conversion
    then writes the post again, and the site, already right, is kept."""
    assert demo_site.build().ok
    post = sorted((demo_site.content / "posts").glob("*.md"))[-1]
    text = post.read_bytes()
    post.unlink()
    assert not proven(demo_site)
    result = demo_site.build()
    assert result.ok and post.read_bytes() == text
    assert proven(demo_site)


def test_a_link_made_in_seeds_is_reported_not_proven_unchanged(demo_site):
    """A link to a folder or to nothing is no seed file, but the conversion
    rejects it by name: the stat proof must not hide it."""
    assert demo_site.build().ok
    (demo_site.seeds / "linked").symlink_to(demo_site.content)
    (demo_site.seeds / "gone.txt").symlink_to("nowhere.txt")
    assert not proven(demo_site)
    result = demo_site.build()
    assert not result.ok
    assert sorted(name for name, _ in result.report.rejected) == ["gone.txt", "linked"]


def test_files_that_are_not_seeds_change_nothing(demo_site):
    assert demo_site.build().ok
    (demo_site.seeds / ".notes.txt").write_text("an editor's scratch file")
    (demo_site.seeds / "README.md").write_text("how we write seeds")
    assert proven(demo_site)


def test_a_theme_change_is_seen(demo_site, tmp_path):
    theme = tmp_path / "theme"
    shutil.copytree(ROOT / "theme", theme)
    assert demo_site.build(settings={"THEME": str(theme)}).ok
    assert proven(demo_site, THEME=str(theme))
    base = theme / "templates" / "base.html"
    base.write_text(base.read_text().replace("</body>", "<!-- changed --></body>"))
    assert not proven(demo_site, THEME=str(theme))


def test_a_setting_from_the_environment_is_seen(demo_site, tmp_path, monkeypatch):
    settings_file = tmp_path / "envconf.py"
    settings_file.write_text(
        f"import os, sys\nsys.path.insert(0, {str(ROOT)!r})\n"
        "from pelicanconf import *\n"
        "SITENAME = os.environ.get('HARBOUR_NAME', 'The Harbour Ledger')\n"
    )
    paths = {"THEME": str(ROOT / "theme"), "PLUGIN_PATHS": [str(ROOT / "plugins")]}
    from seedpress.build import build

    assert build(settings_file, overrides=demo_site.overrides(**paths)).ok
    assert proven(demo_site, settings_file, **paths)
    monkeypatch.setenv("HARBOUR_NAME", "The Harbour Gazette")
    assert not proven(demo_site, settings_file, **paths)
    rebuilt = build(settings_file, overrides=demo_site.overrides(**paths))
    assert not rebuilt.skipped
    assert "The Harbour Gazette" in (demo_site.output / "index.html").read_text()


def test_a_racy_file_is_read_again(demo_site, monkeypatch):
    """A file changed too recently to be trusted by its stat is proven by its
    hash: a change that kept every stat field (a second write within the same
    clock tick) is still seen."""
    monkeypatch.setattr(hashes, "RACY_NS", 10**18)  # every file is racy
    assert demo_site.build().ok
    assert proven(demo_site)  # racy files whose bytes are the same still prove it
    seed = sorted(demo_site.seeds.rglob("*.txt"))[0]
    text = seed.read_text()
    seed.write_text(text.replace("e", "E", 1))  # the same size
    stamp = unchanged.stamp_path(demo_site.output)
    proof = json.loads(stamp.read_text())
    status = os.stat(seed)
    recorded = proof["files"][str(seed)]
    assert recorded[5] is True
    # As if the write had left every stat field as the build saw it.
    recorded[:4] = [status.st_size, status.st_mtime_ns, status.st_ctime_ns, status.st_ino]
    stamp.write_text(json.dumps(proof))
    assert not proven(demo_site)


def test_a_build_with_something_to_report_is_never_skipped_by_stat(demo_site):
    demo_site.add("broken.txt", b"\xff\xfe not a seed")
    first = demo_site.build()
    assert first.report.rejected and not first.ok
    assert not proven(demo_site)
    again = demo_site.build()
    assert again.report.rejected and not again.ok  # reported again, every build


def test_a_damaged_record_proves_nothing(demo_site):
    assert demo_site.build().ok
    unchanged.stamp_path(demo_site.output).write_text('{"key": 1, "files": [')
    assert not proven(demo_site)
    rebuilt = demo_site.build()
    assert rebuilt.ok and not rebuilt.skipped
    assert proven(demo_site)


def test_settings_only_their_identity_describes_leave_it_to_the_full_check(tmp_path):
    settings_file = tmp_path / "filterconf.py"
    settings_file.write_text(
        "import datetime\n"
        "LAUNCH = datetime.date(2026, 1, 5)\n"
        "SECTIONS = {'world', 'science'}\n"
        "def shout(text):\n    return text.upper()\n"
    )
    key = unchanged.settings_key(settings_file, {})
    assert key is not None and key == unchanged.settings_key(settings_file, {})
    assert key != unchanged.settings_key(settings_file, {"LAUNCH": "2026-01-06"})
    # What a function does may hang on globals, defaults or a closure read
    # from anywhere: a function, even one of the settings file, is no proof.
    with settings_file.open("a") as handle:
        handle.write("JINJA_FILTERS = {'shout': shout}\n")
    assert unchanged.settings_key(settings_file, {}) is None
    assert unchanged.settings_key(settings_file, {"JINJA_FILTERS": {"up": str.upper}}) is None
    assert unchanged.settings_key(settings_file, {"PLUGINS": [object()]}) is None
    # A settings file that fails is reported by the full build, not here.
    settings_file.write_text("SITENAME = undefined_name\n")
    assert unchanged.settings_key(settings_file, {}) is None


def test_a_settings_file_of_any_name_is_in_the_proof(demo_site, tmp_path):
    settings_file = tmp_path / "harbour_settings.py"
    settings_file.write_text(
        f"import sys\nsys.path.insert(0, {str(ROOT)!r})\nfrom pelicanconf import *\n"
    )
    paths = {"THEME": str(ROOT / "theme"), "PLUGIN_PATHS": [str(ROOT / "plugins")]}
    from seedpress.build import build

    assert build(settings_file, overrides=demo_site.overrides(**paths)).ok
    assert str(settings_file) in unchanged.read(demo_site.output)["files"]
    assert proven(demo_site, settings_file, **paths)
    with settings_file.open("a") as handle:
        handle.write("# a comment\n")
    assert not proven(demo_site, settings_file, **paths)


def test_an_output_folder_removed_or_replaced_is_built_again(demo_site):
    first = demo_site.build()
    assert first.ok and proven(demo_site)
    shutil.rmtree(demo_site.output)
    assert not proven(demo_site)
    demo_site.output.mkdir()  # an empty folder where the site was
    assert not proven(demo_site)
    again = demo_site.build()
    assert again.ok and not again.skipped and again.pages == first.pages
