"""Writing one parsed document: replace-or-insert inside the caller's transaction.

A document is identified by its content hash. Re-ingesting the same bytes changes
nothing; a new version of a document (same meeting and type, or same file path) takes
the old one's place, children first, so no rows are orphaned. Every function here
runs inside the single transaction opened by :meth:`Store.save_document`.
"""

from __future__ import annotations

import json
import re
import sqlite3
from collections import Counter
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from itertools import chain
from pathlib import PurePath
from typing import Any

from kkr_tui.model import Item, Meeting, PageWarning, ParseWarning
from kkr_tui.record import record
from kkr_tui.records import UNKNOWN_COUNCIL, UNKNOWN_YEAR
from kkr_tui.store import layout
from kkr_tui.textfold import fold

# Letters and digits, as FTS5's unicode61 tokenizer splits the (already folded) text.
_TOKEN_RE = re.compile(r"[^\W_]+")

#: ``json.dumps(..., ensure_ascii=False)`` without building an encoder on every call.
_dumps = json.JSONEncoder(ensure_ascii=False).encode


def _json_list(values: tuple[str, ...] | list[str]) -> str:
    return _dumps(list(values)) if values else "[]"


def warnings_json(
    warnings: tuple[ParseWarning, ...], page_warnings: tuple[PageWarning, ...]
) -> str:
    """A ``warnings`` column: the parser's warnings as ``{"code", "params"}``, then each
    page that could not be read (or a repair) as ``{"kind", "page", "reason"}``, so they
    stay typed in the store without a schema change (``reads.split_warnings`` takes them
    apart again; an older kkr-tui's English lines in the same column still read)."""
    entries: list[object] = [w.as_json() for w in warnings]
    entries += [w.as_json() for w in page_warnings]
    return _dumps(entries) if entries else "[]"


def tokens(text: str) -> set[str]:
    """The distinct ``[^\\W_]+`` runs of ``text``, a third cheaper than ``findall``.

    Whitespace-separated words that are all letters and digits (``str.isalnum`` is the
    regex's class exactly) are tokens as they stand; only the rest go through the regex.
    """
    found = set(text.split())
    odd = [word for word in found if not word.isalnum()]
    if odd:
        found.difference_update(odd)
        found.update(_TOKEN_RE.findall(" ".join(odd)))
    return found


def count_terms(rows: Iterable[tuple[str | None, str | None]]) -> Counter[str]:
    """Document frequency of each token over (title_folded, body_folded) rows."""
    return Counter(
        chain.from_iterable(tokens(f"{title or ''} {body or ''}") for title, body in rows)
    )


def queue_terms(conn: sqlite3.Connection, counts: Counter[str], *, removed: bool = False) -> None:
    """Record a document's term counts (negated when ``removed``) for :func:`settle_terms`.

    Upserting a document's ~1,500 terms into ``terms`` straight away cost about a third
    of storing it (~60 of ~170 ms for 106 items in 8 documents): the terms of every
    document are spread over the whole table, so each commit rewrote most of its
    leaf pages. One row of JSON here is cheap, and settling many documents at once
    writes each page once.
    """
    if counts:
        delta = {t: -n for t, n in counts.items()} if removed else counts
        conn.execute("INSERT INTO terms_pending (delta) VALUES (?)", (_dumps(delta),))


def new_id(cur: sqlite3.Cursor) -> int:
    """The rowid of the row an INSERT just made (sqlite3 types ``lastrowid`` as optional:
    None only before any INSERT on the cursor, which would be a bug here)."""
    rowid = cur.lastrowid
    if rowid is None:
        raise RuntimeError("the INSERT made no row")
    return rowid


def pending_documents(conn: sqlite3.Connection) -> int:
    """How many recorded term changes wait to be settled into ``terms``."""
    return int(conn.execute("SELECT count(*) FROM terms_pending").fetchone()[0])


def settle_terms(conn: sqlite3.Connection) -> bool:
    """Fold every recorded term change into ``terms``; False when there was none.

    One statement sums the changes per term (sorted, so ``terms`` is walked in key
    order) and upserts them, returning the new counts; terms no document uses any more
    are then deleted. Runs inside the caller's transaction.
    """
    last = conn.execute("SELECT max(id) FROM terms_pending").fetchone()[0]
    if last is None:
        return False
    gone = [
        (term,)
        for term, docs in conn.execute(
            "INSERT INTO terms (term, docs)"
            " SELECT j.key, sum(j.value) FROM terms_pending p, json_each(p.delta) j"
            " WHERE p.id <= ? GROUP BY j.key HAVING sum(j.value) != 0"
            " ON CONFLICT (term) DO UPDATE SET docs = docs + excluded.docs"
            " RETURNING term, docs",
            (last,),
        )
        if docs <= 0
    ]
    conn.executemany("DELETE FROM terms WHERE term = ?", gone)
    conn.execute("DELETE FROM terms_pending WHERE id <= ?", (last,))
    return True


