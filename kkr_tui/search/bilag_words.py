"""A misspelt query word's near spellings among the bilag pages' own words.

The bilag keep their own vocabulary (``Store.bilag_terms_near``: every folded term of
the bilag pages with its page count), so a word only bilag use (most of a report's
compounds) is corrected too. Nothing is held in memory: for each word only the terms a
near spelling can be (its first or second letter, a length near its own) are read,
~2 ms of SQL, and scored by the items' own rules (:meth:`Vocabulary.fuzzy
<kkr_tui.search.vocabulary.Vocabulary.fuzzy>` over those rows); a whole vocabulary
read and built at the first typo cost ~125 ms at 66,000 terms (bench/README.md).

A word being typed is mostly the start of a longer word, and a typo in it has no near
spelling of its own length: ``kystbeskytel`` is no term and near none, but near the
start of *kystbeskyttelsen*. So a word of :data:`TYPED_MIN` letters or more whose near
spellings are not all but certain (:data:`SURE`) is also compared with the starts of
the longer terms, and whichever comes closer is asked: the near spellings, or the
starts, as word starts, as the word itself is. (Asking the starts beside the near
spellings found more typed words but lost a whole misspelt one and a planted fact's
page: bench/README.md.)
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from kkr_tui.search.expand import MAX_FUZZY_TERMS
from kkr_tui.search.vocabulary import Vocabulary

if TYPE_CHECKING:
    from kkr_tui.store import Store

#: Words shorter than this are not compared with the starts of longer terms: the start
#: of five letters or fewer of some term is near almost any short word.
TYPED_MIN = 6
#: The least RapidFuzz ratio a term's start must reach: one typo in six letters.
TYPED_CUTOFF = 80
#: A near spelling this close (two letters swapped in a word of ten) is taken as the
#: word meant without comparing the starts of longer terms; below it the closer of the
#: two answers is asked.
SURE = 90
#: Near spellings scoring this much below the best are not asked: the bilag are ranked
#: by bm25, in which a rarer word weighs more, so a poor spelling on 33 pages
#: ("sidderssamfundsudvikling", 80) put its bilag above those of the word meant, on
#: 2,485 ("statistikssamfundsudvikling", 98, for "statistiksamfundsudvikling").
MARGIN = 8


def near_spellings(store: Store, word: str) -> list[str] | None:
    """Near spellings of the folded ``word`` among the bilag's terms, best first (empty
    when a bilag term starts with the word: it is no typo there); None when the store
    keeps no bilag vocabulary (an older store opened read-only)."""
    starts = store.bilag_term_starts(word)
    if starts is None:
        return None
    if starts or len(word) < 4 or word.isdigit():
        return []
    # The lengths a near spelling may have (``Vocabulary.fuzzy``'s own rule).
    rows = store.bilag_terms_near(word, max(3, len(word) - 2), len(word) + 3)
    found = Vocabulary.from_rows(rows).fuzzy(word, MAX_FUZZY_TERMS) if rows else []
    if not found and len(word) < TYPED_MIN:
        return found
    from rapidfuzz import fuzz

    best = fuzz.ratio(word, found[0]) if found else 0.0
    if best < SURE and len(word) >= TYPED_MIN:
        typed = typed_starts(store, word)
        if typed and fuzz.ratio(word, typed[0]) > best:
            found, best = typed, fuzz.ratio(word, typed[0])
    return [w for w in found if fuzz.ratio(word, w) >= best - MARGIN]


def typed_starts(store: Store, word: str) -> list[str]:
    """Starts of longer bilag terms near ``word`` (same length, one letter more or
    less), the best :data:`MAX_FUZZY_TERMS`, best first (the start of the terms on most
    pages first among equals): what a misspelt word being typed may be the start of."""
    from rapidfuzz import fuzz, process

    n = len(word)
    pages: dict[str, int] = {}
    for term, count in store.bilag_terms_near(word, n, 10 * n):
        for start in {term[: n - 1], term[:n], term[: n + 1]}:
            if len(start) >= n - 1 and count > pages.get(start, 0):
                pages[start] = count
    scored = process.extract(
        word, list(pages), scorer=fuzz.ratio, score_cutoff=TYPED_CUTOFF, limit=None
    )
    best = sorted(scored, key=lambda hit: (-hit[1], -pages[hit[0]], hit[0]))
    return [start for start, _, _ in best[:MAX_FUZZY_TERMS]]
