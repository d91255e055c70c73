"""A meeting briefing a secretary sends as is: Markdown, or one printable HTML file.

For each item: the citation line, the Indstilling and the Beslutning as the document
reads (paragraphs kept, bullets and numbered points as lists, sub-points nested), how
the decision was read (⚠ only where the council did something other than recommended,
:mod:`.decisions`), my notes with their own line breaks, the decisions of related items
in other meetings (:mod:`.related`, each with council and date), attachments and the
source as a reader cites it: "Dagsorden, KKR Hovedstaden 18.06.2025, s. 12" and the
PDF's address when sync fetched it, never a file's name. The bilag sync fetched are
listed with the item they belong to (each entry of the item's Bilag list gets the
bilag's address when one was fetched for it; fetched bilag the list does not name
follow it), bilag tied to no item under the meeting's facts: each with its page count
and its web address, or its path on this disk when it was not fetched from the web.

Document text is data: Markdown punctuation inside it is escaped, so a title like
``[klik](x)`` or ``# Overskrift`` prints as written. The HTML is rendered from the same
Markdown by markdown-it-py (CommonMark, raw HTML off), so the two never disagree.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Literal

from kkr_tui.i18n import _, ngettext
from kkr_tui.meetingwork.merged import MergedItem, merged_meeting
from kkr_tui.meetingwork.related import is_standing_title, related_items
from kkr_tui.sanitize import clean_line, clean_text
from kkr_tui.textfold import fold
from kkr_tui.wording import citation, danish_date, doc_type_name

if TYPE_CHECKING:
    from kkr_tui.model import Block
    from kkr_tui.records import BilagRow, MeetingDetail
    from kkr_tui.store import Store

Format = Literal["md", "html"]
RELATED_PER_ITEM = 3
_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>#|~])")
#: A paragraph starting like a list item or a heading would become one: its first
#: character is written as an HTML character reference instead of a backslash escape.
_BLOCK_START = re.compile(r"^(\s*)([-+=>]|\d+[.)])")
_NUMBERED = re.compile(r"^(\d+)[.)]$")
INDENT = "    "


def md_escape(text: str | None) -> str:
    """Data as literal inline Markdown: punctuation escaped, control characters removed."""
    return _MD_SPECIAL.sub(r"\\\1", clean_line(text or ""))


def _paragraph(text: str) -> str:
    escaped = md_escape(text)
    match = _BLOCK_START.match(escaped)
    if match:
        first = match.group(2)
        escaped = f"{match.group(1)}&#{ord(first[0])};{first[1:]}{escaped[match.end() :]}"
    return escaped


def _marker_kind(block: Block) -> str:
    return "#" if _NUMBERED.match(block.marker) else block.marker or "-"


def md_blocks(blocks: tuple[Block, ...] | list[Block]) -> str:
    """A part's blocks as Markdown: paragraphs apart, list runs tight, sub-points nested.

    A list's level follows its markers: the first marker of a run is level 0, a new
    marker opens a level under it ("–" then "o"), a marker seen before closes back to
    its level.
    """
    out: list[str] = []
    levels: list[str] = []
    previous_list = False
    for block in blocks:
        text = " ".join(block.text.split())
        if not text:
            continue
        if block.kind in ("bullet", "numbered"):
            kind = _marker_kind(block)
            if kind in levels:
                del levels[levels.index(kind) + 1 :]
            else:
                levels.append(kind)
            if not previous_list and out:
                out.append("")
            number = _NUMBERED.match(block.marker)
            mark = f"{number.group(1)}." if number else "-"
            out.append(f"{INDENT * (len(levels) - 1)}{mark} {md_escape(text)}")
            previous_list = True
            continue
        levels = []
        if out:
            out.append("")
        out.append(f"**{md_escape(text)}**" if block.kind == "heading" else _paragraph(text))
        previous_list = False
    return "\n".join(out)


def md_lines(text: str | None) -> str:
    """Free text (a note) with its own line breaks kept (Markdown hard breaks)."""
    paragraphs = re.split(r"\n\s*\n", clean_text(text or "").strip())
    rendered = []
    for paragraph in paragraphs:
        lines = [_paragraph(line.strip()) for line in paragraph.splitlines() if line.strip()]
        rendered.append("\\\n".join(lines))
    return "\n\n".join(p for p in rendered if p)


def source_line(
    doc_type: str,
    council: str,
    meeting_date: str | None,
    first_page: int,
    last_page: int,
    url: str | None,
) -> str:
    """``Dagsorden, KKR Hovedstaden 18.06.2025, s. 12–14`` and the PDF's address if known."""
    pages = ""
    if first_page:
        last = last_page or first_page
        pages = f", s. {first_page}" + (f"–{last}" if last != first_page else "")
    line = f"{doc_type_name(doc_type)}, {council} {danish_date(meeting_date)}{pages}"
    return line + (f" ({url})" if url else "")


