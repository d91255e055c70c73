# ruff: noqa: F401, F811  (pytest fixtures imported from app_fixtures)
"""Pilot tests of search: typos, Danish folding, filters, exact look-ups, Enter, Escape."""

from __future__ import annotations

from pathlib import Path

import pytest
from app_fixtures import (
    make_app,
    sample_db,
    sample_db_template,
    screen_text,
    search_for,
    settle,
    small_db,
)

from kkr_tui.app.render import hit_prompt
from kkr_tui.app.screens.search import SearchScreen
from kkr_tui.app.widgets.meeting_tree import MeetingTree

SIZE = (100, 32)


async def test_typo_finds_items_and_enter_opens_in_tree_and_pane(sample_db: Path) -> None:
    app = make_app(sample_db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = await search_for(pilot, "sundhedsrefrom")
        assert screen.hits, "a typo still finds the items on sundhedsreformen"
        text = screen_text(app)
        assert "Hovedstaden ·" in text and "hits · Enter åbner" in text
        first = screen.hits[0]
        await pilot.press("enter")
        await settle(pilot)
        assert not isinstance(app.screen, SearchScreen)
        assert app.current_item.id == first.item_id
        tree = app.query_one(MeetingTree)
        assert tree.cursor_node.data.key == first.item_id, "the tree reveals the item"
        assert app.focused is app.pane


@pytest.mark.slow
async def test_escape_returns_to_where_the_reader_was(sample_db: Path) -> None:
    app = make_app(sample_db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("right_square_bracket")
        await settle(pilot)
        before = (app.pane.shown, app.tree.cursor_line, list(app.history))
        await search_for(pilot, "økonomi")
        await pilot.press("escape")
        await settle(pilot)
        assert not isinstance(app.screen, SearchScreen)
        assert (app.pane.shown, app.tree.cursor_line, list(app.history)) == before
        await pilot.press("ctrl+f")
        assert isinstance(app.screen, SearchScreen)
        assert app.screen.query_one("Input").value == "økonomi", "the last query is kept"


async def test_arrow_keys_pick_a_result(sample_db: Path) -> None:
    app = make_app(sample_db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = await search_for(pilot, "godkendelse")
        assert len(screen.hits) >= 3
        await pilot.press("down", "down", "up", "down")
        await pilot.press("enter")
        await settle(pilot)
        assert app.current_item.id == screen.hits[2].item_id


async def test_danish_folding_finds_oekonomi(sample_db: Path) -> None:
    app = make_app(sample_db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        plain = {h.item_id for h in (await search_for(pilot, "økonomi")).hits}
        assert plain
        for spelling in ("okonomi", "oekonomi"):
            hits = (await search_for(pilot, spelling)).hits
            assert plain & {h.item_id for h in hits}, spelling


async def test_filters_narrow_the_results(sample_db: Path) -> None:
    app = make_app(sample_db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        hits = (await search_for(pilot, "godkendelse year:2021")).hits
        assert hits and {h.meeting_date[:4] for h in hits} == {"2021"}
        assert "kun 2021" in screen_text(app), "the filter in force is shown"
        hits = (await search_for(pilot, "godkendelse type:referat")).hits
        assert hits and {h.doc_type for h in hits} == {"minutes"}
        assert "kun referater" in screen_text(app)
        hits = (await search_for(pilot, "godkendelse council:nord")).hits
        assert hits == []
        assert "council:nord passer ikke på noget" in screen_text(app), "no such council stored"
        hits = (await search_for(pilot, "zzzqqq")).hits
        assert hits == []
        assert "Ingen punkter matcher" in screen_text(app)


@pytest.mark.slow
async def test_case_and_item_numbers_are_looked_up_exactly(sample_db: Path) -> None:
    app = make_app(sample_db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        hits = (await search_for(pilot, "SAG-2025-02162")).hits
        assert [h.kind for h in hits[:2]] == ["meeting", "case"], "the meeting's case number"
        await pilot.press("escape")
        await pilot.press("right_square_bracket")
        await settle(pilot)
        meeting_id = app.current_item.meeting_id
        hits = (await search_for(pilot, "3.1")).hits
        assert hits and hits[0].kind == "number" and hits[0].number == "3.1"
        await pilot.press("enter")
        await settle(pilot)
        assert app.current_item.meeting_id == meeting_id, "the current meeting comes first"


@pytest.mark.slow
async def test_enter_before_results_opens_the_first_hit(small_db: Path) -> None:
    app = make_app(small_db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"sundhedsreformen", "enter")
        await settle(pilot)
        await pilot.pause(0.3)
        await settle(pilot)
        assert not isinstance(app.screen, SearchScreen)
        assert app.current_item is not None and "Sundhedsreformen" in app.current_item.title


async def test_a_filter_that_cannot_match_is_named_with_the_valid_values(sample_db: Path) -> None:
    app = make_app(sample_db)
    async with app.run_test(size=(140, 32)) as pilot:
        await settle(pilot)
        screen = await search_for(pilot, "type:protokol klima")
        assert screen.hits == []
        text = screen_text(app)
        assert "type:protokol passer ikke på noget" in text
        assert "type:dagsorden, type:referat" in text


async def test_a_case_number_of_a_whole_meeting_opens_the_meeting(sample_db: Path) -> None:
    app = make_app(sample_db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = await search_for(pilot, "SAG-2024-05018")
        first = screen.hits[0]
        assert first.kind == "meeting"
        await pilot.press("enter")
        await settle(pilot)
        assert not isinstance(app.screen, SearchScreen)
        assert app.pane.shown == ("meeting", first.meeting_id)
        assert app.current_meeting is not None and app.current_meeting.id == first.meeting_id


async def test_one_line_a_hit_and_the_highlighted_one_whole_in_the_preview(small_db: Path) -> None:
    app = make_app(small_db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = await search_for(pilot, "sundhedsrefrom")
        assert len(screen.hits) >= 2
        results = screen.query_one("#search-results")
        first = results.get_option_at_index(0).prompt
        assert "\n" not in str(first), "a hit is one line in the list"
        preview = screen.query_one("#search-preview")
        assert preview.display
        assert str(preview.render()) == str(hit_prompt(screen.hits[0]))
        await pilot.press("down")
        await pilot.pause()
        assert str(preview.render()) == str(hit_prompt(screen.hits[1]))
