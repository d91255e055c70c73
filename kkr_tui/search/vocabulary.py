"""The index's vocabulary in memory: every folded term with how many items have it.

Query words are expanded against it (:mod:`.expand`) before anything is asked of the
full-text index: prefixes by bisection, compounds by a ``find`` scan, typos by
RapidFuzz over the terms that share a first or second letter (those of several items
first, every term only when they give too few). It is built page by page
from the store (:mod:`.loading`), so a 1M-item vocabulary never exists twice.

Every term's characters are held once more only when it is in several items (the
frequency-ordered list): the terms of a single item, nine in ten of a large store's,
are read off the sorted list by their count, so a 1M-item vocabulary takes ~53 MB
where a second, alphabetical copy of those terms took another ~40 MB.
"""

from __future__ import annotations

import heapq
from array import array
from collections.abc import Generator, Iterable, Iterator
from functools import cached_property
from typing import TYPE_CHECKING

from kkr_tui.search.shapes import LONGEST, SEVERAL, SINGLE, Shapes
from kkr_tui.search.termlist import TermList, TermListBuilder

if TYPE_CHECKING:
    from typing import TypeAlias

    from kkr_tui.search.expand import Word

    #: Each term's document count: an array when built, a view of the snapshot file
    #: when read back from it (:mod:`.snapshot`). For the type checker only: a
    #: ``Union`` with a name in quotes compiles it when the module loads (~1 ms).
    Counts: TypeAlias = "array[int] | memoryview"

#: Terms copied out per slice of the finishing work (as many as a load reads a step).
FINISH_SLICE = 10_000
#: Prefixes with more completions than this find their most frequent ones by scanning
#: the frequency order (a few hits in, for a short common prefix) instead of
#: ranking the whole prefix range (~20 ms for the 60k terms of a 2-letter one at 1M).
SCAN_COMPLETIONS_ABOVE = 2_048


