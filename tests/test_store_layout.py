"""A part's blocks come back exactly from its text and layout (store/layout.py), and an
old database is usable from the command line: the previous layout is read as it is, an
older one is migrated where the command may write and named in one line where not."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kkr_tui.cli import main
from kkr_tui.model import Block, Part
from kkr_tui.store import SCHEMA_VERSION, Store, layout

FIXTURE = Path(__file__).parent / "fixtures" / "kkr-v3.db"

_blocks = st.lists(
    st.builds(
        Block,
        st.sampled_from(["paragraph", "bullet", "numbered", "heading"]),
        st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=40)
        | st.sampled_from(["", "\n\n", "a\n\nb", " x ", "– y"]),
        st.sampled_from(["", "–", "-", "•", "1.", "2)", "a)", " ", "ø"]),
    ),
    max_size=8,
)


@given(_blocks)
def test_blocks_come_back_from_text_and_layout(blocks: list[Block]) -> None:
    text = Part("Baggrund", "Baggrund", tuple(blocks)).text
    assert layout.decode(text, layout.encode(blocks)) == tuple(blocks)


def test_a_plain_paragraph_costs_only_its_length() -> None:
    blocks = [Block("paragraph", "Første afsnit."), Block("bullet", "punkt", "–")]
    assert layout.encode(blocks) == '[14,["bullet","–",5]]'
    assert layout.encode([]) is None
    assert layout.decode("", None) == ()


@pytest.mark.parametrize(
    ("text", "shape"),
    [
        ("kort", "[10]"),
        ("to\n\nafsnit", "[2]"),
        ("to afsnit", "[2,6]"),
        ("x punkt", '[["bullet","–",5]]'),
    ],
)
def test_a_text_that_does_not_fit_its_layout_is_refused(text: str, shape: str) -> None:
    with pytest.raises(layout.LayoutError):
        layout.decode(text, shape)


def test_reading_commands_read_an_old_database(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "kkr.db"
    shutil.copyfile(FIXTURE, db)
    assert main(["search", "sundhedsreformen", "--db", str(db)]) == 0
    assert "Sundhedsreformen" in capsys.readouterr().out
    assert main(["notes", "--db", str(db)]) == 0
    assert "Min note" in capsys.readouterr().out


def test_search_on_an_older_read_only_database_says_what_to_do(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from old_databases import downgrade_to_v2

    from kkr_tui import paths

    db = tmp_path / "kkr.db"
    shutil.copyfile(FIXTURE, db)
    downgrade_to_v2(db)
    before = db.read_bytes()
    monkeypatch.setattr(paths, "database_is_read_only", lambda path: True)
    assert main(["search", "sundhedsreformen", "--db", str(db)]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "kkr-tui ingest" in err[0] and "skema 2" in err[0]
    assert db.read_bytes() == before


def test_search_on_an_older_writable_database_migrates_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from old_databases import downgrade_to_v2

    db = tmp_path / "kkr.db"
    shutil.copyfile(FIXTURE, db)
    downgrade_to_v2(db)
    assert main(["search", "sundhedsreformen", "--db", str(db)]) == 0
    assert "Sundhedsreformen" in capsys.readouterr().out
    with Store(db, read_only=True) as store:
        assert store._conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
