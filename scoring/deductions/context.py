"""The rows that share a rule, as arrays (Context), and what a clause does to them (Effect)."""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from ..rule_dates import RuleDate, dates_of, day_counts, lateness_after
from ..units import unit_info
from .clause import Clause, of_lateness
from .words import CALENDAR, WORKDAYS


@dataclass
class Context:
    """The rows that share a rule, as arrays, in the terms the rule speaks of."""

    weight: np.ndarray
    rule_weight: np.ndarray  # the 分值 a band's points are of (before a 不适用 moved points to this row)
    target: np.ndarray  # the target in its unit as written (95 for ≥95%)
    actual: np.ndarray  # the actual in the target's unit
    unit_factor: np.ndarray  # that unit's factor to base units (NaN: no unit)
    percent: np.ndarray  # the indicator is a percentage
    reverse: np.ndarray  # 反向
    deadline: np.ndarray  # a deadline indicator
    planned_days: np.ndarray
    actual_days: np.ndarray
    late_workdays: np.ndarray  # deadlines: Monday–Friday days after the deadline up to the completion
    start_day: np.ndarray  # deadlines: the day number of 1 January of the evaluation year (NaN elsewhere)
    unit_name: np.ndarray  # the unit the row is counted in, as written (None: none)
    readings: dict[str, str]
    late_months: np.ndarray | None = None  # deadlines: calendar months after the deadline (whole + fraction)
    reverse_linear: bool = False  # the rule set scores 反向 linearly (full at the target, 0 at twice it)
    exact: bool = False  # 偏离 counted either way (deviation = "both"): only the line itself is met
    reference: np.ndarray = field(init=False)  # what earns full points (the target unless a clause says)
    started: bool = False  # 不满…按…计算: a started step counts
    partial: bool = False  # the rule scores partial completion (steps, bands, 按比例): 未完成 is nothing done
    tolerance: float | np.ndarray = 0.0  # 偏差率在10%以内得满分: met within this share of the target, either side
    strict: bool = False  # 高于95%得满分: the line itself is not met
    bands_of_target: bool = False  # 完成目标值的90%以上计10分: the bands' % edges are shares of the target
    band_lows: frozenset = frozenset()  # the lower edges of the rule's bands (8-9个 includes 9 where none starts at 9)
    step_line: np.ndarray | None = None  # 95%以上得满分，低于90%的，每降低…: where the steps count from (else the line)
    late_clauses: frozenset = frozenset()  # the rule's bands and zeros of how late (Rule.late_clauses)
    grace: float | np.ndarray = 0.0  # 逾期5天以内得满分: how late still earns full (days on a deadline, else the row's unit)
    dates: dict[Clause, np.ndarray] = field(default_factory=dict)  # the rule's dates of bands and zero conditions
    date_lines: list[tuple[np.ndarray, str]] = field(default_factory=list)  # its dated lines and bands: days, text

    def __post_init__(self) -> None:
        self.reference = self.target.astype(float).copy()
        self.deadline_days = np.asarray(self.planned_days, dtype=float).copy()  # the target's, before a rule's date
        self.moved = np.full(len(self.target), "", dtype=object)  # the note of a deadline a rule's date moved

    def day_of(self, when: RuleDate, at_least: np.ndarray | None = None) -> np.ndarray:
        """A date the rule writes, per row, as a count of days like planned_days (NaN off deadlines): without a
        year, the one nearest the target's deadline, not before `at_least` where given (rule_dates.day_counts)."""
        return day_counts(when, self.start_day, np.where(self.deadline, self.deadline_days, np.nan), at_least)

    def move_deadline(self, days: np.ndarray, said: str) -> None:
        """On time ends on `days` (per row, counted as planned_days: a rule's date, 6月底前完成得满分, or grace,
        逾期5天以内得满分; `said` as written) where it differs: how late (in days, working days, months) and the
        planned duration count from it, and the explanation says so, with the date."""
        moved = self.deadline & ~np.isnan(days) & (days != self.planned_days)
        if not moved.any():
            return
        self.moved = np.where(moved, f"时限按评分标准“{said}”计至" + dates_of(days, self.start_day), self.moved)
        self.planned_days = np.where(moved, days, self.planned_days)
        workdays, months = lateness_after(self.start_day + self.planned_days - 1,
                                          self.start_day + self.actual_days - 1)
        self.late_workdays = np.where(moved, workdays, self.late_workdays)
        if self.late_months is not None:
            self.late_months = np.where(moved, months, self.late_months)

    @property
    def met(self) -> np.ndarray:
        late = self.actual_days > self.planned_days + self.grace + 1e-9
        if self.strict:
            reached = np.where(self.reverse, self.actual < self.reference - 1e-9, self.actual > self.reference + 1e-9)
        else:
            reached = np.where(self.reverse, self.actual <= self.reference + self.grace + 1e-9,
                               self.actual >= self.reference)
        if np.any(self.tolerance):  # 偏差率在10%以内: within 10% of the target (on a % row in points, as % steps)
            points = self.percent & (self.readings["percent_steps"] == "points")
            allowed = np.where(points, self.tolerance * 100, self.tolerance * np.abs(self.target))
            with np.errstate(invalid="ignore"):
                reached |= np.abs(self.actual - self.target) <= allowed + 1e-9
        if self.exact:  # 偏离指标值1部门 under deviation = "both": over the line deviates too
            reached = np.abs(self.actual - self.reference) <= 1e-9
        return np.where(self.deadline, ~late, reached)

    @property
    def ratio(self) -> np.ndarray:
        """Completion ratio: actual ÷ target (反向: target ÷ actual; deadlines: planned ÷ actual days), against
        the target even where the rule draws its own full-score line (domain.md: "relative to the target")."""
        with np.errstate(divide="ignore", invalid="ignore"):
            by_value = np.where(self.reverse, self.target / self.actual, self.actual / self.target)
            by_time = self.planned_days / np.maximum(self.actual_days, 1)
        return np.nan_to_num(np.where(self.deadline, by_time, by_value), nan=0.0, posinf=1.0)

    @property
    def linear(self) -> np.ndarray:
        """The rows the rule set's default method scores linearly: 反向 values under `reverse = "linear"`."""
        return self.reverse & ~self.deadline & self.reverse_linear

    def default_share(self) -> np.ndarray:
        """What the rule set's default method gives where a rule draws no steps: the completion ratio, or on
        linear rows 2 − actual ÷ target."""
        with np.errstate(divide="ignore", invalid="ignore"):
            linear = np.nan_to_num(2.0 - self.actual / self.target, nan=0.0)
        return np.where(self.linear, linear, self.ratio)

    def of_weight(self, points: float | np.ndarray) -> np.ndarray:
        """Points taken off (扣1分, 最多扣5分) as a share of each row's 分值 (a 分值 of 0: no share)."""
        return points / np.where(self.weight > 0, self.weight, np.inf)

    def of_rule_weight(self, points: float | np.ndarray) -> np.ndarray:
        """Points a band gives (计10分) as a share of the 分值 as the goals gave it: a band states the score of
        the indicator the rule was written for, so a 不适用 elsewhere scales it with the 分值 (计10分 of 10 is all
        of a 分值 scaled back to 15); steps take off points as written."""
        return points / np.where(self.rule_weight > 0, self.rule_weight, np.inf)

    @property
    def shortfall(self) -> np.ndarray:
        """How far the actual falls short of the reference, in the indicator's unit (0 when met)."""
        return self.short_of(self.reference)

    def measures_lateness(self, clause: Clause) -> bool:
        """Whether a zero condition counts how late (逾期超过5天, or a bare 超过30天 after bands of lateness)."""
        return of_lateness(clause) or clause in self.late_clauses

    @property
    def lateness(self) -> np.ndarray:
        """How late, in the row's unit: days after the deadline (a rule's date moves it), or beyond the target's
        own limit on a duration (≤30天 under 20天以内得满分，…逾期5天以内得5分: 33天 is 3 late)."""
        return np.where(self.deadline, self.shortfall, self.short_of(self.target))

    @property
    def step_shortfall(self) -> np.ndarray:
        """How far the actual falls short of the line the steps count from (step_line, else the reference)."""
        return self.short_of(self.reference if self.step_line is None else self.step_line)

    def short_of(self, line: np.ndarray) -> np.ndarray:
        """How far the actual falls short of `line`, in the indicator's unit (days late on a deadline)."""
        gap = np.where(self.reverse, self.actual - line, line - self.actual)
        return np.clip(np.where(self.deadline, self.actual_days - self.planned_days, gap), 0, None)

    def in_unit(self, gap: np.ndarray, unit: str) -> np.ndarray:
        """A gap in the row's unit (days on a deadline) counted in a clause's unit: 0.05万人 is 500人, 1天 is
        24小时; on a deadline 工作日 are the Monday–Friday days late and 个月 calendar months late (the deadline
        plus k months, the day kept or the month's last day, then the days beyond as a share of the next month),
        a 季度 3 of them and a 年 12."""
        clause = unit_info(unit)
        late = self.late_workdays if clause.dimension == WORKDAYS else gap / clause.factor
        if unit in CALENDAR and self.late_months is not None:
            late = np.where(np.isnan(self.late_months), late, self.late_months / CALENDAR[unit])
        with np.errstate(invalid="ignore"):
            converted = np.where(np.isnan(self.unit_factor), gap, gap * self.unit_factor / clause.factor)
        return np.where(self.deadline, late, converted)


@dataclass
class Effect:
    """What a clause does to its rows. Arrays are per row; None means no effect of that sort."""

    deduction: np.ndarray | None = None  # share of the 分值 taken off
    zero: np.ndarray | None = None  # the rows scored 0
    band: np.ndarray | None = None  # share from a band (NaN: the band does not hold)
    below: np.ndarray | None = None  # a band: the rows below its lower edge
    above: np.ndarray | None = None  # a band: the rows at or above its upper edge (none without one)
    edges: tuple[float | None, float | None] = (None, None)  # a band: its lower and upper edge
    worth: np.ndarray | None = None  # a band: what it gives, as a share of each row's 分值
    notes: np.ndarray | None = None  # explanation per row ("" for none)
    limit: np.ndarray | None = None  # the most of the 分值 the deductions may take (最多扣5分)
    unfit: np.ndarray | None = None  # rows the clause cannot speak of (超支不得分 on a 正向 row): for a person
    late: bool = False  # a band of how late (逾期1-5天): fewer is better, whatever the row's direction
    span: tuple | None = None  # a band: (what it measures, low, high) comparable with other bands (_in_trying_order)
    holds_line: np.ndarray | None = None  # a band: the rows whose full-score line lies inside it
