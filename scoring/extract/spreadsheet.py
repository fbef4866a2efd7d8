"""Spreadsheet goal tables (.xlsx, .csv): a header row with 三级指标 and 指标值 / 年度指标值, the form most
departments keep. Optional columns: 一级指标, 二级指标, 分值 (分值（分）, 指标分值, 权重（%）…), 评(扣)分标准,
绩效指标描述, 项目名称. Above the header, `项目名称`, `主管部门`, `实施单位`, a budget and a year may stand as
label–value pairs; a row there that gives none of them is listed as not read. A department table's budget,
where no label gives it, is its 基本支出 plus 项目支出 under a 预算金额（万元） column heading; a bracket
after a budget label is its amount when it holds one (年度资金总额（500万元）), else part of the label
(基本支出（万元）, 项目支出（2024年度）, 基本支出（单位：元））, and a unit alone in the cell after the amount is its
unit (年度资金总额 | 500 | 元). An amount is the cell's one number, whole (`1，234`, `500 000`), with its unit of
money (`500万元`, `500（万元）`), else bare, never a year (`2024年 500万元` is 500万元); a range, a negative, several
amounts or a unit not read (人民币元 is 元; 美元 is none) are none (listed): `fields.find_amount`, shared with the
period-columns reader.

A 指标值 merged over a second header row is read by that row: of 中长期 | 年度 (实施周期 | 当年度) the annual
column, of 符号 | 值 | 单位 the three joined (`=4部门`). Cells left empty by merging take the value above: the
一级/二级 names and the 项目名称 column. Tables may stand one under another: a `项目名称` row or a title (its notes
alone too) after a table starts a new project, with its own labels above its own header; a header repeated without one continues the
table. A row with a 三级指标 but no 指标值 is listed and left out: an indicator without a target cannot be
scored. Rows that drift from their columns are read as the text readers read them (`drift`): every row of a
table in two halves (三级指标 twice: 中长期 | 本年度), and a row that does not fit a table whose 三级指标 is
followed by value columns only. A title `…绩效…表` above a header gives its notes, after it or in the cell
beside it: the table's year (`（2024年度）`, `（2024）`, `2024年度`) and the unit of a budget written without one
(`（单位：元）`, `单位：千元`, `（2024年度，单位：万元）`), else a unit in the last cell of a row above the header
(`项目名称 | 甲 | 单位：元`); a title `…部门整体…表` marks a department table. A row above the header is read for its
year only as a title, notes alone or a label's (实施期限), a span of years giving none (`2023-2025年`); any other,
and a second year of a title or notes, is listed."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal

from ..language import normalise
from . import Document, Extracted, layout
from .drift import NUMBERED, Row, two_halves, value_columns
from .fields import (DepartmentBudget, Labelled, budget_parts, clean, department_of, department_project, find_year,
                     indicator, is_department, is_level_name, label_value, labelled_amounts, project, unit_cell,
                     unit_named, unit_not_read, update_levels)

Columns = dict[str, list[int]]  # what a column holds → where (several columns for a split 指标值)
# a table in two halves (三级指标 twice): every row by `two_halves`; a 三级指标 followed by value columns only:
# (their names, the annual one's place) for `value_columns`; else None
Drift = Literal["halves"] | tuple[list[str], int] | None

_COLUMNS = {  # header words, compared by `_word`; the first word found wins
    "level1": ("一级指标",),
    "level2": ("二级指标",),
    "level3": ("三级指标", "指标名称"),
    "target": ("年度指标值", "本年度指标值", "当年度指标值", "指标值", "目标值"),
    "weight": ("分值", "指标分值", "权重", "指标权重"),
    "rule": ("评(扣)分标准", "评分标准", "扣分标准"),
    "description": ("绩效指标描述", "指标描述"),
    "project": ("项目名称",),
}
_LABELS = {"project": ("项目名称",), "department": ("主管部门", "部门名称"),
           "agency": ("实施单位", "单位名称", "用款单位"), "period": ("实施期限",)}  # 实施期限: read for its year
_BUDGET = ("年度资金总额", "当年度金额", "全年预算数", "预算金额", "资金总额", "项目资金")  # the first found is read
_UNIT_NOTE = re.compile(r"\([^()]*\)$")  # a unit after a header word: 分值（分）, 权重(%)
_WEIGHT = re.compile(r"^(\d+(?:\.\d+)?)分?$")
_ANNUAL = re.compile(r"(?:20\d{2}年?)?[本当]?年度(?:指标值|目标值)?")  # sub-headers under a merged 指标值
_PERIOD = re.compile(r"(?:中长期|实施周期|中期)(?:指标值|目标值)?|20\d{2}-20\d{2}年?")
_SPLIT = ("符号", "值", "单位")
# a note after a table's title (normalised): a bracket (`(2024)`, `(单位:万元)`, `(2024年度,单位:千元)`), a year
# (`2024年度`) or a unit (`单位:元`, `金额单位:千元`, `单位:美元`); what a bracket holds, part by part: a year or a unit
_TITLE_NOTE = re.compile(r"\(([^()]*)\)|20\d{2}年度?|(?:金额)?单位:[^\d()]*元")
_NOTE_BREAK = re.compile(r"[,、;]|(?<!金额)(?=单位)|(?=金额单位)")
_NOTE_YEAR = re.compile(r"(20\d{2})(?:年度?)?")


def _word(cell: str) -> str:
    """A header cell as compared: normalised, without a bracketed unit at its end."""
    return _UNIT_NOTE.sub("", normalise(cell))


def _header(row: list[str]) -> Columns | None:
    """The columns a header row names; None unless it names a 三级指标 and a 指标值."""
    words = [_word(c) for c in row]
    found: Columns = {}
    for key, names in _COLUMN_WORDS.items():
        at = next((words.index(n) for n in names if n in words), None)
        if at is not None:
            found[key] = [at]
    return found if "level3" in found and "target" in found else None


_COLUMN_WORDS = {key: [_word(name) for name in names] for key, names in _COLUMNS.items()}  # as _header compares them


def _span(header: list[str], at: int) -> list[int]:
    """The columns a header cell covers: its own and the empty ones right of it (a merged cell)."""
    end = at + 1
    while end < len(header) and not clean(header[end]):
        end += 1
    return list(range(at, end))


def _sub_header(header: list[str], below: list[str], at: int) -> list[int] | None:
    """The 指标值 columns a second header row names under a 指标值 merged at `at`: the annual one of
    中长期 | 年度, or the 符号 | 值 | 单位 to join. None when `below` is no such row."""
    words = {i: normalise(c) for i, c in enumerate(below) if clean(c)}
    if not words or not set(words) <= set(_span(header, at)):
        return None
    annual = [i for i, w in words.items() if _ANNUAL.fullmatch(w)]
    if len(annual) == 1 and all(_ANNUAL.fullmatch(w) or _PERIOD.fullmatch(w) for w in words.values()):
        return annual
    return sorted(words) if set(words.values()) <= set(_SPLIT) else None


def _drift(header: list[str], columns: Columns) -> Drift:
    """How the rows under `header` are read when their cells drift (the text readers of seeds 003 and 001
    read every row so): a table in two halves side by side (三级指标 twice) by its 三级指标 written twice; a
    三级指标 followed by nothing but value columns (指标值, 实施周期指标值 | 当年度指标值) by where its last value is."""
    words = [_word(c) for c in header]
    level3, (target, *split) = columns["level3"][0], columns["target"]
    if words.count(words[level3]) > 1:
        return "halves"
    after = [clean(c) for c in header[level3 + 1:]]
    while after and not after[-1]:
        after.pop()
    if (split or not after or not 0 < target - level3 <= len(after)  # (a 指标值 left of the 三级指标: no drift)
            or not all(re.search("[指目]标值$", w) for w in after)):
        return None
    return after, target - level3 - 1


def _starts_project(row: list[str], title: _Title | None) -> bool:
    """Whether a row (not a header) is a `项目名称` label or a department table's title (`title`: the row's
    `_title`): the first row of a project's header block."""
    first = next((clean(c) for c in row if clean(c)), "")
    return normalise(first).startswith("项目名称") or title is not None and is_department(title.name)


