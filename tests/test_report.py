"""The 自评表 renderings: a whole HTML page, Markdown, JSON; escaped; byte-identical run to run."""
import json
import re
from html.parser import HTMLParser

from scoring import score


class _Tables(HTMLParser):
    """Collects the text of each table row of the indicator table."""

    def __init__(self):
        super().__init__()
        self.in_indicators = False
        self.rows: list[list[str]] = []
        self.scripts = 0
        self.tags: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        classes = dict(attrs).get("class", "") or ""
        if tag == "table":
            self.in_indicators = "indicators" in classes
        if tag == "script":
            self.scripts += 1
        if self.in_indicators and tag == "tr":
            self.rows.append([])

    def handle_endtag(self, tag):
        if tag == "table":
            self.in_indicators = False

    def handle_data(self, data):
        if self.in_indicators and self.rows and data.strip():
            self.rows[-1].append(data.strip())


def test_html_is_a_whole_page_with_the_whole_table(sample_goals, sample_actuals):
    ev = score(sample_goals, sample_actuals)
    html = ev.to_html()
    assert html.startswith("<!DOCTYPE html>") and html.rstrip().endswith("</html>")
    assert "@page { size: A4" in html and "Noto Serif CJK SC" in html
    parser = _Tables()
    parser.feed(html)
    body = [row for row in parser.rows if row and row[0] not in ("一级指标", "预算执行率", "总分")]
    assert len(body) == len(ev.table)  # every indicator is a row of the form
    assert any("资金支付及时率" in row for row in body)
    assert ["总分", "100", "78.90", "评价等级：中"] in parser.rows
    for field in ("项目名称", "主管部门", "实施单位", "年初预算数", "全年预算数", "全年执行数", "执行率",
                  "年度资金总额", "其中：当年财政拨款", "上年结转资金", "其他资金", "预期目标", "实际完成情况"):
        assert field in html
    assert 'rowspan="5">产出指标' in html  # merged 一级 cell over the five 产出 rows


def test_inputs_are_escaped_in_html_and_markdown(small_goals):
    small_goals["indicators"][0]["level3"] = "<script>alert(1)</script>"
    small_goals["project"] = "a | b [x](javascript:alert(1))"
    ev = score(small_goals, [{"id": "1", "actual": "12800册", "note": "<img src=x onerror=alert(1)>"}])
    html = ev.to_html()
    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<img" not in html
    md = ev.to_markdown()
    assert "<script>" not in md and "&lt;script>" in md
    assert "a \\| b \\[x\\](javascript:alert(1))" in md


def test_markdown_table_has_one_row_per_indicator(sample_goals, sample_actuals):
    ev = score(sample_goals, sample_actuals)
    md = ev.to_markdown()
    lines = [line for line in md.splitlines() if line.count("|") - line.count("\\|") == 11]
    assert len(lines) == 2 + len(ev.table) + 2  # header and rule, indicators, budget row, total row
    assert "**总分：78.90　评价等级：中**" in md


def test_json_structure(sample_goals, sample_actuals):
    data = json.loads(score(sample_goals, sample_actuals).to_json())
    assert set(data) >= {"project", "year", "total", "grade", "budget", "indicators", "notes"}
    assert data["total"] == 78.9 and data["grade"] == "中"
    assert data["budget"]["score"] == 9.61 and data["budget"]["weight"] == 10
    assert [i["id"] for i in data["indicators"]] == ["1", "2", "3", "4", "5", "6", "7"]
    assert data["indicators"][4]["direction"] == "反向"


def test_rendering_is_deterministic(sample_goals, sample_actuals):
    first = score(sample_goals, sample_actuals)
    second = score(sample_goals, sample_actuals)
    for render in ("to_html", "to_markdown", "to_json"):
        assert getattr(first, render)() == getattr(second, render)()


def test_the_page_shows_its_charts_and_marks_rows_without_a_reason(sample_goals, sample_actuals):
    html = score(sample_goals, sample_actuals).to_html()
    assert html.count("<svg") == 2 and "各一级指标得分与分值" in html and "失分指标" in html
    assert "<script" not in html  # the pictures need no JavaScript
    # 资金支付及时率 scored 0 of 10 with no 偏差原因: its row is marked for the person filling the form in
    row = re.search(r'<tr class="status-未填报 needs-reason">.*?</tr>', html, re.S).group(0)
    assert "资金支付及时率" in row


def test_the_narrative_report(sample_goals, sample_actuals):
    ev = score(sample_goals, sample_actuals)
    md = ev.to_markdown(narrative=True)
    for heading in ("## 一、项目概况", "## 二、绩效目标完成情况", "## 三、偏差原因及改进措施", "## 四、自评结论"):
        assert heading in md
    # 7 indicators: 达成 档案室数量 and 群众满意度; 部分达成 the four partly met; 未填报 资金支付及时率
    assert "本项目共设绩效指标 7 项（达成 2 项，部分达成 4 项，未填报 1 项），自评得分 78.90 分" in md
    assert (ev.count("达成"), ev.count("部分达成"), ev.count("未填报"), ev.count("需复核")) == (2, 4, 1, 0)
    assert "| 产出指标 | 50 | 38.29 | 76.58% |" in md  # 10 + 9.68 + 0 + 9.23 + 9.38 = 38.29 of 50
    deviations = md.split("## 三、偏差原因及改进措施")[1].split("## 四")[0]
    assert deviations.count("分值") == 6  # the five indicators below their 分值, in table order, then the budget
    assert "2. 资金支付及时率（得 0.00 分，分值 10 分）：未填写偏差原因分析及改进措施。" in deviations
    assert "评价等级为“中”" in md
    html = ev.to_html(narrative=True)
    assert html.startswith("<!DOCTYPE html>") and "四、自评结论" in html and "<svg" in html
