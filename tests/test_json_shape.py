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


INGEST_RESULT_KEYS = [
    "type",
    "path",
    "status",
    "council",
    "meeting_date",
    "doc_type",
    "note",
    "warnings",
    "failure",
]
INGEST_SUMMARY_KEYS = [
    "type",
    "added",
    "updated",
    "unchanged",
    "failed",
    "interrupted",
    "stopped",
    "text",
]
FAILURE_KEYS = ["cause", "params", "detail", "text"]
SYNC_RESULT_KEYS = ["type", "status", "subject", "url", "failed", "text", "failure"]
SYNC_SUMMARY_KEYS = [
    "type",
    "pages",
    "pages_unchanged",
    "pages_failed",
    "fetched",
    "unchanged",
    "bilag",
    "bilag_read",
    "skipped",
    "gone",
    "failed",
    "added",
    "updated",
    "other_hosts",
    "requests",
    "bytes_received",
    "interrupted",
    "stopped",
    "error",
    "text",
]


def _json_lines(capsys: pytest.CaptureFixture[str], code: int, *argv: str) -> list[dict]:
    """Run a command; stdout must be JSON Lines only (one object a line)."""
    assert main(list(argv)) == code
    return [json.loads(line) for line in capsys.readouterr().out.splitlines()]


def test_ingest_json_is_one_object_a_file_and_a_summary(tmp_path: Path, capsys) -> None:
    folder = tmp_path / "docs"
    folder.mkdir()
    for path in sample_paths()[:2]:
        (folder / path.name).write_bytes(path.read_bytes())
    (folder / "tom.txt").write_text("", encoding="utf-8")
    db = str(tmp_path / "kkr.db")
    *results, summary = _json_lines(capsys, 1, "ingest", str(folder), "--json", "--db", db)
    assert [list(r) for r in results] == [INGEST_RESULT_KEYS] * 3
    assert list(summary) == INGEST_SUMMARY_KEYS and summary["type"] == "summary"
    by_status = {r["status"]: r for r in results}
    assert set(by_status) == {"added", "failed"} and summary["added"] == 2
    assert summary["failed"] == 1 and summary["interrupted"] is False
    assert summary["stopped"] is None
    assert all(r["note"] is None for r in results)
    failed = by_status["failed"]
    assert list(failed["failure"]) == FAILURE_KEYS
    assert failed["failure"]["cause"] == "empty" and failed["failure"]["text"] == "filen er tom"
    assert failed["council"] is None
    added = by_status["added"]
    assert added["failure"] is None and added["doc_type"] in ("agenda", "minutes")
    assert added["council"].startswith("KKR ") and len(added["meeting_date"]) == 10
    # Again: unchanged, still naming the stored document.
    *again, summary = _json_lines(capsys, 1, "ingest", str(folder), "--json", "--db", db)
    unchanged = [r for r in again if r["status"] == "unchanged"]
    assert len(unchanged) == 2 and summary["unchanged"] == 2
    assert {(r["council"], r["meeting_date"], r["doc_type"]) for r in unchanged} == {
        (r["council"], r["meeting_date"], r["doc_type"]) for r in results if r["failure"] is None
    }


def test_ingest_json_notes_a_superseded_file_with_a_code(tmp_path: Path, capsys) -> None:
    """Two versions of one agenda side by side: a re-run says which file is stored as
    ``{"code": "superseded", "params": {"path"}, "text"}``, not as a sentence."""
    folder = tmp_path / "docs"
    folder.mkdir()
    text = sample_paths()[0].read_text(encoding="utf-8")
    for name, mark in (("dagsorden.txt", "v1"), ("dagsorden (1).txt", "v2")):
        changed = text.replace("er udsendt til", f"er udsendt ({mark}) til", 1)
        assert changed != text
        (folder / name).write_text(changed, encoding="utf-8")
    db = str(tmp_path / "kkr.db")
    _json_lines(capsys, 0, "ingest", str(folder), "--json", "--db", db)
    *again, summary = _json_lines(capsys, 0, "ingest", str(folder), "--json", "--db", db)
    assert [r["status"] for r in again] == ["unchanged", "unchanged"]
    notes = [r["note"] for r in again if r["note"] is not None]
    assert len(notes) == 1
    (note,) = notes
    assert list(note) == ["code", "params", "text"] and note["code"] == "superseded"
    stored = note["params"]["path"]
    assert Path(stored).name in {"dagsorden.txt", "dagsorden (1).txt"}
    assert note["text"] == f"den gemte version er {stored}"
    assert summary["stopped"] is None


