"""The bilag's own vocabulary (``bilag_terms``): every folded term of the bilag pages
with the number of pages it is on, kept in step as pages are stored, read again or
removed, filled for a store an older release wrote, and missed gracefully by a
read-only open of such a store."""

from __future__ import annotations

import re
import shutil
import sqlite3
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from store_factory import stored_bilag

from kkr_tui.search import SearchIndex
from kkr_tui.store import Store
from kkr_tui.textfold import fold

MEETING = {"council": "KKR Midtjylland", "meeting_date": "2025-03-12"}


@pytest.fixture
def tmp_db(tmp_path: Path) -> Path:
    """A database path in a folder that exists (conftest's is one level down)."""
    return tmp_path / "kkr.db"


def _recount(db: Path) -> dict[str, int]:
    """The page count of every term, from what ``bilag_fts`` itself indexes (FTS5's
    own vocabulary of it): what the table must say."""
    conn = sqlite3.connect(db)
    try:
        conn.execute("CREATE VIRTUAL TABLE temp.v USING fts5vocab(main, 'bilag_fts', 'row')")
        return dict(conn.execute("SELECT term, doc FROM temp.v").fetchall())
    finally:
        conn.close()


def _vocabulary(store: Store) -> dict[str, int]:
    rows = store.bilag_vocabulary()
    assert rows is not None
    assert [t for t, _ in rows] == sorted(t for t, _ in rows)
    return dict(rows)


def test_stored_pages_are_counted_per_page(tmp_db: Path) -> None:
    with Store(tmp_db) as store:
        stored_bilag(
            store,
            1,
            title="Notat",
            pages=["Vandløbsrestaurering og vandløbsrestaurering.", "Grundvand; vandløb."],
            **MEETING,
        )
        words = _vocabulary(store)
    assert words == {"vandlobsrestaurering": 1, "og": 1, "grundvand": 1, "vandlob": 1}
    assert words == _recount(tmp_db)


def test_a_bilag_read_again_takes_its_old_terms_out(tmp_db: Path) -> None:
    """Sync reads a changed bilag again from the start (``begin_bilag`` with its URL):
    its old pages' words leave the vocabulary; a page stored twice counts once."""
    with Store(tmp_db) as store:
        stored_bilag(store, 1, title="A", pages=["Klimaplan for vandet.", "Klimaplan."], **MEETING)
        stored_bilag(store, 2, title="B", pages=["Klimaplan og budget."], **MEETING)
        assert _vocabulary(store)["klimaplan"] == 3
        stored_bilag(store, 1, title="A", pages=["Sundhedsaftalen alene."], **MEETING)
        words = _vocabulary(store)
        assert words["klimaplan"] == 1
        assert "vandet" not in words and words["sundhedsaftalen"] == 1
        bilag_id = store.bilag_by_url("https://www.kl.dk/media/2/b.pdf")
        assert bilag_id is not None
        store.add_bilag_pages(bilag_id.id, [(1, "Budget uden plan.")])  # the page again
        words = _vocabulary(store)
    assert "klimaplan" not in words and words["budget"] == 1
    assert words == _recount(tmp_db)


def test_a_misspelt_word_only_a_bilag_uses_is_corrected_after_it_is_stored(
    tmp_db: Path,
) -> None:
    """The search's copy of the vocabulary follows the store: a bilag stored after the
    first search is corrected to, and one read again without the word no longer is."""
    with Store(tmp_db) as store:
        index = SearchIndex(store)
        assert index.bilag_hits("kystbeskytelsen", limit=5) == []
        stored_bilag(store, 1, title="Kyst", pages=["Om kystbeskyttelsen."], **MEETING)
        hits = index.bilag_hits("kystbeskytelsen", limit=5)
        assert [(h.bilag_title, h.bilag_words) for h in hits] == [("Kyst", ("kystbeskyttelsen",))]
        stored_bilag(store, 1, title="Kyst", pages=["Om noget andet."], **MEETING)
        assert index.bilag_hits("kystbeskytelsen", limit=5) == []


def test_a_bilag_only_prefix_finds_the_whole_word(tmp_db: Path) -> None:
    """A word being typed finds the bilag whose pages have a word it starts, a word no
    item has; the hit is marked on the whole word."""
    with Store(tmp_db) as store:
        stored_bilag(store, 1, title="Aftale", pages=["Den nye sundhedsaftale."], **MEETING)
        hits = SearchIndex(store).bilag_hits("sundhedsaft", limit=5)
    assert [(h.bilag_title, h.page) for h in hits] == [("Aftale", 1)]
    assert hits[0].snippet[slice(*hits[0].highlights[0])] == "sundhedsaftale"


def test_a_misspelt_word_being_typed_finds_the_bilag_word_it_starts(tmp_db: Path) -> None:
    """ "kystbeskytel" (a letter left out, the word not finished) is no bilag term, near
    none of its length, but near the start of one only a bilag has: the bilag is found,
    marked where that word starts; a short misspelt start is not guessed at."""
    with Store(tmp_db) as store:
        stored_bilag(store, 1, title="Kyst", pages=["Om kystbeskyttelsen."], **MEETING)
        stored_bilag(store, 2, title="Andet", pages=["Om kystbaner og skove."], **MEETING)
        index = SearchIndex(store)
        hits = index.bilag_hits("kystbeskytel", limit=5)
        assert [(h.bilag_title, h.bilag_words) for h in hits] == [("Kyst", ("kystbeskyttel",))]
        assert hits[0].snippet[slice(*hits[0].highlights[0])] == "kystbeskyttelsen"
        assert index.bilag_hits("kystb", limit=5)  # spelt right: both
        assert index.bilag_hits("kysbt", limit=5) == []


