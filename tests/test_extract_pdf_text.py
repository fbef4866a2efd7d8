"""Layout `pdf-text` on seed 002 (广州市医疗救助服务中心, 2023, text extracted from a PDF). Expected values read
by hand from the seed; the seed's line numbers are given where a value wraps."""
from __future__ import annotations

from pathlib import Path

import pytest

from scoring.extract import LAYOUTS, _load_layouts, extract, load_document

HERE = Path(__file__).parent
SEED = HERE / "seeds" / "002_a5be6b874b367bd5.txt"
AGENCY = "广州市医疗救助服务中心"


@pytest.fixture(scope="module")
def found():
    return extract(SEED)


def test_layout_detected_and_counts(found):
    assert found.layout == "pdf-text"
    assert len(found.projects) == 5
    assert sum(len(p["indicators"]) for p in found.projects) == 38  # 1 + 7 + 12 + 12 + 6
    assert found.unplaced == []  # headings, 合计, the unit's own row and 项目内容 are understood


def test_levels(found):
    inds = [ind for p in found.projects for ind in p["indicators"]]
    assert {ind["level1"] for ind in inds} == {"产出指标", "效益指标", "满意度指标"}
    assert all(ind["level2"] == "" and "rule" not in ind for ind in inds)


# (project, budget 总计 in 万元, goal start, number of items, (item, level1, level3, target) spot-checks)
PROJECTS = [
    ("机构运行辅助经费", 7.0, "围绕市医救中心业务工作 ，协助开展业务部门辅助工作 ，提升业务部门服务管理水平 。", 1,
     [(1, "产出指标", "人员到位率", "100%")]),  # the only item, unnumbered, on the goal's last line (26)
    ("医疗救助专项经费", 78.49, "通过国家医疗保障信息平台本地运营工作 、编印医疗救助宣传资料", 7,
     [(1, "产出指标", "运营业务需求完成率", "100%"),  # （%） is a unit note, left out of the name
      (4, "满意度指标", "政策知晓率", "≥85%"), (5, "产出指标", "培训人员到位率", "≥90%"),  # written `≥90% 。`
      (7, "产出指标", "评估报告数量", "1次")]),
    ("专项医疗救助金", 10000.0, "通过开展困难群众医疗救助项目 ，加强医疗救助力度，保障困难群众医疗救助权益 ，", 12,
     [(6, "产出指标", "医疗救助对象人次规模", "符合救助条件的对象按规定纳入救助范围"),  # value wraps, lines 93–95
      (8, "产出指标", "特困供养人员住院政策范围内基本医疗救助比例 （省财政指标 ）", "达到100%"),  # 年|度指标值, 98–100
      (9, "产出指标", "困难群众政策范围内个人自付费用年度限额内住院救助比例", "≥80%"),  # 年度指|标值, 102–104
      (12, "效益指标", "困难群众看病就医方便程度", "明显提高")]),
    ("基本医疗救助金", 15425.4, "通过开展困难群众医疗救助项目 ，", 12,
     [(1, "效益指标", "对健全医疗保障制度体系的作用", "成效明显"),
      (5, "产出指标", "“一站式”即时结算覆盖地区", "市域内覆盖100%"),
      (7, "产出指标", "符合资助参保条件的依申请 100%资助", "达到100%")]),
    ("广州市医疗救助服务中心 2023年国家医疗保障信息平台医疗救助模块本地化适配项目方案", 53.01,
     "根据国家医疗保障局 《关于医疗保障信息化工作的指导意见》以及国家、广东省、广州市的政策和业务部门的需求，", 6,
     [(1, "效益指标", "系统（平台）漏洞修复时间", "不超过2小时"),
      (2, "效益指标", "系统故障平均处理时间", "不超过2小时"),  # （小时） is a unit note
      (4, "产出指标", "正常运行率 （系统正常运行时间÷系统总运行时间×100%）", "正常运行时间不低于 99%"),  # a formula, kept
      (6, "产出指标", "系统用户数量", "系统支持最大的用户并发数 （50个）")]),
]


