"""Read goals (JSON, dicts, DataFrames) and actuals (CSV, XLSX, DataFrames); match actuals to indicators.

Every message names the file and the line, field or indicator. Nothing is dropped: an indicator without a
row is kept (it scores as 未填报) and a row that matches nothing is returned as unused.
"""
from __future__ import annotations

import io
import json
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import jsonschema
import pandas as pd

from .cells import unmark
from .errors import InputError
from .language import normalise
from .model import ACTUAL_COLUMNS, INDICATOR_COLUMNS, Actuals, Budget, Goals, Project
from .resources import package_file

GoalsSource = str | Path | Mapping | pd.DataFrame
ActualsSource = str | Path | Mapping | list | pd.DataFrame

# Column headers of an actuals file, English or Chinese, compared after normalisation and lower-casing.
_HEADERS = {
    "project": ["project", "项目名称", "项目"],
    "id": ["id", "指标编号", "编号", "指标id"],
    "indicator": ["indicator", "三级指标", "指标名称", "指标"],
    "actual": ["actual", "实际完成值", "实际值", "完成值", "全年实际值", "实际完成情况"],
    "note": ["note", "偏差原因分析及改进措施", "偏差原因", "偏差原因分析", "原因分析", "备注"],
    "score": ["score", "得分", "自评得分"],
}
# Rows that are not indicators: the executed budget amount and the 年度总体目标 实际完成情况.
BUDGET_ROW = "全年执行数"
GOAL_ROW = "年度总体目标"
BUDGET_ROW_NAMES = frozenset({BUDGET_ROW, "执行数", "预算执行数", "资金执行数"})
GOAL_ROW_NAMES = frozenset({GOAL_ROW, "总体目标", "总体目标完成情况"})


@dataclass
class Matched:
    """Indicators with their actuals attached, and what the actuals said besides."""

    frame: pd.DataFrame  # INDICATOR_COLUMNS + actual, note, person_score, line
    executed: dict[str, tuple[str, str]]  # project → (amount as written, where)
    goal_actual: dict[str, str]  # project → 实际完成情况 of the 年度总体目标
    unused: list[tuple[str, str]]  # (project, message) per actuals row that matched nothing


# ---------------------------------------------------------------- goals

@lru_cache(maxsize=1)
def goals_schema() -> dict:
    """The JSON Schema of the goals file, shipped in the package."""
    return json.loads(package_file("goals.schema.json").read_text(encoding="utf-8"))


def read_goals(source: GoalsSource) -> Goals:
    """Goals from a JSON file, a dict (one project or {"projects": [...]}) or a DataFrame of indicators."""
    if isinstance(source, pd.DataFrame):
        data, name = _frame_to_goals(source), "goals DataFrame"
    elif isinstance(source, Mapping):
        data, name = dict(source), "goals"
    elif Path(source).is_dir():
        return _goals_folder(Path(source))
    else:
        name = str(source)
        data = _load_json(Path(source))
    validate_goals(data, name)
    raw_projects = data["projects"] if "projects" in data else [data]
    projects, records = [], []
    seen: dict[str, int] = {}
    for p_index, raw in enumerate(raw_projects):
        project = _project(raw)
        where = f"{name}: projects[{p_index}]" if "projects" in data else name
        if project.name in seen:
            raise InputError(f"project '{project.name}' appears twice (also projects[{seen[project.name]}])",
                             where=where)
        seen[project.name] = p_index
        projects.append(project)
        records.extend(_indicator_records(raw, project, where))
    frame = pd.DataFrame.from_records(records, columns=INDICATOR_COLUMNS)
    frame["weight_declared"] = frame["weight_declared"].astype(float)  # NaN where none is declared
    return Goals(projects=projects, indicators=frame, source=name)


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
    indicators = pd.concat([p.indicators for p in parts], ignore_index=True)
    return Goals([p for part in parts for p in part.projects], indicators, str(folder))


def _load_json(path: Path) -> Any:
    text = decode_text(read_bytes(path), path)
    if not text.strip():
        raise InputError("the file is empty", where=str(path))
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(f"invalid JSON: {exc.msg}", where=f"{path} line {exc.lineno}, column {exc.colno}") from None


def validate_goals(data: Any, name: str) -> None:
    """Refuse goals that break the schema, naming the path of the bad field."""
    validator = jsonschema.Draft202012Validator(goals_schema())
    error = jsonschema.exceptions.best_match(validator.iter_errors(data))
    if error is None:
        return
    path = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in error.absolute_path).lstrip(".")
    raise InputError(error.message, where=f"{name}: {path}" if path else name)


