"""Reading a PDF has a budget, whatever the PDF: memory, time per page, time per file.

PDFs are read in a child process (``kkr_tui.ingest_reader``) with an address-space
limit, a timer per page and a deadline per file; a cancelled run kills it at once and it
dies with its parent. Hostile pages are built small (``tests/pdf_factory.py``): a page
pypdf reads for about 10 s, a page that decodes to 70 MB. Budgets here are set far from
what the good pages need and far from what the hostile ones take, so no outcome turns
on the machine's speed; the thread join and the process waits below are bounds against
a hang, not measurements.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from pdf_factory import (
    DANISH_PAGES,
    MEMORY_HOG,
    SLOW_PAGE,
    build_meeting_pdf,
    with_page_content,
    with_pages_content,
)
from reliability_corpus import kkr_command

from kkr_tui.ingest import IngestEvent, IngestSummary, ingest_paths
from kkr_tui.ingest_reader import ReadBudget
from kkr_tui.model import FileFailure
from kkr_tui.store import Store

HANG_GUARD_S = 60


def _ingest(db: Path, paths: list[Path], **kwargs: object) -> IngestSummary:
    with Store(db) as store:
        return ingest_paths(store, paths, **kwargs)  # type: ignore[arg-type]


def test_a_page_over_its_time_is_a_failed_page_and_the_rest_is_stored(
    tmp_path: Path, good_pdf: Path
) -> None:
    slow = with_page_content(good_pdf, tmp_path / "slow.pdf", 1, SLOW_PAGE, compress=True)
    summary = _ingest(tmp_path / "kkr.db", [slow], budget=ReadBudget(page_seconds=1))
    (result,) = summary.results
    assert result.status == "added"
    assert [(w.page, w.reason) for w in result.page_warnings] == [(2, "tog længere end 1 s")]


def test_a_page_over_its_memory_is_a_failed_page_and_the_rest_is_stored(
    tmp_path: Path, good_pdf: Path
) -> None:
    hog = with_page_content(good_pdf, tmp_path / "hog.pdf", 1, MEMORY_HOG, compress=True)
    budget = ReadBudget(memory_bytes=64 * 1024 * 1024)
    (result,) = _ingest(tmp_path / "kkr.db", [hog], budget=budget).results
    assert result.status == "added"
    assert [(w.page, w.reason) for w in result.page_warnings] == [
        (2, "kræver mere hukommelse, end en side må bruge")
    ]
    (plenty,) = _ingest(tmp_path / "again.db", [hog]).results
    assert (plenty.status, plenty.page_warnings) == ("added", ())


def test_a_file_over_its_time_fails_in_one_line_and_the_run_goes_on(
    tmp_path: Path, good_pdf: Path, samples_dir: Path
) -> None:
    slow = with_pages_content(good_pdf, tmp_path / "slow.pdf", SLOW_PAGE, [1, 2])
    sample = sorted(samples_dir.glob("*.txt"))[0]
    budget = ReadBudget(document_seconds=1)
    summary = _ingest(tmp_path / "kkr.db", [slow, sample], budget=budget)
    assert [(r.status, r.reason) for r in summary.results] == [
        ("failed", "læsningen af filen tog længere end 1 s og blev stoppet"),
        ("added", ""),
    ]
    assert summary.results[0].failure == FileFailure("timeout", (("seconds", 1),))


@pytest.mark.parametrize("jobs", [1, 2])
def test_cancel_kills_the_reader_mid_page(tmp_path: Path, good_pdf: Path, jobs: int) -> None:
    """Pages 2-20 take ~10 s each: only killing the reader ends the run in time."""
    endless = _many_slow_pages(tmp_path)
    cancel = threading.Event()
    outcome: list[IngestSummary] = []

    def cancel_at_first_page(event: IngestEvent) -> None:
        if event.page:
            cancel.set()

    def run() -> None:
        files = [endless, good_pdf] if jobs > 1 else [endless]
        outcome.append(
            _ingest(tmp_path / "kkr.db", files, progress=cancel_at_first_page, cancel=cancel)
        )

    worker = threading.Thread(target=run, daemon=True)
    worker.start()
    worker.join(HANG_GUARD_S)
    assert not worker.is_alive(), "the run waited for the page instead of killing its reader"
    (summary,) = outcome
    assert summary.cancelled and summary.results == []


def _many_slow_pages(tmp_path: Path) -> Path:
    pages = list(DANISH_PAGES) * 7
    base = build_meeting_pdf(tmp_path / "base21.pdf", pages)
    return with_pages_content(base, tmp_path / "endless21.pdf", SLOW_PAGE, range(1, 21))


def _children(pid: int) -> list[int]:
    try:
        text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    except OSError:
        return []
    return [int(p) for p in text.split()]


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state not in ("Z", "X")


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_readers_die_with_a_sigkilled_parent(tmp_path: Path, good_pdf: Path) -> None:
    endless = _many_slow_pages(tmp_path)
    second = tmp_path / "endless-2.pdf"
    second.write_bytes(endless.read_bytes() + b"\n")
    db = tmp_path / "kkr.db"
    proc = kkr_command(
        "ingest",
        str(endless),
        str(second),
        "--jobs",
        "2",
        "--db",
        str(db),
        cwd=tmp_path,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        readers: list[int] = []
        for _ in range(HANG_GUARD_S * 10):
            readers = [p for p in _children(proc.pid) if _alive(p)]
            if len(readers) >= 2:
                break
            threading.Event().wait(0.1)
        assert len(readers) >= 2, "the run never started its readers"
    finally:
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
    for _ in range(HANG_GUARD_S * 10):
        if not any(_alive(p) for p in readers):
            break
        threading.Event().wait(0.1)
    assert not any(_alive(p) for p in readers), "readers outlived their parent"


def test_the_app_reading_from_a_thread_gets_the_same_budgeted_reader(
    tmp_path: Path, good_pdf: Path
) -> None:
    """The app ingests from a worker thread, where forking is unsafe: its PDFs are read
    by children of a forkserver, with the same budget and the same page warnings."""
    slow = with_page_content(good_pdf, tmp_path / "slow.pdf", 1, SLOW_PAGE, compress=True)
    outcome: list[IngestSummary] = []

    def run() -> None:
        outcome.append(_ingest(tmp_path / "kkr.db", [slow], budget=ReadBudget(page_seconds=1)))

    worker = threading.Thread(target=run, daemon=True)
    worker.start()
    worker.join(HANG_GUARD_S)
    (summary,) = outcome
    (result,) = summary.results
    assert result.status == "added"
    assert [(w.page, w.reason) for w in result.page_warnings] == [(2, "tog længere end 1 s")]


def test_no_process_to_be_had_fails_the_file_in_one_line(
    tmp_path: Path, good_pdf: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from multiprocessing.process import BaseProcess

    def refuse(self: BaseProcess) -> None:
        raise BlockingIOError(11, "Resource temporarily unavailable")

    monkeypatch.setattr(BaseProcess, "start", refuse)
    (result,) = _ingest(tmp_path / "kkr.db", [good_pdf]).results
    assert result.status == "failed"
    assert result.reason == "der kunne ikke startes en proces til at læse filen"
    assert result.failure is not None and result.failure.detail.startswith("[Errno 11]")
