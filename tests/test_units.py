"""Units: the same achievement written in another unit scores the same; pint is asked once per distinct unit
and each distinct text is parsed once, however many rows share it."""
from __future__ import annotations

import csv
import io

import pytest

from scoring import UnitError, parse_target, score
from scoring import engine, units, values


def _sample_rows(sample_actuals) -> list[dict]:
    return list(csv.DictReader(io.StringIO(sample_actuals.read_text(encoding="utf-8"))))


def test_sample_scores_the_same_with_actuals_in_other_units(sample_goals, sample_actuals):
    as_written = score(sample_goals, sample_actuals)
    rows = _sample_rows(sample_actuals)
    converted = {"平均成本": "0.00048万元", "全年执行数": "800000元"}  # 4.8元 and 80万元
    for row in rows:
        row["实际完成值"] = converted.get(row["三级指标"], row["实际完成值"])
    other = score(sample_goals, rows)
    assert list(other.table["score"]) == list(as_written.table["score"])
    assert other.budget["score"] == as_written.budget["score"] and other.total == as_written.total


# 系统故障平均处理时间 of seed 002 (不超过2小时) and the 家庭医生签约 count of seed 004 (44860人次).
SEED_GOALS = {
    "year": 2023, "project": "医疗救助信息系统运维",
    "indicators": [
        {"id": "1", "level1": "效益指标", "level2": "可持续影响指标", "level3": "系统故障平均处理时间",
         "target": "不超过2小时", "weight": 20},
        {"id": "2", "level1": "产出指标", "level2": "数量指标", "level3": "签约服务人次", "target": "44860人次",
         "weight": 20},
        {"id": "3", "level1": "产出指标", "level2": "成本指标", "level3": "单项维护成本", "target": "≤4万元",
         "weight": 20},
    ],
}


@pytest.mark.parametrize("hours, minutes, expected", [
    ("1.5小时", "90分钟", 20),     # within 2 hours: full
    ("2.5小时", "150分钟", 16),    # 反向: 2 ÷ 2.5 × 20 = 16
])
def test_minutes_and_hours_score_alike(hours, minutes, expected):
    for written in (hours, minutes):
        ev = score(SEED_GOALS, [{"id": "1", "actual": written}])
        assert ev.table["score"].iloc[0] == expected, written


@pytest.mark.parametrize("actual, expected", [
    ("4.5万人次", 20),     # 45000 ≥ 44860
    ("44000人次", 19.62),  # 44000 ÷ 44860 × 20 = 19.616… → 19.62
    ("4.4万人次", 19.62),
])
def test_wan_visits_against_visits(actual, expected):
    ev = score(SEED_GOALS, [{"id": "2", "actual": actual}])
    assert ev.table["score"].iloc[1] == expected


@pytest.mark.parametrize("actual, expected", [("38500元", 20), ("3.85万元", 20), ("50000元", 16)])  # 4 ÷ 5 × 20
def test_yuan_against_wan_yuan(actual, expected):
    ev = score(SEED_GOALS, [{"id": "3", "actual": actual}])
    assert ev.table["score"].iloc[2] == expected


def test_wan_yuan_against_visits_is_an_error_naming_both_units():
    with pytest.raises(UnitError, match="'签约服务人次': actual unit '万元' cannot be compared with target unit '人次'"):
        score(SEED_GOALS, [{"id": "2", "actual": "4万元"}])


def test_unreadable_text_is_review_with_its_reason():
    assert parse_target("100XYZ").reason == "unknown unit 'XYZ'"
    ev = score(SEED_GOALS, [{"id": "2", "actual": "100XYZ"}])
    row = ev.table.iloc[1]
    assert row["status"] == "需复核" and row["score"] == 0 and "unknown unit 'XYZ'" in row["explanation"]


def _many(count: int) -> tuple[dict, list[dict]]:
    targets = ["≥95%", "≤4万元", "44860人次"]
    actuals = [["96%", "92%"], ["38500元", "5万元"], ["4.5万人次", "44000人次"]]
    indicators = [{"id": str(i), "level1": "产出指标", "level3": f"指标{i}", "target": targets[i % 3], "weight": 1}
                  for i in range(count)]
    rows = [{"id": str(i), "actual": actuals[i % 3][i // 3 % 2]} for i in range(count)]
    return {"year": 2021, "project": "P", "indicators": indicators}, rows


def test_each_distinct_text_is_parsed_once_and_each_unit_converted_once(monkeypatch):
    calls = {"target": 0, "actual": 0}

    def counting(name, parse):
        def wrapped(*args):
            calls[name] += 1
            return parse(*args)
        return wrapped

    monkeypatch.setattr(engine, "parse_target", counting("target", values.parse_target))
    monkeypatch.setattr(engine, "parse_actual", counting("actual", values.parse_actual))
    misses = []
    for count in (12, 1200):
        units.unit_info.cache_clear()
        calls.update(target=0, actual=0)
        score(*_many(count))
        assert calls == {"target": 3, "actual": 6}
        misses.append(units.unit_info.cache_info().misses)
    assert misses[0] == misses[1]  # pint's work does not grow with the rows
