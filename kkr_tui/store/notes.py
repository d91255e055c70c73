"""The user's own data beside the documents: notes, reading marks, and what changed.

These tables never reference item ids: re-ingesting a document, or the minutes
replacing the agenda, gives every item a new id. Notes and marks are anchored to
(council, meeting date, item number) with the case number and title kept to find the
item again, so they survive both. A note or a reading mark (read, seen hash,
new/changed) is found by its item's identity, never by the number alone (one
function, :func:`match_anchors`): the minutes may drop an item and renumber the rest,
and then the agenda's 3.5 is the minutes' 3.4. A note or mark is only ever changed or
removed by its own row id, so writing one can never remove another; a note whose
item cannot be found is kept (listed "uden punkt"). The tables (their DDL is in
:mod:`kkr_tui.store.schema`) are created with ``IF NOT EXISTS`` on every writable
open, independent of the document schema's version, and re-ingesting never touches
them.

Changes: :meth:`Notes.detect_changes` compares each stored document's
sha256 with the one seen last time; for meetings whose documents changed it hashes
the primary document's items (title and part texts) and compares them with the hash
seen last time. Items without an earlier hash are ``new``, others with a different
hash ``changed``. The work is proportional to the documents that changed, not to the
store. The first detection on a store only records what is there, so a first run is
not a wall of "new". A mark stays until the item is opened (:meth:`mark_read`).
"""

from __future__ import annotations

import sqlite3
import threading
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from datetime import UTC, datetime
from typing import Any

from kkr_tui.i18n import _
from kkr_tui.records import (
    MAX_NOTE_BYTES,
    Anchor,
    ChangedItem,
    ItemMark,
    ItemRef,
    ItemVersion,
    Note,
    NoteHit,
)
from kkr_tui.store.errors import NoteTooLargeError
from kkr_tui.store.guard import Connected, locked
from kkr_tui.store.tables import has_table
from kkr_tui.textfold import fold

_ANCHOR_SQL = (
    "SELECT i.id, m.council, coalesce(m.meeting_date, ''), i.number, i.case_number, i.title"
    " FROM items i JOIN documents d ON d.id = i.document_id JOIN meetings m ON m.id = d.meeting_id"
)

_MEETING_SQL = (
    "SELECT id FROM meetings WHERE council = ?"
    " AND (meeting_date = ? OR (meeting_date IS NULL AND ? = ''))"
)


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


def content_hashes(conn: sqlite3.Connection, item_ids: Sequence[int]) -> dict[int, str]:
    """``{item id: hash of its title and parts}``: what "changed" compares."""
    import hashlib  # here: loading OpenSSL is ~5 ms of every one-off command otherwise

    digests = {i: hashlib.sha256() for i in item_ids}
    if not item_ids:
        return {}
    marks = ",".join("?" * len(item_ids))
    for item_id, title in conn.execute(
        f"SELECT id, title FROM items WHERE id IN ({marks})", list(item_ids)
    ):
        digests[item_id].update(title.encode())
    for item_id, kind, text in conn.execute(
        f"SELECT item_id, kind, text FROM parts WHERE item_id IN ({marks})"
        " ORDER BY item_id, position",
        list(item_ids),
    ):
        digests[item_id].update(f"\x00{kind}\x00{text}".encode())
    return {i: d.hexdigest()[:32] for i, d in digests.items()}


def _has_tables(conn: sqlite3.Connection) -> bool:
    return has_table(conn, "notes")


#: An item as notes are matched to it: (id, number, case number, title), in document order.
ItemKey = tuple[int, str, str | None, str]


def assign_notes(notes: Sequence[Note], items: Sequence[ItemKey]) -> dict[int, int]:
    """Which item each note belongs to: ``{note id: item id}``; unmatched notes are absent
    (:func:`match_anchors` over the notes' anchors)."""
    return match_anchors([(n.id, n.anchor) for n in notes], items)


