"""Audit published self-evaluations: recompute every score under a rule set and list each disagreement.

A published 自评表 is a goals file whose indicators also carry `actual`, `score` (as published) and `note`,
whose budget carries `executed` and `score` (and `rate` where printed), with top-level `total` and `grade`;
or the same as a long CSV/XLSX, one row per indicator (special rows 全年执行数, 总分, 评价等级). Each kind of
disagreement is registered with its message template (what auditors look for, domain.md).
"""
from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from .errors import InputError, ScoringError
from .inputs import BUDGET_ROW_NAMES, decode_json, decode_text, goals_conform, read_bytes, read_table, validate_goals
from .language import normalise
from .model import Evaluation, table_rows
from .rounding import format_fixed, format_number
from .scorer import RulesChoice, evaluate
from .units import unit_info
from .values import parse_actual, parse_target

AUDIT_COLUMNS = ["project", "id", "level3", "kind", "published", "expected", "message"]
_PUBLISHED_INDICATOR = ("actual", "score", "note")
_PUBLISHED_BUDGET = ("executed", "score", "rate")
_PUBLISHED_TOP = ("total", "grade")


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
_kind("band_mismatch", "定性得分不在其档次", "定性指标实际“{actual}”读作“{status}”（{range}），得分 {published}分不在此档")
_kind("score_differs", "得分与重算不符", "得分 {published}分，按规则重算为 {expected}分（{explanation}）")
_kind("rate_inconsistent", "执行率与金额不符", "执行率印为 {published}，按金额 {executed} ÷ {full_year} 应为 {expected}")
_kind("budget_score_inconsistent", "预算得分与执行率不符", "预算执行得分 {published}分，按执行率应为 {expected}分")
_kind("total_not_sum", "总分不等于各项之和", "总分印为 {published}分，各项得分与预算得分合计 {expected}分")
_kind("grade_mismatch", "等级与总分不符", "总分 {total}分应为“{expected}”，印为“{published}”")
_kind("unreadable", "无法判读", "{what}“{text}”无法判读，未能重算")
_kind("no_indicators", "没有指标行", "{file} 第 {lines} 行只有{rows}，没有指标行，未能重算")


def audit(published: Any, rules: RulesChoice = None, tolerance: float = 0.01) -> pd.DataFrame:
    """Every disagreement between published self-evaluations and their recomputation, one row each.

    `published`: a path (JSON, CSV or XLSX), a dict in the published format, or a list of these."""
    sources = published if isinstance(published, (list, tuple)) else [published]
    names = [f"published[{k}]" for k in range(len(sources))] if len(sources) > 1 else ["published"]
    read = [_published_projects(source, name) for source, name in zip(sources, names)]
    located = [found for projects, _ in read for found in projects]
    unaudited = [note for _, notes in read for note in notes]  # projects with no indicator row to recompute
    projects = [project for project, _ in located]
    parts = [_split_published(project, where) for project, where in located]
    _validate([goals for goals, _, _ in parts], [where for _, where in located])
    kinds: dict[tuple, tuple[str, str]] = {}  # each distinct (target, actual, year) read once
    rows: list[dict] = []
    evaluations = _evaluations(parts, [where for _, where in located], rules)
    for project, (_, _, printed), ev in zip(projects, parts, evaluations):
        rows.extend(_audit_project(project, printed, ev, tolerance, kinds))
    found = pd.DataFrame(rows + unaudited, columns=AUDIT_COLUMNS)
    found.attrs["projects"] = len(projects) + len(unaudited)  # how many were read, flagged or clean
    return found


def _validate(goals: list[dict], wheres: list[str]) -> None:
    """Each project's goals against the schema: the quick check vouches for most of them at once; the
    validator names the project and the field in the first one it cannot vouch for that is wrong."""
    def batch(part: list[tuple[dict, str]]) -> list[None]:
        if not goals_conform({"projects": [one for one, _ in part]}):
            raise InputError("the quick check cannot vouch for every project")  # (never shown: found by halves)
        return [None] * len(part)

    _by_halves(list(zip(goals, wheres)), batch, lambda item: validate_goals(*item))