def _document_urls(store: Store, meeting: MeetingDetail) -> dict[str, str]:
    """The PDF address of each of the meeting's documents, from sync's manifest."""
    by_hash = {
        row.sha256: row.url
        for row in store.manifest(meeting.council)
        if row.sha256 and row.url.startswith(("http://", "https://"))
    }
    return {d.doc_type: by_hash[d.sha256] for d in meeting.documents if d.sha256 in by_hash}


def _part_blocks(store: Store, item_id: int | None, kind: str) -> tuple[Block, ...]:
    if item_id is None:
        return ()
    part = next((p for p in store.item(item_id).parts if p.kind == kind), None)
    return part.blocks if part is not None else ()


def _reading_line(item: MergedItem) -> str:
    reading = item.reading
    if reading.departs:
        return f"⚠ {reading.label} — afviger fra indstillingen ({reading.reason})"
    if reading.unsure:
        return f"? uafklaret: {reading.reason}"
    return f"✓ {reading.label}"


def _related_decisions(store: Store, item: MergedItem, meeting_date: str | None) -> list[str]:
    if is_standing_title(item.title):
        return []
    lines = []
    for rel in related_items(store, item.item_id):
        if (rel.meeting_date or "") > (meeting_date or ""):
            continue
        decision = _part_blocks(store, rel.item_id, "Beslutning")
        text = " ".join(b.text for b in decision).strip()
        if not text:
            continue
        if len(text) > 240:
            text = text[:239].rstrip() + "…"
        lines.append(
            f"- {md_escape(rel.council)} {danish_date(rel.meeting_date)}, pkt. "
            f"{md_escape(rel.number)} {md_escape(rel.title)}: {md_escape(text)}"
        )
        if len(lines) == RELATED_PER_ITEM:
            break
    return lines


#: What a link may be to be written as one (CommonMark autolink): a web address with
#: no space, angle bracket or control character. Anything else is written as text.
_AUTOLINK = re.compile(r"^https?://[^\s<>\x00-\x1f\x7f]+$")


def bilag_link(bilag: BilagRow) -> str:
    """Where a fetched bilag is: its web address as a link, else its path on this
    disk as text (a bilag read from a mirror or a test server's file)."""
    url = clean_line(bilag.url)
    if _AUTOLINK.match(url):
        return f"<{url}>"
    return md_escape(bilag.path)


def _bilag_entry(bilag: BilagRow, title: bool = True) -> str:
    pages = ngettext("{n} page", "{n} pages", bilag.page_count).format(n=bilag.page_count)
    state = ""
    if bilag.state == "unreadable":
        state = ", " + _("text unreadable")
    name = f"{md_escape(bilag.title)} " if title else ""
    return f"{name}({pages}{state}): {bilag_link(bilag)}"


def _folded(text: str) -> str:
    return " ".join(fold(text).split())


