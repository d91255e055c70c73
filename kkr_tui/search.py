"""Search across all councils: case numbers, item numbers, and typo-tolerant Danish text.

Design (fast at 100k-1M items, never a fuzzy scan over all items):

1. ``parse_query`` peels off filters (``council:midt year:2025 type:referat``).
2. A case number (``SAG-2025-02162``) is looked up exactly, and only items whose text
   names it (its year and serial both) join them; an item number (``3.4``) in the
   current meeting first, then elsewhere.
3. Text: each query word is folded (:mod:`kkr_tui.textfold`) and expanded against the
   index vocabulary held in memory: the word itself as a prefix (``pædagog`` ->
   ``pædagoguddannelsen``), vocabulary terms that contain it (``uddannelsen`` ->
   ``pædagoguddannelsen``) and, when nothing starts with it, near spellings found with
   RapidFuzz over the vocabulary (``sundhedsrefrom`` -> ``sundhedsreformen``).
4. The expansions form one FTS5 MATCH (words AND-ed, falling back to OR), fetched
   unranked and capped at :data:`CANDIDATES` rows, title matches first. Only the small
   title index is asked for ``word*`` (it has prefix indexes for 1-3 letters); on the
   full index a word stands for its most frequent completions, named one by one, as
   that index has no prefix indexes (they made storing a document ~30 % dearer).
5. Only those candidates are re-ranked: how well each word matches the title (exact
   word > prefix > inside a compound > typo), whether the title matched at all, and
   RapidFuzz WRatio of query and title for the best few. No bm25: its statistics need
   a scan of every matching row per term. Ties break on newer item id (newer
   documents first), so results are deterministic.

The vocabulary is cached per Store and rebuilt when ``Store.change_token()`` changes
(a document stored or removed here, or any commit elsewhere). ``search`` may be called from any
thread; the Store serialises its own SQL and the cache is guarded by a lock.
"""

from __future__ import annotations

import heapq
import re
import threading
import weakref
from array import array
from bisect import bisect_left
from collections.abc import Generator, Iterable
from dataclasses import dataclass
from typing import Literal

from rapidfuzz import fuzz, process, utils

from kkr_tui import snapshot
from kkr_tui.memory import release_free_memory
from kkr_tui.records import ItemRow
from kkr_tui.store import Store
from kkr_tui.termlist import TermList, TermListBuilder
from kkr_tui.textfold import fold, original_pattern

#: Most FTS rows fetched per query stage before re-ranking.
CANDIDATES = 500
#: Candidates that get the (costlier) RapidFuzz title score.
FUZZY_RERANK = 200
#: Completions of a query word (most frequent first) put into a full-text query. A
#: ``word*`` prefix query on the full index (which has no prefix indexes) merges every
#: completion's whole doclist before the first row comes back; explicit terms are
#: merged lazily in rowid order.
MAX_PREFIX_TERMS = 24
#: Completions of a word that is not a term itself in the first, narrow stage.
NARROW_PREFIX_TERMS = 8
#: Vocabulary terms containing a query word that are OR-ed into the query.
MAX_INFIX_TERMS = 40
#: Near spellings per query word.
MAX_FUZZY_TERMS = 6
#: Expanded query words kept per vocabulary.
EXPANSION_CACHE = 512
#: Terms read per step of a vocabulary load (about 25 ms at 1M items, so the reader's
#: calls queued behind a background step wait little).
VOCABULARY_PAGE = 10_000
#: Prefixes with more completions than this find their most frequent ones by scanning
#: the frequency-ordered tiers (a few hits in, for a short common prefix) instead of
#: ranking the whole prefix range (~20 ms for the 60k terms of a 2-letter one at 1M).
SCAN_COMPLETIONS_ABOVE = 2_048
#: Vocabularies this large are saved for the next start (~0.1 s to read at 1M items,
#: against ~5 s to rebuild); smaller ones load from the database in under a second.
SNAPSHOT_AFTER_TERMS = 200_000
#: Vocabularies this large give their load's freed buffers back to the OS (~70 MB at
#: 1.7 M terms); for small ones the call is not worth its few milliseconds.
TRIM_AFTER_TERMS = 200_000

