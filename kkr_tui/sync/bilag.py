"""Reading a downloaded bilag into the store: text page by page, tied to its meeting.

A bilag is a PDF from the web like an agenda, and can run to hundreds of pages, so it
is read as meeting documents are: in a child process under the same budget (memory,
time a page, time a file; killed on cancel, dies with the run), by
:func:`kkr_tui.ingest_pages.read_pages_guarded`. The pages come back in batches of
:data:`~kkr_tui.ingest_pages.BATCH`, each written at once in its own short
transaction: memory stays bounded by one batch in both processes, another writer
never waits long, and what was read is searchable at once. A page over its budget is
kept empty with a warning (stored with the bilag, shown in its view) and the rest is
read. A bilag that cannot be read (damaged, encrypted, no text layer) is kept as
``unreadable`` with the reason, pages read before it failed kept: it can still be
opened. Cancelling kills the child at once (the bilag stays ``reading`` and is read
again next run).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from kkr_tui.model import FileFailure
from kkr_tui.reason_codes import encode
from kkr_tui.sync.bilag_match import bilag_names, match_item
from kkr_tui.sync.client import SyncCancelled

if TYPE_CHECKING:
    from kkr_tui.ingest_reader import ReadBudget
    from kkr_tui.store import Store


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


@dataclass(frozen=True, slots=True)
class BilagOutcome:
    """A bilag read into the store: its id, why it could not be read (None when it
    was; ``failure`` its code), and its page warnings in one line ("" when none)."""

    bilag_id: int
    reason: str | None
    warnings: str = ""
    failure: FileFailure | None = None


def read_bilag(
    store: Store,
    source: BilagSource,
    at: str,
    *,
    cancel: threading.Event,
    on_page: Callable[[int, int], None] | None = None,
    budget: ReadBudget | None = None,
) -> BilagOutcome:
    """Store ``source``'s pages, read in a child process under ``budget`` (the budget
    meeting documents have), a batch at a time as they come.

    Raises :class:`SyncCancelled` when ``cancel`` is set mid-file (the child is
    killed at once; the bilag stays ``reading`` and is read again next run).
    """
    from kkr_tui.ingest_pages import read_pages_guarded
    from kkr_tui.ingest_reader import DEFAULT_BUDGET
    from kkr_tui.ingest_types import IngestCancelled
    from kkr_tui.model import page_warnings_line

    item = match_item(
        bilag_names(source.title, source.url),
        meeting_items(store, source.council, source.meeting_date),
    )
    begun: list[int] = []

    def on_open(pages: int) -> None:
        begun.append(_begin(store, source, item, pages, at))

    def on_batch(pages: list[tuple[int, str]]) -> None:
        store.add_bilag_pages(begun[0], pages)

    try:
        read = read_pages_guarded(
            source.path,
            cancel,
            on_open=on_open,
            on_batch=on_batch,
            on_page=on_page,
            budget=budget or DEFAULT_BUDGET,
        )
    except IngestCancelled:
        raise SyncCancelled from None
    bilag_id = begun[0] if begun else _begin(store, source, item, 0, at)
    warnings = page_warnings_line(read.warnings) if read.warnings else ""
    # The store keeps codes (reason_codes), worded when shown in the user's language.
    if read.failure is not None:
        store.finish_bilag(bilag_id, "unreadable", encode(read.failure))
        return BilagOutcome(bilag_id, read.reason, warnings, read.failure)
    # A ready bilag's reason holds its page warnings: the view shows them.
    store.finish_bilag(bilag_id, "ready", encode(read.warnings) if read.warnings else None)
    return BilagOutcome(bilag_id, None, warnings)


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
