"""score_batch() gives exactly what score() gives project by project; the batch command writes a report per
project, a summary with a department roll-up, or one workbook; the workbook holds the numbers of the page."""
from __future__ import annotations

import json
import re

import openpyxl
import pandas as pd
from click.testing import CliRunner

from scoring import score, score_batch
from scoring.cli import main

from generated import generated

def test_batch_equals_score_project_by_project_to_the_cent():
    goals, rows = generated(300)
    batch = score_batch(goals, rows)
    assert batch["project"].nunique() == 300
    for project in goals["projects"]:
        mine = [r for r in rows if r["project"] == project["project"]]
        alone = score(project, mine).table
        part = batch[batch["project"] == project["project"]].drop(columns="project").reset_index(drop=True)
        pd.testing.assert_frame_equal(part, alone, check_dtype=False)


def test_batch_on_the_sample_equals_score(sample_goals, sample_actuals):
    table = score_batch(sample_goals, sample_actuals)
    pd.testing.assert_frame_equal(table.drop(columns="project"), score(sample_goals, sample_actuals).table)


def test_batch_command_writes_reports_summary_and_roll_up(tmp_path):
    goals, rows = generated(30)
    (tmp_path / "g.json").write_text(json.dumps(goals, ensure_ascii=False), encoding="utf-8")
    pd.DataFrame(rows).to_csv(tmp_path / "a.csv", index=False)
    result = CliRunner().invoke(main, ["--goals", str(tmp_path / "g.json"), "--actuals", str(tmp_path / "a.csv"),
                                       "--out", str(tmp_path / "reports") + "/"])
    assert result.exit_code == 0, result.output
    assert re.search(r"score: 30 projects: 优 \d+，良 \d+，中 \d+，差 \d+; 需复核 \d+ indicators, 未填报 \d+", result.stderr)
    files = sorted(p.name for p in (tmp_path / "reports").iterdir())
    assert len(files) == 31 and "summary.html" in files and "项目0000.html" in files
    summary = (tmp_path / "reports" / "summary.html").read_text(encoding="utf-8")
    assert summary.count('<a href="%E9%A1%B9%E7%9B%AE') == 30  # href="项目…", percent-encoded
    assert "部门汇总" in summary and "部门6" in summary


def test_workbook_holds_the_numbers_of_the_page(tmp_path, sample_goals, sample_actuals):
    out = tmp_path / "自评表.xlsx"
    result = CliRunner().invoke(main, ["--goals", str(sample_goals), "--actuals", str(sample_actuals), "--out", str(out)])
    assert result.exit_code == 0, result.output
    ev = score(sample_goals, sample_actuals)
    html = ev.to_html()
    book = openpyxl.load_workbook(out)
    (sheet,) = book.worksheets
    assert sheet.title == "档案整理服务项目资金" and sheet["A1"].value == "项目支出绩效自评表（2021年度）"
    cells = {c.coordinate: c.value for row in sheet.iter_rows() for c in row if c.value is not None}
    assert cells["D5"] == 83.21 and sheet["D5"].number_format == "0.00"  # 万元 to 2 decimals
    assert sheet["G5"].number_format == "0.00%" and abs(cells["G5"] - 80 / 83.2054) < 1e-12
    scores = [sheet.cell(row=r, column=7).value for r in range(12, 12 + len(ev.table))]
    assert scores == list(ev.table["score"])
    for value in scores:
        assert f'<td class="num">{value:.2f}</td>' in html
    assert sheet.cell(row=20, column=7).value == 78.9 and sheet.cell(row=20, column=8).value == "评价等级：中"
    merged = {str(m) for m in sheet.merged_cells.ranges}
    assert {"A1:H1", "A4:A8", "A12:A16", "B14:B15"} <= merged  # title; 项目资金; 产出 over 5 rows; 时效 over 2


def test_batch_workbook_has_a_summary_and_a_sheet_per_project(tmp_path):
    goals, rows = generated(12)
    out = tmp_path / "全部.xlsx"
    (tmp_path / "g.json").write_text(json.dumps(goals, ensure_ascii=False), encoding="utf-8")
    pd.DataFrame(rows).to_csv(tmp_path / "a.csv", index=False)
    result = CliRunner().invoke(main, ["--goals", str(tmp_path / "g.json"), "--actuals", str(tmp_path / "a.csv"),
                                       "--out", str(out)])
    assert result.exit_code == 0, result.output
    book = openpyxl.load_workbook(out)
    assert book.sheetnames[0] == "汇总" and len(book.sheetnames) == 13
    batch = score_batch(goals, rows)
    totals = {r[0]: r[3] for r in book["汇总"].iter_rows(min_row=3, max_row=14, values_only=True)}
    for name, group in batch.groupby("project"):
        assert totals[name] == score(goals, rows, project=name).total