class Vocabulary:
    """The index's folded terms, kept compactly for prefix, infix and fuzzy look-ups.

    ``terms`` (sorted) is a :class:`~kkr_tui.search.termlist.TermList`: one string and an
    offset array, so the 1.7 M terms of a 1M-item store take ~43 MB where a list of
    ``str`` took ~120 MB. ``frequent`` holds the terms of several items, most frequent
    first (alphabetical among equals); the terms of a single item (most of any
    vocabulary) follow them in the frequency order, alphabetically: they are the terms
    whose count is 1, read off ``terms``. An infix look-up is a C-speed ``find``
    loop over ``frequent``'s bytes, then ``terms``' bytes. A fuzzy look-up scores only
    the terms that share the word's first letter or its second letter (one of the two
    must be right) and have a length that can reach the cut-off: first those of
    several items, then every such term only when those give fewer than asked for
    (:meth:`fuzzy`), each read as ranges of :meth:`shapes` (the terms again, by kind,
    length and first two characters).
    """

    def __init__(
        self, terms: TermList, docs: Counts, frequent: TermList, shapes: Shapes | None = None
    ) -> None:
        """``terms`` sorted, ``docs`` the document frequency of each, ``frequent`` the
        terms of several items, most frequent first (alphabetical among equals);
        ``shapes`` the terms by kind and length (:mod:`.shapes`), built on the first
        typo look-up when not given."""
        self.terms = terms
        self.docs = docs
        self.frequent = frequent
        self._shapes = shapes
        self.expanded: dict[str, Word] = {}

    def shapes(self) -> Shapes:
        """The terms by kind and length, for the typo look-up (built once, on first use,
        for a vocabulary that was not read from a snapshot: ~0.8 µs a term)."""
        if self._shapes is None:
            self._shapes = Shapes.build(self.terms, self.docs)
        return self._shapes

    def has_shapes(self) -> bool:
        """True if :meth:`shapes` is at hand without building it."""
        return self._shapes is not None

    @classmethod
    def from_rows(cls, rows: Iterable[tuple[str, int]]) -> Vocabulary:
        """Build from ``(term, document frequency)`` rows sorted by term."""
        builder = VocabularyBuilder()
        builder.add(list(rows))
        return builder.finish()

    @cached_property
    def initials(self) -> list[str]:
        """The distinct first letters of the terms, by skipping through the sorted list
        (a few hundred bisections: worked out when a fuzzy look-up first needs them,
        not on every load)."""
        found: list[str] = []
        i = 0
        while i < len(self.terms):
            if not self.terms[i]:
                i += 1
                continue
            found.append(self.terms[i][0])
            i = self.terms.bisect(chr(ord(found[-1]) + 1), i)
        return found

    def __len__(self) -> int:
        return len(self.terms)

    def by_docs(self) -> Iterator[str]:
        """Every term, most frequent first (alphabetical among equals): the order the
        infix look-up scans in."""
        yield from self.frequent
        docs = self.docs
        for i, term in enumerate(self.terms):
            if docs[i] < 2:
                yield term

    def nbytes(self) -> int:
        """Memory held by the term lists and counts (not the expansion cache)."""
        shapes = 0 if self._shapes is None else self._shapes.nbytes()
        return (
            self.terms.nbytes()
            + self.frequent.nbytes()
            + self.docs.itemsize * len(self.docs)
            + shapes
        )

    def has_prefix(self, word: str) -> bool:
        """True if some term starts with ``word`` (including the word itself)."""
        i = self.terms.bisect(word)
        return i < len(self.terms) and self.terms[i].startswith(word)

    def has(self, word: str) -> bool:
        """True if ``word`` is a term."""
        i = self.terms.bisect(word)
        return i < len(self.terms) and self.terms[i] == word

    def _range(self, prefix: str) -> tuple[int, int]:
        lo = self.terms.bisect(prefix)
        return lo, self.terms.bisect(prefix + "\U0010ffff", lo)

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
        (alphabetical among equals), read off in the frequency order: ``frequent`` by a
        ``find`` scan that stops at the ``limit``-th hit, then the terms of a single
        item in the word's range of the sorted terms."""
        found: list[str] = []
        needle = ("\n" + word).encode("utf-8", "surrogatepass")
        frequent = self.frequent
        text = frequent.text
        start = text.find(needle)
        while start != -1 and len(found) < limit:
            found.append(frequent[frequent.index_at(start + 1)])
            start = text.find(needle, start + 1)
        lo, hi = self._range(word)
        docs = self.docs
        i = lo
        while len(found) < limit and i < hi:
            if docs[i] < 2:
                found.append(self.terms[i])
            i += 1
        return found

    def infix(self, word: str, limit: int, *, single: bool = True) -> list[str]:
        """Terms containing ``word`` after their first letter, the ``limit`` most frequent.

        The scan goes in the frequency order (:meth:`by_docs`) and stops at the
        ``limit``-th hit: a common fragment costs a small part of the vocabulary, only
        a rare one a whole pass (of ``frequent``, then of ``terms`` for the terms of a
        single item). ``single`` false leaves the terms of a single item out: the
        answer is then exactly the terms of several items the full look-up would
        give, and a fragment found nowhere costs a pass over ``frequent`` only (2.4 MB
        at 1M items, against ~33 MB more for the rest: 20-35 ms of CPU here).
        """
        found: list[str] = []
        self._infix_scan(self.frequent, word, limit, found, None)
        if single and len(found) < limit:
            self._infix_scan(self.terms, word, limit, found, self.docs)
        return found

    @staticmethod
    def _infix_scan(
        tier: TermList, word: str, limit: int, found: list[str], single: Counts | None
    ) -> None:
        """Add to ``found`` the terms of ``tier`` with ``word`` after their first letter,
        in ``tier``'s order, up to ``limit`` in all (``single``: only terms whose count
        in it is below 2)."""
        text, last = tier.text, -1
        needle = word.encode("utf-8", "surrogatepass")
        start = text.find(needle, 1)
        while start != -1 and len(found) < limit:
            if not tier.starts_string(start):
                index = tier.index_at(start)
                if index != last and (single is None or single[index] < 2):
                    found.append(tier[index])
                last = index
            start = text.find(needle, start + 1)

    def fuzzy(self, word: str, limit: int) -> list[str]:
        """Terms spelled like ``word`` (one or two typos), best first: the terms of
        several items first, every term only when those are not enough.

        A near spelling of a word of ``n`` letters is a term that shares the word's
        first letter or its second letter (one of the two must be right), has
        ``max(3, n - 2)`` to ``n + 3`` letters, does not start with a digit, and
        reaches RapidFuzz's ratio cut-off (:func:`_cutoff`); the best are ranked by
        score, then alphabetically. The terms of several items are scored first, and
        when at least ``limit`` of them are near spellings, the best ``limit`` of them
        are the answer; with fewer, every term is scored and the answer is the best
        ``limit`` of all (:meth:`fuzzy_every_term`, the flat look-up).

        The exact condition: the answer equals the flat one whenever the flat answer
        holds no term of a single item, i.e. unless a one-item term would rank above
        the ``limit``-th of ``limit`` or more near spellings among the terms of several
        items. Then the frequent spelling is kept over the one-item one (a term of one
        item is more often a misspelling itself).

        One change from before format 3 of the snapshot: each first letter's best
        ``limit * 8`` hits were kept before the length rule was applied, so where more
        than that many terms of one first letter passed the cut-off (long compounds at
        1M items), terms of a length the rule then dropped could crowd out near
        spellings that would have ranked in the answer. The length rule now comes
        first, which also means only terms of those lengths are read at all.

        Only terms of those lengths (and of lengths that can reach the cut-off:
        RapidFuzz's ratio is at most 200 x shorter / both lengths) with the right
        letters are split out and scored: :meth:`shapes` keeps the terms grouped by
        kind, length and first two characters, so they are a few ranges found by
        bisection. At 1M items a typo of a short word scores a few hundred terms where
        the flat look-up split out ~226,000 (~20-45 ms of its first call), and a long
        one the share of terms of lengths near its own.

        RapidFuzz is imported here, not with the module: only a word no term starts
        with gets this far, and a one-off search of a case number, an item number or
        filters alone never ranks by it (it costs about 15 ms to import)."""
        shapes = self.shapes()
        several = self._near(shapes, word, SEVERAL)
        if len(several) >= limit:
            return _best(several, limit)
        return _best(several + self._near(shapes, word, SINGLE), limit)

    @staticmethod
    def _near(shapes: Shapes, word: str, kind: int) -> list[tuple[float, str]]:
        """The near spellings of ``word`` among the terms of ``kind``, unranked:
        (minus score, term)."""
        from rapidfuzz import fuzz, process

        cutoff = _cutoff(word)
        shortest, longest = _lengths(word, cutoff)
        first, second = word[0], word[1:2]
        encoded = word.encode("utf-8", "surrogatepass") if word.isascii() else None
        ascii_choices: list[bytes] = []
        other_choices: list[str] = []
        terms = shapes.terms
        # (terms of LONGEST characters or more share the group of that length)
        for length in range(shortest, min(longest, LONGEST) + 1):
            for lo, hi in shapes.ranges(kind, length, first, second):
                raw = terms.raw(lo, hi)
                # ASCII terms are scored as the bytes they are kept in: the same scores
                # (a byte is a character), and splitting bytes is cheaper than decoding.
                if encoded is not None and raw.isascii():
                    ascii_choices += raw.split(b"\n")
                else:
                    other_choices += raw.decode("utf-8", "surrogatepass").split("\n")
        found: list[tuple[float, str]] = []
        if ascii_choices:
            assert encoded is not None
            for choice, score, _ in process.extract(
                encoded, ascii_choices, scorer=fuzz.ratio, score_cutoff=cutoff, limit=None
            ):
                found.append((-score, choice.decode()))
        if other_choices:
            for text, score, _ in process.extract(
                word, other_choices, scorer=fuzz.ratio, score_cutoff=cutoff, limit=None
            ):
                found.append((-score, text))
        return [
            (score, term)
            for score, term in found
            if shortest <= len(term) <= longest and not term[0].isdigit()
        ]

    def fuzzy_every_term(self, word: str, limit: int) -> list[str]:
        """The near spellings of ``word`` by the rules of :meth:`fuzzy`, scored among
        every term that shares the word's first letter or its second letter (one of
        the two must be right): contiguous ranges of the sorted terms, found by
        bisection and split out of the text in one call each, then held to the length
        and digit rules. :meth:`fuzzy`'s fallback answer, without the shapes: what
        the tests and the bench compare it with."""
        from rapidfuzz import fuzz, process

        cutoff = _cutoff(word)
        lo, hi = self._range(word[0])
        ranges = [(lo, hi)]
        if len(word) > 1:
            ranges += [self._range(c + word[1]) for c in self.initials if c != word[0]]
        shortest, longest = _lengths(word, cutoff)
        encoded = word.encode("utf-8", "surrogatepass") if word.isascii() else None
        found: list[tuple[float, str]] = []
        for lo, hi in ranges:
            if hi <= lo:
                continue
            raw = self.terms.raw(lo, hi)
            query: str | bytes = word
            choices: list[str] | list[bytes]
            if encoded is not None and raw.isascii():
                query, choices = encoded, raw.split(b"\n")
            else:
                choices = raw.decode("utf-8", "surrogatepass").split("\n")
            for choice, score, _ in process.extract(
                query, choices, scorer=fuzz.ratio, score_cutoff=cutoff, limit=None
            ):
                term = choice.decode() if isinstance(choice, bytes) else str(choice)
                if shortest <= len(term) <= longest and not term[0].isdigit():
                    found.append((-score, term))
        return _best(found, limit)


