"""seeds/ → content/: incremental, stable ids/URLs/dates, hand edits kept."""

from __future__ import annotations

import logging
import os
import time
from datetime import UTC, datetime, timedelta

import pytest
from conftest import fixture_bytes

D1 = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
D2 = datetime(2026, 3, 5, 9, 0, tzinfo=UTC)


def story(title: str, body: str = "Body text of the story.") -> str:
    return f"{title}\n\nA short dek\n\n{body}\n\nAuthor: Ana Lima"


def test_unchanged_seed_rewrites_nothing(site):
    site.add("a.txt", story("Alpha"))
    assert len(site.convert(date=D1).written) == 1
    post = next((site.content / "posts").glob("*.md"))
    before = (post.stat().st_mtime_ns, (site.content / "ledger.json").read_bytes())
    report = site.convert(date=D2)
    assert (report.written, report.unchanged) == ([], 1)
    assert (
        post.stat().st_mtime_ns,
        (site.content / "ledger.json").read_bytes(),
    ) == before


def test_edit_keeps_id_slug_and_date_and_updates_post(site):
    seed = site.add("a.txt", story("Alpha"))
    site.convert(date=D1)
    first = site.ledger()["a.txt"]
    seed.write_text(story("Alpha, corrected", "New body."))
    assert site.convert(date=D2).written == ["a.txt"]
    entry = site.ledger()["a.txt"]
    assert (entry["id"], entry["slug"], entry["published"]) == (
        first["id"],
        first["slug"],
        first["published"],
    )
    assert entry["updated"] == D2.isoformat() != first["updated"]
    assert "New body." in (site.content / "posts" / f"{first['slug']}.md").read_text()


def test_updated_never_goes_back(site):
    """A correction dated before the last one (`--date` in the past, a file
    copied with its old time) took `updated` back to the published date, and
    readers saw a story never corrected: it is a second after the last change."""
    seed = site.add("a.txt", story("Alpha"))
    site.convert(date=D1)
    seed.write_text(story("Alpha", "First correction."))
    site.convert(date=D2)
    seed.write_text(story("Alpha", "Second correction."))
    site.convert(date=D1 - timedelta(days=30))
    entry = site.ledger()["a.txt"]
    assert datetime.fromisoformat(entry["updated"]) == D2 + timedelta(seconds=1)
    seed.write_text(story("Alpha", "Third correction."))
    os.utime(seed, (0, 0))  # copied with a time long before it was published
    site.convert()
    assert datetime.fromisoformat(site.ledger()["a.txt"]["updated"]) == D2 + timedelta(seconds=2)
    assert site.ledger()["a.txt"]["published"] == D1.isoformat()


@pytest.mark.parametrize(
    "resave",
    [
        lambda text: text.replace("\n", "\r\n"),  # saved on Windows
        lambda text: text.replace("\n\n", "  \n\n\n") + "\n\n",  # trailing white space
    ],
    ids=["CRLF", "white space"],
)
def test_a_seed_saved_again_reading_the_same_keeps_its_updated_date(site, resave):
    """Bytes changed but not the text (line endings, trailing white space, as
    SEED_FORMAT.md reads them): the story was not updated, and no feed may
    say it was. Then a real edit moves the date."""
    seed = site.add("a.txt", story("Alpha"))
    site.convert(date=D1)
    first = site.ledger()["a.txt"]
    post = site.content / "posts" / f"{first['slug']}.md"
    before = post.read_bytes()
    for text in (resave(story("Alpha")), story("Alpha")):  # and back: the same text
        seed.write_bytes(text.encode())
        assert site.convert(date=D2).written == ["a.txt"]  # its Seed_Hash: field
        entry = site.ledger()["a.txt"]
        assert entry["updated"] == first["updated"] == D1.isoformat()
        assert f"Seed_Hash: {entry['seed_hash']}\n" in post.read_text()
        assert post.read_bytes().split(b"\n\n", 1)[1] == before.split(b"\n\n", 1)[1]
    seed.write_bytes(resave(story("Alpha", "A corrected body.")).encode())
    assert site.convert(date=D2).written == ["a.txt"]
    assert site.ledger()["a.txt"]["updated"] == D2.isoformat()
    assert f"Seed_Hash: {site.ledger()['a.txt']['seed_hash']}\n" in post.read_text()


