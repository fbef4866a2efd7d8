"""项目支出绩效目标表 turned from PDF into text: columns come out one after another, lines break mid-word and
spaces stand before punctuation. Each project is its name (indented, wrapped in a narrow column), its 项目内容,
a line of amounts (总计 财政拨款 …), its 绩效目标 text, then items
`1、产出指标：运营业务需求完成率 （%），年度指标值 ：100%。` whose value (and even the word 年度指标值) can wrap onto
the next line. Wrapped lines are re-joined with nothing between them (Chinese text has no spaces). An item
whose 一级 is not one the rule set knows is not seen as an item: the gap it leaves in the numbering is reported.
Tables may follow one another, each under its own title and header (a department table, then project tables):
a table begins after the last item of the one above and the lines its value wraps onto (to a 。, else to a
heading, a note, or the title, unit line or page footer of the table below: a title naming a goal table, `…绩效目标表`,
`…绩效指标表`, `…绩效目标批复表`, not a value's tail `…项目绩效评价表`), and only a table whose own title says 部门整体 is the
department's: the last line ending in 表 or 绩效目标 above its unit line, with the lines that wrap into it when it
does not say which table it is itself (`某局2024年部门整体` / `支出绩效目标表`); a document's heading above it
is not part of it. A numbered heading (`二、…`, `（二）…`) or a note (`注：…`) ends the value above it (a value's last
line that starts with a number, `（一）类业务全覆盖`, cannot be told from one); any line between two tables, or between a
table's title and its unit line, that is no title, unit line, footer or year (`（2024年度）`, read as the table's) is
listed as not read, as is a heading among (or after) a table's items with the lines after it up to the next item.
The unit line's unit of money is read as the other readers read it (`单位：人民币元` is 元); amounts in one not read
(`单位：美元`) are no budget, and the unit line is listed."""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from itertools import takewhile

from . import Document, Extracted, layout
from .fields import clean, find_year, indicator, is_department, is_money_unit, project, unit_named, unit_not_read

