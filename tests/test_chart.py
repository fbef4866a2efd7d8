"""The inline SVG charts: well-formed, escaped, deterministic, and showing the sample's hand-computed numbers."""
from __future__ import annotations

import copy
import json
import xml.etree.ElementTree as ET

import pytest
from markupsafe import Markup

from scoring import score
from scoring.report.chart import blocks_chart, losses_chart, totals_chart

SVG = "{http://www.w3.org/2000/svg}"
MINUS = "\u2212"
FILLS = {"优": "#009e73", "良": "#0072b2", "中": "#e69f00", "差": "#d55e00"}


def parse(svg: Markup) -> ET.Element:
    """The chart as XML, after the checks every chart must pass."""
    assert isinstance(svg, Markup)
    text = str(svg)
    assert text.startswith("<svg ") and text.endswith("</svg>")
    root = ET.fromstring(text)  # well-formed
    assert root.tag == SVG + "svg"
    assert root.get("role") == "img" and root.get("aria-label")
    assert root.get("width") == "100%" and len(root.get("viewBox").split()) == 4
    assert "max-height" in root.get("style")
    assert root[0].tag == SVG + "title" and root[0].text == root.get("aria-label")
    lowered = text.lower()
    for banned in ("<script", "font-family", "href", "url(", "javascript:", "@font-face", "<image", "<foreign"):
        assert banned not in lowered
    return root


def texts(root: ET.Element, cls: str | None = None) -> list[str]:
    """The visible texts (not <title>s) in document order, optionally of one class."""
    return [t.text for t in root.iter(SVG + "text") if cls is None or t.get("class") == cls]


def bars(root: ET.Element, cls: str) -> list[ET.Element]:
    return [r for r in root.iter(SVG + "rect") if r.get("class") == cls]


def width(rect: ET.Element) -> float:
    return float(rect.get("width"))


@pytest.fixture
def sample(sample_goals, sample_actuals):
    return score(sample_goals, sample_actuals)


def many_goals(n: int = 15) -> dict:
    """n indicators of 产出 with declared 分值 1…n; the last one's name is a script tag."""
    names = [f"指标{i}" for i in range(1, n)] + ["<script>alert(1)</script>"]
    return {"year": 2021, "project": "多指标项目",
            "indicators": [{"id": str(i), "level1": "产出指标", "level2": "数量指标", "level3": names[i - 1],
                            "target": "10个", "weight": i} for i in range(1, n + 1)]}


# --- blocks_chart -------------------------------------------------------------------------------------

def test_blocks_chart_shows_each_block_and_the_budget(sample):
    root = parse(blocks_chart(sample))
    assert root.get("aria-label") == "各一级指标得分"
    # by hand (samples/README.md): 产出 10 + 9.68 + 0 + 9.23 + 9.38 = 38.29 of 5 × 10; 效果指标 counts as
    # 效益: 70% × 30 = 21; 满意度 10 of 10; budget 10 × 80 ÷ 83.2054 = 9.61 of 10
    assert texts(root, "label") == ["产出指标 38.29 / 50分", "效益指标 21.00 / 30分", "满意度指标 10.00 / 10分",
                                    "预算执行率 9.61 / 10分"]
    available, earned = bars(root, "available"), bars(root, "earned")
    assert len(available) == len(earned) == 4
    # bars share one scale: available 50 : 30 : 10 : 10, earned over available 38.29/50, 21/30, 10/10, 9.61/10
    unit = width(available[0]) / 50
    for rect, points in zip(available, [50, 30, 10, 10]):
        assert width(rect) == pytest.approx(points * unit, abs=0.1)
    for rect, points in zip(earned, [38.29, 21, 10, 9.61]):
        assert width(rect) == pytest.approx(points * unit, abs=0.1)
    # the earned bar is drawn over (after) its available bar, at the same place
    for group in root.iter(SVG + "g"):
        rects = group.findall(SVG + "rect")
        assert [r.get("class") for r in rects] == ["available", "earned"]
        assert rects[0].get("x") == rects[1].get("x") and rects[0].get("y") == rects[1].get("y")


def test_blocks_chart_escapes_names_and_groups_unknown_blocks():
    goals = {"year": 2021, "project": "P", "indicators": [
        {"id": "1", "level1": "<i>甲</i>", "level3": "x", "target": "10个", "weight": 40},
        {"id": "2", "level1": "产出指标", "level3": "y", "target": "10个", "weight": 30},
        {"id": "3", "level3": "z", "target": "10个", "weight": 20},
        {"id": "4", "level1": "成本指标", "level3": "w", "target": "10个", "weight": 10}]}
    ev = score(goals, [{"id": "1", "actual": "5个"}, {"id": "2", "actual": "不适用"}, {"id": "3", "actual": "10个"},
                       {"id": "4", "actual": "10个"}])
    svg = str(blocks_chart(ev))
    root = parse(blocks_chart(ev))
    assert "<i>" not in svg and "&lt;i&gt;甲&lt;/i&gt;" in svg
    # 产出指标 is 不适用: its 30 points go to the others, scaled to the 100 declared (× 100/70):
    # 40 → 57.14…, 20 → 28.57…, 10 → 14.29 (largest remainder); x scores half of 57.14 → 28.57.
    # 成本指标 shares 产出's block, which appears first at row 2; the row without 一级 is （未分级）.
    labels = texts(root, "label")
    assert [label.split(" ")[0] for label in labels] == ["<i>甲</i>", "产出指标", "（未分级）", "预算执行率"]
    assert labels[1] == "产出指标 14.29 / 14.29分"
    assert labels[3] == "预算执行率 0.00 / 10分"  # no budget declared: 未填报, 0 of 10


