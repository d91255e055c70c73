"""Builders for the app tests: stores from the samples or from hand-made meetings, and waits.

Kept apart from the tests so snapshot and pilot tests build the exact same app, the way
Posting keeps a small module that constructs its app for snapshots.
"""

from __future__ import annotations

import asyncio
import hashlib
import shutil
import threading
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot

from kkr_tui.model import Block, Item, Meeting, ParseWarning, Part, Participant, Section

SEARCH_WAIT = 0.2

HOSTILE: tuple[str, ...] = (
    "[bold]x[/bold]",
    "[/]",
    "[0]",
    "[link=https://evil.example]klik[/link]",
    "[@click=app.quit]q[/]",
    "[$accent]farve",
    "a\\[b]",
    "tail\\",
    "\x1b]0;pwned\x07",
    "\x1b[31mred",
    "\u202eevil",
    "Bilag 3 [fortroligt]",
    "Æbleø [å]",
)

#: What each hostile string must look like on screen (control sequences removed, rest verbatim).
HOSTILE_VISIBLE: tuple[str, ...] = (
    "[bold]x[/bold]",
    "[/]",
    "[0]",
    "[link=https://evil.example]klik[/link]",
    "[@click=app.quit]q[/]",
    "[$accent]farve",
    "a\\[b]",
    "tail\\",
    "Bilag 3 [fortroligt]",
    "Æbleø [å]",
)


def _item(number: str, title: str, text: str, *, decision: str = "") -> Item:
    parts = [
        Part("Baggrund", "Baggrund", (Block("paragraph", text),)),
        Part("Indstilling", "Indstilling", (Block("paragraph", f"Det indstilles, at {text}"),)),
    ]
    if decision:
        parts.append(Part("Beslutning", "Beslutning", (Block("paragraph", decision),)))
    return Item(
        number=number,
        title=title,
        case_number="SAG-2025-09999",
        initials=("abc",),
        parts=tuple(parts),
        attachments=(f"Bilag {title}",),
        urls=("https://www.kl.dk/hostile",),
        first_page=2,
        last_page=2,
        warnings=(ParseWarning("text", (("text", f"note {title}"),)),),
    )


def hostile_meeting() -> Meeting:
    """A meeting whose every text field carries strings that look like markup or escapes."""
    items = tuple(
        _item(f"1.{n}", f"Hostile {n} {s}", f"Tekst {n} {s}", decision=f"Besluttet {s}")
        for n, s in enumerate(HOSTILE, start=1)
    )
    return Meeting(
        source="hostile.txt",
        council="KKR Hovedstaden",
        meeting_date="2024-05-01",
        doc_type="minutes",
        sections=(Section(1, "Sektion [/] [bold]fed[/bold]", items, page=1),),
        place="Rådhuset [@click=app.quit]x[/]",
        participants=(Participant("Anne [b]Bold[/b]", "Kbh [/]"),),
        page_count=3,
    )


def small_meetings() -> list[Meeting]:
    """Two councils, three meetings: enough for navigation without the parser."""
    out = []
    for council, date, doc_type in (
        ("KKR Hovedstaden", "2025-06-18", "minutes"),
        ("KKR Hovedstaden", "2024-11-22", "agenda"),
        ("KKR Midtjylland", "2025-03-01", "agenda"),
    ):
        sections = (
            Section(
                1,
                "Godkendelse",
                (
                    _item("1.1", f"Godkendelse af referat {date}", "referatet godkendes."),
                    _item("1.2", "Godkendelse af dagsorden", "dagsordenen godkendes."),
                ),
            ),
            Section(
                2,
                "Sager",
                (
                    _item(
                        "2.1",
                        "Sundhedsreformen og økonomi",
                        "sundhedsreformen giver kommunerne nye opgaver og økonomi.",
                        decision="Godkendt." if doc_type == "minutes" else "",
                    ),
                ),
            ),
        )
        out.append(
            Meeting(
                source=f"{council}-{date}.txt",
                council=council,
                meeting_date=date,
                doc_type=doc_type,  # type: ignore[arg-type]
                sections=sections,
                place="Rådhuset",
                page_count=4,
            )
        )
    return out


def build_store(db_path: Path, meetings: list[Meeting]) -> Path:
    """A database holding ``meetings``, saved through the Store's public API."""
    from kkr_tui.store import Store

    db_path.parent.mkdir(parents=True, exist_ok=True)
    store = Store(db_path)
    try:
        for meeting in meetings:
            digest = hashlib.sha256(repr(meeting).encode()).hexdigest()
            store.save_document(meeting, path=meeting.source, sha256=digest, parser_version="test")
    finally:
        store.close()
    return db_path


def build_sample_store(db_path: Path, samples: list[Path]) -> Path:
    """A database with the bundled sample documents, ingested the way the app does it."""
    from kkr_tui.ingest import ingest_paths
    from kkr_tui.store import Store

    db_path.parent.mkdir(parents=True, exist_ok=True)
    store = Store(db_path)
    try:
        summary = ingest_paths(store, samples, progress=None, cancel=None)
        assert not summary.failed, summary.results
    finally:
        store.close()
    return db_path


