"""The user's own data beside the documents: notes, reading marks, and what changed.

These tables never reference item ids: re-ingesting a document, or the minutes
replacing the agenda, gives every item a new id. Notes and marks are anchored to
(council, meeting date, item number) with the case number and title kept to find the
item again, so they survive both. The tables are created with ``IF NOT EXISTS`` on
every open, independent of the document schema's version, and re-ingesting never
touches them.

Changes: :meth:`MeetingWorkStore.detect_changes` compares each stored document's
sha256 with the one seen last time; for meetings whose documents changed it hashes
the primary document's items (title and part texts) and compares them with the hash
seen last time. Items without an earlier hash are ``new``, others with a different
hash ``changed``. The work is proportional to the documents that changed, not to the
store. The first detection on a store only records what is there, so a first run is
not a wall of "new". A mark stays until the item is opened (:meth:`mark_read`).
"""

from __future__ import annotations

import hashlib
import sqlite3
import threading
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime

from kkr_tui.meetingwork.records import (
    Anchor,
    ChangedItem,
    DocItem,
    ItemMark,
    Note,
    NoteHit,
)
from kkr_tui.textfold import fold

_TABLES_SQL = [
    """CREATE TABLE IF NOT EXISTS notes (
        id INTEGER PRIMARY KEY,
        council TEXT NOT NULL, meeting_date TEXT NOT NULL, number TEXT NOT NULL,
        case_number TEXT, title TEXT NOT NULL, text TEXT NOT NULL, folded TEXT NOT NULL,
        created_at TEXT NOT NULL, updated_at TEXT NOT NULL)""",
    "CREATE UNIQUE INDEX IF NOT EXISTS notes_anchor ON notes (council, meeting_date, number)",
    """CREATE TABLE IF NOT EXISTS item_reads (
        council TEXT NOT NULL, meeting_date TEXT NOT NULL, number TEXT NOT NULL,
        content_hash TEXT NOT NULL, read_at TEXT NOT NULL,
        PRIMARY KEY (council, meeting_date, number)) WITHOUT ROWID""",
    """CREATE TABLE IF NOT EXISTS seen_documents (
        council TEXT NOT NULL, meeting_date TEXT NOT NULL, doc_type TEXT NOT NULL,
        sha256 TEXT NOT NULL, seen_at TEXT NOT NULL,
        PRIMARY KEY (council, meeting_date, doc_type)) WITHOUT ROWID""",
    """CREATE TABLE IF NOT EXISTS seen_items (
        council TEXT NOT NULL, meeting_date TEXT NOT NULL, number TEXT NOT NULL,
        content_hash TEXT NOT NULL,
        PRIMARY KEY (council, meeting_date, number)) WITHOUT ROWID""",
    """CREATE TABLE IF NOT EXISTS item_changes (
        council TEXT NOT NULL, meeting_date TEXT NOT NULL, number TEXT NOT NULL,
        kind TEXT NOT NULL, detected_at TEXT NOT NULL,
        PRIMARY KEY (council, meeting_date, number)) WITHOUT ROWID""",
]

_ANCHOR_SQL = (
    "SELECT i.id, m.council, coalesce(m.meeting_date, ''), i.number, i.case_number, i.title"
    " FROM items i JOIN documents d ON d.id = i.document_id JOIN meetings m ON m.id = d.meeting_id"
)

_MEETING_SQL = (
    "SELECT id FROM meetings WHERE council = ?"
    " AND (meeting_date = ? OR (meeting_date IS NULL AND ? = ''))"
)


def ensure_notes_schema(conn: sqlite3.Connection) -> None:
    """Create the notes and reading-state tables when missing (idempotent, any schema version)."""
    for statement in _TABLES_SQL:
        conn.execute(statement)


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


#: A ``seen_documents`` row present while a store's first detection is unfinished.
_BASELINE = ("", "", "baseline in progress")


#: Meetings with a document whose sha256 differs from the one seen (or never seen), in
#: a stable order so steps move forward; one index probe per document.
_CHANGED_MEETINGS_SQL = """
    SELECT DISTINCT m.council, coalesce(m.meeting_date, '') AS date
    FROM documents d JOIN meetings m ON m.id = d.meeting_id
    LEFT JOIN seen_documents s ON s.council = m.council
        AND s.meeting_date = coalesce(m.meeting_date, '') AND s.doc_type = d.doc_type
    WHERE s.sha256 IS NOT d.sha256 ORDER BY 1, 2 LIMIT ?"""
