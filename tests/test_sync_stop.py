"""Stopping a sync from another thread (the reader's cancel) while a download stalls.

The local site sends part of a file and then nothing (``Fault.stall_after``) until it
is stopped. Setting the run's :class:`StopEvent` must end the download while the server
still holds it (``Site.stall_ended`` not yet set): the wait on the network is broken
into, not waited out (the read timeout here is far longer than any guard). Decided by
outcome: the run ended while the stall lasted, no ``.part`` file, nothing stored for
the file in flight; the guards (30 s) only keep a broken build from hanging the suite.
"""

from __future__ import annotations

import asyncio
import threading
from pathlib import Path

import pytest
from app_fixtures import make_app, settle
from sync_fixtures import RecordingThread, documents, leftovers, sync, write_config
from sync_site import Fault, Site

from kkr_tui.store import Store
from kkr_tui.sync.client import PoliteClient, StopEvent, SyncCancelled
from kkr_tui.sync.config import SyncConfig
from kkr_tui.sync.download import download_pdf

GUARD = 30.0  # seconds; a working stop takes a moment, the read timeout is 600 s


def _site() -> tuple[Site, str]:
    site = Site()
    site.add_meeting("midtjylland", "2025-03-12", minutes=True, bilag=("Bilag 2.1 Klimaplan",))
    minutes = site.meetings["midtjylland"][0].links[1].href
    site.faults[minutes] = Fault(stall_after=300)
    return site.start(), minutes


def test_a_stop_event_set_from_another_thread_ends_a_stalled_download(tmp_path: Path) -> None:
    site, minutes = _site()
    stop = StopEvent()
    target = tmp_path / "d" / "referat.pdf"

    def fetch() -> None:
        config = SyncConfig(base_url=site.url, delay=0, backoff=0, timeout=600, retries=0)
        with PoliteClient(config, cancel=stop) as client:
            download_pdf(client, site.url + minutes, target, max_bytes=10**8)

    worker = RecordingThread(fetch)
    try:
        worker.start()
        assert site.stalled.wait(GUARD)
        stop.set()
        worker.join(GUARD)
        ended_during_stall = not worker.is_alive() and not site.stall_ended.is_set()
    finally:
        site.stop()
        worker.join(GUARD)
    assert ended_during_stall
    assert len(worker.outcome) == 1 and isinstance(worker.outcome[0], SyncCancelled)
    assert not target.exists() and leftovers(tmp_path) == []


def _manifest(db: Path) -> dict[str, tuple[str, str | None, str | None]]:
    with Store(db) as store:
        return {row.url: (row.state, row.sha256, row.path) for row in store.manifest()}


@pytest.mark.slow
async def test_the_readers_cancel_breaks_into_a_stalled_download(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """H starts the fetch, H again stops it while a download stalls: it ends at once
    with a "Stoppet" notification, nothing half-stored; the next run fetches the rest."""
    site, minutes = _site()
    config = tmp_path / "config.toml"
    config.write_text(
        f'[sync]\nbase_url = "{site.url}"\ndelay = 0\nbackoff = 0\ntimeout = 600\nretries = 0\n',
        encoding="utf-8",
    )
    db = tmp_path / "kkr.db"
    with Store(db):
        pass
    app = make_app(db, config_path=config)
    try:
        async with app.run_test(size=(120, 40)) as pilot:
            await settle(pilot)
            await pilot.press("H")
            # Not settle(): it waits for every worker, the stalled sync among them.
            assert await asyncio.to_thread(site.stalled.wait, GUARD)
            await pilot.press("H")
            for _ in range(int(GUARD / 0.05)):
                await pilot.pause(0.05)
                if not app.sync.running:
                    break
            assert not app.sync.running
            assert not site.stall_ended.is_set()  # ended while the server still stalled
            notes = [n for n in app._notifications if n.title == "Stoppet"]
            assert len(notes) == 1
    finally:
        site.stop()
    assert leftovers(tmp_path) == []
    url = f"{site.url}{minutes}"
    state, sha256, path = _manifest(db)[url]
    assert (sha256, path) == (None, None) and state != "failed"
    assert documents(db) == []  # stopped before ingest: the agenda waits for the next run
    # The next run (the stall gone) stores everything.
    site.faults.clear()
    site.start(site.port)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "cfg"))
    write_config(tmp_path / "cfg")
    try:
        assert sync(site, db) == 0
    finally:
        site.stop()
    assert documents(db) == [
        ("KKR Midtjylland", "2025-03-12", "agenda"),
        ("KKR Midtjylland", "2025-03-12", "minutes"),
    ]


def test_a_stop_event_ends_a_request_the_server_never_answers(tmp_path: Path) -> None:
    """The server takes the request for a council page and answers nothing (no headers):
    the stop breaks into that wait too, and the run ends before the server lets go."""
    from kkr_tui.sync.run import fetch_pages

    site = Site()
    site.add_meeting("midtjylland", "2025-03-12")
    page = "/politik/kkr/kkr-midtjylland/moedemateriale"
    site.faults[page] = Fault(hang=True)
    site.start()
    stop = StopEvent()
    asked = threading.Event()

    def fetch() -> None:
        config = SyncConfig(
            base_url=site.url, delay=0, backoff=0, timeout=600, retries=0, obey_robots=False
        )
        with PoliteClient(config, cancel=stop) as client:
            fetch_pages(client, config, ["midtjylland"], {}, lambda _event: asked.set())

    worker = RecordingThread(fetch)
    try:
        worker.start()
        assert asked.wait(GUARD)
        # The request is on its way once the server has it (it never answers).
        for _ in range(int(GUARD / 0.01)):
            if any(path == page for path, _, _ in site.requests):
                break
            threading.Event().wait(0.01)
        assert any(path == page for path, _, _ in site.requests)
        stop.set()
        worker.join(GUARD)
        ended_while_hanging = not worker.is_alive() and not site.stopping.is_set()
    finally:
        site.stop()
        worker.join(GUARD)
    assert ended_while_hanging
    assert len(worker.outcome) == 1 and isinstance(worker.outcome[0], SyncCancelled)
