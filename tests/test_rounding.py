"""四舍五入: half up where Python and numpy round half to even."""
import numpy as np
import pytest

from scoring.rounding import format_fixed, format_number, to_units


@pytest.mark.parametrize("value, digits, printed", [
    (0.125, 2, "0.13"),    # round(0.125, 2) == 0.12 in Python
    (0.375, 2, "0.38"),
    (2.675, 2, "2.68"),    # stored as 2.67499999…; a person reads 2.675
    (1.005, 2, "1.01"),
    (9.375, 2, "9.38"),
    (10, 2, "10.00"),
    (0.5, 0, "1"),         # round(0.5) == 0 in Python
    (2.5, 0, "3"),
    (0, 2, "0.00"),
    (1.0049999999999999, 2, "1.01"),  # 1.005 as arithmetic leaves it: noise in the 17th digit
    (0.00499995, 2, "0.00"),           # 499995元 in 亿元: its own 8th decimal, not noise
    (12.3449995, 2, "12.34"),
    (0.1 + 0.2, 1, "0.3"),
])
def test_half_up(value, digits, printed):
    assert format_fixed(value, digits) == printed


def test_vector_rounding_is_half_up_and_exact():
    units = to_units(np.array([0.125, 0.135, 4.8422, 16.665]), 2)
    assert units.tolist() == [13, 14, 484, 1667]
    assert units.dtype == np.int64


def test_numbers_for_reading():
    assert format_number(83.2054) == "83.2054"
    assert format_number(38500.0) == "38500"
    assert format_number(0.1 + 0.2) == "0.3"


def test_huge_and_odd_values_format_without_overflow():
    assert format_number(1e22) == "10000000000000000000000"
    assert format_fixed(float("nan"), 2) == "nan"
    assert to_units(np.array([1e30, np.nan]), 2).tolist() == [2**62, 0]  # scores are bounded; no garbage


def test_largest_remainder_ties_go_by_order_not_by_float_noise():
    """不适用 points given back (×90/78.75) turn 11.25 into 90/7 = 12.857142… and 8.03 into 9.177142…: both
    leave .714286 of a cent. With 22.03 to share (1285 + 917 cents floored, one cent left) the tie goes to
    the first row: 12.86 + 9.17 (float noise made it 12.85 + 9.18 once)."""
    from scoring.weights import apportion

    raw = np.array([90 / 7, 8.03 * 8 / 7])
    assert apportion(raw, np.array([0, 0]), np.array([22.03, 22.03]), 2).tolist() == [12.86, 9.17]
