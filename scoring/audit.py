"""Audit published self-evaluations: recompute every score under a rule set and list each disagreement.

A published 自评表 is a goals file whose indicators also carry `actual`, `score` (as published) and `note`,
whose budget carries `executed` and `score` (and `rate` where printed), with top-level `total` and `grade`;
or the same as a long CSV/XLSX, one row per indicator (special rows 全年执行数, 总分, 评价等级). Each kind of
disagreement is registered with its message template (what auditors look for, domain.md).

Points are compared in integer millionths (never as floats), so a difference of exactly the tolerance passes
wherever it stands.
"""
from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from functools import lru_cache
from pathlib import Path
from typing import Any

import pandas as pd

from .budget import amount_in
from .engine import MET_BUT_SHORT, MISSED_BUT_FULL
from .errors import InputError, ScoringError
from .inputs import BUDGET_ROW_NAMES, decode_json, decode_text, goals_conform, read_bytes, read_table, validate_goals
from .inputs.actuals import written_header
from .language import (ACHIEVEMENT, NO_REASON_NOTES, NOT_APPLICABLE, NOTE_AFTER, NOTE_BEFORE, PUNCTUATION,
                       ZERO_WORDS, normalise, whole_word_level)
from .model import Evaluation, table_rows
from .rounding import format_fixed, format_number, unit_count
from .rulebook import GRADES, Band
from .scorer import RulesChoice, evaluate
from .uniques import map_unique
from .values import parse_actual, parse_target

AUDIT_COLUMNS = ["project", "id", "level3", "kind", "published", "expected", "message"]
_PUBLISHED_INDICATOR = ("actual", "score", "note")
_PUBLISHED_BUDGET = ("executed", "score", "rate")
_PUBLISHED_TOP = ("total", "grade")
_COMPARED_DIGITS = 6  # points are compared in units of 10**-6: exact for any printed score
_RATE_DIGITS = 6  # the most decimals of a printed percentage a rate is checked to
_Place = tuple[str, "_LongProject | None"]  # where a published project stands; a long table's project as read
_NOT_RECOMPUTED = ("需复核", "不适用")  # statuses the engine does not score itself
_ASKS_REASON = "需说明偏离原因"  # the engine's flag on an over-achievement or an actual outside a range target
# Clauses of a 偏差原因 that give no reason (language_zh.toml): "none" (无, 未发生), whole, or completion affirmed
# or not applicable (无偏差, 按计划完成, 已完成 and the other 达成 words, 不适用), also between the [notes] before and
# after words (本项目不适用; but 无相关工作 says what there was not: a reason).
# Compared upper-cased after normalise(), and without punctuation.
_NONE_CLAUSES = frozenset(word.upper() for word in ZERO_WORDS)
_AFFIRMATIONS = frozenset(word.upper() for word in NO_REASON_NOTES | NOT_APPLICABLE
                          | {word for word, status in ACHIEVEMENT.items() if status == "达成"})
_NOTE_BEFORE, _NOTE_AFTER = (tuple(word.upper() for word in words) for words in (NOTE_BEFORE, NOTE_AFTER))
_CLAUSE_BREAK = re.compile(r"[\s，,；;。！!？?、]+")  # between the clauses of a raw note ("/" of N/A is no break)


@dataclass(frozen=True)
class Kind:
    name: str
    label: str
    template: str


KINDS: dict[str, Kind] = {}


def _kind(name: str, label: str, template: str) -> None:
    KINDS[name] = Kind(name, label, template)


_kind("missed_full", "未达成却得满分", "目标 {target}，实际 {actual}：未达成年度指标值，却得满分 {published}分（按规则应得 {expected}分）")
_kind("ceiling_full", "突破上限却得满分", "上限 {target}，实际 {actual}：突破上限，却得满分 {published}分（按规则应得 {expected}分）")
_kind("above_weight", "得分超过分值", "得分 {published}分超过分值 {weight}分")
_kind("no_reason", "扣分未说明原因", "得分 {published}分低于分值 {weight}分，未填写偏差原因分析及改进措施")
_kind("reason_without_deduction", "有偏差说明却未扣分",
      "目标 {target}，实际 {actual}：达成且未扣分（满分 {published}分），偏差原因却写“{note}”")
