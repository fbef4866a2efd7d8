"""The department form (部门整体支出绩效自评表): goals with "form": "department" render its title, header and
wording; a project without "form" renders as before; `score extract` marks the department tables."""
from __future__ import annotations

import io
import json
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from click.testing import CliRunner

from scoring import score
from scoring.cli import main
from scoring.errors import InputError
from scoring.inputs.goals import read_goals
from scoring.report.summary import render_summary
from scoring.report.xlsx import workbook

HERE = Path(__file__).parent
SEEDS = HERE / "seeds"
NAME = "大厂回族自治县医疗保障局部门整体支出"
DEPARTMENT = "大厂回族自治县医疗保障局"  # what NAME stands for: 部门名称 on the form


def _department(sample_goals: Path, **fields) -> dict:
    goals = json.loads(sample_goals.read_text(encoding="utf-8"))
    return {**goals, "project": NAME, "form": "department", **fields}


def _sheet_cells(ev) -> dict[str, object]:
    sheet = openpyxl.load_workbook(io.BytesIO(workbook([ev], summary=False))).worksheets[0]
    return {cell.coordinate: cell.value for row in sheet["A1:H3"] for cell in row}


def _extract(seed: str, tmp_path: Path) -> list[dict]:
    out = tmp_path / "goals.json"
    result = CliRunner().invoke(main, ["extract", str(next(SEEDS.glob(f"{seed}_*.txt"))), "-o", str(out)])
    assert result.exit_code == 0, result.output
    return json.loads(out.read_text(encoding="utf-8"))["projects"]


def test_the_markdown_has_the_department_title_and_header(sample_goals, sample_actuals):
    text = score(_department(sample_goals), sample_actuals).to_markdown()
    assert text.startswith("# 部门整体支出绩效自评表（2021年度）\n\n"
                           f"| 部门名称 | {DEPARTMENT} |\n|---|---|\n| 主管部门 | 大厂回族自治县医疗保障局 |\n\n")
    assert "项目名称" not in text and "实施单位" not in text


def test_the_html_has_the_department_title_and_header(sample_goals, sample_actuals):
    page = score(_department(sample_goals), sample_actuals).to_html()
    assert "<h1>部门整体支出绩效自评表（2021年度）</h1>" in page
    assert f'<tr><th>部门名称</th><td colspan="3">{DEPARTMENT}</td></tr>' in page
    assert '<tr><th>主管部门</th><td colspan="3">大厂回族自治县医疗保障局</td></tr>' in page
    assert "项目名称" not in page and "实施单位" not in page


def test_a_department_without_its_own_department_names_only_itself(sample_goals, sample_actuals):
    ev = score(_department(sample_goals, department="", agency=""), sample_actuals)
    assert "主管部门" not in ev.to_markdown() and "主管部门" not in ev.to_html()
    cells = _sheet_cells(ev)
    assert (cells["A2"], cells["B2"], cells["A3"], cells["B3"]) == ("部门名称", DEPARTMENT, None, None)


def test_the_workbook_has_the_department_title_and_header(sample_goals, sample_actuals):
    cells = _sheet_cells(score(_department(sample_goals), sample_actuals))
    assert cells["A1"] == "部门整体支出绩效自评表（2021年度）"
    assert (cells["A2"], cells["B2"]) == ("部门名称", DEPARTMENT)
    assert (cells["A3"], cells["B3"]) == ("主管部门", "大厂回族自治县医疗保障局")
    assert "实施单位" not in cells.values()


@pytest.mark.parametrize("narrative", [lambda ev: ev.to_markdown(True), lambda ev: ev.to_html(True)])
def test_the_narrative_speaks_of_the_department(sample_goals, sample_actuals, narrative):
    text = narrative(score(_department(sample_goals), sample_actuals))
    assert "一、部门概况" in text and "本部门共设绩效指标 7 项" in text
    assert "项目概况" not in text and "本项目" not in text


def test_a_project_renders_as_before(sample_goals, sample_actuals):
    ev = score(sample_goals, sample_actuals)
    assert ev.project.form == "project"
    # the 项目 form's head, as domain.md gives it: title, 项目名称, 主管部门, 实施单位
    assert ev.to_markdown().splitlines()[:6] == [
        "# 项目支出绩效自评表（2021年度）", "", "| 项目名称 | 档案整理服务项目资金 |", "|---|---|",
        "| 主管部门 | 大厂回族自治县医疗保障局 |", "| 实施单位 | 大厂回族自治县医疗保障局 |"]
    assert "<h1>项目支出绩效自评表（2021年度）</h1>" in ev.to_html()
    assert _sheet_cells(ev)["A1"] == "项目支出绩效自评表（2021年度）"
    assert "一、项目概况" in ev.to_markdown(True) and "本项目共设绩效指标" in ev.to_markdown(True)


def test_extract_marks_the_department_table_of_seed_004(tmp_path):
    projects = _extract("004", tmp_path)
    assert projects[0]["project"] == NAME and projects[0]["form"] == "department"
    assert all("form" not in p for p in projects[1:])


def test_extract_marks_the_department_table_of_seed_001(tmp_path):
    projects = _extract("001", tmp_path)
    assert projects[0]["project"] == "湛江市医疗保障局部门整体" and projects[0]["form"] == "department"
    assert all("form" not in p for p in projects[1:])


