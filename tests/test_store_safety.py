"""A database made or changed by someone else: never run its code, never crash on it.

Reading commands open without writing; a schema holding objects kkr-tui did not create
is refused by name; malformed values, damage and a newer schema are one line each and
change nothing; two first-time opens never both create the schema.
"""

from __future__ import annotations

import hashlib
import shutil
import sqlite3
import threading
from pathlib import Path

import pytest
from store_factory import corpus_meetings, fill_store, full_disk

from kkr_tui.cli import main
from kkr_tui.store import (
    SCHEMA_VERSION,
    DamagedDatabaseError,
    SchemaError,
    Store,
    StoreError,
)


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "kkr.db"
    with Store(path) as store:
        fill_store(store, corpus_meetings())
        item = store.find_items_by_number("3.1")[0].id
        store.save_note(item, "en note")
    return path


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _one_line(capsys: pytest.CaptureFixture[str]) -> str:
    captured = capsys.readouterr()
    lines = captured.err.strip().splitlines()
    assert len(lines) == 1, captured.err
    assert "Traceback" not in captured.err and "Error:" not in captured.err
    return lines[0]


@pytest.mark.parametrize(
    "command",
    [["notes"], ["notes", "note"], ["search", "klima"], ["export", "1"], ["related", "1"]],
)
def test_reading_commands_never_write_a_copied_database(
    db: Path, tmp_path: Path, command: list[str]
) -> None:
    copy = tmp_path / "copy" / "kkr.db"
    copy.parent.mkdir()
    shutil.copyfile(db, copy)  # another file: a writable open would claim a new id
    before = _digest(copy)
    assert main([*command, "--db", str(copy)]) == 0
    assert _digest(copy) == before
    assert not Path(f"{copy}-wal").exists() or Path(f"{copy}-wal").stat().st_size == 0


def _add(db: Path, *statements: str) -> None:
    conn = sqlite3.connect(db, isolation_level=None)
    for statement in statements:
        conn.execute(statement)
    conn.close()


EVIL_LOG = "CREATE TABLE evil_log (x)"
EVIL_TRIGGER = (
    "CREATE TRIGGER evil AFTER UPDATE ON content_version BEGIN"
    " INSERT INTO evil_log VALUES ('ran'); END"
)


@pytest.mark.parametrize(
    ("statements", "named"),
    [
        ((EVIL_LOG, EVIL_TRIGGER), ["table evil_log", "trigger evil"]),
        (("CREATE VIEW peek AS SELECT * FROM notes",), ["view peek"]),
        (
            (
                "DROP TRIGGER items_ai",
                "CREATE TRIGGER items_ai AFTER INSERT ON items BEGIN SELECT 1; END",
            ),
            ["trigger items_ai"],
        ),
    ],
)
def test_a_schema_with_foreign_objects_is_refused_by_name(
    db: Path, capsys: pytest.CaptureFixture[str], statements: tuple[str, ...], named: list[str]
) -> None:
    _add(db, *statements)
    before = _digest(db)
    for read_only in (False, True):
        with pytest.raises(SchemaError) as caught:
            Store(db, read_only=read_only)
        assert all(name in str(caught.value) for name in named), caught.value
    assert main(["notes", "--db", str(db)]) == 1
    line = _one_line(capsys)
    assert str(db) in line and named[0] in line
    assert main(["ingest", "--db", str(db), str(db.parent / "none.txt")]) == 1
    assert named[0] in _one_line(capsys)
    assert _digest(db) == before


def test_a_foreign_trigger_never_runs(db: Path, tmp_path: Path) -> None:
    _add(db, EVIL_LOG, EVIL_TRIGGER)
    copy = tmp_path / "elsewhere.db"
    shutil.copyfile(db, copy)  # a writable open of a copy would UPDATE content_version
    with pytest.raises(SchemaError):
        Store(copy)
    conn = sqlite3.connect(copy)
    assert conn.execute("SELECT count(*) FROM evil_log").fetchone() == (0,)
    conn.close()


