"""What every layout builds: goals-file projects and indicators, from the cells it found."""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple

from ..budget import amount_in
from ..errors import InputError
from ..language import PUNCTUATION, normalise

LEVEL1_NAMES = ("产出指标", "效益指标", "满意度指标")  # 成本指标 is 一级 or 二级: a lone one is read as 二级
# A 二级 name implies its 一级 (domain.md "The indicator tree"): a merged 一级 cell cannot span two blocks.
_IMPLIED_LEVEL1 = (("效益", "效益指标"), ("可持续影响", "效益指标"), ("满意度", "满意度指标"),
                   ("数量", "产出指标"), ("质量", "产出指标"), ("时效", "产出指标"))
_DEPARTMENT_BUDGET = ("基本支出", "项目支出")  # a department's budget (部门预算支出) is the sum of these
_YEAR = re.compile(r"(20\d{2})\s*年")
# a span of years (2021-2023, 2023年至2025年, 2023年1月1日-2025年12月31日): no one year
_YEAR_SPAN = re.compile(r"20\d{2}\s*(?:年度?)?(?:\s*\d{1,2}\s*月(?:\s*\d{1,2}\s*日)?)?\s*[-—–~－～至到]\s*20\d{2}")
_SPACES = re.compile(r"\s+")
_MONEY_UNIT = "[千万亿]?元"  # the units a budget is written in
# a bracket naming the unit: 万元, 单位：元, 金额单位:千元, 人民币元
_UNIT_NOTE = rf"(?:(?:金额)?单位\s*[:：]\s*)?(?:人民币)?({_MONEY_UNIT})"
_BRACKET = re.compile(r"[（(]\s*([^（()）]+?)\s*[）)]")  # a bracket and what it holds
_UNIT_LEAD = re.compile(r"^(?:金额)?单位\s*[:：]\s*")
_NAMES_UNIT = re.compile(r"元|单位\s*[:：]")  # a note about the unit of money, read or not (美元, 单位：万元元)
# a cell that is a unit of money alone: 元, 千元, 单位：元, （人民币元）, 美元; not a name ending in 元 (服务单元)
_UNIT_CELL = re.compile(r"[(（]?\s*(?:(?:金额)?单位\s*[:：][^()（）]*|(?:人民币)?[^\d\s()（）:：,，;；]{0,2}(?<!单)元)\s*[)）]?")
_BRACKETED_UNIT = re.compile(rf"\(\s*(?:人民币)?({_MONEY_UNIT})\s*\)")  # after a number: 500（万元）
_MONEY = re.compile(rf"\d+(?:\.\d+)?\s*(?:{_MONEY_UNIT}|万(?!\w))")  # a number with its unit of money: 500万元, 80万
_NUMBER = re.compile(r"\d+(?:\.\d+)?")
_GROUPED = re.compile(r"(?<![\d.])\d{1,3}(?:[ ,]\d{3})+(?!\d)")  # thousands apart: 1,234 (1，234), 500 000
_MINUS = re.compile(r"[-−–—]\s*$")  # before a number: a negative (－ and ﹣ are - after NFKC)
_NONE_WORDS = ("无", "没有")  # a value saying none is written (当年度金额 | 无), as a blank or / does
_YEARS = re.compile(r"20\d{2}\s*年度?")  # 2024年, 2024年度: when, not how much
_BRACKETED_AMOUNT = re.compile(rf"\d+(?:,\d{{3}})*(?:\.\d+)?\s*(?:{_MONEY_UNIT})?")  # （500万元）, not （2024年度）


def clean(cell: object) -> str:
    """A cell's text: no surrounding whitespace, inner runs of whitespace as one space."""
    return _SPACES.sub(" ", str(cell or "")).strip()


def find_year(text: str) -> int | None:
    """The first year written as 20xx年 in `text`; a span of years (2023-2025年, 2023年至2025年) gives none."""
    match = _YEAR.search(_YEAR_SPAN.sub(" ", text))
    return int(match.group(1)) if match else None


def find_amount(text: str, unit: str) -> tuple[float, str] | None:
    """An amount of money written in a cell, with its unit: its one number, whole (NFKC, thousands apart joined:
    `1，234万元`, `500 000元`), with the unit of money it carries (`2024年 500万元`, `500（万元）` → (500.0, 万元); `80万` in
    `unit`), else bare, in `unit` (`764.88`), a year (2024年, 2024年度) left aside. None where there is no one amount: no
    number (详见各项目, 2024年度, 无), a negative (-5), a range (500~600万元) or several (上年结转50万元，本年500万元);
    and where `unit` is no unit of money read (美元: `unit_named`)."""
    if not is_money_unit(unit):
        return None
    text = _GROUPED.sub(lambda grouped: re.sub("[ ,]", "", grouped.group()), unicodedata.normalize("NFKC", text))
    text = _BRACKETED_UNIT.sub(r"\1", text)
    rest = _YEARS.sub(" ", text)
    numbers = list(_NUMBER.finditer(rest))
    if len(numbers) > 1 or numbers and _MINUS.search(rest[:numbers[0].start()]):
        return None
    written = _MONEY.search(rest)
    value = written.group() if written else rest.strip()
    named = re.search(rf"{_MONEY_UNIT}$", value)
    unit = named.group() if named else unit
    try:
        found = amount_in(value, unit, "", "amount")
    except InputError:
        return None
    return None if found is None or not (numbers or found) else (found, unit)  # 无, 没有: none written, not 0