_CASE_RE = re.compile(r"^(?:sag[-\s]?)?(\d{4})-(\d{5})$", re.IGNORECASE)
_NUMBER_RE = re.compile(r"^\d{1,2}\.\d{1,2}\.?$")
_FILTER_RE = re.compile(r"(?<!\S)(council|råd|raad|year|år|aar|type):(\S*)", re.IGNORECASE)
_TOKEN_RE = re.compile(r"[^\W_]+")
_WORD_TAIL = re.compile(r"\w*")
_DOC_TYPES = {
    "referat": "minutes",
    "minutes": "minutes",
    "dagsorden": "agenda",
    "agenda": "agenda",
}


@dataclass(frozen=True, slots=True)
class ParsedQuery:
    """The words of a query and the filters given with it."""

    text: str
    council: str | None = None
    year: int | None = None
    doc_type: str | None = None


@dataclass(frozen=True, slots=True)
class SearchHit:
    """One result line: where the item is, what it is called, and why it matched.

    ``highlights`` are (start, end) spans into ``snippet``; ``title_highlights`` into
    ``title``.
    """

    item_id: int
    council: str
    meeting_date: str | None
    doc_type: str
    number: str
    title: str
    snippet: str
    highlights: tuple[tuple[int, int], ...]
    score: float
    kind: Literal["case", "number", "text"]
    title_highlights: tuple[tuple[int, int], ...] = ()


def parse_query(query: str) -> ParsedQuery:
    """Split ``query`` into words and filters (``council:midt year:2025 type:referat``).

    Unknown type values and non-numeric years are ignored rather than matching nothing.
    """
    council = year = doc_type = None
    for match in _FILTER_RE.finditer(query):
        key, value = match.group(1).casefold(), match.group(2)
        if not value:
            continue
        if key in ("council", "råd", "raad"):
            council = value
        elif key in ("year", "år", "aar"):
            year = int(value) if value.isdigit() else year
        else:
            doc_type = _DOC_TYPES.get(value.casefold(), doc_type)
    text = " ".join(_FILTER_RE.sub(" ", query).split())
    return ParsedQuery(text, council, year, doc_type)


def _council_key(name: str) -> str:
    folded = fold(name)
    return folded[4:] if folded.startswith("kkr ") else folded


def resolve_councils(store: Store, value: str) -> list[str]:
    """Council names whose folded name (without "KKR ") starts with ``value``."""
    wanted = _council_key(value)
    return [c for c in store.councils() if _council_key(c).startswith(wanted)]


