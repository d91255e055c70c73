"""Recognise section, item, case-number and part headings among the lines.

The rules come from the documents' structure (STRUCTURE.md §5-§8), not from any
sample's lines: sections start pages and number on from the previous one, items number
on within their section and are followed by a case line, part headings are whole lines.
Numbered lists, dates and years at the start of a line fail these rules.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from kkr_tui.parser.joining import remove_markers
from kkr_tui.parser.lines import Line, is_toc_line

MONTHS = (
    "januar",
    "februar",
    "marts",
    "april",
    "maj",
    "juni",
    "juli",
    "august",
    "september",
    "oktober",
    "november",
    "december",
)
MONTH_RE = "|".join(MONTHS)

SECTION_RE = re.compile(r"^(\d{1,2})\.\s*([A-ZÆØÅ][^\s.].*?)\s*$")
ITEM_RE = re.compile(r"^(\d{1,2})\.(\d{1,2})(\.?)\s+(\S.*?)\s*$")
CASE_RE = re.compile(r"^\s*(SAG-\d{4}-\d{3,6})\b\s*(.*?)\s*$", re.IGNORECASE)
_DATE_START_RE = re.compile(rf"^\d{{1,2}}\.\s*(?:{MONTH_RE})\b", re.IGNORECASE)

#: Whole-line part headings (lower-cased, marker and trailing colon removed) to canonical names.
PART_HEADINGS = {
    "baggrund": "Baggrund",
    "indstilling": "Indstilling",
    "indstillinger": "Indstilling",
    "sagsfremstilling": "Sagsfremstilling",
    "beslutning": "Beslutning",
    "beslutninger": "Beslutning",
    "bilag": "Bilag",
    "vedlagte bilag": "Bilag",
    "bilagsoversigt": "Bilag",
}


#: The longest stripped line :func:`part_heading` looks at ("./. Vedlagte bilag:" and the like).
PART_HEADING_MAX = 30


@dataclass(frozen=True, slots=True)
class SectionHead:
    number: int
    title: str


@dataclass(frozen=True, slots=True)
class ItemHead:
    section: int
    number: int
    has_dot: bool
    title: str


def section_head(line: Line) -> SectionHead | None:
    """The section heading shape ``N. Title`` (not yet checked against its context)."""
    text = line.stripped
    if line.toc or not text[:1].isdigit() or is_toc_line(text) or _DATE_START_RE.match(text):
        return None
    match = SECTION_RE.match(text)
    if not match:
        return None
    return SectionHead(int(match.group(1)), match.group(2))


def item_head(line: Line) -> ItemHead | None:
    """The item heading shape ``S.k. Title`` (not yet checked against its context)."""
    text = line.stripped
    if line.toc or not text[:1].isdigit():
        return None
    # Most lines that open with a digit are list entries or dates, which the pattern
    # rejects at once; the contents-line test runs only on what it accepts.
    match = ITEM_RE.match(text)
    if not match or is_toc_line(text):
        return None
    return ItemHead(int(match.group(1)), int(match.group(2)), bool(match.group(3)), match.group(4))


def case_line(line: Line) -> tuple[str, tuple[str, ...]] | None:
    """``SAG-2025-02162 acd / snm`` -> (case number, initials) as printed."""
    match = CASE_RE.match(line.text)
    if not match:
        return None
    rest = match.group(2)
    initials = tuple(part.strip() for part in rest.split("/") if part.strip()) if rest else ()
    if any(" " in part or len(part) > 12 for part in initials):
        initials = tuple(rest.split()[:1]) if rest else ()
    return match.group(1).upper(), initials


def part_heading(line: Line) -> str | None:
    """The canonical part name if the whole line is a part heading, else None."""
    text = line.stripped
    if len(text) > PART_HEADING_MAX:
        return None
    text = remove_markers(text).strip()
    if not text or not text[0].isupper() or len(text) > 20:
        return None
    key = text.rstrip(":").strip().lower()
    return PART_HEADINGS.get(key)
