"""正向 or 反向 for each indicator: the goals' own word, else the target's operator, else the context."""
from __future__ import annotations

import numpy as np
import pandas as pd

from .rulebook import RuleBook

DIRECTIONS = ("正向", "反向")


def resolve(given: pd.Series, implied: np.ndarray, frame: pd.DataFrame, rules: RuleBook) -> np.ndarray:
    """Directions per row. `implied` is Target.direction (None where the text says nothing).

    Without either, a target is 反向 under a 成本 level or when its 三级指标 names a cost, a response time,
    complaints… (rules.direction); otherwise 正向.
    """
    context = _context(frame, rules)
    by_text = np.where(pd.isna(implied), np.where(context, "反向", "正向"), implied)
    explicit = given.where(given.isin(DIRECTIONS)).to_numpy()
    return np.where(pd.isna(explicit), by_text, explicit).astype(object)


def _context(frame: pd.DataFrame, rules: RuleBook) -> np.ndarray:
    levels = set(rules.reverse_levels)
    triples = frame[["level1", "level2", "level3"]]
    codes, uniques = pd.factorize(pd.MultiIndex.from_frame(triples))
    reverse = np.array([
        level1 in levels or level2 in levels or any(word in level3 for word in rules.reverse_keywords)
        for level1, level2, level3 in uniques
    ], dtype=bool)
    return reverse[codes] if len(codes) else np.zeros(0, dtype=bool)
