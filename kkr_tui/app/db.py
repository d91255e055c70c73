"""One thread that owns the Store, so the UI thread never waits on SQLite.

The Store is opened, used and closed on a single dedicated thread: SQLite connections
are happiest on the thread that made them, heavy imports (sqlite_utils, rapidfuzz)
happen there instead of on the path to the first frame, and a slow query can never
freeze a keypress. Workers ``await gateway.call(...)``; a cancelled worker simply
drops a result it no longer wants, and a call it cancelled before it started never runs.

Work the user is waiting for (a tree level, an item, a search) goes first. Background
work (the "what's new" look, warming the search vocabulary) is queued behind it with
:meth:`StoreGateway.run_background` in short steps, and the thread only takes a
background step when no foreground call is waiting and none has come for a moment
(:data:`IDLE_BEFORE_BACKGROUND_S`): opening a meeting waits at most for the one step
already running, however many steps are queued, and a burst of keys none at all.
"""

from __future__ import annotations

import asyncio
import gc
import math
import threading
import time
from collections import deque
from collections.abc import Callable
from concurrent.futures import Future
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    from kkr_tui.search import Answer, SearchHit, SearchIndex

T = TypeVar("T")

#: Store methods that only record reading state; a read-only gateway skips them.
SKIPPED_WHEN_READ_ONLY = frozenset({"mark_read", "detect_changes", "detect_changes_step"})

#: Seconds the store thread must have had no foreground call before it takes a
#: background step: the reader acts in bursts (arrow keys through the tree, a meeting
#: then its sections, 0.1-0.3 s apart on a busy 2-core machine), and a step started
#: between two calls of a burst delays the second. Reading pauses are seconds long.
IDLE_BEFORE_BACKGROUND_S = 0.5

_Job = tuple["Future[Any]", "Callable[[], Any]"]


