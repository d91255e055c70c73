"""The parser on documents it has not seen: the samples transformed the way real
documents differ (cover and contents pages, other councils, other line breaks, other
spacing, CRLF, decomposed letters, participant lists, missing pieces)."""

from __future__ import annotations

import unicodedata
from dataclasses import replace
from pathlib import Path

import pytest

from kkr_tui.model import Meeting, NotAMeetingError, Page, SourceDocument
from kkr_tui.parser import parse
from kkr_tui.sources.text import decode_text, read_text, split_pages

SAMPLES = sorted((Path(__file__).resolve().parents[1] / "sample_docs").glob("*.txt"))


def _signature(meeting: Meeting) -> list[tuple]:
    return [
        (i.number, i.title, i.case_number, i.initials, tuple(p.kind for p in i.parts))
        for i in meeting.items()
    ]


def _map_lines(doc: SourceDocument, fn) -> SourceDocument:
    pages = tuple(
        replace(p, text="\n".join(fn(line) for line in p.text.split("\n"))) for p in doc.pages
    )
    return replace(doc, pages=pages)


@pytest.fixture(scope="module", params=SAMPLES, ids=lambda p: p.name[:3])
def sample(request) -> tuple[SourceDocument, Meeting]:
    doc = read_text(request.param)
    return doc, parse(doc)


def _cover_and_contents(meeting: Meeting, council_caps: str, dots: bool = True) -> list[Page]:
    cover = (
        " DAGSORDEN 2025\n\n"
        f"{council_caps}\n\n"
        "Dato: 18-06-2025 kl. 10:00\n\n"
        "Sted: Rådhuset, Frederiksberg\n"
    )
    leader = " " + "." * 25 if dots else ""
    toc = [" Indholdsfortegnelse "]
    for section in meeting.sections:
        toc.append(f"{section.number}. {section.title}{leader} 3")
        for item in section.items:
            toc.append(f"{item.number}. {item.title[:50]}{leader} 4")
    return [Page(1, cover), Page(2, "\n".join(toc))]


def test_cover_page_and_table_of_contents(sample) -> None:
    doc, meeting = sample
    front = _cover_and_contents(meeting, "K K R  S Y D D A N M A R K")
    pages = tuple(front) + tuple(replace(p, number=p.number + 2) for p in doc.pages)
    parsed = parse(replace(doc, pages=pages))
    assert _signature(parsed) == _signature(meeting)
    assert parsed.council == "KKR Syddanmark"
    assert parsed.meeting_date == "2025-06-18"
    assert parsed.meeting_time == "10:00"
    assert parsed.place == "Rådhuset, Frederiksberg"
    assert parsed.items()[0].first_page == meeting.items()[0].first_page + 2


def test_contents_without_leader_dots_and_field_values_on_their_own_line(sample) -> None:
    doc, meeting = sample
    cover, toc = _cover_and_contents(meeting, "KKR Nordjylland", dots=False)
    cover = replace(
        cover, text="REFERAT\n\nKKR Nordjylland\n\nDato:\n2. september 2025\n\nSted:\nAalborg\n"
    )
    toc = replace(toc, text=toc.text.replace("Indholdsfortegnelse", ""))
    pages = (cover, toc, *(replace(p, number=p.number + 2) for p in doc.pages))
    parsed = parse(replace(doc, pages=pages))
    assert _signature(parsed) == _signature(meeting)
    assert (parsed.council, parsed.meeting_date, parsed.place) == (
        "KKR Nordjylland",
        "2025-09-02",
        "Aalborg",
    )
    assert parsed.doc_type == "minutes"


@pytest.mark.parametrize("base", ["Sjælland", "Syddanmark", "Midtjylland", "Nordjylland"])
def test_other_councils(sample, base: str) -> None:
    doc, meeting = sample
    own = meeting.council.removeprefix("KKR ")
    other = _map_lines(doc, lambda line: line.replace(own, base))
    parsed = parse(other)
    assert parsed.council == f"KKR {base}"
    assert [i.number for i in parsed.items()] == [i.number for i in meeting.items()]


def test_crlf_bom_and_decomposed_letters(tmp_path, sample) -> None:
    doc, meeting = sample
    source = next(p for p in SAMPLES if p.name == doc.name)
    raw = unicodedata.normalize("NFD", source.read_text(encoding="utf-8")).replace("\n", "\r\n")
    target = tmp_path / source.name
    target.write_bytes(b"\xef\xbb\xbf" + raw.encode("utf-8"))
    assert _signature(parse(read_text(target))) == _signature(meeting)


def test_double_spacing_removed(sample) -> None:
    doc, meeting = sample
    pages = tuple(
        replace(p, text="\n".join(ln for ln in p.text.split("\n") if ln != "")) for p in doc.pages
    )
    assert _signature(parse(replace(doc, pages=pages))) == _signature(meeting)


def test_double_spacing_added(sample) -> None:
    doc, meeting = sample
    pages = tuple(replace(p, text=p.text.replace("\n", "\n\n")) for p in doc.pages)
    assert _signature(parse(replace(doc, pages=pages))) == _signature(meeting)


