"""Bilag hits: the query's words on the pages of bilag (attachment PDFs).

Bilag text lives in its own full-text index (``bilag_fts``, see
:mod:`kkr_tui.store.bilag`), so items are ranked exactly as before and bilag are
asked only when the caller wants them. The query words are folded as the items'
are (Danish-aware: ``okonomi`` finds *økonomi*) and each must start a word on the
page. A bilag is one hit, however many of its pages match: its best page, with the
count of the others, so one long report never crowds out the rest. The highlights
mark what the index matched (each word as a word start), not the items' typo-tolerant
expansions, so a marked word is always one the page really has.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from kkr_tui.records import ItemRef
from kkr_tui.search.highlight import prefix_marker, snippet
from kkr_tui.search.hits import SearchHit

if TYPE_CHECKING:
    from kkr_tui.search.query import Filters
    from kkr_tui.store import Store


#: Tokens shorter than this match whole words only. FTS5 answers a prefix by merging
#: the lists of every term that starts with it, so "s"* on 40,000 bilag pages took 3-9 s
#: and "af"* (in "godkendelse af referat") hundreds of ms; a one- or two-letter word
#: start says little about what a reader is looking for (bench/README.md, search_bilag).
PREFIX_MIN = 3


def bilag_match(tokens: list[str]) -> str:
    """An FTS5 expression: every folded token of three letters or more as a word
    prefix, shorter ones as whole words (quoted, so any token is a plain string to
    FTS5)."""
    words = [t.replace('"', "") for t in tokens]
    return " AND ".join('"' + w + ('"*' if len(w) >= PREFIX_MIN else '"') for w in words if w)


def bilag_hits(store: Store, tokens: list[str], filters: Filters, limit: int) -> list[SearchHit]:
    """Up to ``limit`` bilag for the folded query ``tokens``, best first, each at its
    best page. ``filters`` apply as to items (council, year, dates); a document-type
    filter (``type:referat``) leaves bilag out: a bilag is neither."""
    match = bilag_match(tokens)
    if not match or limit <= 0 or filters.doc_type is not None:
        return []
    found = prefix_marker(tokens)
    pages = store.search_bilag(
        match, limit=limit, councils=filters.councils, year=filters.year, dates=filters.dates
    )
    hits = []
    for page in pages:
        bilag = page.bilag
        item = store.bilag_item(bilag.id) if bilag.item_number else None
        cut = snippet(found, page.text)
        hits.append(
            SearchHit(
                ItemRef(
                    item.id if item is not None else 0,
                    bilag.council,
                    bilag.meeting_date,
                    "bilag",
                    bilag.item_number or "",
                    item.title if item is not None else "",
                ),
                snippet=cut,
                highlights=found.spans(cut) if found else (),
                score=round(-page.rank, 6),
                kind="bilag",
                meeting_id=item.meeting_id if item is not None else None,
                bilag_id=bilag.id,
                bilag_title=bilag.title,
                page=page.page,
                bilag_matches=page.matched,
                bilag_words=tuple(tokens),
            )
        )
    return hits