def test_the_schema_refuses_an_unknown_form(sample_goals):
    goals = json.loads(sample_goals.read_text(encoding="utf-8"))
    with pytest.raises(InputError, match=r"form: 'other' is not one of \['project', 'department'\]"):
        read_goals({**goals, "form": "other"})


def test_a_goals_table_gives_each_project_its_form(sample_goals):
    goals = json.loads(sample_goals.read_text(encoding="utf-8"))
    rows = [{"project": name, "form": form, **ind} for name, form in (("甲", "department"), ("乙", None))
            for ind in goals["indicators"]]
    read = read_goals(pd.DataFrame(rows))
    assert [p.form for p in read.projects] == ["department", "project"]


def test_the_roll_up_keeps_a_department_table_apart_from_its_projects(sample_goals, sample_actuals):
    # two project tables of the sample (78.90, 中; 预算 83.2054万元, 执行 80万元 each, test_sample.py) and the
    # department's own table: its budget already holds its projects', so the amounts are the projects' only
    goals = json.loads(sample_goals.read_text(encoding="utf-8"))
    evaluations = [score(goals, sample_actuals), score({**goals, "project": "另一项目"}, sample_actuals),
                   score(_department(sample_goals), sample_actuals)]
    summary = json.loads(render_summary(evaluations, "json"))
    assert len(summary["projects"]) == 3  # every table is listed
    department = summary["departments"][0]
    assert department["部门"] == "大厂回族自治县医疗保障局"
    assert department["项目数"] == 2 and department["平均得分"] == 78.90 and department["中"] == 2
    assert department["全年预算数（万元）"] == 166.4108  # 83.2054 × 2, not × 3
    assert department["全年执行数（万元）"] == 160
    assert department["执行率"] == pytest.approx(160 / 166.4108)
    assert department["部门整体得分"] == 78.90
    assert "<h1>绩效自评汇总</h1>" in render_summary(evaluations, "html")  # projects and a department


def test_a_department_table_without_its_department_joins_its_projects_by_name(sample_goals, sample_actuals):
    # NAME is 大厂回族自治县医疗保障局部门整体支出; without a department it stands for 大厂回族自治县医疗保障局
    evaluations = [score(sample_goals, sample_actuals), score(_department(sample_goals, department=""), sample_actuals)]
    departments = json.loads(render_summary(evaluations, "json"))["departments"]
    assert [(d["部门"], d["项目数"], d["部门整体得分"]) for d in departments] == [("大厂回族自治县医疗保障局", 1, 78.90)]


@pytest.mark.parametrize("name", ["大厂回族自治县医疗保障局2021年部门整体支出", "大厂回族自治县医疗保障局部门整体（本级）",
                                  "大厂回族自治县医疗保障局部门整体支出(本级)", "大厂回族自治县医疗保障局 2021年 部门整体支出"])
def test_a_department_table_named_with_a_year_or_a_unit_joins_its_department(sample_goals, sample_actuals, name):
    evaluations = [score(sample_goals, sample_actuals),
                   score(_department(sample_goals, department="", project=name), sample_actuals)]
    departments = json.loads(render_summary(evaluations, "json"))["departments"]
    assert [d["部门"] for d in departments] == ["大厂回族自治县医疗保障局"]


def test_a_batch_of_department_tables_only(sample_goals, sample_actuals):
    evaluations = [score(_department(sample_goals), sample_actuals)]
    department = json.loads(render_summary(evaluations, "json"))["departments"][0]
    assert department == {"部门": "大厂回族自治县医疗保障局", "项目数": 0, "平均得分": None, "优": 0, "良": 0, "中": 0,
                          "差": 0, "全年预算数（万元）": None, "全年执行数（万元）": None, "执行率": None,
                          "部门整体得分": 78.90}
    markdown = render_summary(evaluations, "md")
    assert markdown.startswith("# 部门整体支出绩效自评汇总\n")
    assert "| 大厂回族自治县医疗保障局 | 0 |  | 0 | 0 | 0 | 0 |  |  |  | 78.90 |" in markdown
    sheet = openpyxl.load_workbook(io.BytesIO(workbook(evaluations, summary=True)))["汇总"]
    assert sheet["A1"].value == "部门整体支出绩效自评汇总"


def test_the_json_report_says_which_form_it_is(sample_goals, sample_actuals):
    assert json.loads(score(sample_goals, sample_actuals).to_json())["form"] == "project"
    assert json.loads(score(_department(sample_goals), sample_actuals).to_json())["form"] == "department"


def test_the_roll_up_leaves_amounts_in_a_unit_not_money_blank(sample_goals):
    # a budget in 美元 scores (rate 80 ÷ 83.2054) but cannot be added up in 万元: blank, not an error
    goals = json.loads(sample_goals.read_text(encoding="utf-8"))
    goals["budget"]["unit"] = "美元"
    department = json.loads(render_summary([score(goals, [{"indicator": "全年执行数", "actual": "80"}])],
                                           "json"))["departments"][0]
    assert (department["全年预算数（万元）"], department["全年执行数（万元）"], department["执行率"]) == (None, None, None)
