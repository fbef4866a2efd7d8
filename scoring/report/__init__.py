"""Renderings of an Evaluation: Jinja environments over templates/, and the JSON structure.

HTML is autoescaped; Markdown text from the inputs is escaped (md_cell) so that it stays literal text: no table
structure, links, emphasis, entities, raw HTML or blocks. Nothing carries a timestamp: the same evaluation renders
to the same bytes.
"""
from __future__ import annotations

import math
import re
from functools import lru_cache
from typing import TYPE_CHECKING, Any

import jinja2
from markupsafe import Markup, escape

from ..engine import NEEDS_REASON
from ..model import table_rows
from ..resources import data_dir
from ..rounding import format_fixed, format_number, half_up
from ..units import is_unit, unit_info

if TYPE_CHECKING:
    from ..model import Evaluation, Project

FORMATS = {"html": "report.html.j2", "md": "report.md.j2"}
FORM_TITLES = {"project": "项目支出绩效自评表", "department": "部门整体支出绩效自评表"}  # by Project.form
FUNDING_ROWS = ["其中：当年财政拨款", "上年结转资金", "其他资金"]
WAN = "万元"  # the unit the form prints 项目资金 in
AMOUNTS = ("initial", "full_year", "executed")
BUDGET_LABEL = "预算执行率"
_TAG_START = re.compile(r"<(?=[A-Za-z/!?])")
_MD_SPECIAL = str.maketrans({"&": "&amp;", **{c: "\\" + c for c in "\\`*_[]|~#$"}})
_AUTOLINK = re.compile(r":(?=//)|(?<=[A-Za-z0-9])\.(?=[A-Za-z])")  # http://…, www.…, name.com
_BLOCK_MARK = re.compile(r"^(\d{1,9}(?=[.)](?:\s|$))|(?=>|[-+](?:\s|$)|-[-\s]*$))")  # 1. 1) > - + ---


def md_cell(value: Any) -> str:
    """Text from the inputs as literal Markdown on one line: no column breaks, links, emphasis, entities, raw
    HTML tags or block structure (heading, quote, list); every line break becomes <br>."""
    text = "" if value is None else str(value)
    joined = "<br>".join(_md_inline(line.strip()) for line in text.splitlines())
    return _BLOCK_MARK.sub(r"\1\\", joined, count=1)


def _md_inline(line: str) -> str:
    """A line with every character that could start inline Markdown (or a GFM autolink) escaped."""
    line = _TAG_START.sub("&lt;", _AUTOLINK.sub(r"\\\g<0>", line.translate(_MD_SPECIAL)))
    return line.replace("@", "@<!---->")  # GFM links a@b.c however it is escaped: an empty comment parts it


def html_lines(value: Any) -> Markup:
    """Escaped text with its line breaks kept."""
    return Markup("<br>").join(escape(line) for line in str(value or "").splitlines())


@lru_cache(maxsize=None)
def environment(kind: str) -> jinja2.Environment:
    """The Jinja environment of a format: HTML autoescaped, Markdown with the md_cell filter."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(data_dir("templates"))),
        autoescape=kind == "html",
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["md"] = md_cell
    env.filters["lines"] = html_lines
    return env


def render_bytes(ev: "Evaluation", kind: str, narrative: bool = False) -> bytes:
    """One project's report as the bytes of a file: "html", "md", "json", "xlsx" or "pdf"."""
    if kind == "xlsx":
        from .xlsx import workbook

        return workbook([ev], summary=False)
    if kind == "pdf":
        return ev.to_pdf(narrative)
    if kind == "json":
        return ev.to_json().encode("utf-8")
    return render(ev, kind, narrative).encode("utf-8")


def render(ev: "Evaluation", kind: str, narrative: bool = False) -> str:
    """The 自评表 (or the narrative 自评报告) as `kind` ("html" or "md")."""
    if narrative:
        from .narrative import narrative_view

        return environment(kind).get_template(f"narrative.{kind}.j2").render(**narrative_view(ev))
    return environment(kind).get_template(FORMATS[kind]).render(**view(ev))


def view(ev: "Evaluation") -> dict[str, Any]:
    """What the templates show, formatted: numbers as the form prints them, merged 一级/二级 cells."""
    digits = ev.rulebook.digits
    rows = []
    table = ev.table
    for i, (r, level3) in enumerate(zip(table_rows(table), level3_names(table))):
        excluded = r.status == "不适用"
        rows.append({
            "no": i + 1, "id": r.id, "level1": r.level1, "level2": r.level2, "level3": level3,
            "target": r.target, "actual": r.actual, "note": r.note, "status": r.status,
            "weight": "—" if excluded else format_number(r.weight),
            "score": "—" if excluded else format_fixed(r.score, digits),
            "explanation": r.explanation, "flags": r.flags, "needs_reason": needs_reason(r),
        })
    _merge_cells(rows, table)
    from .chart import blocks_chart, losses_chart

    return {
        "title": form_title(ev.project),
        "project": ev.project,
        "header": header_rows(ev.project),
        "rules": ev.rulebook,
        "budget": _budget_view(ev.budget, digits),
        "funding_rows": FUNDING_ROWS,
        "goal": ev.project.goal,
        "goal_actual": ev.goal_actual,
        "rows": rows,
        "points": format_number(points(ev)),
        "total": format_fixed(ev.total, digits),
        "grade": ev.grade,
        "notes": ev.notes,
        "charts": {"blocks": blocks_chart(ev), "losses": losses_chart(ev)},
    }


