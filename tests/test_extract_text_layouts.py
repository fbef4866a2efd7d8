"""The text-layout readers on seed variants: each variant is a seed with one change a real file can have (a
blank line in a header or a goal, a `；` between items, an ASCII colon, a 效果指标 item, a blank value cell).
Nothing may be lost silently: every line is placed or listed on stderr. Expected values read from the seeds
by hand (line numbers are the seed's, before the change)."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from scoring.cli import main

SEEDS = Path(__file__).parent / "seeds"
SEED_000 = SEEDS / "000_d56401c9c1718dce.txt"
SEED_001 = SEEDS / "001_034170035030169e.txt"
SEED_002 = SEEDS / "002_a5be6b874b367bd5.txt"
SEED_004 = SEEDS / "004_a298566b0f87c85f.txt"


def run_extract(table: Path) -> tuple[list[dict], list[str]]:
    """`score extract TABLE -o …`: the projects written, and the stderr lines listing what was not placed."""
    out = table.with_suffix(".json")
    result = CliRunner().invoke(main, ["extract", str(table), "-o", str(out)])
    assert result.exit_code == 0, result.output
    goals = json.loads(out.read_text(encoding="utf-8"))
    prefix = "score: not placed: "
    notes = [line.removeprefix(prefix) for line in result.stderr.splitlines() if line.startswith(prefix)]
    return goals.get("projects", [goals]), notes


def variant(tmp_path: Path, seed: Path, change) -> Path:
    """The seed with one change: `change` takes the seed's lines and returns the new ones."""
    lines = seed.read_text(encoding="utf-8").splitlines()
    path = tmp_path / seed.name
    path.write_text("\n".join(change(lines)) + "\n", encoding="utf-8")
    return path


def blank_before(line: int):
    """A change inserting a blank line before the seed's `line` (1-based)."""
    return lambda lines: lines[:line - 1] + [""] + lines[line - 1:]


def replace_in(line: int, old: str, new: str):
    """A change replacing `old` (which must occur) in the seed's `line` (1-based)."""
    def change(lines: list[str]) -> list[str]:
        assert old in lines[line - 1], (line, old)
        return lines[:line - 1] + [lines[line - 1].replace(old, new, 1)] + lines[line:]
    return change


def rows(project: dict) -> list[tuple[str, str, str, str]]:
    return [(i["level1"], i["level2"], i["level3"], i["target"]) for i in project["indicators"]]


def by_name(projects: list[dict], name: str) -> dict:
    return next(p for p in projects if p["project"] == name)


def unchanged(tmp_path_factory, seed: Path) -> list[dict]:
    """The projects of the seed itself, which lists nothing as not placed."""
    projects, notes = run_extract(variant(tmp_path_factory.mktemp("seed"), seed, lambda lines: lines))
    assert notes == []
    return projects


@pytest.fixture(scope="module")
def seed_000(tmp_path_factory) -> list[dict]:
    return unchanged(tmp_path_factory, SEED_000)


@pytest.fixture(scope="module")
def seed_004(tmp_path_factory) -> list[dict]:
    return unchanged(tmp_path_factory, SEED_004)


# --- cell-per-line (seed 004) -------------------------------------------------------------------------------

# lines 78-88 are the department table's header: 一级指标, 二级 / 指标, 三级 / 指标, 评（扣）分标准,
# 绩效指标 / 描述, 指标值, 指标值 / 确定依据 (a cell's second line has no tab)
@pytest.mark.parametrize("line", range(79, 89))
def test_blank_line_inside_the_department_header(tmp_path, seed_004, line):
    projects, notes = run_extract(variant(tmp_path, SEED_004, blank_before(line)))
    assert notes == []
    assert (len(projects), sum(len(p["indicators"]) for p in projects)) == (24, 174)
    department = projects[0]
    assert department["project"] == "大厂回族自治县医疗保障局部门整体支出"
    assert rows(department) == [  # lines 100-191
        ("部门产出", "数量", "保障部门开展活动", "=4部门"),
        ("部门产出", "质量", "硬件设备合格率", "=100比例"),
        ("部门产出", "时效", "当年完成", "=100比例"),
        ("部门效果", "社会效益", "宣传知晓率", "≥90比例"),
        ("部门效果", "满意度", "服务对象满意度", "≥95比例"),
    ]
    assert department["indicators"][0]["rule"] == "偏离指标值1部门,减数量分值10%,低于70%不得分"
    assert projects == seed_004


def test_rows_of_a_table_not_recognised_are_listed(tmp_path):
    # line 78 `\t一级指标` cut to `\t一级`: the department header is no header, so none of its rows is read;
    # each is listed, 部门产出 and 部门效果 rows and the rows with empty level cells alike
    projects, notes = run_extract(variant(tmp_path, SEED_004, replace_in(78, "一级指标", "一级")))
    assert (len(projects), sum(len(p["indicators"]) for p in projects)) == (23, 169)
    listed = {int(n.split(" line ")[1].split(":")[0]): n.split("row outside any indicator table: ")[1]
              for n in notes}
    assert all("row outside any indicator table" in n for n in notes)
    assert listed[78] == "一级 | 二级指标 | 三级指标 | 评（扣）分标准 | 绩效指标描述 | 指标值 | 指标值确定依据"
    assert listed[90] == "符号 | 值 | 单位"
    assert listed[100].startswith("部门产出 | 数量 | 保障部门开展活动 | 偏离指标值1部门")
    assert listed[140].startswith("部门效果 | 社会效益 | 宣传知晓率")
    assert listed[183].startswith("满意度 | 服务对象满意度 | 满意度为95%以上得满分")
    assert sorted(listed) == [78, 90, 100, 110, 120, 130, 140, 151, 162, 173, 183]  # every row of the table


