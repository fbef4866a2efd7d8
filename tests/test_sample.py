"""The shipped sample scores as computed by hand from domain.md (samples/README.md shows the arithmetic)."""
from scoring import score


def test_sample_scores_by_hand(sample_goals, sample_actuals):
    ev = score(sample_goals, sample_actuals)
    table = ev.table.set_index("id")
    # 产出 50 shared by five indicators: 10 each; 效益 30 for one; 满意度 10 for one; budget 10.
    assert list(table["weight"]) == [10, 10, 10, 10, 10, 30, 10]
    expected = {
        "1": (10.00, "达成"),      # 1间 of 1间: met
        "2": (9.68, "部分达成"),   # 92 / 95 × 10 = 9.684… → 9.68
        "3": (0.00, "未填报"),     # no row in a.csv
        "4": (9.23, "部分达成"),   # due 30 Jun (181 days), paid 15 Jul (196 days): 181 / 196 × 10 = 9.234… → 9.23
        "5": (9.38, "部分达成"),   # 反向: 4.5 / 4.8 × 10 = 9.375 → 9.38
        "6": (21.00, "部分达成"),  # 明显 is one step below 显著: 70% × 30 = 21
        "7": (10.00, "达成"),      # 96.5% ≥ 95%
    }
    for ident, (points, status) in expected.items():
        assert table.loc[ident, "score"] == points, ident
        assert table.loc[ident, "status"] == status, ident
    assert table.loc["5", "direction"] == "反向"
    # 80 / 83.2054 = 96.1476…%; 10 × 0.961476 = 9.61476 → 9.61
    assert ev.budget["score"] == 9.61
    assert ev.total == 78.90  # 10 + 9.68 + 0 + 9.23 + 9.38 + 21 + 10 + 9.61
    assert ev.grade == "中"
    assert any("资金支付及时率" in note for note in ev.notes)
    assert ev.goal_actual.startswith("建成标准化档案室")
