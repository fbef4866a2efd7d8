"""The 评(扣)分标准 language: text → Rule, and how a Rule scores the indicators that carry it.

A rule text is cut into clauses; each clause is read by one registered kind (a full-score condition, a
per-step deduction, a zero condition, a band, …). Each kind is registered with its patterns and the
explanation template of its effect, next to the code that applies it, as pandera registers a check with its
message. Applying works on numpy arrays of all the rows that share a rule. The default readings of
domain.md ("Deduction rules") are options of the rule set (RuleBook.readings); the explanation names the
reading it used.
"""
from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from typing import Any

import numpy as np

from . import language
from .numerals import chinese_to_number
from .rounding import format_number, from_units, to_units
from .rule_dates import DATE, RuleDate, add_workdays, dates_of, day_counts, lateness_after, rule_date
from .texts import Coded, coded, compile_template, fill, shown
from .uniques import choose, combined_codes, first_rows, map_unique
from .units import unit_info

NUM = r"(?:\d+(?:\.\d+)?|[零一二两三四五六七八九十百]+)"
# what a band gives: points (计4分) or a share of the 分值 (得80%分值, 得分值的80%)
_WORTH = r"(?:计|得)(?:(?P<points>{NUM})分|(?:(?:指标)?分值的)?(?P<share>{NUM})%的?(?:(?:指标)?分值)?)"
_SUBJECT = r"(?P<subject>[^\d,;。]*?)"
_PLAIN_SUBJECT = r"(?P<subject>[^\d零一二两三四五六七八九十百每,;。]*?)"  # no count of its own (每项, 三个月)
_BAND_UNITS = r"人次|万人|人|万元|亿元|元|个|件|项|次|家|起|例|场|篇|册|台|套|户|名|期|分|个工作日|工作日|天|日|小时"  # 8-9个
_COUNTS = frozenset("个 件 项 次 家 起 例 场 篇 册 台 套 户 名 期 人 人次".split())  # whole things: 8-9个 includes 9
_LINE_UNITS = (r"%|个百分点|个小时|小时|分钟|个工作日|工作日|天|日|亿元|万元|元|万人次|人次|万人|人|次|起|件|项|家|"
               r"个(?!月|季度)|套|间|台|户|名|场|篇|册|期|份|条|宗|张|页|组|所|座|辆|批|例|处")  # 10个以上得满分
_STEP_UNITS = (r"个百分点|百分点|%|个工作日|工作日|个小时|小时|分钟|天|日|个星期|星期|周|个月|月|个季度|季度|年|万元|元|项|个|部门|单位|"
               r"人次|人|次|件|家|条|册|台|套|场|批|篇|"
               r"份|期|宗|起|例|页|张|组|间|种|名|所|户|辆|笔")
_LATE_UNITS = r"个工作日|工作日|天|日|个月|月|个季度|季度|年"  # how late after 逾期 (逾期3个月以上)
_ZERO_UNITS = (r"%|个百分点|个工作日|工作日|个小时|小时|分钟|天|日|个月|个季度|季度|亿元|万元|元|万人次|人次|万人|次|起|例|件|项|家|个"
               r"(?!月)|人|分")  # 低于/超过 X…: not 9月 nor 2022年 (dates); 分 after 分钟
_PERCENT_UNITS = frozenset({"%", "个百分点", "百分点"})
_TIME = frozenset(unit_info(u).dimension for u in ("天", "工作日"))  # what a deadline's lateness is counted in
_WORKDAYS = unit_info("工作日").dimension
_MONEY = unit_info("元").dimension
_CALENDAR = {"月": 1, "个月": 1, "季度": 3, "个季度": 3, "年": 12}  # on a deadline: calendar months per unit
_CALENDAR_READINGS = {1: ("截止日起每满一个月为一个月", "每月按365/12天折算"),
                      3: ("截止日起每满三个月为一个季度", "每季度按365/4天折算"),
                      12: ("截止日起每满十二个月为一年", "每年按365天折算")}
_ANY_COUNT = frozenset({"个", "次"})  # 每少一个, 每发生一次: one of whatever the row counts (起, 家, 人…)
SUB_DAY = frozenset({"小时", "个小时", "分钟"})  # time a completion date cannot tell
_DEVIATION = ("偏离", "偏差", "误差")  # steps counting the distance from the line (deviation = "both": either way)
_EXCESS = ("超过", "超出", "超支", "超", "多", "上升", "提高", "发生", "出现", "有", "增加")  # what lies beyond the line
_SHORTFALL = ("降低", "减少", "下降", "少完成", "少", "低于", "低", "差", "偏离", "偏差", "误差", "差距", "未完成",
              "不足")  # steps counting what is missing
_LATENESS = ("延迟", "延期", "延后", "推迟", "滞后", "拖延", "逾期")  # steps counting days late on a deadline
_LATE_WORDS = (*_LATENESS, "超期", "超时", "延误", "迟延", "未按时", "未按期")
_WHOLE_DAYS = frozenset(("天", "日", "工作日", "个工作日"))  # 逾期1-5天 includes 5 where no band starts there
_BEYOND_WORDS = ("超过", "超出", "超支", "多于", "增加", "上升", "降低", "下降", "减少", "少于", "低于目标", "差距", "相差", "差额")  # (超支5%以内:
# how far from the target, which a band of the value would misread)
_WITHIN = ("以内", "之内", "内", "(含)以内")  # 5%以内得8分: after words of a change, a distance (上浮5%以内, 多用时1小时以内)
_WITHIN_BEYOND = (*_BEYOND_WORDS, "超", "多", "增", "减", "降", "升", "偏", "浮", "涨", "误差")  # what says a clause measures how late (逾期1-5天得8分)
_STEP_VERBS = ("降低", "减少", "下降", "少完成", "少", "低于", "低", "差", *_DEVIATION, *_EXCESS, *_LATENESS)  # 每降低 …
_OCCURRENCES = ("起", "例", "次")  # a step in these without a verb counts what happened (有效投诉每起扣2分)
_OF_TARGET = re.compile(r"(?:目标值?|指标值|计划(?:数|值)?|年度指标)的?$")  # 达到目标值的90%: a share of the target
_STRICT = ("高于", "大于", "超过", "低于", "小于", ">", "<")  # 高于95%得满分: the line itself is not enough
_MEASURES_SHORTFALL = re.compile(r"(?:降低|减少|下降|少|低于|偏离|偏差|误差|差距|未完成|不足)(?:率|度|幅度)?$")  # 降低超过20%
_OVER_LINE = ("超过", "高于", "大于")  # 超过5%的，…: a lead-in of a 反向 row
_NONE_AT_ALL = re.compile(r"零(?:[^\d,;。]{0,6}?)(?:投诉|事故|差错|失误|违规|违纪|伤亡|死亡|上访|信访|缺陷|返工|故障|舆情|"
                          r"案件|错误|不良事件|漏报|误报|污染)(?:率|次数|事件|发生)?")  # 零投诉, 零安全事故, 零差错率 (not 零售, 零星)
_HAPPENED = ("发生", "出现", "超支")  # 发生重大事故不得分, 超支不得分: of 反向 rows counting things or money
_SLIPS = [  # the slips real tables contain, and what they mean (domain.md)
    (re.compile(r"\((扣完为止|减完为止|扣至0分为止|满分为止)\)"), r",\1"),  # 扣1分(扣完为止): a clause of its own
    (re.compile(r"得0份"), "得0分"),
    (re.compile(r"(?<=[%分])\.(?=,|$)"), ""),  # "扣指标分值的5%.," → "…5%,"
    (re.compile(r"扣\d+分值(?=\d)"), "扣分值"),  # "扣5分值5%" → "扣分值5%"
    (re.compile(r"扣指标值(?=\d)"), "扣指标分值"),  # "扣指标值5%" is a share of the 分值
    (re.compile(r"…+|\.{2,}"), ","),
    (re.compile(r"(?<=[分%])(?=(?:以此|依此|依次|照此)类推)"), ","),  # 每降低5%扣2分以此类推: a clause of its own
]


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


