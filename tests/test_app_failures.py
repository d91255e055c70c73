# ruff: noqa: F811  (pytest fixtures imported from app_fixtures)
"""A worker that fails is logged and shown, whatever the error: never a silent death.

Failures are injected where the reader really calls the core (``related_items``,
the search, a tree level), so the tests follow the same path a bug would.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import pytest
from app_fixtures import make_app, search_for, settle, small_db  # noqa: F401

from kkr_tui.app.failures import WHAT_FAILED, log_to_file
from kkr_tui.i18n import _

SIZE = (110, 36)


def _notifications(app: Any) -> list[tuple[str, str]]:
    return [(n.title, n.message) for n in app._notifications]


def _failed(worker: str) -> str:
    """The title the user reads (Danish in tests: "Visning af … mislykkedes")."""
    return _("{what} failed").format(what=_(WHAT_FAILED[worker]))


def _broken(*args: object, **kwargs: object) -> object:
    raise AttributeError("'NoneType' object has no attribute 'case_number'")


async def test_an_error_in_related_items_is_logged_and_shown(
    small_db: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setattr("kkr_tui.meetingwork.related.related_items", _broken)
    app = make_app(small_db)
    with caplog.at_level(logging.ERROR, logger="kkr_tui"):
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            await pilot.press("right_square_bracket")
            await settle(pilot)
            shown = _notifications(app)
    failed = [r for r in caplog.records if r.exc_info and r.exc_info[0] is AttributeError]
    assert failed, "the failure is logged with its traceback"
    assert failed[0].exc_info is not None and failed[0].exc_info[2] is not None
    assert (
        _failed("show_for"),
        "AttributeError: 'NoneType' object has no attribute 'case_number'",
    ) in shown


async def test_a_store_error_is_shown_in_the_stores_words(
    small_db: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    from kkr_tui.store import StoreBusyError

    def busy(*args: object, **kwargs: object) -> object:
        raise StoreBusyError("database is busy: another program kept it locked; try again")

    monkeypatch.setattr("kkr_tui.meetingwork.related.related_items", busy)
    app = make_app(small_db)
    with caplog.at_level(logging.ERROR, logger="kkr_tui"):
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            await pilot.press("right_square_bracket")
            await settle(pilot)
            shown = _notifications(app)
    assert any(r.exc_info and r.exc_info[0] is StoreBusyError for r in caplog.records)
    assert (
        _("Database · {what}").format(what=_(WHAT_FAILED["show_for"])),
        "database is busy: another program kept it locked; try again",
    ) in shown


async def test_a_tree_level_that_fails_to_load_is_shown(
    small_db: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """The tree's own workers report to the tree, not the app: they are heard too."""
    app = make_app(small_db)
    with caplog.at_level(logging.ERROR, logger="kkr_tui"):
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            monkeypatch.setattr(type(app.tree), "_fetch", _async_broken)
            closed = next(n for n in app.tree.root.children if not n.is_expanded)
            closed.expand()
            await settle(pilot)
            shown = _notifications(app)
    assert any(title == _failed("load_children") for title, _message in shown), shown
    assert any(r.exc_info and r.exc_info[0] is AttributeError for r in caplog.records)


async def _async_broken(*args: object, **kwargs: object) -> object:
    raise AttributeError("injected")


async def test_a_search_screen_worker_failure_is_shown(
    small_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from kkr_tui.app.screens.search import SearchScreen

    def broken_prompt(*args: object, **kwargs: object) -> object:
        raise TypeError("injected into drawing the hits")

    monkeypatch.setattr("kkr_tui.app.screens.search.hit_prompt", broken_prompt)
    app = make_app(small_db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = await search_for(pilot, "referat")
        assert isinstance(screen, SearchScreen)
        shown = _notifications(app)
    assert (
        _failed("run_search"),
        "TypeError: injected into drawing the hits",
    ) in shown


def test_the_log_file_gets_the_traceback(tmp_path: Path) -> None:
    path = tmp_path / "log" / "kkr-tui.log"
    handler = log_to_file(path)
    try:
        try:
            raise AttributeError("injected")
        except AttributeError as exc:
            logging.getLogger("kkr_tui.app").error("show failed", exc_info=exc)
    finally:
        logging.getLogger("kkr_tui").removeHandler(handler)
        handler.close()
    text = path.read_text(encoding="utf-8")
    assert "ERROR kkr_tui.app: show failed" in text
    assert "Traceback" in text and "AttributeError: injected" in text


def test_an_unwritable_log_folder_does_not_stop_the_reader(tmp_path: Path) -> None:
    blocker = tmp_path / "a file"
    blocker.write_text("")
    handler = log_to_file(blocker / "kkr-tui.log")
    try:
        logging.getLogger("kkr_tui.app").error("dropped")
    finally:
        logging.getLogger("kkr_tui").removeHandler(handler)
        handler.close()


def test_every_worker_of_the_reader_is_named() -> None:
    """A worker added without a name in WHAT_FAILED would be reported by its method name."""
    import ast

    import kkr_tui.app

    workers = set()
    for path in Path(kkr_tui.app.__file__).parent.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and any(
                isinstance(d, ast.Call) and getattr(d.func, "id", None) == "work"
                for d in node.decorator_list
            ):
                workers.add(node.name)
    assert workers, "the reader has workers"
    assert workers <= set(WHAT_FAILED), sorted(workers - set(WHAT_FAILED))
    assert _failed("show") == "Visning af punktet eller mødet mislykkedes"


async def test_a_list_that_cannot_load_is_closed_and_named(
    small_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What's new opens at once and fetches its rows itself; when that fails, the empty
    list does not stay on screen, and the notification names the list."""
    from kkr_tui.store import Store

    def broken(*args: object, **kwargs: object) -> object:
        raise AttributeError("injected into the changed items")

    app = make_app(small_db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        monkeypatch.setattr(Store, "changed_items", broken)
        await pilot.press("w")
        for _ in range(40):  # settle() re-raises the failed worker; poll instead
            await pilot.pause(0.05)
            if app.screen is app.screen_stack[0] and _notifications(app):
                break
        shown = _notifications(app)
        assert app.screen is app.screen_stack[0], "the empty list was closed"
    assert (_failed("load_whats_new"), "AttributeError: injected into the changed items") in shown
