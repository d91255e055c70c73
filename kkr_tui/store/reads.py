"""Read queries for the tree, the panes and the search ranker.

Every query here is driven by an index (meetings by council/year/date, items by
section or document and position, items by case number or number), so browsing stays
cheap at a million items; nothing scans a whole table.
"""

from __future__ import annotations

import json
import sqlite3
from bisect import bisect_right
from collections.abc import Iterable, Sequence
from typing import Any

from kkr_tui.i18n import _
from kkr_tui.model import Block, PageWarning, ParseWarning, Part, Participant
from kkr_tui.records import (
    UNKNOWN_COUNCIL,
    DocItem,
    DocumentRow,
    ItemDetail,
    ItemRef,
    ItemRow,
    ItemSummary,
    MeetingDetail,
    MeetingRow,
    SectionRow,
)
from kkr_tui.store import layout
from kkr_tui.store.errors import NotFoundError, StoreError
from kkr_tui.store.schema import SEARCH_INDEX, filter_match
from kkr_tui.store.writes import folded_items, item_text_pieces

_DOC_ORDER = {"agenda": 0, "minutes": 1}

_ITEM_ROW_SQL = (
    "SELECT i.id, d.meeting_id, i.section_id, m.council, m.meeting_date, d.doc_type,"
    " i.number, i.title, i.case_number"
    " FROM items i JOIN documents d ON d.id = i.document_id"
    " JOIN meetings m ON m.id = d.meeting_id"
)

# The primary document of a meeting: minutes when stored, else the agenda.
_PRIMARY_DOC_SQL = (
    "SELECT id FROM documents WHERE meeting_id = ?"
    " ORDER BY CASE doc_type WHEN 'minutes' THEN 0 ELSE 1 END LIMIT 1"
)


def _item_row(row: Sequence[Any]) -> ItemRow:
    """``row``: id, meeting_id, section_id, council, date, doc_type, number, title, case."""
    ident, meeting_id, section_id, council, date, doc_type, number, title, case = row
    return ItemRow(
        ItemRef(ident, council, date, doc_type, number, title), meeting_id, section_id, case
    )


def _doc_types(concat: str | None) -> tuple[str, ...]:
    types = set((concat or "").split(",")) - {""}
    return tuple(sorted(types, key=lambda t: _DOC_ORDER.get(t, 9)))


def is_empty(conn: sqlite3.Connection) -> bool:
    """True when no document has been stored yet."""
    return conn.execute("SELECT 1 FROM documents LIMIT 1").fetchone() is None


def councils(conn: sqlite3.Connection) -> list[str]:
    """Councils with at least one meeting, alphabetically, the unknown council last."""
    names = [r[0] for r in conn.execute("SELECT DISTINCT council FROM meetings ORDER BY council")]
    return sorted(names, key=lambda n: (n == UNKNOWN_COUNCIL, n))


def years(conn: sqlite3.Connection, council: str) -> list[int]:
    """Years with meetings of ``council``, newest first (0 = unknown date, last)."""
    rows = conn.execute(
        "SELECT DISTINCT year FROM meetings WHERE council = ? ORDER BY year DESC", (council,)
    )
    found = [r[0] for r in rows]
    return [y for y in found if y] + [y for y in found if not y]


def meetings(conn: sqlite3.Connection, council: str, year: int) -> list[MeetingRow]:
    """The meetings of a council in a year, newest first."""
    rows = conn.execute(
        "SELECT m.id, m.council, m.meeting_date, m.place,"
        " (SELECT group_concat(doc_type) FROM documents WHERE meeting_id = m.id)"
        " FROM meetings m WHERE m.council = ? AND m.year = ?"
        " ORDER BY m.meeting_date DESC, m.id DESC",
        (council, year),
    )
    return [MeetingRow(r[0], r[1], r[2], r[3], _doc_types(r[4])) for r in rows]


def primary_document(conn: sqlite3.Connection, meeting_id: int) -> int | None:
    """The id of the meeting's minutes if stored, else its agenda."""
    row = conn.execute(_PRIMARY_DOC_SQL, (meeting_id,)).fetchone()
    return row[0] if row else None


def documents(conn: sqlite3.Connection, meeting_id: int) -> tuple[DocumentRow, ...]:
    """The stored files of a meeting, agenda first."""
    rows = conn.execute(
        "SELECT id, meeting_id, doc_type, path, sha256, page_count, parser_version, ingested_at,"
        " warnings FROM documents WHERE meeting_id = ?",
        (meeting_id,),
    ).fetchall()
    docs = [_document_row(*r) for r in rows]
    return tuple(sorted(docs, key=lambda d: (_DOC_ORDER.get(d.doc_type, 9), d.id)))