@dataclass(frozen=True)
class Rule:
    """A 评(扣)分标准 as read: the clauses understood and the ones that were not (quoted as written)."""

    text: str
    clauses: tuple[Clause, ...]
    unread: tuple[str, ...]

    @property
    def kinds(self) -> set[str]:
        return {c.kind for c in self.clauses}

    @property
    def discretionary(self) -> bool:
        return "discretion" in self.kinds

    @property
    def units(self) -> frozenset[str]:
        """The units its steps and zero conditions count in (每少100人, 延期超过10天); 逾期不得分 counts time in
        any unit (Rule.counts_on)."""
        return frozenset(c.get("unit") for c in self.clauses if c.get("unit")
                         and (c.kind in ("step", "zero") or c.kind == "full" and c.get("unit") not in _PERCENT_UNITS)) \
            | frozenset(c.get("bunit") for c in self.clauses if c.kind == "band" and c.get("bunit"))

    def counts_on(self, row_unit: str | None, deadline: bool) -> bool:
        """Whether every unit it counts in can be counted on a row in `row_unit` (a deadline: days late);
        逾期不得分 on a row that counts time in any unit (≤5天, ≤48小时, ≤5个工作日); dates on deadlines only."""
        if self.dated and not deadline:
            return False
        late = not self.measures_lateness or deadline or (row_unit is not None and counts_time(row_unit))
        return late and all(counts_on(unit, row_unit, deadline) for unit in self.units)

    @property
    def dated(self) -> bool:
        """Whether it writes dates (6月底前完成得满分): only a deadline has a completion date to compare."""
        return any(c.get("month") is not None for c in self.clauses)

    @property
    def measures_lateness(self) -> bool:
        """Whether it speaks of how late (逾期不得分, 逾期完成得5分): only rows that count time can be."""
        return any(c.kind == "late" or c in self.late_clauses or c.kind == "full" and _of_lateness(c)
                   for c in self.clauses)

    @cached_property
    def late_clauses(self) -> frozenset[Clause]:
        """Its bands of how late (逾期1-5天), and after the first of them the bands and zero conditions in time
        that name nothing (逾期5天以内得9分，15天以内得7分，超过30天不得分: 15天 and 30天 are late too; not the
        2小时以内得10分 written before 超时2小时以内得5分, a band of the value)."""
        said = [i for i, c in enumerate(self.clauses) if c.kind == "band" and _of_lateness(c)]
        return frozenset([self.clauses[i] for i in said] + [
            c for c in self.clauses[said[0]:] if c.kind in ("band", "zero") and not c.get("subject")
            and (c.get("bunit") or c.get("unit")) and counts_time(c.get("bunit") or c.get("unit"))] if said else [])

    @property
    def applicable(self) -> bool:
        """Whether the rule says how to score (not only floors, 满分为止 or a person's discretion; 最多扣5分
        holds on the completion ratio's loss)."""
        return bool(self.kinds & {"full", "step", "zero", "band", "proportional", "late", "limit", "unmet", "flat"})

    @property
    def prices_occurrences(self) -> bool:
        """Whether a step prices what lies beyond the line (每发生一次扣2分, 每超过1个百分点, 每延期一天): what alone
        may score a zero target (domain.md); a shortfall step (每降低5%) has nothing to count below 0."""
        return any(c.kind == "step" and c.get("unit") != "%" and (step_verb(c) not in _SHORTFALL or _counts_things(c))
                   or c.kind == "flat" and c.get("lead") in _OVER_LINE
                   for c in self.clauses)  # (每超过5%: 5% of nothing; 超过5%的，扣2分: a price beyond a line)

    @cached_property
    def grades(self) -> dict[tuple[str, ...], Grade]:
        """What each grade it names earns on a 定性 indicator: `较好:8分` (8 points), `良好得80%` (80% of the 分值),
        `优秀得满分` and `完成得满分` (all of it), `不合格不得分` and `未完成不得分` (none). Keys are `language.grade`'s;
        `否则不得分` is ("otherwise",). The first clause naming a grade decides it."""
        found: dict[tuple[str, ...], Grade] = {}
        for c in self.clauses:
            if c.kind == "grade":
                share = c.get("share") / 100 if c.get("share") is not None else 1.0 if c.get("full") else 0.0
                found.setdefault(language.grade(c.get("grade")), Grade(c.text, c.get("points"), share))
            elif c.kind == "full" and c.get("words") and language.grade(c.get("words")):
                found.setdefault(language.grade(c.get("words")), Grade(c.text, None, 1.0))
            elif c.kind == "band" and c.get("ontime"):  # 按时完成得8分 on a 定性 row: its achievement
                share = c.get("share") / 100 if c.get("share") is not None else 1.0
                found.setdefault(("achievement", "达成"), Grade(c.text, c.get("points"), share))
            elif c.kind == "unmet" and c.get("word") not in _HAPPENED:
                found.setdefault(("otherwise",) if c.get("word") == "否则" else ("achievement", "未达成"),
                                 Grade(c.text, None, 0.0))
        return found

    @cached_property
    def best(self) -> tuple[float, float]:
        """The most its bands and grades give, in points and as a share of the 分值 (计10分, 得90%分值); NaN for
        none, and both NaN where a clause gives full points (满分) or there are no bands nor grades: a best worth
        other than the 分值 is for a person (`≥90%得10分` on a 分值 of 20 gives 10 at best)."""
        late = [c for c in self.late_clauses if c.kind == "band" and not c.get("ontime")]
        worths = [c for c in self.clauses if c.kind in ("band", "grade") and c not in late]
        if not worths or "full" in self.kinds or any(c.get("full") for c in worths):  # (逾期完成得5分 alone: on
            return math.nan, math.nan  # time is the best, and full)
        return (max((float(c.get("points")) for c in worths if c.get("points") is not None), default=math.nan),
                max((c.get("share") / 100 for c in worths if c.get("share") is not None), default=math.nan))

    @property
    def void(self) -> tuple[str, ...]:
        """The steps that can never deduct, as written: 逾期不得分 gives 0 on every row they would deduct on
        (每延迟一天扣5%，逾期不得分)."""
        return tuple(c.text for c in self.clauses if c.kind == "step") if any(map(_late_at_all, self.clauses)) else ()


def _counts_things(clause: Clause) -> bool:
    """A step without a verb in a count (每项扣1分): what a zero target counts, as what another misses."""
    return not (clause.get("verb") or clause.get("pre")) and clause.get("unit") not in _PERCENT_UNITS


def step_verb(clause: Clause) -> str:
    """What a step counts: its verb (超过, 偏离 …), else the shortfall its 低于X% names, else 发生 for a step in
    起/例/次 (每起扣2分), else 降低."""
    occurred = "发生" if clause.get("unit") in _OCCURRENCES else None
    return clause.get("verb") or clause.get("pre") or occurred or "降低"


def counts_time(unit: str) -> bool:
    """Whether a clause's unit counts time (天, 工作日, 个月)."""
    return unit_info(unit).dimension in _TIME


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
    if unit in _ANY_COUNT:
        return not (row.is_percent or row.dimension in _TIME)
    return (clause.dimension, clause.is_percent) == (row.dimension, row.is_percent)


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
    start_day: np.ndarray | None = None  # deadlines: the day number of 1 January of the evaluation year
    unit_name: np.ndarray | None = None  # the unit the row is counted in, as written (None: none)
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
        start = self.start_day if self.start_day is not None else np.full(len(self.target), np.nan)
        return day_counts(when, start, np.where(self.deadline, self.deadline_days, np.nan), at_least)

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
        late = self.late_workdays if clause.dimension == _WORKDAYS else gap / clause.factor
        if unit in _CALENDAR and self.late_months is not None:
            late = np.where(np.isnan(self.late_months), late, self.late_months / _CALENDAR[unit])
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


@dataclass(frozen=True)
class Kind:
    name: str
    patterns: tuple[re.Pattern, ...]
    template: str
    apply: Callable[[Clause, Context], Effect | None]
    setup: bool  # applied before the others (it sets the reference or the counting of steps)


KINDS: list[Kind] = []


_NUMBERED = re.compile(r"^(?:\d{1,2}[.、)](?!\d)|\(\d{1,2}\))")  # a clause's number in a list (1、, （1）)
_PLACEHOLDERS = {  # the pieces the kinds' patterns are written with
    "NUM": NUM, "SUBJECT": _SUBJECT, "PLAIN_SUBJECT": _PLAIN_SUBJECT, "WORTH": _WORTH, "GRADE": language.GRADE_PATTERN,
    "STEP_UNITS": _STEP_UNITS, "LATE_UNITS": _LATE_UNITS, "ZERO_UNITS": _ZERO_UNITS, "LINE_UNITS": _LINE_UNITS,
    "NOT_DEVIATION": rf"(?![^\d,;。]*(?:{'|'.join(_DEVIATION)}))",  # (偏差率10%-20%得6分: no band of ours)
    "BAND_UNITS": _BAND_UNITS, "DATE": DATE, "DONE": r"(?:(?:完成|办结|完工|竣工|验收|上线|投入使用|交付)(?:项目|工程|任务|工作)?)+",
    "STEP_VERBS": "|".join(sorted(_STEP_VERBS, key=len, reverse=True)),  # 少完成 before 少
    "ZERO": r"(?:不得分|得0分|计0分|为0分|得零分|不计分|该项不得分)",  # what scores 0
    "DEDUCT": r"(?P<act>扣除|扣减|扣|减少|减)(?P<of>[^\d]{0,6}?分值的?)?(?P<m>{NUM})(?P<munit>%|分)",  # 扣分值的5%
}


def _expanded(pattern: str) -> str:
    """A kind's pattern with its {PLACEHOLDERS} written out (a piece may hold another: {WORTH} holds {NUM})."""
    while "{" in (expanded := re.sub(r"\{([A-Z_]+)\}", lambda m: _PLACEHOLDERS[m.group(1)], pattern)) \
            and expanded != pattern:
        pattern = expanded
    return expanded


def rule_kind(name: str, *patterns: str, explain: str = "", setup: bool = False):
    """Register a kind of clause: the patterns that read it and the explanation template of its effect."""
    def register(apply: Callable[[Clause, Context], Effect | None]):
        KINDS.append(Kind(name, tuple(re.compile(_expanded(p)) for p in patterns), explain, apply, setup))
        return apply
    return register


def _fill(kind: str, clause: Clause, where: np.ndarray, **arrays: Any) -> np.ndarray:
    """The kind's template filled from the clause's values and the per-row arrays for the rows `where` (a
    mask) says show it; "" on the others, which are not formatted at all."""
    template = next(k.template for k in KINDS if k.name == kind)
    idx = np.flatnonzero(where)
    fields = {name: _rows_of(arrays[name], idx) if name in arrays else _shown(clause.get(name))
              for name in compile_template(template)[1]}
    notes = np.full(len(where), "", dtype=object)
    notes[idx] = fill(template, len(idx), fields)
    return notes


def _rows_of(values: Any, idx: np.ndarray) -> Coded | str:
    """A field for the rows idx: one text for all stays one text; numbers are shown as the table prints them."""
    if isinstance(values, Coded):
        return Coded(values.codes[idx], values.texts)
    return values if isinstance(values, str) else coded(np.asarray(values)[idx])


def _taken(clause: Clause, ctx: Context) -> np.ndarray | float:
    """What a deduction (扣M分, 扣M%, 扣分值的M%) takes, as a share of each row's 分值."""
    return clause.get("m") / 100 if clause.get("munit") == "%" else ctx.of_weight(clause.get("m"))


def _taken_text(clause: Clause) -> str:
    """A deduction as the explanation writes it: 5分, 40%分值."""
    return f"{format_number(clause.get('m'))}{'%分值' if clause.get('munit') == '%' else '分'}"


def _shown(value: object) -> str:
    if isinstance(value, (float, np.floating)):
        return format_number(float(value))
    return str(value)


def _number(text: str | None) -> float | None:
    if text is None or text == "":
        return None
    value = chinese_to_number(text)
    return value if value is not None else float(text)


# ---------------------------------------------------------------- the kinds

