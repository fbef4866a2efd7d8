"""Reading goals and actuals: clear messages naming the file and the line or field; nothing dropped."""
import json
import re
from datetime import datetime
from types import SimpleNamespace

import openpyxl
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st
import pytest

from scoring import InputError, ScoringError, score
from scoring.scorer import evaluate
from scoring.inputs import read_actuals, read_goals
from scoring.inputs.xlsx_cells import cell_text


def _rows(*lines: str) -> str:
    return "\n".join(("指标编号,三级指标,实际完成值,偏差原因分析及改进措施", *lines)) + "\n"


def test_schema_violation_names_the_field(write, small_goals):
    small_goals["indicators"][1]["weight"] = "ten"
    with pytest.raises(InputError, match=r"g\.json: indicators\[1\]\.weight: 'ten' is not of type"):
        read_goals(write("g.json", small_goals))


def test_a_bool_beside_an_equal_number_is_refused(write, small_goals):
    # pandas hashes True like 1: the quick check once met only the 1 and let a true weight or id through.
    small_goals["indicators"][0]["weight"] = 1
    small_goals["indicators"][1]["weight"] = True
    with pytest.raises(InputError, match=r"g\.json: indicators\[1\]\.weight: True is not of type"):
        read_goals(write("g.json", small_goals))
    small_goals["indicators"][1]["weight"] = 1
    small_goals["indicators"][0]["id"], small_goals["indicators"][1]["id"] = 1, True
    with pytest.raises(InputError, match=r"g\.json: indicators\[1\]\.id: True is not of type"):
        read_goals(write("g.json", small_goals))


@pytest.mark.parametrize("field, value, where", [
    ("weight", 10 ** 400, "indicators[0].weight"),  # math.isfinite overflowed on it: a traceback
    ("weight", float("inf"), "indicators[0].weight"),  # was scored: 分值 inf, 得分 4.6e16
    ("target", float("inf"), "indicators[0].target"),
    ("full_year", 1e400, "budget.full_year"),  # JSON's 1e400 is inf
], ids=["weight 10**400", "weight inf", "target inf", "budget 1e400"])
def test_numbers_no_budget_or_score_can_hold_are_refused_by_field(write, small_goals, field, value, where):
    if field == "full_year":
        small_goals["budget"]["full_year"] = value
    else:
        small_goals["indicators"][0][field] = value
    with pytest.raises(InputError, match=rf"g\.json: {re.escape(where)}: .* is greater than the maximum of 1000000000000000"):
        read_goals(write("g.json", small_goals))


@pytest.mark.parametrize("field", ["id", "level1", "rule"])
def test_nan_where_the_schema_wants_a_text_or_an_id_is_refused(small_goals, field):
    # JSON's non-standard NaN reads as a missing cell once in a frame: the quick check took it for an absent
    # field (an id numbered by place) where the schema refuses it (found by the property test below)
    small_goals["indicators"][1][field] = float("nan")
    with pytest.raises(InputError, match=rf"goals: indicators\[1\]\.{field}: nan is not of type"):
        read_goals(small_goals)


def test_an_integer_id_longer_than_a_float_is_its_digits(small_goals):
    small_goals["indicators"][0]["id"] = 10 ** 400  # float(id) overflowed: a traceback
    assert read_goals(small_goals).indicators["id"].iat[0] == "1" + "0" * 400


def test_missing_required_field(write, small_goals):
    del small_goals["indicators"][0]["target"]
    with pytest.raises(InputError, match=r"indicators\[0\]: 'target' is a required property"):
        read_goals(write("g.json", small_goals))


def test_unknown_field_is_refused(write, small_goals):
    small_goals["indicators"][0]["wieght"] = 5
    with pytest.raises(InputError, match=r"indicators\[0\]: Additional properties .*'wieght'"):
        read_goals(write("g.json", small_goals))


def test_invalid_json_names_line_and_column(write):
    with pytest.raises(InputError, match=r"g\.json line 2, column \d+: invalid JSON"):
        read_goals(write("g.json", '{"project": "x",\n "indicators": [}'))


def test_duplicate_ids(write, small_goals):
    small_goals["indicators"][1]["id"] = "1"
    with pytest.raises(InputError, match=r"indicators\[1\]\.id: indicator id '1' appears twice"):
        read_goals(write("g.json", small_goals))


