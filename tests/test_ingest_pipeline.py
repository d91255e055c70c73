"""The ingest's speed-ups must not change a byte: the font cache and the overlapped writer.

The PDF reader builds each font once per document (``sources.fontcache``); these tests
compare its text with plain pypdf on PDFs with several fonts, core and embedded, and
check that the cache stays inside its reader and thread.
"""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from pdf_factory import DANISH_PAGES, build_meeting_pdf, unicode_font

from kkr_tui.sources import read_document
from kkr_tui.sources.fontcache import FontCache, shared_fonts
from kkr_tui.sources.pdf import clean_page_text

pypdf = pytest.importorskip("pypdf")
fpdf = pytest.importorskip("fpdf")


def _plain_pypdf(path: Path) -> list[str]:
    return [clean_page_text(page.extract_text() or "") for page in pypdf.PdfReader(path).pages]


def _mixed_fonts_pdf(path: Path) -> Path:
    """Pages that switch between three core fonts (and an embedded one when available)."""
    pdf = fpdf.FPDF(format="A4", unit="mm")
    pdf.set_auto_page_break(False)
    faces = [("Helvetica", ""), ("Helvetica", "B"), ("Times", "I")]
    font = unicode_font()
    if font is not None:
        pdf.add_font("Body", "", str(font))
        faces.append(("Body", ""))
    for page in range(6):
        pdf.add_page()
        for row in range(12):
            family, style = faces[(page + row) % len(faces)]
            pdf.set_font(family, style, size=11)
            text = f"Punkt {page}.{row} Sundhedsreform og {family} {style} budget 2026"
            pdf.set_xy(15, 15 + row * 8)
            pdf.cell(w=0, h=6, text=text)
    pdf.output(str(path))
    return path


def test_pdf_text_is_identical_to_plain_pypdf_with_several_fonts(tmp_path: Path) -> None:
    path = _mixed_fonts_pdf(tmp_path / "fonts.pdf")
    pages = [page.text for page in read_document(path).pages]
    assert pages == _plain_pypdf(path)
    assert "Punkt 5.11" in pages[-1]


def test_pdf_text_is_identical_to_plain_pypdf_on_a_meeting_pdf(tmp_path: Path) -> None:
    path = build_meeting_pdf(tmp_path / "m.pdf", list(DANISH_PAGES) * 3)
    assert [page.text for page in read_document(path).pages] == _plain_pypdf(path)


def test_font_cache_is_used_only_inside_its_block(tmp_path: Path) -> None:
    path = _mixed_fonts_pdf(tmp_path / "fonts.pdf")
    reader = pypdf.PdfReader(path)
    cache: FontCache = {}
    with shared_fonts(cache):
        first = [page.extract_text() for page in reader.pages]
    assert cache, "fonts built inside the block are kept for the next page"
    kept = dict(cache)
    second = [page.extract_text() for page in reader.pages]
    assert cache == kept, "outside the block nothing is added"
    assert first == second


def test_font_cache_is_per_thread(tmp_path: Path) -> None:
    path = _mixed_fonts_pdf(tmp_path / "fonts.pdf")
    cache: FontCache = {}
    other: list[str] = []

    def extract_elsewhere() -> None:
        other.extend(page.extract_text() for page in pypdf.PdfReader(path).pages)

    with shared_fonts(cache):
        thread = threading.Thread(target=extract_elsewhere)
        thread.start()
        thread.join()
    assert other and cache == {}
