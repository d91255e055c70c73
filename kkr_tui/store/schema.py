"""The database layout: tables with explicit keys, indexes, the FTS index and its triggers.

Tables are created through sqlite-utils with declared primary and foreign keys so
``datasette kkr.db`` can browse meetings -> documents -> sections -> items -> parts.
The full-text index covers *folded* copies of item titles and texts
(:mod:`kkr_tui.textfold`), kept in step with ``items`` by triggers so it never drifts.
``PRAGMA user_version`` records the schema version.
"""

from __future__ import annotations

import sqlite3

import sqlite_utils

from kkr_tui.store.errors import SchemaError
from kkr_tui.store.writes import count_terms

SCHEMA_VERSION = 2

__all__ = ["SCHEMA_VERSION", "SchemaError", "ensure_schema", "schema_version"]


_TABLES: list[tuple[str, dict, list[tuple[str, str, str]], list[str]]] = [
    (
        "meetings",
        {
            "id": int,
            "key": str,
            "council": str,
            "meeting_date": str,
            "year": int,
            "place": str,
            "meeting_time": str,
        },
        [],
        ["key", "council", "year"],
    ),
    (
        "documents",
        {
            "id": int,
            "meeting_id": int,
            "doc_type": str,
            "path": str,
            "file_name": str,
            "sha256": str,
            "page_count": int,
            "parser_version": str,
            "ingested_at": str,
            "warnings": str,
            "links": str,
        },
        [("meeting_id", "meetings", "id")],
        ["meeting_id", "doc_type", "path", "sha256"],
    ),
    (
        "sections",
        {
            "id": int,
            "document_id": int,
            "position": int,
            "number": int,
            "title": str,
            "page": int,
        },
        [("document_id", "documents", "id")],
        ["document_id", "position"],
    ),
    (
        "items",
        {
            "id": int,
            "document_id": int,
            "section_id": int,
            "position": int,
            "number": str,
            "title": str,
            "case_number": str,
            "initials": str,
            "first_page": int,
            "last_page": int,
            "warnings": str,
            "title_folded": str,
            "body_folded": str,
        },
        [("document_id", "documents", "id"), ("section_id", "sections", "id")],
        ["document_id", "section_id", "position", "number", "title"],
    ),
    (
        "parts",
        {
            "id": int,
            "item_id": int,
            "position": int,
            "kind": str,
            "heading": str,
            "text": str,
            "blocks": str,
        },
        [("item_id", "items", "id")],
        ["item_id", "position"],
    ),
    (
        "attachments",
        {"id": int, "item_id": int, "position": int, "name": str},
        [("item_id", "items", "id")],
        ["item_id", "position"],
    ),
    (
        "links",
        {"id": int, "document_id": int, "item_id": int, "position": int, "url": str},
        [("document_id", "documents", "id"), ("item_id", "items", "id")],
        ["document_id", "position", "url"],
    ),
    (
        "participants",
        {
            "id": int,
            "meeting_id": int,
            "document_id": int,
            "position": int,
            "name": str,
            "detail": str,
            "absent": int,
        },
        [("meeting_id", "meetings", "id"), ("document_id", "documents", "id")],
        ["meeting_id", "document_id", "position", "name"],
    ),
]

_INDEXES: list[tuple[str, list[str], bool]] = [
    ("meetings", ["key"], True),
    ("meetings", ["council", "year", "meeting_date"], False),
    ("documents", ["sha256"], True),
    ("documents", ["meeting_id", "doc_type"], True),
    ("documents", ["path"], False),
    ("sections", ["document_id", "position"], False),
    ("items", ["section_id", "position"], False),
    ("items", ["document_id", "position"], False),
    ("items", ["case_number"], False),
    ("items", ["number"], False),
    ("parts", ["item_id", "position"], False),
    ("attachments", ["item_id", "position"], False),
    ("links", ["item_id", "position"], False),
    ("links", ["document_id", "position"], False),
    ("participants", ["document_id", "position"], False),
    ("participants", ["meeting_id"], False),
]

# External-content FTS5 over the folded columns. The prefix indexes keep as-you-type
# queries of two or three letters cheap on large stores.
_FTS_SQL = [
    """CREATE VIRTUAL TABLE items_fts USING fts5(
        title_folded, body_folded,
        content='items', content_rowid='id',
        tokenize='unicode61 remove_diacritics 2', prefix='2 3')""",
    "CREATE VIRTUAL TABLE items_fts_vocab USING fts5vocab(items_fts, row)",
]

# The indexed terms with their document counts, kept by the store as it writes. Same
# content as items_fts_vocab, but reading it does not scan the whole FTS index (seconds
# at 100k items), so the search can reload its vocabulary after every ingest.
_TERMS_SQL = [
    "CREATE TABLE terms (term TEXT PRIMARY KEY, docs INTEGER NOT NULL) WITHOUT ROWID",
]

_TRIGGERS_SQL = [
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


def schema_version(conn: sqlite3.Connection) -> int:
    """The ``PRAGMA user_version`` of the open database."""
    return conn.execute("PRAGMA user_version").fetchone()[0]


def _migrate_1_to_2(conn: sqlite3.Connection) -> None:
    for statement in _TERMS_SQL:
        conn.execute(statement)
    rows = conn.execute("SELECT title_folded, body_folded FROM items")
    conn.executemany("INSERT INTO terms (term, docs) VALUES (?, ?)", count_terms(rows).items())


def ensure_schema(conn: sqlite3.Connection) -> None:
    """Create the schema in an empty database, or check an existing one.

    Raises :class:`SchemaError` for a database from a newer release or one that holds
    foreign tables, rather than writing into something we do not understand.
    """
    version = schema_version(conn)
    if version == SCHEMA_VERSION:
        return
    if version > SCHEMA_VERSION:
        raise SchemaError(
            f"database schema version {version} is newer than this kkr-tui supports "
            f"({SCHEMA_VERSION}); upgrade kkr-tui"
        )
    if version == 1:
        with sqlite_utils.Database(conn).atomic():
            _migrate_1_to_2(conn)
            conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
        return
    existing = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    if existing - {"sqlite_sequence"}:
        raise SchemaError("not a kkr-tui database (it holds other tables)")
    db = sqlite_utils.Database(conn)
    with db.atomic():
        for name, columns, fks, not_null in _TABLES:
            db[name].create(columns, pk="id", foreign_keys=fks, not_null=not_null)
        for table, columns, unique in _INDEXES:
            db[table].create_index(columns, unique=unique)
        for statement in (*_FTS_SQL, *_TRIGGERS_SQL, *_TERMS_SQL):
            conn.execute(statement)
        conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
