"""Scoring methods: how a kind of indicator earns its share of the 分值, with the explanation of each outcome.

Each method is registered with the templates of its outcomes next to the code that applies it (as pandera
registers a check with its message). A method works on numpy arrays of all its rows at once and returns,
per row, the share of the 分值 earned, the outcome, and any figures its templates need.
An outcome's status None means: read the status from the share (部分达成 from the band's lower edge).
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from string import Formatter

import numpy as np

from .deductions import Context, apply_rule
from .rule_dates import lateness_after
from .rulebook import RuleBook
from .uniques import choose, combine, factorize, first_rows, map_unique, take
from .units import unit_info


@dataclass
class Rows:
    """The parsed indicator frame as arrays (one entry per indicator), the input of every method."""

    t_kind: np.ndarray
    t_op: np.ndarray
    t_base: np.ndarray  # target in base units (NaN if not a quantity)
    t_deadline: np.ndarray
    t_scale: np.ndarray
    t_level: np.ndarray
    a_kind: np.ndarray
    a_base: np.ndarray  # actual in base units, a bare number read in the target's unit
    a_date: np.ndarray
    a_scale: np.ndarray
    a_achievement: np.ndarray
    year_start: np.ndarray  # 1 January of the evaluation year, per row
    direction: np.ndarray
    t_value: np.ndarray  # target in its unit as written (95 for ≥95%)
    a_value: np.ndarray  # actual in the target's unit
    t_percent: np.ndarray  # the indicator is a percentage
    rule_code: np.ndarray  # per row, its Rule in `rules` (-1 where the goals give no 评(扣)分标准)
    weight: np.ndarray
    rule_weight: np.ndarray  # the 分值 before a 不适用 moved points: what a band's or grade's points are of
    parts_share: np.ndarray  # composite targets: their parts' scores over the 分值, scored one by one
    parts_met: np.ndarray
    parts_review: np.ndarray  # composite targets: a part is 需复核 (its actual unread, say)
    parts_text: np.ndarray
    rules: list  # the distinct deductions.Rule (None for a blank text)
    declared: np.ndarray  # per row, whether the goals give its 分值
    unit: np.ndarray  # per row, the unit t_value and a_value are in (the target's, else the actual's; None: none)


@dataclass
class Result:
    share: np.ndarray
    outcome: np.ndarray
    fields: dict[str, np.ndarray] = field(default_factory=dict)
    status: np.ndarray | None = None  # per row, where the outcome alone does not fix it


@dataclass(frozen=True)
class Outcome:
    status: str | None
    template: str

    @property
    def fields(self) -> set[str]:
        return {name for _, name, _, _ in Formatter().parse(self.template) if name}


@dataclass(frozen=True)
class Method:
    name: str
    apply: Callable[[Rows, np.ndarray, RuleBook], Result]
    outcomes: dict[str, Outcome]
    person_scored: bool  # a person's score in the actuals replaces the engine's (定性 is a human call)


METHODS: dict[str, Method] = {}


def method(name: str, *, person_scored: bool = False, **outcomes: tuple[str | None, str]):
    """Register a scoring method and the explanation template of each of its outcomes."""
    def register(apply: Callable[[Rows, np.ndarray, RuleBook], Result]):
        METHODS[name] = Method(name, apply, {k: Outcome(*v) for k, v in outcomes.items()}, person_scored)
        return apply
    return register


def _met_or(met: np.ndarray, share: np.ndarray, missed: str = "missed") -> Result:
    return Result(np.where(met, 1.0, np.clip(np.nan_to_num(share), 0.0, 1.0)), choose(met, "met", missed))


@method("正向",
        met=("达成", "实际 {actual} 达到目标 {target}，得满分 {weight}分"),
        missed=(None, "实际 {actual} ÷ 目标 {target} × {weight}分 = {score}分"))
def positive(rows: Rows, idx: np.ndarray, rules: RuleBook) -> Result:
    """正向: full when the actual reaches the target (the boundary of > counts), else 分值 × actual/target."""
    actual, target = rows.a_base[idx], rows.t_base[idx]
    with np.errstate(divide="ignore", invalid="ignore"):
        return _met_or(actual >= target, actual / target)


@method("反向",
        met=("达成", "实际 {actual} 未超过目标 {target}（反向指标），得满分 {weight}分"),
        missed=(None, "目标 {target} ÷ 实际 {actual} × {weight}分 = {score}分（反向指标）"))
def negative(rows: Rows, idx: np.ndarray, rules: RuleBook) -> Result:
    """反向, the template reading: full when the actual stays within the target, else 分值 × target/actual."""
    actual, target = rows.a_base[idx], rows.t_base[idx]
    with np.errstate(divide="ignore", invalid="ignore"):
        return _met_or(actual <= target, target / actual)


@method("反向线性",
        met=("达成", "实际 {actual} 未超过目标 {target}（反向指标），得满分 {weight}分"),
        missed=(None, "（2 − 实际 {actual} ÷ 目标 {target}）× {weight}分 = {score}分（反向指标，线性计分，"
                      "2倍目标得0分）"))
def negative_linear(rows: Rows, idx: np.ndarray, rules: RuleBook) -> Result:
    """反向, linear variant: full at the target, 0 at twice the target."""
    actual, target = rows.a_base[idx], rows.t_base[idx]
    with np.errstate(divide="ignore", invalid="ignore"):
        return _met_or(actual <= target, 2.0 - actual / target)


@method("零目标",
        met=("达成", "目标为 0（不得发生），实际 {actual}，得满分 {weight}分"),
        missed=("未达成", "目标为 0（不得发生），实际 {actual}，得0分"))
def zero_target(rows: Rows, idx: np.ndarray, rules: RuleBook) -> Result:
    """A target of 0 means "must not happen": full when the actual is 0, else nothing."""
    met = rows.a_base[idx] == 0
    return Result(np.where(met, 1.0, 0.0), choose(met, "met", "missed"))


def durations(rows: Rows, idx: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Planned and actual duration in days, both counted from 1 January of the evaluation year, inclusive."""
    start, due, done = (day_numbers(dates[idx]) for dates in (rows.year_start, rows.t_deadline, rows.a_date))
    return due - start + 1, done - start + 1


