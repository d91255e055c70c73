"""How far bringing an older database up to date has come, and whether to go on.

A migration rewrites most of the file (minutes at 100k items), inside the open of the
Store, before anyone can show anything. So the store reports it as values: a
:class:`MigrationEvent` for each step it takes, handed to the listener the opener
gave (the reader's panel, the command line's progress line); nothing here shows
anything. The same object carries the opener's stop: a set ``cancel`` event ends the
migration at its next step, or inside a long SQL statement (SQLite's progress
handler interrupts it), the transaction is rolled back and the old file stays as it
was (:class:`MigrationCancelled`).

After the migration the file is compacted (``VACUUM``), which needs free room for a
copy of what the file holds (:func:`compaction_room`): without that room it is not
tried, and the listener is told why (``compact_skipped``) instead of a failure. The
compaction is owed until it is done (:func:`owe_compaction`, written in the
migration's own transaction): a later writable open with room does it (task
``compact``, told to the same listener and stopped by the same event), so a disk that
was full during the upgrade does not leave the archive twice its size for ever.
"""

from __future__ import annotations

import os
import sqlite3
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from kkr_tui.record import record
from kkr_tui.store.errors import MigrationCancelled
from kkr_tui.store.safety import file_size_limit, free_bytes

__all__ = [
    "MigrationCancelled",
    "MigrationEvent",
    "MigrationListener",
    "Progress",
    "compaction_owed",
    "compaction_paid",
    "compaction_room",
    "migration_room",
    "owe_compaction",
    "used_bytes",
]

#: The steps of a migration in order, each with its share of the whole (percent points):
#: the wall time each took migrating the 100k-item schema-3 corpus on an idle machine
#: (bench/migrate_bench.py: 93 s in all; the commit's share from two later idle runs of
#: 48-49 s, where it took 2.9-3.2 s, 6.0-6.5 %), so the percent moves at an even pace
#: there. A smaller archive takes the same steps, only faster. The commit is reported
#: before it begins: it has no steps to count, and the displays name it ("saving").
STAGES: dict[str, int] = {
    "prepare": 2,  # the old index dropped (2.2 s)
    "convert": 26,  # every part's blocks -> text and layout, 5,000 parts a slice (24 s)
    "drop": 10,  # the old columns dropped: SQLite rewrites both tables (9 s)
    "index": 50,  # the full-text index filled from the parts, 2,000 items a slice (48 s)
    "merge": 2,  # the index merged into one segment (1.7 s)
    "commit": 6,  # the transaction committed and written into the file (3.9 s)
    "compact": 4,  # VACUUM: the freed half of the file given back (3.9 s)
}

#: SQLite virtual-machine steps between two looks at the stop (a few ms of work).
_TICK_OPS = 50_000

#: Virtual-machine steps a stage's long statements take, per row they go through:
#: measured on the 100k corpus (bench/migrate_bench.py --ticks: "drop" 5.75M steps for
#: its 350k parts and 100k items; "merge" 0.85M for 100k items; "compact" 7.9M for
#: the 137k pages in use). Inside those statements the percent follows the steps
#: SQLite has taken, up to :data:`_INSIDE_AT_MOST` of the stage's share.
OPS_PER_ROW = {"drop": 13, "merge": 9, "compact": 58}

#: The one stage of a compaction done on its own, later (task ``compact``).
COMPACTION_STAGES: dict[str, int] = {"compact": 100}
_INSIDE_AT_MOST = 0.95


@record  # not @dataclass: this module is on every open, a search's too
class MigrationEvent:
    """One step of a migration, for a progress display.

    ``stage``: ``start`` (before anything is written: say what is about to happen),
    one of :data:`STAGES` while it runs, ``compact_skipped`` (the migration is done
    but too little room was free to compact the file: ``needed`` and ``free`` bytes),
    ``compact_failed`` (tried, failed; the migrated file is kept as it is), ``done``.
    ``percent`` is of the whole, 0-100, never going back.

    ``task``: ``upgrade`` (the migration, then its compaction), or ``compact``: a
    compaction an earlier upgrade had no room for, done now on its own (``start``,
    ``compact``, ``compact_failed`` or ``done``; the versions are the same)."""

    stage: str
    percent: int
    old_version: int
    new_version: int
    needed: int = 0
    free: int = 0
    task: str = "upgrade"


