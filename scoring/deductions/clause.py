"""One clause of a rule, as read, and what can be told of a clause alone (its verb, its units, whether it speaks of
lateness)."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..numerals import chinese_to_number
from ..rounding import format_number
from ..rule_dates import RuleDate, rule_date
from ..units import unit_info
from .words import ANY_COUNT, LATE_WORDS, OCCURRENCES, PERCENT_UNITS, SUB_DAY, TIME


@dataclass(frozen=True)
class Clause:
    """One clause of a rule, read: its kind and the values its pattern found."""

    kind: str
    text: str
    values: tuple[tuple[str, object], ...]

    def get(self, key: str, default: object = None) -> object:
        return dict(self.values).get(key, default)

    @property
    def when(self) -> RuleDate | None:
        """The date it writes (10月底前), if any."""
        return rule_date(dict(self.values))


@dataclass(frozen=True)
class Grade:
    """What a grade of a 定性 indicator earns by a rule: `points`, or else `share` of the 分值; `text`: the clause."""

    text: str
    points: float | None
    share: float


def counts_things(clause: Clause) -> bool:
    """A step without a verb in a count (每项扣1分): what a zero target counts, as what another misses."""
    return not (clause.get("verb") or clause.get("pre")) and clause.get("unit") not in PERCENT_UNITS


def step_verb(clause: Clause) -> str:
    """What a step counts: its verb (超过, 偏离 …), else the shortfall its 低于X% names, else 发生 for a step in
    起/例/次 (每起扣2分), else 降低."""
    occurred = "发生" if clause.get("unit") in OCCURRENCES else None
    return clause.get("verb") or clause.get("pre") or occurred or "降低"


def counts_time(unit: str) -> bool:
    """Whether a clause's unit counts time (天, 工作日, 个月)."""
    return unit_info(unit).dimension in TIME


def counts_on(unit: str, row_unit: str | None, deadline: bool) -> bool:
    """Whether a clause counting in `unit` can count on a row: a % on any row (relative on one that is not a
    %); on a deadline, days, 工作日 or months late; elsewhere a unit of the row's own kind (100人 on 万人,
    个百分点 on a %, 天 on 小时), 个 / 次 on a row that counts things, any count on a bare number. 每少一项 on a %
    or 每延迟一天 on a count has nothing to count."""
    if unit == "%":
        return True
    if deadline:  # a date gives days late, not hours
        return counts_time(unit) and unit not in SUB_DAY
    clause = unit_info(unit)
    if row_unit is None:  # a bare number counts in the clause's unit, unless that is a % or time
        return not (clause.is_percent or counts_time(unit))
    row = unit_info(row_unit)
    if unit in ANY_COUNT:
        return not (row.is_percent or row.dimension in TIME)
    return (clause.dimension, clause.is_percent) == (row.dimension, row.is_percent)


def of_lateness(clause: Clause | dict) -> bool:
    """Whether a clause measures how late (逾期1-5天, 延期超过10天, 逾期完成): on a deadline the days after it, on a
    duration (≤30天) what lies beyond the limit."""
    words = (clause.get("subject") or "") + (clause.get("op") or "") + (clause.get("late") or "")
    return bool(clause.get("ontime")) or any(word in words for word in LATE_WORDS)


def late_at_all(clause: Clause) -> bool:
    """逾期不得分 (any lateness → 0, unlike 10月底后完成不得分): per-day steps beside it never deduct."""
    return clause.kind == "late" and clause.when is None


def number_of(text: str | None) -> float | None:
    if text is None or text == "":
        return None
    value = chinese_to_number(text)
    return value if value is not None else float(text)


def as_text(value: object) -> str:
    if isinstance(value, (float, np.floating)):
        return format_number(float(value))
    return str(value)
