"""Tab-separated text of 部门预算财政支出绩效目标申报表 (seed 003): per project 项目名称, 实施单位, 项目资金
(中期 / 年度资金总额), 总体目标 (2021-2023 / 年度目标), then an indicator table in two halves side by side:
一级/二级/三级指标 with the 中长期指标值, and again 二级/三级指标 with the 本年度指标值. The annual (本年度)
value is taken. A department's 申报表 names its 部门名称 instead of a 项目名称: its project is the department's
("form": "department", named `某局部门整体`), as is a table under a title `…部门整体…表`.

The columns drift from row to row (a row loses one or two leading cells, or gains one), so positions say
little: each row is read by `drift.two_halves`, by its 三级指标 written once in each half. The level names
before its first copy are the 一级/二级; an empty one takes the value above,
unless the 二级 named belongs to another 一级 (经济效益指标 under 效益指标): a merged cell never spans two 一级
blocks. A row without a 三级指标 written twice, or with no value after the second copy, is not guessed at:
it goes to `unplaced` with what it holds (an indicator without its annual target cannot be scored)."""
from __future__ import annotations

from ..language import normalise
from . import Document, Extracted, layout
from .drift import two_halves
from .fields import (bracket_unit, clean, department_of, department_project, find_year, indicator, is_department,
                     is_level_name, labelled_amounts)
from .row_reader import RowReader

# labels of the rows above the indicators that carry nothing scored: read past, continuation rows included
_SKIPPED = ("项目属性", "填报单位")
_NAMES = ("项目名称", "部门名称")  # a table starts at either; both above one header name the same table


def _cells(line: str) -> list[str]:
    return [clean(c) for c in line.split("\t")]


def _is_header(cells: list[str]) -> bool:
    return {"三级指标", "中长期指标值", "本年度指标值"} <= {normalise(c) for c in cells}


def _detect(document: Document) -> float:
    if document.rows is not None:
        return 0.0
    return 0.95 if any(_is_header(_cells(line)) for line in document.lines) else 0.0


class _Reader(RowReader):
    def __init__(self, document: Document):
        super().__init__(document)
        self.unit = "万元"  # the unit of money the 项目资金 label above names

    def read(self) -> Extracted:
        in_table = False
        form = "project"  # by the title above the table
        named: set[str] = set()  # the _NAMES read above the header to come
        for index, line in enumerate(self.document.lines):
            cells = _cells(line)
            filled = [c for c in cells if c]
            if not filled:
                continue
            first = normalise(cells[0])
            if len(filled) == 1 and cells[0] and not is_level_name(cells[0]):  # a heading: （ 2021 年度）
                self.year = find_year(cells[0]) or self.year
                if "表" in cells[0]:  # a table's title: 部门整体支出绩效目标申报表 is the department's
                    form = "department" if is_department(cells[0]) else "project"
                self.block, in_table = "heading", False
                continue
            if _is_header(cells):
                in_table, self.levels, named = self.current is not None, ["", ""], set()
                form = "project"  # a title read above holds for this table only
                if self.current is None:
                    self.note(index, "indicator header before any 项目名称 or 部门名称; its table is left out")
                continue
            if in_table and first not in _NAMES:
                self.table_row(index, cells)
                continue
            in_table = False
            if first in _NAMES:
                self.name(first, next((c for c in cells[1:] if c), ""), form, same=bool(named - {first}))
                named.add(first)
            if first:
                self.block = first
            if self.current is None:
                self.note(index, f"row before any 项目名称 or 部门名称, not read: {' | '.join(filled)}")
            else:
                self.label_row(index, cells, filled, labelled=bool(first))
        return Extracted("mid-long-term", self.finish(), self.unplaced)

    def name(self, label: str, value: str, form: str, same: bool) -> None:
        """A 项目名称 or 部门名称 row: a new table (unless `same`: the other one was read above the same header).
        项目名称 names the table (its `form` by the title); 部门名称 gives its department, and names a table whose
        项目名称 it does not follow: the department's own."""
        if label == "项目名称" and same:
            self.current.update(name=value, form=form)
        elif label == "项目名称":
            self.begin(value, form=form)
        elif same:
            self.current["department"] = value
        else:
            self.begin(department_project(value), department=value, form="department")

    def label_row(self, index: int, cells: list[str], filled: list[str], labelled: bool) -> None:
        """A row above the indicators: 实施单位, 项目资金, 总体目标 and the like."""
        current, block = self.current, self.block
        if block == "实施单位":
            current["agency"] = next((c for c in cells[1:] if c), "")
        elif block.startswith("项目资金"):
            self.funds(index, cells, filled, labelled)
        elif block == "总体目标":  # columns 2021-2023 and 年度目标, the goals in the row below
            if labelled:
                self.goal_at = next((i for i, c in enumerate(cells) if normalise(c) == "年度目标"), None)
            elif self.goal_at is not None and self.goal_at < len(cells) and cells[self.goal_at]:
                current["goal"] = cells[self.goal_at]
            else:
                self.note(index, f"总体目标 row with no 年度目标 in its column, not read: {' | '.join(filled)}")
        elif block not in _NAMES and not block.startswith(_SKIPPED):
            self.note(index, f"row of an unknown block '{block}', not read: {' | '.join(filled)}")

    def funds(self, index: int, cells: list[str], filled: list[str], labelled: bool) -> None:
        """A 项目资金 row: the budget is its 年度资金总额, in the unit written with it, else the one the 项目资金 label's
        bracket names (项目资金（单位：元）, as `fields.unit_named` reads it), else 万元. A 年度资金总额 giving no amount
        (待定, or in a unit not read: 美元) is listed with its row, as is a 项目资金 row without one."""
        if labelled:
            self.unit = bracket_unit(cells[0]) or "万元"
        found = next(labelled_amounts(cells, ("年度资金总额",), self.unit), None)
        if found and found.amount is not None:
            self.current["budget"], self.current["unit"] = found.amount, found.unit
        elif found:
            self.note(index, f"年度资金总额 gives no amount, not read: {' | '.join(filled)}")
        elif labelled:
            self.note(index, f"项目资金 row without 年度资金总额, not read: {' | '.join(filled)}")

    def table_row(self, index: int, cells: list[str]) -> None:
        """One row of the two-halved indicator table."""
        row = two_halves(cells)
        if row.problem:
            self.note(index, row.problem)
        self.set_levels(index, row.levels)
        if row.name and row.target:
            self.current["indicators"].append(indicator(*self.levels, row.name, row.target))

    def department(self, found: dict) -> str:
        return department_of(found["department"], found["agency"])


@layout("mid-long-term", "项目申报表：中长期指标值与本年度指标值并列", _detect)
def read(document: Document) -> Extracted:
    return _Reader(document).read()
