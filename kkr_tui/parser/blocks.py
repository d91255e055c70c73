"""Turn a part's lines into paragraphs, list entries, inner headings and attachments.

Blank lines separate paragraphs (STRUCTURE.md §2). Inside a paragraph a bullet or a
number starts a new list entry only where a new entry can start: at the start of the
paragraph, after another entry, or after a line that ended a sentence — so a wrapped
``2024.`` or ``– status`` stays part of its sentence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from kkr_tui.model import Block, BlockKind
from kkr_tui.parser.headings import MONTH_RE
from kkr_tui.parser.joining import (
    UrlHyphenResolver,
    join_stripped,
    join_unwrapped,
    leading_marker,
    strip_markers,
)
from kkr_tui.parser.lines import Line

#: The characters KL's documents use as list bullets ("o" is Word's second-level bullet).
BULLET_CHARS = frozenset("–-•▪●◦·*o")
BULLET_RE = re.compile(rf"^([{re.escape(''.join(sorted(BULLET_CHARS)))}])\s+(\S.*)$")
NUMBERED_RE = re.compile(rf"^(\d{{1,2}}[.)])\s+(?!(?:{MONTH_RE})\b)(\S.*)$", re.IGNORECASE)
_SENTENCE_END = (".", ":", "!", "?", ";")
_WRAP_WORDS = frozenset(
    [
        "i",
        "på",
        "til",
        "for",
        "af",
        "med",
        "om",
        "fra",
        "mod",
        "ved",
        "og",
        "eller",
        "samt",
        "under",
        "over",
        "efter",
        "mellem",
        "den",
        "det",
        "de",
        "en",
        "et",
        "som",
        "at",
        "hos",
        "ind",
        "ud",
    ]
)
_URL_START_RE = re.compile(r"^(?:https?://|www\.)", re.IGNORECASE)


@dataclass(slots=True)
class _Draft:
    """A block being built: its lines as printed (``raws``) and stripped (``texts``)."""

    kind: BlockKind
    marker: str
    raws: list[str]
    texts: list[str]
    #: A line before the last ends in "-", so joining must decide hyphens.
    wrapped: bool = False


def paragraphs(lines: list[Line]) -> list[list[Line]]:
    """Split lines at blank lines, dropping empty groups."""
    groups: list[list[Line]] = [[]]
    for line in lines:
        if line.blank:
            if groups[-1]:
                groups.append([])
        else:
            groups[-1].append(line)
    return [g for g in groups if g]


def _marker(text: str) -> tuple[BlockKind, str, str] | None:
    """(kind, marker, text after it) for a line that opens a list entry.

    The first character decides which pattern can match at all, so most lines are
    rejected without running a regex."""
    head = text[:1]
    if head in BULLET_CHARS:
        match = BULLET_RE.match(text)
        if match:
            return "bullet", match.group(1), match.group(2)
    elif head.isdigit():
        match = NUMBERED_RE.match(text)
        if match:
            return "numbered", match.group(1), match.group(2)
    return None


def build_blocks(
    lines: list[Line],
    *,
    heading_width: int,
    url_resolver: UrlHyphenResolver | None = None,
) -> tuple[Block, ...]:
    """Paragraphs, list entries and inner headings of one part, text rebuilt.

    One pass over the lines: a blank line closes the paragraph (as :func:`paragraphs`
    would split there), and the line before and after are read from ``lines``."""
    drafts: list[_Draft] = []
    current: _Draft | None = None
    prev = ""  # the previous line of the paragraph, stripped
    pos = 0  # the line's position in its paragraph
    last = len(lines) - 1
    for i, line in enumerate(lines):
        if line.blank:
            current = None
            pos = 0
            continue
        text = line.stripped
        if pos == 0:
            at_boundary = True
            pos = 1
        else:
            at_boundary = prev.endswith(_SENTENCE_END) or (
                current is not None and current.kind == "heading"
            )
        before = prev
        prev = text
        if text.startswith("./"):
            enclosure = leading_marker(text)
            if enclosure and text[enclosure.end() :][:1].isupper():
                # "./." is printed in the margin at the start of a paragraph.
                current = _Draft("paragraph", "", [line.text], [text])
                drafts.append(current)
                continue
        head = text[:1]
        if head in BULLET_CHARS or head.isdigit():
            in_list = current is not None and current.kind in ("bullet", "numbered")
            if at_boundary or in_list or before.endswith(","):
                marked = _marker(text)
                if marked:
                    raw = _replace_text(line, marked[2])
                    current = _Draft(marked[0], marked[1], [raw], [raw.strip()])
                    drafts.append(current)
                    continue
        if at_boundary and len(text) <= heading_width:
            after = lines[i + 1] if i < last else None
            nxt = after.stripped if after is not None and not after.blank else ""
            if _looks_like_heading(text, nxt, heading_width):
                current = _Draft("heading", "", [line.text], [text])
                drafts.append(current)
                continue
        if current is None or current.kind == "heading":
            current = _Draft("paragraph", "", [line.text], [text])
            drafts.append(current)
        else:
            if current.raws[-1].endswith("-"):
                current.wrapped = True
            current.raws.append(line.text)
            current.texts.append(text)
    blocks = []
    for draft in drafts:
        if draft.wrapped:
            text = strip_markers(join_stripped(draft.raws, draft.texts, url_resolver))
        else:
            text = strip_markers(join_unwrapped(draft.texts))
        if text:
            blocks.append(Block(draft.kind, text, draft.marker))
    return tuple(blocks)


def _join(lines: list[Line], url_resolver: UrlHyphenResolver | None) -> str:
    return join_stripped([ln.text for ln in lines], [ln.stripped for ln in lines], url_resolver)


def _replace_text(line: Line, text: str) -> str:
    """``text`` with the line's trailing spaces, which the joiner reads."""
    raw = line.text
    return text + raw[len(raw.rstrip()) :]