def test_rename_and_move_keep_the_story(site):
    site.add("a.txt", story("Alpha"))
    site.convert(date=D1)
    first = site.ledger()["a.txt"]
    (site.seeds / "world").mkdir()
    (site.seeds / "a.txt").rename(site.seeds / "world" / "renamed.txt")
    report = site.convert(date=D2)
    assert report.removed == []
    entry = site.ledger()["world/renamed.txt"]
    assert (entry["id"], entry["slug"], entry["published"]) == (
        first["id"],
        first["slug"],
        first["published"],
    )
    post = (site.content / "posts" / f"{first['slug']}.md").read_text()
    assert "Category: World" in post


def test_delete_leaves_tombstone_and_restore_gets_it_back(site):
    seed = site.add("a.txt", story("Alpha"))
    site.convert(date=D1)
    first = site.ledger()["a.txt"]
    data = seed.read_bytes()
    seed.unlink()
    report = site.convert(date=D2)
    assert report.removed == ["a.txt"]
    assert site.ledger()["a.txt"]["deleted"] is True
    assert not list((site.content / "posts").glob("*.md"))
    site.add("restored/b.txt", data)
    site.convert(date=D2)
    entry = site.ledger()["restored/b.txt"]
    assert (entry["id"], entry["slug"], entry["published"], entry["deleted"]) == (
        first["id"],
        first["slug"],
        first["published"],
        False,
    )


def test_same_title_gives_two_stories_at_two_urls(site):
    site.add("a.txt", story("Same Title", "First body."))
    site.add("b.txt", story("Same Title", "Second body."))
    site.convert(date=D1)
    ledger = site.ledger()
    assert ledger["a.txt"]["slug"] == "same-title"
    assert ledger["b.txt"]["slug"] == "same-title-2"
    assert ledger["a.txt"]["id"] != ledger["b.txt"]["id"]


@pytest.mark.parametrize("forked", [False, True], ids=["here", "in workers"])
def test_hand_edited_post_is_never_overwritten_without_force(site, caplog, monkeypatch, forked):
    from seedpress import convert

    if forked:  # the workers render the posts and put them in place
        monkeypatch.setattr(convert, "PARALLEL_FROM", 1)
        monkeypatch.setattr(convert, "jobs", lambda settings: 2)
    seed = site.add("a.txt", story("Alpha"))
    site.convert(date=D1)
    post = next((site.content / "posts").glob("*.md"))
    post.write_text(post.read_text() + "\nA correction added by an editor.\n")
    seed.write_text(story("Alpha", "Changed body."))
    report = site.convert(date=D2)
    assert report.kept_edits == [str(post)]
    assert "A correction added by an editor." in post.read_text()
    assert any(str(post) in r.getMessage() and "by hand" in r.getMessage() for r in caplog.records)
    # The new text, written beside the post, did not stay there.
    assert [p.name for p in post.parent.iterdir()] == [post.name]
    site.convert(date=D2, force=True)
    assert "Changed body." in post.read_text()
    assert "A correction" not in post.read_text()
    assert [p.name for p in post.parent.iterdir()] == [post.name]


def test_a_post_written_by_a_conversion_killed_before_its_ledger_is_the_converters(site):
    """A conversion killed after it put a changed seed's post in place, before
    it saved the ledger: the next build finds the post its seed gives, takes
    it as its own and records the change, with no hand edit to report (it was
    kept as one on every build, and the story's update never recorded)."""
    seed = site.add("a.txt", story("Alpha"))
    site.convert(date=D1)
    ledger = site.content / "ledger.json"
    before = ledger.read_bytes()
    seed.write_text(story("Alpha", "Changed body."))
    site.convert(date=D2)
    post = site.content / "posts" / f"{site.ledger()['a.txt']['slug']}.md"
    written = post.read_bytes()
    ledger.write_bytes(before)  # as if killed before the ledger was saved
    report = site.convert(date=D2)
    assert report.kept_edits == [] and post.read_bytes() == written
    entry = site.ledger()["a.txt"]
    assert entry["updated"] != entry["published"]
    assert site.convert(date=D2).kept_edits == []  # and it stays recorded
    # A real hand edit is still kept.
    post.write_text(post.read_text() + "\nAn editor's line.\n")
    seed.write_text(story("Alpha", "Changed again."))
    assert site.convert(date=D2).kept_edits == [str(post)]


