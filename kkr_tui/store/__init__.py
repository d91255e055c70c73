"""The store: the only place with SQL. Parsed meetings go in, read records come out.

Layout and keys live in :mod:`.schema`, writing in :mod:`.writes`, queries in
:mod:`.reads`; this module owns the connection and its rules.

Threading: one connection per :class:`Store`, opened with ``check_same_thread=False``
and guarded by a re-entrant lock, so any thread (the app's store thread, an ingest
worker, a search worker) may call any method; calls are serialised. SQLite work is
short, and serialising keeps one consistent view per call. Two Stores on the same
file (e.g. an ingest process and the app) coordinate through SQLite itself: WAL mode
lets readers carry on while a writer commits, and ``busy_timeout`` makes a writer
wait up to five seconds for a lock before :class:`StoreBusyError` is raised.

Writes: each document is saved in one ``BEGIN IMMEDIATE`` transaction, so a failure
half-way leaves the database as it was. ``read_only=True`` opens the file through a
``mode=ro`` URI with ``query_only`` set: such a Store can never write.
"""

from __future__ import annotations

import os
import sqlite3
import threading
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Literal
from urllib.parse import quote

from kkr_tui.i18n import _
from kkr_tui.model import Meeting
from kkr_tui.records import (
    Anchor,
    ChangedItem,
    DocItem,
    DocumentRow,
    ItemDetail,
    ItemMark,
    ItemRow,
    ItemVersion,
    MeetingDetail,
    MeetingRow,
    Note,
    NoteHit,
    SectionRow,
)
from kkr_tui.store import reads, safety, writes
from kkr_tui.store.bilag import BilagStore
from kkr_tui.store.errors import (
    DamagedDatabaseError,
    DiskFullError,
    MigrationCancelled,
    NoteTooLargeError,
    NotFoundError,
    SchemaError,
    SchemaTooOldError,
    StoreBusyError,
    StoreError,
    StoreReadOnlyError,
)
from kkr_tui.store.guard import locked
from kkr_tui.store.manifest import ManifestStore
from kkr_tui.store.migration import (
    COMPACTION_STAGES,
    MigrationEvent,
    MigrationListener,
    Progress,
    compaction_owed,
    compaction_paid,
    compaction_room,
    migration_room,
    owe_compaction,
    used_bytes,
)
from kkr_tui.store.notes import Notes
from kkr_tui.store.schema import (
    SCHEMA_VERSION,
    claim_store_id,
    ensure_schema,
    ensure_side_tables,
    newer_schema,
    savepoint,
    schema_needs_work,
    schema_version,
)

__all__ = [
    "SCHEMA_VERSION",
    "DamagedDatabaseError",
    "DiskFullError",
    "MigrationCancelled",
    "MigrationEvent",
    "MigrationListener",
    "NoteTooLargeError",
    "NotFoundError",
    "READABLE_AS_IS",
    "SchemaError",
    "SchemaTooOldError",
    "Store",
    "StoreBusyError",
    "StoreError",
    "StoreReadOnlyError",
    "open_or_read_as_is",
    "schema_version_of",
]

BUSY_TIMEOUT_MS = 5000
#: Files up to this size are checked whole before ingest writes (``verify``):
#: ``PRAGMA quick_check`` reads every page, 0.13-0.26 s for the 128 MB of a 10k-item
#: corpus, so about 1-2 s here. Larger files rely on SQLite finding damage in the
#: pages a write touches (the run then stops with the same message).
VERIFY_MAX_BYTES = 1 << 30
#: Documents whose term counts may wait unsettled (see :meth:`Store.settle_terms`):
#: a save settles them all once this many are pending, so the table stays small
#: even for writers that never call it.
SETTLE_TERMS_AFTER = 64
#: Older schema versions a read-only open reads as they are (never migrating them):
#: 3 differs from 4 only in where a part's blocks and the folded text are kept, which
#: the reads handle (a read-only drive, ``--read-only``). Older ones need migrating.
READABLE_AS_IS = frozenset({3})
#: Pages written per FTS5 merge step of :meth:`Store.tidy_index` (~0.3 s each).
_MERGE_PAGES = 2000


def schema_version_of(path: str | os.PathLike[str]) -> int:
    """The schema version of the database file at ``path``, read without opening a Store
    (never written: a read-only connection)."""
    uri = f"file:{quote(str(Path(path).resolve()))}?mode=ro"
    conn = sqlite3.connect(uri, uri=True)
    try:
        return schema_version(conn)
    finally:
        conn.close()


def _busy_message() -> str:
    """Looked up when said: the language may be chosen after import."""
    return _(
        "database is busy: another program kept {path} locked for more than {seconds} s; try again"
    )


