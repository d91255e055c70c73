"""Files in, meetings stored: the one ingest pipeline the CLI and the app share.

Reading and parsing are pure and slow (pypdf is 7-40 ms a page), storing is fast
and must happen on one writer, one document per transaction. So this module finds
the files, skips the ones whose sha256 is already stored *before* parsing them (a
re-run over an unchanged folder costs only hashing), optionally fans read+parse out
to a process pool, and stores the results in input order on the calling thread.

Nothing here prints or imports a UI: progress goes to a callback, cancellation comes
in through a :class:`threading.Event`, and every per-file failure becomes a result
with a human reason instead of an exception, so one bad file never stops a run.
"""

from __future__ import annotations

import hashlib
import os
import re
import sys
import threading
import time
import traceback
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future
from contextlib import suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from concurrent.futures import ProcessPoolExecutor
    from multiprocessing.context import BaseContext
    from multiprocessing.synchronize import Event as ProcessEvent

    from kkr_tui.model import Meeting
    from kkr_tui.records import DocumentRow
    from kkr_tui.store import Store

DOC_TYPE_WORDS = {"agenda": "dagsorden", "minutes": "referat"}

Status = Literal["added", "updated", "unchanged", "failed"]


@dataclass(frozen=True, slots=True)
class IngestResult:
    """What happened to one file. ``label`` names the meeting, ``detail`` holds a traceback."""

    path: str
    status: Status
    reason: str = ""
    label: str = ""
    detail: str = ""


@dataclass(frozen=True, slots=True)
class IngestEvent:
    """Progress: ``result`` is None when work on ``path`` starts, else its outcome.

    While a file is read, events with ``page`` of ``pages`` (and no result) follow, so a
    1,000-page PDF shows movement instead of a frozen bar.
    """

    done: int
    total: int
    path: str
    result: IngestResult | None = None
    page: int = 0
    pages: int = 0


class IngestCancelled(Exception):
    """Raised from a page callback when the run is cancelled mid-file; never stored."""


#: After a run that stored something, merge full-text index segments for this share of
#: the run's time (at least TIDY_MIN_S): cheap, and the index never drifts far from
#: fully merged (see ``Store.tidy_index``).
TIDY_SHARE = 0.1
TIDY_MIN_S = 0.5


@dataclass(slots=True)
class IngestSummary:
    """All results of a run, in input order, and whether it was cancelled."""

    results: list[IngestResult] = field(default_factory=list)
    cancelled: bool = False

    def count(self, status: Status) -> int:
        """How many files ended with ``status``."""
        return sum(1 for r in self.results if r.status == status)

    @property
    def failed(self) -> int:
        """Failed files; the CLI exits 1 when this is non-zero."""
        return self.count("failed")

    def line(self) -> str:
        """The summary line, e.g. ``added 2, updated 0, unchanged 1, failed 0``."""
        return ", ".join(
            f"{status} {self.count(status)}"
            for status in ("added", "updated", "unchanged", "failed")
        )


@dataclass(frozen=True, slots=True)
class _Parsed:
    """A worker's answer: a meeting, or a reason (and traceback) why there is none."""

    meeting: Meeting | None
    reason: str = ""
    detail: str = ""


def meeting_label(council: str | None, meeting_date: str | None, doc_type: str) -> str:
    """``KKR Hovedstaden 18.06.2025 dagsorden``: how result lines name a document."""
    date = meeting_date or "?"
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", date):
        y, m, d = date.split("-")
        date = f"{d}.{m}.{y}"
    return f"{council or 'unknown council'} {date} {DOC_TYPE_WORDS.get(doc_type, doc_type)}"


def discover(paths: Iterable[str | os.PathLike[str]]) -> tuple[list[Path], list[IngestResult]]:
    """Expand files and folders into the document files to ingest, plus failures.

    Folders are walked recursively, following symlinks but never entering a real
    directory twice, so a link loop cannot hang the walk. Files given by name are
    taken whatever their suffix (the reader then says why it cannot read them); inside
    folders only ``.pdf`` and ``.txt`` (any case) count. Each real file appears once.
    """
    files: list[Path] = []
    failures: list[IngestResult] = []
    seen: set[str] = set()

    def add(p: Path) -> None:
        real = os.path.realpath(p)
        if real not in seen:
            seen.add(real)
            files.append(p)

    for raw in paths:
        p = Path(raw)
        if p.is_dir():
            for found in _walk(p):
                add(found)
        elif p.exists() or p.is_symlink():
            add(p)
        else:
            failures.append(IngestResult(str(p), "failed", "no such file or directory"))
    return files, failures


