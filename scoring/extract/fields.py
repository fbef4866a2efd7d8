"""What every layout builds: goals-file projects and indicators, from the cells it found."""
from __future__ import annotations

import re

_YEAR = re.compile(r"(20\d{2})\s*年")
_SPACES = re.compile(r"\s+")


def clean(cell: object) -> str:
    """A cell's text: no surrounding whitespace, inner runs of whitespace as one space."""
    return _SPACES.sub(" ", str(cell or "")).strip()


def find_year(text: str) -> int | None:
    """The first year written as 20xx年 in `text`."""
    match = _YEAR.search(text)
    return int(match.group(1)) if match else None


def indicator(level1: str, level2: str, level3: str, target: str, rule: str = "") -> dict:
    """An indicator of the goals file (ids are given per project by `project`)."""
    found = {"level1": clean(level1), "level2": clean(level2), "level3": clean(level3), "target": clean(target)}
    if clean(rule):
        found["rule"] = clean(rule)
    return found


def project(name: str, indicators: list[dict], *, department: str = "", agency: str = "",
            year: int | None = None, goal: str = "", budget: float | None = None,
            budget_unit: str = "万元") -> dict:
    """A project of the goals file; its indicators numbered 1, 2, 3 … in table order."""
    found: dict = {"project": clean(name)}
    if year:
        found["year"] = year
    if clean(department):
        found["department"] = clean(department)
    if clean(agency):
        found["agency"] = clean(agency)
    if goal.strip():
        found["goal"] = goal.strip()
    if budget is not None:
        found["budget"] = {"unit": budget_unit, "initial": budget, "full_year": budget}
    found["indicators"] = [{"id": str(i + 1), **ind} for i, ind in enumerate(indicators)]
    return found
