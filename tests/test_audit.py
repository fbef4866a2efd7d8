"""Auditing published self-evaluations: each kind of disagreement auditors look for (domain.md) is found in
tests/cases/audit/inconsistent.json, and nothing in the consistent fixtures (expected values by hand)."""
from __future__ import annotations

import json
import sys
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from scoring import InputError, UnitError, audit
from scoring.inputs import validate_goals
from scoring.scorer import evaluate
from scoring.cli import main

FIXTURES = Path(__file__).parent / "cases" / "audit"


def test_a_consistent_table_gives_an_empty_list():
    # 10 + 9.68 + 0 + 9.23 + 9.38 + 22 (明显 under 显著: 部分达成, 18–24) + 10 + 9.61 = 79.90, 中
    found = audit(FIXTURES / "consistent.json")
    assert found.empty, found[["id", "kind", "message"]]
    assert found.attrs["projects"] == 1


def test_a_consistent_long_table_gives_an_empty_list():
    # 50 × 4604/4754 = 48.42; 5100 ≤ 5300 → 20; 93% ≥ 90% → 20; 80/100 × 10 = 8; total 96.42, 优
    assert audit(FIXTURES / "consistent.csv").empty


EXPECTED = {  # (id or row, kind) → (published, expected), all by hand
    ("1", "above_weight"): ("12", "10"),
    ("2", "missed_full"): ("10", "9.68"),          # 92% against ≥95%: 10 × 92/95 = 9.68
    ("4", "unreadable"): ("10", ""),               # 按计划推进中 is no completion date
    ("5", "ceiling_full"): ("10", "9.38"),         # 4.8元 against ≤4.5元: 10 × 4.5/4.8 = 9.375 → 9.38
    ("6", "band_mismatch"): ("26", "21"),          # 明显 under 显著 is 部分达成: 18–24 of 30
    ("7", "score_differs"): ("8", "10"),           # 96.5% ≥ 95%: full 10
    ("7", "no_reason"): ("8", ""),
    ("", "rate_inconsistent"): ("100.00%", "96.15%"),       # 80 ÷ 83.2054
    ("", "budget_score_inconsistent"): ("10", "9.61"),      # 10 × 0.961476 = 9.61
    ("", "total_not_sum"): ("95", "96"),                    # 12+10+10+10+10+26+8 + 10 = 96
    ("", "grade_mismatch"): ("良", "优"),                    # 95 ≥ 90
}


def test_each_kind_of_disagreement_is_found():
    found = audit(FIXTURES / "inconsistent.json")
    got = {(r.id, r.kind): (r.published, r.expected) for r in found.itertuples()}
    assert got == EXPECTED
    assert set(found.columns) == {"project", "id", "level3", "kind", "published", "expected", "message"}
    missed = found[found["kind"] == "missed_full"].iloc[0]
    assert missed["message"] == "目标 ≥95%，实际 92%：未达成年度指标值，却得满分 10分（按规则应得 9.68分）"


def test_the_domain_examples(tmp_path):
    """domain.md: `>=4754人` achieved `4604人` scored 5/5; `<=5300元/户`, actual `5830元/户`, 10/10."""
    published = {"project": "P", "indicators": [
        {"id": "1", "level1": "产出指标", "level3": "参保人数", "target": ">=4754人", "weight": 5,
         "actual": "4604人", "score": 5},
        {"id": "2", "level1": "产出指标", "level2": "成本指标", "level3": "户均成本", "target": "<=5300元/户",
         "weight": 10, "actual": "5830元/户", "score": 10}]}
    found = audit(published)
    assert list(found["kind"]) == ["missed_full", "ceiling_full"]
    assert list(found["expected"]) == ["4.84", "9.09"]  # 5 × 4604/4754 = 4.842…; 10 × 5300/5830 = 9.0909…


def test_many_files_give_one_combined_table(tmp_path):
    folder = tmp_path / "published"
    folder.mkdir()
    for name in ("consistent.json", "inconsistent.json", "consistent.csv"):
        (folder / name).write_bytes((FIXTURES / name).read_bytes())
    result = CliRunner().invoke(main, ["audit", str(folder), "--out", str(tmp_path / "findings.csv")])
    assert result.exit_code == 0, result.output
    assert "11 disagreements in 1 of 3 projects" in result.stderr
    text = (tmp_path / "findings.csv").read_bytes().decode("utf-8-sig")
    assert text.splitlines()[0] == "项目,指标编号,三级指标,问题,公布值,重算值,说明"
    assert len(text.strip().splitlines()) == 1 + 11


