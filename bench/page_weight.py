"""Page weight of every article: its HTML plus the CSS and JS it loads.

    python bench/page_weight.py [OUTPUT_DIR] [--budget KB]

Prints a table (bytes, uncompressed) and exits 1 when a page is over budget.
Search assets are not counted: they load on the search page only.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from urllib.parse import urljoin, urlsplit

from bs4 import BeautifulSoup

BUDGET_KB = 30


def assets(page: Path, output: Path) -> list[Path]:
    """Files of the stylesheets and scripts that `page` loads from the site."""
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    base = "/" + page.relative_to(output).as_posix()
    urls = [link["href"] for link in soup.select("link[rel~=stylesheet][href]")]
    urls += [script["src"] for script in soup.select("script[src]")]
    found = []
    for url in urls:
        parts = urlsplit(urljoin(base, url))
        if parts.netloc:
            raise SystemExit(f"{page}: loads {url} from another host")
        found.append(output / parts.path.lstrip("/"))
    return found


def weigh(output: Path) -> list[tuple[str, int, int]]:
    """(page, HTML bytes, total bytes) for every article page."""
    rows = []
    for page in sorted(output.glob("[0-9][0-9][0-9][0-9]/*/*/index.html")):
        html = page.stat().st_size
        total = html + sum(asset.stat().st_size for asset in assets(page, output))
        rows.append((page.relative_to(output).parent.as_posix(), html, total))
    return rows


def main(argv: list[str] | None = None) -> int:
    """Print the table; 1 when a page is over budget."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("output", nargs="?", default="output", type=Path)
    parser.add_argument("--budget", type=float, default=BUDGET_KB, help="KB per page")
    args = parser.parse_args(argv)
    rows = weigh(args.output)
    if not rows:
        print(f"no article pages in {args.output}", file=sys.stderr)
        return 1
    width = max(len(name) for name, _, _ in rows)
    print(f"{'article':<{width}}  {'HTML':>8}  {'+CSS+JS':>8}")
    for name, html, total in rows:
        print(f"{name:<{width}}  {html:>8,}  {total:>8,}")
    heaviest = max(total for _, _, total in rows)
    over = [name for name, _, total in rows if total > args.budget * 1024]
    print(
        f"{len(rows)} articles, heaviest {heaviest / 1024:.1f} KB, "
        f"budget {args.budget:g} KB, {len(over)} over"
    )
    return 1 if over else 0


if __name__ == "__main__":
    sys.exit(main())