MigrationListener = Callable[[MigrationEvent], None]


class Progress:
    """The migration's steps turned into whole percents of the whole, told to a listener
    each time the percent (or the stage) changes; and the opener's stop, looked at on
    every step and inside long statements."""

    def __init__(
        self,
        listener: MigrationListener | None,
        cancel: threading.Event | None,
        old_version: int,
        new_version: int,
        *,
        task: str = "upgrade",
        stages: dict[str, int] | None = None,
    ) -> None:
        self.listener = listener
        self.cancel = cancel
        self.old_version = old_version
        self.new_version = new_version
        self.task = task
        self.stages = STAGES if stages is None else stages
        self._stage = ""
        self._percent = -1
        self._expected = 0  # ticks the running stage's statements should take
        self._ticks = 0
        self._failure: BaseException | None = None

    def _base(self, stage: str) -> int:
        base = 0
        for name, share in self.stages.items():
            if name == stage:
                return base
            base += share
        return 100

    def tell(self, stage: str, *, needed: int = 0, free: int = 0) -> None:
        """Report a stage that is not a share of the whole (start, done, skipped)."""
        percent = {"start": 0}.get(stage, max(self._percent, 0))
        if stage == "done":
            percent = 100
        self._emit(stage, percent, needed=needed, free=free)

    def step(self, stage: str, done: int = 0, total: int = 1, *, stoppable: bool = True) -> None:
        """``done`` of ``total`` of ``stage`` is done; stop here if asked to (unless
        not ``stoppable``: after the commit there is nothing left to roll back)."""
        if stoppable:
            self.check()
        self._expected = 0
        fraction = min(max(done / total, 0.0), 1.0) if total > 0 else 1.0
        percent = self._base(stage) + int(self.stages.get(stage, 0) * fraction)
        if percent != self._percent or stage != self._stage:
            self._emit(stage, max(percent, self._percent))

    def expect(self, stage: str, rows: int, *, stoppable: bool = True) -> None:
        """``stage`` begins statements that go through ``rows`` rows (or pages): until
        its next step, its percent moves as SQLite works through them
        (:data:`OPS_PER_ROW`), so a table rewrite of minutes does not look stuck."""
        self.step(stage, 0, stoppable=stoppable)
        self._expected = max(1, rows * OPS_PER_ROW.get(stage, 0) // _TICK_OPS)
        self._ticks = 0

    def _tick(self) -> int:
        """SQLite's progress handler: 1 stops the statement (the opener asked to stop, or
        telling the listener failed: raised by :meth:`watching`)."""
        if self.stopped:
            return 1
        if self._expected and self._stage in self.stages:
            self._ticks += 1
            fraction = min(self._ticks / self._expected, _INSIDE_AT_MOST)
            percent = self._base(self._stage) + int(self.stages[self._stage] * fraction)
            if percent > self._percent:
                try:
                    self._emit(self._stage, percent)
                except Exception as exc:  # SQLite would only see "interrupted"
                    self._failure = exc
                    return 1
        return 0

    def _emit(self, stage: str, percent: int, *, needed: int = 0, free: int = 0) -> None:
        self._stage, self._percent = stage, percent
        if self.listener is not None:
            self.listener(
                MigrationEvent(
                    stage,
                    percent,
                    self.old_version,
                    self.new_version,
                    needed=needed,
                    free=free,
                    task=self.task,
                )
            )

    @property
    def stopped(self) -> bool:
        """Whether the opener asked to stop."""
        return self.cancel is not None and self.cancel.is_set()

    def check(self) -> None:
        """Raise :class:`MigrationCancelled` once the opener asked to stop."""
        if self.stopped:
            raise MigrationCancelled("stopped")

    @contextmanager
    def watching(self, conn: sqlite3.Connection) -> Iterator[None]:
        """Look in on the SQL statements running on ``conn`` (a table rewrite or a merge
        takes minutes at 100k items): the percent moves inside them (:meth:`expect`)
        and a set stop interrupts them. SQLite then fails the statement with
        "interrupted", raised here as what it was: :class:`MigrationCancelled`, the
        listener's own error, or ``KeyboardInterrupt`` (Ctrl+C arrives as an exception
        inside the handler, which sqlite3 turns into that "interrupted" and drops)."""
        conn.set_progress_handler(self._tick, _TICK_OPS)
        try:
            yield
        except sqlite3.OperationalError as exc:
            if "interrupt" not in str(exc):
                raise
            if self.stopped:
                raise MigrationCancelled("stopped") from exc
            if self._failure is not None:
                raise self._failure from exc
            raise KeyboardInterrupt from exc
        finally:
            conn.set_progress_handler(None, 0)


def _sqlite_temp_folder() -> Path:
    """Where SQLite writes its temporary files on Unix (``VACUUM`` builds its copy
    there): ``SQLITE_TMPDIR``, ``TMPDIR``, then the first of its fixed folders."""
    for name in ("SQLITE_TMPDIR", "TMPDIR"):
        value = os.environ.get(name)
        if value and os.path.isdir(value) and os.access(value, os.W_OK | os.X_OK):
            return Path(value)
    for folder in ("/var/tmp", "/usr/tmp", "/tmp"):
        if os.path.isdir(folder) and os.access(folder, os.W_OK | os.X_OK):
            return Path(folder)
    return Path(".")


def used_bytes(conn: sqlite3.Connection) -> int:
    """Bytes of the file's pages in use (its size less the free pages in it)."""
    page_size = int(conn.execute("PRAGMA page_size").fetchone()[0])
    pages = int(conn.execute("PRAGMA page_count").fetchone()[0])
    return (pages - int(conn.execute("PRAGMA freelist_count").fetchone()[0])) * page_size


def migration_room(conn: sqlite3.Connection, path: Path) -> tuple[int, int]:
    """(bytes a migration needs free beside the database, bytes free there).

    The migration rewrites nearly every page, and each rewritten page goes into the
    write-ahead log until the commit: at 100k items the log grew to 1,152 MB for a
    1,196 MB file (bench/migrate_bench.py). So it needs about the file's used size free;
    asked first, a disk without that room is said at once instead of minutes later."""
    return used_bytes(conn), free_bytes(path.resolve().parent)


def compaction_room(conn: sqlite3.Connection, path: Path) -> tuple[int, int]:
    """(bytes ``VACUUM`` needs free, bytes free) for the database at ``path``.

    VACUUM writes the compacted database twice before the old pages are let go: a copy
    in SQLite's temporary folder, then every page through the write-ahead log beside the
    file. Each needs about the compacted size (the pages in use), with a tenth more for
    the log's frame headers and the file system's slack; when both folders share a file
    system, it must hold both. Under a file-size limit (``RLIMIT_FSIZE``) smaller than
    one copy, the limit is the room there is."""
    used = used_bytes(conn)
    one_copy = used + used // 10
    folder = path.resolve().parent
    temp = _sqlite_temp_folder()
    try:
        same = os.stat(folder).st_dev == os.stat(temp).st_dev
    except OSError:
        same = True
    if same:
        needed, free = 2 * one_copy, free_bytes(folder)
    else:
        needed, free = one_copy, min(free_bytes(folder), free_bytes(temp))
    limit = file_size_limit()
    if limit is not None and limit < one_copy:
        return one_copy, limit  # neither copy may grow that large
    return needed, free


def owe_compaction(conn: sqlite3.Connection) -> None:
    """Record, inside the migration's transaction, that the file is to be compacted:
    until :func:`compaction_paid`, every writable open with room tries it (a skip for
    lack of room, a failure, a stop or a kill during ``VACUUM`` leave it owed)."""
    conn.execute(
        "INSERT OR REPLACE INTO owed_upkeep (task, since) VALUES ('compact', datetime('now'))"
    )


def compaction_owed(conn: sqlite3.Connection) -> bool:
    """Whether an earlier upgrade left the compaction of the file to do (False in a
    database without the table: nothing was ever owed there)."""
    try:
        row = conn.execute("SELECT 1 FROM owed_upkeep WHERE task = 'compact'").fetchone()
    except sqlite3.OperationalError:  # no such table: made before it existed
        return False
    return row is not None


def compaction_paid(conn: sqlite3.Connection) -> None:
    """The file was compacted: nothing is owed any more."""
    conn.execute("DELETE FROM owed_upkeep WHERE task = 'compact'")
