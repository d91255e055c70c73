"""The schema's plain-SQL tables and indexes are what sqlite-utils wrote before.

Databases created by earlier releases (through sqlite-utils) and by this one must be
alike, and every open compares a database's objects with a freshly built schema
(:mod:`kkr_tui.store.safety`); the store builds it without sqlite-utils so that opening
a database never imports it.
"""

from __future__ import annotations

import sqlite3
import subprocess
import sys

import pytest

from kkr_tui.store import schema


def _objects(conn: sqlite3.Connection) -> list[tuple[str, str, str]]:
    return conn.execute(
        "SELECT type, name, sql FROM sqlite_master WHERE type IN ('table', 'index')"
        " AND sql IS NOT NULL ORDER BY name"
    ).fetchall()


def test_tables_and_indexes_are_written_as_sqlite_utils_wrote_them() -> None:
    sqlite_utils = pytest.importorskip("sqlite_utils")
    ours = sqlite3.connect(":memory:")
    theirs = sqlite3.connect(":memory:")
    db = sqlite_utils.Database(theirs)
    for name, columns, fks, not_null in schema._TABLES:
        ours.execute(schema._table_sql(name, columns, fks, not_null))
        db[name].create(columns, pk="id", foreign_keys=fks, not_null=not_null)
    for table, columns, unique in schema._INDEXES:
        ours.execute(schema._index_sql(table, columns, unique))
        db[table].create_index(columns, unique=unique)
    assert _objects(ours) == _objects(theirs)
    assert len(_objects(ours)) == len(schema._TABLES) + len(schema._INDEXES)


def test_a_failed_creation_leaves_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    conn = sqlite3.connect(":memory:", isolation_level=None)
    monkeypatch.setattr(schema, "_create_content_version", _fail)
    with pytest.raises(RuntimeError):
        schema.ensure_schema(conn)
    assert _objects(conn) == []
    assert not conn.in_transaction


def _fail(conn: sqlite3.Connection) -> None:
    raise RuntimeError("boom")


def test_opening_and_creating_a_database_never_imports_sqlite_utils(tmp_path: object) -> None:
    code = (
        "import sys\n"
        "from kkr_tui.store import Store\n"
        f"Store({str(tmp_path)!r} + '/new.db').close()\n"
        f"Store({str(tmp_path)!r} + '/new.db', read_only=True).close()\n"
        "print(sorted(m for m in ('sqlite_utils', 'click', 'dateutil', 'pluggy')"
        " if m in sys.modules))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]", out.stderr
