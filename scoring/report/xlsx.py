"""The 自评表 as an Excel workbook in the official layout: one sheet per project (merged header cells, amounts in
万元 to 2 decimals, the indicator table with merged 一级/二级 cells, the scoring notes below), and in batch a
summary sheet first. Text from inputs is written as text: a cell such as "=4部门" is never a formula, and is
quote-prefixed so that it stays text when edited in Excel or saved as CSV (workbook.put_value).
"""
from __future__ import annotations

import re
from typing import TYPE_CHECKING

import openpyxl
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from ..model import table_rows
from ..rounding import format_fixed
from . import (AMOUNTS, BUDGET_LABEL, FUNDING_ROWS, NEEDS_REASON, budget_amounts, budget_needs_reason,
               form_title, header_rows, level3_names, merged_runs, needs_reason, points)
from .workbook import holdable, put_value, save
from .summary import AMOUNT_HEADERS, DEPARTMENT_HEADERS, SUMMARY_HEADERS, department_rows, summary_rows, summary_title

if TYPE_CHECKING:
    from ..model import Evaluation, Project

_THIN = Side(style="thin", color="000000")
_BOX = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_WRAP = Alignment(wrap_text=True, vertical="center")
_CENTER = Alignment(wrap_text=True, vertical="center", horizontal="center")
_HEAD = PatternFill("solid", fgColor="F3F3F3")
_NEEDS_REASON = PatternFill("solid", fgColor="FFF3C4")
_WIDTHS = (12, 14, 22, 16, 16, 9, 9, 34)  # A–H
# A header row's cells by how many it holds: (label column, first and last column of the value)
_HEADER_SPANS = {1: ((1, 2, 8),), 2: ((1, 2, 4), (5, 6, 8))}
_BAD_SHEET_CHARS = re.compile(r"[\[\]:*?/\\]")


def workbook(evaluations: list["Evaluation"], summary: bool) -> bytes:
    """The workbook: a summary sheet (when asked) and one 自评表 sheet per project."""
    book = openpyxl.Workbook()
    book.remove(book.active)
    if summary:
        _summary_sheet(book.create_sheet("汇总"), evaluations)
    names: set[str] = {"汇总"} if summary else set()
    for ev in evaluations:
        _form_sheet(book.create_sheet(_sheet_name(ev.project.name, names)), ev)
    return save(book)


def _sheet_name(project: str, taken: set[str]) -> str:
    """Excel's rules: at most 31 characters, none of []:*?/\\, unique (case-insensitively)."""
    base = _BAD_SHEET_CHARS.sub("_", holdable(project)).strip("'") or "项目"
    name, n = base[:31], 1
    while name.lower() in {t.lower() for t in taken}:
        n += 1
        suffix = f"({n})"
        name = base[: 31 - len(suffix)] + suffix
    taken.add(name)
    return name


def _put(sheet: Worksheet, row: int, col: int, value, *, fmt: str | None = None, head: bool = False,
         center: bool = False, bold: bool = False, fill: PatternFill | None = None):
    cell = put_value(sheet.cell(row=row, column=col), value)
    if fmt and not isinstance(value, str):
        cell.number_format = fmt
    cell.border = _BOX
    cell.alignment = _CENTER if (center or head) else _WRAP
    if head:
        cell.fill = _HEAD
    if fill is not None:
        cell.fill = fill
    if bold:
        cell.font = Font(bold=True)
    return cell


def _merge(sheet: Worksheet, row1: int, col1: int, row2: int, col2: int, value, **style) -> None:
    for r in range(row1, row2 + 1):
        for c in range(col1, col2 + 1):
            _put(sheet, r, c, value if (r, c) == (row1, col1) else None, **style)
    if (row1, col1) != (row2, col2):
        sheet.merge_cells(start_row=row1, start_column=col1, end_row=row2, end_column=col2)


def _header_block(sheet: Worksheet, project: "Project") -> None:
    """Rows 2 and 3: the labelled cells of header_rows, a lone row (a department without 主管部门) over both."""
    rows = header_rows(project)
    for r, cells in enumerate(rows, start=2):
        bottom = 3 if r == len(rows) + 1 else r
        for (label, value), (col, first, last) in zip(cells, _HEADER_SPANS[len(cells)]):
            _merge(sheet, r, col, bottom, col, label, head=True)
            _merge(sheet, r, first, bottom, last, value)


