"""A council page's HTML -> its PDF links, grouped by the meeting block they sit in.

KL's page (``shared/KL_PAGES.md``) lists meetings one block after another: a sentence
("KKR Sjælland holder møde den 17. april 2024 kl. 9.30"), topics, then the links to
the agenda, minutes and bilag. Nobody here can see the live page and it changes, so
the rules are few and loose, and read with a real HTML parser (selectolax: a fast
C parser with CSS selectors and document-order traversal) rather than patterns over
markup:

- walking the page in document order, a text block that says a meeting is held on a
  date opens a meeting block; any other heading closes it;
- a link is a PDF when its path ends in ``.pdf`` (after resolving it against the page,
  dropping the fragment, keeping any query string);
- links inside ``footer``/``nav``/``header``/``aside`` (or an element whose id or class
  says footer) belong to no meeting; neither do links before the first block;
- links to another host are never followed: they are returned only as a count;
- a title comes from the link text without the "PDF" label, else the ``title``
  attribute, the text around a lone link, or the file name.

The page prose has errors, so a block only says which files belong together; the
parsed document decides council, date and type.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal
from urllib.parse import unquote, urljoin, urlsplit, urlunsplit

if TYPE_CHECKING:
    from selectolax.lexbor import LexborNode

Kind = Literal["document", "bilag", "other"]

_MONTHS = {
    "januar": 1,
    "februar": 2,
    "marts": 3,
    "april": 4,
    "maj": 5,
    "juni": 6,
    "juli": 7,
    "august": 8,
    "september": 9,
    "oktober": 10,
    "november": 11,
    "december": 12,
}
# Over the text of one element (never over markup): "møde den 17. april 2024".
_MEETING = re.compile(
    r"\bmøde(?:t)?\s+(?:den|d\.)\s+(\d{1,2})\.\s*([a-zæøå]+)\s+(\d{4})", re.IGNORECASE
)
_MEETING_NUMERIC = re.compile(
    r"\bmøde(?:t)?\s+(?:den|d\.)\s+(\d{1,2})[.-](\d{1,2})[.-](\d{4})", re.IGNORECASE
)
_YEAR_HEADING = re.compile(r"\b(20\d{2}|19\d{2})\b")
_TEXT_BLOCKS = frozenset({"p", "div", "li", "span", "h1", "h2", "h3", "h4", "h5", "h6", "strong"})
_HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
_CONTAINERS = frozenset({"p", "div", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "table"})
_TITLE_HOLDERS = frozenset({"li", "p", "td", "dd", "span"})
_OUTSIDE = frozenset({"footer", "nav", "header", "aside"})
_PDF_LABEL = re.compile(r"^\s*pdf\b[\s/|:·–-]*", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Block:
    """One meeting as the page presents it: a key unique on the page, and its sentence."""

    key: str
    label: str
    year: int | None


@dataclass(frozen=True, slots=True)
class PdfLink:
    """A PDF linked from a council page; ``block`` is None outside any meeting block."""

    url: str
    title: str
    block: Block | None
    kind: Kind


@dataclass(frozen=True, slots=True)
class PageLinks:
    """What one page links to: its PDFs in page order, and how many links were ignored
    because they point to another host."""

    links: tuple[PdfLink, ...]
    other_hosts: int


def fold(text: str) -> str:
    """Lower case, no accents, æ/ø/å spelt out: for matching words in titles."""
    text = unicodedata.normalize("NFC", text).lower()
    text = text.replace("æ", "ae").replace("ø", "oe").replace("å", "aa")
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def _squash(text: str) -> str:
    return " ".join(text.split())


def meeting_block(text: str, year: int | None) -> Block | None:
    """The meeting a text block announces ("… holder møde den 17. april 2024 …"), if any."""
    text = _squash(text)
    found = _MEETING.search(text)
    if found is not None:
        day, month_name, year_text = found.groups()
        month = _MONTHS.get(month_name.lower())
        if month is not None:
            iso = f"{int(year_text):04d}-{month:02d}-{int(day):02d}"
            return Block(iso, text[:200], int(year_text))
    found = _MEETING_NUMERIC.search(text)
    if found is not None:
        day, month_text, year_text = found.groups()
        iso = f"{int(year_text):04d}-{int(month_text):02d}-{int(day):02d}"
        return Block(iso, text[:200], int(year_text))
    return None


def kind_of(title: str, url: str) -> Kind:
    """``document`` for what looks like an agenda or minutes, else ``bilag``.

    Only a guess from the title and file name: the parser decides in the end, and a
    "document" it rejects is kept as a bilag of its meeting.
    """
    words = fold(title + " " + unquote(urlsplit(url).path.rsplit("/", 1)[-1]))
    if words.lstrip().startswith("bilag"):
        return "bilag"
    if "dagsorden" in words or "referat" in words:
        return "document"
    return "bilag"


def title_from_url(url: str) -> str:
    """A readable title from a URL's file name: ``dagsorden-kkr-17-april.pdf`` -> words."""
    name = unquote(urlsplit(url).path.rsplit("/", 1)[-1])
    name = re.sub(r"\.pdf$", "", name, flags=re.IGNORECASE)
    return _squash(name.replace("-", " ").replace("_", " "))