@pytest.mark.parametrize("position", range(len(PROJECTS)), ids=[p[0][:8] for p in PROJECTS])
def test_every_project(found, position):
    name, budget, goal, count, checks = PROJECTS[position]
    got = found.projects[position]
    assert got["project"] == name
    assert got["department"] == AGENCY and got["agency"] == AGENCY
    assert got["year"] == 2023
    assert got["budget"] == {"unit": "万元", "initial": budget, "full_year": budget}
    assert got["goal"].startswith(goal)
    assert len(got["indicators"]) == count
    for number, level1, level3, target in checks:
        ind = got["indicators"][number - 1]
        assert (ind["id"], ind["level1"], ind["level3"], ind["target"]) == (str(number), level1, level3, target)


def test_goal_ends_where_the_items_begin(found):
    assert found.projects[1]["goal"].endswith("提高医疗救助对象对政策的知晓程度，促进医疗救助事业的持续发展 。")
    assert found.projects[4]["goal"].endswith("为广州市医疗救助业务发展提供技术支撑 。")


def test_detects_only_its_own_layout(tmp_path):
    _load_layouts()  # the layouts register on the first extract, which this test does not make
    seeds = HERE / "seeds"
    assert LAYOUTS["pdf-text"].detect(load_document(SEED)) > 0.5
    for other in ("000_d56401c9c1718dce.txt", "004_a298566b0f87c85f.txt"):
        if (seeds / other).exists():
            assert LAYOUTS["pdf-text"].detect(load_document(seeds / other)) == 0
    sheet = tmp_path / "t.csv"
    sheet.write_text("一级指标,三级指标,年度指标值\n产出指标：数量,人数,年度指标值：10人\n", encoding="utf-8")
    assert LAYOUTS["pdf-text"].detect(load_document(sheet)) == 0


def test_unplaced_names_what_it_could_not_read(tmp_path):
    table = tmp_path / "t.txt"
    table.write_text("项目支出绩效目标表\n单位名称 ：某中心 单位：万元\n项目名称 项目内容 绩效目标 绩效指标\n"
                     "    甲项\n目\n内容写在这一栏里面，内容写在这一栏里面 1.00 1.00\n目标。\n"
                     "1、产出指标：人数，年度指标值 ：10\n人。\n2、效益指标：没有值的条目。\n"
                     "    乙项目\n只有内容没有金额和指标的一行文字\n", encoding="utf-8")
    got = extract(table)
    assert got.layout == "pdf-text"
    (only,) = got.projects
    assert only["project"] == "甲项目" and only["department"] == "某中心" and "year" not in only
    assert only["goal"] == "目标。" and only["budget"]["initial"] == 1.0
    assert [(i["level1"], i["level3"], i["target"]) for i in only["indicators"]] == [("产出指标", "人数", "10人")]
    assert len(got.unplaced) == 3
    assert got.unplaced[0].startswith("t.txt line 10: item") and "没有值的条目" in got.unplaced[0]
    assert got.unplaced[1].startswith("t.txt line 11: no line of amounts for '乙项目'")
    assert got.unplaced[2].startswith("t.txt line 11: no indicator items found for '乙项目'")


@pytest.mark.parametrize("title, form", [
    ("部门整体支出绩效目标表", "department"), ("项目支出绩效目标表", None),
    # a title wrapped over two lines, or without 绩效目标, was not read as the table's: marked a project
    ("某局2024年部门整体支出\n绩效目标表", "department"), ("某局2024年部门整体\n支出绩效目标表", "department"),
    ("某局2024年部门整体支出预算绩效表", "department"), ("某局2024年部门整体支出绩效目标申报表", "department"),
    # a title ending in another word than 绩效表 or 申报表 was no title: marked a project
    ("某局2024年部门整体支出绩效目标批复表", "department"), ("某局2024年部门整体支出绩效目标填报表", "department"),
    ("某局2024年部门整体支出绩效指标表", "department"), ("某局2024年部门整体绩效目标审核表", "department"),
    ("某局2024年部门整体支出绩效评价表", "department")])
def test_a_department_table_is_marked(tmp_path, title, form):
    # a 部门整体支出绩效目标表 was extracted as a project: scored and titled as one
    table = tmp_path / "t.txt"
    table.write_text(f"{title}\n单位名称 ：某局 单位：万元\n项目名称 项目内容 绩效目标 绩效指标\n"
                     "    某局\n内容 1.00 1.00\n目标。\n1、产出指标：人数，年度指标值 ：10人。\n", encoding="utf-8")
    (only,) = extract(table).projects
    assert (only["project"], only.get("form")) == ("某局", form)


