"""The reader: a meeting tree on the left, the item or meeting on the right, search on top.

The App owns all UI state (what is shown, history, theme). Store work happens in
workers through :class:`~kkr_tui.app.db.StoreGateway`, so the first frame never waits
for SQLite, sqlite_utils, rapidfuzz or an ingest; results come back into handlers here.

The first frame waits for this module's imports and for composing the first screen,
so both are kept to what that screen shows: the search and help screens, the command
palette's provider and the note editor's TextArea are imported when first used, and
the ingest progress panel and the Related panel are mounted when first needed.
"""

from __future__ import annotations

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
from textual.widgets import Footer, Header, Input, Static, Tree

from kkr_tui.app.config import AppConfig, load_config, save_theme
from kkr_tui.app.db import Store, StoreGateway
from kkr_tui.app.messages import IngestProgress
from kkr_tui.app.render import citation, item_as_text, safe
from kkr_tui.app.watch import WATCH_BINDINGS, WRITE_ACTIONS, StoreWatch, is_read_only
from kkr_tui.app.widgets.item_pane import ItemPane
from kkr_tui.app.widgets.marked_tree import MarkedMeetingTree
from kkr_tui.app.widgets.meeting_tree import MeetingTree, NodeInfo, NodeKind
from kkr_tui.app.work import WORK_BINDINGS, WORK_LETTER_ACTIONS, MeetingWorkActions

if TYPE_CHECKING:
    from textual.command import Provider

    from kkr_tui.ingest import IngestEvent
    from kkr_tui.records import ItemDetail, MeetingDetail

View = tuple[str, int]

LETTER_ACTIONS = (
    frozenset({"quit", "copy", "jump", "open_source", "toggle_theme"}) | WORK_LETTER_ACTIONS
)
LIGHT_THEME = "textual-light"
DARK_THEME = "textual-dark"

EMPTY_TITLE = "No meetings yet"
EMPTY_BODY = (
    "Add agendas and minutes with\n\n    kkr-tui ingest FILE.pdf …\n\n"
    "then start kkr-tui again. Press / to search once documents are in."
)


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


