"""Attach actuals rows to indicators: by id, else by 三级指标 name, within the row's project.

Nothing is dropped: an indicator without a row keeps an empty actual (it scores as 未填报), and a row that
matches nothing comes back as unused, with its line. Keys are normalised once per distinct value.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ..errors import InputError
from ..language import normalise
from ..model import Actuals, Codes, Goals
from ..uniques import ColumnCodes, combined_codes, factorize, map_unique, recoded, take

# Rows that are not indicators: the executed budget amount and the 年度总体目标 实际完成情况.
BUDGET_ROW = "全年执行数"
GOAL_ROW = "年度总体目标"
BUDGET_ROW_NAMES = frozenset({BUDGET_ROW, "执行数", "预算执行数", "资金执行数"})
GOAL_ROW_NAMES = frozenset({GOAL_ROW, "总体目标", "总体目标完成情况"})


@dataclass
class Matched:
    """Indicators with their actuals attached, and what the actuals said besides."""

    frame: pd.DataFrame  # INDICATOR_COLUMNS + actual, note, person_score, line (of the actuals; 0: none)
    executed: dict[str, tuple[str, str, str]]  # project → (amount as written, where, its 偏差原因)
    goal_actual: dict[str, str]  # project → 实际完成情况 of the 年度总体目标
    unused: list[tuple[str, str]]  # (project, message) per actuals row that matched nothing
    place: Places  # line → "a.csv line 7", for messages
    codes: dict[str, Codes] = field(default_factory=dict)  # columns of `frame` the readers factorized


@dataclass(frozen=True)
class Places:
    """Where an actuals row is, written out only when a message names it."""

    source: str

    def __call__(self, line: int | np.integer) -> str:
        if not line:
            return ""
        return f"{self.source}{' line ' if self.source.endswith(('.csv', '.txt')) else ' row '}{line}"


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
    indicators = goals.indicators[goals.indicators["project"] == picked].reset_index(drop=True)
    return (Goals([chosen[0]], indicators.assign(project_no=0), goals.source),
            Actuals(rows.reset_index(drop=True), actuals.source))


def match(goals: Goals, actuals: Actuals) -> Matched:
    """Attach each actuals row to its indicator (by id, else by 三级指标 name, within its project)."""
    rows = actuals.rows
    place = Places(actuals.source)
    lines = rows["line"].to_numpy(dtype=np.int64)
    row_codes, ind_codes = ColumnCodes(rows, actuals.codes), ColumnCodes(goals.indicators, goals.codes)
    (id_key, id_keys), id_budget, id_goal = _keys(row_codes("id"), _id_key)
    (name_key, name_keys), name_budget, name_goal = _keys(row_codes("indicator"), normalise)
    project_codes, project_names = _assign_projects(row_codes("project"), goals, actuals.source)
    project_name = np.array(project_names, dtype=object)[project_codes]
    budget_rows, goal_rows = np.flatnonzero(id_budget | name_budget), np.flatnonzero(id_goal | name_goal)
    special = id_budget | name_budget | id_goal | name_goal
    executed = _special_rows(rows, lines, place, project_name, budget_rows)
    goal_actual = {p: text for p, (text, _, _) in _special_rows(rows, lines, place, project_name, goal_rows).items()}

    indicators = goals.indicators
    ind_project = indicators["project_no"].to_numpy(dtype=np.int64)
    project_index = {p.name: i for i, p in enumerate(goals.projects)}
    row_project = np.array([project_index.get(name, -1) for name in project_names], dtype=np.int64)[project_codes]
    target = np.full(len(rows), -1, dtype=np.int64)  # the indicator each row gives the actual of
    by_id = ~special & (id_key != "")
    target[by_id] = _lookup(ind_project, _key_codes(ind_codes("id"), _id_key), row_project[by_id],
                            (id_keys[0][by_id], id_keys[1]))
    by_name = ~special & (id_key == "")
    if by_name.any():
        level3_codes, names = _key_codes(ind_codes("level3"), normalise)
        ind_name = recoded(level3_codes, [*names, ""])  # names equal once normalised share a code
        pairs = combined_codes(ind_project, ind_name[0])
        repeated = np.bincount(pairs)[pairs] > 1
        hit = _lookup(ind_project, ind_name, row_project[by_name], (name_keys[0][by_name], name_keys[1]))
        ambiguous = (hit >= 0) & repeated[np.maximum(hit, 0)]
        if ambiguous.any():
            i = int(np.flatnonzero(by_name)[np.flatnonzero(ambiguous)[0]])
            raise InputError(f"三级指标 '{rows['indicator'].iat[i]}' names several indicators; give the 指标编号 (id)",
                             where=place(lines[i]))
        target[by_name] = hit

    # unused: rows that match no indicator, and 全年执行数/总体目标 rows of a project the goals do not hold
    unused = [(project_name[i], f"{place(lines[i])}：“{rows['indicator'].iat[i] or rows['id'].iat[i]}”"
                                + (f"一行的项目“{project_name[i]}”不在目标中" if special[i] else
                                   f"不对应项目“{project_name[i]}”的任何指标") + "，该行未使用")
              for i in np.flatnonzero((~special & (target < 0)) | (special & (row_project < 0)))]
    used = np.flatnonzero(target >= 0)
    counts = np.bincount(target[used], minlength=len(indicators))
    if (counts > 1).any():
        twice = np.flatnonzero(counts > 1)[0]
        both = ", ".join(map(str, lines[used[target[used] == twice][:2]]))
        raise InputError(f"two rows (lines {both}) give the actual of indicator '{indicators['level3'].iat[twice]}'",
                         where=actuals.source)

    attached = {}
    for column in ("actual", "note", "score"):
        cells = np.full(len(indicators), "", dtype=object)
        cells[target[used]] = rows[column].to_numpy(dtype=object)[used]
        attached[column] = pd.Series(cells, index=indicators.index, dtype=object, copy=False)  # not str dtype
    codes = dict(goals.codes)
    for column in ("actual", "note"):  # each indicator's code is its row's (-1: no row, the "" put last)
        row_code, texts = row_codes(column)
        code = np.full(len(indicators), -1, dtype=np.int64)
        code[target[used]] = row_code[used]
        codes[column] = recoded(code, [*texts, ""])
    attached_lines = np.zeros(len(indicators), dtype=np.int64)
    attached_lines[target[used]] = lines[used]
    frame = indicators.assign(**attached, line=attached_lines)
    frame["person_score"] = _person_scores(frame, place)
    return Matched(frame=frame.drop(columns=["score"]), executed=executed, goal_actual=goal_actual, unused=unused,
                   place=place, codes=codes)


def _lookup(ind_project: np.ndarray, ind_key: Codes, row_project: np.ndarray, row_key: Codes) -> np.ndarray:
    """For each row, the indicator with the same project and key (first of equals), or -1. The keys come as
    codes into their distinct texts (-1: none), given one shared code; then one integer per (project, key)
    pair, looked up in a hash index."""
    (ind_code, ind_texts), (row_code, row_texts) = ind_key, row_key
    shared, _ = factorize([*ind_texts, "", *row_texts, ""])  # each side's code -1 takes its ""
    width = int(shared.max()) + 2 if len(shared) else 1
    ind_codes = ind_project * width + shared[:len(ind_texts) + 1][ind_code]
    row_codes = np.where(row_project >= 0, row_project * width + shared[len(ind_texts) + 1:][row_code], -1)
    positions = pd.Series(np.arange(len(ind_codes)), index=ind_codes)
    positions = positions[~positions.index.duplicated()]  # a repeated name: its first (refused as ambiguous)
    return positions.reindex(row_codes).fillna(-1).to_numpy(dtype=np.int64)


def _id_key(value: str) -> str:
    text = normalise(value)
    if text.endswith(".0") and text[:-2].isdigit():
        return text[:-2]
    return text


def _assign_projects(project: Codes, goals: Goals, source: str) -> Codes:
    """The goals' name of each row's project (as the row wrote it where it names none of them), as codes
    into the names (code -1 takes the last); `project`: the rows' project column factorized."""
    exact = {p.name for p in goals.projects}
    codes, written = project
    if not any(written) and len(goals.projects) > 1:
        raise InputError(f"the goals hold {len(goals.projects)} projects; the actuals need a 项目名称 "
                         "(project) column", where=source)
    alone = goals.projects[0].name if len(goals.projects) == 1 else ""
    if all(name in exact for name in written if name):
        return codes, [*(name or alone for name in written), alone]
    normalised = {normalise(p.name): p.name for p in goals.projects}  # only when some name needs it
    found = [name if name in exact else normalised.get(normalise(name), name) if name else alone
             for name in written]
    return codes, [*found, alone]


