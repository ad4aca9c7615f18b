"""The articles Pelican made, kept between builds (articlecache.py): restored
as made, never with another build's settings or site, made again when their
post changes, and made on every core when many are missing."""

from __future__ import annotations

import io
import pickle
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from conftest import Site, demo, fixture_bytes

from seedpress.dates import zone

DATE = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)
MARKER = "marker-setting-0f3a"


def _kept(site: Site) -> dict[str, tuple[bytes, bytes]]:
    from seedpress.articlecache import read_kept

    [path] = (site.root / ".output.cache").glob("*/ArticlesGenerator-seedpress.pickle")
    return read_kept(str(path))[0]


class _Names(pickle.Unpickler):
    """Loads a kept article, noting the references it holds by name."""

    def __init__(self, blob: bytes, settings: dict):
        super().__init__(io.BytesIO(blob))
        self.settings = settings
        self.names: set[str] = set()

    def persistent_load(self, pid):
        if pid.startswith("zone:"):  # a date's zone, by its offset in seconds
            self.names.add("zone")
            return zone(timedelta(seconds=float(pid.removeprefix("zone:"))))
        self.names.add(pid)
        return self.settings if pid == "settings" else {}


def test_kept_articles_hold_the_settings_and_context_by_name_only(tmp_path):
    site = demo(tmp_path / "site")
    assert site.build(date=DATE, settings={"MARKER": MARKER}).ok
    kept = _kept(site)
    posts = sorted(p.name for p in (site.content / "posts").glob("*.md"))
    assert sorted(Path(path).name for path in kept) == posts
    for _stamp, blob in kept.values():
        assert MARKER.encode() not in blob  # the settings are not in it
        loader = _Names(blob, site.settings())
        article = loader.load()
        assert loader.names == {"settings", "context", "zone"}
        assert article.title and article.url and article.content
        assert article.date.tzinfo is zone(article.date.utcoffset())


def _count_reads(monkeypatch) -> list[str]:
    """The names of the posts Pelican reads as articles from now on."""
    from pelican.readers import Readers

    read: list[str] = []
    original = Readers.read_file

    def counting(self, base_path, path, content_class, *args, **kwargs):
        if content_class.__name__ == "Article":
            read.append(Path(path).name)
        return original(self, base_path, path, content_class, *args, **kwargs)

    monkeypatch.setattr(Readers, "read_file", counting)
    return read


def test_only_the_changed_post_is_read_again(tmp_path, monkeypatch):
    site = demo(tmp_path / "site")
    assert site.build(date=DATE).ok
    read = _count_reads(monkeypatch)
    [post] = (site.content / "posts").glob("city-council-approves*.md")
    seed = site.seeds / "city-council-approves-bike-lanes.txt"
    blocks = seed.read_text().split("\n\n")
    blocks[2] = "Updated. " + blocks[2]
    seed.write_text("\n\n".join(blocks))
    assert site.build(date=DATE).ok
    assert read == [post.name]
    assert "Updated." in site.article_html(_slug(post))


def _slug(post: Path) -> str:
    for line in post.read_text().splitlines():
        if line.startswith("Slug:"):
            return line.split(":", 1)[1].strip()
    raise AssertionError(f"no slug in {post}")


def test_articles_made_on_every_core_build_the_same_site(tmp_path, monkeypatch):
    from seedpress import articlecache

    serial = demo(tmp_path / "serial")
    assert serial.build(date=DATE, settings={"SEEDPRESS_JOBS": 1}).ok
    monkeypatch.setattr(articlecache, "PARALLEL_FROM", 1)
    parallel = demo(tmp_path / "parallel")
    assert parallel.build(date=DATE, settings={"SEEDPRESS_JOBS": 2}).ok
    assert parallel.tree() == serial.tree()
    assert _kept(parallel).keys() == _kept(serial).keys()


def test_a_post_that_fails_on_a_worker_is_reported_once_by_the_build(site, errors, monkeypatch):
    from seedpress import articlecache

    monkeypatch.setattr(articlecache, "PARALLEL_FROM", 1)
    site.add("a.txt", fixture_bytes("basic.txt"))
    site.add("b.txt", fixture_bytes("no_dek.txt"))
    site.convert(date=DATE)
    broken = site.content / "posts" / "broken.md"
    broken.write_text("Title: Broken\nDate: not a date\n\nText.\n")
    result = site.build(date=DATE, settings={"SEEDPRESS_JOBS": 2})
    assert not result.ok
    named = [r for r in errors() if "broken.md" in r.getMessage()]
    assert len(named) == 1, [r.getMessage() for r in named]
    # The good posts were kept: the next build reads only the fixed one (here,
    # where the reads are counted).
    monkeypatch.setattr(articlecache, "PARALLEL_FROM", 10**9)
    read = _count_reads(monkeypatch)
    broken.write_text("Title: Broken\nDate: 2026-01-02\n\nText.\n")
    assert site.build(date=DATE, settings={"SEEDPRESS_JOBS": 2}).ok
    assert read == ["broken.md"]
    assert len(_kept(site)) == 3


