"""Files as staff have them: bytes, text in UTF-8 or GBK, CSV and XLSX tables. Each failure names the file."""
from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import pandas as pd

from ..errors import InputError, shortened
from .xlsx_cells import sheet_rows

BOM = b"\xef\xbb\xbf"


def read_bytes(path: Path) -> bytes:
    """The bytes of a file, or an InputError saying why not (missing, a directory, unreadable)."""
    if is_dir(path):
        raise InputError("is a directory, not a file", where=str(path))
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise InputError("no such file", where=str(path)) from None
    except OSError as exc:
        raise InputError(f"cannot be read: {exc.strerror}", where=str(path)) from None
    except ValueError as exc:  # a NUL in the name
        raise InputError(f"not a usable file name: {exc}", where=shortened(repr(str(path)))) from None


def is_dir(path: Path) -> bool:
    """Whether `path` is a folder; a name too long for any file is refused, cut short."""
    try:
        return path.is_dir()
    except OSError as exc:
        raise InputError(f"not a usable file name: {exc.strerror}", where=shortened(str(path))) from None


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


def read_table(path: Path, encoding: str | None = None) -> pd.DataFrame:
    """A CSV (any encoding staff use) or XLSX table as text cells; the header is row 1."""
    raw = read_bytes(path)
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        return _read_xlsx(raw, path)
    return _read_csv(raw, path, encoding)


def _read_csv(raw: bytes, path: Path, encoding: str | None = None) -> pd.DataFrame:
    if encoding is None and b"\x00" not in raw:  # UTF-8, the usual case, goes to the parser undecoded
        try:
            return _parsed_csv(io.BytesIO(raw), raw.removeprefix(BOM), path, encoding="utf-8-sig")
        except UnicodeDecodeError:
            pass  # GBK/GB18030, or not text: decode_text tells
    text = decode_text(raw, path, encoding)
    return _parsed_csv(io.StringIO(text), text, path)


def _parsed_csv(stream: io.IOBase, content: bytes | str, path: Path, **options: str) -> pd.DataFrame:
    if not content or content.isspace():  # (strip would copy the whole file)
        raise InputError("the file is empty", where=str(path))
    try:
        frame = pd.read_csv(stream, dtype=object, keep_default_na=False, skip_blank_lines=False, **options)
    except (pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        reason = " ".join(str(exc).split())
        raise InputError(f"not a readable CSV table: {reason}", where=str(path)) from None
    if not isinstance(frame.index, pd.RangeIndex):  # rows longer than the header: pandas made an index of them
        return _without_trailing_cells(frame, path)
    return frame


def _without_trailing_cells(frame: pd.DataFrame, path: Path) -> pd.DataFrame:
    """A table whose every row has more cells than its header (pandas reads the first ones as an index and
    shifts the rest under the header): the rows as written, if what is beyond the header is empty (the trailing
    comma Excel leaves); else refused at the first row with more to say than its header names."""
    extra = frame.index.nlevels
    cells = [frame.index.get_level_values(i).to_numpy(dtype=object) for i in range(extra)]
    cells += [frame.iloc[:, j].to_numpy(dtype=object) for j in range(frame.shape[1])]
    width = frame.shape[1]
    beyond = np.column_stack(cells[width:]) if cells[width:] else np.empty((len(frame), 0), dtype=object)
    filled = np.flatnonzero((beyond != "").any(axis=1))
    if len(filled):
        raise InputError(f"has {width + extra} cells where the header names {width}",
                         where=f"{path} line {int(filled[0]) + 2}")
    return pd.DataFrame(dict(zip(frame.columns, cells[:width])), columns=frame.columns)


def _read_xlsx(raw: bytes, path: Path) -> pd.DataFrame:
    """The first sheet as text cells as staff see them in Excel (`92%`, not 0.92); the header is row 1."""
    rows = sheet_rows(raw, path)
    if not rows:
        return pd.DataFrame()
    return pd.DataFrame(rows[1:], columns=_header(rows[0]), dtype=object)


def _header(names: list[str]) -> list[str]:
    """Column names as pandas gives them: a blank one is 'Unnamed: i', a repeated one 'name.1', 'name.2'."""
    header: list[str] = []
    for i, name in enumerate(names):
        name = name or f"Unnamed: {i}"
        base, n = name, 0
        while name in header:
            n += 1
            name = f"{base}.{n}"
        header.append(name)
    return header

