"""A deterministic synthetic newsroom: N seeds in the seed format.

Realistic lengths (a dek and about nine paragraphs of 60-90 words), curly quotes
and accents, 50 authors, three sections, and dates spread over three years (as
file modification times, which Seedpress uses for new seeds outside git).
"""

from __future__ import annotations

import os
import random
from datetime import UTC, datetime, timedelta
from pathlib import Path

WORDS = [
    "harbour",
    "council",
    "ferry",
    "island",
    "budget",
    "vote",
    "school",
    "storm",
    "coast",
    "market",
    "river",
    "treaty",
    "drought",
    "census",
    "hospital",
    "library",
    "bridge",
    "road",
    "tunnel",
    "fishing",
    "port",
    "festival",
    "museum",
    "court",
    "police",
    "housing",
    "energy",
    "wind",
    "solar",
    "grid",
    "water",
    "farm",
    "university",
    "research",
    "study",
    "climate",
    "science",
    "health",
    "transport",
    "rail",
    "airport",
    "election",
    "mayor",
    "minister",
    "committee",
    "report",
    "plan",
    "project",
    "funding",
    "residents",
    "officials",
    "engineers",
    "teachers",
    "nurses",
    "workers",
    "families",
    "visitors",
    "business",
]
ACCENTED = ["José", "Zoë", "Müller", "Núñez", "Łukasz", "Agnès", "Søren", "Çelik"]
GIVEN = ["Ana", "Ben", "Carla", "Dev", "Elif", "Farid", "Grace", "Hugo", "Ines", "Jon"]
FAMILY = ["Lima", "Okoro", "Reyes", "Shah", "Tanaka"]
SECTIONS = ["", "world", "science"]
START = datetime(2023, 1, 1, 6, 0, tzinfo=UTC)


def authors() -> list[str]:
    """50 distinct bylines, some with accented names."""
    names = [f"{g} {f}" for g in GIVEN for f in FAMILY]
    for index, accented in enumerate(ACCENTED):
        names[index * 6] = f"{accented} {FAMILY[index % len(FAMILY)]}"
    return names


def sentence(rng: random.Random) -> str:
    words = [rng.choice(WORDS) for _ in range(rng.randint(8, 16))]
    if rng.random() < 0.3:
        spoken = " ".join(rng.choice(WORDS) for _ in range(5))
        words.append(f"said “{spoken}”")
    text = " ".join(words)
    return text[0].upper() + text[1:] + rng.choice([".", ".", ".", " — officials’ view."])


def paragraph(rng: random.Random) -> str:
    sentences: list[str] = []
    while sum(len(s.split()) for s in sentences) < rng.randint(60, 90):
        sentences.append(sentence(rng))
    return " ".join(sentences)


def seed_text(number: int, rng: random.Random, names: list[str]) -> str:
    """One article: title, dek, about nine paragraphs, byline and bio."""
    title = " ".join(rng.choice(WORDS) for _ in range(rng.randint(5, 9))).title()
    dek = " ".join(rng.choice(WORDS) for _ in range(rng.randint(12, 20))).capitalize()
    body = "\n\n".join(paragraph(rng) for _ in range(rng.randint(8, 10)))
    author = names[number % len(names)]
    # One bio per author, as in a newsroom (a changed bio is a warning).
    beats = random.Random(author)
    bio = f"{author} reports on {beats.choice(WORDS)} and {beats.choice(WORDS)} for the newsroom."
    return f"{title} {number}\n\n{dek}\n\n{body}\n\nAuthor: {author}\n\n{bio}"


def write(folder: Path, count: int, start: int = 0, seed: int = 1) -> list[Path]:
    """Write seeds `start`…`start+count-1` into `folder`; return their paths."""
    names = authors()
    span = timedelta(days=3 * 365)
    written = []
    for number in range(start, start + count):
        rng = random.Random(seed * 1_000_003 + number)
        section = SECTIONS[number % len(SECTIONS)]
        path = folder / section / f"story-{number:05}.txt"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(seed_text(number, rng, names), encoding="utf-8")
        moment = START + span * (number / max(count + start, 1))
        stamp = moment.timestamp()
        os.utime(path, (stamp, stamp))
        written.append(path)
    return written