# the 一级 names the rule set knows (rules/national.toml [points]; 效果 is 效益 in older forms); the bare words
# (产出, 效益 …) are left out: prose puts them before a colon too
_LEVEL1 = "|".join(("产出指标", "效益指标", "效果指标", "满意度指标", "成本指标", "部门产出", "部门效果"))
# a header line ends with its last two columns, 绩效目标 and 绩效指标, either way round and spaced or not; a sentence
# naming both (`按绩效目标 绩效指标开展工作`) does not end with them as words of their own
_HEADER = re.compile(r"(?:^|\s)(?:绩效目标\s*绩效指标|绩效指标\s*绩效目标)\s*$")
_HEADING = re.compile(r"\s*(?:单位名称|项目名称|(?:金额)?单位\s*[：:])")  # a table's unit line, or its wrapped header
_BRACKET_TAIL = re.compile(r"[（(][^（）()]*[)）]$")  # `…绩效目标表（含转移支付项目）`
# what a title names (`…绩效目标批复表`, `…绩效指标表`, `…预算绩效表`, `…目标申报表`); not a value's `…绩效评价表`
_TITLE_FORM = re.compile(r"绩效(?:目标|指标)|(?:绩效|申报)表$")
_KIND = re.compile("部门|项目|整体")  # a title saying which table it is: `项目支出绩效目标表`, not `绩效目标表`
# what only a goal table's title names (…绩效目标表, …绩效目标批复表, …绩效指标表, …预算绩效表, …目标申报表): not a
# value's `项目绩效评价表`, `绩效指标完成情况表`, `绩效目标自评表`
_GOAL_TABLE = re.compile(r"绩效目标表|绩效(?:目标|指标)?(?:批复|填报|申报|审核)?表$|目标申报表$")
_YEAR_LINE = re.compile(r"\s*[（(]?\s*20\d{2}\s*年度?\s*[)）]?\s*$")  # under a title: （2024年度）, 2024年度
_FOOTER = re.compile(r"\s*(?:第\s*\d+\s*页(?:\s*[,，/]?\s*共\s*\d+\s*页)?|[-—]\s*\d+\s*[-—])\s*$")  # 第 1 页, - 1 -
# a document's numbered heading (`二、…`, `（二）…`, `第二部分 …`) and a note (`注：…`): neither is part of a value
_OUTLINE = re.compile(r"\s*(?:[一二三四五六七八九十]+\s*、|[（(]\s*[一二三四五六七八九十]+\s*[)）]|第[一二三四五六七八九十]+部分)")
_NOTE = re.compile(r"\s*(?:注|备注|说明)\s*\d*\s*[：:]")
_ITEM = re.compile(rf"(?:(?<!\d)(\d+)\s*、\s*)?({_LEVEL1})\s*[：:]")  # the number is missing when only one item
_VALUE = re.compile(r"[，,]?\s*年\s*度\s*指\s*标\s*值\s*[：:]")  # between the name and the value
_AMOUNT = r"(?:\d{1,3}(?:,\d{3})+|\d+)\.\d{2}"
_AMOUNTS = re.compile(rf"(?:^|\s)({_AMOUNT})(?:\s+{_AMOUNT})*\s*$")  # 总计 then the other budget columns
_TOTAL = re.compile(rf"^合计(?:\s+{_AMOUNT})+\s*$")
_AGENCY = re.compile(r"单位名称\s*[：:]\s*(\S+)")
_UNIT = re.compile(r"(?<!名称)单位\s*[：:]\s*(\S*元)")
_NAME_WIDTH = 18  # a wrapped project name fills a column ≤ 9 Chinese characters wide; 项目内容 is wider
# a bracket ending an indicator name that only says what unit the value is in: `运营业务需求完成率 （%）`
_UNIT_NOTE = re.compile(r"\s*[（(]\s*(?:%|％|‰|小时|分钟|天|日|月|年|个|人|人次|次|家|件|册|份|条|台|套|项|宗|户"
                        r"|元|万元|亿元|万人|万册|平方米|米|公里)\s*[）)]$")


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _detect(document: Document) -> float:
    if document.rows is not None:
        return 0.0
    joined = "".join(line.strip() for line in document.lines)
    items = [m for m in _ITEM.finditer(joined) if _VALUE.search(joined[m.end():m.end() + 300])]
    return 0.9 if len(items) >= 2 else 0.6 if items else 0.0


@layout("pdf-text", "PDF 转出的文本：每项 “N、一级指标：名称，年度指标值：值”", _detect)
def read(document: Document) -> Extracted:
    lines = document.lines
    unplaced: list[str] = []
    # Tables stand one after another, each under its own header; a table ends where the next one begins.
    # Without a header the whole text is one table.
    headers = [i for i, line in enumerate(lines) if _HEADER.search(line)] or [-1]
    begins = [0] + [_begin(lines, earlier, header) for earlier, header in zip(headers, headers[1:])]
    projects: list[dict] = []
    table = _Table()
    for begin, header, end in zip(begins, headers, begins[1:] + [len(lines)]):
        table = _table(document, range(begin, header + 1), range(header + 1, end), table, unplaced)
        projects += table.projects
    return Extracted("pdf-text", projects, unplaced)


@dataclass
class _Table:
    """What one table gives (its projects) and what a table below without its own takes from it."""

    agency: str = ""
    year: int | None = None
    budget_unit: str = "万元"
    projects: list[dict] = field(default_factory=list)


def _begin(lines: list[str], earlier: int, header: int) -> int:
    """The first line of the table whose header is at `header`: the one after the table above (header at
    `earlier`) ends, after its last item or line of amounts (or its header, with neither), at the end of the
    value it wraps onto: at the line ending with 。 (that last line itself, or one below), else at the line that
    ends a value (`_ends_value`; a title with the lines that wrap into it). What stands between the value's end
    and the lower table's title is the lower table's (`_aside`). An upper table without items keeps its lines,
    so that its projects are listed as not read."""
    end = next((i for i in range(header - 1, earlier, -1) if _ITEM.search(lines[i]) or _AMOUNTS.search(lines[i])),
               earlier)
    stop = next((i for i in range(end + 1, header) if _ends_value(lines[i])), header)
    head = _wrapped(lines, stop, end) if _is_title(lines[stop]) else stop
    return next((i for i in range(end, head) if lines[i].rstrip().endswith("。")), head - 1) + 1