@rule_kind("full",
           r"{NOT_DEVIATION}{SUBJECT}(?:为|达到|达|大于等于|≥|不低于|不少于|控制在)?(?P<value>{NUM})(?P<unit>{LINE_UNITS})?(?:\(含\))?"
           r"(?:及以上|以上|及以下|以下|以内|之内|内)?(?:\(含\))?的?,?(?:为|得|计)满分",
           r"{SUBJECT}(?P<deadline>按时|按期|如期|按计划)完成的?(?:得|为|计)满分",
           r"{SUBJECT}{DATE}(?:前|之前|以前)(?:{DONE})?的?,?(?:得|为|计)满分",
           r"{SUBJECT}(?:完成|达到)(?:年度)?(?:目标|指标)值?的?(?:得|为|计)满分",
           r"{SUBJECT}(?:偏差率?|偏离度?|偏离率|误差率?)(?:在|控制在|不超过|不大于|≤)?(?P<tolerance>{NUM})%(?:\(含\))?"
           r"(?:以内|之内|内)?(?:\(含\))?的?,?(?:得|为|计)满分",
           r"(?!最高|最多)(?P<words>零?[^\d零一二两三四五六七八九十百千万,;。%=<>≤≥]+?)的?,?(?:得|为|计)满分",
           setup=True)
def full_score(clause: Clause, ctx: Context) -> Effect | None:
    """What earns full points: a threshold (合格率为100%为满分), on time or by a date (6月底前完成得满分), within a
    deviation of the target (偏差率在10%以内: either side, in points on a % row; Context.tolerance), none at all
    (零投诉得满分, on a 反向 row), or the target itself (完成得满分, 无重大安全事故得满分: words without a number).
    A % threshold on an indicator that is not a percentage is a share of its target, and so is one the text
    says is (达到目标值的90%); after 高于/低于 the line itself is not met."""
    if (when := clause.when) is not None:  # 6月底前完成得满分: on time ends then
        ctx.move_deadline(ctx.day_of(when), when.text)
    elif _NONE_AT_ALL.fullmatch(clause.get("words") or ""):  # 零投诉得满分: none, on a row counting what happened
        ctx.reference = np.where(ctx.reverse & ~ctx.deadline & (ctx.percent | _counts_things_rows(ctx)), 0.0,
                                 ctx.reference)
    elif clause.get("value") is not None and _of_lateness(clause) and counts_time(clause.get("unit") or "%"):
        _grace(ctx, clause)  # 逾期5天以内得满分: late by up to 5 days is on time
    elif clause.get("value") is not None:
        subject = clause.get("subject") or ""
        _set_threshold(ctx, clause.get("value"), clause.get("unit"), of_target=bool(_OF_TARGET.search(subject)))
        ctx.strict = any(subject.endswith(w) and not subject[:-len(w)].endswith("不") for w in _STRICT)  # (不高于)
    elif clause.get("tolerance") is not None:  # what is met, not the line the other clauses measure from
        tolerance = clause.get("tolerance") / 100  # (≤5% with 偏差率在5%以内: the row's own line, restated)
        ctx.tolerance = np.where(_restates(ctx, clause.get("tolerance")), 0.0, tolerance)
    return None


def _unit_of_things(unit: str | None) -> bool:
    """Whether a row in `unit` counts things (件, 次, 起, 宗, 条 …: one of a kind each), not money, time or %."""
    if unit is None:
        return False
    info = unit_info(unit)
    return info.factor == 1 and not info.is_percent and info.dimension not in (*_TIME, _MONEY)


def _counts_things_rows(ctx: Context) -> np.ndarray:
    names = ctx.unit_name if ctx.unit_name is not None else np.full(len(ctx.target), None, dtype=object)
    return map_unique(names, _unit_of_things, dtype=bool, missing=False)


def _past_grace(ctx: Context, unit: str) -> np.ndarray:
    """On a deadline, working days or calendar months (in `unit`) from the end of the grace to the completion."""
    start = ctx.start_day if ctx.start_day is not None else np.full(len(ctx.target), np.nan)
    workdays, months = lateness_after(start + ctx.planned_days + ctx.grace - 1, start + ctx.actual_days - 1)
    return months / _CALENDAR[unit] if unit in _CALENDAR else workdays


def _grace(ctx: Context, clause: Clause) -> None:
    """逾期5天以内得满分 / 超时1小时以内得满分: late by up to that much is still full (Context.grace): on a deadline
    in days or working days after it (hours cannot move a date), on a duration (≤30天) beyond its limit. The
    steps count from there; bands and zero conditions of how late (逾期5-10天) still count from the deadline."""
    unit, grace = clause.get("unit"), clause.get("value")
    if unit in SUB_DAY:
        on_deadline = np.zeros(len(ctx.target))
    elif unit_info(unit).dimension == _WORKDAYS:
        start = ctx.start_day if ctx.start_day is not None else np.full(len(ctx.target), np.nan)
        due = start + ctx.planned_days - 1
        on_deadline = add_workdays(due, grace) - due
    else:
        on_deadline = np.full(len(ctx.target), grace * unit_info(unit).factor / unit_info("天").factor)
    ctx.grace = np.nan_to_num(np.where(ctx.deadline, on_deadline, np.where(ctx.reverse, _threshold(ctx, grace, unit),
                                                                               0.0)))
    within = (ctx.shortfall > 1e-9) & (ctx.shortfall <= ctx.grace + 1e-9)
    ctx.moved = np.where(within, f"按评分标准“{clause.text}”视为按时", ctx.moved)


def _restates(ctx: Context, percent: float) -> np.ndarray:
    """The rows that are themselves a 反向 rate the rule's 偏差率/误差率 X% speaks of: `≤5%` with 偏差率在5%以内
    (预算偏差率 as the indicator), or beyond it (偏差率超过10%不得分 on ≤5%): the rate itself is measured."""
    return ctx.reverse & ctx.percent & ~ctx.deadline & (ctx.target <= percent + 1e-9)


def _set_threshold(ctx: Context, value: float, unit: str | None, of_target: bool = False) -> None:
    ctx.reference = np.where(ctx.deadline, ctx.reference, _threshold(ctx, value, unit, of_target))


def _threshold(ctx: Context, value: float, unit: str | None, of_target: bool = False) -> np.ndarray:
    """A line written in a rule, per row in the row's unit: a % of a % row as written; of any other row (or
    where the text says so: 目标值的90%) a completion ratio (正向 target × 90%, 反向 target ÷ 90%); 2小时 or
    100万元 converted into the row's unit; a bare number or 个百分点 as written."""
    if unit in (None, "个百分点", "百分点"):
        return np.full(len(ctx.target), float(value))
    if unit != "%":
        with np.errstate(invalid="ignore"):
            converted = value * unit_info(unit).factor / ctx.unit_factor
        return np.where(np.isnan(ctx.unit_factor), value, converted)
    with np.errstate(divide="ignore", invalid="ignore"):
        of_it = np.where(ctx.reverse, ctx.target * 100 / value, ctx.target * value / 100)
    return np.where(ctx.percent & (not of_target), value, of_it)


@rule_kind("started", r"(?:不满|不足)(?P<a>{NUM})(?P<aunit>{STEP_UNITS})?(?:的)?按(?P<b>{NUM})(?P<bunit>{STEP_UNITS})?计算?",
           setup=True)
def started_steps(clause: Clause, ctx: Context) -> Effect | None:
    """不满1%按1%计算: a started step counts as a whole one."""
    ctx.started = True
    return None


@rule_kind("step",
           r"{SUBJECT}(?P<base>{NUM})%以下的?,?每(?P<verb>{STEP_VERBS})?(?P<n>{NUM})(?:个(?!百分点))?(?P<unit>{STEP_UNITS}),?"
           r"{DEDUCT}(?:的?(?:指标)?分值)?",
           r"{SUBJECT}(?:(?P<pre>低于|少于|未达到)(?P<base>{NUM})%?)?每(?P<verb>{STEP_VERBS})?(?P<from_target>目标值|指标值)?(?P<n>{NUM})(?:个(?!百分点))?(?P<unit>{STEP_UNITS}),?"
           r"{DEDUCT}(?:的?(?:指标)?分值)?",
           r"{SUBJECT}每(?:有)?(?P<unit>起|例|次|项|件|个|家|人次|人|天|日|周)(?P<verb>未完成|未达标|未达到)?,?"
           r"{DEDUCT}",
           r"{SUBJECT}每(?P<verb>发生|出现|有)(?P<n>{NUM})(?P<unit>起|例|次|件)[^\d,;。扣减]{0,10}?,?"
           r"{DEDUCT}",
           r"{SUBJECT}(?P<verb>发生|出现)(?P<n>{NUM})(?P<unit>起|次|例|件|个|项),?{DEDUCT}",
           r"{SUBJECT}(?P<verb>偏离)指标值(?P<n>{NUM})(?:个(?!百分点))?(?P<unit>{STEP_UNITS}),?{DEDUCT}",
           explain="每{verb}{n}{unit}扣{per}：差 {gap}{gap_unit} → {steps}步 × {per} = 扣{deducted}分（{reading}）")
