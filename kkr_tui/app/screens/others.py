"""Sådan besluttede de andre: each related item's Indstilling beside its Beslutning.

For the item in view, newest first: council, date, number and title, how the decision
was read, then the Indstilling and the Beslutning in two columns. A
:class:`LoadingPickList` that fetches the decisions itself; Enter opens the item.
Document text is drawn as Rich ``Text`` (never markup), capped so one long decision
cannot fill the screen.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual.content import Content

from kkr_tui.app.render import safe
from kkr_tui.app.screens.pick_list import LoadingPickList, Rows
from kkr_tui.i18n import _, ngettext
from kkr_tui.parser.blocks import BULLET_RE, NUMBERED_RE
from kkr_tui.wording import danish_date

if TYPE_CHECKING:
    from kkr_tui.app.db import Store, StoreGateway
    from kkr_tui.meetingwork.others import OtherDecision

#: Characters of each column shown; the item itself holds the rest.
COLUMN_CHARS = 600


def _cap(text: str | None) -> str:
    """The column's text: wrapped lines joined, but each list item ("- At …", "1. …")
    on a line of its own as the briefing shows it; capped at COLUMN_CHARS."""
    lines: list[str] = []
    for raw in (text or "").splitlines():
        line = " ".join(safe(raw).split())
        if not line:
            continue
        if lines and not (BULLET_RE.match(line) or NUMBERED_RE.match(line)):
            lines[-1] += " " + line
        else:
            lines.append(line)
    flat = "\n".join(lines)
    return flat if len(flat) <= COLUMN_CHARS else flat[: COLUMN_CHARS - 1].rstrip() + "…"


def other_prompt(other: Any) -> Group:
    """Header line, then Indstilling | Beslutning side by side."""
    rel, merged = other.related, other.merged
    header = Text.assemble(
        (safe(rel.council), "bold"),
        "  ",
        danish_date(rel.meeting_date),
        "  ",
        (f"{safe(rel.number)} {safe(rel.title)}", "bold"),
    )
    if merged is not None and merged.beslutning:
        reading = merged.reading
        style = "bold yellow" if reading.departs else "dim" if reading.unsure else "green"
        header.append(f"\n{reading.mark} {reading.label}", style=style)
    table = Table.grid(padding=(0, 2), expand=True)
    table.add_column(ratio=1)
    table.add_column(ratio=1)
    decision = other.beslutning
    table.add_row(
        Text.assemble((_("Indstilling") + ": ", "bold"), _cap(other.indstilling) or "–"),
        Text.assemble(
            (_("Beslutning") + ": ", "bold"),
            _cap(decision) if decision else _("not yet known (agenda only)"),
        ),
    )
    return Group(header, table, Text(""))


class OthersScreen(LoadingPickList):
    """How the other councils and meetings decided the item ``item_id`` (``D``)."""

    WORKER = "load_others"

    def __init__(self, gateway: StoreGateway, item_id: int, title: str) -> None:
        super().__init__(gateway, name="others")
        self.item_id = item_id
        self.item_title = title

    async def fetch(self) -> tuple[Content, Content, Rows]:
        return others_view(self.item_title, await self.gateway.call(_others, self.item_id))


def _others(store: Store, item_id: int) -> list[OtherDecision]:
    from kkr_tui.meetingwork.others import other_decisions

    return other_decisions(store, item_id)


def others_view(title: str, others: list[Any]) -> tuple[Content, Content, Rows]:
    """Title, summary and rows for the item titled ``title`` and its related items'
    decisions."""
    heading = Content(_("How the others decided · {item}").format(item=safe(title)))
    if others:
        summary = Content(
            ngettext(
                "{count} related item · Enter opens · Esc back",
                "{count} related items, newest first · Enter opens · Esc back",
                len(others),
            ).format(count=len(others))
        )
    else:
        summary = Content(_("No related items in other meetings · Esc back"))
    rows: list[tuple[int | None, Any]] = [(o.related.item_id, other_prompt(o)) for o in others]
    return heading, summary, rows
