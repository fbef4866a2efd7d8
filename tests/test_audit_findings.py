"""The audit's findings at their edges: the tolerance compared exactly, totals with blanks and the execution
cap, grades as the language file spells them, rates as printed, notes against deductions, the open edges of
the 定性 bands, projects counted per file. Expected findings by hand (domain.md, "Default scoring")."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from scoring import audit
from scoring.cli import main

FIXTURES = Path(__file__).parent / "cases" / "audit"
CONSISTENT_JSON = json.loads((FIXTURES / "consistent.json").read_text(encoding="utf-8"))
CONSISTENT_CSV = (FIXTURES / "consistent.csv").read_text(encoding="utf-8-sig")
FULL_BUDGET = {"unit": "万元", "full_year": 100, "executed": 100, "rate": "100%", "score": 10}


def indicator(ident: str, level1: str, target: str, weight: float, actual: str, score: float | None,
              note: str = "") -> dict:
    return {"id": ident, "level1": level1, "level3": f"指标{ident}", "target": target, "weight": weight,
            "actual": actual, "score": score, "note": note}


def project(*indicators: dict, **fields) -> dict:
    return {"year": 2021, "project": "P", "indicators": list(indicators), **fields}


def full_rows() -> list[dict]:
    """50 + 30 + 10, each met and scored full: 90 with the budget's 10 → 100."""
    return [indicator("1", "产出指标", "≥95%", 50, "96%", 50), indicator("2", "效益指标", "≥10个", 30, "10个", 30),
            indicator("3", "满意度指标", "≥90%", 10, "95%", 10)]


def consistent(**changes) -> dict:
    """tests/cases/audit/consistent.json (total 79.90, 中), indicator 2 (recomputed 9.68) or top fields changed."""
    published = json.loads(json.dumps(CONSISTENT_JSON))
    if "score2" in changes:
        published["indicators"][1]["score"] = changes.pop("score2")
    published["budget"].update(changes.pop("budget", {}))
    return {**published, **changes}


def kinds(found) -> list[tuple[str, str, str, str]]:
    return [tuple(row) for row in found[["id", "kind", "published", "expected"]].values.tolist()]


# 1. A difference of exactly the tolerance passes everywhere; one more hundredth does not.
@pytest.mark.parametrize("published, expected", [
    (consistent(score2=9.67), []),  # 9.68 − 0.01; total 79.90 against 79.89: 0.01
    (consistent(score2=9.69), []),
    (consistent(total=79.89), []),  # sum 79.90
    (consistent(total=79.91), []),
    (consistent(budget={"score": 9.60}, total=79.89), []),  # budget 9.61 − 0.01
    (consistent(budget={"score": 9.62}, total=79.91), []),
    (consistent(score2=9.70), [("2", "score_differs", "9.7", "9.68"), ("", "total_not_sum", "79.9", "79.92")]),
    (consistent(total=79.88), [("", "total_not_sum", "79.88", "79.9")]),
    # 1 × 1/8 = 0.125 → 0.13 half up; 0.12 is one hundredth off
    (project(indicator("1", "产出指标", "≥8次", 1, "1次", 0.12, "培训未按计划开展")), []),
    (project(indicator("1", "产出指标", "≥8次", 1, "1次", 0.11, "培训未按计划开展")),
     [("1", "score_differs", "0.11", "0.13")]),
])
def test_a_difference_of_exactly_the_tolerance_passes(published, expected):
    assert kinds(audit(published, tolerance=0.01)) == expected


# 2. The total is checked with blank scores read as 0 and, where none is printed, the recomputed budget score.
def test_a_total_is_checked_without_a_budget():
    found = audit(project(indicator("1", "产出指标", "≥95%", 50, "96%", 50),
                          indicator("2", "满意度指标", "≥90%", 50, "95%", 50), total=90, grade="优"))
    assert kinds(found) == [("", "total_not_sum", "90", "100")]  # 50 + 50 + no budget (recomputed: 0)
    assert found["message"].iat[0] == "总分印为 90分，各项得分与预算得分合计 100分（未印预算执行得分，按重算 0分计）"


