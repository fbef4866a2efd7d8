"""Layout `mid-long-term` on seed 003 (六安市医疗保障局, 2021 部门预算财政支出绩效目标申报表): two projects,
each an indicator table in two halves (一级/二级/三级 + 中长期指标值 | 二级/三级 + 本年度指标值) whose columns
drift from row to row. Expected values read by hand from the seed."""
from __future__ import annotations

from pathlib import Path

import pytest

from scoring.extract import LAYOUTS, extract, load_document
from scoring.extract import mid_long_term  # noqa: F401  (registers the layout for LAYOUTS)

HERE = Path(__file__).parent
SEED = HERE / "seeds" / "003_0c1dd9ea3e34f943.txt"
NAME = SEED.name


@pytest.fixture(scope="module")
def found():
    return extract(SEED)


def test_layout_detected_and_counts(found):
    assert found.layout == "mid-long-term"
    assert [p["project"] for p in found.projects] == ["医疗保障专项业务费", "医疗保障信息化建设运行维护费"]
    # lines 18-42 less 31 (no annual value), 36 (a 二级 alone) and 42 (no annual value); lines 59-83 less 78
    assert [len(p["indicators"]) for p in found.projects] == [21, 23]


def test_unplaced_rows(found):
    assert len(found.unplaced) == 3
    line31, line38, line42 = found.unplaced
    # 成本指标 | 项目总成本 | 279万 | 成本指标: 279万 is the 中长期 amount, the 本年度 half is missing
    assert line31.startswith(f"{NAME} line 31: ") and "项目总成本 | 279万" in line31
    assert line38.startswith(f"{NAME} line 38: ") and "'双目标'" in line38
    assert line42.startswith(f"{NAME} line 42: ") and "'提高定点医疗机构满意率' has no 本年度指标值" in line42
    assert "满意率95%以上、零核实投诉" in line42  # the 中长期 value, shown for whoever completes the row


def test_only_this_layout_recognises_the_seed(tmp_path):
    assert LAYOUTS["mid-long-term"].detect(load_document(SEED)) > 0.5
    for other in (p for p in (HERE / "seeds").glob("*.txt") if p.name != NAME):
        assert LAYOUTS["mid-long-term"].detect(load_document(other)) == 0, other.name
    sheet = tmp_path / "g.csv"
    sheet.write_text("一级指标,二级指标,三级指标,中长期指标值,本年度指标值\n产出指标,数量指标,人数,1,1\n",
                     encoding="utf-8")
    assert LAYOUTS["mid-long-term"].detect(load_document(sheet)) == 0


def _ind(p: dict, number: int) -> tuple[str, str, str, str]:
    ind = p["indicators"][number - 1]
    assert ind["id"] == str(number) and "rule" not in ind
    return ind["level1"], ind["level2"], ind["level3"], ind["target"]


def test_first_project(found):
    p = found.projects[0]
    assert (p["department"], p["agency"], p["year"]) == ("六安市医疗保障局", "六安市医疗保障局本级", 2021)
    assert p["budget"] == {"unit": "万元", "initial": 93.0, "full_year": 93.0}  # 年度资金总额, not 中期 279.0
    assert p["goal"].startswith("通过该项目的实施，完成1、按国家要求") and p["goal"].endswith("开展医保服务标准化建设试点。")
    assert _ind(p, 3) == ("产出指标", "数量指标", "开展打击医保基金欺诈异地飞检工作", "一年四次")  # 中长期 按季度
    # line 27: the annual value is longer than the 中长期 one
    assert _ind(p, 10)[3] == "精简办理材料，简化办理流程，缩短办理时限。推行一次告知，一次受理，一次办好服务。"
    # line 32: shifted one cell left
    assert _ind(p, 14) == ("效益指标", "社会效益指标", "会议人均费用标准", "<300元/人、天")
    # line 34: the 三级指标 in the 二级 column, the annual value two cells left of its place
    assert _ind(p, 16) == ("效益指标", "社会效益指标", "不断强化协议管理，使定点医疗机构服务规范有序。", "程度提高")
    assert _ind(p, 17) == ("效益指标", "社会效益指标", "收回不符合规定医保基金", "3000万元")  # 中长期 9000万元
    # line 38: 可持续影响指标 after the stray 双目标; 一级 效益指标 from above
    assert _ind(p, 18)[:2] == ("效益指标", "可持续影响指标")
    assert _ind(p, 21) == ("满意度指标", "服务对象满意度指标", "提高参保人员满意率", "满意率95%以上、零核实投诉")