def _form_sheet(sheet: Worksheet, ev: "Evaluation") -> None:
    digits = ev.rulebook.digits
    score_fmt = "0" if digits == 0 else "0." + "0" * digits
    for i, width in enumerate(_WIDTHS, start=1):
        sheet.column_dimensions[get_column_letter(i)].width = width
    sheet.merge_cells("A1:H1")
    put_value(sheet["A1"], form_title(ev.project))
    sheet["A1"].font = Font(bold=True, size=14)
    sheet["A1"].alignment = _CENTER
    sheet.row_dimensions[1].height = 28
    _header_block(sheet, ev.project)

    b = ev.budget
    unit, amounts = budget_amounts(b)
    _merge(sheet, 4, 1, 8, 1, f"项目资金（{unit}）", head=True)
    for col, text in enumerate(["", "年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分"], start=2):
        _put(sheet, 4, col, text, head=True)
    _put(sheet, 5, 2, "年度资金总额", head=True)
    for col, key in enumerate(AMOUNTS, start=3):
        _put(sheet, 5, col, float(amounts[key]) if amounts[key] else None, fmt="0.00")
    _put(sheet, 5, 6, b["weight"])
    _put(sheet, 5, 7, b["rate"], fmt="0.00%")
    _put(sheet, 5, 8, b["score"], fmt=score_fmt)
    for r, label in enumerate(FUNDING_ROWS, start=6):
        _put(sheet, r, 2, label, head=True)
        for col in range(3, 9):
            _put(sheet, r, col, None if col < 6 else "—", center=True)

    _merge(sheet, 9, 1, 10, 1, "年度总体目标", head=True)
    _merge(sheet, 9, 2, 9, 5, "预期目标", head=True)
    _merge(sheet, 9, 6, 9, 8, "实际完成情况", head=True)
    _merge(sheet, 10, 2, 10, 5, ev.project.goal)
    _merge(sheet, 10, 6, 10, 8, ev.goal_actual)
    sheet.row_dimensions[10].height = max(30, 15 * (1 + len(ev.project.goal) // 40))

    headers = ["一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分", "偏差原因分析及改进措施"]
    for col, text in enumerate(headers, start=1):
        _put(sheet, 11, col, text, head=True)
    first = 12
    table = ev.table
    names = level3_names(table)
    for i, (r, level3) in enumerate(zip(table_rows(table), names)):
        row = first + i
        excluded = r.status == "不适用"
        for col, value in ((3, level3), (4, r.target), (5, r.actual)):
            _put(sheet, row, col, value)
        _put(sheet, row, 6, "—" if excluded else float(r.weight), center=excluded)
        _put(sheet, row, 7, "—" if excluded else float(r.score), fmt=score_fmt, center=excluded)
        _put(sheet, row, 8, r.note, fill=_NEEDS_REASON if needs_reason(r) else None)
    for col, key in ((1, "level1"), (2, "level2")):
        for start, length in merged_runs(table, key):
            _merge(sheet, first + start, col, first + start + length - 1, col, table[key].iat[start], center=True)
    budget_row = first + len(table)
    _merge(sheet, budget_row, 1, budget_row, 5, BUDGET_LABEL, center=True)
    _put(sheet, budget_row, 6, b["weight"])
    _put(sheet, budget_row, 7, b["score"], fmt=score_fmt)
    _put(sheet, budget_row, 8, b["note"], fill=_NEEDS_REASON if budget_needs_reason(b) else None)
    total_row = budget_row + 1
    _merge(sheet, total_row, 1, total_row, 5, "总分", head=True, bold=True)
    _put(sheet, total_row, 6, points(ev), bold=True)
    _put(sheet, total_row, 7, ev.total, fmt=score_fmt, bold=True)
    _put(sheet, total_row, 8, f"评价等级：{ev.grade}", bold=True, center=True)

    note_row = total_row + 2
    put_value(sheet.cell(row=note_row, column=1), "评分说明").font = Font(bold=True)
    _put(sheet, note_row + 1, 1, "序号", head=True)
    _put(sheet, note_row + 1, 2, "状态", head=True)
    _put(sheet, note_row + 1, 3, "三级指标", head=True)
    _merge(sheet, note_row + 1, 4, note_row + 1, 8, "计分说明（提示）", head=True)
    budget_flag = f"（提示：{NEEDS_REASON}）" if budget_needs_reason(b) else ""
    lines = [("—", b["status"], BUDGET_LABEL, b["explanation"] + budget_flag)] + [
        (str(i + 1), r.status, level3, r.explanation + (f"（提示：{r.flags}）" if r.flags else ""))
        for i, (r, level3) in enumerate(zip(table_rows(table), names))]
    for k, (no, status, level3, text) in enumerate(lines, start=note_row + 2):
        _put(sheet, k, 1, no, center=True)
        _put(sheet, k, 2, status, center=True)
        _put(sheet, k, 3, level3)
        _merge(sheet, k, 4, k, 8, text)
    for k, note in enumerate(ev.notes, start=note_row + 2 + len(lines)):
        put_value(sheet.cell(row=k, column=1), note)
    sheet.freeze_panes = "A12"
    sheet.print_title_rows = "11:11"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True


def _summary_sheet(sheet: Worksheet, evaluations: list["Evaluation"]) -> None:
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(SUMMARY_HEADERS))
    put_value(sheet["A1"], summary_title(evaluations))
    sheet["A1"].font = Font(bold=True, size=14)
    for col, text in enumerate(SUMMARY_HEADERS, start=1):
        _put(sheet, 2, col, text, head=True)
        sheet.column_dimensions[get_column_letter(col)].width = 30 if col in (1, 2) else 11
    rows = summary_rows(evaluations)
    for r, values in enumerate(rows, start=3):
        for col, value in enumerate(values, start=1):
            fmt = "0.00%" if SUMMARY_HEADERS[col - 1] == "执行率" else "0.00" if isinstance(value, float) else None
            _put(sheet, r, col, value, fmt=fmt)
    top = 3 + len(rows) + 1
    put_value(sheet.cell(row=top, column=1), "部门汇总").font = Font(bold=True)
    for col, text in enumerate(DEPARTMENT_HEADERS, start=1):
        _put(sheet, top + 1, col, text, head=True)
    for r, values in enumerate(department_rows(evaluations), start=top + 2):
        for col, (value, header) in enumerate(zip(values, DEPARTMENT_HEADERS), start=1):
            fmt = "0.00%" if header == "执行率" else "0.00" if isinstance(value, float) else None
            amount = value is not None and header in AMOUNT_HEADERS
            _put(sheet, r, col, float(format_fixed(value, 2)) if amount else value, fmt=fmt)
    sheet.freeze_panes = "A3"