def _is_title(line: str) -> bool:
    """Whether a line is (the last line of) a title where one stands, above a unit line: it names a goal table
    (`_names_goal_table`); or ends with 表, names 绩效 and either names a goal table's form (`_TITLE_FORM`) or says
    which table it is (…部门整体支出绩效评价表), not a value's 报表 or wrapped 绩效评价表; or ends with 绩效目标 and
    names what it is about (…项目支出绩效目标, not a value's wrapped 绩效目标). Only the first ends a value without
    its 。 (`_opens`): `按时报送` / `部门整体绩效评价表` is a value's tail."""
    if _names_goal_table(line):
        return True
    text = _BRACKET_TAIL.sub("", line.replace(" ", ""))
    if text.endswith("表"):
        return "绩效" in text and bool(_TITLE_FORM.search(text) or _KIND.search(text))
    return text.endswith("绩效目标") and any(word in text for word in ("支出", "部门", "项目"))


def _names_goal_table(line: str) -> bool:
    """Whether a line is (the last line of) a goal table's title by its words alone (`_GOAL_TABLE`): a value's
    wrapped tail that names some other table (`…项目绩效评价表`) is none."""
    return bool(_GOAL_TABLE.search(_BRACKET_TAIL.sub("", line.replace(" ", ""))))


def _opens(line: str) -> bool:
    """Whether a line belongs to the table below: a goal table's title, a unit line or wrapped header, a page
    footer."""
    return _names_goal_table(line) or bool(_HEADING.match(line) or _UNIT.search(line) or _FOOTER.match(line))


def _ends_value(line: str) -> bool:
    """Whether a line ends the value it follows: it opens the table below, or it is a heading or a note."""
    return _opens(line) or bool(_OUTLINE.match(line) or _NOTE.match(line))


def _wrapped(lines: list[str], title: int, stop: int) -> int:
    """The first line of the title whose last line is `title`: that line when it says which table it is (部门整体,
    项目 …); else the lines directly above it (after `stop`) that, joined to it, say so (`某局2024年部门整体` /
    `支出绩效目标表`). A line ending a value (。), a note (注：…) or a title of its own (…表, …绩效目标) does not
    wrap into it."""
    said, first = _BRACKET_TAIL.sub("", lines[title].strip()), title  # a note after it (（含转移支付项目）) does not say
    for i in range(title - 1, stop, -1):
        if _KIND.search(said) or lines[i].rstrip().endswith("。") or _NOTE.match(lines[i]) or _is_title(lines[i]):
            break
        said, first = lines[i].strip() + said, i
    return first if _KIND.search(said) else title


def _title(lines: list[str], above: range) -> range:
    """A table's title: of the lines above its header (`above`, ending at it) before its unit line or wrapped
    header, the last title and the lines that wrap into it (`_wrapped`); a document's heading above it
    (`某局2024年部门整体支出和项目支出预算公开`) is not part of it. Empty, at that unit line (or header), without one."""
    before = list(takewhile(lambda i: not _HEADING.match(lines[i]), above[:-1]))
    last = next((i for i in reversed(before) if _is_title(lines[i])), None)
    if last is None:
        return range(above.start + len(before), above.start + len(before))
    return range(_wrapped(lines, last, above.start - 1), last + 1)


def _aside(lines: list[str], above: range, title: range) -> list[int]:
    """The lines between two tables that neither reads: of the lower table's lines above its title (`title`),
    those not blank, a title, unit line or page footer: a heading (`二、项目支出情况`; or the last line of a value
    above without its 。: `（一）类业务全覆盖`), a note (`注：…`) or any other text."""
    return [i for i in range(above.start, title.start) if lines[i].strip() and not _opens(lines[i])]


