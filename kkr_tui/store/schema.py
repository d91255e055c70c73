"""The database layout: tables with explicit keys, indexes, the FTS index and its triggers.

Tables are created through sqlite-utils with declared primary and foreign keys so
``datasette kkr.db`` can browse meetings -> documents -> sections -> items -> parts.
The full-text index covers *folded* copies of item titles and texts
(:mod:`kkr_tui.textfold`), kept in step with ``items`` by triggers so it never drifts.
A second, title-only index (``titles_fts``) is small enough that prefix queries and
"enough strong title hits" checks stay cheap at a million items; its ``tags`` column
holds the item's council, year and document type as tokens, so search filters are
part of the MATCH instead of a join run after it. ``items`` carries council, year
and doc_type itself (copied from its meeting and document) for the same reason.
``PRAGMA user_version`` records the schema version.
"""

from __future__ import annotations

import json
import os
import sqlite3
from collections import Counter
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING

from kkr_tui.i18n import _
from kkr_tui.store.errors import SchemaError
from kkr_tui.store.writes import count_terms

if TYPE_CHECKING:
    from kkr_tui.store.migration import Progress

SCHEMA_VERSION = 4


def newer_schema(version: int) -> str:
    """The line for a database a newer kkr-tui made (said where it is opened or created)."""
    return _(
        "database schema version {version} is newer than this kkr-tui supports "
        "({supported}); upgrade kkr-tui"
    ).format(version=version, supported=SCHEMA_VERSION)


__all__ = [
    "SCHEMA_VERSION",
    "SEARCH_INDEX",
    "SchemaError",
    "ensure_schema",
    "ensure_side_tables",
    "filter_match",
    "schema_needs_work",
    "schema_version",
]

#: A compact covering index for the search ranker: an FTS candidate's folded title,
#: ~40 items a page. Without it every candidate reads its own wide ``items`` row (the
#: folded body is stored inline), one random page each: 500 candidates cost 2-7 ms
#: more, most of it on the first query. Added to existing databases on their next
#: writable open (no version change).
SEARCH_INDEX = "items_search"
_SEARCH_INDEX_SQL = f"CREATE INDEX IF NOT EXISTS {SEARCH_INDEX} ON items (id, title_folded)"


