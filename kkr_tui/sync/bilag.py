"""Reading a downloaded bilag into the store: text page by page, tied to its meeting.

A bilag can run to hundreds of pages, so it is read one page at a time
(:class:`kkr_tui.sources.PdfSource`) and written in batches of :data:`BATCH` pages,
each batch its own short transaction: memory stays bounded by one batch, another
writer never waits long, and what was read is searchable at once. Cancelling stops
at the next page (the bilag stays ``reading`` and is read again next run). A bilag
with no text layer is kept as ``unreadable`` with the reason: it can still be opened.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from kkr_tui.i18n import _
from kkr_tui.sync.bilag_match import bilag_names, match_item
from kkr_tui.sync.client import SyncCancelled

if TYPE_CHECKING:
    from kkr_tui.store import Store

BATCH = 25


@dataclass(frozen=True, slots=True)
class BilagSource:
    """A downloaded bilag and where it was published: council, meeting date (from the
    meeting's parsed documents when there are any, else the page's block)."""

    url: str
    title: str
    path: str
    sha256: str
    council: str
    meeting_date: str | None


def meeting_items(
    store: Store, council: str, meeting_date: str | None
) -> list[tuple[str, tuple[str, ...]]]:
    """(number, Bilag list) of every item of the meeting's stored documents."""
    found: list[tuple[str, tuple[str, ...]]] = []
    if meeting_date is None:
        return found
    year = int(meeting_date[:4]) if meeting_date[:4].isdigit() else 0
    for row in store.meetings(council, year):
        if row.meeting_date != meeting_date:
            continue
        detail = store.meeting(row.id)
        for summary in detail.items:
            item = store.item(summary.id)
            if item.attachments:
                found.append((item.number, item.attachments))
    return found


def read_bilag(
    store: Store,
    source: BilagSource,
    at: str,
    *,
    cancel: threading.Event,
    on_page: Callable[[int, int], None] | None = None,
) -> tuple[int, str | None]:
    """Store ``source``'s pages; returns (bilag id, reason it is unreadable or None).

    Raises :class:`SyncCancelled` when ``cancel`` is set mid-file.
    """
    from kkr_tui.sources import PdfSource, UnreadableDocumentError

    item = match_item(
        bilag_names(source.title, source.url),
        meeting_items(store, source.council, source.meeting_date),
    )
    try:
        pdf = PdfSource(source.path)
    except UnreadableDocumentError as error:
        bilag_id = _begin(store, source, item, 0, at)
        store.finish_bilag(bilag_id, "unreadable", error.reason)
        return bilag_id, error.reason
    with pdf:
        bilag_id = _begin(store, source, item, pdf.page_count, at)
        batch: list[tuple[int, str]] = []
        chars = 0
        for page in pdf.pages():
            if cancel.is_set():
                raise SyncCancelled
            batch.append((page.number, page.text))
            chars += len(page.text.strip())
            if on_page is not None:
                on_page(page.number, pdf.page_count)
            if len(batch) >= BATCH:
                store.add_bilag_pages(bilag_id, batch)
                batch = []
        store.add_bilag_pages(bilag_id, batch)
    if chars == 0:
        reason = _("no text (a scanned PDF?); it can be opened as a PDF")
        store.finish_bilag(bilag_id, "unreadable", reason)
        return bilag_id, reason
    store.finish_bilag(bilag_id, "ready")
    return bilag_id, None


def _begin(store: Store, source: BilagSource, item: str | None, pages: int, at: str) -> int:
    return store.begin_bilag(
        url=source.url,
        council=source.council,
        meeting_date=source.meeting_date,
        item_number=item,
        title=source.title,
        path=source.path,
        sha256=source.sha256,
        page_count=pages,
        at=at,
    )