def _under_title(lines: list[str], above: range, title: range) -> list[int]:
    """The lines between a table's title (`title`) and its unit line (or wrapped header) that it does not read:
    those not blank or a page footer: a note (`注：本表含转移支付`) or any other text."""
    unit_line = next((i for i in range(title.stop, above.stop) if _HEADING.match(lines[i])), above.stop)
    return [i for i in range(title.stop, unit_line)
            if lines[i].strip() and not _opens(lines[i]) and not _YEAR_LINE.match(lines[i])]


def _table(document: Document, above_rows: range, rows: range, before: _Table, unplaced: list[str]) -> _Table:
    """The projects of one table: the lines from where it begins to its header (`above_rows`), then its own; a
    table is the department's (部门整体) when its own title says so. Agency, year and unit not given above its
    header are the table before's; the lines between it and the table above, and between its title and its unit
    line, that it does not read are listed."""
    lines = document.lines
    title = _title(lines, above_rows)
    aside = _aside(lines, above_rows, title) if above_rows.start else []  # above the first table: a document heading
    under = _under_title(lines, above_rows, title)
    unplaced += [f"{document.where(i)}: a line between two tables, not read: {lines[i].strip()}" for i in aside]
    unplaced += [f"{document.where(i)}: a line between a table's title and its unit line, not read: {lines[i].strip()}"
                 for i in under]
    read = [i for i in above_rows if i not in aside and i not in under]
    above = "\n".join(lines[i] for i in read)
    agency = _AGENCY.search(above).group(1) if _AGENCY.search(above) else ""
    budget_unit = _budget_unit(document, read, above_rows.stop - 1, before.budget_unit, unplaced)

    # Projects start at an indented line (the 项目名称 column); what comes before them is the unit's own row:
    # its name (wrapped) and its amounts, or the 合计 row.
    body = [i for i in rows if lines[i].strip()]
    starts = [i for i in body if lines[i][:1].isspace()]
    first = [i for i in body if not starts or i < starts[0]]
    unit_lines = [i for i in first if not _TOTAL.match(lines[i].strip())]
    if unit_lines and _AMOUNTS.search(lines[unit_lines[-1]]):
        agency = agency or "".join(lines[i].strip() for i in unit_lines[:-1])
    else:
        unplaced += [f"{document.where(i)}: text before the first project: {lines[i].strip()}" for i in unit_lines]
    agency = agency or before.agency

    blocks = [[i for i in body if start <= i < end] for start, end in zip(starts, starts[1:] + [rows.stop])]
    # The table is one budget year, written above the table or else in a project's name
    # (`…2023年国家医疗保障信息平台…项目`): the year of all its projects.
    year = find_year(above) or before.year or next((y for b in blocks if (y := find_year(_name(lines, b)[0]))), None)
    form = "department" if is_department("".join(lines[i].strip() for i in title)) else "project"
    projects = [found for block in blocks
                if (found := _project(document, block, agency, year, budget_unit, form, unplaced)) is not None]
    return _Table(agency, year, budget_unit, projects)


def _budget_unit(document: Document, above: list[int], header: int, before: str, unplaced: list[str]) -> str:
    """The unit of money of a table's amounts: its unit line's among the lines read `above` its `header`
    (`单位：万元`, `单位：人民币元` as `fields.unit_named` reads it), else the table before's (`before`). One not read is
    listed (at the unit line, else the header): no budget is read in it."""
    unit_at = next((i for i in above if _UNIT.search(document.lines[i])), None)
    unit = before if unit_at is None else unit_named(_UNIT.search(document.lines[unit_at]).group(1))
    if message := unit_not_read(unit):
        unplaced.append(f"{document.where(header if unit_at is None else unit_at)}: {message}")
    return unit


def _name(lines: list[str], block: list[int]) -> tuple[str, list[int]]:
    """A project's name: its indented first line and the narrow lines it wraps onto; and the lines after it."""
    end = 1
    while end < len(block) and _width(lines[block[end]].strip()) <= _NAME_WIDTH \
            and not _AMOUNTS.search(lines[block[end]]) and not _ITEM.search(lines[block[end]]):
        end += 1
    return "".join(lines[i].strip() for i in block[:end]), block[end:]


