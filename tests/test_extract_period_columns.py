"""Layout `period-columns` on seed 001 (湛江市医疗保障局, 2024): a department-level table (部门整体预算绩效目标表,
one 指标值 column, indicators numbered 指标1 … 指标24), then two project tables with 实施周期指标值 and
当年度指标值 columns. Expected values read by hand from the seed."""
from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from scoring.extract import LAYOUTS, extract, load_document
from scoring.extract import period_columns  # noqa: F401  (registers the layout for LAYOUTS)

HERE = Path(__file__).parent
SEED = HERE / "seeds" / "001_034170035030169e.txt"
BUREAU = "湛江市医疗保障局"


@pytest.fixture(scope="module")
def found():
    return extract(SEED)


def test_layout_detected_and_counts(found):
    assert found.layout == "period-columns"
    assert [p["project"] for p in found.projects] == [f"{BUREAU}部门整体", "城乡居民医保市级财政补助资金",
                                                      "基本医疗保险第三方支付评审服务项目"]
    assert [len(p["indicators"]) for p in found.projects] == [24, 8, 10]  # lines 21-45, 59-66, 80-89
    assert found.unplaced == []  # budget, 重点工作任务 and 项目概述 rows are read past, not table content


def test_only_this_layout_recognises_the_seed():
    assert LAYOUTS["period-columns"].detect(load_document(SEED)) > 0.5
    other_seeds = [p for p in (HERE / "seeds").glob("*.txt") if p.name != SEED.name]
    for other in other_seeds:
        assert LAYOUTS["period-columns"].detect(load_document(other)) == 0, other.name


def test_detect_refuses_a_spreadsheet(tmp_path):
    sheet = tmp_path / "g.csv"
    sheet.write_text("一级指标,二级指标,三级指标,实施周期指标值,当年度指标值\n产出指标,数量指标,人数,1,1\n",
                     encoding="utf-8")
    assert LAYOUTS["period-columns"].detect(load_document(sheet)) == 0


def _ind(p: dict, number: int) -> tuple[str, str, str, str]:
    ind = p["indicators"][number - 1]
    assert ind["id"] == str(number) and "rule" not in ind
    return ind["level1"], ind["level2"], ind["level3"], ind["target"]


def test_department_table(found):
    dept = found.projects[0]
    assert dept["department"] == BUREAU and dept["year"] == 2024 and "agency" not in dept
    assert dept["budget"] == {"unit": "万元", "initial": 31729.96, "full_year": 31729.96}  # 764.88 + 30965.08
    assert dept["goal"].startswith("目标1: 持续加强党建引领高质量发展\n目标2: ")
    assert dept["goal"].endswith("推进医疗保障标准化工作。") and dept["goal"].count("\n") == 14
    assert _ind(dept, 1) == ("产出指标", "数量指标", "参保人数（人）", "≥ 600万人")  # 指标1: prefix dropped
    assert _ind(dept, 4) == ("产出指标", "质量指标", "以常住人口数为基数计算的基本参保综合参保率 (%)", "95")
    assert _ind(dept, 12) == ("产出指标", "成本指标", "城乡居民医保市级财政补助标准 (元)", "50.25元/人/年")
    # 社会效益指标 lost its 一级 cell: a merged 产出指标 cannot span it, it belongs to 效益指标
    assert _ind(dept, 15) == ("效益指标", "社会效益指标", "每年综合评价次数良好率 (%)", "≥95%")
    # line 39: 指标18 sits in the 一级 column and its value in the 三级 column
    assert _ind(dept, 18) == ("效益指标", "社会效益指标", "医保第三方审核服务", "有所提升")
    # line 40: 生态效益指标 in the 一级 column is a 二级
    assert _ind(dept, 19) == ("效益指标", "生态效益指标", "对生态无影响", "100%")
    assert _ind(dept, 24) == ("满意度指标", "服务对象 满意度指标",
                              "基本医疗保险支付审核服务项目参保对象满意度 (%)", "≥95%")


def test_first_project_takes_the_annual_column(found):
    p = found.projects[1]
    assert (p["department"], p["agency"], p["year"]) == (BUREAU, BUREAU, 2024)
    assert p["budget"] == {"unit": "万元", "initial": 29814.84, "full_year": 29814.84}  # 当年度金额（万元）
    assert p["goal"] == "1:巩固参保率 2:稳步提高保障水平 3:实现基金收支平衡"
    assert _ind(p, 1) == ("产出指标", "数量指标", "参保人数（万人）", "≥600")
    assert _ind(p, 6) == ("产出指标", "成本指标", "项目投入成本（万元）", "29814.8")
    # line 66: shifted one cell left (满意度指标 in the 绩效指标 column, the last cell empty)
    assert _ind(p, 8) == ("满意度指标", "服务对象满意度指标", "参保对象满意度（%）", "≥85%")