_TABLES: list[tuple[str, dict[str, type], list[tuple[str, str, str]], list[str]]] = [
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
            "council": str,
            "year": int,
            "doc_type": str,
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
            "layout": str,
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


def _new_store_id() -> str:
    """A random database id: 32 hex digits, as ``uuid4().hex`` gave (``uuid`` imports
    ``platform`` and more, and every open builds a schema in memory that takes one)."""
    return os.urandom(16).hex()


_SQL_TYPES = {int: "INTEGER", str: "TEXT", float: "FLOAT", bytes: "BLOB"}


def _table_sql(
    name: str,
    columns: dict[str, type],
    foreign_keys: list[tuple[str, str, str]],
    not_null: list[str],
) -> str:
    """``CREATE TABLE`` for one of :data:`_TABLES`, written exactly as sqlite-utils 4
    wrote it (``tests/test_schema_sql.py`` compares them), so databases created before
    and after are alike. Plain SQL because every open builds the expected schema in
    memory (:mod:`.safety`): importing sqlite-utils for it (with click, dateutil and
    pluggy, ~85 ms) made every read-only command pay for creating a database."""
    references = {column: (table, key) for column, table, key in foreign_keys}
    lines = []
    for column, kind in columns.items():
        line = f'   "{column}" {_SQL_TYPES[kind]}'
        if column == "id":
            line += " PRIMARY KEY"
        if column in not_null:
            line += " NOT NULL"
        if column in references:
            table, key = references[column]
            line += f' REFERENCES "{table}"("{key}")'
        lines.append(line)
    return f'CREATE TABLE "{name}" (\n' + ",\n".join(lines) + "\n)"


def _index_sql(table: str, columns: list[str], unique: bool) -> str:
    """``CREATE INDEX`` for one of :data:`_INDEXES`, named and written as sqlite-utils 4
    did (``idx_<table>_<columns>``)."""
    name = f"idx_{table}_" + "_".join(columns)
    listed = ", ".join(f'"{c}"' for c in columns)
    return f'CREATE {"UNIQUE " if unique else ""}INDEX "{name}"\n    ON "{table}" ({listed})'


@contextmanager
def savepoint(conn: sqlite3.Connection, name: str) -> Iterator[None]:
    """A savepoint ``name`` inside the open transaction: undone alone when the block fails,
    the transaction around it left for its owner. A failure that already rolled the whole
    transaction back (a full disk) leaves nothing to undo, so nothing is asked of SQLite."""
    conn.execute(f"SAVEPOINT {name}")
    try:
        yield
    except BaseException:
        if conn.in_transaction:
            conn.execute(f"ROLLBACK TO SAVEPOINT {name}")
            conn.execute(f"RELEASE SAVEPOINT {name}")
        raise
    conn.execute(f"RELEASE SAVEPOINT {name}")


@contextmanager
def _atomic(conn: sqlite3.Connection) -> Iterator[None]:
    """One transaction (a savepoint inside one already open): all of it or none."""
    if conn.in_transaction:
        with savepoint(conn, "kkr_schema"):
            yield
        return
    conn.execute("BEGIN")
    try:
        yield
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")


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

# Contentless FTS5 over each item's folded title and folded text (parts, then
# attachment names): the index holds only rowids and positions, never a copy of the
# text. The folded text is made from ``parts.text`` when an item is stored or
# removed (writes.fold_item), so the text itself is stored once (in ``parts``); an
# external-content index needed the folded copy kept in ``items`` (a quarter of the
# database). No prefix indexes: search puts a word's completions from its vocabulary
# into the query instead of ``word*`` (see kkr_tui.search), and the prefix indexes
# made storing a document ~30 % dearer (~50 of ~170 ms for 106 items).
_FTS_SQL = [
    """CREATE VIRTUAL TABLE items_fts USING fts5(
        title_folded, body_folded, content='',
        tokenize='unicode61 remove_diacritics 2')""",
    "CREATE VIRTUAL TABLE items_fts_vocab USING fts5vocab(items_fts, row)",
]

# The indexed terms with their document counts, kept by the store as it writes (with
# ``terms_pending`` below, which holds the counts not yet folded in). Same content as
# items_fts_vocab, but reading it does not scan the whole FTS index (seconds at 100k
# items), so the search can reload its vocabulary after every ingest.
_TERMS_SQL = [
    "CREATE TABLE terms (term TEXT PRIMARY KEY, docs INTEGER NOT NULL) WITHOUT ROWID",
]

# Term counts of stored (or, negated, removed) documents not yet folded into ``terms``:
# a JSON object per document, settled many at a time (see writes.queue_terms). Added
# to existing databases on their next writable open (no version change); readers add
# what is pending to what ``terms`` holds.
_TERMS_PENDING_SQL = (
    "CREATE TABLE IF NOT EXISTS terms_pending (id INTEGER PRIMARY KEY, delta TEXT NOT NULL)"
)

# This database's random id and a counter that every stored, replaced or removed
# document moves on (in its own transaction): together they name exactly what the
# documents are, for caches outside the database (the search vocabulary snapshot).
# ``file_id`` is the file the id was given to: a copy opened for writing gets an id
# of its own (see claim_store_id), so two copies that then differ never share a name.
# Added to existing databases on their next writable open (no version change).
_CONTENT_VERSION_SQL = (
    "CREATE TABLE IF NOT EXISTS content_version (id INTEGER PRIMARY KEY CHECK (id = 1),"
    " store_id TEXT NOT NULL, version INTEGER NOT NULL, file_id TEXT)"
)

# Files whose document another file replaced: (content hash, path) and the document
# that replaced it. A folder holding two versions of one meeting document (a revised
# agenda beside the first one) would otherwise flip between them at every run, each
# time re-read and reported "updated"; with this a re-run knows the older file and
# calls it unchanged. Added to existing databases on their next writable open.
_SUPERSEDED_SQL = (
    "CREATE TABLE IF NOT EXISTS superseded_files (sha256 TEXT NOT NULL, path TEXT NOT NULL,"
    " document_id INTEGER NOT NULL, PRIMARY KEY (path, sha256)) WITHOUT ROWID"
)

# Filter tokens of an item for the ``tags`` column of ``titles_fts``: ``c`` + the hex
# of the council name (any name becomes one token), ``y`` + year, ``t`` + doc type.
# Plain SQL, so any connection's writes keep the index right; search.filter_tokens
# builds the same tokens on the query side.
_TAGS = "'c' || hex({r}.council) || ' y' || {r}.year || ' t' || {r}.doc_type"


def filter_match(councils: Sequence[str] | None, year: int | None, doc_type: str | None) -> str:
    """An FTS5 expression on ``titles_fts.tags`` for these filters ("" when there are none)."""
    parts = []
    if councils is not None:
        tokens = " OR ".join("c" + name.encode().hex() for name in councils) or "cnone"
        parts.append(f"({tokens})")
    if year is not None:
        parts.append(f"y{int(year)}")
    if doc_type is not None:
        parts.append("t" + "".join(ch for ch in doc_type if ch.isalnum()))
    return "{tags} : (" + " AND ".join(parts) + ")" if parts else ""


# Contentless: the index only has to yield rowids, the titles live in ``items``.
_TITLES_FTS_SQL = [
    """CREATE VIRTUAL TABLE titles_fts USING fts5(
        title_folded, tags, content='',
        tokenize='unicode61 remove_diacritics 2', prefix='1 2 3')""",
]

# The title index follows ``items`` by trigger (any connection's writes keep it right);
# the full index is written by store.writes (insert_document, delete_document), which
# folds the item's text from its parts: the text is not in ``items`` for a trigger to read.
_TRIGGERS_SQL = [
    f"""CREATE TRIGGER items_ai AFTER INSERT ON items BEGIN
        INSERT INTO titles_fts(rowid, title_folded, tags)
        VALUES (new.id, new.title_folded, {_TAGS.format(r="new")});
    END""",
    f"""CREATE TRIGGER items_ad AFTER DELETE ON items BEGIN
        INSERT INTO titles_fts(titles_fts, rowid, title_folded, tags)
        VALUES ('delete', old.id, old.title_folded, {_TAGS.format(r="old")});
    END""",
    f"""CREATE TRIGGER items_au AFTER UPDATE OF title_folded, council, year, doc_type
        ON items BEGIN
        INSERT INTO titles_fts(titles_fts, rowid, title_folded, tags)
        VALUES ('delete', old.id, old.title_folded, {_TAGS.format(r="old")});
        INSERT INTO titles_fts(rowid, title_folded, tags)
        VALUES (new.id, new.title_folded, {_TAGS.format(r="new")});
    END""",
]


def _ensure_additions(conn: sqlite3.Connection) -> None:
    """Add what later releases added within this schema version, if it is missing."""
    present = {
        name
        for (name,) in conn.execute(
            "SELECT name FROM sqlite_master WHERE name IN"
            " (?, 'terms_pending', 'content_version', 'superseded_files')",
            (SEARCH_INDEX,),
        )
    }
    if "superseded_files" not in present:
        conn.execute(_SUPERSEDED_SQL)
    if SEARCH_INDEX not in present:
        conn.execute(_SEARCH_INDEX_SQL)
    if "terms_pending" not in present:
        conn.execute(_TERMS_PENDING_SQL)
    if "content_version" not in present:
        _create_content_version(conn)


def _create_content_version(conn: sqlite3.Connection) -> None:
    conn.execute(_CONTENT_VERSION_SQL)
    conn.execute(
        "INSERT INTO content_version (id, store_id, version) VALUES (1, ?, 0)", (_new_store_id(),)
    )


def claim_store_id(conn: sqlite3.Connection, file_id: str) -> None:
    """Give the database a new random id if it was given its id as another file (it
    is a copy, or was replaced by one): copies must not share caches once they differ.
    Called on every writable open; writes only when the file changed."""
    row = conn.execute("SELECT file_id FROM content_version").fetchone()
    if row is not None and row[0] != file_id:
        conn.execute(
            "UPDATE content_version SET store_id = ?, file_id = ?", (_new_store_id(), file_id)
        )


def schema_version(conn: sqlite3.Connection) -> int:
    """The ``PRAGMA user_version`` of the open database."""
    version: int = conn.execute("PRAGMA user_version").fetchone()[0]
    return version


# The user's own data beside the documents (see kkr_tui.store.notes): notes and reading
# state, anchored by council, meeting date, item number, case number and title (matched
# to items by identity, never by item id or number alone).
_NOTES_SQL = [
    """CREATE TABLE IF NOT EXISTS notes (
        id INTEGER PRIMARY KEY,
        council TEXT NOT NULL, meeting_date TEXT NOT NULL, number TEXT NOT NULL,
        case_number TEXT, title TEXT NOT NULL, text TEXT NOT NULL, folded TEXT NOT NULL,
        created_at TEXT NOT NULL, updated_at TEXT NOT NULL)""",
    "CREATE INDEX IF NOT EXISTS notes_meeting ON notes (council, meeting_date)",
    """CREATE TABLE IF NOT EXISTS item_reads (
        id INTEGER PRIMARY KEY,
        council TEXT NOT NULL, meeting_date TEXT NOT NULL, number TEXT NOT NULL,
        case_number TEXT, title TEXT NOT NULL,
        content_hash TEXT NOT NULL, read_at TEXT NOT NULL)""",
    "CREATE INDEX IF NOT EXISTS item_reads_meeting ON item_reads (council, meeting_date)",
    """CREATE TABLE IF NOT EXISTS seen_documents (
        council TEXT NOT NULL, meeting_date TEXT NOT NULL, doc_type TEXT NOT NULL,
        sha256 TEXT NOT NULL, seen_at TEXT NOT NULL,
        PRIMARY KEY (council, meeting_date, doc_type)) WITHOUT ROWID""",
    """CREATE TABLE IF NOT EXISTS seen_items (
        id INTEGER PRIMARY KEY,
        council TEXT NOT NULL, meeting_date TEXT NOT NULL, number TEXT NOT NULL,
        case_number TEXT, title TEXT NOT NULL,
        content_hash TEXT NOT NULL)""",
    "CREATE INDEX IF NOT EXISTS seen_items_meeting ON seen_items (council, meeting_date)",
    """CREATE TABLE IF NOT EXISTS item_changes (
        id INTEGER PRIMARY KEY,
        council TEXT NOT NULL, meeting_date TEXT NOT NULL, number TEXT NOT NULL,
        case_number TEXT, title TEXT NOT NULL,
        kind TEXT NOT NULL, detected_at TEXT NOT NULL)""",
    "CREATE INDEX IF NOT EXISTS item_changes_meeting ON item_changes (council, meeting_date)",
]


# What the user last saw of an item that changed since (see kkr_tui.store.versions):
# anchored as the marks are; ``old_title`` and ``parts`` (JSON: kind, heading, text or a
# digest) are the earlier version. Added to existing databases on their next writable
# open; a change mark without a row says the earlier version was not kept.
_VERSIONS_SQL = [
    """CREATE TABLE IF NOT EXISTS item_versions (
        id INTEGER PRIMARY KEY,
        council TEXT NOT NULL, meeting_date TEXT NOT NULL, number TEXT NOT NULL,
        case_number TEXT, title TEXT NOT NULL,
        content_hash TEXT NOT NULL, doc_type TEXT NOT NULL, old_title TEXT NOT NULL,
        parts TEXT NOT NULL, cut INTEGER NOT NULL, kept_at TEXT NOT NULL)""",
    "CREATE INDEX IF NOT EXISTS item_versions_meeting ON item_versions (council, meeting_date)",
]


#: Reading-state tables that releases before marks followed identity keyed by
#: (council, date, number) alone, and the columns each keeps besides that key.
_MARK_TABLES = {
    "item_reads": "content_hash, read_at",
    "seen_items": "content_hash",
    "item_changes": "kind, detected_at",
}

#: The title and case number of the item a number-keyed mark stood for when it was
#: written: the meeting's primary document (minutes before agenda), as marks were read.
_ITEM_AT_NUMBER = (
    "(SELECT i.{column} FROM items i JOIN documents d ON d.id = i.document_id"
    " JOIN meetings m ON m.id = d.meeting_id WHERE m.council = o.council"
    " AND coalesce(m.meeting_date, '') = o.meeting_date AND i.number = o.number"
    " ORDER BY CASE d.doc_type WHEN 'minutes' THEN 0 ELSE 1 END, i.position LIMIT 1)"
)


def number_keyed_marks(conn: sqlite3.Connection) -> list[str]:
    """The reading-state tables still in the number-keyed shape (they lack ``title``)."""
    old: list[str] = []
    for table in _MARK_TABLES:
        columns = {row[1] for row in conn.execute(f"PRAGMA table_info({table})")}
        if columns and "title" not in columns:
            old.append(table)
    return old


def _migrate_number_keyed_marks(conn: sqlite3.Connection, tables: list[str]) -> None:
    """Give every number-keyed mark the title and case number of the item it was read
    on (the item at that number today, as the mark was found until now), so it follows
    that item from here on; a mark whose number no item carries keeps its number alone
    (matched by number, as before). No row is dropped."""
    for table in tables:
        conn.execute(f"ALTER TABLE {table} RENAME TO {table}_number_keyed")
    for statement in _NOTES_SQL:
        conn.execute(statement)
    has_items = (
        conn.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'items'"
        ).fetchone()
        is not None
    )
    case = _ITEM_AT_NUMBER.format(column="case_number") if has_items else "NULL"
    title = f"coalesce({_ITEM_AT_NUMBER.format(column='title')}, '')" if has_items else "''"
    for table in tables:
        rest = _MARK_TABLES[table]
        conn.execute(
            f"INSERT INTO {table} (council, meeting_date, number, case_number, title, {rest})"
            f" SELECT o.council, o.meeting_date, o.number, {case}, {title}, {rest}"
            f" FROM {table}_number_keyed o ORDER BY o.council, o.meeting_date, o.number"
        )
        conn.execute(f"DROP TABLE {table}_number_keyed")


