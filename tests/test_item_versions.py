"""The store keeps what the user last saw of a changed item (``store/versions.py``).

A re-uploaded agenda replaces its document (old rows deleted), the minutes arrive for
an agenda, the minutes renumber: each time the earlier version of a changed item must
still be there to show what changed, anchored to the item by identity as the marks
are, bounded, and dropped once the item has been opened.
"""

from __future__ import annotations

import dataclasses
import sqlite3
from pathlib import Path

import pytest
from meeting_work_fixtures import RENUMBERED_AGENDA as AGENDA
from meeting_work_fixtures import RENUMBERED_MINUTES as MINUTES
from meeting_work_fixtures import renumbered_agenda, renumbered_minutes, save
from meeting_work_fixtures import renumbered_item as _item

from kkr_tui.model import Block, Meeting, Part
from kkr_tui.records import PartVersion
from kkr_tui.store import Store, versions


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "kkr.db"


def _reworded(meeting: Meeting, number: str, text: str, source: str) -> Meeting:
    """``meeting`` with item ``number``'s Indstilling replaced by ``text``."""
    section = meeting.sections[0]
    items = tuple(
        dataclasses.replace(
            it, parts=(Part("Indstilling", "Indstilling", (Block("paragraph", text),)),)
        )
        if it.number == number
        else it
        for it in section.items
    )
    return dataclasses.replace(
        meeting, source=source, sections=(dataclasses.replace(section, items=items),)
    )


def _minutes(items: list[tuple[str, str, str | None]]) -> Meeting:
    """The minutes holding ``items``, each decided ("Godkendt.")."""
    meeting = renumbered_minutes(items)
    section = meeting.sections[0]
    decided = tuple(
        dataclasses.replace(
            it,
            parts=(
                *it.parts,
                Part("Beslutning", "Beslutning", (Block("paragraph", "Godkendt."),)),
            ),
        )
        for it in section.items
    )
    return dataclasses.replace(meeting, sections=(dataclasses.replace(section, items=decided),))


def _rows(store: Store) -> list[tuple[str, str]]:
    return store._conn.execute("SELECT number, old_title FROM item_versions ORDER BY id").fetchall()


def test_a_reuploaded_agenda_keeps_the_version_the_user_saw(db: Path) -> None:
    with Store(db) as store:
        save(store, renumbered_agenda())
        assert store.detect_changes() == 0  # the baseline: what the user has seen
        save(store, _reworded(renumbered_agenda(), "3.4", "Nyt forslag.", "v2.txt"))
        # Only the changed item is kept, before detection even ran: the old rows are gone.
        assert _rows(store) == [("3.4", "Strategi for mobilitet")]
        assert store.detect_changes() == 1
        item = _item(store, "3.4")
        kept = store.previous_versions([item, _item(store, "3.3")])
        assert list(kept) == [item]
        assert kept[item].parts == (
            PartVersion("Indstilling", "Indstilling", "Om Strategi for mobilitet."),
        )
        assert kept[item].doc_type == "agenda" and not kept[item].cut
        store.mark_read(item)  # opened: what the user last saw is what is stored now
        assert store.previous_versions([item]) == {}
        assert _rows(store) == []


def test_a_second_change_before_opening_keeps_the_first_version(db: Path) -> None:
    with Store(db) as store:
        save(store, renumbered_agenda())
        store.detect_changes()
        save(store, _reworded(renumbered_agenda(), "3.4", "Andet.", "v2.txt"))
        store.detect_changes()
        save(store, _reworded(renumbered_agenda(), "3.4", "Tredje.", "v3.txt"))
        store.detect_changes()
        item = _item(store, "3.4")
        assert store.previous_versions([item])[item].parts[0].text == ("Om Strategi for mobilitet.")
        assert len(_rows(store)) == 1  # one row per item, never a history


