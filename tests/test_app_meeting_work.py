# ruff: noqa: F401, F811  (pytest fixtures imported from app_fixtures)
"""Pilot tests of meeting work in the reader: notes, Related, Decisions, what's new, export."""

from __future__ import annotations

from pathlib import Path

import pytest
from app_fixtures import (
    make_app,
    palette_search,
    sample_db,
    sample_db_template,
    screen_text,
    search_for,
    settle,
)
from meeting_work_fixtures import item_by_number, minutes_000, save
from textual.widgets import TextArea

from kkr_tui.app.screens.note_editor import NoteEditor
from kkr_tui.app.screens.pick_list import PickListScreen
from kkr_tui.app.widgets.marked_tree import NOTE_MARK
from kkr_tui.store import Store

SIZE = (110, 36)
HOV = "KKR Hovedstaden"


def _item_id(db: Path, date: str, number: str) -> int:
    with Store(db) as store:
        return item_by_number(store, HOV, date, number)


async def _open(pilot, item_id: int) -> None:
    pilot.app.open_view(("item", item_id))
    await settle(pilot)
    assert pilot.app.current_item.id == item_id


async def _note_editor(pilot, item_id: int) -> TextArea:
    """Open the item and its note editor (``n``); the editor's TextArea."""
    await settle(pilot)
    await _open(pilot, item_id)
    await pilot.press("n")
    await settle(pilot)
    assert isinstance(pilot.app.screen, NoteEditor)
    return pilot.app.screen.query_one(TextArea)


@pytest.mark.slow
async def test_write_a_note_mark_and_find_it(sample_db: Path) -> None:
    item_id = _item_id(sample_db, "2025-06-18", "3.4")
    app = make_app(sample_db)
    async with app.run_test(size=SIZE) as pilot:
        editor = await _note_editor(pilot, item_id)
        editor.insert("Cykelstier [vigtigt] først")
        await pilot.press("ctrl+s")
        await settle(pilot)
        text = screen_text(app)
        assert "Mine noter" in text and "Cykelstier [vigtigt] først" in text
        node = app.tree.cursor_node
        assert node.data.key == item_id and str(node.label).startswith(NOTE_MARK + " ")
        await pilot.press("n")
        await settle(pilot)
        await pilot.press("escape")  # discard: the note stays as it was
        await settle(pilot)
        screen = await search_for(pilot, "cykelstier vigtigt")
        assert screen.hits and screen.hits[0].kind == "note" and screen.hits[0].item_id == item_id
        await pilot.press("escape")
    with Store(sample_db) as store:
        assert store.note_for(item_id).text == "Cykelstier [vigtigt] først"


async def test_letter_keys_type_into_the_note_not_run_actions(sample_db: Path) -> None:
    """q, d, w, x, r are reader keys; in the note editor they are text."""
    item_id = _item_id(sample_db, "2025-06-18", "3.4")
    app = make_app(sample_db)
    async with app.run_test(size=SIZE) as pilot:
        editor = await _note_editor(pilot, item_id)
        await pilot.press("q", "d", "w", "x", "r")
        await settle(pilot)
        assert isinstance(app.screen, NoteEditor)
        assert editor.text == "qdwxr"
        await pilot.press("ctrl+s")
        await settle(pilot)
    with Store(sample_db) as store:
        assert store.note_for(item_id).text == "qdwxr"


