"""The bad-input matrix through ``kkr-tui ingest``: one line per bad file, the run goes on.

The readers' own tests (test_bad_input_readers.py) pin each reason; here every case
goes through the command a user types, into a database that already holds a meeting:
each bad file gets exactly one line naming it and the reason, good files beside it are
stored, the exit code is 1, nothing stored before is lost and no traceback is printed.
Also the 1,000-page PDF: bounded memory, page progress, Ctrl+C mid-file.
"""

from __future__ import annotations

import io
import os
import pty
import select
import shutil
import signal
import time
from pathlib import Path
from typing import Any

import pdf_factory
import pytest
from reliability_corpus import council_variant, drop_case_line, drop_section, kkr_ingest

from kkr_tui import paths
from kkr_tui.cli import main
from kkr_tui.ingest import file_sha256
from kkr_tui.store import Store

BIG_PAGES = 1000


@pytest.fixture(autouse=True)
def _isolated(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv(paths.DB_ENV_VAR, raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg-data"))


def _image_only_pdf(path: Path) -> Path:
    """A page that is one picture (of text, as far as a reader can tell): no text layer."""
    from fpdf import FPDF
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (600, 200), "white")
    ImageDraw.Draw(image).text((10, 80), "1.1. Godkendelse af referat", fill="black")
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    pdf = FPDF()
    for _ in range(2):
        pdf.add_page()
        pdf.image(io.BytesIO(buffer.getvalue()), x=10, y=10, w=190)
    pdf.output(str(path))
    return path


def _matrix(folder: Path, samples: list[Path]) -> tuple[dict[str, str], dict[str, str]]:
    """Write every case; return (bad name -> reason start, good name -> expected status)."""
    folder.mkdir()
    agenda, minutes, old, older = samples[:4]
    (folder / "zero.pdf").write_bytes(b"")
    (folder / "zero.txt").write_bytes(b"")
    good = pdf_factory.build_pdf_from_text_file(folder / "good.tmp", minutes).read_bytes()
    (folder / "good.tmp").unlink()
    (folder / "truncated.pdf").write_bytes(good[: len(good) // 3])
    xref = good.rindex(b"\nxref") + 6
    (folder / "corrupt xref.pdf").write_bytes(good[:xref] + b"garbage " * 12 + good[xref + 96 :])
    (folder / "letter.pdf").write_text("Kære borgmester, dette er ikke en PDF.\n")
    pdf_factory.build_meeting_pdf(folder / "locked.pdf", ["1. Sager"], user_password="x")
    pages = list(pdf_factory.DANISH_PAGES)
    pdf_factory.build_meeting_pdf(folder / "open lock.pdf", pages, user_password="")
    pdf_factory.build_textless_pdf(folder / "scan.pdf")
    _image_only_pdf(folder / "pictures.pdf")
    (folder / "noise.txt").write_bytes(pdf_factory.random_bytes(4000, seed=3))
    (folder / "cp1252 dansk.txt").write_bytes(council_variant(old, "KKR Sjælland").encode("cp1252"))
    (folder / "latin1 plain.txt").write_bytes("Referat – “godkendt” \n".encode("cp1252"))
    (folder / "prose.txt").write_text("Kære alle,\nhusk kaffen på fredag.\n" * 20)
    (folder / "no section 2.txt").write_text(drop_section(agenda, 2), encoding="utf-8")
    (folder / "Møde æøå 🎉.txt").write_text(council_variant(older, "KKR Nordjylland"))
    case_text = drop_case_line(minutes).replace("KKR Hovedstaden", "KKR Syddanmark")
    (folder / "no case line.txt").write_text(case_text, encoding="utf-8")
    (folder / "locked.txt").write_text(council_variant(minutes, "KKR Midtjylland"))
    (folder / "loop").mkdir()
    os.symlink(folder, folder / "loop" / "back")
    bad = {
        "zero.pdf": "filen er tom",
        "zero.txt": "filen er tom",
        "truncated.pdf": "PDF-filen er afkortet (en ufuldstændig download?)",
        "letter.pdf": "filen er ikke en PDF, selv om navnet siger det",
        "locked.pdf": "PDF-filen er beskyttet med en adgangskode",
        "scan.pdf": "PDF-filen har intet tekstlag",
        "pictures.pdf": "PDF-filen har intet tekstlag",
        "noise.txt": "filen indeholder binære data, ikke tekst",
        "latin1 plain.txt": "teksten er ikke UTF-8 (den ligner Windows cp1252)",
        "prose.txt": "det er ikke et KKR-mødedokument: ",
        "locked.txt": "du har ikke lov til at læse filen",
    }
    good_files = {  # the start of each result line: "tilføjet" (added), "opdateret" (updated)
        "corrupt xref.pdf": "opdateret",
        "open lock.pdf": "tilføjet",
        "cp1252 dansk.txt": "tilføjet",
        "no section 2.txt": "opdateret",
        "Møde æøå 🎉.txt": "tilføjet",
        "no case line.txt": "tilføjet",
    }
    return bad, good_files


def test_every_bad_input_is_one_line_and_the_run_goes_on(
    tmp_path: Path,
    samples_dir: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    samples = sorted(samples_dir.glob("*.txt"))
    db = tmp_path / "kkr.db"
    assert main(["ingest", *map(str, samples), "--db", str(db)]) == 0
    folder = tmp_path / "in"
    bad, good = _matrix(folder, samples)
    missing = tmp_path / "does not exist.pdf"
    real_open = os.open

    def deny(name: Any, *args: Any, **kwargs: Any) -> int:
        if Path(name).name == "locked.txt":
            raise PermissionError(13, "Permission denied", str(name))
        return real_open(name, *args, **kwargs)

    monkeypatch.setattr(os, "open", deny)  # ingest and the readers open through os.open
    capsys.readouterr()
    assert main(["ingest", str(folder), str(missing), "--db", str(db)]) == 1
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err and err == ""
    lines = out.splitlines()
    assert f"FEJL {missing}: filen findes ikke" in lines
    for name, reason in bad.items():
        (line,) = [line for line in lines if line.startswith(f"FEJL {folder / name}: ")]
        assert line.removeprefix(f"FEJL {folder / name}: ").startswith(reason), line
    for name, status in good.items():
        (line,) = [line for line in lines if f"  {folder / name}" in line]
        assert line.startswith(status), line
        repaired = "advarsel: beskadiget PDF repareret (" in line
        assert repaired == (name == "corrupt xref.pdf"), line
    assert lines[-1] == f"tilføjet 4, opdateret 2, uændret 0, fejl {len(bad) + 1}"
    assert len(lines) == len(bad) + len(good) + 2
    with Store(db, read_only=True) as store:
        for sample in samples[2:]:
            assert store.find_document(file_sha256(sample)) is not None
        stored = store.find_document(file_sha256(folder / "no case line.txt"))
        assert stored is not None
        items = [i for s in store.sections(stored.meeting_id) for i in store.items(s.id)]
        assert any(i.case_number is None for i in items)


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root reads anything")
def test_unreadable_file_by_real_permissions(tmp_path: Path, samples_dir: Path, capsys) -> None:
    locked = tmp_path / "locked.txt"
    shutil.copy(sorted(samples_dir.glob("*.txt"))[0], locked)
    locked.chmod(0)
    try:
        assert main(["ingest", str(locked), "--db", str(tmp_path / "kkr.db")]) == 1
    finally:
        locked.chmod(0o600)
    assert f"FEJL {locked}: adgang nægtet" in capsys.readouterr().out


# -- a 1,000-page PDF ------------------------------------------------------------------


@pytest.fixture(scope="module")
def big_pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """1,000 pages made cheaply: three drawn pages, repeated by pypdf's writer."""
    from pypdf import PdfReader, PdfWriter

    folder = tmp_path_factory.mktemp("big")
    small = pdf_factory.build_meeting_pdf(folder / "small.pdf", list(pdf_factory.DANISH_PAGES))
    reader = PdfReader(small)
    writer = PdfWriter()
    for n in range(BIG_PAGES):
        writer.add_page(reader.pages[n % len(reader.pages)])
    target = folder / "big.pdf"
    writer.write(target)
    return target


def _rss_kb() -> int:
    with open("/proc/self/statm") as fh:
        return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") // 1024


@pytest.mark.skipif(not Path("/proc/self/statm").exists(), reason="needs /proc")
def test_thousand_pages_read_with_bounded_memory_and_steady_progress(big_pdf: Path) -> None:
    from kkr_tui.sources import read_document

    seen: list[int] = []
    rss: dict[int, int] = {}

    def progress(done: int, total: int) -> None:
        assert total == BIG_PAGES
        seen.append(done)
        if done in (100, BIG_PAGES):
            rss[done] = _rss_kb()

    doc = read_document(big_pdf, progress)
    assert seen == list(range(1, BIG_PAGES + 1))
    assert len(doc.pages) == BIG_PAGES
    growth_mb = (rss[BIG_PAGES] - rss[100]) / 1024
    assert growth_mb < 64, f"RSS grew {growth_mb:.1f} MB over 900 pages"


def test_ctrl_c_stops_a_thousand_page_pdf_mid_file(big_pdf: Path, tmp_path: Path) -> None:
    """Under a terminal the bar shows the page; one Ctrl+C ends the run within a moment."""
    db = tmp_path / "kkr.db"
    master, slave = pty.openpty()
    proc = kkr_ingest(big_pdf, db, cwd=tmp_path, stderr=slave)
    os.close(slave)
    shown = b""
    deadline = time.monotonic() + 30
    try:
        while b" s. 50/1000" not in shown and time.monotonic() < deadline:
            ready, _, _ = select.select([master], [], [], 1.0)
            if ready:
                shown += os.read(master, 65536)
        assert b" s. 50/1000" in shown, shown[-300:]
        proc.send_signal(signal.SIGINT)
        out, _ = proc.communicate(timeout=10)
    finally:
        if proc.poll() is None:
            proc.kill()
        os.close(master)
    assert proc.returncode == 130
    assert out.splitlines()[-1] == "tilføjet 0, opdateret 0, uændret 0, fejl 0 (afbrudt)"
    with Store(db, read_only=True) as store:
        assert store.is_empty()
