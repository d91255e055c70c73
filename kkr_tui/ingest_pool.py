"""Reading and parsing several files at once, each in its own child, while this thread stores.

:func:`run_pooled` is the ``jobs > 1`` path of :func:`kkr_tui.ingest.ingest_paths`. Each
file is read in a child process of its own under the run's budget
(:mod:`kkr_tui.ingest_reader`: memory limit, time per page and per file, dies with its
parent), up to ``jobs`` at a time. A child that dies — the kernel's out-of-memory
killer picks the biggest process, which is a child reading a huge or hostile PDF —
fails only its own file, with :data:`~kkr_tui.ingest_reader.WORKER_DIED`; a cancelled
run kills every child at once. Storing stays in the calling thread, one document per
transaction, in input order.

Only :mod:`kkr_tui.ingest_types` and :mod:`kkr_tui.ingest_reader` are imported here; the
run itself comes in as a :class:`~kkr_tui.ingest_types.Runner`.
"""

from __future__ import annotations

import threading
from collections import deque
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kkr_tui.ingest_reader import POLL_S, GuardedRead, ReadBudget, reader_context
from kkr_tui.ingest_types import IngestCancelled, IngestResult, Runner

#: How many files may wait, read, behind a slow first file before no more are started.
WINDOW_PER_JOB = 4


@dataclass(slots=True)
class _Slot:
    """A file in the run's window: checked, then read in a child unless already done."""

    path: Path
    sha: str
    done: IngestResult | None
    read: GuardedRead | None = None

    @property
    def reading(self) -> bool:
        return self.read is not None and self.read.result is None


def run_pooled(
    runner: Runner, files: list[Path], cancel: threading.Event, jobs: int, budget: ReadBudget
) -> None:
    """Read and parse ``files`` in up to ``jobs`` children; store here, in input order.

    The first file's page progress is reported as it comes; once ``cancel`` is set no
    file is started, every child is killed and nothing more is stored.
    """
    context = reader_context()
    window: deque[_Slot] = deque()
    pending = iter(files)
    try:
        while True:
            head_pages = _pump(window)
            if cancel.is_set():
                return
            while sum(s.reading for s in window) < jobs and len(window) < jobs * WINDOW_PER_JOB:
                slot = _take(runner, pending, budget, context)
                if slot is None:
                    break
                window.append(slot)
            if not window:
                return
            head = window[0]
            if head.reading:
                on_page = runner.page_callback(str(head.path), cancel)
                try:
                    for page, pages in head_pages:
                        on_page(page, pages)
                except IngestCancelled:
                    return
                _wait(window)
                continue
            window.popleft()
            done = head.done
            if head.read is not None and head.read.result is not None:
                done = runner.store_parsed(head.path, head.sha, head.read.result)
            runner.emit(str(head.path), done)
    finally:
        for slot in window:
            if slot.reading:
                assert slot.read is not None
                slot.read.stop()


def _take(runner: Runner, pending: Any, budget: ReadBudget, context: Any) -> _Slot | None:
    """The next file: reported as started, hashed, and handed to a child if it needs reading."""
    path = next(pending, None)
    if path is None:
        return None
    runner.emit(str(path))
    sha, done = runner.check(path)
    slot = _Slot(path, sha, done)
    if done is None:
        slot.read = GuardedRead(str(path), budget, context)
    return slot


def _pump(window: deque[_Slot]) -> list[tuple[int, int]]:
    """Take what every child has sent; return the first file's page events."""
    head_pages: list[tuple[int, int]] = []
    for index, slot in enumerate(window):
        if slot.reading:
            assert slot.read is not None
            pages = slot.read.pump()
            if index == 0:
                head_pages = pages
    return head_pages


def _wait(window: deque[_Slot]) -> None:
    """Sleep until a child sends or ends, or :data:`POLL_S` passes (to look at cancel)."""
    from multiprocessing.connection import wait

    handles: list[Any] = []
    for slot in window:
        if slot.reading:
            assert slot.read is not None
            handles += [slot.read.conn, slot.read.process.sentinel]
    wait(handles, timeout=POLL_S)