def test_deleted_seed_with_hand_edited_post_takes_the_story_down_keeping_the_edit(site):
    """Deleting a seed takes its story down (a takedown must not depend on
    whether someone once edited the post); the hand edit is kept under a name
    Pelican does not read. Kept as a post, the story stayed published."""
    seed = site.add("a.txt", story("Alpha"))
    site.add("b.txt", story("Bravo"))
    assert site.build(date=D1).ok
    post = site.content / "posts" / f"{site.ledger()['a.txt']['slug']}.md"
    page = site.output / f"2026/03/{site.ledger()['a.txt']['slug']}/index.html"
    assert page.is_file()
    edited = post.read_text() + "\nEdited.\n"
    post.write_text(edited)
    seed.unlink()
    result = site.build(date=D2)
    kept = post.with_name(post.name + ".deleted")
    assert result.ok and result.report.kept_edits == [str(kept)]
    assert result.report.removed == ["a.txt"]
    assert not post.exists() and kept.read_text() == edited
    assert not page.exists()
    # Restored, the story comes back with its hand edit, kept as any is.
    site.add("a.txt", story("Alpha"))
    result = site.build(date=D2)
    assert result.ok and page.is_file()
    assert post.read_text() == edited and not kept.exists()
    assert result.report.kept_edits == [str(post)]
    # Deleted again beside an older kept edit: both kept, the newest restored.
    kept.write_text("an older edit")
    post.write_text(edited + "Edited again.\n")
    seed.unlink()
    assert site.build(date=D2).ok and not page.exists()
    second = post.with_name(f"{kept.name}.2")
    assert kept.read_text() == "an older edit"
    assert second.read_text() == edited + "Edited again.\n"
    site.add("a.txt", story("Alpha"))
    assert site.build(date=D2).ok
    assert post.read_text() == edited + "Edited again.\n" and not second.exists()
    assert kept.read_text() == "an older edit"


def test_kept_edits_of_a_deleted_story_are_numbered_and_never_lost(site):
    """The newest kept edit has the highest number, gaps or not; --force at
    a restore leaves the kept edit where it is (the seed's text goes in the
    post); a name that only looks numbered is left alone."""
    seed = site.add("a.txt", story("Alpha"))
    site.convert(date=D1)
    post = site.content / "posts" / f"{site.ledger()['a.txt']['slug']}.md"
    for name, text in ((".deleted.2", "old 2"), (".deleted.3", "old 3"), (".deleted.²", "odd")):
        post.with_name(post.name + name).write_text(text)
    post.write_text(post.read_text() + "\nNewest.\n")
    newest = post.read_text()
    seed.unlink()
    site.convert(date=D2)
    assert post.with_name(post.name + ".deleted.4").read_text() == newest
    site.add("a.txt", story("Alpha"))
    site.convert(date=D2, force=True)
    assert "Newest." not in post.read_text()
    assert post.with_name(post.name + ".deleted.4").read_text() == newest
    seed.unlink()
    site.convert(date=D2)  # the post as the seed made it: removed, nothing kept
    site.add("a.txt", story("Alpha"))
    site.convert(date=D2)
    assert post.read_text() == newest
    assert post.with_name(post.name + ".deleted.²").read_text() == "odd"


def test_hand_written_posts_are_left_alone(site):
    handwritten = site.content / "posts" / "editorial.md"
    handwritten.parent.mkdir(parents=True)
    handwritten.write_text("Title: Editorial\nDate: 2026-01-01\n\nOur view.\n")
    site.add("a.txt", story("Alpha"))
    site.convert(date=D1)
    (site.seeds / "a.txt").unlink()
    site.convert(date=D2)
    assert handwritten.read_text().endswith("Our view.\n")


def test_rejected_seed_logs_one_error_and_others_convert(site, errors):
    site.add("good.txt", story("Good"))
    site.add("empty.txt", fixture_bytes("empty.txt"))
    report = site.convert(date=D1)
    assert report.written == ["good.txt"]
    assert [name for name, _ in report.rejected] == ["empty.txt"]
    [record] = errors()
    assert "empty.txt" in record.getMessage() and "empty file" in record.getMessage()


