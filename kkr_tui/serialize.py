"""Meetings as plain JSON-able dicts, in the shape of the project's ground truth.

The keys of ``../shared/ground_truth/*.json`` keep their meaning (so the scorer can
judge any parse), and the full text of every part, pages, place, participants and
warnings come along so ``kkr-tui parse --json`` loses nothing.
"""

from __future__ import annotations

import re
from typing import Any

from kkr_tui.model import Item, Meeting, PageWarning

PREFIX_LENGTH = 80


def _prefix(item: Item, kind: str) -> str | None:
    part = item.part(kind)
    if part is None:
        return None
    text = " ".join(f"{b.marker} {b.text}" if b.marker else b.text for b in part.blocks)
    return re.sub(r"\s+", " ", text).strip()[:PREFIX_LENGTH]


def item_to_dict(item: Item) -> dict[str, Any]:
    """One item: ground-truth fields first, then the full parts and page range."""
    return {
        "number": item.number,
        "title": item.title,
        "case_number": item.case_number,
        "initials": list(item.initials),
        "subsections": [p.kind for p in item.parts if p.heading],
        "indstilling_starts": _prefix(item, "Indstilling"),
        "beslutning_starts": _prefix(item, "Beslutning"),
        "bilag": list(item.attachments),
        "urls": list(item.urls),
        "first_page": item.first_page,
        "last_page": item.last_page,
        "parts": [
            {
                "kind": p.kind,
                "heading": p.heading,
                "blocks": [{"kind": b.kind, "marker": b.marker, "text": b.text} for b in p.blocks],
            }
            for p in item.parts
        ],
        "warnings": [w.as_json() for w in item.warnings],
        "page_warnings": page_warnings_to_list(item.page_warnings),
    }


def page_warnings_to_list(warnings: tuple[PageWarning, ...]) -> list[dict[str, Any]]:
    """Pages that could not be read (and repairs), as ``{"kind", "page", "reason"}``
    plus, when known, ``"cause"`` (a stable code) and its ``"params"``."""
    return [w.as_json() for w in warnings]


def meeting_to_dict(meeting: Meeting) -> dict[str, Any]:
    """The whole meeting, JSON-ready."""
    return {
        "source": meeting.source,
        "council": meeting.council,
        "meeting_date": meeting.meeting_date,
        "doc_type": meeting.doc_type,
        "place": meeting.place,
        "meeting_time": meeting.meeting_time,
        "page_count": meeting.page_count,
        "participants": [
            {"name": p.name, "detail": p.detail, "absent": p.absent} for p in meeting.participants
        ],
        "links": list(meeting.links),
        "warnings": [w.as_json() for w in meeting.warnings],
        "page_warnings": page_warnings_to_list(meeting.page_warnings),
        "sections": [
            {
                "number": str(s.number),
                "title": s.title,
                "page": s.page,
                "items": [item_to_dict(i) for i in s.items],
            }
            for s in meeting.sections
        ],
    }