async def test_related_panel_jumps(sample_db: Path) -> None:
    source = _item_id(sample_db, "2025-06-18", "3.3")
    target = _item_id(sample_db, "2025-02-03", "3.2")
    app = make_app(sample_db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await _open(pilot, source)
        assert target in [r.item_id for r in app.related_panel.related]
        assert "3.2 Status implementering af" in screen_text(app)
        await pilot.press("r")
        assert app.focused is app.related_panel
        position = [r.item_id for r in app.related_panel.related].index(target)
        await pilot.press(str(position + 1))
        await settle(pilot)
        assert app.current_item.id == target
        assert app.tree.cursor_node.data.key == target
        await _open(pilot, _item_id(sample_db, "2025-06-18", "1.1"))
        assert app.related_panel.related == [] and not app.related_panel.has_class("-has-items")


@pytest.mark.slow
async def test_agenda_then_minutes_decisions_and_whats_new(sample_db: Path) -> None:
    agenda_item = _item_id(sample_db, "2025-06-18", "3.5")
    app = make_app(sample_db)
    async with app.run_test(size=SIZE) as pilot:  # first look: records what is there
        await settle(pilot)
        await pilot.press("w")
        await settle(pilot)
        assert "Intet nyt, siden du sidst kiggede." in screen_text(app)
    with Store(sample_db) as store:
        store.save_note(agenda_item, "udsættes?")
        save(store, minutes_000(drop_indstilling="3.5"))
    minutes_item = _item_id(sample_db, "2025-06-18", "3.5")
    app = make_app(sample_db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("w")
        await settle(pilot)
        assert isinstance(app.screen, PickListScreen)
        assert "12 nye eller ændrede punkter, du ikke har åbnet" in screen_text(app)
        await pilot.press("escape")
        await _open(pilot, minutes_item)
        text = screen_text(app)
        assert "Indstilling (fra dagsordenen)" in text
        assert "⚠ udsat (afviger)" in text
        assert "udsættes?" in text  # the note made on the agenda survived
        await pilot.press("d")
        await settle(pilot)
        text = screen_text(app)
        assert "Beslutninger · KKR Hovedstaden · 18.06.2025" in text
        assert "2 afviger fra indstillingen" in text
        assert "⚠ 3.4" in text and "⚠ 3.5" in text
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("w")
        await settle(pilot)
        assert "11 nye eller ændrede punkter" in screen_text(app)  # 3.5 was opened


async def test_export_asks_where_and_remembers_the_folder(sample_db: Path, tmp_path: Path) -> None:
    from textual.widgets import Input

    from kkr_tui.app.screens.export import ExportScreen

    config = tmp_path / "config.toml"
    app = make_app(sample_db, config_path=config)
    app.briefing_dir = tmp_path / "briefings"
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("x")
        await settle(pilot)
        assert isinstance(app.screen, ExportScreen)
        field = app.screen.query_one(Input)
        assert field.value == str(tmp_path / "briefings" / "kkr-hovedstaden-2025-06-18.md")
        await pilot.press("enter")
        await settle(pilot)
        written = tmp_path / "briefings" / "kkr-hovedstaden-2025-06-18.md"
        assert written.read_text(encoding="utf-8").startswith("# KKR Hovedstaden · møde 18.06.2025")
        await pilot.press("x")
        await settle(pilot)
        field = app.screen.query_one(Input)
        field.value = str(tmp_path / "elsewhere" / "brief.html")
        await pilot.press("enter")
        await settle(pilot)
    html = (tmp_path / "elsewhere" / "brief.html").read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>")
    assert "export_dir" in config.read_text(encoding="utf-8")
    app = make_app(sample_db, config_path=config)
    async with app.run_test(size=SIZE) as pilot:  # a new session starts where the last ended
        await settle(pilot)
        await pilot.press("x")
        await settle(pilot)
        field = app.screen.query_one(Input)
        assert field.value == str(tmp_path / "elsewhere" / "kkr-hovedstaden-2025-06-18.md")
        await pilot.press("escape")
        await settle(pilot)
        assert not isinstance(app.screen, ExportScreen)
    assert not (tmp_path / "elsewhere" / "kkr-hovedstaden-2025-06-18.md").exists()


async def test_how_the_others_decided(sample_db: Path) -> None:
    with Store(sample_db) as store:
        quota = item_by_number(store, "KKR Midtjylland", "2025-06-18", "3.7")
        hov = item_by_number(store, HOV, "2025-06-18", "3.5")
    app = make_app(sample_db)
    async with app.run_test(size=(140, 44)) as pilot:
        await settle(pilot)
        await _open(pilot, hov)
        await pilot.press("D")
        await settle(pilot)
        assert isinstance(app.screen, PickListScreen)
        text = screen_text(app)
        assert "Sådan besluttede de andre · 3.5 Kommunefordeling af flygtninge" in text
        assert "KKR Midtjylland" in text and "3.7 Landstallet for flygtninge 2026" in text
        assert "✓ godkendt som indstillet" in text
        assert "Indstilling:" in text and "Beslutning: Godkendt." in text
        await pilot.press("enter")
        await settle(pilot)
        assert app.current_item.id == quota


async def test_palette_lists_meeting_work_commands(sample_db: Path) -> None:
    app = make_app(sample_db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await palette_search(pilot, "beslutninger", 0.3)
        assert "Mødets beslutninger" in screen_text(app)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, PickListScreen)


async def test_all_notes_lists_a_note_whose_item_is_gone(sample_db: Path) -> None:
    """A note whose item no longer exists is kept and listed "uden punkt" (opens nothing)."""
    with Store(sample_db) as store:
        kept = item_by_number(store, HOV, "2025-06-18", "3.4")
        store.save_note(kept, "bliver")
        meeting = store.meetings(HOV, 2025)[0]
        store.save_note(store.find_items_by_number("2.1", meeting.id)[0].id, "mister sit punkt")
        for doc in store.meeting(meeting.id).documents:
            store.delete_document(doc.id)
    app = make_app(sample_db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.action_all_notes()
        await settle(pilot)
        assert isinstance(app.screen, PickListScreen)
        text = screen_text(app)
        assert "2 noter" in text and "mister sit punkt" in text and "(uden punkt)" in text


async def test_export_never_overwrites_an_existing_briefing_silently(
    sample_db: Path, tmp_path: Path
) -> None:
    """A briefing on disk may hold the user's notes: the dialog asks, Esc keeps it and
    proposes a free name, Enter on the question overwrites."""
    from textual.widgets import Input

    from kkr_tui.app.screens.export import ExportScreen

    folder = tmp_path / "briefings"
    folder.mkdir()
    old = folder / "kkr-hovedstaden-2025-06-18.md"
    old.write_text("min egen briefing med noter\n", encoding="utf-8")
    app = make_app(sample_db, config_path=tmp_path / "config.toml")
    app.briefing_dir = folder
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("x")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ExportScreen)  # still asking
        assert "kkr-hovedstaden-2025-06-18.md findes allerede. Vil du overskrive den?" in (
            screen_text(app)
        )
        assert old.read_text(encoding="utf-8") == "min egen briefing med noter\n"
        await pilot.press("escape")  # keep the old file; a free name is proposed
        await settle(pilot)
        assert isinstance(app.screen, ExportScreen)
        field = app.screen.query_one(Input)
        assert field.value == str(folder / "kkr-hovedstaden-2025-06-18-2.md")
        await pilot.press("enter")
        await settle(pilot)
        assert not isinstance(app.screen, ExportScreen)
        assert old.read_text(encoding="utf-8") == "min egen briefing med noter\n"
        fresh = folder / "kkr-hovedstaden-2025-06-18-2.md"
        assert fresh.read_text(encoding="utf-8").startswith("# KKR Hovedstaden")
        await pilot.press("x")  # now overwrite on purpose
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ExportScreen)
        await pilot.press("enter")
        await settle(pilot)
        assert not isinstance(app.screen, ExportScreen)
    assert old.read_text(encoding="utf-8").startswith("# KKR Hovedstaden")
