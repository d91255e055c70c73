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

from kkr_tui.record import record, replace
from kkr_tui.records import ItemRef
from kkr_tui.search.expand import EXPANSION_CACHE, expand
from kkr_tui.search.highlight import Marker, marker, without_urls
from kkr_tui.search.hits import HitKind, SearchHit, hit_at, make_hit
from kkr_tui.search.loading import VocabularyLoad
from kkr_tui.search.memory import release_free_memory
from kkr_tui.search.query import (
    CASE_RE,
    DOC_TYPE_VALUES,
    NUMBER_RE,
    STOP_WORDS,
    TOKEN_RE,
    DateRange,
    Filters,
    ParsedQuery,
    council_key,
    parse_query,
    resolve_councils,
)
from kkr_tui.search.rank import rank_text
from kkr_tui.search.vocabulary import Vocabulary
from kkr_tui.textfold import fold

if TYPE_CHECKING:
    from kkr_tui.records import ItemRow
    from kkr_tui.store import Store

#: Vocabularies this large, built from the store's pages, give their load's freed
#: buffers back to the OS (~70 MB at 1.7 M terms); for small ones the call is not worth
#: its few milliseconds, and one read from the snapshot freed nothing (it is mapped):
#: there the call only cost the first search ~25 ms (ctypes.util imports subprocess).
TRIM_AFTER_TERMS = 200_000

_Found = tuple["ItemRow", HitKind, float]


@record
class FilterProblem:
    """A filter whose value cannot match anything stored, and the values that can."""

    key: str
    value: str
    valid: tuple[str, ...]

    def message(self) -> str:
        """One line for the reader's status line and the CLI's stderr."""
        from kkr_tui.i18n import _

        values = ", ".join(f"{self.key}:{v}" for v in self.valid) or _("none")
        return _("{key}:{value} matches nothing; possible values: {values}").format(
            key=self.key, value=self.value, values=values
        )


@record
class Answer:
    """What a search gives: the hits, or the problems that make any hit impossible."""

    hits: list[SearchHit]
    problems: tuple[FilterProblem, ...] = ()


