"""The report in a real browser: headless Chromium measures the page, takes a screenshot and prints it to PDF.

Checks: every table fits the A4 printable width, no text overflows its cell, the CJK font the CSS names first is
installed and used, and the Chinese text comes back out of the printed PDF (real glyphs, no boxes). The
screenshot and the PDF stay in test-artifacts/. .ci/run installs Debian's chromium, poppler-utils,
fonts-noto-cjk and Pango and sets SCORING_REQUIRE_TOOLS=1, so there these tests run; elsewhere each is skipped
when what it needs is missing.
"""
from __future__ import annotations

import html
import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from scoring import score

ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"
A4_PRINTABLE_MM = 210 - 2 * 12  # templates/report.css: @page A4 with 12mm side margins
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync", "--hide-scrollbars"]
MEASURE = """<script>
document.fonts.ready.then(() => {
  const mm = 96 / 25.4;
  const found = {tables: [], overflow: []};
  for (const t of document.querySelectorAll('table')) found.tables.push(t.getBoundingClientRect().width / mm);
  for (const c of document.querySelectorAll('td, th')) {
    if (c.scrollWidth > c.clientWidth + 1) found.overflow.push(c.textContent.trim().slice(0, 40));
  }
  // The first font the CSS names must be there and in use: text measured in it differs from a generic font.
  found.family = getComputedStyle(document.body).fontFamily;
  const first = found.family.split(',')[0].trim();
  // A missing font falls back to the generic after it, so with each generic the widths would be equal.
  const ctx = document.createElement('canvas').getContext('2d');
  const width = (font) => { ctx.font = `20px ${font}`; return ctx.measureText('0123456789%ABCabc').width; };
  found.named_font_differs = ['serif', 'monospace'].some((g) => Math.abs(width(`${first}, ${g}`) - width(g)) > 1);
  const pre = document.createElement('pre');
  pre.id = 'measure';
  pre.textContent = JSON.stringify(found);
  document.body.appendChild(pre);
});
</script>"""


def _missing(what: str) -> None:
    """Skip, or fail where CI promised the tool (SCORING_REQUIRE_TOOLS=1)."""
    if os.environ.get("SCORING_REQUIRE_TOOLS"):
        pytest.fail(f"SCORING_REQUIRE_TOOLS is set but {what} is missing")
    pytest.skip(f"{what} is missing")


def _chromium() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
    if found is None or shutil.which("pdftotext") is None:
        _missing("chromium or poppler-utils")
    return found


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    chromium = _chromium()
    profile = tmp_path_factory.mktemp("chromium-profile")

    def run(*args: str) -> str:
        done = subprocess.run([chromium, *FLAGS, f"--user-data-dir={profile}", *args], capture_output=True,
                              text=True, timeout=120)
        assert done.returncode == 0, done.stderr[-2000:]
        return done.stdout
    return run


@pytest.fixture(scope="module")
def report(sample_goals_path, tmp_path_factory) -> tuple[Path, object]:
    ev = score(sample_goals_path, sample_goals_path.parent / "a.csv")
    page = tmp_path_factory.mktemp("report") / "report.html"
    page.write_text(ev.to_html(), encoding="utf-8")
    return page, ev


@pytest.fixture(scope="module")
def sample_goals_path():
    return Path(__file__).resolve().parent.parent / "samples" / "g.json"


def test_the_page_fits_a4_and_no_text_overflows(browser, report, tmp_path):
    page, ev = report
    measured = tmp_path / "measured.html"
    measured.write_text(page.read_text(encoding="utf-8").replace("</body>", MEASURE + "</body>"), encoding="utf-8")
    dom = browser("--window-size=794,1123", "--virtual-time-budget=5000", "--dump-dom", measured.as_uri())
    found = json.loads(html.unescape(re.search(r'<pre id="measure">(.*?)</pre>', dom, re.S).group(1)))
    assert len(found["tables"]) >= 4
    assert max(found["tables"]) <= A4_PRINTABLE_MM + 0.5, found["tables"]
    assert found["overflow"] == []
    assert found["family"].startswith('"Noto Serif CJK SC"') and found["named_font_differs"], found


def test_screenshot_and_print_to_pdf(browser, report):
    page, ev = report
    ARTIFACTS.mkdir(exist_ok=True)
    shot, pdf = ARTIFACTS / "report.png", ARTIFACTS / "report-chromium.pdf"
    for old in (shot, pdf):
        old.unlink(missing_ok=True)
    browser("--window-size=900,1800", f"--screenshot={shot}", page.as_uri())
    assert shot.stat().st_size > 20_000 and shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    browser("--no-pdf-header-footer", f"--print-to-pdf={pdf}", page.as_uri())
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert re.search(r"Page size:\s+59[45]\.\d* x 841\.\d* pts \(A4\)", info), info
    # Chinese comes back out of the printed PDF as text: the glyphs drawn were real ones, not fallback boxes
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout
    for words in ("项目支出绩效自评表（2021年度）", "档案整理服务项目资金", "评价等级：中", "78.90",
                  *ev.table["level3"]):
        assert words in text.replace(" ", ""), words


def test_weasyprint_pdf_gives_back_its_chinese_text(report, tmp_path):
    if shutil.which("pdftotext") is None:
        _missing("pdftotext (poppler-utils)")
    try:
        import weasyprint  # noqa: F401
    except (ImportError, OSError):  # OSError: the Pango library is missing
        _missing("WeasyPrint with Pango")
    _, ev = report
    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(ev.to_pdf())
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "项目支出绩效自评表（2021年度）" in text and "档案整理服务项目资金" in text
    narrative = tmp_path / "narrative.pdf"
    narrative.write_bytes(ev.to_pdf(narrative=True))
    text = subprocess.run(["pdftotext", str(narrative), "-"], capture_output=True, text=True, check=True).stdout
    assert "绩效自评报告" in text and "四、自评结论" in text
