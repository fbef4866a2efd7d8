"""PDF from the same HTML the page shows, through WeasyPrint (the optional extra `scoring[pdf]`).

The Chinese text stays text in the PDF (a CJK font is embedded, subset), so it can be searched and copied.
"""
from __future__ import annotations

from ..errors import ScoringError

INSTALL = ("PDF output needs the optional 'pdf' extra: pip install 'scoring[pdf]' (WeasyPrint), plus the Pango "
           "library and a CJK font — on Debian or Ubuntu: apt-get install libpango-1.0-0 libpangoft2-1.0-0 "
           "fonts-noto-cjk")


def html_to_pdf(html: str) -> bytes:
    """The PDF of an HTML page (A4, as its CSS says); a ScoringError saying how to install what is missing."""
    try:
        import weasyprint
    except (ImportError, OSError) as exc:  # OSError: WeasyPrint is there but the Pango library is not
        raise ScoringError(f"{INSTALL} ({type(exc).__name__}: {exc})") from None
    return weasyprint.HTML(string=html).write_pdf()
