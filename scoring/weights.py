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
    """Each indicator's 分值: as declared, else its block's remaining points shared equally."""
    declared = pd.to_numeric(frame["weight_declared"], errors="coerce").astype(float)
    need = declared.isna().to_numpy()
    if not need.any():
        return declared.to_numpy()
    level1 = frame["level1"]
    block = level1.map({name: rules.block_of(name) for name in level1.unique()})
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
    points = block.map(rules.block_points).fillna(0).to_numpy()
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
