""" "Read next": stories related by shared authors and shared distinctive words.

Plain Python over plain records, so it is testable without Pelican. Words are
weighted by rarity (inverse document frequency) and looked up through an
inverted index, so a story is only compared with stories that share a word or
an author: the cost grows with the archive's size, not with its square.
"""

from __future__ import annotations

import bisect
import contextlib
import hashlib
import json
import math
import re
import unicodedata
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from .parallel import fork_map

_WORD = re.compile(r"[^\W\d_]{4,}", re.UNICODE)
# A word in more than this share of stories (or this many) tells little about
# relatedness, and would make the comparison quadratic.
_COMMON_SHARE = 0.2
_MAX_POSTINGS = 50
AUTHOR_WEIGHT = 3.0
# Weights are summed as whole numbers of this unit: a sum of floats depends on
# the order of its terms (the words of a set, whose order follows the
# process's hash seed) in its last bit, and so did ties between equal scores:
# two cold builds of the same seeds differed (found by a differential test of
# incremental against cold builds). Integers sum alike in any order, and tie
# exactly where the scores are equal.
_UNIT = 2**20


@dataclass(frozen=True)
class Doc:
    """What relatedness looks at: the key, its authors and its text."""

    key: str
    authors: tuple[str, ...]
    text: str


def _words(text: str) -> set[str]:
    return {word.casefold() for word in _WORD.findall(text)}


def related(docs: Sequence[Doc], count: int = 3, processes: int = 1) -> dict[str, list[str]]:
    """For each doc key, the keys of the `count` most related other docs,
    scored on `processes` cores (forked workers, from PARALLEL_FROM docs).

    Ties go to the earlier doc in `docs`, so the result is deterministic.
    """
    words = [_words(doc.text) for doc in docs]
    postings: dict[str, list[int]] = defaultdict(list)
    for index, bag in enumerate(words):
        for word in bag:
            postings[word].append(index)
    limit = min(max(2, int(len(docs) * _COMMON_SHARE)), _MAX_POSTINGS)
    by_author: dict[str, list[int]] = defaultdict(list)
    for index, doc in enumerate(docs):
        for author in doc.authors:
            by_author[author].append(index)
    _SCORING.update(
        docs=docs,
        words=words,
        postings=postings,
        weight={
            word: round(math.log(len(docs) / len(found)) * _UNIT)
            for word, found in postings.items()
            if 1 < len(found) <= limit
        },
        by_author=by_author,
        count=count,
    )
    # Runs of docs, not single ones: each result goes through a pipe.
    runs = [range(start, min(start + _RUN, len(docs))) for start in range(0, len(docs), _RUN)]
    try:
        processes = min(processes, len(runs)) if len(docs) >= PARALLEL_FROM else 1
        found = fork_map(_best_of, runs, processes, threshold=1, chunksize=1)
        best = [other for run in found for other in run]
    finally:
        _SCORING.clear()
    return {doc.key: [docs[other].key for other in best[index]] for index, doc in enumerate(docs)}


# Scoring is split over the cores from this many docs: at 10,000 it took half
# a second of an added story's build in one process (py-spy), and forking
# costs a few hundredths.
PARALLEL_FROM = 2000
_RUN = 500
# What `_best_of` scores with, inherited by the forked workers, never pickled.
_SCORING: dict = {}


def _best_of(run: range) -> list[list[int]]:
    """The `count` best other docs of each doc in `run`, by position."""
    docs, words, postings = _SCORING["docs"], _SCORING["words"], _SCORING["postings"]
    weight, by_author, count = _SCORING["weight"], _SCORING["by_author"], _SCORING["count"]
    author_weight = round(AUTHOR_WEIGHT * _UNIT)
    found = []
    for index in run:
        scores: dict[int, int] = defaultdict(int)
        for word in words[index]:
            for other in postings[word] if word in weight else ():
                scores[other] += weight[word]
        for author in docs[index].authors:
            # The same author's nearest stories in the order given (by date),
            # not all of them: a prolific byline would make this quadratic.
            stories = by_author[author]
            at = bisect.bisect_left(stories, index)
            for other in stories[max(0, at - _MAX_POSTINGS) : at + _MAX_POSTINGS + 1]:
                scores[other] += author_weight
        scores.pop(index, None)
        best = sorted(scores.items(), key=lambda item: (-item[1], item[0]))[:count]
        found.append([other for other, _ in best])
    return found


# What a remembered answer depends on besides the docs: this module's code, and
# the Unicode tables that decide what a word is.
_CODE = hashlib.sha256(Path(__file__).read_bytes()).hexdigest() + unicodedata.unidata_version


def remembered(
    docs: Sequence[Doc], count: int, cache: Path | None, processes: int = 1
) -> dict[str, list[str]]:
    """`related(docs, count)`, kept in `cache` (a JSON file) for the next call
    with the same docs. Most builds change no title, dek or byline (a body is
    edited), and over 10,000 stories the answer takes most of a second."""
    if cache is None:
        return related(docs, count, processes)
    token = json.dumps(
        [_CODE, count, [(doc.key, doc.authors, doc.text) for doc in docs]], ensure_ascii=False
    )
    key = hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()
    try:
        known = json.loads(cache.read_text(encoding="utf-8"))
        if known["key"] == key:
            # Kept as positions in `docs`: numbers read back faster than URLs.
            keys = [doc.key for doc in docs]
            return {
                key: [keys[other] for other in found]
                for key, found in zip(keys, known["related"], strict=True)
            }
    except (OSError, ValueError, KeyError, TypeError, IndexError):
        pass  # none yet, or unreadable: computed again
    found = related(docs, count, processes)
    position = {doc.key: index for index, doc in enumerate(docs)}
    positions = [[position[other] for other in found[doc.key]] for doc in docs]
    # A cache that cannot be written (a full disk) costs the next build time,
    # never this one its result.
    with contextlib.suppress(OSError):
        cache.parent.mkdir(parents=True, exist_ok=True)
        partial = cache.with_name(f".{cache.name}.partial")
        partial.write_text(json.dumps({"key": key, "related": positions}), encoding="utf-8")
        partial.replace(cache)
    return found
