"""extract → template → fill → score, the three-command workflow, and the actuals form itself."""
from __future__ import annotations

import csv
import io
import json
from datetime import datetime

import openpyxl
from click.testing import CliRunner

from scoring import score
from scoring.cli import main
from scoring.extract import extract
from scoring.inputs import read_actuals


def run(*args):
    result = CliRunner().invoke(main, [str(a) for a in args])
    assert result.exit_code == 0, result.output
    return result


def _goal_table(path):
    """A department's goal table as staff keep it in Excel, merged 一级/二级 cells left empty."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["2024年度项目支出绩效目标表"])
    sheet.append(["项目名称", "城乡居民医保宣传项目", "", "主管部门", "某市医疗保障局"])
    sheet.append(["年度资金总额（万元）", 50])
    sheet.append(["一级指标", "二级指标", "三级指标", "指标值", "分值", "评(扣)分标准"])
    sheet.append(["产出指标", "数量指标", "宣传册数量", "≥10000册", 20, None])
    sheet.append([None, None, "宣传活动场次", "≥12场", 20, "每少一场扣2分"])
    sheet.append([None, "质量指标", "宣传覆盖率", "≥90%", 10, None])
    sheet.append(["效益指标", "社会效益指标", "政策知晓率", "有所提升", 30, None])
    sheet.append(["满意度指标", "服务对象满意度指标", "群众满意度", "≥90%", 10, None])
    book.save(path)


FILLED = {"宣传册数量": "9500册", "宣传活动场次": "10场", "宣传覆盖率": "92%", "政策知晓率": "明显提升",
          "群众满意度": "88%", "全年执行数": "45"}


def test_extract_template_fill_score(tmp_path):
    table, goals, form, report = (tmp_path / n for n in ("目标表.xlsx", "g.json", "a.csv", "自评表.html"))
    _goal_table(table)
    run("extract", table, "-o", goals)
    extracted = json.loads(goals.read_text(encoding="utf-8"))
    assert extracted["project"] == "城乡居民医保宣传项目" and extracted["year"] == 2024
    assert extracted["budget"]["full_year"] == 50
    assert [i["level1"] for i in extracted["indicators"]] == ["产出指标"] * 3 + ["效益指标", "满意度指标"]
    assert extracted["indicators"][1]["rule"] == "每少一场扣2分"

    run("template", "--goals", goals, "-o", form)
    rows = list(csv.reader(io.StringIO(form.read_bytes().decode("utf-8-sig"))))
    for row in rows[1:]:
        row[4] = FILLED.get(row[2], "")
    with open(form, "w", encoding="utf-8-sig", newline="") as f:
        csv.writer(f).writerows(rows)

    run("--goals", goals, "--actuals", form, "--out", report)
    ev = score(goals, form)
    # 宣传册 20 × 9500/10000 = 19.00; 场次: 2 short × 2分 = 16.00; 覆盖率 92 ≥ 90 → 10;
    # 知晓率 明显 is above 有所 → 30; 满意度 10 × 88/90 = 9.777… → 9.78; budget 45/50 = 90% → 9.00
    assert list(ev.table["score"]) == [19.00, 16.00, 10, 30, 9.78]
    assert ev.budget["score"] == 9.00
    assert ev.total == 93.78 and ev.grade == "优"  # 19 + 16 + 10 + 30 + 9.78 + 9
    assert "93.78" in report.read_text(encoding="utf-8")


def test_extract_reads_xlsx_targets_as_staff_see_them(tmp_path):
    # Excel stores a typed 95% as 0.95 under `0%` and a typed date as a date: both were extracted raw
    # ("0.95", "2024-06-30 00:00:00")
    table = tmp_path / "目标表.xlsx"
    _goal_table(table)
    book = openpyxl.load_workbook(table)
    sheet = book.active
    sheet["D7"] = 0.95
    sheet["D7"].number_format = "0%"
    sheet["D8"] = datetime(2024, 6, 30)
    sheet["D8"].number_format = "yyyy/m/d"
    book.save(table)
    targets = [i["target"] for i in extract(table).goals()["indicators"]]
    assert targets == ["≥10000册", "≥12场", "95%", "2024年6月30日", "≥90%"]


def test_template_csv_opens_in_excel_and_reads_back(tmp_path):
    goals = {"year": 2021, "project": "部门整体", "budget": {"unit": "万元", "full_year": 12.5},
             "indicators": [{"id": "1", "level1": "部门产出", "level3": "保障部门开展活动", "target": "=4部门"},
                            {"id": "2", "level1": "部门产出", "level3": "@负责人", "target": "-"}]}
    form = tmp_path / "a.csv"
    run("template", "--goals", _write(tmp_path / "g.json", goals), "-o", form)
    raw = form.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # UTF-8 BOM: Excel on Chinese Windows reads it as Chinese
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows[0] == ["项目名称", "指标编号", "三级指标", "年度指标值", "实际完成值", "偏差原因分析及改进措施"]
    assert rows[1][3] == "'=4部门" and rows[2][2] == "'@负责人" and rows[2][3] == "'-"  # never a formula
    assert rows[3][2:4] == ["全年执行数", "12.5万元"]
    back = read_actuals(form).rows
    assert list(back["indicator"]) == ["保障部门开展活动", "@负责人", "全年执行数"]  # the mark comes off again


def test_template_offers_a_budget_row_only_where_the_goals_give_a_budget(tmp_path):
    # a 全年执行数 filled in for a project without a budget would be refused: the form does not ask for it
    goals = {"projects": [
        {"project": "有预算", "budget": {"unit": "万元", "initial": 8},
         "indicators": [{"id": "1", "level3": "活动", "target": "≥4次"}]},
        {"project": "无预算", "indicators": [{"id": "1", "level3": "活动", "target": "≥4次"}]}]}
    form = tmp_path / "a.csv"
    run("template", "--goals", _write(tmp_path / "g.json", goals), "-o", form)
    rows = list(csv.reader(io.StringIO(form.read_text(encoding="utf-8-sig"))))
    assert [row[:4] for row in rows[1:]] == [["有预算", "1", "活动", "≥4次"], ["有预算", "", "全年执行数", "8万元"],
                                            ["无预算", "1", "活动", "≥4次"]]


def test_template_xlsx_holds_text_not_formulas(tmp_path):
    goals = _write(tmp_path / "g.json", {"project": "P", "indicators": [
        {"id": "1", "level1": "产出指标", "level3": "活动", "target": "=4部门"}]})
    form = tmp_path / "a.xlsx"
    run("template", "--goals", goals, "-o", form)
    sheet = openpyxl.load_workbook(form).active
    assert sheet["D2"].value == "=4部门" and sheet["D2"].data_type == "s"
    assert [c.value for c in sheet[1]] == ["项目名称", "指标编号", "三级指标", "年度指标值", "实际完成值",
                                          "偏差原因分析及改进措施"]


def test_template_to_stdout_is_csv(sample_goals):
    out = run("template", "--goals", sample_goals).stdout
    assert out.splitlines()[0].startswith("项目名称,指标编号,三级指标")
    assert "全年执行数" in out


def _write(path, data):
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path