def test_second_project(found):
    p = found.projects[1]
    assert (p["department"], p["agency"], p["year"]) == ("六安市医疗保障局", "六安市医疗保障局本级", 2021)
    assert p["budget"] == {"unit": "万元", "initial": 80.0, "full_year": 80.0}  # 年度资金总额, not 中期 350.0
    assert p["goal"] == "通过该项目的实施,完成1、参与省级集中医疗保障业务基"  # cut off so in the seed
    assert _ind(p, 1) == ("产出指标", "数量指标", "参保人员就医短信业务提醒", ">100000条")  # 中长期 >300000条
    assert _ind(p, 10) == ("产出指标", "成本指标", "电子协议文本系统运行维护", "5万")  # 中长期 15万
    # line 71: the 三级指标 in the first column, the annual value in column 7 of 8
    assert _ind(p, 13) == ("产出指标", "成本指标", "信息化系统运行维护", "50万")  # 中长期 260万
    # line 73: 经济效益指标 in the first column starts the 效益 block
    assert _ind(p, 15) == ("效益指标", "经济效益指标", "加强医保基金监管,优化医疗资源配置,减少医保资金浪费", "1000万")
    assert _ind(p, 17)[3] == "方便参保职工刷卡就医，提高服务水平和能力。"  # 中长期 has 'and' for 和
    assert _ind(p, 21) == ("效益指标", "可持续影响指标", "对大数据分析能力的提升程度",
                           "不断提升大数据分析能力，逐步实现医疗费用监管从事后监督前移事前事中监督。")
    assert _ind(p, 23) == ("满意度指标", "服务对象满意度指标", "提高参保人员满意率", "满意率95%以上、零核实投诉")


@pytest.mark.parametrize("title, form", [("部门整体支出绩效目标申报表", "department"), ("部门预算财政支出绩效目标申报表", None)])
def test_a_department_table_is_marked(tmp_path, title, form):
    # a 部门整体支出绩效目标申报表 was extracted as a project: scored and titled as one
    table = tmp_path / "t.txt"
    table.write_text(f"{title}\n（ 2021 年度）\n项目名称\t某局整体支出\n实施单位\t某局\n"
                     "绩效指标\t一级指标\t二级指标\t三级指标\t中长期指标值\t二级指标\t三级指标\t本年度指标值\n"
                     "\t产出指标\t数量指标\t人数\t30人\t数量指标\t人数\t10人\n"
                     "部门预算财政支出绩效目标申报表\n（ 2021 年度）\n项目名称\t乙项目\n实施单位\t某局\n"
                     "\t一级指标\t二级指标\t三级指标\t中长期指标值\t二级指标\t三级指标\t本年度指标值\n"
                     "\t产出指标\t数量指标\t件数\t3件\t数量指标\t件数\t1件\n", encoding="utf-8")
    first, second = extract(table).projects
    assert (first["project"], first.get("form")) == ("某局整体支出", form)
    assert (first["indicators"][0]["level3"], first["indicators"][0]["target"]) == ("人数", "10人")
    assert (second["project"], second.get("form")) == ("乙项目", None)  # under a project table's own title


_HEADER = "绩效指标\t一级指标\t二级指标\t三级指标\t中长期指标值\t二级指标\t三级指标\t本年度指标值\n"


@pytest.mark.parametrize("title", ["部门整体支出绩效目标申报表", "部门预算财政支出绩效目标申报表"],
                         ids=["department-title", "other-title"])
def test_a_department_table_starts_at_its_department_name(tmp_path, title):
    # a 申报表 naming only its 部门名称 was left out: "indicator header before any 项目名称"
    table = tmp_path / "t.txt"
    table.write_text(f"{title}\n（ 2021 年度）\n部门名称\t\t某局\t\t\t\n实施单位\t\t某局本级\t\t\t\n" + _HEADER +
                     "\t产出指标\t数量指标\t人数\t30人\t数量指标\t人数\t10人\n"
                     "部门预算财政支出绩效目标申报表\n项目名称\t\t乙项目\n实施单位\t\t某局\n" + _HEADER +
                     "\t产出指标\t数量指标\t件数\t3件\t数量指标\t件数\t1件\n", encoding="utf-8")
    found = extract(table)
    first, second = found.projects
    assert (first["project"], first["department"], first["agency"], first["form"], first["year"]) == (
        "某局部门整体", "某局", "某局本级", "department", 2021)
    assert [(i["level3"], i["target"]) for i in first["indicators"]] == [("人数", "10人")]
    assert (second["project"], second["department"], second.get("form")) == ("乙项目", "某局", None)
    assert found.unplaced == []


@pytest.mark.parametrize("labels", ["部门名称\t某局\n项目名称\t甲项目\n", "项目名称\t甲项目\n部门名称\t某局\n"],
                         ids=["department-first", "project-first"])
