"""Past one machine: score a Dask DataFrame partition by partition with score_batch (extra `scoring[dask]`).

    import dask.dataframe as dd
    from scoring.partitions import goals_frame, score_partitions

    goals = dd.from_map(goals_frame, sorted(glob("goals/*.json")))    # one row per indicator
    actuals = dd.read_csv("actuals/*.csv", dtype=str, keep_default_na=False)
    scored = score_partitions(goals, actuals)                          # lazy; .compute() or .to_parquet()

A project's points are shared among its own indicators, so both frames are first shuffled on `project` into
the same partitions; each pair of partitions is then scored by score_batch, the function a single process
runs, and the result is the frame score_batch gives (rows of one project together, in table order).
"""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from .errors import InputError
from .inputs import read_goals
from .inputs.actuals import clean_cell, map_headers
from .inputs.goals_table import BUDGET_COLUMNS, TEXT_FIELDS
from .language import normalise
from .model import TABLE_COLUMNS
from .scorer import RulesChoice, score_batch
from .uniques import map_unique

try:
    import dask.dataframe as dd
except ImportError as exc:  # pragma: no cover - depends on the extra being installed
    raise ImportError("scoring.partitions needs Dask: pip install 'scoring[dask]'") from exc

_NUMBERS = frozenset({"weight", "score", "weight_declared", "person_score"})
_HEADER_TEXTS = tuple(key for key in TEXT_FIELDS if key != "goal")  # a project's header fields given as text
_GOALS_COLUMNS = ["project", "department", "agency", "year", "rules", "form", *BUDGET_COLUMNS.values(), "id",
                  "level1", "level2", "level3", "description", "target", "weight", "rule", "direction"]


def goals_frame(source: str | Path) -> pd.DataFrame:
    """A goals file (or anything read_goals reads) as one row per indicator, the form score_partitions takes:
    `project`, its header's fields (`department`, `agency`, `year`, `rules`, `form`), the budget columns (empty
    where a project has no budget) and the indicator fields. The 年度总体目标 (`goal`, up to 20,000 characters)
    is left out: it would be copied onto every indicator's row, and a scored frame does not show it."""
    goals = read_goals(source)
    frame, projects = goals.indicators, goals.projects
    numbers = frame["project_no"].to_numpy()
    budgets = {column: _spread([getattr(p.budget, key, None) for p in projects], numbers,
                               "str" if key == "unit" else "Float64") for key, column in BUDGET_COLUMNS.items()}
    texts = {key: _spread([getattr(p, key) or None for p in projects], numbers, "str") for key in _HEADER_TEXTS}
    return pd.DataFrame({
        "project": frame["project"], "year": _spread([p.year for p in projects], numbers, "Int64"), **texts,
        **budgets,
        "id": frame["id"], "level1": frame["level1"], "level2": frame["level2"], "level3": frame["level3"],
        "description": frame["description"], "target": frame["target"], "weight": frame["weight_declared"],
        "rule": pd.array(frame["rule"], dtype="str"), "direction": pd.array(frame["direction_given"], dtype="str"),
    }, columns=_GOALS_COLUMNS)


def _spread(values: list, numbers: np.ndarray, dtype: str) -> pd.api.extensions.ExtensionArray:
    """One value per project (None: empty) on each of its indicators' rows (`numbers`: each row's project)."""
    return pd.array(np.array(values, dtype=object)[numbers], dtype=dtype)


def score_partitions(goals: dd.DataFrame, actuals: dd.DataFrame, rules: RulesChoice = None,
                     npartitions: int | None = None) -> dd.DataFrame:
    """score_batch over a Dask DataFrame of indicators (one row each, with `project`) and one of actuals rows
    (with `project`), partition by partition. `npartitions` defaults to the goals' partitions."""
    if "project" not in goals.columns:
        raise InputError("the goals frame needs a `project` column to be scored in partitions", where="goals")
    column = map_headers(actuals.columns, "actuals").get("project")  # project, 项目名称 …
    if column is None:
        raise InputError("the actuals frame needs a 项目名称 (project) column to be scored in partitions",
                         where="actuals")
    parts = npartitions or goals.npartitions
    # The same hash of each row's project, as matching reads it, into the same number of partitions: partition
    # i of both holds the same projects. An actuals row without one (a merged 项目名称 cell) belongs to the
    # project above it. A shuffle may reorder rows; their numbers put each project's rows back in order.
    keys = (goals["project"].map_partitions(_project_keys, meta=("project", object)),
            actuals[column].map_partitions(_project_keys, meta=(column, object)).ffill().fillna(""))
    goals, actuals = (frame.map_partitions(_numbered).assign(**{_KEY: key}).shuffle(on=_KEY, npartitions=parts)
                      for frame, key in zip((goals, actuals), keys))
    return dd.map_partitions(_score_partition, goals, actuals, rules, meta=_meta(), align_dataframes=False)


_ORDER, _KEY = "__scoring_order", "__scoring_project"


def _project_keys(names: pd.Series) -> pd.Series:
    """Each row's project as matching compares names (normalised: 项目1 and "项目1 " are one), None where blank."""
    keys = map_unique(names.to_numpy(dtype=object), lambda name: normalise(clean_cell(name)) or None)
    return pd.Series(keys, index=names.index, dtype=object)


def _numbered(frame: pd.DataFrame, partition_info: dict | None = None) -> pd.DataFrame:
    """Each row's place in the whole frame, as (partition number, row) in one integer."""
    number = partition_info["number"] if partition_info else 0
    return frame.assign(**{_ORDER: (number << 32) + np.arange(len(frame), dtype=np.int64)})


def _in_order(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.sort_values(_ORDER, kind="stable").drop(columns=[_ORDER, _KEY]).reset_index(drop=True)


def _score_partition(goals: pd.DataFrame, actuals: pd.DataFrame, rules: RulesChoice) -> pd.DataFrame:
    if goals.empty:  # no project hashed here; its actuals rows (if any) match nothing, as in score_batch
        return _meta()
    return score_batch(_in_order(goals), _in_order(actuals), rules)


def _meta() -> pd.DataFrame:
    """The empty frame with score_batch's columns and types."""
    return pd.DataFrame({column: pd.Series(dtype="float64" if column in _NUMBERS else "str")
                         for column in ["project", *TABLE_COLUMNS]})
