"""Spreadsheet goal tables (.xlsx, .csv): a header row with 三级指标 and 指标值 / 年度指标值, the form most
departments keep. Optional columns: 一级指标, 二级指标, 分值, 评(扣)分标准, 项目名称. Cells left empty by
merged 一级/二级 cells take the value above. Above the header, `项目名称`, `主管部门`, `实施单位` and a year
may stand as label–value pairs."""
from __future__ import annotations

import re

from ..language import normalise
from . import Document, Extracted, layout
from .fields import clean, find_year, indicator, project

_COLUMNS = {  # header words, compared after normalisation; the first column found wins
    "level1": ("一级指标",),
    "level2": ("二级指标",),
    "level3": ("三级指标", "指标名称"),
    "target": ("年度指标值", "本年度指标值", "当年度指标值", "指标值", "目标值"),
    "weight": ("分值", "权重"),
    "rule": ("评(扣)分标准", "评分标准", "扣分标准"),
    "project": ("项目名称",),
}
_LABELS = {"project": ("项目名称",), "department": ("主管部门", "部门名称"), "agency": ("实施单位", "单位名称"),
           "budget": ("年度资金总额", "全年预算数", "预算金额", "资金总额", "项目资金")}
_NUMBER = re.compile(r"^\d+(?:\.\d+)?$")


def _header_row(rows: list[list[str]]) -> tuple[int, dict[str, int]] | None:
    for index, row in enumerate(rows[:40]):
        cells = [normalise(c) for c in row]
        found: dict[str, int] = {}
        for key, words in _COLUMNS.items():
            for word in words:
                if normalise(word) in cells and key not in found:
                    found[key] = cells.index(normalise(word))
        if "level3" in found and "target" in found:
            return index, found
    return None


def _detect(document: Document) -> float:
    return 1.0 if document.rows is not None and _header_row(document.rows) else 0.0


@layout("spreadsheet", "表格：表头含 三级指标 与 指标值（.xlsx / .csv）", _detect)
def read(document: Document) -> Extracted:
    rows = document.rows or []
    header, columns = _header_row(rows)
    labels = _labels(rows[:header])
    above = " ".join(" ".join(r) for r in rows[:header])
    year = find_year(above) or find_year(document.path.stem)
    by_project: dict[str, list[dict]] = {}
    unplaced: list[str] = []
    level1 = level2 = ""
    default_name = labels.get("project") or document.path.stem

    def cell(row: list[str], key: str) -> str:
        at = columns.get(key)
        return clean(row[at]) if at is not None and at < len(row) else ""

    for index in range(header + 1, len(rows)):
        row = rows[index]
        if not any(clean(c) for c in row):
            continue
        level1 = cell(row, "level1") or level1
        level2 = cell(row, "level2") or (level2 if not cell(row, "level1") else "")
        level3, target = cell(row, "level3"), cell(row, "target")
        if not level3:
            if target or any(clean(c) for i, c in enumerate(row) if i not in (columns.get("level1"),
                                                                                columns.get("level2"))):
                unplaced.append(f"{document.where(index)}: no 三级指标: {' | '.join(clean(c) for c in row if clean(c))}")
            continue
        found = indicator(level1, level2, level3, target, cell(row, "rule"))
        weight = cell(row, "weight")
        if _NUMBER.match(weight):
            found["weight"] = float(weight)
        elif weight:
            unplaced.append(f"{document.where(index)}: 分值 '{weight}' of '{level3}' is not a number; left out")
        by_project.setdefault(cell(row, "project") or default_name, []).append(found)
    budget, unit = _amount(labels.get("budget", ""))
    if labels.get("budget") and budget is None:
        unplaced.append(f"{document.path.name}: budget '{labels['budget']}' is not an amount; left out")
    projects = [project(name, inds, department=labels.get("department", ""), agency=labels.get("agency", ""),
                        year=year, budget=budget if len(by_project) == 1 else None, budget_unit=unit)
                for name, inds in by_project.items()]
    return Extracted("spreadsheet", projects, unplaced)


def _amount(text: str) -> tuple[float | None, str]:
    """A budget label's value: `50`, `50万元`, `（万元） 50` → (50.0, 万元); 元 where the label says so."""
    match = re.search(r"(\d+(?:\.\d+)?)\s*(万元|元)?", text.replace(",", ""))
    if match is None:
        return None, "万元"
    unit = match.group(2) or ("元" if re.search(r"[(（]元[)）]", text) else "万元")
    return float(match.group(1)), unit


def _labels(rows: list[list[str]]) -> dict[str, str]:
    """Label–value pairs above the header: a cell naming a label, its value in the next non-empty cell."""
    found: dict[str, str] = {}
    for row in rows:
        cells = [clean(c) for c in row]
        for i, text in enumerate(cells):
            for key, words in _LABELS.items():
                label = next((w for w in words if normalise(text).startswith(normalise(w))), None)
                if label is None or key in found:
                    continue
                rest = re.sub(r"^[:：\s]+", "", text[len(label):])
                if key == "budget":  # keep the unit written in the label: 年度资金总额（万元）
                    rest = re.sub(r"^[(（](万元|元)[)）][:：\s]*", "", rest)
                value = rest or next((c for c in cells[i + 1:] if c), "")
                if value:
                    found[key] = value
    return found
