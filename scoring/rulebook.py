"""rules/*.toml → RuleBook: the scoring policy as data (points, directions, bands, rounding, grades).

A rule set may `extends` another and override single keys. Unknown keys and bad values are refused with
the file and the key named.
"""
from __future__ import annotations

import math
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from .errors import RuleBookError, shortened
from .resources import data_dir

# The shape of a rule-set file: a dict is a table with exactly these keys; `(type, ...)` is a value.
# A table given as {str: spec} takes any key (a mapping such as points.blocks).
_NUMBER = (int, float)
_SPEC: dict[str, Any] = {
    "name": (str,),
    "title": (str,),
    "extends": (str,),
    "points": {"budget": _NUMBER, "empty_blocks": (str,), "blocks": {str: _NUMBER}, "aliases": {str: (str,)}},
    "direction": {"reverse_levels": (list,), "reverse_keywords": (list,), "forward_endings": (list,)},
    "scoring": {"digits": (int,), "reverse": (str,), "overshoot": _NUMBER, "missing": _NUMBER,
                "overshoot_note": (bool,)},
    "execution": {"caps": (list,)},
    "deductions": {"percent_steps": (str,), "partial_steps": (str,), "below": (str,), "deviation": (str,)},
    "qualitative": {"bands": {str: {"low": _NUMBER, "high": _NUMBER, "default": _NUMBER}}},
    "grades": {str: _NUMBER},
}
_REVERSE_METHODS = ("ratio", "linear")
READINGS = {  # the options of [deductions] and the values each may take
    "percent_steps": ("points", "relative"),
    "partial_steps": ("whole", "started", "exact"),
    "below": ("value", "ratio"),
    "deviation": ("shortfall", "both"),
}
_STATUS_BANDS = ("达成", "部分达成", "未达成")
GRADES = ("优", "良", "中", "差")  # design.md: ev.grade is one of these


@dataclass(frozen=True)
class Band:
    """A share of the 分值: from `low` (inclusive) to `high`, `default` when no person scores it."""

    low: float
    high: float
    default: float


@dataclass(frozen=True)
class RuleBook:
    """A rule set, resolved (its `extends` chain merged) and checked."""

    name: str
    title: str
    source: str
    budget_points: float
    block_points: dict[str, float]
    block_aliases: dict[str, str]
    empty_blocks: str  # "scale" | "drop"
    reverse_levels: tuple[str, ...]
    reverse_keywords: tuple[str, ...]
    forward_endings: tuple[str, ...]  # a 三级指标 ending so (处理率) is 正向 whatever keyword it holds
    digits: int
    reverse: str
    overshoot: float
    missing: float
    bands: dict[str, Band]
    grades: tuple[tuple[str, float], ...]  # highest edge first
    overshoot_note: bool
    execution_caps: tuple[tuple[float, float], ...]  # (rate below which, highest total), lowest total first
    readings: dict[str, str]

    def block_of(self, level1: str) -> str | None:
        """The block whose points a 一级指标 shares, or None if the rule set does not know it."""
        if level1 in self.block_points:
            return level1
        return self.block_aliases.get(level1)

    def block(self, level1: str, level2: str) -> str | None:
        """The block an indicator's points belong to: its 二级指标's where the rule set knows that as a block,
        else its 一级指标's; None if neither."""
        return self.block_of(level2) or self.block_of(level1)

    def total_cap(self, rate: float | None) -> float | None:
        """The highest total the execution rate allows, or None (no cap applies)."""
        if rate is None:
            return None
        return next((total for below, total in self.execution_caps if rate < below), None)

    def grade(self, total: float) -> str:
        """The grade a total earns (edges inclusive)."""
        for grade, edge in self.grades:
            if total >= edge:
                return grade
        return self.grades[-1][0]


def rules_dir() -> Path:
    """The folder of the shipped rule sets."""
    return data_dir("rules")


def load_rules(rules: "str | Path | RuleBook | None" = None) -> RuleBook:
    """A rule set by name (a file in rules/), by path, or as given; None is the default, `national`."""
    if isinstance(rules, RuleBook):
        return rules
    path = _locate(rules or "national")
    if not _is_file(path):
        raise _no_rule_set(rules, where=None)
    return _load_file(str(path.resolve()), _modified(path))


