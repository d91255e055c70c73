# ruff: noqa: F401, F811  (pytest fixtures imported from app_fixtures)
"""Snapshot tests of the main screens at 100×32: fixed theme, fixed data, no clock.

Update after an intended visual change with ``pytest tests/test_app_snapshots.py
--snapshot-update`` and review the SVGs in ``tests/__snapshots__``.
"""

from __future__ import annotations

from pathlib import Path

from app_fixtures import (
    make_app,
    sample_db,
    sample_db_template,
    search_for,
    settle,
    small_db,
)

SIZE = (100, 32)


def test_main_screen(snap_compare, sample_db: Path) -> None:
    async def run_before(pilot) -> None:
        await settle(pilot)

    assert snap_compare(make_app(sample_db), terminal_size=SIZE, run_before=run_before)


def test_minutes_item(snap_compare, sample_db: Path) -> None:
    async def run_before(pilot) -> None:
        await settle(pilot)
        await pilot.press("j", "right_square_bracket", "right_square_bracket")
        await settle(pilot)
        assert pilot.app.current_item.doc_type == "minutes"

    assert snap_compare(make_app(sample_db), terminal_size=SIZE, run_before=run_before)


def test_search_results(snap_compare, small_db: Path) -> None:
    """On the hand-built store, so tuning the ranking of the samples does not move it."""

    async def run_before(pilot) -> None:
        await settle(pilot)
        screen = await search_for(pilot, "sundhedsrefrom")
        assert len(screen.hits) == 3
        screen.query_one("Input").cursor_blink = False
        await pilot.pause()

    assert snap_compare(make_app(small_db), terminal_size=SIZE, run_before=run_before)


def test_help(snap_compare, sample_db: Path) -> None:
    async def run_before(pilot) -> None:
        await settle(pilot)
        await pilot.press("f1")
        await settle(pilot)

    assert snap_compare(make_app(sample_db), terminal_size=SIZE, run_before=run_before)