def ensure_notes_schema(conn: sqlite3.Connection) -> None:
    """Create the notes and reading-state tables when missing (idempotent, any schema version).

    Databases made before notes followed identity have a unique index on (council,
    date, number), which would forbid two notes to share a number after renumbering;
    it is dropped (the notes themselves are untouched). Reading marks of databases
    made before marks followed identity are keyed by number alone; they are moved
    into the anchored tables (:func:`_migrate_number_keyed_marks`), none lost."""
    old = conn.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'index' AND name = 'notes_anchor'"
    ).fetchone()
    if old is not None:
        conn.execute("DROP INDEX notes_anchor")
    tables = number_keyed_marks(conn)
    if tables:
        _migrate_number_keyed_marks(conn, tables)
    for statement in (*_NOTES_SQL, *_VERSIONS_SQL):
        conn.execute(statement)


# Work on the file that is owed and done on a later writable open (see
# kkr_tui.store.migration): ``compact`` = the VACUUM an upgrade had no room for. Kept in
# the database itself, so a copy or a move of the file carries it, and written in the
# same transaction as the upgrade, so no crash can lose it. Added to existing
# databases on their next writable open.
_OWED_UPKEEP_SQL = (
    "CREATE TABLE IF NOT EXISTS owed_upkeep (task TEXT PRIMARY KEY, since TEXT NOT NULL)"
    " WITHOUT ROWID"
)


