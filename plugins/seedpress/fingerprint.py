"""Keys of what a page is made from, so that a page whose inputs did not change
is taken from the previous build instead of being rendered again.

A key is the digest of:
* the site-wide part every page shows: settings, theme, code, the sections and
  authors menus, static pages and feed list (`site_token`);
* the page's own variables: the story it shows, with everything attached to it
  (neighbours, "more from", "read next", bios), or the page of stories a
  listing shows (its number and the stories on it, not the whole list);
* a story as other pages show it (`story`): its URL, metadata and HTML.

A value this module cannot describe raises `Unkeyable` and the page is simply
rendered: a missing key costs time, a wrong one would cost correctness. The
benchmark and tests/test_incremental.py compare incremental builds with cold ones.
"""

from __future__ import annotations

import dataclasses
import datetime
import hashlib
import inspect
import json
from collections.abc import Mapping
from importlib.metadata import version
from pathlib import Path
from typing import Any

import orjson
from pelican.contents import Content
from pelican.paginator import Page as ListingPage
from pelican.paginator import Paginator
from pelican.urlwrappers import URLWrapper

from .hashes import folder_digest
from .parallel import fork_map
from .settings import template_sources
from .unchanged import RENDERERS

_STORY = "_seedpress_story"
_SITE = "_seedpress_site"

# Context entries that hold whole collections: pages receive what they show of
# them through their own variables (kwargs), which are keyed; the menus every
# page shows are keyed in `site_token` as names and URLs only.
_COLLECTIONS = {
    "articles",
    "dates",
    "drafts",
    "hidden_articles",
    "drafts_translations",
    "hidden_translations",
    "translations",
    "generated_content",
    "static_content",
    "static_links",
    "hidden_pages",
    "draft_pages",
    # Made of the stories alone: the archives page that lists the periods is
    # given every story (`dates`), which keys it.
    "period_archives",
    "AUTHOR_BIOS",  # each page keys the bios it shows
    "localsiteurl",  # per page; keyed with the page's own variables
}
_MENUS = ("categories", "authors", "tags")
# Where this copy of the project is, how many processes build it, and what
# the build hands Pelican for its own use (hashes, ledger, cache marker): no
# page shows these, and keys (kept in the output) must be the same in every clone.
_LOCATIONS = {
    "SEEDPRESS_JOBS",
    "PATH",
    "OUTPUT_PATH",
    "THEME",
    "CACHE_PATH",
    "PLUGIN_PATHS",
    "SEEDPRESS_SEEDS_PATH",
    "SEEDPRESS_PREVIOUS_OUTPUT",
    "SEEDPRESS_FILE_HASHES",
    "SEEDPRESS_LEDGER",
    "SEEDPRESS_CACHE_KEYED",
    "source_path",
}


# Attributes pelican_glue.describe derives from the story and the settings
# alone, both in the key already: describing them again for every page cost
# a fifth of keying an article page.
_DERIVED = {"jsonld", "description"}
# What own() leaves out of a story's attributes besides private ones and its metadata.
_NOT_ATTACHED = frozenset({"settings", "metadata", *_LOCATIONS, *_DERIVED})
_LINKS = "_seedpress_links_other"
# Pelican's pattern of links to other content, compiled once per setting
# (Pelican compiles it on every call).
_LINKING: dict[str, Any] = {}


class Unkeyable(TypeError):
    """A value no key can describe: the page that holds it is rendered."""


