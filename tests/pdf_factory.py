"""Build real PDFs for tests and benchmarks with fpdf2 (test-only dependency).

Later tests (ingest, CLI, reliability) and the benchmarks build "realistic KKR
meeting PDFs" from the sample text with :func:`build_meeting_pdf` or
:func:`build_pdf_from_text_file`, so the readers are exercised on PDFs pypdf actually
has to parse, not on mocks. Each page is scaled so the page text fits on one PDF page,
with one link annotation per given URI, and drawn in one of two layouts:

- ``"lines"``: one text object per line, the cheapest PDF there is to extract;
- ``"words"``: every word placed on its own (``BT 1 0 0 1 x y Tm [(word )] TJ ET``), as
  Word's "Save as PDF" writes KL's documents. pypdf takes about five times as long
  per page over it (``../shared/PERFORMANCE.md``: 134 pages/s on simple PDFs, 26-34 on
  Word-like ones that position every word), and extracts the same text;
- ``"tagged"``: ``"words"`` with each line in marked content (``/P <</MCID n >>BDC …
  EMC``), as Word tags paragraphs when it writes an accessible PDF (its default), and a
  footer artifact per page. Each tag holds a dictionary, which pypdf reads slowly too.
"""

from __future__ import annotations

import functools
import os
import random
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal

_FONT_CANDIDATES = (
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
    "/usr/share/fonts/dejavu/DejaVuSans.ttf",
    "/usr/share/fonts/TTF/DejaVuSans.ttf",
    "/Library/Fonts/DejaVuSans.ttf",
)

PAGE_W, PAGE_H = 210.0, 297.0
MARGIN = 10.0
_MAX_FONT_PT = 10.0
_MM_PER_PT = 25.4 / 72

#: Danish meeting text used by tests that need "some realistic pages".
DANISH_PAGES: tuple[str, ...] = (
    " 1. Godkendelse af referat \n \n1.1. Godkendelse af referat \nSAG-2025-00001 abc \n"
    "Indstilling \nDet indstilles, at KKR Hovedstaden godkender referatet fra mødet i Århus. ",
    " 2. Siden sidst \n \n2.1. Økonomi og anlæg \nSAG-2025-00002 def \nBaggrund \n"
    "Kommunernes økonomi for 2026 blev forhandlet på plads, og der er en stærk øko-\n"
    "nomisk ramme for de næste år, så kommunerne kan fastholde serviceniveauet. ",
    " 3. Regionalpolitiske sager \n \n3.1. Sundhedsklynger i Region Hovedstaden \n"
    "Sagsfremstilling \nSundhedsklyngerne skal styrke det nære sundhedsvæsen på tværs af "
    "kommunerne i Ørestad, Ærø og Åbenrå. ",
)


@functools.cache
def unicode_font() -> Path | None:
    """A TTF with Danish letters, dashes and curly quotes, if this machine has one."""
    override = os.environ.get("KKR_TEST_FONT")
    for candidate in (override, *_FONT_CANDIDATES):
        if candidate and Path(candidate).is_file():
            return Path(candidate)
    return None


def _new_pdf(metadata: dict[str, str] | None = None):  # type: ignore[no-untyped-def]
    from fpdf import FPDF

    pdf = FPDF(format="A4", unit="mm")
    pdf.set_auto_page_break(False)
    pdf.set_margins(MARGIN, MARGIN, MARGIN)
    font = unicode_font()
    if font is not None:
        pdf.add_font("Body", "", str(font))
        pdf.set_font("Body", size=_MAX_FONT_PT)
    else:
        pdf.set_font("Helvetica", size=_MAX_FONT_PT)
    meta = metadata or {}
    pdf.set_creation_date(datetime(2025, 6, 18, 10, 0, tzinfo=UTC))
    if "title" in meta:
        pdf.set_title(meta["title"])
    if "author" in meta:
        pdf.set_author(meta["author"])
    if "subject" in meta:
        pdf.set_subject(meta["subject"])
    return pdf


def _printable(line: str) -> str:
    """Core fonts only cover latin-1: replace what they cannot draw."""
    if unicode_font() is not None:
        return line
    return line.encode("latin-1", errors="replace").decode("latin-1")


Layout = Literal["lines", "words", "tagged"]


def _draw_page(pdf, text: str, links: Sequence[str], layout: Layout = "lines") -> None:  # type: ignore[no-untyped-def]
    pdf.add_page()
    lines = text.split("\n")
    usable_h = PAGE_H - 2 * MARGIN - 6.0
    line_h = min(_MAX_FONT_PT * _MM_PER_PT * 1.25, usable_h / max(len(lines), 1))
    size = min(_MAX_FONT_PT, line_h / _MM_PER_PT / 1.2)
    pdf.set_font(size=size)
    widest = max((pdf.get_string_width(_printable(line)) for line in lines), default=0.0)
    if widest > PAGE_W - 2 * MARGIN:
        pdf.set_font(size=size * (PAGE_W - 2 * MARGIN) / widest)
    if layout in ("words", "tagged"):
        _draw_words(pdf, lines, line_h, tagged=layout == "tagged")
    else:
        y = MARGIN
        for line in lines:
            if line:
                pdf.set_xy(MARGIN, y)
                pdf.cell(w=0, h=line_h, text=_printable(line))
            y += line_h
    for i, uri in enumerate(links):
        pdf.link(x=MARGIN + (i % 20) * 9.0, y=PAGE_H - MARGIN - 5.0, w=8.0, h=4.0, link=uri)


