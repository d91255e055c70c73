"""Decisions at a glance: every item of a meeting with how it was decided.

Items whose decision departs from the recommendation (changed, postponed, rejected,
sent back, taken off the agenda, withdrawn — :mod:`kkr_tui.meetingwork.decisions`)
carry ``⚠`` and the reason, unsure readings ``?``; items of an agenda without minutes
say so. A :class:`LoadingPickList`: it fetches the meeting and its merged items itself;
Enter opens the item.
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
    from kkr_tui.meetingwork.merged import MergedItem
    from kkr_tui.records import MeetingDetail


def decision_prompt(item: MergedItem) -> Content:
    """``⚠ 3.8 Title`` then ``  udsat · “Punktet blev udsat.”``."""
    departs = item.reading.departs
    unsure = item.reading.unsure
    if item.minutes is None:
        detail = Content.styled("  " + _("no decision yet (only the agenda)"), "$text-muted")
    else:
        detail = Content.assemble(
            (
                "  " + item.reading.label,
                "bold $text-warning" if departs else "$text-muted" if unsure else "$text-success",
            ),
            (f" · {safe(item.reading.reason)}", "$text-muted"),
        )
    return Content.assemble(
        ("⚠ " if departs else "? " if unsure else "  ", "bold $text-warning"),
        (safe(item.number), "bold"),
        " ",
        safe(item.title),
        "\n",
        detail,
    )


class DecisionsScreen(LoadingPickList):
    """Every item of a meeting with how it was decided (``d``)."""

    WORKER = "load_decisions"

    def __init__(self, gateway: StoreGateway, meeting_id: int) -> None:
        super().__init__(gateway, name="decisions")
        self.meeting_id = meeting_id

    async def fetch(self) -> tuple[Content, Content, Rows]:
        meeting = await self.gateway.call(Store.meeting, self.meeting_id)
        items = await self.gateway.call(_merged_meeting, self.meeting_id)
        return decisions_view(meeting, items)


def _merged_meeting(store: Store, meeting_id: int) -> list[MergedItem]:
    from kkr_tui.meetingwork.merged import merged_meeting

    return merged_meeting(store, meeting_id)


def decisions_view(
    meeting: MeetingDetail, items: list[MergedItem]
) -> tuple[Content, Content, Rows]:
    """Title, summary and rows of a meeting's decisions (its merged items)."""
    departing = sum(1 for i in items if i.reading.departs)
    unsure = sum(1 for i in items if i.reading.unsure)
    decided = sum(1 for i in items if i.minutes is not None)
    title = Content(
        _("Decisions · {council} · {date}").format(
            council=safe(meeting.council), date=danish_date(meeting.meeting_date)
        )
    )
    if decided:
        summary = Content(
            ngettext("{n} item decided", "{n} items decided", decided).format(n=decided)
            + ", "
            + ngettext(
                "{n} departs from the recommendation (⚠)",
                "{n} depart from the recommendation (⚠)",
                departing,
            ).format(n=departing)
            + ", "
            + ngettext("{n} unclear (?)", "{n} unclear (?)", unsure).format(n=unsure)
            + " · "
            + _("Enter opens · Esc back")
        )
    else:
        summary = Content(
            _("Only the agenda is stored: no decisions yet") + " · " + _("Enter opens · Esc back")
        )
    rows = [(i.item_id, decision_prompt(i)) for i in items]
    return title, summary, rows