# --- losses_chart -------------------------------------------------------------------------------------

def test_losses_chart_lists_the_losses_biggest_first(sample):
    root = parse(losses_chart(sample))
    # by hand: 未填报 10 − 0; 30 − 21 = 9; 10 − 9.23; 10 − 9.38; the budget row 10 − 9.61; 10 − 9.68
    assert texts(root, "label") == [
        f"资金支付及时率（未填报） {MINUS}10.00分",
        f"提高档案查询率（部分达成） {MINUS}9.00分",
        f"资金支付时间（部分达成） {MINUS}0.77分",
        f"平均成本（部分达成） {MINUS}0.62分",
        f"预算执行率（部分达成） {MINUS}0.39分",
        f"验收合格率（部分达成） {MINUS}0.32分",
    ]
    loss = bars(root, "loss")
    assert len(loss) == 6 and not texts(root, "more")
    unit = width(loss[0]) / 10
    for rect, points in zip(loss, [10, 9, 0.77, 0.62, 0.39, 0.32]):
        assert width(rect) == pytest.approx(points * unit, abs=0.1)


def test_losses_chart_is_none_when_nothing_lost(small_goals):
    ev = score(small_goals, [{"id": "1", "actual": "12800册"}, {"id": "2", "actual": "96%"},
                             {"indicator": "全年执行数", "actual": "10万元"}])
    assert ev.total == 100  # by hand: both met, budget fully executed
    assert losses_chart(ev) is None


def test_losses_chart_keeps_twelve_bars_and_escapes_names():
    # 指标1 met; 指标2 … 15 未填报 lose their 分值 2 … 15, and the budget row (none declared: 未填报) its 10,
    # after 指标10 among the tens: shown 15 … 10, the budget, 9 … 5; cut 4, 3 and 2
    ev = score(many_goals(), [{"id": "1", "actual": "10个"}])
    svg = losses_chart(ev)
    root = parse(svg)
    labels = texts(root, "label")
    assert len(bars(root, "loss")) == 12 and len(labels) == 12
    assert labels[0] == f"<script>alert(1)</script>（未填报） {MINUS}15.00分"
    assert labels[1:] == ([f"指标{i}（未填报） {MINUS}{i}.00分" for i in range(14, 9, -1)]
                          + [f"预算执行率（未填报） {MINUS}10.00分"]
                          + [f"指标{i}（未填报） {MINUS}{i}.00分" for i in range(9, 4, -1)])
    assert texts(root, "more") == ["另有 3 项"]
    assert "<script>" not in str(svg) and "&lt;script&gt;alert(1)&lt;/script&gt;" in str(svg)


def test_losses_ties_keep_table_order(sample_goals, sample_actuals):
    goals = json.loads(sample_goals.read_text(encoding="utf-8"))
    ev = score(goals, [])  # nothing reported: every indicator loses its whole 分值
    labels = texts(parse(losses_chart(ev)), "label")
    # 30 for 提高档案查询率, then the five 产出 indicators (10 each), 群众满意度 (10) in table order and the
    # budget row (10: no 全年执行数) after them
    assert [label.split("（")[0] for label in labels] == [
        "提高档案查询率", "档案室数量", "验收合格率", "资金支付及时率", "资金支付时间", "平均成本", "群众满意度",
        "预算执行率"]


# --- totals_chart -------------------------------------------------------------------------------------

@pytest.fixture
def batch(sample_goals, sample_actuals, small_goals):
    """The sample under national (78.90 中) and grades-80-70-60 (78.90 良), a project all met (100 优), and
    `<b>x</b>`: 产出 gets 50 + 30 × 50/60 = 75 points, half its target → 37.5, 满意度 unreported, budget 10 →
    47.50 差."""
    full = copy.deepcopy(small_goals)
    full["project"] = "全部达成项目"
    low = copy.deepcopy(small_goals)
    low["project"] = "<b>x</b>"
    executed = {"indicator": "全年执行数", "actual": "10万元"}
    return [
        score(sample_goals, sample_actuals),
        score(sample_goals, sample_actuals, rules="grades-80-70-60"),
        score(full, [{"id": "1", "actual": "12800册"}, {"id": "2", "actual": "96%"}, executed]),
        score(low, [{"id": "1", "actual": "6400册"}, executed]),
    ]


