"""The reading pane and its Related panel: their messages turned into the other parts'
calls, and the reader's keys handed on to them.

The pane loads and draws on its own; what follows from that (the tree's read mark,
the related items of the item shown, the footer's keys) involves other parts and is
routed here, and so is what the app's keys ask of the pane (find, note, open).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import on

from kkr_tui.app.reader.navigation import Navigation
from kkr_tui.app.widgets.item_pane import ItemPane
from kkr_tui.i18n import _

if TYPE_CHECKING:
    from kkr_tui.app.widgets.related_panel import RelatedPanel


class PaneRouting(Navigation):
    """Between the pane, the Related panel and the tree."""

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

    def action_edit_note(self) -> None:
        """Write the note of the item on screen (``n``): the pane loads and stores it."""
        self.pane.edit_note()

    def action_open_source(self, what: str = "all") -> None:
        """``o``: what the item or meeting on screen can open (the pane offers it)."""
        self.pane.open_source(what)
