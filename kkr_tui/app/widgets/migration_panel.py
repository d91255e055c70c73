"""The upgrade of an older archive, shown while the store migrates it: a line with the
percent and a bar, over the reading pane.

The store migrates inside its open, on the store thread (:mod:`kkr_tui.app.db`), and
tells each step as a :class:`kkr_tui.store.MigrationEvent`; the app passes them here.
Like the first run's ingest panel, it is mounted only when a migration starts, so the
first frame of an up-to-date archive does not pay for it.
"""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import ProgressBar, Static

from kkr_tui.i18n import _


def upgrade_line(percent: int, stage: str = "") -> str:
    """The panel's line: what is happening and how far it has come. The commit (the
    upgrade written into the file, seconds at 100k items with no steps to count) and
    the compaction after it are named, so a percent that waits is seen to be at work."""
    if stage == "commit":
        line = _("Saving the upgraded archive … {percent} % (the last step)")
    elif stage == "compact":
        line = _("Compacting the archive … {percent} %")
    else:
        line = _("Upgrading the archive to a new version … {percent} %")
    return line.format(percent=percent)


class MigrationPanel(Vertical):
    """A label and a progress bar over the reading pane while the archive is upgraded."""

    #: The narrow layout showed the list when the upgrade began (it shows the pane meanwhile).
    list_was_in_front = False

    def compose(self) -> ComposeResult:
        yield Static(upgrade_line(0), id="migration-label")
        yield ProgressBar(id="migration-bar", total=100, show_eta=False, show_percentage=False)

    def show_event(self, event: Any) -> None:
        """Draw one :class:`~kkr_tui.store.MigrationEvent` (its percent and stage). While
        the commit runs there is nothing to count, so the bar pulses (no total) to show
        the work goes on."""
        percent = int(getattr(event, "percent", 0))
        stage = str(getattr(event, "stage", ""))
        if getattr(event, "task", "upgrade") == "compact":
            stage = "compact"  # a compaction on its own: every line says so
        self.query_one("#migration-label", Static).update(upgrade_line(percent, stage))
        bar = self.query_one(ProgressBar)
        if stage == "commit":
            bar.update(total=None)
        else:
            bar.update(total=100, progress=percent)


async def follow_migration(app: Any, event: Any) -> None:
    """Show one step of the upgrade in ``app`` (the reader): at ``start`` the panel over
    the pane and a word on what happens in the pane; the percent as it moves; a line
    when the file could not be compacted; at ``done`` the panel goes."""
    panel = next(iter(app.query(MigrationPanel)), None)
    compaction = getattr(event, "task", "upgrade") == "compact"
    if event.stage == "start" and panel is None:
        panel = MigrationPanel(id="migration")
        await app.query_one("#right").mount(panel, before=app.pane)
        panel.list_was_in_front = app.narrow
        if app.narrow:  # one pane at a time: the list is empty until the upgrade is done
            app.show_text()
    if event.stage == "start" and compaction:
        await app.pane.show_message(
            _("Compacting the archive"),
            _(
                "When this archive was upgraded, the disk had no room to compact it; now "
                "there is, and it is compacted, once. You may quit meanwhile ({keys}): "
                "nothing is lost, and it is tried again the next time."
            ).format(keys=app.keys_for("quit_q")),
        )
    elif event.stage == "start":
        await app.pane.show_message(
            _("Upgrading the archive"),
            _(
                "This archive was made by an earlier kkr-tui and is brought up to date, "
                "once. For a large archive this takes a few minutes. You may quit "
                "meanwhile ({keys}): the archive stays as it was, and the upgrade starts "
                "again the next time."
            ).format(keys=app.keys_for("quit_q")),
        )
    if compaction and event.stage == "compact_failed":
        app.notify(
            _(
                "The archive could not be compacted now (another program is using it, or "
                "the disk filled up); nothing is lost, and it is tried again next time."
            ),
            title=_("Compacting the archive"),
            severity="warning",
            markup=False,
        )
    elif compaction and event.stage == "done" and panel is not None:
        app.notify(_("The archive is compacted."), title=_("Compacting the archive"), markup=False)
    if event.stage == "compact_skipped":
        app.notify(
            _(
                "The archive is upgraded but not compacted: that needs {needed} MB free "
                "and {free} MB are. It is compacted on a later start when there is room; "
                "until then the file keeps its size (imports reuse the space)."
            ).format(needed=_mb(event.needed, up=True), free=_mb(event.free)),
            title=_("Upgrading the archive"),
            severity="warning",
            markup=False,
        )
    if panel is None:
        return
    if event.stage == "done":
        await panel.remove()
        if panel.list_was_in_front and app.narrow:
            app.show_list()
    else:
        panel.show_event(event)


def _mb(size: int, *, up: bool = False) -> str:
    """Bytes as whole megabytes, rounded ``up`` (what is needed) or down (what is free),
    so a need over what is free never reads as the same number."""
    return str(-(-size // 1_000_000) if up else size // 1_000_000)
