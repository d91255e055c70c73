"""A real Ctrl+C to ``kkr-tui sync``: a process of its own, a download in flight.

The local site sends part of a file and then nothing (``Fault.stall_after``); once the
server says the download is under way (an event, not a sleep), the test sends SIGINT.
The run must end at once (not after the 30 s read timeout), exit 130, leave no
temporary file, keep what earlier runs stored and the files this run finished, and a
second run must complete the rest without fetching those files again.
"""

from __future__ import annotations

import signal
import subprocess
from pathlib import Path

import pytest
from reliability_corpus import kkr_command
from sync_fixtures import documents, leftovers, sync, write_config
from sync_site import Fault, Site

from kkr_tui.store import Store


@pytest.fixture
def site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Site:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    # A stalled read would last the whole timeout unless Ctrl+C breaks into it.
    write_config(tmp_path / "config", timeout=30, retries=0)
    site = Site()
    site.add_meeting("hovedstaden", "2025-06-18")
    return site.start()


@pytest.mark.slow
def test_ctrl_c_during_a_download_exits_130_and_keeps_what_was_stored(
    site: Site, tmp_path: Path
) -> None:
    db = tmp_path / "data" / "kkr.db"
    try:
        assert sync(site, db) == 0
        before = documents(db)
        assert before == [("KKR Hovedstaden", "2025-06-18", "agenda")]
        # New on the site: two Sjælland meetings. Files are fetched in page order (newest
        # meeting first), so the 2025 and 2024 agendas arrive whole and the 2024 minutes
        # stall half-way.
        site.add_meeting("sjaelland", "2024-04-17", minutes=True, bilag=("Bilag 2.1 Klimaplan",))
        site.add_meeting("sjaelland", "2025-02-05")
        agenda, minutes = (link.href for link in site.meetings["sjaelland"][0].links[:2])
        newest = site.meetings["sjaelland"][1].links[0].href
        site.faults[minutes] = Fault(stall_after=300)

        proc = kkr_command(
            "sync",
            "--db",
            str(db),
            "--base-url",
            site.url,
            cwd=tmp_path,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        # Generous guards, never timing: under a loaded suite a process can wait
        # seconds for a CPU. Were Ctrl+C not to break into the stalled read, the read
        # would end by its 30 s timeout instead, and the file would fail ("FEJL …",
        # state "failed"): the assertions below tell the two apart, not the clock.
        out = err = ""
        try:
            if not site.stalled.wait(180):
                proc.kill()
                out, err = proc.communicate()
                pytest.fail(f"the download never started\n{out}\n{err}")
            proc.send_signal(signal.SIGINT)
            out, err = proc.communicate(timeout=180)
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.communicate()
        said = f"stdout:\n{out}\nstderr:\n{err}"
        assert proc.returncode == 130, said
        assert "Traceback" not in err and "stopper" in err, said
        assert out.splitlines()[-1].endswith("(afbrudt)"), said
        assert not [line for line in out.splitlines() if line.startswith("FEJL")], said
        first_run = site.meetings["hovedstaden"][0].links[0].href
        assert site.pdf_requests() == [first_run, newest, agenda, minutes], said

        # Nothing half-written; the store as before; the finished file kept and known.
        downloads = db.parent / "downloads"
        assert leftovers(downloads) == []
        assert documents(db) == before
        with Store(db) as store:
            rows = {row.url.removeprefix(site.url): row for row in store.manifest()}
        for finished in (newest, agenda):
            assert rows[finished].sha256 and Path(rows[finished].path or "").is_file()
        assert rows[minutes].sha256 is None and rows[minutes].state != "failed"
        names = sorted(p.name for p in (downloads / "sjaelland").rglob("*.pdf"))
        assert [name.rsplit("-", 1)[0] for name in names] == [
            "dagsorden-sjaelland-2024-04-17",
            "dagsorden-sjaelland-2025-02-05",
        ]

        # The next run does the rest, and does not fetch the finished file again.
        site.faults.clear()
        assert sync(site, db) == 0
        assert len(documents(db)) == 4
        assert site.pdf_requests().count(agenda) == site.pdf_requests().count(newest) == 1
        assert leftovers(downloads) == []
    finally:
        site.stop()
