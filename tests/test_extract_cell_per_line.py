"""Layout `cell-per-line` (scoring/extract/cell_per_line.py) on seed 004: 大厂回族自治县医疗保障局, 2021, a docx
turned to text. Expected values were read from the seed by hand (line numbers are the seed's)."""
from __future__ import annotations

from pathlib import Path

import pytest

from scoring.extract import LAYOUTS, cell_per_line, extract, load_document  # noqa: F401 (registers the layout)

HERE = Path(__file__).parent
SEED = HERE / "seeds" / "004_a298566b0f87c85f.txt"
OTHER_SEEDS = ["000_d56401c9c1718dce.txt", "001_034170035030169e.txt", "002_a5be6b874b367bd5.txt",
               "003_0c1dd9ea3e34f943.txt"]
DEPARTMENT = "大厂回族自治县医疗保障局"

# (project, indicators, one indicator: id, level1, level2, level3, target, budget in 万元 or None)
PROJECTS = [
    ("大厂回族自治县医疗保障局部门整体支出", 5, "1", "部门产出", "数量", "保障部门开展活动", "=4部门", None),  # l.100
    ("医保基金监管专项检查经费", 7, "5", "产出指标", "成本指标", "聘请医疗保障业务专业人员费用", "≤2万元", None),
    ("城乡居民参保扩面保障经费", 8, "5", "产出指标", "成本指标", "宣传资料的印制费用", "≤2元/册", None),
    ("医疗保障局开办费", 10, "4", "产出指标", "时效指标", "项目完成时间", "在2021年12月31日前完成", None),
    ("法律顾问聘请费", 6, "4", "产出指标", "成本指标", "法律顾问月均成本", "833.33元", None),
    ("家庭签约医生服务费(医保部分)", 6, "3", "产出指标", "时效指标", "发放时间", "12月份", 90.0),
    ("通用办公设备及家具配置费用资金", 16, "14", "产出指标", "成本指标", "办公设备及家具成本", "≤6980元", None),
    ("档案整理服务项目资金", 7, "4", "产出指标", "时效指标", "资金支付时间", "2021年6月30日前完成", 83.2054),
    ("网络设备软件运行保障经费", 8, "3", "产出指标", "时效指标", "故障排除时间", "≤365天", None),
    ("关于提前下达2021年中央财政医疗救助补助资金预算(第一批)的通知(冀财社(2020)147号)", 6, "4",
     "产出指标", "成本指标", "人均救助金额", "2700元", None),
    ("医疗保障服务经费", 6, "1", "产出指标", "数量指标", "政府购买服务人数17", "17名", None),
    ("机房系统建设项目资金", 7, "4", "产出指标", "成本指标", "系统建设2021年度成本", "17.06万元", None),
    ("城乡医疗救助资金", 6, "1", "产出指标", "数量指标", "人员数量", "≤20万人", None),
    ("办公楼老旧设施改造项目资金", 7, "3", "产出指标", "时效指标", "设施维修维护完成时间", "12月", 30.0),
    ("残疾人就业保障资金", 5, "4", "效果指标", "社会效益指标", "社会影响力", "≥95比例", None),
    ("关于提前下达2021年省级财政医疗救助补助资金的通知(冀财社(2020)195号)", 6, "6",
     "满意度指标", "服务对象满意度指标", "受益群众满意度", "≥90百分比", None),
    ("打击欺诈骗保专项工作经费", 8, "1", "产出指标", "数量指标", "宣传印刷品数量", "12800册", None),
    ("办公楼维修改造项目资金", 6, "3", "产出指标", "时效指标", "基础设施修缮及时率", "3个月", 56.35),
    ("经办机构标准化建设现场观摩会政务服务智慧化软硬件购置资金", 10, "6", "产出指标", "时效指标", "完工时间", "合同",
     28.03),
    ("购置医保费用智能审核系统", 6, "4", "产出指标", "成本指标", "购置审核系统成本", "24万元", None),
    ("关于提前下达2021年省级财政城乡居民医保村级代办员补助资金的通知(冀财社(2020)201号)", 7, "6",
     "效果指标", "社会效益指标", "服务覆盖面", "≤90比率", None),
    ("医保经办业务保障经费", 7, "1", "产出指标", "数量指标", "购买政策宣传册数量", "3万册", None),
    ("退役军人辅助性岗位劳务费", 7, "1", "产出指标", "数量指标", "补助数量（人）", "1人", None),
    ("支付省级以上劳模及计生后遗症报销费用", 7, "4", "产出指标", "时效指标", "异地就医审核批复及时率", "≤6月份",
     None),
]


@pytest.fixture(scope="module")
def found():
    return extract(SEED)


def test_layout_detected(found):
    assert found.layout == "cell-per-line"
    assert LAYOUTS["cell-per-line"].detect(load_document(SEED)) > 0.5


@pytest.mark.parametrize("name", OTHER_SEEDS)
def test_other_seeds_not_this_layout(name):
    path = Path("/work/shared/seeds") / name
    if not path.exists():
        pytest.skip("shared seeds not present")
    assert LAYOUTS["cell-per-line"].detect(load_document(path)) == 0


