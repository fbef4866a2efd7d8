"""正向 or 反向 for each indicator: the goals' own word, else the target's operator, else the context."""
from __future__ import annotations

import re

import numpy as np

from .model import Codes
from .rulebook import RuleBook
from .uniques import ColumnCodes

DIRECTIONS = ("正向", "反向")
_BRACKETED_END = re.compile(r"\s*[(（][^()（）]*[)）]\s*$")  # 举报投诉处理率（%）


def resolve(given: Codes, implied: Codes, columns: ColumnCodes, rules: RuleBook) -> np.ndarray:
    """Directions per row: the goals' own word (`given`), else Target.direction (`implied`, None where the text
    says nothing), both as codes into their distinct values.

    Without either, a target is 反向 under a 成本 level or when its 三级指标 names a cost, a response time,
    complaints… (rules.direction), unless the 三级指标 names a rate of something done; otherwise 正向.
    """
    by_context = _context(columns, rules).astype(np.int64)  # 1: 反向, the index in DIRECTIONS
    by_text, explicit = _indexes(implied), _indexes(given)
    by_text = np.where(by_text >= 0, by_text, by_context)
    return np.array(DIRECTIONS, dtype=object)[np.where(explicit >= 0, explicit, by_text)]


def _indexes(coded: Codes) -> np.ndarray:
    """Per row, the index in DIRECTIONS of its value (-1 for anything else, or none)."""
    codes, values = coded
    return np.array([DIRECTIONS.index(v) if v in DIRECTIONS else -1 for v in values] + [-1])[codes]


def _context(columns: ColumnCodes, rules: RuleBook) -> np.ndarray:
    """Whether a row's levels or 三级指标 say 反向, decided once per distinct level or name."""
    levels = set(rules.reverse_levels)
    by_level = (columns.map("level1", levels.__contains__, dtype=bool, missing=False)
                | columns.map("level2", levels.__contains__, dtype=bool, missing=False))
    by_name = columns.map("level3", lambda name: any(word in name for word in rules.reverse_keywords),
                          dtype=bool, missing=False)
    forward = columns.map("level3", lambda name: _names_a_rate_done(name, rules), dtype=bool, missing=False)
    return (by_level | by_name) & ~forward


def _names_a_rate_done(name: str, rules: RuleBook) -> bool:
    """Whether a 三级指标 ends in a rate of something done (投诉处理率, 成本节约率): 正向 under any level and
    whatever keyword it holds; a bracketed unit at its end (举报投诉处理率（%）) is passed over."""
    return _BRACKETED_END.sub("", name).strip().endswith(rules.forward_endings)

