"""The ingest pipeline: discovery, skip-by-hash, bad input, cancellation, reparse, processes."""

from __future__ import annotations

import os
import shutil
import sys
import threading
from pathlib import Path

import pdf_factory
import pytest

from kkr_tui import ingest, ingest_reader
from kkr_tui.ingest import IngestEvent, discover, ingest_paths, meeting_label
from kkr_tui.store import Store

SAMPLE_LABELS = [
    "KKR Hovedstaden 18.06.2025 dagsorden",
    "KKR Hovedstaden 03.02.2025 referat",
    "KKR Hovedstaden 19.04.2021 dagsorden",
    "KKR Hovedstaden 25.03.2022 dagsorden",
    "KKR Midtjylland 18.06.2025 referat",
]


@pytest.fixture
def store(tmp_db: Path):
    tmp_db.parent.mkdir(parents=True, exist_ok=True)
    s = Store(tmp_db)
    yield s
    s.close()


def _stored_count(store: Store) -> int:
    return len(ingest.stored_documents(store))


def test_samples_are_added_then_unchanged(store: Store, samples_dir: Path) -> None:
    first = ingest_paths(store, [samples_dir])
    assert [r.status for r in first.results] == ["added"] * 5
    assert [r.label for r in first.results] == SAMPLE_LABELS
    assert first.line() == "tilføjet 5, opdateret 0, uændret 0, fejl 0"
    second = ingest_paths(store, [samples_dir])
    assert [r.status for r in second.results] == ["unchanged"] * 5
    assert [r.label for r in second.results] == SAMPLE_LABELS
    assert _stored_count(store) == 5


