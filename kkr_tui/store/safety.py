"""Trust nothing in a database file: what it may contain, and what its failures mean.

A database can be copied, shared or edited by other programs. Before we read or write
it we check that its schema holds only what kkr-tui creates: a trigger runs its own
SQL on our writes and a view on our reads, so a foreign trigger or view (or a
trigger of ours whose SQL was changed) is refused by name instead of run. Values the
app formats (meeting dates and years) are checked for their shape, so a date written
as ``2025/06/18`` by another program is one clear line, not a crash in the tree.
SQLite's own failures that mean "the file is damaged" or "the disk is full" become
:class:`DamagedDatabaseError` and :class:`DiskFullError` with what to do.
"""

from __future__ import annotations

import os
import re
import sqlite3
from functools import cache
from pathlib import Path

from kkr_tui.i18n import _
from kkr_tui.store.errors import DamagedDatabaseError, DiskFullError, SchemaError, StoreError

#: Objects of older kkr-tui releases a database may still hold (dropped when migrated).
_LEGACY = {("index", "notes_anchor")}
#: Our triggers; in a database of an older schema version their SQL is older too.
_TRIGGERS = {"items_ai", "items_ad", "items_au"}


def _normal(sql: str | None) -> str:
    return " ".join((sql or "").split())


@cache
def expected_objects() -> dict[tuple[str, str], str]:
    """``{(type, name): normalised SQL}`` of everything a fresh kkr-tui database holds,
    taken from an in-memory database built by the same code (so it never drifts), and
    kept between processes while that code is unchanged (:mod:`.schema_cache`)."""
    from kkr_tui.store.schema_cache import expected

    return expected(_build_expected)


def _build_expected() -> dict[tuple[str, str], str]:
    from kkr_tui.store.schema import ensure_schema, ensure_side_tables

    conn = sqlite3.connect(":memory:", isolation_level=None)
    try:
        ensure_schema(conn)
        ensure_side_tables(conn)
        rows = conn.execute("SELECT type, name, sql FROM sqlite_master").fetchall()
    finally:
        conn.close()
    return {(kind, name): _normal(sql) for kind, name, sql in rows}


def foreign_objects(conn: sqlite3.Connection, version: int) -> list[str]:
    """``type name`` of every schema object kkr-tui did not create (empty: all ours).

    Tables and indexes are ours by name (older releases made some with other
    options); triggers of the current schema version must also carry our exact SQL;
    views are never ours. SQLite's internal objects (``sqlite_*``) are its own.
    """
    from kkr_tui.store.schema import SCHEMA_VERSION

    expected = expected_objects()
    foreign: list[str] = []
    for kind, name, sql in conn.execute("SELECT type, name, sql FROM sqlite_master"):
        if name.startswith("sqlite_"):
            continue
        key = (kind, name)
        if kind == "trigger":
            # Side tables' triggers (bilag) do not change with the schema version: their
            # SQL must be ours at any version; the items' triggers of an older version
            # are ours by name.
            ours = expected.get(key) == _normal(sql) or (
                version != SCHEMA_VERSION and name in _TRIGGERS
            )
        else:
            ours = key in expected or key in _LEGACY
        if not ours:
            foreign.append(f"{kind} {name}")
    return sorted(foreign)


def check_schema_objects(conn: sqlite3.Connection, version: int) -> None:
    """Raise :class:`SchemaError` naming the objects kkr-tui did not create."""
    foreign = foreign_objects(conn, version)
    if foreign and version == 0:
        raise SchemaError(
            _("not a kkr-tui database (it holds {objects})").format(objects=", ".join(foreign[:5]))
        )
    if foreign:
        shown = ", ".join(foreign[:5]) + (
            _(" and {count} more").format(count=len(foreign) - 5) if len(foreign) > 5 else ""
        )
        raise SchemaError(
            _(
                "the database holds things kkr-tui did not create ({objects}); it is not "
                "opened, so their code never runs"
            ).format(objects=shown)
        )


