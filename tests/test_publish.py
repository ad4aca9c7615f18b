"""`invoke publish` against real servers on 127.0.0.1: OpenSSH + rsync, a bare
git repository, and SeaweedFS as S3. Each is started and stopped here."""

from __future__ import annotations

import json
import logging
import os
import re
import shutil
import signal
import subprocess
import sys
import urllib.request
from datetime import UTC, datetime

import pytest
import servers
from conftest import ROOT, Site

from seedpress.publish.media import LONG, MEDIUM, SHORT
from seedpress.publish.plan import LocalFile, deletion_guard, make_plan, scan
from seedpress.publish.publisher import PublishError, publish

PUBLISH_FILE = ROOT / "publishconf.py"
BUCKET = "site"
D1 = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)


# The site's public address: publishing refuses the demo's placeholder.
PUBLIC = "https://news.harbourledger.org"


@pytest.fixture
def demo(tmp_path) -> Site:
    site = Site(tmp_path / "demo")
    shutil.copytree(ROOT / "seeds", site.seeds, dirs_exist_ok=True)
    site.convert(date=D1)
    overrides = site.overrides
    site.overrides = lambda **extra: overrides(
        **{"SITEURL": PUBLIC, "FEED_DOMAIN": PUBLIC, **extra}
    )
    return site


@pytest.fixture(scope="module")
def s3(tmp_path_factory, monkeypatch_module):
    with servers.seaweedfs(tmp_path_factory.mktemp("weed"), BUCKET) as (endpoint, client):
        monkeypatch_module.setenv("AWS_ACCESS_KEY_ID", servers.ACCESS_KEY)
        monkeypatch_module.setenv("AWS_SECRET_ACCESS_KEY", servers.SECRET_KEY)
        yield endpoint, client


@pytest.fixture(scope="module")
def monkeypatch_module():
    with pytest.MonkeyPatch.context() as patch:
        yield patch


def s3_settings(endpoint: str, prefix: str) -> dict:
    return {
        "SEEDPRESS_S3": {"bucket": BUCKET, "prefix": prefix, "endpoint_url": endpoint},
        "SEEDPRESS_SEARCH": True,
    }


def online(client, prefix: str) -> dict[str, bytes]:
    found = {}
    pages = client.get_paginator("list_objects_v2").paginate(Bucket=BUCKET, Prefix=prefix + "/")
    for page in pages:
        for item in page.get("Contents", ()):
            body = client.get_object(Bucket=BUCKET, Key=item["Key"])["Body"].read()
            found[item["Key"][len(prefix) + 1 :]] = body
    return found


def local_tree(site: Site) -> dict[str, bytes]:
    return {path: (site.output / path).read_bytes() for path in scan(site.output)}


def test_s3_publish_is_complete_typed_and_incremental(demo, s3, request):
    endpoint, client = s3
    prefix = request.node.name[:40]
    settings = s3_settings(endpoint, prefix)
    first = publish(PUBLISH_FILE, "s3", overrides=demo.overrides(**settings))
    assert first.ok and first.plan.deletes == []
    assert online(client, prefix) == local_tree(demo)
    uploaded_first = len(first.plan.uploads)
    # Types and caching, read back anonymously over plain HTTP.
    slug = demo.ledger()["world/river-treaty-talks-resume.txt"]["slug"]
    expected = {
        f"2026/03/{slug}/index.html": ("text/html; charset=utf-8", SHORT),
        "feeds/all.atom.xml": ("application/atom+xml", SHORT),
        "feeds/all.rss.xml": ("application/rss+xml", SHORT),
        "feeds/all.json": ("application/feed+json", SHORT),
        "theme/css/site.css": ("text/css; charset=utf-8", None),
    }
    ui = next(p for p in scan(demo.output) if p.endswith("/pagefind-ui.js"))
    expected[ui] = ("text/javascript; charset=utf-8", None)
    # Named by content, cached for good; the WebAssembly is named by language only.
    fragment = next(p for p in scan(demo.output) if p.endswith(".pf_fragment"))
    expected[fragment] = ("application/octet-stream", LONG)
    wasm = next(p for p in scan(demo.output) if p.endswith(".pagefind"))
    expected[wasm] = ("application/octet-stream", MEDIUM)
    for path, (kind, cache) in expected.items():
        with urllib.request.urlopen(f"{endpoint}/{BUCKET}/{prefix}/{path}") as response:
            assert response.headers["Content-Type"] == kind, path
            if cache:
                assert response.headers["Cache-Control"] == cache, path
    # Nothing changed: nothing uploaded.
    again = publish(PUBLISH_FILE, "s3", overrides=demo.overrides(**settings))
    assert (len(again.plan.uploads), len(again.plan.deletes)) == (0, 0)
    assert len(again.plan.unchanged) == uploaded_first
    # One seed edited: its page and the pages and feeds that list it, not the rest.
    seed = demo.seeds / "world/river-treaty-talks-resume.txt"
    seed.write_text(seed.read_text().replace("Geneva", "Vienna"))
    edited = publish(PUBLISH_FILE, "s3", overrides=demo.overrides(**settings))
    paths = {f.path for f in edited.plan.uploads}
    assert f"2026/03/{slug}/index.html" in paths and "feeds/all.atom.xml" in paths
    assert len(paths) < uploaded_first / 2
    other = demo.ledger()["science/water-bears-survive-martian-dust.txt"]["slug"]
    assert f"2026/03/{other}/index.html" not in paths
    assert online(client, prefix) == local_tree(demo)
    # One seed deleted: its page goes, after the rest is up.
    seed.unlink()
    deleted = publish(PUBLISH_FILE, "s3", overrides=demo.overrides(**settings))
    assert f"2026/03/{slug}/index.html" in deleted.plan.deletes
    assert online(client, prefix) == local_tree(demo)
    print(f"S3 objects uploaded: first {uploaded_first}, no change 0, one seed edited {len(paths)}")