def _draw_words(pdf, lines: list[str], line_h: float, tagged: bool = False) -> None:  # type: ignore[no-untyped-def]
    """Each word of each line in a text object of its own, its trailing space included,
    at the x where the line's text before it ends (so the extracted line is the same);
    ``tagged`` puts each line in marked content, as Word does."""
    font = pdf.current_font
    pdf._out(pdf._set_font_for_page(font, pdf.font_size_pt))
    k = pdf.k
    y = MARGIN
    if tagged:
        pdf._out("/Artifact <</Attached [/Bottom ]/Type /Pagination /Subtype /Footer >>BDC EMC")
    for mcid, line in enumerate(lines):
        if line:
            baseline = (pdf.h - y - 0.8 * line_h) * k
            x = MARGIN
            words = line.split(" ")
            objects = []
            for i, word in enumerate(words):
                piece = _printable(word + (" " if i < len(words) - 1 else ""))
                if piece:
                    encoded = font.encode_text(piece)  # "(...) Tj", glyphs kept in the subset
                    string = encoded[: encoded.rindex(")") + 1]
                    objects.append(f"BT 1 0 0 1 {x * k:.2f} {baseline:.2f} Tm [{string}] TJ ET")
                    x += pdf.get_string_width(piece)
            if tagged:
                objects = [f"/P <</MCID {mcid} >>BDC", *objects, "EMC"]
            pdf._out("\n".join(objects))
        y += line_h


def build_meeting_pdf(
    path: str | os.PathLike[str],
    pages: Sequence[str],
    links_per_page: Sequence[Sequence[str]] | None = None,
    *,
    metadata: dict[str, str] | None = None,
    user_password: str | None = None,
    owner_password: str = "owner-secret",
    layout: Layout = "lines",
) -> Path:
    """Write one PDF page per page text (lines as given) with its link annotations.

    ``layout``: ``"lines"`` or ``"words"`` (see the module docstring).

    ``user_password`` encrypts the file (RC4, pure Python in fpdf2 and pypdf):
    ``""`` gives a PDF anyone can open, anything else needs that password.
    """
    pdf = _new_pdf(metadata)
    links = links_per_page or [[] for _ in pages]
    if len(links) != len(pages):
        raise ValueError("links_per_page must have one entry per page")
    for text, page_links in zip(pages, links, strict=True):
        _draw_page(pdf, text, page_links, layout)
    if user_password is not None:
        pdf.set_encryption(owner_password=owner_password, user_password=user_password)
    out = Path(path)
    pdf.output(str(out))
    return out


def build_pdf_from_text_file(
    path: str | os.PathLike[str], text_file: str | os.PathLike[str], *, repeat: int = 1
) -> Path:
    """A PDF with the pages and annotation URIs of a sample text file (``repeat`` times over).

    The quickest way to a realistic KKR meeting PDF for ingest tests and benchmarks.
    """
    from kkr_tui.sources import read_text

    doc = read_text(text_file)
    pages = [page.text for page in doc.pages] * repeat
    links = [list(page.links) for page in doc.pages] * repeat
    return build_meeting_pdf(
        path, pages, links, metadata={"title": doc.name, "author": "KL", "subject": "KKR"}
    )


def build_textless_pdf(path: str | os.PathLike[str], pages: int = 2) -> Path:
    """A PDF whose pages carry only drawings, like a scan without OCR."""
    pdf = _new_pdf()
    for i in range(pages):
        pdf.add_page()
        pdf.set_fill_color(120, 120, 120)
        pdf.rect(x=30, y=40 + i, w=150, h=200, style="F")
    out = Path(path)
    pdf.output(str(out))
    return out


def random_bytes(size: int, seed: int = 1) -> bytes:
    """Deterministic noise, for 'random bytes named .pdf/.txt' tests."""
    return random.Random(seed).randbytes(size)


