"""Tab-separated 一般公共预算项目支出绩效目标表 whose indicators sit in ONE cell as numbered items, e.g.
`<p>1、空气质量检测合格率：(how it is computed)100%</p>` or `1、name：(…)value 2、name：(…)value` (items apart by
a space, `；` or `。`; `:` serves as `：`). Items may be numbered `1、`, `1.`, `1)` or `(1)` (full-width too).
Columns: 单位编码, 单位名称 (项目名称), 20xx年预算, 项目内容, 项目绩效目标, 项目主要绩效指标. A row with only a code
and a name names a unit (单位); the project rows carrying that code belong to it. No 一级/二级 levels."""
from __future__ import annotations

import re

from . import Document, Extracted, layout
from .fields import clean, find_year, indicator, is_money_unit, project, unit_named, unit_not_read

_COLUMNS = {  # a header cell containing the word names the column; the first word found wins
    "code": ("单位编码",),
    "name": ("项目名称", "单位名称"),
    "budget": ("预算",),
    "goal": ("项目绩效目标", "绩效目标"),
    "indicators": ("项目主要绩效指标", "绩效指标"),
}
_TAG = re.compile(r"<[^>]*>")  # <p>, </p>, <ol style="…"> around the items
# an item number (at the start of the cell, after a space or a ；/。): 1、 1. 1) (1), full-width too; a `1.`
# before a digit is a decimal (1.5万元), not a number
_ITEM = re.compile(r"[(（](?P<bracketed>\d+)[)）]|(?<!\d)(?P<number>\d+)(?P<mark>、|[.．](?!\d)|[)）])")  # (not inside digits)
_BEFORE_ITEM = "；;。"  # what may end the item before, besides a space
# a date written with dots (`2021. 2. 28`, `2021. 2`): the ` 2.` in it is no item; a month or day before a
# numbering mark is the next item's number (`2021. 2.完工时间`, `2021. 2. 2.质量`)
_DATE = re.compile(r"(?<!\d)20\d{2}\s*[.．]\s*\d{1,2}(?!\d|[.．]\s*[^\s\d])(?:\s*[.．]\s*\d{1,2}(?![\d.．、)）]))?")
# what follows an item number: a name and its colon (`质量：`)
_NAMED = re.compile(r"\s*[^\s\d：:；;。，,、()（）][^\s：:；;。，,()（）]{0,19}[：:]")
_COLONS = "：:"  # between an item's name and its value
_AMOUNT = re.compile(r"^\d{1,3}(?:,\d{3})+(?:\.\d+)?$|^\d+(?:\.\d+)?$")
_UNIT = re.compile(r"^(?:金额)?单位\s*[：:]\s*\S*元$")  # `单位：万元`, `金额单位：千元` above the table
_DEPARTMENT = re.compile(r"^部门名称\s*[：:]\s*(\S.*)$")  # `部门名称：广州市医疗保障局`: the 主管部门
_OPEN, _CLOSE = "(（", ")）"


def _header(cells: list[str]) -> dict[str, int] | None:
    """The columns of a header row, or None when the row is not one."""
    found: dict[str, int] = {}
    for key, words in _COLUMNS.items():
        for word in words:
            at = next((i for i, c in enumerate(cells) if word in c and i not in found.values()), None)
            if at is not None:
                found[key] = at
                break
    return found if {"code", "name", "indicators"} <= found.keys() else None


def _detect(document: Document) -> float:
    if document.rows is not None:
        return 0.0
    for line in document.lines:
        columns = _header([clean(c) for c in line.split("\t")])
        if columns and "goal" in columns:
            return 0.95 if any(_ITEM.search(l) and any(c in l for c in _COLONS) for l in document.lines) else 0.7
    return 0.0


@layout("cell-items", "一般公共预算项目支出绩效目标表：指标为单元格内的编号条目", _detect)
def read(document: Document) -> Extracted:
    projects: list[dict] = []
    unplaced: list[str] = []
    columns: dict[str, int] | None = None
    year: int | None = None
    budget_unit = "万元"
    units: dict[str, str] = {}  # 单位编码 → 单位名称, from the rows that name a unit
    unit = ""  # the unit named last
    department = ""  # 部门名称 above the table: the 主管部门 of every unit in it

    for index, line in enumerate(document.lines):
        cells = [clean(c) for c in line.split("\t")]
        if len(cells) == 1:  # headings above a table: 部门名称, 单位：万元; prose otherwise
            if _UNIT.match(cells[0]):
                budget_unit = _unit(cells[0], document.where(index), unplaced)
            elif found := _DEPARTMENT.match(cells[0]):
                department = found.group(1)
            continue
        if (header := _header(cells)) is not None:
            columns = header
            year = find_year(cells[header["budget"]]) if "budget" in header else year
            continue
        if columns is None:
            unplaced.append(f"{document.where(index)}: a row before any header row: "
                            f"{' | '.join(c for c in cells if c)}")
            continue

        filled = [c for c in cells if c]
        if filled == [str(i + 1) for i in range(len(filled))]:
            continue  # the row numbering the columns 1 2 3 …
        code, name, items_cell = (_cell(cells, columns, key) for key in ("code", "name", "indicators"))
        if name == "合计":
            continue  # the total of the table's budgets, not a project
        if code and name and len(filled) == 2:  # a row naming a unit: its code marks the projects below
            units[code] = unit = name
            continue
        if not name or not items_cell:
            if any(cells):
                unplaced.append(f"{document.where(index)}: a row without "
                                f"{'项目名称' if not name else '绩效指标'}: {' | '.join(c for c in cells if c)}")
            continue
        agency = units.get(code, unit)  # the unit that carries the project out
        indicators = _items(items_cell, document.where(index), name, unplaced)
        budget_text = _cell(cells, columns, "budget").replace(" ", "")
        amount = float(budget_text.replace(",", "")) if _AMOUNT.match(budget_text) else None
        budget = amount if is_money_unit(budget_unit) else None  # a unit not read is listed at its line
        if budget_text and amount is None:
            unplaced.append(f"{document.where(index)}: budget '{budget_text}' of '{name}' is not an amount; left out")
        if not indicators:
            unplaced.append(f"{document.where(index)}: no indicator items found in the 绩效指标 cell of '{name}'")
            continue
        projects.append(project(name, indicators, department=department or agency, agency=agency, year=year,
                                goal=_cell(cells, columns, "goal"), budget=budget, budget_unit=budget_unit))
    return Extracted("cell-items", projects, unplaced)