def test_spreadsheet_not_this_layout(tmp_path):
    sheet = tmp_path / "t.csv"
    sheet.write_text("一级指标,二级指标,三级指标,指标值\n产出指标,数量指标,x,1\n", encoding="utf-8")
    assert LAYOUTS["cell-per-line"].detect(load_document(sheet)) == 0


def test_counts(found):
    # 1 department table (5 indicators, lines 100-191) + 23 project tables (169 indicators, lines 199-1946)
    assert len(found.projects) == 24
    assert sum(len(p["indicators"]) for p in found.projects) == 174
    assert found.unplaced == []


@pytest.mark.parametrize("at, expected", list(enumerate(PROJECTS)))
def test_every_project(found, at, expected):
    name, count, ident, level1, level2, level3, target, budget = expected
    got = found.projects[at]
    assert got["project"] == name
    assert got["department"] == DEPARTMENT and got["year"] == 2021
    assert len(got["indicators"]) == count
    ind = next(i for i in got["indicators"] if i["id"] == ident)
    assert (ind["level1"], ind["level2"], ind["level3"], ind["target"]) == (level1, level2, level3, target)
    if budget is None:
        assert "budget" not in got
    else:
        assert got["budget"] == {"unit": "万元", "initial": budget, "full_year": budget}
    assert got["goal"]


def test_department_table(found):
    dept = found.projects[0]
    # 符号 / 值 / 单位 joined; the 评（扣）分标准 cell is the rule; 成本, 经济效益, 生态效益, 可持续影响 rows are empty
    assert [(i["level2"], i["level3"], i["target"]) for i in dept["indicators"]] == [
        ("数量", "保障部门开展活动", "=4部门"),
        ("质量", "硬件设备合格率", "=100比例"),
        ("时效", "当年完成", "=100比例"),
        ("社会效益", "宣传知晓率", "≥90比例"),  # 社会 / 效益 on two lines in the cell
        ("满意度", "服务对象满意度", "≥95比例"),
    ]
    assert dept["indicators"][0]["rule"] == "偏离指标值1部门,减数量分值10%,低于70%不得分"
    assert dept["indicators"][1]["rule"] == "合格率为100%为满分,每降低5%扣指标分值的5%.,低于70%不得分"
    assert dept["indicators"][2]["rule"] == "按时完成得满分,每延迟一天扣指标分值的5%.,低于70%不得分"
    assert dept["indicators"][3]["rule"] == "参保群众和定点医疗机构知晓率大于等于90%得满分,每降低5%,扣指标值5%,知晓率低于60%得0份."
    assert dept["indicators"][4]["rule"] == "满意度为95%以上得满分,每降低5%,扣5分值5%,满意度低于60%不得分"
    assert dept["indicators"][4]["level1"] == "部门效果"  # merged 一级 cell
    assert dept["goal"].startswith("以习近平新时代中国特色社会主义思想为指导")  # （一）总体绩效目标, line 54


def test_rule_from_the_basis_cell_of_project_18(found):
    project = found.projects[18]
    timely = project["indicators"][5]
    assert (timely["level3"], timely["target"]) == ("完工时间", "合同")
    assert timely["rule"] == "未达到完成时限，每延期一天减时效分值1%，延期超过50%得0分。"
    # only that 依据 cell reads as a rule: no other project indicator has one
    ruled = [(p["project"], i["level3"]) for p in found.projects[1:] for i in p["indicators"] if "rule" in i]
    assert ruled == [(project["project"], "完工时间")]


def test_merged_level_cells_and_goal(found):
    first = found.projects[1]
    assert [i["level1"] for i in first["indicators"]] == ["产出指标"] * 5 + ["效果指标", "满意度指标"]
    assert first["goal"] == ("1.通过开展此项工作，提升医保基金监管能力。\n2.通过开展此项工作，提升医保基金监管能力。\n"
                             "3.通过开展此项工作，提升医保基金监管能力。")
    assert found.projects[22]["indicators"][0]["target"] == "1人"  # written '1人 ' (line 1825)


def test_unplaced_rows_are_reported(tmp_path):
    text = ("1.甲项目绩效目标表\n\n\t绩效目标\n\t做好甲\n\n\t一级指标\n\t二级指标\n\t三级指标\n\t绩效指标描述\n\t指标值\n"
            "\t指标值确定依据\n\n\t产出指标\n\t数量指标\n\t件数\n\t件数\n\t3件\n\t依据\n\n"
            "\t\n\t\n\t\n\t\n\t5件\n\t依据\n\n\t\n\t质量指标\n\t合格率\n\t100%\n\n")
    path = tmp_path / "t.txt"
    path.write_text(text, encoding="utf-8")
    found = extract(path)
    assert found.projects[0]["project"] == "甲项目" and found.projects[0]["goal"] == "做好甲"
    assert len(found.projects[0]["indicators"]) == 1
    assert len(found.unplaced) == 2
    assert found.unplaced[0].startswith("t.txt line 20: no 三级指标") and "5件" in found.unplaced[0]
    assert found.unplaced[1].startswith("t.txt line 27: row of 4 cells")
