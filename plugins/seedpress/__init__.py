"""Seedpress: plain-text seeds → Markdown posts → Pelican site → feeds.

The pipeline, one module per stage: seed.py (bytes → Seed), post.py and
markup.py (Seed → escaped Markdown), ledger.py and dates.py (ids, slugs, dates),
convert.py (seeds/ → content/), feeds/ (Atom, RSS), pelican_glue.py (signals),
build.py (convert, then a strict Pelican run, then the summary).
"""


def register() -> None:
    """Pelican's plugin entry point. Imported lazily, so that the parser and
    converter can be used (and tested) without importing Pelican."""
    from .pelican_glue import register as register_signals

    register_signals()