class KkrApp(StoreWatch, MeetingWorkActions, App[None]):
    """kkr-tui's Textual application."""

    TITLE = "kkr-tui"
    SUB_TITLE = "KKR møder"
    CSS_PATH = _styles()
    COMMANDS = App.COMMANDS | {_kkr_commands}
    ENABLE_COMMAND_PALETTE = True

    # fmt: off
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("slash,ctrl+f", "search", "Search", id="search"),
        Binding("left_square_bracket", "prev_item", "Prev item", id="prev_item"),
        Binding("right_square_bracket", "next_item", "Next item", id="next_item"),
        Binding("c", "copy", "Copy", id="copy"),
        Binding("f1,question_mark", "help", "Help", id="help"),
        Binding("q", "quit", "Quit", id="quit_q"),
        Binding("left_curly_bracket", "prev_meeting", "Prev meeting", False, id="prev_meeting"),
        Binding("right_curly_bracket", "next_meeting", "Next meeting", False, id="next_meeting"),
        Binding("i", "jump('Indstilling')", "Go to Indstilling", show=False, id="jump_indstilling"),
        Binding("b", "jump('Beslutning')", "Go to Beslutning", show=False, id="jump_beslutning"),
        Binding("backspace,alt+left", "back", "Back", show=False, id="back"),
        Binding("alt+right", "forward", "Forward", show=False, id="forward"),
        Binding("o", "open_source", "Open source document", show=False, id="open_source"),
        Binding("t", "toggle_theme", "Light/dark theme", show=False, id="toggle_theme"),
        *WORK_BINDINGS,
        *WATCH_BINDINGS,
    ]
    # fmt: on

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
        super().__init__()
        self.read_only = is_read_only(Path(db_path)) if read_only is None else read_only
        self.gateway = StoreGateway(db_path, read_only=self.read_only)
        self.sample_docs = list(sample_docs or [])
        self.history: list[View] = []
        self.history_index = -1
        self.current_item: ItemDetail | None = None
        self.current_meeting: MeetingDetail | None = None
        self.last_query = ""
        self.cancel_ingest = threading.Event()
        self._remember_theme = theme is None
        self.theme = theme or self.config.theme or DARK_THEME
        if self.config.keymap:
            self.set_keymap(self.config.keymap)

    def compose(self) -> ComposeResult:
        yield Header(icon="§")
        with Horizontal(id="main"):
            yield MarkedMeetingTree(self.gateway, id="tree")
            with Vertical(id="right"):
                yield ItemPane(id="pane")
        yield Footer()

    @property
    def tree(self) -> MeetingTree:  # type: ignore[override]  # see the docstring
        """The meeting tree.

        Shadows Textual's ``DOMNode.tree`` (a Rich debugging view of the DOM, never
        used by Textual itself); the whole reader and its tests say ``app.tree``.
        """
        return self.query_one(MeetingTree)

    @property
    def pane(self) -> ItemPane:
        """The reading pane."""
        return self.query_one(ItemPane)

    def on_mount(self) -> None:
        self.theme_changed_signal.subscribe(self, self._theme_changed)
        self.tree.focus()
        for problem in self.config.problems:
            self.notify(problem, title="Config", severity="warning", markup=False)
        self.call_after_refresh(self.start_up)

    def on_unmount(self) -> None:
        self.cancel_ingest.set()
        self.gateway.close()

    def _theme_changed(self, theme: Any) -> None:
        if self._remember_theme:
            try:
                save_theme(self.config_path, theme.name)
            except OSError as exc:
                self.notify(f"Could not save the theme: {exc}", severity="warning", markup=False)

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
            await self.pane.show_message("Could not open the database", safe(str(exc)))
            self.notify(safe(str(exc)), title="Database", severity="error", markup=False)
            return
        self.start_watching()
        if empty:
            await self.pane.show_message(EMPTY_TITLE, EMPTY_BODY)
            return
        await self.tree.load_root()
        if not self.read_only:
            self.detect_changes_in_steps()
        self.warm_search()

    @work(group="warm-search", exclusive=True, exit_on_error=False)
    async def warm_search(self) -> None:
        """Load the search vocabulary in background steps once the tree is up.

        At a million items the load takes seconds; done here, between the reader's own
        store calls, the first search keystroke finds it ready.
        """
        await self.gateway.warm_search()

    async def _ingest_panel(self) -> Widget:
        """The progress panel above the pane, mounted on the first ingest only.

        Only a first run on an empty store ingests, so the first screen does not
        compose it (a ProgressBar and its parts cost about 35 ms of first frame).
        """
        from textual.widgets import ProgressBar

        panel = Vertical(
            Static("Reading the sample documents…", id="ingest-label"),
            ProgressBar(id="ingest-bar", show_eta=False),
            id="ingest",
        )
        await self.query_one("#right").mount(panel, before=self.pane)
        return panel

    async def _ingest_samples(self) -> None:
        from textual.widgets import ProgressBar

        panel = await self._ingest_panel()
        bar = self.query_one(ProgressBar)
        panel.display = True
        bar.update(total=len(self.sample_docs), progress=0)
        await self.pane.show_message("Preparing the sample documents…")
        paths = list(self.sample_docs)
        cancel = self.cancel_ingest

        def report(event: IngestEvent) -> None:
            self.post_message(IngestProgress(event))

        def ingest(store: Any) -> Any:
            from kkr_tui.ingest import ingest_paths

            return ingest_paths(
                store,
                paths,
                progress=report,
                cancel=cancel,
            )

        try:
            summary = await self.gateway.run(ingest, self.gateway.store)
        finally:
            panel.display = False
        failed = [r for r in getattr(summary, "results", ()) if r.status == "failed"]
        if failed:
            names = ", ".join(Path(str(r.path)).name for r in failed)
            self.notify(f"Could not read: {names}", severity="warning", markup=False)

    def on_ingest_progress(self, message: IngestProgress) -> None:
        from textual.widgets import ProgressBar

        event = message.event
        bar = self.query_one(ProgressBar)
        total = getattr(event, "total", None)
        done = getattr(event, "done", None)
        if done is None:
            done = getattr(event, "index", None)
        if total:
            bar.update(total=total)
        if done is not None:
            bar.update(progress=done)
        name = getattr(event, "path", None) or getattr(event, "name", None)
        if name:
            label = f"Reading {Path(str(name)).name}…"
            self.query_one("#ingest-label", Static).update(safe(label))

    # -- showing things -------------------------------------------------------------

    def _record(self, view: View, *, browsing: bool) -> None:
        if self.history_index >= 0 and self.history[self.history_index] == view:
            return
        del self.history[self.history_index + 1 :]
        if browsing and self._last_was_browsing and self.history:
            self.history[-1] = view
        else:
            self.history.append(view)
        self.history_index = len(self.history) - 1
        self._last_was_browsing = browsing

    _last_was_browsing = False
    _revealing: View | None = None

    @work(exclusive=True, group="pane", exit_on_error=False)
    async def show(self, view: View, *, browsing: bool = False, record: bool = True) -> None:
        """Show an item or a meeting overview in the pane."""
        kind, ident = view
        if record:
            self._record(view, browsing=browsing)
        if self.pane.shown == view:
            return
        if kind == "item":
            from kkr_tui.app.limits import bounded_item

            item = bounded_item(await self.gateway.call(Store.item, ident))
            self.current_item = item
            self.current_meeting = None
            await self.pane.show_item(item)
            await self.item_shown(item)
        else:
            meeting = await self.gateway.call(Store.meeting, ident)
            self.current_meeting = meeting
            self.current_item = None
            await self.pane.show_meeting(meeting)
            self.meeting_shown()

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
            self.pane.focus()

    async def reveal(self, view: View, *, record: bool = True) -> None:
        """Open the tree down to an item or meeting, select it and show it."""
        kind, ident = view
        path: list[tuple[NodeKind, Any]]
        if kind == "item":
            council, year, meeting_id, section_id, item_id = await self.gateway.call(
                Store.item_path, ident
            )
            path = [
                ("council", council),
                ("year", (council, year)),
                ("meeting", meeting_id),
                ("section", section_id),
                ("item", item_id),
            ]
        else:
            meeting = await self.gateway.call(Store.meeting, ident)
            year = int(meeting.meeting_date[:4]) if meeting.meeting_date else 0
            path = [
                ("council", meeting.council),
                ("year", (meeting.council, year)),
                ("meeting", meeting.id),
            ]
        self._revealing = view
        await self.tree.reveal(path)
        self.show(view, record=record)

    @work(exclusive=True, group="reveal", exit_on_error=False)
    async def open_view(self, view: View, record: bool = True) -> None:
        """Reveal and show; the worker behind search results, jumps and history."""
        await self.reveal(view, record=record)

    # -- actions ----------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Single-letter keys belong to an input when one has focus."""
        if self.read_only and action in WRITE_ACTIONS:
            return False
        typing = isinstance(self.focused, Input) or _is_text_area(self.focused)
        return not (typing and action in LETTER_ACTIONS)

    def action_search(self) -> None:
        """Open the search overlay; Enter opens a result, Escape comes back unchanged."""
        meeting_id = None
        if self.current_item is not None:
            meeting_id = self.current_item.meeting_id
        elif self.current_meeting is not None:
            meeting_id = self.current_meeting.id

        from kkr_tui.app.screens.search import SearchScreen

        def done(view: tuple[str, int] | None) -> None:
            self.last_query = screen.query_text
            if view is not None:
                self.open_view(view)
                self.pane.focus()

        screen = SearchScreen(self.gateway, query=self.last_query, current_meeting_id=meeting_id)
        self.push_screen(screen, done)

    def help_groups(self) -> list[tuple[str, list[tuple[str, str, str]]]]:
        """Bindings in force, grouped by where they work, with the user's keymap applied."""
        from kkr_tui.app.screens.help import binding_rows

        keymap = dict(self._keymap)
        display = self.get_key_display
        main = self.screen_stack[0] if self.screen_stack else self.screen
        return [
            ("Everywhere", binding_rows(self, keymap, display)),
            ("Screen", binding_rows(main, keymap, display)),
            ("Meeting tree", binding_rows(self.tree, keymap, display)),
            ("Item pane", binding_rows(self.pane, keymap, display)),
        ]

    def action_help(self) -> None:
        """Keys, generated from the active bindings."""
        from kkr_tui.app.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.help_groups()))

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
            self.notify("No more items in this meeting." if step > 0 else "This is the first item.")
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
            self.notify("No later meeting." if step > 0 else "No earlier meeting.")
            return
        await self.reveal(("meeting", target))

    def action_prev_meeting(self) -> None:
        """Previous meeting of the same council (``{``)."""
        self.action_next_meeting(-1)

    def action_jump(self, kind: str) -> None:
        """Scroll the pane to the Indstilling (``i``) or Beslutning (``b``)."""
        if self.current_item is None:
            return
        if self.pane.jump_to(kind):
            self.pane.focus()
        else:
            self.notify(f"This item has no {kind}.")

    async def action_back(self) -> None:
        """Back through what was viewed.

        Replaces Textual's ``back`` action (pop a screen, bound to nothing in Textual);
        async as Textual's is, so the action is awaited the same way.
        """
        if self.history_index > 0:
            self.history_index -= 1
            self._last_was_browsing = False
            self.open_view(self.history[self.history_index], record=False)

    def action_forward(self) -> None:
        """Forward again after going back."""
        if self.history_index < len(self.history) - 1:
            self.history_index += 1
            self._last_was_browsing = False
            self.open_view(self.history[self.history_index], record=False)

    def action_copy(self) -> None:
        """Copy the item as text with its citation line (OSC 52)."""
        item = self.current_item
        if item is None:
            self.notify("Open an item to copy it.", severity="warning")
            return
        self.copy_to_clipboard(item_as_text(item))
        self.notify(citation(item), title="Copied", markup=False)

    def action_open_source(self) -> None:
        """Open the source document of the item or meeting on screen, at its page."""
        path: str | None = None
        page = 0
        if self.current_item is not None:
            path, page = self.current_item.source_path, self.current_item.first_page
        elif self.current_meeting is not None and self.current_meeting.documents:
            path = self.current_meeting.documents[-1].path
        if not path:
            self.notify("Nothing to open.", severity="warning")
            return
        source = Path(path)
        if not source.is_file():
            self.notify(f"Source file not found: {safe(path)}", severity="warning", markup=False)
            return
        url = source.resolve().as_uri()
        if page and source.suffix.lower() == ".pdf":
            url += f"#page={page}"
        self.open_url(url)
        self.notify(f"Opening {source.name}", markup=False)

    def action_toggle_theme(self) -> None:
        """Switch between light and dark; remembered in the config file."""
        self.theme = DARK_THEME if not self.current_theme.dark else LIGHT_THEME

    def current_urls(self) -> list[str]:
        """Links of the item on screen, for the command palette."""
        return list(self.current_item.urls) if self.current_item is not None else []

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        """Textual's own commands, minus those that would duplicate ours."""
        for command in super().get_system_commands(screen):
            if command.title != "Keys":
                yield command
