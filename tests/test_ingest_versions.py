"""Two versions of one meeting document side by side: re-runs settle on the stored one.

A revised agenda downloaded beside the first one maps to the same meeting document.
The newer file read replaces the older one; a re-run over the folder must then report
both unchanged (not swap them back and forth, re-reading both and moving the content
version every time), while naming a file on its own still stores that version.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from kkr_tui.ingest import file_sha256, ingest_paths, stored_documents
from kkr_tui.store import Store


@pytest.fixture
def tmp_db(tmp_db: Path) -> Path:
    tmp_db.parent.mkdir(parents=True, exist_ok=True)
    return tmp_db


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """A downloads folder the versions are written into."""
    path = tmp_path / "downloads"
    path.mkdir()
    return path


@pytest.fixture
def store(tmp_db: Path):  # type: ignore[no-untyped-def]
    with Store(tmp_db) as opened:
        yield opened


@pytest.fixture
def sample(samples_dir: Path) -> str:
    return sorted(samples_dir.glob("*.txt"))[0].read_text(encoding="utf-8")


def _version(folder: Path, name: str, text: str, mark: str) -> Path:
    """The sample with one line of its background changed: the same meeting document."""
    path = folder / name
    path.write_text(text.replace("er udsendt til", f"er udsendt ({mark}) til", 1), "utf-8")
    return path


def _stored_paths(store: Store) -> list[str]:
    return sorted(path for path, _ in stored_documents(store))


def _statuses(summary) -> list[tuple[str, str]]:  # type: ignore[no-untyped-def]
    return [(Path(r.path).name, r.status) for r in summary.results]


def test_a_re_run_keeps_the_stored_version_and_says_which(
    folder: Path, store: Store, sample: str
) -> None:
    first = _version(folder, "dagsorden.txt", sample, "v1")
    second = _version(folder, "dagsorden (1).txt", sample, "v2")
    assert first.read_bytes() != second.read_bytes()
    run = ingest_paths(store, [folder])
    assert sorted(_statuses(run)) == [
        ("dagsorden (1).txt", "added"),
        ("dagsorden.txt", "updated"),
    ]
    kept = _stored_paths(store)
    assert len(kept) == 1
    version = store.content_version()
    for _ in range(2):
        again = ingest_paths(store, [folder])
        assert [s for _, s in _statuses(again)] == ["unchanged", "unchanged"]
        assert _stored_paths(store) == kept
        assert store.content_version() == version, "nothing was rewritten"
    older = next(r for r in again.results if str(Path(r.path).resolve()) not in kept)
    assert older.reason == f"den gemte version er {kept[0]}"
    assert older.label == "KKR Hovedstaden 18.06.2025 dagsorden"


def test_naming_a_file_stores_that_version_and_the_folder_then_settles_on_it(
    folder: Path, store: Store, sample: str
) -> None:
    a = _version(folder, "a.txt", sample, "v1")
    b = _version(folder, "b.txt", sample, "v2")
    ingest_paths(store, [folder])
    assert _stored_paths(store) == [str(b.resolve())]
    assert _statuses(ingest_paths(store, [a])) == [("a.txt", "updated")]
    assert _stored_paths(store) == [str(a.resolve())]
    assert [s for _, s in _statuses(ingest_paths(store, [folder]))] == ["unchanged"] * 2
    assert _stored_paths(store) == [str(a.resolve())]


def test_three_versions_settle_too(folder: Path, store: Store, sample: str) -> None:
    for k in range(3):
        _version(folder, f"v{k}.txt", sample, f"v{k}")
    ingest_paths(store, [folder])
    assert [s for _, s in _statuses(ingest_paths(store, [folder]))] == ["unchanged"] * 3
    assert _stored_paths(store) == [str((folder / "v2.txt").resolve())]


def test_a_file_edited_in_place_and_edited_back_is_read_again(
    folder: Path, store: Store, sample: str
) -> None:
    path = _version(folder, "dagsorden.txt", sample, "v1")
    original = path.read_bytes()
    ingest_paths(store, [folder])
    _version(folder, "dagsorden.txt", sample, "v2")
    assert _statuses(ingest_paths(store, [folder])) == [("dagsorden.txt", "updated")]
    path.write_bytes(original)
    assert _statuses(ingest_paths(store, [folder])) == [("dagsorden.txt", "updated")]


def test_removing_the_stored_version_lets_the_other_come_back(
    folder: Path, store: Store, sample: str
) -> None:
    a = _version(folder, "a.txt", sample, "v1")
    b = _version(folder, "b.txt", sample, "v2")
    ingest_paths(store, [folder])
    assert store.superseding_document(file_sha256(a), str(a.resolve())) is not None
    store.delete_document(store.find_document(file_sha256(b)).id)
    assert store.superseding_document(file_sha256(a), str(a.resolve())) is None
    ingest_paths(store, [folder])
    assert _stored_paths(store) == [str(b.resolve())]


def test_a_database_without_the_table_gets_it_and_an_old_read_only_one_still_works(
    tmp_db: Path, tmp_path: Path, sample: str
) -> None:
    import sqlite3

    doc = _version(tmp_path, "a.txt", sample, "v1")
    with Store(tmp_db) as store:
        ingest_paths(store, [doc])
    conn = sqlite3.connect(tmp_db)
    conn.execute("DROP TABLE superseded_files")
    conn.commit()
    conn.close()
    with Store(tmp_db, read_only=True) as old:
        assert old.superseding_document(file_sha256(doc), str(doc)) is None
    with Store(tmp_db) as store:
        names = store._conn.execute("SELECT name FROM sqlite_master").fetchall()
        assert ("superseded_files",) in names


def test_a_reparse_of_the_stored_version_keeps_the_other_settled(
    folder: Path,
    store: Store,
    sample: str,
    samples_dir: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import kkr_tui.parser

    _version(folder, "a.txt", sample, "v1")
    b = _version(folder, "b.txt", sample, "v2")
    ingest_paths(store, [folder])
    ingest_paths(store, [sorted(samples_dir.glob("*.txt"))[1]])  # b's id is not the last
    monkeypatch.setattr(kkr_tui.parser, "PARSER_VERSION", "999.0.0")
    rerun = ingest_paths(store, [folder], reparse=True)
    assert _statuses(rerun) == [("a.txt", "unchanged"), ("b.txt", "updated")]
    assert [s for _, s in _statuses(ingest_paths(store, [folder]))] == ["unchanged"] * 2
    assert str(b.resolve()) in _stored_paths(store)