def _project(raw: Mapping) -> Project:
    budget = raw.get("budget")
    return Project(
        name=raw["project"].strip(),
        department=raw.get("department", ""),
        agency=raw.get("agency", ""),
        year=raw.get("year"),
        goal=raw.get("goal", ""),
        rules=raw.get("rules"),
        budget=None if budget is None else Budget(
            unit=budget.get("unit", "万元"), initial=budget.get("initial"),
            full_year=budget.get("full_year"), weight=budget.get("weight")),
    )


def _indicator_records(raw: Mapping, project: Project, where: str) -> list[dict]:
    records, ids = [], {}
    for pos, ind in enumerate(raw["indicators"]):
        ident = str(ind["id"]).strip() if ind.get("id") is not None else str(pos + 1)
        if ident in ids:
            raise InputError(f"indicator id '{ident}' appears twice (also indicators[{ids[ident]}])",
                             where=f"{where}: indicators[{pos}].id")
        ids[ident] = pos
        target = ind["target"]
        records.append({
            "project": project.name, "pos": pos, "id": ident,
            "level1": (ind.get("level1") or "").strip(), "level2": (ind.get("level2") or "").strip(),
            "level3": ind["level3"].strip(), "description": (ind.get("description") or "").strip(),
            "target": target if isinstance(target, str) else repr(target),
            "weight_declared": ind.get("weight"), "rule": ind.get("rule"),
            "direction_given": ind.get("direction"), "year": project.year,
        })
    return records


def _frame_to_goals(frame: pd.DataFrame) -> dict:
    columns = [c for c in ("id", "level1", "level2", "level3", "target", "weight", "rule", "direction")
               if c in frame.columns]
    clean = frame.astype(object).where(frame.notna(), None)
    projects = []
    groups = clean.groupby("project", sort=False) if "project" in clean.columns else [("项目", clean)]
    for name, rows in groups:
        indicators = [{k: v for k, v in rec.items() if v is not None} for rec in rows[columns].to_dict("records")]
        projects.append({"project": str(name), "indicators": indicators})
    return {"projects": projects}


# ---------------------------------------------------------------- actuals

def read_actuals(source: ActualsSource, encoding: str | None = None) -> Actuals:
    """Actuals from a CSV or XLSX file, a DataFrame, a list of row dicts, or a mapping {id: actual}.
    A CSV's encoding is detected (UTF-8 with or without BOM, GBK/GB18030) unless `encoding` names it."""
    if isinstance(source, pd.DataFrame):
        return _actuals_from_frame(source.astype(object), "actuals DataFrame", first_line=1)
    if isinstance(source, Mapping):
        frame = pd.DataFrame({"id": [str(k) for k in source], "actual": [str(v) for v in source.values()]})
        return _actuals_from_frame(frame, "actuals", first_line=1)
    if isinstance(source, list):  # row dicts; no rows at all is no actuals
        frame = pd.DataFrame.from_records(source) if source else pd.DataFrame(columns=["id", "actual"])
        return _actuals_from_frame(frame, "actuals", first_line=1)
    path = Path(source)
    return _actuals_from_frame(read_table(path, encoding), str(path), first_line=2)


def read_table(path: Path, encoding: str | None = None) -> pd.DataFrame:
    """A CSV (any encoding staff use) or XLSX table as text cells; the header is row 1."""
    raw = read_bytes(path)
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        return _read_xlsx(raw, path)
    return _read_csv(raw, path, encoding)


def read_bytes(path: Path) -> bytes:
    """The bytes of a file, or an InputError saying why not (missing, a directory, unreadable)."""
    if path.is_dir():
        raise InputError("is a directory, not a file", where=str(path))
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise InputError("no such file", where=str(path)) from None
    except OSError as exc:
        raise InputError(f"cannot be read: {exc.strerror}", where=str(path)) from None


def decode_text(raw: bytes, path: Path, encoding: str | None = None) -> str:
    """Text in UTF-8 (with or without BOM) or GBK/GB18030, as staff's Excel and WPS save it; or in the
    encoding named."""
    if b"\x00" in raw:
        raise InputError("is a binary file, not text", where=str(path))
    if encoding:
        try:
            return raw.decode(encoding)
        except LookupError:
            raise InputError(f"no encoding '{encoding}'", where=str(path)) from None
        except UnicodeDecodeError as exc:
            raise InputError(f"is not {encoding} text (byte {exc.start})", where=str(path)) from None
    for candidate in ("utf-8-sig", "gb18030"):
        try:
            return raw.decode(candidate)
        except UnicodeDecodeError:
            continue
    raise InputError("is neither UTF-8 nor GBK/GB18030 text", where=str(path))