def _rewrap(line: str) -> str:
    """Break long lines at a space near the middle, the way another typesetting would."""
    body = line.rstrip()
    trailing = line[len(body) :]
    if len(body) < 50 or body.startswith(("SAG-", "http")):
        return line
    lead = len(body) - len(body.lstrip(" "))
    cut = body.find(" ", len(body) // 2)
    if cut <= lead or cut >= len(body) - 1:
        return line
    return body[:cut] + " \n" + body[cut + 1 :] + trailing


def test_other_line_breaks(sample) -> None:
    doc, meeting = sample
    parsed = parse(_map_lines(doc, _rewrap))
    assert _signature(parsed) == _signature(meeting)
    assert (parsed.council, parsed.meeting_date, parsed.doc_type) == (
        meeting.council,
        meeting.meeting_date,
        meeting.doc_type,
    )


def test_no_trailing_spaces(sample) -> None:
    """PDFs typeset differently may not end lines with spaces."""
    doc, meeting = sample
    parsed = parse(_map_lines(doc, lambda line: line.rstrip() if line.strip() else line))
    assert _signature(parsed) == _signature(meeting)


def test_participant_list_is_meeting_data() -> None:
    source = next(p for p in SAMPLES if p.name.startswith("001"))
    doc = read_text(source)
    front = Page(
        1,
        " REFERAT 2025\n\nKKR Hovedstaden\n\nDato: 03-02-2025 kl. 9:00\n\nSted: Hillerød\n\n"
        "Deltagere \nSøren Hansen, Albertslund Kommune \nMia Holm (A), Ballerup Kommune \n"
        "Afbud \nJens Berg, Dragør Kommune \n",
    )
    pages = (front, *(replace(p, number=p.number + 1) for p in doc.pages))
    parsed = parse(replace(doc, pages=pages))
    assert [(p.name, p.absent) for p in parsed.participants] == [
        ("Søren Hansen", False),
        ("Mia Holm (A)", False),
        ("Jens Berg", True),
    ]
    assert parsed.participants[0].detail == "Albertslund Kommune"
    assert all("Søren" not in i.title for i in parsed.items())


def test_missing_section_is_parsed_with_a_warning(sample) -> None:
    doc, meeting = sample
    # Drop every page of section 2.
    sec2 = meeting.sections[1]
    sec3 = meeting.sections[2]
    keep = [p for p in doc.pages if not (sec2.page <= p.number < sec3.page)]
    parsed = parse(replace(doc, pages=tuple(keep)))
    assert [s.number for s in parsed.sections][:2] == [1, 3]
    (jump,) = [w for w in parsed.warnings if w.code == "section_numbering_jump"]
    assert (jump.param("previous"), jump.param("found")) == (1, 3)
    assert len(parsed.sections[1].items) == len(sec3.items)


def test_item_without_case_line_gets_a_warning(sample) -> None:
    doc, meeting = sample
    target = meeting.items()[-1]
    lines_removed = _map_lines(
        doc, lambda line: "" if line.startswith(target.case_number + " ") and False else line
    )
    # Remove only the last item's case line.
    pages = []
    for page in lines_removed.pages:
        if page.number == target.first_page:
            text = page.text.split("\n")
            for idx, line in enumerate(text):
                if line.startswith("SAG-") and any(
                    t.strip().startswith(target.number + ".") for t in text[max(0, idx - 5) : idx]
                ):
                    text[idx] = ""
                    break
            page = replace(page, text="\n".join(text))
        pages.append(page)
    parsed = parse(replace(doc, pages=tuple(pages)))
    item = next(i for i in parsed.items() if i.number == target.number)
    assert item.case_number is None
    assert any(w.code == "no_case_number" for w in item.warnings)
    assert item.title == target.title


def test_text_without_kkr_structure_is_rejected() -> None:
    doc = SourceDocument("recipe.txt", (Page(1, "Æblekage\n\n1. Bag bunden.\n2. Pisk fløden.\n"),))
    with pytest.raises(NotAMeetingError):
        parse(doc)
    with pytest.raises(NotAMeetingError):
        parse(SourceDocument("empty.txt", (Page(1, ""),)))


def test_split_pages_roundtrip_is_stable() -> None:
    text = decode_text(SAMPLES[0].read_bytes())
    assert len(split_pages(text)) == len(read_text(SAMPLES[0]).pages)


def test_sections_that_do_not_start_pages(sample) -> None:
    """Typeset with sections flowing on (pages merged in threes, headings mid-page),
    empty sections are still found by their place at the start of a paragraph."""
    doc, meeting = sample
    merged = []
    for start in range(0, len(doc.pages), 3):
        group = doc.pages[start : start + 3]
        text = "\n \n".join(p.text.lstrip(" ") if i else p.text for i, p in enumerate(group))
        links = tuple(u for p in group for u in p.links)
        merged.append(Page(len(merged) + 1, text, links))
    parsed = parse(replace(doc, pages=tuple(merged)))
    assert [(s.number, s.title) for s in parsed.sections] == [
        (s.number, s.title) for s in meeting.sections
    ]
    assert [i.number for i in parsed.items()] == [i.number for i in meeting.items()]
