"""Bilag search: words of three letters or more match as word starts, shorter ones whole.

A one- or two-letter prefix makes FTS5 merge the lists of every term that starts with
it ("s"* on 40,000 bilag pages took seconds, bench/README.md), and says little of what
a reader looks for; the test stores a bilag directly and asks the search as the CLI does.
"""

from __future__ import annotations

from pathlib import Path

from store_factory import stored_bilag

from kkr_tui.search import SearchIndex
from kkr_tui.search.bilag import bilag_match
from kkr_tui.store import Store


def _bilag_titles(store: Store, query: str) -> list[str]:
    hits = SearchIndex(store).answer(query, limit=20, bilag=True).hits
    return [hit.bilag_title or "" for hit in hits if hit.kind == "bilag"]


def test_short_words_match_whole_words_and_longer_ones_word_starts(tmp_db: Path) -> None:
    tmp_db.parent.mkdir(parents=True)
    with Store(tmp_db) as store:
        stored_bilag(
            store,
            0,
            council="KKR Midtjylland",
            meeting_date="2025-03-12",
            title="Notat om afgørelser",
            pages=["Afgørelser om EU-midler og grundvand i regionen."],
        )
        assert _bilag_titles(store, "afgør") == ["Notat om afgørelser"]
        assert _bilag_titles(store, "grundv regionen") == ["Notat om afgørelser"]
        assert _bilag_titles(store, "eu") == ["Notat om afgørelser"]  # a whole short word
        assert _bilag_titles(store, "af") == []  # not every word that starts with "af"
        assert _bilag_titles(store, "g") == []


def test_the_match_expression() -> None:
    assert bilag_match(["s", "sundh", "af", 'x"yz', 'e"u']) == (
        '"s" AND "sundh"* AND "af" AND "xyz"* AND "eu"'
    )