def test_a_project_the_engine_refuses_is_named_by_its_file(tmp_path):
    """Among many files, an error the engine raises while recomputing names the file it came from."""
    folder = tmp_path / "published"
    folder.mkdir()
    clash = json.loads((FIXTURES / "consistent.json").read_text(encoding="utf-8"))
    clash["indicators"][4]["actual"] = "4.8小时"  # 小时 against 元
    (folder / "a.json").write_bytes((FIXTURES / "consistent.json").read_bytes())
    (folder / "b.json").write_text(json.dumps(clash, ensure_ascii=False), encoding="utf-8")
    result = CliRunner().invoke(main, ["audit", str(folder), "--out", str(tmp_path / "findings.csv")])
    assert result.exit_code == 2
    assert f"{folder / 'b.json'}: actuals row 5: indicator 5 '平均成本': actual unit '小时'" in result.stderr
    assert "Traceback" not in result.output


def test_a_project_the_batch_refuses_is_found_by_halves_not_one_run_each(monkeypatch):
    """A province's one bad table among thousands is named after a few runs of halves of the batch, not
    one run per project (for 9,953 projects, a unit clash: 96 s → 3.5 s; a bad weight: 19 s → 1.3 s)."""
    consistent = json.loads((FIXTURES / "consistent.json").read_text(encoding="utf-8"))
    clash = json.loads(json.dumps(consistent))
    clash["indicators"][4]["actual"] = "4.8小时"  # 小时 against 元
    runs = []
    monkeypatch.setattr(sys.modules["scoring.audit"], "evaluate", lambda *args: runs.append(1) or evaluate(*args))
    with pytest.raises(UnitError, match=r"^published\[49\]: actuals row 5: indicator 5 '平均成本'"):
        audit([consistent] * 49 + [clash] + [consistent] * 14)
    # 64 projects: the batch, then at each of 6 levels of halves at most the two halves, then the one alone
    assert len(runs) <= 1 + 2 * 6 + 1
    bad = json.loads(json.dumps(consistent))
    bad["indicators"][2]["weight"] = "ten"
    validated = []
    monkeypatch.setattr(sys.modules["scoring.audit"], "validate_goals",
                        lambda *args: validated.append(1) or validate_goals(*args))
    with pytest.raises(InputError, match=r"^published\[49\]: indicators\[2\]\.weight: 'ten' is not"):
        audit([consistent] * 49 + [bad] + [consistent] * 14)
    assert len(validated) == 1  # the quick check finds the half, the validator names the project alone


@pytest.mark.parametrize("suffix", [".html", ".xlsx", ".md"])
def test_findings_in_every_format(tmp_path, suffix):
    out = tmp_path / f"findings{suffix}"
    result = CliRunner().invoke(main, ["audit", str(FIXTURES / "inconsistent.json"), "--out", str(out)])
    assert result.exit_code == 0, result.output
    if suffix == ".xlsx":
        rows = list(openpyxl.load_workbook(out).active.iter_rows(values_only=True))
        assert len(rows) == 12 and rows[1][3] == "得分超过分值"
    else:
        text = out.read_text(encoding="utf-8")
        assert "1 个项目，1 个有问题，共 11 处" in text and "未达成却得满分" in text


def test_a_bad_published_file_names_where(tmp_path):
    bad = tmp_path / "p.json"
    bad.write_text(json.dumps({"project": "P", "indicators": [
        {"level3": "x", "target": "1个", "score": "ten"}]}), encoding="utf-8")
    with pytest.raises(Exception, match="P: indicator 1 score: 'ten' is not a number"):
        audit(bad)


def test_projects_are_recomputed_together_and_each_as_its_own():
    """All published projects go through the engine in one run (a province's thousands of tables): the
    findings are those of each project audited alone, published names may repeat, and a project the batch
    cannot take is still named as its own goals would name it."""
    inconsistent = json.loads((FIXTURES / "inconsistent.json").read_text(encoding="utf-8"))
    consistent = json.loads((FIXTURES / "consistent.json").read_text(encoding="utf-8"))
    alone = audit(inconsistent).values.tolist() + audit(consistent).values.tolist()
    together = audit([inconsistent, consistent, inconsistent])  # the same name twice
    assert together.attrs["projects"] == 3
    assert len(alone) == 11 and together.values.tolist() == alone + alone
    twice = json.loads(json.dumps(consistent))
    twice["indicators"][1]["id"] = twice["indicators"][0]["id"]
    with pytest.raises(InputError, match=r"^published\[1\]: goals: indicators\[1\]\.id: indicator id '1' appears "):
        audit([consistent, twice])
    clash = json.loads(json.dumps(consistent))
    clash["indicators"][4]["actual"] = "4.8小时"  # 小时 against 元: a UnitError, naming the project's own row 5
    with pytest.raises(UnitError, match=r"^published\[1\]: actuals row 5: indicator 5 '平均成本': actual unit '小时'"):
        audit([consistent, clash])
    bad = json.loads(json.dumps(consistent))
    bad["indicators"][2]["weight"] = "ten"
    with pytest.raises(InputError, match=r"^published: projects\[1\]: indicators\[2\]\.weight: 'ten' is not"):
        audit({"projects": [consistent, bad]})
