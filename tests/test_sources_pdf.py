"""The PDF reader on real PDFs built with fpdf2: text, links, metadata, progress, laziness.

PDFs are generated, not committed, so each case says in code what the file contains.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from pdf_factory import DANISH_PAGES, build_meeting_pdf, build_pdf_from_text_file

from kkr_tui.model import FileFailure
from kkr_tui.sources import (
    PdfSource,
    UnreadableDocumentError,
    iter_pdf_pages,
    pdf_page_count,
    read_document,
    read_text,
)

LINKS = [
    ["https://www.kl.dk/politik/kkr/kkr-hovedstaden/moedemateriale"],
    [],
    ["https://fm.dk/a.pdf", "https://fm.dk/a.pdf", "mailto:events@greatercph.com"],
]


def _non_empty_lines(text: str) -> list[str]:
    return [line for line in text.split("\n") if line]


@pytest.fixture(scope="module")
def danish_pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("pdf") / "møde.PDF"
    meta = {"title": "Dagsorden KKR Hovedstaden", "author": "KL", "subject": "Møde i Århus"}
    return build_meeting_pdf(path, list(DANISH_PAGES), LINKS, metadata=meta)


def test_pages_text_round_trips(danish_pdf: Path) -> None:
    doc = read_document(danish_pdf)
    assert doc.kind == "pdf"
    assert doc.name == "møde.PDF"
    assert [p.number for p in doc.pages] == [1, 2, 3]
    for page, expected in zip(doc.pages, DANISH_PAGES, strict=True):
        assert page.text == expected
    assert "Århus" in doc.pages[0].text
    assert "stærk øko-\nnomisk" in doc.pages[1].text
    assert doc.pages[1].text.startswith(" 2. Siden sidst ")


def test_links_in_annotation_order_with_duplicates(danish_pdf: Path) -> None:
    doc = read_document(danish_pdf)
    assert [list(p.links) for p in doc.pages] == LINKS


def test_metadata(danish_pdf: Path) -> None:
    meta = dict(read_document(danish_pdf).metadata)
    assert meta["title"] == "Dagsorden KKR Hovedstaden"
    assert meta["author"] == "KL"
    assert meta["subject"] == "Møde i Århus"
    assert meta["creation_date"].startswith("2025-06-18T10:00:00")


def test_progress_and_page_iteration(danish_pdf: Path) -> None:
    calls: list[tuple[int, int]] = []
    read_document(danish_pdf, progress=lambda done, total: calls.append((done, total)))
    assert calls == [(1, 3), (2, 3), (3, 3)]
    assert pdf_page_count(danish_pdf) == 3
    assert [p.number for p in iter_pdf_pages(danish_pdf)] == [1, 2, 3]


def test_exception_from_progress_propagates_to_cancel(danish_pdf: Path) -> None:
    class Cancelled(Exception):
        pass

    def cancel(done: int, total: int) -> None:
        raise Cancelled

    with pytest.raises(Cancelled):
        read_document(danish_pdf, progress=cancel)


def test_encrypted_with_empty_user_password_is_read(tmp_path: Path) -> None:
    path = build_meeting_pdf(tmp_path / "open.pdf", list(DANISH_PAGES), LINKS, user_password="")
    doc = read_document(path)
    assert doc.pages[0].text == DANISH_PAGES[0]
    assert list(doc.pages[2].links) == LINKS[2]


def test_decomposed_letters_and_controls_in_pdf_text(tmp_path: Path) -> None:
    text = " Cafe\u0301 i Ra\u030adhuset \nA\u030arhus \u202eevil "
    doc = read_document(build_meeting_pdf(tmp_path / "nfd.pdf", [text * 3]))
    assert doc.pages[0].text == " Café i Rådhuset \nÅrhus evil " * 3


@pytest.mark.parametrize("prefix", ["002"])
def test_sample_round_trip(samples_dir: Path, tmp_path: Path, prefix: str) -> None:
    (sample,) = samples_dir.glob(f"{prefix}_*.txt")
    source = read_text(sample)
    doc = read_document(build_pdf_from_text_file(tmp_path / "sample.pdf", sample))
    assert len(doc.pages) == len(source.pages)
    for got, want in zip(doc.pages, source.pages, strict=True):
        assert _non_empty_lines(got.text) == _non_empty_lines(want.text)
        assert got.links == want.links


def test_broken_annotations_do_not_lose_the_page(tmp_path: Path) -> None:
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import (
        ArrayObject,
        ByteStringObject,
        DictionaryObject,
        NameObject,
        NullObject,
        NumberObject,
        TextStringObject,
    )

    def link(uri: object) -> DictionaryObject:
        action = DictionaryObject({NameObject("/S"): NameObject("/URI")})
        action[NameObject("/URI")] = uri
        return DictionaryObject(
            {
                NameObject("/Type"): NameObject("/Annot"),
                NameObject("/Subtype"): NameObject("/Link"),
                NameObject("/A"): action,
            }
        )

    plain = build_meeting_pdf(tmp_path / "plain.pdf", list(DANISH_PAGES))
    writer = PdfWriter(clone_from=PdfReader(plain))
    page = writer.pages[0]
    broken = link(TextStringObject("x"))
    broken[NameObject("/A")] = NumberObject(42)
    text_note = link(TextStringObject("https://not-a-link.dk"))
    text_note[NameObject("/Subtype")] = NameObject("/Text")
    annots = ArrayObject(
        [
            writer._add_object(link(TextStringObject("https://www.kl.dk/første"))),
            broken,
            NullObject(),
            text_note,
            link(ByteStringObject("https://bytes.dk/æ".encode())),
            link(ByteStringObject(b"https://latin1.dk/\xe6")),
            writer._add_object(link(TextStringObject("https://\x1b[31mred.dk"))),
        ]
    )
    page[NameObject("/Annots")] = writer._add_object(annots)
    out = tmp_path / "annots.pdf"
    with out.open("wb") as fh:
        writer.write(fh)
    doc = read_document(out)
    assert doc.pages[0].text == DANISH_PAGES[0]
    assert doc.pages[0].links == (
        "https://www.kl.dk/første",
        "https://bytes.dk/æ",
        "https://latin1.dk/æ",
        "https://red.dk",
    )


def test_a_page_that_fails_to_extract_is_kept_empty_and_reported(
    danish_pdf: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from pypdf import PageObject

    original = PageObject.extract_text

    def flaky(self: PageObject, *args: object, **kwargs: object) -> str:
        text = original(self, *args, **kwargs)
        if "Siden sidst" in text:
            raise KeyError("/Font")
        return text

    monkeypatch.setattr(PageObject, "extract_text", flaky)
    doc = read_document(danish_pdf)
    assert doc.pages[1].text == ""
    assert doc.pages[0].text == DANISH_PAGES[0]
    assert [(w.kind, w.page, w.reason) for w in doc.page_warnings] == [("failed", 2, "'/Font'")]
    assert "warning" not in dict(doc.metadata)


def test_all_pages_failing_is_a_damaged_pdf(
    danish_pdf: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from pypdf import PageObject

    def broken(self: PageObject, *args: object, **kwargs: object) -> str:
        raise ValueError("Bad content stream")

    monkeypatch.setattr(PageObject, "extract_text", broken)
    with pytest.raises(UnreadableDocumentError) as info:
        read_document(danish_pdf)
    # one Danish sentence; pypdf's own words only as the detail (--json, --debug)
    assert info.value.reason == "ingen af PDF-filens sider kunne læses"
    assert info.value.failure == FileFailure("no_page_readable", detail="bad content stream")
    assert info.value.path == str(danish_pdf)


def test_pdf_source_reports_count_and_metadata_before_pages(danish_pdf: Path) -> None:
    with PdfSource(danish_pdf) as source:
        assert source.page_count == 3
        assert dict(source.metadata)["author"] == "KL"
        first = next(source.pages())
    assert first.number == 1


def test_importing_sources_does_not_import_pypdf_or_fpdf() -> None:
    code = (
        "import sys, kkr_tui.sources; "
        "bad = {'pypdf', 'fpdf'} & set(sys.modules); "
        "print(sorted(bad)); sys.exit(1 if bad else 0)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
