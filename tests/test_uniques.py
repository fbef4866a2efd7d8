"""The work-once-per-distinct-value helpers (scoring/uniques.py) answer as the per-row arrays would."""
import numpy as np
import pytest
import pandas as pd

from scoring import uniques
from scoring.uniques import ColumnCodes, Equals


def test_equals_spread_answers_as_the_spread_array_would():
    rows = Equals.spread(["date", "quantitative", None], np.array([1, 0, 2, 1]))
    assert rows("quantitative").tolist() == [True, False, False, True]
    assert rows("date", "quantitative").tolist() == [True, True, False, True]
    assert rows("empty").tolist() == [False, False, False, False]


def test_equals_assign_a_value_not_seen_before():
    rows = Equals(np.array(["quantitative", "date", "quantitative"], dtype=object))
    rows.assign(np.array([2]), "qualitative")
    assert rows("qualitative").tolist() == [False, False, True]
    assert rows("quantitative").tolist() == [True, False, False]
    rows.assign(np.array([0]), "date")
    assert rows("date").tolist() == [True, True, False]


def test_column_codes_factorize_each_column_once(monkeypatch):
    calls = []

    def counted(values):
        calls.append(1)
        return factorize(values)

    factorize = uniques.factorize
    monkeypatch.setattr(uniques, "factorize", counted)
    frame = pd.DataFrame({"level1": pd.Series(["产出指标", "效益指标", "产出指标", None], dtype=object)})
    columns = ColumnCodes(frame)
    codes, values = columns("level1")
    assert codes.tolist() == [0, 1, 0, -1] and values.tolist() == ["产出指标", "效益指标"]
    assert columns.map("level1", len, dtype=np.int64, missing=0).tolist() == [4, 4, 4, 0]
    assert columns("level1")[0] is codes
    assert len(calls) == 1


def test_a_list_keeps_a_trailing_nul_apart():
    # numpy text would drop the NUL: "a\x00" and "a" (and "\x00" and "") once shared a code
    codes, values = uniques.factorize(["a\x00", "a", "\x00", ""])
    assert codes.tolist() == [0, 1, 2, 3] and values.tolist() == ["a\x00", "a", "\x00", ""]


@pytest.mark.parametrize("dtype", ["string[pyarrow]", "string[python]", "str", object])
def test_text_factorizes_alike_however_pandas_stores_it(dtype):
    # Arrow text is hashed by Arrow (no str made per row); the codes and the distinct str are the same
    cells = ["乙", None, "甲", "乙", "", "甲"]
    codes, values = uniques.factorize(pd.Series(cells, dtype=dtype))
    assert codes.tolist() == [0, -1, 1, 0, 2, 1]
    assert values.dtype == object and [type(v) for v in values] == [str] * 3 and values.tolist() == ["乙", "甲", ""]


def test_recoded_codes_the_cleaned_column_as_factorize_would():
    raw = [" b", "a", "b", None]  # a reader's distinct cells; " b" and "b" are one value once stripped
    codes = np.array([1, -1, 0, 2, 3, 1])  # -1: a missing cell, which the reader writes as the last value
    cleaned = [v.strip() if v else v for v in raw] + [""]
    column = np.array([cleaned[c] for c in codes], dtype=object)  # a, "", b, b, None, a
    assert [c.tolist() for c in uniques.recoded(codes, cleaned)] == [c.tolist() for c in uniques.factorize(column)]
    assert uniques.recoded(codes, cleaned)[0].tolist() == [0, 1, 2, 2, -1, 0]
    assert uniques.recoded(codes, cleaned)[1].tolist() == ["a", "", "b"]


def test_column_codes_take_the_codes_a_reader_made(monkeypatch):
    frame = pd.DataFrame({"level1": pd.Series(["产出指标", "产出指标"], dtype=object)})
    known = {"level1": (np.array([0, 0]), np.array(["产出指标"], dtype=object))}
    monkeypatch.setattr(uniques, "factorize", lambda values: pytest.fail("factorized again"))
    assert ColumnCodes(frame, known)("level1") is known["level1"]


