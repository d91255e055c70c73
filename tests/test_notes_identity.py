"""Notes follow their item by identity (number, case number, title), never by number alone.

The minutes of a meeting may drop an item and renumber the rest: a note written on the
agenda's 3.4 must then be found on the minutes' 3.3, and writing the note now numbered
3.4 must not touch it. A note whose item cannot be found is kept and listed "uden punkt".
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from meeting_work_fixtures import RENUMBERED_COUNCIL as HOV
from meeting_work_fixtures import RENUMBERED_DATE as DATE
from meeting_work_fixtures import RENUMBERED_MINUTES, renumbered_agenda, save, topic_meeting
from meeting_work_fixtures import renumbered_item as _item
from meeting_work_fixtures import renumbered_minutes as _minutes

from kkr_tui.cli import main
from kkr_tui.store import Store

#: The minutes drop 3.3 and renumber the rest (no new item).
MINUTES = RENUMBERED_MINUTES[:2]


@pytest.fixture
def renumbered(tmp_path: Path) -> Store:
    """Notes on agenda items 3.4 and 3.5; then the minutes drop 3.3 and renumber."""
    store = Store(tmp_path / "kkr.db")
    save(store, renumbered_agenda())
    store.save_note(_item(store, "3.4"), "note om mobilitet")
    store.save_note(_item(store, "3.5"), "note om pædagoger")
    save(store, _minutes(MINUTES))
    yield store
    store.close()


def test_notes_follow_renumbered_items(renumbered: Store) -> None:
    assert renumbered.note_for(_item(renumbered, "3.3")).text == "note om mobilitet"
    assert renumbered.note_for(_item(renumbered, "3.4")).text == "note om pædagoger"


def test_editing_one_note_never_deletes_another(renumbered: Store) -> None:
    renumbered.save_note(_item(renumbered, "3.4"), "note om pædagoger, rettet")
    texts = sorted(n.text for n in renumbered.all_notes())
    assert texts == ["note om mobilitet", "note om pædagoger, rettet"]
    assert renumbered.note_for(_item(renumbered, "3.3")).text == "note om mobilitet"
    assert renumbered.note_for(_item(renumbered, "3.4")).text == "note om pædagoger, rettet"
    # And the other way round: writing 3.3 keeps 3.4.
    renumbered.save_note(_item(renumbered, "3.3"), "mobilitet, rettet")
    assert renumbered.note_for(_item(renumbered, "3.4")).text == "note om pædagoger, rettet"


def test_deleting_one_note_keeps_the_other(renumbered: Store) -> None:
    assert renumbered.save_note(_item(renumbered, "3.4"), "") is None
    assert [n.text for n in renumbered.all_notes()] == ["note om mobilitet"]


def test_tree_marks_follow_identity(renumbered: Store) -> None:
    ids = [_item(renumbered, "3.3"), _item(renumbered, "3.4")]
    marks = renumbered.item_marks(ids)
    assert all(marks[i].has_note for i in ids)


def test_a_note_whose_item_is_gone_is_kept_and_listed_without_item(tmp_path: Path, capsys) -> None:
    db = tmp_path / "kkr.db"
    with Store(db) as store:
        save(store, renumbered_agenda())
        store.save_note(_item(store, "3.3"), "om det udsatte punkt")
        store.save_note(_item(store, "3.4"), "note om mobilitet")
        save(store, _minutes(MINUTES))
        pairs = store.notes_with_items()
        assert {n.text: i is None for n, i in pairs} == {
            "om det udsatte punkt": True,
            "note om mobilitet": False,
        }
        # Writing the note now numbered 3.3 leaves the gone item's note alone.
        store.save_note(_item(store, "3.3"), "mobilitet, rettet")
        assert sorted(n.text for n in store.all_notes()) == [
            "mobilitet, rettet",
            "om det udsatte punkt",
        ]
    assert main(["notes", "--db", str(db)]) == 0
    out = capsys.readouterr().out
    assert "om det udsatte punkt" in out
    assert (
        "uden punkt"
        in out.splitlines()[
            [i for i, line in enumerate(out.splitlines()) if "Udsat punkt" in line][0]
        ]
    )
    assert main(["notes", "--db", str(db), "--json"]) == 0
    listed = {n["text"]: n["item_id"] for n in json.loads(capsys.readouterr().out)}
    assert listed["om det udsatte punkt"] is None and listed["mobilitet, rettet"]


def test_same_title_twice_keeps_both_notes(tmp_path: Path) -> None:
    items = [("4.1", "Eventuelt", None), ("4.2", "Eventuelt", None)]
    with Store(tmp_path / "kkr.db") as store:
        save(store, topic_meeting(HOV, DATE, items))
        store.save_note(_item(store, "4.1"), "første")
        store.save_note(_item(store, "4.2"), "anden")
        assert store.note_for(_item(store, "4.1")).text == "første"
        assert store.note_for(_item(store, "4.2")).text == "anden"
        assert len(store.all_notes()) == 2


def test_a_database_with_the_old_unique_note_index_is_migrated(tmp_path: Path) -> None:
    db = tmp_path / "kkr.db"
    with Store(db) as store:
        save(store, renumbered_agenda())
    conn = sqlite3.connect(db)
    conn.execute("DROP INDEX IF EXISTS notes_meeting")
    conn.execute("DROP INDEX IF EXISTS notes_anchor")
    conn.execute("CREATE UNIQUE INDEX notes_anchor ON notes (council, meeting_date, number)")
    conn.execute(
        "INSERT INTO notes (council, meeting_date, number, case_number, title, text, folded,"
        " created_at, updated_at) VALUES (?, ?, '3.4', 'SAG-2025-00004', 'Strategi for"
        " mobilitet', 'gammel note', 'gammel note', 'x', 'x')",
        (HOV, DATE),
    )
    conn.execute(
        "INSERT INTO notes (council, meeting_date, number, case_number, title, text, folded,"
        " created_at, updated_at) VALUES (?, ?, '3.5', 'SAG-2025-00005', 'Dimensionering af"
        " pædagoguddannelsen', 'anden gammel', 'anden gammel', 'x', 'x')",
        (HOV, DATE),
    )
    conn.commit()
    conn.close()
    with Store(db) as store:
        save(store, _minutes(MINUTES))
        store.save_note(_item(store, "3.4"), "ny tekst")
        assert sorted(n.text for n in store.all_notes()) == ["gammel note", "ny tekst"]
        assert store.note_for(_item(store, "3.3")).text == "gammel note"


def test_a_note_over_one_megabyte_is_refused_and_the_old_one_kept(renumbered: Store) -> None:
    from kkr_tui.records import MAX_NOTE_BYTES
    from kkr_tui.store import NoteTooLargeError

    item = _item(renumbered, "3.3")
    with pytest.raises(NoteTooLargeError, match="højst 1 MB"):
        renumbered.save_note(item, "x" * (MAX_NOTE_BYTES + 1))
    assert renumbered.note_for(item).text == "note om mobilitet"
    assert renumbered.save_note(item, "æ" * (MAX_NOTE_BYTES // 2)).text.startswith("æ")