#: Side objects whose absence alone is no reason to take the write lock on open: an
#: archive without ``owed_upkeep`` owes nothing, and it is made by the next open that
#: has schema work anyway (an upgrade, which is what owes a compaction). So the first
#: open of an up-to-date archive after this release does not wait for a lock another
#: program (a ``kkr-tui sync``) holds, just to add an empty table.
_MADE_WHEN_NEEDED = {("table", "owed_upkeep")}


def ensure_side_tables(conn: sqlite3.Connection) -> None:
    """The tables kept beside the documents, created ``IF NOT EXISTS`` on every writable
    open (no version step): notes and reading state, sync's manifest, bilag, the upkeep
    owed. A new side table is created here, so the check for foreign objects knows it too."""
    from kkr_tui.store.bilag import ensure_bilag_schema
    from kkr_tui.store.manifest import ensure_manifest_schema

    ensure_notes_schema(conn)
    ensure_manifest_schema(conn)
    ensure_bilag_schema(conn)
    conn.execute(_OWED_UPKEEP_SQL)


def schema_needs_work(conn: sqlite3.Connection, file_id: str) -> bool:
    """Whether a writable open has anything to create, migrate or claim; when not, the
    open writes nothing (and takes no write lock)."""
    from kkr_tui.store.safety import expected_objects

    if schema_version(conn) != SCHEMA_VERSION:
        return True
    present = {(kind, name) for kind, name in conn.execute("SELECT type, name FROM sqlite_master")}
    wanted = {
        key
        for key in expected_objects()
        if not key[1].startswith("sqlite_") and key not in _MADE_WHEN_NEEDED
    }
    if not wanted <= present or ("index", "notes_anchor") in present:
        return True
    if number_keyed_marks(conn):
        return True
    row = conn.execute("SELECT file_id FROM content_version").fetchone()
    return row is None or row[0] != file_id


