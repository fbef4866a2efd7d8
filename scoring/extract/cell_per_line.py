"""Goal tables of a Word document turned to text: every table cell on its own line after a tab, a line without
the tab right after a cell continuing that cell, rows separated by blank lines. A table starts with a header
row of 一级指标 / 二级指标 / 三级指标 / … / 指标值 (a 评(扣)分标准 column where the table has one; a 指标值
split below into 符号 / 值 / 单位 is joined back without spaces). Tables under a heading `N.<项目名称>绩效目标表`
are projects (the heading's table may carry a 绩效目标 row: the goal); a table with no such heading is the
department's whole-expenditure table (部门整体支出, "form": "department"). Empty 一级/二级 cells take the value
above (merged cells); rows with no 三级指标 and nothing else are the form's empty placeholders. A 指标值确定依据 cell worded as a
deduction rule (扣, 减…分值, 得0分, 不得分) is the indicator's rule. Budgets: a project name followed by an amount
in 万元 in the document's prose (e.g. 支出说明), matched on the exact name only. A stray blank line inside a header
or a 绩效目标 cell is read past. A row outside the indicator tables that names a level or a header column starts
a table that was not recognised: it and the rows after it are listed; the document's other tables are not."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..language import normalise
from . import Document, Extracted, layout
from .fields import clean, find_year, indicator, is_level_name, project

_HEADING = re.compile(r"^(?:\[bookmark:[^\]]*\])*\s*\d+\s*[.．、]\s*(.+?)绩效目标表\s*$")
_TITLE = re.compile(r"^(.{2,60}?)(20\d{2})\s*年")
_GOAL_HEADING = re.compile(r"总体绩效目标\s*$")
_SUBSECTION = re.compile(r"^\s*[（(][一二三四五六七八九十\d]+[）)]")
_RULE_WORDS = re.compile(r"扣|减[^。；;]*分值|得0分|不得分")
_COLUMNS = {  # header cell (normalised, its lines joined) → what the column holds
    "一级指标": "level1", "二级指标": "level2", "三级指标": "level3",
    "评(扣)分标准": "rule", "评分标准": "rule", "扣分标准": "rule",
    "绩效指标描述": "description", "指标值": "target", "年度指标值": "target", "指标值确定依据": "basis",
}
_SPLIT_TARGET = ("符号", "值", "单位")
# 一级 names written without 指标 that the rule set knows (rules/national.toml [points.aliases])
_LEVEL1_BARE = {"部门产出", "部门效果", "产出", "效益", "效果", "满意度", "成本"}


@dataclass
class _Row:
    """One table row: its cells (each the lines it spans) and the 0-based line of each cell."""
    cells: list[list[str]] = field(default_factory=list)
    at: list[int] = field(default_factory=list)

    def text(self, i: int) -> str:  # a cell as one string: a docx cell's wrapped lines are not word breaks
        return clean("".join(part.strip() for part in self.cells[i])) if i < len(self.cells) else ""

    def texts(self) -> list[str]:
        return [self.text(i) for i in range(len(self.cells))]


@dataclass
class _Prose:
    at: int
    text: str


def _items(lines: list[str]) -> list[_Row | _Prose]:
    """The document as rows of cells and lines of prose, in order."""
    items: list[_Row | _Prose] = []
    row: _Row | None = None
    for i, line in enumerate(lines):
        if line.startswith("\t"):
            if row is None:
                row = _Row()
                items.append(row)
            row.cells.append([line[1:]])
            row.at.append(i)
        elif line.strip() and row is not None:
            row.cells[-1].append(line)  # a cell's next line
        else:
            row = None
            if line.strip():
                items.append(_Prose(i, line.strip()))
    return items


def _is_header(row: _Row) -> bool:
    cells = {normalise(c) for c in row.texts()}
    return {"一级指标", "三级指标"} <= cells and bool(cells & {"指标值", "年度指标值"})


def _is_header_part(text: str) -> bool:
    """Whether a cell's text is a header name or the start of one (a name cut by a blank line)."""
    name = normalise(text)
    return bool(name) and any(full.startswith(name) for full in _COLUMNS)


def _names_header(row: _Row) -> bool:
    """Whether a row holds header names (or their starts) and nothing else."""
    texts = [t for t in row.texts() if t]
    return bool(texts) and all(_is_header_part(t) for t in texts)