def bump_content_version(conn: sqlite3.Connection) -> None:
    """Move the content version on: documents were stored, replaced or removed."""
    conn.execute("UPDATE content_version SET version = version + 1")


def meeting_key(meeting: Meeting, path: str) -> str:
    """The natural key of a meeting: council and date, or the file path when either is unknown.

    A document whose council or date the parser missed still gets a meeting of its own
    (never dropped), and a new version of that same file replaces it.
    """
    if meeting.council and meeting.meeting_date:
        return f"{meeting.council}|{meeting.meeting_date}"
    return f"?|{meeting.council or ''}|{meeting.meeting_date or ''}|{path}"


def fold_body(texts: Iterable[str]) -> str:
    """The folded text the full index holds for an item: its parts' text, then its
    attachment names, one a line. Computed again from the stored rows when the item is
    removed, so it must stay exactly what :func:`prepare_item` indexed."""
    return fold("\n".join(texts))


def folded_items(
    conn: sqlite3.Connection, where: str, params: Sequence[object]
) -> list[tuple[int, str, str]]:
    """(id, folded title, folded text) of the items ``where`` picks (an SQL condition on
    ``items``), the text folded from their parts and attachments as they were indexed."""
    rows = conn.execute(
        f"SELECT id, title_folded FROM items WHERE {where} ORDER BY id", list(params)
    ).fetchall()
    if not rows:
        return []
    texts = item_text_pieces(conn, f"SELECT id FROM items WHERE {where}", params)
    return [(item_id, title or "", fold_body(texts.get(item_id, []))) for item_id, title in rows]


def item_text_pieces(
    conn: sqlite3.Connection, picked: str, params: Sequence[Any]
) -> dict[int, list[str]]:
    """The pieces of each picked item's text in reading order: its parts, then its
    attachment names. ``picked`` is SQL giving item ids (a sub-select or ``?`` marks).

    One definition for both the indexed text and the snippets shown from it, so a
    snippet is always cut from the text the index matched."""
    texts: dict[int, list[str]] = {}
    for item_id, text in conn.execute(
        f"SELECT item_id, text FROM parts WHERE item_id IN ({picked}) ORDER BY item_id, position",
        list(params),
    ):
        texts.setdefault(item_id, []).append(text)
    for item_id, name in conn.execute(
        f"SELECT item_id, name FROM attachments WHERE item_id IN ({picked})"
        " ORDER BY item_id, position",
        list(params),
    ):
        texts.setdefault(item_id, []).append(name)
    return texts


def delete_document(conn: sqlite3.Connection, document_id: int) -> None:
    """Remove a document and everything under it, its items' rows in the full index
    first (contentless: FTS5 removes a row given exactly the text it indexed; the
    title index's rows go with the items' trigger)."""
    item_ids = "SELECT id FROM items WHERE document_id = ?"
    indexed = folded_items(conn, "document_id = ?", (document_id,))
    queue_terms(conn, count_terms((title, body) for _, title, body in indexed), removed=True)
    conn.executemany(
        "INSERT INTO items_fts(items_fts, rowid, title_folded, body_folded)"
        " VALUES ('delete', ?, ?, ?)",
        indexed,
    )
    conn.execute(f"DELETE FROM parts WHERE item_id IN ({item_ids})", (document_id,))
    conn.execute(f"DELETE FROM attachments WHERE item_id IN ({item_ids})", (document_id,))
    conn.execute("DELETE FROM links WHERE document_id = ?", (document_id,))
    conn.execute("DELETE FROM items WHERE document_id = ?", (document_id,))
    conn.execute("DELETE FROM sections WHERE document_id = ?", (document_id,))
    conn.execute("DELETE FROM participants WHERE document_id = ?", (document_id,))
    conn.execute("DELETE FROM documents WHERE id = ?", (document_id,))


def delete_empty_meetings(conn: sqlite3.Connection, meeting_ids: set[int]) -> None:
    """Drop meetings that no longer have any document."""
    for meeting_id in meeting_ids:
        conn.execute(
            "DELETE FROM meetings WHERE id = ? AND NOT EXISTS "
            "(SELECT 1 FROM documents WHERE meeting_id = ?)",
            (meeting_id, meeting_id),
        )


