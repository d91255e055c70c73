"""Where the query's words are in display text: highlight spans and snippets.

Highlighting works on the original (unfolded) text: each folded query word becomes a
pattern matching its original spellings (:func:`kkr_tui.textfold.original_pattern`),
so ``okonomi`` marks *Økonomi*. A snippet is about 160 characters around the first
match, collapsed to one line.
"""

from __future__ import annotations

import re
from typing import Any

from kkr_tui.record import record
from kkr_tui.search.expand import Word
from kkr_tui.textfold import fold, original_pattern

_WORD_TAIL = re.compile(r"\w*")
#: The letters beyond Latin-1 that :func:`original_pattern` lists as spellings of a
#: folded letter (``ā`` of ``a``). A character class holding one costs ``re`` a table of
#: 65,536 entries to compile (~0.1 ms a class: most of compiling a query's highlight
#: pattern, 1.9 ms for a typo's near spellings), and almost no text has them.
_WIDE = "".join(
    sorted({c for f in map(chr, range(97, 123)) for c in original_pattern(f) if ord(c) > 255})
)
#: Takes them out of a letter's spellings (:func:`_narrow`).
_DROP_WIDE = str.maketrans("", "", _WIDE)
_HAS_WIDE = re.compile(f"[{_WIDE}]") if _WIDE else None
#: A web address in an item's text (a link to a report, the minutes of the last meeting).
URL_RE = re.compile(r"(?:https?://|www\.)\S+", re.IGNORECASE)


def without_urls(text: str) -> str:
    """``text`` with its web addresses taken out: what a reader reads as the item's
    words. ``…/referat-fra-moede-i-kkr-midtjylland…`` is where a link points, not what
    the item says, so it never makes an item a hit nor shows in a snippet."""
    return URL_RE.sub(" ", text) if "://" in text or "www." in text else text


@record
class Marker:
    """How matches are found and highlighted in display text.

    ``locate`` finds the query's spellings (a word anywhere, or at a word start), run
    case-sensitively on lower-cased text; a highlight is the whole word around each
    match. That is what a case-insensitive ``\\b\\w*?spelling\\w*`` regex would mark,
    but one small regex compiles in about half the time (compiling is most of a first
    query's highlighting cost) and runs several times faster on a 2.5 kB body.
    ``fallback`` is that regex, used only on text whose lower-casing changes its length.
    ``locate`` leaves out the spellings beyond Latin-1 (``wide`` has them) and is led by
    the letters a match can start with (:func:`_first_letter_led`): a match starts where
    the pattern as written would start one, and ends inside the same word.
    """

    locate: re.Pattern[str]
    fallback: str
    #: ``locate`` as written with the letters beyond Latin-1 (:data:`_WIDE`), which
    #: ``locate`` leaves out: compiled and used only for a text holding one of them
    #: (then the two find the same); "" when ``locate`` is whole.
    wide: str = ""

    def _locator(self, lower: str) -> re.Pattern[str]:
        """``locate``, or its whole form for a text with a letter it leaves out."""
        if self.wide and _HAS_WIDE is not None and _HAS_WIDE.search(lower):
            return re.compile(self.wide)
        return self.locate

    def spans(self, text: str) -> tuple[tuple[int, int], ...]:
        """(start, end) of every highlighted word of ``text``."""
        if not text:
            return ()
        lower = text.lower()
        if len(lower) != len(text):
            rx = re.compile(self.fallback, re.IGNORECASE)
            return tuple(m.span() for m in rx.finditer(text) if m.end() > m.start())
        spans: list[tuple[int, int]] = []
        for match in self._locator(lower).finditer(lower):
            start = match.start()
            if spans and start < spans[-1][1]:
                continue
            while start and (lower[start - 1].isalnum() or lower[start - 1] == "_"):
                start -= 1
            tail = _WORD_TAIL.match(lower, match.end())
            spans.append((start, tail.end() if tail else match.end()))
        return tuple(spans)

    def first(self, text: str) -> int | None:
        """Where the first highlighted word of ``text`` starts its match, if anywhere."""
        lower = text.lower()
        if len(lower) != len(text):
            match = re.compile(self.fallback, re.IGNORECASE).search(text)
        else:
            match = self._locator(lower).search(lower)
        return None if match is None else match.start()


def _narrow(folded: str) -> str:
    """:func:`original_pattern` of one folded letter without the spellings beyond
    Latin-1 (:data:`_WIDE`); a letter with no other spellings stays as it is."""
    pattern = original_pattern(folded)
    return pattern if pattern == re.escape(folded) else pattern.translate(_DROP_WIDE)