def _migrate_1_to_2(conn: sqlite3.Connection) -> None:
    for statement in _TERMS_SQL:
        conn.execute(statement)
    rows = conn.execute("SELECT title_folded, body_folded FROM items")
    conn.executemany("INSERT INTO terms (term, docs) VALUES (?, ?)", count_terms(rows).items())


def _migrate_2_to_3(conn: sqlite3.Connection) -> None:
    for trigger in ("items_ai", "items_ad", "items_au"):
        conn.execute(f"DROP TRIGGER IF EXISTS {trigger}")
    conn.execute("ALTER TABLE items ADD COLUMN council TEXT")
    conn.execute("ALTER TABLE items ADD COLUMN year INTEGER")
    conn.execute("ALTER TABLE items ADD COLUMN doc_type TEXT")
    conn.execute(
        "UPDATE items SET (council, year, doc_type) = (SELECT m.council, m.year, d.doc_type"
        " FROM documents d JOIN meetings m ON m.id = d.meeting_id WHERE d.id = items.document_id)"
    )
    for statement in _TITLES_FTS_SQL:
        conn.execute(statement)
    conn.execute(
        "INSERT INTO titles_fts(rowid, title_folded, tags)"
        f" SELECT id, title_folded, {_TAGS.format(r='items')} FROM items"
    )
    for statement in _TRIGGERS_SQL:
        conn.execute(statement)


