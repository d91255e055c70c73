"""The command line on an archive an earlier kkr-tui made (schema 3) that cannot be
upgraded now: another program holds its write lock, the disk has no room, or the
upgrade refuses to go on. Reading commands answer from it as it is, read-only — the
ones that would upgrade it (``new``) after one line on stderr naming the archive and
the reason, as the reader does; writing commands refuse in one line. The archive is
left exactly as it was, notes and marks included.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from old_databases import file_schema, v3_contents, v3_database

from kkr_tui.cli import main
from kkr_tui.store import Store

#: The reading commands and a word each answer holds (the fixture's samples and note).
READING = [
    (["search", "sundhedsreformen"], "Sundhedsreformen"),
    (["notes"], "Min note"),
    (["related", "hovedstaden 18.06.2025 3.3"], "Status for udrulning af Sundhedsreformen"),
    (["decisions", "hovedstaden 18.06.2025"], "ingen beslutning endnu"),
    (["export", "hovedstaden 18.06.2025"], "# KKR Hovedstaden · møde 18.06.2025"),
]


@pytest.fixture
def old_db(tmp_path: Path) -> Path:
    return v3_database(tmp_path / "kkr.db")


@pytest.fixture
def quick_busy(monkeypatch: pytest.MonkeyPatch) -> None:
    """A held lock is given up on after 50 ms instead of 5 s (the store's default)."""
    defaults = Store.__init__.__kwdefaults__
    assert defaults is not None
    monkeypatch.setitem(defaults, "busy_timeout", 0.05)


def _held(db: Path) -> Iterator[None]:
    holder = sqlite3.connect(db, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        yield
    finally:
        holder.execute("ROLLBACK")
        holder.close()


@pytest.fixture
def held(old_db: Path, quick_busy: None) -> Iterator[None]:
    """Another program (a ``kkr-tui sync`` upgrading it, say) holds the write lock."""
    yield from _held(old_db)


def _lines(text: str) -> list[str]:
    return [line for line in text.strip().splitlines() if line]


def _answers_read_only(
    db: Path, capsys: pytest.CaptureFixture[str], reason: str, before: dict[str, Any]
) -> None:
    """``new`` answers with one line on stderr naming the archive and ``reason``; every
    other reading command answers too; the file stays schema 3 with what it held."""
    assert main(["new", "--db", str(db)]) == 0
    out, err = capsys.readouterr()
    said = [line for line in _lines(err) if "skrivebeskyttet" in line]
    assert len(said) == 1, err
    assert said[0].startswith(f"{db}: ") and reason in said[0]
    assert "Traceback" not in err
    assert "KKR" in out or "intet nyt" in err  # the answer: what is marked new or changed
    for command, answer in READING:
        assert main([*command, "--db", str(db)]) == 0, command
        assert answer in capsys.readouterr().out, command
    assert file_schema(db) == 3
    assert v3_contents(db) == before


def test_another_program_writing_the_archive(
    old_db: Path, held: None, capsys: pytest.CaptureFixture[str]
) -> None:
    before = v3_contents(old_db)
    _answers_read_only(old_db, capsys, "et andet program skriver i arkivet", before)


def test_no_room_to_upgrade_the_archive(
    old_db: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from kkr_tui.store import migration

    before = v3_contents(old_db)
    monkeypatch.setattr(migration, "free_bytes", lambda folder: 10_000)
    _answers_read_only(old_db, capsys, "kan ikke opgraderes", before)


def test_an_upgrade_that_refuses_to_go_on(
    old_db: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A part that would not come back exactly from the new layout stops the upgrade."""
    from kkr_tui.store import layout

    before = v3_contents(old_db)
    real = layout.decode
    monkeypatch.setattr(layout, "decode", lambda text, shape: real(text, shape)[1:])
    _answers_read_only(old_db, capsys, "kan ikke gemmes i det nye format", before)


def test_writing_commands_refuse_in_one_line(
    old_db: Path,
    held: None,
    samples_dir: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """``ingest`` (and ``sync``, which opens as it does) cannot store into an archive it
    cannot upgrade: one line naming the archive, exit 1, nothing changed."""
    before = v3_contents(old_db)
    sample = str(sorted(samples_dir.iterdir())[0])
    assert main(["ingest", sample, "--db", str(old_db)]) == 1
    err = _lines(capsys.readouterr().err)
    assert len(err) == 1 and str(old_db) in err[0] and "optaget" in err[0], err
    assert file_schema(old_db) == 3
    assert v3_contents(old_db) == before


def test_an_up_to_date_archive_opens_writable_beside_a_held_lock(
    tmp_path: Path, quick_busy: None
) -> None:
    """An archive of this schema made before the table of owed upkeep existed does not
    take the write lock on open just to add it (another program holding the lock would
    make the open fail as busy): the table comes with the next schema work."""
    db = tmp_path / "kkr.db"
    Store(db).close()
    conn = sqlite3.connect(db, isolation_level=None)
    conn.execute("DROP TABLE owed_upkeep")
    conn.close()
    for _ in _held(db):
        with Store(db) as store:
            assert not store.read_only
