"""The audit's findings as a table: Markdown (the terminal), HTML (a page), CSV (UTF-8 with BOM) or XLSX."""
from __future__ import annotations

import pandas as pd

from ..audit import AUDIT_COLUMNS, KINDS
from ..model import table_rows
from .workbook import put_value, save

HEADERS = ["项目", "指标编号", "三级指标", "问题", "公布值", "重算值", "说明"]


def _rows(findings: pd.DataFrame) -> list[list[str]]:
    return [[r.project, r.id, r.level3, KINDS[r.kind].label, r.published, r.expected, r.message]
            for r in table_rows(findings[AUDIT_COLUMNS])]


def render_findings(findings: pd.DataFrame, kind: str, projects: int) -> bytes:
    """The findings as the bytes of a .md, .html, .csv or .xlsx file. The projects with a finding are those
    audit() counted (each published project once, names may repeat), else the distinct names."""
    if kind == "csv":
        from ..template import csv_text

        return csv_text([HEADERS, *_rows(findings)]).encode("utf-8-sig")
    if kind == "xlsx":
        return _xlsx(findings)
    from . import environment

    template = environment(kind).get_template(f"audit.{kind}.j2")
    counts = findings["kind"].value_counts()
    tally = [(KINDS[k].label, int(counts[k])) for k in KINDS if k in counts]
    return template.render(headers=HEADERS, rows=_rows(findings), projects=projects,
                           flagged=findings.attrs.get("flagged", findings["project"].nunique()),
                           tally=tally).encode("utf-8")


def _xlsx(findings: pd.DataFrame) -> bytes:
    import openpyxl
    from openpyxl.styles import Alignment, Font

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "审核发现"
    for r, row in enumerate([HEADERS, *_rows(findings)], start=1):
        for c, value in enumerate(row, start=1):
            cell = put_value(sheet.cell(row=r, column=c), value)
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            if r == 1:
                cell.font = Font(bold=True)
    for column, width in zip("ABCDEFG", (30, 9, 24, 18, 12, 12, 60)):
        sheet.column_dimensions[column].width = width
    sheet.freeze_panes = "A2"
    return save(book)