def _refuse_newer(version: int) -> None:
    if version > SCHEMA_VERSION:
        raise SchemaError(newer_schema(version))


def _now() -> str:
    from datetime import UTC, datetime

    return datetime.now(UTC).isoformat(timespec="seconds")


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


def _check_intact(conn: sqlite3.Connection, path: Path) -> None:
    problems = [row[0] for row in conn.execute("PRAGMA quick_check(3)")]
    if problems != ["ok"]:
        first = " ".join(problems[0].replace("*** in database main ***", "").split())[:100]
        damage = sqlite3.DatabaseError(f"database disk image is malformed: {first}")
        raise safety.translate(damage, path) or DamagedDatabaseError(str(problems))


def _room_to_compact(conn: sqlite3.Connection, path: Path) -> tuple[int, int]:
    try:
        return compaction_room(conn, path)
    except sqlite3.Error:
        return 0, 0


def _reclaim(conn: sqlite3.Connection, path: Path, progress: Progress) -> None:
    """Give the pages a migration freed back to the file system (``VACUUM``): the
    migrated layout is half the size, but SQLite keeps freed pages in the file until
    then. Optional: it needs room for a second copy (:func:`.migration.compaction_room`),
    so without that room it is not tried (the listener hears ``compact_skipped``);
    a failure (a reader holding the file, the disk filled by someone else meanwhile)
    or a stop just leaves the migrated database as large as it was. Freed pages are
    reused by later writes either way, and the compaction stays owed
    (:func:`.migration.owe_compaction`): a later writable open with room does it."""
    needed, free = _room_to_compact(conn, path)
    if needed > free:
        progress.tell("compact_skipped", needed=needed, free=free)
        return
    _vacuum(conn, progress)


