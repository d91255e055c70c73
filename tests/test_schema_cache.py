"""The objects a fresh database holds are kept between processes (store/schema_cache.py)
and are built again whenever what built them changed; the check of a database against
them stays as strict with the kept answer as with a fresh one."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from kkr_tui.store import SchemaError, Store, safety, schema_cache


@pytest.fixture
def kept(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """The cache file in a folder of the test's own, and no answer in this process yet."""
    path = tmp_path / "cache" / "schema-objects.json"
    monkeypatch.setattr(schema_cache, "cache_file", lambda: str(path))
    safety.expected_objects.cache_clear()
    yield path
    safety.expected_objects.cache_clear()


def _builds(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Counts the in-memory builds from here on."""
    builds: list[int] = []
    build = safety._build_expected

    def counted() -> dict[tuple[str, str], str]:
        builds.append(1)
        return build()

    monkeypatch.setattr(safety, "_build_expected", counted)
    return builds


def _fresh() -> dict[tuple[str, str], str]:
    safety.expected_objects.cache_clear()
    return safety.expected_objects()


def test_the_answer_is_built_once_and_read_back_the_same(
    kept: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    builds = _builds(monkeypatch)
    first = _fresh()
    assert kept.exists() and len(builds) == 1
    assert _fresh() == first
    assert len(builds) == 1, "the second process reads it"
    assert ("table", "items") in first and ("trigger", "items_ai") in first


@pytest.mark.parametrize("change", ["size", "mtime", "missing file", "format"])
def test_a_changed_source_builds_it_again(
    kept: Path, monkeypatch: pytest.MonkeyPatch, change: str
) -> None:
    builds = _builds(monkeypatch)
    first = _fresh()
    data = json.loads(kept.read_text(encoding="utf-8"))
    store_schema = next(s for s in data["sources"] if s[0].endswith("schema.py"))
    if change == "size":
        store_schema[1] += 1
    elif change == "mtime":
        store_schema[2] -= 1
    elif change == "missing file":
        store_schema[0] += ".gone"
    else:
        data["format"] = schema_cache.FORMAT + 1
    kept.write_text(json.dumps(data), encoding="utf-8")
    assert _fresh() == first
    assert len(builds) == 2
    assert _fresh() == first and len(builds) == 2, "and keeps the new answer"


@pytest.mark.parametrize("content", ["", "{not json", "[]", '{"format": 1}'])
def test_an_unreadable_cache_builds_it_again(
    kept: Path, monkeypatch: pytest.MonkeyPatch, content: str
) -> None:
    builds = _builds(monkeypatch)
    kept.parent.mkdir(parents=True)
    kept.write_text(content, encoding="utf-8")
    assert ("table", "items") in _fresh()
    assert len(builds) == 1


def test_a_cache_that_cannot_be_written_is_skipped(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocked = tmp_path / "a file"
    blocked.write_text("", encoding="utf-8")
    monkeypatch.setattr(schema_cache, "cache_file", lambda: str(blocked / "schema.json"))
    assert ("table", "items") in _fresh()
    safety.expected_objects.cache_clear()


def test_a_foreign_object_is_refused_with_the_kept_answer(kept: Path, tmp_path: Path) -> None:
    db = tmp_path / "kkr.db"
    Store(db).close()
    conn = sqlite3.connect(db)
    conn.execute("CREATE VIEW peek AS SELECT * FROM meetings")
    conn.close()
    _fresh()  # built and kept
    safety.expected_objects.cache_clear()
    with pytest.raises(SchemaError, match="view peek"):
        Store(db, read_only=True)
