"""Bilag: attachment PDFs kept with their meeting, their text page by page, searchable.

A meeting's bilag often run to hundreds of pages, so they live apart from the items:
``bilag`` holds one row per file (anchored by council, meeting date and item number
like notes, so they survive a re-ingest), ``bilag_pages`` one row per page with its
text and the folded copy (:mod:`kkr_tui.textfold`) that ``bilag_fts`` indexes, and
``bilag_terms`` their words with page counts (:mod:`.bilag_terms`), kept in step in
the same transactions. The item search's indexes, vocabulary and term counts are
untouched: searching items costs what it did, and bilag are asked only when a caller
wants bilag hits.

Pages are written in short batches (each its own transaction) while a large bilag is
read, so a writer elsewhere never waits long and memory stays bounded; a bilag whose
reading was interrupted is ``reading`` and is read again from the start next time.
Tables are created ``IF NOT EXISTS`` on every writable open (no schema version step).
"""

from __future__ import annotations

import sqlite3
import threading
from collections import Counter
from collections.abc import Callable, Sequence

from kkr_tui.i18n import _
from kkr_tui.records import BilagPageHit, BilagRow, ItemRow
from kkr_tui.store import bilag_terms
from kkr_tui.store.guard import locked
from kkr_tui.store.tables import has_table, run_ddl, write_all
from kkr_tui.textfold import fold

_TABLES_SQL = [
    """CREATE TABLE IF NOT EXISTS bilag (
        id INTEGER PRIMARY KEY, url TEXT NOT NULL UNIQUE,
        council TEXT NOT NULL, meeting_date TEXT, item_number TEXT,
        title TEXT NOT NULL, path TEXT NOT NULL, sha256 TEXT NOT NULL,
        page_count INTEGER NOT NULL, pages_read INTEGER NOT NULL DEFAULT 0,
        state TEXT NOT NULL, reason TEXT, stored_at TEXT NOT NULL)""",
    "CREATE INDEX IF NOT EXISTS bilag_meeting ON bilag (council, meeting_date, item_number)",
    """CREATE TABLE IF NOT EXISTS bilag_pages (
        id INTEGER PRIMARY KEY, bilag_id INTEGER NOT NULL REFERENCES bilag (id),
        page INTEGER NOT NULL, text TEXT NOT NULL, folded TEXT NOT NULL)""",
    "CREATE UNIQUE INDEX IF NOT EXISTS bilag_pages_page ON bilag_pages (bilag_id, page)",
    # The bilag of a matching page without reading the page's row: a row holds two
    # copies of ~2.5 kB of text, so a look-up by id reads a leaf page of its own
    # (~2 µs; 30 ms for the 10,000 pages a common word is on), this ~0.5 µs.
    "CREATE INDEX IF NOT EXISTS bilag_pages_owner ON bilag_pages (id, bilag_id)",
    """CREATE VIRTUAL TABLE IF NOT EXISTS bilag_fts USING fts5(
        folded, content='bilag_pages', content_rowid='id',
        tokenize='unicode61 remove_diacritics 2')""",
    """CREATE TRIGGER IF NOT EXISTS bilag_pages_ai AFTER INSERT ON bilag_pages BEGIN
        INSERT INTO bilag_fts(rowid, folded) VALUES (new.id, new.folded);
    END""",
    """CREATE TRIGGER IF NOT EXISTS bilag_pages_ad AFTER DELETE ON bilag_pages BEGIN
        INSERT INTO bilag_fts(bilag_fts, rowid, folded) VALUES ('delete', old.id, old.folded);
    END""",
]

#: Matching pages ranked in full: up to this many, every bilag's best page by bm25
#: (exact); past it, the densest bilag's pages (see ``search_bilag``). bm25 costs
#: ~1 µs a page, so this bounds the ranking at a few ms.
RANK_ALL = 2000
#: Matching pages counted per bilag at most (the newest stored): counting costs
#: ~0.75 µs a page with the grouping, so a word on every page of an archive of any size
#: costs ~11 ms (bench/README.md: at 100,000 pages a cap of 30,000 let "kommunernes"
#: cost 39 ms in the bilag alone, 28 with this one).
SCAN_MAX = 15_000

_COLUMNS = (
    "b.id, b.url, b.council, b.meeting_date, b.item_number, b.title, b.path, b.page_count,"
    " b.pages_read, b.state, b.reason"
)


