# The mixin methods annotate ``self`` as the KkrApp they are mixed into, which mypy
# reports as "misc" (the erased self type is not a supertype of the mixin); the
# mixins give way to widgets and screens of their own (issue 18), which ends this.
# mypy: disable-error-code="misc"
"""Living beside other programs: notice outside changes, offer a reload, report a busy store.

A mixin for :class:`~kkr_tui.app.app.KkrApp`. ``kkr-tui ingest`` in another terminal
commits through its own connection; SQLite's ``PRAGMA data_version`` (read through
``Store.change_token`` on the store thread, one cheap pragma every two seconds) moves
only on such commits, never on the app's own writes. It moves for notes and index
upkeep by other programs too, so when it does the app compares the store's content
version (``Store.content_version``, moved by every stored, replaced or removed
document) and offers a reload (``R``) only when it moved; otherwise the commit was
notes, reading marks or upkeep, and the tree's marks and the note on screen are
redrawn in place. A database no writer of this release has opened has no content
version; then any outside commit counts. A failed
worker (a store error, or any other) is logged and shown (:mod:`kkr_tui.app.failures`).

Read-only mode (``app.read_only``) is decided here too: forced by ``--read-only`` or
because the database file or its folder is not writable. Other features ask
``app.read_only`` before they offer a write (note editing, first-run ingest).
"""

from __future__ import annotations

import contextlib
from typing import TYPE_CHECKING

from textual import work
from textual.worker import Worker

from kkr_tui.app.actions import Command, register
from kkr_tui.app.db import Store
from kkr_tui.app.failures import report_worker_failure
from kkr_tui.i18n import N_, _
from kkr_tui.paths import database_is_read_only

if TYPE_CHECKING:
    from kkr_tui.app.app import KkrApp

#: Seconds between two looks at the database's change counter.
POLL_SECONDS = 2.0

register(
    Command(
        "reload",
        "R",
        "reload",
        N_("Reload"),
        N_("Show the documents another program has stored since"),
        typed=True,
    )
)

is_read_only = database_is_read_only

READ_ONLY_SUBTITLE = N_("KKR meetings · read-only")


class StoreWatch:
    """Change detection, the reload action, store-error notifications and read-only mode."""

    read_only: bool = False
    _seen_version: int | None = None
    _seen_content: tuple[str, int] | None = None
    _reload_offered: bool = False

    def start_watching(self: KkrApp) -> None:
        """Remember the current change counter and look again every :data:`POLL_SECONDS`."""
        self.set_interval(POLL_SECONDS, self.check_for_changes, name="store-watch")
        self.check_for_changes()

    @work(group="store-watch", exclusive=True, exit_on_error=False)
    async def check_for_changes(self: KkrApp) -> None:
        """Offer a reload once when another program has stored or removed documents
        since we last looked."""
        if self.gateway.store is None:
            return
        # What was seen is recorded only after it has been acted on: this worker is
        # exclusive, so the next poll may cancel it at any await, and a version recorded
        # before the cancel would make that poll skip a change nobody has shown.
        _token, version = await self.gateway.call(Store.change_token)
        if self._seen_version is None:
            self._seen_content = await self.gateway.call(Store.content_version)
            self._seen_version = version
        elif version != self._seen_version and not self._reload_offered:
            content = await self.gateway.call(Store.content_version)
            if content is not None and content == self._seen_content:
                await self.show_outside_note_changes()
                self._seen_version = version
                return
            self._seen_version = version
            self._reload_offered = True
            self.notify(
                _("Another program has stored documents. Press {keys} to show them.").format(
                    keys=self.keys_for("reload")
                ),
                title=_("New documents"),
                timeout=15,
                markup=False,
            )

    async def action_reload(self: KkrApp) -> None:
        """Reload the tree from the database and show again what was on screen, if it still is."""
        if self.gateway.store is None:
            return
        _token, self._seen_version = await self.gateway.call(Store.change_token)
        self._seen_content = await self.gateway.call(Store.content_version)
        self._reload_offered = False
        view = self.pane.shown
        if await self.gateway.call(Store.is_empty):
            return
        await self._reload_tree(view)
        self.warm_search()
        self.notify(_("Reloaded the database."), markup=False)

    async def _reload_tree(self: KkrApp, view: tuple[str, int] | None) -> None:
        """Rebuild the tree; open it at ``view`` if that is still stored, else at the default."""
        tree = self.tree
        if view is not None:
            tree.root.remove_children()
            if tree.root.data is not None:
                tree.root.data.loaded = False
            await tree.load_children(tree.root)
            with contextlib.suppress(Exception):  # replaced since: fall back to the default
                await self.reveal(view, record=False)
                return
        await tree.load_root()

    def on_worker_state_changed(self: KkrApp, event: Worker.StateChanged) -> None:
        """A worker of the app stopped by an error: log it, say so, keep the app running."""
        report_worker_failure(self, event)

    def announce_read_only(self: KkrApp) -> None:
        """Say once, in the subtitle and a notification, that nothing will be written."""
        self.sub_title = _(READ_ONLY_SUBTITLE)
        self.notify(
            _(
                "The database is read-only: reading and searching work; "
                "notes and importing are off."
            ),
            title=_("Read-only"),
            markup=False,
        )
