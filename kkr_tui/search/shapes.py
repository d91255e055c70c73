"""The vocabulary's terms grouped by shape, so a typo's look-up reads only its candidates.

A near spelling of a word (RapidFuzz ratio at least the cut-off) can only be a term of
a length near the word's (the ratio is at most 200 x shorter / both lengths), and the
look-up keeps only terms that share the word's first letter or its second. The sorted
terms give the letters as ranges, but not the lengths: at 1M items the look-up split
~226,000 terms out of them for a word whose near spellings have 3 to 6 letters, and
only ~4,000 terms there have fewer than 10. Here every term is kept once more, ordered
by (kind, length, term): kind 0 the terms of several items, kind 1 those of one (the
typo look-up asks the first before the second). ``keys`` and ``starts`` mark where
each group of terms with the same kind, length and first two characters begins, so a
look-up finds its ranges by bisection and splits out only terms that can pass.

It costs the terms' bytes a second time (~43 MB at 1M items, in the snapshot file,
mapped: only the groups a look-up reads are ever touched) and is built when a
vocabulary is saved, or on a vocabulary's first typo look-up when it is not.
"""

from __future__ import annotations

from array import array
from bisect import bisect_left
from collections import Counter
from collections.abc import Generator, Iterable
from itertools import accumulate, islice
from typing import TYPE_CHECKING

from kkr_tui.search.termlist import TermList

if TYPE_CHECKING:
    from typing import TypeAlias

    from kkr_tui.search.vocabulary import Counts

    #: Keys and group starts: arrays when built, views of the snapshot when read.
    Numbers: TypeAlias = "array[int] | memoryview"

#: The terms of several items, and those of one.
SEVERAL, SINGLE = 0, 1
#: Terms this long or longer share one group length (no query word comes near it).
LONGEST = 0xFFFF
#: Bits of a key below the group: two characters of 21 bits each.
_CHAR = 21
_MASK = (1 << _CHAR) - 1
_GROUP = 2 * _CHAR
#: Terms read per step while building.
_SLICE = 10_000


def _block(kind: int, length: int) -> int:
    return kind << 16 | min(length, LONGEST)


def _blocks(words: list[str], docs: Counts) -> list[int]:
    """The block of each of ``words`` (:func:`_block`, by its count in ``docs``)."""
    return [
        (SINGLE if count < 2 else SEVERAL) << 16 | min(len(word), LONGEST)
        for word, count in zip(words, docs, strict=True)
    ]


def _code(term: str) -> int:
    """The term's first two characters as one number (0 for a missing one)."""
    if not term:
        return 0
    return ord(term[0]) << _CHAR | (ord(term[1]) if len(term) > 1 else 0)