class Vocabulary:
    """The index's folded terms, kept compactly for prefix, infix and fuzzy look-ups.

    ``terms`` (sorted) is a :class:`~kkr_tui.termlist.TermList`: one string and an
    offset array, so the 1.7 M terms of a 1M-item store take ~45 MB where a list of
    ``str`` took ~120 MB. ``by_docs`` holds the same terms most frequent first, in two
    tiers (terms in several items sorted by count, then the terms of a single item,
    alphabetically: most of any vocabulary, so they are never sorted). An infix look-up
    is a C-speed ``str.find`` loop over the tiers' text. A fuzzy look-up scores only the
    terms that share the word's first letter or its second letter (one of the two must
    be right): those are contiguous ranges of the sorted terms, found by bisection and
    split out of the text in one call.
    """

    def __init__(self, terms: TermList, docs: array, by_docs: tuple[TermList, ...]) -> None:
        """``terms`` sorted, ``docs`` the document frequency of each, ``by_docs`` the
        same terms most frequent first (alphabetical among equals), in tiers."""
        self.terms = terms
        self.docs = docs
        self.by_docs = by_docs
        self.initials = self._initials()
        self.expanded: dict[str, _Word] = {}

    @classmethod
    def from_rows(cls, rows: Iterable[tuple[str, int]]) -> Vocabulary:
        """Build from ``(term, document frequency)`` rows sorted by term."""
        builder = VocabularyBuilder()
        builder.add(list(rows))
        return builder.finish()

    def _initials(self) -> list[str]:
        """The distinct first letters of the terms, by skipping through the sorted list."""
        found: list[str] = []
        i = 0
        while i < len(self.terms):
            if not self.terms[i]:
                i += 1
                continue
            found.append(self.terms[i][0])
            i = bisect_left(self.terms, chr(ord(found[-1]) + 1), i)
        return found

    def __len__(self) -> int:
        return len(self.terms)

    def nbytes(self) -> int:
        """Memory held by the term lists and counts (not the expansion cache)."""
        tiers = sum(tier.nbytes() for tier in self.by_docs)
        return self.terms.nbytes() + tiers + self.docs.itemsize * len(self.docs)

    def has_prefix(self, word: str) -> bool:
        """True if some term starts with ``word`` (including the word itself)."""
        i = bisect_left(self.terms, word)
        return i < len(self.terms) and self.terms[i].startswith(word)

    def has(self, word: str) -> bool:
        """True if ``word`` is a term."""
        i = bisect_left(self.terms, word)
        return i < len(self.terms) and self.terms[i] == word

    def _range(self, prefix: str) -> tuple[int, int]:
        lo = bisect_left(self.terms, prefix)
        return lo, bisect_left(self.terms, prefix + "\U0010ffff", lo)

    def completions(self, word: str, limit: int) -> list[str]:
        """Terms starting with ``word``, the ``limit`` most frequent, most frequent first
        (alphabetical among equals); the word itself, if a term, is always kept (last
        when it is not among them), as it is what the user typed."""
        lo, hi = self._range(word)
        if hi - lo > SCAN_COMPLETIONS_ABOVE:
            best = self._frequent_completions(word, limit)
        else:
            ranked = heapq.nlargest(limit, range(lo, hi), key=self.docs.__getitem__)
            best = [self.terms[i] for i in ranked]
        if best and self.terms[lo] == word and word not in best:
            best[-1] = word
        return best

    def _frequent_completions(self, word: str, limit: int) -> list[str]:
        """The ``limit`` most frequent terms starting with ``word``, most frequent first
        (alphabetical among equals), read off the tiers in their order: the tiers of
        several items by a ``str.find`` scan that stops at the ``limit``-th hit, the last
        (single-item, alphabetical) tier by bisection."""
        found: list[str] = []
        needle = "\n" + word
        *counted, single = self.by_docs or (TermList(),)
        for tier in counted:
            text = tier.text
            start = text.find(needle)
            while start != -1 and len(found) < limit:
                found.append(tier[tier.index_at(start + 1)])
                start = text.find(needle, start + 1)
        i = bisect_left(single, word)
        while len(found) < limit and i < len(single) and single[i].startswith(word):
            found.append(single[i])
            i += 1
        return found

    def infix(self, word: str, limit: int) -> list[str]:
        """Terms containing ``word`` after their first letter, the ``limit`` most frequent.

        ``by_docs`` holds the terms most frequent first (alphabetical among equals), so
        the scan stops at the ``limit``-th hit: a common fragment costs a small part
        of the vocabulary, only a rare one a whole pass.
        """
        found: list[str] = []
        for tier in self.by_docs:
            text, last = tier.text, -1
            start = text.find(word, 1)
            while start != -1 and len(found) < limit:
                if text[start - 1] != "\n":
                    index = tier.index_at(start)
                    if index != last:
                        found.append(tier[index])
                        last = index
                start = text.find(word, start + 1)
        return found

    def fuzzy(self, word: str, limit: int) -> list[str]:
        """Terms spelled like ``word`` (one or two typos), best first."""
        cutoff = 80 if len(word) >= 6 else 75
        lo, hi = self._range(word[0])
        ranges = [(lo, hi)]
        if len(word) > 1:
            ranges += [self._range(c + word[1]) for c in self.initials if c != word[0]]
        shortest, longest = max(3, len(word) - 2), len(word) + 3
        found = []
        for lo, hi in ranges:
            for term, score, _ in process.extract(
                word,
                self.terms.span(lo, hi),
                scorer=fuzz.ratio,
                score_cutoff=cutoff,
                limit=limit * 8,
            ):
                if shortest <= len(term) <= longest and not term[0].isdigit():
                    found.append((-score, term))
        found.sort()
        return [term for _, term in found[:limit]]


