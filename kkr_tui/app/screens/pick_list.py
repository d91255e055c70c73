"""A list to pick an item from (decisions of a meeting, what's new): Enter opens, Escape backs out.

Prompts are built from data without markup (``Content``, or Rich renderables of
``Text`` for the two-column "Sådan besluttede de andre"); the screen returns the chosen
item id. :class:`PickListScreen` takes its rows ready-made; a
:class:`LoadingPickList` fetches its own through the store gateway once it is up, in a
worker of its own (the screen opens at once, and a failure is logged, shown and closes
it), as the decisions, "how the others decided", what's new and the notes lists do.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.visual import VisualType
from textual.widgets import Footer, OptionList, Static
from textual.widgets.option_list import Option
from textual.worker import Worker

from kkr_tui.app.actions import translate_bindings
from kkr_tui.app.failures import report_worker_failure
from kkr_tui.i18n import N_

if TYPE_CHECKING:
    from kkr_tui.app.db import StoreGateway

Rows = Sequence[tuple[int | None, VisualType]]


class PickListScreen(ModalScreen[int | None]):
    """A titled list of items; returns the chosen item id. A row without an id (a note
    whose item is gone) is listed but opens nothing."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q", "close", N_("Back"), id="pick.close"),
        # A modal screen hides the app's keys, ? included: its help is asked for here.
        Binding("question_mark,f1", "app.help", N_("Help"), id="pick.help"),
        Binding("enter", "select", N_("Open"), show=False),
        Binding("j", "cursor_down", N_("Down"), show=False),
        Binding("k", "cursor_up", N_("Up"), show=False),
    ]

    def __init__(
        self,
        title: Content,
        summary: Content,
        rows: Rows,
        *,
        name: str,
    ) -> None:
        super().__init__(name=name)
        translate_bindings(self)
        self.title_content = title
        self.summary = summary
        self.rows = rows

    def compose(self) -> ComposeResult:
        with Vertical(classes="pick-box"):
            yield Static(self.title_content, classes="pick-title")
            yield Static(self.summary, classes="pick-summary")
            yield OptionList(
                *(
                    Option(prompt, id=None if item_id is None else str(item_id))
                    for item_id, prompt in self.rows
                ),
                classes="pick-list",
            )
        # The keys of this overlay, not those of the reader behind it.
        yield Footer(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        options.focus()
        if self.rows:
            options.highlighted = 0

    def fill(self, title: Content, summary: Content, rows: Rows) -> None:
        """Show ``rows`` under ``title`` and ``summary``, the first one highlighted."""
        self.title_content, self.summary, self.rows = title, summary, rows
        self.query_one(".pick-title", Static).update(title)
        self.query_one(".pick-summary", Static).update(summary)
        options = self.query_one(OptionList)
        options.clear_options()
        options.add_options(
            Option(prompt, id=None if item_id is None else str(item_id)) for item_id, prompt in rows
        )
        if rows:
            options.highlighted = 0

    def action_cursor_down(self) -> None:
        self.query_one(OptionList).action_cursor_down()

    def action_cursor_up(self) -> None:
        self.query_one(OptionList).action_cursor_up()

    def action_select(self) -> None:
        """Open the highlighted item."""
        self.query_one(OptionList).action_select()

    def action_close(self) -> None:
        """Back to the reader."""
        self.dismiss(None)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        if event.option_id is not None:
            self.dismiss(int(event.option_id))


class LoadingPickList(PickListScreen):
    """A pick list that fetches its own title, summary and rows when it opens."""

    #: The loading worker's name: :data:`kkr_tui.app.failures.WHAT_FAILED` names its job.
    WORKER: ClassVar[str] = "load_pick_list"

    def __init__(self, gateway: StoreGateway, *, name: str) -> None:
        super().__init__(Content(""), Content(""), [], name=name)
        self.gateway = gateway

    async def fetch(self) -> tuple[Content, Content, Rows]:
        """Title, summary and rows, from the store (through :attr:`gateway`)."""
        raise NotImplementedError

    def on_mount(self) -> None:
        self.run_worker(
            self._load(), name=self.WORKER, group="load", exclusive=True, exit_on_error=False
        )

    async def _load(self) -> None:
        self.fill(*await self.fetch())

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """The list could not be fetched: log it, say so, and close the empty list."""
        if report_worker_failure(self.app, event):
            self.dismiss(None)
