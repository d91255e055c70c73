"""Term counts wait in ``terms_pending`` until settled, and every reader sees them anyway.

A save records its document's term counts as one row; ``settle_terms`` folds them into
``terms`` (at the end of an ingest run, before a vocabulary is read, or once
``SETTLE_TERMS_AFTER`` documents wait). Whatever is settled or not, the vocabulary a
reader gets must equal the full-text index's own (``items_fts_vocab``).
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from store_factory import SAMPLE_DIR, corpus_meetings, sha

import kkr_tui.store as store_module
from kkr_tui import ingest
from kkr_tui.store import Store, reads, writes


def _index_vocabulary(conn: sqlite3.Connection) -> list[tuple[str, int]]:
    return conn.execute("SELECT term, doc FROM items_fts_vocab ORDER BY term").fetchall()


def _pending_rows(conn: sqlite3.Connection) -> int:
    return conn.execute("SELECT count(*) FROM terms_pending").fetchone()[0]


def _save(store: Store, meetings: list, salt: str = "") -> None:
    for i, meeting in enumerate(meetings):
        store.save_document(
            meeting, path=f"/d/{i}.pdf", sha256=sha(meeting, salt), parser_version="t"
        )


def test_a_save_queues_its_terms_and_reading_the_vocabulary_settles_them(tmp_path: Path) -> None:
    meetings = corpus_meetings()[:3]
    with Store(tmp_path / "k.db") as store:
        _save(store, meetings)
        conn = store._conn
        assert _pending_rows(conn) == 3
        assert conn.execute("SELECT count(*) FROM terms").fetchone()[0] == 0
        token = store.change_token()
        assert store.vocabulary() == _index_vocabulary(conn)
        assert _pending_rows(conn) == 0
        assert store.change_token() == token  # settling changes no content
        assert conn.execute("SELECT term, docs FROM terms ORDER BY term").fetchall() == (
            _index_vocabulary(conn)
        )
        assert not store.settle_terms()


def test_replacing_and_deleting_net_out_before_settling(tmp_path: Path) -> None:
    meetings = corpus_meetings()
    with Store(tmp_path / "k.db") as store:
        _save(store, meetings)
        store.settle_terms()
        _save(store, list(reversed(meetings)), salt="v2")
        first = store._conn.execute("SELECT id FROM documents LIMIT 1").fetchone()[0]
        store.delete_document(first)
        assert _pending_rows(store._conn) > 0
        assert store.vocabulary() == _index_vocabulary(store._conn)
        assert not store._conn.execute("SELECT 1 FROM terms WHERE docs <= 0").fetchall()


def test_a_read_only_store_adds_the_pending_counts_in(tmp_path: Path) -> None:
    path = tmp_path / "k.db"
    meetings = corpus_meetings()
    with Store(path) as store:
        _save(store, meetings[:1])
        store.settle_terms()
        _save(store, meetings)
        first = store._conn.execute("SELECT min(id) FROM documents").fetchone()[0]
        store.delete_document(first)
        expected = _index_vocabulary(store._conn)
        pending = reads.pending_terms(store._conn)
        settled = dict(store._conn.execute("SELECT term, docs FROM terms"))
        assert any(term not in settled for term, _ in pending)
        assert any(settled.get(term, 0) + n <= 0 for term, n in pending)
    with Store(path, read_only=True) as store:
        assert store.vocabulary() == expected
        for limit in (1, 2, 7, 50):
            paged, after = [], None
            while True:
                page = store.vocabulary_page(after, limit)
                paged += page
                if len(page) < limit:
                    break
                after = page[-1][0]
            assert paged == expected, limit


def test_while_another_program_writes_the_vocabulary_neither_waits_nor_misses_terms(
    tmp_path: Path,
) -> None:
    path = tmp_path / "k.db"
    with Store(path) as store:
        _save(store, corpus_meetings()[:3])
        expected = _index_vocabulary(store._conn)
        other = sqlite3.connect(path, isolation_level=None)
        other.execute("BEGIN IMMEDIATE")
        try:
            assert store.vocabulary() == expected
            assert _pending_rows(store._conn) == 3  # not settled: the lock was taken
        finally:
            other.execute("ROLLBACK")
            other.close()
        store._pending_view = None
        assert store.vocabulary() == expected
        assert _pending_rows(store._conn) == 0


def test_saves_settle_once_enough_documents_wait(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(store_module, "SETTLE_TERMS_AFTER", 2)
    with Store(tmp_path / "k.db") as store:
        _save(store, corpus_meetings()[:5])
        assert _pending_rows(store._conn) == 1
        assert store._conn.execute("SELECT count(*) FROM terms").fetchone()[0] > 0


def test_an_ingest_run_leaves_nothing_pending(tmp_path: Path) -> None:
    if not SAMPLE_DIR.exists():
        pytest.skip("sample documents not available")
    with Store(tmp_path / "k.db") as store:
        summary = ingest.ingest_paths(store, [SAMPLE_DIR])
        assert summary.count("added") == 5
        assert _pending_rows(store._conn) == 0
        assert store._conn.execute("SELECT term, docs FROM terms ORDER BY term").fetchall() == (
            _index_vocabulary(store._conn)
        )


def test_an_older_database_without_the_table_is_read_and_then_given_it(tmp_path: Path) -> None:
    path = tmp_path / "k.db"
    with Store(path) as store:
        _save(store, corpus_meetings()[:2])
        store.settle_terms()
        store._conn.execute("DROP TABLE terms_pending")
        expected = _index_vocabulary(store._conn)
    with Store(path, read_only=True) as store:
        assert store.vocabulary() == expected
    with Store(path) as store:
        assert _pending_rows(store._conn) == 0
        assert store.vocabulary() == expected


TERMS = st.text(alphabet="abæø1", min_size=1, max_size=3)


@pytest.mark.slow
@settings(max_examples=200, deadline=None)
@given(
    stored=st.dictionaries(TERMS, st.integers(1, 3), max_size=30),
    changes=st.lists(st.dictionaries(TERMS, st.integers(-3, 3), max_size=12), max_size=4),
    limit=st.integers(1, 9),
)
def test_paging_with_pending_changes_equals_the_settled_table(
    stored: dict[str, int], changes: list[dict[str, int]], limit: int
) -> None:
    conn = sqlite3.connect(":memory:", isolation_level=None)
    conn.execute("CREATE TABLE terms (term TEXT PRIMARY KEY, docs INTEGER NOT NULL) WITHOUT ROWID")
    conn.execute("CREATE TABLE terms_pending (id INTEGER PRIMARY KEY, delta TEXT NOT NULL)")
    conn.executemany("INSERT INTO terms VALUES (?, ?)", stored.items())
    for delta in changes:
        conn.execute("INSERT INTO terms_pending (delta) VALUES (?)", (writes._dumps(delta),))
    pending = reads.pending_terms(conn)
    paged: list[tuple[str, int]] = []
    after = None
    while True:
        page = reads.vocabulary_page(conn, after, limit, pending)
        assert len(page) <= limit
        paged += page
        if len(page) < limit:
            break
        after = page[-1][0]
    assert paged == reads.vocabulary(conn, pending)
    conn.execute("BEGIN")
    writes.settle_terms(conn)
    conn.execute("COMMIT")
    assert paged == reads.vocabulary(conn)
    totals = dict(stored)
    for delta in changes:
        for term, n in delta.items():
            totals[term] = totals.get(term, 0) + n
    assert paged == sorted((t, n) for t, n in totals.items() if n > 0)


def test_a_store_that_cannot_write_just_now_still_reads_every_term(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with Store(tmp_path / "k.db") as store:
        _save(store, corpus_meetings()[:2])
        expected = _index_vocabulary(store._conn)

        def refuse(*args: object, **kwargs: object) -> bool:
            raise store_module.StoreReadOnlyError("the disk went read-only")

        monkeypatch.setattr(writes, "settle_terms", refuse)
        assert store.vocabulary() == expected
        assert _pending_rows(store._conn) == 2
