"""Readers of published goal tables (绩效目标表): one module per layout, each registered with how to
recognise it. `extract(path)` detects the layout (or takes the one named) and returns goals-file projects,
plus every line it could not place: nothing is dropped silently.
"""
from __future__ import annotations

import csv
import importlib
import io
import pkgutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import InputError
from ..inputs import decode_text, read_bytes, validate_goals
from ..inputs.xlsx_cells import sheet_rows


@dataclass
class Document:
    """A goal table as the readers see it: text lines (text layouts) or rows of cells (spreadsheets)."""

    path: Path
    lines: list[str] = field(default_factory=list)  # line i + 1 of the file is lines[i]
    rows: list[list[str]] | None = None  # spreadsheet rows (row i + 1 is rows[i]); None for text

    def where(self, index: int) -> str:
        """How messages name the line (text) or row (spreadsheet) at 0-based `index`."""
        return f"{self.path.name} {'row' if self.rows is not None else 'line'} {index + 1}"


@dataclass
class Extracted:
    """What a reader found: projects in the goals-file format, and what it could not place (with where)."""

    layout: str
    projects: list[dict]
    unplaced: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # what was changed to make a usable goals file

    def goals(self) -> dict:
        """The goals file: one project as is, several as {"projects": [...]}."""
        return self.projects[0] if len(self.projects) == 1 else {"projects": self.projects}


@dataclass(frozen=True)
class Layout:
    name: str
    title: str
    detect: Callable[[Document], float]  # how sure the layout is that it reads this document, 0 to 1
    read: Callable[[Document], Extracted]


LAYOUTS: dict[str, Layout] = {}


def layout(name: str, title: str, detect: Callable[[Document], float]):
    """Register a reader of one layout, with the function that recognises it."""
    def register(read: Callable[[Document], Extracted]):
        LAYOUTS[name] = Layout(name, title, detect, read)
        return read
    return register


def load_document(path: str | Path) -> Document:
    """Read a goal table: .xlsx and .csv as rows of cells, anything else as text lines."""
    path = Path(path)
    raw = read_bytes(path)
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        return Document(path, rows=_xlsx_rows(raw, path))
    text = decode_text(raw, path)
    if suffix == ".csv":
        return Document(path, rows=[[cell.strip() for cell in row] for row in csv.reader(io.StringIO(text))])
    return Document(path, lines=text.splitlines())


def extract(path: str | Path, layout_name: str | None = None) -> Extracted:
    """The projects of a goal table, by the layout named or the one that recognises it."""
    _load_layouts()
    document = load_document(path)
    if layout_name is not None:
        if layout_name not in LAYOUTS:
            raise InputError(f"no layout '{layout_name}' (known: {', '.join(sorted(LAYOUTS))})")
        chosen = LAYOUTS[layout_name]
    else:
        scored = sorted(((lay.detect(document), name) for name, lay in LAYOUTS.items()), reverse=True)
        if not scored or scored[0][0] <= 0:
            raise InputError("cannot tell the layout of this goal table; give --layout "
                             f"({', '.join(sorted(LAYOUTS))})", where=str(path))
        chosen = LAYOUTS[scored[0][1]]
    found = chosen.read(document)
    if not found.projects:
        raise InputError(f"no indicators found as layout '{chosen.name}'", where=str(path))
    _distinct_names(found)
    validate_goals(found.goals(), str(path))
    return found


def _distinct_names(found: Extracted) -> None:
    """Projects of the same name under different units (运行经费 of each centre) get the unit in brackets:
    a goals file names each project once, and actuals find their project by name."""
    counts: dict[str, int] = {}
    for p in found.projects:
        counts[p["project"]] = counts.get(p["project"], 0) + 1
    taken: set[str] = set()
    for p in found.projects:
        name = p["project"]
        if counts[name] == 1:
            taken.add(name)
            continue
        unit = p.get("agency") or p.get("department") or ""
        new = f"{name}（{unit}）" if unit else name
        n = 1
        while new in taken:
            n += 1
            new = f"{name}（{unit}{'，' if unit else ''}{n}）"
        taken.add(new)
        if new != name:
            found.notes.append(f"'{name}' appears {counts[name]} times; this one is named '{new}'")
            p["project"] = new


def _xlsx_rows(raw: bytes, path: Path) -> list[list[str]]:
    """The first sheet's cells as text as staff see them in Excel (`95%`, not 0.95), stripped."""
    return [[text.strip() for text in row] for row in sheet_rows(raw, path)]


def _load_layouts() -> None:
    """Import every module of this package: each registers its layout."""
    for module in pkgutil.iter_modules(__path__):
        importlib.import_module(f"{__name__}.{module.name}")
