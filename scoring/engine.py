"""Pure, vectorised scoring of an indicator frame under a RuleBook.

Each distinct target and actual string is parsed once and each distinct unit converted once; the rows
are then scored with numpy, method by method (methods.py). Explanations are formatted last, from the
rounded scores, so the text shows the numbers the table prints.
"""
from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

import numpy as np
import pandas as pd

from . import direction, weights
from .deductions import SUB_DAY, Rule, counts_time, parse_rule
from .errors import InputError, UnitError
from .language import normalise
from .methods import METHODS, PERSON, Rows, day_numbers, named_grades
from .model import Codes
from .rounding import format_fixed, format_number, from_units, to_units
from .rulebook import RuleBook
from .texts import Coded, coded, compile_template, fill
from .uniques import ColumnCodes, Equals, choose, combine, combined_codes, factorize, first_rows, map_unique, take
from .units import unit_info
from .values import excel_date, parse_actual, parse_target

_DISPLAY_UNITS = {"百分比": "%", "比例": "%", "percent": "%", "百分点": "%", "个百分点": "%"}


def score_frame(frame: pd.DataFrame, rules: RuleBook, source: str, place: Callable[[int], str],
                codes: Mapping[str, Codes] | None = None) -> pd.DataFrame:
    """Score every indicator of `frame` (inputs.match output; `place` names an actuals line in a message;
    `codes`: the columns the readers factorized). Returns the frame with the table columns."""

    def where(i: int) -> str:  # the place a message about row i names
        return place(int(frame["line"].iat[i])) or source

    columns = ColumnCodes(frame, codes)
    parsed = _parse(frame, columns, rules, where)
    rows = parsed.rows
    chosen, reasons = _dispatch(rows, frame, parsed, rules)
    projects = columns("project_no")[0]
    weight, exact = weights.declared_or_shared(frame, columns, projects, rules, source)
    rows.rule_weight = frame["rule_weight"].to_numpy(dtype=float) if "rule_weight" in frame else weight  # (parts)
    rows.weight = weights.scale_back(weight, exact, chosen == "不适用", projects, rules.digits)
    flags: defaultdict[int, list[str]] = defaultdict(list)  # only the rows that have some
    _merge_flags(flags, _by_rule(rows, chosen))
    method_is = Equals(chosen)  # the methods are final from here on
    _merge_flags(flags, _score_parts(frame, np.flatnonzero(method_is("复合")), parsed.t("parts"),
                                     parsed.a("parts"), rows, rules, source, place))

    share, score_units, outcome, status, extra = _apply_methods(rows, method_is, rules)
    graded = np.zeros(len(outcome), bool)  # 定性 rows scored by the grades of their rule (before a person's score)
    qualitative = np.flatnonzero(method_is("定性"))
    graded[qualitative] = outcome[qualitative] == "graded"
    extra["reason"] = reasons
    extra["band_range"] = _apply_person_scores(frame, chosen, rows.weight, score_units, outcome, status, flags,
                                               rules, where)
    unread = _per_rule(rows, lambda rule: bool(rule.unread)) & ~method_is("不适用")
    status[unread] = "需复核"
    score = from_units(score_units, rules.digits)

    blank_note = columns.map("note", lambda note: not str(note).strip(), dtype=bool, missing=True)
    _flag_overshoot(flags, method_is, ~parsed.t_is("date"), rows, rules, blank_note)
    _flag_outside_range(flags, method_is, parsed.ranged, rows, parsed.t_low, parsed.t_upper)
    shared = flags.setdefault(_EVERY, [])  # (after each row's own flags, in this order)
    shared.append(((share < 1) & _per_rule(rows, lambda rule: rule.discretionary), "评分标准含“酌情扣分”，扣分需人工判定"))
    shared.append(((share < 1) & method_is("评分标准") & _per_rule(rows, lambda rule: bool(rule.void)),
                   "评分标准自相矛盾：“逾期不得分”使其逐步扣分永不适用，需人工复核"))
    shared.append((method_is("定性") & _per_rule(rows, lambda rule: bool(rule.grades)) & ~graded,
                   "评分标准未列出实际完成值所在档次，按默认档次计分，需人工复核"))
    best_points = _per_rule(rows, lambda rule: rule.best[0], dtype=float, missing=np.nan)  # NaN: none
    best_share = _per_rule(rows, lambda rule: rule.best[1], dtype=float, missing=np.nan)
    with np.errstate(divide="ignore", invalid="ignore"):
        best = np.fmax(best_points / np.where(rows.rule_weight > 0, rows.rule_weight, np.nan), best_share)
    shared.append(((method_is("评分标准") | graded) & (np.abs(best - 1) > 1e-9),
                   "评分标准最高一档所计分数与指标分值不一致，按档次所计分数计分，需人工复核"))
    full_units = to_units(rows.weight, rules.digits)
    short = (score_units < full_units) & ~method_is("不适用")  # domain.md: a 偏差原因 wherever 得分 < 分值
    shared.append((short & blank_note, NEEDS_REASON))
    rounded_up = (status == "部分达成") & (share < 1 - 1e-12) & (score_units >= full_units) & (full_units > 0)
    shared.append((rounded_up, "未达到目标，得分经四舍五入为满分，请核对"))  # 9.9999 → 10.00
    spared = (status == "部分达成") & (share >= 1 - 1e-12) & method_is("评分标准") & (full_units > 0)
    shared.append((spared, "未达到满分条件，按评分标准未扣分，得满分，请核对"))  # 91% of ≥95%, 每降低5%: no whole step
    reached, missed = _against_target(rows, method_is("评分标准"))
    shared.append((reached & (score_units < full_units),  # 92% of ≥90% under a line of 95
                   MET_BUT_SHORT))
    shared.append((missed & ~parsed.ranged & (score_units >= full_units) & (status == "达成"),  # 1 August under 9月底前完成得满分 on 6月底前
                   MISSED_BUT_FULL))
    explanation = _explain(frame, method_is, outcome, status, rows.weight, score, rules, extra, parsed)
    scored = {"weight": rows.weight, "score": score, "score_units": score_units, "share": share, "status": status,
              "explanation": explanation, "method": chosen, "flags": _joined(flags, len(frame)),
              "direction": np.where(parsed.t_is("quantitative"), rows.direction, "").astype(object)}
    # Text stays in object arrays, as it came in: pandas 3 would convert each to its str dtype
    return frame.assign(**{key: pd.Series(values, index=frame.index, dtype=values.dtype, copy=False)
                           for key, values in scored.items()})


