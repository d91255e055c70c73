"""What's new (``w``): the items new or changed since the reader last looked, not opened since.

A :class:`LoadingPickList`: it first brings the record of what is new up to date (in
bigger steps than the tree's background look, since the reader asked and waits), then
lists the items, newest meeting first; Enter opens one.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.content import Content

from kkr_tui.app.db import Store
from kkr_tui.app.render import item_line
from kkr_tui.app.screens.pick_list import LoadingPickList, Rows
from kkr_tui.i18n import _, ngettext

if TYPE_CHECKING:
    from kkr_tui.app.db import StoreGateway
    from kkr_tui.records import ChangedItem


def change_prompt(change: ChangedItem) -> Content:
    """``ny     Hovedstaden 18.06.2025  3.5 Title``."""
    return Content.assemble(
        (f"{_('new') if change.kind == 'new' else _('changed'):<7}", "bold $text-accent"),
        item_line(change, doc_type=False),
    )


class WhatsNewScreen(LoadingPickList):
    """Items new or changed since the last look; Enter opens one."""

    WORKER = "load_whats_new"

    def __init__(self, gateway: StoreGateway) -> None:
        super().__init__(gateway, name="whats-new")

    async def fetch(self) -> tuple[Content, Content, Rows]:
        from kkr_tui.app.widgets.marked_tree import detect_changes

        await detect_changes(self.gateway)
        changes = await self.gateway.call(Store.changed_items)
        rows = [(c.item_id, change_prompt(c)) for c in changes]
        summary = Content(
            ngettext(
                "{n} new or changed item you have not opened · Enter opens · Esc back",
                "{n} new or changed items you have not opened · Enter opens · Esc back",
                len(rows),
            ).format(n=len(rows))
            if rows
            else _("Nothing new since you last looked.")
        )
        return Content(_("What's new")), summary, rows