_kind("band_mismatch", "定性得分不在其档次", "定性指标实际“{actual}”读作“{status}”（{range}），得分 {published}分不在此档")
_kind("score_differs", "得分与重算不符", "得分 {published}分，按规则重算为 {expected}分（{explanation}）")
_kind("rate_inconsistent", "执行率与金额不符", "执行率印为 {printed}，按金额 {executed} ÷ {full_year} 应为 {expected}")
_kind("budget_score_inconsistent", "预算得分与执行率不符", "预算执行得分 {published}分，按执行率应为 {expected}分")
_kind("total_not_sum", "总分不等于各项之和", "总分印为 {published}分，各项得分与预算得分合计 {added}分{basis}")
_kind("grade_mismatch", "等级与总分不符", "总分 {total}分{capped}应为“{expected}”，印为“{published}”")
_kind("unreadable", "无法判读", "{what}“{text}”无法判读，未能重算")
_kind("no_indicators", "没有指标行", "{file} 第 {lines} 行只有{rows}，没有指标行，未能重算")


def audit(published: Any, rules: RulesChoice = None, tolerance: float = 0.01) -> pd.DataFrame:
    """Every disagreement between published self-evaluations and their recomputation, one row each.

    `published`: a path (JSON, CSV or XLSX), a dict in the published format, or a list of these. Among
    several sources, a finding from a file names the file at the end of its message. attrs: `projects`
    (how many were read) and `flagged` (how many of those have a finding, each published project counted
    once, whatever its name)."""
    sources = published if isinstance(published, (list, tuple)) else [published]
    names = [f"published[{k}]" for k in range(len(sources))] if len(sources) > 1 else ["published"]
    read = [_published_projects(source, name) for source, name in zip(sources, names)]
    files = [_file_named(source) if len(sources) > 1 else "" for source in sources]
    located = [found for projects, _ in read for found in projects]
    from_file = [file for (projects, _), file in zip(read, files) for _ in projects]
    unaudited = [note for _, notes in read for note in notes]  # projects with no indicator row to recompute
    projects = [project for project, _, _ in located]
    parts = [_split_published(project, where) for project, where, _ in located]
    places = [(where, long) for _, where, long in located]
    _validate([goals for goals, _, _ in parts], places)
    kinds: dict[tuple, tuple[str, str]] = {}  # each distinct (target, actual, year) read once
    rows: list[dict] = []
    flagged = len(unaudited)
    evaluations = _evaluations(parts, places, rules)
    for project, (_, _, printed), ev, file in zip(projects, parts, evaluations, from_file):
        found = _audit_project(project, printed, ev, _units(tolerance), kinds)
        rows.extend(_with_file(finding, file) for finding in found)
        flagged += bool(found)
    found = pd.DataFrame(rows + unaudited, columns=AUDIT_COLUMNS)
    found.attrs["projects"] = len(projects) + len(unaudited)  # how many were read, flagged or clean
    found.attrs["flagged"] = flagged
    return found


def _file_named(source: Any) -> str:
    """The file a source is, as given; '' for a dict."""
    return str(source) if isinstance(source, (str, Path)) else ""


def _with_file(finding: dict, file: str) -> dict:
    """A finding whose message ends with the file it came from (none given: as it is)."""
    return {**finding, "message": f"{finding['message']}（文件 {file}）"} if file else finding


def _units(points: float) -> int:
    """Points as an integer number of millionths, half up: what every comparison of points works on."""
    return unit_count(points, _COMPARED_DIGITS)


def _points(units: int) -> float:
    """Millionths back to points."""
    return units / 10**_COMPARED_DIGITS


def _validate(goals: list[dict], places: list[_Place]) -> None:
    """Each project's goals against the schema: the quick check vouches for most of them at once; the
    validator names the project and the field in the first one it cannot vouch for that is wrong."""
    def batch(part: list[tuple[dict, _Place]]) -> list[None]:
        if not goals_conform({"projects": [one for one, _ in part]}):
            raise InputError("the quick check cannot vouch for every project")  # (never shown: found by halves)
        return [None] * len(part)

    _by_halves(list(zip(goals, places)), batch, lambda item: _validate_one(item[0], *item[1]))


def _validate_one(goals: dict, where: str, long: _LongProject | None) -> None:
    try:
        validate_goals(goals, where)
    except ScoringError as error:
        raise (long and long.refused(error)) or error from None


