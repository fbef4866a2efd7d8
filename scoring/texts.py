"""Explanation templates filled for many rows at once: each distinct value of a field is formatted once, and
each distinct combination of a template's fields is one positional str.format (a million rows share a few
hundred thousand explanations)."""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from string import Formatter
from typing import Any

import numpy as np

from .rounding import format_number
from .uniques import combined_codes, factorize, first_rows, take


@lru_cache(maxsize=None)
def compile_template(template: str) -> tuple[str, tuple[str, ...]]:
    """`实际 {actual} ÷ 目标 {target}` → (`实际 {0} ÷ 目标 {1}`, ("actual", "target"))."""
    names: list[str] = []
    parts: list[str] = []
    for literal, name, spec, conversion in Formatter().parse(template):
        parts.append(literal.replace("{", "{{").replace("}", "}}"))
        if name is not None:
            if name not in names:
                names.append(name)
            parts.append("{" + str(names.index(name)) + (f"!{conversion}" if conversion else "")
                         + (f":{spec}" if spec else "") + "}")
    return "".join(parts), tuple(names)


def shown(values: Any) -> np.ndarray:
    """Values as the explanations print them, per row (see coded)."""
    field = coded(values)
    return field.texts[field.codes]


@dataclass(frozen=True)
class Coded:
    """A field of many rows: per row a code into `texts`, whose last entry is the text of code -1 (no value)."""

    codes: np.ndarray
    texts: np.ndarray


def coded(values: Any, missing: str = "") -> Coded:
    """Values as the explanations print them (floats by format_number), each distinct value shown once."""
    codes, uniques = factorize(values)
    texts = [format_number(v) if isinstance(v, (float, np.floating)) else str(v) for v in uniques]
    return Coded(codes, np.array(texts + [missing], dtype=object))


def fill(template: str, rows: int, fields: Mapping[str, Coded | str]) -> np.ndarray:
    """The template filled for `rows` rows; a field is Coded or one string for all. Rows whose fields are
    alike share one formatted text."""
    positional, names = compile_template(template)
    varying = [fields[name].codes for name in names if isinstance(fields[name], Coded)]
    if not varying:
        return np.full(rows, positional.format(*(fields[name] for name in names)), dtype=object)
    combination = combined_codes(*varying)
    first = first_rows(combination)
    columns = [fields[name].texts[fields[name].codes[first]] if isinstance(fields[name], Coded)
               else [fields[name]] * len(first) for name in names]
    return take([positional.format(*values) for values in zip(*columns)], combination)
