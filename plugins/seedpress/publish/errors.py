"""The one error publishing raises for people to read."""


class PublishError(RuntimeError):
    """The publish did not happen, or did not finish; the message says why."""