def _read_csv(raw: bytes, path: Path, encoding: str | None = None) -> pd.DataFrame:
    text = decode_text(raw, path, encoding)
    if not text.strip():
        raise InputError("the file is empty", where=str(path))
    try:
        return pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False, skip_blank_lines=False)
    except (pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        reason = " ".join(str(exc).split())
        raise InputError(f"not a readable CSV table: {reason}", where=str(path)) from None


def _read_xlsx(raw: bytes, path: Path) -> pd.DataFrame:
    try:
        return pd.read_excel(io.BytesIO(raw), dtype=str, keep_default_na=False, engine="openpyxl")
    except Exception as exc:  # openpyxl raises many kinds for a damaged workbook
        raise InputError(f"not a readable .xlsx workbook ({type(exc).__name__})", where=str(path)) from None


def _actuals_from_frame(frame: pd.DataFrame, source: str, first_line: int) -> Actuals:
    columns = _map_headers(frame.columns, source)
    rows = pd.DataFrame({"line": range(first_line, first_line + len(frame))}, index=frame.index)
    for key in ACTUAL_COLUMNS[1:]:
        if key in columns:
            rows[key] = frame[columns[key]].map(_cell)
        else:
            rows[key] = ""
    rows = rows[(rows[ACTUAL_COLUMNS[1:]] != "").any(axis=1)].reset_index(drop=True)
    # A 项目名称 cell merged over several rows in Excel is written once: the rows below belong to it.
    rows["project"] = rows["project"].replace("", None).ffill().fillna("")
    return Actuals(rows=rows[ACTUAL_COLUMNS], source=source)


def _cell(value: Any) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return unmark(str(value).strip())


def _map_headers(headers: Any, source: str) -> dict[str, Any]:
    lookup = {alias: key for key, aliases in _HEADERS.items() for alias in aliases}
    found: dict[str, Any] = {}
    for header in headers:
        key = lookup.get(normalise(str(header)).lower())
        if key is not None and key not in found:
            found[key] = header
    if "actual" not in found:
        raise InputError("no 实际完成值 (actual) column; the header row needs one of: "
                         + ", ".join(_HEADERS["actual"]), where=source)
    if "id" not in found and "indicator" not in found:
        raise InputError("no 指标编号 (id) or 三级指标 (indicator) column to match rows to indicators",
                         where=source)
    return found


def select_project(goals: Goals, actuals: Actuals, name: str) -> tuple[Goals, Actuals]:
    """One project of several: its goals, and the actuals rows that name it (or name no project)."""
    key = normalise(name)
    chosen = [p for p in goals.projects if normalise(p.name) == key]
    if not chosen:
        names = "', '".join(p.name for p in goals.projects[:5])
        raise InputError(f"no project '{name}' (the goals hold '{names}'"
                         f"{' …' if len(goals.projects) > 5 else ''})", where=goals.source)
    picked = chosen[0].name
    rows = actuals.rows[actuals.rows["project"].map(normalise).isin(["", key])]
    return (Goals([chosen[0]], goals.indicators[goals.indicators["project"] == picked].reset_index(drop=True),
                  goals.source), Actuals(rows.reset_index(drop=True), actuals.source))


# ---------------------------------------------------------------- matching

def match(goals: Goals, actuals: Actuals) -> Matched:
    """Attach each actuals row to its indicator (by id, else by 三级指标 name, within its project)."""
    rows = actuals.rows.copy()
    where = actuals.source + (" line " if actuals.source.endswith((".csv", ".txt")) else " row ")
    rows["where"] = where + rows["line"].astype(str)
    rows["id_key"] = rows["id"].map(_id_key)
    rows["name_key"] = rows["indicator"].map(normalise)
    rows["project_name"] = _assign_projects(rows, goals, actuals.source)

    special = rows["name_key"].isin(BUDGET_ROW_NAMES | GOAL_ROW_NAMES) | rows["id_key"].isin(
        BUDGET_ROW_NAMES | GOAL_ROW_NAMES)
    executed = _special_rows(rows[special], BUDGET_ROW_NAMES)
    goal_actual = {p: text for p, (text, _) in _special_rows(rows[special], GOAL_ROW_NAMES).items()}
    rows = rows[~special]

    indicators = goals.indicators.copy()
    indicators["row"] = range(len(indicators))
    indicators["id_key"] = indicators["id"].map(_id_key)
    indicators["name_key"] = indicators["level3"].map(normalise)

    by_id = rows[rows["id_key"] != ""].merge(
        indicators[["project", "id_key", "row"]], left_on=["project_name", "id_key"],
        right_on=["project", "id_key"], how="left", suffixes=("", "_goal"))
    by_name_rows = rows[rows["id_key"] == ""]
    duplicated_names = indicators.duplicated(["project", "name_key"], keep=False)
    ambiguous = by_name_rows.merge(indicators.loc[duplicated_names, ["project", "name_key"]].drop_duplicates(),
                                   left_on=["project_name", "name_key"], right_on=["project", "name_key"])
    if len(ambiguous):
        first = ambiguous.iloc[0]
        raise InputError(f"三级指标 '{first['indicator']}' names several indicators; give the 指标编号 (id)",
                         where=first["where"])
    by_name = by_name_rows.merge(
        indicators.loc[~duplicated_names, ["project", "name_key", "row"]], left_on=["project_name", "name_key"],
        right_on=["project", "name_key"], how="left", suffixes=("", "_goal"))
    found = pd.concat([by_id, by_name], ignore_index=True)

    unmatched = found[found["row"].isna()].sort_values("line")
    unused = [(r["project_name"], f"{r['where']}：“{r['indicator'] or r['id']}”不对应项目“{r['project_name']}”的"
               "任何指标，该行未使用") for _, r in unmatched.iterrows()]
    used = found[found["row"].notna()].astype({"row": int})
    twice = used[used.duplicated("row", keep=False)].sort_values("line")
    if len(twice):
        lines = ", ".join(twice["line"].astype(str).iloc[:2])
        name = indicators.loc[twice["row"].iloc[0], "level3"]
        raise InputError(f"two rows (lines {lines}) give the actual of indicator '{name}'", where=actuals.source)

    frame = goals.indicators.copy()
    attached = used.set_index("row")
    for column in ("actual", "note", "score", "where"):
        frame[column] = attached[column].reindex(range(len(frame))).fillna("").to_numpy()
    frame["person_score"] = _person_scores(frame)
    frame = frame.drop(columns=["score"])
    return Matched(frame=frame, executed=executed, goal_actual=goal_actual, unused=unused)


def _id_key(value: str) -> str:
    text = normalise(value)
    if text.endswith(".0") and text[:-2].isdigit():
        return text[:-2]
    return text


def _assign_projects(rows: pd.DataFrame, goals: Goals, source: str) -> pd.Series:
    names = {normalise(p.name): p.name for p in goals.projects}
    given = rows["project"].map(normalise)
    if (given == "").all():
        if len(goals.projects) > 1:
            raise InputError(f"the goals hold {len(goals.projects)} projects; the actuals need a 项目名称 "
                             "(project) column", where=source)
        return pd.Series(goals.projects[0].name, index=rows.index)
    if len(goals.projects) == 1:
        given = given.where(given != "", normalise(goals.projects[0].name))
    return given.map(names).fillna(rows["project"])


def _special_rows(rows: pd.DataFrame, names: frozenset) -> dict[str, tuple[str, str]]:
    picked = rows[rows["name_key"].isin(names) | rows["id_key"].isin(names)]
    out: dict[str, tuple[str, str]] = {}
    for _, row in picked.iterrows():
        if row["project_name"] in out:
            raise InputError(f"a second '{row['indicator'] or row['id']}' row for project "
                             f"'{row['project_name']}' (first: {out[row['project_name']][1]})", where=row["where"])
        out[row["project_name"]] = (row["actual"], row["where"])
    return out


def _person_scores(frame: pd.DataFrame) -> pd.Series:
    text = frame["score"].map(normalise)
    numbers = pd.to_numeric(text.str.rstrip("分"), errors="coerce")
    bad = (text != "") & (numbers.isna() | (numbers < 0))
    if bad.any():
        row = frame[bad].iloc[0]
        raise InputError(f"得分 (score) '{row['score']}' of '{row['level3']}' is not a number of points",
                         where=row["where"])
    return numbers.astype(float)