def _walk(root: Path) -> Iterator[Path]:
    from kkr_tui.sources import is_supported

    visited: set[str] = set()
    for dirpath, dirnames, filenames in os.walk(root, followlinks=True):
        real = os.path.realpath(dirpath)
        if real in visited:
            dirnames[:] = []
            continue
        visited.add(real)
        dirnames.sort()
        for name in sorted(filenames):
            if is_supported(name):
                yield Path(dirpath, name)


def file_sha256(path: Path) -> str:
    """The file's sha256: identity of a stored document, checked before any parsing."""
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def read_and_parse(path: str, on_page: Callable[[int, int], None] | None = None) -> _Parsed:
    """Read and parse one file; every failure becomes a reason (runs in pool workers too).

    ``on_page(done, total)`` is called per page read; it may raise
    :class:`IngestCancelled`, which is the one exception passed through.
    """
    from kkr_tui.model import NotAMeetingError
    from kkr_tui.parser import parse
    from kkr_tui.sources import UnreadableDocumentError, read_document

    try:
        return _Parsed(parse(read_document(path, on_page)))
    except IngestCancelled:
        raise
    except UnreadableDocumentError as error:
        return _Parsed(None, error.reason or "unreadable document")
    except NotAMeetingError as error:
        return _Parsed(None, f"not a KKR meeting document: {error}")
    except MemoryError:
        return _Parsed(None, "out of memory while reading", traceback.format_exc())
    except Exception as error:  # noqa: BLE001 - one bad file must never stop a run
        return _Parsed(
            None, f"unexpected error: {type(error).__name__}: {error}", traceback.format_exc()
        )


def version_key(version: str) -> tuple[int, ...]:
    """Order parser versions by their numbers ("1.10" > "1.9"); no numbers sorts first."""
    return tuple(int(n) for n in re.findall(r"\d+", version))


#: Modules a pool worker needs loaded before its first file: imported in this process
#: before forking, or by the forkserver once, so each worker is not paying ~0.5 s for
#: pypdf and the parser itself. ``kkr_tui.cli`` is here because Python 3.11's
#: forkserver never preloads ``__main__`` (CPython gh-126631, fixed in 3.13): every
#: worker re-runs the main script, and for the ``kkr-tui`` script that is one import
#: of ``kkr_tui.cli``, cheap once the forkserver holds it.
WORKER_PRELOAD = [
    "kkr_tui.ingest",
    "kkr_tui.parser",
    "kkr_tui.sources",
    "kkr_tui.sources.fontcache",
    "pypdf",
    "kkr_tui.cli",
]


def pool_start_method() -> str:
    """How pool workers start: ``fork`` when that is safe here, else ``forkserver``.

    ``fork`` gives a worker everything this process has imported in a few
    milliseconds. It is safe only on Linux (macOS frameworks break in forked
    children) and only when this process runs a single thread: the app ingests
    from a worker thread, and a thread holding a lock at the fork would leave it
    locked forever in the child. Then ``forkserver`` (or ``spawn`` where there is
    none), whose workers start from a clean single-threaded server. Measured on the
    ingest bench: a forkserver worker took 150-200 ms to take its first file, most
    of it re-running the main script (see :data:`WORKER_PRELOAD`); a forked one
    7-19 ms.
    """
    import multiprocessing

    methods = multiprocessing.get_all_start_methods()
    if sys.platform.startswith("linux") and "fork" in methods and threading.active_count() == 1:
        return "fork"
    return "forkserver" if "forkserver" in methods else "spawn"


def _pool_context(method: str) -> BaseContext:
    """The multiprocessing context for ``method``, with the worker modules loaded."""
    import importlib
    import multiprocessing

    context = multiprocessing.get_context(method)
    if method == "fork":
        for name in WORKER_PRELOAD:
            importlib.import_module(name)
    elif method == "forkserver":
        context.set_forkserver_preload(WORKER_PRELOAD)
    return context


#: Set in a pool worker by :func:`_init_worker`: the run's stop flag, shared with the
#: process that stores.
_worker_stop: ProcessEvent | None = None


def _init_worker(stop: ProcessEvent) -> None:
    """Pool worker set-up: Ctrl+C is the storing process's to handle; keep its stop flag."""
    import signal

    global _worker_stop
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _worker_stop = stop


def _stop_between_pages(done: int, total: int) -> None:
    if _worker_stop is not None and _worker_stop.is_set():
        raise IngestCancelled()