def upsert_meeting(conn: sqlite3.Connection, meeting: Meeting, key: str) -> int:
    """The id of the meeting for ``key``, created if new; place and time filled in when known."""
    row = conn.execute("SELECT id FROM meetings WHERE key = ?", (key,)).fetchone()
    if row:
        conn.execute(
            "UPDATE meetings SET place = coalesce(?, place),"
            " meeting_time = coalesce(?, meeting_time) WHERE id = ?",
            (meeting.place, meeting.meeting_time, row[0]),
        )
        return int(row[0])
    date = meeting.meeting_date
    cur = conn.execute(
        "INSERT INTO meetings (key, council, meeting_date, year, place, meeting_time)"
        " VALUES (?, ?, ?, ?, ?, ?)",
        (
            key,
            meeting.council or UNKNOWN_COUNCIL,
            date,
            int(date[:4]) if date else UNKNOWN_YEAR,
            meeting.place,
            meeting.meeting_time,
        ),
    )
    return new_id(cur)


def replaced_documents(
    conn: sqlite3.Connection, key: str, doc_type: str, path: str
) -> list[tuple[int, int]]:
    """(document id, meeting id) of stored versions the new document supersedes.

    Two indexed lookups joined by UNION: the single ``... OR d.path = ?`` query scanned
    every document (1.4 ms a save at 100k items, ten times that at 1M).
    """
    rows = conn.execute(
        "SELECT id, meeting_id FROM documents WHERE doc_type = ?"
        " AND meeting_id = (SELECT id FROM meetings WHERE key = ?)"
        " UNION SELECT id, meeting_id FROM documents WHERE path = ? ORDER BY 1",
        (doc_type, key, path),
    ).fetchall()
    return [(r[0], r[1]) for r in rows]


def document_files(conn: sqlite3.Connection, document_ids: list[int]) -> list[tuple[str, str]]:
    """(sha256, path) of stored documents: the files a save is about to replace."""
    if not document_ids:
        return []
    marks = ",".join("?" * len(document_ids))
    rows = conn.execute(
        f"SELECT sha256, path FROM documents WHERE id IN ({marks})", document_ids
    ).fetchall()
    return [(r[0], r[1]) for r in rows]


def record_superseded(
    conn: sqlite3.Connection,
    replaced_ids: list[int],
    files: list[tuple[str, str]],
    path: str,
    document_id: int,
) -> None:
    """Remember the files (sha256, path) that the new document ``document_id`` replaced.

    Only files at another path count: one replaced at the same path no longer exists
    as it was. Files that a replaced document (``replaced_ids``, a re-read of the same
    file included) had superseded move to the new one, so three versions in one
    folder, or a ``--reparse``, stay settled too. A file at the new path is the stored
    one now, not a superseded one.
    """
    if replaced_ids:
        marks = ",".join("?" * len(replaced_ids))
        conn.execute(
            f"UPDATE superseded_files SET document_id = ? WHERE document_id IN ({marks})",
            (document_id, *replaced_ids),
        )
    conn.executemany(
        "INSERT OR REPLACE INTO superseded_files (sha256, path, document_id) VALUES (?, ?, ?)",
        [(sha, old_path, document_id) for sha, old_path in files if old_path != path],
    )
    conn.execute("DELETE FROM superseded_files WHERE path = ?", (path,))


def forget_superseded(conn: sqlite3.Connection, document_id: int) -> None:
    """A removed document supersedes nothing: the files it replaced count as new again."""
    conn.execute("DELETE FROM superseded_files WHERE document_id = ?", (document_id,))


@record
class PreparedItem:
    """An item's stored columns, computed before any SQL runs (folding, JSON, in one pass).

    A record, not a ``NamedTuple``: a NamedTuple compiles each of its (string)
    annotations when the module loads, ~1 ms on the way to every search, which imports
    this module for the folding."""

    number: str
    title: str
    case_number: str | None
    initials: str
    first_page: int
    last_page: int
    warnings: str
    title_folded: str
    body_folded: str
    parts: tuple[tuple[str, str, str, str | None], ...]
    attachments: tuple[str, ...]
    urls: tuple[str, ...]


@record
class PreparedDocument:
    """The prepared items of a meeting, section by section, and their ``terms`` counts."""

    sections: tuple[tuple[PreparedItem, ...], ...]
    terms: Counter[str]


