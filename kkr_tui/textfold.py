"""Danish-aware text folding shared by the search index and the search box.

Danish users type ``økonomi``, ``oekonomi`` or (on a foreign keyboard) ``okonomi``
and expect the same hits; old and new spellings of place names differ the same way
(``Aarhus``/``Århus``). SQLite's unicode61 tokenizer only strips diacritics (``å`` ->
``a``) and leaves ``æ``/``ø`` alone, so the store indexes a *folded* copy of every
title and text, and the query goes through the very same :func:`fold`. Folding is
lossy on purpose; the original text is kept for display.

The fold: casefold; ``æ ø å`` -> ``ae oe aa``; strip diacritics (NFKD, drop combining
marks); then the digraphs collapse, ``aa`` -> ``a``, ``ae`` -> ``a``, ``oe`` -> ``o``
(plain ``str.replace`` passes: folding runs over every text at ingest, so it must be
cheap; the same function on both sides is all that matters for matching). After that,
``pædagog``/``paedagog``/``padagog`` all read ``padagog`` and ``Århus``/``Aarhus``/``Arhus``
all read ``arhus``.
"""

from __future__ import annotations

import re
import unicodedata

_WORD_RE = re.compile(r"\w+")
_COMBINING_RE = re.compile("[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]+")


def fold(text: str) -> str:
    """Fold ``text`` for matching: lower case, no diacritics, Danish letters and digraphs unified.

    Word boundaries survive (only letters inside words change), so tokens of the folded
    text line up with tokens of the original in the common case.
    """
    if not text:
        return ""
    text = text.casefold()
    if not text.isascii():
        text = text.replace("æ", "ae").replace("ø", "oe").replace("å", "aa")
        if not text.isascii():
            text = _COMBINING_RE.sub("", unicodedata.normalize("NFKD", text))
    return text.replace("aa", "a").replace("ae", "a").replace("oe", "o")


def words(text: str) -> list[str]:
    """The folded words of ``text`` in order, as the index tokenizer would see them."""
    return _WORD_RE.findall(fold(text))


# Characters a folded letter may have come from, for highlighting matches in the
# original (unfolded) text without folding it word by word.
_SOURCES = {
    "a": "(?:aa|ae|å|æ|[aáàâäãā])",
    "o": "(?:oe|ø|[oóòôöõō])",
    "e": "[eéèêëē]",
    "i": "[iíìîïī]",
    "u": "[uúùûüū]",
    "y": "[yýÿ]",
    "c": "[cç]",
    "n": "[nñ]",
}


def original_pattern(folded: str) -> str:
    """A regex (use with ``re.IGNORECASE``) matching original spellings that fold to ``folded``.

    ``okonomi`` -> matches ``økonomi``, ``oekonomi`` and ``Okonomi``. Used to put highlight
    spans on the text the user actually sees.
    """
    return "".join(_SOURCES.get(c, re.escape(c)) for c in folded)
