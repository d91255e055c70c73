"""Find the meeting's skeleton: which lines are section and item headings.

A section heading starts a page, carries the next section number and is followed by
its first item, by another valid section, or by the end of the document (STRUCTURE.md
§5). An item heading carries the next item number of the current section and is
followed by its case line or starts a paragraph (§6). Everything that fails these
rules — numbered lists, dates, years, references, table-of-contents lines — is text.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from kkr_tui.model import ParseWarning
from kkr_tui.parser.headings import (
    ItemHead,
    SectionHead,
    case_line,
    item_head,
    part_heading,
    section_head,
)
from kkr_tui.parser.lines import Line


@dataclass(slots=True)
class ItemSpan:
    """An item heading and the line range of its body."""

    section: int
    number: int
    head_index: int
    title_lines: list[Line]
    case_number: str | None
    initials: tuple[str, ...]
    body_start: int
    body_end: int = 0


@dataclass(slots=True)
class SectionSpan:
    number: int
    title: str
    head_index: int
    page: int
    items: list[ItemSpan] = field(default_factory=list)


@dataclass(slots=True)
class Skeleton:
    front_end: int
    sections: list[SectionSpan]
    warnings: list[ParseWarning]


def _next_content(lines: list[Line], start: int) -> int | None:
    for i in range(start, len(lines)):
        if not lines[i].blank:
            return i
    return None


class _Finder:
    def __init__(self, lines: list[Line], page_rule: bool) -> None:
        self.lines = lines
        self.page_rule = page_rule

    def section_at(self, i: int, expected: int | None) -> SectionHead | None:
        """A valid section heading at line i (``expected`` None = first section)."""
        line = self.lines[i]
        head = section_head(line)
        if head is None:
            return None
        if expected is not None and head.number < expected:
            return None
        if expected is None and head.number > 9:
            return None
        nxt = _next_content(self.lines, i + 1)
        followed_by_item = nxt is not None and self._is_first_item(nxt, head.number)
        if head.number != expected and not followed_by_item:
            # A gap in the numbering is accepted only on the strongest evidence.
            return None
        if not followed_by_item and not self._may_be_empty_section(i):
            return None
        if followed_by_item or nxt is None:
            return head
        if self._chain_ok(nxt, head.number + 1, depth=0):
            return head
        return None

    def _chain_ok(self, i: int, number: int, depth: int) -> bool:
        """An empty section may only be followed by another valid section or the end."""
        if depth > 20:
            return False
        line = self.lines[i]
        head = section_head(line)
        if head is None or head.number != number:
            return False
        if not self._may_be_empty_section(i):
            return False
        nxt = _next_content(self.lines, i + 1)
        if nxt is None or self._is_first_item(nxt, number):
            return True
        return self._chain_ok(nxt, number + 1, depth + 1)

    def _may_be_empty_section(self, i: int) -> bool:
        """Where a section without items can stand: a page start, or a new paragraph."""
        line = self.lines[i]
        if line.page_start:
            return True
        if self.page_rule:
            return False
        return i == 0 or self.lines[i - 1].blank

    def _is_first_item(self, i: int, section: int) -> bool:
        head = item_head(self.lines[i])
        return head is not None and head.section == section and head.number == 1

    def item_at(self, i: int, section: int, expected: int) -> ItemHead | None:
        line = self.lines[i]
        head = item_head(line)
        if head is None or head.section != section or head.number < expected:
            return None
        case_follows = self._case_follows(i)
        if head.number != expected and not case_follows:
            return None
        if not head.has_dot and not case_follows:
            return None
        if not case_follows:
            prev = self.lines[i - 1] if i else None
            if not (line.page_start or prev is None or prev.blank):
                return None
        return head

    def _case_follows(self, i: int) -> bool:
        for j in range(i + 1, min(i + 6, len(self.lines))):
            line = self.lines[j]
            if case_line(line):
                return True
            if line.blank or part_heading(line) or item_head(line) or section_head(line):
                return False
        return False


def find_skeleton(lines: list[Line], page_count: int) -> Skeleton:
    """Locate every section and item heading and the extent of each item's body.

    KL starts every section on a new page, which is what tells an empty section from
    a numbered list. A document typeset otherwise shows it: if most sections that are
    certain (followed by their first item) do not start a page, the page rule is
    dropped and an empty section must instead start a paragraph.
    """
    page_starts = sum(1 for line in lines if line.page_start)
    if page_count >= 2 and page_starts >= 2:
        skeleton = _scan(lines, _Finder(lines, page_rule=True))
        certain = [s for s in skeleton.sections if s.items]
        on_page = sum(1 for s in certain if lines[s.head_index].page_start)
        if len(certain) < 2 or on_page * 2 >= len(certain):
            return skeleton
    return _scan(lines, _Finder(lines, page_rule=False))


def _scan(lines: list[Line], finder: _Finder) -> Skeleton:
    warnings: list[ParseWarning] = []
    sections: list[SectionSpan] = []
    expected_section: int | None = None
    current: SectionSpan | None = None
    expected_item = 1
    front_end = len(lines)
    # Every section and item heading starts with its number: only those lines are looked at.
    starts = [k for k, line in enumerate(lines) if not line.blank and line.stripped[:1].isdigit()]
    i = 0
    for k in starts:
        if k < i:
            continue  # inside an item heading just read
        i = k
        line = lines[i]
        if current is not None:
            ihead = finder.item_at(i, current.number, expected_item)
            if ihead is not None:
                if ihead.number != expected_item:
                    warnings.append(
                        ParseWarning(
                            "item_numbering_jump",
                            (
                                ("section", current.number),
                                ("previous", expected_item - 1),
                                ("found", ihead.number),
                            ),
                        )
                    )
                span, i = _read_item_head(lines, i, ihead)
                current.items.append(span)
                expected_item = ihead.number + 1
                continue
        shead = finder.section_at(i, expected_section)
        if shead is not None:
            if expected_section is not None and shead.number != expected_section:
                warnings.append(
                    ParseWarning(
                        "section_numbering_jump",
                        (("previous", expected_section - 1), ("found", shead.number)),
                    )
                )
            elif expected_section is None and shead.number != 1:
                warnings.append(ParseWarning("first_section", (("found", shead.number),)))
            if current is None:
                front_end = i
            current = SectionSpan(shead.number, shead.title, i, line.page)
            sections.append(current)
            expected_section = shead.number + 1
            expected_item = 1
        i += 1
    _close_bodies(sections, len(lines))
    return Skeleton(front_end, sections, warnings)


def _read_item_head(lines: list[Line], i: int, head: ItemHead) -> tuple[ItemSpan, int]:
    """Title lines up to the case line; returns the span and the index after the head."""
    title_lines = [Line(head.title, lines[i].page, lines[i].page_start, False, i)]
    j = i + 1
    case: tuple[str, tuple[str, ...]] | None = None
    while j < len(lines) and j <= i + 6:
        line = lines[j]
        found = case_line(line)
        if found:
            case = found
            j += 1
            break
        if line.blank or part_heading(line) or item_head(line) or section_head(line):
            break
        title_lines.append(line)
        j += 1
    if case is None:
        # Without a case line, only lines that visibly continue the heading are title.
        kept = title_lines[:1]
        for line in title_lines[1:]:
            head_char = line.stripped[:1]
            if not (head_char.islower() or head_char.isdigit()):
                break
            kept.append(line)
        title_lines = kept
        j = i + len(title_lines)
    span = ItemSpan(
        head.section,
        head.number,
        i,
        title_lines,
        case[0] if case else None,
        case[1] if case else (),
        j,
    )
    return span, j


def _close_bodies(sections: list[SectionSpan], end: int) -> None:
    """Each item's body runs to the next heading of any kind."""
    flat: list[tuple[int, ItemSpan | None]] = []
    for section in sections:
        flat.append((section.head_index, None))
        for item in section.items:
            flat.append((item.head_index, item))
    for pos, (_, span) in enumerate(flat):
        if span is not None:
            span.body_end = flat[pos + 1][0] if pos + 1 < len(flat) else end