def test_a_total_is_checked_with_a_blank_score(tmp_path):
    path = tmp_path / "p.csv"
    path.write_text("项目名称,指标编号,一级指标,二级指标,三级指标,年度指标值,分值,实际完成值,得分,偏差原因分析及改进措施\n"
                    "P,1,产出指标,数量指标,参保人数,≥4754人,50,4800人,64.29,\n"
                    "P,2,产出指标,成本指标,户均成本,≤5300元/户,20,不适用,,本年度未发生\n"
                    "P,3,满意度指标,服务对象满意度指标,群众满意度,≥90%,20,93%,25.71,\n"
                    "P,,,,全年执行数,100万元,10,100,10,\nP,,,,总分,,,,80,\nP,,,,评价等级,,,良,,\n", encoding="utf-8")
    # 不适用: 20 points scaled back to 50 → 64.29 and 20 → 25.71; 64.29 + 0 + 25.71 + 10 = 100, printed 80
    found = audit(path)
    assert kinds(found) == [("", "total_not_sum", "80", "100")]
    assert found["message"].iat[0] == "总分印为 80分，各项得分与预算得分合计 100分（空白得分按 0分计）"


# 3. The execution cap of the rule set caps the expected total, and the grade is read from the capped total.
CAPPED_BUDGET = {"unit": "万元", "full_year": 100, "executed": 65, "rate": "65%", "score": 6.5}


def test_the_execution_cap_is_applied():
    # 50 + 30 + 10 + 6.5 = 96.5; rate 65% (60–70%) → at most 79, 中
    assert audit(project(*full_rows(), budget=CAPPED_BUDGET, total=79, grade="中"), rules="execution-cap").empty
    found = audit(project(*full_rows(), budget=CAPPED_BUDGET, total=96.5, grade="优"), rules="execution-cap")
    assert kinds(found) == [("", "total_not_sum", "96.5", "79"), ("", "grade_mismatch", "优", "中")]
    assert found["message"].tolist() == [
        "总分印为 96.5分，各项得分与预算得分合计 96.5分（执行率 65.00%：按规则集 execution-cap，总分以 79分封顶）",
        "总分 79分（按执行率封顶）应为“中”，印为“优”"]
    assert audit(project(*full_rows(), budget=CAPPED_BUDGET, total=96.5, grade="优")).empty  # national: no cap


# 4. A grade is read as the language file spells it: 优秀 is 优, 良好 is 良.
def test_a_grade_spelled_out_is_the_same_grade(tmp_path):
    assert audit(project(*full_rows(), budget=FULL_BUDGET, total=100, grade="优秀")).empty
    rows = [indicator("1", "产出指标", "≥95%", 50, "57%", 30, "部分对象未覆盖")] + full_rows()[1:]  # 50 × 57/95 = 30
    assert audit(project(*rows, budget=FULL_BUDGET, total=80, grade="良好")).empty  # 30 + 30 + 10 + 10 = 80, 良
    assert kinds(audit(project(*rows, budget=FULL_BUDGET, total=80, grade="优秀"))) == [
        ("", "grade_mismatch", "优秀", "良")]
    path = tmp_path / "p.csv"
    path.write_text(CONSISTENT_CSV.replace(",,,优,,", ",,,优秀,,"), encoding="utf-8")
    assert audit(path).empty


# 5. A printed rate is the true rate rounded half up to the decimals printed; the message quotes it as printed.
@pytest.mark.parametrize("rate", ["96.15%", "96.1%", "96%", "0.9615", "0.96", "96.148%"])
def test_a_rate_printed_with_fewer_decimals_agrees(rate):
    assert audit(consistent(budget={"rate": rate})).empty  # 80 ÷ 83.2054 = 96.1476%


@pytest.mark.parametrize("rate, published, expected", [
    ("96.2%", "96.20%", "96.15%"), ("97%", "97.00%", "96.15%"), ("96.149%", "96.149%", "96.148%")])
def test_a_rate_that_disagrees_is_quoted_as_printed(rate, published, expected):
    found = audit(consistent(budget={"rate": rate}))
    assert kinds(found) == [("", "rate_inconsistent", published, expected)]
    assert found["message"].iat[0] == f"执行率印为 {rate}，按金额 80 ÷ 83.2054 应为 {expected}"


# 6. Deductions and missed targets within the tolerance are findings too.
@pytest.mark.parametrize("score, note, expected", [
    (9.99, "", [("1", "no_reason", "9.99", "")]),  # 10 × 999/1000 = 9.99, no 偏差原因
    (9.99, "两人迁出", []),
    (10, "", [("1", "missed_full", "10", "9.99")]),  # 999 < 1000: not 达成, yet full points
])
def test_a_shortfall_within_the_tolerance_is_found(score, note, expected):
    assert kinds(audit(project(indicator("1", "产出指标", "≥1000人", 10, "999人", score, note)))) == expected


