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

The first frame waits for this module's imports and for composing the first screen,
so both are kept to what that screen shows: the search and help screens, the command
palette's provider and the note editor's TextArea are imported when first used, and
the ingest progress panel and the Related panel are mounted when first needed.
"""

from __future__ import annotations

import contextlib
import gc
import threading
from collections.abc import Iterable
from pathlib import Path, PurePath
from typing import TYPE_CHECKING, Any, ClassVar

from textual import on, work
from textual.app import App, ComposeResult, SystemCommand
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Footer, Header, Input, Tree
from textual.worker import Worker

from kkr_tui import i18n
from kkr_tui.app import actions
from kkr_tui.app.config import AppConfig, load_config, save_theme
from kkr_tui.app.db import Store, StoreGateway
from kkr_tui.app.failures import log, report_worker_failure
from kkr_tui.app.history import History, View
from kkr_tui.app.render import citation, item_as_text, safe
from kkr_tui.app.sync_actions import BackgroundSync, SyncFinished, SyncProgress
from kkr_tui.app.watcher import StoreWatcher
from kkr_tui.app.widgets.item_pane import ItemPane
from kkr_tui.app.widgets.marked_tree import MarkedMeetingTree
from kkr_tui.app.widgets.meeting_tree import NodeInfo
from kkr_tui.i18n import N_, _
from kkr_tui.paths import database_is_read_only

if TYPE_CHECKING:
    from textual.command import Provider

    from kkr_tui.app.screens.search import BilagView
    from kkr_tui.app.widgets.related_panel import RelatedPanel
    from kkr_tui.records import ItemDetail, MeetingDetail


#: The reader's own actions (not help): off while an overlay is in front.
READER_ACTIONS = frozenset(
    c.action.split("(")[0] for c in actions.commands("app") if c.id not in ("help", "quit_q")
)
#: Actions that need an item on screen, or a meeting (or an item of it).
ITEM_ACTIONS = frozenset({"copy", "copy_citation", "edit_note"})
MEETING_ACTIONS = frozenset({"decisions", "export_briefing", "next_item", "prev_item"})
#: Actions on printable keys: they belong to an input or the note editor while one has focus.
LETTER_ACTIONS = actions.typed_actions()
WRITE_ACTIONS = actions.write_actions()
#: Below this many columns the reader shows one pane at a time (the list, or the text):
#: side by side, titles in a 28-column list were cut to 18 characters.
NARROW_BELOW = 100
TREE_MIN, TREE_MAX_SHARE = 20, 0.7
LIGHT_THEME = "textual-light"
DARK_THEME = "textual-dark"

READ_ONLY_SUBTITLE = N_("KKR meetings · read-only")
EMPTY_TITLE = N_("No meetings yet")
EMPTY_BODY = N_(
    "Add agendas and minutes with\n\n    kkr-tui ingest FILE.pdf …\n\n"
    "then start kkr-tui again. Press / to search once documents are in."
)
#: Textual's own words that reach the footer (the command palette key's label).
TEXTUAL_WORDS = (N_("palette"), N_("Open the command palette"))
#: Textual's keys every screen inherits (tab, shift+tab, ctrl+c): an overlay's help lists
#: them, translated by ``actions.translate_bindings`` like our own.
TEXTUAL_SCREEN_WORDS = (N_("Focus Next"), N_("Focus Previous"), N_("Copy selected text"))
#: Textual's own palette commands we keep, in our words (others are for developers).
SYSTEM_COMMANDS = {
    "Theme": (N_("Theme"), N_("Choose the colours")),
    "Quit": (N_("Quit"), N_("Quit the reader")),
    "Maximize": (N_("Maximize"), N_("Let the focused panel fill the screen")),
    "Minimize": (N_("Minimize"), N_("Back to the normal layout")),
}


def _styles() -> list[str | PurePath]:
    from kkr_tui.paths import styles_dir

    return [styles_dir() / "app.tcss"]


def _kkr_commands() -> type[Provider]:
    """The palette's provider, imported when the palette first opens (Textual allows a callable)."""
    from kkr_tui.app.commands import KkrCommands

    return KkrCommands


