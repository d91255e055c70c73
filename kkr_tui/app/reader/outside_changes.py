"""What others store while the reader is open: another program's commits (told by
:mod:`~kkr_tui.app.watcher`) and the background fetch (:mod:`~kkr_tui.app.sync_actions`).

Both end in the same reload, which shows again what was on screen when it is still
stored; notes and marks written elsewhere are redrawn in place instead.
"""

from __future__ import annotations

import contextlib
from typing import Any

from kkr_tui.app.db import Store
from kkr_tui.app.history import View
from kkr_tui.app.reader.navigation import Navigation
from kkr_tui.app.render import safe
from kkr_tui.app.sync_actions import SyncFinished, SyncProgress
from kkr_tui.app.watcher import StoreWatcher
from kkr_tui.i18n import _


class OutsideChanges(Navigation):
    """Reloading what others stored, and fetching new documents in the background."""

    def on_store_watcher_documents_stored(self, _message: StoreWatcher.DocumentsStored) -> None:
        """Another program stored documents: offer the reload, once."""
        self.notify(
            _("Another program has stored documents. Press {keys} to show them.").format(
                keys=self.keys_for("reload")
            ),
            title=_("New documents"),
            timeout=15,
            markup=False,
        )

    def on_store_watcher_marks_changed(self, _message: StoreWatcher.MarksChanged) -> None:
        """Another program wrote notes or reading marks: redraw them in place, no reload."""
        self.tree.redraw_marks()
        self.run_worker(
            self._redraw_changed_note(),
            name="check_for_changes",
            group="outside-marks",
            exit_on_error=False,
        )

    async def _redraw_changed_note(self) -> None:
        if await self.pane.note_changed_elsewhere():
            self.pane.redraw()

    async def action_reload(self) -> None:
        """Reload the tree from the database and show again what was on screen, if it still is."""
        if self.gateway.store is None:
            return
        await self.watcher.caught_up()
        view = self.pane.shown
        if await self.gateway.call(Store.is_empty):
            return
        await self._reload_tree(view)
        self.warm_search()
        self.notify(_("Reloaded the database."), markup=False)

    async def _reload_tree(self, view: View | None) -> None:
        """Rebuild the tree; open it at ``view`` if that is still stored, else at the default."""
        tree = self.tree
        if view is not None:
            await tree.reload()
            with contextlib.suppress(Exception):  # replaced since: fall back to the default
                await self.reveal(view, record=False)
                return
        await tree.load_root()

    def action_fetch_documents(self) -> None:
        """Run sync in the background (once at a time); while it runs, stop it."""
        if self.read_only:
            self.notify(_("The database is open read-only; nothing can be fetched."))
            return
        if self.gateway.store is None:  # still opening (an older archive being upgraded)
            self.notify(_("The archive is still being opened; fetch when it is shown."))
            return
        if self.sync.running:
            if self.sync.stop():
                self.sub_title = _("Stopping the fetch…")
            return
        if self.sync.start() is None:
            return
        self.sub_title = _("Fetching new documents… (H stops)")

    def on_sync_progress(self, message: SyncProgress) -> None:
        event = message.event
        if self.sync.cancel is not None and self.sync.cancel.is_set():
            return  # "Stopping the fetch…" stays until it has stopped
        if event.total:
            text = _("Fetching new documents… {done}/{total} (H stops)").format(
                done=event.done, total=event.total
            )
            if event.pages > 1 and event.current:
                # A long bilag or document being read: how far into it, so a bilag of
                # hundreds of pages never looks like a stuck fetch.
                text += " · " + _("{name}: page {page} of {pages}").format(
                    name=safe(event.current)[:40], page=event.page, pages=event.pages
                )
            self.sub_title = text

    def on_sync_finished(self, message: SyncFinished) -> None:
        """Say what happened, then reload in a worker."""
        self.run_worker(
            self._after_sync(message.summary, message.problem, message.stopped),
            name="_after_sync",
            group="sync",
            exit_on_error=False,
        )

    async def _after_sync(self, summary: Any, problem: str | None, stopped: bool) -> None:
        self.sync.finished()
        self.sub_title = _("KKR meetings")  # sync never runs read-only: the usual subtitle
        if problem is not None:
            self.notify(problem, title=_("No connection"), severity="warning", markup=False)
            return
        if summary is None:  # stopped before any file: nothing was stored
            self.notify(_("Fetching stopped; nothing was stored."), title=_("Stopped"))
            return
        title = _("Stopped") if stopped else _("Fetched")
        self.notify(summary.line(), title=title, markup=False, timeout=10)
        if summary.any_failed:
            failed = [line.text() for line in summary.lines if line.failed][:3]
            self.notify("\n".join(failed), severity="warning", markup=False)
        if self.gateway.store is not None:
            await self.gateway.call(Store.detect_changes)
        await self.action_reload()
