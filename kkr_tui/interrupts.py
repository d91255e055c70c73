"""Ctrl+C in a command that stores as it goes (``ingest``, ``sync``).

The first Ctrl+C only asks the run to stop at its next safe point, so what was stored
stays whole and nothing is left half written; a second one stops at once. One handler
for both commands, so they cannot come to mean different things by Ctrl+C.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Callable
from types import FrameType
from typing import Any


class FirstInterruptAsksToStop:
    """A context manager: while inside it, SIGINT sets ``cancel`` and says ``message``
    through ``note`` the first time, and raises KeyboardInterrupt the second time.

    ``stop_waiting``, when given, is called after that first time: sync passes one that
    raises while the run waits on the network, so a stalled download ends at once
    instead of after its timeout.

    Outside the main thread (the reader runs ingest from a worker) signals cannot be
    caught, and it does nothing.
    """

    def __init__(
        self,
        cancel: threading.Event,
        note: Callable[[str], None],
        message: str,
        *,
        stop_waiting: Callable[[], None] | None = None,
    ) -> None:
        self.cancel = cancel
        self.note = note
        self.message = message
        self.stop_waiting = stop_waiting
        self.previous: Any = None

    def _handle(self, signum: int, frame: FrameType | None) -> None:
        if self.cancel.is_set():
            raise KeyboardInterrupt
        self.cancel.set()
        self.note(self.message)
        if self.stop_waiting is not None:
            # The run may be blocked where it cannot look at ``cancel`` (a read from a
            # server that stalls); the callback raises there, and only there.
            self.stop_waiting()

    def __enter__(self) -> FirstInterruptAsksToStop:
        if threading.current_thread() is threading.main_thread():
            self.previous = signal.signal(signal.SIGINT, self._handle)
        return self

    def __exit__(self, *exc: object) -> None:
        if self.previous is not None:
            signal.signal(signal.SIGINT, self.previous)