def read_in_worker(path: str) -> _Parsed:
    """:func:`read_and_parse` in a pool worker, abandoning the file at its next page
    once the run is cancelled, as a one-process run does (nothing of it is stored)."""
    return read_and_parse(path, _stop_between_pages)


class _Runner:
    """One ingest run: the state shared by the sequential and the pooled paths."""

    def __init__(
        self,
        store: Store,
        total: int,
        progress: Callable[[IngestEvent], None] | None,
        reparse: bool,
        named: frozenset[str] = frozenset(),
    ) -> None:
        from kkr_tui.parser import PARSER_VERSION

        self.store = store
        self.total = total
        self.progress = progress
        self.reparse = reparse
        self.named = named
        self.parser_version = PARSER_VERSION
        self.summary = IngestSummary()
        self._labels: dict[tuple[int, str], str] = {}

    def emit(self, path: str, result: IngestResult | None = None) -> None:
        if result is not None:
            self.summary.results.append(result)
        if self.progress is not None:
            self.progress(IngestEvent(len(self.summary.results), self.total, path, result))

    def page_callback(self, path: str, cancel: threading.Event) -> Callable[[int, int], None]:
        """Per-page progress for ``path`` that stops the read as soon as ``cancel`` is set."""

        def on_page(page: int, pages: int) -> None:
            if cancel.is_set():
                raise IngestCancelled(path)
            if self.progress is not None:
                done = len(self.summary.results)
                self.progress(IngestEvent(done, self.total, path, None, page, pages))

        return on_page

    def check(self, path: Path) -> tuple[str, IngestResult | None]:
        """Hash ``path``; return its sha256 and a final result if it needs no parsing."""
        try:
            sha = file_sha256(path)
        except OSError as error:
            from kkr_tui.sources.errors import os_error_reason

            return "", IngestResult(str(path), "failed", os_error_reason(error))
        row = self.store.find_document(sha)
        if row is None:
            return sha, self._superseded(path, sha)
        stale = version_key(row.parser_version or "") < version_key(self.parser_version)
        if self.reparse and stale:
            return sha, None
        return sha, IngestResult(str(path), "unchanged", label=self._stored_label(row))

    def _superseded(self, path: Path, sha: str) -> IngestResult | None:
        """``unchanged`` for a file found in a folder whose document another file
        replaced since (two versions of one agenda side by side): re-runs then settle
        on the stored version instead of swapping the two at every run. A file named
        on its own is always read: naming it asks for that version."""
        real = os.path.realpath(path)
        if real in self.named:
            return None
        row = self.store.superseding_document(sha, str(path.resolve()))
        if row is None:
            return None
        reason = f"the stored version is {row.path}"
        return IngestResult(str(path), "unchanged", reason, self._stored_label(row))

    def _stored_label(self, row: DocumentRow) -> str:
        key = (row.meeting_id, row.doc_type)
        if key not in self._labels:
            try:
                detail = self.store.meeting(row.meeting_id)
                label = meeting_label(detail.council, detail.meeting_date, row.doc_type)
            except Exception:  # noqa: BLE001 - a label is cosmetic; never fail a run on it
                label = ""
            self._labels[key] = label
        return self._labels[key]

    def _save(self, meeting: Meeting, path: str, sha: str) -> Status:
        return self.store.save_document(
            meeting, path=path, sha256=sha, parser_version=self.parser_version, reparse=self.reparse
        )

    def store_parsed(self, path: Path, sha: str, parsed: _Parsed) -> IngestResult:
        """Write one parsed document in its own transaction (the store guarantees that)."""
        meeting = parsed.meeting
        if meeting is None:
            return IngestResult(str(path), "failed", parsed.reason, detail=parsed.detail)
        label = meeting_label(meeting.council, meeting.meeting_date, meeting.doc_type)
        try:
            status = self._save(meeting, str(path.resolve()), sha)
        except Exception as error:  # noqa: BLE001 - reported per file, the run goes on
            return IngestResult(
                str(path),
                "failed",
                f"could not store: {type(error).__name__}: {error}",
                label,
                traceback.format_exc(),
            )
        return IngestResult(str(path), status, label=label)


