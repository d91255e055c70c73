"""One thread that owns the Store, so the UI thread never waits on SQLite.

The Store is opened, used and closed on a single dedicated thread: SQLite connections
are happiest on the thread that made them, heavy imports (sqlite_utils, rapidfuzz)
happen there instead of on the path to the first frame, and a slow query can never
freeze a keypress. Workers ``await gateway.call(...)``; a cancelled worker simply
drops a result it no longer wants, and a call it cancelled before it started never runs.

Work the user is waiting for (a tree level, an item, a search) goes first. Background
work (the "what's new" look, warming the search vocabulary) is queued behind it with
:meth:`StoreGateway.run_background` in short steps, and the thread only takes a
background step when no foreground call is waiting: opening a meeting waits at most
for the one step already running, however many steps are queued.
"""

from __future__ import annotations

import asyncio
import itertools
import queue
import threading
from collections.abc import Callable
from concurrent.futures import Future
from functools import partial
from pathlib import Path
from typing import Any, TypeVar

T = TypeVar("T")

#: Store methods that only record reading state; a read-only gateway skips them.
SKIPPED_WHEN_READ_ONLY = frozenset({"mark_read", "detect_changes", "detect_changes_step"})

FOREGROUND = 0
_STOP = 1
BACKGROUND = 2

_Job = tuple[int, int, "Future[Any] | None", "Callable[[], Any] | None"]


class StoreGateway:
    """Runs callables against the Store on its own thread, foreground before background."""

    def __init__(
        self, db_path: Path, *, read_only: bool = False, busy_timeout: float | None = None
    ) -> None:
        self.db_path = Path(db_path)
        self.read_only = read_only
        self.busy_timeout = busy_timeout
        self.store: Any = None
        self._jobs: queue.PriorityQueue[_Job] = queue.PriorityQueue()
        self._order = itertools.count()
        self._thread: threading.Thread | None = None
        self._closed = False
        self._start_lock = threading.Lock()

    def _open(self) -> Any:
        from kkr_tui.store import Store

        options = {} if self.busy_timeout is None else {"busy_timeout": self.busy_timeout}
        if self.read_only:
            self.store = Store(self.db_path, read_only=True, **options)
            return self.store
        self.db_path.parent.mkdir(parents=True, exist_ok=True)
        self.store = Store(self.db_path, **options)
        return self.store

    # -- the store thread -----------------------------------------------------------

    def _serve(self) -> None:
        while True:
            priority, _, future, fn = self._jobs.get()
            if priority == _STOP:
                break
            assert future is not None and fn is not None
            if not future.set_running_or_notify_cancel():
                continue
            try:
                result = fn()
            except BaseException as exc:  # handed to the awaiting worker
                future.set_exception(exc)
            else:
                future.set_result(result)
        self._drain()

    def _drain(self) -> None:
        """After the stop: close the Store here, cancel whatever is still queued."""
        store, self.store = self.store, None
        if store is not None:
            store.close()
        while True:
            try:
                _, _, future, _ = self._jobs.get_nowait()
            except queue.Empty:
                return
            if future is not None:
                future.cancel()

    def submit(self, priority: int, fn: Callable[[], T]) -> Future[T]:
        """Queue ``fn`` for the store thread at ``priority`` (:data:`FOREGROUND` first)."""
        with self._start_lock:
            if self._closed:
                raise RuntimeError("the store gateway is closed")
            if self._thread is None:
                self._thread = threading.Thread(target=self._serve, name="kkr-store", daemon=True)
                self._thread.start()
            future: Future[T] = Future()
            self._jobs.put((priority, next(self._order), future, fn))
        return future

    async def _await(self, priority: int, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        return await asyncio.wrap_future(self.submit(priority, partial(fn, *args, **kwargs)))

    def pending_foreground(self) -> int:
        """How many jobs wait at foreground priority (for tests and diagnostics)."""
        with self._jobs.mutex:
            return sum(1 for job in self._jobs.queue if job[0] == FOREGROUND)

    @property
    def closed(self) -> bool:
        """True once :meth:`close` has been called: no new calls are taken."""
        return self._closed

    # -- the API workers use --------------------------------------------------------

    async def run(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """Run ``fn(*args, **kwargs)`` on the store thread, before any background step."""
        return await self._await(FOREGROUND, fn, *args, **kwargs)

    async def run_background(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """Run ``fn`` on the store thread once no foreground call is waiting.

        For one bounded step of work nobody is looking at; call it in a loop. Each step
        should stay short (≈ 100 ms): a foreground call may have to wait for one.
        """
        return await self._await(BACKGROUND, fn, *args, **kwargs)

    async def open(self) -> Any:
        """Open (creating if needed) the database; returns the Store."""
        if self.store is None:
            await self.run(self._open)
        return self.store

    async def call(self, method: str, *args: Any, **kwargs: Any) -> Any:
        """Call a public Store method by name on the store thread.

        On a read-only store, bookkeeping writes (:data:`SKIPPED_WHEN_READ_ONLY`) are
        skipped: reading must not fail because "mark as read" cannot be recorded.
        """
        if self.read_only and method in SKIPPED_WHEN_READ_ONLY:
            return None
        store = await self.open()
        return await self.run(getattr(store, method), *args, **kwargs)

    async def call_background(self, method: str, *args: Any, **kwargs: Any) -> Any:
        """:meth:`call` as background work (see :meth:`run_background`)."""
        if self.read_only and method in SKIPPED_WHEN_READ_ONLY:
            return None
        store = await self.open()
        return await self.run_background(getattr(store, method), *args, **kwargs)

    async def search(self, query: str, **kwargs: Any) -> list[Any]:
        """``kkr_tui.search.search`` with this gateway's Store."""
        store = await self.open()

        def _search() -> list[Any]:
            from kkr_tui.app.note_hits import with_note_hits
            from kkr_tui.search import search

            return with_note_hits(store, query, search(store, query, **kwargs))

        return await self.run(_search)

    async def warm_search(self) -> None:
        """Load the search vocabulary in background steps, so the first keystroke is quick.

        A search typed meanwhile finishes the load itself, in the foreground.
        """
        store = await self.open()
        while not await self.run_background(_prepare_step, store):
            pass

    def close(self) -> None:
        """Finish the foreground calls already queued, close the Store on its thread, stop it.

        Background steps still queued are cancelled, not run.
        """
        with self._start_lock:
            if self._closed:
                return
            self._closed = True
            thread = self._thread
            if thread is not None:
                self._jobs.put((_STOP, next(self._order), None, None))
        if thread is not None:
            thread.join()
        elif self.store is not None:
            store, self.store = self.store, None
            store.close()


def _prepare_step(store: Any) -> bool:
    from kkr_tui import search

    prepare_step = getattr(search, "prepare_step", None)
    if prepare_step is None:  # TEMP until search.prepare_step lands
        search.vocabulary(store)
        return True
    return prepare_step(store)
