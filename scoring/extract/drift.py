"""Indicator rows whose cells drift: a row loses a leading cell, gains one, or puts its 三级指标 in the 二级
column, so positions say little. Such a row is read by what its cells hold. Shared by the text readers of
seeds 001 (`value_columns`) and 003 (`two_halves`) and by the spreadsheet reader."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..language import normalise
from .fields import is_level_name

NUMBERED = re.compile(r"^指标\s*\d+\s*[:：]\s*")  # `指标12: name`, as a department table numbers its indicators


@dataclass
class Row:
    """What a drifting row holds: the level names before its 三级指标 (to update the levels above with), the
    三级指标 and its annual value; an indicator only when both are found. `problem` says what kept it from being
    one, or what of it was left out; its level names hold for the rows below all the same."""

    levels: list[str] = field(default_factory=list)
    name: str = ""
    target: str = ""
    problem: str = ""


def is_level(text: str) -> bool:
    """A level name (产出指标, 数量指标 …), not a numbered indicator (`指标3: 服务满意度指标`)."""
    return is_level_name(text) and not NUMBERED.match(normalise(text))


def _shown(cells: list[str]) -> str:
    return " | ".join(c for c in cells if c)


def two_halves(cells: list[str]) -> Row:
    """A row of a table in two halves side by side (一级/二级/三级 with the 中长期指标值, then 二级/三级 again with
    the 本年度指标值). What every row keeps is its 三级指标 written twice: the first cell that is not a level name
    and recurs further right is the 三级指标, the first filled cell after its second copy the 本年度指标值, the
    level names before its first copy the 一级/二级."""
    keys = [normalise(c) for c in cells]
    at = next((i for i, key in enumerate(keys)
               if key and key != "绩效指标" and not is_level_name(cells[i]) and key in keys[i + 1:]), None)
    if at is None:
        if all(is_level_name(c) for c in cells if c and normalise(c) != "绩效指标"):
            return Row(levels=[c for c in cells if c])  # a 二级 with no indicator of its own
        return Row(problem="no 三级指标 written in both halves (中长期 and 本年度), so no 本年度指标值 can be "
                           f"told; row not read: {_shown(cells)}")
    again = keys.index(keys[at], at + 1)
    name = cells[at]
    mid_term = next((c for c in cells[at + 1:again] if c and not is_level_name(c)), "")
    annual = [c for c in cells[again + 1:] if c]
    if not annual:
        return Row(problem=f"'{name}' has no 本年度指标值 (中长期指标值: '{mid_term or '—'}'); left out")
    extra = "" if len(annual) == 1 else (f"'{name}': more than one cell after the 本年度 三级指标; took "
                                         f"'{annual[0]}', left out {' | '.join(annual[1:])}")
    levels = [c for c in cells[:at] if c and normalise(c) != "绩效指标"]
    return Row(levels, name, annual[0], extra)


def value_columns(cells: list[str], names: list[str], annual: int) -> Row:
    """A row of a table whose 三级指标 is followed by its value columns (`names`, `annual` the one taken). The
    `指标N:` cell, else the first cell naming no level (unless that leaves more filled cells after it than
    there are value columns), is the 三级指标; the values end at the row's last filled cell, so a blank value
    cell still holds its place; the level names precede the 三级指标. The levels hold for the rows below even
    when the value is missing."""
    filled = [i for i, c in enumerate(cells) if c and normalise(c) != "绩效指标"]
    first = next((i for i in filled if not is_level(cells[i])), None)
    if first is None:  # level names only (a 二级 with no indicator of its own)
        return Row(levels=[cells[i] for i in filled])
    count = len(names)
    at = next((i for i in filled if NUMBERED.match(cells[i])), max(first, filled[-1] - count))
    levels = [cells[i] for i in filled if i < at]
    name = NUMBERED.sub("", cells[at])
    if not name or is_level(name):
        return Row(levels, problem=f"no 三级指标 found in this indicator row: {_shown(cells)}")
    start = max(at + 1, filled[-1] - count + 1)  # the first value column, by where the last value is
    values = (cells[start:start + count] + [""] * count)[:count]
    stray = [c for c in cells[at + 1:start] if c]
    if stray:
        return Row(levels, name, problem=f"'{name}' has cells between it and its value column(s) "
                                         f"({' | '.join(stray)}); which is the annual one cannot be told: "
                                         f"{_shown(cells)}")
    if not values[annual]:
        others = ", ".join(f"{n}: '{v}'" for n, v in zip(names, values) if v)
        return Row(levels, name, problem=f"'{name}' has no {names[annual]}{f' ({others})' if others else ''}; "
                                         "left out")
    return Row(levels, name, values[annual])