class VocabularyBuilder:
    """Collects a :class:`Vocabulary` page by page of ``(term, documents)`` rows sorted
    by term, splitting each page into the tiers as it comes: only the terms of several
    items are sorted at the end (a few tens of ms at 1M items)."""

    def __init__(self) -> None:
        self._terms = TermListBuilder()
        self._docs = array("I")
        self._single = TermListBuilder()
        self._several = TermListBuilder()
        self._several_docs = array("I")

    def add(self, page: list[tuple[str, int]]) -> None:
        """Append a page of rows (after every earlier page in term order).

        Nothing per term outlives the call as a Python object: small objects kept
        across pages would pin the allocator's arenas and hold on to every page's memory.
        """
        self._terms.add([t for t, _ in page])
        self._docs.extend([d for _, d in page])
        self._single.add([t for t, d in page if d < 2])
        several = [(t, d) for t, d in page if d >= 2]
        self._several.add([t for t, _ in several])
        self._several_docs.extend([d for _, d in several])

    def finish(self) -> Vocabulary:
        """The vocabulary of every page added."""
        steps = self.finishing()
        while True:
            try:
                next(steps)
            except StopIteration as done:
                return done.value

    def finishing(self) -> Generator[None, None, Vocabulary]:
        """:meth:`finish` in slices of a few tens of ms at 1M items, yielding between
        them: sorting the terms of several items, copying them out in that order,
        joining each list's text."""
        several, counts = self._several.finish(), self._several_docs
        yield
        order = array("I", sorted(range(len(counts)), key=counts.__getitem__, reverse=True))
        yield
        text, starts = several.text, several.starts
        by_count = TermListBuilder()
        for lo in range(0, len(order), VOCABULARY_PAGE):
            by_count.add(
                [text[starts[i] : starts[i + 1] - 1] for i in order[lo : lo + VOCABULARY_PAGE]]
            )
            yield
        del several, order, text, starts
        single = self._single.finish()
        yield
        tiers = (by_count.finish(), single)
        vocab = Vocabulary(self._terms.finish(), self._docs, tiers)
        self.__init__()  # type: ignore[misc]
        return vocab


class _Load:
    """A vocabulary being read from a store in pages, resumable between calls.

    It never keeps the store itself (the caches are keyed weakly on it): each
    :meth:`step` is handed the store.
    """

    def __init__(self, token: tuple[int, int]) -> None:
        self.token = token
        self._builder = VocabularyBuilder()
        self._after: str | None = None
        self._finishing: Generator[None, None, Vocabulary] | None = None
        self._key: tuple[str, int] | None = None

    def step(self, store: Store) -> Vocabulary | None:
        """Read one page, or do one slice of the finishing work (each about 20-40 ms
        at 1M items); the vocabulary after the last. A large store's first step reads
        its snapshot instead, if one matches (see :mod:`kkr_tui.snapshot`)."""
        if self._after is None and self._finishing is None:
            self._key = store.content_version()
            parts = snapshot.load(self._key) if self._key is not None else None
            if parts is not None:
                return Vocabulary(*parts)
        if self._finishing is None:
            page = store.vocabulary_page(self._after, VOCABULARY_PAGE)
            if page:
                self._builder.add(page)
                self._after = page[-1][0]
            if len(page) == VOCABULARY_PAGE:
                return None
            self._finishing = self._builder.finishing()
        try:
            next(self._finishing)
        except StopIteration as done:
            vocab: Vocabulary = done.value
            if self._key is not None and len(vocab) >= SNAPSHOT_AFTER_TERMS:
                snapshot.save(self._key, vocab.terms, vocab.docs, vocab.by_docs)
            return vocab
        return None


