"""The parser on the five bundled sample documents: facts STRUCTURE.md states line by line."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

from kkr_tui.model import Item, Meeting
from kkr_tui.parser import parse
from kkr_tui.serialize import meeting_to_dict
from kkr_tui.sources.text import read_text

SAMPLES = Path(__file__).resolve().parents[1] / "sample_docs"
SHARED = Path(__file__).resolve().parents[2] / "shared"
S000, S001, S002, S003, S004 = sorted(p.name for p in SAMPLES.glob("*.txt"))


@pytest.fixture(scope="module")
def meetings() -> dict[str, Meeting]:
    return {p.name: parse(read_text(p)) for p in sorted(SAMPLES.glob("*.txt"))}


def _item(meeting: Meeting, number: str) -> Item:
    return next(i for i in meeting.items() if i.number == number)


def test_meeting_facts(meetings: dict[str, Meeting]) -> None:
    facts = {name: (m.council, m.meeting_date, m.doc_type) for name, m in meetings.items()}
    assert facts == {
        S000: ("KKR Hovedstaden", "2025-06-18", "agenda"),
        S001: ("KKR Hovedstaden", "2025-02-03", "minutes"),
        S002: ("KKR Hovedstaden", "2021-04-19", "agenda"),
        S003: ("KKR Hovedstaden", "2022-03-25", "agenda"),
        S004: ("KKR Midtjylland", "2025-06-18", "minutes"),
    }


def test_sections_and_item_counts(meetings: dict[str, Meeting]) -> None:
    counts = {name: [(s.number, len(s.items)) for s in m.sections] for name, m in meetings.items()}
    assert counts[S000] == [(1, 2), (2, 1), (3, 8), (4, 1), (5, 0)]
    assert counts[S001] == [(1, 2), (2, 1), (3, 8), (4, 2), (5, 1), (6, 0)]
    assert counts[S002] == [(1, 2), (2, 1), (3, 8), (4, 2), (5, 0), (6, 1), (7, 0)]
    assert counts[S003] == [(1, 2), (2, 1), (3, 6), (4, 3), (5, 1), (6, 0)]
    assert counts[S004] == [(1, 1), (2, 1), (3, 7), (4, 0), (5, 0), (6, 1), (7, 1)]
    assert meetings[S003].sections[0].title == "Godkendelse af referat"
    assert meetings[S002].sections[4].title == "KKR"


def test_titles_joined_and_dehyphenated(meetings: dict[str, Meeting]) -> None:
    assert _item(meetings[S001], "3.3").title == (
        "Præsentation af scenarier og indsatskatalog for mobiliteten i hovedstadsområdet "
        "– Afrapportering af fase 2 af den tværgående mobilitetsanalyse"
    )
    sosu = _item(meetings[S002], "3.8").title
    assert "SOSU-uddannelserne" in sosu
    titles = [i.title for i in meetings[S003].items()]
    assert any("arbejdstager- og erhvervsorganisationer" in t for t in titles)
    assert any(t.endswith("2022-2023") for t in titles)


def test_case_numbers_and_initials(meetings: dict[str, Meeting]) -> None:
    m0, m1, m3 = meetings[S000], meetings[S001], meetings[S003]
    assert _item(m0, "3.7").initials == ("KBE",)
    assert _item(m1, "3.1").initials == ("acd", "snm")
    assert _item(m1, "4.1").initials == ("chbn", "kbe")
    assert {i.case_number for i in m3.items()} == {"SAG-2022-00848", "SAG-2019-05100"}
    for meeting in meetings.values():
        assert all(i.case_number and i.case_number.startswith("SAG-") for i in meeting.items())


def test_parts_in_order_and_missing_headings(meetings: dict[str, Meeting]) -> None:
    kinds = lambda item: [p.kind for p in item.parts]  # noqa: E731
    assert kinds(_item(meetings[S000], "1.2")) == ["Indstilling"]
    assert kinds(_item(meetings[S000], "4.1")) == ["Baggrund"]
    assert kinds(_item(meetings[S001], "3.3")) == [
        "Baggrund",
        "Indstilling",
        "Sagsfremstilling",
        "Bilag",
        "Beslutning",
    ]
    assert "Beslutning" not in kinds(_item(meetings[S001], "2.1"))
    assert [p.heading for p in _item(meetings[S002], "3.1").parts if p.kind == "Bilag"] == [
        "Vedlagte bilag:"
    ]


def test_minutes_item_without_decision_is_a_warning(meetings: dict[str, Meeting]) -> None:
    item = _item(meetings[S001], "2.1")
    assert any(w.code == "no_beslutning" for w in item.warnings)
    assert not any(w.code == "no_beslutning" for w in _item(meetings[S001], "3.1").warnings)


def test_decision_text(meetings: dict[str, Meeting]) -> None:
    decision = _item(meetings[S001], "1.2").part("Beslutning")
    assert decision is not None
    assert "3. februar 2025" in decision.text and "godkendt" in decision.text


def test_bullets_are_list_blocks(meetings: dict[str, Meeting]) -> None:
    indstilling = _item(meetings[S001], "3.1").part("Indstilling")
    assert indstilling is not None
    bullets = [b for b in indstilling.blocks if b.kind == "bullet"]
    assert bullets and all(b.marker == "–" for b in bullets)
    assert bullets[0].text.startswith("evaluerer KKR-samarbejdet")


def test_numbered_list_inside_item_is_not_a_section(meetings: dict[str, Meeting]) -> None:
    baggrund = _item(meetings[S003], "3.5").parts
    numbered = [b for p in baggrund for b in p.blocks if b.kind == "numbered"]
    assert any(b.text.startswith("Erhvervshusenes knudepunktfunktion") for b in numbered)


def test_enclosure_markers_removed(meetings: dict[str, Meeting]) -> None:
    for meeting in meetings.values():
        for item in meeting.items():
            assert "./." not in item.title
            for part in item.parts:
                assert "./." not in part.text and "./…" not in part.text
            assert all("./" not in a for a in item.attachments)


def test_attachments(meetings: dict[str, Meeting]) -> None:
    assert _item(meetings[S000], "3.4").attachments == (
        "Strategi for mobilitet og infrastruktur – Styrket mobilitet for et hovedstadsområde "
        "i udvikling (udkast 11. juni 2025)",
        "KKR-formandskabets sidepapir. Opfølgning på den tværgående mobilitetsanalyse: "
        "Øvrige fokusområder (udkast 11. juni 2025)",
    )
    assert _item(meetings[S001], "3.3").attachments[0] == "Resumérapport fra fase 2 (2025)"


def test_urls_resolved_deduplicated_and_attributed(meetings: dict[str, Meeting]) -> None:
    m0, m3 = meetings[S000], meetings[S003]
    assert _item(m0, "1.1").urls == (
        "https://www.kl.dk/politik/kkr/kkr-hovedstaden/moedemateriale",
    )
    assert _item(m0, "1.2").urls == ()
    assert any("talent-events" in u for u in _item(m0, "2.1").urls)
    assert any("aftale-om-kommunernes-oekonomi-for-2026" in u for u in _item(m0, "3.6").urls)
    kl = [u for u in _item(m3, "3.4").urls if "kl.dk/kommunale-opgaver" in u]
    assert kl and kl[0].endswith("haandbog/")
    for meeting in meetings.values():
        for item in meeting.items():
            assert len(set(item.urls)) == len(item.urls)
            assert not any(u.startswith("mailto:") for u in item.urls)


def test_page_ranges(meetings: dict[str, Meeting]) -> None:
    for meeting in meetings.values():
        last = 0
        for item in meeting.items():
            assert 1 <= item.first_page <= item.last_page <= meeting.page_count
            assert item.first_page >= last
            last = item.first_page
    assert _item(meetings[S000], "1.1").first_page == 2


def test_json_has_ground_truth_shape(meetings: dict[str, Meeting]) -> None:
    data = meeting_to_dict(meetings[S001])
    item = data["sections"][2]["items"][0]
    for key in ("number", "title", "case_number", "initials", "subsections"):
        assert key in item
    assert item["indstilling_starts"].startswith("Det indstilles, at KKR Hovedstaden: – evaluerer")
    assert len(item["indstilling_starts"]) <= 80
    json.dumps(data, ensure_ascii=False)


@pytest.mark.skipif(not (SHARED / "tools" / "score_parse.py").exists(), reason="../shared absent")
def test_scores_against_ground_truth(meetings: dict[str, Meeting]) -> None:
    spec = importlib.util.spec_from_file_location(
        "score_parse", SHARED / "tools" / "score_parse.py"
    )
    assert spec and spec.loader
    scorer = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(scorer)
    for name, meeting in meetings.items():
        truth = json.loads((SHARED / "ground_truth" / name.replace(".txt", ".json")).read_text())
        total, _ = scorer.score(truth, meeting_to_dict(meeting), out=lambda *_: None)
        assert total >= 0.99, name


@pytest.mark.parametrize(
    ("sample", "number", "part", "heading", "paragraph_start"),
    [
        (1, "2.1", "Baggrund", "Orienteringsfora, hvor KKR har udpeget medlemmer", "Under dette"),
        (
            1,
            "3.8",
            "Sagsfremstilling",
            "Betydning hvis implementeringsprojekt ikke forlænges",
            "Hvis",
        ),
        (
            0,
            "3.3",
            "Sagsfremstilling",
            "Status for dialog og samarbejde mellem kommunerne",
            "På mødet",
        ),
        (
            3,
            "4.1",
            "Sagsfremstilling",
            "Indstilling af kandidater og KKR’s udpegninger",
            "KKR Hoved",
        ),
    ],
)
def test_bold_inner_headings_stand_apart_from_the_paragraph_they_open(
    meetings: dict[str, Meeting],
    sample: int,
    number: str,
    part: str,
    heading: str,
    paragraph_start: str,
) -> None:
    """A line on its own at a paragraph start (STRUCTURE.md: bold inner headings belong to
    the running text) is a heading block, not glued to the sentence after it."""
    name = (S000, S001, S002, S003)[sample]
    blocks = next(p for p in _item(meetings[name], number).parts if p.kind == part).blocks
    at = [b.text for b in blocks].index(heading)
    assert blocks[at].kind == "heading"
    assert blocks[at + 1].kind == "paragraph" and blocks[at + 1].text.startswith(paragraph_start)