def _document_row(
    id_: int,
    meeting_id: int,
    doc_type: str,
    path: str,
    sha256: str,
    page_count: int,
    parser_version: str,
    ingested_at: str,
    warnings: str | None,
) -> DocumentRow:
    """A documents row with its warnings taken out of the ``warnings`` column."""
    notes, pages = split_warnings(warnings)
    return DocumentRow(
        id_,
        meeting_id,
        doc_type,
        path,
        sha256,
        page_count,
        parser_version,
        ingested_at,
        page_warnings=pages,
        warnings=notes,
    )


def find_document(conn: sqlite3.Connection, sha256: str) -> DocumentRow | None:
    """The stored document with this content hash, if any."""
    row = conn.execute(
        "SELECT id, meeting_id, doc_type, path, sha256, page_count, parser_version, ingested_at"
        " FROM documents WHERE sha256 = ?",
        (sha256,),
    ).fetchone()
    return DocumentRow(*row) if row else None


def all_documents(conn: sqlite3.Connection) -> list[DocumentRow]:
    """Every stored document, in the order they were stored (one query)."""
    rows = conn.execute(
        "SELECT id, meeting_id, doc_type, path, sha256, page_count, parser_version, ingested_at"
        " FROM documents ORDER BY id"
    ).fetchall()
    return [DocumentRow(*r) for r in rows]


def sections_of_document(conn: sqlite3.Connection, document_id: int) -> list[SectionRow]:
    """Sections of a document in order, with their item counts."""
    rows = conn.execute(
        "SELECT s.id, s.number, s.title,"
        " (SELECT count(*) FROM items WHERE section_id = s.id)"
        " FROM sections s WHERE s.document_id = ? ORDER BY s.position",
        (document_id,),
    )
    return [SectionRow(*r) for r in rows]


def sections(conn: sqlite3.Connection, meeting_id: int) -> list[SectionRow]:
    """Sections of the meeting's primary document."""
    document_id = primary_document(conn, meeting_id)
    return [] if document_id is None else sections_of_document(conn, document_id)


def items(conn: sqlite3.Connection, section_id: int) -> list[ItemRow]:
    """Items of a section in document order."""
    rows = conn.execute(
        _ITEM_ROW_SQL + " WHERE i.section_id = ? ORDER BY i.position", (section_id,)
    )
    return [_item_row(r) for r in rows]


def item_rows(conn: sqlite3.Connection, item_ids: Iterable[int]) -> dict[int, ItemRow]:
    """Item rows by id for a batch of ids (missing ids are simply absent)."""
    ids = list(item_ids)
    out: dict[int, ItemRow] = {}
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        marks = ",".join("?" * len(chunk))
        for r in conn.execute(_ITEM_ROW_SQL + f" WHERE i.id IN ({marks})", chunk):
            out[r[0]] = _item_row(r)
    return out


def _meeting_row(conn: sqlite3.Connection, meeting_id: int) -> tuple[Any, ...]:
    row = conn.execute(
        "SELECT m.id, m.council, m.meeting_date, m.place, m.meeting_time,"
        " (SELECT group_concat(doc_type) FROM documents WHERE meeting_id = m.id)"
        " FROM meetings m WHERE m.id = ?",
        (meeting_id,),
    ).fetchone()
    if row is None:
        raise NotFoundError(_("no meeting with id {id}").format(id=meeting_id))
    return tuple(row)


def _first_line(text: str | None) -> str | None:
    if not text:
        return None
    for line in text.splitlines():
        if line.strip():
            return line.strip()
    return None


def meeting(conn: sqlite3.Connection, meeting_id: int) -> MeetingDetail:
    """Everything the meeting pane shows."""
    m = _meeting_row(conn, meeting_id)
    document_id = primary_document(conn, meeting_id)
    participants: tuple[Participant, ...] = ()
    section_rows: list[SectionRow] = []
    summaries: list[ItemSummary] = []
    if document_id is not None:
        participants = tuple(
            Participant(r[0], r[1] or "", bool(r[2]))
            for r in conn.execute(
                "SELECT name, detail, absent FROM participants WHERE document_id = ?"
                " ORDER BY position",
                (document_id,),
            )
        )
        section_rows = sections_of_document(conn, document_id)
        rows = conn.execute(
            "SELECT i.id, i.number, i.title,"
            " (SELECT text FROM parts WHERE item_id = i.id AND kind = 'Indstilling'"
            "  ORDER BY position LIMIT 1),"
            " (SELECT text FROM parts WHERE item_id = i.id AND kind = 'Beslutning'"
            "  ORDER BY position LIMIT 1)"
            " FROM items i WHERE i.document_id = ? ORDER BY i.position",
            (document_id,),
        )
        summaries = [
            ItemSummary(r[0], r[1], r[2], _first_line(r[3]), _first_line(r[4])) for r in rows
        ]
    return MeetingDetail(
        id=m[0],
        council=m[1],
        meeting_date=m[2],
        place=m[3],
        doc_types=_doc_types(m[5]),
        time=m[4],
        participants=participants,
        documents=documents(conn, meeting_id),
        sections=tuple(section_rows),
        items=tuple(summaries),
    )