@dataclass
class _Parsed:
    """The frame read: the Rows the methods work on, and what the explanations need besides."""

    rows: Rows
    t_is: Equals  # t_is("date"): the rows whose target is a date
    a_is: Equals
    t_codes: np.ndarray  # the distinct target (and year) of each row
    a_codes: np.ndarray
    t: Callable[[str], np.ndarray]  # an attribute of each row's Target
    a: Callable[[str], np.ndarray]  # an attribute of each row's Actual
    t_unit: np.ndarray
    a_unit: np.ndarray
    shown_unit: np.ndarray  # the unit the explanation speaks in (the target's, else the actual's)
    t_unit_code: np.ndarray  # a code per distinct target unit (-1: none), per row
    shown_unit_code: np.ndarray  # a code per distinct shown unit, per row (equal units may have two codes)
    ranged: np.ndarray
    t_low: np.ndarray  # a range's ends in base units
    t_upper: np.ndarray


def _parse(frame: pd.DataFrame, columns: ColumnCodes, rules: RuleBook, where: Callable[[int], str]) -> _Parsed:
    """Parse each distinct target, actual and rule once; convert each distinct unit once; build Rows."""
    n = len(frame)
    years = columns.map("year", int, dtype=np.int64, missing=0)  # 0: none given
    targets, t_codes = _parse_unique(parse_target, columns("target"), years)
    actuals, a_codes = _parse_unique(parse_actual, columns("actual"), years)

    taken: dict[tuple, np.ndarray] = {}  # each attribute spread over the rows once, however often asked for

    def t(attr: str, dtype: Any = object) -> np.ndarray:
        if ("t", attr, dtype) not in taken:
            taken["t", attr, dtype] = _take(targets, attr, t_codes, dtype)
        return taken["t", attr, dtype]

    def a(attr: str, dtype: Any = object) -> np.ndarray:
        if ("a", attr, dtype) not in taken:
            taken["a", attr, dtype] = _take(actuals, attr, a_codes, dtype)
        return taken["a", attr, dtype]

    t_kind, a_kind, t_unit, a_unit, a_date = t("kind"), a("kind"), t("unit"), a("unit"), a("date")
    t_is = Equals.spread([p.kind for p in targets], t_codes)
    a_is = Equals.spread([p.kind for p in actuals], a_codes)
    t_units, a_units = _attr_codes(targets, "unit", t_codes), _attr_codes(actuals, "unit", a_codes)
    bare_numbers_by_deadlines = t_is("date") & a_is("quantitative") & (a_units[0] < 0)
    a_is.assign(_serial_dates(bare_numbers_by_deadlines, a_kind, a("number"), a_date, years), "date")
    quantities = t_is("quantitative") & a_is("quantitative")
    t_low, a_base, t_scale, t_factor, t_percent = _to_base(
        (t("number", float), t_units, t("multiplier", float)), (a("number", float), a_units, a("multiplier", float)),
        quantities, frame, where)
    t_upper = t("upper", float) * t_scale
    directions = direction.resolve(columns("direction_given"), _attr_codes(targets, "direction", t_codes), columns,
                                   rules)
    ranged = t("op") == "range"
    # A range reads as "at least its lower end" (正向) or "at most its upper end" (反向).
    t_base = np.where(ranged & (directions == "反向"), t_upper, t_low)
    year_start = map_unique(years, lambda y: date(int(y), 1, 1) if y else None)
    deadlines = t("deadline")
    with_deadline = _attr_codes(targets, "deadline", t_codes)[0] >= 0
    for i in np.flatnonzero((years == 0) & with_deadline):
        year_start[i] = deadlines[i].replace(month=1, day=1)  # a deadline's own year, without one given
    empty = np.full(n, None, dtype=object)
    t_unit_code, a_unit_code = t_units[0], a_units[0]
    shown_unit = np.where(t_unit_code < 0, a_unit, t_unit)  # what values are shown and a rule's steps counted in
    rows = Rows(
        t_kind=t_kind, t_op=t("op"), t_base=t_base, t_deadline=deadlines, t_scale=t("scale"),
        t_level=t("level"), a_kind=a_kind, a_base=a_base, a_date=a_date, a_scale=a("scale"),
        a_achievement=a("achievement"), year_start=year_start, direction=directions,
        parts_share=empty.copy(), parts_met=empty.copy(), parts_review=empty.copy(), parts_text=empty.copy(),
        t_value=t_base / t_factor, a_value=a_base / t_factor, t_percent=t_percent,
        weight=np.zeros(n), rule_weight=np.zeros(n), declared=~np.isnan(frame["weight_declared"].to_numpy(dtype=float)), unit=shown_unit,
        **_parse_rules(columns("rule")),
    )
    shown_unit_code = np.where(t_unit_code >= 0, t_unit_code, t_unit_code.max(initial=0) + 2 + a_unit_code)
    return _Parsed(rows, t_is, a_is, t_codes, a_codes, t, a, t_unit, a_unit, shown_unit, t_unit_code,
                   shown_unit_code, ranged, t_low, t_upper)


