# ruff: noqa: F401, F811  (pytest fixtures imported from app_fixtures)
"""Document text that looks like markup or terminal escapes is shown verbatim and does nothing.

The hostile strings of ENGINEERING.md sit in section and item titles, part text,
attachments, warnings, place and participants of a hand-built store. They must appear
literally in the tree, the pane, search results and notifications, without a crash,
an opened link, or a quit.
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from app_fixtures import (
    HOSTILE,
    HOSTILE_VISIBLE,
    hostile_db,
    make_app,
    palette_search,
    recorded_links,
    screen_text,
    search_for,
    settle,
)
from rich.console import Console
from textual.content import Content
from textual.widgets import Static

from kkr_tui.app.render import citation, hit_prompt, item_as_text, literal
from kkr_tui.app.widgets.meeting_tree import MeetingTree

SIZE = (160, 60)


def _pane_text(app) -> str:
    """The plain text of every Static in the pane (including parts scrolled out of view)."""
    out = []
    for static in app.pane.query(Static):
        content = static.content
        if isinstance(content, Content):
            out.append(content.plain)
        elif isinstance(content, str):
            out.append(content)
        else:
            console = Console(width=400, file=io.StringIO(), color_system=None)
            console.print(content)
            out.append(console.file.getvalue())
    return "\n".join(out)


def _no_escapes(text: str) -> None:
    assert "\x1b" not in text and "\x07" not in text and "\u202e" not in text


@pytest.mark.slow
async def test_hostile_strings_render_verbatim_everywhere(hostile_db: Path, monkeypatch) -> None:
    app = make_app(hostile_db)
    opened = recorded_links(app, monkeypatch)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        overview = screen_text(app)
        assert "Rådhuset [@click=app.quit]x[/]" in overview
        assert "Anne [b]Bold[/b] (Kbh [/])" in overview
        assert "1. Sektion [/] [bold]fed[/bold]" in overview

        tree = app.query_one(MeetingTree)
        await pilot.press("right_square_bracket")
        await settle(pilot)
        labels = [line.node.label.plain for line in tree._tree_lines]
        for visible in HOSTILE_VISIBLE:
            assert any(visible in label for label in labels), visible

        for number, visible in enumerate(HOSTILE, start=1):
            assert app.current_item.number == f"1.{number}"
            pane = _pane_text(app)
            _no_escapes(pane)
            if visible in HOSTILE_VISIBLE:
                assert f"Hostile {number} {visible}" in pane
                assert f"Det indstilles, at Tekst {number} {visible}" in pane
                assert f"Besluttet {visible}" in pane
                assert f"note Hostile {number} {visible}" in pane
            await pilot.press("c")
            await settle(pilot)
            _no_escapes(app.clipboard)
            latest = list(app._notifications)[-1].message
            assert latest.endswith("\n" + citation(app.current_item))
            if visible in HOSTILE_VISIBLE:
                assert visible in latest and visible in screen_text(app), "toast is literal"
            await pilot.press("right_square_bracket")
            await settle(pilot)

        text = screen_text(app)
        _no_escapes(text)

        screen = await search_for(pilot, "hostile")
        assert len(screen.hits) == len(HOSTILE)
        results = screen_text(app)
        for visible in ("[bold]x[/bold]", "[/]", "[@click=app.quit]q[/]", "[$accent]farve"):
            assert visible in results, visible
        _no_escapes(results)
        await pilot.press("escape")
        await settle(pilot)

        assert app.is_running
        assert opened == []


def test_render_helpers_never_parse_markup() -> None:
    for raw in HOSTILE_VISIBLE:
        assert literal(f"x {raw}").plain == f"x {raw}"
    for raw in set(HOSTILE) - set(HOSTILE_VISIBLE):
        _no_escapes(literal(f"x {raw}").plain)


def test_hit_prompt_keeps_spans_on_the_right_words() -> None:
    class Hit:
        council = "KKR Midtjylland"
        meeting_date = "2025-03-01"
        doc_type = "agenda"
        number = "2.1"
        title = "[/] Økonomi"
        title_highlights = ((4, 11),)
        snippet = "a\x1b[31m [b]økonomi[/b] b"
        highlights = ((10, 17),)

    prompt = hit_prompt(Hit())
    plain = prompt.plain
    assert "Midtjylland · 01.03.2025 · Dagsorden  2.1 [/] Økonomi" in plain
    assert "[b]økonomi[/b]" in plain and "\x1b" not in plain
    marked = {plain[s.start : s.end] for s in prompt.spans if "underline" in str(s.style)}
    assert marked == {"Økonomi", "økonomi"}


def test_citation_and_copy_text_are_plain() -> None:
    class ItemLike:
        council = "KKR Hovedstaden"
        meeting_date = "2025-06-18"
        number = "3.4"
        case_number = "SAG-2025-02162"
        title = "Strategi [/] for\x1b[31m mobilitet"
        parts = ()
        attachments = ("Bilag 3 [fortroligt]",)
        urls = ()

    line = citation(ItemLike())
    assert line == (
        "KKR Hovedstaden, møde 18.06.2025, pkt. 3.4 (SAG-2025-02162): Strategi [/] for mobilitet"
    )
    assert "- Bilag 3 [fortroligt]" in item_as_text(ItemLike())


async def test_palette_shows_links_literally_and_opens_only_when_chosen(
    hostile_db: Path, monkeypatch
) -> None:
    app = make_app(hostile_db)
    opened = recorded_links(app, monkeypatch)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("right_square_bracket")
        await settle(pilot)
        await palette_search(pilot, "link")
        assert "Åbn link https://www.kl.dk/hostile" in screen_text(app)
        assert opened == []
        await pilot.press("enter")
        await settle(pilot)
        assert opened == ["https://www.kl.dk/hostile"]
