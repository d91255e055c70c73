"""The upgrade of an older database (schema 3 -> 4) as a user lives it: told before it
starts and while it runs, stoppable, and whole after a kill or a full disk.

The schema-3 fixture (``tests/fixtures/kkr-v3.db``, notes and reading marks in it) is
copied for every test. Kills happen in a child process (``tests/migration_child.py``)
at a moment the migration itself reports, never after a sleep; the full disk is a
child whose files may not grow past ``RLIMIT_FSIZE``.
"""

from __future__ import annotations

import io
import os
import resource
import shutil
import signal
import sqlite3
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

import pytest
from old_databases import (
    add_free_pages,
    check_integrity,
    file_schema,
    free_pages,
    owes_compaction,
    v3_contents,
    v3_database,
)

from kkr_tui.cli import main
from kkr_tui.output import MigrationReporter
from kkr_tui.store import (
    SCHEMA_VERSION,
    DiskFullError,
    MigrationCancelled,
    MigrationEvent,
    Store,
    migration,
)
from kkr_tui.store.migration import STAGES

CHILD = Path(__file__).parent / "migration_child.py"
USER_TABLES = ("notes", "item_reads", "seen_items", "item_changes", "seen_documents")


@pytest.fixture
def old_db(tmp_path: Path) -> Path:
    return v3_database(tmp_path / "kkr.db")


def assert_migrated_whole(db: Path, before: dict[str, Any]) -> None:
    """Schema 4 holding everything the schema-3 file held: every item's blocks as the
    reader showed them, the search index in step, the user's notes and marks as they were."""
    with Store(db, read_only=True) as s:
        assert s._conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        assert s._conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        items = s._conn.execute(
            "SELECT id, number, title, case_number, council, year, doc_type FROM items ORDER BY id"
        ).fetchall()
        assert items == before["items"]
        for item_id, parts in before["blocks"].items():
            assert [(p.kind, p.heading, p.blocks) for p in s.item(item_id).parts] == parts
        assert s.vocabulary() == before["vocabulary"]
        for table in USER_TABLES:
            rows = s._conn.execute(f"SELECT * FROM {table} ORDER BY 1, 2, 3").fetchall()
            assert rows == before[table], table


# -- progress --------------------------------------------------------------------------


def test_progress_is_told_from_before_the_first_write_to_done(old_db: Path) -> None:
    """``start`` comes before anything is written (the file is still schema 3 then, its
    notes in it), the percent only grows through every stage in order, and ``done`` at
    100 % comes last."""
    before = v3_contents(old_db)
    events: list[MigrationEvent] = []
    at_start: list[int] = []

    def listen(event: MigrationEvent) -> None:
        if event.stage == "start":
            at_start.append(file_schema(old_db))
        events.append(event)

    with Store(old_db, on_migrate=listen) as s:
        check_integrity(s)
    assert at_start == [3]
    assert events[0].stage == "start" and events[0].percent == 0
    assert events[-1].stage == "done" and events[-1].percent == 100
    percents = [e.percent for e in events]
    assert percents == sorted(percents)
    stages = [e.stage for e in events[1:-1]]
    order = list(STAGES)
    assert sorted(set(stages), key=order.index) == order  # every stage, compaction too
    assert [order.index(s) for s in stages] == sorted(order.index(s) for s in stages)
    assert all(e.old_version == 3 and e.new_version == SCHEMA_VERSION for e in events)
    assert_migrated_whole(old_db, before)


def test_an_up_to_date_database_tells_nothing(old_db: Path) -> None:
    Store(old_db).close()
    events: list[MigrationEvent] = []
    Store(old_db, on_migrate=events.append).close()
    assert events == []


@pytest.mark.parametrize("stage", ["convert", "drop", "index", "merge"])
def test_a_stop_rolls_the_migration_back(old_db: Path, stage: str) -> None:
    """The reader quit mid-migration: stopped at a step or inside a statement (the stop
    is asked by SQLite's progress handler too), nothing of it stays; the next open
    migrates."""
    before = v3_contents(old_db)
    stop = threading.Event()

    def listen(event: MigrationEvent) -> None:
        if event.stage == stage:
            stop.set()

    with pytest.raises(MigrationCancelled):
        Store(old_db, on_migrate=listen, stop_migration=stop)
    assert file_schema(old_db) == 3
    assert v3_contents(old_db) == before
    Store(old_db).close()
    assert_migrated_whole(old_db, before)


