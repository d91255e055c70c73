"""Decisions at a glance: every item of a meeting with how it was decided.

Items whose decision departs from the recommendation (changed, postponed, rejected,
sent back, taken off the agenda, withdrawn — :mod:`kkr_tui.meetingwork.decisions`)
carry ``⚠`` and the reason, unsure readings ``?``; items of an agenda without minutes
say so. Built on :class:`PickListScreen`, Enter opens the item.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.content import Content

from kkr_tui.app.render import safe
from kkr_tui.app.screens.pick_list import PickListScreen
from kkr_tui.i18n import _, ngettext
from kkr_tui.wording import danish_date

if TYPE_CHECKING:
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


def decisions_screen(meeting: MeetingDetail, items: list[MergedItem]) -> PickListScreen:
    """The Decisions view of a meeting (a MeetingDetail and its merged items)."""
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
    return PickListScreen(title, summary, rows, name="decisions")
