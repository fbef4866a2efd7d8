"""Reading published long tables for the audit: every row used or reported, bad cells named by file and line,
amounts read with their unit, no false findings (expected values by hand, from tests/cases/audit/consistent.csv:
参保人数 48.42 of 50, 户均成本 20, 满意度 20, budget 80 of 100万元 → 8 of 10; total 96.42, 优)."""
from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from scoring import InputError, audit
from scoring.cli import main

CONSISTENT = (Path(__file__).parent / "cases" / "audit" / "consistent.csv").read_text(encoding="utf-8-sig")
BUDGET_ROW = "参保扩面宣传项目,,,,全年执行数,100万元,10,80,8,资金按进度拨付\n"  # line 5


def written(tmp_path: Path, text: str, name: str = "p.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def refused(path: Path) -> str:
    """The one line `score audit` gives on stderr for a file it refuses (exit 2, no traceback)."""
    result = CliRunner().invoke(main, ["audit", str(path)])
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    return result.stderr.strip()


def test_two_columns_for_one_thing_are_refused_naming_both(tmp_path):
    header, rest = CONSISTENT.split("\n", 1)
    lines = [line + ",50" if line else line for line in rest.split("\n")]  # a second 得分 column, another score
    path = written(tmp_path, header + ",得分\n" + "\n".join(lines))
    assert refused(path) == (f"score: error: {path}: two columns give the 得分 (score): '得分' (column 9) and "
                             f"'得分' (column 11)")


def test_a_table_with_both_a_numbering_and_an_id_column_reads_the_id(tmp_path):
    header, rest = CONSISTENT.split("\n", 1)  # 序号 and 指标编号 both name the id: 指标编号 is the id
    numbered = "\n".join(f"{i},{line}" if line else line for i, line in enumerate(rest.split("\n"), start=1))
    found = audit(written(tmp_path, "序号," + header + "\n" + numbered))
    assert found.empty  # as consistent.csv itself


def test_a_second_total_row_is_refused_naming_both_lines(tmp_path):
    path = written(tmp_path, CONSISTENT + "参保扩面宣传项目,,,,总分,,,,50,\n")  # the first 总分 is line 6
    assert refused(path) == (f"score: error: {path} line 8: a second '总分' row for project '参保扩面宣传项目' "
                             f"(first: '总分' at {path} line 6)")


def test_a_second_budget_row_is_refused_naming_both_lines(tmp_path):
    path = written(tmp_path, CONSISTENT + "参保扩面宣传项目,,,,预算执行率,100万元,10,90,9,\n")  # an amount: a budget row
    assert refused(path).endswith(f"{path} line 8: a second '预算执行率' row for project '参保扩面宣传项目' "
                                  f"(first: '全年执行数' at {path} line 5)")


def test_a_project_with_only_budget_and_total_rows_is_reported(tmp_path):
    path = written(tmp_path, CONSISTENT + "别的项目,,,,全年执行数,100万元,10,80,8,\n别的项目,,,,总分,,,,99,\n")
    found = audit(path)
    assert found.attrs["projects"] == 2
    assert found[["project", "kind"]].values.tolist() == [["别的项目", "no_indicators"]]
    assert found["message"].iat[0] == f"{path} 第 8、9 行只有全年执行数、总分，没有指标行，未能重算"
    result = CliRunner().invoke(main, ["audit", str(path)])
    assert result.exit_code == 0 and "1 disagreements in 1 of 2 projects" in result.stderr


def test_a_merged_project_name_in_an_xlsx_belongs_to_the_rows_below(tmp_path):
    path = tmp_path / "p.xlsx"
    book = openpyxl.Workbook()
    for i, line in enumerate(CONSISTENT.splitlines()):
        book.active.append([cell if i < 2 or j else None for j, cell in enumerate(line.split(","))])
    book.active.merge_cells("A2:A7")  # openpyxl leaves A3:A7 empty, as Excel stores them
    book.save(path)
    found = audit(path)
    assert found.empty, found["message"].tolist()
    assert found.attrs["projects"] == 1


@pytest.mark.parametrize("budget", ["1000000元,10,800000元,8", "100万元,10,80万,8", "1000000元,10,80,8",
                                    "100,10,0.008亿元,8"])
def test_amounts_are_read_in_their_unit(tmp_path, budget):
    # each is 80万元 executed of 100万元: 80%, 8 of 10; a bare amount is in 万元
    path = written(tmp_path, CONSISTENT.replace("100万元,10,80,8", budget))
    found = audit(path)
    assert found.empty, found["message"].tolist()


def test_a_budget_that_is_no_amount_of_money_is_refused_naming_its_line(tmp_path):
    path = written(tmp_path, CONSISTENT.replace("100万元,10,80,8", "100人,10,80,8"))
    assert refused(path) == f"score: error: {path} line 5: 全年预算数 '100人' is not an amount of money in 万元"


def test_a_table_without_scores_is_refused(tmp_path):
    lines = [line.rsplit(",", 2) for line in CONSISTENT.splitlines()]
    path = written(tmp_path, "\n".join(f"{head},{note}" for head, _, note in lines) + "\n")  # no 得分 column
    assert refused(path) == f"score: error: {path}: no 得分 (score) column: there is nothing to audit"
    path = written(tmp_path, CONSISTENT.replace(",8,", ",,").replace("48.42", "").replace(",20,", ",,")
                   .replace("96.42", ""))
    assert refused(path).endswith(f"{path}: no row gives a 得分 (score): there is nothing to audit")


@pytest.mark.parametrize("old, new, line, field", [("48.42", "很好", 2, "得分"), ("96.42", "九十六", 6, "总分"),
                                                   ("80,8,资金", "80,八,资金", 5, "得分")])
def test_a_score_that_is_no_number_is_named_by_file_and_line(tmp_path, old, new, line, field):
    path = written(tmp_path, CONSISTENT.replace(old, new))
    cell = new.split(",")[1] if "," in new else new
    assert refused(path) == f"score: error: {path} line {line}: {field}: '{cell}' is not a number"


def test_a_published_json_score_names_the_file(tmp_path):
    path = written(tmp_path, json.dumps({"project": "P", "indicators": [
        {"level3": "x", "target": "1个", "weight": 10, "actual": "1个", "score": "很好"}]}), "p.json")
    assert refused(path) == f"score: error: {path}: P: indicator 1 score: '很好' is not a number"


@pytest.mark.parametrize("rate, expected", [("80%", []), ("80.00%", []), ("100%", [("100.00%", "80.00%")])])
def test_a_rate_row_is_checked_against_the_amounts(tmp_path, rate, expected):
    """A 预算执行率 row printing a percentage next to the 全年执行数 row is the printed rate: 80 ÷ 100 = 80%."""
    path = written(tmp_path, CONSISTENT + f"参保扩面宣传项目,,,,预算执行率,,,{rate},,\n")
    found = audit(path)
    assert found[["published", "expected"]].values.tolist() == [list(pair) for pair in expected]
    assert set(found["kind"]) <= {"rate_inconsistent"}


def test_a_rate_row_that_contradicts_the_budget_row_is_refused_naming_both(tmp_path):
    path = written(tmp_path, CONSISTENT + "参保扩面宣传项目,,,,预算执行率,,,80%,9,\n")
    assert refused(path) == (f"score: error: {path} line 8: 得分: 9 differs from 8 given at {path} line 5")


@pytest.mark.parametrize("score", ["inf", "1e400", "nan", "-Infinity"])
def test_a_score_that_is_no_finite_number_is_refused(tmp_path, score):
    path = written(tmp_path, CONSISTENT.replace(",48.42,", f",{score},"))
    assert refused(path) == f"score: error: {path} line 2: 得分: '{score}' is not a finite number"


def test_a_json_score_that_is_no_finite_number_is_refused(tmp_path):
    path = written(tmp_path, '{"project": "P", "indicators": [{"level3": "x", "target": "1个", "weight": 10, '
                             '"actual": "1个", "score": Infinity}]}', "p.json")
    with pytest.raises(InputError, match=r"p\.json: P: indicator 1 score: 'inf' is not a finite number$"):
        audit(path)


SECOND = CONSISTENT.split("\n", 1)[1].replace("参保扩面宣传项目", "第二个项目")  # after a blank line: lines 9–14


@pytest.mark.parametrize("old, new, message", [
    ("5100元/户", "5100小时", "line 10: indicator 2 '户均成本': actual unit '小时' cannot be compared with target "
                             "unit '元/户'"),
    (",户均成本,≤5300元/户,", ",户均成本,,", "line 10: 'target' is a required property"),
    (",≤5300元/户,20,", ",≤5300元/户,-20,", "line 10: 分值: -20.0 is less than the minimum of 0"),
    ("第二个项目,3,", "第二个项目,2,", "line 11: 指标编号: indicator id '2' appears twice (also {path} line 10)"),
    ("全年执行数,100万元,10,", "全年执行数,100万元,-10,", "line 12: 分值: -10.0 is less than the minimum of 0"),
])
def test_a_project_the_engine_refuses_is_named_by_the_line_of_the_file(tmp_path, old, new, message):
    """The second project of a long table: the engine counts the project's own rows (户均成本 is its row 2),
    the message names the line of the file (10: header, six lines of the first project, a blank line)."""
    path = written(tmp_path, CONSISTENT + "\n" + SECOND.replace(old, new))
    assert refused(path) == f"score: error: {path} {message.format(path=path)}"


def test_a_refused_field_is_named_by_the_files_own_header(tmp_path):
    # the same second project with its id column headed 序号 and its 分值 column headed weight
    header, rest = CONSISTENT.split("\n", 1)
    path = written(tmp_path, header.replace("指标编号", "序号").replace("分值", "weight") + "\n" + rest + "\n"
                   + SECOND.replace(",≤5300元/户,20,", ",≤5300元/户,-20,"))
    assert refused(path) == f"score: error: {path} line 10: weight: -20.0 is less than the minimum of 0"
    path = written(tmp_path, header.replace("指标编号", "序号") + "\n" + rest + "\n"
                   + SECOND.replace("第二个项目,3,", "第二个项目,2,"), "ids.csv")
    assert refused(path) == f"score: error: {path} line 11: 序号: indicator id '2' appears twice (also {path} line 10)"


@pytest.mark.parametrize("index", [7, 1, 0])
def test_an_indicator_place_in_the_users_text_is_kept_as_written(tmp_path, index):
    """户均成本 (line 3: after the header and 参保人数) is refused; the engine's message quotes its name, which the
    user wrote with `indicators[N]` in it: out of range (7) or not, the quoted name is not taken for a place."""
    name = f"户均成本 indicators[{index}]"
    path = written(tmp_path, CONSISTENT.replace(",户均成本,≤5300元/户,20,5100元/户,", f",{name},≤5300元/户,20,5100小时,"),
                   "weird_name2.csv")
    assert refused(path) == (f"score: error: {path} line 3: indicator 2 '{name}': actual unit '小时' cannot be "
                             "compared with target unit '元/户'")


def test_a_repeated_id_that_reads_like_a_place_is_kept_as_written(tmp_path):
    """The second project's rows 2 and 3 (lines 10 and 11) both have the id 'indicators[0]': the message names
    line 10 for the engine's own reference, and quotes the id as written."""
    twice = SECOND.replace("第二个项目,2,", "第二个项目,indicators[0],").replace("第二个项目,3,", "第二个项目,indicators[0],")
    path = written(tmp_path, CONSISTENT + "\n" + twice)
    assert refused(path) == (f"score: error: {path} line 11: 指标编号: indicator id 'indicators[0]' appears twice "
                             f"(also {path} line 10)")


def test_a_project_the_engine_refuses_is_named_by_the_row_of_the_sheet(tmp_path):
    path = tmp_path / "p.xlsx"
    book = openpyxl.Workbook()
    for line in (CONSISTENT + "\n" + SECOND.replace("5100元/户", "5100小时")).splitlines():
        book.active.append(line.split(",") if line else [])
    book.save(path)
    assert refused(path) == (f"score: error: {path} row 10: indicator 2 '户均成本': actual unit '小时' cannot be "
                             "compared with target unit '元/户'")