_cache_lock = threading.Lock()
_cache: weakref.WeakKeyDictionary[Store, tuple[tuple[int, int], Vocabulary]] = (
    weakref.WeakKeyDictionary()
)
_loads: weakref.WeakKeyDictionary[Store, _Load] = weakref.WeakKeyDictionary()


def _advance(store: Store, token: tuple[int, int], *, finish: bool) -> Vocabulary | None:
    """Continue (or start) loading ``store``'s vocabulary as of ``token``; with the
    cache lock held. One step, or every remaining step when ``finish``."""
    cached = _cache.get(store)
    if cached and cached[0] == token:
        return cached[1]
    if cached:
        del _cache[store]  # outdated: never hold two vocabularies at once
    load = _loads.get(store)
    if load is None or load.token != token:
        load = _loads[store] = _Load(token)
    while True:
        vocab = load.step(store)
        if vocab is not None:
            _cache[store] = (token, vocab)
            del _loads[store]
            if len(vocab) >= TRIM_AFTER_TERMS:
                release_free_memory()
            return vocab
        if not finish:
            return None


def vocabulary(store: Store) -> Vocabulary:
    """The cached vocabulary of ``store``, rebuilt after documents change (finishing a
    load that :func:`prepare_step` began)."""
    token = store.change_token()
    with _cache_lock:
        return _advance(store, token, finish=True)  # type: ignore[return-value]


def prepare_step(store: Store) -> bool:
    """Do one bounded slice (about 100 ms at 1M items) of loading the search vocabulary;
    True once it is ready (at once when it already is).

    For the reader to call between other work after start-up, so the first search does
    not wait seconds for the vocabulary of a large store.
    """
    token = store.change_token()
    with _cache_lock:
        return _advance(store, token, finish=False) is not None


@dataclass(slots=True)
class _Word:
    """One query word and what it was expanded to in the vocabulary.

    The infix expansion (vocabulary terms containing the word) costs a scan of the
    whole vocabulary and is only needed when the exact and prefix matches are too few,
    so it is computed on first use by a wide stage (:meth:`widen`).
    """

    word: str
    prefix: bool
    term: bool
    fuzzy: list[str]
    completions: list[str]
    infix: list[str] | None = None
    rx_exact: re.Pattern[str] | None = None
    rx_prefix: re.Pattern[str] | None = None
    rx_fuzzy: re.Pattern[str] | None = None

    def __post_init__(self) -> None:
        w = re.escape(self.word)
        self.rx_exact = re.compile(rf"\b{w}\b")
        self.rx_prefix = re.compile(rf"\b{w}")
        if self.fuzzy:
            self.rx_fuzzy = re.compile(r"\b(?:" + "|".join(map(re.escape, self.fuzzy)) + ")")

    @property
    def inside(self) -> bool:
        """True if the word may match inside compounds (long enough, not a number)."""
        return len(self.word) >= 4 and not self.word.isdigit()

    def widen(self, vocab: Vocabulary) -> list[str]:
        """The vocabulary terms containing this word after their first letter."""
        if self.infix is None:
            self.infix = vocab.infix(self.word, MAX_INFIX_TERMS) if self.inside else []
        return self.infix

    def match_expr(self, titles: bool, wide: bool) -> str | None:
        """This word's alternatives for the title index (``word*``: it has prefix
        indexes) or the full index (explicit completions, never ``word*``: it has no
        prefix indexes, and a prefix query there merges every completion's doclist;
        words of one letter match titles only, as their completions are most of the
        vocabulary).

        Narrow (``wide`` false): the word itself, or on the full index its few most
        frequent completions when it is not a term of its own, and near spellings.
        Wide adds every kept completion and the terms containing the word.
        """
        if titles:
            alts = [f'"{self.word}"*' if self.prefix else f'"{self.word}"']
            alts += [f'"{t}"*' for t in self.fuzzy]
        elif len(self.word) < 2:
            return None
        else:
            if wide or not self.completions:
                terms = self.completions or [self.word]
            elif self.term:
                terms = [self.word]
            else:
                terms = self.completions[:NARROW_PREFIX_TERMS]
            alts = [f'"{t}"' for t in terms]
            alts += [f'"{t}"' for t in self.fuzzy]
        if wide:
            alts += [f'"{t}"' for t in self.infix or ()]
        elif not (self.prefix or self.fuzzy):
            return None
        return "(" + " OR ".join(alts) + ")"

    def empty(self) -> bool:
        return not (self.prefix or self.fuzzy or self.infix)

    def strong(self, quality: float) -> bool:
        """True if a title of this :meth:`quality` has the word itself (or, for a word
        still being typed, a word starting with it): such titles outrank every compound
        or typo match."""
        return quality >= (1.0 if self.term else 0.9)

    def quality(self, folded_title: str) -> float:
        """How well this word matches a folded title: exact word > prefix > infix > typo."""
        if self.word not in folded_title:
            if self.rx_fuzzy is not None and self.rx_fuzzy.search(folded_title):
                return 0.7
            return 0.0
        if self.rx_exact.search(folded_title):  # type: ignore[union-attr]
            return 1.0
        if self.rx_prefix.search(folded_title):  # type: ignore[union-attr]
            return 0.9
        if self.inside:
            return 0.75
        if self.rx_fuzzy is not None and self.rx_fuzzy.search(folded_title):
            return 0.7
        return 0.0

    def patterns(self) -> list[str]:
        lead = r"\b\w*?" if self.inside else r"\b"
        pats = [lead + original_pattern(self.word) + r"\w*"]
        pats += [r"\b" + original_pattern(t) + r"\w*" for t in self.fuzzy]
        return pats


