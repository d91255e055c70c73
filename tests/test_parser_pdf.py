"""The PDF path end to end: each sample typeset as a real PDF (with its link
annotations) parses exactly like its text file, so the parser never depends on
where the pages came from."""

from __future__ import annotations

from pathlib import Path

import pytest
from pdf_factory import build_meeting_pdf

from kkr_tui.parser import parse
from kkr_tui.sources import read_document
from kkr_tui.sources.text import read_text

SAMPLES = sorted((Path(__file__).resolve().parents[1] / "sample_docs").glob("*.txt"))


def _summary(meeting):
    return (
        meeting.council,
        meeting.meeting_date,
        meeting.doc_type,
        [
            (
                i.number,
                i.title,
                i.case_number,
                i.initials,
                [p.kind for p in i.parts],
                i.urls,
                i.attachments,
                i.first_page,
                i.last_page,
            )
            for i in meeting.items()
        ],
    )


@pytest.mark.parametrize("sample", SAMPLES, ids=lambda p: p.name[:3])
def test_pdf_parses_like_text(tmp_path: Path, sample: Path) -> None:
    text_doc = read_text(sample)
    pdf = tmp_path / (sample.stem + ".pdf")
    build_meeting_pdf(
        pdf, [p.text for p in text_doc.pages], [list(p.links) for p in text_doc.pages]
    )
    pdf_doc = read_document(pdf)
    assert pdf_doc.kind == "pdf" and len(pdf_doc.pages) == len(text_doc.pages)
    assert _summary(parse(pdf_doc)) == _summary(parse(text_doc))
