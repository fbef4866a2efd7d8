"""The per-row implementation a user writes first, the speed reference of run.py.

pandas reads the files; the indicators and the actuals are merged into one frame; `DataFrame.apply(axis=1)`
scores one row at a time: a regular expression reads the target and the actual, pint makes Quantities and
converts the actual to the target's unit, the share is actual ÷ target (target ÷ actual for ≤ targets), a
deadline compares dates, a qualitative target reads the actual's word from a table; the block's points are
shared equally (50/30/10); the score is rounded half up with Decimal and explained in one line.

It does what score_batch does for the common phrasings of the generated data, no more: no deduction rules,
no composite targets, no flags. It is a reference for speed, not a scorer.
"""
from __future__ import annotations

import json
import re
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

import pandas as pd
import pint

from scoring.resources import package_file

UREG = pint.UnitRegistry(None)
UREG.load_definitions(str(package_file("units_zh.txt")))
NUMBER = re.compile(r"^\s*(≥|≤|>|<|=)?\s*([\d.]+)\s*(\S*?)\s*$")
DATE = re.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})日")
BLOCKS = {"产出指标": 50, "效益指标": 30, "满意度指标": 10}
WORDS = {"显著提升": 1.0, "明显提升": 1.0, "已完成": 1.0, "优": 1.0, "良": 1.0, "有所提升": 0.8, "基本达成": 0.8,
         "中": 0.6}
UNITS = {"%": "percent", "百分比": "percent", "比例": "percent", "": "dimensionless"}


def load(goals_path: str, actuals_path: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The indicators (one row each, with their project and year) and the actuals rows, as frames."""
    with open(goals_path, encoding="utf-8") as f:
        goals = json.load(f)
    indicators = pd.json_normalize(goals["projects"], record_path="indicators", meta=["project", "year"])
    actuals = pd.read_csv(actuals_path, dtype=str, keep_default_na=False)
    return indicators, actuals


def score_rows(indicators: pd.DataFrame, actuals: pd.DataFrame) -> pd.DataFrame:
    """Every indicator with its weight, score, status and explanation, one row at a time."""
    frame = indicators.merge(actuals[["project", "id", "actual"]], on=["project", "id"], how="left")
    frame["actual"] = frame["actual"].fillna("")
    counts = frame.groupby(["project", "level1"])["id"].transform("count")
    frame["weight"] = frame["level1"].map(BLOCKS).fillna(0) / counts
    scored = frame.apply(_score_row, axis=1, result_type="expand")
    scored.columns = ["score", "status", "explanation"]
    return pd.concat([frame, scored], axis=1)


def _score_row(row: pd.Series) -> tuple[Decimal, str, str]:
    share, how = _share(row["target"], row["actual"])
    weight = Decimal(str(row["weight"])).quantize(Decimal("0.01"), ROUND_HALF_UP)
    score = (weight * Decimal(str(share))).quantize(Decimal("0.01"), ROUND_HALF_UP)
    status = "达成" if share >= 1 else "部分达成" if share > 0 else "未达成"
    return score, status, f"{how} × {weight}分 = {score}分"


def _share(target: str, actual: str) -> tuple[float, str]:
    if not actual or actual == "不适用":
        return 0.0, "未填报"
    t, a = NUMBER.match(target), NUMBER.match(actual)
    if t and a:
        try:
            wanted = UREG.Quantity(float(t[2]), UNITS.get(t[3], t[3]))
            got = UREG.Quantity(float(a[2]), UNITS.get(a[3], a[3])).to(wanted.units)
        except (pint.PintError, ValueError):
            return 0.0, "单位无法换算"
        if wanted.magnitude == 0:
            return (1.0 if got.magnitude == 0 else 0.0), f"实际 {got:~P}，目标为 0"
        if t[1] in ("≤", "<"):
            ratio = wanted.magnitude / got.magnitude if got.magnitude else 1.0
            return max(0.0, min(1.0, ratio)), f"目标 {wanted:~P} ÷ 实际 {got:~P}"
        return max(0.0, min(1.0, got.magnitude / wanted.magnitude)), f"实际 {got:~P} ÷ 目标 {wanted:~P}"
    due, done = DATE.search(target), DATE.search(actual)
    if due and done:
        late = date(*map(int, done.groups())) > date(*map(int, due.groups()))
        return (0.8 if late else 1.0), f"完成于 {done[0]}，时限 {due[0]}"
    return WORDS.get(actual, 0.0), f"实际“{actual}”"
