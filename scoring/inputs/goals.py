"""Goals (绩效目标) from a JSON file, a folder of them, a dict or a DataFrame, as Project headers and one
indicator frame.

A million indicators must read in about the time json.loads takes: the frame is built column by column, and
a quick check of the schema's rules stands in for the JSON Schema validator, which runs only to explain what
is wrong (naming the path of the bad field) when the quick check finds something.
"""
from __future__ import annotations

import json
import math
import re
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from itertools import chain
from pathlib import Path
from typing import Any

import jsonschema
import numpy as np
import pandas as pd

from ..cells import writable
from ..errors import QUOTE_LIMIT, InputError, shortened
from ..model import INDICATOR_COLUMNS, Budget, Codes, Goals, Project
from ..resources import package_file
from ..uniques import combined_codes, factorize, recoded, take
from . import goals_table
from .files import decode_text, is_dir, read_bytes

GoalsSource = str | Path | Mapping | pd.DataFrame

_TOP_KEYS = frozenset({"$schema", "projects"})
_PROJECT_KEYS = frozenset({"$schema", "year", "project", "department", "agency", "form", "goal", "rules",
                           "budget", "indicators"})
FORMS = ("project", "department")  # goals.schema.json's `form`: the 自评表 a project fills
_BUDGET_KEYS = frozenset({"unit", "initial", "full_year", "weight"})
INDICATOR_FIELDS = ("id", "level1", "level2", "level3", "description", "target", "weight", "rule", "direction")
_INDICATOR_KEYS = frozenset(INDICATOR_FIELDS)
LARGEST = 1e15  # goals.schema.json's bound on numbers: above any budget in 元; refuses Infinity and 1e400
# Searched in the file's bytes, three times faster than in its text: UTF-8 and GB18030 write the escape in ASCII
# (a GB18030 trail byte may look like its backslash: a needless check, never a missed one)
_SURROGATE_ESCAPE = re.compile(rb"\\u[dD][89a-fA-F]")
_LONG_QUOTE = re.compile(r"'[^']{%d,}'" % (QUOTE_LIMIT + 1))  # a quoted text too long for a message


@lru_cache(maxsize=1)
def goals_schema() -> dict:
    """The JSON Schema of the goals file, shipped in the package."""
    return json.loads(package_file("goals.schema.json").read_text(encoding="utf-8"))


def read_goals(source: GoalsSource) -> Goals:
    """Goals from a JSON file, a folder of them, a dict (one project or {"projects": [...]}) or a DataFrame
    (one row per indicator, with `project`, and per project `year`, `rules`, `form` and budget_* columns)."""
    if isinstance(source, pd.DataFrame):
        return _goals_table(source)
    if isinstance(source, Mapping):
        return _checked(dict(source), "goals", escaped=True)  # text from a program may hold anything
    path = _goals_path(source)
    if is_dir(path):
        return _goals_folder(path)
    data, escaped = _load_json(path)  # a file only what its escapes make
    return _checked(data, str(source), escaped)


def _goals_path(source: object) -> Path:
    """The path of goals given as one; what is neither a path nor goals data is refused, saying what it is."""
    if isinstance(source, str) and source.lstrip()[:1] + source.rstrip()[-1:] in ("{}", "[]"):
        raise InputError(f"JSON text ({shortened(source.strip(), 40)!r}), not a path: pass json.loads(text), "
                         "or the file's path", where="goals")
    if not isinstance(source, (str, Path)):
        raise InputError("must be a path (str or pathlib.Path), a dict or a DataFrame, not "
                         f"{type(source).__name__}", where="goals")
    return Path(source)


def _checked(data: Any, name: str, escaped: bool) -> Goals:
    """The Goals of goals data, checked against the schema (the quick check, else the validator)."""
    columns, projects = _quick_check(data) or (None, None)
    if escaped:
        refuse_lone_surrogates(data, name, columns)
    if columns is None:
        _validate(data, name)
    raw_projects = data["projects"] if "projects" in data else [data]
    if columns is None:  # valid, though the quick check could not vouch for it
        columns = indicator_columns(raw_projects)
        projects = [_project(raw) for raw in raw_projects]
    counts = np.array([len(raw["indicators"]) for raw in raw_projects])
    return _goals(projects, counts, columns, name, multi="projects" in data)