@pytest.mark.parametrize("command", [["notes"], ["search", "klima"], ["ingest"]])
@pytest.mark.parametrize(
    ("change", "shown"),
    [
        ("UPDATE meetings SET meeting_date = '2025/06/18' WHERE id = 1", "2025/06/18"),
        ("UPDATE meetings SET meeting_date = NULL, year = 'x' WHERE id = 1", "'x'"),
        ("UPDATE notes SET meeting_date = 20250618", "20250618"),
        ("UPDATE notes SET text = x'00ff'", "note"),
    ],
)
def test_a_malformed_value_is_one_line_not_a_crash(
    db: Path, capsys: pytest.CaptureFixture[str], command: list[str], change: str, shown: str
) -> None:
    _add(db, change)
    extra = [str(db.parent / "none.txt")] if command == ["ingest"] else []
    assert main([*command, "--db", str(db), *extra]) == 1
    line = _one_line(capsys)
    assert "ugyldig" in line and str(db) in line
    assert shown in line or (shown == "note" and "note" in line)


def test_a_newer_schema_is_refused_before_anything_changes(tmp_path: Path) -> None:
    path = tmp_path / "newer.db"
    _add(path, "CREATE TABLE future (x)", f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    before = _digest(path)
    with pytest.raises(SchemaError, match="newer"):
        Store(path)
    assert _digest(path) == before  # still a rollback-journal file: not switched to WAL
    assert not Path(f"{path}-wal").exists()


def test_two_first_time_opens_create_the_schema_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The other process has switched the new file to WAL and is creating the schema;
    our open must wait for it and then find it, not create it a second time."""
    from kkr_tui.store.schema import ensure_schema

    path = tmp_path / "new.db"
    other = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    other.execute("PRAGMA journal_mode = WAL")
    other.execute("BEGIN IMMEDIATE")
    waiting = threading.Event()
    connect = sqlite3.connect

    def traced(*args: object, **kwargs: object) -> sqlite3.Connection:
        conn = connect(*args, **kwargs)  # type: ignore[arg-type]

        def seen(statement: str) -> None:
            if statement.lstrip().upper().startswith(("BEGIN", "CREATE")):
                waiting.set()

        conn.set_trace_callback(seen)
        return conn

    monkeypatch.setattr(sqlite3, "connect", traced)
    outcome: list[object] = []

    def open_ours() -> None:
        try:
            Store(path, busy_timeout=20).close()
            outcome.append("ok")
        except Exception as error:  # noqa: BLE001 - the test reports it
            outcome.append(error)

    thread = threading.Thread(target=open_ours)
    thread.start()
    assert waiting.wait(20)  # our open now waits for the write lock
    ensure_schema(other)
    other.execute("COMMIT")
    other.close()
    thread.join(30)
    assert outcome == ["ok"]


def _damage(path: Path) -> None:
    """Overwrite every page but the first (the header and the schema) with garbage.

    Every page, not a sample of them: which pages a search or an export reads depends on
    how the full-text index's segments happen to be laid out, so damaging only some
    pages let a read miss the damage and the test fail by chance."""
    data = bytearray(path.read_bytes())
    page = 4096
    for start in range(page, len(data), page):
        data[start + 8 : start + 200] = b"\xff" * 192
    path.write_bytes(bytes(data))


def test_a_file_that_is_not_a_database_is_one_line_with_what_to_do(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "kkr.db"
    path.write_bytes(b"\x00garbage\x1b[31m" * 500)
    before = _digest(path)
    with pytest.raises(DamagedDatabaseError, match=r"\.recover"):
        Store(path)
    for command in (["notes"], ["ingest", str(tmp_path / "none.txt")]):
        assert main([*command, "--db", str(path)]) == 1
        line = _one_line(capsys)
        assert "beskadiget" in line and "sikkerhedskopi" in line and str(path) in line
        assert "\x1b" not in line
    assert _digest(path) == before


def test_ingest_refuses_to_write_into_a_damaged_database(
    db: Path, samples_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with sqlite3.connect(db) as conn:
        conn.execute("PRAGMA journal_mode = DELETE")
    _damage(db)
    before = _digest(db)
    assert main(["ingest", "--db", str(db), str(samples_dir)]) == 1
    line = _one_line(capsys)
    assert "beskadiget" in line and ".recover" in line
    assert _digest(db) == before


def test_reads_of_a_damaged_database_are_one_line(
    db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with sqlite3.connect(db) as conn:
        conn.execute("PRAGMA journal_mode = DELETE")
    _damage(db)
    for command in (["search", "klima kommune"], ["export", "1"]):
        assert main([*command, "--db", str(db)]) == 1
        line = _one_line(capsys)
        assert "beskadiget" in line and ".recover" in line


def test_store_errors_from_another_program_are_store_errors(db: Path) -> None:
    """Every refusal above is a StoreError, so the app shows it as a message."""
    _add(db, "CREATE VIEW peek AS SELECT 1")
    with pytest.raises(StoreError):
        Store(db)


def test_a_full_disk_ends_ingest_with_a_summary_of_what_was_stored(
    tmp_path: Path,
    samples_dir: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    db = tmp_path / "kkr.db"
    Store(db).close()
    full_disk(monkeypatch, spare_pages=80)  # room for two of the five samples
    assert main(["ingest", "--db", str(db), str(samples_dir)]) == 1
    out = capsys.readouterr().out.strip().splitlines()
    assert out[-1].startswith("tilføjet 2, opdateret 0, uændret 0, fejl 1; stoppet: disken er fuld")
    assert sum(line.startswith("FEJL ") for line in out) == 1  # then it stops reading
    assert "disken er fuld" in next(line for line in out if line.startswith("FEJL "))
    assert main(["notes", "--db", str(db)]) == 0
    assert main(["search", "klima", "--db", str(db)]) == 0
    assert "Klimaalliancen" in capsys.readouterr().out
    with Store(db, read_only=True) as store:
        assert len(store.meetings("KKR Hovedstaden", 2025)) == 2


def test_a_full_disk_ends_ingest_json_with_a_code_and_the_words_in_the_text(
    tmp_path: Path,
    samples_dir: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """``--json``'s ``stopped`` is a code a script can test; the words stay in ``text``."""
    import json

    db = tmp_path / "kkr.db"
    Store(db).close()
    full_disk(monkeypatch, spare_pages=80)
    assert main(["ingest", "--json", "--db", str(db), str(samples_dir)]) == 1
    *results, summary = map(json.loads, capsys.readouterr().out.splitlines())
    assert summary["stopped"] == "disk_full"
    assert summary["text"].startswith("tilføjet 2, opdateret 0, uændret 0, fejl 1; stoppet: disken")
    assert [r["status"] for r in results].count("failed") == 1
    # The file the full disk refused says so by its code, not as a database failure.
    (failed,) = [r for r in results if r["status"] == "failed"]
    assert failed["failure"]["cause"] == "disk_full"
    assert failed["failure"]["text"].startswith("disken er fuld")
    assert failed["council"] is not None  # it was read: only storing it failed


def test_a_full_disk_refuses_a_note_with_a_clear_error(
    db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from kkr_tui.store import DiskFullError

    full_disk(monkeypatch)
    with Store(db) as store:
        item = store.find_items_by_number("3.2")[0].id
        with pytest.raises(DiskFullError, match="disken er fuld"):
            store.save_note(item, "lang note " * 20_000)
        assert store.note_for(item) is None
        assert [n.text for n in store.all_notes()] == ["en note"]


def test_every_part_of_the_store_turns_a_held_lock_into_store_busy(db: Path) -> None:
    """Notes, sync's manifest and bilag share the Store's lock and error mapping
    (store/guard.py): another program's write lock is a StoreBusyError, never a raw
    sqlite3.OperationalError."""
    from kkr_tui.store import StoreBusyError

    with Store(db, busy_timeout=0.05) as store:
        item = store.find_items_by_number("3.2")[0].id
        blocker = sqlite3.connect(db, isolation_level=None)
        blocker.execute("BEGIN IMMEDIATE")
        try:
            with pytest.raises(StoreBusyError):
                store.save_note(item, "x")
            with pytest.raises(StoreBusyError):
                store.notes.mark_read(item)
            with pytest.raises(StoreBusyError):
                store.record_page("https://kl.dk/p", "KKR Hovedstaden", None, None, "now")
            with pytest.raises(StoreBusyError):
                store.finish_bilag(1, "stored")
        finally:
            blocker.execute("ROLLBACK")
            blocker.close()
        store.record_page("https://kl.dk/p", "KKR Hovedstaden", None, None, "now")
        assert "https://kl.dk/p" in store.page_states()


def test_the_damage_line_names_the_file_once(
    db: Path, samples_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with sqlite3.connect(db) as conn:
        conn.execute("PRAGMA journal_mode = DELETE")
    _damage(db)
    assert main(["ingest", "--db", str(db), str(samples_dir)]) == 1
    line = _one_line(capsys)
    assert line.count(str(db)) == 2  # the file, and in the .recover command
    assert line.startswith(f"kkr-tui: {db}: ") and len(line) < 300 + 2 * len(str(db))
