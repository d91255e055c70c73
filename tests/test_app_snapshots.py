# ruff: noqa: F401, F811  (pytest fixtures imported from app_fixtures)
"""Snapshot tests of the reader's screens at 80×24 and 200×60, dark and light.

80×24 is the narrow layout (one pane at a time); 200×60 side by side. Fixed data, no
clock. Update after an intended visual change with ``pytest tests/test_app_snapshots.py
--snapshot-update`` and look at the SVGs in ``tests/__snapshots__`` before committing.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest
from app_fixtures import (
    make_app,
    sample_db,
    sample_db_template,
    search_for,
    settle,
    small_db,
)

SIZES = {"80x24": (80, 24), "200x60": (200, 60)}
THEMES = {"dark": "textual-dark", "light": "textual-light"}

Steps = Callable[[Any], Awaitable[None]]


async def _main(pilot: Any) -> None:
    await settle(pilot)


async def _minutes_item(pilot: Any) -> None:
    """An item of the minutes with its decision line and its Beslutning."""
    await settle(pilot)
    await pilot.press("j", "right_square_bracket", "right_square_bracket")
    await settle(pilot)
    assert pilot.app.current_item.doc_type == "minutes"
    await pilot.press("tab" if pilot.app.narrow else "b")
    await settle(pilot)


async def _search(pilot: Any) -> None:
    await settle(pilot)
    screen = await search_for(pilot, "sundhedsrefrom")
    assert len(screen.hits) == 3
    screen.query_one("Input").cursor_blink = False
    await pilot.pause()


async def _help(pilot: Any) -> None:
    await settle(pilot)
    await pilot.press("question_mark")
    await settle(pilot)


async def _decisions(pilot: Any) -> None:
    await settle(pilot)
    await pilot.press("j", "right_square_bracket")
    await settle(pilot)
    await pilot.press("d")
    await settle(pilot)


async def _whats_new(pilot: Any) -> None:
    """What's new after a re-uploaded agenda: the parts that differ, the words marked."""
    await settle(pilot)
    await pilot.press("w")
    await settle(pilot)


async def _changed_item(pilot: Any) -> None:
    """The changed item opened from What's new: the pane's "what changed" block."""
    await _whats_new(pilot)
    await pilot.press("enter")
    await settle(pilot)
    # The footer's "r Relateret" follows the Related panel, filled by its own worker
    # after the pane's: ask the footer again once everything has settled.
    pilot.app.refresh_bindings()
    await settle(pilot)


SCENES: dict[str, tuple[Steps, str]] = {
    "main": (_main, "sample"),
    "minutes_item": (_minutes_item, "sample"),
    "search_results": (_search, "small"),  # the hand-built store: ranking tweaks do not move it
    "help": (_help, "sample"),
    "decisions": (_decisions, "sample"),
    "whats_new": (_whats_new, "reuploaded"),
    "changed_item": (_changed_item, "reuploaded"),
}


@pytest.mark.parametrize("theme", list(THEMES))
@pytest.mark.parametrize("size", list(SIZES))
@pytest.mark.parametrize("scene", list(SCENES))
def test_screen(
    snap_compare: Any, scene: str, size: str, theme: str, sample_db: Path, small_db: Path
) -> None:
    steps, db = SCENES[scene]

    async def run_before(pilot: Any) -> None:
        pilot.app.theme = THEMES[theme]
        await steps(pilot)

    if db == "reuploaded":
        from meeting_work_fixtures import seen_then_reuploaded_000

        seen_then_reuploaded_000(sample_db)
    app = make_app(small_db if db == "small" else sample_db)
    assert snap_compare(app, terminal_size=SIZES[size], run_before=run_before)


@pytest.mark.parametrize("size", list(SIZES))
def test_upgrading_an_older_archive(snap_compare: Any, size: str, tmp_path: Path) -> None:
    """The upgrade of a schema-3 archive, held at a fixed step (38 %): the panel with
    its percent and bar over the pane's word on what is happening."""
    from app_fixtures import held_app, until_held
    from old_databases import v3_database

    app, held = held_app(v3_database(tmp_path / "kkr.db"))

    async def run_before(pilot: Any) -> None:
        await until_held(pilot, held)

    assert snap_compare(app, terminal_size=SIZES[size], run_before=run_before)
