"""Explanation templates filled for many rows at once: each distinct number is formatted once, and each row
costs one positional str.format."""
from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache
from string import Formatter
from typing import Any

import numpy as np

from .rounding import format_number
from .uniques import map_unique


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
    """Values as the explanations print them: floats by format_number (once per distinct value)."""
    array = np.asarray(values)
    if array.dtype.kind == "f":
        return map_unique(array, format_number, missing="")
    return map_unique(array, lambda v: format_number(v) if isinstance(v, (float, np.floating)) else str(v),
                      missing="")


def fill(template: str, rows: int, fields: Mapping[str, Any]) -> list[str]:
    """The template filled for `rows` rows; a field is a per-row sequence of strings or one string for all."""
    positional, names = compile_template(template)
    columns = [fields[name] if not isinstance(fields[name], str) else [fields[name]] * rows for name in names]
    return [positional.format(*values) for values in zip(*columns)] if names else [positional.format()] * rows
