"""Read-side records the store hands to the app and the search.

Frozen, slotted records (:mod:`kkr_tui.record`) with plain values only, so results can
cross from the store's thread to the UI thread and be cached without anyone mutating
them. They
mirror what a screen needs, not the table layout: an ``ItemRow`` already carries the
council and date so a search hit or a tree node needs no second query.
"""

from __future__ import annotations

from typing import Any, Literal

from kkr_tui.model import PageWarning, ParseWarning, Part, Participant
from kkr_tui.record import asdict, record
from kkr_tui.wording import danish_date, doc_type_name

#: Year used for meetings whose date the parser could not find (``meeting_date`` is None).
UNKNOWN_YEAR = 0
#: Council used for documents whose council the parser could not find.
UNKNOWN_COUNCIL = "Ukendt råd"

#: The most a note may hold (UTF-8 bytes), for the store and the note editor alike: a
#: note is typed by hand, and 50 MB pasted into the editor froze the reader for minutes.
MAX_NOTE_BYTES = 1_000_000

#: How the tree labels a meeting whose date the parser could not find.
NO_DATE = "Uden dato"


@record
class DocumentRow:
    """One ingested file."""

    id: int
    meeting_id: int
    doc_type: str
    path: str
    sha256: str
    page_count: int
    parser_version: str
    ingested_at: str
    #: Pages of this file that could not be read, and repairs (shown with the meeting).
    page_warnings: tuple[PageWarning, ...] = ()
    #: What the parser was unsure of in this file as a whole (numbering, council, date).
    warnings: tuple[ParseWarning, ...] = ()

    @property
    def file_name(self) -> str:
        """The file name without its folder."""
        return self.path.replace("\\", "/").rsplit("/", 1)[-1]


@record
class MeetingRow:
    """A meeting in the tree: a council and a date, with the document types stored for it."""

    id: int
    council: str
    meeting_date: str | None
    place: str | None
    doc_types: tuple[str, ...]

    @property
    def year(self) -> int:
        """The meeting's year, or :data:`UNKNOWN_YEAR`."""
        return int(self.meeting_date[:4]) if self.meeting_date else UNKNOWN_YEAR

    @property
    def label(self) -> str:
        """``18.06.2025 · Dagsorden / Referat``: what the tree shows for the meeting."""
        types = " / ".join(doc_type_name(t) for t in self.doc_types)
        return (
            f"{danish_date(self.meeting_date, NO_DATE)} · {types}"
            if types
            else danish_date(self.meeting_date, NO_DATE)
        )


@record
class SectionRow:
    """A section of a meeting's primary document."""

    id: int
    number: int
    title: str
    item_count: int

    @property
    def label(self) -> str:
        """``3. Regionalpolitiske sager``."""
        return f"{self.number}. {self.title}"


@record
class ItemRef:
    """Where an item is and what it is called: what every list of items shows of it.

    A search hit, a related item and a new or changed item each carry one (``ref``)
    instead of six fields of their own, so a line of any of those lists is drawn, cited
    and opened from the same value; :meth:`ItemRow.ref` makes one from a store row.
    """

    item_id: int
    council: str
    meeting_date: str | None
    doc_type: str
    number: str
    title: str


class AtItem:
    """The :class:`ItemRef` fields of a record that carries one as ``ref``, read through.

    A base of the records, so ``hit.title`` reads as it always has; the fields live once,
    in the ref. Every subclass is a :func:`~kkr_tui.record.record` (``as_json`` reads
    its fields)."""

    __slots__ = ()
    ref: ItemRef

    @property
    def item_id(self) -> int:
        return self.ref.item_id

    @property
    def council(self) -> str:
        return self.ref.council

    @property
    def meeting_date(self) -> str | None:
        return self.ref.meeting_date

    @property
    def doc_type(self) -> str:
        return self.ref.doc_type

    @property
    def number(self) -> str:
        return self.ref.number

    @property
    def title(self) -> str:
        return self.ref.title

    def as_json(self) -> dict[str, Any]:
        """The record as the CLI prints it: the ref's fields first, flat, then its own
        (the JSON shape ``--json`` has always had)."""
        fields = asdict(self)
        return {**fields.pop("ref"), **fields}


@record
class ItemRow(AtItem):
    """An item as listed in the tree or a search result: where it is and what it is called
    (``ref``, read through as ``row.title`` …), and where it sits in its meeting."""

    ref: ItemRef
    meeting_id: int
    section_id: int
    case_number: str | None

    @property
    def id(self) -> int:
        """The item's row id (``ref.item_id``)."""
        return self.ref.item_id

    @property
    def label(self) -> str:
        """``3.4 Strategi for mobilitet …``."""
        return f"{self.number} {self.title}"


