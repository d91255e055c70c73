"""The reader's side of sync: "Hent nye dokumenter" and opening a bilag.

Sync runs in a thread worker with a Store connection of its own (SQLite's WAL lets the
reader go on reading meanwhile; each document is one short write), so the reader is
never blocked by the network or by reading a large bilag. Progress shows in the
header's subtitle; when it is done the tree is reloaded, what arrived is marked new
(What's new), and a notification says what came. No network: one notification. The
app never speaks HTTP itself: :func:`kkr_tui.sync.session.sync_store` does.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING, Any

from textual import work
from textual.message import Message

from kkr_tui.i18n import _

if TYPE_CHECKING:
    from kkr_tui.app.app import KkrApp


class SyncProgress(Message):
    """A :class:`kkr_tui.sync.run.SyncEvent` from the sync worker thread."""

    def __init__(self, event: Any) -> None:
        super().__init__()
        self.event = event


class SyncActions:
    """Actions of sync and bilag; mixed into KkrApp."""

    sync_cancel: threading.Event | None = None

    def action_fetch_documents(self: KkrApp) -> None:  # type: ignore[misc]
        """Run sync in the background (once at a time)."""
        if self.read_only:
            self.notify(_("The database is open read-only; nothing can be fetched."))
            return
        if self.sync_cancel is not None:
            self.notify(_("Already fetching…"), markup=False)
            return
        self.sync_cancel = threading.Event()
        self.sub_title = _("Fetching new documents…")
        self._sync_worker(self.sync_cancel)

    @work(thread=True, group="sync", exit_on_error=False)
    def _sync_worker(self: KkrApp, cancel: threading.Event) -> None:
        from kkr_tui.paths import config_path
        from kkr_tui.store import Store
        from kkr_tui.sync.run import SiteUnreachable
        from kkr_tui.sync.session import sync_store

        def progress(event: Any) -> None:
            self.post_message(SyncProgress(event))

        try:
            with Store(self.gateway.db_path) as store:
                summary = sync_store(
                    store,
                    config_path=self.config_path or config_path(),
                    progress=progress,
                    cancel=cancel,
                )
        except SiteUnreachable as error:
            self.call_from_thread(self._sync_finished, None, str(error))
            return
        except Exception as error:  # noqa: BLE001 - shown to the user, never a silent death
            self.call_from_thread(self._sync_finished, None, f"{type(error).__name__}: {error}")
            return
        self.call_from_thread(self._sync_finished, summary, None)

    def on_sync_progress(self: KkrApp, message: SyncProgress) -> None:  # type: ignore[misc]
        event = message.event
        if event.total:
            self.sub_title = _("Fetching new documents… {done}/{total}").format(
                done=event.done, total=event.total
            )

    def _sync_finished(self: KkrApp, summary: Any, problem: str | None) -> None:  # type: ignore[misc]
        """Back on the app's thread: say what happened, then reload in a worker."""
        self.run_worker(self._after_sync(summary, problem), group="sync")

    async def _after_sync(self: KkrApp, summary: Any, problem: str | None) -> None:  # type: ignore[misc]
        from kkr_tui.app.db import Store

        self.sync_cancel = None
        self.sub_title = _("KKR meetings")  # sync never runs read-only: the usual subtitle
        if problem is not None:
            self.notify(problem, title=_("No connection"), severity="warning", markup=False)
            return
        self.notify(summary.line(), title=_("Fetched"), markup=False, timeout=10)
        if summary.any_failed:
            failed = [line.text() for line in summary.lines if line.failed][:3]
            self.notify("\n".join(failed), severity="warning", markup=False)
        if self.gateway.store is not None:
            await self.gateway.call(Store.detect_changes)
        await self.action_reload()

    async def open_bilag(self: KkrApp, bilag_id: int, page: int = 1) -> None:  # type: ignore[misc]
        """Open a bilag's text (page by page) over the reader."""
        from kkr_tui.app.db import Store
        from kkr_tui.app.screens.bilag import BilagScreen

        bilag = await self.gateway.call(Store.bilag, bilag_id)
        await self.push_screen(BilagScreen(bilag, page))
