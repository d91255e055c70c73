"""Sync's manifest: every PDF link seen on KL's council pages, and each page's validators.

``kkr-tui sync`` must know what it fetched before so a second run over an unchanged
site downloads nothing: ``sync_links`` has a row per link (url, council, the meeting
block it was published in, title, size, sha256, ETag/Last-Modified, first and last
seen, state) and ``sync_pages`` the ETag/Last-Modified of each council page for a
conditional request. A link that leaves its page is marked ``gone``, never deleted:
its file and document stay.

The tables are created with ``IF NOT EXISTS`` on every writable open, like the notes
tables, so they never need a schema version step; reads of a database opened
read-only before they existed return nothing.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable, Iterable, Sequence

from kkr_tui.record import record
from kkr_tui.records import ManifestRow, PageState
from kkr_tui.store.guard import locked
from kkr_tui.store.tables import has_table, run_ddl, write_all

_TABLES_SQL = [
    """CREATE TABLE IF NOT EXISTS sync_links (
        url TEXT PRIMARY KEY,
        council TEXT NOT NULL,
        block_key TEXT, block_label TEXT, year INTEGER,
        title TEXT NOT NULL, kind TEXT NOT NULL,
        path TEXT, size INTEGER, sha256 TEXT, etag TEXT, last_modified TEXT,
        first_seen TEXT NOT NULL, last_seen TEXT NOT NULL,
        state TEXT NOT NULL, reason TEXT)""",
    "CREATE INDEX IF NOT EXISTS sync_links_council ON sync_links (council, block_key)",
    """CREATE TABLE IF NOT EXISTS sync_pages (
        url TEXT PRIMARY KEY, council TEXT NOT NULL,
        etag TEXT, last_modified TEXT, fetched_at TEXT NOT NULL)""",
]

_COLUMNS = (
    "url, council, block_key, block_label, year, title, kind, path, size, sha256, etag,"
    " last_modified, first_seen, last_seen, state, reason"
)


def ensure_manifest_schema(conn: sqlite3.Connection) -> None:
    """Create the sync tables when missing (idempotent, any schema version)."""
    run_ddl(conn, _TABLES_SQL)


def _has_tables(conn: sqlite3.Connection) -> bool:
    return has_table(conn, "sync_links")


@record
class SeenLink:
    """A link as a page shows it now (what :meth:`ManifestStore.record_links` records)."""

    url: str
    block_key: str | None
    block_label: str | None
    year: int | None
    title: str
    kind: str


class ManifestStore:
    """Store methods for sync's manifest (mixed into Store, which guards them with its lock)."""

    _conn: sqlite3.Connection
    _lock: threading.RLock
    #: The Store's mapping of SQLite failures to store errors (used by :func:`locked`).
    _translate: Callable[[sqlite3.DatabaseError], Exception]
    read_only: bool

    def _write(self, statements: Iterable[tuple[str, Sequence[object]]]) -> None:
        write_all(self._conn, statements)

    @locked
    def manifest(self, council: str | None = None) -> list[ManifestRow]:
        """Every link sync has seen (of one council), in the order first seen."""
        if not _has_tables(self._conn):
            return []
        where, params = ("WHERE council = ?", (council,)) if council else ("", ())
        rows = self._conn.execute(
            f"SELECT {_COLUMNS} FROM sync_links {where} ORDER BY rowid", params
        ).fetchall()
        return [ManifestRow(*row) for row in rows]

    @locked
    def manifest_row(self, url: str) -> ManifestRow | None:
        """The manifest row of one link, if it was ever seen."""
        if not _has_tables(self._conn):
            return None
        row = self._conn.execute(
            f"SELECT {_COLUMNS} FROM sync_links WHERE url = ?", (url,)
        ).fetchone()
        return ManifestRow(*row) if row else None

    @locked
    def page_states(self) -> dict[str, PageState]:
        """The validators of every council page fetched before, by page URL."""
        if not _has_tables(self._conn):
            return {}
        rows = self._conn.execute(
            "SELECT url, council, etag, last_modified, fetched_at FROM sync_pages"
        ).fetchall()
        return {row[0]: PageState(*row) for row in rows}

    @locked
    def record_page(
        self, url: str, council: str, etag: str | None, last_modified: str | None, at: str
    ) -> None:
        """Remember a council page's validators (after its links are recorded)."""
        self._write(
            [
                (
                    "INSERT INTO sync_pages (url, council, etag, last_modified, fetched_at)"
                    " VALUES (?, ?, ?, ?, ?) ON CONFLICT (url) DO UPDATE SET"
                    " council = excluded.council, etag = excluded.etag,"
                    " last_modified = excluded.last_modified, fetched_at = excluded.fetched_at",
                    (url, council, etag, last_modified, at),
                )
            ]
        )

    @locked
    def record_links(self, council: str, links: Sequence[SeenLink], at: str) -> list[str]:
        """Record what a council page links to now, in one transaction: new links are
        added (``new``), known ones get their title, block and last-seen time (a ``gone``
        one that is back gets its state again), and the council's links missing from
        the page are marked ``gone``. Returns the URLs that became gone."""
        statements: list[tuple[str, Sequence[object]]] = []
        for link in links:
            statements.append(
                (
                    "INSERT INTO sync_links (url, council, block_key, block_label, year, title,"
                    " kind, first_seen, last_seen, state) VALUES (?,?,?,?,?,?,?,?,?, 'new')"
                    " ON CONFLICT (url) DO UPDATE SET council = excluded.council,"
                    " block_key = excluded.block_key, block_label = excluded.block_label,"
                    " year = excluded.year, title = excluded.title,"
                    " kind = CASE WHEN sync_links.kind = 'bilag' AND excluded.kind = 'document'"
                    " THEN 'bilag' ELSE excluded.kind END,"
                    " last_seen = excluded.last_seen,"
                    " state = CASE WHEN sync_links.state != 'gone' THEN sync_links.state"
                    " WHEN sync_links.sha256 IS NULL THEN 'new'"
                    " WHEN sync_links.kind = 'document' THEN 'stored'"
                    " ELSE sync_links.kind END",
                    (
                        link.url,
                        council,
                        link.block_key,
                        link.block_label,
                        link.year,
                        link.title,
                        link.kind,
                        at,
                        at,
                    ),
                )
            )
        urls = [link.url for link in links]
        with self._lock:
            present = set(urls)
            gone = [
                url
                for (url,) in self._conn.execute(
                    "SELECT url FROM sync_links WHERE council = ? AND state != 'gone'"
                    " ORDER BY rowid",
                    (council,),
                )
                if url not in present
            ]
            statements.extend(
                ("UPDATE sync_links SET state = 'gone', reason = NULL WHERE url = ?", (url,))
                for url in gone
            )
            self._write(statements)
        return gone

    @locked
    def record_download(
        self,
        url: str,
        *,
        path: str,
        size: int,
        sha256: str,
        etag: str | None,
        last_modified: str | None,
        state: str,
    ) -> None:
        """A link's file is in place: where, how big, its hash and validators."""
        self._write(
            [
                (
                    "UPDATE sync_links SET path = ?, size = ?, sha256 = ?, etag = ?,"
                    " last_modified = ?, state = ?, reason = NULL WHERE url = ?",
                    (path, size, sha256, etag, last_modified, state, url),
                )
            ]
        )

    @locked
    def set_link_state(
        self, url: str, state: str, reason: str | None = None, *, kind: str | None = None
    ) -> None:
        """A link's outcome (``stored``, ``bilag``, ``skipped``, ``failed`` + reason)."""
        self._write(
            [
                (
                    "UPDATE sync_links SET state = ?, reason = ?, kind = coalesce(?, kind)"
                    " WHERE url = ?",
                    (state, reason, kind, url),
                )
            ]
        )
