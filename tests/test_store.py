"""Store: schema and keys, idempotent and atomic saves, replacement without orphans, reads."""

from __future__ import annotations

import hashlib
import sqlite3
import threading
from pathlib import Path

import pytest
from old_databases import check_integrity, downgrade_to_v2, v3_contents, v3_database
from store_factory import SAMPLE_DIR, corpus_meetings, fill_store, make_item, make_meeting, sha

from kkr_tui.model import Participant
from kkr_tui.records import UNKNOWN_COUNCIL, UNKNOWN_YEAR
from kkr_tui.store import (
    SCHEMA_VERSION,
    NotFoundError,
    Store,
    StoreBusyError,
    StoreError,
    StoreReadOnlyError,
    layout,
    writes,
)

CHILD_TABLES = ("sections", "items", "parts", "attachments", "links", "participants")


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "kkr.db"


@pytest.fixture
def store(db_path: Path):
    s = Store(db_path)
    yield s
    s.close()


def counts(store: Store) -> dict[str, int]:
    conn = store._conn
    tables = ("meetings", "documents", *CHILD_TABLES)
    return {t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in tables}


def three_items(title_prefix: str = "") -> list:
    return [
        make_item("1.1", f"{title_prefix}Godkendelse af referat", parts={"Indstilling": "Ja."}),
        make_item(
            "3.1",
            f"{title_prefix}Økonomi",
            parts={"Baggrund": "Tekst om økonomi.", "Beslutning": "Godkendt.\n\nMed ændringer."},
            attachments=["Bilag 1.pdf"],
            urls=["https://kl.dk/a"],
        ),
        make_item("3.2", f"{title_prefix}Klima", parts={"Indstilling": "Det indstilles."}),
    ]


def test_schema_has_keys_version_and_wal(store: Store) -> None:
    conn = store._conn
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    fks = {
        table: {(r[2], r[3]) for r in conn.execute(f"PRAGMA foreign_key_list({table})")}
        for table in ("documents", "sections", "items", "parts", "links", "participants")
    }
    assert ("meetings", "meeting_id") in fks["documents"]
    assert {("documents", "document_id"), ("sections", "section_id")} <= fks["items"]
    assert ("items", "item_id") in fks["parts"]
    for table in ("meetings", "documents", "items", "parts"):
        pk = [r[1] for r in conn.execute(f"PRAGMA table_info({table})") if r[5]]
        assert pk == ["id"]


def test_reopen_keeps_data_and_refuses_newer_schema(db_path: Path) -> None:
    with Store(db_path) as s:
        fill_store(s, corpus_meetings())
    with Store(db_path) as s:
        assert len(s.councils()) == 3
    conn = sqlite3.connect(db_path)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.close()
    with pytest.raises(StoreError, match="nyere"):
        Store(db_path)


def title_index(store: Store) -> list[tuple[int, str]]:
    rows = store._conn.execute(
        "SELECT rowid FROM titles_fts WHERE titles_fts MATCH 'okonomi OR klima' ORDER BY rowid"
    )
    return [r[0] for r in rows]


