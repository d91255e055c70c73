"""A typo's wide stage looks for the word inside the terms of several items only,
exactly as the docstring of ``Word.widen`` states; other words look in every term."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from kkr_tui.search import Vocabulary
from kkr_tui.search.expand import MAX_INFIX_TERMS, expand

ROWS = [
    ("budget", 40),
    ("budgetter", 2),
    ("arsbudgte", 1),  # one item, holds the typo "budgte"
    ("xbudgtex", 3),  # several items, holds it too
    ("overbudget", 1),  # one item, holds "budget"
    ("amnopqr", 1),  # one item, holds a fragment no term starts with and nothing is near
]


def _inside(vocab: Vocabulary, word: str, limit: int, single: bool) -> list[str]:
    """Brute force: the terms with ``word`` after their first letter, most frequent
    first (alphabetical among equals), those of one item only when ``single``."""
    docs = dict(zip(vocab.terms, vocab.docs, strict=True))
    order = sorted(vocab.terms, key=lambda t: (-docs[t], t))
    return [t for t in order if word in t[1:] and (single or docs[t] >= 2)][:limit]


def test_a_typo_looks_inside_terms_of_several_items_only() -> None:
    vocab = Vocabulary.from_rows(sorted(ROWS))
    typo = expand(vocab, "budgte")
    assert not typo.prefix and "budget" in typo.fuzzy
    assert typo.widen(vocab) == ["xbudgtex"], "the one-item 'arsbudgte' is left out"
    assert vocab.infix("budgte", MAX_INFIX_TERMS) == ["xbudgtex", "arsbudgte"]


def test_other_words_look_inside_every_term() -> None:
    vocab = Vocabulary.from_rows(sorted(ROWS))
    word = expand(vocab, "budget")  # a term: no near spellings are looked for
    assert word.prefix and word.widen(vocab) == ["overbudget"]
    nothing_near = expand(vocab, "mnopq")  # no prefix, no near spelling: widened at once
    assert not nothing_near.fuzzy and nothing_near.infix == ["amnopqr"]


_TERM = st.text(alphabet="abdes", min_size=1, max_size=8)


@settings(max_examples=150, deadline=None)
@given(
    rows=st.dictionaries(_TERM, st.integers(min_value=1, max_value=3), min_size=1, max_size=30),
    word=st.text(alphabet="abdes", min_size=4, max_size=6),
    limit=st.integers(min_value=1, max_value=8),
)
def test_widen_is_the_stated_set(rows: dict[str, int], word: str, limit: int) -> None:
    vocab = Vocabulary.from_rows(sorted(rows.items()))
    assert vocab.infix(word, limit) == _inside(vocab, word, limit, True)
    assert vocab.infix(word, limit, single=False) == _inside(vocab, word, limit, False)
    expanded = expand(vocab, word)
    typo = not expanded.prefix and bool(expanded.fuzzy)
    assert expanded.widen(vocab) == _inside(vocab, word, MAX_INFIX_TERMS, not typo)
