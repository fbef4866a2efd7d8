"""Pure, vectorised scoring of an indicator frame under a RuleBook.

Each distinct target and actual string is parsed once and each distinct unit converted once; the rows
are then scored with numpy, method by method (methods.py). Explanations are formatted last, from the
rounded scores, so the text shows the numbers the table prints.
"""
from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd

from . import direction, methods, weights
from .errors import InputError, UnitError
from .language import normalise
from .methods import METHODS, PERSON, Rows
from .rounding import format_fixed, format_number, from_units, to_units
from .rulebook import RuleBook
from .units import unit_info
from .values import excel_date, parse_actual, parse_target

_DISPLAY_UNITS = {"百分比": "%", "比例": "%", "percent": "%", "百分点": "%", "个百分点": "%"}


def score_frame(frame: pd.DataFrame, rules: RuleBook, source: str) -> pd.DataFrame:
    """Score every indicator of `frame` (inputs.match output). Returns the frame with the table columns."""
    n = len(frame)
    years = frame["year"].astype("Int64").fillna(0).astype(int).to_numpy()
    targets, t_codes = _parse_unique(parse_target, frame["target"].to_numpy(), years)
    actuals, a_codes = _parse_unique(parse_actual, frame["actual"].to_numpy(), years)

    def t(attr: str) -> np.ndarray:
        return _take(targets, attr, t_codes)

    def a(attr: str) -> np.ndarray:
        return _take(actuals, attr, a_codes)

    t_kind, a_kind = t("kind"), a("kind")
    t_unit, a_unit = t("unit"), a("unit")
    a_date = a("date")
    _serial_dates(t_kind, a_kind, a("number"), a_unit, a_date, years)
    quantities = (t_kind == "quantitative") & (a_kind == "quantitative")
    t_base, a_base, t_factor = _to_base(t("number"), t_unit, a("number"), a_unit, quantities, frame)
    t_upper = _numbers(t("upper")) * t_factor
    directions = direction.resolve(frame["direction_given"], t("direction"), frame, rules)
    ranged = t("op") == "range"
    # A range reads as "at least its lower end" (正向) or "at most its upper end" (反向).
    t_base = np.where(ranged & (directions == "反向"), t_upper, t_base)
    shown_unit = np.where(pd.isna(t_unit), a_unit, t_unit)
    empty = np.full(n, None, dtype=object)
    rows = Rows(
        t_kind=t_kind, t_op=t("op"), t_base=t_base, t_deadline=t("deadline"), t_scale=t("scale"),
        t_level=t("level"), a_kind=a_kind, a_base=a_base, a_date=a_date, a_scale=a("scale"),
        a_achievement=a("achievement"),
        year_start=np.array([date(y, 1, 1) if y else None for y in years], dtype=object),
        direction=directions, parts_share=empty.copy(), parts_met=empty.copy(), parts_text=empty.copy(),
    )
    start_missing = pd.isna(rows.year_start)
    if start_missing.any():  # a deadline with its own year counts from 1 January of that year
        rows.year_start[start_missing] = [d.replace(month=1, day=1) if d is not None else None
                                         for d in rows.t_deadline[start_missing]]
    chosen, reasons = _dispatch(rows, frame, t, a, rules)

    weight = weights.declared_or_shared(frame, rules, source)
    weight = weights.scale_back(weight, chosen == "不适用", frame["project"].to_numpy(), rules.digits)

    part_flags = _score_parts(frame, np.flatnonzero(chosen == "复合"), t("parts"), a("parts"), weight, rows,
                              rules, source)

    share = np.zeros(n)
    outcome = np.empty(n, dtype=object)
    status = np.empty(n, dtype=object)
    extra: dict[str, np.ndarray] = {"reason": reasons}
    for name in pd.unique(chosen):
        idx = np.flatnonzero(chosen == name)
        result = METHODS[name].apply(rows, idx, rules)
        share[idx], outcome[idx] = result.share, result.outcome
        for key, values in result.fields.items():
            extra.setdefault(key, np.empty(n, dtype=object))[idx] = values
        status[idx] = result.status if result.status is not None else [
            METHODS[name].outcomes[o].status for o in result.outcome]
    score_units = to_units(share * weight, rules.digits)
    needs_band = pd.isna(status)
    status[needs_band] = _band_status(share[needs_band], rules, below_full_only=True)

    person = frame["person_score"].to_numpy(dtype=float)
    flags = [list(part_flags.get(i, [])) for i in range(n)]
    person_rows = np.flatnonzero(~np.isnan(person))
    for i in person_rows:
        computed = format_fixed(from_units(score_units[i], rules.digits), rules.digits)
        if not METHODS[chosen[i]].person_scored:
            if to_units(person[i], rules.digits) != score_units[i]:
                flags[i].append(f"填报得分 {format_number(person[i])}分与计算得分 {computed}分不一致")
            continue
        if person[i] > weight[i] + 1e-9:
            raise InputError(f"得分 {format_number(person[i])} of '{frame['level3'].iat[i]}' is above its "
                             f"分值 {format_number(weight[i])}", where=frame["where"].iat[i])
        band = _band_status(np.array([person[i] / weight[i] if weight[i] else 0.0]), rules)[0]
        if chosen[i] == "定性" and band != status[i]:
            flags[i].append(f"填报得分在“{band}”档，实际完成值读作“{status[i]}”")
        score_units[i] = to_units(person[i], rules.digits)
        outcome[i], status[i] = "person", band

    score = from_units(score_units, rules.digits)
    _flag_overshoot(flags, chosen, rows, rules)
    _flag_outside_range(flags, chosen, ranged, rows, _numbers(t("number")) * t_factor, t_upper)
    notes = frame["note"].to_numpy()
    for i in np.flatnonzero((score_units < to_units(weight, rules.digits)) & (chosen != "不适用")):
        if not str(notes[i]).strip():
            flags[i].append("得分低于分值，须填写偏差原因分析及改进措施")

    explanation = _explain(frame, chosen, outcome, status, weight, score, rules, extra,
                           t_unit, a_unit, shown_unit, rows)
    table = frame.copy()
    table["weight"] = weight
    table["score"] = score
    table["score_units"] = score_units
    table["share"] = share
    table["status"] = status
    table["explanation"] = explanation
    table["method"] = chosen
    table["direction"] = np.where(t_kind == "quantitative", rows.direction, "")
    table["flags"] = ["；".join(f) for f in flags]
    return table


