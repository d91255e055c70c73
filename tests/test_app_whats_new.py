# ruff: noqa: F401, F811  (pytest fixtures imported from app_fixtures)
"""What's new (``w``) and the item pane show what changed in a changed item.

The samples are looked at once (the baseline), then KL re-uploads the 18.06.2025
agenda with 3.4's Indstilling reworded, a date of its Sagsfremstilling moved and its
Baggrund re-typeset. The list names the parts that differ, the preview and the pane
mark the changed words (struck through / underlined), the re-typeset Baggrund is not
reported, and once 3.4 is opened its change is gone.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from app_fixtures import make_app, sample_db, sample_db_template, screen_text, settle
from meeting_work_fixtures import (
    item_by_number,
    reuploaded_agenda_000,
    save,
    seen_then_reuploaded_000,
)

from kkr_tui.store import Store

HOV = "KKR Hovedstaden"
SIZE = (110, 36)


ADDED = "bold underline $text-success"
REMOVED = "strike $text-error"


def _marked(widget, style: str) -> list[str]:
    """The words a Static shows in ``style``."""
    content = widget.visual
    return [content.plain[s.start : s.end] for s in content.spans if str(s.style) == style]


@pytest.mark.slow
async def test_whats_new_lists_the_parts_and_the_pane_marks_the_words(sample_db: Path) -> None:
    from textual.widgets import Static

    from kkr_tui.app.screens.whats_new import WhatsNewScreen

    item_id = seen_then_reuploaded_000(sample_db)
    app = make_app(sample_db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("w")
        await settle(pilot)
        assert isinstance(app.screen, WhatsNewScreen)
        text = screen_text(app)
        assert "1 nyt eller ændret punkt, du ikke har åbnet" in text
        assert "3.4 Strategi for mobilitet og infrastruktur 2025" in text
        assert "Indstilling: ændret (1 ord fjernet, 5 ord tilføjet)" in text
        assert "Sagsfremstilling: ændret (1 ord fjernet, 1 ord tilføjet)" in text
        assert "Baggrund" not in text  # re-typeset only: the same words
        assert "fjernet tekst er overstreget, ny tekst er understreget." in text
        preview = app.screen.query_one("#change-preview", Static)
        # The legend shows the two styles on its own words first.
        assert _marked(preview, ADDED) == ["ny tekst", "drøfter og", "det reviderede udkast", "30"]
        assert _marked(preview, REMOVED) == ["fjernet tekst", "udkastet", "2"]
        assert "den 2 30. september" in preview.visual.plain  # the words in reading order
        await pilot.press("enter")
        await settle(pilot)
        assert app.current_item.id == item_id
        text = screen_text(app)
        assert "Ændret siden du sidst så punktet" in text
        assert "Indstilling: ændret (1 ord fjernet, 5 ord tilføjet)" in text
        lines = [w for w in app.pane.query(".change-line") if isinstance(w, Static)]
        indstilling = next(w for w in lines if "reviderede" in w.visual.plain)
        assert _marked(indstilling, ADDED) == ["drøfter og", "det reviderede udkast"]
        assert _marked(indstilling, REMOVED) == ["udkastet"]
        await pilot.press("w")
        await settle(pilot)
        assert "Intet nyt, siden du sidst kiggede." in screen_text(app)
    with Store(sample_db) as store:  # opened: the kept version is gone
        assert store.previous_versions([item_id]) == {}


async def test_a_change_without_a_kept_version_says_so(sample_db: Path) -> None:
    item_id = seen_then_reuploaded_000(sample_db)
    with Store(sample_db) as store:
        store.detect_changes()
        store._conn.execute("DELETE FROM item_versions")  # as an older release left it
    app = make_app(sample_db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("w")
        await settle(pilot)
        text = " ".join(screen_text(app).split())
        assert "den tidligere version blev ikke gemt" in text
        await pilot.press("escape")
        app.open_view(("item", item_id))
        await settle(pilot)
        text = " ".join(screen_text(app).split())
        assert "Ændret siden du sidst så punktet" in text
        assert "den tidligere version blev ikke gemt" in text


async def test_document_text_in_a_change_is_never_markup(sample_db: Path) -> None:
    """A changed word that looks like markup is shown as written."""
    import dataclasses

    from kkr_tui.model import Block

    with Store(sample_db) as store:
        store.detect_changes()
        meeting = reuploaded_agenda_000()
        section = meeting.sections[2]
        items = list(section.items)
        index = next(i for i, it in enumerate(items) if it.number == "3.4")
        part = items[index].parts[1]
        hostile = dataclasses.replace(
            part,
            blocks=(Block("paragraph", "Det indstilles [bold]at[/bold] [@click=app.quit]x[/]"),),
        )
        items[index] = dataclasses.replace(
            items[index], parts=(items[index].parts[0], hostile, *items[index].parts[2:])
        )
        sections = list(meeting.sections)
        sections[2] = dataclasses.replace(section, items=tuple(items))
        save(store, dataclasses.replace(meeting, sections=tuple(sections)))
        item_id = item_by_number(store, HOV, "2025-06-18", "3.4")
    app = make_app(sample_db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.open_view(("item", item_id))
        await settle(pilot)
        assert "[@click=app.quit]x[/]" in screen_text(app)
        assert app.is_running


async def test_the_minutes_item_shows_its_new_beslutning_and_the_agenda_item_nothing(
    sample_db: Path,
) -> None:
    """Minutes arrived: the minutes' item shows "Beslutning: ny" compared with the
    agenda; the agenda's own item, whose words are the same, shows no change block."""
    from meeting_work_fixtures import minutes_000

    with Store(sample_db) as store:
        store.detect_changes()
        save(store, minutes_000())
        minutes_item = item_by_number(store, HOV, "2025-06-18", "3.4")
        agenda_item = store._conn.execute(
            "SELECT i.id FROM items i JOIN documents d ON d.id = i.document_id"
            " WHERE d.doc_type = 'agenda' AND d.file_name LIKE '000_%' AND i.number = '3.3'"
        ).fetchone()[0]
    app = make_app(sample_db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.open_view(("item", minutes_item))
        await settle(pilot)
        text = " ".join(screen_text(app).split())
        assert "Ændret siden du sidst så punktet" in text
        assert "sammenlignet med dagsordenen" in text and "Beslutning: ny" in text
        app.open_view(("item", agenda_item))
        await settle(pilot)
        assert app.current_item.id == agenda_item
        assert not app.pane.query(".part--change")