def test_a_project_name_names_the_department_table(tmp_path, labels):
    # 项目名称 and 部门名称 above one header are one table: named by its 项目名称, the 部门名称 its department
    table = tmp_path / "t.txt"
    table.write_text("部门预算财政支出绩效目标申报表\n" + labels + _HEADER +
                     "\t产出指标\t数量指标\t人数\t30人\t数量指标\t人数\t10人\n", encoding="utf-8")
    found = extract(table)
    (only,) = found.projects
    assert (only["project"], only["department"], only.get("form")) == ("甲项目", "某局", None)
    assert found.unplaced == []


def test_a_project_table_after_a_department_table_is_a_project(tmp_path):
    # the form set by 部门整体支出绩效目标申报表 was never reset: a later table titled only （2024年度） came out
    # "form": "department"
    table = tmp_path / "t.txt"
    table.write_text("部门整体支出绩效目标申报表\n部门名称\t某局\n" + _HEADER.removeprefix("绩效指标\t") +
                     "产出指标\t数量指标\t人数\t100人\t数量指标\t人数\t100人\n"
                     "（2024年度）\n项目名称\t运行经费\n" + _HEADER.removeprefix("绩效指标\t") +
                     "产出指标\t数量指标\t次数\t10次\t数量指标\t次数\t10次\n", encoding="utf-8")
    found = extract(table)
    first, second = found.projects
    assert (first["project"], first["form"]) == ("某局部门整体", "department")
    assert (second["project"], second["year"], second.get("form")) == ("运行经费", 2024, None)
    assert [(i["level3"], i["target"]) for i in second["indicators"]] == [("次数", "10次")]
    assert found.unplaced == []


def _funds(path: Path, label: str, annual: str) -> Path:
    """A table in this layout whose 项目资金 rows (as seed 003 writes them) give `label` and the annual `annual`."""
    path.write_text("部门预算财政支出绩效目标申报表\n项目名称\t甲项目\n"
                    f"{label}\t中期资金总额：\t3600\t\t年度资金总额：\t{annual}\t\n"
                    f"\t其中：财政拨款\t3600\t\t其中：财政拨款\t{annual}\t\n\t其他资金\t\t\t其他资金\t\t\n" + _HEADER +
                    "\t产出指标\t数量指标\t人数\t30人\t数量指标\t人数\t10人\n", encoding="utf-8")
    return path


@pytest.mark.parametrize("label, annual, budget", [
    ("项目资金（单位：元）", "1200", ("元", 1200)),  # the unit was written "单位：元"
    ("项目资金（万元）", "1,200", ("万元", 1200)),  # dropped, nothing listed
    ("项目资金（元）", "500万元", ("万元", 500)),  # dropped, nothing listed
    ("项目资金(人民币元)", "1200", ("元", 1200)),  # the unit was written "人民币元"
    ("项目资金", "93.0", ("万元", 93)),
], ids=["unit-note", "thousands", "unit-in-amount", "renminbi", "no-unit"])
def test_a_project_budget_is_read_in_its_unit(tmp_path, label, annual, budget):
    found = extract(_funds(tmp_path / "t.txt", label, annual))
    assert found.layout == "mid-long-term"
    assert (found.projects[0]["budget"], found.unplaced) == (
        {"unit": budget[0], "initial": budget[1], "full_year": budget[1]}, [])


@pytest.mark.parametrize("label, annual", [("项目资金（美元）", "1200"), ("项目资金（万元）", "待定"),
                                           ("项目资金（万元）", "500~600")], ids=["dollars", "no-amount", "range"])
def test_a_project_budget_not_read_is_listed(tmp_path, label, annual):
    # "unit": "美元" was written into the goals file; 待定 and 500~600 were dropped and nothing listed
    found = extract(_funds(tmp_path / "t.txt", label, annual))
    assert "budget" not in found.projects[0]
    assert found.unplaced == [f"t.txt line 3: 年度资金总额 gives no amount, not read: "
                              f"{label} | 中期资金总额： | 3600 | 年度资金总额： | {annual}"]


def test_a_project_funds_row_without_an_annual_amount_is_listed(tmp_path):
    # 项目资金 written with one amount, no 年度资金总额: nothing read, nothing listed
    path = _funds(tmp_path / "t.txt", "项目资金（万元）", "93.0")
    path.write_text(path.read_text(encoding="utf-8").replace("中期资金总额：\t3600\t\t年度资金总额：\t93.0", "93.0"),
                    encoding="utf-8")
    found = extract(path)
    assert "budget" not in found.projects[0]
    assert found.unplaced == ["t.txt line 3: 项目资金 row without 年度资金总额, not read: 项目资金（万元） | 93.0"]