def _goals_table(source: pd.DataFrame) -> Goals:
    """The Goals of a table, column by column where the quick check accepts it; else through a goals dict."""
    table = goals_table.read_table(source, INDICATOR_FIELDS)
    columns = _columns(table.cells, int(table.counts.sum()), table.codes)
    if (columns is None or not table.headers or not table.counts.all()
            or not all(_header_conforms(header) for header in table.headers) or not _columns_conform(columns)):
        return _checked(goals_table.as_goals_data(table), goals_table.NAME, escaped=True)
    refuse_lone_surrogates({"projects": table.headers}, goals_table.NAME, columns)
    projects = [_project(header) for header in table.headers]
    return _goals(projects, table.counts, columns, goals_table.NAME, multi=True)


def _goals(projects: list[Project], counts: np.ndarray, columns: dict[str, _Column], name: str,
           multi: bool) -> Goals:
    """The Goals of checked projects and their indicators' columns (`counts`: indicators per project)."""
    frame, codes = _indicator_frame(projects, counts, columns, name, multi)
    return Goals(projects=projects, indicators=frame, source=name, codes=codes)


def validate_goals(data: Any, name: str) -> None:
    """Refuse goals that break the schema, naming the path of the bad field. The quick check vouches for
    most data in a fraction of the time; the JSON Schema validator runs where it cannot."""
    if not goals_conform(data):
        _validate(data, name)


def goals_conform(data: Any) -> bool:
    """Whether the quick check vouches for `data` (the schema certainly accepts it). False says nothing:
    validate_goals then asks the validator, which names what is wrong, if anything."""
    return _quick_check(data) is not None


def _validate(data: Any, name: str) -> None:
    """The JSON Schema validator's verdict: its best match, as an InputError naming the path of the field."""
    error = jsonschema.exceptions.best_match(_validator().iter_errors(data))
    if error is None:
        return
    path = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in error.absolute_path).lstrip(".")
    raise InputError(_message(error), where=f"{name}: {path}" if path else name)


@lru_cache(maxsize=1)
def _validator() -> jsonschema.protocols.Validator:
    """The validator of goals.schema.json, for which NaN (JSON's non-standard NaN) is not a number."""
    base = jsonschema.Draft202012Validator
    checker = base.TYPE_CHECKER.redefine(
        "number", lambda _, value: base.TYPE_CHECKER.is_type(value, "number") and not _is_nan(value))
    return jsonschema.validators.extend(base, type_checker=checker)(goals_schema())


def _is_nan(value: Any) -> bool:
    return type(value) is float and math.isnan(value)


def _message(error: jsonschema.ValidationError) -> str:
    """The validator's message in one readable line: NaN said so, long values quoted cut short."""
    wanted = error.validator_value if error.validator == "type" else ()
    if _is_nan(error.instance) and "number" in ([wanted] if isinstance(wanted, str) else wanted):
        return "NaN is not a number"
    value = repr(error.instance)
    return _LONG_QUOTE.sub(lambda quote: _cut(quote[0]), error.message.replace(value, _cut(value)))  # a key, say


def _cut(value: str) -> str:
    """A value as a message quotes it, cut short; a quoted text keeps its closing quote."""
    cut = shortened(value)
    return cut + value[-1] if cut != value and value[0] in "'\"" and value[-1] == value[0] else cut


def refuse_lone_surrogates(data: Any, name: str, columns: dict[str, _Column] | None = None) -> None:
    """Text that cannot be written as UTF-8 — a lone surrogate, which only a JSON escape (\\ud800) or a
    program makes — is refused, naming its field. One encoding of all the texts (of the indicators, their
    distinct values where the columns are read); the walk only on failure."""
    texts = _all_texts(data, indicators=columns is None)
    if columns is not None:
        texts += [value for column in columns.values() for value in column.values if type(value) is str]
    try:
        "\x00".join(texts).encode("utf-8")
    except UnicodeEncodeError:
        raise InputError("text holds a lone surrogate (\\ud800 … \\udfff): not Unicode text",
                         where=f"{name}: {_path_of(data, _unwritable)}") from None


