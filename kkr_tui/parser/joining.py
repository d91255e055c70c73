"""Rebuild running text from wrapped lines: soft hyphens, real hyphens, URLs.

Word hyphenates heavily and pypdf keeps the hyphen, so every line ending in ``-``
is a decision (STRUCTURE.md §9): a soft hyphen disappears (``med-``/``lemmerne``), a
real one stays (``SOSU-``/``uddannelserne``, ``Helsingør-``/``Helsingborg``), and a
suspended compound keeps hyphen and space (``Uddannelses- og``). Inside a URL the
same hyphen is ambiguous, so the caller passes the page's link annotations to decide.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence

#: Danish acronyms written in lower case; a hyphen after them is always real.
LOWERCASE_ACRONYMS = frozenset({"it", "ikt", "pc", "tv", "sms", "cpr", "cvr", "gps", "app"})
_CONJUNCTIONS = ("og", "eller", "samt")
MARKER_RE = re.compile(r"(?:^|(?<=\s))\./(?:\.+|…+)\s*")
_STRAY_SUSPENDED_RE = re.compile(r"(\w) - (og|eller)\b")
_URL_TOKEN_RE = re.compile(r"(?:https?://|www\.)\S*$", re.IGNORECASE)
_WORD_PART_SPLIT_RE = re.compile(r"[-/]")
_SPACE_RUN_RE = re.compile(r"[ ]{2,}")

UrlHyphenResolver = Callable[[str, str], bool]
"""Called as ``resolver(url_so_far_without_hyphen, next_line_start)``; True means the
hyphen was a soft one and must go."""


def _first_word(text: str) -> str:
    """The run of non-space characters that opens ``text`` (``""`` if a space opens it).

    ``str.split`` and the regex class ``\\s`` share one definition of a space, and
    splitting once is cheaper than a regex match."""
    if not text or text[0].isspace():
        return ""
    return text.split(None, 1)[0]


def _last_word(text: str) -> str:
    """The last whitespace-separated word; splits once from the right, because
    ``text`` is the whole paragraph joined so far."""
    parts = text.rsplit(None, 1)
    return parts[-1] if parts else ""


def _hyphen_is_real(word: str, nxt: str) -> bool:
    """Decide a line-end hyphen outside URLs. ``word`` includes the hyphen."""
    if not nxt:
        return True
    head = nxt[0]
    if head.isupper() or head.isdigit():
        return True
    if not head.isalpha():
        return True
    stem = word[:-1]
    # Keep only the part after an earlier hyphen or slash: "dansk-uddan-" -> "uddan".
    core = _WORD_PART_SPLIT_RE.split(stem)[-1] if stem else ""
    core = core.lstrip("(”“\"'’")
    if not core:
        return True
    if core.isdigit() or len(core) == 1:
        return True
    if core.isupper() and core.isalpha():
        return True
    return core.lower() in LOWERCASE_ACRONYMS


def join_lines(lines: Iterable[str], url_resolver: UrlHyphenResolver | None = None) -> str:
    """Join raw wrapped lines (trailing spaces kept) into one line of running text."""
    raws = list(lines)
    return join_stripped(raws, [raw.strip() for raw in raws], url_resolver)


def join_stripped(
    raws: Sequence[str], stripped: Sequence[str], url_resolver: UrlHyphenResolver | None = None
) -> str:
    """:func:`join_lines` for lines whose stripped text the caller already holds
    (``stripped[i] == raws[i].strip()``), so no line is stripped twice."""
    out = ""
    pending_hyphen = False  # out ends with a line-end hyphen whose fate depends on the next line
    for raw, text in zip(raws, stripped, strict=True):
        if not text:
            continue
        if not out:
            out = text
        elif pending_hyphen:
            out = _join_after_hyphen(out, text, url_resolver)
        else:
            out = out + " " + text
        # Only a hyphen with nothing after it wraps a word; "Uddannelses- " is a
        # suspended compound and joins like any other line.
        pending_hyphen = raw.endswith("-")
    return _tidy(out)


def join_unwrapped(stripped: Sequence[str]) -> str:
    """:func:`join_stripped` for lines of which none but the last ends in ``-``: with
    no hyphen to decide, the lines are joined in one step."""
    return _tidy(" ".join([text for text in stripped if text]))


def _tidy(out: str) -> str:
    if " - " in out:
        out = _STRAY_SUSPENDED_RE.sub(r"\1- \2", out)
    return collapse_spaces(out)


def _join_after_hyphen(out: str, text: str, url_resolver: UrlHyphenResolver | None) -> str:
    word = _last_word(out)
    nxt_word = _first_word(text)
    url = _URL_TOKEN_RE.search(word)
    if url:
        stem = url.group(0)[:-1]
        soft = url_resolver(stem, nxt_word) if url_resolver else False
        return out[:-1] + text if soft else out + text
    if word == "-":
        # "mobilitets -" + "og": a stray space before the hyphen of a suspended compound.
        if nxt_word.lower() in _CONJUNCTIONS:
            return out[:-2] + "- " + text
        return out[:-2] + text
    if nxt_word.lower().rstrip(",.") in _CONJUNCTIONS:
        return out + " " + text
    if _hyphen_is_real(word, text):
        return out + text
    return out[:-1] + text


def collapse_spaces(text: str) -> str:
    """Runs of spaces become one space.

    Most text has no double space, and the substring test is far cheaper than the
    regex search that would find none."""
    return _SPACE_RUN_RE.sub(" ", text) if "  " in text else text


def leading_marker(text: str) -> re.Match[str] | None:
    """The ``./.`` enclosure marker that opens ``text``, if any (a cheap prefix test first)."""
    return MARKER_RE.match(text) if text.startswith("./") else None


def remove_markers(text: str) -> str:
    """The text with every ``./.`` enclosure marker (and the spaces after it) removed.

    Every marker begins with ``./``, which most text never holds: checking for it first
    skips a regex whose look-behind would otherwise be tried at every character."""
    return MARKER_RE.sub("", text) if "./" in text else text


def strip_markers(text: str) -> str:
    """Remove the ``./.`` enclosure marker and its variants wherever it stands."""
    return collapse_spaces(remove_markers(text)).strip()
