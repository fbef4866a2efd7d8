"""Layout `spreadsheet`: goal tables kept in Excel (.xlsx), built here with openpyxl as staff lay them out —
two-row headers, tables stacked in one sheet, merged cells, a split 指标值, 分值 headers, number formats with
units. Expected goals written by hand from each table."""
from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import openpyxl
import pytest

from scoring.errors import InputError
from scoring.extract import extract
from scoring.extract.fields import labelled_amounts
from scoring.inputs.xlsx_cells import cell_text


def _table(path, rows, merged=(), formats=None):
    """An .xlsx holding `rows` on its first sheet, `merged` ranges merged, number formats by cell."""
    book = openpyxl.Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    for cells in merged:
        sheet.merge_cells(cells)
    for at, number_format in (formats or {}).items():
        sheet[at].number_format = number_format
    book.save(path)
    return path


def _indicators(project):
    return [(i["level1"], i["level2"], i["level3"], i["target"]) for i in project["indicators"]]


@pytest.mark.parametrize("periods", [("中长期", "年度"), ("中长期指标值", "年度指标值"), ("实施周期", "当年度")])
def test_a_two_row_header_takes_the_annual_value(tmp_path, periods):
    # 指标值 merged over 中长期 | 年度: the 中长期 value was taken, the sub-header listed as "no 三级指标"
    path = _table(tmp_path / "t.xlsx", [
        ["项目名称", "测试项目"],
        ["一级指标", "二级指标", "三级指标", "指标值", None],
        [None, None, None, *periods],
        ["产出指标", "数量指标", "参保人数", "≥1800万人", "≥600万人"],
        ["效益指标", "社会效益指标", "知晓率", "≥95%", "≥90%"],
    ], merged=["D2:E2", "A2:A3", "B2:B3", "C2:C3"])
    found = extract(path)
    assert _indicators(found.goals()) == [("产出指标", "数量指标", "参保人数", "≥600万人"),
                                          ("效益指标", "社会效益指标", "知晓率", "≥90%")]
    assert found.unplaced == []


def test_stacked_tables_are_one_project_each(tmp_path):
    # was one project 项目甲 with the repeated header as an indicator `三级指标`; 项目乙 dropped silently
    path = _table(tmp_path / "t.xlsx", [
        ["项目名称", "项目甲"], ["主管部门", "某局"], ["年度资金总额（万元）", 10],
        ["一级指标", "二级指标", "三级指标", "年度指标值"],
        ["产出指标", "数量指标", "a", "1个"],
        [],
        ["2025年度项目乙绩效目标表"],  # a title between the tables: it is no indicator, but the title of the next
        ["项目名称", "项目乙"], ["年度资金总额（元）", 20000],
        ["一级指标", "二级指标", "三级指标", "年度指标值"],
        ["产出指标", "数量指标", "b", "2个"],
        ["一级指标", "二级指标", "三级指标", "年度指标值"],  # repeated on the next page: still 项目乙
        ["效益指标", "社会效益指标", "c", "显著提升"],
    ])
    found = extract(path)
    first, second = found.goals()["projects"]
    assert (first["project"], first["department"], first["budget"]["full_year"]) == ("项目甲", "某局", 10)
    assert _indicators(first) == [("产出指标", "数量指标", "a", "1个")]
    assert (second["project"], second["budget"]) == ("项目乙", {"unit": "元", "initial": 20000, "full_year": 20000})
    assert ("department" in second, second["year"]) == (False, 2025)
    assert _indicators(second) == [("产出指标", "数量指标", "b", "2个"), ("效益指标", "社会效益指标", "c", "显著提升")]
    assert found.unplaced == []


def test_a_project_name_row_without_a_table_is_listed(tmp_path):
    path = _table(tmp_path / "t.xlsx", [
        ["项目名称", "项目甲"], ["三级指标", "指标值"], ["a", "1个"],
        ["项目名称", "项目乙"], ["项目类别", "其他"],
    ])
    found = extract(path)
    assert [p["project"] for p in found.projects] == ["项目甲"]
    assert found.unplaced == ["t.xlsx row 4: no indicator header follows; not read: 项目名称 | 项目乙",
                              "t.xlsx row 5: no indicator header follows; not read: 项目类别 | 其他"]


def test_rows_above_the_header_that_give_nothing_are_listed(tmp_path):
    path = _table(tmp_path / "t.xlsx", [
        ["项目支出绩效目标表"], ["项目名称", "项目甲"], ["项目类别", "其他"], ["三级指标", "指标值"], ["a", "1个"]])
    assert extract(path).unplaced == ["t.xlsx row 1: above the header, not read: 项目支出绩效目标表",
                                      "t.xlsx row 3: above the header, not read: 项目类别 | 其他"]


def test_a_note_under_the_table_is_listed_and_names_no_level(tmp_path):
    path = _table(tmp_path / "t.xlsx", [
        ["一级指标", "二级指标", "三级指标", "指标值"], ["产出指标", "数量指标", "a", "1个"], ["填表说明：b 为本年新增"],
        [None, None, "b", "2个"], [None, "质量指标", None, None], [None, None, "c", "≥95%"]])
    found = extract(path)
    assert _indicators(found.goals()) == [("产出指标", "数量指标", "a", "1个"), ("产出指标", "数量指标", "b", "2个"),
                                          ("产出指标", "质量指标", "c", "≥95%")]
    assert found.unplaced == ["t.xlsx row 3: no 三级指标: 填表说明：b 为本年新增"]


