"""The bilag's own vocabulary: every folded term of the bilag pages and on how many pages.

The search corrects and completes a query word from the words it can match; for bilag
those were the items' words only, so a word only bilag use (most of a report's
compounds: ~60,000 of the 66,000 terms of the bench's 40,000 pages) was never
corrected. ``bilag_terms`` holds them with their page counts, kept in step in the
same transaction as the pages it counts (:func:`page_changes`, :func:`apply`).

Why a table and not FTS5's ``fts5vocab`` read when needed: reading ``bilag_fts``'s
vocabulary walks the whole index (0.28 s of CPU at 40,000 pages, ~0.7 s at 100,000),
and it would be read again after every bilag sync stores; the table costs a page
~0.1 ms when it is written (``bench/README.md``) and reads in a few ms. The terms are
split as FTS5's ``unicode61`` splits folded text (:func:`kkr_tui.store.writes.tokens`,
the items' vocabulary's splitter; on the bench's 40,000 pages the two agree term for
term and count for count), so the backfill of an existing store reads them from the
index itself (:func:`backfill`), fast, while writes count them in Python.
"""

from __future__ import annotations

import sqlite3
from collections import Counter
from collections.abc import Iterable, Sequence

from kkr_tui.store.writes import tokens

TABLE_SQL = (
    "CREATE TABLE IF NOT EXISTS bilag_terms ("
    " term TEXT PRIMARY KEY, pages INTEGER NOT NULL) WITHOUT ROWID"
)

_UPSERT = (
    "INSERT INTO bilag_terms (term, pages) VALUES (?, ?)"
    " ON CONFLICT (term) DO UPDATE SET pages = pages + excluded.pages"
)


def has_terms(conn: sqlite3.Connection) -> bool:
    """Whether the store keeps the bilag vocabulary (an older one opened read-only may
    not: its search then corrects from the items' words only, as it did)."""
    row = conn.execute(
        "SELECT 1 FROM sqlite_master WHERE type='table' AND name='bilag_terms'"
    ).fetchone()
    return row is not None


def ensure_terms(conn: sqlite3.Connection) -> None:
    """Create ``bilag_terms`` when missing and fill it from the pages already stored
    (inside the writable open's transaction, so it is there whole or not at all)."""
    if has_terms(conn):
        return
    conn.execute(TABLE_SQL)
    backfill(conn)


def backfill(conn: sqlite3.Connection) -> None:
    """Fill ``bilag_terms`` from ``bilag_fts``'s own vocabulary (a temporary
    ``fts5vocab`` table, dropped after): the index's terms in order, each with the
    number of pages it is on. 0.3 s of CPU at 40,000 pages, where splitting the pages'
    text again took 2.6 s."""
    present = conn.execute(
        "SELECT 1 FROM sqlite_master WHERE type='table' AND name='bilag_fts'"
    ).fetchone()
    if present is None or conn.execute("SELECT 1 FROM bilag_pages LIMIT 1").fetchone() is None:
        return
    conn.execute(
        "CREATE VIRTUAL TABLE IF NOT EXISTS temp.bilag_terms_source"
        " USING fts5vocab(main, 'bilag_fts', 'row')"
    )
    try:
        conn.execute(
            "INSERT INTO bilag_terms (term, pages) SELECT term, doc FROM temp.bilag_terms_source"
        )
    finally:
        conn.execute("DROP TABLE temp.bilag_terms_source")


def page_terms(folded_pages: Iterable[str]) -> Counter[str]:
    """How many of ``folded_pages`` each term is on."""
    counts: Counter[str] = Counter()
    for folded in folded_pages:
        counts.update(tokens(folded))
    return counts


