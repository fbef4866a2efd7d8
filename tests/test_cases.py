"""Table-driven cases: tests/cases/scoring.toml and rules.toml (one indicator each, `[[case]]`), projects.toml and
rules.toml (whole projects, `[[project]]`). Every expected number is computed by hand from domain.md."""
from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from scoring import score

CASES = Path(__file__).parent / "cases"


def _load(name: str, key: str) -> list[dict]:
    with open(CASES / name, "rb") as f:
        return tomllib.load(f).get(key, [])


def _params(name: str, key: str) -> list:
    items = _load(name, key)
    names = [item["name"] for item in items]
    assert len(names) == len(set(names)), f"duplicate case names in {name}"
    return [pytest.param(item, id=item["name"]) for item in items]


@pytest.mark.parametrize("case", _params("scoring.toml", "case") + _params("rules.toml", "case"))
def test_scoring_case(case: dict) -> None:
    indicator = {
        "id": "1",
        "level1": case.get("level1", "产出指标"),
        "level2": case.get("level2", "数量指标"),
        "level3": case.get("level3", "指标"),
        "target": case["target"],
    }
    if "weight" in case:
        indicator["weight"] = case["weight"]
    if "direction" in case:
        indicator["direction"] = case["direction"]
    if "rule" in case:
        indicator["rule"] = case["rule"]
    goals = {"year": case.get("year", 2021), "project": "案例",
             "budget": {"unit": "万元", "full_year": 100}, "indicators": [indicator]}
    rows = []
    if case["actual"] != "":
        row = {"id": "1", "actual": case["actual"]}
        if "person_score" in case:
            row["score"] = case["person_score"]
        if "note" in case:
            row["note"] = case["note"]
        rows.append(row)

    ev = score(goals, rows, rules=case.get("rules"))
    row = ev.table.iloc[0]

    assert row["score"] == pytest.approx(case["score"], abs=1e-9), row["explanation"]
    assert row["status"] == case["status"], row["explanation"]
    if "explanation" in case:
        assert case["explanation"] in row["explanation"]
    if "flags" in case:
        assert case["flags"] in row["flags"]
    if case.get("no_flags"):
        assert row["flags"] == ""
    if "not_flags" in case:
        assert case["not_flags"] not in row["flags"]
    if "not_explanation" in case:
        assert case["not_explanation"] not in row["explanation"]


@pytest.mark.parametrize("project", _params("projects.toml", "project") + _params("rules.toml", "project"))
def test_project_case(project: dict) -> None:
    ev = score(project["goals"], project["actuals"], rules=project.get("rules"))
    table = ev.table

    assert list(table["weight"]) == pytest.approx(project["weights"], abs=1e-9)
    assert list(table["score"]) == pytest.approx(project["scores"], abs=1e-9)
    if "statuses" in project:
        assert list(table["status"]) == project["statuses"]
    assert ev.budget["score"] == pytest.approx(project["budget_score"], abs=1e-9)
    if "budget_status" in project:
        assert ev.budget["status"] == project["budget_status"]
    assert ev.total == pytest.approx(project["total"], abs=1e-9)
    assert ev.grade == project["grade"]
    if "notes" in project:
        assert any(project["notes"] in note for note in ev.notes), ev.notes
