"""Which items a page that could not be read may have taken text from.

A failed page is kept empty so the rest of a document is stored, but the text it held
belonged to some item: the one running when the page began, or one whose heading was
on it (and is now folded into the item before). So an item is touched by every failed
page from its first page up to the first page of the next item, the last item by every
page to the end of the document; a repair of the whole file touches every item. Pages
before the first item hold the cover; their warnings stay on the meeting alone.
"""

from __future__ import annotations

from dataclasses import replace

from kkr_tui.model import Item, PageWarning, Section


def touching(
    first_page: int, next_first_page: int, warnings: tuple[PageWarning, ...]
) -> tuple[PageWarning, ...]:
    """The warnings whose page lies in ``first_page..next_first_page`` (or the whole file)."""
    return tuple(w for w in warnings if w.page == 0 or first_page <= w.page <= next_first_page)


def attach_page_warnings(
    sections: tuple[Section, ...], warnings: tuple[PageWarning, ...], page_count: int
) -> tuple[Section, ...]:
    """``sections`` with each item carrying the page warnings that may concern it."""
    if not warnings:
        return sections
    items = [item for section in sections for item in section.items]
    starts = [item.first_page for item in items[1:]] + [max(page_count, 1)]
    marked: dict[int, Item] = {}
    for item, next_start in zip(items, starts, strict=True):
        found = touching(item.first_page, max(next_start, item.last_page), warnings)
        if found:
            marked[id(item)] = replace(item, page_warnings=found)
    if not marked:
        return sections
    return tuple(
        replace(section, items=tuple(marked.get(id(item), item) for item in section.items))
        for section in sections
    )