def test_a_kept_article_that_cannot_be_loaded_is_read_again(tmp_path, monkeypatch):
    """A damaged entry (or a plugin's class that moved) costs one read, not
    every build from then on."""
    site = demo(tmp_path / "site")
    assert site.build(date=DATE).ok
    [path] = (site.root / ".output.cache").glob("*/ArticlesGenerator-seedpress.pickle")
    kept = pickle.loads(path.read_bytes())
    damaged = sorted(kept)[0]
    kept[damaged] = (kept[damaged][0], b"not a pickle")
    path.write_bytes(pickle.dumps(kept))
    read = _count_reads(monkeypatch)
    before = site.tree()
    (site.root / ".output.inputs").unlink()  # build it again anyway
    assert site.build(date=DATE).ok
    assert read == [Path(damaged).name]
    assert site.tree() == before


def test_future_dated_posts_are_not_kept_when_they_are_drafts_until_then(tmp_path):
    """WITH_FUTURE_DATES = False makes a post dated tomorrow a draft until
    tomorrow: a kept one would stay a draft."""
    site = demo(tmp_path / "site")
    assert site.build(date=DATE, settings={"WITH_FUTURE_DATES": False}).ok
    assert not (site.root / ".output.cache").exists() or not list(
        (site.root / ".output.cache").glob("*/ArticlesGenerator-seedpress.pickle")
    )


def test_an_article_holding_another_is_not_kept(site):
    from pelican.contents import Article

    from seedpress.articlecache import _dumps

    settings = site.settings()

    class Generator:  # what _dumps needs of Pelican's
        def __init__(self):
            self.settings, self.context = settings, {}

    generator = Generator()

    def article(title: str) -> Article:
        metadata = {"title": title, "date": DATE}
        return Article("<p>x</p>", metadata, settings=settings, context=generator.context)

    alone, other = article("Alone"), article("Other")
    assert _dumps(generator, alone)
    alone.friend = other  # as a plugin might attach a related story
    assert _dumps(generator, alone) is None


@pytest.mark.parametrize("journal_up_to", [0, 64], ids=["written anew", "appended"])
def test_kept_articles_that_cannot_be_saved_do_not_fail_the_build(
    tmp_path, caplog, monkeypatch, journal_up_to
):
    """A cache: the site is right without it (Pelican's own warns as well)."""
    from seedpress import articlecache

    monkeypatch.setattr(articlecache, "JOURNAL_UP_TO", journal_up_to)
    site = demo(tmp_path / "site")
    assert site.build(date=DATE).ok
    [path] = (site.root / ".output.cache").glob("*/ArticlesGenerator-seedpress.pickle")
    path.unlink()
    for blocked in (path, path.with_name(path.name + articlecache.JOURNAL)):
        (blocked / "in the way").mkdir(parents=True)  # no file can be written there now
    blocks = (site.seeds / "city-council-approves-bike-lanes.txt").read_text().split("\n\n")
    blocks[2] = "Updated. " + blocks[2]
    (site.seeds / "city-council-approves-bike-lanes.txt").write_text("\n\n".join(blocks))
    assert site.build(date=DATE).ok
    assert any("could not save the kept articles" in r.getMessage() for r in caplog.records)


def test_a_build_leaves_no_object_frozen(tmp_path):
    """The objects a build holds are frozen for it (spared the collector's
    scans), and handed back when it ends: a process that builds again (tests,
    a watcher) frees them."""
    import gc

    site = demo(tmp_path / "site")
    assert site.build(date=DATE, settings={"SEEDPRESS_JOBS": 2}).ok
    assert gc.get_freeze_count() == 0


def test_only_a_build_freezes_what_it_holds():
    """Outside a build (Pelican run with the plugin, `pelican --autoreload`)
    nothing unfreezes, so nothing is frozen; inside one, what is spared is
    handed back when it ends."""
    import gc

    from seedpress.collector import collector_spared, spare

    held = [[index] for index in range(1000)]
    spare()
    assert gc.get_freeze_count() == 0
    with collector_spared():
        spare()
        assert gc.get_freeze_count() >= len(held)
    assert gc.get_freeze_count() == 0