_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def check_values(conn: sqlite3.Connection) -> None:
    """Raise :class:`StoreError` for the first meeting whose date or year, or note whose
    anchor or text, has a shape kkr-tui never writes (another program changed it).
    Meetings and notes are few (thousands), so this costs about a millisecond."""
    if conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'meetings'").fetchone() is None:
        return
    rows = conn.execute(
        "SELECT id, meeting_date, year FROM meetings WHERE (meeting_date IS NOT NULL AND"
        " (typeof(meeting_date) <> 'text' OR meeting_date NOT GLOB"
        " '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'))"
        " OR typeof(year) NOT IN ('integer', 'null') LIMIT 1"
    ).fetchall()
    for meeting_id, date, year in rows:
        value = date if date is not None and not _DATE.fullmatch(str(date)) else year
        raise StoreError(
            _(
                "meeting {id} has a malformed value ({value}); another program changed the database"
            ).format(id=meeting_id, value=repr(str(value)[:40]))
        )
    if conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'notes'").fetchone() is None:
        return
    notes = conn.execute(
        "SELECT id, meeting_date FROM notes WHERE typeof(council) <> 'text'"
        " OR typeof(meeting_date) <> 'text' OR typeof(number) <> 'text'"
        " OR typeof(title) <> 'text' OR typeof(text) <> 'text'"
        " OR typeof(case_number) NOT IN ('text', 'null')"
        " OR (meeting_date <> '' AND meeting_date NOT GLOB"
        " '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]') LIMIT 1"
    ).fetchall()
    for note_id, date in notes:
        raise StoreError(
            _(
                "note {id} has a malformed value ({value}); another program changed the database"
            ).format(id=note_id, value=repr(str(date)[:40]))
        )


def free_bytes(folder: Path) -> int:
    """Bytes free for this user in ``folder``'s file system (0 when it cannot be asked)."""
    try:
        st = os.statvfs(folder)
    except OSError:
        return 0
    return st.f_bavail * st.f_frsize


def file_size_limit() -> int | None:
    """This process's largest file (``RLIMIT_FSIZE``), or None when unlimited."""
    try:
        import resource
    except ImportError:  # not on Unix
        return None
    soft, _hard = resource.getrlimit(resource.RLIMIT_FSIZE)
    return None if soft == resource.RLIM_INFINITY else int(soft)


#: Less than this free beside the database counts as a full disk (a write of SQLite's
#: needs a few pages; the file system keeps some slack of its own).
_NEARLY_FULL = 1 << 20


def out_of_room(path: Path) -> bool:
    """Whether the database at ``path`` (or its write-ahead log) has no room to grow:
    the disk is (nearly) full, or a file reached this process's file-size limit. SQLite
    calls a write the file system refused for lack of room "disk is full" only when
    the system said ENOSPC; past a file-size limit (EFBIG) it says "disk I/O error"."""
    if free_bytes(path.resolve().parent) < _NEARLY_FULL:
        return True
    limit = file_size_limit()
    if limit is None:
        return False
    for name in (str(path), f"{path}-wal", f"{path}-journal"):
        try:
            if os.path.getsize(name) + 65536 >= limit:
                return True
        except OSError:
            continue
    return False


def translate(error: sqlite3.Error, path: Path) -> StoreError | None:
    """The store error an SQLite failure means, when it is damage or a full disk."""
    text = str(error)
    no_room = "disk I/O error" in text and out_of_room(path)
    if "disk is full" in text or "database or disk is full" in text or no_room:
        return DiskFullError(
            _(
                "the disk is full: {path} cannot be written (what is stored is kept); "
                "free some space and try again"
            ).format(path=path)
        )
    if isinstance(error, sqlite3.DatabaseError) and (
        "malformed" in text or "not a database" in text or "corrupt" in text
    ):
        return DamagedDatabaseError(
            _(
                "{path}: the database is damaged ({reason}); keep a back-up copy of the "
                "file, and rescue what can be read with "
                "`sqlite3 {path} .recover | sqlite3 new.db`"
            ).format(path=path, reason=text)
        )
    return None
