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


class ErrorLog(logging.Handler):
    """Collects the messages of ERROR records (a build that logged one failed)."""

    def __init__(self):
        super().__init__(level=logging.ERROR)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def counted(number: int, noun: str) -> str:
    """ "1 post", "2 posts": a count for people, with its noun."""
    return f"{number} {noun}{'' if number == 1 else 's'}"
