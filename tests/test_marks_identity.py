"""Reading marks (read, new, changed) follow their item by identity, as notes do.

The minutes of a meeting may drop an item and renumber the rest: the agenda's 3.4 is
then the minutes' 3.3. Marks keyed by number alone put "read" and "new/changed" on
the wrong item (the minutes' 3.4 inherited the agenda's 3.4's read mark). They are
matched to items by the notes' function (``store.notes.match_anchors``); databases
with number-keyed marks are migrated on a writable open without losing a mark.
"""

from __future__ import annotations

import dataclasses
import sqlite3
from pathlib import Path

import pytest
from meeting_work_fixtures import RENUMBERED_AGENDA as AGENDA
from meeting_work_fixtures import RENUMBERED_COUNCIL as HOV
from meeting_work_fixtures import RENUMBERED_DATE as DATE
from meeting_work_fixtures import RENUMBERED_MINUTES as MINUTES
from meeting_work_fixtures import renumbered_agenda, save
from meeting_work_fixtures import renumbered_item as _item
from meeting_work_fixtures import renumbered_minutes as _minutes

from kkr_tui.model import Block, Meeting, Part
from kkr_tui.store import Store


def _agenda_item(store: Store, number: str) -> int:
    row = store._conn.execute(
        "SELECT i.id FROM items i JOIN documents d ON d.id = i.document_id"
        " WHERE d.doc_type = 'agenda' AND i.number = ?",
        (number,),
    ).fetchone()
    return int(row[0])


def _read_numbers(store: Store) -> dict[str, bool]:
    ids = {number: _item(store, number) for number, _title, _case in MINUTES}
    marks = store.item_marks(ids.values())
    return {number: marks[item].read for number, item in ids.items()}


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "kkr.db"


def test_read_marks_follow_renumbered_items(db: Path) -> None:
    with Store(db) as store:
        save(store, renumbered_agenda())
        store.mark_read(_item(store, "3.4"))
        store.mark_read(_item(store, "3.5"))
        save(store, _minutes(MINUTES))
        # The renumbered items keep their read state; the new 3.5 inherits nothing.
        assert _read_numbers(store) == {"3.3": True, "3.4": True, "3.5": False}
        # The agenda is still read as it was: its dropped 3.3 was never opened.
        agenda = [_agenda_item(store, n) for n in ("3.3", "3.4", "3.5")]
        assert [m.read for m in store.item_marks(agenda).values()] == [False, True, True]


def test_opening_a_renumbered_item_touches_only_its_own_mark(db: Path) -> None:
    with Store(db) as store:
        save(store, renumbered_agenda())
        store.mark_read(_item(store, "3.5"))
        save(store, _minutes(MINUTES))
        store.mark_read(_item(store, "3.5"))  # the new item at the old number
        assert _read_numbers(store) == {"3.3": False, "3.4": True, "3.5": True}
        rows = store._conn.execute("SELECT number, title FROM item_reads ORDER BY id").fetchall()
        # Two rows: the agenda's 3.5 (not opened since, so still anchored as it was) and
        # the new 3.5's own; opening one never rewrote the other.
        assert rows == [("3.5", MINUTES[1][1]), ("3.5", "Eventuelt")]
        store.mark_read(_item(store, "3.4"))
        rows = store._conn.execute("SELECT number, title FROM item_reads ORDER BY id").fetchall()
        assert rows == [("3.4", MINUTES[1][1]), ("3.5", "Eventuelt")]


def test_whats_new_after_renumbering_names_only_the_new_item(db: Path) -> None:
    with Store(db) as store:
        save(store, renumbered_agenda())
        assert store.detect_changes() == 0  # the baseline
        store.mark_read(_item(store, "3.4"))
        save(store, _minutes(MINUTES))
        # The renumbered items are unchanged (same text); only 3.5 is new.
        assert store.detect_changes() == 1
        assert [(c.number, c.title, c.kind) for c in store.changed_items()] == [
            ("3.5", "Eventuelt", "new")
        ]
        marks = store.item_marks([_item(store, n) for n in ("3.3", "3.4", "3.5")])
        assert [m.change for m in marks.values()] == [None, None, "new"]
        assert [m.read for m in marks.values()] == [True, False, False]


def _reworded_agenda() -> Meeting:
    """The agenda again with 3.5's recommendation rewritten (its title kept)."""
    meeting = renumbered_agenda()
    section = meeting.sections[0]
    items = list(section.items)
    items[2] = dataclasses.replace(
        items[2], parts=(Part("Indstilling", "Indstilling", (Block("paragraph", "Nyt."),)),)
    )
    return dataclasses.replace(
        meeting, source="v2.txt", sections=(dataclasses.replace(section, items=tuple(items)),)
    )