def day_numbers(dates: np.ndarray) -> np.ndarray:
    """Each date as its day number (NaN for none), each distinct date converted once."""
    return map_unique(dates, lambda day: float(day.toordinal()), dtype=float, missing=np.nan)


@method("时限",
        met=("达成", "实际 {date} 不晚于时限 {deadline}，得满分 {weight}分"),
        late=(None, "逾期：计划工期 {planned}天 ÷ 实际工期 {days}天 × {weight}分 = {score}分（工期自 {start} 起算；"
                    "未给扣分规则，按工期比例计分）"))
def deadline(rows: Rows, idx: np.ndarray, rules: RuleBook) -> Result:
    """On or before the deadline: full. Late: planned ÷ actual duration from 1 January, like a 反向 indicator."""
    planned, days = durations(rows, idx)
    met = days <= planned
    share = np.where(met, 1.0, planned / np.maximum(days, 1))
    return Result(np.clip(share, 0.0, 1.0), choose(met, "met", "late"),
                  {"planned": planned.astype(int), "days": days.astype(int),
                   "start": map_unique(rows.year_start[idx], date.isoformat),
                   "deadline": map_unique(rows.t_deadline[idx], date.isoformat),
                   "date": map_unique(rows.a_date[idx], date.isoformat)})


@method("评分标准",
        met=("达成", "按评分标准“{rule}”：{detail}，得满分 {weight}分"),
        missed=(None, "按评分标准“{rule}”：{detail} → {score}分"),
        between=("需复核", "按评分标准“{rule}”：{detail} → {score}分，需人工复核"))
