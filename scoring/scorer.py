"""score() and score_batch(): inputs → match → engine → Evaluation. One code path for one or many projects.

The engine scores all the indicators of all projects in one pass per rule set; score_batch() returns that
frame as it is, and evaluate() cuts it into one Evaluation per project for the reports.
"""
from __future__ import annotations

import gc
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from .budget import score_budget
from .engine import score_frame
from .errors import InputError, ScoringError
from .inputs import ActualsSource, GoalsSource, Matched, match, read_actuals, read_goals, select_project
from .model import TABLE_COLUMNS, Evaluation, Goals
from .rounding import format_fixed, format_number, from_units
from .rulebook import RuleBook, rule_set

RulesChoice = str | Path | RuleBook | None


def score(goals: GoalsSource, actuals: ActualsSource, rules: RulesChoice = None,
          project: str | None = None, *, strict: bool = False, encoding: str | None = None) -> Evaluation:
    """Score one project. `goals` and `actuals` are paths, dicts or DataFrames; `rules` a name, path or RuleBook
    (default: the goals file's own `rules`, else national); `project` picks one of several in the goals.
    `strict` refuses what is otherwise flagged (unmatched rows, missing or unreadable values, unread rules,
    points that do not add up); `encoding` names the actuals CSV's encoding instead of detecting it."""
    evaluations = evaluate(goals, actuals, rules, project, strict=strict, encoding=encoding)
    if len(evaluations) != 1:
        raise InputError(f"the goals hold {len(evaluations)} projects; name one (project=…, --project) or "
                         "use score_batch() for all")
    return evaluations[0]


def score_batch(goals: GoalsSource, actuals: ActualsSource, rules: RulesChoice = None, *, strict: bool = False,
                encoding: str | None = None) -> pd.DataFrame:
    """Score many projects: one row per indicator, the columns of Evaluation.table plus `project`."""
    _refuse_bad_options(rules, None, encoding)
    scored = _score(goals, actuals, rules, None, strict, encoding)
    return scored.table[["project", *TABLE_COLUMNS]].reset_index(drop=True)


def evaluate(goals: GoalsSource, actuals: ActualsSource, rules: RulesChoice = None,
             project: str | None = None, *, strict: bool = False, encoding: str | None = None) -> list[Evaluation]:
    """Every project of the goals (or the one named), scored, in file order."""
    _refuse_bad_options(rules, project, encoding)
    scored = _score(goals, actuals, rules, project, strict, encoding)
    table = scored.table
    notes = _row_notes(table)
    unused: dict[str, list[str]] = {}
    names = {p.name for p in scored.goals.projects}
    for name, message in scored.matched.unused:  # a row of no project scored: in the first project's notes
        unused.setdefault(name if name in names else scored.goals.projects[0].name, []).append(message)
    # Each project's rows are a slice: of numpy columns for its sums and notes, and of one consolidated copy of
    # the table columns for its Evaluation (slicing the engine's frame, a block per column, cost 0.3 ms each)
    shown = table[TABLE_COLUMNS].copy()
    units = table["score_units"].to_numpy()
    level1, level2 = table["level1"].to_numpy(), table["level2"].to_numpy()
    weight, declared = table["weight"].to_numpy(), table["weight_declared"].to_numpy()
    evaluations = []
    for project_, (start, stop) in zip(scored.goals.projects, _slices(table)):
        rulebook = scored.rulebooks[project_.name]
        budget = score_budget(project_, scored.matched.executed.get(project_.name), rulebook)
        total = float(from_units(int(units[start:stop].sum()) + budget["score_units"], rulebook.digits))
        rows = slice(start, stop)
        missing = [budget["explanation"]] if budget["status"] == "未填报" and budget["weight"] else []
        project_notes = notes[rows] + missing + unused.get(project_.name, []) + _points_notes(
            level1[rows], level2[rows], declared[rows], weight[rows], budget, rulebook)
        cap = rulebook.total_cap(budget["rate"])
        if cap is not None and total > cap:
            project_notes.append(f"执行率 {format_fixed(budget['rate'] * 100, 2)}%：按规则集 {rulebook.name}，总分以 "
                                 f"{format_number(cap)} 分封顶（各项得分合计 {format_fixed(total, rulebook.digits)}）")
            total = cap
        evaluations.append(Evaluation(
            project=project_, table=shown.iloc[rows].reset_index(drop=True), budget=budget, total=total,
            grade=rulebook.grade(total), notes=[n for n in project_notes if n], rulebook=rulebook,
            goal_actual=scored.matched.goal_actual.get(project_.name, "")))
    return evaluations


def _refuse_bad_options(rules: object, project: object, encoding: object) -> None:
    """Options of a type they cannot have, refused by name (goals and actuals: by their readers)."""
    if not (rules is None or isinstance(rules, (str, Path, RuleBook))):
        raise ScoringError(f"must be a name, a path or a RuleBook, not {type(rules).__name__}", where="rules")
    for name, value in (("project", project), ("encoding", encoding)):
        if not (value is None or isinstance(value, str)):
            raise ScoringError(f"must be a text (str), not {type(value).__name__}", where=name)


@dataclass
class _Scored:
    goals: Goals
    matched: Matched
    table: pd.DataFrame  # every indicator scored, in project order then table order
    rulebooks: dict[str, RuleBook]