def with_page_content(
    source: str | os.PathLike[str],
    path: str | os.PathLike[str],
    page_index: int,
    content: bytes,
    *,
    compress: bool = False,
    extra_resources: dict[str, object] | None = None,
) -> Path:
    """A copy of ``source`` whose page ``page_index`` draws ``content`` instead: the way
    to a hostile page (nesting 5,000 deep, a spent token budget, a stream past pypdf's
    decode limit) in an otherwise good meeting PDF. ``compress`` stores it flate-encoded,
    so a 76 MB stream costs a 75 KB file."""
    import zlib

    from pypdf import PdfWriter
    from pypdf.generic import NameObject, StreamObject

    writer = PdfWriter(clone_from=str(source))
    stream = StreamObject()
    if compress:
        stream._data = zlib.compress(content, 9)
        stream[NameObject("/Filter")] = NameObject("/FlateDecode")
    else:
        stream.set_data(content)
    page = writer.pages[page_index]
    page[NameObject("/Contents")] = writer._add_object(stream)
    out = Path(path)
    writer.write(str(out))
    return out


#: Content streams pypdf cannot extract, each for its own reason (see :func:`with_page_content`).
NESTED_ARRAYS = b"BT /F1 9 Tf " + b"[" * 5000 + b"]" * 5000 + b" TJ ET"
#: Past pypdf's 75 MB flate output limit (``zlib_maximum_output_length``).
OVER_DECODE_LIMIT = b"BT (x) Tj ET " + b" " * 76_000_000


def write_raw_pdf(path: str | os.PathLike[str], objects: Sequence[bytes]) -> Path:
    """A PDF of ``objects`` (object 1 must be the catalog) with a correct xref table, for
    hostile structures fpdf2 cannot draw."""
    out = bytearray(b"%PDF-1.7\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    target = Path(path)
    target.write_bytes(bytes(out))
    return target


def _stream(data: bytes, compress: bool = True) -> bytes:
    import zlib

    if compress:
        data = zlib.compress(data, 9)
        return (
            b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(data) + data + (b"\nendstream")
        )
    return b"<< /Length %d >>\nstream\n" % len(data) + data + b"\nendstream"


def build_shared_tounicode_pdf(
    path: str | os.PathLike[str], fonts: int = 203, codes: int = 0x10000
) -> Path:
    """One page per font, every font sharing one ToUnicode map of ``codes`` entries: a
    small file (the map is one compressed bfrange list) whose fonts are each built from
    the whole map. pypdf builds a page's fonts and drops them; a cache that keeps every
    font for the whole document keeps ``fonts`` copies of the map."""
    ranges = b"\n".join(
        b"<%04X> <%04X> <%04X>" % (start, min(start + 255, codes - 1), (start + 0x4E00) & 0xFFFF)
        for start in range(0, codes, 256)
    )
    cmap = (
        b"/CIDInit /ProcSet findresource begin 12 dict begin begincmap\n"
        b"1 begincodespacerange <0000> <FFFF> endcodespacerange\n"
        b"%d beginbfrange\n" % (codes // 256) + ranges + b"\nendbfrange\n"
        b"endcmap CMapName currentdict /CMap defineresource pop end end"
    )
    page_objects = 3 + 1  # catalog, pages, cmap, content
    kids = b" ".join(b"%d 0 R" % (page_objects + 1 + 2 * i) for i in range(fonts))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, fonts),
        _stream(cmap),
        _stream(b"BT /F1 12 Tf 72 720 Td <00410042> Tj ET", compress=False),
    ]
    for i in range(fonts):
        font_ref = page_objects + 2 + 2 * i
        objects.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R"
            b" /Resources << /Font << /F1 %d 0 R >> >> >>" % font_ref
        )
        objects.append(
            b"<< /Type /Font /Subtype /Type0 /BaseFont /F%d /Encoding /Identity-H"
            b" /ToUnicode 3 0 R /DescendantFonts [] >>" % i
        )
    return write_raw_pdf(path, objects)


#: A page pypdf reads for seconds (25 arrays of 90,000 numbers spend its token budget, so
#: the whole stream is parsed byte by byte and then refused): 10 s on the reference machine.
SLOW_PAGE = b"BT /F1 9 Tf " + b" ".join([b"[" + b"0 " * 90_000 + b"]"] * 25) + b" TJ ET"
#: A page whose content stream decodes to 70 MB, under pypdf's 75 MB limit: a memory hog.
MEMORY_HOG = b"BT (x) Tj ET " + b" " * 70_000_000


def with_pages_content(
    source: str | os.PathLike[str],
    path: str | os.PathLike[str],
    content: bytes,
    pages: Sequence[int],
) -> Path:
    """A copy of ``source`` whose pages ``pages`` (0-based) all draw one shared, compressed
    ``content`` stream: several slow pages for the price of one stream."""
    import zlib

    from pypdf import PdfWriter
    from pypdf.generic import NameObject, StreamObject

    writer = PdfWriter(clone_from=str(source))
    stream = StreamObject()
    stream._data = zlib.compress(content, 9)
    stream[NameObject("/Filter")] = NameObject("/FlateDecode")
    ref = writer._add_object(stream)
    for index in pages:
        writer.pages[index][NameObject("/Contents")] = ref
    out = Path(path)
    writer.write(str(out))
    return out