def form_title(project: "Project") -> str:
    """The 自评表's title: 项目支出 or 部门整体支出绩效自评表, with its year where known."""
    title = FORM_TITLES[project.form]
    return f"{title}（{project.year}年度）" if project.year else title


def header_rows(project: "Project") -> list[list[tuple[str, str]]]:
    """The labelled cells above the form, row by row: 项目名称, then 主管部门 and 实施单位; for a department,
    its 部门名称, then its 主管部门 where given."""
    if not project.is_department:
        return [[("项目名称", project.name)], [("主管部门", project.department), ("实施单位", project.agency)]]
    return [[("部门名称", project.department_name)]] + ([[("主管部门", project.department)]] if project.department
                                                       else [])


def _budget_view(b: dict[str, Any], digits: int) -> dict[str, Any]:
    """The budget row as the form prints it: amounts in 万元, its 偏差原因 and whether one is missing."""
    unit, amounts = budget_amounts(b)
    short = budget_needs_reason(b)
    return {
        "unit": unit, **amounts, "weight": format_number(b["weight"]),
        "rate": "" if b["rate"] is None else format_fixed(b["rate"] * 100, 2) + "%",
        "score": format_fixed(b["score"], digits), "status": b["status"], "explanation": b["explanation"],
        "note": b["note"], "needs_reason": short, "flags": NEEDS_REASON if short else "",
    }


def budget_amounts(b: dict[str, Any]) -> tuple[str, dict[str, str]]:
    """The unit the form prints the budget in (万元, unless the goals' unit is not money) and its amounts in it,
    to 2 decimals rounded half up ("" where none is given)."""
    factor = wan_factor(b["unit"])
    unit, factor = (b["unit"], 1.0) if factor is None else (WAN, factor)
    return unit, {key: "" if b[key] is None else format_fixed(b[key] * factor, 2) for key in AMOUNTS}


def wan_factor(unit: str) -> float | None:
    """What an amount in `unit` is multiplied by to be in 万元; None for a unit that is not money."""
    if not is_unit(unit):
        return None
    given, wan = unit_info(unit), unit_info(WAN)
    return given.factor / wan.factor if given.dimension == wan.dimension else None


def budget_needs_reason(b: dict[str, Any]) -> bool:
    """Whether the budget row scored below its 分值 with no 偏差原因 given, as an indicator row is flagged."""
    return b["score"] < b["weight"] and not b["note"]


def needs_reason(row: Any) -> bool:
    """Whether an indicator scored below its 分值 with no 偏差原因 given."""
    return row.status != "不适用" and row.score < row.weight and not str(row.note).strip()


def level3_names(table) -> list[str]:
    """Each 三级指标 as the form prints it: a name that repeats within the project with its 绩效指标描述 in
    brackets, as `score template` writes it, so that the rows can be told apart."""
    names = list(table["level3"])
    repeated = table["level3"].duplicated(keep=False)
    return [f"{name}（{text}）" if twice and text else name
            for name, text, twice in zip(names, table["description"], repeated)]


def points(ev: "Evaluation") -> float:
    """The 分值 of the form: the indicators' and the budget's, summed to the rule set's digits."""
    return half_up(float(ev.table["weight"].to_numpy().sum()) + ev.budget["weight"], ev.rulebook.digits)


def merged_runs(table, key: str) -> list[tuple[int, int]]:
    """(first row, length) of each run of equal 一级 (key "level1") or equal (一级, 二级) ("level2") cells."""
    keys = list(table["level1"]) if key == "level1" else list(zip(table["level1"], table["level2"]))
    runs, start = [], 0
    for i in range(1, len(keys) + 1):
        if i == len(keys) or keys[i] != keys[start]:
            runs.append((start, i - start))
            start = i
    return runs


def _merge_cells(rows: list[dict], table) -> None:
    """rowspan for the merged 一级 and 二级 cells; 0 marks a cell merged into the one above."""
    for key in ("level1", "level2"):
        for start, length in merged_runs(table, key):
            rows[start][f"{key}_span"] = length
            for j in range(start + 1, start + length):
                rows[j][f"{key}_span"] = 0


def evaluation_dict(ev: "Evaluation") -> dict[str, Any]:
    """The evaluation as plain JSON-ready data."""
    b = ev.budget
    return {
        "project": ev.project.name,
        "form": ev.project.form,
        "department": ev.project.department,
        "agency": ev.project.agency,
        "year": ev.project.year,
        "rules": ev.rulebook.name,
        "total": ev.total,
        "grade": ev.grade,
        "budget": {
            "unit": b["unit"], "initial": b["initial"], "full_year": b["full_year"], "executed": b["executed"],
            "rate": None if b["rate"] is None else half_up(b["rate"], 6), "weight": b["weight"],
            "score": b["score"], "status": b["status"], "explanation": b["explanation"], "note": b["note"],
        },
        "goal": ev.project.goal,
        "goal_actual": ev.goal_actual,
        "indicators": [
            {
                "id": r.id, "level1": r.level1, "level2": r.level2, "level3": r.level3, "target": r.target,
                "actual": r.actual, "weight": _number(r.weight), "score": _number(r.score), "status": r.status,
                "explanation": r.explanation, "note": r.note, "direction": r.direction or None,
                "method": r.method,
                "flags": [f for f in r.flags.split("；") if f], "person_score": _number(r.person_score),
            }
            for r in table_rows(ev.table)
        ],
        "notes": ev.notes,
    }


def _number(value: Any) -> float | None:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    return float(value)