def _forms(text, tmp_path):
    table = tmp_path / "t.txt"
    table.write_text(text, encoding="utf-8")
    found = extract(table)
    return [(p["project"], p.get("form"), p["agency"], p["year"], [(i["level3"], i["target"]) for i in p["indicators"]])
            for p in found.projects], found.unplaced


_DEPARTMENT_TITLE = "某局2024年部门整体支出绩效目标表\n单位名称 ：某局 单位：万元\n"
_DEPARTMENT_ITEM = "项目名称 项目内容 绩效目标 绩效指标\n    某局\n内容 9.00 9.00\n目标。\n"  # then its indicator lines
_DEPARTMENT_ROW = ("某局", "department", "某局", 2024, [("人数", "10人")])


_PROJECTS = ("项目名称 项目内容 绩效目标 绩效指标\n"
             "    甲项目\n内容 1.00 1.00\n目标。\n1、产出指标：户数，年度指标值 ：20户。\n"
             "    乙项目\n内容 2.00 2.00\n目标。\n1、产出指标：件数，年度指标值 ：30\n件。\n")


def test_only_a_table_titled_department_is_marked(tmp_path):
    # every project was marked "department": 部门整体 stood in the document's title, above the header
    got, unplaced = _forms("某局2024年部门整体支出及项目支出绩效目标\n项目支出绩效目标表\n单位名称 ：某局 单位：万元\n"
                           + _PROJECTS, tmp_path)
    assert got == [("甲项目", None, "某局", 2024, [("户数", "20户")]), ("乙项目", None, "某局", 2024, [("件数", "30件")])]
    assert unplaced == []


def test_a_department_table_then_a_project_table(tmp_path):
    # the project table's title and header were read into the department's item ("10人。项目支出绩效目标表…"),
    # and its projects marked "department"
    got, unplaced = _forms("某局2024年部门整体支出及项目支出绩效目标\n部门整体支出绩效目标表\n单位名称 ：某局 单位：万元\n"
                           + _DEPARTMENT_ITEM + "1、产出指标：人数，年度指标值 ：10人。\n"
                           "项目支出绩效目标表 （含转移支付项目 ）\n单位名称 ：某中心 单位：万元\n" + _PROJECTS, tmp_path)
    assert got == [_DEPARTMENT_ROW,
                   ("甲项目", None, "某中心", 2024, [("户数", "20户")]), ("乙项目", None, "某中心", 2024, [("件数", "30件")])]
    assert unplaced == []


_HEADED = "某中心2024年项目支出绩效目标表\n单位名称 ：某中心 单位：万元\n"
_BELOW = [("甲项目", None, "某中心", 2024, [("户数", "20户")]), ("乙项目", None, "某中心", 2024, [("件数", "30件")])]


@pytest.mark.parametrize("header", ["项目名称 项目内容 绩效目标绩效指标", "项目名称 项目内容 绩效指标 绩效目标",
                                    "其他资金 绩效目标绩效指标"])
def test_a_header_glued_or_in_the_other_order(tmp_path, header):
    # no header was found: the title, unit line and header became the first project's agency, nothing reported
    got, unplaced = _forms(_HEADED + header + "\n" + _PROJECTS.split("\n", 1)[1], tmp_path)
    assert (got, unplaced) == (_BELOW, [])


def test_prose_naming_both_columns_starts_no_table(tmp_path):
    # `绩效目标 绩效指标` inside a sentence began a new table: the goal was cut there
    got, unplaced = _forms(_HEADED + "项目名称 项目内容 绩效目标 绩效指标\n    甲项目\n内容 1.00 1.00\n"
                           "按绩效目标 绩效指标开展工作，\n完成本年绩效目标绩效指标\n。\n"
                           "1、产出指标：户数，年度指标值 ：20户。\n", tmp_path)
    assert (got, unplaced) == (_BELOW[:1], [])
    assert extract(tmp_path / "t.txt").projects[0]["goal"] == "按绩效目标 绩效指标开展工作，完成本年绩效目标绩效指标。"


_DEPARTMENT = _DEPARTMENT_TITLE + _DEPARTMENT_ITEM + "1、产出指标：人数，年度指标值 ：10\n人。\n"


