"""The 年度指标值 / 实际完成值 language: text → Target, Actual.

Readers work on the normalised text (language.normalise). Results are cached per distinct (text, year):
the engine parses each distinct string once and maps the result onto its frame.
"""
from __future__ import annotations

import calendar
import math
import re
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache

import pint

from . import language
from .language import Level
from .units import is_unit, quantity

_MULTIPLIERS = {"万": 1e4, "亿": 1e8, "千": 1e3, "百万": 1e6, "千万": 1e7}
_NUMBER = r"[+-]?\d+(?:,\d{3})*(?:\.\d+)?"
_QUANTITY = re.compile(rf"(?P<num>{_NUMBER}(?:[*×x]{_NUMBER})*)(?P<unit>.*)")
_DATE_PREFIX = re.compile(r"^(?:≤|<|在|于|截至|截止到|截止|到|至)*")
_DATE_SUFFIX = re.compile(r"^(?:底|末|份|之|以前|前|内|完成|完工|完毕|结束|止|,|。)*$")
_DATE_FORMS = [
    re.compile(r"(?P<y>\d{4})年(?P<m>\d{1,2})月(?P<d>\d{1,2})[日号]"),
    re.compile(r"(?P<y>\d{4})[-/.](?P<m>\d{1,2})[-/.](?P<d>\d{1,2})"),
    re.compile(r"(?P<y>\d{4})年(?P<m>\d{1,2})月"),
    re.compile(r"(?P<y>\d{4})年(?=底|末|内)"),
    re.compile(r"(?P<m>\d{1,2})月(?P<d>\d{1,2})[日号]"),
    re.compile(r"(?P<m>\d{1,2})月"),
]


@dataclass(frozen=True)
class Target:
    """A 年度指标值 as read. `number` and `unit` are as written (600 and 万人 for `≥ 600万人`)."""

    text: str
    kind: str  # "quantitative" | "qualitative" | "date" | "composite" | "unreadable"
    op: str | None = None  # ">=" | "<=" | "=" | ">" | "<" | "approx" | None
    number: float | None = None
    unit: str | None = None
    deadline: date | None = None
    level: str | None = None
    scale: Level | None = None
    parts: list["Target"] = field(default_factory=list)
    reason: str | None = None

    @property
    def quantity(self) -> pint.Quantity | None:
        """The target as a pint Quantity in the unit as written, or None."""
        return None if self.number is None else quantity(self.number, self.unit)

    @property
    def direction(self) -> str | None:
        """正向 or 反向 where the text itself says so (an operator, a zero target); otherwise None."""
        if self.op in ("<=", "<"):
            return "反向"
        if self.op in (">=", ">"):
            return "正向"
        if self.kind == "quantitative" and self.number == 0:
            return "反向"
        return None


@dataclass(frozen=True)
class Actual:
    """A 实际完成值 as read."""

    text: str
    kind: str  # "quantitative" | "date" | "achievement" | "qualitative" | "not_applicable" | "empty" | "unreadable"
    number: float | None = None
    unit: str | None = None  # None: a bare number, read in the target's unit
    date: date | None = None
    achievement: str | None = None  # 达成 | 部分达成 | 未达成, for achievement words
    scale: Level | None = None
    reason: str | None = None

    @property
    def quantity(self) -> pint.Quantity | None:
        """The actual as a pint Quantity in the unit as written, or None."""
        return None if self.number is None else quantity(self.number, self.unit)


def parse_target(text: object, year: int | None = None) -> Target:
    """Read a 年度指标值. Never raises: what cannot be read is kind "unreadable" with the reason."""
    return _parse_target(_as_text(text), year)


def parse_actual(text: object, year: int | None = None) -> Actual:
    """Read a 实际完成值. Never raises: what cannot be read is kind "unreadable" with the reason."""
    return _parse_actual(_as_text(text), year)


def _as_text(value: object) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