def test_a_merged_project_cell_is_filled_down(tmp_path):
    # b and d went to a phantom project named after the file
    path = _table(tmp_path / "t.xlsx", [
        ["项目名称", "一级指标", "二级指标", "三级指标", "年度指标值"],
        ["项目甲", "产出指标", "数量指标", "a", "1个"],
        [None, None, None, "b", "2个"],
        ["项目乙", "产出指标", "数量指标", "c", "3个"],
        [None, "效益指标", "社会效益指标", "d", "显著"],
    ], merged=["A2:A3", "A4:A5", "B2:B3", "C2:C3"])
    projects = extract(path).goals()["projects"]
    assert [p["project"] for p in projects] == ["项目甲", "项目乙"]
    assert _indicators(projects[0]) == [("产出指标", "数量指标", "a", "1个"), ("产出指标", "数量指标", "b", "2个")]
    assert _indicators(projects[1]) == [("产出指标", "数量指标", "c", "3个"), ("效益指标", "社会效益指标", "d", "显著")]


def test_a_target_split_into_sign_value_unit_is_joined(tmp_path):
    # seed 004's department table in a sheet: the target was the sign alone, `=`
    path = _table(tmp_path / "t.xlsx", [
        ["项目名称", "部门整体"],
        ["一级指标", "二级指标", "三级指标", "评（扣）分标准", "绩效指标描述", "指标值", None, None],
        [None, None, None, None, None, "符号", "值", "单位"],
        ["部门产出", "数量", "保障部门开展活动", "偏离指标值1部门,减数量分值10%,低于70%不得分", "开展活动的部门", "=", 4,
         "部门"],
        [None, "质量", "硬件设备合格率", "每降低5%扣指标分值的5%", "", "≥", 99, "比例"],
    ], merged=["F2:H2"] + [f"{c}2:{c}3" for c in "ABCDE"])
    found = extract(path)
    first, second = found.goals()["indicators"]
    assert (first["target"], first["rule"], first["description"]) == (
        "=4部门", "偏离指标值1部门,减数量分值10%,低于70%不得分", "开展活动的部门")
    assert (second["level1"], second["target"]) == ("部门产出", "≥99比例")
    assert found.unplaced == []


@pytest.mark.parametrize("header", ["分值（分）", "分值(分)", "指标分值", "权重（%）", "分值"])
def test_weight_headers(tmp_path, header):
    # 分值（分） and 指标分值 were not recognised: every weight None, silently
    path = _table(tmp_path / "t.xlsx", [
        ["项目名称：测试项目"],
        ["一级指标", "二级指标", "三级指标", "年度指标值", header],
        ["产出指标", "数量指标", "a", "≥10个", "１０"],
        [None, None, "b", "≥95%", "10.5分"],
        ["效益指标", "社会效益指标", "c", "显著提升", "二十"],
    ])
    found = extract(path)
    assert [i.get("weight") for i in found.goals()["indicators"]] == [10, 10.5, None]
    assert found.unplaced == ["t.xlsx row 5: 分值 '二十' of 'c' is not a number; left out"]


def test_an_unrecognised_weight_header_is_listed(tmp_path):
    path = _table(tmp_path / "t.xlsx", [["三级指标", "指标值", "参考分值"], ["a", "1个", 10]])
    found = extract(path)
    assert "weight" not in found.goals()["indicators"][0]
    assert found.unplaced == ["t.xlsx row 1: column '参考分值' looks like a 分值 but is not read"]


def test_an_indicator_without_target_is_listed_and_left_out(tmp_path):
    # was extracted with target "" and nothing said
    path = _table(tmp_path / "t.xlsx", [["三级指标", "指标值"], ["a", "1个"], ["b", None], ["c", "3个"]])
    found = extract(path)
    assert [i["level3"] for i in found.goals()["indicators"]] == ["a", "c"]
    assert found.unplaced == ["t.xlsx row 3: 'b' has no 指标值; left out"]


def test_a_number_format_unit_stays_with_the_target(tmp_path):
    # 12.5 under 0.00"万元" (Excel shows 12.50万元) was extracted as "12.5"
    path = _table(tmp_path / "t.xlsx", [
        ["三级指标", "年度指标值"], ["d", 12.5], ["e", 1800], ["f", 0.95], ["g", 5]],
        formats={"B2": '0.00"万元"', "B3": '#,##0"人"', "B4": "0%", "B5": '0"%"'})
    assert [i["target"] for i in extract(path).goals()["indicators"]] == ["12.5万元", "1800人", "95%", "5%"]


@pytest.mark.parametrize("value, number_format, text", [
    (12.5, '0.00"万元"', "12.5万元"), (12.456, '0.00"万元"', "12.456万元"), (1800, '#,##0"人"', "1800人"),
    (5, '0"%"', "5%"), (0.5, '0"%"', "0.5%"), (0.955, '0.0%"以上"', "95.5%以上"), (3, '"约"0"次"', "约3次"),
    (2, "0\\天", "2天"), (-7, '0"个";[Red]-0"个"', "-7个"), (12.5, '[Red]0.00"万元"_);(0.00)', "12.5万元"),
    (12.5, 'General"万元"', "12.5万元"), (12.5, '[$¥-804]#,##0.00', "12.5"), (45657, 'yyyy"年"m"月"', "45657"),
])
def test_a_number_format_literal_is_read_with_the_number(value, number_format, text):
    # cell_text is shared with the actuals reader: the unit a format shows is part of what staff typed
    assert cell_text(SimpleNamespace(value=value, number_format=number_format)) == text


