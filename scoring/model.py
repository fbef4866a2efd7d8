"""The engine's data: Project and Budget headers, the indicator and actuals frames, and the Evaluation."""
from __future__ import annotations

import json
import re
from collections import namedtuple
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

if TYPE_CHECKING:
    from .rulebook import RuleBook

# A column factorized (uniques.factorize): a code per row (-1: None/NaN) and the distinct values.
Codes = tuple[np.ndarray, np.ndarray]
# One row per declared indicator (Goals.indicators); `project` names the project and `project_no` is its place
# among the goals' projects; `pos` is the indicator's place in its project.
INDICATOR_COLUMNS = ["project", "project_no", "pos", "id", "level1", "level2", "level3", "description", "target",
                     "weight_declared", "rule", "direction_given", "year"]
# One row per line of the actuals file (Actuals.rows); `line` is the line or row number in that file.
ACTUAL_COLUMNS = ["line", "project", "id", "indicator", "actual", "note", "score"]
# The columns of Evaluation.table and of score_batch(), in order.
TABLE_COLUMNS = ["id", "level1", "level2", "level3", "description", "target", "actual", "weight", "score",
                 "status", "explanation", "note", "direction", "method", "flags", "weight_declared", "person_score"]


@dataclass(slots=True)
class Budget:
    """项目资金 as declared: amounts in `unit`; `weight` None takes the rule set's budget points."""

    unit: str = "万元"
    initial: float | None = None
    full_year: float | None = None
    weight: float | None = None

    @property
    def planned(self) -> float | None:
        """What the 全年执行数 is compared with: the 全年预算数, else the 年初预算数."""
        return self.full_year if self.full_year is not None else self.initial


_DEPARTMENT_SUFFIX = re.compile(r"(?:\d{4}年度?)?部门整体(?:支出)?(?:[（(][^）)]*[）)])?$")


@dataclass(slots=True)
class Project:
    """The header of a goal table."""

    name: str
    department: str = ""
    agency: str = ""
    year: int | None = None
    goal: str = ""
    rules: str | None = None
    budget: Budget | None = None
    form: str = "project"  # the 自评表 it fills: "project" (项目支出) or "department" (部门整体支出)

    @property
    def is_department(self) -> bool:
        """Whether it is a department as a whole (部门整体支出), not a project."""
        return self.form == "department"

    @property
    def department_name(self) -> str:
        """The department a department table stands for, by its name without a year, 部门整体(支出) and a unit in
        brackets (某局2024年部门整体支出（本级） → 某局); a project's name as it is."""
        if not self.is_department:
            return self.name
        name = re.sub(r"\s+", "", self.name)
        department = _DEPARTMENT_SUFFIX.sub("", name)
        return department if department and department != name else self.name


@dataclass
class Goals:
    """Declared goals: the project headers and one frame of all their indicators."""

    projects: list[Project]
    indicators: pd.DataFrame
    source: str
    codes: dict[str, Codes] = field(default_factory=dict)  # columns of `indicators` the reader factorized


@dataclass
class Actuals:
    """What was achieved: the rows of an actuals file as written."""

    rows: pd.DataFrame
    source: str
    codes: dict[str, Codes] = field(default_factory=dict)  # columns of `rows` the reader factorized


def table_rows(frame: pd.DataFrame) -> Iterator[tuple]:
    """The rows of a frame as namedtuples of Python values, what DataFrame.itertuples(index=False) gives,
    from one conversion of the frame instead of a Series per column: a report walks a project's few rows
    several times, and building those Series was most of a report's time."""
    return map(_row_type(tuple(frame.columns))._make, frame.to_numpy(dtype=object).tolist())


@lru_cache(maxsize=64)
def _row_type(columns: tuple) -> type:
    return namedtuple("Row", map(str, columns), rename=True)


@dataclass
class Evaluation:
    """One project scored: the 自评表 as data, and its renderings."""

    project: Project
    table: pd.DataFrame
    budget: dict[str, Any]
    total: float
    grade: str
    notes: list[str]
    rulebook: "RuleBook"
    goal_actual: str = ""

    def count(self, status: str) -> int:
        """How many indicators have `status` (需复核, 未填报 …)."""
        return int((self.table["status"].to_numpy() == status).sum())

    def to_dict(self) -> dict[str, Any]:
        """The evaluation as plain data (the structure of to_json)."""
        from .report import evaluation_dict

        return evaluation_dict(self)

    def to_json(self) -> str:
        """{"project", "year", "total", "grade", "budget", "indicators", "notes"} as JSON text."""
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=2) + "\n"

    def to_html(self, narrative: bool = False) -> str:
        """The 自评表 (or, with narrative=True, the 自评报告) as a complete, printable HTML page."""
        from .report import render

        return render(self, "html", narrative)

    def to_markdown(self, narrative: bool = False) -> str:
        """The 自评表 (or, with narrative=True, the 自评报告) as Markdown."""
        from .report import render

        return render(self, "md", narrative)

    def to_pdf(self, narrative: bool = False) -> bytes:
        """The HTML page as PDF (needs the optional extra scoring[pdf])."""
        from .report.pdf import html_to_pdf

        return html_to_pdf(self.to_html(narrative))

    def to_excel(self, path: str | Path) -> None:
        """The 自评表 as an .xlsx workbook in the official layout."""
        from .report.xlsx import workbook

        Path(path).write_bytes(workbook([self], summary=False))