def run_killed(target: str, mode: str, overrides: dict) -> int:
    """Publish in a child process (its own process group) that is killed while
    uploading; return its exit status: -9 when the kill came."""
    child = subprocess.run(
        [
            sys.executable,
            str(ROOT / "tests" / "publish_child.py"),
            str(PUBLISH_FILE),
            target,
            mode,
            json.dumps(overrides),
        ],
        capture_output=True,
        text=True,
        check=False,
        start_new_session=True,
        timeout=300,
    )
    assert child.returncode == -signal.SIGKILL, child.stderr[-3000:]
    return child.returncode


def test_s3_publish_killed_midway_then_rerun_is_complete(demo, s3, request):
    endpoint, client = s3
    prefix = request.node.name[:40]
    overrides = demo.overrides(**s3_settings(endpoint, prefix))
    run_killed("s3", "uploads:10", overrides)
    partial = online(client, prefix)
    assert len(partial) == 10 < len(local_tree(demo))
    rerun = publish(PUBLISH_FILE, "s3", overrides=overrides)
    assert len(rerun.plan.unchanged) == 10
    assert online(client, prefix) == local_tree(demo)


def remote_tree(folder) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def test_rsync_publish_killed_midway_then_rerun_is_complete(demo, tmp_path):
    with servers.sshd(tmp_path / "sshd") as options:
        options["path"] = str(tmp_path / "www")
        overrides = demo.overrides(SEEDPRESS_RSYNC=options)
        # Slowed down and killed a second into the transfer: a partial upload.
        slow = {**options, "rsync_args": ["--bwlimit=50"]}
        run_killed("rsync", "apply:1", demo.overrides(SEEDPRESS_RSYNC=slow))
        assert remote_tree(tmp_path / "www") != local_tree(demo)
        result = publish(PUBLISH_FILE, "rsync", overrides=overrides)
        assert result.ok
        assert remote_tree(tmp_path / "www") == local_tree(demo)
        again = publish(PUBLISH_FILE, "rsync", overrides=overrides)
        assert (len(again.plan.uploads), len(again.plan.deletes)) == (0, 0)
        (demo.seeds / "city-council-approves-bike-lanes.txt").unlink()
        publish(PUBLISH_FILE, "rsync", overrides=overrides)
        assert remote_tree(tmp_path / "www") == local_tree(demo)


def checkout(remote, branch, folder) -> dict[str, bytes]:
    subprocess.run(["git", "clone", "-q", "-b", branch, str(remote), str(folder)], check=True)
    shutil.rmtree(folder / ".git")
    return remote_tree(folder)


def test_git_publish_killed_midway_then_rerun_is_complete(demo, tmp_path, caplog):
    remote = tmp_path / "site.git"
    subprocess.run(["git", "init", "-q", "--bare", str(remote)], check=True)
    options = {"remote": str(remote), "branch": "gh-pages", "cname": "news.example"}
    overrides = demo.overrides(SEEDPRESS_GIT=options)
    run_killed("git", "apply:0.05", overrides)
    with caplog.at_level(logging.INFO, logger="seedpress"):
        result = publish(PUBLISH_FILE, "git", overrides=overrides)
    assert result.ok
    said = [record.getMessage() for record in caplog.records]
    uploads = len(result.plan.uploads)
    assert f"uploaded {uploads}/{uploads} files" in " ".join(said)  # progress, as for S3
    assert f"git: pushing gh-pages to {remote}" in said
    tree = checkout(remote, "gh-pages", tmp_path / "check")
    assert tree.pop(".nojekyll") == b"" and tree.pop("CNAME") == b"news.example\n"
    assert tree == local_tree(demo)
    again = publish(PUBLISH_FILE, "git", overrides=overrides)
    assert (len(again.plan.uploads), len(again.plan.deletes)) == (0, 0)


