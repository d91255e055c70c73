"""One thread that owns the Store, so the UI thread never waits on SQLite.

The Store is opened, used and closed on a single dedicated thread: SQLite connections
are happiest on the thread that made them, heavy imports (sqlite_utils, rapidfuzz)
happen there instead of on the path to the first frame, and a slow query can never
freeze a keypress. Workers ``await gateway.call(...)``; a cancelled worker simply
drops a result it no longer wants.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from pathlib import Path
from typing import Any, TypeVar

T = TypeVar("T")

#: Store methods that only record reading state; a read-only gateway skips them.
SKIPPED_WHEN_READ_ONLY = frozenset({"mark_read", "detect_changes", "detect_changes_step"})


class StoreGateway:
    """Runs callables against the Store on its own thread."""

    def __init__(
        self, db_path: Path, *, read_only: bool = False, busy_timeout: float | None = None
    ) -> None:
        self.db_path = Path(db_path)
        self.read_only = read_only
        self.busy_timeout = busy_timeout
        self.store: Any = None
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="kkr-store")

    def _open(self) -> Any:
        from kkr_tui.store import Store

        options = {} if self.busy_timeout is None else {"busy_timeout": self.busy_timeout}
        if self.read_only:
            self.store = Store(self.db_path, read_only=True, **options)
            return self.store
        self.db_path.parent.mkdir(parents=True, exist_ok=True)
        self.store = Store(self.db_path, **options)
        return self.store

    async def run(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """Run ``fn(*args, **kwargs)`` on the store thread and await its result."""
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._executor, partial(fn, *args, **kwargs))

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

    async def search(self, query: str, **kwargs: Any) -> list[Any]:
        """``kkr_tui.search.search`` with this gateway's Store."""
        store = await self.open()

        def _search() -> list[Any]:
            from kkr_tui.app.note_hits import with_note_hits
            from kkr_tui.search import search

            return with_note_hits(store, query, search(store, query, **kwargs))

        return await self.run(_search)

    def close(self) -> None:
        """Close the Store on its thread and stop the thread."""
        if self.store is not None:
            store, self.store = self.store, None
            self._executor.submit(store.close)
        self._executor.shutdown(wait=True)