def test_seeds_are_never_written(site):
    seed = site.add("a.txt", fixture_bytes("controls.txt"))
    os.chmod(seed, 0o444)
    stat = seed.stat()
    site.convert(date=D1)
    site.convert(date=D2, force=True)
    assert seed.read_bytes() == fixture_bytes("controls.txt")
    assert seed.stat().st_mtime_ns == stat.st_mtime_ns


def test_hidden_files_are_not_seeds(site):
    site.add(".draft.txt", story("Hidden"))
    site.add(".git/x.txt", story("Hidden"))
    site.add("notes.md", story("Not a seed"))
    assert site.convert(date=D1).written == []


def test_new_story_date_falls_back_to_file_time(site):
    seed = site.add("a.txt", story("Alpha"))
    os.utime(seed, (1767225600, 1767225600))  # 2026-01-01T00:00:00Z
    site.convert()
    assert site.ledger()["a.txt"]["published"] == "2026-01-01T00:00:00+00:00"


def test_oversized_seed_is_rejected_before_it_is_read(site, errors):
    site.add("big.txt", b"T\n\n" + b"word " * 3000)
    site.add("ok.txt", story("Fine"))
    settings = site.settings() | {"SEEDPRESS_MAX_SEED_BYTES": 10_000}
    from seedpress.convert import convert

    report = convert(site.seeds, site.content, settings, date=D1)
    assert report.written == ["ok.txt"]
    [record] = errors()
    assert "big.txt" in record.getMessage() and "10,000 bytes" in record.getMessage()


def test_symbolic_links_are_never_followed(site, errors, tmp_path):
    secret = tmp_path / "secret.ini"
    secret.write_text("Keys\n\naws_secret_access_key = hunter2")
    (site.seeds / "leak.txt").symlink_to(secret)
    site.add("good.txt", story("Good"))
    report = site.convert(date=D1)
    assert report.written == ["good.txt"]
    [record] = errors()
    assert "leak.txt" in record.getMessage() and "symbolic link" in record.getMessage()
    assert "hunter2" not in "".join(p.read_text() for p in (site.content / "posts").glob("*"))


def test_links_to_folders_and_to_nothing_are_rejected_by_name(site, tmp_path):
    """Neither is followed; both were passed over without a word, and the
    seeds behind them were never published. Hidden files stay unread and
    unreported (an editor's lock file, macOS's `._story.txt`)."""
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "story.txt").write_text(story("Outside"))
    (site.seeds / "linked").symlink_to(outside)
    (site.seeds / "dangling.txt").symlink_to("does-not-exist.txt")
    (site.seeds / ".#draft.txt").symlink_to("nobody@host.1234")
    site.add("._good.txt", b"\x00\x05\x16\x07 AppleDouble")
    site.add("good.txt", story("Good"))
    report = site.convert(date=D1)
    assert report.written == ["good.txt"]
    assert dict(report.rejected) == {
        "linked": "a link to a folder: seeds are only read from folders in seeds/",
        "dangling.txt": "a symbolic link: seeds are only read from regular files in seeds/",
    }


def test_a_new_story_under_a_deleted_seeds_name_is_a_new_story(site):
    seed = site.add("a.txt", story("Old Ferry Story", "Old body."))
    site.convert(date=D1)
    old = site.ledger()["a.txt"]
    seed.unlink()
    site.convert(date=D1)
    site.add("a.txt", story("Fresh Council Story", "Different body."))
    site.convert(date=D2)
    new = site.ledger()["a.txt"]
    assert new["id"] != old["id"] and new["slug"] != old["slug"]
    assert new["published"] == D2.isoformat()


def test_a_correction_held_back_by_a_hand_edit_is_not_lost(site, caplog):
    seed = site.add("a.txt", story("Alpha", "Original body."))
    site.convert(date=D1)
    post = next((site.content / "posts").glob("*.md"))
    generated = post.read_text()
    post.write_text(generated + "\nEditor's note.\n")
    seed.write_text(story("Alpha", "Corrected body."))
    assert site.convert(date=D2).kept_edits == [str(post)]
    # The editor takes the note back: the correction now goes through.
    post.write_text(generated)
    report = site.convert(date=D2)
    assert report.written == ["a.txt"] and "Corrected body." in post.read_text()


