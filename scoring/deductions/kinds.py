"""The kinds of clause, each registered with its patterns and explanation template next to the code that
applies it (as pandera registers a check with its message). Their order is the order they are tried in."""
from __future__ import annotations

import math

import numpy as np

from ..rounding import format_number, from_units, to_units
from ..rule_dates import RuleDate, add_workdays, dates_of, lateness_after
from ..texts import Coded, shown
from ..uniques import choose, combined_codes, first_rows, map_unique
from ..units import unit_info
from .clause import Clause, as_text, counts_things, counts_time, of_lateness, step_verb
from .context import Context, Effect
from .registry import fill_kind, rule_kind, taken_share, taken_text
from .words import (CALENDAR, CALENDAR_READINGS, COUNTS, DEVIATION, EXCESS, HAPPENED, MEASURES_SHORTFALL, MONEY,
                    NONE_AT_ALL, OF_TARGET, PERCENT_UNITS, STRICT, SUB_DAY, TIME, WHOLE_DAYS, WORKDAYS)


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
    elif NONE_AT_ALL.fullmatch(clause.get("words") or ""):  # 零投诉得满分: none, on a row counting what happened
        ctx.reference = np.where(ctx.reverse & ~ctx.deadline & (ctx.percent | _counts_things_rows(ctx)), 0.0,
                                 ctx.reference)
    elif clause.get("value") is not None and of_lateness(clause) and counts_time(clause.get("unit") or "%"):
        _grace(ctx, clause)  # 逾期5天以内得满分: late by up to 5 days is on time
    elif clause.get("value") is not None:
        subject = clause.get("subject") or ""
        _set_threshold(ctx, clause.get("value"), clause.get("unit"), of_target=bool(OF_TARGET.search(subject)))
        ctx.strict = any(subject.endswith(w) and not subject[:-len(w)].endswith("不") for w in STRICT)  # (不高于)
    elif clause.get("tolerance") is not None:  # what is met, not the line the other clauses measure from
        tolerance = clause.get("tolerance") / 100  # (≤5% with 偏差率在5%以内: the row's own line, restated)
        ctx.tolerance = np.where(_restates(ctx, clause.get("tolerance")), 0.0, tolerance)
    return None


def _unit_of_things(unit: str | None) -> bool:
    """Whether a row in `unit` counts things (件, 次, 起, 宗, 条 …: one of a kind each), not money, time or %."""
    if unit is None:
        return False
    info = unit_info(unit)
    return info.factor == 1 and not info.is_percent and info.dimension not in (*TIME, MONEY)


def _counts_things_rows(ctx: Context) -> np.ndarray:
    return map_unique(ctx.unit_name, _unit_of_things, dtype=bool, missing=False)


def _past_grace(ctx: Context, unit: str) -> np.ndarray:
    """On a deadline, working days or calendar months (in `unit`) from the end of the grace to the completion."""
    start = ctx.start_day
    workdays, months = lateness_after(start + ctx.planned_days + ctx.grace - 1, start + ctx.actual_days - 1)
    return months / CALENDAR[unit] if unit in CALENDAR else workdays


def _grace(ctx: Context, clause: Clause) -> None:
    """逾期5天以内得满分 / 超时1小时以内得满分: late by up to that much is still full (Context.grace): on a deadline
    in days or working days after it (hours cannot move a date), on a duration (≤30天) beyond its limit. The
    steps count from there; bands and zero conditions of how late (逾期5-10天) still count from the deadline."""
    unit, grace = clause.get("unit"), clause.get("value")
    if unit in SUB_DAY:
        on_deadline = np.zeros(len(ctx.target))
    elif unit_info(unit).dimension == WORKDAYS:
        start = ctx.start_day
        due = start + ctx.planned_days - 1
        on_deadline = add_workdays(due, grace) - due
    else:
        on_deadline = np.full(len(ctx.target), grace * unit_info(unit).factor / unit_info("天").factor)
    ctx.grace = np.nan_to_num(np.where(ctx.deadline, on_deadline, np.where(ctx.reverse, threshold_of(ctx, grace, unit),
                                                                               0.0)))
    within = (ctx.shortfall > 1e-9) & (ctx.shortfall <= ctx.grace + 1e-9)
    ctx.moved = np.where(within, f"按评分标准“{clause.text}”视为按时", ctx.moved)