def _continues_header(row: _Row, item: _Row | _Prose) -> bool:
    """Whether `item`, after a blank line, is more of the header `row`: a row of header names, or a line
    that completes its last cell (`绩效指标` + `描述`)."""
    if isinstance(item, _Prose):
        return _is_header_part(row.text(len(row.cells) - 1) + item.text)
    return _names_header(item)


def _header_at(items: list[_Row | _Prose], i: int) -> tuple[_Row, int] | None:
    """The header row starting at items[i] and the index after it, or None. Blank lines inside the header
    cut it into several rows (and a cell's second line into prose): they are joined back."""
    first = items[i]
    if not isinstance(first, _Row) or not (_is_header(first) or _names_header(first)):
        return None
    row = _Row([list(cell) for cell in first.cells], list(first.at))
    end = i + 1
    while end < len(items) and _continues_header(row, items[end]):
        part = items[end]
        if isinstance(part, _Prose):
            row.cells[-1].append(part.text)
        else:
            row.cells += [list(cell) for cell in part.cells]
            row.at += part.at
        end += 1
    return (row, end) if _is_header(row) else None


def _names_indicators(texts: list[str]) -> bool:
    """Whether a row outside the indicator tables names a level (`…指标`, 部门产出) or a header column: a row
    of an indicator table that was not recognised. Rows of the document's other tables name neither."""
    return any(is_level_name(t) or normalise(t) in _LEVEL1_BARE or _is_header_part(t) for t in texts if t)


def _detect(document: Document) -> float:
    if document.rows is not None:
        return 0.0
    items = _items(document.lines)
    headers = sum(1 for i in range(len(items)) if _header_at(items, i) is not None)
    return 0.0 if not headers else min(1.0, 0.7 + 0.1 * headers)


def _columns(header: _Row, below: _Row | None) -> tuple[dict[str, list[int]], int, bool]:
    """Where each kind of cell sits, the row width, and whether `below` was the 符号/值/单位 sub-header."""
    names = [_COLUMNS.get(normalise(c), "") for c in header.texts()]
    width, shift, used_below = len(names), 0, False
    found: dict[str, list[int]] = {}
    sub = below.texts() if below is not None else []
    for i, name in enumerate(names):
        span = [i + shift]
        if name == "target" and any(c in _SPLIT_TARGET for c in sub):
            span = [j for j, c in enumerate(sub) if c in _SPLIT_TARGET]
            shift += len(span) - 1
            width, used_below = len(sub), True
        if name and name not in found:
            found[name] = span
    return found, width, used_below


