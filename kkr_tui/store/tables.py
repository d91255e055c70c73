"""Small statements every side of the store needs: does a table exist, create a group of
tables, write a group of statements as one transaction.

The notes, sync manifest and bilag parts each need these; one copy here keeps them
behaving alike (a full disk's rollback, above all).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Sequence


def has_table(conn: sqlite3.Connection, name: str) -> bool:
    """Whether ``name`` is a table: a database of an older release may lack a side table,
    and a read-only open must not create it, so reads ask first."""
    row = conn.execute("SELECT 1 FROM sqlite_master WHERE type='table' AND name=?", (name,))
    return row.fetchone() is not None


def run_ddl(conn: sqlite3.Connection, statements: Iterable[str]) -> None:
    """Run ``CREATE … IF NOT EXISTS`` statements (idempotent, any schema version)."""
    for statement in statements:
        conn.execute(statement)


def write_all(conn: sqlite3.Connection, statements: Iterable[tuple[str, Sequence[object]]]) -> None:
    """Run ``statements`` in one write transaction: all of them or none."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        for sql, params in statements:
            conn.execute(sql, params)
    except BaseException:
        if conn.in_transaction:  # a full disk may have rolled it back already
            conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")