def test_a_hand_written_post_is_never_overwritten_by_a_seed_of_the_same_title(site):
    handwritten = site.content / "posts" / "harbour-news.md"
    handwritten.parent.mkdir(parents=True)
    handwritten.write_text("Title: Harbour news\nDate: 2026-01-01\n\nWritten by hand.\n")
    site.add("a.txt", story("Harbour News"))
    site.convert(date=D1)
    assert handwritten.read_text().endswith("Written by hand.\n")
    assert site.ledger()["a.txt"]["slug"] == "harbour-news-2"


def test_author_names_with_addresses_and_semicolons(site):
    site.add(
        "a.txt", "T\n\nBody.\n\nAuthor: Jane Roe <jane@example.org>; Ann Lee\n\nJane Roe writes."
    )
    site.build(date=D1)
    page = site.article_html(site.ledger()["a.txt"]["slug"])
    assert "authors/jane-roe/" in page and "authors/ann-lee/" in page
    assert "jane@example.org" not in page and "&amp;lt" not in page


def test_a_small_hand_edit_is_not_taken_for_damage(site):
    dek = " ".join(["word"] * 40)
    site.add("a.txt", f"Title\n\n{dek}\n\nA short body of seven words here.")
    site.convert(date=D1)
    post = next((site.content / "posts").glob("*.md"))
    post.write_text(post.read_text().replace("short body", "short, body"))
    assert site.convert(date=D1).damaged == []


def test_a_line_separator_in_a_field_is_not_a_line_of_the_header(site):
    """U+2028 is a character of the text: a bio holding one before "Slug:"
    is still one field, and a hand edit of its post is no damage."""
    body = "A body paragraph of a few words.\n\nAnother one."
    site.add(
        "a.txt", f"Title\n\nDek\n\n{body}\n\nAuthor: Ann Lee\n\nAnn Lee writes.\u2028Slug: other"
    )
    assert site.build(date=D1).ok
    post = next((site.content / "posts").glob("*.md"))
    post.write_text(post.read_text().replace("few words", "handful of words"))
    result = site.build(date=D1)
    assert result.report.damaged == [] and result.ok
    assert "handful of words" in site.article_html("title")


def test_the_ledger_is_written_as_json_indented_by_one(tmp_path):
    """Its own writer gives json.dumps(indent=1)'s bytes (readable diffs)."""
    import json
    from dataclasses import asdict

    from seedpress.ledger import Entry, Ledger

    odd = 'Café “quoted” \\ back\tslash \u2028 "end"'
    entries = [
        Entry("tag:x,2025-01-01:1", "a", odd, "", "2025-01-01T00:00:00+00:00", "u", "h"),
        Entry("tag:x,2024-01-01:2", "b", "b.txt", "world", "2024-01-01", "u", "h", "p", 3, True),
    ]
    for ledger in (Ledger(tmp_path / "ledger.json", entries), Ledger(tmp_path / "empty.json")):
        stories = sorted(ledger.entries.values(), key=lambda e: (e.published, e.id))
        expected = {"format": 1, "stories": [asdict(e) for e in stories]}
        assert ledger._serialise() == json.dumps(expected, indent=1, ensure_ascii=False) + "\n"


def test_a_ledger_sent_to_another_process_is_the_same_ledger(tmp_path):
    """The conversion may run in a child (build._convert), which sends its
    ledger back pickled, each entry as its values: the same entries, and the
    same state last saved, so that a change not yet saved is still written."""
    import pickle

    from seedpress.ledger import Entry, Ledger

    path = tmp_path / "ledger.json"
    ledger = Ledger(path, [Entry("tag:x,2025-01-01:1", "a", "a.txt", "", "2025", "u", "h")])
    ledger.save()
    copy = pickle.loads(pickle.dumps(ledger))
    assert copy.path == path and copy.entries == ledger.entries
    assert copy._slugs == {"a"} and not copy.save()  # saved already
    ledger.entries["tag:x,2025-01-01:1"].slug = "b"
    moved = pickle.loads(pickle.dumps(ledger))
    assert moved.entries == ledger.entries and moved.save()  # the change is written
    assert Ledger.load(path).entries == ledger.entries


def test_posts_left_beside_their_place_by_a_conversion_that_died_are_removed(site):
    site.add("a.txt", story("Alpha"))
    site.convert(date=D1)
    posts = site.content / "posts"
    left = posts / ".a-story-that-never-landed.md.tmp"
    left.write_text("half a post")
    site.add("b.txt", story("Beta"))
    site.convert(date=D1)
    assert not left.exists()
    assert sorted(p.name for p in posts.iterdir() if p.name.startswith(".")) == []