def split_warnings(raw: str | None) -> tuple[tuple[ParseWarning, ...], tuple[PageWarning, ...]]:
    """A ``warnings`` column taken apart: the parser's warnings (coded, or the English
    lines an older kkr-tui stored), and the page warnings ``writes.warnings_json``
    stores beside them as objects."""
    notes: list[ParseWarning] = []
    pages: list[PageWarning] = []
    for entry in json.loads(raw or "[]"):
        note = ParseWarning.from_json(entry)
        if note is not None:
            notes.append(note)
        elif isinstance(entry, dict) and entry.get("kind") in ("failed", "repaired"):
            pages.append(PageWarning.from_json(entry))
    return tuple(notes), tuple(pages)


def _parts(conn: sqlite3.Connection, item_id: int) -> tuple[Part, ...]:
    """An item's parts with their blocks: cut out of ``parts.text`` by ``parts.layout``,
    or, in a schema-3 database opened read-only (not migrated), from its ``blocks`` JSON."""
    try:
        rows = conn.execute(
            "SELECT kind, heading, text, layout FROM parts WHERE item_id = ? ORDER BY position",
            (item_id,),
        ).fetchall()
    except sqlite3.OperationalError as exc:
        if "layout" not in str(exc):
            raise
        return tuple(
            Part(kind, heading or "", tuple(Block(k, t, m) for k, t, m in json.loads(raw or "[]")))
            for kind, heading, raw in conn.execute(
                "SELECT kind, heading, blocks FROM parts WHERE item_id = ? ORDER BY position",
                (item_id,),
            )
        )
    return tuple(
        Part(kind, heading or "", layout.decode(text or "", shape))
        for kind, heading, text, shape in rows
    )


def item(conn: sqlite3.Connection, item_id: int) -> ItemDetail:
    """Everything the item pane renders."""
    row = conn.execute(
        _ITEM_ROW_SQL.replace(
            "SELECT ", "SELECT i.initials, i.first_page, i.last_page, i.warnings, d.path, ", 1
        )
        + " WHERE i.id = ?",
        (item_id,),
    ).fetchone()
    if row is None:
        raise NotFoundError(_("no item with id {id}").format(id=item_id))
    initials, first_page, last_page, warnings, path = row[:5]
    notes, page_warnings = split_warnings(warnings)
    try:
        parts = _parts(conn, item_id)
    except (layout.LayoutError, ValueError, TypeError, IndexError) as exc:
        raise StoreError(
            _(
                "item {id}: its text does not fit its layout; another program changed the database"
            ).format(id=item_id)
        ) from exc
    attachments = tuple(
        r[0]
        for r in conn.execute(
            "SELECT name FROM attachments WHERE item_id = ? ORDER BY position", (item_id,)
        )
    )
    urls = tuple(
        r[0]
        for r in conn.execute(
            "SELECT url FROM links WHERE item_id = ? ORDER BY position", (item_id,)
        )
    )
    ident, meeting_id, section_id, council, meeting_date, doc_type, number, title, case = row[5:]
    return ItemDetail(
        ItemRef(ident, council, meeting_date, doc_type, number, title),
        meeting_id,
        section_id,
        case,
        initials=tuple(json.loads(initials or "[]")),
        parts=parts,
        attachments=attachments,
        urls=urls,
        first_page=first_page or 0,
        last_page=last_page or 0,
        warnings=notes,
        source_path=path,
        page_warnings=page_warnings,
    )


def adjacent_item(conn: sqlite3.Connection, item_id: int, step: int) -> int | None:
    """The item ``step`` places after (negative: before) this one in the same document."""
    row = conn.execute(
        "SELECT document_id, position FROM items WHERE id = ?", (item_id,)
    ).fetchone()
    if row is None or step == 0:
        return None if row is None else item_id
    document_id, position = row
    if step > 0:
        sql = (
            "SELECT id FROM items WHERE document_id = ? AND position > ?"
            " ORDER BY position LIMIT 1 OFFSET ?"
        )
    else:
        sql = (
            "SELECT id FROM items WHERE document_id = ? AND position < ?"
            " ORDER BY position DESC LIMIT 1 OFFSET ?"
        )
    found = conn.execute(sql, (document_id, position, abs(step) - 1)).fetchone()
    return found[0] if found else None


