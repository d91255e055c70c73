"""A PDF's page text read in a child process under the same budget as meeting documents.

Bilag are PDFs from the web like the agendas, and some run to hundreds of pages, so
they get the protection :mod:`kkr_tui.ingest_reader` gives meeting documents (memory
limit, time per page and per file, killed on cancel, dies with its parent) from the
same machinery (:class:`~kkr_tui.ingest_reader.GuardedChild`). What differs is what
comes back: not a parsed meeting but the pages' text, streamed to the parent in
batches of :data:`BATCH` pages as they are read, so neither process holds a whole
large bilag and the parent can store each batch at once. A page over its budget is
a page warning (kept empty), and the rest of the file is read; a file that cannot be
read at all (damaged, encrypted, no text layer) comes back with one reason.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from kkr_tui.ingest_reader import (
    DEFAULT_BUDGET,
    GuardedChild,
    ReadBudget,
    Send,
    reader_context,
)
from kkr_tui.ingest_types import PageCallback
from kkr_tui.model import FileFailure, PageWarning

if TYPE_CHECKING:
    from multiprocessing.context import BaseContext

#: Pages a batch carries from the child to the parent (and the store writes at once).
BATCH = 25

#: A batch of (page number, text).
Pages = list[tuple[int, str]]


@dataclass(frozen=True, slots=True)
class PagesRead:
    """What reading a PDF's pages came to: ``failure`` says why it could not be read (the
    pages streamed before are still good; ``reason`` words it), ``warnings`` the pages
    that failed and a repair of the file, ``page_count`` the pages it has (0 when it
    could not be opened)."""

    page_count: int
    failure: FileFailure | None = None
    warnings: tuple[PageWarning, ...] = ()

    @property
    def reason(self) -> str | None:
        """Why it could not be read, in the user's language (None: it could)."""
        from kkr_tui.failure_words import describe

        return describe(self.failure) if self.failure is not None else None


def pages_failed(failure: FileFailure) -> PagesRead:
    """A PDF the child could not finish (died, out of time or memory)."""
    return PagesRead(0, failure)


def page_text_work(path: str, budget: ReadBudget, send: Send) -> PagesRead:
    """The child's work: open the PDF (``("opened", pages)``), read it page by page
    under ``budget.page_seconds``, sending progress and a batch every :data:`BATCH`
    pages (``("batch", [(number, text), …])``). Every failure becomes a reason."""
    from kkr_tui.sources import PdfSource, UnreadableDocumentError
    from kkr_tui.sources.pdf import unusable

    try:
        pdf = PdfSource(path)
    except UnreadableDocumentError as error:
        return PagesRead(0, error.failure)
    except MemoryError:
        raise  # the child's handler says it in the budget's words
    except Exception as error:  # noqa: BLE001 - one bad file never stops a run
        detail = f"{type(error).__name__}: {error}"
        return PagesRead(0, FileFailure("unexpected", detail=detail))
    with pdf:
        total = pdf.page_count
        send(("opened", total))
        batch: Pages = []
        chars = 0
        for page in pdf.pages(budget.page_seconds):
            batch.append((page.number, page.text))
            chars += len("".join(page.text.split()))
            send(("page", page.number, total))
            if len(batch) >= BATCH:
                send(("batch", batch))
                batch = []
                pdf.forget_parsed()  # the child too stays flat over hundreds of pages
        if batch:
            send(("batch", batch))
        repairs = (
            [PageWarning("repaired", 0, pdf.repaired_from, pdf.repaired_cause)]
            if pdf.repaired_from
            else []
        )
        warnings = (*repairs, *pdf.failures)
        failure = unusable(pdf, chars, min_chars=1)
    return PagesRead(total, failure, warnings)


class GuardedPages(GuardedChild[PagesRead]):
    """A PDF's page text read in its own child process; each opening and batch is handed
    to ``on_open`` and ``on_batch`` in the driving thread, in the order it was read."""

    work = page_text_work
    failed = pages_failed

    def __init__(
        self,
        path: str,
        budget: ReadBudget,
        context: BaseContext,
        *,
        on_open: Callable[[int], None],
        on_batch: Callable[[Pages], None],
    ) -> None:
        self.inbox: list[tuple[Any, ...]] = []
        self.on_open = on_open
        self.on_batch = on_batch
        super().__init__(path, budget, context)

    def received(self, message: tuple[Any, ...]) -> bool:
        """``opened`` and ``batch`` messages, kept in order for the caller; a batch
        ends the pump, so at most one batch waits here at a time."""
        if message[0] in ("opened", "batch"):
            self.inbox.append(message)
        return bool(message[0] == "batch")

    def delivered(self) -> None:
        """The kept openings and batches, to the callbacks, in order."""
        for message in self.inbox:
            if message[0] == "opened":
                self.on_open(int(message[1]))
            else:
                self.on_batch(message[1])
        self.inbox.clear()


def read_pages_guarded(
    path: str,
    cancel: threading.Event,
    *,
    on_open: Callable[[int], None],
    on_batch: Callable[[Pages], None],
    on_page: PageCallback | None = None,
    budget: ReadBudget = DEFAULT_BUDGET,
    context: BaseContext | None = None,
) -> PagesRead:
    """Read the text of ``path``'s pages in a child process under ``budget``.

    In the caller's thread, in order: ``on_open(page_count)`` once the PDF is open,
    ``on_batch(pages)`` for every batch read, ``on_page(done, total)`` as pages are
    read. When ``cancel`` is set the child is killed within
    :data:`~kkr_tui.ingest_reader.POLL_S` and :class:`~kkr_tui.ingest_types.IngestCancelled`
    is raised. An exception from a callback stops the child too and propagates.
    """
    context = context or reader_context()
    read = GuardedPages(path, budget, context, on_open=on_open, on_batch=on_batch)
    return read.run(cancel, on_page)
