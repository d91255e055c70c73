"""Make document text safe and uniform before anything else sees it.

Text from PDFs is untrusted: it can carry terminal escape sequences, C1 controls,
bidi overrides and decomposed letters. Everything that enters the model passes
through :func:`clean_text`, so the store and the app only ever hold NFC text with
no control characters other than newline and tab.
"""

from __future__ import annotations

import re
import unicodedata

# C0 controls except \t and \n, DEL, C1 controls; bidi embeddings/overrides/isolates,
# the Arabic letter mark (U+061C, a bidi control too) and other invisible format
# characters that can reorder or hide what a reader sees; the tag characters
# (U+E0000-U+E007F), invisible text that can smuggle words past a reader.
_CONTROL_RE = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2069"
    "\ufeff\ufff9-\ufffb\U000e0000-\U000e007f]"
)
# An unterminated OSC ("\x1b]0;title" with no BEL) ends at the line end, so a stray
# escape can never swallow the following lines of a document.
_ESCAPE_SEQ_RE = re.compile(
    r"\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b\n]*(?:\x07|\x1b\\)?|[@-Z\\-_])"
)
_SOFT_HYPHEN = "\u00ad"
_SPACES_RE = re.compile("[\u00a0\u2000-\u200a\u202f\u205f\u3000]")


def clean_text(text: str) -> str:
    """NFC-normalise ``text``, drop escape sequences and control characters.

    Line structure is kept: CRLF and lone CR become LF, tabs stay. Soft hyphens are
    removed (they are invisible hyphenation hints) and exotic spaces become plain spaces,
    because the parser's line rules count spaces.
    """
    if not text:
        return ""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _ESCAPE_SEQ_RE.sub("", text)
    text = _CONTROL_RE.sub("", text)
    text = text.replace(_SOFT_HYPHEN, "")
    text = _SPACES_RE.sub(" ", text)
    return unicodedata.normalize("NFC", text)


def clean_line(text: str) -> str:
    """Like :func:`clean_text` for a single-line value: newlines and tabs become spaces."""
    return " ".join(clean_text(text).split())
