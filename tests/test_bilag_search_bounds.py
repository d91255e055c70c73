"""Bilag search with bounded work: exact while few pages match, and for a word on more
pages than it ranks, the bilag the word is most about (the newest meeting first among
equals), each still at its best page and with the true count of its matching pages.

The bounds are passed small here (``rank_all``) so a dozen pages exercise what a word on
10,000 pages of a large archive does; ``bench/README.md`` has the figures.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from store_factory import stored_bilag

from kkr_tui.search import SearchIndex
from kkr_tui.store import Store

#: (council, meeting date, title, pages): "vand" is on every page of the water
#: reports (three times on page 2 of the first), on one page of each other bilag;
#: "drikkevand" on page 2 of the first report only.
BILAG = [
    (
        "KKR Midtjylland",
        "2024-03-12",
        "Vandrapport 2024",
        ["Vand og grundvand.", "Vand, vand og mere vand: drikkevand.", "Vand i åerne."],
    ),
    (
        "KKR Sjælland",
        "2025-02-05",
        "Vandrapport 2025",
        ["Vand i søerne.", "Vand ved kysten.", "Vand og klima."],
    ),
    (
        "KKR Nordjylland",
        "2023-06-01",
        "Budgetnotat",
        ["Budget og økonomi.", "Økonomi og vand.", "Budget igen.", "Økonomi igen."],
    ),
    (
        "KKR Syddanmark",
        "2025-09-10",
        "Trafikplan",
        ["Busser og tog.", "Tog og vand.", "Veje.", "Cykler.", "Færger."],
    ),
]


def _store(path: Path) -> Store:
    path.parent.mkdir(parents=True, exist_ok=True)
    store = Store(path)
    for n, (council, date, title, pages) in enumerate(BILAG):
        stored_bilag(store, n, council=council, meeting_date=date, title=title, pages=pages)
    return store


@pytest.fixture
def store(tmp_db: Path):
    with _store(tmp_db) as opened:
        yield opened


def _seen(hits) -> list[tuple[str, int, int]]:
    return [(h.bilag.title, h.page, h.matched) for h in hits]


def test_few_matching_pages_are_ranked_exactly(store: Store) -> None:
    # 9 pages have "vand": under the bound, every one is ranked.
    exact = store.search_bilag('"vand"*', limit=10, rank_all=10**9)
    assert _seen(store.search_bilag('"vand"*', limit=10)) == _seen(exact)
    assert [t for t, _, _ in _seen(exact)][0] == "Vandrapport 2024"  # three times on page 2
    assert ("Vandrapport 2024", 2, 3) in _seen(exact)


def test_a_word_on_more_pages_than_are_ranked_finds_what_it_is_about(store: Store) -> None:
    """Past the bound, the bilag the word is on most of the pages of come first to be
    ranked (newest meeting first among equals); the others are left out."""
    hits = store.search_bilag('"vand"*', limit=2, rank_all=3)
    assert {h.bilag.title for h in hits} == {"Vandrapport 2024", "Vandrapport 2025"}
    # Each still opens at its best page and counts all its matching pages.
    assert ("Vandrapport 2024", 2, 3) in _seen(hits)
    exact = {h.bilag.title: (h.page, h.matched) for h in store.search_bilag('"vand"*', limit=9)}
    assert all(exact[h.bilag.title] == (h.page, h.matched) for h in hits)
    # Both reports have "vand" on every page: the newer meeting is ranked first,
    # so with room for one bilag only it is the one shown.
    (only,) = store.search_bilag('"vand"*', limit=1, rank_all=1)
    assert only.bilag.title == "Vandrapport 2025"


def test_filters_hold_before_the_bound(store: Store) -> None:
    """A council, a year or a date narrows the pages before any are counted or ranked:
    an old meeting's bilag is found even when a common word is on newer pages."""
    hits = store.search_bilag('"vand"*', limit=5, councils=["KKR Nordjylland"], rank_all=1)
    assert _seen(hits) == [("Budgetnotat", 2, 1)]
    hits = store.search_bilag('"vand"*', limit=5, year=2023, rank_all=1)
    assert _seen(hits) == [("Budgetnotat", 2, 1)]
    hits = store.search_bilag('"vand"*', limit=5, dates=("2025-09-01", "2025-09-30"), rank_all=1)
    assert _seen(hits) == [("Trafikplan", 2, 1)]
    assert store.search_bilag('"vand"*', limit=5, dates=("2022-01-01", "2022-12-31")) == []


def test_the_newest_stored_pages_are_counted_when_too_many_match(store: Store) -> None:
    """``scan_max`` bounds the counting to the newest stored matching pages: the
    oldest-stored bilag drops out rather than the search taking ever longer."""
    hits = store.search_bilag('"vand"*', limit=9, scan_max=2)
    assert {h.bilag.title for h in hits} == {"Trafikplan", "Budgetnotat"}
    assert len(store.search_bilag('"vand"*', limit=9)) == 4


def test_one_hit_a_bilag_at_its_page_through_the_search(store: Store) -> None:
    hits = SearchIndex(store).bilag_hits("drikkevand", limit=12)
    assert [(h.bilag_title, h.page, h.bilag_matches) for h in hits] == [("Vandrapport 2024", 2, 1)]
    assert hits[0].snippet[slice(*hits[0].highlights[0])] == "drikkevand"
    titles = [h.bilag_title for h in SearchIndex(store).bilag_hits("vand", limit=12)]
    assert sorted(titles) == sorted(t for _, _, t, _ in BILAG)  # one hit each


def test_a_database_without_the_owner_index_answers_the_same(tmp_db: Path) -> None:
    """A database written before ``bilag_pages_owner`` existed, opened read-only (so
    the index cannot be added), gives the same answer by the plain look-up."""
    with _store(tmp_db) as store:
        expected = _seen(store.search_bilag('"vand"*', limit=9))
        store._conn.execute("DROP INDEX bilag_pages_owner")
    with Store(tmp_db, read_only=True) as store:
        assert _seen(store.search_bilag('"vand"*', limit=9)) == expected
    with Store(tmp_db) as store:  # a writable open adds it again
        assert store._conn.execute(
            "SELECT 1 FROM sqlite_master WHERE name = 'bilag_pages_owner'"
        ).fetchone()
