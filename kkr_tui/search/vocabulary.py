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
import re
from array import array
from collections.abc import Generator, Iterable, Iterator
from functools import cached_property
from typing import TYPE_CHECKING

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
    must be right): first those of ``frequent``, picked out of its text by one regular
    expression; every such term (contiguous ranges of the sorted terms, found by
    bisection) only when those give fewer than asked for (:meth:`fuzzy`).
    """

    def __init__(self, terms: TermList, docs: Counts, frequent: TermList) -> None:
        """``terms`` sorted, ``docs`` the document frequency of each, ``frequent`` the
        terms of several items, most frequent first (alphabetical among equals)."""
        self.terms = terms
        self.docs = docs
        self.frequent = frequent
        self.expanded: dict[str, Word] = {}

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
        return self.terms.nbytes() + self.frequent.nbytes() + self.docs.itemsize * len(self.docs)

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

        The flat look-up (:meth:`fuzzy_every_term`) scores the ~226,000 terms at 1M that
        share the word's first or second letter (~34 ms, mostly splitting them out);
        the terms of several items are 131,000 in all, one ``frequent`` text from which
        a regular expression picks the ~11,000 worth scoring (~6 ms in all). So this
        scores those first, keeping the hits the flat look-up
        could have kept (first or second letter, at most ``limit * 8`` per first
        letter, the same cut-off, length and digit rules), and answers with its best
        ``limit`` when it has at least ``limit`` of them; with fewer it answers with
        :meth:`fuzzy_every_term` (the fallback: then the two are the same answer).

        The exact condition: the answer equals the flat one whenever the flat answer
        holds no term of a single item, i.e. unless a one-item term would rank (by
        score, then alphabetically) above the ``limit``-th of ``limit`` or more hits
        among the terms of several items. Then the frequent spelling is kept over the
        one-item one (a term of one item is more often a misspelling itself), which
        is the only answer that changes. (One more, in principle: the flat look-up
        keeps a first letter's best ``limit * 8`` hits before its length rule, so
        where more than that many pass for one letter, one-item terms scoring higher
        could crowd out a frequent one there; the tier keeps it.)

        RapidFuzz is imported here, not with the module: only a word no term starts
        with gets this far, and a one-off search of a case number, an item number or
        filters alone never ranks by it (it costs about 15 ms to import)."""
        frequent = self._fuzzy_frequent(word, limit)
        if len(frequent) >= limit:
            return frequent[:limit]
        return self.fuzzy_every_term(word, limit)

    def _fuzzy_frequent(self, word: str, limit: int) -> list[str]:
        """Every hit of the flat look-up's rules among the terms of several items, best
        first (score, then alphabetically)."""
        from rapidfuzz import fuzz, process

        tier = self.frequent
        if not len(tier):
            return []
        cutoff = _cutoff(word)
        # Only terms that can reach the cut-off are scored: fuzz.ratio is at most
        # 200 * shorter / (both lengths), so a term of ``n`` characters needs
        # n * (200 - cutoff) >= len(word) * cutoff and len(word) * (200 - cutoff) >=
        # n * cutoff; and the flat look-up's letters (its ranges): the word's first
        # letter, or its second after any first letter. One regular expression over
        # the text picks them (~5 ms at 1M; splitting all 131,000 out took ~8 ms and
        # scoring them ~11 more).
        n = len(word)
        fewest = -(-n * cutoff // (200 - cutoff))
        most = n * (200 - cutoff) // cutoff
        first, second = re.escape(word[0]), re.escape(word[1:2])
        letters = f"{first}[^\\n]{{{fewest - 1},{most - 1}}}"
        if second and most >= 2:
            letters += f"|[^\\n]{second}[^\\n]{{{max(0, fewest - 2)},{most - 2}}}"
        # Every term is between newlines (the text starts and ends with one); a
        # pattern that starts with the newline is searched for it at C speed, where
        # ``(?m)^`` was tried at every character (~14 ms).
        text = tier.text[:].decode("utf-8", "surrogatepass")
        choices = re.findall(f"\\n({letters})(?=\\n)", text)
        by_initial: dict[str, list[tuple[float, str]]] = {}
        for term, score, _ in process.extract(
            word, choices, scorer=fuzz.ratio, score_cutoff=cutoff, limit=None
        ):
            by_initial.setdefault(term[0], []).append((-score, term))
        shortest, longest = max(3, len(word) - 2), len(word) + 3
        found: list[tuple[float, str]] = []
        for hits in by_initial.values():
            # The flat look-up keeps a range's best limit * 8 before the length rule.
            hits.sort()
            found += [
                (score, term)
                for score, term in hits[: limit * 8]
                if shortest <= len(term) <= longest and not term[0].isdigit()
            ]
        found.sort()
        return [term for _, term in found]

    def fuzzy_every_term(self, word: str, limit: int) -> list[str]:
        """Terms spelled like ``word``, best first, scored among every term that shares
        the word's first letter or its second letter (one of the two must be right):
        contiguous ranges of the sorted terms, found by bisection and split out of the
        text in one call each. :meth:`fuzzy`'s fallback, and what it is measured by."""
        from rapidfuzz import fuzz, process

        cutoff = _cutoff(word)
        lo, hi = self._range(word[0])
        ranges = [(lo, hi)]
        if len(word) > 1:
            ranges += [self._range(c + word[1]) for c in self.initials if c != word[0]]
        shortest, longest = max(3, len(word) - 2), len(word) + 3
        encoded = word.encode("utf-8", "surrogatepass") if word.isascii() else None
        found: list[tuple[float, str]] = []
        for lo, hi in ranges:
            if hi <= lo:
                continue
            raw = self.terms.raw(lo, hi)
            # ASCII terms are scored as the bytes they are kept in: the same scores (a
            # byte is a character), and splitting bytes is ~1/3 cheaper than decoding
            # and splitting the text (~18 ms for the 185k terms of one letter at 1M).
            query: str | bytes = word
            choices: list[str] | list[bytes]
            if encoded is not None and raw.isascii():
                query, choices = encoded, raw.split(b"\n")
            else:
                choices = raw.decode("utf-8", "surrogatepass").split("\n")
            for choice, score, _ in process.extract(
                query, choices, scorer=fuzz.ratio, score_cutoff=cutoff, limit=limit * 8
            ):
                term = choice.decode() if isinstance(choice, bytes) else str(choice)
                if shortest <= len(term) <= longest and not term[0].isdigit():
                    found.append((-score, term))
        found.sort()
        return [term for _, term in found[:limit]]


def _cutoff(word: str) -> int:
    """The least RapidFuzz ratio a near spelling of ``word`` must reach."""
    return 80 if len(word) >= 6 else 75


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