def by_rule(rows: Rows, idx: np.ndarray, rules: RuleBook) -> Result:
    """The indicator's own 评(扣)分标准 (scoring/deductions), applied to the rows that share each rule."""
    share = np.zeros(len(idx))
    met, between = np.zeros(len(idx), bool), np.zeros(len(idx), bool)
    detail = np.empty(len(idx), dtype=object)
    rule_of = rows.rule_code[idx]
    planned, days, workdays = np.full(len(idx), np.nan), np.full(len(idx), np.nan), np.full(len(idx), np.nan)
    months, start = np.full(len(idx), np.nan), np.full(len(idx), np.nan)
    dated = rows.t_kind[idx] == "date"
    if dated.any():
        start[dated] = day_numbers(rows.year_start[idx[dated]])
        planned[dated], days[dated] = durations(rows, idx[dated])
        due, done = start[dated] + planned[dated] - 1, start[dated] + days[dated] - 1  # (day numbers)
        late_workdays, months[dated] = lateness_after(due, done)
        workdays[dated] = np.nan_to_num(late_workdays)  # (no completion date: none late)
    factor = map_unique(rows.unit[idx], lambda unit: unit_info(unit).factor, dtype=float, missing=np.nan)
    for code in np.unique(rule_of):
        rule = rows.rules[code]
        sub = np.flatnonzero(rule_of == code)
        rows_ = idx[sub]
        ctx = Context(weight=rows.weight[rows_], rule_weight=rows.rule_weight[rows_],
                      target=rows.t_value[rows_].astype(float),
                      actual=rows.a_value[rows_].astype(float), unit_factor=factor[sub],
                      percent=rows.t_percent[rows_].astype(bool), reverse=rows.direction[rows_] == "反向",
                      deadline=dated[sub], planned_days=planned[sub], actual_days=days[sub],
                      late_workdays=workdays[sub], late_months=months[sub], readings=rules.readings,
                      start_day=start[sub], unit_name=rows.unit[rows_],
                      reverse_linear=rules.reverse == "linear")
        applied = apply_rule(rule, ctx)
        share[sub], met[sub], detail[sub] = applied.share, applied.met, applied.explanation
        between[sub] = applied.uncovered
    outcome = np.array(["missed", "met", "between"], dtype=object)[met + 2 * between]
    return Result(share, outcome,
                  {"detail": detail, "rule": take([rule.text if rule else "" for rule in rows.rules], rule_of)})


@method("定性", person_scored=True,
        word=(None, "实际“{actual}”读作{reading}，按档次 {band}% × {weight}分 = {score}分"),
        step_met=("达成", "实际“{actual}”达到目标“{target_text}”的档次，得满分 {weight}分"),
        step_lower=("部分达成", "实际“{actual}”低于目标“{target_text}”的档次，部分达成，按档次 {band}% × {weight}分 "
                               "= {score}分"),
        same=("达成", "实际“{actual}”与目标一致，得满分 {weight}分"),
        graded=(None, "按评分标准“{rule}”：实际“{actual}”按“{grade}”计 → {score}分"))
def qualitative(rows: Rows, idx: np.ndarray, rules: RuleBook) -> Result:
    """定性: achievement words by the three bands; a step on the target's own scale: lower is 部分达成. Where the
    indicator's 评(扣)分标准 names grades (好:10分, 优秀得满分, 未完成不得分), the actual's grade earns what it says
    (`_graded`); a grade it does not name keeps the bands (the engine flags it)."""
    achievement = rows.a_achievement[idx]
    t_scale, a_scale = rows.t_scale[idx], rows.a_scale[idx]
    outcome = np.full(len(idx), "word", dtype=object)
    status = achievement.copy()
    for i in np.flatnonzero(achievement == None):  # noqa: E711 - object array
        t_step, a_step = t_scale[i], a_scale[i]
        if t_step is None or a_step is None:  # the same words as the target (dispatch checked it)
            outcome[i], status[i] = "same", "达成"
        elif a_step.rank >= t_step.rank:
            outcome[i], status[i] = "step_met", "达成"
        else:
            outcome[i], status[i] = "step_lower", "部分达成"
    share = np.array([rules.bands[s].default for s in status], dtype=float)
    fields = {"band": share * 100, "reading": status.copy()}
    points, grade_share, grade_text = _graded(rows, idx, a_scale, status)
    at = np.flatnonzero(grade_text != None)  # noqa: E711 - object array
    if len(at):
        weight = rows.rule_weight[idx[at]]
        with np.errstate(divide="ignore", invalid="ignore"):  # points of the 分值 the rule speaks of
            by_points = np.where(weight > 0, np.minimum(points[at] / weight, 1.0), 0.0)
        share[at] = np.where(np.isnan(points[at]), grade_share[at], by_points)
        outcome[at] = "graded"
        status[at] = choose(share[at] >= 1, "达成", None)  # None: by the score's band
        fields["grade"] = grade_text
        fields["rule"] = take([rule.text if rule else "" for rule in rows.rules], rows.rule_code[idx], missing="")
    return Result(share, outcome, fields, status=status)