def _serial_dates(t_kind, a_kind, a_number, a_unit, a_date, years) -> None:
    """A bare whole number against a deadline is an Excel serial date (44561 = 2021-12-31): read it so."""
    candidates = np.flatnonzero((t_kind == "date") & (a_kind == "quantitative") & pd.isna(a_unit))
    for i in candidates:
        when = excel_date(a_number[i], int(years[i]) or None)
        if when is not None:
            a_kind[i], a_date[i] = "date", when


def _parse_unique(parse, texts: np.ndarray, years: np.ndarray) -> tuple[list, np.ndarray]:
    """Parse each distinct (text, year) once; codes map rows to the parsed values."""
    codes, uniques = pd.factorize(pd.MultiIndex.from_arrays([pd.Index(texts, dtype=object), years]))
    return [parse(text, int(year) or None) for text, year in uniques], codes


def _take(parsed: list, attr: str, codes: np.ndarray) -> np.ndarray:
    values = np.empty(len(parsed), dtype=object)
    values[:] = [getattr(p, attr) for p in parsed]
    return values[codes] if len(codes) else values[:0]


def _to_base(t_number, t_unit, a_number, a_unit, both_quantities, frame) -> tuple[np.ndarray, ...]:
    """Target and actual in base units, and the target's factor. A side without a unit is read in the other
    side's unit."""
    t_factor, t_dim = _unit_columns(t_unit)
    a_factor, a_dim = _unit_columns(a_unit)
    t_has, a_has = ~pd.isna(t_unit), ~pd.isna(a_unit)
    clash = both_quantities & t_has & a_has & (t_dim != a_dim)
    if clash.any():
        i = np.flatnonzero(clash)[0]
        raise UnitError(f"indicator {frame['id'].iat[i]} '{frame['level3'].iat[i]}': actual unit "
                        f"'{a_unit[i]}' cannot be compared with target unit '{t_unit[i]}'", where=frame["where"].iat[i])
    t_scale = np.where(t_has, t_factor, a_factor)
    a_base = _numbers(a_number) * np.where(a_has, a_factor, t_factor)
    return _numbers(t_number) * t_scale, a_base, t_scale


