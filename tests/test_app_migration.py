"""The reader opening an archive an earlier kkr-tui made (schema 3): it says it is
upgrading, with the percent, while the store migrates on its own thread; the tree
follows; quitting meanwhile leaves the old archive as it was.

The migration is held at a step it reports (its store thread waits on an event the
test sets), so the test sees the upgrade on screen whatever the machine's speed.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from app_fixtures import held_app, make_app, screen_text, settle, until_held
from old_databases import (
    add_free_pages,
    file_schema,
    free_pages,
    owes_compaction,
    v3_contents,
    v3_database,
)

from kkr_tui.app.widgets.migration_panel import MigrationPanel

SIZE = (100, 30)


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
    assert file_schema(db) == 4


async def test_the_commit_is_shown_as_saving_with_a_pulsing_bar(tmp_path: Path) -> None:
    """The commit writes the upgrade into the file in one call (seconds at 100k items)
    and has no steps to count: the panel says it is saving and its bar pulses (no
    total) instead of standing at a percent that seems stuck."""
    from textual.widgets import ProgressBar

    db = v3_database(tmp_path / "kkr.db")
    app, held = held_app(db, stage="commit")
    async with app.run_test(size=SIZE) as pilot:
        await until_held(pilot, held)
        for _ in range(20):  # the event is posted from the store thread
            if "Gemmer" in screen_text(app):
                break
            await pilot.pause()
        assert "Gemmer det opgraderede arkiv … 90 % (sidste trin)" in screen_text(app)
        assert app.query_one(MigrationPanel).query_one(ProgressBar).total is None
        app.go_on.set()
        await settle(pilot)
        assert not app.query(MigrationPanel) and app.tree.root.children
    assert file_schema(db) == 4


async def test_quitting_mid_upgrade_leaves_the_old_archive_and_the_next_start_upgrades(
    tmp_path: Path,
) -> None:
    db = v3_database(tmp_path / "kkr.db")
    before = v3_contents(db)
    app, held = held_app(db)
    async with app.run_test(size=SIZE) as pilot:
        await until_held(pilot, held)
        await pilot.press("q")
        await pilot.pause()
    assert file_schema(db) == 3
    assert v3_contents(db) == before
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert app.tree.root.children and not app.query(MigrationPanel)
    assert file_schema(db) == 4


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
    before = v3_contents(db)
    monkeypatch.setattr(migration, "free_bytes", lambda folder: 0)
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        said = [n.message for n in app._notifications if n.title == "Opgraderer arkivet"]
        assert len(said) == 1 and str(db) in said[0] and "kan ikke opgraderes" in said[0]
        assert app.read_only and app.tree.root.children
        assert "KKR" in screen_text(app)
    assert file_schema(db) == 3
    assert v3_contents(db) == before


async def test_an_archive_another_program_is_upgrading_is_read_as_it_is(
    tmp_path: Path,
) -> None:
    """Another program holds the archive's write lock (a ``kkr-tui sync`` upgrading it,
    say): the reader does not wait for minutes or fail; it says so and shows the
    archive as it is, read-only."""
    import sqlite3

    db = v3_database(tmp_path / "kkr.db")
    before = v3_contents(db)
    holder = sqlite3.connect(db, isolation_level=None)
    holder.execute("PRAGMA journal_mode = WAL")
    holder.execute("BEGIN IMMEDIATE")
    try:
        app = make_app(db)
        app.gateway.busy_timeout = 0  # the lock is held throughout: no need to wait
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            said = [n.message for n in app._notifications if n.title == "Opgraderer arkivet"]
            assert len(said) == 1 and "et andet program skriver i arkivet" in said[0]
            assert app.read_only and app.tree.root.children
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert file_schema(db) == 3
    assert v3_contents(db) == before


async def test_an_upgrade_that_fails_leaves_the_archive_readable(
    tmp_path: Path, monkeypatch: Any
) -> None:
    """The upgrade stops because a part would not come back exactly from the new layout
    (it refuses to lose what the reader shows): the reader says so and shows the
    archive as it is, read-only; the file is unchanged."""
    from kkr_tui.store import layout

    db = v3_database(tmp_path / "kkr.db")
    before = v3_contents(db)
    real = layout.decode
    monkeypatch.setattr(layout, "decode", lambda text, shape: real(text, shape)[1:])
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        said = [n.message for n in app._notifications if n.title == "Opgraderer arkivet"]
        assert len(said) == 1 and "kunne ikke opgraderes" in said[0], said
        assert "kan ikke gemmes i det nye format" in said[0]
        assert app.read_only and app.tree.root.children
    assert file_schema(db) == 3
    assert v3_contents(db) == before


async def test_a_compaction_the_upgrade_had_no_room_for_is_done_on_a_later_start(
    tmp_path: Path, monkeypatch: Any
) -> None:
    """The upgrade had room for itself but not for the compaction after it, so the file
    kept its size and the compaction is owed. The next start, with room, does it after
    the first frame, in the upgrade's panel ("Komprimerer arkivet … %"), says so in one
    notification when it is done, and owes nothing any more."""
    from kkr_tui.store import Store, migration

    db = v3_database(tmp_path / "kkr.db")
    with monkeypatch.context() as tight:  # room for the upgrade, not for VACUUM's copies
        room = int(db.stat().st_size * 1.5)
        tight.setattr(migration, "free_bytes", lambda folder: room)
        Store(db).close()
    assert owes_compaction(db)
    add_free_pages(db)  # what a large archive's upgrade leaves unused
    app, held = held_app(db, stage="compact")
    async with app.run_test(size=SIZE) as pilot:
        await until_held(pilot, held)
        text = screen_text(app)
        assert "Komprimerer arkivet … 0 %" in text
        assert "Da arkivet blev opgraderet, var der ikke plads på disken" in text
        app.go_on.set()
        await settle(pilot)
        assert not app.query(MigrationPanel) and app.tree.root.children
        said = [n.message for n in app._notifications if n.title == "Komprimerer arkivet"]
        assert said == ["Arkivet er komprimeret."]
        assert not app.read_only
    assert not owes_compaction(db) and free_pages(db) == 0


async def test_quitting_mid_compaction_keeps_it_owed(tmp_path: Path, monkeypatch: Any) -> None:
    """``q`` while the reader compacts: the app quits, the VACUUM is stopped inside its
    statement (the file whole, as large as it was) and the compaction is still owed."""
    from kkr_tui.store import Store, migration

    db = v3_database(tmp_path / "kkr.db")
    with monkeypatch.context() as tight:
        room = int(db.stat().st_size * 1.5)
        tight.setattr(migration, "free_bytes", lambda folder: room)
        Store(db).close()
    add_free_pages(db)
    unused = free_pages(db)
    monkeypatch.setattr(migration, "_TICK_OPS", 200)  # the small file's VACUUM is entered
    app, held = held_app(db, stage="compact")
    async with app.run_test(size=SIZE) as pilot:
        await until_held(pilot, held)
        await pilot.press("q")
        await pilot.pause()
    assert owes_compaction(db) and free_pages(db) == unused
    with Store(db) as store:  # whole, and the next open pays it
        assert store.meetings("KKR Hovedstaden", 2025)
    assert not owes_compaction(db) and free_pages(db) == 0