def per_step(clause: Clause, ctx: Context) -> Effect:
    """每降低5%扣指标分值的5%: count the steps of the shortfall from the full-score line, each taking points
    (M分) or a share of the 分值 (M%). A % step is in percentage points on a % indicator, else relative to the
    target (readings); any other step is counted in its own unit (每少100人 on 万人)."""
    n, unit = clause.get("n", 1.0), clause.get("unit")  # (每起: one)
    verb = step_verb(clause)
    line = ctx.reference if ctx.step_line is None else ctx.step_line
    if clause.get("from_target"):  # 每低于目标值1个百分点: from the target, whatever line the rule draws
        line = np.where(ctx.deadline, line, ctx.target)
    gap = ctx.short_of(line)
    if verb in _EXCESS:  # counts what lies beyond the line
        gap = np.where(ctx.deadline, gap, np.clip(ctx.actual - line, 0, None))
    elif verb in _DEVIATION and ctx.readings["deviation"] == "both":
        gap = np.where(ctx.deadline, gap, np.abs(ctx.actual - line))
    gap = np.clip(gap - ctx.grace, 0, None)  # 逾期5天以内得满分，每延期1天扣1分: steps from the 6th day
    rows = len(gap)
    readings = []
    gap_unit: np.ndarray | str = unit
    if unit in _PERCENT_UNITS:
        points = ctx.percent & ((unit != "%") | (ctx.readings["percent_steps"] == "points"))
        with np.errstate(divide="ignore", invalid="ignore"):
            relative = np.where(ctx.deadline, gap / ctx.planned_days, gap / np.abs(ctx.target)) * 100
            gap = np.where(points & ~ctx.deadline, gap, relative)  # a deadline: days late of the planned duration
        readings.append((np.where(ctx.deadline, 1, np.where(points, 0, 2)),
                         ["按百分点", "按逾期天数占计划工期的百分比", "按相对目标值的百分比"]))
        gap_unit = choose(points, "个百分点", "%")
    else:
        gap = ctx.in_unit(gap, unit)
        if np.any(ctx.grace) and (unit in _CALENDAR or unit_info(unit).dimension == _WORKDAYS):
            gap = np.where(ctx.deadline, _past_grace(ctx, unit), gap)  # 逾期5天以内得满分，每延迟一个月…
        if unit in _CALENDAR:
            on_deadline, by_days = _CALENDAR_READINGS[_CALENDAR[unit]]
            readings.append((ctx.deadline.astype(np.intp), [by_days, "按日历月计：" + on_deadline]))
    counting = "started" if ctx.started else ctx.readings["partial_steps"]
    exact = np.nan_to_num(gap / n)
    counted = {"started": np.ceil(exact - 1e-9), "whole": np.floor(exact + 1e-9), "exact": exact}[counting]
    deduction = counted * _taken(clause, ctx)
    readings.append((np.zeros(rows, dtype=np.intp), [_COUNTING[counting]]))
    per = _taken_text(clause)
    shown_gap = from_units(to_units(gap, 2), 2) if unit in _CALENDAR else gap  # months: whole plus a share, half up
    shown_verb = "" if _counts_things(clause) else verb  # 每1项扣1分
    notes = _fill("step", clause, ~ctx.met, verb=shown_verb, n=_shown(n), gap=shown_gap, gap_unit=gap_unit,
                  steps=counted, per=per, deducted=deduction * ctx.weight, reading=_joined(readings))
    return Effect(deduction=deduction, notes=notes)


_COUNTING = {"whole": "不足一步不扣", "started": "不满一步按一步计", "exact": "按实际比例折算"}


def _joined(readings: list[tuple[np.ndarray, list[str]]]) -> Coded:
    """Per row, the readings a step used, joined with "，": each a code per row into its few texts, each distinct
    combination joined once."""
    combination = combined_codes(*(codes for codes, _ in readings))
    first = first_rows(combination)
    texts = ["，".join(texts[codes[i]] for codes, texts in readings) for i in first.tolist()]
    return Coded(combination, np.array(texts + [""], dtype=object))


_INCLUSIVE = frozenset({"及以下", "以下(含)", "(含)以下", "及以上", "(含)以上", "以上"})  # X itself included


@rule_kind("zero",
           r"{SUBJECT}(?:发生|出现)(?P<x>{NUM})(?P<unit>起|例|次|件)(?P<op>及以上|\(含\)以上|以上)?的?,?(?:{ZERO}|扣除全部分值)",
           r"{SUBJECT}(?P<op>低于|少于|小于|<|不足|未达到|超过|超出|高于|>|延期超过|延迟超过|逾期超过)(?P<of_target>目标值的?|指标值的?)?"
           r"(?P<x>{NUM})"
           r"(?P<unit>{ZERO_UNITS})?(?P<inc>\(含\))?的?,?{ZERO}",
           r"{SUBJECT}(?P<x>{NUM})(?P<unit>{ZERO_UNITS})?(?P<op>及以下|以下\(含\)|\(含\)以下|以下)的?,?"
           r"{ZERO}",
           r"{SUBJECT}(?P<x>{NUM})(?P<unit>%)(?P<op>及以上|\(含\)以上|以上)的?,?(?:不得分|不计分|该项不得分)",  # (计0分: a band)
           r"{SUBJECT}(?P<late>逾期|超期|延期|延迟|推迟|超时|延误)(?P<x>{NUM})(?P<unit>{LATE_UNITS})(?P<op>及以上|\(含\)以上|以上)(?:完成)?"
           r"的?,?{ZERO}",
           explain="{what}{op}{basis}{x}{unit}得0分{reading}")
def zero_condition(clause: Clause, ctx: Context) -> Effect:
    """低于70%不得分 / 超过5%不得分: on a % indicator the actual value, otherwise the completion ratio (超过:
    the excess over the target as a share of it); the boundary is not beyond, except after 及以下 / 以下(含)
    and 以上. 延期超过50%得0分: the delay exceeds that share of the planned duration. 超过10天 / 3个百分点 /
    逾期3个月以上: what lies beyond the full-score line (days, 工作日 or calendar months late on a deadline)."""
    x, op, unit = clause.get("x"), clause.get("op", "及以上"), clause.get("unit")  # (出现两次不得分: two and more)
    by_value = ctx.percent & (unit == "%") & (ctx.readings["below"] == "value") & (not clause.get("of_target"))
    edge = op in _INCLUSIVE or bool(clause.get("inc"))  # 低于80%(含): 80 itself too
    if op in ("低于", "少于", "小于", "<", "不足", "未达到", "以下", "及以下", "以下(含)", "(含)以下"):
        if unit == "%":
            measure = np.where(by_value, ctx.actual, ctx.ratio * 100)
        elif unit and unit not in _PERCENT_UNITS:  # 低于24个月 on a row in 年: the actual in the clause's unit
            measure = np.where(ctx.deadline, ctx.actual, ctx.in_unit(ctx.actual, unit))
        else:
            measure = ctx.actual
        zero = measure <= x + 1e-9 if edge else measure < x - 1e-9
        what, word, basis = np.where(by_value | (unit != "%"), "实际值", "完成率"), "不高于" if edge else "低于", ""
    else:
        short = bool(_MEASURES_SHORTFALL.search(clause.get("subject") or ""))  # 降低超过20%: how far below
        measure, what, basis = _short(ctx, unit) if short else _over(ctx, clause, by_value)
        if short and unit == "%":  # 偏差率超过10%不得分 on a 反向 rate of ≤5%: the rate itself
            rate = _restates(ctx, x)
            measure, what = np.where(rate, ctx.actual, measure), np.where(rate, "实际值", what)
        measure = np.nan_to_num(measure, nan=0.0)
        zero = measure >= x - 1e-9 if edge else measure > x + 1e-9
        word = "达到" if edge else "超过"
    reading = ("（“以下”读作低于，不含本数）" if op == "以下" else "（“(含)”含本数）" if clause.get("inc")
               else f"（“{op}”含本数）" if edge else "")
    unfit = None
    if unit == "%" and op in ("以上", "及以上", "(含)以上"):  # 投诉率3%以上不得分: of a 反向 rate, not a 正向 one
        unfit = ~ctx.reverse | ctx.deadline
        zero = zero & ~unfit
    notes = _fill("zero", clause, zero, what=what, op=word, basis=basis, unit=unit or "", reading=reading)
    return Effect(zero=zero, notes=notes, unfit=unfit)


def _short(ctx: Context, unit: str | None) -> tuple[np.ndarray, str, str]:
    """What 降低超过20%不得分 measures: the shortfall below the full-score line, in the clause's unit (a % on a %
    indicator in percentage points, elsewhere relative to the target)."""
    gap = ctx.shortfall
    if unit == "%":
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.where(ctx.percent, gap, gap / np.abs(ctx.target) * 100), "低于目标的差距", ""
    return (ctx.in_unit(gap, unit) if unit else gap), "低于目标的差距", ""


def _over(ctx: Context, clause: Clause, by_value: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray | str]:
    """What 超过X得0分 measures per row, and the words that name it (what, basis)."""
    unit = clause.get("unit")
    if unit != "%":  # 10天, 3个百分点: beyond the full-score line (days late on a deadline), in the clause's unit
        beyond = np.where(ctx.deadline, ctx.shortfall, ctx.actual - ctx.reference)
        if _of_lateness(clause) or clause in ctx.late_clauses:  # 逾期超过5天: beyond the limit (not a rule's line)
            beyond = ctx.lateness
        measure = ctx.in_unit(beyond, unit) if unit else beyond
        what = choose(ctx.deadline, "延期", "超出目标")
        ceiling = _ceiling(ctx, clause)  # 超过4小时 on ≤2小时: the actual itself
        return (np.where(ceiling, ctx.in_unit(ctx.actual, unit), measure), np.where(ceiling, "实际值", what),
                "") if ceiling.any() else (measure, what, "")
    with np.errstate(divide="ignore", invalid="ignore"):
        late = (ctx.actual_days - ctx.planned_days) / ctx.planned_days * 100
        excess = (ctx.actual - ctx.target) / np.abs(ctx.target) * 100
    measure = np.where(ctx.deadline, late, np.where(by_value, ctx.actual, excess))
    what = np.where(ctx.deadline, "延期", np.where(by_value, "实际值", "超出目标的幅度")).astype(object)
    return measure, what, choose(ctx.deadline, "计划工期的", "")


def _ceiling(ctx: Context, clause: Clause) -> np.ndarray:
    """The rows on which `超过X{unit}不得分` caps the actual value: 反向 rows, not deadlines, counted in the
    clause's kind of unit (not a %), where X lies at or beyond the full-score line (超过4小时 on ≤2小时,
    超过120万元 on ≤100万元). Inside the line (超过10天 on ≤30天) X counts what lies beyond it, as on a deadline;
    a subject of lateness (延期超过10天), or none beside bands of lateness (逾期…，超过30天不得分), always does."""
    unit = clause.get("unit")
    if unit is None or unit in _PERCENT_UNITS or _of_lateness(clause) or clause in ctx.late_clauses:
        return np.zeros(len(ctx.target), bool)
    return ctx.reverse & ~ctx.deadline & (ctx.in_unit(ctx.reference, unit) <= clause.get("x") + 1e-9)


