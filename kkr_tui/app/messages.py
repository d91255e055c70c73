"""Messages that carry results from worker threads back to the UI thread."""

from __future__ import annotations

from typing import Any

from textual.message import Message


class IngestProgress(Message):
    """One step of an ingest: posted from the store thread, drives the ProgressBar."""

    def __init__(self, event: Any) -> None:
        super().__init__()
        self.event = event


class MigrationProgress(Message):
    """One step of the upgrade of an older archive (a ``kkr_tui.store.MigrationEvent``),
    posted from the store thread while the Store is being opened."""

    def __init__(self, event: Any) -> None:
        super().__init__()
        self.event = event
