"""HTML parsed with bs4, imported when first needed: importing bs4 (and
soupsieve, which compiles its CSS grammar as it is imported) took 88 ms of
every build's start, while only a title with markup or a story with a
relative link needs it."""

from __future__ import annotations

import functools
import warnings


def soup(markup: str):
    """`markup` parsed by bs4 with Python's own HTML parser."""
    return _maker()(markup, "html.parser")


@functools.cache
def _maker():
    """bs4's BeautifulSoup, with its warning that some markup looks like a
    URL or file name silenced (a title that looks like a URL is a title)."""
    from bs4 import BeautifulSoup, MarkupResemblesLocatorWarning

    warnings.filterwarnings("ignore", category=MarkupResemblesLocatorWarning)
    return BeautifulSoup
