"""Many projects at once: a report per project in a folder plus the summary, or one workbook with a sheet each.

Every file name is chosen before anything is written: a project's report never takes the summary's name, and
no name passes the 255 bytes most file systems allow.
"""
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
SUMMARY = "summary"
WORKBOOK = "自评表.xlsx"
NAME_CHARS = 80  # a project's name is cut to this many characters …
NAME_BYTES = 255  # … and the whole file name, counter and extension included, to this many bytes of UTF-8
_UNSAFE = re.compile(r'[\\/:*?"<>|\s]+')


def file_names(evaluations: list["Evaluation"], extension: str) -> list[str]:
    """A file name per project: its name made safe for every file system, unique, never the summary's."""
    names, taken = [], {f"{SUMMARY}{extension}".lower()}
    for ev in evaluations:
        base = _UNSAFE.sub("_", ev.project.name).strip("._")[:NAME_CHARS] or "项目"
        name, n = _fit(base, extension), 1
        while name.lower() in taken:
            n += 1
            name = _fit(base, f"-{n}{extension}")
        taken.add(name.lower())
        names.append(name)
    return names


def _fit(stem: str, tail: str) -> str:
    """stem + tail, the stem cut on a character boundary so that the name stays within NAME_BYTES."""
    room = NAME_BYTES - len(tail.encode("utf-8"))
    return stem.encode("utf-8")[:room].decode("utf-8", "ignore") + tail


def batch_paths(evaluations: list["Evaluation"], out: Path, kind: str) -> list[Path]:
    """The files a batch into folder `out` writes, the summary (or the one workbook) first."""
    if kind == "xlsx":
        return [out / WORKBOOK]
    extension = EXTENSIONS[kind]
    return [out / f"{SUMMARY}{extension}"] + [out / name for name in file_names(evaluations, extension)]


def write_batch(evaluations: list["Evaluation"], paths: list[Path], kind: str, narrative: bool = False,
                progress: Callable[[Iterable], Iterable] = lambda items: items) -> list[Path]:
    """Write the files `batch_paths` named, creating their folder if need be; the paths written."""
    folder = paths[0].parent
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ScoringError(f"cannot create the folder: {exc.strerror}", where=str(folder)) from None
    if kind == "xlsx":
        from .xlsx import workbook

        _write(paths[0], workbook(evaluations, summary=True))
        return paths
    summary, reports = paths[0], paths[1:]
    links = dict(zip((e.project.name for e in evaluations), (path.name for path in reports)))
    if kind == "pdf":
        _write(summary, html_to_pdf(render_summary(evaluations, "html", links)))
    else:
        _write(summary, render_summary(evaluations, kind, links).encode("utf-8"))
    for ev, path in progress(list(zip(evaluations, reports))):
        _write(path, render_bytes(ev, kind, narrative))
    return paths


def _write(path: Path, data: bytes) -> None:
    try:
        path.write_bytes(data)
    except OSError as exc:
        raise ScoringError(f"cannot write: {exc.strerror}", where=str(path)) from None
