"""Bilag hits: the query's words on the pages of bilag (attachment PDFs).

Bilag text lives in its own full-text index (``bilag_fts``, see
:mod:`kkr_tui.store.bilag`), so items are ranked exactly as before and bilag are
asked only when the caller wants them. The query words are folded as the items'
are (Danish-aware: ``okonomi`` finds *økonomi*) and each must start a word on the
page. A bilag is one hit, however many of its pages match: its best page, with the
count of the others, so one long report never crowds out the rest. The highlights
mark what the index matched (each word as a word start), so a marked word is always
one the page really has.

A misspelt word finds bilag too: when the words together are on no bilag page, each
word no bilag term starts with is also asked as its near spellings there
(``sundhedsrefrom`` -> ``sundhedsreform``), the word itself kept as an alternative;
the hit then carries the words as its page has them, so the bilag opens with the right
words marked. Only a query that found nothing pays for this. The near spellings come
from the bilag pages' own vocabulary (``Store.bilag_terms_near``), so a word only bilag
use is corrected too; an older store opened read-only has none, and gets them from the
items' vocabulary (``SearchIndex._bilag_near``).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from kkr_tui.records import ItemRef
from kkr_tui.search.highlight import prefix_marker, snippet
from kkr_tui.search.hits import SearchHit
from kkr_tui.textfold import fold

if TYPE_CHECKING:
    from kkr_tui.search.query import Filters
    from kkr_tui.store import Store


#: Tokens shorter than this match whole words only. FTS5 answers a prefix by merging
#: the lists of every term that starts with it, so "s"* on 40,000 bilag pages took 3-9 s
#: and "af"* (in "godkendelse af referat") hundreds of ms; a one- or two-letter word
#: start says little about what a reader is looking for (bench/README.md, search_bilag).
PREFIX_MIN = 3


def _term(word: str) -> str:
    w = word.replace('"', "")
    return '"' + w + ('"*' if len(w) >= PREFIX_MIN else '"') if w else ""


def alternatives(
    tokens: list[str], near: Mapping[str, Sequence[str]] | None = None
) -> list[list[tuple[str, bool]]]:
    """Per folded token, what may stand for it on a page: (term, as a prefix) for the
    token and its ``near`` spellings, shortest first, a prefix another already covers
    left out ("okonomi"* already matches what "okonomien"* would: each merged prefix
    costs its doclists' merge)."""
    groups = []
    for token in tokens:
        alts: list[str] = []
        for alt in sorted(dict.fromkeys([token, *(near or {}).get(token, ())]), key=len):
            covered = any(len(a) >= PREFIX_MIN and alt.startswith(a) for a in alts)
            if _term(alt) and not covered:
                alts.append(alt)
        if alts:
            groups.append(
                [(a.replace('"', ""), len(a.replace('"', "")) >= PREFIX_MIN) for a in alts]
            )
    return groups


def bilag_match(tokens: list[str], near: Mapping[str, Sequence[str]] | None = None) -> str:
    """An FTS5 expression: every folded token of three letters or more as a word
    prefix, shorter ones as whole words (quoted, so any token is a plain string to
    FTS5); a token with ``near`` spellings matches any of them or itself."""
    parts = []
    for alts in alternatives(tokens, near):
        terms = [f'"{t}"*' if prefix else f'"{t}"' for t, prefix in alts]
        parts.append("(" + " OR ".join(terms) + ")" if len(terms) > 1 else terms[0])
    return " AND ".join(parts)


def _as_on_page(
    tokens: list[str], near: Mapping[str, Sequence[str]], folded_page: str
) -> tuple[str, ...]:
    """Each query word as the page has it: itself, or the first near spelling that
    starts a word there (the bilag view marks and finds these)."""
    words = []
    for token in tokens:
        alts = [token, *near.get(token, ())]
        words.append(next((a for a in alts if re.search(r"\b" + re.escape(a), folded_page)), token))
    return tuple(dict.fromkeys(words))


def bilag_hits(
    store: Store,
    tokens: list[str],
    filters: Filters,
    limit: int,
    near: Mapping[str, Sequence[str]] | None = None,
) -> list[SearchHit]:
    """Up to ``limit`` bilag for the folded query ``tokens``, best first, each at its
    best page. ``filters`` apply as to items (council, year, dates); a document-type
    filter (``type:referat``) leaves bilag out: a bilag is neither. ``near``: near
    spellings of misspelt tokens, each matched as an alternative to the token."""
    near = near or {}
    match = bilag_match(tokens, near)
    if not match or limit <= 0 or filters.doc_type is not None:
        return []
    found = prefix_marker([w for t in tokens for w in (t, *near.get(t, ()))])
    # The bilag vocabulary's page counts bound how many pages can match: none (a
    # misspelt word's first try) asks nothing more; few are ranked in one pass.
    most = store.bilag_pages_at_most(alternatives(tokens, near))
    if most == 0:
        return []
    pages = store.search_bilag(
        match,
        limit=limit,
        councils=filters.councils,
        year=filters.year,
        dates=filters.dates,
        at_most=most,
    )
    items = store.bilag_items([p.bilag.id for p in pages if p.bilag.item_number])
    hits = []
    for page in pages:
        bilag = page.bilag
        item = items.get(bilag.id)
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
                bilag_words=_as_on_page(tokens, near, fold(page.text)) if near else tuple(tokens),
            )
        )
    return hits
