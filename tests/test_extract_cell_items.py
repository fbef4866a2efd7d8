"""Layout `cell-items` on seed 000 (广州市医疗保障局 and its two centres, 2020): tab-separated rows, every
project's indicators numbered items in ONE cell. Expected values read by hand from the seed."""
from __future__ import annotations

from pathlib import Path

import pytest

from scoring.extract import extract, load_document, LAYOUTS
from scoring.extract import cell_items  # noqa: F401  (registers the layout for LAYOUTS)

HERE = Path(__file__).parent
SEED = HERE / "seeds" / "000_d56401c9c1718dce.txt"
BUREAU, INSURANCE, AID = "广州市医疗保障局", "广州市医疗保险服务中心", "广州市医疗救助服务中心"


@pytest.fixture(scope="module")
def found():
    return extract(SEED)


def test_layout_detected_and_counts(found):
    assert found.layout == "cell-items"
    assert len(found.projects) == 15  # 3 under 310001, 7 under 310002, 5 under 310003
    assert sum(len(p["indicators"]) for p in found.projects) == 111  # 30 + 47 + 34
    assert found.unplaced == []  # the 合计 row, headings and column numbers are understood, not table content


def test_no_levels_above_level3(found):
    assert all(ind["level1"] == "" and ind["level2"] == "" and "rule" not in ind
               for p in found.projects for ind in p["indicators"])


# (unit, project, 2020年预算 in 万元, number of items, (item number, name, target) spot-checks)
PROJECTS = [
    (BUREAU, "运行经费", 366.48, 16, [(1, "空气质量检测合格率", "100%"),
                                   (12, "因公出国（境）经费支出合规性", "合规"), (14, "办公环境满意率", "90%")]),
    (BUREAU, "医疗保障事业发展经费", 333.05, 9, [
        (5, "完成国家医保局、省医保局下达的医保基金非现场监督任务", "疑点数据产生的相关问题不得出现被省医保局通报批评的情况（零通报批评）"),
        (9, "参保人数", "计划全年参保的人数457.63万人")]),  # the one item with no bracketed explanation
    (BUREAU, "信息化运维服务经费", 26.44, 5, [(2, "OA系统使用对象满意度", "不低于80%"),
                                        (3, "OA处理公文时效性", "不出现超期公文")]),
    (INSURANCE, "购置经费", 260.0, 6, [(2, "办公家具和办公设备购置数量", "138件（套）"),
                                    (6, "购买/租赁软件数量计划完成率", "100%")]),
    (INSURANCE, "广州地区医疗机构药品（医用耗材）集团采购工作经费", 868.0, 9, [(5, "在线结算金额", "约200亿元"),
                                                               (8, "优化营商环境", "约2500家企业")]),
    (INSURANCE, "运行经费", 2890.54, 7, [(1, "业务档案整理量", "约356万页"),
                                      (5, "新增定点医药、长护机构数量", "新增定点医药机构600家、新增定点长护机构40家")]),
    (INSURANCE, "医保财政补助项目", 445304.81, 7, [(2, "保障城乡居民医保待遇", "达到75%以上"),
                                             (5, "城乡居民资助金划拨进度", "上半年划拨进度达全年资助金的70%")]),
    (INSURANCE, "信息化运维服务经费", 1370.86, 6, [(1, "灾难恢复能力", "较快"),
                                            (2, "医保局中心端系统应用数量", "400个以上的应用终端")]),
    (INSURANCE, "信息化建设开发经费", 859.49, 6, [(3, "安装维护简易程度", "较为容易"),
                                           (5, "按病种分值付费系统提供服务给医疗机构的数量", "约1000家")]),
    (INSURANCE, "房屋维护维修经费", 282.31, 6, [(4, "场地面积数", "约4865平方米"), (6, "开展房屋维护维修年限", "3年")]),
    (AID, "信息化建设开发经费", 33.0, 6, [(2, "困难群众超额救助人数", "困难群众超额救助人数为0"),
                                     (6, "记账减免比例", "85%以上")]),  # explanation with nested brackets
    (AID, "购置经费", 14.2, 6, [(4, "设备使用率", "100%"), (6, "设置购置数量", "1台")]),
    (AID, "困难群众医疗救助项目", 28264.59, 10, [(4, "救助人员比例", "100%"), (6, "质量等级评定", "良以上"),
                                          (10, "医疗救助覆盖率", "100%")]),
    (AID, "运行经费", 31.0, 6, [(3, "档案验收合格率", "合格"), (6, "外出考察次数", "按计划执行")]),
    (AID, "信息化运维服务经费", 34.53, 6, [(1, "用户月投诉宗数", "少于5宗"), (6, "运维服务质量抽查合格率", "100%")]),
]