#: Record the documents a meeting has now as seen.
_SEE_MEETING_SQL = """
    INSERT INTO seen_documents
    SELECT m.council, coalesce(m.meeting_date, ''), d.doc_type, d.sha256, ?
    FROM documents d JOIN meetings m ON m.id = d.meeting_id
    WHERE m.council = ? AND (m.meeting_date = ? OR (m.meeting_date IS NULL AND ? = ''))"""
#: The end of a detection: only the baseline sentinel may be left to drop.
_FORGET_GONE_SQL = "DELETE FROM seen_documents WHERE doc_type = 'baseline in progress'"


def _has_tables(conn: sqlite3.Connection) -> bool:
    row = conn.execute("SELECT 1 FROM sqlite_master WHERE type='table' AND name='notes'")
    return row.fetchone() is not None


def _same_item(anchor: Anchor, case_number: str | None, title: str) -> bool:
    if anchor.case_number and case_number and anchor.case_number == case_number:
        return fold(anchor.title) == fold(title) or not anchor.title
    return fold(anchor.title) == fold(title)


def _note(row: Sequence) -> Note:
    return Note(
        id=row[0],
        anchor=Anchor(row[1], row[2], row[3], row[4], row[5]),
        text=row[6],
        created_at=row[7],
        updated_at=row[8],
    )


_NOTE_COLUMNS = (
    "SELECT id, council, meeting_date, number, case_number, title, text, created_at, updated_at"
    " FROM notes"
)


