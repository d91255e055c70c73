"""All my notes (palette: "Alle noter"), newest meeting first; Enter opens the item.

A :class:`LoadingPickList` that fetches the notes itself. A note whose item is no
longer stored is listed "uden punkt" and opens nothing: notes are never lost with
their item.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.content import Content

from kkr_tui.app.db import Store
from kkr_tui.app.render import safe
from kkr_tui.app.screens.pick_list import LoadingPickList, Rows
from kkr_tui.i18n import _, ngettext
from kkr_tui.wording import danish_date

if TYPE_CHECKING:
    from kkr_tui.app.db import StoreGateway
    from kkr_tui.records import Note


def note_prompt(note: Note, item_id: int | None) -> Content:
    """Council, date, number and title, then the note's first line."""
    a = note.anchor
    return Content.assemble(
        (f"{safe(a.council).removeprefix('KKR ')} ", "$text-muted"),
        (danish_date(a.meeting_date or None), "$text-muted"),
        "  ",
        (safe(a.number), "bold"),
        " ",
        safe(a.title),
        ("  (" + _("no item") + ")" if item_id is None else "", "$text-muted"),
        "\n  ",
        (safe(note.text.splitlines()[0] if note.text else ""), "italic"),
    )


class NotesScreen(LoadingPickList):
    """Every note, newest meeting first."""

    WORKER = "load_notes"

    def __init__(self, gateway: StoreGateway) -> None:
        super().__init__(gateway, name="notes")

    async def fetch(self) -> tuple[Content, Content, Rows]:
        notes = await self.gateway.call(Store.notes_with_items)
        rows = [(item_id, note_prompt(note, item_id)) for note, item_id in notes]
        summary = Content(
            ngettext(
                "{n} note · Enter opens · Esc back", "{n} notes · Enter opens · Esc back", len(rows)
            ).format(n=len(rows))
        )
        return Content(_("Notes")), summary, rows
