"""Agenda and minutes as one meeting: each item's Indstilling next to its Beslutning.

The store keeps up to two documents per meeting. The minutes usually repeat the
agenda's text and add a Beslutning, but not always: some minutes shorten or drop the
Indstilling, and an item can be renumbered or added. Items are matched by number when
their titles agree (folded, RapidFuzz ratio at least :data:`SAME_TITLE`), else by an
identical title anywhere in the other document. The recommendation comes from the
agenda, or from the minutes when the agenda is missing or silent; the decision from the
minutes, read with :func:`kkr_tui.decisions.read_decision`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from rapidfuzz import fuzz

from kkr_tui.meetingwork.decisions import DecisionReading, read_decision
from kkr_tui.records import DocItem
from kkr_tui.textfold import fold

if TYPE_CHECKING:
    from kkr_tui.store import Store

SAME_TITLE = 80.0


@dataclass(frozen=True, slots=True)
class MergedItem:
    """One item of a meeting seen through both documents."""

    number: str
    title: str
    case_number: str | None
    agenda: DocItem | None
    minutes: DocItem | None
    indstilling: str | None
    beslutning: str | None
    reading: DecisionReading

    @property
    def item_id(self) -> int:
        """The item to open: the minutes' version when stored."""
        doc = self.minutes or self.agenda
        assert doc is not None
        return doc.id

    @property
    def primary(self) -> DocItem:
        """The minutes' item when stored, else the agenda's."""
        doc = self.minutes or self.agenda
        assert doc is not None
        return doc

    @property
    def indstilling_source(self) -> str | None:
        """Which document the Indstilling shown came from ("agenda" / "minutes")."""
        if self.agenda is not None and self.agenda.indstilling:
            return "agenda"
        return "minutes" if self.indstilling else None


def _titles_agree(a: str, b: str) -> bool:
    fa, fb = fold(a), fold(b)
    return fa == fb or fuzz.ratio(fa, fb) >= SAME_TITLE


def merge_documents(agenda: list[DocItem], minutes: list[DocItem]) -> list[MergedItem]:
    """Pair the items of the two documents; minutes order first, then agenda-only items."""
    by_number = {a.number: a for a in agenda}
    by_title = {fold(a.title): a for a in agenda}
    used: set[int] = set()
    pairs: list[tuple[DocItem | None, DocItem | None]] = []
    for m in minutes:
        match = by_number.get(m.number)
        if match is None or match.id in used or not _titles_agree(match.title, m.title):
            match = by_title.get(fold(m.title))
        if match is not None and match.id in used:
            match = None
        if match is not None:
            used.add(match.id)
        pairs.append((match, m))
    pairs += [(a, None) for a in agenda if a.id not in used]
    return [_merged(a, m) for a, m in pairs]


def _merged(agenda: DocItem | None, minutes: DocItem | None) -> MergedItem:
    primary = minutes or agenda
    assert primary is not None
    indstilling = (agenda.indstilling if agenda else None) or (
        minutes.indstilling if minutes else None
    )
    beslutning = minutes.beslutning if minutes else None
    return MergedItem(
        number=primary.number,
        title=primary.title,
        case_number=primary.case_number,
        agenda=agenda,
        minutes=minutes,
        indstilling=indstilling,
        beslutning=beslutning,
        reading=read_decision(beslutning, indstilling),
    )


def merged_meeting(store: Store, meeting_id: int) -> list[MergedItem]:
    """Every item of a meeting with its recommendation and decision from both documents."""
    docs = store.meeting_document_items(meeting_id)
    return merge_documents(docs.get("agenda", []), docs.get("minutes", []))


def merged_item(store: Store, item_id: int) -> MergedItem | None:
    """The merged view of the item with this id (agenda or minutes version)."""
    row = store.item_rows([item_id]).get(item_id)
    if row is None:
        return None
    for merged in merged_meeting(store, row.meeting_id):
        if item_id in {d.id for d in (merged.agenda, merged.minutes) if d is not None}:
            return merged
    return None
