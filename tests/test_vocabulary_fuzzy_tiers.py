"""The tiered typo look-up: terms of several items first, every term when they are
not enough, against the flat look-up and a brute-force reading of its rules."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from rapidfuzz import fuzz

from kkr_tui.search import Vocabulary


def _ranked(vocab: Vocabulary, word: str, several_only: bool) -> list[str]:
    """Every term the flat look-up's rules let through, best first (score, then
    alphabetically): first or second letter, cut-off, length, no leading digit."""
    cutoff = 80 if len(word) >= 6 else 75
    found = []
    for i, term in enumerate(vocab.terms):
        if several_only and vocab.docs[i] < 2:
            continue
        letters = term[:1] == word[0] or (len(word) > 1 and term[1:2] == word[1])
        score = fuzz.ratio(word, term)
        if (
            letters
            and score >= cutoff
            and max(3, len(word) - 2) <= len(term) <= len(word) + 3
            and not term[0].isdigit()
        ):
            found.append((-score, term))
    return [term for _, term in sorted(found)]


def _check(vocab: Vocabulary, word: str, limit: int) -> None:
    every, several = _ranked(vocab, word, False), _ranked(vocab, word, True)
    flat = vocab.fuzzy_every_term(word, limit)
    assert flat == every[:limit]
    tiered = vocab.fuzzy(word, limit)
    # The exact condition of the docstring: the fallback when fewer than ``limit``
    # terms of several items pass, and then the flat answer.
    assert tiered == (several[:limit] if len(several) >= limit else flat)
    one_item = {t for i, t in enumerate(vocab.terms) if vocab.docs[i] < 2}
    if not one_item & set(flat):
        assert tiered == flat


ROWS = [
    ("budget", 40),
    ("budgets", 3),
    ("budgetter", 2),
    ("budgte", 1),
    ("budgete", 1),
    ("bydget", 1),
    ("kommune", 90),
    ("kommunen", 50),
    ("kommuner", 30),
    ("kommunes", 9),
    ("kommunne", 1),
    ("kommunerne", 12),
    ("straße", 1),
    ("strasse", 2),
    ("østerbro", 1),
    ("østerbrogade", 3),
]


def test_a_word_with_few_frequent_near_spellings_falls_back_to_every_term() -> None:
    vocab = Vocabulary.from_rows(sorted(ROWS))
    # Three terms of several items pass for "budgt"; with 6 asked for, the one-item
    # spellings come in too, exactly as the flat look-up ranks them.
    assert vocab.fuzzy("budgt", 6) == vocab.fuzzy_every_term("budgt", 6)
    assert "budgte" in vocab.fuzzy("budgt", 6)
    # The one-item "østerbro" comes back through the fallback ("østerbrogade", of
    # three items, is too long to count as a typo of a seven-letter word).
    assert vocab.fuzzy("østrbro", 6) == ["østerbro"]
    assert vocab.fuzzy("strase", 6) == vocab.fuzzy_every_term("strase", 6)
    for word in ["budgt", "komunne", "kommunr", "strase", "østrbro", "xyzzy"]:
        for limit in (1, 2, 3, 6):
            _check(vocab, word, limit)


def test_enough_frequent_near_spellings_answer_without_one_item_terms() -> None:
    vocab = Vocabulary.from_rows(sorted(ROWS))
    # "kommunne" (one item) is the flat look-up's best spelling of "komunne", but
    # three terms of several items pass, which is enough for a limit of 3.
    assert "kommunne" in vocab.fuzzy_every_term("komunne", 3)
    assert vocab.fuzzy("komunne", 3) == _ranked(vocab, "komunne", True)[:3]
    assert "kommunne" not in vocab.fuzzy("komunne", 3)
    assert "kommunne" in vocab.fuzzy("komunne", 6), "fewer than 6 frequent: fallback"


_TERM = st.text(alphabet="abdeøs", min_size=3, max_size=8)


@settings(max_examples=150, deadline=None)
@given(
    rows=st.dictionaries(_TERM, st.integers(min_value=1, max_value=3), min_size=1, max_size=30),
    word=st.text(alphabet="abdeøs", min_size=4, max_size=7),
    limit=st.integers(min_value=1, max_value=6),
)
def test_tiered_equals_flat_by_the_stated_condition(
    rows: dict[str, int], word: str, limit: int
) -> None:
    _check(Vocabulary.from_rows(sorted(rows.items())), word, limit)