def test_git_publish_keeps_names_outside_ascii_and_hidden_files_of_others(demo, tmp_path):
    """A file named café.png went out, then git listed it quoted and escaped:
    every later publish tried to delete "caf\\303\\251.png" and failed. A
    hidden file put on the branch by someone else (/.well-known/) stays, as
    rsync keeps it."""
    remote = tmp_path / "site.git"
    subprocess.run(["git", "init", "-q", "--bare", str(remote)], check=True)
    images = demo.content / "images"
    images.mkdir()
    (images / "café.png").write_bytes(b"\x89PNG\r\n\x1a\n not a real image")
    overrides = demo.overrides(SEEDPRESS_GIT={"remote": str(remote)}, STATIC_PATHS=["images"])
    assert publish(PUBLISH_FILE, "git", overrides=overrides).ok
    clone = tmp_path / "other"
    subprocess.run(["git", "clone", "-q", "-b", "gh-pages", str(remote), str(clone)], check=True)
    (clone / ".well-known").mkdir()
    (clone / ".well-known" / "security.txt").write_text("Contact: mailto:desk@example.org\n")
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org"}
    env |= {"GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.org"}
    for command in (["add", "-A"], ["commit", "-qm", "security.txt"], ["push", "-q"]):
        subprocess.run(["git", "-C", str(clone), *command], check=True, env=env)
    again = publish(PUBLISH_FILE, "git", overrides=overrides)
    assert again.ok
    assert (len(again.plan.uploads), again.plan.deletes) == (0, [])
    tree = checkout(remote, "gh-pages", tmp_path / "check")
    assert tree["images/café.png"].startswith(b"\x89PNG")
    assert tree[".well-known/security.txt"].startswith(b"Contact:")


def test_a_target_out_of_reach_fails_with_its_reason_not_a_traceback(demo, s3, tmp_path):
    """Nothing listening for ssh, a bucket that does not exist: each publish
    fails with a PublishError that says why (it printed 120 lines of boto3
    traceback, or rsync's exit status without ssh's reason), and the built
    site stays as it is."""
    closed = servers.free_port()  # nothing listens there
    options = {"host": "127.0.0.1", "port": closed, "path": str(tmp_path / "www")}
    options["ssh_options"] = ["-o", "StrictHostKeyChecking=no", "-o", "ConnectTimeout=5"]
    with pytest.raises(PublishError, match=f"rsync to 127.0.0.1:{closed}.*Connection refused"):
        publish(PUBLISH_FILE, "rsync", overrides=demo.overrides(SEEDPRESS_RSYNC=options))
    endpoint, _ = s3
    missing = {"bucket": "no-such-bucket", "endpoint_url": endpoint}
    with pytest.raises(
        PublishError, match=r"S3 bucket 'no-such-bucket': listing failed.*NoSuchBucket"
    ):
        publish(PUBLISH_FILE, "s3", overrides=demo.overrides(SEEDPRESS_S3=missing))
    assert (demo.output / "index.html").is_file()


def test_dry_run_changes_nothing_and_lists_the_plan(demo, tmp_path):
    remote = tmp_path / "site.git"
    subprocess.run(["git", "init", "-q", "--bare", str(remote)], check=True)
    overrides = demo.overrides(SEEDPRESS_GIT={"remote": str(remote)})
    result = publish(PUBLISH_FILE, "git", dry_run=True, overrides=overrides)
    assert result.plan.uploads
    summary = result.summary()
    assert "would upload" in summary and "upload index.html" in summary
    heads = subprocess.run(
        ["git", "-C", str(remote), "branch", "--list"], capture_output=True, text=True, check=True
    ).stdout
    assert heads == ""


