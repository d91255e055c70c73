"""A highlight pattern is compiled without the letters beyond Latin-1 (ā ē ī ō ū), which
make ``re`` build a 65,536-entry table per character class (a text holding one is
searched with the whole pattern), and led by the letters a match can start with, so
``re`` skips to them. Highlights and snippets must be exactly those of the whole
pattern as written before, on text with and without those letters.
"""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from kkr_tui.search.highlight import (
    _WIDE,
    Marker,
    prefix_marker,
    snippet,
    trie_pattern,
)
from kkr_tui.textfold import fold, original_pattern

#: Letters a folded word or a text is made of: plain letters, their Danish and accented
#: spellings, the letters beyond Latin-1, capitals, a letter whose lower case is longer.
LETTERS = "aeioukmnrs" + "æøåéüñç" + "āēīōū" + "ĀŌÆØ" + "İ" + "2"
text = st.text(alphabet=LETTERS + " -\n._", max_size=80)
word = st.text(alphabet=LETTERS, min_size=1, max_size=6).map(fold).filter(bool)


def _whole(anywhere: list[str], at_start: list[str], fallback: str) -> Marker:
    """The marker as made before: ``locate`` compiled with every spelling."""
    found = [trie_pattern(anywhere)] if anywhere else []
    found += [r"\b" + trie_pattern(at_start)] if at_start else []
    return Marker(re.compile("|".join(found)), fallback)


def test_the_wide_letters_are_the_ones_beyond_latin1() -> None:
    assert _WIDE == "āēīōū"
    assert all(c in original_pattern(fold(c)) for c in _WIDE)


@settings(max_examples=400, deadline=None)
@given(
    anywhere=st.lists(word, max_size=3),
    at_start=st.lists(word, max_size=4),
    texts=st.lists(text, min_size=1, max_size=4),
)
def test_highlights_and_snippets_are_those_of_the_whole_pattern(
    anywhere: list[str], at_start: list[str], texts: list[str]
) -> None:
    from kkr_tui.search.highlight import _marker

    if not anywhere and not at_start:
        return
    fallback = "|".join(f"(?:\\b\\w*?{original_pattern(w)}\\w*)" for w in anywhere + at_start)
    new, old = _marker(anywhere, at_start, fallback), _whole(anywhere, at_start, fallback)
    for t in texts:
        assert new.spans(t) == old.spans(t)
        assert new.first(t) == old.first(t)
        assert snippet(new, t, width=20) == snippet(old, t, width=20)


@settings(max_examples=200, deadline=None)
@given(words=st.lists(word, min_size=1, max_size=4), t=text)
def test_a_bilag_pages_highlights_are_those_of_the_whole_pattern(words: list[str], t: str) -> None:
    new = prefix_marker(words)
    assert new is not None
    old = _whole([], list(dict.fromkeys(words)), new.fallback)
    assert new.spans(t) == old.spans(t) and new.first(t) == old.first(t)


def test_a_text_with_a_wide_letter_is_searched_whole() -> None:
    from kkr_tui.search.highlight import _marker

    marker = _marker([], ["tokyo"], "")
    assert "ō" not in marker.locate.pattern and "ō" in marker.wide
    assert marker.spans("Tōkyō og Tokyo") == ((0, 5), (9, 14))
    assert marker.first("i Tōkyō") == 2


def test_a_pattern_not_starting_with_a_letter_is_led_by_its_first_letters() -> None:
    from kkr_tui.search.highlight import _marker

    assert _marker([], ["sundhed"], "").locate.pattern.startswith("[s](?<=")
    assert _marker(["okonomi"], [], "").locate.pattern.startswith("[oòóôõöø](?<=")
    # a pattern starting with a letter is skipped along by re already
    assert _marker(["sundhed"], [], "").locate.pattern.startswith("s[")
    # but not two of them as alternatives (a typo inside words, its near spellings)
    assert _marker(["sundhed"], ["sundhe", "kundhed"], "").locate.pattern.startswith("[ks](?<=")