def _graded(rows: Rows, idx: np.ndarray, a_scale: np.ndarray, status: np.ndarray) -> tuple[np.ndarray, ...]:
    """Per row, what its rule's grades give it (points, else NaN and a share of the 分值) and the clause that
    gives it (None where no grade does): the actual's step on its scale (较好), else its achievement (基本完成,
    or the bands' reading of a step: 部分达成), else `否则`."""
    picks, codes = named_grades(rows, idx, [a_scale, status], lambda step, said: (
        ([(step.scale, str(step.rank))] if step is not None else []) + [("achievement", said), ("otherwise",)]))
    points = take([np.nan if g is None or g.points is None else g.points for g in picks], codes, float, np.nan)
    share = take([0.0 if g is None else g.share for g in picks], codes, float, 0.0)
    return points, share, take([None if g is None else g.text for g in picks], codes)


def named_grades(rows: Rows, idx: np.ndarray, columns: list[np.ndarray],
                 keys: Callable[..., list[tuple]]) -> tuple[list, np.ndarray]:
    """The Grade (or None) each distinct rule and value combination of the rows idx earns: the first of
    keys(*values) its rule names; and per row its combination's code (-1 for a rule without grades). Once per
    distinct rule and values (Rule.grades: 较好:8分, 完成得满分 …)."""
    grades = [rule.grades if rule is not None else {} for rule in rows.rules] + [{}]  # (code -1: the last)
    sub = np.flatnonzero(np.array([bool(named) for named in grades])[rows.rule_code[idx]])
    codes = np.full(len(idx), -1, dtype=np.int64)
    if not len(sub):
        return [], codes
    codes[sub], combos = combine(rows.rule_code[idx[sub]], *(factorize(column[sub])[0] for column in columns))
    picks = []
    for i in sub[first_rows(codes[sub], len(combos))].tolist():
        named = grades[rows.rule_code[idx[i]]]
        picks.append(next((named[k] for k in keys(*(column[i] for column in columns)) if k in named), None))
    return picks, codes


@method("复合",
        met=("达成", "复合目标逐项计分，各项均达成：{parts}"),
        missed=(None, "复合目标逐项计分（{weight}分由各项等分），各项得分合计 {score}分：{parts}"))
def composite(rows: Rows, idx: np.ndarray, rules: RuleBook) -> Result:
    """Several conditions in one target: each part scored on its own with an equal share of the 分值 (shares
    that add up to it); the score is the sum of the parts' rounded scores, as the explanation lists them; a part
    for a person (需复核) makes the whole one."""
    met, review = rows.parts_met[idx].astype(bool), rows.parts_review[idx].astype(bool)
    status = np.where(review, "需复核", np.where(met, "达成", None)).astype(object)  # None: by the score's band
    return Result(np.where(met, 1.0, rows.parts_share[idx].astype(float)), choose(met, "met", "missed"),
                  {"parts": rows.parts_text[idx]}, status=status)


@method("未填报", missing=("未填报", "未填报实际完成值，得{score}分"))
def missing(rows: Rows, idx: np.ndarray, rules: RuleBook) -> Result:
    """No actual given: the rule set's share (0 by default)."""
    return Result(np.full(len(idx), rules.missing), np.full(len(idx), "missing", dtype=object))


@method("不适用", excluded=("不适用", "不适用，不计分；原分值 {declared}分按比例分给{others}"),
        excluded_default=("不适用", "不适用，不计分；其默认分值按比例分给{others}"))
def not_applicable(rows: Rows, idx: np.ndarray, rules: RuleBook) -> Result:
    """Not applicable: excluded; the weights step gives its points back to the other indicators (a declared
    分值 is named; a default share is not a number the goals gave)."""
    return Result(np.zeros(len(idx)), choose(rows.declared[idx], "excluded", "excluded_default"))


@method("需复核", person_scored=True, review=("需复核", "需复核：{reason}；未计分，请人工评分（可在实际值文件的 得分 列填写）"))
def review(rows: Rows, idx: np.ndarray, rules: RuleBook) -> Result:
    """What the engine cannot read or compare: no points until a person scores it."""
    return Result(np.zeros(len(idx)), np.full(len(idx), "review", dtype=object))


PERSON = Outcome(None, "按填报得分 {score}分（{band_range}）")
