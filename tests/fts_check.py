"""Check that the contentless full index holds exactly what the stored rows say.

A contentless FTS5 table keeps no copy of the text, so its own ``integrity-check``
cannot compare the index with the rows. This builds the index again, in memory, from
the items' parts as the store folds them, and compares every (term, item, column,
position) of the two: a row indexed with other text, or left behind by a removal that
gave other text than was indexed, shows up here.
"""

from __future__ import annotations

import sqlite3

from kkr_tui.store.writes import count_terms, folded_items


def assert_full_index_matches(conn: sqlite3.Connection) -> None:
    """Fail unless ``items_fts`` (and ``terms``, when settled) match the items' parts."""
    conn.execute("INSERT INTO items_fts(items_fts) VALUES ('integrity-check')")
    rows = folded_items(conn, "1", ())
    fresh = sqlite3.connect(":memory:")
    try:
        fresh.execute(
            "CREATE VIRTUAL TABLE f USING fts5(title_folded, body_folded, content='',"
            " tokenize='unicode61 remove_diacritics 2')"
        )
        fresh.executemany("INSERT INTO f(rowid, title_folded, body_folded) VALUES (?, ?, ?)", rows)
        fresh.execute("CREATE VIRTUAL TABLE v USING fts5vocab(f, instance)")
        expected = fresh.execute("SELECT * FROM v ORDER BY 1, 2, 3, 4").fetchall()
        sizes = fresh.execute("SELECT id, sz FROM f_docsize ORDER BY id").fetchall()
    finally:
        fresh.close()
    conn.execute(
        "CREATE VIRTUAL TABLE IF NOT EXISTS temp.check_v USING fts5vocab(main, items_fts, instance)"
    )
    try:
        stored = conn.execute("SELECT * FROM temp.check_v ORDER BY 1, 2, 3, 4").fetchall()
    finally:
        conn.execute("DROP TABLE temp.check_v")
    assert stored == expected, "the full index does not match the items' parts"
    stored_sizes = conn.execute("SELECT id, sz FROM items_fts_docsize ORDER BY id").fetchall()
    assert stored_sizes == sizes, "the full index's rows are not the items'"
    counts = count_terms((title, body) for _, title, body in rows)
    vocab = conn.execute("SELECT term, doc FROM items_fts_vocab ORDER BY term").fetchall()
    assert vocab == sorted(counts.items())
