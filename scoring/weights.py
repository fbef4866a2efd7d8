"""分值: defaults shared equally within a block, and 不适用 points scaled back to their total.

Shares are apportioned by largest remainder at the rule set's digits, so the 分值 column adds up exactly
(50 over three indicators is 16.67 + 16.67 + 16.66, not 3 × 16.67 = 50.01).
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from .errors import InputError
from .rounding import from_units
from .rulebook import RuleBook
from .uniques import combine, factorize, take

ALL_BLOCKS = "（全部指标）"  # the pseudo-block of a table that names no 一级指标


def apportion(raw: np.ndarray, groups: np.ndarray, totals: np.ndarray, digits: int) -> np.ndarray:
    """Round `raw` to `digits` so that each group sums to its total (largest remainder, ties by order)."""
    scale = 10**digits
    units = np.round(raw * scale, 6)
    floors = np.floor(units)
    frame = pd.DataFrame({"g": groups, "floor": floors, "rest": units - floors, "order": np.arange(len(raw))})
    deficit = np.round(totals * scale) - frame.groupby("g")["floor"].transform("sum").to_numpy()
    rank = frame.sort_values(["g", "rest", "order"], ascending=[True, False, True]).groupby("g").cumcount()
    extra = rank.reindex(frame.index).to_numpy() < deficit
    return from_units(floors + extra, digits)


def declared_or_shared(frame: pd.DataFrame, rules: RuleBook, source: str) -> np.ndarray:
    """Each indicator's 分值: as declared, else its block's remaining points shared equally. The block is the
    one its 二级 names (满意度 under 部门效果 is 满意度), else its 一级's. A project whose indicators name no
    block at all shares the points of all blocks."""
    declared = pd.to_numeric(frame["weight_declared"], errors="coerce").astype(float)
    need = declared.isna().to_numpy()
    if not need.any():
        return declared.to_numpy()
    level1_codes, level1s = factorize(frame["level1"])
    level2_codes, level2s = factorize(frame["level2"])
    pair_codes, pairs = combine(level1_codes, level2_codes)
    block = pd.Series(take([rules.block_of(level2s[b]) or rules.block_of(level1s[a]) for a, b in pairs],
                           pair_codes), index=frame.index)
    # A table with no 一级指标 at all (seed 000's numbered items) shares all the indicator points equally.
    unclassified = block.isna().groupby(frame["project"]).transform("all")
    block = block.mask(unclassified, ALL_BLOCKS)
    unknown = need & block.isna().to_numpy()
    if unknown.any():
        row = frame[unknown].iloc[0]
        raise InputError(f"一级指标 '{row['level1']}' has no default points in rule set '{rules.name}' "
                         f"(blocks: {', '.join(rules.block_points)}); give the indicator a weight (分值)",
                         where=f"{source}: project '{row['project']}', indicator {row['id']} '{row['level3']}'")
    keys = pd.DataFrame({"project": frame["project"].to_numpy(), "block": block.to_numpy()})
    groups = keys.groupby(["project", "block"], sort=False, dropna=False).ngroup().to_numpy()
    given = pd.Series(declared.fillna(0).to_numpy()).groupby(groups).transform("sum").to_numpy()
    count = pd.Series(need.astype(int)).groupby(groups).transform("sum").to_numpy()
    points = block.map({**rules.block_points, ALL_BLOCKS: sum(rules.block_points.values())}).fillna(0).to_numpy()
    if rules.empty_blocks == "scale":
        points = points * _empty_block_scale(frame["project"], block, declared, rules)
    remaining = np.clip(points - given, 0, None)
    weights = declared.to_numpy().copy()
    shared = apportion(remaining[need] / count[need], groups[need], remaining[need], rules.digits)
    weights[need] = shared
    return weights


def scale_back(weights: np.ndarray, excluded: np.ndarray, projects: np.ndarray, digits: int) -> np.ndarray:
    """Give the points of excluded (不适用) indicators back to the others, in proportion, per project."""
    if not excluded.any():
        return weights
    groups = pd.factorize(projects)[0]
    total = pd.Series(weights).groupby(groups).transform("sum").to_numpy()
    kept = pd.Series(np.where(excluded, 0.0, weights)).groupby(groups).transform("sum").to_numpy()
    scaled = np.zeros_like(weights)
    keep = ~excluded & (kept > 0)
    raw = weights[keep] * total[keep] / kept[keep]
    scaled[keep] = apportion(raw, groups[keep], total[keep], digits)
    return scaled


def _empty_block_scale(projects: pd.Series, block: pd.Series, declared: pd.Series, rules: RuleBook) -> np.ndarray:
    """Per row, the factor that gives the points of blocks absent from its project to the blocks present, in
    proportion. Projects that declare any 分值 keep the rule set's points as they are."""
    total = sum(rules.block_points.values())
    keys = pd.DataFrame({"project": projects.to_numpy(), "block": block.to_numpy()}).drop_duplicates()
    present = keys["block"].map(rules.block_points).fillna(0).groupby(keys["project"]).sum()
    any_declared = declared.notna().groupby(projects).any()
    factor = (total / present.where(present > 0)).where(~any_declared.reindex(present.index), 1.0).fillna(1.0)
    return projects.map(factor).to_numpy(dtype=float)
