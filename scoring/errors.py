"""The errors the engine raises: one family, each message saying where (file, line or field, indicator)."""
from __future__ import annotations

QUOTE_LIMIT = 80  # characters of a value quoted in a message


def shortened(text: str, limit: int = QUOTE_LIMIT) -> str:
    """`text` cut to `limit` characters and '…', for quoting a value in a one-line message."""
    return text if len(text) <= limit else text[:limit] + "…"


class ScoringError(Exception):
    """Bad input or configuration. The message names the file and the line, field or indicator."""

    def __init__(self, message: str, *, where: str | None = None):
        self.where = where
        super().__init__(f"{where}: {message}" if where else message)


class InputError(ScoringError):
    """A goals or actuals file that cannot be used as given."""


class RuleBookError(ScoringError):
    """A rule set with an unknown key or a bad value."""


class UnitError(ScoringError):
    """A unit the registry does not know, or two units that cannot be compared."""