def ensure_bilag_schema(conn: sqlite3.Connection) -> None:
    """Create the bilag tables, index and triggers when missing (idempotent), and the
    bilag vocabulary, filled from the pages an older release stored."""
    run_ddl(conn, _TABLES_SQL)
    bilag_terms.ensure_terms(conn)


def _has_tables(conn: sqlite3.Connection) -> bool:
    return has_table(conn, "bilag_fts")


class BilagStore:
    """Store methods for bilag (mixed into Store, which guards them with its lock)."""

    _conn: sqlite3.Connection
    _lock: threading.RLock
    #: The Store's mapping of SQLite failures to store errors (used by :func:`locked`).
    _translate: Callable[[sqlite3.DatabaseError], Exception]

    #: Page writes (stored, replaced, removed) through this connection, for
    #: :meth:`bilag_change_token`.
    _bilag_page_writes: int = 0

    def _bilag_write(self, statements: Sequence[tuple[str, Sequence[object]]]) -> None:
        write_all(self._conn, statements)

    # -- writing ---------------------------------------------------------------------

    @locked
    def begin_bilag(
        self,
        *,
        url: str,
        council: str,
        meeting_date: str | None,
        item_number: str | None,
        title: str,
        path: str,
        sha256: str,
        page_count: int,
        at: str,
    ) -> int:
        """Start (or restart) a bilag: its row, no pages yet, state ``reading``. Pages an
        earlier, interrupted read left are removed in the same transaction."""
        conn = self._conn
        conn.execute("BEGIN IMMEDIATE")
        try:
            old = conn.execute("SELECT id FROM bilag WHERE url = ?", (url,)).fetchone()
            if old is not None:
                self._forget_pages_terms(old[0], None)
                conn.execute("DELETE FROM bilag_pages WHERE bilag_id = ?", (old[0],))
                conn.execute("DELETE FROM bilag WHERE id = ?", (old[0],))
            cursor = conn.execute(
                "INSERT INTO bilag (url, council, meeting_date, item_number, title, path,"
                " sha256, page_count, state, stored_at) VALUES (?,?,?,?,?,?,?,?, 'reading', ?)",
                (url, council, meeting_date, item_number, title, path, sha256, page_count, at),
            )
            bilag_id = int(cursor.lastrowid or 0)
        except BaseException:
            if conn.in_transaction:  # a full disk may have rolled it back already
                conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")
        return bilag_id

    def _forget_pages_terms(self, bilag_id: int, numbers: Sequence[int] | None) -> None:
        """Take the terms of a bilag's stored pages (``numbers``, or all) out of the bilag
        vocabulary before they are deleted or replaced; inside the caller's transaction."""
        conn = self._conn
        self._bilag_page_writes += 1
        if numbers is not None and not numbers:
            return
        sql = "SELECT folded FROM bilag_pages WHERE bilag_id = ?"
        params: list[object] = [bilag_id]
        if numbers is not None:
            sql += f" AND page IN ({','.join('?' * len(numbers))})"
            params.extend(numbers)
        removed = bilag_terms.page_terms(str(f) for (f,) in conn.execute(sql, params))
        if removed:
            bilag_terms.apply(conn, Counter(), removed)

    @locked
    def add_bilag_pages(self, bilag_id: int, pages: Sequence[tuple[int, str]]) -> None:
        """Store a batch of (page number, text) of a bilag being read (one transaction),
        its terms counted into the bilag vocabulary in the same transaction."""
        folded = [(number, text, fold(text)) for number, text in pages]
        conn = self._conn
        conn.execute("BEGIN IMMEDIATE")
        try:
            # A page stored again replaces the stored one: its terms leave the vocabulary
            # and it is deleted first, so the delete trigger takes its words out of
            # bilag_fts too (INSERT OR REPLACE fires no delete trigger without
            # recursive_triggers, and left them there, found under no page).
            numbers = [number for number, _, _ in folded]
            self._forget_pages_terms(bilag_id, numbers)
            conn.executemany(
                "DELETE FROM bilag_pages WHERE bilag_id = ? AND page = ?",
                [(bilag_id, number) for number in numbers],
            )
            conn.executemany(
                "INSERT INTO bilag_pages (bilag_id, page, text, folded) VALUES (?, ?, ?, ?)",
                [(bilag_id, number, text, f) for number, text, f in folded],
            )
            bilag_terms.apply(conn, bilag_terms.page_terms(f for _, _, f in folded), Counter())
            if pages:
                conn.execute(
                    "UPDATE bilag SET pages_read = ? WHERE id = ?",
                    (max(n for n, _ in pages), bilag_id),
                )
        except BaseException:
            if conn.in_transaction:  # a full disk may have rolled it back already
                conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")

    @locked
    def finish_bilag(self, bilag_id: int, state: str, reason: str | None = None) -> None:
        """A bilag is read (``ready``) or could not be (``unreadable`` + reason)."""
        self._bilag_write(
            [("UPDATE bilag SET state = ?, reason = ? WHERE id = ?", (state, reason, bilag_id))]
        )

    @locked
    def set_bilag_item(self, bilag_id: int, item_number: str | None) -> None:
        """Tie a bilag to an item of its meeting (by number), or untie it."""
        self._bilag_write(
            [("UPDATE bilag SET item_number = ? WHERE id = ?", (item_number, bilag_id))]
        )

    # -- reading ---------------------------------------------------------------------

    @locked
    def bilag_change_token(self) -> tuple[int, int]:
        """Changes when this connection stores or removes bilag pages, or another
        connection commits anything: what the search's near spellings of bilag words
        are kept by (storing a document leaves it alone, as a bilag leaves the items'
        token alone)."""
        data_version = self._conn.execute("PRAGMA data_version").fetchone()[0]
        return (self._bilag_page_writes, int(data_version))

    @locked
    def bilag_vocabulary(self) -> list[tuple[str, int]] | None:
        """Every folded term of the bilag pages with the number of pages it is on, sorted
        by term; None when the store keeps no bilag vocabulary (an older store opened
        read-only)."""
        if not _has_tables(self._conn):
            return None
        return bilag_terms.vocabulary(self._conn)

    @locked
    def bilag_pages_at_most(self, groups: Sequence[Sequence[tuple[str, bool]]]) -> int | None:
        """At most how many bilag pages have a term of every group of (term, as a
        prefix) alternatives, from the bilag vocabulary's page counts (a bound: a page
        with two of a group's terms counts twice); None when it cannot be told (an
        older store opened read-only)."""
        if not _has_tables(self._conn):
            return None
        return bilag_terms.pages_at_most(self._conn, groups)

    @locked
    def bilag_term_starts(self, word: str) -> bool | None:
        """Whether a bilag term starts with the folded ``word`` (the word itself
        included); None when the store keeps no bilag vocabulary (an older store opened
        read-only)."""
        if not _has_tables(self._conn) or not bilag_terms.has_terms(self._conn):
            return None
        return bilag_terms.starts(self._conn, word)

    @locked
    def bilag_terms_near(self, word: str, shortest: int, longest: int) -> list[tuple[str, int]]:
        """The bilag terms a near spelling of the folded ``word`` can be among: of
        ``shortest`` to ``longest`` characters, sharing its first letter or its second
        (what a near spelling must, :meth:`Vocabulary.fuzzy
        <kkr_tui.search.vocabulary.Vocabulary.fuzzy>`), with their page counts, sorted
        by term; empty without a bilag vocabulary."""
        if not _has_tables(self._conn) or not bilag_terms.has_terms(self._conn):
            return []
        return bilag_terms.near(self._conn, word, shortest, longest)

    @locked
    def bilag_by_url(self, url: str) -> BilagRow | None:
        """The bilag fetched from ``url``, if it was stored."""
        if not _has_tables(self._conn):
            return None
        row = self._conn.execute(
            f"SELECT {_COLUMNS} FROM bilag b WHERE b.url = ?", (url,)
        ).fetchone()
        return BilagRow(*row) if row else None

    @locked
    def bilag(self, bilag_id: int) -> BilagRow:
        """One bilag by id."""
        row = None
        if _has_tables(self._conn):
            row = self._conn.execute(
                f"SELECT {_COLUMNS} FROM bilag b WHERE b.id = ?", (bilag_id,)
            ).fetchone()
        if row is None:
            from kkr_tui.store.errors import NotFoundError

            raise NotFoundError(_("no bilag with id {id}").format(id=bilag_id))
        return BilagRow(*row)

    @locked
    def meeting_bilag(self, council: str, meeting_date: str | None) -> list[BilagRow]:
        """A meeting's bilag, in the order they were stored (the page's order)."""
        if not _has_tables(self._conn):
            return []
        rows = self._conn.execute(
            f"SELECT {_COLUMNS} FROM bilag b WHERE b.council = ? AND b.meeting_date IS ?"
            " ORDER BY b.id",
            (council, meeting_date),
        ).fetchall()
        return [BilagRow(*row) for row in rows]

    @locked
    def item_bilag(self, item_id: int) -> list[BilagRow]:
        """The bilag tied to an item (by its meeting and number)."""
        if not _has_tables(self._conn):
            return []
        rows = self._conn.execute(
            f"SELECT {_COLUMNS} FROM items i JOIN documents d ON d.id = i.document_id"
            " JOIN meetings m ON m.id = d.meeting_id"
            " JOIN bilag b ON b.council = m.council AND b.meeting_date IS m.meeting_date"
            " AND b.item_number = i.number WHERE i.id = ? ORDER BY b.id",
            (item_id,),
        ).fetchall()
        return [BilagRow(*row) for row in rows]

    @locked
    def bilag_item(self, bilag_id: int) -> ItemRow | None:
        """The item a bilag is tied to, in its meeting's primary document (the minutes
        when stored, else the agenda); None when it is tied to none."""
        return self.bilag_items([bilag_id]).get(bilag_id)

    @locked
    def bilag_items(self, bilag_ids: Sequence[int]) -> dict[int, ItemRow]:
        """The items bilag are tied to (see :meth:`bilag_item`), by bilag id, in one
        query: a search's dozen bilag hits each asked it apart (~0.3 ms a call)."""
        if not bilag_ids or not _has_tables(self._conn):
            return {}
        ids = ",".join(str(int(b)) for b in bilag_ids)
        # "+i.number": without statistics SQLite otherwise looks the item up by its
        # number, every "2.1" of the archive (50 ms a call at 100k items), instead of
        # among the ~20 items of the meeting's document.
        rows = self._conn.execute(
            "SELECT b.id, i.id FROM bilag b JOIN meetings m ON m.council = b.council"
            " AND m.meeting_date IS b.meeting_date JOIN documents d ON d.meeting_id = m.id"
            " JOIN items i ON i.document_id = d.id AND +i.number = b.item_number"
            f" WHERE b.id IN ({ids})"
            " ORDER BY b.id, CASE d.doc_type WHEN 'minutes' THEN 0 ELSE 1 END, i.id"
        ).fetchall()
        chosen: dict[int, int] = {}
        for bilag_id, item_id in rows:
            chosen.setdefault(int(bilag_id), int(item_id))
        if not chosen:
            return {}
        from kkr_tui.store import reads

        items = reads.item_rows(self._conn, list(chosen.values()))
        return {b: items[i] for b, i in chosen.items() if i in items}

    @locked
    def bilag_pages(self, bilag_id: int, first: int, count: int) -> list[tuple[int, str]]:
        """``count`` pages of a bilag from page ``first`` on: a viewer reads a few at a time."""
        if not _has_tables(self._conn):
            return []
        return [
            (int(page), str(text))
            for page, text in self._conn.execute(
                "SELECT page, text FROM bilag_pages WHERE bilag_id = ? AND page >= ?"
                " ORDER BY page LIMIT ?",
                (bilag_id, first, count),
            )
        ]

    @locked
    def find_in_bilag(self, bilag_id: int, text: str, after_page: int) -> int | None:
        """The first page after ``after_page`` (wrapping to the start) of a bilag whose
        text has every word of ``text`` (folded, as word starts); None if no page has."""
        words = [w for w in fold(text).split() if w.isalnum()]
        if not words or not _has_tables(self._conn):
            return None
        match = " AND ".join(f'"{w}"*' for w in words)
        try:
            pages = [
                int(page)
                for (page,) in self._conn.execute(
                    "SELECT p.page FROM bilag_fts JOIN bilag_pages p ON p.id = bilag_fts.rowid"
                    " WHERE bilag_fts MATCH ? AND p.bilag_id = ? ORDER BY p.page",
                    (match, bilag_id),
                )
            ]
        except sqlite3.OperationalError:
            return None
        later = [page for page in pages if page > after_page]
        found = later or pages
        return found[0] if found else None

    @locked
    def search_bilag(
        self,
        match: str,
        *,
        limit: int,
        councils: list[str] | None = None,
        year: int | None = None,
        dates: tuple[str, str] | None = None,
        rank_all: int | None = None,
        scan_max: int | None = None,
        at_most: int | None = None,
    ) -> list[BilagPageHit]:
        """The best-matching page of each bilag matching an FTS5 expression over folded
        text, best first; each hit says how many of its bilag's pages match.

        One hit a bilag, not a page: a 300-page report that names a word on every page
        is one piece of evidence, not 300 hits crowding out the rest. ``dates``: only
        bilag of meetings on those days (ISO, inclusive), as the item search has it.

        Bounded work (``bench/README.md``, "Bilag search with honest text"): FTS5
        computes bm25 for every row it returns (~1 µs a page) and cannot stop early,
        so the matching pages are first counted per bilag without a rank (the newest
        stored ``scan_max`` of them at most), then only some are ranked. When at most
        ``rank_all`` pages match, that is all of them and the answer is exactly the
        best page of every bilag by bm25. When more match (a word on a quarter of all
        pages), the bilag where the words are on the largest share of their pages
        (what the bilag is about; the newest meeting first among equals) are ranked,
        as many as hold ``rank_all`` matching pages, and the rest are not shown.
        ``rank_all`` and ``scan_max`` default to :data:`RANK_ALL` and :data:`SCAN_MAX`
        (the bench sets them past any archive for the exact answer it compares with).

        ``at_most``: how many pages can match at most (the bilag vocabulary's counts,
        :meth:`bilag_pages_at_most`). When that is within ``rank_all`` every matching
        page is ranked in one pass, without counting them first: the same answer, one
        reading of the words' doclists fewer.
        """
        rank_all = RANK_ALL if rank_all is None else rank_all
        scan_max = SCAN_MAX if scan_max is None else scan_max
        if not _has_tables(self._conn):
            return []
        where = ""
        params: list[object] = [match]
        if councils is not None:
            where += f" AND b.council IN ({','.join('?' * len(councils))})"
            params.extend(councils)
        if year is not None:
            where += " AND substr(b.meeting_date, 1, 4) = ?"
            params.append(f"{int(year):04d}")
        if dates is not None:
            where += " AND substr(b.meeting_date, 1, 10) BETWEEN ? AND ?"
            params.extend(dates)
        # CROSS JOIN keeps FTS5 the outer loop: given a council, SQLite otherwise put
        # the council's bilag first and looked each matching page up by (id, bilag)
        # once per bilag (680 ms for "council:midt okonomi" at 40,000 pages, 7 now).
        join = " CROSS JOIN bilag b ON b.id = p.bilag_id" if where else ""
        # An older database opened read-only may lack the owner index: the plain
        # look-up by id gives the same answer, slower.
        owner = " INDEXED BY bilag_pages_owner" if _has_owner_index(self._conn) else ""
        if at_most is not None and at_most <= min(rank_all, scan_max):
            return self._bilag_ranked_at_once(match, limit, where, params, join, owner)
        try:
            groups = self._conn.execute(
                "SELECT g.bilag_id, g.n, g.lo, g.hi, b.page_count, b.meeting_date FROM ("
                " SELECT m.bilag_id, count(*) AS n, min(m.id) AS lo, max(m.id) AS hi FROM ("
                f" SELECT p.bilag_id, p.id FROM bilag_fts CROSS JOIN bilag_pages p{owner}"
                f" ON p.id = bilag_fts.rowid{join} WHERE bilag_fts MATCH ?{where}"
                " ORDER BY bilag_fts.rowid DESC LIMIT ?) m GROUP BY m.bilag_id) g"
                " JOIN bilag b ON b.id = g.bilag_id",
                [*params, scan_max],
            ).fetchall()
            if not groups:
                return []
            chosen = _to_rank(groups, rank_all, limit)
            lo = min(g[2] for g in chosen)
            hi = max(g[3] for g in chosen)
            only = ""
            if where or len(chosen) < len(groups):
                ids = ",".join(str(int(g[0])) for g in chosen)
                only = (
                    " AND +bilag_fts.rowid IN"
                    f" (SELECT id FROM bilag_pages WHERE bilag_id IN ({ids}))"
                )
            # One FTS5 cursor over the chosen pages' id range, bm25 only for the pages
            # of chosen bilag (a cursor per bilag or per page would merge the query's
            # doclists again each time: ~2.5 ms apiece for a prefix). CROSS JOIN and
            # "+" keep FTS5 the outer loop and the chosen pages a set looked up once.
            ranked = self._conn.execute(
                "SELECT p.bilag_id, p.id, bilag_fts.rank FROM bilag_fts"
                f" CROSS JOIN bilag_pages p{owner} ON p.id = bilag_fts.rowid"
                f" WHERE bilag_fts MATCH ? AND bilag_fts.rowid BETWEEN ? AND ?{only}",
                (match, lo, hi),
            ).fetchall()
        except sqlite3.OperationalError:
            return []  # a query FTS5 cannot parse finds nothing, as in the item search
        return self._bilag_best_pages(ranked, {int(g[0]): int(g[1]) for g in chosen}, limit)

    def _bilag_ranked_at_once(
        self, match: str, limit: int, where: str, params: list[object], join: str, owner: str
    ) -> list[BilagPageHit]:
        """:meth:`search_bilag` when few pages can match: each ranked as it is found."""
        try:
            ranked = self._conn.execute(
                "SELECT p.bilag_id, p.id, bilag_fts.rank FROM bilag_fts"
                f" CROSS JOIN bilag_pages p{owner} ON p.id = bilag_fts.rowid{join}"
                f" WHERE bilag_fts MATCH ?{where}",
                params,
            ).fetchall()
        except sqlite3.OperationalError:
            return []
        matched: dict[int, int] = {}
        for row in ranked:
            matched[row[0]] = matched.get(row[0], 0) + 1
        return self._bilag_best_pages(ranked, matched, limit)

    def _bilag_best_pages(
        self, ranked: list[tuple[int, int, float]], matched: dict[int, int], limit: int
    ) -> list[BilagPageHit]:
        """The best-ranked page of each bilag in ``ranked`` (bilag, page id, bm25), best
        first, ``limit`` of them, each with its bilag's count of matching pages."""
        best: dict[int, tuple[float, int]] = {}
        for bilag_id, page_id, rank in ranked:
            held = best.get(bilag_id)
            if held is None or (rank, page_id) < held:
                best[bilag_id] = (rank, page_id)
        top = sorted(best.items(), key=lambda kv: (kv[1][0], kv[0]))[:limit]
        if not top:
            return []
        pages = ",".join(str(int(page_id)) for _, (_, page_id) in top)
        rows = {
            int(row[0]): row
            for row in self._conn.execute(
                f"SELECT p.id, {_COLUMNS}, p.page, p.text FROM bilag_pages p"
                f" JOIN bilag b ON b.id = p.bilag_id WHERE p.id IN ({pages})"
            )
        }
        return [
            BilagPageHit(
                BilagRow(*rows[page_id][1:12]),
                rows[page_id][12],
                rows[page_id][13],
                rank,
                matched[bilag_id],
            )
            for bilag_id, (rank, page_id) in top
        ]


def _has_owner_index(conn: sqlite3.Connection) -> bool:
    row = conn.execute(
        "SELECT 1 FROM sqlite_master WHERE type='index' AND name='bilag_pages_owner'"
    ).fetchone()
    return row is not None


def _to_rank(
    groups: list[tuple[int, int, int, int, int, str | None]], rank_all: int, limit: int
) -> list[tuple[int, int, int, int, int, str | None]]:
    """The bilag whose matching pages are ranked (see :meth:`BilagStore.search_bilag`):
    every one when they hold at most ``rank_all`` matching pages; else those whose
    pages match most densely (the newest meeting, then the newest stored, first among
    equals), as many as hold ``rank_all`` pages and never fewer than ``limit``."""
    if sum(g[1] for g in groups) <= rank_all:
        return groups
    dense = sorted(
        groups, key=lambda g: (g[1] / max(g[4], g[1], 1), g[5] or "", g[0]), reverse=True
    )
    chosen: list[tuple[int, int, int, int, int, str | None]] = []
    pages = 0
    for group in dense:
        if len(chosen) >= limit and pages + group[1] > rank_all:
            break
        chosen.append(group)
        pages += group[1]
    return chosen
