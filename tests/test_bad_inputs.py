"""Bad input gets one clear message naming the file and the line, field or indicator: exit 2 on the command line,
a ScoringError from Python; never a traceback, never a raw TypeError, ValueError or OSError."""
from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pytest
from click.testing import CliRunner

from scoring import InputError, ScoringError, audit, parse_target, score, score_batch
from scoring.cli import main


def refused(*args: object) -> str:
    """The one line `score` gives on stderr for input it refuses (exit 2, no traceback)."""
    result = CliRunner().invoke(main, [str(a) for a in args])
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr
    assert result.stderr.strip().count("\n") == 0, result.stderr
    return result.stderr.strip()


def scored_refusal(goals: Path, actuals: Path) -> str:
    return refused("--goals", goals, "--actuals", actuals)


# ---------------------------------------------------------------- 1. internal errors of the command line

@pytest.mark.parametrize("out", ["nodir/x.csv", "."])
def test_template_refuses_a_place_it_cannot_write(tmp_path, sample_goals, out):
    where = tmp_path / out
    line = refused("template", "--goals", sample_goals, "-o", where)
    assert f"{where}: cannot write: " in line


def test_a_whole_number_too_long_to_read_is_named_by_its_field(write, small_goals):
    text = json.dumps(small_goals).replace('"year": 2021', '"year": ' + "9" * 5000)
    line = scored_refusal(write("g.json", text), write("a.csv", "id,actual\n1,1册\n"))
    assert "g.json: year: a whole number of more than 4300 digits" in line


def test_json_nested_too_deeply_names_the_file(write):
    line = scored_refusal(write("g.json", "[" * 100000), write("a.csv", "id,actual\n1,1册\n"))
    assert line.endswith("g.json: invalid JSON: arrays or objects nested too deeply")


# ---------------------------------------------------------------- 2. the Python API raises scoring's errors

@pytest.mark.parametrize("goals, what", [
    (None, "not NoneType"), (5, "not int"), ([{}], "not list"), (b"g.json", "not bytes"),
    ('{"project": "P", "indicators": []}', "JSON text"),
])
def test_goals_of_no_kind_the_api_takes_are_refused(sample_actuals, goals, what):
    with pytest.raises(InputError, match=rf"^goals: .*{what}"):
        score(goals, sample_actuals)


def test_score_batch_refuses_what_is_no_goals():
    with pytest.raises(InputError, match="^goals: must be a path"):
        score_batch(None, None)


@pytest.mark.parametrize("actuals", [None, 5, b"a.csv"])
def test_actuals_of_no_kind_the_api_takes_are_refused(sample_goals, actuals):
    with pytest.raises(InputError, match=rf"^actuals: must be a path .* not {type(actuals).__name__}"):
        score(sample_goals, actuals)


@pytest.mark.parametrize("name", ["x" * 5000, "g\x00.json"])
def test_a_name_no_file_can_have_is_refused_cut_short(sample_actuals, name):
    with pytest.raises(InputError, match="not a usable file name") as error:
        score(name, sample_actuals)
    assert len(str(error.value)) < 200


@pytest.mark.parametrize("option, value", [("rules", 5), ("project", 5), ("encoding", 5)])
def test_options_of_the_wrong_type_are_refused_by_name(sample_goals, sample_actuals, option, value):
    with pytest.raises(ScoringError, match=rf"^{option}: must be .*, not int"):
        score(sample_goals, sample_actuals, **{option: value})


def test_a_rule_set_name_no_file_can_have_is_no_rule_set(sample_goals, sample_actuals):
    with pytest.raises(ScoringError, match="no rule set 'x{80}…'"):
        score(sample_goals, sample_actuals, rules="x" * 5000)


def test_an_actuals_cell_holding_a_list_is_named_by_its_line(sample_goals):
    frame = pd.DataFrame({"id": ["1", "2"], "actual": ["1间", ["92%"]]})
    with pytest.raises(InputError, match=r"^actuals DataFrame line 2: the actual cell holds a list"):
        score(sample_goals, frame)


def test_an_actuals_frame_with_a_repeated_column_is_refused(sample_goals):
    frame = pd.DataFrame([["1", "1间", "2间"]], columns=["id", "actual", "actual"])
    with pytest.raises(InputError, match=r"^actuals DataFrame: two columns give the 实际完成值 \(actual\)"):
        score(sample_goals, frame)


def test_audit_refuses_what_is_no_published_self_evaluation():
    with pytest.raises(ScoringError):
        audit(None)


@pytest.mark.parametrize("year", [0, -1, 100000])
def test_parse_target_refuses_a_year_no_calendar_has(year):
    with pytest.raises(ScoringError, match="year"):
        parse_target("6月前", year=year)


def test_a_tuple_holding_a_list_in_an_actuals_cell_is_named_by_line():
    goals = {"project": "P", "indicators": [{"id": "1", "level3": "x", "target": "≥1件"}]}
    with pytest.raises(InputError, match="actuals DataFrame line 1: the actual cell holds a tuple"):
        score(goals, pd.DataFrame({"id": ["1"], "actual": [([1],)]}))  # hashable by type, not by value


def test_a_year_from_a_numpy_column_is_a_year():
    assert parse_target("6月前", year=np.int64(2024)).deadline == date(2024, 6, 30)


def test_a_date_in_a_year_no_calendar_has_is_unreadable_not_a_crash():
    target = parse_target("0000年6月30日前", year=2021)
    assert (target.kind, target.reason) == ("unreadable", "no year 0")


# ---------------------------------------------------------------- 3. two columns for one thing

