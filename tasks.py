"""Tasks for people and CI (invoke), after the tasks.py of pelican-quickstart.

invoke build      convert seeds, build the site into output/, strictly
invoke convert    only seeds/ → content/
invoke serve      serve output/ at http://127.0.0.1:8000/
invoke rebuild    clean, then build
invoke preview    build with publishconf.py (production URLs) into output-production/
invoke publish    preview, then upload it
invoke test       run the test suite
"""

from __future__ import annotations

import logging
import os
import shutil
import sys
from datetime import datetime
from pathlib import Path

from invoke import Exit, task

ROOT = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT / "plugins"))

CONFIG = {
    "settings_base": ROOT / "pelicanconf.py",
    "settings_publish": ROOT / "publishconf.py",
    "host": "127.0.0.1",
    "port": 8000,
}


def _logging() -> None:
    from pelican.log import init

    # Pelican's own INFO lines name every file written; ours give counts.
    init(level=logging.WARNING)
    logging.getLogger("seedpress").setLevel(logging.INFO)


def _settings(settings_file: Path) -> dict:
    """The settings, or a one-line error naming the wrong one."""
    from seedpress.build import load_settings
    from seedpress.settings import SettingsError

    try:
        return load_settings(settings_file)
    except SettingsError as exc:
        raise Exit(f"settings: {exc}", code=2) from None


def _date(value: str | None) -> datetime | None:
    """--date, else SEEDPRESS_DATE: the first-published date of new stories."""
    source = "--date" if value else "SEEDPRESS_DATE"
    value = value or os.environ.get("SEEDPRESS_DATE")
    if not value:
        return None
    from zoneinfo import ZoneInfo

    from seedpress.dates import parse_override

    zone = _settings(CONFIG["settings_base"]).get("TIMEZONE") or "UTC"
    try:
        return parse_override(value, ZoneInfo(zone))
    except ValueError:
        raise Exit(
            f"{source} {value!r}: not an ISO 8601 date (2026-12-01, 2026-12-01T09:00, "
            "2026-12-01T09:00+01:00)",
            code=2,
        ) from None


def _build(settings_file: Path, force: bool, date: str | None) -> None:
    from seedpress.atomic import BuildBusy
    from seedpress.build import build as run_build
    from seedpress.collector import leave_to_exit
    from seedpress.settings import SettingsError

    _logging()
    leave_to_exit()  # the build's garbage is left to the process's exit
    try:
        # The settings are loaded by the build, after its no-change proof.
        result = run_build(settings_file, force=force, date=_date(date))
    except SettingsError as exc:
        raise Exit(f"settings: {exc}", code=2) from None
    except BuildBusy as exc:
        raise Exit(f"build: {exc}", code=1) from None
    print(result.summary())
    if not result.ok:
        raise Exit(code=1)


@task(help={"force": "overwrite posts edited by hand", "date": "date of new stories"})
def convert(c, force=False, date=None):
    """Convert seeds/ into Markdown posts in content/ (incremental)."""
    from seedpress.atomic import BuildBusy
    from seedpress.build import lock, seeds_path
    from seedpress.convert import convert as run_convert

    _logging()
    settings = _settings(CONFIG["settings_base"])
    try:
        with lock(settings):
            report = run_convert(
                seeds_path(settings, CONFIG["settings_base"]),
                Path(settings["PATH"]),
                settings,
                force=force,
                date=_date(date),
            )
    except BuildBusy as exc:
        raise Exit(f"convert: {exc}", code=1) from None
    print(report.summary())
    if report.rejected:
        raise Exit(code=1)


@task(help={"force": "overwrite posts edited by hand", "date": "date of new stories"})
def build(c, force=False, date=None):
    """Convert seeds, then build the site into output/; fails on any error."""
    _build(CONFIG["settings_base"], force, date)


@task
def clean(c):
    """Remove output/, output-production/ and what builds keep beside them.

    What is kept beside a site to make builds fast: the spare site, the search
    index's folders of search documents and of bundles, the kept articles
    (content cache) and the trash."""
    from seedpress.atomic import spare_for, staging_for, trash_for
    from seedpress.build import lock
    from seedpress.search import bundles_for, documents_for

    # The local site and the production one (`preview`, `publish`).
    for settings_file in (CONFIG["settings_base"], CONFIG["settings_publish"]):
        settings = _settings(settings_file)
        output = Path(settings["OUTPUT_PATH"])
        spare = spare_for(output)
        kept = [spare, spare.with_name(f"{spare.name}.partial"), documents_for(output)]
        kept.append(bundles_for(output))
        # The content cache too: `rebuild` is then a cold build.
        kept.append(output.with_name(f".{output.name}.cache"))
        with lock(settings):  # never under a running build
            for folder in (output, staging_for(output), *kept, trash_for(output)):
                if folder.is_dir() and not folder.is_symlink():
                    # A background deletion (the trash) may be removing files too.
                    shutil.rmtree(folder, ignore_errors=True)


@task
def rebuild(c):
    """`clean`, then `build`."""
    clean(c)
    build(c)