SEEDS = Path(__file__).parent / "seeds"


def _seed_sheet(tmp_path, seed):
    """A seed's tab-separated text saved as an .xlsx, one line a row, one tab-separated cell a cell."""
    lines = (SEEDS / seed).read_text(encoding="utf-8").splitlines()
    return _table(tmp_path / f"{seed[:3]}.xlsx", [line.split("\t") for line in lines])


@pytest.mark.parametrize("seed, drifting", [
    ("001_034170035030169e.txt", [  # 三级指标 in the 一级 column; a 二级 in the 一级 column; a row one cell left
        ("效益指标", "社会效益指标", "医保第三方审核服务", "有所提升"),
        ("效益指标", "生态效益指标", "对生态无影响", "100%"),
        ("满意度指标", "服务对象满意度指标", "参保对象满意度（%）", "≥85%")]),
    ("003_0c1dd9ea3e34f943.txt", [  # rows one or two cells left of their columns
        ("效益指标", "社会效益指标", "会议人均费用标准", "<300元/人、天"),
        ("效益指标", "社会效益指标", "收回不符合规定医保基金", "3000万元"),
        ("产出指标", "数量指标", "参保人员就医短信业务提醒", ">100000条")]),
], ids=["001", "003"])
def test_a_seed_as_a_spreadsheet_keeps_its_drifting_rows(tmp_path, seed, drifting):
    # 001 as .xlsx lost 3 of its 42 indicators, 003 lost 11 of 44 (and made one of 成本指标 | 成本指标)
    found = extract(_seed_sheet(tmp_path, seed))
    got = [ind for p in found.projects for ind in _indicators(p)]
    assert found.layout == "spreadsheet"
    assert all(ind in got for ind in drifting)
    assert got == [ind for p in extract(SEEDS / seed).projects for ind in _indicators(p)]  # the text reader's


def test_a_row_left_of_its_columns_is_read_by_what_it_holds(tmp_path):
    path = _table(tmp_path / "t.xlsx", [
        ["一级指标", "二级指标", "三级指标", "实施周期指标值", "当年度指标值"],
        ["产出指标", "数量指标", "a", "2个", "1个"],
        ["满意度指标", "满意度", "≥90%", "≥95%"],  # one cell left: its 三级指标 in the 二级 column
        [None, "社会效益指标", "c", "提升"],  # in its columns, with no 当年度指标值
    ])
    found = extract(path)
    assert _indicators(found.goals()) == [("产出指标", "数量指标", "a", "1个"), ("满意度指标", "", "满意度", "≥95%")]
    assert found.unplaced == ["t.xlsx row 4: 'c' has no 指标值; left out"]


def test_a_two_halved_table_is_read_by_its_name_written_twice(tmp_path):
    path = _table(tmp_path / "t.xlsx", [
        ["一级指标", "二级指标", "三级指标", "中长期指标值", "二级指标", "三级指标", "本年度指标值"],
        ["产出指标", "数量指标", "a", "3个", "数量指标", "a", "1个"],
        ["效益指标", "b", "显著", "b", "有所提升", None, None],  # two cells left: no 二级
        [None, None, "成本指标", "c", None, "9万", "成本指标"],  # no 三级指标 written twice
    ])
    found = extract(path)
    assert _indicators(found.goals()) == [("产出指标", "数量指标", "a", "1个"), ("效益指标", "", "b", "有所提升")]
    assert found.unplaced == ["t.xlsx row 4: no 三级指标 written in both halves (中长期 and 本年度), so no 本年度指标值 "
                              "can be told; row not read: 成本指标 | c | 9万 | 成本指标"]


def test_a_department_table_is_marked(tmp_path):
    # a 部门整体支出绩效目标表 was extracted as a project named after the file, its title listed as not read
    path = _table(tmp_path / "t.xlsx", [
        ["2024年部门整体支出绩效目标表"], ["部门名称", "某局"],
        ["一级指标", "二级指标", "三级指标", "指标值"], ["产出指标", "数量指标", "a", "1个"],
        ["项目名称", "乙项目"], ["主管部门", "某局"],
        ["一级指标", "二级指标", "三级指标", "指标值"], ["产出指标", "数量指标", "b", "2个"],
    ])
    found = extract(path)
    first, second = found.goals()["projects"]
    assert (first["project"], first["department"], first["form"], first["year"]) == ("某局部门整体", "某局", "department", 2024)
    assert _indicators(first) == [("产出指标", "数量指标", "a", "1个")]
    assert (second["project"], second.get("form")) == ("乙项目", None)
    assert found.unplaced == []



@pytest.mark.parametrize("title", [["2024年部门整体支出绩效目标表（单位：万元）"], ["2024年部门整体支出绩效目标表 单位：万元"],
                                   ["2024年部门整体支出绩效目标表(金额单位:万元)"], ["2024年部门整体支出绩效目标表", "单位：万元"],
                                   ["2024年部门整体支出绩效目标表", None, "（万元）"]])
def test_a_department_title_with_a_unit_note(tmp_path, title):
    # a unit note after the title (or in the cell beside it) hid the title: a project named after the file
    path = _table(tmp_path / "t.xlsx", [title, ["部门名称", "某局"], ["年度资金总额", 50],
                                        ["三级指标", "指标值"], ["a", "1个"]])
    found = extract(path)
    got = found.goals()
    assert (got["project"], got["form"], got["year"], got["budget"]["unit"]) == ("某局部门整体", "department", 2024, "万元")
    assert found.unplaced == []