def test_second_project(found):
    p = found.projects[2]
    assert (p["department"], p["agency"], p["year"]) == (BUREAU, BUREAU, 2024)
    assert p["budget"] == {"unit": "万元", "initial": 200.0, "full_year": 200.0}
    assert p["goal"].startswith("1: 建设实时在线智能监控系统") and p["goal"].endswith("7: 提供举报投诉服务")
    assert _ind(p, 1) == ("产出指标", "数量指标", "全市医疗保险单据审核量", "1")
    assert _ind(p, 6) == ("效益指标", "经济效益指标", "每年次均医保报销住院费用增长率(%)", "≤8%")
    assert _ind(p, 9) == ("效益指标", "可持续影响指标", "医保基金整体支出的年度增长率(%)", "<10%")
    assert _ind(p, 10) == ("满意度指标", "服务对象满意度指标", "参保对象满意度(%)", "≥95%")


def _department(path: Path, parts: list[list[str]]) -> Path:
    """A department table in this layout whose 预算整体情况 block (预算金额（万元） headings) holds `parts`."""
    rows = [["某局部门整体支出绩效目标表"], ["部门名称", "某局"], ["预算整体情况", "部门预算支出", "预算金额（万元）", "收入来源", "预算金额（万元）"],
            *parts, ["绩效指标", "一级指标", "二级指标", "三级指标", "实施周期指标值", "当年度指标值"],
            ["", "产出指标", "数量指标", "人数", "≥10人", "≥10人"]]
    path.write_text("\n".join("\t".join(row) for row in rows) + "\n", encoding="utf-8")
    return path


@pytest.mark.parametrize("parts, budget, unplaced", [
    # each part's unit was dropped: 1000元 + 2000.5元 added as 3000.5万元
    ([["", "基本支出（元）", "1000"], ["", "项目支出（元）", "2000.5"]], ("元", 3000.5), []),
    # 1000元 was added as 1000万元: 1050万元; 1000元 is 0.1万元, in another unit than the 50万元 above: listed
    ([["", "基本支出", "50"], ["", "项目支出（元）", "1000"]], ("万元", 50),
     ["t.txt line 5: in 元, not in 万元 as the 基本支出 or 项目支出 above; not read: 项目支出（元） | 1000"]),
    # a part without an amount was left out silently
    ([["", "基本支出", "50"], ["", "项目支出", "详见各项目"]], ("万元", 50),
     ["t.txt line 5: above the header, not read: 项目支出 | 详见各项目"]),
    # a part written with its unit (50万元) was no number: left out
    ([["", "基本支出", "50万元"], ["", "项目支出", "30"]], ("万元", 80), []),
], ids=["yuan", "two-units", "no-amount", "written-unit"])
def test_a_department_budget_reads_each_part_in_its_unit(tmp_path, parts, budget, unplaced):
    found = extract(_department(tmp_path / "t.txt", parts))
    unit, amount = budget
    assert found.layout == "period-columns"
    assert found.projects[0]["budget"] == {"unit": unit, "initial": amount, "full_year": amount}
    assert found.unplaced == unplaced


@pytest.mark.parametrize("parts", [
    [["", "基本支出（元）", "1000"], ["", "项目支出（元）", "2000.5"]],
    [["", "基本支出", "2024年 50万元"], ["", "项目支出（元）", "1000"], ["", "项目支出", "详见各项目"]],
    [["", "基本支出（50万元）"], ["", "项目支出（30）"]],
], ids=["yuan", "year-units-none", "bracketed"])
def test_a_department_budget_is_read_as_the_spreadsheet_reads_it(tmp_path, parts):
    # the two readers read 基本支出 and 项目支出 each their own way: 1000元 was 1000万元 here, 元 in the spreadsheet
    text = extract(_department(tmp_path / "t.txt", parts))
    book = openpyxl.Workbook()
    for line in (tmp_path / "t.txt").read_text(encoding="utf-8").splitlines():
        book.active.append(line.split("\t"))
    book.save(tmp_path / "t.xlsx")
    sheet = extract(tmp_path / "t.xlsx")
    assert (text.layout, sheet.layout) == ("period-columns", "spreadsheet")
    assert text.projects[0]["budget"] == sheet.projects[0]["budget"]
    assert [n.split(": ", 1)[1] for n in text.unplaced] == [n.split(": ", 1)[1] for n in sheet.unplaced]


def _project(path: Path, amounts: list[str]) -> Path:
    """A project table in this layout whose 预算金额 row holds `amounts`."""
    rows = [["2024年项目支出绩效目标表"], ["项目名称", "项目甲"], ["预算金额", *amounts],
            ["绩效指标", "一级指标", "二级指标", "三级指标", "实施周期指标值", "当年度指标值"],
            ["", "产出指标", "数量指标", "人数", "≥10人", "≥10人"]]
    path.write_text("\n".join("\t".join(row) for row in rows) + "\n", encoding="utf-8")
    return path