def _migrate_3_to_4(conn: sqlite3.Connection, progress: Progress) -> None:
    """Store the text once: ``parts.blocks`` (JSON holding every block's text again)
    becomes ``parts.layout`` (:mod:`.layout`), ``items.body_folded`` goes, and the full
    index becomes contentless, filled from the parts.

    Every part's blocks are cut back out of its text by the new layout and compared with
    the old JSON before anything is committed: a part that does not come back exactly
    stops the migration (nothing is changed) rather than lose what the reader shows.
    The index and the term counts are made from the parts with today's folding, so they
    agree with what later removals fold (see writes.folded_items). Runs inside the
    caller's transaction; notes and reading state are not touched. Tells ``progress``
    each slice it has done, and stops (raises) when the opener asked it to.
    """
    from kkr_tui.model import Block, Part
    from kkr_tui.store import layout
    from kkr_tui.store.writes import folded_items

    progress.step("prepare", 0)
    for trigger in ("items_ai", "items_ad", "items_au"):
        conn.execute(f"DROP TRIGGER IF EXISTS {trigger}")
    conn.execute("DROP TABLE IF EXISTS items_fts_vocab")
    conn.execute("DROP TABLE IF EXISTS items_fts")
    conn.execute("ALTER TABLE parts ADD COLUMN layout TEXT")
    last, done = 0, 0
    total = int(conn.execute("SELECT count(*) FROM parts").fetchone()[0])
    progress.step("convert", 0, total)
    while True:  # in slices: a million items' parts do not fit in memory at once
        rows = conn.execute(
            "SELECT id, blocks FROM parts WHERE id > ? ORDER BY id LIMIT 5000", (last,)
        ).fetchall()
        if not rows:
            break
        updates: list[tuple[str | None, str, int]] = []
        for part_id, raw in rows:
            blocks = tuple(Block(kind, t, mark) for kind, t, mark in json.loads(raw or "[]"))
            # The blocks are what the reader showed; a text that disagrees with them (never
            # written by kkr-tui) is made from them, so the blocks come back as they were.
            whole = Part("", "", blocks).text
            shape = layout.encode(blocks)
            if layout.decode(whole, shape) != blocks:
                raise SchemaError(
                    _("part {id} cannot be stored in the new layout").format(id=part_id)
                )
            updates.append((shape, whole, part_id))
        conn.executemany("UPDATE parts SET layout = ?, text = ? WHERE id = ?", updates)
        last, done = rows[-1][0], done + len(rows)
        progress.step("convert", done, total)
    items = int(conn.execute("SELECT count(*) FROM items").fetchone()[0])
    progress.expect("drop", total + items)  # SQLite rewrites every row of both tables
    conn.execute("ALTER TABLE parts DROP COLUMN blocks")
    conn.execute("ALTER TABLE items DROP COLUMN body_folded")
    for statement in _FTS_SQL:
        conn.execute(statement)
    conn.execute("DELETE FROM terms")
    conn.execute("DELETE FROM terms_pending")
    last = int(conn.execute("SELECT coalesce(max(id), 0) FROM items").fetchone()[0])
    counts: Counter[str] = Counter()
    for start in range(0, last + 1, 2000):
        progress.step("index", start, last + 1)
        rows = folded_items(conn, "id BETWEEN ? AND ?", (start, start + 1999))
        conn.executemany(
            "INSERT INTO items_fts(rowid, title_folded, body_folded) VALUES (?, ?, ?)", rows
        )
        counts.update(count_terms((title, body) for _, title, body in rows))
    conn.executemany("INSERT INTO terms (term, docs) VALUES (?, ?)", sorted(counts.items()))
    # One segment, as a store tidied after ingest has: filled in one go, the index is
    # left in dozens of segments that every query reads (at 100k items the search's
    # common-word and filter queries took 2-3x as long until it was merged).
    progress.expect("merge", items)
    conn.execute("INSERT INTO items_fts(items_fts) VALUES ('optimize')")
    progress.step("merge", 1)
    for statement in _TRIGGERS_SQL:
        conn.execute(statement)