def _names_same_bilag(entry: str, bilag: BilagRow) -> bool:
    """An entry of the Bilag list ("Bilag 2.2 Notat om drikkevand") names a fetched
    bilag when one's folded title holds the other's ("Notat om drikkevand")."""
    a, b = _folded(entry), _folded(bilag.title)
    return bool(a and b) and (a in b or b in a)


def bilag_lines(attachments: tuple[str, ...], fetched: list[BilagRow]) -> list[str]:
    """The item's Bilag list as Markdown list lines: each entry with the link of the
    fetched bilag it names, then the fetched bilag no entry names."""
    lines = []
    left = list(fetched)
    for entry in attachments:
        found = next((b for b in left if _names_same_bilag(entry, b)), None)
        if found is None:
            lines.append(f"- {md_escape(entry)}")
            continue
        left.remove(found)
        if _folded(entry) == _folded(found.title):  # the same name: said once
            lines.append(f"- {md_escape(entry)} {_bilag_entry(found, title=False)}")
        else:
            lines.append(f"- {md_escape(entry)} — {_bilag_entry(found)}")
    lines += [f"- {_bilag_entry(b)}" for b in left]
    return lines


def _item_section(
    store: Store, meeting: MeetingDetail, item: MergedItem, urls: dict[str, str]
) -> str:
    council = clean_line(meeting.council)
    out = [f"### {md_escape(item.number)} {md_escape(item.title)}", ""]
    cite = citation(council, meeting.meeting_date, item.number, item.case_number, item.title)
    out += [f"*{md_escape(cite)}*", ""]
    if item.indstilling:
        from_agenda = item.indstilling_source == "agenda" and item.agenda is not None
        holder = item.agenda if from_agenda else item.minutes
        source = " (fra dagsordenen)" if from_agenda and item.minutes else ""
        blocks = _part_blocks(store, holder.id if holder else None, "Indstilling")
        out += [f"**Indstilling{source}:**", "", md_blocks(blocks) or md_escape(item.indstilling)]
        out.append("")
    if item.beslutning:
        blocks = _part_blocks(store, item.minutes.id if item.minutes else None, "Beslutning")
        out += [f"**Beslutning** — {md_escape(_reading_line(item))}", ""]
        out += [md_blocks(blocks) or md_escape(item.beslutning), ""]
    elif item.minutes is None:
        out += ["**Beslutning:** endnu ikke kendt (kun dagsorden)", ""]
    note = store.note_for(item.item_id)
    if note is not None:
        out += ["**Mine noter:**", "", md_lines(note.text), ""]
    related = _related_decisions(store, item, meeting.meeting_date)
    if related:
        out += ["**Sådan besluttede andre møder:**", "", *related, ""]
    primary = item.primary
    listed = bilag_lines(primary.attachments, store.item_bilag(item.item_id))
    if listed:
        out += ["**Bilag:**", "", *listed, ""]
    line = source_line(
        primary.doc_type,
        council,
        meeting.meeting_date,
        primary.first_page,
        primary.last_page,
        urls.get(primary.doc_type),
    )
    out += [f"Kilde: {md_escape(line)}", ""]
    return "\n".join(out)


