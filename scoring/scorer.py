"""score() and score_batch(): inputs → match → engine → Evaluation. One code path for one or many projects."""
from __future__ import annotations

from pathlib import Path

import pandas as pd

from .budget import score_budget
from .engine import score_frame
from .errors import InputError
from .inputs import ActualsSource, GoalsSource, match, read_actuals, read_goals, select_project
from .model import TABLE_COLUMNS, Evaluation
from .rounding import format_fixed, format_number, from_units
from .rulebook import RuleBook, load_rules

RulesChoice = str | Path | RuleBook | None


def score(goals: GoalsSource, actuals: ActualsSource, rules: RulesChoice = None,
          project: str | None = None) -> Evaluation:
    """Score one project. `goals` and `actuals` are paths, dicts or DataFrames; `rules` a name, path or RuleBook
    (default: the goals file's own `rules`, else national); `project` picks one of several in the goals."""
    evaluations = evaluate(goals, actuals, rules, project)
    if len(evaluations) != 1:
        raise InputError(f"the goals hold {len(evaluations)} projects; name one (project=…, --project) or "
                         "use score_batch() for all")
    return evaluations[0]


def score_batch(goals: GoalsSource, actuals: ActualsSource, rules: RulesChoice = None) -> pd.DataFrame:
    """Score many projects: one row per indicator, the columns of Evaluation.table plus `project`."""
    evaluations = evaluate(goals, actuals, rules)
    return pd.concat([ev.table.assign(project=ev.project.name) for ev in evaluations], ignore_index=True)[
        ["project", *TABLE_COLUMNS]]


def evaluate(goals: GoalsSource, actuals: ActualsSource, rules: RulesChoice = None,
             project: str | None = None) -> list[Evaluation]:
    """Every project of the goals (or the one named), scored, in file order."""
    parsed_goals = read_goals(goals)
    parsed_actuals = read_actuals(actuals)
    if project is not None:
        parsed_goals, parsed_actuals = select_project(parsed_goals, parsed_actuals, project)
    matched = match(parsed_goals, parsed_actuals)
    chosen = load_rules(rules) if rules is not None else None
    rulebooks = {p.name: chosen or load_rules(p.rules) for p in parsed_goals.projects}
    tables = []
    for rulebook in {id(r): r for r in rulebooks.values()}.values():
        names = [name for name, r in rulebooks.items() if r is rulebook]
        part = matched.frame[matched.frame["project"].isin(names)]
        tables.append(score_frame(part, rulebook, parsed_goals.source))
    scored = pd.concat(tables).sort_index()

    evaluations = []
    for project, table in zip(parsed_goals.projects, _split(scored, parsed_goals.projects)):
        rulebook = rulebooks[project.name]
        budget = score_budget(project, matched.executed.get(project.name), rulebook)
        total_units = int(table["score_units"].sum()) + budget["score_units"]
        total = float(from_units(total_units, rulebook.digits))
        unused = [message for name, message in matched.unused
                  if name == project.name or len(parsed_goals.projects) == 1]
        notes = _notes(table, unused) + _points_notes(table, budget, rulebook)
        cap = rulebook.total_cap(budget["rate"])
        if cap is not None and total > cap:
            notes.append(f"执行率 {format_fixed(budget['rate'] * 100, 2)}%：按规则集 {rulebook.name}，总分以 "
                         f"{format_number(cap)} 分封顶（各项得分合计 {format_fixed(total, rulebook.digits)}）")
            total = cap
        evaluations.append(Evaluation(
            project=project, table=table[TABLE_COLUMNS].reset_index(drop=True), budget=budget, total=total,
            grade=rulebook.grade(total), notes=notes, rulebook=rulebook,
            goal_actual=matched.goal_actual.get(project.name, "")))
    return evaluations


def _points_notes(table: pd.DataFrame, budget: dict, rulebook: RuleBook) -> list[str]:
    """Say where the points are not the rule set's usual 100, and why where the reason is known."""
    notes = []
    blocks = {rulebook.block_of(l2) or rulebook.block_of(l1) for l1, l2 in zip(table["level1"], table["level2"])}
    if blocks == {None}:
        notes.append(f"目标表未分一级指标：指标分值由 {len(table)} 项指标平均分配")
    elif table["weight_declared"].isna().all() and rulebook.empty_blocks == "scale":
        absent = [b for b in rulebook.block_points if b not in blocks and rulebook.block_points[b] > 0]
        if absent:
            notes.append(f"目标表没有{'、'.join(absent)}：其分值按比例分给其余一级指标")
    expected = sum(rulebook.block_points.values()) + rulebook.budget_points
    points = float(table["weight"].sum()) + budget["weight"]
    if abs(points - expected) > 1e-6:
        notes.append(f"分值合计 {format_number(points)} 分，不是 {format_number(expected)} 分")
    return notes


def _split(scored: pd.DataFrame, projects: list) -> list[pd.DataFrame]:
    groups = dict(tuple(scored.groupby("project", sort=False)))
    return [groups[p.name].sort_values("pos") for p in projects]


def _notes(table: pd.DataFrame, unused: list[str]) -> list[str]:
    notes = [f"未填报：指标 {row.id}“{row.level3}”没有实际完成值，得0分" for row in
             table[table["status"] == "未填报"].itertuples()]
    notes += [f"需复核：指标 {row.id}“{row.level3}”" for row in table[table["status"] == "需复核"].itertuples()]
    return notes + unused
