"""The narrative 自评报告: 项目概况 (a department's 部门概况), 绩效目标完成情况, 偏差原因及改进措施, 自评结论,
filled from the evaluation."""
from __future__ import annotations

from itertools import chain
from typing import TYPE_CHECKING, Any

from ..model import table_rows
from ..rounding import format_fixed, format_number
from . import BUDGET_LABEL, header_rows, view

if TYPE_CHECKING:
    from ..model import Evaluation

STATUSES = ("达成", "部分达成", "未达成", "未填报", "不适用", "需复核")
# How the report speaks of what it evaluates, by Project.form: (本项目, the first section's title)
WORDS = {"project": ("本项目", "项目概况"), "department": ("本部门", "部门概况")}


def narrative_view(ev: "Evaluation") -> dict[str, Any]:
    """What the narrative templates say: the form's view plus counts, block results, deviations, conclusion."""
    form = view(ev)
    table, digits = ev.table, ev.rulebook.digits
    counts = {s: ev.count(s) for s in STATUSES}
    blocks: dict[str, dict[str, Any]] = {}
    for row, shown in zip(table_rows(table), form["rows"]):
        name = ev.rulebook.block(row.level1, row.level2) or row.level1 or "指标"
        block = blocks.setdefault(name, {"name": name, "weight": 0.0, "score": 0.0, "rows": []})
        block["weight"] += row.weight
        block["score"] += row.score
        block["rows"].append(shown)
    for block in blocks.values():
        block["rate"] = format_fixed(block["score"] / block["weight"] * 100, 2) + "%" if block["weight"] else "—"
        block["weight"], block["score"] = format_number(block["weight"]), format_fixed(block["score"], digits)
    deviations = [r for r in form["rows"] if r["status"] != "不适用" and r["score"] != r["weight"]
                  and _short(r, table)] + _budget_deviation(ev.budget, form["budget"])
    this, overview_title = WORDS[ev.project.form]
    return {
        **form,
        "this": this,
        "overview_title": overview_title,
        "overview": _overview(ev, form["budget"]),
        "counts": [(s, n) for s, n in counts.items() if n],
        "indicators": len(table),
        "blocks": list(blocks.values()),
        "deviations": deviations,
        "review": [r for r in form["rows"] if r["status"] == "需复核"],
        "flagged": [r for r in form["rows"] if r["flags"]],
    }


def _short(shown: dict, table) -> bool:
    """Whether the indicator scored below its 分值 (the deviations section lists those)."""
    row = table.iloc[shown["no"] - 1]
    return row["score"] < row["weight"]


def _budget_deviation(budget: dict[str, Any], shown: dict[str, Any]) -> list[dict[str, Any]]:
    """The budget row, as a deviation, where it scored below its 分值."""
    if budget["score"] >= budget["weight"]:
        return []
    return [{"level3": BUDGET_LABEL, "score": shown["score"], "weight": shown["weight"], "note": shown["note"]}]


def _overview(ev: "Evaluation", budget: dict[str, Any]) -> list[str]:
    """The paragraphs of 项目概况 (部门概况): who, how much money, the goal and what came of it."""
    p = ev.project
    labelled = list(chain.from_iterable(header_rows(p)))[1:]  # what the form's header says besides the name
    first = p.name + "".join(f"，{label}为{value}" for label, value in labelled if value) + "。"
    if budget["full_year"]:
        first += f"全年预算数 {budget['full_year']} {budget['unit']}"
        if budget["executed"]:
            first += f"，全年执行数 {budget['executed']} {budget['unit']}，预算执行率 {budget['rate']}"
        first += "。"
    paragraphs = [first]
    if p.goal:
        paragraphs.append(f"年度总体目标：{p.goal}")
    if ev.goal_actual:
        paragraphs.append(f"实际完成情况：{ev.goal_actual}")
    return paragraphs
