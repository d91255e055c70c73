"""The parser: a SourceDocument's pages in, a Meeting out. Pure: no I/O.

Steps: classify lines (:mod:`.lines`), find the headings (:mod:`.structure`), rebuild
each item's parts (:mod:`.blocks`), attribute URLs (:mod:`.links`) and read the
meeting's facts (:mod:`.facts`). Oddities become warnings on the meeting or the item;
only a document with no section and item structure at all is rejected.
"""

from __future__ import annotations

from kkr_tui.model import (
    UNTITLED_PART,
    Block,
    DocType,
    Item,
    Meeting,
    NotAMeetingError,
    ParseWarning,
    Part,
    Section,
    SourceDocument,
)
from kkr_tui.parser import facts
from kkr_tui.parser.blocks import attachment_entries, build_blocks
from kkr_tui.parser.headings import PART_HEADING_MAX as _PART_HEADING_MAX
from kkr_tui.parser.headings import part_heading
from kkr_tui.parser.joining import join_lines, leading_marker, remove_markers, strip_markers
from kkr_tui.parser.lines import Line, RunningHeader, page_lines
from kkr_tui.parser.links import UrlResolver, inline_urls, is_web_url, link_affinity, url_key
from kkr_tui.parser.pagewarnings import attach_page_warnings
from kkr_tui.parser.structure import ItemSpan, SectionSpan, find_skeleton
from kkr_tui.sanitize import clean_line

#: Bumped whenever a change can alter the parse of a stored document (``ingest --reparse``).
PARSER_VERSION = "1.1.1"

__all__ = ["PARSER_VERSION", "parse", "NotAMeetingError"]


def parse(doc: SourceDocument) -> Meeting:
    """Parse a meeting document; raise NotAMeetingError when it has no KKR structure."""
    lines, headers = page_lines(doc.pages)
    if not any(not line.blank for line in lines):
        raise NotAMeetingError("no_text")
    skeleton = find_skeleton(lines, len(doc.pages))
    if not skeleton.sections or not any(s.items for s in skeleton.sections):
        raise NotAMeetingError("no_structure")

    annotations = [url for page in doc.pages for url in page.links]
    resolver = UrlResolver(annotations)
    width = _heading_width(lines)
    drafts = [
        _ItemDraft.build(section, span, lines, resolver, width)
        for section in skeleton.sections
        for span in section.items
    ]
    meeting_links = _attribute_annotations(doc, drafts)

    cover = facts.read_cover(lines[: skeleton.front_end])
    is_minutes = cover.doc_type == "minutes" or any(
        part.kind == "Beslutning" for d in drafts for part in d.parts
    )
    doc_type: DocType = "minutes" if is_minutes else "agenda"
    warnings = list(skeleton.warnings)
    council = facts.council_from(
        cover,
        headers,
        lambda: " ".join(d.part_text("Indstilling") for d in drafts),
        lambda: " ".join(d.full_text() for d in drafts),
    )
    if council is None:
        warnings.append(ParseWarning("no_council"))
    meeting_date = _meeting_date(cover, headers, skeleton.sections, drafts)
    if meeting_date is None:
        warnings.append(ParseWarning("no_date"))

    by_section: dict[int, list[Item]] = {}
    for draft in drafts:
        by_section.setdefault(draft.section, []).append(draft.to_item(is_minutes))
    sections = tuple(
        Section(
            s.number,
            _clean_title([Line(s.title, s.page)]),
            tuple(by_section.get(s.number, ())),
            s.page,
        )
        for s in skeleton.sections
    )
    sections = attach_page_warnings(sections, doc.page_warnings, len(doc.pages))
    return Meeting(
        source=doc.name,
        council=council,
        meeting_date=meeting_date,
        doc_type=doc_type,
        sections=sections,
        place=cover.place,
        meeting_time=cover.time,
        participants=tuple(cover.participants),
        links=tuple(meeting_links),
        page_count=len(doc.pages),
        warnings=tuple(warnings),
        page_warnings=doc.page_warnings,
    )