def _keys(column: Codes, key: Callable[[str], str]) -> tuple[tuple[np.ndarray, Codes], np.ndarray, np.ndarray]:
    """Each cell's matching key (and the keys as codes into the distinct cells' keys), and whether it names
    the budget row (全年执行数) or the 总体目标 row; `column` factorized, each distinct cell read once."""
    codes, keys = _key_codes(column, key)
    return ((take(keys, codes, missing=""), (codes, keys)),
            take([k in BUDGET_ROW_NAMES for k in keys], codes, bool, False),
            take([k in GOAL_ROW_NAMES for k in keys], codes, bool, False))


def _key_codes(column: Codes, key: Callable[[str], str]) -> Codes:
    """A factorized column's codes, with the key of each distinct value."""
    codes, cells = column
    return codes, [key(cell) for cell in cells]


def _special_rows(rows: pd.DataFrame, lines: np.ndarray, place: Places, project_name: np.ndarray,
                  picked: np.ndarray) -> dict[str, tuple[str, str, str]]:
    """{project: (actual, place, note)} of the rows `picked` (the budget rows, or the 总体目标 rows); one each."""
    projects = project_name[picked]
    twice = pd.Series(projects).duplicated(keep=False).to_numpy()
    if twice.any():
        first, second = picked[np.flatnonzero(twice)[:2]]
        raise InputError(f"a second '{rows['indicator'].iat[second] or rows['id'].iat[second]}' row for project "
                         f"'{project_name[second]}' (first: {place(lines[first])})", where=place(lines[second]))
    return dict(zip(projects, zip(rows["actual"].to_numpy(dtype=object)[picked], map(place, lines[picked]),
                                  rows["note"].to_numpy(dtype=object)[picked])))


def _person_scores(frame: pd.DataFrame, place: Places) -> np.ndarray:
    """A person's score where the row gives one (NaN elsewhere); anything else than points (a finite number, not
    negative) is refused."""
    numbers = np.full(len(frame), np.nan)
    given = np.flatnonzero(frame["score"].to_numpy(dtype=object) != "")
    if len(given):
        text = map_unique(frame["score"].to_numpy(dtype=object)[given], normalise, missing="")
        numbers[given] = pd.to_numeric(pd.Series(text).str.rstrip("分"), errors="coerce").to_numpy(dtype=float)
        bad = given[~np.isfinite(numbers[given]) | (numbers[given] < 0)]
        if len(bad):
            i = int(bad[0])
            raise InputError(f"得分 (score) '{frame['score'].iat[i]}' of '{frame['level3'].iat[i]}' is not a "
                             "number of points", where=place(int(frame["line"].iat[i])))
    return numbers
