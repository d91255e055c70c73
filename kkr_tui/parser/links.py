"""URLs: inline ones rebuilt from wrapped text, annotation ones given to the right item.

An annotation URI belongs to the page it was collected from (STRUCTURE.md §13). If
the page shows the same URL in some item's text, it is that item's; if only one item
has text on the page, it is that item's; otherwise the link text decides: cue words
("læses her", "(link)", "hjemmeside") and words of the URL's slug found in the item's
text on that page.
"""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import unquote

INLINE_URL_RE = re.compile(r"https?://[^\s<>\"”“’]+", re.IGNORECASE)
_URL_PARTS_RE = re.compile(r"^(https?)://([^/?#]+)(.*)$", re.IGNORECASE)
_WEB_SCHEME_RE = re.compile(r"^https?://", re.IGNORECASE)
_SLUG_SEPARATORS_RE = re.compile(r"[/\-_.?=&#%+,\s]+")
_TRAILING = ".,;:)]”\"'’>"
_CUES = (
    "læses her",
    "(link)",
    "hjemmeside",
    "link",
    "klik her",
    "se her",
    "findes her",
    "læs mere",
    "kan ses her",
    "her:",
)
_SLUG_STOP = frozenset(
    [
        "http",
        "https",
        "www",
        "html",
        "htm",
        "aspx",
        "php",
        "pdf",
        "index",
        "media",
        "files",
        "sites",
        "default",
        "uploads",
        "content",
        "politik",
    ]
)


def clean_url(url: str) -> str:
    """Strip sentence punctuation and brackets that cling to a URL in running text."""
    url = url.strip().lstrip('(<"“')
    while url and url[-1] in _TRAILING:
        if url[-1] == ")" and url.count("(") >= url.count(")"):
            break
        url = url[:-1]
    return url


def url_key(url: str) -> str:
    """Comparison form: scheme and host lower-cased, trailing slash dropped."""
    url = clean_url(url)
    match = _URL_PARTS_RE.match(url)
    if not match:
        return url
    rest = match.group(3).rstrip("/")
    return match.group(1).lower() + "://" + match.group(2).lower() + unquote(rest)


def inline_urls(text: str) -> list[str]:
    """http(s) URLs written in ``text``, cleaned."""
    if "://" not in text:
        return []
    return [u for u in (clean_url(m.group(0)) for m in INLINE_URL_RE.finditer(text)) if "://" in u]


def is_web_url(url: str) -> bool:
    return bool(_WEB_SCHEME_RE.match(url))


def fold(text: str) -> str:
    """Lower-case, Danish letters spelled out, accents dropped: for slug matching."""
    text = text.lower().replace("æ", "ae").replace("ø", "oe").replace("å", "aa")
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()


def slug_words(url: str) -> list[str]:
    """The words of a URL's host and path that can be looked for in text."""
    body = _WEB_SCHEME_RE.sub("", unquote(url))
    words = _SLUG_SEPARATORS_RE.split(fold(body))
    return [w for w in words if len(w) >= 4 and not w.isdigit() and w not in _SLUG_STOP]


def link_affinity(url: str, text: str) -> float:
    """How strongly an item's text on a page suggests it carries this hidden link."""
    folded = fold(text)
    score = float(sum(1 for w in set(slug_words(url)) if w in folded))
    lowered = text.lower()
    if any(cue in lowered for cue in _CUES):
        score += 2.0
    return score


class UrlResolver:
    """Decides whether a line-end hyphen inside a URL is soft, from the annotations."""

    def __init__(self, annotations: list[str]) -> None:
        self._keys = [url_key(a) for a in annotations if is_web_url(a)]

    def __call__(self, stem: str, nxt: str) -> bool:
        nxt = nxt.rstrip("-")
        soft = url_key(stem + nxt)
        real = url_key(stem + "-" + nxt)
        if any(real in key for key in self._keys):
            return False
        return any(soft in key for key in self._keys)