def _heading_width(lines: list[Line]) -> int:
    """Inner headings are shorter than 70 % of a full line of this document.

    The first line of a wrapped paragraph is a full line, so a paragraph-opening line
    well short of one stands alone; 70 % leaves room for the longest Danish words
    that push a wrap early."""
    lengths = sorted([len(line.stripped) for line in lines if not line.blank])
    if not lengths:
        return 60
    p90 = lengths[int(len(lengths) * 0.9)]
    return max(25, min(70, int(p90 * 0.7)))


def _clean_title(title_lines: list[Line]) -> str:
    return clean_line(strip_markers(join_lines(line.text for line in title_lines)))


class _ItemDraft:
    """An item being built: its parts, text per page, URLs."""

    def __init__(self, section: int, span: ItemSpan) -> None:
        self.section = section
        self.span = span
        self.parts: list[Part] = []
        self.attachments: list[str] = []
        self.urls: list[str] = []
        self.page_text: dict[int, list[str]] = {}
        self.first_page = span.title_lines[0].page
        self.last_page = self.first_page
        self.warnings: list[ParseWarning] = []

    @classmethod
    def build(
        cls,
        section: SectionSpan,
        span: ItemSpan,
        lines: list[Line],
        resolver: UrlResolver,
        width: int,
    ) -> _ItemDraft:
        draft = cls(section.number, span)
        body = lines[span.body_start : span.body_end]
        page_text = draft.page_text
        for line in span.title_lines:
            page_text.setdefault(line.page, []).append(line.text)
        chunks: list[tuple[str | None, str, list[Line]]] = []
        chunk: list[Line] | None = None
        enclosures = 0
        last_page = draft.last_page
        on_page: list[str] = []  # replaced at the first line: its page is never None
        page = None
        for line in body:
            if line.blank:
                if chunk is not None:
                    chunk.append(line)
                continue
            if line.page != page:
                page = line.page
                on_page = page_text.setdefault(page, [])
                if page > last_page:
                    last_page = page
            on_page.append(line.text)
            stripped = line.stripped
            # A part heading is a short whole line (part_heading rejects anything longer).
            kind = part_heading(line) if len(stripped) <= _PART_HEADING_MAX else None
            if kind is not None:
                chunk = []
                chunks.append((kind, stripped, chunk))
            elif chunk is not None:
                chunk.append(line)
            else:
                chunk = [line]
                chunks.append((None, "", chunk))
            if stripped.startswith("./"):
                enclosures += 1
        draft.last_page = last_page
        for kind, heading, chunk in chunks:
            if kind == "Bilag":
                entries = attachment_entries(chunk, resolver)
                draft.attachments.extend(entries)
                blocks = tuple(_entry_block(e) for e in entries)
                heading = remove_markers(heading).strip()
                draft.parts.append(Part("Bilag", heading, blocks))
            else:
                blocks = build_blocks(chunk, heading_width=width, url_resolver=resolver)
                draft.parts.append(Part(kind or UNTITLED_PART, heading, blocks))
        # A standalone list needs two ./. lines; most bodies have none.
        if enclosures >= 2 and not any(p.kind == "Bilag" for p in draft.parts):
            draft.attachments.extend(_standalone_enclosures(body))
        title_text = join_lines(line.text for line in span.title_lines)
        texts = [title_text] + [b.text for p in draft.parts for b in p.blocks]
        seen: set[str] = set()
        for text in texts:
            for url in inline_urls(text):
                key = url_key(url)
                if key not in seen:
                    seen.add(key)
                    draft.urls.append(url)
        return draft

    def part_text(self, kind: str) -> str:
        return " ".join(p.text for p in self.parts if p.kind == kind)

    def full_text(self) -> str:
        return " ".join(p.text for p in self.parts)

    def to_item(self, is_minutes: bool) -> Item:
        span = self.span
        warnings = list(self.warnings)
        if span.case_number is None:
            warnings.append(ParseWarning("no_case_number"))
        if is_minutes and not any(p.kind == "Beslutning" for p in self.parts):
            warnings.append(ParseWarning("no_beslutning"))
        return Item(
            number=f"{span.section}.{span.number}",
            title=_clean_title(span.title_lines),
            case_number=span.case_number,
            initials=span.initials,
            parts=tuple(self.parts),
            attachments=tuple(clean_line(a) for a in self.attachments),
            urls=tuple(self.urls),
            first_page=self.first_page,
            last_page=self.last_page,
            warnings=tuple(warnings),
        )