def _expand(vocab: Vocabulary, token: str) -> _Word:
    """The expansion of a folded query word, cached per vocabulary: as the user types,
    every keystroke repeats the words before the cursor."""
    word = vocab.expanded.get(token)
    if word is not None:
        return word
    prefix = vocab.has_prefix(token)
    fuzzy: list[str] = []
    completions: list[str] = []
    if len(token) >= 2 and prefix:
        completions = vocab.completions(token, MAX_PREFIX_TERMS)
    if not token.isdigit() and len(token) >= 4 and not prefix:
        fuzzy = vocab.fuzzy(token, MAX_FUZZY_TERMS)
    word = _Word(token, prefix, prefix and vocab.has(token), fuzzy, completions)
    if not (prefix or fuzzy):
        word.widen(vocab)
    if len(vocab.expanded) >= EXPANSION_CACHE:
        vocab.expanded.clear()
    vocab.expanded[token] = word
    return word


@dataclass(frozen=True, slots=True)
class _Marker:
    """How matches are found and highlighted in display text.

    ``locate`` finds the query's spellings (a word anywhere, or at a word start), run
    case-sensitively on lower-cased text; a highlight is the whole word around each
    match. That is what a case-insensitive ``\\b\\w*?spelling\\w*`` regex would mark,
    but one small regex compiles in about half the time (compiling is most of a first
    query's highlighting cost) and runs several times faster on a 2.5 kB body.
    ``fallback`` is that regex, used only on text whose lower-casing changes its length.
    """

    locate: re.Pattern[str]
    fallback: str

    def spans(self, text: str) -> tuple[tuple[int, int], ...]:
        """(start, end) of every highlighted word of ``text``."""
        if not text:
            return ()
        lower = text.lower()
        if len(lower) != len(text):
            rx = re.compile(self.fallback, re.IGNORECASE)
            return tuple(m.span() for m in rx.finditer(text) if m.end() > m.start())
        spans: list[tuple[int, int]] = []
        for match in self.locate.finditer(lower):
            start = match.start()
            if spans and start < spans[-1][1]:
                continue
            while start and (lower[start - 1].isalnum() or lower[start - 1] == "_"):
                start -= 1
            spans.append((start, _WORD_TAIL.match(lower, match.end()).end()))  # type: ignore[union-attr]
        return tuple(spans)

    def first(self, text: str) -> int | None:
        """Where the first highlighted word of ``text`` starts its match, if anywhere."""
        lower = text.lower()
        if len(lower) != len(text):
            match = re.compile(self.fallback, re.IGNORECASE).search(text)
        else:
            match = self.locate.search(lower)
        return None if match is None else match.start()


