"""Tab-separated text of a department's published goal tables (seed 001): a department-level table
(部门整体预算绩效目标表: 部门名称, budget, 总体绩效目标, then 一级/二级/三级指标 and one 指标值 column, its
indicators numbered `指标1: …`), then project tables (项目名称, 主管部门, 预算金额, 当年度目标) whose indicators
carry two values, 实施周期指标值 and 当年度指标值: the annual one (当年度) is taken.

The department-level table becomes a project of its own, named after the department ("湛江市医疗保障局部门整体"),
with "form": "department"; its budget is 基本支出 plus 项目支出, a project's its 当年度金额 (else 总金额), each read
as the spreadsheet reader reads them (`fields.DepartmentBudget`, `fields.find_amount`).
Cells drift: a row may lose its leading empty cell, or put the 三级指标 in the 二级 column. So each row is
read by what its cells hold (`drift.value_columns`): the `指标N:` cell (else the cell just left of the
value columns) is the 三级指标, the values follow it, the level names precede it. An empty 一级/二级 cell
takes the value above, unless the 二级 named belongs to another 一级 (社会效益指标 under 效益指标): a
merged cell never spans two 一级 blocks."""
from __future__ import annotations

import re

from ..language import normalise
from . import Document, Extracted, layout
from .drift import is_level, value_columns
from .fields import (DepartmentBudget, Labelled, bracket_unit, clean, department_project, find_year, indicator,
                     labelled_amounts, says_none)
from .row_reader import RowReader

_ANNUAL = ("当年度指标值", "本年度指标值", "年度指标值", "指标值")  # the first value column named so is annual
# labels of the rows above the indicators that carry nothing scored: read past, continuation rows included
_SKIPPED = ("基本信息", "年度重点工作任务", "其他需完成的任务", "项目类别", "项目等级", "项目概述")


def _cells(line: str) -> list[str]:
    return [clean(c) for c in line.split("\t")]


def _header(cells: list[str]) -> tuple[list[str], int] | None:
    """For an indicator header row: the names of the value columns after 三级指标, and which is annual."""
    names = [normalise(c) for c in cells]
    if "三级指标" not in names:
        return None
    values = [n for n in names[names.index("三级指标") + 1:] if n.endswith("指标值")]
    annual = next((values.index(w) for w in _ANNUAL if w in values), None)
    return (values, annual) if annual is not None else None


def _detect(document: Document) -> float:
    if document.rows is not None:
        return 0.0
    for line in document.lines:
        names = {normalise(c) for c in line.split("\t")}
        if {"三级指标", "实施周期指标值", "当年度指标值"} <= names:
            return 0.95
    return 0.0


def _budget(cells: list[str]) -> Labelled | None:
    """The value after a 预算金额 row's 当年度金额, else (none written: blank, /, —, 无) its 总金额, read by
    `fields.labelled_amounts` in the unit its label's bracket names, else 万元: 当年度金额（万元） | 500万元 → 500.0
    万元; no amount where it gives none (待定). None where neither label has a value."""
    return next((found for found in labelled_amounts(cells, ("当年度金额", "总金额"), "万元")
                 if not says_none(found.value)), None)


def _goal(text: str) -> str:
    """The goal text; the department table writes it as <p>…</p> paragraphs, one per line here."""
    paragraphs = re.findall(r"<p>(.*?)</p>", text, flags=re.S)
    return "\n".join(clean(p) for p in paragraphs) if paragraphs else clean(text)