def adjacent_meeting(conn: sqlite3.Connection, meeting_id: int, step: int) -> int | None:
    """The meeting of the same council ``step`` places later in time (negative: earlier).

    Undated meetings sort before every dated one.
    """
    row = conn.execute(
        "SELECT council, coalesce(meeting_date, ''), id FROM meetings WHERE id = ?",
        (meeting_id,),
    ).fetchone()
    if row is None or step == 0:
        return None if row is None else meeting_id
    council, date, mid = row
    if step > 0:
        sql = (
            "SELECT id FROM meetings WHERE council = ?"
            " AND (coalesce(meeting_date, '') > ? OR (coalesce(meeting_date, '') = ? AND id > ?))"
            " ORDER BY coalesce(meeting_date, ''), id LIMIT 1 OFFSET ?"
        )
    else:
        sql = (
            "SELECT id FROM meetings WHERE council = ?"
            " AND (coalesce(meeting_date, '') < ? OR (coalesce(meeting_date, '') = ? AND id < ?))"
            " ORDER BY coalesce(meeting_date, '') DESC, id DESC LIMIT 1 OFFSET ?"
        )
    found = conn.execute(sql, (council, date, date, mid, abs(step) - 1)).fetchone()
    return found[0] if found else None


def item_path(conn: sqlite3.Connection, item_id: int) -> tuple[str, int, int, int, int]:
    """(council, year, meeting id, section id, item id): the tree path that reveals an item."""
    row = conn.execute(
        "SELECT m.council, m.year, m.id, i.section_id, i.id FROM items i"
        " JOIN documents d ON d.id = i.document_id JOIN meetings m ON m.id = d.meeting_id"
        " WHERE i.id = ?",
        (item_id,),
    ).fetchone()
    if row is None:
        raise NotFoundError(_("no item with id {id}").format(id=item_id))
    council, year, meeting_id, section_id, item = row
    return council, year, meeting_id, section_id, item


def find_items_by_case_number(conn: sqlite3.Connection, case_number: str) -> list[ItemRow]:
    """Items carrying exactly this case number (case-insensitive), newest meeting first."""
    rows = conn.execute(
        _ITEM_ROW_SQL + " WHERE i.case_number = ?"
        " ORDER BY m.meeting_date DESC, d.doc_type DESC, i.position",
        (case_number.strip().upper(),),
    )
    return [_item_row(r) for r in rows]


def find_items_by_number(
    conn: sqlite3.Connection, number: str, meeting_id: int | None = None, limit: int | None = None
) -> list[ItemRow]:
    """Items numbered ``number`` (``3.4``): in the meeting's primary document, or everywhere.

    Everywhere means newest meeting first, minutes before agenda; ``limit`` caps it.
    """
    number = number.strip().rstrip(".")
    if meeting_id is not None:
        document_id = primary_document(conn, meeting_id)
        if document_id is None:
            return []
        rows = conn.execute(
            _ITEM_ROW_SQL + " WHERE i.document_id = ? AND i.number = ? ORDER BY i.position",
            (document_id, number),
        )
    else:
        rows = conn.execute(
            _ITEM_ROW_SQL + " WHERE i.number = ?"
            " ORDER BY m.meeting_date DESC, d.doc_type DESC, i.id DESC LIMIT ?",
            (number, -1 if limit is None else limit),
        )
    return [_item_row(r) for r in rows]


def vocabulary(
    conn: sqlite3.Connection, pending: Sequence[tuple[str, int]] = ()
) -> list[tuple[str, int]]:
    """Every indexed (folded) term with its document frequency, sorted by term
    (``pending``: the unsettled changes from :func:`pending_terms`, added in)."""
    rows = conn.execute("SELECT term, docs FROM terms ORDER BY term").fetchall()
    return _merge(rows, pending) if pending else rows


def content_version(conn: sqlite3.Connection) -> tuple[str, int] | None:
    """(database id, content version), or None for a database opened read-only from
    before they were kept."""
    try:
        row = conn.execute("SELECT store_id, version FROM content_version").fetchone()
    except sqlite3.OperationalError:
        return None
    return None if row is None else (row[0], row[1])


def has_table(conn: sqlite3.Connection, name: str) -> bool:
    """Whether the database has table ``name`` (a read-only older one may not)."""
    row = conn.execute("SELECT 1 FROM sqlite_master WHERE name = ?", (name,)).fetchone()
    return row is not None


def superseding_document(conn: sqlite3.Connection, sha256: str, path: str) -> DocumentRow | None:
    """The stored document that replaced the file at ``path`` with content ``sha256``."""
    row = conn.execute(
        "SELECT d.id, d.meeting_id, d.doc_type, d.path, d.sha256, d.page_count,"
        " d.parser_version, d.ingested_at FROM superseded_files s"
        " JOIN documents d ON d.id = s.document_id WHERE s.sha256 = ? AND s.path = ?",
        (sha256, path),
    ).fetchone()
    return DocumentRow(*row) if row else None