@dataclass(frozen=True)
class _Title:
    """A table's title row: its name (`…部门整体…表`; '' for a row of notes only), and the year and the unit of
    money ('' where none) its notes give."""

    name: str
    year: int | None
    unit: str


def _title(row: list[str]) -> _Title | None:
    """A row that is a table's title: one cell `…绩效…表` (or `…部门整体…表`), its notes after it (`（2024年度）`,
    `（单位：万元）`, `（2024年度，单位：千元）`) or in the one cell beside it (`2024年度`, `单位：元`); or notes alone
    (`（2024年度）`). None when the row is no such title."""
    filled = [clean(c) for c in row if clean(c)]
    named = re.fullmatch(r"(.*表)?(.*)", filled[0]) if 1 <= len(filled) <= 2 else None
    name = named and named.group(1) or ""
    if named is None or name and not ("绩效" in name or is_department(name)):
        return None
    notes = _title_notes(normalise(named.group(2) + "".join(filled[1:])))
    if notes is None or not (name or any(notes)):
        return None
    return _Title(name, notes[0] or find_year(name), notes[1])


def _title_notes(text: str) -> tuple[int | None, str] | None:
    """The year and the unit of money (None, '' where not named; a unit not read as `unit_named` gives it) of the
    notes after a title (`_TITLE_NOTE`, normalised); None where anything else stands there."""
    year, unit, at = None, "", 0
    while at < len(text):
        note = _TITLE_NOTE.match(text, at)
        if note is None:
            return None
        for part in filter(None, _NOTE_BREAK.split(note.group() if note.group(1) is None else note.group(1))):
            named, unit_read = _NOTE_YEAR.fullmatch(part), unit_named(part)
            if named is None and not unit_read:
                return None
            year = year or (named and int(named.group(1)))
            unit = unit or unit_read
        at = note.end()
    return year, unit