def test_a_target_written_as_a_number_is_read_as_its_text(write):
    # The schema lets a target be a number (an Excel cell's value); it once crashed the goals reader.
    goals = {"project": "P", "indicators": [
        {"id": "1", "level1": "产出指标", "level3": "验收合格率", "target": 95, "weight": 50},
        {"id": "2", "level1": "效益指标", "level3": "覆盖率", "target": 0.8, "weight": 40},
        {"id": "3", "level1": "满意度指标", "level3": "满意度", "target": "≥90%", "weight": 10}]}
    evaluation = score(write("g.json", goals), {"1": "95", "2": "0.4", "3": "90%"})
    table = evaluation.table
    assert table["target"].tolist() == ["95", "0.8", "≥90%"]
    # 95 of 95 earns all 50 points; 0.4 of 0.8 is half of 40 = 20; 90% of ≥90% earns 10.
    assert table["score"].tolist() == [50.0, 20.0, 10.0]


def test_empty_file_directory_and_missing_file(write, tmp_path):
    with pytest.raises(InputError, match="empty"):
        read_goals(write("g.json", ""))
    empty_folder = tmp_path / "none"
    empty_folder.mkdir()
    with pytest.raises(InputError, match=r"no goals files \(\*\.json\) in this folder"):
        read_goals(empty_folder)
    with pytest.raises(InputError, match="is a directory"):
        read_actuals(tmp_path)
    with pytest.raises(InputError, match="no such file"):
        read_actuals(tmp_path / "none.csv")


def test_negative_budget_is_refused(write, small_goals):
    small_goals["budget"]["full_year"] = -1
    with pytest.raises(InputError, match=r"budget\.full_year: -1 is less than the minimum of 0"):
        read_goals(write("g.json", small_goals))


def test_ids_are_assigned_by_position_when_absent(small_goals):
    for ind in small_goals["indicators"]:
        del ind["id"]
    assert list(read_goals(small_goals).indicators["id"]) == ["1", "2"]


def test_actuals_match_by_id_or_by_name(small_goals):
    ev = score(small_goals, [{"indicator": "宣传印刷品数量", "actual": "12800册"}, {"id": "2", "actual": "96%"}])
    assert list(ev.table["status"]) == ["达成", "达成"]


def test_unmatched_rows_and_missing_indicators_are_reported(write, small_goals):
    actuals = write("a.csv", _rows("1,宣传印刷品数量,12800册,", "9,条幅数量,10条,"))
    ev = score(small_goals, actuals)
    assert list(ev.table["status"]) == ["达成", "未填报"]
    assert any("a.csv line 3" in n and "条幅数量" in n and "未使用" in n for n in ev.notes)
    assert any("受益群众满意度" in n and "未填报" in n for n in ev.notes)


def test_a_budget_row_of_a_project_not_in_the_goals_is_reported_not_dropped(write, small_goals):
    text = ("指标编号,三级指标,实际完成值,偏差原因分析及改进措施,项目名称\n1,宣传印刷品数量,12800册,,\n"
            ",全年执行数,8万元,,别的项目\n,年度总体目标,完成,,别的项目\n")
    path = write("a.csv", text)
    ev = score(small_goals, path)
    assert ev.budget["status"] == "未填报"  # the one 全年执行数 given is another project's
    assert [n for n in ev.notes if "未使用" in n] == [
        f"{path} line 3：“全年执行数”一行的项目“别的项目”不在目标中，该行未使用",
        f"{path} line 4：“年度总体目标”一行的项目“别的项目”不在目标中，该行未使用"]
    with pytest.raises(InputError, match="line 3：“全年执行数”一行的项目“别的项目”不在目标中"):
        score(small_goals, path, strict=True)


def test_a_row_of_a_project_not_in_the_goals_is_in_the_first_projects_notes(small_goals):
    other = json.loads(json.dumps(small_goals))
    other["project"] = "第二个项目"
    rows = [{"project": "测试项目", "id": "1", "actual": "12800册"}, {"project": "不存在项目", "id": "1", "actual": "1册"}]
    first, second = evaluate({"projects": [small_goals, other]}, rows)
    assert any("“1”不对应项目“不存在项目”的任何指标，该行未使用" in n for n in first.notes)
    assert not any("不存在项目" in n for n in second.notes)