def test_a_stop_during_compaction_keeps_the_migration(
    old_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Compaction runs after the commit: stopped there, the file is migrated (only larger)
    and the compaction is still owed; the next writable open does it, told as a task of
    its own (``compact``), and then nothing is owed."""
    monkeypatch.setattr(migration, "_TICK_OPS", 200)  # the small file's VACUUM is entered
    add_free_pages(old_db)  # what a large archive's upgrade frees
    before = v3_contents(old_db)
    stop = threading.Event()
    events: list[str] = []

    def listen(event: MigrationEvent) -> None:
        events.append(event.stage)
        if event.stage == "compact":
            stop.set()

    Store(old_db, on_migrate=listen, stop_migration=stop).close()
    assert events[-1] == "done" and "compact_failed" not in events
    assert_migrated_whole(old_db, before)
    assert owes_compaction(old_db) and free_pages(old_db) > 0
    later: list[MigrationEvent] = []
    Store(old_db, on_migrate=later.append).close()
    assert [e.stage for e in later][0] == "start" and later[-1].stage == "done"
    assert {e.task for e in later} == {"compact"} and "compact" in [e.stage for e in later]
    assert not owes_compaction(old_db) and free_pages(old_db) == 0
    assert_migrated_whole(old_db, before)
    quiet: list[MigrationEvent] = []
    Store(old_db, on_migrate=quiet.append).close()
    assert quiet == []  # paid: nothing more is done or told


# -- room on the disk --------------------------------------------------------------------


def _used(db: Path) -> int:
    conn = sqlite3.connect(db)
    try:
        pages = conn.execute("PRAGMA page_count").fetchone()[0]
        free = conn.execute("PRAGMA freelist_count").fetchone()[0]
        return int((pages - free) * conn.execute("PRAGMA page_size").fetchone()[0])
    finally:
        conn.close()


def test_no_room_for_the_migration_is_said_before_it_starts(
    old_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Less free room than the file uses: one line naming the file, what it needs and
    has, before a page is written (no ``start``); the file holds what it held."""
    before = v3_contents(old_db)
    monkeypatch.setattr(migration, "free_bytes", lambda folder: 10_000)
    events: list[MigrationEvent] = []
    with pytest.raises(DiskFullError) as caught:
        Store(old_db, on_migrate=events.append)
    line = str(caught.value)
    assert str(old_db) in line and "skema 3" in line and "der er 0 MB" in line
    assert "\n" not in line
    assert events == []
    assert file_schema(old_db) == 3
    assert v3_contents(old_db) == before


def test_no_room_to_compact_skips_it_with_a_reason(
    old_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Room for the migration but not for VACUUM's two copies: migrated, not compacted,
    and the listener hears why (what it needs, what is free) instead of a failure."""
    before = v3_contents(old_db)
    room = int(_used(old_db) * 1.5)  # more than the file uses, less than two copies
    monkeypatch.setattr(migration, "free_bytes", lambda folder: room)
    events: list[MigrationEvent] = []
    Store(old_db, on_migrate=events.append).close()
    stages = [e.stage for e in events]
    assert "compact" not in stages and stages[-2:] == ["compact_skipped", "done"]
    skipped = events[-2]
    assert skipped.free == room and skipped.needed > room
    assert_migrated_whole(old_db, before)


def _fsize_limit(limit: int) -> Any:
    def limited() -> None:  # in the child, before it runs Python
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return limited


def _cli(*args: str, limit: int | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "KKR_TUI_LANG": "da"}
    return subprocess.run(
        [sys.executable, "-m", "kkr_tui", *args],
        capture_output=True,
        text=True,
        env=env,
        preexec_fn=None if limit is None else _fsize_limit(limit),
        check=False,
        timeout=300,
    )


def test_a_full_disk_mid_migration_is_one_danish_line_and_changes_nothing(
    old_db: Path, samples_dir: Path
) -> None:
    """``kkr-tui ingest`` into a schema-3 file whose write-ahead log cannot grow past
    40 KB (the process's file-size limit: the write fails as on a full disk): one line
    naming the file and the reason, exit 1, still schema 3 with every note and mark."""
    before = v3_contents(old_db)
    sample = sorted(samples_dir.iterdir())[0]
    done = _cli("ingest", str(sample), "--db", str(old_db), limit=40_000)
    assert done.returncode == 1, done.stderr
    lines = done.stderr.strip().splitlines()
    failure = [line for line in lines if "plads" in line]
    assert len(failure) == 1, lines
    assert str(old_db) in failure[0] and "ikke mere plads på disken" in failure[0]
    assert "skema 3" in failure[0] and "Traceback" not in done.stderr
    assert file_schema(old_db) == 3
    assert v3_contents(old_db) == before
    Store(old_db).close()  # with room again, the next open migrates
    assert_migrated_whole(old_db, before)


def _user_rows(db: Path) -> dict[str, list[Any]]:
    with Store(db, read_only=True) as s:
        return {
            table: s._conn.execute(f"SELECT * FROM {table} ORDER BY 1, 2, 3").fetchall()
            for table in USER_TABLES
        }


def test_a_full_disk_for_the_compaction_skips_it_and_a_later_command_with_room_does_it(
    old_db: Path,
) -> None:
    """Room for the migration but a file-size limit under VACUUM's copy: the archive is
    upgraded and the command (``kkr-tui new``) goes on; one line says it was not
    compacted and why. The compaction is owed: a later command on a disk still that
    full tries nothing, says nothing and changes nothing; the first one with room
    compacts the file and says so in a line; no note or mark is lost on the way."""
    before = v3_contents(old_db)
    limit = int(old_db.stat().st_size * 1.05)
    done = _cli("new", "--db", str(old_db), limit=limit)
    assert done.returncode == 0, done.stderr
    assert "ikke komprimeret" in done.stderr and "MB fri plads" in done.stderr
    assert "arkivet er opgraderet" in done.stderr
    assert _user_rows(old_db) == {table: before[table] for table in USER_TABLES}
    assert owes_compaction(old_db)
    add_free_pages(old_db)  # the pages a large archive's upgrade leaves unused
    size, unused = old_db.stat().st_size, free_pages(old_db)

    still_full = _cli("new", "--db", str(old_db), limit=limit)
    assert still_full.returncode == 0, still_full.stderr
    assert "komprimer" not in still_full.stderr
    assert owes_compaction(old_db)
    assert old_db.stat().st_size == size and free_pages(old_db) == unused
    assert _user_rows(old_db) == {table: before[table] for table in USER_TABLES}

    room = _cli("new", "--db", str(old_db))
    assert room.returncode == 0, room.stderr
    lines = room.stderr.strip().splitlines()
    assert lines[0].startswith(f"{old_db}: arkivet komprimeres nu"), lines
    assert lines[1].startswith(f"{old_db}: arkivet er komprimeret ("), lines
    assert not owes_compaction(old_db)
    assert free_pages(old_db) == 0 and old_db.stat().st_size < size
    assert_migrated_whole(old_db, before)


# -- a real kill -------------------------------------------------------------------------

#: Where the child stops, and the schema the file must have after the kill there.
KILL_MOMENTS = [
    ("event:prepare:1", 3),
    ("event:convert:2", 3),  # after the parts were converted
    ("inside:drop", 3),  # inside ALTER TABLE ... DROP COLUMN
    ("event:index:1", 3),
    ("inside:merge", 3),  # inside the index's 'optimize'
    ("event:commit:1", 3),  # everything done, not committed
    ("event:commit:2", 4),  # committed, not compacted
    ("inside:compact", 4),  # inside VACUUM
]


@pytest.mark.parametrize(("where", "schema"), KILL_MOMENTS)
def test_a_sigkill_mid_migration_leaves_one_whole_schema(
    old_db: Path, where: str, schema: int
) -> None:
    """SIGKILL at each step of the migration (chosen by what it reports): the file opens,
    is wholly schema 3 (as it was, byte for byte in content) or wholly schema 4 (all of
    it migrated), notes and marks all there; the next writable open finishes the work."""
    before = v3_contents(old_db)
    child = subprocess.Popen(
        [sys.executable, str(CHILD), str(old_db), where],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert child.stdout is not None
        said = child.stdout.readline().split()
        assert said[:1] == ["PAUSED"], (said, child.stderr.read() if child.stderr else "")
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=60)
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
    assert child.returncode == -signal.SIGKILL
    assert file_schema(old_db) == schema
    if schema == 3:
        assert v3_contents(old_db) == before
    else:
        assert_migrated_whole(old_db, before)
        assert owes_compaction(old_db)  # killed before or inside VACUUM: still owed
    with Store(old_db) as s:
        check_integrity(s)
    assert_migrated_whole(old_db, before)
    assert not owes_compaction(old_db) and free_pages(old_db) == 0


# -- what the command line says ------------------------------------------------------------


def test_the_cli_says_what_happens_before_and_after(
    old_db: Path, samples_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A command that migrates says, before it starts, that the archive is upgraded once
    and may take minutes, and at the end that it is done; on stderr, so stdout stays
    the command's own output."""
    sample = sorted(samples_dir.iterdir())[0]
    assert main(["ingest", str(sample), "--db", str(old_db)]) == 0
    out, err = capsys.readouterr()
    lines = err.strip().splitlines()
    assert lines[0] == (
        f"{old_db}: Arkivet opgraderes én gang til en ny version; det kan tage nogle "
        "minutter (afbrydes det, forbliver arkivet som det var)"
    )
    assert lines[-1].startswith(f"{old_db}: arkivet er opgraderet (")
    assert "opgrader" not in out and "tilføjet" in out
    capsys.readouterr()
    assert main(["ingest", str(sample), "--db", str(old_db)]) == 0
    assert "opgrader" not in capsys.readouterr().err  # once only


def _events(stage_percents: list[tuple[str, int]]) -> list[MigrationEvent]:
    return [MigrationEvent(stage, p, 3, SCHEMA_VERSION) for stage, p in stage_percents]


def test_piped_progress_is_a_line_a_tenth_when_it_takes_long() -> None:
    """Not a terminal: a line when the percent passed another tenth and ten seconds went
    by since the last line (a clock the test turns), so a quick migration prints none."""
    now = [0.0]
    out = io.StringIO()
    reporter = MigrationReporter("kkr.db", stream=out, tty=False, clock=lambda: now[0])
    steps = [("start", 0), ("convert", 5), ("convert", 12), ("convert", 15), ("convert", 26)]
    steps += [("index", 41), ("index", 44), ("index", 90), ("compact", 100), ("done", 100)]
    clock = [0, 3, 4, 15, 16, 30, 31, 32, 33, 35]
    for (stage, percent), t in zip(steps, clock, strict=True):
        now[0] = float(t)
        reporter(*_events([(stage, percent)]))
    lines = out.getvalue().splitlines()
    assert lines == [
        "kkr.db: Arkivet opgraderes én gang til en ny version; det kan tage nogle minutter"
        " (afbrydes det, forbliver arkivet som det var)",
        "opgraderer arkivet: 15 %",
        "opgraderer arkivet: 41 %",
        "kkr.db: arkivet er opgraderet (35 s)",
    ]


def test_piped_progress_says_when_the_commit_begins() -> None:
    """The commit has no steps to count (seconds at 100k items): a long migration's
    piped lines say it is saving when it begins, once, so the last line is not a
    percent that seems to hang; a quick migration still prints nothing."""
    now = [0.0]
    out = io.StringIO()
    reporter = MigrationReporter("kkr.db", stream=out, tty=False, clock=lambda: now[0])
    steps = [("start", 0), ("index", 41), ("merge", 89), ("commit", 90), ("commit", 96)]
    steps += [("done", 100)]
    for (stage, percent), t in zip(steps, [0, 12, 20, 21, 22, 23], strict=True):
        now[0] = float(t)
        reporter(*_events([(stage, percent)]))
    lines = out.getvalue().splitlines()
    assert lines[1:] == [
        "opgraderer arkivet: 41 %",
        "opgraderer arkivet: 90 %, gemmer det opgraderede arkiv (sidste trin; procenten står"
        " stille imens)",
        "kkr.db: arkivet er opgraderet (23 s)",
    ]
    quick = io.StringIO()
    reporter = MigrationReporter("kkr.db", stream=quick, tty=False, clock=lambda: 0.0)
    for event in _events(steps):
        reporter(event)
    assert "gemmer" not in quick.getvalue() and len(quick.getvalue().splitlines()) == 2


def test_on_a_terminal_the_bar_names_the_commit_and_the_compaction() -> None:
    out = io.StringIO()
    reporter = MigrationReporter("kkr.db", stream=out, tty=True, clock=lambda: 0.0)
    for event in _events([("start", 0), ("commit", 90), ("compact", 97), ("done", 100)]):
        reporter(event)
    text = out.getvalue()
    assert "90 % gemmer det opgraderede arkiv" in text
    assert "97 % komprimerer arkivet" in text


def test_on_a_terminal_progress_is_one_bar_redrawn_in_place() -> None:
    out = io.StringIO()
    reporter = MigrationReporter("kkr.db", stream=out, tty=True, clock=lambda: 0.0)
    for event in _events([("start", 0), ("convert", 10), ("index", 41), ("done", 100)]):
        reporter(event)
    text = out.getvalue()
    assert "\r\x1b[K[" in text and "41 % opgraderer arkivet" in text
    assert text.count("\n") == 2  # the notice and the last line; the bar redraws in place
    assert text.endswith("kkr.db: arkivet er opgraderet (0 s)\n")


# -- a real full disk ------------------------------------------------------------------------


def _small_disk_works() -> bool:
    """Whether this machine lets a test mount a small file system in a mount namespace
    of its own (root, or unprivileged user namespaces): nothing outside it sees it."""
    if shutil.which("unshare") is None:
        return False
    probe = subprocess.run(
        ["unshare", "-rm", "sh", "-c", "mount -t tmpfs -o size=64k tmpfs /mnt"],
        capture_output=True,
        check=False,
    )
    return probe.returncode == 0


@pytest.mark.skipif(not _small_disk_works(), reason="cannot mount a small file system here")
@pytest.mark.parametrize(
    ("size", "where"),
    [
        ("400k", "event:none:1"),  # less room than the file uses: refused before it starts
        ("2m", "fill:convert:1"),  # room at first, filled by another program mid-way
    ],
)
def test_a_real_full_disk(old_db: Path, tmp_path: Path, size: str, where: str) -> None:
    """The database on a real, small file system (tmpfs, in a mount namespace of the
    child's own), so the system itself says ENOSPC: too small from the start, or filled
    mid-migration. One line naming the file and the reason; schema 3 with everything."""
    before = v3_contents(old_db)
    disk, out = tmp_path / "disk", tmp_path / "out"
    disk.mkdir()
    out.mkdir()
    script = (
        f'mount -t tmpfs -o size={size} tmpfs "{disk}" && cp "{old_db}" "{disk}/kkr.db" && '
        f'"{sys.executable}" "{CHILD}" "{disk}/kkr.db" {where}; rc=$?; '
        f'cp "{disk}"/kkr.db* "{out}"/; exit $rc'
    )
    done = subprocess.run(
        ["unshare", "-rm", "sh", "-c", script],
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    assert done.returncode == 1, (done.stdout, done.stderr)
    said = done.stdout.strip().splitlines()
    assert len(said) == 1 and said[0].startswith(f"FAILED {disk}/kkr.db: arkivet k"), said
    assert "plads" in said[0] and "skema 3" in said[0]
    copy = out / "kkr.db"
    assert file_schema(copy) == 3
    assert v3_contents(copy) == before
    Store(copy).close()
    assert_migrated_whole(copy, before)


@pytest.mark.parametrize("stage", ["drop", "merge", "compact"])
def test_ctrl_c_inside_a_long_statement_stops_it_at_once(old_db: Path, stage: str) -> None:
    """Ctrl+C while SQLite rewrites a table (or merges, or compacts) ends the statement
    then and there as a KeyboardInterrupt (the command line's "afbrudt", exit 130), not
    as an SQLite error and not after the statement: before the commit nothing is kept;
    during the compaction the migration is already whole."""
    before = v3_contents(old_db)
    done = subprocess.run(
        [sys.executable, str(CHILD), str(old_db), f"sigint:{stage}"],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert (done.returncode, done.stdout.strip()) == (130, "INTERRUPTED"), done.stderr
    if stage == "compact":  # committed before: the stop only leaves it uncompacted
        assert_migrated_whole(old_db, before)
        return
    assert file_schema(old_db) == 3
    assert v3_contents(old_db) == before


def test_the_percent_moves_inside_long_statements(
    old_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Inside the table rewrites, the merge and VACUUM the percent moves with the steps
    SQLite takes (here it takes few: the ticks come every 200 steps), and never past
    the stage's share before the stage's end."""
    seen: list[MigrationEvent] = []
    monkeypatch.setattr(migration, "_TICK_OPS", 200)
    # The fixture is tiny: as many steps a row as a big archive's statements take in all.
    monkeypatch.setattr(migration, "OPS_PER_ROW", {"drop": 300, "merge": 300, "compact": 100})
    Store(old_db, on_migrate=seen.append).close()
    inside = {stage: [e.percent for e in seen if e.stage == stage] for stage in STAGES}
    for stage in ("drop", "compact"):
        assert len(set(inside[stage])) > 2, (stage, inside[stage])  # more than start and end
    percents = [e.percent for e in seen]
    assert percents == sorted(percents)
