"""A page that cannot be read, or a repaired file, is a warning that is never silent.

The page is kept with empty text so the rest of the document is stored, and a
:class:`PageWarning` travels with the document: the ingest result line shows it, the
store keeps it, ``kkr-tui parse`` prints it and the item pane shows it on the items
whose text the page may have held. Before, the reason was put in
``SourceDocument.metadata``, which nobody read: the document was stored as ``added``
with a section missing and no word about it.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from app_fixtures import make_app, pane_text, settle
from pdf_factory import (
    DANISH_PAGES,
    NESTED_ARRAYS,
    OVER_DECODE_LIMIT,
    with_page_content,
)

from kkr_tui.cli import main
from kkr_tui.model import PageWarning
from kkr_tui.parser import parse
from kkr_tui.sources import read_document
from kkr_tui.store import Store


@pytest.fixture
def nested_pdf(tmp_path: Path, good_pdf: Path) -> Path:
    return with_page_content(good_pdf, tmp_path / "nested.pdf", 1, NESTED_ARRAYS)


def _failed_on(path: Path) -> tuple[PageWarning, ...]:
    doc = read_document(path)
    assert doc.pages[1].text == ""
    assert doc.pages[0].text == DANISH_PAGES[0] and doc.pages[2].text == DANISH_PAGES[2]
    return doc.page_warnings


def test_deeply_nested_arrays_are_a_failed_page(nested_pdf: Path) -> None:
    (warning,) = _failed_on(nested_pdf)
    assert (warning.kind, warning.page) == ("failed", 2)
    assert "recursion" in warning.reason


def test_a_stream_over_the_decode_limit_is_a_failed_page(tmp_path: Path, good_pdf: Path) -> None:
    path = with_page_content(good_pdf, tmp_path / "big.pdf", 1, OVER_DECODE_LIMIT, compress=True)
    (warning,) = _failed_on(path)
    assert (warning.kind, warning.page) == ("failed", 2)
    assert "limit reached" in warning.reason


def test_a_spent_token_budget_is_a_failed_page(tmp_path: Path, good_pdf: Path) -> None:
    from pypdf import apply_configuration

    array = b"[" + b"0 " * 900 + b"]"
    content = b"BT /F1 9 Tf " + b" ".join([array] * 3) + b" TJ ET"
    path = with_page_content(good_pdf, tmp_path / "tokens.pdf", 1, content)
    with apply_configuration(stream_parsing_work_maximum_count=2000):
        (warning,) = _failed_on(path)
    assert (warning.kind, warning.page) == ("failed", 2)
    assert "maximum number of tokens" in warning.reason


def test_a_repaired_file_is_a_warning_on_every_item(tmp_path: Path, good_pdf: Path) -> None:
    data = good_pdf.read_bytes()
    cut = tmp_path / "cut.pdf"
    cut.write_bytes(data[: data.rindex(b"\nxref")])
    meeting = parse(read_document(cut))
    repaired = PageWarning("repaired", 0, "filen er afkortet", "truncated")
    assert meeting.page_warnings == (repaired,)
    assert all(item.page_warnings == (repaired,) for item in meeting.items())
    assert "beskadiget PDF repareret (filen er afkortet)" in repaired.text


def test_the_parser_puts_a_failed_page_on_the_items_it_may_have_held(nested_pdf: Path) -> None:
    meeting = parse(read_document(nested_pdf))
    (warning,) = meeting.page_warnings
    touched = {item.number: item.page_warnings for item in meeting.items()}
    # Item 2.1 began on page 2 and is lost; its text may have run on under 1.1, which
    # runs until 3.1 starts on page 3. Item 3.1 lies wholly after the failed page.
    assert touched == {"1.1": (warning,), "3.1": ()}


def test_ingest_line_store_parse_and_pane_all_show_it(
    nested_pdf: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "kkr.db"
    assert main(["ingest", str(nested_pdf), "--db", str(db)]) == 0
    out = capsys.readouterr().out
    (line,) = [
        row for row in out.splitlines() if row.startswith("tilføjet ") and "nested.pdf" in row
    ]
    assert "advarsel: side 2 kunne ikke læses (indholdet er beskadiget); dens tekst mangler" in line

    store = Store(db, read_only=True)
    try:
        (council,) = store.councils()
        (meeting_row,) = store.meetings(council, store.years(council)[0])
        items = {i.number: i.id for i in store.meeting(meeting_row.id).items}
        first, last = store.item(items["1.1"]), store.item(items["3.1"])
    finally:
        store.close()
    assert [(w.kind, w.page) for w in first.page_warnings] == [("failed", 2)]
    assert first.warnings == () and last.page_warnings == ()

    assert main(["parse", str(nested_pdf)]) == 0
    outline = capsys.readouterr().out
    assert (
        "      advarsel: side 2 kunne ikke læses (indholdet er beskadiget); dens tekst mangler"
        in outline
    )
    assert outline.count("side 2 kunne ikke læses") == 2  # on item 1.1 and the meeting

    app = make_app(db)
    async_test = _pane_after_first_item(app)
    import asyncio

    pane = asyncio.run(async_test)
    assert "⚠ side 2 kunne ikke læses (indholdet er beskadiget); dens tekst mangler" in pane


async def _pane_after_first_item(app: object) -> str:
    async with app.run_test(size=(160, 50)) as pilot:  # type: ignore[attr-defined]
        await settle(pilot)
        overview = pane_text(app)
        assert (
            "⚠ Dagsorden: side 2 kunne ikke læses (indholdet er beskadiget); dens tekst mangler"
            in overview
        )
        await pilot.press("right_square_bracket")
        await settle(pilot)
        assert app.current_item.number == "1.1"  # type: ignore[attr-defined]
        return pane_text(app)


def test_the_reason_is_worded_when_shown_and_an_old_row_keeps_its_words() -> None:
    """A page warning carries a code (``cause``) and pypdf's own words (``reason``): the
    line is in the language of whoever reads it, not of whoever stored the file; a row
    an older kkr-tui stored (words only) is shown as it was."""
    from kkr_tui import i18n

    timeout = PageWarning("failed", 2, "tog længere end 30 s", "timeout", (("seconds", 30.0),))
    damaged = PageWarning("failed", 3, "maximum recursion depth exceeded", "damaged")
    assert timeout.text == "side 2 kunne ikke læses (tog længere end 30 s); dens tekst mangler"
    assert "(indholdet er beskadiget)" in damaged.text
    i18n.set_language("en")
    assert timeout.text == "page 2 could not be read (took longer than 30 s); its text is missing"
    i18n.set_language("da")
    stored = damaged.as_json()
    assert stored == {
        "kind": "failed",
        "page": 3,
        "reason": "maximum recursion depth exceeded",
        "cause": "damaged",
        "params": {},
    }
    assert PageWarning.from_json(stored) == damaged
    old = PageWarning.from_json({"kind": "failed", "page": 2, "reason": "tog længere end 1 s"})
    assert old.cause == "" and "(tog længere end 1 s)" in old.text
    odd = PageWarning.from_json({"kind": "failed", "page": 2, "reason": "x", "cause": "nyt"})
    assert odd.cause == "" and "(x)" in odd.text
