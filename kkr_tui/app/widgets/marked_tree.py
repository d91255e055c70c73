"""The meeting tree with the reader's own marks: notes, new and changed items.

Marks come from the store in one batch per section as it opens (``Store.item_marks``),
so they cost nothing for sections never opened. ``●`` new and ``◆`` changed since the
reader last looked (until the item is opened), ``✎`` an item with a note.

The tree owns its marks: it works out what is new or changed once it is up
(:meth:`MarkedMeetingTree.detect_changes_in_steps`, in small background steps) and
redraws marks when told that an item was read or a note written
(:meth:`MarkedMeetingTree.redraw_marks`), each in a worker of its own.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual import work

from kkr_tui.app.db import Store
from kkr_tui.app.failures import log
from kkr_tui.app.render import safe
from kkr_tui.app.widgets.meeting_tree import MeetingTree, NodeInfo
from kkr_tui.i18n import _

if TYPE_CHECKING:
    from kkr_tui.app.db import StoreGateway
    from kkr_tui.records import ItemMark

NEW_MARK = "●"
CHANGED_MARK = "◆"
NOTE_MARK = "✎"

#: Meetings per "what's new" step in the background: about 20 ms on this 2-core
#: machine, so an item opened meanwhile hardly waits (25 took 45 ms, up to 90 ms).
BACKGROUND_STEP_MEETINGS = 10
#: When the user asked (``w``) and waits anyway, fewer and bigger steps.
FOREGROUND_STEP_MEETINGS = 50


async def detect_changes(gateway: StoreGateway, *, background: bool = False) -> int:
    """Record what is new or changed since the last look, in steps; how many were marked.

    In the background, each step yields the store thread to the reader's own calls."""
    call = gateway.call_background if background else gateway.call
    size = BACKGROUND_STEP_MEETINGS if background else FOREGROUND_STEP_MEETINGS
    marked = 0
    while True:
        step, done = await call(Store.detect_changes_step, size)
        marked += step
        if done:  # a read-only store is done at once: it records nothing
            return marked


def marked_label(label: Text, mark: ItemMark | None) -> Text:
    """``label`` with the marks of ``mark`` (an ItemMark) before it: marks after a long
    title were cut off with it in a narrow list, so they lead."""
    out = Text()
    if mark is not None and mark.change == "new":
        out.append(NEW_MARK, style="bold")
    elif mark is not None and mark.change == "changed":
        out.append(CHANGED_MARK, style="bold")
    if mark is not None and mark.has_note:
        out.append(NOTE_MARK, style="bold")
    if out.plain:
        out.append(" ")
    out.append_text(label)
    out.no_wrap, out.overflow = True, "ellipsis"
    return out


class MarkedMeetingTree(MeetingTree):
    """MeetingTree whose item labels carry the reader's marks."""

    async def _fetch(self, info: NodeInfo) -> list[tuple[Text, NodeInfo, bool]]:
        children = await super()._fetch(info)
        if info.kind != "section" or not children:
            return children
        try:
            marks = await self.gateway.call(Store.item_marks, [c.key for _, c, _ in children])
        except Exception as exc:  # the marks are extra: the items show without them
            log.warning("marks of %d items could not be read", len(children), exc_info=exc)
            return children
        return [(marked_label(label, marks.get(c.key)), c, e) for label, c, e in children]

    async def refresh_marks(self, item_id: int) -> None:
        """Redraw the label of an item node after its note or reading state changed."""
        from kkr_tui.app.render import item_label

        marks = await self.gateway.call(Store.item_marks, [item_id])
        row = (await self.gateway.call(Store.item_rows, [item_id])).get(item_id)
        if row is None:
            return
        for node in list(self._tree_nodes.values()):
            if node.data is not None and node.data.kind == "item" and node.data.key == item_id:
                node.set_label(marked_label(item_label(row.number, row.title), marks.get(item_id)))

    async def refresh_all_marks(self) -> None:
        """Redraw the marks of every item already in the tree (one store call)."""
        from kkr_tui.app.render import item_label

        nodes = [
            (n, n.data.key)
            for n in list(self._tree_nodes.values())
            if n.data is not None and n.data.kind == "item"
        ]
        if not nodes:
            return
        ids = [key for _, key in nodes]
        marks = await self.gateway.call(Store.item_marks, ids)
        rows = await self.gateway.call(Store.item_rows, ids)
        for node, key in nodes:
            row = rows.get(key)
            if row is not None:
                node.set_label(marked_label(item_label(row.number, row.title), marks.get(row.id)))

    @work(exclusive=True, group="changes", exit_on_error=False)
    async def detect_changes_in_steps(self) -> None:
        """Find what is new or changed since the last look, after the tree is up.

        In steps of a few meetings, run as background work on the store thread: tree
        loads and item views go first and wait at most for the one step running. A
        first look at a 100k-item store covers every item (seconds), which must never
        hold up the reader. Marks of items already in the tree are redrawn at the end.
        """
        try:
            marked = await detect_changes(self.gateway, background=True)
        except Exception as exc:
            log.warning("what's new could not be worked out", exc_info=exc)
            self.app.notify(
                safe(str(exc)), title=_("Reading marks"), severity="warning", markup=False
            )
            return
        if marked:
            await self.refresh_all_marks()

    @work(group="marks", exit_on_error=False)
    async def redraw_marks(self, item_id: int | None = None) -> None:
        """Redraw the marks of ``item_id`` (read, or its note written), or of every item
        in the tree when None (another program wrote notes or marks)."""
        if item_id is None:
            await self.refresh_all_marks()
        else:
            await self.refresh_marks(item_id)