def test_only_the_closest_spellings_are_asked(tmp_db: Path) -> None:
    """A poor near spelling (ratio 80) beside a close one (98) is not asked: bm25 weighs
    the rarer word more, so its bilag came before those of the word meant."""
    with Store(tmp_db) as store:
        for n in range(3):
            stored_bilag(
                store, n, title=f"Statistik {n}", pages=["Statistikssamfundsudvikling."], **MEETING
            )
        stored_bilag(store, 9, title="Andet", pages=["Sidderssamfundsudvikling."], **MEETING)
        hits = SearchIndex(store).bilag_hits("statistiksamfundsudvikling", limit=5)
    assert sorted(h.bilag_title for h in hits) == ["Statistik 0", "Statistik 1", "Statistik 2"]


def _older_store(db: Path) -> None:
    """A store with bilag as the release before the bilag vocabulary left it."""
    with Store(db) as store:
        stored_bilag(store, 1, title="Kyst", pages=["Om kystbeskyttelsen.", "Kyst."], **MEETING)
        stored_bilag(store, 2, title="Vand", pages=["Vandløbsrestaurering."], **MEETING)
    conn = sqlite3.connect(db)
    conn.execute("DROP TABLE bilag_terms")
    conn.commit()
    conn.close()


def test_a_writable_open_of_an_older_store_fills_the_vocabulary(tmp_db: Path) -> None:
    _older_store(tmp_db)
    with Store(tmp_db) as store:
        words = _vocabulary(store)
        hits = SearchIndex(store).bilag_hits("kystbeskytelsen", limit=5)
    assert words == _recount(tmp_db) and words["kyst"] == 1
    assert [h.bilag_title for h in hits] == ["Kyst"]


def test_a_read_only_open_of_an_older_store_still_searches_its_bilag(
    tmp_db: Path, tmp_path: Path
) -> None:
    """No vocabulary and no way to make one: the bilag are found as before (spelt
    right, or misspelt from the items' words), the misspelt bilag-only word not, and
    nothing fails or is written."""
    _older_store(tmp_db)
    copy = tmp_path / "ro" / "copy.db"
    copy.parent.mkdir()
    shutil.copy(tmp_db, copy)
    before = copy.read_bytes()
    with Store(copy, read_only=True) as store:
        assert store.bilag_vocabulary() is None
        index = SearchIndex(store)
        assert [h.bilag_title for h in index.bilag_hits("kystbeskyttelsen", limit=5)] == ["Kyst"]
        assert index.bilag_hits("kystbeskytelsen", limit=5) == []
        assert index.answer("kystbeskytelsen", bilag=True).hits == []
    assert copy.read_bytes() == before


def test_the_vocabulary_is_an_expected_schema_object(tmp_db: Path) -> None:
    """Created by ``ensure_side_tables``: a fresh store has it and its own safety check
    does not call it foreign when the store is opened again."""
    with Store(tmp_db):
        pass
    conn = sqlite3.connect(tmp_db)
    names = {n for (n,) in conn.execute("SELECT name FROM sqlite_master")}
    conn.close()
    assert "bilag_terms" in names
    with Store(tmp_db, read_only=True) as store:
        assert store.bilag_vocabulary() == []


@pytest.mark.parametrize("pages", [["Én side."], ["Første side.", "Anden side, anden."]])
def test_the_counts_are_pages_per_folded_word(tmp_db: Path, pages: list[str]) -> None:
    with Store(tmp_db) as store:
        stored_bilag(store, 1, title="T", pages=pages, **MEETING)
        words = _vocabulary(store)
    assert words == Counter(w for page in pages for w in set(re.findall(r"\w+", fold(page))))


def test_the_page_bound_is_the_vocabulary_s_counts(tmp_db: Path) -> None:
    with Store(tmp_db) as store:
        stored_bilag(store, 1, title="A", pages=["Klimaplan og vand.", "Klimaplanen."], **MEETING)
        stored_bilag(store, 2, title="B", pages=["Vand og klimaplan."], **MEETING)
        at_most = store.bilag_pages_at_most
        assert at_most([[("klimaplan", False)]]) == 2  # the whole word
        assert at_most([[("klimaplan", True)]]) == 3  # and klimaplanen
        assert at_most([[("klimaplan", True)], [("vand", False)]]) == 2
        assert at_most([[("og", False), ("vand", False)]]) == 4  # summed: a bound
        assert at_most([[("kyst", True)], [("vand", False)]]) == 0
        assert at_most([[("a b", False)]]) is None  # FTS5 would read two words


@pytest.mark.parametrize(
    "match",
    ['"klimaplan"*', '"vand"', '"klimaplan"* AND "vand"', '("kyst"* OR "vand")', '"nej"*'],
)
def test_few_pages_ranked_in_one_pass_give_the_counted_answer(tmp_db: Path, match: str) -> None:
    """The one-pass plan (the bound within RANK_ALL) is the two-pass plan's answer:
    the same bilag, pages, ranks and counts of matching pages, with or without filters."""
    with Store(tmp_db) as store:
        for n in range(6):
            stored_bilag(
                store,
                n,
                title=f"B{n}",
                pages=["Klimaplan og vand. " * (n + 1), "Kyst.", "Vand, vand og klimaplanen."][
                    : 1 + n % 3
                ],
                council="KKR Midtjylland" if n % 2 else "KKR Nordjylland",
                meeting_date=f"202{n % 3}-03-12",
            )
        filters: list[dict[str, Any]] = [{}, {"councils": ["KKR Midtjylland"]}, {"year": 2021}]
        for given in filters:
            counted = store.search_bilag(match, limit=4, **given)
            assert counted or match == '"nej"*'
            assert store.search_bilag(match, limit=4, at_most=1, **given) == counted
