"""The sync tests' set-up: a config with no waits, the three-meeting site, a sync run, and
what a run left behind (documents stored, manifest states, result lines, part files).

``kkr-tui sync`` is tested by many files (offline, robots, reasons, bilag, Ctrl+C, stop,
the reader's fetch); they take these from here rather than from ``test_sync``, so no
test file imports another. The fixtures ``config_home`` and ``site`` are the suite's
(``conftest.py``); a file may define its own ``site``.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sync_site import Site

from kkr_tui.store import Store


def write_config(folder: Path, **values: object) -> None:
    """``folder/kkr-tui/config.toml`` with a ``[sync]`` of no waits and short timeouts,
    ``values`` added or overriding, so the suite stays fast."""
    settings = {"delay": 0, "backoff": 0, "timeout": 2, "retries": 2, **values}
    lines = ["[sync]"] + [f"{key} = {value!r}" for key, value in settings.items()]
    path = folder / "kkr-tui" / "config.toml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines).replace("'", '"') + "\n", encoding="utf-8")


@pytest.fixture
def config_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """``$XDG_CONFIG_HOME`` in the test's folder, holding :func:`write_config`'s file."""
    folder = tmp_path / "config"
    monkeypatch.setenv("XDG_CONFIG_HOME", str(folder))
    write_config(folder)
    return folder


@pytest.fixture
def site(config_home: Path) -> Iterator[Site]:
    """A started site: Sjælland's minutes with two bilag and an agenda, Hovedstaden's
    agenda as a text-only PDF; stopped after the test."""
    site = Site()
    site.add_meeting(
        "sjaelland",
        "2024-04-17",
        minutes=True,
        bilag=("Bilag 2.1 Klimaplan for regionen", "Bilag 2.2 Notat om drikkevand"),
    )
    site.add_meeting("sjaelland", "2025-02-05")
    site.add_meeting("hovedstaden", "2025-06-18", text_only_pdf=True)
    site.start()
    yield site
    site.stop()


def sync(site: Site, db: Path, *extra: str) -> int:
    """``kkr-tui sync --db DB --base-url SITE EXTRA`` in this process; its exit code."""
    from kkr_tui.cli import main

    return main(["sync", "--db", str(db), "--base-url", site.url, *extra])


def documents(db: Path) -> list[tuple[str, str, str]]:
    """(council, meeting date, document type) of every stored document, sorted."""
    with sqlite3.connect(db) as conn:
        return sorted(
            conn.execute(
                "SELECT m.council, m.meeting_date, d.doc_type FROM documents d"
                " JOIN meetings m ON m.id = d.meeting_id"
            ).fetchall()
        )


def states(db: Path) -> dict[str, str]:
    """The manifest's state of every address."""
    with Store(db) as store:
        return {row.url: row.state for row in store.manifest()}


def has_line(out: str, status: str, text: str) -> bool:
    """Whether ``out`` has a result line starting with ``status`` and holding ``text``."""
    return any(line.split(None, 1)[:1] == [status] and text in line for line in out.splitlines())


def leftovers(root: Path) -> list[Path]:
    """Download part files left anywhere under ``root`` (there must be none)."""
    return [p for p in root.rglob(".part-*")]


class RecordingThread(threading.Thread):
    """Runs ``work`` in a daemon thread and keeps how it ended: the exception it raised, or
    None. The stop tests decide by that outcome (a ``SyncCancelled``, not a timeout or a
    finished download), so each records it this one way."""

    def __init__(self, work: Callable[[], object]) -> None:
        super().__init__(daemon=True)
        self.work = work
        self.outcome: list[BaseException | None] = []

    def run(self) -> None:
        try:
            self.work()
        except BaseException as error:  # noqa: BLE001 - the outcome is the test's
            self.outcome.append(error)
        else:
            self.outcome.append(None)
