"""How much of a document's text the reader takes in: bounded, whatever the file held.

Text from documents is data of any size. A 1.4 KB link made every keypress in the
command palette take 15 s (its fuzzy matcher is quadratic in the candidate), a 5 MB
link grew the app to 6 GB, and opening an item with one froze the reader for two
minutes while the pane wrapped it. So links are cut where an item enters the app
(:func:`bounded_item`, called on every item the gateway hands over), shown shortened
(:func:`link_label`), and the palette matches only what is shown; titles, paragraphs
and attachment names are cut there too, far above any real one. A link is never
longer than :data:`MAX_LINK_CHARS` in practice (browsers and servers stop near 2,000
to 8,000 characters), so nothing real is lost.
"""

from __future__ import annotations

import dataclasses

from kkr_tui.records import ItemDetail

#: The longest link the app keeps (opening a longer one could not work anyway).
MAX_LINK_CHARS = 2048
#: The longest title, paragraph or attachment name the app keeps. A real paragraph of
#: a KL document is a few thousand characters; a longer one is a broken or hostile
#: file, and the pane would spend minutes wrapping it.
MAX_TEXT_CHARS = 20_000
#: What replaces the rest of a text cut at :data:`MAX_TEXT_CHARS`.
CUT_MARK = " […]"
#: How much of a link the pane and the palette show (and the palette matches on).
LINK_SHOWN_CHARS = 100


def bounded_item(item: ItemDetail) -> ItemDetail:
    """The item with every link cut to :data:`MAX_LINK_CHARS` characters, and its
    title, paragraphs and attachment names to :data:`MAX_TEXT_CHARS`."""
    texts = [item.title, *item.attachments]
    texts += [block.text for part in item.parts for block in part.blocks]
    if all(len(url) <= MAX_LINK_CHARS for url in item.urls) and all(
        len(text) <= MAX_TEXT_CHARS for text in texts
    ):
        return item
    return dataclasses.replace(
        item,
        ref=dataclasses.replace(item.ref, title=_cut(item.title)),
        attachments=tuple(_cut(name) for name in item.attachments),
        urls=tuple(url[:MAX_LINK_CHARS] for url in item.urls),
        parts=tuple(
            dataclasses.replace(
                part,
                blocks=tuple(
                    dataclasses.replace(block, text=_cut(block.text)) for block in part.blocks
                ),
            )
            for part in item.parts
        ),
    )


def _cut(text: str) -> str:
    if len(text) <= MAX_TEXT_CHARS:
        return text
    return text[: MAX_TEXT_CHARS - len(CUT_MARK)] + CUT_MARK


def link_label(url: str) -> str:
    """A link as shown: at most :data:`LINK_SHOWN_CHARS` characters, ``…`` when cut."""
    if len(url) <= LINK_SHOWN_CHARS:
        return url
    return url[: LINK_SHOWN_CHARS - 1] + "…"