@pytest.mark.parametrize("header, key", [
    ("指标编号,三级指标,实际完成值,偏差原因分析及改进措施,实际完成值", "实际完成值 (actual): '实际完成值' (column 3) and "
                                                        "'实际完成值' (column 5)"),
    ("指标编号,三级指标,actual,实际完成值,偏差原因", "实际完成值 (actual): 'actual' (column 3) and '实际完成值' (column 4)"),
    ("指标编号,id,三级指标,实际完成值,偏差原因", "指标编号 (id)"),
    ("指标编号,三级指标,指标名称,实际完成值,偏差原因", "三级指标 (indicator)"),
    ("指标编号,三级指标,实际完成值,备注,偏差原因", "偏差原因分析及改进措施 (note)"),
    ("指标编号,三级指标,实际完成值,得分,score", "得分 (score)"),
    ("项目,指标编号,三级指标,实际完成值,项目名称", "项目名称 (project)"),
])
def test_two_columns_for_one_thing_are_refused_naming_both(write, sample_goals, header, key):
    actuals = write("a.csv", f"{header}\n1,档案室数量,1间,,999\n")
    assert f"a.csv: two columns give the {key}" in scored_refusal(sample_goals, actuals)


def test_two_actual_columns_in_a_workbook_are_refused(tmp_path, sample_goals):
    book = openpyxl.Workbook()
    book.active.append(["指标编号", "三级指标", "实际完成值", "实际完成值"])
    book.active.append(["1", "档案室数量", "1间", "2间"])
    book.save(tmp_path / "a.xlsx")
    line = scored_refusal(sample_goals, tmp_path / "a.xlsx")
    assert "a.xlsx: two columns give the 实际完成值 (actual): '实际完成值' (column 3) and '实际完成值' (column 4)" in line


# ---------------------------------------------------------------- 4. NaN and Infinity

@pytest.mark.parametrize("field", ["budget.full_year", "budget.weight", "budget.initial", "indicators[0].weight",
                                   "indicators[1].target"])
def test_nan_where_a_number_belongs_is_refused_by_field(write, small_goals, field):
    part, key = field.split(".")
    holder = small_goals["budget"] if part == "budget" else small_goals["indicators"][int(part[-2])]
    holder[key] = float("nan")  # written NaN, JSON's non-standard spelling Python reads
    goals = write("g.json", json.dumps(small_goals, ensure_ascii=False))
    line = scored_refusal(goals, write("a.csv", "id,actual\n1,12800册\n2,96%\n"))
    assert line.endswith(f"g.json: {field}: NaN is not a number")


def test_nan_weight_in_a_goals_dict_is_refused(small_goals, sample_actuals):
    small_goals["indicators"][0]["weight"] = float("nan")
    with pytest.raises(InputError, match=r"^goals: indicators\[0\]\.weight: NaN is not a number$"):
        score(small_goals, sample_actuals)


@pytest.mark.parametrize("cell", ["inf", "1e400", "-inf", "Infinity"])
def test_a_person_score_that_is_no_finite_number_is_refused_by_line(write, sample_goals, cell):
    actuals = write("a.csv", f"指标编号,三级指标,实际完成值,得分\n1,档案室数量,1间,5\n6,提高档案查询率,显著提高,{cell}\n")
    line = scored_refusal(sample_goals, actuals)
    assert f"a.csv line 3: 得分 (score) '{cell}' of '提高档案查询率' is not a number of points" in line


# ---------------------------------------------------------------- 5. messages name the file, and stay short

def test_a_rule_set_not_found_names_the_goals_file_and_project(write, small_goals):
    small_goals["rules"] = "nosuch"
    line = scored_refusal(write("g.json", small_goals), write("a.csv", "id,actual\n1,12800册\n"))
    assert "g.json: project '测试项目': rules: no rule set 'nosuch' (shipped: " in line


def test_a_rule_set_not_found_names_the_project_of_a_goals_dict(small_goals, sample_actuals):
    small_goals["rules"] = "nosuch"
    with pytest.raises(ScoringError, match="^goals: project '测试项目': rules: no rule set 'nosuch'"):
        score(small_goals, sample_actuals)


def test_a_rule_set_not_found_names_the_option(sample_goals, sample_actuals):
    line = refused("--goals", sample_goals, "--actuals", sample_actuals, "--rules", "nosuch")
    assert line.startswith("score: error: --rules: no rule set 'nosuch' (shipped: ")


def test_the_goals_file_choice_of_rules_gives_way_to_the_one_asked_for(small_goals):
    small_goals["rules"] = "nosuch"  # --rules / rules= chooses: the file's own is not looked for
    assert score(small_goals, {"1": "12800册"}, rules="national").rulebook.name == "national"


@pytest.mark.parametrize("change, where, tail", [
    (lambda g: [g] * 20, "g.json", "… is not of type 'object'"),
    (lambda g: {**g, "indicators": [{**g["indicators"][0], "level3": "长" * 200000}]}, "g.json: indicators[0].level3",
     "…' is too long"),
    (lambda g: {**g, "indicators": [{**g["indicators"][0], "x" * 300: 1}]}, "g.json: indicators[0]",
     "…' was unexpected)"),
    (lambda g: {**g, "year": int("9" * 4000)}, "g.json: year", "… is greater than the maximum of 2100"),
])
def test_schema_messages_quote_values_cut_short(write, small_goals, change, where, tail):
    line = scored_refusal(write("g.json", change(small_goals)), write("a.csv", "id,actual\n1,12800册\n"))
    assert f"{where}: " in line and line.endswith(tail) and len(line) < 300, line
