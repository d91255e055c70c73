"""The pypdf patches are fenced in: exact version, pypdf's warnings once, pypdf's memory.

``sources/faststrings.py`` and ``fastcontent.py`` replace private pypdf readers, so they
run only on the exact release their comparison tests ran on, and pyproject.toml pins
that release. The tokeniser used to build a malformed number (pypdf warns) and then,
meeting a comment further on, hand the stream to pypdf, which warned again: every such
warning came twice. The per-document font cache kept every font until the document was
closed (an 80 KB file with 203 fonts sharing a large ToUnicode map peaked at 2.6 GB
against pypdf's 464 MB); it is gone, and pypdf builds its fonts as it always does.
"""

from __future__ import annotations

import logging
import re
from pathlib import Path

import pytest
from pdf_factory import DANISH_PAGES, build_meeting_pdf, with_page_content

from kkr_tui.sources import faststrings
from kkr_tui.sources.pdf import PdfSource

pypdf = pytest.importorskip("pypdf")

ROOT = Path(__file__).resolve().parent.parent


def test_pyproject_pins_exactly_the_verified_pypdf() -> None:
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    (pin,) = re.findall(r'^\s*"pypdf([=<>!~][^"]*)"', pyproject, re.MULTILINE)
    assert pin.startswith("==")
    assert pin[2:] in faststrings.VERIFIED_PYPDF
    assert faststrings.pypdf_verified() == (pypdf.__version__ in faststrings.VERIFIED_PYPDF)


@pytest.mark.parametrize("version", ["7.1.2", "7.1", "7.1.10", "7.1.1rc1"])
def test_another_release_of_the_same_minor_is_not_verified(
    monkeypatch: pytest.MonkeyPatch, version: str
) -> None:
    monkeypatch.setattr(pypdf, "__version__", version)
    assert not faststrings.pypdf_verified()


def _pypdf_log(path: Path) -> list[str]:
    """What plain pypdf logs while extracting every page."""
    messages: list[str] = []

    class Collect(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            messages.append(record.getMessage())

    handler = Collect()
    logger = logging.getLogger("pypdf")
    logger.addHandler(handler)
    try:
        for page in pypdf.PdfReader(path).pages:
            page.extract_text()
    finally:
        logger.removeHandler(handler)
    return messages


@pytest.mark.parametrize(
    "content",
    [
        b"BT /F1 9 Tf 1.2.3 0 Td (x) Tj %c\n ET",
        b"BT /F1 9 Tf 1-2 0 Td (x) Tj %c\n ET",
        b"/P <</MCID 1.2.3>> BDC BT /F1 9 Tf (x) Tj ET EMC %c\n",
        b"BT /F1 9 Tf [(a) 1,5 (b)] TJ %c\n ET",
        b"BT /F1 9 Tf (a\\qb) Tj %c\n ET",
    ],
)
def test_each_pypdf_warning_comes_once(tmp_path: Path, content: bytes) -> None:
    good = build_meeting_pdf(tmp_path / "good.pdf", list(DANISH_PAGES))
    path = with_page_content(good, tmp_path / "odd.pdf", 1, content)
    expected = _pypdf_log(path)
    assert expected, "the case must make pypdf warn"
    with PdfSource(path) as source:
        list(source.pages())
    assert source.log == expected


def test_fonts_are_built_by_pypdf_as_always(tmp_path: Path) -> None:
    from pypdf.generic._font import Font

    own = Font.__dict__["from_font_resource"]
    path = build_meeting_pdf(tmp_path / "m.pdf", list(DANISH_PAGES))
    with PdfSource(path) as source:
        list(source.pages())
    assert Font.__dict__["from_font_resource"] is own
    assert not hasattr(own.__func__, "__wrapped__")
