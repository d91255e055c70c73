"""One lock and one error mapping for every object that talks to a Store's connection.

The Store and the parts it is composed of (:class:`kkr_tui.store.notes.MeetingWork`)
share one connection, so they share one re-entrant lock, and SQLite's failures are
turned into store errors that say what happened (busy, read-only, damaged, disk full)
in one place: :meth:`Guarded._translate`, implemented by the Store.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable
from functools import wraps
from typing import Concatenate, ParamSpec, Protocol, TypeVar

P = ParamSpec("P")
T = TypeVar("T")


class Guarded(Protocol):
    """What :func:`locked` needs of the object whose method it wraps."""

    @property
    def _lock(self) -> threading.RLock: ...

    def _translate(self, exc: sqlite3.DatabaseError) -> Exception: ...


class Connected(Guarded, Protocol):
    """A guarded owner of the connection (the Store, for the parts composed into it)."""

    @property
    def _conn(self) -> sqlite3.Connection: ...

    @property
    def read_only(self) -> bool: ...


G = TypeVar("G", bound=Guarded)


def locked(method: Callable[Concatenate[G, P], T]) -> Callable[Concatenate[G, P], T]:
    """Run the method holding the store's lock; SQLite failures become store errors."""

    @wraps(method)
    def wrapper(self: G, /, *args: P.args, **kwargs: P.kwargs) -> T:
        with self._lock:
            try:
                return method(self, *args, **kwargs)
            except sqlite3.DatabaseError as exc:
                raise self._translate(exc) from exc

    return wrapper