def _unit_columns(units: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    codes, uniques = pd.factorize(pd.Index(units, dtype=object))  # None → code -1
    infos = [unit_info(u) for u in uniques]
    factor = np.append(np.array([i.factor for i in infos], dtype=float), 1.0)
    dim = np.append(np.array([i.dimension for i in infos], dtype=object), None)
    return factor[codes], dim[codes]


def _numbers(values: np.ndarray) -> np.ndarray:
    return np.array([np.nan if v is None else v for v in values], dtype=float)


def _dispatch(rows: Rows, frame: pd.DataFrame, t, a, rules: RuleBook) -> tuple[np.ndarray, np.ndarray]:
    """The method for each row, and the reason where it is 需复核."""
    tk, ak = rows.t_kind, rows.a_kind
    quant = (tk == "quantitative") & (ak == "quantitative")
    zero = quant & (rows.t_base == 0) & (rows.direction == "反向")
    reverse = "反向" if rules.reverse == "ratio" else "反向线性"
    qual_target = tk == "qualitative"
    comparable = qual_target & (ak == "qualitative") & _same_scale(rows.t_scale, rows.a_scale)
    same_words = qual_target & (ak == "qualitative") & ~comparable & _same_text(t("level"), frame["actual"])
    parts_match = (tk == "composite") & (ak == "composite") & np.array(
        [len(tp) == len(ap) for tp, ap in zip(t("parts"), a("parts"))], dtype=bool)
    conditions = [
        ak == "not_applicable", ak == "empty", tk == "unreadable", ak == "unreadable",
        zero, quant & (rows.direction == "正向"), quant,
        (tk == "date") & (ak == "date"),
        ((tk == "date") | qual_target | (tk == "composite")) & (ak == "achievement"),
        comparable | same_words, parts_match,
    ]
    choices = ["不适用", "未填报", "需复核", "需复核", "零目标", "正向", reverse, "时限", "定性", "定性", "复合"]
    chosen = np.select(conditions, choices, default="需复核").astype(object)

    reasons = np.full(len(tk), "", dtype=object)
    texts_t, texts_a = frame["target"].to_numpy(), frame["actual"].to_numpy()
    t_reason, a_reason = t("reason"), a("reason")
    for i in np.flatnonzero(chosen == "需复核"):
        if tk[i] == "unreadable":
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


def _score_parts(frame, idx, t_parts, a_parts, weight, rows: Rows, rules: RuleBook, source: str) -> dict:
    """Score each condition of the composite rows `idx` as an indicator of its own with an equal share of the
    分值; fill rows.parts_*; return the flags of the parts per row."""
    if not len(idx):
        return {}
    records, owners = [], []
    for i in idx:
        k = len(t_parts[i])
        for j, (tp, ap) in enumerate(zip(t_parts[i], a_parts[i])):
            record = frame.iloc[i].to_dict()
            record.update(id=f"{record['id']}-{j + 1}", target=tp.text, actual=ap.text, person_score=np.nan,
                          weight_declared=weight[i] / k, direction_given=None)
            records.append(record)
            owners.append(i)
    parts = score_frame(pd.DataFrame.from_records(records), rules, source)
    parts["owner"] = owners
    flags = {}
    for i, group in parts.groupby("owner", sort=False):
        rows.parts_share[i] = group["share"].mean()
        rows.parts_met[i] = bool((group["status"] == "达成").all())
        rows.parts_text[i] = "；".join(f"{_CIRCLED[j]}{text}" for j, text in enumerate(group["explanation"]))
        flags[i] = [f for text in group["flags"] for f in text.split("；") if f and "偏差原因" not in f]
    return flags


_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"


def _same_scale(t_scale: np.ndarray, a_scale: np.ndarray) -> np.ndarray:
    return np.array([ts is not None and as_ is not None and ts.scale == as_.scale
                     for ts, as_ in zip(t_scale, a_scale)], dtype=bool)


def _same_text(levels: np.ndarray, actual: pd.Series) -> np.ndarray:
    return np.array([lv is not None and normalise(lv) == normalise(ac) for lv, ac in zip(levels, actual)],
                    dtype=bool)


def _band_status(share: np.ndarray, rules: RuleBook, below_full_only: bool = False) -> np.ndarray:
    """The band a share falls in. For a missed quantitative target, 达成 is not offered (it was not met)."""
    partial, achieved = rules.bands["部分达成"].low, rules.bands["达成"].low
    top = np.where(share >= partial, "部分达成", "未达成")
    if below_full_only:
        return top.astype(object)
    return np.where(share >= achieved, "达成", top).astype(object)


def _flag_overshoot(flags: list[list[str]], chosen: np.ndarray, rows: Rows, rules: RuleBook) -> None:
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = rows.a_base / rows.t_base
    over = (chosen == "正向") & (rows.t_base > 0) & (ratio >= rules.overshoot - 1e-12)
    for i in np.flatnonzero(over):
        flags[i].append(f"实际为目标的 {format_fixed(ratio[i] * 100, 2)}%（≥{format_number(rules.overshoot * 100)}%），"
                        "超额完成，需说明偏离原因")


def _flag_outside_range(flags, chosen, ranged, rows: Rows, low: np.ndarray, high: np.ndarray) -> None:
    above = ranged & (chosen == "正向") & (rows.a_base > high)
    below = ranged & np.isin(chosen, ("反向", "反向线性")) & (rows.a_base < low)
    for i in np.flatnonzero(above):
        flags[i].append("实际高于目标区间上限，需说明偏离原因")
    for i in np.flatnonzero(below):
        flags[i].append("实际低于目标区间下限，需说明偏离原因")


def _explain(frame, chosen, outcome, status, weight, score, rules, extra, t_unit, a_unit, shown_unit,
             rows) -> list[str]:
    """One line per indicator, with the arithmetic, from the rounded scores."""
    texts_t, texts_a = frame["target"].to_numpy(), frame["actual"].to_numpy()
    declared = frame["weight_declared"].to_numpy()
    lines = []
    for i in range(len(chosen)):
        method = METHODS[chosen[i]]
        template = PERSON.template if outcome[i] == "person" else method.outcomes[outcome[i]].template
        values = {
            "actual": _shown_actual(i, rows, t_unit, a_unit, shown_unit, texts_a),
            "target": _shown_target(i, rows, shown_unit, texts_t),
            "target_text": texts_t[i], "weight": format_number(weight[i]),
            "score": format_number(score[i]), "status": status[i],
            "declared": format_number(declared[i]) if declared[i] is not None and not pd.isna(declared[i])
            else "默认",
        }
        if outcome[i] == "person":
            band = rules.bands[status[i]]
            values["band_range"] = f"[{format_number(band.low * 100)}%, {format_number(band.high * 100)}%]"
        for key, column in extra.items():
            if column[i] is not None:
                values[key] = format_number(column[i]) if isinstance(column[i], float) else column[i]
        lines.append(template.format(**values))
    return lines


def _shown_target(i, rows: Rows, shown_unit, texts_t) -> str:
    if rows.t_kind[i] != "quantitative" or np.isnan(rows.t_base[i]):
        return str(texts_t[i])
    unit = shown_unit[i] or ""
    factor = unit_info(unit).factor if unit else 1.0
    return format_number(rows.t_base[i] / factor) + _DISPLAY_UNITS.get(unit, unit)


def _shown_actual(i, rows: Rows, t_unit, a_unit, shown_unit, texts_a) -> str:
    if rows.a_kind[i] != "quantitative" or np.isnan(rows.a_base[i]):
        return str(texts_a[i])
    unit = shown_unit[i] or ""
    factor = unit_info(unit).factor if unit else 1.0
    in_target_unit = format_number(rows.a_base[i] / factor) + _DISPLAY_UNITS.get(unit, unit)
    if a_unit[i] is not None and t_unit[i] is not None and a_unit[i] != t_unit[i]:
        own = unit_info(a_unit[i]).factor
        return f"{format_number(rows.a_base[i] / own)}{_DISPLAY_UNITS.get(a_unit[i], a_unit[i])}（合 {in_target_unit}）"
    return in_target_unit