def test_goals_from_a_folder(tmp_path, sample_goals, sample_actuals):
    folder = tmp_path / "goals"
    folder.mkdir()
    (folder / "a.json").write_bytes(sample_goals.read_bytes())
    other = json.loads(sample_goals.read_text(encoding="utf-8"))
    other["project"] = "另一个项目"
    (folder / "b.json").write_text(json.dumps(other, ensure_ascii=False), encoding="utf-8")
    table = score_batch(folder, [{"project": "档案整理服务项目资金", "id": "1", "actual": "1间"},
                                 {"project": "另一个项目", "id": "1", "actual": "0间"}])
    assert list(table.groupby("project", sort=False)["score"].first()) == [10, 0]


def test_workbook_structure_excel_accepts(tmp_path):
    """What makes Excel and WPS offer a repair: overlapping merged ranges, bad or repeated sheet names."""
    goals, rows = generated(8)
    goals["projects"][1]["project"] = "名称:带[非法]字符/且很长很长很长很长很长很长很长很长很长很长很长的项目"
    rows = [dict(r, project=goals["projects"][1]["project"]) if r["project"] == "项目0001" else r for r in rows]
    out = tmp_path / "b.xlsx"
    result = CliRunner().invoke(main, ["--goals", str(_dump(tmp_path, goals)), "--actuals", str(_csv(tmp_path, rows)),
                                       "--out", str(out)])
    assert result.exit_code == 0, result.output
    book = openpyxl.load_workbook(out)
    names = book.sheetnames
    assert len({n.lower() for n in names}) == len(names)
    assert all(len(n) <= 31 and not re.search(r"[\[\]:*?/\\]", n) for n in names)
    for sheet in book.worksheets:
        cells = [(r, c) for m in sheet.merged_cells.ranges for r in range(m.min_row, m.max_row + 1)
                 for c in range(m.min_col, m.max_col + 1)]
        assert len(cells) == len(set(cells)), sheet.title


def _dump(folder, goals):
    path = folder / "g.json"
    path.write_text(json.dumps(goals, ensure_ascii=False), encoding="utf-8")
    return path


def _csv(folder, rows):
    path = folder / "a.csv"
    pd.DataFrame(rows).to_csv(path, index=False)
    return path


def test_workbooks_carry_no_timestamp_and_no_formula(tmp_path):
    import zipfile

    goals = {"year": 2021, "project": "P", "budget": {"unit": "万元", "full_year": 10}, "indicators": [
        {"id": "1", "level1": "产出指标", "level3": "=HYPERLINK(\"http://x\")", "target": "=4部门"}]}
    out = tmp_path / "r.xlsx"
    result = CliRunner().invoke(main, ["--goals", str(_dump(tmp_path, goals)), "--actuals",
                                       str(_csv(tmp_path, [{"id": "1", "actual": "+4部门"}])), "--out", str(out)])
    assert result.exit_code == 0, result.output
    with zipfile.ZipFile(out) as book:
        assert {info.date_time for info in book.infolist()} == {(1980, 1, 1, 0, 0, 0)}
        core = book.read("docProps/core.xml").decode()
        assert "2000-01-01T00:00:00Z" in core and "2026" not in core
    sheet = openpyxl.load_workbook(out).active
    for coordinate in ("C12", "D12", "E12"):
        assert sheet[coordinate].data_type == "s"  # text, never a formula
    assert sheet["D12"].value == "=4部门" and sheet["C12"].value.startswith("=HYPERLINK")


def test_composite_targets_cost_the_same_passes_however_many_there_are(monkeypatch):
    """A composite target once spread an attribute over all rows for each composite row (quadratic: 40,000
    such indicators took 38 s); each attribute is spread once, and the parts are scored in one frame."""
    import scoring.engine as engine

    def spreads(count: int) -> tuple[int, pd.DataFrame]:
        calls = []
        real = engine._take
        monkeypatch.setattr(engine, "_take", lambda *args: calls.append(args[1]) or real(*args))
        inds = [{"id": str(i + 1), "level1": "产出指标", "level3": f"指标{i}", "target": "≥90%、≤2小时"}
                for i in range(count)]
        table = score_batch({"project": "P", "indicators": inds}, {str(i + 1): "92%、3小时" for i in range(count)})
        monkeypatch.setattr(engine, "_take", real)
        return len(calls), table

    few, small = spreads(3)
    many, large = spreads(30)
    assert few == many
    # Each part has half the 分值: 92% meets ≥90% (share 1); 3 小时 against ≤2 小时 earns 2/3 (反向, target ÷
    # actual): 5/6 of the 分值. The table has only 产出指标, so its indicators share all 90 indicator points:
    # 30 each, 30 × 5/6 = 25.
    assert small["score"].tolist() == [25.0, 25.0, 25.0]
    assert (large["method"] == "复合").all()