def _edit(site: Site, word: str) -> None:
    seed = site.seeds / "city-council-approves-bike-lanes.txt"
    blocks = seed.read_text().split("\n\n")
    blocks[2] = f"{word}. " + blocks[2]
    seed.write_text("\n\n".join(blocks))


def test_an_edit_is_appended_to_the_journal_and_one_cut_short_is_written_anew(tmp_path):
    from seedpress.articlecache import JOURNAL, read_kept

    site = demo(tmp_path / "site")
    assert site.build(date=DATE).ok
    [path] = (site.root / ".output.cache").glob("*/ArticlesGenerator-seedpress.pickle")
    journal = path.with_name(path.name + JOURNAL)
    whole, posts = path.read_bytes(), len(list((site.content / "posts").glob("*.md")))
    _edit(site, "Updated")
    assert site.build(date=DATE).ok
    assert path.read_bytes() == whole  # only the change was written
    entries, journaled = read_kept(str(path))
    assert journaled == 1 and len(entries) == posts
    assert entries != pickle.loads(whole)
    # A build killed while appending leaves a change cut short: the changes
    # before it hold, and the next build writes every entry anew.
    journal.write_bytes(journal.read_bytes() + pickle.dumps({"x": (b"", b"y")})[:-3])
    assert read_kept(str(path)) == (entries, None)
    _edit(site, "Again")
    assert site.build(date=DATE).ok
    assert not journal.exists()
    assert read_kept(str(path))[1] == 0 and len(read_kept(str(path))[0]) == posts


def test_posts_are_listed_once_and_no_extension_lists_nothing():
    from seedpress.articlecache import list_once

    walked = []

    class Generator:
        def get_files(self, paths, exclude=None, extensions=None):
            walked.append(extensions)
            return {"posts/a.md", "notes/b.rst"}

    generator = Generator()
    list_once(generator)
    assert generator.get_files(["posts"]) == {"posts/a.md", "notes/b.rst"}
    generator.get_files(["posts"]).clear()  # each caller gets its own set
    assert generator.get_files(["posts"]) == {"posts/a.md", "notes/b.rst"}
    assert generator.get_files(["posts"], extensions={}.keys()) == set()  # no reader disabled
    assert generator.get_files(["posts"], extensions=False)
    assert walked == [None, False]


def test_a_post_for_a_disabled_reader_is_still_reported(tmp_path, caplog, monkeypatch):
    from pelican.readers import RstReader

    monkeypatch.setattr(RstReader, "enabled", False)  # as without docutils
    site = demo(tmp_path / "site")
    site.content.mkdir(parents=True, exist_ok=True)
    (site.content / "notes.rst").write_text("Notes\n#####\n\nText.\n")
    assert site.build().ok
    assert any(
        "notes.rst" in record.getMessage() and record.levelname == "WARNING"
        for record in caplog.records
    )


def _preloading(monkeypatch) -> dict[str, int]:
    """Kept articles unpickled beside the conversion from any size on; the
    counts of builds that did so and of the articles Pelican took."""
    from seedpress import articlecache

    monkeypatch.setattr(articlecache, "PRELOAD_FROM", 0)
    counts = {"preloads": 0, "taken": 0}
    preload, take = articlecache.preload, articlecache._Preloaded.take

    def counting_preload(*args):
        counts["preloads"] += 1
        preload(*args)

    def counting_take(self, *args):
        found = take(self, *args)
        counts["taken"] += found is not None
        return found

    monkeypatch.setattr(articlecache, "preload", counting_preload)
    monkeypatch.setattr(articlecache._Preloaded, "take", counting_take)
    return counts


def _correct(site: Site) -> None:
    seed = site.seeds / "city-council-approves-bike-lanes.txt"
    blocks = seed.read_text().split("\n\n")
    blocks[2] = "Corrected. " + blocks[2]
    seed.write_text("\n\n".join(blocks))


def test_articles_unpickled_beside_the_conversion_build_the_same_site(tmp_path, monkeypatch):
    two = {"SEEDPRESS_JOBS": 2}
    plain = demo(tmp_path / "plain")
    assert plain.build(date=DATE, settings=two).ok
    _correct(plain)
    assert plain.build(date=DATE, settings=two).ok

    counts = _preloading(monkeypatch)
    beside = demo(tmp_path / "beside")
    assert beside.build(date=DATE, settings=two).ok
    assert counts == {"preloads": 0, "taken": 0}  # nothing kept yet
    read = _count_reads(monkeypatch)
    _correct(beside)
    result = beside.build(date=DATE, settings=two)
    assert result.ok and result.report.written  # converted in the child
    posts = list((beside.content / "posts").glob("*.md"))
    # Every unchanged post's article was the one unpickled beforehand; the
    # corrected one was read again, as ever.
    assert counts == {"preloads": 1, "taken": len(posts) - 1}
    [post] = (beside.content / "posts").glob("city-council-approves*.md")
    assert read == [post.name]
    assert "Corrected." in beside.article_html(_slug(post))
    assert beside.tree() == plain.tree()
    # The conversion's records came back from the child: the ledger and the
    # stat table hold the correction, and the next build proves no change.
    assert beside.ledger() == plain.ledger()
    assert beside.build(date=DATE, settings=two).skipped


