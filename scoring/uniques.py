"""Work once per distinct value: the frames hold a million rows, but few distinct strings, units and rules."""
from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import pandas as pd


def factorize(values: Any) -> tuple[np.ndarray, np.ndarray]:
    """Codes per row and the distinct values (object array); None and NaN share code -1."""
    codes, uniques = pd.factorize(pd.Index(np.asarray(values, dtype=object), dtype=object))
    return codes, np.asarray(uniques, dtype=object)


def map_unique(values: Any, fn: Callable[[Any], Any], dtype: Any = object, missing: Any = None) -> np.ndarray:
    """fn applied to each distinct value, spread back over the rows (`missing` where a row is None/NaN)."""
    codes, uniques = factorize(values)
    out = np.empty(len(uniques) + 1, dtype=dtype)
    out[:-1] = [fn(v) for v in uniques]
    out[-1] = missing
    return out[codes]


def combine(*codes: np.ndarray) -> tuple[np.ndarray, list[tuple[int, ...]]]:
    """Codes of the distinct combinations of several code arrays, and each combination's codes."""
    if len(codes[0]) == 0:
        return np.zeros(0, dtype=np.int64), []
    stacked = np.stack([np.asarray(c, dtype=np.int64) for c in codes], axis=1)
    pairs, inverse = np.unique(stacked, axis=0, return_inverse=True)
    return inverse.reshape(-1), [tuple(int(x) for x in row) for row in pairs]


def take(uniques: Sequence[Any], codes: np.ndarray, dtype: Any = object, missing: Any = None) -> np.ndarray:
    """Per-distinct results spread back over the rows (code -1 gets `missing`)."""
    out = np.empty(len(uniques) + 1, dtype=dtype)
    out[:-1] = list(uniques)
    out[-1] = missing
    return out[codes]