class Shapes:
    """Every term again, ordered by (kind, length, term), with its groups' starts.

    ``keys[g]`` is ``(kind << 16 | length) << 42 | first << 21 | second`` of group
    ``g`` (sorted), ``starts[g]`` the index in :attr:`terms` of its first term; the
    group ends where the next begins (the last at ``len(terms)``).
    """

    __slots__ = ("keys", "starts", "terms")

    def __init__(self, terms: TermList, keys: Numbers, starts: Numbers) -> None:
        self.terms = terms
        self.keys = keys
        self.starts = starts

    @classmethod
    def build(cls, terms: TermList, docs: Counts) -> Shapes:
        """The shapes of ``terms`` (sorted) with their document counts ``docs``."""
        steps = cls.building(terms, docs)
        while True:
            try:
                next(steps)
            except StopIteration as done:
                shapes: Shapes = done.value
                return shapes

    @classmethod
    def building(cls, terms: TermList, docs: Counts) -> Generator[None, None, Shapes]:
        """:meth:`build` in slices of :data:`_SLICE` terms (~5 ms each at 1M items),
        yielding between them: a reader's load runs it between keypresses.

        Two passes over the sorted terms. The first counts the terms and bytes of each
        (kind, length) block, which fixes where every block lies in the result; the
        second writes each slice's terms straight into their blocks' places in one
        buffer of the final size (an anonymous map: nothing of it outlives the shapes,
        and the allocator's heap never holds its pages). A block receives its terms in
        sorted order, so a new group of first two characters starts where the code
        changes. Building the blocks apart and joining them at the end held the terms'
        bytes three times over for a moment (+117 MB at 1M items; this way +50 MB).
        """
        import mmap  # only a vocabulary large enough to save, or a typo's first look-up

        n = len(terms)
        counts: dict[int, int] = {}
        sizes: dict[int, int] = {}
        starts = terms.starts
        for lo in range(0, n, _SLICE):
            hi = min(lo + _SLICE, n)
            blocks = _blocks(terms.span(lo, hi), docs[lo:hi])
            ends = starts[lo + 1 : hi + 1]
            for block, begin, end in zip(blocks, starts[lo:hi], ends, strict=True):
                sizes[block] = sizes.get(block, 0) + end - begin
            for block, many in Counter(blocks).items():
                counts[block] = counts.get(block, 0) + many
            yield
        order = sorted(counts)
        first: dict[int, int] = {}  # the block's first index among the shapes' terms
        cursor: dict[int, int] = {}  # where the block's next term goes in the text
        index, position = 0, 1
        for block in order:
            first[block], cursor[block] = index, position
            index += counts[block]
            position += sizes[block]
        text = mmap.mmap(-1, len(terms.text))
        text[0:1] = b"\n"
        wide = len(terms.text) > 0xFFFF_FFFF
        term_starts = array("Q" if wide else "I", [0]) * (n + 1)
        term_starts[n] = len(terms.text)
        filled: dict[int, int] = dict.fromkeys(order, 0)
        groups: dict[int, list[tuple[int, int]]] = {block: [] for block in order}
        last: dict[int, int] = {}
        for lo in range(0, n, _SLICE):
            hi = min(lo + _SLICE, n)
            words = terms.span(lo, hi)
            pending: dict[int, list[str]] = {}
            for term, block in zip(words, _blocks(words, docs[lo:hi]), strict=True):
                chunk = pending.get(block)
                if chunk is None:
                    chunk = pending[block] = []
                code = _code(term)
                if last.get(block) != code:
                    last[block] = code
                    groups[block].append((code, filled[block] + len(chunk)))
                chunk.append(term)
            for block, chunk in pending.items():
                joined = "\n".join(chunk) + "\n"
                data = joined.encode("utf-8", "surrogatepass")
                if len(data) == len(joined):  # ASCII: a term's bytes are its characters
                    lengths: Iterable[int] = map(len, chunk)
                else:
                    lengths = [len(t.encode("utf-8", "surrogatepass")) for t in chunk]
                at, where = cursor[block], first[block] + filled[block]
                text[at : at + len(data)] = data
                term_starts[where : where + len(chunk)] = array(
                    term_starts.typecode,
                    islice(accumulate(map(_ONE.__add__, lengths), initial=at), len(chunk)),
                )
                cursor[block] += len(data)
                filled[block] += len(chunk)
            yield
        keys, group_starts = array("Q"), array("Q" if n > 0xFFFF_FFFF else "I")
        for block in order:
            for code, index in groups[block]:
                keys.append(block << _GROUP | code)
                group_starts.append(first[block] + index)
        return cls(TermList.adopt(text, term_starts), keys, group_starts)

    def nbytes(self) -> int:
        """Memory held by the terms, keys and starts."""
        return (
            self.terms.nbytes()
            + self.keys.itemsize * len(self.keys)
            + (self.starts.itemsize * len(self.starts))
        )

    def _start(self, group: int) -> int:
        return self.starts[group] if group < len(self.starts) else len(self.terms)

    def ranges(self, kind: int, length: int, first: str, second: str) -> list[tuple[int, int]]:
        """The index ranges of :attr:`terms` of this kind and length that start with
        ``first``, or (any other first character) have ``second`` second (when given):
        the typo look-up's letters, in groups of terms of one length."""
        keys = self.keys
        base = _block(kind, length) << _GROUP
        lo = bisect_left(keys, base)
        hi = bisect_left(keys, base + (1 << _GROUP), lo)
        if lo == hi:
            return []
        f = ord(first)
        i = bisect_left(keys, base | f << _CHAR, lo, hi)
        j = bisect_left(keys, base | (f + 1) << _CHAR, i, hi)
        found = [(self._start(i), self._start(j))] if i < j else []
        if second:
            s = ord(second)
            block = keys[lo:hi].tolist() if isinstance(keys, memoryview) else keys[lo:hi]
            for g, key in enumerate(block, lo):
                if key & _MASK == s and (key >> _CHAR) & _MASK != f:
                    found.append((self._start(g), self._start(g + 1)))
        return found


_ONE = 1
