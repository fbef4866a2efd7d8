"""分值: defaults shared equally within a block, and 不适用 points scaled back to their total.

Shares are apportioned by largest remainder at the rule set's digits, so the 分值 column adds up exactly
(50 over three indicators is 16.67 + 16.67 + 16.66, not 3 × 16.67 = 50.01). Groups are integer codes and
their sums np.bincount: a million indicators cost a few array passes.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from .errors import InputError
from .rounding import from_units, to_units
from .rulebook import RuleBook
from .uniques import ColumnCodes, combine, combined_codes, first_rows, take

ALL_BLOCKS = "（全部指标）"  # the pseudo-block of a table that names no 一级指标


def _sums(values: np.ndarray, groups: np.ndarray) -> np.ndarray:
    """Each row's group total of `values`."""
    return np.bincount(groups, weights=values)[groups] if len(groups) else np.zeros(0)


def apportion(raw: np.ndarray, groups: np.ndarray, totals: np.ndarray, digits: int) -> np.ndarray:
    """Round `raw` to `digits` so that each group sums to its total (largest remainder, ties by order)."""
    scale = 10**digits
    units = np.round(raw * scale, 6)
    floors = np.floor(units)
    deficit = np.round(totals * scale) - _sums(floors, groups)
    remainder = np.round((units - floors) * 1e6).astype(np.int64)  # in millionths, as the units are rounded
    # by group, then largest remainder first, then (a stable sort) in order: one integer key
    order = np.argsort(groups.astype(np.int64) * 1_000_001 + (1_000_000 - remainder), kind="stable")
    sorted_groups = groups[order]
    starts = np.flatnonzero(np.r_[True, sorted_groups[1:] != sorted_groups[:-1]])
    rank = np.empty(len(raw), dtype=np.int64)
    rank[order] = np.arange(len(raw)) - np.repeat(starts, np.diff(np.r_[starts, len(raw)]))
    return from_units(floors + (rank < deficit), digits)


def declared_or_shared(frame: pd.DataFrame, columns: ColumnCodes, projects: np.ndarray, rules: RuleBook,
                       source: str) -> tuple[np.ndarray, np.ndarray]:
    """Each indicator's 分值: as declared, else its block's remaining points shared equally. The block is the
    one its 二级 names (满意度 under 部门效果 is 满意度), else its 一级's. A project whose indicators name no
    block at all shares the points of all blocks. `columns`: the frame's columns factorized; `projects`: each
    row's project code. Also the shares before rounding (50 over eight: 6.25 each; 10 over three: 3.333…),
    which scale_back scales: equal shares stay equal where the points allow."""
    need = np.isnan(frame["weight_declared"].to_numpy(dtype=float))
    declared = _to_digits(frame["weight_declared"].to_numpy(dtype=float), need, projects, rules.digits)
    if not need.any():
        return declared, declared
    names = [*rules.block_points, ALL_BLOCKS]
    level1_codes, level1s = columns("level1")
    level2_codes, level2s = columns("level2")
    pair_codes, pairs = combine(level1_codes, level2_codes)
    block_of = [rules.block(level1s[a], level2s[b]) for a, b in pairs]
    block = take([-1 if b is None else names.index(b) for b in block_of], pair_codes, dtype=np.int64, missing=-1)
    # A table with no 一级指标 at all (seed 000's numbered items) shares all the indicator points equally.
    unclassified = _sums((block >= 0).astype(float), projects) == 0
    block[unclassified] = len(names) - 1
    unknown = need & (block < 0)
    if unknown.any():
        row = frame.iloc[int(np.flatnonzero(unknown)[0])]
        raise InputError(f"一级指标 '{row['level1']}' has no default points in rule set '{rules.name}' "
                         f"(blocks: {', '.join(rules.block_points)}); give the indicator a weight (分值)",
                         where=f"{source}: project '{row['project']}', indicator {row['id']} '{row['level3']}'")
    groups = combined_codes(projects, block)
    given = _sums(np.where(need, 0.0, declared), groups)
    count = _sums(need.astype(float), groups)
    points = np.array([*rules.block_points.values(), sum(rules.block_points.values())])[block]
    if rules.empty_blocks == "scale":
        points = points * _empty_block_scale(projects, block, ~need, np.array([*rules.block_points.values(), 0.0]))
    remaining = np.clip(points - given, 0, None)
    weights, exact = declared.copy(), declared.copy()
    exact[need] = remaining[need] / count[need]
    weights[need] = apportion(exact[need], groups[need], remaining[need], rules.digits)
    return weights, exact


def _to_digits(declared: np.ndarray, need: np.ndarray, projects: np.ndarray, digits: int) -> np.ndarray:
    """Declared 分值 kept to the rule set's digits, as they are printed (76.135 is 76.14), so that a score never
    exceeds its 分值; each project's declared 分值 still add up to their sum, rounded half up (four 2.5 in whole
    points are 3, 3, 2, 2: each rounded alone, they made 12)."""
    given = ~need
    rounded = from_units(to_units(declared[given], digits), digits)
    if np.array_equal(rounded, declared[given]):  # the usual table: already in the rule set's digits
        return declared
    totals = from_units(to_units(_sums(np.where(given, declared, 0.0), projects), digits), digits)
    kept = declared.copy()
    kept[given] = apportion(declared[given], projects[given], totals[given], digits)
    return kept


def scale_back(weights: np.ndarray, exact: np.ndarray, excluded: np.ndarray, projects: np.ndarray,
               digits: int) -> np.ndarray:
    """Give the points of excluded (不适用) indicators back to the others, in proportion to their shares before
    rounding (`exact`), per project: the project's 分值 (`weights`) still add up to their total."""
    if not excluded.any():
        return weights
    total = _sums(weights, projects)
    kept = _sums(np.where(excluded, 0.0, exact), projects)
    touched = _sums(excluded.astype(float), projects) > 0  # projects without a 不适用 keep their 分值
    scaled = np.where(touched, 0.0, weights)
    keep = touched & ~excluded & (kept > 0)
    raw = exact[keep] * total[keep] / kept[keep]
    scaled[keep] = apportion(raw, projects[keep], total[keep], digits)
    return scaled


def _empty_block_scale(projects: np.ndarray, block: np.ndarray, declared: np.ndarray,
                       block_points: np.ndarray) -> np.ndarray:
    """Per row, the factor that gives the points of blocks absent from its project to the blocks present, in
    proportion. Projects that declare any 分值 keep the rule set's points as they are; so do projects whose
    indicators name no block (they already share all the points)."""
    total = block_points.sum()
    first = first_rows(combined_codes(projects, block))  # one row of each (project, block) present
    present = np.bincount(projects[first], weights=block_points[block[first]], minlength=int(projects.max()) + 1)
    any_declared = np.bincount(projects, weights=declared.astype(float)) > 0
    with np.errstate(divide="ignore", invalid="ignore"):
        factor = np.where((present > 0) & ~any_declared, total / present, 1.0)
    factor = np.where(block_points[block] > 0, factor[projects], 1.0)  # the pseudo-block keeps its own points
    return factor
