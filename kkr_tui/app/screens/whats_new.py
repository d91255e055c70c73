"""What's new (``w``): the items new or changed since you last looked, and what changed.

A :class:`LoadingPickList`: it first brings the record of what is new up to date (in
bigger steps than the tree's background look, since the reader asked and waits), then
lists the items, newest meeting first. Each changed item says under its title which
parts differ (``Indstilling: ændret (1 ord fjernet, 2 ord tilføjet) · Beslutning:
ny``); below the list, the highlighted item's changed words in context, removed struck
through and added underlined, with a legend. What changed is worked out on the store
thread (:func:`kkr_tui.meetingwork.changes.whats_new`); this screen only draws it.
Enter opens the item, where the pane shows the whole change.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.widgets import Footer, OptionList, Static

from kkr_tui.app.render import item_line
from kkr_tui.app.screens.pick_list import LoadingPickList, Rows
from kkr_tui.app.widgets.change_view import change_lines, legend, summary
from kkr_tui.i18n import _, ngettext

if TYPE_CHECKING:
    from kkr_tui.app.db import Store, StoreGateway
    from kkr_tui.meetingwork.changes import ItemChange
    from kkr_tui.records import ChangedItem

#: How many hunks of each changed part the preview shows (the pane shows more).
PREVIEW_HUNKS = 2

Entry = tuple["ChangedItem", "ItemChange | None"]


def _whats_new(store: Store) -> list[Entry]:
    from kkr_tui.meetingwork.changes import whats_new

    return whats_new(store)


def change_prompt(change: ChangedItem, what: ItemChange | None = None) -> Content:
    """``ny     Hovedstaden 18.06.2025  3.5 Title``; under a changed item, the parts
    that differ (or that the earlier version was not kept)."""
    head = Content.assemble(
        (f"{_('new') if change.kind == 'new' else _('changed'):<7}", "bold $text-accent"),
        item_line(change, doc_type=False),
    )
    if change.kind != "changed":
        return head
    return Content.assemble(head, "\n  ", summary(what).stylize("$text-muted"))


def preview(entry: Entry | None) -> Content:
    """The highlighted item's change, for the box under the list."""
    if entry is None:
        return Content("")
    item, change = entry
    if item.kind == "new":
        return Content(_("A new item: Enter opens it.")).stylize("$text-muted")
    lines = [legend()]
    if change is None:
        from kkr_tui.meetingwork.changes import not_kept_line

        lines.append(Content(not_kept_line()).stylize("$text-warning"))
    else:
        lines.extend(change_lines(change, one_line=True, hunks_per_part=PREVIEW_HUNKS))
    return Content("\n").join(lines)


class WhatsNewScreen(LoadingPickList):
    """Items new or changed since the last look, with a preview of what changed in the
    highlighted one; Enter opens one."""

    WORKER = "load_whats_new"

    def __init__(self, gateway: StoreGateway) -> None:
        super().__init__(gateway, name="whats-new")
        self.entries: list[Entry] = []

    def compose(self) -> ComposeResult:
        with Vertical(classes="pick-box"):
            yield Static(self.title_content, classes="pick-title")
            yield Static(self.summary, classes="pick-summary")
            yield OptionList(classes="pick-list")
            box = VerticalScroll(
                Static(Content(""), id="change-preview"), classes="change-preview-box"
            )
            box.border_title = _("What changed")
            box.display = False
            yield box
        yield Footer(compact=True, show_command_palette=False)

    async def fetch(self) -> tuple[Content, Content, Rows]:
        from kkr_tui.app.widgets.marked_tree import detect_changes

        await detect_changes(self.gateway)
        self.entries = await self.gateway.call(_whats_new)
        rows = [(c.item_id, change_prompt(c, what)) for c, what in self.entries]
        summary_line = Content(
            ngettext(
                "{n} new or changed item you have not opened · Enter opens · Esc back",
                "{n} new or changed items you have not opened · Enter opens · Esc back",
                len(rows),
            ).format(n=len(rows))
            if rows
            else _("Nothing new since you last looked.")
        )
        return Content(_("What's new")), summary_line, rows

    def fill(self, title: Content, summary: Content, rows: Rows) -> None:
        super().fill(title, summary, rows)
        self.query_one(".change-preview-box").display = bool(self.entries)
        self._show_preview(0)

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        self._show_preview(event.option_index)

    def _show_preview(self, index: int) -> None:
        entry = self.entries[index] if 0 <= index < len(self.entries) else None
        self.query_one("#change-preview", Static).update(preview(entry))