def _detect(document: Document) -> float:
    rows = document.rows
    return 1.0 if rows is not None and any(_header(row) for row in rows[:40]) else 0.0


@dataclass
class _Table:
    """One project block: the labels above its header, its columns, the indicators read (by project name)."""

    labels: dict[str, str]
    year: int | None
    columns: Columns
    budget: tuple[float, str] | None  # amount, unit
    indicators: dict[str, list[dict]] = field(default_factory=dict)
    levels: list[str] = field(default_factory=lambda: ["", ""])
    project: str = ""  # the 项目名称 column's last value, for cells left empty by merging
    drift: Drift = None  # how a row that drifts from its columns is read
    form: str = "project"  # "department" under a 部门整体 title


class _Reader:
    def __init__(self, document: Document):
        self.document = document
        self.rows = document.rows or []
        self.tables: list[_Table] = []
        self.unplaced: list[str] = []

    def note(self, index: int, message: str) -> None:
        self.unplaced.append(f"{self.document.where(index)}: {message}")

    def shown(self, index: int) -> str:
        return " | ".join(clean(c) for c in self.rows[index] if clean(c))

    def read(self) -> Extracted:
        above: list[int] | None = []  # the rows of the header block being gathered; None inside a table
        skip = -1  # a sub-header row, read with its header
        for index, row in enumerate(self.rows):
            if index == skip or not any(clean(c) for c in row):
                continue
            columns = _header(row)
            if columns is not None:
                skip = self.header(index, columns, above)
                above = None
            elif self.starts_block(row, above):
                self.not_read(above or [])
                above = [index]
            elif above is not None:
                above.append(index)
            else:
                self.table_row(self.tables[-1], index, row)
        self.not_read(above or [])
        return Extracted("spreadsheet", [p for table in self.tables for p in self.finish(table)], self.unplaced)

    def starts_block(self, row: list[str], above: list[int] | None) -> bool:
        """Whether a row (not a header) begins the rows above a new header: under a table, a `项目名称` label or a
        title (its notes alone too: `（单位：元）`); above a header, a second `项目名称` (or department title)."""
        title = _title(row)
        if above is None:
            return _starts_project(row, title) or title is not None
        return _starts_project(row, title) and any(_starts_project(self.rows[i], _title(self.rows[i])) for i in above)

    def not_read(self, rows: list[int]) -> None:
        for index in rows:
            self.note(index, f"no indicator header follows; not read: {self.shown(index)}")

    def header(self, index: int, columns: Columns, above: list[int] | None) -> int:
        """A header row: a new table (a repeated header continues the current one). Returns the row of the
        sub-header read with it, else -1."""
        row, skip = self.rows[index], -1
        if index + 1 < len(self.rows):
            sub = _sub_header(row, self.rows[index + 1], columns["target"][0])
            if sub is not None:
                columns["target"], skip = sub, index + 1
        self.unread_weights(index, row, columns)
        if above is None:
            self.tables[-1].columns, self.tables[-1].levels = columns, ["", ""]
        else:
            self.tables.append(self.start(above, columns))
        self.tables[-1].drift = _drift(row, columns) if skip < 0 else None
        return skip

    def unread_weights(self, index: int, row: list[str], columns: Columns) -> None:
        """List header cells that look like a 分值 but are not the column read."""
        used = {i for at in columns.values() for i in at}
        for i, cell in enumerate(row):
            if i not in used and re.search("分值|权重", normalise(cell)):
                self.note(index, f"column '{clean(cell)}' looks like a 分值 but is not read")

    def start(self, above: list[int], columns: Columns) -> _Table:
        """A table with the labels, budget and year of the rows above its header (no year there: the table
        above's, else the file name's). A second year of a title or notes is listed."""
        labels: dict[str, str] = {}
        year = None
        titles = {i: title for i in above if (title := _title(self.rows[i])) is not None}
        form = "department" if any(is_department(title.name) for title in titles.values()) else "project"
        budget, read = self.budget(above, form, self.unit(above, titles))
        for index in above:
            cells = [clean(c) for c in self.rows[index]]
            found, title = _row_labels(cells), titles.get(index)
            for key, value in found.items():
                if key in labels:
                    self.note(index, f"a second {key} label '{value}' above one header; not read")
                labels.setdefault(key, value)
            if title is not None and year and title.year and title.year != year:
                self.note(index, f"a second year above one header; not read: {self.shown(index)}")
            elif title is not None:
                year = year or title.year
            elif found or index in read:
                year = year or find_year(" ".join(cells))
            if not (found or index in read or title and (title.year or title.unit or is_department(title.name))):
                self.note(index, f"above the header, not read: {self.shown(index)}")
        earlier = self.tables[-1].year if self.tables else find_year(self.document.path.stem)
        return _Table(labels, year or earlier, columns, budget, form=form)

    def unit(self, above: list[int], titles: dict[int, _Title]) -> str:
        """The unit of money of a budget written without one: a title's (`（单位：元）`), else the one a row above the
        header names in its last cell (`项目名称 | 甲 | 单位：元`), else 万元. One not read is listed (an amount in it
        is refused: `fields.find_amount`), as is a second one."""
        units = [(i, title.unit) for i, title in titles.items() if title.unit]
        units += [(i, unit) for i in above if (unit := _unit_beside(self.rows[i]))]
        index, unit = units[0] if units else (-1, "万元")
        if message := unit_not_read(unit):
            self.note(index, message)
        for other_at, other in units[1:]:
            if other != unit:
                self.note(other_at, f"a second unit of money '{other}' above one header; not read")
        return unit

    def budget(self, above: list[int], form: str, unit: str) -> tuple[tuple[float, str] | None, set[int]]:
        """The budget (amount, unit) of the rows above a header, and the rows read (or listed) for it: a budget
        label's amount; else, in a department table, its 基本支出 plus 项目支出 (`fields.DepartmentBudget`), in the
        unit their labels name (基本支出（万元）) or else the budget label heading their column does: one with no
        amount after it (预算金额（万元） | 收入来源). `unit` where none is written (the title's unit note, else 万元).
        A part that cannot be added is listed: its label and value, not the rest of its row; so is a budget label
        without an amount that heads no part (年度资金总额 | 待定)."""
        given, parts, headings, read = [], DepartmentBudget(unit), [], set()
        for index in above:
            cells = [clean(c) for c in self.rows[index]]
            found = _budget(cells, parts.unit_written)
            if found and found.amount is None:
                headings.append((index, found.shown))
                parts.unit_written = found.unit
            elif found:
                given.append((index, (found.amount, found.unit)))
            named, notes = parts.read(cells) if form == "department" else (False, [])
            for message in notes:
                self.note(index, message)
            if named:
                read.add(index)
        for index, _ in given[1:]:
            self.note(index, f"a second budget label above one header; not read: {self.shown(index)}")
        for index, shown in headings if parts.amount is None else []:
            self.note(index, f"above the header, not read: {shown}")
        read |= {index for index, _ in given} | {index for index, _ in headings}
        if given:
            return given[0][1], read
        return (parts.amount, parts.unit) if parts.amount is not None else None, read

    def table_row(self, table: _Table, index: int, row: list[str]) -> None:
        """One row under a header: an indicator, level names alone, or a row listed as not placed."""
        def cell(key: str) -> str:
            return "".join(clean(row[at]) for at in table.columns.get(key, []) if at < len(row))

        table.project = cell("project") or table.project
        cells = [clean(c) for c in row]
        if table.drift == "halves":
            self.drifting(table, index, two_halves(cells), always=True)
            return
        level3, target = NUMBERED.sub("", cell("level3")), cell("target")
        if table.drift and not (level3 and target) and self.drifting(table, index, value_columns(cells, *table.drift)):
            return
        levels = table.columns.get("level1", []) + table.columns.get("level2", [])
        if not level3 and any(clean(c) and (i not in levels or not is_level_name(c)) for i, c in enumerate(row)):
            self.note(index, f"no 三级指标: {self.shown(index)}")  # a title or a note: no level name either
            return
        level1, level2 = cell("level1"), cell("level2")
        if all(is_level_name(c) for c in (level1, level2) if c):  # as the text readers take level names
            self.set_levels(table, index, [level1, level2])
        else:  # other words (部门产出, 数量) by their column
            table.levels = [level1 or table.levels[0], level2 or (table.levels[1] if not level1 else "")]
        if not level3:  # level names alone (merged cells)
            return
        if not target:
            self.note(index, f"'{level3}' has no 指标值; left out")
            return
        self.add(table, index, level3, target, cell("rule"), cell("description"), cell("weight"))

    def set_levels(self, table: _Table, index: int, names: list[str]) -> None:
        """The 一级/二级 from the level names of a row, by what they name (`fields.update_levels`): a 二级 in the
        一级 column is a 二级, and a 二级 implies its 一级."""
        update_levels(table.levels, [c for c in names if c], lambda message: self.note(index, message))

    def drifting(self, table: _Table, index: int, row: Row, always: bool = False) -> bool:
        """A row read by what its cells hold. Unless `always`, only an indicator found is taken (otherwise
        the row is read by its columns): whether it was."""
        if not always and not row.target:
            return False
        if row.problem:
            self.note(index, row.problem)
        self.set_levels(table, index, row.levels)
        if row.name and row.target:
            self.add(table, index, row.name, row.target)
        return True

    def add(self, table: _Table, index: int, level3: str, target: str, rule: str = "", description: str = "",
            weight: str = "") -> None:
        """An indicator of the table, under the project its row names (else the table's)."""
        found = indicator(*table.levels, level3, target, rule, description)
        number = _WEIGHT.match(normalise(weight))
        if number:
            found["weight"] = float(number.group(1))
        elif weight:
            self.note(index, f"分值 '{weight}' of '{level3}' is not a number; left out")
        name = table.project or self.name(table)
        table.indicators.setdefault(name, []).append(found)

    def finish(self, table: _Table) -> list[dict]:
        """The goals-file projects of one table; its budget goes to it when it holds one project."""
        labels = table.labels
        if not table.indicators:
            name = self.name(table)
            self.unplaced.append(f"{self.document.path.name}: '{name}' has no indicators; left out")
            return []
        budget, unit = table.budget if table.budget and len(table.indicators) == 1 else (None, "万元")
        return [project(name, inds, department=department_of(labels.get("department", ""), labels.get("agency", "")),
                        agency=labels.get("agency", ""),
                        year=table.year, budget=budget, budget_unit=unit, form=table.form)
                for name, inds in table.indicators.items()]

    def name(self, table: _Table) -> str:
        """The project name of a table whose rows name none: its 项目名称 label, a department table's
        department (`某局部门整体`), else the file's name."""
        labels = table.labels
        department = department_of(labels.get("department", ""), labels.get("agency", "")) \
            if table.form == "department" else ""
        return labels.get("project") or (department_project(department) if department else self.document.path.stem)