def test_a_change_mark_follows_its_item_when_the_minutes_renumber(db: Path) -> None:
    with Store(db) as store:
        save(store, renumbered_agenda())
        assert store.detect_changes() == 0
        save(store, _reworded_agenda())
        assert store.detect_changes() == 1  # agenda 3.5 changed, not opened
        save(store, _minutes(MINUTES))
        store.detect_changes()
        changed = {c.number: (c.title, c.kind) for c in store.changed_items()}
        assert changed == {"3.4": (AGENDA[2][1], "changed"), "3.5": ("Eventuelt", "new")}
        store.mark_read(_item(store, "3.4"))
        assert [c.number for c in store.changed_items()] == ["3.5"]


# -- databases with number-keyed marks ------------------------------------------------------

_OLD_TABLES = [
    """CREATE TABLE item_reads (
        council TEXT NOT NULL, meeting_date TEXT NOT NULL, number TEXT NOT NULL,
        content_hash TEXT NOT NULL, read_at TEXT NOT NULL,
        PRIMARY KEY (council, meeting_date, number)) WITHOUT ROWID""",
    """CREATE TABLE seen_items (
        council TEXT NOT NULL, meeting_date TEXT NOT NULL, number TEXT NOT NULL,
        content_hash TEXT NOT NULL,
        PRIMARY KEY (council, meeting_date, number)) WITHOUT ROWID""",
    """CREATE TABLE item_changes (
        council TEXT NOT NULL, meeting_date TEXT NOT NULL, number TEXT NOT NULL,
        kind TEXT NOT NULL, detected_at TEXT NOT NULL,
        PRIMARY KEY (council, meeting_date, number)) WITHOUT ROWID""",
]


def _number_keyed_database(db: Path) -> None:
    """An agenda whose 3.4 and 3.5 were read and 3.3 marked new, in the tables of the
    releases that keyed marks by number; plus a read mark whose item is not stored."""
    with Store(db) as store:
        save(store, renumbered_agenda())
        hashes = store.notes._content_hashes([_item(store, n) for n in ("3.3", "3.4", "3.5")])
    conn = sqlite3.connect(db, isolation_level=None)
    try:
        for table in ("item_reads", "seen_items", "item_changes"):
            conn.execute(f"DROP TABLE {table}")
        for statement in _OLD_TABLES:
            conn.execute(statement)
        digests = list(hashes.values())
        for number, digest in zip(("3.3", "3.4", "3.5"), digests, strict=True):
            conn.execute("INSERT INTO seen_items VALUES (?, ?, ?, ?)", (HOV, DATE, number, digest))
        for number, digest in (("3.4", digests[1]), ("3.5", digests[2]), ("9.9", "x")):
            conn.execute(
                "INSERT INTO item_reads VALUES (?, ?, ?, ?, 't')", (HOV, DATE, number, digest)
            )
        conn.execute("INSERT INTO item_changes VALUES (?, ?, '3.3', 'new', 't')", (HOV, DATE))
    finally:
        conn.close()


def test_number_keyed_marks_are_migrated_and_then_follow_identity(db: Path) -> None:
    _number_keyed_database(db)
    with Store(db) as store:
        counts = [
            store._conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
            for t in ("item_reads", "seen_items", "item_changes")
        ]
        assert counts == [3, 3, 1]  # no mark lost, the orphan 9.9 included
        titles = dict(store._conn.execute("SELECT number, title FROM item_reads"))
        assert titles == {"3.4": AGENDA[1][1], "3.5": AGENDA[2][1], "9.9": ""}
        save(store, _minutes(MINUTES))
        assert _read_numbers(store) == {"3.3": True, "3.4": True, "3.5": False}
        # The agenda's 3.3 was marked new; it is dropped, so no minutes item is.
        assert store.changed_items() == []


def test_a_read_only_open_of_number_keyed_marks_reads_them_by_number(db: Path) -> None:
    _number_keyed_database(db)
    with Store(db, read_only=True) as store:
        marks = store.item_marks([_item(store, n) for n in ("3.3", "3.4", "3.5")])
        assert [(m.read, m.change) for m in marks.values()] == [
            (False, "new"),
            (True, None),
            (True, None),
        ]
        assert [c.number for c in store.changed_items()] == ["3.3"]
    columns = sqlite3.connect(db).execute("PRAGMA table_info(item_reads)").fetchall()
    assert "title" not in {c[1] for c in columns}  # and it was not written