# 7. A 偏差原因 on a row met and scored full (no over-achievement to explain) is a finding.
def test_a_reason_with_no_deduction_is_found():
    found = audit(project(indicator("1", "产出指标", "≥95%", 10, "96%", 10, "资金未按时拨付，扣分")))
    assert kinds(found) == [("1", "reason_without_deduction", "10", "")]
    assert found["message"].iat[0] == "目标 ≥95%，实际 96%：达成且未扣分（满分 10分），偏差原因却写“资金未按时拨付，扣分”"


@pytest.mark.parametrize("published, rules", [
    (project(indicator("1", "产出指标", "≥95%", 10, "96%", 10, "无。")), None),  # says nothing
    (project(indicator("1", "产出指标", "≥95%", 10, "96%", 10, "/")), None),
    (project(indicator("1", "产出指标", "≥95%", 10, "96%", 10, "已完成")), None),
    (project(indicator("1", "产出指标", "≥100人", 10, "150人", 10, "需求增加，超额完成")), None),  # ≥ 1.2 × target
    (project(indicator("1", "产出指标", "≥100人", 10, "130人", 10, "需求增加，超额完成")), "overshoot-1.3"),
    (project(indicator("1", "产出指标", "80%-90%", 10, "95%", 10, "需求高于预期")), None),  # above the range
    (project(indicator("1", "产出指标", "≥100人", 10, "110人", 12, "需求增加")), None),  # above the 分值: its own finding
    (project(indicator("1", "产出指标", "≥95%", 50, "96%", 50), indicator("2", "产出指标", "≥10个", 20, "不适用", None,
                                                                       "本年度无此项")), None),
])
def test_a_reason_that_is_allowed_is_no_finding(published, rules):
    found = audit(published, rules=rules)
    assert "reason_without_deduction" not in set(found["kind"]), found["message"].tolist()


# A note that only affirms completion, or says there is no deviation, gives no reason (each clause read whole,
# after NFKC, without spaces or punctuation); a clause that gives one is a finding. 96% against ≥95%: met, 10/10.
@pytest.mark.parametrize("note", ["按计划完成", "已完成", "无", "无偏差", "达到预期目标", "已按计划完成。",
                                  "按计划完成，无偏差", "完成年度目标；无", " 无 偏 差 ", "n/a",
                                  "按计划完成 无偏差", "N/A；无", "已完成 无", "n/a、无", "无 —"])
def test_a_note_that_affirms_completion_is_no_finding(note):
    assert kinds(audit(project(indicator("1", "产出指标", "≥95%", 10, "96%", 10, note)))) == []


# An affirmation may name who completed it and how (项目, 各项工作; 已, 均, 全部, 圆满) before its words, and
# what was completed after them (各项任务): language_zh.toml [notes] before, after.
@pytest.mark.parametrize("note", ["项目按计划完成", "已按期完成", "均已完成", "各项工作均已按计划完成", "本项目已全部完成。",
                                  "已圆满完成", "项目已按计划完成，无偏差", "按计划已完成", "已完成各项任务",
                                  "本项目 不适用", "该项目已达到预期效果"])
def test_an_affirmation_worded_otherwise_is_no_finding(note):
    assert kinds(audit(project(indicator("1", "产出指标", "≥95%", 10, "96%", 10, note)))) == []


@pytest.mark.parametrize("note", ["因疫情影响推迟", "已完成，因疫情影响推迟", "按计划完成但资金拨付较晚",
                                  "已完成 因疫情影响推迟", "N/A 资金未到位",
                                  "因疫情延期完成", "未按计划完成，原因是资金未到位", "项目未按计划完成", "延期完成",
                                  "年度目标基本完成", "项目按计划完成但资金拨付较晚", "已完成目标值的90%",
                                  "已全部完成，因疫情推迟验收", "项目部分完成"])
def test_a_reason_on_a_full_row_is_still_found(note):
    found = audit(project(indicator("1", "产出指标", "≥95%", 10, "96%", 10, note)))
    assert kinds(found) == [("1", "reason_without_deduction", "10", "")]


