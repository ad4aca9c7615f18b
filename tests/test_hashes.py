"""File hashes remembered by stat: unchanged files are not read again, and any
change (even one keeping size and modification time) is seen."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest

from seedpress import hashes
from seedpress.hashes import FileHashes


@pytest.fixture
def remembered(tmp_path, monkeypatch):
    monkeypatch.setattr(hashes, "RACY_NS", 0)  # files made by the test are "old"
    return tmp_path / "hashes.json"


def test_an_unchanged_file_is_not_read_again(tmp_path, remembered, monkeypatch):
    seed = tmp_path / "seed.txt"
    seed.write_bytes(b"Title\n\nBody")
    first = FileHashes(remembered)
    assert first.of(seed) == hashlib.sha256(b"Title\n\nBody").hexdigest()
    first.save()

    def no_reading(self):
        raise AssertionError(f"{self} was read")

    monkeypatch.setattr(Path, "read_bytes", no_reading)
    assert FileHashes(remembered).of(seed) == hashlib.sha256(b"Title\n\nBody").hexdigest()


def test_a_change_keeping_size_and_time_is_seen(tmp_path, remembered):
    seed = tmp_path / "seed.txt"
    seed.write_bytes(b"Title\n\nBody")
    stamp = seed.stat()
    first = FileHashes(remembered)
    first.of(seed)
    first.save()
    seed.write_bytes(b"Title\n\nBODY")  # same size
    os.utime(seed, ns=(stamp.st_atime_ns, stamp.st_mtime_ns))  # same modification time
    assert FileHashes(remembered).of(seed) == hashlib.sha256(b"Title\n\nBODY").hexdigest()


def test_files_modified_just_before_saving_are_not_trusted(tmp_path):
    seed = tmp_path / "seed.txt"
    seed.write_bytes(b"fresh")
    first = FileHashes(tmp_path / "hashes.json")
    first.of(seed)
    first.save()
    assert FileHashes(tmp_path / "hashes.json")._known == {}


def test_a_missing_or_broken_hashes_file_is_an_empty_one(tmp_path):
    broken = tmp_path / "hashes.json"
    broken.write_text("{not json")
    seed = tmp_path / "seed.txt"
    seed.write_bytes(b"x")
    assert FileHashes(broken).of(seed) == hashlib.sha256(b"x").hexdigest()
    assert FileHashes(tmp_path / "absent.json").of(tmp_path / "gone.txt") is None


def test_once_settled_a_file_looked_at_is_answered_without_a_stat(tmp_path, monkeypatch):
    post, earlier = tmp_path / "post.md", tmp_path / "earlier.md"
    post.write_text("one")
    earlier.write_text("old")
    table = FileHashes()
    table.of(str(earlier))  # looked at before settling: the conversion may change it
    table.settle()
    first = table.of(str(post), os.stat(post))  # the build's digest looks at each
    earlier.write_text("new")
    stats = []
    real_stat = os.stat
    monkeypatch.setattr(os, "stat", lambda *a, **k: stats.append(a) or real_stat(*a, **k))
    assert table.of(str(post)) == first
    assert stats == []
    # A file last looked at before settling is looked at again.
    assert table.of(str(earlier)) == hashlib.sha256(b"new").hexdigest()
    assert len(stats) == 1
    # A caller that stats the file itself is answered from what it saw.
    post.write_text("two")
    assert table.of(str(post), real_stat(post)) == hashlib.sha256(b"two").hexdigest()


def test_bytes_the_build_wrote_are_not_read_back(tmp_path, monkeypatch):
    post = tmp_path / "post.md"
    post.write_bytes(b"written")
    table = FileHashes()
    table.wrote(str(post), hashlib.sha256(b"written").hexdigest())
    monkeypatch.setattr(Path, "read_bytes", lambda self: pytest.fail("read back"))
    assert table.of(str(post)) == hashlib.sha256(b"written").hexdigest()


def test_files_under_skips_only_top_folders_when_asked(tmp_path):
    """`top_only`: a folder `skip` names is left out at the top only (the
    search index's folder), not a story's folder of that name deeper down."""
    for relative in ("pagefind/a.pf", "2026/pagefind/index.html", "index.html"):
        (tmp_path / relative).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / relative).write_text("x")
    skip = "pagefind".__eq__
    found = sorted(relative for relative, _ in hashes.files_under(tmp_path, skip, top_only=True))
    assert found == ["2026/pagefind/index.html", "index.html"]
    everywhere = sorted(relative for relative, _ in hashes.files_under(tmp_path, skip))
    assert everywhere == ["index.html"]


def test_what_a_copy_learnt_in_another_process_is_taken_back(tmp_path, remembered):
    """The conversion may run in a forked child with a copy of the table
    (build._convert): what it looked at and hashed comes back with `state`,
    the files it did not change as names only."""
    kept, changed, new = (tmp_path / name for name in ("kept.txt", "changed.txt", "new.txt"))
    for path in (kept, changed):
        path.write_bytes(path.name.encode())
    table = FileHashes(remembered)
    table.of(kept), table.of(changed)
    table.save()
    parent, child = FileHashes(remembered), FileHashes(remembered)
    before = child.known_now()
    changed.write_bytes(b"changed, longer")
    new.write_bytes(b"new")
    for path in (kept, changed, new):
        child.of(path)
    hashed, looked, _ = child.state(before)
    assert set(hashed) == {str(changed), str(new)}  # the kept file's hash: by name only
    assert set(looked) == {str(kept), str(changed), str(new)}
    parent.take(child.state(before))
    assert parent.looked_up() == child.looked_up()
    parent.save()
    assert FileHashes(remembered).of(changed) == hashlib.sha256(b"changed, longer").hexdigest()
