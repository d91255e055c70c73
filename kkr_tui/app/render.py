"""Turn store records into things the widgets can show, without ever parsing data as markup.

Document text is untrusted: a title like ``[@click=app.quit]x[/]`` must appear exactly as
printed. Every function here builds ``Content`` / ``rich.text.Text`` objects from plain
strings and adds styles by span, so no byte of a document reaches a markup parser. Our
own styling uses theme variables (``$accent``) so every built-in theme works.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from rich.console import Group
from rich.style import Style as RichStyle
from rich.table import Table
from rich.text import Text
from textual.content import Content

from kkr_tui import wording
from kkr_tui.sanitize import clean_line, clean_text
from kkr_tui.wording import danish_date, doc_type_name

if TYPE_CHECKING:
    from kkr_tui.app.links import LinkMarks
    from kkr_tui.model import Part
    from kkr_tui.records import AtItem, ItemDetail
    from kkr_tui.search import SearchHit

_URL_RE = re.compile(r"https?://[^\s<>\"')\[\]]+")


def safe(text: str | None) -> str:
    """One clean line: the last guard against control characters that slipped past ingest."""
    return clean_line(text or "")


def literal(text: str | None) -> Content:
    """Document text as Content, shown exactly as written."""
    return Content(safe(text))


def tree_text(text: str | None) -> Text:
    """Document text as a rich Text for Tree labels (the Tree renders rich Text)."""
    return Text(safe(text), no_wrap=True, overflow="ellipsis")


def item_label(number: str, title: str) -> Text:
    """Tree label for an item: ``3.4 Strategi for mobilitet``."""
    label = Text(safe(number), style="bold", no_wrap=True, overflow="ellipsis")
    label.append(" ")
    label.append(safe(title))
    return label


def section_label(number: int | str, title: str) -> Text:
    """Tree label for a section: ``3. Regionalpolitiske sager``."""
    return Text(f"{safe(str(number))}. {safe(title)}", no_wrap=True, overflow="ellipsis")


def citation(item: ItemDetail) -> str:
    """The citation line a secretary pastes into a memo.

    ``KKR Hovedstaden, møde 18.06.2025, pkt. 3.4 (SAG-2025-02162): <title>``
    """
    return wording.citation(
        item.council, item.meeting_date, item.number, item.case_number, item.title
    )


def full_citation(item: Any) -> str:
    """The citation with the item's pages and, when known, the source document's address.

    ``…: Status på sundhedsreformen, s. 4–5. https://www.kl.dk/…`` — what ``C`` copies.
    """
    out = citation(item)
    first, last = item.first_page, item.last_page or item.first_page
    if first:
        out += f", s. {first}" if last == first else f", s. {first}–{last}"
    url = safe(getattr(item, "source_url", None) or "")
    return f"{out}. {url}" if url else out


def item_as_text(item: ItemDetail) -> str:
    """The whole item as plain text for the clipboard: citation first, then every part."""
    out = [citation(item), ""]
    for part in item.parts:
        out.append(safe(part.heading) or part.kind)
        out.append(clean_text(part.text))
        out.append("")
    if item.attachments:
        out.append("Bilag:")
        out.extend(f"- {safe(a)}" for a in item.attachments)
        out.append("")
    if item.urls:
        out.append("Links:")
        out.extend(f"- {safe(u)}" for u in item.urls)
    return "\n".join(out).rstrip() + "\n"


def facts_line(item: ItemDetail) -> Content:
    """Council · date · agenda/minutes · case number · case officers · pages."""
    facts = [
        safe(item.council),
        danish_date(item.meeting_date),
        doc_type_name(item.doc_type),
    ]
    if item.case_number:
        facts.append(safe(item.case_number))
    if item.initials:
        facts.append(", ".join(safe(i) for i in item.initials))
    if item.first_page:
        last = item.last_page or item.first_page
        first = item.first_page
        facts.append(f"s. {first}" if last == first else f"s. {first}–{last}")
    return Content(" · ".join(f for f in facts if f))


def linkify(text: str, marks: LinkMarks | None = None) -> Text:
    """Plain text with every URL made a clickable terminal link (OSC 8); ``marks``
    numbers them for the pane's link cursor and marks the current one."""
    from kkr_tui.app.limits import MAX_LINK_CHARS

    out = Text(text)
    for match in _URL_RE.finditer(text):
        url = match.group(0).rstrip(".,;:")
        end = match.start() + len(url)
        if marks is not None:
            marks.link(out, match.start(), end, url)
        else:
            out.stylize(RichStyle(link=url[:MAX_LINK_CHARS], underline=True), match.start(), end)
    return out


def _reflow(text: str) -> str:
    return " ".join(clean_text(text).split())


