"""What the reader takes from a document is bounded: long links, huge notes.

A 1.4 KB link made each palette keypress take 15 s, a 5 MB one froze the reader; a
50 MB note froze it for minutes. The caps are asserted on what the app holds and
shows, not on time.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from app_fixtures import build_store, make_app, settle
from rich.console import Console
from store_factory import make_item, make_meeting
from textual.widgets import TextArea

from kkr_tui.app.commands import KkrCommands
from kkr_tui.app.limits import LINK_SHOWN_CHARS, MAX_LINK_CHARS, link_label
from kkr_tui.app.render import bullet_list
from kkr_tui.app.screens.note_editor import NoteEditor
from kkr_tui.records import MAX_NOTE_BYTES
from kkr_tui.store import Store

SIZE = (110, 36)
SHORT = "https://www.kl.dk/kort"
MEDIUM = "https://www.kl.dk/" + "m" * 1_400
HUGE = "https://www.kl.dk/" + "h" * 5_000_000


@pytest.fixture
def db(tmp_path: Path) -> Path:
    item = make_item("1.1", "Punkt med lange links", urls=[SHORT, MEDIUM, HUGE])
    return build_store(tmp_path / "kkr.db", [make_meeting([item])])


def _item_id(db: Path) -> int:
    with Store(db) as store:
        return store.find_items_by_number("1.1")[0].id


def test_link_label_is_bounded() -> None:
    assert link_label(SHORT) == SHORT
    label = link_label(HUGE)
    assert len(label) == LINK_SHOWN_CHARS and label.endswith("…") and HUGE.startswith(label[:-1])


def test_the_pane_shows_links_shortened() -> None:
    console = Console(width=120, record=True, color_system=None)
    console.print(bullet_list([SHORT, MEDIUM], links=True))
    text = console.export_text()
    assert SHORT in text and len(text) < 400


async def test_links_are_cut_where_the_item_enters_the_app(db: Path) -> None:
    app = make_app(db)
    opened: list[str] = []
    app.open_url = opened.append  # type: ignore[method-assign]
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.open_view(("item", _item_id(db)))
        await settle(pilot)
        urls = app.current_item.urls
        assert urls[0] == SHORT and urls[1] == MEDIUM
        assert len(urls[2]) == MAX_LINK_CHARS and HUGE.startswith(urls[2])
        provider = KkrCommands(app.screen)
        links = [c for c in provider._candidates() if c[0].startswith("Åbn link")]
        assert len(links) == 3
        assert all(len(name) <= len("Åbn link ") + LINK_SHOWN_CHARS for name, _, _ in links)
        hits = [hit async for hit in provider.search("åbn link hhhh")]
        assert len(hits) == 1
        hits[0].command()
        assert opened == [urls[2]]


async def test_a_note_over_the_limit_stays_in_the_editor_with_a_message(db: Path) -> None:
    item_id = _item_id(db)
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.open_view(("item", item_id))
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot)
        assert isinstance(app.screen, NoteEditor)
        app.screen.query_one(TextArea).load_text(("x" * 99 + "\n") * (MAX_NOTE_BYTES // 100 + 1))
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, NoteEditor), "the text must not be lost"
        assert any("for stor" in n.message for n in app._notifications)
        await pilot.press("escape")
        await settle(pilot)
    with Store(db) as store:
        assert store.note_for(item_id) is None


def test_titles_paragraphs_and_attachment_names_are_bounded() -> None:
    from kkr_tui.app.limits import MAX_TEXT_CHARS, bounded_item
    from kkr_tui.model import Block, Part
    from kkr_tui.records import ItemDetail, ItemRef

    huge = "ord " * 1_250_000  # 5 MB
    item = ItemDetail(
        ItemRef(1, "KKR Hovedstaden", "2025-06-18", "agenda", "1.1", huge), 1, 1, None,
        initials=(), parts=(Part("Baggrund", "Baggrund", (Block("paragraph", huge),
                                                         Block("paragraph", "kort"))),),
        attachments=(huge,), urls=(SHORT,), first_page=1, last_page=1, warnings=(),
        source_path="x.txt",
    )  # fmt: skip
    bounded = bounded_item(item)
    texts = [bounded.title, *bounded.attachments, *(b.text for b in bounded.parts[0].blocks)]
    assert all(len(t) <= MAX_TEXT_CHARS for t in texts)
    assert bounded.title.endswith("[…]") and bounded.parts[0].blocks[1].text == "kort"
    assert bounded.urls == (SHORT,)
    ordinary = dataclasses.replace(
        item, ref=dataclasses.replace(item.ref, title="Kort"), parts=(), attachments=()
    )
    assert bounded_item(ordinary) is ordinary
