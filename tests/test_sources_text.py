"""The text reader: decoding, sanitising and rebuilding pages from pypdf-style text files.

The page rules come from STRUCTURE.md §1-§3; the sample-based tests pin them to the
real documents so a change to a rule that breaks a real page boundary fails here.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from kkr_tui.sources import UnreadableDocumentError, read_document, read_text, split_pages
from kkr_tui.sources.text import decode_text

URL_LINE = re.compile(r"^(?:https?://|mailto:)\S*[^\s-]$")

# 003 yields 20 pages, not the 21 of STRUCTURE.md §0: it has 19 page-start lines after
# line 1 (which is page 1 itself) plus 2 running headers and nothing else that could
# mark a page; its headers "SIDE 10" and "SIDE 15" land on pages 8 and 13, the same +2
# offset (cover and table of contents) as 001.
EXPECTED_PAGES = {"000": 26, "001": 33, "002": 20, "003": 20}

# (file, first line of an annotation-URL block, last line) -> page the block belongs to.
# Lines are 1-based as in STRUCTURE.md §13.
URL_BLOCKS = [
    ("000", 60, 60, 2),
    ("000", 201, 202, 5),
    ("000", 247, 247, 6),
    ("000", 299, 300, 7),
    ("000", 477, 477, 11),
    ("000", 754, 755, 18),
    ("000", 917, 920, 21),
    ("001", 103, 103, 2),
    ("001", 445, 450, 7),
    ("001", 543, 544, 8),
    ("001", 1317, 1317, 18),
    ("002", 297, 297, 5),
    ("002", 915, 916, 13),
    ("003", 65, 65, 1),
    ("003", 275, 275, 4),
    ("003", 614, 617, 8),
    ("003", 873, 875, 11),
    ("003", 1129, 1129, 14),
]


def _sample(samples_dir: Path, prefix: str) -> Path:
    (path,) = samples_dir.glob(f"{prefix}_*.txt")
    return path


def _lines(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").split("\n")


@pytest.mark.parametrize(("prefix", "count"), sorted(EXPECTED_PAGES.items()))
def test_sample_page_counts(samples_dir: Path, prefix: str, count: int) -> None:
    doc = read_document(_sample(samples_dir, prefix))
    assert doc.kind == "text"
    assert [p.number for p in doc.pages] == list(range(1, count + 1))


@pytest.mark.parametrize(("prefix", "first", "last", "page"), URL_BLOCKS)
def test_sample_annotation_urls_belong_to_the_page_before_them(
    samples_dir: Path, prefix: str, first: int, last: int, page: int
) -> None:
    path = _sample(samples_dir, prefix)
    urls = _lines(path)[first - 1 : last]
    doc = read_text(path)
    links = doc.pages[page - 1].links
    joined = "\n".join(links)
    assert all(url in links for url in urls)
    assert "\n".join(urls) in joined
    assert all(url not in doc.pages[page - 1].text.split("\n") for url in urls)


@pytest.mark.parametrize("prefix", sorted(EXPECTED_PAGES))
def test_sample_pages_keep_every_other_line_in_order(samples_dir: Path, prefix: str) -> None:
    path = _sample(samples_dir, prefix)
    raw = path.read_text(encoding="utf-8").removesuffix("\n").split("\n")
    doc = read_text(path)
    rebuilt = [line for page in doc.pages for line in page.text.split("\n")]
    assert rebuilt == [line for line in raw if not URL_LINE.match(line)]
    assert [u for page in doc.pages for u in page.links] == [
        line for line in raw if URL_LINE.match(line)
    ]


def test_sample_page_starts(samples_dir: Path) -> None:
    doc = read_text(_sample(samples_dir, "001"))
    assert doc.pages[0].text.startswith("\n \n\nMission ")
    assert doc.pages[1].text.startswith(" 1. Godkendelse af referat ")
    header_page = doc.pages[7]
    assert header_page.text.startswith("KKR Hovedstaden  | 03-02-2025 \n\n SIDE  |  10 \n")
    assert doc.pages[6].links[-1] == "https://careers.state-of-denmark.com/frontpage-company"


def test_page_start_is_exactly_one_space_then_non_space() -> None:
    text = "Første side \n  to mellemrum \n \nstadig side 1 \n Side to \n\t tab"
    pages = split_pages(text)
    assert [p.text for p in pages] == [
        "Første side \n  to mellemrum \n \nstadig side 1 ",
        " Side to \n\t tab",
    ]


def test_leading_page_start_does_not_make_an_empty_page() -> None:
    pages = split_pages("\n \n 1. Godkendelse \ntekst \n 2. Siden sidst ")
    assert [p.text for p in pages] == ["\n \n 1. Godkendelse \ntekst ", " 2. Siden sidst "]


def test_running_header_starts_a_page_and_side_line_does_not() -> None:
    text = (
        "slut på side 1 \n\nhttps://a.dk/x\n\n\n"
        "KKR Sjælland  | 03-02-2025 \n\n SIDE  |  10 \n\n Fortsat tekst \n\nmere "
    )
    pages = split_pages(text)
    assert len(pages) == 2
    assert pages[0].links == ("https://a.dk/x",)
    assert pages[0].text == "slut på side 1 \n\n\n"
    assert pages[1].text.startswith("KKR Sjælland  | 03-02-2025 ")
    assert pages[1].text.endswith(" Fortsat tekst \n\nmere ")


def test_url_lines_are_annotations_only_at_a_page_end_without_trailing_space() -> None:
    text = (
        "tekst \nhttps://inline.dk/a \nhttps://wrapped.dk/a-\nhttps://mid.dk/x\nmere tekst \n"
        "mailto:a@b.dk\n\nhttps://end.dk/1\nhttps://end.dk/1\n\n Side to \nhttps://last.dk/z"
    )
    pages = split_pages(text)
    assert pages[0].links == ("mailto:a@b.dk", "https://end.dk/1", "https://end.dk/1")
    assert pages[0].text.split("\n")[:5] == [
        "tekst ",
        "https://inline.dk/a ",
        "https://wrapped.dk/a-",
        "https://mid.dk/x",
        "mere tekst ",
    ]
    assert pages[1].links == ("https://last.dk/z",)
    assert pages[1].text == " Side to "


def test_form_feeds_are_page_breaks_when_present() -> None:
    text = "side et \n mellemrum er ikke sideskift her \nhttps://a.dk/1\f\fside tre \n\f"
    pages = split_pages(text)
    assert [p.text for p in pages] == [
        "side et \n mellemrum er ikke sideskift her ",
        "",
        "side tre \n",
    ]
    assert pages[0].links == ("https://a.dk/1",)


def test_utf8_bom_and_crlf(tmp_path: Path) -> None:
    path = tmp_path / "bom.TXT"
    path.write_bytes("\ufeffMøde i Århus \r\nlinje to \r linje tre ".encode())
    doc = read_document(path)
    assert doc.name == "bom.TXT"
    assert [p.text for p in doc.pages] == ["Møde i Århus \nlinje to ", " linje tre "]


def test_decomposed_letters_become_nfc(tmp_path: Path) -> None:
    path = tmp_path / "nfd.txt"
    path.write_text("Cafe\u0301 i Ra\u030adhuset \nA\u030arhus ", encoding="utf-8")
    text = read_text(path).pages[0].text
    assert text == "Café i Rådhuset \nÅrhus "


def test_control_characters_and_escape_sequences_are_removed_per_line(tmp_path: Path) -> None:
    path = tmp_path / "esc.txt"
    path.write_text("a\x1b]0;pwned\nb \x1b[31mrød\x1b[0m \u202eevil \x07\n c ", encoding="utf-8")
    doc = read_text(path)
    assert [p.text for p in doc.pages] == ["a\nb rød evil ", " c "]


def test_cp1252_danish_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "legacy.txt"
    path.write_bytes("Økonomiudvalget mødes i Århus – også i år \n".encode("cp1252"))
    assert read_text(path).pages[0].text == "Økonomiudvalget mødes i Århus – også i år "


def test_cp1252_without_danish_letters_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "legacy.txt"
    path.write_bytes("Referat – “godkendt” \n".encode("cp1252"))
    with pytest.raises(UnreadableDocumentError) as info:
        read_document(path)
    assert info.value.failure.cause == "cp1252"
    assert info.value.reason.startswith("teksten er ikke UTF-8 (den ligner Windows cp1252)")


def test_undecodable_bytes_are_refused() -> None:
    with pytest.raises(
        UnreadableDocumentError, match=r"^teksten er ikke UTF-8, og dens tegnsæt er ukendt$"
    ):
        decode_text(b"abc \x81\x8d\x90 def \n" * 3, "x.txt")


def test_utf16_with_bom_is_read() -> None:
    assert decode_text("Århus \n".encode("utf-16")) == "Århus \n"


def test_whitespace_only_file_has_no_text(tmp_path: Path) -> None:
    path = tmp_path / "blank.txt"
    path.write_text(" \n\n  \n", encoding="utf-8")
    with pytest.raises(UnreadableDocumentError, match="^filen indeholder ingen tekst$"):
        read_document(path)


def test_progress_reports_every_page(samples_dir: Path) -> None:
    calls: list[tuple[int, int]] = []
    read_document(_sample(samples_dir, "002"), progress=lambda d, t: calls.append((d, t)))
    assert calls == [(n, 20) for n in range(1, 21)]