@pytest.mark.parametrize("position", range(len(PROJECTS)), ids=[f"{u[-4:]}:{p}" for u, p, *_ in PROJECTS])
def test_every_project(found, position):
    unit, name, budget, count, checks = PROJECTS[position]
    got = found.projects[position]
    # a name that several units use gets its unit in brackets: a goals file names each project once
    repeated = sum(p[1] == name for p in PROJECTS) > 1
    assert got["project"] == (f"{name}（{unit}）" if repeated else name)
    assert got["department"] == "广州市医疗保障局" and got["agency"] == unit  # 部门名称 above every table
    assert got["year"] == 2020
    assert got["budget"] == {"unit": "万元", "initial": budget, "full_year": budget}
    assert len(got["indicators"]) == count
    assert [ind["id"] for ind in got["indicators"]] == [str(i) for i in range(1, count + 1)]
    for number, level3, target in checks:
        ind = got["indicators"][number - 1]
        assert (ind["level3"], ind["target"]) == (level3, target)


def test_goal_is_the_project_goal_cell(found):
    assert found.projects[0]["goal"].startswith("通过开展运行保障项目，加强干部职工业务知识培训")
    assert found.projects[-1]["goal"] == "保障广州市医疗救助综合平台安全、稳定运行，确保全市医疗救助工作稳定有序进行。"


def test_detects_only_its_own_layout(tmp_path):
    seeds = HERE / "seeds"
    assert LAYOUTS["cell-items"].detect(load_document(SEED)) > 0.5
    for other in ("002_a5be6b874b367bd5.txt",):
        if (seeds / other).exists():
            assert LAYOUTS["cell-items"].detect(load_document(seeds / other)) == 0
    sheet = tmp_path / "t.csv"
    sheet.write_text("单位编码,单位名称 (项目名称),2020年预算,项目内容,项目绩效目标,项目主要绩效指标\n", encoding="utf-8")
    assert LAYOUTS["cell-items"].detect(load_document(sheet)) == 0


def test_unplaced_names_what_it_could_not_read(tmp_path):
    table = tmp_path / "t.txt"
    table.write_text("单位编码\t单位名称 (项目名称)\t2021年预算\t项目内容\t项目绩效目标\t项目主要绩效指标\n"
                     "1\t2\t3\t4\t5\t6\n"
                     "9\t某单位\t\t\t\t\n"
                     "9\t甲项目\t1,000.50\t内容\t目标\t前言 1、满意度：(满意人数÷总人数)90% 2、没有冒号 3、完成率：(未闭合100%\n"
                     "9\t乙项目\t10\t内容\t目标\t\n", encoding="utf-8")
    got = extract(table)
    assert got.layout == "cell-items"
    (only,) = got.projects
    assert only["project"] == "甲项目" and only["year"] == 2021 and only["department"] == "某单位"
    assert only["budget"]["initial"] == 1000.5
    assert only["indicators"] == [{"id": "1", "level1": "", "level2": "", "level3": "满意度", "target": "90%",
                                   "description": "满意人数÷总人数"}]
    assert len(got.unplaced) == 4
    assert got.unplaced[0].startswith("t.txt line 4: text before item 1")
    assert "item 2" in got.unplaced[1] and "item 3" in got.unplaced[2]
    assert got.unplaced[3].startswith("t.txt line 5: a row without 绩效指标")


def test_repeated_names_are_noted(found):
    assert len(found.notes) == 10  # 运行经费 ×3, 信息化运维服务经费 ×3, 购置经费 ×2, 信息化建设开发经费 ×2
    assert "'运行经费' appears 3 times; this one is named '运行经费（广州市医疗保障局）'" in found.notes


def test_the_explanation_is_the_description(found):
    first = found.projects[0]["indicators"][0]
    assert first["description"] == "通过对装修的办公用房进行在空气质量检测，达到空气质量达标的办公环境。"


_HEADER = "单位编码\t单位名称 (项目名称)\t2021年预算\t项目内容\t项目绩效目标\t项目主要绩效指标\n"


def _one_project(tmp_path, items_cell):
    table = tmp_path / "t.txt"
    table.write_text(f"{_HEADER}9\t某单位\t\t\t\t\n9\t甲项目\t10\t内容\t目标\t{items_cell}\n", encoding="utf-8")
    found = extract(table)
    assert found.layout == "cell-items"
    (only,) = found.projects
    return [(ind["level3"], ind["target"]) for ind in only["indicators"]], found.unplaced


@pytest.mark.parametrize("number", ["{}.", "{}．", "{}、", "（{}）", "({})", "{})", "{}）"])
def test_items_in_every_numbering(tmp_path, number):
    # `1.` `（1）` `1)` numbered items were not read: "no indicators found as layout 'cell-items'"
    n = number.format
    cell = (f"<p>{n(1)}参训人数：(实际参训人数) 2.5万人</p><p>{n(2)}满意度：(满意人数÷总人数)≥98.5%；"
            f"{n(3)} 人均成本：1.5万元</p>")
    got, unplaced = _one_project(tmp_path, cell)
    assert got == [("参训人数", "2.5万人"), ("满意度", "≥98.5%"), ("人均成本", "1.5万元")]
    assert unplaced == []


