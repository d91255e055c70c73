"""The reader's bilag scenario: a local site with one meeting and its bilag, synced into a
fresh store, and the waits for a fetch the reader runs itself.

The bilag tests of the reader (``test_app_sync``) and its no-English tour
(``test_no_english_on_screen``) start from the same synced store; built once here, they
cannot drift apart (the tour imported the app test's private helpers before).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from app_fixtures import settle
from sync_fixtures import sync, write_config
from sync_site import Site

from kkr_tui.store import Store

COUNCIL = "KKR Midtjylland"
DATE = "2025-03-12"


def bilag_site() -> Site:
    """A started site with the minutes of KKR Midtjylland 12.03.2025 and two 3-page bilag."""
    site = Site()
    site.add_meeting(
        "midtjylland",
        DATE,
        minutes=True,
        bilag=("Bilag 2.1 Klimaplan for regionen", "Notat om drikkevand"),
        bilag_pages=3,
    )
    return site.start()


def synced_store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Site]:
    """The site synced into ``tmp_path/db/kkr.db`` (the sync's config in
    ``tmp_path/config``); the site is stopped, its address still known."""
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    write_config(tmp_path / "config")
    site = bilag_site()
    db = tmp_path / "db" / "kkr.db"
    try:
        assert sync(site, db) == 0
    finally:
        site.stop()
    return db, site


def fetching_reader(tmp_path: Path, base_url: str, **sync: object) -> Any:
    """A reader on an empty store (``tmp_path/kkr.db``) whose ``H`` fetches from
    ``base_url``, its config's ``[sync]`` holding ``sync`` (the waits and retries)."""
    from app_fixtures import make_app

    config = tmp_path / "config.toml"
    settings = "".join(f"{key} = {value}\n" for key, value in sync.items())
    config.write_text(f'[sync]\nbase_url = "{base_url}"\n{settings}', encoding="utf-8")
    db = tmp_path / "kkr.db"
    with Store(db):
        pass
    return make_app(db, config_path=config)


def bilag_item_id(db: Path) -> int:
    """The item the first bilag is tied to (2.1)."""
    with Store(db) as store:
        bilag = store.meeting_bilag(COUNCIL, DATE)[0]
        item = store.bilag_item(bilag.id)
    assert item is not None
    return item.id


async def until_fetched(pilot: Any, app: Any) -> None:
    """Let the reader's background fetch (``H``) run to its end, or 40 settles."""
    for _ in range(40):
        await settle(pilot)
        if not app.sync.running:
            break