@pytest.mark.parametrize("old_version", [1, 2, 3])
def test_older_databases_are_migrated(db_path: Path, old_version: int) -> None:
    """A database the previous releases wrote (the fixture is one version 3 wrote) is
    migrated on its first writable open: every item shows the same blocks, search finds
    what it found, the notes and reading marks are untouched, and the store then writes
    and removes documents with every index in step."""
    v3_database(db_path)
    before = v3_contents(db_path)
    assert before["notes"] and before["item_reads"]
    if old_version <= 2:
        downgrade_to_v2(db_path)
    if old_version == 1:
        conn = sqlite3.connect(db_path)
        conn.execute("DROP TABLE terms")
        conn.execute("PRAGMA user_version = 1")
        conn.commit()
        conn.close()
    with Store(db_path) as s:
        assert s._conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        items = s._conn.execute(
            "SELECT id, number, title, case_number, council, year, doc_type FROM items ORDER BY id"
        ).fetchall()
        assert items == before["items"]
        for item_id, parts in before["blocks"].items():
            shown = [(p.kind, p.heading, p.blocks) for p in s.item(item_id).parts]
            assert shown == parts
        assert s.vocabulary() == before["vocabulary"]
        assert [(i,) for i in title_index(s)] == before["titles"]
        for table in ("notes", "item_reads", "seen_items", "item_changes", "seen_documents"):
            rows = s._conn.execute(f"SELECT * FROM {table} ORDER BY 1, 2, 3").fetchall()
            assert rows == before[table], table
        assert s.notes.changed_items() == []
        check_integrity(s)
        s.save_document(
            make_meeting(three_items("Ny "), date="2030-01-01"),
            path="/after.pdf",
            sha256="after-migration",
            parser_version="1",
        )
        check_integrity(s)
        assert len(title_index(s)) == len(before["titles"]) + 2
        for document in s.documents()[:2]:
            s.delete_document(document.id)
        s.settle_terms()
        check_integrity(s)