def _apply_methods(rows: Rows, method_is: Equals, rules: RuleBook) -> tuple[np.ndarray, ...]:
    """Run each scoring method on its rows: share of the 分值, the score in units of the rule set's digits,
    outcome, status, and the explanation fields."""
    codes = method_is.codes
    n = len(codes)
    share = np.zeros(n)
    outcome = np.empty(n, dtype=object)
    status = np.empty(n, dtype=object)
    extra: dict[str, np.ndarray] = {}
    for code, name in enumerate(method_is.uniques):
        idx = np.flatnonzero(codes == code)
        result = METHODS[name].apply(rows, idx, rules)
        share[idx], outcome[idx] = result.share, result.outcome
        for key, values in result.fields.items():
            extra.setdefault(key, np.empty(n, dtype=object))[idx] = values
        if result.status is not None:
            status[idx] = result.status
        else:
            outcome_codes, outcomes = factorize(result.outcome)
            status[idx] = take([METHODS[name].outcomes[o].status for o in outcomes], outcome_codes)
    # A missed target's band: 部分达成 where the share reaches the edge, or the score as printed does (5.9996
    # prints 6.00, 60% of 10); exactly 60% of 4.32 stays 部分达成 though it prints 2.59 (of 2.592)
    score_units = to_units(share * rows.weight, rules.digits)
    needs_band = np.flatnonzero(pd.isna(status))
    partial, got, weight = rules.bands["部分达成"].low, share[needs_band], rows.weight[needs_band]
    printed = from_units(score_units[needs_band], rules.digits)
    reaches = (got >= partial) | ((weight > 0) & (printed >= partial * weight - 1e-9))  # (a 分值 of 0 prints 0)
    status[needs_band] = choose(reaches, "部分达成", "未达成")
    return share, score_units, outcome, status, extra


def _apply_person_scores(frame, chosen, weight, score_units, outcome, status, flags, rules: RuleBook,
                         where: Callable[[int], str]) -> np.ndarray:
    """A person's score decides where the method is a human call (定性 by the bands, 需复核); elsewhere (a 定性
    row its rule's grades score too) it is checked.
    Returns, per row, the band the person's score fell in (for the explanation)."""
    person = frame["person_score"].to_numpy(dtype=float)
    band_range = np.full(len(person), None, dtype=object)
    for i in np.flatnonzero(~np.isnan(person)):
        if not METHODS[chosen[i]].person_scored or outcome[i] == "graded":  # (a rule's grade is no human call)
            if to_units(person[i], rules.digits) != score_units[i]:
                computed = format_fixed(from_units(score_units[i], rules.digits), rules.digits)
                flags[i].append(f"填报得分 {format_number(person[i])}分与计算得分 {computed}分不一致")
            continue
        if person[i] > weight[i] + 1e-9:
            raise InputError(f"得分 {format_number(person[i])} of '{frame['level3'].iat[i]}' is above its "
                             f"分值 {format_number(weight[i])}", where=where(i))
        band = _band_status(np.array([person[i] / weight[i] if weight[i] else 0.0]), rules)[0]
        if chosen[i] == "定性" and band != status[i]:
            flags[i].append(f"填报得分在“{band}”档，实际完成值读作“{status[i]}”")
        score_units[i] = to_units(person[i], rules.digits)
        outcome[i], status[i] = "person", band
        edges = rules.bands[band]
        band_range[i] = f"{band}档 [{format_number(edges.low * 100)}%, {format_number(edges.high * 100)}%]"
    return band_range


_EVERY = -1  # flags[_EVERY]: (mask, message) pairs, a flag many rows share, kept as one mask
NEEDS_REASON = "得分低于分值，须填写偏差原因分析及改进措施"  # the flag of a score below its 分值 without a 偏差原因


def _joined(flags: dict[int, list], rows: int) -> np.ndarray:
    """The flags of each row, joined with "；" (the row's own first, then the shared ones)."""
    column = np.full(rows, "", dtype=object)
    for i, texts in flags.items():
        if i != _EVERY:
            column[i] = "；".join(texts)
    for mask, message in flags.get(_EVERY, []):
        idx = np.flatnonzero(mask)
        column[idx] = np.where(column[idx] == "", message, column[idx] + ("；" + message))
    return column


