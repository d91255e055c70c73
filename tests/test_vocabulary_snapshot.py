"""A large store's vocabulary is saved and read back whole, and only for the same documents.

``SNAPSHOT_AFTER_TERMS`` is lowered so the small test corpus counts as large; the cache
folder is a temporary one.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from store_factory import make_meeting, sha

from kkr_tui.search import SearchIndex, Vocabulary, loading, snapshot
from kkr_tui.store import Store


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setattr(snapshot, "snapshot_dir", lambda: folder)
    monkeypatch.setattr(loading, "SNAPSHOT_AFTER_TERMS", 0)
    return folder


class PageCounter:
    """Counts the store's vocabulary page reads (a snapshot load makes none)."""

    def __init__(self, store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
        self.calls = 0
        original = store.vocabulary_page

        def counted(after: str | None, limit: int) -> list[tuple[str, int]]:
            self.calls += 1
            return original(after, limit)

        monkeypatch.setattr(store, "vocabulary_page", counted)


def _replace(path: Path, data: bytes) -> None:
    """Put ``data`` where the snapshot at ``path`` is, as every writer of it does: a new
    file renamed over it. (Never in place: the vocabulary that saved it maps that file,
    and a map whose file shrinks under it ends the process with SIGBUS.)"""
    new = path.with_name(path.name + ".new")
    new.write_bytes(data)
    os.replace(new, path)


def _same(a: Vocabulary, b: Vocabulary) -> None:
    assert a.terms == b.terms
    assert a.terms.starts == b.terms.starts
    assert a.docs == b.docs
    assert a.frequent == b.frequent
    assert a.frequent.starts == b.frequent.starts
    assert list(a.by_docs()) == list(b.by_docs())
    assert a.initials == b.initials


def test_the_second_load_reads_the_snapshot_and_finds_the_same(
    corpus_store: Store, cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    index = SearchIndex(corpus_store)
    pages = PageCounter(corpus_store, monkeypatch)
    built = index.vocabulary()
    key = corpus_store.content_version()
    assert key is not None and snapshot.snapshot_path(key[0]).exists()
    assert pages.calls > 0
    expected = [h.item_id for h in index.search("sundhedsrefrom", limit=10)]
    assert expected
    index = SearchIndex(corpus_store)  # a new process: nothing cached
    pages.calls = 0
    loaded = index.vocabulary()
    assert pages.calls == 0, "the snapshot, before any page"
    assert loaded is not built
    _same(loaded, built)
    assert [h.item_id for h in index.search("sundhedsrefrom", limit=10)] == expected


def test_a_new_document_makes_the_snapshot_stale(
    corpus_store: Store, cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    index = SearchIndex(corpus_store)
    index.vocabulary()
    before = corpus_store.content_version()
    meeting = make_meeting(
        [("1.1", "Snapshotprøve om vindmøller", None, {"Baggrund": "Tekst om havvindmøller."})],
        date="2031-01-01",
    )
    corpus_store.save_document(meeting, path="/new.pdf", sha256=sha(meeting), parser_version="t")
    after = corpus_store.content_version()
    assert after is not None and before is not None
    assert after[0] == before[0] and after[1] > before[1]
    assert snapshot.load(after) is None
    pages = PageCounter(corpus_store, monkeypatch)
    rebuilt = index.vocabulary()
    assert pages.calls > 0
    assert rebuilt.has("havvindmoller") or rebuilt.has("havvindmøller")
    assert snapshot.load(after) is not None, "saved again for the new version"


def test_content_version_moves_only_with_documents(corpus_store: Store) -> None:
    store = corpus_store
    first = store.content_version()
    meeting = make_meeting(
        [("1.1", "Versionstest", None, {"Baggrund": "Tekst."})], date="2031-02-02"
    )
    store.save_document(meeting, path="/v.pdf", sha256=sha(meeting), parser_version="t")
    added = store.content_version()
    assert store.save_document(meeting, path="/v.pdf", sha256=sha(meeting), parser_version="t") == (
        "unchanged"
    )
    assert store.content_version() == added
    item_id = store._conn.execute("SELECT min(id) FROM items").fetchone()[0]
    store.save_note(item_id, "en note")
    store.settle_terms()
    store.tidy_index(0.1)
    assert store.content_version() == added
    document_id = store._conn.execute("SELECT max(id) FROM documents").fetchone()[0]
    store.delete_document(document_id)
    removed = store.content_version()
    assert first is not None and added is not None and removed is not None
    assert first[1] < added[1] < removed[1]
    assert first[0] == added[0] == removed[0]


def test_each_database_has_its_own_id(tmp_path: Path) -> None:
    with Store(tmp_path / "a.db") as a, Store(tmp_path / "b.db") as b:
        ida, idb = a.content_version(), b.content_version()
    assert ida is not None and idb is not None and ida[0] != idb[0]


@pytest.mark.parametrize("damage", ["truncate", "garbage", "other_version", "other_store"])
def test_a_damaged_or_foreign_snapshot_is_ignored(
    corpus_store: Store, cache: Path, monkeypatch: pytest.MonkeyPatch, damage: str
) -> None:
    index = SearchIndex(corpus_store)
    built = index.vocabulary()
    key = corpus_store.content_version()
    assert key is not None
    path = snapshot.snapshot_path(key[0])
    data = path.read_bytes()
    if damage == "truncate":
        _replace(path, data[: len(data) - 7])
    elif damage == "garbage":
        _replace(path, b"\x00\xff" * 50)
    elif damage == "other_version":
        assert snapshot.save((key[0], key[1] + 1), built.terms, built.docs, built.frequent)
    else:
        monkeypatch.setattr(snapshot, "snapshot_path", lambda _id: path)
        assert snapshot.save(("someoneelse", key[1]), built.terms, built.docs, built.frequent)
    assert snapshot.load(key) is None
    index = SearchIndex(corpus_store)  # a new process: nothing cached
    pages = PageCounter(corpus_store, monkeypatch)
    _same(index.vocabulary(), built)
    assert pages.calls > 0


def test_an_unwritable_cache_folder_only_costs_the_snapshot(
    corpus_store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    index = SearchIndex(corpus_store)
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the cache folder should be")
    monkeypatch.setattr(snapshot, "snapshot_dir", lambda: blocker / "vocabulary")
    monkeypatch.setattr(loading, "SNAPSHOT_AFTER_TERMS", 0)
    vocab = index.vocabulary()
    assert len(vocab) > 50
    assert index.search("kommune", limit=5)


def test_small_vocabularies_are_not_saved(
    corpus_store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    index = SearchIndex(corpus_store)
    folder = tmp_path / "cache"
    monkeypatch.setattr(snapshot, "snapshot_dir", lambda: folder)
    index.vocabulary()
    assert not folder.exists()


def test_an_older_read_only_database_has_no_version_and_loads_from_pages(
    tmp_path: Path, cache: Path
) -> None:
    path = tmp_path / "old.db"
    meeting = make_meeting([("1.1", "Gammel database", None, {"Baggrund": "Tekst om skoler."})])
    with Store(path) as store:
        store.save_document(meeting, path="/o.pdf", sha256=sha(meeting), parser_version="t")
        store._conn.execute("DROP TABLE content_version")
    with Store(path, read_only=True) as store:
        assert store.content_version() is None
        assert SearchIndex(store).vocabulary().has("skoler")
    assert not cache.exists()


def test_a_copy_opened_for_writing_gets_its_own_id(tmp_path: Path) -> None:
    import shutil

    original = tmp_path / "a.db"
    meeting = make_meeting([("1.1", "Kopi", None, {"Baggrund": "Tekst."})])
    with Store(original) as store:
        store.save_document(meeting, path="/k.pdf", sha256=sha(meeting), parser_version="t")
        key = store.content_version()
    copy = tmp_path / "b.db"
    shutil.copy(original, copy)
    with Store(copy, read_only=True) as store:
        assert store.content_version() == key, "an unchanged copy may share the snapshot"
    with Store(copy) as store:
        copied = store.content_version()
    with Store(original) as store:
        assert store.content_version() == key
    assert key is not None and copied is not None
    assert copied[0] != key[0]


def test_the_cache_keeps_the_newest_snapshots_and_no_old_leftovers(
    cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import os

    vocab = Vocabulary.from_rows([("a", 1), ("b", 2)])
    parts = (vocab.terms, vocab.docs, vocab.frequent)
    cache.mkdir(parents=True)
    leftover, fresh = cache / ".vocabulary-old", cache / ".vocabulary-new"
    leftover.write_bytes(b"x")
    fresh.write_bytes(b"x")
    os.utime(leftover, (1, 1))
    for i in range(snapshot.KEEP_SNAPSHOTS + 2):
        assert snapshot.save((f"store{i}", 1), *parts)
        os.utime(snapshot.snapshot_path(f"store{i}"), (1000 + i, 1000 + i))
    assert snapshot.save(("store0", 2), *parts)
    kept = sorted(p.name for p in cache.iterdir())
    newest = [f"store{i}.bin" for i in range(5 - snapshot.KEEP_SNAPSHOTS + 1, 5)]
    assert kept == sorted([".vocabulary-new", "store0.bin", *newest])
    assert snapshot.load(("store0", 2)) is not None


def test_texts_beyond_ascii_read_back_exactly(cache: Path) -> None:
    rows = sorted([("æble", 2), ("øko", 1), ("åbne", 3), ("x", 1), ("\U0001f600ok", 1), ("ab", 5)])
    vocab = Vocabulary.from_rows(rows)
    assert snapshot.save(("s", 1), vocab.terms, vocab.docs, vocab.frequent)
    loaded = snapshot.load(("s", 1))
    assert loaded is not None
    _same(Vocabulary(*loaded), vocab)


def _rewrite_header(path: Path, change: object) -> None:
    """Change the JSON header of the snapshot at ``path`` (padded to its size)."""
    import json

    data = bytearray(path.read_bytes())
    header = json.loads(bytes(data[:4096]))
    change(header)  # type: ignore[operator]
    raw = json.dumps(header).encode()
    data[:4096] = raw + b" " * (4096 - len(raw))
    _replace(path, bytes(data))


@pytest.mark.parametrize(
    "damage",
    ["older_format", "section_past_the_end", "sections_overlap", "misaligned", "list_missing"],
)
def test_an_old_or_inconsistent_snapshot_is_rebuilt_and_replaced(
    corpus_store: Store, cache: Path, monkeypatch: pytest.MonkeyPatch, damage: str
) -> None:
    """A snapshot of the previous format (three term lists, read whole) or one whose
    header does not fit its sections is not read: the vocabulary comes from the
    database, the same as before, and the file is written again in this format."""
    built = SearchIndex(corpus_store).vocabulary()
    key = corpus_store.content_version()
    assert key is not None
    path = snapshot.snapshot_path(key[0])

    def change(header: dict) -> None:  # type: ignore[type-arg]
        sections = header["sections"]
        if damage == "older_format":
            header["format"] = 1
        elif damage == "section_past_the_end":
            sections[-1][3] += 8
        elif damage == "sections_overlap":
            sections[1][2] = sections[0][2]
        elif damage == "misaligned":
            sections[-1][2] += 4
            sections[-1][3] -= 4
        else:
            header["sections"] = sections[:2] + sections[4:]

    _rewrite_header(path, change)
    assert snapshot.load(key) is None
    index = SearchIndex(corpus_store)  # a new process: nothing cached
    pages = PageCounter(corpus_store, monkeypatch)
    _same(index.vocabulary(), built)
    assert pages.calls > 0
    loaded = snapshot.load(key)
    assert loaded is not None, "written again, readable"
    _same(Vocabulary(*loaded), built)


def test_a_snapshot_replaced_while_in_use_keeps_working(corpus_store: Store, cache: Path) -> None:
    """The read vocabulary uses the file's offsets and counts where they lie; a later
    save renames a new file over it, which never changes the one in use."""
    SearchIndex(corpus_store).vocabulary()
    key = corpus_store.content_version()
    assert key is not None
    index = SearchIndex(corpus_store)
    loaded = index.vocabulary()
    expected = [h.item_id for h in index.search("sundhedsrefrom", limit=10)]
    other = Vocabulary.from_rows([("a", 1), ("b", 2)])
    assert snapshot.save(key, other.terms, other.docs, other.frequent)
    assert isinstance(loaded.docs, memoryview), "read in place"
    loaded.expanded.clear()
    assert [h.item_id for h in index.search("sundhedsrefrom", limit=10)] == expected


def test_only_a_vocabulary_built_from_pages_gives_memory_back(
    corpus_store: Store, cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Building from the store's pages frees its page buffers, worth returning to the
    OS; a snapshot is mapped and frees nothing, so its load skips the call (whose
    first use imports ctypes.util and subprocess)."""
    from kkr_tui.search import index as index_module

    trims: list[int] = []
    monkeypatch.setattr(index_module, "TRIM_AFTER_TERMS", 0)
    monkeypatch.setattr(index_module, "release_free_memory", lambda: trims.append(1) or True)
    SearchIndex(corpus_store).vocabulary()
    assert trims == [1], "built from pages"
    SearchIndex(corpus_store).vocabulary()
    assert trims == [1], "read from the snapshot"


def test_a_load_that_saves_hands_back_the_mapped_file(
    corpus_store: Store, cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The built lists are let go once saved: the vocabulary a search then uses is the
    file, mapped (only the pages a search touches in memory), with the same terms as
    a build that could not save."""
    import mmap

    saved = SearchIndex(corpus_store).vocabulary()
    assert isinstance(saved.terms.text, mmap.mmap)
    assert isinstance(saved.frequent.text, mmap.mmap)
    monkeypatch.setattr(snapshot, "save", lambda *args: False)  # an unwritable cache folder
    monkeypatch.setattr(snapshot, "load", lambda key: None)
    built = SearchIndex(corpus_store).vocabulary()
    assert isinstance(built.terms.text, bytes)
    _same(saved, built)
    assert saved.fuzzy("sundhedsrefrom", 6) == built.fuzzy("sundhedsrefrom", 6)
