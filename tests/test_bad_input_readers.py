"""Bad input never escapes as a traceback: every failure is UnreadableDocumentError with
a cause code (``failure.cause``, stable) and a Danish sentence (``reason``, worded when
asked for; never pypdf's English).

Covers the file system (missing, directory, FIFO, permissions), wrong types and
encodings, and beskadiget PDFs (truncated, corrupt xref, encrypted, textless, mutated).
"""

from __future__ import annotations

import os
import random
from pathlib import Path

import pytest
from pdf_factory import DANISH_PAGES, build_meeting_pdf, build_textless_pdf, random_bytes

from kkr_tui.model import PageWarning, SourceDocument
from kkr_tui.sources import UnreadableDocumentError, read_document


@pytest.fixture(scope="module")
def good_pdf_bytes(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    path = tmp_path_factory.mktemp("good") / "good.pdf"
    links = [["https://www.kl.dk/a"], [], ["https://www.kl.dk/b"]]
    return build_meeting_pdf(path, list(DANISH_PAGES), links).read_bytes()


def _reason(path: Path) -> tuple[str, str]:
    """(cause code, the Danish sentence) of the failure reading ``path``."""
    with pytest.raises(UnreadableDocumentError) as info:
        read_document(path)
    assert info.value.path == str(path)
    assert str(info.value) == info.value.reason
    return info.value.failure.cause, info.value.reason


def _write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def test_missing_file(tmp_path: Path) -> None:
    assert _reason(tmp_path / "nope.pdf") == ("not_found", "filen findes ikke")


def test_directory(tmp_path: Path) -> None:
    folder = tmp_path / "folder.pdf"
    folder.mkdir()
    assert _reason(folder) == ("is_directory", "det er en mappe, ikke en fil")


def test_fifo_is_not_read(tmp_path: Path) -> None:
    if not hasattr(os, "mkfifo"):
        pytest.skip("no FIFOs on this platform")
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    assert _reason(fifo) == (
        "not_regular",
        "det er ikke en almindelig fil (men en enhed eller et rør)",
    )


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("referat.docx", "kkr-tui kan ikke læse '.docx'-filer, kun .pdf og .txt"),
        ("referat.PDF.bak", "kkr-tui kan ikke læse '.bak'-filer, kun .pdf og .txt"),
        ("referat", "filnavnet har ingen filtype; kkr-tui læser .pdf- og .txt-filer"),
    ],
)
def test_unsupported_suffix(tmp_path: Path, name: str, reason: str) -> None:
    cause = "no_suffix" if "." not in name else "unsupported_type"
    assert _reason(_write(tmp_path / name, b"tekst \n")) == (cause, reason)


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root can read anything")
def test_unreadable_file_real_permissions(tmp_path: Path) -> None:
    path = _write(tmp_path / "locked.txt", b"tekst \n")
    path.chmod(0)
    try:
        assert _reason(path) == ("permission", "du har ikke lov til at læse filen")
    finally:
        path.chmod(0o600)


@pytest.mark.parametrize("suffix", [".txt", ".pdf"])
def test_unreadable_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, suffix: str) -> None:
    path = _write(tmp_path / f"locked{suffix}", b"%PDF-1.4 tekst \n")

    def deny(name: object, *args: object, **kwargs: object) -> int:
        raise PermissionError(13, "Permission denied", str(name))

    monkeypatch.setattr(os, "open", deny)  # the readers open through os.open (no blocking)
    assert _reason(path) == ("permission", "du har ikke lov til at læse filen")


@pytest.mark.parametrize("suffix", [".pdf", ".txt"])
def test_zero_bytes(tmp_path: Path, suffix: str) -> None:
    assert _reason(_write(tmp_path / f"empty{suffix}", b"")) == ("empty", "filen er tom")


def test_random_bytes_named_pdf(tmp_path: Path) -> None:
    assert _reason(_write(tmp_path / "noise.pdf", random_bytes(4096)))[0] == "not_pdf"


def test_text_named_pdf(tmp_path: Path) -> None:
    path = _write(tmp_path / "referat.pdf", "Referat fra mødet \n".encode())
    assert _reason(path) == ("not_pdf", "filen er ikke en PDF, selv om navnet siger det")


def test_random_bytes_named_txt(tmp_path: Path) -> None:
    assert _reason(_write(tmp_path / "noise.txt", random_bytes(4096))) == (
        "binary",
        "filen indeholder binære data, ikke tekst",
    )


def test_pdf_named_txt(tmp_path: Path, good_pdf_bytes: bytes) -> None:
    reason = _reason(_write(tmp_path / "referat.txt", good_pdf_bytes))
    assert reason == ("pdf_named_txt", "filen er en PDF med et .txt-navn")


@pytest.mark.parametrize("fraction", [0.05, 0.3, 0.6])
def test_truncated_pdf(tmp_path: Path, good_pdf_bytes: bytes, fraction: float) -> None:
    cut = good_pdf_bytes[: int(len(good_pdf_bytes) * fraction)]
    cause, reason = _reason(_write(tmp_path / "cut.pdf", cut))
    assert cause in ("damaged", "truncated", "no_xref", "no_pages", "no_page_readable"), cause
    assert reason.startswith("PDF-filen ") or reason.startswith("ingen af PDF-filens sider"), reason


