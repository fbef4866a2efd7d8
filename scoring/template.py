"""The actuals form staff fill in: one row per indicator (project, id, 三级指标, 年度指标值, and empty
实际完成值 and 偏差原因分析及改进措施), then the 全年执行数 (where the goals give a budget) and 年度总体目标 rows
of each project. A 三级指标 that repeats within a project shows its 绩效指标描述 in brackets, so staff can tell
the rows apart.

CSV is written UTF-8 with BOM, so Excel on Chinese Windows opens it as Chinese; .xlsx is offered too.
"""
from __future__ import annotations

import csv
import io

from .cells import neutralise
from .inputs import BUDGET_ROW, GOAL_ROW, GoalsSource, read_goals
from .report.workbook import put_value, save
from .rounding import format_number

HEADERS = ["项目名称", "指标编号", "三级指标", "年度指标值", "实际完成值", "偏差原因分析及改进措施"]


def template_rows(goals: GoalsSource) -> list[list[str]]:
    """The form as rows, the header first."""
    parsed = read_goals(goals)
    rows = [HEADERS]
    by_project = parsed.indicators.groupby("project", sort=False)
    for project in parsed.projects:
        indicators = by_project.get_group(project.name)
        repeated = indicators["level3"].duplicated(keep=False)
        for ind, twice in zip(indicators.itertuples(), repeated):
            name = f"{ind.level3}（{ind.description}）" if twice and ind.description else ind.level3
            rows.append([project.name, ind.id, name, ind.target, "", ""])
        budget = project.budget
        if budget and budget.planned:  # a project without a budget has no execution rate to fill in
            rows.append([project.name, "", BUDGET_ROW, f"{format_number(budget.planned)}{budget.unit}", "", ""])
        if project.goal:
            rows.append([project.name, "", GOAL_ROW, project.goal, "", ""])
    return rows


def csv_text(rows: list[list[str]]) -> str:
    """Rows as CSV text, formula-like cells neutralised, CRLF line ends (what Excel writes)."""
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows([[neutralise(c) for c in row] for row in rows])
    return buffer.getvalue()


def template_bytes(goals: GoalsSource, suffix: str) -> tuple[bytes, int]:
    """The form as a file with this suffix (.xlsx, else CSV), and the number of its indicator rows."""
    rows = template_rows(goals)
    data = _xlsx(rows) if suffix.lower() in (".xlsx", ".xlsm") else csv_text(rows).encode("utf-8-sig")
    return data, sum(1 for row in rows[1:] if row[1])


def _xlsx(rows: list[list[str]]) -> bytes:
    import openpyxl
    from openpyxl.styles import Alignment, Font

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "实际完成值"
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row, start=1):
            cell = put_value(sheet.cell(row=r, column=c), value)  # "=4部门" stays text, read back as written
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            if r == 1:
                cell.font = Font(bold=True)
    for column, width in zip("ABCDEF", (28, 10, 26, 22, 22, 40)):
        sheet.column_dimensions[column].width = width
    sheet.freeze_panes = "A2"
    return save(book)