def test_publish_dates_new_stories_as_asked_and_refuses_a_target_it_lacks_first(demo, tmp_path):
    """`invoke publish --date` (or SEEDPRESS_DATE) dates new stories as a build
    does; a typo in the target builds nothing (a build would date them)."""
    demo.add("late.txt", b"A late story\n\nIts only paragraph, long enough to be body.")
    with pytest.raises(PublishError, match="unknown publish target 'ftp'"):
        publish(PUBLISH_FILE, "ftp", overrides=demo.overrides())
    # No placeholder host of the shipped settings is tried: what to set is named.
    with pytest.raises(PublishError, match=r"needs 'remote' .*SEEDPRESS_GIT_REMOTE"):
        publish(PUBLISH_FILE, "git", overrides=demo.overrides())
    assert "late.txt" not in demo.ledger()
    remote = tmp_path / "site.git"
    subprocess.run(["git", "init", "-q", "--bare", str(remote)], check=True)
    overrides = demo.overrides(SEEDPRESS_GIT={"remote": str(remote)})
    when = datetime(2025, 1, 15, 10, 0, tzinfo=UTC)
    assert publish(PUBLISH_FILE, "git", dry_run=True, date=when, overrides=overrides).ok
    assert datetime.fromisoformat(demo.ledger()["late.txt"]["published"]) == when


def test_a_placeholder_address_is_never_published(demo, tmp_path, caplog):
    """Published with the demo's https://harbourledger.example, every
    canonical link and feed link would point there; a dry run shows the plan,
    and --force publishes anyway."""
    remote = tmp_path / "site.git"
    subprocess.run(["git", "init", "-q", "--bare", str(remote)], check=True)
    placeholder = {"SITEURL": "https://harbourledger.example", "FEED_DOMAIN": ""}
    overrides = demo.overrides(SEEDPRESS_GIT={"remote": str(remote)}, **placeholder)
    with pytest.raises(PublishError, match=r"harbourledger\.example', a placeholder"):
        publish(PUBLISH_FILE, "git", overrides=overrides)
    assert publish(PUBLISH_FILE, "git", dry_run=True, overrides=overrides).plan.uploads
    with caplog.at_level(logging.WARNING, logger="seedpress"):
        assert publish(PUBLISH_FILE, "git", force=True, overrides=overrides).ok
    assert any("a placeholder" in record.getMessage() for record in caplog.records)


@pytest.mark.parametrize(
    ("siteurl", "feed_domain", "said"),
    [
        ("", "", "not an absolute http(s) address"),  # SEEDPRESS_SITEURL set but empty
        ("/news", "", "not an absolute http(s) address"),
        ("https://www.example.org", "", "a placeholder"),
        ("https://news.test.", "", "a placeholder"),
        ("HTTPS://NEWS.ORG", "", "as written"),  # the feeds took it as 127.0.0.1
        ("https://news.org\n", "", "as written"),  # a CI secret's line break
        ("http://127.0.0.1:8000", "", "a placeholder"),
        ("http://[::1]:8000", "", "a placeholder"),
        ("http://192.168.1.20", "", "a placeholder"),
        ("https://news.harbourledger.org", "https://harbourledger.example", "FEED_DOMAIN"),
    ],
)
def test_addresses_that_are_no_public_site_are_refused(demo, siteurl, feed_domain, said):
    overrides = demo.overrides(SITEURL=siteurl, FEED_DOMAIN=feed_domain)
    with pytest.raises(PublishError, match=re.escape(said)):
        publish(PUBLISH_FILE, "git", overrides={**overrides, "SEEDPRESS_GIT": {"remote": "x"}})


def test_deletion_guard_stops_a_publish_that_would_wipe_the_site(demo, tmp_path):
    remote = tmp_path / "site.git"
    subprocess.run(["git", "init", "-q", "--bare", str(remote)], check=True)
    overrides = demo.overrides(SEEDPRESS_GIT={"remote": str(remote)})
    publish(PUBLISH_FILE, "git", overrides=overrides)
    for seed in list(demo.seeds.rglob("*.txt"))[:6]:
        seed.unlink()
    with pytest.raises(PublishError, match="would delete"):
        publish(PUBLISH_FILE, "git", overrides=overrides)
    assert publish(PUBLISH_FILE, "git", force=True, overrides=overrides).plan.deletes
    assert deletion_guard(300, 10_000) and deletion_guard(30, 100)
    assert deletion_guard(25, 100) is None


def test_hidden_files_online_are_neither_deleted_nor_counted_by_the_guard():
    """Others' hidden files stay online, so they do not dilute the share the
    deletion guard measures: 300 of them beside 100 pages, and a broken
    build of 10 pages, is still 90 of 100 to delete."""
    remote = {f"{n}/index.html": "x" for n in range(100)}
    remote |= {f".well-known/file-{n}.txt": "x" for n in range(300)}
    local = {f"{n}/index.html": LocalFile(f"{n}/index.html", 1, "x") for n in range(10)}
    plan = make_plan(local, remote)
    assert (plan.online, len(plan.deletes)) == (100, 90)
    assert not any(path.startswith(".") for path in plan.deletes)
    assert deletion_guard(len(plan.deletes), plan.online)


