"""Every seed through the whole workflow: extract → template → fill → score (batch, into a folder).

Each actual is filled with its own target as written, so every indicator must read as met: the target
language reads each seed target as a target and as an actual, and nothing is lost on the way."""
from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from click.testing import CliRunner

from scoring import score_batch
from scoring.cli import main

SEEDS = sorted((Path(__file__).parent / "seeds").glob("*.txt"))


def run(*args):
    result = CliRunner().invoke(main, [str(a) for a in args])
    assert result.exit_code == 0, result.output
    return result


@pytest.mark.parametrize("seed", SEEDS, ids=[s.name[:3] for s in SEEDS])
def test_extract_template_fill_score(seed, tmp_path):
    goals, form, reports = tmp_path / "g.json", tmp_path / "a.csv", tmp_path / "reports"
    run("extract", seed, "-o", goals)
    run("template", "--goals", goals, "-o", form)
    rows = list(csv.reader(io.StringIO(form.read_bytes().decode("utf-8-sig"))))
    for row in rows[1:]:
        if row[2] != "年度总体目标":
            row[4] = row[3].removeprefix("'")  # the planned value, as the achieved one
    with open(form, "w", encoding="utf-8-sig", newline="") as f:
        csv.writer(f).writerows(rows)

    table = score_batch(goals, form)
    assert len(table) == sum(1 for row in rows[1:] if row[1])  # every indicator of the form is scored
    assert set(table["status"]) == {"达成"}, table[table["status"] != "达成"][["level3", "target", "explanation"]]
    assert (table["score"] == table["weight"]).all()

    result = run("--goals", goals, "--actuals", form, "--out", f"{reports}/")
    projects = table["project"].nunique()
    assert len(list(reports.glob("*.html"))) == projects + 1  # a report each and the summary
    # full indicator points; the budget row adds 10 where the document gives a budget: 90 or 100, all 优
    assert f"{projects} projects: 优 {projects}，良 0，中 0，差 0" in result.stderr
