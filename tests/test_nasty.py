"""Bad input never crashes: each file of tests/nasty/ (cases.toml) makes `score` exit 2 with one line on stderr
naming the file and what is wrong; hypothesis feeds random files through the same door."""
from __future__ import annotations

import json
import os
import tomllib
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scoring.cli import main

NASTY = Path(__file__).parent / "nasty"
CASES = tomllib.loads((NASTY / "cases.toml").read_text(encoding="utf-8"))["case"]


def _run(args: list[str], cwd: Path):
    here = os.getcwd()
    os.chdir(cwd)
    try:
        return CliRunner().invoke(main, args)
    finally:
        os.chdir(here)


@pytest.mark.parametrize("case", CASES, ids=[" ".join(c["args"][1::2])[:60] for c in CASES])
def test_each_nasty_file_exits_2_with_one_line(case):
    result = _run(case["args"], NASTY)
    assert result.exit_code == 2, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, lines
    assert "Traceback" not in result.output
    assert case["where"] in lines[0] and case["says"] in lines[0], lines[0]


def test_the_corpus_inputs_that_are_fine_are_fine():
    result = _run(["--goals", "goals.json", "--actuals", "actuals_gbk.csv"], NASTY)
    assert result.exit_code == 0, result.output  # GBK detected without a flag; ９６％ is 96%


texts = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=12)
cells = st.one_of(texts, st.sampled_from(["12800册", "4.5万人次", "96％", "不适用", "已完成", "=1+1", "@x", "-5",
                                          "2021年7月1日", "", "  ", "1,000", "４４８６０人次", "<script>"]))


@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
@given(level3=texts, target=st.one_of(texts, st.sampled_from(["≥95%", "12800册", "显著提升", "≤4万元"])),
       weight=st.one_of(st.none(), st.floats(min_value=0, max_value=200)), rows=st.lists(
           st.tuples(st.sampled_from(["1", "2", "x", ""]), texts, cells, texts, cells), max_size=5),
       encoding=st.sampled_from(["utf-8", "utf-8-sig", "gbk", "gb18030"]), header=st.sampled_from([
           "指标编号,三级指标,实际完成值,偏差原因分析及改进措施,得分", "id,indicator,actual,note,score"]))
def test_random_files_give_a_report_or_one_documented_error(tmp_path_factory, level3, target, weight, rows,
                                                             encoding, header):
    folder = tmp_path_factory.mktemp("fuzz")
    indicator = {"id": "1", "level1": "产出指标", "level3": level3 or "指标", "target": target}
    if weight is not None:
        indicator["weight"] = weight
    (folder / "g.json").write_text(json.dumps({"year": 2021, "project": "P", "indicators": [
        indicator, {"id": "2", "level1": "满意度指标", "level3": "满意度", "target": "≥90%"}]}, ensure_ascii=False),
        encoding="utf-8")
    body = "\n".join(",".join('"' + str(c).replace('"', '""') + '"' for c in row) for row in rows)
    try:
        data = (header + "\n" + body + "\n").encode(encoding)
    except UnicodeEncodeError:
        return  # text this encoding cannot hold is not a file anyone has
    (folder / "a.csv").write_bytes(data)
    result = _run(["--goals", "g.json", "--actuals", "a.csv", "--format", "json"], folder)
    assert result.exit_code in (0, 2), result.output
    if result.exit_code == 2:
        assert len(result.stderr.strip().splitlines()) == 1
    else:
        report = json.loads(result.stdout)
        assert [i["id"] for i in report["indicators"]] == ["1", "2"]  # nothing lost


@settings(max_examples=80, deadline=None, suppress_health_check=list(HealthCheck))
@given(names=st.lists(st.text(alphabet="甲乙丙丁戊己庚辛", min_size=1, max_size=3), min_size=1, max_size=6,
                      unique=True),
       rows=st.lists(st.tuples(st.sampled_from(["1", "2", "3", "9", ""]), st.sampled_from(["甲", "乙", "丙丁", "壬", ""]),
                               st.sampled_from(["10个", "不适用", "", "已完成", "5"])), max_size=6))
def test_nothing_is_lost(names, rows):
    """Every indicator is in every output with a status; every actuals row is used or listed as unused."""
    from scoring import ScoringError, score

    goals = {"project": "P", "indicators": [{"id": str(i + 1), "level1": "产出指标", "level3": name, "target": "≥10个"}
                                            for i, name in enumerate(names)]}
    actuals = [{"id": ident, "indicator": name, "actual": actual} for ident, name, actual in rows]
    try:
        ev = score(goals, actuals)
    except ScoringError:
        return  # two rows for one indicator, an ambiguous name: refused with a message, nothing scored
    assert list(ev.table["level3"]) == names
    assert set(ev.table["status"]) <= {"达成", "部分达成", "未达成", "未填报", "不适用", "需复核"}
    data = json.loads(ev.to_json())
    markdown, html = ev.to_markdown(), ev.to_html()
    for name in names:
        assert any(i["level3"] == name for i in data["indicators"]) and f"| {name} |" in markdown
        assert f"<td>{name}</td>" in html
    ids = {str(i + 1): name for i, name in enumerate(names)}
    unused = 0
    for ident, name, actual in rows:
        if not (ident or name or actual):
            continue  # a blank line
        hit = ids.get(ident) if ident else (name if name in names else None)  # an id wins over a name
        if hit is None:
            unused += 1
        else:
            assert ev.table.set_index("level3").loc[hit, "actual"] == actual
    assert sum("该行未使用" in note for note in ev.notes) == unused