def copy_db(source: Path, target_dir: Path) -> Path:
    """A private copy of a prepared database, so tests never share a file."""
    target_dir.mkdir(parents=True, exist_ok=True)
    target = target_dir / source.name
    shutil.copy2(source, target)
    return target


def make_app(db_path: Path, config_path: Path | None = None, **kwargs: Any) -> Any:
    """The app as tests and snapshots build it: fixed theme, no remembered settings."""
    from kkr_tui.app.app import KkrApp

    app = KkrApp(db_path, config_path=config_path, theme="textual-dark", **kwargs)
    return app


async def settle(pilot: Pilot[Any], rounds: int = 8) -> None:
    """Wait until no worker is running and no debounce timer is pending.

    Workers start workers (a tree load triggers a pane load), so wait in rounds.
    """
    app = pilot.app
    for _ in range(rounds):
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause(0.02)
        if not any(w.is_running for w in app.workers):
            await pilot.pause()
            if not any(w.is_running for w in app.workers):
                return


async def search_for(pilot: Pilot[Any], query: str) -> Any:
    """Open search, type ``query`` and wait for the results; returns the search screen."""
    from kkr_tui.app.screens.search import SearchScreen

    app = pilot.app
    if not isinstance(app.screen, SearchScreen):
        await pilot.press("slash")
        await pilot.pause()
    screen = app.screen
    screen.query_one("Input").value = query
    await pilot.pause(SEARCH_WAIT)
    await settle(pilot)
    return screen


def screen_text(app: Any) -> str:
    """Everything visible on screen as plain text (tree, pane, overlays, toasts)."""
    strips = app.screen._compositor.render_strips()
    return "\n".join(strip.text for strip in strips)


def recorded_links(app: Any, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The addresses ``app`` opens from now on, recorded instead of opened: a test never
    starts a browser or a PDF viewer."""
    opened: list[str] = []
    monkeypatch.setattr(app, "open_url", lambda url, **_: opened.append(url))
    return opened


async def palette_search(pilot: Pilot[Any], words: str, wait: float = 0.5) -> None:
    """Open the command palette (ctrl+p) and type ``words``; ``wait`` seconds for its
    matches (the palette searches in a worker of its own)."""
    await pilot.press("ctrl+p")
    await pilot.pause()
    await pilot.press(*words)
    await pilot.pause(wait)


def pane_text(app: Any) -> str:
    """The reading pane's text (every Static's literal content), whatever is scrolled off."""
    from textual.content import Content
    from textual.widgets import Static

    return "\n".join(
        s.content.plain for s in app.pane.query(Static) if isinstance(s.content, Content)
    )


@pytest.fixture(scope="session")
def sample_db_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled sample documents ingested once per test session."""
    from kkr_tui.paths import sample_documents

    folder = tmp_path_factory.mktemp("sample-db")
    return build_sample_store(folder / "kkr.db", sample_documents())


@pytest.fixture
def sample_db(sample_db_template: Path, tmp_path: Path) -> Path:
    """A private copy of the sample database."""
    return copy_db(sample_db_template, tmp_path / "db")


@pytest.fixture
def hostile_db(tmp_path: Path) -> Path:
    """A database whose texts look like markup and terminal escapes."""
    return build_store(tmp_path / "hostile" / "kkr.db", [hostile_meeting()])


@pytest.fixture
def small_db(tmp_path: Path) -> Path:
    """Two councils, three hand-built meetings."""
    return build_store(tmp_path / "small" / "kkr.db", small_meetings())


def held_app(db: Path, stage: str = "index") -> tuple[Any, threading.Event]:
    """The app on ``db`` (an archive an earlier kkr-tui made) whose upgrade stops at the
    first ``stage`` event, its store thread waiting until the test sets ``app.go_on``
    or the app closes (quit). Returns the app and the event set once it is held, so a
    test sees the upgrade on screen whatever the machine's speed."""
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
    """Wait (off the event loop) until the upgrade is held, then until the app has drawn
    its panel with a percent. Decided by what is on screen: the bound (30 s) only keeps
    a broken build from hanging the suite. (Fifty pauses were too few on a loaded
    machine: the held event's message had not reached the screen yet, and the caller's
    assertions failed on an upgrade that was showing a moment later.)"""
    assert await asyncio.get_running_loop().run_in_executor(None, held.wait, 30.0), (
        "the upgrade never reached the held step"
    )
    from kkr_tui.app.widgets.migration_panel import MigrationPanel

    for _ in range(3000):
        await pilot.pause(0.01)
        if pilot.app.query(MigrationPanel) and "%" in screen_text(pilot.app):
            return
    raise AssertionError("the held upgrade's panel never showed a percent")