def label_value(cells: list[str], at: int, label: str, amount: bool = False) -> tuple[str, int, str]:
    """The value of `label` when the cell at `at` starts with it ('' when not), the place of the last cell read,
    and, for an amount's label, the unit its bracket names ('' when none: `unit_named`): after the label in the cell
    (`项目名称：…`), else the next non-empty cell. A bracket right after an amount's label is its value when it
    holds an amount (年度资金总额（500万元）, 基本支出（50）), else part of the label (项目支出（2024年度） | 详见各项目,
    基本支出（元） | 1000 → ('1000', at + 1, '元'), 基本支出（单位：元） | 1000 alike). A unit alone in the cell after an
    amount is its unit, read with it (基本支出 | 1000 | 元 → ('1000', at + 2, '元')); two units named are none read."""
    if not normalise(cells[at]).startswith(normalise(label)):
        return "", at, ""
    rest = re.sub(r"^[:：\s]+", "", cells[at][_label_end(cells[at], label):])
    note = re.match(r"^[(（]\s*([^()（）]*?)\s*[)）][:：\s]*", rest) if amount else None
    if note and _BRACKETED_AMOUNT.fullmatch(note.group(1)):
        return note.group(1), at, ""
    if note:
        rest = rest[note.end():]
    last = at if rest else next((i for i in range(at + 1, len(cells)) if cells[i]), at)
    value, unit = rest or (cells[last] if last > at else ""), unit_named(note.group(1)) if note else ""
    after = next((i for i in range(last + 1, len(cells)) if cells[i]), None) if amount and value else None
    beside = unit_cell(cells[after]) if after is not None else None
    if beside is not None:
        last, unit = after, beside if unit in ("", beside) else f"{unit} | {beside}"
    return value, last, unit


def says_none(value: str) -> bool:
    """Whether a cell's value writes nothing: blank, a mark alone (/, —, -) or a word for none (无, 没有)."""
    text = normalise(value)
    return not PUNCTUATION.sub("", text) or text in _NONE_WORDS


def unit_named(note: str) -> str:
    """The unit of money a bracket's text names (万元, 单位：元, 金额单位：千元, 人民币元 → 元); '' where it names none
    (2024年度, 含结转); where it names one not read (美元, 单位：万元元, 千元，含结转), that name as written, which is
    no unit of money (`is_money_unit`): an amount in it is refused."""
    text = note.strip()
    named = re.fullmatch(_UNIT_NOTE, text)
    if named:
        return named.group(1)
    return _UNIT_LEAD.sub("", text) if _NAMES_UNIT.search(text) else ""


def unit_cell(cell: str) -> str | None:
    """The unit of money a cell names alone (元, 单位：千元, （人民币元）, as `unit_named` reads it: 美元 as written);
    None where the cell is no unit."""
    return unit_named(cell.strip().strip("()（）")) if _UNIT_CELL.fullmatch(cell.strip()) else None


def bracket_unit(cell: str) -> str:
    """The unit of money the first bracket of `cell` naming one names, as `unit_named` reads it (项目资金（万元）,
    预算金额（单位：元） → 元; 美元 as written); '' where none does."""
    return next((unit for note in _BRACKET.findall(cell) if (unit := unit_named(note))), "")


def is_money_unit(unit: str) -> bool:
    """Whether `unit` is a unit of money a budget is written in (元, 千元, 万元, 亿元)."""
    return re.fullmatch(_MONEY_UNIT, unit) is not None


def unit_not_read(unit: str) -> str | None:
    """The note for a table's unit of money that is none (单位：美元): no budget is read under it; None for one read."""
    return None if is_money_unit(unit) else f"unit of money '{unit}' not read; no budget is read under it"


def _label_end(cell: str, label: str) -> int:
    """Where `label` ends in `cell`, which starts with it once normalised: spaces may lie between its characters
    (项 目 名 称, 年度 资金总额), so the shortest start of the cell normalising to the label."""
    wanted = normalise(label)
    for end in range(len(label), len(cell) + 1):
        read = normalise(cell[:end])
        if read == wanted:
            return end
        if len(read) > len(wanted):
            break
    return len(label)


class Labelled(NamedTuple):
    """An amount's label read in a row: the value written after it, the amount read from it (None where it gives
    none: 详见各项目, 待定) and its unit, and the cells it is read from, shown."""

    value: str
    amount: float | None
    unit: str
    shown: str


def labelled_amounts(cells: list[str], labels: tuple[str, ...], unit: str) -> Iterator[Labelled]:
    """The values after a row's `labels` (label_value), the first label's first: each read by `find_amount` in the
    unit written with it (年度资金总额（元） | 1000, 基本支出 | 1000 | 元, 当年度金额 | 500万元), else `unit`. A label
    with nothing after it gives none."""
    for label in labels:
        for i in range(len(cells)):
            value, last, written = label_value(cells, i, label, amount=True)
            if value:
                amount, read_in = find_amount(value, written or unit) or (None, written or unit)
                yield Labelled(value, amount, read_in, " | ".join(c for c in cells[i:last + 1] if c))


