"""Goals given as a table: a DataFrame with one row per indicator, its `project` (and, per project, `department`,
`agency`, `year`, `goal`, `rules`, `form` and the budget columns `budget_unit`, `budget_initial`, `budget_full_year`, `budget_weight`) and
the indicator fields of a goals file. Read column by column, as a file's indicators are: a
partition of a Dask frame or an audit script's million rows are never turned into a dict per row, unless
they break the schema and the JSON Schema validator has to say where (`as_goals_data`).
"""
from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..errors import InputError
from ..uniques import factorize, first_rows, take

NAME = "goals DataFrame"
_DEFAULT_PROJECT = "项目"  # a table without a `project` column is one project
# A project's budget field (goals.schema.json's budget.unit …) and the column that gives it
BUDGET_COLUMNS = {"unit": "budget_unit", "initial": "budget_initial", "full_year": "budget_full_year",
                  "weight": "budget_weight"}
# a project's value is the first its rows give
_PER_PROJECT = ("department", "agency", "year", "goal", "rules", "form", *BUDGET_COLUMNS.values())
# a project's text fields (the goals file's strings): those partitions.goals_frame writes as str columns (not
# `goal`). A blank cell gives none (the project's next cell, else the default: national, a project form). The
# free text is read as text (a code from Excel: 101 is "101"); `rules` and `form` are names from a fixed set,
# read without the spaces around them, and a number is no name: refused at its row, whichever row it is.
TEXT_FIELDS = ("department", "agency", "goal", "rules", "form")
_NAMES = {"rules": "a rule set", "form": "a form"}
_TEXT = tuple(key for key in TEXT_FIELDS if key not in _NAMES)


@dataclass
class GoalsTable:
    """The table read: the project headers as a goals file writes them ({"project", "department", "agency",
    "year", "goal", "rules", "form", "budget"}), the number of indicators of each, and each indicator field's cells (None where empty), rows
    grouped by project in the order the projects first appear."""

    headers: list[dict]
    counts: np.ndarray
    cells: dict[str, np.ndarray]
    codes: dict[str, tuple[np.ndarray, np.ndarray]]  # the cells factorized (where all are hashable)


def read_table(frame: pd.DataFrame, fields: tuple[str, ...]) -> GoalsTable:
    """The projects and the `fields` columns of a goals table. A row without a project is refused."""
    if frame.columns.has_duplicates:
        twice = frame.columns[frame.columns.duplicated()][0]
        raise InputError(f"column '{twice}' appears twice", where=NAME)
    if "project" in frame.columns:
        try:
            codes, names = factorize(frame["project"])
        except TypeError:  # a list or a dict where a name belongs
            projects = frame["project"].to_numpy(dtype=object)
            bad = next(i for i, name in enumerate(projects.tolist()) if not isinstance(name, Hashable))
            raise InputError(f"a project name, not {type(projects[bad]).__name__}",
                             where=_row(frame.index, bad)) from None
        if len(codes) and codes.min() < 0:
            raise InputError("an indicator without a project", where=_row(frame.index, int(np.argmin(codes))))
        names = [str(name) for name in names]
    else:
        codes, names = np.zeros(len(frame), dtype=np.int64), [_DEFAULT_PROJECT]
    order = None if (np.diff(codes) >= 0).all() else np.argsort(codes, kind="stable")  # group the projects' rows
    cells, coded = {}, {}
    for key in (*_PER_PROJECT, *fields):
        if key in frame.columns:
            cells[key], field_codes = _cells(frame[key], order)
            if field_codes is not None:
                coded[key] = field_codes
    labels = frame.index if order is None else frame.index[order]  # each row's index label, rows grouped
    if order is not None:
        codes = codes[order]
    headers = [{"project": name} for name in names]
    for key in _PER_PROJECT:
        if key in cells:
            values = cells.pop(key)
            field_codes, distinct = coded[key] if key in coded else _each_own(values)  # (not computed for nothing)
            given = _given(field_codes, distinct, text=key in TEXT_FIELDS)
            if key in _NAMES:
                _names_are_text(key, field_codes, distinct, given, labels)
            _first_per_project(headers, key, values, given, codes)
    if any(column in frame.columns for column in BUDGET_COLUMNS.values()):  # (else a pass over every project)
        for header in headers:
            _budget_into(header)
    return GoalsTable(headers, np.bincount(codes, minlength=len(names)), cells,
                      {key: value for key, value in coded.items() if key in cells})


