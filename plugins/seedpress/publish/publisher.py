"""`invoke publish`: build for production, plan, guard, upload, notify, report.

* The site is built with publishconf.py, strictly. A build error stops the
  publish unless forced. Rejected seeds do not hold back the good ones (breaking
  news must go out): the site is published, the rejected seeds are listed and
  the publish fails at the end; `strict` refuses to publish at all.
* `dry_run` prints the plan and changes nothing.
* After a successful publish the WebSub hub, if any, hears of each changed feed.
"""

from __future__ import annotations

import ipaddress
import time
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from .. import settings as sp
from ..build import BuildResult, build, load_settings, lock
from ..feeds import websub
from ..log import get_logger
from ..pelican_glue import site_url
from .errors import PublishError
from .git import GitTarget
from .plan import Plan, deletion_guard, scan
from .rsync import RsyncTarget
from .s3 import S3Target

logger = get_logger(__name__)

TARGETS = {"rsync": RsyncTarget, "git": GitTarget, "s3": S3Target}
_FEED_SUFFIXES = (".atom.xml", ".rss.xml", ".json")


@dataclass
class PublishResult:
    """What a publish did."""

    target: str
    build: BuildResult
    plan: Plan | None = None
    dry_run: bool = False
    notified: dict[str, Any] = field(default_factory=dict)
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        """Published, and every seed and post was good."""
        return not (self.build.report.rejected or self.build.report.damaged)

    def summary(self) -> str:
        """The closing lines: counts, time, rejected seeds."""
        verb = "would upload" if self.dry_run else "uploaded"
        plan = self.plan or Plan()
        lines = [
            f"publish to {self.target}: {verb} {len(plan.uploads)} files "
            f"({plan.bytes:,} bytes), {len(plan.unchanged)} unchanged, "
            f"{'would delete' if self.dry_run else 'deleted'} {len(plan.deletes)}, "
            f"{self.seconds:.1f} s"
        ]
        if self.dry_run:
            lines += [f"  upload {f.path}" for f in plan.uploads]
            lines += [f"  delete {path}" for path in plan.deletes]
        if self.notified:
            lines.append(f"  WebSub hub notified of {len(self.notified)} feeds")
        lines += [f"  rejected seed {path}: {why}" for path, why in self.build.report.rejected]
        return "\n".join(lines)


def changed_feeds(plan: Plan, base: str) -> list[str]:
    """Absolute URLs of the subscription feeds this publish changed."""
    return [
        f"{base}/{f.path}"
        for f in plan.uploads
        if f.path.startswith("feeds/")
        and not f.path.startswith("feeds/archive/")
        and f.path.endswith(_FEED_SUFFIXES)
    ]


def publish(
    settings_file: Path,
    target: str | None = None,
    *,
    dry_run: bool = False,
    force: bool = False,
    strict: bool = False,
    date: datetime | None = None,
    overrides: dict[str, Any] | None = None,
) -> PublishResult:
    """Build with `settings_file`, then publish its output to the target.
    `date`: of the new stories, as for a build. A dry run builds too: the
    site it lists is the one that would go up.

    The build lock is held from the build to the end of the upload, so no
    other build can swap a different site in while it goes up.
    """
    with lock(load_settings(settings_file, overrides)):
        return _publish(
            settings_file,
            target,
            dry_run=dry_run,
            force=force,
            strict=strict,
            date=date,
            overrides=overrides,
        )


# Names kept for examples and tests (RFC 2606, RFC 6761): no site lives there.
_PLACEHOLDER_TLDS = {"example", "test", "invalid", "localhost"}


def _placeholder_host(host: str) -> bool:
    """Whether no public site can live at `host`: a reserved name
    (harbourledger.example, example.org, localhost) or a loopback or
    private address."""
    host = host.rstrip(".").lower()
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        labels = host.split(".")
        reserved_second = len(labels) >= 2 and labels[-2] == "example"
        return labels[-1] in _PLACEHOLDER_TLDS or (
            reserved_second and labels[-1] in {"com", "net", "org"}
        )
    return address.is_loopback or address.is_private or address.is_unspecified


