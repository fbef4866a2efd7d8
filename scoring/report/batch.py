"""Many projects at once: a report per project in a folder plus the summary, or one workbook with a sheet each."""
from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import ScoringError
from . import render_bytes
from .pdf import html_to_pdf
from .summary import render_summary

if TYPE_CHECKING:
    from ..model import Evaluation

EXTENSIONS = {"html": ".html", "md": ".md", "json": ".json", "xlsx": ".xlsx", "pdf": ".pdf"}
_UNSAFE = re.compile(r'[\\/:*?"<>|\s]+')


def file_names(evaluations: list["Evaluation"], extension: str) -> list[str]:
    """A file name per project: its name made safe for every file system, unique."""
    names, taken = [], set()
    for ev in evaluations:
        base = _UNSAFE.sub("_", ev.project.name).strip("._") [:80] or "项目"
        name, n = base, 1
        while name.lower() in taken:
            n += 1
            name = f"{base}-{n}"
        taken.add(name.lower())
        names.append(name + extension)
    return names


def write_batch(evaluations: list["Evaluation"], out: Path, kind: str, narrative: bool = False,
                progress: Callable[[Iterable], Iterable] = lambda items: items) -> list[Path]:
    """Write the reports into folder `out` (created if need be); the paths written, summary first."""
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ScoringError(f"cannot create the folder: {exc.strerror}", where=str(out)) from None
    if kind == "xlsx":
        from .xlsx import workbook

        path = out / "自评表.xlsx"
        _write(path, workbook(evaluations, summary=True))
        return [path]
    names = file_names(evaluations, EXTENSIONS[kind])
    summary = out / f"summary{EXTENSIONS[kind]}"
    links = dict(zip((e.project.name for e in evaluations), names))
    if kind == "pdf":
        _write(summary, html_to_pdf(render_summary(evaluations, "html", links)))
    else:
        _write(summary, render_summary(evaluations, kind, links).encode("utf-8"))
    written = [summary]
    for ev, name in progress(list(zip(evaluations, names))):
        _write(out / name, render_bytes(ev, kind, narrative))
        written.append(out / name)
    return written


def _write(path: Path, data: bytes) -> None:
    try:
        path.write_bytes(data)
    except OSError as exc:
        raise ScoringError(f"cannot write: {exc.strerror}", where=str(path)) from None