@pytest.mark.parametrize("between, unit", [
    ("某中心2024年项目支出\n绩效目标表\n单位名称 ：某中心 单位：万元\n", "万元"),
    ("单位名称 ：某中心 单位：元\n", "元"),
    ("第 1 页\n项目支出绩效目标表\n单位名称 ：某中心 单位：万元\n", "万元")], ids=["wrapped", "unit-line", "footer"])
def test_the_lines_between_two_tables_are_the_second_ones(tmp_path, between, unit):
    # a wrapped title, a unit line or a page footer without 绩效目标 was glued onto the department's value
    # (`10人。单位名称 ：某中心 单位：元`), and the project table took the department's agency and unit
    got, unplaced = _forms(_DEPARTMENT + between + _PROJECTS, tmp_path)
    assert (got, unplaced) == ([_DEPARTMENT_ROW] + _BELOW, [])
    assert [p["budget"]["unit"] for p in extract(tmp_path / "t.txt").projects] == ["万元", unit, unit]


def test_a_wrapped_department_title_below_a_project_table(tmp_path):
    got, unplaced = _forms(_HEADED + _PROJECTS + "某局2024年部门整体\n支出绩效目标表\n" + _DEPARTMENT.split("\n", 1)[1],
                           tmp_path)
    assert (got, unplaced) == (_BELOW + [_DEPARTMENT_ROW], [])


_OPEN = _DEPARTMENT_TITLE + _DEPARTMENT_ITEM + "1、产出指标：人数，年度指标值 ：10\n人\n"  # the value wraps, no 。


@pytest.mark.parametrize("between, unit", [
    ("项目支出绩效目标表\n单位名称 ：某中心 单位：万元\n", "万元"),
    ("某中心2024年项目支出\n绩效目标表\n单位名称 ：某中心 单位：万元\n", "万元"),
    ("单位名称 ：某中心 单位：元\n", "元"),
    ("第 1 页\n项目支出绩效目标表\n单位名称 ：某中心 单位：万元\n", "万元"),
    ("第 1 页 共 3 页\n项目支出绩效目标表\n单位名称 ：某中心 单位：万元\n", "万元"), ("- 1 -\n单位名称 ：某中心 单位：元\n", "元"),
    ("绩效目标表\n单位名称 ：某中心 单位：万元\n", "万元")],  # a title saying no more: `人` does not wrap into it
    ids=["title", "wrapped", "unit-line", "footer", "footer-of", "footer-dashes", "bare-title"])
def test_a_value_without_its_closing_mark_keeps_its_wrapped_tail(tmp_path, between, unit):
    # `人` was taken as the project table's title: the department's target was `10`, nothing reported
    got, unplaced = _forms(_OPEN + between + _PROJECTS, tmp_path)
    assert (got, unplaced) == ([_DEPARTMENT_ROW] + _BELOW, [])
    assert [p["budget"]["unit"] for p in extract(tmp_path / "t.txt").projects] == ["万元", unit, unit]


def test_a_sign_and_its_value_on_two_lines_before_the_next_header(tmp_path):
    # the target was `≥`, `90%` lost as the title of a table with no unit line
    got, unplaced = _forms(_DEPARTMENT_TITLE + _DEPARTMENT_ITEM + "1、产出指标：满意度，年度指标值 ：≥\n90%\n项目支出绩效目标表\n" + _PROJECTS, tmp_path)
    assert got == [("某局", "department", "某局", 2024, [("满意度", "≥90%")]),
                   ("甲项目", None, "某局", 2024, [("户数", "20户")]), ("乙项目", None, "某局", 2024, [("件数", "30件")])]
    assert unplaced == []


_HEADING = "某局2024年部门整体支出和项目支出预算公开"


@pytest.mark.parametrize("heading, title, form", [
    (_HEADING, "项目支出绩效目标表", None), (_HEADING, "部门整体支出绩效目标表", "department"),
    (_HEADING, "某局2024年部门整体\n支出绩效目标表", "department"),
    ("某局2024年部门整体支出及项目支出绩效目标", "某局2024年绩效目标表", None)])  # a title of its own does not wrap