def test_a_seed_name_with_a_line_break_is_shown_escaped(site, caplog):
    """A name can hold a line break or an escape sequence: the log and the
    summary show it escaped, so that it can neither break a line nor forge one."""
    site.add("a.txt", story("Alpha"))
    site.add("new\nseeds: 9 converted.txt", story("Beta"))
    site.add("red\x1b[31m.txt", story("Gamma"))
    site.add("csi\x9b31m.txt", story("Delta"))  # C1's one-byte escape
    report = site.convert(date=D1)
    assert report.written == ["a.txt"] and len(report.rejected) == 3
    lines = [line for r in caplog.records for line in r.getMessage().splitlines()]
    lines += report.summary().splitlines()
    assert not any(line.startswith("seeds: 9") for line in lines)
    assert not any("\x1b" in line or "\x9b" in line for line in lines)
    shown = [name for name, _ in report.rejected] + report.written
    assert all(name.isprintable() for name in shown), shown


def test_a_ledger_name_with_a_control_character_is_shown_escaped(site, caplog):
    """A seed accepted before names with C1 controls were rejected stays in
    the ledger under that name: when it goes, the log and the report show the
    name escaped."""
    import json

    site.add("a.txt", story("Alpha"))
    site.add("b.txt", story("Beta"))
    site.convert(date=D1)
    ledger = site.content / "ledger.json"
    data = json.loads(ledger.read_text())
    for entry in data["stories"]:
        if entry["seed"] == "b.txt":
            entry["seed"] = "b\x9b31m.txt"
    ledger.write_text(json.dumps(data, indent=1))
    (site.seeds / "b.txt").unlink()
    report = site.convert(date=D1)
    assert report.removed == ["b\\x9b31m.txt"]
    assert not any("\x9b" in r.getMessage() for r in caplog.records)


def test_a_seed_whose_name_is_not_utf8_is_rejected_and_the_rest_converted(site):
    """A Latin-1 name (café in one byte) comes from os.walk with a surrogate,
    which neither the ledger nor a post can hold: the build died writing the
    ledger. It is rejected by name (the byte shown as U+FFFD)."""
    site.add("a.txt", story("Alpha"))
    (site.seeds / os.fsdecode(b"caf\xe9.txt")).write_bytes(story("Beta").encode())
    report = site.convert(date=D1)
    assert report.written == ["a.txt"]
    assert report.rejected == [("caf\ufffd.txt", "its file name is not UTF-8 (rename it)")]
    assert list(site.ledger()) == ["a.txt"]


def test_a_renamed_copy_of_a_deleted_story_stays_the_story_it_is(site):
    """Two seeds with the same bytes are two stories; when the first is
    deleted and the second renamed, the second keeps its id, slug and date
    (it took the deleted one's, by its bytes)."""
    site.add("a.txt", story("Same story"))
    site.convert(date=D1)
    site.add("b.txt", story("Same story"))
    site.convert(date=D2)
    second = site.ledger()["b.txt"]
    (site.seeds / "a.txt").unlink()
    site.convert(date=D2)
    (site.seeds / "b.txt").rename(site.seeds / "c.txt")
    site.convert(date=D2)
    entry = site.ledger()["c.txt"]
    assert (entry["id"], entry["slug"], entry["published"]) == (
        second["id"],
        second["slug"],
        second["published"],
    )
    assert not entry["deleted"]


def test_a_setting_written_into_posts_writes_them_again(site):
    """Section names and where @handles link are written into each post:
    when they change, every post is written again, or a section's older
    posts kept its old name (a second section) and older bios the old
    links. Dates stay."""
    site.add("world/a.txt", story("Alpha") + "\n\nAna Lima covers ports. Follow @ana.")
    site.convert(date=D1)
    first = site.ledger()["world/a.txt"]
    settings = {"SEEDPRESS_SECTION_NAMES": {"world": "World News"}}
    settings["SEEDPRESS_HANDLE_URL"] = "https://social.example/@{handle}"
    site.add("world/b.txt", story("Beta"))
    report = site.convert(date=D2, settings=settings)
    assert sorted(report.written) == ["world/a.txt", "world/b.txt"]
    for name in ("a", "b"):
        post = site.content / "posts" / f"{site.ledger()[f'world/{name}.txt']['slug']}.md"
        assert "Category: World News\n" in post.read_text()
    assert 'href="https://social.example/@ana"' in post.with_name(f"{first['slug']}.md").read_text()
    assert site.ledger()["world/a.txt"]["updated"] == first["updated"]
    assert site.convert(date=D2, settings=settings).written == []


