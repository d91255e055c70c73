"""What every part of the reader shares: its state, its two panes and how to reach them.

The App's jobs live in modules of their own (layout, navigation, the meeting work, …);
each is a class on this one, so each is typed against the state it uses without
importing the App that joins them (:mod:`kkr_tui.app.app`), and the palette and the
help screen take a ``ReaderBase`` for the same reason.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from textual import work
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Footer, Header
from textual.worker import Worker

from kkr_tui import i18n
from kkr_tui.app import actions
from kkr_tui.app.config import AppConfig, load_config
from kkr_tui.app.db import StoreGateway
from kkr_tui.app.failures import report_worker_failure
from kkr_tui.app.history import History
from kkr_tui.app.sync_actions import BackgroundSync
from kkr_tui.app.watcher import StoreWatcher
from kkr_tui.app.widgets.item_pane import ItemPane
from kkr_tui.app.widgets.marked_tree import MarkedMeetingTree
from kkr_tui.i18n import _
from kkr_tui.paths import database_is_read_only

if TYPE_CHECKING:
    from kkr_tui.app.widgets.related_panel import RelatedPanel
    from kkr_tui.records import ItemDetail, MeetingDetail

LIGHT_THEME = "textual-light"
DARK_THEME = "textual-dark"


def _freeze_imports() -> None:
    """Keep what the imports made out of the cyclic collector's scans, once per process.

    Modules, classes and functions live as long as the process, yet the first full
    collection (which fell during the first frame, 20-40 ms) scans every one of them.
    ``gc.freeze`` moves them to a permanent generation. Only when nothing is frozen
    yet: freezing again later (tests start many apps) would keep garbage forever.
    """
    if gc.get_freeze_count() == 0:
        gc.freeze()


class ReaderBase(App[None]):
    """The reader's state and panes; the parts of :class:`~kkr_tui.app.app.KkrApp` build on it."""

    def __init__(
        self,
        db_path: Path,
        *,
        sample_docs: Iterable[Path] | None = None,
        config_path: Path | None = None,
        theme: str | None = None,
        read_only: bool | None = None,
    ) -> None:
        _freeze_imports()
        self.config_path = config_path
        self.config: AppConfig = load_config(config_path)
        i18n.set_language(i18n.choose_language(self.config.language))
        super().__init__()
        actions.translate_bindings(self)
        self.sub_title = _("KKR meetings")
        #: Forced by ``--read-only``, or because the database file or its folder is not
        #: writable; features ask it before they offer a write (notes, first-run ingest).
        self.read_only = database_is_read_only(Path(db_path)) if read_only is None else read_only
        self.gateway = StoreGateway(db_path, read_only=self.read_only)
        self.gateway.on_migrate = self._migration_step  # an older archive's upgrade
        self.watcher = StoreWatcher(self, self.gateway)
        self.sync = BackgroundSync(self, Path(db_path), config_path)
        self.sample_docs = list(sample_docs or [])
        self.history = History()
        self._pane = ItemPane(self.gateway, id="pane")
        self.last_query = ""
        self.cancel_ingest = threading.Event()
        self._remember_theme = theme is None
        self.theme = theme or self.config.theme or DARK_THEME
        if self.config.keymap:
            self.config.problems.extend(actions.keymap_problems(self.config.keymap))
            self.set_keymap(self.config.keymap)

    def compose(self) -> ComposeResult:
        yield Header(icon="§")
        with Horizontal(id="main"):
            yield MarkedMeetingTree(self.gateway, id="tree")
            with Vertical(id="right"):
                yield self._pane
        # Compact and without the palette key, so the keys of the item fit 80 columns;
        # ctrl+p is in the help.
        yield Footer(compact=True, show_command_palette=False)

    @property
    def tree(self) -> MarkedMeetingTree:  # type: ignore[override]  # see the docstring
        """The meeting tree.

        Shadows Textual's ``DOMNode.tree`` (a Rich debugging view of the DOM, never
        used by Textual itself); the whole reader and its tests say ``app.tree``.
        """
        return self.query_one(MarkedMeetingTree)

    @property
    def pane(self) -> ItemPane:
        """The reading pane."""
        return self._pane

    @property
    def current_item(self) -> ItemDetail | None:
        """The item in front of the reader (the pane's to know)."""
        return self._pane.item

    @property
    def current_meeting(self) -> MeetingDetail | None:
        """The meeting overview in front of the reader (the pane's to know)."""
        return self._pane.meeting

    def _meeting_id(self) -> int | None:
        """The meeting on screen: the open item's, or the overview's."""
        if self.current_item is not None:
            return self.current_item.meeting_id
        if self.current_meeting is not None:
            return self.current_meeting.id
        return None

    def current_urls(self) -> list[str]:
        """Links of the item on screen, for the command palette."""
        return list(self.current_item.urls) if self.current_item is not None else []

    @property
    def related_panel(self) -> RelatedPanel:
        """The Related panel under the pane (mounted when the first item is shown)."""
        from kkr_tui.app.widgets.related_panel import RelatedPanel

        return self.query_one(RelatedPanel)

    def _related_panel_if_mounted(self) -> RelatedPanel | None:
        from kkr_tui.app.widgets.related_panel import RelatedPanel

        return next(iter(self.query(RelatedPanel)), None)

    def key_display(self, keys: list[str]) -> str:
        """Keys as the footer shows them (``/``, ``ctrl+f``, ``?``)."""
        return " ".join(self.get_key_display(Binding(key, "")) for key in keys)

    def keys_for(self, ident: str) -> str:
        """The keys of a command right now (the user's keymap applied), for help and palette."""
        found = actions.command(ident)
        return self.key_display(actions.keys_of(found, dict(self.config.keymap))) if found else ""

    @work(group="warm-search", exclusive=True, exit_on_error=False)
    async def warm_search(self) -> None:
        """Load the search vocabulary in background steps once the tree is up.

        At a million items the load takes seconds; done here, between the reader's own
        store calls, the first search keystroke finds it ready.
        """
        await self.gateway.warm_search()

    def _migration_step(self, event: object) -> None:
        """A step of the upgrade of an older archive, told on the store thread while the
        gateway opens the store; shown by :class:`~kkr_tui.app.reader.start_up.StartUp`."""
        from kkr_tui.app.messages import MigrationProgress

        self.post_message(MigrationProgress(event))

    def on_unmount(self) -> None:
        self.cancel_ingest.set()
        self.sync.stop()
        self.gateway.close()

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """A worker of the app stopped by an error: log it, say so, keep the app running."""
        report_worker_failure(self, event)
