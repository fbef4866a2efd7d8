"""The 自评表 as the form prints it: 项目资金 in 万元, the budget row's 偏差原因, Excel number cells, the summary's
amounts, repeated 三级指标 told apart, and 不适用 rows worded without numbers they do not have."""
import json

import openpyxl
import pytest

from scoring import score
from scoring.report.summary import render_summary

INDICATORS = [
    {"id": "1", "level1": "产出指标", "level2": "数量指标", "level3": "培训人次", "target": "≥100人次"},
    {"id": "2", "level1": "效益指标", "level2": "社会效益指标", "level3": "群众受益", "target": "显著提升"},
    {"id": "3", "level1": "满意度指标", "level2": "服务对象满意度指标", "level3": "满意度", "target": "≥90%"},
]
MET = [{"id": "1", "actual": "100人次"}, {"id": "2", "actual": "显著提升"}, {"id": "3", "actual": "95%"}]
NEEDS_REASON = "得分低于分值，须填写偏差原因分析及改进措施"


def project(budget: dict, indicators: list[dict] = INDICATORS, name: str = "测试项目") -> dict:
    return {"year": 2023, "project": name, "department": "某局", "agency": "某中心", "goal": "目标",
            "budget": budget, "indicators": indicators}


def executed(amount: str, note: str = "") -> dict:
    return {"indicator": "全年执行数", "actual": amount, "note": note}


def sheet_of(ev, tmp_path):
    path = tmp_path / "r.xlsx"
    ev.to_excel(path)
    return openpyxl.load_workbook(path).active


def cell_row(sheet, text: str) -> int:
    """The row whose column A holds `text`."""
    return next(c.row for c in sheet["A"] if c.value == text)


# 1. 项目资金 in 万元, whatever unit the goals give the budget in

@pytest.mark.parametrize("budget, actual, amounts", [
    ({"unit": "元", "initial": 1234567.891, "full_year": 1500000}, "1200000元", ("123.46", "150.00", "120.00")),
    ({"unit": "亿元", "initial": 1.23456, "full_year": 1.23456}, "9876.5万元", ("12345.60", "12345.60", "9876.50")),
])
def test_project_funds_are_in_wan_yuan_in_every_format(tmp_path, budget, actual, amounts):
    ev = score(project(budget), MET + [executed(actual)])
    initial, full_year, spent = amounts
    md = ev.to_markdown()
    assert "## 项目资金（万元）" in md
    assert f"| 年度资金总额 | {initial} | {full_year} | {spent} | 10 | 80.00% | 8.00 |" in md
    html = ev.to_html()
    assert "项目资金<br>（万元）" in html
    assert f'<td class="num">{initial}</td><td class="num">{full_year}</td>' in html
    sheet = sheet_of(ev, tmp_path)
    assert sheet["A4"].value == "项目资金（万元）"
    assert [sheet[c].value for c in ("C5", "D5", "E5")] == [float(a) for a in amounts]
    assert f"全年预算数 {full_year} 万元，全年执行数 {spent} 万元" in ev.to_markdown(narrative=True)
    data = json.loads(ev.to_json())["budget"]  # the JSON keeps the goals' numbers and unit
    assert (data["unit"], data["initial"], data["full_year"]) == (budget["unit"], budget["initial"],
                                                                  budget["full_year"])


# 2. The budget row's 偏差原因, and its flag where it has none

def test_the_budget_rows_reason_is_shown_in_every_format(tmp_path):
    ev = score(project({"unit": "万元", "full_year": 100}), MET + [executed("60万元", "项目延期，资金结转")])
    md = ev.to_markdown()
    assert "| 预算执行率 | | | | | 10 | 6.00 | 项目延期，资金结转 | 部分达成 |" in md
    html = ev.to_html()
    assert '<tr class="budget status-部分达成">' in html and "<td>项目延期，资金结转</td>" in html
    sheet = sheet_of(ev, tmp_path)
    row = cell_row(sheet, "预算执行率")
    assert [sheet.cell(row, c).value for c in (6, 7, 8)] == [10, 6, "项目延期，资金结转"]
    assert json.loads(ev.to_json())["budget"]["note"] == "项目延期，资金结转"
    deviations = ev.to_markdown(narrative=True).split("## 三、偏差原因及改进措施")[1].split("## 四")[0]
    assert "1. 预算执行率（得 6.00 分，分值 10 分）：项目延期，资金结转" in deviations
    assert "无偏差" not in deviations


def test_a_budget_below_its_points_without_a_reason_is_flagged(tmp_path):
    ev = score(project({"unit": "万元", "full_year": 100}), MET + [executed("60万元")])
    assert f"（提示：{NEEDS_REASON}）" in ev.to_markdown().split("| 预算执行率 |")[1].splitlines()[0]
    html = ev.to_html()
    assert '<tr class="budget status-部分达成 needs-reason">' in html
    assert f"<td>{NEEDS_REASON}</td>" in html  # the 提示 column of 评分说明
    sheet = sheet_of(ev, tmp_path)
    note = sheet.cell(cell_row(sheet, "预算执行率"), 8)
    assert note.value is None and note.fill.fgColor.rgb.endswith("FFF3C4")
    assert any(f"（提示：{NEEDS_REASON}）" in str(c.value) for c in sheet["D"])
    deviations = ev.to_markdown(narrative=True).split("## 三、偏差原因及改进措施")[1].split("## 四")[0]
    assert deviations.strip() == "1. 预算执行率（得 6.00 分，分值 10 分）：未填写偏差原因分析及改进措施。"


