"""My notes in the reader's search: note hits go first, as search results of kind "note".

The search module ranks document text; notes are the reader's own words and few, so
``Store.search_notes`` filters them directly and this merges them in front of the
document hits (an item found through its note is not listed twice). The snippet is the
note text with the query words highlighted by span.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from kkr_tui.textfold import original_pattern, words

if TYPE_CHECKING:
    from kkr_tui.search import SearchHit

NOTE_PREFIX = "✎ "


def _highlights(text: str, query: str) -> tuple[tuple[int, int], ...]:
    patterns = [original_pattern(w) for w in words(query) if ":" not in w]
    if not patterns:
        return ()
    rx = re.compile("|".join(patterns), re.IGNORECASE)
    return tuple(m.span() for m in rx.finditer(text) if m.end() > m.start())


def with_note_hits(
    store: Any, query: str, hits: list[SearchHit], limit: int = 10
) -> list[SearchHit]:
    """``hits`` with the items whose notes match ``query`` in front."""
    from kkr_tui.search import parse_query
    from kkr_tui.search.hits import hit_for

    text = parse_query(query).text
    if not text.strip():
        return hits
    note_hits = [h for h in store.search_notes(text, limit=limit) if h.item_id is not None]
    if not note_hits:
        return hits
    rows = store.item_rows([h.item_id for h in note_hits])
    out: list[SearchHit] = []
    for hit in note_hits:
        row = rows.get(hit.item_id)
        if row is None:
            continue
        snippet = NOTE_PREFIX + " ".join(hit.note.text.split())[:160]
        out.append(
            hit_for(
                row,
                "note",
                2000.0,
                snippet,
                _highlights(snippet, text),
                _highlights(row.title, text),
            )
        )
    seen = {h.item_id for h in out}
    # A bilag hit is evidence of its own (a page of an attachment), kept even when
    # its item is already listed through my note.
    return out + [h for h in hits if h.kind == "bilag" or h.item_id not in seen]
