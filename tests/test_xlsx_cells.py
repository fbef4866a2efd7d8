"""Cells of every .xlsx the engine writes (report, batch workbook, actuals form, audit findings): formula-like text
is quote-prefixed text that reads back as written, numbers stay numbers, and characters an .xlsx cannot hold are
written as visible escapes instead of crashing the writer or corrupting the file."""
from __future__ import annotations

import csv
import json
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner
from openpyxl.cell.cell import Cell

from scoring import score
from scoring.cli import main

ROOT = Path(__file__).resolve().parent.parent
AUDIT = ROOT / "tests" / "cases" / "audit" / "inconsistent.json"
PROJECT = "=1+1项目"
NAMES = ["=1+1", "+SUM(A1)", "-2+3", "@cmd|x"]  # indicators 1–4 of the sample
NOTE = "=cmd|' /C calc'!A0"
FORMULA_LIKE = {PROJECT, *NAMES, NOTE}


def run(*args: object):
    return CliRunner().invoke(main, [str(a) for a in args])


def cells(path: Path) -> list[Cell]:
    """Every non-empty cell of every sheet of the workbook at path."""
    book = openpyxl.load_workbook(path)
    return [c for sheet in book.worksheets for row in sheet.iter_rows() for c in row if c.value is not None]


def texts(path: Path) -> dict[str, list[Cell]]:
    """The text cells of the workbook at path, by value."""
    found: dict[str, list[Cell]] = {}
    for cell in cells(path):
        if isinstance(cell.value, str):
            found.setdefault(cell.value, []).append(cell)
    return found


def assert_neutralised(path: Path, expected: set[str]) -> None:
    """Each expected text is there as written, as quote-prefixed text; no other text cell is quote-prefixed."""
    found = texts(path)
    assert expected <= set(found), expected - set(found)
    for value, group in found.items():
        for cell in group:
            assert cell.data_type == "s"
            assert cell.quotePrefix is (value in FORMULA_LIKE), (cell.coordinate, value)


def goals(tmp_path: Path, project: str = PROJECT, **changes: str) -> Path:
    """The sample goals with the project renamed and indicators 1–4 named NAMES (or as `changes` say)."""
    data = json.loads((ROOT / "samples" / "g.json").read_text(encoding="utf-8"))
    data["project"] = project
    for ind, name in zip(data["indicators"], NAMES):
        ind["level3"] = changes.get(ind["id"], name)
    path = tmp_path / "g.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def actuals(tmp_path: Path, note: str = NOTE) -> Path:
    """The sample actuals with indicators 1–4 named NAMES and indicator 2's note `note`."""
    with (ROOT / "samples" / "a.csv").open(encoding="utf-8-sig", newline="") as f:
        rows = list(csv.reader(f))
    for row in rows[1:]:
        if row[0] in ("1", "2", "3", "4"):
            row[1] = NAMES[int(row[0]) - 1]
        if row[0] == "2":
            row[3] = note
    path = tmp_path / "a.csv"
    with path.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows(rows)
    return path


def test_the_report_workbook_quote_prefixes_formula_like_text_and_keeps_numbers(tmp_path):
    out = tmp_path / "r.xlsx"
    result = run("--goals", goals(tmp_path), "--actuals", actuals(tmp_path), "--out", out)
    assert result.exit_code == 0, result.output
    assert_neutralised(out, FORMULA_LIKE)
    sheet = openpyxl.load_workbook(out).worksheets[0]
    assert sheet["B2"].value == PROJECT and sheet["H13"].value == NOTE
    assert "\n" in sheet["B10"].value and "\\u000a" not in sheet["B10"].value  # line breaks are left alone
    assert sheet["D5"].value == 83.21 and sheet["D5"].data_type == "n" and not sheet["D5"].quotePrefix
    scores = [sheet.cell(row=r, column=7) for r in range(12, 19)]
    assert all(isinstance(c.value, (int, float)) and c.data_type == "n" for c in scores)


def test_the_public_api_workbook_is_neutralised_too(tmp_path):
    out = tmp_path / "api.xlsx"
    score(goals(tmp_path), actuals(tmp_path)).to_excel(out)
    assert_neutralised(out, FORMULA_LIKE)