def test_a_budget_scored_in_full_needs_no_reason():
    ev = score(project({"unit": "万元", "full_year": 100}), MET + [executed("100万元")])
    assert '<tr class="budget status-达成">' in ev.to_html()
    assert "各项指标均得满分，无偏差。" in ev.to_markdown(narrative=True)


# 3. Excel: 分值 shown as the form prints it, sums and amounts stored rounded

def test_workbook_points_and_amounts_are_stored_as_printed(tmp_path):
    weights = [36.33, 36.18, 17.49]  # with the budget's 10: 99.99999999999999 as floats add up
    indicators = [{**ind, "weight": w} for ind, w in zip(INDICATORS, weights)]
    ev = score(project({"unit": "万元", "initial": 83.2054, "full_year": 83.2054}, indicators),
               MET + [executed("80万元")])
    sheet = sheet_of(ev, tmp_path)
    assert (sheet["C5"].value, sheet["D5"].value, sheet["E5"].value) == (83.21, 83.21, 80)
    assert sheet["F5"].value == 10 and sheet["F5"].number_format == "General"
    for row in range(12, 15):
        assert sheet.cell(row, 6).number_format == "General"
    assert [sheet.cell(row, 6).value for row in range(12, 15)] == weights
    total = cell_row(sheet, "总分")
    assert sheet.cell(total, 6).value == 100 and sheet.cell(total, 6).number_format == "General"


# 4. The summary's department roll-up prints amounts to 2 decimals

def test_department_amounts_are_printed_to_two_decimals():
    # 甲 52.5 of 187.5854 万元 (2.80 of 10 points, 92.80), 乙 50 of 100 万元 given in 元 (5 points, 95.00)
    evs = [score(project({"unit": "万元", "full_year": 187.5854}, name="甲"), MET + [executed("52.5万元")]),
           score(project({"unit": "元", "full_year": 1000000}, name="乙"), MET + [executed("500000元")])]
    assert "| 某局 | 2 | 93.90 | 2 | 0 | 0 | 0 | 287.59 | 102.50 | 35.64% |" in render_summary(evs, "md")
    assert '<td class="num">287.59</td><td class="num">102.50</td>' in render_summary(evs, "html")


# 5. A 三级指标 repeated within a project shows its 绩效指标描述

HARDWARE = [{"id": str(i), "level1": "产出指标", "level2": "数量指标", "level3": "硬件购置数量",
             "description": text, "target": "≥1台"} for i, text in enumerate(["台式机", "打印机", "服务器", "交换机"], 1)]
HARDWARE_NAMES = ["硬件购置数量（台式机）", "硬件购置数量（打印机）", "硬件购置数量（服务器）", "硬件购置数量（交换机）"]


def _hardware():
    indicators = HARDWARE + [{"id": "5", "level1": "产出指标", "level2": "质量指标", "level3": "验收合格率",
                              "description": "验收", "target": "100%"}]
    actuals = [{"id": str(i), "actual": "1台"} for i in range(1, 5)] + [{"id": "5", "actual": "100%"}]
    return score(project({"unit": "万元", "full_year": 10}, indicators), actuals + [executed("10万元")])


def _assert_hardware_names(ev, tmp_path):
    md = ev.to_markdown()
    for name in HARDWARE_NAMES:
        assert f"| {name} | ≥1台 |" in md and f"<td>{name}</td><td>≥1台</td>" in ev.to_html()
    assert "| 验收合格率 |" in md  # a name said once stays as it is
    sheet = sheet_of(ev, tmp_path)
    assert [sheet.cell(row, 3).value for row in range(12, 17)] == HARDWARE_NAMES + ["验收合格率"]
    assert {i["level3"] for i in json.loads(ev.to_json())["indicators"]} == {"硬件购置数量", "验收合格率"}


def test_repeated_indicator_names_show_their_description_from_the_goals(tmp_path):
    _assert_hardware_names(_hardware(), tmp_path)


# 6. 不适用 rows worded without numbers they do not have

def test_a_not_applicable_row_without_declared_points_names_no_missing_number(tmp_path):
    ev = score(project({"unit": "万元", "full_year": 10}),
               [{"id": "1", "actual": "不适用"}, *MET[1:], executed("10万元")])
    wording = "不适用，不计分；其默认分值按比例分给其余指标"
    md = ev.to_markdown()
    assert f"| 不适用 | {wording} |" in md and "默认分按比例" not in md
    assert f"<td>{wording}</td>" in ev.to_html()
    assert any(c.value == wording for c in sheet_of(ev, tmp_path)["D"])
    narrative = ev.to_markdown(narrative=True)
    assert f"- 培训人次：年度指标值 ≥100人次，{wording}。" in narrative
    assert "得 — 分" not in narrative and "分值 — 分" not in narrative
    assert "得 — 分" not in ev.to_html(narrative=True)


def test_a_not_applicable_row_with_declared_points_keeps_them():
    indicators = [{**ind, "weight": w} for ind, w in zip(INDICATORS, [50, 30, 10])]
    ev = score(project({"unit": "万元", "full_year": 10}, indicators),
               [{"id": "1", "actual": "不适用"}, *MET[1:], executed("10万元")])
    assert "不适用，不计分；原分值 50分按比例分给其余指标" in ev.to_markdown()


def test_the_form_renders_to_the_same_bytes_each_time(tmp_path):
    ev = score(project({"unit": "元", "full_year": 1000000}), MET + [executed("600000元", "结余")])
    first, second = tmp_path / "1.xlsx", tmp_path / "2.xlsx"
    ev.to_excel(first)
    ev.to_excel(second)
    assert first.read_bytes() == second.read_bytes()
    assert ev.to_html() == ev.to_html() and ev.to_markdown(narrative=True) == ev.to_markdown(narrative=True)