def _facts(
    meeting: MeetingDetail,
    items: list[MergedItem],
    urls: dict[str, str],
    meeting_bilag: list[BilagRow],
) -> list[str]:
    facts = []
    if meeting.place:
        facts.append(f"- Sted: {md_escape(meeting.place)}")
    if meeting.time:
        facts.append(f"- Tid: kl. {md_escape(meeting.time)}")
    for doc in meeting.documents:
        pages = f", {doc.page_count} sider" if doc.page_count else ""
        url = f" ({md_escape(urls[doc.doc_type])})" if doc.doc_type in urls else ""
        facts.append(f"- {doc_type_name(doc.doc_type)}{pages}{url}")
    present = [p for p in meeting.participants if not p.absent]
    absent = [p for p in meeting.participants if p.absent]
    if present:
        facts.append("- Deltagere: " + ", ".join(_person(p.name, p.detail) for p in present))
    if absent:
        facts.append("- Afbud: " + ", ".join(_person(p.name, p.detail) for p in absent))
    numbers = {item.number for item in items}
    untied = [b for b in meeting_bilag if b.item_number not in numbers]
    if untied:
        facts.append("- " + _("Bilag of the meeting (tied to no item):"))
        facts += [f"{INDENT}- {_bilag_entry(b)}" for b in untied]
    if any(i.minutes for i in items):
        departing = sum(1 for i in items if i.reading.departs)
        unsure = sum(1 for i in items if i.reading.unsure)
        facts.append(f"- Beslutninger der afviger fra indstillingen: {departing}")
        if unsure:
            facts.append(f"- Beslutninger der ikke kunne aflæses sikkert: {unsure}")
    return facts


def _person(name: str, detail: str) -> str:
    return md_escape(f"{name} ({detail})" if detail else name)


def briefing_markdown(store: Store, meeting_id: int) -> str:
    """The whole briefing of a meeting as Markdown text."""
    meeting = store.meeting(meeting_id)
    council = clean_line(meeting.council)
    items = merged_meeting(store, meeting_id)
    urls = _document_urls(store, meeting)
    out = [f"# {md_escape(council)} · møde {danish_date(meeting.meeting_date)}", ""]
    fetched = store.meeting_bilag(meeting.council, meeting.meeting_date)
    out += _facts(meeting, items, urls, fetched) + [""]
    sections = {str(s.number): s.title for s in meeting.sections}
    current = None
    for item in items:
        section = item.number.split(".")[0]
        if section != current and section in sections:
            out += [f"## {md_escape(section)}. {md_escape(sections[section])}", ""]
        current = section
        out.append(_item_section(store, meeting, item, urls))
    return "\n".join(out).rstrip() + "\n"


_CSS = """
body { font-family: Calibri, Arial, sans-serif; font-size: 11pt; line-height: 1.4;
       max-width: 46em; margin: 2em auto; color: #111; }
h1 { font-size: 18pt; } h2 { font-size: 14pt; margin-top: 1.6em; }
h3 { font-size: 12pt; margin-top: 1.4em; page-break-after: avoid; }
ul, ol { margin: 0.3em 0 0.6em 0; } li { margin: 0.1em 0; }
em { color: #444; }
@media print { body { margin: 0; max-width: none; } h2, h3 { page-break-after: avoid; } }
"""


def briefing_html(store: Store, meeting_id: int) -> str:
    """The briefing as one self-contained HTML file (inline style, no scripts, printable)."""
    from html import escape

    from markdown_it import MarkdownIt

    markdown = briefing_markdown(store, meeting_id)
    body = MarkdownIt("commonmark", {"html": False}).render(markdown)
    meeting = store.meeting(meeting_id)
    title = escape(f"{clean_line(meeting.council)} · møde {danish_date(meeting.meeting_date)}")
    return (
        '<!DOCTYPE html>\n<html lang="da">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{title}</title>\n<style>{_CSS}</style>\n</head>\n<body>\n{body}</body>\n</html>\n"
    )


def briefing(store: Store, meeting_id: int, fmt: Format = "md") -> str:
    """The briefing in the format asked for."""
    return (
        briefing_html(store, meeting_id) if fmt == "html" else briefing_markdown(store, meeting_id)
    )


def briefing_file_name(council: str, meeting_date: str | None, fmt: Format = "md") -> str:
    """``kkr-hovedstaden-2025-06-18.md``: a file name that sorts by council and date."""
    lowered = council.lower().replace("æ", "ae").replace("ø", "oe").replace("å", "aa")
    slug = re.sub(r"[^a-z0-9]+", "-", lowered).strip("-") or "kkr"
    return f"{slug}-{meeting_date or 'uden-dato'}.{fmt}"
