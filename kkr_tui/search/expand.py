"""A query word and what it stands for in the vocabulary.

Each folded query word is expanded against the index vocabulary held in memory: the
word itself as a prefix (``pædagog`` -> ``pædagoguddannelsen``), vocabulary terms that
contain it (``uddannelsen`` -> ``pædagoguddannelsen``) and, when nothing starts with it,
near spellings (``sundhedsrefrom`` -> ``sundhedsreformen``). A :class:`Word` then says
how it is written into an FTS5 MATCH (:meth:`Word.match_expr`), how well a title
matches it (:meth:`Word.quality`) and how to find it in display text
(:meth:`Word.patterns`).
"""

from __future__ import annotations

import re

from kkr_tui.search.vocabulary import Vocabulary
from kkr_tui.textfold import original_pattern

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


class Word:
    """One query word and what it was expanded to in the vocabulary.

    The infix expansion (vocabulary terms containing the word) costs a scan of the
    whole vocabulary and is only needed when the exact and prefix matches are too few,
    so it is computed on first use by a wide stage (:meth:`widen`).

    A plain slotted class, not a dataclass: it is the one mutable record of the search
    path, and importing :mod:`dataclasses` for it cost a one-off search ~7 ms
    (:mod:`kkr_tui.record`). Equal by its fields, as the dataclass was.
    """

    __slots__ = (
        "word", "prefix", "term", "fuzzy", "completions", "infix",
        "rx_exact", "rx_prefix", "rx_fuzzy",
    )  # fmt: skip

    def __init__(
        self,
        word: str,
        prefix: bool,
        term: bool,
        fuzzy: list[str],
        completions: list[str],
        infix: list[str] | None = None,
    ) -> None:
        self.word = word
        self.prefix = prefix
        self.term = term
        self.fuzzy = fuzzy
        self.completions = completions
        self.infix = infix
        w = re.escape(word)
        self.rx_exact = re.compile(rf"\b{w}\b")
        self.rx_prefix = re.compile(rf"\b{w}")
        self.rx_fuzzy: re.Pattern[str] | None = None
        if fuzzy:
            self.rx_fuzzy = re.compile(r"\b(?:" + "|".join(map(re.escape, fuzzy)) + ")")

    def _fields(self) -> tuple[object, ...]:
        return tuple(getattr(self, name) for name in self.__slots__)

    def __eq__(self, other: object) -> bool:
        if other.__class__ is self.__class__:
            assert isinstance(other, Word)
            return self._fields() == other._fields()
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]  # mutable, as the dataclass was

    def __repr__(self) -> str:
        shown = ", ".join(f"{n}={getattr(self, n)!r}" for n in self.__slots__)
        return f"Word({shown})"

    @property
    def inside(self) -> bool:
        """True if the word may match inside compounds (long enough, not a number)."""
        return len(self.word) >= 4 and not self.word.isdigit()

    def widen(self, vocab: Vocabulary) -> list[str]:
        """The vocabulary terms containing this word after their first letter.

        For a typo (no term starts with the word, and it has near spellings) only the
        terms of several items are looked in (:meth:`Vocabulary.infix` with
        ``single`` false). A misspelling is almost never inside another term, so
        looking through the terms of a single item too was a whole pass over nine in
        ten of a large vocabulary's bytes for nothing (20-35 ms of a typo's first
        search at 1M items). What this leaves out, exactly: a term of one item that
        holds the word after its first letter, when no term starts with the word and
        it has near spellings (a fragment only ever seen inside one-item compounds);
        its item is then found by the near spellings or not at all.
        """
        if self.infix is None:
            if not self.inside:
                self.infix = []
            else:
                typo = not self.prefix and bool(self.fuzzy)
                self.infix = vocab.infix(self.word, MAX_INFIX_TERMS, single=not typo)
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
        alts: list[tuple[str, bool]]  # (term, as a prefix)
        if titles:
            alts = [(self.word, self.prefix)]
            alts += [(t, True) for t in self.fuzzy]
        elif len(self.word) < 2:
            return None
        else:
            if wide or not self.completions:
                terms = self.completions or [self.word]
            elif self.term:
                terms = [self.word]
            else:
                terms = self.completions[:NARROW_PREFIX_TERMS]
            alts = [(t, False) for t in terms]
            alts += [(t, False) for t in self.fuzzy]
        if wide:
            alts += [(t, False) for t in self.infix or ()]
        elif not (self.prefix or self.fuzzy):
            return None
        kept = _unsubsumed(alts)
        return "(" + " OR ".join(f'"{t}"*' if star else f'"{t}"' for t, star in kept) + ")"

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
        if self.rx_exact.search(folded_title):
            return 1.0
        if self.rx_prefix.search(folded_title):
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


def _unsubsumed(alts: list[tuple[str, bool]]) -> list[tuple[str, bool]]:
    """``alts`` (term, as a prefix) in order, without repeats and without those a
    prefix alternative already matches (``"sundhedsreformen"*`` beside
    ``"sundhedsrefo"*``): the same rows, and on the title index one prefix merge fewer
    each (FTS5 merges the doclists of every term with the prefix, ~3 ms at 1M items; a
    typo's near spellings often share a start). Only words of letters and digits are
    compared so (one token each, as FTS5 reads them)."""
    prefixes = [t for t, star in alts if star and t.isalnum()]
    kept: list[tuple[str, bool]] = []
    seen: set[tuple[str, bool]] = set()
    for term, star in alts:
        if (term, star) in seen:
            continue
        seen.add((term, star))
        if term.isalnum() and any(
            term.startswith(p) and (term, star) != (p, True) for p in prefixes
        ):
            continue
        kept.append((term, star))
    return kept


def expand(vocab: Vocabulary, token: str) -> Word:
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
    word = Word(token, prefix, prefix and vocab.has(token), fuzzy, completions)
    if not (prefix or fuzzy):
        word.widen(vocab)
    if len(vocab.expanded) >= EXPANSION_CACHE:
        vocab.expanded.clear()
    vocab.expanded[token] = word
    return word
