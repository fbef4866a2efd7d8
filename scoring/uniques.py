"""Work once per distinct value: the frames hold a million rows, but few distinct strings, units and rules."""
from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd


def factorize(values: Any) -> tuple[np.ndarray, np.ndarray]:
    """Codes per row and the distinct values (object array); None and NaN share code -1."""
    if isinstance(values, pd.Series) and isinstance(values.dtype, pd.StringDtype) \
            and values.dtype.storage.startswith("pyarrow"):
        codes, uniques = pd.factorize(values.array)  # Arrow text hashed by Arrow, not made into a str per row
        return codes, uniques.to_numpy(dtype=object)
    # a list goes in as objects: as numpy text, "a\x00" would lose its NUL and equal "a"
    array = np.asarray(values, dtype=object) if isinstance(values, (list, tuple)) else np.asarray(values)
    if array.dtype.kind not in "biuf":  # numbers hash natively; anything else as Python objects
        array = array.astype(object, copy=False)
    codes, uniques = pd.factorize(array)
    return codes, uniques.astype(object)


def choose(condition: np.ndarray, if_true: Any, if_false: Any) -> np.ndarray:
    """np.where between two values, as an object array of the two objects themselves. (np.where between two
    texts makes numpy text, and each row becomes a new str in an object array: a million to make and hash.)"""
    return np.array([if_false, if_true], dtype=object)[np.asarray(condition, dtype=np.intp)]


def map_unique(values: Any, fn: Callable[[Any], Any], dtype: Any = object, missing: Any = None) -> np.ndarray:
    """fn applied to each distinct value, spread back over the rows (`missing` where a row is None/NaN)."""
    codes, uniques = factorize(values)
    return take([fn(v) for v in uniques], codes, dtype, missing)


def recoded(codes: np.ndarray, values: Sequence[Any]) -> tuple[np.ndarray, np.ndarray]:
    """What factorize(take(values, codes)) gives, hashing only `values`: the codes index `values` (code -1 its
    last entry, where a reader puts the value of a missing cell), which may repeat and hold values no row uses.
    A reader factorizes its raw cells and cleans each distinct one; this codes the cleaned column."""
    merged, distinct = factorize(list(values))
    rows = merged[codes]
    first = first_rows(rows, len(distinct))
    order = np.argsort(first, kind="stable")[:int((first < len(rows)).sum())]  # by first row; unused dropped
    renumber = np.full(len(distinct) + 1, -1, dtype=np.int64)
    renumber[order] = np.arange(len(order))
    return renumber[rows], distinct[order]


def combined_codes(*codes: np.ndarray) -> np.ndarray:
    """Codes 0 … k-1 of the distinct combinations of several code arrays, in order of first appearance.
    Hashes one integer key per row: linear, no sort."""
    arrays = [np.asarray(c, dtype=np.int64) for c in codes]
    if not len(arrays[0]):
        return np.zeros(0, dtype=np.int64)
    key, width = np.zeros(len(arrays[0]), dtype=np.int64), 1  # 0 <= key < width
    for array in arrays:  # the codes in mixed radix, one digit per array (code -1 is digit 0)
        radix = int(array.max()) + 2
        if width * radix >= 2 ** 62:  # would overflow: number the combinations so far 0 … k-1 first
            key, _ = pd.factorize(key)
            width = int(key.max()) + 1
        key, width = key * radix + (array + 1), width * radix
    return pd.factorize(key)[0]


def combine(*codes: np.ndarray) -> tuple[np.ndarray, list[tuple[int, ...]]]:
    """combined_codes, and each combination's codes as a tuple (for the few distinct values parsed)."""
    key = combined_codes(*codes)
    if len(key) == 0:
        return key, []
    first = first_rows(key)
    return key, list(zip(*(np.asarray(c, dtype=np.int64)[first].tolist() for c in codes)))


def first_rows(codes: np.ndarray, count: int | None = None) -> np.ndarray:
    """The first row of each code 0 … count-1 (by default codes as factorize gives them: all present); a code
    no row has gets len(codes), and rows of code -1 are passed over."""
    if count is None:
        count = int(codes.max()) + 1 if len(codes) else 0
    first = np.full(count + 1, len(codes), dtype=np.int64)  # the extra entry takes code -1's rows
    first[codes[::-1]] = np.arange(len(codes) - 1, -1, -1)  # the last write, the first row, wins
    return first[:-1]


def take(uniques: Sequence[Any], codes: np.ndarray, dtype: Any = object, missing: Any = None) -> np.ndarray:
    """Per-distinct results spread back over the rows (code -1 gets `missing`)."""
    out = np.empty(len(uniques) + 1, dtype=dtype)
    out[:-1] = list(uniques)
    out[-1] = missing
    return out[codes]


class Equals:
    """`values == v` for a large array of few distinct values (kinds, methods): one factorization, then an
    integer comparison per question instead of a million string comparisons."""

    def __init__(self, values: Any):
        self.codes, self.uniques = factorize(values)
        self._code = {value: i for i, value in enumerate(self.uniques)}

    @classmethod
    def spread(cls, distinct: Sequence[Any], codes: np.ndarray) -> Equals:
        """The Equals of `take(distinct, codes)` without building it: the few distinct values coded once
        (code -1, no value, stays -1)."""
        self = cls(distinct)
        self.codes = np.append(self.codes, -1)[codes]
        return self

    def assign(self, rows: np.ndarray, value: Any) -> None:
        """The rows `rows` hold `value` from now on."""
        if value not in self._code:
            self._code[value] = len(self.uniques)
            self.uniques = np.append(self.uniques, np.array([value], dtype=object))
        self.codes[rows] = self._code[value]

    def __call__(self, *values: Any) -> np.ndarray:
        """Whether each row holds one of `values`."""
        codes = [self._code[v] for v in values if v in self._code]
        return self.codes == codes[0] if len(codes) == 1 else np.isin(self.codes, codes)


class ColumnCodes:
    """The columns of one frame, each factorized at most once however many steps ask for it (the frame does
    not change while it is scored). `known`: columns whose codes the readers already made (factorize's
    codes and distinct values, as `recoded` gives them), so that they are not hashed again."""

    def __init__(self, frame: pd.DataFrame, known: Mapping[str, tuple[np.ndarray, np.ndarray]] | None = None):
        self._frame = frame
        self._done: dict[str, tuple[np.ndarray, np.ndarray]] = dict(known or {})

    def __call__(self, column: str) -> tuple[np.ndarray, np.ndarray]:
        """The codes per row and the distinct values of `column` (as factorize gives them)."""
        if column not in self._done:
            self._done[column] = factorize(self._frame[column])
        return self._done[column]

    def map(self, column: str, fn: Callable[[Any], Any], dtype: Any = object, missing: Any = None) -> np.ndarray:
        """fn of each distinct value of `column`, per row (`missing` where a row has none)."""
        codes, values = self(column)
        return take([fn(v) for v in values], codes, dtype, missing)