def _entry_block(text: str) -> Block:
    return Block("bullet", text, "•")


def _standalone_enclosures(body: list[Line]) -> list[str]:
    """A run of one-line ``./. Title`` paragraphs with no Bilag heading is an attachment list."""
    found: list[str] = []
    for pos, line in enumerate(body):
        if line.blank or not leading_marker(line.stripped):
            continue
        before = body[pos - 1] if pos else None
        after = body[pos + 1] if pos + 1 < len(body) else None
        alone = (before is None or before.blank or leading_marker(before.stripped)) and (
            after is None or after.blank or leading_marker(after.stripped)
        )
        text = strip_markers(line.stripped)
        if alone and text and len(text) <= 120:
            found.append(text)
    return found if len(found) >= 2 else []


def _attribute_annotations(doc: SourceDocument, drafts: list[_ItemDraft]) -> list[str]:
    """Give each page's annotation URIs to an item; return those that fit none."""
    leftovers: list[str] = []
    inline_owner: dict[str, _ItemDraft] = {}
    for draft in drafts:
        for url in draft.urls:
            inline_owner.setdefault(url_key(url), draft)
    for page in doc.pages:
        if not page.links:
            continue
        on_page = [d for d in drafts if page.number in d.page_text]
        seen: set[str] = set()
        for url in page.links:
            if not is_web_url(url):
                continue
            key = url_key(url)
            if key in seen:
                continue
            seen.add(key)
            owner = inline_owner.get(key)
            if owner is not None:
                _adopt_canonical(owner, url)
                continue
            if not on_page:
                if url not in leftovers:
                    leftovers.append(url)
                continue
            if len(on_page) == 1:
                target = on_page[0]
            else:
                target = max(
                    on_page,
                    key=lambda d: link_affinity(url, " ".join(d.page_text[page.number])),
                )
            if all(url_key(u) != key for u in target.urls):
                target.urls.append(url)
            inline_owner.setdefault(key, target)
    return leftovers


def _adopt_canonical(owner: _ItemDraft, url: str) -> None:
    """Replace the inline spelling of a URL by the annotation's, which is exact."""
    key = url_key(url)
    owner.urls = [url if url_key(u) == key else u for u in owner.urls]


def _meeting_date(
    cover: facts.CoverFacts,
    headers: list[RunningHeader],
    sections: list[SectionSpan],
    drafts: list[_ItemDraft],
) -> str | None:
    if cover.date:
        return cover.date
    from_headers = facts.date_from_headers(headers)
    if from_headers:
        return from_headers
    next_meeting = {s.number for s in sections if "næste møde" in s.title.lower()}
    usable = [d for d in drafts if d.section not in next_meeting]
    approval = facts.date_from_agenda_approval(" ".join(d.full_text() for d in usable))
    if approval:
        return approval
    body = [d for d in usable if not _approves_previous_minutes(d)]
    return facts.date_from_body(" ".join(d.full_text() for d in body))


def _approves_previous_minutes(draft: _ItemDraft) -> bool:
    title = join_lines(line.text for line in draft.span.title_lines).lower()
    return "referat" in title and "dagsorden" not in title