def test_with_one_process_the_conversion_is_not_forked(tmp_path, monkeypatch):
    counts = _preloading(monkeypatch)
    site = demo(tmp_path / "site")
    assert site.build(date=DATE, settings={"SEEDPRESS_JOBS": 1}).ok
    _correct(site)
    assert site.build(date=DATE, settings={"SEEDPRESS_JOBS": 1}).ok
    assert counts == {"preloads": 0, "taken": 0}


def test_a_conversion_failing_in_its_child_fails_the_build_as_in_one_process(tmp_path, monkeypatch):
    from seedpress.ledger import LedgerError

    counts = _preloading(monkeypatch)
    site = demo(tmp_path / "site")
    assert site.build(date=DATE, settings={"SEEDPRESS_JOBS": 2}).ok
    (site.content / "ledger.json").write_text("{ not json")
    _correct(site)
    with pytest.raises(LedgerError, match="unreadable ledger"):
        site.build(date=DATE, settings={"SEEDPRESS_JOBS": 2})
    assert counts["preloads"] == 1  # the conversion ran in the child


def test_a_conversion_in_its_child_converts_on_every_core_and_is_heard(
    tmp_path, monkeypatch, caplog
):
    """The child starts the conversion's own workers (many seeds changed at
    once: a bulk import, a setting written into every post), and what it
    logs is handled by this process's handlers, as in one process."""
    import logging

    from seedpress import convert

    counts = _preloading(monkeypatch)
    monkeypatch.setattr(convert, "PARALLEL_FROM", 1)
    two = {"SEEDPRESS_JOBS": 2}
    site, plain = demo(tmp_path / "site"), demo(tmp_path / "plain")
    assert site.build(date=DATE, settings=two).ok
    assert plain.build(date=DATE, settings=two).ok
    for each in (site, plain):
        for seed in each.seeds.rglob("*.txt"):
            seed.write_text(seed.read_text().replace("\n\n", "\n\nA new first line.\n\n", 1))
        each.add("broken.txt", "A title and no body\n")
    monkeypatch.setattr(convert, "PARALLEL_FROM", 10**6)  # the plain site's: one process
    assert not plain.build(date=DATE, settings={"SEEDPRESS_JOBS": 1}).ok  # broken.txt
    monkeypatch.setattr(convert, "PARALLEL_FROM", 1)
    caplog.clear()
    with caplog.at_level(logging.INFO):
        result = site.build(date=DATE, settings=two)
    assert counts["preloads"] == 1 and result.report.written
    assert [name for name, _ in result.report.rejected] == ["broken.txt"]
    heard = [r for r in caplog.records if r.name == "seedpress.convert"]
    assert any("broken.txt" in r.getMessage() for r in heard if r.levelno >= logging.WARNING)
    assert site.tree() == plain.tree()


def test_an_article_holding_the_context_elsewhere_is_unpickled_when_asked(tmp_path, monkeypatch):
    """Kept articles are unpickled before Pelican makes its context, with a
    stand-in put right in `_context`: one that holds the context elsewhere
    too (a plugin's doing) is left to be unpickled when Pelican asks."""
    from pelican import signals

    counts = _preloading(monkeypatch)
    seen: list = []

    def hold_context(content):
        content.held = {"context": content._context}

    def check(generators):
        [articles] = [g for g in generators if type(g).__name__ == "ArticlesGenerator"]
        seen.extend(a.held["context"] is a._context is articles.context for a in articles.articles)

    # As each article is made, before it is kept (an unpickled one is not made).
    signals.content_object_init.connect(hold_context)
    signals.all_generators_finalized.connect(check)
    try:
        site = demo(tmp_path / "site")
        assert site.build(date=DATE, settings={"SEEDPRESS_JOBS": 2}).ok
        _correct(site)
        seen.clear()
        assert site.build(date=DATE, settings={"SEEDPRESS_JOBS": 2}).ok
    finally:
        signals.content_object_init.disconnect(hold_context)
        signals.all_generators_finalized.disconnect(check)
    assert seen and all(seen)
    assert counts["preloads"] == 1 and counts["taken"] == 0