def _all_texts(data: Any, indicators: bool = True) -> list[str]:
    """The texts of goals data: of each project, its budget and (unless told not to) its indicators."""
    projects = data.get("projects", [data]) if type(data) is dict else []
    projects = [p for p in projects if type(p) is dict] if type(projects) is list else []
    found = [v for p in projects for v in p.values() if type(v) is str]
    found += [v for p in projects if type(p.get("budget")) is dict for v in p["budget"].values() if type(v) is str]
    if indicators:
        found += [v for p in projects if type(p.get("indicators")) is list for ind in p["indicators"]
                  if type(ind) is dict for v in ind.values() if type(v) is str]
    return found


def _unwritable(item: Any) -> bool:
    """Whether `item` is a text that cannot be written as UTF-8."""
    return isinstance(item, str) and not writable(item)


def _path_of(value: Any, wanted: Callable[[Any], bool], path: str = "") -> str:
    """The path (projects[0].indicators[2].level3) of the first item of `value` that is `wanted`."""
    items = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, list) else ()
    for key, item in items:
        inner = f"{path}[{key}]" if isinstance(key, int) else f"{path}.{key}".lstrip(".")
        if wanted(item):
            return inner
        if isinstance(item, (dict, list)):
            found = _path_of(item, wanted, inner)
            if found:
                return found
    return ""


def _load_json(path: Path) -> tuple[Any, bool]:
    """The data of a JSON file, and whether it writes a surrogate escape (\\ud800 … \\udfff)."""
    raw = read_bytes(path)
    text, escaped = decode_text(raw, path), _SURROGATE_ESCAPE.search(raw) is not None
    del raw  # (not kept through json.loads: peak memory)
    if not text or text.isspace():  # (strip would copy the whole file)
        raise InputError("the file is empty", where=str(path))
    return decode_json(text, path), escaped


def decode_json(text: str, path: Path) -> Any:
    """The data of a JSON text, or an InputError naming the file (and the line, or the field)."""
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(f"invalid JSON: {exc.msg}", where=f"{path} line {exc.lineno}, column {exc.colno}") from None
    except RecursionError:
        raise InputError("invalid JSON: arrays or objects nested too deeply", where=str(path)) from None
    except ValueError:  # an integer of more digits than Python reads (sys.get_int_max_str_digits)
        field = _path_of(json.loads(text, parse_int=_int_or_too_long), lambda item: type(item) is _TooLong)
        raise InputError(f"a whole number of more than {sys.get_int_max_str_digits()} digits: more than any field "
                         "holds", where=f"{path}: {field}" if field else str(path)) from None


class _TooLong:
    """Stands for an integer too long to read, while its field is looked for."""


def _int_or_too_long(digits: str) -> int | _TooLong:
    """An integer as JSON writes it, or _TooLong where it has more digits than Python reads."""
    return _TooLong() if len(digits.lstrip("-")) > sys.get_int_max_str_digits() else int(digits)


def _goals_folder(folder: Path) -> Goals:
    """Every goals file (*.json) of a folder, in name order, as one set of projects."""
    files = sorted(folder.glob("*.json"))
    if not files:
        raise InputError("no goals files (*.json) in this folder", where=str(folder))
    parts = [read_goals(path) for path in files]
    seen: dict[str, str] = {}
    for part in parts:
        for project in part.projects:
            if project.name in seen:
                raise InputError(f"project '{project.name}' appears twice (also in {seen[project.name]})",
                                 where=part.source)
            seen[project.name] = part.source
    offsets = np.cumsum([0] + [len(part.projects) for part in parts[:-1]])
    indicators = pd.concat([part.indicators.assign(project_no=part.indicators["project_no"] + offset)
                            for part, offset in zip(parts, offsets)], ignore_index=True)
    return Goals([p for part in parts for p in part.projects], indicators, str(folder))