def _merge_flags(flags: dict[int, list[str]], more: dict[int, list[str]]) -> None:
    for i, texts in more.items():
        flags[i].extend(texts)


def _serial_dates(candidates: np.ndarray, a_kind, a_number, a_date, years) -> np.ndarray:
    """A bare whole number against a deadline (the `candidates` mask) is an Excel serial date (44561 =
    2021-12-31): read it so. Returns the rows read so."""
    read = []
    for i in np.flatnonzero(candidates):
        when = excel_date(a_number[i], int(years[i]) or None)
        if when is not None:
            a_kind[i], a_date[i] = "date", when
            read.append(i)
    return np.array(read, dtype=np.int64)


def _parse_rules(texts: Codes) -> dict[str, Any]:
    """Each distinct 评(扣)分标准 read once (`texts`: the rule column factorized): the Rules, and per row the
    code of its Rule (-1 without one)."""
    codes, uniques = texts
    rules = [parse_rule(text) if str(text).strip() else None for text in uniques]
    given = np.array([i if rule is not None else -1 for i, rule in enumerate(rules)] + [-1], dtype=np.int64)
    return {"rule_code": given[codes], "rules": rules}


def _against_target(rows: Rows, where: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Of the rows `where`, those whose quantity or date meets the target itself, and those that miss it (a rule
    may draw another line or band: 3% against ≤3% under `3%以下得10分，3%-5%得6分`; 9月底前完成得满分 on 6月底前);
    a row of neither is not compared (a word, a range)."""
    met, missed = np.zeros(len(where), dtype=bool), np.zeros(len(where), dtype=bool)
    idx = np.flatnonzero(where & (rows.t_kind == "quantitative") & (rows.a_kind == "quantitative"))
    actual, target = rows.a_base[idx], rows.t_base[idx]
    met[idx] = np.where(rows.direction[idx] == "反向", actual <= target + 1e-9, actual >= target - 1e-9)
    missed[idx] = ~met[idx]
    dated = np.flatnonzero(where & (rows.t_kind == "date") & (rows.a_kind == "date"))
    met[dated] = day_numbers(rows.a_date[dated]) <= day_numbers(rows.t_deadline[dated])
    missed[dated] = ~met[dated]
    return met, missed


def _per_rule(rows: Rows, test: Callable[[Any], Any], dtype: Any = bool, missing: Any = False) -> np.ndarray:
    """test(rule) of each row's Rule (`missing` without one), once per distinct rule."""
    values = [missing if rule is None else test(rule) for rule in rows.rules] + [missing]
    return np.array(values, dtype=dtype)[rows.rule_code]


_RULE_METHODS = ("正向", "反向", "反向线性", "零目标", "时限")
MET_BUT_SHORT = "已达到年度指标值，但按评分标准未得满分，请核对"  # (audit reads these two)
MISSED_BUT_FULL = "未达到年度指标值，但按评分标准得满分，请核对"
_LATE_ON_FORWARD = "评分标准按逾期（超出时限）计分，该指标为正向指标（不足不是逾期），按默认方法计分，需人工复核"
_UNGRADED = "评分标准按等级计分（如“较好:8分”），只适用于定性指标；本指标按其余规则或默认方法计分，需人工复核"


def _by_rule(rows: Rows, chosen: np.ndarray) -> dict[int, list[str]]:
    """Send the rows whose 评(扣)分标准 can score them to the 评分标准 method; flag the others.

    A rule with a clause that cannot be read leaves the default method in place (the row becomes 需复核); a
    rule about quantities says nothing about a 定性 indicator (its grades do: 好:10分, 未完成不得分, scored by the
    定性 method), and grades nothing about a number; nor does a rule whose steps count a unit the row is not
    counted in (Rule.counts_on, on `rows.unit`: 每延迟一天 on a %, 每少一项 on a %). (酌情扣分 is flagged once the
    score is known.)"""
    flags: dict[int, list[str]] = {}
    codes, rules = rows.rule_code, rows.rules
    scored_by_default = Equals(chosen)(*_RULE_METHODS)
    deadline = chosen == "时限"
    for code, rule in enumerate(rules):
        if rule is None:
            continue
        idx = np.flatnonzero((codes == code) & (chosen != "不适用"))
        if rule.unread:
            quoted = "”“".join(rule.unread)
            flags.update({i: [f"评分标准中“{quoted}”无法判读，按默认方法计分，需人工复核"] for i in idx})
            continue
        graded = (chosen[idx] == "定性") & bool(rule.grades)  # 好:10分, 未完成不得分 on a 定性 indicator
        if rule.applicable:
            forward = rule.measures_lateness & ~deadline[idx] & (rows.direction[idx] != "反向")  # 逾期… on ≥30天
            counted = _counts_on(rule, rows.unit[idx], deadline[idx])
            fits = counted & ~forward
            unpriced = (chosen[idx] == "零目标") & (not rule.prices_occurrences)  # domain.md: only a price per
            chosen[idx[scored_by_default[idx] & fits & ~unpriced]] = "评分标准"  # occurrence scores a zero target
            flags.update({i: ["评分标准不适用于该指标的实际完成值，按默认方法计分"]  # (a composite's parts say it)
                          for i in idx[~scored_by_default[idx] & ~graded & (chosen[idx] != "复合")]})
            flags.update({i: ["目标为 0，评分标准未规定每发生一次扣多少分，按零目标计分"]
                          for i in idx[scored_by_default[idx] & fits & unpriced]})
            unfitting = scored_by_default[idx] & ~fits
            unfit = idx[unfitting]
            said = np.where(deadline[unfit], _unfit(rule, None, deadline=True),
                            map_unique(rows.unit[unfit], lambda unit: _unfit(rule, unit), missing=_unfit(rule, None)))
            said = np.where(counted[unfitting], _LATE_ON_FORWARD, said)  # its units fit, the direction does not
            flags.update({i: [text] for i, text in zip(unfit.tolist(), said.tolist())})
        if "grade" in rule.kinds:  # 较好:8分 on a number says nothing
            for i in idx[scored_by_default[idx]].tolist():
                flags.setdefault(i, []).append(_UNGRADED)
    return flags


def _counts_on(rule: Rule, units: np.ndarray, deadline: np.ndarray) -> np.ndarray:
    """Per row, whether the rule's steps can count on it, asked once per distinct unit."""
    if not rule.units and not rule.measures_lateness and not rule.dated:
        return np.ones(len(units), dtype=bool)
    by_unit = map_unique(units, lambda unit: rule.counts_on(unit, False), dtype=bool,
                         missing=rule.counts_on(None, False))
    return np.where(deadline, rule.counts_on(None, True), by_unit)


def _unfit(rule: Rule, row_unit: str | None, deadline: bool = False) -> str:
    """The flag of a row (in `row_unit`; a deadline) the rule's steps cannot count on."""
    if rule.dated and not deadline:  # 6月底前完成得满分 on a %
        return "评分标准按完成日期计分，该指标不是时限，按默认方法计分，需人工复核"
    counted = sorted(rule.units - {"%"})  # a % step counts on any row
    if deadline and SUB_DAY & set(counted):  # 每超过1小时 on a deadline: a date gives days, not hours
        return (f"评分标准按“{'、'.join(counted)}”计扣分，该指标得不出小时数（时限只记日期），按默认方法计分，"
                "需人工复核")
    if all(counts_time(unit) for unit in counted):
        if row_unit is not None and counts_time(row_unit):  # 每超过1天 on ≤5个工作日: no calendar to convert by
            return (f"评分标准按“{'、'.join(counted)}”计扣分，该指标以“{row_unit.removeprefix('个')}”计，两者无法换算，"
                    "按默认方法计分，需人工复核")
        return "评分标准按天（月）计扣分，该指标既非时限也不以天计，按默认方法计分，需人工复核"
    return f"评分标准按“{'、'.join(counted)}”计扣分，该指标的实际完成值不以此计，按默认方法计分，需人工复核"


def _parse_unique(parse, texts: Codes, years: np.ndarray) -> tuple[list, np.ndarray]:
    """Parse each distinct (text, year) once (texts: codes and distinct texts); codes map rows to the parsed
    values."""
    text_codes, text_values = texts
    year_codes, year_values = factorize(years)
    codes, pairs = combine(text_codes, year_codes)
    return [parse(text_values[t] if t >= 0 else None, int(year_values[y]) or None) for t, y in pairs], codes


def _attr_codes(parsed: list, attr: str, codes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per row, a code of an attribute of its parsed value (-1 where None), and the attribute's distinct
    values: the distinct values coded once, not the rows."""
    attr_codes, values = factorize(np.array([getattr(p, attr) for p in parsed] + [None], dtype=object))
    return attr_codes[codes], values


def _take(parsed: list, attr: str, codes: np.ndarray, dtype: Any = object) -> np.ndarray:
    """An attribute of the parsed values, per row (None becomes NaN in a float array)."""
    values = [getattr(p, attr) for p in parsed]
    if dtype is float:
        values = [np.nan if v is None else v for v in values]
    return np.asarray(values, dtype=dtype)[codes] if len(codes) else np.empty(0, dtype=dtype)


def _to_base(target, actual, both_quantities, frame, where) -> tuple[np.ndarray, ...]:
    """Target and actual in base units, the target number's factor, the factor of the unit the values are shown
    in, and whether it is a percentage. Each side comes as (number, (unit code per row, distinct units),
    multiplier). A side without a unit is read in the other side's unit; one whose number carries its own 万/亿
    (45万 against ≥50万元) in the other side's unit without its 万/亿 (元)."""
    (t_number, (t_code, t_units), t_multiplied), (a_number, (a_code, a_units), a_multiplied) = target, actual
    t_factor, t_dim, t_percent, t_unprefixed = _unit_columns(t_code, t_units)
    a_factor, a_dim, a_percent, a_unprefixed = _unit_columns(a_code, a_units)
    t_has, a_has = t_code >= 0, a_code >= 0
    clash = both_quantities & t_has & a_has & (t_dim != a_dim)
    if clash.any():
        i = np.flatnonzero(clash)[0]
        raise UnitError(f"indicator {frame['id'].iat[i]} '{frame['level3'].iat[i]}': actual unit "
                        f"'{a_units[a_code[i]]}' cannot be compared with target unit '{t_units[t_code[i]]}'",
                        where=where(i))
    shown = np.where(t_has, t_factor, a_factor)
    t_scale = np.where(t_has | np.isnan(t_multiplied), shown, a_unprefixed)
    a_scale = np.where(a_has, a_factor, np.where(np.isnan(a_multiplied), t_factor, t_unprefixed))
    percent = np.where(t_has, t_percent, a_percent).astype(bool)
    return t_number * t_scale, a_number * a_scale, t_scale, shown, percent


def _unit_columns(codes: np.ndarray, uniques: np.ndarray) -> tuple[np.ndarray, ...]:
    """Factor to base units, dimension, percent-ness and the factor without a 万/亿 prefix, per row (code -1:
    no unit), from one pint look-up per distinct unit."""
    infos = [unit_info(u) for u in uniques]
    factor = np.append(np.array([i.factor for i in infos], dtype=float), 1.0)
    dim = np.append(np.array([i.dimension for i in infos], dtype=object), None)
    percent = np.append(np.array([i.is_percent for i in infos], dtype=bool), False)
    unprefixed = np.append(np.array([i.unprefixed_factor for i in infos], dtype=float), 1.0)
    return factor[codes], dim[codes], percent[codes], unprefixed[codes]


def _dispatch(rows: Rows, frame: pd.DataFrame, parsed: _Parsed,
              rules: RuleBook) -> tuple[np.ndarray, np.ndarray]:
    """The method for each row, and the reason where it is 需复核."""
    tk, ak, t, a, t_is, a_is = rows.t_kind, rows.a_kind, parsed.t, parsed.a, parsed.t_is, parsed.a_is
    quant = t_is("quantitative") & a_is("quantitative")
    zero = quant & (rows.t_base == 0) & (rows.direction == "反向")
    reverse = "反向" if rules.reverse == "ratio" else "反向线性"
    qual_target = t_is("qualitative")
    qual = np.flatnonzero(qual_target)
    comparable = np.zeros(len(tk), dtype=bool)
    comparable[qual] = (ak[qual] == "qualitative") & _same_scale(rows.t_scale[qual], rows.a_scale[qual])
    comparable[qual] |= (ak[qual] == "qualitative") & _grade_named(  # 较好 against 显著提升, 较好:8分
        rows, qual, rows.a_scale, lambda step: (step.scale, str(step.rank)))
    achieved = np.flatnonzero(t_is("quantitative") & a_is("achievement"))
    graded_number = np.zeros(len(tk), dtype=bool)  # 已完成 against ≥100件, 完成得满分
    graded_number[achieved] = _grade_named(rows, achieved, rows.a_achievement, lambda said: ("achievement", said))
    same_words = np.zeros(len(tk), dtype=bool)
    same_words[qual] = ~comparable[qual] & _same_text(t("level")[qual], frame["target"].to_numpy(dtype=object)[qual],
                                                      frame["actual"].to_numpy(dtype=object)[qual])
    composite = np.flatnonzero(t_is("composite") & a_is("composite"))
    parts_match = np.zeros(len(tk), dtype=bool)
    parts_match[composite] = [len(t("parts")[i]) == len(a("parts")[i]) for i in composite]
    # a ratio of a negative target or actual means nothing (-3% of -5%): unless met, a person scores it
    with np.errstate(invalid="ignore"):
        met = np.where(rows.direction == "正向", rows.a_base >= rows.t_base, rows.a_base <= rows.t_base)
        negative = quant & ((rows.t_base < 0) | (rows.a_base < 0)) & ~met
    conditions = [
        a_is("not_applicable"), a_is("empty"), t_is("unreadable"), same_words, a_is("unreadable"), negative,
        zero, quant & (rows.direction == "正向"), quant,
        t_is("date") & a_is("date"),
        t_is("date", "qualitative", "composite") & a_is("achievement") | graded_number,
        comparable, parts_match,
    ]
    choices = ["不适用", "未填报", "需复核", "定性", "需复核", "需复核", "零目标", "正向", reverse, "时限", "定性", "定性",
               "复合"]
    chosen = np.array(choices + ["需复核"], dtype=object)[np.select(conditions, range(len(choices)), len(choices))]

    reasons = np.full(len(tk), "", dtype=object)
    texts_t, texts_a = frame["target"].to_numpy(), frame["actual"].to_numpy()
    t_reason, a_reason = t("reason"), a("reason")
    for i in np.flatnonzero(chosen == "需复核"):
        if negative[i]:
            reasons[i] = f"目标“{texts_t[i]}”或实际完成值“{texts_a[i]}”为负数，未达成时不能按比例计分"
        elif tk[i] == "unreadable":
            reasons[i] = f"目标“{texts_t[i]}”无法判读（{t_reason[i]}）"
        elif ak[i] == "unreadable":
            reasons[i] = f"实际完成值“{texts_a[i]}”无法判读（{a_reason[i]}）"
        elif tk[i] == "composite":
            reasons[i] = (f"复合目标“{texts_t[i]}”有 {len(t('parts')[i])} 项，实际完成值应逐项填报（用“、”分隔，"
                          "与目标各项一一对应）")
        elif tk[i] == "quantitative":
            reasons[i] = f"实际完成值“{texts_a[i]}”不是数量，无法与目标“{texts_t[i]}”比较"
        elif tk[i] == "date":
            reasons[i] = f"实际完成值“{texts_a[i]}”不是完成日期，无法与时限“{texts_t[i]}”比较"
        else:
            reasons[i] = f"实际完成值“{texts_a[i]}”与定性目标“{texts_t[i]}”不在同一评价尺度"
    return chosen, reasons


def _score_parts(frame, idx, t_parts, a_parts, rows: Rows, rules: RuleBook, source: str, place) -> dict:
    """Score each condition of the composite rows `idx` as an indicator of its own with an equal share of the
    分值; fill rows.parts_*; return the flags of the parts per row."""
    if not len(idx):
        return {}
    counts = np.array([len(t_parts[i]) for i in idx])  # dispatch sent only rows with as many actual parts
    owners = np.repeat(idx, counts)
    starts = np.cumsum(counts) - counts
    number = np.arange(len(owners)) - np.repeat(starts, counts) + 1
    pairs = [(tp.text, ap.text) for i in idx for tp, ap in zip(t_parts[i], a_parts[i])]
    owner_rows = frame.iloc[owners].reset_index(drop=True)
    texts = {"id": [f"{ident}-{j}" for ident, j in zip(owner_rows["id"].tolist(), number.tolist())],
             "target": [tp for tp, _ in pairs], "actual": [ap for _, ap in pairs],
             "direction_given": [None] * len(owners)}
    # equal shares of the 分值 that add up to it (7 → 3.5 + 3.5; 10 → 3.34 + 3.33 + 3.33)
    part_weight = weights.apportion(rows.weight[owners] / np.repeat(counts, counts),
                                    np.repeat(np.arange(len(idx)), counts), rows.weight[owners], rules.digits)
    parts = score_frame(owner_rows.assign(  # each composite its own project: a 不适用 part's points go to its
        project_no=np.repeat(np.arange(len(idx)), counts),  # own other parts, not to another composite's
        person_score=np.nan, weight_declared=part_weight, others="本指标其余各项",  # (a 不适用 part's points)
        rule_weight=np.repeat(rows.rule_weight[idx], counts),  # a band's 计8分 is of the whole indicator's 分值
        **{key: pd.Series(np.array(values, dtype=object), dtype=object) for key, values in texts.items()}),
        rules, source, place)
    status = parts["status"].to_numpy(dtype=object)
    share, met = parts["share"].to_numpy(), (status == "达成") | (status == "不适用")  # 不适用: its points moved
    explanations = parts["explanation"].tolist()
    part_flags = parts["flags"].tolist()
    flags = {}
    # the composite scores the sum of its parts' rounded scores, so that its explanation adds up
    total = from_units(np.add.reduceat(parts["score_units"].to_numpy(), starts), rules.digits)
    with np.errstate(divide="ignore", invalid="ignore"):
        rows.parts_share[idx] = np.where(rows.weight[idx] > 0, total / rows.weight[idx],
                                         np.add.reduceat(share, starts) / counts).tolist()
    rows.parts_met[idx] = np.logical_and.reduceat(met, starts).tolist()
    rows.parts_review[idx] = np.logical_or.reduceat(status == "需复核", starts).tolist()
    for i, start, stop in zip(idx.tolist(), starts.tolist(), (starts + counts).tolist()):
        rows.parts_text[i] = "；".join(f"{_CIRCLED[j]}{text}" for j, text in enumerate(explanations[start:stop]))
        said = (f for text in part_flags[start:stop] for f in text.split("；") if f and "偏差原因" not in f)
        flags[i] = list(dict.fromkeys(said))  # each once, as the parts first say it
    return flags


_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"


def _grade_named(rows: Rows, idx: np.ndarray, values: np.ndarray, key: Callable[[Any], tuple]) -> np.ndarray:
    """Per row of idx, whether its 评(扣)分标准 names the grade key(value) of its actual: its step (较好:8分, the
    actual 较好, on another scale than the target's) or its achievement (完成得满分, the actual 已完成, against a
    number): then the rule's grades score it. Once per distinct rule and value, on the rows of a rule with grades."""
    picks, codes = named_grades(rows, idx, [values[idx]], lambda value: [key(value)] if value is not None else [])
    return take([grade is not None for grade in picks], codes, dtype=bool, missing=False)


def _same_scale(t_scale: np.ndarray, a_scale: np.ndarray) -> np.ndarray:
    scale = map_unique(t_scale, lambda level: level.scale, missing="")
    return (scale != "") & (scale == map_unique(a_scale, lambda level: level.scale, missing="\x00"))


def _same_text(levels: np.ndarray, targets: np.ndarray, actuals: np.ndarray) -> np.ndarray:
    """An actual that says exactly what the qualitative target says (its level, or its whole text) meets it."""
    actual = map_unique(actuals, normalise, missing="")
    return (actual != "") & ((actual == map_unique(targets, normalise, missing="")) |
                             (actual == map_unique(levels, normalise, missing="")))


def _band_status(share: np.ndarray, rules: RuleBook) -> np.ndarray:
    """The band a share falls in."""
    partial, achieved = rules.bands["部分达成"].low, rules.bands["达成"].low
    band = (share >= partial).astype(np.intp) + (share >= achieved)  # (the 达成 band starts above the 部分达成 one)
    return np.array(["未达成", "部分达成", "达成"], dtype=object)[band]


def _flag_overshoot(flags: dict[int, list[str]], method_is: Equals, not_date: np.ndarray, rows: Rows,
                    rules: RuleBook, blank_note: np.ndarray) -> None:
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = rows.a_base / rows.t_base
    positive = method_is("正向") | (method_is("评分标准") & (rows.direction == "正向") & not_date)
    over = positive & (rows.t_base > 0) & (ratio >= rules.overshoot - 1e-12)
    if rules.overshoot_note:
        over &= blank_note
    for i in np.flatnonzero(over):
        flags[i].append(f"实际为目标的 {format_fixed(ratio[i] * 100, 2)}%（≥{format_number(rules.overshoot * 100)}%），"
                        "超额完成，需说明偏离原因")


def _flag_outside_range(flags, method_is: Equals, ranged, rows: Rows, low: np.ndarray, high: np.ndarray) -> None:
    above = ranged & method_is("正向") & (rows.a_base > high)
    below = ranged & method_is("反向", "反向线性") & (rows.a_base < low)
    for i in np.flatnonzero(above):
        flags[i].append("实际高于目标区间上限，需说明偏离原因")
    for i in np.flatnonzero(below):
        flags[i].append("实际低于目标区间下限，需说明偏离原因")


def _explain(frame, method_is: Equals, outcome, status, weight, score, rules, extra, parsed: _Parsed) -> np.ndarray:
    """One line per indicator, with the arithmetic, from the rounded scores. Each distinct actual, target and
    number is formatted once, and each distinct combination of them is one str.format (texts.fill)."""
    texts_t, texts_a = frame["target"].to_numpy(dtype=object), frame["actual"].to_numpy(dtype=object)
    whole = {  # fields of all rows, each computed when a template first asks for it
        "actual": lambda: _per_combination(lambda idx: _shown_actuals(idx, parsed, texts_a), parsed.a_codes,
                                           parsed.t_unit_code),
        "target": lambda: _per_combination(lambda idx: _shown_targets(idx, parsed, texts_t), parsed.t_codes,
                                           parsed.shown_unit_code, factorize(parsed.rows.direction)[0]),
        "others": lambda: (coded(frame["others"].to_numpy(dtype=object)) if "others" in frame.columns  # (parts)
                           else Coded(np.zeros(len(frame), dtype=np.int64), np.array(["其余指标", ""], dtype=object))),
    }
    per_row = {"weight": weight, "score": score, "target_text": texts_t, "status": status, **extra}
    declared = frame["weight_declared"].to_numpy(dtype=float)

    def field(key: str, idx: np.ndarray) -> Coded:
        if key in whole:
            if key not in columns:
                columns[key] = whole[key]()
            return Coded(columns[key].codes[idx], columns[key].texts)
        if key == "declared":
            return coded(declared[idx], missing="默认")
        return coded(per_row[key][idx])

    columns: dict[str, Coded] = {}
    lines = np.empty(len(outcome), dtype=object)
    method_codes, names = method_is.codes, method_is.uniques
    outcome_codes, results = factorize(outcome)
    keys, pairs = combine(method_codes, outcome_codes)
    for code, (m, o) in enumerate(pairs):
        name, result = names[m], results[o]
        idx = np.flatnonzero(keys == code)
        template = PERSON.template if result == "person" else METHODS[name].outcomes[result].template
        lines[idx] = fill(template, len(idx), {key: field(key, idx) for key in compile_template(template)[1]})
    return lines


def _per_combination(describe, *codes: np.ndarray) -> Coded:
    """describe(rows) for one row of each distinct combination of codes (a text per row given), as a Coded
    field of all rows."""
    combined = combined_codes(*codes)
    return Coded(combined, np.array(describe(first_rows(combined)) + [""], dtype=object))


def _shown_targets(idx: np.ndarray, parsed: _Parsed, texts_t) -> list[str]:
    """The targets of rows idx as the explanations print them: a quantity in its shown unit, else as written."""
    rows = parsed.rows
    return [str(text) if kind != "quantitative" or math.isnan(base) else
            format_number(base / (unit_info(unit).factor if unit else 1.0)) + _DISPLAY_UNITS.get(unit, unit or "")
            for kind, base, unit, text in zip(rows.t_kind[idx].tolist(), rows.t_base[idx].tolist(),
                                              parsed.shown_unit[idx].tolist(), texts_t[idx].tolist())]


def _shown_actuals(idx: np.ndarray, parsed: _Parsed, texts_a) -> list[str]:
    """The actuals of rows idx as the explanations print them: a quantity in the target's unit (and in its
    own, where that differs), else as written."""
    rows = parsed.rows
    columns = (rows.a_kind, rows.a_base, rows.a_value, parsed.shown_unit, parsed.t_unit, parsed.a_unit, texts_a)
    return [_shown_actual(*values) for values in zip(*(column[idx].tolist() for column in columns))]


def _shown_actual(kind: str, base: float, value: float, unit: str | None, t_unit: str | None, a_unit: str | None,
                  text: object) -> str:
    if kind != "quantitative" or math.isnan(base):
        return str(text)
    unit = unit or ""
    shown_as = _DISPLAY_UNITS.get(unit, unit)
    in_target_unit = format_number(value) + shown_as
    if a_unit is not None and t_unit is not None and _DISPLAY_UNITS.get(a_unit, a_unit) != shown_as:
        own = unit_info(a_unit).factor
        return f"{format_number(base / own)}{_DISPLAY_UNITS.get(a_unit, a_unit)}（合 {in_target_unit}）"
    return in_target_unit
