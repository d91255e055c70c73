"""A list to pick an item from (decisions of a meeting, what's new): Enter opens, Escape backs out.

Prompts arrive ready-made, built from data without markup (``Content``, or Rich
renderables of ``Text`` for the two-column "Sådan besluttede de andre"); the screen
returns the chosen item id.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.visual import VisualType
from textual.widgets import Footer, OptionList, Static
from textual.widgets.option_list import Option

from kkr_tui.app.actions import translate_bindings
from kkr_tui.i18n import N_


class PickListScreen(ModalScreen[int | None]):
    """A titled list of items; returns the chosen item id. A row without an id (a note
    whose item is gone) is listed but opens nothing."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q", "close", N_("Back"), id="pick.close"),
        Binding("enter", "select", N_("Open"), show=False),
        Binding("j", "cursor_down", N_("Down"), show=False),
        Binding("k", "cursor_up", N_("Up"), show=False),
    ]

    def __init__(
        self,
        title: Content,
        summary: Content,
        rows: Sequence[tuple[int | None, VisualType]],
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