def has_pending_table(conn: sqlite3.Connection) -> bool:
    """Whether the database has ``terms_pending`` (a read-only older one may not)."""
    return (
        conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'terms_pending'").fetchone()
        is not None
    )


def pending_terms(conn: sqlite3.Connection) -> list[tuple[str, int]]:
    """The term-count changes not yet settled into ``terms``, summed per term and
    sorted by term (empty after a completed ingest; left by one that was killed, or
    being written by another program)."""
    return conn.execute(
        "SELECT j.key, sum(j.value) FROM terms_pending p, json_each(p.delta) j"
        " GROUP BY j.key HAVING sum(j.value) != 0 ORDER BY j.key"
    ).fetchall()


def _merge(
    rows: Sequence[tuple[str, int]], pending: Sequence[tuple[str, int]]
) -> list[tuple[str, int]]:
    """Sorted ``rows`` with the sorted ``pending`` changes added; terms left without
    documents dropped."""
    changes = dict(pending)
    merged = [(term, docs + changes.pop(term, 0)) for term, docs in rows]
    merged.extend(changes.items())
    if changes:
        merged.sort()
    return [(term, docs) for term, docs in merged if docs > 0]


def vocabulary_page(
    conn: sqlite3.Connection,
    after: str | None,
    limit: int,
    pending: Sequence[tuple[str, int]] = (),
) -> list[tuple[str, int]]:
    """The next ``limit`` (term, document frequency) rows after ``after``, sorted by term
    (a range scan of the ``terms`` primary key), with the ``pending`` changes (sorted,
    from :func:`pending_terms`) added in. Fewer than ``limit`` rows only at the end."""
    if not pending:
        return _terms_page(conn, after, limit)
    terms = [term for term, _ in pending]
    page: list[tuple[str, int]] = []
    cursor = after
    while len(page) < limit:
        rows = _terms_page(conn, cursor, limit)
        last = len(rows) == limit
        lo = 0 if cursor is None else bisect_right(terms, cursor)
        hi = bisect_right(terms, rows[-1][0]) if last else len(terms)
        page += _merge(rows, pending[lo:hi])
        if not last:
            break
        cursor = rows[-1][0]
    return page[:limit]


def _terms_page(conn: sqlite3.Connection, after: str | None, limit: int) -> list[tuple[str, int]]:
    if after is None:
        return conn.execute(
            "SELECT term, docs FROM terms ORDER BY term LIMIT ?", (limit,)
        ).fetchall()
    return conn.execute(
        "SELECT term, docs FROM terms WHERE term > ? ORDER BY term LIMIT ?", (after, limit)
    ).fetchall()


def _filter_sql(
    councils: Sequence[str] | None, year: int | None, doc_type: str | None, alias: str = "i"
) -> tuple[str, list[object]]:
    clauses: list[str] = []
    params: list[object] = []
    if councils is not None:
        clauses.append(f"{alias}.council IN ({','.join('?' * len(councils))})")
        params.extend(councils)
    if year is not None:
        clauses.append(f"{alias}.year = ?")
        params.append(year)
    if doc_type is not None:
        clauses.append(f"{alias}.doc_type = ?")
        params.append(doc_type)
    return "".join(f" AND {c}" for c in clauses), params


def search_candidates(
    conn: sqlite3.Connection,
    match: str,
    *,
    limit: int,
    councils: Sequence[str] | None = None,
    year: int | None = None,
    doc_type: str | None = None,
    titles: bool = False,
    dates: tuple[str, str] | None = None,
    runs: DateRuns | None = None,
) -> list[tuple[int, str]]:
    """Unranked FTS5 matches as (item id, folded title), newest rows first, capped at ``limit``.
    ``dates``: only items of meetings in this inclusive ISO range (``runs``: their
    :func:`date_runs`, when the caller has them already).

    No ``ORDER BY rank`` and no bm25: both need statistics over every row matching each
    term (a full doclist scan per term), which is what makes common words slow on big
    stores; in rowid order FTS5 stops after ``limit`` rows. ``titles`` searches the
    small title-only index, where the filters are tokens inside the MATCH; on the
    full index they are checked on the item row (no join to meetings or documents).
    Titles are read from the compact search index when the database has it (not when
    filters must be checked on the item row).

    With ``dates`` the index is asked only for the rowids of those meetings' items: a
    document's items have consecutive ids, so the range is a few runs of rowids
    (:func:`date_runs`), and FTS5 seeks each run in its doclists instead of walking
    every newer match and rejecting it (a common word over a large store was ~100 ms).
    The queries go newest first, so the rows come in the same order as from one query.
    The title index is asked once for runs that lie close together
    (:data:`TITLE_RUN_GAP`): a title query's word is a prefix (``"sundhedsreform"*``),
    which FTS5 answers by merging the doclists of every term with that prefix before
    it looks at a rowid (~3.5 ms at 1M items), once per query, so five runs a month
    cost five merges where one query over them all costs one and a few rejected rows.
    """
    if dates is None:
        return _candidates(conn, match, limit, councils, year, doc_type, titles, None)
    found: list[tuple[int, str]] = []
    span = date_runs(conn, dates) if runs is None else runs
    groups = _group_runs(span.runs, TITLE_RUN_GAP) if titles else [[run] for run in span.runs]
    for group in groups:
        within = _Within(group, span.documents)
        found += _candidates(
            conn, match, limit - len(found), councils, year, doc_type, titles, within
        )
        if len(found) >= limit:
            break
    return found


