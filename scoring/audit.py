"""Audit published self-evaluations: recompute every score under a rule set and list each disagreement.

A published 自评表 is a goals file whose indicators also carry `actual`, `score` (as published) and `note`,
whose budget carries `executed` and `score` (and `rate` where printed), with top-level `total` and `grade`;
or the same as a long CSV/XLSX, one row per indicator (special rows 全年执行数, 总分, 评价等级). Each kind of
disagreement is registered with its message template (what auditors look for, domain.md).
"""
from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from .errors import InputError, ScoringError
from .inputs import decode_text, goals_conform, read_bytes, read_table, validate_goals
from .language import normalise
from .model import Evaluation, table_rows
from .rounding import format_fixed, format_number
from .scorer import RulesChoice, evaluate
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


def audit(published: Any, rules: RulesChoice = None, tolerance: float = 0.01) -> pd.DataFrame:
    """Every disagreement between published self-evaluations and their recomputation, one row each.

    `published`: a path (JSON, CSV or XLSX), a dict in the published format, or a list of these."""
    sources = published if isinstance(published, (list, tuple)) else [published]
    names = [f"published[{k}]" for k in range(len(sources))] if len(sources) > 1 else ["published"]
    located = [found for source, name in zip(sources, names) for found in _published_projects(source, name)]
    projects = [project for project, _ in located]
    parts = [_split_published(project) for project in projects]
    _validate([goals for goals, _, _ in parts], [where for _, where in located])
    kinds: dict[tuple, tuple[str, str]] = {}  # each distinct (target, actual, year) read once
    rows: list[dict] = []
    evaluations = _evaluations(parts, [where for _, where in located], rules)
    for project, (_, _, printed), ev in zip(projects, parts, evaluations):
        rows.extend(_audit_project(project, printed, ev, tolerance, kinds))
    found = pd.DataFrame(rows, columns=AUDIT_COLUMNS)
    found.attrs["projects"] = len(projects)  # how many were audited, the flagged ones and the clean ones
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
    for ind, row in zip(published["indicators"], table_rows(ev.table)):
        ident, level3 = str(row.id), row.level3
        score = _number(ind.get("score"), f"{name}: indicator {ident} score")
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


def _split_published(published: dict) -> tuple[dict, list[dict], dict]:
    """The goals, the actuals rows and the printed figures of one published project."""
    goals = {k: v for k, v in published.items() if k not in _PUBLISHED_TOP}
    goals["indicators"] = [{k: v for k, v in ind.items() if k not in _PUBLISHED_INDICATOR}
                           for ind in published["indicators"]]
    actuals = [{"id": str(ind.get("id", i + 1)), "actual": _text(ind.get("actual")), "note": _text(ind.get("note"))}
               for i, ind in enumerate(published["indicators"])]
    printed: dict[str, Any] = {"total": _number(published.get("total"), f"{published['project']}: total"),
                               "grade": published.get("grade")}
    budget = published.get("budget") or {}
    if budget:
        goals["budget"] = {k: v for k, v in budget.items() if k not in _PUBLISHED_BUDGET}
        if budget.get("executed") is not None:
            actuals.append({"indicator": "全年执行数", "actual": _text(budget["executed"])})
        printed["budget_score"] = _number(budget.get("score"), f"{published['project']}: budget score")
        printed["rate"] = _rate(budget.get("rate"), published["project"])
    return goals, actuals, printed


