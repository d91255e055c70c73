"""Reading and parsing in worker processes while the calling thread stores, in order.

:func:`run_pooled` is the ``jobs > 1`` path of :func:`kkr_tui.ingest.ingest_paths`.
It owns everything about processes: how workers start (forked when that is safe,
else from a forkserver), what they preload, how a cancelled run reaches them (a
shared stop flag, checked per page) and what happens when one dies (the pool is
started again and only the file that killed it twice fails). Storing stays in the
calling thread, one document per transaction, in input order.
"""

from __future__ import annotations

import sys
import threading
from collections import deque
from concurrent.futures import Future
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from kkr_tui.ingest import (
    IngestCancelled,
    IngestResult,
    IngestRun,
    ParsedFile,
    read_and_parse,
)

if TYPE_CHECKING:
    from concurrent.futures import ProcessPoolExecutor
    from multiprocessing.context import BaseContext
    from multiprocessing.synchronize import Event as ProcessEvent


#: Modules a pool worker needs loaded before its first file: imported in this process
#: before forking, or by the forkserver once, so each worker is not paying ~0.5 s for
#: pypdf and the parser itself.
WORKER_MODULES = [
    "kkr_tui.ingest",
    "kkr_tui.ingest_pool",
    "kkr_tui.parser",
    "kkr_tui.sources",
    "pypdf",
]
#: What the forkserver preloads. ``kkr_tui.cli`` too, because Python 3.11's forkserver
#: never preloads ``__main__`` (CPython gh-126631, fixed in 3.13): every worker re-runs
#: the main script, and for the ``kkr-tui`` script that is one import of
#: ``kkr_tui.cli``, cheap once the forkserver holds it.
FORKSERVER_PRELOAD = [*WORKER_MODULES, "kkr_tui.cli"]


def pool_start_method() -> str:
    """How pool workers start: ``fork`` when that is safe here, else ``forkserver``.

    ``fork`` gives a worker everything this process has imported in a few
    milliseconds. It is safe only on Linux (macOS frameworks break in forked
    children) and only when this process runs a single thread: the app ingests
    from a worker thread, and a thread holding a lock at the fork would leave it
    locked forever in the child. Then ``forkserver`` (or ``spawn`` where there is
    none), whose workers start from a clean single-threaded server. Measured on the
    ingest bench: a forkserver worker took 150-200 ms to take its first file, most
    of it re-running the main script (see :data:`FORKSERVER_PRELOAD`); a forked one
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
        for name in WORKER_MODULES:
            importlib.import_module(name)
    elif method == "forkserver":
        context.set_forkserver_preload(FORKSERVER_PRELOAD)
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


def read_in_worker(path: str) -> ParsedFile:
    """:func:`read_and_parse` in a pool worker, abandoning the file at its next page
    once the run is cancelled, as a one-process run does (nothing of it is stored)."""
    return read_and_parse(path, _stop_between_pages)


@dataclass(slots=True)
class _Slot:
    """A file in the pooled run's window: checked, then parsed here or in a worker."""

    path: Path
    sha: str
    done: IngestResult | None
    future: Future[ParsedFile] | None = None
    parsed: ParsedFile | None = None


def run_pooled(runner: IngestRun, files: list[Path], cancel: threading.Event, jobs: int) -> None:
    """Read and parse in ``jobs - 1`` worker processes and in this one; store here, in order.

    This process counts as one of the ``jobs``: whenever the oldest file is still in a
    worker, it reads the next file itself instead of waiting. ``jobs`` processes then
    keep ``jobs`` cores busy (``jobs`` workers plus a writer would put three processes
    on two cores), and the first file is under way while the pool is still starting.
    """
    pool = _Pool(jobs - 1)
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
            while not cancel.is_set() and in_workers() < pool.workers * 2:
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

    def submit(self, path: Path) -> Future[ParsedFile]:
        """Read and parse ``path`` in a worker. On a pool that broke meanwhile the
        future comes back already failed; :meth:`answer` hands it out again."""
        from concurrent.futures.process import BrokenProcessPool

        try:
            return self.executor.submit(read_in_worker, str(path))
        except BrokenProcessPool as error:
            lost: Future[ParsedFile] = Future()
            lost.set_exception(error)
            return lost

    def answer(
        self, head: _Slot, window: deque[_Slot], cancel: threading.Event
    ) -> ParsedFile | None:
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
            parsed = ParsedFile(None, WORKER_DIED)
        for slot in window:
            if slot.future is not None and slot.future.done() and _lost(slot.future):
                slot.future = self.submit(slot.path)
        return parsed

    def _restart(self) -> None:
        self.executor.shutdown(wait=True, cancel_futures=True)
        self.executor = self._start()

    def close(self) -> None:
        """Stop the workers without waiting for files still in them."""
        self.executor.shutdown(wait=False, cancel_futures=True)


def _lost(future: Future[ParsedFile]) -> bool:
    """True for a done future that a broken pool failed or cancelled (its file was not
    read). Only for done futures: asking a running one would wait for it."""
    from concurrent.futures.process import BrokenProcessPool

    return future.cancelled() or isinstance(future.exception(), BrokenProcessPool)


#: How often a run waiting for a worker looks whether it was cancelled meanwhile.
CANCEL_POLL_S = 0.1


def _answer(
    future: Future[ParsedFile], cancel: threading.Event, stop: ProcessEvent
) -> ParsedFile | None:
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
