# ruff: noqa: F401, F811  (pytest fixtures imported from app_fixtures)
"""Pilot tests of reading: first run, the tree, jumps, history, copy, help, quit, theme."""

from __future__ import annotations

from pathlib import Path

import pytest
from app_fixtures import (
    make_app,
    palette_search,
    recorded_links,
    sample_db,
    sample_db_template,
    screen_text,
    settle,
    small_db,
)
from textual.widgets import ProgressBar

from kkr_tui.app.screens.help import HelpScreen
from kkr_tui.app.screens.pick_list import PickListScreen
from kkr_tui.app.widgets.item_pane import ItemPane
from kkr_tui.app.widgets.meeting_tree import MeetingTree
from kkr_tui.paths import sample_documents

SIZE = (100, 32)


def _cursor(app) -> tuple[str, object]:
    node = app.query_one(MeetingTree).cursor_node
    assert node is not None and node.data is not None
    return node.data.kind, node.data.key


async def test_first_run_ingests_samples_with_progress(tmp_path: Path) -> None:
    db = tmp_path / "new" / "kkr.db"
    app = make_app(db, sample_docs=sample_documents())
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        bar = app.query_one(ProgressBar)
        assert bar.total == 5 and bar.progress == 5
        assert not app.query_one("#ingest").display
        assert app.pane.shown is not None and app.pane.shown[0] == "meeting"
        text = screen_text(app)
        assert "KKR Hovedstaden" in text and "18.06.2025 · Dagsorden" in text
    assert db.exists()


async def test_empty_database_shows_placeholder(tmp_path: Path) -> None:
    app = make_app(tmp_path / "empty.db")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert "Ingen møder endnu" in screen_text(app)
        await pilot.press("right_square_bracket", "c", "i")
        await settle(pilot)
        assert app.is_running