def test_a_decimal_after_a_space_starts_no_item(tmp_path):
    # `2.5万元` stands where item 2 could start (after a space, the next number): a decimal, not a numbering
    got, unplaced = _one_project(tmp_path, "1.经费：(实际支出) 2.5万元 2.满意度：(调查) 3.5分以上 3.时效：12月底前")
    assert got == [("经费", "2.5万元"), ("满意度", "3.5分以上"), ("时效", "12月底前")]
    assert unplaced == []


def test_one_numbering_per_cell(tmp_path):
    # items numbered 1、 2、: a `(2)` or `3.` inside an item's value is text, not an item of another numbering
    got, unplaced = _one_project(tmp_path, "1、培训：分两期 (2) 期各50人 2、宣传：印发 3.折页 各1000份")
    assert got == [("培训", "分两期 (2) 期各50人"), ("宣传", "印发 3.折页 各1000份")]
    assert unplaced == []


@pytest.mark.parametrize("cell, next_item", [
    ("1、数量：10个（2）质量：合格", "（2）质量："), ("1、数量：10个2、质量：合格", "2、质量："),
    ("1、数量：10个(2) 质量：合格 3、时效：年底前", "(2) 质量："),
], ids=["（2）", "2、", "(2) then 3、"])
def test_an_item_holding_the_next_one_is_listed(tmp_path, cell, next_item):
    # item 2, numbered another way or written without a space before it, stayed silently in item 1's value
    got, unplaced = _one_project(tmp_path, cell)
    assert got == [("数量", cell[len("1、数量："):])]
    assert unplaced == [f"t.txt line 3: item 1 of '甲项目' ('数量'): its value holds what reads as item 2 "
                        f"('{next_item}'), kept in it: number the items alike, apart by a space or ；"]


def test_numbered_steps_in_the_explanation_are_not_an_item(tmp_path):
    got, unplaced = _one_project(tmp_path, "1、满意度：(（1）调查：问卷（2）统计：汇总)90%")
    assert got == [("满意度", "90%")]
    assert unplaced == []


@pytest.mark.parametrize("cell, items", [
    ("1.完成时间：2021. 2. 28 2.质量：合格", [("完成时间", "2021. 2. 28"), ("质量", "合格")]),
    ("1.完成时间：2021. 2. 2.质量：合格", [("完成时间", "2021. 2."), ("质量", "合格")]),
    ("1、完成时间：2021. 2. 28", [("完成时间", "2021. 2. 28")]),
    ("1.开工时间：2021. 2.完工时间：2022.", [("开工时间", "2021."), ("完工时间", "2022.")]),  # no date: 2. is item 2
], ids=["day", "month", "numbered-、", "year"])
def test_a_date_written_with_spaces_starts_no_item(tmp_path, cell, items):
    # `2021. 2. 28` in items numbered `1.`: its ` 2.` was read as item 2 ("28 2.质量": "合格"), the date cut to 2021.
    got, unplaced = _one_project(tmp_path, cell)
    assert got == items
    assert unplaced == []


@pytest.mark.parametrize("unit_line, unit", [("单位：人民币元", "元"), ("单位：万元", "万元"), ("金额单位：千元", "千元")],
                         ids=["renminbi", "wan", "amount-unit"])
def test_the_unit_line_gives_the_budget_unit(tmp_path, unit_line, unit):
    # 单位：人民币元 was written as the unit "人民币元"; 金额单位：千元 was not read: the budget was in 万元
    table = tmp_path / "t.txt"
    table.write_text(f"{unit_line}\n{_HEADER}9\t某单位\t\t\t\t\n9\t甲项目\t1,000.50\t内容\t目标\t1、人数：10人\n",
                     encoding="utf-8")
    found = extract(table)
    assert (found.projects[0]["budget"], found.unplaced) == ({"unit": unit, "initial": 1000.5, "full_year": 1000.5}, [])


@pytest.mark.parametrize("unit_line, unit", [("单位：美元", "美元"), ("单位：万元元", "万元元")], ids=["dollars", "doubled"])
def test_a_unit_line_not_read_gives_no_budget_and_is_listed(tmp_path, unit_line, unit):
    # the unit was written as it stands ("unit": "美元"), nothing listed
    table = tmp_path / "t.txt"
    table.write_text(f"{unit_line}\n{_HEADER}9\t某单位\t\t\t\t\n9\t甲项目\t1000\t内容\t目标\t1、人数：10人\n",
                     encoding="utf-8")
    found = extract(table)
    assert "budget" not in found.projects[0]
    assert found.unplaced == [f"t.txt line 1: unit of money '{unit}' not read; no budget is read under it"]