# ---------------------------------------------------------------- the quick check of the schema's rules

@dataclass
class _Column:
    """One field of every indicator, factorized: `codes` per indicator (-1 where missing) into `values`; the
    `cells` as the data gave them."""

    codes: np.ndarray
    values: np.ndarray
    cells: np.ndarray

    @classmethod
    def of(cls, cells: np.ndarray) -> _Column:
        return cls(*factorize(cells), cells)

    def missing(self) -> np.ndarray:
        return self.codes < 0

    def types(self) -> set[type]:
        """The types of the cells: of the distinct values where all are texts, else cell by cell, since equal
        numbers share one value whatever their type (1, 1.0 and True hash alike)."""
        types = set(map(type, self.values))
        if types <= {str}:
            return types
        return set(map(type, self.cells[~self.missing()]))

    def spread(self, fn: Callable[[Any], Any], missing: Any = "") -> np.ndarray:
        """fn of each distinct value, per indicator."""
        return take([fn(v) for v in self.values], self.codes, missing=missing)

    def coded(self, fn: Callable[[Any], Any], missing: Any = "") -> tuple[np.ndarray, Codes]:
        """fn of each distinct value, per indicator, and that column factorized (without hashing it again)."""
        values = [fn(v) for v in self.values]
        return take(values, self.codes, missing=missing), recoded(self.codes, values + [missing])


def _quick_check(data: Any) -> tuple[dict[str, _Column], list[Project]] | None:
    """The indicators' fields, factorized column by column, and the projects, if the schema certainly accepts
    `data` (goals.schema.json, rule by rule: each project in one pass, each column on its distinct values);
    None sends the data to the JSON Schema validator, which says what is wrong."""
    if type(data) is not dict:
        return None
    if "projects" in data:
        projects = data["projects"]
        if not data.keys() <= _TOP_KEYS or type(projects) is not list or not projects:
            return None
    else:
        projects = [data]
    read = [_project(p) if type(p) is dict and _project_conforms(p) else None
            for p in projects]
    if any(project is None for project in read):
        return None
    columns = indicator_columns(projects)
    return (columns, read) if columns is not None and _columns_conform(columns) else None


def _columns_conform(columns: dict[str, _Column]) -> bool:
    """Whether the schema certainly accepts every indicator's fields, checked column by column."""
    return (_texts(columns["level3"], 1, 2000, optional=False) and _targets(columns["target"])
            and all(_texts(columns[key], 0, 2000) for key in ("level1", "level2", "description", "rule"))
            and _weights(columns["weight"]) and set(columns["direction"].values) <= {"正向", "反向"}
            and _ids(columns["id"]))


def indicator_columns(projects: list[dict]) -> dict[str, _Column] | None:
    """The fields of every project's indicators, one factorized column per field; None if an indicator is
    not an object, has a field the schema does not know, or gives NaN where the schema wants no number."""
    indicators = [ind for p in projects for ind in p["indicators"]]
    if set(map(type, indicators)) != {dict}:
        return None
    keys = set(chain.from_iterable(indicators))
    if not keys <= _INDICATOR_KEYS:
        return None
    # pandas reads the dicts in C (once told their keys); a missing field is NaN
    frame = pd.DataFrame(indicators, columns=[key for key in INDICATOR_FIELDS if key in keys], dtype=object)
    columns = _columns({key: frame[key].to_numpy() for key in frame.columns}, len(frame))
    if columns is None or _nan_given(indicators, keys, columns):
        return None
    return columns


def _nan_given(indicators: list[dict], keys: set[str], columns: dict[str, _Column]) -> bool:
    """Whether an indicator gives NaN (JSON's non-standard NaN), which no field takes: a weight of NaN is not a
    missing weight. The frame reads NaN as missing, as it reads an absent field: the fields given are counted, and
    only where more are given than read (some given as null or NaN) are the rows read as missing looked at."""
    given = sum(map(len, indicators))
    if given == sum(len(column.codes) - int(column.missing().sum()) for column in columns.values()):
        return False
    return any(type(indicators[i].get(key)) is float
               for key in keys for i in np.flatnonzero(columns[key].missing()).tolist())