def part_body(part: Part, marks: LinkMarks | None = None) -> Group:
    """A part's blocks: paragraphs reflowed to the pane width, lists with hanging indents.

    Inner headings ("Proces", a forum name under "Siden sidst") are bold lines of their own.
    """
    renderables: list[Any] = []
    pending: Table | None = None
    for block in part.blocks:
        if block.kind in ("paragraph", "heading"):
            if pending is not None:
                renderables.append(pending)
                pending = None
            if renderables:
                renderables.append(Text(""))
            line = linkify(_reflow(block.text), marks)
            if block.kind == "heading":
                line.stylize("bold")
            renderables.append(line)
            continue
        if pending is None:
            if renderables:
                renderables.append(Text(""))
            pending = Table.grid(padding=(0, 1))
            pending.add_column(no_wrap=True)
            pending.add_column(ratio=1)
        marker = safe(block.marker) or ("•" if block.kind == "bullet" else "")
        pending.add_row(Text(marker), linkify(_reflow(block.text), marks))
    if pending is not None:
        renderables.append(pending)
    return Group(*renderables)


def bullet_list(
    lines: Iterable[str], *, links: bool = False, marks: LinkMarks | None = None
) -> Group:
    """Attachments or URLs as a list; URLs become clickable, shown shortened (``marks``:
    numbered for the pane's link cursor, as :func:`linkify`)."""
    from kkr_tui.app.limits import MAX_LINK_CHARS, link_label

    table = Table.grid(padding=(0, 1))
    table.add_column(no_wrap=True)
    table.add_column(ratio=1)
    for line in lines:
        clean = safe(line)
        if not links:
            body = Text(clean)
        elif marks is not None:
            body = Text(link_label(clean), overflow="fold")
            marks.link(body, 0, len(body), clean)
        else:
            style = RichStyle(link=clean[:MAX_LINK_CHARS], underline=True)
            body = Text(link_label(clean), style=style, overflow="fold")
        table.add_row(Text("•"), body)
    return Group(table)


def _marked(text: str, spans: Any, style: str) -> Content:
    plain = same_length_clean(text or "")
    content = Content(plain, strip_control_codes=False)
    for start, end in spans or ():
        if 0 <= start < end <= len(plain):
            content = content.stylize(style, start, end)
    return content


def bilag_hit_head(hit: SearchHit) -> Content:
    """A bilag hit's line: council · date · a "Bilag" tag, the item when the bilag is
    tied to one, then the bilag's title and the page (and how many more pages have
    the words), so it never reads as an item of its own."""
    from kkr_tui.i18n import _, ngettext

    item = f"{safe(hit.number)} {safe(hit.title)}".strip()
    where = _("{title}, p. {page}").format(title=safe(hit.bilag_title), page=hit.page or 1)
    more = max(0, hit.bilag_matches - 1)
    parts: list[str | tuple[str, str] | Content] = [
        (safe(hit.council).removeprefix("KKR "), "$text-muted"),
        " · ",
        (danish_date(hit.meeting_date), "$text-muted"),
        " · ",
        (" " + _("Bilag") + " ", "bold reverse $text-accent"),
        "  ",
    ]
    if item:
        parts += [(item, "bold"), " — "]
    parts.append((where, "italic"))
    if more:
        text = ngettext("(+{n} page)", "(+{n} pages)", more).format(n=more)
        parts += [" ", (text, "$text-muted")]
    return Content.assemble(*parts)


def item_line(item: AtItem, *, doc_type: bool = True) -> Content:
    """``Hovedstaden 18.06.2025 Dagsorden  3.5 Title``: where an item is (muted) and
    what it is called, as the Related panel and the what's-new list show it."""
    parts: list[tuple[str, str] | str] = [
        (safe(item.council).removeprefix("KKR "), "$text-muted"),
        " ",
        (danish_date(item.meeting_date), "$text-muted"),
    ]
    if doc_type:
        parts += [" ", (doc_type_name(item.doc_type), "$text-muted")]
    parts += ["  ", (safe(item.number), "bold"), " ", safe(item.title)]
    return Content.assemble(*parts)


def hit_prompt(hit: SearchHit, *, snippet: bool = True) -> Content:
    """A search result: a facts line, then (``snippet``) the snippet with the matched
    words highlighted; the list shows the line, the preview under it the whole.

    Highlights are spans into the plain strings, applied by offset, so nothing in a title
    or snippet is ever parsed.
    """
    mark = "bold $text-accent underline"
    if getattr(hit, "kind", "") == "bilag":
        head = bilag_hit_head(hit)
        if not hit.snippet or not snippet:
            return head
        return Content.assemble(head, "\n  ", _marked(hit.snippet, hit.highlights, mark))
    title = _marked(hit.title, getattr(hit, "title_highlights", ()), mark).stylize_before("bold")
    head = Content.assemble(
        (safe(hit.council).removeprefix("KKR "), "$text-muted"),
        " · ",
        (danish_date(hit.meeting_date), "$text-muted"),
        " · ",
        (doc_type_name(hit.doc_type), "$text-muted"),
        "  ",
        (safe(hit.number), "bold"),
        " ",
        title,
    )
    if not hit.snippet or not snippet:
        return head
    return Content.assemble(head, "\n  ", _marked(hit.snippet, hit.highlights, mark))


def same_length_clean(text: str) -> str:
    """Blank out newlines and control characters without moving any offset.

    Search highlights are spans into the snippet, so cleaning must not shorten it.
    """
    return "".join(" " if unicodedata.category(ch) in ("Cc", "Cf") else ch for ch in text)