def _freeze_imports() -> None:
    """Keep what the imports made out of the cyclic collector's scans, once per process.

    Modules, classes and functions live as long as the process, yet the first full
    collection (which fell during the first frame, 20-40 ms) scans every one of them.
    ``gc.freeze`` moves them to a permanent generation. Only when nothing is frozen
    yet: freezing again later (tests start many apps) would keep garbage forever.
    """
    if gc.get_freeze_count() == 0:
        gc.freeze()


def _is_text_area(widget: Widget | None) -> bool:
    """Whether ``widget`` is a TextArea, without importing TextArea (about 12 ms at
    start-up): by class name along its MRO, which needs no module path of Textual's."""
    return widget is not None and any(c.__name__ == "TextArea" for c in type(widget).__mro__)


class KkrApp(App[None]):
    """kkr-tui's Textual application."""

    TITLE = "kkr-tui"
    CSS_PATH = _styles()
    COMMANDS = App.COMMANDS | {_kkr_commands}
    ENABLE_COMMAND_PALETTE = True

    #: From the one list of commands (:mod:`kkr_tui.app.actions`), as footer, palette and
    #: help are.
    BINDINGS: ClassVar[list[BindingType]] = list(actions.bindings("app"))

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

    @property
    def related_panel(self) -> RelatedPanel:
        """The Related panel under the pane (mounted when the first item is shown)."""
        from kkr_tui.app.widgets.related_panel import RelatedPanel

        return self.query_one(RelatedPanel)

    def _related_panel_if_mounted(self) -> RelatedPanel | None:
        from kkr_tui.app.widgets.related_panel import RelatedPanel

        return next(iter(self.query(RelatedPanel)), None)

    async def _mounted_related_panel(self) -> RelatedPanel:
        """The Related panel, mounted under the pane the first time an item needs it.

        Not part of the first screen: it is hidden until an item has related items,
        and composing it (an OptionList) at start-up cost about 25 ms of first frame.
        """
        from kkr_tui.app.widgets.related_panel import RelatedPanel

        panel = self._related_panel_if_mounted()
        if panel is not None:
            return panel
        panel = RelatedPanel(self.gateway, id="related")
        await self.query_one("#right").mount(panel)
        return panel

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

    def on_resize(self, event: Any) -> None:
        self._fit_layout(event.size.width)

    def _fit_layout(self, width: int) -> None:
        """Side by side when there is room, else one pane at a time (``-narrow``), the
        list then as wide as the screen whatever width it was given."""
        narrow = width < NARROW_BELOW
        self.screen_stack[0].set_class(narrow, "-narrow")
        if narrow or self.tree_width is None:
            self.tree.styles.clear_rule("width")
            self.tree.styles.clear_rule("max_width")
        else:
            self.tree.styles.width = self.tree_width
            self.tree.styles.max_width = None

    def _focus_moved(self, focused: Widget | None) -> None:
        """In the narrow layout, the pane in front is the one that has focus."""
        if focused is None or not self.screen_stack:
            return
        main = self.screen_stack[0]
        if focused.screen is not main:
            return
        in_text = any(node.id == "right" for node in focused.ancestors_with_self)
        main.set_class(in_text, "-text-in-front")

    @property
    def narrow(self) -> bool:
        """Whether the reader shows one pane at a time."""
        return bool(self.screen_stack) and self.screen_stack[0].has_class("-narrow")

    def show_text(self) -> None:
        """Bring the reading pane to the front (narrow layout) and focus it."""
        self.screen_stack[0].add_class("-text-in-front")
        self.pane.focus()

    def show_list(self) -> None:
        """Bring the meeting list to the front (narrow layout) and focus it."""
        main = self.screen_stack[0]
        main.remove_class("-text-in-front")
        main.remove_class("-tree-hidden")
        self.tree.focus()

    async def action_find(self) -> None:
        """``/`` or ``ctrl+f`` in the text: a find field under it (Enter finds)."""
        await self.pane.finder.open()

    def action_find_step(self, delta: int) -> None:
        """``n`` / ``N``: the next or previous match of the find."""
        self.pane.finder.step(delta)

    def action_show_list(self) -> None:
        """``escape`` in the text: end a find if one is on, else back to the meeting list
        (in front, when narrow)."""
        if self.pane.finder.active:
            self.pane.finder.end()
            return
        self.show_list()

    def action_focus_next(self) -> None:
        """``tab``: in the narrow layout, switch between list and text; else as usual."""
        if self.narrow and self.screen is self.screen_stack[0]:
            in_text = self.screen.has_class("-text-in-front")
            self.show_list() if in_text else self.show_text()
            return
        super().action_focus_next()

    def action_focus_previous(self) -> None:
        """``shift+tab``: as ``tab``."""
        if self.narrow and self.screen is self.screen_stack[0]:
            self.action_focus_next()
            return
        super().action_focus_previous()

    def action_tree_width(self, step: int) -> None:
        """Narrower or wider meeting list (``<`` ``>``), remembered in the config file."""
        main = self.screen_stack[0]
        main.remove_class("-tree-hidden")
        width = self.tree.outer_size.width or TREE_MIN
        limit = max(TREE_MIN, int(self.size.width * TREE_MAX_SHARE))
        self.tree_width = max(TREE_MIN, min(limit, width + step))
        self._fit_layout(self.size.width)
        self._remember("tree_width", self.tree_width)

    def action_toggle_tree(self) -> None:
        """Hide or show the meeting list (``L``), remembered in the config file."""
        main = self.screen_stack[0]
        hidden = not main.has_class("-tree-hidden")
        if hidden:
            main.add_class("-tree-hidden")
            self.show_text()
        else:
            self.show_list()
        self._remember("tree_hidden", hidden)

    def _remember(self, key: str, value: int | bool) -> None:
        from kkr_tui.app.config import save_setting

        try:
            save_setting(self.config_path, key, value)
        except OSError as exc:
            self.notify(
                _("Could not save the setting: {reason}").format(reason=exc),
                severity="warning",
                markup=False,
            )

    def on_unmount(self) -> None:
        self.cancel_ingest.set()
        self.gateway.close()

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """A worker of the app stopped by an error: log it, say so, keep the app running."""
        report_worker_failure(self, event)

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

    # -- other programs' changes (app/watcher.py) -------------------------------------

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

    # -- fetching new documents (app/sync_actions.py) ---------------------------------

    def action_fetch_documents(self) -> None:
        """Run sync in the background (once at a time)."""
        if self.read_only:
            self.notify(_("The database is open read-only; nothing can be fetched."))
            return
        if self.sync.start() is None:
            self.notify(_("Already fetching…"), markup=False)
            return
        self.sub_title = _("Fetching new documents…")

    def on_sync_progress(self, message: SyncProgress) -> None:
        event = message.event
        if event.total:
            text = _("Fetching new documents… {done}/{total}").format(
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
            self._after_sync(message.summary, message.problem), group="sync", exit_on_error=False
        )

    async def _after_sync(self, summary: Any, problem: str | None) -> None:
        self.sync.finished()
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

    async def open_bilag(self, bilag_id: int, page: int = 1, words: str = "") -> None:
        """Open a bilag's text (page by page) over the reader, at ``page``, with
        ``words`` marked on its pages and found by ``n``."""
        from kkr_tui.app.screens.bilag import BilagScreen

        bilag = await self.gateway.call(Store.bilag, bilag_id)
        await self.push_screen(BilagScreen(self.gateway, bilag, page, words=words))

    @work(exclusive=True, group="bilag", exit_on_error=False)
    async def open_bilag_hit(self, view: BilagView) -> None:
        """A bilag hit chosen in search: its item in the reader behind (when the bilag
        is tied to one), the bilag over it at the page the words are on."""
        if view.item_id:
            await self.reveal(("item", view.item_id))
        await self.open_bilag(view.bilag_id, view.page, view.words)

    def _theme_changed(self, theme: Any) -> None:
        if self._remember_theme:
            try:
                save_theme(self.config_path, theme.name)
            except OSError as exc:
                self.notify(
                    _("Could not save the theme: {reason}").format(reason=exc),
                    severity="warning",
                    markup=False,
                )

    @work(group="startup", exit_on_error=False)
    async def start_up(self) -> None:
        """Open the store, ingest the samples into an empty one, then fill the tree."""
        try:
            await self.gateway.open()
            empty = await self.gateway.call(Store.is_empty)
            if self.read_only:
                self.announce_read_only()
            elif self.sample_docs and empty:
                await self._ingest_samples()
                empty = await self.gateway.call(Store.is_empty)
        except Exception as exc:
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

    @work(group="warm-search", exclusive=True, exit_on_error=False)
    async def warm_search(self) -> None:
        """Load the search vocabulary in background steps once the tree is up.

        At a million items the load takes seconds; done here, between the reader's own
        store calls, the first search keystroke finds it ready.
        """
        await self.gateway.warm_search()

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

    # -- showing things -------------------------------------------------------------

    #: Width of the meeting list in columns when the user chose one (``<`` ``>``).
    tree_width: int | None = None
    _revealing: View | None = None

    def show(self, view: View, *, browsing: bool = False, record: bool = True) -> None:
        """Show an item or a meeting overview: remember it, and let the pane load it."""
        if record:
            self.history.record(view, browsing=browsing)
        self.pane.show(view)

    @on(ItemPane.ItemShown)
    async def _item_shown(self, message: ItemPane.ItemShown) -> None:
        """An item is drawn: the Related panel finds its related items, the tree redraws
        its read mark, the footer its keys."""
        panel = await self._mounted_related_panel()
        panel.show_for(message.item.id)
        self.tree.redraw_marks(message.item.id)
        self.refresh_bindings()

    @on(ItemPane.MeetingShown)
    def _meeting_shown(self, _message: ItemPane.MeetingShown) -> None:
        """A meeting overview has no Related panel."""
        panel = self._related_panel_if_mounted()
        if panel is not None:
            panel.clear()
        self.refresh_bindings()

    @on(ItemPane.BilagChosen)
    def _bilag_chosen(self, message: ItemPane.BilagChosen) -> None:
        self.run_worker(self.open_bilag(message.bilag_id), group="bilag", exit_on_error=False)

    @on(Tree.NodeHighlighted, "#tree")
    def _tree_highlighted(self, event: Tree.NodeHighlighted[NodeInfo]) -> None:
        info = event.node.data
        if info is None or info.kind not in ("item", "meeting"):
            return
        if event.node is not self.tree.cursor_node:
            # Stale: the tree re-announces a node while a reveal rebuilds its lines, after
            # the cursor has moved on; acting on it would cancel the view being opened.
            return
        view = (info.kind, info.key)
        if view == self._revealing:
            self._revealing = None
            return
        self.show(view, browsing=True)

    @on(Tree.NodeSelected, "#tree")
    def _tree_selected(self, event: Tree.NodeSelected[NodeInfo]) -> None:
        info = event.node.data
        if info is not None and info.kind == "item":
            self.show(("item", info.key))
            self.show_text()

    async def reveal(self, view: View, *, record: bool = True) -> None:
        """Open the tree down to an item or meeting, select it and show it."""
        self._revealing = view
        await self.tree.reveal_view(view)
        self.show(view, record=record)

    @work(exclusive=True, group="reveal", exit_on_error=False)
    async def open_view(self, view: View, record: bool = True) -> None:
        """Reveal and show; the worker behind search results, jumps and history."""
        await self.reveal(view, record=record)

    # -- actions ----------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Single-letter keys belong to an input when one has focus; keys for what is not
        on screen (``i`` without an Indstilling, ``n`` without an item) are off, so the
        footer shows only what applies."""
        if self.read_only and action in WRITE_ACTIONS:
            return False
        typing = isinstance(self.focused, Input) or _is_text_area(self.focused)
        if typing and action in LETTER_ACTIONS:
            return False
        if self.screen_stack and self.screen is not self.screen_stack[0]:
            # An overlay is in front: its own keys and help apply, not the reader's.
            return action not in READER_ACTIONS
        if action == "find_step":
            return self.pane.finder.has_matches
        if action in ITEM_ACTIONS:
            return self.current_item is not None
        if action in MEETING_ACTIONS:
            return self.current_item is not None or self.current_meeting is not None
        if action == "jump":
            return (
                self.current_item is not None
                and bool(parameters)
                and self.pane.part_widget(str(parameters[0])) is not None
            )
        if action == "focus_related":
            panel = self._related_panel_if_mounted()
            return panel is not None and bool(panel.related)
        return True

    def action_search(self) -> None:
        """Open the search overlay; Enter opens a result, Escape comes back unchanged."""
        meeting_id = None
        if self.current_item is not None:
            meeting_id = self.current_item.meeting_id
        elif self.current_meeting is not None:
            meeting_id = self.current_meeting.id

        from kkr_tui.app.screens.search import BilagView, Chosen, SearchScreen

        def done(view: Chosen | None) -> None:
            self.last_query = screen.query_text
            if isinstance(view, BilagView):
                self.open_bilag_hit(view)
            elif view is not None:
                self.open_view(view)
                self.show_text()

        screen = SearchScreen(self.gateway, query=self.last_query, current_meeting_id=meeting_id)
        self.push_screen(screen, done)

    def key_display(self, keys: list[str]) -> str:
        """Keys as the footer shows them (``/``, ``ctrl+f``, ``?``)."""
        return " ".join(self.get_key_display(Binding(key, "")) for key in keys)

    def keys_for(self, ident: str) -> str:
        """The keys of a command right now (the user's keymap applied), for help and palette."""
        found = actions.command(ident)
        return self.key_display(actions.keys_of(found, dict(self.config.keymap))) if found else ""

    def action_help(self) -> None:
        """Help for what is in front: its keys, the search syntax, what the marks mean."""
        from kkr_tui.app.screens.help import HelpScreen, help_for

        if isinstance(self.screen, HelpScreen):
            return
        self.push_screen(HelpScreen(help_for(self, self.screen)))

    @work(exclusive=True, group="jump", exit_on_error=False)
    async def action_next_item(self, step: int = 1) -> None:
        """Next item across sections (``]``); from a meeting, its first item."""
        if self.current_item is not None:
            target = await self.gateway.call(Store.adjacent_item, self.current_item.id, step)
        elif self.current_meeting is not None and self.current_meeting.items:
            items = self.current_meeting.items
            target = (items[0] if step > 0 else items[-1]).id
        else:
            return
        if target is None:
            self.notify(
                _("No more items in this meeting.") if step > 0 else _("This is the first item.")
            )
            return
        await self.reveal(("item", target))

    def action_prev_item(self) -> None:
        """Previous item across sections (``[``)."""
        self.action_next_item(-1)

    @work(exclusive=True, group="jump", exit_on_error=False)
    async def action_next_meeting(self, step: int = 1) -> None:
        """Next meeting of the same council by date (``}``)."""
        if self.current_item is not None:
            meeting_id = self.current_item.meeting_id
        elif self.current_meeting is not None:
            meeting_id = self.current_meeting.id
        else:
            return
        target = await self.gateway.call(Store.adjacent_meeting, meeting_id, step)
        if target is None:
            self.notify(_("No later meeting.") if step > 0 else _("No earlier meeting."))
            return
        await self.reveal(("meeting", target))

    def action_prev_meeting(self) -> None:
        """Previous meeting of the same council (``{``)."""
        self.action_next_meeting(-1)

    def action_jump(self, kind: str) -> None:
        """Scroll the pane to the Indstilling (``i``) or Beslutning (``b``)."""
        if self.current_item is None:
            return
        if self.pane.part_widget(kind) is None:
            self.notify(_("This item has no {part}.").format(part=kind))
            return
        hidden = self.narrow and not self.screen_stack[0].has_class("-text-in-front")
        self.show_text()
        if not hidden:
            self.pane.jump_to(kind)
            return
        # The text was just brought to the front (narrow layout): scroll once it has
        # been laid out, which takes a refresh for its size and one for its parts.
        self.call_after_refresh(self.call_after_refresh, self.pane.jump_to, kind)

    async def action_back(self) -> None:
        """Back through what was viewed.

        Replaces Textual's ``back`` action (pop a screen, bound to nothing in Textual);
        async as Textual's is, so the action is awaited the same way.
        """
        view = self.history.back()
        if view is not None:
            self.open_view(view, record=False)

    def action_forward(self) -> None:
        """Forward again after going back."""
        view = self.history.forward()
        if view is not None:
            self.open_view(view, record=False)

    def action_copy(self) -> None:
        """Copy the item as text with its citation line."""
        item = self.current_item
        if item is None:
            self.notify(_("Open an item to copy it."), severity="warning")
            return
        self.copy_text(item_as_text(item), _("The item with its citation"), citation(item))

    def action_copy_citation(self) -> None:
        """Copy only the citation, with pages and the source's address when known."""
        item = self.current_item
        if item is None:
            self.notify(_("Open an item to copy its citation."), severity="warning")
            return
        from kkr_tui.app.render import full_citation

        text = full_citation(item)
        self.copy_text(text, _("The citation"), text)

    @work(thread=True, group="clipboard", exit_on_error=False)
    def copy_text(self, text: str, what: str, shown: str) -> None:
        """Put ``text`` on the clipboard (terminal and system tool) and say what happened;
        ``shown`` (the citation) follows on a line of its own, literally."""
        from kkr_tui.app.clipboard import copy_everywhere

        report = copy_everywhere(self, text)
        self.call_from_thread(
            self.notify, f"{report.message(what)}\n{shown}", title=_("Clipboard"), markup=False
        )

    def action_open_source(self, what: str = "all") -> None:
        """``o``: what the item or meeting on screen can open (the pane offers it)."""
        self.pane.open_source(what)

    # -- meeting work: each command opens a screen that loads its own data ----------------

    #: Where briefings go when no folder is remembered yet (tests set it).
    briefing_dir: Path | None = None

    def _meeting_id(self) -> int | None:
        if self.current_item is not None:
            return self.current_item.meeting_id
        if self.current_meeting is not None:
            return self.current_meeting.id
        return None

    def action_edit_note(self) -> None:
        """Write the note of the item on screen (``n``): the pane loads and stores it."""
        self.pane.edit_note()

    @on(ItemPane.NoteSaved)
    def _note_saved(self, message: ItemPane.NoteSaved) -> None:
        """A note was stored: its mark in the tree, and the item drawn with it."""
        self.tree.redraw_marks(message.item_id)
        self.pane.shown = None
        self.show(("item", message.item_id), record=False)

    def action_focus_related(self) -> None:
        """Move to the Related panel (``r``); Enter or 1-9 open an item there."""
        panel = self._related_panel_if_mounted()
        if panel is None or not panel.related:
            self.notify(_("No related items for what is on screen."))
            return
        self.screen_stack[0].add_class("-text-in-front")
        panel.focus()

    def on_related_panel_chosen(self, event: RelatedPanel.Chosen) -> None:
        self._open_choice(event.item_id)

    def _open_choice(self, item_id: int | None) -> None:
        """Open what was picked in a list (Related, decisions, what's new, notes)."""
        if item_id is not None:
            self.open_view(("item", item_id))
            self.show_text()

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

    def action_toggle_theme(self) -> None:
        """Switch between light and dark; remembered in the config file."""
        self.theme = DARK_THEME if not self.current_theme.dark else LIGHT_THEME

    def current_urls(self) -> list[str]:
        """Links of the item on screen, for the command palette."""
        return list(self.current_item.urls) if self.current_item is not None else []

    def action_command_palette(self) -> None:
        """``ctrl+p``: Textual's palette, its own words in the user's language."""
        from textual.command import CommandPalette

        from kkr_tui.app.commands import Palette

        if self.use_command_palette and not isinstance(self.screen, CommandPalette):
            self.push_screen(Palette(id="--command-palette"))

    def search_themes(self) -> None:
        """The palette's "Theme" command: the themes, with a Danish search field."""
        from textual.theme import ThemeProvider

        from kkr_tui.app.commands import Palette

        self.push_screen(Palette(_("Search for themes…"), providers=[ThemeProvider]))

    def action_help_quit(self) -> None:
        """``ctrl+c`` where it does not copy: say how to quit (Textual says it in English)."""
        for key, active in self.active_bindings.items():
            if active.binding.action in ("quit", "app.quit"):
                self.notify(
                    _("Press {key} to quit the reader").format(
                        key=self.get_key_display(active.binding) or key
                    ),
                    title=_("Do you want to quit?"),
                    markup=False,
                )
                return

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        """Textual's own commands, minus those that would duplicate ours."""
        for command in super().get_system_commands(screen):
            ours = SYSTEM_COMMANDS.get(command.title)
            if ours is not None:
                yield SystemCommand(_(ours[0]), _(ours[1]), command.callback, command.discover)