@record
class ItemDetail(ItemRow):
    """Everything the item pane renders."""

    initials: tuple[str, ...]
    parts: tuple[Part, ...]
    attachments: tuple[str, ...]
    urls: tuple[str, ...]
    first_page: int
    last_page: int
    warnings: tuple[ParseWarning, ...]
    source_path: str
    #: Pages this item's text may have lost (they could not be read), and repairs.
    page_warnings: tuple[PageWarning, ...] = ()


@record
class ItemSummary:
    """One line of the meeting overview: the item and how it was proposed and decided."""

    id: int
    number: str
    title: str
    indstilling_first_line: str | None
    beslutning_first_line: str | None


@record
class MeetingDetail(MeetingRow):
    """The meeting pane: facts, who took part, which files, and the primary document's items."""

    time: str | None
    participants: tuple[Participant, ...]
    documents: tuple[DocumentRow, ...]
    sections: tuple[SectionRow, ...]
    items: tuple[ItemSummary, ...]


@record
class ManifestRow:
    """One PDF link sync has seen on a council page, and what became of it.

    ``state``: ``new`` (seen, not fetched), ``stored`` (an agenda or minutes in the
    store), ``bilag`` (fetched, kept with its meeting), ``skipped`` (not meeting
    material), ``failed`` (``reason`` says why; tried again next run), ``unreadable``
    (fetched, but the reader could not read it; not tried again until its URL changes)
    or ``gone`` (no longer on the page: kept, with whatever was fetched). ``reason`` is
    a code (:mod:`kkr_tui.reason_codes`; an older kkr-tui's rows hold words), worded
    when shown by :func:`kkr_tui.failure_words.stored_words`.
    """

    url: str
    council: str
    block_key: str | None
    block_label: str | None
    year: int | None
    title: str
    kind: str
    path: str | None
    size: int | None
    sha256: str | None
    etag: str | None
    last_modified: str | None
    first_seen: str
    last_seen: str
    state: str
    reason: str | None


@record
class PageState:
    """The validators of a council page as last fetched, for a conditional request."""

    url: str
    council: str
    etag: str | None
    last_modified: str | None
    fetched_at: str


# -- the user's own data beside the documents: notes, reading marks, changes -----------

ChangeKind = Literal["new", "changed"]


@record
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


@record
class Note:
    """A private note on an item."""

    id: int
    anchor: Anchor
    text: str
    created_at: str
    updated_at: str


@record
class NoteHit:
    """A note matching a search, with the item it belongs to today (None if gone)."""

    note: Note
    item_id: int | None


@record
class ItemMark:
    """What the tree shows next to an item: a note, and whether it is new or changed unread."""

    has_note: bool = False
    change: ChangeKind | None = None
    read: bool = False


@record
class ChangedItem(AtItem):
    """An item that is new or changed since the user last looked and not yet opened."""

    ref: ItemRef
    kind: ChangeKind
    detected_at: str


@record
class PartVersion:
    """One part of one version of an item: kind, heading and text. ``text`` is None
    when the store kept only ``digest`` (the part was too long to keep; see
    :func:`text_digest`), which still tells whether the part changed."""

    kind: str
    heading: str
    text: str | None
    digest: str = ""


def text_digest(text: str) -> str:
    """A digest of ``text`` that ignores how its whitespace runs (a re-typeset PDF breaks
    lines elsewhere): what the store keeps of a part too long to keep whole."""
    import hashlib

    return hashlib.sha256(" ".join(text.split()).encode("utf-8", "surrogatepass")).hexdigest()[:32]


@record
class ItemVersion:
    """What the user last saw of an item that has changed since: its title and parts as
    they were, from which document (``agenda``/``minutes``) and when the store kept them.
    ``cut`` is True when some part was too long to keep whole (those carry a digest)."""

    number: str
    title: str
    case_number: str | None
    doc_type: str
    parts: tuple[PartVersion, ...]
    kept_at: str
    cut: bool = False


@record
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


@record
class BilagRow:
    """A bilag (attachment PDF) kept with its meeting, and the item it belongs to if known.

    Anchored like notes, by council, meeting date and item number, so re-ingesting the
    agenda or the minutes replacing it never loses the link. ``state``: ``reading``
    (pages still being read; those read are searchable), ``ready`` or ``unreadable``
    (``reason`` says why; the PDF itself can still be opened). ``reason`` (also a ready
    bilag's page warnings) is a code, worded when shown, as :class:`ManifestRow`'s.
    """

    id: int
    url: str
    council: str
    meeting_date: str | None
    item_number: str | None
    title: str
    path: str
    page_count: int
    pages_read: int
    state: str
    reason: str | None


@record
class BilagPageHit:
    """A full-text hit on one page of a bilag: which bilag, which page, a snippet source,
    and how many of the bilag's pages match (``matched``, this one included)."""

    bilag: BilagRow
    page: int
    text: str
    rank: float
    matched: int = 1
