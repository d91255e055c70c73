"""What the user last saw of a changed item: the earlier version of its title and parts.

"Ændret" alone sends the user hunting through a long Sagsfremstilling for the one
changed sentence. To show what changed, the version the user saw must still be there
when the change is shown, also offline and after the replaced document is gone, so it
is kept in ``item_versions`` (DDL in :mod:`kkr_tui.store.schema`), beside the reading
marks and anchored as they are (council, date, number, case number, title; matched to
items by :func:`kkr_tui.store.notes.match_anchors`, never by item id).

When a version is kept:

- A new file replaces a stored document (a re-uploaded agenda): before the old rows
  are deleted, every item of it whose content hash is the one last *seen* for its
  meeting (``seen_items``) and whose content the new document does not have again
  is kept (:func:`pending_from_replaced`, then :func:`keep_replaced` in the same
  transaction). The seen hash is what the change marks compare with, so what is kept
  is exactly the version a "changed" mark is relative to.
- The minutes arrive for an agenda: the agenda stays stored, and detection
  (:func:`settle_meeting`) keeps the agenda item the user saw, so it outlives the agenda.

Bounds: at most one row per item (a second change before the item is opened keeps the
first row: the user still last saw that one), a row is dropped when its item is opened
(:func:`forget`), when detection finds its item not (or no longer) changed, and the
newest rows are kept up to :data:`MAX_KEPT_TOTAL_CHARS` altogether. A part beyond
:data:`MAX_KEPT_ITEM_CHARS` of an item's text keeps only a digest (it is known to have
changed, not how). A change mark without a row (older databases, or a version over
the bounds) is shown as "ændret" with a line saying the earlier version was not kept.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Sequence

from kkr_tui.record import record
from kkr_tui.records import ItemVersion, PartVersion, text_digest
from kkr_tui.store.notes import ItemKey, content_hashes, match_anchors
from kkr_tui.store.tables import has_table

#: The most text (characters of title and parts) one kept version holds; parts past it
#: keep only a digest. The longest item of the samples is ~11,500 characters.
MAX_KEPT_ITEM_CHARS = 64_000
#: The most text all kept versions hold together (the newest are kept): ~16 MB.
MAX_KEPT_TOTAL_CHARS = 16_000_000

TABLE = "item_versions"

_ITEM_SQL = (
    "SELECT i.id, m.council, coalesce(m.meeting_date, ''), d.doc_type, i.number,"
    " i.case_number, i.title FROM items i JOIN documents d ON d.id = i.document_id"
    " JOIN meetings m ON m.id = d.meeting_id"
)


@record
class Pending:
    """An item of a document about to be replaced, kept in memory until the new
    document is stored (then it is known whether the new one has the same content)."""

    council: str
    meeting_date: str
    doc_type: str
    number: str
    case_number: str | None
    title: str
    content_hash: str
    parts: str
    cut: bool


def has_versions(conn: sqlite3.Connection) -> bool:
    """Whether the table exists (an older database opened read-only lacks it)."""
    return has_table(conn, TABLE)


def _parts_json(conn: sqlite3.Connection, item_ids: Sequence[int]) -> dict[int, tuple[str, bool]]:
    """``{item id: (parts as JSON, cut)}``: the parts as :func:`decode` reads them back,
    texts past :data:`MAX_KEPT_ITEM_CHARS` replaced by their digest."""
    if not item_ids:
        return {}
    marks = ",".join("?" * len(item_ids))
    used = {
        item_id: len(title)
        for item_id, title in conn.execute(
            f"SELECT id, title FROM items WHERE id IN ({marks})", list(item_ids)
        )
    }
    parts: dict[int, list[dict[str, str]]] = {i: [] for i in item_ids}
    cut: set[int] = set()
    for item_id, kind, heading, text in conn.execute(
        f"SELECT item_id, kind, heading, text FROM parts WHERE item_id IN ({marks})"
        " ORDER BY item_id, position",
        list(item_ids),
    ):
        text = text or ""
        entry = {"kind": kind, "heading": heading or ""}
        if used.get(item_id, 0) + len(text) > MAX_KEPT_ITEM_CHARS:
            entry["digest"] = text_digest(text)
            cut.add(item_id)
        else:
            entry["text"] = text
            used[item_id] = used.get(item_id, 0) + len(text)
        parts[item_id].append(entry)
    return {
        i: (json.dumps(p, ensure_ascii=False, separators=(",", ":")), i in cut)
        for i, p in parts.items()
    }


def decode(row: Sequence[object]) -> ItemVersion:
    """A kept row (number, case_number, old_title, doc_type, parts, kept_at, cut) as a record."""
    number, case, title, doc_type, parts, kept_at, cut = row
    loaded = json.loads(str(parts))
    return ItemVersion(
        number=str(number),
        title=str(title),
        case_number=None if case is None else str(case),
        doc_type=str(doc_type),
        parts=tuple(
            PartVersion(p["kind"], p.get("heading", ""), p.get("text"), p.get("digest", ""))
            for p in loaded
        ),
        kept_at=str(kept_at),
        cut=bool(cut),
    )


def pending_from_replaced(conn: sqlite3.Connection, document_ids: Iterable[int]) -> list[Pending]:
    """The items of documents about to be replaced that are as the user last saw them
    (content hash = a seen hash of their meeting). Call before deleting them."""
    if not has_versions(conn):
        return []
    out: list[Pending] = []
    for document_id in document_ids:
        rows = conn.execute(_ITEM_SQL + " WHERE i.document_id = ?", (document_id,)).fetchall()
        if not rows:
            continue
        council, date = rows[0][1], rows[0][2]
        seen = {
            h
            for (h,) in conn.execute(
                "SELECT content_hash FROM seen_items WHERE council = ? AND meeting_date = ?",
                (council, date),
            )
        }
        if not seen:
            continue
        hashes = content_hashes(conn, [r[0] for r in rows])
        kept = [r for r in rows if hashes[r[0]] in seen]
        texts = _parts_json(conn, [r[0] for r in kept])
        out.extend(
            Pending(r[1], r[2], r[3], r[4], r[5], r[6], hashes[r[0]], *texts[r[0]]) for r in kept
        )
    return out


def _rows(conn: sqlite3.Connection, council: str, date: str) -> list[tuple[int, ItemKey, str]]:
    """The meeting's kept rows: (row id, (row id, number, case, title), content hash)."""
    return [
        (r[0], (r[0], r[1], r[2], r[3]), r[4])
        for r in conn.execute(
            f"SELECT id, number, case_number, title, content_hash FROM {TABLE}"
            " WHERE council = ? AND meeting_date = ?",
            (council, date),
        )
    ]