def _restates(ctx: Context, percent: float) -> np.ndarray:
    """The rows that are themselves a 反向 rate the rule's 偏差率/误差率 X% speaks of: `≤5%` with 偏差率在5%以内
    (预算偏差率 as the indicator), or beyond it (偏差率超过10%不得分 on ≤5%): the rate itself is measured."""
    return ctx.reverse & ctx.percent & ~ctx.deadline & (ctx.target <= percent + 1e-9)


def _set_threshold(ctx: Context, value: float, unit: str | None, of_target: bool = False) -> None:
    ctx.reference = np.where(ctx.deadline, ctx.reference, threshold_of(ctx, value, unit, of_target))


def threshold_of(ctx: Context, value: float, unit: str | None, of_target: bool = False) -> np.ndarray:
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
    if verb in EXCESS:  # counts what lies beyond the line
        gap = np.where(ctx.deadline, gap, np.clip(ctx.actual - line, 0, None))
    elif verb in DEVIATION and ctx.readings["deviation"] == "both":
        gap = np.where(ctx.deadline, gap, np.abs(ctx.actual - line))
    gap = np.clip(gap - ctx.grace, 0, None)  # 逾期5天以内得满分，每延期1天扣1分: steps from the 6th day
    rows = len(gap)
    readings = []
    gap_unit: np.ndarray | str = unit
    if unit in PERCENT_UNITS:
        points = ctx.percent & ((unit != "%") | (ctx.readings["percent_steps"] == "points"))
        with np.errstate(divide="ignore", invalid="ignore"):
            relative = np.where(ctx.deadline, gap / ctx.planned_days, gap / np.abs(ctx.target)) * 100
            gap = np.where(points & ~ctx.deadline, gap, relative)  # a deadline: days late of the planned duration
        readings.append((np.where(ctx.deadline, 1, np.where(points, 0, 2)),
                         ["按百分点", "按逾期天数占计划工期的百分比", "按相对目标值的百分比"]))
        gap_unit = choose(points, "个百分点", "%")
    else:
        gap = ctx.in_unit(gap, unit)
        if np.any(ctx.grace) and (unit in CALENDAR or unit_info(unit).dimension == WORKDAYS):
            gap = np.where(ctx.deadline, _past_grace(ctx, unit), gap)  # 逾期5天以内得满分，每延迟一个月…
        if unit in CALENDAR:
            on_deadline, by_days = CALENDAR_READINGS[CALENDAR[unit]]
            readings.append((ctx.deadline.astype(np.intp), [by_days, "按日历月计：" + on_deadline]))
    counting = "started" if ctx.started else ctx.readings["partial_steps"]
    exact = np.nan_to_num(gap / n)
    counted = {"started": np.ceil(exact - 1e-9), "whole": np.floor(exact + 1e-9), "exact": exact}[counting]
    deduction = counted * taken_share(clause, ctx)
    readings.append((np.zeros(rows, dtype=np.intp), [_COUNTING[counting]]))
    per = taken_text(clause)
    shown_gap = from_units(to_units(gap, 2), 2) if unit in CALENDAR else gap  # months: whole plus a share, half up
    shown_verb = "" if counts_things(clause) else verb  # 每1项扣1分
    notes = fill_kind("step", clause, ~ctx.met, verb=shown_verb, n=as_text(n), gap=shown_gap, gap_unit=gap_unit,
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
        elif unit and unit not in PERCENT_UNITS:  # 低于24个月 on a row in 年: the actual in the clause's unit
            measure = np.where(ctx.deadline, ctx.actual, ctx.in_unit(ctx.actual, unit))
        else:
            measure = ctx.actual
        zero = measure <= x + 1e-9 if edge else measure < x - 1e-9
        what, word, basis = np.where(by_value | (unit != "%"), "实际值", "完成率"), "不高于" if edge else "低于", ""
    else:
        short = bool(MEASURES_SHORTFALL.search(clause.get("subject") or ""))  # 降低超过20%: how far below
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
    notes = fill_kind("zero", clause, zero, what=what, op=word, basis=basis, unit=unit or "", reading=reading)
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
        if ctx.measures_lateness(clause):  # 逾期超过5天: beyond the limit (not a rule's line)
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
    if unit is None or unit in PERCENT_UNITS or ctx.measures_lateness(clause):
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
    points_text = as_text(points) + "分" if points is not None else as_text(clause.get("share")) + "%分值"
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
    if ((unit in COUNTS or late and unit in WHOLE_DAYS) and lo is not None and hi is not None and not hiinc and float(hi).is_integer()
            and hi not in ctx.band_lows):
        hiinc = True  # 8-9个计8分 beside 10个及以上: 9 is in it (no band starts at 9), 8 too; 逾期1-5天 alike
    by_ratio = (~ctx.percent | ctx.bands_of_target) & bool(clause.get("lopct") or clause.get("hipct"))
    with np.errstate(divide="ignore", invalid="ignore"):  # the completion ratio is actual ÷ target, 反向 too
        ratio = np.where(ctx.reverse, ctx.actual / ctx.target, ctx.ratio)
        measure = _band_measure(ctx, ctx.actual, ratio, by_ratio, unit, ctx.lateness, late)
        line = _band_measure(ctx, ctx.reference, np.where(ctx.deadline, 1.0, ctx.reference / ctx.target), by_ratio,
                             unit, np.zeros(len(measure)) + ctx.grace, late)  # where the rule's full line falls

    def reaches_low(values: np.ndarray) -> np.ndarray:
        everywhere = np.ones(len(values), bool)
        return everywhere if lo is None else values > lo + 1e-9 if lower_open else values >= lo - 1e-9

    def inside(values: np.ndarray) -> np.ndarray:
        under_high = True if hi is None else values <= hi + 1e-9 if hiinc else values < hi - 1e-9
        return reaches_low(values) & under_high

    holds = inside(measure)
    share = np.where(holds, worth, np.nan)
    below = ~reaches_low(measure)
    above = np.zeros(len(measure), bool) if hi is None else measure >= hi - 1e-9
    in_percent = ctx.percent | by_ratio
    notes = fill_kind("band", clause, holds, band=choose(in_percent, _edges(clause, "%"), _edges(clause, unit or "")),
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
    notes = fill_kind("band", clause, holds, what="完成于", actual=dates_of(done, ctx.start_day), band=band,
                  points=points_text)
    return Effect(band=np.where(holds, worth, np.nan), notes=notes, below=ctx.deadline & (done <= lo),
                  above=ctx.deadline & (done > day), worth=worth, late=True)


def _late_unit(ctx: Context) -> np.ndarray:
    """The unit lateness is shown in where the rule names none (逾期完成): days on a deadline, else the row's."""
    return np.where(ctx.deadline, "天", map_unique(ctx.unit_name, str, missing="")).astype(object)


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
        return Effect(zero=zero, notes=fill_kind("late", clause, zero, what=f"晚于{when.text}完成"))
    zero = ~ctx.met
    return Effect(zero=zero, notes=fill_kind("late", clause, zero, what="逾期（晚于时限）"))


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
        return Effect(zero=zero, notes=fill_kind("unmet", clause, zero, what="低于目标值"))
    if word in HAPPENED:  # 超支不得分, 发生重大事故不得分: over a 反向 line counting things or money
        unfit = ~ctx.reverse | ctx.deadline | ctx.percent
        zero = ~ctx.met & ~unfit
        return Effect(zero=zero, notes=fill_kind("unmet", clause, zero, what=word), unfit=unfit)
    if ctx.partial:  # beside steps, bands, 按比例: nothing done, which only a 正向 count or amount can be
        zero = ~ctx.met & ~ctx.reverse & ~ctx.deadline & (ctx.actual <= 0)
        return Effect(zero=zero, notes=fill_kind("unmet", clause, zero, what=f"{word}（完成率为0）"))
    zero = ~ctx.met
    return Effect(zero=zero, notes=fill_kind("unmet", clause, zero, what="未达到满分条件" if word == "否则" else word))


@rule_kind("flat",
           r"{PLAIN_SUBJECT}(?P<lead>低于|不足|未达到|小于|超过|高于|大于)(?P<base>{NUM})%的?,?{DEDUCT}",
           r"{PLAIN_SUBJECT}(?:未按时|未按期|未达到?|未完成|未达标|未达成)(?:完成)?(?:年度)?(?:目标值?|指标值?)?的?,?"
           r"{DEDUCT}",
           explain="未达到扣{per}")
def flat_deduction(clause: Clause, ctx: Context) -> Effect:
    """未按时完成扣5分 / 未达到目标值扣2分: the points (or share of the 分值) once, on a row short of its line."""
    missed = ~ctx.met if ctx.step_line is None else ctx.step_shortfall > 1e-9  # (below a lead-in line)
    return Effect(deduction=np.where(missed, taken_share(clause, ctx), 0.0),
                  notes=fill_kind("flat", clause, missed, per=taken_text(clause)))


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
    return Effect(limit=np.broadcast_to(taken_share(clause, ctx), ctx.weight.shape).astype(float))


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