def _cutoff(word: str) -> int:
    """The least RapidFuzz ratio a near spelling of ``word`` must reach."""
    return 80 if len(word) >= 6 else 75


def _lengths(word: str, cutoff: int) -> tuple[int, int]:
    """The lengths a near spelling of ``word`` may have: the length rule
    (``max(3, n - 2)`` to ``n + 3``) and what can reach ``cutoff`` at all (RapidFuzz's
    ratio is at most 200 x shorter / both lengths, so a term of ``m`` characters needs
    ``m * (200 - cutoff) >= n * cutoff`` and ``n * (200 - cutoff) >= m * cutoff``)."""
    n = len(word)
    fewest = -(-n * cutoff // (200 - cutoff))
    most = n * (200 - cutoff) // cutoff
    return max(3, n - 2, fewest), min(n + 3, most)


def _best(found: list[tuple[float, str]], limit: int) -> list[str]:
    """The ``limit`` best of (minus score, term) hits: by score, then alphabetically."""
    return [term for _, term in sorted(found)[:limit]]


class VocabularyBuilder:
    """Collects a :class:`Vocabulary` page by page of ``(term, documents)`` rows sorted
    by term, keeping the terms of several items apart as they come: only those are
    sorted at the end (a few tens of ms at 1M items)."""

    def __init__(self) -> None:
        self._terms = TermListBuilder()
        self._docs = array("I")
        self._several = TermListBuilder()
        self._several_docs = array("I")

    def add(self, page: list[tuple[str, int]]) -> None:
        """Append a page of rows (after every earlier page in term order).

        Nothing per term outlives the call as a Python object: small objects kept
        across pages would pin the allocator's arenas and hold on to every page's memory.
        """
        self._terms.add([t for t, _ in page])
        self._docs.extend([d for _, d in page])
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
                vocab: Vocabulary = done.value
                return vocab

    def finishing(self) -> Generator[None, None, Vocabulary]:
        """:meth:`finish` in slices of a few tens of ms at 1M items, yielding between
        them: sorting the terms of several items, copying them out in that order,
        joining the lists' text."""
        several, counts = self._several.finish(), self._several_docs
        yield
        order = array("I", sorted(range(len(counts)), key=counts.__getitem__, reverse=True))
        yield
        by_count = TermListBuilder()
        for lo in range(0, len(order), FINISH_SLICE):
            by_count.add([several[i] for i in order[lo : lo + FINISH_SLICE]])
            yield
        del several, order
        vocab = Vocabulary(self._terms.finish(), self._docs, by_count.finish())
        # Empty again: the fields __init__ sets (mypy forbids calling __init__).
        self.__init__()  # type: ignore[misc]
        return vocab