def test_pdf_cut_off_at_its_xref_table_is_repaired(tmp_path: Path, good_pdf_bytes: bytes) -> None:
    cut = good_pdf_bytes[: good_pdf_bytes.rindex(b"\nxref")]
    doc = read_document(_write(tmp_path / "cut.pdf", cut))
    assert [p.text for p in doc.pages] == list(DANISH_PAGES)
    assert doc.pages[2].links == ("https://www.kl.dk/b",)
    assert doc.page_warnings == (PageWarning("repaired", 0, "filen er afkortet", "truncated"),)


def test_wrong_startxref_offset_is_tolerated(
    tmp_path: Path, good_pdf_bytes: bytes, capfd: pytest.CaptureFixture[str]
) -> None:
    start = good_pdf_bytes.rindex(b"startxref")
    data = good_pdf_bytes[:start] + b"startxref\n12\n%%EOF\n"
    doc = read_document(_write(tmp_path / "xref.pdf", data))
    assert [p.text for p in doc.pages] == list(DANISH_PAGES)
    out, err = capfd.readouterr()
    assert (out, err) == ("", "")


def test_garbage_xref_table_is_repaired(tmp_path: Path, good_pdf_bytes: bytes) -> None:
    xref = good_pdf_bytes.rindex(b"\nxref") + 6
    data = good_pdf_bytes[:xref] + b"garbage " * 12 + good_pdf_bytes[xref + 96 :]
    doc = read_document(_write(tmp_path / "xref.pdf", data))
    assert doc.pages[0].text == DANISH_PAGES[0]


def test_pypdf_warnings_are_captured_not_printed(
    tmp_path: Path, good_pdf_bytes: bytes, capfd: pytest.CaptureFixture[str]
) -> None:
    from kkr_tui.sources import PdfSource

    path = _write(tmp_path / "junk.pdf", b"junk before the header\n" + good_pdf_bytes)
    with PdfSource(path) as source:
        assert source.page_count == 3
        assert source.log, "pypdf should have complained about the header"
    assert read_document(path).pages[0].text == DANISH_PAGES[0]
    assert capfd.readouterr() == ("", "")


def test_encrypted_pdf_with_password(tmp_path: Path) -> None:
    path = build_meeting_pdf(tmp_path / "lukket.pdf", list(DANISH_PAGES), user_password="hemmelig")
    assert _reason(path) == ("encrypted", "PDF-filen er beskyttet med en adgangskode")


def test_pdf_without_text_layer(tmp_path: Path) -> None:
    path = build_textless_pdf(tmp_path / "scan.pdf", pages=3)
    assert _reason(path) == (
        "scanned",
        "PDF-filen har intet tekstlag (et scannet dokument), så dens tekst kan ikke læses",
    )


def test_pdf_with_only_a_page_number_per_page_has_no_text_layer(tmp_path: Path) -> None:
    path = build_meeting_pdf(tmp_path / "scan.pdf", [f"Side {n}" for n in range(1, 6)])
    assert _reason(path) == (
        "scanned",
        "PDF-filen har intet tekstlag (et scannet dokument), så dens tekst kan ikke læses",
    )


def test_cp1252_without_danish_letters(tmp_path: Path) -> None:
    path = _write(tmp_path / "legacy.txt", "Referat – “godkendt” \n".encode("cp1252"))
    assert _reason(path) == (
        "cp1252",
        "teksten er ikke UTF-8 (den ligner Windows cp1252); gem den som UTF-8",
    )


def test_error_pickles_for_process_pools(tmp_path: Path) -> None:
    import pickle

    error = UnreadableDocumentError(tmp_path / "x.pdf", "damaged", detail="bad content stream")
    copy = pickle.loads(pickle.dumps(error))
    assert (copy.path, copy.failure, str(copy)) == (
        error.path,
        error.failure,
        "PDF-filen er beskadiget og kan ikke læses",
    )


@pytest.mark.parametrize("seed", range(24))
def test_mutated_pdfs_read_or_fail_cleanly(
    tmp_path: Path, good_pdf_bytes: bytes, seed: int, capfd: pytest.CaptureFixture[str]
) -> None:
    rng = random.Random(seed)
    data = bytearray(good_pdf_bytes)
    for _ in range(rng.randint(1, 40)):
        at = rng.randrange(len(data))
        action = rng.choice(("flip", "cut", "dup", "zero"))
        if action == "flip":
            data[at] = rng.randrange(256)
        elif action == "cut":
            del data[at : at + rng.randint(1, 200)]
        elif action == "dup":
            data[at:at] = data[at : at + rng.randint(1, 200)]
        else:
            data[at : at + 16] = bytes(16)
    path = _write(tmp_path / "mutant.pdf", bytes(data))
    try:
        doc = read_document(path)
    except UnreadableDocumentError as error:
        assert error.reason
        assert "\n" not in error.reason
        assert error.failure.detail not in error.reason or not error.failure.detail
    else:
        assert isinstance(doc, SourceDocument)
        assert len(doc.pages) >= 1
    assert capfd.readouterr().err == ""