@task(help={"date": "date of new stories"})
def preview(c, date=None):
    """Build the production site (publishconf.py) into output-production/."""
    _build(CONFIG["settings_publish"], False, date)


@task(help={"port": "the port on 127.0.0.1 (default 8000)"})
def serve(c, port=CONFIG["port"]):
    """Serve output/ at http://127.0.0.1:8000/ (Ctrl-C stops)."""
    from http.server import SimpleHTTPRequestHandler

    from pelican.server import ComplexHTTPRequestHandler, RootedHTTPServer

    from seedpress.publish.media import content_type

    class AddressReuseTCPServer(RootedHTTPServer):
        allow_reuse_address = True

    class SiteHandler(ComplexHTTPRequestHandler):
        """Pelican's handler, but a page that is not there gets the site's
        404 page, as a host serves it (Pelican's closed the connection)."""

        def do_GET(self):
            found = self.get_path_that_exists(self.path.split("?", 1)[0])
            if found is None:
                page = Path(self.base_path) / "404.html"
                body = page.read_bytes() if page.is_file() else b"Not found"
                self.send_response(404)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
                return
            self.path = found
            SimpleHTTPRequestHandler.do_GET(self)

        def guess_type(self, path):
            # The types `invoke publish` gives each file on the host (an OPML
            # file was offered as a download).
            return content_type(Path(os.path.relpath(path, self.base_path)).as_posix())

    output = _settings(CONFIG["settings_base"])["OUTPUT_PATH"]
    if not Path(output).is_dir():
        raise Exit(f"serve: no site in {output}: run `invoke build` first", code=1)
    try:
        server = AddressReuseTCPServer(output, (CONFIG["host"], int(port)), SiteHandler)
    except OSError as exc:
        raise Exit(f"serve: port {port}: {exc.strerror} (try --port 8001)", code=1) from None
    print(f"Serving {output} at http://{CONFIG['host']}:{port}/ ...")
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        server.server_close()


@task(
    help={
        "target": "rsync, git or s3 (default: SEEDPRESS_PUBLISH_TARGET)",
        "dry_run": "list what would be uploaded and deleted; change nothing",
        "force": "publish despite build errors, a large deletion or a placeholder address",
        "strict": "publish nothing when a seed was rejected",
        "date": "date of new stories",
    }
)
def publish(c, target=None, dry_run=False, force=False, strict=False, date=None):  # noqa: PLR0917 (invoke makes each a flag)
    """Build with publishconf.py and upload the site to static hosting."""
    from seedpress.atomic import BuildBusy
    from seedpress.collector import leave_to_exit
    from seedpress.publish.publisher import PublishError
    from seedpress.publish.publisher import publish as run_publish
    from seedpress.settings import SettingsError

    _logging()
    leave_to_exit()
    try:
        result = run_publish(
            CONFIG["settings_publish"],
            target,
            dry_run=dry_run,
            force=force,
            strict=strict,
            date=_date(date),
        )
    except SettingsError as exc:
        raise Exit(f"settings: {exc}", code=2) from None
    except (PublishError, BuildBusy) as exc:
        raise Exit(f"publish: {exc}", code=1) from None
    print(result.build.summary())
    print(result.summary())
    if not result.ok:
        raise Exit(code=1)


@task(help={"budget": "KB per article page (HTML + CSS + JS)"})
def weight(c, budget=30):
    """Measure every article page's weight in output/ against the budget."""
    c.run(
        f"{sys.executable} {ROOT / 'bench' / 'page_weight.py'} {ROOT / 'output'} --budget {budget}"
    )


@task(
    help={
        "seeds": "how many synthetic seeds",
        "repeat": "runs of each scenario (the table gives medians)",
        "profile": "also profile a cold build",
        "no-wait": "start at once, however recently the last run deleted its files",
    }
)
def bench(c, seeds=1000, repeat=1, profile=False, no_wait=False):
    """Benchmark every build scenario against plain Pelican (bench/run.py)."""
    flags = (" --profile" if profile else "") + (" --no-wait" if no_wait else "")
    script = ROOT / "bench" / "run.py"
    c.run(f"{sys.executable} {script} --seeds {seeds} --repeat {repeat}{flags}", pty=False)


@task(
    help={
        "against": "the version to compare this work tree with (a git rev)",
        "seeds": "how many synthetic seeds",
        "rounds": "rounds of both builds in turn (the first left out)",
        "step": "edit, add or cold",
    }
)
def interleave(c, against, seeds=1000, rounds=4, step="edit"):
    """Time this work tree's builds and another version's in turn (bench/interleave.py)."""
    script = ROOT / "bench" / "interleave.py"
    c.run(
        f"{sys.executable} {script} --against {against} --seeds {seeds} --rounds {rounds} "
        f"--step {step}",
        pty=False,
    )


@task(help={"k": "only tests matching this expression"})
def test(c, k=None):
    """Lint, then run the test suite."""
    c.run(f"{sys.executable} -m ruff check .", pty=False)
    selection = f" -k {k!r}" if k else ""
    c.run(f"{sys.executable} -m pytest{selection}", pty=False)
