"""A meeting briefing in Markdown: what a secretary prints before (or after) a meeting.

For each item: the citation line, the Indstilling, the Beslutning and how it was read
(marked when it departs from the recommendation), my notes, related earlier decisions
(:mod:`.related`, earlier meetings only), attachments and the source pages. Document
text is data: Markdown punctuation in it is escaped, so a title like ``[klik](x)`` or
``# Overskrift`` prints as written instead of becoming a link or a heading.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from kkr_tui.meetingwork.citation import citation, danish_date
from kkr_tui.meetingwork.merged import MergedItem, merged_meeting
from kkr_tui.meetingwork.related import is_standing_title, related_items
from kkr_tui.sanitize import clean_line, clean_text

if TYPE_CHECKING:
    from kkr_tui.store import Store

RELATED_PER_ITEM = 3
_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>#|~])")
_LINE_START = re.compile(r"^(\s*)([-=>]|\d+[.)])", re.MULTILINE)
DOC_NAMES = {"agenda": "Dagsorden", "minutes": "Referat"}


def md_escape(text: str | None) -> str:
    """Data as literal inline Markdown: punctuation escaped, control characters removed."""
    return _MD_SPECIAL.sub(r"\\\1", clean_line(text or ""))


def md_block(text: str | None) -> str:
    """A paragraph of data as literal Markdown: also no list or quote marker at a line start."""
    escaped = _MD_SPECIAL.sub(r"\\\1", clean_text(text or ""))
    return _LINE_START.sub(lambda m: m.group(1) + "\\" + m.group(2), escaped)


def _paragraphs(text: str | None) -> str:
    blocks = [" ".join(b.split()) for b in clean_text(text or "").split("\n\n")]
    return "\n\n".join(md_block(b) for b in blocks if b)


def _first_line(text: str | None) -> str:
    for line in (text or "").splitlines():
        if line.strip():
            return " ".join(line.split())
    return ""


def _item_section(store: Store, meeting_date: str | None, council: str, item: MergedItem) -> str:
    out = [f"### {md_escape(item.number)} {md_escape(item.title)}", ""]
    cite = citation(council, meeting_date, item.number, item.case_number, item.title)
    out += [f"*{md_escape(cite)}*", ""]
    if item.indstilling:
        source = " (fra referatet)" if item.indstilling_source == "minutes" and item.agenda else ""
        out += [f"**Indstilling{source}:**", "", _paragraphs(item.indstilling), ""]
    if item.beslutning:
        mark = " ⚠ afviger fra indstillingen" if item.reading.departs else ""
        out += [
            f"**Beslutning** ({item.reading.label}{mark}):",
            "",
            _paragraphs(item.beslutning),
            "",
        ]
    elif item.minutes is None:
        out += ["**Beslutning:** endnu ikke kendt (kun dagsorden)", ""]
    note = store.note_for(item.item_id)
    if note is not None:
        out += ["**Mine noter:**", "", _paragraphs(note.text), ""]
    if not is_standing_title(item.title):
        earlier = [
            r
            for r in related_items(store, item.item_id)
            if (r.meeting_date or "") < (meeting_date or "")
        ][:RELATED_PER_ITEM]
        if earlier:
            out += ["**Tidligere behandlet:**", ""]
            for rel in earlier:
                detail = store.item(rel.item_id)
                decision = next((p.text for p in detail.parts if p.kind == "Beslutning"), "")
                line = (
                    f"- {md_escape(rel.council)} {danish_date(rel.meeting_date)}, pkt. "
                    f"{md_escape(rel.number)} {md_escape(rel.title)}"
                )
                if decision:
                    line += f" — Beslutning: {md_escape(_first_line(decision))}"
                out.append(line)
            out.append("")
    primary = item.primary
    if primary.attachments:
        out += ["**Bilag:**", ""] + [f"- {md_escape(a)}" for a in primary.attachments] + [""]
    pages = ""
    if primary.first_page:
        last = primary.last_page or primary.first_page
        pages = f", s. {primary.first_page}" + (f"–{last}" if last != primary.first_page else "")
    out += [f"Kilde: {md_escape(primary.file_name)}{pages}", ""]
    return "\n".join(out)


def briefing_markdown(store: Store, meeting_id: int) -> str:
    """The whole briefing of a meeting as Markdown text."""
    meeting = store.meeting(meeting_id)
    council = clean_line(meeting.council)
    items = merged_meeting(store, meeting_id)
    out = [f"# {md_escape(council)} · møde {danish_date(meeting.meeting_date)}", ""]
    facts = []
    if meeting.place:
        facts.append(f"- Sted: {md_escape(meeting.place)}")
    if meeting.time:
        facts.append(f"- Tid: kl. {md_escape(meeting.time)}")
    for doc in meeting.documents:
        pages = f", {doc.page_count} s." if doc.page_count else ""
        facts.append(
            f"- {DOC_NAMES.get(doc.doc_type, doc.doc_type)}: {md_escape(doc.file_name)}{pages}"
        )
    present = [p for p in meeting.participants if not p.absent]
    absent = [p for p in meeting.participants if p.absent]
    if present:
        facts.append("- Deltagere: " + ", ".join(md_escape(p.name) for p in present))
    if absent:
        facts.append("- Afbud: " + ", ".join(md_escape(p.name) for p in absent))
    departing = [i for i in items if i.reading.departs]
    if any(i.minutes for i in items):
        facts.append(f"- Beslutninger der afviger fra indstillingen: {len(departing)}")
    out += facts + [""]
    sections = {str(s.number): s.title for s in meeting.sections}
    current = None
    for item in items:
        section = item.number.split(".")[0]
        if section != current and section in sections:
            out += [f"## {md_escape(section)}. {md_escape(sections[section])}", ""]
        current = section
        out.append(_item_section(store, meeting.meeting_date, council, item))
    return "\n".join(out).rstrip() + "\n"
