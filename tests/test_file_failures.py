"""A file that cannot be read or is no meeting: one Danish line naming the file and the
reason, and a stable cause code in ``--json``; a library's English only as the detail.

One real file per cause (``kkr-tui parse FILE --json``, the command a user runs on one
file; ingest and sync word a failure with the same function): the line on stderr is
``FILE: <Danish sentence>``, stdout is ``{"file", "error": {"cause", "params",
"detail", "text"}}``. Causes of the reading process (time, memory, a dead or missing
child) are made by tests/test_read_budget.py and tests/test_ingest.py.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any, get_args

import pytest
from pdf_factory import (
    DANISH_PAGES,
    build_meeting_pdf,
    build_pdf_from_text_file,
    build_textless_pdf,
    random_bytes,
    write_raw_pdf,
)

from kkr_tui import failure_words
from kkr_tui.cli import main
from kkr_tui.model import FileCause, FileFailure, NotAMeetingCode, NotAMeetingError, Page
from kkr_tui.output import printable

Maker = Callable[[Path, pytest.MonkeyPatch], Path]


def _write(name: str, data: bytes) -> Maker:
    def make(folder: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
        path = folder / name
        path.write_bytes(data)
        return path

    return make


def _missing(folder: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    return folder / "findes ikke.pdf"


def _folder(folder: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (folder / "mappe.pdf").mkdir()
    return folder / "mappe.pdf"


def _fifo(folder: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    if not hasattr(os, "mkfifo"):
        pytest.skip("no FIFOs on this platform")
    os.mkfifo(folder / "rør.txt")
    return folder / "rør.txt"


def _loop(folder: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    os.symlink(folder / "ring.txt", folder / "ring.txt")
    return folder / "ring.txt"


def _nul(folder: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    return folder / "nul\x00tegn.txt"


def _long_name(folder: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    return folder / ("x" * 300 + ".txt")  # longer than any file system allows a name


def _locked(folder: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = folder / "låst.txt"
    path.write_text("1. Sager\n")
    real_open = os.open

    def deny(name: Any, *args: Any, **kwargs: Any) -> int:
        if Path(name).name == path.name:
            raise PermissionError(13, "Permission denied", str(name))
        return real_open(name, *args, **kwargs)

    monkeypatch.setattr(os, "open", deny)  # root may read anything: deny the open itself
    return path


def _too_large(folder: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    import kkr_tui.sources.text

    monkeypatch.setattr(kkr_tui.sources.text, "MAX_TEXT_BYTES", 2 * 1024 * 1024)
    path = folder / "stor.txt"
    path.write_bytes(b"tekst \n" * (2 * 1024 * 1024 // 7 + 1))
    return path


def _encrypted(folder: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    return build_meeting_pdf(folder / "lukket.pdf", list(DANISH_PAGES), user_password="x")


def _no_root(folder: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    return write_raw_pdf(folder / "uden rod.pdf", [b"42"])  # pypdf: "Cannot find Root object"


def _no_pages(folder: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    catalog = b"<< /Type /Catalog /Pages 2 0 R >>"
    return write_raw_pdf(
        folder / "ingen sider.pdf", [catalog, b"<< /Type /Pages /Kids [] /Count 0 >>"]
    )


def _scan(folder: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    return build_textless_pdf(folder / "scan.pdf")


def _pdf_named_txt(folder: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    pdf = build_meeting_pdf(folder / "x.pdf", list(DANISH_PAGES))
    path = folder / "referat.txt"
    path.write_bytes(pdf.read_bytes())
    return path


def _parser_bug(folder: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    import kkr_tui.parser

    def explode(doc: object) -> object:
        raise RuntimeError("parser bug")

    monkeypatch.setattr(kkr_tui.parser, "parse", explode)
    path = folder / "dagsorden.txt"
    path.write_text("1. Sager\n1.1. Noget\n")
    return path


#: cause -> (a file that has it, the Danish line's reason, the detail kept for --json).
CASES: dict[str, tuple[Maker, str, str]] = {
    "not_found": (_missing, "filen findes ikke", ""),
    "is_directory": (_folder, "det er en mappe, ikke en fil", ""),
    "not_regular": (_fifo, "det er ikke en almindelig fil (men en enhed eller et rør)", ""),
    "symlink_loop": (_loop, "filen er en genvej, der fører i ring", ""),
    "invalid_name": (_nul, "filnavnet er ugyldigt", ""),
    "os_error": (_long_name, "systemet kunne ikke læse filen", "File name too long"),
    "permission": (_locked, "du har ikke lov til at læse filen", ""),
    "too_large": (_too_large, "filen er større end 2 MB, langt mere end noget mødedokument", ""),
    "no_suffix": (
        _write("referat", b"1. Sager\n"),
        "filnavnet har ingen filtype; kkr-tui læser .pdf- og .txt-filer",
        "",
    ),
    "unsupported_type": (
        _write("referat.docx", b"PK\x03\x04"),
        "kkr-tui kan ikke læse '.docx'-filer, kun .pdf og .txt",
        "",
    ),
    "empty": (_write("tom.pdf", b""), "filen er tom", ""),
    "not_pdf": (
        _write("brev.pdf", "Kære borgmester\n".encode()),
        "filen er ikke en PDF, selv om navnet siger det",
        "",
    ),
    "encrypted": (_encrypted, "PDF-filen er beskyttet med en adgangskode", ""),
    "damaged": (
        _no_root,
        "PDF-filen er beskadiget og kan ikke læses",
        "Cannot find Root object in pdf",
    ),
    "truncated": (
        _write("afkortet.pdf", b"%PDF-1.7\n1 0 obj\n<<"),
        "PDF-filen er afkortet (en ufuldstændig download?)",
        "Stream has ended unexpectedly",
    ),
    "no_xref": (
        _write("uden xref.pdf", b"%PDF-1.4\n" + b"x" * 500 + b"\n%%EOF\n"),
        "PDF-filen er afkortet eller mangler sin krydsreferencetabel",
        "startxref not found",
    ),
    "no_pages": (_no_pages, "PDF-filen har ingen sider", "no pages"),
    "scanned": (
        _scan,
        "PDF-filen har intet tekstlag (et scannet dokument), så dens tekst kan ikke læses",
        "",
    ),
    "no_text": (_write("blank.txt", b" \n\n  \n"), "filen indeholder ingen tekst", ""),
    "pdf_named_txt": (_pdf_named_txt, "filen er en PDF med et .txt-navn", ""),
    "binary": (
        _write("støj.txt", random_bytes(4096)),
        "filen indeholder binære data, ikke tekst",
        "",
    ),
    "broken_utf16": (
        _write("utf16.txt", b"\xff\xfe\x00\xd8a\x00"),
        "teksten er ikke UTF-8 (beskadiget UTF-16)",
        "",
    ),
    "unknown_encoding": (
        _write("tegnsæt.txt", b"abc \x81\x8d\x90 def \n" * 3),
        "teksten er ikke UTF-8, og dens tegnsæt er ukendt",
        "",
    ),
    "cp1252": (
        _write("gammel.txt", "Referat – “godkendt” \n".encode("cp1252")),
        "teksten er ikke UTF-8 (den ligner Windows cp1252); gem den som UTF-8",
        "",
    ),
    "not_a_meeting": (
        _write("brev.txt", ("Kære alle,\nhusk kaffen på fredag.\n" * 5).encode()),
        "det er ikke et KKR-mødedokument: "
        "ingen nummererede afsnit og punkter (som '1.' og '1.1.') fundet",
        "",
    ),
    "unexpected": (_parser_bug, "en uventet fejl stoppede læsningen", "RuntimeError: parser bug"),
}


@pytest.mark.parametrize("cause", sorted(CASES))
def test_a_file_with_the_cause_is_one_danish_line_and_its_code_in_json(
    cause: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    make, reason, detail = CASES[cause]
    path = make(tmp_path, monkeypatch)
    assert main(["parse", str(path), "--json"]) == 1
    out, err = capsys.readouterr()
    assert err == printable(f"{path}: {reason}") + "\n"
    error = json.loads(out)["error"]
    assert (error["cause"], error["text"], error["detail"]) == (cause, reason, detail)
    assert detail == "" or detail not in err  # the library's words: --json and --debug only


def test_debug_shows_the_library_detail_as_a_labelled_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _no_root(tmp_path, monkeypatch)
    assert main(["--debug", "parse", str(path)]) == 1
    lines = capsys.readouterr().err.splitlines()
    assert lines[:2] == [
        f"{path}: PDF-filen er beskadiget og kan ikke læses",
        "teknisk detalje: Cannot find Root object in pdf",
    ]


def test_every_page_failing_is_one_danish_reason_with_pypdfs_words_as_the_detail(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from pypdf import PageObject

    from kkr_tui.ingest_types import read_and_parse

    def broken(self: PageObject, *args: object, **kwargs: object) -> str:
        raise ValueError("Bad content stream")

    monkeypatch.setattr(PageObject, "extract_text", broken)
    sample = sorted((Path(__file__).parent.parent / "sample_docs").glob("*.txt"))[0]
    parsed = read_and_parse(str(build_pdf_from_text_file(tmp_path / "møde.pdf", sample)))
    assert parsed.reason == "ingen af PDF-filens sider kunne læses"
    assert parsed.failure == FileFailure("no_page_readable", detail="bad content stream")


def test_every_cause_has_danish_words_and_every_parser_reason_too() -> None:
    params = {"too_large": (("mb", 1024),), "unsupported_type": (("suffix", ".doc"),)}
    params["timeout"] = (("seconds", 600.0),)
    for cause in get_args(FileCause):
        message = failure_words.MESSAGES[cause]
        failure = FileFailure(cause, params.get(cause, (("why", "no_text"),)))
        words = failure_words.describe(failure)
        assert words and words != message and "{" not in words, cause
    for code in get_args(NotAMeetingCode):
        failure = FileFailure("not_a_meeting", (("why", code),))
        assert failure_words.describe(failure).startswith("det er ikke et KKR-mødedokument: ")
        assert failure_words.NOT_A_MEETING_WHY[code] not in failure_words.describe(failure)
    timeout = failure_words.describe(FileFailure("timeout", (("seconds", 600.0),)))
    assert timeout == "læsningen af filen tog længere end 600 s og blev stoppet"


def test_a_cause_from_a_newer_kkr_tui_is_named_not_a_crash() -> None:
    assert failure_words.describe(FileFailure("lost_in_space")) == "lost_in_space"  # type: ignore[arg-type]


def test_the_parser_says_why_with_a_code_and_no_words() -> None:
    from kkr_tui.model import SourceDocument
    from kkr_tui.parser import parse

    blank = SourceDocument(name="x.txt", pages=(Page(number=1, text=" \n"),), kind="text")
    with pytest.raises(NotAMeetingError) as info:
        parse(blank)
    assert (info.value.code, str(info.value)) == ("no_text", "no_text")
    prose = SourceDocument(name="x.txt", pages=(Page(number=1, text="Kære alle\n"),), kind="text")
    with pytest.raises(NotAMeetingError) as info:
        parse(prose)
    assert info.value.code == "no_structure"
