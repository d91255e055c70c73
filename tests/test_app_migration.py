"""The reader opening an archive an earlier kkr-tui made (schema 3): it says it is
upgrading, with the percent, while the store migrates on its own thread; the tree
follows; quitting meanwhile leaves the old archive as it was.

The migration is held at a step it reports (its store thread waits on an event the
test sets), so the test sees the upgrade on screen whatever the machine's speed.
"""

from __future__ import annotations

import asyncio
import sqlite3
import threading
from pathlib import Path
from typing import Any

from app_fixtures import make_app, screen_text, settle
from test_store import _v3_contents, v3_database

from kkr_tui.app.widgets.migration_panel import MigrationPanel

SIZE = (100, 30)


def held_app(db: Path, stage: str = "index") -> tuple[Any, threading.Event]:
    """The app on ``db`` whose upgrade stops at the first ``stage`` event until the app
    closes (quit) or the returned event... is set by the test via :func:`release`.

    Returns the app and the event set once the upgrade is held."""
    app = make_app(db)
    held = threading.Event()
    go_on = threading.Event()
    told = app.gateway.on_migrate

    class Stop(threading.Event):
        """The gateway's stop: closing the app also lets the held step go on (to stop)."""

        def set(self) -> None:
            super().set()
            go_on.set()

    def hold(event: Any) -> None:
        told(event)
        if event.stage == stage and not held.is_set():
            held.set()
            go_on.wait()

    app.gateway.on_migrate = hold
    app.gateway.stop_migration = Stop()
    app.go_on = go_on
    return app, held


async def until_held(pilot: Any, held: threading.Event) -> None:
    """Wait (off the event loop) until the upgrade is held, then let the app draw."""
    await asyncio.get_running_loop().run_in_executor(None, held.wait)
    for _ in range(50):
        await pilot.pause()
        if pilot.app.query(MigrationPanel) and "%" in screen_text(pilot.app):
            return


def _version(db: Path) -> int:
    conn = sqlite3.connect(db)
    try:
        return int(conn.execute("PRAGMA user_version").fetchone()[0])
    finally:
        conn.close()


async def test_the_reader_shows_the_upgrade_then_the_tree(tmp_path: Path) -> None:
    db = v3_database(tmp_path / "kkr.db")
    app, held = held_app(db)
    async with app.run_test(size=SIZE) as pilot:
        await until_held(pilot, held)
        text = screen_text(app)
        assert "Opgraderer arkivet til ny version … 38 %" in text
        assert "Du kan afslutte imens (q)" in text
        assert not app.tree.root.children  # nothing to show until it is done
        await pilot.press("H")  # fetching waits for the archive
        await pilot.pause()
        assert any("åbnes stadig" in n.message for n in app._notifications)
        app.go_on.set()
        await settle(pilot)
        assert not app.query(MigrationPanel)
        text = screen_text(app)
        assert "KKR" in text and "Opgraderer" not in text
        assert app.tree.root.children
    assert _version(db) == 4


async def test_quitting_mid_upgrade_leaves_the_old_archive_and_the_next_start_upgrades(
    tmp_path: Path,
) -> None:
    db = v3_database(tmp_path / "kkr.db")
    before = _v3_contents(db)
    app, held = held_app(db)
    async with app.run_test(size=SIZE) as pilot:
        await until_held(pilot, held)
        await pilot.press("q")
        await pilot.pause()
    assert _version(db) == 3
    assert _v3_contents(db) == before
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert app.tree.root.children and not app.query(MigrationPanel)
    assert _version(db) == 4


async def test_the_first_frame_comes_before_the_upgrade_ends(tmp_path: Path) -> None:
    """The app is drawn and answers keys while the store thread is held mid-upgrade."""
    db = v3_database(tmp_path / "kkr.db")
    app, held = held_app(db, stage="convert")
    async with app.run_test(size=SIZE) as pilot:
        await until_held(pilot, held)
        await pilot.press("question_mark")  # the help opens meanwhile
        await pilot.pause()
        assert "Hjælp" in screen_text(app) or app.screen is not app.screen_stack[0]
        await pilot.press("escape")
        app.go_on.set()
        await settle(pilot)
        assert app.tree.root.children


async def test_no_room_to_upgrade_reads_the_archive_as_it_is(
    tmp_path: Path, monkeypatch: Any
) -> None:
    """The disk has no room for the upgrade: the reader says so (naming the file and
    what it needs) and shows the archive read-only, as it is; nothing is written."""
    from kkr_tui.store import migration

    db = v3_database(tmp_path / "kkr.db")
    before = _v3_contents(db)
    monkeypatch.setattr(migration, "free_bytes", lambda folder: 0)
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        said = [n.message for n in app._notifications if n.title == "Opgraderer arkivet"]
        assert len(said) == 1 and str(db) in said[0] and "kan ikke opgraderes" in said[0]
        assert app.read_only and app.tree.root.children
        assert "KKR" in screen_text(app)
    assert _version(db) == 3
    assert _v3_contents(db) == before