@layout("spreadsheet", "表格：表头含 三级指标 与 指标值（.xlsx / .csv）", _detect)
def read(document: Document) -> Extracted:
    return _Reader(document).read()


def _budget(cells: list[str], unit: str) -> Labelled | None:
    """The value after a row's budget label, the first of `_BUDGET` found (年度资金总额 rather than 项目资金 or
    中期资金总额), read by `fields.labelled_amounts`: 年度资金总额 | 2024年 500万元 → 500.0 万元; no amount where it
    gives none (a column heading: 预算金额（万元） | 收入来源), in the unit its bracket names, else `unit`. None
    without a budget label."""
    return next(labelled_amounts(cells, _BUDGET, unit), None)


def _unit_beside(row: list[str]) -> str:
    """The unit of money a row of several cells names in its last (`项目名称 | 甲 | 单位：元`; as `fields.unit_cell`
    reads it), where it is no amount's own (年度资金总额 | 500 | 元: `fields.label_value`); '' where none."""
    filled = [clean(c) for c in row if clean(c)]
    if len(filled) < 2 or _budget(filled, "万元") is not None or budget_parts(filled, "万元"):
        return ""
    return unit_cell(filled[-1]) or ""


def _row_labels(cells: list[str]) -> dict[str, str]:
    """Label–value pairs of a row above the header (not its budget: `_budget`). Of two labels of one kind in a
    row, the one first in `_LABELS` is read."""
    found: dict[str, str] = {}
    for key, words in _LABELS.items():
        values = (label_value(cells, i, word)[0] for word in words for i in range(len(cells)))
        value = next((v for v in values if v), "")
        if value:
            found[key] = value
    return found