@pytest.mark.parametrize("title", [["部门整体支出绩效目标表（单位：元）"], ["部门整体支出绩效目标表", "单位：元"]])
def test_a_department_title_gives_the_unit_of_its_budget(tmp_path, title):
    # the amounts name no unit: the title's note says they are 元, so 3000.5 is 3000.5元, not 万元
    path = _table(tmp_path / "t.xlsx", [title, ["部门名称", "某局"], ["基本支出", 1000], ["项目支出", 2000.5],
                                        ["三级指标", "指标值"], ["a", "1个"]])
    found = extract(path)
    assert found.goals()["budget"] == {"unit": "元", "initial": 3000.5, "full_year": 3000.5}
    assert found.unplaced == []


@pytest.mark.parametrize("title", [["部门整体支出绩效目标表（草稿）"], ["部门整体支出绩效目标表", "某局"]])
def test_a_department_title_is_one_cell_with_at_most_a_unit_note(tmp_path, title):
    path = _table(tmp_path / "t.xlsx", [title, ["部门名称", "某局"], ["三级指标", "指标值"], ["a", "1个"]])
    found = extract(path)
    assert (found.goals()["project"], found.goals().get("form")) == ("t", None)
    assert found.unplaced == [f"t.xlsx row 1: above the header, not read: {' | '.join(title)}"]

def test_seed_001_as_a_spreadsheet_marks_its_department_table(tmp_path):
    projects = extract(_seed_sheet(tmp_path, "001_034170035030169e.txt")).projects
    assert [p.get("form") for p in projects] == ["department", None, None]
    assert projects[0]["project"] == "湛江市医疗保障局部门整体"


def test_seed_003_as_a_spreadsheet_names_its_department_as_the_text_reader_does(tmp_path):
    # lines 10, 51: 实施单位 六安市医疗保障局本级 (本级: the bureau itself), no 主管部门 (it was blank)
    projects = extract(_seed_sheet(tmp_path, "003_0c1dd9ea3e34f943.txt")).projects
    text = extract(SEEDS / "003_0c1dd9ea3e34f943.txt").projects
    assert [p.get("department") for p in projects] == ["六安市医疗保障局"] * 2
    assert [p.get("department") for p in projects] == [p.get("department") for p in text]


def _budgets(projects):
    return {p["project"]: (p["budget"]["unit"], p["budget"]["full_year"]) for p in projects if "budget" in p}


@pytest.mark.parametrize("seed, budgets", [
    ("001_034170035030169e.txt", {  # lines 7-9: 部门预算支出 基本支出 764.88 + 项目支出 30965.08 (万元); lines 54, 75
        "湛江市医疗保障局部门整体": ("万元", 31729.96), "城乡居民医保市级财政补助资金": ("万元", 29814.84),
        "基本医疗保险第三方支付评审服务项目": ("万元", 200)}),
    ("003_0c1dd9ea3e34f943.txt", {  # lines 12 and 53: 年度资金总额, not 中期资金总额
        "医疗保障专项业务费": ("万元", 93), "医疗保障信息化建设运行维护费": ("万元", 80)}),
], ids=["001", "003"])
def test_a_seed_as_a_spreadsheet_keeps_its_budgets(tmp_path, seed, budgets):
    # 001's department table took its column heading 预算金额（万元） | 收入来源 for the budget: none, "not an amount"
    found = extract(_seed_sheet(tmp_path, seed))
    assert _budgets(found.projects) == budgets
    assert _budgets(found.projects) == _budgets(extract(SEEDS / seed).projects)  # the text reader's
    assert not [line for line in found.unplaced if "budget" in line or " row 8:" in line or " row 9:" in line]


def test_a_department_budget_is_its_basic_and_project_expenditure(tmp_path):
    path = _table(tmp_path / "t.xlsx", [
        ["2024年部门整体支出绩效目标表"], ["部门名称", "某局"],
        ["预算整体情况", "部门预算支出", "预算金额（元）", "收入来源", "预算金额（元）"],
        [None, "基本支出", 1000, "财政拨款", 3000],
        [None, "项目支出", 2000.5, "其他资金", None],
        ["一级指标", "二级指标", "三级指标", "指标值"], ["产出指标", "数量指标", "a", "1个"],
    ])
    found = extract(path)
    assert found.goals()["budget"] == {"unit": "元", "initial": 3000.5, "full_year": 3000.5}
    assert found.unplaced == []


def test_a_budget_label_without_an_amount_is_listed(tmp_path):
    path = _table(tmp_path / "t.xlsx", [
        ["项目名称", "甲"], ["年度资金总额（万元）", "待定"], ["三级指标", "指标值"], ["a", "1个"]])
    found = extract(path)
    assert "budget" not in found.goals()
    assert found.unplaced == ["t.xlsx row 2: above the header, not read: 年度资金总额（万元） | 待定"]


