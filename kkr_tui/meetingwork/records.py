"""Records of the meeting-work features: notes, reading marks, changes, items of both documents.

Plain frozen dataclasses (no SQL, no Textual) so the store can hand them to the app
thread and the CLI can print them as JSON.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

ChangeKind = Literal["new", "changed"]


@dataclass(frozen=True, slots=True)
class Anchor:
    """Where a note or a reading mark belongs: never an item id, which re-ingesting changes.

    ``meeting_date`` is ``""`` for an undated meeting. ``case_number`` and ``title`` let a
    note find its item again when the minutes number it differently from the agenda.
    """

    council: str
    meeting_date: str
    number: str
    case_number: str | None = None
    title: str = ""


@dataclass(frozen=True, slots=True)
class Note:
    """A private note on an item."""

    id: int
    anchor: Anchor
    text: str
    created_at: str
    updated_at: str


@dataclass(frozen=True, slots=True)
class NoteHit:
    """A note matching a search, with the item it belongs to today (None if gone)."""

    note: Note
    item_id: int | None


@dataclass(frozen=True, slots=True)
class ItemMark:
    """What the tree shows next to an item: a note, and whether it is new or changed unread."""

    has_note: bool = False
    change: ChangeKind | None = None
    read: bool = False


@dataclass(frozen=True, slots=True)
class ChangedItem:
    """An item that is new or changed since the user last looked and not yet opened."""

    item_id: int
    council: str
    meeting_date: str | None
    doc_type: str
    number: str
    title: str
    kind: ChangeKind
    detected_at: str


@dataclass(frozen=True, slots=True)
class DocItem:
    """One item of one document of a meeting, with its recommendation and decision texts."""

    id: int
    doc_type: str
    number: str
    title: str
    case_number: str | None
    indstilling: str | None
    beslutning: str | None
    first_page: int
    last_page: int
    attachments: tuple[str, ...]
    file_name: str
