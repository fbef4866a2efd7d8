"""A goals table's budget columns (budget_unit, budget_initial, budget_full_year, budget_weight): read per project as
`year` is, checked as a goals file's budget, and written by goals_frame so that partitions keep the budget."""
from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from scoring import InputError, score
from scoring.inputs import read_goals
from scoring.partitions import goals_frame
from scoring.scorer import evaluate

INDICATORS = [{"id": 1, "level1": "产出指标", "level3": "档案室数量", "target": "≥1间", "weight": 50},
              {"id": 2, "level1": "效益指标", "level3": "群众满意度", "target": "≥90%", "weight": 40}]
ACTUALS = pd.DataFrame({"project": ["A", "A", "A"],
                        "indicator": ["档案室数量", "群众满意度", "全年执行数"],
                        "actual": ["1间", "95%", "80万元"]})


def _table(**columns: list) -> pd.DataFrame:
    """Project A's two indicators as a goals table, with the columns given."""
    return pd.DataFrame({"project": ["A", "A"], **{key: [i[key] for i in INDICATORS]
                                                  for key in ("id", "level1", "level3", "target", "weight")},
                         **columns})


def test_budget_columns_score_the_budget_row_as_the_goals_file():
    # Each project's first non-empty cell: the full-year budget only on the second row, the unit on the first.
    table = _table(budget_unit=["万元", None], budget_full_year=[np.nan, 100.0], budget_weight=[10, 10])
    data = {"project": "A", "budget": {"unit": "万元", "full_year": 100, "weight": 10}, "indicators": INDICATORS}
    from_table, from_file = score(table, ACTUALS), score(data, ACTUALS)
    # 80万元 ÷ 100万元 = 80%; 10 points × 80% = 8.00
    assert from_table.budget["rate"] == pytest.approx(0.8)
    assert from_table.budget["score"] == 8.0
    assert from_table.budget == from_file.budget
    assert from_table.total == from_file.total


def test_a_project_without_budget_columns_has_no_budget():
    table = _table()
    assert read_goals(table).projects[0].budget is None
    row = score(table, ACTUALS.iloc[:2]).budget
    assert row["score"] == 0.0 and "目标表未给项目资金" in row["explanation"]


def test_a_project_whose_budget_cells_are_empty_has_no_budget():
    table = pd.concat([_table(budget_full_year=[100.0, np.nan]),
                       _table(budget_full_year=[np.nan, np.nan]).assign(project="B")], ignore_index=True)
    budgets = [p.budget for p in read_goals(table).projects]
    assert budgets[0].full_year == 100 and budgets[0].unit == "万元" and budgets[1] is None


@pytest.mark.parametrize(("column", "value", "message"), [
    ("budget_initial", -1, r"projects\[0\]\.budget\.initial: -1 is less than the minimum of 0"),
    ("budget_full_year", "一百", r"projects\[0\]\.budget\.full_year: '一百' is not of type 'number', 'null'"),
    ("budget_weight", float("inf"), r"projects\[0\]\.budget\.weight: inf is greater than the maximum"),
    ("budget_full_year", 1e16, r"projects\[0\]\.budget\.full_year: .* is greater than the maximum"),
    ("budget_unit", 5, r"projects\[0\]\.budget\.unit: 5 is not of type 'string'"),
])
def test_a_bad_budget_cell_is_refused_naming_the_field(column, value, message):
    with pytest.raises(InputError, match=r"goals DataFrame: " + message):
        read_goals(_table(**{column: [value, None]}))


def test_goals_frame_keeps_each_projects_budget(tmp_path):
    path = tmp_path / "goals.json"
    path.write_text(json.dumps({"projects": [
        {"project": "A", "budget": {"unit": "万元", "initial": 90, "full_year": 100, "weight": 10},
         "indicators": INDICATORS},
        {"project": "B", "indicators": INDICATORS},
    ]}, ensure_ascii=False), encoding="utf-8")
    frame = goals_frame(path)
    assert frame["budget_full_year"].tolist()[:2] == [100, 100] and frame["budget_full_year"].isna()[2:].all()
    assert [p.budget for p in read_goals(frame).projects] == [p.budget for p in read_goals(path).projects]
    actuals = pd.concat([ACTUALS, ACTUALS.iloc[:2].assign(project="B")], ignore_index=True)
    budgets = [e.budget for e in evaluate(frame, actuals)]
    assert budgets == [e.budget for e in evaluate(path, actuals)]
    assert budgets[0]["score"] == 8.0


def test_a_dask_frame_of_goals_files_keeps_the_budget(sample_goals, sample_actuals):
    dd = pytest.importorskip("dask.dataframe")
    frame = dd.from_map(goals_frame, [sample_goals]).compute(scheduler="sync")
    assert score(frame, sample_actuals).budget == score(sample_goals, sample_actuals).budget


def test_goals_frame_keeps_each_projects_department_and_agency(sample_goals, sample_actuals):
    # the sample's header: 主管部门 and 实施单位 both 大厂回族自治县医疗保障局 (samples/g.json)
    frame = goals_frame(sample_goals)
    assert set(frame["department"]) == set(frame["agency"]) == {"大厂回族自治县医疗保障局"}
    project = read_goals(frame).projects[0]
    assert (project.department, project.agency) == ("大厂回族自治县医疗保障局", "大厂回族自治县医疗保障局")
    header = "| 主管部门 | 大厂回族自治县医疗保障局 |"
    assert header in score(frame, sample_actuals).to_markdown()


def test_a_goals_table_gives_each_project_its_goal():
    table = _table(goal=["完成年度建设任务", None])
    assert read_goals(table).projects[0].goal == "完成年度建设任务"


def test_a_department_code_is_read_as_text():
    # a department code read from Excel as an int: the department is the text "101", as a goals file writes it
    table = pd.DataFrame({"project": ["P"], "department": [101], "id": ["1"], "level1": ["产出指标"],
                          "level2": ["数量指标"], "level3": ["a"], "target": ["≥10人"]})
    assert score(table, [{"project": "P", "id": "1", "actual": "10人"}]).project.department == "101"


@pytest.mark.parametrize("column", ["department", "agency", "goal"])
@pytest.mark.parametrize(("cells", "expected"), [
    ([101, 102], "101"),
    ([101.0, np.nan], "101"),  # a float column with gaps: a whole float is the int's text
    ([np.nan, 101.5], "101.5"),
    ([" ", "县医保局"], "县医保局"),  # a blank cell gives no value: the next row's does
    (["", 102], "102"),
    (["\u3000", None], ""),  # no row gives one: none
])
def test_a_projects_text_field_is_its_first_non_blank_cell_as_text(column, cells, expected):
    assert getattr(read_goals(_table(**{column: cells})).projects[0], column) == expected
