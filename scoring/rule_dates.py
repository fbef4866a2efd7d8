"""Dates a rule writes (`6月底前完成得满分`, `10月底前完成得6分`, `12月31日后完成不得分`): read from a clause, and
placed on a deadline row's count of days from 1 January of the evaluation year (Context.planned_days' scale)."""
from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date

import numpy as np

from .numerals import chinese_to_number

# a month and its day or end (10月底, 10月末, 10月31日), the year optional: no bare 10月 (10月前 is ambiguous)
DATE = (r"(?:(?P<year>\d{4})年)?(?P<month>1[0-2]|0?[1-9]|十[一二]?|[一二三四五六七八九])月"
        r"(?:(?P<day>3[01]|[12]\d|0?[1-9])日|(?P<end>底|末))")


@dataclass(frozen=True)
class RuleDate:
    """A date as a rule writes it; without a year it is in the year of the row's deadline."""

    year: int | None
    month: int
    day: int | None  # None: the month's last day (10月底)

    @property
    def text(self) -> str:
        year = f"{self.year}年" if self.year else ""
        return f"{year}{self.month}月{'底' if self.day is None else f'{self.day}日'}"

    def possible(self) -> bool:
        """Whether some year has it (2月29日 does, 2月30日 never)."""
        return self.day is None or self.day <= calendar.monthrange(self.year or 2000, self.month)[1]

    def in_year(self, year: int) -> date:
        year = self.year or year
        last = calendar.monthrange(year, self.month)[1]
        return date(year, self.month, last if self.day is None else min(self.day, last))


def rule_date(found: dict) -> RuleDate | None:
    """The date of a clause's values (its month, day or end, year); None for a clause without one."""
    if found.get("month") is None:
        return None
    return RuleDate(_whole(found.get("year")), _whole(found["month"]), _whole(found.get("day")))


def _whole(text: str | None) -> int | None:
    return None if text is None else int(text) if text.isdigit() else int(chinese_to_number(text))


def day_counts(when: RuleDate, due_year: np.ndarray, start_day: np.ndarray) -> np.ndarray:
    """Per row, `when` as days from 1 January of the evaluation year (`start_day`, a day number), inclusive,
    in the year of the row's deadline where the rule names none; NaN on rows without a deadline. Each distinct
    year is placed once."""
    days = np.full(len(due_year), np.nan)
    for year in np.unique(due_year[~np.isnan(due_year)]):
        rows = due_year == year
        days[rows] = when.in_year(int(year)).toordinal() - start_day[rows] + 1
    return days


def dates_of(days: np.ndarray, start_day: np.ndarray) -> np.ndarray:
    """Day counts (as from day_counts) back to ISO dates, each distinct date once ("" where NaN)."""
    ordinals = start_day + days - 1
    out = np.full(len(days), "", dtype=object)
    known = ~np.isnan(ordinals)
    values, inverse = np.unique(ordinals[known], return_inverse=True)
    texts = np.array([date.fromordinal(int(v)).isoformat() for v in values], dtype=object)
    out[known] = texts[inverse] if len(values) else out[known]
    return out