def prepare_item(item: Item) -> PreparedItem:
    """The columns :func:`insert_document` stores for ``item``."""
    part_texts = [part.text for part in item.parts]
    body = fold_body([*part_texts, *item.attachments])
    return PreparedItem(
        item.number,
        item.title,
        item.case_number.strip().upper() if item.case_number else None,
        _json_list(item.initials),
        item.first_page,
        item.last_page,
        warnings_json(item.warnings, item.page_warnings),
        fold(item.title),
        body,
        tuple(
            (part.kind, part.heading, text, layout.encode(part.blocks))
            for part, text in zip(item.parts, part_texts, strict=True)
        ),
        tuple(item.attachments),
        tuple(item.urls),
    )


def prepare_document(meeting: Meeting) -> PreparedDocument:
    """Everything of ``meeting``'s items that needs no database, ready to insert."""
    sections = tuple(tuple(map(prepare_item, section.items)) for section in meeting.sections)
    terms = count_terms((it.title_folded, it.body_folded) for items in sections for it in items)
    return PreparedDocument(sections, terms)


def insert_document(
    conn: sqlite3.Connection,
    meeting: Meeting,
    meeting_id: int,
    *,
    path: str,
    sha256: str,
    parser_version: str,
) -> int:
    """Insert a document with its sections, items, parts, attachments, links and participants."""
    prepared = prepare_document(meeting)
    cur = conn.execute(
        "INSERT INTO documents (meeting_id, doc_type, path, file_name, sha256, page_count,"
        " parser_version, ingested_at, warnings, links) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            meeting_id,
            meeting.doc_type,
            path,
            PurePath(path).name,
            sha256,
            meeting.page_count,
            parser_version,
            datetime.now(UTC).isoformat(timespec="seconds"),
            warnings_json(meeting.warnings, meeting.page_warnings),
            _json_list(meeting.links),
        ),
    )
    document_id = new_id(cur)
    conn.executemany(
        "INSERT INTO links (document_id, item_id, position, url) VALUES (?, NULL, ?, ?)",
        [(document_id, i, url) for i, url in enumerate(meeting.links)],
    )
    conn.executemany(
        "INSERT INTO participants (meeting_id, document_id, position, name, detail, absent)"
        " VALUES (?, ?, ?, ?, ?, ?)",
        [
            (meeting_id, document_id, i, p.name, p.detail, int(p.absent))
            for i, p in enumerate(meeting.participants)
        ],
    )
    council, year = conn.execute(
        "SELECT council, year FROM meetings WHERE id = ?", (meeting_id,)
    ).fetchone()
    filters = (council, year, meeting.doc_type)
    position = 0
    for s_pos, (section, items) in enumerate(zip(meeting.sections, prepared.sections, strict=True)):
        cur = conn.execute(
            "INSERT INTO sections (document_id, position, number, title, page)"
            " VALUES (?, ?, ?, ?, ?)",
            (document_id, s_pos, section.number, section.title, section.page),
        )
        section_id = new_id(cur)
        for item in items:
            _insert_item(conn, document_id, section_id, position, item, filters)
            position += 1
    queue_terms(conn, prepared.terms)
    return document_id


def _insert_item(
    conn: sqlite3.Connection,
    document_id: int,
    section_id: int,
    position: int,
    item: PreparedItem,
    filters: tuple[str, int, str],
) -> None:
    cur = conn.execute(
        "INSERT INTO items (document_id, section_id, position, number, title, case_number,"
        " initials, first_page, last_page, warnings, title_folded,"
        " council, year, doc_type) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            document_id,
            section_id,
            position,
            item.number,
            item.title,
            item.case_number,
            item.initials,
            item.first_page,
            item.last_page,
            item.warnings,
            item.title_folded,
            *filters,
        ),
    )
    item_id = new_id(cur)
    conn.execute(
        "INSERT INTO items_fts(rowid, title_folded, body_folded) VALUES (?, ?, ?)",
        (item_id, item.title_folded, item.body_folded),
    )
    conn.executemany(
        "INSERT INTO parts (item_id, position, kind, heading, text, layout)"
        " VALUES (?, ?, ?, ?, ?, ?)",
        [(item_id, i, *part) for i, part in enumerate(item.parts)],
    )
    if item.attachments:
        conn.executemany(
            "INSERT INTO attachments (item_id, position, name) VALUES (?, ?, ?)",
            [(item_id, i, name) for i, name in enumerate(item.attachments)],
        )
    if item.urls:
        conn.executemany(
            "INSERT INTO links (document_id, item_id, position, url) VALUES (?, ?, ?, ?)",
            [(document_id, item_id, i, url) for i, url in enumerate(item.urls)],
        )