def _evaluations(parts: list[tuple[dict, list[dict], dict]], places: list[_Place],
                 rules: RulesChoice) -> list[Evaluation]:
    """Each project recomputed: all in one run of the engine, whose cost is per run rather than per project
    (each named by its place, since published names may repeat). Where the batch fails, the project alone
    names where it stands and its own field or row (in the batch, a unit clash would name its row among all
    the projects' rows)."""
    def batch(part: list[tuple[tuple, _Place]]) -> list[Evaluation]:
        goals = [{**one, "project": str(i)} for i, ((one, _, _), _) in enumerate(part)]
        actuals = [{**row, "project": str(i)} for i, ((_, rows, _), _) in enumerate(part) for row in rows]
        return evaluate({"projects": goals}, actuals, rules)

    return _by_halves(list(zip(parts, places)), batch, lambda item: _evaluate_one(*item[0][:2], *item[1], rules))


def _by_halves(items: list, batch: Callable[[list], list], alone: Callable[[Any], Any]) -> list:
    """batch(items), one result per item; where it raises a ScoringError, its halves in turn, down to the
    first item that fails alone: alone(item) raises the error that names it. About twice the batch's work,
    where trying the items one by one costs a run each (one bad table among 9,953: 96 s → 3.5 s)."""
    if not items:
        return []
    try:
        return batch(items)
    except ScoringError:
        if len(items) == 1:
            return [alone(items[0])]
        half = len(items) // 2
        return _by_halves(items[:half], batch, alone) + _by_halves(items[half:], batch, alone)


def _evaluate_one(goals: dict, actuals: list[dict], where: str, long: _LongProject | None,
                  rules: RulesChoice) -> Evaluation:
    try:
        return evaluate(goals, actuals, rules)[0]
    except ScoringError as error:  # the same kind of error, saying which published project it is about
        raise (long and long.refused(error)) or type(error)(str(error), where=where) from None


def _finding(kind: str, project: str, ident: str, level3: str, published: Any, expected: Any, **values) -> dict:
    shown = {k: _shown(v) for k, v in {"published": published, "expected": expected, **values}.items()}
    return {"project": project, "id": ident, "level3": level3, "kind": kind, "published": _shown(published),
            "expected": _shown(expected), "message": KINDS[kind].template.format(**shown)}