def _vacuum(conn: sqlite3.Connection, progress: Progress) -> bool:
    """``VACUUM``, its percent following SQLite's steps; whether it was done (then
    nothing is owed any more). A stop or a failure leaves the file whole, only larger."""
    page_size = int(conn.execute("PRAGMA page_size").fetchone()[0])
    progress.expect("compact", used_bytes(conn) // page_size, stoppable=False)
    try:
        with progress.watching(conn):
            conn.execute("VACUUM")
    except MigrationCancelled:
        return False  # the migration itself is committed: the file is whole, only larger
    except sqlite3.Error:
        progress.tell("compact_failed")
        return False
    with suppress(sqlite3.Error):  # still owed, if this fails: one VACUUM too many later
        compaction_paid(conn)
    progress.step("compact", 1, stoppable=False)
    return True


_locked = locked


class Store(ManifestStore, BilagStore):
    """A kkr-tui database file: schema, WAL, one document per transaction, read queries."""

    def __init__(
        self,
        path: str | os.PathLike[str],
        *,
        read_only: bool = False,
        busy_timeout: float = BUSY_TIMEOUT_MS / 1000,
        verify: bool = False,
        on_migrate: MigrationListener | None = None,
        stop_migration: threading.Event | None = None,
    ) -> None:
        """Open the database at ``path``; unless ``read_only``, create or check its schema.

        ``verify``: first check the whole file for damage (``PRAGMA quick_check``, see
        :meth:`check_intact`; files up to :data:`VERIFY_MAX_BYTES`) and refuse it
        untouched: ingest opens so, since writing into a damaged file makes the damage
        worse.

        A database of an older schema opened writable is migrated here, which takes
        minutes for a large archive: ``on_migrate`` hears each step
        (:class:`MigrationEvent`, first ``start`` before anything is written, last
        ``done``), on the opening thread; a set ``stop_migration`` ends it at once,
        rolled back (:class:`MigrationCancelled`, the file as it was)."""
        self.path = Path(path)
        self._verify = verify
        self._on_migrate = on_migrate
        self._stop_migration = stop_migration
        self.read_only = read_only
        self.busy_timeout = busy_timeout
        self._lock = threading.RLock()
        self._document_writes = 0
        self._in_batch = False
        self._has_pending_table: bool | None = None
        self._has_superseded_table: bool | None = None
        self._pending_view: tuple[tuple[int, int], list[tuple[str, int]]] | None = None
        self._date_runs_cache: (
            tuple[tuple[tuple[str, str], tuple[int, int]], reads.DateRuns] | None
        ) = None
        self._conn = self._connect()
        #: Notes and reading state (the user's own data), sharing this connection and lock.
        self.notes = Notes(self)

    def _connect(self) -> sqlite3.Connection:
        """Open and check the file before anything is written to it.

        Order matters: the schema version and every schema object are checked first
        (a newer or foreign database is refused untouched, not even switched to WAL),
        then the values the reader formats; only a writable open that has something
        to create or migrate takes the write lock, and it re-reads the version inside
        that ``BEGIN IMMEDIATE``, so two first-time ingests never both create the
        schema. An open with nothing to do writes nothing (a full disk still reads).
        """
        if self.read_only:
            if not self.path.exists():
                raise StoreError(_("no database at {path}").format(path=self.path))
            conn = self._open_read_only()
        else:
            conn = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None)
        try:
            conn.execute(f"PRAGMA busy_timeout = {int(self.busy_timeout * 1000)}")
            conn.execute("PRAGMA foreign_keys = ON")
            version = schema_version(conn)
            _refuse_newer(version)
            safety.check_schema_objects(conn, version)
            if self._verify and _size(self.path) <= VERIFY_MAX_BYTES:
                _check_intact(conn, self.path)
            if self.read_only:
                conn.execute("PRAGMA query_only = ON")
                if version != SCHEMA_VERSION and version not in READABLE_AS_IS:
                    raise SchemaTooOldError(
                        _(
                            "an older kkr-tui made this database (schema {old}, now {new}) "
                            "and it is open read-only; run `kkr-tui` or `kkr-tui ingest` "
                            "once where it can be written, which brings it up to date"
                        ).format(old=version, new=SCHEMA_VERSION)
                    )
            else:
                self._prepare_writable(conn, version)
            try:
                safety.check_values(conn)
            except StoreError:
                # A damaged page can look like a foreign edit: say which it is.
                _check_intact(conn, self.path)
                raise
        except sqlite3.Error as exc:
            conn.close()
            if "locked" in str(exc) or "busy" in str(exc):
                raise StoreBusyError(
                    _busy_message().format(path=self.path, seconds=f"{self.busy_timeout:g}")
                ) from exc
            raise safety.translate(exc, self.path) or StoreError(
                _("cannot open {path}: {reason}").format(path=self.path, reason=exc)
            ) from exc
        except SchemaError as exc:
            conn.close()
            raise type(exc)(f"{self.path}: {exc}") from None
        except (DamagedDatabaseError, DiskFullError):
            conn.close()
            raise  # their message names the file already
        except StoreError as exc:
            conn.close()
            raise type(exc)(f"{self.path}: {exc}") from None
        return conn

    def _prepare_writable(self, conn: sqlite3.Connection, version: int) -> None:
        """WAL, then create, migrate or complete the schema in one write transaction."""
        if version == 0 or conn.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
            conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = NORMAL")
        file_id = self._file_id()
        if not schema_needs_work(conn, file_id):
            self._compact_if_owed(conn, version)
            return
        conn.execute("BEGIN IMMEDIATE")
        progress: Progress | None = None
        try:
            again = schema_version(conn)
            if again != version:
                _refuse_newer(again)
                safety.check_schema_objects(conn, again)
            if 0 < again < SCHEMA_VERSION:
                self._check_room(conn, again)
                progress = Progress(self._on_migrate, self._stop_migration, again, SCHEMA_VERSION)
                progress.tell("start")
                with progress.watching(conn):
                    ensure_schema(conn, progress)
                    claim_store_id(conn, file_id)
                    ensure_side_tables(conn)
                    owe_compaction(conn)  # paid by the VACUUM after the commit
                    progress.step("commit", 0)
            else:
                ensure_schema(conn)
                claim_store_id(conn, file_id)
                ensure_side_tables(conn)
            conn.execute("COMMIT")  # a full disk may fail the commit itself
        except BaseException as exc:
            if conn.in_transaction:
                # The file is closed next, and SQLite rolls back what it did not commit.
                with suppress(sqlite3.Error):
                    conn.execute("ROLLBACK")
            if progress is not None and isinstance(exc, sqlite3.Error):
                raise self._failed_migration(exc, progress.old_version) from exc
            raise
        if progress is not None:
            progress.step("commit", 1, stoppable=False)
            _reclaim(conn, self.path, progress)
            progress.tell("done")
        else:
            self._compact_if_owed(conn, again)

    def _compact_if_owed(self, conn: sqlite3.Connection, version: int) -> None:
        """Do the compaction an earlier upgrade had no room for (or was stopped or
        killed in), now that there is room: the archive otherwise keeps twice its size.
        Told to ``on_migrate`` as task ``compact`` and stopped by ``stop_migration``, as
        the upgrade is. Still no room: nothing is written and nothing said (the upgrade
        said why); another program holding the file: not waited for, tried next time."""
        if not compaction_owed(conn):
            return
        needed, free = _room_to_compact(conn, self.path)
        if needed > free:
            return
        progress = Progress(
            self._on_migrate,
            self._stop_migration,
            version,
            version,
            task="compact",
            stages=COMPACTION_STAGES,
        )
        progress.tell("start")
        conn.execute("PRAGMA busy_timeout = 0")
        try:
            _vacuum(conn, progress)
        finally:
            conn.execute(f"PRAGMA busy_timeout = {int(self.busy_timeout * 1000)}")
        if not progress.stopped:  # stopped: the opener is closing, nobody is listening
            progress.tell("done")

    def _check_room(self, conn: sqlite3.Connection, old: int) -> None:
        """Refuse a migration the disk has no room for before it starts (see
        :func:`.migration.migration_room`): the file is left as it is, readable."""
        needed, free = migration_room(conn, self.path)
        if needed > free:
            raise DiskFullError(
                _(
                    "{path}: the archive cannot be upgraded: that needs about {needed} MB "
                    "free beside it and {free} MB are. It is unchanged (schema {old}); "
                    "free some space and try again"
                ).format(
                    path=self.path,
                    needed=-(-needed // 1_000_000),
                    free=free // 1_000_000,
                    old=old,
                )
            )

    def _failed_migration(self, exc: sqlite3.Error, old: int) -> Exception:
        """What a migration that SQLite failed means: the disk filled (said with what it
        means for the file: still the old version, nothing lost) or any other failure."""
        error = safety.translate(exc, self.path)
        if isinstance(error, DiskFullError):
            return DiskFullError(
                _(
                    "{path}: the archive could not be upgraded: the disk is full. It is "
                    "unchanged (schema {old}) and nothing is lost; free some space and "
                    "try again"
                ).format(path=self.path, old=old)
            )
        return error or exc

    def _file_id(self) -> str:
        """Which file this is (device and inode): a copy is another file."""
        stat = self.path.stat()
        return f"{stat.st_dev}:{stat.st_ino}"

    def _open_read_only(self) -> sqlite3.Connection:
        """A read-only connection, also in a folder we may not write to.

        A WAL database needs its ``-shm`` file even to read; in a read-only folder SQLite
        cannot create it and refuses ("attempt to write a readonly database"). Without a
        ``-wal`` file every committed page is in the main file, so it can then be read
        as ``immutable`` (no locks, no shared memory). A leftover ``-wal`` would be
        ignored that way, so then we refuse with a reason instead of showing old data.
        """
        base = f"file:{quote(str(self.path.resolve()))}?mode=ro"
        conn = sqlite3.connect(base, uri=True, check_same_thread=False, isolation_level=None)
        try:
            conn.execute("PRAGMA user_version").fetchone()
            return conn
        except sqlite3.DatabaseError as exc:
            conn.close()
            if "readonly" not in str(exc) and "unable to open" not in str(exc):
                raise safety.translate(exc, self.path) or StoreError(
                    _("cannot open {path}: {reason}").format(path=self.path, reason=exc)
                ) from exc
        wal = Path(f"{self.path}-wal")
        if wal.exists() and wal.stat().st_size > 0:
            raise StoreError(
                _(
                    "cannot open {path}: its folder is read-only and it holds unsaved "
                    "changes ({wal}); open it once where it can be written"
                ).format(path=self.path, wal=wal.name)
            )
        return sqlite3.connect(
            base + "&immutable=1", uri=True, check_same_thread=False, isolation_level=None
        )

    def _translate(self, exc: sqlite3.DatabaseError) -> Exception:
        """The store error an SQLite failure during a call means (or the failure itself)."""
        if "locked" in str(exc) or "busy" in str(exc):
            return StoreBusyError(
                _busy_message().format(path=self.path, seconds=f"{self.busy_timeout:g}")
            )
        if "readonly" in str(exc):
            return StoreReadOnlyError(_("{path} is open read-only").format(path=self.path))
        return safety.translate(exc, self.path) or exc

    def close(self) -> None:
        """Close the connection; the Store is unusable afterwards."""
        with self._lock:
            self._conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def _transaction(self, *, document: bool = True) -> Iterator[sqlite3.Connection]:
        """``BEGIN IMMEDIATE`` ... ``COMMIT``; ``document``: it changes what search sees
        (bumps :meth:`change_token`)."""
        if self.read_only:
            raise StoreReadOnlyError(_("{path} is open read-only").format(path=self.path))
        conn = self._conn
        if self._in_batch:
            with savepoint(conn, "kkr_document"):  # one document of a batch undone alone
                yield conn
            if document:
                self._document_writes += 1
            return
        conn.execute("BEGIN IMMEDIATE")
        try:
            yield conn
        except BaseException:
            if conn.in_transaction:  # a full disk may have rolled it back already
                conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")
        if document:
            self._document_writes += 1

    @contextmanager
    def batch(self) -> Iterator[None]:
        """Many writes in one transaction: a bulk load (the bench's corpora of a million
        items) commits once instead of once a document.

        Each write inside is still all or nothing (a savepoint); a failure that leaves
        the block undoes the whole batch. Every commit flushes a new segment into each
        full-text index and rewrites the pages the document touched, so a batch of
        hundreds of documents writes far less than as many transactions. The store's
        lock is held throughout: nothing else writes meanwhile. Not for interactive
        use (a reader waits for the whole batch)."""
        with self._lock, self._transaction(document=False):
            self._in_batch = True
            try:
                yield
            finally:
                self._in_batch = False

    # -- writing -----------------------------------------------------------------

    def tidy_index(self, budget_s: float) -> bool:
        """Merge the full-text indexes' segments for about ``budget_s``; True when done.

        Every stored document adds a segment to each FTS5 index, and FTS5's own
        automerge leaves a dozen or so levels behind; each query then reads every
        segment. On a 100k-item store, fully merged indexes answered the search's
        queries 3-5x faster. Merging all of it at once costs ~12 s per 100k items, so
        it is done in small steps (each its own short transaction, so a reader or a
        kill mid-way loses nothing) until the budget is spent; later runs go on.
        Tidying is optional, so a busy or read-only database just returns False.
        """
        deadline = time.monotonic() + budget_s
        for table in ("titles_fts", "items_fts"):
            while True:
                with self._lock:
                    before = self._conn.total_changes
                    try:
                        self._conn.execute(
                            f"INSERT INTO {table}({table}, rank) VALUES('merge', -{_MERGE_PAGES})"
                        )
                    except sqlite3.Error:  # busy or read-only: tidying waits for a later run
                        return False
                    merged = self._conn.total_changes - before > 1
                if not merged:
                    break
                if time.monotonic() >= deadline:
                    return False
        return True

    @_locked
    def check_intact(self) -> None:
        """Raise :class:`DamagedDatabaseError` when SQLite finds the file damaged
        (``PRAGMA quick_check``, about a second per GB)."""
        _check_intact(self._conn, self.path)

    @_locked
    def documents(self) -> list[DocumentRow]:
        """Every stored document, oldest first (``--reparse`` without paths re-reads them)."""
        return reads.all_documents(self._conn)

    @_locked
    def find_document(self, sha256: str) -> DocumentRow | None:
        """The stored document with this content hash, if any (lets ingest skip parsing)."""
        return reads.find_document(self._conn, sha256)

    @_locked
    def superseding_document(self, sha256: str, path: str) -> DocumentRow | None:
        """The stored document that replaced the file ``path`` with this content, if any.

        Ingest asks this before parsing a file whose content is not stored: a folder
        with two versions of one document then settles on the one stored instead of
        replacing it with the other at every run."""
        if not self._superseded_table():
            return None
        return reads.superseding_document(self._conn, sha256, path)

    def _superseded_table(self) -> bool:
        if self._has_superseded_table is None:
            self._has_superseded_table = reads.has_table(self._conn, "superseded_files")
        return self._has_superseded_table

    @_locked
    def save_document(
        self,
        meeting: Meeting,
        *,
        path: str,
        sha256: str,
        parser_version: str,
        reparse: bool = False,
    ) -> Literal["added", "updated", "unchanged"]:
        """Store a parsed document in one transaction.

        Same sha256 already stored -> ``"unchanged"``, unless ``reparse`` and it was
        parsed by another parser version: then it is replaced like any new version. A
        stored document of the same meeting (council + date) and type, or from the same
        path, is replaced -> ``"updated"``. Otherwise ``"added"``. Removing the old rows
        and writing the new ones share the transaction, so nothing is ever half-replaced.
        """
        path = str(path)
        with self._transaction() as conn:
            stored = reads.find_document(conn, sha256)
            stale: list[tuple[int, int]] = []
            if stored is not None:
                if not reparse or stored.parser_version == parser_version:
                    return "unchanged"
                stale = [(stored.id, stored.meeting_id)]
                writes.delete_document(conn, stored.id)
            key = writes.meeting_key(meeting, path)
            others = writes.replaced_documents(conn, key, meeting.doc_type, path)
            files = writes.document_files(conn, [document_id for document_id, _ in others])
            replaced = stale + others
            # What the user saw of a replaced document's items is kept before its rows
            # go (a re-read of the same file, ``stale``, is a new parse, not a new version).
            # Imported here: only storing needs it, not the read path's opens.
            from kkr_tui.store import versions

            seen = versions.pending_from_replaced(conn, [d for d, _ in others])
            for document_id, _meeting in others:
                writes.delete_document(conn, document_id)
            meeting_id = writes.upsert_meeting(conn, meeting, key)
            new_id = writes.insert_document(
                conn,
                meeting,
                meeting_id,
                path=path,
                sha256=sha256,
                parser_version=parser_version,
            )
            versions.keep_replaced(conn, seen, new_id, _now())
            if self._superseded_table():
                replaced_ids = [document_id for document_id, _ in replaced]
                writes.record_superseded(conn, replaced_ids, files, path, new_id)
            writes.delete_empty_meetings(conn, {m for _, m in replaced} - {meeting_id})
            writes.bump_content_version(conn)
            if writes.pending_documents(conn) >= SETTLE_TERMS_AFTER:
                writes.settle_terms(conn)
        return "updated" if replaced else "added"

    @_locked
    def settle_terms(self) -> bool:
        """Fold the term counts of documents stored since the last call into the search
        vocabulary's table (one short transaction; ingest calls it when a run ends).
        False when nothing was pending or the store is read-only.

        It changes no content, so it leaves :meth:`change_token` alone."""
        if self.read_only or not self._pending_terms_table():
            return False
        if not writes.pending_documents(self._conn):
            return False
        with self._transaction(document=False) as conn:
            return writes.settle_terms(conn)

    def _settle_terms_if_free(self) -> None:
        """:meth:`settle_terms` without waiting: while another program writes, the
        pending changes are added in memory instead (a reader must not stall on it, nor
        fail because the file cannot be written just now)."""
        conn = self._conn
        conn.execute("PRAGMA busy_timeout = 0")
        try:
            self.settle_terms()
        except (StoreError, sqlite3.Error):
            pass
        finally:
            conn.execute(f"PRAGMA busy_timeout = {int(self.busy_timeout * 1000)}")

    def _pending_terms_table(self) -> bool:
        if self._has_pending_table is None:
            self._has_pending_table = reads.has_pending_table(self._conn)
        return self._has_pending_table

    def _pending_terms(self) -> list[tuple[str, int]]:
        """The unsettled term changes, read once per :meth:`change_token`. A writable
        store settles them first (if no other program holds the write lock)."""
        if not self._pending_terms_table():
            return []
        token = self.change_token()
        if self._pending_view is not None and self._pending_view[0] == token:
            return self._pending_view[1]
        if not self.read_only:
            self._settle_terms_if_free()
        pending = reads.pending_terms(self._conn)
        self._pending_view = (self.change_token(), pending)
        return pending

    @_locked
    def delete_document(self, document_id: int) -> None:
        """Remove one document (and its meeting if it was the last one)."""
        with self._transaction() as conn:
            row = conn.execute(
                "SELECT meeting_id FROM documents WHERE id = ?", (document_id,)
            ).fetchone()
            if row is None:
                raise NotFoundError(_("no document with id {id}").format(id=document_id))
            writes.delete_document(conn, document_id)
            writes.delete_empty_meetings(conn, {row[0]})
            if self._superseded_table():
                writes.forget_superseded(conn, document_id)
            writes.bump_content_version(conn)

    # -- reading -----------------------------------------------------------------

    @_locked
    def content_version(self) -> tuple[str, int] | None:
        """(this database's random id, a counter moved by every stored, replaced or
        removed document): names exactly which documents are stored, for caches kept
        outside the database. None for an older database opened read-only."""
        return reads.content_version(self._conn)

    @_locked
    def is_empty(self) -> bool:
        """True until the first document is stored (the app then shows its welcome)."""
        return reads.is_empty(self._conn)

    @_locked
    def councils(self) -> list[str]:
        """Councils with meetings, alphabetically; "Ukendt råd" last."""
        return reads.councils(self._conn)

    @_locked
    def years(self, council: str) -> list[int]:
        """Years with meetings of a council, newest first; 0 (unknown date) last."""
        return reads.years(self._conn, council)

    @_locked
    def meetings(self, council: str, year: int) -> list[MeetingRow]:
        """A council's meetings in a year (0 = undated), newest first."""
        return reads.meetings(self._conn, council, year)

    @_locked
    def meeting(self, meeting_id: int) -> MeetingDetail:
        """Facts, participants, documents, sections and item summaries of a meeting."""
        return reads.meeting(self._conn, meeting_id)

    @_locked
    def sections(self, meeting_id: int) -> list[SectionRow]:
        """Sections of the meeting's primary document (minutes if stored, else agenda)."""
        return reads.sections(self._conn, meeting_id)

    @_locked
    def items(self, section_id: int) -> list[ItemRow]:
        """Items of a section in order."""
        return reads.items(self._conn, section_id)

    @_locked
    def item(self, item_id: int) -> ItemDetail:
        """Everything the item pane renders."""
        return reads.item(self._conn, item_id)

    @_locked
    def adjacent_item(self, item_id: int, step: int) -> int | None:
        """The item ``step`` places away in the same document, across sections; None at the ends."""
        return reads.adjacent_item(self._conn, item_id, step)

    @_locked
    def adjacent_meeting(self, meeting_id: int, step: int) -> int | None:
        """The same council's meeting ``step`` places later in time (negative: earlier)."""
        return reads.adjacent_meeting(self._conn, meeting_id, step)

    @_locked
    def item_path(self, item_id: int) -> tuple[str, int, int, int, int]:
        """(council, year, meeting id, section id, item id) to reveal an item in the tree."""
        return reads.item_path(self._conn, item_id)

    @_locked
    def find_items_by_case_number(self, case_number: str) -> list[ItemRow]:
        """Items with exactly this case number (any letter case), newest first."""
        return reads.find_items_by_case_number(self._conn, case_number)

    @_locked
    def find_items_by_number(
        self, number: str, meeting_id: int | None = None, *, limit: int | None = None
    ) -> list[ItemRow]:
        """Items numbered ``number`` in a meeting's primary document, or everywhere."""
        return reads.find_items_by_number(self._conn, number, meeting_id, limit)

    # -- search support (for kkr_tui.search only) -----------------------------------

    @_locked
    def change_token(self) -> tuple[int, int]:
        """Changes when this connection stores or removes a document, or another connection
        commits anything: search caches key on it. Notes, reading state and index tidying
        leave it alone, so opening an item does not make the next search reload the
        vocabulary (0.6 s at 100k items)."""
        data_version = self._conn.execute("PRAGMA data_version").fetchone()[0]
        return (self._document_writes, data_version)

    @_locked
    def vocabulary(self) -> list[tuple[str, int]]:
        """All indexed folded terms with their document frequencies, sorted by term."""
        return reads.vocabulary(self._conn, self._pending_terms())

    @_locked
    def vocabulary_page(self, after: str | None, limit: int) -> list[tuple[str, int]]:
        """The next ``limit`` terms after ``after`` (None: from the start), with their
        document frequencies, sorted by term: the vocabulary read in pages, so a large
        one is loaded in short steps without ever holding every row at once."""
        return reads.vocabulary_page(self._conn, after, limit, self._pending_terms())

    @_locked
    def search_candidates(
        self,
        match: str,
        *,
        limit: int,
        councils: list[str] | None = None,
        year: int | None = None,
        doc_type: str | None = None,
        titles: bool = False,
        dates: tuple[str, str] | None = None,
    ) -> list[tuple[int, str]]:
        """Unranked FTS5 candidates for a MATCH, newest first (``titles``: the title index;
        ``dates``: meetings in that inclusive ISO range only)."""
        return reads.search_candidates(
            self._conn,
            match,
            limit=limit,
            councils=councils,
            year=year,
            doc_type=doc_type,
            titles=titles,
            dates=dates,
            runs=None if dates is None else self._date_runs(dates),
        )

    def _date_runs(self, dates: tuple[str, str]) -> reads.DateRuns:
        """:func:`reads.date_runs`, kept while nothing is stored: one search asks the
        index four to eight times for the same dates."""
        key = (dates, self.change_token())
        cached = self._date_runs_cache
        if cached is None or cached[0] != key:
            cached = self._date_runs_cache = (key, reads.date_runs(self._conn, dates))
        return cached[1]

    @_locked
    def filtered_items(
        self,
        *,
        limit: int,
        councils: list[str] | None = None,
        year: int | None = None,
        doc_type: str | None = None,
        dates: tuple[str, str] | None = None,
    ) -> list[ItemRow]:
        """Items matching only filters: newest meeting first, its items in order."""
        return reads.filtered_items(
            self._conn, limit=limit, councils=councils, year=year, doc_type=doc_type, dates=dates
        )

    @_locked
    def item_rows(self, item_ids: list[int]) -> dict[int, ItemRow]:
        """Item rows for a batch of ids."""
        return reads.item_rows(self._conn, item_ids)

    @_locked
    def item_texts(self, item_ids: list[int]) -> dict[int, str]:
        """Display text of a few items, for search snippets."""
        return reads.item_texts(self._conn, item_ids)

    # -- related-items support (meetingwork.related: "more like this") --------------------

    @_locked
    def folded_texts(self, item_ids: list[int]) -> dict[int, tuple[str, str]]:
        """(folded title, folded body) of a few items, as the full-text index holds them."""
        return reads.folded_texts(self._conn, item_ids)

    @_locked
    def term_counts(self, terms: list[str]) -> dict[str, int]:
        """How many stored items hold each term (absent: none)."""
        return reads.term_counts(self._conn, terms, self._pending_terms())

    @_locked
    def item_count(self) -> int:
        """Number of stored items."""
        return reads.item_count(self._conn)

    @_locked
    def similar_items(
        self, terms: list[str], *, limit: int, among: list[int] | None = None
    ) -> list[tuple[int, float]]:
        """Items holding any of ``terms``, best first, with a BM25 score (higher = closer)."""
        return reads.similar_items(self._conn, terms, limit=limit, among=among)

    # -- the user's own data (``self.notes``) under the names the app's gateway calls --

    def anchor(self, item_id: int) -> Anchor:
        """See :meth:`Notes.anchor`."""
        return self.notes.anchor(item_id)

    def resolve_anchor(self, anchor: Anchor) -> int | None:
        """See :meth:`Notes.resolve_anchor`."""
        return self.notes.resolve_anchor(anchor)

    def note_for(self, item_id: int) -> Note | None:
        """See :meth:`Notes.note_for`."""
        return self.notes.note_for(item_id)

    def save_note(self, item_id: int, text: str) -> Note | None:
        """See :meth:`Notes.save_note`."""
        return self.notes.save_note(item_id, text)

    def all_notes(self) -> list[Note]:
        """See :meth:`Notes.all_notes`."""
        return self.notes.all_notes()

    def notes_with_items(self) -> list[tuple[Note, int | None]]:
        """See :meth:`Notes.notes_with_items`."""
        return self.notes.notes_with_items()

    def search_notes(self, query: str, *, limit: int = 20) -> list[NoteHit]:
        """See :meth:`Notes.search_notes`."""
        return self.notes.search_notes(query, limit=limit)

    def mark_read(self, item_id: int) -> None:
        """See :meth:`Notes.mark_read`."""
        self.notes.mark_read(item_id)

    def detect_changes(self) -> int:
        """See :meth:`Notes.detect_changes`."""
        return self.notes.detect_changes()

    def detect_changes_step(self, max_meetings: int = 25) -> tuple[int, bool]:
        """See :meth:`Notes.detect_changes_step`."""
        return self.notes.detect_changes_step(max_meetings)

    def changed_items(self) -> list[ChangedItem]:
        """See :meth:`Notes.changed_items`."""
        return self.notes.changed_items()

    def item_marks(self, item_ids: Iterable[int]) -> dict[int, ItemMark]:
        """See :meth:`Notes.item_marks`."""
        return self.notes.item_marks(item_ids)

    def previous_versions(self, item_ids: Iterable[int]) -> dict[int, ItemVersion]:
        """See :meth:`Notes.previous_versions`."""
        return self.notes.previous_versions(item_ids)

    # -- both documents of a meeting (for meetingwork) ---------------------------------

    @_locked
    def meeting_document_items(self, meeting_id: int) -> dict[str, list[DocItem]]:
        """Items of each stored document of a meeting (agenda, minutes) with both key parts."""
        return reads.meeting_document_items(self._conn, meeting_id)

    @_locked
    def case_number_share(self, item_ids: Iterable[int]) -> dict[int, int]:
        """For each item, how many items of its own document carry its case number (0: none)."""
        return reads.case_number_share(self._conn, item_ids)

    @_locked
    def meeting_counts(self) -> dict[str, int]:
        """Number of meetings per council (standing items recur in most of them)."""
        return reads.meeting_counts(self._conn)


def open_or_read_as_is(
    path: str | os.PathLike[str],
    *,
    busy_timeout: float = BUSY_TIMEOUT_MS / 1000,
    on_migrate: MigrationListener | None = None,
    stop_migration: threading.Event | None = None,
) -> tuple[Store, StoreError | None]:
    """The archive at ``path`` opened writable, as ``Store(path, ...)`` does; but an older
    archive that cannot be upgraded now is opened read-only, as it is, where its schema
    reads without migrating (:data:`READABLE_AS_IS`), and returned with the problem that
    stopped the upgrade, for the caller to say: another program holds its write lock
    (:class:`StoreBusyError`: a ``kkr-tui sync`` upgrading it, most likely), the disk
    has no room (:class:`DiskFullError`), or the upgrade refused to go on rather than
    lose what the reader shows (:class:`SchemaError`). The reader and the command
    line's reading commands both open so. Any other archive, or one the read-only open
    refuses too (damaged, foreign), raises the problem."""
    try:
        store = Store(
            path,
            busy_timeout=busy_timeout,
            on_migrate=on_migrate,
            stop_migration=stop_migration,
        )
        return store, None
    except (StoreBusyError, DiskFullError, SchemaError) as problem:
        try:
            older = schema_version_of(path) in READABLE_AS_IS
        except Exception:  # noqa: BLE001 - the file cannot even be asked: the problem stands
            older = False
        if not older:
            raise
        try:
            return Store(path, read_only=True, busy_timeout=busy_timeout), problem
        except StoreError:
            raise problem from None