@pytest.mark.parametrize("budget, note, refusal", [
    ("given", "未填报全年执行数，预算执行率得0分（分值 10分）", "project '测试项目' has no 全年执行数 in the actuals"),
    # a project without a budget is told so, not asked for a budget row
    (None, "目标表未给项目资金（全年预算数），预算执行率无法计算，得0分（分值 10分）",
     "project '测试项目' has no budget \\(budget.full_year\\) in the goals"),
])
def test_a_budget_row_that_cannot_be_scored_is_noted_and_refused_under_strict(small_goals, budget, note, refusal):
    if budget is None:
        del small_goals["budget"]
    rows = [{"id": "1", "actual": "12800册"}, {"id": "2", "actual": "96%"}]
    ev = score(small_goals, rows)
    assert (ev.budget["status"], ev.budget["score"]) == ("未填报", 0.0)
    assert note in ev.notes
    with pytest.raises(InputError, match=refusal):
        score(small_goals, rows, strict=True)
    blank = [*rows, {"indicator": "全年执行数", "actual": ""}]  # the form's row, left empty
    with pytest.raises(InputError, match=refusal):
        score(small_goals, blank, strict=True)


def test_two_rows_for_one_indicator(write, small_goals):
    actuals = write("a.csv", _rows("1,宣传印刷品数量,12800册,", ",宣传印刷品数量,12000册,"))
    with pytest.raises(InputError, match=r"a\.csv: two rows \(lines 2, 3\) give the actual of indicator '宣传印刷品数量'"):
        score(small_goals, actuals)


def test_ambiguous_name_asks_for_the_id(small_goals):
    small_goals["indicators"][1]["level3"] = "宣传印刷品数量"
    with pytest.raises(InputError, match="names several indicators; give the 指标编号"):
        score(small_goals, [{"indicator": "宣传印刷品数量", "actual": "1册"}])


def test_gbk_csv_with_english_headers_and_full_width_digits(write, small_goals):
    text = "id,actual,note\n1,１２８００册,\n2,９６％,\n"
    ev = score(small_goals, write("a.csv", text.encode("gbk")))
    assert list(ev.table["status"]) == ["达成", "达成"]


def test_csv_without_an_actual_column(write, small_goals):
    with pytest.raises(InputError, match=r"a\.csv: no 实际完成值 \(actual\) column"):
        score(small_goals, write("a.csv", "指标编号,数值\n1,3\n"))


def test_binary_actuals(write, small_goals):
    with pytest.raises(InputError, match="binary"):
        score(small_goals, write("a.csv", b"PK\x03\x04\x00\x00garbage"))


def test_a_trailing_comma_on_every_row_is_read_as_written(write, small_goals):
    # Excel leaves a comma after the last cell: pandas would read the ids as an index and shift every column
    ev = score(small_goals, write("a.csv", _rows("1,宣传印刷品数量,12800册,,", "2,受益群众满意度,96%,,")))
    assert list(ev.table["actual"]) == ["12800册", "96%"]
    assert list(ev.table["status"]) == ["达成", "达成"]  # 12800 ≥ 12800; 96 ≥ 95


def test_cells_beyond_the_header_are_refused_with_their_line(write, small_goals):
    actuals = write("a.csv", _rows("1,宣传印刷品数量,12800册,,", "2,受益群众满意度,96%,,多写的一格"))
    with pytest.raises(InputError, match=r"a\.csv line 3: has 5 cells where the header names 4"):
        score(small_goals, actuals)


def test_bad_person_score_names_the_line(write, small_goals):
    actuals = write("a.csv", "指标编号,实际完成值,得分\n1,12800册,abc\n")
    with pytest.raises(InputError, match=r"a\.csv line 2: 得分 \(score\) 'abc'"):
        score(small_goals, actuals)


def test_executed_budget_row_in_another_unit(small_goals):
    ev = score(small_goals, [{"id": "1", "actual": "12800册"}, {"indicator": "全年执行数", "actual": "95000元"}])
    # 95000元 = 9.5万元 of 10万元: 95%; 10 × 0.95 = 9.5
    assert ev.budget["executed"] == pytest.approx(9.5)
    assert ev.budget["score"] == 9.5


def test_executed_budget_that_is_not_money(small_goals):
    with pytest.raises(InputError, match="全年执行数 '12人' is not an amount of money"):
        score(small_goals, [{"indicator": "全年执行数", "actual": "12人"}])


def test_incompatible_units_name_the_indicator_and_both_units(write, small_goals):
    actuals = write("a.csv", _rows("1,宣传印刷品数量,12800人次,"))
    with pytest.raises(ScoringError, match=r"a\.csv line 2: indicator 1 '宣传印刷品数量': actual unit '人次' cannot "
                                           r"be compared with target unit '册'"):
        score(small_goals, actuals)


def test_goals_as_dataframe_and_actuals_as_mapping():
    goals = pd.DataFrame({"project": ["P", "P"], "id": ["a", "b"], "level1": ["产出指标", "产出指标"],
                          "level3": ["甲", "乙"], "target": ["≥10个", "≤2小时"], "weight": [25, 25]})
    ev = score(goals, {"a": "12个", "b": "90分钟"})
    assert list(ev.table["score"]) == [25, 25]