def _text(value: Any) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return ""
    return format_number(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else str(value)


def _number(value: Any, where: str) -> float | None:
    if value is None or (isinstance(value, str) and not value.strip()) or (isinstance(value, float) and pd.isna(value)):
        return None
    try:
        return float(normalise(str(value)).rstrip("分"))
    except ValueError:
        raise InputError(f"'{value}' is not a number", where=where) from None


def _rate(value: Any, project: str) -> float | None:
    """A printed execution rate: 96.15% or 0.9615."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    text = normalise(str(value))
    number = _number(text.rstrip("%"), f"{project}: budget rate")
    return number / 100 if text.endswith("%") or number > 1.5 else number


# ---------------------------------------------------------------- reading published tables

_LONG_HEADERS = {
    "project": ("project", "项目名称"), "id": ("id", "指标编号", "序号"), "level1": ("level1", "一级指标"),
    "level2": ("level2", "二级指标"), "level3": ("level3", "三级指标"),
    "target": ("target", "年度指标值", "指标值"), "weight": ("weight", "分值"),
    "actual": ("actual", "实际完成值"), "score": ("score", "得分"),
    "note": ("note", "偏差原因分析及改进措施", "偏差原因"),
}
_BUDGET_ROWS = ("全年执行数", "预算执行率", "预算执行")
_TOTAL_ROWS = ("总分",)
_GRADE_ROWS = ("评价等级", "等级")


def _published_projects(source: Any, name: str) -> list[tuple[dict, str]]:
    """The published projects of a source, each with where it stands (for messages; `name` names a dict)."""
    if isinstance(source, Mapping):
        data = dict(source)
    else:
        path = Path(source)
        name = str(path)
        if path.suffix.lower() in (".csv", ".xlsx", ".xlsm"):
            return [(project, f"{path}: project '{project['project']}'") for project in _long_projects(path)]
        try:
            data = json.loads(decode_text(read_bytes(path), path))
        except json.JSONDecodeError as exc:
            raise InputError(f"invalid JSON: {exc.msg}", where=f"{path} line {exc.lineno}") from None
    projects = data.get("projects", [data]) if isinstance(data, dict) else None
    if not isinstance(projects, list):
        raise InputError("not a published self-evaluation (a project, or {\"projects\": [...]})", where=name)
    located = []
    for i, project in enumerate(projects):
        where = f"{name}: projects[{i}]" if len(projects) > 1 or "projects" in data else name
        if not (isinstance(project, dict) and isinstance(project.get("indicators"), list) and "project" in project):
            raise InputError("a project needs 'project' and 'indicators'", where=where)
        located.append((project, where))
    return located


def _long_projects(path: Path) -> list[dict]:
    frame = _long_frame(path)
    projects: dict[str, dict] = {}
    for line, row in frame.iterrows():
        name = row.get("project") or path.stem
        project = projects.setdefault(name, {"project": name, "indicators": []})
        level3 = normalise(row.get("level3", ""))
        if level3 in _BUDGET_ROWS:
            budget = {"executed": row.get("actual") or None, "score": row.get("score") or None}
            if row.get("target"):
                budget["full_year"] = _number(row["target"].rstrip("万元"), f"{path} row {line}: 全年预算数")
                budget["unit"] = "万元"
            if row.get("weight"):
                budget["weight"] = _number(row["weight"], f"{path} row {line}: 分值")
            project["budget"] = {k: v for k, v in budget.items() if v is not None}
        elif level3 in _TOTAL_ROWS:
            project["total"] = row.get("score") or row.get("actual")
        elif level3 in _GRADE_ROWS:
            project["grade"] = row.get("actual") or row.get("score")
        else:
            indicator = {k: row[k] for k in ("id", "level1", "level2", "level3", "target", "actual", "score", "note")
                         if row.get(k)}
            if row.get("weight"):
                indicator["weight"] = _number(row["weight"], f"{path} row {line}: 分值")
            project["indicators"].append(indicator)
    return [p for p in projects.values() if p["indicators"]]


def _long_frame(path: Path) -> pd.DataFrame:
    raw = read_table(path)
    lookup = {normalise(alias).lower(): key for key, aliases in _LONG_HEADERS.items() for alias in aliases}
    columns = {c: lookup[normalise(str(c)).lower()] for c in raw.columns if normalise(str(c)).lower() in lookup}
    if "level3" not in columns.values():
        raise InputError("no 三级指标 (level3) column", where=str(path))
    frame = raw[list(columns)].rename(columns=columns).fillna("").astype(str)
    frame.index = range(2, len(frame) + 2)
    return frame[(frame != "").any(axis=1)]


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