def _looks_like_heading(text: str, nxt: str, width: int) -> bool:
    """A short unpunctuated line that starts a paragraph and is followed by a new sentence.

    Bold inner headings ("Proces", forum names under "Siden sidst") come out of the PDF
    as ordinary lines; a wrapped line is long, so a short line whose successor starts
    with a capital letter cannot be the middle of a sentence.
    """
    if not nxt or len(text) > width or len(text) < 3:
        return False
    if text.endswith((*_SENTENCE_END, ",", "-", "–")) or not text[0].isupper():
        return False
    if text.split()[-1].lower() in _WRAP_WORDS:
        return False
    if _URL_START_RE.match(nxt) or "http" in text:
        return False
    return nxt[0].isupper() or nxt[0].isdigit() or nxt[0] in "”\"'’" or _marker(nxt) is not None


def attachment_entries(
    lines: list[Line], url_resolver: UrlHyphenResolver | None = None
) -> list[str]:
    """The entries of a Bilag list, wrapped entries joined (STRUCTURE.md §12)."""
    entries: list[list[Line]] = []
    prev: Line | None = None
    for line in lines:
        if line.blank:
            prev = None
            continue
        text = line.stripped
        if prev is not None and entries and _continues_entry(prev, text):
            entries[-1].append(line)
        else:
            entries.append([line])
        prev = line
    out = []
    for entry in entries:
        text = strip_markers(_join(entry, url_resolver))
        text = text.rstrip()
        if text:
            out.append(text)
    return out


def _continues_entry(prev: Line, text: str) -> bool:
    prev_raw = prev.text
    prev_text = prev.stripped
    if prev_raw.endswith("-") and prev_raw == prev_raw.rstrip():
        return True
    if _URL_START_RE.match(text) and prev_text.endswith(":"):
        return True
    head = text[0]
    if head.islower() or head.isdigit():
        return True
    if prev_text.endswith((",", "–", "-", "&", "/")):
        return True
    return prev_text.split()[-1].lower() in _WRAP_WORDS
