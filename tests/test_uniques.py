"""The work-once-per-distinct-value helpers (scoring/uniques.py) answer as the per-row arrays would."""
import numpy as np
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
