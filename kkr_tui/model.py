"""The data model shared by every layer: pages in, meetings out.

Frozen dataclasses so a parsed meeting can be handed between threads (ingest
workers, the app) without anyone mutating it behind another's back. Nothing here
knows about PDFs, SQL or Textual.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

#: Canonical part names in the order KL's template uses them.
PART_KINDS: tuple[str, ...] = (
    "Baggrund",
    "Indstilling",
    "Sagsfremstilling",
    "Bilag",
    "Beslutning",
)

#: Part kind for text that sits between the case line and the first heading.
UNTITLED_PART = "Tekst"

COUNCILS: tuple[str, ...] = (
    "KKR Hovedstaden",
    "KKR Sjælland",
    "KKR Syddanmark",
    "KKR Midtjylland",
    "KKR Nordjylland",
)

DocType = Literal["agenda", "minutes"]
#: "heading" is an inner, unnumbered heading inside a part's text (a bold line in the PDF,
#: e.g. "Proces" or a forum name under "Siden sidst"); it is not one of the PART_KINDS.
BlockKind = Literal["paragraph", "bullet", "numbered", "heading"]


@dataclass(frozen=True, slots=True)
class Page:
    """One page of a source document: its text and its link-annotation URIs.

    ``number`` is 1-based and counts extracted pages (not the printed ``SIDE`` number).
    ``text`` is the page text as extracted, lines separated by ``\\n``.
    """

    number: int
    text: str
    links: tuple[str, ...] = ()


PageWarningKind = Literal["failed", "repaired"]


@dataclass(frozen=True, slots=True)
class PageWarning:
    """Text that may be missing: a page that could not be read, or a damaged file repaired.

    A failed page is kept with empty text so the rest of the document is stored; this
    warning travels with the document (reader → parser → store → app) so that the gap
    is never silent. ``page`` is 1-based; 0 means the whole document (a repair).
    """

    kind: PageWarningKind
    page: int
    reason: str

    @property
    def text(self) -> str:
        """One line for the ingest result, ``kkr-tui parse`` and the item pane."""
        from kkr_tui.i18n import _

        if self.kind == "repaired":
            return _("damaged PDF repaired ({reason}); text may be missing").format(
                reason=self.reason
            )
        return _("page {page} could not be read ({reason}); its text is missing").format(
            page=self.page, reason=self.reason
        )


def page_warnings_line(warnings: tuple[PageWarning, ...], limit: int = 3) -> str:
    """All of a document's page warnings in one bounded line (a hostile file can fail
    on every one of a thousand pages): the first ``limit`` and how many more."""
    from kkr_tui.i18n import _

    shown = "; ".join(w.text for w in warnings[:limit])
    rest = len(warnings) - limit
    return _("{shown}; and {rest} more").format(shown=shown, rest=rest) if rest > 0 else shown


@dataclass(frozen=True, slots=True)
class SourceDocument:
    """A file turned into pages. Both the PDF and the text reader produce this.

    ``page_warnings`` lists the pages that failed (kept with empty text) and repairs.
    """

    name: str
    pages: tuple[Page, ...]
    kind: Literal["pdf", "text"] = "text"
    metadata: tuple[tuple[str, str], ...] = ()
    page_warnings: tuple[PageWarning, ...] = ()


@dataclass(frozen=True, slots=True)
class Block:
    """A paragraph or a list entry of a part's text.

    ``marker`` is the bullet or number as printed (``"–"``, ``"-"``, ``"•"``, ``"1."``,
    ``"2)"``); ``text`` never repeats it.
    """

    kind: BlockKind
    text: str
    marker: str = ""


@dataclass(frozen=True, slots=True)
class Part:
    """One part of an item: Baggrund, Indstilling, Sagsfremstilling, Bilag or Beslutning.

    ``heading`` is the heading as printed (``"Vedlagte bilag:"``), ``kind`` the canonical name.
    """

    kind: str
    heading: str
    blocks: tuple[Block, ...] = ()

    @property
    def text(self) -> str:
        """The part as plain text: one block per paragraph, lists with their markers."""
        out = []
        for block in self.blocks:
            out.append(f"{block.marker} {block.text}" if block.marker else block.text)
        return "\n\n".join(out)


@dataclass(frozen=True, slots=True)
class Item:
    """An agenda item ("3.4 Strategi for mobilitet …") with everything printed under it."""

    number: str
    title: str
    case_number: str | None = None
    initials: tuple[str, ...] = ()
    parts: tuple[Part, ...] = ()
    attachments: tuple[str, ...] = ()
    urls: tuple[str, ...] = ()
    first_page: int = 0
    last_page: int = 0
    warnings: tuple[str, ...] = ()
    #: The document's page warnings whose pages this item's text may have lost.
    page_warnings: tuple[PageWarning, ...] = ()

    def part(self, kind: str) -> Part | None:
        """The first part of the given canonical kind, or None."""
        for p in self.parts:
            if p.kind == kind:
                return p
        return None


@dataclass(frozen=True, slots=True)
class Section:
    """A top-level section ("3. Regionalpolitiske sager") and its items."""

    number: int
    title: str
    items: tuple[Item, ...] = ()
    page: int = 0


@dataclass(frozen=True, slots=True)
class Participant:
    """A name from the participant list of minutes; ``absent`` for the Afbud part."""

    name: str
    detail: str = ""
    absent: bool = False


@dataclass(frozen=True, slots=True)
class Meeting:
    """A parsed meeting document: facts, sections, items and what the parser noticed."""

    source: str
    council: str | None
    meeting_date: str | None  # ISO yyyy-mm-dd
    doc_type: DocType
    sections: tuple[Section, ...] = ()
    place: str | None = None
    meeting_time: str | None = None
    participants: tuple[Participant, ...] = ()
    #: Link URIs found in the document that belong to no item (e.g. on a cover page).
    links: tuple[str, ...] = ()
    page_count: int = 0
    warnings: tuple[str, ...] = field(default=())
    #: Pages that could not be read and repairs, as the reader reported them.
    page_warnings: tuple[PageWarning, ...] = ()

    def items(self) -> list[Item]:
        """Every item in document order."""
        return [item for section in self.sections for item in section.items]


class NotAMeetingError(ValueError):
    """The input has no KKR meeting structure at all (no sections and items)."""
