"""Cells written to CSV and XLSX files: text that a spreadsheet would run as a formula is neutralised."""
from __future__ import annotations

# A cell starting with one of these is a formula (or becomes one) in Excel and WPS (OWASP "CSV injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
MARK = "'"


def neutralise(value: object) -> object:
    """Text that would start a formula gets a leading apostrophe; numbers and other text pass unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return MARK + value
    return value


def unmark(text: str) -> str:
    """The text a neutralised cell held (what `neutralise` added is taken off again when read back)."""
    if text.startswith(MARK) and text[1:].startswith(FORMULA_STARTS):
        return text[1:]
    return text


def writable(text: str) -> bool:
    """Whether text can be written as UTF-8: a lone surrogate (\\ud800 … \\udfff), which only a JSON escape
    or a program makes, cannot."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True