def trie_pattern(folded: list[str], *, narrow: bool = False) -> str:
    """One regex for the original spellings of several folded words, sharing prefixes.

    Python's ``re`` tries every alternative at every position; with the words in a
    trie, most positions fail on the first letter. A word that ends inside another
    makes the longer one redundant (a match only has to be found, not measured).
    ``narrow``: without the spellings beyond Latin-1 (see :class:`Marker`).
    """
    spell = _narrow if narrow else original_pattern
    trie: dict[str, Any] = {}
    for word in folded:
        node = trie
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}

    def emit(node: dict[str, Any]) -> str:
        if "" in node:
            return ""
        alts = [spell(ch) + emit(child) for ch, child in sorted(node.items())]
        return alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"

    return emit(trie)


def marker(words: list[Word]) -> Marker | None:
    """One :class:`Marker` for all the query's words; None when there are none."""
    patterns = [p for w in words for p in w.patterns()]
    if not patterns:
        return None
    anywhere = [w.word for w in words if w.inside]
    at_start = [w.word for w in words if not w.inside] + [t for w in words for t in w.fuzzy]
    return _marker(anywhere, at_start, "|".join(f"(?:{p})" for p in patterns))


def _marker(anywhere: list[str], at_start: list[str], fallback: str) -> Marker:
    """The :class:`Marker` finding ``anywhere`` inside words and ``at_start`` at word
    starts; its ``locate`` is compiled without the letters beyond Latin-1."""

    def locator(narrow: bool) -> str:
        found = [trie_pattern(anywhere, narrow=narrow)] if anywhere else []
        found += [r"\b" + trie_pattern(at_start, narrow=narrow)] if at_start else []
        return _first_letter_led(found, anywhere + at_start, narrow)

    narrow, whole = locator(True), locator(False)
    return Marker(re.compile(narrow), fallback, "" if whole == narrow else whole)


def _first_letter_led(locators: list[str], folded: list[str], narrow: bool) -> str:
    """``locators`` as one pattern (which finds ``folded``'s spellings) led by the set of
    letters a match can start with, unless it starts with a letter itself.

    ``re`` skips along a text to where a match can start only when a pattern starts with
    a letter or a set of them; a pattern starting with ``\\b`` or with a choice of
    spellings (``(?:oe|ø|[oóòôöõ])``), or two patterns as alternatives (a typo, inside
    words and its near spellings at word starts), is tried at every position: 50 µs a
    2.5 kB body for a typo, 22 µs for ``okonomi``, paid for every hit's snippet and
    title. Led by the first letters (``[oòóôõöø]``) and holding the pattern as a
    look-ahead, a match starts where it started before and ends after its first letter,
    inside the same word (every spelling is of word characters): :meth:`Marker.spans`
    extends it to the word's end and passes over matches starting inside a word it has
    marked, so the spans are the same (a Hypothesis test compares them)."""
    pattern = "|".join(locators)
    if not pattern or (len(locators) == 1 and pattern[0].isalnum()):
        return pattern
    spell = _narrow if narrow else original_pattern
    firsts: set[str] = set()
    for word in folded:
        first = word[0]
        if not first.isalnum():
            return pattern
        firsts.add(first)
        firsts.update(c for c in spell(first) if c.isalnum() and fold(c) == first)
    return "[" + "".join(sorted(firsts)) + "](?<=(?=" + pattern + ")[\\s\\S])"


def prefix_marker(folded: list[str]) -> Marker | None:
    """A :class:`Marker` for folded words each matched as a word start: what a bilag
    page search asks its full-text index, so its highlights are what it found."""
    words = [w for w in dict.fromkeys(folded) if w]
    if not words:
        return None
    return _marker([], words, "|".join(rf"(?:\b{original_pattern(w)}\w*)" for w in words))


def snippet(found: Marker | None, text: str, width: int = 160) -> str:
    """About ``width`` characters of ``text`` (whitespace collapsed) around the first match.

    Only the text up to a little past the first match is collapsed (an item body is
    ~2.5 kB, a snippet 160 characters); the collapsed part of a prefix is a prefix of
    the collapsed whole, so the result is the same as collapsing everything.
    """
    return snippet_at(text, found.first(text) if found else None, width)


def snippet_at(text: str, at: int | None, width: int = 160) -> str:
    """:func:`snippet` for a caller that has found the first match already (``at``:
    what ``found.first(text)`` says): a search that checked a text-only hit's body for
    its words does not look through that body a second time for its snippet."""
    head = " ".join(text[:at].split()) if at else ""
    pos = None if at is None else len(head) + (1 if head and text[at - 1].isspace() else 0)
    middle = pos is not None and pos >= width // 3
    begin = head.rfind(" ", 0, pos - width // 3) + 1 if pos is not None and middle else 0
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
