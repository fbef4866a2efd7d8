"""The registry of clause kinds: each with its patterns and the explanation template of its effect."""
from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from .. import language
from ..rounding import format_number
from ..rule_dates import DATE
from ..texts import Coded, coded, compile_template, fill
from .clause import Clause, as_text
from .context import Context, Effect
from .words import (BAND_UNITS, DEVIATION, LATE_UNITS, LINE_UNITS, NUM, PLAIN_SUBJECT, STEP_UNITS, STEP_VERBS, SUBJECT,
                    WORTH, ZERO_UNITS)


@dataclass(frozen=True)
class Kind:
    name: str
    patterns: tuple[re.Pattern, ...]
    template: str
    apply: Callable[[Clause, Context], Effect | None]
    setup: bool  # applied before the others (it sets the reference or the counting of steps)


KINDS: list[Kind] = []


_PLACEHOLDERS = {  # the pieces the kinds' patterns are written with
    "NUM": NUM, "SUBJECT": SUBJECT, "PLAIN_SUBJECT": PLAIN_SUBJECT, "WORTH": WORTH, "GRADE": language.GRADE_PATTERN,
    "STEP_UNITS": STEP_UNITS, "LATE_UNITS": LATE_UNITS, "ZERO_UNITS": ZERO_UNITS, "LINE_UNITS": LINE_UNITS,
    "NOT_DEVIATION": rf"(?![^\d,;。]*(?:{'|'.join(DEVIATION)}))",  # (偏差率10%-20%得6分: no band of ours)
    "BAND_UNITS": BAND_UNITS, "DATE": DATE, "DONE": r"(?:(?:完成|办结|完工|竣工|验收|上线|投入使用|交付)(?:项目|工程|任务|工作)?)+",
    "STEP_VERBS": "|".join(sorted(STEP_VERBS, key=len, reverse=True)),  # 少完成 before 少
    "ZERO": r"(?:不得分|得0分|计0分|为0分|得零分|不计分|该项不得分)",  # what scores 0
    "DEDUCT": r"(?P<act>扣除|扣减|扣|减少|减)(?P<of>[^\d]{0,6}?分值的?)?(?P<m>{NUM})(?P<munit>%|分)",  # 扣分值的5%
}


def _expanded(pattern: str) -> str:
    """A kind's pattern with its {PLACEHOLDERS} written out (a piece may hold another: {WORTH} holds {NUM})."""
    while "{" in (expanded := re.sub(r"\{([A-Z_]+)\}", lambda m: _PLACEHOLDERS[m.group(1)], pattern)) \
            and expanded != pattern:
        pattern = expanded
    return expanded


def rule_kind(name: str, *patterns: str, explain: str = "", setup: bool = False):
    """Register a kind of clause: the patterns that read it and the explanation template of its effect."""
    def register(apply: Callable[[Clause, Context], Effect | None]):
        KINDS.append(Kind(name, tuple(re.compile(_expanded(p)) for p in patterns), explain, apply, setup))
        return apply
    return register


def fill_kind(kind: str, clause: Clause, where: np.ndarray, **arrays: Any) -> np.ndarray:
    """The kind's template filled from the clause's values and the per-row arrays for the rows `where` (a
    mask) says show it; "" on the others, which are not formatted at all."""
    template = next(k.template for k in KINDS if k.name == kind)
    idx = np.flatnonzero(where)
    fields = {name: _rows_of(arrays[name], idx) if name in arrays else as_text(clause.get(name))
              for name in compile_template(template)[1]}
    notes = np.full(len(where), "", dtype=object)
    notes[idx] = fill(template, len(idx), fields)
    return notes


def _rows_of(values: Any, idx: np.ndarray) -> Coded | str:
    """A field for the rows idx: one text for all stays one text; numbers are shown as the table prints them."""
    if isinstance(values, Coded):
        return Coded(values.codes[idx], values.texts)
    return values if isinstance(values, str) else coded(np.asarray(values)[idx])


def taken_share(clause: Clause, ctx: Context) -> np.ndarray | float:
    """What a deduction (扣M分, 扣M%, 扣分值的M%) takes, as a share of each row's 分值."""
    return clause.get("m") / 100 if clause.get("munit") == "%" else ctx.of_weight(clause.get("m"))


def taken_text(clause: Clause) -> str:
    """A deduction as the explanation writes it: 5分, 40%分值."""
    return f"{format_number(clause.get('m'))}{'%分值' if clause.get('munit') == '%' else '分'}"
