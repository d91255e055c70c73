"""Bilag: tied to their meeting and item, read page by page, found by search."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sync_fixtures import config_home, sync  # noqa: F401 - the fixture is used by name
from sync_site import Site

from kkr_tui.cli import main
from kkr_tui.store import Store
from kkr_tui.sync.bilag_match import bilag_number, match_item

ITEMS = [
    ("1.1", ()),
    ("2.1", ("Bilag 2.1 Klimaplan for regionen", "Bilag 2.2 Notat om drikkevand")),
    ("3.4", ("Budgetnotat 2026", "./. Oversigt over sundhedsklynger")),
]


@pytest.mark.parametrize(
    ("names", "item"),
    [
        (["Bilag 2.2 Notat om drikkevand"], "2.1"),
        (["PDF", "bilag-2-1-klimaplan"], "2.1"),
        (["Oversigt over sundhedsklynger i regionen"], "3.4"),
        (["Budgetnotat 2026 (2)"], "3.4"),
        (["Bilag 9.1 Noget helt andet"], None),
        (["Forretningsorden"], None),
    ],
)
def test_a_bilag_is_matched_to_the_item_whose_list_names_it(names, item) -> None:
    assert match_item(names, ITEMS) == item


def test_bilag_numbers() -> None:
    assert bilag_number("Bilag 3.1 Klimaplan") == "3.1"
    assert bilag_number("bilag-3-1-klimaplan") == "3.1"
    assert bilag_number("Klimaplan") is None


@pytest.fixture
def site(config_home: Path):  # noqa: F811 - pytest fixture by name
    site = Site()
    site.add_meeting(
        "midtjylland",
        "2025-03-12",
        minutes=True,
        bilag=("Bilag 2.1 Klimaplan for regionen", "Notat om drikkevand", "Årsberetning"),
    )
    site.start()
    yield site
    site.stop()


def test_bilag_are_read_and_tied_to_meeting_and_item(site: Site, tmp_db: Path, capsys) -> None:
    assert sync(site, tmp_db, "--council", "midtjylland") == 0
    out = capsys.readouterr().out
    assert "bilag læst    Bilag 2.1 Klimaplan for regionen  (2 sider, punkt 2.1)" in out
    with Store(tmp_db) as store:
        rows = store.meeting_bilag("KKR Midtjylland", "2025-03-12")
        assert [(b.title, b.item_number, b.state, b.page_count) for b in rows] == [
            ("Bilag 2.1 Klimaplan for regionen", "2.1", "ready", 2),
            ("Notat om drikkevand", "2.1", "ready", 2),
            ("Årsberetning", None, "ready", 2),
        ]
        pages = store.bilag_pages(rows[0].id, 2, 10)
        assert [n for n, _ in pages] == [2] and "Side 2 af 2" in pages[0][1]
        item = store.bilag_item(rows[0].id)
        assert item is not None and item.number == "2.1" and item.doc_type == "minutes"
        assert [b.title for b in store.item_bilag(item.id)] == [
            "Bilag 2.1 Klimaplan for regionen",
            "Notat om drikkevand",
        ]
    # An unchanged second run reads nothing again.
    assert sync(site, tmp_db, "--council", "midtjylland") == 0
    assert "bilag læst" not in capsys.readouterr().out


def test_a_bilag_page_is_found_by_search(site: Site, tmp_db: Path, capsys) -> None:
    assert sync(site, tmp_db, "--council", "midtjylland") == 0
    capsys.readouterr()
    assert main(["search", "--db", str(tmp_db), "--json", "grundvand", "drikkevand"]) == 0
    hits = json.loads(capsys.readouterr().out)
    bilag = [h for h in hits if h["kind"] == "bilag"]
    assert bilag, hits
    first = bilag[0]
    assert first["council"] == "KKR Midtjylland" and first["meeting_date"] == "2025-03-12"
    assert first["bilag_title"] and first["page"] in (1, 2)
    assert {h["bilag_title"] for h in bilag} == {
        "Bilag 2.1 Klimaplan for regionen",
        "Notat om drikkevand",
        "Årsberetning",
    }
    tied = [h for h in bilag if h["bilag_title"] == "Notat om drikkevand"]
    assert tied[0]["number"] == "2.1" and tied[0]["item_id"] > 0
    # Folded as items are: "grundvánd" and "GRUNDVAND" find the same pages.
    assert main(["search", "--db", str(tmp_db), "GRUNDVÁND"]) == 0
    text = capsys.readouterr().out
    assert "bilag: Notat om drikkevand, s. 1 (+1 side mere)" in text  # both pages have it
    # Filters apply: bilag are no agenda or minutes.
    assert main(["search", "--db", str(tmp_db), "--json", "grundvand type:referat"]) == 0
    assert all(h["kind"] != "bilag" for h in json.loads(capsys.readouterr().out))


def test_a_bilag_without_text_is_kept_unreadable(site: Site, tmp_db: Path, capsys) -> None:
    from pdf_factory import build_textless_pdf

    scan = build_textless_pdf(tmp_db.parent.parent / "scan.pdf", pages=1).read_bytes()
    site.meetings["midtjylland"][0].links[-1].body = scan
    assert sync(site, tmp_db, "--council", "midtjylland") == 0
    assert "bilag ulæst" in capsys.readouterr().out
    with Store(tmp_db) as store:
        last = store.meeting_bilag("KKR Midtjylland", "2025-03-12")[-1]
    assert last.state == "unreadable" and last.reason and Path(last.path).is_file()


def test_a_briefing_lists_each_items_bilag_with_their_links(
    site: Site, tmp_db: Path, capsys
) -> None:
    """The item's Bilag list gets the fetched bilag's address beside the entry naming it;
    a bilag tied to no item is listed with the meeting; HTML makes the addresses links."""
    assert sync(site, tmp_db, "--council", "midtjylland") == 0
    capsys.readouterr()
    with Store(tmp_db) as store:
        urls = {b.title: b.url for b in store.meeting_bilag("KKR Midtjylland", "2025-03-12")}
    assert main(["export", "--db", str(tmp_db), "midtjylland 12.03.2025"]) == 0
    text = capsys.readouterr().out
    klima, drikke, aars = (
        urls["Bilag 2.1 Klimaplan for regionen"],
        urls["Notat om drikkevand"],
        urls["Årsberetning"],
    )
    assert f"- Bilag 2.1 Klimaplan for regionen (2 sider): <{klima}>" in text
    assert f"- Bilag 2.2 Notat om drikkevand — Notat om drikkevand (2 sider): <{drikke}>" in text
    assert "- Bilag til mødet (ikke knyttet til et punkt):" in text
    assert f"    - Årsberetning (2 sider): <{aars}>" in text
    assert text.count(aars) == 1 and text.count(drikke) == 1
    assert main(["export", "--db", str(tmp_db), "--format", "html", "midtjylland 12.03.2025"]) == 0
    html = capsys.readouterr().out
    assert f'<a href="{drikke}">{drikke}</a>' in html


def test_a_bilag_not_fetched_from_the_web_is_listed_by_its_path() -> None:
    """A bilag whose address is no web address (a hostile or odd one) is never written as a
    link: its path on this disk is, as text."""
    from kkr_tui.meetingwork.briefing import bilag_lines
    from kkr_tui.records import BilagRow

    odd = BilagRow(
        1, "javascript:alert(1)", "KKR Midtjylland", "2025-03-12", "2.1",
        "Notat [klik](x)", "/srv/kkr/b_1.pdf", 3, 3, "unreadable", "intet tekstlag",
    )  # fmt: skip
    lines = bilag_lines(("Bilag 2.2 Noget andet",), [odd])
    assert lines[0] == "- Bilag 2.2 Noget andet"
    assert lines[1].startswith(r"- Notat \[klik\](x) (3 sider, tekst ulæselig): ")
    assert "javascript" not in lines[1] and "<" not in lines[1]
    assert lines[1].endswith(": /srv/kkr/b\\_1.pdf")  # escaped: Markdown shows b_1.pdf