def _columns(cells: dict[str, np.ndarray], rows: int,
             known: Mapping[str, tuple[np.ndarray, np.ndarray]] | None = None) -> dict[str, _Column] | None:
    """Each indicator field's cells factorized (a field no indicator has: all missing; `known`: fields
    factorized already); None if a cell holds a list or an object where the schema wants a value."""
    nothing = _Column(np.full(rows, -1, dtype=np.int64), np.empty(0, dtype=object), np.full(rows, None, dtype=object))
    known = known or {}
    try:
        return {key: nothing if key not in cells else _Column(*known[key], cells[key]) if key in known
                else _Column.of(cells[key]) for key in INDICATOR_FIELDS}
    except TypeError:
        return None


def _texts(column: _Column, shortest: int, longest: int, optional: bool = True) -> bool:
    """All texts (or, where optional, missing), of lengths within the bounds."""
    if not optional and column.missing().any():
        return False
    if not len(column.values):
        return True
    lengths = [len(v) for v in column.values if type(v) is str]
    return len(lengths) == len(column.values) and min(lengths) >= shortest and max(lengths) <= longest


def _targets(column: _Column) -> bool:
    """Texts of at most 2000 characters, or numbers (an Excel value) within ±LARGEST."""
    if column.missing().any() or not column.types() <= {str, int, float}:
        return False
    texts = [v for v in column.values if type(v) is str]
    numbers = [v for v in column.values if type(v) is not str]
    return (not texts or max(map(len, texts)) <= 2000) and all(-LARGEST <= v <= LARGEST for v in numbers)


def _weights(column: _Column) -> bool:
    """Missing, or numbers from 0 to LARGEST."""
    if not len(column.values):
        return True
    return column.types() <= {int, float} and all(0 <= v <= LARGEST for v in column.values)


def _ids(column: _Column) -> bool:
    """Missing, whole numbers, or texts of 1 to 100 characters."""
    if not len(column.values):
        return True
    if not column.types() <= {str, int, float}:
        return False
    texts = [len(v) for v in column.values if type(v) is str]
    return (all(type(v) is not float or v.is_integer() for v in column.values)  # (an int may exceed a float)
            and (not texts or (min(texts) >= 1 and max(texts) <= 100)))


def _project_conforms(p: dict) -> bool:
    return type(p.get("indicators")) is list and bool(p["indicators"]) and _header_conforms(p)


def _header_conforms(p: dict) -> bool:
    """A project's fields other than its indicators."""
    if not p.keys() <= _PROJECT_KEYS:
        return False
    if type(p.get("project")) is not str or not 1 <= len(p["project"]) <= 500:
        return False
    if "year" in p and not (type(p["year"]) is int and 1990 <= p["year"] <= 2100):
        return False
    for key, limit in (("department", 2000), ("agency", 2000), ("goal", 20000), ("$schema", None)):
        if key in p and not (type(p[key]) is str and (limit is None or len(p[key]) <= limit)):
            return False
    if "rules" in p and not (type(p["rules"]) is str and p["rules"]):
        return False
    if "form" in p and not (type(p["form"]) is str and p["form"] in FORMS):
        return False
    budget = p.get("budget")
    if budget is not None or "budget" in p:
        if type(budget) is not dict or not budget.keys() <= _BUDGET_KEYS:
            return False
        if "unit" in budget and not (type(budget["unit"]) is str and 1 <= len(budget["unit"]) <= 20):
            return False
        amounts = [v for k, v in budget.items() if k != "unit" and v is not None]
        if not set(map(type, amounts)) <= {int, float} or not all(0 <= v <= LARGEST for v in amounts):
            return False
    return True


# ---------------------------------------------------------------- projects and the indicator frame