def test_a_search_bundles_entry_file_goes_up_after_the_files_it_names():
    """pagefind-entry.json names its bundle's metadata file by hash, and sorts
    before it: a publish cut short between the two broke the live search (an
    outside probe's S3 publish, with the .pf_meta refused). It goes after every
    other asset, and before the pages that load the search."""
    names = [
        "pagefind/recent/pagefind-entry.json",
        "pagefind/recent/pagefind.en_1a2b3c.pf_meta",
        "pagefind/recent/index/en_9f.pf_index",
        "pagefind/recent/fragment/en_4d.pf_fragment",
        "pagefind/2026/pagefind-entry.json",
        "pagefind/2026/pagefind.en_77aa.pf_meta",
        "pagefind/pagefind-ui.js",
        "theme/css/site.css",
        "search/index.html",
        "2026/11/a-story/index.html",
    ]
    order = [f.path for f in make_plan({n: LocalFile(n, 1, "x") for n in names}, {}).uploads]
    for bundle in ("recent", "2026"):
        entry = order.index(f"pagefind/{bundle}/pagefind-entry.json")
        named = [
            i for i, n in enumerate(order) if n.startswith(f"pagefind/{bundle}/") and i != entry
        ]
        assert entry > max(named), order
    assert order.index("pagefind/2026/pagefind-entry.json") < order.index(
        "2026/11/a-story/index.html"
    )
    assert order.index("theme/css/site.css") < order.index("pagefind/recent/pagefind-entry.json")


def test_the_search_indexs_files_are_not_counted_by_the_guard():
    """Once a month a month's stories leave the recent search bundle for
    their year's, and hundreds of the index's content-named files go: no
    reason to stop. Pages lost still are."""
    pages = {f"{n}/index.html": "x" for n in range(100)}
    index = {f"pagefind/recent/fragment/en_{n}.pf_fragment": "x" for n in range(1000)}
    moved = {f"pagefind/2026/fragment/en_{n}.pf_fragment": "y" for n in range(500)}

    def files(paths):
        return {path: LocalFile(path, 1, digest) for path, digest in paths.items()}

    plan = make_plan(files(pages | moved), pages | index)
    assert (len(plan.deletes), plan.online, plan.online_index) == (1000, 1100, 1000)
    assert plan.guarded() == (0, 100)
    assert deletion_guard(*plan.guarded()) is None
    broken = make_plan(files(dict(list(pages.items())[:10]) | moved), pages | index)
    assert broken.guarded() == (90, 100) and deletion_guard(*broken.guarded())


def test_build_errors_and_rejected_seeds(demo, tmp_path):
    remote = tmp_path / "site.git"
    subprocess.run(["git", "init", "-q", "--bare", str(remote)], check=True)
    overrides = demo.overrides(SEEDPRESS_GIT={"remote": str(remote)})
    (demo.seeds / "empty.txt").write_bytes(b"")
    with pytest.raises(PublishError, match="--strict"):
        publish(PUBLISH_FILE, "git", strict=True, overrides=overrides)
    result = publish(PUBLISH_FILE, "git", overrides=overrides)
    assert not result.ok and "rejected seed empty.txt" in result.summary()
    assert checkout(remote, "gh-pages", tmp_path / "check")  # the good seeds went out
    broken = demo.content / "posts" / "broken.md"
    broken.write_text("Title: Broken\nDate: not a date\n\nText.\n")
    with pytest.raises(PublishError, match="build logged"):
        publish(PUBLISH_FILE, "git", overrides=overrides)


def test_no_secret_in_logs_or_site_and_hub_notified(demo, s3, request, caplog):
    endpoint, _ = s3
    caplog.set_level(logging.DEBUG)
    with servers.websub_hub() as (hub, notified):
        settings = {**s3_settings(endpoint, request.node.name[:40]), "SEEDPRESS_WEBSUB_HUB": hub}
        result = publish(PUBLISH_FILE, "s3", overrides=demo.overrides(**settings))
    assert f"{PUBLIC}/feeds/all.atom.xml" in notified
    assert f"{PUBLIC}/feeds/authors/mara-okafor.json" in notified
    assert len(notified) == len(result.notified)
    secret = os.environ["AWS_SECRET_ACCESS_KEY"]
    assert secret not in caplog.text and secret not in result.summary()
    assert all(secret.encode() not in data for data in local_tree(demo).values())