#: Runs of item ids asked of FTS5 one query each for a date range; beyond this many,
#: the closest runs are merged (their gaps' rows are still rejected by the date check).
MAX_DATE_RUNS = 16
#: Runs closer than this many ids are asked as one: each query costs FTS5 a look-up of
#: every term (a prefix's whole term range on the title index, ~1 ms), a row in a gap
#: only its rejection when it matches.
DATE_RUN_GAP = 4096
#: Runs closer than this many ids are asked of the title index in one query (its
#: prefix merge, ~3.5 ms at 1M items, is paid per query; a row between the runs is
#: rejected by its rowid, ~0.1 us, before its item is looked up).
TITLE_RUN_GAP = 65_536


class DateRuns:
    """The items of a date range as runs of ids (newest run first, each (first, last))
    and the ids of the documents they belong to (the exact check for a run's gaps)."""

    __slots__ = ("documents", "runs")

    def __init__(self, runs: list[tuple[int, int]], documents: tuple[int, ...]) -> None:
        self.runs = runs
        self.documents = documents

    def __repr__(self) -> str:
        return f"DateRuns({self.runs!r}, {len(self.documents)} documents)"


class _Within:
    """What one FTS query of a date range looks in: runs of rowids and documents."""

    __slots__ = ("documents", "runs")

    def __init__(self, runs: list[tuple[int, int]], documents: tuple[int, ...]) -> None:
        self.runs = runs
        self.documents = documents

    def sql(self, fts: str) -> str:
        """The WHERE terms (rowids first, so a row between the runs is rejected before
        its item is read). The ids are the database's own integers, written into the
        statement: a bound list would need one parameter each, and the subquery they
        replace (documents of meetings in the range) cost ~5 ms at 1M items per query."""
        low, high = min(r[0] for r in self.runs), max(r[1] for r in self.runs)
        sql = f" AND {fts}.rowid BETWEEN {int(low)} AND {int(high)}"
        if len(self.runs) > 1:
            each = " OR ".join(f"{fts}.rowid BETWEEN {int(a)} AND {int(b)}" for a, b in self.runs)
            sql += f" AND ({each})"
        ids = ",".join(str(int(d)) for d in self.documents)
        return sql + f" AND i.document_id IN ({ids})"


def _group_runs(runs: list[tuple[int, int]], gap: int) -> list[list[tuple[int, int]]]:
    """``runs`` (newest first) in groups of neighbours less than ``gap`` ids apart."""
    groups: list[list[tuple[int, int]]] = []
    for run in runs:
        if groups and groups[-1][-1][0] - run[1] <= gap:
            groups[-1].append(run)
        else:
            groups.append([run])
    return groups


def date_runs(conn: sqlite3.Connection, dates: tuple[str, str]) -> DateRuns:
    """The item ids of meetings in ``dates`` as (first, last) runs, newest run first,
    with the ids of their documents.

    Meetings are read first (a scan of the small meetings table; CROSS JOIN keeps SQLite
    from scanning every document instead), then each one's documents and their first and
    last item by index."""
    rows = conn.execute(
        "SELECT d.id, min(i.id), max(i.id) FROM meetings m CROSS JOIN documents d"
        " ON d.meeting_id = m.id JOIN items i ON i.document_id = d.id"
        " WHERE m.meeting_date BETWEEN ? AND ? GROUP BY d.id ORDER BY 2",
        dates,
    ).fetchall()
    runs: list[list[int]] = []
    for _doc, first, last in rows:
        if runs and first <= runs[-1][1] + DATE_RUN_GAP:
            runs[-1][1] = max(runs[-1][1], last)
        else:
            runs.append([first, last])
    while len(runs) > MAX_DATE_RUNS:
        gap = min(range(len(runs) - 1), key=lambda k: runs[k + 1][0] - runs[k][1])
        runs[gap][1] = runs.pop(gap + 1)[1]
    documents = tuple(sorted(doc for doc, _first, _last in rows))
    return DateRuns([(first, last) for first, last in reversed(runs)], documents)