def _trie_pattern(folded: list[str]) -> str:
    """One regex for the original spellings of several folded words, sharing prefixes.

    Python's ``re`` tries every alternative at every position; with the words in a
    trie, most positions fail on the first letter. A word that ends inside another
    makes the longer one redundant (a match only has to be found, not measured).
    """
    trie: dict[str, dict] = {}
    for word in folded:
        node = trie
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}

    def emit(node: dict[str, dict]) -> str:
        if "" in node:
            return ""
        alts = [original_pattern(ch) + emit(child) for ch, child in sorted(node.items())]
        return alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"

    return emit(trie)


def _marker(words: list[_Word]) -> _Marker | None:
    patterns = [p for w in words for p in w.patterns()]
    if not patterns:
        return None
    anywhere = [w.word for w in words if w.inside]
    at_start = [w.word for w in words if not w.inside] + [t for w in words for t in w.fuzzy]
    locators = [_trie_pattern(anywhere)] if anywhere else []
    locators += [r"\b" + _trie_pattern(at_start)] if at_start else []
    return _Marker(re.compile("|".join(locators)), "|".join(f"(?:{p})" for p in patterns))


def _snippet(marker: _Marker | None, text: str, width: int = 160) -> str:
    """About ``width`` characters of ``text`` (whitespace collapsed) around the first match.

    Only the text up to a little past the first match is collapsed (an item body is
    ~2.5 kB, a snippet 160 characters); the collapsed part of a prefix is a prefix of
    the collapsed whole, so the result is the same as collapsing everything.
    """
    at = marker.first(text) if marker else None
    head = " ".join(text[:at].split()) if at else ""
    pos = None if at is None else len(head) + (1 if head and text[at - 1].isspace() else 0)
    middle = pos is not None and pos >= width // 3
    begin = head.rfind(" ", 0, pos - width // 3) + 1 if middle else 0  # type: ignore[operator]
    end = begin + width
    upto = (at or 0) + 4 * width
    while True:
        whole = upto >= len(text)
        tail = " ".join(text[at or 0 : upto].split())
        flat = head + (" " if head and tail and pos != len(head) else "") + tail
        if whole or len(flat) > end:
            break
        upto *= 4
    if not flat:
        return ""
    return ("…" if middle else "") + flat[begin:end] + ("…" if end < len(flat) else "")


def _hit(row: ItemRow, kind: str, score: float, text: str, marker: _Marker | None) -> SearchHit:
    snippet = _snippet(marker, text)
    return SearchHit(
        item_id=row.id,
        council=row.council,
        meeting_date=row.meeting_date,
        doc_type=row.doc_type,
        number=row.number,
        title=row.title,
        snippet=snippet,
        highlights=marker.spans(snippet) if marker else (),
        score=score,
        kind=kind,  # type: ignore[arg-type]
        title_highlights=marker.spans(row.title) if marker else (),
    )


def _rank_text(
    store: Store,
    vocab: Vocabulary,
    words: list[_Word],
    folded_query: str,
    filters: dict,
    limit: int,
    *,
    every_word: bool = False,
) -> list[tuple[float, int]]:
    """Candidates from the full-text indexes, re-ranked. All words first, then (unless
    ``every_word``) any of them; each stage exact before widened. With ``every_word``
    a word no item has means no candidates at all."""
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
                    match, limit=CANDIDATES, titles=titles, **filters
                ):
                    if item_id not in coverage:
                        coverage[item_id] = [w.quality(title) for w in live]
                        candidates[item_id] = title
                    if titles:
                        in_title.add(item_id)
                        if not wide and all(map(_Word.strong, live, coverage[item_id])):
                            strong += 1
    pre: list[tuple[float, int, str]] = []
    for item_id, title in candidates.items():
        share = sum(coverage[item_id]) / len(live)
        pre.append((55.0 * share + (10.0 if item_id in in_title else 0.0), item_id, title))
    pre.sort(key=lambda p: (-p[0], -p[1]))
    ranked = []
    for score, item_id, title in pre[:FUZZY_RERANK]:
        similarity = fuzz.WRatio(folded_query, title, processor=utils.default_process)
        ranked.append((score + 35.0 * similarity / 100.0, item_id))
    ranked += [(score, item_id) for score, item_id, _ in pre[FUZZY_RERANK:]]
    ranked.sort(key=lambda r: (-r[0], -r[1]))
    return ranked[:limit]


