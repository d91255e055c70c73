"""Bilag are read under the budget meeting PDFs have: in a child process (memory, time
a page, time a file, killed on cancel), their pages streamed back in batches and stored
as they come; a page over budget is a page warning and the rest is kept; a bilag that
cannot be read is one line with the reason and the run goes on."""

from __future__ import annotations

import multiprocessing
import threading
from pathlib import Path

import pytest
from pdf_factory import (
    DANISH_PAGES,
    SLOW_PAGE,
    build_meeting_pdf,
    build_textless_pdf,
    with_page_content,
)
from sync_fixtures import config_home, sync  # noqa: F401 - the fixture is used by name
from sync_site import Site

from kkr_tui.failure_words import stored_words
from kkr_tui.ingest_pages import BATCH, read_pages_guarded
from kkr_tui.ingest_reader import ReadBudget
from kkr_tui.store import Store
from kkr_tui.sync.bilag import BilagSource, read_bilag
from kkr_tui.sync.client import SyncCancelled

AT = "2026-12-06T07:00:00+00:00"


def _long_pdf(path: Path, pages: int) -> Path:
    return build_meeting_pdf(
        path,
        [
            f"Rapport\n\nSide {n} af {pages}.\nGrundvand i afsnit {n}.\n"
            for n in range(1, pages + 1)
        ],
    )


def _source(path: Path, title: str = "Stor rapport") -> BilagSource:
    return BilagSource(f"https://example.invalid/{path.name}", title, str(path), "0" * 64,
                       "KKR Midtjylland", "2025-03-12")  # fmt: skip


def test_pages_come_back_from_a_child_in_batches_as_they_are_read(tmp_path: Path) -> None:
    pdf = _long_pdf(tmp_path / "long.pdf", 60)
    events: list[tuple[str, object]] = []

    def on_open(pages: int) -> None:
        # The reading happens in a child process, alive while its pages arrive.
        assert multiprocessing.active_children()
        events.append(("open", pages))

    def on_batch(pages: list[tuple[int, str]]) -> None:
        events.append(("batch", [n for n, _ in pages]))
        assert all(f"Side {n} af 60" in text for n, text in pages)

    progress: list[tuple[int, int]] = []
    read = read_pages_guarded(
        str(pdf),
        threading.Event(),
        on_open=on_open,
        on_batch=on_batch,
        on_page=lambda done, total: progress.append((done, total)),
    )
    assert (read.page_count, read.reason, read.warnings) == (60, None, ())
    assert events == [
        ("open", 60),
        ("batch", list(range(1, BATCH + 1))),
        ("batch", list(range(BATCH + 1, 2 * BATCH + 1))),
        ("batch", list(range(2 * BATCH + 1, 61))),
    ]
    assert progress == [(n, 60) for n in range(1, 61)]
    assert not multiprocessing.active_children()


def test_a_bilag_page_over_its_time_is_a_warning_and_the_rest_is_kept(tmp_path: Path) -> None:
    good = build_meeting_pdf(tmp_path / "good.pdf", list(DANISH_PAGES))
    slow = with_page_content(good, tmp_path / "slow.pdf", 1, SLOW_PAGE, compress=True)
    with Store(tmp_path / "kkr.db") as store:
        outcome = read_bilag(
            store, _source(slow), AT, cancel=threading.Event(), budget=ReadBudget(page_seconds=1)
        )
        assert outcome.reason is None
        assert (
            outcome.warnings == "side 2 kunne ikke læses (tog længere end 1 s); dens tekst mangler"
        )
        row = store.bilag(outcome.bilag_id)
        assert (row.state, row.page_count, row.pages_read) == (
            "ready",
            len(DANISH_PAGES),
            len(DANISH_PAGES),
        )
        assert stored_words(row.reason) == outcome.warnings  # the view shows it
        pages = dict(store.bilag_pages(row.id, 1, 10))
    assert pages[2] == "" and all(pages[n].strip() for n in pages if n != 2)


def test_cancel_kills_the_reading_child_and_keeps_the_bilag_to_read_again(
    tmp_path: Path,
) -> None:
    pdf = _long_pdf(tmp_path / "long.pdf", 80)
    cancel = threading.Event()

    def on_page(done: int, total: int) -> None:
        if done >= 30:
            cancel.set()

    with Store(tmp_path / "kkr.db") as store:
        with pytest.raises(SyncCancelled):
            read_bilag(store, _source(pdf), AT, cancel=cancel, on_page=on_page)
        assert not multiprocessing.active_children()
        (row,) = store.meeting_bilag("KKR Midtjylland", "2025-03-12")
        assert row.state == "reading" and BATCH <= row.pages_read < 80