def apply(conn: sqlite3.Connection, added: Counter[str], removed: Counter[str]) -> None:
    """Add the page counts of pages stored and take away those of pages removed, inside
    the caller's transaction; a term on no page any more is deleted. Sorted by term, so
    the table's pages are walked in order (a batch's ~3,000 terms touch many)."""
    delta = Counter(added)
    delta.subtract(removed)
    changes = sorted((term, n) for term, n in delta.items() if n)
    if not changes:
        return
    conn.executemany(_UPSERT, changes)
    gone = [(term,) for term, n in changes if n < 0]
    if gone:
        conn.executemany("DELETE FROM bilag_terms WHERE term = ? AND pages <= 0", gone)


def vocabulary(conn: sqlite3.Connection) -> list[tuple[str, int]] | None:
    """Every bilag term with its page count, sorted by term; None without the table."""
    if not has_terms(conn):
        return None
    return [(str(t), int(n)) for t, n in conn.execute("SELECT term, pages FROM bilag_terms")]


def starts(conn: sqlite3.Connection, word: str) -> bool:
    """Whether a term starts with ``word`` (the word itself included)."""
    row = conn.execute(
        "SELECT 1 FROM bilag_terms WHERE term >= ? AND term < ? LIMIT 1",
        (word, word + "\U0010ffff"),
    ).fetchone()
    return row is not None


def near(conn: sqlite3.Connection, word: str, shortest: int, longest: int) -> list[tuple[str, int]]:
    """The terms of ``shortest`` to ``longest`` characters that share ``word``'s first
    letter or its second, with their page counts, sorted by term (see
    ``BilagStore.bilag_terms_near``).

    Read as ranges of the table's key, as ``Vocabulary.fuzzy_every_term`` reads its
    sorted terms: the word's first letter, and its second after each first letter a
    term has (found by skipping through the key, ~35 look-ups): ~2 ms at 66,000 terms,
    where one pass over the table testing each term's letters took 7-10 ms, and
    reading it whole into a :class:`~kkr_tui.search.vocabulary.Vocabulary` ~35 ms and
    building that ~90 more on a search's first typo."""
    if not word:
        return []
    initials = [
        str(c)
        for (c,) in conn.execute(
            "WITH RECURSIVE i(c) AS (SELECT substr(min(term), 1, 1) FROM bilag_terms"
            " UNION ALL SELECT (SELECT substr(term, 1, 1) FROM bilag_terms"
            " WHERE term >= char(unicode(c) + 1) ORDER BY term LIMIT 1)"
            " FROM i WHERE c IS NOT NULL) SELECT c FROM i WHERE c IS NOT NULL"
        )
    ]
    starts = [word[0]]
    if len(word) > 1:
        starts += [c + word[1] for c in initials if c != word[0]]
    params: list[object] = []
    for start in starts:
        params += [start, start[:-1] + chr(ord(start[-1]) + 1), shortest, longest]
    sql = " UNION ALL ".join(
        [
            "SELECT term, pages FROM bilag_terms WHERE term >= ? AND term < ?"
            " AND length(term) BETWEEN ? AND ?"
        ]
        * len(starts)
    )
    return sorted((str(t), int(n)) for t, n in conn.execute(sql, params))


def pages_at_most(
    conn: sqlite3.Connection, groups: Sequence[Sequence[tuple[str, bool]]]
) -> int | None:
    """At most how many pages have a term of every group (each group's alternatives:
    (term, as a prefix)): the least, over the groups, of the pages its terms are on
    summed (a page with two of them counts twice, so it is a bound, not a count).
    None when it cannot be told: no table, no group, or a term FTS5 would split."""
    if not groups or not has_terms(conn):
        return None
    least: int | None = None
    for alternatives in groups:
        total = 0
        for term, prefix in alternatives:
            if not term.isalnum():
                return None
            if prefix:
                row = conn.execute(
                    "SELECT coalesce(sum(pages), 0) FROM bilag_terms WHERE term >= ? AND term < ?",
                    (term, term + "\U0010ffff"),
                ).fetchone()
            else:
                row = conn.execute(
                    "SELECT coalesce(sum(pages), 0) FROM bilag_terms WHERE term = ?", (term,)
                ).fetchone()
            total += int(row[0])
        least = total if least is None else min(least, total)
    return least
