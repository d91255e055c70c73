"""Moving through the documents: what the pane shows, the tree's cursor, the next and
previous item or meeting, the Indstilling and Beslutning, back and forward.

Every way of opening something (a search hit, a jump, a list's choice, history) ends in
:meth:`Navigation.reveal` or :meth:`Navigation.show`, so the history, the tree's cursor
and the pane agree on what is in front.
"""

from __future__ import annotations

from textual import on, work
from textual.widgets import Tree

from kkr_tui.app.db import Store
from kkr_tui.app.history import View
from kkr_tui.app.reader.layout import ReaderLayout
from kkr_tui.app.widgets.meeting_tree import NodeInfo
from kkr_tui.i18n import _


class Navigation(ReaderLayout):
    """What is in front, and the keys that move it."""

    _revealing: View | None = None

    def show(self, view: View, *, browsing: bool = False, record: bool = True) -> None:
        """Show an item or a meeting overview: remember it, and let the pane load it."""
        if record:
            self.history.record(view, browsing=browsing)
        self.pane.show(view)

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

    def _open_choice(self, item_id: int | None) -> None:
        """Open what was picked in a list (Related, decisions, what's new, notes)."""
        if item_id is not None:
            self.open_view(("item", item_id))
            self.show_text()

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
        meeting_id = self._meeting_id()
        if meeting_id is None:
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
