"""What a search hands back: one :class:`SearchHit` a result line, built from a row.

The reader's search screen and ``kkr-tui search --json`` show these as they are, so
the fields are the ones a result line needs: where the item is and its title (an
:class:`~kkr_tui.records.ItemRef`), a snippet, the spans to highlight in both, and why
it matched (``kind``). :func:`hit_for` is the one way to make a hit for a stored item
(the search's own text hits, the reader's note hits); a whole-meeting or bilag hit
makes its own ref.
"""

from __future__ import annotations

from typing import Literal

from kkr_tui.record import record
from kkr_tui.records import AtItem, ItemRef, ItemRow
from kkr_tui.search.highlight import Marker, snippet_at

#: Why an item is a hit: its case number, its item number, its text, or my note on it
#: (merged in by the reader, :mod:`kkr_tui.app.note_hits`). A "meeting" hit stands for
#: a whole meeting (a case number all its items carry): open ``meeting_id``, not the item.
#: ``bilag``: a page of one of a meeting's bilag (``item_id`` 0 when it is tied to no item).
HitKind = Literal["case", "number", "text", "note", "meeting", "bilag"]


@record
class SearchHit(AtItem):
    """One result line: where the item is, what it is called, and why it matched.

    ``highlights`` are (start, end) spans into ``snippet``; ``title_highlights`` into
    ``title``. A ``bilag`` hit names the bilag (``bilag_id``, ``bilag_title``), the
    ``page`` the words are best found on and how many of its pages have them.
    """

    ref: ItemRef
    snippet: str
    highlights: tuple[tuple[int, int], ...]
    score: float
    kind: HitKind
    title_highlights: tuple[tuple[int, int], ...] = ()
    meeting_id: int | None = None
    bilag_id: int | None = None
    bilag_title: str | None = None
    page: int | None = None
    #: Pages of the bilag holding the words (``page`` is the best of them).
    bilag_matches: int = 0
    #: The folded words the bilag's pages were searched for (each a word start), so
    #: whoever opens the bilag can mark and find them there.
    bilag_words: tuple[str, ...] = ()


def hit_for(
    row: ItemRow,
    kind: HitKind,
    score: float,
    snippet: str,
    highlights: tuple[tuple[int, int], ...],
    title_highlights: tuple[tuple[int, int], ...],
) -> SearchHit:
    """The hit for the stored item ``row``, with its meeting so the reader can open it."""
    return SearchHit(
        row.ref,
        snippet=snippet,
        highlights=highlights,
        score=score,
        kind=kind,
        title_highlights=title_highlights,
        meeting_id=row.meeting_id,
    )


def make_hit(
    row: ItemRow, kind: HitKind, score: float, text: str, found: Marker | None
) -> SearchHit:
    """The hit for ``row``, its snippet cut from ``text`` around the first match."""
    return hit_at(row, kind, score, text, found, found.first(text) if found else None)


def hit_at(
    row: ItemRow, kind: HitKind, score: float, text: str, found: Marker | None, at: int | None
) -> SearchHit:
    """:func:`make_hit` where the caller knows the first match already (``at``: what
    ``found.first(text)`` says), so the text is not looked through again."""
    cut = snippet_at(text, at)
    return hit_for(
        row,
        kind,
        score,
        cut,
        found.spans(cut) if found else (),
        found.spans(row.title) if found else (),
    )
