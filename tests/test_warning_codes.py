"""The parser's warnings are codes with numbers; the words come where they are shown.

Before, a numbering jump was an English f-string made inside the parser, stored and
shown as it was: ``kkr-tui parse`` and the reader said "item numbering jumps from 3.7
to 3.9" to a Danish user. Now the parser says ``item_numbering_jump`` with its
numbers, ``--json`` prints that, the store keeps it, and the CLI and reader word it in
the user's language — also for a database an older kkr-tui wrote English lines into.
"""

from __future__ import annotations

import asyncio
import json
import sqlite3
from pathlib import Path

import pytest
from app_fixtures import make_app, pane_text, settle

from kkr_tui import i18n
from kkr_tui.cli import main
from kkr_tui.model import ParseWarning
from kkr_tui.parser import parse
from kkr_tui.sources import read_text
from kkr_tui.store import Store
from kkr_tui.warning_words import MESSAGES, describe

JUMP_DA = "punkternes nummerering springer fra 3.7 til 3.9"
JUMP_EN = "item numbering jumps from 3.7 to 3.9"


@pytest.fixture
def jumping(samples_dir: Path, tmp_path: Path) -> Path:
    """The minutes of 3 February 2025 with item 3.8 printed as 3.9."""
    text = (samples_dir / "001_5e5d42c32cdde801.txt").read_text(encoding="utf-8")
    assert "\n3.8. Forlængelse" in text
    path = tmp_path / "spring.txt"
    path.write_text(text.replace("\n3.8. Forlængelse", "\n3.9. Forlængelse"), encoding="utf-8")
    return path


def test_the_parser_gives_a_code_and_its_numbers(jumping: Path) -> None:
    meeting = parse(read_text(jumping))
    assert ParseWarning("item_numbering_jump", (("section", 3), ("previous", 7), ("found", 9))) in (
        meeting.warnings
    )
    assert all(isinstance(w, ParseWarning) for i in meeting.items() for w in i.warnings)


def test_every_code_has_words() -> None:
    from typing import get_args

    from kkr_tui.model import ParseWarningCode

    assert set(MESSAGES) == set(get_args(ParseWarningCode)) - {"text"}


def test_parse_words_it_in_the_users_language(
    jumping: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["parse", str(jumping)]) == 0
    out = capsys.readouterr().out
    assert f"advarsel: {JUMP_DA}" in out.splitlines()
    assert "jumps" not in out
    i18n.set_language("en")
    assert main(["parse", str(jumping)]) == 0
    assert f"warning: {JUMP_EN}" in capsys.readouterr().out.splitlines()


def test_parse_json_keeps_the_machine_code(
    jumping: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["parse", "--json", str(jumping)]) == 0
    data = json.loads(capsys.readouterr().out)
    assert {
        "code": "item_numbering_jump",
        "params": {"section": 3, "previous": 7, "found": 9},
    } in data["warnings"]
    item_codes = [w["code"] for s in data["sections"] for i in s["items"] for w in i["warnings"]]
    assert item_codes == ["no_beslutning"]  # item 2.1 of these minutes has no Beslutning


@pytest.mark.parametrize(
    ("stored", "expected"),
    [
        ("item numbering jumps from 3.7 to 3.9", ("item_numbering_jump", JUMP_DA)),
        ("section numbering jumps from 2 to 4", ("section_numbering_jump", "fra 2 til 4")),
        ("the first section found is 2, not 1", ("first_section", "er 2, ikke 1")),
        ("no council name found", ("no_council", "intet rådsnavn fundet")),
        ("minutes without a Beslutning heading for this item", ("no_beslutning", "Beslutning")),
        ("[b]noget andet[/b]\x1b[31m", ("text", "[b]noget andet[/b]")),
    ],
)
def test_an_older_databases_english_lines_read_as_codes(
    stored: str, expected: tuple[str, str]
) -> None:
    warning = ParseWarning.from_json(stored)
    assert warning is not None and warning.code == expected[0]
    assert expected[1] in describe(warning)


def test_a_stored_warning_of_unknown_shape_is_left_to_the_page_warnings() -> None:
    assert ParseWarning.from_json({"kind": "failed", "page": 2, "reason": "x"}) is None
    damaged = ParseWarning.from_json({"code": "item_numbering_jump", "params": {}})
    assert damaged is not None and describe(damaged) == "item_numbering_jump"


def _legacy_db(path: Path, tmp_path: Path) -> tuple[Path, int, int]:
    """``path`` stored, then its warnings rewritten as an older kkr-tui wrote them."""
    db = tmp_path / "old.db"
    assert main(["ingest", str(path), "--db", str(db)]) == 0
    with sqlite3.connect(db) as conn:
        conn.execute("UPDATE documents SET warnings = ?", (json.dumps([JUMP_EN]),))
        item_id = conn.execute("SELECT id FROM items WHERE number = '2.1'").fetchone()[0]
        conn.execute(
            "UPDATE items SET warnings = ? WHERE id = ?",
            (json.dumps(["minutes without a Beslutning heading for this item"]), item_id),
        )
        meeting_id = conn.execute("SELECT meeting_id FROM documents").fetchone()[0]
    conn.close()
    return db, meeting_id, item_id


def test_the_store_reads_old_and_new_rows_alike(jumping: Path, tmp_path: Path) -> None:
    db, meeting_id, item_id = _legacy_db(jumping, tmp_path)
    store = Store(db, read_only=True)
    try:
        (document,) = store.meeting(meeting_id).documents
        item = store.item(item_id)
    finally:
        store.close()
    assert [w.code for w in document.warnings] == ["item_numbering_jump"]
    assert [w.code for w in item.warnings] == ["no_beslutning"]


async def _overview_and_item(app: object, item_id: int) -> tuple[str, str]:
    async with app.run_test(size=(160, 50)) as pilot:  # type: ignore[attr-defined]
        await settle(pilot)
        await pilot.press("right_square_bracket")  # the first item of the meeting
        await settle(pilot)
        app.open_view(("meeting", app.current_item.meeting_id))  # type: ignore[attr-defined]
        await settle(pilot)
        overview = pane_text(app)
        app.open_view(("item", item_id))  # type: ignore[attr-defined]
        await settle(pilot)
        return overview, pane_text(app)


def test_the_reader_shows_an_old_database_in_danish(jumping: Path, tmp_path: Path) -> None:
    db, _meeting_id, item_id = _legacy_db(jumping, tmp_path)
    overview, item = asyncio.run(_overview_and_item(make_app(db), item_id))
    assert f"⚠ Referat: {JUMP_DA}" in overview
    assert "• referat uden overskriften Beslutning ved dette punkt" in item
    assert "jumps" not in overview and "without" not in item