def rule_set(rules: "str | Path | RuleBook | None", where: str) -> RuleBook:
    """load_rules(rules); one that cannot be found is refused where it was asked for (`g.json: project 'X':
    rules`, `--rules`)."""
    try:
        return load_rules(rules)
    except RuleBookError as exc:
        if exc.where is not None:  # a rule-set file with a fault names itself
            raise
        raise RuleBookError(str(exc), where=where) from None


def _is_file(path: Path) -> bool:
    """Whether `path` is a file; a name no file can have (too long, say) is none."""
    try:
        return path.is_file()
    except OSError:
        return False


def _no_rule_set(ref: str | Path, where: str | None) -> RuleBookError:
    known = ", ".join(sorted(p.stem for p in rules_dir().glob("*.toml")))
    return RuleBookError(f"no rule set '{shortened(str(ref))}' (shipped: {known})", where=where)


def _modified(path: Path) -> float:
    return path.stat().st_mtime_ns


@lru_cache(maxsize=64)
def _load_file(ref: str, modified: float) -> RuleBook:
    """One RuleBook per rule-set file (and version of it): projects naming the same rule set share it, so
    the engine scores them in one pass."""
    data, source = _load_chain(ref, seen=())
    return _build(data, source)


def _locate(ref: str | Path, relative_to: Path | None = None) -> Path:
    text = str(ref)
    if text.endswith(".toml") or "/" in text or "\\" in text:
        path = Path(text)
        if not path.is_absolute() and relative_to is not None and not path.exists():
            path = relative_to / path
        return path
    return rules_dir() / f"{text}.toml"


def _load_chain(ref: str | Path, seen: tuple[Path, ...], relative_to: Path | None = None) -> tuple[dict, str]:
    path = _locate(ref, relative_to)
    if not _is_file(path):
        raise _no_rule_set(ref, where=f"{seen[-1]}: extends" if seen else None)
    if path.resolve() in seen:
        raise RuleBookError(f"'extends' loops back to {path.name}", where=str(path))
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise RuleBookError(f"not a TOML file: {exc}", where=str(path)) from exc
    _check(data, _SPEC, str(path), "")
    parent = data.get("extends")
    if parent is None:
        return data, str(path)
    base, _ = _load_chain(parent, (*seen, path.resolve()), relative_to=path.parent)
    return _merge(base, data), str(path)


def _check(data: dict, spec: dict, source: str, prefix: str) -> None:
    any_key = spec.get(str) if len(spec) == 1 else None
    for key, value in data.items():
        name = f"{prefix}{key}"
        rule = any_key if any_key is not None else spec.get(key)
        if rule is None:
            raise RuleBookError(f"unknown key '{name}'", where=source)
        if isinstance(rule, dict):
            if not isinstance(value, dict):
                raise RuleBookError(f"'{name}' must be a table", where=source)
            _check(value, rule, source, f"{name}.")
        elif not isinstance(value, rule) or (isinstance(value, bool) and bool not in rule):
            kinds = " or ".join(t.__name__ for t in rule).replace("str", "text").replace("float", "number")
            raise RuleBookError(f"'{name}' must be {kinds}, not {value!r}", where=source)
        elif isinstance(value, float) and not math.isfinite(value):  # TOML writes inf and nan
            raise RuleBookError(f"'{name}' must be a finite number, not {value!r}", where=source)