@lru_cache(maxsize=None)
def _parse_target(text: str, year: int | None) -> Target:
    n = language.normalise(text)
    if not n:
        return Target(text, "unreadable", reason="no target given")
    deadline = _read_date(n, year)
    if isinstance(deadline, date):
        return Target(text, "date", deadline=deadline)
    if deadline is not None:
        return Target(text, "unreadable", reason=deadline)
    read = _read_quantity(n)
    if isinstance(read, tuple):
        op, number, unit = read
        return Target(text, "quantitative", op=op, number=number, unit=unit)
    if read is not None:
        return Target(text, "unreadable", reason=read)
    if any(ch.isdigit() for ch in n):
        return Target(text, "unreadable", reason="a number that is neither a quantity nor a date")
    word, op = _strip_after(n)
    whole = language.whole_word_level(word)
    if whole is not None:
        return Target(text, "qualitative", op=op or "=", level=whole.word, scale=whole)
    level, negated = language.find_level(n)
    if level is not None and not negated:
        return Target(text, "qualitative", level=n, scale=level)
    return Target(text, "qualitative", level=n)


@lru_cache(maxsize=None)
def _parse_actual(text: str, year: int | None) -> Actual:
    n = language.normalise(text)
    if not n:
        return Actual(text, "empty")
    if n in language.NOT_APPLICABLE:
        return Actual(text, "not_applicable")
    if n.rstrip("。.") in language.ACHIEVEMENT:
        return Actual(text, "achievement", achievement=language.ACHIEVEMENT[n.rstrip("。.")])
    when = _read_date(n, year)
    if isinstance(when, date):
        return Actual(text, "date", date=when)
    if when is not None:
        return Actual(text, "unreadable", reason=when)
    read = _read_quantity(n)
    if isinstance(read, tuple):
        _, number, unit = read
        return Actual(text, "quantitative", number=number, unit=unit)
    if read is not None:
        return Actual(text, "unreadable", reason=read)
    level = language.whole_word_level(n)
    negated = False
    if level is None:
        level, negated = language.find_level(n)
    if level is not None and negated:
        return Actual(text, "achievement", achievement="未达成")
    if level is not None:
        return Actual(text, "qualitative", scale=level)
    return Actual(text, "unreadable", reason="not a number, a date or an achievement word")


def _strip_before(n: str) -> tuple[str, list[str]]:
    ops = []
    words = sorted(language.OPERATORS_BEFORE, key=len, reverse=True)
    stripped = True
    while stripped:
        stripped = False
        for word in words:
            if n.startswith(word):
                ops.append(language.OPERATORS_BEFORE[word])
                n = n[len(word):]
                stripped = True
                break
    return n, ops


def _strip_after(n: str) -> tuple[str, str | None]:
    for word in sorted(language.OPERATORS_AFTER, key=len, reverse=True):
        if n.endswith(word) and len(n) > len(word):
            return n[: -len(word)], language.OPERATORS_AFTER[word]
    return n, None


def _read_quantity(n: str) -> tuple[str | None, float, str | None] | str | None:
    """(op, number, unit) for a quantity; a reason string if it looks like one but is not; else None."""
    body, ops = _strip_before(n)
    match = _QUANTITY.fullmatch(body)
    if match is None:
        return None
    unit, after = _strip_after(match["unit"])
    if after:
        ops.append(after)
    number = math.prod(float(p.replace(",", "")) for p in re.split(r"[*×x]", match["num"]))
    if unit in _MULTIPLIERS:
        number, unit = number * _MULTIPLIERS[unit], ""
    if unit and not is_unit(unit):
        return f"unknown unit '{unit}'"
    distinct = set(ops) - {"="} if len(set(ops)) > 1 else set(ops)
    if len(distinct) > 1:
        return f"contradictory operators in '{n}'"
    return (distinct.pop() if distinct else None), number, unit or None


def _read_date(n: str, year: int | None) -> date | str | None:
    """A date for the deadline forms of domain.md; a reason string for a bad one; None if not a date."""
    if n in language.YEAR_END_WORDS:
        return date(year, 12, 31) if year else "a year-end deadline needs the evaluation year"
    body = _DATE_PREFIX.sub("", n)
    for form in _DATE_FORMS:
        match = form.match(body)
        if match is None or not _DATE_SUFFIX.match(body[match.end():]):
            continue
        parts = match.groupdict()
        y = int(parts["y"]) if parts.get("y") else year
        if y is None:
            return "a date without a year needs the evaluation year"
        m = int(parts.get("m") or 12)
        if not 1 <= m <= 12:
            return f"no month {m}"
        last = calendar.monthrange(y, m)[1]
        d = int(parts["d"]) if parts.get("d") else last
        if not 1 <= d <= last:
            return f"no day {d} in month {m}"
        return date(y, m, d)
    return None