@rule_kind("band",
           r"{SUBJECT}{DATE}(?:前|之前|以前)(?:{DONE})?的?,?{WORTH}",
           r"{NOT_DEVIATION}{SUBJECT}(?P<lo>{NUM})(?P<lopct>%)?(?:{BAND_UNITS})?(?P<loinc>\(含\))?(?:-|~|至|到)(?P<hi>{NUM})"
           r"(?P<hipct>%)?(?P<bunit>{BAND_UNITS})?(?P<hiinc>\(含\))?(?:之间)?的?,?{WORTH}",
           r"{NOT_DEVIATION}(?P<lo>{NUM})(?P<lopct>%)?(?P<loop>≤|<)[^\d,;。]*?(?P<hiop>≤|<)(?P<hi>{NUM})(?P<hipct>%)?的?,?{WORTH}",
           r"{NOT_DEVIATION}{SUBJECT}(?:≥|>=|大于等于|不低于|达到)(?P<lo>{NUM})(?P<lopct>%)?(?P<bunit>{BAND_UNITS})?(?:\(含\))?"
           r"(?:及以上|以上)?的?,?"
           r"{WORTH}",
           r"{NOT_DEVIATION}{SUBJECT}(?:低于|<|小于|(?P<hiinc>≤|<=|小于等于|不超过|不高于))(?P<hi>{NUM})(?P<hipct>%)?"
           r"(?P<bunit>{BAND_UNITS})?的?,?"
           r"{WORTH}",
           r"{NOT_DEVIATION}{SUBJECT}(?P<lo>{NUM})(?P<lopct>%)?(?P<bunit>{BAND_UNITS})?(?:\(含\))?(?:及以上|以上)的?,?{WORTH}",
           r"{NOT_DEVIATION}{SUBJECT}(?P<hi>{NUM})(?P<hipct>%)?(?P<bunit>{BAND_UNITS})?"
           r"(?:以下|(?P<hiinc>及以下|以下\(含\)|\(含\)以下|\(含\)以内|以内|之内|内))(?:完成)?的?,?{WORTH}",
           r"{SUBJECT}(?P<late>逾期|超期|超时|延期|延迟|推迟|滞后|拖延|未按时|未按期)(?:完成)?的?,?{WORTH}",
           r"{SUBJECT}(?P<ontime>按时|按期|如期|按计划)完成的?,?{WORTH}",
           explain="{what} {actual} 在 {band} 档，计{points}")
def band(clause: Clause, ctx: Context) -> Effect:
    """80%(含)-90%，计4分 (or 得80%分值): the actual falls in the band. (含) after the lower number includes that edge; after
    the upper number the upper edge instead (the lower is then open); unmarked, lower included, upper not.
    % edges on an indicator that is not a % are completion ratios; on a % one too where a band says they are
    shares of the target (完成目标值的90%以上计10分: Context.bands_of_target)."""
    lo, hi, points = clause.get("lo"), clause.get("hi"), clause.get("points")
    worth = ctx.of_rule_weight(points) if points is not None else np.full(len(ctx.target), clause.get("share") / 100)
    points_text = _shown(points) + "分" if points is not None else _shown(clause.get("share")) + "%分值"
    if (when := clause.when) is not None:
        return _dated_band(clause, ctx, when, worth, points_text)
    loinc = bool(clause.get("loinc")) or clause.get("loop") == "≤"  # 90%≤完成率<100%: as the signs say
    hiinc = bool(clause.get("hiinc")) or clause.get("hiop") == "≤"
    if lo is not None and hi is not None and lo > hi:  # written high to low (100%-90%): the same band
        lo, hi, loinc, hiinc = hi, lo, hiinc, loinc
    lower_open = clause.get("loop") == "<" if clause.get("loop") else hiinc and not loinc
    unit = clause.get("bunit")
    late = clause in ctx.late_clauses
    if clause.get("ontime"):  # 按时完成得8分: not late at all
        hi, hiinc = 0.0, True
    elif late and lo is None:  # 逾期10天以内得8分, 逾期完成得5分: late at all, up to the edge (on time is not late)
        lo, lower_open = 0.0, True
    if ((unit in _COUNTS or late and unit in _WHOLE_DAYS) and lo is not None and hi is not None and not hiinc and float(hi).is_integer()
            and hi not in ctx.band_lows):
        hiinc = True  # 8-9个计8分 beside 10个及以上: 9 is in it (no band starts at 9), 8 too; 逾期1-5天 alike
    by_ratio = (~ctx.percent | ctx.bands_of_target) & bool(clause.get("lopct") or clause.get("hipct"))
    with np.errstate(divide="ignore", invalid="ignore"):  # the completion ratio is actual ÷ target, 反向 too
        ratio = np.where(ctx.reverse, ctx.actual / ctx.target, ctx.ratio)
        measure = _band_measure(ctx, ctx.actual, ratio, by_ratio, unit, ctx.lateness, late)
        line = _band_measure(ctx, ctx.reference, np.where(ctx.deadline, 1.0, ctx.reference / ctx.target), by_ratio,
                             unit, np.zeros(len(measure)) + ctx.grace, late)  # where the rule's full line falls

    def inside(values: np.ndarray) -> np.ndarray:
        low = True if lo is None else values > lo + 1e-9 if lower_open else values >= lo - 1e-9
        high = True if hi is None else values <= hi + 1e-9 if hiinc else values < hi - 1e-9
        return np.asarray(low & high) & np.ones(len(values), bool)

    holds = inside(measure)
    lo_ok = np.ones(len(measure), bool) if lo is None else measure > lo + 1e-9 if lower_open else measure >= lo - 1e-9
    share = np.where(holds, worth, np.nan)
    nowhere = np.zeros(len(measure), bool)
    below = nowhere if lo is None else ~lo_ok
    above = nowhere if hi is None else measure >= hi - 1e-9
    in_percent = ctx.percent | by_ratio
    notes = _fill("band", clause, holds, band=choose(in_percent, _edges(clause, "%"), _edges(clause, unit or "")),
                  what=choose(ctx.deadline, "延期", "超出时限") if late else choose(by_ratio, "完成率", "实际"),
                  actual=shown(np.where(by_ratio, from_units(to_units(measure, 2), 2), measure))  # (a ratio: 2 places)
                  + (unit or _late_unit(ctx) if late else choose(in_percent, "%", unit or "")),
                  points=points_text)
    return Effect(band=share, notes=notes, below=below, above=above, edges=(lo, hi), worth=worth, late=late,
                  span=_span(clause, lo, hi, late), holds_line=inside(line))


def _band_measure(ctx: Context, values: np.ndarray, ratio: np.ndarray, by_ratio: np.ndarray, unit: str | None,
                  late_by: np.ndarray, late: bool) -> np.ndarray:
    """`values` (the actual, or the full line) as a band measures them: a completion ratio in % (`ratio`) for %
    edges on a row that is not a %; in the band's unit (80-100件; 0.8万元 is 8000元); how late (`late_by`, in the
    row's unit: days on a deadline) for bands of lateness and day bands on a deadline."""
    measure = np.where(by_ratio, ratio * 100, values)
    if unit:
        measure = np.where(np.isnan(ctx.unit_factor), measure, measure * ctx.unit_factor / unit_info(unit).factor)
        if counts_time(unit):
            measure = np.where(ctx.deadline, ctx.in_unit(late_by, unit), measure)
    if late:
        measure = ctx.in_unit(late_by, unit) if unit else late_by
    return measure


def _span(clause: Clause, lo: float | None, hi: float | None, late: bool) -> tuple:
    """What a band measures and its edges in base units, to compare bands: % edges, or edges in the band's unit
    (800000元 and 90万元 alike), or bare numbers; lateness in days (逾期完成 is days too)."""
    unit = clause.get("bunit")
    if late:
        space, factor = "late " + unit_info(unit or "天").dimension, unit_info(unit or "天").factor
    elif clause.get("lopct") or clause.get("hipct"):
        space, factor = "%", 1.0
    else:
        space, factor = (unit_info(unit).dimension, unit_info(unit).factor) if unit else ("", 1.0)
    return (space, -math.inf if lo is None else lo * factor, math.inf if hi is None else hi * factor)


def _dated_band(clause: Clause, ctx: Context, when: RuleDate, worth: np.ndarray, points_text: str) -> Effect:
    """10月底前完成得6分 (on a deadline): completed by that date and after the line before it: the rule's latest
    earlier date (9月底前完成得满分), else the end of on time (the deadline), else any time before."""
    day = ctx.dates[clause]
    lo, lo_text = np.full(len(day), -np.inf), np.full(len(day), "", dtype=object)
    for other, text in [*ctx.date_lines, (ctx.planned_days, "时限")]:  # (a date equal to the deadline keeps its name)
        later = (other < day) & (other > lo)
        lo, lo_text = np.where(later, other, lo), np.where(later, text, lo_text)
    done = ctx.actual_days
    holds = ctx.deadline & (done > lo) & (done <= day)
    band = np.where(lo_text == "", f"{when.text}前", lo_text + "后至" + when.text + "前")
    notes = _fill("band", clause, holds, what="完成于", actual=dates_of(done, ctx.start_day), band=band,
                  points=points_text)
    return Effect(band=np.where(holds, worth, np.nan), notes=notes, below=ctx.deadline & (done <= lo),
                  above=ctx.deadline & (done > day), worth=worth, late=True)


def _late_unit(ctx: Context) -> np.ndarray:
    """The unit lateness is shown in where the rule names none (逾期完成): days on a deadline, else the row's."""
    names = ctx.unit_name if ctx.unit_name is not None else np.full(len(ctx.target), None, dtype=object)
    return np.where(ctx.deadline, "天", np.where(names == None, "", names)).astype(object)  # noqa: E711


def _of_lateness(clause: Clause | dict) -> bool:
    """Whether a clause measures how late (逾期1-5天, 延期超过10天, 逾期完成): on a deadline the days after it, on a
    duration (≤30天) what lies beyond the limit."""
    words = (clause.get("subject") or "") + (clause.get("op") or "") + (clause.get("late") or "")
    return bool(clause.get("ontime")) or any(word in words for word in _LATE_WORDS)


def _edges(clause: Clause, unit: str) -> str:
    """A band as the explanation names it: 80%(含)–90%, ≥90%, <60%."""
    lo, hi = (None if v is None else format_number(v) + unit for v in (clause.get("lo"), clause.get("hi")))
    if clause.get("ontime"):  # 按时完成得8分
        return "按时完成"
    if lo is None and hi is None:  # 逾期完成得5分
        return "逾期"
    if lo is None or hi is None:
        return f"≥{lo}" if hi is None else f"≤{hi}" if clause.get("hiinc") else f"<{hi}"
    return f"{lo}{'(含)' if clause.get('loinc') else ''}–{hi}{'(含)' if clause.get('hiinc') else ''}"