def test_totals_chart_one_bar_per_project_coloured_by_grade(batch):
    svg = totals_chart(batch)
    root = parse(svg)
    assert root.get("aria-label") == "各项目总分"
    total = bars(root, "total")
    assert len(total) == 4
    assert [r.get("fill") for r in total] == [FILLS[g] for g in ["中", "良", "优", "差"]]
    assert len(set(FILLS.values())) == 4
    assert texts(root, "value") == ["78.90 中", "78.90 良", "100.00 优", "47.50 差"]
    assert texts(root, "label") == ["档案整理服务项目资金", "档案整理服务项目资金", "全部达成项目", "<b>x</b>"]
    # the full name (and the score) is the bar's <title>
    assert [r.find(SVG + "title").text for r in total][3] == "<b>x</b>：47.50 差"
    assert "<b>" not in str(svg) and "&lt;b&gt;x&lt;/b&gt;" in str(svg)
    # the legend names every grade of the first rule set with its edge, in its colour
    assert texts(root, "legend") == ["优 ≥90", "良 ≥80", "中 ≥60", "差 <60"]
    assert [r.get("fill") for r in bars(root, "swatch")] == [FILLS[g] for g in ["优", "良", "中", "差"]]


def test_totals_chart_axis_edges_and_bar_lengths(batch):
    root = parse(totals_chart(batch))
    axis = [line for line in root.iter(SVG + "line") if line.get("class") == "axis"]
    assert len(axis) == 1
    x0, x100 = float(axis[0].get("x1")), float(axis[0].get("x2"))
    at = (lambda v: x0 + (x100 - x0) * v / 100)
    assert texts(root, "tick") == ["0", "20", "40", "60", "80", "100"]
    edges = [line for line in root.iter(SVG + "line") if line.get("class") == "edge"]
    assert [float(e.get("x1")) for e in edges] == pytest.approx([at(90), at(80), at(60)], abs=0.1)
    assert all(e.get("x1") == e.get("x2") for e in edges)  # vertical
    assert texts(root, "edge-label") == ["90", "80", "60"]
    for rect, points in zip(bars(root, "total"), [78.9, 78.9, 100, 47.5]):
        assert float(rect.get("x")) == pytest.approx(x0, abs=0.1)
        assert width(rect) == pytest.approx(at(points) - x0, abs=0.1)


def test_totals_chart_edges_of_the_first_rule_set(batch):
    root = parse(totals_chart([batch[1], batch[0]]))  # grades-80-70-60 first
    assert texts(root, "edge-label") == ["80", "70", "60"]
    assert texts(root, "legend") == ["优 ≥80", "良 ≥70", "中 ≥60", "差 <60"]


def test_totals_chart_axis_extends_past_100():
    # 分值 1 … 15 declared (120 points), all met, no budget declared (0 of 10): total 120, 优
    goals = many_goals()
    ev = score(goals, [{"id": str(i), "actual": "10个"} for i in range(1, 16)])
    root = parse(totals_chart([ev]))
    axis = next(line for line in root.iter(SVG + "line") if line.get("class") == "axis")
    (bar,) = bars(root, "total")
    assert texts(root, "value") == ["120.00 优"]
    assert float(bar.get("x")) + width(bar) == pytest.approx(float(axis.get("x2")), abs=0.1)
    assert texts(root, "tick") == ["0", "20", "40", "60", "80", "100", "120"]


def test_totals_chart_shortens_long_names(small_goals):
    long_name = "一个名字非常非常非常长的项目资金：档案数字化加工与整理服务采购"
    small_goals["project"] = long_name
    ev = score(small_goals, [])
    root = parse(totals_chart([ev]))
    (label,) = texts(root, "label")
    assert label.endswith("…") and long_name.startswith(label[:-1]) and len(label) < len(long_name)
    (bar,) = bars(root, "total")
    assert bar.find(SVG + "title").text.startswith(long_name + "：")


# --- all charts ---------------------------------------------------------------------------------------

def test_charts_are_deterministic(sample_goals, sample_actuals, batch):
    again = score(sample_goals, sample_actuals)
    first = score(sample_goals, sample_actuals)
    assert str(blocks_chart(first)) == str(blocks_chart(first)) == str(blocks_chart(again))
    assert str(losses_chart(first)) == str(losses_chart(again))
    assert str(totals_chart(batch)) == str(totals_chart(batch))


def test_charts_use_the_rule_sets_digits(sample_goals, sample_actuals):
    ev = score(sample_goals, sample_actuals, rules="whole-points")
    # by hand, whole points: 产出 10 + 10 + 0 + 9 + 9 = 38; 效益 21; 满意度 10; budget 9.61 → 10
    assert texts(parse(blocks_chart(ev)), "label") == [
        "产出指标 38 / 50分", "效益指标 21 / 30分", "满意度指标 10 / 10分", "预算执行率 10 / 10分"]
    assert texts(parse(totals_chart([ev])), "value") == ["79 中"]