def keep_replaced(
    conn: sqlite3.Connection, pending: Sequence[Pending], new_document_id: int, now: str
) -> int:
    """Keep the pending items whose content the new document does not have again, unless
    their item already has a kept version (an unopened earlier change: the user last saw
    that one). Returns how many rows were written."""
    if not pending:
        return 0
    new_ids = [
        r[0] for r in conn.execute("SELECT id FROM items WHERE document_id = ?", (new_document_id,))
    ]
    again = set(content_hashes(conn, new_ids).values())
    written = 0
    from kkr_tui.records import Anchor

    for (council, date), group in _by_meeting(p for p in pending if p.content_hash not in again):
        existing = _rows(conn, council, date)
        hashes = {h for _i, _k, h in existing}
        keys: list[ItemKey] = [(n, p.number, p.case_number, p.title) for n, p in enumerate(group)]
        anchored = [(k[0], Anchor(council, date, k[1], k[2], k[3])) for _i, k, _h in existing]
        taken = set(match_anchors(anchored, keys).values())
        for n, p in enumerate(group):
            if n in taken or p.content_hash in hashes:
                continue
            _insert(conn, p, now)
            written += 1
    if written:
        _cap_total(conn)
    return written


def _by_meeting(pending: Iterable[Pending]) -> list[tuple[tuple[str, str], list[Pending]]]:
    groups: dict[tuple[str, str], list[Pending]] = {}
    for p in pending:
        groups.setdefault((p.council, p.meeting_date), []).append(p)
    return list(groups.items())


def _insert(conn: sqlite3.Connection, p: Pending, now: str) -> None:
    conn.execute(
        f"INSERT INTO {TABLE} (council, meeting_date, number, case_number, title,"
        " content_hash, doc_type, parts, cut, kept_at, old_title)"
        " VALUES (?,?,?,?,?,?,?,?,?,?,?)",
        (
            p.council,
            p.meeting_date,
            p.number,
            p.case_number,
            p.title,
            p.content_hash,
            p.doc_type,
            p.parts,
            int(p.cut),
            now,
            p.title,
        ),
    )


def _cap_total(conn: sqlite3.Connection) -> None:
    """Drop the oldest rows past :data:`MAX_KEPT_TOTAL_CHARS` altogether."""
    total = 0
    drop: list[tuple[int]] = []
    for row_id, size in conn.execute(
        f"SELECT id, length(parts) + length(title) FROM {TABLE} ORDER BY kept_at DESC, id DESC"
    ):
        total += size or 0
        if total > MAX_KEPT_TOTAL_CHARS:
            drop.append((row_id,))
    conn.executemany(f"DELETE FROM {TABLE} WHERE id = ?", drop)