def _candidates(
    conn: sqlite3.Connection,
    match: str,
    limit: int,
    councils: Sequence[str] | None,
    year: int | None,
    doc_type: str | None,
    titles: bool,
    within: _Within | None,
) -> list[tuple[int, str]]:
    """One FTS5 query of :func:`search_candidates`; ``within``: the runs of rowids and
    the documents of a date range to look in."""
    indexed = _search_index(conn)
    in_dates = ""
    fts = "titles_fts" if titles else "items_fts"
    if within is not None:
        indexed = ""
        in_dates = within.sql(fts)
    if titles:
        tags = filter_match(councils, year, doc_type)
        if tags:
            match = f"({match}) AND {tags}"
        sql = (
            f"SELECT i.id, i.title_folded FROM titles_fts JOIN items i{indexed}"
            " ON i.id = titles_fts.rowid"
            " WHERE titles_fts MATCH ?" + in_dates + " ORDER BY titles_fts.rowid DESC LIMIT ?"
        )
        return conn.execute(sql, [match, limit]).fetchall()
    where, params = _filter_sql(councils, year, doc_type)
    where += in_dates
    if where:
        indexed = ""
    sql = (
        f"SELECT i.id, i.title_folded FROM items_fts JOIN items i{indexed}"
        " ON i.id = items_fts.rowid"
        " WHERE items_fts MATCH ?" + where + " ORDER BY items_fts.rowid DESC LIMIT ?"
    )
    return conn.execute(sql, [match, *params, limit]).fetchall()


def _search_index(conn: sqlite3.Connection) -> str:
    """``INDEXED BY`` the compact search index, or "" on a database that lacks it yet
    (one opened read-only since the index was introduced).

    SQLite always looks a row up by its rowid rather than through a covering index, so
    the index has to be named.
    """
    found = conn.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'index' AND name = ?", (SEARCH_INDEX,)
    ).fetchone()
    return f" INDEXED BY {SEARCH_INDEX}" if found else ""


def filtered_items(
    conn: sqlite3.Connection,
    *,
    limit: int,
    councils: Sequence[str] | None = None,
    year: int | None = None,
    doc_type: str | None = None,
    dates: tuple[str, str] | None = None,
) -> list[ItemRow]:
    """Items matching only filters (no words): newest meeting first, each meeting's
    items in their order (minutes before agenda); ``dates`` an inclusive ISO range.

    The meetings are found and ordered first (a scan of the small meetings table), then
    their items fetched a few meetings at a time until ``limit``: one query joining
    every item to its meeting and sorting them all took ~115 ms at 1M items for a month
    (``februar 2025``) and ~125 ms for ``year:2024``, though 50 items of two or three
    meetings were wanted."""
    where, params = _filter_sql(councils, year, None, alias="m")
    if dates is not None:
        where += " AND m.meeting_date BETWEEN ? AND ?"
        params += [dates[0], dates[1]]
    meetings = [
        r[0]
        for r in conn.execute(
            "SELECT m.id FROM meetings m WHERE 1" + where
            + " ORDER BY coalesce(m.meeting_date, '') DESC, m.id DESC",
            params,
        )
    ]  # fmt: skip
    typed, type_params = (" AND d.doc_type = ?", [doc_type]) if doc_type is not None else ("", [])
    rows: list[ItemRow] = []
    start, step = 0, FILTERED_MEETINGS_FIRST
    while start < len(meetings) and len(rows) < limit:
        chunk = meetings[start : start + step]
        start, step = start + step, min(step * 4, TERMS_PER_QUERY)
        marks = ",".join("?" * len(chunk))
        found = conn.execute(
            _ITEM_ROW_BY_MEETING_SQL + f" WHERE d.meeting_id IN ({marks})" + typed
            + " ORDER BY coalesce(m.meeting_date, '') DESC, m.id DESC, d.doc_type DESC,"
            " i.position LIMIT ?",
            [*chunk, *type_params, limit - len(rows)],
        )  # fmt: skip
        rows += [_item_row(r) for r in found]
    return rows


#: Meetings whose items :func:`filtered_items` asks for first (then four times as many
#: each time): a meeting has 8-40 items, and a list wants 20-50.
FILTERED_MEETINGS_FIRST = 8

#: :data:`_ITEM_ROW_SQL` led by the documents of given meetings (CROSS JOIN keeps SQLite
#: from scanning every item instead).
_ITEM_ROW_BY_MEETING_SQL = (
    "SELECT i.id, d.meeting_id, i.section_id, m.council, m.meeting_date, d.doc_type,"
    " i.number, i.title, i.case_number"
    " FROM documents d CROSS JOIN items i ON i.document_id = d.id"
    " JOIN meetings m ON m.id = d.meeting_id"
)


