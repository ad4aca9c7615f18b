"""Builds that survive being killed, run twice at once, damaged content, other
machines' time zones and locales, and any sequence of newsroom edits."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta

import pytest
from conftest import ROOT, SETTINGS_FILE, Site, fixture_bytes
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from hypothesis.stateful import Bundle, RuleBasedStateMachine, invariant, rule

from seedpress.atomic import BuildBusy, BuildLock
from seedpress.build import build, lock

D0 = datetime(2026, 2, 1, 8, 0, tzinfo=UTC)
CHILD = """
import json, sys
sys.path.insert(0, {plugins!r})
from pathlib import Path
from seedpress.build import build
result = build(Path({settings!r}), overrides=json.loads({overrides!r}))
print("RESULT", result.ok, flush=True)
"""


def many_stories(site: Site, count: int, start: int = 0) -> None:
    for n in range(start, start + count):
        body = " ".join(f"Paragraph {n} of a long story, sentence {i}." for i in range(60))
        site.add(f"s{n:04}.txt", f"Story {n}\n\nDek {n}\n\n{body}\n\n{body}\n\nAuthor: Ana Lima")


def child(site: Site) -> subprocess.Popen:
    script = CHILD.format(
        plugins=str(ROOT / "plugins"),
        settings=str(SETTINGS_FILE),
        overrides=json.dumps(site.overrides(SEEDPRESS_SEARCH=True)),
    )
    return subprocess.Popen(
        [sys.executable, "-c", script],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )


def test_a_killed_build_leaves_the_previous_site_intact(site):
    many_stories(site, 150)
    site.convert(date=D0)
    assert site.build(settings={"SEEDPRESS_SEARCH": True}).ok
    before = site.tree()
    many_stories(site, 150, start=150)  # the next build would change every page
    seen = []
    for delay in (0.3, 1.0, 2.0, 3.0):
        process = child(site)
        time.sleep(delay)
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
        seen.append(site.tree())
    result = site.build(settings={"SEEDPRESS_SEARCH": True})
    assert result.ok
    after = site.tree()
    assert len(list(site.output.glob("20*/*/*/index.html"))) == 300
    # Whenever the kill came, output/ was one complete site: the previous one,
    # or (if the swap had happened just before) the new one; never a mixture.
    assert all(tree in (before, after) for tree in seen)
    assert seen[0] == before  # the first kill came mid-build
    assert not (site.root / ".output.building").exists()
    assert not (site.root / ".output.old").exists()


def test_a_replaced_site_is_kept_as_the_spare_and_recycled(site):
    """The swap keeps the previous site as the spare (one rename); the next
    build empties it of files and builds in its folders, and an older spare
    it could not use is deleted in the background."""
    site.add("a.txt", fixture_bytes("basic.txt"))
    assert site.build(date=D0).ok
    site.add("b.txt", fixture_bytes("crlf.txt"))
    assert site.build(date=D0).ok
    spare = site.root / ".output.spare"
    assert (spare / "index.html").is_file()  # the first site
    first = spare.stat().st_ino
    site.add("c.txt", fixture_bytes("bom.txt"))
    assert site.build(date=D0).ok
    # The third site is in the first one's folders; the second is the spare.
    assert site.output.stat().st_ino == first
    assert (spare / "index.html").is_file() and spare.stat().st_ino != first
    second = spare.stat().st_ino

    # A build that empties its output folder itself cannot use the spare:
    # it goes to the trash, and the next build deletes it.
    site.add("d.txt", fixture_bytes("basic.txt").replace(b"a", b"d", 1))
    assert site.build(date=D0, settings={"DELETE_OUTPUT_DIRECTORY": True}).ok
    trash = site.root / ".output.trash"
    [previous] = trash.iterdir()
    assert previous.stat().st_ino == second
    assert site.build(date=D0, force=True).ok
    deadline = time.monotonic() + 60
    while previous.exists() and time.monotonic() < deadline:
        time.sleep(0.1)  # deleted by a process of its own, not waited for
    assert not previous.exists()


def test_a_first_build_leaves_a_spare_of_its_folders_for_the_next(site):
    """A first build replaces no site; its folders are copied, without files,
    as the spare, in the background."""
    site.add("a.txt", fixture_bytes("basic.txt"))
    assert site.build(date=D0).ok
    spare = site.root / ".output.spare"
    deadline = time.monotonic() + 60
    while not spare.exists() and time.monotonic() < deadline:
        time.sleep(0.1)
    folders = sorted(p.relative_to(site.output) for p in site.output.rglob("*") if p.is_dir())
    assert sorted(p.relative_to(spare) for p in spare.rglob("*")) == folders
    made = spare.stat().st_ino
    site.add("b.txt", fixture_bytes("crlf.txt"))
    assert site.build(date=D0).ok
    assert site.output.stat().st_ino == made  # built in the spare's folders


def test_a_second_build_at_once_is_refused_with_a_clear_message(site):
    site.add("a.txt", fixture_bytes("basic.txt"))
    settings = site.settings()
    output = site.output
    with BuildLock(output.with_name(f".{output.name}.lock")):
        with pytest.raises(BuildBusy, match="another build is running"):
            build(SETTINGS_FILE, overrides=site.overrides())
        process = child(site)
        _, stderr = process.communicate(timeout=60)
        assert process.returncode == 1 and "another build is running" in stderr
    assert build(SETTINGS_FILE, overrides=site.overrides()).ok
    assert settings["OUTPUT_PATH"] == str(output)


def test_a_build_of_another_site_from_the_same_posts_is_refused_meanwhile(site):
    """`invoke preview` builds output-production/ from the same content/ and
    ledger as `invoke build`: the two converted the same new seeds at once,
    and each story got two posts. The content folder has a lock of its own."""
    site.add("a.txt", fixture_bytes("basic.txt"))
    production = site.root / "output-production"
    overrides = {**site.overrides(), "OUTPUT_PATH": str(production)}
    # `invoke build` of output/ is running:
    with lock(site.settings()), pytest.raises(BuildBusy, match=r"\.content\.lock"):
        build(SETTINGS_FILE, overrides=overrides)
    assert not list(site.content.rglob("*.md"))  # nothing converted meanwhile
    assert build(SETTINGS_FILE, overrides=overrides).ok


def test_a_failed_build_keeps_the_previous_site(site):
    site.add("a.txt", fixture_bytes("basic.txt"))
    assert site.build(date=D0).ok
    before = site.tree()
    site.add("b.txt", fixture_bytes("crlf.txt").replace(b"Pier", b"Quay"))
    (site.content / "posts" / "broken.md").write_text("Title: Broken\nDate: never\n\nx\n")
    result = site.build(date=D0)
    assert not result.ok and any("broken.md" in e for e in result.errors)
    assert site.tree() == before


@pytest.mark.parametrize(
    ("damage", "reason"),
    [
        (lambda text: text[: text.index("\n\n") + 40], "truncated"),
        (lambda text: text.replace("Story_Id:", "Story Id -"), "no Story_Id"),
        (lambda text: text.split("\n\n", 1)[0], "no body"),
    ],
)
def test_a_damaged_post_is_named_and_the_rest_builds(site, errors, damage, reason):
    site.add("a.txt", fixture_bytes("basic.txt"))
    site.add("b.txt", fixture_bytes("no_dek.txt"))
    site.convert(date=D0)
    slug = site.ledger()["a.txt"]["slug"]
    post = site.content / "posts" / f"{slug}.md"
    post.write_text(damage(post.read_text()))
    result = site.build(date=D0)
    assert not result.ok
    [(path, why)] = result.report.damaged
    assert path == str(post) and reason in why
    assert any(str(post) in r.getMessage() for r in errors())
    other = site.ledger()["b.txt"]["slug"]
    assert (site.output / "2026/02" / other / "index.html").is_file()
    assert not (site.output / "2026/02" / slug).exists()  # never published broken


def copy_project(target) -> None:
    for name in ("seeds", "content", "theme", "plugins"):
        shutil.copytree(ROOT / name, target / name, ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("pelicanconf.py", "publishconf.py", "tasks.py"):
        shutil.copy(ROOT / name, target / name)


def test_two_machines_with_other_time_zones_and_locales_build_the_same_bytes(tmp_path):
    trees = []
    for folder, zone, language in (
        (tmp_path / "first", "Pacific/Auckland", "de_DE.UTF-8"),
        (tmp_path / "deeper" / "second clone", "America/Los_Angeles", "C"),
    ):
        folder.mkdir(parents=True)
        copy_project(folder)
        env = {**os.environ, "TZ": zone, "LANG": language, "LC_ALL": language}
        subprocess.run(
            [sys.executable, "-m", "invoke", "build"],
            cwd=folder,
            env=env,
            check=True,
            capture_output=True,
        )
        trees.append(Site(folder).tree())
    assert trees[0] == trees[1]
    assert any(path.endswith(".atom.xml") for path in trees[0])


def test_a_date_that_is_not_one_is_refused_by_name_before_anything_is_built(tmp_path):
    copy_project(tmp_path)
    ran = subprocess.run(
        [sys.executable, "-m", "invoke", "build", "--date", "tomorrow"],
        check=False,  # its exit status is checked below
        cwd=tmp_path,
        capture_output=True,
        text=True,
    )
    assert ran.returncode == 2
    assert "--date 'tomorrow': not an ISO 8601 date" in ran.stderr
    assert "Traceback" not in ran.stderr
    assert not (tmp_path / "output").exists()


TITLES = ["Harbour Vote", "Harbour Vote", "Ferry News", "Storm Warning"]


class Newsroom(RuleBasedStateMachine):
    """Any sequence of add, edit, hand edit, delete, restore and rename: every
    live seed keeps exactly one post, its id, URL and date never change, and no
    hand edit is lost."""

    stories = Bundle("stories")

    def __init__(self):
        super().__init__()
        import tempfile
        from pathlib import Path

        self.folder = Path(tempfile.mkdtemp(prefix="newsroom-"))
        self.site = Site(self.folder / "site")
        self.live: dict[int, str] = {}  # story number → seed path
        self.text: dict[int, str] = {}  # story number → seed text
        self.deleted: set[int] = set()
        self.identity: dict[int, tuple] = {}  # story number → (id, slug, published)
        self.hand_edited: set[int] = set()
        self.counter = 0
        self.day = 0

    def _convert(self) -> None:
        self.day += 1
        self.site.convert(date=D0 + timedelta(days=self.day))
        ledger = self.site.ledger()
        for number, path in self.live.items():
            entry = ledger[path]
            key = (entry["id"], entry["slug"], entry["published"])
            assert self.identity.setdefault(number, key) == key, (number, path)

    @rule(target=stories, title=st.sampled_from(TITLES), folder=st.sampled_from(["", "world/"]))
    def add(self, title, folder):
        number = self.counter = self.counter + 1
        path = f"{folder}story-{number}.txt"
        self.text[number] = f"{title}\n\nDek {number}\n\nUnique body {number}.\n\nAuthor: Ana"
        self.site.add(path, self.text[number])
        self.live[number] = path
        self._convert()
        return number

    @rule(number=stories)
    def edit(self, number):
        if number in self.live:
            self.text[number] = self.text[number].replace("body", "body, corrected,")
            self.site.add(self.live[number], self.text[number])
            self._convert()

    @rule(number=stories)
    def edit_post_by_hand(self, number):
        if number in self.live:
            post = self.site.content / "posts" / f"{self.identity[number][1]}.md"
            post.write_text(post.read_text() + f"\nEditor's note {number}.\n")
            self.hand_edited.add(number)
            self._convert()

    @rule(number=stories)
    def delete(self, number):
        if number in self.live:
            (self.site.seeds / self.live.pop(number)).unlink()
            self.deleted.add(number)
            self._convert()

    @rule(number=stories, folder=st.sampled_from(["", "science/"]))
    def restore(self, number, folder):
        if number in self.deleted:
            self.deleted.discard(number)
            self.live[number] = f"{folder}restored-{number}.txt"
            self.site.add(self.live[number], self.text[number])
            self._convert()

    @rule(number=stories)
    def rename(self, number):
        if number in self.live:
            old = self.live[number]
            self.live[number] = f"renamed-{number}-{self.day}.txt"
            (self.site.seeds / old).rename(self.site.seeds / self.live[number])
            self._convert()

    @invariant()
    def one_post_per_live_seed_and_edits_kept(self):
        if not self.live:
            return
        ledger = self.site.ledger()
        slugs = [ledger[path]["slug"] for path in self.live.values()]
        assert len(set(slugs)) == len(slugs)
        for number, path in self.live.items():
            post = self.site.content / "posts" / f"{ledger[path]['slug']}.md"
            assert post.is_file(), path
            if number in self.hand_edited:
                assert f"Editor's note {number}." in post.read_text()

    def teardown(self):
        if self.live:
            result = self.site.build()
            assert not result.report.rejected and not result.errors
            pages = {p.parent.name for p in self.site.output.glob("*/*/*/index.html")}
            ledger = self.site.ledger()
            assert {ledger[path]["slug"] for path in self.live.values()} <= pages
        shutil.rmtree(self.folder, ignore_errors=True)


Newsroom.TestCase.settings = hypothesis_settings(
    max_examples=int(os.environ.get("NEWSROOM_EXAMPLES", "12")),
    stateful_step_count=12,
    deadline=None,
)
test_newsroom_sequences = Newsroom.TestCase