def test_a_missing_seeds_folder_takes_no_story_down_but_an_empty_one_does(site):
    """A seeds folder not there (a wrong path, a checkout without it) buried
    every story and deleted their posts; only an empty folder means that."""
    site.add("a.txt", story("Alpha"))
    site.convert(date=D1)
    [post] = (site.content / "posts").glob("*.md")
    site.seeds.rename(site.root / "elsewhere")
    assert site.convert(date=D2).removed == []
    assert post.is_file() and not site.ledger()["a.txt"]["deleted"]
    site.seeds.mkdir()
    assert site.convert(date=D2).removed == ["a.txt"]
    assert not post.exists() and site.ledger()["a.txt"]["deleted"]


def test_a_post_whose_seed_was_rejected_when_a_setting_changed_gets_it_later(site):
    """The section's new name reaches the post of a seed that was rejected
    (emptied) on the day the setting changed, once the seed is back."""
    text = story("Alpha")
    seed = site.add("world/a.txt", text)
    site.convert(date=D1)
    seed.write_text("")
    settings = {"SEEDPRESS_SECTION_NAMES": {"world": "World News"}}
    assert site.convert(date=D2, settings=settings).rejected
    seed.write_text(text)
    assert site.convert(date=D2, settings=settings).written == ["world/a.txt"]
    [post] = (site.content / "posts").glob("*.md")
    assert "Category: World News\n" in post.read_text()


def test_a_hand_written_post_named_as_a_deleted_story_still_reserves_its_slug(site):
    """posts/alpha.md, written by hand after the story alpha was deleted, is
    published under its own title's slug, which a new story must not take:
    it was skipped as the deleted story's post."""
    site.add("a.txt", story("Alpha"))
    site.convert(date=D1)
    (site.seeds / "a.txt").unlink()
    site.convert(date=D1)
    (site.content / "posts" / "alpha.md").write_text(
        "Title: Gamma\nDate: 2026-03-01 09:00\n\nWritten by hand.\n"
    )
    site.add("g.txt", story("Gamma"))
    site.convert(date=D2)
    assert site.ledger()["g.txt"]["slug"] == "gamma-2"


@pytest.mark.parametrize(
    ("stamp", "why"),
    [
        (0, "before 1980"),
        (315532800, "before 1980"),  # 1980-01-01T00:00Z: zip's earliest
        (time.time() + 5 * 365 * 86400, "in the future"),
        (time.time() + 3600, "in the future"),  # a clock an hour ahead
    ],
)
def test_a_file_time_that_cannot_be_a_publication_date_is_not_one(site, caplog, stamp, why):
    """A date never changes once published: a 1970 time (tools that keep
    none) or one years ahead (a skewed clock) would have stayed."""
    caplog.set_level(logging.WARNING)
    seed = site.add("odd.txt", story("Odd Time"))
    os.utime(seed, (stamp, stamp))
    before = datetime.now(UTC) - timedelta(seconds=2)
    site.convert()
    published = datetime.fromisoformat(site.ledger()["odd.txt"]["published"])
    assert before <= published <= datetime.now(UTC) + timedelta(seconds=2)
    assert "odd.txt: its file's time" in caplog.text and why in caplog.text


def test_a_named_pipe_is_rejected_not_waited_on(site, errors):
    """Opening a pipe waits for a writer: the build hung, holding its locks."""
    os.mkfifo(site.seeds / "pipe.txt")
    site.add("good.txt", story("Good"))
    report = site.convert(date=D1)
    assert report.written == ["good.txt"]
    assert dict(report.rejected) == {
        "pipe.txt": "not a regular file (a named pipe, socket or device)"
    }
    assert len(errors()) == 1