def _shown(value: Any) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return ""
    return format_number(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else str(value)


def _audit_project(published: dict, printed: dict, ev: Evaluation, tolerance: int,
                   kinds: dict[tuple, tuple[str, str]]) -> list[dict]:
    """The findings of one published project: its indicators, its budget, its total and grade."""
    name = published["project"]
    found: list[dict] = []
    for ind, row, score in zip(published["indicators"], table_rows(ev.table), printed["scores"]):
        found.extend(_indicator_findings(name, row, score, _text(ind.get("note")).strip(), ev, tolerance, kinds))
    found.extend(_budget_findings(name, printed, ev.budget, tolerance))
    found.extend(_total_findings(name, printed, ev, tolerance))
    return found


def _indicator_findings(name: str, row: Any, score: float | None, note: str, ev: Evaluation, tolerance: int,
                        kinds: dict[tuple, tuple[str, str]]) -> list[dict]:
    """What is wrong with one published indicator row (`row`: its recomputation; `score`, `note`: as printed)."""
    def finding(kind: str, expected: Any, **values: Any) -> dict:
        return _finding(kind, name, str(row.id), row.level3, score, expected, **values)

    unreadable = _unreadable(row, ev.project.year, kinds)
    if unreadable:
        what, text = unreadable
        return [finding("unreadable", None, what=what, text=text)]
    if score is None:
        return []
    published, weight, recomputed = _units(score), _units(row.weight), _units(row.score)
    actual = row.actual or "未填报"
    found = []
    if published > weight + tolerance:
        found.append(finding("above_weight", row.weight, weight=row.weight))
    if published >= weight and row.status not in ("达成", *_NOT_RECOMPUTED) and MET_BUT_SHORT not in row.flags:
        kind = "ceiling_full" if row.direction == "反向" else "missed_full"
        found.append(finding(kind, row.score, target=row.target, actual=actual))
    elif row.method == "定性" and row.status in ev.rulebook.bands and published <= weight + tolerance:
        band = ev.rulebook.bands[row.status]
        if _outside_band(published, band, row.weight, tolerance, below_counts=row.status != "未达成"):
            found.append(finding("band_mismatch", row.score, actual=row.actual, status=row.status,
                                 range=_band_range(band, row.weight)))
    elif abs(published - recomputed) > tolerance and row.status != "需复核" and published <= weight + tolerance:
        found.append(finding("score_differs", row.score, explanation=row.explanation))
    if published < weight and not note:
        found.append(finding("no_reason", None, weight=row.weight))
    if (published == weight and row.status == "达成" and _states_a_reason(note)
            and _ASKS_REASON not in row.flags and MISSED_BUT_FULL not in row.flags):  # (late, full by the rule)
        found.append(finding("reason_without_deduction", None, target=row.target, actual=actual, note=note))
    return found


def _unreadable(row: Any, year: int | None, kinds: dict[tuple, tuple[str, str]]) -> tuple[str, str] | None:
    """The first of the target and the actual that cannot be read, as (what, text); None if both can."""
    key = (row.target, row.actual, year)
    if key not in kinds:
        kinds[key] = (parse_target(row.target, year).kind, parse_actual(row.actual, year).kind)
    return next(((what, text) for what, text, kind in zip(("目标", "实际完成值"), (row.target, row.actual), kinds[key])
                 if kind == "unreadable"), None)


def _outside_band(score: int, band: Band, weight: float, tolerance: int, below_counts: bool) -> bool:
    """Whether a score (in millionths) lies outside a 定性 band of the 分值: its lower edge is closed, within the
    tolerance; its upper edge is open (exactly, where the band above starts there) unless it is the full 分值."""
    low, high = _units(band.low * weight), _units(band.high * weight)
    above = score >= high if band.high < 1 else score > high + tolerance
    return above or (below_counts and score < low - tolerance)


def _band_range(band: Band, weight: float) -> str:
    """A band in points as the message shows it: 24–30分, 18–24分（不含24分）."""
    low, high = format_number(band.low * weight), format_number(band.high * weight)
    return f"{low}–{high}分" + (f"，不含{high}分" if band.high < 1 else "")


@lru_cache(maxsize=2**16)
def _states_a_reason(note: str) -> bool:
    """Whether a 偏差原因 gives a reason: neither the whole ( 无 偏 差 ) nor each clause of it (按计划完成 无偏差,
    N/A；无) says none, the clauses split on spaces and clause punctuation. Read once per distinct note."""
    return not _says_none(note) and not all(_says_none(clause) for clause in _CLAUSE_BREAK.split(note) if clause)


def _says_none(text: str) -> bool:
    """Whether a note or clause says none (n/a, 无。, 项目已按计划完成), or is blank or mere punctuation (/, —)."""
    text = normalise(text).upper()
    bare = PUNCTUATION.sub("", text)
    return not bare or any(form in _NONE_CLAUSES or _affirms(form) for form in (text, bare))


@lru_cache(maxsize=2**16)
def _affirms(text: str) -> bool:
    """Whether a normalised, upper-cased clause is one of _AFFIRMATIONS once any _NOTE_BEFORE words before it
    and _NOTE_AFTER words after it are set aside (各项工作均已按计划完成, 已完成各项任务, 本项目不适用). Not a "none"
    word: 无相关工作 and 本项目未发生 say what there was not, a reason."""
    return (text in _AFFIRMATIONS
            or any(text.startswith(word) and _affirms(text[len(word):]) for word in _NOTE_BEFORE)
            or any(text.endswith(word) and _affirms(text[:-len(word)]) for word in _NOTE_AFTER))


def _budget_findings(name: str, printed: dict, budget: dict, tolerance: int) -> list[dict]:
    """A printed execution rate the amounts do not give, and a budget score its rate does not give."""
    found = []
    rate, score = printed.get("rate"), printed.get("budget_score")
    if rate is not None and budget["rate"] is not None and not _rate_agrees(rate, budget["rate"]):
        places = max(2, _places(rate))
        found.append(_finding("rate_inconsistent", name, "", "预算执行率", f"{format_fixed(float(rate), places)}%",
                              f"{format_fixed(budget['rate'] * 100, places)}%", printed=printed["rate_text"],
                              executed=budget["executed"], full_year=budget["full_year"]))
    if score is not None and budget["rate"] is not None and abs(_units(score) - _units(budget["score"])) > tolerance:
        found.append(_finding("budget_score_inconsistent", name, "", "预算执行率", score, budget["score"]))
    return found


def _places(percent: Decimal) -> int:
    """The decimals a printed percentage has (96% → 0, 96.15% → 2), at most _RATE_DIGITS."""
    return min(max(0, -percent.as_tuple().exponent), _RATE_DIGITS)


def _rate_agrees(percent: Decimal, rate: float) -> bool:
    """Whether a printed percentage is the rate rounded half up to the decimals printed (96% or 96.1% for
    96.1476%)."""
    step = Decimal(1).scaleb(-_places(percent))
    return percent.quantize(step, ROUND_HALF_UP) == Decimal(format_fixed(rate * 100, _places(percent)))


def _total_findings(name: str, printed: dict, ev: Evaluation, tolerance: int) -> list[dict]:
    """A printed total that is not the sum of the printed scores (a blank one read as 0, a budget score not
    printed taken as recomputed), capped as the rule set caps it by the execution rate; a printed grade
    (优秀 is 优) that is not the grade of that total."""
    found = []
    total, scores, budget_score = printed.get("total"), printed["scores"], printed.get("budget_score")
    added = sum(_units(s) for s in scores if s is not None) + _units(
        ev.budget["score"] if budget_score is None else budget_score)
    cap = ev.rulebook.total_cap(ev.budget["rate"])
    capped = cap is not None and added > _units(cap)
    if total is not None and abs(_units(total) - (_units(cap) if capped else added)) > tolerance:
        basis = _total_basis(None in scores, budget_score is None, ev, cap if capped else None)
        found.append(_finding("total_not_sum", name, "", "总分", total, cap if capped else _points(added),
                              added=_points(added), basis=basis))
    grade = printed.get("grade")
    if grade is not None and total is not None:
        graded = min(total, cap) if cap is not None else total
        expected = ev.rulebook.grade(graded)
        if _grade_word(str(grade)) != expected:
            found.append(_finding("grade_mismatch", name, "", "评价等级", grade, expected, total=graded,
                                  capped="（按执行率封顶）" if graded != total else ""))
    return found


def _total_basis(blank_scores: bool, no_budget_score: bool, ev: Evaluation, cap: float | None) -> str:
    """How the expected total was reached where the printed rows alone do not say: （空白得分按 0分计；…）."""
    basis = []
    if blank_scores:
        basis.append("空白得分按 0分计")
    if no_budget_score:
        basis.append(f"未印预算执行得分，按重算 {format_number(ev.budget['score'])}分计")
    if cap is not None:
        basis.append(f"执行率 {format_fixed(ev.budget['rate'] * 100, 2)}%：按规则集 {ev.rulebook.name}，"
                     f"总分以 {format_number(cap)}分封顶")
    return f"（{'；'.join(basis)}）" if basis else ""


def _grade_word(printed: str) -> str:
    """A printed grade as the rule set writes it: 优秀 is 优 and 良好 is 良 (the 等级 scale of language_zh.toml)."""
    text = normalise(printed)
    level = whole_word_level(text)
    if level is None:
        return text
    return next((grade for grade in GRADES if _step(whole_word_level(grade)) == _step(level)), text)


def _step(level: Any) -> tuple[str, int] | None:
    """A scale step, whatever word names it."""
    return None if level is None else (level.scale, level.rank)


def _split_published(published: dict, where: str) -> tuple[dict, list[dict], dict]:
    """The goals, the actuals rows and the printed figures (the scores read) of one published project. The
    notes stay out of the actuals: the audit reads them itself, and the engine, given none, flags every
    over-achievement (asking for a reason) whatever the rule set's overshoot_note."""
    named = f"{where}: {published['project']}"
    goals = {k: v for k, v in published.items() if k not in _PUBLISHED_TOP}
    goals["indicators"] = [{k: v for k, v in ind.items() if k not in _PUBLISHED_INDICATOR}
                           for ind in published["indicators"]]
    actuals = [{"id": str(ind.get("id", i + 1)), "actual": _text(ind.get("actual"))}
               for i, ind in enumerate(published["indicators"])]
    printed: dict[str, Any] = {"total": _number(published.get("total"), f"{named}: total"),
                               "grade": published.get("grade"),
                               "scores": [_number(ind.get("score"), f"{named}: indicator {ind.get('id', i + 1)} score")
                                          for i, ind in enumerate(published["indicators"])]}
    budget = published.get("budget") or {}
    if budget:
        goals["budget"] = {k: v for k, v in budget.items() if k not in _PUBLISHED_BUDGET}
        if budget.get("executed") is not None:
            actuals.append({"indicator": "全年执行数", "actual": _text(budget["executed"])})
        printed["budget_score"] = _number(budget.get("score"), f"{named}: budget score")
        printed["rate"] = _rate(budget.get("rate"), f"{named}: budget rate")
        printed["rate_text"] = _text(budget.get("rate")).strip()
    return goals, actuals, printed


def _text(value: Any) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return ""
    return format_number(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else str(value)


def _number(value: Any, where: str) -> float | None:
    """Points as printed (96.42, 96.42分), None where none are; anything else, infinity too, refused."""
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return None
    try:
        return _points_in(str(value))
    except ValueError as error:
        raise InputError(f"'{value}' is {error}", where=where) from None


@lru_cache(maxsize=2**16)
def _points_in(text: str) -> float | None:
    """The points a printed text gives (None where it is blank), read once per distinct text; where it gives
    none, a ValueError saying what it is not."""
    if not text.strip():
        return None
    try:
        number = float(normalise(text).rstrip("分"))
    except ValueError:
        raise ValueError("not a number") from None
    if not math.isfinite(number):
        raise ValueError("not a finite number")
    return number


def _rate(value: Any, where: str) -> Decimal | None:
    """A printed execution rate as a percentage with the decimals printed: 96.15% (or 96.15) → 96.15,
    0.9615 → 96.15, 96% → 96."""
    text = normalise(_text(value))
    if not text:
        return None
    number = _number(text.removesuffix("%"), where)
    if number is None:
        raise InputError(f"'{value}' is not a rate", where=where)
    try:
        printed = Decimal(text.removesuffix("%").rstrip("分"))
    except InvalidOperation:
        raise InputError(f"'{value}' is not a rate", where=where) from None
    return printed if text.endswith("%") or number > 1.5 else printed.scaleb(2)


# ---------------------------------------------------------------- reading published tables

_LONG_HEADERS = {
    "project": ("project", "项目名称"), "id": ("id", "指标编号", "序号"), "level1": ("level1", "一级指标"),
    "level2": ("level2", "二级指标"), "level3": ("level3", "三级指标"),
    "target": ("target", "年度指标值", "指标值"), "weight": ("weight", "分值"),
    "actual": ("actual", "实际完成值"), "score": ("score", "得分"),
    "note": ("note", "偏差原因分析及改进措施", "偏差原因"),
}
_RATE_ROWS = ("预算执行率", "预算执行")  # the printed rate where it is a percentage, else the budget row itself
_TOTAL_ROWS = ("总分",)
_GRADE_ROWS = ("评价等级", "等级")
_BUDGET_UNIT = "万元"  # the unit of the amounts read from a long table
_BUDGET_FIELDS = {"full_year": "全年预算数", "weight": "分值", "score": "得分", "executed": "全年执行数", "rate": "执行率"}
# How the engine's messages about one project name a row, by its place in the project, after the project's own
# place: goals: indicators[1].weight, actuals row 2, budget.weight.
_ENGINE_PLACE = re.compile(r"(?:.*: )?(?:indicators\[(?P<indicator>\d+)\]|actuals row (?P<row>\d+)|(?P<budget>budget))"
                           r"(?:\.(?P<field>\w+))?")
_ALSO_INDICATOR = re.compile(r"\(also indicators\[(\d+)\]\)$")  # the repeated-id message's own reference


def _published_projects(source: Any, name: str) -> tuple[list[tuple[dict, str, _LongProject | None]], list[dict]]:
    """The published projects of a source, each with where it stands (for messages; `name` names a dict) and,
    from a long table, as it was read; and a finding for each project a long table names without any
    indicator row."""
    if isinstance(source, Mapping):
        data = dict(source)
    elif not isinstance(source, (str, Path)):
        raise InputError(f"must be a path, a dict or a list of these, not {type(source).__name__}", where=name)
    else:
        path = Path(source)
        name = str(path)
        if path.suffix.lower() in (".csv", ".xlsx", ".xlsm"):
            projects, unaudited = _long_projects(path)
            return [(long.published, f"{path}: project '{long.published['project']}'", long)
                    for long in projects], unaudited
        data = decode_json(decode_text(read_bytes(path), path), path)
    projects = data.get("projects", [data]) if isinstance(data, dict) else None
    if not isinstance(projects, list):
        raise InputError("not a published self-evaluation (a project, or {\"projects\": [...]})", where=name)
    located = []
    for i, project in enumerate(projects):
        where = f"{name}: projects[{i}]" if len(projects) > 1 or "projects" in data else name
        if not (isinstance(project, dict) and isinstance(project.get("indicators"), list) and "project" in project):
            raise InputError("a project needs 'project' and 'indicators'", where=where)
        located.append((project, where, None))
    return located, []


@dataclass
class _LongProject:
    """A project of a long table as it is read: the published project, the line of each special row (by role:
    budget, rate, total, grade) and where each budget field was given."""
    path: Path
    published: dict
    special: dict[str, tuple[str, int]] = field(default_factory=dict)  # role → (row name, line)
    given: dict[str, str] = field(default_factory=dict)  # budget field → where
    lines: list[int] = field(default_factory=list)  # the line of each indicator row
    headers: dict[str, str] = field(default_factory=dict)  # field → its column's header as the file writes it

    def place(self, line: int) -> str:
        return f"{self.path}{' line ' if self.path.suffix.lower() == '.csv' else ' row '}{line}"

    def _also(self, ref: re.Match) -> str:
        """The engine's `(also indicators[N])` as the line of that row (an indicator of the same project)."""
        return f"(also {self.place(self.lines[int(ref[1])])})"

    def refused(self, error: ScoringError) -> ScoringError | None:
        """The engine's error about this project at the line of the row it names by its place in the project
        (indicators[1]; actuals row 2, the actuals being the indicators' rows, then the 全年执行数; budget.weight),
        the field by its header; None where it names no row."""
        named = _ENGINE_PLACE.fullmatch(error.where or "")
        if named is None:
            return None
        key = named["field"]
        if named["budget"]:
            where, label = self.given.get(key), _BUDGET_FIELDS.get(key)
        else:
            if named["indicator"]:
                where = self.place(self.lines[int(named["indicator"])])
            else:  # the actuals' rows: the indicators', then the 全年执行数
                index = int(named["row"]) - 1
                where = self.place(self.lines[index]) if index < len(self.lines) else self.given["executed"]
            label = self.headers.get(key) or (_LONG_HEADERS[key][1] if key in _LONG_HEADERS else key)
        if where is None:
            return None
        message = _ALSO_INDICATOR.sub(self._also, str(error).removeprefix(f"{error.where}: "))
        return type(error)(message, where=f"{where}: {label}" if label else where)


def _long_projects(path: Path) -> tuple[list[_LongProject], list[dict]]:
    """The projects of a long table, and a finding for each one with no indicator row (nothing to recompute)."""
    read: dict[str, _LongProject] = {}
    frame, headers = _long_frame(path)
    labels = map_unique(frame["level3"], normalise)  # each row's 三级指标 as compared: once per distinct text
    cells = zip(*(frame[column].tolist() for column in frame.columns))  # (to_dict("records"): 5 times slower)
    for line, values, label in zip(frame.index, cells, labels):
        row = dict(zip(frame.columns, values))
        name = row["project"] or path.stem
        project = read.setdefault(name, _LongProject(path, {"project": name, "indicators": []}, headers=headers))
        role = _role(label, row["actual"])
        if role:
            _special_row(project, role, label, row, line)
        else:
            project.published["indicators"].append(_indicator(row, project.place(line)))
            project.lines.append(line)
    audited = [_finished(project) for project in read.values() if project.published["indicators"]]
    return audited, [_unaudited(project) for project in read.values() if not project.published["indicators"]]


def _role(level3: str, actual: str) -> str | None:
    """What a row that is not an indicator gives (budget, rate, total or grade), by its normalised 三级指标;
    None for an indicator."""
    if level3 in _RATE_ROWS:
        return "rate" if normalise(actual).endswith("%") else "budget"
    if level3 in BUDGET_ROW_NAMES:
        return "budget"
    return "total" if level3 in _TOTAL_ROWS else "grade" if level3 in _GRADE_ROWS else None


def _special_row(project: _LongProject, role: str, label: str, row: dict, line: int) -> None:
    """A budget, rate, total or grade row (`label`: its normalised 三级指标) read into its project; a second one
    of a kind is refused."""
    where = project.place(line)
    if role in project.special:
        first, first_line = project.special[role]
        raise InputError(f"a second '{label}' row for project '{project.published['project']}' (first: '{first}' "
                         f"at {project.place(first_line)})", where=where)
    project.special[role] = (label, line)
    if role == "total":
        project.published["total"] = _number(row["score"] or row["actual"], f"{where}: 总分")
    elif role == "grade":
        project.published["grade"] = row["actual"] or row["score"] or None
    else:
        _budget_row(project, role, row, where)


def _budget_row(project: _LongProject, role: str, row: dict, where: str) -> None:
    """The budget fields a 全年执行数 row (or a 预算执行率 row printing the rate) gives."""
    given = {"full_year": amount_in(row["target"], _BUDGET_UNIT, where, "全年预算数"),
             "weight": _number(row["weight"], f"{where}: 分值"), "score": _number(row["score"], f"{where}: 得分")}
    if role == "rate":
        _rate(row["actual"], f"{where}: 执行率")  # read here to name its line; kept as printed, like a JSON rate
        given["rate"] = row["actual"]
    else:
        given["executed"] = amount_in(row["actual"], _BUDGET_UNIT, where, "全年执行数")
    budget = project.published.setdefault("budget", {"unit": _BUDGET_UNIT})
    for key, value in given.items():
        if value is None:
            continue
        if key in budget and budget[key] != value:
            raise InputError(f"{_shown(value)} differs from {_shown(budget[key])} given at {project.given[key]}",
                             where=f"{where}: {_BUDGET_FIELDS[key]}")
        budget[key], project.given[key] = value, where


def _indicator(row: dict, where: str) -> dict:
    """An indicator row as a published indicator, its 分值 and 得分 read."""
    indicator = {k: row[k] for k in ("id", "level1", "level2", "level3", "target", "actual", "note") if row[k]}
    for key, label in (("weight", "分值"), ("score", "得分")):
        if row[key]:
            indicator[key] = _number(row[key], f"{where}: {label}")
    return indicator


def _finished(project: _LongProject) -> _LongProject:
    """The project as read; a 全年执行数 with no 全年预算数 to divide it by is refused at its line."""
    budget = project.published.get("budget", {})
    if "executed" in budget and "full_year" not in budget:
        raise InputError(f"全年执行数 is given for project '{project.published['project']}', but no 全年预算数 "
                         "(年度指标值) to compare it with", where=project.given["executed"])
    return project


def _unaudited(project: _LongProject) -> dict:
    """The finding for a project with rows (budget, total, grade) but no indicator row."""
    rows = sorted(project.special.values(), key=lambda row: row[1])
    return _finding("no_indicators", project.published["project"], "", "", "", "", file=project.path,
                    lines="、".join(str(line) for _, line in rows), rows="、".join(label for label, _ in rows))


def _long_frame(path: Path) -> tuple[pd.DataFrame, dict[str, str]]:
    """The rows of a long table, every column there (blank where the table has none), indexed by line, and
    the header the file writes for each field; refused without the 三级指标 or 得分 column, or with no 得分
    given at all (nothing to audit)."""
    raw = read_table(path)
    lookup = {normalise(alias).lower(): (key, rank) for key, aliases in _LONG_HEADERS.items()
              for rank, alias in enumerate(aliases)}
    chosen: dict[str, tuple[int, Any]] = {}  # key → (the rank of its header among the key's names, column)
    for column in raw.columns:
        key, rank = lookup.get(normalise(written_header(column, raw.columns)).lower(), (None, 0))
        if key is None or key in chosen and chosen[key][0] < rank:  # 指标编号 over 序号, 年度指标值 over 指标值
            continue
        if key in chosen and chosen[key][0] == rank:  # the same header twice: which to audit is not ours to guess
            first, second = (f"'{written_header(c, raw.columns)}' (column {list(raw.columns).index(c) + 1})"
                             for c in (chosen[key][1], column))
            raise InputError(f"two columns give the {_LONG_HEADERS[key][1]} ({key}): {first} and {second}",
                             where=str(path))
        chosen[key] = (rank, column)
    columns = {column: key for key, (_, column) in chosen.items()}
    if "level3" not in columns.values():
        raise InputError("no 三级指标 (level3) column", where=str(path))
    if "score" not in columns.values():
        raise InputError("no 得分 (score) column: there is nothing to audit", where=str(path))
    frame = raw[list(columns)].rename(columns=columns).fillna("").astype(str)
    frame = frame.reindex(columns=list(_LONG_HEADERS), fill_value="")
    frame.index = range(2, len(frame) + 2)
    frame = frame[(frame != "").any(axis=1)]
    if not (frame["score"] != "").any():
        raise InputError("no row gives a 得分 (score): there is nothing to audit", where=str(path))
    # A 项目名称 cell merged over several rows in Excel is written once: the rows below belong to it.
    headers = {key: written_header(column, raw.columns) for key, (_, column) in chosen.items()}
    return frame.assign(project=frame["project"].mask(frame["project"] == "").ffill().fillna("")), headers


def iter_sources(paths: Iterable[str | Path]) -> list[Path]:
    """Files named, with folders expanded to the JSON, CSV and XLSX files they hold (sorted)."""
    found: list[Path] = []
    for given in paths:
        path = Path(given)
        if path.is_dir():
            found.extend(sorted(p for p in path.iterdir() if p.suffix.lower() in (".json", ".csv", ".xlsx")))
        else:
            found.append(path)
    return found
