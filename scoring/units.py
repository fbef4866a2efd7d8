"""One pint registry for the process, built from units_zh.txt, and the conversion factors derived from it.

pint is used once per distinct unit text: `unit_info` is cached, so scoring a million rows that share a
handful of units asks pint a handful of times.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import pint

from .errors import UnitError
from .resources import package_file

REGISTRY = pint.UnitRegistry(None, autoconvert_offset_to_baseunit=True)
REGISTRY.load_definitions(str(package_file("units_zh.txt")))


@dataclass(frozen=True)
class UnitInfo:
    """What the engine needs of a unit: its factor to base units and a key for its dimension."""

    text: str
    factor: float
    dimension: str
    is_percent: bool
    unprefixed_factor: float  # without the 万/亿 written in front (元 for 万元): for a number with its own 万 (45万)


def canonical_unit_text(text: str) -> str:
    """Rewrite the compound forms of the tables into pint's syntax.

    Everything after the first `/` is a denominator: `元/人、天`, `元/人*月` and `元/人/月` all mean
    元 per person per day or month. A bracketed alternative is dropped: `件（套）` counts 件.
    """
    text = _ALTERNATIVE.sub("", text.strip()).replace("／", "/").replace("·", "*").replace("•", "*")
    text = text.replace("×", "*")
    if "/" not in text:
        return text
    head, _, tail = text.partition("/")
    parts = [p for p in tail.replace("、", "/").replace("*", "/").split("/") if p]
    return "/".join([head, *parts])


@lru_cache(maxsize=None)
def unit_info(text: str) -> UnitInfo:
    """The factor and dimension of a unit as written; raises UnitError for a unit the registry lacks."""
    pint_text = canonical_unit_text(text)
    if not _UNIT_SHAPE.fullmatch(pint_text):  # only names, / and *: pint never sees numbers or other syntax
        raise UnitError(f"unknown unit '{text}'")
    try:
        unit = REGISTRY.Unit(pint_text)
        factor = float(REGISTRY.Quantity(1, unit).to_base_units().magnitude)
    except Exception as exc:  # pint's parser raises many kinds (PintError, AssertionError, TokenError…)
        raise UnitError(f"unknown unit '{text}'") from exc
    dimension = str(unit.dimensionality)
    is_percent = dimension == "dimensionless" and pint_text in _PERCENT_NAMES
    return UnitInfo(text=text, factor=factor, dimension=dimension, is_percent=is_percent,
                    unprefixed_factor=_unprefixed_factor(pint_text, factor))


def _unprefixed_factor(pint_text: str, factor: float) -> float:
    """The factor of the unit without the multiplier prefix (units_zh.txt) its first name starts with: 元 for
    万元 and 千万元, 元/人 for 万元/人. A name defined whole (千克, 千米) has no prefix: its own factor."""
    head = re.split(r"[/*]", pint_text, maxsplit=1)[0]
    prefixes = [prefix for prefix, _, _ in REGISTRY.parse_unit_name(head)]
    if "" in prefixes or not prefixes:
        return factor
    return unit_info(pint_text[len(max(prefixes, key=len)):]).factor


def is_unit(text: str) -> bool:
    """Whether the registry reads `text` as a unit."""
    try:
        unit_info(text)
    except UnitError:
        return False
    return True


def quantity(magnitude: float, unit: str | None) -> pint.Quantity:
    """A pint Quantity for the public API (Target.quantity); never used on the scoring path."""
    if not unit:
        return REGISTRY.Quantity(magnitude)
    return REGISTRY.Quantity(magnitude, canonical_unit_text(unit))


_UNIT_SHAPE = re.compile(r"(?:[^\W\d_]+|[A-Za-z]+[23]|%)(?:[/*](?:[^\W\d_]+|[A-Za-z]+[23]|%))*")
_ALTERNATIVE = re.compile(r"[(（][^()（）]*[)）]")
_PERCENT_NAMES = frozenset({"percent", "%", "百分比", "比例", "比率", "百分点", "个百分点"})