def test_a_document_heading_above_the_title_is_not_part_of_it(tmp_path, heading, title, form):
    # the heading was joined to the title: `…部门整体支出和项目支出预算公开项目支出绩效目标表`, projects marked "department"
    got, unplaced = _forms(f"{heading}\n{title}\n单位名称 ：某局 单位：万元\n" + _PROJECTS, tmp_path)
    assert got == [("甲项目", form, "某局", 2024, [("户数", "20户")]), ("乙项目", form, "某局", 2024, [("件数", "30件")])]
    assert unplaced == []


def test_a_wrapped_value_ending_with_its_mark_is_no_title(tmp_path):
    # `项目验收。` says 项目: it must not be read as the head of the title `绩效目标表` below it
    got, unplaced = _forms(_OPEN.replace("人数，年度指标值 ：10\n人\n", "验收，年度指标值 ：完成\n项目验收。\n")
                           + "绩效目标表\n单位名称 ：某中心 单位：万元\n" + _PROJECTS, tmp_path)
    assert (got, unplaced) == ([("某局", "department", "某局", 2024, [("验收", "完成项目验收")])] + _BELOW, [])


@pytest.mark.parametrize("tail, value", [
    ("按时报送统计\n报表\n", "按时报送统计报表"), ("实现年度\n绩效目标\n", "实现年度绩效目标"), ("按照\n绩效评价表\n", "按照绩效评价表"),
    # these named 项目, 绩效指标, 绩效目标 or 部门整体: taken for a title, they were dropped without a note
    ("按时提交\n项目绩效评价表\n", "按时提交项目绩效评价表"), ("完成填报\n年度绩效指标完成情况表\n", "完成填报年度绩效指标完成情况表"),
    ("完成\n绩效目标自评表\n", "完成绩效目标自评表"), ("按时报送\n部门整体绩效评价表\n", "按时报送部门整体绩效评价表")])
def test_a_wrapped_tail_that_ends_like_a_title_is_no_title(tmp_path, tail, value):
    # `报表` names no 绩效, `绩效目标` alone names no 支出/部门/项目: both are the value's tail, not the next title;
    # `绩效评价表` was: a title ends with 绩效表 or 申报表 (or holds 绩效目标表)
    text = _OPEN.replace("人数，年度指标值 ：10\n人\n", "报送，年度指标值 ：" + tail)
    got, unplaced = _forms(text + "项目支出绩效目标表\n单位名称 ：某中心 单位：万元\n" + _PROJECTS, tmp_path)
    assert (got, unplaced) == ([("某局", "department", "某局", 2024, [("报送", value)])] + _BELOW, [])


_LOWER = "某局项目支出绩效目标表\n单位：万元\n项目名称 项目内容 绩效目标 绩效指标\n    其他项目\n内容 100.00 100.00\n" \
         "目标。1、产出指标：人数，年度指标值：100人。\n"


def test_an_upper_table_without_items_is_listed_not_lost(tmp_path):
    # an upper table with no item line was read as the lines above the lower table's header, which nobody
    # reports: project 运行经费 vanished without a word
    table = tmp_path / "t.txt"
    table.write_text("某局部门整体支出绩效目标表\n单位：万元\n项目名称 项目内容 绩效目标 绩效指标\n    运行经费\n"
                     "内容说明写在这一栏里面，内容说明写在这一栏里面\n" + _LOWER, encoding="utf-8")
    got = extract(table)
    assert [(p["project"], p["budget"]["initial"]) for p in got.projects] == [("其他项目", 100.0)]
    assert len(got.unplaced) == 2
    assert got.unplaced[0].startswith("t.txt line 4: no line of amounts for '运行经费'")
    assert got.unplaced[1].startswith("t.txt line 4: no indicator items found for '运行经费'")


def test_an_upper_table_ending_at_its_amounts_keeps_the_lines_after_them(tmp_path):
    # an upper table ending at a line of amounts, no item after it: its project is listed, the lower one read
    table = tmp_path / "t.txt"
    table.write_text("某局部门整体支出绩效目标表\n单位：万元\n项目名称 项目内容 绩效目标 绩效指标\n    运行经费\n"
                     "内容 5.00 5.00\n保障机关正常运转，目标写在这一栏里面。\n" + _LOWER, encoding="utf-8")
    got = extract(table)
    assert [(p["project"], p["budget"]["initial"]) for p in got.projects] == [("其他项目", 100.0)]
    assert got.unplaced == ["t.txt line 4: no indicator items found for '运行经费'"]


