"""What every layout builds: goals-file projects and indicators, from the cells it found."""
from __future__ import annotations

import re
from collections.abc import Callable

from ..language import normalise

LEVEL1_NAMES = ("产出指标", "效益指标", "满意度指标")  # 成本指标 is 一级 or 二级: a lone one is read as 二级
# A 二级 name implies its 一级 (domain.md "The indicator tree"): a merged 一级 cell cannot span two blocks.
_IMPLIED_LEVEL1 = (("效益", "效益指标"), ("可持续影响", "效益指标"), ("满意度", "满意度指标"),
                   ("数量", "产出指标"), ("质量", "产出指标"), ("时效", "产出指标"))
DEPARTMENT_BUDGET = ("基本支出", "项目支出")  # a department's budget (部门预算支出) is the sum of these
_YEAR = re.compile(r"(20\d{2})\s*年")
_SPACES = re.compile(r"\s+")


def clean(cell: object) -> str:
    """A cell's text: no surrounding whitespace, inner runs of whitespace as one space."""
    return _SPACES.sub(" ", str(cell or "")).strip()


def find_year(text: str) -> int | None:
    """The first year written as 20xx年 in `text`."""
    match = _YEAR.search(text)
    return int(match.group(1)) if match else None


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


def department_project(department: str) -> str:
    """The project name of a department's whole-expenditure table that names no project: `某局部门整体`."""
    return f"{department}部门整体"


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
