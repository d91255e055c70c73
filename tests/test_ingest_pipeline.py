"""The ingest's speed-ups must not change a byte, and the one-process pipeline's promises.

The PDF reader's fast content-stream readers (``sources.faststrings``, ``fastcontent``)
must give plain pypdf's text on PDFs with several fonts, core and embedded. The rest
pins down what the one-process pipeline promises whatever is done to speed it up: events
in order, a copy of a file recognised without parsing it, and stored documents kept when
a progress callback raises.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from pdf_factory import DANISH_PAGES, build_meeting_pdf, unicode_font

from kkr_tui import ingest
from kkr_tui.ingest import IngestEvent, ingest_paths
from kkr_tui.sources import read_document
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


class _Stop(BaseException):
    """Raised from a progress callback, like a second Ctrl+C."""


@pytest.fixture
def store(tmp_path: Path):
    from kkr_tui.store import Store

    with Store(tmp_path / "s.db") as s:
        yield s


def test_every_file_reports_start_pages_then_result_in_order(store, samples_dir: Path) -> None:
    events: list[IngestEvent] = []
    summary = ingest_paths(store, [samples_dir], progress=events.append)
    paths = [r.path for r in summary.results]
    starts = [e.path for e in events if e.result is None and not e.page]
    assert starts == paths
    for path in paths:
        mine = [i for i, e in enumerate(events) if e.path == path]
        kinds = ["start" if not events[i].page and events[i].result is None else "" for i in mine]
        assert kinds[0] == "start" and events[mine[-1]].result is not None
    done = [e.done for e in events]
    assert done == sorted(done), "the done count never goes back"


def test_a_copy_of_a_file_in_the_same_run_is_unchanged_without_parsing(
    store, samples_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = sorted(samples_dir.glob("*.txt"))[0]
    folder = tmp_path / "dup"
    folder.mkdir()
    shutil.copy(first, folder / "a.txt")
    shutil.copy(first, folder / "b.txt")
    parsed: list[str] = []
    real = ingest.read_and_parse

    def counting(path, on_page=None):  # type: ignore[no-untyped-def]
        parsed.append(Path(path).name)
        return real(path, on_page)

    monkeypatch.setattr(ingest, "read_and_parse", counting)
    summary = ingest_paths(store, [folder])
    assert [r.status for r in summary.results] == ["added", "unchanged"]
    assert summary.results[1].label == summary.results[0].label
    assert parsed == ["a.txt"]


def test_an_exception_from_progress_keeps_what_was_stored(store, samples_dir: Path) -> None:
    starts: list[str] = []
    reported: list[str] = []

    def progress(event: IngestEvent) -> None:
        if event.result is not None:
            reported.append(Path(event.result.path).name)
        elif not event.page:
            starts.append(event.path)
            if len(starts) == 3:
                raise _Stop

    with pytest.raises(_Stop):
        ingest_paths(store, [samples_dir], progress=progress)
    stored = sorted(Path(p).name for p, _ in ingest.stored_documents(store))
    assert stored == sorted(reported) and len(stored) == 2
    again = ingest_paths(store, [samples_dir])
    assert [r.status for r in again.results].count("unchanged") == 2
    assert again.count("added") == 3
