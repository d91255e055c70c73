# ruff: noqa: F401, F811  (pytest fixtures imported from app_fixtures)
"""The reader beside other programs: outside ingests, a locked store, read-only, versions.

Pilot tests: another process stores a meeting while the app is open (the app notices
and offers a reload; after ``R`` the new council is in the tree), a write lock held by
someone else becomes a notification, a read-only database is read and nothing that
writes is offered, and a database of a newer schema is refused with its message.
"""

from __future__ import annotations

import sqlite3
import subprocess
from pathlib import Path

import pytest
from app_fixtures import make_app, screen_text, settle, small_db
from reliability_corpus import council_variant, kkr_ingest

from kkr_tui.store import SCHEMA_VERSION, Store

SIZE = (140, 44)


def _messages(app) -> list[str]:  # type: ignore[no-untyped-def]
    return [n.message for n in app._notifications]


def _councils(app) -> list[str]:  # type: ignore[no-untyped-def]
    return [node.label.plain for node in app.tree.root.children]


@pytest.mark.slow
async def test_outside_ingest_is_noticed_and_reload_shows_it(
    small_db: Path, samples_dir: Path, tmp_path: Path
) -> None:
    doc = tmp_path / "nord.txt"
    sample = sorted(samples_dir.glob("*.txt"))[0]
    doc.write_text(council_variant(sample, "KKR Nordjylland"), encoding="utf-8")
    app = make_app(small_db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert "KKR Nordjylland" not in _councils(app)
        proc = kkr_ingest(doc, small_db, cwd=tmp_path)
        out, err = proc.communicate(timeout=60)
        assert proc.returncode == 0, err
        await pilot.press("right_square_bracket")
        await settle(pilot)
        assert app.current_item is not None, "the app keeps working"
        app.watcher.check()
        await settle(pilot)
        assert any("Tryk R for at vise dem" in m for m in _messages(app)), _messages(app)
        shown = app.pane.shown
        await pilot.press("R")
        await settle(pilot)
        assert "KKR Nordjylland" in _councils(app)
        assert app.pane.shown == shown
        assert "Databasen er genindlæst." in _messages(app)
        token = await app.gateway.call(Store.change_token)
        index = app.gateway.search_index
        assert index is not None and index.store is app.gateway.store
        assert index.cached_token() == token, "the reload warmed the new vocabulary"


async def test_own_writes_do_not_offer_a_reload(small_db: Path) -> None:
    app = make_app(small_db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.watcher.check()
        await settle(pilot)
        for _ in range(3):
            await pilot.press("right_square_bracket")
            await settle(pilot)
        app.watcher.check()
        await settle(pilot)
        assert not any("Tryk R" in m for m in _messages(app))


async def test_outside_notes_and_index_upkeep_do_not_offer_a_reload(small_db: Path) -> None:
    from kkr_tui.store import Store

    app = make_app(small_db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.watcher.check()
        await settle(pilot)
        token = await app.gateway.call(Store.change_token)
        with Store(small_db) as other:
            item_id = other._conn.execute("SELECT min(id) FROM items").fetchone()[0]
            other.save_note(item_id, "Spørg til økonomien [bold]")
            other.tidy_index(0.1)
        assert await app.gateway.call(Store.change_token) != token, "the other program committed"
        app.watcher.check()
        await settle(pilot)
        assert not any("Tryk R" in m for m in _messages(app)), _messages(app)
        with Store(small_db) as other:
            other.delete_document(
                other._conn.execute("SELECT max(id) FROM documents").fetchone()[0]
            )
        app.watcher.check()
        await settle(pilot)
        assert any("Tryk R for at vise dem" in m for m in _messages(app)), _messages(app)


async def test_a_locked_database_is_a_notification_not_a_crash(small_db: Path) -> None:
    app = make_app(small_db)
    app.gateway.busy_timeout = 0.2
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        blocker = sqlite3.connect(small_db, isolation_level=None)
        blocker.execute("BEGIN IMMEDIATE")
        try:
            await pilot.press("right_square_bracket")
            for _ in range(40):  # settle() re-raises the failed worker; poll instead
                await pilot.pause(0.05)
                if any(m.startswith("databasen er optaget") for m in _messages(app)):
                    break
        finally:
            blocker.execute("ROLLBACK")
            blocker.close()
        assert any(m.startswith("databasen er optaget") for m in _messages(app)), _messages(app)
        assert app.is_running
        await pilot.press("right_square_bracket")
        await settle(pilot)
        assert app.current_item is not None


async def test_read_only_reads_says_so_and_offers_no_writes(small_db: Path, tmp_path) -> None:
    import hashlib

    before = hashlib.sha256(small_db.read_bytes()).hexdigest()
    app = make_app(small_db, read_only=True, sample_docs=[tmp_path / "never.txt"])
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert app.read_only and app.gateway.store.read_only
        assert "skrivebeskyttet" in app.sub_title
        assert any("skrivebeskyttet" in m for m in _messages(app))
        await pilot.press("right_square_bracket")
        await settle(pilot)
        assert app.current_item is not None
        assert app.check_action("edit_note", ()) is False
        await pilot.press("n")
        await settle(pilot)
        assert app.screen is app.screen_stack[0], "no note editor"
        assert not any("skrivebeskyttet" in m for m in _messages(app)[1:]), _messages(app)
        assert not any(m.startswith("database") for m in _messages(app))
    assert hashlib.sha256(small_db.read_bytes()).hexdigest() == before


def test_unwritable_database_is_detected(tmp_path: Path, monkeypatch) -> None:
    import os

    from kkr_tui.paths import database_is_read_only as is_read_only

    db = tmp_path / "kkr.db"
    db.write_bytes(b"")
    assert not is_read_only(db)
    real = os.access
    monkeypatch.setattr(os, "access", lambda p, mode: False if Path(p) == db else real(p, mode))
    assert is_read_only(db)
    monkeypatch.setattr(
        os, "access", lambda p, mode: False if Path(p) == tmp_path else real(p, mode)
    )
    assert is_read_only(db)


async def test_newer_schema_is_refused_with_its_message(small_db: Path) -> None:
    conn = sqlite3.connect(small_db)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.close()
    app = make_app(small_db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert app.is_running
        assert "Kunne ikke åbne databasen" in screen_text(app)
        assert any("nyere kkr-tui" in m for m in _messages(app))


async def test_an_outside_note_is_drawn_without_a_reload(small_db: Path) -> None:
    from kkr_tui.store import Store

    app = make_app(small_db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("right_square_bracket")
        await settle(pilot)
        item_id = app.current_item.id
        app.watcher.check()
        await settle(pilot)
        assert "Mine noter" not in screen_text(app)
        with Store(small_db) as other:
            other.save_note(item_id, "Spørg til økonomien [bold]")
        app.watcher.check()
        await settle(pilot)
        text = screen_text(app)
        assert "Mine noter" in text and "Spørg til økonomien [bold]" in text
        assert "✎" in text, "the tree marks the item's note"
        assert app.pane.shown == ("item", item_id)
        with Store(small_db) as other:
            other.save_note(item_id, "")
        app.watcher.check()
        await settle(pilot)
        assert "Spørg til økonomien" not in screen_text(app)
        assert not any("Tryk R" in m for m in _messages(app)), _messages(app)


async def test_the_reader_opens_and_reads_on_a_full_disk(small_db: Path, monkeypatch) -> None:
    """Reading needs no free space; a write that does is a notification, not a crash."""
    from store_factory import full_disk

    full_disk(monkeypatch)
    app = make_app(small_db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("right_square_bracket")
        await settle(pilot)
        assert app.current_item is not None
        app.pane.save_note(app.current_item.id, "lang note " * 20_000)
        for _ in range(40):  # settle() re-raises the failed worker; poll instead
            await pilot.pause(0.05)
            if any("disken er fuld" in m for m in _messages(app)):
                break
        assert any("disken er fuld" in m for m in _messages(app)), _messages(app)
        assert app.is_running
        await pilot.press("right_square_bracket")
        await settle(pilot)
        assert app.current_item is not None


@pytest.mark.parametrize(
    ("change", "said"),
    [
        ("CREATE VIEW peek AS SELECT * FROM notes", "view peek"),
        ("UPDATE meetings SET meeting_date = '2025/06/18'", "2025/06/18"),
    ],
)
async def test_a_database_changed_by_another_program_is_a_message(
    small_db: Path, change: str, said: str
) -> None:
    """A foreign view or a malformed date: the reader says so and stays up."""
    conn = sqlite3.connect(small_db)
    conn.execute(change)
    conn.commit()
    conn.close()
    app = make_app(small_db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert app.is_running
        assert any(said in m for m in _messages(app)), _messages(app)
