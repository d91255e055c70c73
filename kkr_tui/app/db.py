"""One thread that owns the Store, so the UI thread never waits on SQLite.

The Store is opened, used and closed on a single dedicated thread: SQLite connections
are happiest on the thread that made them, heavy imports (sqlite_utils, rapidfuzz)
happen there instead of on the path to the first frame, and a slow query can never
freeze a keypress. Workers ``await gateway.call(...)``; a cancelled worker simply
drops a result it no longer wants, and a call it cancelled before it started never runs.

Calls are typed end to end: ``await gateway.call(Store.item, item_id)`` is checked by
mypy against ``Store.item``'s signature and returns its type. The app names ``Store``
through this module (see :data:`Store`), so the store and sqlite are still imported on
the store thread, not on the way to the first frame.

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
from typing import TYPE_CHECKING, Any, Concatenate, ParamSpec, TypeVar

if TYPE_CHECKING:
    from kkr_tui.search import Answer, SearchHit, SearchIndex
    from kkr_tui.store import Store as Store  # re-exported: the app names Store here
else:

    class _StoreMethod:
        """``Store.name`` as the app spells it at run time: calls ``store.name(...)``."""

        __slots__ = ("__name__",)

        def __init__(self, name: str) -> None:
            self.__name__ = name

        def __call__(self, store: Any, /, *args: Any, **kwargs: Any) -> Any:
            return getattr(store, self.__name__)(*args, **kwargs)

        def __repr__(self) -> str:
            return f"Store.{self.__name__}"

    class _StoreNames:
        """Stands in for the Store class in the app at run time.

        For the type checker ``Store`` is :class:`kkr_tui.store.Store` itself, so
        ``gateway.call(Store.item, 3)`` is checked against the real method. At run time
        importing the store costs ~130 ms (sqlite_utils, the records) on the way to the
        first frame; this stand-in hands the gateway the method's name instead, and the
        store thread calls it on the real Store. mypy (``--strict`` in CI) is what
        catches a misspelt method, as it would with the real class.
        """

        def __getattr__(self, name: str) -> _StoreMethod:
            if name.startswith("_"):
                raise AttributeError(name)
            return _StoreMethod(name)

    Store = _StoreNames()

P = ParamSpec("P")
T = TypeVar("T")

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
        self.store: Store | None = None
        self.search_index: SearchIndex | None = None
        self._foreground: deque[_Job] = deque()
        self._background: deque[_Job] = deque()
        self._wake = threading.Condition()
        self._last_foreground = -math.inf
        self._thread: threading.Thread | None = None
        self._closed = False
        #: Told each step of the upgrade of an older archive while :meth:`open` runs,
        #: on the store thread (a ``kkr_tui.store.MigrationEvent``).
        self.on_migrate: Callable[[Any], None] | None = None
        #: Set by :meth:`close`: an upgrade still running stops, rolled back.
        self.stop_migration = threading.Event()
        #: Why the archive was opened read-only although it was asked writable (an
        #: older archive the disk had no room to upgrade), or None.
        self.open_problem: str | None = None

    def _open(self) -> Store:
        from kkr_tui.store import BUSY_TIMEOUT_MS, open_or_read_as_is
        from kkr_tui.store import Store as RealStore

        timeout = BUSY_TIMEOUT_MS / 1000 if self.busy_timeout is None else self.busy_timeout
        if self.read_only:
            store = RealStore(self.db_path, read_only=True, busy_timeout=timeout)
        else:
            self.db_path.parent.mkdir(parents=True, exist_ok=True)
            # An older archive that cannot be upgraded now (no room, refused, another
            # program writing it) is still read, as it is, read-only, saying why.
            store, problem = open_or_read_as_is(
                self.db_path,
                busy_timeout=timeout,
                on_migrate=self.on_migrate,
                stop_migration=self.stop_migration,
            )
            if problem is not None:
                self.read_only = True
                self.open_problem = self._unupgraded_words(problem)
        self.store = store
        return store

    def _unupgraded_words(self, problem: Exception) -> str:
        """Why the archive is shown read-only although it was asked writable."""
        from kkr_tui.i18n import _
        from kkr_tui.store import SchemaError, StoreBusyError

        if isinstance(problem, StoreBusyError):
            return _(
                "{path}: another program is writing the archive (an upgrade to the new "
                "version takes minutes); it is shown as it is, read-only, until kkr-tui "
                "is started again"
            ).format(path=self.db_path)
        if isinstance(problem, SchemaError):  # the upgrade refused to lose what is shown
            return _(
                "The archive could not be upgraded ({reason}); it is shown as it is, read-only."
            ).format(reason=problem)
        return str(problem)  # a full disk: its line names the file and the room

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

    async def _await(self, background: bool, job: Callable[[], T]) -> T:
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

    async def run(self, fn: Callable[P, T], /, *args: P.args, **kwargs: P.kwargs) -> T:
        """Run ``fn(*args, **kwargs)`` on the store thread, before any background step."""
        return await self._await(False, partial(fn, *args, **kwargs))

    async def run_background(self, fn: Callable[P, T], /, *args: P.args, **kwargs: P.kwargs) -> T:
        """Run ``fn`` on the store thread once no foreground call is waiting.

        For one bounded step of work nobody is looking at; call it in a loop. Each step
        should stay short (≈ 100 ms): a foreground call may have to wait for one.
        """
        return await self._await(True, partial(fn, *args, **kwargs))

    async def open(self) -> Store:
        """Open (creating if needed) the database; returns the Store."""
        if self.store is None:
            return await self.run(self._open)
        return self.store

    async def call(
        self, fn: Callable[Concatenate[Store, P], T], /, *args: P.args, **kwargs: P.kwargs
    ) -> T:
        """``fn(store, *args, **kwargs)`` on the store thread: a Store method
        (``call(Store.item, item_id)``) or any function whose first argument is the Store.

        What a read-only store cannot record (reading marks) the Store itself skips.
        """
        store = await self.open()
        return await self._await(False, partial(fn, store, *args, **kwargs))

    async def call_background(
        self, fn: Callable[Concatenate[Store, P], T], /, *args: P.args, **kwargs: P.kwargs
    ) -> T:
        """:meth:`call` as background work (see :meth:`run_background`)."""
        store = await self.open()
        return await self._await(True, partial(fn, store, *args, **kwargs))

    async def search(
        self, query: str, *, limit: int = 50, current_meeting_id: int | None = None
    ) -> list[SearchHit]:
        """:meth:`kkr_tui.search.SearchIndex.search` on this gateway's Store, my notes'
        hits in front."""
        answer = await self.answer(query, limit=limit, current_meeting_id=current_meeting_id)
        return answer.hits

    async def answer(
        self,
        query: str,
        *,
        limit: int = 50,
        current_meeting_id: int | None = None,
        bilag: bool = False,
    ) -> Answer:
        """:meth:`kkr_tui.search.SearchIndex.answer` on this gateway's Store (the hits,
        my notes' hits in front, or the filters that cannot match); ``bilag``: with
        the best bilag after the items."""
        store = await self.open()

        def _answer() -> Answer:
            from dataclasses import replace

            from kkr_tui.app.note_hits import with_note_hits

            answer = self._search_index().answer(
                query, limit=limit, current_meeting_id=current_meeting_id, bilag=bilag
            )
            if answer.problems:
                return answer
            return replace(answer, hits=with_note_hits(store, query, answer.hits))

        return await self.run(_answer)

    async def bilag_hits(self, query: str, *, limit: int) -> list[SearchHit]:
        """:meth:`kkr_tui.search.SearchIndex.bilag_hits` on this gateway's Store: the
        bilag for ``query``, asked after its items are shown."""
        await self.open()
        return await self.run(lambda: self._search_index().bilag_hits(query, limit=limit))

    def _search_index(self) -> SearchIndex:
        """The Store's :class:`~kkr_tui.search.SearchIndex`, made on first use (on the
        store thread: rapidfuzz loads there, not on the way to the first frame). It
        lives as long as the Store, so the vocabulary is read once a session."""
        store = self.store
        if store is None:
            raise RuntimeError("the store gateway has no open Store")
        if self.search_index is None or self.search_index.store is not store:
            from kkr_tui.search import SearchIndex

            self.search_index = SearchIndex(store)
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

        Background steps still queued are cancelled, not run; an upgrade of an older
        archive still running is stopped (rolled back: the file stays as it was).
        """
        self.stop_migration.set()
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