def _factorized_alike(known: dict, frame: pd.DataFrame) -> None:
    for column, (codes, values) in known.items():
        plain_codes, plain_values = uniques.factorize(frame[column])
        assert codes.tolist() == plain_codes.tolist(), column
        assert [(type(v), v) for v in values] == [(type(v), v) for v in plain_values], column


def test_the_codes_the_readers_hand_on_are_the_columns_own():
    # What the readers clean (stripped levels and actuals, a number target, ids filled in, a blank row
    # dropped, indicators without a row) must leave codes equal to factorizing the final columns afresh.
    from scoring.inputs.actuals import read_actuals
    from scoring.inputs.goals import read_goals
    from scoring.inputs.match import match

    indicators = [
        {"id": "1", "level1": " 产出指标", "level2": "数量指标", "level3": "培训人次", "target": "≥100人次"},
        {"level1": "产出指标", "level2": "数量指标 ", "level3": "印刷册数", "target": 95, "rule": "每少1册扣1分"},
        {"id": "3", "level1": "效益指标", "level2": "社会效益指标", "level3": "覆盖率", "target": "≥95%",
         "direction": "正向", "description": "  "},
        {"id": "4", "level1": "满意度指标", "level2": "服务对象满意度指标", "level3": "满意度", "target": "≥90%"},
    ]
    goals = read_goals({"projects": [{"project": "甲", "year": 2023, "indicators": indicators},
                                     {"project": "乙", "indicators": indicators[:2]}]})
    actuals = read_actuals([
        {"project": "甲", "id": "1", "actual": " 120人次", "note": ""},
        {"project": "甲", "id": "2", "actual": "120人次 ", "note": "超额"},
        {"project": "", "id": "", "actual": "", "note": ""},
        {"project": "乙", "id": "1", "actual": "80人次", "note": " 超额"},
        {"project": "乙", "id": "9", "actual": "1", "note": ""},
    ])
    matched = match(goals, actuals)
    assert {"id", "level1", "level3", "target", "rule", "year"} <= goals.codes.keys()
    assert {"actual", "note", "project"} <= actuals.codes.keys() and {"actual", "note"} <= matched.codes.keys()
    _factorized_alike(goals.codes, goals.indicators)
    _factorized_alike(actuals.codes, actuals.rows)
    _factorized_alike(matched.codes, matched.frame)


def test_combined_codes_number_the_combinations_in_order_of_first_appearance():
    level1, level2 = np.array([0, 1, 0, -1, 1]), np.array([2, 2, 2, 0, 3])  # (0,2) (1,2) (0,2) (-1,0) (1,3)
    assert uniques.combined_codes(level1, level2).tolist() == [0, 1, 0, 2, 3]
    # codes so large that their product outgrows 64 bits, where (0, y) and (2**31, y) would wrap to one key:
    # the combinations so far are numbered first
    wide = [np.array([0, 2 ** 31, 0]), np.array([2 ** 33 - 2, 2 ** 33 - 2, 5])]
    assert uniques.combined_codes(*wide).tolist() == [0, 1, 2]
    assert uniques.combined_codes(np.array([], dtype=np.int64)).tolist() == []


def test_choose_answers_as_np_where_with_the_two_objects_themselves():
    met, missed = "met", "".join(["mis", "sed"])  # a str object of its own
    chosen = uniques.choose(np.array([True, False, False]), met, missed)
    assert chosen.dtype == object and chosen.tolist() == np.where([True, False, False], "met", "missed").tolist()
    assert chosen[0] is met and chosen[1] is missed and chosen[2] is missed  # no new str per row
    assert uniques.choose(np.zeros(0, dtype=bool), "a", "b").tolist() == []