@pytest.mark.parametrize("encoding", ["utf-8", "gb18030"])
def test_a_surrogate_escape_in_a_goals_file_is_found_in_any_encoding(write, small_goals, encoding):
    # the escape is looked for in the file's bytes: GB18030 writes it in ASCII as UTF-8 does
    text = json.dumps(small_goals, ensure_ascii=False).replace("受益群众满意度", "受益群众满意度\\udc00")
    path = write("g.json", text.encode(encoding))
    with pytest.raises(InputError, match=r"g\.json: indicators\[1\]\.level3: text holds a lone surrogate"):
        read_goals(path)


def test_lone_surrogates_from_a_program_are_refused_by_field_and_line(small_goals):
    """A lone surrogate cannot be written to any report: refused where it enters, not met as a crash later.
    A surrogate pair (an emoji written as two escapes) is text like any other."""
    bad_goals = json.loads(json.dumps(small_goals))
    bad_goals["indicators"][1]["target"] = "≥95%\ud800"
    with pytest.raises(InputError, match=r"goals: indicators\[1\]\.target: text holds a lone surrogate"):
        read_goals(bad_goals)
    bad_project = json.loads(json.dumps(small_goals))
    bad_project["department"] = "卫健委\udc00"
    with pytest.raises(InputError, match=r"goals: department: text holds a lone surrogate"):
        read_goals(bad_project)
    also_invalid = json.loads(json.dumps(small_goals))  # the schema's message must not be what names it
    also_invalid["indicators"][0]["weight"] = "ten"
    also_invalid["indicators"][1]["level3"] = "指标\ud800"
    with pytest.raises(InputError, match=r"goals: indicators\[1\]\.level3: text holds a lone surrogate"):
        read_goals(also_invalid)
    with pytest.raises(InputError, match=r"actuals line 2: the actual cell holds a lone surrogate"):
        read_actuals([{"id": "1", "actual": "12800册"}, {"id": "2", "actual": "96%\udfff"}])
    fine = json.loads(json.dumps(small_goals, ensure_ascii=False).replace("印刷品数量", "印刷品数量\\ud83d\\ude00"))
    assert read_goals(fine).indicators["level3"].iat[0] == "宣传印刷品数量😀"


def test_several_projects_need_a_project_column(small_goals):
    other = json.loads(json.dumps(small_goals))
    other["project"] = "第二个项目"
    with pytest.raises(InputError, match="the actuals need a 项目名称"):
        score({"projects": [small_goals, other]}, [{"id": "1", "actual": "1册"}])


# The quick check of the schema's rules stands in for the JSON Schema validator on the fast path: it may send
# a valid file to the validator, but it must never accept one the validator refuses.
_values = st.one_of(st.none(), st.booleans(), st.integers(-5, 3000), st.floats(allow_nan=True, allow_infinity=True),
                    st.sampled_from([10 ** 400, 1e15, 1e15 + 1, 10 ** 15 + 1, -1e16]),
                    st.text(max_size=5), st.sampled_from(["正向", "反向", "", "x" * 2001, "≥95%"]),
                    st.lists(st.integers(), max_size=2), st.dictionaries(st.text(max_size=3), st.integers(), max_size=2))
_indicator_keys = st.sampled_from(["id", "level1", "level2", "level3", "description", "target", "weight", "rule",
                                   "direction", "extra"])


@settings(max_examples=400, deadline=None)
@given(mutations=st.lists(st.tuples(st.integers(0, 2), _indicator_keys, _values, st.booleans()), max_size=4),
       project_mutations=st.lists(st.tuples(st.sampled_from(["year", "project", "budget", "goal", "rules",
                                                             "indicators", "extra"]), _values), max_size=2),
       multi=st.booleans())
def test_quick_check_never_accepts_what_the_schema_refuses(mutations, project_mutations, multi):
    import jsonschema

    from scoring.inputs.goals import _quick_check, goals_schema

    project = {"year": 2021, "project": "P", "budget": {"unit": "万元", "full_year": 10}, "indicators": [
        {"id": str(i + 1), "level1": "产出指标", "level3": f"指标{i}", "target": "≥95%", "weight": 10}
        for i in range(3)]}
    for index, key, value, delete in mutations:
        if delete:
            project["indicators"][index].pop(key, None)
        else:
            project["indicators"][index][key] = value
    for key, value in project_mutations:
        project[key] = value
    data = {"projects": [project]} if multi else project
    accepted = _quick_check(data) is not None
    refused = next(jsonschema.Draft202012Validator(goals_schema()).iter_errors(data), None) is not None
    assert not (accepted and refused), data


