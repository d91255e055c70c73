"""A part's blocks stored as its plain text plus a small layout, not as a second copy.

``parts.text`` is the part as plain text (:attr:`kkr_tui.model.Part.text`: blocks
joined by a blank line, a list entry led by its marker and a space). The blocks the
reader renders (kinds, markers, paragraph bounds) used to be stored beside it as JSON
holding every block's text again: half of the database. ``parts.layout`` keeps only
what the text lacks: per block its kind, marker and length (in characters), so the
blocks are cut back out of the text exactly, whatever the text holds (blank lines
inside a block, empty blocks, markers of any shape).

Layout: a JSON list, one entry a block; a paragraph without marker is just its length
(the common case), any other block ``[kind, marker, length]``. ``None`` for a part
without blocks.
"""

from __future__ import annotations

import json

from kkr_tui.model import Block, BlockKind

_SEPARATOR = "\n\n"

#: ``json.dumps`` without spaces and without escaping non-ASCII markers.
_dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode


class LayoutError(ValueError):
    """A stored layout does not fit its text (another program changed one of them)."""


def encode(blocks: tuple[Block, ...] | list[Block]) -> str | None:
    """The layout of ``blocks`` (their text is in ``parts.text``)."""
    if not blocks:
        return None
    entries: list[object] = [
        len(b.text) if b.kind == "paragraph" and not b.marker else [b.kind, b.marker, len(b.text)]
        for b in blocks
    ]
    return _dumps(entries)


def decode(text: str, layout: str | None) -> tuple[Block, ...]:
    """The blocks cut out of a part's ``text`` by its ``layout``.

    Raises :class:`LayoutError` when they do not fit (a text edited by another
    program), rather than showing blocks cut at the wrong places."""
    if not layout:
        return ()
    entries = json.loads(layout)
    blocks: list[Block] = []
    position = 0
    for index, entry in enumerate(entries):
        if index:
            if text[position : position + 2] != _SEPARATOR:
                raise LayoutError("a part's text does not fit its layout")
            position += 2
        if isinstance(entry, int):
            kind: BlockKind = "paragraph"
            marker, length = "", entry
        else:
            kind, marker, length = entry[0], entry[1], int(entry[2])
        if marker:
            if text[position : position + len(marker) + 1] != marker + " ":
                raise LayoutError("a part's text does not fit its layout")
            position += len(marker) + 1
        if length < 0 or position + length > len(text):
            raise LayoutError("a part's text does not fit its layout")
        blocks.append(Block(kind, text[position : position + length], marker))
        position += length
    if position != len(text):
        raise LayoutError("a part's text does not fit its layout")
    return tuple(blocks)
