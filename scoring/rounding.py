"""Half-up rounding (四舍五入) and the number formats of the report.

Python's round() and numpy's round half to even (0.125 → 0.12); the 自评表 rounds half up (0.125 → 0.13).
Scores are kept as integer units of the last digit (cents for 2 digits), so sums are exact.
"""
from __future__ import annotations

import math
from decimal import ROUND_HALF_EVEN, ROUND_HALF_UP, Context, Decimal

import numpy as np

# Float noise below this many decimals is removed before rounding: 1.005 is stored as 1.00499999…,
# and a person reading "1.005" expects 1.01.
_NOISE_DECIMALS = 6
# A displayed value keeps the 15 significant digits a float holds for certain (as Excel shows them): the noise
# of its last digits goes (1.0049999999999999 is 1.005), a value's own decimals stay (0.00499995 亿元 is 0.00).
_SIGNIFICANT = 15
_INT_LIMIT = 2.0**62
_WIDE = Context(prec=400)  # room for any float with its decimals
_STEP = {d: Decimal(1).scaleb(-d) for d in range(_NOISE_DECIMALS + 1)}


def to_units(values: np.ndarray | float, digits: int) -> np.ndarray:
    """Round half up (away from zero) to `digits` decimals, as integers of 10**-digits (scores: bounded)."""
    scaled = np.round(np.asarray(values, dtype=float) * 10**digits, _NOISE_DECIMALS)
    scaled = np.clip(np.nan_to_num(scaled), -_INT_LIMIT, _INT_LIMIT)
    return (np.sign(scaled) * np.floor(np.abs(scaled) + 0.5)).astype(np.int64)


def from_units(units: np.ndarray | int, digits: int) -> np.ndarray | float:
    """Integer units back to floats (0.13 for 13 cents)."""
    return np.asarray(units) / 10**digits


def unit_count(value: float, digits: int) -> int:
    """to_units of one value, without numpy's cost per call."""
    scaled = round(float(value) * 10**digits, _NOISE_DECIMALS)
    return int(math.copysign(math.floor(abs(scaled) + 0.5), scaled))


def half_up(value: float, digits: int) -> float:
    """One value rounded half up."""
    return unit_count(value, digits) / 10**digits


def format_fixed(value: float, digits: int) -> str:
    """A rounded value with exactly `digits` decimals: 0.125 → '0.13', 10 → '10.00'. Any size."""
    if not math.isfinite(value):
        return str(value)
    exact = Context(prec=_SIGNIFICANT, rounding=ROUND_HALF_EVEN).plus(Decimal(repr(float(value))))
    return str(exact.quantize(_STEP[digits], ROUND_HALF_UP, _WIDE))


def format_number(value: float) -> str:
    """A quantity for reading: no exponent, no trailing zeros (4.5, 83.2054, 38500)."""
    short = repr(float(value))  # the shortest text of the float: exact where it has six decimals or fewer
    whole, _, decimals = short.partition(".")
    if decimals.isdigit() and len(decimals) <= _NOISE_DECIMALS and whole.lstrip("-").isdigit() and value:
        return whole if decimals == "0" else short
    text = format_fixed(value, _NOISE_DECIMALS)
    text = text.rstrip("0").rstrip(".") if "." in text else text
    return "0" if text in ("-0", "") else text