def test_ids_that_differ_by_a_trailing_nul_are_two_ids(small_goals):
    # factorize once turned the ids' list into numpy text, which drops a trailing NUL: "1\x00" equalled "1"
    small_goals["indicators"][1]["id"] = "1\x00"
    goals = read_goals(small_goals)
    assert goals.indicators["id"].tolist()[:2] == ["1", "1\x00"]


@pytest.mark.parametrize("storage", ["pyarrow", "python"])
def test_an_actuals_frame_reads_alike_however_pandas_stores_its_text(storage):
    # Arrow text (Dask's partitions, pandas 3's read_csv with pyarrow) is hashed by Arrow: the same rows, codes
    frame = pd.DataFrame({"项目名称": ["P", None, "Q", "P"], "指标编号": ["1", "2", None, " 1"],
                          "实际完成值": ["96%", None, "", "12800册"], "偏差原因": [None, None, None, "备注"]})
    typed, plain = read_actuals(frame.astype(f"string[{storage}]")), read_actuals(frame.astype(object))
    pd.testing.assert_frame_equal(typed.rows, plain.rows)
    assert typed.codes.keys() == plain.codes.keys()
    for key, (codes, values) in plain.codes.items():
        assert typed.codes[key][0].tolist() == codes.tolist() and list(typed.codes[key][1]) == list(values)


def _xlsx_actuals(path, cells):
    """An actuals workbook as Excel saves what staff type: (value, number format) per 实际完成值 cell."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["指标编号", "实际完成值"])
    for i, (value, number_format) in enumerate(cells, start=1):
        sheet.append([str(i), value])
        sheet.cell(i + 1, 2).number_format = number_format
    book.save(path)
    return path


def test_xlsx_actuals_read_as_staff_see_them(tmp_path):
    # Excel stores a typed 92% as 0.92 under `0%` and a typed 2024/6/20 as a date; both were read raw
    # ("0.92", scored as 0.92%; "2024-06-20 00:00:00", unreadable)
    path = _xlsx_actuals(tmp_path / "a.xlsx", [(0.92, "0%"), (0.955, "0.0%"), (0.07, "0%"),
                                               (datetime(2024, 6, 20), "yyyy/m/d"),
                                               (datetime(2024, 6, 20, 15, 30), "yyyy/m/d h:mm"),
                                               (10.0, "General"), (12, "General"), (" 已完成 ", "@")])
    assert list(read_actuals(path).rows["actual"]) == ["92%", "95.5%", "7%", "2024年6月20日", "2024年6月20日",
                                                       "10", "12", "已完成"]


@pytest.mark.parametrize("value, number_format, text", [
    (10.0, "General", "10"), (2.5, "0.00", "2.5"), (0.1, "0.00%", "10%"), (1, "0%", "100%"),
    (0.5, '0"%"', "0.5%"), (True, "General", "TRUE"), (None, "General", ""), ("#N/A", "General", "#N/A"),
    (datetime(2024, 6, 1), 'yyyy"年"m"月"', "2024年6月"),  # 2024年6月 typed: the month, not 1 June
    (datetime(2024, 6, 1), "mmm-yy", "2024年6月"), (datetime(2024, 6, 20), "yyyy/m/d", "2024年6月20日"),
])
def test_an_xlsx_cell_reads_as_excel_shows_it(value, number_format, text):
    assert cell_text(SimpleNamespace(value=value, number_format=number_format)) == text


def test_xlsx_percent_and_date_actuals_score_by_hand(tmp_path):
    goals = {"year": 2024, "project": "P", "indicators": [
        {"id": "1", "level1": "产出指标", "level3": "验收合格率", "target": "≥95%", "weight": 10},
        {"id": "2", "level1": "产出指标", "level3": "完成时间", "target": "2024年6月30日前", "weight": 10}]}
    ev = score(goals, _xlsx_actuals(tmp_path / "a.xlsx", [(0.92, "0%"), (datetime(2024, 6, 20), "yyyy/m/d")]))
    # 10 × 92/95 = 9.684… → 9.68 (≥ 60% of 10: 部分达成); 6月20日 is before 6月30日 → full 10
    assert list(ev.table["actual"]) == ["92%", "2024年6月20日"]
    assert list(ev.table["score"]) == [9.68, 10]
    assert list(ev.table["status"]) == ["部分达成", "达成"]