def _project(document: Document, block: list[int], agency: str, year: int | None, budget_unit: str, form: str,
             unplaced: list[str]) -> dict | None:
    """One project from its non-blank lines: name, 项目内容, amounts, 绩效目标, items; `form` "department" under
    a 部门整体 title."""
    lines = document.lines
    name, rest = _name(lines, block)
    amounts_at = next((k for k, i in enumerate(rest) if _AMOUNTS.search(lines[i])), None)
    budget = None
    if amounts_at is None:
        unplaced.append(f"{document.where(block[0])}: no line of amounts for '{name}': its 项目内容 cannot be "
                        "told from its 绩效目标, so no budget and no goal; the text before its first item is left out")
    else:  # no budget in a unit not read (listed by `_budget_unit`)
        amount = float(_AMOUNTS.search(lines[rest[amounts_at]]).group(1).replace(",", ""))
        budget = amount if is_money_unit(budget_unit) else None
        rest = rest[amounts_at + 1:]  # the 项目内容 before the amounts has no place in a goals file
    rest, aside = _apart(lines, rest)
    unplaced += [f"{document.where(i)}: a heading or note among the items of '{name}' (or a line after it), not read: "
                 f"{lines[i].strip()}" for i in aside]

    # The 绩效目标 and the items, re-joined; `starts` maps each line back to where it begins in the text.
    text, starts = "", []
    for i in rest:
        starts.append((len(text), i))
        text += lines[i].strip()

    def where(at: int) -> str:
        return document.where(max((i for begin, i in starts if begin <= at), default=block[0]))

    items = list(_ITEM.finditer(text))
    goal = text[:items[0].start()] if items else text
    if amounts_at is None:
        goal = ""
    _numbering(items, name, where, unplaced)
    indicators = []
    for k, item in enumerate(items):
        body = text[item.end():items[k + 1].start() if k + 1 < len(items) else len(text)]
        value = _VALUE.search(body)
        if value is None:
            unplaced.append(f"{where(item.start())}: item '{item.group(0)}{body}' of '{name}' has no 年度指标值")
            continue
        level3 = _UNIT_NOTE.sub("", body[:value.start()].strip())
        target = re.sub(r"\s*。\s*$", "", body[value.end():].strip())
        if not level3 or not target:
            unplaced.append(f"{where(item.start())}: item '{item.group(0)}{body}' of '{name}' has no "
                            f"{'name' if not level3 else 'value'}")
            continue
        if _VALUE.search(target):
            unplaced.append(f"{where(item.start())}: item '{item.group(0)}{body}' of '{name}' holds a second "
                            "年度指标值: an item not recognised as one runs into it; left out")
            continue
        indicators.append(indicator(item.group(2), "", level3, target))
    if not indicators:
        unplaced.append(f"{document.where(block[0])}: no indicator items found for '{name}'")
        return None
    return project(name, indicators, department=agency, agency=agency, year=year, goal=clean(goal),
                   budget=budget, budget_unit=budget_unit, form=form)


def _apart(lines: list[str], rest: list[int]) -> tuple[list[int], list[int]]:
    """A project's lines split into its own and those among its items that are not: a heading or a note, which
    ends the value above it, and the lines after it up to the next item."""
    own: list[int] = []
    aside: list[int] = []
    started = outside = False
    for i in rest:
        item = bool(_ITEM.search(lines[i]))
        outside = not item and (outside or started and bool(_OUTLINE.match(lines[i]) or _NOTE.match(lines[i])))
        started = started or item
        (aside if outside else own).append(i)
    return own, aside


def _numbering(items: list[re.Match], name: str, where: Callable[[int], str], unplaced: list[str]) -> None:
    """Report a gap in the items' numbers (2 then 4): the missing item's text is inside the one before it."""
    last = 0
    for item in items:
        if item.group(1) is None:
            continue
        number = int(item.group(1))
        if number != last + 1:
            unplaced.append(f"{where(item.start())}: item {number} of '{name}' follows item {last}: the text of "
                            "an item not recognised as one (its 一级指标 unknown?) is read into the item before")
        last = number