def _evaluations(parts: list[tuple[dict, list[dict], dict]], wheres: list[str],
                 rules: RulesChoice) -> list[Evaluation]:
    """Each project recomputed: all in one run of the engine, whose cost is per run rather than per project
    (each named by its place, since published names may repeat). Where the batch fails, the project alone
    names where it stands and its own field or row (in the batch, a unit clash would name its row among all
    the projects' rows)."""
    def batch(part: list[tuple[tuple, str]]) -> list[Evaluation]:
        goals = [{**one, "project": str(i)} for i, ((one, _, _), _) in enumerate(part)]
        actuals = [{**row, "project": str(i)} for i, ((_, rows, _), _) in enumerate(part) for row in rows]
        return evaluate({"projects": goals}, actuals, rules)

    return _by_halves(list(zip(parts, wheres)), batch, lambda item: _evaluate_one(*item[0][:2], item[1], rules))


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


def _evaluate_one(goals: dict, actuals: list[dict], where: str, rules: RulesChoice) -> Evaluation:
    try:
        return evaluate(goals, actuals, rules)[0]
    except ScoringError as error:  # the same kind of error, saying which published project it is about
        raise type(error)(str(error), where=where) from None


def _finding(kind: str, project: str, ident: str, level3: str, published: Any, expected: Any, **values) -> dict:
    shown = {k: _shown(v) for k, v in {"published": published, "expected": expected, **values}.items()}
    return {"project": project, "id": ident, "level3": level3, "kind": kind, "published": _shown(published),
            "expected": _shown(expected), "message": KINDS[kind].template.format(**shown)}