@pytest.fixture
def site(config_home: Path, tmp_path: Path):  # noqa: F811 - pytest fixture by name
    """A meeting whose bilag are damaged, encrypted, scanned, and one good one."""
    site = Site()
    meeting = site.add_meeting(
        "midtjylland",
        "2025-03-12",
        minutes=True,
        bilag=("Skadet notat", "Låst notat", "Scannet notat", "Notat om drikkevand"),
    )
    locked = build_meeting_pdf(tmp_path / "locked.pdf", ["Hemmeligt"], user_password="kode")
    links = meeting.links[2:]
    good = build_meeting_pdf(tmp_path / "good.pdf", ["Notat"]).read_bytes()
    links[0].body = good[:16] + b"rubbish " * 400 + good[-32:]  # whole, but damaged inside
    links[1].body = locked.read_bytes()
    links[2].body = build_textless_pdf(tmp_path / "scan.pdf", pages=2).read_bytes()
    site.start()
    yield site
    site.stop()


def test_an_unreadable_bilag_is_one_danish_line_and_the_rest_is_stored(
    site: Site, tmp_db: Path, capsys
) -> None:
    assert sync(site, tmp_db, "--council", "midtjylland") == 0  # a bilag is no failure
    out = capsys.readouterr().out
    unread = [line for line in out.splitlines() if line.startswith("bilag ulæst")]
    assert len(unread) == 3, out
    damaged, locked, scanned = unread
    assert "Skadet notat  (http://127.0.0.1:" in damaged and ": PDF-filen er " in damaged
    assert "Låst notat" in locked and locked.endswith(": PDF-filen er beskyttet med en adgangskode")
    assert "Scannet notat" in scanned and scanned.endswith(
        ": PDF-filen har intet tekstlag (et scannet dokument), så dens tekst kan ikke læses"
    )
    assert "bilag læst    Notat om drikkevand  (2 sider, punkt 2.1)" in out
    with Store(tmp_db) as store:
        states = {b.title: b.state for b in store.meeting_bilag("KKR Midtjylland", "2025-03-12")}
        assert states == {
            "Skadet notat": "unreadable",
            "Låst notat": "unreadable",
            "Scannet notat": "unreadable",
            "Notat om drikkevand": "ready",
        }
        assert len(store.councils()) == 1 and store.meeting_bilag("KKR Midtjylland", "2025-03-12")


async def test_the_readers_fetch_shows_how_far_into_a_long_bilag_it_is(
    tmp_path: Path,
) -> None:
    from app_fixtures import make_app, settle

    from kkr_tui.app.sync_actions import SyncProgress
    from kkr_tui.sync.run import SyncEvent

    db = tmp_path / "kkr.db"
    with Store(db):
        pass
    app = make_app(db, config_path=tmp_path / "config.toml")
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        app.post_message(SyncProgress(SyncEvent(3, 7, "Stor rapport", None, 120, 300)))
        await pilot.pause()
        assert app.sub_title == (
            "Henter nye dokumenter… 3/7 (H stopper) · Stor rapport: side 120 af 300"
        )


async def test_the_bilag_view_names_a_page_that_could_not_be_read(tmp_path: Path) -> None:
    from app_fixtures import make_app, screen_text, settle

    from kkr_tui.app.screens.bilag import BilagScreen

    good = build_meeting_pdf(tmp_path / "good.pdf", list(DANISH_PAGES))
    slow = with_page_content(good, tmp_path / "slow.pdf", 1, SLOW_PAGE, compress=True)
    db = tmp_path / "kkr.db"
    with Store(db) as store:
        outcome = read_bilag(
            store, _source(slow), AT, cancel=threading.Event(), budget=ReadBudget(page_seconds=1)
        )
        row = store.bilag(outcome.bilag_id)
    app = make_app(db, config_path=tmp_path / "config.toml")
    async with app.run_test(size=(140, 30)) as pilot:
        await settle(pilot)
        await app.push_screen(BilagScreen(app.gateway, row, 2))
        await settle(pilot)
        text = screen_text(app)
        facts = "advarsel: side 2 kunne ikke læses (tog længere end 1 s); dens tekst mangler"
        assert f"Side 2 af {len(DANISH_PAGES)} · {facts}" in text
        assert "(ingen tekst på denne side)" in text
