"""A misspelt word finds bilag too: when the words are on no bilag page, a word no bilag
term starts with is asked as its near spellings in the bilag's own vocabulary, the
word itself kept; the hit carries the words as its page has them, so the bilag opens
with them marked and found. A word is never corrected when the words already match."""

from __future__ import annotations

import pytest
from store_factory import stored_bilag

from kkr_tui.search import SearchIndex
from kkr_tui.search.bilag import bilag_match
from kkr_tui.store import Store

#: Bilag of the corpus store's meetings: (title, pages).
BILAG = [
    (
        "Notat om sundhedsreformen",
        ["Indledning om klyngerne.", "Sundhedsreformen og klyngerne i regionen."],
    ),
    ("Vandløbsrapport", ["Vandløbsrestaurering ved Silkeborg."]),
    ("Budget", ["Sundhedsreform nævnt her uden andet."]),
]


@pytest.fixture
def store(corpus_store: Store) -> Store:
    for n, (title, pages) in enumerate(BILAG):
        stored_bilag(
            corpus_store,
            n,
            council="KKR Midtjylland",
            meeting_date="2025-03-12",
            title=title,
            pages=pages,
        )
    return corpus_store


def _found(store: Store, query: str) -> list[tuple[str | None, int | None, tuple[str, ...]]]:
    return [
        (h.bilag_title, h.page, h.bilag_words)
        for h in SearchIndex(store).bilag_hits(query, limit=12)
    ]


def test_a_misspelt_word_finds_the_bilag_at_the_page_with_the_word(store: Store) -> None:
    hits = SearchIndex(store).bilag_hits("klyngerne sundhedsrefromen", limit=12)
    assert [(h.bilag_title, h.page) for h in hits] == [("Notat om sundhedsreformen", 2)]
    # The words as the page has them: what the bilag view marks and finds.
    assert hits[0].bilag_words == ("klyngerne", "sundhedsreformen")
    assert hits[0].snippet[slice(*hits[0].highlights[0])] == "Sundhedsreformen"
    # The same bilag and page as the word spelt right.
    right = SearchIndex(store).bilag_hits("klyngerne sundhedsreformen", limit=12)
    assert [(h.bilag_id, h.page) for h in right] == [(h.bilag_id, h.page) for h in hits]


def test_the_answer_with_bilag_has_the_corrected_bilag_after_the_items(store: Store) -> None:
    hits = SearchIndex(store).answer("sundhedsrefrom", limit=20, bilag=True).hits
    bilag = [h for h in hits if h.kind == "bilag"]
    assert [(h.bilag_title, h.page) for h in bilag][:1] == [("Notat om sundhedsreformen", 2)]
    assert hits[0].kind != "bilag"  # the items' own typo tolerance, first


def test_words_that_match_are_never_corrected(store: Store) -> None:
    # "sundhedsreform" starts a word on two bilag's pages: nothing is asked beside it.
    assert sorted(_found(store, "sundhedsreform")) == [
        ("Budget", 1, ("sundhedsreform",)),
        ("Notat om sundhedsreformen", 2, ("sundhedsreform",)),
    ]


def test_a_misspelt_word_only_bilag_use_is_corrected(store: Store) -> None:
    """The near spellings come from the bilag's own vocabulary: a word no item has
    ("vandløbsrestaurering"), misspelt, finds its bilag, opened with the word as the
    page has it."""
    index = SearchIndex(store)
    assert not index.vocabulary().has_prefix("vandlobsrest")  # only a bilag has it
    assert _found(store, "vandløbsrestaurering") == [
        ("Vandløbsrapport", 1, ("vandlobsrestaurering",))
    ]
    assert _found(store, "vandløbsrestaurerign") == [
        ("Vandløbsrapport", 1, ("vandlobsrestaurering",))
    ]


def test_a_document_type_filter_still_leaves_bilag_out(store: Store) -> None:
    assert _found(store, "sundhedsrefromen type:referat") == []


def test_near_spellings_are_alternatives_and_covered_prefixes_left_out() -> None:
    near = {"okonmi": ["okonomi", "okonomien", "okonomisk"]}
    assert bilag_match(["okonmi", "budget"], near) == ('("okonmi"* OR "okonomi"*) AND "budget"*')
    assert bilag_match(["eu"], {"eu": ["euro"]}) == '("eu" OR "euro"*)'