@pytest.mark.slow
async def test_opens_on_newest_meeting_and_tree_keys(sample_db: Path) -> None:
    app = make_app(sample_db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        tree = app.query_one(MeetingTree)
        assert app.focused is tree
        first = _cursor(app)
        assert first[0] == "meeting"
        assert app.current_meeting.meeting_date == "2025-06-18"
        await pilot.press("j")
        await settle(pilot)
        assert app.current_meeting.meeting_date == "2025-02-03"
        await pilot.press("k", "l")
        await settle(pilot)
        assert tree.cursor_node.is_expanded
        await pilot.press("l")
        await settle(pilot)
        assert _cursor(app)[0] == "section"
        await pilot.press("l", "l")
        await settle(pilot)
        assert _cursor(app)[0] == "item"
        assert app.pane.shown == ("item", _cursor(app)[1])
        await pilot.press("h")
        assert _cursor(app)[0] == "section"
        await pilot.press("h")
        assert not tree.cursor_node.is_expanded
        await pilot.press("g")
        assert _cursor(app) == ("council", "KKR Hovedstaden")
        await pilot.press("G")
        assert tree.cursor_line == tree.last_line
        await pilot.press("g", "j", "j", "j", "enter")
        await settle(pilot)
        assert tree.cursor_node.is_expanded


async def test_enter_on_item_opens_it_in_the_pane(sample_db: Path) -> None:
    app = make_app(sample_db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("l", "j", "l", "j")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.focused, ItemPane)
        assert app.current_item.number == "1.1"
        text = screen_text(app)
        assert "1.1 Godkendelse af referat" in text
        assert "SAG-2025-02162" in text and "Indstilling" in text
        await pilot.press("tab")  # in the text, tab goes to its first link
        assert isinstance(app.focused, ItemPane) and app.pane.link is not None
        await pilot.press("escape")
        assert isinstance(app.focused, MeetingTree)


@pytest.mark.slow
async def test_item_and_meeting_jumps_and_history(sample_db: Path) -> None:
    app = make_app(sample_db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("right_square_bracket")
        await settle(pilot)
        assert app.current_item.number == "1.1"
        await pilot.press("right_square_bracket", "right_square_bracket")
        await settle(pilot)
        assert app.current_item.number == "2.1", "] crosses into the next section"
        assert _cursor(app) == ("item", app.current_item.id), "the tree follows"
        await pilot.press("left_square_bracket")
        await settle(pilot)
        assert app.current_item.number == "1.2"
        await pilot.press("left_curly_bracket")
        await settle(pilot)
        assert app.current_meeting.meeting_date == "2025-02-03"
        await pilot.press("left_curly_bracket")
        await settle(pilot)
        assert app.current_meeting.meeting_date == "2022-03-25"
        assert _cursor(app) == ("meeting", app.current_meeting.id)
        await pilot.press("right_curly_bracket")
        await settle(pilot)
        assert app.current_meeting.meeting_date == "2025-02-03"
        await pilot.press("backspace")
        await settle(pilot)
        assert app.current_meeting.meeting_date == "2022-03-25"
        await pilot.press("backspace", "backspace")
        await settle(pilot)
        assert app.current_item.number == "1.2"
        await pilot.press("alt+right")
        await settle(pilot)
        assert app.current_meeting.meeting_date == "2025-02-03"


@pytest.mark.slow
async def test_i_and_b_jump_to_indstilling_and_beslutning(sample_db: Path) -> None:
    app = make_app(sample_db)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("j", "right_square_bracket")
        await settle(pilot)
        for _ in range(12):
            item = app.current_item
            kinds = {part.kind for part in item.parts}
            if {"Beslutning", "Sagsfremstilling"} <= kinds:
                break
            await pilot.press("right_square_bracket")
            await settle(pilot)
        pane = app.pane
        assert item.doc_type == "minutes"
        await pilot.press("b")
        await settle(pilot)
        decision = pane.part_widget("Beslutning")
        assert decision is not None
        assert pane.scroll_y > 0
        at_top = decision.region.y - pane.region.y <= 2
        assert at_top or pane.scroll_y == pane.max_scroll_y, "Beslutning scrolled into view"
        assert pane.region.contains(decision.region.x, decision.region.y)
        await pilot.press("i")
        await settle(pilot)
        proposal = pane.part_widget("Indstilling")
        assert proposal is not None and 0 <= proposal.region.y - pane.region.y <= 2


async def test_copy_puts_citation_and_text_on_the_clipboard(sample_db: Path) -> None:
    app = make_app(sample_db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("c")
        assert app.clipboard == "", "nothing to copy on a meeting overview"
        await pilot.press("right_square_bracket")
        await settle(pilot)
        await pilot.press("c")
        await settle(pilot)
        expected = (
            "KKR Hovedstaden, møde 18.06.2025, pkt. 1.1 (SAG-2025-02162): Godkendelse af referat"
        )
        assert app.clipboard.startswith(expected + "\n")
        assert "Indstilling\nDet indstilles, at KKR Hovedstaden godkender referatet." in (
            app.clipboard
        )
        messages = [n.message for n in app._notifications]
        # Says what was copied and how, never a bare "copied" (no clipboard tool here).
        assert messages[-1] == (
            "Punktet med kildehenvisning er sendt til terminalens udklipsholder (OSC 52). "
            "Giver indsæt intet, tillader din terminal det ikke; installér wl-copy eller xclip."
            f"\n{expected}"
        )


async def test_open_source_only_on_request(sample_db: Path, monkeypatch) -> None:
    app = make_app(sample_db)
    opened = recorded_links(app, monkeypatch)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("right_square_bracket")
        await settle(pilot)
        assert opened == []
        await pilot.press("o")
        await settle(pilot)
        if app.current_item.urls:  # the item's links are offered beside the document
            assert isinstance(app.screen, PickListScreen) and opened == []
            options = app.screen.query_one("OptionList")
            assert options.option_count == 1 + len(app.current_item.urls)
            await pilot.press("enter")
            await settle(pilot)
        assert len(opened) == 1 and opened[0].startswith("file://")
        assert opened[0].endswith("000_5761956d8ee0dfc0.txt")


async def test_o_offers_the_document_and_every_link(sample_db: Path, monkeypatch) -> None:
    app = make_app(sample_db)
    opened = recorded_links(app, monkeypatch)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("right_square_bracket")
        await settle(pilot)
        while not app.current_item.urls:  # the first item of the samples with a link
            await pilot.press("right_square_bracket")
            await settle(pilot)
        link = app.current_item.urls[0]
        await pilot.press("o")
        await settle(pilot)
        assert isinstance(app.screen, PickListScreen) and opened == []
        text = screen_text(app)
        assert "Kildedokumentet" in text and "Link: " in text
        await pilot.press("j", "enter")
        await settle(pilot)
        assert opened == [link]
        assert any(n.message.startswith("Åbner Link: ") for n in app._notifications)
        app.pane.focus()
        await pilot.press("enter")  # enter in the text: the item's links only
        await settle(pilot)
        if len(app.current_item.urls) > 1:
            assert isinstance(app.screen, PickListScreen)
            await pilot.press("enter")
            await settle(pilot)
        assert opened == [link, link]


async def test_help_and_palette_follow_the_keymap_and_clashes_are_reported(
    sample_db: Path, tmp_path: Path
) -> None:
    from kkr_tui.app.screens.help import help_content, reader_groups

    config = tmp_path / "config.toml"
    config.write_text(
        '[keymap]\nnext_item = "n"\nsearch = "ctrl+s"\nno_such_thing = "z"\n', encoding="utf-8"
    )
    app = make_app(sample_db, config_path=config)
    # Tall enough that the whole "Everywhere" group is on screen (the text is read off it).
    async with app.run_test(size=(SIZE[0], SIZE[1] + 6)) as pilot:
        await settle(pilot)
        messages = [n.message for n in app._notifications]
        assert "keymap: n er lagt på både next_item og edit_note" in messages
        assert "keymap: ukendt navn no_such_thing" in messages
        await pilot.press("n")
        await settle(pilot)
        assert app.current_item is not None and app.current_item.number == "1.1"
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        text = help_content(app.screen.groups).plain  # all of it, also below the fold
        assert "Næste punkt, også i næste afsnit" in text
        assert "next_item" not in text and "jump_beslutning" not in text, "no binding ids"
        assert "Sådan søger du" in text and "afviger fra indstillingen" in text
        rows = {d: k for _title, group in reader_groups(app) for k, d in group}
        assert rows["Næste punkt, også i næste afsnit"] == "n"
        assert rows["Søg i punkterne fra alle KKR'er"] == "^s"
        assert rows["Fold linjen sammen, eller gå til linjen over den"] == "h ←"
        await pilot.press("escape")
        assert not isinstance(app.screen, HelpScreen)
        await pilot.press("f1")
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("f1")
        assert not isinstance(app.screen, HelpScreen)
        await palette_search(pilot, "næste punkt")
        assert "Næste punkt, også i næste afsnit  (n)" in screen_text(app)


async def test_help_and_palette_say_that_the_fetch_key_again_stops_the_fetch(
    sample_db: Path,
) -> None:
    # `H` starts a fetch and `H` again stops it (outside_changes.action_fetch_documents);
    # a reader who looked in the help or the palette must be able to learn the second.
    from kkr_tui.app.commands import KkrCommands
    from kkr_tui.app.screens.help import reader_groups

    fetch_help = "Hent nye dagsordener, referater og bilag fra KL's sider; tryk igen for at stoppe"
    app = make_app(sample_db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        rows = {d: k for _title, group in reader_groups(app) for k, d in group}
        assert rows[fetch_help] == "H"
        palette = {name: text for name, _run, text in KkrCommands(app.screen)._candidates()}
        assert palette["Hent nye dokumenter"] == fetch_help + "  (H)"


async def test_quit_with_q_but_not_while_typing(sample_db: Path) -> None:
    app = make_app(sample_db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("slash")
        await pilot.press("q")
        await settle(pilot)
        assert app.is_running
        assert app.screen.query_one("Input").value.endswith("q")
        await pilot.press("escape")
        await pilot.press("q")
        await pilot.pause()
        assert not app.is_running


async def test_ctrl_q_quits(small_db: Path) -> None:
    app = make_app(small_db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert not app.is_running


async def test_theme_toggle_is_remembered(small_db: Path, tmp_path: Path) -> None:
    from kkr_tui.app.app import KkrApp

    config = tmp_path / "config.toml"
    config.write_text('[keymap]\ncopy = "y"\n', encoding="utf-8")
    app = KkrApp(small_db, config_path=config)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert app.theme == "textual-dark"
        await pilot.press("t")
        assert app.theme == "textual-light"
    assert 'theme = "textual-light"' in config.read_text(encoding="utf-8")
    assert 'copy = "y"' in config.read_text(encoding="utf-8")
    again = KkrApp(small_db, config_path=config)
    async with again.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert again.theme == "textual-light"


@pytest.mark.slow
async def test_palette_runs_app_commands(small_db: Path) -> None:
    app = make_app(small_db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await palette_search(pilot, "lyst")
        await pilot.press("enter")
        await settle(pilot)
        assert app.theme == "textual-light"


@pytest.mark.slow
async def test_layout_at_small_and_large_sizes(small_db: Path) -> None:
    """Side by side at 200 columns; at 80 one pane at a time, the whole width, tab switches."""
    for size in ((80, 24), (200, 60)):
        app = make_app(small_db)
        async with app.run_test(size=size) as pilot:
            await settle(pilot)
            await pilot.press("right_square_bracket")
            await settle(pilot)
            tree, pane = app.query_one(MeetingTree), app.pane
            text = screen_text(app)
            assert "Søg" in text and "Hjælp" in text
            if size[0] >= 100:
                assert tree.region.width >= 28 and pane.region.width >= 40
                assert tree.region.right <= pane.region.x
                assert "1.1 Godkendelse af referat" in text
                continue
            assert tree.region.width == size[0] and pane.region.width == 0
            assert "1.1 Godkendelse af referat" in text, "the whole title in the list"
            assert tree.show_horizontal_scrollbar is False
            await pilot.press("tab")
            await settle(pilot)
            assert app.focused is pane and pane.region.width >= size[0] - 4
            assert tree.region.width == 0
            await pilot.press("tab")  # the item's one link, then past it to the list
            await settle(pilot)
            assert app.focused is pane and pane.link is not None
            await pilot.press("tab")
            await settle(pilot)
            assert app.focused is tree and tree.region.width == size[0]
            await pilot.press("tab")
            await settle(pilot)
            await pilot.press("escape")  # from the text back to the list
            await settle(pilot)
            assert app.focused is tree and tree.region.width == size[0]


async def test_find_in_the_item_with_slash_then_n_and_escape(sample_db: Path) -> None:
    from kkr_tui.app.screens.note_editor import NoteEditor

    app = make_app(sample_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("j", "right_square_bracket")
        await settle(pilot)
        app.pane.focus()
        await pilot.press("slash")
        await settle(pilot)
        assert app.focused is not None and app.focused.id == "find-bar", "/ in the text finds"
        await pilot.press(*"godkend", "enter")
        await settle(pilot)
        state = app.pane.finder.state
        assert state is not None and len(state.matches) >= 2
        assert app.focused is app.pane
        assert state.matches[0].widget.has_class("-found")
        assert "Fund 1 af" in list(app._notifications)[-1].message
        await pilot.press("n")
        await settle(pilot)
        assert state.current == 1 and state.matches[1].widget.has_class("-found")
        await pilot.press("N")
        await settle(pilot)
        assert state.current == 0
        await pilot.press("escape")
        await settle(pilot)
        assert app.pane.finder.state is None
        assert not app.pane.query(".-found")
        await pilot.press("n")  # the note key again once the find is over
        await settle(pilot)
        assert isinstance(app.screen, NoteEditor)