def _unit(line: str, where: str, unplaced: list[str]) -> str:
    """The unit of money a unit line names, as `fields.unit_named` reads it (单位：人民币元 → 元); one not read (单位：美元)
    is listed: no budget is read in it."""
    unit = unit_named(line)
    if message := unit_not_read(unit):
        unplaced.append(f"{where}: {message}")
    return unit


def _cell(cells: list[str], columns: dict[str, int], key: str) -> str:
    at = columns.get(key)
    return cells[at] if at is not None and at < len(cells) else ""


def _items(text: str, where: str, name: str, unplaced: list[str]) -> list[dict]:
    """The numbered items of a 绩效指标 cell, each `name：(how it is computed)target`. An item starts at the next
    number in sequence (1、 2、 …), numbered the way item 1 is, outside brackets and dates: numbers inside an
    explanation or a value do not split items. A value holding what reads as the next item (`10个（2）质量：合格`,
    `10个2、质量：合格`) is kept, and listed."""
    text = clean(_TAG.sub(" ", text))
    starts: list[tuple[int, int]] = []  # (where the number starts, where the item's text starts)
    depth, at, numbering = 0, 0, None
    while at < len(text):
        match = _ITEM.match(text, at) if depth == 0 and _starts_item(text, at) else None
        if match and int(match["bracketed"] or match["number"]) == len(starts) + 1 \
                and numbering in (None, _numbering(match)):
            starts.append((at, match.end()))
            numbering, at = _numbering(match), match.end()
            continue
        if date := _DATE.match(text, at):
            at = date.end()
            continue
        depth = max(depth + (text[at] in _OPEN) - (text[at] in _CLOSE), 0)
        at += 1
    if not starts:
        return []
    if text[:starts[0][0]].strip():
        unplaced.append(f"{where}: text before item 1 in the 绩效指标 cell of '{name}': {text[:starts[0][0]].strip()}")
    found: list[dict] = []
    for number, (begin, body_at) in enumerate(starts, 1):
        end = starts[number][0] if number < len(starts) else len(text)
        body = text[body_at:end].strip().rstrip(_BEFORE_ITEM).strip()
        level3, colon, rest = _name_value(body)
        if not colon or not level3.strip():
            unplaced.append(f"{where}: item {number} of '{name}' has no 'name：value': {body}")
            continue
        target = _after_explanation(rest.strip())
        if target is None:
            unplaced.append(f"{where}: item {number} of '{name}': the bracket after '：' never closes: {body}")
            continue
        if not target:
            unplaced.append(f"{where}: item {number} of '{name}' ('{level3.strip()}') has no value")
            continue
        if inside := _next_item(target, number + 1):
            unplaced.append(f"{where}: item {number} of '{name}' ('{level3.strip()}'): its value holds what reads "
                            f"as item {number + 1} ('{inside}'), kept in it: number the items alike, apart by a "
                            "space or ；")
        explanation = rest.strip()[: len(rest.strip()) - len(target)].strip()[1:-1]
        found.append(indicator("", "", level3, target, description=explanation))
    return found


def _starts_item(text: str, at: int) -> bool:
    """Whether an item may start at `at`: the start of the cell, after a space or a ；/。."""
    return at == 0 or text[at - 1].isspace() or text[at - 1] in _BEFORE_ITEM


def _next_item(text: str, number: int) -> str:
    """What reads as item `number` inside `text`: that number in any numbering, then a name and its colon
    (`（2）质量：`); '' when there is none."""
    for match in _ITEM.finditer(text):
        named = _NAMED.match(text, match.end())
        if named and int(match["bracketed"] or match["number"]) == number:
            return text[match.start():named.end()]
    return ""


def _numbering(match: re.Match) -> str:
    """How an item number is written, full-width and ASCII alike: `、`, `.`, `)` or `()`."""
    return "()" if match["bracketed"] else {"．": ".", "）": ")"}.get(match["mark"], match["mark"])


def _name_value(body: str) -> tuple[str, str, str]:
    """An item split at its first colon (`：` or `:`) outside brackets (`服务时间(8:30起)：`): name, colon, the
    rest; (body, '', '') without one."""
    depth = 0
    for at, char in enumerate(body):
        depth += (char in _OPEN) - (char in _CLOSE)
        if depth <= 0 and char in _COLONS:
            return body[:at], char, body[at + 1:]
    return body, "", ""


def _after_explanation(rest: str) -> str | None:
    """What follows the bracketed explanation (how the indicator is computed) that opens `rest`: the target.
    Brackets nest (`(…÷(a+b))85%以上`); a target may hold brackets of its own (`138件（套）`). None when the
    opening bracket never closes; `rest` itself when there is no explanation (`计划全年参保的人数457.63万人`)."""
    if not rest or rest[0] not in _OPEN:
        return rest
    depth = 0
    for at, char in enumerate(rest):
        if char in _OPEN:
            depth += 1
        elif char in _CLOSE:
            depth -= 1
            if depth == 0:
                return rest[at + 1:].strip()
    return None