def digest(token: Any) -> str:
    """SHA-256 of a token (JSON-shaped data), encoded by orjson: an edit at
    10,000 stories digests 15,000 tokens (2.5 KB each on average), which
    json's C encoder took 0.43-0.45 s to encode and orjson 0.10-0.11 s
    (in-process, the tokens of one edit). What orjson refuses (a lone
    surrogate in a string, an integer past 64 bits) json encodes."""
    try:
        text = orjson.dumps(token, option=orjson.OPT_SORT_KEYS)
    except orjson.JSONEncodeError:
        text = json.dumps(token, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
        text = text.encode("utf-8", "surrogatepass")
    return hashlib.sha256(text).hexdigest()


def story(content: Content) -> str:
    """A story (or static page) as any page shows it: URL, metadata, HTML.

    Kept on the object: a story is shown by many pages. A story whose HTML
    links other content through Pelican's {filename}, {static} or {attach}
    shows their URLs, which its own text does not fix: it is Unkeyable.
    """
    known = content.__dict__.get(_STORY)
    if known is None:
        if links_other_content(content):
            raise Unkeyable(f"{content.source_path} links other content")
        known = digest(
            [type(content).__name__, content.url, token(content.metadata), content._content]
        )
        setattr(content, _STORY, known)
    return known


# The stories `digest_stories` hands its forked workers (inherited, never pickled).
_DIGESTING: list[Content] = []
# Below this many stories, forking costs more than it saves.
PARALLEL_FROM = 200


def digest_stories(contents: list[Content], processes: int) -> None:
    """`story` of every story, on every core, kept on each object as `story`
    keeps it: the search index needs them all, and the pages rendered next (in
    processes forked later, which inherit them) each need their neighbours'.
    In this one process they took a second at 10,000 stories. A story given
    its digest back (derived.py) is not digested again."""
    contents = [content for content in contents if _STORY not in content.__dict__]
    _DIGESTING[:] = contents
    try:
        found = fork_map(
            _digest_one, range(len(contents)), processes, threshold=PARALLEL_FROM, chunksize=250
        )
        for content, known in zip(contents, found, strict=True):
            if known is not None:  # else Unkeyable: story() says so when asked
                setattr(content, _STORY, known)
    finally:
        _DIGESTING.clear()


def _digest_one(index: int) -> str | None:
    try:
        return story(_DIGESTING[index])
    except Unkeyable:
        return None


def links_other_content(content: Content) -> bool:
    """Whether a story's HTML or summary links other content through Pelican's
    {filename}, {static} or {attach} (kept on the object)."""
    known = content.__dict__.get(_LINKS)
    if known is None:
        known = links_in(content, (content._content, content.metadata.get("summary")))
        setattr(content, _LINKS, known)
    return known


def links_in(content: Content, texts) -> bool:
    """Whether any of `texts` (strings; other values are skipped) links other
    content as Pelican's pattern for `content` finds such links."""
    pattern = content.settings["INTRASITE_LINK_REGEX"]
    if pattern not in _LINKING:
        _LINKING[pattern] = content._get_intrasite_link_regex()
    return any(isinstance(text, str) and _LINKING[pattern].search(text) for text in texts)


def own(content: Content) -> dict[str, Any]:
    """The page's own story with everything plugins attached to it."""
    metadata = content.metadata
    attached = {
        name: token(value)
        for name, value in vars(content).items()
        # Values read from the metadata are in story() already.
        if name[0] != "_" and name not in _NOT_ATTACHED and name not in metadata
    }
    return {"story": story(content), "attached": attached}


def _dataclass(value: Any) -> Any:
    fields = dataclasses.fields(value)
    return [type(value).__name__, {f.name: token(getattr(value, f.name)) for f in fields}]


def _sequence(values: list | tuple) -> list:
    """A list's items; a list of stories (a direct template is given all of
    them, twice) as their digests only: a page's key took 0.2 s with 10,000
    stories described one by one."""
    if values and all(isinstance(item, Content) for item in values):
        return ["stories", *map(story, values)]
    return [token(item) for item in values]


# How each kind of template value is described, most specific first.
_DESCRIBE: tuple[tuple[type | tuple[type, ...], Any], ...] = (
    (str, str),  # Markup too
    (datetime.date | datetime.time, lambda v: [v.isoformat(), str(getattr(v, "tzinfo", ""))]),
    (Content, lambda v: ["story", story(v)]),
    (URLWrapper, lambda v: [type(v).__name__, v.name, v.slug, v.url]),
    (
        ListingPage,
        lambda v: [
            "listing",
            v.name,
            v.number,
            v.paginator.num_pages,
            [token(item) for item in v.object_list],
        ],
    ),
    (Paginator, lambda v: ["paginator", v.name, v.num_pages, v.count]),
    (Mapping, lambda v: {str(key): token(item) for key, item in v.items()}),
    (list | tuple, _sequence),
    (set | frozenset, lambda v: sorted(digest(token(item)) for item in v)),
    (Path | datetime.tzinfo, str),
)


def _same(value: Any) -> Any:
    return value


def _float(value: float) -> list[str]:
    # As written: JSON has no NaN or infinity (orjson writes null for them).
    return ["float", repr(value)]


def _describer(kind: type) -> Any:
    """How values of type `kind` are described; None when only the value
    itself can tell (a function, or nothing this module knows)."""
    if kind is type(None) or issubclass(kind, bool | int):
        return _same
    if issubclass(kind, float):
        return _float
    for base, describe in _DESCRIBE:
        if issubclass(kind, base):
            return describe
    if dataclasses.is_dataclass(kind):
        return _dataclass
    return None


# The describer of each type seen: a key describes hundreds of thousands of
# values a build, and walking _DESCRIBE with isinstance for each took a second.
_BY_TYPE: dict[type, Any] = {}


def token(value: Any) -> Any:
    """JSON-shaped data describing `value` as a template can show it."""
    kind = type(value)
    if kind not in _BY_TYPE:
        _BY_TYPE[kind] = _describer(kind)
    describe = _BY_TYPE[kind]
    if describe is not None:
        return describe(value)
    if callable(value) and hasattr(value, "__qualname__"):
        # A function (a Jinja filter in the settings, say) by its name and source.
        try:
            source = inspect.getsource(value)
        except (OSError, TypeError):
            raise Unkeyable(f"no source for {value.__qualname__}") from None
        return [getattr(value, "__module__", ""), value.__qualname__, source]
    raise Unkeyable(f"no key for a {type(value).__name__}")


def code_token(settings: Mapping[str, Any]) -> list[str]:
    """The theme and the other templates (settings.template_sources),
    Seedpress's code and the versions of what renders pages."""
    folders, pages = template_sources(settings)
    code = b"".join(
        [
            *map(folder_digest, [Path(settings["THEME"]), *folders, Path(__file__).parent]),
            *(hashlib.sha256(page.read_bytes()).digest() for page in pages if page.is_file()),
        ]
    )
    return [hashlib.sha256(code).hexdigest(), *(version(name) for name in RENDERERS)]


def site_token(context: dict[str, Any]) -> str:
    """The part of every page that is the same site-wide, as a digest.

    Kept in the context: computed once per build.
    """
    known = context.get(_SITE)
    if known is None:
        parts: dict[str, Any] = {"code": code_token(context)}
        for name, value in context.items():
            if name in _COLLECTIONS or name in _LOCATIONS or name == _SITE:
                continue
            if name in _MENUS:
                parts[name] = [token(group) for group, _ in value]
            else:
                parts[name] = token(value)
        known = digest(parts)
        context[_SITE] = known
    return known


def page_key(template_name: str, context: dict[str, Any], own_values: dict[str, Any]) -> str:
    """The key of one rendered page: site, template, and the page's own values.

    `own_values` are the variables the page was given (its story, its listing
    page, its section or author): a story given as `article` or `page` is keyed
    with what is attached to it, any other story as itself.
    """
    values = {}
    for name, value in own_values.items():
        if name in ("article", "page") and isinstance(value, Content):
            values[name] = own(value)
        elif name.endswith(("_previous_page", "_next_page")) and isinstance(value, ListingPage):
            values[name] = value.number  # only linked to: its number is its URL
        else:
            values[name] = token(value)
    bios = context.get("AUTHOR_BIOS") or {}
    for name in ("author", "authors"):
        # An author page shows the author's bio (from the newest story).
        if isinstance(own_values.get(name), URLWrapper):
            values[f"{name}_bio"] = bios.get(own_values[name].slug)
    return digest([site_token(context), template_name, values])
