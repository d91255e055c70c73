"""The meeting work: the decisions of a meeting, how the others decided, what is new,
every note, and the briefing, each a screen that loads its own data.

A list screen answers with the item chosen, which the reader then opens
(:meth:`~kkr_tui.app.reader.navigation.Navigation._open_choice`); the briefing's
folder is remembered for the next export.
"""

from __future__ import annotations

from pathlib import Path

from kkr_tui.app.failures import log
from kkr_tui.app.reader.navigation import Navigation
from kkr_tui.i18n import _


class MeetingWork(Navigation):
    """The screens of the meeting work (``d`` ``D`` ``w`` ``x``, all notes)."""

    #: Where briefings go when no folder is remembered yet (tests set it).
    briefing_dir: Path | None = None

    def action_decisions(self) -> None:
        """Every item of the meeting with its decision; departures marked (``d``)."""
        meeting_id = self._meeting_id()
        if meeting_id is None:
            self.notify(_("Open a meeting or an item first."), severity="warning")
            return
        from kkr_tui.app.screens.decisions import DecisionsScreen

        self.push_screen(DecisionsScreen(self.gateway, meeting_id), self._open_choice)

    def action_others_decisions(self) -> None:
        """How the other councils and meetings decided the item on screen (``D``)."""
        item = self.current_item
        if item is None:
            self.notify(_("Open an item first."), severity="warning")
            return
        from kkr_tui.app.screens.others import OthersScreen

        screen = OthersScreen(self.gateway, item.id, f"{item.number} {item.title}")
        self.push_screen(screen, self._open_choice)

    def action_whats_new(self) -> None:
        """Items new or changed since you last looked, not opened since (``w``)."""
        from kkr_tui.app.screens.whats_new import WhatsNewScreen

        self.push_screen(WhatsNewScreen(self.gateway), self._open_choice)

    def action_all_notes(self) -> None:
        """Every note, newest meeting first."""
        from kkr_tui.app.screens.notes import NotesScreen

        self.push_screen(NotesScreen(self.gateway), self._open_choice)

    def action_export_briefing(self) -> None:
        """Write a briefing of the meeting on screen (``x``): asks where, starting in the
        folder the last one went to; a name ending in .html writes HTML."""
        meeting_id = self._meeting_id()
        if meeting_id is None:
            self.notify(_("Open a meeting or an item first."), severity="warning")
            return
        from kkr_tui.app.screens.export import ExportScreen

        def written(folder: Path | None) -> None:
            if folder is not None:
                self._remember_export_folder(folder)

        self.push_screen(ExportScreen(self.gateway, meeting_id, self._export_folder()), written)

    def _export_folder(self) -> Path:
        """Where the export dialog starts: the last folder used, else the default."""
        remembered = self.config.export_dir
        if remembered and Path(remembered).expanduser().is_dir():
            return Path(remembered).expanduser()
        if self.briefing_dir is not None:
            return self.briefing_dir
        from kkr_tui.paths import data_dir

        return data_dir() / "briefings"

    def _remember_export_folder(self, folder: Path) -> None:
        """The next export starts here, also after a restart (the config file)."""
        from kkr_tui.app.config import save_export_dir

        self.config.export_dir = str(folder)
        try:
            save_export_dir(self.config_path, str(folder))
        except OSError as exc:
            log.warning("could not remember the export folder: %s", exc)