@rule_kind("late",
           r"{SUBJECT}(?:逾期|超期|延期|延迟|未按时|未按期)(?:完成)?的?,?(?:{ZERO}|扣除全部分值)",
           r"{SUBJECT}{DATE}(?:后|以后|之后)才?{DONE}?的?,?(?:{ZERO}|扣除全部分值)",
           r"{SUBJECT}{DATE}(?:前|之前|以前)?仍?(?:未能?|没有){DONE}?的?,?(?:{ZERO}|扣除全部分值)",
           r"{SUBJECT}(?:晚于|迟于|超过){DATE}{DONE}?的?,?(?:{ZERO}|扣除全部分值)",
           explain="{what}得0分")
def late_zero(clause: Clause, ctx: Context) -> Effect:
    """逾期不得分: late → 0. On a deadline, completed after it; on a duration counted in time (≤5天, ≤5个工作日),
    beyond the limit. 10月底后完成不得分: on a deadline, completed after that date. (Rows that count no time,
    or no date, are not scored by it: Rule.counts_on.)"""
    if (when := clause.when) is not None:
        zero = ctx.deadline & (ctx.actual_days > ctx.dates[clause])
        return Effect(zero=zero, notes=_fill("late", clause, zero, what=f"晚于{when.text}完成"))
    zero = ~ctx.met
    return Effect(zero=zero, notes=_fill("late", clause, zero, what="逾期（晚于时限）"))


def _late_at_all(clause: Clause) -> bool:
    """逾期不得分 (any lateness → 0, unlike 10月底后完成不得分): per-day steps beside it never deduct."""
    return clause.kind == "late" and clause.when is None


@rule_kind("unmet",
           r"(?P<word>未完成|未达成|未达到|未实现|没有完成|未达标|不达标|不合格|未合格|超支|否则)(?:年度)?(?:目标|指标|任务)?值?的?,?"
           r"(?:{ZERO}|扣除全部分值)",
           r"(?P<word>低于)(?:年度)?(?:目标|指标|计划)值?的?,?{ZERO}",
           r"(?P<word>发生|出现)(?:一起|一次|一例)?[^\d零一二两三四五六七八九十百,;。]*?,?(?:{ZERO}|扣除全部分值)",
           explain="{what}得0分")
def unmet_zero(clause: Clause, ctx: Context) -> Effect:
    """未完成不得分 / 否则不得分 / 超支不得分 / 发生重大事故不得分: a row short of its full-score line → 0. Beside what scores partial completion
    (部分完成按比例得分, steps, bands: Context.partial) 未完成 is nothing done: a completion ratio of 0."""
    word = clause.get("word")
    if word == "低于":  # 低于目标值不得分: below the target itself, whatever line the rule draws
        zero = ctx.short_of(np.where(ctx.deadline, ctx.reference, ctx.target)) > 1e-9
        return Effect(zero=zero, notes=_fill("unmet", clause, zero, what="低于目标值"))
    if word in _HAPPENED:  # 超支不得分, 发生重大事故不得分: over a 反向 line counting things or money
        unfit = ~ctx.reverse | ctx.deadline | ctx.percent
        zero = ~ctx.met & ~unfit
        return Effect(zero=zero, notes=_fill("unmet", clause, zero, what=word), unfit=unfit)
    if ctx.partial:  # beside steps, bands, 按比例: nothing done, which only a 正向 count or amount can be
        zero = ~ctx.met & ~ctx.reverse & ~ctx.deadline & (ctx.actual <= 0)
        return Effect(zero=zero, notes=_fill("unmet", clause, zero, what=f"{word}（完成率为0）"))
    zero = ~ctx.met
    return Effect(zero=zero, notes=_fill("unmet", clause, zero, what="未达到满分条件" if word == "否则" else word))


@rule_kind("flat",
           r"{PLAIN_SUBJECT}(?P<lead>低于|不足|未达到|小于|超过|高于|大于)(?P<base>{NUM})%的?,?{DEDUCT}",
           r"{PLAIN_SUBJECT}(?:未按时|未按期|未达到?|未完成|未达标|未达成)(?:完成)?(?:年度)?(?:目标值?|指标值?)?的?,?"
           r"{DEDUCT}",
           explain="未达到扣{per}")
def flat_deduction(clause: Clause, ctx: Context) -> Effect:
    """未按时完成扣5分 / 未达到目标值扣2分: the points (or share of the 分值) once, on a row short of its line."""
    missed = ~ctx.met if ctx.step_line is None else ctx.step_shortfall > 1e-9  # (below a lead-in line)
    return Effect(deduction=np.where(missed, _taken(clause, ctx), 0.0),
                  notes=_fill("flat", clause, missed, per=_taken_text(clause)))


@rule_kind("line", r"{SUBJECT}(?P<lead>低于|不足|未达到|小于|超过|高于|大于)(?P<base>{NUM})%的?")
def lead_in_line(clause: Clause, ctx: Context) -> Effect | None:
    """满意度低于90%的，每降低1个百分点扣1分: the line the steps after it count from (apply_rule reads `base`)."""
    return None


@rule_kind("grade",
           r"(?P<grade>{GRADE})的?:?(?:为|得|计|给)?(?:(?P<points>{NUM})分|(?P<share>{NUM})%(?:的?(?:指标)?分值)?|"
           r"(?P<full>满分)|不得分|0分|零分)")
def grade_points(clause: Clause, ctx: Context) -> Effect | None:
    """好:10分, 良好得80%, 不合格不得分: what a grade earns on a 定性 indicator (Rule.grades; methods.qualitative
    scores them). Nothing on the rows of a number."""
    return None


@rule_kind("limit",
           r"(?:最多|最高|累计最多|累计最高|合计最多)(?:扣除|扣减|扣|减)(?P<of>[^\d]{0,6}?分值的?)?(?P<m>{NUM})(?P<munit>%|分)为?止?",
           r"(?:累计)?扣分(?:最多|最高|不超过|不得超过|上限为|上限是|上限)(?P<of>[^\d]{0,6}?分值的?)?(?P<m>{NUM})(?P<munit>%|分)",
           explain="最多扣{limit}：扣分 {deducted}分 超过上限，按扣{capped}分计")
def limit(clause: Clause, ctx: Context) -> Effect:
    """最多扣5分: the deductions together take at most that (M分 = points; M% = share of the 分值): the steps, or
    the points the completion ratio loses where no step is given; not a band's points. A zero condition still
    gives 0."""
    return Effect(limit=np.broadcast_to(_taken(clause, ctx), ctx.weight.shape).astype(float))


@rule_kind("proportional", r"{SUBJECT}按(?:照)?(?:实际)?完成(?:比例|比率|率|情况)(?:计算)?(?:得分|计分|计算|给分)?",
           r"{SUBJECT}按(?:照)?比例(?:计算)?(?:得分|计分|扣分)",
           r"(?:得分=)?实际完成(?:值|数)?(?:/|÷)(?:年度)?(?:指标值|目标值|计划数|计划值|指标|目标)(?:[×*])(?:指标)?分值",
           r"得分=(?:实际)?完成率[×*](?:指标)?分值",
           r"实际完成率(?:/|÷)(?:目标|计划)完成率[×*](?:指标)?分值",
           r"{SUBJECT}(?:低于|不足|未达到|小于)(?P<base>{NUM})%的?,?按(?:照)?(?:实际)?(?:完成)?比例(?:计算)?(?:得分|计分|扣分)?",
           r"{SUBJECT}(?P<base>{NUM})%以下的?,?按(?:照)?(?:实际)?(?:完成)?比例(?:计算)?(?:得分|计分|扣分)?")
def proportional(clause: Clause, ctx: Context) -> Effect | None:
    """按完成比例计算得分: 分值 × completion ratio (the default method, stated)."""
    return None


@rule_kind("definition",
           r"完成率=实际完成(?:值|数)?(?:/|÷)(?:年度)?(?:指标值|目标值|计划数|计划值|指标|目标)(?:[×*]100%)?")
def definition(clause: Clause, ctx: Context) -> Effect | None:
    """完成率=实际完成数/计划数×100%: the completion ratio the engine computes anyway."""
    return None


@rule_kind("floor", r"扣完为止|减完为止|扣至0分为止|扣至零分为止|最低(?:为|得)?(?:0|零)分|最低扣至0分|直至扣完|直到扣完|扣完即止")
def floor(clause: Clause, ctx: Context) -> Effect | None:
    """扣完为止: never below 0 (always so here)."""
    return None


@rule_kind("cap", r"满分为止|最高不超过(?:指标)?分值|最高(?:得|为)?满分|得分不超过(?:指标)?分值")
def cap(clause: Clause, ctx: Context) -> Effect | None:
    """满分为止: never above the 分值 (always so here)."""
    return None


@rule_kind("etc", r"(?:以此|依此|依次|照此)类推(?:计算|扣分|扣减)?")
def and_so_on(clause: Clause, ctx: Context) -> Effect | None:
    """每降低5%扣2分，以此类推: the steps go on (they always do). Beside bands without steps it would extend the
    bands by a pattern nobody wrote down: unread there (parse_rule)."""
    return None


@rule_kind("discretion", r".*酌情.*")
def discretion(clause: Clause, ctx: Context) -> Effect | None:
    """酌情扣分: a person's call; the default method scores and the indicator is flagged."""
    return None


@rule_kind("condition", r"(?:未达到?|未达成|未按时|未按期|没有|未)(?:完成)?(?:时限|指标值|目标值|目标|指标|要求)?(?:完成)?的?")
def condition(clause: Clause, ctx: Context) -> Effect | None:
    """未达到完成时限: the condition under which the clauses that follow apply (they only deduct then)."""
    return None


# ---------------------------------------------------------------- reading

@lru_cache(maxsize=None)
def parse_rule(text: str | None) -> Rule:
    """Read a 评(扣)分标准. Never raises: a clause it cannot read is kept, quoted, in Rule.unread."""
    raw = "" if text is None or (isinstance(text, float) and math.isnan(text)) else str(text)
    n = language.normalise(re.sub(r"[①-⑳]", ",", raw)).replace("．", ".")  # (NFKC makes ① a bare 1)
    for pattern, replacement in _SLIPS:
        n = pattern.sub(replacement, n)
    clauses, unread = [], []
    for piece in _pieces(n):
        clause = _read_clause(piece)
        if clause is None:
            unread.append(piece)
        else:
            clauses.append(clause)
    if not any(c.kind == "step" for c in clauses):  # 90%以上得10分，80%-90%得8分，以此类推: lower bands unwritten
        unread += [c.text for c in clauses if c.kind == "etc"]
        clauses = [c for c in clauses if c.kind != "etc"]
    return Rule(raw, tuple(clauses), tuple(unread))