class SearchIndex:
    """Search over one store, with that store's vocabulary kept between searches."""

    def __init__(self, store: Store, *, give_back_memory: bool = True) -> None:
        """Index ``store``; nothing is read until the first search or :meth:`prepare_step`.

        ``give_back_memory``: after building a large vocabulary from the store's pages,
        hand the allocator's freed pages back to the OS (:mod:`.memory`), which a
        long-lived reader wants. A one-off command that exits after its search passes
        False: asking costs ctypes and an ``ldconfig`` subprocess (~15 ms of CPU at 100k
        items) for memory the exit gives back anyway."""
        self.store = store
        self._give_back_memory = give_back_memory
        self._lock = threading.Lock()
        self._cached: tuple[tuple[int, int], Vocabulary] | None = None
        self._load: VocabularyLoad | None = None
        #: Near spellings among the bilag's words, by folded word, as of a bilag change
        #: token: the reader asks the words before the cursor again at every keystroke.
        self._bilag_near_cache: tuple[tuple[int, int], dict[str, list[str]]] = ((-1, -1), {})

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
            load = self._load = VocabularyLoad(token, give_back_memory=self._give_back_memory)
        while True:
            vocab = load.step(self.store)
            if vocab is not None:
                self._cached, self._load = (token, vocab), None
                if self._give_back_memory and load.built and len(vocab) >= TRIM_AFTER_TERMS:
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
        self,
        query: str,
        *,
        limit: int = 50,
        current_meeting_id: int | None = None,
        bilag: bool = False,
    ) -> list[SearchHit]:
        """The best ``limit`` items for ``query`` across all councils, best first."""
        return self.answer(
            query, limit=limit, current_meeting_id=current_meeting_id, bilag=bilag
        ).hits

    def answer(
        self,
        query: str,
        *,
        limit: int = 50,
        current_meeting_id: int | None = None,
        bilag: bool = False,
    ) -> Answer:
        """The hits for ``query``, or why it cannot have any (a filter that cannot match).

        ``bilag``: also bilag (``kind == "bilag"``, one hit a bilag at its best page),
        after the items, at most a quarter of ``limit`` (at least 3) and never more than
        ``limit`` hits in all. The query's filters and date hold for them as for items
        (a bilag has its meeting's council and date)."""
        parsed = parse_query(query)
        problems = self.problems(parsed)
        if problems:
            return Answer([], problems)
        councils = resolve_councils(self.store, parsed.council) if parsed.council else None
        filters = Filters(councils, parsed.year, parsed.doc_type)
        dates = parsed.dates
        if dates is not None and parsed.year is not None and parsed.year != dates.year:
            return Answer([])
        hits = self._search(parsed.text.strip(), filters, dates, limit, current_meeting_id)
        if not hits and dates is not None and parsed.text.strip():
            # No item of that date has these words: the date may be part of what an
            # item says ("mødet den 8. april 2025"), so search it as words.
            text = f"{parsed.text} {dates.text}"
            hits = self._search(text, filters, None, limit, current_meeting_id)
        if bilag:
            extra = self._bilag_for(parsed, filters, max(3, limit // 4))[:limit]
            hits = hits[: limit - len(extra)] + extra
        return Answer(hits)

    def bilag_hits(self, query: str, *, limit: int) -> list[SearchHit]:
        """Only the bilag :meth:`answer` would add for ``query`` (up to ``limit``): for a
        caller that shows the items first and the bilag when they come (the reader), so
        the items never wait for the bilag's grouping. Nothing for a query whose
        filters cannot match."""
        parsed = parse_query(query)
        if self.problems(parsed):
            return []
        councils = resolve_councils(self.store, parsed.council) if parsed.council else None
        filters = Filters(councils, parsed.year, parsed.doc_type)
        dates = parsed.dates
        if dates is not None and parsed.year is not None and parsed.year != dates.year:
            return []
        return self._bilag_for(parsed, filters, limit)

    def _bilag_for(self, parsed: ParsedQuery, filters: Filters, want: int) -> list[SearchHit]:
        """The best ``want`` bilag for ``parsed`` (see :meth:`answer`).

        A date narrows them to its meetings; a council named in the words ("drikkevand
        i midtjylland") narrows them as it narrows the items; a case or item number
        finds no bilag (it names items)."""
        text = parsed.text.strip()
        if not text or CASE_RE.match(text) or NUMBER_RE.match(text):
            return []
        if parsed.dates is not None:
            filters = replace(filters, dates=(parsed.dates.first, parsed.dates.last))
        extra: list[SearchHit] = []
        if filters.councils is None:
            narrowed = self._council_named(text)
            if narrowed is not None:
                rest, council = narrowed
                extra = self._bilag(rest, replace(filters, councils=[council]), want)
        if not extra:
            extra = self._bilag(text, filters, want)
        return extra

    def _bilag(self, text: str, filters: Filters, want: int) -> list[SearchHit]:
        from kkr_tui.search.bilag import bilag_hits

        tokens = list(dict.fromkeys(TOKEN_RE.findall(fold(text))))
        meaningful = [t for t in tokens if t not in STOP_WORDS] or tokens
        if not meaningful:
            return []
        hits = bilag_hits(self.store, meaningful, filters, want)
        if hits or filters.doc_type is not None:
            return hits
        # Nothing: a word may be misspelt. Its near spellings (only for a word no bilag
        # term starts with) are asked beside it.
        near = self._bilag_near(meaningful)
        return bilag_hits(self.store, meaningful, filters, want, near) if near else []

    def _bilag_near(self, tokens: list[str]) -> dict[str, list[str]]:
        """Near spellings of each of ``tokens`` that no bilag term starts with, from the
        bilag's own vocabulary (:mod:`.bilag_words`), kept per word until bilag change.
        A store without that vocabulary (an older one opened read-only) gets them from
        the items' vocabulary, as the item search finds them."""
        from kkr_tui.search.bilag_words import near_spellings

        token_now = self.store.bilag_change_token()
        with self._lock:
            if self._bilag_near_cache[0] != token_now:
                self._bilag_near_cache = (token_now, {})
            cache = self._bilag_near_cache[1]
        near: dict[str, list[str]] = {}
        for token in tokens:
            found = cache.get(token)
            if found is None:
                found = near_spellings(self.store, token)
                if found is None:
                    vocab = self.vocabulary()
                    return {t: w.fuzzy for t in tokens if (w := expand(vocab, t)).fuzzy}
                if len(cache) >= EXPANSION_CACHE:
                    cache.clear()
                cache[token] = found
            if found:
                near[token] = found
        return near

    def problems(self, parsed: ParsedQuery) -> tuple[FilterProblem, ...]:
        """The filters of ``parsed`` that cannot match anything stored, with the values
        that can."""
        found: list[FilterProblem] = []
        years: tuple[str, ...] | None = None
        for key, value in parsed.bad:
            if key == "type":
                found.append(FilterProblem(key, value, DOC_TYPE_VALUES))
            else:
                years = years or self._years()
                found.append(FilterProblem(key, value, years))
        if parsed.year is not None:
            years = years or self._years()
            if str(parsed.year) not in years:
                found.append(FilterProblem("year", str(parsed.year), years))
        if parsed.council and not resolve_councils(self.store, parsed.council):
            keys = tuple(council_key(c) for c in self.store.councils())
            found.append(FilterProblem("council", parsed.council, keys))
        return tuple(found)

    def _years(self) -> tuple[str, ...]:
        store = self.store
        every = {year for council in store.councils() for year in store.years(council)}
        return tuple(str(year) for year in sorted(every - {0}))

    def _search(
        self,
        text: str,
        filters: Filters,
        dates: DateRange | None,
        limit: int,
        current_meeting_id: int | None,
    ) -> list[SearchHit]:
        store = self.store
        results: list[SearchHit | _Found] = []
        seen: set[int] = set()

        def keep(row: ItemRow) -> bool:
            return (
                row.id not in seen
                and filters.keeps(row)
                and (dates is None or dates.holds(row.meeting_date))
            )

        case = CASE_RE.match(text)
        if case:
            number = f"SAG-{case.group(1)}-{case.group(2)}"
            rows = [r for r in store.find_items_by_case_number(number) if keep(r)][:limit]
            meetings: set[int] = set()
            for row in rows:
                if row.meeting_id not in meetings:
                    meetings.add(row.meeting_id)
                    whole = self._meeting_hit(number, rows, row)
                    if whole is not None:
                        results.append(whole)
                seen.add(row.id)
                results.append((row, "case", 1000.0))
            del results[limit:]
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

        if not case and filters.councils is None:
            narrowed = self._council_named(text)
            if narrowed is not None:
                rest, council = narrowed
                hits = self._search(
                    rest, replace(filters, councils=[council]), dates, limit, current_meeting_id
                )
                if hits:
                    return hits

        # A case number's text stage looks only for items that name it (its year and
        # serial both, as written in another item's text); "sag" and either number alone
        # would fill the list with every item of that year.
        tokens = [case.group(1), case.group(2)] if case else TOKEN_RE.findall(fold(text))
        if not tokens:
            if filters or dates is not None:
                rows = store.filtered_items(
                    limit=limit,
                    councils=filters.councils,
                    year=filters.year,
                    doc_type=filters.doc_type,
                    dates=None if dates is None else (dates.first, dates.last),
                )
                results += [(r, "text", 0.0) for r in rows if keep(r)]
            return self._finish(results[:limit], None)

        meaningful = [t for t in tokens if t not in STOP_WORDS] or tokens
        vocab = self.vocabulary()
        words = [expand(vocab, t) for t in dict.fromkeys(meaningful)]
        if dates is not None:
            filters = replace(
                filters, year=filters.year or dates.year, dates=(dates.first, dates.last)
            )
        ranked = rank_text(
            store,
            vocab,
            words,
            " ".join(meaningful),
            filters,
            limit + len(results),
            every_word=bool(case),
            phrase=" ".join(tokens),
        )
        found = marker(words)
        located: dict[int, tuple[str, int]] = {}
        wanted = limit - len(results)
        for start in range(0, len(ranked), 2 * limit):
            if wanted <= 0:
                break
            chunk = ranked[start : start + 2 * limit]
            rows_by_id = store.item_rows([i for _, i, _ in chunk])
            kept = [
                (rows_by_id[i], score, in_title)
                for score, i, in_title in chunk
                if i in rows_by_id and keep(rows_by_id[i])
            ]
            texts = store.item_texts([row.id for row, _, in_title in kept if not in_title])
            for row, score, in_title in kept:
                if wanted <= 0:
                    break
                # A text-only candidate counts only if its words are in what the item
                # says, not in a web address it links to. Where they are is kept: its
                # snippet starts there, and its text is neither read nor searched again.
                if not in_title and found is not None:
                    said = without_urls(texts.get(row.id, ""))
                    at = found.first(said)
                    if at is None:
                        continue
                    located[row.id] = (said, at)
                seen.add(row.id)
                results.append((row, "text", round(score, 3)))
                wanted -= 1
        return self._finish(results, found, located)

    def _council_named(self, text: str) -> tuple[str, str] | None:
        """(the rest of ``text``, the council) when ``text`` names exactly one stored
        council by its name ("… i midtjylland", "Hovedstaden"): natural phrasing for
        ``council:``."""
        words = text.split()
        keys = {council_key(c): c for c in self.store.councils()}
        named = {fold(w).strip(".,;:!?") for w in words} & keys.keys()
        if len(named) != 1:
            return None
        (key,) = named
        rest = " ".join(w for w in words if fold(w).strip(".,;:!?") != key)
        return rest, keys[key]

    def _meeting_hit(self, number: str, rows: list[ItemRow], row: ItemRow) -> SearchHit | None:
        """A hit for ``row``'s whole meeting when most of its items carry ``number``
        (KL gives every item of a meeting the meeting's case number): such a number
        names the meeting, not one item. None when it is specific to a few items."""
        from kkr_tui.i18n import _

        numbers = {r.number for r in rows if r.meeting_id == row.meeting_id}
        if len(numbers) < 2:
            return None
        meeting = self.store.meeting(row.meeting_id)
        if len(numbers) * 2 < len(meeting.items):
            return None
        first = meeting.items[0].id if meeting.items else row.id
        doc_type = next((r.doc_type for r in rows if r.id == first), row.doc_type)
        title = _("Whole meeting: {shared} of {total} items have {case}").format(
            shared=len(numbers), total=len(meeting.items), case=number
        )
        return SearchHit(
            ItemRef(first, meeting.council, meeting.meeting_date, doc_type, "", title),
            snippet="",
            highlights=(),
            score=1001.0,
            kind="meeting",
            meeting_id=row.meeting_id,
        )

    def _finish(
        self,
        results: list[SearchHit | _Found],
        found: Marker | None,
        located: dict[int, tuple[str, int]] | None = None,
    ) -> list[SearchHit]:
        """The hits for ``results``. ``located``: item id -> (its text without web
        addresses, where ``found`` first matches in it), for the text-only hits whose
        text was read and searched already (:meth:`_search`); the others' texts are
        read here."""
        known = located or {}
        rows = [r for r in results if not isinstance(r, SearchHit) and r[0].id not in known]
        texts = self.store.item_texts([row.id for row, _, _ in rows])
        hits: list[SearchHit] = []
        for r in results:
            if isinstance(r, SearchHit):
                hits.append(r)
            elif r[0].id in known:
                said, at = known[r[0].id]
                hits.append(hit_at(r[0], r[1], r[2], said, found, at))
            else:
                hits.append(make_hit(r[0], r[1], r[2], without_urls(texts.get(r[0].id, "")), found))
        return hits
