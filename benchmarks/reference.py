"""The per-row implementation a user writes first: loop over the indicators, read each target and actual with
a regular expression, make pint Quantities, convert, divide. It is the speed reference of run.py, not a
scorer: it knows 正向/反向 numbers with units and gives qualitative and date indicators fixed shares.
"""
from __future__ import annotations

import csv
import json
import re
from datetime import date

import pint

from scoring.resources import package_file

UREG = pint.UnitRegistry(None)
UREG.load_definitions(str(package_file("units_zh.txt")))
NUMBER = re.compile(r"^\s*(≥|≤|>|<|=)?\s*([\d.]+)\s*(\S*)\s*$")
DATE = re.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})日")
BLOCKS = {"产出指标": 50, "效益指标": 30, "满意度指标": 10}


def load(goals_path: str, actuals_path: str) -> tuple[dict, list[dict]]:
    with open(goals_path, encoding="utf-8") as f:
        goals = json.load(f)
    with open(actuals_path, encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    return goals, rows


def score_rows(goals: dict, rows: list[dict]) -> list[tuple[str, str, float]]:
    """(project, id, score) for every indicator, one row at a time."""
    actual_of = {(r["project"], r["id"]): r["actual"] for r in rows}
    scored = []
    for project in goals["projects"]:
        counts: dict[str, int] = {}
        for ind in project["indicators"]:
            counts[ind["level1"]] = counts.get(ind["level1"], 0) + 1
        for ind in project["indicators"]:
            weight = BLOCKS.get(ind["level1"], 0) / counts[ind["level1"]]
            actual = actual_of.get((project["project"], ind["id"]), "")
            scored.append((project["project"], ind["id"], round(weight * _share(ind["target"], actual), 2)))
    return scored


def _share(target: str, actual: str) -> float:
    if not actual or actual == "不适用":
        return 0.0
    t, a = NUMBER.match(target), NUMBER.match(actual)
    if t and a:
        try:
            wanted = UREG.Quantity(float(t[2]), _unit(t[3]))
            got = UREG.Quantity(float(a[2]), _unit(a[3] or t[3])).to(wanted.units)
        except (pint.PintError, ValueError):
            return 0.0
        if wanted.magnitude == 0:
            return 1.0 if got.magnitude == 0 else 0.0
        ratio = wanted.magnitude / got.magnitude if t[1] in ("≤", "<") and got.magnitude else \
            got.magnitude / wanted.magnitude
        return max(0.0, min(1.0, ratio))
    due, done = DATE.search(target), DATE.search(actual)
    if due and done:
        return 1.0 if date(*map(int, done.groups())) <= date(*map(int, due.groups())) else 0.8
    return 1.0 if actual in ("已完成", "显著提升", "优", "良") else 0.7


def _unit(text: str) -> str:
    text = text.replace("以上", "").replace("以下", "")
    return {"%": "percent", "": "dimensionless"}.get(text, text)
