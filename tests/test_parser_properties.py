"""The parser under attack: arbitrary text and mutated samples never break it.

Whatever the pages hold, ``parse`` either returns a meeting that keeps its invariants
or raises the one documented error, NotAMeetingError.
"""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kkr_tui.model import Meeting, NotAMeetingError, Page, SourceDocument
from kkr_tui.parser import parse
from kkr_tui.sources.text import read_text
from kkr_tui.warning_words import describe

SAMPLES = [
    read_text(p)
    for p in sorted((Path(__file__).resolve().parents[1] / "sample_docs").glob("*.txt"))
]
CONTROL_RE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
SETTINGS = settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow], derandomize=True
)


def _texts(meeting: Meeting):
    yield meeting.council or ""
    yield meeting.place or ""
    yield from (describe(w) for w in meeting.warnings)
    for p in meeting.participants:
        yield p.name
        yield p.detail
    for section in meeting.sections:
        yield section.title
        for item in section.items:
            yield item.title
            yield from item.attachments
            yield from item.urls
            yield from (describe(w) for w in item.warnings)
            for part in item.parts:
                yield part.heading
                for block in part.blocks:
                    yield block.text
                    yield block.marker


def check_invariants(meeting: Meeting, page_count: int) -> None:
    section_numbers = [s.number for s in meeting.sections]
    assert section_numbers == sorted(set(section_numbers))
    for section in meeting.sections:
        numbers = [int(i.number.split(".")[1]) for i in section.items]
        assert numbers == sorted(set(numbers))
        for item in section.items:
            assert item.number.split(".")[0] == str(section.number)
            assert 1 <= item.first_page <= item.last_page <= page_count
    for text in _texts(meeting):
        assert not CONTROL_RE.search(text), repr(text)
    assert meeting.doc_type in ("agenda", "minutes")


def parse_or_reject(doc: SourceDocument) -> None:
    try:
        meeting = parse(doc)
    except NotAMeetingError:
        return
    check_invariants(meeting, len(doc.pages))


line_text = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=60
) | st.sampled_from(
    [
        " 1. Godkendelse",
        "1.1. Titel",
        "SAG-2025-00001 ab",
        "Beslutning",
        "Bilag",
        " 2. Siden sidst",
        "2.1. Noget",
        "./. Bilag 1",
        "– punkt",
        "https://x.dk/a-",
        "\x1b[31mrød",
        "[bold]x[/]",
        " ",
    ]
)


@SETTINGS
@given(st.lists(st.lists(line_text, max_size=30), min_size=1, max_size=6))
def test_arbitrary_pages(pages: list[list[str]]) -> None:
    doc = SourceDocument(
        "random.txt", tuple(Page(i + 1, "\n".join(lines)) for i, lines in enumerate(pages))
    )
    parse_or_reject(doc)


def _mutate(doc: SourceDocument, ops: list[tuple[int, int, int]]) -> SourceDocument:
    pages = [p.text.split("\n") for p in doc.pages]
    for op, a, b in ops:
        page = pages[a % len(pages)]
        if not page:
            continue
        i, j = a % len(page), b % len(page)
        if op == 0:
            del page[i]
        elif op == 1:
            page.insert(i, page[j])
        elif op == 2:
            page[i], page[j] = page[j], page[i]
        elif op == 3:
            page[i] = page[i].replace("-", "") if "-" in page[i] else page[i] + "-"
        elif op == 4:
            page[i] = page[i].replace(" ", "", 1) if " " in page[i] else " " + page[i]
        elif op == 5 and len(page) > 2:
            k = a % len(pages)
            pages[k : k + 1] = [page[:i], page[i:]]
        elif op == 6 and len(pages) > 1:
            k = a % (len(pages) - 1)
            pages[k : k + 2] = [pages[k] + pages[k + 1]]
    return replace(doc, pages=tuple(Page(n + 1, "\n".join(lines)) for n, lines in enumerate(pages)))


@SETTINGS
@given(
    st.sampled_from(range(len(SAMPLES))),
    st.lists(
        st.tuples(st.integers(0, 6), st.integers(0, 10_000), st.integers(0, 10_000)),
        min_size=1,
        max_size=25,
    ),
)
def test_mutated_samples(which: int, ops: list[tuple[int, int, int]]) -> None:
    parse_or_reject(_mutate(SAMPLES[which], ops))


def test_samples_keep_invariants() -> None:
    for doc in SAMPLES:
        check_invariants(parse(doc), len(doc.pages))