class StoreGateway:
    """Runs callables against the Store on its own thread, foreground before background."""

    def __init__(
        self,
        db_path: Path,
        *,
        read_only: bool = False,
        busy_timeout: float | None = None,
        idle_s: float = IDLE_BEFORE_BACKGROUND_S,
    ) -> None:
        self.db_path = Path(db_path)
        self.read_only = read_only
        self.busy_timeout = busy_timeout
        self.idle_s = idle_s
        self.store: Any = None
        self.search_index: SearchIndex | None = None
        self._foreground: deque[_Job] = deque()
        self._background: deque[_Job] = deque()
        self._wake = threading.Condition()
        self._last_foreground = -math.inf
        self._thread: threading.Thread | None = None
        self._closed = False

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

    def _next(self) -> tuple[_Job, bool] | None:
        """The next job and whether it is foreground; None once closed and drained."""
        with self._wake:
            while True:
                if self._foreground:
                    return self._foreground.popleft(), True
                if self._closed:
                    return None
                if self._background:
                    wait = self._last_foreground + self.idle_s - time.monotonic()
                    if wait <= 0:
                        return self._background.popleft(), False
                    self._wake.wait(wait)
                else:
                    self._wake.wait()

    def _serve(self) -> None:
        while (job := self._next()) is not None:
            (future, fn), foreground = job
            if future.set_running_or_notify_cancel():
                try:
                    result = fn()
                except BaseException as exc:  # handed to the awaiting worker
                    future.set_exception(exc)
                else:
                    future.set_result(result)
            if foreground:
                with self._wake:
                    self._last_foreground = time.monotonic()
        store, self.store, self.search_index = self.store, None, None
        if store is not None:
            store.close()
        with self._wake:
            dropped, self._background = list(self._background), deque()
        for future, _ in dropped:
            future.cancel()

    def submit(self, fn: Callable[[], T], *, background: bool = False) -> Future[T]:
        """Queue ``fn`` for the store thread; a background job waits for an idle thread."""
        future: Future[T] = Future()
        with self._wake:
            if self._closed:
                raise RuntimeError("the store gateway is closed")
            if self._thread is None:
                self._thread = threading.Thread(target=self._serve, name="kkr-store", daemon=True)
                self._thread.start()
            (self._background if background else self._foreground).append((future, fn))
            self._wake.notify()
        return future

    async def _await(self, background: bool, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        job = partial(fn, *args, **kwargs)
        return await asyncio.wrap_future(self.submit(job, background=background))

    def pending_foreground(self) -> int:
        """How many foreground calls wait for the store thread (for tests and diagnostics)."""
        with self._wake:
            return len(self._foreground)

    @property
    def closed(self) -> bool:
        """True once :meth:`close` has been called: no new calls are taken."""
        return self._closed

    # -- the API workers use --------------------------------------------------------

    async def run(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """Run ``fn(*args, **kwargs)`` on the store thread, before any background step."""
        return await self._await(False, fn, *args, **kwargs)

    async def run_background(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """Run ``fn`` on the store thread once no foreground call is waiting.

        For one bounded step of work nobody is looking at; call it in a loop. Each step
        should stay short (≈ 100 ms): a foreground call may have to wait for one.
        """
        return await self._await(True, fn, *args, **kwargs)

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
        return await self._call(False, method, *args, **kwargs)

    async def call_background(self, method: str, *args: Any, **kwargs: Any) -> Any:
        """:meth:`call` as background work (see :meth:`run_background`)."""
        return await self._call(True, method, *args, **kwargs)

    async def _call(self, background: bool, method: str, *args: Any, **kwargs: Any) -> Any:
        if self.read_only and method in SKIPPED_WHEN_READ_ONLY:
            return None
        store = await self.open()
        return await self._await(background, getattr(store, method), *args, **kwargs)

    async def search(
        self, query: str, *, limit: int = 50, current_meeting_id: int | None = None
    ) -> list[SearchHit]:
        """:meth:`kkr_tui.search.SearchIndex.search` on this gateway's Store, my notes'
        hits in front."""
        answer = await self.answer(query, limit=limit, current_meeting_id=current_meeting_id)
        return answer.hits

    async def answer(
        self, query: str, *, limit: int = 50, current_meeting_id: int | None = None
    ) -> Answer:
        """:meth:`kkr_tui.search.SearchIndex.answer` on this gateway's Store (the hits,
        my notes' hits in front, or the filters that cannot match)."""
        store = await self.open()

        def _answer() -> Answer:
            from dataclasses import replace

            from kkr_tui.app.note_hits import with_note_hits

            answer = self._search_index().answer(
                query, limit=limit, current_meeting_id=current_meeting_id
            )
            if answer.problems:
                return answer
            return replace(answer, hits=with_note_hits(store, query, answer.hits))

        return await self.run(_answer)

    def _search_index(self) -> SearchIndex:
        """The Store's :class:`~kkr_tui.search.SearchIndex`, made on first use (on the
        store thread: rapidfuzz loads there, not on the way to the first frame). It
        lives as long as the Store, so the vocabulary is read once a session."""
        if self.search_index is None or self.search_index.store is not self.store:
            from kkr_tui.search import SearchIndex

            self.search_index = SearchIndex(self.store)
        return self.search_index

    def _prepare_search_step(self) -> bool:
        return self._search_index().prepare_step()

    async def warm_search(self) -> None:
        """Load the search vocabulary in background steps, so the first keystroke is quick.

        A search typed meanwhile finishes the load itself, in the foreground. Then one
        full garbage collection, also as background work: start-up leaves many objects
        for the first one, which otherwise falls in the first search (~100 ms at 1M
        items, when the vocabulary came from its snapshot and made no garbage itself).
        """
        await self.open()
        while not await self.run_background(self._prepare_search_step):
            pass
        await self.run_background(gc.collect)

    def close(self) -> None:
        """Finish the foreground calls already queued, close the Store on its thread, stop it.

        Background steps still queued are cancelled, not run.
        """
        with self._wake:
            if self._closed:
                return
            self._closed = True
            thread = self._thread
            self._wake.notify()
        if thread is not None:
            thread.join()
        elif self.store is not None:
            store, self.store = self.store, None
            store.close()