@contextmanager
def _collector_paused():
    """A run builds millions of objects and no reference cycles: the cyclic garbage collector would walk
    them all again and again (about a tenth of the time at a million indicators). Reference counting still
    frees everything; the collector is restored afterwards."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _score(goals: GoalsSource, actuals: ActualsSource, rules: RulesChoice, project: str | None,
           strict: bool = False, encoding: str | None = None) -> _Scored:
    with _collector_paused():
        return _score_all(goals, actuals, rules, project, strict, encoding)


def _score_all(goals: GoalsSource, actuals: ActualsSource, rules: RulesChoice, project: str | None,
               strict: bool, encoding: str | None) -> _Scored:
    parsed_goals = read_goals(goals)
    parsed_actuals = read_actuals(actuals, encoding)
    if project is not None:
        parsed_goals, parsed_actuals = select_project(parsed_goals, parsed_actuals, project)
    matched = match(parsed_goals, parsed_actuals)
    del parsed_actuals  # its rows live on in matched.frame: free the rest before scoring (peak memory)
    chosen = rule_set(rules, where="rules") if rules is not None else None
    books: dict[str | None, RuleBook] = {}
    for p in parsed_goals.projects:  # a goals file's own choice, unless one is asked for
        if p.rules not in books:
            books[p.rules] = chosen or rule_set(p.rules, where=f"{parsed_goals.source}: project '{p.name}': rules")
    rulebooks = {p.name: books[p.rules] for p in parsed_goals.projects}
    frame = matched.frame
    if len({id(r) for r in rulebooks.values()}) == 1:  # the frame stays in goals order
        scored = score_frame(frame, next(iter(rulebooks.values())), parsed_goals.source, matched.place,
                             matched.codes)
    else:
        book_of = frame["project"].map({name: id(r) for name, r in rulebooks.items()})
        books = {id(r): r for r in rulebooks.values()}
        scored = pd.concat([score_frame(part, books[key], parsed_goals.source, matched.place)
                            for key, part in frame.groupby(book_of, sort=False)])
        scored = scored.sort_values(["project_no", "pos"], kind="stable")
    result = _Scored(parsed_goals, matched, scored, rulebooks)
    if strict:
        _refuse_what_is_flagged(result)
    return result


def _refuse_what_is_flagged(scored: _Scored) -> None:
    """--strict: the first of the problems a report would only flag, as an error (with how many more)."""
    table, source = scored.table, scored.goals.source
    problems = [message for _, message in scored.matched.unused]
    for row in table[table["status"].isin(["未填报", "需复核"])].itertuples():
        where = scored.matched.place(row.line) or source
        what = f"project '{row.project}', indicator {row.id} '{row.level3}'"
        if row.status == "未填报":
            problems.append(f"{source}: {what} has no actual (未填报)")
        else:
            reason = next((f for f in row.flags.split("；") if "无法判读" in f), row.explanation)
            problems.append(f"{where}: {what}: {reason}")
    weights = table.groupby("project", sort=False)["weight"].sum()
    for p in scored.goals.projects:
        book = scored.rulebooks[p.name]
        budget = p.budget.weight if p.budget and p.budget.weight is not None else book.budget_points
        if budget and not (p.budget and p.budget.planned):
            problems.append(f"{source}: project '{p.name}' has no budget (budget.full_year) in the goals: its "
                            "预算执行率 cannot be scored")
        elif budget and not str(scored.matched.executed.get(p.name, ("",))[0]).strip():  # no row, or a blank one
            problems.append(f"{source}: project '{p.name}' has no 全年执行数 in the actuals (未填报)")
        points, expected = weights.get(p.name, 0.0) + budget, sum(book.block_points.values()) + book.budget_points
        if abs(points - expected) > 1e-6:
            problems.append(f"{source}: project '{p.name}': the 分值 add up to {format_number(points)}, "
                            f"not {format_number(expected)}")
    if problems:
        more = f" (and {len(problems) - 1} more: run without --strict to see them in the report)" \
            if len(problems) > 1 else ""
        raise InputError(problems[0] + more)


def _slices(table: pd.DataFrame) -> list[tuple[int, int]]:
    """(start, stop) of each project's rows in the table (in goals order), in project order."""
    order = table["project_no"].to_numpy()
    starts = np.flatnonzero(np.r_[True, order[1:] != order[:-1]])
    return list(zip(starts, np.r_[starts[1:], len(order)]))


def _row_notes(table: pd.DataFrame) -> list[str]:
    """A note per row ("" for most): the indicators without an actual, and those a person must review."""
    status = table["status"].to_numpy()
    notes = [""] * len(table)
    for i in np.flatnonzero(np.isin(status, ("未填报", "需复核"))):
        ident, level3 = table["id"].iat[i], table["level3"].iat[i]
        notes[i] = (f"未填报：指标 {ident}“{level3}”没有实际完成值，得0分" if status[i] == "未填报"
                    else f"需复核：指标 {ident}“{level3}”")
    return notes


def _points_notes(level1: np.ndarray, level2: np.ndarray, declared: np.ndarray, weight: np.ndarray, budget: dict,
                  rulebook: RuleBook) -> list[str]:
    """Say where the points are not the rule set's usual 100, and why where the reason is known (from one
    project's levels, declared and actual 分值)."""
    notes = []
    blocks = {rulebook.block(l1, l2) for l1, l2 in zip(level1, level2)}
    if blocks == {None}:
        notes.append(f"目标表未分一级指标：指标分值由 {len(level1)} 项指标平均分配")
    elif pd.isna(declared).all() and rulebook.empty_blocks == "scale":
        absent = [b for b in rulebook.block_points if b not in blocks and rulebook.block_points[b] > 0]
        if absent:
            notes.append(f"目标表没有{'、'.join(absent)}：其分值按比例分给其余一级指标")
    expected = sum(rulebook.block_points.values()) + rulebook.budget_points
    points = float(weight.sum()) + budget["weight"]
    if abs(points - expected) > 1e-6:
        notes.append(f"分值合计 {format_number(points)} 分，不是 {format_number(expected)} 分")
    return notes