def search(
    store: Store, query: str, *, limit: int = 50, current_meeting_id: int | None = None
) -> list[SearchHit]:
    """The best ``limit`` items for ``query`` across all councils, best first."""
    parsed = parse_query(query)
    filters: dict = {"year": parsed.year, "doc_type": parsed.doc_type}
    if parsed.council:
        filters["councils"] = resolve_councils(store, parsed.council)
        if not filters["councils"]:
            return []
    text = parsed.text.strip()
    results: list[tuple[ItemRow, str, float]] = []
    seen: set[int] = set()

    def keep(row: ItemRow) -> bool:
        return (
            row.id not in seen
            and (parsed.year is None or (row.meeting_date or "").startswith(str(parsed.year)))
            and (parsed.doc_type is None or row.doc_type == parsed.doc_type)
            and ("councils" not in filters or row.council in filters["councils"])
        )

    case = _CASE_RE.match(text)
    if case:
        for row in store.find_items_by_case_number(f"SAG-{case.group(1)}-{case.group(2)}"):
            if keep(row) and len(results) < limit:
                seen.add(row.id)
                results.append((row, "case", 1000.0))
    if _NUMBER_RE.match(text):
        rows = []
        if current_meeting_id is not None:
            rows += store.find_items_by_number(text, current_meeting_id)
        rows += store.find_items_by_number(text, limit=limit * 4)
        for row in rows:
            if keep(row) and len(results) < limit:
                seen.add(row.id)
                results.append((row, "number", 900.0 - len(results)))
        return _finish(store, results, None)

    # A case number's text stage looks only for items that name it (its year and serial
    # both, as written in another item's text); "sag" and either number alone would
    # fill the list with every item of that year.
    tokens = [case.group(1), case.group(2)] if case else _TOKEN_RE.findall(fold(text))
    if not tokens:
        if any(v for v in filters.values()):
            rows = store.filtered_items(limit=limit, **filters)
            results += [(r, "text", 0.0) for r in rows if keep(r)]
        return _finish(store, results[:limit], None)

    vocab = vocabulary(store)
    words = [_expand(vocab, t) for t in dict.fromkeys(tokens)]
    ranked = _rank_text(
        store, vocab, words, " ".join(tokens), filters, limit + len(results), every_word=bool(case)
    )
    rows_by_id = store.item_rows([i for _, i in ranked])
    for score, item_id in ranked:
        row = rows_by_id.get(item_id)
        if row is not None and row.id not in seen and len(results) < limit:
            seen.add(row.id)
            results.append((row, "text", round(score, 3)))
    return _finish(store, results, _marker(words))


def _finish(
    store: Store, results: list[tuple[ItemRow, str, float]], marker: _Marker | None
) -> list[SearchHit]:
    texts = store.item_texts([row.id for row, _, _ in results])
    return [_hit(row, kind, score, texts.get(row.id, ""), marker) for row, kind, score in results]