class _Reader:
    def __init__(self, document: Document):
        self.document = document
        self.items = _items(document.lines)
        self.department, self.year = self._title()
        self.prose = "\n".join(item.text for item in self.items if isinstance(item, _Prose))
        self.projects: list[dict] = []
        self.unplaced: list[str] = []

    def where(self, index: int) -> str:
        return self.document.where(index)

    def _title(self) -> tuple[str, int | None]:
        """Department and year from the document's title line (`<部门>2021年部门预算…`)."""
        first = next((line.strip() for line in self.document.lines if line.strip()), "")
        match = _TITLE.match(first)
        if match:
            return match.group(1), int(match.group(2))
        return "", find_year(" ".join(self.document.lines[:20])) or find_year(self.document.path.stem)

    def budget(self, name: str) -> float | None:
        """The amount the prose gives right after the exact project name (`档案整理服务项目资金83.2054万元`)."""
        match = re.search(re.escape(name) + r"\s*(\d+(?:\.\d+)?)\s*万元", self.prose)
        return float(match.group(1)) if match else None

    def department_goal(self) -> str:
        """The text under `（一）总体绩效目标`, up to the next numbered sub-section."""
        found: list[str] = []
        inside = False
        for item in self.items:
            if not isinstance(item, _Prose):
                if inside:
                    break
                continue
            if _GOAL_HEADING.search(item.text):
                inside = True
            elif inside and (_SUBSECTION.match(item.text) or _HEADING.match(item.text)):
                break
            elif inside:
                found.append(item.text)
        return "\n".join(found)

    def read(self) -> Extracted:
        heading: tuple[str, int] | None = None  # the project heading waiting for its table
        goal = ""
        stray = False  # inside rows of a table not recognised as an indicator table, listed one by one
        i = 0
        while i < len(self.items):
            item = self.items[i]
            if isinstance(item, _Prose):
                match = _HEADING.match(item.text)
                if match:
                    if heading is not None:
                        self.unplaced.append(f"{self.where(heading[1])}: heading '{heading[0]}' has no indicator "
                                             "table; no project made")
                    heading, goal = (clean(match.group(1)), item.at), ""
                stray = False
                i += 1
                continue
            texts = item.texts()
            header = _header_at(self.items, i)
            if header is not None:
                i = self._table_at(*header, heading, goal)
                heading, goal, stray = None, "", False
                continue
            if texts and normalise(texts[0]) in ("绩效目标", "项目绩效目标", "年度绩效目标") and heading is not None:
                goal, i = self._goal(i)
                continue
            if any(texts) and (heading is not None or stray or _names_indicators(texts)):
                stray = True
                self.unplaced.append(f"{self.where(item.at[0])}: row outside any indicator table: "
                                     f"{' | '.join(c for c in texts if c)}")
            i += 1
        if heading is not None:
            self.unplaced.append(f"{self.where(heading[1])}: heading '{heading[0]}' has no indicator table; "
                                 "no project made")
        return Extracted("cell-per-line", self.projects, self.unplaced)

    def _table_at(self, header: _Row, i: int, heading: tuple[str, int] | None, goal: str) -> int:
        """The table whose header ends before items[i]: a project (under `heading`) or the department's
        whole-expenditure table; the index after its last row."""
        below = self.items[i] if i < len(self.items) and isinstance(self.items[i], _Row) else None
        columns, width, used_below = _columns(header, below)
        i += 1 if used_below else 0
        end = i
        while end < len(self.items) and isinstance(self.items[end], _Row) and _header_at(self.items, end) is None:
            end += 1
        indicators = self._table(self.items[i:end], columns, width)
        if heading is not None:
            name = heading[0]
            found = project(name, indicators, department=self.department, year=self.year, goal=goal,
                            budget=self.budget(name))
        else:  # a table under no project heading: the department as a whole
            name = f"{self.department}部门整体支出"
            found = project(name, indicators, department=self.department, year=self.year,
                            goal=self.department_goal(), form="department")
        if indicators:
            self.projects.append(found)
        else:
            self.unplaced.append(f"{self.where(header.at[0])}: table of '{name}' has no indicator rows")
        return end

    def _goal(self, i: int) -> tuple[str, int]:
        """The goal in the 绩效目标 row items[i] and the index after it. A blank line may cut the goal's cell
        from its label (the next row is the cell) or its later lines from the cell (prose up to the next row
        or heading): they are the goal's."""
        lines = [part.strip() for cell in self.items[i].cells[1:] for part in cell if part.strip()]
        i += 1
        if not lines and i < len(self.items) and isinstance(self.items[i], _Row) \
                and _header_at(self.items, i) is None:
            lines = [part.strip() for cell in self.items[i].cells for part in cell if part.strip()]
            i += 1
        while i < len(self.items) and isinstance(self.items[i], _Prose) and not _HEADING.match(self.items[i].text):
            lines.append(self.items[i].text)
            i += 1
        return "\n".join(lines), i

    def _table(self, rows: list, columns: dict[str, list[int]], width: int) -> list[dict]:
        """The indicators of one table's data rows."""
        found: list[dict] = []
        level1 = level2 = ""
        for row in rows:
            texts = row.texts()
            if not any(texts):
                continue
            if len(texts) != width:
                self.unplaced.append(f"{self.where(row.at[0])}: row of {len(texts)} cells under a header of "
                                     f"{width}: {' | '.join(c for c in texts if c)}")
                continue

            def cell(key: str) -> str:
                return "".join(texts[j] for j in columns.get(key, []))

            level1, level2 = cell("level1") or level1, cell("level2") or (level2 if not cell("level1") else "")
            level3, target = cell("level3"), cell("target")
            if not level3:
                others = [texts[j] for j in range(width)
                          if j not in columns.get("level1", []) + columns.get("level2", []) and texts[j]]
                if others:
                    self.unplaced.append(f"{self.where(row.at[0])}: no 三级指标: {' | '.join(others)}")
                continue  # otherwise the form's empty placeholder row (e.g. 成本 with nothing under it)
            rule, basis = cell("rule"), cell("basis")
            if not rule and _RULE_WORDS.search(basis):
                rule = basis  # the 依据 cell holds a deduction rule
            found.append(indicator(level1, level2, level3, target, rule, cell("description")))
        return found


@layout("cell-per-line", "Word 转出的文本：每格一行；部门整体表含评(扣)分标准，后接各项目绩效目标表", _detect)
def read(document: Document) -> Extracted:
    return _Reader(document).read()