def _project(raw: Mapping) -> Project:
    budget = raw.get("budget")
    return Project(
        name=raw["project"].strip(),
        department=raw.get("department", ""),
        agency=raw.get("agency", ""),
        year=raw.get("year"),
        goal=raw.get("goal", ""),
        rules=raw.get("rules"),
        form=raw.get("form", "project"),
        budget=None if budget is None else Budget(
            unit=budget.get("unit", "万元"), initial=budget.get("initial"),
            full_year=budget.get("full_year"), weight=budget.get("weight")),
    )


def _indicator_frame(projects: list[Project], counts: np.ndarray, c: dict[str, _Column], name: str,
                     multi: bool) -> tuple[pd.DataFrame, dict[str, Codes]]:
    """One row per indicator, from the columns, and the text columns factorized; project names and indicator
    ids must be unique. Text columns stay object arrays (pandas 3 would otherwise convert them to its str
    dtype and back)."""
    names = pd.Index([p.name for p in projects])
    if names.has_duplicates:
        twice = names[names.duplicated()][0]
        first, second = np.flatnonzero(names == twice)[:2]
        raise InputError(f"project '{twice}' appears twice (also projects[{first}])", where=f"{name}: projects[{second}]")
    pos = np.arange(len(c["target"].codes)) - np.repeat(np.cumsum(counts) - counts, counts)
    project_of = np.repeat(np.arange(len(projects)), counts)
    coded = {  # the columns matching and the engine ask about, with their codes
        "id": _ids_as_text(c["id"], pos),
        **{key: c[key].coded(str.strip) for key in ("level1", "level2", "level3")},
        "target": c["target"].coded(lambda t: t if type(t) is str else repr(t)),  # a number: its text
        "rule": c["rule"].coded(lambda rule: rule, missing=None),
        "direction_given": c["direction"].coded(lambda given: given, missing=None),
    }
    _refuse_repeated_ids(coded["id"][0], coded["id"][1][0], project_of, pos, name, multi)
    columns = {
        "project": np.repeat(names.to_numpy(dtype=object), counts),
        "project_no": project_of,
        "pos": pos,
        **{key: values for key, (values, _) in coded.items()},
        "description": c["description"].spread(str.strip),
        "weight_declared": c["weight"].spread(float, missing=np.nan).astype(float),
        "year": np.repeat(np.array([p.year for p in projects], dtype=object), counts),
    }
    frame = pd.DataFrame({key: pd.Series(columns[key], dtype=columns[key].dtype, copy=False)
                          for key in INDICATOR_COLUMNS}, columns=INDICATOR_COLUMNS, copy=False)
    years = recoded(project_of, [p.year for p in projects])
    return frame, {"year": years, **{key: codes for key, (_, codes) in coded.items()}}


def _ids_as_text(column: _Column, pos: np.ndarray) -> tuple[np.ndarray, Codes]:
    """Ids as text (a whole number written 3.0 is "3"), factorized; an indicator without one is numbered by
    its place in its project (1, 2, 3 …)."""
    ids, codes = column.coded(lambda v: v.strip() if type(v) is str else str(int(v)))
    missing = column.missing()
    if missing.any():
        ids[missing] = (pos[missing] + 1).astype(str)
        return ids, factorize(ids)
    return ids, codes


def _refuse_repeated_ids(ids: np.ndarray, id_codes: np.ndarray, project_of: np.ndarray, pos: np.ndarray,
                         name: str, multi: bool) -> None:
    """An indicator id may appear once in its project."""
    if len(ids) == 0:
        return
    width = int(id_codes.max()) + 1
    if (int(project_of[-1]) + 1) * width <= 4 * len(ids):  # few distinct ids (1, 2, 3 …): count, no hashing
        if np.bincount(project_of * width + id_codes).max() == 1:
            return
    key = combined_codes(project_of, id_codes)
    if int(key.max()) + 1 == len(key):
        return
    second = int(np.flatnonzero(pd.Series(key).duplicated().to_numpy())[0])
    first = int(np.flatnonzero(key == key[second])[0])
    where = f"{name}: projects[{project_of[second]}]" if multi else name
    raise InputError(f"indicator id '{ids[second]}' appears twice (also indicators[{pos[first]}])",
                     where=f"{where}: indicators[{pos[second]}].id")