@pytest.mark.parametrize("parts, budget, unplaced", [
    # the year in the label was read as an amount: 2024 + 50 = 2074万元, the row 详见各项目 not listed
    ([["项目支出（2024年度）", "详见各项目"], ["基本支出", 50]], ("万元", 50),
     ["t.xlsx row 3: above the header, not read: 项目支出（2024年度） | 详见各项目"]),
    # the unit in the label's brackets was read as the value: `（万元）`, no amount, no budget
    ([["基本支出（万元）", 764.88], ["项目支出（万元）", 30965.08]], ("万元", 31729.96), []),
    ([["基本支出（元）", 1000], ["项目支出(元)", 2000.5]], ("元", 3000.5), []),
    ([["基本支出（万元）", 50], ["项目支出（元）", 1000]], ("万元", 50),
     ["t.xlsx row 4: in 元, not in 万元 as the 基本支出 or 项目支出 above; not read: 项目支出（元） | 1000"]),
], ids=["year", "unit", "yuan", "two-units"])
def test_a_department_budget_label_gives_no_amount(tmp_path, parts, budget, unplaced):
    path = _table(tmp_path / "t.xlsx", [["某局2024年部门整体支出绩效目标表"], ["部门名称", "某局"], *parts,
                                        ["一级指标", "二级指标", "三级指标", "指标值"], ["产出指标", "数量指标", "人数", "≥10人"]])
    found = extract(path)
    unit, amount = budget
    assert found.goals()["budget"] == {"unit": unit, "initial": amount, "full_year": amount}
    assert found.unplaced == unplaced


def test_a_year_in_a_budget_label_is_no_amount(tmp_path):
    path = _table(tmp_path / "t.xlsx", [["项目名称", "甲"], ["年度资金总额（2024年）", 50], ["三级指标", "指标值"], ["a", "1个"]])
    found = extract(path)
    assert (found.goals()["year"], found.goals()["budget"]["initial"], found.unplaced) == (2024, 50, [])


@pytest.mark.parametrize("label, budget", [
    ("年度资金总额（500万元）", ("万元", 500)), ("年度资金总额（500）", ("万元", 500)),
    ("年度资金总额(20000元)", ("元", 20000))])
def test_a_budget_label_with_its_amount_in_brackets(tmp_path, label, budget):
    # the bracket was taken as part of the label: no amount, the row listed as not read
    path = _table(tmp_path / "t.xlsx", [["项目名称", "甲"], [label], ["三级指标", "指标值"], ["a", "1个"]])
    found = extract(path)
    unit, amount = budget
    assert (found.goals()["budget"], found.unplaced) == ({"unit": unit, "initial": amount, "full_year": amount}, [])


def test_a_department_budget_part_with_its_amount_in_brackets(tmp_path):
    path = _table(tmp_path / "t.xlsx", [["某局2024年部门整体支出绩效目标表"], ["部门名称", "某局"],
                                        ["基本支出（50万元）"], ["项目支出（30）"], ["三级指标", "指标值"], ["a", "1个"]])
    found = extract(path)
    assert (found.goals()["budget"], found.unplaced) == ({"unit": "万元", "initial": 80, "full_year": 80}, [])


def test_a_row_with_a_part_read_lists_only_the_part_not_read(tmp_path):
    # the whole row was listed as not read, its 50 read all the same
    path = _table(tmp_path / "t.xlsx", [["某局2024年部门整体支出绩效目标表"], ["部门名称", "某局"],
                                        ["基本支出", 50, "项目支出", "详见各项目"], ["三级指标", "指标值"], ["a", "1个"]])
    found = extract(path)
    assert found.goals()["budget"] == {"unit": "万元", "initial": 50, "full_year": 50}
    assert found.unplaced == ["t.xlsx row 3: above the header, not read: 项目支出 | 详见各项目"]


@pytest.mark.parametrize("rows, project, department, budget", [
    ([["项 目 名 称", "测试项目"], ["主 管 部 门", "某局"]], "测试项目", "某局", None),
    ([["项目 名称：测试"], ["年度 资金总额", 500]], "测试", None, 500),
    ([["项目名称 ： 乙"], ["年度资金 总额（元）300"]], "乙", None, 300),
], ids=["spaced-labels", "spaced-label-and-budget", "space-before-colon"])
def test_a_label_written_with_spaces_gives_its_value(tmp_path, rows, project, department, budget):
    # the label was matched without its spaces but cut from the cell by its length: 项 目 名 称 | 测试项目 gave
    # the project "名 称", 年度 资金总额 | 500 the amount "额" (none, the row listed as not read)
    path = _table(tmp_path / "t.xlsx", [*rows, ["三级指标", "指标值"], ["a", "1个"]])
    found = extract(path)
    goals = found.goals()
    assert (goals["project"], goals.get("department")) == (project, department)
    assert (goals["budget"]["initial"] if budget else None, found.unplaced) == (budget, [])


@pytest.mark.parametrize("label, value, budget", [
    ("年度资金总额", "2024年 500万元", ("万元", 500)),  # the first number was read: 2024万元
    ("年度资金总额", "2024年度：800000元", ("元", 800000)),  # 2024万元
    ("年度资金总额（万元）", "2024年 500", ("万元", 500)),  # 2024万元
    ("年度资金总额（元）", "80万", ("元", 800000)),  # 80万 = 80 × 10000元; was 80元, 万 dropped
    ("年度资金总额（万元）", "1,250.5", ("万元", 1250.5)),
], ids=["year-then-wan", "year-then-yuan", "year-then-bare", "wan-under-yuan", "thousands"])
def test_a_budget_is_its_amount_not_a_year(tmp_path, label, value, budget):
    path = _table(tmp_path / "t.xlsx", [["项目名称", "甲"], [label, value], ["三级指标", "指标值"], ["a", "1个"]])
    found = extract(path)
    unit, amount = budget
    assert (found.goals()["budget"], found.unplaced) == ({"unit": unit, "initial": amount, "full_year": amount}, [])


