"""Loggers for Seedpress modules."""

from __future__ import annotations

import logging


def get_logger(name: str) -> logging.Logger:
    """A module logger that reports every message about a file.

    Pelican's logger class drops a warning it has already shown in this
    process; a second build in one process (tests, a watcher) must still warn
    about the same hand-edited post or bad seed.
    """
    logger = logging.getLogger(name)
    if hasattr(logger, "disable_filter"):
        logger.disable_filter()
    return logger