def _pieces(n: str) -> list[str]:
    """Clauses: split at , ; 。 and join a piece that only says what to do (扣…, 计…) to the one before."""
    pieces: list[str] = []
    split = [piece for piece in re.split(r"[,;。]", n) if piece]
    numbered = _listed(split)
    for i, piece in enumerate(split):
        if len(numbered) > 1 and i in numbered:  # 1.95%以上得满分；2.…: a list's markers, whatever follows them
            piece = re.sub(r"^\d{1,2}[.、)]", "", piece)
        piece = _NUMBERED.sub("", piece)  # （1）…, or a lone 1、: no part of the clause
        if not piece:
            continue
        if pieces and re.match(r"^(?:扣|减|计|得|为|按|则|不得分|不计分)", piece) and not re.match(r"^(?:扣完|减完|按时|按期|按照|按比例|按完成|按实际|扣分(?:最多|最高|不超过|不得超过|上限))", piece):
            pieces[-1] += "," + piece
        else:
            pieces.append(piece)
    return pieces


def _misread(kind: str, found: dict) -> bool:
    """A match that says something else: a band of a % and a unit at once (80%-100万元), a zero condition on the
    points of the score (得分低于6分, 扣分超过5分: of the 分值, not the row's 分), a date no year has (2月30日)."""
    if (when := rule_date(found)) is not None and not when.possible():  # 2月30日前完成得满分
        return True
    if kind == "step":  # 每降低0%: a step of nothing
        return found.get("n") is not None and _number(found["n"]) == 0
    if kind == "band":  # 80%-100万元, 0-0%得5分, 超支5%以内得8分, 逾期10%以内得8分, 逾期得0分 (逾期不得分)
        late, pct = _of_lateness(found), bool(found.get("lopct") or found.get("hipct"))
        return (pct and bool(found.get("bunit"))
                or found.get("lo") is not None and found.get("lo") == found.get("hi")
                or not late and any(word in (found.get("subject") or "") for word in
                                    (_WITHIN_BEYOND if found.get("hiinc") in _WITHIN else _BEYOND_WORDS))
                or late and pct
                or bool(found.get("late")) and 0 in (_number(found.get("points")), _number(found.get("share"))))
    if kind == "zero" and found.get("unit") == "分":
        return (found.get("subject") or "").endswith(("得分", "扣分", "分值", "扣"))
    return False


def _listed(pieces: list[str]) -> list[int]:
    """The places of the pieces that carry a list's markers in order (1. then 2. …)."""
    found: list[int] = []
    for i, piece in enumerate(pieces):
        if re.match(rf"^{len(found) + 1}[.、)]", piece):
            found.append(i)
    return found


def _read_clause(piece: str) -> Clause | None:
    for kind in KINDS:
        for pattern in kind.patterns:
            match = pattern.fullmatch(piece)
            if match is None or _misread(kind.name, match.groupdict()):
                continue
            values = tuple((k, _number(v) if k in ("value", "n", "m", "x", "lo", "hi", "points", "share", "a", "b",
                                                   "base", "tolerance")
                            else v) for k, v in match.groupdict().items() if v is not None)
            return Clause(kind.name, piece, values)
    return None


# ---------------------------------------------------------------- applying

@dataclass
class Applied:
    """A rule applied to its rows: the share of the 分值 earned, and the explanation of each row."""

    share: np.ndarray
    explanation: list[str]
    met: np.ndarray
    uncovered: np.ndarray  # what the rule says nothing of (between two bands; short of the line under excess
    # steps only): for a person


def apply_rule(rule: Rule, ctx: Context) -> Applied:
    """Score the rows of `ctx` by `rule`: met → full; bands → their points; else 分值 minus the step
    deductions (or the completion ratio when no step is given); a zero condition overrides."""
    rows = len(ctx.target)
    kinds = {k.name: k for k in KINDS}
    ctx.partial = bool(rule.kinds & {"step", "band", "proportional", "flat"})
    ctx.late_clauses = rule.late_clauses
    ctx.band_lows = frozenset(c.get("lo") for c in rule.clauses if c.kind == "band" and c.get("lo") is not None)
    ctx.bands_of_target = any(c.kind == "band" and _OF_TARGET.search(c.get("subject") or "") for c in rule.clauses)
    ctx.exact = ctx.readings["deviation"] == "both" and any(
        c.kind == "step" and step_verb(c) in _DEVIATION for c in rule.clauses)
    full_line = any(c.kind == "full" and (c.get("value") is not None or c.get("tolerance") is not None)
                    for c in rule.clauses)
    misfits = []
    for clause in rule.clauses:
        if kinds[clause.kind].setup:
            kinds[clause.kind].apply(clause, ctx)
            continue
        if clause.get("base") is None:
            continue
        over = clause.get("lead") in _OVER_LINE  # 超过5%的 speaks of a 反向 rate, 低于90%的 of a 正向 row
        misfit = ~ctx.deadline & ((ctx.reverse != over) | (over & ~ctx.percent))  # (a deadline keeps its date)
        if misfit.any():
            misfits.append((clause, misfit))
        if full_line:  # 95%以上得满分，低于90%的，每降低…: steps from 90
            ctx.step_line = np.where(misfit | ctx.deadline, ctx.reference, _threshold(ctx, clause.get("base"), "%"))
        else:  # 低于100%每1%扣2分: the step names its own full-score line
            ctx.reference = np.where(misfit | ctx.deadline, ctx.reference, _threshold(ctx, clause.get("base"), "%"))
    if rule.dated:
        _place_dates(rule, ctx)
    met = ctx.met
    effects = [(clause, kinds[clause.kind].apply(clause, ctx)) for clause in rule.clauses
               if not kinds[clause.kind].setup]
    effects = [(c, e) for c, e in effects if e is not None]

    bands = [e for _, e in effects if e.band is not None]
    steps = [e.deduction for _, e in effects if e.deduction is not None]
    zero = np.zeros(rows, bool)
    for _, e in effects:
        if e.zero is not None:
            zero |= e.zero
    limits = [(c, e.limit) for c, e in effects if e.limit is not None]
    unfit = [(c, e.unfit & ~met) for c, e in effects if e.unfit is not None]  # 超支不得分 on a 正向 row: for a person
    unfit += [(c, rows_ & ~met) for c, rows_ in misfits]  # 超过5%的，… on a 正向 row
    between, banded = np.zeros(rows, bool), np.zeros(rows, bool)
    if bands:
        share, met, method, limit_notes, between, banded = _by_bands(rule, ctx, bands, steps, limits, met, zero)
    elif steps:
        deducted, limit_notes = _limited(limits, np.sum(steps, axis=0), ~met & ~zero, ctx)
        share = np.where(met, 1.0, 1.0 - deducted)
        method = choose(met, "达到满分条件", "按扣分规则计分")
        if all(step_verb(c) in _EXCESS for c, e in effects if e.deduction is not None):
            # 每超过1个百分点扣1分 on ≥95% at 90%: nothing lies beyond, the rule says nothing of a shortfall
            between = ~met & ~zero & ~ctx.reverse & ~ctx.deadline & (np.sum(steps, axis=0) <= 0)
            share = np.where(between, np.clip(ctx.default_share(), 0.0, 1.0), share)
            method = np.where(between, "评分标准只就超出部分扣分，未涉及未达标的情形，按默认方法计分", method)
    else:  # no steps: the completion ratio as the rule states it (按完成比例), else the default method
        stated = "proportional" in rule.kinds
        default = ctx.ratio if stated else ctx.default_share()
        deducted, limit_notes = _limited(limits, 1.0 - np.clip(default, 0.0, 1.0), ~met & ~zero, ctx)
        share = np.where(met, 1.0, 1.0 - deducted)
        methods = np.array(["评分标准未给中间扣分，按完成比例计分", "评分标准未给中间扣分，按反向线性计分（2倍目标得0分）",
                            "达到满分条件"], dtype=object)
        method = methods[np.where(met, 2, (ctx.linear & ~stated).astype(np.intp))]
    share = np.clip(np.where(zero & ~met, 0.0, share), 0.0, 1.0)
    zeroed = zero & ~met  # a zero condition says it all: only its own note
    explanation = np.where(zeroed, "按得0分条件计分", method).astype(object)
    for _, e in effects:
        if e.notes is None:
            continue
        quiet = (met & ((e.deduction is not None) | (e.zero is not None))  # met: no deduction, no zero
                 | ((banded | between) & (e.deduction is not None)))  # a band's points, or none: no step
        shown_here = (e.notes != "") & ~quiet & (~zeroed | (e.zero is not None))
        explanation[shown_here] = explanation[shown_here] + ("；" + e.notes[shown_here])
    void = None
    if rule.void:  # 逾期不得分 with per-day steps: the late rows say the steps never apply
        void = choose(np.any([e.zero for c, e in effects if _late_at_all(c)], axis=0) & ~met, _void(rule), "")
    for notes in (ctx.moved, limit_notes, void,
                  *(choose(rows_, f"“{c.text}”对该指标无从判断", "") for c, rows_ in unfit)):
        if notes is not None:
            explanation[notes != ""] = explanation[notes != ""] + ("；" + notes[notes != ""])
    for _, rows_ in unfit:
        between = between | rows_
    return Applied(share=share, explanation=list(explanation), met=met, uncovered=between)