def ensure_schema(conn: sqlite3.Connection, progress: Progress | None = None) -> None:
    """Create the schema in an empty database, or check an existing one.

    Raises :class:`SchemaError` for a database from a newer release or one that holds
    foreign tables, rather than writing into something we do not understand. A
    migration tells ``progress`` how far it has come (and stops when it says so).
    """
    version = schema_version(conn)
    if version == SCHEMA_VERSION:
        _ensure_additions(conn)
        return
    if version > SCHEMA_VERSION:
        raise SchemaError(newer_schema(version))
    if version in (1, 2, 3):
        if progress is None:
            from kkr_tui.store.migration import Progress

            progress = Progress(None, None, version, SCHEMA_VERSION)
        with _atomic(conn):
            if version == 1:
                _migrate_1_to_2(conn)
            if version <= 2:
                _migrate_2_to_3(conn)
            _ensure_additions(conn)
            _migrate_3_to_4(conn, progress)
            conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
        return
    existing = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    if existing - {"sqlite_sequence"}:
        raise SchemaError(_("not a kkr-tui database (it holds other tables)"))
    with _atomic(conn):
        for name, columns, fks, not_null in _TABLES:
            conn.execute(_table_sql(name, columns, fks, not_null))
        for table, indexed, unique in _INDEXES:
            conn.execute(_index_sql(table, indexed, unique))
        for statement in (
            *_FTS_SQL,
            *_TITLES_FTS_SQL,
            *_TRIGGERS_SQL,
            *_TERMS_SQL,
            _TERMS_PENDING_SQL,
            _SEARCH_INDEX_SQL,
            _SUPERSEDED_SQL,
        ):
            conn.execute(statement)
        _create_content_version(conn)
        conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
