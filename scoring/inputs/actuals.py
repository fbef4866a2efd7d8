"""Actuals (实际完成值) from a CSV or XLSX file, a DataFrame, row dicts or a mapping {id: actual}.

Headers in Chinese or English; cells cleaned once per distinct value (stripped; the mark that keeps a
formula-like cell text taken off); a 项目名称 merged over several rows in Excel belongs to the rows below it.
"""
from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ..cells import unmark, writable
from ..errors import InputError
from ..language import normalise
from ..model import ACTUAL_COLUMNS, Actuals
from ..uniques import factorize, recoded, take
from .files import read_table

ActualsSource = str | Path | Mapping | list | pd.DataFrame

# Column headers of an actuals file, English or Chinese, compared after normalisation and lower-casing.
HEADERS = {
    "project": ["project", "项目名称", "项目"],
    "id": ["id", "指标编号", "编号", "指标id"],
    "indicator": ["indicator", "三级指标", "指标名称", "指标"],
    "actual": ["actual", "实际完成值", "实际值", "完成值", "全年实际值", "实际完成情况"],
    "note": ["note", "偏差原因分析及改进措施", "偏差原因", "偏差原因分析", "原因分析", "备注"],
    "score": ["score", "得分", "自评得分"],
}


def read_actuals(source: ActualsSource, encoding: str | None = None) -> Actuals:
    """Actuals from a CSV or XLSX file, a DataFrame, a list of row dicts, or a mapping {id: actual}.
    A CSV's encoding is detected (UTF-8 with or without BOM, GBK/GB18030) unless `encoding` names it."""
    if isinstance(source, pd.DataFrame):
        return _actuals_from_frame(source, "actuals DataFrame", first_line=1)
    if isinstance(source, Mapping):
        frame = pd.DataFrame({"id": [str(k) for k in source], "actual": [str(v) for v in source.values()]},
                             dtype=object)
        return _actuals_from_frame(frame, "actuals", first_line=1)
    if isinstance(source, list):  # row dicts; no rows at all is no actuals
        frame = pd.DataFrame(source, dtype=object) if source else pd.DataFrame(columns=["id", "actual"])
        return _actuals_from_frame(frame, "actuals", first_line=1)
    if not isinstance(source, (str, Path)):
        raise InputError("must be a path (str or pathlib.Path), a DataFrame, a list of row dicts or a mapping "
                         f"{{id: actual}}, not {type(source).__name__}", where="actuals")
    path = Path(source)
    return _actuals_from_frame(read_table(path, encoding), str(path), first_line=2)


def _actuals_from_frame(frame: pd.DataFrame, source: str, first_line: int) -> Actuals:
    columns = map_headers(frame.columns, source)
    filled = np.zeros(len(frame), dtype=bool)
    cells: dict[str, tuple[np.ndarray, list[str]]] = {}
    for key in ACTUAL_COLUMNS[1:]:
        cells[key] = _cells(frame[columns[key]], source, first_line) if key in columns else (
            np.full(len(frame), -1), [])
        filled |= ~_blank(*cells[key])
    kept = np.flatnonzero(filled)  # rows with nothing in them are not rows
    rows = {"line": kept + first_line,
            **{key: take(clean, codes[kept], missing="") for key, (codes, clean) in cells.items()}}
    coded = {key: recoded(codes[kept], clean + [""]) for key, (codes, clean) in cells.items() if key != "score"}
    # A 项目名称 cell merged over several rows in Excel is written once: the rows below belong to it.
    if _blank(*cells["project"])[kept].any():
        rows["project"] = pd.Series(rows["project"]).replace("", None).ffill().fillna("").to_numpy(dtype=object)
        del coded["project"]
    frame = pd.DataFrame({key: pd.Series(values, dtype=values.dtype, copy=False) for key, values in rows.items()},
                         columns=ACTUAL_COLUMNS, copy=False)  # copy=False: the columns are not stacked into one block
    return Actuals(rows=frame, source=source, codes=coded)


def _cells(column: pd.Series, source: str, first_line: int) -> tuple[np.ndarray, list[str]]:
    """A column's cells as codes (-1: no value) into their clean texts, each distinct cell cleaned once. A cell
    that cannot be written as UTF-8 (a lone surrogate, made by a program) is refused with its line."""
    try:
        codes, uniques = factorize(column)
    except TypeError:  # a list or a dict in a cell (of a DataFrame or row dicts)
        line, value = next((first_line + i, v) for i, v in enumerate(column.tolist()) if not _hashable(v))
        raise InputError(f"the {column.name} cell holds a {type(value).__name__}, not a value",
                         where=f"{source} line {line}") from None
    clean = [clean_cell(value) for value in uniques]
    try:
        "\x00".join(clean).encode("utf-8")
    except UnicodeEncodeError:
        bad = next(i for i, text in enumerate(clean) if not writable(text))
        line = first_line + int(np.flatnonzero(codes == bad)[0])
        raise InputError(f"the {column.name} cell holds a lone surrogate (\\ud800 … \\udfff): not Unicode text",
                         where=f"{source} line {line}") from None
    return codes, clean


def _hashable(value: Any) -> bool:
    """Whether a cell can be hashed (a tuple holding a list is Hashable by type, yet cannot)."""
    try:
        hash(value)
    except TypeError:
        return False
    return True


def _blank(codes: np.ndarray, clean: list[str]) -> np.ndarray:
    """Per row, whether its cell is empty (code -1: no value)."""
    return np.array([text == "" for text in clean] + [True])[codes]


def written_header(header: Any, headers: Any) -> str:
    """A header as the file wrote it: a repeated one without the '.1' the reader added."""
    base, dot, number = str(header).rpartition(".")
    return base if dot and number.isdigit() and base in headers else str(header)


def clean_cell(value: Any) -> str:
    """A cell as the reader keeps it: stripped, a whole float without its .0, a neutralised formula unmarked."""
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return unmark(str(value).strip())


def map_headers(headers: Any, source: str) -> dict[str, Any]:
    """The column of each recognised key; two columns for one key are refused, naming both."""
    lookup = {alias: key for key, aliases in HEADERS.items() for alias in aliases}
    found: dict[str, Any] = {}
    column_of: dict[str, int] = {}
    for column, header in enumerate(headers, start=1):
        key = lookup.get(normalise(written_header(header, headers)).lower())
        if key in found:
            raise InputError(f"two columns give the {HEADERS[key][1]} ({key}): '{found[key]}' (column "
                             f"{column_of[key]}) and '{written_header(header, headers)}' (column {column})",
                             where=source)
        if key is not None:
            found[key], column_of[key] = header, column
    if "actual" not in found:
        raise InputError("no 实际完成值 (actual) column; the header row needs one of: "
                         + ", ".join(HEADERS["actual"]), where=source)
    if "id" not in found and "indicator" not in found:
        raise InputError("no 指标编号 (id) or 三级指标 (indicator) column to match rows to indicators",
                         where=source)
    return found