def test_the_batch_workbook_summary_is_neutralised(tmp_path):
    one = json.loads(goals(tmp_path).read_text(encoding="utf-8"))
    other = dict(one, project="+另一个项目", department="-部门")
    path = tmp_path / "batch.json"
    path.write_text(json.dumps({"projects": [one, other]}, ensure_ascii=False), encoding="utf-8")
    rows = [{"project": p, "id": "1", "actual": "1间"} for p in (PROJECT, "+另一个项目")]
    (tmp_path / "batch.csv").write_text(
        "project,id,actual\n" + "".join(f"{r['project']},{r['id']},{r['actual']}\n" for r in rows), encoding="utf-8")
    out = tmp_path / "全部.xlsx"
    result = run("--goals", path, "--actuals", tmp_path / "batch.csv", "--out", out)
    assert result.exit_code == 0, result.output
    summary = openpyxl.load_workbook(out)["汇总"]
    column = {c.value: c for c in summary["A"] if isinstance(c.value, str)}
    assert column[PROJECT].quotePrefix and column["+另一个项目"].quotePrefix
    assert not column["项目支出绩效自评汇总"].quotePrefix
    assert summary["B4"].value == "-部门" and summary["B4"].quotePrefix
    assert [summary["D3"].data_type, summary["D4"].data_type] == ["n", "n"]  # 得分


def test_the_actuals_form_reads_back_as_written(tmp_path):
    out = tmp_path / "t.xlsx"
    result = run("template", "--goals", goals(tmp_path), "-o", out)
    assert result.exit_code == 0, result.output
    assert_neutralised(out, {PROJECT, *NAMES})
    rows = list(openpyxl.load_workbook(out).active.iter_rows(min_row=2, max_row=5, values_only=True))
    assert [(r[0], r[2]) for r in rows] == [(PROJECT, name) for name in NAMES]


def test_the_audit_findings_are_neutralised(tmp_path):
    published = json.loads(AUDIT.read_text(encoding="utf-8"))
    published["project"] = PROJECT
    published["indicators"][0]["level3"] = NAMES[0]
    path = tmp_path / "p.json"
    path.write_text(json.dumps(published, ensure_ascii=False), encoding="utf-8")
    out = tmp_path / "x.xlsx"
    result = run("audit", path, "--out", out)
    assert result.exit_code == 0, result.output
    assert_neutralised(out, {PROJECT, NAMES[0]})


UNHOLDABLE = {"控制\u0001字符": "控制\\u0001字符", "档案\x0b室": "档案\\u000b室", "非字符\uffff": "非字符\\uffff"}


@pytest.mark.parametrize("text", sorted(UNHOLDABLE))
def test_the_report_and_the_form_hold_unholdable_project_names(tmp_path, text):
    """The writers used to crash (IllegalCharacterError) or write a workbook nothing could open (U+FFFF)."""
    path = goals(tmp_path, project=text)
    report, form = tmp_path / "r.xlsx", tmp_path / "t.xlsx"
    result = run("--goals", path, "--actuals", actuals(tmp_path), "--out", report)
    assert result.exit_code == 0, result.output
    assert UNHOLDABLE[text] in texts(report)
    assert openpyxl.load_workbook(report).sheetnames == [UNHOLDABLE[text].replace("\\", "_")]
    result = run("template", "--goals", path, "-o", form)
    assert result.exit_code == 0, result.output
    assert UNHOLDABLE[text] in texts(form)


def test_an_actuals_note_with_a_control_character_is_written_visibly(tmp_path):
    out = tmp_path / "r.xlsx"
    result = run("--goals", goals(tmp_path), "--actuals", actuals(tmp_path, note="原因\x01说明"), "--out", out)
    assert result.exit_code == 0, result.output
    assert openpyxl.load_workbook(out).worksheets[0]["H13"].value == "原因\\u0001说明"


def test_the_audit_findings_hold_a_control_character(tmp_path):
    published = json.loads(AUDIT.read_text(encoding="utf-8"))
    published["project"] = "控制\u0001字符"
    path = tmp_path / "p.json"
    path.write_text(json.dumps(published), encoding="utf-8")
    out = tmp_path / "x.xlsx"
    result = run("audit", path, "--out", out)
    assert result.exit_code == 0, result.output
    assert "控制\\u0001字符" in texts(out)