# lines 353-356: `\t绩效目标`, `\t1.通过拨付开办费用…`, `2.通过…`, `3.通过…` (the goal of 医疗保障局开办费)
@pytest.mark.parametrize("line", [354, 355, 356])
def test_blank_line_inside_the_goal(tmp_path, seed_004, line):
    projects, notes = run_extract(variant(tmp_path, SEED_004, blank_before(line)))
    assert notes == []
    goal = by_name(projects, "医疗保障局开办费")["goal"]
    assert goal.startswith("1.通过拨付开办费用，实现补充各项资金不足的问题")
    assert goal.endswith("3.通过拨付开办费用，完成单位费用各项工作。") and goal.count("\n") == 2
    assert projects == seed_004


# --- cell-items (seed 000) ----------------------------------------------------------------------------------

ROOMS = "房屋维护维修经费"  # line 41: `1、受益人次：(业务用房接待人次)约38万次 2、维护维修完成率：(…)100% 3、…`


@pytest.mark.parametrize("change", [
    replace_in(41, "约38万次 2、", "约38万次；2、"),
    replace_in(41, "约38万次 2、", "约38万次。2、"),
    replace_in(41, "1、受益人次：", "1、受益人次:"),
], ids=["semicolon", "full stop", "ascii colon"])
def test_items_told_apart(tmp_path, seed_000, change):
    projects, notes = run_extract(variant(tmp_path, SEED_000, change))
    assert notes == []
    rooms = by_name(projects, ROOMS)
    assert len(rooms["indicators"]) == 6
    assert [(i["level3"], i["target"], i["description"]) for i in rooms["indicators"][:2]] == [
        ("受益人次", "约38万次", "业务用房接待人次"), ("维护维修完成率", "100%", "维护维修完成率")]
    assert projects == seed_000


# --- pdf-text (seed 002) ------------------------------------------------------------------------------------

AID = "专项医疗救助金"  # lines 85-109: items 1-12; line 88 `3、效益指标：对健全医疗保障制度体系的作用 ，…：成效明显。`


@pytest.mark.parametrize("level1", ["效果指标", "部门效果"], ids=["xiaoguo", "bumen-xiaoguo"])
def test_an_item_under_another_known_level1(tmp_path, level1):
    projects, notes = run_extract(variant(tmp_path, SEED_002, replace_in(88, "3、效益指标", f"3、{level1}")))
    assert notes == []
    aid = rows(by_name(projects, AID))
    assert len(aid) == 12 and sum(len(p["indicators"]) for p in projects) == 38
    assert aid[1:4] == [("满意度指标", "", "政策知晓度", "≥85%"),
                        (level1, "", "对健全医疗保障制度体系的作用", "成效明显"),
                        ("效益指标", "", "对健全社会救助体系的影响", "成效明显")]


def test_an_item_not_recognised_is_reported(tmp_path):
    # 效率指标 is no 一级: item 3 runs into item 2, and the numbering jumps from 2 to 4
    projects, notes = run_extract(variant(tmp_path, SEED_002, replace_in(88, "3、效益指标", "3、效率指标")))
    aid = rows(by_name(projects, AID))
    assert [level3 for _, _, level3, _ in aid[:2]] == ["工作满意度", "对健全社会救助体系的影响"]
    assert len(aid) == 10
    assert notes == [
        f"002_a5be6b874b367bd5.txt line 90: item 4 of '{AID}' follows item 2: the text of an item not "
        "recognised as one (its 一级指标 unknown?) is read into the item before",
        f"002_a5be6b874b367bd5.txt line 86: item '2、满意度指标：政策知晓度 ，年度指标值 ：≥85%。3、效率指标："
        f"对健全医疗保障制度体系的作用 ，年度指标值 ：成效明显。' of '{AID}' holds a second 年度指标值: an item "
        "not recognised as one runs into it; left out",
    ]


# --- period-columns (seed 001) ------------------------------------------------------------------------------

SUBSIDY = "城乡居民医保市级财政补助资金"  # lines 58-66; line 59 `\t产出指标\t数量指标\t参保人数（万人）\t≥600\t≥600`


def test_a_blank_period_value_is_told_by_its_column(tmp_path):
    change = replace_in(59, "（万人）\t≥600\t≥600", "（万人）\t\t≥600")
    projects, notes = run_extract(variant(tmp_path, SEED_001, change))
    assert notes == []
    assert rows(by_name(projects, SUBSIDY))[:2] == [("产出指标", "数量指标", "参保人数（万人）", "≥600"),
                                                    ("产出指标", "数量指标", "财政实际补助标准", "国家规定标准")]


def test_a_shifted_row_with_a_blank_period_value(tmp_path):
    # line 66 lost its leading empty cell (the row ends in an empty one)
    change = replace_in(66, "（%）\t≥85%\t≥85%\t", "（%）\t\t≥85%\t")
    projects, notes = run_extract(variant(tmp_path, SEED_001, change))
    assert notes == []
    assert rows(by_name(projects, SUBSIDY))[-1] == ("满意度指标", "服务对象满意度指标", "参保对象满意度（%）", "≥85%")


def test_a_blank_annual_value_is_reported_and_the_levels_still_hold(tmp_path):
    change = replace_in(59, "（万人）\t≥600\t≥600", "（万人）\t≥600\t")
    projects, notes = run_extract(variant(tmp_path, SEED_001, change))
    assert notes == ["001_034170035030169e.txt line 59: '参保人数（万人）' has no 当年度指标值 "
                     "(实施周期指标值: '≥600'); left out"]
    subsidy = rows(by_name(projects, SUBSIDY))
    assert len(subsidy) == 7  # 8 in the seed
    assert subsidy[0] == ("产出指标", "数量指标", "财政实际补助标准", "国家规定标准")  # line 60, merged levels
