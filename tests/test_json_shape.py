"""The JSON the CLI prints keeps its shape: the keys of every record, in their order.

Search hits, related items and new or changed items carry an ``ItemRef`` inside
(:mod:`kkr_tui.records`); ``--json`` must still print them flat, with the item's
location first, as scripts that read it have always seen it.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from meeting_work_fixtures import item_by_number, minutes_000, sample_paths, save

from kkr_tui.cli import main
from kkr_tui.ingest import ingest_paths
from kkr_tui.store import Store

REF_KEYS = ["item_id", "council", "meeting_date", "doc_type", "number", "title"]
HIT_KEYS = [
    *REF_KEYS,
    "snippet",
    "highlights",
    "score",
    "kind",
    "title_highlights",
    "meeting_id",
    "bilag_id",
    "bilag_title",
    "page",
    "bilag_matches",
    "bilag_words",
]
RELATED_KEYS = [*REF_KEYS, "case_number", "reason", "score"]
CHANGE_KEYS = [*REF_KEYS, "kind", "detected_at", "change"]


@pytest.fixture
def db(tmp_path: Path) -> Path:
    """The samples, looked at once, then the minutes of 18.06.2025: changed items."""
    path = tmp_path / "kkr.db"
    with Store(path) as store:
        ingest_paths(store, sample_paths(), progress=None, cancel=None)
        store.detect_changes()
        save(store, minutes_000())
    return path


def _json(capsys: pytest.CaptureFixture[str], *argv: str) -> object:
    assert main(list(argv)) == 0
    return json.loads(capsys.readouterr().out)


def test_search_hits_are_flat_with_the_item_first(db: Path, capsys) -> None:
    hits = _json(capsys, "search", "SAG-2025-02162", "--json", "--db", str(db))
    assert isinstance(hits, list) and {h["kind"] for h in hits} >= {"meeting", "case"}
    for hit in hits:
        assert list(hit) == HIT_KEYS
    meeting_hit = next(h for h in hits if h["kind"] == "meeting")
    assert meeting_hit["number"] == "" and meeting_hit["title"].startswith("Hele mødet")
    text = _json(capsys, "search", "sundhedsreform", "--json", "--db", str(db))
    assert isinstance(text, list) and text and all(list(h) == HIT_KEYS for h in text)
    assert all(isinstance(h["item_id"], int) and h["highlights"] is not None for h in text)


def test_related_items_are_flat_with_the_item_first(db: Path, capsys) -> None:
    payload = _json(capsys, "related", "--db", str(db), "--json", "hovedstaden 2025-06-18 3.3")
    assert isinstance(payload, dict) and payload["related"]
    for related in payload["related"]:
        assert list(related) == RELATED_KEYS


def test_new_items_are_flat_with_the_item_first(db: Path, capsys) -> None:
    with Store(db) as store:
        item = item_by_number(store, "KKR Hovedstaden", "2025-06-18", "3.3")
    changes = _json(capsys, "new", "--db", str(db), "--json")
    assert isinstance(changes, list) and len(changes) == 12
    for change in changes:
        assert list(change) == CHANGE_KEYS
    assert item in [c["item_id"] for c in changes]