def ingest_paths(
    store: Store,
    paths: Iterable[str | os.PathLike[str]],
    *,
    progress: Callable[[IngestEvent], None] | None = None,
    cancel: threading.Event | None = None,
    reparse: bool = False,
    jobs: int = 1,
) -> IngestSummary:
    """Ingest files and folders into ``store``; never raises for a bad file.

    ``reparse`` re-reads files whose stored parser version is older than the current
    one. ``jobs`` > 1 reads and parses in that many processes while this thread stays
    the only writer. When ``cancel`` is set, no new file is started and every file
    being read, here or in a worker, is abandoned at its next page (nothing of it is
    stored; a file already parsed is stored whole). The summary then says
    ``cancelled``.
    """
    started = time.monotonic()
    paths = list(paths)
    files, failures = discover(paths)
    named = frozenset(os.path.realpath(p) for p in paths if os.path.isfile(p))
    runner = _Runner(store, len(files) + len(failures), progress, reparse, named)
    for failure in failures:
        runner.emit(failure.path, failure)
    cancel = cancel or threading.Event()
    try:
        if jobs > 1 and len(files) > 1:
            _run_pooled(runner, files, cancel, jobs)
        else:
            _run_sequential(runner, files, cancel)
    finally:
        _settle_terms(store)
    runner.summary.cancelled = cancel.is_set()
    wrote = runner.summary.count("added") + runner.summary.count("updated")
    if wrote and not runner.summary.cancelled:
        store.tidy_index(max(TIDY_MIN_S, TIDY_SHARE * (time.monotonic() - started)))
    return runner.summary


def _settle_terms(store: Store) -> None:
    """Fold the run's term counts into the search vocabulary's table once, at the end
    (cheaper than per document). If the store is busy they stay pending: readers add
    them in and the next write settles them, so nothing is lost."""
    from kkr_tui.store.errors import StoreError

    with suppress(StoreError):
        store.settle_terms()


def _run_sequential(runner: _Runner, files: list[Path], cancel: threading.Event) -> None:
    for path in files:
        if cancel.is_set():
            return
        runner.emit(str(path))
        sha, done = runner.check(path)
        if done is None:
            try:
                parsed = read_and_parse(str(path), runner.page_callback(str(path), cancel))
            except IngestCancelled:
                return
            done = runner.store_parsed(path, sha, parsed)
        runner.emit(str(path), done)


@dataclass(slots=True)
class _Slot:
    """A file in the pooled run's window: checked, then parsed here or in a worker."""

    path: Path
    sha: str
    done: IngestResult | None
    future: Future[_Parsed] | None = None
    parsed: _Parsed | None = None


def _run_pooled(runner: _Runner, files: list[Path], cancel: threading.Event, jobs: int) -> None:
    """Read and parse in ``jobs - 1`` worker processes and in this one; store here, in order.

    This process counts as one of the ``jobs``: whenever the oldest file is still in a
    worker, it reads the next file itself instead of waiting. ``jobs`` processes then
    keep ``jobs`` cores busy (``jobs`` workers plus a writer would put three processes
    on two cores), and the first file is under way while the pool is still starting.
    """
    pool = _Pool(jobs - 1)
    workers = jobs - 1
    window: deque[_Slot] = deque()
    pending = iter(files)

    def take() -> _Slot | None:
        path = next(pending, None)
        if path is None:
            return None
        runner.emit(str(path))
        sha, done = runner.check(path)
        return _Slot(path, sha, done)

    def in_workers() -> int:
        return sum(
            1 for s in window if s.future is not None and (not s.future.done() or _lost(s.future))
        )

    try:
        while True:
            while not cancel.is_set() and in_workers() < workers * 2:
                slot = take()
                if slot is None:
                    break
                if slot.done is None:
                    slot.future = pool.submit(slot.path)
                window.append(slot)
            head = window[0] if window else None
            busy = head is not None and head.future is not None and not head.future.done()
            if (head is None or busy) and not cancel.is_set():
                slot = take()
                if slot is not None:
                    if slot.done is None:
                        path = str(slot.path)
                        try:
                            slot.parsed = read_and_parse(path, runner.page_callback(path, cancel))
                        except IngestCancelled:
                            continue
                    window.append(slot)
                    continue
            if head is None:
                return
            window.popleft()
            parsed = head.parsed
            if head.future is not None:
                parsed = pool.answer(head, window, cancel)
                if parsed is None:
                    continue
            done = head.done
            if parsed is not None:
                done = runner.store_parsed(head.path, head.sha, parsed)
            runner.emit(str(head.path), done)
    finally:
        pool.close()


#: Why a file is failed when the process reading it died (twice, the second time alone).
WORKER_DIED = "the process reading it stopped unexpectedly (out of memory, or killed)"


