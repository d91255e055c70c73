"""The reader's side of sync: an item lists its fetched bilag, enter reads one page by
page, and "Hent nye dokumenter" (H) fetches in the background from a local site."""

from __future__ import annotations

from pathlib import Path

from app_fixtures import make_app, screen_text, settle
from synced_bilag import (
    bilag_item_id,
    bilag_site,
    fetching_reader,
    synced_store,
    until_fetched,
)

from kkr_tui.app.screens.bilag import BilagScreen
from kkr_tui.store import Store

SIZE = (120, 40)


async def test_an_item_lists_its_bilag_and_enter_reads_one(tmp_path: Path, monkeypatch) -> None:
    db, _ = synced_store(tmp_path, monkeypatch)
    item_id = bilag_item_id(db)
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.open_view(("item", item_id))
        await settle(pilot)
        text = screen_text(app)
        assert "Hentede bilag" in text and "Notat om drikkevand (3 sider)" in text
        app.query_one("#bilag-list").focus()
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, BilagScreen)
        assert "Side 1 af 3" in screen_text(app)
        await pilot.press("right")
        await settle(pilot)
        text = screen_text(app)
        assert "Side 2 af 3 ·" in text and "Side 2 af 3." in text  # facts and the page's text
        await pilot.press("slash")
        await pilot.press(*"afsnit 3", "enter")
        await settle(pilot)
        assert "Side 3 af 3 ·" in screen_text(app)
        await pilot.press("escape")
        await settle(pilot)
        assert not isinstance(app.screen, BilagScreen)


async def test_fetch_in_the_reader_stores_what_arrived(tmp_path: Path, monkeypatch) -> None:
    site = bilag_site()
    app = fetching_reader(tmp_path, site.url, delay=0, backoff=0, timeout=2)
    db = tmp_path / "kkr.db"
    try:
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            await pilot.press("H")
            await until_fetched(pilot, app)
            assert not app.sync.running
            text = screen_text(app)
            assert "KKR Midtjylland" in text  # the tree was reloaded with what arrived
    finally:
        site.stop()
    with Store(db) as store:
        assert store.councils() == ["KKR Midtjylland"]
        assert len(store.meeting_bilag("KKR Midtjylland", "2025-03-12")) == 2


async def test_fetch_without_network_is_one_notification(tmp_path: Path) -> None:
    site = bilag_site()
    url = site.url
    site.stop()
    app = fetching_reader(tmp_path, url, delay=0, backoff=0, retries=3)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("H")
        await until_fetched(pilot, app)
        notes = [n for n in app._notifications if n.title == "Ingen forbindelse"]
        assert [n.message for n in notes] == [
            f"127.0.0.1:{site.port}: ingen forbindelse (forbindelsen blev afvist)"
        ]


async def test_the_readers_briefing_lists_the_items_bilag(tmp_path: Path, monkeypatch) -> None:
    """x on an item writes the briefing with the fetched bilag and their addresses."""
    db, _ = synced_store(tmp_path, monkeypatch)
    item_id = bilag_item_id(db)
    with Store(db) as store:
        urls = [b.url for b in store.meeting_bilag("KKR Midtjylland", "2025-03-12")]
    app = make_app(db, config_path=tmp_path / "config.toml")
    app.briefing_dir = tmp_path / "briefings"
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.open_view(("item", item_id))
        await settle(pilot)
        await pilot.press("x")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
    text = (tmp_path / "briefings" / "kkr-midtjylland-2025-03-12.md").read_text(encoding="utf-8")
    assert f"- Bilag 2.2 Notat om drikkevand — Notat om drikkevand (3 sider): <{urls[1]}>" in text
    assert f"(3 sider): <{urls[0]}>" in text
