"""Text from the goals and actuals is literal text in every Markdown output: never formatting, a link, an entity,
raw HTML, a line break that splits a table row, or block structure; the summary links to the files it names."""
from __future__ import annotations

import json
import re
from urllib.parse import quote, unquote

import pytest
from click.testing import CliRunner

from scoring import score
from scoring.cli import main
from scoring.report import md_cell

INJECTED = "链接 https://evil.example/x 与 &#124; &amp; *强调* ~~删除~~ _下划_ www.evil.com a@b.com $x$ #1"


def goals(project: str = "测试项目", level3: str = "宣传印刷品数量") -> dict:
    """One project, two indicators, a budget."""
    return {
        "year": 2021, "project": project, "budget": {"unit": "万元", "initial": 10, "full_year": 10},
        "indicators": [
            {"id": "1", "level1": "产出指标", "level2": "数量指标", "level3": level3, "target": "12800册"},
            {"id": "2", "level1": "满意度指标", "level2": "服务对象满意度指标", "level3": "受益群众满意度",
             "target": "≥95%"},
        ],
    }


def unescaped(line: str, chars: str) -> list[str]:
    """The characters of `chars` in a Markdown line that no backslash escapes."""
    return [m.group(2) for m in re.finditer(r"(\\*)(.)", line) if m.group(2) in chars and len(m.group(1)) % 2 == 0]


def row_of(markdown: str, text: str) -> str:
    """The one line of `markdown` holding `text`."""
    [line] = [line for line in markdown.splitlines() if text in line]
    return line


def test_inline_markdown_from_inputs_stays_text():
    row = row_of(score(goals(INJECTED), []).to_markdown(), "项目名称")
    assert len(unescaped(row, "|")) == 3  # | 项目名称 | name |
    assert not unescaped(row, "*_~[]`$#")
    assert "https\\://evil\\.example/x" in row and "www\\.evil\\.com" in row  # no GFM autolink
    assert "a@<!---->b\\.com" in row  # GFM links a@b.com even escaped: an empty comment parts it
    assert "&amp;\\#124; &amp;amp;" in row and not re.search(r"&(?!amp;|lt;)", row)  # no entity


@pytest.mark.parametrize("text, cell", [
    ("1.5万元 99.5% 2021-12-31 -5% ≥95%", "1.5万元 99.5% 2021-12-31 -5% ≥95%"),
    ("<b>粗</b> a<=b", "&lt;b>粗&lt;/b> a<=b"),
    ("[x](javascript:alert(1))", "\\[x\\](javascript:alert(1))"),
    ("`code` \\", "\\`code\\` \\\\"),
])
def test_md_cell_escapes_only_what_could_become_markdown(text, cell):
    assert md_cell(text) == cell


def test_numbers_the_engine_formats_carry_no_backslash(sample_goals, sample_actuals):
    ev = score(sample_goals, sample_actuals)
    assert "\\" not in ev.to_markdown() and "\\" not in ev.to_markdown(narrative=True)


@pytest.mark.parametrize("level3", ["名称\r| 注入列 | x |", "名称\r\n| 注入列 | x |", "名称\u2028| 注入列 | x |",
                                    "名称\u2029| 注入列 | x |", "名称\x85| 注入列 | x |"])
def test_every_line_break_of_an_input_is_a_br(level3):
    markdown = score(goals(level3=level3), []).to_markdown()
    row = row_of(markdown, "| 产出指标 |")
    assert "名称<br>\\| 注入列 \\| x \\|" in row and len(unescaped(row, "|")) == 11  # the row's ten cells
    assert not re.search("[\r\u2028\u2029\x85]", markdown)


def test_a_lone_carriage_return_in_an_actuals_csv_note_stays_in_its_cell(tmp_path):
    (tmp_path / "g.json").write_text(json.dumps(goals(), ensure_ascii=False), encoding="utf-8")
    (tmp_path / "a.csv").write_bytes('id,actual,note\n1,12000册,"原因\r| 注入 |"\n'.encode("utf-8"))
    result = CliRunner().invoke(main, ["--goals", str(tmp_path / "g.json"), "--actuals", str(tmp_path / "a.csv"),
                                       "--format", "md"])
    assert result.exit_code == 0, result.output
    row = row_of(result.stdout, "宣传印刷品数量")
    assert "原因<br>\\| 注入 \\|" in row and len(unescaped(row, "|")) == 11 and "\r" not in result.stdout