def match_anchors(
    anchored: Sequence[tuple[int, Anchor]], items: Sequence[ItemKey]
) -> dict[int, int]:
    """Which item each anchored row (a note, a reading mark) belongs to: ``{row id: item
    id}``; unmatched rows are absent.

    Each item takes at most one row and each row at most one item, in rounds from the
    surest evidence to the weakest, so a renumbering can never hand one item's note or
    mark to another: (1) same number and title, (2) same title (the item was
    renumbered), (3) the same case number when no other item of the document carries
    it (the title was reworded), (4) an anchor without a title (older notes and marks):
    same number and no contradicting case number. A case number on both sides that
    differs always vetoes. Rows are taken oldest (lowest id) first, items in document
    order.
    """
    free = list(items)
    pending = sorted(anchored, key=lambda row: row[0])
    assigned: dict[int, int] = {}
    shared = Counter(item[2] for item in items if item[2])
    titles = {item[0]: fold(item[3]) for item in items}

    def agrees(anchor: Anchor, case: str | None) -> bool:
        return not (anchor.case_number and case and anchor.case_number != case)

    def claim(fits: Callable[[Anchor, ItemKey], bool]) -> None:
        nonlocal pending
        left: list[tuple[int, Anchor]] = []
        for row in pending:
            hit = next((item for item in free if fits(row[1], item)), None)
            if hit is None:
                left.append(row)
                continue
            assigned[row[0]] = hit[0]
            free.remove(hit)
        pending = left

    claim(
        lambda a, it: (
            bool(a.title)
            and it[1] == a.number
            and titles[it[0]] == fold(a.title)
            and agrees(a, it[2])
        )
    )
    claim(lambda a, it: bool(a.title) and titles[it[0]] == fold(a.title) and agrees(a, it[2]))
    claim(
        lambda a, it: (
            bool(a.case_number) and it[2] == a.case_number and shared[a.case_number or ""] == 1
        )
    )
    claim(lambda a, it: not a.title and it[1] == a.number and agrees(a, it[2]))
    return assigned


def _note(row: Sequence[Any]) -> Note:
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


