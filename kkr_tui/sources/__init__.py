"""Input readers: turn a .pdf or .txt file into a :class:`~kkr_tui.model.SourceDocument`.

This is the only layer that touches input files. It never lets a bad file escape as a
traceback: every failure is an :class:`UnreadableDocumentError` with a short reason.
Importing this package is cheap; pypdf is imported only when a PDF is read.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from kkr_tui.model import SourceDocument
from kkr_tui.sources.errors import UnreadableDocumentError, check_regular_file
from kkr_tui.sources.pdf import PdfSource, iter_pdf_pages, pdf_page_count, read_pdf
from kkr_tui.sources.text import read_text, split_pages

__all__ = [
    "SUPPORTED_SUFFIXES",
    "PdfSource",
    "UnreadableDocumentError",
    "is_supported",
    "iter_pdf_pages",
    "pdf_page_count",
    "read_document",
    "read_pdf",
    "read_text",
    "split_pages",
]

#: File name suffixes :func:`read_document` accepts (compared case-insensitively).
SUPPORTED_SUFFIXES: tuple[str, ...] = (".pdf", ".txt")

Progress = Callable[[int, int], None]


def is_supported(path: str | os.PathLike[str]) -> bool:
    """True if ``path`` has a suffix a reader exists for, so a folder walk can skip the rest."""
    return Path(path).suffix.lower() in SUPPORTED_SUFFIXES


def read_document(
    path: str | os.PathLike[str],
    progress: Progress | None = None,
    *,
    page_seconds: float | None = None,
) -> SourceDocument:
    """Read a .pdf or .txt file into pages; ``progress(done, total)`` is called per page.

    ``page_seconds`` bounds each PDF page (in a process's main thread; see
    :func:`kkr_tui.sources.pdf.page_time_limit`).

    Raises :class:`UnreadableDocumentError` for anything that is not a readable
    document, with a cause (:class:`~kkr_tui.model.FileFailure`) the caller words.
    """
    p = check_regular_file(path)
    suffix = p.suffix.lower()
    if suffix == ".pdf":
        return read_pdf(p, progress, page_seconds)
    if suffix == ".txt":
        return read_text(p, progress)
    if not suffix:
        raise UnreadableDocumentError(p, "no_suffix")
    raise UnreadableDocumentError(p, "unsupported_type", (("suffix", suffix),))