def test_unchanged_files_are_not_parsed_again(
    store: Store, samples_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ingest_paths(store, [samples_dir])

    def refuse(path: str) -> object:
        raise AssertionError(f"parsed {path} although its sha256 is stored")

    monkeypatch.setattr(ingest, "read_and_parse", refuse)
    summary = ingest_paths(store, [samples_dir])
    assert summary.count("unchanged") == 5


def test_progress_reports_start_and_result_of_every_file(store: Store, samples_dir: Path) -> None:
    events: list[IngestEvent] = []
    ingest_paths(store, [samples_dir], progress=events.append)
    pages = [e for e in events if e.page]
    assert pages and all(e.result is None and 1 <= e.page <= e.pages for e in pages)
    events = [e for e in events if not e.page]
    assert len(events) == 10
    assert all(e.total == 5 for e in events)
    starts = [e for e in events if e.result is None]
    results = [e for e in events if e.result is not None]
    assert [e.done for e in results] == [1, 2, 3, 4, 5]
    assert [e.path for e in starts] == [e.path for e in results]


def test_discovery_recurses_sorted_and_matches_suffix_in_any_case(tmp_path: Path) -> None:
    (tmp_path / "b" / "deeper").mkdir(parents=True)
    for name in ["b/deeper/z.PDF", "b/a.txt", "c.Txt", "notes.md", "b/image.png", "a.pdf"]:
        (tmp_path / name).write_bytes(b"x")
    files, failures = discover([tmp_path])
    assert failures == []
    assert [p.relative_to(tmp_path).as_posix() for p in files] == [
        "a.pdf",
        "c.Txt",
        "b/a.txt",
        "b/deeper/z.PDF",
    ]


def test_symlink_loops_do_not_hang_and_files_count_once(tmp_path: Path) -> None:
    root = tmp_path / "root"
    (root / "sub").mkdir(parents=True)
    (root / "sub" / "doc.txt").write_text("x")
    os.symlink(root, root / "sub" / "loop")
    os.symlink(root / "sub" / "doc.txt", root / "alias.txt")
    files, _ = discover([root, root / "sub" / "doc.txt"])
    assert len(files) == 1


def test_missing_path_is_a_failure_not_a_crash(store: Store, tmp_path: Path) -> None:
    summary = ingest_paths(store, [tmp_path / "nope.pdf"])
    (result,) = summary.results
    assert result.status == "failed"
    assert result.reason == "filen findes ikke"
    assert result.failure is not None and result.failure.cause == "not_found"


def _bad_inputs(folder: Path, sample: Path) -> dict[str, tuple[str, str]]:
    """Write every kind of bad input; map file name to its cause code and the expected
    start of its (Danish) reason."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "zero.pdf").write_bytes(b"")
    (folder / "zero.txt").write_bytes(b"")
    good = pdf_factory.build_pdf_from_text_file(folder / "good.pdf.tmp", sample)
    data = good.read_bytes()
    good.unlink()
    (folder / "truncated.pdf").write_bytes(data[: len(data) // 2])
    (folder / "letter.pdf").write_text("Kære borgmester, dette er ikke en PDF.\n")
    locked = folder / "locked.pdf"
    pdf_factory.build_meeting_pdf(locked, ["1. Sager\n1.1. Noget"], user_password="x")
    pdf_factory.build_textless_pdf(folder / "scan.pdf")
    (folder / "noise.pdf").write_bytes(pdf_factory.random_bytes(4000))
    (folder / "noise.txt").write_bytes(pdf_factory.random_bytes(4000, seed=2))
    (folder / "prose.txt").write_text("Hej.\nDette er et brev uden dagsorden.\n" * 20)
    return {
        "zero.pdf": ("empty", "filen er tom"),
        "zero.txt": ("empty", "filen er tom"),
        "truncated.pdf": ("truncated", "PDF-filen er afkortet"),
        "letter.pdf": ("not_pdf", "filen er ikke en PDF"),
        "locked.pdf": ("encrypted", "PDF-filen er beskyttet med en adgangskode"),
        "scan.pdf": ("scanned", "PDF-filen har intet tekstlag"),
        "noise.pdf": ("not_pdf", "filen er ikke en PDF"),
        "noise.txt": ("binary", "filen indeholder binære data"),
        "prose.txt": ("not_a_meeting", "det er ikke et KKR-mødedokument: "),
    }


def test_each_bad_input_fails_with_its_reason_and_the_run_goes_on(
    store: Store, samples_dir: Path, tmp_path: Path
) -> None:
    sample = sorted(samples_dir.glob("*.txt"))[0]
    ingest_paths(store, [sample])
    bad = tmp_path / "bad"
    expected = _bad_inputs(bad, sample)
    good = bad / "zz_good.txt"
    shutil.copy(sorted(samples_dir.glob("*.txt"))[1], good)
    summary = ingest_paths(store, [bad])
    outcome = {Path(r.path).name: r for r in summary.results}
    assert set(outcome) == set(expected) | {"zz_good.txt"}
    for name, (cause, reason) in expected.items():
        result = outcome[name]
        assert result.status == "failed", name
        assert result.failure is not None and result.failure.cause == cause, (name, result)
        assert result.reason.startswith(reason) and result.reason, (name, result.reason)
        assert "Traceback" not in result.reason and "\n" not in result.reason
        assert result.detail == "", f"{name} fell through to an unexpected error"
    assert outcome["zz_good.txt"].status == "added"
    assert _stored_count(store) == 2


def test_unexpected_parser_error_is_one_failure_with_traceback_detail(
    store: Store, samples_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import kkr_tui.parser

    def explode(doc: object) -> object:
        raise RuntimeError("boom")

    monkeypatch.setattr(kkr_tui.parser, "parse", explode)
    summary = ingest_paths(store, [samples_dir])
    assert summary.failed == 5
    assert summary.results[0].reason == "en uventet fejl stoppede læsningen"
    failure = summary.results[0].failure
    assert failure is not None and failure.detail == "RuntimeError: boom"
    assert "Traceback" in summary.results[0].detail


def test_a_store_error_fails_that_file_only(
    store: Store, samples_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = store.save_document
    calls = []

    def flaky(meeting, **kwargs):  # type: ignore[no-untyped-def]
        calls.append(kwargs["path"])
        if len(calls) == 2:
            raise OSError("disk full")
        return real(meeting, **kwargs)

    monkeypatch.setattr(store, "save_document", flaky)
    summary = ingest_paths(store, [samples_dir])
    assert [r.status for r in summary.results] == ["added", "failed", "added", "added", "added"]
    assert summary.results[1].reason == "kunne ikke gemmes i databasen: disk full"
    assert _stored_count(store) == 4


def test_cancel_stops_before_the_next_file(store: Store, samples_dir: Path) -> None:
    cancel = threading.Event()

    def stop_after_first(event: IngestEvent) -> None:
        if event.result is not None:
            cancel.set()

    summary = ingest_paths(store, [samples_dir], progress=stop_after_first, cancel=cancel)
    assert summary.cancelled
    assert [r.status for r in summary.results] == ["added"]
    assert _stored_count(store) == 1


def test_reparse_rereads_documents_of_an_older_parser(
    store: Store, samples_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import kkr_tui.parser

    ingest_paths(store, [samples_dir])
    monkeypatch.setattr(kkr_tui.parser, "PARSER_VERSION", "999.0.0")
    assert ingest_paths(store, [samples_dir]).count("unchanged") == 5
    summary = ingest_paths(store, [samples_dir], reparse=True)
    assert [r.status for r in summary.results] == ["updated"] * 5
    versions = {version for _, version in ingest.stored_documents(store)}
    assert versions == {"999.0.0"}
    assert ingest_paths(store, [samples_dir], reparse=True).count("unchanged") == 5


def test_stale_paths_lists_stored_files_that_still_exist(
    store: Store, samples_dir: Path, tmp_path: Path
) -> None:
    copies = tmp_path / "copies"
    shutil.copytree(samples_dir, copies)
    ingest_paths(store, [copies])
    victim = sorted(copies.glob("*.txt"))[0]
    victim.unlink()
    existing, missing = ingest.stale_paths(store)
    assert missing == 1
    assert len(existing) == 4
    assert str(victim.resolve()) not in existing


def test_process_pool_gives_the_same_results_in_input_order(
    tmp_path: Path, samples_dir: Path
) -> None:
    outcomes = []
    for jobs in (1, 2):
        with Store(tmp_path / f"jobs{jobs}.db") as store:
            summary = ingest_paths(store, [samples_dir], jobs=jobs)
            outcomes.append([(Path(r.path).name, r.status, r.label) for r in summary.results])
    assert outcomes[0] == outcomes[1]
    assert [label for _, _, label in outcomes[1]] == SAMPLE_LABELS


def test_process_pool_reports_bad_files_too(store: Store, tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("no meeting here\n")
    (tmp_path / "b.pdf").write_bytes(b"")
    summary = ingest_paths(store, [tmp_path], jobs=2)
    assert [r.status for r in summary.results] == ["failed", "failed"]
    assert summary.results[0].reason.startswith("det er ikke et KKR-mødedokument")


@pytest.mark.parametrize(
    ("council", "date", "doc_type", "label"),
    [
        ("KKR Sjælland", "2024-01-09", "minutes", "KKR Sjælland 09.01.2024 referat"),
        (None, None, "agenda", "ukendt råd ? dagsorden"),
    ],
)
def test_meeting_label(council: str | None, date: str | None, doc_type: str, label: str) -> None:
    assert meeting_label(council, date, doc_type) == label


def test_index_is_tidied_after_a_run_that_stored_something(
    store: Store, samples_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    budgets: list[float] = []
    monkeypatch.setattr(store, "tidy_index", lambda budget: budgets.append(budget) or True)
    ingest_paths(store, [samples_dir])
    assert len(budgets) == 1 and budgets[0] >= ingest.TIDY_MIN_S
    ingest_paths(store, [samples_dir])  # all unchanged: nothing to tidy
    assert len(budgets) == 1


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="fork is chosen on Linux only")
def test_workers_are_forked_only_while_this_process_has_one_thread(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    with monkeypatch.context() as m:
        m.setattr(ingest_reader.threading, "active_count", lambda: 1)
        assert ingest_reader.pool_start_method() == "fork"
        m.setattr(ingest_reader.threading, "active_count", lambda: 2)
        assert ingest_reader.pool_start_method() in {"forkserver", "spawn"}
    release = threading.Event()
    other = threading.Thread(target=release.wait)
    other.start()
    try:
        assert ingest_reader.pool_start_method() in {"forkserver", "spawn"}
    finally:
        release.set()
        other.join()


def test_process_pool_started_from_a_thread_gives_the_same_results(
    tmp_path: Path, samples_dir: Path
) -> None:
    """The app ingests from a worker thread: its pool must not fork a threaded process."""
    with Store(tmp_path / "jobs1.db") as store:
        expected = [(r.path, r.status, r.label) for r in ingest_paths(store, [samples_dir]).results]
    outcome: dict[str, object] = {}

    def run() -> None:
        outcome["method"] = ingest_reader.pool_start_method()
        with Store(tmp_path / "thread.db") as store:
            summary = ingest_paths(store, [samples_dir], jobs=2)
            outcome["results"] = [(r.path, r.status, r.label) for r in summary.results]

    worker = threading.Thread(target=run)
    worker.start()
    worker.join()
    assert outcome["method"] != "fork"
    assert outcome["results"] == expected


def test_a_cancelled_run_abandons_the_files_its_workers_are_reading(
    store: Store, tmp_path: Path, samples_dir: Path
) -> None:
    """Ctrl+C must not wait for a worker to finish a long PDF, nor store half of one."""
    sample = sorted(samples_dir.glob("*.txt"))[0]
    long_files = [
        pdf_factory.build_pdf_from_text_file(tmp_path / f"long-{k}.pdf", sample, repeat=4)
        for k in range(2)
    ]
    short = pdf_factory.build_pdf_from_text_file(tmp_path / "short.pdf", sample)
    cancel = threading.Event()

    def cancel_once_this_process_reads(event: IngestEvent) -> None:
        if event.page:
            cancel.set()

    summary = ingest_paths(
        store, [*long_files, short], progress=cancel_once_this_process_reads, cancel=cancel, jobs=2
    )
    assert summary.cancelled
    assert summary.results == []
    assert _stored_count(store) == 0


def _die_on_killer(path: str, on_page: object, page_seconds: float) -> ingest.ParsedFile:
    """A reading child that dies mid-file on ``killer*`` files, as an OOM kill would."""
    if "killer" in Path(path).name:
        os._exit(9)
    return ingest.read_and_parse(path)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="needs forked workers")
def test_a_worker_that_dies_fails_only_its_file_and_the_run_goes_on(
    store: Store, tmp_path: Path, samples_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Forked workers inherit the patch below (whatever threads other tests left behind).
    monkeypatch.setattr(ingest_reader, "pool_start_method", lambda: "fork")
    monkeypatch.setattr(ingest_reader, "read_in_worker", _die_on_killer)
    folder = tmp_path / "docs"
    folder.mkdir()
    samples = sorted(samples_dir.glob("*.txt"))
    for k, sample in enumerate(samples):
        shutil.copy(sample, folder / f"{k}-{sample.name}")
    # First in the run, so it and the next file certainly go to the worker (the first
    # files fill the pool before this process reads any itself).
    killer = folder / "0-killer.txt"
    killer.write_text(samples[0].read_text(encoding="utf-8") + "\nx\n", encoding="utf-8")
    summary = ingest_paths(store, [folder], jobs=2)
    by_name = {Path(r.path).name: r for r in summary.results}
    assert by_name[killer.name].status == "failed"
    assert by_name[killer.name].failure == ingest_reader.WORKER_DIED
    assert by_name[killer.name].reason.startswith("processen, der læste filen, stoppede uventet")
    assert sorted(r.status for n, r in by_name.items() if n != killer.name) == ["added"] * 5
    assert not summary.cancelled
    assert _stored_count(store) == 5
