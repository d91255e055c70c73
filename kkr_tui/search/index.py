"""A store's search: its vocabulary cache and the searches that use it.

One :class:`SearchIndex` per open :class:`~kkr_tui.store.Store`, held by whoever owns
that store (``kkr-tui search`` for one call, the reader's store gateway for the
session), so the cache lives exactly as long as its store and two stores never share
one. The vocabulary is rebuilt when ``Store.change_token()`` changes (a document stored
or removed here, or any commit elsewhere). Methods may be called from any thread: the
Store serialises its own SQL and the index's lock guards the cache.

How a query is answered:

1. :func:`~.query.parse_query` peels off filters (``council:midt year:2025 type:referat``).
2. A case number (``SAG-2025-02162``) is looked up exactly, and only items whose text
   names it (its year and serial both) join them; an item number (``3.4``) in the
   current meeting first, then elsewhere.
3. Text: each query word is folded and expanded against the vocabulary (:mod:`.expand`),
   the expansions asked of the full-text indexes and the candidates re-ranked
   (:mod:`.rank`); hits get snippets and highlight spans (:mod:`.highlight`).
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING

from kkr_tui.search.expand import expand
from kkr_tui.search.highlight import Marker, marker
from kkr_tui.search.hits import HitKind, SearchHit, make_hit
from kkr_tui.search.loading import VocabularyLoad
from kkr_tui.search.memory import release_free_memory
from kkr_tui.search.query import (
    CASE_RE,
    NUMBER_RE,
    TOKEN_RE,
    Filters,
    parse_query,
    resolve_councils,
)
from kkr_tui.search.rank import rank_text
from kkr_tui.search.vocabulary import Vocabulary
from kkr_tui.textfold import fold

if TYPE_CHECKING:
    from kkr_tui.records import ItemRow
    from kkr_tui.store import Store

#: Vocabularies this large give their load's freed buffers back to the OS (~70 MB at
#: 1.7 M terms); for small ones the call is not worth its few milliseconds.
TRIM_AFTER_TERMS = 200_000

_Found = tuple["ItemRow", HitKind, float]


class SearchIndex:
    """Search over one store, with that store's vocabulary kept between searches."""

    def __init__(self, store: Store) -> None:
        """Index ``store``; nothing is read until the first search or :meth:`prepare_step`."""
        self.store = store
        self._lock = threading.Lock()
        self._cached: tuple[tuple[int, int], Vocabulary] | None = None
        self._load: VocabularyLoad | None = None

    # -- the vocabulary -------------------------------------------------------------

    def cached_token(self) -> tuple[int, int] | None:
        """The store's change token the cached vocabulary belongs to (None: none yet)."""
        cached = self._cached
        return None if cached is None else cached[0]

    def _advance(self, token: tuple[int, int], *, finish: bool) -> Vocabulary | None:
        """Continue (or start) loading the vocabulary as of ``token``; with the lock
        held. One step, or every remaining step when ``finish``."""
        if self._cached is not None:
            if self._cached[0] == token:
                return self._cached[1]
            self._cached = None  # outdated: never hold two vocabularies at once
        load = self._load
        if load is None or load.token != token:
            load = self._load = VocabularyLoad(token)
        while True:
            vocab = load.step(self.store)
            if vocab is not None:
                self._cached, self._load = (token, vocab), None
                if len(vocab) >= TRIM_AFTER_TERMS:
                    release_free_memory()
                return vocab
            if not finish:
                return None

    def vocabulary(self) -> Vocabulary:
        """The store's vocabulary, rebuilt after documents change (finishing a load that
        :meth:`prepare_step` began)."""
        token = self.store.change_token()
        with self._lock:
            vocab = self._advance(token, finish=True)
        assert vocab is not None  # finish=True runs the load to its end
        return vocab

    def prepare_step(self) -> bool:
        """Do one bounded slice (about 100 ms at 1M items) of loading the vocabulary;
        True once it is ready (at once when it already is).

        For the reader to call between other work after start-up, so the first search
        does not wait seconds for the vocabulary of a large store.
        """
        token = self.store.change_token()
        with self._lock:
            return self._advance(token, finish=False) is not None

    # -- searching ------------------------------------------------------------------

    def search(
        self, query: str, *, limit: int = 50, current_meeting_id: int | None = None
    ) -> list[SearchHit]:
        """The best ``limit`` items for ``query`` across all councils, best first."""
        store = self.store
        parsed = parse_query(query)
        filters = Filters(None, parsed.year, parsed.doc_type)
        if parsed.council:
            filters = Filters(resolve_councils(store, parsed.council), parsed.year, parsed.doc_type)
            if not filters.councils:
                return []
        text = parsed.text.strip()
        results: list[_Found] = []
        seen: set[int] = set()

        def keep(row: ItemRow) -> bool:
            return row.id not in seen and filters.keeps(row)

        case = CASE_RE.match(text)
        if case:
            for row in store.find_items_by_case_number(f"SAG-{case.group(1)}-{case.group(2)}"):
                if keep(row) and len(results) < limit:
                    seen.add(row.id)
                    results.append((row, "case", 1000.0))
        if NUMBER_RE.match(text):
            rows = []
            if current_meeting_id is not None:
                rows += store.find_items_by_number(text, current_meeting_id)
            rows += store.find_items_by_number(text, limit=limit * 4)
            for row in rows:
                if keep(row) and len(results) < limit:
                    seen.add(row.id)
                    results.append((row, "number", 900.0 - len(results)))
            return self._finish(results, None)

        # A case number's text stage looks only for items that name it (its year and
        # serial both, as written in another item's text); "sag" and either number alone
        # would fill the list with every item of that year.
        tokens = [case.group(1), case.group(2)] if case else TOKEN_RE.findall(fold(text))
        if not tokens:
            if filters:
                rows = store.filtered_items(
                    limit=limit,
                    councils=filters.councils,
                    year=filters.year,
                    doc_type=filters.doc_type,
                )
                results += [(r, "text", 0.0) for r in rows if keep(r)]
            return self._finish(results[:limit], None)

        vocab = self.vocabulary()
        words = [expand(vocab, t) for t in dict.fromkeys(tokens)]
        ranked = rank_text(
            store,
            vocab,
            words,
            " ".join(tokens),
            filters,
            limit + len(results),
            every_word=bool(case),
        )
        rows_by_id = store.item_rows([i for _, i in ranked])
        for score, item_id in ranked:
            found = rows_by_id.get(item_id)
            if found is not None and found.id not in seen and len(results) < limit:
                seen.add(found.id)
                results.append((found, "text", round(score, 3)))
        return self._finish(results, marker(words))

    def _finish(self, results: list[_Found], found: Marker | None) -> list[SearchHit]:
        texts = self.store.item_texts([row.id for row, _, _ in results])
        return [
            make_hit(row, kind, score, texts.get(row.id, ""), found) for row, kind, score in results
        ]
