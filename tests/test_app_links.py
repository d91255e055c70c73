"""Links in the reading pane: ``tab`` moves a link cursor, ``enter`` opens that link.

Before, ``enter`` in the text opened the item's only link or offered a list, whatever
link the reader was looking at; a link inside a paragraph could only be clicked. Now
``tab`` / ``shift+tab`` walk the links of the text and the Links list in order (the
current one reversed and scrolled into view), ``enter`` opens the current one, a
click opens the one clicked, and only web addresses and files on this computer open.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest
from app_fixtures import build_store, make_app, settle
from rich.style import Style
from textual import events

from kkr_tui.app.links import LinkText, spots, target
from kkr_tui.model import Block, Item, Meeting, Part, Section

FIRST = "https://www.kl.dk/foerste"
SECOND = "https://www.regionh.dk/anden-side"
IN_LIST = "https://www.kl.dk/listen"
HOSTILE = "javascript:alert(1)"
MAIL = "mailto:kkr@kl.dk"


def _meeting(local_file: Path) -> Meeting:
    filler = tuple(Block("paragraph", f"Afsnit {n} uden links. " * 8) for n in range(40))
    parts = (
        Part(
            "Baggrund",
            "Baggrund",
            (
                Block("paragraph", f"Se {FIRST} og [b]{SECOND}[/b]."),
                *filler,
                Block("bullet", f"Punkt med {FIRST}/til-sidst", "•"),
            ),
        ),
        Part(
            "Indstilling", "Indstilling", (Block("paragraph", "Det indstilles, at KKR tager det."),)
        ),
    )
    item = Item(
        number="1.1",
        title="Links overalt",
        case_number="SAG-2025-00001",
        initials=(),
        parts=parts,
        attachments=(),
        urls=(IN_LIST, HOSTILE, MAIL, str(local_file), "/findes/ikke.pdf"),
        first_page=1,
        last_page=1,
    )
    return Meeting(
        source="links.txt",
        council="KKR Hovedstaden",
        meeting_date="2025-06-18",
        doc_type="agenda",
        sections=(Section(1, "Sager", (item,), page=1),),
        page_count=1,
    )


@pytest.fixture
def links_db(tmp_path: Path) -> tuple[Path, Path]:
    local = tmp_path / "notat.pdf"
    local.write_bytes(b"%PDF-1.4\n")
    return build_store(tmp_path / "db" / "kkr.db", [_meeting(local)]), local


def _run(db: Path, script: Any, size: tuple[int, int] = (100, 30)) -> Any:
    async def go() -> Any:
        app = make_app(db)
        opened: list[str] = []
        app.open_url = lambda url, new_tab=True: opened.append(url)  # no browser in tests
        async with app.run_test(size=size) as pilot:
            await settle(pilot)
            await pilot.press("right_square_bracket")  # item 1.1
            await settle(pilot)
            app.show_text()
            await settle(pilot)
            return await script(app, pilot, opened)

    return asyncio.run(go())


def _current(app: Any) -> str | None:
    return app.pane.link.url if app.pane.link is not None else None


def test_tab_walks_the_links_in_order_and_enter_opens_the_current_one(
    links_db: tuple[Path, Path],
) -> None:
    db, local = links_db

    async def script(app: Any, pilot: Any, opened: list[str]) -> Any:
        seen = []
        for _ in range(8):
            await pilot.press("tab")
            await settle(pilot)
            seen.append(_current(app))
        await pilot.press("shift+tab")
        await settle(pilot)
        at_end = _current(app)
        return seen, at_end, app.focused is app.pane

    seen, at_end, in_pane = _run(db, script)
    assert seen == [
        FIRST,
        SECOND,
        f"{FIRST}/til-sidst",
        IN_LIST,
        HOSTILE,
        MAIL,
        str(local),
        "/findes/ikke.pdf",
    ]
    assert at_end == str(local) and in_pane


def test_enter_opens_the_link_under_the_cursor_not_the_first(links_db: tuple[Path, Path]) -> None:
    db, _local = links_db

    async def script(app: Any, pilot: Any, opened: list[str]) -> Any:
        await pilot.press("tab", "tab")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        return list(opened)

    assert _run(db, script) == [SECOND]


def test_the_current_link_is_marked_and_scrolled_into_view(links_db: tuple[Path, Path]) -> None:
    db, _local = links_db

    async def script(app: Any, pilot: Any, opened: list[str]) -> Any:
        await pilot.press("tab", "tab", "tab")  # the bullet after 40 paragraphs
        await settle(pilot)
        spot = app.pane.link
        y = spot.widget.content_region.y + spot.widget.line_of(
            spot.index, spot.widget.content_region.width
        )
        marked = [s for w in app.pane.query(LinkText) for s in [w.current] if s is not None]
        return app.pane.scroll_y, app.pane.content_region, y, marked

    scroll_y, view, y, marked = _run(db, script)
    assert scroll_y > 0
    assert view.y <= y < view.bottom
    assert marked == [2]  # one widget marks one link: the third of the Baggrund


def test_past_the_last_link_tab_goes_on_to_the_list(links_db: tuple[Path, Path]) -> None:
    db, _local = links_db

    async def script(app: Any, pilot: Any, opened: list[str]) -> Any:
        for _ in range(9):
            await pilot.press("tab")
        await settle(pilot)
        return app.focused is app.tree, app.pane.link

    assert _run(db, script) == (True, None)


def test_only_web_addresses_and_local_files_open(links_db: tuple[Path, Path]) -> None:
    db, local = links_db

    async def script(app: Any, pilot: Any, opened: list[str]) -> Any:
        notes = []
        for _ in range(4):
            await pilot.press("tab")
        for _ in range(4):  # javascript:, mailto:, the local file, a missing file
            await pilot.press("tab")
            await settle(pilot)
            await pilot.press("enter")
            await settle(pilot)
            notes.append(str(list(app._notifications)[-1].message))
        return list(opened), notes

    opened, notes = _run(db, script)
    assert opened == [local.resolve().as_uri()]
    assert notes[0].startswith(HOSTILE) and "åbnes ikke: kun webadresser" in notes[0]
    assert notes[1].startswith(MAIL) and "åbnes ikke" in notes[1]
    assert "åbnes ikke: filen findes ikke" in notes[3]


def test_a_click_opens_the_link_clicked_and_puts_the_cursor_on_it(
    links_db: tuple[Path, Path],
) -> None:
    db, _local = links_db

    async def script(app: Any, pilot: Any, opened: list[str]) -> Any:
        body = app.pane.query(LinkText).first()
        style = Style(link=SECOND)
        click = events.Click(body, 1, 1, 0, 0, 1, False, False, False, style=style)
        app.pane.on_click(click)
        await settle(pilot)
        return list(opened), _current(app)

    assert _run(db, script) == ([SECOND], SECOND)


def test_without_a_current_link_enter_still_offers_the_items_links(
    links_db: tuple[Path, Path],
) -> None:
    db, _local = links_db

    async def script(app: Any, pilot: Any, opened: list[str]) -> Any:
        await pilot.press("enter")
        await settle(pilot)
        return type(app.screen).__name__

    assert _run(db, script) == "PickListScreen"


@pytest.mark.parametrize(
    ("url", "opens"),
    [
        ("https://www.kl.dk/x", True),
        ("HTTP://www.kl.dk/x", True),
        ("javascript:alert(1)", False),
        ("file://server/share/x.pdf", False),
        ("ftp://kl.dk/x", False),
        ("data:text/html,<b>x</b>", False),
        ("relative/path.pdf", False),
    ],
)
def test_target(url: str, opens: bool) -> None:
    assert (target(url) is not None) is opens


def test_a_link_is_drawn_literally_and_its_target_capped(tmp_path: Path) -> None:
    from kkr_tui.app.limits import MAX_LINK_CHARS
    from kkr_tui.app.links import LinkMarks
    from kkr_tui.app.render import linkify

    long = "https://www.kl.dk/" + "a" * (3 * MAX_LINK_CHARS)
    marks = LinkMarks(0)
    text = linkify(f"[b]{long}[/b]", marks)
    assert text.plain == f"[b]{long}[/b]"
    assert marks.urls == [long[:MAX_LINK_CHARS]]
    assert all(len(span.style.link or "") <= MAX_LINK_CHARS for span in text.spans)  # type: ignore[union-attr]


def test_spots_of_an_empty_pane() -> None:
    from textual.widget import Widget

    assert spots(Widget()) == []
