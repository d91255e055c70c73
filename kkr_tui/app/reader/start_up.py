"""The reader's start: open the store, fill an empty one from the samples, then the tree.

It runs in a worker after the first frame is drawn, so the reader shows at once and an
open that fails (a locked or damaged file) is a message in the pane, not a crash. An
archive an earlier kkr-tui made is upgraded inside that open, on the store thread: its
steps arrive as :class:`MigrationProgress` messages and are shown by
:mod:`kkr_tui.app.widgets.migration_panel`; quitting meanwhile stops it (the gateway's
close), and a disk without room for it leaves the archive read as it is, read-only.
"""

from __future__ import annotations

from textual import work

from kkr_tui.app.db import Store
from kkr_tui.app.messages import MigrationProgress
from kkr_tui.app.reader.base import ReaderBase
from kkr_tui.app.render import safe
from kkr_tui.i18n import N_, _

READ_ONLY_SUBTITLE = N_("KKR meetings · read-only")
EMPTY_TITLE = N_("No meetings yet")
EMPTY_BODY = N_(
    "Add agendas and minutes with\n\n    kkr-tui ingest FILE.pdf …\n\n"
    "then start kkr-tui again. Press / to search once documents are in."
)


class StartUp(ReaderBase):
    """Opening the store and filling the first screen."""

    @work(group="startup", exit_on_error=False)
    async def start_up(self) -> None:
        """Open the store, ingest the samples into an empty one, then fill the tree."""
        try:
            await self.gateway.open()
            empty = await self.gateway.call(Store.is_empty)
            if self.gateway.open_problem is not None and not self.read_only:
                self.read_only = True  # an older archive with no room to upgrade: read as is
                self.refresh_bindings()
                self.notify(
                    self.gateway.open_problem,
                    title=_("Upgrading the archive"),
                    severity="warning",
                    markup=False,
                    timeout=30,
                )
            if self.read_only:
                self.announce_read_only()
            elif self.sample_docs and empty:
                await self._ingest_samples()
                empty = await self.gateway.call(Store.is_empty)
        except Exception as exc:
            if self.gateway.closed:
                return  # quit while the archive was upgraded: stopped, nothing changed
            await self.pane.show_message(_("Could not open the database"), safe(str(exc)))
            self.notify(safe(str(exc)), title=_("Database"), severity="error", markup=False)
            return
        self.watcher.start()
        if empty:
            await self.pane.show_message(_(EMPTY_TITLE), _(EMPTY_BODY))
            return
        await self.tree.load_root()
        if not self.read_only:
            self.tree.detect_changes_in_steps()
        self.warm_search()

    async def on_migration_progress(self, message: MigrationProgress) -> None:
        from kkr_tui.app.widgets.migration_panel import follow_migration

        await follow_migration(self, message.event)

    def announce_read_only(self) -> None:
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

    async def _ingest_samples(self) -> None:
        """Store the bundled samples in the empty store, the panel showing how far."""
        from kkr_tui.app.widgets.ingest_panel import IngestPanel

        panel = IngestPanel(self.gateway, self.cancel_ingest, id="ingest")
        await self.query_one("#right").mount(panel, before=self.pane)
        await self.pane.show_message(_("Preparing the sample documents…"))
        failed = await panel.ingest(self.sample_docs)
        if failed:
            names = ", ".join(path.name for path in failed)
            self.notify(
                _("Could not read: {names}").format(names=names), severity="warning", markup=False
            )
