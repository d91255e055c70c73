"""The search vocabulary: loaded in pages and steps, the same as loaded at once."""

from __future__ import annotations

import pytest
from store_factory import make_meeting

from kkr_tui.search import SearchIndex, Vocabulary, loading
from kkr_tui.store import Store


@pytest.fixture
def store(corpus_store: Store) -> Store:
    return corpus_store


def test_pages_cover_the_vocabulary_once_in_order(store: Store) -> None:
    every = store.vocabulary()
    paged, after = [], None
    while page := store.vocabulary_page(after, 7):
        paged += page
        after = page[-1][0]
    assert paged == every
    assert len(every) > 50


def test_vocabulary_in_small_pages_equals_one_page(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    index = SearchIndex(store)
    whole = Vocabulary.from_rows(store.vocabulary())
    monkeypatch.setattr(loading, "VOCABULARY_PAGE", 5)
    paged = index.vocabulary()
    assert paged.terms == whole.terms
    assert paged.docs == whole.docs
    assert paged.frequent == whole.frequent
    assert list(paged.by_docs()) == list(whole.by_docs())
    assert paged.initials == whole.initials
    for word in ["okonomi", "uddannelse", "kommune", "reform", "borger"]:
        assert paged.infix(word, 10) == whole.infix(word, 10)
        assert paged.completions(word, 5) == whole.completions(word, 5)
        assert paged.fuzzy(word + "x", 6) == whole.fuzzy(word + "x", 6)


def test_by_docs_is_most_frequent_first_then_alphabetical() -> None:
    rows = sorted([("b", 1), ("a", 1), ("c", 4), ("d", 2), ("e", 4), ("f", 1)])
    vocab = Vocabulary.from_rows(rows)
    assert list(vocab.by_docs()) == ["c", "e", "d", "a", "b", "f"]
    assert list(vocab.frequent) == ["c", "e", "d"], "only the terms of several items twice"


def test_prepare_step_loads_in_steps_then_search_uses_it(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    index = SearchIndex(store)
    monkeypatch.setattr(loading, "VOCABULARY_PAGE", 20)
    pages = -(-len(store.vocabulary()) // 20)
    steps = 1
    while not index.prepare_step():
        steps += 1
    assert steps > pages, "a step per page, then the finishing slices"
    ready = index.vocabulary()
    assert index.prepare_step() is True
    assert index.vocabulary() is ready
    assert index.search("sundhedsreform")


def test_a_search_finishes_a_half_done_load(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    index = SearchIndex(store)
    expected = [h.item_id for h in index.search("uddannelse")]
    store.save_document(
        make_meeting([("3.9", "Fjernvarmeplan", None, {})], date="2025-10-02"),
        path="/other.pdf",
        sha256="other",
        parser_version="1",
    )
    monkeypatch.setattr(loading, "VOCABULARY_PAGE", 20)
    assert index.prepare_step() is False
    assert index.prepare_step() is False
    assert [h.title for h in index.search("fjernvarme")] == ["Fjernvarmeplan"]
    assert [h.item_id for h in index.search("uddannelse")] == expected
    assert index.prepare_step() is True


def test_a_document_stored_during_a_load_starts_it_again(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The new document's term sorts before the pages already read, so only a fresh
    load can have it."""
    index = SearchIndex(store)
    monkeypatch.setattr(loading, "VOCABULARY_PAGE", 20)
    assert index.prepare_step() is False
    assert index.prepare_step() is False
    store.save_document(
        make_meeting([("3.9", "0000 Fjernvarmeplan", None, {})], date="2025-10-02"),
        path="/other.pdf",
        sha256="other",
        parser_version="1",
    )
    while not index.prepare_step():
        pass
    assert index.vocabulary().has("0000")


def _frequency_order(rows: list[tuple[str, int]]) -> list[str]:
    """Every term most frequent first, alphabetical among equals: what the look-ups read
    in, spelled out plainly (the vocabulary keeps only the terms of several items in
    this order and reads the rest off the sorted terms)."""
    return [t for t, _ in sorted(rows, key=lambda r: (-r[1], r[0]))]


@pytest.mark.parametrize("scan_above", [0, 2048])
def test_look_ups_read_the_frequency_order(
    store: Store, monkeypatch: pytest.MonkeyPatch, scan_above: int
) -> None:
    """Completions (ranked, or read off the frequency order for a long prefix range) and
    infixes give what a plain walk over every term in frequency order gives."""
    from kkr_tui.search import vocabulary

    monkeypatch.setattr(vocabulary, "SCAN_COMPLETIONS_ABOVE", scan_above)
    rows = store.vocabulary()
    vocab = Vocabulary.from_rows(rows)
    order = _frequency_order(rows)
    assert list(vocab.by_docs()) == order
    words = ["s", "sun", "ko", "kommune", "reform", "borger", "okonomi", "a", "uddann", "qqq"]
    for word in words:
        for limit in (1, 5, 40):
            starting = [t for t in order if t.startswith(word)][:limit]
            if vocab.has(word) and word not in starting:
                starting[-1] = word  # what the user typed is always kept
            assert vocab.completions(word, limit) == starting, (word, limit)
            inside = [t for t in order if word in t[1:]][:limit]
            assert vocab.infix(word, limit) == inside, (word, limit)


def _fuzzy_over_strings(vocab: Vocabulary, word: str, limit: int) -> list[str]:
    """Vocabulary.fuzzy as it read before the terms were scored as bytes: every range
    of the sorted terms decoded to strings."""
    from rapidfuzz import fuzz, process

    cutoff = 80 if len(word) >= 6 else 75
    ranges = [vocab._range(word[0])]
    if len(word) > 1:
        ranges += [vocab._range(c + word[1]) for c in vocab.initials if c != word[0]]
    found = []
    for lo, hi in ranges:
        for term, score, _ in process.extract(
            word, vocab.terms.span(lo, hi), scorer=fuzz.ratio, score_cutoff=cutoff, limit=None
        ):
            if max(3, len(word) - 2) <= len(term) <= len(word) + 3 and not term[0].isdigit():
                found.append((-score, term))
    found.sort()
    return [term for _, term in found[:limit]]


def test_fuzzy_scores_bytes_as_it_scored_strings(store: Store) -> None:
    """ASCII ranges are scored as bytes, others as strings: the same near spellings,
    with terms beyond ASCII in the vocabulary and in the query."""
    rows = store.vocabulary() + [
        ("straße", 1),
        ("strasse", 2),
        ("østerbro", 1),
        ("sundhedsreformé", 1),
    ]
    vocab = Vocabulary.from_rows(sorted(rows))
    for word in [
        "sundhedsrefrom",
        "kommnue",
        "okonmoi",
        "strase",
        "straßee",
        "østrbro",
        "uddanelse",
    ]:
        assert vocab.fuzzy(word, 6) == _fuzzy_over_strings(vocab, word, 6), word
    assert vocab.fuzzy("straßee", 6)
