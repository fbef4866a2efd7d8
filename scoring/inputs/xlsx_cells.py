"""Cells of an .xlsx workbook as staff see them in Excel, not as the file stores them: `92%` is stored as 0.92
under the format `0%`, a date as a number under a date format. Each failure names the file."""
from __future__ import annotations

import datetime
import io
import re
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any

from ..errors import InputError
from ..rounding import format_number

_LITERALS = re.compile(r'"[^"]*"|\\.')  # quoted text and escaped characters of a number format
# the tokens of a number format: literals, [colour] and [condition], spacing (_x) and fill (*x), placeholders
_TOKENS = re.compile(r'"[^"]*"|\\.|\[[^\]]*\]|[_*].|general|.', re.IGNORECASE)


def cell_text(cell: Any) -> str:
    """The text of an openpyxl cell as Excel shows it, as far as the engine reads it: 0.92 under `0%` is
    '92%', a date (or a date and time) '2024年6月20日', 10.0 '10', TRUE/FALSE as Excel writes them, an empty
    cell ''. Text is returned unchanged; a percentage keeps every digit the cell holds (0.955 under `0%` is
    '95.5%', as typed, not the '96%' shown). Literal text of the format stays with the number: 12.5 under
    `0.00"万元"` is '12.5万元' (not rounded to the format's decimals), 5 under `0"%"` '5%'."""
    value = cell.value
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, datetime.date):  # a datetime too: its time of day is dropped, deadlines count days
        if not _shows_day(cell.number_format):  # 2024年6月 typed: stored as 1 June, meant as the month
            return f"{value.year}年{value.month}月"
        return f"{value.year}年{value.month}月{value.day}日"
    if isinstance(value, (int, float)):
        before, after = _affixes(cell.number_format)
        return f"{before}{_number(value, cell.number_format)}{after}"
    return str(value)


def _number(value: int | float, number_format: str) -> str:
    """A number as `cell_text` shows it, without the format's literal text."""
    if _is_percent(number_format):
        return _plain(Decimal(repr(value)).scaleb(2)) + "%"
    return str(value) if isinstance(value, int) else format_number(value)


@lru_cache(maxsize=None)
def _shows_day(number_format: str) -> bool:
    """Whether a date format shows the day (`yyyy/m/d`, `General`), not only the year and month
    (`yyyy"年"m"月"`, `mmm-yy`)."""
    shown = _LITERALS.sub("", number_format).lower()
    return "d" in shown or shown.startswith("general") or not shown


@lru_cache(maxsize=None)
def _affixes(number_format: str) -> tuple[str, str]:
    """The literal text the first section of a number format writes before and after the number:
    `0.00"万元"` → ('', '万元'), `"约"0\\次` → ('约', '次'); ('', '') for a format with no digit placeholder."""
    before: list[str] = []
    after: list[str] = []
    placed = False
    for token in _TOKENS.findall(number_format):
        if token == ";":
            break
        if token in ("0", "#", "?") or token.lower() == "general":
            placed, after = True, []  # text between digits is not an affix
        elif token[0] in "\"\\":
            (after if placed else before).append(token[1:-1] if token[0] == '"' else token[1:])
    return ("".join(before), "".join(after)) if placed else ("", "")


def sheet_rows(raw: bytes, path: Path) -> list[list[str]]:
    """The first sheet of a workbook as rows of cell texts (`cell_text`), as wide as its widest row with a
    value; the empty rows after the last value are left out. A damaged workbook is an InputError."""
    import openpyxl  # only spreadsheets need it

    try:
        book = openpyxl.load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
        sheet = book.worksheets[0]
        sheet.reset_dimensions()  # the size a file declares may be wrong: read every row it holds
        rows = [[cell_text(cell) for cell in row] for row in sheet.iter_rows()]
        book.close()
    except Exception as exc:  # openpyxl raises many kinds for a damaged workbook
        raise InputError(f"not a readable .xlsx workbook ({type(exc).__name__})", where=str(path)) from None
    while rows and not any(rows[-1]):
        rows.pop()
    width = max((i + 1 for row in rows for i, text in enumerate(row) if text), default=0)
    return [row[:width] + [""] * (width - len(row)) for row in rows]


@lru_cache(maxsize=None)
def _is_percent(number_format: str) -> bool:
    """Whether a number format shows its number as a percentage (`0%`, `0.00%`, not `0"%"`)."""
    return "%" in _LITERALS.sub("", number_format)


def _plain(number: Decimal) -> str:
    """A decimal without exponent or trailing zeros: 95.50 → '95.5', 1E+2 → '100'."""
    text = format(number.normalize(), "f")
    return "0" if text == "-0" else text
