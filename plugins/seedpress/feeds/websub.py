"""WebSub (W3C): tell a hub that feeds changed, so subscribers get them now."""

from __future__ import annotations

import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterable

from ..log import get_logger

logger = get_logger(__name__)


def notify(hub: str, urls: Iterable[str], timeout: float = 10.0) -> dict[str, int | str]:
    """POST hub.mode=publish for each URL; return the hub's status (or error) each.

    One request per URL: every hub accepts that, not every hub accepts several
    hub.url values in one request.
    """
    results: dict[str, int | str] = {}
    for url in urls:
        body = urllib.parse.urlencode({"hub.mode": "publish", "hub.url": url}).encode()
        request = urllib.request.Request(
            hub,
            data=body,
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        )
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                results[url] = response.status
        except urllib.error.HTTPError as exc:
            results[url] = exc.code
            logger.warning("WebSub hub %s refused %s: HTTP %s", hub, url, exc.code)
        except (urllib.error.URLError, OSError) as exc:
            results[url] = str(getattr(exc, "reason", exc))
            logger.warning("WebSub hub %s: %s not notified: %s", hub, url, results[url])
    return results