def test_a_budget_label_with_only_a_year_is_listed(tmp_path):
    # 2024年度 was read as a budget of 2024万元
    path = _table(tmp_path / "t.xlsx", [["项目名称", "甲"], ["年度资金总额", "2024年度"], ["三级指标", "指标值"], ["a", "1个"]])
    found = extract(path)
    assert ("budget" in found.goals(), found.goals()["year"]) == (False, 2024)
    assert found.unplaced == ["t.xlsx row 2: above the header, not read: 年度资金总额 | 2024年度"]


@pytest.mark.parametrize("parts, budget", [
    ([["基本支出", "2024年 50万元"], ["项目支出", "30万元"]], ("万元", 80)),  # 2024 + 30 = 2054万元
    ([["基本支出（元）", "5万"], ["项目支出（元）", 1000]], ("元", 51000)),  # 5万元 = 50000元; was 5 + 1000 = 1005元
], ids=["year", "wan-under-yuan"])
def test_a_department_budget_part_is_its_amount_not_a_year(tmp_path, parts, budget):
    path = _table(tmp_path / "t.xlsx", [["某局部门整体支出绩效目标表"], ["部门名称", "某局"], *parts,
                                        ["三级指标", "指标值"], ["a", "1个"]])
    found = extract(path)
    unit, amount = budget
    assert (found.goals()["budget"], found.unplaced) == ({"unit": unit, "initial": amount, "full_year": amount}, [])


@pytest.mark.parametrize("title, unit", [
    (["某局部门整体支出绩效目标表（2024年度）"], "万元"),  # the year after the title hid it: a project named "t"
    (["某局部门整体支出绩效目标表(2024年)", "单位：万元"], "万元"),
    (["2024年部门整体支出绩效目标表（单位：千元）"], "千元"),  # 千元, as the text readers read it, hid the title
    (["2024年部门整体支出绩效目标表", "金额单位：千元"], "千元"),
    (["部门整体支出绩效目标表（2024年度）（单位：千元）"], "千元"),
], ids=["year", "year-unit-beside", "thousands", "thousands-beside", "year-and-thousands"])
def test_a_department_title_with_its_year_or_thousands(tmp_path, title, unit):
    path = _table(tmp_path / "t.xlsx", [title, ["部门名称", "某局"], ["基本支出", 1000], ["项目支出", 2000.5],
                                        ["三级指标", "指标值"], ["a", "1个"]])
    found = extract(path)
    got = found.goals()
    assert (got["project"], got.get("form"), got["year"]) == ("某局部门整体", "department", 2024)
    assert (got["budget"], found.unplaced) == ({"unit": unit, "initial": 3000.5, "full_year": 3000.5}, [])


@pytest.mark.parametrize("value, budget", [
    ("500 000元", ("元", 500000)),  # 0.0元: the last group of digits was read
    ("1 234 567元", ("元", 1234567)),  # 567元
    ("1，234万元", ("万元", 1234)),  # 234万元: a full-width comma was no thousands separator
    ("１，２３４.５万元", ("万元", 1234.5)),
], ids=["spaced", "spaced-twice", "full-width-comma", "full-width-digits"])
def test_a_budget_with_its_thousands_apart_is_the_whole_number(tmp_path, value, budget):
    path = _table(tmp_path / "t.xlsx", [["项目名称", "甲"], ["年度资金总额", value], ["三级指标", "指标值"], ["a", "1个"]])
    found = extract(path)
    unit, amount = budget
    assert (found.goals()["budget"], found.unplaced) == ({"unit": unit, "initial": amount, "full_year": amount}, [])


@pytest.mark.parametrize("value", [
    "500~600万元", "500至600万元", "500-600万元",  # 600万元 (but for the -): a range is no amount
    "－500万元", "−500",  # +500: a negative is no budget
    "上年结转50万元，本年500万元", "50万元（其中财政拨款30万元）",  # 50万元: the first of several amounts
    "1000 2000",  # two numbers, no thousands apart
    "无", "没有",  # 0.0: none written is no budget of 0
], ids=["tilde", "zhi", "dash", "full-width-minus", "minus-sign", "two-amounts", "part-in-brackets",
        "two-numbers", "none", "none-written"])
def test_a_budget_cell_that_is_not_one_amount_is_listed(tmp_path, value):
    path = _table(tmp_path / "t.xlsx", [["项目名称", "甲"], ["年度资金总额", value], ["三级指标", "指标值"], ["a", "1个"]])
    found = extract(path)
    assert "budget" not in found.goals()
    assert found.unplaced == [f"t.xlsx row 2: above the header, not read: 年度资金总额 | {value}"]


@pytest.mark.parametrize("rows, budget", [
    # 500000万元: only a bracket that is a unit and nothing else gave the unit
    ([["年度资金总额（单位：元）", 500000]], ("元", 500000)),
    ([["年度资金总额(金额单位:元)", 50]], ("元", 50)),
    ([["年度资金总额（单位：元）：500000"]], ("元", 500000)),
], ids=["unit-note", "amount-unit-note", "in-the-cell"])
def test_a_budget_label_with_a_unit_note(tmp_path, rows, budget):
    path = _table(tmp_path / "t.xlsx", [["项目名称", "甲"], *rows, ["三级指标", "指标值"], ["a", "1个"]])
    found = extract(path)
    unit, amount = budget
    assert (found.goals()["budget"], found.unplaced) == ({"unit": unit, "initial": amount, "full_year": amount}, [])