_TABLE = "\n单位名称 ：某中心 单位：万元\n" + _PROJECTS


@pytest.mark.parametrize("value, note, title", [
    ("10\n人。\n", "以上数据仅供参考", "项目支出绩效目标表"),
    ("10人。\n", "注：以上指标值为年度目标", "项目支出绩效目标表"),  # the value closed on the item's line
    ("10\n人\n", "注：以上指标值为年度目标。", "项目支出绩效目标表"),  # a note ends a value without its 。
    ("10\n人。\n", "注：以上为2023年部门整体指标值", "绩效目标表")],  # it names no year or 部门整体 for the table below
    ids=["after-the-mark", "one-line", "open", "no-title"])
def test_a_stray_line_between_two_tables_is_listed(tmp_path, value, note, title):
    # the line went unreported into the lines above the lower table's header (there into its title, `注：以上为2023年
    # 部门整体指标值绩效目标表`: a department table of 2023), or was glued onto the value (`10人。注：以上指标值为年度目标`)
    text = _OPEN.replace("10\n人\n", value) + f"{note}\n{title}" + _TABLE
    got, unplaced = _forms(text, tmp_path)
    line = text.split("\n").index(note) + 1
    assert got == [_DEPARTMENT_ROW] + _BELOW
    assert unplaced == [f"t.txt line {line}: a line between two tables, not read: {note}"]


@pytest.mark.parametrize("value", ["10\n人\n", "10人。\n"], ids=["open", "closed"])
@pytest.mark.parametrize("heading", ["二、部门整体支出情况", "（二）项目支出情况", "第二部分 项目支出"])
def test_a_heading_between_two_tables_ends_the_value_and_is_listed(tmp_path, heading, value):
    # the heading was read as the rest of a value without its 。 (`10人二、部门整体支出情况`), then dropped unlisted
    text = _OPEN.replace("10\n人\n", value) + f"{heading}\n项目支出绩效目标表" + _TABLE
    got, unplaced = _forms(text, tmp_path)
    line = text.split("\n").index(heading) + 1
    assert got == [_DEPARTMENT_ROW] + _BELOW
    assert unplaced == [f"t.txt line {line}: a line between two tables, not read: {heading}"]


def test_a_numbered_line_after_an_open_value_is_listed(tmp_path):
    # `（一）类业务全覆盖` may be the value's last line or a heading: it was dropped, the value cut to `完成`
    text = _OPEN.replace("10\n人\n", "完成\n（一）类业务全覆盖\n") + "项目支出绩效目标表" + _TABLE
    got, unplaced = _forms(text, tmp_path)
    assert got == [("某局", "department", "某局", 2024, [("人数", "完成")])] + _BELOW
    assert unplaced == ["t.txt line 8: a line between two tables, not read: （一）类业务全覆盖"]


@pytest.mark.parametrize("first", [True, False], ids=["first-table", "lower-table"])
@pytest.mark.parametrize("note", ["注：本表含转移支付", "填报说明：本表金额为预算数"])
def test_a_line_between_a_title_and_its_unit_line_is_listed(tmp_path, note, first):
    # it was dropped without a word
    lower = f"某中心2024年项目支出绩效目标表\n{note}\n单位名称 ：某中心 单位：万元\n" + _PROJECTS
    text = lower if first else _OPEN + lower
    got, unplaced = _forms(text, tmp_path)
    line = text.split("\n").index(note) + 1
    assert got == ([] if first else [_DEPARTMENT_ROW]) + _BELOW
    assert unplaced == [f"t.txt line {line}: a line between a table's title and its unit line, not read: {note}"]


@pytest.mark.parametrize("title", ["某局2024年项目支出绩效目标批复表", "某局2024年项目支出绩效目标填报表",
                                   "某局2024年项目支出绩效指标表", "某局2024年项目绩效目标审核表"])
def test_a_lower_title_in_other_words_is_a_title(tmp_path, title):
    # it was glued onto the value above: `10人某局2024年项目支出绩效目标批复表`
    got, unplaced = _forms(_OPEN + title + _TABLE, tmp_path)
    assert (got, unplaced) == ([_DEPARTMENT_ROW] + _BELOW, [])