def _clean_title(text: str) -> str:
    text = _squash(text)
    text = _PDF_LABEL.sub("", text)
    text = re.sub(r"\.pdf$", "", text, flags=re.IGNORECASE).strip(" /|-–·:")
    return text if fold(text) not in ("", "pdf", "hent", "download", "her", "klik her") else ""


def pdf_url(href: str, page_url: str) -> str | None:
    """The absolute URL of a PDF link (fragment dropped, query kept), or None for a non-PDF."""
    href = href.strip()
    if not href or href.startswith(("mailto:", "javascript:", "tel:", "#")):
        return None
    absolute = urljoin(page_url, href)
    parts = urlsplit(absolute)
    if parts.scheme not in ("http", "https") or not parts.path.lower().endswith(".pdf"):
        return None
    return urlunsplit((parts.scheme, parts.netloc, parts.path, parts.query, ""))


def same_host(url: str, page_url: str) -> bool:
    """True when ``url`` is on the page's own host (the only host sync ever asks)."""
    return (urlsplit(url).hostname or "").lower() == (urlsplit(page_url).hostname or "").lower()


def parse_page(html: str, page_url: str) -> PageLinks:
    """Every PDF link of a council page, in page order, each once (its first place wins)."""
    from selectolax.lexbor import LexborHTMLParser

    tree = LexborHTMLParser(html)
    root = tree.body or tree.root
    if root is None:
        return PageLinks((), 0)
    links: list[PdfLink] = []
    seen: set[str] = set()
    other_hosts = 0
    block: Block | None = None
    year: int | None = None
    blocks_on_page: dict[str, int] = {}
    for node in root.traverse():
        tag = node.tag or ""
        if tag in _TEXT_BLOCKS and not _has_child_container(node):
            text = node.text(deep=True)
            found = meeting_block(text, year)
            if found is not None and not _outside(node):
                if block is None or found.key != block.key or tag in _HEADINGS:
                    block = _unique(found, blocks_on_page)
                continue
            if tag in _HEADINGS:
                block = None
                heading_year = _YEAR_HEADING.search(text)
                year = int(heading_year.group(1)) if heading_year else year
            continue
        if tag != "a":
            continue
        url = pdf_url(node.attributes.get("href") or "", page_url)
        if url is None:
            continue
        if not same_host(url, page_url):
            other_hosts += 1
            continue
        if url in seen:
            continue
        seen.add(url)
        title = _title(node) or title_from_url(url)
        where = None if _outside(node) else block
        kind: Kind = kind_of(title, url) if where is not None else "other"
        links.append(PdfLink(url, title, where, kind))
    return PageLinks(tuple(links), other_hosts)


def _unique(block: Block, seen: dict[str, int]) -> Block:
    """Two blocks announcing the same date (a page error) stay two blocks."""
    count = seen.get(block.key, 0)
    seen[block.key] = count + 1
    if count == 0:
        return block
    return Block(f"{block.key}#{count + 1}", block.label, block.year)


def _has_child_container(node: LexborNode) -> bool:
    child = node.child
    while child is not None:
        if (child.tag or "") in _CONTAINERS:
            return True
        child = child.next
    return False


def _outside(node: LexborNode) -> bool:
    """Inside a footer, navigation, header or aside: not meeting material."""
    current = node.parent
    while current is not None:
        tag = current.tag or ""
        if tag in _OUTSIDE:
            return True
        attrs = current.attributes if tag not in ("-undef", "html") else {}
        marks = f"{attrs.get('id') or ''} {attrs.get('class') or ''}".lower()
        if "footer" in marks or "cookie" in marks:
            return True
        current = current.parent
    return False


def _title(link: LexborNode) -> str:
    text = _clean_title(link.text(deep=True))
    if text:
        return text
    attrs = link.attributes
    for name in ("title", "aria-label", "download"):
        text = _clean_title(attrs.get(name) or "")
        if text:
            return text
    # "<li>Dagsorden 17. april <a>PDF</a></li>": the words beside a lone link.
    parent = link.parent
    if parent is not None and parent.tag in _TITLE_HOLDERS and len(parent.css("a")) == 1:
        text = parent.text(deep=True)
        if len(text) < 300 and meeting_block(text, None) is None:
            return _clean_title(text.replace(link.text(deep=True), " "))
    return ""
