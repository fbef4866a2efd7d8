"""Attach actuals rows to indicators: by id, else by 三级指标 name, within the row's project.

Nothing is dropped: an indicator without a row keeps an empty actual (it scores as 未填报), and a row that
matches nothing comes back as unused, with its line. Keys are normalised once per distinct value.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..errors import InputError
from ..language import normalise
from ..model import Actuals, Goals
from ..uniques import map_unique

# Rows that are not indicators: the executed budget amount and the 年度总体目标 实际完成情况.
BUDGET_ROW = "全年执行数"
GOAL_ROW = "年度总体目标"
BUDGET_ROW_NAMES = frozenset({BUDGET_ROW, "执行数", "预算执行数", "资金执行数"})
GOAL_ROW_NAMES = frozenset({GOAL_ROW, "总体目标", "总体目标完成情况"})


@dataclass
class Matched:
    """Indicators with their actuals attached, and what the actuals said besides."""

    frame: pd.DataFrame  # INDICATOR_COLUMNS + actual, note, person_score, where
    executed: dict[str, tuple[str, str]]  # project → (amount as written, where)
    goal_actual: dict[str, str]  # project → 实际完成情况 of the 年度总体目标
    unused: list[tuple[str, str]]  # (project, message) per actuals row that matched nothing


def select_project(goals: Goals, actuals: Actuals, name: str) -> tuple[Goals, Actuals]:
    """One project of several: its goals, and the actuals rows that name it (or name no project)."""
    key = normalise(name)
    chosen = [p for p in goals.projects if normalise(p.name) == key]
    if not chosen:
        names = "', '".join(p.name for p in goals.projects[:5])
        raise InputError(f"no project '{name}' (the goals hold '{names}'"
                         f"{' …' if len(goals.projects) > 5 else ''})", where=goals.source)
    picked = chosen[0].name
    given = map_unique(actuals.rows["project"], normalise, missing="")
    rows = actuals.rows[(given == key) | (given == "")]
    return (Goals([chosen[0]], goals.indicators[goals.indicators["project"] == picked].reset_index(drop=True),
                  goals.source), Actuals(rows.reset_index(drop=True), actuals.source))


def match(goals: Goals, actuals: Actuals) -> Matched:
    """Attach each actuals row to its indicator (by id, else by 三级指标 name, within its project)."""
    rows = actuals.rows.copy()
    where = actuals.source + (" line " if actuals.source.endswith((".csv", ".txt")) else " row ")
    rows["where"] = where + rows["line"].astype(str)
    rows["id_key"] = map_unique(rows["id"], _id_key, missing="")
    rows["name_key"] = map_unique(rows["indicator"], normalise, missing="")
    rows["project_name"] = _assign_projects(rows, goals, actuals.source)

    special_names = BUDGET_ROW_NAMES | GOAL_ROW_NAMES
    special = rows["name_key"].isin(special_names) | rows["id_key"].isin(special_names)
    executed = _special_rows(rows[special], BUDGET_ROW_NAMES)
    goal_actual = {p: text for p, (text, _) in _special_rows(rows[special], GOAL_ROW_NAMES).items()}
    rows = rows[~special]

    indicators = goals.indicators[["project", "id", "level3"]].copy()
    indicators["row"] = np.arange(len(indicators))
    indicators["id_key"] = map_unique(indicators["id"], _id_key, missing="")
    indicators["name_key"] = map_unique(indicators["level3"], normalise, missing="")

    by_id = rows[rows["id_key"] != ""].merge(
        indicators[["project", "id_key", "row"]], left_on=["project_name", "id_key"],
        right_on=["project", "id_key"], how="left", suffixes=("", "_goal"))
    by_name_rows = rows[rows["id_key"] == ""]
    duplicated_names = indicators.duplicated(["project", "name_key"], keep=False)
    ambiguous = by_name_rows.merge(indicators.loc[duplicated_names, ["project", "name_key"]].drop_duplicates(),
                                   left_on=["project_name", "name_key"], right_on=["project", "name_key"])
    if len(ambiguous):
        first = ambiguous.iloc[0]
        raise InputError(f"三级指标 '{first['indicator']}' names several indicators; give the 指标编号 (id)",
                         where=first["where"])
    by_name = by_name_rows.merge(
        indicators.loc[~duplicated_names, ["project", "name_key", "row"]], left_on=["project_name", "name_key"],
        right_on=["project", "name_key"], how="left", suffixes=("", "_goal"))
    found = pd.concat([by_id, by_name], ignore_index=True)

    unmatched = found[found["row"].isna()].sort_values("line")
    unused = [(project, f"{at}：“{indicator or ident}”不对应项目“{project}”的任何指标，该行未使用")
              for project, at, indicator, ident in zip(unmatched["project_name"], unmatched["where"],
                                                       unmatched["indicator"], unmatched["id"])]
    used = found[found["row"].notna()].astype({"row": int})
    twice = used[used.duplicated("row", keep=False)].sort_values("line")
    if len(twice):
        lines = ", ".join(twice["line"].astype(str).iloc[:2])
        name = goals.indicators["level3"].iat[twice["row"].iloc[0]]
        raise InputError(f"two rows (lines {lines}) give the actual of indicator '{name}'", where=actuals.source)

    frame = goals.indicators.copy()
    attached = used.set_index("row")
    for column in ("actual", "note", "score", "where"):
        frame[column] = attached[column].reindex(np.arange(len(frame))).fillna("").to_numpy(dtype=object)
    frame["person_score"] = _person_scores(frame)
    return Matched(frame=frame.drop(columns=["score"]), executed=executed, goal_actual=goal_actual, unused=unused)


def _id_key(value: str) -> str:
    text = normalise(value)
    if text.endswith(".0") and text[:-2].isdigit():
        return text[:-2]
    return text


def _assign_projects(rows: pd.DataFrame, goals: Goals, source: str) -> np.ndarray:
    names = {normalise(p.name): p.name for p in goals.projects}
    given = map_unique(rows["project"], normalise, missing="")
    if (given == "").all():
        if len(goals.projects) > 1:
            raise InputError(f"the goals hold {len(goals.projects)} projects; the actuals need a 项目名称 "
                             "(project) column", where=source)
        return np.full(len(rows), goals.projects[0].name, dtype=object)
    if len(goals.projects) == 1:
        given = np.where(given == "", normalise(goals.projects[0].name), given)
    found = pd.Series(given).map(names)
    return found.where(found.notna(), rows["project"].to_numpy()).to_numpy(dtype=object)


def _special_rows(rows: pd.DataFrame, names: frozenset) -> dict[str, tuple[str, str]]:
    picked = rows[rows["name_key"].isin(names) | rows["id_key"].isin(names)]
    twice = picked[picked.duplicated("project_name", keep=False)]
    if len(twice):
        first, second = twice.iloc[0], twice.iloc[1]
        raise InputError(f"a second '{second['indicator'] or second['id']}' row for project "
                         f"'{second['project_name']}' (first: {first['where']})", where=second["where"])
    return dict(zip(picked["project_name"], zip(picked["actual"], picked["where"])))


def _person_scores(frame: pd.DataFrame) -> np.ndarray:
    text = map_unique(frame["score"], normalise, missing="")
    numbers = pd.to_numeric(pd.Series(text).str.rstrip("分"), errors="coerce").to_numpy(dtype=float)
    bad = (text != "") & (np.isnan(numbers) | (numbers < 0))
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise InputError(f"得分 (score) '{frame['score'].iat[i]}' of '{frame['level3'].iat[i]}' is not a number "
                         "of points", where=frame["where"].iat[i])
    return numbers