def budget_parts(cells: list[str], unit: str) -> list[Labelled]:
    """The amounts after a row's `_DEPARTMENT_BUDGET` labels (`labelled_amounts`): 基本支出 | 764.88, 基本支出（元） |
    1000, 基本支出（50万元）; no amount where the value is none: 项目支出 | 详见各项目."""
    return list(labelled_amounts(cells, _DEPARTMENT_BUDGET, unit))


@dataclass
class DepartmentBudget:
    """A department's budget (部门预算支出): its 基本支出 plus 项目支出 as rows above its indicators give them, in
    the unit of the first part read. `unit_written` is the unit of a part that names none: the one its column
    heading names (预算金额（万元）), else the table's."""

    unit_written: str = "万元"
    amount: float | None = None
    unit: str = ""

    def read(self, cells: list[str]) -> tuple[bool, list[str]]:
        """Adds the parts a row gives (`budget_parts`): whether it names any, and each it names but cannot add,
        as a note: one without an amount (详见各项目), or in another unit than the first."""
        parts, notes = budget_parts(cells, self.unit_written), []
        for part in parts:
            if part.amount is None:
                notes.append(f"above the header, not read: {part.shown}")
            elif self.amount is not None and part.unit != self.unit:
                notes.append(f"in {part.unit}, not in {self.unit} as the 基本支出 or 项目支出 above; not read: {part.shown}")
            else:
                self.amount, self.unit = round((self.amount or 0) + part.amount, 6), part.unit
        return bool(parts), notes


def indicator(level1: str, level2: str, level3: str, target: str, rule: str = "", description: str = "") -> dict:
    """An indicator of the goals file (ids are given per project by `project`). `description` is the table's
    绩效指标描述 or the explanation of how the indicator is computed."""
    found = {"level1": clean(level1), "level2": clean(level2), "level3": clean(level3), "target": clean(target)}
    if clean(rule):
        found["rule"] = clean(rule)
    if clean(description):
        found["description"] = clean(description)
    return found


def project(name: str, indicators: list[dict], *, department: str = "", agency: str = "",
            year: int | None = None, goal: str = "", budget: float | None = None,
            budget_unit: str = "万元", form: str = "project") -> dict:
    """A project of the goals file; its indicators numbered 1, 2, 3 … in table order. `form` "department"
    marks the department's whole-expenditure table (部门整体支出); a project's is left unwritten."""
    found: dict = {"project": clean(name)}
    if year:
        found["year"] = year
    if clean(department):
        found["department"] = clean(department)
    if clean(agency):
        found["agency"] = clean(agency)
    if form != "project":
        found["form"] = form
    if goal.strip():
        found["goal"] = goal.strip()
    if budget is not None:
        found["budget"] = {"unit": budget_unit, "initial": budget, "full_year": budget}
    found["indicators"] = [{"id": str(i + 1), **ind} for i, ind in enumerate(indicators)]
    return found


def is_department(title: str) -> bool:
    """Whether a table's title or header says it is a department's whole-expenditure table (部门整体支出绩效目标表):
    its project is written with "form": "department"."""
    return "部门整体" in normalise(title)


def department_of(department: str, agency: str) -> str:
    """A project's 主管部门 where a 申报表 may name only its 实施单位: as the table names it, else the 实施单位
    (六安市医疗保障局本级 is the bureau itself: 本级 is its own budget, not a unit under it)."""
    return department or agency.removesuffix("本级")


def department_project(department: str) -> str:
    """The project name of a department's whole-expenditure table that names no project: `某局部门整体`."""
    return f"{department}部门整体"


@lru_cache(maxsize=4096)
def is_level_name(text: str) -> bool:
    """Whether a cell names a level (产出指标, 数量指标 …) rather than an indicator."""
    name = normalise(text)
    return name.endswith("指标") and len(name) <= 12


def update_levels(levels: list[str], written: list[str], note: Callable[[str], None]) -> None:
    """The 一级/二级 names of a row (`levels`, updated in place): those written in it, else the ones above
    (cells left empty by merging). Words in level cells that name no level are reported through `note`."""
    words = list(dict.fromkeys(c for c in written if is_level_name(c)))
    for other in (c for c in written if not is_level_name(c)):
        note(f"'{other}' stands where a level name belongs but is none; left out")
    level1_written = False
    if len(words) > 2:
        note(f"more level names than 一级 and 二级: {' | '.join(words)}; took the last two")
    if len(words) >= 2:
        levels[:] = words[-2:]
        level1_written = True
    elif words and normalise(words[0]) in LEVEL1_NAMES:
        levels[:] = [words[0], ""]
        level1_written = True
    elif words:
        levels[1] = words[0]
    if not level1_written and levels[1]:
        implied = next((one for key, one in _IMPLIED_LEVEL1 if key in normalise(levels[1])), None)
        if implied and normalise(levels[0]) != implied:
            levels[0] = implied
