"""Writing openpyxl workbooks: cells set safely (text stays text, formula-like text is quote-prefixed, characters
an .xlsx cannot hold are escaped) and saved deterministically (the same data gives the same bytes, no save time).
"""
from __future__ import annotations

import io
import re
import zipfile
from datetime import datetime

from openpyxl import Workbook
from openpyxl.cell.cell import Cell

from ..cells import FORMULA_STARTS

_EPOCH = datetime(2000, 1, 1)  # written as created/modified: a report carries no timestamp unless asked for
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)
# What XML 1.0 (so an .xlsx) cannot hold: control characters but tab, LF and CR; surrogates; U+FFFE and U+FFFF.
_UNHOLDABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def holdable(text: str) -> str:
    """Text an .xlsx can hold: each character it cannot is written as its JSON escape (\\u0001), visibly."""
    return _UNHOLDABLE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def put_value(cell: Cell, value: object) -> Cell:
    """Set a cell's value: text is always text, quote-prefixed when a spreadsheet would take it for a formula (Excel
    shows it as typed and keeps it text when edited), escaped where an .xlsx cannot hold it; numbers stay numbers."""
    if isinstance(value, str):
        text = holdable(value)
        cell.value = text
        cell.data_type = "s"
        cell.quotePrefix = text.startswith(FORMULA_STARTS)
    else:
        cell.value = value
    return cell


def save(book: Workbook) -> bytes:
    """The workbook's bytes, with fixed document dates and fixed zip entry times."""
    book.properties.creator = "scoring"
    book.properties.created = _EPOCH
    book.properties.modified = _EPOCH
    raw = io.BytesIO()
    book.save(raw)
    fixed = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(raw.getvalue())) as source, \
            zipfile.ZipFile(fixed, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=_ZIP_TIME)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = info.external_attr
            target.writestr(entry, _fixed_dates(info.filename, source.read(info.filename)))
    return fixed.getvalue()


def _fixed_dates(name: str, data: bytes) -> bytes:
    """openpyxl stamps the save time as `modified` whatever the properties say: put the epoch back."""
    if name != "docProps/core.xml":
        return data
    text = data.decode("utf-8")
    start = text.find("<dcterms:modified")
    if start >= 0:
        end = text.find("</dcterms:modified>", start) + len("</dcterms:modified>")
        text = (text[:start] + '<dcterms:modified xsi:type="dcterms:W3CDTF">2000-01-01T00:00:00Z</dcterms:modified>'
                + text[end:])
    return text.encode("utf-8")
