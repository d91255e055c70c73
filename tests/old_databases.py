"""Databases an earlier kkr-tui wrote, for the tests of the migration: the schema-3
fixture, a schema-2 file made from it, what such a file holds read in its own layout,
and the check that a store's indexes are in step with its rows.

``tests/fixtures/kkr-v3.db`` was made once with the release before schema 4
(``tests/fixtures/make_kkr_v3.py``); tests always work on a copy.
"""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path

from fts_check import assert_full_index_matches

from kkr_tui.model import Block
from kkr_tui.store import Store

_V2_TRIGGERS = [
    """CREATE TRIGGER items_ai AFTER INSERT ON items BEGIN
        INSERT INTO items_fts(rowid, title_folded, body_folded)
        VALUES (new.id, new.title_folded, new.body_folded);
    END""",
    """CREATE TRIGGER items_ad AFTER DELETE ON items BEGIN
        INSERT INTO items_fts(items_fts, rowid, title_folded, body_folded)
        VALUES ('delete', old.id, old.title_folded, old.body_folded);
    END""",
    """CREATE TRIGGER items_au AFTER UPDATE ON items BEGIN
        INSERT INTO items_fts(items_fts, rowid, title_folded, body_folded)
        VALUES ('delete', old.id, old.title_folded, old.body_folded);
        INSERT INTO items_fts(rowid, title_folded, body_folded)
        VALUES (new.id, new.title_folded, new.body_folded);
    END""",
]

#: A database written by kkr-tui with schema version 3 (tests/fixtures/make_kkr_v3.py):
#: the samples' corpus, an item with every kind of block, notes and reading marks.
V3_FIXTURE = Path(__file__).parent / "fixtures" / "kkr-v3.db"


def file_schema(db: Path) -> int:
    """The schema version of the file at ``db`` (``PRAGMA user_version``), read as is."""
    conn = sqlite3.connect(db)
    try:
        return int(conn.execute("PRAGMA user_version").fetchone()[0])
    finally:
        conn.close()


def owes_compaction(db: Path) -> bool:
    """Whether the file records a compaction still to do (an upgrade had no room for it,
    or was stopped or killed in it), read as is."""
    conn = sqlite3.connect(db)
    try:
        table = conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'owed_upkeep'").fetchone()
        if table is None:
            return False
        row = conn.execute("SELECT 1 FROM owed_upkeep WHERE task = 'compact'").fetchone()
        return row is not None
    finally:
        conn.close()


def free_pages(db: Path) -> int:
    """Pages the file holds but does not use (what a compaction gives back)."""
    conn = sqlite3.connect(db)
    try:
        return int(conn.execute("PRAGMA freelist_count").fetchone()[0])
    finally:
        conn.close()


def add_free_pages(db: Path, pages: int = 200) -> None:
    """Leave ``pages`` unused pages in the file, as a large archive's upgrade does (the
    schema-3 fixture is too small to free any): a table written and dropped again."""
    conn = sqlite3.connect(db, isolation_level=None)
    try:
        size = int(conn.execute("PRAGMA page_size").fetchone()[0])
        conn.execute("CREATE TABLE filler (b BLOB)")
        conn.execute("INSERT INTO filler VALUES (zeroblob(?))", (size * pages,))
        conn.execute("DROP TABLE filler")
    finally:
        conn.close()


def v3_database(db_path: Path) -> Path:
    shutil.copyfile(V3_FIXTURE, db_path)
    return db_path


def downgrade_to_v2(db_path: Path) -> None:
    """Turn a version-3 database into the version-2 layout (no title index, no item filters)."""
    conn = sqlite3.connect(db_path, isolation_level=None)
    for trigger in ("items_ai", "items_ad", "items_au"):
        conn.execute(f"DROP TRIGGER {trigger}")
    conn.execute("DROP TABLE titles_fts")
    for column in ("council", "year", "doc_type"):
        conn.execute(f"ALTER TABLE items DROP COLUMN {column}")
    for statement in _V2_TRIGGERS:
        conn.execute(statement)
    conn.execute("PRAGMA user_version = 2")
    conn.close()


def v3_contents(db_path: Path) -> dict[str, object]:
    """What a version-3 database holds, read with plain SQL in its own layout."""
    conn = sqlite3.connect(db_path)
    try:
        blocks = {}
        for item_id, kind, heading, raw in conn.execute(
            "SELECT item_id, kind, heading, blocks FROM parts ORDER BY item_id, position"
        ):
            parsed = tuple(Block(k, t, m) for k, t, m in json.loads(raw))
            blocks.setdefault(item_id, []).append((kind, heading, parsed))
        return {
            "items": conn.execute(
                "SELECT id, number, title, case_number, council, year, doc_type FROM items"
                " ORDER BY id"
            ).fetchall(),
            "blocks": blocks,
            "vocabulary": conn.execute(
                "SELECT term, doc FROM items_fts_vocab ORDER BY term"
            ).fetchall(),
            "titles": conn.execute(
                "SELECT rowid FROM titles_fts WHERE titles_fts MATCH 'okonomi OR klima'"
                " ORDER BY rowid"
            ).fetchall(),
            **{
                table: conn.execute(f"SELECT * FROM {table} ORDER BY 1, 2, 3").fetchall()
                for table in ("notes", "item_reads", "seen_items", "item_changes", "seen_documents")
            },
        }
    finally:
        conn.close()


def check_integrity(store: Store) -> None:
    conn = store._conn
    assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
    assert_full_index_matches(conn)
    conn.execute("INSERT INTO titles_fts(titles_fts) VALUES ('integrity-check')")
    stale = conn.execute(
        "SELECT count(*) FROM items i JOIN documents d ON d.id = i.document_id"
        " JOIN meetings m ON m.id = d.meeting_id"
        " WHERE (i.council, i.year, i.doc_type) IS NOT (m.council, m.year, d.doc_type)"
    ).fetchone()[0]
    assert stale == 0
    vocab = conn.execute("SELECT term, doc FROM items_fts_vocab ORDER BY term").fetchall()
    assert store.vocabulary() == vocab
    if not store.read_only:
        assert conn.execute("SELECT count(*) FROM terms_pending").fetchone()[0] == 0
        assert conn.execute("SELECT term, docs FROM terms ORDER BY term").fetchall() == vocab