def _shown(value: Any) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return ""
    return format_number(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else str(value)


def _audit_project(published: dict, printed: dict, ev: Evaluation, tolerance: float,
                   kinds: dict[tuple, tuple[str, str]]) -> list[dict]:
    name = published["project"]
    found: list[dict] = []
    published_scores = []
    year = ev.project.year
    for ind, row, score in zip(published["indicators"], table_rows(ev.table), printed["scores"]):
        ident, level3 = str(row.id), row.level3
        weight = row.weight
        published_scores.append(score)
        key = (row.target, row.actual, year)
        if key not in kinds:
            kinds[key] = (parse_target(row.target, year).kind, parse_actual(row.actual, year).kind)
        unreadable = [(what, text) for what, text, kind in
                      zip(("目标", "实际完成值"), (row.target, row.actual), kinds[key]) if kind == "unreadable"]
        if unreadable:
            what, text = unreadable[0]
            found.append(_finding("unreadable", name, ident, level3, score, None, what=what, text=text))
            continue
        if score is None:
            continue
        if score > weight + tolerance:
            found.append(_finding("above_weight", name, ident, level3, score, weight, weight=weight))
        qualitative = row.method == "定性"  # a person's call inside the band the actual reads as
        entitled = row.status == "达成" if qualitative else row.score >= weight - tolerance
        if score >= weight - tolerance and not entitled and row.status != "需复核":
            kind = "ceiling_full" if row.direction == "反向" else "missed_full"
            found.append(_finding(kind, name, ident, level3, score, row.score, target=row.target, actual=row.actual))
        elif qualitative and score <= weight + tolerance:
            band = ev.rulebook.bands[row.status]
            low, high = band.low * weight - tolerance, band.high * weight + tolerance
            if not low <= score <= high and not (row.status == "未达成" and score < low):
                found.append(_finding("band_mismatch", name, ident, level3, score, row.score, actual=row.actual,
                                      status=row.status, range=f"{format_number(band.low * weight)}–"
                                      f"{format_number(band.high * weight)}分"))
        elif abs(score - row.score) > tolerance and row.status != "需复核" and score <= weight + tolerance:
            found.append(_finding("score_differs", name, ident, level3, score, row.score,
                                  explanation=row.explanation))
        if score < weight - tolerance and not str(ind.get("note") or "").strip():
            found.append(_finding("no_reason", name, ident, level3, score, None, weight=weight))
    found.extend(_audit_budget_and_total(name, printed, ev, published_scores, tolerance))
    return found


def _audit_budget_and_total(name, printed, ev, published_scores, tolerance) -> list[dict]:
    found = []
    budget = ev.budget
    rate, score = printed.get("rate"), printed.get("budget_score")
    if rate is not None and budget["rate"] is not None and abs(rate - budget["rate"]) > 0.00005:
        found.append(_finding("rate_inconsistent", name, "", "预算执行率", f"{format_fixed(rate * 100, 2)}%",
                              f"{format_fixed(budget['rate'] * 100, 2)}%", executed=budget["executed"],
                              full_year=budget["full_year"]))
    if score is not None and budget["rate"] is not None and abs(score - budget["score"]) > tolerance:
        found.append(_finding("budget_score_inconsistent", name, "", "预算执行率", score, budget["score"]))
    total = printed.get("total")
    if total is not None and all(s is not None for s in published_scores) and score is not None:
        added = round(sum(published_scores) + score, 6)
        if abs(total - added) > tolerance:
            found.append(_finding("total_not_sum", name, "", "总分", total, added))
    grade = printed.get("grade")
    if grade is not None and total is not None:
        expected = ev.rulebook.grade(total)
        if normalise(str(grade)) != expected:
            found.append(_finding("grade_mismatch", name, "", "评价等级", grade, expected, total=total))
    return found


def _split_published(published: dict, where: str) -> tuple[dict, list[dict], dict]:
    """The goals, the actuals rows and the printed figures (the scores read) of one published project."""
    named = f"{where}: {published['project']}"
    goals = {k: v for k, v in published.items() if k not in _PUBLISHED_TOP}
    goals["indicators"] = [{k: v for k, v in ind.items() if k not in _PUBLISHED_INDICATOR}
                           for ind in published["indicators"]]
    actuals = [{"id": str(ind.get("id", i + 1)), "actual": _text(ind.get("actual")), "note": _text(ind.get("note"))}
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
    return goals, actuals, printed


def _text(value: Any) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return ""
    return format_number(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else str(value)


def _number(value: Any, where: str) -> float | None:
    """Points as printed (96.42, 96.42分), None where none are; anything else, infinity too, refused."""
    if value is None or (isinstance(value, str) and not value.strip()) or (isinstance(value, float) and pd.isna(value)):
        return None
    try:
        number = float(normalise(str(value)).rstrip("分"))
    except ValueError:
        raise InputError(f"'{value}' is not a number", where=where) from None
    if not math.isfinite(number):
        raise InputError(f"'{value}' is not a finite number", where=where)
    return number


def _rate(value: Any, where: str) -> float | None:
    """A printed execution rate: 96.15% or 0.9615."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    text = normalise(str(value))
    number = _number(text.removesuffix("%"), where)
    if number is None:
        raise InputError(f"'{value}' is not a rate", where=where)
    return number / 100 if text.endswith("%") or number > 1.5 else number


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


def _published_projects(source: Any, name: str) -> tuple[list[tuple[dict, str]], list[dict]]:
    """The published projects of a source, each with where it stands (for messages; `name` names a dict), and
    a finding for each project a long table names without any indicator row."""
    if isinstance(source, Mapping):
        data = dict(source)
    elif not isinstance(source, (str, Path)):
        raise InputError(f"must be a path, a dict or a list of these, not {type(source).__name__}", where=name)
    else:
        path = Path(source)
        name = str(path)
        if path.suffix.lower() in (".csv", ".xlsx", ".xlsm"):
            projects, unaudited = _long_projects(path)
            return [(project, f"{path}: project '{project['project']}'") for project in projects], unaudited
        data = decode_json(decode_text(read_bytes(path), path), path)
    projects = data.get("projects", [data]) if isinstance(data, dict) else None
    if not isinstance(projects, list):
        raise InputError("not a published self-evaluation (a project, or {\"projects\": [...]})", where=name)
    located = []
    for i, project in enumerate(projects):
        where = f"{name}: projects[{i}]" if len(projects) > 1 or "projects" in data else name
        if not (isinstance(project, dict) and isinstance(project.get("indicators"), list) and "project" in project):
            raise InputError("a project needs 'project' and 'indicators'", where=where)
        located.append((project, where))
    return located, []


@dataclass
class _LongProject:
    """A project of a long table as it is read: the published project, the line of each special row (by role:
    budget, rate, total, grade) and where each budget field was given."""
    path: Path
    published: dict
    special: dict[str, tuple[str, int]] = field(default_factory=dict)  # role → (row name, line)
    given: dict[str, str] = field(default_factory=dict)  # budget field → where

    def place(self, line: int) -> str:
        return f"{self.path}{' line ' if self.path.suffix.lower() == '.csv' else ' row '}{line}"


def _long_projects(path: Path) -> tuple[list[dict], list[dict]]:
    """The projects of a long table, and a finding for each one with no indicator row (nothing to recompute)."""
    read: dict[str, _LongProject] = {}
    frame = _long_frame(path)
    for line, row in zip(frame.index, frame.to_dict("records")):
        name = row["project"] or path.stem
        project = read.setdefault(name, _LongProject(path, {"project": name, "indicators": []}))
        role = _role(normalise(row["level3"]), row["actual"])
        if role:
            _special_row(project, role, row, line)
        else:
            project.published["indicators"].append(_indicator(row, project.place(line)))
    audited = [_finished(project) for project in read.values() if project.published["indicators"]]
    return audited, [_unaudited(project) for project in read.values() if not project.published["indicators"]]


def _role(level3: str, actual: str) -> str | None:
    """What a row that is not an indicator gives (budget, rate, total or grade); None for an indicator."""
    if level3 in _RATE_ROWS:
        return "rate" if normalise(actual).endswith("%") else "budget"
    if level3 in BUDGET_ROW_NAMES:
        return "budget"
    return "total" if level3 in _TOTAL_ROWS else "grade" if level3 in _GRADE_ROWS else None


def _special_row(project: _LongProject, role: str, row: dict, line: int) -> None:
    """A budget, rate, total or grade row read into its project; a second one of a kind is refused."""
    label, where = normalise(row["level3"]), project.place(line)
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
    given = {"full_year": _amount(row["target"], f"{where}: 全年预算数"),
             "weight": _number(row["weight"], f"{where}: 分值"), "score": _number(row["score"], f"{where}: 得分")}
    if role == "rate":
        _rate(row["actual"], f"{where}: 执行率")  # read here to name its line; kept as printed, like a JSON rate
        given["rate"] = row["actual"]
    else:
        given["executed"] = _amount(row["actual"], f"{where}: 全年执行数")
    budget = project.published.setdefault("budget", {"unit": _BUDGET_UNIT})
    for key, value in given.items():
        if value is None:
            continue
        if key in budget and budget[key] != value:
            raise InputError(f"{_shown(value)} differs from {_shown(budget[key])} given at {project.given[key]}",
                             where=f"{where}: {_BUDGET_FIELDS[key]}")
        budget[key], project.given[key] = value, where


def _amount(text: str, where: str) -> float | None:
    """An amount of money as written (100万元, 1000000元, 80万; a bare number is in 万元), in 万元."""
    if not text:
        return None
    actual = parse_actual(text)
    if actual.kind != "quantitative" or actual.number < 0:
        raise InputError(f"'{text}' is not an amount of money", where=where)
    budget = unit_info(_BUDGET_UNIT)
    if actual.unit is None:  # 80万: 800000 元
        return actual.number if actual.multiplier is None else actual.number * budget.unprefixed_factor / budget.factor
    given = unit_info(actual.unit)
    if given.dimension != budget.dimension:
        raise InputError(f"'{text}' is not an amount of money", where=where)
    return actual.number * given.factor / budget.factor


def _indicator(row: dict, where: str) -> dict:
    """An indicator row as a published indicator, its 分值 and 得分 read."""
    indicator = {k: row[k] for k in ("id", "level1", "level2", "level3", "target", "actual", "note") if row[k]}
    for key, label in (("weight", "分值"), ("score", "得分")):
        if row[key]:
            indicator[key] = _number(row[key], f"{where}: {label}")
    return indicator


def _finished(project: _LongProject) -> dict:
    """The published project; a 全年执行数 with no 全年预算数 to divide it by is refused at its line."""
    budget = project.published.get("budget", {})
    if "executed" in budget and "full_year" not in budget:
        raise InputError(f"全年执行数 is given for project '{project.published['project']}', but no 全年预算数 "
                         "(年度指标值) to compare it with", where=project.given["executed"])
    return project.published


def _unaudited(project: _LongProject) -> dict:
    """The finding for a project with rows (budget, total, grade) but no indicator row."""
    rows = sorted(project.special.values(), key=lambda row: row[1])
    return _finding("no_indicators", project.published["project"], "", "", "", "", file=project.path,
                    lines="、".join(str(line) for _, line in rows), rows="、".join(label for label, _ in rows))


def _long_frame(path: Path) -> pd.DataFrame:
    """The rows of a long table, every column there (blank where the table has none), indexed by line;
    refused without the 三级指标 or 得分 column, or with no 得分 given at all (nothing to audit)."""
    raw = read_table(path)
    lookup = {normalise(alias).lower(): key for key, aliases in _LONG_HEADERS.items() for alias in aliases}
    columns: dict[Any, str] = {}
    for column in raw.columns:
        key = lookup.get(normalise(str(column)).lower())
        if key is not None and key not in columns.values():
            columns[column] = key
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
    return frame.assign(project=frame["project"].mask(frame["project"] == "").ffill().fillna(""))


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