def _placeholder_address(settings: dict[str, Any], settings_file: Path) -> str | None:
    """Why the site's address is no public one, if it is not: published with
    the demo's https://harbourledger.example (or with none, which feeds take
    as http://127.0.0.1:8000), every canonical link, feed link and sitemap
    entry pointed there, and feed readers keep them."""
    for name in ("SITEURL", "FEED_DOMAIN"):
        value = settings.get(name) or ""
        if name == "FEED_DOMAIN" and not value:
            continue  # SITEURL serves
        parts = urlsplit(value)
        # As the feeds read it (pelican_glue.site_url): "HTTPS://…" or one with
        # a space or line break around it made every feed link 127.0.0.1, or
        # broke it in two.
        if value != value.strip() or not value.startswith(("http://", "https://")):
            reason = "not an absolute http(s) address as written (lower case, no spaces)"
        elif not parts.hostname:
            reason = "not an absolute http(s) address"
        elif _placeholder_host(parts.hostname):
            reason = "a placeholder"
        else:
            continue
        return (
            f"{name} in {settings_file.name} is {value!r}, {reason}: set SEEDPRESS_SITEURL "
            "to the site's public address (--force publishes anyway)"
        )
    return None


def _warn_placeholder_ids(settings: dict[str, Any], settings_file: Path) -> None:
    authority = sp.get(settings, "SEEDPRESS_ID_AUTHORITY")
    if _placeholder_host(authority.rpartition("@")[2]):  # settings.check: no comma
        logger.warning(
            "SEEDPRESS_ID_AUTHORITY in %s is %r, a placeholder: the feed ids of new "
            "stories are minted from it and never change",
            settings_file.name,
            authority,
        )


def _options(settings: dict[str, Any], name: str, settings_file: Path) -> dict[str, Any]:
    """The target's options, each it requires set: a placeholder host or
    bucket in the shipped settings was tried for real, and a CNAME published
    by default took over a GitHub Pages site's domain."""
    setting = f"SEEDPRESS_{name.upper()}"
    options = sp.get(settings, setting) or {}
    missing = [key for key in TARGETS[name].required if not options.get(key)]
    if missing:
        variables = ", ".join(f"{setting}_{key.upper()}" for key in missing)
        keys = ", ".join(map(repr, missing))
        where = f"the shipped publishconf.py reads {variables} from the environment"
        raise PublishError(f"{setting} in {settings_file.name} needs {keys} ({where})")
    return options


def _publish(
    settings_file: Path,
    target: str | None,
    *,
    dry_run: bool,
    force: bool,
    strict: bool,
    date: datetime | None,
    overrides: dict[str, Any] | None,
) -> PublishResult:
    started = time.monotonic()
    settings = load_settings(settings_file, overrides)
    name = target or sp.get(settings, "SEEDPRESS_PUBLISH_TARGET")
    if name not in TARGETS:  # before building: a build converts, and dates new stories
        raise PublishError(f"unknown publish target {name!r}: one of {', '.join(TARGETS)}")
    options = _options(settings, name, settings_file)
    placeholder = _placeholder_address(settings, settings_file)
    if placeholder and not (dry_run or force):
        raise PublishError(placeholder)
    if placeholder:
        logger.warning("%s", placeholder)  # published anyway (--force), or a dry run
    _warn_placeholder_ids(settings, settings_file)
    result = build(settings_file, date=date, overrides=overrides, locked=True)
    if result.errors and not force:
        raise PublishError(
            f"the site build logged {len(result.errors)} errors; nothing published "
            "(--force publishes anyway)"
        )
    if (result.report.rejected or result.report.damaged) and strict:
        names = ", ".join(path for path, _ in result.report.rejected)
        raise PublishError(f"rejected seeds ({names}); --strict publishes nothing")
    output = Path(settings["OUTPUT_PATH"])
    local = scan(output)
    destination = TARGETS[name](options)
    try:
        plan = destination.plan(local, output)
        published = PublishResult(target=name, build=result, plan=plan, dry_run=dry_run)
        logger.info("publish plan: %s", plan.describe())
        reason = deletion_guard(
            *plan.guarded(),
            sp.get(settings, "SEEDPRESS_MAX_DELETE_SHARE"),
            sp.get(settings, "SEEDPRESS_MAX_DELETE_FILES"),
        )
        if reason and not force and not dry_run:
            raise PublishError(f"{reason}; nothing published (--force to go ahead)")
        if not dry_run:
            destination.apply(plan, output)
            hub = sp.get(settings, "SEEDPRESS_WEBSUB_HUB")
            if hub:
                published.notified = websub.notify(hub, changed_feeds(plan, site_url(settings)))
    finally:
        if hasattr(destination, "close"):
            destination.close()
    published.seconds = time.monotonic() - started
    return published
