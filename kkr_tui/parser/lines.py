"""Pages to classified lines: the parser's first step.

KL's PDFs come out of pypdf with two kinds of empty-looking lines (STRUCTURE.md §2):
``""`` is an extraction artefact and means nothing, ``" "`` (spaces only) is an empty
Word paragraph and separates paragraphs. Page boundaries come from the reader, so the
first content line of every page is marked ``page_start`` whatever its indentation.
Running headers and ``SIDE | n`` footers are removed here, but remembered, because
they are the best source for council and date.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from kkr_tui.model import Page
from kkr_tui.sanitize import clean_text

HEADER_RE = re.compile(
    r"^\s*(KKR\s+[A-ZÆØÅ][\wæøåÆØÅ]+)\s*\|\s*(\d{1,2})[-./](\d{1,2})[-./](\d{4})\s*$"
)
FOOTER_RE = re.compile(r"^\s*SIDE\s*\|\s*\d+\s*$", re.IGNORECASE)
#: A table-of-contents line: a title, a run of leader dots (or ellipses), a page number.
TOC_RE = re.compile(r"(?:\.\s*){4,}\s*\d+\s*$|…{2,}\s*\d+\s*$|\t\s*\d+\s*$")


@dataclass(slots=True, init=False)
class Line:
    """One text line with where it came from.

    ``text`` has the page-start space removed but keeps trailing spaces, which tell a
    real line end (``"… "``) from a hyphenated word (``"…-"``). ``stripped`` is the text
    without surrounding spaces, computed once: every rule of the parser looks at it,
    tens of times per line. ``text`` is never reassigned, so it cannot go stale.
    The constructor is written out because a document makes thousands of lines and the
    generated one calls a separate ``__post_init__`` for each.
    """

    text: str
    page: int
    page_start: bool
    blank: bool
    index: int
    toc: bool
    stripped: str = field(repr=False, compare=False)

    def __init__(
        self,
        text: str,
        page: int,
        page_start: bool = False,
        blank: bool = False,
        index: int = 0,
        toc: bool = False,
    ) -> None:
        self.text = text
        self.page = page
        self.page_start = page_start
        self.blank = blank
        self.index = index
        self.toc = toc
        self.stripped = text.strip()


@dataclass(slots=True)
class RunningHeader:
    """A removed running header: council name and date as printed."""

    council: str
    date: tuple[int, int, int]


def page_lines(pages: tuple[Page, ...] | list[Page]) -> tuple[list[Line], list[RunningHeader]]:
    """Flatten pages into classified lines, dropping empty lines, headers and footers."""
    lines: list[Line] = []
    headers: list[RunningHeader] = []
    by_page: dict[int, list[Line]] = {}
    for page in pages:
        number = page.number
        start = len(lines)
        text = clean_text(page.text).replace("\t", " ")
        first = True
        for raw in text.split("\n"):
            if raw == "":
                continue
            if "|" in raw:  # both a running header and a footer have one
                header = HEADER_RE.match(raw)
                if header:
                    day, month, year = (int(header.group(n)) for n in (2, 3, 4))
                    council = " ".join(header.group(1).split())
                    headers.append(RunningHeader(council, (year, month, day)))
                    continue
                if FOOTER_RE.match(raw):
                    continue
            # raw is not empty, so isspace() is "nothing but spaces" without a copy.
            if raw.isspace():
                lines.append(Line(" ", number, False, True, len(lines)))
            elif first:
                lines.append(Line(_strip_page_space(raw), number, True, False, len(lines)))
                first = False
            else:
                lines.append(Line(raw, number, False, False, len(lines)))
        by_page.setdefault(number, []).extend(lines[start:])
    _mark_contents_pages(by_page.values())
    return lines, headers


_NUMBERED_RE = re.compile(r"^\d{1,2}\.(?:\d{1,2}\.?)?\s+\S")
_PAGE_REF_RE = re.compile(r"\s(?:\.\s*)*\d{1,3}\s*$")
_CONTENTS_TITLE_RE = re.compile(r"^(?:Indholdsfortegnelse|Indhold|Dagsordenspunkter)\s*:?$", re.I)


def _mark_contents_pages(by_page: Iterable[list[Line]]) -> None:
    """Mark every line of a table-of-contents page; ``by_page`` holds each page's lines.

    A contents page repeats the headings in order, so its lines could pass the
    heading rules. Its entries end with a page number (with or without leader dots):
    a page where most numbered lines do, or that is titled "Indholdsfortegnelse",
    is contents, not meeting text.
    """
    for page_lines_ in by_page:
        numbered: list[Line] = []
        for ln in page_lines_:
            text = ln.stripped
            if text[:1].isdigit():
                if _NUMBERED_RE.match(text):
                    numbered.append(ln)
            elif text.startswith("SAG-"):
                break  # a page with case lines holds real items
        else:
            _mark_if_contents(page_lines_, numbered)


def _mark_if_contents(page_lines_: list[Line], numbered: list[Line]) -> None:
    """Mark a page without case lines as contents if its numbered lines carry page numbers."""
    with_ref = [ln for ln in numbered if _PAGE_REF_RE.search(ln.stripped) or is_toc_line(ln.text)]
    if not with_ref:
        return  # both rules below need at least one line with a page number
    titled = any(_CONTENTS_TITLE_RE.match(ln.stripped) for ln in page_lines_[:5])
    if (len(with_ref) >= 3 and len(with_ref) >= 0.6 * len(numbered)) or (
        titled and len(with_ref) >= 0.5 * max(1, len(numbered))
    ):
        for line in page_lines_:
            line.toc = True


def _strip_page_space(raw: str) -> str:
    """Remove the indentation pypdf puts before the first line of a page."""
    return raw.lstrip(" ")


def is_toc_line(text: str) -> bool:
    """True for a table-of-contents entry (leader dots and a page number)."""
    text = text.rstrip()
    return text[-1:].isdigit() and bool(TOC_RE.search(text))
