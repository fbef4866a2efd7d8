"""Applying a rule to its rows: met → full; bands → their points; else the steps, the completion ratio or the
default method; a zero condition overrides; caps and notes."""
from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from ..rule_dates import RuleDate
from ..uniques import choose
from .clause import Clause, late_at_all, step_verb
from .context import Context, Effect
from .kinds import threshold_of
from .registry import KINDS, fill_kind, taken_text
from .rule import Rule
from .words import DEVIATION, EXCESS, LATENESS, OF_TARGET, OVER_LINE


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
    ctx.bands_of_target = any(c.kind == "band" and OF_TARGET.search(c.get("subject") or "") for c in rule.clauses)
    ctx.exact = ctx.readings["deviation"] == "both" and any(
        c.kind == "step" and step_verb(c) in DEVIATION for c in rule.clauses)
    full_line = any(c.kind == "full" and (c.get("value") is not None or c.get("tolerance") is not None)
                    for c in rule.clauses)
    misfits = []
    for clause in rule.clauses:
        if kinds[clause.kind].setup:
            kinds[clause.kind].apply(clause, ctx)
            continue
        if clause.get("base") is None:
            continue
        over = clause.get("lead") in OVER_LINE  # 超过5%的 speaks of a 反向 rate, 低于90%的 of a 正向 row
        misfit = ~ctx.deadline & ((ctx.reverse != over) | (over & ~ctx.percent))  # (a deadline keeps its date)
        if misfit.any():
            misfits.append((clause, misfit))
        if full_line:  # 95%以上得满分，低于90%的，每降低…: steps from 90
            ctx.step_line = np.where(misfit | ctx.deadline, ctx.reference, threshold_of(ctx, clause.get("base"), "%"))
        else:  # 低于100%每1%扣2分: the step names its own full-score line
            ctx.reference = np.where(misfit | ctx.deadline, ctx.reference, threshold_of(ctx, clause.get("base"), "%"))
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
        if all(step_verb(c) in EXCESS for c, e in effects if e.deduction is not None):
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
        void = choose(np.any([e.zero for c, e in effects if late_at_all(c)], axis=0) & ~met, _void(rule), "")
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
    full = any(c.kind == "full" and (c.when is not None or c.get("deadline")) or late_at_all(c) or c.get("ontime")
               or c.kind == "step" and step_verb(c) in LATENESS for c in rule.clauses)  # (每延迟…: on time is full)
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
    return True if not subject or OF_TARGET.search(subject) or "完成" in subject else ctx.percent


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
    texts = np.array([taken_text(c) for c, _ in limits], dtype=object)
    return caps.min(axis=0), texts[caps.argmin(axis=0)]


def _limited(limits: list[tuple[Clause, np.ndarray]], deducted: np.ndarray, shown_on: np.ndarray,
             ctx: Context) -> tuple[np.ndarray, np.ndarray | None]:
    """The deductions (shares of the 分值) held to the 最多扣N分 caps, the smallest on each row; the note of
    that cap on the rows where it binds."""
    if not limits:
        return deducted, None
    most, text = _caps(limits)
    notes = fill_kind("limit", limits[0][0], (deducted > most + 1e-9) & shown_on, limit=text,
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
