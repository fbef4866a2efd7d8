"""The batch summary: one row per 自评表 (项目, 分值, 得分, 等级, 执行率, flags) and a department roll-up.

A department's own table (部门整体支出, `form` "department") is a row of the list like a project's, but the
roll-up keeps it apart: its budget already holds its projects' budgets, so 项目数, 平均得分, the grades and the
amounts count the project tables only, and the department table's total has a column of its own."""
from __future__ import annotations

from typing import TYPE_CHECKING
from urllib.parse import quote

from ..rounding import format_fixed, format_number, half_up
from . import points, wan_factor

if TYPE_CHECKING:
    from ..model import Evaluation

SUMMARY_HEADERS = ["项目", "主管部门", "分值", "得分", "等级", "执行率", "需复核", "未填报", "提示"]
DEPARTMENT_HEADERS = ["部门", "项目数", "平均得分", "优", "良", "中", "差", "全年预算数（万元）", "全年执行数（万元）",
                      "执行率", "部门整体得分"]
AMOUNT_HEADERS = ("全年预算数（万元）", "全年执行数（万元）")  # printed to 2 decimals, as the form prints amounts
GRADES = ("优", "良", "中", "差")


def summary_rows(evaluations: list["Evaluation"]) -> list[list]:
    """A row per project: name, department, points, total, grade, execution rate, counts of 需复核, 未填报
    and of flagged indicators."""
    rows = []
    for ev in evaluations:  # numpy columns: a pandas comparison per project cost more than its project's report
        rows.append([ev.project.name, ev.project.department, points(ev), ev.total, ev.grade,
                     ev.budget["rate"], ev.count("需复核"), ev.count("未填报"),
                     int((ev.table["flags"].to_numpy() != "").sum())])
    return rows


def summary_title(evaluations: list["Evaluation"]) -> str:
    """项目支出绩效自评汇总 over project tables, 部门整体支出… over department tables, 绩效自评汇总 over both."""
    forms = {ev.project.form for ev in evaluations}
    if forms == {"department"}:
        return "部门整体支出绩效自评汇总"
    return "绩效自评汇总" if "department" in forms else "项目支出绩效自评汇总"


def department_rows(evaluations: list["Evaluation"]) -> list[list]:
    """A row per department: its project tables (count, mean total, grades, budget and executed amounts in 万元,
    rate; blank where it has none) and its own department table's total (the mean if a batch holds several)."""
    by_department: dict[str, list["Evaluation"]] = {}
    for ev in evaluations:
        name = ev.project.department or (ev.project.department_name if ev.project.is_department
                                         else "（未填主管部门）")
        by_department.setdefault(name, []).append(ev)
    rows = []
    for name, group in by_department.items():
        projects = [ev for ev in group if not ev.project.is_department]
        wholes = [ev.total for ev in group if ev.project.is_department]
        whole = half_up(sum(wholes) / len(wholes), 2) if wholes else None
        if not projects:
            rows.append([name, 0, None, 0, 0, 0, 0, None, None, None, whole])
            continue
        factors = [wan_factor(ev.budget["unit"]) for ev in projects]
        grades = [sum(ev.grade == g for ev in projects) for g in GRADES]
        mean = half_up(sum(ev.total for ev in projects) / len(projects), 2)
        if None in factors:  # a budget in a unit that is not money (美元?) cannot be added up in 万元
            rows.append([name, len(projects), mean, *grades, None, None, None, whole])
            continue
        planned = sum((ev.budget["full_year"] or 0.0) * f for ev, f in zip(projects, factors))
        executed = sum((ev.budget["executed"] or 0.0) * f for ev, f in zip(projects, factors))
        rows.append([name, len(projects), mean, *grades, half_up(planned, 6), half_up(executed, 6),
                     executed / planned if planned else None, whole])
    return rows


def render_summary(evaluations: list["Evaluation"], kind: str, links: dict[str, str] | None = None) -> str:
    """The summary as "html", "md" or "json" text; `links` maps project names to their report files."""
    if kind == "json":
        import json

        return json.dumps({"projects": [dict(zip(SUMMARY_HEADERS, r)) for r in summary_rows(evaluations)],
                           "departments": [dict(zip(DEPARTMENT_HEADERS, r)) for r in department_rows(evaluations)]},
                          ensure_ascii=False, indent=2) + "\n"
    from . import environment
    from .chart import totals_chart

    links = links or {}
    rows = [[_cell(v, h, links.get(r[0]) if h == "项目" else None) for v, h in zip(r, SUMMARY_HEADERS)]
            for r in summary_rows(evaluations)]
    departments = [[_cell(v, h) for v, h in zip(r, DEPARTMENT_HEADERS)] for r in department_rows(evaluations)]
    template = environment(kind).get_template(f"summary.{kind}.j2")
    chart = totals_chart(evaluations) if kind == "html" and evaluations else None
    return template.render(title=summary_title(evaluations), headers=SUMMARY_HEADERS, rows=rows, department_headers=DEPARTMENT_HEADERS,
                           departments=departments, chart=chart)


def _cell(value, header: str, link: str | None = None) -> dict:
    """A cell's text, whether it is a number, and the href of `link`, a file name next to the summary."""
    if value is None:
        text = ""
    elif header == "执行率":
        text = format_fixed(value * 100, 2) + "%"
    elif header in ("得分", "平均得分", "部门整体得分", *AMOUNT_HEADERS):
        text = format_fixed(value, 2)
    elif isinstance(value, float):
        text = format_number(value)
    else:
        text = str(value)
    href = quote(link, safe="") if link else None
    return {"text": text, "num": isinstance(value, (int, float)) and not isinstance(value, bool), "link": href}