class MeetingWorkStore:
    """Store methods for notes, reading state and the merged meeting (mixed into Store)."""

    _conn: sqlite3.Connection
    _lock: threading.RLock

    # -- anchors -------------------------------------------------------------------

    def anchor(self, item_id: int) -> Anchor:
        """The anchor of a stored item."""
        with self._lock:
            row = self._conn.execute(_ANCHOR_SQL + " WHERE i.id = ?", (item_id,)).fetchone()
        if row is None:
            from kkr_tui.store.errors import NotFoundError

            raise NotFoundError(f"no item with id {item_id}")
        return Anchor(row[1], row[2], row[3], row[4], row[5])

    def _primary_items(self, council: str, meeting_date: str) -> list[Sequence]:
        conn = self._conn
        meeting = conn.execute(_MEETING_SQL, (council, meeting_date, meeting_date)).fetchone()
        if meeting is None:
            return []
        doc = conn.execute(
            "SELECT id FROM documents WHERE meeting_id = ?"
            " ORDER BY CASE doc_type WHEN 'minutes' THEN 0 ELSE 1 END LIMIT 1",
            (meeting[0],),
        ).fetchone()
        if doc is None:
            return []
        return conn.execute(
            "SELECT id, number, case_number, title FROM items WHERE document_id = ?"
            " ORDER BY position",
            (doc[0],),
        ).fetchall()

    def resolve_anchor(self, anchor: Anchor) -> int | None:
        """The item an anchor points at today: same number and item, else the same title."""
        with self._lock:
            rows = self._primary_items(anchor.council, anchor.meeting_date)
        for item_id, number, case_number, title in rows:
            if number == anchor.number and _same_item(anchor, case_number, title):
                return item_id
        wanted = fold(anchor.title)
        for item_id, _, _, title in rows:
            if wanted and fold(title) == wanted:
                return item_id
        return None

    # -- notes -----------------------------------------------------------------------

    def note_for(self, item_id: int) -> Note | None:
        """The note on this item, found by anchor (so it survives a re-ingest)."""
        anchor = self.anchor(item_id)
        with self._lock:
            if not _has_tables(self._conn):
                return None
            rows = self._conn.execute(
                _NOTE_COLUMNS + " WHERE council = ? AND meeting_date = ?",
                (anchor.council, anchor.meeting_date),
            ).fetchall()
        notes = [_note(r) for r in rows]
        for note in notes:
            if note.anchor.number == anchor.number and _same_item(
                note.anchor, anchor.case_number, anchor.title
            ):
                return note
        for note in notes:
            if fold(note.anchor.title) == fold(anchor.title):
                return note
        return None

    def save_note(self, item_id: int, text: str) -> Note | None:
        """Write the note on an item; an empty text deletes it. Returns the stored note."""
        from kkr_tui.sanitize import clean_text

        text = clean_text(text).strip()
        anchor = self.anchor(item_id)
        existing = self.note_for(item_id)
        now = _now()
        with self._lock:
            conn = self._conn
            conn.execute("BEGIN IMMEDIATE")
            try:
                if existing is not None:
                    conn.execute("DELETE FROM notes WHERE id = ?", (existing.id,))
                conn.execute(
                    "DELETE FROM notes WHERE council = ? AND meeting_date = ? AND number = ?",
                    (anchor.council, anchor.meeting_date, anchor.number),
                )
                if text:
                    conn.execute(
                        "INSERT INTO notes (council, meeting_date, number, case_number, title,"
                        " text, folded, created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?)",
                        (
                            anchor.council,
                            anchor.meeting_date,
                            anchor.number,
                            anchor.case_number,
                            anchor.title,
                            text,
                            fold(f"{anchor.title}\n{text}"),
                            existing.created_at if existing else now,
                            now,
                        ),
                    )
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            conn.execute("COMMIT")
        return self.note_for(item_id) if text else None

    def all_notes(self) -> list[Note]:
        """Every note, newest meeting first."""
        with self._lock:
            if not _has_tables(self._conn):
                return []
            rows = self._conn.execute(
                _NOTE_COLUMNS + " ORDER BY meeting_date DESC, council, number"
            ).fetchall()
        return [_note(r) for r in rows]

    def search_notes(self, query: str, *, limit: int = 20) -> list[NoteHit]:
        """Notes whose folded title and text contain every word of ``query``.

        Notes are few (written by hand), so a filter over all of them is cheap.
        """
        words = [w for w in fold(query).split() if ":" not in w]
        if not words:
            return []
        with self._lock:
            if not _has_tables(self._conn):
                return []
            rows = self._conn.execute(
                _NOTE_COLUMNS
                + " WHERE "
                + " AND ".join(["folded LIKE ?"] * len(words))
                + " ORDER BY updated_at DESC LIMIT ?",
                [*(f"%{w}%" for w in words), limit],
            ).fetchall()
        return [NoteHit(n, self.resolve_anchor(n.anchor)) for n in map(_note, rows)]

    # -- reading state -------------------------------------------------------------------

    def _content_hashes(self, item_ids: Sequence[int]) -> dict[int, str]:
        digests = {i: hashlib.sha256() for i in item_ids}
        if not item_ids:
            return {}
        marks = ",".join("?" * len(item_ids))
        for item_id, title in self._conn.execute(
            f"SELECT id, title FROM items WHERE id IN ({marks})", list(item_ids)
        ):
            digests[item_id].update(title.encode())
        for item_id, kind, text in self._conn.execute(
            f"SELECT item_id, kind, text FROM parts WHERE item_id IN ({marks})"
            " ORDER BY item_id, position",
            list(item_ids),
        ):
            digests[item_id].update(f"\x00{kind}\x00{text}".encode())
        return {i: d.hexdigest()[:32] for i, d in digests.items()}

    def mark_read(self, item_id: int) -> None:
        """Remember that the item was opened in its current state; clears its new/changed mark."""
        anchor = self.anchor(item_id)
        with self._lock:
            digest = self._content_hashes([item_id]).get(item_id, "")
            key = (anchor.council, anchor.meeting_date, anchor.number)
            conn = self._conn
            conn.execute("BEGIN IMMEDIATE")
            conn.execute(
                "INSERT OR REPLACE INTO item_reads VALUES (?, ?, ?, ?, ?)", (*key, digest, _now())
            )
            conn.execute(
                "DELETE FROM item_changes WHERE council = ? AND meeting_date = ? AND number = ?",
                key,
            )
            conn.execute("COMMIT")

    def detect_changes(self) -> int:
        """Mark items new or changed since the last detection; returns how many were marked.

        Runs :meth:`detect_changes_step` until it is done (the CLI and tests); the app
        calls the steps itself so other store work can run between them.
        """
        marked = 0
        while True:
            step, done = self.detect_changes_step()
            marked += step
            if done:
                return marked

    def detect_changes_step(self, max_meetings: int = 25) -> tuple[int, bool]:
        """Detect changes in at most ``max_meetings`` changed meetings, in one transaction.

        Returns (items marked, whether every changed meeting has now been handled). A
        store's first detection (the baseline: record, mark nothing) can cover a whole
        archive; a sentinel row in ``seen_documents`` keeps it a baseline across steps
        and across an interrupted run, so it never turns into a wall of "new". The
        changed meetings are found by a join in SQLite, so a step costs about the same
        at 1M items as at 10k (~50 ms for 25 meetings of a first look).
        """
        now = _now()
        marked = 0
        with self._lock:
            conn = self._conn
            baseline = conn.execute(
                "SELECT 1 FROM seen_documents WHERE council = ? AND meeting_date = ?"
                " AND doc_type = ?",
                _BASELINE,
            ).fetchone()
            first = baseline is not None or (
                conn.execute("SELECT 1 FROM seen_documents LIMIT 1").fetchone() is None
            )
            batch = conn.execute(_CHANGED_MEETINGS_SQL, (max_meetings + 1,)).fetchall()
            done = len(batch) <= max_meetings
            batch = batch[:max_meetings]
            if done:  # last step: also the meetings a seen document has gone from
                batch = sorted(set(batch) | self._meetings_with_gone_documents())
            conn.execute("BEGIN IMMEDIATE")
            try:
                if first and baseline is None and not done:
                    conn.execute(
                        "INSERT INTO seen_documents VALUES (?, ?, ?, ?, ?)", (*_BASELINE, "", now)
                    )
                for council, date in batch:
                    marked += self._detect_meeting(council, date, first, now)
                    conn.execute(
                        "DELETE FROM seen_documents WHERE council = ? AND meeting_date = ?",
                        (council, date),
                    )
                    conn.execute(_SEE_MEETING_SQL, (now, council, date, date))
                if done:
                    conn.execute(_FORGET_GONE_SQL)
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            conn.execute("COMMIT")
        return marked, done

    def _meetings_with_gone_documents(self) -> set[tuple[str, str]]:
        """(council, date) of seen documents no longer stored (a set difference in
        Python: as a SQL anti-join on the coalesced date it took 0.85 s at 100k)."""
        conn = self._conn
        current = set(
            conn.execute(
                "SELECT m.council, coalesce(m.meeting_date, ''), d.doc_type"
                " FROM documents d JOIN meetings m ON m.id = d.meeting_id"
            )
        )
        seen = conn.execute("SELECT council, meeting_date, doc_type FROM seen_documents")
        return {(c, d) for c, d, t in seen if (c, d, t) not in current and (c, d, t) != _BASELINE}

    def _detect_meeting(self, council: str, date: str, first: bool, now: str) -> int:
        """Compare one meeting's item hashes with those seen; record and mark. Bulk SQL:
        a per-item query pair made a 100k-item baseline take 6 s."""
        conn = self._conn
        rows = self._primary_items(council, date)
        hashes = self._content_hashes([r[0] for r in rows])
        where = " WHERE council = ? AND meeting_date = ?"
        old = dict(
            conn.execute("SELECT number, content_hash FROM seen_items" + where, (council, date))
        )
        reads = dict(
            conn.execute("SELECT number, content_hash FROM item_reads" + where, (council, date))
        )
        updates: list[tuple[str, str, str, str]] = []
        changes: list[tuple[str, str, str, str, str]] = []
        for item_id, number, _, _ in rows:
            digest = hashes[item_id]
            before = old.get(number)
            if before == digest:
                continue
            updates.append((council, date, number, digest))
            if first or reads.get(number) == digest:
                continue
            changes.append((council, date, number, "new" if before is None else "changed", now))
        conn.executemany("INSERT OR REPLACE INTO seen_items VALUES (?, ?, ?, ?)", updates)
        conn.executemany(
            "INSERT INTO item_changes VALUES (?, ?, ?, ?, ?)"
            " ON CONFLICT DO UPDATE SET kind = CASE item_changes.kind"
            " WHEN 'new' THEN 'new' ELSE excluded.kind END,"
            " detected_at = excluded.detected_at",
            changes,
        )
        return len(changes)

    def changed_items(self) -> list[ChangedItem]:
        """Items marked new or changed and not opened since, newest meeting first."""
        with self._lock:
            if not _has_tables(self._conn):
                return []
            rows = self._conn.execute(
                "SELECT council, meeting_date, number, kind, detected_at FROM item_changes"
                " ORDER BY meeting_date DESC, council"
            ).fetchall()
            out: list[ChangedItem] = []
            for council, date, number, kind, detected in rows:
                for item_id, num, _, title in self._primary_items(council, date):
                    if num == number:
                        doc_type = self._conn.execute(
                            "SELECT d.doc_type FROM items i JOIN documents d"
                            " ON d.id = i.document_id WHERE i.id = ?",
                            (item_id,),
                        ).fetchone()[0]
                        out.append(
                            ChangedItem(
                                item_id, council, date or None, doc_type, num, title, kind, detected
                            )
                        )
                        break
        out.sort(key=lambda c: (c.meeting_date or "", c.council), reverse=True)
        return out

    def item_marks(self, item_ids: Iterable[int]) -> dict[int, ItemMark]:
        """Tree marks for a batch of items (usually one section): note, new/changed, read."""
        ids = list(item_ids)
        if not ids:
            return {}
        with self._lock:
            if not _has_tables(self._conn):
                return {}
            marks = ",".join("?" * len(ids))
            rows = self._conn.execute(_ANCHOR_SQL + f" WHERE i.id IN ({marks})", ids).fetchall()
            meetings = {(r[1], r[2]) for r in rows}
            notes: list[Note] = []
            changes: dict[tuple[str, str, str], str] = {}
            reads: set[tuple[str, str, str]] = set()
            for council, date in meetings:
                args = (council, date)
                where = " WHERE council = ? AND meeting_date = ?"
                notes += map(_note, self._conn.execute(_NOTE_COLUMNS + where, args))
                for number, kind in self._conn.execute(
                    "SELECT number, kind FROM item_changes" + where, args
                ):
                    changes[(council, date, number)] = kind
                for (number,) in self._conn.execute("SELECT number FROM item_reads" + where, args):
                    reads.add((council, date, number))
        out: dict[int, ItemMark] = {}
        for item_id, council, date, number, case_number, title in rows:
            anchor = Anchor(council, date, number, case_number, title)
            has_note = any(
                n.anchor.council == council
                and n.anchor.meeting_date == date
                and (
                    (n.anchor.number == number and _same_item(n.anchor, case_number, title))
                    or fold(n.anchor.title) == fold(anchor.title)
                )
                for n in notes
            )
            key = (council, date, number)
            out[item_id] = ItemMark(has_note, changes.get(key), key in reads)  # type: ignore[arg-type]
        return out

    # -- both documents of a meeting ------------------------------------------------------

    def meeting_document_items(self, meeting_id: int) -> dict[str, list[DocItem]]:
        """Items of each stored document of a meeting (agenda, minutes) with both key parts."""
        out: dict[str, list[DocItem]] = {}
        with self._lock:
            docs = self._conn.execute(
                "SELECT id, doc_type, file_name FROM documents WHERE meeting_id = ?",
                (meeting_id,),
            ).fetchall()
            for document_id, doc_type, file_name in docs:
                rows = self._conn.execute(
                    "SELECT i.id, i.number, i.title, i.case_number,"
                    " (SELECT text FROM parts WHERE item_id = i.id AND kind = 'Indstilling'"
                    "  ORDER BY position LIMIT 1),"
                    " (SELECT text FROM parts WHERE item_id = i.id AND kind = 'Beslutning'"
                    "  ORDER BY position LIMIT 1),"
                    " i.first_page, i.last_page,"
                    " (SELECT json_group_array(name) FROM"
                    "  (SELECT name FROM attachments WHERE item_id = i.id ORDER BY position))"
                    " FROM items i WHERE i.document_id = ? ORDER BY i.position",
                    (document_id,),
                ).fetchall()
                out[doc_type] = [
                    DocItem(
                        r[0],
                        doc_type,
                        r[1],
                        r[2],
                        r[3],
                        r[4],
                        r[5],
                        r[6] or 0,
                        r[7] or 0,
                        tuple(_json_list(r[8])),
                        file_name or "",
                    )
                    for r in rows
                ]
        return out

    def case_number_share(self, item_ids: Iterable[int]) -> dict[int, int]:
        """For each item, how many items of its own document carry its case number (0: none)."""
        ids = list(item_ids)
        if not ids:
            return {}
        marks = ",".join("?" * len(ids))
        with self._lock:
            rows = self._conn.execute(
                "SELECT i.id, CASE WHEN i.case_number IS NULL THEN 0 ELSE"
                " (SELECT count(*) FROM items j WHERE j.case_number = i.case_number"
                "  AND j.document_id = i.document_id) END"
                f" FROM items i WHERE i.id IN ({marks})",
                ids,
            ).fetchall()
        return dict(rows)

    def meeting_counts(self) -> dict[str, int]:
        """Number of meetings per council (standing items recur in most of them)."""
        with self._lock:
            return dict(
                self._conn.execute("SELECT council, count(*) FROM meetings GROUP BY council")
            )


def _json_list(raw: str | None) -> list[str]:
    import json

    return [x for x in json.loads(raw or "[]") if isinstance(x, str)]
