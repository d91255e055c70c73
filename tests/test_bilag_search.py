"""Bilag in search: one hit a bilag at its best page, the query's filters and dates
holding for them, after the items; in the reader marked "Bilag", and Enter opens the
bilag at that page with the words marked (Pilot)."""

from __future__ import annotations

from pathlib import Path
from tempfile import TemporaryDirectory

import pytest
from app_fixtures import make_app, screen_text, search_for, settle
from pdf_factory import build_meeting_pdf
from sync_fixtures import sync, write_config
from sync_site import Site

from kkr_tui.search import SearchIndex
from kkr_tui.store import Store

SIZE = (120, 40)
#: A long report: one word on page 4 only, another on every page.
REPORT = [
    f"Rapport om vandmiljø\n\nSide {n} af 6.\nGrundvand og drikkevand beskyttes (afsnit {n}).\n"
    + ("Vandløbsrestaurering ved Silkeborg er det vigtigste.\n" if n == 4 else "")
    for n in range(1, 7)
]


def _pdf(pages: list[str]) -> bytes:
    with TemporaryDirectory() as folder:
        return build_meeting_pdf(Path(folder) / "r.pdf", pages).read_bytes()


@pytest.fixture(scope="module")
def synced(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Two councils' meetings with bilag, synced once: Midtjylland 12.03.2025 (a 6-page
    report tied to item 2.1, a note tied to it too, an annual report tied to no item)
    and Sjælland 05.02.2025 (one bilag)."""
    root = tmp_path_factory.mktemp("bilag-search")
    write_config(root / "config")
    site = Site()
    meeting = site.add_meeting(
        "midtjylland",
        "2025-03-12",
        minutes=True,
        bilag=("Bilag 2.1 Klimaplan for regionen", "Notat om drikkevand", "Årsberetning"),
    )
    meeting.links[2].body = _pdf(REPORT)
    site.add_meeting("sjaelland", "2025-02-05", bilag=("Notat om grundvand",))
    site.start()
    db = root / "db" / "kkr.db"
    import os

    old = os.environ.get("XDG_CONFIG_HOME")
    os.environ["XDG_CONFIG_HOME"] = str(root / "config")
    try:
        assert sync(site, db) == 0
    finally:
        site.stop()
        if old is None:
            del os.environ["XDG_CONFIG_HOME"]
        else:
            os.environ["XDG_CONFIG_HOME"] = old
    return db


def _bilag(hits):
    return [h for h in hits if h.kind == "bilag"]


def test_a_bilag_is_one_hit_at_its_best_page(synced: Path) -> None:
    with Store(synced) as store:
        hits = SearchIndex(store).search("vandløbsrestaurering", bilag=True)
        assert [(h.bilag_title, h.page, h.bilag_matches) for h in hits] == [
            ("Bilag 2.1 Klimaplan for regionen", 4, 1)
        ]
        hit = hits[0]
        assert hit.number == "2.1" and hit.title == "Klimaplan og vand" and hit.item_id > 0
        assert hit.snippet[slice(*hit.highlights[0])] == "Vandløbsrestaurering"
        assert hit.bilag_words == ("vandlobsrestaurering",)
        # A word on every page of every bilag: one hit a bilag, with its page count.
        found = _bilag(SearchIndex(store).search("grundvand", bilag=True))
        assert sorted((h.bilag_title, h.bilag_matches) for h in found) == [
            ("Bilag 2.1 Klimaplan for regionen", 6),
            ("Notat om drikkevand", 2),
            ("Notat om grundvand", 2),
            ("Årsberetning", 2),
        ]


def test_items_come_first_and_bilag_are_limited(synced: Path) -> None:
    with Store(synced) as store:
        hits = SearchIndex(store).search("drikkevand", limit=8, bilag=True)
        kinds = [h.kind for h in hits]
        assert kinds[0] != "bilag" and "bilag" in kinds
        first_bilag = kinds.index("bilag")
        assert all(k == "bilag" for k in kinds[first_bilag:]), kinds
        assert len(_bilag(hits)) <= 3  # a quarter of 8, at least 3
        assert len(_bilag(SearchIndex(store).search("grundvand", limit=4, bilag=True))) == 3


@pytest.mark.parametrize(
    ("query", "councils"),
    [
        ("grundvand council:midt", {"KKR Midtjylland"}),
        ("grundvand council:sjael", {"KKR Sjælland"}),
        ("grundvand i midtjylland", {"KKR Midtjylland"}),
        ("grundvand 12.03.2025", {"KKR Midtjylland"}),
        ("marts 2025 grundvand", {"KKR Midtjylland"}),
        ("grundvand februar 2025", {"KKR Sjælland"}),
        ("grundvand januar 2025", set()),
        ("grundvand year:2025", {"KKR Midtjylland", "KKR Sjælland"}),
        ("grundvand type:referat", set()),
    ],
)
def test_filters_and_dates_hold_for_bilag(synced: Path, query: str, councils: set[str]) -> None:
    with Store(synced) as store:
        found = _bilag(SearchIndex(store).search(query, bilag=True))
    assert {h.council for h in found} == councils


async def test_the_readers_search_lists_bilag_and_opens_one_at_the_page(
    synced: Path, tmp_path: Path
) -> None:
    from kkr_tui.app.screens.bilag import BilagScreen
    from kkr_tui.app.screens.search import SearchScreen

    app = make_app(synced, config_path=tmp_path / "config.toml")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = await search_for(pilot, "silkeborg vandløbsrestaurering")
        assert [h.kind for h in screen.hits] == ["bilag"]
        text = screen_text(app)
        assert " Bilag   2.1 Klimaplan og vand — Bilag 2.1 Klimaplan for regionen, s. 4" in text
        assert "1 hit · Enter åbner · Esc tilbage · 1 i bilag, efter punkterne" in text
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, BilagScreen)
        view = app.screen
        assert view.page == 4 and view.marks == 2  # both words, on the page's one line
        facts = "Side 4 af 6 · „Vandløbsrestaurering“ „Silkeborg“ markeret, n: næste side"
        assert facts in screen_text(app)
        await pilot.press("escape")
        await settle(pilot)
        # Behind the bilag the reader shows the item it belongs to.
        assert not isinstance(app.screen, (BilagScreen, SearchScreen))
        assert app.current_item is not None and app.current_item.number == "2.1"
        screen = await search_for(pilot, "drikkevand")
        kinds = [h.kind for h in screen.hits]
        assert kinds.index("bilag") > 0 and set(kinds[kinds.index("bilag") :]) == {"bilag"}
        assert any(h.bilag_matches == 6 for h in screen.hits)
        # n on an opened bilag goes to the next page with the words.
        report = next(h for h in screen.hits if h.bilag_matches == 6)
        screen.query_one("OptionList").highlighted = screen.hits.index(report)
        await pilot.press("enter")
        await settle(pilot)
        view = app.screen
        assert isinstance(view, BilagScreen)
        first = view.page
        await pilot.press("n")
        await settle(pilot)
        assert view.page == first % 6 + 1 and view.marks >= 1


def test_the_bilag_alone_are_what_a_whole_answer_adds(synced: Path) -> None:
    """The reader asks the items first and the bilag after them: the second step finds
    exactly the bilag the one-step answer (kkr-tui search) puts after the items."""
    with Store(synced) as store:
        index = SearchIndex(store)
        for query in [
            "drikkevand",
            "grundvand council:midt",
            "marts 2025 grundvand",
            "grundvand i sjælland",
            "grundvand type:referat",
            "grundvand year:20x",
            "SAG-2025-00002",
            "2.1",
        ]:
            whole = _bilag(index.answer(query, limit=48, bilag=True).hits)
            alone = index.bilag_hits(query, limit=12)
            assert [(h.bilag_id, h.page) for h in alone] == [(h.bilag_id, h.page) for h in whole]
        assert index.bilag_hits("grundvand", limit=12)
        assert not _bilag(index.answer("grundvand").hits)  # only when asked


async def test_enter_before_the_hits_arrive_opens_a_bilag_when_only_bilag_match(
    synced: Path, tmp_path: Path
) -> None:
    from kkr_tui.app.screens.bilag import BilagScreen

    app = make_app(synced, config_path=tmp_path / "config.toml")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("slash")
        await pilot.pause()
        app.screen.query_one("Input").value = "silkeborg vandløbsrestaurering"
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, BilagScreen) and app.screen.page == 4