def test_a_department_budget_part_with_a_unit_note(tmp_path):
    # 1000 + 2000.5 was 3000.5万元
    path = _table(tmp_path / "t.xlsx", [["某局部门整体支出绩效目标表"], ["部门名称", "某局"], ["基本支出（单位：元）", 1000],
                                        ["项目支出（金额单位：元）", 2000.5], ["三级指标", "指标值"], ["a", "1个"]])
    found = extract(path)
    assert (found.goals()["budget"], found.unplaced) == ({"unit": "元", "initial": 3000.5, "full_year": 3000.5}, [])


@pytest.mark.parametrize("title, unit", [
    (["某局部门整体支出绩效目标表（2024）"], "万元"),
    (["某局部门整体支出绩效目标表", "（2024年度）"], "万元"),  # the year beside it hid the title, the row not listed
    (["某局部门整体支出绩效目标表", "2024年度"], "万元"),
    (["某局部门整体支出绩效目标表（2024年度，单位：万元）"], "万元"),
    (["某局部门整体支出绩效目标表（单位：千元）（2024年度）"], "千元"),
    (["某局部门整体支出绩效目标表 （单位：千元）", "2024年"], "千元"),
    (["某局部门整体支出绩效目标表（2024年度 金额单位：千元）"], "千元"),
], ids=["year-no-nian", "year-beside-bracketed", "year-beside", "year-and-unit", "unit-then-year",
        "unit-then-year-beside", "year-space-unit"])
def test_a_department_title_with_its_year_in_other_places(tmp_path, title, unit):
    path = _table(tmp_path / "t.xlsx", [title, ["部门名称", "某局"], ["基本支出", 1000], ["项目支出", 2000.5],
                                        ["三级指标", "指标值"], ["a", "1个"]])
    found = extract(path)
    got = found.goals()
    assert (got["project"], got.get("form"), got.get("year")) == ("某局部门整体", "department", 2024)
    assert (got["budget"], found.unplaced) == ({"unit": unit, "initial": 3000.5, "full_year": 3000.5}, [])


@pytest.mark.parametrize("title", [["2024年项目支出绩效目标表（单位：元）"], ["项目支出绩效目标表", "（2024年度，单位：元）"]])
def test_a_project_title_gives_its_year_and_unit(tmp_path, title):
    # the unit note of a title that is not a department's was left aside: 500000万元
    path = _table(tmp_path / "t.xlsx", [title, ["项目名称", "甲"], ["年度资金总额", 500000], ["三级指标", "指标值"], ["a", "1个"]])
    found = extract(path)
    got = found.goals()
    assert (got["project"], got.get("form"), got.get("year")) == ("甲", None, 2024)
    assert (got["budget"], found.unplaced) == ({"unit": "元", "initial": 500000, "full_year": 500000}, [])


def test_a_row_with_a_year_and_other_text_is_listed(tmp_path):
    # its year was read, its text left out silently: a row is read for its year when it is a title, its notes or
    # a label's (实施期限)
    path = _table(tmp_path / "t.xlsx", [["项目名称", "甲"], ["本表数据截至", "2024年6月"], ["三级指标", "指标值"], ["a", "1个"]])
    found = extract(path)
    assert ("year" in found.goals(), found.unplaced) == (
        False, ["t.xlsx row 2: above the header, not read: 本表数据截至 | 2024年6月"])


@pytest.mark.parametrize("row", [["（2024年度）"], ["实施期限", "起始年度", "2024年", "到期年度", "2024年"]])
def test_a_row_giving_the_year_is_read(tmp_path, row):
    path = _table(tmp_path / "t.xlsx", [["项目名称", "甲"], row, ["三级指标", "指标值"], ["a", "1个"]])
    found = extract(path)
    assert (found.goals()["year"], found.unplaced) == (2024, [])


_ROWS = [["三级指标", "指标值"], ["a", "1个"]]


@pytest.mark.parametrize("title", ["2023-2025年项目支出绩效目标表", "2023年-2025年项目支出绩效目标表"])
def test_a_title_giving_a_span_of_years_gives_no_year(tmp_path, title):
    # the span's last (or first) year was read: 2025 (2023); the file's 2024 is the fallback
    found = extract(_table(tmp_path / "2024年t.xlsx", [[title], ["项目名称", "甲"], *_ROWS]))
    assert found.goals()["year"] == 2024


@pytest.mark.parametrize("period", ["2023年至2025年", "2023年1月1日-2025年12月31日", "2023年1月-2025年12月"])
def test_a_period_giving_a_span_of_years_gives_no_year(tmp_path, period):
    # its first year, 2023, overrode the file's 2024
    found = extract(_table(tmp_path / "2024年t.xlsx", [["项目名称", "甲"], ["实施期限", period], *_ROWS]))
    assert (found.goals()["year"], found.unplaced) == (2024, [])


@pytest.mark.parametrize("title, budget, year", [
    (["项目支出绩效目标表（单位：元）"], ("元", 3000), 2023), (["项目支出绩效目标表（2024年度）"], ("万元", 3000), 2024),
    (["（单位：元）"], ("元", 3000), 2023)], ids=["unit", "year", "notes-alone"])