def _place_dates(rule: Rule, ctx: Context) -> None:
    """Where the rule's dates of bands and zero conditions fall on each deadline row (Context.dates), after its
    full-score date moved on time: a date without a year falls nearest the deadline, and not before the end of
    on time for a zero condition (6月底前完成得满分，6月底后完成不得分: that day), nor for a band where on time
    earns full (12月底前完成得满分，3月底前完成得6分: next March; also beside 每延迟… or 逾期不得分, which say on
    time is full); without that a band before it pays early
    completion (9月底前完成得10分，10月底前完成得8分 on 31 October). A zero date written with its year before the end
    of on time ends it there."""
    on_time = ctx.planned_days.copy()
    full = any(c.kind == "full" and (c.when is not None or c.get("deadline")) or _late_at_all(c) or c.get("ontime")
               or c.kind == "step" and step_verb(c) in _LATENESS for c in rule.clauses)  # (每延迟…: on time is full)
    said: dict[RuleDate, np.ndarray] = {}  # 3月底前完成得6分，3月底后完成不得分: one 3月底
    for c in sorted((c for c in rule.clauses if c.when is not None and c.kind in ("band", "late")),
                    key=lambda c: c.kind != "late"):  # (zero dates first: bands with the same date follow them)
        ctx.dates[c] = said.setdefault(c.when, ctx.day_of(c.when, at_least=on_time if c.kind == "late" or full
                                                          else None))
    earlier: Clause | None = None
    for c in rule.clauses:  # a ladder written forward runs forward: 12月底前…得10分，3月底前…得6分 (next March)
        if c.kind == "band" and c.when is not None:
            if earlier is not None and c.when.year is None and not c.when.next_year and _pays_less(c, earlier):
                ctx.dates[c] = np.where(ctx.dates[c] < ctx.dates[earlier],
                                        ctx.day_of(c.when, at_least=ctx.dates[earlier]), ctx.dates[c])
            earlier = c
    for c in rule.clauses:
        if c.kind == "late" and c.when is not None:
            ctx.move_deadline(np.fmin(ctx.planned_days, ctx.dates[c]), c.when.text)
    ctx.date_lines = [(ctx.dates.get(c, ctx.day_of(c.when)), c.when.text) for c in rule.clauses
                      if c.kind in ("full", "band") and c.when is not None]


def _pays_less(band: Clause, than: Clause) -> bool:
    """Whether a band gives less than another, both in points or both in shares of the 分值."""
    for key in ("points", "share"):
        if band.get(key) is not None and than.get(key) is not None:
            return band.get(key) < than.get(key)
    return False


def _by_bands(rule: Rule, ctx: Context, bands: list[Effect], steps: list[np.ndarray],
              limits: list[tuple[Clause, np.ndarray]], met: np.ndarray, zero: np.ndarray) -> tuple:
    """A rule with bands: a row in a band takes its points, unless it meets the rule's own full-score line and
    that line lies inside its band (100万元以内得满分，110万元以内得8分: 90万元 is full); in none, worse than every
    band (正向 below them,
    反向 above) 0, or by the steps or 按完成比例 beside the bands; better than every band and met, full; a 正向
    row past the top band, that band (_top_band); in a gap, 0 and 需复核. Returns the share, met, the method
    text, the cap notes, the gap rows and the rows a band scored."""
    rows = len(ctx.target)
    band_share, by_line = np.full(rows, np.nan), np.zeros(rows, bool)
    line_fits = _line_fits(rule, ctx)
    for e in _in_trying_order(bands):  # the first band that holds scores; the others say nothing
        e.notes[~np.isnan(band_share)] = ""
        if e.holds_line is not None:  # the rule's full line inside the band: full
            by_line |= line_fits & met & np.isnan(band_share) & ~np.isnan(e.band) & e.holds_line
        band_share = np.where(np.isnan(band_share), e.band, band_share)
    for e in bands:
        e.notes[by_line] = ""
    band_share = np.where(by_line, 1.0, band_share)
    no_band, reached = np.isnan(band_share), met
    below_all = np.logical_and.reduce([e.below for e in bands])
    above_all = np.logical_and.reduce([e.above for e in bands])
    fewer_better = ctx.reverse | any(e.late for e in bands)  # (逾期1-5天得8分: on time is past every band)
    worse, better = np.where(fewer_better, above_all, below_all), np.where(fewer_better, below_all, above_all)
    full = no_band & met & better  # past every band on the good side, at the target or full line: full
    top = _top_band(bands)
    lifted = no_band & ~met & ~zero & ~fewer_better & (top.above if top is not None else False)
    band_share = np.where(full, 1.0, np.where(lifted, top.worth if top is not None else 0.0,
                                              band_share))
    banded = ~np.isnan(band_share)  # a band (or the full line past them) scored it: no step speaks there
    stepped = ~banded & ~met & ~zero & worse & bool(steps or "proportional" in rule.kinds)
    step_notes = None
    if stepped.any():  # 满意度≥90%得10分，每降低1个百分点扣0.5分: below the bands, the steps (or the ratio)
        lost = np.sum(steps, axis=0) if steps else 1.0 - np.clip(ctx.ratio, 0.0, 1.0)
        capped, step_notes = _limited(limits, lost, stepped, ctx)
        worst = np.min([e.worth for e in bands], axis=0)  # never more than the band it falls below
        band_share = np.where(stepped, np.minimum(1.0 - capped, worst), band_share)
    share = np.nan_to_num(band_share, nan=0.0)
    met = met & (share >= 1 - 1e-9)  # a band's points below the 分值 are not full points
    nowhere = np.isnan(band_share) & ~zero
    between = nowhere & (~worse | reached)  # (past the worst band yet meeting the target: for a person too)
    below = "不在任何一档，按扣分规则计分" if steps else "不在任何一档，评分标准未给中间扣分，按完成比例计分"
    methods = np.array(["按档计分", "按档计分，不在任何一档，计0分", "按档计分，不在任何一档（在两档之间），计0分",
                        "按档计分，高于最高一档，按该档计分", "按档计分，不在任何一档，已达到满分条件", below],
                       dtype=object)
    method = methods[nowhere.astype(np.intp) + between + 3 * lifted + 4 * full + 5 * stepped]
    method = np.where(by_line, "达到满分条件", method)
    limit_notes = _unlimited(limits, 1.0 - share, ~met & ~zero & ~stepped)
    if step_notes is not None:
        limit_notes = np.where(stepped, step_notes, limit_notes)
    return share, met, method, limit_notes, between, banded


def _line_fits(rule: Rule, ctx: Context) -> np.ndarray | bool:
    """The rows on which the rule's own full-score line may beat a band: any, for a line of the row's own kind;
    for a rate (差错率5%以内得满分) only rows that are a % (on a 万元 row it is no line of that row: the bands
    decide); a completion ratio (完成率达到90%, 达到目标值的90%, a bare ≥95%) fits any row. False without a full
    clause."""
    full = [c for c in rule.clauses if c.kind == "full"]
    if not full:
        return False
    valued = next((c for c in full if c.get("value") is not None), None)
    if valued is None or valued.get("unit") != "%":
        return True
    subject = re.sub(r"[≥>=在为达到的]|大于等于|不低于|不少于|控制在", "", valued.get("subject") or "")
    return True if not subject or _OF_TARGET.search(subject) or "完成" in subject else ctx.percent


def _in_trying_order(bands: list[Effect]) -> list[Effect]:
    """Bands as written, except that one lying inside another is tried first, whatever their order: 80%以上得6分，
    90%以上得8分 (95% is in ≥90%), 3%以下得6分，1%以下得10分 (0.5% in <1%), 60%以上得6分，80%-90%得8分 (85% in
    80%–90%), 逾期完成得5分，逾期1-5天得8分, 800000元以上…，90万元以上… (Effect.span). Bands that only touch
    (≤100%计10分；100%-110%计6分) or cannot be compared keep the written order."""
    left, ordered = list(range(len(bands))), []
    while left:
        first = next(i for i in left if not any(_inside(bands[j].span, bands[i].span) for j in left if j != i))
        ordered.append(bands[first])
        left.remove(first)
    return ordered


def _inside(a: tuple | None, b: tuple | None) -> bool:
    """Whether span `a` lies inside span `b` and is not it (both (space, low, high))."""
    return (a is not None and b is not None and a[0] == b[0] and b[1] <= a[1] and a[2] <= b[2]
            and (a[1], a[2]) != (b[1], b[2]))


def _top_band(bands: list[Effect]) -> Effect | None:
    """The band an actual at or past every upper edge takes: where no band is open above, the one with the
    highest upper edge, if it is bounded below and worth the most (90%-100%计10分 over 80%-90%计8分). None
    for bands whose highest edges are worth the least (a 反向 indicator's 1%-3%计6分) or a lone 低于60%计2分."""
    if any(e.edges[1] is None for e in bands):
        return None
    top = max(bands, key=lambda e: e.edges[1])
    most = np.max([e.worth for e in bands], axis=0)
    return top if top.edges[0] is not None and bool(np.all(top.worth >= most - 1e-12)) else None


def _caps(limits: list[tuple[Clause, np.ndarray]]) -> tuple[np.ndarray, np.ndarray]:
    """Per row, the smallest 最多扣N分 cap (a share of the 分值: 5分 on a 分值 of 10 is 0.5) and how the rule
    writes it (5分, 40%分值)."""
    caps = np.array([cap for _, cap in limits])
    texts = np.array([_taken_text(c) for c, _ in limits], dtype=object)
    return caps.min(axis=0), texts[caps.argmin(axis=0)]


def _limited(limits: list[tuple[Clause, np.ndarray]], deducted: np.ndarray, shown_on: np.ndarray,
             ctx: Context) -> tuple[np.ndarray, np.ndarray | None]:
    """The deductions (shares of the 分值) held to the 最多扣N分 caps, the smallest on each row; the note of
    that cap on the rows where it binds."""
    if not limits:
        return deducted, None
    most, text = _caps(limits)
    notes = _fill("limit", limits[0][0], (deducted > most + 1e-9) & shown_on, limit=text,
                  deducted=deducted * ctx.weight, capped=most * ctx.weight)
    return np.minimum(deducted, most), notes


def _unlimited(limits: list[tuple[Clause, np.ndarray]], lost: np.ndarray, shown_on: np.ndarray) -> np.ndarray | None:
    """A band's points are absolute (计4分 sets the score, it does not 扣): no 最多扣N分 holds on them. The note
    saying so, on the rows where the cap would have bound."""
    if not limits:
        return None
    most, text = _caps(limits)
    notes = np.full(len(lost), "", dtype=object)
    where = (lost > most + 1e-9) & shown_on
    notes[where] = "最多扣" + text[where] + "不适用于按档计分（档次所计为得分，不是扣分）"
    return notes


def _void(rule: Rule) -> str:
    """The note on a late row of a rule whose steps can never deduct (Rule.void)."""
    return f"评分标准中“{'”“'.join(rule.void)}”永不适用：逾期即得0分，其扣分无从发生"
