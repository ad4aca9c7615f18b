"""The year and month archives (/2025/, /2025/03/), grouped in linear time.

Pelican 4.12 groups the stories of each period, then finds each period's
stories again by testing every story of the site for membership in the
period's list (`a in dates`): at 10,000 stories that is 100 million
comparisons for the months and as many for the years, seconds a build. The
groups here are the same, found once: the same dicts, in the same order, so
Pelican writes the same pages from them; and a period is one group even when
its stories are not all together in time (below).
"""

from __future__ import annotations

import calendar
from collections import defaultdict
from functools import partial
from operator import attrgetter, itemgetter
from typing import Any

from pelican.generators import ArticlesGenerator, PelicanTemplateNotFound

# Pelican's template name for a year's, month's or day's page.
TEMPLATE = "period_archives"

_KEYS = {
    "year": attrgetter("date.year"),
    "month": attrgetter("date.year", "date.month"),
    "day": attrgetter("date.year", "date.month", "date.day"),
}


def period_archives(
    sorted_articles: list, articles: list, settings: dict[str, Any]
) -> dict[str, list[dict]]:
    """Pelican's `ArticlesGenerator._build_period_archives`, linear: each
    period's `dates` (in the archive's order) and `articles` (in the
    generator's), with its URL, file and name."""
    found: dict[str, list[dict]] = defaultdict(list)
    for granularity, key in _KEYS.items():
        save_as = settings[f"{granularity.upper()}_ARCHIVE_SAVE_AS"]
        url = settings[f"{granularity.upper()}_ARCHIVE_URL"]
        if not save_as:  # not wanted
            continue
        # By each story's own date, as its URL is: a post written by hand at
        # another offset (00:30 on 1 January at +02:00) is in January,
        # among December's stories in time. Pelican groups runs of the
        # sorted stories, and made two Januarys, two pages at one address.
        groups = _grouped(sorted_articles, key)
        in_order = _grouped(articles, key)  # the same periods, in the generator's order
        # Newest first, as the stories are (NEWEST_FIRST_ARCHIVES): in the
        # order of their own dates, not of their first story in time (the
        # +02:00 post just after midnight on 1 March would put March after
        # a February story at 23:00 UTC).
        newest_first = settings.get("NEWEST_FIRST_ARCHIVES", True)
        for period, dates in sorted(groups.items(), key=itemgetter(0), reverse=newest_first):
            first = dates[0].date  # any date of the period names it
            archive = {
                "dates": dates,
                "articles": in_order[period],
                "save_as": save_as.format(date=first),
                "url": url.format(date=first),
            }
            if granularity == "year":
                archive["period"] = archive["period_num"] = (period,)
            else:
                name = calendar.month_name[period[1]]
                archive["period"] = (period[0], name, *period[2:])
                archive["period_num"] = tuple(period)
            found[granularity].append(archive)
    return found


def _grouped(stories: list, key) -> dict[Any, list]:
    """The stories by period, each period's in the order given."""
    groups: dict[Any, list] = {}
    for story in stories:
        groups.setdefault(key(story), []).append(story)
    return groups


def write_period_archives(generator: ArticlesGenerator, write) -> None:
    """Pelican's `generate_period_archives`, with each page's period and its
    neighbours given as the page's own variables: `older` and `newer`, the
    period before and after it of the same kind (its URL and `period`), or
    None, for the links from month to month. Pelican gives the period in a
    copy of the whole context for each page; as the page's variables they
    are keyed with it (fingerprint.py), so a month's page is rendered again
    when the month after it gets its first story."""
    try:
        template = generator.get_template(TEMPLATE)
    except PelicanTemplateNotFound:
        template = generator.get_template("archives")
    for archives in generator.period_archives.values():
        in_time = sorted(archives, key=itemgetter("period_num"))
        place = {archive["period_num"]: index for index, archive in enumerate(in_time)}
        for archive in archives:
            index = place[archive["period_num"]]
            write(
                archive["save_as"],
                template,
                generator.context,
                articles=archive["articles"],
                dates=archive["dates"],
                template_name=TEMPLATE,
                blog=True,
                url=archive["url"],
                all_articles=generator.articles,
                period=archive["period"],
                period_num=archive["period_num"],
                older=_link(in_time[index - 1]) if index > 0 else None,
                newer=_link(in_time[index + 1]) if index + 1 < len(in_time) else None,
            )


def _link(archive: dict) -> dict:
    return {"url": archive["url"], "period": archive["period"]}


def group_periods_linearly(generator) -> None:
    """Pelican's article_generator_init: the generator groups its periods
    with `period_archives` and writes them with `write_period_archives`.
    Attributes of this generator only, in the place of the methods Pelican
    calls; were Pelican to stop calling them, its own would run: slower, and
    with no links between the months."""
    if isinstance(generator, ArticlesGenerator):
        generator._build_period_archives = period_archives
        generator.generate_period_archives = partial(write_period_archives, generator)