def test_a_change_read_then_changed_again_keeps_the_read_version(db: Path) -> None:
    with Store(db) as store:
        save(store, renumbered_agenda())
        store.detect_changes()
        save(store, _reworded(renumbered_agenda(), "3.4", "Andet.", "v2.txt"))
        store.detect_changes()
        store.mark_read(_item(store, "3.4"))
        save(store, _reworded(renumbered_agenda(), "3.4", "Tredje.", "v3.txt"))
        assert store.detect_changes() == 1
        item = _item(store, "3.4")
        assert store.previous_versions([item])[item].parts[0].text == "Andet."


def test_minutes_for_an_agenda_keep_the_agenda_item_by_identity(db: Path) -> None:
    """The minutes drop 3.3 and renumber: the agenda's 3.4 is the minutes' 3.3, and its
    kept version is the agenda's text, which outlives the agenda's rows."""
    with Store(db) as store:
        save(store, renumbered_agenda())
        store.detect_changes()
        save(store, _minutes(MINUTES))
        store.detect_changes()
        kinds = {c.number: c.kind for c in store.changed_items()}
        assert kinds == {"3.3": "changed", "3.4": "changed", "3.5": "new"}
        ids = {n: _item(store, n) for n in ("3.3", "3.4", "3.5")}
        kept = store.previous_versions(ids.values())
        assert set(kept) == {ids["3.3"], ids["3.4"]}
        assert kept[ids["3.3"]].title == "Strategi for mobilitet"
        assert kept[ids["3.3"]].parts[0].text == "Om Strategi for mobilitet."
        assert kept[ids["3.3"]].doc_type == "agenda"
        agenda = store._conn.execute(
            "SELECT id FROM documents WHERE doc_type = 'agenda'"
        ).fetchone()[0]
        store.delete_document(agenda)
        again = store.previous_versions(ids.values())
        assert again[ids["3.4"]].parts[0].text == "Om Dimensionering af pædagoguddannelsen."


def test_a_version_kept_before_renumbering_follows_its_item(db: Path) -> None:
    with Store(db) as store:
        save(store, renumbered_agenda())
        store.detect_changes()
        save(store, _reworded(renumbered_agenda(), "3.5", "Nyt.", "v2.txt"))
        store.detect_changes()
        save(store, _minutes(MINUTES))  # 3.5 becomes 3.4
        store.detect_changes()
        item = _item(store, "3.4")
        kept = store.previous_versions([item])
        assert kept[item].parts[0].text == "Om Dimensionering af pædagoguddannelsen."
        # The new 3.5 ("Eventuelt") inherits nothing from the agenda's 3.5.
        assert _item(store, "3.5") not in store.previous_versions([_item(store, "3.5")])


def test_nothing_is_kept_on_a_first_look_or_for_unchanged_items(db: Path) -> None:
    with Store(db) as store:
        save(store, renumbered_agenda())
        save(store, _reworded(renumbered_agenda(), "3.4", "Nyt.", "v2.txt"))
        assert _rows(store) == []  # nothing was seen yet: nothing to keep
        store.detect_changes()
        same = dataclasses.replace(
            _reworded(renumbered_agenda(), "3.4", "Nyt.", "v2.txt"),
            source="v3.txt",
            place="Et andet sted",
        )
        save(store, same)
        assert _rows(store) == []


