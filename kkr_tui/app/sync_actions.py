"""The reader's side of sync: "Hent nye dokumenter" in the background.

Sync runs in a thread worker with a Store connection of its own (SQLite's WAL lets the
reader go on reading meanwhile; each document is one short write), so the reader is
never blocked by the network. :class:`BackgroundSync` is an object the app owns, like
the store watcher: it runs the one sync at a time as a worker of its owner (a failure
is logged and shown by the owner like any other) and reports by messages —
:class:`SyncProgress` while it runs, :class:`SyncFinished` at the end — which the app
turns into the header's subtitle, a notification and a reload. The app never speaks
HTTP itself: :func:`kkr_tui.sync.session.sync_store` does.

:meth:`BackgroundSync.stop` (``H`` again, or quitting) sets the run's
:class:`~kkr_tui.sync.client.StopEvent`, which also shuts the connection in use, so a
download from a server that stalls ends at once instead of after the read timeout; the
download in flight leaves nothing behind and what was stored stays.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual.message import Message

if TYPE_CHECKING:
    from textual.app import App
    from textual.worker import Worker

    from kkr_tui.sync.client import StopEvent


class SyncProgress(Message):
    """A :class:`kkr_tui.sync.run.SyncEvent` from the sync worker thread."""

    def __init__(self, event: Any) -> None:
        super().__init__()
        self.event = event


class SyncFinished(Message):
    """The sync ended: its summary, or the one line that says why it could not run;
    ``stopped`` when the user stopped it (the summary None when that was before any
    file: nothing was stored)."""

    def __init__(self, summary: Any, problem: str | None, *, stopped: bool = False) -> None:
        super().__init__()
        self.summary = summary
        self.problem = problem
        self.stopped = stopped


class BackgroundSync:
    """One sync at a time, in a thread, with its own store connection."""

    def __init__(self, owner: App[Any], db_path: Path, config_path: Path | None) -> None:
        self.owner = owner
        self.db_path = db_path
        self.config_path = config_path
        #: Set while a sync runs (None otherwise); setting it asks the sync to stop.
        self.cancel: StopEvent | None = None

    @property
    def running(self) -> bool:
        """Whether a sync runs now (from start until its :class:`SyncFinished` is handled)."""
        return self.cancel is not None

    def start(self) -> Worker[None] | None:
        """Start a sync; None when one runs already."""
        from kkr_tui.sync.client import StopEvent

        if self.cancel is not None:
            return None
        cancel = self.cancel = StopEvent()
        return self.owner.run_worker(
            lambda: self._sync_worker(cancel),
            name="_sync_worker",
            group="sync",
            thread=True,
            exit_on_error=False,
        )

    def stop(self) -> bool:
        """Ask the running sync to stop now (False: none runs, or it is stopping)."""
        cancel = self.cancel
        if cancel is None or cancel.is_set():
            return False
        cancel.set()
        return True

    def finished(self) -> None:
        """The app has taken in the :class:`SyncFinished`: a new sync may start."""
        self.cancel = None

    def _sync_worker(self, cancel: StopEvent) -> None:
        from kkr_tui.paths import config_path
        from kkr_tui.store import Store
        from kkr_tui.sync.client import SyncCancelled
        from kkr_tui.sync.run import SiteUnreachable
        from kkr_tui.sync.session import sync_store

        owner = self.owner

        def progress(event: Any) -> None:
            owner.post_message(SyncProgress(event))

        try:
            with Store(self.db_path) as store:
                summary = sync_store(
                    store,
                    config_path=self.config_path or config_path(),
                    progress=progress,
                    cancel=cancel,
                )
        except SiteUnreachable as error:
            owner.post_message(SyncFinished(None, str(error)))
            return
        except SyncCancelled:
            # Stopped while the council pages were read: nothing was stored.
            owner.post_message(SyncFinished(None, None, stopped=True))
            return
        except Exception as error:  # noqa: BLE001 - shown to the user, never a silent death
            owner.post_message(SyncFinished(None, f"{type(error).__name__}: {error}"))
            return
        owner.post_message(SyncFinished(summary, None, stopped=summary.cancelled))