@pytest.mark.parametrize(
    "resave",
    [
        lambda data: data.replace(b"\n", b"\r\n"),  # opened and saved on Windows
        lambda data: data + b"\n\n",  # an editor's final newline
        lambda data: b"\xef\xbb\xbf" + data,  # Notepad's byte-order mark
        lambda data: data.decode().encode("utf-16"),  # "Unicode" in Notepad
    ],
)
def test_a_seed_renamed_and_resaved_keeps_its_story(site, caplog, resave):
    """Renamed with only the form of its bytes changed, the seed was taken for
    a new story: its URL, id and date changed, with no warning."""
    caplog.set_level(logging.INFO)
    seed = site.add("a.txt", story("Alpha"))
    site.convert(date=D1)
    first = site.ledger()["a.txt"]
    site.add("renamed.txt", resave(seed.read_bytes()))
    seed.unlink()
    report = site.convert(date=D2)
    assert report.removed == []
    entry = site.ledger()["renamed.txt"]
    assert [entry[k] for k in ("id", "slug", "published", "updated", "deleted")] == [
        first[k] for k in ("id", "slug", "published", "updated", "deleted")
    ]
    assert "renamed.txt: same story as a.txt" in caplog.text
    assert "gone in this build" not in caplog.text


def test_a_seed_renamed_and_edited_at_once_is_a_new_story_and_the_build_says_so(site, caplog):
    seed = site.add("a.txt", story("Alpha"))
    site.convert(date=D1)
    first = site.ledger()["a.txt"]
    site.add("alpha-final.txt", story("Alpha", "Body text of the story, corrected."))
    seed.unlink()
    caplog.set_level(logging.WARNING)
    report = site.convert(date=D2)
    assert report.removed == ["a.txt"] and report.written == ["alpha-final.txt"]
    assert site.ledger()["alpha-final.txt"]["id"] != first["id"]
    [record] = caplog.records
    assert "alpha-final.txt new and a.txt gone in this build" in record.getMessage()


def test_a_copy_of_a_seed_is_published_with_a_warning(site, caplog):
    caplog.set_level(logging.WARNING)
    seed = site.add("a.txt", story("Alpha"))
    site.add("a (1).txt", seed.read_bytes())
    report = site.convert(date=D1)
    assert sorted(report.written) == ["a (1).txt", "a.txt"]
    [record] = caplog.records
    assert "a (1).txt and a.txt have the same bytes: both are published" in record.getMessage()


def test_a_correction_with_a_file_time_in_the_future_is_dated_now(site, caplog):
    caplog.set_level(logging.WARNING)
    seed = site.add("a.txt", story("Alpha"))
    site.convert(date=D1)
    seed.write_text(story("Alpha", "Corrected."))
    ahead = time.time() + 400 * 86400
    os.utime(seed, (ahead, ahead))
    site.convert()
    updated = datetime.fromisoformat(site.ledger()["a.txt"]["updated"])
    assert updated <= datetime.now(UTC) + timedelta(seconds=2)
    # Said only for a first publication: a hand edit holding the correction
    # back would have it said on every build.
    assert "its file's time" not in caplog.text


def test_a_deleted_story_restored_with_other_line_endings_is_not_updated(site):
    """Its post was removed with it, so the post could not say the story was
    the same: `updated` moved, and feed readers showed a correction."""
    seed = site.add("a.txt", story("Alpha"))
    site.convert(date=D1)
    first = site.ledger()["a.txt"]
    data = seed.read_bytes()
    seed.unlink()
    site.convert(date=D2)
    site.add("b.txt", data.replace(b"\n", b"\r\n"))
    site.convert(date=D2 + timedelta(days=1))
    entry = site.ledger()["b.txt"]
    assert [entry[k] for k in ("id", "published", "updated", "deleted")] == [
        first["id"],
        first["published"],
        first["updated"],
        False,
    ]


def test_two_stories_that_read_alike_are_not_matched_by_their_text(site):
    """Which one a renamed, re-saved copy is cannot be told: a new story, not
    another's URL."""
    site.add("one.txt", story("Wire"))
    site.add("two.txt", story("Wire").replace("\n", "\r\n"))
    site.convert(date=D1)
    ids = {entry["id"] for entry in site.ledger().values()}
    (site.seeds / "one.txt").unlink()
    (site.seeds / "two.txt").unlink()
    site.add("three.txt", story("Wire") + "\n\n")
    site.convert(date=D2)
    assert site.ledger()["three.txt"]["id"] not in ids
