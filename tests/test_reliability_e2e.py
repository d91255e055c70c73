"""End to end: hostile text through ``kkr-tui ingest`` and the real app in a terminal; versions.

A sample document is given titles, text, an attachment and a URL that look like Rich
markup, OSC/CSI escapes and a bidi override. It goes through the command a user runs,
then ``kkr-tui`` itself runs under a pseudo-terminal: keys open the item, copy it, search
and open the palette. The bytes the app writes must never contain the document's
escapes (a terminal would retitle, recolour or reorder on them), the app must still be
running until ctrl+q, and the markup-looking text must appear literally.
"""

from __future__ import annotations

import fcntl
import os
import pty
import select
import sqlite3
import struct
import termios
import time
from pathlib import Path

import pytest
from reliability_corpus import kkr_command, kkr_ingest

from kkr_tui.cli import main
from kkr_tui.store import SCHEMA_VERSION

OSC_TITLE = "\x1b]0;pwned\x07"
RED = "\x1b[31mred"
BIDI = "\u202eevil"


def hostile_document(sample: Path) -> str:
    """The first sample with hostile strings in an item title, its text, an attachment, a URL."""
    text = sample.read_text(encoding="utf-8")
    replacements = {
        "1.1. Godkendelse af referat \n": (
            f"1.1. Godkendelse af referat [@click=app.quit]q[/] {OSC_TITLE}{RED} {BIDI} \n"
        ),
        "Det indstilles, at KKR Hovedstaden godkender referatet.": (
            "Det indstilles, at KKR Hovedstaden godkender [link=https://evil.example]klik[/link]"
            " [/] [$accent]farve a\\[b] tail\\"
        ),
        "KKR’s Taskforce for uddannelse og rekruttering": (
            f"Bilag 3 [fortroligt] Æbleø [å] {OSC_TITLE}Taskforce"
        ),
        "https://www.kl.dk/politik/kkr/kkr-hovedstaden/moedemateriale": (
            f"https://evil.example/[@click=app.quit]{OSC_TITLE}q"
        ),
    }
    for old, new in replacements.items():
        assert old in text, old
        text = text.replace(old, new, 1)
    return text


def _read_for(fd: int, seconds: float) -> bytes:
    out = b""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        ready, _, _ = select.select([fd], [], [], 0.05)
        if ready:
            try:
                chunk = os.read(fd, 65536)
            except OSError:
                break
            if not chunk:
                break
            out += chunk
    return out


@pytest.mark.slow
def test_hostile_document_never_reaches_the_terminal(samples_dir: Path, tmp_path: Path) -> None:
    doc = tmp_path / "hostile.txt"
    doc.write_text(hostile_document(samples_dir / "000_5761956d8ee0dfc0.txt"), encoding="utf-8")
    db = tmp_path / "kkr.db"
    ingest = kkr_ingest(doc, db, cwd=tmp_path)
    out, err = ingest.communicate(timeout=60)
    assert ingest.returncode == 0, err
    assert "\x1b" not in out + err and "\u202e" not in out + err

    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 140, 0, 0))
    env = {
        **os.environ,
        "TERM": "xterm-256color",
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
        "XDG_DATA_HOME": str(tmp_path / "data"),
        "COLUMNS": "140",
        "LINES": "40",
    }
    env.pop("TEXTUAL", None)
    app = kkr_command(
        "--db",
        str(db),
        cwd=tmp_path,
        stdin=slave,
        stdout=slave,
        stderr=slave,
        env=env,
        start_new_session=True,
    )
    os.close(slave)
    screen = b""
    try:
        screen += _read_for(master, 4.0)
        for keys, wait in (
            (b"]", 1.0),
            (b"c", 0.8),
            (b"/", 0.5),
            (b"click", 1.5),
            (b"\r", 1.0),
            (b"\x10", 0.6),
            (b"Open link", 1.0),
            (b"\x1b", 0.6),
        ):
            os.write(master, keys)
            screen += _read_for(master, wait)
        assert app.poll() is None, "a document string quit the app"
        os.write(master, b"\x11")
        screen += _read_for(master, 3.0)
        app.wait(timeout=10)
    finally:
        if app.poll() is None:
            app.kill()
        os.close(master)
    assert len(screen) > 10_000, "the app drew nothing"
    assert OSC_TITLE.encode() not in screen and b"pwned" not in screen
    assert RED.encode() not in screen
    assert BIDI.encode() not in screen and "\u202e".encode() not in screen
    assert b"[@click=app.quit]q[/]" in screen, "markup-looking text is shown literally"


def test_cli_refuses_a_newer_database_in_one_line(
    tmp_path: Path, samples_dir: Path, capsys
) -> None:
    db = tmp_path / "kkr.db"
    assert main(["ingest", str(samples_dir / "000_5761956d8ee0dfc0.txt"), "--db", str(db)]) == 0
    conn = sqlite3.connect(db)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.close()
    capsys.readouterr()
    assert main(["ingest", str(samples_dir), "--db", str(db)]) == 1
    assert main(["search", "referat", "--db", str(db)]) == 1
    out, err = capsys.readouterr()
    lines = err.splitlines()
    assert len(lines) == 2 and out == ""
    for line in lines:
        assert line.startswith(f"kkr-tui: {db}: databasen er lavet af en nyere kkr-tui")
        assert f"skemaversion {SCHEMA_VERSION + 1}" in line
        assert "nyere kkr-tui" in line


def test_cli_says_a_locked_database_is_busy_in_one_line(
    tmp_path: Path, samples_dir: Path, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    import kkr_tui.store

    db = tmp_path / "kkr.db"
    assert main(["ingest", str(samples_dir / "000_5761956d8ee0dfc0.txt"), "--db", str(db)]) == 0
    monkeypatch.setattr(kkr_tui.store, "BUSY_TIMEOUT_MS", 200)
    real_init = kkr_tui.store.Store.__init__

    def quick(self, path, **kwargs):  # type: ignore[no-untyped-def]
        real_init(self, path, **{**kwargs, "busy_timeout": 0.2})

    monkeypatch.setattr(kkr_tui.store.Store, "__init__", quick)
    blocker = sqlite3.connect(db, isolation_level=None)
    blocker.execute("BEGIN IMMEDIATE")
    capsys.readouterr()
    try:
        code = main(["ingest", str(samples_dir / "001_5e5d42c32cdde801.txt"), "--db", str(db)])
    finally:
        blocker.execute("ROLLBACK")
        blocker.close()
    out, err = capsys.readouterr()
    assert code == 1
    assert "Traceback" not in out + err
    assert "databasen er optaget" in out + err