def _merge(base: dict, override: dict) -> dict:
    merged = dict(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(base.get(key), dict):
            merged[key] = _merge(base[key], value)
        else:
            merged[key] = value
    return merged


def _build(data: dict, source: str) -> RuleBook:
    def need(*keys: str) -> Any:
        node: Any = data
        for key in keys:
            if not isinstance(node, dict) or key not in node:
                raise RuleBookError(f"missing key '{'.'.join(keys)}'", where=source)
            node = node[key]
        return node

    def fail(key: str, why: str) -> RuleBookError:
        return RuleBookError(f"'{key}' {why}", where=source)

    digits = need("scoring", "digits")
    if not 0 <= digits <= 4:
        raise fail("scoring.digits", "must be between 0 and 4")
    reverse = need("scoring", "reverse")
    if reverse not in _REVERSE_METHODS:
        raise fail("scoring.reverse", f"must be one of {', '.join(_REVERSE_METHODS)}, not '{reverse}'")
    overshoot = float(need("scoring", "overshoot"))
    if overshoot <= 1:
        raise fail("scoring.overshoot", "must be above 1")
    missing = float(need("scoring", "missing"))
    if not 0 <= missing <= 1:
        raise fail("scoring.missing", "must be a share between 0 and 1")
    empty_blocks = need("points", "empty_blocks")
    if empty_blocks not in ("scale", "drop"):
        raise fail("points.empty_blocks", f"must be scale or drop, not '{empty_blocks}'")
    blocks = {k: float(v) for k, v in need("points", "blocks").items()}
    aliases = dict(need("points", "aliases"))
    for alias, block in aliases.items():
        if block not in blocks:
            raise fail(f"points.aliases.{alias}", f"names '{block}', which is not in points.blocks")
    if any(v < 0 for v in blocks.values()) or need("points", "budget") < 0:
        raise fail("points", "must not be negative")
    total = need("points", "budget") + sum(blocks.values())
    if abs(total - 100) > 1e-9:  # domain.md: 100 in all, however split
        raise fail("points", f"budget and blocks must add up to 100, not {total:g}")
    raw_bands = need("qualitative", "bands")
    if sorted(raw_bands) != sorted(_STATUS_BANDS):
        raise fail("qualitative.bands", f"must have exactly the bands {', '.join(_STATUS_BANDS)}")
    bands = {name: Band(float(b["low"]), float(b["high"]), float(b["default"])) for name, b in raw_bands.items()}
    for name, band in bands.items():
        if not 0 <= band.low <= band.default <= band.high <= 1:
            raise fail(f"qualitative.bands.{name}", "needs 0 ≤ low ≤ default ≤ high ≤ 1")
    for key in ("reverse_levels", "reverse_keywords", "forward_endings"):
        if not all(isinstance(word, str) and word.strip() for word in need("direction", key)):
            raise fail(f"direction.{key}", "must be a list of texts, none empty")
    readings = {}
    for key, allowed in READINGS.items():
        value = need("deductions", key)
        if value not in allowed:
            raise fail(f"deductions.{key}", f"must be one of {', '.join(allowed)}, not '{value}'")
        readings[key] = value
    caps = []
    for i, cap in enumerate(need("execution", "caps")):
        if not (isinstance(cap, dict) and set(cap) == {"below", "total"} and all(
                isinstance(cap[k], (int, float)) and not isinstance(cap[k], bool) for k in cap)):
            raise fail(f"execution.caps[{i}]", "must be {below = rate, total = points}")
        if not 0 < cap["below"] <= 1:
            raise fail(f"execution.caps[{i}].below", "must be a rate between 0 and 1")
        caps.append((float(cap["below"]), float(cap["total"])))
    given = need("grades")
    if sorted(given) != sorted(GRADES):
        raise fail("grades", f"must give exactly the grades {', '.join(GRADES)}")
    edges = [float(given[g]) for g in GRADES]
    if not all(0 <= edge <= 100 for edge in edges) or edges != sorted(edges, reverse=True):
        raise fail("grades", f"need 100 ≥ {' ≥ '.join(GRADES)} ≥ 0, not {', '.join(f'{e:g}' for e in edges)}")
    grades = tuple(zip(GRADES, edges))
    return RuleBook(
        name=need("name"),
        title=data.get("title", need("name")),
        source=source,
        budget_points=float(need("points", "budget")),
        block_points=blocks,
        block_aliases=aliases,
        empty_blocks=empty_blocks,
        reverse_levels=tuple(need("direction", "reverse_levels")),
        reverse_keywords=tuple(need("direction", "reverse_keywords")),
        forward_endings=tuple(need("direction", "forward_endings")),
        digits=int(digits),
        reverse=reverse,
        overshoot=overshoot,
        missing=missing,
        bands=bands,
        grades=grades,
        overshoot_note=bool(need("scoring", "overshoot_note")),
        execution_caps=tuple(sorted(caps, key=lambda c: c[1])),
        readings=readings,
    )