def starts_block(line: str) -> bool:
    """Whether a line opens a CommonMark block other than a paragraph: heading, quote, list, break, fence."""
    return bool(re.match(r"(#{1,6}|[-+*]|\d{1,9}[.)])(\s|$)|>|([-*_]\s*){3,}$|```|~~~|<[A-Za-z/!?]", line))


@pytest.mark.parametrize("name", ["# 注入标题 *强调*", "> 引用", "- 列表", "+ 列表", "1. 有序", "2) 有序"])
def test_a_project_name_starting_a_line_starts_no_block(name):
    markdown = score(goals(name), []).to_markdown(narrative=True)
    overview = markdown.split("## 一、项目概况\n\n")[1].splitlines()[0]
    assert starts_block(name) and overview.startswith(md_cell(name)) and not starts_block(overview)


@pytest.mark.parametrize("text", ["---", "- - -", "-", "+", "1.", "10)", "#", ">", "***", "```", "~~~", "<div>"])
def test_md_cell_of_a_block_marker_alone_is_text(text):
    assert starts_block(text) and not starts_block(md_cell(text))


@pytest.mark.parametrize("level3", ["# 标题", "> 引用", "- 嵌套", "3. 嵌套"])
def test_an_indicator_starting_a_list_item_nests_no_block(level3):
    markdown = score(goals(level3=level3), [{"id": "1", "actual": "100册"}]).to_markdown(narrative=True)
    assert f"- {md_cell(level3)}：年度指标值" in markdown and f"1. {md_cell(level3)}（得" in markdown
    assert starts_block(level3) and not starts_block(md_cell(level3))


@pytest.mark.parametrize("kind", ["html", "md"])
def test_summary_links_are_percent_encoded_file_names(tmp_path, kind):
    projects = [goals("项目#1"), goals("项目%41"), goals("项目(3")]
    (tmp_path / "g.json").write_text(json.dumps({"projects": projects}, ensure_ascii=False), encoding="utf-8")
    (tmp_path / "a.csv").write_text("project,id,actual\n项目#1,1,100册\n", encoding="utf-8")
    out = tmp_path / "reports"
    result = CliRunner().invoke(main, ["--goals", str(tmp_path / "g.json"), "--actuals", str(tmp_path / "a.csv"),
                                       "--format", kind, "--out", f"{out}/"])
    assert result.exit_code == 0, result.output
    summary = (out / f"summary.{kind}").read_text(encoding="utf-8")
    pattern = r'<a href="([^"]*)">' if kind == "html" else r"\]\(([^)\s]*)\)"
    hrefs = re.findall(pattern, summary)
    reports = sorted(p.name for p in out.iterdir() if not p.name.startswith("summary"))
    assert sorted(hrefs) == sorted(quote(name, safe="") for name in reports) and len(reports) == 3
    assert all((out / unquote(href)).is_file() for href in hrefs)


def test_summary_link_text_stays_escaped(tmp_path):
    projects = [goals("*强调*[x]"), goals("乙")]
    (tmp_path / "g.json").write_text(json.dumps({"projects": projects}, ensure_ascii=False), encoding="utf-8")
    (tmp_path / "a.csv").write_text("project,id,actual\n乙,1,100册\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["--goals", str(tmp_path / "g.json"), "--actuals", str(tmp_path / "a.csv"),
                                       "--format", "md", "--out", f"{tmp_path / 'out'}/"])
    assert result.exit_code == 0, result.output
    [report] = [p.name for p in (tmp_path / "out").iterdir() if p.name.startswith("强调")]
    summary = (tmp_path / "out" / "summary.md").read_text(encoding="utf-8")
    assert f"| [\\*强调\\*\\[x\\]]({quote(report, safe='')}) |" in summary