class _Reader(RowReader):
    def __init__(self, document: Document):
        super().__init__(document)
        self.parts = DepartmentBudget()  # the department's budget, read under 预算整体情况

    def read(self) -> Extracted:
        table: tuple[list[str], int] | None = None  # (value columns, annual one) inside an indicator table
        for index, line in enumerate(self.document.lines):
            cells = _cells(line)
            filled = [c for c in cells if c]
            if not filled:
                continue
            first = normalise(cells[0])
            if len(filled) == 1 and cells[0] and not is_level(cells[0]):  # a heading
                self.year = find_year(cells[0]) or self.year
                self.block, table = "heading", None
                continue
            header = _header(cells)
            if header is not None:
                table, self.levels = header, ["", ""]
                if self.current is None:
                    self.note(index, "indicator header before any 部门名称 or 项目名称; its table is left out")
                    table = None
                continue
            if table is not None and (not first or first == "绩效指标" or is_level(first)):
                self.table_row(index, cells, table)
                continue
            table = None
            if first in ("部门名称", "项目名称"):
                self.start(first, next((c for c in cells[1:] if c), ""))
            elif first:
                self.block = first
            if self.current is None:
                self.note(index, f"row before any 部门名称 or 项目名称, not read: {' | '.join(filled)}")
            else:
                self.label_row(index, cells, filled, labelled=bool(first))
        return Extracted("period-columns", self.finish(), self.unplaced)

    def start(self, label: str, name: str) -> None:
        """A new project: a 项目名称, or the department table (named after the department)."""
        if label == "部门名称":
            self.begin(department_project(name), department=name, form="department")
        else:
            self.begin(name)
        self.block = label

    def label_row(self, index: int, cells: list[str], filled: list[str], labelled: bool) -> None:
        """A row above the indicators: 主管部门, 实施期限, 预算金额, 总体绩效目标 and the like."""
        current, block = self.current, self.block
        if block == "主管部门":
            agency = next((i for i, c in enumerate(cells) if normalise(c).startswith("用款单位")), len(cells))
            current["department"] = next((c for c in cells[1:agency] if c), "")
            current["agency"] = next((c for c in cells[agency + 1:] if c), "")
        elif block == "实施期限":
            current["year"] = current["year"] or find_year(" ".join(filled))
        elif block == "预算金额":
            found = _budget(cells)
            if found and found.amount is not None:
                current["budget"], current["unit"] = found.amount, found.unit
            elif found:
                self.note(index, f"not read: {found.shown}")
        elif block == "预算整体情况":  # the department's budget: 基本支出 + 项目支出 (部门预算支出)
            if labelled:  # in the unit its 预算金额 heading names
                self.parts = DepartmentBudget(bracket_unit(next((c for c in cells if "预算金额" in c), "")) or "万元")
            for message in self.parts.read(cells)[1]:
                self.note(index, message)
            if self.parts.amount is not None:
                current["budget"], current["unit"] = self.parts.amount, self.parts.unit
        elif block == "总体绩效目标":
            if labelled:  # a project names its columns (实施周期总目标, 当年度目标) and fills them below
                self.goal_at = next((i for i, c in enumerate(cells) if normalise(c) == "当年度目标"), None)
                if self.goal_at is None:  # the department table: the goal in the label's own row
                    current["goal"] = _goal(" ".join(filled[1:]))
            elif self.goal_at is not None and self.goal_at < len(cells) and cells[self.goal_at]:
                current["goal"] = _goal(cells[self.goal_at])
        elif block not in ("部门名称", "项目名称") and not block.startswith(_SKIPPED):
            self.note(index, f"row of an unknown block '{block}', not read: {' | '.join(filled)}")

    def table_row(self, index: int, cells: list[str], table: tuple[list[str], int]) -> None:
        """One row of an indicator table, read by `drift.value_columns`: level names, the 三级指标, then its
        value(s)."""
        row = value_columns(cells, *table)
        self.set_levels(index, row.levels)
        if row.problem:
            self.note(index, row.problem)
        elif row.name:
            self.current["indicators"].append(indicator(*self.levels, row.name, row.target))


@layout("period-columns", "部门整体表 + 项目表（实施周期指标值 / 当年度指标值）", _detect)
def read(document: Document) -> Extracted:
    return _Reader(document).read()