def settle_meeting(
    conn: sqlite3.Connection,
    council: str,
    date: str,
    items: Sequence[ItemKey],
    fresh: dict[int, str | None],
    changed: set[int],
    now: str,
) -> None:
    """After one meeting's detection: each item marked changed keeps the version the user
    last saw; every other row of the meeting is dropped.

    ``fresh`` maps the items this detection newly marked changed to the content hash
    the user saw (None when unknown); their version is the row with that hash (kept
    when the document was replaced), else the item of another document of the meeting
    with that hash (the agenda, when the minutes arrived), copied now. ``changed`` is
    every item that carries a changed mark after this detection: an item marked before
    and not opened since keeps the row it has (by identity)."""
    if not has_versions(conn):
        return
    existing = _rows(conn, council, date)
    from kkr_tui.records import Anchor

    anchored = [(i, Anchor(council, date, k[1], k[2], k[3])) for i, k, _h in existing]
    by_identity = match_anchors(anchored, list(items))  # {row id: item id}
    of_item = {item: row for row, item in by_identity.items()}
    hashes = {row: h for row, _k, h in existing}
    claimed: dict[int, int] = {}  # row id -> item id
    for item_id in changed:
        if item_id in fresh:
            continue
        row = of_item.get(item_id)
        if row is not None:
            claimed[row] = item_id
    missing: dict[int, str] = {}
    for item_id, seen_hash in fresh.items():
        row = next(
            (
                r
                for r, h in hashes.items()
                if seen_hash is not None and h == seen_hash and r not in claimed
            ),
            None,
        )
        if row is not None:
            claimed[row] = item_id
        elif seen_hash is not None:
            missing[item_id] = seen_hash
    by_id = {k[0]: k for k in items}
    for row, item_id in claimed.items():
        _, number, case, title = by_id[item_id]
        conn.execute(
            f"UPDATE {TABLE} SET number = ?, case_number = ?, title = ? WHERE id = ?",
            (number, case, title, row),
        )
    drop = [(row,) for row in hashes if row not in claimed]
    conn.executemany(f"DELETE FROM {TABLE} WHERE id = ?", drop)
    if missing:
        _copy_from_other_documents(conn, council, date, items, missing, now)


def _copy_from_other_documents(
    conn: sqlite3.Connection,
    council: str,
    date: str,
    items: Sequence[ItemKey],
    missing: dict[int, str],
    now: str,
) -> None:
    """Keep, for items newly changed without a kept version, the item of another stored
    document of the meeting whose content is the one the user saw (the agenda's, when
    the minutes arrived), anchored to the changed item."""
    own = {k[0] for k in items}
    others: list[tuple[int, str, str, str, str, str | None, str]] = [
        r
        for r in conn.execute(
            _ITEM_SQL + " WHERE m.council = ? AND coalesce(m.meeting_date, '') = ?",
            (council, date),
        )
        if r[0] not in own
    ]
    if not others:
        return
    hashes = content_hashes(conn, [r[0] for r in others])
    source: dict[str, tuple[int, str, str, str, str, str | None, str]] = {}
    for r in others:
        source.setdefault(hashes[r[0]], r)
    wanted = {item_id: source[h] for item_id, h in missing.items() if h in source}
    texts = _parts_json(conn, [r[0] for r in wanted.values()])
    by_id = {k[0]: k for k in items}
    for item_id, r in wanted.items():
        _, number, case, title = by_id[item_id]
        text, cut = texts[r[0]]
        # The row's anchor is the changed item as it is today; old_title is the title
        # the user saw.
        conn.execute(
            f"INSERT INTO {TABLE} (council, meeting_date, number, case_number, title,"
            " content_hash, doc_type, parts, cut, kept_at, old_title)"
            " VALUES (?,?,?,?,?,?,?,?,?,?,?)",
            (council, date, number, case, title, missing[item_id], r[3], text, int(cut), now, r[6]),
        )
    if wanted:
        _cap_total(conn)


def forget(
    conn: sqlite3.Connection, council: str, date: str, items: Sequence[ItemKey], item_id: int
) -> None:
    """Drop the kept version of an item the user has now opened (matched by identity
    among the meeting's rows against ``items``, the item's own document)."""
    if not has_versions(conn):
        return
    from kkr_tui.records import Anchor

    existing = _rows(conn, council, date)
    anchored = [(i, Anchor(council, date, k[1], k[2], k[3])) for i, k, _h in existing]
    for row, matched in match_anchors(anchored, list(items)).items():
        if matched == item_id:
            conn.execute(f"DELETE FROM {TABLE} WHERE id = ?", (row,))


def kept_versions(
    conn: sqlite3.Connection, council: str, date: str, items: Sequence[ItemKey]
) -> dict[int, ItemVersion]:
    """``{item id: the version kept for it}`` among ``items`` (one document's items)."""
    if not has_versions(conn):
        return {}
    rows = conn.execute(
        f"SELECT id, number, case_number, title, old_title, doc_type, parts, kept_at, cut"
        f" FROM {TABLE} WHERE council = ? AND meeting_date = ?",
        (council, date),
    ).fetchall()
    if not rows:
        return {}
    from kkr_tui.records import Anchor

    anchored = [(r[0], Anchor(council, date, r[1], r[2], r[3])) for r in rows]
    matched = match_anchors(anchored, list(items))
    out: dict[int, ItemVersion] = {}
    for r in rows:
        if r[0] in matched:
            out[matched[r[0]]] = decode((r[1], r[2], r[4], r[5], r[6], r[7], r[8]))
    return out
