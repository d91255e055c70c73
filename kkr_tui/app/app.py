"""The reader: a meeting tree on the left, the item or meeting on the right, search on top.

The App is composition and routing. It composes the meeting tree and the item pane,
owns what belongs to the whole reader (the layout, the history, the theme, the
config, read-only mode) and turns one part's messages into another part's calls: the
pane's ``ItemShown`` into the Related panel's search and the tree's marks, a key into
a screen. The parts load their own data, each in workers of its own through
:class:`~kkr_tui.app.db.StoreGateway` (the pane its item, the tree its levels and
marks, every list screen its rows), so the first frame never waits for SQLite,
sqlite_utils, rapidfuzz or an ingest. Other programs' commits and the background
sync reach the app as messages from objects it owns (:mod:`~kkr_tui.app.watcher`,
:mod:`~kkr_tui.app.sync_actions`).

Each of those jobs is a module of :mod:`kkr_tui.app.reader` (the shared state in
``base``; ``layout``, ``navigation``, ``pane_routing``, ``searching``,
``meeting_work``, ``copying``, ``outside_changes``, ``start_up``, ``palette``,
``availability``); this module joins them and starts them on mount.

The first frame waits for these modules' imports and for composing the first screen,
so both are kept to what that screen shows: the search and help screens, the command
palette's provider and the note editor's TextArea are imported when first used, and
the ingest progress panel and the Related panel are mounted when first needed.
"""

from __future__ import annotations

from pathlib import PurePath
from typing import ClassVar

from textual.binding import BindingType

from kkr_tui.app import actions
from kkr_tui.app.reader.availability import Availability
from kkr_tui.app.reader.copying import Copying
from kkr_tui.app.reader.meeting_work import MeetingWork
from kkr_tui.app.reader.outside_changes import OutsideChanges
from kkr_tui.app.reader.palette import PaletteAndHelp
from kkr_tui.app.reader.pane_routing import PaneRouting
from kkr_tui.app.reader.searching import Searching
from kkr_tui.app.reader.start_up import StartUp
from kkr_tui.i18n import _


def _styles() -> list[str | PurePath]:
    from kkr_tui.paths import styles_dir

    return [styles_dir() / "app.tcss"]


class KkrApp(
    Availability,
    StartUp,
    OutsideChanges,
    MeetingWork,
    Searching,
    PaneRouting,
    Copying,
    PaletteAndHelp,
):
    """kkr-tui's Textual application: the reader's parts joined."""

    TITLE = "kkr-tui"
    CSS_PATH = _styles()

    #: From the one list of commands (:mod:`kkr_tui.app.actions`), as footer, palette and
    #: help are.
    BINDINGS: ClassVar[list[BindingType]] = list(actions.bindings("app"))

    def on_mount(self) -> None:
        self.theme_changed_signal.subscribe(self, self._theme_changed)
        self.watch(self.screen, "focused", self._focus_moved)
        self.tree_width = self.config.tree_width
        self.screen.set_class(self.config.tree_hidden, "-tree-hidden")
        self._fit_layout(self.size.width)
        (self.pane if self.config.tree_hidden else self.tree).focus()
        for problem in self.config.problems:
            self.notify(problem, title=_("Settings"), severity="warning", markup=False)
        self.call_after_refresh(self.start_up)