def _budget_into(header: dict) -> None:
    """A project's budget columns as its `budget`, the goals file's object; none given: no budget."""
    budget = {key: header.pop(column) for key, column in BUDGET_COLUMNS.items() if column in header}
    if budget:
        header["budget"] = budget


def _row(index: pd.Index, position: int, column: str = "project") -> str:
    """Where a message about a cell of a row points (its index label as a Python value: 11, not
    np.int64(11))."""
    return f"{NAME}: index {index[[position]].tolist()[0]!r}, column {column}"


def as_goals_data(table: GoalsTable) -> dict:
    """The goals dict the table stands for ({"projects": [...]}, an indicator dict without its empty cells),
    for the JSON Schema validator to name what is wrong."""
    keys = list(table.cells)
    rows = [{key: value for key, value in zip(keys, values) if value is not None}
            for values in zip(*(table.cells[key].tolist() for key in keys))] if keys else \
        [{} for _ in range(int(table.counts.sum()))]
    starts = np.cumsum(table.counts) - table.counts
    return {"projects": [{**header, "indicators": rows[start:start + count]}
                         for header, start, count in zip(table.headers, starts.tolist(), table.counts.tolist())]}


def _cells(column: pd.Series, order: np.ndarray | None) -> tuple[np.ndarray, tuple[np.ndarray, np.ndarray] | None]:
    """A column's values as Python objects, None where empty (NaN, NA, None), and the column factorized
    (None where a cell is unhashable: a list, say)."""
    if isinstance(column.dtype, pd.StringDtype):  # text only: each row can be its distinct str itself
        codes, distinct = factorize(column)
        values = take(distinct, codes)
    else:  # objects: 1, 1.0 and True hash alike, so each row keeps its own
        values = column.to_numpy(dtype=object)
        try:
            codes, distinct = factorize(values)  # code -1 wherever pd.isna holds
        except TypeError:
            codes, distinct, missing = None, None, pd.isna(values)
        else:
            missing = codes < 0
        if missing.any():
            values = np.where(missing, None, values)
    if order is not None:
        values = values[order]
        codes = None if codes is None else codes[order]
    return values, None if codes is None else (codes, distinct)


def _each_own(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """A column that cannot be factorized (a list in a cell) coded as factorize would, each row its own value."""
    return np.where(pd.isna(values), -1, np.arange(len(values))), values


def _given(codes: np.ndarray, distinct: np.ndarray, text: bool) -> np.ndarray:
    """The rows of a factorized column that give a value: not empty, and for a text field not blank either
    (judged once per distinct value)."""
    if not text:
        return codes >= 0
    blank = np.array([isinstance(value, str) and not value.strip() for value in distinct] + [True], dtype=bool)
    return ~blank[codes]  # code -1 (empty) takes the extra entry


def _names_are_text(key: str, codes: np.ndarray, distinct: np.ndarray, given: np.ndarray, labels: pd.Index) -> None:
    """Refuse a `rules` or `form` column giving a name that is not text, in any row (not only a project's first:
    `["national", 5]`), at the first such row (`labels` giving each row's index label); judged once per distinct
    value."""
    other = np.array([not isinstance(value, str) for value in distinct] + [False], dtype=bool)  # code -1: empty
    rows = np.flatnonzero(other[codes] & given)
    if len(rows):
        value = _python(distinct[codes[rows[0]]])
        raise InputError(f"{_NAMES[key]} is named by text, not {value!r}", where=_row(labels, int(rows[0]), key))


def _python(value: object) -> object:
    """A cell as a Python value: a numpy scalar as its Python one, a whole float (as a year column with gaps is
    read) as an int."""
    if isinstance(value, np.generic):
        value = value.item()
    return int(value) if isinstance(value, float) and value.is_integer() else value


def _first_per_project(headers: list[dict], key: str, values: np.ndarray, given: np.ndarray,
                       codes: np.ndarray) -> None:
    """Each project's first non-empty value of `key` (`given`: the rows with one), into its header, as a Python
    value (`_python`); a number in a free-text field, its text; a name (`rules`, `form`), without the spaces
    around it."""
    given = np.flatnonzero(given)
    first = first_rows(codes[given], len(headers))
    for header, row in zip(headers, first.tolist()):
        if row < len(given):
            value = _python(values[given[row]])
            if key in _NAMES:
                value = value.strip()
            if key in _TEXT and isinstance(value, (int, float)) and not isinstance(value, bool):
                value = str(value)
            header[key] = value
