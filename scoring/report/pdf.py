"""PDF from the same HTML the page shows, through WeasyPrint (the optional extra `scoring[pdf]`).

The Chinese text stays text in the PDF (a CJK font is embedded, subset), so it can be searched and copied.
The same HTML gives the same bytes: fontTools stamps each subset font's `head.modified` with the time unless
SOURCE_DATE_EPOCH is set, so it is pinned while WeasyPrint writes; and WeasyPrint writes /CreationDate and
/ModDate only from a dcterms <meta> of the page, which the templates do not have.
"""
from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from ..errors import ScoringError

INSTALL = ("PDF output needs the optional 'pdf' extra: pip install 'scoring[pdf]' (WeasyPrint), plus the Pango "
           "library and a CJK font — on Debian or Ubuntu: apt-get install libpango-1.0-0 libpangoft2-1.0-0 "
           "fonts-noto-cjk")
EPOCH = "SOURCE_DATE_EPOCH"
_lock = threading.Lock()
_pinned = 0  # renders under way that rely on the SOURCE_DATE_EPOCH set here; the last one removes it


def html_to_pdf(html: str) -> bytes:
    """The PDF of an HTML page (A4, as its CSS says); a ScoringError saying how to install what is missing."""
    try:
        import weasyprint
    except (ImportError, OSError) as exc:  # OSError: WeasyPrint is there but the Pango library is not
        raise ScoringError(f"{INSTALL} ({type(exc).__name__}: {exc})") from None
    with fixed_font_timestamps():
        return weasyprint.HTML(string=html).write_pdf()


@contextmanager
def fixed_font_timestamps() -> Iterator[None]:
    """SOURCE_DATE_EPOCH=0 inside, unless the caller set their own; the environment as it was afterwards."""
    global _pinned
    with _lock:
        ours = _pinned > 0 or EPOCH not in os.environ
        if ours:
            _pinned += 1
            os.environ[EPOCH] = "0"
    try:
        yield
    finally:
        if ours:
            with _lock:
                _pinned -= 1
                if not _pinned:
                    os.environ.pop(EPOCH, None)