def test_a_title_below_a_table_starts_the_next_one(tmp_path, title, budget, year):
    # the title was read as an indicator row of the table above (listed: no 指标值), its unit and year ignored:
    # 乙 was 3000万元, of 2023
    path = _table(tmp_path / "t.xlsx", [["项目支出绩效目标表（2023年度）"], ["项目名称", "甲"], ["年度资金总额", 1000], *_ROWS,
                                        title, ["项目名称", "乙"], ["年度资金总额", 3000], *_ROWS])
    found = extract(path)
    assert [(p["project"], p["budget"], p["year"]) for p in found.projects] == [
        ("甲", {"unit": "万元", "initial": 1000, "full_year": 1000}, 2023),
        ("乙", {"unit": budget[0], "initial": budget[1], "full_year": budget[1]}, year)]
    assert found.unplaced == []


@pytest.mark.parametrize("rows, budget", [
    ([["年度资金总额（人民币元）", 3000]], ("元", 3000)), ([["年度资金总额（单位：人民币元）", 3000]], ("元", 3000)),
    ([["年度资金总额（人民币万元）", 3000]], ("万元", 3000)),
    ([["年度资金总额", "500", "元"]], ("元", 500)), ([["年度资金总额", 500, "千元"]], ("千元", 500)),
    ([["年度资金总额", 500, "", "单位：元"]], ("元", 500)),
    ([["年度资金总额", "500（万元）"]], ("万元", 500)), ([["年度资金总额", "500.00（万元）"]], ("万元", 500)),
], ids=["renminbi", "renminbi-note", "renminbi-wan", "unit-after", "thousands-after", "unit-note-after",
        "bracketed-unit", "bracketed-unit-decimals"])
def test_a_budget_unit_written_in_other_ways(tmp_path, rows, budget):
    # each was read in 万元 (人民币元, a unit in the cell after the amount), or refused (500（万元）)
    found = extract(_table(tmp_path / "t.xlsx", [["项目名称", "甲"], *rows, *_ROWS]))
    unit, amount = budget
    assert (found.goals()["budget"], found.unplaced) == ({"unit": unit, "initial": amount, "full_year": amount}, [])


@pytest.mark.parametrize("rows, budget", [
    ([["项目支出绩效目标表（单位：人民币元）"], ["项目名称", "甲"]], ("元", 3000)),
    ([["项目名称", "甲", "单位：元"]], ("元", 3000)),
], ids=["title", "beside-a-label"])
def test_a_table_unit_written_in_other_ways(tmp_path, rows, budget):
    # the title was listed, the unit beside the project's name ignored: 3000万元
    found = extract(_table(tmp_path / "t.xlsx", [*rows, ["年度资金总额", 3000], *_ROWS]))
    unit, amount = budget
    assert (found.goals()["budget"], found.unplaced) == ({"unit": unit, "initial": amount, "full_year": amount}, [])


@pytest.mark.parametrize("row", [["年度资金总额（美元）", 500], ["年度资金总额", 500, "美元"], ["年度资金总额（千元，含结转）", 500]],
                         ids=["bracket", "after", "bracket-with-more"])
def test_a_budget_unit_not_read_is_listed(tmp_path, row):
    # the amount was taken in 万元
    found = extract(_table(tmp_path / "t.xlsx", [["项目名称", "甲"], row, *_ROWS]))
    shown = " | ".join(str(c) for c in row)
    assert ("budget" in found.goals(), found.unplaced) == (False, [f"t.xlsx row 2: above the header, not read: {shown}"])


def test_a_title_unit_not_read_gives_no_budget(tmp_path):
    # the title was listed, the amount taken in 万元
    found = extract(_table(tmp_path / "t.xlsx", [["项目支出绩效目标表（单位：万元元）"], ["项目名称", "甲"], ["年度资金总额", 500],
                                                 *_ROWS]))
    assert "budget" not in found.goals()
    assert found.unplaced == ["t.xlsx row 1: unit of money '万元元' not read; no budget is read under it",
                              "t.xlsx row 3: above the header, not read: 年度资金总额 | 500"]


def test_a_department_named_by_its_unit_only(tmp_path):
    # the project was named after the file, `t`
    found = extract(_table(tmp_path / "t.xlsx", [["部门整体支出绩效目标表"], ["单位名称", "某局本级"], ["年度资金总额", 5],
                                                 *_ROWS]))
    got = found.goals()
    assert (got["project"], got["department"], got["agency"], got["form"]) == ("某局部门整体", "某局", "某局本级", "department")


def test_a_second_year_above_one_header_is_listed(tmp_path):
    # the second was ignored silently
    found = extract(_table(tmp_path / "t.xlsx", [["（2023年度）"], ["（2024年度）"], ["项目名称", "甲"], *_ROWS]))
    assert (found.goals()["year"], found.unplaced) == (
        2023, ["t.xlsx row 2: a second year above one header; not read: （2024年度）"])


def test_labelled_amounts_are_read_label_by_label():
    cells = ["项目支出", "详见各项目", "基本支出（元）", "1,000", "项目支出（50万元）"]
    assert [tuple(found) for found in labelled_amounts(cells, ("基本支出", "项目支出"), "万元")] == [
        ("1,000", 1000.0, "元", "基本支出（元） | 1,000"), ("详见各项目", None, "万元", "项目支出 | 详见各项目"),
        ("50万元", 50.0, "万元", "项目支出（50万元）")]


def test_a_target_column_left_of_the_indicator_is_no_drift(tmp_path):
    # `一级指标 | 指标值 | 三级指标 | 指标值`: the drift reader took an annual column left of the 三级指标 (IndexError)
    path = tmp_path / "t.csv"
    path.write_text("一级指标,指标值,三级指标,指标值\n产出指标,,x\n", encoding="utf-8")
    with pytest.raises(InputError, match="no indicators found"):
        extract(path)