def item_texts(conn: sqlite3.Connection, item_ids: Sequence[int]) -> dict[int, str]:
    """The display text (all parts, then attachment names) of a few items, for snippets."""
    if not item_ids:
        return {}
    pieces = item_text_pieces(conn, ",".join("?" * len(item_ids)), item_ids)
    return {i: "\n".join(pieces.get(i, [])) for i in item_ids}


# -- related-items support ("more like this" over the full-text index) --------------------


def folded_texts(conn: sqlite3.Connection, item_ids: Sequence[int]) -> dict[int, tuple[str, str]]:
    """(folded title, folded body) of a few items: the text the full-text index holds
    (folded again from the parts; the index keeps no copy)."""
    if not item_ids:
        return {}
    marks = ",".join("?" * len(item_ids))
    rows = folded_items(conn, f"id IN ({marks})", list(item_ids))
    return {item_id: (title, body) for item_id, title, body in rows}


#: Terms looked up per statement: the vocabulary of twenty long items runs to thousands,
#: and older SQLite builds allow 999 parameters a statement.
TERMS_PER_QUERY = 900


def term_counts(
    conn: sqlite3.Connection, terms: Sequence[str], pending: Sequence[tuple[str, int]] = ()
) -> dict[str, int]:
    """How many items hold each of ``terms`` (``pending``: unsettled changes, added in)."""
    if not terms:
        return {}
    counts: dict[str, int] = {}
    for start in range(0, len(terms), TERMS_PER_QUERY):
        chunk = list(terms[start : start + TERMS_PER_QUERY])
        marks = ",".join("?" * len(chunk))
        counts.update(conn.execute(f"SELECT term, docs FROM terms WHERE term IN ({marks})", chunk))
    wanted = set(terms)
    for term, delta in pending:
        if term in wanted:
            counts[term] = counts.get(term, 0) + delta
    return {term: docs for term, docs in counts.items() if docs > 0}


def item_count(conn: sqlite3.Connection) -> int:
    """Number of stored items (the N of a term's rarity)."""
    return int(conn.execute("SELECT count(*) FROM items").fetchone()[0])


def similar_items(
    conn: sqlite3.Connection,
    terms: Sequence[str],
    *,
    limit: int,
    among: Sequence[int] | None = None,
    title_weight: float = 3.0,
) -> list[tuple[int, float]]:
    """Items holding any of ``terms``, best first, scored by BM25 (higher = more alike).

    The terms are few and rare (chosen by rarity by the caller), so their doclists are
    short and BM25's statistics are cheap, unlike the search's common words. A title
    match counts ``title_weight`` times a body match. ``among`` restricts the rows
    scored (the score of one known pair, with the same statistics).
    """
    if not terms:
        return []
    match = " OR ".join('"' + t.replace('"', "") + '"' for t in terms)
    where, params = "", []
    if among is not None:
        where = f" AND rowid IN ({','.join('?' * len(among))})"
        params = list(among)
    rows = conn.execute(
        f"SELECT rowid, -bm25(items_fts, {float(title_weight)}, 1.0) FROM items_fts"
        " WHERE items_fts MATCH ?" + where + " ORDER BY rank LIMIT ?",
        [match, *params, limit],
    )
    return [(int(r[0]), float(r[1])) for r in rows]


# -- both documents of a meeting (meetingwork) ---------------------------------------


def meeting_document_items(conn: sqlite3.Connection, meeting_id: int) -> dict[str, list[DocItem]]:
    """Items of each stored document of a meeting (agenda, minutes) with both key parts."""
    out: dict[str, list[DocItem]] = {}
    docs = conn.execute(
        "SELECT id, doc_type, file_name FROM documents WHERE meeting_id = ?",
        (meeting_id,),
    ).fetchall()
    for document_id, doc_type, file_name in docs:
        rows = conn.execute(
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


def case_number_share(conn: sqlite3.Connection, item_ids: Iterable[int]) -> dict[int, int]:
    """For each item, how many items of its own document carry its case number (0: none)."""
    ids = list(item_ids)
    if not ids:
        return {}
    marks = ",".join("?" * len(ids))
    rows = conn.execute(
        "SELECT i.id, CASE WHEN i.case_number IS NULL THEN 0 ELSE"
        " (SELECT count(*) FROM items j WHERE j.case_number = i.case_number"
        "  AND j.document_id = i.document_id) END"
        f" FROM items i WHERE i.id IN ({marks})",
        ids,
    ).fetchall()
    return dict(rows)


def meeting_counts(conn: sqlite3.Connection) -> dict[str, int]:
    """Number of meetings per council (standing items recur in most of them)."""
    return dict(conn.execute("SELECT council, count(*) FROM meetings GROUP BY council"))


def _json_list(raw: str | None) -> list[str]:
    return [x for x in json.loads(raw or "[]") if isinstance(x, str)]
