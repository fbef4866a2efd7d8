"""Dates a rule writes (`6月底前完成得满分`, `10月底前完成得6分`, `12月31日后完成不得分`): read from a clause, and
placed on a deadline row's count of days from 1 January of the evaluation year (Context.planned_days' scale)."""
from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date

import numpy as np

from .numerals import chinese_to_number

# a month and its day or end (10月底, 10月末, 10月31日, 十二月三十一日), the year optional (2021年, 次年): no bare
# 10月 (10月前 is ambiguous); (含) after it changes nothing (前 includes the day)
DATE = (r"(?:(?P<year>\d{4})年|(?P<next>次年|下一?年|翌年|第二年))?(?P<month>1[0-2]|0?[1-9]|十[一二]?|[一二三四五六七八九])月"
        r"(?:(?P<day>3[01]|[12]\d|0?[1-9]|三十一?|二?十[一二三四五六七八九]?|[一二三四五六七八九])[日号]|(?P<end>底|末))"
        r"(?:\(含\))?")


@dataclass(frozen=True)
class RuleDate:
    """A date as a rule writes it: in its year, 次年 (the year after the evaluation year), or none (day_counts)."""

    year: int | None
    month: int
    day: int | None  # None: the month's last day (10月底)
    next_year: bool = False  # 次年3月底

    @property
    def text(self) -> str:
        year = f"{self.year}年" if self.year is not None else "次年" if self.next_year else ""
        return f"{year}{self.month}月{'底' if self.day is None else f'{self.day}日'}"

    def possible(self) -> bool:
        """Whether some year has it (2月29日 does, 2月30日 and 0000年 never)."""
        if self.year is not None and not 1 <= self.year <= 9999:
            return False
        return self.day is None or self.day <= calendar.monthrange(self.year or 2000, self.month)[1]

    def in_year(self, year: int) -> date:
        last = calendar.monthrange(year, self.month)[1]
        return date(year, self.month, last if self.day is None else min(self.day, last))


def rule_date(found: dict) -> RuleDate | None:
    """The date of a clause's values (its month, day or end, year); None for a clause without one."""
    if found.get("month") is None:
        return None
    return RuleDate(_whole(found.get("year")), _whole(found["month"]), _whole(found.get("day")),
                    bool(found.get("next")))


def _whole(text: str | None) -> int | None:
    return None if text is None else int(text) if text.isdigit() else int(chinese_to_number(text))


def day_counts(when: RuleDate, start_day: np.ndarray, near: np.ndarray,
               at_least: np.ndarray | None = None) -> np.ndarray:
    """Per row, `when` as days from 1 January of the evaluation year (`start_day`, a day number), inclusive:
    in the year it names; 次年 the one after the evaluation year; without a year, from the evaluation year on,
    the latest that is not after the row's deadline (`near`, counted alike: 6月30日 beside 31 December is this
    June, 12月底 beside 31 March next year this December), unless the earliest after it lies less than half as
    far (1月底 beside 31 December is next January) or none is before (12月底 beside 30 June); not before
    `at_least` where given (3月底后完成不得分 beside 31 December: next March). NaN on rows without a deadline.
    Each evaluation year is placed once."""
    days = np.full(len(start_day), np.nan)
    for first in np.unique(start_day[~np.isnan(start_day)]):
        rows = start_day == first
        year = date.fromordinal(int(first)).year
        if when.year is not None or when.next_year:
            days[rows] = _count(when, when.year or year + 1, first)
            continue
        candidates = np.array([_count(when, y, first) for y in range(year, year + 3)])[:, None]  # (deadlines run late)
        usable = np.isfinite(candidates) & (candidates >= (at_least[rows] if at_least is not None else -np.inf))
        on_time = usable & (candidates <= near[rows])
        latest = np.where(on_time, candidates, -np.inf).max(axis=0)
        earliest = np.where(usable & (candidates > near[rows]), candidates, np.inf).min(axis=0)
        after_nearer = np.isfinite(earliest) & ((earliest - near[rows]) * 2 < near[rows] - latest)
        picked = np.where(np.isfinite(latest) & ~after_nearer, latest, earliest)
        days[rows] = np.where(np.isfinite(picked) & ~np.isnan(near[rows]), picked, np.nan)
    return days


def _count(when: RuleDate, year: int, first: float) -> float:
    """`when` in `year` as days from the day number `first`, inclusive; +inf past 9999."""
    if not 1 <= year <= 9999:
        return np.inf
    return when.in_year(year).toordinal() - first + 1


def months_between(due: date, done: date) -> float:
    """Calendar months from `due` to `done` (0 when not after): k whole months when `done` is on or after `due`
    plus k months (the same day of the month, or that month's last day), plus the days beyond as a share of the
    month that follows; NaN past 9999."""
    if done <= due:
        return 0.0
    whole = (done.year - due.year) * 12 + done.month - due.month
    while whole > 0 and _add_months(due, whole) > done:
        whole -= 1
    try:
        start, end = _add_months(due, whole), _add_months(due, whole + 1)
    except ValueError:  # the month after lies past 9999-12-31: no months counted (days are)
        return np.nan
    return whole + (done - start).days / (end - start).days


def _add_months(day: date, months: int) -> date:
    year, month = divmod(day.month - 1 + months, 12)
    year, month = day.year + year, month + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def add_workdays(day: np.ndarray, count: float) -> np.ndarray:
    """Each day number (date.toordinal; NaN for none) plus `count` whole working days (Monday–Friday)."""
    out = np.full(len(day), np.nan)
    known = ~np.isnan(day)
    epoch = date(1970, 1, 1).toordinal()
    moved = np.busday_offset((day[known] - epoch).astype("int64").astype("datetime64[D]"), int(count), roll="forward")
    out[known] = moved.astype("int64") + epoch
    return out


def lateness_after(due_day: np.ndarray, done_day: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Working days (Monday–Friday) and calendar months from each due day to each completion (day numbers,
    date.toordinal; 0 when on time, NaN where either is missing): how late, counted from a date a rule moved
    on time to. Public holidays and the weekends worked in their place (调休) are not known: every Monday to
    Friday counts. Each distinct pair of days is counted once."""
    due_day = np.minimum(due_day, date.max.toordinal())  # (a grace past 9999: never late)
    known = ~np.isnan(due_day) & ~np.isnan(done_day)
    workdays, months = np.full(len(due_day), np.nan), np.full(len(due_day), np.nan)
    epoch = date(1970, 1, 1).toordinal()
    due = (due_day[known] - epoch).astype("int64").astype("datetime64[D]")
    done = (done_day[known] - epoch).astype("int64").astype("datetime64[D]")
    workdays[known] = np.where(done > due, np.busday_count(due + 1, np.maximum(done + 1, due + 1)), 0)
    pairs, inverse = np.unique(np.stack([due_day[known], done_day[known]], axis=1), axis=0, return_inverse=True)
    counted = np.array([months_between(date.fromordinal(int(a)), date.fromordinal(int(b))) for a, b in pairs])
    months[known] = counted[inverse.ravel()] if len(pairs) else months[known]
    return workdays, months


def dates_of(days: np.ndarray, start_day: np.ndarray) -> np.ndarray:
    """Day counts (as from day_counts) back to ISO dates, each distinct date once ("" where NaN)."""
    ordinals = start_day + days - 1
    out = np.full(len(days), "", dtype=object)
    known = ~np.isnan(ordinals)
    values, inverse = np.unique(ordinals[known], return_inverse=True)
    texts = np.array([date.fromordinal(int(v)).isoformat() for v in values], dtype=object)
    out[known] = texts[inverse] if len(values) else out[known]
    return out