class _Pool:
    """A pooled run's worker processes, started again if one of them dies.

    A worker killed mid-file (the kernel's out-of-memory killer picks the biggest
    process, which is a worker reading a huge or hostile PDF) breaks the whole
    executor: every file in it fails with ``BrokenProcessPool``, and which one caused
    it is not known. The file at the head is then read again alone in a fresh pool
    (failed with :data:`WORKER_DIED` if that dies too), and the others are handed
    to the fresh pool again, so one bad file costs only itself.
    """

    def __init__(self, workers: int) -> None:
        self.context = _pool_context(pool_start_method())
        self.workers = workers
        self.stop = self.context.Event()
        self.executor = self._start()

    def _start(self) -> ProcessPoolExecutor:
        from concurrent.futures import ProcessPoolExecutor

        return ProcessPoolExecutor(
            self.workers, mp_context=self.context, initializer=_init_worker, initargs=(self.stop,)
        )

    def submit(self, path: Path) -> Future[_Parsed]:
        """Read and parse ``path`` in a worker. On a pool that broke meanwhile the
        future comes back already failed; :meth:`answer` hands it out again."""
        from concurrent.futures.process import BrokenProcessPool

        try:
            return self.executor.submit(read_in_worker, str(path))
        except BrokenProcessPool as error:
            lost: Future[_Parsed] = Future()
            lost.set_exception(error)
            return lost

    def answer(self, head: _Slot, window: deque[_Slot], cancel: threading.Event) -> _Parsed | None:
        """``head``'s parse from its worker (None if cancelled), surviving a dead worker."""
        from concurrent.futures.process import BrokenProcessPool

        assert head.future is not None
        try:
            return _answer(head.future, cancel, self.stop)
        except BrokenProcessPool:
            if cancel.is_set():
                return None
        self._restart()
        try:
            parsed = _answer(self.submit(head.path), cancel, self.stop)
        except BrokenProcessPool:
            self._restart()
            parsed = _Parsed(None, WORKER_DIED)
        for slot in window:
            if slot.future is not None and _lost(slot.future):
                slot.future = self.submit(slot.path)
        return parsed

    def _restart(self) -> None:
        self.executor.shutdown(wait=True, cancel_futures=True)
        self.executor = self._start()

    def close(self) -> None:
        """Stop the workers without waiting for files still in them."""
        self.executor.shutdown(wait=False, cancel_futures=True)


def _lost(future: Future[_Parsed]) -> bool:
    """True for a future that a broken pool failed or cancelled (its file was not read)."""
    from concurrent.futures.process import BrokenProcessPool

    return future.cancelled() or isinstance(future.exception(), BrokenProcessPool)


#: How often a run waiting for a worker looks whether it was cancelled meanwhile.
CANCEL_POLL_S = 0.1


def _answer(future: Future[_Parsed], cancel: threading.Event, stop: ProcessEvent) -> _Parsed | None:
    """A worker's answer, or None once the run is cancelled before it is complete.

    Waits in short slices so a cancel that comes meanwhile (Ctrl+C, the app's
    button) reaches the workers through ``stop`` within ``CANCEL_POLL_S``.
    """
    while True:
        if cancel.is_set():
            stop.set()
            if future.cancel():
                return None
        try:
            return future.result(timeout=CANCEL_POLL_S)
        except TimeoutError:
            continue
        except IngestCancelled:
            return None


def stored_documents(store: Store) -> list[tuple[str, str]]:
    """``(path, parser_version)`` of every stored document, for ``--reparse`` without paths.

    Uses ``Store.documents()`` when the store offers it, else walks the public reading
    API (councils → years → meetings → documents).
    """
    documents = getattr(store, "documents", None)
    if callable(documents):
        rows = documents()
    else:
        rows = []
        for council in store.councils():
            for year in store.years(council):
                for row in store.meetings(council, year):
                    rows.extend(store.meeting(row.id).documents)
    return [(row.path, row.parser_version or "") for row in rows]


def stale_paths(store: Store) -> tuple[list[str], int]:
    """Stored documents to re-read with ``--reparse`` and no paths: ``(existing, missing)``.

    Every stored file that still exists is returned (the caller ingests them with
    ``reparse=True``, which parses only those with an older parser version); the count
    of stored files that no longer exist is returned so the CLI can say so.
    """
    existing: list[str] = []
    missing = 0
    for path, _version in stored_documents(store):
        if os.path.isfile(path):
            existing.append(path)
        else:
            missing += 1
    return sorted(set(existing)), missing
