"""Ranking text hits: full-text candidates, then a re-rank of only those.

The expansions form one FTS5 MATCH (words AND-ed, falling back to OR), fetched
unranked and capped at :data:`CANDIDATES` rows, title matches first. Only the small
title index is asked for ``word*`` (it has prefix indexes for 1-3 letters); on the
full index a word stands for its most frequent completions, named one by one, as that
index has no prefix indexes (they made storing a document ~30 % dearer).

Only those candidates are re-ranked: an item whose title has a query word comes before
every item that has them only in its text (a reader scans titles; a word in a title is
what the item is about); then how well each word matches the title (exact word > prefix
> inside a compound > typo), how much of the title the words cover (``Status for
sundhedsreformen`` before a long title that mentions the reform at its end), and
RapidFuzz WRatio of query and title for the best few. No bm25: its statistics need a scan of
every matching row per term. Ties break on newer item id (newer documents first), so
results are deterministic.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from kkr_tui.search.expand import Word
from kkr_tui.search.query import TOKEN_RE, Filters
from kkr_tui.search.vocabulary import Vocabulary

if TYPE_CHECKING:
    from kkr_tui.store import Store

#: Most FTS rows fetched per query stage before re-ranking.
CANDIDATES = 500
#: Candidates that get the (costlier) RapidFuzz title score.
FUZZY_RERANK = 200
#: Added to items whose title has a query word: above any score of a text-only match.
TITLE_FIRST = 100.0
#: Weight of the share of the title's words that the query's words match.
TIGHTNESS = 8.0
#: Added when the title holds the query's words as typed, in order (a copied title).
PHRASE = 10.0

#: One ranked candidate: (score, item id, whether its title matched).
Ranked = tuple[float, int, bool]


def rank_text(
    store: Store,
    vocab: Vocabulary,
    words: list[Word],
    folded_query: str,
    filters: Filters,
    limit: int,
    *,
    every_word: bool = False,
    phrase: str = "",
) -> list[Ranked]:
    """Candidates from the full-text indexes, re-ranked. All words first, then (unless
    ``every_word``) any of them; each stage exact before widened. With ``every_word``
    a word no item has means no candidates at all. ``phrase``: the whole folded query,
    stop words included, which a title holding it as typed is ranked up for."""
    live = [w for w in words if not w.empty()]
    if not live or (every_word and len(live) < len(words)):
        return []
    joins = [" AND "] + ([" OR "] if len(live) > 1 and not every_word else [])
    in_title: set[int] = set()
    candidates: dict[int, str] = {}
    coverage: dict[int, list[float]] = {}
    done: set[tuple[str, bool]] = set()
    strong = 0
    for join in joins:
        for titles in (True, False):
            for wide in (False,) if every_word else (False, True):
                if len(candidates) >= limit and not (wide and titles and strong < limit):
                    break
                if wide:
                    for w in live:
                        w.widen(vocab)
                exprs = [w.match_expr(titles, wide) for w in live]
                if join == " AND " and None in exprs:
                    continue
                match = join.join(e for e in exprs if e)
                if not match or (match, titles) in done:
                    continue
                done.add((match, titles))
                for item_id, title in store.search_candidates(
                    match,
                    limit=CANDIDATES,
                    titles=titles,
                    councils=filters.councils,
                    year=filters.year,
                    doc_type=filters.doc_type,
                    dates=filters.dates,
                ):
                    if item_id not in coverage:
                        coverage[item_id] = [w.quality(title) for w in live]
                        candidates[item_id] = title
                    if titles:
                        in_title.add(item_id)
                        if not wide and all(map(Word.strong, live, coverage[item_id])):
                            strong += 1
    pre: list[tuple[float, int, str]] = []
    for item_id, title in candidates.items():
        quality = coverage[item_id]
        share = sum(quality) / len(live)
        score = 55.0 * share + (10.0 if item_id in in_title else 0.0)
        if item_id in in_title or share > 0:
            matched = sum(1 for q in quality if q > 0)
            title_words = TOKEN_RE.findall(title)
            score += TITLE_FIRST + TIGHTNESS * min(1.0, matched / max(1, len(title_words)))
            if " " in phrase and phrase in " ".join(title_words):
                score += PHRASE
        pre.append((score, item_id, title))
    pre.sort(key=lambda p: (-p[0], -p[1]))
    if not pre:
        return []
    # Imported here, not at the top: a search with no text candidates (a case number
    # no item's text names, filters alone) never loads RapidFuzz (~15 ms).
    from rapidfuzz import fuzz, utils

    ranked: list[Ranked] = []
    for score, item_id, title in pre[:FUZZY_RERANK]:
        similarity = fuzz.WRatio(folded_query, title, processor=utils.default_process)
        ranked.append((score + 35.0 * similarity / 100.0, item_id, score >= TITLE_FIRST))
    ranked += [(score, item_id, score >= TITLE_FIRST) for score, item_id, _ in pre[FUZZY_RERANK:]]
    ranked.sort(key=lambda r: (-r[0], -r[1]))
    return ranked[:limit]