# The before/after words wrap only the affirmations of completion (and 不适用): around 无, 没有, 未发生 (a zero) they
# say what did not happen (no work, no task), which is a reason: these were no finding.
@pytest.mark.parametrize("note", ["无相关工作", "没有任务", "本项目未发生", "相关工作未发生", "任务未出现"])
def test_a_zero_word_with_other_words_is_a_reason(note):
    found = audit(project(indicator("1", "产出指标", "≥95%", 10, "96%", 10, note)))
    assert kinds(found) == [("1", "reason_without_deduction", "10", "")]


# 8. The upper edges of 部分达成 [60%, 80%) and 未达成 [0, 60%) are open.
@pytest.mark.parametrize("actual, score, expected", [
    ("明显提高", 24, [("1", "band_mismatch", "24", "21")]),  # 80% of 30: the 达成 band's edge
    ("明显提高", 23.99, []),
    ("明显提高", 18, []),
    ("未完成", 18, [("1", "band_mismatch", "18", "9")]),  # 60% of 30: the 部分达成 band's edge
    ("未完成", 17.99, []),
    ("显著提高", 24, []),  # 达成 [80%, 100%]: closed
])
def test_the_upper_edges_of_the_lower_bands_are_open(actual, score, expected):
    found = audit(project(indicator("1", "效益指标", "显著提高", 30, actual, score, "查询系统上线较晚")))
    assert kinds(found) == expected
    if expected:
        low, high = ("18", "24") if actual == "明显提高" else ("0", "18")
        assert f"（{low}–{high}分，不含{high}分）" in found["message"].iat[0]


# 9. Projects are counted per published project, and among several files each finding names its file.
def test_projects_of_the_same_name_in_two_files_are_two(tmp_path):
    folder = tmp_path / "published"
    folder.mkdir()
    (folder / "a.csv").write_text(CONSISTENT_CSV.replace(",4604人,48.42,", ",4604人,50,"), encoding="utf-8")
    (folder / "b.csv").write_text(CONSISTENT_CSV.replace(",,,优,,", ",,,良,,"), encoding="utf-8")
    found = audit([folder / "a.csv", folder / "b.csv"])
    assert found.attrs == {"projects": 2, "flagged": 2}
    # a: 50 for 4604 of ≥4754 (48.42), total 96.42 against 98; b: 96.42 is 优, printed 良
    assert kinds(found) == [("1", "missed_full", "50", "48.42"), ("", "total_not_sum", "96.42", "98"),
                            ("", "grade_mismatch", "良", "优")]
    files = [message.rsplit("（文件 ", 1)[1] for message in found["message"]]
    assert files == [f"{folder / 'a.csv'}）"] * 2 + [f"{folder / 'b.csv'}）"]
    out = tmp_path / "findings.md"
    result = CliRunner().invoke(main, ["audit", str(folder), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "2 个项目，2 个有问题，共 3 处" in out.read_text(encoding="utf-8")
    assert "score: audit: 3 disagreements in 2 of 2 projects" in result.stderr


def test_one_file_names_no_file():
    assert "文件" not in audit(FIXTURES / "inconsistent.json")["message"].str.cat()


# 10. A missing actual scored full is named 未填报.
def test_a_missing_actual_scored_full_is_named_as_missing():
    found = audit(project(indicator("1", "产出指标", "≥95%", 10, "", 10)))
    assert kinds(found) == [("1", "missed_full", "10", "0")]
    assert found["message"].iat[0] == "目标 ≥95%，实际 未填报：未达成年度指标值，却得满分 10分（按规则应得 0分）"


# 12. A rule that draws its own line (ninth session): a met target the rule scores lower is a score that
# differs, not a missed target; a late row the rule scores full may state its reason.
def test_a_met_target_a_rule_scores_lower_is_a_differing_score():
    row = {**indicator("1", "产出指标", "2021年10月31日前完成", 10, "2021年10月15日", 10),
           "rule": "9月底前完成得满分，10月底前完成得6分"}
    assert kinds(audit(project(row))) == [("1", "score_differs", "10", "6")]  # 15 Oct: after 30 Sep, by 31 Oct → 6


def test_a_late_row_scored_full_by_its_rule_may_state_a_reason():
    row = {**indicator("1", "产出指标", "2021年6月30日前完成", 10, "2021年7月3日", 10, "验收推迟3天"),
           "rule": "逾期5天以内得满分，逾期10天以内得8分，逾期10天以上不得分"}
    assert kinds(audit(project(row))) == []  # 3 days late ≤ 5: full by the rule; the delay is a reason to give
