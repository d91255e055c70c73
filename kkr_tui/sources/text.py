"""Read a text file of page-by-page pypdf output back into pages.

The sample documents are ``extract_text()`` output with each page's link-annotation
URIs appended after its text and no explicit page separator (STRUCTURE.md §1-§3).
The parser needs the pages back, because page starts carry meaning (a section always
starts a page) and annotation URLs belong to the page that ends just before them.
So this module decodes conservatively, then rebuilds pages from the three signals the
files offer: form feeds, one-space page-start lines and the running header.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Sequence

from kkr_tui.model import Page, SourceDocument
from kkr_tui.sanitize import clean_text
from kkr_tui.sources.errors import UnreadableDocumentError, check_regular_file, read_all

#: A KKR document is a few hundred KB of text; anything far bigger is not one.
MAX_TEXT_BYTES = 64 * 1024 * 1024

_DANISH_LETTERS = frozenset("æøåÆØÅ")
_C1_RE = re.compile("[\x80-\x9f]")
# Bytes that never occur in text files: C0 controls except \t \n \v \f \r and ESC
# (escape sequences are hostile text, removed later, not binary), and DEL.
_BINARY_BYTES = bytes([*range(0x00, 0x09), *range(0x0E, 0x1B), *range(0x1C, 0x20), 0x7F])
_BINARY_RATIO = 0.05
_SNIFF_BYTES = 65536

PAGE_START_RE = re.compile(r"^ \S")
HEADER_RE = re.compile(r"^KKR [^|]*?\S\s+\|\s+\d{2}-\d{2}-\d{4}\s*$")
SIDE_RE = re.compile(r"^\s*SIDE\s+\|\s+\d+\s*$")
ANNOTATION_URL_RE = re.compile(r"^(?:https?://|mailto:)\S*[^\s-]$")


def read_text(
    path: str | os.PathLike[str],
    progress: Callable[[int, int], None] | None = None,
) -> SourceDocument:
    """Read a ``.txt`` file of extracted pages into a :class:`SourceDocument`.

    ``progress(done, total)`` is called once per rebuilt page, like the PDF reader,
    so the ingest can treat both kinds alike.
    """
    p = check_regular_file(path)
    text = decode_text(read_all(p, MAX_TEXT_BYTES), p)
    pages = split_pages(text)
    if not any(page.text.strip() or page.links for page in pages):
        raise UnreadableDocumentError(p, "no_text")
    if progress is not None:
        for done in range(1, len(pages) + 1):
            progress(done, len(pages))
    return SourceDocument(name=p.name, pages=tuple(pages), kind="text")


def decode_text(data: bytes, path: str | os.PathLike[str] = "") -> str:
    """Decode file bytes as UTF-8 (BOM optional), or as Danish cp1252, or refuse.

    cp1252 is accepted only when the result contains Danish letters: that is the one
    legacy encoding Danish files realistically come in, and the letters are evidence the
    guess is right. Anything else is refused rather than shown as mojibake.
    """
    if not data:
        raise UnreadableDocumentError(path, "empty")
    if data.startswith(b"%PDF-"):
        raise UnreadableDocumentError(path, "pdf_named_txt")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            raise UnreadableDocumentError(path, "broken_utf16") from None
    if _looks_binary(data):
        raise UnreadableDocumentError(path, "binary")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        legacy = data.decode("cp1252")
    except UnicodeDecodeError:
        raise UnreadableDocumentError(path, "unknown_encoding") from None
    if _DANISH_LETTERS.isdisjoint(legacy) or _C1_RE.search(legacy):
        raise UnreadableDocumentError(path, "cp1252")
    return legacy


def _looks_binary(data: bytes) -> bool:
    """True for data with NUL bytes or many control bytes: no text file has those."""
    sample = data[:_SNIFF_BYTES]
    if b"\x00" in sample:
        return True
    controls = len(sample) - len(sample.translate(None, _BINARY_BYTES))
    return controls > len(sample) * _BINARY_RATIO


def split_pages(text: str) -> list[Page]:
    """Rebuild pages from decoded text: form feeds if present, else the page-start rules.

    Each page's trailing annotation-URL lines move into its ``links``; every other line
    is kept exactly, sanitised line by line so no escape sequence can swallow a newline.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if "\f" in text:
        chunks = text.split("\f")
        if len(chunks) > 1 and not chunks[-1].strip("\n"):
            chunks.pop()
        line_chunks = [[clean_text(line) for line in chunk.split("\n")] for chunk in chunks]
    else:
        if text.endswith("\n"):
            text = text[:-1]
        lines = [clean_text(line) for line in text.split("\n")]
        line_chunks = [lines[a:b] for a, b in _page_spans(lines)]
    pages = []
    for number, chunk in enumerate(line_chunks, start=1):
        kept, links = _take_annotation_urls(chunk)
        pages.append(Page(number=number, text="\n".join(kept), links=tuple(links)))
    return pages


def _page_spans(lines: Sequence[str]) -> list[tuple[int, int]]:
    """(start, end) line spans of the pages, from page-start lines and running headers."""
    suppressed: set[int] = set()
    starts: list[int] = []
    for i, line in enumerate(lines):
        if HEADER_RE.match(line):
            starts.append(i)
            side = _next_non_empty(lines, i + 1)
            if side is not None and SIDE_RE.match(lines[side]):
                suppressed.add(side)
                after = _next_non_empty(lines, side + 1)
                if after is not None:
                    suppressed.add(after)
        elif i not in suppressed and PAGE_START_RE.match(line):
            starts.append(i)
    spans: list[tuple[int, int]] = []
    begin = 0
    for start in starts:
        if start > begin and any(line.strip() for line in lines[begin:start]):
            spans.append((begin, start))
            begin = start
    spans.append((begin, len(lines)))
    return spans


def _next_non_empty(lines: Sequence[str], i: int) -> int | None:
    """Index of the first line at or after ``i`` that is not empty (``""``)."""
    while i < len(lines):
        if lines[i]:
            return i
        i += 1
    return None


def _take_annotation_urls(lines: list[str]) -> tuple[list[str], list[str]]:
    """Split a page's trailing block of annotation-URL lines (empty lines may sit between)."""
    taken: list[int] = []
    i = len(lines) - 1
    while i >= 0:
        if lines[i] and ANNOTATION_URL_RE.match(lines[i]):
            taken.append(i)
        elif lines[i]:
            break
        i -= 1
    if not taken:
        return lines, []
    drop = set(taken)
    kept = [line for idx, line in enumerate(lines) if idx not in drop]
    return kept, [lines[idx] for idx in reversed(taken)]