@pytest.mark.parametrize("amounts, budget, unplaced", [
    # 500万元 was no number: the 总金额 1000万元 was taken for the year's budget
    (["总金额（万元）", "1000", "当年度金额（万元）", "500万元"], ("万元", 500), []),
    # 80万 under 元 is 800000元 (80 × 10000); the 总金额 was taken
    (["总金额（元）", "1000000", "当年度金额（元）", "80万"], ("元", 800000), []),
    # no amount for the year: the 总金额 was taken silently
    (["总金额（万元）", "1000", "当年度金额（万元）", "待定"], None,
     ["t.txt line 3: not read: 当年度金额（万元） | 待定"]),
    (["总金额（万元）", "1000", "当年度金额（万元）", ""], ("万元", 1000), []),
], ids=["written-unit", "wan-under-yuan", "no-amount", "no-annual"])
def test_a_project_budget_is_its_annual_amount(tmp_path, amounts, budget, unplaced):
    found = extract(_project(tmp_path / "t.txt", amounts))
    assert found.layout == "period-columns"
    expected = {"unit": budget[0], "initial": budget[1], "full_year": budget[1]} if budget else None
    assert found.projects[0].get("budget") == expected
    assert found.unplaced == unplaced


@pytest.mark.parametrize("amounts, budget", [
    # 500000万元: only a bracket that is a unit and nothing else gave the unit
    (["总金额（单位：元）", "1000000", "当年度金额（单位：元）", "500000"], ("元", 500000)),
    (["总金额（金额单位：元）", "1000000", "当年度金额（金额单位：元）", "500000"], ("元", 500000)),
], ids=["unit-note", "amount-unit-note"])
def test_a_project_budget_label_with_a_unit_note(tmp_path, amounts, budget):
    found = extract(_project(tmp_path / "t.txt", amounts))
    assert (found.projects[0]["budget"], found.unplaced) == (
        {"unit": budget[0], "initial": budget[1], "full_year": budget[1]}, [])


def test_a_department_budget_heading_with_a_unit_note(tmp_path):
    # the goals file's unit was "单位：元", the heading's bracket whole
    path = _department(tmp_path / "t.txt", [["", "基本支出", "1000"], ["", "项目支出", "2000"]])
    path.write_text(path.read_text(encoding="utf-8").replace("预算金额（万元）", "预算金额（单位：元）"), encoding="utf-8")
    found = extract(path)
    assert (found.projects[0]["budget"], found.unplaced) == ({"unit": "元", "initial": 3000, "full_year": 3000}, [])


@pytest.mark.parametrize("annual", ["/", "—", "-", "－", "无"])
def test_an_annual_amount_written_as_none_falls_back_to_the_total(tmp_path, annual):
    # `/`, `—`, `-` were listed as not read (no budget), `无` was a budget of 0.0万元; a blank gives the 总金额
    found = extract(_project(tmp_path / "t.txt", ["总金额（万元）", "1000", "当年度金额（万元）", annual]))
    assert (found.projects[0]["budget"], found.unplaced) == ({"unit": "万元", "initial": 1000, "full_year": 1000}, [])


@pytest.mark.parametrize("amounts, budget", [
    (["当年度金额（人民币元）", "5000"], ("元", 5000)), (["当年度金额", "500", "元"], ("元", 500)),
    (["当年度金额（万元）", "500（万元）"], ("万元", 500))], ids=["renminbi", "unit-after", "bracketed-unit"])
def test_a_project_budget_unit_written_in_other_ways(tmp_path, amounts, budget):
    # 5000万元, 500万元: the unit was not read; 500（万元） was refused
    found = extract(_project(tmp_path / "t.txt", amounts))
    assert (found.projects[0]["budget"], found.unplaced) == (
        {"unit": budget[0], "initial": budget[1], "full_year": budget[1]}, [])


def test_a_project_budget_unit_not_read_is_listed(tmp_path):
    found = extract(_project(tmp_path / "t.txt", ["当年度金额（美元）", "5000"]))
    assert ("budget" in found.projects[0], found.unplaced) == (False, ["t.txt line 3: not read: 当年度金额（美元） | 5000"])


def test_an_annual_amount_of_zero_written_as_a_word_is_listed(tmp_path):
    # 零 is an amount (0), not none written as 无 is: the 总金额 is not taken for the year's, nor is 零 read
    found = extract(_project(tmp_path / "t.txt", ["总金额（万元）", "1000", "当年度金额（万元）", "零"]))
    assert ("budget" in found.projects[0], found.unplaced) == (False, ["t.txt line 3: not read: 当年度金额（万元） | 零"])