def test_sync_summary_json_says_why_the_store_stopped_as_a_code() -> None:
    """A full disk or a damaged database mid-sync: ``stopped`` the code ``ingest --json``
    has, the words in the summary line."""
    from kkr_tui.ingest import IngestSummary
    from kkr_tui.sync.run import SyncSummary

    words = "disken er fuld: /x/kkr.db"
    summary = SyncSummary(ingest=IngestSummary(stopped=words, stop_cause="disk_full"))
    payload = summary.as_json()
    assert list(payload) == SYNC_SUMMARY_KEYS
    assert payload["stopped"] == "disk_full"
    assert payload["text"].endswith("; stoppet: " + words)
    assert SyncSummary(ingest=IngestSummary()).as_json()["stopped"] is None
    assert SyncSummary().as_json()["stopped"] is None


def test_sync_json_is_one_object_a_line_and_a_summary(tmp_path: Path, monkeypatch, capsys) -> None:
    from sync_fixtures import write_config
    from sync_site import Fault, Site

    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    write_config(tmp_path / "config")
    site = Site()
    site.add_meeting("sjaelland", "2024-04-17", minutes=True, bilag=("Bilag 2.1 Klimaplan",))
    minutes = site.meetings["sjaelland"][0].links[1].href
    site.faults[minutes] = Fault([404])
    site.start()
    db = str(tmp_path / "kkr.db")
    try:
        argv = ("sync", "--json", "--db", db, "--base-url", site.url, "--council", "sjaelland")
        *lines, summary = _json_lines(capsys, 1, *argv)
    finally:
        site.stop()
    assert lines and all(list(line) == SYNC_RESULT_KEYS for line in lines)
    statuses = [line["status"] for line in lines]
    assert {"fetched", "fetched_bilag", "skipped", "failed", "added"} <= set(statuses)
    failed = next(line for line in lines if line["status"] == "failed")
    assert failed["failed"] is True and failed["url"] == site.url + minutes
    assert list(failed["failure"]) == FAILURE_KEYS
    assert failed["failure"]["cause"] == "http_status"
    assert failed["failure"]["params"] == {"status": 404, "phrase": "Not Found"}
    assert failed["failure"]["text"] == "serveren svarede 404 Not Found" == failed["text"]
    skipped = next(line for line in lines if line["status"] == "skipped")
    assert skipped["failure"]["cause"] == "outside_blocks"
    assert list(summary) == SYNC_SUMMARY_KEYS and summary["type"] == "summary"
    assert summary["failed"] == 1 and summary["added"] == 1 and summary["error"] is None
    assert summary["requests"] > 0 and summary["interrupted"] is False
    assert summary["stopped"] is None


def test_sync_json_of_an_unreachable_site_is_a_summary_with_the_error(
    tmp_path: Path, monkeypatch, capsys
) -> None:
    from sync_fixtures import write_config
    from sync_site import Site

    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    write_config(tmp_path / "config")
    site = Site().start()
    url = site.url
    site.stop()
    argv = ("sync", "--json", "--db", str(tmp_path / "kkr.db"), "--base-url", url)
    (summary,) = _json_lines(capsys, 1, *argv)
    assert list(summary) == SYNC_SUMMARY_KEYS
    error = summary["error"]
    assert list(error) == [*FAILURE_KEYS, "host"]
    assert error["cause"] == "no_connection" and error["params"] == {"why": "refused"}
    assert error["text"] == "ingen forbindelse (forbindelsen blev afvist)"


def test_sync_dry_run_json_lists_what_would_be_fetched(tmp_path: Path, monkeypatch, capsys) -> None:
    """No database yet: every link is a would_fetch line (the footer PDF skipped), then
    the summary; nothing is created."""
    from sync_fixtures import write_config
    from sync_site import Site

    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    write_config(tmp_path / "config")
    site = Site()
    site.add_meeting("sjaelland", "2024-04-17", minutes=True)
    site.start()
    db = tmp_path / "kkr.db"
    try:
        argv = ("sync", "--json", "--dry-run", "--db", str(db), "--base-url", site.url)
        *lines, summary = _json_lines(capsys, 0, *argv, "--council", "sjaelland")
    finally:
        site.stop()
    assert all(list(line) == SYNC_RESULT_KEYS for line in lines)
    would = [line["url"] for line in lines if line["status"] == "would_fetch"]
    assert would == [site.url + link.href for link in site.meetings["sjaelland"][0].links]
    assert {line["status"] for line in lines} == {"would_fetch", "skipped"}
    skipped = [line for line in lines if line["status"] == "skipped"]
    assert all(line["failure"]["cause"] == "outside_blocks" for line in skipped)
    assert list(summary) == SYNC_SUMMARY_KEYS and summary["pages"] == 1
    assert not db.exists()
