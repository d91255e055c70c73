"""How much of a document's text the reader takes in: bounded, whatever the file held.

Text from documents is data of any size. A 1.4 KB link made every keypress in the
command palette take 15 s (its fuzzy matcher is quadratic in the candidate), a 5 MB
link grew the app to 6 GB, and opening an item with one froze the reader for two
minutes while the pane wrapped it. So links are cut where an item enters the app
(:func:`bounded_item`, called on every item the gateway hands over), shown shortened
(:func:`link_label`), and the palette matches only what is shown. A link is never
longer than :data:`MAX_LINK_CHARS` in practice (browsers and servers stop near 2,000
to 8,000 characters), so nothing real is lost.
"""

from __future__ import annotations

import dataclasses

from kkr_tui.records import ItemDetail

#: The longest link the app keeps (opening a longer one could not work anyway).
MAX_LINK_CHARS = 2048
#: How much of a link the pane and the palette show (and the palette matches on).
LINK_SHOWN_CHARS = 100


def bounded_item(item: ItemDetail) -> ItemDetail:
    """The item with every link cut to :data:`MAX_LINK_CHARS` characters."""
    if all(len(url) <= MAX_LINK_CHARS for url in item.urls):
        return item
    urls = tuple(url[:MAX_LINK_CHARS] for url in item.urls)
    return dataclasses.replace(item, urls=urls)


def link_label(url: str) -> str:
    """A link as shown: at most :data:`LINK_SHOWN_CHARS` characters, ``…`` when cut."""
    if len(url) <= LINK_SHOWN_CHARS:
        return url
    return url[: LINK_SHOWN_CHARS - 1] + "…"