def test_a_failed_migration_changes_nothing(db_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A migration that fails half-way (here: the 40th part; a full disk or a kill is the
    same to SQLite's transaction) leaves the old database as it was, notes and marks
    included, and the next open migrates it."""
    v3_database(db_path)
    before = v3_contents(db_path)
    real = layout.encode
    calls = []

    def failing(blocks):  # noqa: ANN001, ANN202
        calls.append(1)
        if len(calls) == 10:
            raise OSError("disk on fire")
        return real(blocks)

    monkeypatch.setattr(layout, "encode", failing)
    with pytest.raises((OSError, StoreError)):
        Store(db_path)
    monkeypatch.setattr(layout, "encode", real)
    assert len(calls) == 10
    conn = sqlite3.connect(db_path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == 3
    conn.close()
    assert v3_contents(db_path) == before
    with Store(db_path) as s:
        assert s._conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        check_integrity(s)


def test_a_schema_3_database_is_read_as_it_is_when_read_only(db_path: Path) -> None:
    """A read-only open (a read-only drive, ``--read-only``) reads the previous layout
    without migrating it: the same blocks, the same search, the file unchanged."""
    v3_database(db_path)
    before = v3_contents(db_path)
    raw = db_path.read_bytes()
    with Store(db_path, read_only=True) as s:
        for item_id, parts in before["blocks"].items():
            assert [(p.kind, p.heading, p.blocks) for p in s.item(item_id).parts] == parts
        assert s.vocabulary() == before["vocabulary"]
        assert s.folded_texts([1])[1][1]
    assert db_path.read_bytes() == raw


def test_an_older_database_read_only_says_what_to_do(db_path: Path) -> None:
    v3_database(db_path)
    downgrade_to_v2(db_path)
    with pytest.raises(StoreError, match="kkr-tui ingest"):
        Store(db_path, read_only=True)


def test_foreign_database_is_refused(db_path: Path) -> None:
    conn = sqlite3.connect(db_path)
    conn.execute("CREATE TABLE other (x)")
    conn.close()
    with pytest.raises(StoreError, match="ikke en kkr-tui-database"):
        Store(db_path)


def test_same_file_twice_is_unchanged(store: Store) -> None:
    meeting = make_meeting(three_items())
    assert store.save_document(meeting, path="/a.pdf", sha256="x1", parser_version="1") == "added"
    before = counts(store)
    assert (
        store.save_document(meeting, path="/a.pdf", sha256="x1", parser_version="1") == "unchanged"
    )
    assert counts(store) == before
    assert store.find_document("x1").path == "/a.pdf"
    assert store.find_document("nope") is None


def test_new_version_of_same_meeting_replaces_without_orphans(store: Store) -> None:
    store.save_document(make_meeting(three_items()), path="/a.pdf", sha256="v1", parser_version="1")
    once = counts(store)
    status = store.save_document(
        make_meeting(three_items("Ny ")), path="/b.pdf", sha256="v2", parser_version="1"
    )
    assert status == "updated"
    assert counts(store) == once
    assert store.find_document("v1") is None
    titles = [
        r.title
        for s in store.sections(store.meetings("KKR Hovedstaden", 2025)[0].id)
        for r in store.items(s.id)
    ]
    assert titles == ["Ny Godkendelse af referat", "Ny Økonomi", "Ny Klima"]
    check_integrity(store)


def test_same_path_new_content_for_other_meeting_drops_old_meeting(store: Store) -> None:
    store.save_document(
        make_meeting(three_items(), date="2024-01-01"),
        path="/a.pdf",
        sha256="v1",
        parser_version="1",
    )
    status = store.save_document(
        make_meeting(three_items(), date="2024-02-02"),
        path="/a.pdf",
        sha256="v2",
        parser_version="1",
    )
    assert status == "updated"
    assert [m.meeting_date for m in store.meetings("KKR Hovedstaden", 2024)] == ["2024-02-02"]
    assert counts(store)["meetings"] == 1
    check_integrity(store)


def test_agenda_and_minutes_share_a_meeting_minutes_primary(store: Store) -> None:
    store.save_document(
        make_meeting(three_items()), path="/agenda.pdf", sha256="a", parser_version="1"
    )
    minutes = make_meeting(
        [make_item("1.1", "Referat-punkt", parts={"Beslutning": "Godkendt."})],
        doc_type="minutes",
        participants=[Participant("Anna Ø", "Køge"), Participant("Bo", "", absent=True)],
        place="KL-huset",
    )
    assert store.save_document(minutes, path="/m.pdf", sha256="m", parser_version="1") == "added"
    [row] = store.meetings("KKR Hovedstaden", 2025)
    assert row.doc_types == ("agenda", "minutes")
    assert row.label == "18.06.2025 · Dagsorden / Referat"
    assert row.place == "KL-huset"
    [section] = store.sections(row.id)
    assert [i.title for i in store.items(section.id)] == ["Referat-punkt"]
    detail = store.meeting(row.id)
    assert [d.doc_type for d in detail.documents] == ["agenda", "minutes"]
    assert detail.participants == (Participant("Anna Ø", "Køge"), Participant("Bo", "", True))
    assert detail.items[0].beslutning_first_line == "Godkendt."
    assert detail.items[0].indstilling_first_line is None


def test_failure_mid_document_leaves_nothing_behind(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    store.save_document(make_meeting(three_items()), path="/a.pdf", sha256="v1", parser_version="1")
    before = counts(store)
    real = writes._insert_item
    calls = []

    def failing(*args, **kwargs):
        calls.append(1)
        if len(calls) == 2:
            raise RuntimeError("disk on fire")
        return real(*args, **kwargs)

    monkeypatch.setattr(writes, "_insert_item", failing)
    with pytest.raises(RuntimeError, match="disk on fire"):
        store.save_document(
            make_meeting(three_items("Ny ")), path="/a.pdf", sha256="v2", parser_version="1"
        )
    assert counts(store) == before
    assert store.find_document("v1") is not None
    assert store.find_document("v2") is None
    check_integrity(store)
    monkeypatch.setattr(writes, "_insert_item", real)
    assert (
        store.save_document(
            make_meeting(three_items("Ny ")), path="/a.pdf", sha256="v2", parser_version="1"
        )
        == "updated"
    )


def test_unknown_council_and_date_are_kept(store: Store) -> None:
    for i, path in enumerate(["/x.pdf", "/y.pdf"]):
        meeting = make_meeting(three_items(), council=None, date=None)
        assert store.save_document(meeting, path=path, sha256=f"u{i}", parser_version="1") == (
            "added"
        )
    assert store.councils() == [UNKNOWN_COUNCIL]
    assert store.years(UNKNOWN_COUNCIL) == [UNKNOWN_YEAR]
    rows = store.meetings(UNKNOWN_COUNCIL, UNKNOWN_YEAR)
    assert len(rows) == 2
    assert rows[0].label == "Uden dato · Dagsorden"
    meeting = make_meeting(three_items("Ny "), council=None, date=None)
    assert store.save_document(meeting, path="/x.pdf", sha256="u9", parser_version="1") == (
        "updated"
    )
    assert len(store.meetings(UNKNOWN_COUNCIL, UNKNOWN_YEAR)) == 2


def test_tree_reads(store: Store) -> None:
    fill_store(store, corpus_meetings())
    store.save_document(
        make_meeting(three_items(), date="2025-09-01"),
        path="/late.pdf",
        sha256="late",
        parser_version="1",
    )
    assert store.councils() == ["KKR Hovedstaden", "KKR Midtjylland", "KKR Syddanmark"]
    assert store.years("KKR Hovedstaden") == [2025]
    rows = store.meetings("KKR Hovedstaden", 2025)
    assert [r.meeting_date for r in rows] == ["2025-09-01", "2025-06-18"]
    assert store.adjacent_meeting(rows[1].id, 1) == rows[0].id
    assert store.adjacent_meeting(rows[0].id, -1) == rows[1].id
    assert store.adjacent_meeting(rows[0].id, 1) is None
    sections = store.sections(rows[1].id)
    assert [(s.number, s.title, s.item_count) for s in sections] == [
        (1, "Sektion 1", 1),
        (3, "Sektion 3", 3),
    ]
    first = store.items(sections[0].id)[0]
    assert (first.number, first.council, first.doc_type) == ("1.1", "KKR Hovedstaden", "agenda")
    second = store.adjacent_item(first.id, 1)
    assert store.item(second).number == "3.3"
    assert store.adjacent_item(first.id, 4) is None
    assert store.adjacent_item(first.id, -1) is None
    assert store.adjacent_item(second, -1) == first.id
    assert store.item_path(second) == ("KKR Hovedstaden", 2025, rows[1].id, sections[1].id, second)
    assert not store.is_empty()


def test_item_detail_round_trips_the_model(store: Store) -> None:
    tricky = "[@click=app.quit]x[/] Æbleø [å] a\\[b]"
    item = make_item(
        "3.1",
        tricky,
        "sag-2025-00042",
        {"Baggrund": "Første afsnit.\n\nAndet [bold]afsnit[/bold].", "Bilag": "Bilag 1"},
        attachments=["Bilag 1 [fortroligt].pdf"],
        urls=["https://kl.dk/x", "mailto:a@kl.dk"],
        first_page=4,
    )
    store.save_document(make_meeting([item]), path="/a.pdf", sha256="s", parser_version="7")
    [section] = store.sections(store.meetings("KKR Hovedstaden", 2025)[0].id)
    [row] = store.items(section.id)
    detail = store.item(row.id)
    assert detail.title == tricky
    assert detail.case_number == "SAG-2025-00042"
    assert detail.parts == item.parts
    assert detail.attachments == item.attachments
    assert detail.urls == item.urls
    assert (detail.first_page, detail.last_page) == (4, 5)
    assert detail.initials == ("abc",)
    assert detail.source_path == "/a.pdf"
    with pytest.raises(NotFoundError):
        store.item(row.id + 1000)


def test_find_by_case_number_and_number(store: Store) -> None:
    fill_store(store, corpus_meetings())
    rows = store.find_items_by_case_number("sag-2025-02163")
    assert [r.title for r in rows] == ["Dimensionering af pædagoguddannelsen"]
    assert store.find_items_by_case_number("SAG-1999-00000") == []
    midt = store.meetings("KKR Midtjylland", 2024)[0].id
    assert [r.council for r in store.find_items_by_number("3.1", midt)] == ["KKR Midtjylland"]
    everywhere = store.find_items_by_number("3.1.")
    assert [r.meeting_date for r in everywhere] == ["2024-09-02", "2023-03-10"]
    assert len(store.find_items_by_number("3.1", limit=1)) == 1


def test_read_only_never_writes(db_path: Path) -> None:
    with pytest.raises(StoreError):
        Store(db_path, read_only=True)
    with Store(db_path) as s:
        fill_store(s, corpus_meetings())
    digest = hashlib.sha256(db_path.read_bytes()).hexdigest()
    with Store(db_path, read_only=True) as ro:
        assert len(ro.councils()) == 3
        with pytest.raises(StoreReadOnlyError):
            ro.save_document(make_meeting(three_items()), path="/z", sha256="z", parser_version="1")
        with pytest.raises(sqlite3.OperationalError):
            ro._conn.execute("DELETE FROM items")
    assert hashlib.sha256(db_path.read_bytes()).hexdigest() == digest


def test_locked_database_waits_then_fails_clearly(db_path: Path) -> None:
    Store(db_path).close()
    blocker = sqlite3.connect(db_path, isolation_level=None)
    blocker.execute("BEGIN IMMEDIATE")
    try:
        with Store(db_path, busy_timeout=0.2) as s:
            with pytest.raises(StoreBusyError, match="optaget"):
                s.save_document(
                    make_meeting(three_items()), path="/a", sha256="a", parser_version="1"
                )
            assert s.is_empty()
    finally:
        blocker.execute("ROLLBACK")
        blocker.close()


def test_store_is_usable_from_several_threads(store: Store) -> None:
    errors: list[BaseException] = []

    def work(n: int) -> None:
        try:
            for k in range(5):
                meeting = make_meeting(three_items(f"T{n}-{k} "), date=f"2020-01-{n + 1:02d}")
                store.save_document(
                    meeting, path=f"/{n}/{k}", sha256=sha(meeting), parser_version="1"
                )
                store.councils()
                store.meetings("KKR Hovedstaden", 2020)
        except BaseException as exc:  # noqa: BLE001
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert len(store.meetings("KKR Hovedstaden", 2020)) == 4
    check_integrity(store)


@pytest.mark.skipif(not SAMPLE_DIR.exists(), reason="sample documents not available")
def test_ingest_sample_documents(store: Store) -> None:
    parser = pytest.importorskip("kkr_tui.parser")
    sources = pytest.importorskip("kkr_tui.sources")
    total = 0
    for path in sorted(SAMPLE_DIR.glob("*.txt")):
        meeting = parser.parse(sources.read_document(path))
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        assert (
            store.save_document(
                meeting, path=str(path), sha256=digest, parser_version=parser.PARSER_VERSION
            )
            == "added"
        )
        assert (
            store.save_document(
                meeting, path=str(path), sha256=digest, parser_version=parser.PARSER_VERSION
            )
            == "unchanged"
        )
        total += len(meeting.items())
    assert counts(store)["items"] == total == 64
    assert store.years("KKR Hovedstaden") == [2025, 2022, 2021]
    labels = [m.label for m in store.meetings("KKR Hovedstaden", 2025)]
    assert labels == ["18.06.2025 · Dagsorden", "03.02.2025 · Referat"]
    [hit] = store.find_items_by_case_number("SAG-2019-05100")
    assert hit.title == "Etablering af sundhedsklynger"
    check_integrity(store)


def _segments(store: Store, table: str) -> int:
    """FTS5 segments of ``table``: one b-tree per stored batch until they are merged."""
    return store._conn.execute(f"SELECT count(DISTINCT segid) FROM {table}_idx").fetchone()[0]


def test_tidy_index_merges_segments_and_keeps_every_answer(db_path: Path) -> None:
    with Store(db_path) as s:
        fill_store(s, corpus_meetings())
        queries = ['"okonomi"', '"klima"*', '"sundhedsreform"*', '"borgerservice"']
        before = {q: sorted(s.search_candidates(q, limit=1000)) for q in queries}
        titles = {q: sorted(s.search_candidates(q, limit=1000, titles=True)) for q in queries}
        assert _segments(s, "items_fts") > 1
        assert s.tidy_index(60) is True
        assert _segments(s, "items_fts") == 1 and _segments(s, "titles_fts") == 1
        check_integrity(s)
        assert {q: sorted(s.search_candidates(q, limit=1000)) for q in queries} == before
        assert {
            q: sorted(s.search_candidates(q, limit=1000, titles=True)) for q in queries
        } == titles
        assert any(before.values())
        assert s.tidy_index(60) is True  # nothing left to merge


def test_tidy_index_on_a_read_only_store_declines(db_path: Path) -> None:
    with Store(db_path) as s:
        fill_store(s, corpus_meetings())
    with Store(db_path, read_only=True) as s:
        assert s.tidy_index(1) is False


def test_reparse_replaces_in_one_transaction(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    """A re-parse of the same bytes by a newer parser swaps old rows for new atomically:
    a failure half-way keeps the old parse whole."""
    old = make_meeting(three_items())
    store.save_document(old, path="/a.pdf", sha256="same", parser_version="1")
    before = counts(store)
    new = make_meeting(three_items("Ny "))
    assert store.save_document(new, path="/a.pdf", sha256="same", parser_version="1") == "unchanged"
    assert (
        store.save_document(new, path="/a.pdf", sha256="same", parser_version="1", reparse=True)
        == "unchanged"
    )  # same parser version: nothing to redo

    real = writes._insert_item

    def failing(*args, **kwargs):
        raise RuntimeError("killed mid-way")

    monkeypatch.setattr(writes, "_insert_item", failing)
    with pytest.raises(RuntimeError):
        store.save_document(new, path="/a.pdf", sha256="same", parser_version="2", reparse=True)
    assert counts(store) == before
    assert store.find_document("same").parser_version == "1"
    check_integrity(store)
    monkeypatch.setattr(writes, "_insert_item", real)
    status = store.save_document(
        new, path="/a.pdf", sha256="same", parser_version="2", reparse=True
    )
    assert status == "updated"
    assert store.find_document("same").parser_version == "2"
    assert counts(store) == before
    check_integrity(store)


def test_documents_lists_every_stored_document_in_one_query(store: Store) -> None:
    """``--reparse`` without paths needs every document; walking councils, years and
    meetings took a query per meeting, and missed none only by luck of the tree."""
    store.save_document(make_meeting(three_items()), path="/a.pdf", sha256="a", parser_version="1")
    store.save_document(
        make_meeting(three_items(), council=None, date=None, doc_type="minutes"),
        path="/b.pdf",
        sha256="b",
        parser_version="2",
    )
    statements: list[str] = []
    store._conn.set_trace_callback(statements.append)
    rows = store.documents()
    store._conn.set_trace_callback(None)
    assert [(r.path, r.sha256, r.parser_version) for r in rows] == [
        ("/a.pdf", "a", "1"),
        ("/b.pdf", "b", "2"),
    ]
    assert len(statements) == 1


def test_a_batch_commits_every_document_at_once(db_path: Path) -> None:
    """Store.batch (the bench's bulk load): the documents inside commit together, a
    document that fails inside is undone alone, and a failure leaving the block undoes
    the whole batch; the indexes agree with the rows either way."""
    meetings = corpus_meetings()
    with Store(db_path) as s:
        with s.batch():
            s.save_document(meetings[0], path="/a", sha256="a", parser_version="1")
            other = sqlite3.connect(db_path)
            assert other.execute("SELECT count(*) FROM documents").fetchone()[0] == 0
            other.close()
            real = writes._insert_item
            try:
                writes._insert_item = _fail  # type: ignore[assignment]
                with pytest.raises(RuntimeError):
                    s.save_document(meetings[1], path="/b", sha256="b", parser_version="1")
            finally:
                writes._insert_item = real
            s.save_document(meetings[2], path="/c", sha256="c", parser_version="1")
        assert [d.sha256 for d in s.documents()] == ["a", "c"]
        check_integrity(s)
        with pytest.raises(RuntimeError), s.batch():
            s.save_document(meetings[1], path="/b", sha256="b", parser_version="1")
            raise RuntimeError("stop")
        assert [d.sha256 for d in s.documents()] == ["a", "c"]
        check_integrity(s)


def _fail(*args: object, **kwargs: object) -> None:
    raise RuntimeError("disk on fire")
