"""正向 or 反向 for each indicator: the goals' own word, else the target's operator, else the context."""
from __future__ import annotations

import numpy as np
import pandas as pd

from .rulebook import RuleBook
from .uniques import ColumnCodes

DIRECTIONS = ("正向", "反向")


def resolve(given: pd.Series, implied: np.ndarray, columns: ColumnCodes, rules: RuleBook) -> np.ndarray:
    """Directions per row. `implied` is Target.direction (None where the text says nothing).

    Without either, a target is 反向 under a 成本 level or when its 三级指标 names a cost, a response time,
    complaints… (rules.direction); otherwise 正向.
    """
    context = _context(columns, rules)
    by_text = np.where(pd.isna(implied), np.where(context, "反向", "正向"), implied)
    explicit = given.where(given.isin(DIRECTIONS)).to_numpy()
    return np.where(pd.isna(explicit), by_text, explicit).astype(object)


def _context(columns: ColumnCodes, rules: RuleBook) -> np.ndarray:
    """Whether a row's levels or 三级指标 say 反向, decided once per distinct level or name."""
    levels = set(rules.reverse_levels)
    by_level = (columns.map("level1", levels.__contains__, dtype=bool, missing=False)
                | columns.map("level2", levels.__contains__, dtype=bool, missing=False))
    by_name = columns.map("level3", lambda name: any(word in name for word in rules.reverse_keywords),
                          dtype=bool, missing=False)
    return by_level | by_name
