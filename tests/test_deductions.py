"""Reading 评(扣)分标准 texts into clauses (the scoring of rules is in tests/cases/rules.toml), and the scoring
a case file cannot express (several rows sharing one rule, a refusal)."""
import pytest

from scoring import UnitError, parse_rule, score


@pytest.mark.parametrize("text, kinds", [
    ("偏离指标值1部门,减数量分值10%,低于70%不得分", ["step", "zero"]),
    ("合格率为100%为满分,每降低5%扣指标分值的5%.,低于70%不得分", ["full", "step", "zero"]),
    ("按时完成得满分,每延迟一天扣指标分值的5%.,低于70%不得分", ["full", "step", "zero"]),
    ("参保群众和定点医疗机构知晓率大于等于90%得满分,每降低5%,扣指标值5%,知晓率低于60%得0份.", ["full", "step", "zero"]),
    ("满意度为95%以上得满分,每降低5%,扣5分值5%,满意度低于60%不得分", ["full", "step", "zero"]),
    ("未达到完成时限，每延期一天减时效分值1%，延期超过50%得0分。", ["condition", "step", "zero"]),
    ("每超过一个百分点扣0.5分，扣完为止", ["step", "floor"]),
    ("每少一项扣1分", ["step"]),
    ("重点支出安排率≥90%，计5分；80%(含)-90%，计4分；70%(含)-80%，计3分；60%(含)-70%，计2分；低于60%不得分",
     ["band", "band", "band", "band", "zero"]),
    ("按完成比例计算得分，满分为止", ["proportional", "cap"]),
    ("按时按量批次交付率低于100%每1%扣2分，不满1%按1%计算", ["step", "started"]),
    ("未达指标值酌情扣分", ["discretion"]),
])
def test_each_phrase_family_is_read(text, kinds):
    rule = parse_rule(text)
    assert [c.kind for c in rule.clauses] == kinds
    assert rule.unread == ()


@pytest.mark.parametrize("text, values", [
    ("每降低5%,扣指标值5%", {"n": 5, "unit": "%", "m": 5, "munit": "%"}),     # 扣指标值5% (sic): share of 分值
    ("每降低5%,扣5分值5%", {"n": 5, "unit": "%", "m": 5, "munit": "%"}),      # 扣5分值5% (sic)
    ("每延迟一天扣指标分值的5%.", {"n": 1, "unit": "天", "m": 5, "munit": "%"}),  # Chinese numeral, stray "."
    ("每超过一个百分点扣0.5分", {"n": 1, "unit": "个百分点", "m": 0.5, "munit": "分"}),
])
def test_step_values_and_slips(text, values):
    (clause,) = parse_rule(text).clauses
    assert clause.kind == "step"
    assert {k: clause.get(k) for k in values} == values


def test_zero_written_as_a_slip():
    (clause,) = parse_rule("知晓率低于60%得0份.").clauses
    assert (clause.kind, clause.get("x")) == ("zero", 60)


def test_unread_clauses_are_quoted_as_written():
    rule = parse_rule("完成得分，看情况")
    assert rule.clauses == () and rule.unread == ("完成得分", "看情况")
    assert not rule.applicable


@pytest.mark.parametrize("text", [None, "", "   ", "…", "扣扣扣", "每降低%扣%", "低于不得分", "🙂" * 50])
def test_parse_rule_never_raises(text):
    rule = parse_rule(text)
    assert isinstance(rule.unread, tuple)


def _scored(rule: str, indicators: list[tuple[str, str, int]], level2: str = "数量指标"):
    """Score (target, actual, 分值) indicators that share one rule, in one project."""
    goals = {"year": 2021, "project": "案例", "budget": {"unit": "万元", "full_year": 100},
             "indicators": [{"id": str(i), "level1": "产出指标", "level2": level2, "level3": f"指标{i}",
                             "target": target, "weight": weight, "rule": rule}
                            for i, (target, _, weight) in enumerate(indicators, 1)]}
    actuals = [{"id": str(i), "actual": actual, "note": "未达标"} for i, (_, actual, _) in enumerate(indicators, 1)]
    return score(goals, actuals).table


def test_two_caps_each_row_quotes_the_one_that_binds_on_it():
    # 8 short × 1分 = 8 on both rows. 分值 10: 40% = 4分 < 5分 → 6.00; 分值 20: 5分 < 40% = 8分 → 15.00.
    # Rows that share a rule are applied together: the note must follow each row's own cap.
    table = _scored("每少一项扣1分，最多扣5分，最多扣40%", [("≥20项", "12项", 10), ("≥20项", "12项", 20)])
    assert list(table["score"]) == [6.00, 15.00]
    assert "最多扣40%分值：扣分 8分 超过上限，按扣4分计" in table["explanation"].iat[0]
    assert "最多扣5分：扣分 8分 超过上限，按扣5分计" in table["explanation"].iat[1]


def test_workdays_against_days_are_not_compared():
    # ≤5个工作日 against 7天: which of the 7 days were working days needs the dates (and holidays): refused.
    with pytest.raises(UnitError, match="actual unit '天' cannot be compared with target unit '个工作日'"):
        _scored("逾期不得分", [("≤5个工作日", "7天", 10)], level2="时效指标")


@pytest.mark.parametrize("deviation, actual, points", [
    ("both", "105台", 5),       # 5台 over =100台 deviates too: 5 steps × 1分 → 10 − 5 = 5
    ("both", "97台", 7),        # 3 short: 3 steps → 7
    ("both", "100台", 10),      # on the line: full
    ("shortfall", "105台", 10),  # the default reading: over the line is not a deviation (the overshoot flag's)
])
def test_deviation_both_counts_either_way(tmp_path, deviation, actual, points):
    # rules/national.toml: deviation = "both" = 偏离 either way; it had no effect (a row over the line was met)
    path = tmp_path / "both.toml"
    path.write_text(f'name = "both"\nextends = "national"\n[deductions]\ndeviation = "{deviation}"\n', encoding="utf-8")
    goals = {"year": 2021, "project": "P", "indicators": [
        {"id": "1", "level1": "产出指标", "level2": "数量指标", "level3": "设备", "target": "=100台", "weight": 10,
         "rule": "每偏离1台扣1分"}]}
    row = score(goals, [{"id": "1", "actual": actual, "note": "x"}], rules=str(path)).table.iloc[0]
    assert row["score"] == points
