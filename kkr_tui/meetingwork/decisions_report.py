"""A meeting's decisions as data: what ``kkr-tui decisions`` prints (text or JSON).

Built from :func:`.merged.merged_meeting`, so agenda and minutes are read as one meeting
and each Indstilling is the agenda's when the minutes leave it out.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from kkr_tui.meetingwork.merged import merged_meeting
from kkr_tui.wording import danish_date

if TYPE_CHECKING:
    from kkr_tui.store import Store


def decisions_payload(store: Store, meeting_id: int) -> dict[str, Any]:
    """``{"meeting": {...}, "items": [{number, title, indstilling, beslutning, outcome,
    departs, reason, ...}]}`` for a meeting; JSON-able."""
    meeting = store.meeting(meeting_id)
    items = merged_meeting(store, meeting_id)
    return {
        "meeting": {
            "id": meeting.id,
            "council": meeting.council,
            "date": meeting.meeting_date,
            "place": meeting.place,
            "time": meeting.time,
            "documents": list(meeting.doc_types),
            "departing": sum(1 for i in items if i.reading.departs),
            "unsure": sum(1 for i in items if i.reading.unsure),
        },
        "items": [
            {
                "number": item.number,
                "title": item.title,
                "indstilling": item.indstilling,
                "beslutning": item.beslutning,
                "outcome": item.reading.outcome if item.minutes is not None else None,
                "label": item.reading.label if item.minutes is not None else None,
                "departs": item.reading.departs,
                "unsure": item.reading.unsure,
                "reason": item.reading.reason if item.minutes is not None else None,
                "item_id": item.item_id,
            }
            for item in items
        ],
    }


def decisions_lines(payload: dict[str, Any]) -> list[str]:
    """The text form: a heading line, then per item its number, title and reading."""
    meeting = payload["meeting"]
    out = [
        f"{meeting['council']} · {danish_date(meeting['date'])} · "
        f"{meeting['departing']} afviger (⚠), {meeting['unsure']} uafklaret (?)"
    ]
    for item in payload["items"]:
        mark = "⚠" if item["departs"] else "?" if item["unsure"] else " "
        out.append(f"{mark} {item['number']} {item['title']}")
        if item["outcome"] is None:
            out.append("    ingen beslutning endnu (kun dagsorden)")
        else:
            out.append(f"    {item['label']} · {item['reason']}")
    return out