class Notes:
    """Notes and reading state: the part of a Store that holds the user's own data.

    It shares the Store's connection, lock and error mapping (:func:`locked`), and the
    Store offers its methods under the same names for the app's gateway.
    """

    def __init__(self, owner: Connected) -> None:
        self._owner = owner
        #: Reading-state tables in the number-keyed shape (read-only opens of older
        #: databases only; a writable open migrates them); found on first use.
        self._old_marks: list[str] | None = None

    @property
    def _conn(self) -> sqlite3.Connection:
        return self._owner._conn

    @property
    def _lock(self) -> threading.RLock:
        return self._owner._lock

    @property
    def read_only(self) -> bool:
        """Whether the Store was opened read-only (then bookkeeping writes are skipped)."""
        return self._owner.read_only

    def _translate(self, exc: sqlite3.DatabaseError) -> Exception:
        return self._owner._translate(exc)

    # -- anchors -------------------------------------------------------------------

    @locked
    def anchor(self, item_id: int) -> Anchor:
        """The anchor of a stored item."""
        with self._lock:
            row = self._conn.execute(_ANCHOR_SQL + " WHERE i.id = ?", (item_id,)).fetchone()
        if row is None:
            from kkr_tui.store.errors import NotFoundError

            raise NotFoundError(_("no item with id {id}").format(id=item_id))
        return Anchor(row[1], row[2], row[3], row[4], row[5])

    def _primary_items(self, council: str, meeting_date: str) -> list[ItemKey]:
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
        return self._document_items(doc[0])

    def _document_items(self, document_id: int) -> list[ItemKey]:
        return self._conn.execute(
            "SELECT id, number, case_number, title FROM items WHERE document_id = ?"
            " ORDER BY position",
            (document_id,),
        ).fetchall()

    def _meeting_notes(self, council: str, meeting_date: str) -> list[Note]:
        if not _has_tables(self._conn):
            return []
        rows = self._conn.execute(
            _NOTE_COLUMNS + " WHERE council = ? AND meeting_date = ?", (council, meeting_date)
        ).fetchall()
        return [_note(r) for r in rows]

    @locked
    def resolve_anchor(self, anchor: Anchor) -> int | None:
        """The item an anchor points at today, matched as a lone note would be
        (:func:`match_anchors`); None when no item of the meeting is it."""
        with self._lock:
            rows = self._primary_items(anchor.council, anchor.meeting_date)
        return match_anchors([(0, anchor)], rows).get(0)

    # -- notes -----------------------------------------------------------------------

    def _note_of(self, item_id: int) -> tuple[Anchor, Note | None]:
        """The item's anchor and the note that belongs to it among its meeting's notes,
        matched against the items of the item's own document."""
        row = self._conn.execute(_ANCHOR_SQL + " WHERE i.id = ?", (item_id,)).fetchone()
        if row is None:
            from kkr_tui.store.errors import NotFoundError

            raise NotFoundError(_("no item with id {id}").format(id=item_id))
        anchor = Anchor(row[1], row[2], row[3], row[4], row[5])
        notes = self._meeting_notes(anchor.council, anchor.meeting_date)
        if not notes:
            return anchor, None
        document = self._conn.execute(
            "SELECT document_id FROM items WHERE id = ?", (item_id,)
        ).fetchone()[0]
        assigned = assign_notes(notes, self._document_items(document))
        return anchor, next((n for n in notes if assigned.get(n.id) == item_id), None)

    @locked
    def note_for(self, item_id: int) -> Note | None:
        """The note on this item, found by identity (so it survives a re-ingest and a
        renumbering by the minutes)."""
        with self._lock:
            return self._note_of(item_id)[1]

    @locked
    def save_note(self, item_id: int, text: str) -> Note | None:
        """Write the note on an item; an empty text deletes it. Returns the stored note.

        Only the item's own note row is changed (by its id), and its anchor moves to the
        item as it is numbered and titled today. Over :data:`MAX_NOTE_BYTES` raises
        :class:`NoteTooLargeError` and stores nothing."""
        from kkr_tui.sanitize import clean_text

        size = len(text.encode("utf-8", "surrogatepass"))
        if size > MAX_NOTE_BYTES:
            raise NoteTooLargeError(
                _("the note is too large ({size} MB); a note may hold at most {limit} MB").format(
                    size=f"{size / 1_000_000:.1f}", limit=MAX_NOTE_BYTES // 1_000_000
                )
            )
        text = clean_text(text).strip()
        now = _now()
        with self._lock:
            conn = self._conn
            conn.execute("BEGIN IMMEDIATE")
            try:
                anchor, existing = self._note_of(item_id)
                values = (
                    anchor.number,
                    anchor.case_number,
                    anchor.title,
                    text,
                    fold(f"{anchor.title}\n{text}"),
                    now,
                )
                if existing is not None and not text:
                    conn.execute("DELETE FROM notes WHERE id = ?", (existing.id,))
                elif existing is not None:
                    conn.execute(
                        "UPDATE notes SET number = ?, case_number = ?, title = ?, text = ?,"
                        " folded = ?, updated_at = ? WHERE id = ?",
                        (*values, existing.id),
                    )
                elif text:
                    conn.execute(
                        "INSERT INTO notes (number, case_number, title, text, folded,"
                        " updated_at, council, meeting_date, created_at)"
                        " VALUES (?,?,?,?,?,?,?,?,?)",
                        (*values, anchor.council, anchor.meeting_date, now),
                    )
            except BaseException:
                if conn.in_transaction:  # a full disk may have rolled it back already
                    conn.execute("ROLLBACK")
                raise
            conn.execute("COMMIT")
            return self._note_of(item_id)[1] if text else None

    @locked
    def all_notes(self) -> list[Note]:
        """Every note, newest meeting first."""
        with self._lock:
            if not _has_tables(self._conn):
                return []
            rows = self._conn.execute(
                _NOTE_COLUMNS + " ORDER BY meeting_date DESC, council, number, id"
            ).fetchall()
        return [_note(r) for r in rows]

    def _items_of_notes(self, notes: Sequence[Note]) -> dict[int, int]:
        """``{note id: item id}`` for notes whose item is in its meeting's primary
        document, matched together with the meeting's other notes."""
        assigned: dict[int, int] = {}
        for council, date in {(n.anchor.council, n.anchor.meeting_date) for n in notes}:
            rows = self._primary_items(council, date)
            assigned.update(assign_notes(self._meeting_notes(council, date), rows))
        return assigned

    @locked
    def notes_with_items(self) -> list[tuple[Note, int | None]]:
        """Every note with the item it belongs to today (None: "uden punkt", the item is
        no longer stored or cannot be told apart), newest meeting first."""
        notes = self.all_notes()
        with self._lock:
            assigned = self._items_of_notes(notes)
        return [(n, assigned.get(n.id)) for n in notes]

    @locked
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
            notes = [_note(r) for r in rows]
            assigned = self._items_of_notes(notes)
        return [NoteHit(n, assigned.get(n.id)) for n in notes]

    # -- reading state -------------------------------------------------------------------

    def _content_hashes(self, item_ids: Sequence[int]) -> dict[int, str]:
        return content_hashes(self._conn, item_ids)

    def _marks(
        self, table: str, columns: str, council: str, meeting_date: str
    ) -> list[tuple[int, Anchor, tuple[Any, ...]]]:
        """A meeting's rows of a reading-state table: (row id, anchor, ``columns``).

        A database still holding the number-keyed tables of older releases (opened
        read-only, so not migrated) gives its rows number-only anchors, matched by
        number as they always were."""
        if table in self._number_keyed():
            select = f"SELECT row_number() OVER (), number, NULL, '', {columns} FROM {table}"
        else:
            select = f"SELECT id, number, case_number, title, {columns} FROM {table}"
        rows = self._conn.execute(
            select + " WHERE council = ? AND meeting_date = ?", (council, meeting_date)
        ).fetchall()
        return [(r[0], Anchor(council, meeting_date, r[1], r[2], r[3]), tuple(r[4:])) for r in rows]

    def _number_keyed(self) -> list[str]:
        from kkr_tui.store.schema import number_keyed_marks

        if self._old_marks is None:
            self._old_marks = number_keyed_marks(self._conn)
        return self._old_marks

    def _marks_of_items(
        self, table: str, columns: str, council: str, meeting_date: str, items: list[ItemKey]
    ) -> dict[int, tuple[int, tuple[Any, ...]]]:
        """``{item id: (row id, columns)}``: the rows of ``table`` that belong to these
        items, matched by identity as notes are (:func:`match_anchors`)."""
        rows = self._marks(table, columns, council, meeting_date)
        if not rows:
            return {}
        assigned = match_anchors([(r[0], r[1]) for r in rows], items)
        return {assigned[r[0]]: (r[0], r[2]) for r in rows if r[0] in assigned}

    @locked
    def mark_read(self, item_id: int) -> None:
        """Remember that the item was opened in its current state; clears its new/changed mark.

        The read mark and the change mark are the item's by identity (matched among
        the meeting's marks against the items of the item's own document), and the
        read mark's anchor moves to the item as it is numbered and titled today. A
        read-only store records nothing and says nothing: reading must not fail
        because "read" cannot be remembered.
        """
        if self.read_only:
            return
        anchor = self.anchor(item_id)
        with self._lock:
            digest = self._content_hashes([item_id]).get(item_id, "")
            conn = self._conn
            conn.execute("BEGIN IMMEDIATE")
            try:
                document = conn.execute(
                    "SELECT document_id FROM items WHERE id = ?", (item_id,)
                ).fetchone()[0]
                items = self._document_items(document)
                where = (anchor.council, anchor.meeting_date, items)
                read = self._marks_of_items("item_reads", "read_at", *where).get(item_id)
                values = (anchor.number, anchor.case_number, anchor.title, digest, _now())
                if read is not None:
                    conn.execute(
                        "UPDATE item_reads SET number = ?, case_number = ?, title = ?,"
                        " content_hash = ?, read_at = ? WHERE id = ?",
                        (*values, read[0]),
                    )
                else:
                    conn.execute(
                        "INSERT INTO item_reads (number, case_number, title, content_hash,"
                        " read_at, council, meeting_date) VALUES (?, ?, ?, ?, ?, ?, ?)",
                        (*values, anchor.council, anchor.meeting_date),
                    )
                change = self._marks_of_items("item_changes", "kind", *where).get(item_id)
                if change is not None:
                    conn.execute("DELETE FROM item_changes WHERE id = ?", (change[0],))
                from kkr_tui.store import versions

                versions.forget(conn, anchor.council, anchor.meeting_date, items, item_id)
            except BaseException:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                raise
            conn.execute("COMMIT")

    @locked
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

    @locked
    def detect_changes_step(self, max_meetings: int = 25) -> tuple[int, bool]:
        """Detect changes in at most ``max_meetings`` changed meetings, in one transaction.

        Returns (items marked, whether every changed meeting has now been handled). A
        store's first detection (the baseline: record, mark nothing) can cover a whole
        archive; a sentinel row in ``seen_documents`` keeps it a baseline across steps
        and across an interrupted run, so it never turns into a wall of "new". The
        changed meetings are found by a join in SQLite, so a step costs about the same
        at 1M items as at 10k (~50 ms for 25 meetings of a first look).

        A read-only store records nothing: it is done at once, having marked nothing.
        """
        if self.read_only:
            return 0, True
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
                if conn.in_transaction:  # a full disk may have rolled it back already
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
        """Compare one meeting's item hashes with those seen; record and mark. Seen
        hashes, reads and marks are the items' by identity (:func:`match_anchors`), so
        a renumbered item is compared with itself. Bulk SQL: a per-item query pair
        made a 100k-item baseline take 6 s."""
        conn = self._conn
        rows = self._primary_items(council, date)
        hashes = self._content_hashes([r[0] for r in rows])
        seen_rows = self._marks("seen_items", "content_hash", council, date)
        matched = match_anchors([(r[0], r[1]) for r in seen_rows], rows)
        old = {matched[r[0]]: (r[0], r[2]) for r in seen_rows if r[0] in matched}
        # A seen item no item is by identity, at the number of an item nothing was seen
        # for (a title reworded, no case number): that item is "changed", not "new", and
        # takes the row over. This decides only the label and the seen hash's row;
        # reads and notes follow identity alone.
        unclaimed = {
            r[1].number: (r[0], r[2][0]) for r in reversed(seen_rows) if r[0] not in matched
        }
        reads = self._marks_of_items("item_reads", "content_hash", council, date, rows)
        marked = self._marks_of_items("item_changes", "kind", council, date, rows)
        seen_new: list[tuple[str, str | None, str, str, str, str]] = []
        seen_moved: list[tuple[str, str | None, str, str, int]] = []
        changes_new: list[tuple[str, str | None, str, str, str, str, str]] = []
        changes_moved: list[tuple[str, str | None, str, str, str, int]] = []
        # Items marked changed after this detection (marked before and not opened, or
        # now), and the hash the user saw of those marked now: their kept versions.
        changed = {item for item, mark in marked.items() if mark[1][0] == "changed"}
        fresh: dict[int, str | None] = {}
        for item_id, number, case, title in rows:
            digest = hashes[item_id]
            seen = old.get(item_id)
            seen_hash = None if seen is None else seen[1][0]
            if seen is None and number in unclaimed:
                row_id, seen_hash = unclaimed.pop(number)
                seen = (row_id, (None,))
            if seen is None:
                seen_new.append((number, case, title, digest, council, date))
            else:
                seen_moved.append((number, case, title, digest, seen[0]))
            if seen is not None and seen[1][0] == digest:
                continue
            read = reads.get(item_id)
            if first or (read is not None and read[1][0] == digest):
                continue
            kind = "new" if seen is None else "changed"
            mark = marked.get(item_id)
            if mark is None:
                changes_new.append((number, case, title, kind, now, council, date))
                if kind == "changed":
                    fresh[item_id] = seen_hash
            else:
                kind = "new" if mark[1][0] == "new" else kind
                changes_moved.append((number, case, title, kind, now, mark[0]))
            if kind == "changed":
                changed.add(item_id)
        conn.executemany(
            "INSERT INTO seen_items (number, case_number, title, content_hash, council,"
            " meeting_date) VALUES (?, ?, ?, ?, ?, ?)",
            seen_new,
        )
        conn.executemany(
            "UPDATE seen_items SET number = ?, case_number = ?, title = ?, content_hash = ?"
            " WHERE id = ?",
            seen_moved,
        )
        conn.executemany(
            "INSERT INTO item_changes (number, case_number, title, kind, detected_at, council,"
            " meeting_date) VALUES (?, ?, ?, ?, ?, ?, ?)",
            changes_new,
        )
        conn.executemany(
            "UPDATE item_changes SET number = ?, case_number = ?, title = ?, kind = ?,"
            " detected_at = ? WHERE id = ?",
            changes_moved,
        )
        from kkr_tui.store import versions

        versions.settle_meeting(conn, council, date, rows, fresh, changed, now)
        return len(changes_new) + len(changes_moved)

    @locked
    def changed_items(self) -> list[ChangedItem]:
        """Items marked new or changed and not opened since, newest meeting first; each
        mark is found on its item by identity in the meeting's primary document."""
        with self._lock:
            if not _has_tables(self._conn):
                return []
            meetings = self._conn.execute(
                "SELECT DISTINCT council, meeting_date FROM item_changes"
            ).fetchall()
            out: list[ChangedItem] = []
            for council, date in meetings:
                rows = self._primary_items(council, date)
                if not rows:
                    continue
                doc_type = self._conn.execute(
                    "SELECT d.doc_type FROM items i JOIN documents d"
                    " ON d.id = i.document_id WHERE i.id = ?",
                    (rows[0][0],),
                ).fetchone()[0]
                marks = self._marks_of_items(
                    "item_changes", "kind, detected_at", council, date, rows
                )
                for item_id, number, _case, title in rows:
                    if item_id in marks:
                        kind, detected = marks[item_id][1]
                        out.append(
                            ChangedItem(
                                ItemRef(item_id, council, date or None, doc_type, number, title),
                                kind,
                                detected,
                            )
                        )
        out.sort(key=lambda c: (c.meeting_date or "", c.council), reverse=True)
        return out

    @locked
    def previous_versions(self, item_ids: Iterable[int]) -> dict[int, ItemVersion]:
        """What the user last saw of these items, for those that changed since and were
        not opened (the version kept by :mod:`kkr_tui.store.versions`), each matched to
        the items of its own document by identity. Items without one are absent."""
        from kkr_tui.store import versions

        ids = list(item_ids)
        if not ids:
            return {}
        with self._lock:
            if not versions.has_versions(self._conn):
                return {}
            rows = self._anchor_rows(ids)
            out: dict[int, ItemVersion] = {}
            for document, council, date in {(r[1], r[2], r[3]) for r in rows}:
                items = self._document_items(document)
                kept = versions.kept_versions(self._conn, council, date, items)
                out.update((i, v) for i, v in kept.items() if i in ids)
        return out

    def _anchor_rows(self, ids: list[int]) -> list[Any]:
        """(id, document_id, council, date, …) of each item, for matching marks to items
        by identity; the caller holds the lock."""
        marks = ",".join("?" * len(ids))
        return self._conn.execute(
            _ANCHOR_SQL.replace("SELECT i.id,", "SELECT i.id, i.document_id,")
            + f" WHERE i.id IN ({marks})",
            ids,
        ).fetchall()

    @locked
    def item_marks(self, item_ids: Iterable[int]) -> dict[int, ItemMark]:
        """Tree marks for a batch of items (usually one section): note, new/changed, read,
        each matched to the items of their own document by identity."""
        ids = list(item_ids)
        if not ids:
            return {}
        with self._lock:
            if not _has_tables(self._conn):
                return {}
            rows = self._anchor_rows(ids)
            noted: set[int] = set()
            changes: dict[int, str] = {}
            reads: set[int] = set()
            for council, date in {(r[2], r[3]) for r in rows}:
                notes = self._meeting_notes(council, date)
                for document in {r[1] for r in rows if (r[2], r[3]) == (council, date)}:
                    items = self._document_items(document)
                    if notes:
                        noted.update(assign_notes(notes, items).values())
                    marked = self._marks_of_items("item_changes", "kind", council, date, items)
                    changes.update((i, m[1][0]) for i, m in marked.items())
                    reads.update(
                        self._marks_of_items("item_reads", "read_at", council, date, items)
                    )
        out: dict[int, ItemMark] = {}
        for item_id, *_rest in rows:
            # item_changes.kind holds only ChangeKind values (written by _detect_meeting).
            out[item_id] = ItemMark(item_id in noted, changes.get(item_id), item_id in reads)  # type: ignore[arg-type]
        return out