def test_a_long_part_keeps_its_digest_only(db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(versions, "MAX_KEPT_ITEM_CHARS", 30)
    with Store(db) as store:
        save(store, renumbered_agenda())
        store.detect_changes()
        save(store, _reworded(renumbered_agenda(), "3.5", "Kort.", "v2.txt"))
        store.detect_changes()
        item = _item(store, "3.5")
        kept = store.previous_versions([item])[item]
        assert kept.cut and kept.parts[0].text is None and len(kept.parts[0].digest) == 32


def test_all_kept_versions_are_bounded_together(db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(versions, "MAX_KEPT_TOTAL_CHARS", 150)
    with Store(db) as store:
        save(store, renumbered_agenda())
        store.detect_changes()
        changed = renumbered_agenda()
        for number, _title, _case in AGENDA:
            changed = _reworded(changed, number, f"Nyt {number}.", "v2.txt")
        save(store, changed)
        sizes = store._conn.execute(
            "SELECT sum(length(parts) + length(title)) FROM item_versions"
        ).fetchone()[0]
        assert 0 < sizes <= 150
        assert len(_rows(store)) < 3


def test_an_older_database_gains_the_table_and_shows_marks_without_versions(db: Path) -> None:
    with Store(db) as store:
        save(store, renumbered_agenda())
        store.detect_changes()
        save(store, _reworded(renumbered_agenda(), "3.4", "Nyt.", "v2.txt"))
        store.detect_changes()
    conn = sqlite3.connect(db, isolation_level=None)
    conn.execute("DROP TABLE item_versions")  # as a release before versions left it
    conn.close()
    with Store(db, read_only=True) as store:
        item = _item(store, "3.4")
        assert store.previous_versions([item]) == {}
        assert [c.kind for c in store.changed_items()] == ["changed"]
    with Store(db) as store:  # a writable open adds the table; the old mark stays
        assert store._conn.execute("SELECT count(*) FROM item_versions").fetchone() == (0,)
        assert [c.kind for c in store.changed_items()] == ["changed"]
        assert store.previous_versions([_item(store, "3.4")]) == {}


# -- what changed, as meetingwork and the CLI tell it --------------------------------------


def _reuploaded(db: Path) -> None:
    """The agenda seen, then re-uploaded with 3.4's recommendation reworded."""
    with Store(db) as store:
        save(store, renumbered_agenda())
        store.detect_changes()
        save(
            store,
            _reworded(
                renumbered_agenda(),
                "3.4",
                "Om Strategi for grøn\nmobilitet.",
                "v2.txt",
            ),
        )


def test_item_change_names_the_part_and_the_words(db: Path) -> None:
    from kkr_tui.meetingwork.changes import item_change, whats_new

    _reuploaded(db)
    with Store(db) as store:
        store.detect_changes()
        item = _item(store, "3.4")
        change = item_change(store, item)
        assert change is not None and change.diff is not None
        (part,) = change.diff.changed_parts
        assert (part.kind, part.status, part.added_words, part.removed_words) == (
            "Indstilling",
            "changed",
            1,
            0,
        )
        assert [s.text for s in part.spans if s.op == "added"] == [" grøn"]
        assert item_change(store, _item(store, "3.3")) is None  # not changed
        assert [(c.number, d is not None) for c, d in whats_new(store)] == [("3.4", True)]


def test_kkr_tui_new_prints_the_changed_words(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from kkr_tui.cli import main

    _reuploaded(db)
    assert main(["new", "--db", str(db)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("ændret  KKR Hovedstaden  18.06.2025  3.4  Strategi for mobilitet")
    assert out[1] == "        Indstilling: ændret (0 ord fjernet, 1 ord tilføjet)"
    assert out[2] == "          Om Strategi for {+grøn+} mobilitet."
    assert out[-1] == (
        "[-…-] er fjernet, {+…+} er tilføjet (mellemrum og linjeskift sammenlignes ikke)."
    )


def test_kkr_tui_new_json_carries_the_spans(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import json

    from kkr_tui.cli import main

    _reuploaded(db)
    assert main(["new", "--db", str(db), "--json"]) == 0
    (entry,) = json.loads(capsys.readouterr().out)
    change = entry["change"]
    assert change["kept"] is True and change["compared_with"] == "agenda"
    (part,) = change["parts"]
    assert part["status"] == "changed" and part["added_words"] == 1
    assert part["spans"] == [
        {"op": "same", "text": "Om Strategi for"},
        {"op": "added", "text": " grøn"},
        {"op": "same", "text": " mobilitet."},
    ]


def test_kkr_tui_new_says_when_the_earlier_version_was_not_kept(
    db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from kkr_tui.cli import main

    _reuploaded(db)
    with Store(db) as store:
        store.detect_changes()
        store._conn.execute("DELETE FROM item_versions")  # as an older release left it
    assert main(["new", "--db", str(db)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[1] == (
        "        (den tidligere version blev ikke gemt: kun at punktet er ændret, vides)"
    )