@pytest.mark.parametrize("value, after", [
    ("10\n人\n", ["二、部门整体绩效目标"]), ("10\n人\n", ["（二）项目绩效目标", "本表金额单位为万元"]),
    ("10人。\n", ["注：以上指标值为年度目标"])], ids=["heading", "heading-and-text", "note"])
def test_a_heading_or_note_after_the_last_table_is_listed(tmp_path, value, after):
    # it was read as the rest of the last value: `10人二、部门整体绩效目标`, `10人。注：以上指标值为年度目标`
    got, unplaced = _forms(_OPEN.replace("10\n人\n", value) + "".join(f"{line}\n" for line in after), tmp_path)
    first = _OPEN.replace("10\n人\n", value).count("\n") + 1
    assert got == [_DEPARTMENT_ROW]
    assert unplaced == [f"t.txt line {first + k}: a heading or note among the items of '某局' (or a line after it), "
                        f"not read: {line}" for k, line in enumerate(after)]


def test_items_after_a_note_are_read(tmp_path):
    # the note was glued onto the value above it: `10人注：含临时人员`
    got, unplaced = _forms(_OPEN + "注：含临时人员\n2、产出指标：件数，年度指标值 ：5件。\n", tmp_path)
    assert got == [("某局", "department", "某局", 2024, [("人数", "10人"), ("件数", "5件")])]
    assert unplaced == ["t.txt line 9: a heading or note among the items of '某局' (or a line after it), not read: "
                        "注：含临时人员"]


def test_a_wrapped_tail_naming_a_table_above_a_unit_line_is_no_title(tmp_path):
    # `部门整体绩效评价表` was taken for the lower table's title: the value lost it, the projects below were marked
    # "department"; only a goal table's title (…绩效目标表, …绩效目标批复表 …) ends a value without its 。
    text = _OPEN.replace("人数，年度指标值 ：10\n人\n", "报送，年度指标值 ：按时报送\n部门整体绩效评价表\n")
    got, unplaced = _forms(text + "单位名称 ：某中心 单位：万元\n" + _PROJECTS, tmp_path)
    assert (got, unplaced) == ([("某局", "department", "某局", 2024, [("报送", "按时报送部门整体绩效评价表")])] + _BELOW, [])


@pytest.mark.parametrize("year", ["（2024年度）", "2024年度", "（2024年）"])
def test_a_year_line_under_a_title_gives_the_year(tmp_path, year):
    # it was listed as a line between the title and the unit line, the table left without a year
    got, unplaced = _forms(f"项目支出绩效目标表\n{year}" + _TABLE, tmp_path)
    assert (got, unplaced) == (_BELOW, [])


def test_a_year_line_under_a_lower_title_is_its_tables(tmp_path):
    # the lower table took the upper one's 2024
    got, unplaced = _forms(_OPEN + "项目支出绩效目标表\n（2025年度）" + _TABLE, tmp_path)
    assert got == [_DEPARTMENT_ROW] + [(*p[:3], 2025, p[4]) for p in _BELOW]
    assert unplaced == []


def test_a_unit_of_money_is_read_as_the_other_readers_read_it(tmp_path):
    # the budget unit was `人民币万元`, which scoring does not know
    table = tmp_path / "t.txt"
    table.write_text("项目支出绩效目标表\n单位名称 ：某中心 单位：人民币万元\n" + _PROJECTS, encoding="utf-8")
    found = extract(table)
    assert ([p["budget"] for p in found.projects], found.unplaced) == (
        [{"unit": "万元", "initial": 1.0, "full_year": 1.0}, {"unit": "万元", "initial": 2.0, "full_year": 2.0}], [])


def test_a_unit_of_money_not_read_gives_no_budget(tmp_path):
    # the budget unit was `万元元`
    table = tmp_path / "t.txt"
    table.write_text("项目支出绩效目标表\n单位名称 ：某中心 单位：万元元\n" + _PROJECTS, encoding="utf-8")
    found = extract(table)
    assert [("budget" in p, p["indicators"][0]["target"]) for p in found.projects] == [(False, "20户"), (False, "30件")]
    assert found.unplaced == ["t.txt line 2: unit of money '万元元' not read; no budget is read under it"]
